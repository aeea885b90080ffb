/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "scope-server-private.h"

/* At its cap the HTTP server closes its oldest connection to make room, once
 * that one has had this long: a request and its answer take milliseconds. */
#define MAKE_ROOM_MIN_AGE_US      G_USEC_PER_SEC

/* Idle connections and slow requests closed, and room made for new ones:
 * so that silent or slow peers cannot hold a server. */

/* The idle timeout a connection has: the server's, or for the tiny HTTP
 * server, which answers one request and closes, a default of its own, so
 * that silent peers cannot hold it when the user chose none. */
static guint
connection_idle_timeout (Connection *conn)
{
  ScopeServer *self = conn->server;

  if (self->idle_timeout == 0 && self->kind == SCOPE_SERVER_HTTP)
    return SCOPE_SERVER_HTTP_IDLE_TIMEOUT;
  return self->idle_timeout;
}

/* Nothing in either direction for the idle timeout: the connection is
 * closed, and the timeline says why. A peer that never reads and never
 * sends, or one that went away without a word, holds nothing for long. */
static gboolean
connection_idle_check (gpointer user_data)
{
  Connection *conn = user_data;
  guint timeout = connection_idle_timeout (conn);
  gint64 timeout_us = (gint64) timeout * G_USEC_PER_SEC;
  gint64 idle_us = g_get_monotonic_time () - conn->last_activity;

  if (timeout == 0)
    {
      conn->idle_id = 0;
      return G_SOURCE_REMOVE;
    }
  /* Reading paused: the server is the one not reading, not the peer. */
  if (conn->server->pause_reading)
    {
      conn->idle_id = g_timeout_add_seconds (timeout, connection_idle_check, conn);
      return G_SOURCE_REMOVE;
    }
  if (idle_us < timeout_us)
    {
      /* Not yet: look again when it could be. */
      conn->idle_id = g_timeout_add ((guint) ((timeout_us - idle_us) / 1000) + 1,
                                     connection_idle_check, conn);
      return G_SOURCE_REMOVE;
    }
  conn->idle_id = 0;
  {
    g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                           /* Translators: %u is a number of seconds */
                                           _("Idle for %u s, the server’s limit: the connection "
                                             "is closed (ETIMEDOUT)"), timeout);

    _scope_server_connection_fail (conn, error);
  }
  return G_SOURCE_REMOVE;
}

void
_scope_server_connection_watch_idle (Connection *conn)
{
  guint timeout = connection_idle_timeout (conn);

  g_clear_handle_id (&conn->idle_id, g_source_remove);
  if (timeout > 0)
    conn->idle_id = g_timeout_add_seconds (timeout, connection_idle_check, conn);
}

static gboolean connection_request_late (gpointer user_data);

void
_scope_server_connection_watch_request (Connection *conn)
{
  ScopeServer *self = conn->server;

  g_clear_handle_id (&conn->request_id, g_source_remove);
  if (self->kind == SCOPE_SERVER_HTTP && self->request_timeout > 0 && !conn->close_when_sent)
    conn->request_id = g_timeout_add ((guint) MIN ((guint64) self->request_timeout * 1000,
                                                   G_MAXUINT),
                                      connection_request_late, conn);
}

/* HTTP: the whole head of the request within request-timeout of the
 * accept, however it trickles in. A byte every few seconds is not idle, and
 * sixty-four such peers would hold every connection for as long as they
 * liked. */
static gboolean
connection_request_late (gpointer user_data)
{
  Connection *conn = user_data;
  g_autoptr(GError) error = NULL;

  conn->request_id = 0;
  if (conn->close_when_sent)
    return G_SOURCE_REMOVE;
  if (conn->server->pause_reading)
    {
      /* The request may be waiting for us: a new deadline on resuming. */
      _scope_server_connection_watch_request (conn);
      return G_SOURCE_REMOVE;
    }
  error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       /* Translators: %u is a number of seconds */
                       _("No whole request within %u s of connecting, the server’s limit: the "
                         "connection is closed (ETIMEDOUT)"), conn->server->request_timeout);
  _scope_server_connection_fail (conn, error);
  return G_SOURCE_REMOVE;
}

/* At the connection cap, the tiny HTTP server closes its oldest connection
 * to let a new one in, once that one has been open for a second: a request
 * and its answer take milliseconds, so whoever holds a connection longer is
 * slow or silent, and must not keep everyone else out until its deadline.
 * The other servers keep their connections: a quiet echo session is
 * a student's, and the user's idle timeout is the way to end it. Returns
 * TRUE when it made room. */
gboolean
_scope_server_make_room (ScopeServer *self)
{
  Connection *oldest;
  gint64 age_us;
  g_autoptr(GError) error = NULL;

  if (self->kind != SCOPE_SERVER_HTTP || self->connections->len == 0)
    return FALSE;
  oldest = g_ptr_array_index (self->connections, 0);
  age_us = g_get_monotonic_time () - oldest->accepted_us;
  if (age_us < MAKE_ROOM_MIN_AGE_US)
    return FALSE;
  error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       /* Translators: %u is the number of connections the server
                        * allows, %.1f a number of seconds */
                       _("Closed to make room for a new connection: the server had its limit "
                         "of %u connections open, and this one, the oldest, had been open for "
                         "%.1f s, where a request and its answer take milliseconds"),
                       self->max_connections, age_us / (double) G_USEC_PER_SEC);
  _scope_server_connection_fail (oldest, error);
  return self->connections->len < self->max_connections;
}
