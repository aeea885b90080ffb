/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-recorder-private.h"

/* New Session: a cut in the recorder. The list, the reads and the exports
 * start at it at once; it can be undone until it is committed, and only
 * then are the records before it freed, so that undo costs nothing and
 * the event limit, counting from the first record still stored, bounds
 * memory all along. Sockets stay: a server still listening is in the new
 * session too. The payload arena is bounded by its cap and not cut. A
 * recording stopped at the event limit records again in the new session,
 * which cannot be undone. */

guint64
scope_recorder_get_first_index (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return first_shown (self);
}

gboolean
scope_recorder_get_session_pending (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), FALSE);

  return self->session_pending;
}

static void
announce_cut (ScopeRecorder *self,
              guint64        old_n)
{
  guint64 new_n = self->n_flushed - first_shown (self);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, (guint) old_n, (guint) new_n);
  _scope_recorder_notify (self, PROP_N_EVENTS);
}

void
scope_recorder_begin_session (ScopeRecorder *self)
{
  guint64 old_n;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  scope_recorder_commit_session (self);
  /* The listeners hear of every event before the cut, then of the cut. */
  scope_recorder_flush (self);
  old_n = self->n_flushed - first_shown (self);
  self->undo_cut = self->cut_index;
  self->cut_index = self->n_events;
  self->session_pending = TRUE;
  /* Stopped at the event limit, the new session records again at once,
   * with the limit counted from the cut: kept for good, as undoing it
   * would join the new events to the old past a hole. Stopped at the
   * socket or peer limit, it stays stopped: those are kept across
   * sessions, as the sockets are. */
  if (self->state == SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT)
    {
      scope_recorder_commit_session (self);
      self->state = SCOPE_RECORDER_RECORDING;
      self->stopped_us = -1;
      self->stopped_limit = 0;
      self->flushed_state = self->state;
      _scope_recorder_notify (self, PROP_STATE);
    }
  announce_cut (self, old_n);
}

void
scope_recorder_undo_begin_session (ScopeRecorder *self)
{
  guint64 old_n;

  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (self->session_pending);

  scope_recorder_flush (self);
  old_n = self->n_flushed - first_shown (self);
  self->cut_index = self->undo_cut;
  self->session_pending = FALSE;
  announce_cut (self, old_n);
}

void
scope_recorder_commit_session (ScopeRecorder *self)
{
  guint whole;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  if (!self->session_pending)
    return;
  self->session_pending = FALSE;

  /* The chunks wholly before the cut go; the one it falls in stays. */
  whole = (guint) MIN ((self->cut_index - self->chunk_base) / RECORDS_PER_CHUNK,
                       self->record_chunks->len);
  if (whole > 0)
    {
      g_ptr_array_remove_range (self->record_chunks, 0, whole);
      g_ptr_array_remove_range (self->waited_chunks, 0, whole);
      self->chunk_base += (guint64) whole * RECORDS_PER_CHUNK;
    }
  /* The limit counts from the cut now. */
  self->base_index = MAX (self->base_index, self->cut_index);
}
