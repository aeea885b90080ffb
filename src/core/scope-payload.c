/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "scope-payload.h"

/* The payload codec turns what a student types into the bytes that are sent,
 * and the bytes that come back into something they can read. Two promises
 * hold it together: rendering as text and parsing that text gives back the
 * very same bytes, whatever they are; and an error names the column a person
 * sees in the entry, counted in characters, not bytes. */

G_DEFINE_QUARK (scope-payload-error-quark, scope_payload_error)

static const char hex_digits[] = "0123456789abcdef";

/* Decodes one UTF-8 character strictly (no overlong forms, no surrogates,
 * nothing past U+10FFFF), so that whatever it accepts is valid for GLib too.
 * NUL is accepted: the input has a length and may hold one. Returns the
 * length of the character in bytes, or 0 when @p does not start one. */
static inline gsize
utf8_decode (const guint8 *p,
             gsize         avail,
             gunichar     *out)
{
  guint8 lead = p[0];
  gunichar c;

  if (lead < 0x80)
    {
      *out = lead;
      return 1;
    }

  if (lead < 0xc2)
    return 0;

  if (lead < 0xe0)
    {
      if (avail < 2 || (p[1] & 0xc0) != 0x80)
        return 0;
      *out = ((gunichar) (lead & 0x1f) << 6) | (p[1] & 0x3f);
      return 2;
    }

  if (lead < 0xf0)
    {
      if (avail < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
        return 0;
      c = ((gunichar) (lead & 0x0f) << 12) | ((gunichar) (p[1] & 0x3f) << 6) | (p[2] & 0x3f);
      if (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))
        return 0;
      *out = c;
      return 3;
    }

  if (lead < 0xf5)
    {
      if (avail < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
        return 0;
      c = ((gunichar) (lead & 0x07) << 18) | ((gunichar) (p[1] & 0x3f) << 12)
          | ((gunichar) (p[2] & 0x3f) << 6) | (p[3] & 0x3f);
      if (c < 0x10000 || c > 0x10ffff)
        return 0;
      *out = c;
      return 4;
    }

  return 0;
}

static inline int
hex_value (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The byte a one-letter escape stands for, or -1. Both quotes are accepted
 * so that text copied from a C or Python string literal parses. */
static inline int
unescape_simple (guint8 letter)
{
  switch (letter)
    {
    case 'r':
      return '\r';
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case '0':
      return '\0';
    case '\\':
    case '"':
    case '\'':
      return letter;
    default:
      return -1;
    }
}

/* The letter that renders @byte as an escape, or 0 when it has none. */
static inline char
escape_letter (guint8 byte)
{
  switch (byte)
    {
    case '\r':
      return 'r';
    case '\n':
      return 'n';
    case '\t':
      return 't';
    case '\0':
      return '0';
    case '\\':
      return '\\';
    default:
      return 0;
    }
}

/* Shown as it is in rendered text and in messages. Line and paragraph
 * separators are printable to GLib but would break the line they are on.
 * What this GLib's Unicode tables do not know yet is escaped: either way the
 * text parses back to the same bytes. */
static inline gboolean
is_shown_as_is (gunichar c)
{
  if (c < 0x80)
    return c >= 0x20 && c < 0x7f;

  switch (g_unichar_type (c))
    {
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return FALSE;
    default:
      return g_unichar_isprint (c);
    }
}

static inline void
append_byte_escape (GString *string,
                    guint8   byte)
{
  char escape[4] = { '\\', 'x', hex_digits[byte >> 4], hex_digits[byte & 0xf] };

  g_string_append_len (string, escape, sizeof escape);
}

/* A character for an error message: as it is when it can be read, otherwise
 * as \xHH per byte, so no control character or invalid UTF-8 gets in. */
static char *
describe_char (const guint8 *p,
               gsize         length,
               gunichar      c)
{
  GString *string = g_string_sized_new (16);

  if (is_shown_as_is (c))
    g_string_append_len (string, (const char *) p, length);
  else
    for (gsize i = 0; i < length; i++)
      append_byte_escape (string, p[i]);

  return g_string_free (string, FALSE);
}

static void
set_invalid_utf8 (GError **error,
                  gsize    column)
{
  g_set_error (error, SCOPE_PAYLOAD_ERROR, SCOPE_PAYLOAD_ERROR_INVALID_UTF8,
               /* Translators: %zu is a column number, counted in characters */
               _("The text is not valid UTF-8 at column %zu"), column);
}

static void
set_unknown_escape (GError       **error,
                    const guint8  *p,
                    gsize          length,
                    gunichar       c,
                    gsize          column)
{
  g_autofree char *shown = describe_char (p, length, c);

  if (is_shown_as_is (c))
    g_set_error (error, SCOPE_PAYLOAD_ERROR, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE,
                 /* Translators: “\%s” is the escape as typed, %zu its column;
                  * the escapes at the end are code, keep them as they are */
                 _("Unknown escape “\\%s” at column %zu: use \\r, \\n, \\t, \\\\, \\0 or \\xHH"),
                 shown, column);
  else
    g_set_error (error, SCOPE_PAYLOAD_ERROR, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE,
                 /* Translators: %zu is a column; %s an invisible character
                  * written as bytes, such as \x09; the escapes are code */
                 _("Unknown escape at column %zu: a backslash followed by the invisible "
                   "character %s; use \\r, \\n, \\t, \\\\, \\0 or \\xHH"),
                 column, shown);
}

/* TEXT: UTF-8 with C-like escapes. The output is never longer than the
 * input: every escape is at least two characters for one byte. */
static GBytes *
parse_text (const guint8  *in,
            gsize          length,
            gsize         *error_column,
            GError       **error)
{
  g_autofree guint8 *out = g_malloc (length);
  gsize n = 0;
  gsize column = 1;
  gsize i = 0;

  while (i < length)
    {
      guint8 b = in[i];
      gunichar c;
      gsize char_length;
      int escaped;

      if (b != '\\' && b < 0x80)
        {
          /* Plain ASCII is most of what is typed: copy it a run at a time. */
          gsize end = i + 1;

          while (end < length && in[end] < 0x80 && in[end] != '\\')
            end++;
          memcpy (out + n, in + i, end - i);
          n += end - i;
          column += end - i;
          i = end;
          continue;
        }

      if (b != '\\')
        {
          char_length = utf8_decode (in + i, length - i, &c);
          if (char_length == 0)
            {
              *error_column = column;
              set_invalid_utf8 (error, column);
              return NULL;
            }
          memcpy (out + n, in + i, char_length);
          n += char_length;
          i += char_length;
          column++;
          continue;
        }

      if (i + 1 == length)
        {
          *error_column = column;
          g_set_error (error, SCOPE_PAYLOAD_ERROR, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE,
                       /* Translators: %zu is a column; “\\” is code, keep it */
                       _("A lone “\\” at column %zu ends the text: write “\\\\” for a "
                         "backslash"),
                       column);
          return NULL;
        }

      escaped = unescape_simple (in[i + 1]);
      if (escaped >= 0)
        {
          out[n++] = (guint8) escaped;
          i += 2;
          column += 2;
          continue;
        }

      if (in[i + 1] == 'x')
        {
          int high = i + 2 < length ? hex_value (in[i + 2]) : -1;
          int low = high >= 0 && i + 3 < length ? hex_value (in[i + 3]) : -1;

          if (low < 0)
            {
              *error_column = column;
              g_set_error (error, SCOPE_PAYLOAD_ERROR, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE,
                           /* Translators: “\x%.*s” is the escape as typed (a
                            * backslash, x and maybe one digit), %zu its column */
                           _("“\\x%.*s” at column %zu needs two hex digits"),
                           high >= 0 ? 1 : 0, (const char *) in + i + 2, column);
              return NULL;
            }
          out[n++] = (guint8) (high << 4 | low);
          i += 4;
          column += 4;
          continue;
        }

      /* Not an escape. When what follows is not even a character, that is
       * the first thing wrong, and it is one column further on. */
      char_length = utf8_decode (in + i + 1, length - i - 1, &c);
      if (char_length == 0)
        {
          *error_column = column + 1;
          set_invalid_utf8 (error, column + 1);
          return NULL;
        }
      *error_column = column;
      set_unknown_escape (error, in + i + 1, char_length, c, column);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&out), n);
}

/* HEX: pairs of digits; whitespace, ':' and '-' end a byte. A run of digits
 * that a bad character cuts short is reported at that character, since that
 * is the typo; an odd run that ends cleanly is reported at its last digit. */
static GBytes *
parse_hex (const guint8  *in,
           gsize          length,
           gsize         *error_column,
           GError       **error)
{
  g_autofree guint8 *out = g_malloc (length / 2 + 1);
  gsize n = 0;
  gsize column = 1;
  gsize pending_column = 0;
  guint8 pending_digit = 0;
  int pending = -1;

  for (gsize i = 0; i < length; i++, column++)
    {
      guint8 b = in[i];
      int value = hex_value (b);

      if (value >= 0)
        {
          if (pending < 0)
            {
              pending = value;
              pending_column = column;
              pending_digit = b;
            }
          else
            {
              out[n++] = (guint8) (pending << 4 | value);
              pending = -1;
            }
        }
      else if (b == ' ' || b == ':' || b == '-' || g_ascii_isspace (b))
        {
          if (pending >= 0)
            break;
        }
      else
        {
          g_autofree char *shown = NULL;
          gunichar c;
          gsize char_length = utf8_decode (in + i, length - i, &c);

          *error_column = column;
          if (char_length == 0)
            {
              set_invalid_utf8 (error, column);
              return NULL;
            }
          shown = describe_char (in + i, char_length, c);
          g_set_error (error, SCOPE_PAYLOAD_ERROR, SCOPE_PAYLOAD_ERROR_BAD_HEX,
                       /* Translators: %s is the character as typed, %zu its column */
                       _("“%s” at column %zu is not a hex digit"), shown, column);
          return NULL;
        }
    }

  if (pending >= 0)
    {
      *error_column = pending_column;
      g_set_error (error, SCOPE_PAYLOAD_ERROR, SCOPE_PAYLOAD_ERROR_BAD_HEX,
                   /* Translators: %c is the digit, %zu its column */
                   _("An odd number of hex digits: “%c” at column %zu has no partner"),
                   pending_digit, pending_column);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&out), n);
}

/**
 * scope_payload_parse:
 * @input: (array length=length): what the user typed
 * @length: its length in bytes, or -1 when it is NUL-terminated
 * @format: text with escapes or hex
 * @error_column: (out) (optional): on error the 1-based column, in
 *   characters, of the first bad character (for a bad escape, of its
 *   backslash); 0 on success
 * @error: return location for a #SCOPE_PAYLOAD_ERROR
 *
 * Returns: (transfer full) (nullable): the bytes, possibly none, or %NULL
 * with @error set.
 */
GBytes *
scope_payload_parse (const char          *input,
                     gssize               length,
                     ScopePayloadFormat   format,
                     gsize               *error_column,
                     GError             **error)
{
  gsize column_ignored;

  g_return_val_if_fail (input != NULL || length == 0, NULL);
  g_return_val_if_fail (format == SCOPE_PAYLOAD_TEXT || format == SCOPE_PAYLOAD_HEX, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (error_column == NULL)
    error_column = &column_ignored;
  *error_column = 0;

  if (length < 0)
    length = strlen (input);
  if (length == 0)
    return g_bytes_new (NULL, 0);

  if (format == SCOPE_PAYLOAD_HEX)
    return parse_hex ((const guint8 *) input, length, error_column, error);
  return parse_text ((const guint8 *) input, length, error_column, error);
}

/**
 * scope_payload_render_text:
 * @data: (array length=length) (nullable): the bytes
 * @length: how many
 *
 * Readable characters stay as they are; backslash, CR, LF, tab and NUL
 * become their escapes; every other byte becomes \xHH. Parsing the result as
 * %SCOPE_PAYLOAD_TEXT gives back @data.
 *
 * Returns: (transfer full): valid UTF-8 on one line.
 */
char *
scope_payload_render_text (const guint8 *data,
                           gsize         length)
{
  GString *string;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* Mostly readable text is the common case; growth covers the rest. */
  string = g_string_sized_new (length + length / 8 + 1);

  while (i < length)
    {
      guint8 b = data[i];
      gunichar c;
      gsize char_length;
      char letter;

      if (b >= 0x20 && b < 0x7f && b != '\\')
        {
          gsize end = i + 1;

          while (end < length && data[end] >= 0x20 && data[end] < 0x7f && data[end] != '\\')
            end++;
          g_string_append_len (string, (const char *) data + i, end - i);
          i = end;
          continue;
        }

      letter = escape_letter (b);
      if (letter != 0)
        {
          g_string_append_c (string, '\\');
          g_string_append_c (string, letter);
          i++;
          continue;
        }

      char_length = b >= 0x80 ? utf8_decode (data + i, length - i, &c) : 0;
      if (char_length > 0 && is_shown_as_is (c))
        {
          g_string_append_len (string, (const char *) data + i, char_length);
          i += char_length;
        }
      else
        {
          /* One byte at a time: the next one may start a character. */
          append_byte_escape (string, b);
          i++;
        }
    }

  return g_string_free (string, FALSE);
}

/**
 * scope_payload_render_hex:
 * @data: (array length=length) (nullable): the bytes
 * @length: how many
 *
 * Returns: (transfer full): the bytes as lowercase hex pairs separated by
 * single spaces, such as "48 69 0a"; "" for no bytes.
 */
char *
scope_payload_render_hex (const guint8 *data,
                          gsize         length)
{
  char *text;
  char *p;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    return g_strdup ("");

  /* Three characters a byte: the last one's space becomes the NUL. */
  p = text = g_malloc_n (length, 3);
  for (gsize i = 0; i < length; i++)
    {
      *p++ = hex_digits[data[i] >> 4];
      *p++ = hex_digits[data[i] & 0xf];
      *p++ = ' ';
    }
  p[-1] = '\0';

  return text;
}

/* "00000010  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 01  |Hello, world!...|" */
#define DUMP_BYTES_PER_LINE 16
#define DUMP_HEX_WIDTH (DUMP_BYTES_PER_LINE * 3 + 1)
#define DUMP_LINE_MAX (16 + 2 + DUMP_HEX_WIDTH + 2 + DUMP_BYTES_PER_LINE + 2)

/**
 * scope_payload_render_hex_dump:
 * @data: (array length=length) (nullable): the bytes
 * @length: how many
 * @first_offset: the offset shown for the first byte, such as its position
 *   in the stream
 *
 * The classic dump, as `hexdump -C` prints it: offset, 16 bytes in hex with a
 * gap after the eighth, then the printable ASCII between bars.
 *
 * Returns: (transfer full): one line per 16 bytes, each ending in "\n";
 * "" for no bytes.
 */
char *
scope_payload_render_hex_dump (const guint8 *data,
                               gsize         length,
                               gsize         first_offset)
{
  GString *string;
  gsize n_lines;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  n_lines = length / DUMP_BYTES_PER_LINE + (length % DUMP_BYTES_PER_LINE != 0);
  string = g_string_sized_new (n_lines * (8 + 2 + DUMP_HEX_WIDTH + 2 + DUMP_BYTES_PER_LINE + 2)
                               + 1);

  for (gsize start = 0; start < length; start += DUMP_BYTES_PER_LINE)
    {
      char line[DUMP_LINE_MAX];
      char *p = line;
      gsize offset = first_offset + start;
      gsize count = MIN (length - start, DUMP_BYTES_PER_LINE);
      int n_digits = 8;

      /* At least eight digits, more only for offsets past 4 GiB. */
      while (n_digits < (int) sizeof (gsize) * 2 && (offset >> (n_digits * 4)) != 0)
        n_digits++;
      for (int d = n_digits - 1; d >= 0; d--)
        *p++ = hex_digits[(offset >> (d * 4)) & 0xf];
      *p++ = ' ';

      for (gsize j = 0; j < DUMP_BYTES_PER_LINE; j++)
        {
          if (j % 8 == 0)
            *p++ = ' ';
          if (j < count)
            {
              *p++ = hex_digits[data[start + j] >> 4];
              *p++ = hex_digits[data[start + j] & 0xf];
            }
          else
            {
              *p++ = ' ';
              *p++ = ' ';
            }
          *p++ = ' ';
        }

      *p++ = ' ';
      *p++ = '|';
      for (gsize j = 0; j < count; j++)
        {
          guint8 b = data[start + j];
          *p++ = b >= 0x20 && b < 0x7f ? (char) b : '.';
        }
      *p++ = '|';
      *p++ = '\n';

      g_assert (p - line <= (gssize) sizeof line);
      g_string_append_len (string, line, p - line);
    }

  return g_string_free (string, FALSE);
}
