/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "scope-timeline-private.h"

/* Two layers of the lanes: under everything else, each lane's stripe and
 * the line of the socket's life; above the bands and the selection, the
 * marks of its events. Where more events fall on screen than there is
 * room for a mark each, each few pixels draw one bar up and one down for
 * all the events they hold, from two lookups in the model. */

/* How many steps back from the left edge (or the end) the queue's last
 * change is looked for: a listener's lane holds little else. */
#define QUEUE_LOOK_BACK 256

/* The events of a lane on screen, a mark's reach beyond either edge.
 * Returns: whether they are too many for a mark each */
gboolean
scope_timeline_lane_range (ScopeTimeline *self,
                           guint          row,
                           double         width,
                           guint         *lo,
                           guint         *hi)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  double margin = scope_timeline_mark_reach (&m) * self->scale;
  guint shown;

  /* From as far left as a mark laid past its time may come from; too
   * many or not by those on screen */
  *lo = scope_timeline_lane_find_time (self, row, scope_timeline_x_to_time (self, 0) - margin
                                                  - scope_timeline_fan_max_push (&m)
                                                    * self->scale);
  shown = scope_timeline_lane_find_time (self, row, scope_timeline_x_to_time (self, 0) - margin);
  *hi = scope_timeline_lane_find_time (self, row,
                                       scope_timeline_x_to_time (self, width) + margin);
  return (*hi - MAX (*lo, shown)) * (m.mark_width + 2) > width;
}

void
scope_timeline_lanes_snapshot (ScopeTimelinePainter *painter)
{
  ScopeTimeline *self = painter->self;
  const ScopeTimelineMetrics *m = painter->m;

  for (guint row = 0; row < scope_timeline_get_n_lanes (self); row++)
    {
      const ScopeSocketInfo *info;
      double top, mid, x0, x1;
      guint n;

      if (!scope_timeline_row_is_visible (self, row, painter->height))
        continue;
      info = scope_recorder_get_socket (self->recorder,
                                        scope_stream_get_lane_socket (self->stream, row));
      top = scope_timeline_row_top (self, row);
      mid = scope_timeline_row_middle (self, row);
      /* An open socket's line runs to now, as far as the session goes:
       * ended at the last event, the lanes of S17's open connections
       * looked closed beside the queue's band running on (the seventh
       * trial). */
      x0 = MAX (-10, scope_timeline_time_to_x (self, info->opened_us));
      x1 = scope_timeline_time_to_x (self, info->closed_us >= 0 ? info->closed_us
                                                               : scope_timeline_now_us (self));
      /* To its last mark as drawn (its close), laid past its time beside
       * the marks before it */
      if ((n = scope_stream_get_lane_n_events (self->stream, row)) > 0)
        {
          ScopeRecord last;

          scope_recorder_get_record (self->recorder, scope_timeline_lane_event (self, row, n - 1),
                                     &last);
          x1 = MAX (x1, scope_timeline_record_x (self, &last));
        }
      x1 = MIN (painter->width + 10, x1);
      if (row % 2 == 0)
        scope_timeline_painter_rect (painter, &painter->p->lane, 0, top, painter->width,
                                     scope_timeline_row_height (self, row));
      if (x1 > x0)
        scope_timeline_painter_rect (painter, &painter->p->grid, x0, mid - m->line_width / 2,
                                     x1 - x0, m->line_width);
    }
}

/* The kind of event that tells a lane's queue: a listener's accepts, a
 * stream's bytes unread, a datagram server's datagrams unread;
 * SCOPE_EVENT_N_KINDS for a lane with none. */
static ScopeEventKind
queue_kind (const ScopeSocketInfo *info)
{
  if (info->role == SCOPE_SOCKET_LISTENER)
    return SCOPE_EVENT_QUEUE;
  if (info->protocol != SCOPE_PROTOCOL_UDP || info->role == SCOPE_SOCKET_DATAGRAM)
    return SCOPE_EVENT_UNREAD;
  return SCOPE_EVENT_N_KINDS;
}

/* Whether @record, a queue's step, has something waiting */
static gboolean
step_waits (const ScopeRecord *record)
{
  return record->size > 0 || (record->kind == SCOPE_EVENT_UNREAD && record->stream_offset > 0);
}

/* Whether the listener of lane @row is open with connections waiting in
 * its accept queue as the kernel last told, or its connection with bytes
 * waiting unread, and since when they have waited without a break: the
 * first of its latest steps with some. */
gboolean
scope_timeline_queue_waiting_row (ScopeTimeline *self,
                                  guint          row,
                                  gint64        *since_us)
{
  const ScopeSocketInfo *info;
  ScopeEventKind kind;
  guint n, stop;
  gboolean waiting = FALSE;

  info = scope_recorder_get_socket (self->recorder, scope_stream_get_lane_socket (self->stream,
                                                                                  row));
  kind = queue_kind (info);
  if (kind == SCOPE_EVENT_N_KINDS || info->closed_us >= 0)
    return FALSE;
  n = scope_stream_get_lane_n_events (self->stream, row);
  stop = n > QUEUE_LOOK_BACK ? n - QUEUE_LOOK_BACK : 0;
  for (guint i = n; i-- > stop;)
    {
      ScopeRecord record;

      scope_recorder_get_record (self->recorder, scope_timeline_lane_event (self, row, i),
                                 &record);
      if (record.kind != kind)
        continue;
      if (!step_waits (&record))
        break;
      waiting = TRUE;
      *since_us = record.arrived_us >= 0 ? record.arrived_us : record.time_us;
    }
  return waiting;
}

/* Whether connections wait in an open listener's accept queue now, and
 * since when the earliest of them have. */
gboolean
scope_timeline_queue_waiting (ScopeTimeline *self,
                              gint64        *since_us)
{
  gboolean waiting = FALSE;

  *since_us = G_MAXINT64;
  for (guint row = 0; self->stream != NULL && row < scope_timeline_get_n_lanes (self); row++)
    {
      gint64 since;

      if (scope_timeline_queue_waiting_row (self, row, &since))
        {
          waiting = TRUE;
          *since_us = MIN (*since_us, since);
        }
    }
  return waiting;
}

/* The accept queue of a listener's lane, step by step as the view shows
 * it: from each change to the next, the last one to the socket's end, or
 * to now while connections wait (S17: one step, as long as accepting is
 * paused, which ended at its own start when it ended at the last event).
 * Nothing for a lane too dense to draw a mark each. */
void
scope_timeline_queue_steps (ScopeTimeline *self,
                            guint          row,
                            double         width,
                            GArray        *steps)
{
  const ScopeSocketInfo *info;
  ScopeTimelineQueueStep step = { .lane = row, .event = -1 };
  ScopeEventKind kind;
  guint lo, hi, first;

  info = scope_recorder_get_socket (self->recorder, scope_stream_get_lane_socket (self->stream,
                                                                                  row));
  kind = queue_kind (info);
  step.unread = kind == SCOPE_EVENT_UNREAD;
  if (kind == SCOPE_EVENT_N_KINDS || scope_timeline_lane_range (self, row, width, &lo, &hi))
    return;
  first = lo > QUEUE_LOOK_BACK ? lo - QUEUE_LOOK_BACK : 0;
  for (guint i = first; i < hi; i++)
    {
      ScopeRecord record;

      scope_recorder_get_record (self->recorder, scope_timeline_lane_event (self, row, i),
                                 &record);
      if (record.kind != kind)
        continue;
      /* Bytes unread from when they arrived, as the kernel says, which
       * may be up to the poll's 100 ms before it asked */
      step.x1 = scope_timeline_time_to_x (self, record.arrived_us >= 0 && step_waits (&record)
                                                ? record.arrived_us : record.time_us);
      if (step.event >= 0)
        step.x1 = MAX (step.x1, step.x0);
      if (step.event >= 0 && (step.waiting > 0 || step.datagrams > 0) && step.x1 >= 0)
        g_array_append_val (steps, step);
      step.event = (gint64) record.index;
      step.x0 = step.x1;
      step.waiting = record.size;
      step.limit = record.aux;
      step.datagrams = record.kind == SCOPE_EVENT_UNREAD ? (guint) record.stream_offset : 0;
    }
  step.current = info->closed_us < 0 && (step.waiting > 0 || step.datagrams > 0);
  step.x1 = scope_timeline_time_to_x (self, info->closed_us >= 0 ? info->closed_us
                                            : step.current ? scope_timeline_now_us (self)
                                            : self->end_us);
  if (step.event >= 0 && (step.waiting > 0 || step.datagrams > 0) && step.x1 >= 0)
    g_array_append_val (steps, step);
}

/* As high as the queue is full: Linux holds one more than the backlog,
 * and that fills the half of the lane above its line. Bytes unread, as
 * high as a receive of them would be. */
double
scope_timeline_queue_height (const ScopeTimelineMetrics   *m,
                             const ScopeTimelineQueueStep *step)
{
  if (step->unread)
    return scope_timeline_bar_height (m, step->waiting);
  return (m->half_height - 2) * MIN (1.0, (double) step->waiting / MAX (step->limit + 1, 1));
}

/* The accept queue as a step band above the listener's line: seen while
 * accepting is paused, before any accept says a connection came. Bytes
 * unread as a band below a connection's line, in the colour of what
 * receives them, up to the receive that reads them. */
void
scope_timeline_queue_snapshot (ScopeTimelinePainter *painter)
{
  ScopeTimeline *self = painter->self;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));
  GdkRGBA fill = scope_timeline_with_alpha (painter->p->accent, 0.45);
  GdkRGBA unread = scope_timeline_with_alpha (painter->p->recv, 0.3);

  /* Not on a folded strip: a closed connection's bytes unread were
   * orange fragments inside it (the eighth trial). */
  for (guint row = 0; row < scope_timeline_get_n_lanes (self); row++)
    if (scope_timeline_row_is_visible (self, row, painter->height)
        && !scope_timeline_row_is_folded (self, row))
      scope_timeline_queue_steps (self, row, painter->width, steps);
  for (guint i = 0; i < steps->len; i++)
    {
      const ScopeTimelineQueueStep *step = &g_array_index (steps, ScopeTimelineQueueStep, i);
      double mid = scope_timeline_row_middle (self, step->lane);
      double h = scope_timeline_queue_height (painter->m, step);
      double x0 = MAX (-1, step->x0);
      double x1 = MIN (painter->width + 1, step->x1);

      if (x1 <= x0)
        continue;
      if (step->unread)
        {
          scope_timeline_painter_rect (painter, &unread, x0, mid, x1 - x0, h);
          scope_timeline_painter_rect (painter, &painter->p->recv, x0,
                                       mid + h - painter->m->line_width, x1 - x0,
                                       painter->m->line_width);
          continue;
        }
      scope_timeline_painter_rect (painter, &fill, x0, mid - h, x1 - x0, h);
      scope_timeline_painter_rect (painter, &painter->p->accent, x0, mid - h, x1 - x0,
                                   painter->m->line_width);
    }
}

static void
draw_dense (ScopeTimelinePainter *painter,
            guint                 row,
            guint                 lo,
            guint                 hi)
{
  ScopeTimeline *self = painter->self;
  const ScopeTimelineMetrics *m = painter->m;
  double step = m->mark_width;
  double mid = scope_timeline_row_middle (self, row);
  guint i = lo;
  guint64 sent_before, received_before;

  /* Each column's bytes: where the lane's streams stand at its end, less
   * where they stood at its start, the end of the column before. */
  scope_stream_get_lane_position (self->stream, row, lo, &sent_before, &received_before);
  while (i < hi)
    {
      double x = scope_timeline_time_to_x (self, scope_timeline_lane_event_time (self, row, i));
      double column = floor (x / step) * step;
      guint j = MIN (hi, scope_timeline_lane_find_time (self, row,
                                                        scope_timeline_x_to_time (self,
                                                                                  column + step)));
      guint64 sent_after, received_after, sent, received;

      j = MAX (j, i + 1);
      scope_stream_get_lane_position (self->stream, row, j, &sent_after, &received_after);
      sent = sent_after - sent_before;
      received = received_after - received_before;
      sent_before = sent_after;
      received_before = received_after;
      if (sent > 0)
        {
          double h = scope_timeline_bar_height (m, sent);

          scope_timeline_painter_rect (painter, &painter->p->send, column, mid - h, step - 1, h);
        }
      if (received > 0)
        scope_timeline_painter_rect (painter, &painter->p->recv, column, mid, step - 1,
                                     scope_timeline_bar_height (m, received));
      if (sent == 0 && received == 0)
        scope_timeline_painter_rect (painter, &painter->p->fg, column, mid - m->mark_width,
                                     step - 1, 2 * m->mark_width);
      i = j;
      if (column > painter->width)
        break;
    }
}

/* A whisker's two strokes: a line across at the middle of its bar, back
 * to a tick as tall as the bar where the bytes arrived. Its box is mostly
 * empty, and a count may lie in it. */
void
scope_timeline_whisker_strokes (const graphene_rect_t *whisker,
                                double                 line,
                                graphene_rect_t        strokes[2])
{
  graphene_rect_init (&strokes[0], whisker->origin.x,
                      whisker->origin.y + whisker->size.height / 2 - line / 2,
                      whisker->size.width, line);
  graphene_rect_init (&strokes[1], whisker->origin.x, whisker->origin.y, line,
                      whisker->size.height);
}

/* A bar, faint when its bytes were not kept; a receive's whisker back to
 * where its bytes arrived: the wait in the receive buffer, S14's lesson.
 * Its byte count is a word of the placer's plan. */
static void
draw_bar (ScopeTimelinePainter *painter,
          const ScopeRecord    *record,
          double                mid)
{
  ScopeTimeline *self = painter->self;
  gboolean send = scope_event_kind_is_send (record->kind);
  const GdkRGBA *color = send ? &painter->p->send : &painter->p->recv;
  GdkRGBA faint = scope_timeline_with_alpha (*color, 0.45);
  double line = painter->m->line_width;
  graphene_rect_t b, w, strokes[2];

  scope_timeline_mark_bounds (painter->m, record, scope_timeline_record_x (self, record), mid, &b);
  scope_timeline_painter_rect (painter, record->truncated ? &faint : color,
                               b.origin.x, b.origin.y, b.size.width, b.size.height);
  if (!scope_timeline_whisker_bounds (self, record, &b, &w))
    return;
  w.origin.x = MAX (w.origin.x, -line);
  w.size.width = b.origin.x - w.origin.x;
  scope_timeline_whisker_strokes (&w, line, strokes);
  for (guint i = 0; i < G_N_ELEMENTS (strokes); i++)
    scope_timeline_painter_rect (painter, color, strokes[i].origin.x, strokes[i].origin.y,
                                 strokes[i].size.width, strokes[i].size.height);
}

/**
 * scope_timeline_accept_mark:
 * @record: an accept, on its listener's lane
 *
 * Where the connection an accept made begins on its own lane: a diamond
 * at the accept's time, which S17 teaches ("each accept and the new
 * per-connection socket beside the listening one"); the seventh trial saw
 * eight new lanes begin with nothing on them.
 *
 * Returns: whether the connection's lane is open and has the mark
 */
gboolean
scope_timeline_accept_mark (ScopeTimeline     *self,
                            const ScopeRecord *record,
                            guint             *row,
                            double            *x,
                            double            *mid)
{
  if (record->kind != SCOPE_EVENT_ACCEPT || record->aux == 0
      || !scope_stream_get_socket_lane (self->stream, record->aux, row)
      || scope_timeline_row_is_folded (self, *row))
    return FALSE;
  *x = scope_timeline_record_x (self, record);
  *mid = scope_timeline_row_middle (self, *row);
  return TRUE;
}

/* The accept's diamond again where its connection begins, joined to the
 * listener's by a thin line. */
static void
draw_accepted (ScopeTimelinePainter *painter,
               const ScopeRecord    *record,
               double                listener_mid)
{
  ScopeTimeline *self = painter->self;
  cairo_t *cr;
  double x, mid;
  guint row;

  if (!scope_timeline_accept_mark (self, record, &row, &x, &mid))
    return;
  cr = scope_timeline_painter_cairo (painter);
  scope_timeline_set_source (cr, &painter->p->fg, 0.35);
  cairo_set_line_width (cr, painter->m->line_width);
  cairo_move_to (cr, x, listener_mid);
  cairo_line_to (cr, x, mid);
  cairo_stroke (cr);
  scope_timeline_draw_glyph (cr, painter->m, painter->p, SCOPE_EVENT_CONNECT, x, mid);
}

void
scope_timeline_marks_snapshot (ScopeTimelinePainter *painter)
{
  ScopeTimeline *self = painter->self;

  for (guint row = 0; row < scope_timeline_get_n_lanes (self); row++)
    {
      double mid = scope_timeline_row_middle (self, row);
      guint lo, hi;

      /* A folded lane is its line alone; a click opens it. */
      if (!scope_timeline_row_is_visible (self, row, painter->height)
          || scope_timeline_row_is_folded (self, row))
        continue;
      if (scope_timeline_lane_range (self, row, painter->width, &lo, &hi))
        {
          draw_dense (painter, row, lo, hi);
          continue;
        }
      for (guint i = lo; i < hi; i++)
        {
          ScopeRecord record;

          scope_recorder_get_record (self->recorder, scope_timeline_lane_event (self, row, i),
                                     &record);
          /* The same call at the same time as the mark before: drawn as it,
           * each accept's diamond still where its connection begins */
          if (scope_timeline_record_hidden (self, &record))
            {
              draw_accepted (painter, &record, mid);
              continue;
            }
          /* A run too long to lay side by side, as a dense lane's */
          if (scope_timeline_record_grouped (self, &record, NULL))
            {
              guint end = i + 1;
              gboolean run_start = FALSE;

              for (; end < hi; end++)
                {
                  scope_recorder_get_record (self->recorder,
                                             scope_timeline_lane_event (self, row, end), &record);
                  if (!scope_timeline_record_grouped (self, &record, &run_start) || run_start)
                    break;
                }
              /* Each accept's diamond where its connection begins, still */
              for (guint j = i; j < end; j++)
                {
                  scope_recorder_get_record (self->recorder,
                                             scope_timeline_lane_event (self, row, j), &record);
                  draw_accepted (painter, &record, mid);
                }
              draw_dense (painter, row, i, end);
              i = end - 1;
              continue;
            }
          if (scope_timeline_record_is_bar (&record))
            draw_bar (painter, &record, mid);
          else if (record.kind == SCOPE_EVENT_QUEUE || record.kind == SCOPE_EVENT_UNREAD)
            continue;   /* the queue's band, drawn under the marks */
          else
            {
              draw_accepted (painter, &record, mid);
              scope_timeline_draw_glyph (scope_timeline_painter_cairo (painter), painter->m,
                                         painter->p, record.kind,
                                         scope_timeline_record_x (self, &record), mid);
            }
        }
    }
  scope_timeline_painter_end_cairo (painter);
}
