/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The kinds of event a recorder keeps, and one event as its GListModel hands
 * it out. scope-recorder.h includes this header: its callers need nothing
 * more. */

typedef enum
{
  SCOPE_EVENT_LISTEN,
  SCOPE_EVENT_ACCEPT,
  SCOPE_EVENT_CONNECT,
  SCOPE_EVENT_READABLE,
  SCOPE_EVENT_SEND,
  SCOPE_EVENT_RECV,
  SCOPE_EVENT_SENDTO,
  SCOPE_EVENT_RECVFROM,
  SCOPE_EVENT_SHUTDOWN,
  SCOPE_EVENT_CLOSE,
  SCOPE_EVENT_ERROR,
  SCOPE_EVENT_REFUSED,   /* accepted and closed at once: the connection cap */
  SCOPE_EVENT_QUEUE,     /* a listener's accept queue changed: size connections wait,
                          * aux is its limit */
  SCOPE_EVENT_UNREAD,    /* the bytes waiting unread in a socket's receive buffer
                          * changed, reading paused: size bytes, aux the buffer's size;
                          * on a datagram socket, stream_offset the datagrams */
  SCOPE_EVENT_BIND,      /* a datagram server's socket bound to its address: it
                          * receives from then on, with no listen */
  SCOPE_EVENT_N_KINDS
} ScopeEventKind;

const char     *scope_event_kind_to_string     (ScopeEventKind  kind);

/* Inline: the recorder, the stream model and the timeline ask for every
 * event. */

/* Whether the event put bytes in a stream: a send or a sendto. */
static inline gboolean
scope_event_kind_is_send (ScopeEventKind kind)
{
  return kind == SCOPE_EVENT_SEND || kind == SCOPE_EVENT_SENDTO;
}

/* Whether the event took bytes out: a recv or a recvfrom. */
static inline gboolean
scope_event_kind_is_receive (ScopeEventKind kind)
{
  return kind == SCOPE_EVENT_RECV || kind == SCOPE_EVENT_RECVFROM;
}

/* One event, as the GListModel hands it out: made on demand from the packed
 * record, so a million events cost a million records, not objects. */
#define SCOPE_TYPE_EVENT (scope_event_get_type ())

G_DECLARE_FINAL_TYPE (ScopeEvent, scope_event, SCOPE, EVENT, GObject)

guint64         scope_event_get_index          (ScopeEvent *self);
ScopeEventKind  scope_event_get_kind           (ScopeEvent *self);
gint64          scope_event_get_time_us        (ScopeEvent *self);
guint           scope_event_get_socket_id      (ScopeEvent *self);
gsize           scope_event_get_size           (ScopeEvent *self);
guint64         scope_event_get_stream_offset  (ScopeEvent *self);
gboolean        scope_event_get_truncated      (ScopeEvent *self);
guint           scope_event_get_other_socket   (ScopeEvent *self);
const char     *scope_event_get_peer_address   (ScopeEvent *self);
GBytes         *scope_event_dup_bytes          (ScopeEvent *self);
char           *scope_event_dup_message        (ScopeEvent *self);

G_END_DECLS
