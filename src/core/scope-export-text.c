/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-export-private.h"

/* The small things every format writes: numbers and bytes as text, names
 * of roles, protocols and errors, times. The files are in English whatever
 * the user's language, like any other data format. */

static const char hex_digits[] = "0123456789abcdef";

void
scope_export_append_hex (GString      *out,
                         const guint8 *data,
                         gsize         size)
{
  gsize at = out->len;

  g_string_set_size (out, at + 2 * size);
  for (gsize i = 0; i < size; i++)
    {
      out->str[at + 2 * i] = hex_digits[data[i] >> 4];
      out->str[at + 2 * i + 1] = hex_digits[data[i] & 0x0f];
    }
}

/* A number as text without printf's parsing: a million events have ten
 * million of them. */
void
scope_export_append_uint64 (GString *out,
                            guint64  value)
{
  char digits[20];
  guint n = 0;

  do
    {
      digits[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value != 0);
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

/* Strings from outside (a Unix path, a peer's bytes) need not be UTF-8;
 * every format here is. */
char *
scope_export_dup_valid_utf8 (const char *text)
{
  if (text == NULL)
    return NULL;
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  return g_utf8_make_valid (text, -1);
}

/* The text as it is when it is valid UTF-8, which it nearly always is;
 * otherwise a valid copy in @fixed. */
const char *
scope_export_valid_utf8 (const char  *text,
                         char       **fixed)
{
  g_clear_pointer (fixed, g_free);
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return text;
  *fixed = g_utf8_make_valid (text, -1);
  return *fixed;
}

/* Payload bytes as text only when they are valid UTF-8 without NUL, so the
 * text says exactly what the hex says. */
gboolean
scope_export_payload_is_text (const guint8 *data,
                              gsize         size)
{
  return size > 0 && g_utf8_validate_len ((const char *) data, size, NULL);
}

const char *
scope_export_role_to_string (ScopeSocketRole role)
{
  switch (role)
    {
    case SCOPE_SOCKET_CLIENT:
      return "client";
    case SCOPE_SOCKET_LISTENER:
      return "listener";
    case SCOPE_SOCKET_CONNECTION:
      return "connection";
    case SCOPE_SOCKET_DATAGRAM:
      return "datagram";
    default:
      return "unknown";
    }
}

const char *
scope_export_protocol_to_string (ScopeProtocol protocol)
{
  switch (protocol)
    {
    case SCOPE_PROTOCOL_TCP:
      return "tcp";
    case SCOPE_PROTOCOL_UDP:
      return "udp";
    case SCOPE_PROTOCOL_UNIX:
      return "unix";
    default:
      return "unknown";
    }
}

/* "connection-refused": the GIOErrorEnum nick, stable across languages. */
const char *
scope_export_error_code_to_string (guint32 code)
{
  static GEnumClass *klass;
  GEnumValue *value;

  if (g_once_init_enter (&klass))
    g_once_init_leave (&klass, g_type_class_ref (G_TYPE_IO_ERROR_ENUM));
  value = g_enum_get_value (klass, (int) code);
  return value ? value->value_nick : "failed";
}

char *
scope_export_format_iso8601 (gint64 real_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = NULL;

  if (seconds == NULL)
    return g_strdup ("");
  exact = g_date_time_add (seconds, real_us % G_USEC_PER_SEC);
  return g_date_time_format_iso8601 (exact);
}
