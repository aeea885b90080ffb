/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-service-search.h"

/* Between the names in a key: no query holds it (see _matches), so a match
 * never spans two names. */
#define KEY_SEPARATOR '\n'

struct _ScopeServiceSearch
{
  char                       *query;     /* stripped, as typed */
  char                       *lowered;   /* the same, lower case */
  gboolean                    numeric;   /* a port number, matched exactly */
  guint                       port;
  ScopeServiceSearchProtocol  protocol;
  int                         port_class;
};

ScopeServiceSearch *
scope_service_search_new (const char                 *query,
                          ScopeServiceSearchProtocol  protocol,
                          int                         port_class)
{
  ScopeServiceSearch *self = g_new0 (ScopeServiceSearch, 1);

  self->query = g_strstrip (g_strdup (query != NULL ? query : ""));
  self->lowered = g_ascii_strdown (self->query, -1);
  self->protocol = protocol;
  self->port_class = port_class;
  if (self->query[0] != '\0' && strspn (self->query, "0123456789") == strlen (self->query))
    {
      guint64 port;

      self->numeric = TRUE;
      /* A number past 65535 is no port: it matches nothing. */
      self->port = g_ascii_string_to_unsigned (self->query, 10, 0, 65535, &port, NULL)
                   ? (guint) port : G_MAXUINT;
    }
  return self;
}

void
scope_service_search_free (ScopeServiceSearch *self)
{
  if (self == NULL)
    return;
  g_free (self->query);
  g_free (self->lowered);
  g_free (self);
}

gboolean
scope_service_search_equal (const ScopeServiceSearch *a,
                            const ScopeServiceSearch *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_str_equal (a->query, b->query) && a->protocol == b->protocol
         && a->port_class == b->port_class;
}

static gboolean
query_narrows (const ScopeServiceSearch *self,
               const ScopeServiceSearch *looser)
{
  if (looser->query[0] == '\0')
    return TRUE;
  if (self->numeric || looser->numeric)
    return g_str_equal (self->query, looser->query);
  /* A name that holds the longer text holds the shorter. */
  return strstr (self->lowered, looser->lowered) != NULL;
}

gboolean
scope_service_search_narrows (const ScopeServiceSearch *self,
                              const ScopeServiceSearch *looser)
{
  g_return_val_if_fail (self != NULL && looser != NULL, FALSE);

  return (looser->protocol == SCOPE_SERVICE_SEARCH_ANY_PROTOCOL
          || looser->protocol == self->protocol)
         && (looser->port_class == SCOPE_SERVICE_SEARCH_ANY_CLASS
             || looser->port_class == self->port_class)
         && query_narrows (self, looser);
}

gboolean
scope_service_search_matches (const ScopeServiceSearch *self,
                              ScopeService             *service,
                              const char               *key)
{
  const char *protocol;

  g_return_val_if_fail (self != NULL, FALSE);

  protocol = scope_service_get_protocol (service);
  if (self->protocol == SCOPE_SERVICE_SEARCH_TCP && g_strcmp0 (protocol, "tcp") != 0)
    return FALSE;
  if (self->protocol == SCOPE_SERVICE_SEARCH_UDP && g_strcmp0 (protocol, "udp") != 0)
    return FALSE;
  if (self->port_class != SCOPE_SERVICE_SEARCH_ANY_CLASS
      && (int) scope_service_get_port_class (service) != self->port_class)
    return FALSE;
  if (self->query[0] == '\0')
    return TRUE;
  if (self->numeric)
    return scope_service_get_port (service) == self->port;
  /* A query that holds the separator could match across two names. */
  if (key == NULL || strchr (self->lowered, KEY_SEPARATOR) != NULL)
    return scope_service_matches (service, self->query);
  return strstr (key, self->lowered) != NULL;
}

char *
scope_service_search_key (ScopeService *service)
{
  const char * const *aliases = scope_service_get_aliases (service);
  GString *key = g_string_new (scope_service_get_name (service));

  for (guint i = 0; aliases[i] != NULL; i++)
    {
      g_string_append_c (key, KEY_SEPARATOR);
      g_string_append (key, aliases[i]);
    }
  g_string_ascii_down (key);
  return g_string_free (key, FALSE);
}
