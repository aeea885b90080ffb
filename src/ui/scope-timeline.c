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

#include "scope-describe.h"
#include "scope-export.h"
#include "scope-timeline.h"

/* The timeline: one lane per socket, time running left to right, every
 * send and receive a bar whose height grows with its bytes (sends up from
 * the lane's middle, receives down), and bands from the bytes a send put in
 * the stream to the receives that took them out.
 *
 * It draws the stream model (scope-stream.c): the lanes, their events and
 * the links are the model's; this file turns them into pixels. The snapshot
 * costs what the screen holds, not what the recorder holds: the events on
 * screen are found by binary search, and where more of them fall on screen
 * than there are places for bars, each few pixels draw one bar for all the
 * events they hold, from two lookups. */

#define MAX_LINKS_DRAWN  4000
#define MIN_SCALE        0.01          /* µs per pixel */
#define MAX_SCALE        1e10
#define NOT_SELECTED     (-1)

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
  ScopeStream   *stream;
  guint          measured_rows;   /* the lanes the last measure counted */
  gint64         end_us;          /* the last event's time, or where recording stopped */

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

/* The model */

static guint
n_lanes (ScopeTimeline *self)
{
  return self->stream ? scope_stream_get_n_lanes (self->stream) : 0;
}

static guint64
n_events (ScopeTimeline *self)
{
  return self->stream ? scope_stream_get_n_events (self->stream) : 0;
}

static guint64
lane_event (ScopeTimeline *self,
            guint          row,
            guint          position)
{
  return scope_stream_get_lane_event (self->stream, row, position);
}

/* The first of a lane's events at or after @time_us. */
static guint
lane_find_time (ScopeTimeline *self,
                guint          row,
                double         time_us)
{
  return scope_stream_find_lane_time (self->stream, row, time_us);
}

static guint
lane_of_socket (ScopeTimeline *self,
                guint          socket_id)
{
  guint lane = 0;

  scope_stream_get_socket_lane (self->stream, socket_id, &lane);
  return lane;
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

/* The model took in new sockets or events. */
static void
on_stream_updated (ScopeTimeline *self)
{
  self->end_us = MAX (self->end_us, scope_stream_get_end_us (self->stream));
  apply_follow (self);
  configure_adjustments (self);
  /* The height asked for follows the lanes alone: new events on the lanes
   * there are only need drawing, not a new layout of the whole page,
   * which under load would be most of each frame. */
  if (n_lanes (self) != self->measured_rows)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
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

static gint64
event_time (ScopeTimeline *self,
            guint64        index)
{
  return scope_recorder_get_time_us (self->recorder, index);
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
  return scope_event_kind_is_send (kind);
}

static gboolean
is_recv (ScopeEventKind kind)
{
  return scope_event_kind_is_receive (kind);
}

static void
record_bounds (ScopeTimeline     *self,
               const ScopeRecord *record,
               graphene_rect_t   *bounds)
{
  Metrics m = get_metrics (self);
  double x = scope_timeline_time_to_x (self, record->time_us);
  double mid = row_middle (self, lane_of_socket (self, record->socket_id));

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

  if (index >= n_events (self) || !scope_recorder_get_record (self->recorder, index, &record))
    return FALSE;
  record_bounds (self, &record, bounds);
  return TRUE;
}

static double
fraction (guint64 part,
          guint64 whole,
          double  otherwise)
{
  return whole ? (double) part / whole : otherwise;
}

/* A link of the model as a band: from its share of the send's bar to its
 * share of the receive's. */
static ScopeTimelineLink
link_geometry (ScopeTimeline         *self,
               const ScopeStreamLink *link)
{
  ScopeTimelineLink band;
  ScopeRecord send, recv;
  graphene_rect_t s, r;

  scope_recorder_get_record (self->recorder, link->send_index, &send);
  scope_recorder_get_record (self->recorder, link->recv_index, &recv);
  record_bounds (self, &send, &s);
  record_bounds (self, &recv, &r);

  band.send_index = link->send_index;
  band.recv_index = link->recv_index;
  band.stream_offset = link->stream_offset;
  band.size = link->size;
  band.send_top = GRAPHENE_POINT_INIT (s.origin.x + s.size.width,
                                       s.origin.y + s.size.height
                                                    * fraction (link->send_start, send.size, 0));
  band.send_bottom = GRAPHENE_POINT_INIT (s.origin.x + s.size.width,
                                          s.origin.y + s.size.height
                                                       * fraction (link->send_start + link->size,
                                                                   send.size, 1));
  band.recv_top = GRAPHENE_POINT_INIT (r.origin.x,
                                       r.origin.y + r.size.height
                                                    * fraction (link->recv_start, recv.size, 0));
  band.recv_bottom = GRAPHENE_POINT_INIT (r.origin.x,
                                          r.origin.y + r.size.height
                                                       * fraction (link->recv_start + link->size,
                                                                   recv.size, 1));
  return band;
}

/* The bands of one send or receive, appended to @bands. */
static void
collect_links (ScopeTimeline *self,
               guint64        index,
               GArray        *links,
               GArray        *bands)
{
  g_array_set_size (links, 0);
  scope_stream_collect_links (self->stream, index, links);
  for (guint i = 0; i < links->len; i++)
    {
      ScopeTimelineLink band = link_geometry (self,
                                              &g_array_index (links, ScopeStreamLink, i));

      g_array_append_val (bands, band);
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
  GArray *bands = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineLink));
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (ScopeStreamLink));

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), bands);

  if (self->stream != NULL)
    collect_links (self, index, links, bands);
  return bands;
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
  Metrics m;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);

  if (row >= n_lanes (self))
    return FALSE;
  m = get_metrics (self);
  graphene_rect_init (area, 0, row_top (self, row), gtk_widget_get_width (GTK_WIDGET (self)),
                      m.lane_height);
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
                 guint    row,
                 guint    lo,
                 guint    hi,
                 double   width)
{
  ScopeTimeline *self = painter->self;
  const Metrics *m = painter->m;
  double step = m->mark_width;
  double mid = row_middle (self, row);
  guint i = lo;
  guint64 sent_before, received_before;

  /* Each column's bytes: where the lane's streams stand at its end, less
   * where they stood at its start, the end of the column before. */
  scope_stream_get_lane_position (self->stream, row, lo, &sent_before, &received_before);
  while (i < hi)
    {
      double x = scope_timeline_time_to_x (self, event_time (self, lane_event (self, row, i)));
      double column = floor (x / step) * step;
      guint j = MIN (hi, lane_find_time (self, row,
                                         scope_timeline_x_to_time (self, column + step)));
      guint64 sent_after, received_after, sent, received;

      j = MAX (j, i + 1);
      scope_stream_get_lane_position (self->stream, row, j, &sent_after, &received_after);
      sent = sent_after - sent_before;
      received = received_after - received_before;
      sent_before = sent_after;
      received_before = received_after;
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
           guint     row,
           double    width,
           GArray   *selected_links)
{
  ScopeTimeline *self = painter->self;
  const Metrics *m = painter->m;
  const ScopeSocketInfo *info =
    scope_recorder_get_socket (self->recorder, scope_stream_get_lane_socket (self->stream, row));
  double top = row_top (self, row);
  double mid = row_middle (self, row);
  double x0 = MAX (-10, scope_timeline_time_to_x (self, info->opened_us));
  double x1 = MIN (width + 10, scope_timeline_time_to_x (self, info->closed_us >= 0
                                                               ? info->closed_us
                                                               : self->end_us));
  double margin = (m->mark_width + 4) * self->scale;
  guint lo = lane_find_time (self, row, scope_timeline_x_to_time (self, 0) - margin);
  guint hi = lane_find_time (self, row, scope_timeline_x_to_time (self, width) + margin);

  if (row % 2 == 0)
    append_rect (painter->snapshot, &painter->p->lane, 0, top, width, m->lane_height);
  if (x1 > x0)
    append_rect (painter->snapshot, &painter->p->grid, x0, mid - m->line_width / 2, x1 - x0,
                 m->line_width);

  if ((hi - lo) * (m->mark_width + 2) > width)
    {
      draw_lane_dense (painter, row, lo, hi, width);
      return;
    }

  for (guint i = lo; i < hi; i++)
    {
      ScopeRecord record;
      gboolean linked = FALSE;

      scope_recorder_get_record (self->recorder, lane_event (self, row, i), &record);
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
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (ScopeStreamLink));
  g_autoptr(GArray) bands = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineLink));
  double from = scope_timeline_x_to_time (self, -width);
  double to = scope_timeline_x_to_time (self, width + m->mark_width);

  for (guint row = 0; row < n_lanes (self); row++)
    {
      guint lo = lane_find_time (self, row, from);
      guint hi = lane_find_time (self, row, to);

      /* Dense lanes draw no bands: they would be a smear. */
      if (scope_stream_get_lane_n_sends (self->stream, row) == 0
          || (hi - lo) * (m->mark_width + 2) > 2 * width)
        continue;
      for (guint i = lo; i < hi && painter->n_links < MAX_LINKS_DRAWN; i++)
        {
          ScopeRecord record;

          scope_recorder_get_record (self->recorder, lane_event (self, row, i), &record);
          if (!is_send (record.kind) || record.size == 0)
            continue;
          g_array_set_size (bands, 0);
          collect_links (self, record.index, links, bands);
          for (guint k = 0; k < bands->len; k++)
            {
              ScopeTimelineLink *link = &g_array_index (bands, ScopeTimelineLink, k);
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
  if (n_lanes (self) > 0 && row_top (self, 0) + m->lane_height > m->axis_height)
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

  if (n_lanes (self) == 0)
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
  for (guint row = 0; row < n_lanes (self); row++)
    {
      double top = row_top (self, row);

      if (top + m.lane_height < m.axis_height || top > height)
        continue;
      draw_lane (&painter, row, width, selected_links);
    }
  g_clear_pointer (&painter.cr, cairo_destroy);
  draw_stop_mark (self, snapshot, &m, &p, width, height);

  for (guint row = 0; row < n_lanes (self); row++)
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
      double lanes = m.axis_height + n_lanes (self) * m.lane_height;
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

  if (self->vadjustment != NULL)
    {
      double top = row_top (self, lane_of_socket (self, record.socket_id)) + vscroll (self)
                   - m.axis_height;
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

  if (index < 0 || (guint64) index >= n_events (self))
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

  if (y < m.axis_height || offset < 0 || offset >= n_lanes (self) * m.lane_height)
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
  double reach;
  guint lo, hi;
  gint64 best = NOT_SELECTED;
  double best_distance = G_MAXDOUBLE;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NOT_SELECTED);

  row = row_at (self, y);
  if (row < 0 || self->recorder == NULL)
    return NOT_SELECTED;
  m = get_metrics (self);
  reach = m.mark_width + 4;
  lo = lane_find_time (self, row, scope_timeline_x_to_time (self, x - reach));
  hi = lane_find_time (self, row, scope_timeline_x_to_time (self, x + reach));
  /* Of many in a few pixels, the ones nearest the middle of the range. */
  if (hi - lo > 64)
    {
      guint centre = lane_find_time (self, row, scope_timeline_x_to_time (self, x));

      lo = MAX (lo, centre > 32 ? centre - 32 : 0);
      hi = MIN (hi, centre + 32);
    }
  for (guint i = lo; i < hi; i++)
    {
      guint64 index = lane_event (self, row, i);
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

  for (guint row = 0; row < n_lanes (self); row++)
    {
      guint n = scope_stream_get_lane_n_events (self->stream, row);
      guint i = lane_find_time (self, row, left);

      if (i < n)
        return lane_event (self, row, i);
      if (n > 0 && best == NOT_SELECTED)
        best = lane_event (self, row, n - 1);
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
  guint row;
  guint i = 0;

  if (self->selected == NOT_SELECTED)
    {
      scope_timeline_set_selected (self, first_visible_event (self));
      return TRUE;
    }
  scope_recorder_get_record (self->recorder, (guint64) self->selected, &record);
  row = lane_of_socket (self, record.socket_id);
  scope_stream_find_lane_event (self->stream, row, record.index, &i);
  if (step < 0 && i > 0)
    scope_timeline_set_selected (self, lane_event (self, row, i - 1));
  else if (step > 0 && i + 1 < scope_stream_get_lane_n_events (self->stream, row))
    scope_timeline_set_selected (self, lane_event (self, row, i + 1));
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
  row = (int) lane_of_socket (self, record.socket_id);
  for (row += step; row >= 0 && row < (int) n_lanes (self); row += step)
    {
      guint n = scope_stream_get_lane_n_events (self->stream, row);
      guint i;

      if (n == 0)
        continue;
      i = lane_find_time (self, row, record.time_us);
      if (i == n)
        i--;
      else if (i > 0
               && record.time_us - event_time (self, lane_event (self, row, i - 1))
                  < event_time (self, lane_event (self, row, i)) - record.time_us)
        i--;
      scope_timeline_set_selected (self, lane_event (self, row, i));
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

  if (n_events (self) == 0)
    return TRUE;
  scope_timeline_set_selected (self, last ? (gint64) n_events (self) - 1 : 0);
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
      *natural = (int) (m.axis_height + MAX (n_lanes (self), 2) * m.lane_height);
      self->measured_rows = n_lanes (self);
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
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_clear_object (&self->stream);
  g_clear_object (&self->recorder);

  G_OBJECT_CLASS (scope_timeline_parent_class)->dispose (object);
}

static void
scope_timeline_class_init (ScopeTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_timeline_dispose;
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
