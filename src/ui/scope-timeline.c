/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>
#include <cairo.h>
#ifdef CAIRO_HAS_SVG_SURFACE
# include <cairo-svg.h>
#endif

#include "scope-export.h"
#include "scope-payload.h"
#include "scope-timeline.h"

/* The timeline: one lane per socket, time running left to right, every
 * send and receive a bar whose height grows with its bytes (sends up from
 * the lane's middle, receives down), and bands from the bytes a send put in
 * the stream to the receives that took them out.
 *
 * The snapshot costs what the screen holds, not what the recorder holds:
 * each lane keeps its events' indices in time order with running byte
 * sums, so the events on screen are found by binary search, and where more
 * of them fall on screen than there are places for bars, each few pixels
 * draw one bar for all the events they hold, from two lookups. */

#define PREVIEW_BYTES    24
#define MAX_LINKS_DRAWN  4000
#define MIN_SCALE        0.01          /* µs per pixel */
#define MAX_SCALE        1e10
#define NOT_SELECTED     (-1)

typedef struct
{
  guint   socket_id;
  guint   row;
  guint   port;       /* the local port, for UDP flows; 0 when none */
  GArray *events;     /* guint32: this socket's events, in time order */
  GArray *sent;       /* guint64: bytes sent by events[0 .. i), one longer */
  GArray *received;   /* guint64: bytes received by events[0 .. i) */
  GArray *sends;      /* guint32: the send and sendto events */
  GArray *recvs;      /* guint32: the recv and recvfrom events */
} Lane;

/* The datagrams from one port to another: the k-th sent is taken to be the
 * k-th received, as on loopback, which neither loses nor reorders. */
typedef struct
{
  GArray *sends;
  GArray *recvs;
} Flow;

typedef struct
{
  double axis_height;
  double lane_height;
  double label_height;
  double half_height;   /* the tallest bar, from the middle of a lane */
  double min_bar;
  double mark_width;
  double pad;
  double right_pad;     /* room for the newest event's byte count */
  double tick_spacing;
  double line_width;
} Metrics;

typedef struct
{
  GdkRGBA fg;
  GdkRGBA bg;
  GdkRGBA send;
  GdkRGBA recv;
  GdkRGBA error;
  GdkRGBA accent;
  GdkRGBA lane;
  GdkRGBA grid;
  double  link_alpha;
} Palette;

struct _ScopeTimeline
{
  GtkWidget parent_instance;

  ScopeRecorder *recorder;
  guint64        n_indexed;
  guint          measured_rows;   /* the lanes the last measure counted */
  GPtrArray     *lanes;        /* Lane*, by socket id - 1 */
  GPtrArray     *rows;         /* Lane*, in screen order; borrowed */
  GHashTable    *flows;        /* port << 16 | port → Flow* */
  gint64         end_us;       /* the last event's time */

  double         start_us;     /* the time at the left padding */
  double         scale;        /* µs per pixel */
  gint64         selected;
  guint          follow : 1;
  guint          auto_fit : 1;
  guint          projector : 1;
  guint          updating_adjustments : 1;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;

  double         drag_hvalue;
  double         drag_vvalue;
  double         pointer_x;
  double         zoom_scale;   /* at the start of a pinch */
};

G_DEFINE_FINAL_TYPE_WITH_CODE (ScopeTimeline, scope_timeline, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum {
  PROP_0,
  PROP_SELECTED,
  PROP_FOLLOW,
  PROP_PROJECTOR,
  PROP_SCALE,
  N_PROPS,
  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

/* Lanes and flows */

static Lane *
lane_new (guint socket_id)
{
  Lane *lane = g_new0 (Lane, 1);
  guint64 zero = 0;

  lane->socket_id = socket_id;
  lane->events = g_array_new (FALSE, FALSE, sizeof (guint32));
  lane->sent = g_array_new (FALSE, FALSE, sizeof (guint64));
  lane->received = g_array_new (FALSE, FALSE, sizeof (guint64));
  lane->sends = g_array_new (FALSE, FALSE, sizeof (guint32));
  lane->recvs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (lane->sent, zero);
  g_array_append_val (lane->received, zero);
  return lane;
}

static void
lane_free (gpointer data)
{
  Lane *lane = data;

  g_array_unref (lane->events);
  g_array_unref (lane->sent);
  g_array_unref (lane->received);
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

static guint
address_port (const char *address)
{
  const char *colon = address ? strrchr (address, ':') : NULL;
  guint64 port = 0;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL))
    return 0;
  return (guint) port;
}

static Flow *
flow_get (ScopeTimeline *self,
          guint          from_port,
          guint          to_port,
          gboolean       create)
{
  guint key = from_port << 16 | to_port;
  Flow *flow;

  if (from_port == 0 || to_port == 0)
    return NULL;
  flow = g_hash_table_lookup (self->flows, GUINT_TO_POINTER (key));
  if (flow == NULL && create)
    {
      flow = g_new0 (Flow, 1);
      flow->sends = g_array_new (FALSE, FALSE, sizeof (guint32));
      flow->recvs = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_hash_table_insert (self->flows, GUINT_TO_POINTER (key), flow);
    }
  return flow;
}

static const ScopeSocketInfo *
lane_info (ScopeTimeline *self,
           const Lane    *lane)
{
  return scope_recorder_get_socket (self->recorder, lane->socket_id);
}

static Lane *
lane_of_socket (ScopeTimeline *self,
                guint          socket_id)
{
  if (socket_id == 0 || socket_id > self->lanes->len)
    return NULL;
  return g_ptr_array_index (self->lanes, socket_id - 1);
}

/* A listener's connections sit under it, in the order they came. */
static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  ScopeTimeline *self = user_data;
  const ScopeSocketInfo *x = lane_info (self, *(Lane **) a);
  const ScopeSocketInfo *y = lane_info (self, *(Lane **) b);
  guint gx = x->parent_id ? x->parent_id : x->id;
  guint gy = y->parent_id ? y->parent_id : y->id;

  if (gx != gy)
    return gx < gy ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static void
add_lanes (ScopeTimeline *self)
{
  guint n = scope_recorder_get_n_sockets (self->recorder);

  if (self->lanes->len >= n)
    return;
  for (guint id = self->lanes->len + 1; id <= n; id++)
    {
      Lane *lane = lane_new (id);
      const ScopeSocketInfo *info = scope_recorder_get_socket (self->recorder, id);

      lane->port = address_port (info->local_address);
      g_ptr_array_add (self->lanes, lane);
      g_ptr_array_add (self->rows, lane);
      self->end_us = MAX (self->end_us, info->opened_us);
    }
  g_ptr_array_sort_with_data (self->rows, compare_rows, self);
  for (guint row = 0; row < self->rows->len; row++)
    ((Lane *) g_ptr_array_index (self->rows, row))->row = row;
}

static void
index_record (ScopeTimeline     *self,
              const ScopeRecord *record)
{
  Lane *lane = lane_of_socket (self, record->socket_id);
  guint32 index = (guint32) record->index;
  guint64 sent = g_array_index (lane->sent, guint64, lane->sent->len - 1);
  guint64 received = g_array_index (lane->received, guint64, lane->received->len - 1);
  gboolean datagram = record->kind == SCOPE_EVENT_SENDTO || record->kind == SCOPE_EVENT_RECVFROM;

  g_array_append_val (lane->events, index);
  switch (record->kind)
    {
    case SCOPE_EVENT_SEND:
    case SCOPE_EVENT_SENDTO:
      sent += record->size;
      g_array_append_val (lane->sends, index);
      break;
    case SCOPE_EVENT_RECV:
    case SCOPE_EVENT_RECVFROM:
      received += record->size;
      g_array_append_val (lane->recvs, index);
      break;
    default:
      break;
    }
  g_array_append_val (lane->sent, sent);
  g_array_append_val (lane->received, received);

  if (datagram)
    {
      guint other = address_port (scope_recorder_get_record_peer (self->recorder, record->index));
      gboolean sending = record->kind == SCOPE_EVENT_SENDTO;
      Flow *flow = sending ? flow_get (self, lane->port, other, TRUE)
                           : flow_get (self, other, lane->port, TRUE);

      if (flow != NULL)
        g_array_append_val (sending ? flow->sends : flow->recvs, index);
    }
  self->end_us = MAX (self->end_us, record->time_us);
}

static Metrics
get_metrics (ScopeTimeline *self)
{
  if (self->projector)
    return (Metrics) { 44, 120, 38, 36, 8, 14, 20, 64, 200, 3 };
  return (Metrics) { 28, 72, 22, 22, 5, 8, 12, 40, 110, 1.5 };
}

static double
content_width (ScopeTimeline *self,
               double         width)
{
  Metrics m = get_metrics (self);

  return MAX (width - m.pad - m.right_pad, 1);
}

static void configure_adjustments (ScopeTimeline *self);

/* Following: the newest event stays in sight, everything fitted until the
 * user zooms, the same zoom then. */
static void
apply_follow (ScopeTimeline *self)
{
  double width = content_width (self, gtk_widget_get_width (GTK_WIDGET (self)));

  if (!self->follow)
    return;
  if (self->auto_fit)
    {
      self->scale = CLAMP (self->end_us / width, 0.5, MAX_SCALE);
      self->start_us = 0;
    }
  else
    self->start_us = MAX (0, self->end_us - width * self->scale);
}

/**
 * scope_timeline_update:
 *
 * Takes in the events the recorder has flushed since last time. The
 * recorder's items-changed calls it; so may a test.
 */
void
scope_timeline_update (ScopeTimeline *self)
{
  guint n;
  ScopeRecord record;

  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  if (self->recorder == NULL)
    return;
  add_lanes (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->recorder));
  if (n == self->n_indexed && self->lanes->len == 0)
    return;
  for (guint64 i = self->n_indexed; i < n; i++)
    if (scope_recorder_get_record (self->recorder, i, &record))
      index_record (self, &record);
  self->n_indexed = n;

  apply_follow (self);
  configure_adjustments (self);
  /* The height asked for follows the lanes alone: new events on the lanes
   * there are only need drawing, not a new layout of the whole page,
   * which under load would be most of each frame. */
  if (self->rows->len != self->measured_rows)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_items_changed (ScopeTimeline *self)
{
  scope_timeline_update (self);
}

static void update_accessible (ScopeTimeline *self);

/* Recording stopped at a limit: the mark is part of the session, and the
 * view reaches it. */
static void
on_recorder_state (ScopeTimeline *self)
{
  gint64 stopped = scope_recorder_get_stopped_us (self->recorder);

  if (stopped < 0)
    return;
  self->end_us = MAX (self->end_us, stopped);
  apply_follow (self);
  configure_adjustments (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Searches */

static gint64
event_time (ScopeTimeline *self,
            guint32        index)
{
  return scope_recorder_get_time_us (self->recorder, index);
}

/* The first of a lane's events at or after @time_us. */
static guint
lane_lower_bound (ScopeTimeline *self,
                  const Lane    *lane,
                  double         time_us)
{
  guint lo = 0, hi = lane->events->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if ((double) event_time (self, g_array_index (lane->events, guint32, mid)) < time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static guint
array_find (GArray  *array,
            guint32  index,
            gboolean *found)
{
  guint lo = 0, hi = array->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (array, guint32, mid) < index)
        lo = mid + 1;
      else
        hi = mid;
    }
  *found = lo < array->len && g_array_index (array, guint32, lo) == index;
  return lo;
}

/* The first stream event of @list whose bytes end after @offset. */
static guint
stream_lower_bound (ScopeTimeline *self,
                    GArray        *list,
                    guint64        offset)
{
  guint lo = 0, hi = list->len;
  ScopeRecord record;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      scope_recorder_get_record (self->recorder, g_array_index (list, guint32, mid), &record);
      if (record.stream_offset + record.size <= offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Geometry */

double
scope_timeline_time_to_x (ScopeTimeline *self,
                          double         time_us)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 0);

  return get_metrics (self).pad + (time_us - self->start_us) / self->scale;
}

double
scope_timeline_x_to_time (ScopeTimeline *self,
                          double         x)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 0);

  return self->start_us + (x - get_metrics (self).pad) * self->scale;
}

static double
vscroll (ScopeTimeline *self)
{
  return self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

static double
row_top (ScopeTimeline *self,
         guint          row)
{
  Metrics m = get_metrics (self);

  return m.axis_height + row * m.lane_height - vscroll (self);
}

static double
row_middle (ScopeTimeline *self,
            guint          row)
{
  Metrics m = get_metrics (self);

  return row_top (self, row) + m.label_height + m.half_height + 2;
}

static double
bar_height (const Metrics *m,
            guint64        bytes)
{
  double fraction = MIN (1.0, log2 ((double) bytes + 1) / 16.0);

  return m->min_bar + (m->half_height - m->min_bar) * fraction;
}

static gboolean
is_send (ScopeEventKind kind)
{
  return kind == SCOPE_EVENT_SEND || kind == SCOPE_EVENT_SENDTO;
}

static gboolean
is_recv (ScopeEventKind kind)
{
  return kind == SCOPE_EVENT_RECV || kind == SCOPE_EVENT_RECVFROM;
}

static void
record_bounds (ScopeTimeline     *self,
               const ScopeRecord *record,
               graphene_rect_t   *bounds)
{
  Metrics m = get_metrics (self);
  Lane *lane = lane_of_socket (self, record->socket_id);
  double x = scope_timeline_time_to_x (self, record->time_us);
  double mid = row_middle (self, lane->row);

  if (is_send (record->kind) && record->size > 0)
    {
      double h = bar_height (&m, record->size);

      graphene_rect_init (bounds, x - m.mark_width / 2, mid - h, m.mark_width, h);
    }
  else if (is_recv (record->kind) && record->size > 0)
    graphene_rect_init (bounds, x - m.mark_width / 2, mid, m.mark_width,
                        bar_height (&m, record->size));
  else
    {
      double r = m.mark_width + 1;

      graphene_rect_init (bounds, x - r, mid - r, 2 * r, 2 * r);
    }
}

gboolean
scope_timeline_get_event_bounds (ScopeTimeline   *self,
                                 guint64          index,
                                 graphene_rect_t *bounds)
{
  ScopeRecord record;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);

  if (self->recorder == NULL || index >= self->n_indexed
      || !scope_recorder_get_record (self->recorder, index, &record))
    return FALSE;
  record_bounds (self, &record, bounds);
  return TRUE;
}

static void
link_add (ScopeTimeline     *self,
          GArray            *links,
          const ScopeRecord *send,
          const ScopeRecord *recv)
{
  guint64 first = MAX (send->stream_offset, recv->stream_offset);
  guint64 end = MIN (send->stream_offset + send->size, recv->stream_offset + recv->size);
  gboolean datagram = send->kind == SCOPE_EVENT_SENDTO;
  graphene_rect_t s, r;
  ScopeTimelineLink link;
  double f0, f1, g0, g1;

  if (datagram)
    {
      /* A datagram is its own stream: it goes whole, or cut short. */
      first = 0;
      end = MIN (send->size, recv->size);
    }
  else if (end <= first)
    return;

  record_bounds (self, send, &s);
  record_bounds (self, recv, &r);
  f0 = send->size ? (double) (first - (datagram ? 0 : send->stream_offset)) / send->size : 0;
  f1 = send->size ? (double) (end - (datagram ? 0 : send->stream_offset)) / send->size : 1;
  g0 = recv->size ? (double) (first - (datagram ? 0 : recv->stream_offset)) / recv->size : 0;
  g1 = recv->size ? (double) (end - (datagram ? 0 : recv->stream_offset)) / recv->size : 1;

  link.send_index = send->index;
  link.recv_index = recv->index;
  link.stream_offset = first;
  link.size = end - first;
  link.send_top = GRAPHENE_POINT_INIT (s.origin.x + s.size.width,
                                       s.origin.y + f0 * s.size.height);
  link.send_bottom = GRAPHENE_POINT_INIT (s.origin.x + s.size.width,
                                          s.origin.y + f1 * s.size.height);
  link.recv_top = GRAPHENE_POINT_INIT (r.origin.x, r.origin.y + g0 * r.size.height);
  link.recv_bottom = GRAPHENE_POINT_INIT (r.origin.x, r.origin.y + g1 * r.size.height);
  g_array_append_val (links, link);
}

/* The links of one send or receive, appended to @links. */
static void
collect_links (ScopeTimeline     *self,
               const ScopeRecord *record,
               GArray            *links)
{
  Lane *lane = lane_of_socket (self, record->socket_id);
  const ScopeSocketInfo *info = lane_info (self, lane);
  ScopeRecord other;

  if (record->kind == SCOPE_EVENT_SEND || record->kind == SCOPE_EVENT_RECV)
    {
      Lane *peer = lane_of_socket (self, info->peer_id);
      GArray *list;
      guint64 end = record->stream_offset + record->size;

      if (peer == NULL || record->size == 0)
        return;
      list = record->kind == SCOPE_EVENT_SEND ? peer->recvs : peer->sends;
      for (guint i = stream_lower_bound (self, list, record->stream_offset); i < list->len; i++)
        {
          scope_recorder_get_record (self->recorder, g_array_index (list, guint32, i), &other);
          if (other.stream_offset >= end)
            break;
          if (record->kind == SCOPE_EVENT_SEND)
            link_add (self, links, record, &other);
          else
            link_add (self, links, &other, record);
        }
    }
  else if (record->kind == SCOPE_EVENT_SENDTO || record->kind == SCOPE_EVENT_RECVFROM)
    {
      guint port = address_port (scope_recorder_get_record_peer (self->recorder, record->index));
      gboolean sending = record->kind == SCOPE_EVENT_SENDTO;
      Flow *flow = sending ? flow_get (self, lane->port, port, FALSE)
                           : flow_get (self, port, lane->port, FALSE);
      gboolean found;
      guint k;

      if (flow == NULL)
        return;
      k = array_find (sending ? flow->sends : flow->recvs, (guint32) record->index, &found);
      if (!found || k >= (sending ? flow->recvs : flow->sends)->len)
        return;
      scope_recorder_get_record (self->recorder,
                                 g_array_index (sending ? flow->recvs : flow->sends, guint32, k),
                                 &other);
      if (other.index >= self->n_indexed)
        return;
      if (sending)
        link_add (self, links, record, &other);
      else
        link_add (self, links, &other, record);
    }
}

/**
 * scope_timeline_get_links:
 *
 * Returns: (transfer full) (element-type ScopeTimelineLink): for a send,
 * the receives that took its bytes; for a receive, the sends that gave
 * them; with the bands' ends as drawn now
 */
GArray *
scope_timeline_get_links (ScopeTimeline *self,
                          guint64        index)
{
  GArray *links = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineLink));
  ScopeRecord record;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), links);

  if (self->recorder != NULL && index < self->n_indexed
      && scope_recorder_get_record (self->recorder, index, &record))
    collect_links (self, &record, links);
  return links;
}

/* Lanes, labels and descriptions */

guint
scope_timeline_get_n_lanes (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 0);

  return self->rows->len;
}

guint
scope_timeline_get_lane_socket (ScopeTimeline *self,
                                guint          row)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 0);
  g_return_val_if_fail (row < self->rows->len, 0);

  return ((Lane *) g_ptr_array_index (self->rows, row))->socket_id;
}

static char *
socket_label (const ScopeSocketInfo *info)
{
  const char *local = info->local_address ? info->local_address : "?";
  const char *peer = info->peer_address ? info->peer_address : "?";

  switch (info->role)
    {
    case SCOPE_SOCKET_CLIENT:
      if (info->protocol == SCOPE_PROTOCOL_UDP)
        /* Translators: a UDP client socket: its own address; then where it sends */
        return g_strdup_printf (_("client %s (UDP) → %s"), local, peer);
      /* Translators: a client socket: its own address, then its server's */
      return g_strdup_printf (_("client %s → %s"), local, peer);
    case SCOPE_SOCKET_LISTENER:
      /* Translators: a server kind, then the address it listens on */
      return g_strdup_printf (_("%s listening on %s"), info->label, local);
    case SCOPE_SOCKET_CONNECTION:
      {
        guint port = address_port (info->local_address);
        g_autofree char *at = port ? g_strdup_printf (":%u", port) : g_strdup (local);

        /* Translators: an accepted connection: a server kind, its port
         * (":50000"), then the client's address */
        return g_strdup_printf (_("%s %s ← %s"), info->label, at, peer);
      }
    case SCOPE_SOCKET_DATAGRAM:
    default:
      /* Translators: a UDP server socket: a server kind, then its address */
      return g_strdup_printf (_("%s %s (UDP)"), info->label, local);
    }
}

char *
scope_timeline_dup_lane_label (ScopeTimeline *self,
                               guint          row)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);

  return socket_label (lane_info (self, g_ptr_array_index (self->rows, row)));
}

gboolean
scope_timeline_get_lane_area (ScopeTimeline   *self,
                              guint            row,
                              graphene_rect_t *area)
{
  Metrics m;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);

  if (row >= self->rows->len)
    return FALSE;
  m = get_metrics (self);
  graphene_rect_init (area, 0, row_top (self, row), gtk_widget_get_width (GTK_WIDGET (self)),
                      m.lane_height);
  return TRUE;
}

static char *
format_time (double time_us)
{
  if (fabs (time_us) >= 1e6)
    /* Translators: a time in seconds */
    return g_strdup_printf (_("%.6f s"), time_us / 1e6);
  if (fabs (time_us) >= 1e3)
    /* Translators: a time in milliseconds */
    return g_strdup_printf (_("%.3f ms"), time_us / 1e3);
  /* Translators: a time in microseconds */
  return g_strdup_printf (_("%.0f µs"), time_us);
}

static char *
preview_bytes (ScopeTimeline *self,
               guint64        index,
               gsize          limit)
{
  g_autoptr(GBytes) bytes = scope_recorder_dup_payload (self->recorder, index);
  g_autofree char *text = NULL;
  const guint8 *data;
  gsize size;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  text = scope_payload_render_text (data, MIN (size, limit));
  return g_strdup_printf ("“%s%s”", text, size > limit ? "…" : "");
}

/**
 * scope_timeline_describe_event:
 *
 * Returns: (transfer full): one event in words, for a tooltip and for a
 * screen reader: the call, its bytes, when, on which socket, what it is
 * linked to
 */
char *
scope_timeline_describe_event (ScopeTimeline *self,
                               guint64        index)
{
  g_autofree char *when = NULL;
  g_autofree char *where = NULL;
  g_autofree char *preview = NULL;
  g_autoptr(GArray) links = NULL;
  GString *text;
  ScopeRecord record;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NULL);

  if (self->recorder == NULL || !scope_recorder_get_record (self->recorder, index, &record))
    return NULL;

  when = format_time (record.time_us);
  where = socket_label (scope_recorder_get_socket (self->recorder, record.socket_id));
  text = g_string_new (NULL);
  if (is_send (record.kind) || is_recv (record.kind))
    /* Translators: a socket call, its byte count, a time, then a socket;
     * e.g. "recv of 19 bytes at 1.204 ms on client 127.0.0.1:53122 → …" */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s of %u byte at %s on %s",
                                               "%s of %u bytes at %s on %s", record.size),
                            scope_event_kind_to_string (record.kind), record.size, when, where);
  else
    /* Translators: a socket call or happening, a time, then a socket */
    g_string_append_printf (text, _("%s at %s on %s"), scope_event_kind_to_string (record.kind),
                            when, where);

  if (record.kind == SCOPE_EVENT_ERROR)
    {
      g_autofree char *message = scope_recorder_dup_error_message (self->recorder, index);

      if (message != NULL)
        g_string_append_printf (text, ": %s", message);
    }
  else if (record.truncated)
    g_string_append_printf (text, ". %s", _("Its bytes are past the payload cap: counted, not kept"));
  else if ((preview = preview_bytes (self, index, PREVIEW_BYTES)) != NULL)
    g_string_append_printf (text, ": %s", preview);

  links = scope_timeline_get_links (self, index);
  if (links->len > 0)
    {
      /* Translators: how many events a send or receive is linked to */
      g_string_append (text, ". ");
      if (is_send (record.kind))
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Received in %u call",
                                                   "Received in %u calls", links->len),
                                links->len);
      else
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Sent by %u call",
                                                   "Sent by %u calls", links->len),
                                links->len);
    }
  return g_string_free (text, FALSE);
}

static void
update_accessible (ScopeTimeline *self)
{
  g_autofree char *description = NULL;

  if (self->selected != NOT_SELECTED)
    description = scope_timeline_describe_event (self, (guint64) self->selected);
  if (description == NULL)
    {
      g_autofree char *stop = self->recorder ? scope_export_describe_stop (self->recorder) : NULL;

      /* Translators: the first %s says why recording stopped, if it did */
      description = g_strdup_printf (_("%s%sNo event selected. Arrow keys move between events; "
                                       "plus, minus and 0 zoom."),
                                     stop ? stop : "", stop ? " " : "");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Drawing */

static GdkRGBA
rgba (const char *spec)
{
  GdkRGBA color;

  gdk_rgba_parse (&color, spec);
  return color;
}

static GdkRGBA
with_alpha (GdkRGBA color,
            double  alpha)
{
  color.alpha *= alpha;
  return color;
}

/* Colours of the libadwaita palette, a shade apart for light and dark, and
 * further apart for high contrast and the projector. */
static Palette
get_palette (ScopeTimeline *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (style);
  gboolean strong = adw_style_manager_get_high_contrast (style) || self->projector;
  Palette p;

  p.fg = dark ? rgba ("#ffffff") : rgba ("#000000");
  p.fg.alpha = strong ? 1.0 : 0.8;
  p.bg = dark ? rgba ("#242424") : rgba ("#fafafa");
  if (dark)
    {
      p.send = strong ? rgba ("#99c1f1") : rgba ("#62a0ea");
      p.recv = strong ? rgba ("#ffbe6f") : rgba ("#ffa348");
      p.error = rgba ("#ff7b63");
      p.accent = rgba ("#f6d32d");
    }
  else
    {
      p.send = strong ? rgba ("#1a5fb4") : rgba ("#1c71d8");
      p.recv = strong ? rgba ("#a04500") : rgba ("#c64600");
      p.error = rgba ("#c01c28");
      p.accent = rgba ("#e5a50a");
    }
  p.lane = with_alpha (p.fg, strong ? 0.08 : 0.04);
  p.grid = with_alpha (p.fg, strong ? 0.35 : 0.15);
  p.link_alpha = strong ? 0.5 : 0.4;
  return p;
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x, y, width, height);

  gtk_snapshot_append_color (snapshot, color, &rect);
}

static PangoLayout *
create_layout (ScopeTimeline *self,
               const char    *text,
               gboolean       bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

static void
append_text (ScopeTimeline *self,
             GtkSnapshot   *snapshot,
             const char    *text,
             const GdkRGBA *color,
             double         x,
             double         y,
             gboolean       bold)
{
  PangoLayout *layout = create_layout (self, text, bold);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

/* As wide as append_text() draws it, bold or not. */
static double
text_width (ScopeTimeline *self,
            const char    *text,
            gboolean       bold)
{
  PangoLayout *layout = create_layout (self, text, bold);
  int w = 0;

  pango_layout_get_pixel_size (layout, &w, NULL);
  g_object_unref (layout);
  return w;
}

/* A round step of time that leaves room for a label between ticks. */
static double
tick_step (double us_per_px,
           double spacing)
{
  double want = us_per_px * spacing;
  double step = 1;

  while (step < want)
    {
      if (step * 2 >= want)
        return step * 2;
      if (step * 5 >= want)
        return step * 5;
      step *= 10;
    }
  return step;
}

static char *
format_tick (double time_us,
             double step)
{
  const char *unit;
  double divisor;
  int decimals;

  if (step >= 1e6)
    unit = "s", divisor = 1e6;
  else if (step >= 1e3)
    unit = "ms", divisor = 1e3;
  else
    unit = "µs", divisor = 1;
  decimals = MAX (0, (int) ceil (-log10 (step / divisor) - 1e-9));
  if (fabs (time_us) < step / 2)
    time_us = 0;   /* not "-0 ms" */
  return g_strdup_printf ("%.*f %s", decimals, time_us / divisor, unit);
}

static void
draw_axis (ScopeTimeline *self,
           GtkSnapshot   *snapshot,
           const Metrics *m,
           const Palette *p,
           double         width,
           double         height)
{
  double step = tick_step (self->scale, m->tick_spacing);
  double left = scope_timeline_x_to_time (self, 0);
  double right = scope_timeline_x_to_time (self, width);
  double first = MAX (0, ceil (left / step) * step);
  guint n = 0;

  append_rect (snapshot, &p->grid, 0, m->axis_height - 1, width, 1);
  for (double t = first; t <= right && n < 200; t += step, n++)
    {
      double x = scope_timeline_time_to_x (self, t);
      g_autofree char *label = format_tick (t, step);

      append_rect (snapshot, &p->grid, x, m->axis_height - 6, m->line_width, height);
      /* A label that would be cut at the right edge ("2" of "20 s") misleads; leave it out. */
      if (x + 4 + text_width (self, label, FALSE) <= width)
        append_text (self, snapshot, label, &p->fg, x + 4, 2, FALSE);
    }
}

typedef struct
{
  ScopeTimeline *self;
  const Metrics *m;
  const Palette *p;
  cairo_t       *cr;
  GtkSnapshot   *snapshot;
  graphene_rect_t area;
  guint          n_links;
} Painter;

static cairo_t *
painter_cairo (Painter *painter)
{
  if (painter->cr == NULL)
    painter->cr = gtk_snapshot_append_cairo (painter->snapshot, &painter->area);
  return painter->cr;
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color,
            double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* Listen, accept, connect, shutdown, close, error, refused, readable and
 * the zero-byte receive each have a shape of their own. */
static void
draw_glyph (Painter           *painter,
            const ScopeRecord *record,
            double             x,
            double             mid)
{
  cairo_t *cr = painter_cairo (painter);
  const Palette *p = painter->p;
  double r = painter->m->mark_width + 1;

  cairo_save (cr);
  cairo_set_line_width (cr, painter->m->line_width);
  switch (record->kind)
    {
    case SCOPE_EVENT_LISTEN:
      set_source (cr, &p->fg, 1);
      cairo_rectangle (cr, x - r, mid - r, 2 * r, 2 * r);
      cairo_stroke (cr);
      break;
    case SCOPE_EVENT_ACCEPT:
    case SCOPE_EVENT_CONNECT:
      set_source (cr, &p->fg, 1);
      cairo_move_to (cr, x, mid - r);
      cairo_line_to (cr, x + r, mid);
      cairo_line_to (cr, x, mid + r);
      cairo_line_to (cr, x - r, mid);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;
    case SCOPE_EVENT_READABLE:
      set_source (cr, &p->fg, 0.6);
      cairo_arc (cr, x, mid, r / 2.5, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case SCOPE_EVENT_SHUTDOWN:
      set_source (cr, &p->fg, 1);
      cairo_move_to (cr, x, mid - 2 * r);
      cairo_line_to (cr, x, mid);
      cairo_line_to (cr, x - r, mid);
      cairo_stroke (cr);
      break;
    case SCOPE_EVENT_CLOSE:
      set_source (cr, &p->fg, 1);
      cairo_set_line_width (cr, 2 * painter->m->line_width);
      cairo_move_to (cr, x, mid - 2 * r);
      cairo_line_to (cr, x, mid + 2 * r);
      cairo_stroke (cr);
      break;
    case SCOPE_EVENT_ERROR:
      set_source (cr, &p->error, 1);
      cairo_move_to (cr, x, mid - r - 2);
      cairo_line_to (cr, x + r + 2, mid + r);
      cairo_line_to (cr, x - r - 2, mid + r);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;
    case SCOPE_EVENT_REFUSED:
      set_source (cr, &p->error, 1);
      cairo_set_line_width (cr, 2 * painter->m->line_width);
      cairo_move_to (cr, x - r, mid - r);
      cairo_line_to (cr, x + r, mid + r);
      cairo_move_to (cr, x + r, mid - r);
      cairo_line_to (cr, x - r, mid + r);
      cairo_stroke (cr);
      break;
    case SCOPE_EVENT_SEND:
    case SCOPE_EVENT_SENDTO:
    case SCOPE_EVENT_RECV:
    case SCOPE_EVENT_RECVFROM:
    case SCOPE_EVENT_N_KINDS:
    default:
      /* No bytes: a ring, for the receive that says the peer is done. */
      set_source (cr, is_send (record->kind) ? &p->send : &p->recv, 1);
      cairo_arc (cr, x, mid + (is_recv (record->kind) ? r : -r), r - 1, 0, 2 * G_PI);
      cairo_stroke (cr);
      break;
    }
  cairo_restore (cr);
}

static void
draw_link (Painter                 *painter,
           const ScopeTimelineLink *link,
           double                   alpha)
{
  cairo_t *cr = painter_cairo (painter);
  double mx = (link->send_top.x + link->recv_top.x) / 2;

  set_source (cr, &painter->p->send, alpha);
  cairo_move_to (cr, link->send_top.x, link->send_top.y);
  cairo_curve_to (cr, mx, link->send_top.y, mx, link->recv_top.y,
                  link->recv_top.x, link->recv_top.y);
  cairo_line_to (cr, link->recv_bottom.x, link->recv_bottom.y);
  cairo_curve_to (cr, mx, link->recv_bottom.y, mx, link->send_bottom.y,
                  link->send_bottom.x, link->send_bottom.y);
  cairo_close_path (cr);
  cairo_fill_preserve (cr);
  /* A band of a byte or two is still a line to follow. */
  cairo_set_line_width (cr, painter->m->line_width / 2);
  cairo_stroke (cr);
}

static void
draw_bar (Painter           *painter,
          const ScopeRecord *record,
          gboolean           selected,
          gboolean           linked)
{
  graphene_rect_t b;
  const GdkRGBA *color = is_send (record->kind) ? &painter->p->send : &painter->p->recv;

  record_bounds (painter->self, record, &b);
  if (selected || linked)
    {
      GdkRGBA ring = selected ? painter->p->accent : with_alpha (painter->p->accent, 0.7);

      append_rect (painter->snapshot, &ring, b.origin.x - 3, b.origin.y - 3,
                   b.size.width + 6, b.size.height + 6);
    }
  if (record->truncated)
    {
      GdkRGBA faint = with_alpha (*color, 0.45);

      append_rect (painter->snapshot, &faint, b.origin.x, b.origin.y, b.size.width,
                   b.size.height);
    }
  else
    append_rect (painter->snapshot, color, b.origin.x, b.origin.y, b.size.width, b.size.height);
}

/* Too many events for a bar each: one bar up and one down for each few
 * pixels, as tall as the bytes those pixels sent and received. */
static void
draw_lane_dense (Painter *painter,
                 Lane    *lane,
                 guint    lo,
                 guint    hi,
                 double   width)
{
  ScopeTimeline *self = painter->self;
  const Metrics *m = painter->m;
  double step = m->mark_width;
  double mid = row_middle (self, lane->row);
  guint i = lo;

  while (i < hi)
    {
      double x = scope_timeline_time_to_x (self, event_time (self, g_array_index (lane->events,
                                                                                  guint32, i)));
      double column = floor (x / step) * step;
      guint j = MIN (hi, lane_lower_bound (self, lane,
                                           scope_timeline_x_to_time (self, column + step)));
      guint64 sent, received;

      j = MAX (j, i + 1);
      sent = g_array_index (lane->sent, guint64, j) - g_array_index (lane->sent, guint64, i);
      received = g_array_index (lane->received, guint64, j)
                 - g_array_index (lane->received, guint64, i);
      if (sent > 0)
        {
          double h = bar_height (m, sent);

          append_rect (painter->snapshot, &painter->p->send, column, mid - h, step - 1, h);
        }
      if (received > 0)
        append_rect (painter->snapshot, &painter->p->recv, column, mid, step - 1,
                     bar_height (m, received));
      if (sent == 0 && received == 0)
        append_rect (painter->snapshot, &painter->p->fg, column, mid - m->mark_width,
                     step - 1, 2 * m->mark_width);
      i = j;
      if (column > width)
        break;
    }
}

static void
draw_lane (Painter  *painter,
           Lane     *lane,
           double    width,
           GArray   *selected_links)
{
  ScopeTimeline *self = painter->self;
  const Metrics *m = painter->m;
  const ScopeSocketInfo *info = lane_info (self, lane);
  double top = row_top (self, lane->row);
  double mid = row_middle (self, lane->row);
  double x0 = MAX (-10, scope_timeline_time_to_x (self, info->opened_us));
  double x1 = MIN (width + 10, scope_timeline_time_to_x (self, info->closed_us >= 0
                                                               ? info->closed_us
                                                               : self->end_us));
  double margin = (m->mark_width + 4) * self->scale;
  guint lo = lane_lower_bound (self, lane, scope_timeline_x_to_time (self, 0) - margin);
  guint hi = lane_lower_bound (self, lane, scope_timeline_x_to_time (self, width) + margin);

  if (lane->row % 2 == 0)
    append_rect (painter->snapshot, &painter->p->lane, 0, top, width, m->lane_height);
  if (x1 > x0)
    append_rect (painter->snapshot, &painter->p->grid, x0, mid - m->line_width / 2, x1 - x0,
                 m->line_width);

  if ((hi - lo) * (m->mark_width + 2) > width)
    {
      draw_lane_dense (painter, lane, lo, hi, width);
      return;
    }

  for (guint i = lo; i < hi; i++)
    {
      ScopeRecord record;
      gboolean linked = FALSE;

      scope_recorder_get_record (self->recorder, g_array_index (lane->events, guint32, i),
                                 &record);
      for (guint k = 0; selected_links && k < selected_links->len; k++)
        {
          ScopeTimelineLink *link = &g_array_index (selected_links, ScopeTimelineLink, k);

          linked |= link->send_index == record.index || link->recv_index == record.index;
        }
      if ((is_send (record.kind) || is_recv (record.kind)) && record.size > 0)
        {
          draw_bar (painter, &record, (gint64) record.index == self->selected, linked);
          /* Room to spare: the byte count beside the bar. */
          if ((hi - lo) * 48 < width)
            {
              graphene_rect_t b;
              g_autofree char *count = g_strdup_printf ("%u", record.size);

              record_bounds (self, &record, &b);
              append_text (self, painter->snapshot, count,
                           is_send (record.kind) ? &painter->p->send : &painter->p->recv,
                           b.origin.x + b.size.width + 3,
                           is_send (record.kind) ? b.origin.y - 4 : b.origin.y + b.size.height - 14,
                           FALSE);
            }
        }
      else
        {
          if ((gint64) record.index == self->selected)
            {
              graphene_rect_t b;

              record_bounds (self, &record, &b);
              append_rect (painter->snapshot, &painter->p->accent, b.origin.x - 2,
                           b.origin.y - 2, b.size.width + 4, b.size.height + 4);
            }
          draw_glyph (painter, &record, scope_timeline_time_to_x (self, record.time_us), mid);
        }
    }
}

/* Bands for the sends on screen, and for those a screen before, whose
 * bytes may arrive on screen; at most MAX_LINKS_DRAWN of them. */
static void
draw_links (Painter *painter,
            double   width,
            double   height)
{
  ScopeTimeline *self = painter->self;
  const Metrics *m = painter->m;
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineLink));
  double from = scope_timeline_x_to_time (self, -width);
  double to = scope_timeline_x_to_time (self, width + m->mark_width);

  for (guint row = 0; row < self->rows->len; row++)
    {
      Lane *lane = g_ptr_array_index (self->rows, row);
      guint lo = lane_lower_bound (self, lane, from);
      guint hi = lane_lower_bound (self, lane, to);

      /* Dense lanes draw no bands: they would be a smear. */
      if (lane->sends->len == 0 || (hi - lo) * (m->mark_width + 2) > 2 * width)
        continue;
      for (guint i = lo; i < hi && painter->n_links < MAX_LINKS_DRAWN; i++)
        {
          ScopeRecord record;

          scope_recorder_get_record (self->recorder, g_array_index (lane->events, guint32, i),
                                     &record);
          if (!is_send (record.kind) || record.size == 0)
            continue;
          g_array_set_size (links, 0);
          collect_links (self, &record, links);
          for (guint k = 0; k < links->len; k++)
            {
              ScopeTimelineLink *link = &g_array_index (links, ScopeTimelineLink, k);
              gboolean chosen = self->selected != NOT_SELECTED
                                && ((gint64) link->send_index == self->selected
                                    || (gint64) link->recv_index == self->selected);

              if (MAX (link->recv_top.x, link->send_top.x) < 0
                  || MIN (link->recv_top.x, link->send_top.x) > width)
                continue;
              draw_link (painter, link, chosen ? 0.85 : painter->p->link_alpha);
              painter->n_links++;
            }
        }
    }
}

/* Where recording stopped at a limit: a line across every lane, and what
 * it means above them. Nothing after it is on the timeline, and the
 * timeline says so rather than looking like a quiet session. */
static void
draw_stop_mark (ScopeTimeline *self,
                GtkSnapshot   *snapshot,
                const Metrics *m,
                const Palette *p,
                double         width,
                double         height)
{
  gint64 stopped = scope_recorder_get_stopped_us (self->recorder);
  const char *label = _("Recording stopped");
  double x, label_width, label_x, label_y;

  if (stopped < 0)
    return;
  x = scope_timeline_time_to_x (self, stopped);
  if (x < -m->line_width || x > width)
    return;
  append_rect (snapshot, &p->error, x, m->axis_height, MAX (2, m->line_width * 2),
               height - m->axis_height);
  label_width = text_width (self, label, TRUE);
  label_x = x + 6 + label_width <= width ? x + 6 : MAX (0, x - 6 - label_width);
  label_y = m->axis_height + 2;
  /* Not over the name of the lane beside it at the top: then at the foot
   * of the drawing, where lanes rarely reach. */
  if (self->rows->len > 0 && row_top (self, 0) + m->lane_height > m->axis_height)
    {
      g_autofree char *lane = scope_timeline_dup_lane_label (self, 0);

      if (label_x < m->pad + text_width (self, lane, TRUE) + 6)
        label_y = height - m->pad - m->lane_height / 2;
    }
  append_text (self, snapshot, label, &p->error, label_x, label_y, TRUE);
}

static void
draw_timeline (ScopeTimeline *self,
               GtkSnapshot   *snapshot,
               double         width,
               double         height)
{
  Metrics m = get_metrics (self);
  Palette p = get_palette (self);
  Painter painter = { self, &m, &p, NULL, snapshot,
                      GRAPHENE_RECT_INIT (0, m.axis_height, width, MAX (1, height - m.axis_height)),
                      0 };
  g_autoptr(GArray) selected_links = NULL;

  if (self->recorder == NULL)
    return;

  if (self->rows->len == 0)
    {
      GdkRGBA dim = with_alpha (p.fg, 0.6);

      append_text (self, snapshot, _("No socket events yet: start a server, or connect the "
                                     "client."), &dim, m.pad, m.axis_height + m.pad, FALSE);
    }

  if (self->selected != NOT_SELECTED)
    selected_links = scope_timeline_get_links (self, (guint64) self->selected);

  gtk_snapshot_push_clip (snapshot, &painter.area);
  draw_links (&painter, width, height);
  /* Bands under the bars: the cairo layer of the links ends here, and the
   * lanes draw above it. Its context holds the node's recording surface. */
  g_clear_pointer (&painter.cr, cairo_destroy);
  for (guint row = 0; row < self->rows->len; row++)
    {
      double top = row_top (self, row);

      if (top + m.lane_height < m.axis_height || top > height)
        continue;
      draw_lane (&painter, g_ptr_array_index (self->rows, row), width, selected_links);
    }
  g_clear_pointer (&painter.cr, cairo_destroy);
  draw_stop_mark (self, snapshot, &m, &p, width, height);

  for (guint row = 0; row < self->rows->len; row++)
    {
      double top = row_top (self, row);
      g_autofree char *label = NULL;

      if (top + m.lane_height < m.axis_height || top > height)
        continue;
      label = scope_timeline_dup_lane_label (self, row);
      append_text (self, snapshot, label, &p.fg, m.pad, top + 2, TRUE);
    }
  gtk_snapshot_pop (snapshot);

  draw_axis (self, snapshot, &m, &p, width, height);
}

static void
scope_timeline_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);

  draw_timeline (self, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
}

/**
 * scope_timeline_render:
 *
 * Returns: (transfer full) (nullable): the timeline as it is on screen,
 * drawn at @width × @height on its own background: for images and
 * benchmarks
 */
GskRenderNode *
scope_timeline_render (ScopeTimeline *self,
                       int            width,
                       int            height)
{
  GtkSnapshot *snapshot;
  Palette p;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  p = get_palette (self);
  snapshot = gtk_snapshot_new ();
  append_rect (snapshot, &p.bg, 0, 0, width, height);
  draw_timeline (self, snapshot, width, height);
  /* An image taken away says what it lacks, as every export does: the
   * faint bars are events whose bytes were not kept. */
  if (self->recorder != NULL && scope_recorder_get_truncated_events (self->recorder) > 0)
    {
      g_autofree char *note = scope_export_describe_truncation (self->recorder);

      append_text (self, snapshot, note, &p.error, get_metrics (self).pad, height - 24, FALSE);
    }
  return gtk_snapshot_free_to_node (snapshot);
}

/**
 * scope_timeline_save_image:
 * @path: ends in .png or .svg
 *
 * Saves the timeline as it is on screen, for slides.
 */
gboolean
scope_timeline_save_image (ScopeTimeline  *self,
                           const char     *path,
                           GError        **error)
{
  g_autofree char *lower = NULL;
  g_autofree char *name = NULL;
  int width, height;
  GskRenderNode *node;
  gboolean ok = FALSE;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  name = g_filename_display_basename (path);
  width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 320);
  height = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 120);

  if (g_str_has_suffix (lower, ".png"))
    {
      GskRenderer *renderer = gsk_cairo_renderer_new ();
      g_autoptr(GdkTexture) texture = NULL;

      if (!gsk_renderer_realize (renderer, NULL, error))
        {
          g_object_unref (renderer);
          return FALSE;
        }
      node = scope_timeline_render (self, width, height);
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      gsk_render_node_unref (node);
      gsk_renderer_unrealize (renderer);
      g_object_unref (renderer);
      ok = gdk_texture_save_to_png (texture, path);
      if (!ok)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Could not write “%s”: is the folder there, and may it be written to?"),
                     name);
      return ok;
    }
#ifdef CAIRO_HAS_SVG_SURFACE
  if (g_str_has_suffix (lower, ".svg"))
    {
      cairo_surface_t *surface = cairo_svg_surface_create (path, width, height);
      cairo_t *cr = cairo_create (surface);
      cairo_status_t status;

      node = scope_timeline_render (self, width, height);
      gsk_render_node_draw (node, cr);
      gsk_render_node_unref (node);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
      cairo_surface_destroy (surface);
      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"),
                       name, cairo_status_to_string (status));
          return FALSE;
        }
      return TRUE;
    }
#endif
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a name for an image: end it in .png or .svg"), name);
  return FALSE;
}

/* View */

static void
on_adjustment_changed (ScopeTimeline *self)
{
  GtkAdjustment *h = self->hadjustment;

  if (self->updating_adjustments)
    return;
  /* The user scrolled: the view stays where it is put, unless it was put
   * at the very end. */
  self->start_us = gtk_adjustment_get_value (h) * self->scale;
  self->auto_fit = FALSE;
  self->follow = gtk_adjustment_get_value (h) + gtk_adjustment_get_page_size (h)
                 >= gtk_adjustment_get_upper (h) - 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_vadjustment_changed (ScopeTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
configure_adjustments (ScopeTimeline *self)
{
  Metrics m = get_metrics (self);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double span = content_width (self, width);
  double total;

  self->updating_adjustments = TRUE;
  if (self->hadjustment != NULL)
    {
      total = MAX (self->end_us, self->start_us + span * self->scale) / self->scale;
      gtk_adjustment_configure (self->hadjustment, self->start_us / self->scale, 0, total, span / 10,
                                span * 0.9, span);
    }
  if (self->vadjustment != NULL)
    {
      double lanes = m.axis_height + self->rows->len * m.lane_height;
      double upper = MAX (lanes, height);

      gtk_adjustment_configure (self->vadjustment,
                                MIN (gtk_adjustment_get_value (self->vadjustment),
                                     upper - height),
                                0, upper, m.lane_height / 2, height * 0.9, height);
    }
  self->updating_adjustments = FALSE;
}

static void
set_view (ScopeTimeline *self,
          double         start_us,
          double         scale)
{
  self->scale = CLAMP (scale, MIN_SCALE, MAX_SCALE);
  self->start_us = MAX (0, start_us);
  configure_adjustments (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * scope_timeline_set_view:
 *
 * Shows time from @start_us on, at @us_per_px; stops following.
 */
void
scope_timeline_set_view (ScopeTimeline *self,
                         double         start_us,
                         double         us_per_px)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  self->auto_fit = FALSE;
  scope_timeline_set_follow (self, FALSE);
  set_view (self, start_us, us_per_px);
}

/**
 * scope_timeline_zoom:
 * @factor: above 1 to zoom in
 * @anchor_x: the x whose time stays where it is
 */
void
scope_timeline_zoom (ScopeTimeline *self,
                     double         factor,
                     double         anchor_x)
{
  double anchor;
  double scale;

  g_return_if_fail (SCOPE_IS_TIMELINE (self));
  g_return_if_fail (factor > 0);

  anchor = scope_timeline_x_to_time (self, anchor_x);
  scale = CLAMP (self->scale / factor, MIN_SCALE, MAX_SCALE);
  self->auto_fit = FALSE;
  set_view (self, anchor - (anchor_x - get_metrics (self).pad) * scale, scale);
}

void
scope_timeline_zoom_to_fit (ScopeTimeline *self)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  self->auto_fit = TRUE;
  self->follow = TRUE;
  apply_follow (self);
  set_view (self, self->start_us, self->scale);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

double
scope_timeline_get_scale (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 1);

  return self->scale;
}

double
scope_timeline_get_start_time (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 0);

  return self->start_us;
}

gboolean
scope_timeline_get_follow (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);

  return self->follow;
}

void
scope_timeline_set_follow (ScopeTimeline *self,
                           gboolean       follow)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  follow = !!follow;
  if (follow == self->follow)
    return;
  self->follow = follow;
  if (follow)
    {
      apply_follow (self);
      set_view (self, self->start_us, self->scale);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

gboolean
scope_timeline_get_projector (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);

  return self->projector;
}

void
scope_timeline_set_projector (ScopeTimeline *self,
                              gboolean       projector)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  projector = !!projector;
  if (projector == self->projector)
    return;
  self->projector = projector;
  if (projector)
    gtk_widget_add_css_class (GTK_WIDGET (self), "projector");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "projector");
  apply_follow (self);
  configure_adjustments (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECTOR]);
}

/* Selection */

static void
scroll_to_event (ScopeTimeline *self,
                 guint64        index)
{
  ScopeRecord record;
  Metrics m = get_metrics (self);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double x;
  Lane *lane;

  if (!scope_recorder_get_record (self->recorder, index, &record))
    return;
  x = scope_timeline_time_to_x (self, record.time_us);
  if (x < m.pad || x > width - m.pad)
    {
      self->auto_fit = FALSE;
      if (self->follow)
        {
          self->follow = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
        }
      set_view (self, record.time_us - content_width (self, width) / 2 * self->scale, self->scale);
    }

  lane = lane_of_socket (self, record.socket_id);
  if (self->vadjustment != NULL)
    {
      double top = row_top (self, lane->row) + vscroll (self) - m.axis_height;
      double page = gtk_adjustment_get_page_size (self->vadjustment) - m.axis_height;
      double value = gtk_adjustment_get_value (self->vadjustment);

      if (top < value)
        gtk_adjustment_set_value (self->vadjustment, top);
      else if (top + m.lane_height > value + page)
        gtk_adjustment_set_value (self->vadjustment, top + m.lane_height - page);
    }
}

gint64
scope_timeline_get_selected (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NOT_SELECTED);

  return self->selected;
}

/**
 * scope_timeline_set_selected:
 * @index: an event's index, or -1 for none
 *
 * Selects an event, brings it into sight and highlights what it is linked
 * to.
 */
void
scope_timeline_set_selected (ScopeTimeline *self,
                             gint64         index)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  if (index < 0 || (guint64) index >= self->n_indexed)
    index = NOT_SELECTED;
  if (index == self->selected)
    return;
  self->selected = index;
  if (index != NOT_SELECTED)
    scroll_to_event (self, (guint64) index);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static int
row_at (ScopeTimeline *self,
        double         y)
{
  Metrics m = get_metrics (self);
  double offset = y - m.axis_height + vscroll (self);

  if (y < m.axis_height || offset < 0 || offset >= self->rows->len * m.lane_height)
    return -1;
  return (int) (offset / m.lane_height);
}

/**
 * scope_timeline_pick:
 *
 * Returns: the event drawn nearest to (@x, @y) in that lane, within a few
 * pixels, or -1
 */
gint64
scope_timeline_pick (ScopeTimeline *self,
                     double         x,
                     double         y)
{
  Metrics m;
  int row;
  Lane *lane;
  double reach;
  guint lo, hi;
  gint64 best = NOT_SELECTED;
  double best_distance = G_MAXDOUBLE;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NOT_SELECTED);

  row = row_at (self, y);
  if (row < 0 || self->recorder == NULL)
    return NOT_SELECTED;
  m = get_metrics (self);
  lane = g_ptr_array_index (self->rows, row);
  reach = m.mark_width + 4;
  lo = lane_lower_bound (self, lane, scope_timeline_x_to_time (self, x - reach));
  hi = lane_lower_bound (self, lane, scope_timeline_x_to_time (self, x + reach));
  /* Of many in a few pixels, the ones nearest the middle of the range. */
  if (hi - lo > 64)
    {
      guint centre = lane_lower_bound (self, lane, scope_timeline_x_to_time (self, x));

      lo = MAX (lo, centre > 32 ? centre - 32 : 0);
      hi = MIN (hi, centre + 32);
    }
  for (guint i = lo; i < hi; i++)
    {
      guint32 index = g_array_index (lane->events, guint32, i);
      double distance = fabs (scope_timeline_time_to_x (self, event_time (self, index)) - x);

      if (distance < best_distance)
        {
          best_distance = distance;
          best = index;
        }
    }
  return best;
}

/* Input */

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);
  gint64 index = keyboard ? self->selected : scope_timeline_pick (self, x, y);
  g_autofree char *text = NULL;

  if (index == NOT_SELECTED)
    return FALSE;
  text = scope_timeline_describe_event (self, (guint64) index);
  gtk_tooltip_set_text (tooltip, text);
  return text != NULL;
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               ScopeTimeline  *self)
{
  self->drag_hvalue = self->hadjustment ? gtk_adjustment_get_value (self->hadjustment) : 0;
  self->drag_vvalue = vscroll (self);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                ScopeTimeline  *self)
{
  if (fabs (dx) < 4 && fabs (dy) < 4)
    return;
  if (self->hadjustment != NULL)
    gtk_adjustment_set_value (self->hadjustment, self->drag_hvalue - dx);
  if (self->vadjustment != NULL)
    gtk_adjustment_set_value (self->vadjustment, self->drag_vvalue - dy);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             ScopeTimeline  *self)
{
  double x, y;

  if (fabs (dx) >= 4 || fabs (dy) >= 4)
    return;
  /* Not a drag: a click, which picks an event. */
  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  scope_timeline_set_selected (self, scope_timeline_pick (self, x, y));
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           ScopeTimeline            *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK) || dy == 0)
    return FALSE;
  scope_timeline_zoom (self, pow (1.25, -dy), self->pointer_x);
  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ScopeTimeline            *self)
{
  self->pointer_x = x;
}

static void
on_zoom_begin (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               ScopeTimeline    *self)
{
  self->zoom_scale = self->scale;
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture,
                       double          scale,
                       ScopeTimeline  *self)
{
  double x, y;

  if (scale <= 0 || !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;
  scope_timeline_zoom (self, self->scale / (self->zoom_scale / scale), x);
}

static double
keyboard_anchor (ScopeTimeline *self)
{
  graphene_rect_t b;

  if (self->selected != NOT_SELECTED
      && scope_timeline_get_event_bounds (self, (guint64) self->selected, &b))
    return b.origin.x + b.size.width / 2;
  return gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
}

static gboolean
zoom_in_activated (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);

  scope_timeline_zoom (self, 2, keyboard_anchor (self));
  return TRUE;
}

static gboolean
zoom_out_activated (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);

  scope_timeline_zoom (self, 0.5, keyboard_anchor (self));
  return TRUE;
}

static gboolean
fit_activated (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  scope_timeline_zoom_to_fit (SCOPE_TIMELINE (widget));
  return TRUE;
}

static gint64
first_visible_event (ScopeTimeline *self)
{
  gint64 best = NOT_SELECTED;
  double left = scope_timeline_x_to_time (self, 0);

  for (guint row = 0; row < self->rows->len; row++)
    {
      Lane *lane = g_ptr_array_index (self->rows, row);
      guint i = lane_lower_bound (self, lane, left);

      if (i < lane->events->len)
        return g_array_index (lane->events, guint32, i);
      if (lane->events->len > 0 && best == NOT_SELECTED)
        best = g_array_index (lane->events, guint32, lane->events->len - 1);
    }
  return best;
}

/* Left and Right: the event before or after in the same lane. */
static gboolean
step_activated (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);
  int step = g_variant_get_int32 (args);
  ScopeRecord record;
  Lane *lane;
  gboolean found;
  guint i;

  if (self->selected == NOT_SELECTED)
    {
      scope_timeline_set_selected (self, first_visible_event (self));
      return TRUE;
    }
  scope_recorder_get_record (self->recorder, (guint64) self->selected, &record);
  lane = lane_of_socket (self, record.socket_id);
  i = array_find (lane->events, (guint32) record.index, &found);
  if (step < 0 && i > 0)
    scope_timeline_set_selected (self, g_array_index (lane->events, guint32, i - 1));
  else if (step > 0 && i + 1 < lane->events->len)
    scope_timeline_set_selected (self, g_array_index (lane->events, guint32, i + 1));
  else
    gtk_widget_error_bell (widget);
  return TRUE;
}

/* Up and Down: the nearest event in time in the next lane that has any. */
static gboolean
lane_activated (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);
  int step = g_variant_get_int32 (args);
  ScopeRecord record;
  int row;

  if (self->selected == NOT_SELECTED)
    {
      scope_timeline_set_selected (self, first_visible_event (self));
      return TRUE;
    }
  scope_recorder_get_record (self->recorder, (guint64) self->selected, &record);
  row = (int) lane_of_socket (self, record.socket_id)->row;
  for (row += step; row >= 0 && row < (int) self->rows->len; row += step)
    {
      Lane *lane = g_ptr_array_index (self->rows, row);
      guint i;
      guint32 pick;

      if (lane->events->len == 0)
        continue;
      i = lane_lower_bound (self, lane, record.time_us);
      if (i == lane->events->len)
        i--;
      else if (i > 0
               && record.time_us - event_time (self, g_array_index (lane->events, guint32, i - 1))
                  < event_time (self, g_array_index (lane->events, guint32, i)) - record.time_us)
        i--;
      pick = g_array_index (lane->events, guint32, i);
      scope_timeline_set_selected (self, pick);
      return TRUE;
    }
  gtk_widget_error_bell (widget);
  return TRUE;
}

static gboolean
ends_activated (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);
  gboolean last = g_variant_get_boolean (args);

  if (self->n_indexed == 0)
    return TRUE;
  scope_timeline_set_selected (self, last ? (gint64) self->n_indexed - 1 : 0);
  if (last)
    scope_timeline_set_follow (self, TRUE);
  return TRUE;
}

static gboolean
unselect_activated (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);

  if (self->selected == NOT_SELECTED)
    return FALSE;
  scope_timeline_set_selected (self, NOT_SELECTED);
  return TRUE;
}

/* Recorder */

void
scope_timeline_set_recorder (ScopeTimeline *self,
                             ScopeRecorder *recorder)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));
  g_return_if_fail (SCOPE_IS_RECORDER (recorder));
  g_return_if_fail (self->recorder == NULL);

  self->recorder = g_object_ref (recorder);
  g_signal_connect_object (recorder, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (recorder, "notify::state", G_CALLBACK (on_recorder_state), self,
                           G_CONNECT_SWAPPED);
  scope_timeline_update (self);
  on_recorder_state (self);
}

ScopeRecorder *
scope_timeline_get_recorder (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NULL);

  return self->recorder;
}

/* Widget */

static void
scope_timeline_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);
  Metrics m = get_metrics (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* As wide as it may be: beside the inspector, it takes the room. */
      *minimum = 160;
      *natural = 1600;
    }
  else
    {
      *minimum = (int) (m.axis_height + m.lane_height);
      *natural = (int) (m.axis_height + MAX (self->rows->len, 2) * m.lane_height);
      self->measured_rows = self->rows->len;
    }
}

static void
scope_timeline_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);

  apply_follow (self);
  configure_adjustments (self);
}

static void
set_adjustment (ScopeTimeline  *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment,
                GCallback       callback)
{
  if (*slot == adjustment && adjustment != NULL)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_data (*slot, self);
      g_clear_object (slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", callback, self);
  configure_adjustments (self);
}

static void
scope_timeline_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ScopeTimeline *self = SCOPE_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_int64 (value, self->selected);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_PROJECTOR:
      g_value_set_boolean (value, self->projector);
      break;
    case PROP_SCALE:
      g_value_set_double (value, self->scale);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_timeline_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ScopeTimeline *self = SCOPE_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      scope_timeline_set_selected (self, g_value_get_int64 (value));
      break;
    case PROP_FOLLOW:
      scope_timeline_set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_PROJECTOR:
      scope_timeline_set_projector (self, g_value_get_boolean (value));
      break;
    case PROP_SCALE:
      scope_timeline_zoom (self, self->scale / g_value_get_double (value),
                           gtk_widget_get_width (GTK_WIDGET (self)) / 2.0);
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value),
                      G_CALLBACK (on_adjustment_changed));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value),
                      G_CALLBACK (on_vadjustment_changed));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_timeline_dispose (GObject *object)
{
  ScopeTimeline *self = SCOPE_TIMELINE (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  if (self->recorder != NULL)
    g_signal_handlers_disconnect_by_data (self->recorder, self);
  g_clear_object (&self->recorder);

  G_OBJECT_CLASS (scope_timeline_parent_class)->dispose (object);
}

static void
scope_timeline_finalize (GObject *object)
{
  ScopeTimeline *self = SCOPE_TIMELINE (object);

  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->lanes);
  g_hash_table_unref (self->flows);

  G_OBJECT_CLASS (scope_timeline_parent_class)->finalize (object);
}

static void
scope_timeline_class_init (ScopeTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_timeline_dispose;
  object_class->finalize = scope_timeline_finalize;
  object_class->get_property = scope_timeline_get_property;
  object_class->set_property = scope_timeline_set_property;
  widget_class->snapshot = scope_timeline_snapshot;
  widget_class->measure = scope_timeline_measure;
  widget_class->size_allocate = scope_timeline_size_allocate;
  widget_class->query_tooltip = on_query_tooltip;

  properties[PROP_SELECTED] =
    g_param_spec_int64 ("selected", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROJECTOR] =
    g_param_spec_boolean ("projector", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, MIN_SCALE, MAX_SCALE, 1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_add_binding (widget_class, GDK_KEY_plus, 0, zoom_in_activated, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_equal, 0, zoom_in_activated, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Add, 0, zoom_in_activated, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_minus, 0, zoom_out_activated, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Subtract, 0, zoom_out_activated, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_0, 0, fit_activated, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_0, 0, fit_activated, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, step_activated, "i", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, step_activated, "i", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, lane_activated, "i", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, lane_activated, "i", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Home, 0, ends_activated, "b", FALSE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_End, 0, ends_activated, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, unselect_activated, NULL);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
scope_timeline_init (ScopeTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->lanes = g_ptr_array_new_with_free_func (lane_free);
  self->rows = g_ptr_array_new ();
  self->flows = g_hash_table_new_full (NULL, NULL, NULL, flow_free);
  self->scale = 1;
  self->selected = NOT_SELECTED;
  self->follow = TRUE;
  self->auto_fit = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline of socket events"), -1);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

GtkWidget *
scope_timeline_new (void)
{
  return g_object_new (SCOPE_TYPE_TIMELINE, NULL);
}
