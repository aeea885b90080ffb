/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The servers' little protocols on their own: what the sum and the tiny
 * HTTP server answer, whole or fed a byte at a time. */
#include "config.h"

#include <string.h>

#include "scope-protocols.h"

static char *
sum_answers (const char *input,
             gsize       length,
             gsize       chunk,
             gboolean    end)
{
  g_autoptr(ScopeSumParser) parser = scope_sum_parser_new ();
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < length; i += chunk)
    scope_sum_parser_feed (parser, (const guint8 *) input + i, MIN (chunk, length - i), out);
  if (end)
    scope_sum_parser_end (parser, out);
  return g_string_free (out, FALSE);
}

static void
assert_sum (const char *input,
            gsize       length,
            const char *expected)
{
  /* Whole, then in pieces down to a byte at a time: TCP may cut the stream
   * anywhere, and the answers must not change. */
  gsize chunks[] = { 1, 2, 3, 7, 64, MAX (length, 1) };

  for (gsize i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autofree char *answers = sum_answers (input, length, chunks[i], TRUE);

      if (g_strcmp0 (answers, expected) != 0)
        g_test_message ("fed %" G_GSIZE_FORMAT " bytes at a time", chunks[i]);
      g_assert_cmpstr (answers, ==, expected);
    }
}

#define EXPECTED "error: expected two integers, e.g. 17 25"
#define NOT_ONE " is not one: an integer is digits, with + or - before them or not\n"

static const struct
{
  const char *input;
  const char *expected;
} sum_cases[] = {
  { "17 25\n", "42\n" },
  /* Exact at any length: no rounding to a double, no 64-bit limit. */
  { "12345678901234567890 1\n", "12345678901234567891\n" },
  { "9223372036854775807 9223372036854775807\n", "18446744073709551614\n" },
  { "-9223372036854775808 -1\n", "-9223372036854775809\n" },
  { "99999999999999999999 1\n", "100000000000000000000\n" },
  { "-1 -99999999999999999999\n", "-100000000000000000000\n" },
  { "100000000000000000000 -1\n", "99999999999999999999\n" },
  { "1 -100000000000000000000\n", "-99999999999999999999\n" },
  { "-5 3\n", "-2\n" },
  { "5 -3\n", "2\n" },
  { "-5 -3\n", "-8\n" },
  { "+5 -5\n", "0\n" },
  { "-0 0\n", "0\n" },
  { "-7 7\n", "0\n" },
  { "007 -0001\n", "6\n" },
  { "0 0\n", "0\n" },
  /* White space around and between the numbers, and CR LF. */
  { "  7\t8  \r\n", "15\n" },
  { "3 4\r\n", "7\n" },
  { "1\r2\n", "3\n" },
  { "\v1 \f 2\n", "3\n" },
  /* One answer a line, in order. */
  { "1 2\n3 4\n-1 1\n", "3\n7\n0\n" },
  /* A bad line is forgotten whole: its leftover number does not pair with
   * the next line's (it did when the sum read a stream of numbers). */
  { "abc 1\n5 6\n", EXPECTED ", but \"abc\"" NOT_ONE "11\n" },
  { "1 abc\n5 6\n", EXPECTED ", but \"abc\"" NOT_ONE "11\n" },
  { "5\n6 7\n", EXPECTED ", but the line has 1 word: \"5\"\n13\n" },
  { "1 2 3\n4 5\n", EXPECTED ", but the line has 3 words: \"1 2 3\"\n9\n" },
  { "  1   2  3  \n", EXPECTED ", but the line has 3 words: \"1   2  3\"\n" },
  { "\n", EXPECTED ", but the line is empty\n" },
  { " \t \r\n", EXPECTED ", but the line is empty\n" },
  { "\n\n2 2\n", EXPECTED ", but the line is empty\n" EXPECTED ", but the line is empty\n4\n" },
  /* What Python's int() takes and the sum does not, and what neither does. */
  { "1.5 2\n", EXPECTED ", but \"1.5\"" NOT_ONE },
  { "1e3 2\n", EXPECTED ", but \"1e3\"" NOT_ONE },
  { "1_000 1\n", EXPECTED ", but \"1_000\"" NOT_ONE },
  { "0x10 1\n", EXPECTED ", but \"0x10\"" NOT_ONE },
  { "- 5\n", EXPECTED ", but \"-\"" NOT_ONE },
  { "5 +\n", EXPECTED ", but \"+\"" NOT_ONE },
  { "--5 1\n", EXPECTED ", but \"--5\"" NOT_ONE },
  { "5- 1\n", EXPECTED ", but \"5-\"" NOT_ONE },
  { "nan 1\n", EXPECTED ", but \"nan\"" NOT_ONE },
  { "\xd9\xa3 1\n", EXPECTED ", but \"\\xd9\\xa3\"" NOT_ONE },    /* ARABIC-INDIC DIGIT THREE */
  /* The bad text shown escaped, never raw, and clipped. */
  { "\x1b[31m 1\n", EXPECTED ", but \"\\x1b[31m\"" NOT_ONE },
  { "\x1b]0;pwned\x07\n", EXPECTED ", but the line has 1 word: \"\\x1b]0;pwned\\x07\"\n" },
  { "caf\xc3\xa9 1\n", EXPECTED ", but \"caf\\xc3\\xa9\"" NOT_ONE },
  { "a\\b 1\n", EXPECTED ", but \"a\\\\b\"" NOT_ONE },
  { "\xff\xfe 1\n", EXPECTED ", but \"\\xff\\xfe\"" NOT_ONE },
  { "1 2 \x7f\n", EXPECTED ", but the line has 3 words: \"1 2 \\x7f\"\n" },
  { "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 1\n",
    EXPECTED ", but \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"..." NOT_ONE },
  /* The last line needs no newline when the peer ends. */
  { "3 4", "7\n" },
  { "3 4\r", "7\n" },
  { "1 2\n3", "3\n" EXPECTED ", but the line has 1 word: \"3\"\n" },
  { "", "" },
};

static void
test_sum (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sum_cases); i++)
    {
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      assert_sum (sum_cases[i].input, strlen (sum_cases[i].input), sum_cases[i].expected);
    }
}

static void
test_sum_waits_for_the_line (void)
{
  /* Nothing is answered before the line ends, and the line may come in
   * any number of pieces. */
  g_autoptr(ScopeSumParser) parser = scope_sum_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);

  scope_sum_parser_feed (parser, (const guint8 *) "12", 2, out);
  scope_sum_parser_feed (parser, (const guint8 *) "3 7", 3, out);
  g_assert_cmpstr (out->str, ==, "");
  scope_sum_parser_feed (parser, (const guint8 *) "\r", 1, out);
  g_assert_cmpstr (out->str, ==, "");
  scope_sum_parser_feed (parser, (const guint8 *) "\n4", 2, out);
  g_assert_cmpstr (out->str, ==, "130\n");
  scope_sum_parser_end (parser, out);
  g_assert_cmpstr (out->str, ==, "130\n" EXPECTED ", but the line has 1 word: \"4\"\n");
  /* Ended: nothing is left over to answer twice. */
  scope_sum_parser_end (parser, out);
  g_assert_cmpstr (out->str, ==, "130\n" EXPECTED ", but the line has 1 word: \"4\"\n");
}

static void
test_sum_nul (void)
{
  static const char nul[] = "1\0002 3\n4 5\n";
  static const char lone_nul[] = "\0\n";

  assert_sum (nul, sizeof nul - 1, EXPECTED ", but \"1\\02\"" NOT_ONE "9\n");
  assert_sum (lone_nul, sizeof lone_nul - 1, EXPECTED ", but the line has 1 word: \"\\0\"\n");
}

static void
test_sum_long_numbers (void)
{
  /* 99…9 (5,000 nines) + 1 = 10…0, and -1 + 10…0 = 99…9 the other way. */
  g_autofree char *nines = g_strnfill (5000, '9');
  g_autofree char *zeros = g_strnfill (5000, '0');
  g_autofree char *input = g_strconcat (nines, " 1\n-1 1", zeros, "\n-1", zeros, " 1\n", NULL);
  g_autofree char *expected = g_strconcat ("1", zeros, "\n", nines, "\n-", nines, "\n", NULL);
  /* Two numbers of 8,000 digits: the line's bound leaves room for them.
   * 88…8 + 88…8 = 177…76. */
  g_autofree char *eights = g_strnfill (8000, '8');
  g_autofree char *sevens = g_strnfill (7999, '7');
  g_autofree char *two_long = g_strconcat (eights, " ", eights, "\n", NULL);
  g_autofree char *sum_of_two = g_strconcat ("1", sevens, "6\n", NULL);

  assert_sum (input, strlen (input), expected);
  assert_sum (two_long, strlen (two_long), sum_of_two);
}

static void
test_sum_line_bound (void)
{
  const gsize max = SCOPE_SUM_MAX_LINE;
  g_autofree char *too_long = g_strdup_printf (EXPECTED ", but the line is longer than %"
                                               G_GSIZE_FORMAT " bytes\n", max);
  /* "1…12 1" is exactly as long as the bound allows, with LF or CR LF. */
  g_autofree char *ones = g_strnfill (max - 3, '1');
  g_autofree char *at_bound = g_strconcat (ones, "2 1\n", NULL);
  g_autofree char *at_bound_crlf = g_strconcat (ones, "2 1\r\n", NULL);
  g_autofree char *sum_at_bound = g_strconcat (ones, "3\n", NULL);
  /* One byte more is refused, and the next line counts again. */
  g_autofree char *past_bound = g_strconcat (ones, "2 11\n5 6\n", NULL);
  g_autofree char *expected_past = g_strconcat (too_long, "11\n", NULL);
  /* A line that does not end: refused once, the rest dropped up to its
   * newline however it comes, and then the sums go on. */
  g_autofree char *endless = g_strnfill (10 * max, '7');
  g_autofree char *after_endless = g_strconcat (endless, "\n4 5\n", NULL);
  g_autofree char *expected_endless = g_strconcat (too_long, "9\n", NULL);
  g_autofree char *unfinished = NULL;

  g_assert_cmpuint (strlen (at_bound), ==, max + 1);
  assert_sum (at_bound, strlen (at_bound), sum_at_bound);
  assert_sum (at_bound_crlf, strlen (at_bound_crlf), sum_at_bound);
  assert_sum (past_bound, strlen (past_bound), expected_past);
  assert_sum (after_endless, strlen (after_endless), expected_endless);

  /* Still going when the peer ends: refused once, not twice. */
  unfinished = sum_answers (endless, strlen (endless), 1000, TRUE);
  g_assert_cmpstr (unfinished, ==, too_long);
}

static char *
http_answer (const char *request,
             gsize       length,
             gsize       chunk,
             gboolean    end,
             gboolean   *answered)
{
  g_autoptr(ScopeHttpParser) parser = scope_http_parser_new ();
  GString *out = g_string_new (NULL);

  *answered = FALSE;
  for (gsize i = 0; i < length && !*answered; i += chunk)
    *answered = scope_http_parser_feed (parser, (const guint8 *) request + i,
                                        MIN (chunk, length - i), out);
  if (end && !*answered)
    *answered = scope_http_parser_end (parser, out);
  return g_string_free (out, FALSE);
}

static void
assert_status (const char *request,
               gsize       length,
               gboolean    end,
               const char *status)
{
  gsize chunks[] = { 1, 2, 7, MAX (length, 1) };

  for (gsize i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      gboolean answered;
      g_autofree char *answer = http_answer (request, length, chunks[i], end, &answered);
      g_autofree char *first_line = g_strconcat ("HTTP/1.1 ", status, "\r\n", NULL);

      g_assert_true (answered);
      g_assert_true (g_str_has_prefix (answer, first_line));
      /* One answer, whatever comes after it. */
      g_assert_null (strstr (answer + 1, "HTTP/1.1 "));
    }
}

static void
test_http (void)
{
  static const char nul[] = "GET /\0 HTTP/1.1\r\n\r\n";
  g_autofree char *huge = g_strnfill (SCOPE_PROTOCOL_MAX_REQUEST + 1, 'a');
  gboolean answered;
  g_autofree char *head = NULL;
  g_autofree char *waiting = NULL;
  const char *body;

  assert_status ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, FALSE, "200 OK");
  assert_status ("GET / HTTP/1.0\n\n", 16, FALSE, "200 OK");
  assert_status ("POST / HTTP/1.1\r\n\r\n", 19, FALSE, "405 Method Not Allowed");
  assert_status ("hello\r\n\r\n", 9, FALSE, "400 Bad Request");
  assert_status ("GET / HTTP/1.1\n", 15, TRUE, "200 OK");
  assert_status ("GET", 3, TRUE, "400 Bad Request");
  assert_status (nul, sizeof nul - 1, FALSE, "400 Bad Request");
  assert_status (huge, strlen (huge), FALSE, "431 Request Header Fields Too Large");

  /* HEAD: the same head, no body; the length is the body's. */
  head = http_answer ("HEAD / HTTP/1.1\r\n\r\n", 19, 19, FALSE, &answered);
  g_assert_true (g_str_has_suffix (head, "\r\n\r\n"));
  g_assert_nonnull (strstr (head, "Content-Length: "));
  body = strstr (head, "\r\n\r\n") + 4;
  g_assert_cmpstr (body, ==, "");

  /* Not a whole head yet: nothing answered. */
  waiting = http_answer ("GET / HTTP/1.1\r\nHost: x\r\n", 25, 25, FALSE, &answered);
  g_assert_false (answered);
  g_assert_cmpstr (waiting, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocols/sum", test_sum);
  g_test_add_func ("/protocols/sum-waits-for-the-line", test_sum_waits_for_the_line);
  g_test_add_func ("/protocols/sum-nul", test_sum_nul);
  g_test_add_func ("/protocols/sum-long-numbers", test_sum_long_numbers);
  g_test_add_func ("/protocols/sum-line-bound", test_sum_line_bound);
  g_test_add_func ("/protocols/http", test_http);
  return g_test_run ();
}
