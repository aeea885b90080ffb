/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-errors.h"
#include "scope-recorder-private.h"

/* The append API: what the servers and the client tell the recorder, one
 * event at a time, each packed into a record with its bytes in the arena,
 * placed in its socket's streams, kept or counted, and announced to the
 * listeners. The steps of this path are in one file so that they inline
 * into one another: it runs for every socket call. */

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

/* A new record at the end, in a new chunk when the last is full. */
static ScopeEventRecord *
record_new (ScopeRecorder *self)
{
  if ((self->n_events - self->chunk_base) % RECORDS_PER_CHUNK == 0)
    {
      ScopeEventRecord *chunk = g_steal_pointer (&self->spare_chunk);
      guint32 *waited = g_steal_pointer (&self->spare_waited);

      g_ptr_array_add (self->record_chunks,
                       chunk ? chunk : g_new (ScopeEventRecord, RECORDS_PER_CHUNK));
      g_ptr_array_add (self->waited_chunks, waited ? waited : g_new (guint32, RECORDS_PER_CHUNK));
    }

  *waited_at (self, self->n_events) = WAITED_UNKNOWN;
  return record_at (self, self->n_events++);
}

/* Packs one event, its bytes in the arena, when the limits let it be kept.
 * Returns the record, its stream offset and aux still 0, or %NULL. */
static ScopeEventRecord *
record_append (ScopeRecorder  *self,
               guint           socket_id,
               ScopeEventKind  kind,
               const guint8   *data,
               gsize           size)
{
  ScopeEventRecord *record;
  guint64 flags = 0;
  guint32 payload_offset = 0;
  gint64 time_us;

  if (!may_keep_event (self, size))
    return NULL;

  if (arena_store (self, data, size, kind == SCOPE_EVENT_ERROR, &payload_offset))
    flags |= RECORD_HAS_PAYLOAD;
  else if (size > 0)
    flags |= RECORD_TRUNCATED;

  /* A send is stamped as its call began (scope_recorder_append_sent()),
   * never before what was recorded already. */
  time_us = recorder_session_time (self);
  if (self->call_began_us >= 0)
    time_us = CLAMP (self->call_began_us, self->last_time_us, time_us);
  self->last_time_us = time_us;
  record = record_new (self);
  record->time_kind = ((guint64) time_us << 8) | flags | kind;
  record->socket_id = socket_id;
  record->size = (guint32) size;
  record->stream_offset = 0;
  record->payload_offset = payload_offset;
  record->aux = 0;

  return record;
}

/* Appends one event of a socket, and moves its stream positions on, kept
 * or not, so that the offsets of the events kept stay true. @drop: the
 * event cannot be kept whatever the limits say (its peer could not be).
 * An event kept gets its @aux and is announced; one not kept is counted.
 * Returns the record kept, or %NULL. */
static ScopeEventRecord *
append_event (ScopeRecorder  *self,
              guint           socket_id,
              ScopeEventKind  kind,
              const guint8   *data,
              gsize           size,
              gboolean        drop,
              guint32         aux)
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
          _scope_recorder_count_dropped (self, size);
          _scope_recorder_announce (self);
        }
      return NULL;
    }

  if (scope_event_kind_is_send (kind))
    {
      offset = entry->sent;
      entry->sent += size;
    }
  else if (scope_event_kind_is_receive (kind))
    {
      offset = entry->received;
      entry->received += size;
    }

  if (drop)
    {
      _scope_recorder_count_dropped (self, size);
      _scope_recorder_announce (self);
    }
  else
    {
      guint64 dropped = self->dropped_events;

      record = record_append (self, socket_id, kind, data, size);
      if (record != NULL)
        record->stream_offset = offset;
      else if (self->dropped_events != dropped)
        _scope_recorder_announce (self);
    }

  if (kind == SCOPE_EVENT_CLOSE)
    _scope_recorder_socket_closed (self, entry, record != NULL ? record_time_us (record)
                                                               : recorder_session_time (self));
  if (record == NULL)
    return NULL;
  record->aux = aux;
  _scope_recorder_announce (self);
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

  append_event (self, socket_id, kind, data, size, FALSE, 0);
}

static ScopeEventRecord *
append_datagram (ScopeRecorder  *self,
                 guint           socket_id,
                 ScopeEventKind  kind,
                 GSocketAddress *peer,
                 const guint8   *data,
                 gsize           size)
{
  gint64 peer_index = 0;

  /* Whom a datagram came from is part of it: past the peer limit it is not
   * kept at all, rather than kept without its sender. */
  if (self->retention != SCOPE_RECORDER_KEEP_NOTHING && self->state == SCOPE_RECORDER_RECORDING)
    {
      peer_index = _scope_recorder_intern_address (self, peer);
      if (peer_index < 0 && self->retention == SCOPE_RECORDER_KEEP_ALL)
        _scope_recorder_stop_recording (self, SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT);
    }
  return append_event (self, socket_id, kind, data, size, peer_index < 0, (guint32) peer_index);
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
  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (kind == SCOPE_EVENT_SENDTO || kind == SCOPE_EVENT_RECVFROM);

  append_datagram (self, socket_id, kind, peer, data, size);
}

#define ROUGH_TICK_US 10000

/* The wall clock, which the kernel's stamps are in, and the session's,
 * read together just before an event is appended: a stamp is put on the
 * session's clock from these two, not from the event's own time, which a
 * pause in between (a loaded machine, 5 ms seen) would move, and every
 * arrival with it. Read again when such a pause fell between the two, and
 * if every read had one, the closest pair is kept: three reads all paused
 * put an arrival 477 µs before the send that made it (the fresh-clone
 * run's test-server, its tests run side by side on two cores). */
typedef struct
{
  gint64 real_us;
  gint64 session_us;
} ClockPair;

#define CLOCK_PAIR_SLACK_US 20
#define CLOCK_PAIR_TRIES    16

static ClockPair
clocks_now (ScopeRecorder *self)
{
  ClockPair now = { 0, 0 }, best = { 0, 0 };
  gint64 best_window = G_MAXINT64;

  for (guint tries = 0; tries < CLOCK_PAIR_TRIES && best_window > CLOCK_PAIR_SLACK_US; tries++)
    {
      gint64 before = g_get_real_time ();

      now.session_us = recorder_session_time (self);
      now.real_us = g_get_real_time ();
      if (now.real_us - before < best_window)
        {
          best = now;
          best_window = now.real_us - before;
        }
    }
  return best;
}

/* How long bytes stamped @arrived_real_us (the kernel's CLOCK_REALTIME)
 * waited until their read, stamped at session time @read_us (the time
 * spent appending counts as waiting):
 * WAITED_UNTOLD without a stamp, or when the wall clock was stepped in
 * between (the arrival would fall before the socket, or its listener,
 * was there, or after the read). */
static guint32
waited_since (ScopeRecorder   *self,
              guint            socket_id,
              gint64           read_us,
              const ClockPair *now,
              gint64           arrived_real_us,
              gboolean         rough)
{
  const SocketEntry *entry = socket_lookup (self, socket_id);
  const SocketEntry *parent = NULL;
  gint64 waited, earliest;

  if (arrived_real_us < 0 || entry == NULL)
    return WAITED_UNTOLD;
  waited = read_us - (now->session_us - (now->real_us - arrived_real_us));
  /* Bytes for an accepted connection may come before the accept. */
  if (entry->info.parent_id != 0)
    parent = socket_lookup (self, entry->info.parent_id);
  earliest = parent != NULL ? parent->info.opened_us : entry->info.opened_us;
  /* The kernel's ticks may put a rough time up to a tick (10 ms at HZ
   * 100) early: within that it is the earliest it can be. */
  if (rough && read_us - waited < earliest && earliest - (read_us - waited) <= ROUGH_TICK_US)
    waited = read_us - earliest;
  if (waited < 0 || read_us - waited < earliest || waited >= WAITED_MAX)
    return WAITED_UNTOLD;
  return (guint32) waited | (rough ? WAITED_ROUGH : 0);
}

/**
 * scope_recorder_append_sent:
 * @kind: %SCOPE_EVENT_SEND, or %SCOPE_EVENT_SENDTO with @peer
 * @peer: (nullable): for a datagram, whom it went to
 * @began_us: scope_recorder_get_now_us() just before the call
 *
 * Records a send as scope_recorder_append() and
 * scope_recorder_append_datagram() do, stamped as its call began. On
 * loopback the bytes reach the peer's socket, and the kernel stamps their
 * arrival, inside the call: stamped when it returned, a send came tens of
 * microseconds after its own bytes arrived, and the timeline drew the
 * bytes going back in time.
 */
void
scope_recorder_append_sent (ScopeRecorder  *self,
                            guint           socket_id,
                            ScopeEventKind  kind,
                            GSocketAddress *peer,
                            const guint8   *data,
                            gsize           size,
                            gint64          began_us)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (scope_event_kind_is_send (kind));

  self->call_began_us = MAX (began_us, 0);
  if (kind == SCOPE_EVENT_SENDTO)
    append_datagram (self, socket_id, kind, peer, data, size);
  else
    append_event (self, socket_id, kind, data, size, FALSE, 0);
  self->call_began_us = -1;
}

/* A receive and how long its bytes waited; returns its record, or %NULL
 * when it was not kept. */
static ScopeEventRecord *
append_received (ScopeRecorder  *self,
                 guint           socket_id,
                 ScopeEventKind  kind,
                 GSocketAddress *peer,
                 const guint8   *data,
                 gsize           size,
                 gint64          arrived_real_us,
                 ClockPair      *now)
{
  ScopeEventRecord *record;

  *now = clocks_now (self);
  if (kind == SCOPE_EVENT_RECVFROM)
    record = append_datagram (self, socket_id, kind, peer, data, size);
  else
    record = append_event (self, socket_id, kind, data, size, FALSE, 0);
  if (record != NULL)
    *waited_at (self, self->n_events - 1) = waited_since (self, socket_id,
                                                          record_time_us (record), now,
                                                          arrived_real_us, FALSE);
  return record;
}

/**
 * scope_recorder_append_received:
 * @kind: %SCOPE_EVENT_RECV or %SCOPE_EVENT_RECVFROM
 * @peer: (nullable): for a datagram, whom it came from
 * @arrived_real_us: when the kernel says the bytes arrived, in
 *   g_get_real_time()'s clock; -1 when it did not say
 *
 * Records a receive as scope_recorder_append() and
 * scope_recorder_append_datagram() do, with when its bytes arrived beside
 * when they were read: the gap is the time they waited in the receive
 * buffer (ScopeRecord's arrived_us).
 */
void
scope_recorder_append_received (ScopeRecorder  *self,
                                guint           socket_id,
                                ScopeEventKind  kind,
                                GSocketAddress *peer,
                                const guint8   *data,
                                gsize           size,
                                gint64          arrived_real_us)
{
  ClockPair now;

  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (scope_event_kind_is_receive (kind));

  append_received (self, socket_id, kind, peer, data, size, arrived_real_us, &now);
}

/**
 * scope_recorder_append_stream_received:
 * @first_real_us: when the kernel says the first bytes arrived, in
 *   g_get_real_time()'s clock; -1 when it did not say
 * @last_real_us: the same, of the last bytes
 *
 * A %SCOPE_EVENT_RECV that took bytes from more than one segment spans
 * their arrivals (S14: "Hi!" and, a second later, "Hope you're well"); the
 * first is kept as how long before the last it came, in the record's aux,
 * which a stream's receive does not use otherwise: no event grows.
 */
void
scope_recorder_append_stream_received (ScopeRecorder *self,
                                       guint          socket_id,
                                       const guint8  *data,
                                       gsize          size,
                                       gint64         first_real_us,
                                       gint64         last_real_us)
{
  ScopeEventRecord *record;
  ClockPair now;
  guint32 waited;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  record = append_received (self, socket_id, SCOPE_EVENT_RECV, NULL, data, size, last_real_us,
                            &now);
  if (record == NULL || first_real_us < 0 || first_real_us > last_real_us)
    return;
  waited = *waited_at (self, self->n_events - 1);
  if (waited >= WAITED_UNTOLD)
    return;
  /* The first, as the last was, must fall after the socket was there;
   * told, it waited less than WAITED_MAX, and so the spread fits. */
  if (waited_since (self, socket_id, record_time_us (record), &now, first_real_us,
                    FALSE) != WAITED_UNTOLD)
    record->aux = (guint32) (last_real_us - first_real_us) + 1;
}

/**
 * scope_recorder_append_end_of_stream:
 * @arrived_real_us: about when the FIN came, in g_get_real_time()'s clock
 *   (TCP_INFO's last ACK, in the kernel's ticks); -1 when untold
 *
 * Records a zero-byte read, the end of what the peer sends (S15): no stamp
 * comes with it, so its arrival is rough (ScopeRecord's arrival_rough).
 */
void
scope_recorder_append_end_of_stream (ScopeRecorder *self,
                                     guint          socket_id,
                                     gint64         arrived_real_us)
{
  ScopeEventRecord *record;
  ClockPair now;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  now = clocks_now (self);
  record = append_event (self, socket_id, SCOPE_EVENT_RECV, NULL, 0, FALSE, 0);
  if (record != NULL)
    *waited_at (self, self->n_events - 1) = waited_since (self, socket_id,
                                                          record_time_us (record), &now,
                                                          arrived_real_us, TRUE);
}

void
scope_recorder_append_accept (ScopeRecorder *self,
                              guint          listener_id,
                              guint          connection_id)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));

  append_event (self, listener_id, SCOPE_EVENT_ACCEPT, NULL, 0, FALSE, connection_id);
}

/**
 * scope_recorder_append_accept_at:
 * @arrived_real_us: about when the handshake completed, in
 *   g_get_real_time()'s clock; -1 when untold
 *
 * An accept with how long the connection waited in the accept queue
 * before it (S17), told roughly: the kernel keeps it in its ticks.
 */
void
scope_recorder_append_accept_at (ScopeRecorder *self,
                                 guint          listener_id,
                                 guint          connection_id,
                                 gint64         arrived_real_us)
{
  ScopeEventRecord *record;
  ClockPair now;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  now = clocks_now (self);
  record = append_event (self, listener_id, SCOPE_EVENT_ACCEPT, NULL, 0, FALSE, connection_id);
  if (record != NULL)
    *waited_at (self, self->n_events - 1) = waited_since (self, listener_id,
                                                          record_time_us (record), &now,
                                                          arrived_real_us, TRUE);
}

/**
 * scope_recorder_append_queue:
 * @waiting: connections in the listener's accept queue
 * @limit: how many it may hold, as the system says
 *
 * Records a change in a listener's accept queue: a %SCOPE_EVENT_QUEUE
 * whose size is @waiting (connections, not bytes: it has no payload) and
 * whose aux is @limit.
 */
void
scope_recorder_append_queue (ScopeRecorder *self,
                             guint          listener_id,
                             guint          waiting,
                             guint          limit)
{
  ScopeEventRecord *record;

  g_return_if_fail (SCOPE_IS_RECORDER (self));

  record = append_event (self, listener_id, SCOPE_EVENT_QUEUE, NULL, 0, FALSE, limit);
  if (record != NULL)
    record->size = waiting;
}

/* An unread step: @unread bytes, in @datagrams on a datagram socket */
static void
append_unread (ScopeRecorder *self,
               guint          socket_id,
               guint          unread,
               guint          datagrams,
               guint          buffer,
               gint64         arrived_real_us,
               gboolean       rough)
{
  ScopeEventRecord *record;
  ClockPair now;

  now = clocks_now (self);
  record = append_event (self, socket_id, SCOPE_EVENT_UNREAD, NULL, 0, FALSE, buffer);
  if (record == NULL)
    return;
  record->size = unread;
  record->stream_offset = datagrams;
  if (unread > 0 || datagrams > 0)
    *waited_at (self, self->n_events - 1) = waited_since (self, socket_id,
                                                          record_time_us (record), &now,
                                                          arrived_real_us, rough);
}

/**
 * scope_recorder_append_unread:
 * @unread: the bytes waiting in the socket's receive buffer, unread
 * @buffer: the buffer's size, as the system says (SO_RCVBUF)
 * @arrived_real_us: when the last of them arrived, in g_get_real_time()'s
 *   clock; -1 when untold
 * @rough: whether that time is in the kernel's ticks
 *
 * Records a change in the bytes that wait unread while a server's reading
 * is paused (S14): a %SCOPE_EVENT_UNREAD whose size is @unread (it has no
 * payload: the bytes come with the receive that reads them) and whose aux
 * is @buffer; its arrival, as a receive's, when they came.
 */
void
scope_recorder_append_unread (ScopeRecorder *self,
                              guint          socket_id,
                              guint          unread,
                              guint          buffer,
                              gint64         arrived_real_us,
                              gboolean       rough)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));

  append_unread (self, socket_id, unread, 0, buffer, arrived_real_us, rough);
}

/**
 * scope_recorder_append_unread_datagrams:
 * @datagrams: how many datagrams wait unread
 * @unread: their bytes
 * @buffer: the receive buffer's size, as the system says (SO_RCVBUF)
 * @arrived_real_us: when the first of them arrived, in g_get_real_time()'s
 *   clock; -1 when untold
 *
 * As scope_recorder_append_unread(), for a datagram socket, each datagram
 * its own (S14 over UDP: "Hi!" and "Hope you're well" wait as two): the
 * record's stream offset is @datagrams.
 */
void
scope_recorder_append_unread_datagrams (ScopeRecorder *self,
                                        guint          socket_id,
                                        guint          datagrams,
                                        guint          unread,
                                        guint          buffer,
                                        gint64         arrived_real_us)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));

  append_unread (self, socket_id, unread, datagrams, buffer, arrived_real_us, FALSE);
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
  append_event (self, socket_id, SCOPE_EVENT_ERROR, (const guint8 *) message,
                MIN (strlen (message), G_MAXUINT32),
                FALSE, error->domain == G_IO_ERROR ? (guint32) error->code : G_IO_ERROR_FAILED);
}
