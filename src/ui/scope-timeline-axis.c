/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "scope-timeline-private.h"

/* The axis layer: a line under the time labels, and a tick down across
 * the lanes at each round step of time. */

/* A round step of time (1, 2 or 5 times a power of ten µs) that leaves
 * @spacing pixels for a label between ticks. */
double
scope_timeline_tick_step (double us_per_px,
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

/* A tick's time in the unit of its step, with the decimals the step needs. */
char *
scope_timeline_format_tick (double time_us,
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

void
scope_timeline_axis_snapshot (ScopeTimelinePainter *painter)
{
  ScopeTimeline *self = painter->self;
  const ScopeTimelineMetrics *m = painter->m;
  const ScopeTimelinePalette *p = painter->p;
  double step = scope_timeline_tick_step (self->scale, m->tick_spacing);
  double left = scope_timeline_x_to_time (self, 0);
  double right = scope_timeline_x_to_time (self, painter->width);
  double first = MAX (0, ceil (left / step) * step);
  guint n = 0;

  scope_timeline_painter_rect (painter, &p->grid, 0, m->axis_height - 1, painter->width, 1);
  for (double t = first; t <= right && n < 200; t += step, n++)
    {
      double x = scope_timeline_time_to_x (self, t);
      g_autofree char *label = scope_timeline_format_tick (t, step);

      scope_timeline_painter_rect (painter, &p->grid, x, m->axis_height - 6, m->line_width,
                                   painter->height);
      /* A label that would be cut at the right edge ("2" of "20 s") misleads; leave it out. */
      if (x + 4 + scope_timeline_text_width (self, label, FALSE) <= painter->width)
        scope_timeline_painter_text (painter, label, &p->fg, x + 4, 2, FALSE);
    }
}
