/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-deadline.h"

struct _ScopeDeadline
{
  GCancellable *cancellable;    /* what the attempt watches */
  GCancellable *outer;          /* the caller's */
  gulong        outer_handler;
  GSource      *timeout;        /* on the thread-default context, which
                                 * g_source_remove() does not look in */
  gboolean      expired;
};

static gboolean
deadline_reached (gpointer user_data)
{
  ScopeDeadline *self = user_data;

  /* The caller cancelled first: the time did not end it. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return G_SOURCE_REMOVE;
  self->expired = TRUE;
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled (GCancellable *outer,
                 gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/**
 * scope_deadline_new:
 * @outer: (nullable): the caller's cancellable
 * @timeout_ms: how long the attempt may take, 0 for as long as it likes
 *
 * Starts the clock, on the thread-default main context.
 */
ScopeDeadline *
scope_deadline_new (GCancellable *outer,
                    guint         timeout_ms)
{
  ScopeDeadline *self;

  g_return_val_if_fail (outer == NULL || G_IS_CANCELLABLE (outer), NULL);

  self = g_new0 (ScopeDeadline, 1);
  self->cancellable = g_cancellable_new ();
  if (outer != NULL)
    {
      self->outer = g_object_ref (outer);
      /* The handler holds the inner cancellable, not the deadline: a
       * cancel from another thread may run it while this is freed. */
      self->outer_handler = g_cancellable_connect (outer, G_CALLBACK (outer_cancelled),
                                                   g_object_ref (self->cancellable),
                                                   g_object_unref);
    }
  if (timeout_ms > 0)
    {
      self->timeout = g_timeout_source_new (timeout_ms);
      g_source_set_callback (self->timeout, deadline_reached, self, NULL);
      g_source_set_static_name (self->timeout, "[sockscope] deadline");
      g_source_attach (self->timeout, g_main_context_get_thread_default ());
    }
  return self;
}

/* (transfer none): the cancellable to give the attempt */
GCancellable *
scope_deadline_get_cancellable (ScopeDeadline *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->cancellable;
}

/* Whether the time ran out (rather than the caller cancelling). */
gboolean
scope_deadline_expired (ScopeDeadline *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->expired;
}

/* Stops the clock and lets go of the caller's cancellable. */
void
scope_deadline_free (ScopeDeadline *self)
{
  if (self == NULL)
    return;
  if (self->timeout != NULL)
    g_source_destroy (self->timeout);
  g_clear_pointer (&self->timeout, g_source_unref);
  if (self->outer_handler != 0)
    g_cancellable_disconnect (self->outer, self->outer_handler);
  g_clear_object (&self->outer);
  g_clear_object (&self->cancellable);
  g_free (self);
}
