/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-recorder-private.h"

/* The kinds of event and their names, and ScopeEvent: one event as the
 * recorder's GListModel hands it out, a copy of its record made when asked
 * for. Its bytes, message and peer are read from the recorder on demand. */

static const char * const kind_names[] = {
  [SCOPE_EVENT_LISTEN] = "listen",
  [SCOPE_EVENT_ACCEPT] = "accept",
  [SCOPE_EVENT_CONNECT] = "connect",
  [SCOPE_EVENT_READABLE] = "readable",
  [SCOPE_EVENT_SEND] = "send",
  [SCOPE_EVENT_RECV] = "recv",
  [SCOPE_EVENT_SENDTO] = "sendto",
  [SCOPE_EVENT_RECVFROM] = "recvfrom",
  [SCOPE_EVENT_SHUTDOWN] = "shutdown",
  [SCOPE_EVENT_CLOSE] = "close",
  [SCOPE_EVENT_ERROR] = "error",
  [SCOPE_EVENT_REFUSED] = "refused",
  [SCOPE_EVENT_QUEUE] = "queue",
  [SCOPE_EVENT_UNREAD] = "unread",
  [SCOPE_EVENT_BIND] = "bind",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == SCOPE_EVENT_N_KINDS);

/**
 * scope_event_kind_to_string:
 *
 * Returns: the name of the socket call or happening, as the C and Python
 * socket interfaces call it: "recv", "sendto", "accept", …
 */
const char *
scope_event_kind_to_string (ScopeEventKind kind)
{
  g_return_val_if_fail (kind < SCOPE_EVENT_N_KINDS, NULL);

  return kind_names[kind];
}

struct _ScopeEvent
{
  GObject parent_instance;

  ScopeRecorder *recorder;
  ScopeRecord    record;
};

G_DEFINE_FINAL_TYPE (ScopeEvent, scope_event, G_TYPE_OBJECT)

static void
scope_event_finalize (GObject *object)
{
  ScopeEvent *self = SCOPE_EVENT (object);

  g_clear_object (&self->recorder);

  G_OBJECT_CLASS (scope_event_parent_class)->finalize (object);
}

static void
scope_event_class_init (ScopeEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scope_event_finalize;
}

static void
scope_event_init (ScopeEvent *self)
{
}

/* For an event the recorder keeps: the model asks only for those. */
ScopeEvent *
_scope_event_new (ScopeRecorder *recorder,
                  guint64        index)
{
  ScopeEvent *self = g_object_new (SCOPE_TYPE_EVENT, NULL);
  G_GNUC_UNUSED gboolean kept;

  self->recorder = g_object_ref (recorder);
  kept = scope_recorder_get_record (recorder, index, &self->record);
  g_assert (kept);
  return self;
}

guint64
scope_event_get_index (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.index;
}

ScopeEventKind
scope_event_get_kind (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.kind;
}

/**
 * scope_event_get_time_us:
 *
 * Returns: microseconds since the recorder was made, on the monotonic clock
 */
gint64
scope_event_get_time_us (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.time_us;
}

guint
scope_event_get_socket_id (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.socket_id;
}

gsize
scope_event_get_size (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.size;
}

guint64
scope_event_get_stream_offset (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.stream_offset;
}

/**
 * scope_event_get_truncated:
 *
 * Returns: whether the event's bytes were past the payload cap: counted,
 * not kept
 */
gboolean
scope_event_get_truncated (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), FALSE);

  return self->record.truncated;
}

/**
 * scope_event_get_other_socket:
 *
 * Returns: for an accept, the connection socket it made; otherwise 0
 */
guint
scope_event_get_other_socket (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.kind == SCOPE_EVENT_ACCEPT ? self->record.aux : 0;
}

/**
 * scope_event_get_peer_address:
 *
 * Returns: (nullable): whom a datagram went to or came from; for a
 * connected socket, its peer
 */
const char *
scope_event_get_peer_address (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), NULL);

  return scope_recorder_get_record_peer (self->recorder, self->record.index);
}

/**
 * scope_event_dup_bytes:
 *
 * Returns: (nullable) (transfer full): the bytes sent or received, or %NULL
 * when there were none or they were past the payload cap
 */
GBytes *
scope_event_dup_bytes (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), NULL);

  return scope_recorder_dup_payload (self->recorder, self->record.index);
}

/**
 * scope_event_dup_message:
 *
 * Returns: (nullable) (transfer full): for an error event, what went wrong
 */
char *
scope_event_dup_message (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), NULL);

  return scope_recorder_dup_error_message (self->recorder, self->record.index);
}
