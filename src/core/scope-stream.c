/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-endpoint.h"
#include "scope-stream.h"
#include "scope-stream-ends.h"

/* One truth about who sent which bytes to whom, between the recorder and
 * every view: the lanes (one per socket, in the order the timeline draws
 * them), each with its events in time order, its sends and its receives;
 * the datagram flows, keyed by the addresses of their ends read as
 * numbers; and, asked for one event, the links from the bytes a send put
 * in a stream to the receives that took them out. The two ends of a TCP
 * connection are paired by the rule of scope-stream-ends.c, which the
 * recorder applies as sockets open and close.
 *
 * It takes in events as the recorder flushes them, a range at a time. It
 * holds indices, not copies: a few bytes per event, within the recorder's
 * event limit; the events themselves stay in the recorder. Links are found
 * when asked for, by binary search on the stream offsets the recorder
 * gives every send and receive, so they cost nothing to hold. */

typedef struct
{
  guint          socket_id;
  guint          row;
  ScopeEndpoint  local;          /* for datagram flows; family 0 when not IP */
  GArray        *events;         /* guint32: this socket's events, in time order */
  GArray        *sends;          /* guint32: its send and sendto events */
  GArray        *recvs;          /* guint32: its recv and recvfrom events */
  guint64        sent_end;       /* the stream offset after its last send */
  guint64        received_end;   /* and after its last receive */
  guint          group;          /* where it sorts: the socket it is shown with, */
  guint          after;          /* the one it comes right after, */
  guint          beside;         /* and 1 for a client beside its connection */
  gboolean       hidden;         /* closed before the session's cut: no row */
} Lane;

/* The datagrams from one address to another: the k-th sent is taken to be
 * the k-th received, as on loopback, which neither loses nor reorders. */
typedef struct
{
  ScopeEndpoint from;
  ScopeEndpoint to;
  GArray       *sends;
  GArray       *recvs;
} Flow;

struct _ScopeStream
{
  GObject parent_instance;

  ScopeRecorder *recorder;
  guint64        first_index;      /* the recorder's first event: a New Session's cut */
  guint64        n_indexed;        /* the index after the last event taken in */
  gint64         end_us;
  GPtrArray     *lanes;            /* Lane*, by socket id - 1, owned */
  GPtrArray     *rows;             /* Lane*, in lane order, borrowed */
  GPtrArray     *flows;            /* Flow*, owned */
  GHashTable    *flows_by_ports;   /* from port << 16 | to port → GPtrArray of Flow* */
  GHashTable    *peers;            /* the recorder's peer string → ScopeEndpoint* */

  /* The latest exchange, found again at each update */
  guint64        exchange_first;   /* index of its first event */
  guint64        exchange_end;     /* and the index after its last */
  guint          exchange_lanes;
  gint64         exchange_start_us;   /* its first event, or the arrival of bytes before it */
  guint64        exchange_origin;     /* the event of that time */
  gboolean       exchange_arrival;    /* which is the arrival of a receive's bytes */
};

G_DEFINE_FINAL_TYPE (ScopeStream, scope_stream, G_TYPE_OBJECT)

enum {
  UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GArray *
index_array_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (guint32));
}

static void
lane_free (gpointer data)
{
  Lane *lane = data;

  g_array_unref (lane->events);
  g_array_unref (lane->sends);
  g_array_unref (lane->recvs);
  g_free (lane);
}

static void
flow_free (gpointer data)
{
  Flow *flow = data;

  g_array_unref (flow->sends);
  g_array_unref (flow->recvs);
  g_free (flow);
}

static Lane *
lane_of_socket (ScopeStream *self,
                guint        socket_id)
{
  if (socket_id == 0 || socket_id > self->lanes->len)
    return NULL;
  return g_ptr_array_index (self->lanes, socket_id - 1);
}

static Lane *
lane_at (ScopeStream *self,
         guint        lane)
{
  g_return_val_if_fail (lane < self->rows->len, NULL);

  return g_ptr_array_index (self->rows, lane);
}

/* The recorder interns each datagram peer's address and keeps each
 * socket's: its strings live as long as it, and each is read once. */
static const ScopeEndpoint *
peer_endpoint (ScopeStream *self,
               const char  *text)
{
  ScopeEndpoint *end;

  if (text == NULL)
    return NULL;
  end = g_hash_table_lookup (self->peers, text);
  if (end == NULL)
    {
      end = g_new (ScopeEndpoint, 1);
      scope_endpoint_parse (text, end);
      g_hash_table_insert (self->peers, (gpointer) text, end);
    }
  return end->family != 0 ? end : NULL;
}

/* Of the flows between two ports, the one from @from to @to: the same
 * addresses, or else addresses a wildcard stands for. */
static Flow *
flow_find (GPtrArray           *bucket,
           const ScopeEndpoint *from,
           const ScopeEndpoint *to)
{
  for (guint i = 0; bucket != NULL && i < bucket->len; i++)
    {
      Flow *flow = g_ptr_array_index (bucket, i);

      if (scope_endpoint_equal (&flow->from, from) && scope_endpoint_equal (&flow->to, to))
        return flow;
    }
  for (guint i = 0; bucket != NULL && i < bucket->len; i++)
    {
      Flow *flow = g_ptr_array_index (bucket, i);

      if (scope_endpoint_matches (&flow->from, from) && scope_endpoint_matches (&flow->to, to))
        return flow;
    }
  return NULL;
}

/* The flow a datagram belongs to: from the sender's address to the
 * receiver's. A socket bound to a wildcard address is whichever address
 * the other end saw: the route chose it, and only the other end knows. */
static Flow *
flow_of_datagram (ScopeStream       *self,
                  const Lane        *lane,
                  const ScopeRecord *record,
                  gboolean           create)
{
  const ScopeEndpoint *theirs;
  gboolean sending = record->kind == SCOPE_EVENT_SENDTO;
  const ScopeEndpoint *from, *to;
  GPtrArray *bucket;
  gpointer key;
  Flow *flow;

  theirs = peer_endpoint (self, scope_recorder_get_record_peer (self->recorder, record->index));
  if (theirs == NULL || lane->local.family == 0)
    return NULL;
  from = sending ? &lane->local : theirs;
  to = sending ? theirs : &lane->local;
  if (from->port == 0 || to->port == 0)
    return NULL;

  key = GUINT_TO_POINTER ((guint) from->port << 16 | to->port);
  bucket = g_hash_table_lookup (self->flows_by_ports, key);
  flow = flow_find (bucket, from, to);
  if (flow != NULL || !create)
    return flow;

  flow = g_new0 (Flow, 1);
  flow->from = *from;
  flow->to = *to;
  flow->sends = index_array_new ();
  flow->recvs = index_array_new ();
  g_ptr_array_add (self->flows, flow);
  if (bucket == NULL)
    {
      bucket = g_ptr_array_new ();
      g_hash_table_insert (self->flows_by_ports, key, bucket);
    }
  g_ptr_array_add (bucket, flow);
  return flow;
}

/* Where a lane sorts. A listener's connections sit under it, in the order
 * they came; a client of ours right after the connection that serves it,
 * so that the bands between them cross no other lane; every other socket
 * in the order it opened. */
static void
lane_place (ScopeStream *self,
            Lane        *lane)
{
  const ScopeSocketInfo *info = scope_recorder_get_socket (self->recorder, lane->socket_id);
  guint peer = info->role == SCOPE_SOCKET_CLIENT
               ? scope_stream_get_peer_socket (self, lane->socket_id) : 0;
  const ScopeSocketInfo *served = peer != 0 ? scope_recorder_get_socket (self->recorder, peer)
                                            : NULL;

  lane->beside = 0;
  if (info->parent_id != 0)
    {
      lane->group = info->parent_id;
      lane->after = info->id;
    }
  else if (served != NULL && served->role == SCOPE_SOCKET_CONNECTION && served->parent_id != 0)
    {
      lane->group = served->parent_id;
      lane->after = served->id;
      lane->beside = 1;
    }
  else
    {
      lane->group = info->id;
      lane->after = info->id;
    }
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Lane *x = *(Lane **) a;
  const Lane *y = *(Lane **) b;

  if (x->group != y->group)
    return x->group < y->group ? -1 : 1;
  if (x->after != y->after)
    return x->after < y->after ? -1 : 1;
  if (x->beside != y->beside)
    return x->beside < y->beside ? -1 : 1;
  return x->socket_id < y->socket_id ? -1 : x->socket_id > y->socket_id;
}

/* Sorts the lanes again: a pairing may come after both ends opened (the
 * rule of scope-stream-ends.c pairs an end closed before the other opened
 * when the other opens). Returns whether any lane moved. */
static gboolean
sort_rows (ScopeStream *self)
{
  gboolean moved = FALSE;

  for (guint i = 0; i < self->lanes->len; i++)
    lane_place (self, g_ptr_array_index (self->lanes, i));
  g_ptr_array_sort (self->rows, compare_rows);
  for (guint row = 0; row < self->rows->len; row++)
    {
      Lane *lane = g_ptr_array_index (self->rows, row);

      moved |= lane->row != row;
      lane->row = row;
    }
  return moved;
}

/* Returns whether there were new sockets. */
static gboolean
add_lanes (ScopeStream *self)
{
  guint n = scope_recorder_get_n_sockets (self->recorder);

  if (self->lanes->len >= n)
    return FALSE;
  for (guint id = self->lanes->len + 1; id <= n; id++)
    {
      const ScopeSocketInfo *info = scope_recorder_get_socket (self->recorder, id);
      Lane *lane = g_new0 (Lane, 1);

      lane->socket_id = id;
      lane->events = index_array_new ();
      lane->sends = index_array_new ();
      lane->recvs = index_array_new ();
      scope_endpoint_parse (info->local_address, &lane->local);
      lane->row = G_MAXUINT;
      g_ptr_array_add (self->lanes, lane);
      g_ptr_array_add (self->rows, lane);
      self->end_us = MAX (self->end_us, info->opened_us);
    }
  sort_rows (self);
  return TRUE;
}

static void
index_record (ScopeStream       *self,
              const ScopeRecord *record)
{
  Lane *lane = lane_of_socket (self, record->socket_id);
  guint32 index = (guint32) record->index;

  g_array_append_val (lane->events, index);
  if (scope_event_kind_is_send (record->kind))
    {
      g_array_append_val (lane->sends, index);
      lane->sent_end = record->stream_offset + record->size;
    }
  else if (scope_event_kind_is_receive (record->kind))
    {
      g_array_append_val (lane->recvs, index);
      lane->received_end = record->stream_offset + record->size;
    }

  if (record->kind == SCOPE_EVENT_SENDTO || record->kind == SCOPE_EVENT_RECVFROM)
    {
      Flow *flow = flow_of_datagram (self, lane, record, TRUE);

      if (flow != NULL)
        g_array_append_val (record->kind == SCOPE_EVENT_SENDTO ? flow->sends : flow->recvs,
                            index);
    }
  self->end_us = MAX (self->end_us, record->time_us);
}

/* The events after the last quiet gap: one of SCOPE_STREAM_QUIET_US, or
 * one SCOPE_STREAM_QUIET_RATIO times the span of what came after it (a
 * send and its echo microseconds apart, then the next one a few ms later,
 * are two exchanges). The gap of a lone event's span of 0 would be any
 * gap at all: the ratio's rule needs SCOPE_STREAM_QUIET_MIN_US too.
 * Walking back stops after SCOPE_STREAM_EXCHANGE_MAX events, so that a
 * flood with no gap costs the same at each flush: its latest events are
 * the exchange then. */
#define SCOPE_STREAM_QUIET_US        250000
#define SCOPE_STREAM_QUIET_RATIO     20
#define SCOPE_STREAM_QUIET_MIN_US    1000
#define SCOPE_STREAM_EXCHANGE_MAX    4096
/* How many causes back an exchange reaches: S16's end read, the server's
 * close, its reply, its read of the request; S15's end read, the server's
 * close, its end read, the shutdown, the message: four steps back. S17
 * with clients that talk: the last one's end read, the echo, the read,
 * its accept, the first accept of the queue emptied: five. */
#define SCOPE_STREAM_CAUSE_STEPS     6
/* The ends after an exchange (a Disconnect's close) are in it when they
 * came within this many times its span after it, or within
 * SCOPE_STREAM_TAIL_MIN_US: S14's two sends a second apart and their reads
 * take the close a few seconds later in, S15's and S16's zero-byte reads of
 * the server's close a few frames later too (frames of 100 ms and more in
 * projector mode without a GPU, the thirteenth trial), and S16's exchange
 * of a few ms is not squeezed to a corner by a close two seconds later */
#define SCOPE_STREAM_TAIL_SPANS      3
#define SCOPE_STREAM_TAIL_MIN_US     (500 * 1000)

/* Whether the event @index comes before what @key says, in an array of
 * events sorted by it. */
typedef gboolean (*IsBefore) (ScopeStream   *self,
                              guint32        index,
                              gconstpointer  key);

static gboolean
is_before_time (ScopeStream   *self,
                guint32        index,
                gconstpointer  key)
{
  return (double) scope_recorder_get_time_us (self->recorder, index) < *(const double *) key;
}

static gboolean
is_before_index (ScopeStream   *self,
                 guint32        index,
                 gconstpointer  key)
{
  return index < *(const guint64 *) key;
}

/* Its bytes end at or before the stream offset @key. */
static gboolean
is_before_offset (ScopeStream   *self,
                  guint32        index,
                  gconstpointer  key)
{
  ScopeRecord record;

  scope_recorder_get_record (self->recorder, index, &record);
  return record.stream_offset + record.size <= *(const guint64 *) key;
}

/* The first event of @list that is not before @key. */
static guint
lower_bound (ScopeStream   *self,
             GArray        *list,
             IsBefore       is_before,
             gconstpointer  key)
{
  guint lo = 0, hi = list->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (is_before (self, g_array_index (list, guint32, mid), key))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
indices_find (ScopeStream *self,
              GArray      *array,
              guint64      index,
              guint       *position)
{
  guint at = lower_bound (self, array, is_before_index, &index);

  if (at >= array->len || g_array_index (array, guint32, at) != index)
    return FALSE;
  *position = at;
  return TRUE;
}

/* What made event @record happen, when it is another event before it:
 * the earliest send whose bytes a receive took; for a zero-byte read (the
 * peer finished sending), the peer's shutdown or close before it; for a
 * send, the receive just before it on its lane (a server's reply to what
 * it read), else the send before it whose bytes still wait unread (S14
 * with reading paused: "Hi!" and "Hope you're well" are one lesson
 * before they are read together); for a shutdown, the message it ends;
 * for a close, the zero-byte read it answers; for an accept, the accepts
 * of the same queue before it. When the peer is not one of our sockets (a
 * student's client): for a connection's receive, its accept; for its
 * zero-byte read, our reply the peer had. G_MAXUINT64 when there is
 * none. */
#define SCOPE_STREAM_REPLY_US 1000
/* How far back on a lane the previous send, or the peer's last read, is
 * looked for */
#define SCOPE_STREAM_LOOK_BACK 64

/* Where the peer of @lane has read its stream to: the end of its last
 * receive with bytes, 0 before any (or further back than is looked). */
static guint64
peer_read_to (ScopeStream *self,
              guint        socket_id)
{
  Lane *peer = lane_of_socket (self, scope_stream_get_peer_socket (self, socket_id));

  for (guint i = peer != NULL ? peer->events->len : 0, looked = 0;
       i > 0 && looked < SCOPE_STREAM_LOOK_BACK; i--, looked++)
    {
      ScopeRecord record;

      if (scope_recorder_get_record (self->recorder, g_array_index (peer->events, guint32, i - 1),
                                     &record)
          && record.kind == SCOPE_EVENT_RECV && record.size > 0)
        return record.stream_offset + record.size;
    }
  return 0;
}

/* S15: the shutdown that ends a message takes in the message, sent at
 * most this long before it: the lesson is the two 16-byte reads and then
 * the zero-byte one, and following showed the end alone, its data a
 * second before (the eighth trial). A message sent longer ago is another
 * moment of the lecture: the end is shown alone. So for datagrams not
 * read: one sent longer ago was most likely lost. */
#define SCOPE_STREAM_END_REACH_US (60 * G_USEC_PER_SEC)

/* Steps back from position *@at on @lane to the event before it, into
 * @before: FALSE at the lane's start, after SCOPE_STREAM_LOOK_BACK steps
 * (counted in *@looked), or when the event is gone. */
static gboolean
event_before (ScopeStream *self,
              Lane        *lane,
              guint       *at,
              guint       *looked,
              ScopeRecord *before)
{
  if (*at == 0 || *looked >= SCOPE_STREAM_LOOK_BACK)
    return FALSE;
  (*at)--;
  (*looked)++;
  return scope_recorder_get_record (self->recorder, g_array_index (lane->events, guint32, *at),
                                    before);
}

static void collect_datagram_link (ScopeStream       *self,
                                   const ScopeRecord *record,
                                   GArray            *links);

/* The send before @record, a send at @at on @lane, while its bytes wait
 * unread by the peer; or the datagram sent before it, while no receive
 * has taken it (S14 over UDP with reading paused: "Hi!" and "Hope you're
 * well" wait as two datagrams, one lesson, where following showed the
 * last alone, the seventh trial). G_MAXUINT64 when there is none. */
static guint64
unread_send_before (ScopeStream       *self,
                    Lane              *lane,
                    const ScopeRecord *record,
                    guint              at,
                    GArray            *links)
{
  ScopeRecord before;

  for (guint looked = 0; event_before (self, lane, &at, &looked, &before);)
    {
      gboolean unread;

      if (before.kind != record->kind)
        continue;
      if (record->kind == SCOPE_EVENT_SEND)
        unread = before.size > 0
                 && before.stream_offset + before.size > peer_read_to (self, record->socket_id);
      else
        {
          /* To the same socket: a server's reply to the notes' client,
           * which is not ours, has no receive we see, and S14's datagrams
           * to the upper-case server reached back 45 s to S13's reply
           * (the fifteenth trial). */
          const ScopeEndpoint *to = peer_endpoint (
            self, scope_recorder_get_record_peer (self->recorder, record->index));
          const ScopeEndpoint *before_to = peer_endpoint (
            self, scope_recorder_get_record_peer (self->recorder, before.index));

          g_array_set_size (links, 0);
          collect_datagram_link (self, &before, links);
          unread = links->len == 0 && to != NULL && before_to != NULL
                   && scope_endpoint_equal (to, before_to)
                   && record->time_us - before.time_us <= SCOPE_STREAM_END_REACH_US;
        }
      return unread ? before.index : G_MAXUINT64;
    }
  return G_MAXUINT64;
}

/* The first of the sends whose bytes wait unread in @record, an unread
 * step on a connection: S14 with reading paused showed the second send and
 * its "19 bytes unread", the axis counting from there, the first send's
 * three bytes waiting 1.4 s before it (the tenth trial). G_MAXUINT64 when
 * there is none. */
static guint64
first_unread_send (ScopeStream       *self,
                   const ScopeRecord *record)
{
  guint sender = scope_stream_get_peer_socket (self, record->socket_id);
  Lane *peer = lane_of_socket (self, sender);
  guint64 first = G_MAXUINT64;
  guint64 read_to;
  ScopeRecord before;
  guint at;

  if (peer == NULL)
    return G_MAXUINT64;
  read_to = peer_read_to (self, sender);
  at = lower_bound (self, peer->events, is_before_index, &record->index);
  for (guint looked = 0; event_before (self, peer, &at, &looked, &before);)
    {
      if (before.kind != SCOPE_EVENT_SEND || before.size == 0)
        continue;
      if (before.stream_offset + before.size <= read_to)
        break;
      first = before.index;
    }
  return first;
}

/* The first datagram still unread of those that came to @record's socket,
 * a datagram server's unread step, sent at most SCOPE_STREAM_END_REACH_US
 * before it (older ones were lost, most likely); G_MAXUINT64 when there is
 * none. Each flow pairs its sends and receives in order: its sends past
 * its receives are unread. */
static guint64
first_unread_datagram (ScopeStream       *self,
                       const ScopeRecord *record)
{
  Lane *lane = lane_of_socket (self, record->socket_id);
  const ScopeSocketInfo *info = scope_recorder_get_socket (self->recorder, record->socket_id);
  guint64 first = G_MAXUINT64;

  if (lane == NULL || lane->local.family == 0 || info == NULL)
    return G_MAXUINT64;
  for (guint i = 0; i < self->flows->len; i++)
    {
      Flow *flow = g_ptr_array_index (self->flows, i);
      guint lo, hi;
      guint64 send;

      if (flow->sends->len <= flow->recvs->len || !scope_endpoint_matches (&flow->to, &lane->local))
        continue;
      /* The first unread within reach: sends are in time order */
      for (lo = flow->recvs->len, hi = flow->sends->len; lo < hi;)
        {
          guint mid = lo + (hi - lo) / 2;

          if (record->time_us - scope_recorder_get_time_us (self->recorder,
                                                            g_array_index (flow->sends, guint32,
                                                                           mid))
              > SCOPE_STREAM_END_REACH_US)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo == flow->sends->len)
        continue;
      send = g_array_index (flow->sends, guint32, lo);
      /* Not one sent before the socket was there to take it (S13's
       * datagram to a closed port, then the server started there) */
      if (send < record->index
          && scope_recorder_get_time_us (self->recorder, send) >= info->opened_us)
        first = MIN (first, send);
    }
  return first;
}

/* The send of the message @record, a shutdown at @at on @lane, ends;
 * G_MAXUINT64 when there is none. */
static guint64
message_ended (ScopeStream       *self,
               Lane              *lane,
               const ScopeRecord *record,
               guint              at)
{
  ScopeRecord before;

  for (guint looked = 0; event_before (self, lane, &at, &looked, &before);)
    {
      if (before.kind != SCOPE_EVENT_SEND || before.size == 0)
        continue;
      return record->time_us - before.time_us <= SCOPE_STREAM_END_REACH_US ? before.index
                                                                            : G_MAXUINT64;
    }
  return G_MAXUINT64;
}

/* When the peer did what @record tells of: for a receive, when its bytes
 * (or the end) arrived, as the kernel says, else when it was read. The
 * main loop reads them later: in projector mode at 1920×1080, on a display
 * with no GPU, frames of a tenth of a second came between S17's accepts
 * and their reads (the thirteenth trial). */
static gint64
peer_time (const ScopeRecord *record)
{
  gint64 arrived = scope_event_kind_is_receive (record->kind) ? scope_record_first_arrival (record)
                                                               : -1;

  return arrived >= 0 ? MIN (arrived, record->time_us) : record->time_us;
}

/* The event just before @record, at @at on @lane, readiness aside, when
 * it is of @kind, with bytes or with none as @with_bytes says, and came at
 * most @reach_us before @record's peer_time(); G_MAXUINT64 when there is
 * none. A server
 * that read the end closes: its zero-byte read, a few µs before (S15's
 * echo server; the client read the end of it ms later, after a quiet
 * gap). */
static guint64
just_before (ScopeStream       *self,
             Lane              *lane,
             const ScopeRecord *record,
             guint              at,
             ScopeEventKind     kind,
             gboolean           with_bytes,
             gint64             reach_us)
{
  ScopeRecord before;

  for (guint looked = 0; event_before (self, lane, &at, &looked, &before);)
    {
      if (before.kind == SCOPE_EVENT_READABLE)
        continue;
      return before.kind == kind && (before.size > 0) == with_bytes
             && peer_time (record) - before.time_us <= reach_us ? before.index : G_MAXUINT64;
    }
  return G_MAXUINT64;
}

/* S17: accepts on a listener within this long of the newest are one
 * story, the queue emptied: resumed, the listener accepted the six that
 * waited at once, and the two clients in SYN-SENT when their SYN came
 * again (1, 3, 7, 15 s after they sent it); following showed those two
 * alone, the six off screen (the eighth trial). */
#define SCOPE_STREAM_ACCEPT_REACH_US (30 * G_USEC_PER_SEC)

/* Whether the connection @socket_id sent or received before the event
 * @index: its accept began a story of its own (a class's clients, each
 * connecting and talking in turn, are not one queue emptied). */
static gboolean
talked_before (ScopeStream *self,
               guint        socket_id,
               guint64      index)
{
  Lane *lane = lane_of_socket (self, socket_id);

  for (guint i = 0; lane != NULL && i < lane->events->len && i < SCOPE_STREAM_LOOK_BACK; i++)
    {
      guint32 at = g_array_index (lane->events, guint32, i);
      ScopeRecord record;

      if (at >= index || !scope_recorder_get_record (self->recorder, at, &record))
        break;
      if (scope_event_kind_is_send (record.kind) || scope_event_kind_is_receive (record.kind))
        return TRUE;
    }
  return FALSE;
}

/* The first of the accepts before @record, an accept at @at on @lane, all
 * within SCOPE_STREAM_ACCEPT_REACH_US of it, whose connections have not
 * talked before it; G_MAXUINT64 when there is none. Unless those accepts
 * emptied a queue where several connections waited: then the first of
 * them all, talked or not. The seeds' clients send as soon as they
 * connect, so each connection of the queue emptied reads and echoes at
 * once, and the two that were in SYN-SENT, accepted seconds later, came
 * after connections that talked: following showed them alone (the twelfth
 * trial). One client seen waiting alone (the queue polled at 1 while the
 * loop was slow) is no such queue: a class's clients, each waiting a
 * moment and talking in turn, are each a story of their own; past one,
 * or the queue seen empty, only a full queue, which left clients in
 * SYN-SENT, is still the story. The queue polled as it empties is longer
 * going back; shorter, it was filling, and accepts before that are
 * another story. And an accept right after several waited began the
 * emptying itself. */
static guint64
first_of_accepts (ScopeStream       *self,
                  Lane              *lane,
                  const ScopeRecord *record,
                  guint              at)
{
  guint64 first = G_MAXUINT64, first_any = G_MAXUINT64, alone = G_MAXUINT64;
  gboolean talked = FALSE, seen_alone = FALSE, lone_met = FALSE, filling = FALSE;
  guint peak = 0, peak_limit = 0;
  ScopeRecord before;

  for (guint looked = 0; event_before (self, lane, &at, &looked, &before);)
    {
      /* The listener's readiness comes between */
      if (before.kind == SCOPE_EVENT_READABLE)
        continue;
      if (before.kind == SCOPE_EVENT_QUEUE)
        {
          if (first_any == G_MAXUINT64)
            {
              /* An accept right after several waited began the emptying
               * itself; one seen waiting alone, or the queue seen empty
               * before it, came anew */
              if (before.size >= 2)
                break;
              seen_alone = TRUE;
              continue;
            }
          if (peak == 0 && before.size < 2)
            {
              /* One waited alone, or none, between accepts: the story
               * began after it, unless a queue emptied before (S17's two
               * in SYN-SENT, each seen waiting a moment when their SYN came
               * again, a second after the six: following showed them
               * alone, their lanes below the fold, the fourteenth trial) */
              if (before.size == 1 && !lone_met)
                {
                  alone = first;
                  lone_met = TRUE;
                }
              seen_alone = TRUE;
              continue;
            }
          /* Longer going back: the queue emptying, its accepts with polls
           * between them (the sixteenth trial's second S17 showed its last
           * accepts alone); shorter, or empty: the queue filling, before
           * the emptying */
          if (before.size >= peak && before.size >= 2)
            {
              peak = before.size;
              peak_limit = before.aux;
            }
          else
            filling = TRUE;
          continue;
        }
      if (before.kind != SCOPE_EVENT_ACCEPT
          || record->time_us - before.time_us > SCOPE_STREAM_ACCEPT_REACH_US)
        break;
      if (filling)
        /* Accepts before the queue filled: another story */
        break;
      talked = talked || talked_before (self, before.aux, record->index);
      if (!talked)
        first = before.index;
      first_any = before.index;
    }
  /* A queue of several emptied: the first of its accepts, talked or not.
   * Past one who came anew, only a full queue, which left clients in
   * SYN-SENT, is still the story: two students who came in one poll are
   * no queue the next ones joined (the review). */
  if (peak >= 2 && (!seen_alone || peak > peak_limit))
    return first_any;
  return lone_met ? alone : first;
}

/* A program beside ours, not one of our sockets, answers at once: the
 * seeds' clients send as soon as they connect and close as soon as the
 * echo comes. S17 with them, resumed: following showed the last
 * connection's zero-byte read and close alone, 20 µs wide, with neither
 * its accept nor its echo (the twelfth trial). */
#define SCOPE_STREAM_PEER_TURN_US (100 * 1000)

/* The accept, on its listener's lane, of the connection whose receive
 * @record is, when it came at most SCOPE_STREAM_PEER_TURN_US before;
 * G_MAXUINT64 when there is none. */
static guint64
accept_of (ScopeStream       *self,
           const ScopeRecord *record)
{
  const ScopeSocketInfo *info = scope_recorder_get_socket (self->recorder, record->socket_id);
  Lane *listener = info != NULL && info->role == SCOPE_SOCKET_CONNECTION
                   ? lane_of_socket (self, info->parent_id) : NULL;
  guint at = listener != NULL ? lower_bound (self, listener->events, is_before_index,
                                             &record->index) : 0;
  ScopeRecord before;

  for (guint looked = 0; listener != NULL && event_before (self, listener, &at, &looked, &before);)
    if (before.kind == SCOPE_EVENT_ACCEPT && before.aux == record->socket_id)
      return peer_time (record) - before.time_us <= SCOPE_STREAM_PEER_TURN_US ? before.index
                                                                               : G_MAXUINT64;
  return G_MAXUINT64;
}

static guint64
earlier_cause (ScopeStream       *self,
               const ScopeRecord *record,
               GArray            *links)
{
  Lane *lane = lane_of_socket (self, record->socket_id);
  guint64 cause = G_MAXUINT64;
  guint at;

  if (scope_event_kind_is_receive (record->kind) && record->size > 0)
    {
      g_array_set_size (links, 0);
      scope_stream_collect_links (self, record->index, links);
      /* In stream order: the first link's send is the earliest. */
      if (links->len > 0)
        cause = g_array_index (links, ScopeStreamLink, 0).send_index;
      else if (record->kind == SCOPE_EVENT_RECV)
        cause = accept_of (self, record);
    }
  else if (record->kind == SCOPE_EVENT_RECV
           && lane_of_socket (self, scope_stream_get_peer_socket (self, record->socket_id)) == NULL)
    {
      if (lane != NULL && indices_find (self, lane->events, record->index, &at))
        /* The peer finished when our reply came. */
        cause = just_before (self, lane, record, at, SCOPE_EVENT_SEND, TRUE,
                             SCOPE_STREAM_PEER_TURN_US);
    }
  else if (record->kind == SCOPE_EVENT_RECV)
    {
      Lane *peer = lane_of_socket (self, scope_stream_get_peer_socket (self, record->socket_id));

      for (at = peer ? lower_bound (self, peer->events, is_before_index, &record->index) : 0;
           peer != NULL && at > 0; at--)
        {
          ScopeRecord end;

          if (!scope_recorder_get_record (self->recorder,
                                          g_array_index (peer->events, guint32, at - 1), &end))
            break;
          if (end.kind == SCOPE_EVENT_SHUTDOWN || end.kind == SCOPE_EVENT_CLOSE)
            {
              cause = end.index;
              break;
            }
          /* Bytes sent after the end would not be a zero-byte read's. */
          if (end.kind == SCOPE_EVENT_SEND)
            break;
        }
    }
  else if ((record->kind == SCOPE_EVENT_SEND || record->kind == SCOPE_EVENT_SENDTO)
           && lane != NULL && indices_find (self, lane->events, record->index, &at) && at > 0)
    {
      guint32 index = g_array_index (lane->events, guint32, at - 1);
      ScopeRecord before;

      if (scope_recorder_get_record (self->recorder, index, &before)
          && scope_event_kind_is_receive (before.kind) && before.size > 0
          && record->time_us - before.time_us <= SCOPE_STREAM_REPLY_US)
        cause = index;
      else
        cause = unread_send_before (self, lane, record, at, links);
    }
  else if (record->kind == SCOPE_EVENT_SHUTDOWN && lane != NULL
           && indices_find (self, lane->events, record->index, &at))
    cause = message_ended (self, lane, record, at);
  else if (record->kind == SCOPE_EVENT_ACCEPT && lane != NULL
           && indices_find (self, lane->events, record->index, &at))
    cause = first_of_accepts (self, lane, record, at);
  else if (record->kind == SCOPE_EVENT_CLOSE && lane != NULL
           && indices_find (self, lane->events, record->index, &at))
    cause = just_before (self, lane, record, at, SCOPE_EVENT_RECV, FALSE, SCOPE_STREAM_REPLY_US);
  else if (record->kind == SCOPE_EVENT_UNREAD && record->stream_offset > 0)
    cause = first_unread_datagram (self, record);
  else if (record->kind == SCOPE_EVENT_UNREAD && record->size > 0)
    cause = first_unread_send (self, record);
  return cause;
}

/* The earliest of the events that made those from @first on happen, if
 * it came before @first; else @first. Only the first event of each kind
 * on a lane can have the earliest cause (a lane's receives read on in
 * stream order, its replies follow its receives, it finishes once), so
 * the others cost nothing, however long a flood. */
static guint64
earliest_cause (ScopeStream *self,
                guint64      first,
                guint64      end)
{
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (ScopeStreamLink));
  g_autofree guint8 *done = g_new0 (guint8, self->lanes->len + 1);
  guint64 earliest = first;

  for (guint64 i = first; i < end; i++)
    {
      ScopeRecord record;
      guint8 kind_bit;

      if (!scope_recorder_get_record (self->recorder, i, &record))
        continue;
      kind_bit = scope_event_kind_is_receive (record.kind) ? (record.size > 0 ? 1 : 2)
                 : record.kind == SCOPE_EVENT_SEND || record.kind == SCOPE_EVENT_SENDTO ? 4
                 : record.kind == SCOPE_EVENT_SHUTDOWN ? 8
                 : record.kind == SCOPE_EVENT_ACCEPT ? 16
                 : record.kind == SCOPE_EVENT_CLOSE ? 32
                 : record.kind == SCOPE_EVENT_UNREAD && (record.size > 0
                                                         || record.stream_offset > 0) ? 64 : 0;
      if (kind_bit == 0
          || (record.socket_id <= self->lanes->len && (done[record.socket_id] & kind_bit)))
        continue;
      earliest = MIN (earliest, earlier_cause (self, &record, links));
      /* Datagrams are not in one stream: each recvfrom has its own send. */
      if (record.socket_id <= self->lanes->len && record.kind != SCOPE_EVENT_RECVFROM)
        done[record.socket_id] |= kind_bit;
    }
  return earliest;
}

/* Whether a listener's queue was empty at @record, its close: closed
 * with connections waiting, the kernel resets them. */
static gboolean
queue_empty_at (ScopeStream       *self,
                const ScopeRecord *record)
{
  Lane *lane = lane_of_socket (self, record->socket_id);
  ScopeRecord before;
  guint at;

  if (lane == NULL || !indices_find (self, lane->events, record->index, &at))
    return TRUE;
  for (guint looked = 0; event_before (self, lane, &at, &looked, &before);)
    if (before.kind == SCOPE_EVENT_QUEUE)
      return before.size == 0;
  return TRUE;
}

/* Whether @record only ends what was: a socket's readiness, a queue or a
 * buffer emptied, a zero-byte read, a close (a listener's with nothing
 * waiting). After the lesson, Disconnect is such an end: it is no
 * exchange of its own. */
static gboolean
is_silent (ScopeStream       *self,
           const ScopeRecord *record)
{
  const ScopeSocketInfo *info;

  switch (record->kind)
    {
    case SCOPE_EVENT_READABLE:
      return TRUE;
    case SCOPE_EVENT_QUEUE:
      return record->size == 0;
    case SCOPE_EVENT_UNREAD:
      return record->size == 0 && record->stream_offset == 0;
    case SCOPE_EVENT_RECV:
      return record->size == 0;
    case SCOPE_EVENT_CLOSE:
      info = scope_recorder_get_socket (self->recorder, record->socket_id);
      return info == NULL || info->role != SCOPE_SOCKET_LISTENER || queue_empty_at (self, record);
    default:
      return FALSE;
    }
}

/* The first event after the last quiet gap before @end. */
static guint64
after_quiet_gap (ScopeStream *self,
                 guint64      end)
{
  guint64 first = end - 1;
  gint64 last_us, after_us;

  last_us = after_us = scope_recorder_get_time_us (self->recorder, first);
  while (first > self->first_index && self->n_indexed - first < SCOPE_STREAM_EXCHANGE_MAX)
    {
      gint64 before_us = scope_recorder_get_time_us (self->recorder, first - 1);
      gint64 gap = after_us - before_us;

      if (gap >= SCOPE_STREAM_QUIET_US
          || (gap >= SCOPE_STREAM_QUIET_MIN_US
              && gap >= SCOPE_STREAM_QUIET_RATIO * (last_us - after_us)))
        break;
      first--;
      after_us = before_us;
    }
  return first;
}

/* Whether the events from @first to @end all changed nothing a peer sees. */
static gboolean
all_silent (ScopeStream *self,
            guint64      first,
            guint64      end)
{
  for (guint64 i = first; i < end; i++)
    {
      ScopeRecord record;

      if (scope_recorder_get_record (self->recorder, i, &record) && !is_silent (self, &record))
        return FALSE;
    }
  return TRUE;
}

static void
find_latest_exchange (ScopeStream *self)
{
  g_autofree guint8 *seen = NULL;
  guint64 first, end = self->n_indexed;
  gint64 after_us;
  guint lanes = 0;

  if (self->n_indexed == self->first_index)
    return;
  first = after_quiet_gap (self, end);
  /* What only ends what was is no exchange of its own: the client's
   * Disconnect after S14 over UDP took the view from the datagrams, the
   * lesson, to its close alone (the fourteenth trial), and after S14 over
   * TCP and S16 to the close and the zero-byte read (the fifteenth). The
   * one before it stays in view, and the ends with it where they came
   * soon after it, see below. */
  while (first > self->first_index && self->n_indexed - first < SCOPE_STREAM_EXCHANGE_MAX
         && all_silent (self, first, end))
    {
      end = first;
      first = after_quiet_gap (self, end);
    }
  if (all_silent (self, first, end))
    {
      end = self->n_indexed;
      first = after_quiet_gap (self, end);
    }

  /* S14: a receive holds what two sends a second apart gave, and the
   * lesson is in seeing both: the exchange takes in the sends its
   * receives read from, however quiet the time between. And what made
   * those happen, a few steps back: S16's client read the reply and the
   * end of it a few ms after the server wrote them (the main loop was
   * busy), and the request the reply answered belongs with them. A step
   * that reaches past SCOPE_STREAM_EXCHANGE_MAX events is the last. */
  for (guint step = 0; step < SCOPE_STREAM_CAUSE_STEPS; step++)
    {
      guint64 earlier = earliest_cause (self, first, end);

      if (earlier == first)
        break;
      first = earlier;
      if (self->n_indexed - first > SCOPE_STREAM_EXCHANGE_MAX)
        break;
    }
  after_us = scope_recorder_get_time_us (self->recorder, first);
  /* The ends of its sockets that came within a few times its span after
   * it are in it: with the ends left out, the lecturer saw no close after
   * S14 and took the timeline for stalled (the fifteenth trial); with any
   * in, a lesson of a few ms was squeezed to a corner of the view. */
  if (end < self->n_indexed)
    {
      gint64 last_us = scope_recorder_get_time_us (self->recorder, end - 1);
      gint64 reach = MAX (SCOPE_STREAM_TAIL_SPANS * (last_us - after_us),
                          SCOPE_STREAM_TAIL_MIN_US);
      g_autofree guint8 *in = g_new0 (guint8, self->lanes->len + 1);

      /* Its sockets' ends, and their peers': another server stopped a
       * moment later is not the lesson's (the review) */
      for (guint64 i = first; i < end; i++)
        {
          ScopeRecord record;

          if (scope_recorder_get_record (self->recorder, i, &record)
              && record.socket_id <= self->lanes->len)
            in[record.socket_id] = 1;
        }
      while (end < self->n_indexed)
        {
          ScopeRecord record;
          guint peer;

          if (!scope_recorder_get_record (self->recorder, end, &record)
              || record.time_us - last_us > reach || record.socket_id > self->lanes->len)
            break;
          peer = scope_stream_get_peer_socket (self, record.socket_id);
          if (!in[record.socket_id] && !(peer != 0 && peer <= self->lanes->len && in[peer]))
            break;
          end++;
        }
    }
  self->exchange_first = first;
  self->exchange_end = end;

  /* It starts where its first bytes arrived, if they waited: S14's
   * receive read 300 ms after its bytes came is one exchange with them. */
  self->exchange_start_us = after_us;
  self->exchange_origin = first;
  self->exchange_arrival = FALSE;
  seen = g_new0 (guint8, self->lanes->len + 1);
  for (guint64 i = first; i < end; i++)
    {
      ScopeRecord record;

      if (!scope_recorder_get_record (self->recorder, i, &record))
        continue;
      if (record.socket_id <= self->lanes->len && !seen[record.socket_id])
        {
          seen[record.socket_id] = 1;
          lanes++;
        }
      /* Not from a rough time (a FIN's, told in the kernel's ticks, up to
       * 10 ms early): S15's view stretched to 40 ms for a 400 µs end. */
      if (scope_event_kind_is_receive (record.kind) && record.arrived_us >= 0
          && !record.arrival_rough
          && scope_record_first_arrival (&record) < self->exchange_start_us)
        {
          self->exchange_start_us = scope_record_first_arrival (&record);
          self->exchange_origin = i;
          self->exchange_arrival = TRUE;
        }
    }
  self->exchange_lanes = lanes;
}

/**
 * scope_stream_update:
 *
 * Takes in the sockets and the events the recorder has flushed since last
 * time, and says so with ::updated when there were any. The recorder's
 * items-changed calls it.
 */
/* A New Session cut the recorder's events, or its undo put them back:
 * the model is made again from the first event the recorder now holds.
 * Sockets closed before the cut have no lane in the new session; those
 * still open, a listening server, keep theirs. */
static void
rebuild (ScopeStream *self,
         guint64      first)
{
  gint64 cut_us = G_MININT64;

  if (first > 0)
    cut_us = scope_recorder_get_time_us (self->recorder, first) >= 0
             ? scope_recorder_get_time_us (self->recorder, first)
             : scope_recorder_get_now_us (self->recorder);
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < self->lanes->len; i++)
    {
      Lane *lane = g_ptr_array_index (self->lanes, i);
      const ScopeSocketInfo *info = scope_recorder_get_socket (self->recorder, lane->socket_id);

      g_array_set_size (lane->events, 0);
      g_array_set_size (lane->sends, 0);
      g_array_set_size (lane->recvs, 0);
      lane->sent_end = lane->received_end = 0;
      lane->hidden = info->closed_us >= 0 && info->closed_us < cut_us;
      lane->row = G_MAXUINT;
      if (!lane->hidden)
        g_ptr_array_add (self->rows, lane);
    }
  sort_rows (self);
  g_ptr_array_set_size (self->flows, 0);
  g_hash_table_remove_all (self->flows_by_ports);
  self->first_index = self->n_indexed = self->exchange_first = self->exchange_origin = first;
  self->exchange_end = first;
}

void
scope_stream_update (ScopeStream *self)
{
  gboolean changed;
  guint64 first, n;

  g_return_if_fail (SCOPE_IS_STREAM (self));

  first = scope_recorder_get_first_index (self->recorder);
  changed = first != self->first_index;
  if (changed)
    rebuild (self, first);
  changed |= add_lanes (self);
  n = first + g_list_model_get_n_items (G_LIST_MODEL (self->recorder));
  for (guint64 i = self->n_indexed; i < n; i++)
    {
      ScopeRecord record;

      if (scope_recorder_get_record (self->recorder, i, &record))
        index_record (self, &record);
    }
  changed |= n != self->n_indexed;
  self->n_indexed = n;
  if (changed)
    find_latest_exchange (self);
  if (changed)
    g_signal_emit (self, signals[UPDATED], 0);
}

static void
scope_stream_finalize (GObject *object)
{
  ScopeStream *self = SCOPE_STREAM (object);

  g_clear_object (&self->recorder);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->lanes);
  g_hash_table_unref (self->flows_by_ports);
  g_ptr_array_unref (self->flows);
  g_hash_table_unref (self->peers);

  G_OBJECT_CLASS (scope_stream_parent_class)->finalize (object);
}

static void
scope_stream_class_init (ScopeStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scope_stream_finalize;

  /**
   * ScopeStream::updated:
   *
   * New sockets or events are in the model: at most once per flush of the
   * recorder.
   */
  signals[UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
scope_stream_init (ScopeStream *self)
{
  self->lanes = g_ptr_array_new_with_free_func (lane_free);
  self->rows = g_ptr_array_new ();
  self->flows = g_ptr_array_new_with_free_func (flow_free);
  self->flows_by_ports = g_hash_table_new_full (NULL, NULL, NULL,
                                                (GDestroyNotify) g_ptr_array_unref);
  self->peers = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

/**
 * scope_stream_new:
 * @recorder: one that keeps all its events
 *
 * Returns: (transfer full): the model of @recorder's session, with what it
 * has flushed so far; it follows the recorder from then on
 */
ScopeStream *
scope_stream_new (ScopeRecorder *recorder)
{
  ScopeStream *self;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);
  g_return_val_if_fail (scope_recorder_get_retention (recorder) == SCOPE_RECORDER_KEEP_ALL,
                        NULL);

  self = g_object_new (SCOPE_TYPE_STREAM, NULL);
  self->recorder = g_object_ref (recorder);
  g_signal_connect_object (recorder, "items-changed", G_CALLBACK (scope_stream_update), self,
                           G_CONNECT_SWAPPED);
  scope_stream_update (self);
  return self;
}

ScopeRecorder *
scope_stream_get_recorder (ScopeStream *self)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), NULL);

  return self->recorder;
}

/**
 * scope_stream_get_n_events:
 *
 * Returns: the index after the last event the model holds: it holds
 * those flushed from scope_stream_get_first_index() on
 */
guint64
scope_stream_get_n_events (ScopeStream *self)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);

  return self->n_indexed;
}

/**
 * scope_stream_get_end_us:
 *
 * Returns: the time of the last event or socket, in µs since the session
 * started
 */
gint64
scope_stream_get_end_us (ScopeStream *self)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);

  return self->end_us;
}

/**
 * scope_stream_get_latest_exchange:
 * @first_us: (out) (optional): the time of its first event, or of the
 *   arrival of bytes one of its receives read, when that was before
 * @last_us: (out) (optional): and of its last
 * @n: (out) (optional): how many events it holds
 *
 * The latest exchange: the events after the last quiet gap (a quarter of
 * a second, or twenty times the span of what followed it), on every lane,
 * and back to the first send whose bytes its receives took, if that came
 * before. What a lecturer just did, and what the timeline shows by default.
 * Events after it that only end what was (a close, a zero-byte read) are
 * no exchange of their own: it ends before them, or with those of its
 * sockets that came soon after it.
 *
 * Returns: whether there are any events
 */
gboolean
scope_stream_get_latest_exchange (ScopeStream *self,
                                  gint64      *first_us,
                                  gint64      *last_us,
                                  guint       *n)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), FALSE);

  if (self->n_indexed == self->first_index)
    return FALSE;
  if (first_us != NULL)
    *first_us = self->exchange_start_us;
  if (last_us != NULL)
    *last_us = scope_recorder_get_time_us (self->recorder, self->exchange_end - 1);
  if (n != NULL)
    *n = (guint) (self->exchange_end - self->exchange_first);
  return TRUE;
}

/**
 * scope_stream_get_latest_exchange_last:
 *
 * Returns: the index of the latest exchange's last event
 */
guint64
scope_stream_get_latest_exchange_last (ScopeStream *self)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);

  return self->exchange_end > self->first_index ? self->exchange_end - 1 : self->first_index;
}

/**
 * scope_stream_get_latest_exchange_first:
 * @arrival: (out) (optional): whether the exchange starts with the
 *   arrival of that event's bytes, not with the event
 *
 * Returns: the index of the event the latest exchange starts with
 */
guint64
scope_stream_get_latest_exchange_first (ScopeStream *self,
                                        gboolean    *arrival)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);

  if (arrival != NULL)
    *arrival = self->exchange_arrival;
  return self->exchange_origin;
}

/**
 * scope_stream_get_first_index:
 *
 * Returns: the index of the first event the model holds: 0, or where the
 * last New Session cut
 */
guint64
scope_stream_get_first_index (ScopeStream *self)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);

  return self->first_index;
}

/**
 * scope_stream_get_latest_exchange_n_lanes:
 *
 * Returns: on how many lanes the latest exchange's events are
 */
guint
scope_stream_get_latest_exchange_n_lanes (ScopeStream *self)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);

  return self->n_indexed > self->first_index ? self->exchange_lanes : 0;
}

/**
 * scope_stream_get_index_size:
 *
 * Returns: the bytes the model's index holds, less its arrays' spare room:
 * what it costs beside the recorder
 */
gsize
scope_stream_get_index_size (ScopeStream *self)
{
  gsize size = 0;

  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);

  for (guint i = 0; i < self->lanes->len; i++)
    {
      Lane *lane = g_ptr_array_index (self->lanes, i);

      size += sizeof *lane + sizeof (guint32) * (lane->events->len + lane->sends->len
                                                 + lane->recvs->len);
    }
  for (guint i = 0; i < self->flows->len; i++)
    {
      Flow *flow = g_ptr_array_index (self->flows, i);

      size += sizeof *flow + sizeof (guint32) * (flow->sends->len + flow->recvs->len);
    }
  return size + sizeof (ScopeEndpoint) * g_hash_table_size (self->peers);
}

guint
scope_stream_get_n_lanes (ScopeStream *self)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);

  return self->rows->len;
}

guint
scope_stream_get_lane_socket (ScopeStream *self,
                              guint        lane)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);
  g_return_val_if_fail (lane < self->rows->len, 0);

  return lane_at (self, lane)->socket_id;
}

/**
 * scope_stream_get_socket_lane:
 * @lane: (out) (optional): the socket's lane
 *
 * Returns: whether the model has a lane for @socket_id
 */
gboolean
scope_stream_get_socket_lane (ScopeStream *self,
                              guint        socket_id,
                              guint       *lane)
{
  Lane *found;

  g_return_val_if_fail (SCOPE_IS_STREAM (self), FALSE);

  found = lane_of_socket (self, socket_id);
  if (found == NULL || found->hidden)
    return FALSE;
  if (lane != NULL)
    *lane = found->row;
  return TRUE;
}

guint
scope_stream_get_lane_n_events (ScopeStream *self,
                                guint        lane)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);
  g_return_val_if_fail (lane < self->rows->len, 0);

  return lane_at (self, lane)->events->len;
}

guint
scope_stream_get_lane_n_sends (ScopeStream *self,
                               guint        lane)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);
  g_return_val_if_fail (lane < self->rows->len, 0);

  return lane_at (self, lane)->sends->len;
}

/**
 * scope_stream_get_lane_event:
 * @position: of an event in its lane, from 0
 *
 * Returns: that event's index in the recorder
 */
guint64
scope_stream_get_lane_event (ScopeStream *self,
                             guint        lane,
                             guint        position)
{
  Lane *found;

  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);
  g_return_val_if_fail (lane < self->rows->len, 0);

  found = lane_at (self, lane);
  g_return_val_if_fail (position < found->events->len, 0);
  return g_array_index (found->events, guint32, position);
}

/**
 * scope_stream_find_lane_time:
 *
 * Returns: the position in its lane of the first event at or after
 * @time_us; the lane's count of events when there is none
 */
guint
scope_stream_find_lane_time (ScopeStream *self,
                             guint        lane,
                             double       time_us)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);
  g_return_val_if_fail (lane < self->rows->len, 0);

  return lower_bound (self, lane_at (self, lane)->events, is_before_time, &time_us);
}

/**
 * scope_stream_find_lane_event:
 * @position: (out): where the event is in its lane
 *
 * Returns: whether event @index is in the lane
 */
gboolean
scope_stream_find_lane_event (ScopeStream *self,
                              guint        lane,
                              guint64      index,
                              guint       *position)
{
  g_return_val_if_fail (SCOPE_IS_STREAM (self), FALSE);
  g_return_val_if_fail (lane < self->rows->len, FALSE);
  g_return_val_if_fail (position != NULL, FALSE);

  return indices_find (self, lane_at (self, lane)->events, index, position);
}

/* The stream position of a lane's direction before event @index: the
 * offset of its first send (or receive) from there on, which the recorder
 * counts without a gap. */
static guint64
position_before (ScopeStream *self,
                 GArray      *list,
                 guint64      end,
                 guint64      index)
{
  guint at = lower_bound (self, list, is_before_index, &index);
  ScopeRecord record;

  if (at >= list->len)
    return end;
  scope_recorder_get_record (self->recorder, g_array_index (list, guint32, at), &record);
  return record.stream_offset;
}

/**
 * scope_stream_get_lane_position:
 * @position: a position in the lane, or its count of events
 * @sent: (out) (optional): where the lane's outgoing stream stood before
 *   that event: the bytes it had sent
 * @received: (out) (optional): and its incoming stream: the bytes received
 *
 * From the stream offsets, by binary search: the bytes of any run of a
 * lane's events, however many, cost two of these.
 */
void
scope_stream_get_lane_position (ScopeStream *self,
                                guint        lane,
                                guint        position,
                                guint64     *sent,
                                guint64     *received)
{
  Lane *found;
  guint64 index;

  g_return_if_fail (SCOPE_IS_STREAM (self));
  g_return_if_fail (lane < self->rows->len);

  found = lane_at (self, lane);
  g_return_if_fail (position <= found->events->len);
  index = position < found->events->len ? g_array_index (found->events, guint32, position)
                                        : G_MAXUINT64;
  if (sent != NULL)
    *sent = position_before (self, found->sends, found->sent_end, index);
  if (received != NULL)
    *received = position_before (self, found->recvs, found->received_end, index);
}

/**
 * scope_stream_get_peer_socket:
 *
 * Returns: the socket at the other end of @socket_id's TCP connection, as
 * the one rule of scope-stream-ends.c paired them, when the model has its
 * lane; or 0
 */
guint
scope_stream_get_peer_socket (ScopeStream *self,
                              guint        socket_id)
{
  guint peer;

  g_return_val_if_fail (SCOPE_IS_STREAM (self), 0);

  peer = scope_stream_ends_get_peer (scope_recorder_get_stream_ends (self->recorder), socket_id);
  return lane_of_socket (self, peer) != NULL ? peer : 0;
}

static void
link_add (GArray            *links,
          const ScopeRecord *send,
          const ScopeRecord *recv)
{
  gboolean datagram = send->kind == SCOPE_EVENT_SENDTO;
  guint64 first = MAX (send->stream_offset, recv->stream_offset);
  guint64 end = MIN (send->stream_offset + send->size, recv->stream_offset + recv->size);
  ScopeStreamLink link;

  if (datagram)
    {
      /* A datagram is its own stream: it goes whole, or cut short. */
      first = 0;
      end = MIN (send->size, recv->size);
    }
  else if (end <= first)
    return;

  link.send_index = send->index;
  link.recv_index = recv->index;
  link.stream_offset = first;
  link.size = end - first;
  link.send_start = datagram ? 0 : first - send->stream_offset;
  link.recv_start = datagram ? 0 : first - recv->stream_offset;
  g_array_append_val (links, link);
}

/* A send's bytes went to the receives of the other end whose bytes lie at
 * the same place in the stream; a receive's came from such sends. */
static void
collect_stream_links (ScopeStream       *self,
                      const ScopeRecord *record,
                      GArray            *links)
{
  Lane *peer = lane_of_socket (self, scope_stream_get_peer_socket (self, record->socket_id));
  guint64 end = record->stream_offset + record->size;
  GArray *list;
  ScopeRecord other;

  if (peer == NULL || record->size == 0)
    return;
  list = record->kind == SCOPE_EVENT_SEND ? peer->recvs : peer->sends;
  for (guint i = lower_bound (self, list, is_before_offset, &record->stream_offset);
       i < list->len; i++)
    {
      scope_recorder_get_record (self->recorder, g_array_index (list, guint32, i), &other);
      if (other.stream_offset >= end)
        break;
      if (record->kind == SCOPE_EVENT_SEND)
        link_add (links, record, &other);
      else
        link_add (links, &other, record);
    }
}

static void
collect_datagram_link (ScopeStream       *self,
                       const ScopeRecord *record,
                       GArray            *links)
{
  Flow *flow = flow_of_datagram (self, lane_of_socket (self, record->socket_id), record, FALSE);
  gboolean sending = record->kind == SCOPE_EVENT_SENDTO;
  GArray *mine, *theirs;
  ScopeRecord other;
  guint k;

  if (flow == NULL)
    return;
  mine = sending ? flow->sends : flow->recvs;
  theirs = sending ? flow->recvs : flow->sends;
  if (!indices_find (self, mine, record->index, &k) || k >= theirs->len)
    return;
  scope_recorder_get_record (self->recorder, g_array_index (theirs, guint32, k), &other);
  if (sending)
    link_add (links, record, &other);
  else
    link_add (links, &other, record);
}

/**
 * scope_stream_collect_links:
 * @index: an event the model holds
 * @links: (element-type ScopeStreamLink): where to append them
 *
 * For a send, the receives that took its bytes; for a receive, the sends
 * that gave them; in stream order. Other events have none.
 */
void
scope_stream_collect_links (ScopeStream *self,
                            guint64      index,
                            GArray      *links)
{
  ScopeRecord record;

  g_return_if_fail (SCOPE_IS_STREAM (self));
  g_return_if_fail (links != NULL);

  if (index >= self->n_indexed || !scope_recorder_get_record (self->recorder, index, &record))
    return;
  switch (record.kind)
    {
    case SCOPE_EVENT_SEND:
    case SCOPE_EVENT_RECV:
      collect_stream_links (self, &record, links);
      break;
    case SCOPE_EVENT_SENDTO:
    case SCOPE_EVENT_RECVFROM:
      collect_datagram_link (self, &record, links);
      break;
    case SCOPE_EVENT_LISTEN:
    case SCOPE_EVENT_ACCEPT:
    case SCOPE_EVENT_CONNECT:
    case SCOPE_EVENT_READABLE:
    case SCOPE_EVENT_SHUTDOWN:
    case SCOPE_EVENT_CLOSE:
    case SCOPE_EVENT_ERROR:
    case SCOPE_EVENT_REFUSED:
    case SCOPE_EVENT_QUEUE:
    case SCOPE_EVENT_UNREAD:
    case SCOPE_EVENT_BIND:
    case SCOPE_EVENT_N_KINDS:
    default:
      break;
    }
}
