/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gnetworking.h>

#include "scope-platform-socket.h"
#include "scope-server-private.h"

/* A TCP listener's accept queue, as the kernel tells it: the connections
 * whose handshake is done and that nobody has accepted yet (S17, with
 * accepting paused). The kernel tells no one when it changes, so while a
 * TCP server runs its listeners are asked every QUEUE_POLL_MS, and each
 * change is an event on the listener's lane. So are the bytes and the
 * datagrams that wait unread while reading is paused. */

#define QUEUE_POLL_MS 100

/* Asks the kernel; returns whether the listener's queue changed. */
static gboolean
listener_read_queue (Listener *listener,
                     gboolean  record)
{
  guint waiting, limit;

  if (!scope_platform_listen_queue (g_socket_get_fd (listener->socket), &waiting, &limit))
    return FALSE;
  if (listener->queue_known && waiting == listener->queue_waiting
      && limit == listener->queue_limit)
    return FALSE;

  listener->queue_known = TRUE;
  listener->queue_waiting = waiting;
  listener->queue_limit = limit;
  if (record)
    scope_recorder_append_queue (listener->server->recorder, listener->id, waiting, limit);
  return TRUE;
}

static gboolean
datagram (ScopeServer *self)
{
  return scope_server_kind_get_protocol (self->kind) == SCOPE_PROTOCOL_UDP;
}

static gboolean
queue_poll (gpointer user_data)
{
  ScopeServer *self = user_data;
  gboolean changed = FALSE;

  for (guint i = 0; i < self->listeners->len; i++)
    changed |= listener_read_queue (g_ptr_array_index (self->listeners, i), TRUE);
  /* Reading paused, the connections' bytes wait: asked with the queues;
   * and a datagram server's datagrams. */
  for (guint i = 0; self->pause_reading && i < self->connections->len; i++)
    _scope_server_queue_unread (g_ptr_array_index (self->connections, i), -1);
  for (guint i = 0; self->pause_reading && datagram (self) && i < self->listeners->len; i++)
    _scope_server_queue_datagrams (g_ptr_array_index (self->listeners, i));
  if (changed)
    _scope_server_notify_accept_queue (self);
  return G_SOURCE_CONTINUE;
}

/* Once the server listens: the queues as they start (empty, not an event),
 * then a poll, where the system tells them at all. */
void
_scope_server_queue_watch (ScopeServer *self)
{
  gboolean known = datagram (self);

  if (scope_server_kind_get_protocol (self->kind) != SCOPE_PROTOCOL_TCP && !known)
    return;
  for (guint i = 0; i < self->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (self->listeners, i);

      listener_read_queue (listener, FALSE);
      known |= listener->queue_known;
    }
  if (known && self->queue_poll_id == 0)
    self->queue_poll_id = g_timeout_add (QUEUE_POLL_MS, queue_poll, self);
}

/**
 * _scope_server_queue_unread:
 * @arrived_real_us: when the first of them arrived, as the kernel stamped
 *   it; -1 to ask when the last did, in the kernel's ticks
 *
 * The bytes a connection holds unread, reading paused (S14: "Hi!", a
 * second later "Hope you're well"), are a queue too, which the kernel
 * tells no one of: asked when the first bytes come, with the accept
 * queues while reading stays paused, and after a read took some, so that
 * the timeline's "19 bytes unread" ends at the receive that read them.
 * Each change is an event on the connection's lane. TCP only: FIONREAD
 * tells a datagram socket the size of its next datagram, not of all.
 */
void
_scope_server_queue_unread (Connection *conn,
                            gint64      arrived_real_us)
{
  ScopeServer *self = conn->server;
  gssize unread;
  gint buffer = 0;
  gboolean rough = arrived_real_us < 0;

  if (conn->closed || scope_server_kind_get_protocol (self->kind) != SCOPE_PROTOCOL_TCP)
    return;
  unread = g_socket_get_available_bytes (conn->socket);
  if (unread < 0 || (gsize) unread == conn->unread)
    return;
  conn->unread = (guint) MIN ((gsize) unread, G_MAXUINT);
  if (!g_socket_get_option (conn->socket, SOL_SOCKET, SO_RCVBUF, &buffer, NULL))
    buffer = 0;
  if (rough && unread > 0)
    arrived_real_us = scope_platform_socket_last_data_arrival (conn->socket);
  scope_recorder_append_unread (self->recorder, conn->id, conn->unread, (guint) MAX (buffer, 0),
                                arrived_real_us, rough);
}

/* At most this many waiting datagrams are counted at a look */
#define DATAGRAMS_COUNTED 1000

/* The datagrams last counted, as an event on the server's lane, with the
 * receive buffer's size and @arrived_real_us, when the newest of them came
 * (a count that grew: the step begins there); -1 for a read's step, which
 * begins at the read */
static void
record_datagrams (Listener *listener,
                  gint64    arrived_real_us)
{
  gint buffer = 0;

  if (!g_socket_get_option (listener->socket, SOL_SOCKET, SO_RCVBUF, &buffer, NULL))
    buffer = 0;
  scope_recorder_append_unread_datagrams (listener->server->recorder, listener->id,
                                          listener->unread_datagrams,
                                          (guint) MIN (listener->unread_bytes, G_MAXUINT),
                                          (guint) MAX (buffer, 0), arrived_real_us);
}

/**
 * _scope_server_queue_datagrams:
 *
 * The datagrams a datagram server holds unread, reading paused (S14 over
 * UDP: "Hi!", a second later "Hope you're well", each its own), counted
 * as the first comes and at each poll while reading stays paused; once it
 * resumes, each recvfrom leaves one fewer of those counted, so that "2
 * datagrams unread" ends at the recvfroms that read them, and what comes
 * after is not counted (a flood is not peeked at). Each change is an event
 * on the server's lane. Where the system cannot count them, nothing is
 * said.
 */
void
_scope_server_queue_datagrams (Listener *listener)
{
  guint datagrams;
  guint64 bytes;
  gint64 newest;

  if (!scope_platform_socket_count_datagrams (listener->socket, DATAGRAMS_COUNTED, &datagrams,
                                              &bytes, &newest)
      || (datagrams == listener->unread_datagrams && bytes == listener->unread_bytes))
    return;
  listener->unread_datagrams = datagrams;
  listener->unread_bytes = bytes;
  record_datagrams (listener, newest);
}

/* A read took one of the datagrams last counted: one fewer waits, said at
 * the recvfrom that read it, without counting again (each count peeks at
 * every datagram). */
void
_scope_server_queue_datagram_read (Listener *listener,
                                   gsize     size)
{
  if (listener->unread_datagrams == 0)
    return;
  listener->unread_datagrams--;
  listener->unread_bytes -= MIN (size, listener->unread_bytes);
  record_datagrams (listener, -1);
}

/* Accepts took connections from a queue last seen with some waiting: it
 * is read again at once, so that the timeline's "1 waiting" ends at the
 * accept, not at the next poll up to 100 ms later, while the row already
 * said 0 (found in the trial). An empty queue last seen costs nothing. */
void
_scope_server_queue_accepted (Listener *listener)
{
  if (!listener->queue_known || listener->queue_waiting == 0)
    return;
  if (listener_read_queue (listener, TRUE))
    _scope_server_notify_accept_queue (listener->server);
}

/* The poll ends with the listeners. */
void
_scope_server_queue_forget (ScopeServer *self)
{
  g_clear_handle_id (&self->queue_poll_id, g_source_remove);
}

/**
 * scope_server_get_accept_queue:
 * @waiting: (out) (optional): connections waiting to be accepted, on all
 *   its listeners
 * @limit: (out) (optional): the queue's limit as the kernel has it: the
 *   backlog, capped by the system's; Linux lets one more than this wait
 *
 * The accept queue as the kernel told it at the last look (every 100 ms
 * while the server runs); notify::accept-queue says when it changes.
 *
 * Returns: FALSE when the server does not listen on TCP, or the system
 * does not say
 */
gboolean
scope_server_get_accept_queue (ScopeServer *self,
                               guint       *waiting,
                               guint       *limit)
{
  guint sum = 0, most = 0;
  gboolean known = FALSE;

  g_return_val_if_fail (SCOPE_IS_SERVER (self), FALSE);

  for (guint i = 0; self->running && i < self->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (self->listeners, i);

      if (!listener->queue_known)
        continue;
      known = TRUE;
      sum += listener->queue_waiting;
      most = MAX (most, listener->queue_limit);
    }
  if (waiting != NULL)
    *waiting = sum;
  if (limit != NULL)
    *limit = most;
  return known;
}
