/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the client's files share: the client and its queue. scope-client.c
 * is the object; the others are named for their job (connect, send, stream,
 * io, udp, file). */
#pragma once

#include "scope-client.h"

G_BEGIN_DECLS

#define READ_CALLS_PER_DISPATCH 16
#define MAX_DATAGRAM            65536
/* What a stream payload holds in memory at once, and how much of it one
 * dispatch sends before the main loop has its turn again. */
#define STREAM_PIECE            65536
#define STREAM_PIECES_PER_DISPATCH 16

typedef struct
{
  GBytes       *bytes;        /* NULL for a stream */
  gsize         sent;
  guint         delay_ms;     /* wait this long before the chunk */

  /* A stream, read as the socket takes it: each piece read goes ahead of
   * it in the queue as a chunk of its own. */
  GInputStream *stream;
  GSource      *wait;         /* while the stream has nothing to give yet */
  GByteArray   *gathered;     /* bytes of the next piece */
  guint64       max_bytes;    /* 0: to its end */
  guint64       read;         /* taken from the stream so far */
  gsize         chunk_size;   /* bytes per write, each a datagram over UDP; 0: one write */
  guint         chunk_delay_ms;
  gsize         chunk_queued; /* bytes of the current chunk already queued */
  gboolean      chunk_begun;  /* a chunk was queued: the next one waits for the delay */
  gboolean      eof;          /* the stream has given all it had */
} Chunk;

struct _ScopeClient
{
  GObject parent_instance;

  ScopeRecorder  *recorder;
  ScopeProtocol   protocol;
  GSocket        *socket;
  GSocketAddress *remote;      /* for sendto */
  GSource        *source;
  GIOCondition    watching;
  guint           socket_id;
  char           *local_address;
  char           *remote_address;

  guint8         *buffer;
  guint           read_buffer_size;
  guint           receive_timeout_ms;
  guint           connect_timeout_ms;
  guint           receive_timer;
  guint           delay_timer;

  GQueue          chunks;      /* Chunk* */
  gboolean        shutdown_pending;  /* once the queue is sent */
  gboolean        peer_ended;
  gboolean        connected;

  /* Connecting */
  GTask          *connect_task;
  GList          *candidates;  /* GSocketAddress*, still to try */
  GError         *first_error;
  guint           connect_timer;
};

enum {
  PROP_0,
  PROP_RECORDER,
  PROP_READ_BUFFER_SIZE,
  PROP_RECEIVE_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_CONNECTED,
  PROP_LOCAL_ADDRESS,
  PROP_REMOTE_ADDRESS,
  PROP_PENDING_BYTES,
  N_PROPS
};

enum {
  RECEIVED,
  PEER_CLOSED,
  FAILED,
  RECEIVE_TIMED_OUT,
  STRAY_DATAGRAM,
  STREAM_ENDED,
  N_SIGNALS
};

extern GParamSpec *_scope_client_properties[N_PROPS];
extern guint       _scope_client_signals[N_SIGNALS];

typedef enum
{
  STEP_PIECE_QUEUED,
  STEP_WAITING,
  STEP_ENDED,
  STEP_FAILED,
} StreamStep;

/* scope-client.c */
void        _scope_client_drop_socket           (ScopeClient          *self);
/* Records an error whose message is already in words, says it and closes. */
void        _scope_client_fail_said             (ScopeClient          *self,
                                                 const GError         *error);
void        _scope_client_fail                  (ScopeClient          *self,
                                                 const GError         *error);

/* scope-client-connect.c */
void        _scope_client_stop_connecting       (ScopeClient          *self);

/* scope-client-io.c: the socket's source, and what comes in */
void        _scope_client_update_source         (ScopeClient          *self);
void        _scope_client_restart_receive_timer (ScopeClient          *self);

/* scope-client-send.c: the queue of chunks, sent as the socket takes them */
void        _scope_client_chunk_free            (gpointer              data);
gboolean    _scope_client_send_queued           (ScopeClient          *self);
gboolean    _scope_client_shut_down             (ScopeClient          *self,
                                                 GError              **error);

/* scope-client-stream.c */
StreamStep  _scope_client_stream_fill           (ScopeClient          *self,
                                                 Chunk                *stream);

/* scope-client-udp.c: a routed bind, and what ICMP says of our datagrams */
GSocketAddress *_scope_client_routed_source     (GSocketAddress       *target,
                                                 GError              **error);
void        _scope_client_ask_for_icmp_errors   (GSocket              *socket);
GError     *_scope_client_take_icmp_error       (ScopeClient          *self);
void        _scope_client_fail_datagram         (ScopeClient          *self,
                                                 const GError         *error);
gboolean    _scope_client_same_peer             (GSocketAddress       *a,
                                                 GSocketAddress       *b);

/* scope-client-file.c */
char       *_scope_client_describe_file_errno   (int                   errnum);

G_END_DECLS
