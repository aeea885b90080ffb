/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-timeline-private.h"

/* The links layer: a band from the bytes a send put in the stream to the
 * receive that took them out, for each link of the stream model. A band
 * leaves the send's bar at its share of the send's bytes and reaches the
 * receive's at its share of the receive's: a receive that took two sends
 * shows two bands stacked, a send read in three shows three. */

static double
fraction (guint64 part,
          guint64 whole,
          double  otherwise)
{
  return whole ? (double) part / whole : otherwise;
}

/* Where a band reaches the receive: where its bytes arrived. A receive
 * that took segments which came apart (S14: "Hi!", a second later "Hope
 * you're well") spans their arrivals: each send's bytes came after it
 * was sent, and neither before the first segment nor after the last; so
 * "Hi!" does not look as if it took a second on loopback. Without a
 * whisker, at the bar. */
static double
band_end_x (ScopeTimeline         *self,
            const ScopeRecord     *send,
            const ScopeRecord     *recv,
            const graphene_rect_t *r)
{
  graphene_rect_t bar, whisker;
  double x;

  scope_timeline_record_mark_bounds (self, recv, &bar);
  if (!scope_timeline_whisker_bounds (self, recv, &bar, &whisker))
    return r->origin.x;
  x = scope_timeline_time_to_x (self, CLAMP (send->time_us, scope_record_first_arrival (recv),
                                             recv->arrived_us));
  return CLAMP (x, whisker.origin.x, bar.origin.x);
}

static ScopeTimelineLink
link_geometry (ScopeTimeline         *self,
               const ScopeStreamLink *link)
{
  ScopeTimelineLink band;
  ScopeRecord send, recv;
  graphene_rect_t s, r;
  double recv_x;

  scope_recorder_get_record (self->recorder, link->send_index, &send);
  scope_recorder_get_record (self->recorder, link->recv_index, &recv);
  scope_timeline_record_bounds (self, &send, &s);
  scope_timeline_record_bounds (self, &recv, &r);

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
  recv_x = band_end_x (self, &send, &recv, &r);
  band.recv_top = GRAPHENE_POINT_INIT (recv_x,
                                       r.origin.y + r.size.height
                                                    * fraction (link->recv_start, recv.size, 0));
  band.recv_bottom = GRAPHENE_POINT_INIT (recv_x,
                                          r.origin.y + r.size.height
                                                       * fraction (link->recv_start + link->size,
                                                                   recv.size, 1));
  return band;
}

/* The bands of one send or receive, appended to @bands; @links is room
 * for the model's links, reused from call to call. */
void
scope_timeline_collect_links (ScopeTimeline *self,
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
    scope_timeline_collect_links (self, index, links, bands);
  return bands;
}

/* The band's curves: from the send's edge, level, to the receive's, level
 * again, through the middle between them. */
static graphene_point_t
band_point (const graphene_point_t *from,
            const graphene_point_t *to,
            double                  mx,
            double                  t)
{
  double u = 1 - t;

  return GRAPHENE_POINT_INIT (u * u * u * from->x + 3 * u * t * mx + t * t * t * to->x,
                              (u * u * u + 3 * u * u * t) * from->y
                              + (3 * u * t * t + t * t * t) * to->y);
}

#define BAND_INK_PIECES 8

/* The ink of a band, as BAND_INK_PIECES boxes along it, each holding
 * both its edges: the counts keep clear of it, as of a mark (S11's "41"
 * lay under the band leaving its send). */
void
scope_timeline_band_ink (const ScopeTimelineLink *link,
                         double                   line_width,
                         GArray                  *ink)
{
  double mx = (link->send_top.x + link->recv_top.x) / 2;

  for (guint k = 0; k < BAND_INK_PIECES; k++)
    {
      double t0 = (double) k / BAND_INK_PIECES, t1 = (double) (k + 1) / BAND_INK_PIECES;
      graphene_point_t p[] = {
        band_point (&link->send_top, &link->recv_top, mx, t0),
        band_point (&link->send_top, &link->recv_top, mx, t1),
        band_point (&link->send_bottom, &link->recv_bottom, mx, t0),
        band_point (&link->send_bottom, &link->recv_bottom, mx, t1),
      };
      double x0 = p[0].x, x1 = p[0].x, y0 = p[0].y, y1 = p[0].y;
      graphene_rect_t box;

      for (guint i = 1; i < G_N_ELEMENTS (p); i++)
        {
          x0 = MIN (x0, p[i].x);
          x1 = MAX (x1, p[i].x);
          y0 = MIN (y0, p[i].y);
          y1 = MAX (y1, p[i].y);
        }
      graphene_rect_init (&box, x0 - line_width / 2, y0 - line_width / 2, x1 - x0 + line_width,
                          y1 - y0 + line_width);
      g_array_append_val (ink, box);
    }
}

static void
draw_band (ScopeTimelinePainter    *painter,
           const ScopeTimelineLink *link,
           const GdkRGBA           *color)
{
  cairo_t *cr = scope_timeline_painter_cairo (painter);
  double mx = (link->send_top.x + link->recv_top.x) / 2;

  scope_timeline_set_source (cr, color, 1);
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

static gboolean
is_chosen (ScopeTimeline           *self,
           const ScopeTimelineLink *link)
{
  return self->selected != SCOPE_TIMELINE_NOT_SELECTED
         && ((gint64) link->send_index == self->selected
             || (gint64) link->recv_index == self->selected);
}

static gboolean
receiver_folded (ScopeTimeline           *self,
                 const ScopeTimelineLink *link)
{
  ScopeRecord recv;

  return scope_recorder_get_record (self->recorder, link->recv_index, &recv)
         && scope_timeline_row_is_folded (self, scope_timeline_lane_of_socket (self,
                                                                              recv.socket_id));
}

/* Bands for the sends on screen, and for those a screen before, whose
 * bytes may arrive on screen; at most SCOPE_TIMELINE_MAX_LINKS_DRAWN of
 * them. Dense lanes draw no bands: they would be a smear. */
void
scope_timeline_links_snapshot (ScopeTimelinePainter *painter)
{
  ScopeTimeline *self = painter->self;
  const ScopeTimelineMetrics *m = painter->m;
  double width = painter->width;
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (ScopeStreamLink));
  g_autoptr(GArray) bands = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineLink));
  double from = scope_timeline_x_to_time (self, -width);
  double to = scope_timeline_x_to_time (self, width + m->mark_width);
  guint n_drawn = 0;

  for (guint row = 0; row < scope_timeline_get_n_lanes (self); row++)
    {
      guint lo = scope_timeline_lane_find_time (self, row, from);
      guint hi = scope_timeline_lane_find_time (self, row, to);

      /* Nor bands to or from a folded strip: squashed to its 12 px, they
       * were smears crossing the lanes' names (the seventh trial); a
       * click on the strip opens it with its bands. */
      if (scope_stream_get_lane_n_sends (self->stream, row) == 0
          || (hi - lo) * (m->mark_width + 2) > 2 * width
          || scope_timeline_row_is_folded (self, row))
        continue;
      for (guint i = lo; i < hi && n_drawn < SCOPE_TIMELINE_MAX_LINKS_DRAWN; i++)
        {
          ScopeRecord record;

          scope_recorder_get_record (self->recorder, scope_timeline_lane_event (self, row, i),
                                     &record);
          if (!scope_event_kind_is_send (record.kind) || record.size == 0)
            continue;
          g_array_set_size (bands, 0);
          scope_timeline_collect_links (self, record.index, links, bands);
          for (guint k = 0; k < bands->len; k++)
            {
              ScopeTimelineLink *link = &g_array_index (bands, ScopeTimelineLink, k);

              if (MAX (link->recv_top.x, link->send_top.x) < 0
                  || MIN (link->recv_top.x, link->send_top.x) > width
                  || receiver_folded (self, link))
                continue;
              draw_band (painter, link,
                         is_chosen (self, link) ? &painter->p->link_selected : &painter->p->link);
              n_drawn++;
            }
        }
    }
  scope_timeline_painter_end_cairo (painter);
}
