/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the server's files share: the server, its listeners and their
 * connections. scope-server.c is the object and its start and stop; the
 * others are named for their job (accept, connection, handlers, deadlines,
 * udp, drops, guard, unix, listen, exposure, kinds, queue). */
#pragma once

#include <glib/gstdio.h>

#include "scope-protocols.h"
#include "scope-server.h"

G_BEGIN_DECLS

/* The peers of a UDP server: a fixed table, whatever the number of sources
 * (forged ones cost nothing to make), looked up in a few probes. */
#define PEER_SLOTS                256
/* A run of datagrams not answered ends when its peer has sent none for
 * this long; at most this many runs a second are said one by one. */
#define DROP_RUN_QUIET_US         G_USEC_PER_SEC

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
  gint64        first_arrival;   /* the kernel's stamp of the first bytes waiting, or -1 */
  guint         unread;          /* bytes waiting unread, as last recorded (scope-server-queue.c) */
  guint         first_taken : 1; /* first_arrival is taken for the bytes waiting */
  guint         peeking : 1;     /* not reading: watching only to take first_arrival */
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
  /* TCP: the accept queue at the last look (scope-server-queue.c) */
  guint         queue_waiting;
  guint         queue_limit;
  gboolean      queue_known;
  gboolean      failing;      /* said so already, until an accept works */
  /* Where it listens, our own copy: the recorder need not keep it. */
  char         *shown;        /* "127.0.0.1:50000", "[::1]:50000", a path */
  GInetAddress *address;      /* NULL for a Unix path; never IPv4-mapped */
  guint16       port;
  gboolean      ipv6_only;
  /* UDP: the datagrams waiting unread at the last look, reading paused
   * (scope-server-queue.c); the source then watches for the first */
  guint         unread_datagrams;
  guint64       unread_bytes;
  gboolean      source_waits;
  gboolean      first_waited;  /* the first seen: the poll counts the rest */
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
  gboolean  use_notes_port;
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
  guint      queue_poll_id;
  char      *fallback_reason;   /* why it listens where it does, or NULL */
  char      *bound_path;    /* the Unix socket file we made, to remove on stop… */
  guint64    bound_device;  /* …while it is still that file */
  guint64    bound_inode;
};

/* scope-server.c */
void                     _scope_server_notify_n_connections      (ScopeServer     *self);
void                     _scope_server_notify_accept_queue       (ScopeServer     *self);

/* scope-server-queue.c: a TCP listener's accept queue, polled */
void                     _scope_server_queue_watch               (ScopeServer     *self);
void                     _scope_server_queue_forget              (ScopeServer     *self);
void                     _scope_server_queue_accepted            (Listener        *listener);
void                     _scope_server_queue_datagrams           (Listener        *listener);
void                     _scope_server_queue_datagram_read       (Listener        *listener,
                                                                  gsize            size);
void                     _scope_server_queue_unread              (Connection      *conn,
                                                                  gint64           arrived_real_us);

/* scope-server-connection.c: a connection's queue and its dispatch */
void                     _scope_server_connection_free           (Connection      *conn);
/* Closes the connection and frees it: the caller must not touch it after. */
void                     _scope_server_connection_close          (Connection      *conn);
void                     _scope_server_connection_fail           (Connection      *conn,
                                                                  const GError    *error);
void                     _scope_server_connection_queue          (Connection      *conn,
                                                                  const guint8    *data,
                                                                  gsize            size);
void                     _scope_server_connection_queue_string   (Connection      *conn,
                                                                  const char      *text);
/* Returns FALSE when the connection is closed. */
gboolean                 _scope_server_connection_flush          (Connection      *conn);
void                     _scope_server_connection_update_source  (Connection      *conn);

/* scope-server-handlers.c: what each kind does with a connection */
const ConnectionHandler *_scope_server_handler_for               (ScopeServerKind  kind);

/* scope-server-deadlines.c: idle connections, slow requests, and room made
 * for new ones */
void                     _scope_server_connection_watch_idle     (Connection      *conn);
void                     _scope_server_connection_watch_request  (Connection      *conn);
gboolean                 _scope_server_make_room                 (ScopeServer     *self);

/* scope-server-listen.c: binding, and a listener's source */
GSocketAddress          *_scope_server_parse_bind_address        (const char      *bind,
                                                                  guint16          port);
GPtrArray               *_scope_server_bind_addresses            (ScopeServer     *self,
                                                                  guint16          port,
                                                                  GError         **error);
gboolean                 _scope_server_listen_on                 (ScopeServer     *self,
                                                                  GSocketAddress  *address,
                                                                  GError         **error);
void                     _scope_server_listener_free             (Listener        *listener);
void                     _scope_server_listener_update_source    (Listener        *listener);

/* scope-server-accept.c */
gboolean                 _scope_server_listener_accept           (GSocket         *socket,
                                                                  GIOCondition     condition,
                                                                  gpointer         user_data);

/* scope-server-udp.c */
gboolean                 _scope_server_datagram_dispatch         (GSocket         *socket,
                                                                  GIOCondition     condition,
                                                                  gpointer         user_data);

/* scope-server-drops.c: what a UDP server did not answer, said */
void                     _scope_server_peer_end_run              (Listener        *listener,
                                                                  Peer            *peer);
void                     _scope_server_listener_count_drop       (Listener        *listener,
                                                                  Peer            *peer,
                                                                  DropReason       reason,
                                                                  GSocketAddress  *address,
                                                                  gint64           now,
                                                                  const GError    *send_error);
/* Everything not answered is said before the socket closes. */
void                     _scope_server_listener_end_drops        (Listener        *listener);

/* scope-server-guard.c: whom a UDP server does not answer */
GInetAddress            *_scope_server_address_unmapped          (GInetAddress    *address);
DropReason               _scope_server_datagram_source_refused   (GInetAddress    *address,
                                                                  guint16          port);
void                     _scope_server_guard_watch               (Listener        *listener);
void                     _scope_server_guard_forget              (Listener        *listener);

/* scope-server-unix.c: a Unix server's socket file, and only its own */
#ifdef G_OS_UNIX
gboolean                 _scope_server_same_file                 (const char      *path,
                                                                  const GStatBuf  *st);
gboolean                 _scope_server_unix_path_is_stale        (const char      *path,
                                                                  GStatBuf        *st);
char                    *_scope_server_describe_unix_occupant    (const char      *path,
                                                                  int              errnum);
#endif
void                     _scope_server_unix_remember_file        (ScopeServer     *self);
void                     _scope_server_unix_forget_file          (ScopeServer     *self);

G_END_DECLS
