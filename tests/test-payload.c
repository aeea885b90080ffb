/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-payload.h"

/* Byte strings are written with explicit lengths throughout: several hold
 * NUL bytes, and the codec must not stop at them. */

static void
assert_parses_to (const char         *input,
                  gssize              input_length,
                  ScopePayloadFormat  format,
                  const char         *expected,
                  gsize               expected_length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize column = 12345;

  bytes = scope_payload_parse (input, input_length, format, &column, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_cmpuint (column, ==, 0);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, expected_length);
}

static void
assert_parse_fails (const char         *input,
                    gssize              input_length,
                    ScopePayloadFormat  format,
                    ScopePayloadError   code,
                    gsize               column,
                    const char         *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize error_column = 0;

  bytes = scope_payload_parse (input, input_length, format, &error_column, &error);
  g_assert_null (bytes);
  g_assert_error (error, SCOPE_PAYLOAD_ERROR, (int) code);
  g_assert_cmpuint (error_column, ==, column);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_text_plain (void)
{
  assert_parses_to ("", -1, SCOPE_PAYLOAD_TEXT, "", 0);
  assert_parses_to ("Hi there", -1, SCOPE_PAYLOAD_TEXT, "Hi there", 8);
  assert_parses_to ("é€😀", -1, SCOPE_PAYLOAD_TEXT, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9);
  /* Raw control characters, as a multi-line text view gives them, and a
   * raw NUL when a length is given. */
  assert_parses_to ("a\nb\tc\r", -1, SCOPE_PAYLOAD_TEXT, "a\nb\tc\r", 6);
  assert_parses_to ("a\0b", 3, SCOPE_PAYLOAD_TEXT, "a\0b", 3);
  /* The length is honoured: nothing past it is read. */
  assert_parses_to ("abc\\q", 3, SCOPE_PAYLOAD_TEXT, "abc", 3);
  assert_parses_to (NULL, 0, SCOPE_PAYLOAD_TEXT, "", 0);
}

static void
test_text_escapes (void)
{
  assert_parses_to ("\\r", -1, SCOPE_PAYLOAD_TEXT, "\r", 1);
  assert_parses_to ("\\n", -1, SCOPE_PAYLOAD_TEXT, "\n", 1);
  assert_parses_to ("\\t", -1, SCOPE_PAYLOAD_TEXT, "\t", 1);
  assert_parses_to ("\\\\", -1, SCOPE_PAYLOAD_TEXT, "\\", 1);
  assert_parses_to ("\\0", -1, SCOPE_PAYLOAD_TEXT, "\0", 1);
  assert_parses_to ("\\\"", -1, SCOPE_PAYLOAD_TEXT, "\"", 1);
  assert_parses_to ("\\'", -1, SCOPE_PAYLOAD_TEXT, "'", 1);
  assert_parses_to ("\\x41", -1, SCOPE_PAYLOAD_TEXT, "A", 1);
  assert_parses_to ("\\x00", -1, SCOPE_PAYLOAD_TEXT, "\0", 1);
  assert_parses_to ("\\xfF\\xAb", -1, SCOPE_PAYLOAD_TEXT, "\xff\xab", 2);
  /* Exactly two digits: the third is text again, and \0 is not octal. */
  assert_parses_to ("\\x414", -1, SCOPE_PAYLOAD_TEXT, "A4", 2);
  assert_parses_to ("\\012", -1, SCOPE_PAYLOAD_TEXT, "\0" "12", 3);
  assert_parses_to ("GET / HTTP/1.0\\r\\n\\r\\n", -1, SCOPE_PAYLOAD_TEXT,
                    "GET / HTTP/1.0\r\n\r\n", 18);
  assert_parses_to ("é\\t€", -1, SCOPE_PAYLOAD_TEXT, "\xc3\xa9\t\xe2\x82\xac", 6);
}

static void
test_text_bad_escapes (void)
{
  assert_parse_fails ("abcd\\q", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 5,
                      "Unknown escape “\\q” at column 5: use \\r, \\n, \\t, \\\\, \\0 or \\xHH");
  /* Columns count characters: é is two bytes, € three, 😀 four. */
  assert_parse_fails ("é€\\q", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 3,
                      "Unknown escape “\\q” at column 3: use \\r, \\n, \\t, \\\\, \\0 or \\xHH");
  assert_parse_fails ("😀\\é", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 2,
                      "Unknown escape “\\é” at column 2: use \\r, \\n, \\t, \\\\, \\0 or \\xHH");
  assert_parse_fails ("\\X41", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 1,
                      "Unknown escape “\\X” at column 1: use \\r, \\n, \\t, \\\\, \\0 or \\xHH");
  /* What cannot be shown is written as bytes. */
  assert_parse_fails ("a\\\tb", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 2,
                      "Unknown escape at column 2: a backslash followed by the invisible "
                      "character \\x09; use \\r, \\n, \\t, \\\\, \\0 or \\xHH");
  assert_parse_fails ("a\\\0", 3, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 2,
                      "Unknown escape at column 2: a backslash followed by the invisible "
                      "character \\x00; use \\r, \\n, \\t, \\\\, \\0 or \\xHH");
  assert_parse_fails ("€\\\xc2\x85", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 2,
                      "Unknown escape at column 2: a backslash followed by the invisible "
                      "character \\xc2\\x85; use \\r, \\n, \\t, \\\\, \\0 or \\xHH");

  assert_parse_fails ("ab\\x4", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 3,
                      "“\\x4” at column 3 needs two hex digits");
  assert_parse_fails ("é\\x4g", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 2,
                      "“\\x4” at column 2 needs two hex digits");
  assert_parse_fails ("€€\\xg1", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 3,
                      "“\\x” at column 3 needs two hex digits");
  assert_parse_fails ("\\x", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 1,
                      "“\\x” at column 1 needs two hex digits");
  /* The length ends the escape even when the buffer goes on. */
  assert_parse_fails ("\\x41", 3, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 1,
                      "“\\x4” at column 1 needs two hex digits");

  assert_parse_fails ("ab\\", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 3,
                      "A lone “\\” at column 3 ends the text: write “\\\\” for a backslash");
  assert_parse_fails ("€\\", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 2,
                      "A lone “\\” at column 2 ends the text: write “\\\\” for a backslash");

  /* The first error wins. */
  assert_parse_fails ("\\q\\x", -1, SCOPE_PAYLOAD_TEXT, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE, 1,
                      "Unknown escape “\\q” at column 1: use \\r, \\n, \\t, \\\\, \\0 or \\xHH");
}

static void
test_text_invalid_utf8 (void)
{
  static const struct
  {
    const char *input;
    gssize      length;
    gsize       column;
  } cases[] = {
    { "a\xff", -1, 2 },
    { "\x80", -1, 1 },                 /* a continuation byte alone */
    { "é\xc3(", -1, 2 },               /* a lead byte with no continuation */
    { "€ab\xe2\x82", -1, 4 },          /* cut short by the end */
    { "\xc0\xaf", -1, 1 },             /* overlong "/" */
    { "x\xe0\x80\xaf", -1, 2 },        /* overlong, three bytes */
    { "\xed\xa0\x80", -1, 1 },         /* a UTF-16 surrogate */
    { "\xf4\x90\x80\x80", -1, 1 },     /* past U+10FFFF */
    { "\xf8\x88\x80\x80\x80", -1, 1 }, /* five bytes */
    { "é\\\xff", -1, 3 },              /* after a backslash: the byte's own column */
    { "ab\xc3\0", 4, 3 },              /* a NUL is no continuation */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = g_strdup_printf ("The text is not valid UTF-8 at column %zu",
                                                  cases[i].column);

      assert_parse_fails (cases[i].input, cases[i].length, SCOPE_PAYLOAD_TEXT,
                          SCOPE_PAYLOAD_ERROR_INVALID_UTF8, cases[i].column, message);
    }

  /* The largest and the smallest of each length are fine. */
  assert_parses_to ("\xf4\x8f\xbf\xbf\xc2\x80\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80", -1,
                    SCOPE_PAYLOAD_TEXT,
                    "\xf4\x8f\xbf\xbf\xc2\x80\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80", 16);
}

static void
test_hex_parse (void)
{
  assert_parses_to ("48 69 0a", -1, SCOPE_PAYLOAD_HEX, "Hi\n", 3);
  assert_parses_to ("48690a", -1, SCOPE_PAYLOAD_HEX, "Hi\n", 3);
  assert_parses_to ("48:69-0A", -1, SCOPE_PAYLOAD_HEX, "Hi\n", 3);
  assert_parses_to ("  48\t69\r\n0a \n", -1, SCOPE_PAYLOAD_HEX, "Hi\n", 3);
  assert_parses_to ("DEADbeef 00", -1, SCOPE_PAYLOAD_HEX, "\xde\xad\xbe\xef\0", 5);
  assert_parses_to ("de:ad::be--ef", -1, SCOPE_PAYLOAD_HEX, "\xde\xad\xbe\xef", 4);
  assert_parses_to ("", -1, SCOPE_PAYLOAD_HEX, "", 0);
  assert_parses_to (" : - ", -1, SCOPE_PAYLOAD_HEX, "", 0);
  assert_parses_to ("4142 zz", 4, SCOPE_PAYLOAD_HEX, "AB", 2);
}

static void
test_hex_errors (void)
{
  assert_parse_fails ("486g", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 4,
                      "“g” at column 4 is not a hex digit");
  assert_parse_fails ("48 6g", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 5,
                      "“g” at column 5 is not a hex digit");
  assert_parse_fails ("0x48", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 2,
                      "“x” at column 2 is not a hex digit");
  assert_parse_fails ("48,69", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 3,
                      "“,” at column 3 is not a hex digit");
  assert_parse_fails ("48 é", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 4,
                      "“é” at column 4 is not a hex digit");
  assert_parse_fails ("4€8", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 2,
                      "“€” at column 2 is not a hex digit");
  assert_parse_fails ("48\x01", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 3,
                      "“\\x01” at column 3 is not a hex digit");
  assert_parse_fails ("48\0", 3, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 3,
                      "“\\x00” at column 3 is not a hex digit");
  assert_parse_fails ("48\x7f", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 3,
                      "“\\x7f” at column 3 is not a hex digit");
  assert_parse_fails ("48 \xff", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_INVALID_UTF8, 4,
                      "The text is not valid UTF-8 at column 4");

  assert_parse_fails ("48 69 4", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 7,
                      "An odd number of hex digits: “4” at column 7 has no partner");
  assert_parse_fails ("4 8", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 1,
                      "An odd number of hex digits: “4” at column 1 has no partner");
  assert_parse_fails ("ABC:de", -1, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 3,
                      "An odd number of hex digits: “C” at column 3 has no partner");
  assert_parse_fails ("4142", 3, SCOPE_PAYLOAD_HEX, SCOPE_PAYLOAD_ERROR_BAD_HEX, 3,
                      "An odd number of hex digits: “4” at column 3 has no partner");
}

static void
test_parse_optional_column (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = scope_payload_parse ("\\q", -1, SCOPE_PAYLOAD_TEXT, NULL, &error);

  g_assert_null (bytes);
  g_assert_error (error, SCOPE_PAYLOAD_ERROR, SCOPE_PAYLOAD_ERROR_BAD_ESCAPE);
  g_assert_null (scope_payload_parse ("zz", -1, SCOPE_PAYLOAD_HEX, NULL, NULL));
}

static void
assert_renders_text (const char *data,
                     gsize       length,
                     const char *expected)
{
  g_autofree char *text = scope_payload_render_text ((const guint8 *) data, length);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_render_text (void)
{
  assert_renders_text ("", 0, "");
  assert_renders_text ("Hi \"you\" 'x'", 12, "Hi \"you\" 'x'");
  assert_renders_text ("\r\n\t\0\\", 5, "\\r\\n\\t\\0\\\\");
  assert_renders_text ("\x01\x1b\x7f", 3, "\\x01\\x1b\\x7f");
  assert_renders_text ("\xff\xfe", 2, "\\xff\\xfe");
  /* A digit after an escaped byte stays a digit on the way back. */
  assert_renders_text ("\x01" "41", 3, "\\x0141");
  assert_renders_text ("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, "é€😀");
  /* Broken or unreadable characters go byte by byte: a lead byte alone, a
   * surrogate, a C1 control, a line separator, a zero-width space. */
  assert_renders_text ("\xc3" "A", 2, "\\xc3A");
  assert_renders_text ("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
  assert_renders_text ("\xc2\x85", 2, "\\xc2\\x85");
  assert_renders_text ("\xe2\x80\xa8", 3, "\\xe2\\x80\\xa8");
  assert_renders_text ("\xe2\x80\x8b", 3, "\\xe2\\x80\\x8b");
  /* The lead byte is escaped, and what follows it is judged afresh. */
  assert_renders_text ("\xe2\xc3\xa9", 3, "\\xe2é");
}

static void
test_render_hex (void)
{
  g_autofree char *empty = scope_payload_render_hex (NULL, 0);
  g_autofree char *hi = scope_payload_render_hex ((const guint8 *) "Hi\n", 3);
  g_autofree char *one = scope_payload_render_hex ((const guint8 *) "\xff", 1);
  g_autofree char *nul = scope_payload_render_hex ((const guint8 *) "\0\0", 2);

  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (hi, ==, "48 69 0a");
  g_assert_cmpstr (one, ==, "ff");
  g_assert_cmpstr (nul, ==, "00 00");
}

static void
test_render_hex_dump (void)
{
  /* As `hexdump -C` lays it out, the ASCII column lined up on the short
   * last line. */
  static const char expected_twenty[] =
    "00001230  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 01  |Hello, world!...|\n"
    "00001240  02 7f 80 ff                                       |....|\n";
  static const char expected_sixteen[] =
    "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n";
  static const guint8 twenty[] = "Hello, world!\n\x00\x01\x02\x7f\x80\xff";
  static const guint8 sixteen[] = "0123456789abcdef";
  g_autofree char *dump = scope_payload_render_hex_dump (twenty, 20, 0x1230);
  g_autofree char *empty = scope_payload_render_hex_dump (NULL, 0, 7);
  g_autofree char *line = scope_payload_render_hex_dump (sixteen, 16, 0);

  g_assert_cmpstr (dump, ==, expected_twenty);
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (line, ==, expected_sixteen);

#if GLIB_SIZEOF_SIZE_T >= 8
  {
    /* Past 4 GiB the offset grows a digit and pushes the columns along. */
    g_autofree char *far = scope_payload_render_hex_dump (sixteen, 3, 0x123456789);

    g_assert_cmpstr (far, ==,
                     "123456789  30 31 32                                          |012|\n");
  }
#endif
}

static void
assert_round_trips (const guint8 *data,
                    gsize         length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = scope_payload_render_text (data, length);
  g_autofree char *hex = scope_payload_render_hex (data, length);
  g_autoptr(GBytes) from_text = NULL;
  g_autoptr(GBytes) from_hex = NULL;

  /* One readable line of UTF-8. */
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);

  from_text = scope_payload_parse (text, -1, SCOPE_PAYLOAD_TEXT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (from_text, NULL), g_bytes_get_size (from_text), data, length);

  from_hex = scope_payload_parse (hex, -1, SCOPE_PAYLOAD_HEX, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (from_hex, NULL), g_bytes_get_size (from_hex), data, length);
  g_assert_cmpuint (strlen (hex), ==, length == 0 ? 0 : length * 3 - 1);
}

static void
test_round_trip_short (void)
{
  guint8 bytes[2];

  assert_round_trips (NULL, 0);

  /* Every single byte, and every pair: the pairs hold each backslash,
   * escape letter and lead byte next to everything that can follow it. */
  for (guint a = 0; a < 256; a++)
    {
      bytes[0] = a;
      assert_round_trips (bytes, 1);
      for (guint b = 0; b < 256; b++)
        {
          bytes[1] = b;
          assert_round_trips (bytes, 2);
        }
    }
}

/* Random bytes alone would seldom make a valid multi-byte character, so
 * pieces are drawn from what makes the codec work: text, escapes' letters,
 * backslashes, whole characters, broken ones and any byte at all. */
static gsize
random_payload (guint8 *buffer,
                gsize   size)
{
  static const char *const pieces[] = {
    "\\", "x", "0", "n", "a", "F", " ", "\"", "é", "€", "😀", "\xc2\x85", "\xe2\x80\xa8",
    "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc3", "\xe2\x82", "\xf0\x9f\x98",
  };
  gsize length = g_test_rand_int_range (0, (gint32) size / 4);
  gsize n = 0;

  while (n < length)
    {
      if (g_test_rand_bit ())
        {
          buffer[n++] = (guint8) g_test_rand_int_range (0, 256);
        }
      else
        {
          const char *piece = pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))];
          gsize piece_length = strlen (piece);

          memcpy (buffer + n, piece, piece_length);
          n += piece_length;
        }
    }

  return n;
}

static void
test_round_trip_random (void)
{
  guint8 buffer[1024];
  guint rounds = g_test_thorough () ? 200000 : 5000;

  for (guint i = 0; i < rounds; i++)
    {
      gsize length = random_payload (buffer, sizeof buffer);

      assert_round_trips (buffer, length);
    }
}

/* Parsing whatever comes gives bytes or an error with a column in range,
 * never anything else. */
static void
test_parse_random (void)
{
  guint8 buffer[1024];

  for (guint i = 0; i < 5000; i++)
    {
      gsize length = random_payload (buffer, sizeof buffer);

      for (int format = SCOPE_PAYLOAD_TEXT; format <= SCOPE_PAYLOAD_HEX; format++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) bytes = NULL;
          gsize column = 0;

          bytes = scope_payload_parse ((const char *) buffer, length, format, &column, &error);
          if (bytes != NULL)
            {
              g_assert_no_error (error);
              g_assert_cmpuint (column, ==, 0);
              g_assert_cmpuint (g_bytes_get_size (bytes), <=, length);
            }
          else
            {
              g_assert_nonnull (error);
              g_assert_cmpuint (column, >=, 1);
              g_assert_cmpuint (column, <=, length);
              g_assert_true (g_utf8_validate (error->message, -1, NULL));
            }
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/payload/text/plain", test_text_plain);
  g_test_add_func ("/payload/text/escapes", test_text_escapes);
  g_test_add_func ("/payload/text/bad-escapes", test_text_bad_escapes);
  g_test_add_func ("/payload/text/invalid-utf8", test_text_invalid_utf8);
  g_test_add_func ("/payload/hex/parse", test_hex_parse);
  g_test_add_func ("/payload/hex/errors", test_hex_errors);
  g_test_add_func ("/payload/parse/optional-column", test_parse_optional_column);
  g_test_add_func ("/payload/render/text", test_render_text);
  g_test_add_func ("/payload/render/hex", test_render_hex);
  g_test_add_func ("/payload/render/hex-dump", test_render_hex_dump);
  g_test_add_func ("/payload/round-trip/short", test_round_trip_short);
  g_test_add_func ("/payload/round-trip/random", test_round_trip_random);
  g_test_add_func ("/payload/parse/random", test_parse_random);

  return g_test_run ();
}
