/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The cancellable of one attempt that may not outlast a timeout: cancelled
 * when the caller's cancellable is, or when the time is up, and knowing
 * which. A timeout is an answer (a filtered port, a silent name server); a
 * cancel is not. Used by the connect check and the resolver's lookups. */

typedef struct _ScopeDeadline ScopeDeadline;

ScopeDeadline *scope_deadline_new             (GCancellable  *outer,
                                               guint          timeout_ms);
GCancellable  *scope_deadline_get_cancellable (ScopeDeadline *self);
gboolean       scope_deadline_expired         (ScopeDeadline *self);
void           scope_deadline_free            (ScopeDeadline *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeDeadline, scope_deadline_free)

G_END_DECLS
