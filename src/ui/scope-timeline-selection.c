/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-timeline-private.h"

/* The selection layer: a ring under the selected event's mark, and a
 * fainter one under each mark its bytes are linked to, drawn before the
 * marks so that the marks stay whole above them. Marks in a dense lane
 * are not drawn one by one, and neither are their rings. */

static gboolean
is_drawn_alone (ScopeTimeline *self,
                guint64        index,
                double         width)
{
  ScopeRecord record;
  guint lo, hi;

  if (!scope_recorder_get_record (self->recorder, index, &record))
    return FALSE;
  return !scope_timeline_lane_range (self, scope_timeline_lane_of_socket (self, record.socket_id),
                                     width, &lo, &hi)
         && !scope_timeline_record_grouped (self, &record, NULL);
}

static void
draw_ring (ScopeTimelinePainter *painter,
           guint64               index,
           gboolean              selected)
{
  ScopeRecord record;
  graphene_rect_t b;
  GdkRGBA faint = scope_timeline_with_alpha (painter->p->accent, 0.7);
  double grow;

  if (!is_drawn_alone (painter->self, index, painter->width))
    return;
  scope_recorder_get_record (painter->self->recorder, index, &record);
  /* A glyph of no bytes is only ever selected, never linked. */
  if (!scope_timeline_record_is_bar (&record) && !selected)
    return;
  scope_timeline_record_bounds (painter->self, &record, &b);
  /* And the glyph's ink where it leaves its square: a zero-byte read's
   * circle hangs below the line, a close's bar reaches twice as far (the
   * ring sat over half the circle, the twenty-first trial) */
  if (!scope_timeline_record_is_bar (&record))
    {
      graphene_rect_t ink;

      scope_timeline_mark_ink (painter->m, &record, scope_timeline_record_x (painter->self, &record),
                               scope_timeline_row_middle (painter->self,
                                                          scope_timeline_lane_of_socket (
                                                            painter->self, record.socket_id)),
                               &ink);
      graphene_rect_union (&b, &ink, &b);
    }
  grow = scope_timeline_record_is_bar (&record) ? 3 : 2;
  scope_timeline_painter_rect (painter, selected ? &painter->p->accent : &faint,
                               b.origin.x - grow, b.origin.y - grow,
                               b.size.width + 2 * grow, b.size.height + 2 * grow);
}

void
scope_timeline_selection_snapshot (ScopeTimelinePainter *painter)
{
  ScopeTimeline *self = painter->self;
  GArray *links = painter->selected_links;

  if (self->selected == SCOPE_TIMELINE_NOT_SELECTED)
    return;
  for (guint k = 0; links != NULL && k < links->len; k++)
    {
      ScopeTimelineLink *link = &g_array_index (links, ScopeTimelineLink, k);

      if ((gint64) link->send_index != self->selected)
        draw_ring (painter, link->send_index, FALSE);
      if ((gint64) link->recv_index != self->selected)
        draw_ring (painter, link->recv_index, FALSE);
    }
  draw_ring (painter, (guint64) self->selected, TRUE);
}
