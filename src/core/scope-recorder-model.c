/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-recorder-private.h"

/* The recorder as a GListModel: its listeners hear of new events in
 * batches, from an idle callback or once a frame (flush), with the counts
 * notified then; keeping until flushed, what they have heard of is
 * forgotten after. */

static gboolean
flush_idle (gpointer user_data)
{
  ScopeRecorder *self = user_data;

  self->flush_source = 0;
  scope_recorder_flush (self);
  return G_SOURCE_REMOVE;
}

/* Events wait: with autoflush an idle flush is due, else the display is
 * told, to flush in its next frame. */
static void
ask_for_flush (ScopeRecorder *self)
{
  if (!self->autoflush)
    _scope_recorder_emit_pending (self);
  else if (self->flush_source == 0)
    self->flush_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_idle, self, NULL);
}

/* Called once a record is complete, offsets and all, or an event was
 * dropped. The first of a batch says so, once: a display then asks for a
 * frame and flushes in it. */
void
_scope_recorder_announce (ScopeRecorder *self)
{
  if (self->pending)
    return;
  self->pending = TRUE;
  ask_for_flush (self);
}

/**
 * scope_recorder_set_autoflush:
 *
 * With autoflush (the default) new events reach the list's listeners from
 * an idle callback. A display turns it off and calls scope_recorder_flush()
 * once per frame instead.
 */
void
scope_recorder_set_autoflush (ScopeRecorder *self,
                              gboolean       autoflush)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));

  self->autoflush = !!autoflush;
  if (!self->autoflush)
    g_clear_handle_id (&self->flush_source, g_source_remove);
  /* Events already waiting are not left behind. */
  if (self->pending)
    ask_for_flush (self);
}

/* Keeping until flushed: once everything kept has been heard of, it goes,
 * and with it the payload, the datagram peers and the sockets closed. The
 * stores start again from nothing. */
static void
forget_flushed (ScopeRecorder *self)
{
  guint64 removed;

  /* A listener that appended while it heard: the rest waits for the next
   * flush, with what it needs. */
  if (self->retention != SCOPE_RECORDER_KEEP_UNTIL_FLUSHED || self->n_flushed != self->n_events)
    return;

  removed = self->n_flushed - first_shown (self);
  _scope_recorder_store_forget (self);
  _scope_recorder_sockets_forget (self);

  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, (guint) removed, 0);
}

/**
 * scope_recorder_flush:
 *
 * Tells the list's listeners of every event appended since the last flush,
 * in one items-changed, and notifies the counts.
 */
void
scope_recorder_flush (ScopeRecorder *self)
{
  guint64 added;
  guint64 old;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  g_clear_handle_id (&self->flush_source, g_source_remove);
  self->pending = FALSE;
  if (self->dropped_events != self->flushed_dropped)
    {
      self->flushed_dropped = self->dropped_events;
      _scope_recorder_notify (self, PROP_DROPPED_EVENTS);
    }
  if (self->state != self->flushed_state)
    {
      self->flushed_state = self->state;
      _scope_recorder_notify (self, PROP_STATE);
    }

  added = self->n_events - self->n_flushed;
  if (added == 0)
    return;

  /* The list holds at most the event limit, well within a guint. */
  old = self->n_flushed - first_shown (self);
  g_assert (old + added <= G_MAXUINT);
  self->n_flushed += added;

  g_list_model_items_changed (G_LIST_MODEL (self), (guint) old, 0, (guint) added);
  _scope_recorder_notify (self, PROP_N_EVENTS);
  _scope_recorder_notify (self, PROP_STORED_BYTES);
  _scope_recorder_notify (self, PROP_TRUNCATED_BYTES);
  _scope_recorder_notify (self, PROP_N_SOCKETS);
  forget_flushed (self);
}

static GType
scope_recorder_get_item_type (GListModel *model)
{
  return SCOPE_TYPE_EVENT;
}

static guint
scope_recorder_get_n_items (GListModel *model)
{
  ScopeRecorder *self = SCOPE_RECORDER (model);

  return (guint) (self->n_flushed - first_shown (self));
}

static gpointer
scope_recorder_get_item (GListModel *model,
                         guint       position)
{
  ScopeRecorder *self = SCOPE_RECORDER (model);

  if (position >= self->n_flushed - first_shown (self))
    return NULL;
  return _scope_event_new (self, first_shown (self) + position);
}

void
_scope_recorder_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = scope_recorder_get_item_type;
  iface->get_n_items = scope_recorder_get_n_items;
  iface->get_item = scope_recorder_get_item;
}
