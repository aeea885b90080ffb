/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

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

/* An offset from the axis' origin, in the unit of the larger of it and
 * the step, signed, with the decimals the step needs: "+0 µs", "+200 µs",
 * "+1.2 ms", "-3 s", "+1.5 h". A person can say it aloud. */
char *
scope_timeline_format_offset (double offset_us,
                              double step)
{
  static const struct { double us; const char *unit; } units[] = {
    { 86400e6, "d" }, { 3600e6, "h" }, { 60e6, "min" }, { 1e6, "s" }, { 1e3, "ms" },
  };
  double size = MAX (fabs (offset_us), step);
  const char *unit = "µs";
  double divisor = 1;
  int decimals;

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (size >= units[i].us)
      {
        unit = units[i].unit;
        divisor = units[i].us;
        break;
      }
  /* The decimals that tell one step from the next */
  decimals = CLAMP ((int) ceil (-log10 (step / divisor) - 1e-9), 0, 6);
  if (fabs (offset_us) < step / 2)
    offset_us = 0;
  return g_strdup_printf ("%+.*f %s", decimals, offset_us / divisor, unit);
}

/* The first event at or after the left edge of the view, in any lane. */
static gboolean
first_event_in_view (ScopeTimeline *self,
                     guint64       *index)
{
  double left = scope_timeline_x_to_time (self, 0);
  gint64 best_us = G_MAXINT64;

  for (guint row = 0; row < scope_timeline_get_n_lanes (self); row++)
    {
      guint i = scope_timeline_lane_find_time (self, row, left);
      gint64 t;

      if (i >= scope_stream_get_lane_n_events (self->stream, row))
        continue;
      t = scope_timeline_lane_event_time (self, row, i);
      if (t < best_us)
        {
          best_us = t;
          *index = scope_timeline_lane_event (self, row, i);
        }
    }
  return best_us != G_MAXINT64;
}

/* Where the axis counts from: the selected event, in view; else the
 * first of the latest exchange while the view follows it; else the first
 * event in view. @name says which, "from send, client". Returns FALSE when there
 * is no event to count from. */
gboolean
scope_timeline_axis_origin (ScopeTimeline  *self,
                            double         *origin_us,
                            char          **name)
{
  ScopeRecord record;
  guint64 index = 0;
  gboolean arrival = FALSE;
  const ScopeSocketInfo *info;

  if (self->stream == NULL
      || scope_stream_get_n_events (self->stream) == scope_stream_get_first_index (self->stream))
    return FALSE;
  /* The selection, while in view: out of it, "+35.07470 s" from an event
   * no one sees could not be said aloud (the fifth trial). */
  if (self->selected != SCOPE_TIMELINE_NOT_SELECTED
      && scope_recorder_get_record (self->recorder, (guint64) self->selected, &record)
      && scope_timeline_record_x (self, &record) >= 0
      && scope_timeline_record_x (self, &record) <= gtk_widget_get_width (GTK_WIDGET (self)))
    index = (guint64) self->selected;
  else if (self->follow && self->exchange)
    index = scope_stream_get_latest_exchange_first (self->stream, &arrival);
  else if (!first_event_in_view (self, &index))
    index = scope_stream_get_n_events (self->stream) - 1;
  if (!scope_recorder_get_record (self->recorder, index, &record))
    return FALSE;
  *origin_us = arrival ? scope_record_first_arrival (&record) : record.time_us;
  if (name == NULL)
    return TRUE;
  info = scope_recorder_get_socket (self->recorder, record.socket_id);
  if (arrival)
    /* Translators: where the axis' times count from: "from bytes arriving,
     * tcp-echo", when bytes came to that socket, read later */
    *name = g_strdup_printf (_("from bytes arriving, %s"), info != NULL ? info->label : "");
  else
    /* Translators: where the axis' times count from: "from send, client" */
    *name = g_strdup_printf (_("from %s, %s"), scope_event_kind_to_string (record.kind),
                             info != NULL ? info->label : "");
  return TRUE;
}

/* The axis' line, and its ticks' stubs at each time the plan says: the
 * times themselves are words of the plan. Above the lanes, which scroll
 * under it. */
void
scope_timeline_axis_snapshot (ScopeTimelinePainter *painter)
{
  const ScopeTimelineMetrics *m = painter->m;
  const ScopeTimelinePalette *p = painter->p;

  scope_timeline_painter_rect (painter, &p->grid, 0, m->axis_height - 1, painter->width, 1);
  for (guint i = 0; painter->plan != NULL && i < painter->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (painter->plan, ScopeTimelineWord, i);

      if (word->kind == SCOPE_TIMELINE_WORD_TICK)
        scope_timeline_painter_rect (painter, &p->grid, word->anchor, m->axis_height - 6,
                                     m->line_width, 6);
    }
}

/* How far a tick's line keeps from a word it would cross */
#define GRID_GAP 3

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const double *x = a, *y = b;

  return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The ticks' lines down across the lanes, under the bands' marks and
 * around the words: through them, "tcp-echo :50000 ← 127.0.0.1:53334"
 * read with a bar between its port and its arrow (the fourteenth trial).
 * Past the last time said, on at the same step under the origin's name:
 * in projector type at 1280×800 the right two thirds of S17's wait had no
 * line at all (the fifteenth trial). */
void
scope_timeline_grid_snapshot (ScopeTimelinePainter *painter)
{
  const ScopeTimelineMetrics *m = painter->m;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (double) * 2);
  g_autoptr(GArray) anchors = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; painter->plan != NULL && i < painter->plan->len; i++)
    {
      const ScopeTimelineWord *tick = &g_array_index (painter->plan, ScopeTimelineWord, i);

      if (tick->kind == SCOPE_TIMELINE_WORD_TICK)
        g_array_append_val (anchors, tick->anchor);
    }
  g_array_sort (anchors, compare_spans);
  if (anchors->len >= 2)
    {
      double step = g_array_index (anchors, double, 1) - g_array_index (anchors, double, 0);

      for (double x = g_array_index (anchors, double, anchors->len - 1) + step;
           step >= 1 && x < painter->width; x += step)
        g_array_append_val (anchors, x);
    }
  for (guint i = 0; i < anchors->len; i++)
    {
      double anchor = g_array_index (anchors, double, i);
      double y = m->axis_height;

      g_array_set_size (spans, 0);
      for (guint k = 0; painter->plan != NULL && k < painter->plan->len; k++)
        {
          const ScopeTimelineWord *word = &g_array_index (painter->plan, ScopeTimelineWord, k);
          const graphene_rect_t *r = &word->rect;
          double span[2] = { r->origin.y - GRID_GAP, r->origin.y + r->size.height + GRID_GAP };

          if (word->kind != SCOPE_TIMELINE_WORD_TICK
              && anchor + m->line_width > r->origin.x - GRID_GAP
              && anchor < r->origin.x + r->size.width + GRID_GAP)
            g_array_append_val (spans, span);
        }
      g_array_sort (spans, compare_spans);
      for (guint k = 0; k <= spans->len && y < painter->height; k++)
        {
          const double *span = k < spans->len ? &g_array_index (spans, double, 2 * k) : NULL;
          double end = span != NULL ? span[0] : painter->height;

          if (end > y)
            scope_timeline_painter_rect (painter, &painter->p->grid, anchor, y,
                                         m->line_width, end - y);
          if (span != NULL)
            y = MAX (y, span[1]);
        }
    }
}
