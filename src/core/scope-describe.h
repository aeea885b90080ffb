/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-stream.h"

G_BEGIN_DECLS

/* Sockets and events in words, the same wherever they are read: a lane's
 * name, a tooltip, the inspector, what a screen reader says. */

char *scope_describe_socket       (const ScopeSocketInfo *info);
char *scope_describe_socket_short (const ScopeSocketInfo *info);
char *scope_describe_time         (double                 time_us);
char *scope_describe_event        (ScopeStream           *stream,
                                   guint64                index);

G_END_DECLS
