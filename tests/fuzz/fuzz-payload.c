/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the payload codec. Built by tests/fuzz/run-fuzz with
 * clang -fsanitize=fuzzer,address,undefined, src/core/scope-payload.c
 * compiled in. Whatever the input, it must hold:
 *   - parsing it as text and as hex gives bytes that render and parse back
 *     to themselves, or an error whose column lies within the input, where
 *     GLib's own decoder puts it for bad UTF-8, and whose message is clean
 *     UTF-8 that names that column;
 *   - rendering it as text, hex or a dump gives clean UTF-8, and the text
 *     and the hex parse back to the input. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scope-payload.h"
#include "fuzz-check.h"

/* Clean: valid UTF-8 that a label shows on one line, every character
 * printable, no control or format character, no line or paragraph
 * separator; a hex dump has its newlines too. */
static void
check_clean (const char *text,
             gboolean    newlines)
{
  CHECK (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (c == '\n' && newlines)
        continue;
      CHECK (g_unichar_isprint (c));
      CHECK (type != G_UNICODE_LINE_SEPARATOR && type != G_UNICODE_PARAGRAPH_SEPARATOR);
    }
}

/* How many characters start the input before the first byte that is not
 * UTF-8, counted with GLib's decoder rather than the codec's own, so that
 * the two are checked against each other. NUL counts as a character. */
static gsize
valid_prefix_chars (const guint8 *data,
                    size_t        size,
                    gboolean     *all_valid)
{
  gsize chars = 0;
  gsize i = 0;

  while (i < size)
    {
      gunichar c;

      if (data[i] < 0x80)
        {
          i++;
          chars++;
          continue;
        }
      c = g_utf8_get_char_validated ((const char *) data + i, size - i);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      i += g_utf8_skip[data[i]];
      chars++;
    }

  *all_valid = i == size;
  return chars;
}

static gsize
count_hex_digits (const guint8 *data,
                  size_t        size)
{
  gsize n = 0;

  for (gsize i = 0; i < size; i++)
    n += g_ascii_isxdigit (data[i]) ? 1 : 0;

  return n;
}

static void
check_equal (GBytes       *bytes,
             const guint8 *data,
             size_t        size)
{
  CHECK (bytes != NULL);
  CHECK (g_bytes_get_size (bytes) == size);
  CHECK (size == 0 || memcmp (g_bytes_get_data (bytes, NULL), data, size) == 0);
}

static void
check_reparses (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree char *text = scope_payload_render_text (data, size);
  g_autofree char *hex = scope_payload_render_hex (data, size);
  g_autoptr(GBytes) from_text = scope_payload_parse (text, -1, SCOPE_PAYLOAD_TEXT, NULL, NULL);
  g_autoptr(GBytes) from_hex = scope_payload_parse (hex, -1, SCOPE_PAYLOAD_HEX, NULL, NULL);

  check_equal (from_text, data, size);
  check_equal (from_hex, data, size);
}

/* The message names the same column the caller is given. */
static void
check_says_where (const char *message,
                  gsize       column)
{
  g_autofree char *where = g_strdup_printf ("column %zu", column);
  const char *found = strstr (message, where);

  CHECK (found != NULL);
  CHECK (!g_ascii_isdigit (found[strlen (where)]));
}

static void
check_parse (const guint8       *data,
             size_t              size,
             ScopePayloadFormat  format,
             gsize               prefix_chars)
{
  g_autoptr(GError) error = NULL;
  gsize column = G_MAXSIZE;
  g_autoptr(GBytes) bytes = scope_payload_parse ((const char *) data, size, format,
                                                 &column, &error);

  if (bytes != NULL)
    {
      CHECK (error == NULL);
      CHECK (column == 0);
      CHECK (g_bytes_get_size (bytes) <= size);
      /* Hex makes one byte of every two digits, and drops nothing else. */
      if (format == SCOPE_PAYLOAD_HEX)
        CHECK (g_bytes_get_size (bytes) * 2 == count_hex_digits (data, size));
      check_reparses (bytes);
      return;
    }

  CHECK (error != NULL);
  CHECK (error->domain == SCOPE_PAYLOAD_ERROR);
  check_clean (error->message, FALSE);
  CHECK (column >= 1);
  CHECK (column <= prefix_chars + 1);
  check_says_where (error->message, column);

  /* The codec's UTF-8 decoder agrees with GLib's: an encoding error is
   * just past the valid start, and any other error lies within it. */
  if (error->code == SCOPE_PAYLOAD_ERROR_INVALID_UTF8)
    CHECK (column == prefix_chars + 1);
  else
    CHECK (column <= prefix_chars);
}

/* The layout of `hexdump -C`: the bars of every line in the same column. */
static void
check_dump (const char *dump,
            size_t      size)
{
  g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);
  guint n_lines = g_strv_length (lines);

  CHECK (size > 0 || dump[0] == '\0');
  if (size == 0)
    return;

  /* Each line ends in "\n", so the last piece of the split is empty. */
  CHECK (n_lines == (size + 15) / 16 + 1);
  CHECK (lines[n_lines - 1][0] == '\0');
  for (guint i = 0; i + 1 < n_lines; i++)
    {
      gsize count = i + 2 < n_lines ? 16 : size - 16 * (gsize) i;
      gsize length = strlen (lines[i]);
      gsize bar;

      CHECK (length >= count + 62);
      bar = length - count - 2;

      /* At least eight offset digits, so the first bar is at 60 or later,
       * and every line has its bar where the first line has its own. */
      CHECK (bar >= 60);
      CHECK (bar == strlen (lines[0]) - MIN (size, 16) - 2);
      CHECK (lines[i][bar] == '|' && lines[i][length - 1] == '|');
      CHECK (lines[i][bar - 1] == ' ' && lines[i][bar - 2] == ' ');
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  gboolean all_valid = FALSE;
  gsize prefix_chars = valid_prefix_chars (data, size, &all_valid);
  g_autofree char *text = scope_payload_render_text (data, size);
  g_autofree char *hex = scope_payload_render_hex (data, size);
  g_autofree char *dump = scope_payload_render_hex_dump (data, size, size);
  g_autoptr(GBytes) from_text = NULL;
  g_autoptr(GBytes) from_hex = NULL;

  check_parse (data, size, SCOPE_PAYLOAD_TEXT, prefix_chars);
  check_parse (data, size, SCOPE_PAYLOAD_HEX, prefix_chars);

  /* Valid UTF-8 with no backslash is taken as it is. */
  if (all_valid && size > 0 && memchr (data, '\\', size) == NULL)
    {
      from_text = scope_payload_parse ((const char *) data, size, SCOPE_PAYLOAD_TEXT, NULL, NULL);
      check_equal (from_text, data, size);
      g_clear_pointer (&from_text, g_bytes_unref);
    }

  check_clean (text, FALSE);
  check_clean (hex, FALSE);
  CHECK (strlen (hex) == (size == 0 ? 0 : size * 3 - 1));
  check_clean (dump, TRUE);
  check_dump (dump, size);

  from_text = scope_payload_parse (text, -1, SCOPE_PAYLOAD_TEXT, NULL, NULL);
  check_equal (from_text, data, size);
  from_hex = scope_payload_parse (hex, -1, SCOPE_PAYLOAD_HEX, NULL, NULL);
  check_equal (from_hex, data, size);

  return 0;
}
