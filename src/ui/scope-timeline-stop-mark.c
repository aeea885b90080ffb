/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-timeline-private.h"

/* The stop layer: where recording stopped at a limit. Its label goes
 * where it fits and covers no lane's name. */

/* A label for a line at @x: to its right if it fits there, else to its
 * left, never past the left edge. */
double
scope_timeline_place_beside (double x,
                             double label_width,
                             double width)
{
  return x + 6 + label_width <= width ? x + 6 : MAX (0, x - 6 - label_width);
}

/* Where recording stopped at a limit: a line across every lane, and what
 * it means above them. Nothing after it is on the timeline, and the
 * timeline says so rather than looking like a quiet session. */
void
scope_timeline_stop_mark_snapshot (ScopeTimelinePainter *painter)
{
  ScopeTimeline *self = painter->self;
  const ScopeTimelineMetrics *m = painter->m;
  gint64 stopped = scope_recorder_get_stopped_us (self->recorder);
  const char *label = _("Recording stopped");
  double x, label_x, label_y;

  if (stopped < 0)
    return;
  x = scope_timeline_time_to_x (self, stopped);
  if (x < -m->line_width || x > painter->width)
    return;
  scope_timeline_painter_rect (painter, &painter->p->error, x, m->axis_height,
                               MAX (2, m->line_width * 2), painter->height - m->axis_height);
  label_x = scope_timeline_place_beside (x, scope_timeline_text_width (self, label, TRUE),
                                         painter->width);
  label_y = m->axis_height + 2;
  /* Not over the name of the lane beside it at the top: then at the foot
   * of the drawing, where lanes rarely reach. */
  if (scope_timeline_get_n_lanes (self) > 0
      && scope_timeline_row_top (self, 0) + m->lane_height > m->axis_height)
    {
      g_autofree char *lane = scope_timeline_dup_lane_label (self, 0);

      if (label_x < m->pad + scope_timeline_text_width (self, lane, TRUE) + 6)
        label_y = painter->height - m->pad - m->lane_height / 2;
    }
  scope_timeline_painter_text (painter, label, &painter->p->error, label_x, label_y, TRUE);
}
