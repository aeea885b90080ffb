/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the servers' protocols: the sum and the tiny HTTP
 * server, fed what a peer might send, cut into chunks where the input's
 * first byte says. An input with no newline is also sent to the sum over
 * and over, so that its line outgrows SCOPE_SUM_MAX_LINE: libFuzzer's
 * inputs stop at 4 KiB here, and it tries short ones faster. Whatever the
 * input:
 *   - the answers are the same whole and in chunks, as TCP may cut a
 *     stream anywhere;
 *   - the sum answers each line with exactly one line of printable ASCII:
 *     a number written plainly, or "error: expected two integers…"; and
 *     two numbers small enough for 64 bits get the sum the C compiler
 *     makes of them;
 *   - HTTP answers exactly once, with a status line and a Content-Length
 *     that is the body's. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scope-protocols.h"
#include "fuzz-check.h"

#define SUM_ERROR "error: expected two integers, e.g. 17 25, but "

static GString *
sum (const guint8 *data,
     size_t        size,
     guint         times,
     gsize         chunk)
{
  g_autoptr(ScopeSumParser) parser = scope_sum_parser_new ();
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < times; t++)
    for (gsize i = 0; i < size; i += chunk)
      scope_sum_parser_feed (parser, data + i, MIN (chunk, size - i), out);
  scope_sum_parser_end (parser, out);
  return out;
}

static gboolean
is_blank (char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/* A word of at most 18 digits, with an optional sign: its value. */
static gboolean
small_integer (const char *word,
               gsize       length,
               gint64     *value)
{
  gsize digits = length > 0 && (word[0] == '+' || word[0] == '-') ? length - 1 : length;
  char text[24];

  if (digits == 0 || digits > 18)
    return FALSE;
  for (gsize i = length - digits; i < length; i++)
    if (!g_ascii_isdigit (word[i]))
      return FALSE;
  memcpy (text, word, length);
  text[length] = '\0';
  *value = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

/* The sum a line of two small integers must have, written out; NULL for
 * any other line, whose answer is checked for its form only. */
static char *
expected_sum (const char *line,
              gsize       length)
{
  const char *words[2];
  gsize lengths[2];
  guint n = 0;
  gint64 a, b;

  if (length > 0 && line[length - 1] == '\r')
    length--;
  if (length > SCOPE_SUM_MAX_LINE)
    return NULL;
  for (gsize i = 0; i < length;)
    {
      gsize start;

      while (i < length && is_blank (line[i]))
        i++;
      if (i == length)
        break;
      start = i;
      while (i < length && !is_blank (line[i]))
        i++;
      if (n == 2)
        return NULL;
      words[n] = line + start;
      lengths[n++] = i - start;
    }
  if (n != 2 || !small_integer (words[0], lengths[0], &a)
      || !small_integer (words[1], lengths[1], &b))
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT, a + b);
}

static void
check_sum_answers (const guint8 *data,
                   size_t        size,
                   guint         times,
                   GString      *answers)
{
  g_autoptr(GString) input = g_string_new (NULL);
  gsize offset = 0, answer_offset = 0;

  for (guint t = 0; t < times; t++)
    g_string_append_len (input, (const char *) data, size);

  CHECK (answers->len == 0 || answers->str[answers->len - 1] == '\n');
  for (gsize i = 0; i < answers->len; i++)
    CHECK (answers->str[i] == '\n' || (answers->str[i] >= 0x20 && answers->str[i] < 0x7f));

  /* One answer a line (a last line without its newline is a line too),
   * line by line in step, without a split: lines may be many. */
  while (offset < input->len)
    {
      const char *start = input->str + offset;
      const char *end = memchr (start, '\n', input->len - offset);
      gsize length = end != NULL ? (gsize) (end - start) : input->len - offset;
      g_autofree char *expected = expected_sum (start, length);
      const char *answer = answers->str + answer_offset;
      const char *answer_end;
      gsize answer_length, n_digits;
      gboolean minus;

      CHECK (answer_offset < answers->len);
      answer_end = memchr (answer, '\n', answers->len - answer_offset);
      answer_length = answer_end - answer;
      answer_offset += answer_length + 1;
      offset += length + 1;
      if (answer_length >= strlen (SUM_ERROR)
          && memcmp (answer, SUM_ERROR, strlen (SUM_ERROR)) == 0)
        {
          CHECK (expected == NULL);
          continue;
        }

      /* A number written plainly: no "+", no "-0", no leading zero; and
       * for two small integers the sum C makes of them. */
      minus = answer[0] == '-';
      n_digits = answer_length - minus;
      CHECK (n_digits > 0);
      for (gsize i = minus; i < answer_length; i++)
        CHECK (g_ascii_isdigit (answer[i]));
      CHECK (answer[minus] != '0' || (!minus && n_digits == 1));
      if (expected != NULL)
        CHECK (strlen (expected) == answer_length
               && memcmp (expected, answer, answer_length) == 0);
    }
  CHECK (answer_offset == answers->len);
}

static GString *
http (const guint8 *data,
      size_t        size,
      gsize         chunk)
{
  g_autoptr(ScopeHttpParser) parser = scope_http_parser_new ();
  GString *out = g_string_new (NULL);
  gboolean answered = FALSE;

  for (gsize i = 0; i < size && !answered; i += chunk)
    answered = scope_http_parser_feed (parser, data + i, MIN (chunk, size - i), out);
  if (!answered)
    CHECK (scope_http_parser_end (parser, out));
  return out;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  gsize chunk;
  guint times;
  g_autoptr(GString) sum_whole = NULL;
  g_autoptr(GString) sum_cut = NULL;
  g_autoptr(GString) http_whole = NULL;
  g_autoptr(GString) http_cut = NULL;

  if (size == 0)
    return 0;
  chunk = 1 + data[0] % 17;
  data++;
  size--;
  times = size > 0 && memchr (data, '\n', size) == NULL ? SCOPE_SUM_MAX_LINE / size + 2 : 1;

  sum_whole = sum (data, size, 1, MAX (size, 1));
  sum_cut = sum (data, size, 1, chunk);
  CHECK (g_string_equal (sum_whole, sum_cut));
  check_sum_answers (data, size, 1, sum_whole);
  if (times > 1)
    {
      g_autoptr(GString) sum_again = sum (data, size, times, chunk);

      check_sum_answers (data, size, times, sum_again);
    }

  http_whole = http (data, size, MAX (size, 1));
  http_cut = http (data, size, chunk);
  CHECK (g_string_equal (http_whole, http_cut));
  CHECK (g_str_has_prefix (http_whole->str, "HTTP/1.1 "));
  CHECK (strstr (http_whole->str + 1, "HTTP/1.1 ") == NULL);
  {
    const char *length = strstr (http_whole->str, "Content-Length: ");
    const char *body = strstr (http_whole->str, "\r\n\r\n");
    guint64 n;

    CHECK (length != NULL && body != NULL);
    n = g_ascii_strtoull (length + strlen ("Content-Length: "), NULL, 10);
    body += 4;
    /* HEAD has the length of the body it does not send. */
    CHECK (strlen (body) == n || strlen (body) == 0);
  }
  return 0;
}
