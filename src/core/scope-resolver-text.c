/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "scope-payload.h"
#include "scope-resolver-private.h"

/* Text from outside (a name server, the hosts file, the services file)
 * made harmless to show on a terminal or in a label. */

/**
 * scope_resolver_show_text:
 * @data: (array length=length): bytes from a name server or a file
 * @length: how many
 *
 * Returns: (transfer full): @data as the Send box's escapes show it
 * (scope_payload_render_text()): readable text as it is; NUL, CR, LF, tab
 * and backslash as \0, \r, \n, \t and \\; every other control character,
 * every character that is not printable (a right-to-left override, a line
 * separator) and every byte that is not UTF-8 as \xHH. Valid UTF-8 on one
 * line, all of @data; parsed as %SCOPE_PAYLOAD_TEXT it gives @data back.
 */
char *
scope_resolver_show_text (const guint8 *data,
                          gsize         length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return scope_payload_render_text (data, length);
}

/**
 * scope_resolver_show_name:
 * @name: (nullable): a name as the C library or GResolver gave it
 *
 * Returns: (transfer full) (nullable): @name with its control characters
 * and the bytes that are not UTF-8 escaped as scope_resolver_show_text()
 * escapes them, but its backslashes as they are: a DNS name that holds an
 * odd byte comes from the resolver already written as DNS writes it
 * (\027 for ESC, \. for a dot inside a label), which a second backslash
 * would only blur.
 */
char *
scope_resolver_show_name (const char *name)
{
  g_auto(GStrv) parts = NULL;
  GString *shown;

  if (name == NULL)
    return NULL;
  parts = g_strsplit (name, "\\", -1);
  shown = g_string_new (NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = scope_resolver_show_text ((const guint8 *) parts[i],
                                                        strlen (parts[i]));

      if (i > 0)
        g_string_append_c (shown, '\\');
      g_string_append (shown, part);
    }
  return g_string_free (shown, FALSE);
}

/* A name the resolver returned, made safe to show, with its Unicode form
 * beside an ACE one: both are shown escaped, since a name server chooses
 * what "xn--" decodes to as much as the name itself. */
char *
_scope_show_name_and_unicode (const char *name)
{
  g_autofree char *shown = scope_resolver_show_name (name);

  if (name != NULL && g_hostname_is_ascii_encoded (name))
    {
      g_autofree char *unicode = g_hostname_to_unicode (name);

      if (unicode != NULL && g_strcmp0 (unicode, name) != 0)
        {
          g_autofree char *shown_unicode = scope_resolver_show_name (unicode);

          return g_strdup_printf ("%s (%s)", shown, shown_unicode);
        }
    }
  return g_steal_pointer (&shown);
}
