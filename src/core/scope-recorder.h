/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "scope-event.h"

G_BEGIN_DECLS

typedef enum
{
  SCOPE_PROTOCOL_TCP,
  SCOPE_PROTOCOL_UDP,
  SCOPE_PROTOCOL_UNIX,
} ScopeProtocol;

typedef enum
{
  SCOPE_SOCKET_CLIENT,
  SCOPE_SOCKET_LISTENER,
  SCOPE_SOCKET_CONNECTION,   /* accepted by a listener */
  SCOPE_SOCKET_DATAGRAM,     /* a bound UDP server socket */
} ScopeSocketRole;

/* One socket the recorder has seen. Addresses are strings as a user reads
 * them: "127.0.0.1:50000", "[::1]:50000", a Unix path. */
typedef struct
{
  guint           id;
  ScopeSocketRole role;
  ScopeProtocol   protocol;
  guint           parent_id;     /* the listener of a connection, or 0 */
  guint           peer_id;       /* the other end, both ours and open together, or 0; the
                                  * stream model also pairs ends that were not */
  char           *label;         /* "echo", "client", … */
  char           *local_address;
  char           *peer_address;  /* NULL for listeners and UDP servers */
  gint64          opened_us;
  gint64          closed_us;     /* -1 while open */
} ScopeSocketInfo;

/* The ends of the session's TCP connections and how they pair:
 * scope-stream-ends.h. */
typedef struct _ScopeStreamEnds ScopeStreamEnds;

#define SCOPE_TYPE_RECORDER (scope_recorder_get_type ())

G_DECLARE_FINAL_TYPE (ScopeRecorder, scope_recorder, SCOPE, RECORDER, GObject)

#define SCOPE_RECORDER_DEFAULT_PAYLOAD_CAP ((guint64) 64 * 1024 * 1024)
#define SCOPE_RECORDER_MAX_PAYLOAD_CAP     ((guint64) G_MAXUINT32)

/* Every store has a bound. Events are 36 bytes each (a packed record of
 * 32 and when a receive's bytes arrived, 4); a socket's record costs about
 * 250 bytes, a datagram peer's about 100: with the defaults a session holds
 * at most about 36 MB of events, 16 MB of sockets, 7 MB of peers and its
 * payload cap. */
#define SCOPE_RECORDER_DEFAULT_EVENT_LIMIT  ((guint64) 1000000)
#define SCOPE_RECORDER_MIN_EVENT_LIMIT      ((guint64) 1000)
#define SCOPE_RECORDER_MAX_EVENT_LIMIT      ((guint64) 20000000)
#define SCOPE_RECORDER_DEFAULT_SOCKET_LIMIT 65536u
#define SCOPE_RECORDER_DEFAULT_PEER_LIMIT   65536u

/* What a recorder keeps of what it is told. */
typedef enum
{
  /* Everything, up to its limits; at a limit recording stops for good,
   * and what comes after is counted, not kept (the app, --record). */
  SCOPE_RECORDER_KEEP_ALL,
  /* Each event until its listeners have heard of it (a flush), then it is
   * forgotten, with the sockets closed by then (--events alone). */
  SCOPE_RECORDER_KEEP_UNTIL_FLUSHED,
  /* No event at all: only the open sockets, for their names (neither
   * --record nor --events). */
  SCOPE_RECORDER_KEEP_NOTHING,
} ScopeRecorderRetention;

/* Whether a %SCOPE_RECORDER_KEEP_ALL recorder still records, and if not,
 * which limit stopped it. */
typedef enum
{
  SCOPE_RECORDER_RECORDING,
  SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT,
  SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT,
  SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT,
} ScopeRecorderState;

ScopeRecorder         *scope_recorder_new                 (void);
ScopeRecorder         *scope_recorder_new_with_retention  (ScopeRecorderRetention retention);
ScopeRecorderRetention scope_recorder_get_retention       (ScopeRecorder   *self);

guint64                scope_recorder_get_event_limit     (ScopeRecorder   *self);
void                   scope_recorder_set_event_limit     (ScopeRecorder   *self,
                                                           guint64          limit);
guint                  scope_recorder_get_socket_limit    (ScopeRecorder   *self);
guint                  scope_recorder_get_peer_limit      (ScopeRecorder   *self);
/* Tests and benchmarks lower the bounds to reach them quickly. */
void                   scope_recorder_set_store_limits    (ScopeRecorder   *self,
                                                           guint            sockets,
                                                           guint            peers);
ScopeRecorderState     scope_recorder_get_state           (ScopeRecorder   *self);
/* When recording stopped, in µs since the session started; -1 while it
 * records. */
gint64                 scope_recorder_get_stopped_us      (ScopeRecorder   *self);
guint64                scope_recorder_get_stopped_limit   (ScopeRecorder   *self);
/* Events (and their bytes) that came past a limit: counted, not kept. */
guint64                scope_recorder_get_dropped_events  (ScopeRecorder   *self);
guint64                scope_recorder_get_dropped_bytes   (ScopeRecorder   *self);

guint64                scope_recorder_get_payload_cap     (ScopeRecorder   *self);
void                   scope_recorder_set_payload_cap     (ScopeRecorder   *self,
                                                           guint64          cap);
void                   scope_recorder_set_autoflush       (ScopeRecorder   *self,
                                                           gboolean         autoflush);
void                   scope_recorder_flush               (ScopeRecorder   *self);

guint                  scope_recorder_add_socket          (ScopeRecorder   *self,
                                                           ScopeSocketRole  role,
                                                           ScopeProtocol    protocol,
                                                           const char      *label,
                                                           GSocketAddress  *local,
                                                           GSocketAddress  *peer,
                                                           guint            parent_id);
const ScopeSocketInfo *scope_recorder_get_socket          (ScopeRecorder   *self,
                                                           guint            socket_id);
const ScopeStreamEnds  *scope_recorder_get_stream_ends     (ScopeRecorder   *self);
/* With %SCOPE_RECORDER_KEEP_ALL, every id from 1 to this has its socket;
 * with the other retentions it is the highest id given, and the sockets
 * forgotten since have none. */
guint                  scope_recorder_get_n_sockets       (ScopeRecorder   *self);

void                   scope_recorder_append              (ScopeRecorder   *self,
                                                           guint            socket_id,
                                                           ScopeEventKind   kind,
                                                           const guint8    *data,
                                                           gsize            size);
void                   scope_recorder_append_datagram     (ScopeRecorder   *self,
                                                           guint            socket_id,
                                                           ScopeEventKind   kind,
                                                           GSocketAddress  *peer,
                                                           const guint8    *data,
                                                           gsize            size);
void                   scope_recorder_append_sent         (ScopeRecorder   *self,
                                                           guint            socket_id,
                                                           ScopeEventKind   kind,
                                                           GSocketAddress  *peer,
                                                           const guint8    *data,
                                                           gsize            size,
                                                           gint64           began_us);
void                   scope_recorder_append_received     (ScopeRecorder   *self,
                                                           guint            socket_id,
                                                           ScopeEventKind   kind,
                                                           GSocketAddress  *peer,
                                                           const guint8    *data,
                                                           gsize            size,
                                                           gint64           arrived_real_us);
void                   scope_recorder_append_accept       (ScopeRecorder   *self,
                                                           guint            listener_id,
                                                           guint            connection_id);
/* The same, with about when the handshake completed (-1: untold). */
void                   scope_recorder_append_accept_at    (ScopeRecorder   *self,
                                                           guint            listener_id,
                                                           guint            connection_id,
                                                           gint64           arrived_real_us);
/* A zero-byte read, the peer's FIN, with about when it came (-1: untold). */
/* A stream's receive, with when its first bytes arrived and when its last
 * did (-1: untold). */
void                   scope_recorder_append_stream_received (ScopeRecorder *self,
                                                              guint          socket_id,
                                                              const guint8  *data,
                                                              gsize          size,
                                                              gint64         first_real_us,
                                                              gint64         last_real_us);
void                   scope_recorder_append_end_of_stream (ScopeRecorder  *self,
                                                            guint           socket_id,
                                                            gint64          arrived_real_us);
void                   scope_recorder_append_queue        (ScopeRecorder   *self,
                                                           guint            listener_id,
                                                           guint            waiting,
                                                           guint            limit);
void                   scope_recorder_append_unread       (ScopeRecorder   *self,
                                                           guint            socket_id,
                                                           guint            unread,
                                                           guint            buffer,
                                                           gint64           arrived_real_us,
                                                           gboolean         rough);
void                   scope_recorder_append_unread_datagrams (ScopeRecorder *self,
                                                               guint          socket_id,
                                                               guint          datagrams,
                                                               guint          unread,
                                                               guint          buffer,
                                                               gint64         arrived_real_us);
void                   scope_recorder_append_error        (ScopeRecorder   *self,
                                                           guint            socket_id,
                                                           const GError    *error);

/* Every event kept so far, forgotten ones included; not those dropped. */
guint64                scope_recorder_get_n_events        (ScopeRecorder   *self);
/* The index of the first event the list holds and the exports write: 0,
 * or where the last New Session cut, or the first not yet forgotten. */
guint64                scope_recorder_get_first_index     (ScopeRecorder   *self);

/* New Session: the list starts empty after the events so far (one
 * items-changed (0, old_n, new_n)); undone, they are back; committed, their
 * records are freed. Until then the event limit still counts them. A
 * begin while one is pending commits that one first. A recording stopped
 * at the event limit records again, and the begin is committed at once. */
void                   scope_recorder_begin_session       (ScopeRecorder   *self);
void                   scope_recorder_undo_begin_session  (ScopeRecorder   *self);
void                   scope_recorder_commit_session      (ScopeRecorder   *self);
gboolean               scope_recorder_get_session_pending (ScopeRecorder   *self);
guint64                scope_recorder_get_stored_bytes    (ScopeRecorder   *self);
guint64                scope_recorder_get_truncated_bytes (ScopeRecorder   *self);
guint64                scope_recorder_get_truncated_events (ScopeRecorder  *self);

/* One event as plain data, for readers that walk many of them (the
 * timeline, the exports) without making an object per event. */
typedef struct
{
  guint64         index;
  gint64          time_us;        /* since the recorder was made, monotonic: for a
                                   * receive, when the program read the bytes */
  gint64          arrived_us;     /* a receive: when its (last) bytes arrived, as the
                                   * kernel stamped them, same clock; -1 = the system
                                   * gave no time */
  gint64          arrived_first_us; /* a receive: when its first bytes arrived (a
                                     * datagram: arrived_us); -1 = untold. A stream's
                                     * may take bytes of several segments */
  ScopeEventKind  kind;
  guint           socket_id;
  guint32         size;           /* bytes sent or received; 0 for an error; queue:
                                   * connections waiting */
  guint64         stream_offset;  /* of the first byte, per socket and direction; bytes
                                   * unread on a datagram socket: the datagrams */
  guint32         aux;            /* accept: the new socket; error: GIOErrorEnum;
                                   * queue: its limit */
  guint           truncated : 1;  /* the bytes were past the payload cap */
  guint           has_payload : 1;
  guint           arrival_untold : 1; /* a receive read where the system could have said
                                       * when its bytes arrived, and did not */
  guint           arrival_rough : 1;  /* arrived_us from the kernel's clock ticks (an
                                       * accept's handshake, a FIN): to a few ms */
} ScopeRecord;

/* When a receive's first bytes arrived, as well as it is known: a stream's
 * receive whose first arrival is untold has only its last; -1 = untold. */
static inline gint64
scope_record_first_arrival (const ScopeRecord *record)
{
  return record->arrived_first_us >= 0 ? record->arrived_first_us : record->arrived_us;
}

gboolean               scope_recorder_get_record          (ScopeRecorder   *self,
                                                           guint64          index,
                                                           ScopeRecord     *record);
gint64                 scope_recorder_get_time_us         (ScopeRecorder   *self,
                                                           guint64          index);
GBytes                *scope_recorder_dup_payload         (ScopeRecorder   *self,
                                                           guint64          index);
char                  *scope_recorder_dup_error_message   (ScopeRecorder   *self,
                                                           guint64          index);
const char            *scope_recorder_get_record_peer     (ScopeRecorder   *self,
                                                           guint64          index);
gint64                 scope_recorder_get_start_real_time (ScopeRecorder   *self);
gint64                 scope_recorder_get_now_us          (ScopeRecorder   *self);

/* Tests and benchmarks set the clock, to make sessions of known shape. */
typedef gint64 (*ScopeClockFunc) (gpointer user_data);
void                   scope_recorder_set_clock           (ScopeRecorder   *self,
                                                           ScopeClockFunc   func,
                                                           gpointer         user_data);

char                  *scope_socket_address_to_string     (GSocketAddress *address);

G_END_DECLS
