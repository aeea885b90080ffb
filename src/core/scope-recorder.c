/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#ifdef G_OS_UNIX
# include <gio/gunixsocketaddress.h>
#endif

#include "scope-recorder.h"
#include "scope-errors.h"

/* Every socket action becomes one packed record of 32 bytes in chunked
 * arrays that never move once written; its bytes go to a capped arena. The
 * GListModel face makes an item object only when someone asks for one, and
 * tells its listeners of new events in batches (flush), not one by one. */

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

typedef struct
{
  guint64 sent;
  guint64 received;
} StreamCounters;

struct _ScopeRecorder
{
  GObject parent_instance;

  gint64     start_us;
  gint64     start_real_us;
  ScopeClockFunc clock_func;
  gpointer   clock_data;
  GPtrArray *record_chunks;   /* ScopeEventRecord[RECORDS_PER_CHUNK] each */
  guint64    n_events;
  guint64    n_flushed;

  GPtrArray *arena_chunks;    /* guint8[ARENA_CHUNK_SIZE] each */
  guint64    payload_cap;
  guint64    stored_bytes;
  guint64    truncated_bytes;
  guint64    truncated_events;

  GPtrArray  *sockets;        /* ScopeSocketInfo*, index id - 1 */
  GArray     *counters;       /* StreamCounters, index id - 1 */
  GHashTable *open_ends;      /* "local peer" → ScopeSocketInfo*, TCP only */
  GPtrArray  *addresses;      /* interned datagram peers */
  GHashTable *address_index;  /* string → index + 1 */

  guint      flush_source;
  guint      autoflush : 1;
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
socket_info_free (gpointer data)
{
  ScopeSocketInfo *info = data;

  g_free (info->label);
  g_free (info->local_address);
  g_free (info->peer_address);
  g_free (info);
}

static ScopeEventRecord *
record_at (ScopeRecorder *self,
           guint64        index)
{
  ScopeEventRecord *chunk = g_ptr_array_index (self->record_chunks, index / RECORDS_PER_CHUNK);

  return &chunk[index % RECORDS_PER_CHUNK];
}

static gint64
clock_now (ScopeRecorder *self)
{
  return self->clock_func ? self->clock_func (self->clock_data) : g_get_monotonic_time ();
}

static ScopeEventRecord *
record_new (ScopeRecorder *self)
{
  if (self->n_events % RECORDS_PER_CHUNK == 0)
    g_ptr_array_add (self->record_chunks, g_new (ScopeEventRecord, RECORDS_PER_CHUNK));

  return record_at (self, self->n_events++);
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

/* Called once a record is complete, offsets and all. The first event of a
 * batch says so, once: a display then asks for a frame and flushes in it. */
static void
announce (ScopeRecorder *self)
{
  if (self->n_events - 1 != self->n_flushed)
    return;
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

  g_return_val_if_fail (socket_id >= 1 && socket_id <= self->sockets->len, NULL);
  g_return_val_if_fail (size <= G_MAXUINT32, NULL);

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
  g_ptr_array_unref (self->arena_chunks);
  g_ptr_array_unref (self->sockets);
  g_array_unref (self->counters);
  g_hash_table_unref (self->open_ends);
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
      g_value_set_uint (value, self->sockets->len);
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
  self->sockets = g_ptr_array_new_with_free_func (socket_info_free);
  self->counters = g_array_new (FALSE, TRUE, sizeof (StreamCounters));
  self->open_ends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->addresses = g_ptr_array_new_with_free_func (g_free);
  self->address_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->autoflush = TRUE;
}

ScopeRecorder *
scope_recorder_new (void)
{
  return g_object_new (SCOPE_TYPE_RECORDER, NULL);
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
  if (self->n_events > self->n_flushed)
    {
      if (self->autoflush && self->flush_source == 0)
        self->flush_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_idle, self, NULL);
      else if (!self->autoflush)
        g_signal_emit (self, signals[PENDING], 0);
    }
}

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
  added = self->n_events - self->n_flushed;
  if (added == 0)
    return;

  /* GListModel counts in guint; a session past four billion events stops
   * growing the list, while the counts go on. */
  old = self->n_flushed;
  if (old >= G_MAXUINT)
    return;
  added = MIN (added, (guint64) G_MAXUINT - old);
  self->n_flushed = old + added;

  g_list_model_items_changed (G_LIST_MODEL (self), (guint) old, 0, (guint) added);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_EVENTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORED_BYTES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUNCATED_BYTES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SOCKETS]);
}

static char *
end_key (const char *local,
         const char *peer)
{
  return g_strconcat (local, " ", peer, NULL);
}

/**
 * scope_recorder_add_socket:
 * @parent_id: the listener that accepted a connection, or 0
 *
 * Returns: the new socket's id, from 1 up.
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
  ScopeSocketInfo *info;
  StreamCounters zero = { 0, 0 };

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);
  g_return_val_if_fail (parent_id <= self->sockets->len, 0);

  info = g_new0 (ScopeSocketInfo, 1);
  info->id = self->sockets->len + 1;
  info->role = role;
  info->protocol = protocol;
  info->parent_id = parent_id;
  info->label = g_strdup (label);
  info->local_address = scope_socket_address_to_string (local);
  info->peer_address = scope_socket_address_to_string (peer);
  info->opened_us = MAX (clock_now (self) - self->start_us, 0);
  info->closed_us = -1;
  g_ptr_array_add (self->sockets, info);
  g_array_append_val (self->counters, zero);

  /* Both ends of a TCP connection on this machine are ours when our client
   * talks to our server: tie them, so a send on one end can be matched to
   * the receives on the other. */
  if (protocol == SCOPE_PROTOCOL_TCP && info->local_address && info->peer_address
      && (role == SCOPE_SOCKET_CLIENT || role == SCOPE_SOCKET_CONNECTION))
    {
      g_autofree char *other_key = end_key (info->peer_address, info->local_address);
      ScopeSocketInfo *other = g_hash_table_lookup (self->open_ends, other_key);

      if (other != NULL && other->role != role)
        {
          other->peer_id = info->id;
          info->peer_id = other->id;
          g_hash_table_remove (self->open_ends, other_key);
        }
      else
        g_hash_table_replace (self->open_ends, end_key (info->local_address, info->peer_address),
                              info);
    }

  return info->id;
}

/**
 * scope_recorder_get_socket:
 *
 * Returns: (nullable) (transfer none): what the recorder knows of a socket
 */
const ScopeSocketInfo *
scope_recorder_get_socket (ScopeRecorder *self,
                           guint          socket_id)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  if (socket_id == 0 || socket_id > self->sockets->len)
    return NULL;
  return g_ptr_array_index (self->sockets, socket_id - 1);
}

guint
scope_recorder_get_n_sockets (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->sockets->len;
}

static ScopeEventRecord *append_counted (ScopeRecorder  *self,
                                         guint           socket_id,
                                         ScopeEventKind  kind,
                                         const guint8   *data,
                                         gsize           size);

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

  if (append_counted (self, socket_id, kind, data, size) != NULL)
    announce (self);
}

static ScopeEventRecord *
append_counted (ScopeRecorder  *self,
                guint           socket_id,
                ScopeEventKind  kind,
                const guint8   *data,
                gsize           size)
{
  ScopeEventRecord *record;
  StreamCounters *counters;

  record = append_record (self, socket_id, kind, data, size);
  if (record == NULL)
    return NULL;

  counters = &g_array_index (self->counters, StreamCounters, socket_id - 1);
  if (kind == SCOPE_EVENT_SEND || kind == SCOPE_EVENT_SENDTO)
    {
      record->stream_offset = counters->sent;
      counters->sent += size;
    }
  else if (kind == SCOPE_EVENT_RECV || kind == SCOPE_EVENT_RECVFROM)
    {
      record->stream_offset = counters->received;
      counters->received += size;
    }
  else if (kind == SCOPE_EVENT_CLOSE)
    {
      ScopeSocketInfo *info = g_ptr_array_index (self->sockets, socket_id - 1);

      info->closed_us = (gint64) (record->time_kind >> 8);
      if (info->local_address && info->peer_address && info->peer_id == 0)
        {
          g_autofree char *key = end_key (info->local_address, info->peer_address);

          if (g_hash_table_lookup (self->open_ends, key) == info)
            g_hash_table_remove (self->open_ends, key);
        }
    }
  return record;
}

static guint32
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

  g_ptr_array_add (self->addresses, g_strdup (text));
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

  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (kind == SCOPE_EVENT_SENDTO || kind == SCOPE_EVENT_RECVFROM);

  record = append_counted (self, socket_id, kind, data, size);
  if (record == NULL)
    return;
  record->aux = intern_address (self, peer);
  announce (self);
}

void
scope_recorder_append_accept (ScopeRecorder *self,
                              guint          listener_id,
                              guint          connection_id)
{
  ScopeEventRecord *record;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  record = append_counted (self, listener_id, SCOPE_EVENT_ACCEPT, NULL, 0);
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

  /* GIO's own messages end with strerror() ("Error accepting connection:
   * Too many open files"); those are put in words with the errno name, as
   * everywhere else. Messages of our own (an idle timeout) stay as written. */
  errnum = scope_error_get_errno (error);
  if (errnum != 0 && error->message != NULL
      && g_str_has_suffix (error->message, g_strerror (errnum)))
    described = scope_error_describe (error);
  message = described != NULL ? described : error->message ? error->message : "";
  record = append_record (self, socket_id, SCOPE_EVENT_ERROR,
                          (const guint8 *) message, strlen (message));
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

  if (index >= self->n_events)
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

  if (index >= self->n_events)
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

  if (index >= self->n_events)
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

  if (index >= self->n_events)
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

  if (index >= self->n_events)
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
  return (guint) SCOPE_RECORDER (model)->n_flushed;
}

static gpointer
scope_recorder_get_item (GListModel *model,
                         guint       position)
{
  ScopeRecorder *self = SCOPE_RECORDER (model);
  ScopeEvent *event;

  if (position >= self->n_flushed)
    return NULL;

  event = g_object_new (SCOPE_TYPE_EVENT, NULL);
  event->recorder = g_object_ref (self);
  event->index = position;
  event->record = *record_at (self, position);
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
