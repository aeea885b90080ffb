/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scope-timeline-private.h"

/* Marks that would cover one another, side by side. S17's connections,
 * accepted when accepting resumes, each accept, read, echo, zero-byte read
 * and close in a millisecond: at the scale of the wait before them, all at
 * one x, each glyph over the others (the nineteenth trial). Each lane's
 * marks are laid out left to right in time order, in runs of marks that
 * touch at their own times: a mark whose ink would touch a mark before it
 * moves right just past it, so a run reads in the order of its calls, and
 * a run that would reach the next run's time is laid out with it, never
 * past a later call's time. The same call at the same time is one glyph
 * (S17's six accepts at once), which says how many. A run that would lay a
 * mark more than FAN_MAX marks' pitch past its time is drawn as the dense
 * lanes are, a bar up and a bar down per few pixels, each mark at its
 * time, and its words group. Worked out once per view, for the lanes on
 * screen; every mark's x (drawing, clicks, counts, bands) comes from here.
 * At a scale far coarser than the run, its marks span more of the axis
 * than their calls took: the axis' own breaks for quiet stretches are
 * what would give such a run its own scale. */

#define FAN_MAX        12   /* a mark's pitches, at most, that a mark is laid past its time */
#define FAN_GAP        2    /* px between two marks */
#define FAN_LOOK_BACK  32   /* events before the view's first, where a run may begin */
#define ACCEPT_LOOK    64   /* events of the listener's lane searched for an accept */
#define OVERHANG_STEP  16   /* px */

typedef struct
{
  guint64  index;
  double   x;          /* where it is drawn */
  double   at;         /* where its time is */
  guint    shown_as;   /* 1 + the slot of the mark it is drawn as, the same call at
                        * the same time; or 0 */
  guint    n_calls;    /* the calls its mark stands for, itself and those drawn as it */
  guint    grouped : 1;    /* of a run drawn as a dense lane's */
  guint    run_start : 1;  /* the first of its run */
} FanMark;

typedef struct
{
  guint   lo;      /* the lane position of marks[0] */
  GArray *marks;   /* FanMark, by position */
} FanLane;

static void
fan_lane_free (gpointer data)
{
  FanLane *lane = data;

  g_array_unref (lane->marks);
  g_free (lane);
}

/* The view the fans were worked out for; any change works them out again. */
static gboolean
fan_key_matches (ScopeTimeline              *self,
                 const ScopeTimelineMetrics *m,
                 double                      width)
{
  ScopeTimelineFanKey key = {
    .start_us = self->start_us, .scale = self->scale, .width = width,
    .half_height = m->half_height, .mark_width = m->mark_width,
    .n_events = scope_timeline_n_events (self), .n_lanes = scope_timeline_get_n_lanes (self),
  };

  if (self->fans != NULL && memcmp (&key, &self->fan_key, sizeof key) == 0)
    return TRUE;
  self->fan_key = key;
  return FALSE;
}

static double
fan_width (ScopeTimeline *self)
{
  return self->fan_width > 0 ? self->fan_width : gtk_widget_get_width (GTK_WIDGET (self));
}

/* The accept that made the connection of @row, on its listener's lane. */
static gboolean
find_accept (ScopeTimeline *self,
             guint          row,
             ScopeRecord   *accept)
{
  guint socket_id = scope_stream_get_lane_socket (self->stream, row);
  const ScopeSocketInfo *info = scope_recorder_get_socket (self->recorder, socket_id);
  guint listener, from, n;

  if (info == NULL || info->parent_id == 0
      || !scope_stream_get_socket_lane (self->stream, info->parent_id, &listener))
    return FALSE;
  n = scope_stream_get_lane_n_events (self->stream, listener);
  from = scope_timeline_lane_find_time (self, listener, info->opened_us);
  from = from > ACCEPT_LOOK / 2 ? from - ACCEPT_LOOK / 2 : 0;
  for (guint p = from; p < MIN (n, from + ACCEPT_LOOK); p++)
    {
      scope_recorder_get_record (self->recorder, scope_timeline_lane_event (self, listener, p),
                                 accept);
      if (accept->kind == SCOPE_EVENT_ACCEPT && accept->aux == socket_id)
        return TRUE;
    }
  return FALSE;
}

static gboolean
touches (const graphene_rect_t *a,
         const graphene_rect_t *b)
{
  return a->origin.x < b->origin.x + b->size.width + FAN_GAP
         && b->origin.x < a->origin.x + a->size.width + FAN_GAP
         && a->origin.y < b->origin.y + b->size.height
         && b->origin.y < a->origin.y + a->size.height;
}

/* Where a mark of ink @ink (at x = 0) goes, at @x or right of it, clear
 * of every mark placed before it. */
static double
clear_of (GArray                *placed,
          const graphene_rect_t *ink,
          double                 x)
{
  for (guint tries = 0; tries <= placed->len; tries++)
    {
      graphene_rect_t at = *ink;
      gboolean moved = FALSE;

      at.origin.x += x;
      for (guint i = 0; i < placed->len; i++)
        {
          const graphene_rect_t *other = &g_array_index (placed, graphene_rect_t, i);

          if (touches (&at, other))
            {
              x = other->origin.x + other->size.width + FAN_GAP - ink->origin.x;
              at.origin.x = x + ink->origin.x;
              moved = TRUE;
            }
        }
      if (!moved)
        break;
    }
  return x;
}

/* A mark of the lane with its ink at x = 0, and its position in the
 * lane's marks */
typedef struct
{
  guint           slot;
  graphene_rect_t ink;
} Member;

typedef enum
{
  LAID_OUT,
  PAST_NEXT,   /* it would reach the next run's time */
  TOO_FAR,     /* a mark would go further from its time than a run may */
} Laid;

#define MARK_OF(lane, members, k) \
  (&g_array_index ((lane)->marks, FanMark, (members)[k].slot))

/* Lays out the run of @members from @from to @to, clear of @placed (the
 * marks before it that it may touch: a connection's diamond), each right
 * of the one before, short of @next (the next run's time); and of @edge,
 * the view's right edge, shifted left for it as far as the marks before
 * (@left_limit) and its marks' own times allow: never left of its time,
 * where a mark would read as earlier than it was. None is moved unless
 * LAID_OUT. */
static Laid
lay_out_run (FanLane      *lane,
             const Member *members,
             guint         from,
             guint         to,
             GArray       *placed,
             double        last_x,
             double        left_limit,
             double        next,
             double        edge,
             double        limit,
             double       *right)
{
  double xs[to - from], left = G_MAXDOUBLE, shift, pushed = G_MAXDOUBLE;

  *right = -G_MAXDOUBLE;
  for (guint k = from; k < to; k++)
    {
      const FanMark *mark = MARK_OF (lane, members, k);
      graphene_rect_t ink = members[k].ink;

      xs[k - from] = last_x = clear_of (placed, &ink, MAX (mark->at, last_x));
      if (last_x - mark->at > limit)
        return TOO_FAR;
      pushed = MIN (pushed, last_x - mark->at);
      ink.origin.x += last_x;
      left = MIN (left, ink.origin.x);
      *right = MAX (*right, ink.origin.x + ink.size.width);
      g_array_append_val (placed, ink);
    }
  /* Never past the next mark's time: laid after a later call's time, S17's
   * two late accepts read as seconds later still (the twentieth trial) */
  if (*right > next)
    return PAST_NEXT;
  shift = CLAMP (*right - edge, 0, MAX (0, MIN (left - left_limit, pushed)));
  for (guint k = from; k < to; k++)
    MARK_OF (lane, members, k)->x = xs[k - from] - shift;
  *right -= shift;
  return LAID_OUT;
}

/* Of the marks in @members, each that is the same call with no bytes at
 * the same time as the one before it is drawn as that one: S17's six
 * accepts at once are one diamond (laid out, they read as six moments, the
 * twentieth trial). Returns the rest in @shown. */
static void
merge_instants (ScopeTimeline *self,
                FanLane       *lane,
                GArray        *members,
                GArray        *shown)
{
  ScopeEventKind kind = SCOPE_EVENT_N_KINDS;
  double at = -G_MAXDOUBLE;
  guint first = 0;

  for (guint k = 0; k < members->len; k++)
    {
      const Member *member = &g_array_index (members, Member, k);
      FanMark *mark = &g_array_index (lane->marks, FanMark, member->slot);
      ScopeRecord record;

      scope_recorder_get_record (self->recorder, mark->index, &record);
      if (!scope_timeline_record_is_bar (&record) && record.kind == kind
          && fabs (mark->at - at) < 1)
        {
          mark->shown_as = first + 1;
          g_array_index (lane->marks, FanMark, first).n_calls++;
          continue;
        }
      mark->n_calls = 1;
      kind = scope_timeline_record_is_bar (&record) ? SCOPE_EVENT_N_KINDS : record.kind;
      at = mark->at;
      first = member->slot;
      g_array_append_val (shown, *member);
    }
}

static void
fan_out (ScopeTimeline *self,
         guint          row,
         FanLane       *lane)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (Member));
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (Member));
  const Member *members;
  double reach = scope_timeline_mark_reach (&m);
  double limit = scope_timeline_fan_max_push (&m);
  double edge = fan_width (self) - m.right_pad;
  double last_x = -G_MAXDOUBLE, before = -G_MAXDOUBLE, seed_right = -G_MAXDOUBLE;
  guint lo, hi, start;
  gint64 exchange_us;
  ScopeRecord record;

  if (scope_timeline_row_is_folded (self, row)
      || scope_timeline_lane_range (self, row, fan_width (self), &lo, &hi))
    return;
  /* A run that begins left of the view is laid out from its first mark,
   * so that a pan does not move its marks */
  for (start = lo; start > 0 && start < hi && lo - start < FAN_LOOK_BACK; start--)
    if (scope_timeline_time_to_x (self, scope_timeline_lane_event_time (self, row, start))
        - scope_timeline_time_to_x (self, scope_timeline_lane_event_time (self, row, start - 1))
        > 2 * reach + FAN_GAP)
      break;
  lane->lo = start;
  for (guint p = start; p < hi; p++)
    {
      FanMark mark = { .index = scope_timeline_lane_event (self, row, p) };
      Member member = { .slot = lane->marks->len };

      scope_recorder_get_record (self->recorder, mark.index, &record);
      mark.x = mark.at = scope_timeline_time_to_x (self, record.time_us);
      g_array_append_val (lane->marks, mark);
      /* The queue is a band under the marks, not a mark */
      if (record.kind == SCOPE_EVENT_QUEUE || record.kind == SCOPE_EVENT_UNREAD)
        continue;
      scope_timeline_mark_ink (&m, &record, 0, 0, &member.ink);
      g_array_append_val (all, member);
    }
  merge_instants (self, lane, all, shown);
  members = (const Member *) shown->data;
  /* A connection's lane begins with its accept's diamond: its marks after
   * it, the first run with it */
  if (find_accept (self, row, &record))
    {
      graphene_rect_t ink;

      record.kind = SCOPE_EVENT_CONNECT;
      last_x = scope_timeline_record_x (self, &record);
      scope_timeline_mark_ink (&m, &record, last_x, 0, &ink);
      g_array_append_val (placed, ink);
      seed_right = ink.origin.x + ink.size.width;
    }

  /* Runs of marks that touch at their own times, each laid out before the
   * next one's time, else with it */
  for (guint a = 0; a < shown->len;)
    {
      double at_right = a == 0 ? seed_right : -G_MAXDOUBLE;
      double next = G_MAXDOUBLE, right;
      guint b = a;
      Laid laid = LAID_OUT;

      do
        {
          /* The run, or it and the next */
          gboolean take = laid == PAST_NEXT;

          for (; b < shown->len; b++)
            {
              double at = MARK_OF (lane, members, b)->at;

              if (b > a && !take && at + members[b].ink.origin.x >= at_right + FAN_GAP)
                break;
              take = FALSE;
              at_right = MAX (at_right, at + members[b].ink.origin.x + members[b].ink.size.width);
            }
          next = b < shown->len ? MARK_OF (lane, members, b)->at + members[b].ink.origin.x
                                  - FAN_GAP
                                : G_MAXDOUBLE;
          g_array_set_size (placed, a == 0 && seed_right > -G_MAXDOUBLE ? 1 : 0);
          laid = lay_out_run (lane, members, a, b, placed, last_x, before + FAN_GAP, next,
                              at_right <= edge ? edge : G_MAXDOUBLE, limit, &right);
        }
      while (laid == PAST_NEXT && b < shown->len);
      MARK_OF (lane, members, a)->run_start = TRUE;
      if (laid == LAID_OUT)
        {
          last_x = MARK_OF (lane, members, b - 1)->x;
          before = right;
        }
      else
        {
          /* Too far from its time: drawn as a dense lane's, each at its time */
          for (guint k = a; k < b; k++)
            {
              FanMark *mark = MARK_OF (lane, members, k);

              mark->x = mark->at;
              mark->grouped = b - a > 1;
            }
          last_x = MAX (last_x, MARK_OF (lane, members, b - 1)->at);
          before = MAX (before, at_right);
        }
      a = b;
    }
  /* Each drawn as the one it is one with */
  for (guint i = 0; i < lane->marks->len; i++)
    {
      FanMark *mark = &g_array_index (lane->marks, FanMark, i);

      if (mark->shown_as > 0)
        {
          const FanMark *as = &g_array_index (lane->marks, FanMark, mark->shown_as - 1);

          mark->x = as->x;
          mark->grouped = as->grouped;
        }
    }

  /* How far the latest exchange's marks lie past their times, measured in
   * the view that follows it, which makes room for them, once it has come
   * to rest: measured on the way, at each step of an easing, it grew at
   * each and the easing began again; not in an image's */
  if (self->follow && self->exchange && self->ease_tick == 0 && self->fan_width == 0
      && scope_stream_get_latest_exchange (self->stream, &exchange_us, NULL, NULL))
    {
      double overhang = scope_timeline_fan_overhang (self, exchange_us);

      for (guint i = 0; i < lane->marks->len; i++)
        {
          const FanMark *mark = &g_array_index (lane->marks, FanMark, i);

          if (!mark->grouped && scope_timeline_event_time (self, mark->index) >= exchange_us)
            overhang = MAX (overhang, mark->x - mark->at);
        }
      /* In steps of a few pixels, so that the view settles in a step or two */
      if (overhang > self->fan_overhang)
        self->fan_overhang = OVERHANG_STEP * ceil (overhang / OVERHANG_STEP);
    }
}

static const FanMark *
fan_mark (ScopeTimeline     *self,
          const ScopeRecord *record)
{
  ScopeTimelineMetrics m;
  FanLane *lane;
  guint row, a, b;

  if (self->recorder == NULL || self->stream == NULL
      || !scope_stream_get_socket_lane (self->stream, record->socket_id, &row))
    return NULL;
  m = scope_timeline_get_metrics (self);
  if (!fan_key_matches (self, &m, fan_width (self)))
    {
      g_clear_pointer (&self->fans, g_hash_table_unref);
      self->fans = g_hash_table_new_full (NULL, NULL, NULL, fan_lane_free);
    }
  lane = g_hash_table_lookup (self->fans, GUINT_TO_POINTER (row + 1));
  if (lane == NULL)
    {
      lane = g_new0 (FanLane, 1);
      lane->marks = g_array_new (FALSE, FALSE, sizeof (FanMark));
      fan_out (self, row, lane);
      g_hash_table_insert (self->fans, GUINT_TO_POINTER (row + 1), lane);
    }
  /* By index: a lane's events come in the order they were recorded */
  a = 0;
  b = lane->marks->len;
  while (a < b)
    {
      guint c = a + (b - a) / 2;
      const FanMark *mark = &g_array_index (lane->marks, FanMark, c);

      if (mark->index == record->index)
        return mark;
      if (mark->index < record->index)
        a = c + 1;
      else
        b = c;
    }
  return NULL;
}

/**
 * scope_timeline_record_x:
 *
 * Returns: where the mark of @record is drawn: at its time, or right of
 * it, clear of the marks before it
 */
double
scope_timeline_record_x (ScopeTimeline     *self,
                         const ScopeRecord *record)
{
  const FanMark *mark = fan_mark (self, record);

  return mark != NULL ? mark->x : scope_timeline_time_to_x (self, record->time_us);
}

/* Whether @record is one of a run too long to lay side by side, drawn as
 * the dense lanes are; @run_start: set, whether it is the run's first. */
gboolean
scope_timeline_record_grouped (ScopeTimeline     *self,
                               const ScopeRecord *record,
                               gboolean          *run_start)
{
  const FanMark *mark = fan_mark (self, record);

  if (run_start != NULL)
    *run_start = mark != NULL && mark->run_start;
  return mark != NULL && mark->grouped;
}

/* How many calls the mark of @record stands for: more than one where the
 * same calls at the same time are drawn as one, S17's six accepts. */
guint
scope_timeline_record_calls (ScopeTimeline     *self,
                             const ScopeRecord *record)
{
  const FanMark *mark = fan_mark (self, record);

  return mark != NULL && mark->shown_as == 0 ? MAX (mark->n_calls, 1) : 1;
}

/* Whether @record is drawn as the one before it, the same call at the
 * same time: S17's six accepts, one diamond. */
gboolean
scope_timeline_record_hidden (ScopeTimeline     *self,
                              const ScopeRecord *record)
{
  const FanMark *mark = fan_mark (self, record);

  return mark != NULL && mark->shown_as > 0;
}

/* The furthest a mark is laid past its time: FAN_MAX marks' pitch. A
 * run that would go further is drawn as a dense lane's. */
double
scope_timeline_fan_max_push (const ScopeTimelineMetrics *m)
{
  return FAN_MAX * (2 * scope_timeline_mark_reach (m) + FAN_GAP);
}

/* The width the next marks are laid out for: an image's, then 0 for the
 * widget's own again. */
void
scope_timeline_fan_use_width (ScopeTimeline *self,
                              double         width)
{
  self->fan_width = width;
}

/* How far past their times the marks of the exchange that began at
 * @exchange_us were laid, at most, in the lanes laid out so far; it only
 * grows while the exchange lasts, so that a view fitted to make room for
 * it settles. */
double
scope_timeline_fan_overhang (ScopeTimeline *self,
                             gint64         exchange_us)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);

  /* Measured again for another exchange, or in other type */
  if (exchange_us != self->fan_overhang_exchange || m.mark_width != self->fan_overhang_width)
    {
      self->fan_overhang_width = m.mark_width;
      self->fan_overhang_exchange = exchange_us;
      self->fan_overhang = 0;
    }
  return self->fan_overhang;
}

void
scope_timeline_fan_clear (ScopeTimeline *self)
{
  g_clear_pointer (&self->fans, g_hash_table_unref);
}
