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
 * call that touches a socket is recorded.
 *
 * They are on a lab's network as often as on loopback, so none of them can
 * be turned against its own machine or others: a connection's queue has a
 * bound after the handler's answer as well as before the read; the tiny
 * HTTP server closes requests that do not come and makes room for new ones
 * when full; the UDP servers do not answer sources no client can have, and
 * answer each peer at a bounded rate, from a table of peers with a bound;
 * a Unix server removes its own socket file and nothing else. */

#define READ_CALLS_PER_DISPATCH   16
#define READ_BYTES_PER_DISPATCH   (256 * 1024)
#define ACCEPTS_PER_DISPATCH      32
#define DATAGRAMS_PER_DISPATCH    64
#define ACCEPT_BACKOFF_MS         250           /* after EMFILE and the like */
#define OUTPUT_HIGH_WATER         (256 * 1024)  /* stop reading a peer that does not read */
/* What a receive brought is given to the handler this much at a time, so
 * that one slice's answer at most goes past OUTPUT_HIGH_WATER: the sum
 * server's answer to a short bad line is some 15 times its size. */
#define FEED_SLICE                1024
#define MAX_DATAGRAM              65536
/* At its cap the HTTP server closes its oldest connection to make room, once
 * that one has had this long: a request and its answer take milliseconds. */
#define MAKE_ROOM_MIN_AGE_US      G_USEC_PER_SEC
/* The peers of a UDP server: a fixed table, whatever the number of sources
 * (forged ones cost nothing to make), looked up in a few probes. */
#define PEER_SLOTS                256
#define PEER_PROBES               8
/* A run of datagrams not answered ends when its peer has sent none for
 * this long; at most this many runs a second are said one by one. */
#define DROP_RUN_QUIET_US         G_USEC_PER_SEC
#define DROP_NOTICES_PER_SECOND   8
#define LOCAL_ADDRESSES_TTL_US    G_USEC_PER_SEC

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
  gsize         unfed_start; /* what the last receive brought that the handler */
  gsize         unfed_end;   /* has not had yet, in buffer */
  GByteArray   *output;
  gsize         output_start;
  ScopeSumParser  *sum;
  ScopeHttpParser *http;
  gint64        accepted_us;
  gint64        last_activity;   /* monotonic µs of the last byte each way */
  guint         idle_id;
  guint         request_id;      /* HTTP: the deadline of the request's head */
  guint         peer_ended : 1;
  guint         close_when_sent : 1;
  guint         closed : 1;
};

/* Why a datagram was not answered. */
typedef enum
{
  DROP_NONE,
  DROP_NOT_A_CLIENT,      /* a multicast, broadcast or unspecified source */
  DROP_OWN_SOCKET,        /* where one of our own servers listens */
  DROP_PRIVILEGED_PORT,   /* below 1024: a service's port, not a client's */
  DROP_RATE,              /* over the peer's rate */
  DROP_NO_PAUSE,          /* answered too long without a pause: a loop */
  DROP_SEND_FAILED,       /* answered, but the answer could not be sent */
  N_DROP_REASONS
} DropReason;

typedef struct
{
  guint8  family;         /* 4 or 6; 0 for a free slot */
  guint8  bytes[16];
  guint16 port;
  guint32 scope_id;
} PeerKey;

/* One peer of a UDP server: its token bucket, and the present run of its
 * datagrams that were not answered. */
typedef struct
{
  PeerKey    key;
  gint64     last_seen_us;
  guint      answered;       /* since it last paused for DROP_RUN_QUIET_US */
  double     tokens;
  gint64     refilled_us;
  DropReason reason;
  guint64    dropped;        /* in the present run; 0: no run */
  gint64     last_drop_us;
  gboolean   said;           /* the run is on the timeline; else in the listener's sums */
} Peer;

typedef struct
{
  ScopeServer  *server;
  GSocket      *socket;
  GSource      *source;
  guint         id;
  guint         backoff_id;   /* out of descriptors: accepting again later */
  gboolean      failing;      /* said so already, until an accept works */
  /* Where it listens, our own copy: the recorder need not keep it. */
  char         *shown;        /* "127.0.0.1:50000", "[::1]:50000", a path */
  GInetAddress *address;      /* NULL for a Unix path; never IPv4-mapped */
  guint16       port;
  gboolean      ipv6_only;
  /* UDP: who sends to it */
  Peer         *peers;        /* PEER_SLOTS of them */
  guint32       peer_seed;    /* so that no sender can choose whom it evicts */
  guint         sweep_id;
  gint64        notice_window_us;
  guint         notices_in_window;
  guint64       unsaid_datagrams[N_DROP_REASONS];
  guint         unsaid_sources[N_DROP_REASONS];
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
  guint     idle_timeout;      /* seconds; 0: the kind's default */
  guint     request_timeout;   /* HTTP, seconds; 0: never */
  char     *message;

  /* State */
  GPtrArray *listeners;     /* Listener* */
  GPtrArray *connections;   /* Connection*, oldest first */
  guint16    bound_port;
  gboolean   running;
  char      *bound_path;    /* the Unix socket file we made, to remove on stop… */
  guint64    bound_device;  /* …while it is still that file */
  guint64    bound_inode;
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
  PROP_REQUEST_TIMEOUT,
  PROP_MESSAGE,
  PROP_RUNNING,
  PROP_BOUND_PORT,
  PROP_N_CONNECTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Every datagram socket a server of this process listens on: a datagram
 * from one of them is forged, or one of our own answers, and answering it
 * would start a loop. The main loop's alone, as all socket work here. */
static GPtrArray *datagram_listeners;   /* Listener*, not owned */

static const struct
{
  const char    *name;
  const char    *title;
  const char    *usage;
  ScopeProtocol  protocol;
} kinds[] = {
  [SCOPE_SERVER_TCP_ECHO] = { "tcp-echo", N_("TCP echo"),
                              N_("Sends back every byte it receives, as it receives it"),
                              SCOPE_PROTOCOL_TCP },
  [SCOPE_SERVER_UDP_ECHO] = { "udp-echo", N_("UDP echo"),
                              N_("Sends each datagram back to the address it came from"),
                              SCOPE_PROTOCOL_UDP },
  [SCOPE_SERVER_UDP_UPPER] = { "udp-upper", N_("UDP upper-case"),
                               N_("Sends each datagram back with its letters in upper case"),
                               SCOPE_PROTOCOL_UDP },
  [SCOPE_SERVER_TCP_SUM] = { "tcp-sum", N_("TCP sum"),
                             N_("Two integers on a line, e.g. 17 25: answers their exact sum, "
                                "or an error line"),
                             SCOPE_PROTOCOL_TCP },
  [SCOPE_SERVER_TCP_MESSAGE] = { "tcp-message", N_("TCP message"),
                                 N_("Sends its message to each client that connects, then "
                                    "closes"),
                                 SCOPE_PROTOCOL_TCP },
  [SCOPE_SERVER_HTTP] = { "http", N_("Tiny HTTP"),
                          N_("Answers GET and HEAD with a small page, then closes: try curl "
                             "or a browser"),
                          SCOPE_PROTOCOL_TCP },
  [SCOPE_SERVER_UNIX_ECHO] = { "unix-echo", N_("Unix echo"),
                               N_("Sends back every byte it receives, on a path instead of a "
                                  "port"),
                               SCOPE_PROTOCOL_UNIX },
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

/**
 * scope_server_kind_get_usage:
 *
 * Returns: (nullable): what a server of this kind answers, in one line
 * for its row and `serve --help`, translated
 */
const char *
scope_server_kind_get_usage (ScopeServerKind kind)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, NULL);

  return kinds[kind].usage != NULL ? _(kinds[kind].usage) : NULL;
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

static gboolean
connection_has_unfed (Connection *conn)
{
  return conn->unfed_start < conn->unfed_end;
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
  const ConnectionHandler *handler = handler_for (conn->server->kind);

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
      if (!connection_flush (conn))
        return FALSE;
      if (!connection_has_unfed (conn) || connection_pending (conn) >= OUTPUT_HIGH_WATER)
        return TRUE;
    }
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
      && !connection_has_unfed (conn) && connection_pending (conn) < OUTPUT_HIGH_WATER)
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
  /* The peer took some of the queue: the rest of the last receive. */
  if (connection_has_unfed (conn) && !connection_feed (conn))
    return G_SOURCE_REMOVE;

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && (conn->watching & G_IO_IN))
    {
      /* S19: when the socket became readable, then each recv it allowed. */
      scope_recorder_append (self->recorder, conn->id, SCOPE_EVENT_READABLE, NULL, 0);

      for (guint calls = 0;
           calls < READ_CALLS_PER_DISPATCH && total < READ_BYTES_PER_DISPATCH
           && !conn->peer_ended && !conn->close_when_sent && !self->pause_reading
           && !connection_has_unfed (conn) && connection_pending (conn) < OUTPUT_HIGH_WATER;
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
          conn->unfed_start = 0;
          conn->unfed_end = n;
          if (!connection_feed (conn))
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

static const ConnectionHandler *
handler_for (ScopeServerKind kind)
{
  g_assert (kind < G_N_ELEMENTS (handlers) && handlers[kind].received != NULL);

  return &handlers[kind];
}

/* ---- idle connections and slow requests ------------------------------- */

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

    connection_fail (conn, error);
  }
  return G_SOURCE_REMOVE;
}

static void
connection_watch_idle (Connection *conn)
{
  guint timeout = connection_idle_timeout (conn);

  g_clear_handle_id (&conn->idle_id, g_source_remove);
  if (timeout > 0)
    conn->idle_id = g_timeout_add_seconds (timeout, connection_idle_check, conn);
}

static gboolean connection_request_late (gpointer user_data);

static void
connection_watch_request (Connection *conn)
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
      connection_watch_request (conn);
      return G_SOURCE_REMOVE;
    }
  error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       /* Translators: %u is a number of seconds */
                       _("No whole request within %u s of connecting, the server’s limit: the "
                         "connection is closed (ETIMEDOUT)"), conn->server->request_timeout);
  connection_fail (conn, error);
  return G_SOURCE_REMOVE;
}

/* At the connection cap, the tiny HTTP server closes its oldest connection
 * to let a new one in, once that one has been open for a second: a request
 * and its answer take milliseconds, so whoever holds a connection longer is
 * slow or silent, and must not keep everyone else out until its deadline.
 * The other servers keep their connections: a quiet echo session is
 * a student's, and the user's idle timeout is the way to end it. Returns
 * TRUE when it made room. */
static gboolean
make_room (ScopeServer *self)
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
  connection_fail (oldest, error);
  return self->connections->len < self->max_connections;
}

/* ---- listening ---------------------------------------------------------- */

static void listener_update_source (Listener *listener);
static void listener_end_drops     (Listener *listener);

static void
listener_free (Listener *listener)
{
  if (datagram_listeners != NULL)
    g_ptr_array_remove (datagram_listeners, listener);
  g_clear_handle_id (&listener->backoff_id, g_source_remove);
  g_clear_handle_id (&listener->sweep_id, g_source_remove);
  if (listener->source != NULL)
    {
      g_source_destroy (listener->source);
      g_source_unref (listener->source);
    }
  g_clear_object (&listener->socket);
  g_clear_object (&listener->address);
  g_free (listener->shown);
  g_free (listener->peers);
  g_free (listener);
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

  if (self->connections->len >= self->max_connections && !make_room (self))
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
  conn->accepted_us = conn->last_activity = g_get_monotonic_time ();
  connection_watch_idle (conn);
  connection_watch_request (conn);
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

/* ---- datagrams: whom not to answer -------------------------------------- */

/* ::ffff:a.b.c.d, as a dual-stack socket names an IPv4 peer, is a.b.c.d. */
static GInetAddress *
address_unmapped (GInetAddress *address)
{
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6
      && memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0)
    return g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
  return g_object_ref (address);
}

/* Whether a datagram sent to @address would reach this machine: loopback,
 * or one of its interfaces' addresses (asked of the system at most once a
 * second, and only for a source on the port of a server bound to all). */
static gboolean
address_is_this_machine (GInetAddress *address)
{
  static GPtrArray *local;
  static gint64 local_at;
  gint64 now = g_get_monotonic_time ();

  if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_any (address))
    return TRUE;
  if (local == NULL || now - local_at > LOCAL_ADDRESSES_TTL_US)
    {
      g_autoptr(GPtrArray) interfaces = scope_platform_interfaces (NULL);

      g_clear_pointer (&local, g_ptr_array_unref);
      local = g_ptr_array_new_with_free_func (g_object_unref);
      local_at = now;
      for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
        {
          ScopeInterfaceAddress *a = g_ptr_array_index (interfaces, i);
          g_autofree char *plain = g_strdup (a->address);
          char *percent;
          GInetAddress *parsed;

          if (plain == NULL)
            continue;
          if ((percent = strchr (plain, '%')) != NULL)
            *percent = '\0';
          if ((parsed = g_inet_address_new_from_string (plain)) != NULL)
            g_ptr_array_add (local, parsed);
        }
    }
  for (guint i = 0; i < local->len; i++)
    if (g_inet_address_equal (g_ptr_array_index (local, i), address))
      return TRUE;
  return FALSE;
}

/* Whether one of our own datagram servers listens at @address:@port: an
 * answer sent there would be answered in turn, for ever. */
static gboolean
is_own_datagram_socket (GInetAddress *address,
                        guint16       port)
{
  GSocketFamily family = g_inet_address_get_family (address);

  for (guint i = 0; datagram_listeners != NULL && i < datagram_listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (datagram_listeners, i);
      GSocketFamily bound_family;

      if (listener->port != port || listener->address == NULL)
        continue;
      bound_family = g_inet_address_get_family (listener->address);
      if (!g_inet_address_get_is_any (listener->address))
        {
          if (g_inet_address_equal (listener->address, address))
            return TRUE;
          continue;
        }
      /* Bound to all: any address of this machine of a family it takes. */
      if ((bound_family == family
           || (bound_family == G_SOCKET_FAMILY_IPV6 && !listener->ipv6_only))
          && address_is_this_machine (address))
        return TRUE;
    }
  return FALSE;
}

static DropReason
datagram_source_refused (GInetAddress *address,
                         guint16       port)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);

  /* No client sends from these: the source is forged, and an answer to a
   * multicast one would go to every host of a network. */
  if (g_inet_address_get_is_any (address) || g_inet_address_get_is_multicast (address)
      || (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4
          && memcmp (bytes, "\xff\xff\xff\xff", 4) == 0))
    return DROP_NOT_A_CLIENT;
  if (is_own_datagram_socket (address, port))
    return DROP_OWN_SOCKET;
  /* Echo (7), chargen (19), daytime, DNS, NTP…: two services that answer
   * each other never stop; clients send from the ports above. */
  if (port < 1024)
    return DROP_PRIVILEGED_PORT;
  return DROP_NONE;
}

static guint32
peer_key_hash (const PeerKey *key,
               guint32        seed)
{
  guint32 hash = 2166136261u ^ seed;

  /* FNV-1a over the fields, not the struct and its padding. */
  hash = (hash ^ key->family) * 16777619u;
  for (guint i = 0; i < sizeof key->bytes; i++)
    hash = (hash ^ key->bytes[i]) * 16777619u;
  hash = (hash ^ (key->port & 0xff)) * 16777619u;
  hash = (hash ^ (key->port >> 8)) * 16777619u;
  for (guint i = 0; i < 4; i++)
    hash = (hash ^ ((key->scope_id >> (8 * i)) & 0xff)) * 16777619u;
  return hash;
}

static gboolean
peer_key_equal (const PeerKey *a,
                const PeerKey *b)
{
  return a->family == b->family && a->port == b->port && a->scope_id == b->scope_id
         && memcmp (a->bytes, b->bytes, sizeof a->bytes) == 0;
}

static char *
peer_key_to_string (const PeerKey *key)
{
  g_autoptr(GInetAddress) address =
    g_inet_address_new_from_bytes (key->bytes, key->family == 4 ? G_SOCKET_FAMILY_IPV4
                                                                : G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) socket_address =
    key->family == 4 ? g_inet_socket_address_new (address, key->port)
                     : g_object_new (G_TYPE_INET_SOCKET_ADDRESS, "address", address,
                                     "port", key->port, "scope-id", key->scope_id, NULL);

  return scope_socket_address_to_string (socket_address);
}

static const char *
drop_reason_words (DropReason reason)
{
  switch (reason)
    {
    case DROP_NOT_A_CLIENT:
      return _("no client sends from a multicast, broadcast or unspecified address, so the "
               "source is forged");
    case DROP_OWN_SOCKET:
      return _("a server of this program listens there, so the datagram is forged or one of "
               "our own answers, and answering it would start an endless loop");
    case DROP_PRIVILEGED_PORT:
      return _("ports below 1024 are services’ (echo, chargen, DNS), not clients’, and "
               "answering one can start an endless loop between two servers");
    case DROP_RATE:
      return _("it sent more than the rate of one peer allows");
    case DROP_NO_PAUSE:
      return _("it was answered too long without a pause of a second, as a loop between two "
               "servers is");
    case DROP_SEND_FAILED:
      return _("the answers could not be sent");
    case DROP_NONE:
    case N_DROP_REASONS:
    default:
      break;
    }
  g_assert_not_reached ();
}

static GIOErrorEnum
drop_reason_code (DropReason reason)
{
  return reason == DROP_RATE || reason == DROP_NO_PAUSE ? G_IO_ERROR_BUSY
         : reason == DROP_SEND_FAILED ? G_IO_ERROR_FAILED
         : G_IO_ERROR_PERMISSION_DENIED;
}

static void
listener_say (Listener     *listener,
              GIOErrorEnum  code,
              const char   *message)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, code, message);

  scope_recorder_append_error (listener->server->recorder, listener->id, error);
}

/* The end of a run of datagrams not answered: its count, when the run was
 * said one by one and held more than the one it began with. */
static void
peer_end_run (Listener *listener,
              Peer     *peer)
{
  if (peer->said && peer->dropped > 1)
    {
      g_autofree char *shown = peer_key_to_string (&peer->key);
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, peer->dropped);
      g_autofree char *message = NULL;

      if (peer->reason == DROP_SEND_FAILED)
        /* Translators: the first %s is a socket address, the second a number */
        message = g_strdup_printf (_("%s: %s answers in all could not be sent"), shown, count);
      else
        /* Translators: the first %s is a socket address, the second a number,
         * the third why they were not answered */
        message = g_strdup_printf (_("%s: %s datagrams in all were not answered: %s"),
                                   shown, count, drop_reason_words (peer->reason));
      listener_say (listener, drop_reason_code (peer->reason), message);
    }
  peer->dropped = 0;
  peer->said = FALSE;
}

/* What was not said one by one, in one sum for each reason. */
static void
listener_say_unsaid (Listener *listener)
{
  for (guint reason = DROP_NONE + 1; reason < N_DROP_REASONS; reason++)
    {
      g_autofree char *count = NULL;
      g_autofree char *message = NULL;
      guint sources = listener->unsaid_sources[reason];

      if (listener->unsaid_datagrams[reason] == 0)
        continue;
      count = g_strdup_printf ("%" G_GUINT64_FORMAT, listener->unsaid_datagrams[reason]);
      message = g_strdup_printf (ngettext (
                                   /* Translators: the first %s is a number of datagrams, %u a
                                    * number of sources, the last %s why they were not
                                    * answered */
                                   "Not answered, and counted rather than said one by one: %s "
                                   "datagrams from %u source: %s",
                                   "Not answered, and counted rather than said one by one: %s "
                                   "datagrams from %u sources: %s", sources),
                                 count, sources, drop_reason_words (reason));
      listener_say (listener, drop_reason_code (reason), message);
      listener->unsaid_datagrams[reason] = 0;
      listener->unsaid_sources[reason] = 0;
    }
}

static gboolean
listener_sweep (gpointer user_data)
{
  Listener *listener = user_data;
  gint64 now = g_get_monotonic_time ();
  gboolean open = FALSE;

  for (guint i = 0; i < PEER_SLOTS; i++)
    {
      Peer *peer = &listener->peers[i];

      if (peer->key.family == 0 || peer->dropped == 0)
        continue;
      if (now - peer->last_drop_us >= DROP_RUN_QUIET_US)
        peer_end_run (listener, peer);
      else
        open = TRUE;
    }
  listener_say_unsaid (listener);
  if (open)
    return G_SOURCE_CONTINUE;
  listener->sweep_id = 0;
  return G_SOURCE_REMOVE;
}

/* Everything not answered is said before the socket closes. */
static void
listener_end_drops (Listener *listener)
{
  if (listener->peers == NULL)
    return;
  for (guint i = 0; i < PEER_SLOTS; i++)
    if (listener->peers[i].key.family != 0 && listener->peers[i].dropped > 0)
      peer_end_run (listener, &listener->peers[i]);
  listener_say_unsaid (listener);
  g_clear_handle_id (&listener->sweep_id, g_source_remove);
}

/* The peer's slot, made when new. The table never grows: a new peer takes
 * a free slot of its probes, else the one least worth keeping (no run of
 * drops, and seen longest ago). */
static Peer *
listener_peer (Listener      *listener,
               const PeerKey *key,
               gint64         now)
{
  guint32 hash = peer_key_hash (key, listener->peer_seed);
  Peer *free_slot = NULL;
  Peer *victim = NULL;
  Peer *peer;

  for (guint i = 0; i < PEER_PROBES; i++)
    {
      peer = &listener->peers[(hash + i) % PEER_SLOTS];
      if (peer->key.family == 0)
        {
          if (free_slot == NULL)
            free_slot = peer;
          continue;
        }
      if (peer_key_equal (&peer->key, key))
        return peer;
      if (victim == NULL
          || (peer->dropped == 0 && victim->dropped > 0)
          || ((peer->dropped == 0) == (victim->dropped == 0)
              && peer->last_seen_us < victim->last_seen_us))
        victim = peer;
    }

  peer = free_slot != NULL ? free_slot : victim;
  if (peer->key.family != 0 && peer->dropped > 0)
    peer_end_run (listener, peer);
  memset (peer, 0, sizeof *peer);
  peer->key = *key;
  peer->last_seen_us = now;
  peer->tokens = SCOPE_SERVER_DATAGRAM_BURST;
  peer->refilled_us = now;
  return peer;
}

/* A token bucket: SCOPE_SERVER_DATAGRAM_BURST at once, then
 * SCOPE_SERVER_DATAGRAM_RATE a second. A loop through another program's
 * server (one on another machine, or another copy of this one) is one
 * datagram going round: on a fast path it runs out of tokens in
 * milliseconds, and once it is not answered the loop has ended. A slower
 * path (a round trip of over a millisecond) refills the bucket as fast as
 * the loop takes from it; but a loop never pauses, and a peer is answered
 * at most SCOPE_SERVER_DATAGRAM_MAX_WITHOUT_PAUSE datagrams without one,
 * so every loop ends, whatever its round trip. */
static gboolean
peer_take_token (Peer   *peer,
                 gint64  now)
{
  double tokens = peer->tokens
                  + (now - peer->refilled_us) * (double) SCOPE_SERVER_DATAGRAM_RATE
                    / G_USEC_PER_SEC;

  peer->tokens = MIN (tokens, (double) SCOPE_SERVER_DATAGRAM_BURST);
  peer->refilled_us = now;
  if (peer->tokens < 1.0)
    return FALSE;
  peer->tokens -= 1.0;
  return TRUE;
}

/* A datagram not answered, or an answer not sent: said once when a run of
 * them begins (at most DROP_NOTICES_PER_SECOND runs a second, the others
 * summed), counted after, and the count said when the run ends. */
static void
listener_count_drop (Listener       *listener,
                     Peer           *peer,
                     DropReason      reason,
                     GSocketAddress *address,
                     gint64          now,
                     const GError   *send_error)
{
  if (peer->dropped > 0 && peer->reason != reason)
    peer_end_run (listener, peer);

  if (peer->dropped == 0)
    {
      peer->reason = reason;
      if (now - listener->notice_window_us >= G_USEC_PER_SEC)
        {
          listener->notice_window_us = now;
          listener->notices_in_window = 0;
        }
      peer->said = listener->notices_in_window < DROP_NOTICES_PER_SECOND;
      if (peer->said)
        {
          g_autofree char *shown = scope_socket_address_to_string (address);
          g_autofree char *message = NULL;

          listener->notices_in_window++;
          if (reason == DROP_SEND_FAILED)
            {
              g_autofree char *words = scope_error_describe (send_error);

              /* Translators: the first %s is a socket address, the second what went
               * wrong, in words, then the errno name */
              message = g_strdup_printf (_("Could not answer %s: %s; more answers to it that "
                                           "fail are counted"), shown, words);
            }
          else if (reason == DROP_RATE)
            /* Translators: %s is a socket address, the %u are numbers of datagrams */
            message = g_strdup_printf (_("Not answering %s: it sent more than %u datagrams at "
                                         "once, over %u a second; what it sends past that is "
                                         "counted, not answered"),
                                       shown, SCOPE_SERVER_DATAGRAM_BURST,
                                       SCOPE_SERVER_DATAGRAM_RATE);
          else if (reason == DROP_NO_PAUSE)
            /* Translators: %s is a socket address, %u a number of datagrams */
            message = g_strdup_printf (_("Not answering %s: it was answered %u datagrams "
                                         "without a pause of a second, as a loop between two "
                                         "servers is; it is answered again after one"),
                                       shown, SCOPE_SERVER_DATAGRAM_MAX_WITHOUT_PAUSE);
          else
            /* Translators: the first %s is a socket address, the second why it
             * is not answered */
            message = g_strdup_printf (_("Not answering %s: %s"), shown,
                                       drop_reason_words (reason));
          listener_say (listener,
                        reason == DROP_SEND_FAILED ? (GIOErrorEnum) send_error->code
                                                   : drop_reason_code (reason),
                        message);
        }
      else
        listener->unsaid_sources[reason]++;
      if (listener->sweep_id == 0)
        listener->sweep_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, 1000, listener_sweep,
                                                 listener, NULL);
    }
  peer->dropped++;
  peer->last_drop_us = now;
  if (!peer->said)
    listener->unsaid_datagrams[reason]++;
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
      g_autoptr(GSocketAddress) peer_address = NULL;
      g_autoptr(GInetAddress) source = NULL;
      gssize n = g_socket_receive_from (socket, &peer_address, (char *) buffer, sizeof buffer,
                                        NULL, &error);
      GInetSocketAddress *inet;
      PeerKey key = { 0 };
      gint64 now;
      Peer *peer;
      DropReason reason;
      gssize sent;

      if (n < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            scope_recorder_append_error (self->recorder, listener->id, error);
          break;
        }
      scope_recorder_append_datagram (self->recorder, listener->id, SCOPE_EVENT_RECVFROM,
                                      peer_address, buffer, n);
      if (!G_IS_INET_SOCKET_ADDRESS (peer_address))
        continue;

      inet = G_INET_SOCKET_ADDRESS (peer_address);
      source = address_unmapped (g_inet_socket_address_get_address (inet));
      key.family = g_inet_address_get_family (source) == G_SOCKET_FAMILY_IPV4 ? 4 : 6;
      memcpy (key.bytes, g_inet_address_to_bytes (source), g_inet_address_get_native_size (source));
      key.port = g_inet_socket_address_get_port (inet);
      if (key.family == 6)
        key.scope_id = g_inet_socket_address_get_scope_id (inet);
      now = g_get_monotonic_time ();
      peer = listener_peer (listener, &key, now);
      if (now - peer->last_seen_us >= DROP_RUN_QUIET_US)
        peer->answered = 0;
      peer->last_seen_us = now;

      reason = datagram_source_refused (source, key.port);
      if (reason == DROP_NONE && peer->answered >= SCOPE_SERVER_DATAGRAM_MAX_WITHOUT_PAUSE)
        reason = DROP_NO_PAUSE;
      if (reason == DROP_NONE && !peer_take_token (peer, now))
        reason = DROP_RATE;
      if (reason != DROP_NONE)
        {
          listener_count_drop (listener, peer, reason, peer_address, now, NULL);
          continue;
        }

      if (self->kind == SCOPE_SERVER_UDP_UPPER)
        for (gssize j = 0; j < n; j++)
          buffer[j] = g_ascii_toupper (buffer[j]);

      peer->answered++;
      sent = g_socket_send_to (socket, peer_address, (const char *) buffer, n, NULL, &error);
      if (sent < 0)
        listener_count_drop (listener, peer, DROP_SEND_FAILED, peer_address, now, error);
      else
        scope_recorder_append_datagram (self->recorder, listener->id, SCOPE_EVENT_SENDTO,
                                        peer_address, buffer, sent);
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

/* The address a bind-address other than "loopback" listens on, parsed as
 * scope_server_start() binds it (GLib makes ::ffff:a.b.c.d an IPv4
 * address); NULL when it is none. */
static GSocketAddress *
parse_bind_address (const char *bind,
                    guint16     port)
{
  if (bind == NULL || strchr (bind, '%') != NULL)
    return NULL;
  return g_inet_socket_address_new_from_string (bind, port);
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
      GSocketAddress *address = parse_bind_address (bind, self->port);

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
/* Whether @path is still the very file that @st was. */
static gboolean
same_file (const char     *path,
           const GStatBuf *st)
{
  GStatBuf now;

  return g_lstat (path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino
         && (now.st_mode & S_IFMT) == (st->st_mode & S_IFMT);
}

/* A socket file left by a server that did not stop cleanly: nobody answers
 * on it, so it may be replaced. Anything else at the path is kept. The
 * connect is non-blocking: a live server whose backlog is full must not
 * stop our main loop, and it makes the path busy, not stale. */
static gboolean
unix_path_is_stale (const char *path,
                    GStatBuf   *st)
{
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  if (g_lstat (path, st) != 0 || !S_ISSOCK (st->st_mode))
    return FALSE;
  probe = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                        NULL);
  if (probe == NULL)
    return FALSE;
  g_socket_set_blocking (probe, FALSE);
  address = g_unix_socket_address_new (path);
  if (g_socket_connect (probe, address, NULL, &error))
    return FALSE;
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* What occupies @path, which bind() found taken (@errnum), in words; NULL
 * when nothing is there now. */
static char *
describe_unix_occupant (const char *path,
                        int         errnum)
{
  const char *name = scope_errno_name (errnum) != NULL ? scope_errno_name (errnum) : "EADDRINUSE";
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return NULL;
  if (S_ISREG (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("A regular file is at this path; a socket needs a path of its "
                              "own, and the file is left as it is (%s)"), name);
  if (S_ISDIR (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("A folder is at this path; a socket needs a path of its own, and "
                              "the folder is left as it is (%s)"), name);
  if (S_ISLNK (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("A symbolic link is at this path; a socket needs a path of its "
                              "own, and the link is left as it is (%s)"), name);
  if (S_ISFIFO (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("A FIFO (named pipe) is at this path; a socket needs a path of "
                              "its own, and the FIFO is left as it is (%s)"), name);
  if (S_ISSOCK (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("Another program listens on this path (%s)"), name);
  /* Translators: %s is an errno name such as EADDRINUSE */
  return g_strdup_printf (_("A device file is at this path; a socket needs a path of its own, "
                            "and the file is left as it is (%s)"), name);
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
  g_autofree char *words = NULL;
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
      GStatBuf stale;

      if (protocol == SCOPE_PROTOCOL_UNIX
          && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          /* Replaced only while it is the very socket file found stale. */
          if (unix_path_is_stale (self->unix_path, &stale) && same_file (self->unix_path, &stale))
            {
              g_clear_error (&local_error);
              g_unlink (self->unix_path);
              if (g_socket_bind (socket, address, FALSE, &local_error))
                goto bound;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
            words = describe_unix_occupant (self->unix_path, EADDRINUSE);
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
#ifdef G_OS_UNIX
  if (protocol == SCOPE_PROTOCOL_UNIX)
    {
      GStatBuf st;

      /* The file this bind made, to be told from one made at the same
       * path later, by another server, once ours was removed. */
      g_clear_pointer (&self->bound_path, g_free);
      if (g_lstat (self->unix_path, &st) == 0 && S_ISSOCK (st.st_mode))
        {
          self->bound_path = g_strdup (self->unix_path);
          self->bound_device = st.st_dev;
          self->bound_inode = st.st_ino;
        }
    }
#endif

  listener = g_new0 (Listener, 1);
  listener->server = self;
  listener->socket = g_steal_pointer (&socket);
  listener->shown = scope_socket_address_to_string (local);
  if (G_IS_INET_SOCKET_ADDRESS (local))
    {
      listener->address =
        address_unmapped (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
      listener->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      listener->ipv6_only = self->ipv6_only;
    }
  listener->id = scope_recorder_add_socket (self->recorder,
                                            type == G_SOCKET_TYPE_STREAM ? SCOPE_SOCKET_LISTENER
                                                                         : SCOPE_SOCKET_DATAGRAM,
                                            protocol, kinds[self->kind].name, local, NULL, 0);
  if (type == G_SOCKET_TYPE_STREAM)
    scope_recorder_append (self->recorder, listener->id, SCOPE_EVENT_LISTEN, NULL, 0);
  if (protocol == SCOPE_PROTOCOL_UDP)
    {
      listener->peers = g_new0 (Peer, PEER_SLOTS);
      listener->peer_seed = g_random_int ();
      if (datagram_listeners == NULL)
        datagram_listeners = g_ptr_array_new ();
      g_ptr_array_add (datagram_listeners, listener);
    }
  g_ptr_array_add (self->listeners, listener);
  listener_update_source (listener);
  return TRUE;

failed:
  if (words == NULL)
    words = scope_error_describe (local_error);
  g_set_error (error, local_error->domain, local_error->code,
               /* Translators: the first %s is an address such as
                * 127.0.0.1:80, the second what went wrong, in words, then
                * the errno name */
               _("Could not listen on %s: %s"), shown, words);
  return FALSE;
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
 * Closes every connection and listening socket; each close is recorded,
 * after what a UDP server did not answer.
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

      listener_end_drops (listener);
      g_socket_close (listener->socket, NULL);
      scope_recorder_append (self->recorder, listener->id, SCOPE_EVENT_CLOSE, NULL, 0);
    }
  g_ptr_array_set_size (self->listeners, 0);
  /* The socket file this server made, and only while the path is still
   * that file: another server may have bound the same path since ours was
   * removed by someone else, and its socket is not ours to remove. */
  if (self->bound_path != NULL)
    {
#ifdef G_OS_UNIX
      GStatBuf st;

      if (g_lstat (self->bound_path, &st) == 0 && S_ISSOCK (st.st_mode)
          && (guint64) st.st_dev == self->bound_device
          && (guint64) st.st_ino == self->bound_inode)
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
    {
      Connection *conn = g_ptr_array_index (self->connections, i);

      /* Reading again: the peers' deadlines start afresh, for they could
       * not be read while it was paused. */
      if (flag == &self->pause_reading && !value)
        {
          conn->last_activity = g_get_monotonic_time ();
          if (conn->request_id != 0)
            connection_watch_request (conn);
        }
      connection_update_source (conn);
    }
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
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
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
    case PROP_REQUEST_TIMEOUT:
      /* From the next accept: a deadline set is kept. */
      changed = self->request_timeout != g_value_get_uint (value);
      self->request_timeout = g_value_get_uint (value);
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
   * is closed. 0, the default, is the kind's own: never, but for the tiny
   * HTTP server, which answers one request and closes, and closes a
   * connection idle for %SCOPE_SERVER_HTTP_IDLE_TIMEOUT (10) seconds, so
   * that silent peers cannot hold all its connections. Any other value is
   * the limit, for every kind.
   */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, SCOPE_SERVER_MAX_IDLE_TIMEOUT, 0,
                       rw | G_PARAM_CONSTRUCT);
  /**
   * ScopeServer:request-timeout:
   *
   * The tiny HTTP server: seconds from the accept within which the whole
   * head of the request must have come, however slowly it trickles in,
   * else the connection is closed; %SCOPE_SERVER_DEFAULT_REQUEST_TIMEOUT
   * (20) by default, 0 for never. Other kinds do not use it.
   */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 0, SCOPE_SERVER_MAX_IDLE_TIMEOUT,
                       SCOPE_SERVER_DEFAULT_REQUEST_TIMEOUT, rw | G_PARAM_CONSTRUCT);
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
    g_strv_builder_add (builder, ((Listener *) g_ptr_array_index (self->listeners, i))->shown);
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
 * @bind_address: a bind-address as scope_server_start() takes it
 * @ipv6_only: whether an IPv6 address takes IPv6 alone
 *
 * Names what listening on @bind_address opens, address by address, as
 * this machine has them now: the choice is made knowingly. The address is
 * parsed as the server parses it, so every spelling of an address is the
 * same address ("::", "0::0", "0:0:0:0:0:0:0:0", "::0.0.0.0";
 * "::ffff:0.0.0.0", which GLib binds as 0.0.0.0), and any address but a
 * loopback one is reachable by others: a LAN address of this machine is.
 *
 * Returns: (transfer full) (nullable): the warning, or %NULL for loopback,
 * "loopback" and what is no address
 */
char *
scope_server_describe_exposure (const char *bind_address,
                                gboolean    ipv6_only)
{
  g_autoptr(GSocketAddress) parsed = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GPtrArray) interfaces = NULL;
  g_autoptr(GString) reachable = g_string_new (NULL);
  gboolean want_v4, want_v6;

  if (g_strcmp0 (bind_address, "loopback") == 0)
    return NULL;
  parsed = parse_bind_address (bind_address, 0);
  if (parsed == NULL)
    return NULL;
  address = address_unmapped (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (parsed)));
  if (g_inet_address_get_is_loopback (address))
    return NULL;

  if (!g_inet_address_get_is_any (address))
    {
      g_autofree char *shown = g_inet_address_to_string (address);

      /* Translators: %s is an address of this machine, such as 192.0.2.7 */
      return g_strdup_printf (_("Listening on %s, which is not a loopback address: other "
                                "machines on its network can connect"), shown);
    }

  want_v4 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4 || !ipv6_only;
  want_v6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
  interfaces = scope_platform_interfaces (NULL);
  for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
    {
      ScopeInterfaceAddress *a = g_ptr_array_index (interfaces, i);
      g_autoptr(GInetAddress) found = NULL;
      g_autofree char *plain = g_strdup (a->address);
      char *percent;

      if (a->address == NULL || (a->family == G_SOCKET_FAMILY_IPV4 && !want_v4)
          || (a->family == G_SOCKET_FAMILY_IPV6 && !want_v6))
        continue;
      if ((percent = strchr (plain, '%')) != NULL)
        *percent = '\0';
      found = g_inet_address_new_from_string (plain);
      if (found == NULL || g_inet_address_get_is_loopback (found))
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
