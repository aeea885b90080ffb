/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "scope-describe.h"
#include "scope-export.h"
#include "scope-timeline-private.h"

/* The timeline: one lane per socket, time running left to right, every
 * send and receive a bar whose height grows with its bytes (sends up from
 * the lane's middle, receives down), and bands from the bytes a send put in
 * the stream to the receives that took them out.
 *
 * It draws the stream model (scope-stream.c): the lanes, their events and
 * the links are the model's. This file is the widget: its view of the
 * model (time ↔ x, lane ↔ y, zoom, follow, selection) and the order of its
 * layers, each of which snapshots itself in a file of its own
 * (scope-timeline-axis.c, -lanes.c, -links.c, -selection.c, -labels.c,
 * -stop-mark.c), sharing scope-timeline-private.h with the marks' one
 * geometry (-glyphs.c), the colours (-palette.c), what the layers paint
 * with (-painter.c), the image export (-image.c), the pointer (-input.c)
 * and the actions and keys (-actions.c). The snapshot costs what
 * the screen holds, not what the recorder holds: the events on screen are
 * found by binary search, and where more of them fall on screen than there
 * are places for bars, each few pixels draw one bar for all the events
 * they hold, from two lookups. */

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

/* The view or the model changed: the words are placed again at the next
 * frame, and the drawing made again. */
static void
relayout (ScopeTimeline *self)
{
  scope_timeline_request_words (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The model */

static guint
n_lanes (ScopeTimeline *self)
{
  return self->stream ? scope_stream_get_n_lanes (self->stream) : 0;
}

guint64
scope_timeline_n_events (ScopeTimeline *self)
{
  return self->stream ? scope_stream_get_n_events (self->stream) : 0;
}

guint64
scope_timeline_lane_event (ScopeTimeline *self,
                           guint          row,
                           guint          position)
{
  return scope_stream_get_lane_event (self->stream, row, position);
}

/* The first of a lane's events at or after @time_us. */
guint
scope_timeline_lane_find_time (ScopeTimeline *self,
                               guint          row,
                               double         time_us)
{
  return scope_stream_find_lane_time (self->stream, row, time_us);
}

guint
scope_timeline_lane_of_socket (ScopeTimeline *self,
                               guint          socket_id)
{
  guint lane = 0;

  scope_stream_get_socket_lane (self->stream, socket_id, &lane);
  return lane;
}

/* Sizes in pixels; the projector's are for the back of a lecture hall. A
 * projector's lane holds its name, its line and bars, and a 20pt count
 * under its receives: at 120 px, with more lanes than the view holds,
 * S11's receives had no room for theirs and none was said (the
 * thirteenth trial). */
ScopeTimelineMetrics
scope_timeline_metrics (gboolean projector)
{
  if (projector)
    return (ScopeTimelineMetrics) { 44, 150, 38, 36, 8, 14, 20, 64, 200, 3 };
  return (ScopeTimelineMetrics) { 28, 72, 22, 22, 5, 8, 12, 40, 110, 1.5 };
}

/* The lanes take the height there is, up to LANE_STRETCH_MAX lanes'
 * each: two lanes in 55 px each at the top of a 1920×1080 window left a
 * room looking at 900 px of nothing, and the bands between them were
 * steps a class could not follow. The bars grow with them, less. */
#define LANE_STRETCH_MAX  4.0
#define BAR_STRETCH_MAX   2.0

/* The quiet before an exchange that ends a user's vertical scroll: the
 * stream's own for a new exchange (SCOPE_STREAM_QUIET_US) */
#define VSCROLL_LULL_US   250000

static void ensure_rows (ScopeTimeline *self);

/* The metrics of the lanes as they are laid out now: stretched to the
 * height there is. */
ScopeTimelineMetrics
scope_timeline_get_metrics (ScopeTimeline *self)
{
  ScopeTimelineMetrics m = scope_timeline_metrics (self->projector);

  ensure_rows (self);
  m.half_height *= MIN (self->lane_height / m.lane_height, BAR_STRETCH_MAX);
  /* A squeezed lane's bars between its name and its foot */
  m.half_height = MIN (m.half_height, (self->lane_height - m.label_height - 4) / 2);
  m.lane_height = self->lane_height;
  return m;
}

double
scope_timeline_content_width (ScopeTimeline *self,
                              double         width)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);

  return MAX (width - m.pad - m.right_pad, 1);
}

static void configure_adjustments (ScopeTimeline *self);
static void follow_again (ScopeTimeline *self);
static gboolean show_lanes_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data);
static double lanes_height (ScopeTimeline *self);
static void update_accessible (ScopeTimeline *self);
static void update_accessible_soon (ScopeTimeline *self);

/* The latest exchange fills this much of the width, centred: its bands
 * and counts readable from the back of a room, with a little of what came
 * before and after in sight. */
#define EXCHANGE_FILL   0.7
#define EASE_US         200000

/* An exchange of one moment, and one that goes on while connections
 * wait, spans at least a second. */
#define MOMENT_SPAN_US  G_USEC_PER_SEC

/**
 * scope_timeline_now_us:
 *
 * Returns: the time now, as far as the session goes: no later than where
 * recording stopped, no earlier than its last event
 */
gint64
scope_timeline_now_us (ScopeTimeline *self)
{
  gint64 stopped = scope_recorder_get_stopped_us (self->recorder);
  gint64 now = scope_recorder_get_now_us (self->recorder);

  return MAX (self->end_us, stopped >= 0 ? MIN (now, stopped) : now);
}

/* The round span, 1, 2 or 5 times a power of ten seconds, that holds
 * @span_us: a view that grows by it keeps its axis' times for a while. */
static double
whole_span (double span_us)
{
  double span = MOMENT_SPAN_US;

  for (guint i = 0; span < span_us && span < SCOPE_TIMELINE_MAX_SCALE; i++)
    span *= i % 3 == 1 ? 2.5 : 2;
  return span;
}

/* The view that shows the latest exchange. An exchange of one moment (a
 * lone connect, S17's queue told once) spans nothing, and the µs around it
 * ("-2 µs … +8 µs") measured nothing a person could name: it gets a second
 * from its start, a span said aloud that holds what a click brings next.
 * While connections wait in an accept queue (S17, accepting paused), the
 * view runs from when the first waited to now, in whole spans that double,
 * so that the band grows across an axis that keeps its times. */
static gboolean
exchange_view (ScopeTimeline *self,
               double         width,
               double        *start_us,
               double        *scale)
{
  gint64 first_us, last_us, since_us;
  double span, overhang;

  if (self->stream == NULL
      || !scope_stream_get_latest_exchange (self->stream, &first_us, &last_us, NULL))
    return FALSE;
  span = last_us - first_us;
  overhang = scope_timeline_fan_overhang (self, first_us);
  if (scope_timeline_queue_waiting (self, &since_us))
    {
      /* From when the first of them waited: clients that came seconds
       * apart are exchanges of their own, and the last one's alone showed
       * one step of the queue (the fourth trial). */
      first_us = MIN (first_us, since_us);
      span = whole_span (MAX (last_us, scope_timeline_now_us (self)) - first_us);
    }
  else if (span == 0)
    span = MOMENT_SPAN_US;
  /* Room for the marks laid side by side past their times: S17's accepts
   * and each connection's calls, one after another, ran off the right
   * edge (scope-timeline-fan.c) */
  *scale = CLAMP (span / (MAX (width / 2, width - overhang) * EXCHANGE_FILL),
                  SCOPE_TIMELINE_MIN_SCALE, SCOPE_TIMELINE_MAX_SCALE);
  *start_us = MAX (0, first_us - width * (1 - EXCHANGE_FILL) / 2 * *scale);
  return TRUE;
}

/* While connections wait in a queue the view follows, its band grows to
 * now: drawn again about each two pixels it grows, at most 25 times a
 * second, and the view doubles its span when the band reaches its end.
 * No timer otherwise, from the moment the queue empties or the view stops
 * following: an idle timeline draws nothing. */
#define WAITING_MIN_MS  40
#define WAITING_MAX_MS  1000

static gboolean waiting_tick (gpointer user_data);

static void
watch_waiting (ScopeTimeline *self)
{
  gint64 since_us;

  if (!self->follow || !self->exchange || self->stream == NULL
      || !scope_timeline_queue_waiting (self, &since_us))
    {
      g_clear_handle_id (&self->waiting_timeout, g_source_remove);
      return;
    }
  if (self->waiting_timeout != 0)
    return;
  /* Below the sockets' sources (G_PRIORITY_DEFAULT_IDLE at the lowest,
   * scope-socket-watch.c): the frames it asks for must leave the main loop
   * time to accept what waits, or the queue never empties. At the default
   * priority, on a loaded machine whose frames took longer than the
   * timer's period, connect → accept took 11.6 s at 1280×800. */
  self->waiting_timeout = g_timeout_add_full (G_PRIORITY_LOW,
                                              CLAMP (self->scale * 2 / 1000, WAITING_MIN_MS,
                                                     WAITING_MAX_MS),
                                              waiting_tick, self, NULL);
}

static void apply_follow_eased (ScopeTimeline *self, gboolean ease);

static gboolean
waiting_tick (gpointer user_data)
{
  ScopeTimeline *self = user_data;

  self->waiting_timeout = 0;
  apply_follow_eased (self, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  watch_waiting (self);
  return G_SOURCE_REMOVE;
}

static void
stop_easing (ScopeTimeline *self)
{
  if (self->ease_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->ease_tick);
  self->ease_tick = 0;
}

static void view_changed (ScopeTimeline *self);

/* The time at the same place, @x from the padding, in the view eased
 * from and the one eased to, where there is one within the content. */
static gboolean
fixed_point (ScopeTimeline *self,
             double         width,
             double        *time_us,
             double        *x)
{
  double a = self->ease_from_start, sa = self->ease_from_scale;
  double b = self->ease_to_start, sb = self->ease_to_scale;

  if (fabs (sb - sa) <= 1e-9 * sa)
    return FALSE;
  *time_us = (a * sb - b * sa) / (sb - sa);
  *x = (*time_us - a) / sa;
  return *x >= 0 && *x <= width;
}

/* Cubic ease-out between the two views: the scale in proportion, so that
 * a zoom by a thousand looks as even as one by two. Where one time is at
 * the same place in both views and that place is on screen, it stays
 * there: a zoom about it, as a person zooms. Else the time at the middle
 * of the content goes in a straight line. With the middle going straight
 * while the scale shrank a thousandfold, S17's accepts, at the right end
 * of the wait's view, left the view for most of the zoom into them (the
 * sixth trial: "the view spans the wait, with no accepts in it"). */
static void
ease_step (ScopeTimeline *self,
           gint64         now)
{
  double width = scope_timeline_content_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
  double t, e, from_mid, to_mid, fixed_us, fixed_x;

  self->ease_stepped = now;
  if (self->ease_begin == 0)
    self->ease_begin = now;
  t = CLAMP ((double) (now - self->ease_begin) / EASE_US, 0, 1);
  e = 1 - pow (1 - t, 3);
  self->scale = self->ease_from_scale * pow (self->ease_to_scale / self->ease_from_scale, e);
  if (fixed_point (self, width, &fixed_us, &fixed_x))
    self->start_us = MAX (0, fixed_us - fixed_x * self->scale);
  else
    {
      from_mid = self->ease_from_start + width / 2 * self->ease_from_scale;
      to_mid = self->ease_to_start + width / 2 * self->ease_to_scale;
      self->start_us = MAX (0, from_mid + (to_mid - from_mid) * e - width / 2 * self->scale);
    }
  if (t >= 1)
    {
      self->scale = self->ease_to_scale;
      self->start_us = self->ease_to_start;
      self->ease_tick = 0;
    }
  view_changed (self);
}

static gboolean
ease_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  /* Eased to this frame already, for its words */
  if (now != self->ease_stepped)
    ease_step (self, now);
  return self->ease_tick != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/**
 * scope_timeline_ease_to_frame:
 *
 * The view eased to this frame's time now, if it eases: the words are
 * placed for the view the frame draws. Their frame callback may come
 * before the easing's; they were placed for the frame before, and with
 * frames of a tenth of a second the axis said "+14 s … +18 s" over marks
 * drawn for 0–18 s (the thirteenth trial).
 */
void
scope_timeline_ease_to_frame (ScopeTimeline *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  guint tick = self->ease_tick;
  gint64 now;

  if (tick == 0 || clock == NULL)
    return;
  now = gdk_frame_clock_get_frame_time (clock);
  if (now == self->ease_stepped)
    return;
  ease_step (self, now);
  if (self->ease_tick == 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), tick);
}

static gboolean
animations_enabled (ScopeTimeline *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled,
                NULL);
  return enabled;
}

/* Towards the latest exchange: eased on screen as new events move it,
 * at once when there is no screen to ease on or the width changed. */
static void
follow_exchange_view (ScopeTimeline *self,
                      double         width,
                      gboolean       ease)
{
  double start, scale;

  if (!exchange_view (self, width, &start, &scale))
    return;
  if (!ease || !gtk_widget_get_mapped (GTK_WIDGET (self)) || !animations_enabled (self))
    {
      stop_easing (self);
      self->start_us = start;
      self->scale = scale;
      return;
    }
  if (self->ease_tick != 0 && start == self->ease_to_start && scale == self->ease_to_scale)
    return;
  if (self->ease_tick == 0 && start == self->start_us && scale == self->scale)
    return;
  self->ease_from_start = self->start_us;
  self->ease_from_scale = self->scale;
  self->ease_to_start = start;
  self->ease_to_scale = scale;
  self->ease_begin = 0;
  if (self->ease_tick == 0)
    self->ease_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), ease_tick, NULL, NULL);
}

/* When the session's first event was, or 0 before any. */
static double
session_first_us (ScopeTimeline *self)
{
  guint64 first;

  if (self->stream == NULL || self->recorder == NULL)
    return 0;
  first = scope_stream_get_first_index (self->stream);
  if (first >= scope_stream_get_n_events (self->stream))
    return 0;
  return MIN (scope_recorder_get_time_us (self->recorder, first), self->end_us);
}

/* Following: by default the latest exchange fills the view (eased there
 * as events come when @ease); after Show All, the whole session; after
 * the user zoomed, the newest event stays in sight at that zoom. */
static void
apply_follow_eased (ScopeTimeline *self,
                    gboolean       ease)
{
  double width = scope_timeline_content_width (self, gtk_widget_get_width (GTK_WIDGET (self)));

  if (!self->follow)
    return;
  if (self->auto_fit)
    {
      /* From the session's first event: from the app's start, Show All
       * spent a third of the view on the seconds before it, and after a
       * New Session squeezed the new events into its last 5% (the sixth
       * trial). */
      double first_us = session_first_us (self);

      self->scale = CLAMP ((self->end_us - first_us) / width, 0.5, SCOPE_TIMELINE_MAX_SCALE);
      self->start_us = first_us;
    }
  else if (self->exchange)
    follow_exchange_view (self, width, ease);
  else
    self->start_us = MAX (0, self->end_us - width * self->scale);
}

static void
apply_follow (ScopeTimeline *self)
{
  apply_follow_eased (self, FALSE);
}

static double
vscroll (ScopeTimeline *self)
{
  return self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

/* The vertical scroll that shows all of lane @row, as little moved as may
 * be; not the user's doing. */
static void
scroll_to_lane (ScopeTimeline *self,
                guint          row)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  double top, height, page, value;

  if (self->vadjustment == NULL)
    return;
  top = scope_timeline_row_top (self, row) + vscroll (self) - m.axis_height;
  height = scope_timeline_row_height (self, row);
  page = gtk_adjustment_get_page_size (self->vadjustment) - m.axis_height;
  value = gtk_adjustment_get_value (self->vadjustment);
  if (top < value || page < height)
    value = top;
  else if (top + height > value + page)
    value = top + height - page;
  self->updating_adjustments = TRUE;
  gtk_adjustment_set_value (self->vadjustment, value);
  self->updating_adjustments = FALSE;
}

/* The vertical scroll that shows lanes @first to @last, or as many from
 * @first as fit: S17's accepts, on the listener's lane, over the eight
 * lanes of the connections they made. */
static void
scroll_to_lanes (ScopeTimeline *self,
                 guint          first,
                 guint          last)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  double top, bottom, page;

  if (self->vadjustment == NULL || first > last)
    return;
  top = scope_timeline_row_top (self, first) + vscroll (self) - m.axis_height;
  bottom = scope_timeline_row_top (self, last) + scope_timeline_row_height (self, last)
           + vscroll (self) - m.axis_height;
  page = gtk_adjustment_get_page_size (self->vadjustment) - m.axis_height;
  if (bottom - top > page)
    {
      self->updating_adjustments = TRUE;
      gtk_adjustment_set_value (self->vadjustment, top);
      self->updating_adjustments = FALSE;
      return;
    }
  scroll_to_lane (self, last);
  scroll_to_lane (self, first);
}

/* The lanes of the latest exchange, from *@lo to *@hi: those of its
 * first event, of the event it is told from (the first bytes to arrive,
 * when they waited) and of its newest, and of their peers. In projector
 * mode at 1280×800 S16's client lane was below the window, the idle
 * listeners above it in view (the eighth trial); S17's queue and accepts
 * were above it, the view told from the first bytes that waited (the
 * twelfth). FALSE when there is none; with @open_only, the folded
 * lanes are not counted. */
static gboolean
exchange_rows (ScopeTimeline *self,
               gboolean       open_only,
               guint         *lo,
               guint         *hi)
{
  ScopeRecord ends[3];
  guint64 last;
  guint in_exchange;
  gboolean arrival;

  *lo = G_MAXUINT;
  *hi = 0;
  if (self->stream == NULL
      || !scope_stream_get_latest_exchange (self->stream, NULL, NULL, &in_exchange)
      || !scope_recorder_get_record (self->recorder,
                                     (last = scope_stream_get_latest_exchange_last (self->stream))
                                     + 1 - in_exchange, &ends[0])
      || !scope_recorder_get_record (self->recorder,
                                     scope_stream_get_latest_exchange_first (self->stream,
                                                                             &arrival),
                                     &ends[1])
      || !scope_recorder_get_record (self->recorder, last, &ends[2]))
    return FALSE;
  for (guint i = 0; i < 6; i++)
    {
      guint socket = i < 3 ? ends[i].socket_id
                           : scope_stream_get_peer_socket (self->stream, ends[i - 3].socket_id);
      guint row;

      if (socket != 0 && scope_stream_get_socket_lane (self->stream, socket, &row)
          && (!open_only || !scope_timeline_row_is_folded (self, row)))
        {
          *lo = MIN (*lo, row);
          *hi = MAX (*hi, row);
        }
    }
  return *lo <= *hi;
}

/* The open lanes of the exchange followed: FALSE when none is shown */
static gboolean
exchange_lanes (ScopeTimeline *self,
                guint         *lo,
                guint         *hi)
{
  return self->follow && self->exchange && exchange_rows (self, TRUE, lo, hi);
}

/* Following the exchange, its lanes in view, as many from the first as
 * fit. Not after the user scrolled, until F or the next exchange after a
 * lull. */
static void
show_exchange_lanes (ScopeTimeline *self)
{
  guint lo, hi;

  if (!self->user_vscrolled && self->vadjustment != NULL && exchange_lanes (self, &lo, &hi))
    scroll_to_lanes (self, lo, hi);
}

/* Whether the latest exchange began after the user last scrolled, after
 * a lull: not where its start only moved on within one conversation (an
 * echo a few ms after its read, in a later batch; steady traffic past
 * the exchange's bound of events), which undid the scroll of a user
 * reading (the review). */
static gboolean
new_exchange_since_scroll (ScopeTimeline *self)
{
  gint64 first_us, before_us;
  guint64 last;
  guint n;

  if (!scope_stream_get_latest_exchange (self->stream, &first_us, NULL, &n)
      || first_us < self->vscrolled_until_us + VSCROLL_LULL_US)
    return FALSE;
  last = scope_stream_get_latest_exchange_last (self->stream);
  if (last + 1 - n <= scope_stream_get_first_index (self->stream))
    return TRUE;
  before_us = scope_timeline_event_time (self, last - n);
  return first_us - before_us >= VSCROLL_LULL_US;
}

/* The model took in new sockets or events. A new lane comes into view,
 * unless the user has scrolled up or down since they last asked to follow:
 * a lecturer connecting a client sees its lane without looking for it;
 * while the view follows the exchange, with the lane its first event is
 * on above it. */
static void
on_stream_updated (ScopeTimeline *self)
{
  guint lanes = n_lanes (self);

  /* The exchange moved on: older closed connections fold. */
  self->rows_valid = FALSE;
  /* A New Session took the selected event away. */
  if (self->selected != SCOPE_TIMELINE_NOT_SELECTED
      && (guint64) self->selected < scope_stream_get_first_index (self->stream))
    {
      self->selected = SCOPE_TIMELINE_NOT_SELECTED;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
      follow_again (self);
    }
  self->end_us = MAX (self->end_us, scope_stream_get_end_us (self->stream));
  /* A scroll holds for the exchange it was made in: following, the next
   * one's lanes come into view. S16's lanes stayed below the window, the
   * lanes of four servers above them, because the lecturer had scrolled
   * during S17 (the eighteenth trial). */
  if (self->user_vscrolled && self->follow && self->exchange && new_exchange_since_scroll (self))
    self->user_vscrolled = FALSE;
  apply_follow_eased (self, TRUE);
  watch_waiting (self);
  configure_adjustments (self);
  if (lanes > self->measured_rows && !self->user_vscrolled)
    {
      guint newest;

      /* The newest socket's lane: socket ids are not rows, once a New
       * Session has taken the lanes of the sockets closed before it. */
      if (scope_stream_get_socket_lane (self->stream,
                                        scope_recorder_get_n_sockets (self->recorder), &newest))
        {
          guint lo, hi;

          if (exchange_lanes (self, &lo, &hi) && lo <= newest)
            scroll_to_lanes (self, lo, MAX (hi, newest));
          else
            scroll_to_lane (self, newest);
        }
    }
  else
    show_exchange_lanes (self);
  update_accessible_soon (self);
  /* The height asked for follows the lanes alone: new events on the lanes
   * there are only need drawing, not a new layout of the whole page,
   * which under load would be most of each frame. */
  if (n_lanes (self) != self->measured_rows || lanes_height (self) != self->measured_height)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  relayout (self);
}

/**
 * scope_timeline_update:
 *
 * Takes in the events the recorder has flushed since last time. The
 * recorder's items-changed does, through the stream model; so may a test.
 */
void
scope_timeline_update (ScopeTimeline *self)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  if (self->stream == NULL)
    return;
  scope_stream_update (self->stream);
  on_stream_updated (self);
}

/* Recording stopped at a limit: the mark is part of the session, and the
 * view reaches it. Recording again (a New Session), the mark and its
 * words go. */
static void
on_recorder_state (ScopeTimeline *self)
{
  gint64 stopped = scope_recorder_get_stopped_us (self->recorder);

  if (stopped >= 0)
    self->end_us = MAX (self->end_us, stopped);
  apply_follow (self);
  configure_adjustments (self);
  update_accessible (self);
  relayout (self);
}

gint64
scope_timeline_event_time (ScopeTimeline *self,
                           guint64        index)
{
  return scope_recorder_get_time_us (self->recorder, index);
}

/* The time of the lane's event at @position. */
gint64
scope_timeline_lane_event_time (ScopeTimeline *self,
                                guint          row,
                                guint          position)
{
  return scope_timeline_event_time (self, scope_timeline_lane_event (self, row, position));
}

/* Geometry */

double
scope_timeline_time_to_x (ScopeTimeline *self,
                          double         time_us)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 0);

  return scope_timeline_get_metrics (self).pad + (time_us - self->start_us) / self->scale;
}

double
scope_timeline_x_to_time (ScopeTimeline *self,
                          double         x)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 0);

  return self->start_us + (x - scope_timeline_get_metrics (self).pad) * self->scale;
}

/* A socket closed this little before the latest exchange is part of its
 * story: S15's server reads the zero-byte read and closes a few
 * milliseconds before the client's own zero-byte read, which alone made
 * the latest exchange, and its lane, the scenario's lesson, folded. */
#define FOLD_AFTER_US 200000

/* Whether a lane folds to a strip: a socket closed well before the latest
 * exchange, with nothing in it, that the user has not opened. A stopped
 * server's listener too: the trial found it kept its full lane, still
 * "listening on", after the server had stopped. */
static gboolean
row_folds (ScopeTimeline *self,
           guint          row,
           gint64         exchange_us)
{
  guint socket = scope_stream_get_lane_socket (self->stream, row);
  const ScopeSocketInfo *info = scope_recorder_get_socket (self->recorder, socket);
  guint n = scope_stream_get_lane_n_events (self->stream, row);
  guint peer_row, peer_n;

  if (info->closed_us < 0 || info->closed_us >= exchange_us - FOLD_AFTER_US
      || (n > 0 && scope_timeline_lane_event_time (self, row, n - 1) >= exchange_us))
    return FALSE;
  /* The other end of a connection in the latest exchange is in its story,
   * however long before it closed: on a slow machine S15's server closed
   * more than 200 ms before the client read the end. */
  if (info->peer_id != 0 && scope_stream_get_socket_lane (self->stream, info->peer_id, &peer_row)
      && (peer_n = scope_stream_get_lane_n_events (self->stream, peer_row)) > 0
      && scope_timeline_lane_event_time (self, peer_row, peer_n - 1) >= exchange_us)
    return FALSE;
  return !g_hash_table_contains (self->unfolded, GUINT_TO_POINTER (socket));
}

/* A strip of a run of @run folded rows: the run a line tall and a
 * little, its strips sharing it, none taller than
 * SCOPE_TIMELINE_FOLDED_HEIGHT nor thinner than 2 px. Twelve closed
 * connections' strips of 12 px were 144 px of stripes with nothing on
 * them (the seventeenth and eighteenth trials). */
double
scope_timeline_strip_height (const ScopeTimelineMetrics *m,
                             guint                       run)
{
  return CLAMP (floor ((m->label_height + 4) / MAX (run, 1)), 2, SCOPE_TIMELINE_FOLDED_HEIGHT);
}

/* A run of strips as tall as a line of its name at least ("1 closed
 * socket"): one or two strips were a grey sliver no one could name (the
 * tenth trial). */
static double
run_height (const ScopeTimelineMetrics *m,
            guint                       run)
{
  return MAX (run * scope_timeline_strip_height (m, run), m->label_height);
}

/* The rows' heights as prefix sums: folded rows are strips. Made again
 * when the model, the metrics or a fold changes; every row's top is then
 * a lookup, and the row at a height a binary search. */
static void
ensure_rows (ScopeTimeline *self)
{
  ScopeTimelineMetrics m;
  guint n = n_lanes (self);
  gint64 exchange_us = G_MININT64;
  double top = 0, room;
  guint open = 0, lo, hi;

  if (self->rows_valid && self->row_tops->len == n + 1)
    return;
  /* A lane folded or opened: its marks are laid out again */
  scope_timeline_fan_clear (self);
  m = scope_timeline_metrics (self->projector);
  room = self->view_height - m.axis_height;
  if (self->stream != NULL)
    scope_stream_get_latest_exchange (self->stream, &exchange_us, NULL, NULL);
  g_array_set_size (self->row_tops, n + 1);
  g_array_set_size (self->row_folded, n);
  for (guint row = 0; row < n; row++)
    {
      gboolean folded = row_folds (self, row, exchange_us);

      g_array_index (self->row_folded, gboolean, row) = folded;
      open += !folded;
    }
  for (guint row = 0, run = 0; row <= n; row++)
    {
      if (row < n && g_array_index (self->row_folded, gboolean, row))
        {
          run++;
          continue;
        }
      if (run > 0)
        room -= run_height (&m, run);
      run = 0;
    }
  /* Stretched where every open lane fits. Where they do not, squeezed
   * (to SCOPE_TIMELINE_LANE_SQUEEZE_MIN at most) so that the lanes of the
   * latest exchange fit: S17's eight connections and their listener in
   * projector mode at 1920×1080 left the two accepted last, the lesson,
   * below the window (the seventeenth trial). Where squeezing does not
   * make them fit, it would only cost their counts room: they keep their
   * height and scroll. Whether the view follows or not: a selection, a
   * zoom or a pan that stopped following sent the selected lane off the
   * window as the lanes grew back (the review). */
  self->lane_height = m.lane_height;
  if (open > 0 && room > open * m.lane_height)
    self->lane_height = MIN (floor (room / open), LANE_STRETCH_MAX * m.lane_height);
  else if (exchange_rows (self, FALSE, &lo, &hi))
    {
      double strips = 0;
      guint in_exchange = 0;

      /* The strips among them as they are laid out below: a run as tall
       * as a line at least */
      for (guint row = lo, run = 0; row <= hi + 1; row++)
        {
          if (row <= hi && g_array_index (self->row_folded, gboolean, row))
            {
              run++;
              continue;
            }
          if (run > 0)
            strips += run_height (&m, run);
          run = 0;
          in_exchange += row <= hi;
        }
      room = self->view_height - m.axis_height - strips;
      if (in_exchange > 0 && in_exchange * m.lane_height > room
          && floor (room / in_exchange) >= ceil (SCOPE_TIMELINE_LANE_SQUEEZE_MIN (self->projector) * m.lane_height))
        self->lane_height = floor (room / in_exchange);
    }
  g_array_set_size (self->row_strips, n);
  for (guint row = 0, end; row < n; row = end)
    {
      double strip;

      end = row + 1;
      if (!g_array_index (self->row_folded, gboolean, row))
        {
          g_array_index (self->row_tops, double, row) = top;
          g_array_index (self->row_strips, double, row) = 0;
          top += self->lane_height;
          continue;
        }
      while (end < n && g_array_index (self->row_folded, gboolean, end))
        end++;
      strip = scope_timeline_strip_height (&m, end - row);
      for (guint r = row; r < end; r++)
        {
          g_array_index (self->row_tops, double, r) = top;
          g_array_index (self->row_strips, double, r) = strip;
          top += strip;
        }
      /* The room a run takes over its strips is the last's */
      top += run_height (&m, end - row) - (end - row) * strip;
    }
  g_array_index (self->row_tops, double, n) = top;
  self->rows_valid = TRUE;
}

/* The lanes' height, all of them. */
static double
lanes_height (ScopeTimeline *self)
{
  ensure_rows (self);
  return g_array_index (self->row_tops, double, self->row_tops->len - 1);
}

gboolean
scope_timeline_row_is_folded (ScopeTimeline *self,
                              guint          row)
{
  ensure_rows (self);
  return row < self->row_folded->len && g_array_index (self->row_folded, gboolean, row);
}

double
scope_timeline_row_height (ScopeTimeline *self,
                           guint          row)
{
  if (!scope_timeline_row_is_folded (self, row))
    return scope_timeline_get_metrics (self).lane_height;
  return g_array_index (self->row_tops, double, row + 1)
         - g_array_index (self->row_tops, double, row);
}

/* A click on a folded strip, or a selection in it, opens it for good. */
void
scope_timeline_unfold_row (ScopeTimeline *self,
                           guint          row)
{
  if (!scope_timeline_row_is_folded (self, row))
    return;
  g_hash_table_add (self->unfolded,
                    GUINT_TO_POINTER (scope_stream_get_lane_socket (self->stream, row)));
  self->rows_valid = FALSE;
  configure_adjustments (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  relayout (self);
}

double
scope_timeline_row_top (ScopeTimeline *self,
                        guint          row)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);

  ensure_rows (self);
  return m.axis_height + g_array_index (self->row_tops, double, MIN (row, self->row_tops->len - 1))
         - vscroll (self);
}

/* A folded strip's middle is its own: its line, no marks. A stretched
 * lane's line is in the middle of the room under its name, where the
 * bands reach it from above and below alike. */
double
scope_timeline_row_middle (ScopeTimeline *self,
                           guint          row)
{
  ScopeTimelineMetrics base = scope_timeline_metrics (self->projector);
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  double slack = base.lane_height - base.label_height - 2 * base.half_height;

  if (scope_timeline_row_is_folded (self, row))
    return scope_timeline_row_top (self, row)
           + g_array_index (self->row_strips, double, row) / 2.0;
  return scope_timeline_row_top (self, row) + m.label_height + m.half_height + 2
         + MAX (m.lane_height - m.label_height - 2 * m.half_height - slack, 0) / 2;
}

/* Whether any of a lane is below the axis and above @height. */
gboolean
scope_timeline_row_is_visible (ScopeTimeline *self,
                               guint          row,
                               double         height)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  double top = scope_timeline_row_top (self, row);

  return !(top + scope_timeline_row_height (self, row) < m.axis_height || top > height);
}

gboolean
scope_timeline_get_event_bounds (ScopeTimeline   *self,
                                 guint64          index,
                                 graphene_rect_t *bounds)
{
  ScopeRecord record;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);

  if (index >= scope_timeline_n_events (self)
      || !scope_recorder_get_record (self->recorder, index, &record))
    return FALSE;
  scope_timeline_record_bounds (self, &record, bounds);
  return TRUE;
}

/* Lanes, labels and descriptions */

guint
scope_timeline_get_n_lanes (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 0);

  return n_lanes (self);
}

guint
scope_timeline_get_lane_socket (ScopeTimeline *self,
                                guint          row)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), 0);
  g_return_val_if_fail (row < n_lanes (self), 0);

  return scope_stream_get_lane_socket (self->stream, row);
}

char *
scope_timeline_dup_lane_label (ScopeTimeline *self,
                               guint          row)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (row < n_lanes (self), NULL);

  return scope_describe_socket (scope_recorder_get_socket (self->recorder,
                                                           scope_timeline_get_lane_socket (self,
                                                                                           row)));
}

gboolean
scope_timeline_get_lane_area (ScopeTimeline   *self,
                              guint            row,
                              graphene_rect_t *area)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);

  if (row >= n_lanes (self))
    return FALSE;
  graphene_rect_init (area, 0, scope_timeline_row_top (self, row),
                      gtk_widget_get_width (GTK_WIDGET (self)),
                      scope_timeline_row_height (self, row));
  return TRUE;
}

/**
 * scope_timeline_describe_event:
 *
 * Returns: (transfer full) (nullable): one event in words, as its tooltip
 * and a screen reader say it (scope_describe_event())
 */
char *
scope_timeline_describe_event (ScopeTimeline *self,
                               guint64        index)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NULL);

  if (self->stream == NULL)
    return NULL;
  return scope_describe_event (self->stream, index);
}

/**
 * scope_timeline_get_stream:
 *
 * Returns: (transfer none) (nullable): the model it draws, once it has a
 * recorder
 */
ScopeStream *
scope_timeline_get_stream (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NULL);

  return self->stream;
}

/* What the view shows of the latest exchange, when it follows it. */
static char *
describe_exchange (ScopeTimeline *self)
{
  gint64 first_us, last_us;
  guint n, lanes;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *events = NULL;
  g_autofree char *on_lanes = NULL;

  if (!self->follow || !self->exchange || self->stream == NULL
      || !scope_stream_get_latest_exchange (self->stream, &first_us, &last_us, &n))
    return NULL;
  lanes = scope_stream_get_latest_exchange_n_lanes (self->stream);
  from = scope_timeline_format_offset (0, 1);
  to = scope_timeline_format_offset (last_us - first_us, 1);
  events = g_strdup_printf (ngettext ("%u event", "%u events", n), n);
  on_lanes = g_strdup_printf (ngettext ("on %u lane", "on %u lanes", lanes),
                              lanes);
  /* Translators: "5 events", "on 3 lanes", "+0 µs", "+412 µs" */
  return g_strdup_printf (_("Following the latest exchange: %s %s, %s to %s."), events,
                          on_lanes, from, to);
}

/* What the timeline says of itself to a screen reader: the selected event,
 * else what the view follows, else how to move about. */
char *
scope_timeline_dup_description (ScopeTimeline *self)
{
  char *description = NULL;

  if (self->selected != SCOPE_TIMELINE_NOT_SELECTED)
    description = scope_timeline_describe_event (self, (guint64) self->selected);
  if (description == NULL)
    {
      g_autofree char *stop = self->recorder ? scope_export_describe_stop (self->recorder) : NULL;
      g_autofree char *exchange = describe_exchange (self);

      if (exchange != NULL)
        /* Translators: the first %s says why recording stopped, if it did
         * (said first, as it matters most), the third what the view shows */
        description = g_strdup_printf (_("%s%s%s Arrow keys move between events; F follows "
                                         "the conversation."),
                                       stop ? stop : "", stop ? " " : "", exchange);
      else
        /* Translators: the first %s says why recording stopped, if it did */
        description = g_strdup_printf (_("%s%sNo event selected. Arrow keys move between "
                                         "events; plus, minus and 0 zoom."),
                                       stop ? stop : "", stop ? " " : "");
    }
  return description;
}

static void
update_accessible (ScopeTimeline *self)
{
  g_autofree char *description = scope_timeline_dup_description (self);

  g_clear_handle_id (&self->accessible_timeout, g_source_remove);
  self->accessible_said_us = g_get_monotonic_time ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static gboolean
accessible_due (gpointer user_data)
{
  ScopeTimeline *self = user_data;

  self->accessible_timeout = 0;
  update_accessible (self);
  return G_SOURCE_REMOVE;
}

/* New events come once a frame under a flood, and each changed what the
 * timeline says of itself: a screen reader is told at most every
 * SCOPE_TIMELINE_ACCESSIBLE_MS, the last change always. What the user
 * does (a selection, a zoom, F) is said at once. */
static void
update_accessible_soon (ScopeTimeline *self)
{
  gint64 since = g_get_monotonic_time () - self->accessible_said_us;

  if (self->accessible_timeout != 0)
    return;
  if (since >= SCOPE_TIMELINE_ACCESSIBLE_MS * 1000)
    update_accessible (self);
  else
    self->accessible_timeout = g_timeout_add (SCOPE_TIMELINE_ACCESSIBLE_MS - since / 1000,
                                              accessible_due, self);
}

/* The layers, bottom to top. The bands lie under the lanes' marks, the
 * axis' lines down the lanes between the two, then the queues' bands, the
 * selection's rings, the marks, the names of the lanes above all that,
 * and the axis above the lanes as they scroll under it. */
void
scope_timeline_paint (ScopeTimeline *self,
                      GtkSnapshot   *snapshot,
                      double         width,
                      double         height,
                      GArray        *plan,
                      gboolean       with_words)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  g_autoptr(GArray) selected_links = NULL;
  ScopeTimelinePainter painter = {
    .self = self,
    .m = &m,
    .p = scope_timeline_get_palette (self),
    .snapshot = snapshot,
    .area = GRAPHENE_RECT_INIT (0, m.axis_height, width, MAX (1, height - m.axis_height)),
    .width = width,
    .height = height,
    .plan = plan,
  };

  if (self->recorder == NULL)
    return;

  if (self->selected != SCOPE_TIMELINE_NOT_SELECTED)
    selected_links = scope_timeline_get_links (self, (guint64) self->selected);
  painter.selected_links = selected_links;

  scope_timeline_empty_snapshot (&painter);
  gtk_snapshot_push_clip (snapshot, &painter.area);
  scope_timeline_links_snapshot (&painter);
  scope_timeline_lanes_snapshot (&painter);
  scope_timeline_grid_snapshot (&painter);
  scope_timeline_queue_snapshot (&painter);
  scope_timeline_selection_snapshot (&painter);
  scope_timeline_marks_snapshot (&painter);
  scope_timeline_stop_mark_snapshot (&painter);
  gtk_snapshot_pop (snapshot);
  scope_timeline_axis_snapshot (&painter);
  if (with_words && plan != NULL)
    scope_timeline_words_paint (&painter, plan);
}

/* The drawing, then the words: the labels the last allocation placed. */
static void
scope_timeline_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);

  scope_timeline_paint (self, snapshot, gtk_widget_get_width (widget),
                        gtk_widget_get_height (widget), self->plan, FALSE);
  scope_timeline_snapshot_words (self, snapshot);
}

/* View */

/* The user moved the view: it stops following the exchange, and what it
 * says of itself says so. */
static void
leave_exchange (ScopeTimeline *self)
{
  stop_easing (self);
  if (!self->exchange)
    return;
  self->exchange = FALSE;
  watch_waiting (self);
  scope_timeline_sync_follow_action (self);
  update_accessible (self);
}

static void
on_adjustment_changed (ScopeTimeline *self)
{
  GtkAdjustment *h = self->hadjustment;

  if (self->updating_adjustments)
    return;
  /* The user scrolled: the view stays where it is put, unless it was put
   * at the very end. */
  self->held = FALSE;
  self->start_us = gtk_adjustment_get_value (h) * self->scale;
  leave_exchange (self);
  self->auto_fit = FALSE;
  self->follow = gtk_adjustment_get_value (h) + gtk_adjustment_get_page_size (h)
                 >= gtk_adjustment_get_upper (h) - 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
  relayout (self);
}

static void
on_vadjustment_changed (ScopeTimeline *self)
{
  if (!self->updating_adjustments)
    {
      self->user_vscrolled = TRUE;
      self->vscrolled_until_us = G_MININT64 / 2;
      if (self->stream != NULL)
        scope_stream_get_latest_exchange (self->stream, NULL, &self->vscrolled_until_us,
                                          NULL);
    }
  relayout (self);
}

static void
configure_adjustments (ScopeTimeline *self)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double span = scope_timeline_content_width (self, width);
  double total;

  self->updating_adjustments = TRUE;
  if (self->hadjustment != NULL)
    {
      total = MAX (self->end_us, self->start_us + span * self->scale) / self->scale;
      gtk_adjustment_configure (self->hadjustment, self->start_us / self->scale, 0, total,
                                span / 10, span * 0.9, span);
    }
  if (self->vadjustment != NULL)
    {
      double lanes = m.axis_height + lanes_height (self);
      double upper = MAX (lanes, height);

      gtk_adjustment_configure (self->vadjustment,
                                MIN (gtk_adjustment_get_value (self->vadjustment),
                                     upper - height),
                                0, upper, m.lane_height / 2, height * 0.9, height);
    }
  self->updating_adjustments = FALSE;
}

/* The view moved: the adjustments and the drawing follow it. */
static void
view_changed (ScopeTimeline *self)
{
  configure_adjustments (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
  relayout (self);
}

static void
set_view (ScopeTimeline *self,
          double         start_us,
          double         scale)
{
  self->scale = CLAMP (scale, SCOPE_TIMELINE_MIN_SCALE, SCOPE_TIMELINE_MAX_SCALE);
  self->start_us = MAX (0, start_us);
  view_changed (self);
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

  self->held = FALSE;
  self->auto_fit = FALSE;
  leave_exchange (self);
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
  scale = CLAMP (self->scale / factor, SCOPE_TIMELINE_MIN_SCALE, SCOPE_TIMELINE_MAX_SCALE);
  self->held = FALSE;
  self->auto_fit = FALSE;
  leave_exchange (self);
  set_view (self, anchor - (anchor_x - scope_timeline_get_metrics (self).pad) * scale, scale);
}

void
scope_timeline_zoom_to_fit (ScopeTimeline *self)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  self->held = FALSE;
  self->auto_fit = TRUE;
  leave_exchange (self);
  self->follow = TRUE;
  apply_follow (self);
  set_view (self, self->start_us, self->scale);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

/* F: back to the latest exchange, eased there. */
void
scope_timeline_follow_exchange (ScopeTimeline *self)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  self->held = FALSE;
  self->auto_fit = FALSE;
  self->exchange = TRUE;
  self->follow = TRUE;
  /* And new lanes come into view again, after the user's scrolling; the
   * exchange's at once. */
  self->user_vscrolled = FALSE;
  apply_follow_eased (self, TRUE);
  watch_waiting (self);
  set_view (self, self->start_us, self->scale);
  show_exchange_lanes (self);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

/**
 * scope_timeline_get_following_exchange:
 *
 * Returns: whether the view follows the latest exchange, as it does until
 * the user pans or zooms
 */
gboolean
scope_timeline_get_following_exchange (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);

  return self->follow && self->exchange;
}

/**
 * scope_timeline_is_easing:
 *
 * Returns: whether the view is on its way to the latest exchange, or its
 * words are still to be placed: for tests, which wait for it to settle
 */
gboolean
scope_timeline_is_easing (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);

  return self->ease_tick != 0 || scope_timeline_words_pending (self);
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
  if (!follow)
    leave_exchange (self);
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
  int top_row;

  g_return_if_fail (SCOPE_IS_TIMELINE (self));

  projector = !!projector;
  if (projector == self->projector)
    return;
  /* The lane at the top stays at the top, in the new lanes' height. */
  top_row = scope_timeline_row_at (self, scope_timeline_get_metrics (self).axis_height);
  self->projector = projector;
  self->rows_valid = FALSE;
  if (projector)
    gtk_widget_add_css_class (GTK_WIDGET (self), "projector");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "projector");
  /* Its stronger colours at once, not when the style is next validated:
   * an image may be taken before that. */
  scope_timeline_invalidate_palette (self);
  apply_follow (self);
  configure_adjustments (self);
  /* Following, the exchange's lanes stay in view in the new lanes' height;
   * else the lane at the top stays at the top. */
  if (self->follow && self->exchange && !self->user_vscrolled)
    {
      /* At the next frame, its lanes laid out in their new height */
      if (self->lanes_tick == 0)
        self->lanes_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), show_lanes_tick,
                                                         NULL, NULL);
    }
  else if (top_row > 0 && self->vadjustment != NULL)
    {
      self->updating_adjustments = TRUE;
      gtk_adjustment_set_value (self->vadjustment,
                                scope_timeline_row_top (self, top_row) + vscroll (self)
                                - scope_timeline_get_metrics (self).axis_height);
      self->updating_adjustments = FALSE;
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECTOR]);
}

/* Selection */

static void
scroll_to_event (ScopeTimeline *self,
                 guint64        index)
{
  ScopeRecord record;
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double x;

  if (!scope_recorder_get_record (self->recorder, index, &record))
    return;
  /* A selected event is seen: its lane opens if it was folded, and its
   * mark is where it is drawn there */
  scope_timeline_unfold_row (self, scope_timeline_lane_of_socket (self, record.socket_id));
  x = scope_timeline_record_x (self, &record);
  if (x < m.pad || x > width - m.pad)
    {
      self->auto_fit = FALSE;
      leave_exchange (self);
      if (self->follow)
        {
          self->follow = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
        }
      set_view (self,
                record.time_us - scope_timeline_content_width (self, width) / 2 * self->scale,
                self->scale);
    }

  if (self->vadjustment != NULL)
    {
      guint row = scope_timeline_lane_of_socket (self, record.socket_id);
      double top = scope_timeline_row_top (self, row) + vscroll (self) - m.axis_height;
      double page = gtk_adjustment_get_page_size (self->vadjustment) - m.axis_height;
      double value = gtk_adjustment_get_value (self->vadjustment);

      /* The selection's doing, not the user's scrolling: new lanes still
       * come into view after it (the fifth trial's stayed below). */
      self->updating_adjustments = TRUE;
      if (top < value)
        gtk_adjustment_set_value (self->vadjustment, top);
      else if (top + m.lane_height > value + page)
        gtk_adjustment_set_value (self->vadjustment, top + m.lane_height - page);
      self->updating_adjustments = FALSE;
    }
}

gint64
scope_timeline_get_selected (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), SCOPE_TIMELINE_NOT_SELECTED);

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

  if (index < 0 || (guint64) index >= scope_timeline_n_events (self)
      || (guint64) index < scope_stream_get_first_index (self->stream))
    index = SCOPE_TIMELINE_NOT_SELECTED;
  if (index == self->selected)
    return;
  self->selected = index;
  /* The view holds still for a selection: following on, the next events
   * took it away from what was just chosen (the sixth trial's accept,
   * clicked as the clients closed). F, End or Follow follow again; so
   * does Escape (scope_timeline_escape()), unless the user moved the view
   * meanwhile: after Escape the next scenario's events came and the view
   * stayed on the last one's (the seventh trial). */
  if (index != SCOPE_TIMELINE_NOT_SELECTED && self->follow)
    {
      gboolean exchange = self->exchange;

      scope_timeline_set_follow (self, FALSE);
      self->held = TRUE;
      self->held_exchange = exchange;
    }
  else if (index == SCOPE_TIMELINE_NOT_SELECTED)
    self->held = FALSE;
  if (index != SCOPE_TIMELINE_NOT_SELECTED)
    scroll_to_event (self, (guint64) index);
  update_accessible (self);
  relayout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* The selection that held the view still has gone: the view follows as
 * it did before it. */
static void
follow_again (ScopeTimeline *self)
{
  if (!self->held)
    return;
  self->held = FALSE;
  if (self->held_exchange)
    scope_timeline_follow_exchange (self);
  else
    scope_timeline_set_follow (self, TRUE);
  /* At once, not eased: the selection's end also hides the inspector and
   * brings the controls back, and a view easing through the frames of
   * their slide laid its words out again at each new width. */
  stop_easing (self);
  apply_follow (self);
  set_view (self, self->start_us, self->scale);
}

/* Escape: the selection goes, and the view follows as it did before it.
 * Only the key: a selection taken away otherwise (the inspector's flap
 * hiding with it) leaves the view where it is, as before. */
void
scope_timeline_escape (ScopeTimeline *self)
{
  gboolean held = self->held;

  scope_timeline_set_selected (self, SCOPE_TIMELINE_NOT_SELECTED);
  self->held = held;
  follow_again (self);
}

int
scope_timeline_row_at (ScopeTimeline *self,
                       double         y)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  double offset = y - m.axis_height + vscroll (self);
  guint lo = 0, hi;

  if (y < m.axis_height || offset < 0 || offset >= lanes_height (self))
    return -1;
  /* The last row whose top is at or above @offset */
  hi = n_lanes (self);
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->row_tops, double, mid) <= offset)
        lo = mid;
      else
        hi = mid;
    }
  return (int) lo;
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
  self->stream = scope_stream_new (recorder);
  g_signal_connect_object (self->stream, "updated", G_CALLBACK (on_stream_updated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (recorder, "notify::state", G_CALLBACK (on_recorder_state), self,
                           G_CONNECT_SWAPPED);
  on_stream_updated (self);
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
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* As wide as it may be: beside the inspector, it takes the room. */
      *minimum = 160;
      *natural = 1600;
    }
  else
    {
      *minimum = (int) (m.axis_height + m.lane_height);
      *natural = (int) (m.axis_height + MAX (lanes_height (self), 2 * m.lane_height));
      self->measured_rows = n_lanes (self);
      self->measured_height = lanes_height (self);
    }
}

/* The exchange's lanes shown at a new height: at the next frame, not in
 * the allocation, where scrolling moved the scrolled window's adjustment
 * while it was laying its child out. */
static gboolean
show_lanes_tick (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);

  self->lanes_tick = 0;
  show_exchange_lanes (self);
  return G_SOURCE_REMOVE;
}

/* A narrower view keeps the selected event in it, moved no more than it
 * must: the newest event, clicked at the right edge, opened the inspector
 * beside the timeline, which went out of view under it (the seventh
 * trial, 1920×1080 in projector mode). */
static void
keep_selection_in_view (ScopeTimeline *self,
                        int            width)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  ScopeRecord record;
  double x, right = width - m.right_pad;

  if (self->selected == SCOPE_TIMELINE_NOT_SELECTED || self->follow || right <= m.pad
      || !scope_recorder_get_record (self->recorder, (guint64) self->selected, &record))
    return;
  x = scope_timeline_record_x (self, &record);
  if (x > right)
    self->start_us += (x - right) * self->scale;
  else if (x < m.pad)
    self->start_us = MAX (0, self->start_us - (m.pad - x) * self->scale);
}

static void
scope_timeline_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);

  /* A new width fits the view at once; the same one lets an easing go on. */
  apply_follow_eased (self, width == self->view_width);
  if (width != self->view_width)
    keep_selection_in_view (self, width);
  self->view_width = width;
  if (height != self->view_height)
    {
      self->view_height = height;
      self->rows_valid = FALSE;
      if (self->lanes_tick == 0)
        self->lanes_tick = gtk_widget_add_tick_callback (widget, show_lanes_tick, NULL, NULL);
    }
  configure_adjustments (self);
  scope_timeline_allocate_words (self, width, height);
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

  stop_easing (self);
  if (self->lanes_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->lanes_tick);
  self->lanes_tick = 0;
  g_clear_handle_id (&self->accessible_timeout, g_source_remove);
  g_clear_handle_id (&self->waiting_timeout, g_source_remove);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  if (self->recorder != NULL)
    g_signal_handlers_disconnect_by_data (self->recorder, self);
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_clear_object (&self->stream);
  g_clear_object (&self->recorder);
  scope_timeline_dispose_actions (self);
  scope_timeline_dispose_words (self);

  G_OBJECT_CLASS (scope_timeline_parent_class)->dispose (object);
}

static void
scope_timeline_finalize (GObject *object)
{
  ScopeTimeline *self = SCOPE_TIMELINE (object);

  g_array_unref (self->row_tops);
  g_array_unref (self->row_folded);
  g_array_unref (self->row_strips);
  g_hash_table_unref (self->unfolded);
  g_hash_table_unref (self->measured);
  scope_timeline_fan_clear (self);

  G_OBJECT_CLASS (scope_timeline_parent_class)->finalize (object);
}

static void
scope_timeline_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (scope_timeline_parent_class)->css_changed (widget, change);

  scope_timeline_invalidate_palette (SCOPE_TIMELINE (widget));
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
  widget_class->query_tooltip = scope_timeline_query_tooltip;
  widget_class->css_changed = scope_timeline_css_changed;

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
    g_param_spec_double ("scale", NULL, NULL, SCOPE_TIMELINE_MIN_SCALE, SCOPE_TIMELINE_MAX_SCALE, 1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  scope_timeline_class_init_actions (widget_class);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
scope_timeline_init (ScopeTimeline *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  self->scale = 1;
  self->selected = SCOPE_TIMELINE_NOT_SELECTED;
  self->follow = TRUE;
  self->exchange = TRUE;
  self->lane_height = scope_timeline_metrics (FALSE).lane_height;
  self->labels = g_ptr_array_new ();
  self->row_tops = g_array_new (FALSE, TRUE, sizeof (double));
  self->row_folded = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->row_strips = g_array_new (FALSE, TRUE, sizeof (double));
  self->unfolded = g_hash_table_new (NULL, NULL);
  self->measured = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline of socket events"), -1);

  /* The palette's variant follows the style manager as well as the CSS. */
  g_signal_connect_object (style, "notify::dark", G_CALLBACK (scope_timeline_invalidate_palette),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (style, "notify::high-contrast",
                           G_CALLBACK (scope_timeline_invalidate_palette), self,
                           G_CONNECT_SWAPPED);

  scope_timeline_init_input (self);
  scope_timeline_init_actions (self);
}

GtkWidget *
scope_timeline_new (void)
{
  return g_object_new (SCOPE_TYPE_TIMELINE, NULL);
}
