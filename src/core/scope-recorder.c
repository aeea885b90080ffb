/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#ifdef G_OS_UNIX
# include <gio/gunixsocketaddress.h>
#endif

#include "scope-recorder.h"
#include "scope-errors.h"
#include "scope-stream-ends.h"

/* Every socket action becomes one packed record of 32 bytes in chunked
 * arrays that never move once written; its bytes go to a capped arena. The
 * GListModel face makes an item object only when someone asks for one, and
 * tells its listeners of new events in batches (flush), not one by one.
 *
 * Every store is bounded: the events, the sockets and the datagram peers by
 * a limit each, the bytes by the payload cap. A recorder that keeps all
 * stops recording at a limit, for good, and counts what it drops, so that
 * a session is never a lie about what it holds. One that keeps events only
 * until they are flushed forgets them then, and the sockets closed by
 * then: a server printing its events runs for months in the same memory. */

typedef struct
{
  guint64 time_kind;       /* µs since start << 8 | flags << 4 | kind */
  guint32 socket_id;
  guint32 size;            /* bytes; for an error, the length of its message */
  guint64 stream_offset;   /* of the first byte, per socket and direction */
  guint32 payload_offset;  /* in the arena, when HAS_PAYLOAD */
  guint32 aux;             /* datagram peer (index + 1), accepted socket, error code */
} ScopeEventRecord;

G_STATIC_ASSERT (sizeof (ScopeEventRecord) == 32);
G_STATIC_ASSERT (SCOPE_EVENT_N_KINDS <= 16);

#define RECORD_KIND_MASK     0x0f
#define RECORD_TRUNCATED     0x10
#define RECORD_HAS_PAYLOAD   0x20
#define RECORDS_PER_CHUNK    4096
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
  guint64    n_events;
  guint64    n_flushed;
  ScopeEventRecord *spare_chunk;  /* a forgotten chunk, kept for the next */

  /* The bounds, and what came past them */
  guint64            event_limit;
  guint              socket_limit;
  guint              peer_limit;
  ScopeRecorderState state;
  gint64             stopped_us;
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

static void scope_recorder_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScopeRecorder, scope_recorder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      scope_recorder_list_model_init))

enum {
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
};

static GParamSpec *properties[N_PROPS];

enum {
  PENDING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const kind_names[] = {
  [SCOPE_EVENT_LISTEN] = "listen",
  [SCOPE_EVENT_ACCEPT] = "accept",
  [SCOPE_EVENT_CONNECT] = "connect",
  [SCOPE_EVENT_READABLE] = "readable",
  [SCOPE_EVENT_SEND] = "send",
  [SCOPE_EVENT_RECV] = "recv",
  [SCOPE_EVENT_SENDTO] = "sendto",
  [SCOPE_EVENT_RECVFROM] = "recvfrom",
  [SCOPE_EVENT_SHUTDOWN] = "shutdown",
  [SCOPE_EVENT_CLOSE] = "close",
  [SCOPE_EVENT_ERROR] = "error",
  [SCOPE_EVENT_REFUSED] = "refused",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == SCOPE_EVENT_N_KINDS);

/**
 * scope_event_kind_to_string:
 *
 * Returns: the name of the socket call or happening, as the C and Python
 * socket interfaces call it: "recv", "sendto", "accept", …
 */
const char *
scope_event_kind_to_string (ScopeEventKind kind)
{
  g_return_val_if_fail (kind < SCOPE_EVENT_N_KINDS, NULL);

  return kind_names[kind];
}

/**
 * scope_event_kind_is_send:
 *
 * Returns: whether the event put bytes in a stream: a send or a sendto
 */
gboolean
scope_event_kind_is_send (ScopeEventKind kind)
{
  return kind == SCOPE_EVENT_SEND || kind == SCOPE_EVENT_SENDTO;
}

/**
 * scope_event_kind_is_receive:
 *
 * Returns: whether the event took bytes out: a recv or a recvfrom
 */
gboolean
scope_event_kind_is_receive (ScopeEventKind kind)
{
  return kind == SCOPE_EVENT_RECV || kind == SCOPE_EVENT_RECVFROM;
}

/**
 * scope_socket_address_to_string:
 *
 * Returns: (transfer full): "127.0.0.1:50000", "[::1]:50000",
 * "[fe80::1%eth0]:50000", or a Unix socket's path.
 */
char *
scope_socket_address_to_string (GSocketAddress *address)
{
  if (address == NULL)
    return NULL;

  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      GInetAddress *ip = g_inet_socket_address_get_address (inet);
      g_autofree char *host = g_inet_address_to_string (ip);
      guint16 port = g_inet_socket_address_get_port (inet);

      if (g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV6)
        {
          guint32 scope_id = g_inet_socket_address_get_scope_id (inet);
          char ifname[64] = "";

          /* The scope id says which link a link-local address is on; its
           * interface name is what a user can read. */
          if (scope_id != 0 && strchr (host, '%') == NULL)
            g_snprintf (ifname, sizeof ifname, "%%%u", scope_id);
          return g_strdup_printf ("[%s%s]:%u", host, ifname, port);
        }
      return g_strdup_printf ("%s:%u", host, port);
    }

#ifdef G_OS_UNIX
  if (G_IS_UNIX_SOCKET_ADDRESS (address))
    {
      GUnixSocketAddress *unix_address = G_UNIX_SOCKET_ADDRESS (address);
      const char *path = g_unix_socket_address_get_path (unix_address);

      switch (g_unix_socket_address_get_address_type (unix_address))
        {
        case G_UNIX_SOCKET_ADDRESS_PATH:
          return g_strdup (path);
        case G_UNIX_SOCKET_ADDRESS_ABSTRACT:
        case G_UNIX_SOCKET_ADDRESS_ABSTRACT_PADDED:
          return g_strdup_printf ("@%s", path);
        case G_UNIX_SOCKET_ADDRESS_ANONYMOUS:
        case G_UNIX_SOCKET_ADDRESS_INVALID:
        default:
          return g_strdup (_("(unnamed)"));
        }
    }
#endif

  return g_strdup (_("(unknown address)"));
}

static void
socket_entry_free (gpointer data)
{
  SocketEntry *entry = data;

  g_free (entry->info.label);
  g_free (entry->info.local_address);
  g_free (entry->info.peer_address);
  g_free (entry);
}

static SocketEntry *
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

/* Only for an index from base_index to n_events. */
static ScopeEventRecord *
record_at (ScopeRecorder *self,
           guint64        index)
{
  guint64 slot = index - self->chunk_base;
  ScopeEventRecord *chunk = g_ptr_array_index (self->record_chunks, slot / RECORDS_PER_CHUNK);

  return &chunk[slot % RECORDS_PER_CHUNK];
}

static gboolean
is_kept (ScopeRecorder *self,
         guint64        index)
{
  return index >= self->base_index && index < self->n_events;
}

static gint64
clock_now (ScopeRecorder *self)
{
  return self->clock_func ? self->clock_func (self->clock_data) : g_get_monotonic_time ();
}

static ScopeEventRecord *
record_new (ScopeRecorder *self)
{
  if ((self->n_events - self->chunk_base) % RECORDS_PER_CHUNK == 0)
    {
      ScopeEventRecord *chunk = g_steal_pointer (&self->spare_chunk);

      g_ptr_array_add (self->record_chunks,
                       chunk ? chunk : g_new (ScopeEventRecord, RECORDS_PER_CHUNK));
    }

  return record_at (self, self->n_events++);
}

/* Keeping all, a limit reached stops the recording for good: a session
 * with a hole in the middle would tell a story that did not happen. */
static void
stop_recording (ScopeRecorder      *self,
                ScopeRecorderState  why)
{
  if (self->state != SCOPE_RECORDER_RECORDING)
    return;
  self->state = why;
  self->stopped_us = MAX (clock_now (self) - self->start_us, 0);
  switch (why)
    {
    case SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT:
      self->stopped_limit = self->event_limit;
      break;
    case SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT:
      self->stopped_limit = self->socket_limit;
      break;
    case SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT:
      self->stopped_limit = self->peer_limit;
      break;
    case SCOPE_RECORDER_RECORDING:
    default:
      g_assert_not_reached ();
    }
}

static void
count_dropped (ScopeRecorder *self,
               gsize          size)
{
  self->dropped_events++;
  self->dropped_bytes += size;
}

/* Whether one more event may be kept; when not, it is counted. */
static gboolean
may_keep_event (ScopeRecorder *self,
                gsize          size)
{
  if (self->retention == SCOPE_RECORDER_KEEP_NOTHING)
    return FALSE;
  if (self->state == SCOPE_RECORDER_RECORDING
      && self->n_events - self->base_index >= self->event_limit)
    {
      /* Keeping until flushed, a batch larger than the limit loses its
       * tail, counted; the next batch is kept again. */
      if (self->retention == SCOPE_RECORDER_KEEP_ALL)
        stop_recording (self, SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
      count_dropped (self, size);
      return FALSE;
    }
  if (self->state != SCOPE_RECORDER_RECORDING)
    {
      count_dropped (self, size);
      return FALSE;
    }
  return TRUE;
}

/* Copies bytes into the arena, or counts them as truncated past the cap:
 * nothing is dropped silently. An error's few words of message are kept
 * even past the cap (@beyond_cap), within what the offsets can address.
 * Returns whether they were stored. */
static gboolean
arena_store (ScopeRecorder *self,
             const guint8  *data,
             gsize          size,
             gboolean       beyond_cap,
             guint32       *offset)
{
  guint64 limit = beyond_cap ? SCOPE_RECORDER_MAX_PAYLOAD_CAP : self->payload_cap;
  gsize done = 0;

  if (size == 0)
    return FALSE;

  if (self->stored_bytes + size > limit)
    {
      self->truncated_bytes += size;
      self->truncated_events++;
      return FALSE;
    }

  *offset = (guint32) self->stored_bytes;
  while (done < size)
    {
      gsize in_chunk = self->stored_bytes % ARENA_CHUNK_SIZE;
      gsize n = MIN (size - done, ARENA_CHUNK_SIZE - in_chunk);
      guint8 *chunk;

      if (in_chunk == 0 && self->stored_bytes / ARENA_CHUNK_SIZE == self->arena_chunks->len)
        g_ptr_array_add (self->arena_chunks, g_malloc (ARENA_CHUNK_SIZE));
      chunk = g_ptr_array_index (self->arena_chunks, self->stored_bytes / ARENA_CHUNK_SIZE);
      memcpy (chunk + in_chunk, data + done, n);
      done += n;
      self->stored_bytes += n;
    }
  return TRUE;
}

static GBytes *
arena_copy (ScopeRecorder *self,
            guint64        offset,
            gsize          size)
{
  guint8 *out = g_malloc (size ? size : 1);
  gsize done = 0;

  while (done < size)
    {
      guint64 at = offset + done;
      gsize in_chunk = at % ARENA_CHUNK_SIZE;
      gsize n = MIN (size - done, ARENA_CHUNK_SIZE - in_chunk);
      const guint8 *chunk = g_ptr_array_index (self->arena_chunks, at / ARENA_CHUNK_SIZE);

      memcpy (out + done, chunk + in_chunk, n);
      done += n;
    }
  return g_bytes_new_take (out, size);
}

static gboolean
flush_idle (gpointer user_data)
{
  ScopeRecorder *self = user_data;

  self->flush_source = 0;
  scope_recorder_flush (self);
  return G_SOURCE_REMOVE;
}

/* Called once a record is complete, offsets and all, or an event was
 * dropped. The first of a batch says so, once: a display then asks for a
 * frame and flushes in it. */
static void
announce (ScopeRecorder *self)
{
  if (self->pending)
    return;
  self->pending = TRUE;
  if (self->autoflush && self->flush_source == 0)
    self->flush_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_idle, self, NULL);
  else if (!self->autoflush)
    g_signal_emit (self, signals[PENDING], 0);
}

static ScopeEventRecord *
append_record (ScopeRecorder  *self,
               guint           socket_id,
               ScopeEventKind  kind,
               const guint8   *data,
               gsize           size)
{
  ScopeEventRecord *record;
  guint64 flags = 0;
  guint32 payload_offset = 0;

  if (!may_keep_event (self, size))
    return NULL;

  if (arena_store (self, data, size, kind == SCOPE_EVENT_ERROR, &payload_offset))
    flags |= RECORD_HAS_PAYLOAD;
  else if (size > 0)
    flags |= RECORD_TRUNCATED;

  record = record_new (self);
  record->time_kind = ((guint64) MAX (clock_now (self) - self->start_us, 0) << 8) | flags | kind;
  record->socket_id = socket_id;
  record->size = (guint32) size;
  record->stream_offset = 0;
  record->payload_offset = payload_offset;
  record->aux = 0;

  return record;
}

static void
scope_recorder_finalize (GObject *object)
{
  ScopeRecorder *self = SCOPE_RECORDER (object);

  g_clear_handle_id (&self->flush_source, g_source_remove);
  g_ptr_array_unref (self->record_chunks);
  g_free (self->spare_chunk);
  g_ptr_array_unref (self->arena_chunks);
  scope_stream_ends_free (self->ends);
  g_ptr_array_unref (self->sockets);
  g_hash_table_unref (self->live_sockets);
  g_array_unref (self->closed_ids);
  g_ptr_array_unref (self->addresses);
  g_hash_table_unref (self->address_index);

  G_OBJECT_CLASS (scope_recorder_parent_class)->finalize (object);
}

static void
scope_recorder_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ScopeRecorder *self = SCOPE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_N_EVENTS:
      g_value_set_uint64 (value, self->n_flushed);
      break;

    case PROP_STORED_BYTES:
      g_value_set_uint64 (value, self->stored_bytes);
      break;

    case PROP_TRUNCATED_BYTES:
      g_value_set_uint64 (value, self->truncated_bytes);
      break;

    case PROP_PAYLOAD_CAP:
      g_value_set_uint64 (value, self->payload_cap);
      break;

    case PROP_N_SOCKETS:
      g_value_set_uint (value, scope_recorder_get_n_sockets (self));
      break;

    case PROP_EVENT_LIMIT:
      g_value_set_uint64 (value, self->event_limit);
      break;

    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;

    case PROP_DROPPED_EVENTS:
      g_value_set_uint64 (value, self->dropped_events);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_recorder_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ScopeRecorder *self = SCOPE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_PAYLOAD_CAP:
      scope_recorder_set_payload_cap (self, g_value_get_uint64 (value));
      break;

    case PROP_EVENT_LIMIT:
      scope_recorder_set_event_limit (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_recorder_class_init (ScopeRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = scope_recorder_finalize;
  object_class->get_property = scope_recorder_get_property;
  object_class->set_property = scope_recorder_set_property;

  /* The counts are notified on flush, with the list, not on every append. */
  properties[PROP_N_EVENTS] =
    g_param_spec_uint64 ("n-events", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STORED_BYTES] =
    g_param_spec_uint64 ("stored-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TRUNCATED_BYTES] =
    g_param_spec_uint64 ("truncated-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAYLOAD_CAP] =
    g_param_spec_uint64 ("payload-cap", NULL, NULL, 0, SCOPE_RECORDER_MAX_PAYLOAD_CAP,
                         SCOPE_RECORDER_DEFAULT_PAYLOAD_CAP,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_SOCKETS] =
    g_param_spec_uint ("n-sockets", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EVENT_LIMIT] =
    g_param_spec_uint64 ("event-limit", NULL, NULL, SCOPE_RECORDER_MIN_EVENT_LIMIT,
                         SCOPE_RECORDER_MAX_EVENT_LIMIT, SCOPE_RECORDER_DEFAULT_EVENT_LIMIT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A ScopeRecorderState; with the dropped events, notified on flush. */
  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT,
                       SCOPE_RECORDER_RECORDING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DROPPED_EVENTS] =
    g_param_spec_uint64 ("dropped-events", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ScopeRecorder::pending:
   *
   * Without autoflush: events wait for scope_recorder_flush(). Emitted for
   * the first of them only.
   */
  signals[PENDING] =
    g_signal_new ("pending", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
scope_recorder_init (ScopeRecorder *self)
{
  self->start_us = g_get_monotonic_time ();
  self->start_real_us = g_get_real_time ();
  self->record_chunks = g_ptr_array_new_with_free_func (g_free);
  self->arena_chunks = g_ptr_array_new_with_free_func (g_free);
  self->payload_cap = SCOPE_RECORDER_DEFAULT_PAYLOAD_CAP;
  self->sockets = g_ptr_array_new_with_free_func (socket_entry_free);
  self->live_sockets = g_hash_table_new_full (NULL, NULL, NULL, socket_entry_free);
  self->closed_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  self->event_limit = SCOPE_RECORDER_DEFAULT_EVENT_LIMIT;
  self->socket_limit = SCOPE_RECORDER_DEFAULT_SOCKET_LIMIT;
  self->peer_limit = SCOPE_RECORDER_DEFAULT_PEER_LIMIT;
  self->stopped_us = -1;
  self->ends = scope_stream_ends_new ();
  self->addresses = g_ptr_array_new_with_free_func (g_free);
  self->address_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->autoflush = TRUE;
}

/**
 * scope_recorder_new:
 *
 * Returns: a recorder that keeps everything, within its limits
 */
ScopeRecorder *
scope_recorder_new (void)
{
  return g_object_new (SCOPE_TYPE_RECORDER, NULL);
}

ScopeRecorder *
scope_recorder_new_with_retention (ScopeRecorderRetention retention)
{
  ScopeRecorder *self;

  g_return_val_if_fail (retention <= SCOPE_RECORDER_KEEP_NOTHING, NULL);

  self = g_object_new (SCOPE_TYPE_RECORDER, NULL);
  self->retention = retention;
  return self;
}

ScopeRecorderRetention
scope_recorder_get_retention (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), SCOPE_RECORDER_KEEP_ALL);

  return self->retention;
}

guint64
scope_recorder_get_event_limit (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->event_limit;
}

/**
 * scope_recorder_set_event_limit:
 * @limit: how many events to keep, from %SCOPE_RECORDER_MIN_EVENT_LIMIT to
 *   %SCOPE_RECORDER_MAX_EVENT_LIMIT
 *
 * Keeping all, recording stops at the limit. A limit below what is kept
 * keeps what is kept, and stops at the next event; a higher one does not
 * start a stopped recording again.
 */
void
scope_recorder_set_event_limit (ScopeRecorder *self,
                                guint64        limit)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));

  limit = CLAMP (limit, SCOPE_RECORDER_MIN_EVENT_LIMIT, SCOPE_RECORDER_MAX_EVENT_LIMIT);
  if (limit == self->event_limit)
    return;
  self->event_limit = limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT_LIMIT]);
}

guint
scope_recorder_get_socket_limit (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->socket_limit;
}

guint
scope_recorder_get_peer_limit (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->peer_limit;
}

/**
 * scope_recorder_set_store_limits:
 * @sockets: how many sockets to keep (or, not keeping all, to hold open)
 * @peers: how many datagram peers to keep
 *
 * The defaults suit everyone; tests and benchmarks lower them to reach
 * them quickly.
 */
void
scope_recorder_set_store_limits (ScopeRecorder *self,
                                 guint          sockets,
                                 guint          peers)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (sockets > 0 && peers > 0);

  self->socket_limit = sockets;
  self->peer_limit = peers;
}

ScopeRecorderState
scope_recorder_get_state (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), SCOPE_RECORDER_RECORDING);

  return self->state;
}

gint64
scope_recorder_get_stopped_us (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), -1);

  return self->stopped_us;
}

/**
 * scope_recorder_get_stopped_limit:
 *
 * Returns: the limit that stopped the recording, as it was when it did (a
 * limit changed since does not change what the session holds); 0 while it
 * records
 */
guint64
scope_recorder_get_stopped_limit (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->stopped_limit;
}

guint64
scope_recorder_get_dropped_events (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->dropped_events;
}

guint64
scope_recorder_get_dropped_bytes (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->dropped_bytes;
}

guint64
scope_recorder_get_payload_cap (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->payload_cap;
}

/**
 * scope_recorder_set_payload_cap:
 * @cap: bytes of payload to keep, at most %SCOPE_RECORDER_MAX_PAYLOAD_CAP
 *
 * Lowering the cap below what is stored keeps what is stored and stores
 * nothing more.
 */
void
scope_recorder_set_payload_cap (ScopeRecorder *self,
                                guint64        cap)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));

  cap = MIN (cap, SCOPE_RECORDER_MAX_PAYLOAD_CAP);
  if (cap == self->payload_cap)
    return;
  self->payload_cap = cap;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYLOAD_CAP]);
}

/**
 * scope_recorder_set_autoflush:
 *
 * With autoflush (the default) new events reach the list's listeners from
 * an idle callback. A display turns it off and calls scope_recorder_flush()
 * once per frame instead.
 */
void
scope_recorder_set_autoflush (ScopeRecorder *self,
                              gboolean       autoflush)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));

  self->autoflush = !!autoflush;
  if (!self->autoflush)
    g_clear_handle_id (&self->flush_source, g_source_remove);
  /* Events already waiting are not left behind. */
  if (self->pending)
    {
      if (self->autoflush && self->flush_source == 0)
        self->flush_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_idle, self, NULL);
      else if (!self->autoflush)
        g_signal_emit (self, signals[PENDING], 0);
    }
}

static void forget_flushed (ScopeRecorder *self);

/**
 * scope_recorder_flush:
 *
 * Tells the list's listeners of every event appended since the last flush,
 * in one items-changed, and notifies the counts.
 */
void
scope_recorder_flush (ScopeRecorder *self)
{
  guint64 added;
  guint64 old;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  g_clear_handle_id (&self->flush_source, g_source_remove);
  self->pending = FALSE;
  if (self->dropped_events != self->flushed_dropped)
    {
      self->flushed_dropped = self->dropped_events;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROPPED_EVENTS]);
    }
  if (self->state != self->flushed_state)
    {
      self->flushed_state = self->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  added = self->n_events - self->n_flushed;
  if (added == 0)
    return;

  /* The list holds at most the event limit, well within a guint. */
  old = self->n_flushed - self->base_index;
  g_assert (old + added <= G_MAXUINT);
  self->n_flushed += added;

  g_list_model_items_changed (G_LIST_MODEL (self), (guint) old, 0, (guint) added);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_EVENTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORED_BYTES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUNCATED_BYTES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SOCKETS]);
  forget_flushed (self);
}

/* Keeping until flushed: once everything kept has been heard of, it goes,
 * and with it the payload, the datagram peers and the sockets closed. The
 * stores start again from nothing; one chunk of each is kept for reuse. */
static void
forget_flushed (ScopeRecorder *self)
{
  guint64 removed;

  /* A listener that appended while it heard: the rest waits for the next
   * flush, with what it needs. */
  if (self->retention != SCOPE_RECORDER_KEEP_UNTIL_FLUSHED || self->n_flushed != self->n_events)
    return;

  removed = self->n_flushed - self->base_index;
  if (self->record_chunks->len > 0)
    {
      if (self->spare_chunk == NULL)
        self->spare_chunk = g_ptr_array_steal_index (self->record_chunks, 0);
      g_ptr_array_set_size (self->record_chunks, 0);
    }
  self->chunk_base = self->base_index = self->n_events;

  if (self->arena_chunks->len > 1)
    g_ptr_array_set_size (self->arena_chunks, 1);
  self->stored_bytes = 0;

  g_hash_table_remove_all (self->address_index);
  g_ptr_array_set_size (self->addresses, 0);

  for (guint i = 0; i < self->closed_ids->len; i++)
    {
      guint id = g_array_index (self->closed_ids, guint, i);

      scope_stream_ends_forget (self->ends, id);
      g_hash_table_remove (self->live_sockets, GUINT_TO_POINTER (id));
    }
  g_array_set_size (self->closed_ids, 0);

  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, (guint) removed, 0);
}

/**
 * scope_recorder_add_socket:
 * @parent_id: the listener that accepted a connection, or 0
 *
 * Returns: the new socket's id, from 1 up. Past the socket limit the id
 * is still new, but the socket is not kept, and its events are counted,
 * not kept.
 */
guint
scope_recorder_add_socket (ScopeRecorder   *self,
                           ScopeSocketRole  role,
                           ScopeProtocol    protocol,
                           const char      *label,
                           GSocketAddress  *local,
                           GSocketAddress  *peer,
                           guint            parent_id)
{
  SocketEntry *entry;
  ScopeSocketInfo *info;
  guint id;
  guint other;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);
  g_return_val_if_fail (parent_id <= self->last_id, 0);

  id = ++self->last_id;
  if (self->retention == SCOPE_RECORDER_KEEP_ALL)
    {
      if (self->state != SCOPE_RECORDER_RECORDING)
        return id;
      if (self->sockets->len >= self->socket_limit)
        {
          stop_recording (self, SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT);
          announce (self);
          return id;
        }
      /* Kept sockets are 1 to n, with no gap: a stop is for good. */
      g_assert (id == self->sockets->len + 1);
    }
  else if (g_hash_table_size (self->live_sockets) >= self->socket_limit)
    return id;

  entry = g_new0 (SocketEntry, 1);
  info = &entry->info;
  info->id = id;
  info->role = role;
  info->protocol = protocol;
  info->parent_id = parent_id;
  info->label = g_strdup (label);
  info->local_address = scope_socket_address_to_string (local);
  info->peer_address = scope_socket_address_to_string (peer);
  info->opened_us = MAX (clock_now (self) - self->start_us, 0);
  info->closed_us = -1;
  if (self->retention == SCOPE_RECORDER_KEEP_ALL)
    g_ptr_array_add (self->sockets, entry);
  else
    g_hash_table_insert (self->live_sockets, GUINT_TO_POINTER (id), entry);

  /* Both ends of a TCP connection on this machine are ours when our client
   * talks to our server. The stream model's rule pairs them, as they open
   * and close here in their true order; those open together are each
   * other's peer_id. */
  other = scope_stream_ends_add (self->ends, id, role, protocol, info->local_address,
                                 info->peer_address);
  if (other != 0)
    {
      SocketEntry *other_entry = socket_lookup (self, other);

      info->peer_id = other;
      if (other_entry != NULL)
        other_entry->info.peer_id = id;
    }

  return info->id;
}

/**
 * scope_recorder_get_socket:
 *
 * Returns: (nullable) (transfer none): what the recorder knows of a socket;
 * %NULL for one it does not keep
 */
const ScopeSocketInfo *
scope_recorder_get_socket (ScopeRecorder *self,
                           guint          socket_id)
{
  SocketEntry *entry;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  entry = socket_lookup (self, socket_id);
  return entry ? &entry->info : NULL;
}

/**
 * scope_recorder_get_stream_ends:
 *
 * Returns: (transfer none): the ends of the session's TCP connections, as
 * the stream model's rule paired them while they opened and closed
 */
const ScopeStreamEnds *
scope_recorder_get_stream_ends (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  return self->ends;
}

guint
scope_recorder_get_n_sockets (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->retention == SCOPE_RECORDER_KEEP_ALL ? self->sockets->len : self->last_id;
}

/* A socket's close: from now on it pairs only late, and, when events are
 * not all kept, it leaves the recorder's memory: at once when nothing is
 * kept, at the next flush when its close is to be heard. */
static void
socket_closed (ScopeRecorder *self,
               SocketEntry   *entry,
               gint64         time_us)
{
  ScopeSocketInfo *info = &entry->info;

  if (info->closed_us >= 0)
    return;
  info->closed_us = time_us;
  scope_stream_ends_close (self->ends, info->id);

  switch (self->retention)
    {
    case SCOPE_RECORDER_KEEP_ALL:
      break;
    case SCOPE_RECORDER_KEEP_UNTIL_FLUSHED:
      g_array_append_val (self->closed_ids, info->id);
      break;
    case SCOPE_RECORDER_KEEP_NOTHING:
    default:
      scope_stream_ends_forget (self->ends, info->id);
      g_hash_table_remove (self->live_sockets, GUINT_TO_POINTER (info->id));
      break;
    }
}

/* Appends one event of a socket, and moves its stream positions on, kept
 * or not, so that the offsets of the events kept stay true. @drop: the
 * event cannot be kept whatever the limits say (its peer could not be).
 * Returns the record, or %NULL when the event is not kept. */
static ScopeEventRecord *
append_counted (ScopeRecorder  *self,
                guint           socket_id,
                ScopeEventKind  kind,
                const guint8   *data,
                gsize           size,
                gboolean        drop)
{
  ScopeEventRecord *record = NULL;
  SocketEntry *entry;
  guint64 offset = 0;

  g_return_val_if_fail (socket_id >= 1 && socket_id <= self->last_id, NULL);
  g_return_val_if_fail (size <= G_MAXUINT32, NULL);

  entry = socket_lookup (self, socket_id);
  if (entry == NULL)
    {
      /* A socket past a limit: what it does is counted. */
      if (self->retention != SCOPE_RECORDER_KEEP_NOTHING)
        {
          count_dropped (self, size);
          announce (self);
        }
      return NULL;
    }

  if (kind == SCOPE_EVENT_SEND || kind == SCOPE_EVENT_SENDTO)
    {
      offset = entry->sent;
      entry->sent += size;
    }
  else if (kind == SCOPE_EVENT_RECV || kind == SCOPE_EVENT_RECVFROM)
    {
      offset = entry->received;
      entry->received += size;
    }

  if (drop)
    {
      count_dropped (self, size);
      announce (self);
    }
  else
    {
      guint64 dropped = self->dropped_events;

      record = append_record (self, socket_id, kind, data, size);
      if (record != NULL)
        record->stream_offset = offset;
      else if (self->dropped_events != dropped)
        announce (self);
    }

  if (kind == SCOPE_EVENT_CLOSE)
    socket_closed (self, entry, record != NULL ? (gint64) (record->time_kind >> 8)
                                               : MAX (clock_now (self) - self->start_us, 0));
  return record;
}

/**
 * scope_recorder_append:
 * @data: (nullable): the bytes sent or received, for send and recv
 *
 * Records one event of a socket. Sends and receives advance that socket's
 * stream offsets, so each event knows where its bytes lie in the stream.
 */
void
scope_recorder_append (ScopeRecorder  *self,
                       guint           socket_id,
                       ScopeEventKind  kind,
                       const guint8   *data,
                       gsize           size)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (kind < SCOPE_EVENT_N_KINDS);

  if (append_counted (self, socket_id, kind, data, size, FALSE) != NULL)
    announce (self);
}

/* The index + 1 of a datagram peer's address in the table, 0 for none, or
 * -1 when the table is full. */
static gint64
intern_address (ScopeRecorder  *self,
                GSocketAddress *address)
{
  g_autofree char *text = scope_socket_address_to_string (address);
  gpointer index;

  if (text == NULL)
    return 0;
  index = g_hash_table_lookup (self->address_index, text);
  if (index != NULL)
    return GPOINTER_TO_UINT (index);
  if (self->addresses->len >= self->peer_limit)
    return -1;

  g_ptr_array_add (self->addresses, g_steal_pointer (&text));
  g_hash_table_insert (self->address_index, g_ptr_array_index (self->addresses,
                                                               self->addresses->len - 1),
                       GUINT_TO_POINTER (self->addresses->len));
  return self->addresses->len;
}

/**
 * scope_recorder_append_datagram:
 * @kind: %SCOPE_EVENT_SENDTO or %SCOPE_EVENT_RECVFROM
 * @peer: (nullable): whom the datagram went to or came from
 */
void
scope_recorder_append_datagram (ScopeRecorder  *self,
                                guint           socket_id,
                                ScopeEventKind  kind,
                                GSocketAddress *peer,
                                const guint8   *data,
                                gsize           size)
{
  ScopeEventRecord *record;
  gint64 peer_index = 0;

  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (kind == SCOPE_EVENT_SENDTO || kind == SCOPE_EVENT_RECVFROM);

  /* Whom a datagram came from is part of it: past the peer limit it is not
   * kept at all, rather than kept without its sender. */
  if (self->retention != SCOPE_RECORDER_KEEP_NOTHING && self->state == SCOPE_RECORDER_RECORDING)
    {
      peer_index = intern_address (self, peer);
      if (peer_index < 0 && self->retention == SCOPE_RECORDER_KEEP_ALL)
        stop_recording (self, SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT);
    }
  record = append_counted (self, socket_id, kind, data, size, peer_index < 0);
  if (record == NULL)
    return;
  record->aux = (guint32) peer_index;
  announce (self);
}

void
scope_recorder_append_accept (ScopeRecorder *self,
                              guint          listener_id,
                              guint          connection_id)
{
  ScopeEventRecord *record;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  record = append_counted (self, listener_id, SCOPE_EVENT_ACCEPT, NULL, 0, FALSE);
  if (record == NULL)
    return;
  record->aux = connection_id;
  announce (self);
}

/**
 * scope_recorder_append_error:
 *
 * Records what went wrong on a socket, with its message as the payload and
 * its #GIOErrorEnum code.
 */
void
scope_recorder_append_error (ScopeRecorder *self,
                             guint          socket_id,
                             const GError  *error)
{
  ScopeEventRecord *record;
  g_autofree char *described = NULL;
  const char *message;
  int errnum;

  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (error != NULL);

  if (self->retention == SCOPE_RECORDER_KEEP_NOTHING)
    return;

  /* GIO's own messages end with strerror() ("Error accepting connection:
   * Too many open files"); those are put in words with the errno name, as
   * everywhere else. Messages of our own (an idle timeout) stay as written. */
  errnum = scope_error_get_errno (error);
  if (errnum != 0 && error->message != NULL
      && g_str_has_suffix (error->message, g_strerror (errnum)))
    described = scope_error_describe (error);
  message = described != NULL ? described : error->message ? error->message : "";
  record = append_counted (self, socket_id, SCOPE_EVENT_ERROR, (const guint8 *) message,
                           MIN (strlen (message), G_MAXUINT32), FALSE);
  if (record == NULL)
    return;
  record->aux = error->domain == G_IO_ERROR ? (guint32) error->code : G_IO_ERROR_FAILED;
  announce (self);
}

guint64
scope_recorder_get_n_events (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->n_events;
}

guint64
scope_recorder_get_stored_bytes (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->stored_bytes;
}

guint64
scope_recorder_get_truncated_bytes (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->truncated_bytes;
}

guint64
scope_recorder_get_truncated_events (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->truncated_events;
}

/**
 * scope_recorder_set_clock:
 * @func: (nullable): returns the time in µs on a clock of its own, or %NULL
 *   for the monotonic clock
 *
 * Events are stamped from @func from now on; the session starts at its
 * present reading. Tests and benchmarks use it to make sessions of a known
 * shape.
 */
void
scope_recorder_set_clock (ScopeRecorder  *self,
                          ScopeClockFunc  func,
                          gpointer        user_data)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (self->n_events == 0);

  self->clock_func = func;
  self->clock_data = user_data;
  self->start_us = clock_now (self);
}

/**
 * scope_recorder_get_now_us:
 *
 * Returns: the time now, in µs since the session started
 */
gint64
scope_recorder_get_now_us (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return clock_now (self) - self->start_us;
}

/**
 * scope_recorder_get_start_real_time:
 *
 * Returns: the wall-clock time the session started, in µs since 1970
 */
gint64
scope_recorder_get_start_real_time (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->start_real_us;
}

static void
record_unpack (const ScopeEventRecord *packed,
               guint64                 index,
               ScopeRecord            *record)
{
  record->index = index;
  record->time_us = (gint64) (packed->time_kind >> 8);
  record->kind = packed->time_kind & RECORD_KIND_MASK;
  record->socket_id = packed->socket_id;
  record->size = record->kind == SCOPE_EVENT_ERROR ? 0 : packed->size;
  record->stream_offset = packed->stream_offset;
  record->aux = packed->aux;
  record->truncated = (packed->time_kind & RECORD_TRUNCATED) != 0;
  record->has_payload = (packed->time_kind & RECORD_HAS_PAYLOAD) != 0
                        && record->kind != SCOPE_EVENT_ERROR;
}

/**
 * scope_recorder_get_record:
 * @index: of an event appended, flushed or not
 *
 * Returns: whether there is such an event
 */
gboolean
scope_recorder_get_record (ScopeRecorder *self,
                           guint64        index,
                           ScopeRecord   *record)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!is_kept (self, index))
    return FALSE;
  record_unpack (record_at (self, index), index, record);
  return TRUE;
}

/**
 * scope_recorder_get_time_us:
 *
 * Returns: when an event happened, in µs since the session started; events
 * come in time order. -1 past the last.
 */
gint64
scope_recorder_get_time_us (ScopeRecorder *self,
                            guint64        index)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), -1);

  if (!is_kept (self, index))
    return -1;
  return (gint64) (record_at (self, index)->time_kind >> 8);
}

/**
 * scope_recorder_dup_payload:
 *
 * Returns: (nullable) (transfer full): an event's bytes, or %NULL when it
 * had none or they were past the payload cap
 */
GBytes *
scope_recorder_dup_payload (ScopeRecorder *self,
                            guint64        index)
{
  const ScopeEventRecord *packed;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  if (!is_kept (self, index))
    return NULL;
  packed = record_at (self, index);
  if (!(packed->time_kind & RECORD_HAS_PAYLOAD)
      || (packed->time_kind & RECORD_KIND_MASK) == SCOPE_EVENT_ERROR)
    return NULL;
  return arena_copy (self, packed->payload_offset, packed->size);
}

/**
 * scope_recorder_dup_error_message:
 *
 * Returns: (nullable) (transfer full): for an error event, what went wrong
 */
char *
scope_recorder_dup_error_message (ScopeRecorder *self,
                                  guint64        index)
{
  const ScopeEventRecord *packed;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  if (!is_kept (self, index))
    return NULL;
  packed = record_at (self, index);
  if ((packed->time_kind & RECORD_KIND_MASK) != SCOPE_EVENT_ERROR
      || !(packed->time_kind & RECORD_HAS_PAYLOAD))
    return NULL;
  bytes = arena_copy (self, packed->payload_offset, packed->size);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/**
 * scope_recorder_get_record_peer:
 *
 * Returns: (nullable): whom a datagram went to or came from; for an event
 * of a connected socket, its peer
 */
const char *
scope_recorder_get_record_peer (ScopeRecorder *self,
                                guint64        index)
{
  const ScopeEventRecord *packed;
  ScopeEventKind kind;
  const ScopeSocketInfo *info;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  if (!is_kept (self, index))
    return NULL;
  packed = record_at (self, index);
  kind = packed->time_kind & RECORD_KIND_MASK;
  if ((kind == SCOPE_EVENT_SENDTO || kind == SCOPE_EVENT_RECVFROM) && packed->aux != 0)
    return g_ptr_array_index (self->addresses, packed->aux - 1);

  info = scope_recorder_get_socket (self, packed->socket_id);
  return info ? info->peer_address : NULL;
}

/* ScopeEvent: a view of one record, made when asked for. */

struct _ScopeEvent
{
  GObject parent_instance;

  ScopeRecorder    *recorder;
  guint64           index;
  ScopeEventRecord  record;
};

G_DEFINE_FINAL_TYPE (ScopeEvent, scope_event, G_TYPE_OBJECT)

static void
scope_event_finalize (GObject *object)
{
  ScopeEvent *self = SCOPE_EVENT (object);

  g_clear_object (&self->recorder);

  G_OBJECT_CLASS (scope_event_parent_class)->finalize (object);
}

static void
scope_event_class_init (ScopeEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scope_event_finalize;
}

static void
scope_event_init (ScopeEvent *self)
{
}

static GType
scope_recorder_get_item_type (GListModel *model)
{
  return SCOPE_TYPE_EVENT;
}

static guint
scope_recorder_get_n_items (GListModel *model)
{
  ScopeRecorder *self = SCOPE_RECORDER (model);

  return (guint) (self->n_flushed - self->base_index);
}

static gpointer
scope_recorder_get_item (GListModel *model,
                         guint       position)
{
  ScopeRecorder *self = SCOPE_RECORDER (model);
  ScopeEvent *event;

  if (position >= self->n_flushed - self->base_index)
    return NULL;

  event = g_object_new (SCOPE_TYPE_EVENT, NULL);
  event->recorder = g_object_ref (self);
  event->index = self->base_index + position;
  event->record = *record_at (self, event->index);
  return event;
}

static void
scope_recorder_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = scope_recorder_get_item_type;
  iface->get_n_items = scope_recorder_get_n_items;
  iface->get_item = scope_recorder_get_item;
}

guint64
scope_event_get_index (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->index;
}

ScopeEventKind
scope_event_get_kind (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.time_kind & RECORD_KIND_MASK;
}

/**
 * scope_event_get_time_us:
 *
 * Returns: microseconds since the recorder was made, on the monotonic clock
 */
gint64
scope_event_get_time_us (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return (gint64) (self->record.time_kind >> 8);
}

guint
scope_event_get_socket_id (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.socket_id;
}

gsize
scope_event_get_size (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return scope_event_get_kind (self) == SCOPE_EVENT_ERROR ? 0 : self->record.size;
}

guint64
scope_event_get_stream_offset (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return self->record.stream_offset;
}

/**
 * scope_event_get_truncated:
 *
 * Returns: whether the event's bytes were past the payload cap: counted,
 * not kept
 */
gboolean
scope_event_get_truncated (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), FALSE);

  return (self->record.time_kind & RECORD_TRUNCATED) != 0;
}

/**
 * scope_event_get_other_socket:
 *
 * Returns: for an accept, the connection socket it made; otherwise 0
 */
guint
scope_event_get_other_socket (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), 0);

  return scope_event_get_kind (self) == SCOPE_EVENT_ACCEPT ? self->record.aux : 0;
}

/**
 * scope_event_get_peer_address:
 *
 * Returns: (nullable): whom a datagram went to or came from; for a
 * connected socket, its peer
 */
const char *
scope_event_get_peer_address (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), NULL);

  return scope_recorder_get_record_peer (self->recorder, self->index);
}

/**
 * scope_event_dup_bytes:
 *
 * Returns: (nullable) (transfer full): the bytes sent or received, or %NULL
 * when there were none or they were past the payload cap
 */
GBytes *
scope_event_dup_bytes (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), NULL);

  return scope_recorder_dup_payload (self->recorder, self->index);
}

/**
 * scope_event_dup_message:
 *
 * Returns: (nullable) (transfer full): for an error event, what went wrong
 */
char *
scope_event_dup_message (ScopeEvent *self)
{
  g_return_val_if_fail (SCOPE_IS_EVENT (self), NULL);

  return scope_recorder_dup_error_message (self->recorder, self->index);
}
