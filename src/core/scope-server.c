/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#ifdef G_OS_UNIX
# include <gio/gunixsocketaddress.h>
# include <netinet/in.h>
#endif

#include "scope-address.h"
#include "scope-errors.h"
#include "scope-platform.h"
#include "scope-protocols.h"
#include "scope-server.h"

/* The one-click servers. Everything runs on the main loop: one source per
 * socket, non-blocking calls, and a budget per dispatch so that a busy
 * connection cannot starve the others or the painting of the window. Every
 * call that touches a socket is recorded. */

#define READ_CALLS_PER_DISPATCH   16
#define READ_BYTES_PER_DISPATCH   (256 * 1024)
#define ACCEPTS_PER_DISPATCH      32
#define DATAGRAMS_PER_DISPATCH    64
#define ACCEPT_BACKOFF_MS         250           /* after EMFILE and the like */
#define OUTPUT_HIGH_WATER         (256 * 1024)  /* stop reading a peer that does not read */
#define MAX_DATAGRAM              65536

typedef struct _Connection Connection;

/* What each kind of server does with a connection. */
typedef struct
{
  void (*accepted) (Connection *conn);
  void (*received) (Connection *conn, const guint8 *data, gsize size);
  void (*ended)    (Connection *conn);   /* the peer shut down writing */
} ConnectionHandler;

struct _Connection
{
  ScopeServer  *server;      /* not owned: the server owns its connections */
  GSocket      *socket;
  GSource      *source;
  GIOCondition  watching;
  guint         id;          /* in the recorder */
  guint8       *buffer;
  gsize         buffer_size;
  GByteArray   *output;
  gsize         output_start;
  ScopeSumParser  *sum;
  ScopeHttpParser *http;
  gint64        last_activity;   /* monotonic µs of the last byte each way */
  guint         idle_id;
  guint         peer_ended : 1;
  guint         close_when_sent : 1;
  guint         closed : 1;
};

typedef struct
{
  ScopeServer *server;
  GSocket     *socket;
  GSource     *source;
  guint        id;
  guint        backoff_id;   /* out of descriptors: accepting again later */
  gboolean     failing;      /* said so already, until an accept works */
} Listener;

struct _ScopeServer
{
  GObject parent_instance;

  ScopeServerKind  kind;
  ScopeRecorder   *recorder;

  /* Options */
  char     *bind_address;
  gboolean  ipv6_only;
  guint     port;
  char     *unix_path;
  int       backlog;
  guint     read_buffer_size;
  gboolean  pause_accepting;
  gboolean  pause_reading;
  guint     max_connections;
  guint     idle_timeout;   /* seconds; 0: never */
  char     *message;

  /* State */
  GPtrArray *listeners;     /* Listener* */
  GPtrArray *connections;   /* Connection* */
  guint16    bound_port;
  gboolean   running;
  char      *bound_path;    /* the Unix path we made, to remove on stop */
};

G_DEFINE_FINAL_TYPE (ScopeServer, scope_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_RECORDER,
  PROP_BIND_ADDRESS,
  PROP_IPV6_ONLY,
  PROP_PORT,
  PROP_UNIX_PATH,
  PROP_BACKLOG,
  PROP_READ_BUFFER_SIZE,
  PROP_PAUSE_ACCEPTING,
  PROP_PAUSE_READING,
  PROP_MAX_CONNECTIONS,
  PROP_IDLE_TIMEOUT,
  PROP_MESSAGE,
  PROP_RUNNING,
  PROP_BOUND_PORT,
  PROP_N_CONNECTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char    *name;
  const char    *title;
  ScopeProtocol  protocol;
} kinds[] = {
  [SCOPE_SERVER_TCP_ECHO] = { "tcp-echo", N_("TCP echo"), SCOPE_PROTOCOL_TCP },
  [SCOPE_SERVER_UDP_ECHO] = { "udp-echo", N_("UDP echo"), SCOPE_PROTOCOL_UDP },
  [SCOPE_SERVER_UDP_UPPER] = { "udp-upper", N_("UDP upper-case"), SCOPE_PROTOCOL_UDP },
  [SCOPE_SERVER_TCP_SUM] = { "tcp-sum", N_("TCP sum"), SCOPE_PROTOCOL_TCP },
  [SCOPE_SERVER_TCP_MESSAGE] = { "tcp-message", N_("TCP message"), SCOPE_PROTOCOL_TCP },
  [SCOPE_SERVER_HTTP] = { "http", N_("Tiny HTTP"), SCOPE_PROTOCOL_TCP },
  [SCOPE_SERVER_UNIX_ECHO] = { "unix-echo", N_("Unix echo"), SCOPE_PROTOCOL_UNIX },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == SCOPE_SERVER_N_KINDS);

const char *
scope_server_kind_to_string (ScopeServerKind kind)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, NULL);

  return kinds[kind].name;
}

gboolean
scope_server_kind_from_string (const char      *name,
                               ScopeServerKind *kind)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < SCOPE_SERVER_N_KINDS; i++)
    if (g_str_equal (name, kinds[i].name))
      {
        if (kind != NULL)
          *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
scope_server_kind_get_title (ScopeServerKind kind)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, NULL);

  return _(kinds[kind].title);
}

ScopeProtocol
scope_server_kind_get_protocol (ScopeServerKind kind)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, SCOPE_PROTOCOL_TCP);

  return kinds[kind].protocol;
}

/* ---- connections -------------------------------------------------------- */

static const ConnectionHandler *handler_for (ScopeServerKind kind);

static void
connection_free (Connection *conn)
{
  g_clear_handle_id (&conn->idle_id, g_source_remove);
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
static void
connection_close (Connection *conn)
{
  ScopeServer *self = conn->server;

  if (conn->closed)
    return;
  conn->closed = TRUE;

  g_socket_close (conn->socket, NULL);
  scope_recorder_append (self->recorder, conn->id, SCOPE_EVENT_CLOSE, NULL, 0);
  g_ptr_array_remove (self->connections, conn);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONNECTIONS]);
}

static void
connection_fail (Connection   *conn,
                 const GError *error)
{
  scope_recorder_append_error (conn->server->recorder, conn->id, error);
  connection_close (conn);
}

static gsize
connection_pending (Connection *conn)
{
  return conn->output->len - conn->output_start;
}

static void
connection_queue (Connection   *conn,
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

static void
connection_queue_string (Connection *conn,
                         const char *text)
{
  connection_queue (conn, (const guint8 *) text, strlen (text));
}

/* Sends what is queued until the socket would block; closes the connection
 * when it was to close once all is sent. Returns FALSE when it is closed. */
static gboolean
connection_flush (Connection *conn)
{
  while (connection_pending (conn) > 0)
    {
      g_autoptr(GError) error = NULL;
      const guint8 *data = conn->output->data + conn->output_start;
      gssize sent = g_socket_send (conn->socket, (const char *) data,
                                   connection_pending (conn), NULL, &error);

      if (sent < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return TRUE;
          connection_fail (conn, error);
          return FALSE;
        }
      scope_recorder_append (conn->server->recorder, conn->id, SCOPE_EVENT_SEND, data, sent);
      conn->output_start += sent;
      conn->last_activity = g_get_monotonic_time ();
    }

  if (conn->close_when_sent)
    {
      connection_close (conn);
      return FALSE;
    }
  return TRUE;
}

static gboolean connection_dispatch (GSocket      *socket,
                                     GIOCondition  condition,
                                     gpointer      user_data);

/* A GSocket source watches a fixed condition: when what the connection
 * waits for changes (reading paused, output blocked), it gets a new one. A
 * peer that does not read makes us stop reading it, so its queue stays
 * bounded. */
static void
connection_update_source (Connection *conn)
{
  ScopeServer *self = conn->server;
  GIOCondition wanted = 0;

  if (!conn->peer_ended && !conn->close_when_sent && !self->pause_reading
      && connection_pending (conn) < OUTPUT_HIGH_WATER)
    wanted |= G_IO_IN;
  if (connection_pending (conn) > 0)
    wanted |= G_IO_OUT;

  if (conn->source != NULL && wanted == conn->watching)
    return;

  if (conn->source != NULL)
    {
      g_source_destroy (conn->source);
      g_clear_pointer (&conn->source, g_source_unref);
    }
  conn->watching = wanted;
  if (wanted == 0)
    return;

  conn->source = g_socket_create_source (conn->socket, wanted, NULL);
  /* Below GTK's painting (GDK_PRIORITY_REDRAW), so a busy connection
   * cannot freeze the window: the budget per dispatch is not enough alone. */
  g_source_set_priority (conn->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (conn->source, G_SOURCE_FUNC (connection_dispatch), conn, NULL);
  g_source_attach (conn->source, NULL);
}

static gboolean
connection_dispatch (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  Connection *conn = user_data;
  ScopeServer *self = conn->server;
  const ConnectionHandler *handler = handler_for (self->kind);
  GSource *dispatching = g_main_current_source ();
  gsize total = 0;

  if ((condition & G_IO_OUT) && !connection_flush (conn))
    return G_SOURCE_REMOVE;

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && (conn->watching & G_IO_IN))
    {
      /* S19: when the socket became readable, then each recv it allowed. */
      scope_recorder_append (self->recorder, conn->id, SCOPE_EVENT_READABLE, NULL, 0);

      for (guint calls = 0;
           calls < READ_CALLS_PER_DISPATCH && total < READ_BYTES_PER_DISPATCH
           && !conn->peer_ended && !conn->close_when_sent && !self->pause_reading
           && connection_pending (conn) < OUTPUT_HIGH_WATER;
           calls++)
        {
          g_autoptr(GError) error = NULL;
          gssize n = g_socket_receive (conn->socket, (char *) conn->buffer, conn->buffer_size,
                                       NULL, &error);

          if (n < 0)
            {
              if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                break;
              connection_fail (conn, error);
              return G_SOURCE_REMOVE;
            }

          /* A zero-byte read is the peer's shutdown(SHUT_WR) or close: the
           * end of what it sends (S15), recorded like any other receive. */
          scope_recorder_append (self->recorder, conn->id, SCOPE_EVENT_RECV, conn->buffer, n);
          conn->last_activity = g_get_monotonic_time ();
          if (n == 0)
            {
              conn->peer_ended = TRUE;
              break;
            }
          total += n;
          handler->received (conn, conn->buffer, n);
          if (!connection_flush (conn))
            return G_SOURCE_REMOVE;
        }
    }

  if (conn->peer_ended && !conn->close_when_sent)
    {
      handler->ended (conn);
      conn->close_when_sent = TRUE;
      if (!connection_flush (conn))
        return G_SOURCE_REMOVE;
    }

  connection_update_source (conn);
  return conn->source == dispatching ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* ---- what each kind does ------------------------------------------------ */

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
  connection_queue (conn, data, size);
}

/* Sum and HTTP: the protocols are in scope-protocols.c; here, what they
 * answer is queued, and HTTP closes once it has answered. */
static void
queue_answers (Connection *conn,
               GString    *out)
{
  if (out->len > 0)
    connection_queue (conn, (const guint8 *) out->str, out->len);
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
  connection_queue_string (conn, conn->server->message);
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
}

static const ConnectionHandler handlers[] = {
  [SCOPE_SERVER_TCP_ECHO] = { nothing_accepted, echo_received, nothing_ended },
  [SCOPE_SERVER_TCP_SUM] = { nothing_accepted, sum_received, sum_ended },
  [SCOPE_SERVER_TCP_MESSAGE] = { message_accepted, echo_received, nothing_ended },
  [SCOPE_SERVER_HTTP] = { nothing_accepted, http_received, http_ended },
  [SCOPE_SERVER_UNIX_ECHO] = { nothing_accepted, echo_received, nothing_ended },
};

static const ConnectionHandler *
handler_for (ScopeServerKind kind)
{
  g_assert (kind < G_N_ELEMENTS (handlers) && handlers[kind].received != NULL);

  return &handlers[kind];
}

/* ---- listening ---------------------------------------------------------- */

static void listener_update_source (Listener *listener);

static void
listener_free (Listener *listener)
{
  g_clear_handle_id (&listener->backoff_id, g_source_remove);
  if (listener->source != NULL)
    {
      g_source_destroy (listener->source);
      g_source_unref (listener->source);
    }
  g_clear_object (&listener->socket);
  g_free (listener);
}

/* Nothing in either direction for the server's idle timeout: the
 * connection is closed, and the timeline says why. A peer that never reads
 * and never sends, or one that went away without a word, holds nothing for
 * long. */
static gboolean
connection_idle_check (gpointer user_data)
{
  Connection *conn = user_data;
  ScopeServer *self = conn->server;
  gint64 timeout_us = (gint64) self->idle_timeout * G_USEC_PER_SEC;
  gint64 idle_us = g_get_monotonic_time () - conn->last_activity;

  if (self->idle_timeout == 0)
    {
      conn->idle_id = 0;
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
                                             "is closed (ETIMEDOUT)"), self->idle_timeout);

    connection_fail (conn, error);
  }
  return G_SOURCE_REMOVE;
}

static void
connection_watch_idle (Connection *conn)
{
  g_clear_handle_id (&conn->idle_id, g_source_remove);
  if (conn->server->idle_timeout > 0)
    conn->idle_id = g_timeout_add_seconds (conn->server->idle_timeout, connection_idle_check,
                                           conn);
}

static void
accept_one (Listener *listener,
            GSocket  *socket)
{
  ScopeServer *self = listener->server;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) peer = g_socket_get_remote_address (socket, NULL);
  Connection *conn;

  g_socket_set_blocking (socket, FALSE);

  if (self->connections->len >= self->max_connections)
    {
      /* Over the cap: the connection is taken off the queue and closed at
       * once, and that is an event on the listener too. */
      guint id = scope_recorder_add_socket (self->recorder, SCOPE_SOCKET_CONNECTION,
                                            kinds[self->kind].protocol,
                                            kinds[self->kind].name, local, peer, listener->id);

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
  if (self->kind == SCOPE_SERVER_TCP_SUM)
    conn->sum = scope_sum_parser_new ();
  if (self->kind == SCOPE_SERVER_HTTP)
    conn->http = scope_http_parser_new ();
  conn->id = scope_recorder_add_socket (self->recorder, SCOPE_SOCKET_CONNECTION,
                                        kinds[self->kind].protocol, kinds[self->kind].name,
                                        local, peer, listener->id);
  scope_recorder_append_accept (self->recorder, listener->id, conn->id);
  conn->last_activity = g_get_monotonic_time ();
  connection_watch_idle (conn);
  g_ptr_array_add (self->connections, conn);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONNECTIONS]);

  handler_for (self->kind)->accepted (conn);
  if (connection_flush (conn))
    connection_update_source (conn);
}

static gboolean
listener_backoff_done (gpointer user_data)
{
  Listener *listener = user_data;

  listener->backoff_id = 0;
  listener_update_source (listener);
  return G_SOURCE_REMOVE;
}

static gboolean
listener_accept (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  Listener *listener = user_data;

  for (guint i = 0; i < ACCEPTS_PER_DISPATCH && !listener->server->pause_accepting; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) accepted = g_socket_accept (listener->socket, NULL, &error);
      int errnum;

      if (accepted != NULL)
        {
          listener->failing = FALSE;
          accept_one (listener, accepted);
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
          listener_update_source (listener);
          return G_SOURCE_REMOVE;
        }
      break;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
datagram_dispatch (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  Listener *listener = user_data;
  ScopeServer *self = listener->server;
  guint8 buffer[MAX_DATAGRAM];

  scope_recorder_append (self->recorder, listener->id, SCOPE_EVENT_READABLE, NULL, 0);
  for (guint i = 0; i < DATAGRAMS_PER_DISPATCH && !self->pause_reading; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketAddress) peer = NULL;
      gssize n = g_socket_receive_from (socket, &peer, (char *) buffer, sizeof buffer, NULL,
                                        &error);
      gssize sent;

      if (n < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            scope_recorder_append_error (self->recorder, listener->id, error);
          break;
        }
      scope_recorder_append_datagram (self->recorder, listener->id, SCOPE_EVENT_RECVFROM, peer,
                                      buffer, n);
      if (self->kind == SCOPE_SERVER_UDP_UPPER)
        for (gssize j = 0; j < n; j++)
          buffer[j] = g_ascii_toupper (buffer[j]);

      sent = g_socket_send_to (socket, peer, (const char *) buffer, n, NULL, &error);
      if (sent < 0)
        scope_recorder_append_error (self->recorder, listener->id, error);
      else
        scope_recorder_append_datagram (self->recorder, listener->id, SCOPE_EVENT_SENDTO, peer,
                                        buffer, sent);
    }
  return G_SOURCE_CONTINUE;
}

static void
listener_update_source (Listener *listener)
{
  ScopeServer *self = listener->server;
  gboolean datagram = kinds[self->kind].protocol == SCOPE_PROTOCOL_UDP;
  gboolean wanted = (datagram ? !self->pause_reading : !self->pause_accepting)
                    && listener->backoff_id == 0;

  if (wanted == (listener->source != NULL))
    return;

  if (!wanted)
    {
      g_source_destroy (listener->source);
      g_clear_pointer (&listener->source, g_source_unref);
      return;
    }

  listener->source = g_socket_create_source (listener->socket, G_IO_IN, NULL);
  g_source_set_priority (listener->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (listener->source,
                         datagram ? G_SOURCE_FUNC (datagram_dispatch)
                                  : G_SOURCE_FUNC (listener_accept),
                         listener, NULL);
  g_source_attach (listener->source, NULL);
}

/* The addresses to bind, from the bind-address option. */
static GPtrArray *
bind_addresses (ScopeServer  *self,
                GError      **error)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_object_unref);
  const char *bind = self->bind_address;

  if (kinds[self->kind].protocol == SCOPE_PROTOCOL_UNIX)
    {
#ifdef G_OS_UNIX
      if (self->unix_path == NULL || self->unix_path[0] == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("A Unix-domain server needs a path to listen on"));
          return NULL;
        }
      if (!scope_unix_path_validate (self->unix_path, error))
        return NULL;
      g_ptr_array_add (addresses, g_unix_socket_address_new (self->unix_path));
      return g_steal_pointer (&addresses);
#else
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This platform has no Unix-domain sockets"));
      return NULL;
#endif
    }

  if (g_strcmp0 (bind, "loopback") == 0)
    {
      g_ptr_array_add (addresses, g_inet_socket_address_new_from_string ("127.0.0.1", self->port));
      g_ptr_array_add (addresses, g_inet_socket_address_new_from_string ("::1", self->port));
    }
  else
    {
      GSocketAddress *address = NULL;

      if (bind != NULL && strchr (bind, '%') == NULL)
        address = g_inet_socket_address_new_from_string (bind, self->port);
      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an address to listen on: use 127.0.0.1, ::1, loopback "
                         "(both), 0.0.0.0 or :: (all interfaces), or another address of this "
                         "machine"), bind ? bind : "");
          return NULL;
        }
      g_ptr_array_add (addresses, address);
    }
  return g_steal_pointer (&addresses);
}

#ifdef G_OS_UNIX
/* A socket file left by a server that did not stop cleanly: nobody answers
 * on it, so it may be replaced. Anything else at the path is kept. */
static gboolean
unix_path_is_stale (const char *path)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || !S_ISSOCK (st.st_mode))
    return FALSE;
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  return connection == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}
#endif

static gboolean
listen_on (ScopeServer     *self,
           GSocketAddress  *address,
           GError         **error)
{
  ScopeProtocol protocol = kinds[self->kind].protocol;
  GSocketType type = protocol == SCOPE_PROTOCOL_UDP ? G_SOCKET_TYPE_DATAGRAM
                                                    : G_SOCKET_TYPE_STREAM;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *shown = scope_socket_address_to_string (address);
  g_autoptr(GError) local_error = NULL;
  Listener *listener;

  socket = g_socket_new (g_socket_address_get_family (address), type,
                         G_SOCKET_PROTOCOL_DEFAULT, &local_error);
  if (socket == NULL)
    goto failed;
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, self->backlog);

#if defined(G_OS_UNIX) && defined(IPV6_V6ONLY)
  /* GLib makes IPv6 sockets dual-stack; "::" with ipv6-only is IPv6 alone. */
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6
      && !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, self->ipv6_only,
                               &local_error))
    goto failed;
#endif

  /* SO_REUSEADDR for TCP only, as servers do: a port in TIME_WAIT can be
   * reused, a port someone listens on cannot. For UDP GLib would also set
   * SO_REUSEPORT, and two servers would share a port without a word. */
  if (!g_socket_bind (socket, address, type == G_SOCKET_TYPE_STREAM, &local_error))
    {
#ifdef G_OS_UNIX
      if (protocol == SCOPE_PROTOCOL_UNIX
          && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE)
          && unix_path_is_stale (self->unix_path))
        {
          g_clear_error (&local_error);
          g_unlink (self->unix_path);
          if (g_socket_bind (socket, address, FALSE, &local_error))
            goto bound;
        }
#endif
      goto failed;
    }

#ifdef G_OS_UNIX
bound:
#endif
  if (type == G_SOCKET_TYPE_STREAM && !g_socket_listen (socket, &local_error))
    goto failed;

  local = g_socket_get_local_address (socket, &local_error);
  if (local == NULL)
    goto failed;
  if (G_IS_INET_SOCKET_ADDRESS (local))
    self->bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  if (protocol == SCOPE_PROTOCOL_UNIX)
    {
      g_free (self->bound_path);
      self->bound_path = g_strdup (self->unix_path);
    }

  listener = g_new0 (Listener, 1);
  listener->server = self;
  listener->socket = g_steal_pointer (&socket);
  listener->id = scope_recorder_add_socket (self->recorder,
                                            type == G_SOCKET_TYPE_STREAM ? SCOPE_SOCKET_LISTENER
                                                                         : SCOPE_SOCKET_DATAGRAM,
                                            protocol, kinds[self->kind].name, local, NULL, 0);
  if (type == G_SOCKET_TYPE_STREAM)
    scope_recorder_append (self->recorder, listener->id, SCOPE_EVENT_LISTEN, NULL, 0);
  g_ptr_array_add (self->listeners, listener);
  listener_update_source (listener);
  return TRUE;

failed:
  {
    g_autofree char *words = scope_error_describe (local_error);

    g_set_error (error, local_error->domain, local_error->code,
                 /* Translators: the first %s is an address such as
                  * 127.0.0.1:80, the second what went wrong, in words, then
                  * the errno name */
                 _("Could not listen on %s: %s"), shown, words);
    return FALSE;
  }
}

/**
 * scope_server_start:
 *
 * Binds and listens on every address of the bind-address option, with the
 * same port on each (the one the OS chose on the first, for port 0).
 */
gboolean
scope_server_start (ScopeServer  *self,
                    GError      **error)
{
  g_autoptr(GPtrArray) addresses = NULL;
  gboolean loopback_both;
  guint attempts;

  g_return_val_if_fail (SCOPE_IS_SERVER (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  addresses = bind_addresses (self, error);
  if (addresses == NULL)
    return FALSE;
  loopback_both = g_strcmp0 (self->bind_address, "loopback") == 0
                  && kinds[self->kind].protocol != SCOPE_PROTOCOL_UNIX;
  attempts = 0;

  for (guint i = 0; i < addresses->len; i++)
    {
      GSocketAddress *address = g_ptr_array_index (addresses, i);
      g_autoptr(GSocketAddress) same_port = NULL;
      g_autoptr(GError) local_error = NULL;

      if (i > 0 && G_IS_INET_SOCKET_ADDRESS (address))
        {
          GInetAddress *ip = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));

          same_port = g_inet_socket_address_new (ip, self->bound_port);
          address = same_port;
        }

      if (!listen_on (self, address, &local_error))
        {
          /* Port 0 on both loopback addresses: the port the OS chose for
           * 127.0.0.1 may be taken on ::1. Any port was asked for, so try
           * again from the start, a few times. */
          if (i > 0 && self->port == 0 && attempts < 8
              && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
            {
              scope_server_stop (self);
              attempts++;
              i = (guint) -1;
              continue;
            }
          /* "loopback" on a machine without IPv6 is 127.0.0.1 alone. */
          if (loopback_both && i > 0
              && (scope_error_get_errno (local_error) == EADDRNOTAVAIL
                  || scope_error_get_errno (local_error) == EAFNOSUPPORT))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          scope_server_stop (self);
          return FALSE;
        }
    }

  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUND_PORT]);
  return TRUE;
}

/**
 * scope_server_stop:
 *
 * Closes every connection and listening socket; each close is recorded.
 */
void
scope_server_stop (ScopeServer *self)
{
  gboolean was_running;

  g_return_if_fail (SCOPE_IS_SERVER (self));

  was_running = self->running || self->listeners->len > 0;
  while (self->connections->len > 0)
    connection_close (g_ptr_array_index (self->connections, self->connections->len - 1));
  for (guint i = 0; i < self->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (self->listeners, i);

      g_socket_close (listener->socket, NULL);
      scope_recorder_append (self->recorder, listener->id, SCOPE_EVENT_CLOSE, NULL, 0);
    }
  g_ptr_array_set_size (self->listeners, 0);
  /* The path bound, not whatever unix-path says now; and only while it is
   * still a socket. */
  if (self->bound_path != NULL)
    {
#ifdef G_OS_UNIX
      GStatBuf st;

      if (g_lstat (self->bound_path, &st) == 0 && S_ISSOCK (st.st_mode))
        g_unlink (self->bound_path);
#endif
      g_clear_pointer (&self->bound_path, g_free);
    }

  if (was_running)
    {
      self->running = FALSE;
      self->bound_port = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUND_PORT]);
    }
}

/* ---- the object --------------------------------------------------------- */

static void
set_pause (ScopeServer *self,
           gboolean    *flag,
           gboolean     value,
           GParamSpec  *pspec)
{
  value = !!value;
  if (*flag == value)
    return;
  *flag = value;

  for (guint i = 0; i < self->listeners->len; i++)
    listener_update_source (g_ptr_array_index (self->listeners, i));
  for (guint i = 0; i < self->connections->len; i++)
    connection_update_source (g_ptr_array_index (self->connections, i));
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
scope_server_dispose (GObject *object)
{
  ScopeServer *self = SCOPE_SERVER (object);

  if (self->listeners != NULL)
    scope_server_stop (self);

  G_OBJECT_CLASS (scope_server_parent_class)->dispose (object);
}

static void
scope_server_finalize (GObject *object)
{
  ScopeServer *self = SCOPE_SERVER (object);

  g_ptr_array_unref (self->connections);
  g_ptr_array_unref (self->listeners);
  g_clear_object (&self->recorder);
  g_free (self->bind_address);
  g_free (self->unix_path);
  g_free (self->bound_path);
  g_free (self->message);

  G_OBJECT_CLASS (scope_server_parent_class)->finalize (object);
}

static void
scope_server_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ScopeServer *self = SCOPE_SERVER (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;
    case PROP_RECORDER:
      g_value_set_object (value, self->recorder);
      break;
    case PROP_BIND_ADDRESS:
      g_value_set_string (value, self->bind_address);
      break;
    case PROP_IPV6_ONLY:
      g_value_set_boolean (value, self->ipv6_only);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_UNIX_PATH:
      g_value_set_string (value, self->unix_path);
      break;
    case PROP_BACKLOG:
      g_value_set_int (value, self->backlog);
      break;
    case PROP_READ_BUFFER_SIZE:
      g_value_set_uint (value, self->read_buffer_size);
      break;
    case PROP_PAUSE_ACCEPTING:
      g_value_set_boolean (value, self->pause_accepting);
      break;
    case PROP_PAUSE_READING:
      g_value_set_boolean (value, self->pause_reading);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_BOUND_PORT:
      g_value_set_uint (value, self->bound_port);
      break;
    case PROP_N_CONNECTIONS:
      g_value_set_uint (value, self->connections->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_server_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ScopeServer *self = SCOPE_SERVER (object);
  gboolean changed = TRUE;

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_uint (value);
      return;
    case PROP_RECORDER:
      self->recorder = g_value_dup_object (value);
      return;
    case PROP_BIND_ADDRESS:
      changed = g_strcmp0 (self->bind_address, g_value_get_string (value)) != 0;
      g_free (self->bind_address);
      self->bind_address = g_value_dup_string (value);
      break;
    case PROP_IPV6_ONLY:
      changed = self->ipv6_only != g_value_get_boolean (value);
      self->ipv6_only = g_value_get_boolean (value);
      break;
    case PROP_PORT:
      changed = self->port != g_value_get_uint (value);
      self->port = g_value_get_uint (value);
      break;
    case PROP_UNIX_PATH:
      changed = g_strcmp0 (self->unix_path, g_value_get_string (value)) != 0;
      g_free (self->unix_path);
      self->unix_path = g_value_dup_string (value);
      break;
    case PROP_BACKLOG:
      changed = self->backlog != g_value_get_int (value);
      self->backlog = g_value_get_int (value);
      break;
    case PROP_READ_BUFFER_SIZE:
      changed = self->read_buffer_size != g_value_get_uint (value);
      self->read_buffer_size = g_value_get_uint (value);
      break;
    case PROP_PAUSE_ACCEPTING:
      set_pause (self, &self->pause_accepting, g_value_get_boolean (value), pspec);
      return;
    case PROP_PAUSE_READING:
      set_pause (self, &self->pause_reading, g_value_get_boolean (value), pspec);
      return;
    case PROP_MAX_CONNECTIONS:
      changed = self->max_connections != g_value_get_uint (value);
      self->max_connections = g_value_get_uint (value);
      break;
    case PROP_IDLE_TIMEOUT:
      changed = self->idle_timeout != g_value_get_uint (value);
      self->idle_timeout = g_value_get_uint (value);
      /* It applies to the connections there are, from now. */
      for (guint i = 0; changed && i < self->connections->len; i++)
        connection_watch_idle (g_ptr_array_index (self->connections, i));
      break;
    case PROP_MESSAGE:
      changed = g_strcmp0 (self->message, g_value_get_string (value)) != 0;
      g_free (self->message);
      /* Never NULL: it is queued as it is on every accept. */
      self->message = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
scope_server_constructed (GObject *object)
{
  ScopeServer *self = SCOPE_SERVER (object);

  G_OBJECT_CLASS (scope_server_parent_class)->constructed (object);

  if (self->recorder == NULL)
    self->recorder = scope_recorder_new ();
}

static void
scope_server_class_init (ScopeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = scope_server_constructed;
  object_class->dispose = scope_server_dispose;
  object_class->finalize = scope_server_finalize;
  object_class->get_property = scope_server_get_property;
  object_class->set_property = scope_server_set_property;

  properties[PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL, 0, SCOPE_SERVER_N_KINDS - 1, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDER] =
    g_param_spec_object ("recorder", NULL, NULL, SCOPE_TYPE_RECORDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Loopback unless the user asks for more: nothing here listens on a
   * network that others can reach by default. */
  properties[PROP_BIND_ADDRESS] =
    g_param_spec_string ("bind-address", NULL, NULL, "127.0.0.1", rw | G_PARAM_CONSTRUCT);
  properties[PROP_IPV6_ONLY] =
    g_param_spec_boolean ("ipv6-only", NULL, NULL, FALSE, rw);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, rw);
  properties[PROP_UNIX_PATH] =
    g_param_spec_string ("unix-path", NULL, NULL, NULL, rw);
  properties[PROP_BACKLOG] =
    g_param_spec_int ("backlog", NULL, NULL, 0, 4096, SCOPE_SERVER_DEFAULT_BACKLOG,
                      rw | G_PARAM_CONSTRUCT);
  properties[PROP_READ_BUFFER_SIZE] =
    g_param_spec_uint ("read-buffer-size", NULL, NULL, 1, SCOPE_SERVER_MAX_READ_BUFFER,
                       SCOPE_SERVER_DEFAULT_READ_BUFFER, rw | G_PARAM_CONSTRUCT);
  properties[PROP_PAUSE_ACCEPTING] =
    g_param_spec_boolean ("pause-accepting", NULL, NULL, FALSE, rw);
  properties[PROP_PAUSE_READING] =
    g_param_spec_boolean ("pause-reading", NULL, NULL, FALSE, rw);
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 1, 100000,
                       SCOPE_SERVER_DEFAULT_MAX_CONNECTIONS, rw | G_PARAM_CONSTRUCT);
  /**
   * ScopeServer:idle-timeout:
   *
   * Seconds a connection may pass with nothing sent either way before it
   * is closed; 0 for never.
   */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, SCOPE_SERVER_MAX_IDLE_TIMEOUT, 0,
                       rw | G_PARAM_CONSTRUCT);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, "Hello from Sockscope\n",
                         rw | G_PARAM_CONSTRUCT);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_BOUND_PORT] =
    g_param_spec_uint ("bound-port", NULL, NULL, 0, G_MAXUINT16, 0, ro);
  properties[PROP_N_CONNECTIONS] =
    g_param_spec_uint ("n-connections", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_server_init (ScopeServer *self)
{
  self->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) listener_free);
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
}

/**
 * scope_server_new:
 * @recorder: (nullable): where its events go; a new recorder when %NULL
 */
ScopeServer *
scope_server_new (ScopeServerKind  kind,
                  ScopeRecorder   *recorder)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, NULL);

  return g_object_new (SCOPE_TYPE_SERVER, "kind", kind, "recorder", recorder, NULL);
}

gboolean
scope_server_get_running (ScopeServer *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), FALSE);

  return self->running;
}

ScopeServerKind
scope_server_get_kind (ScopeServer *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), 0);

  return self->kind;
}

guint16
scope_server_get_bound_port (ScopeServer *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), 0);

  return self->bound_port;
}

/**
 * scope_server_dup_listening_addresses:
 *
 * Returns: (transfer full): the addresses it listens on, as a user reads
 * them: "127.0.0.1:50000", "[::1]:50000", a path
 */
char **
scope_server_dup_listening_addresses (ScopeServer *self)
{
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (SCOPE_IS_SERVER (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (self->listeners, i);

      g_strv_builder_add (builder,
                          scope_recorder_get_socket (self->recorder, listener->id)->local_address);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

guint
scope_server_get_n_connections (ScopeServer *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), 0);

  return self->connections->len;
}

/**
 * scope_server_describe_exposure:
 *
 * Names what listening on all interfaces opens, address by address, as
 * this machine has them now: the choice is made knowingly.
 */
char *
scope_server_describe_exposure (const char *bind_address,
                                gboolean    ipv6_only)
{
  g_autoptr(GPtrArray) interfaces = NULL;
  g_autoptr(GString) reachable = g_string_new (NULL);
  gboolean want_v4, want_v6;

  if (g_strcmp0 (bind_address, "0.0.0.0") == 0)
    want_v4 = TRUE, want_v6 = FALSE;
  else if (g_strcmp0 (bind_address, "::") == 0)
    want_v4 = !ipv6_only, want_v6 = TRUE;
  else
    return NULL;

  interfaces = scope_platform_interfaces (NULL);
  for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
    {
      ScopeInterfaceAddress *a = g_ptr_array_index (interfaces, i);
      g_autoptr(GInetAddress) address = NULL;
      g_autofree char *plain = g_strdup (a->address);
      char *percent;

      if (a->address == NULL || (a->family == G_SOCKET_FAMILY_IPV4 && !want_v4)
          || (a->family == G_SOCKET_FAMILY_IPV6 && !want_v6))
        continue;
      if ((percent = strchr (plain, '%')) != NULL)
        *percent = '\0';
      address = g_inet_address_new_from_string (plain);
      if (address == NULL || g_inet_address_get_is_loopback (address))
        continue;
      g_string_append_printf (reachable, "%s%s", reachable->len > 0 ? ", " : "", a->address);
    }

  if (reachable->len == 0)
    return g_strdup (_("Listening on all interfaces: no other machine can reach it now, for "
                       "this machine has no address but loopback; it will be reachable at "
                       "any address the machine gets"));
  /* Translators: %s is a list of this machine's addresses */
  return g_strdup_printf (_("Listening on all interfaces: other machines on your networks can "
                            "connect, at %s"), reachable->str);
}
