/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "cli-common.h"

/**
 * cli_parse_number:
 * @what: where the number was given, for the message: "--port", "PORT"
 *
 * Parses a whole number in [@min, @max], with a message that says which
 * value was wrong and what would be right.
 */
gboolean
cli_parse_number (const char  *text,
                  const char  *what,
                  guint64      min,
                  guint64      max,
                  guint64     *out,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, min, max, out, &local_error))
    {
      g_autofree char *low = g_strdup_printf ("%" G_GUINT64_FORMAT, min);
      g_autofree char *high = g_strdup_printf ("%" G_GUINT64_FORMAT, max);

      /* Translators: "--port: “70000” is not a number from 0 to 65535"; the
       * first %s is an option or argument name, not to be translated */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a number from %s to %s"), what, text ? text : "", low,
                   high);
      return FALSE;
    }
  return TRUE;
}

int
cli_fail (const char *command,
          const char *message)
{
  /* Translators: the command, then what went wrong */
  g_printerr (_("sockscope-cli %s: %s\n"), command, message);
  return 1;
}
