/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The socket interface's constants as this build knows them: the values are
 * this platform's own ("your results may vary"), each with a line on what
 * it means. */

typedef struct
{
  const char *prefix;        /* "AF_" */
  const char *title;         /* marked for translation: "Address families" */
  const char *explanation;   /* marked for translation */
} ScopeConstantGroup;

typedef struct
{
  const char *name;          /* "AF_INET" */
  gint64      value;
  guint       group;         /* index into the groups */
  const char *meaning;       /* marked for translation */
} ScopeSocketConstant;

const ScopeConstantGroup  *scope_constant_groups   (guint *n_groups);
const ScopeSocketConstant *scope_socket_constants  (guint *n_constants);
/* The name of the first constant of a group with that value ("IPPROTO_",
 * 6: "IPPROTO_TCP"), or "?" when there is none. */
const char                *scope_socket_constant_name_for (const char *prefix,
                                                           gint64      value);
/* Whether @constant belongs in a list filtered by what a user typed:
 * part of its name or its meaning, or its value, without regard to case. */
gboolean                   scope_socket_constant_matches (const ScopeSocketConstant *constant,
                                                          const char                *query);

/* What a plain socket() makes, as the kernel reports it back. */
typedef struct
{
  int      family;
  int      type;
  int      protocol;          /* as asked: 0 */
  int      kernel_protocol;   /* SO_PROTOCOL where the system has it, else -1 */
} ScopeDefaultSocket;

gboolean scope_constants_default_socket (ScopeDefaultSocket *socket_info,
                                         GError            **error);

G_END_DECLS
