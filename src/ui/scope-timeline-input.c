/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "scope-timeline-private.h"
#include "scope-text.h"

/* The pointer and the fingers: a click picks the event under it (or opens
 * a folded lane), a drag
 * pans, Ctrl and the wheel or a pinch zoom about the pointer, and the
 * tooltip says what is under it. The keys are actions
 * (scope-timeline-actions.c). */

#define WHISKER_LOOK_AHEAD 8

/* How far (@x, @y) is from @rect: 0 inside it. */
static double
distance_to_rect (const graphene_rect_t *rect,
                  double                 x,
                  double                 y)
{
  double dx = MAX (MAX (rect->origin.x - x, 0), x - (rect->origin.x + rect->size.width));
  double dy = MAX (MAX (rect->origin.y - y, 0), y - (rect->origin.y + rect->size.height));

  return hypot (dx, dy);
}

/* The step of an accept queue's band, or of the bytes waiting unread in a
 * socket, under (@x, @y), or -1: between its events a band is under the
 * pointer, and it too says what it is and why (the fourteenth trial found
 * no tooltip on S17's queue). */
static gint64
queue_step_at (ScopeTimeline              *self,
               guint                       row,
               double                      x,
               double                      y,
               const ScopeTimelineMetrics *m)
{
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));
  double mid = scope_timeline_row_middle (self, row);

  if (scope_timeline_row_is_folded (self, row))
    return SCOPE_TIMELINE_NOT_SELECTED;
  scope_timeline_queue_steps (self, row, gtk_widget_get_width (GTK_WIDGET (self)), steps);
  for (guint i = 0; i < steps->len; i++)
    {
      const ScopeTimelineQueueStep *step = &g_array_index (steps, ScopeTimelineQueueStep, i);
      double h = MAX (scope_timeline_queue_height (m, step), m->line_width);
      graphene_rect_t band = GRAPHENE_RECT_INIT (step->x0, step->unread ? mid : mid - h,
                                                 step->x1 - step->x0, h);

      if (distance_to_rect (&band, x, y) <= 2)
        return step->event;
    }
  return SCOPE_TIMELINE_NOT_SELECTED;
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
  ScopeTimelineMetrics m;
  int row;
  double reach;
  guint lo, hi, far;
  gint64 best = SCOPE_TIMELINE_NOT_SELECTED;
  double best_miss = G_MAXDOUBLE;
  double best_distance = G_MAXDOUBLE;
  int best_rank = -1;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), SCOPE_TIMELINE_NOT_SELECTED);

  row = scope_timeline_row_at (self, y);
  if (row < 0 || self->recorder == NULL)
    return SCOPE_TIMELINE_NOT_SELECTED;
  m = scope_timeline_get_metrics (self);
  reach = scope_timeline_mark_reach (&m);
  /* From as far left as a mark drawn past its time, beside the marks
   * before it, may have come (scope-timeline-fan.c) */
  lo = scope_timeline_lane_find_time (self, row,
                                      scope_timeline_x_to_time (self, x - reach
                                                                      - scope_timeline_fan_max_push (&m)));
  hi = scope_timeline_lane_find_time (self, row, scope_timeline_x_to_time (self, x + reach));
  /* Of many in a few pixels, the ones nearest the middle of the range. */
  if (hi - lo > 64)
    {
      guint centre = scope_timeline_lane_find_time (self, row, scope_timeline_x_to_time (self, x));

      lo = MAX (lo, centre > 48 ? centre - 48 : 0);
      hi = MIN (hi, centre + 32);
    }
  /* A receive read later whose whisker, back to when its bytes arrived,
   * lies under the pointer: a few events on, if their mark is hit. */
  far = MIN (hi + WHISKER_LOOK_AHEAD, scope_stream_get_lane_n_events (self->stream, row));
  /* The mark under the pointer, not the event nearest in time: a receive's
   * bar hangs below the lane's middle, where the dot of its "readable" a
   * moment before is not, and a click on the bar means the bar. */
  for (guint i = lo; i < far; i++)
    {
      gint64 index = scope_timeline_lane_event (self, row, i);
      double at, miss = G_MAXDOUBLE / 2;
      graphene_rect_t mark;
      ScopeRecord record;
      int rank = 0;

      if (scope_timeline_get_event_bounds (self, (guint64) index, &mark))
        miss = distance_to_rect (&mark, x, y);
      if (i >= hi && miss > 0)
        continue;
      /* Both under the pointer, the bytes win, and a "readable" dot loses
       * to any other mark: a click on a recv's bar, or on the circle of a
       * zero-byte read, where its "readable" dot sits too means the recv
       * (found in the trials, which had to reach it with the arrow keys). */
      if (!scope_recorder_get_record (self->recorder, (guint64) index, &record))
        continue;
      /* (nor a queue's step, a band under the marks: hovering an accept
       * told of the queue's step at its time, the twenty-first trial) */
      rank = scope_timeline_record_is_bar (&record) ? 2
             : record.kind != SCOPE_EVENT_READABLE && record.kind != SCOPE_EVENT_QUEUE
               && record.kind != SCOPE_EVENT_UNREAD ? 1 : 0;
      at = scope_timeline_record_x (self, &record);
      /* A mark as near as a glyph's reach, as drawn, or under the pointer */
      if (fabs (at - x) > reach && miss > 0)
        continue;
      if (miss < best_miss
          || (miss == best_miss && rank > best_rank)
          || (miss == best_miss && rank == best_rank && fabs (at - x) < best_distance))
        {
          best_miss = miss;
          best_distance = fabs (at - x);
          best_rank = rank;
          best = index;
        }
    }
  return best;
}

/**
 * scope_timeline_pick_hover:
 *
 * Returns: what a tooltip at (@x, @y) tells of: the event scope_timeline_pick()
 * finds, else the step of a queue's band there, or -1. Not a click's: the
 * step's mark is at the band's start, maybe far off screen, and selecting
 * it would take the view there.
 */
gint64
scope_timeline_pick_hover (ScopeTimeline *self,
                           double         x,
                           double         y)
{
  gint64 picked = scope_timeline_pick (self, x, y);
  ScopeTimelineMetrics m;
  int row;

  if (picked != SCOPE_TIMELINE_NOT_SELECTED || (row = scope_timeline_row_at (self, y)) < 0
      || self->recorder == NULL)
    return picked;
  m = scope_timeline_get_metrics (self);
  return queue_step_at (self, (guint) row, x, y, &m);
}

gboolean
scope_timeline_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);
  gint64 index = keyboard ? self->selected : scope_timeline_pick_hover (self, x, y);
  GtkWidget *label;

  if (index == SCOPE_TIMELINE_NOT_SELECTED
      || (label = scope_timeline_tooltip_label (self, (guint64) index)) == NULL)
    return FALSE;
  gtk_tooltip_set_custom (tooltip, label);
  return TRUE;
}

/* The tooltip's words in lines of at most this many characters: in one
 * line, a datagram's description ran off a 1280 px screen in projector
 * type, its socket and bytes cut (the fourteenth trial). */
#define TOOLTIP_LINE_CHARS 60

/**
 * scope_timeline_tooltip_label:
 *
 * Returns: (transfer floating) (nullable): the label the tooltip of event
 * @index shows: its words, wrapped at spaces, with no hyphen added
 */
GtkWidget *
scope_timeline_tooltip_label (ScopeTimeline *self,
                              guint64        index)
{
  g_autofree char *text = scope_timeline_tooltip_text (self, index);
  GtkWidget *label;

  if (text == NULL)
    return NULL;
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), TOOLTIP_LINE_CHARS);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  scope_text_label_no_hyphens (GTK_LABEL (label));
  return label;
}

/* An event's tooltip: first when it was as the axis counts, "+1.2 ms
 * from send, client", then what it was, with its time in the session
 * ("recv of 0 bytes at 224.451098 s", which alone did not match the axis
 * it hovered over: the thirteenth trial). */
char *
scope_timeline_tooltip_text (ScopeTimeline *self,
                             guint64        index)
{
  g_autofree char *described = scope_timeline_describe_event (self, index);
  g_autofree char *name = NULL;
  g_autofree char *offset = NULL;
  double origin_us;
  ScopeRecord record;

  if (described == NULL || self->recorder == NULL
      || !scope_recorder_get_record (self->recorder, index, &record)
      || !scope_timeline_axis_origin (self, &origin_us, &name))
    return g_steal_pointer (&described);
  offset = scope_timeline_format_offset (record.time_us - origin_us, self->scale);
  return g_strdup_printf ("%s %s\n%s", offset, name, described);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               ScopeTimeline  *self)
{
  self->drag_hvalue = self->hadjustment ? gtk_adjustment_get_value (self->hadjustment) : 0;
  self->drag_vvalue = (self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0);
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
  int row;

  if (fabs (dx) >= 4 || fabs (dy) >= 4)
    return;
  /* Not a drag: a click, which opens a folded lane or picks an event. */
  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  row = scope_timeline_row_at (self, y);
  if (row >= 0 && scope_timeline_row_is_folded (self, row))
    scope_timeline_unfold_row (self, row);
  else
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

void
scope_timeline_init_input (ScopeTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

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
