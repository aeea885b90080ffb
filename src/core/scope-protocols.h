/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The little protocols of the one-click servers, apart from their sockets:
 * what a request is and what is answered. The servers feed them what they
 * read; the fuzzers feed them anything at all. */

#define SCOPE_PROTOCOL_MAX_REQUEST 8192   /* an HTTP request's head */

/* TCP sum: a line of two integers of any length ("17 25\n", "-5 3\r\n")
 * is answered with their exact sum ("42\n"); any other line with one line
 * "error: …" that says what was expected. Every line is answered on its
 * own: a bad one is forgotten whole. A line may be up to
 * SCOPE_SUM_MAX_LINE bytes long without its end (LF or CR LF), which is
 * also the most the parser ever holds; a longer one is refused once and
 * dropped up to its newline. */
#define SCOPE_SUM_MAX_LINE 16384          /* two numbers of 8,000 digits and more */

typedef struct _ScopeSumParser ScopeSumParser;

ScopeSumParser *scope_sum_parser_new  (void);
void            scope_sum_parser_free (ScopeSumParser *parser);
/* Appends the answers of the lines @data completes to @out. */
void            scope_sum_parser_feed (ScopeSumParser *parser,
                                       const guint8   *data,
                                       gsize           size,
                                       GString        *out);
/* The peer shut down writing: a last line without its newline is
 * answered too. */
void            scope_sum_parser_end  (ScopeSumParser *parser,
                                       GString        *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeSumParser, scope_sum_parser_free)

/* Tiny HTTP: one request, one answer (200 for GET and HEAD, 405 for other
 * methods, 400 for what is not HTTP, 431 for what is too long), then the
 * connection closes. */
typedef struct _ScopeHttpParser ScopeHttpParser;

ScopeHttpParser *scope_http_parser_new  (void);
void             scope_http_parser_free (ScopeHttpParser *parser);
/* Appends the answer to @out once the request is complete. Returns TRUE
 * once it has answered: the rest of what the peer sends is ignored. */
gboolean         scope_http_parser_feed (ScopeHttpParser *parser,
                                         const guint8    *data,
                                         gsize            size,
                                         GString         *out);
gboolean         scope_http_parser_end  (ScopeHttpParser *parser,
                                         GString         *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeHttpParser, scope_http_parser_free)

G_END_DECLS
