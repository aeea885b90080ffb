/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "scope-version.h"

const char *
scope_version_string (void)
{
  return PACKAGE_VERSION;
}

/* One line for `--version` and bug reports: our version and the versions of
 * the libraries the core was built against and runs with, since a lookup's
 * behaviour can depend on both. */
char *
scope_version_describe (void)
{
  /* Translators: the app's name and version, then the GLib version it runs
   * with and the one it was built with */
  return g_strdup_printf (_("%s %s (GLib %u.%u.%u, built with %d.%d.%d)"),
                          PACKAGE_NAME, PACKAGE_VERSION,
                          glib_major_version, glib_minor_version, glib_micro_version,
                          GLIB_MAJOR_VERSION, GLIB_MINOR_VERSION, GLIB_MICRO_VERSION);
}
