/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-endpoint.h"
#include "scope-recorder.h"

G_BEGIN_DECLS

/* The ends of the TCP connections of a session, and the one rule that
 * pairs them: see scope-stream-ends.c. The recorder keeps one, told of
 * each socket as it opens and closes; the stream model and the exports
 * read its pairs. ScopeStreamEnds is declared in scope-recorder.h. */

ScopeStreamEnds *scope_stream_ends_new           (void);
void             scope_stream_ends_free          (ScopeStreamEnds       *self);

guint            scope_stream_ends_add           (ScopeStreamEnds       *self,
                                                  guint                  socket_id,
                                                  ScopeSocketRole        role,
                                                  ScopeProtocol          protocol,
                                                  const char            *local_address,
                                                  const char            *peer_address);
void             scope_stream_ends_close         (ScopeStreamEnds       *self,
                                                  guint                  socket_id);
void             scope_stream_ends_forget        (ScopeStreamEnds       *self,
                                                  guint                  socket_id);

guint            scope_stream_ends_get_peer      (const ScopeStreamEnds *self,
                                                  guint                  socket_id);
gboolean         scope_stream_ends_get_addresses (const ScopeStreamEnds *self,
                                                  guint                  socket_id,
                                                  ScopeEndpoint         *local,
                                                  ScopeEndpoint         *peer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeStreamEnds, scope_stream_ends_free)

G_END_DECLS
