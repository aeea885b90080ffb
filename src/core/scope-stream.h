/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-recorder.h"

G_BEGIN_DECLS

/* Bytes a send put in a stream and a receive took out: the send, the
 * receive, and where the bytes lie in the stream and in each call's own
 * bytes. A datagram is a stream of its own, from its first byte. */
typedef struct
{
  guint64 send_index;
  guint64 recv_index;
  guint64 stream_offset;   /* of the first byte the link carries */
  guint64 size;
  guint64 send_start;      /* where those bytes start in the send's bytes */
  guint64 recv_start;      /* and in the receive's */
} ScopeStreamLink;

#define SCOPE_TYPE_STREAM (scope_stream_get_type ())

G_DECLARE_FINAL_TYPE (ScopeStream, scope_stream, SCOPE, STREAM, GObject)

ScopeStream   *scope_stream_new                (ScopeRecorder *recorder);
ScopeRecorder *scope_stream_get_recorder       (ScopeStream   *self);
void           scope_stream_update             (ScopeStream   *self);

guint64        scope_stream_get_n_events       (ScopeStream   *self);
guint64        scope_stream_get_first_index    (ScopeStream   *self);
gint64         scope_stream_get_end_us         (ScopeStream   *self);
gsize          scope_stream_get_index_size     (ScopeStream   *self);
gboolean       scope_stream_get_latest_exchange (ScopeStream  *self,
                                                gint64        *first_us,
                                                gint64        *last_us,
                                                guint         *n);
guint64        scope_stream_get_latest_exchange_first (ScopeStream *self,
                                                      gboolean    *arrival);
guint64        scope_stream_get_latest_exchange_last (ScopeStream *self);
guint          scope_stream_get_latest_exchange_n_lanes (ScopeStream *self);

/* Lanes: one per socket, a listener's connections under it */
guint          scope_stream_get_n_lanes        (ScopeStream   *self);
guint          scope_stream_get_lane_socket    (ScopeStream   *self,
                                                guint          lane);
gboolean       scope_stream_get_socket_lane    (ScopeStream   *self,
                                                guint          socket_id,
                                                guint         *lane);
guint          scope_stream_get_lane_n_events  (ScopeStream   *self,
                                                guint          lane);
guint          scope_stream_get_lane_n_sends   (ScopeStream   *self,
                                                guint          lane);
guint64        scope_stream_get_lane_event     (ScopeStream   *self,
                                                guint          lane,
                                                guint          position);
guint          scope_stream_find_lane_time     (ScopeStream   *self,
                                                guint          lane,
                                                double         time_us);
gboolean       scope_stream_find_lane_event    (ScopeStream   *self,
                                                guint          lane,
                                                guint64        index,
                                                guint         *position);
void           scope_stream_get_lane_position  (ScopeStream   *self,
                                                guint          lane,
                                                guint          position,
                                                guint64       *sent,
                                                guint64       *received);

/* Who talked to whom, and which bytes went where */
guint          scope_stream_get_peer_socket    (ScopeStream   *self,
                                                guint          socket_id);
void           scope_stream_collect_links      (ScopeStream   *self,
                                                guint64        index,
                                                GArray        *links);

G_END_DECLS
