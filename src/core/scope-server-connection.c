/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-platform-socket.h"
#include "scope-server-private.h"
#include "scope-socket-watch.h"

/* A connection of a stream server: its read buffer, its queue of what
 * goes out, and the dispatch that moves both within a budget. */

#define READ_CALLS_PER_DISPATCH   16
#define READ_BYTES_PER_DISPATCH   (256 * 1024)
#define OUTPUT_HIGH_WATER         (256 * 1024)  /* stop reading a peer that does not read */
/* What a receive brought is given to the handler this much at a time, so
 * that one slice's answer at most goes past OUTPUT_HIGH_WATER: the sum
 * server's answer to a short bad line is some 15 times its size. */
#define FEED_SLICE                1024

void
_scope_server_connection_free (Connection *conn)
{
  g_clear_handle_id (&conn->idle_id, g_source_remove);
  g_clear_handle_id (&conn->request_id, g_source_remove);
  if (conn->source != NULL)
    {
      g_source_destroy (conn->source);
      g_source_unref (conn->source);
    }
  g_clear_object (&conn->socket);
  g_free (conn->buffer);
  g_byte_array_unref (conn->output);
  scope_sum_parser_free (conn->sum);
  scope_http_parser_free (conn->http);
  g_free (conn);
}

/* Closes the connection and frees it: the caller must not touch it after. */
void
_scope_server_connection_close (Connection *conn)
{
  ScopeServer *self = conn->server;

  if (conn->closed)
    return;
  conn->closed = TRUE;

  g_socket_close (conn->socket, NULL);
  scope_recorder_append (self->recorder, conn->id, SCOPE_EVENT_CLOSE, NULL, 0);
  g_ptr_array_remove (self->connections, conn);
  _scope_server_notify_n_connections (self);
}

void
_scope_server_connection_fail (Connection   *conn,
                               const GError *error)
{
  scope_recorder_append_error (conn->server->recorder, conn->id, error);
  _scope_server_connection_close (conn);
}

static gsize
connection_pending (Connection *conn)
{
  return conn->output->len - conn->output_start;
}

static gboolean
connection_has_unfed (Connection *conn)
{
  return conn->unfed_start < conn->unfed_end;
}

void
_scope_server_connection_queue (Connection   *conn,
                                const guint8 *data,
                                gsize         size)
{
  /* Reclaim what was sent before growing. */
  if (conn->output_start > 0 && conn->output_start >= conn->output->len / 2)
    {
      g_byte_array_remove_range (conn->output, 0, conn->output_start);
      conn->output_start = 0;
    }
  g_byte_array_append (conn->output, data, size);
}

void
_scope_server_connection_queue_string (Connection *conn,
                                       const char *text)
{
  _scope_server_connection_queue (conn, (const guint8 *) text, strlen (text));
}

/* Sends what is queued until the socket would block; closes the connection
 * when it was to close once all is sent. Returns FALSE when it is closed. */
gboolean
_scope_server_connection_flush (Connection *conn)
{
  while (connection_pending (conn) > 0)
    {
      g_autoptr(GError) error = NULL;
      const guint8 *data = conn->output->data + conn->output_start;
      gint64 began_us = scope_recorder_get_now_us (conn->server->recorder);
      gssize sent = g_socket_send (conn->socket, (const char *) data,
                                   connection_pending (conn), NULL, &error);

      if (sent < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return TRUE;
          _scope_server_connection_fail (conn, error);
          return FALSE;
        }
      scope_recorder_append_sent (conn->server->recorder, conn->id, SCOPE_EVENT_SEND, NULL, data,
                                  sent, began_us);
      conn->output_start += sent;
      conn->last_activity = g_get_monotonic_time ();
    }

  if (conn->close_when_sent)
    {
      _scope_server_connection_close (conn);
      return FALSE;
    }
  return TRUE;
}

/* Gives the handler what the last receive brought, a slice at a time, while
 * the queue is under its bound, and sends. An answer larger than what it
 * answers (the sum server's error line for a short bad line) so grows the
 * queue at most one slice's answer past OUTPUT_HIGH_WATER, however large
 * the read buffer; the rest waits in the read buffer, and nothing more is
 * read, until the peer takes some of the queue. Returns FALSE when the
 * connection is closed. */
static gboolean
connection_feed (Connection *conn)
{
  const ConnectionHandler *handler = _scope_server_handler_for (conn->server->kind);

  for (;;)
    {
      while (connection_has_unfed (conn) && !conn->close_when_sent
             && connection_pending (conn) < OUTPUT_HIGH_WATER)
        {
          gsize slice = MIN (conn->unfed_end - conn->unfed_start, FEED_SLICE);

          conn->unfed_start += slice;
          handler->received (conn, conn->buffer + conn->unfed_start - slice, slice);
        }
      /* Answered and closing (HTTP): what else came is not read. */
      if (conn->close_when_sent)
        conn->unfed_start = conn->unfed_end;
      if (!_scope_server_connection_flush (conn))
        return FALSE;
      if (!connection_has_unfed (conn) || connection_pending (conn) >= OUTPUT_HIGH_WATER)
        return TRUE;
    }
}

static gboolean connection_dispatch (GSocket      *socket,
                                     GIOCondition  condition,
                                     gpointer      user_data);

/* Whether the connection reads what comes: a peer that does not read makes
 * us stop reading it, so its queue stays bounded. */
static gboolean
connection_reads (Connection *conn)
{
  return !conn->peer_ended && !conn->close_when_sent && !conn->server->pause_reading
         && !connection_has_unfed (conn) && connection_pending (conn) < OUTPUT_HIGH_WATER;
}

/* The kernel stamps a read with the last segment it took, and merges a
 * segment into the one waiting before it, the later stamp kept: not
 * reading, the first bytes' arrival is taken as they come (S14: reading
 * paused, "Hi!", a second later "Hope you're well", then one recv of
 * both). Nothing to read (the end, an error) has no stamp to take. */
static void
connection_take_first_arrival (Connection *conn)
{
  if (g_socket_get_available_bytes (conn->socket) > 0)
    conn->first_arrival = scope_platform_socket_peek_arrival (conn->socket);
  conn->first_taken = TRUE;
  /* Paused, the first bytes waiting are said as they come. */
  if (conn->server->pause_reading)
    _scope_server_queue_unread (conn, conn->first_arrival);
}

/* A GSocket source watches a fixed condition: when what the connection
 * waits for changes (reading paused, output blocked), it gets a new one.
 * Not reading, it still watches for the first bytes to come, once. */
void
_scope_server_connection_update_source (Connection *conn)
{
  GIOCondition wanted = 0;

  conn->peeking = FALSE;
  if (connection_reads (conn))
    wanted |= G_IO_IN;
  else if (!conn->first_taken && !conn->peer_ended && !conn->close_when_sent)
    {
      wanted |= G_IO_IN;
      conn->peeking = TRUE;
    }
  if (connection_pending (conn) > 0)
    wanted |= G_IO_OUT;

  scope_socket_watch (conn->socket, &conn->source, &conn->watching, wanted,
                      connection_dispatch, conn);
}

static gboolean
connection_dispatch (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  Connection *conn = user_data;
  ScopeServer *self = conn->server;
  const ConnectionHandler *handler = _scope_server_handler_for (self->kind);
  GSource *dispatching = g_main_current_source ();
  gsize total = 0;

  if ((condition & G_IO_OUT) && !_scope_server_connection_flush (conn))
    return G_SOURCE_REMOVE;
  /* The peer took some of the queue: the rest of the last receive. */
  if (connection_has_unfed (conn) && !connection_feed (conn))
    return G_SOURCE_REMOVE;

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && (conn->watching & G_IO_IN)
      && conn->peeking)
    connection_take_first_arrival (conn);
  else if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && (conn->watching & G_IO_IN))
    {
      /* S19: when the socket became readable, then each recv it allowed. */
      scope_recorder_append (self->recorder, conn->id, SCOPE_EVENT_READABLE, NULL, 0);

      for (guint calls = 0;
           calls < READ_CALLS_PER_DISPATCH && total < READ_BYTES_PER_DISPATCH
           && connection_reads (conn);
           calls++)
        {
          g_autoptr(GError) error = NULL;
          gint64 first, arrived;
          gssize n;

          first = conn->first_arrival;
          conn->first_taken = FALSE;
          conn->first_arrival = -1;

          /* A read buffer changed while it runs applies from this read: the
           * last one's bytes are all fed by now. */
          if (conn->buffer_size != self->read_buffer_size)
            {
              conn->buffer_size = self->read_buffer_size;
              conn->buffer = g_realloc (conn->buffer, conn->buffer_size);
            }
          n = scope_platform_socket_receive_stream (conn->socket, conn->buffer,
                                                    conn->buffer_size, &first, &arrived, &error);

          if (n < 0)
            {
              if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                break;
              _scope_server_connection_fail (conn, error);
              return G_SOURCE_REMOVE;
            }

          /* A zero-byte read is the peer's shutdown(SHUT_WR) or close: the
           * end of what it sends (S15), recorded like any other receive. */
          if (n == 0)
            /* No stamp comes with a FIN: the kernel's last ACK, roughly. */
            scope_recorder_append_end_of_stream (self->recorder, conn->id,
                                                 scope_platform_socket_last_arrival (socket));
          else
            scope_recorder_append_stream_received (self->recorder, conn->id, conn->buffer, n,
                                                   first, arrived);
          conn->last_activity = g_get_monotonic_time ();
          if (n == 0)
            {
              conn->peer_ended = TRUE;
              break;
            }
          total += n;
          conn->unfed_start = 0;
          conn->unfed_end = n;
          if (!connection_feed (conn))
            return G_SOURCE_REMOVE;
        }
    }

  /* Read since the bytes waited unread: what waits now, none at all. */
  if (conn->unread > 0 && !conn->closed)
    _scope_server_queue_unread (conn, -1);

  if (conn->peer_ended && !conn->close_when_sent)
    {
      handler->ended (conn);
      conn->close_when_sent = TRUE;
      if (!_scope_server_connection_flush (conn))
        return G_SOURCE_REMOVE;
    }

  _scope_server_connection_update_source (conn);
  return conn->source == dispatching ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}
