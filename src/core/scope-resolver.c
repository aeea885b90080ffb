/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#ifdef G_OS_UNIX
#include <sys/socket.h>
#endif

#include "scope-resolver-private.h"

/* The Lookup page's questions: what is asked (a kind, a name or address, a
 * service, hints), kept as plain fields that the page, the command line
 * and the history copy. The resolver's other files answer them:
 * -validate.c checks them, -code.c writes them as Python and C, -names.c
 * and -records.c ask the C library and DNS, -result.c keeps the answer,
 * -text.c makes text from outside safe to show, -run.c runs it all in a
 * worker thread. */

G_DEFINE_QUARK (scope-resolver-error-quark, scope_resolver_error)
G_DEFINE_QUARK (scope-gai-error-quark, scope_gai_error)

G_DEFINE_BOXED_TYPE (ScopeLookupRequest, scope_lookup_request,
                     scope_lookup_request_copy, scope_lookup_request_free)

static const char *kind_names[] = {
  [SCOPE_LOOKUP_ADDRINFO] = "addrinfo",
  [SCOPE_LOOKUP_HOST] = "host",
  [SCOPE_LOOKUP_REVERSE] = "reverse",
  [SCOPE_LOOKUP_SERVICE] = "service",
  [SCOPE_LOOKUP_RECORDS] = "records",
  [SCOPE_LOOKUP_ME] = "me",
};

const char *
scope_lookup_kind_to_string (ScopeLookupKind kind)
{
  g_return_val_if_fail (kind <= SCOPE_LOOKUP_ME, NULL);

  return kind_names[kind];
}

ScopeLookupRequest *
scope_lookup_request_new (ScopeLookupKind  kind,
                          const char      *query)
{
  ScopeLookupRequest *request = g_new0 (ScopeLookupRequest, 1);

  request->kind = kind;
  request->query = g_strdup (query != NULL ? query : "");
  request->family = AF_UNSPEC;
  return request;
}

ScopeLookupRequest *
scope_lookup_request_copy (const ScopeLookupRequest *request)
{
  ScopeLookupRequest *copy = g_memdup2 (request, sizeof *request);

  copy->query = g_strdup (request->query);
  copy->service = g_strdup (request->service);
  return copy;
}

void
scope_lookup_request_free (ScopeLookupRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->query);
  g_free (request->service);
  g_free (request);
}
