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
            const char *expected)
{
  /* Whole, then a byte at a time: TCP may cut the stream anywhere. */
  gsize length = strlen (input);

  gsize chunks[] = { 1, 2, 7, MAX (length, 1) };

  for (gsize i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autofree char *answers = sum_answers (input, length, chunks[i], TRUE);

      g_assert_cmpstr (answers, ==, expected);
    }
}

static void
test_sum (void)
{
  assert_sum ("2 3\n", "5\n");
  assert_sum ("1 2 3 4", "3\n7\n");
  assert_sum ("9223372036854775807 9223372036854775807\n", "18446744073709551614\n");
  assert_sum ("-9223372036854775808 -1\n", "-9223372036854775809\n");
  assert_sum ("0.1 0.2\n", "0.30000000000000004\n");
  assert_sum ("1e308 1e308\n", "error: the sum is too large for a number\n");
  /* A bad token drops the sum it was in; the next two make the next one. */
  assert_sum ("two 3 4\n", "error: \"two\" is not a number\n7\n");
  assert_sum ("1 nan 2 2\n", "error: \"nan\" is not a number\n4\n");
  assert_sum ("\x1b[31m\n", "error: \"\\033[31m\" is not a number\n");
  assert_sum ("5\n", "error: a second number is missing\n");
  assert_sum ("", "");
}

static void
test_sum_odd_bytes (void)
{
  static const char nul[] = "1\0002 3 4\n";
  g_autofree char *long_token = g_strnfill (65, '1');
  g_autofree char *endless = g_strnfill (SCOPE_PROTOCOL_MAX_REQUEST + 10, '7');
  g_autofree char *answers = sum_answers (nul, sizeof nul - 1, 2, TRUE);
  g_autofree char *too_long = NULL;
  g_autofree char *never_ends = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpstr (answers, ==, "error: a number with a NUL byte in it\n7\n");
  too_long = g_strconcat (long_token, " 1 2\n", NULL);
  assert_sum (too_long, "error: a number of more than 64 characters\n3\n");

  /* A token that never ends is refused once, the rest of it dropped up to
   * the next white space, and then the sums go on. */
  after = g_strconcat (endless, " 4 5\n", NULL);
  never_ends = sum_answers (after, strlen (after), 1000, TRUE);
  g_assert_cmpstr (never_ends, ==, "error: a number of more than 64 characters\n9\n");
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
  g_test_add_func ("/protocols/sum-odd-bytes", test_sum_odd_bytes);
  g_test_add_func ("/protocols/http", test_http);
  return g_test_run ();
}
