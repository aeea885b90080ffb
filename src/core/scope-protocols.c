/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-protocols.h"

/* The answers are for programs as much as for people: ASCII, one line or a
 * plain HTTP response, never a byte of the request echoed raw. */

/* ------------------------------------------------------------------------ */
/* Sum                                                                      */

/* What every error line begins with: what the server expected. */
#define SUM_EXPECTED "error: expected two integers, e.g. 17 25"
/* How much of a bad line an error shows: enough to recognize it. */
#define SUM_SHOWN_BYTES 40

struct _ScopeSumParser
{
  char    *line;        /* the line so far, without its newline */
  gsize    length;
  gsize    allocated;   /* at most SCOPE_SUM_MAX_LINE + 1: room for the CR of a CR LF */
  gboolean discarding;  /* in a line too long to read, until its newline */
};

ScopeSumParser *
scope_sum_parser_new (void)
{
  return g_new0 (ScopeSumParser, 1);
}

void
scope_sum_parser_free (ScopeSumParser *parser)
{
  if (parser == NULL)
    return;
  g_free (parser->line);
  g_free (parser);
}

/* White space as C's isspace() knows it in any locale: space, \t, \n,
 * \v, \f and \r (GLib's g_ascii_isspace() leaves out \v). */
static inline gboolean
is_blank (char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The peer's bytes in an answer: printable ASCII as it is, everything else
 * as the escapes of the Send box (\\, \0, \t, \r, \xHH), so no byte of the
 * request reaches the peer's terminal raw. The answers stay ASCII, for
 * programs: bytes past 0x7f are escaped too. Clipped to SUM_SHOWN_BYTES. */
static void
append_shown (GString    *out,
              const char *text,
              gsize       length)
{
  static const char hex[] = "0123456789abcdef";

  g_string_append_c (out, '"');
  for (gsize i = 0; i < MIN (length, SUM_SHOWN_BYTES); i++)
    {
      guint8 b = (guint8) text[i];

      switch (b)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\0':
          g_string_append (out, "\\0");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (b >= 0x20 && b < 0x7f)
            g_string_append_c (out, (char) b);
          else
            {
              g_string_append (out, "\\x");
              g_string_append_c (out, hex[b >> 4]);
              g_string_append_c (out, hex[b & 0xf]);
            }
        }
    }
  g_string_append_c (out, '"');
  if (length > SUM_SHOWN_BYTES)
    g_string_append (out, "...");
}

/* An integer as Python's int() reads one in base 10, less its separators:
 * an optional sign, then ASCII digits. "1_000" is refused: an underscore
 * is how Python source groups digits, not how other programs write them,
 * and the sum is for any client. Sets the sign and the digits without
 * their leading zeros ("0" for zero, which has no sign). */
static gboolean
parse_integer (const char  *word,
               gsize        length,
               gboolean    *negative,
               const char **digits,
               gsize       *n_digits)
{
  gsize i = 0;

  *negative = FALSE;
  if (length > 0 && (word[0] == '+' || word[0] == '-'))
    {
      *negative = word[0] == '-';
      i = 1;
    }
  if (i == length)
    return FALSE;   /* no digits: "", "+", "-" */
  for (gsize k = i; k < length; k++)
    if (!g_ascii_isdigit (word[k]))
      return FALSE;
  while (i + 1 < length && word[i] == '0')
    i++;
  *digits = word + i;
  *n_digits = length - i;
  if (*n_digits == 1 && **digits == '0')
    *negative = FALSE;
  return TRUE;
}

static int
compare_magnitudes (const char *a,
                    gsize       a_length,
                    const char *b,
                    gsize       b_length)
{
  if (a_length != b_length)
    return a_length < b_length ? -1 : 1;
  return memcmp (a, b, a_length);
}

/* The exact sum of two integers, as schoolchildren do it, digit by digit
 * from the right: as long as the numbers are, and in time that grows with
 * their length only. */
static void
append_sum (GString    *out,
            gboolean    a_negative,
            const char *a,
            gsize       a_length,
            gboolean    b_negative,
            const char *b,
            gsize       b_length)
{
  gsize size = MAX (a_length, b_length) + 1;
  g_autofree char *digits = g_malloc (size);
  gboolean negative;
  gsize start;
  int carry = 0;

  if (a_negative != b_negative && compare_magnitudes (a, a_length, b, b_length) < 0)
    {
      /* |a| < |b|: b - a, with b's sign. */
      const char *t = a;
      gsize t_length = a_length;
      gboolean t_negative = a_negative;

      a = b, a_length = b_length, a_negative = b_negative;
      b = t, b_length = t_length, b_negative = t_negative;
    }
  negative = a_negative;

  for (gsize i = 0; i < size; i++)
    {
      int x = i < a_length ? a[a_length - 1 - i] - '0' : 0;
      int y = i < b_length ? b[b_length - 1 - i] - '0' : 0;
      int d = a_negative == b_negative ? x + y + carry : x - y - carry;

      carry = d >= 10 || d < 0;
      digits[size - 1 - i] = (char) ('0' + (d + 10) % 10);
    }

  for (start = 0; start + 1 < size && digits[start] == '0'; start++)
    ;
  if (negative && !(size - start == 1 && digits[start] == '0'))
    g_string_append_c (out, '-');
  g_string_append_len (out, digits + start, size - start);
  g_string_append_c (out, '\n');
}

/* The answer to one line, without its line end. */
static void
sum_line (const char *line,
          gsize       length,
          GString    *out)
{
  const char *words[3];
  gsize lengths[3];
  guint n_words = 0;
  gsize i = 0;
  gsize first, last;
  gboolean negative[2];
  const char *digits[2];
  gsize n_digits[2];

  /* White space around the numbers and between them, as Python's split(). */
  while (i < length)
    {
      gsize start;

      while (i < length && is_blank (line[i]))
        i++;
      if (i == length)
        break;
      start = i;
      while (i < length && !is_blank (line[i]))
        i++;
      if (n_words < G_N_ELEMENTS (words))
        {
          words[n_words] = line + start;
          lengths[n_words] = i - start;
        }
      n_words++;
    }

  if (n_words == 0)
    {
      g_string_append (out, SUM_EXPECTED ", but the line is empty\n");
      return;
    }
  if (n_words != 2)
    {
      /* The line as sent, less the white space around it. */
      first = words[0] - line;
      for (last = length; last > first && is_blank (line[last - 1]); last--)
        ;
      g_string_append_printf (out, SUM_EXPECTED ", but the line has %u %s: ", n_words,
                              n_words == 1 ? "word" : "words");
      append_shown (out, line + first, last - first);
      g_string_append_c (out, '\n');
      return;
    }
  for (guint w = 0; w < 2; w++)
    if (!parse_integer (words[w], lengths[w], &negative[w], &digits[w], &n_digits[w]))
      {
        g_string_append (out, SUM_EXPECTED ", but ");
        append_shown (out, words[w], lengths[w]);
        g_string_append (out, " is not one: an integer is digits, with + or - before them "
                              "or not\n");
        return;
      }
  append_sum (out, negative[0], digits[0], n_digits[0], negative[1], digits[1], n_digits[1]);
}

static void
sum_line_ended (ScopeSumParser *parser,
                GString        *out)
{
  gsize length = parser->length;

  if (length > 0 && parser->line[length - 1] == '\r')
    length--;   /* CR LF */
  if (length > SCOPE_SUM_MAX_LINE)
    g_string_append_printf (out, SUM_EXPECTED ", but the line is longer than %d bytes\n",
                            SCOPE_SUM_MAX_LINE);
  else
    sum_line (parser->line, length, out);
  parser->length = 0;
}

/* Keeps @size more bytes of the line, as long as the line may grow. */
static gboolean
sum_keep (ScopeSumParser *parser,
          const guint8   *data,
          gsize           size)
{
  const gsize limit = SCOPE_SUM_MAX_LINE + 1;

  if (size == 0)
    return TRUE;   /* an empty line has nothing to keep, and no buffer yet */
  if (size > limit - parser->length)
    return FALSE;
  if (parser->length + size > parser->allocated)
    {
      parser->allocated = MIN (limit, MAX (MAX (parser->allocated * 2, 64),
                                           parser->length + size));
      parser->line = g_realloc (parser->line, parser->allocated);
    }
  memcpy (parser->line + parser->length, data, size);
  parser->length += size;
  return TRUE;
}

void
scope_sum_parser_feed (ScopeSumParser *parser,
                       const guint8   *data,
                       gsize           size,
                       GString        *out)
{
  g_return_if_fail (parser != NULL);
  g_return_if_fail (data != NULL || size == 0);

  while (size > 0)
    {
      const guint8 *newline = memchr (data, '\n', size);
      gsize part = newline != NULL ? (gsize) (newline - data) : size;

      if (!parser->discarding && !sum_keep (parser, data, part))
        {
          /* Too long to be two numbers of any use: refused now, once, and
           * the rest of it dropped as it comes. */
          g_string_append_printf (out, SUM_EXPECTED ", but the line is longer than %d bytes\n",
                                  SCOPE_SUM_MAX_LINE);
          parser->length = 0;
          parser->discarding = TRUE;
        }
      if (newline == NULL)
        return;
      if (parser->discarding)
        parser->discarding = FALSE;
      else
        sum_line_ended (parser, out);
      data = newline + 1;
      size -= part + 1;
    }
}

void
scope_sum_parser_end (ScopeSumParser *parser,
                      GString        *out)
{
  g_return_if_fail (parser != NULL);

  /* A last line without its newline is a line all the same. */
  if (!parser->discarding && parser->length > 0)
    sum_line_ended (parser, out);
  parser->discarding = FALSE;
  parser->length = 0;
}

/* ------------------------------------------------------------------------ */
/* HTTP                                                                     */

struct _ScopeHttpParser
{
  GString *input;
  gsize    searched;   /* the head's end does not begin before this, less 3 bytes */
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
  gsize from;

  g_return_val_if_fail (parser != NULL, TRUE);

  if (parser->answered)
    return TRUE;   /* answered already; the rest is ignored */

  g_string_append_len (parser->input, (const char *) data, size);
  /* The head ends at a blank line, CRLF or not, whichever comes first.
   * Only what is new is searched, and the three bytes before it, which may
   * begin the blank line: a peer that sends a byte at a time makes no
   * more work than one that sends its request whole. */
  from = parser->searched >= 3 ? parser->searched - 3 : 0;
  crlf = find_bytes (parser->input->str + from, parser->input->len - from, "\r\n\r\n");
  lf = find_bytes (parser->input->str + from, parser->input->len - from, "\n\n");
  parser->searched = parser->input->len;
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
