/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-server-private.h"

/* What each kind of stream server does with a connection. */

static void
nothing_accepted (Connection *conn)
{
}

static void
nothing_ended (Connection *conn)
{
}

static void
echo_received (Connection   *conn,
               const guint8 *data,
               gsize         size)
{
  _scope_server_connection_queue (conn, data, size);
}

/* Sum and HTTP: the protocols are in scope-protocols.c; here, what they
 * answer is queued, and HTTP closes once it has answered. */
static void
queue_answers (Connection *conn,
               GString    *out)
{
  if (out->len > 0)
    _scope_server_connection_queue (conn, (const guint8 *) out->str, out->len);
}

static void
sum_received (Connection   *conn,
              const guint8 *data,
              gsize         size)
{
  g_autoptr(GString) out = g_string_new (NULL);

  scope_sum_parser_feed (conn->sum, data, size, out);
  queue_answers (conn, out);
}

static void
sum_ended (Connection *conn)
{
  g_autoptr(GString) out = g_string_new (NULL);

  scope_sum_parser_end (conn->sum, out);
  queue_answers (conn, out);
}

static void
message_accepted (Connection *conn)
{
  _scope_server_connection_queue_string (conn, conn->server->message);
  conn->close_when_sent = TRUE;
}

static void
http_received (Connection   *conn,
               const guint8 *data,
               gsize         size)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (conn->close_when_sent)
    return;  /* answered already; the rest is ignored */
  if (scope_http_parser_feed (conn->http, data, size, out))
    {
      queue_answers (conn, out);
      conn->close_when_sent = TRUE;
      g_clear_handle_id (&conn->request_id, g_source_remove);
    }
}

static void
http_ended (Connection *conn)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (conn->close_when_sent)
    return;
  scope_http_parser_end (conn->http, out);
  queue_answers (conn, out);
  conn->close_when_sent = TRUE;
  g_clear_handle_id (&conn->request_id, g_source_remove);
}

static const ConnectionHandler handlers[] = {
  [SCOPE_SERVER_TCP_ECHO] = { nothing_accepted, echo_received, nothing_ended },
  [SCOPE_SERVER_TCP_SUM] = { nothing_accepted, sum_received, sum_ended },
  [SCOPE_SERVER_TCP_MESSAGE] = { message_accepted, echo_received, nothing_ended },
  [SCOPE_SERVER_HTTP] = { nothing_accepted, http_received, http_ended },
  [SCOPE_SERVER_UNIX_ECHO] = { nothing_accepted, echo_received, nothing_ended },
};

const ConnectionHandler *
_scope_server_handler_for (ScopeServerKind kind)
{
  g_assert (kind < G_N_ELEMENTS (handlers) && handlers[kind].received != NULL);

  return &handlers[kind];
}
