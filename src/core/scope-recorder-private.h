/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the recorder's files share: the recorder, its packed records and its
 * socket entries. scope-recorder.c is the object, its properties and its
 * clock; the others are named for their job: -append (the append API,
 * which writes the records and the arena), -store (the same read back and
 * emptied), -limits (the bounds, the stop at one and what is dropped),
 * -sockets (the socket table, the datagram peers, the stream ends) and
 * -model (the GListModel, the flush and what is forgotten after it).
 * scope-event.c is the item the model hands out.
 *
 * Every socket action becomes one packed record of 32 bytes in chunked
 * arrays that never move once written, and 4 bytes beside it in chunks of
 * the same shape: how long a receive's bytes waited in the socket's
 * receive buffer, from the kernel's stamp (the record is full, and few
 * events have one); its bytes go to a capped arena. The
 * GListModel face makes an item object only when someone asks for one, and
 * tells its listeners of new events in batches (flush), not one by one.
 *
 * Every store is bounded: the events, the sockets and the datagram peers by
 * a limit each, the bytes by the payload cap. A recorder that keeps all
 * stops recording at a limit, for good, and counts what it drops, so that
 * a session is never a lie about what it holds. One that keeps events only
 * until they are flushed forgets them then, and the sockets closed by
 * then: a server printing its events runs for months in the same memory. */
#pragma once

#include "scope-recorder.h"
#include "scope-stream-ends.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 time_kind;       /* µs since start << 8 | flags << 4 | kind */
  guint32 socket_id;
  guint32 size;            /* bytes; for an error, the length of its message */
  guint64 stream_offset;   /* of the first byte, per socket and direction */
  guint32 payload_offset;  /* in the arena, when HAS_PAYLOAD */
  guint32 aux;             /* datagram peer (index + 1), accepted socket, error code,
                            * for a stream's receive, µs from its first bytes' arrival
                            * to its last + 1 (0: untold) */
} ScopeEventRecord;

G_STATIC_ASSERT (sizeof (ScopeEventRecord) == 32);
G_STATIC_ASSERT (SCOPE_EVENT_N_KINDS <= 16);

#define RECORD_KIND_MASK     0x0f
#define RECORD_TRUNCATED     0x10
#define RECORD_HAS_PAYLOAD   0x20
#define RECORDS_PER_CHUNK    4096
#define WAITED_UNKNOWN       G_MAXUINT32        /* no receive, or none asked */
#define WAITED_UNTOLD        (G_MAXUINT32 - 1)  /* asked, and the system did not say */
#define WAITED_ROUGH         0x80000000u        /* or'ed: told in the kernel's ticks */
#define WAITED_MAX           0x7ffffff0u        /* longer waits are untold */
#define ARENA_CHUNK_SIZE     (1024 * 1024)

/* A socket and where its streams stand. */
typedef struct
{
  ScopeSocketInfo info;
  guint64         sent;
  guint64         received;
} SocketEntry;

struct _ScopeRecorder
{
  GObject parent_instance;

  ScopeRecorderRetention retention;
  gint64     start_us;
  gint64     start_real_us;
  ScopeClockFunc clock_func;
  gpointer   clock_data;
  GPtrArray *record_chunks;   /* ScopeEventRecord[RECORDS_PER_CHUNK] each */
  guint64    chunk_base;      /* the index of the first record of the first chunk */
  guint64    base_index;      /* the first event still kept */
  guint64    cut_index;       /* the first event of the session shown (New Session) */
  guint64    undo_cut;        /* the cut before it, while it may be undone */
  gboolean   session_pending; /* a cut not committed yet */
  guint64    n_events;
  guint64    n_flushed;
  ScopeEventRecord *spare_chunk;  /* a forgotten chunk, kept for the next */
  GPtrArray *waited_chunks;   /* guint32[RECORDS_PER_CHUNK] each, beside record_chunks:
                               * µs from arrival to the read, or WAITED_UNKNOWN or
                               * WAITED_UNTOLD */
  guint32   *spare_waited;

  /* The bounds, and what came past them */
  guint64            event_limit;
  guint              socket_limit;
  guint              peer_limit;
  ScopeRecorderState state;
  gint64             stopped_us;
  gint64             call_began_us;  /* the time of the send being appended, or -1 */
  gint64             last_time_us;   /* of the last record kept: times never go back */
  guint64            stopped_limit;   /* the limit that stopped it, as it was then */
  guint64            dropped_events;
  guint64            dropped_bytes;

  GPtrArray *arena_chunks;    /* guint8[ARENA_CHUNK_SIZE] each */
  guint64    payload_cap;
  guint64    stored_bytes;
  guint64    truncated_bytes;
  guint64    truncated_events;

  /* Keeping all: every socket, SocketEntry*, index id - 1. Otherwise the
   * sockets still open, or closed since the last flush: id → SocketEntry*. */
  GPtrArray  *sockets;
  GHashTable *live_sockets;
  GArray     *closed_ids;     /* keeping until flushed: to forget at the next flush */
  guint       last_id;
  ScopeStreamEnds *ends;      /* the TCP ends, paired by the stream model's rule */
  GPtrArray  *addresses;      /* interned datagram peers */
  GHashTable *address_index;  /* string → index + 1 */

  guint      flush_source;
  guint      autoflush : 1;
  guint      pending : 1;     /* something the listeners have not heard of */
  guint64    flushed_dropped;
  ScopeRecorderState flushed_state;
};

typedef enum
{
  PROP_0,
  PROP_N_EVENTS,
  PROP_STORED_BYTES,
  PROP_TRUNCATED_BYTES,
  PROP_PAYLOAD_CAP,
  PROP_N_SOCKETS,
  PROP_EVENT_LIMIT,
  PROP_STATE,
  PROP_DROPPED_EVENTS,
  N_PROPS
} ScopeRecorderProp;

/* scope-recorder.c */
void              _scope_recorder_notify             (ScopeRecorder      *self,
                                                      ScopeRecorderProp   prop);
void              _scope_recorder_set_and_notify     (ScopeRecorder      *self,
                                                      guint64            *field,
                                                      guint64             value,
                                                      ScopeRecorderProp   prop);
void              _scope_recorder_emit_pending       (ScopeRecorder      *self);

/* scope-recorder-store.c */
void              _scope_recorder_store_forget       (ScopeRecorder      *self);

/* scope-recorder-limits.c */
gboolean          _scope_recorder_refuse_event       (ScopeRecorder      *self,
                                                      gsize               size);
void              _scope_recorder_stop_recording     (ScopeRecorder      *self,
                                                      ScopeRecorderState  why);
void              _scope_recorder_count_dropped      (ScopeRecorder      *self,
                                                      gsize               size);

/* scope-recorder-sockets.c */
void              _scope_recorder_socket_entry_free  (gpointer            data);
void              _scope_recorder_socket_closed      (ScopeRecorder      *self,
                                                      SocketEntry        *entry,
                                                      gint64              time_us);
gint64            _scope_recorder_intern_address     (ScopeRecorder      *self,
                                                      GSocketAddress     *address);
void              _scope_recorder_sockets_forget     (ScopeRecorder      *self);

/* scope-recorder-model.c */
void              _scope_recorder_list_model_init    (GListModelInterface *iface);
void              _scope_recorder_announce           (ScopeRecorder      *self);

/* scope-event.c */
ScopeEvent       *_scope_event_new                   (ScopeRecorder      *recorder,
                                                      guint64             index);

/* The small steps of every append and every read, inline, so that the
 * path that runs for each socket call does not pay for the split. */

static inline gint64
recorder_clock (ScopeRecorder *self)
{
  return self->clock_func ? self->clock_func (self->clock_data) : g_get_monotonic_time ();
}

/* The time now, in µs since the session started, never before it. */
static inline gint64
recorder_session_time (ScopeRecorder *self)
{
  return MAX (recorder_clock (self) - self->start_us, 0);
}

/* The first event the list, the reads and the exports show: the cut of
 * the last New Session, or the first still kept. */
static inline guint64
first_shown (ScopeRecorder *self)
{
  return MAX (self->base_index, self->cut_index);
}

/* Only for an index from base_index to n_events. */
static inline ScopeEventRecord *
record_at (ScopeRecorder *self,
           guint64        index)
{
  guint64 slot = index - self->chunk_base;
  ScopeEventRecord *chunk = g_ptr_array_index (self->record_chunks, slot / RECORDS_PER_CHUNK);

  return &chunk[slot % RECORDS_PER_CHUNK];
}

/* How long the bytes of the record at @index waited; same bounds. */
static inline guint32 *
waited_at (ScopeRecorder *self,
           guint64        index)
{
  guint64 slot = index - self->chunk_base;
  guint32 *chunk = g_ptr_array_index (self->waited_chunks, slot / RECORDS_PER_CHUNK);

  return &chunk[slot % RECORDS_PER_CHUNK];
}

/* The record of an event still kept, or %NULL. */
static inline const ScopeEventRecord *
record_kept (ScopeRecorder *self,
             guint64        index)
{
  if (index < first_shown (self) || index >= self->n_events)
    return NULL;
  return record_at (self, index);
}

static inline ScopeEventKind
record_kind (const ScopeEventRecord *packed)
{
  return packed->time_kind & RECORD_KIND_MASK;
}

static inline gint64
record_time_us (const ScopeEventRecord *packed)
{
  return (gint64) (packed->time_kind >> 8);
}

/* Whether one more event may be kept; when not, it is counted. Past the
 * common case, the limits decide (scope-recorder-limits.c). */
static inline gboolean
may_keep_event (ScopeRecorder *self,
                gsize          size)
{
  if (G_LIKELY (self->retention != SCOPE_RECORDER_KEEP_NOTHING
                && self->state == SCOPE_RECORDER_RECORDING
                && self->n_events - self->base_index < self->event_limit))
    return TRUE;
  return _scope_recorder_refuse_event (self, size);
}

static inline SocketEntry *
socket_lookup (ScopeRecorder *self,
               guint          socket_id)
{
  if (self->retention == SCOPE_RECORDER_KEEP_ALL)
    {
      if (socket_id == 0 || socket_id > self->sockets->len)
        return NULL;
      return g_ptr_array_index (self->sockets, socket_id - 1);
    }
  return g_hash_table_lookup (self->live_sockets, GUINT_TO_POINTER (socket_id));
}

G_END_DECLS
