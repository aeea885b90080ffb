/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-socket-watch.h"

/* The sockets' sources and painting share the main loop. A lecture's
 * calls are few, and each wants handling at once: its time is the time
 * the timeline shows (an accept, a zero-byte read), and a source below
 * painting waited while the timeline animated, an accept 2.7 s after its
 * connect in the fourth trial. So a source runs above painting. A flood
 * would then starve painting, so the sources' work is measured: past
 * SHARE_US of it within WINDOW_US, every source drops below painting until
 * the window ends, and painting gets its turn. */

#define WINDOW_US  16667   /* a frame at 60 Hz */
#define SHARE_US   8000

#define PROMPT_PRIORITY    G_PRIORITY_DEFAULT
#define YIELDING_PRIORITY  G_PRIORITY_DEFAULT_IDLE   /* below GDK_PRIORITY_REDRAW */

typedef struct
{
  GSocketSourceFunc    on_socket;     /* a GSocket's source, or */
  GPollableSourceFunc  on_pollable;   /* a pollable stream's */
  gpointer             data;
  GSource             *source;
} Watch;

/* The main context's: every source of a socket, its work in the window,
 * and whether the sources yield to painting now. */
static struct
{
  GHashTable *watches;      /* Watch *, owned by its source's callback */
  gint64      window_start;
  gint64      spent_us;
  guint       resume_id;
  gboolean    yielding;
} fair;

static void
set_all_priorities (int priority)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, fair.watches);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_source_set_priority (((Watch *) key)->source, priority);
}

static gboolean
resume (gpointer user_data)
{
  fair.resume_id = 0;
  fair.yielding = FALSE;
  fair.spent_us = 0;
  fair.window_start = g_get_monotonic_time ();
  if (fair.watches != NULL)
    set_all_priorities (PROMPT_PRIORITY);
  return G_SOURCE_REMOVE;
}

/* Counts a turn's work in the window; past the share, every source
 * yields until the window ends. */
static void
count_work (gint64 start)
{
  fair.spent_us += g_get_monotonic_time () - start;
  if (fair.yielding || fair.spent_us <= SHARE_US)
    return;
  fair.yielding = TRUE;
  set_all_priorities (YIELDING_PRIORITY);
  /* Above the sockets' and painting's both: it runs once the window is
   * over, whatever waits. */
  fair.resume_id = g_timeout_add_full (
    G_PRIORITY_DEFAULT,
    MAX (1, (guint) ((fair.window_start + WINDOW_US - g_get_monotonic_time ()) / 1000)),
    resume, NULL, NULL);
}

static gint64
begin_work (void)
{
  gint64 start = g_get_monotonic_time ();

  if (start - fair.window_start >= WINDOW_US)
    {
      fair.window_start = start;
      fair.spent_us = 0;
    }
  return start;
}

static gboolean
socket_dispatch (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  Watch *watch = user_data;
  gint64 start = begin_work ();
  gboolean again = watch->on_socket (socket, condition, watch->data);

  count_work (start);
  return again;
}

static gboolean
pollable_dispatch (GObject  *stream,
                   gpointer  user_data)
{
  Watch *watch = user_data;
  gint64 start = begin_work ();
  gboolean again = watch->on_pollable (stream, watch->data);

  count_work (start);
  return again;
}

static void
watch_free (gpointer user_data)
{
  Watch *watch = user_data;

  g_hash_table_remove (fair.watches, watch);
  g_free (watch);
}

/* One of @on_socket and @on_pollable, for the kind of @source */
static void
attach (GSource             *source,
        GSocketSourceFunc    on_socket,
        GPollableSourceFunc  on_pollable,
        gpointer             data)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->on_socket = on_socket;
  watch->on_pollable = on_pollable;
  watch->data = data;
  watch->source = source;
  if (fair.watches == NULL)
    fair.watches = g_hash_table_new (NULL, NULL);
  g_hash_table_add (fair.watches, watch);
  g_source_set_priority (source, fair.yielding ? YIELDING_PRIORITY : PROMPT_PRIORITY);
  g_source_set_callback (source, on_socket != NULL ? G_SOURCE_FUNC (socket_dispatch)
                                                   : G_SOURCE_FUNC (pollable_dispatch),
                         watch, watch_free);
  g_source_attach (source, NULL);
}

/**
 * scope_socket_watch_attach:
 * @source: a GSocket's source, not attached yet
 *
 * Attaches @source to the main context with the sockets' priority, calling
 * @dispatch with @data when it is ready, its work counted in the sockets'
 * share of the loop.
 */
void
scope_socket_watch_attach (GSource           *source,
                           GSocketSourceFunc  dispatch,
                           gpointer           data)
{
  g_return_if_fail (source != NULL && dispatch != NULL);

  attach (source, dispatch, NULL, data);
}

/**
 * scope_socket_watch_attach_pollable:
 * @source: a pollable stream's source, not attached yet
 *
 * As scope_socket_watch_attach(), for a stream read as a socket takes it.
 */
void
scope_socket_watch_attach_pollable (GSource             *source,
                                    GPollableSourceFunc  dispatch,
                                    gpointer             data)
{
  g_return_if_fail (source != NULL && dispatch != NULL);

  attach (source, NULL, dispatch, data);
}

/**
 * scope_socket_watch_get_yielding:
 *
 * Returns: whether the sockets' sources yield to painting now, having had
 * their share of this window
 */
gboolean
scope_socket_watch_get_yielding (void)
{
  return fair.yielding;
}

void
scope_socket_watch_clear (GSource     **source,
                          GIOCondition *watching)
{
  g_return_if_fail (source != NULL && watching != NULL);

  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
  *watching = 0;
}

void
scope_socket_watch (GSocket      *socket,
                    GSource     **source,
                    GIOCondition *watching,
                    GIOCondition       wanted,
                    GSocketSourceFunc  dispatch,
                    gpointer           data)
{
  g_return_if_fail (G_IS_SOCKET (socket));
  g_return_if_fail (source != NULL && watching != NULL && dispatch != NULL);

  if (*source != NULL && wanted == *watching)
    return;
  scope_socket_watch_clear (source, watching);
  if (wanted == 0)
    return;
  *watching = wanted;
  *source = g_socket_create_source (socket, wanted, NULL);
  scope_socket_watch_attach (*source, dispatch, data);
}
