/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the servers' protocols: the sum and the tiny HTTP
 * server, fed what a peer might send, cut into chunks where the input's
 * first byte says. Whatever the input:
 *   - the answers are the same whole and in chunks, as TCP may cut a
 *     stream anywhere;
 *   - the sum answers in whole lines of printable ASCII;
 *   - HTTP answers exactly once, with a status line and a Content-Length
 *     that is the body's. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scope-protocols.h"
#include "fuzz-check.h"

static GString *
sum (const guint8 *data,
     size_t        size,
     gsize         chunk)
{
  g_autoptr(ScopeSumParser) parser = scope_sum_parser_new ();
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < size; i += chunk)
    scope_sum_parser_feed (parser, data + i, MIN (chunk, size - i), out);
  scope_sum_parser_end (parser, out);
  return out;
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
  g_autoptr(GString) sum_whole = NULL;
  g_autoptr(GString) sum_cut = NULL;
  g_autoptr(GString) http_whole = NULL;
  g_autoptr(GString) http_cut = NULL;

  if (size == 0)
    return 0;
  chunk = 1 + data[0] % 17;
  data++;
  size--;

  sum_whole = sum (data, size, MAX (size, 1));
  sum_cut = sum (data, size, chunk);
  CHECK (g_string_equal (sum_whole, sum_cut));
  CHECK (sum_whole->len == 0 || sum_whole->str[sum_whole->len - 1] == '\n');
  for (gsize i = 0; i < sum_whole->len; i++)
    CHECK (sum_whole->str[i] == '\n' || (sum_whole->str[i] >= 0x20 && sum_whole->str[i] < 0x7f));

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
