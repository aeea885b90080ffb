/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "scope-timeline-private.h"

/* One placer for every word on the timeline: the lanes' names, the byte
 * counts of the marks, the axis' times and where they count from, and the
 * note where recording stopped. A pure function of the metrics, the view
 * and where the marks are: it measures through a callback, so that it is
 * tested with no display, and places greedily by priority (lane names, the
 * note, the selection's count, the counts left to right; the axis on its
 * own band), so that no word covers another. Marks closer together than a
 * mark and two pixels are one group with one label ("3× recv · 43 bytes");
 * a count that would touch a word already placed joins the group to its
 * left in its lane, or goes unsaid. Counts keep clear of the marks' ink
 * too, bars and glyphs, and go past them. The inspector says each count of a
 * group when one of its events is selected. */

/* Between two times on the axis, about half an em of their type, in
 * normal and projector mode alike: at a fixed 8 px in a projector's type,
 * "+500 ms +1.0 s" read as one (the fourteenth trial). */
#define TICK_GAP(in)    ceil ((in)->m->label_height * 0.36)
#define WORD_GAP        4     /* and between any two other words */
#define MIN_TICKS       3
#define MAX_TICKS       40
#define MAX_STEP_TRIES  8
#define INK_GAP         2     /* pixels between a count and any mark: one reads as touching */
#define MAX_SLIDE_STEPS 16
#define GROUP_SIZES_SAID 4     /* a group of this many calls or fewer says each one's size */
#define ON_A_BAND       1000  /* the cost of a count over a band: anywhere clear is better */
#define ACROSS_THE_LINE 3000  /* of a count across the line from its bars: its own side, if any */
#define BEFORE_EARLIER  2000  /* of a count left of its bars over an earlier mark: read as earlier */

static void
word_clear (gpointer data)
{
  ScopeTimelineWord *word = data;

  g_clear_pointer (&word->text, g_free);
}

static double
x_of (const ScopeTimelinePlacerInput *in,
      double                          time_us)
{
  return in->m->pad + (time_us - in->start_us) / in->scale;
}

/* Whole pixels: the words are widgets, allocated in whole pixels. */
static graphene_rect_t
snap (double x,
      double y,
      double width,
      double height)
{
  return GRAPHENE_RECT_INIT (floor (x), floor (y), ceil (width), ceil (height));
}

static gboolean
touches (const graphene_rect_t *a,
         const graphene_rect_t *b)
{
  return a->origin.x < b->origin.x + b->size.width && b->origin.x < a->origin.x + a->size.width
         && a->origin.y < b->origin.y + b->size.height
         && b->origin.y < a->origin.y + a->size.height;
}

/* Free of every word placed, with a little room between: two words side
 * by side read as one ("client+0 µs"). */
static gboolean
is_free (GArray                *words,
         const graphene_rect_t *rect)
{
  graphene_rect_t roomy;

  graphene_rect_inset_r (rect, -WORD_GAP / 2.0, -WORD_GAP / 2.0, &roomy);
  for (guint i = 0; i < words->len; i++)
    {
      graphene_rect_t other;

      graphene_rect_inset_r (&g_array_index (words, ScopeTimelineWord, i).rect,
                             -WORD_GAP / 2.0, -WORD_GAP / 2.0, &other);
      if (touches (&other, &roomy))
        return FALSE;
    }
  return TRUE;
}

static gboolean
inside (const graphene_rect_t *rect,
        double                 left,
        double                 top,
        double                 right,
        double                 bottom)
{
  return rect->origin.x >= left && rect->origin.y >= top
         && rect->origin.x + rect->size.width <= right
         && rect->origin.y + rect->size.height <= bottom;
}

static ScopeTimelineWord *
add_word (GArray                *words,
          char                  *text,
          const graphene_rect_t *rect,
          ScopeTimelineWordKind  kind,
          ScopeTimelineInk       ink,
          guint                  lane,
          gint64                 event)
{
  ScopeTimelineWord word = {
    .text = text, .rect = *rect, .kind = kind, .ink = ink, .lane = lane, .event = event,
    .bold = kind == SCOPE_TIMELINE_WORD_LANE || kind == SCOPE_TIMELINE_WORD_STOP
            || kind == SCOPE_TIMELINE_WORD_BELOW
            || kind == SCOPE_TIMELINE_WORD_GROUP || kind == SCOPE_TIMELINE_WORD_QUEUE,
  };

  g_array_append_val (words, word);
  return &g_array_index (words, ScopeTimelineWord, words->len - 1);
}

static double
measure (const ScopeTimelinePlacerInput *in,
         const char                     *text,
         gboolean                        bold,
         double                         *height)
{
  return in->measure (text, bold, height, in->measure_data);
}

/* The axis */

static char *
tick_text (const ScopeTimelinePlacerInput *in,
           double                          time_us,
           double                          step)
{
  return scope_timeline_format_offset (time_us - in->origin_us, step);
}

/* The ticks of one step, left to right, each time right of its tick, as
 * a reader takes them. @crowded: set when two times would overlap:
 * leaving one out makes the scale read oddly ("-200 ms, +100 ms, +400 ms",
 * no "+0"), so that step is not used. A time cut at the right edge ("2" of
 * "20 s") misleads: the row ends before it. */
static GArray *
ticks_of_step (const ScopeTimelinePlacerInput *in,
               double                          step,
               gboolean                       *crowded)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineWord));
  double base = in->origin_us;
  double left = in->start_us - in->m->pad * in->scale;
  double k = ceil ((left - base) / step);
  double right_edge = -G_MAXDOUBLE;

  g_array_set_clear_func (ticks, word_clear);
  for (guint n = 0; n < 400 && ticks->len < MAX_TICKS; n++, k++)
    {
      double t = base + k * step;
      double x = x_of (in, t);
      double w, h;
      char *text;
      graphene_rect_t rect;
      ScopeTimelineWord *word;

      if (x > in->width)
        break;
      if (floor (x + 4) < right_edge + TICK_GAP (in))
        {
          *crowded = TRUE;
          break;
        }
      text = tick_text (in, t, step);
      w = measure (in, text, FALSE, &h);
      rect = snap (x + 4, 2, w, h);
      if (!inside (&rect, 0, 0, in->width, in->m->axis_height))
        {
          g_free (text);
          break;
        }
      word = add_word (ticks, text, &rect, SCOPE_TIMELINE_WORD_TICK, SCOPE_TIMELINE_INK_FG,
                       G_MAXUINT, -1);
      word->anchor = x;
      right_edge = rect.origin.x + rect.size.width;
    }
  return ticks;
}

/* Round steps of a second and more, in seconds: the clock's. */
static const double clock_steps[] = {
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
};

#define DAY 86400.0

/* The round step at least @want µs: 1, 2, 4 or 5 times a power of ten
 * below a second (4: where the times of 2 would overlap and those of 5
 * leave room for two only), the clock's steps above it, days beyond. */
static double
round_step (double want)
{
  double days;

  if (want <= 1e6)
    {
      double power = pow (10, floor (log10 (want) + 1e-9));
      double mantissa = want / power;

      return power * (mantissa <= 1 + 1e-9 ? 1 : mantissa <= 2 + 1e-9 ? 2
                      : mantissa <= 4 + 1e-9 ? 4 : mantissa <= 5 + 1e-9 ? 5 : 10);
    }
  for (guint i = 0; i < G_N_ELEMENTS (clock_steps); i++)
    if (clock_steps[i] * 1e6 >= want * (1 - 1e-9))
      return clock_steps[i] * 1e6;
  days = want / (DAY * 1e6);
  return round_step (days * 1e6 * (1 - 1e-9)) / 1e6 * DAY * 1e6;
}

/* The next round step down. Below a microsecond too, when zoomed in that
 * far: a scale needs three ticks. */
static double
finer_step (double step)
{
  double lower = step;

  for (double want = step * 0.99; lower >= step; want *= 0.9)
    lower = round_step (want);
  return lower;
}

/* The ticks of the round step the view asks for, or of a coarser one
 * where its times would overlap; then of finer ones while fewer than three
 * times are said and the finer still fit: a narrow timeline still reads
 * as a scale. Every tick in between is said, so the times step evenly and
 * the origin's "+0" is among them when in view. Their times stop short of
 * @right. */
static GArray *
best_ticks (const ScopeTimelinePlacerInput *in,
            double                          right)
{
  ScopeTimelinePlacerInput narrower = *in;
  double step = round_step (in->scale * in->m->tick_spacing);
  GArray *best = NULL;
  gboolean crowded = TRUE;

  narrower.width = right;
  for (guint i = 0; i < MAX_STEP_TRIES && crowded; i++)
    {
      g_clear_pointer (&best, g_array_unref);
      crowded = FALSE;
      best = ticks_of_step (&narrower, step, &crowded);
      if (crowded)
        step = round_step (step * (1 + 1e-6));
    }
  for (guint i = 0; i < MAX_STEP_TRIES && !crowded && best->len < MIN_TICKS; i++)
    {
      gboolean finer_crowded = FALSE;
      GArray *ticks;

      step = finer_step (step);
      ticks = ticks_of_step (&narrower, step, &finer_crowded);
      if (finer_crowded || ticks->len <= best->len)
        {
          g_array_unref (ticks);
          break;
        }
      g_array_unref (best);
      best = ticks;
    }
  /* Still fewer than three (a narrow timeline): a step between the round
   * ones may fit where they do not, still said aloud and still even:
   * "+0, +150 ms, +300 ms", "+0, +3 min, +6 min". */
  if (best->len < MIN_TICKS)
    {
      static const double units[] = { 86400e6, 3600e6, 60e6, 1e6 };
      static const double mantissas[] = { 1.5, 2.5, 3, 6, 8, 15, 25, 30, 60, 80 };
      double base = pow (10, floor (log10 (step) - 1e-9)) / 10;

      for (guint u = 0; u < G_N_ELEMENTS (units) && step >= 1e6; u++)
        if (units[u] < step * (1 - 1e-9))
          {
            base = units[u];
            break;
          }
      for (guint m = 0; m < G_N_ELEMENTS (mantissas); m++)
        {
          gboolean multiple_crowded = FALSE;
          GArray *ticks;

          if (base >= 1e6 && mantissas[m] != floor (mantissas[m]))
            continue;   /* "+1.5 min" is not how a clock is read */
          ticks = ticks_of_step (&narrower, mantissas[m] * base, &multiple_crowded);
          if (!multiple_crowded && ticks->len > best->len)
            {
              g_array_unref (best);
              best = ticks;
            }
          else
            g_array_unref (ticks);
        }
    }
  return best;
}

/* The origin's name ends this far from the view's right edge: clear of
 * the lanes' overlay scrollbar, which cut "from bytes arriving, http" at
 * 1280×800 in projector mode (the thirteenth trial). */
#define ORIGIN_MARGIN 14

/* The full name of the origin where the times it leaves room for reach
 * this far across the view */
#define ORIGIN_REACH  0.8

/* The axis: what its times count from, once, at its right end ("from
 * send, client"), and the times left of it; without it when it leaves no
 * room for three. */
static void
place_axis (const ScopeTimelinePlacerInput *in,
            GArray                         *words)
{
  GArray *ticks = NULL;
  graphene_rect_t origin;
  gboolean named = FALSE;
  char *names[2] = { NULL, NULL };
  const char *name = NULL;
  double w, h;

  /* With no event, no time to count from: a time since the app started
   * ("242500 ms" after a New Session) cannot be said aloud, and says
   * nothing of what is not there yet. */
  if (!in->relative)
    {
      /* Said instead, where lanes wait for their first events: after a
       * New Session, the running servers' lanes under an axis with
       * nothing on it read as blank strips (the seventeenth trial). */
      if (in->n_lanes > 0)
        {
          /* Translators: on the timeline's axis, after a New Session,
           * before its first event */
          char *text = g_strdup (_("No events in this session yet"));
          graphene_rect_t place;

          w = measure (in, text, FALSE, &h);
          place = snap (in->m->pad, 2, w, h);
          if (inside (&place, 0, 0, in->width, in->m->axis_height))
            add_word (words, text, &place, SCOPE_TIMELINE_WORD_ORIGIN, SCOPE_TIMELINE_INK_FG,
                      G_MAXUINT, -1);
          else
            g_free (text);
        }
      return;
    }
  /* In full, "from send, client"; where that leaves no room for three
   * times, without the socket, "from send": a projector's type at 1280×800
   * said nothing of what "+0 ms" counted from (the eighth trial). */
  if (in->origin_name != NULL)
    {
      const char *comma = strrchr (in->origin_name, ',');

      names[0] = g_strdup (in->origin_name);
      names[1] = comma != NULL ? g_strndup (in->origin_name, comma - in->origin_name) : NULL;
    }
  /* Each name with the times it leaves room for; the full one where its
   * times reach across most of the view, else the one whose times reach
   * further: "from bytes arriving, tcp-echo" left S17's accepts, at the
   * right, with no time said (the fifteenth and sixteenth trials). */
  for (guint i = 0; i < G_N_ELEMENTS (names) && names[i] != NULL; i++)
    {
      graphene_rect_t place;
      GArray *said;
      double reach;

      w = measure (in, names[i], FALSE, &h);
      place = snap (in->width - w - ORIGIN_MARGIN, 2, w, h);
      if (!inside (&place, 0, 0, in->width, in->m->axis_height))
        continue;
      said = best_ticks (in, place.origin.x - TICK_GAP (in));
      if (said->len < MIN_TICKS)
        {
          g_array_unref (said);
          continue;
        }
      reach = g_array_index (said, ScopeTimelineWord, said->len - 1).anchor;
      if (ticks != NULL
          && (g_array_index (ticks, ScopeTimelineWord, ticks->len - 1).anchor
                >= ORIGIN_REACH * in->width
              || g_array_index (ticks, ScopeTimelineWord, ticks->len - 1).anchor >= reach))
        {
          g_array_unref (said);
          break;
        }
      g_clear_pointer (&ticks, g_array_unref);
      ticks = said;
      origin = place;
      name = names[i];
      named = TRUE;
    }
  if (ticks == NULL)
    ticks = best_ticks (in, in->width);
  for (guint i = 0; i < ticks->len; i++)
    {
      ScopeTimelineWord *tick = &g_array_index (ticks, ScopeTimelineWord, i);

      g_array_append_val (words, *tick);
      tick->text = NULL;
    }
  g_array_unref (ticks);
  if (named)
    add_word (words, g_strdup (name), &origin, SCOPE_TIMELINE_WORD_ORIGIN,
              SCOPE_TIMELINE_INK_FG, G_MAXUINT, -1);
  g_free (names[0]);
  g_free (names[1]);
}

static const graphene_rect_t *ink_touched (const ScopeTimelinePlacerInput *in,
                                           const graphene_rect_t          *rect,
                                           gint                           *mark);

/* The lanes' names, each at the top left of its lane, shortened to the
 * width there is; a lane scrolled partly under the axis keeps its name
 * under the axis while it clears the lane's line (the tenth trial: a grey
 * strip with no name at the top). */
static void
place_lane_names (const ScopeTimelinePlacerInput *in,
                  GArray                         *words)
{
  const ScopeTimelineMetrics *m = in->m;

  for (guint i = 0; i < in->n_lanes && words->len < SCOPE_TIMELINE_MAX_WORDS; i++)
    {
      const ScopeTimelinePlacerLane *lane = &in->lanes[i];
      /* A run of closed sockets' strips, in plain type: not a lane's name
       * over the lane under it */
      gboolean strips = lane->lane == G_MAXUINT;
      double h, w = measure (in, lane->name, !strips, &h);
      double room = in->width - 2 * m->pad;
      graphene_rect_t rect;
      ScopeTimelineWord *word;

      if (room < 1)
        continue;
      /* Most of it under the view, it is one of the lanes said there, "↓
       * 5 more lanes", where its name would take that word's place */
      if (in->lanes_below > 0 && !strips && lane->top + m->lane_height / 2 > in->height)
        continue;
      /* So over it, "↑ 1 more lane" */
      if (in->lanes_above > 0 && !strips && lane->top + m->lane_height / 2 < m->axis_height)
        continue;
      rect = snap (m->pad, lane->top + 2, MIN (w, room), h);
      if (rect.origin.y < m->axis_height)
        {
          gint mark;

          rect.origin.y = m->axis_height + 2;
          /* No room above the lane's line: under it, where no mark is
           * (projector lanes of 150 px, scrolled 50 under the axis) */
          if (rect.origin.y + rect.size.height > lane->mid - INK_GAP)
            {
              rect.origin.y = MAX (rect.origin.y, lane->mid + INK_GAP);
              if (rect.origin.y + rect.size.height > lane->top + m->lane_height
                  || ink_touched (in, &rect, &mark) != NULL)
                continue;
            }
        }
      if (!inside (&rect, 0, m->axis_height, in->width, in->height) || !is_free (words, &rect))
        continue;
      word = add_word (words, g_strdup (lane->name), &rect, SCOPE_TIMELINE_WORD_LANE,
                       SCOPE_TIMELINE_INK_FG, lane->lane, -1);
      word->ellipsized = w > room;
      word->bold = !strips;
    }
}

/* Where recording stopped: beside its line at the top, or else at the
 * foot of the drawing, where lanes rarely reach. */
static void
place_stop (const ScopeTimelinePlacerInput *in,
            GArray                         *words)
{
  const ScopeTimelineMetrics *m = in->m;
  graphene_rect_t rect;
  double w, h;

  if (in->stop_text == NULL || in->stop_x < -m->line_width || in->stop_x > in->width)
    return;
  w = measure (in, in->stop_text, TRUE, &h);
  rect = snap (scope_timeline_place_beside (in->stop_x, w, in->width), m->axis_height + 2, w, h);
  if (!is_free (words, &rect))
    rect.origin.y = floor (in->height - m->pad - m->lane_height / 2);
  if (inside (&rect, 0, m->axis_height, in->width, in->height) && is_free (words, &rect))
    add_word (words, g_strdup (in->stop_text), &rect, SCOPE_TIMELINE_WORD_STOP,
              SCOPE_TIMELINE_INK_ERROR, G_MAXUINT, -1);
}

static const graphene_rect_t *ink_touched (const ScopeTimelinePlacerInput *in,
                                           const graphene_rect_t          *rect,
                                           gint                           *mark);

/* Whether a queue's words may go at @rect: inside its lane, clear of the
 * other words and of the marks' ink (an accept's diamond covered "5
 * waiting", the seventh trial); past the ink in the way, to the right, by
 * no more than two lines' height. */
static gboolean
queue_room (const ScopeTimelinePlacerInput *in,
            GArray                         *words,
            const ScopeTimelinePlacerLane  *lane,
            graphene_rect_t                *rect)
{
  double start = rect->origin.x;

  for (guint n = 0; n < MAX_SLIDE_STEPS; n++)
    {
      gint mark;
      const graphene_rect_t *ink;

      if (!inside (rect, 0, MAX (lane->top, in->m->axis_height), in->width,
                   MIN (lane->top + in->m->lane_height, in->height))
          || !is_free (words, rect))
        return FALSE;
      ink = ink_touched (in, rect, &mark);
      if (ink == NULL)
        return TRUE;
      rect->origin.x = ceil (ink->origin.x + ink->size.width) + INK_GAP + 1;
      if (rect->origin.x - start > 2 * in->m->label_height)
        return FALSE;
    }
  return FALSE;
}

/* A full queue's consequence beside its words: Linux holds one more than
 * the backlog, and past that drops a connecting client's SYN, so the
 * client stays in SYN-SENT and tries again later (S17's two of eight).
 * Which clients those are, the listener is not told; what it is told, that
 * the queue is full, is enough to say what happens to the next. */
static void
place_queue_full (const ScopeTimelinePlacerInput *in,
                  GArray                         *words,
                  const ScopeTimelineQueueStep   *step,
                  const graphene_rect_t          *beside)
{
  const ScopeTimelinePlacerLane *lane = &in->lanes[step->lane];
  /* Translators: said on the timeline beside "6 waiting · backlog 5" when
   * the accept queue is full; SYN-SENT is the state's name, as ss shows it */
  const char *text = _("full · new clients wait in SYN-SENT");
  double h, w = measure (in, text, TRUE, &h);
  /* On a line of its own, under the lane's line, where the band is not,
   * or under the count where that is there: beside it, "6 waiting ·
   * backlog 5 full · new clients…" read as one sentence (the seventh
   * trial); else beside, apart. */
  graphene_rect_t places[] = {
    snap (beside->origin.x, lane->mid + 3, w, h),
    snap (beside->origin.x, beside->origin.y + beside->size.height + WORD_GAP, w, h),
    snap (beside->origin.x + beside->size.width + h, beside->origin.y, w, h),
  };

  if (step->unread || step->waiting <= step->limit)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (places) && words->len < SCOPE_TIMELINE_MAX_WORDS; i++)
    if (queue_room (in, words, lane, &places[i]))
      {
        add_word (words, g_strdup (text), &places[i], SCOPE_TIMELINE_WORD_QUEUE,
                  SCOPE_TIMELINE_INK_FG, lane->lane, step->event);
        return;
      }
}

/* The words of a queue's step: "6 waiting · backlog 5", "19 bytes
 * unread". */
static char *
queue_text (const ScopeTimelineQueueStep *step)
{
  if (step->unread && step->datagrams > 0)
    {
      g_autofree char *bytes = g_strdup_printf (ngettext ("%u byte", "%u bytes", step->waiting),
                                                step->waiting);

      /* Translators: datagrams waiting in a socket's receive buffer, on
       * the timeline, while the server does not read (S14 over UDP), then
       * their bytes: "2 datagrams unread · 19 bytes" */
      return g_strdup_printf (ngettext ("%u datagram unread · %s", "%u datagrams unread · %s",
                                        step->datagrams), step->datagrams, bytes);
    }
  if (step->unread)
    /* Translators: bytes waiting in a socket's receive buffer, on the
     * timeline, while the server does not read (S14) */
    return g_strdup_printf (ngettext ("%u byte unread", "%u bytes unread", step->waiting),
                            step->waiting);
  /* Translators: a listener's accept queue on the timeline */
  return g_strdup_printf (_("%u waiting · backlog %u"), step->waiting, step->limit);
}

/* Whether a lane's step @i is said: its latest, the queue as it is, and
 * its longest; each step said, "6", "2", "5 waiting" stood out of time
 * order over the band (the seventh trial). A selected step says itself in
 * the inspector. */
static gboolean
queue_step_said (const ScopeTimelinePlacerInput *in,
                 guint                           i)
{
  const ScopeTimelineQueueStep *step = &in->queue[i];
  guint most = 0, first_most = i;

  if (i + 1 == in->n_queue || in->queue[i + 1].lane != step->lane)
    return TRUE;
  for (guint k = 0; k < in->n_queue; k++)
    if (in->queue[k].lane == step->lane && in->queue[k].waiting > most)
      {
        most = in->queue[k].waiting;
        first_most = k;
      }
  return first_most == i;
}

/* One step's words, above its band: "6 waiting · backlog 5"; else,
 * where a tall band (S17's six of five) meets the lane's name at the top,
 * under the lane's line. Bytes unread under their band, else above the
 * line. */
static void
place_queue_step (const ScopeTimelinePlacerInput *in,
                  GArray                         *words,
                  const ScopeTimelineQueueStep   *step)
{
  const ScopeTimelinePlacerLane *lane = &in->lanes[step->lane];
  double band = scope_timeline_queue_height (in->m, step);
  char *text = queue_text (step);
  double h, w = measure (in, text, TRUE, &h);
  double ys[] = {
    step->unread ? lane->mid + band + 2 : MAX (lane->top, lane->mid - band - h),
    step->unread ? lane->mid - h - 2 : lane->mid + 3,
  };

  /* From its start; else ending at the view's edge, over the steps
   * before it: S14's second datagram began a step too near the edge for
   * its words */
  double start = MAX (step->x0, in->m->pad) + 3;
  double xs[] = { start, MAX (in->m->pad, MIN (start, in->width - in->m->pad - w)) };

  for (guint j = 0; j < G_N_ELEMENTS (ys) * G_N_ELEMENTS (xs); j++)
    {
      graphene_rect_t rect = snap (xs[j / G_N_ELEMENTS (ys)], ys[j % G_N_ELEMENTS (ys)], w, h);

      if (queue_room (in, words, lane, &rect))
        {
          add_word (words, text, &rect, SCOPE_TIMELINE_WORD_QUEUE,
                    step->unread ? SCOPE_TIMELINE_INK_RECV : SCOPE_TIMELINE_INK_FG,
                    lane->lane, step->event);
          place_queue_full (in, words, step, &rect);
          return;
        }
    }
  g_free (text);
}

/* Whether bytes or datagrams wait unread on lane @lane now */
static gboolean
unread_now (const ScopeTimelinePlacerInput *in,
            guint                           lane)
{
  for (guint k = 0; k < in->n_queue; k++)
    if (in->queue[k].lane == lane && in->queue[k].current)
      return TRUE;
  return FALSE;
}

/* The queues, each at the start of its latest step and of its longest;
 * the latest first: it is the queue as it is. Bytes or datagrams once
 * unread and read since say nothing: "19 bytes unread" beside the receive
 * of them read as still unread, and took the place of the recvfroms'
 * count (the eleventh trial); the band says where they waited. */
static void
place_queue (const ScopeTimelinePlacerInput *in,
             GArray                         *words)
{
  for (guint i = in->n_queue; i-- > 0 && words->len < SCOPE_TIMELINE_MAX_WORDS;)
    if (queue_step_said (in, i) && (!in->queue[i].unread || unread_now (in, in->queue[i].lane)))
      place_queue_step (in, words, &in->queue[i]);
}

/* The counts */

typedef struct
{
  guint          lane;           /* index into the input's lanes */
  guint          first, last;    /* the marks it holds, in the input's order */
  guint          n_send, n_recv;
  guint64        bytes;
  ScopeEventKind kind;           /* of all its events, or SCOPE_EVENT_N_KINDS when mixed */
  double         left, right, top, bottom;
  gboolean       selected;
  gint           placed;         /* its word's index, or -1 */
} Cluster;

static void
cluster_add (Cluster                       *c,
             const ScopeTimelinePlacerMark *mark,
             gint64                         selected)
{
  gboolean send = scope_event_kind_is_send (mark->kind);

  c->n_send += send;
  c->n_recv += !send;
  c->bytes += mark->size;
  if (c->kind != mark->kind)
    c->kind = SCOPE_EVENT_N_KINDS;
  c->left = MIN (c->left, mark->bar.origin.x);
  c->right = MAX (c->right, mark->bar.origin.x + mark->bar.size.width);
  c->top = MIN (c->top, mark->bar.origin.y);
  c->bottom = MAX (c->bottom, mark->bar.origin.y + mark->bar.size.height);
  c->selected |= mark->event == selected && selected >= 0;
}

static void
cluster_merge (Cluster       *into,
               const Cluster *from)
{
  into->last = from->last;
  into->n_send += from->n_send;
  into->n_recv += from->n_recv;
  into->bytes += from->bytes;
  if (into->kind != from->kind)
    into->kind = SCOPE_EVENT_N_KINDS;
  into->left = MIN (into->left, from->left);
  into->right = MAX (into->right, from->right);
  into->top = MIN (into->top, from->top);
  into->bottom = MAX (into->bottom, from->bottom);
  into->selected |= from->selected;
}

/* How a group is said: each call's size with the call ("2× recv · 16 +
 * 14 bytes"), each call's size alone ("16 + 14"), or the total. */
typedef enum
{
  SAID_TOTAL,
  SAID_SIZES,
  SAID_SIZES_ONLY,
} Said;

/* @said: how, where there are few enough calls for their sizes */
static char *
cluster_text (const ScopeTimelinePlacerInput *in,
              const Cluster                  *c,
              Said                            said)
{
  guint n = c->n_send + c->n_recv;
  g_autofree char *number = NULL;
  g_autofree char *bytes = NULL;

  /* A zero-byte read alone: the notes' "0-byte message", said in full */
  if (n == 1 && c->bytes == 0)
    return g_strdup_printf (ngettext ("%s byte", "%s bytes", 0), "0");
  for (guint i = c->first; n == 1 && i <= c->last; i++)
    if (in->marks[i].lane == c->lane && in->marks[i].stranger_port != 0)
      {
        number = g_strdup_printf ("%" G_GUINT64_FORMAT, c->bytes);
        /* Translators: the bytes of a datagram on the timeline, and the
         * port of the program it came from, which has no lane of its own
         * (S13: the port the system chose for the notes' client) */
        return g_strdup_printf (_("%s from :%u"), number, in->marks[i].stranger_port);
      }
  if (n == 1)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, c->bytes);
  if (said != SAID_TOTAL && n <= GROUP_SIZES_SAID)
    {
      /* Each call's size, in order: S11's split and S14's two datagrams
       * stay seen in a group, "16 + 16 + 9 bytes", "3 + 16 bytes", where
       * the total looked like one receive (the fifth trial). */
      GString *sizes = g_string_new (NULL);
      gboolean send = c->n_send > 0;

      for (guint i = c->first; i <= c->last; i++)
        if (in->marks[i].lane == c->lane && scope_event_kind_is_send (in->marks[i].kind) == send)
          g_string_append_printf (sizes, "%s%" G_GUINT64_FORMAT, sizes->len > 0 ? " + " : "",
                                  in->marks[i].size);
      number = g_string_free (sizes, FALSE);
      /* Where the whole does not fit: "16 + 14", not a total of 30 that
       * read as one 30-byte receive through a 16-byte buffer (the
       * thirteenth trial, S11 at 1920×1080 in projector mode). */
      if (said == SAID_SIZES_ONLY)
        return g_steal_pointer (&number);
    }
  else
    number = g_strdup_printf ("%" G_GUINT64_FORMAT, c->bytes);
  /* ngettext counts in unsigned long; past that, the plural is right */
  bytes = g_strdup_printf (ngettext ("%s byte", "%s bytes", (gulong) MIN (c->bytes, G_MAXULONG)),
                           number);
  if (c->kind != SCOPE_EVENT_N_KINDS)
    /* Translators: a group of marks on the timeline: "3× recv · 43 bytes",
     * three calls of recv; the call's name is the socket interface's and
     * stays as it is */
    return g_strdup_printf (_("%u× %s · %s"), n, scope_event_kind_to_string (c->kind), bytes);
  /* Translators: a group of sends (or of receives) by more than one call:
   * "4 calls · 80 bytes" */
  return g_strdup_printf (_("%u calls · %s"), n, bytes);
}

/* The first mark whose ink @rect touches, INK_GAP apart, or NULL: a
 * count over a bar, an EOF circle or a close's bar hides one or the other
 * (S16's "361" under the client's circle, its server's "35" crossed by the
 * close). */
static const graphene_rect_t *
ink_touched (const ScopeTimelinePlacerInput *in,
             const graphene_rect_t          *rect,
             gint                           *mark)
{
  graphene_rect_t roomy;

  *mark = -1;
  graphene_rect_inset_r (rect, -INK_GAP, -INK_GAP, &roomy);
  for (guint i = 0; i < in->n_marks; i++)
    if (touches (&in->marks[i].bar, &roomy))
      {
        *mark = (gint) i;
        return &in->marks[i].bar;
      }
  for (guint i = 0; i < in->n_glyphs; i++)
    if (touches (&in->glyphs[i], &roomy))
      return &in->glyphs[i];
  return NULL;
}

/* Whether @rect lies over a band: a count there is read through the band,
 * in its colour (S11's "41" under the band leaving its send). Where every
 * place is on one, a count still goes there: said, if less well. */
static gboolean
on_a_band (const ScopeTimelinePlacerInput *in,
           const graphene_rect_t          *rect)
{
  for (guint i = 0; i < in->n_bands; i++)
    if (touches (&in->bands[i], rect))
      return TRUE;
  return FALSE;
}

/* Whether @rect, a count, would sit on a lane's name's line less than
 * half a line from it: "15" just past "udp-upper 127.0.0.1:11111 (UDP)"
 * read as part of the name (the nineteenth trial). */
static gboolean
beside_a_name (const ScopeTimelinePlacerInput *in,
               GArray                         *words,
               const graphene_rect_t          *rect)
{
  for (guint i = 0; i < words->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);
      graphene_rect_t wide;

      if (word->kind != SCOPE_TIMELINE_WORD_LANE)
        continue;
      graphene_rect_inset_r (&word->rect, -in->m->label_height / 2, 0, &wide);
      if (touches (&wide, rect))
        return TRUE;
    }
  return FALSE;
}

/* Whether @rect, a count left of its marks @first to @last, lies over or
 * left of another mark of their lane, on either side of its line: it reads
 * as earlier than that mark. S16's server's "361" went left past the
 * request's read, the reply read as sent before the request came (the
 * sixteenth trial): a place on a band is better, and one there only
 * where there is no other. */
static gboolean
before_other_marks (const ScopeTimelinePlacerInput *in,
                    const graphene_rect_t          *rect,
                    guint                           first,
                    guint                           last)
{
  double own = in->marks[first].bar.origin.x;

  for (guint i = 0; i < in->n_marks; i++)
    if ((i < first || i > last) && in->marks[i].lane == in->marks[first].lane
        && in->marks[i].bar.origin.x + in->marks[i].bar.size.width > rect->origin.x
        && in->marks[i].bar.origin.x < own)
      return TRUE;
  return FALSE;
}

/* From @x, sideways (@way 1 right, -1 left) past each glyph in the way
 * (an EOF circle, a close's bar) until a word @w wide at @y clears every
 * mark's ink; no further than two lines' height, beyond which a count no
 * longer reads as its bar's. Never past another mark of its direction
 * (@send), the marks from @first to @last aside: "16 ■■ 3" said each
 * send's size beside the other's bar (the fifth trial, S14 in projector
 * mode). Past the other direction's, on the other side of the line, it
 * may: S11's receives, each echoed at once, were said nowhere. */
static gboolean
slide_clear (const ScopeTimelinePlacerInput *in,
             double                         *x,
             double                          y,
             double                          w,
             double                          h,
             int                             way,
             guint                           first,
             guint                           last,
             gboolean                        send)
{
  double start = *x;

  for (guint n = 0; n < MAX_SLIDE_STEPS; n++)
    {
      graphene_rect_t rect = snap (*x, y, w, h);
      gint mark;
      const graphene_rect_t *ink = ink_touched (in, &rect, &mark);

      if (ink == NULL)
        return TRUE;
      if (mark >= 0 && ((guint) mark < first || (guint) mark > last)
          && scope_event_kind_is_send (in->marks[mark].kind) == send)
        return FALSE;
      *x = way > 0 ? ceil (ink->origin.x + ink->size.width) + INK_GAP + 1
                   : floor (ink->origin.x) - INK_GAP - 1 - w;
      if (fabs (*x - start) > 2 * in->m->label_height)
        return FALSE;
      /* Nor past one hidden under a glyph jumped over */
      rect = snap (MIN (start, *x), y, fabs (*x - start) + w, h);
      for (guint i = 0; i < in->n_marks; i++)
        if ((i < first || i > last) && scope_event_kind_is_send (in->marks[i].kind) == send
            && touches (&in->marks[i].bar, &rect))
          return FALSE;
    }
  return FALSE;
}

/* A count above the middle of its lane for sends, below it for
 * receives, clear of every mark: just past its bars' ends, from its first
 * bar on; else beside its bars at their far end, the place nearest to
 * right of them that is free, at their end's height, nearest the line or
 * furthest from it, past the marks beside them, or the same left of them,
 * which reads less readily as theirs. */
static gboolean
place_cluster_said (const ScopeTimelinePlacerInput *in,
                    GArray                         *words,
                    Cluster                        *c,
                    Said                            said)
{
  const ScopeTimelinePlacerLane *lane = &in->lanes[c->lane];
  gboolean up = c->n_send >= c->n_recv;
  double top = MAX (lane->top, in->m->axis_height);
  double bottom = MIN (lane->top + in->m->lane_height, in->height);
  char *text = cluster_text (in, c, said);
  gboolean group = c->n_send + c->n_recv > 1;
  double h, w = measure (in, text, group, &h);
  double near = up ? lane->mid - h : lane->mid;
  /* First just past the bars' ends, from under its first bar (over it,
   * for sends), where a count reads as its bar's: S11's receives, with
   * the echo's bars beside them and the next lane's name under the lane,
   * had no other place in projector mode, and at a desk the last went
   * 50 px down among the bands (the tenth trial). */
  double past = up ? c->top - INK_GAP - 1 - h : c->bottom + INK_GAP + 1;
  /* No further past the bars' ends than half a line: in a lane stretched
   * to the window's height, S11's "16" went 90 px under its receive, read
   * as no one's (nor further from the line than a lane of the metrics'
   * own height allows); a lane's bars' own height away, still 37 px at a desk
   * and 95 px in projector mode among the echo's bands, read as a band's
   * (the seventeenth trial). */
  double reach = in->m->label_height + in->m->half_height + 2;
  double far = up ? MAX (MAX (lane->top, lane->mid - reach), past - h / 2)
                  : MIN (MIN (lane->top + in->m->lane_height, lane->mid + reach) - h, past + h / 2);
  double y = up ? CLAMP (c->top - h / 2, far, near) : CLAMP (c->bottom - h / 2, near, far);
  /* Last, across the line from its bars, where that side has no mark in
   * the way: S16's client read the page and then the zero-byte read, its
   * circle beside the page's bar, the lane's bottom under them, and the
   * wait's whisker left of them; neither was said (the tenth trial). */
  double across = up ? lane->mid + INK_GAP + 1 : lane->mid - INK_GAP - 1 - h;
  double ys[] = { past, y, near, far, across };
  guint last = G_N_ELEMENTS (ys) - 1;
  double best_cost = G_MAXDOUBLE;
  graphene_rect_t best = GRAPHENE_RECT_INIT (0, 0, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ys); i++)
    for (int way = 1; way >= -1; way -= 2)
      {
        gboolean from_bar = i == 0 || i == last;
        double from = from_bar ? (way > 0 ? c->left : c->right - w)
                      : way > 0 ? c->right + 3 : c->left - 3 - w;
        double x = from;
        double cost;
        graphene_rect_t rect;

        /* Across the line, the marks there are the ones not to pass */
        if (!slide_clear (in, &x, ys[i], w, h, way, c->first, c->last, up != (i == last)))
          continue;
        /* No further aside from its bars than a line: past a glyph beside
         * them (a connection's diamond, its marks laid side by side), "19"
         * read as the diamond's (the fan of marks) */
        if ((way > 0 ? x - c->right : c->left - x - w) > in->m->label_height)
          continue;
        rect = snap (x, ys[i], w, h);
        cost = fabs (x - from) + (i > 0 && i < last ? fabs (ys[i] - y) : 0)
               + (way < 0 ? h : 0) + (i == last ? ACROSS_THE_LINE : 0)
               + (on_a_band (in, &rect) ? ON_A_BAND : 0)
               + (way < 0 && before_other_marks (in, &rect, c->first, c->last)
                  ? BEFORE_EARLIER : 0);
        if (cost < best_cost && inside (&rect, 0, top, in->width, bottom)
            && is_free (words, &rect) && !beside_a_name (in, words, &rect))
          {
            best_cost = cost;
            best = rect;
          }
      }
  if (best_cost == G_MAXDOUBLE)
    {
      g_free (text);
      return FALSE;
    }
  c->placed = words->len;
  add_word (words, text, &best, group ? SCOPE_TIMELINE_WORD_GROUP : SCOPE_TIMELINE_WORD_COUNT,
            up ? SCOPE_TIMELINE_INK_SEND : SCOPE_TIMELINE_INK_RECV, lane->lane,
            in->marks[c->first].event)->grounded = on_a_band (in, &best);
  return TRUE;
}

/* Each call's size where it fits, with the call or alone, else the
 * total. */
static gboolean
place_cluster (const ScopeTimelinePlacerInput *in,
               GArray                         *words,
               Cluster                        *c)
{
  guint n = c->n_send + c->n_recv;

  return (n > 1 && n <= GROUP_SIZES_SAID
          && (place_cluster_said (in, words, c, SAID_SIZES)
              || place_cluster_said (in, words, c, SAID_SIZES_ONLY)))
         || place_cluster_said (in, words, c, SAID_TOTAL);
}

/* Marks a few pixels apart on one lane, in one direction, are one group:
 * sends with sends, receives with receives. A group never adds the bytes
 * a socket sent to those it received: S14's server, which reads 19 bytes
 * and echoes them, shows "19" twice, not 38. */
static GArray *
make_clusters (const ScopeTimelinePlacerInput *in)
{
  GArray *clusters = g_array_new (FALSE, FALSE, sizeof (Cluster));
  double join = in->m->mark_width + 2;
  gint open[2] = { -1, -1 };   /* this lane's last group of receives, of sends */
  guint lane = G_MAXUINT;

  for (guint i = 0; i < in->n_marks; i++)
    {
      const ScopeTimelinePlacerMark *mark = &in->marks[i];
      gboolean send = scope_event_kind_is_send (mark->kind);
      Cluster *last;

      if (mark->lane != lane)
        {
          lane = mark->lane;
          open[0] = open[1] = -1;
        }
      last = open[send] >= 0 ? &g_array_index (clusters, Cluster, open[send]) : NULL;
      if (last == NULL || mark->x - in->marks[last->last].x >= join)
        {
          Cluster c = {
            .lane = mark->lane, .first = i, .last = i, .kind = mark->kind,
            .left = G_MAXDOUBLE, .right = -G_MAXDOUBLE, .top = G_MAXDOUBLE,
            .bottom = -G_MAXDOUBLE, .placed = -1,
          };

          g_array_append_val (clusters, c);
          open[send] = (gint) clusters->len - 1;
          last = &g_array_index (clusters, Cluster, open[send]);
        }
      last->last = i;
      cluster_add (last, mark, in->selected);
    }
  return clusters;
}

static gboolean
same_way (const Cluster *a,
          const Cluster *b)
{
  return (a->n_send > 0) == (b->n_send > 0);
}

/* Whether two groups of a lane are near enough to be said as one: sends
 * 33 s and 300 px apart were one "4× send · 112 bytes", beside the last,
 * which a class read as its own (the seventh trial). Further apart, a
 * count with no room goes unsaid; a selection says it. */
#define JOIN_REACH_LINES 5

static gboolean
near_enough (const ScopeTimelinePlacerInput *in,
             const Cluster                  *left,
             const Cluster                  *right)
{
  return right->left - left->right <= JOIN_REACH_LINES * in->m->label_height;
}

static void
unplace (GArray  *words,
         GArray  *clusters,
         Cluster *c)
{
  if (c->placed < 0)
    return;
  g_array_remove_index (words, c->placed);
  for (guint i = 0; i < clusters->len; i++)
    {
      Cluster *other = &g_array_index (clusters, Cluster, i);

      if (other->placed > c->placed)
        other->placed--;
    }
  c->placed = -1;
}

/* The selection's count first, then the queues, then the other counts
 * left to right in each lane; one that finds no room joins the group to
 * its left. */
static void
place_counts (const ScopeTimelinePlacerInput *in,
              GArray                         *words)
{
  g_autoptr(GArray) clusters = make_clusters (in);
  gboolean *gone = g_new0 (gboolean, clusters->len + 1);

  for (guint i = 0; i < clusters->len; i++)
    {
      Cluster *c = &g_array_index (clusters, Cluster, i);

      if (c->selected && words->len < SCOPE_TIMELINE_MAX_WORDS)
        place_cluster (in, words, c);
    }
  place_queue (in, words);
  for (guint i = 0; i < clusters->len && words->len < SCOPE_TIMELINE_MAX_WORDS; i++)
    {
      Cluster *c = &g_array_index (clusters, Cluster, i);
      gint left = (gint) i - 1;

      if (c->selected)
        continue;
      /* A group to its left that found no room at all joins it first:
       * S11's first three receives, hemmed in by their echoes, were said
       * nowhere, the last one's "9" alone (the sixth trial). */
      while (left >= 0 && g_array_index (clusters, Cluster, left).lane == c->lane
             && (gone[left] || !same_way (&g_array_index (clusters, Cluster, left), c)))
        left--;
      if (left >= 0 && g_array_index (clusters, Cluster, left).lane == c->lane
          && g_array_index (clusters, Cluster, left).placed < 0
          && !g_array_index (clusters, Cluster, left).selected
          && near_enough (in, &g_array_index (clusters, Cluster, left), c))
        {
          Cluster *dropped = &g_array_index (clusters, Cluster, left);

          gone[left] = TRUE;
          cluster_merge (dropped, c);
          *c = *dropped;
          c->placed = -1;
          left--;
        }
      while (!place_cluster (in, words, c))
        {
          Cluster *neighbour;

          /* The nearest group to its left in its lane and direction. */
          while (left >= 0 && g_array_index (clusters, Cluster, left).lane == c->lane
                 && (gone[left] || !same_way (&g_array_index (clusters, Cluster, left), c)))
            left--;
          if (left < 0)
            break;
          neighbour = &g_array_index (clusters, Cluster, left);
          if (neighbour->lane != c->lane || neighbour->selected || !near_enough (in, neighbour, c))
            break;
          /* The two are one group now, said once where it fits. */
          unplace (words, clusters, neighbour);
          gone[left] = TRUE;
          cluster_merge (neighbour, c);
          *c = *neighbour;
          c->placed = -1;
          left--;
        }
    }
  g_free (gone);
}

/**
 * scope_timeline_place:
 *
 * Returns: (transfer full): the plan of every word on the timeline, of
 * ScopeTimelineWord, at most %SCOPE_TIMELINE_MAX_WORDS; no two touch, all
 * lie within @in's width and height
 */
/* At the right end of a lane whose events go on past the view, what
 * comes next: "close →". After S14, Disconnect's close came past the view
 * kept on the lesson, and the lane running on to the edge looked still
 * connected, the timeline stalled (the sixteenth trial). Above the lane's
 * line, else under it; clear of the marks and the other words, or unsaid. */
static void
place_later (const ScopeTimelinePlacerInput *in,
             GArray                         *words)
{
  for (guint i = 0; i < in->n_lanes && words->len < SCOPE_TIMELINE_MAX_WORDS; i++)
    {
      const ScopeTimelinePlacerLane *lane = &in->lanes[i];
      g_autofree char *text = NULL;
      double h, w;

      if (lane->later == NULL)
        continue;
      /* Translators: on the timeline, at the right end of a lane, the
       * socket call that comes next, past the view: "close →" */
      text = g_strdup_printf (C_("timeline", "%s →"), lane->later);
      w = measure (in, text, FALSE, &h);
      for (guint side = 0; side < 2; side++)
        {
          graphene_rect_t rect = snap (in->width - ORIGIN_MARGIN - w,
                                       side == 0 ? lane->mid - h - INK_GAP - 1
                                                 : lane->mid + INK_GAP + 1, w, h);
          gint mark;

          if (!inside (&rect, 0, MAX (lane->top, in->m->axis_height), in->width,
                       MIN (lane->top + in->m->lane_height, in->height))
              || !is_free (words, &rect) || ink_touched (in, &rect, &mark) != NULL)
            continue;
          add_word (words, g_steal_pointer (&text), &rect, SCOPE_TIMELINE_WORD_LATER,
                    SCOPE_TIMELINE_INK_FG, lane->lane, -1);
          break;
        }
    }
}

/* Each call said by name where its glyph leaves room, after the counts:
 * above the lane's line, right of it, else left, else under the line;
 * clear of the marks and the other words, or unsaid. */
static void
place_calls (const ScopeTimelinePlacerInput *in,
             GArray                         *words)
{
  for (guint i = 0; i < in->n_calls && words->len < SCOPE_TIMELINE_MAX_WORDS; i++)
    {
      const ScopeTimelinePlacerCall *call = &in->calls[i];
      const ScopeTimelinePlacerLane *lane = &in->lanes[call->lane];
      const graphene_rect_t *ink = &call->ink;
      double h, w = measure (in, call->name, FALSE, &h);

      for (guint place = 0; place < 8; place++)
        {
          gboolean right = place % 2 == 0, above = place % 4 < 2;
          /* A fifth of a line off the lane's line where there is room: its
           * parentheses and underscore, low in the line, touched it (the
           * eighteenth trial) */
          double off = INK_GAP + 1 + (place < 4 ? ceil (h / 5) : 0);
          graphene_rect_t rect = snap (right ? ink->origin.x + ink->size.width + INK_GAP + 1
                                             : ink->origin.x - INK_GAP - 1 - w,
                                       above ? lane->mid - h - off : lane->mid + off, w, h);
          gint mark;

          if (!inside (&rect, 0, MAX (lane->top, in->m->axis_height), in->width,
                       MIN (lane->top + in->m->lane_height, in->height))
              || !is_free (words, &rect) || ink_touched (in, &rect, &mark) != NULL)
            continue;
          add_word (words, g_strdup (call->name), &rect, SCOPE_TIMELINE_WORD_CALL,
                    SCOPE_TIMELINE_INK_FG, lane->lane, call->event)->grounded
            = on_a_band (in, &rect);
          break;
        }
    }
}

/* Lanes under the view with events in its time, said at its foot, right:
 * S17's two connections accepted last were under a projector's 1280×800
 * window with nothing to say so, the scrollbar a hairline (the
 * eighteenth trial); @above, those over it, under the axis (a scroll put
 * S17's listener out of sight, the nineteenth). Clear of the marks and
 * the other words, or unsaid. */
static void
place_beyond (const ScopeTimelinePlacerInput *in,
              GArray                         *words,
              gboolean                        above)
{
  g_autofree char *text = NULL;
  graphene_rect_t rect;
  guint n = above ? in->lanes_above : in->lanes_below;
  gint mark;
  double h, w;

  if (n == 0 || words->len >= SCOPE_TIMELINE_MAX_WORDS)
    return;
  text = above
         /* Translators: at the top of the timeline, under its axis, lanes
          * over the window that have events in the time it shows;
          * scrolling shows them */
         ? g_strdup_printf (ngettext ("↑ %u more lane", "↑ %u more lanes", n), n)
         /* Translators: at the foot of the timeline, lanes under the
          * window that have events in the time it shows; scrolling shows
          * them */
         : g_strdup_printf (ngettext ("↓ %u more lane", "↓ %u more lanes", n), n);
  w = measure (in, text, TRUE, &h);
  /* Right, else left, clear of the marks; else right, else left, over the
   * lines and glyphs, on its ground, never a bar: S17's accepts' lines run
   * down to the window's foot, and its last lane in view, cut there, had
   * its bars at the right and its whiskers at the left (trials 20, 21) */
  for (guint place = 0; place < 4; place++)
    {
      gboolean on_bar = FALSE;

      rect = snap (place % 2 == 1 ? in->m->pad : in->width - ORIGIN_MARGIN - w,
                   above ? in->m->axis_height + INK_GAP + 1 : in->height - h - INK_GAP - 1, w, h);
      for (guint i = 0; i < in->n_marks && place >= 2; i++)
        on_bar |= touches (&in->marks[i].bar, &rect);
      if (!inside (&rect, 0, in->m->axis_height, in->width, in->height)
          || !is_free (words, &rect) || on_bar
          || (place < 2 && ink_touched (in, &rect, &mark) != NULL))
        continue;
      add_word (words, g_steal_pointer (&text), &rect, SCOPE_TIMELINE_WORD_BELOW,
                SCOPE_TIMELINE_INK_FG, G_MAXUINT, -1)->grounded = TRUE;
      return;
    }
}

GArray *
scope_timeline_place (const ScopeTimelinePlacerInput *in)
{
  GArray *words = g_array_sized_new (FALSE, FALSE, sizeof (ScopeTimelineWord), 32);

  g_array_set_clear_func (words, word_clear);
  if (in->width < 1 || in->height < 1 || in->scale <= 0)
    return words;
  place_axis (in, words);
  place_lane_names (in, words);
  /* The note before the counts: on a busy view the counts fill the words
   * there may be, and a recording that stopped must still say so. */
  place_stop (in, words);
  place_beyond (in, words, FALSE);
  place_beyond (in, words, TRUE);
  place_counts (in, words);
  place_calls (in, words);
  place_later (in, words);
  if (words->len > SCOPE_TIMELINE_MAX_WORDS)
    g_array_set_size (words, SCOPE_TIMELINE_MAX_WORDS);
  return words;
}
