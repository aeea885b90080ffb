/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "scope-report.h"

G_BEGIN_DECLS

/* The Lookup page's questions, and the command line's "lookup" subcommands. */
typedef enum
{
  SCOPE_LOOKUP_ADDRINFO,   /* getaddrinfo (host, service, hints) */
  SCOPE_LOOKUP_HOST,       /* gethostbyname_ex: canonical name, aliases, addresses */
  SCOPE_LOOKUP_REVERSE,    /* getnameinfo, gethostbyaddr, GResolver, getfqdn */
  SCOPE_LOOKUP_SERVICE,    /* getservbyname / getservbyport */
  SCOPE_LOOKUP_RECORDS,    /* MX, TXT, SRV, NS, SOA through GResolver */
  SCOPE_LOOKUP_ME,         /* this machine's names and interfaces */
} ScopeLookupKind;

/* Which DNS records SCOPE_LOOKUP_RECORDS asks for. */
typedef enum
{
  SCOPE_RECORDS_ALL,
  SCOPE_RECORDS_MX,
  SCOPE_RECORDS_TXT,
  SCOPE_RECORDS_SRV,
  SCOPE_RECORDS_NS,
  SCOPE_RECORDS_SOA,
} ScopeRecordsType;

/* Which transport a service lookup asks about. */
typedef enum
{
  SCOPE_SERVICE_PROTO_BOTH,
  SCOPE_SERVICE_PROTO_TCP,
  SCOPE_SERVICE_PROTO_UDP,
} ScopeServiceProto;

#define SCOPE_RESOLVER_ERROR (scope_resolver_error_quark ())

typedef enum
{
  SCOPE_RESOLVER_ERROR_INVALID,     /* bad input: the message says what and where */
  SCOPE_RESOLVER_ERROR_NOT_FOUND,   /* a service that is not in the services database */
  SCOPE_RESOLVER_ERROR_TIMED_OUT,   /* no answer within the app's timeout */
} ScopeResolverError;

/* getaddrinfo()'s and getnameinfo()'s failures: the code is the EAI_* value
 * itself, the message says it in words and then names it. */
#define SCOPE_GAI_ERROR (scope_gai_error_quark ())

GQuark scope_resolver_error_quark (void);
GQuark scope_gai_error_quark      (void);

/* One question. Plain fields; the hints are the C library's own values
 * (AF_*, SOCK_*, IPPROTO_*, AI_*, NI_*), 0 for "any". */
typedef struct
{
  ScopeLookupKind   kind;
  char             *query;      /* host, address or service; empty for SCOPE_LOOKUP_ME */
  char             *service;    /* SCOPE_LOOKUP_ADDRINFO: service or port, or NULL */
  int               family;     /* AF_UNSPEC, AF_INET, AF_INET6 */
  int               socktype;   /* 0, SOCK_STREAM, SOCK_DGRAM */
  int               protocol;   /* 0, IPPROTO_TCP, IPPROTO_UDP */
  int               ai_flags;   /* AI_* for getaddrinfo */
  int               ni_flags;   /* NI_NAMEREQD, NI_NUMERICHOST for getnameinfo */
  ScopeServiceProto proto;      /* SCOPE_LOOKUP_SERVICE */
  ScopeRecordsType  records;    /* SCOPE_LOOKUP_RECORDS */
} ScopeLookupRequest;

#define SCOPE_TYPE_LOOKUP_REQUEST (scope_lookup_request_get_type ())

GType               scope_lookup_request_get_type (void) G_GNUC_CONST;
ScopeLookupRequest *scope_lookup_request_new      (ScopeLookupKind           kind,
                                                   const char               *query);
ScopeLookupRequest *scope_lookup_request_copy     (const ScopeLookupRequest *request);
void                scope_lookup_request_free     (ScopeLookupRequest       *request);
gboolean            scope_lookup_request_validate (const ScopeLookupRequest *request,
                                                   GError                  **error);
char               *scope_lookup_request_to_python (const ScopeLookupRequest *request);
char               *scope_lookup_request_to_c     (const ScopeLookupRequest *request);
gboolean            scope_resolver_validate_host  (const char               *host,
                                                   GError                  **error);
const char         *scope_lookup_kind_to_string   (ScopeLookupKind           kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeLookupRequest, scope_lookup_request_free)

/* An answer: sections of rows, each row a set of named cells (column keys
 * such as "family", "address", "port"), a one-line title and detail for the
 * page, and the text the copy button copies. A section is a section of a
 * report (scope-report.h). */
typedef struct _ScopeLookupResult ScopeLookupResult;
typedef ScopeReportSection ScopeLookupSection;

#define SCOPE_TYPE_LOOKUP_RESULT (scope_lookup_result_get_type ())

GType                     scope_lookup_result_get_type      (void) G_GNUC_CONST;
ScopeLookupResult        *scope_lookup_result_ref           (ScopeLookupResult *result);
void                      scope_lookup_result_unref         (ScopeLookupResult *result);
const ScopeLookupRequest *scope_lookup_result_get_request   (ScopeLookupResult *result);
gint64                    scope_lookup_result_get_elapsed_us (ScopeLookupResult *result);
const char * const       *scope_lookup_result_get_notes     (ScopeLookupResult *result);
guint                     scope_lookup_result_get_n_sections (ScopeLookupResult *result);
ScopeLookupSection       *scope_lookup_result_get_section   (ScopeLookupResult *result,
                                                             guint              index);
ScopeLookupSection       *scope_lookup_result_find_section  (ScopeLookupResult *result,
                                                             const char        *id);
JsonNode                 *scope_lookup_result_to_json       (ScopeLookupResult *result);
char                     *scope_lookup_result_to_text       (ScopeLookupResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeLookupResult, scope_lookup_result_unref)

/* Text that comes from outside the program, from a name server, the hosts
 * file or the services file, made harmless to show on a terminal or in a
 * label: control characters, NUL and bytes that are not UTF-8 become the
 * escapes of scope_payload_render_text() (\x1b, \0, \n, \xff), and nothing
 * is cut. _text() escapes a backslash too, so the text parses back to the
 * same bytes; _name() leaves a backslash alone, as the resolver writes an
 * odd byte of a DNS name as \DDD (ESC as \027) already. */
char               *scope_resolver_show_text     (const guint8             *data,
                                                  gsize                     length);
char               *scope_resolver_show_name     (const char               *name);

/* Runs the blocking C calls in a worker thread. timeout_ms > 0 gives up
 * after that long with SCOPE_RESOLVER_ERROR_TIMED_OUT (the worker's call
 * finishes on its own; its answer is dropped). */
void                scope_resolver_lookup_async  (const ScopeLookupRequest *request,
                                                  guint                     timeout_ms,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
ScopeLookupResult  *scope_resolver_lookup_finish (GAsyncResult             *result,
                                                  GError                  **error);
ScopeLookupResult  *scope_resolver_lookup        (const ScopeLookupRequest *request,
                                                  GCancellable             *cancellable,
                                                  GError                  **error);

G_END_DECLS
