/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-services.h"

G_BEGIN_DECLS

/* The Ports page's search of the services database, made for a keystroke:
 * what was typed and chosen, parsed once; each entry's names lowered once
 * into a key; and whether a new search shows a subset of the last one, so
 * that only what is shown need be looked at again. */

/* Which protocols and port classes a search takes: the drop-downs. */
typedef enum
{
  SCOPE_SERVICE_SEARCH_ANY_PROTOCOL,
  SCOPE_SERVICE_SEARCH_TCP,
  SCOPE_SERVICE_SEARCH_UDP,
} ScopeServiceSearchProtocol;

#define SCOPE_SERVICE_SEARCH_ANY_CLASS (-1)

typedef struct _ScopeServiceSearch ScopeServiceSearch;

/* @port_class: a ScopePortClass, or SCOPE_SERVICE_SEARCH_ANY_CLASS */
ScopeServiceSearch *scope_service_search_new     (const char                 *query,
                                                  ScopeServiceSearchProtocol  protocol,
                                                  int                         port_class);
void                scope_service_search_free    (ScopeServiceSearch         *self);
gboolean            scope_service_search_equal   (const ScopeServiceSearch   *a,
                                                  const ScopeServiceSearch   *b);
/* Whether every entry @self shows, @looser shows too. */
gboolean            scope_service_search_narrows (const ScopeServiceSearch   *self,
                                                  const ScopeServiceSearch   *looser);
/* @key: from scope_service_search_key(); what scope_service_matches() and
 * the drop-downs would say */
gboolean            scope_service_search_matches (const ScopeServiceSearch   *self,
                                                  ScopeService               *service,
                                                  const char                 *key);
/* The service's name and aliases, lowered, in one string. */
char               *scope_service_search_key     (ScopeService               *service);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeServiceSearch, scope_service_search_free)

G_END_DECLS
