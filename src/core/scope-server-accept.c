/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>

#include "scope-errors.h"
#include "scope-platform-socket.h"
#include "scope-server-private.h"

/* Taking connections off a stream listener's queue, within a budget, and
 * waiting a little when the system is out of descriptors. */

#define ACCEPTS_PER_DISPATCH      32
#define ACCEPT_BACKOFF_MS         250           /* after EMFILE and the like */

static void
accept_one (Listener *listener,
            GSocket  *socket)
{
  ScopeServer *self = listener->server;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) peer = g_socket_get_remote_address (socket, NULL);
  ScopeProtocol protocol = scope_server_kind_get_protocol (self->kind);
  const char *kind = scope_server_kind_to_string (self->kind);
  Connection *conn;

  g_socket_set_blocking (socket, FALSE);
  /* When bytes arrive, not only when they are read (where it says). */
  scope_platform_socket_enable_timestamps (socket);

  if (self->connections->len >= self->max_connections && !_scope_server_make_room (self))
    {
      /* Over the cap: the connection is taken off the queue and closed at
       * once, and that is an event on the listener too. */
      guint id = scope_recorder_add_socket (self->recorder, SCOPE_SOCKET_CONNECTION,
                                            protocol, kind, local, peer, listener->id);

      scope_recorder_append (self->recorder, listener->id, SCOPE_EVENT_REFUSED, NULL, 0);
      g_socket_close (socket, NULL);
      scope_recorder_append (self->recorder, id, SCOPE_EVENT_CLOSE, NULL, 0);
      return;
    }

  conn = g_new0 (Connection, 1);
  conn->server = self;
  conn->socket = g_object_ref (socket);
  conn->buffer_size = self->read_buffer_size;
  conn->buffer = g_malloc (conn->buffer_size);
  conn->output = g_byte_array_new ();
  conn->first_arrival = -1;
  if (self->kind == SCOPE_SERVER_TCP_SUM)
    conn->sum = scope_sum_parser_new ();
  if (self->kind == SCOPE_SERVER_HTTP)
    conn->http = scope_http_parser_new ();
  conn->id = scope_recorder_add_socket (self->recorder, SCOPE_SOCKET_CONNECTION,
                                        protocol, kind, local, peer, listener->id);
  /* How long it waited in the accept queue, roughly (S17). */
  scope_recorder_append_accept_at (self->recorder, listener->id, conn->id,
                                   scope_platform_socket_handshake_arrival (socket));
  conn->accepted_us = conn->last_activity = g_get_monotonic_time ();
  _scope_server_connection_watch_idle (conn);
  _scope_server_connection_watch_request (conn);
  g_ptr_array_add (self->connections, conn);
  _scope_server_notify_n_connections (self);

  _scope_server_handler_for (self->kind)->accepted (conn);
  if (_scope_server_connection_flush (conn))
    _scope_server_connection_update_source (conn);
}

static gboolean
listener_backoff_done (gpointer user_data)
{
  Listener *listener = user_data;

  listener->backoff_id = 0;
  _scope_server_listener_update_source (listener);
  return G_SOURCE_REMOVE;
}

gboolean
_scope_server_listener_accept (GSocket      *socket,
                               GIOCondition  condition,
                               gpointer      user_data)
{
  Listener *listener = user_data;
  gboolean accepted_any = FALSE;

  for (guint i = 0; i < ACCEPTS_PER_DISPATCH && !listener->server->pause_accepting; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) accepted = g_socket_accept (listener->socket, NULL, &error);
      int errnum;

      if (accepted != NULL)
        {
          listener->failing = FALSE;
          accept_one (listener, accepted);
          accepted_any = TRUE;
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (!listener->failing)
        scope_recorder_append_error (listener->server->recorder, listener->id, error);
      listener->failing = TRUE;
      /* Out of descriptors or memory, the connection stays in the queue
       * and the socket stays readable: watching it now would spin. Wait a
       * little and try again; the timeline has it once, not every try. */
      errnum = scope_error_get_errno (error);
      if (errnum == EMFILE || errnum == ENFILE || errnum == ENOBUFS || errnum == ENOMEM)
        {
          listener->backoff_id = g_timeout_add (ACCEPT_BACKOFF_MS, listener_backoff_done,
                                                listener);
          _scope_server_listener_update_source (listener);
          return G_SOURCE_REMOVE;
        }
      break;
    }
  if (accepted_any)
    _scope_server_queue_accepted (listener);
  return G_SOURCE_CONTINUE;
}
