/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#ifdef G_OS_UNIX
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include "scope-lookup-choices.h"
#include "scope-resolver.h"

/* Each flag is listed where this C library has it; the rest are left out. */

static const ScopeLookupChoice families[] = {
  { AF_UNSPEC, "AF_UNSPEC", "any", N_("Any (AF_UNSPEC)"), NULL },
  { AF_INET, "AF_INET", "ipv4", N_("IPv4 (AF_INET)"), NULL },
  { AF_INET6, "AF_INET6", "ipv6", N_("IPv6 (AF_INET6)"), NULL },
};

static const ScopeLookupChoice socktypes[] = {
  { 0, "0", "any", N_("Any (0)"), NULL },
  { SOCK_STREAM, "SOCK_STREAM", "stream", N_("Stream (SOCK_STREAM)"), NULL },
  { SOCK_DGRAM, "SOCK_DGRAM", "dgram", N_("Datagram (SOCK_DGRAM)"), NULL },
  { SOCK_RAW, "SOCK_RAW", NULL, NULL, NULL },
};

static const ScopeLookupChoice protocols[] = {
  { 0, "0", "any", N_("Any (0)"), NULL },
  { IPPROTO_TCP, "IPPROTO_TCP", "tcp", N_("TCP (IPPROTO_TCP)"), NULL },
  { IPPROTO_UDP, "IPPROTO_UDP", "udp", N_("UDP (IPPROTO_UDP)"), NULL },
  { IPPROTO_IP, "IPPROTO_IP", NULL, NULL, NULL },
};

static const ScopeLookupChoice ai_flags[] = {
  { AI_CANONNAME, "AI_CANONNAME", "canonname", NULL, N_("Also give the canonical name") },
  { AI_PASSIVE, "AI_PASSIVE", "passive", NULL,
    N_("Addresses for a server to bind: the wildcard when there is no host") },
  { AI_NUMERICHOST, "AI_NUMERICHOST", "numerichost", NULL,
    N_("The host must be a literal address: no name lookup") },
#ifdef AI_NUMERICSERV
  { AI_NUMERICSERV, "AI_NUMERICSERV", "numericserv", NULL,
    N_("The service must be a port number") },
#endif
#ifdef AI_ADDRCONFIG
  { AI_ADDRCONFIG, "AI_ADDRCONFIG", "addrconfig", NULL,
    N_("Only families this machine has an address of") },
#endif
#ifdef AI_V4MAPPED
  { AI_V4MAPPED, "AI_V4MAPPED", "v4mapped", NULL,
    N_("For IPv6 with no IPv6 address, give IPv4-mapped ones") },
#endif
#ifdef AI_ALL
  { AI_ALL, "AI_ALL", "all", NULL,
    N_("With AI_V4MAPPED, give IPv6 and IPv4-mapped addresses both") },
#endif
};

static const ScopeLookupChoice ni_flags[] = {
  { NI_NAMEREQD, "NI_NAMEREQD", "namereqd", NULL, N_("Fail when the address has no name") },
  { NI_NUMERICHOST, "NI_NUMERICHOST", "numerichost", NULL,
    N_("Give the address as text: look nothing up") },
};

static const ScopeLookupChoice service_protos[] = {
  { SCOPE_SERVICE_PROTO_BOTH, NULL, "both", N_("TCP and UDP"), NULL },
  { SCOPE_SERVICE_PROTO_TCP, NULL, "tcp", N_("TCP"), NULL },
  { SCOPE_SERVICE_PROTO_UDP, NULL, "udp", N_("UDP"), NULL },
};

/* The record types are their own names in every language. */
static const ScopeLookupChoice records[] = {
  { SCOPE_RECORDS_ALL, NULL, "all", N_("All Five"), NULL },
  { SCOPE_RECORDS_MX, NULL, "mx", "MX", NULL },
  { SCOPE_RECORDS_TXT, NULL, "txt", "TXT", NULL },
  { SCOPE_RECORDS_SRV, NULL, "srv", "SRV", NULL },
  { SCOPE_RECORDS_NS, NULL, "ns", "NS", NULL },
  { SCOPE_RECORDS_SOA, NULL, "soa", "SOA", NULL },
};

#define SET(table) { table, G_N_ELEMENTS (table) }

static const struct
{
  const ScopeLookupChoice *choices;
  guint                    n;
} sets[] = {
  [SCOPE_LOOKUP_CHOICE_FAMILY] = SET (families),
  [SCOPE_LOOKUP_CHOICE_SOCKTYPE] = SET (socktypes),
  [SCOPE_LOOKUP_CHOICE_PROTOCOL] = SET (protocols),
  [SCOPE_LOOKUP_CHOICE_AI_FLAG] = SET (ai_flags),
  [SCOPE_LOOKUP_CHOICE_NI_FLAG] = SET (ni_flags),
  [SCOPE_LOOKUP_CHOICE_SERVICE_PROTO] = SET (service_protos),
  [SCOPE_LOOKUP_CHOICE_RECORDS] = SET (records),
};

const ScopeLookupChoice *
scope_lookup_choices (ScopeLookupChoiceSet  set,
                      guint                *n_choices,
                      guint                *n_offered)
{
  guint offered = 0;

  g_return_val_if_fail (set < G_N_ELEMENTS (sets), NULL);

  while (offered < sets[set].n && sets[set].choices[offered].name != NULL)
    offered++;
  if (n_choices != NULL)
    *n_choices = sets[set].n;
  if (n_offered != NULL)
    *n_offered = offered;
  return sets[set].choices;
}

const ScopeLookupChoice *
scope_lookup_choice_find (ScopeLookupChoiceSet set,
                          int                  value)
{
  guint n;
  const ScopeLookupChoice *choices = scope_lookup_choices (set, &n, NULL);

  for (guint i = 0; i < n; i++)
    if (choices[i].value == value)
      return &choices[i];
  return NULL;
}

const char *
scope_lookup_choice_constant (ScopeLookupChoiceSet set,
                              int                  value)
{
  const ScopeLookupChoice *choice = scope_lookup_choice_find (set, value);

  return choice != NULL ? choice->constant : NULL;
}

const ScopeLookupChoice *
scope_lookup_choice_from_name (ScopeLookupChoiceSet  set,
                               const char           *name)
{
  guint n;
  const ScopeLookupChoice *choices = scope_lookup_choices (set, NULL, &n);

  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (choices[i].name, name) == 0)
      return &choices[i];
  return NULL;
}

char *
scope_lookup_choice_names (ScopeLookupChoiceSet set)
{
  guint n;
  const ScopeLookupChoice *choices = scope_lookup_choices (set, NULL, &n);
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", choices[i].name);
  return g_string_free (list, FALSE);
}

guint
scope_lookup_choice_position (ScopeLookupChoiceSet set,
                              int                  value)
{
  guint n;
  const ScopeLookupChoice *choices = scope_lookup_choices (set, NULL, &n);

  for (guint i = 0; i < n; i++)
    if (choices[i].value == value)
      return i;
  return 0;
}

int
scope_lookup_choice_value (ScopeLookupChoiceSet set,
                           guint                position)
{
  guint n;
  const ScopeLookupChoice *choices = scope_lookup_choices (set, NULL, &n);

  return choices[position < n ? position : 0].value;
}

char *
scope_lookup_choice_join_flags (ScopeLookupChoiceSet set,
                                int                  flags,
                                gboolean             python)
{
  guint n;
  const ScopeLookupChoice *choices = scope_lookup_choices (set, &n, NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    if (flags & choices[i].value)
      g_string_append_printf (text, "%s%s%s", text->len > 0 ? " | " : "",
                              python ? "socket." : "", choices[i].constant);
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}
