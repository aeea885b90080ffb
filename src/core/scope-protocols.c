/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scope-protocols.h"

/* The answers are for programs as much as for people: ASCII, one line or a
 * plain HTTP response, never a byte of the request echoed raw. */

/* ------------------------------------------------------------------------ */
/* Sum                                                                      */

#define MAX_NUMBER 64

struct _ScopeSumParser
{
  GString *input;
  char    *first_number;
  gboolean discarding;    /* the rest of an overlong token */
};

ScopeSumParser *
scope_sum_parser_new (void)
{
  ScopeSumParser *parser = g_new0 (ScopeSumParser, 1);

  parser->input = g_string_new (NULL);
  return parser;
}

void
scope_sum_parser_free (ScopeSumParser *parser)
{
  if (parser == NULL)
    return;
  g_string_free (parser->input, TRUE);
  g_free (parser->first_number);
  g_free (parser);
}

/* An exact sum of two 64-bit integers, as text: no overflow, no rounding. */
static void
append_exact_sum (GString *out,
                  gint64   a,
                  gint64   b)
{
  __int128 sum = (__int128) a + b;
  unsigned __int128 magnitude = sum < 0 ? -(unsigned __int128) sum : (unsigned __int128) sum;
  char digits[48];
  int i = sizeof digits - 1;

  digits[i] = '\0';
  do
    {
      digits[--i] = (char) ('0' + (int) (magnitude % 10));
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (sum < 0)
    digits[--i] = '-';
  g_string_append_printf (out, "%s\n", digits + i);
}

static void
sum_token (ScopeSumParser *parser,
           const char     *data,
           gsize           length,
           GString        *out)
{
  g_autofree char *token = NULL;
  gint64 a, b;
  double x, y;
  char *end;

  if (length > MAX_NUMBER)
    {
      g_string_append (out, "error: a number of more than 64 characters\n");
      g_clear_pointer (&parser->first_number, g_free);
      return;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      g_string_append (out, "error: a number with a NUL byte in it\n");
      g_clear_pointer (&parser->first_number, g_free);
      return;
    }
  token = g_strndup (data, length);

  x = g_ascii_strtod (token, &end);
  if (end == token || *end != '\0' || !isfinite (x))
    {
      /* The bad token shown as the peer sent it, minus control bytes. */
      g_autofree char *shown = g_strescape (token, NULL);

      g_string_append_printf (out, "error: \"%s\" is not a number\n", shown);
      g_clear_pointer (&parser->first_number, g_free);
      return;
    }

  if (parser->first_number == NULL)
    {
      parser->first_number = g_steal_pointer (&token);
      return;
    }

  if (g_ascii_string_to_signed (parser->first_number, 10, G_MININT64, G_MAXINT64, &a, NULL)
      && g_ascii_string_to_signed (token, 10, G_MININT64, G_MAXINT64, &b, NULL))
    append_exact_sum (out, a, b);
  else
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      y = g_ascii_strtod (parser->first_number, NULL);
      if (!isfinite (x + y))
        g_string_append (out, "error: the sum is too large for a number\n");
      else
        g_string_append_printf (out, "%s\n",
                                g_ascii_formatd (number, sizeof number, "%.17g", x + y));
    }
  g_clear_pointer (&parser->first_number, g_free);
}

/* A token is complete when white space follows it, or when the peer ends. */
static void
sum_take_tokens (ScopeSumParser *parser,
                 gboolean        at_end,
                 GString        *out)
{
  GString *input = parser->input;
  gsize start = 0;

  for (gsize i = 0; i <= input->len; i++)
    {
      gboolean space = i < input->len && g_ascii_isspace (input->str[i]);

      if (!space && !(i == input->len && at_end))
        continue;
      if (parser->discarding)
        parser->discarding = FALSE;  /* the end of an overlong token */
      else if (i > start)
        sum_token (parser, input->str + start, i - start, out);
      start = i + 1;
    }
  g_string_erase (input, 0, MIN (start, input->len));

  /* A token that never ends is not a number either: say so once, then
   * drop the rest of it up to the next white space. */
  if (input->len > SCOPE_PROTOCOL_MAX_REQUEST)
    {
      if (!parser->discarding)
        g_string_append (out, "error: a number of more than 64 characters\n");
      g_string_truncate (input, 0);
      g_clear_pointer (&parser->first_number, g_free);
      parser->discarding = TRUE;
    }
}

void
scope_sum_parser_feed (ScopeSumParser *parser,
                       const guint8   *data,
                       gsize           size,
                       GString        *out)
{
  g_return_if_fail (parser != NULL);

  g_string_append_len (parser->input, (const char *) data, size);
  sum_take_tokens (parser, FALSE, out);
}

void
scope_sum_parser_end (ScopeSumParser *parser,
                      GString        *out)
{
  g_return_if_fail (parser != NULL);

  sum_take_tokens (parser, TRUE, out);
  if (parser->first_number != NULL)
    {
      g_string_append (out, "error: a second number is missing\n");
      g_clear_pointer (&parser->first_number, g_free);
    }
}

/* ------------------------------------------------------------------------ */
/* HTTP                                                                     */

struct _ScopeHttpParser
{
  GString *input;
  gboolean answered;
};

static const char http_page[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"en\">\n"
  "<head><meta charset=\"utf-8\"><title>Sockscope</title></head>\n"
  "<body>\n"
  "<h1>Hello from Sockscope</h1>\n"
  "<p>This page came from the tiny HTTP server of Sockscope, over a socket you can watch.</p>\n"
  "</body>\n"
  "</html>\n";

ScopeHttpParser *
scope_http_parser_new (void)
{
  ScopeHttpParser *parser = g_new0 (ScopeHttpParser, 1);

  parser->input = g_string_new (NULL);
  return parser;
}

void
scope_http_parser_free (ScopeHttpParser *parser)
{
  if (parser == NULL)
    return;
  g_string_free (parser->input, TRUE);
  g_free (parser);
}

static void
respond (ScopeHttpParser *parser,
         GString         *out,
         const char      *status,
         const char      *extra_headers,
         const char      *content_type,
         const char      *body,
         gboolean         head_only)
{
  g_string_append_printf (out,
                          "HTTP/1.1 %s\r\n"
                          "Server: Sockscope/" PACKAGE_VERSION "\r\n"
                          "Content-Type: %s; charset=utf-8\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "%s"
                          "Connection: close\r\n"
                          "\r\n",
                          status, content_type, strlen (body), extra_headers);
  if (!head_only)
    g_string_append (out, body);
  parser->answered = TRUE;
}

/* The first @needle in the first @length bytes, NUL bytes and all. */
static const char *
find_bytes (const char *haystack,
            gsize       length,
            const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return haystack + i;
  return NULL;
}

static void
answer (ScopeHttpParser *parser,
        GString         *out,
        gsize            head_length)
{
  const char *text = parser->input->str;
  const char *line_end = find_bytes (text, head_length, "\n");
  g_auto(GStrv) request_line = NULL;
  g_autofree char *line = NULL;
  gboolean head;

  if (line_end == NULL || memchr (text, '\0', head_length) != NULL)
    {
      respond (parser, out, "400 Bad Request", "", "text/plain",
               "Bad request: expected \"METHOD /path HTTP/1.1\"\n", FALSE);
      return;
    }
  line = g_strndup (text, line_end - text);
  g_strchomp (line);
  request_line = g_strsplit (line, " ", -1);
  if (g_strv_length (request_line) != 3 || request_line[0][0] == '\0'
      || request_line[1][0] == '\0' || !g_str_has_prefix (request_line[2], "HTTP/1."))
    {
      respond (parser, out, "400 Bad Request", "", "text/plain",
               "Bad request: expected \"METHOD /path HTTP/1.1\"\n", FALSE);
      return;
    }

  head = g_str_equal (request_line[0], "HEAD");
  if (g_str_equal (request_line[0], "GET") || head)
    respond (parser, out, "200 OK", "", "text/html", http_page, head);
  else
    respond (parser, out, "405 Method Not Allowed", "Allow: GET, HEAD\r\n", "text/plain",
             "Method not allowed: this server answers GET and HEAD\n", FALSE);
}

gboolean
scope_http_parser_feed (ScopeHttpParser *parser,
                        const guint8    *data,
                        gsize            size,
                        GString         *out)
{
  const char *crlf, *lf;

  g_return_val_if_fail (parser != NULL, TRUE);

  if (parser->answered)
    return TRUE;   /* answered already; the rest is ignored */

  g_string_append_len (parser->input, (const char *) data, size);
  /* The head ends at a blank line, CRLF or not, whichever comes first. */
  crlf = find_bytes (parser->input->str, parser->input->len, "\r\n\r\n");
  lf = find_bytes (parser->input->str, parser->input->len, "\n\n");
  if (crlf != NULL && (lf == NULL || crlf < lf))
    answer (parser, out, crlf - parser->input->str + 4);
  else if (lf != NULL)
    answer (parser, out, lf - parser->input->str + 2);
  else if (parser->input->len > SCOPE_PROTOCOL_MAX_REQUEST)
    respond (parser, out, "431 Request Header Fields Too Large", "", "text/plain",
             "The request is larger than this tiny server reads\n", FALSE);
  return parser->answered;
}

gboolean
scope_http_parser_end (ScopeHttpParser *parser,
                       GString         *out)
{
  g_return_val_if_fail (parser != NULL, TRUE);

  if (parser->answered)
    return TRUE;
  if (find_bytes (parser->input->str, parser->input->len, "\n") != NULL)
    answer (parser, out, parser->input->len);
  else
    respond (parser, out, "400 Bad Request", "", "text/plain",
             "Bad request: it ended before its first line did\n", FALSE);
  return TRUE;
}
