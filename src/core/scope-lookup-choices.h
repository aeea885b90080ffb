/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The hints and flags a lookup may be given, with the C library's values:
 * one table for the Lookup page's drop-downs and switches, the command
 * line's options and the code the resolver writes. */
typedef enum
{
  SCOPE_LOOKUP_CHOICE_FAMILY,         /* AF_* */
  SCOPE_LOOKUP_CHOICE_SOCKTYPE,       /* SOCK_*, 0 */
  SCOPE_LOOKUP_CHOICE_PROTOCOL,       /* IPPROTO_*, 0 */
  SCOPE_LOOKUP_CHOICE_AI_FLAG,        /* AI_* for getaddrinfo() */
  SCOPE_LOOKUP_CHOICE_NI_FLAG,        /* NI_* for getnameinfo() */
  SCOPE_LOOKUP_CHOICE_SERVICE_PROTO,  /* ScopeServiceProto */
  SCOPE_LOOKUP_CHOICE_RECORDS,        /* ScopeRecordsType */
} ScopeLookupChoiceSet;

typedef struct
{
  int         value;
  /* The C name ("AF_INET", "AI_CANONNAME"); "0" for a socket type or
   * protocol left to the system; NULL for Sockscope's own choices. */
  const char *constant;
  /* The command line's word ("ipv4", "canonname"), NULL for a value that
   * is only named, not offered (SOCK_RAW in an answer). */
  const char *name;
  /* The page's words ("IPv4 (AF_INET)"), marked for translation; NULL for a
   * flag, whose switch is titled by its constant. */
  const char *label;
  /* What a flag does, for its switch, marked for translation. */
  const char *help;
} ScopeLookupChoice;

/* All the choices of @set: those offered first, in the order the page and
 * --help list them; @n_offered is how many are offered. */
const ScopeLookupChoice *scope_lookup_choices          (ScopeLookupChoiceSet  set,
                                                        guint                *n_choices,
                                                        guint                *n_offered);
/* The first choice of @set with @value, or NULL. */
const ScopeLookupChoice *scope_lookup_choice_find      (ScopeLookupChoiceSet  set,
                                                        int                   value);
/* The C name of @value in @set ("SOCK_RAW"), or NULL. */
const char              *scope_lookup_choice_constant  (ScopeLookupChoiceSet  set,
                                                        int                   value);
/* The offered choice of @set called @name, in any case, or NULL. */
const ScopeLookupChoice *scope_lookup_choice_from_name (ScopeLookupChoiceSet  set,
                                                        const char           *name);
/* "any, ipv4, ipv6": the names offered, for a message. */
char                    *scope_lookup_choice_names     (ScopeLookupChoiceSet  set);
/* Where @value is among the offered choices (0 when it is not), and back:
 * a drop-down built from them is read and set through these. */
guint                    scope_lookup_choice_position  (ScopeLookupChoiceSet  set,
                                                        int                   value);
int                      scope_lookup_choice_value     (ScopeLookupChoiceSet  set,
                                                        guint                 position);
/* "AI_CANONNAME | AI_PASSIVE", with "socket." before each for Python, or
 * NULL when @flags has none of the set's. */
char                    *scope_lookup_choice_join_flags (ScopeLookupChoiceSet set,
                                                         int                  flags,
                                                         gboolean             python);

G_END_DECLS
