/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scope-timeline-private.h"

/* The shape of every mark, in one place: painting, the bounds the tests
 * and the selection ring use, and how far a click reaches all read it. A
 * send or receive with bytes is a bar, up for sends and down for receives;
 * every other event is a glyph of the table below. A new glyph is a row of
 * the table and a path. */

typedef enum
{
  INK_FG,
  INK_ERROR,
  INK_DIRECTION,   /* the send's or the receive's colour */
} Ink;

typedef struct
{
  Ink    ink;
  double alpha;
  double line;         /* line widths to stroke with; 0 fills */
  double half_width;   /* in units of the glyph's radius, plus pixels */
  double half_extra;
  void (*path) (cairo_t *cr, ScopeEventKind kind, double x, double mid, double r);
} Glyph;

static void
path_square (cairo_t *cr, ScopeEventKind kind, double x, double mid, double r)
{
  cairo_rectangle (cr, x - r, mid - r, 2 * r, 2 * r);
}

static void
path_diamond (cairo_t *cr, ScopeEventKind kind, double x, double mid, double r)
{
  cairo_move_to (cr, x, mid - r);
  cairo_line_to (cr, x + r, mid);
  cairo_line_to (cr, x, mid + r);
  cairo_line_to (cr, x - r, mid);
  cairo_close_path (cr);
}

static void
path_dot (cairo_t *cr, ScopeEventKind kind, double x, double mid, double r)
{
  cairo_arc (cr, x, mid, r / 2.5, 0, 2 * G_PI);
}

/* Half a door: the way out closed on one side. */
static void
path_shutdown (cairo_t *cr, ScopeEventKind kind, double x, double mid, double r)
{
  cairo_move_to (cr, x, mid - 2 * r);
  cairo_line_to (cr, x, mid);
  cairo_line_to (cr, x - r, mid);
}

static void
path_close (cairo_t *cr, ScopeEventKind kind, double x, double mid, double r)
{
  cairo_move_to (cr, x, mid - 2 * r);
  cairo_line_to (cr, x, mid + 2 * r);
}

static void
path_warning (cairo_t *cr, ScopeEventKind kind, double x, double mid, double r)
{
  cairo_move_to (cr, x, mid - r - 2);
  cairo_line_to (cr, x + r + 2, mid + r);
  cairo_line_to (cr, x - r - 2, mid + r);
  cairo_close_path (cr);
}

static void
path_cross (cairo_t *cr, ScopeEventKind kind, double x, double mid, double r)
{
  cairo_move_to (cr, x - r, mid - r);
  cairo_line_to (cr, x + r, mid + r);
  cairo_move_to (cr, x + r, mid - r);
  cairo_line_to (cr, x - r, mid + r);
}

/* No bytes: a ring, on the side its bar would be on; the receive of none
 * says the peer is done. */
static void
path_ring (cairo_t *cr, ScopeEventKind kind, double x, double mid, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, mid + (scope_event_kind_is_receive (kind) ? r : -r), r - 1, 0, 2 * G_PI);
}

static const Glyph ring = { INK_DIRECTION, 1, 1, 1, 0, path_ring };

static const Glyph *
glyph_of (ScopeEventKind kind)
{
  static const Glyph listen = { INK_FG, 1, 1, 1, 0, path_square };
  static const Glyph begin = { INK_FG, 1, 0, 1, 0, path_diamond };
  static const Glyph readable = { INK_FG, 0.6, 0, 0.4, 0, path_dot };
  static const Glyph shutdown = { INK_FG, 1, 1, 1, 0, path_shutdown };
  static const Glyph close = { INK_FG, 1, 2, 0, 0, path_close };
  static const Glyph error = { INK_ERROR, 1, 0, 1, 2, path_warning };
  static const Glyph refused = { INK_ERROR, 1, 2, 1, 0, path_cross };

  switch (kind)
    {
    case SCOPE_EVENT_LISTEN:
    case SCOPE_EVENT_BIND:
      return &listen;
    case SCOPE_EVENT_ACCEPT:
    case SCOPE_EVENT_CONNECT:
      return &begin;
    case SCOPE_EVENT_READABLE:
      return &readable;
    case SCOPE_EVENT_SHUTDOWN:
      return &shutdown;
    case SCOPE_EVENT_CLOSE:
      return &close;
    case SCOPE_EVENT_ERROR:
      return &error;
    case SCOPE_EVENT_REFUSED:
      return &refused;
    case SCOPE_EVENT_SEND:
    case SCOPE_EVENT_SENDTO:
    case SCOPE_EVENT_RECV:
    case SCOPE_EVENT_RECVFROM:
    case SCOPE_EVENT_N_KINDS:
    default:
      return &ring;
    }
}

static double
glyph_radius (const ScopeTimelineMetrics *m)
{
  return m->mark_width + 1;
}

/* The byte count on a log scale: a byte is seen, 64 KiB fills the half. */
double
scope_timeline_bar_height (const ScopeTimelineMetrics *m,
                           guint64                     bytes)
{
  double fraction = MIN (1.0, log2 ((double) bytes + 1) / 16.0);

  return m->min_bar + (m->half_height - m->min_bar) * fraction;
}

gboolean
scope_timeline_record_is_bar (const ScopeRecord *record)
{
  return (scope_event_kind_is_send (record->kind) || scope_event_kind_is_receive (record->kind))
         && record->size > 0;
}

/* Where a mark is drawn for an event at @x in a lane whose middle is
 * @mid. A glyph's bounds are the square its radius spans. */
void
scope_timeline_mark_bounds (const ScopeTimelineMetrics *m,
                            const ScopeRecord          *record,
                            double                      x,
                            double                      mid,
                            graphene_rect_t            *bounds)
{
  double r = glyph_radius (m);

  if (scope_timeline_record_is_bar (record))
    {
      double h = scope_timeline_bar_height (m, record->size);

      graphene_rect_init (bounds, x - m->mark_width / 2,
                          scope_event_kind_is_send (record->kind) ? mid - h : mid,
                          m->mark_width, h);
    }
  else
    graphene_rect_init (bounds, x - r, mid - r, 2 * r, 2 * r);
}

/* How far from an event's time a pointer still touches its mark: the
 * widest glyph's half, and a pixel. */
double
scope_timeline_mark_reach (const ScopeTimelineMetrics *m)
{
  static const ScopeEventKind kinds[] = {
    SCOPE_EVENT_LISTEN, SCOPE_EVENT_ACCEPT, SCOPE_EVENT_READABLE, SCOPE_EVENT_SHUTDOWN,
    SCOPE_EVENT_CLOSE, SCOPE_EVENT_ERROR, SCOPE_EVENT_REFUSED, SCOPE_EVENT_SEND,
  };
  double r = glyph_radius (m);
  double widest = m->mark_width / 2;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const Glyph *glyph = glyph_of (kinds[i]);

      widest = MAX (widest, glyph->half_width * r + glyph->half_extra);
    }
  return widest + 1;
}

void
scope_timeline_draw_glyph (cairo_t                    *cr,
                           const ScopeTimelineMetrics *m,
                           const ScopeTimelinePalette *p,
                           ScopeEventKind              kind,
                           double                      x,
                           double                      mid)
{
  const Glyph *glyph = glyph_of (kind);
  const GdkRGBA *ink;

  switch (glyph->ink)
    {
    case INK_ERROR:
      ink = &p->error;
      break;
    case INK_DIRECTION:
      ink = scope_event_kind_is_send (kind) ? &p->send : &p->recv;
      break;
    case INK_FG:
    default:
      ink = &p->fg;
      break;
    }
  cairo_save (cr);
  scope_timeline_set_source (cr, ink, glyph->alpha);
  glyph->path (cr, kind, x, mid, glyph_radius (m));
  if (glyph->line > 0)
    {
      cairo_set_line_width (cr, glyph->line * m->line_width);
      cairo_stroke (cr);
    }
  else
    cairo_fill (cr);
  cairo_restore (cr);
}

/* The ink of a glyph centred at 0, 0, as cairo strokes or fills its own
 * path: the close's bar reaches twice the radius up and down, a ring sits
 * on its bar's side, which the square of scope_timeline_mark_bounds(), a
 * click's target, does not say. Read from the path itself, so that a new
 * glyph brings its box with it; kept per kind until the metrics change. */
static void
glyph_ink (const ScopeTimelineMetrics *m,
           ScopeEventKind              kind,
           graphene_rect_t            *ink)
{
  static graphene_rect_t known[SCOPE_EVENT_N_KINDS + 1];
  static gboolean valid[SCOPE_EVENT_N_KINDS + 1];
  static double known_width, known_line;
  const Glyph *glyph = glyph_of (kind);
  guint slot = MIN ((guint) kind, SCOPE_EVENT_N_KINDS);
  cairo_surface_t *surface;
  cairo_t *cr;
  double x0, y0, x1, y1;

  if (known_width != m->mark_width || known_line != m->line_width)
    {
      memset (valid, 0, sizeof valid);
      known_width = m->mark_width;
      known_line = m->line_width;
    }
  if (!valid[slot])
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
      cr = cairo_create (surface);
      glyph->path (cr, kind, 0, 0, glyph_radius (m));
      if (glyph->line > 0)
        {
          cairo_set_line_width (cr, glyph->line * m->line_width);
          cairo_stroke_extents (cr, &x0, &y0, &x1, &y1);
        }
      else
        cairo_fill_extents (cr, &x0, &y0, &x1, &y1);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      graphene_rect_init (&known[slot], x0, y0, x1 - x0, y1 - y0);
      valid[slot] = TRUE;
    }
  *ink = known[slot];
}

/* Where a mark's ink lies for an event at @x in a lane whose middle is
 * @mid: a bar's rectangle, a glyph's drawn shape. What words keep clear
 * of. */
void
scope_timeline_mark_ink (const ScopeTimelineMetrics *m,
                         const ScopeRecord          *record,
                         double                      x,
                         double                      mid,
                         graphene_rect_t            *ink)
{
  if (scope_timeline_record_is_bar (record))
    {
      scope_timeline_mark_bounds (m, record, x, mid, ink);
      return;
    }
  glyph_ink (m, record->kind, ink);
  graphene_rect_offset (ink, x, mid);
}

/* A receive whose bytes waited in the receive buffer: from where its first
 * bytes arrived to its bar, read later; as tall as the bar. */
gboolean
scope_timeline_whisker_bounds (ScopeTimeline         *self,
                               const ScopeRecord     *record,
                               const graphene_rect_t *bar,
                               graphene_rect_t       *whisker)
{
  double x;

  if (!scope_timeline_record_is_bar (record) || !scope_event_kind_is_receive (record->kind)
      || record->arrived_us < 0)
    return FALSE;
  x = scope_timeline_time_to_x (self, scope_record_first_arrival (record));
  /* Whether the bytes waited, from the times: a bar laid past its time
   * beside the marks before it (scope-timeline-fan.c) did not make them
   * wait (the review) */
  if (x >= scope_timeline_time_to_x (self, record->time_us) - bar->size.width / 2 - 1)
    return FALSE;
  graphene_rect_init (whisker, x, bar->origin.y, bar->origin.x - x, bar->size.height);
  return TRUE;
}

/* An event's mark alone (a receive's bar) as the view draws it now. */
void
scope_timeline_record_mark_bounds (ScopeTimeline     *self,
                                   const ScopeRecord *record,
                                   graphene_rect_t   *bounds)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  guint row = scope_timeline_lane_of_socket (self, record->socket_id);

  scope_timeline_mark_bounds (&m, record, scope_timeline_record_x (self, record),
                              scope_timeline_row_middle (self, row), bounds);
}

/* The same with a receive's whisker, so that a click on the whisker picks
 * the receive, the selection's ring holds both, and its bands come to
 * where the bytes arrived. */
void
scope_timeline_record_bounds (ScopeTimeline     *self,
                              const ScopeRecord *record,
                              graphene_rect_t   *bounds)
{
  graphene_rect_t whisker;

  scope_timeline_record_mark_bounds (self, record, bounds);
  if (scope_timeline_whisker_bounds (self, record, bounds, &whisker))
    graphene_rect_union (bounds, &whisker, bounds);
}
