/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-timeline-private.h"

/* The stop layer: where recording stopped at a limit. Its note is a word
 * of the placer's plan. */

/* A label for a line at @x: to its right if it fits there, else to its
 * left, never past the left edge. */
double
scope_timeline_place_beside (double x,
                             double label_width,
                             double width)
{
  return x + 6 + label_width <= width ? x + 6 : MAX (0, x - 6 - label_width);
}

/* Where recording stopped at a limit: a line across every lane. Nothing
 * after it is on the timeline, and the placer's note above the lanes says
 * so rather than letting it look like a quiet session. */
void
scope_timeline_stop_mark_snapshot (ScopeTimelinePainter *painter)
{
  ScopeTimeline *self = painter->self;
  const ScopeTimelineMetrics *m = painter->m;
  gint64 stopped = scope_recorder_get_stopped_us (self->recorder);
  double x;

  if (stopped < 0)
    return;
  x = scope_timeline_time_to_x (self, stopped);
  if (x < -m->line_width || x > painter->width)
    return;
  scope_timeline_painter_rect (painter, &painter->p->error, x, m->axis_height,
                               MAX (2, m->line_width * 2), painter->height - m->axis_height);
}
