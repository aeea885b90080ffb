/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "scope-application.h"
#include "scope-platform.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ScopeApplication) app = NULL;

  scope_platform_tune_memory ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = scope_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
