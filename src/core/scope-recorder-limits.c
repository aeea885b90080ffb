/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-recorder-private.h"

/* The recorder's bounds and what happens at them: how many events, sockets
 * and datagram peers it keeps, the stop at a limit when it keeps all, and
 * the count of what came past one. */

/* Keeping all, a limit reached stops the recording for good: a session
 * with a hole in the middle would tell a story that did not happen. */
void
_scope_recorder_stop_recording (ScopeRecorder      *self,
                                ScopeRecorderState  why)
{
  if (self->state != SCOPE_RECORDER_RECORDING)
    return;
  self->state = why;
  self->stopped_us = recorder_session_time (self);
  switch (why)
    {
    case SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT:
      self->stopped_limit = self->event_limit;
      break;
    case SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT:
      self->stopped_limit = self->socket_limit;
      break;
    case SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT:
      self->stopped_limit = self->peer_limit;
      break;
    case SCOPE_RECORDER_RECORDING:
    default:
      g_assert_not_reached ();
    }
}

void
_scope_recorder_count_dropped (ScopeRecorder *self,
                               gsize          size)
{
  self->dropped_events++;
  self->dropped_bytes += size;
}

/* An event may_keep_event() did not let through: nothing is kept, or the
 * recording stopped, or the event limit is reached. It is counted (unless
 * nothing is kept at all), and not kept: returns %FALSE. */
gboolean
_scope_recorder_refuse_event (ScopeRecorder *self,
                              gsize          size)
{
  if (self->retention == SCOPE_RECORDER_KEEP_NOTHING)
    return FALSE;
  /* At the limit. Keeping until flushed, a batch larger than the limit
   * loses its tail, counted; the next batch is kept again. */
  if (self->state == SCOPE_RECORDER_RECORDING
      && self->retention == SCOPE_RECORDER_KEEP_ALL)
    _scope_recorder_stop_recording (self, SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
  _scope_recorder_count_dropped (self, size);
  return FALSE;
}

guint64
scope_recorder_get_event_limit (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->event_limit;
}

/**
 * scope_recorder_set_event_limit:
 * @limit: how many events to keep, from %SCOPE_RECORDER_MIN_EVENT_LIMIT to
 *   %SCOPE_RECORDER_MAX_EVENT_LIMIT
 *
 * Keeping all, recording stops at the limit. A limit below what is kept
 * keeps what is kept, and stops at the next event; a higher one does not
 * start a stopped recording again.
 */
void
scope_recorder_set_event_limit (ScopeRecorder *self,
                                guint64        limit)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));

  _scope_recorder_set_and_notify (self, &self->event_limit,
                                  CLAMP (limit, SCOPE_RECORDER_MIN_EVENT_LIMIT,
                                         SCOPE_RECORDER_MAX_EVENT_LIMIT),
                                  PROP_EVENT_LIMIT);
}

guint
scope_recorder_get_socket_limit (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->socket_limit;
}

guint
scope_recorder_get_peer_limit (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->peer_limit;
}

/**
 * scope_recorder_set_store_limits:
 * @sockets: how many sockets to keep (or, not keeping all, to hold open)
 * @peers: how many datagram peers to keep
 *
 * The defaults suit everyone; tests and benchmarks lower them to reach
 * them quickly.
 */
void
scope_recorder_set_store_limits (ScopeRecorder *self,
                                 guint          sockets,
                                 guint          peers)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (sockets > 0 && peers > 0);

  self->socket_limit = sockets;
  self->peer_limit = peers;
}

ScopeRecorderState
scope_recorder_get_state (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), SCOPE_RECORDER_RECORDING);

  return self->state;
}

gint64
scope_recorder_get_stopped_us (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), -1);

  return self->stopped_us;
}

/**
 * scope_recorder_get_stopped_limit:
 *
 * Returns: the limit that stopped the recording, as it was when it did (a
 * limit changed since does not change what the session holds); 0 while it
 * records
 */
guint64
scope_recorder_get_stopped_limit (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->stopped_limit;
}

guint64
scope_recorder_get_dropped_events (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->dropped_events;
}

guint64
scope_recorder_get_dropped_bytes (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->dropped_bytes;
}
