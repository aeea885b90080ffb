/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-report.h"
#include "scope-resolver.h"

G_BEGIN_DECLS

/* What the resolver's files share among themselves, and no one else. */

struct _ScopeLookupResult
{
  gatomicrefcount     ref_count;
  ScopeLookupRequest *request;
  gint64              elapsed_us;
  GPtrArray          *notes;
  ScopeReport        *report;    /* the sections */
};

static inline const char *
_scope_empty_to_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* scope-resolver-validate.c: AF_INET or AF_INET6 when @text is an address
 * as inet_pton() reads it (an IPv6 one with an optional "%scope"), else
 * AF_UNSPEC. */
int                 _scope_literal_family     (const char               *text);

/* scope-resolver-result.c */
ScopeLookupResult  *_scope_result_new         (const ScopeLookupRequest *request);
void                _scope_add_note           (ScopeLookupResult        *result,
                                               const char               *format,
                                               ...) G_GNUC_PRINTF (2, 3);
/* The columns follow @explanation, a NULL-terminated list of keys. */
ScopeLookupSection *_scope_add_section        (ScopeLookupResult        *result,
                                        const char               *id,
                                        const char               *title,
                                        const char               *explanation,
                                        ...) G_GNUC_NULL_TERMINATED;
/* The cells follow @copy, one per column, each a string or NULL; an
 * empty one is none. */
void                _scope_add_row            (ScopeLookupSection       *section,
                                               const char               *title,
                                               const char               *detail,
                                               const char               *copy,
                                               ...);

/* scope-resolver-text.c: a name the resolver returned, shown safely, with
 * its Unicode form beside an ACE ("xn--") one. */
char               *_scope_show_name_and_unicode (const char            *name);

/* scope-resolver-names.c: the helpers the records share */
void                _scope_set_gai_error      (GError                  **error,
                                               int                       code);
char               *_scope_ascii_name         (ScopeLookupResult        *result,
                                               const char               *name);
void                _scope_section_error      (ScopeLookupSection       *section,
                                               const GError             *error);
/* The addresses getaddrinfo() gives @name for a stream socket, as text;
 * when it fails, @section says why. */
GPtrArray          *_scope_stream_addresses   (const char               *name,
                                               ScopeLookupSection       *section);

/* The lookups, each filling @result; run in a worker thread. */
gboolean            _scope_lookup_addrinfo    (ScopeLookupResult        *result,
                                               GError                  **error);
gboolean            _scope_lookup_host        (ScopeLookupResult        *result,
                                               GError                  **error);
gboolean            _scope_lookup_reverse     (ScopeLookupResult        *result,
                                               GCancellable             *cancellable,
                                               GError                  **error);
gboolean            _scope_lookup_service     (ScopeLookupResult        *result,
                                               GError                  **error);
gboolean            _scope_lookup_me          (ScopeLookupResult        *result,
                                               GError                  **error);
/* scope-resolver-records.c */
gboolean            _scope_lookup_records     (ScopeLookupResult        *result,
                                               GCancellable             *cancellable,
                                               GError                  **error);

G_END_DECLS
