/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scope-timeline-private.h"

/* The timeline's layers where they need no display: the geometry of its
 * marks, the steps of its axis, where a label fits, the names of its
 * colours. */

static ScopeRecord
record_of (ScopeEventKind kind,
           guint          size)
{
  ScopeRecord record = { 0 };

  record.kind = kind;
  record.size = size;
  return record;
}

/* Sends go up from the middle, receives down, by their bytes on a log
 * scale; a glyph is a square about its time; a click reaches the widest. */
static void
test_mark_bounds (void)
{
  ScopeTimelineMetrics m = scope_timeline_metrics (FALSE);
  ScopeTimelineMetrics big = scope_timeline_metrics (TRUE);
  ScopeRecord send = record_of (SCOPE_EVENT_SEND, 3);
  ScopeRecord recv = record_of (SCOPE_EVENT_RECV, 65535);
  ScopeRecord none = record_of (SCOPE_EVENT_RECV, 0);
  ScopeRecord close = record_of (SCOPE_EVENT_CLOSE, 0);
  graphene_rect_t b;

  g_assert_cmpfloat (scope_timeline_bar_height (&m, 0), ==, m.min_bar);
  g_assert_cmpfloat (scope_timeline_bar_height (&m, 1 << 20), ==, m.half_height);
  g_assert_cmpfloat (scope_timeline_bar_height (&m, 3), <, scope_timeline_bar_height (&m, 4));

  g_assert_true (scope_timeline_record_is_bar (&send));
  scope_timeline_mark_bounds (&m, &send, 100, 50, &b);
  g_assert_cmpfloat (b.origin.x, ==, 100 - m.mark_width / 2);
  g_assert_cmpfloat (b.origin.y + b.size.height, ==, 50);
  g_assert_cmpfloat (b.size.height, ==, scope_timeline_bar_height (&m, 3));

  scope_timeline_mark_bounds (&m, &recv, 100, 50, &b);
  g_assert_cmpfloat (b.origin.y, ==, 50);
  g_assert_cmpfloat (b.size.height, ==, m.half_height);

  g_assert_false (scope_timeline_record_is_bar (&none));
  g_assert_false (scope_timeline_record_is_bar (&close));
  scope_timeline_mark_bounds (&m, &close, 100, 50, &b);
  g_assert_cmpfloat (b.origin.x + b.size.width / 2, ==, 100);
  g_assert_cmpfloat (b.origin.y + b.size.height / 2, ==, 50);
  g_assert_cmpfloat (b.size.width, ==, 2 * (m.mark_width + 1));

  /* The error's triangle is the widest glyph: its half and a pixel. */
  g_assert_cmpfloat (scope_timeline_mark_reach (&m), ==, m.mark_width + 4);
  g_assert_cmpfloat (scope_timeline_mark_reach (&big), ==, big.mark_width + 4);
}

static void
test_tick_steps (void)
{
  g_assert_cmpfloat (scope_timeline_tick_step (0.01, 110), ==, 2);
  g_assert_cmpfloat (scope_timeline_tick_step (1, 110), ==, 200);
  g_assert_cmpfloat (scope_timeline_tick_step (10, 110), ==, 2000);
  g_assert_cmpfloat (scope_timeline_tick_step (40, 110), ==, 5000);
  g_assert_cmpfloat (scope_timeline_tick_step (100, 100), ==, 10000);
  g_assert_cmpfloat (scope_timeline_tick_step (1e6, 110), ==, 2e8);
}

/* Right of the line if it fits, else left of it, never off the left edge. */
static void
test_label_fitting (void)
{
  g_assert_cmpfloat (scope_timeline_place_beside (100, 50, 800), ==, 106);
  g_assert_cmpfloat (scope_timeline_place_beside (780, 50, 800), ==, 724);
  g_assert_cmpfloat (scope_timeline_place_beside (30, 50, 60), ==, 0);
}

static void
test_color_names (void)
{
  g_autofree char *light = scope_timeline_color_name ("send", FALSE, FALSE);
  g_autofree char *strong = scope_timeline_color_name ("link_selected", TRUE, TRUE);

  g_assert_cmpstr (light, ==, "timeline_send");
  g_assert_cmpstr (strong, ==, "timeline_link_selected_dark_strong");
}

/* Relative to the origin, in the unit of the larger of the offset and the
 * step: what a person says aloud. */
static void
test_offset_labels (void)
{
  static const struct { double offset, step; const char *label; } cases[] = {
    { 0, 200, "+0 µs" },
    { 200, 200, "+200 µs" },
    { 1200, 200, "+1.2 ms" },
    { -400, 200, "-400 µs" },
    { 412, 1, "+412 µs" },
    { 2.5e6, 5e5, "+2.5 s" },
    { 1e-9, 1000, "+0 ms" },
    { 90e6, 30e6, "+1.5 min" },
    { -3 * 86400e6, 43200e6, "-3.0 d" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = scope_timeline_format_offset (cases[i].offset, cases[i].step);

      g_assert_cmpstr (label, ==, cases[i].label);
    }
}

/* A font with no display: as wide as its characters at about half an em
 * each, bold a little wider; the timeline's type is 11 pt, 20 pt in
 * projector mode. */
static double
fake_measure (const char *text,
              gboolean    bold,
              double     *height,
              gpointer    user_data)
{
  double em = *(double *) user_data;

  *height = ceil (em * 1.25);
  return ceil (g_utf8_strlen (text, -1) * em * (bold ? 0.6 : 0.52));
}

/* No count or group of @words covers any of @glyphs' ink. */
static void
assert_counts_clear (GArray     *words,
                     GArray     *glyphs,
                     const char *what)
{
  for (guint i = 0; i < words->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

      if (word->kind != SCOPE_TIMELINE_WORD_COUNT && word->kind != SCOPE_TIMELINE_WORD_GROUP)
        continue;
      for (guint j = 0; j < glyphs->len; j++)
        {
          const graphene_rect_t *ink = &g_array_index (glyphs, graphene_rect_t, j);

          if (graphene_rect_intersection (&word->rect, ink, NULL))
            g_error ("%s: “%s” at %g,%g %g×%g covers a mark at %g,%g %g×%g", what, word->text,
                     word->rect.origin.x, word->rect.origin.y, word->rect.size.width,
                     word->rect.size.height, ink->origin.x, ink->origin.y, ink->size.width,
                     ink->size.height);
        }
    }
}

/* A count of one mark lies beside it: no other mark at its height stands
 * between them, or the room reads it as that mark's ("16 ■■ 3", the fifth
 * trial). */
static void
assert_counts_beside (GArray                         *words,
                      const ScopeTimelinePlacerInput *in,
                      const char                     *what)
{
  for (guint i = 0; i < words->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);
      const ScopeTimelinePlacerMark *own = NULL;
      double word_mid = word->rect.origin.x + word->rect.size.width / 2;

      if (word->kind != SCOPE_TIMELINE_WORD_COUNT)
        continue;
      for (guint m = 0; m < in->n_marks && own == NULL; m++)
        if (in->marks[m].event == word->event)
          own = &in->marks[m];
      g_assert_nonnull (own);
      for (guint m = 0; m < in->n_marks; m++)
        {
          const graphene_rect_t *bar = &in->marks[m].bar;
          double own_left = own->bar.origin.x;
          double own_right = own->bar.origin.x + own->bar.size.width;
          gboolean between = word_mid > own_right
                             ? bar->origin.x >= own_right
                               && bar->origin.x + bar->size.width <= word->rect.origin.x
                             : bar->origin.x + bar->size.width <= own_left
                               && bar->origin.x >= word->rect.origin.x + word->rect.size.width;

          if (&in->marks[m] == own || in->marks[m].lane != own->lane
              || scope_event_kind_is_send (in->marks[m].kind)
                 != scope_event_kind_is_send (own->kind)
              || bar->origin.y > word->rect.origin.y + word->rect.size.height
              || bar->origin.y + bar->size.height < word->rect.origin.y || !between)
            continue;
          g_error ("%s: “%s” lies past another mark at %g from its own at %g", what,
                   word->text, bar->origin.x, own_left);
        }
    }
}

/* The axis' times, left to right, a whole number of one step from the
 * origin each, and no step left out between two. */
static void
check_ticks_even (GArray                         *words,
                  const ScopeTimelinePlacerInput *in,
                  gboolean                        projector)
{
  g_autoptr(GArray) anchors = g_array_new (FALSE, FALSE, sizeof (double));
  const ScopeTimelineWord *before = NULL;
  double step = 0;

  for (guint i = 0; i < words->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

      if (word->kind != SCOPE_TIMELINE_WORD_TICK)
        continue;
      g_array_append_val (anchors, word->anchor);
      /* Apart by about half an em of their type, as two times are said: at
       * 8 px in a projector's type, "+500 ms +1.0 s" read as one (the
       * fourteenth trial) */
      if (before != NULL)
        g_assert_cmpfloat (word->rect.origin.x - (before->rect.origin.x + before->rect.size.width),
                           >=, in->m->label_height * 0.36);
      before = word;
    }
  for (guint i = 1; i < anchors->len; i++)
    {
      double gap = g_array_index (anchors, double, i) - g_array_index (anchors, double, i - 1);

      g_assert_cmpfloat (gap, >, 0);
      if (step == 0)
        step = gap;
      if (fabs (gap - step) > 0.01)
        {
          for (guint w = 0; w < words->len; w++)
            {
              const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, w);

              if (word->kind == SCOPE_TIMELINE_WORD_TICK)
                g_printerr ("%s at %g [%g, %g]\n", word->text, word->anchor,
                            word->rect.origin.x, word->rect.size.width);
            }
          g_error ("ticks %g px apart, then %g, at width %g, scale %g µs/px%s", step, gap,
                   in->width, in->scale, projector ? ", projector" : "");
        }
    }
  if (anchors->len > 0 && step > 0)
    {
      /* The origin lies on the ticks' grid: "+0" is one where in view. */
      double k = (in->m->pad + (in->origin_us - in->start_us) / in->scale
                  - g_array_index (anchors, double, 0)) / step;

      g_assert_cmpfloat (fabs (k - round (k)), <, 0.01);
    }
}

/* One random session's view, placed: lanes of random names, marks of
 * random sizes at random places, some bunched closer than a mark, maybe a
 * selection and a stop. */
static void
check_random_plan (GRand    *rand,
                   gboolean  projector,
                   double    width,
                   double    scale)
{
  ScopeTimelineMetrics m = scope_timeline_metrics (projector);
  double em = projector ? 26.7 : 14.7;
  /* Half the views in lanes stretched to a window's height, as the
   * timeline does, each line in the middle of the room under its name */
  double stretch = g_rand_boolean (rand) ? 1 : g_rand_double_range (rand, 1, 4);
  double slack = m.lane_height - m.label_height - 2 * m.half_height;
  double height, reach;
  static const char *names[] = {
    "tcp-echo listening on 127.0.0.1:50000", "tcp-echo :50000 ← 127.0.0.1:53122",
    "client 127.0.0.1:53122 → 127.0.0.1:50000", "udp-upper 127.0.0.1:11111 (UDP)", "c",
  };
  ScopeTimelinePlacerLane lanes[6];
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (ScopeTimelinePlacerMark));
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));
  g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_autoptr(GArray) words = NULL;
  guint n_lanes = g_rand_int_range (rand, 1, 7);
  guint ticks = 0;
  gint64 index = 0;
  ScopeTimelinePlacerInput in = {
    .m = &m, .width = width, .scale = scale,
    .start_us = g_rand_double_range (rand, 0, 1e6) * scale,
    .relative = TRUE, .origin_name = "from send, client",
    .lanes = lanes, .n_lanes = n_lanes, .selected = -1,
    .measure = fake_measure, .measure_data = &em,
  };

  m.lane_height = floor (m.lane_height * stretch);
  m.half_height *= MIN (stretch, 2);
  height = m.axis_height + 6 * m.lane_height;
  in.height = height;
  reach = m.label_height + m.half_height + 2;
  in.origin_us = in.start_us + g_rand_double_range (rand, -100, width) * scale;
  for (guint i = 0; i < n_lanes; i++)
    {
      double x = g_rand_double_range (rand, -20, 40);

      lanes[i].lane = i;
      lanes[i].top = m.axis_height + i * m.lane_height;
      lanes[i].mid = lanes[i].top + m.label_height + m.half_height + 2
                     + (m.lane_height - m.label_height - 2 * m.half_height - slack) / 2;
      lanes[i].name = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];
      /* Events past the view's right edge, told there */
      lanes[i].later = g_rand_boolean (rand) ? "close" : NULL;
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          double q = g_rand_double_range (rand, -50, width);

          /* A listener's queue, in a few steps */
          for (guint k = 0; k < 3 && q < width; k++)
            {
              ScopeTimelineQueueStep step = {
                .lane = i, .event = index++, .x0 = q, .limit = 5,
                .waiting = g_rand_int_range (rand, 1, 9),
              };

              q += g_rand_double_range (rand, 0, width / 2);
              step.x1 = q;
              g_array_append_val (queue, step);
            }
          continue;
        }
      while (x < width + 20)
        {
          ScopeRecord record = { 0 };
          ScopeTimelinePlacerMark mark = { .lane = i, .event = index++ };

          record.kind = g_rand_boolean (rand) ? SCOPE_EVENT_SEND : SCOPE_EVENT_RECV;
          record.size = g_rand_int_range (rand, 1, 70000);
          mark.kind = record.kind;
          mark.size = record.size;
          mark.x = x;
          scope_timeline_mark_bounds (&m, &record, x, lanes[i].mid, &mark.bar);
          g_array_append_val (marks, mark);
          if (g_rand_int_range (rand, 0, 3) == 0)
            {
              /* An EOF circle, a close's bar or a shutdown near it */
              static const ScopeEventKind kinds[] = {
                SCOPE_EVENT_RECV, SCOPE_EVENT_CLOSE, SCOPE_EVENT_SHUTDOWN, SCOPE_EVENT_SEND,
              };
              ScopeRecord glyph = record_of (kinds[g_rand_int_range (rand, 0, 4)], 0);
              graphene_rect_t ink;

              scope_timeline_mark_ink (&m, &glyph, x + g_rand_double_range (rand, -10, 40),
                                       lanes[i].mid, &ink);
              g_array_append_val (glyphs, ink);
            }
          /* Bunched, near, or far apart */
          x += g_rand_boolean (rand) ? g_rand_double_range (rand, 0, m.mark_width + 2)
                                     : g_rand_double_range (rand, 0, width / 3);
        }
    }
  in.marks = (const ScopeTimelinePlacerMark *) (gpointer) marks->data;
  in.n_marks = marks->len;
  in.queue = (const ScopeTimelineQueueStep *) (gpointer) queue->data;
  in.n_queue = queue->len;
  in.glyphs = (const graphene_rect_t *) (gpointer) glyphs->data;
  in.n_glyphs = glyphs->len;
  if (marks->len > 0 && g_rand_boolean (rand))
    in.selected = g_rand_int_range (rand, 0, marks->len);
  if (g_rand_boolean (rand))
    {
      in.stop_text = "Recording stopped";
      in.stop_x = g_rand_double_range (rand, 0, width);
    }

  words = scope_timeline_place (&in);
  g_assert_cmpuint (words->len, <=, SCOPE_TIMELINE_MAX_WORDS);
  for (guint i = 0; i < marks->len; i++)
    g_array_append_val (glyphs, g_array_index (marks, ScopeTimelinePlacerMark, i).bar);
  assert_counts_clear (words, glyphs, projector ? "a random view, projector" : "a random view");
  assert_counts_beside (words, &in, projector ? "a random view, projector" : "a random view");
  for (guint i = 0; i < words->len; i++)
    {
      const ScopeTimelineWord *a = &g_array_index (words, ScopeTimelineWord, i);

      g_assert_nonnull (a->text);
      g_assert_cmpfloat (a->rect.size.width, >, 0);
      g_assert_cmpfloat (a->rect.origin.x, >=, 0);
      g_assert_cmpfloat (a->rect.origin.y, >=, 0);
      g_assert_cmpfloat (a->rect.origin.x + a->rect.size.width, <=, width);
      g_assert_cmpfloat (a->rect.origin.y + a->rect.size.height, <=, height);
      ticks += a->kind == SCOPE_TIMELINE_WORD_TICK;
      if (a->kind == SCOPE_TIMELINE_WORD_COUNT || a->kind == SCOPE_TIMELINE_WORD_GROUP
          || a->kind == SCOPE_TIMELINE_WORD_QUEUE)
        {
          /* In its own lane, never in another */
          g_assert_cmpfloat (a->rect.origin.y, >=, lanes[a->lane].top);
          g_assert_cmpfloat (a->rect.origin.y + a->rect.size.height, <=,
                             lanes[a->lane].top + m.lane_height);
        }
      if (a->kind == SCOPE_TIMELINE_WORD_COUNT || a->kind == SCOPE_TIMELINE_WORD_GROUP)
        {
          /* Near the line, however tall the lane: 90 px under it, in a
           * lane stretched to the window, "16" was no one's count; within
           * the pixel a word is snapped to */
          g_assert_cmpfloat (a->rect.origin.y, >=, lanes[a->lane].mid - reach - 1);
          g_assert_cmpfloat (a->rect.origin.y + a->rect.size.height, <=,
                             lanes[a->lane].mid + reach + 1);
        }
      for (guint j = i + 1; j < words->len; j++)
        {
          const ScopeTimelineWord *b = &g_array_index (words, ScopeTimelineWord, j);

          if (graphene_rect_intersection (&a->rect, &b->rect, NULL))
            g_error ("“%s” and “%s” overlap at width %g, scale %g µs/px%s", a->text, b->text,
                     width, scale, projector ? ", projector" : "");
        }
      /* A count on a lane's name's line half a line from it at least: "15"
       * just past "udp-upper 127.0.0.1:11111 (UDP)" read as part of the
       * name (the nineteenth trial) */
      for (guint j = 0; j < words->len; j++)
        {
          const ScopeTimelineWord *b = &g_array_index (words, ScopeTimelineWord, j);
          graphene_rect_t wide;

          if ((a->kind != SCOPE_TIMELINE_WORD_COUNT && a->kind != SCOPE_TIMELINE_WORD_GROUP)
              || b->kind != SCOPE_TIMELINE_WORD_LANE)
            continue;
          graphene_rect_inset_r (&b->rect, -m.label_height / 2, 0, &wide);
          if (graphene_rect_intersection (&a->rect, &wide, NULL))
            g_error ("“%s” at %g,%g against the lane name “%s” at width %g, scale %g µs/px%s",
                     a->text, a->rect.origin.x, a->rect.origin.y, b->text, width, scale,
                     projector ? ", projector" : "");
        }
    }
  /* The times step evenly, every one said, and never at an odd step:
   * "-200 ms, +100 ms, +400 ms" left "+0" out (the third trial). */
  check_ticks_even (words, &in, projector);
  /* Three times make a scale. Each time says the same step, so a narrow
   * timeline may have room for two only (three labels of "-8.5 min" at
   * 20 pt do not fit in 360 px evenly), and in projector type for one;
   * a lecture's, 800 px and more, three. */
  if (ticks < (!projector ? (width < 560 ? 2u : 3u)
                          : width < 560 ? 1u : width < 800 ? 2u : 3u))
    {
      g_autoptr(GString) said = g_string_new (NULL);

      for (guint i = 0; i < words->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

          g_string_append_printf (said, " [%s at %g]", word->text, word->rect.origin.x);
        }
      g_error ("%u ticks at width %g, scale %g µs/px%s:%s", ticks, width, scale,
               projector ? ", projector" : "", said->str);
    }
}

/* Whatever the session, width, type and zoom: no word covers another, all
 * lie inside the timeline, and the axis says at least three times. */
static void
test_placer (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint i = 0; i < 1500; i++)
    check_random_plan (rand, i % 2, g_rand_double_range (rand, 360, 1920),
                       pow (10, g_rand_double_range (rand, -2, 9)));
}

/* One call on a lane of the placer's tests: a bar where it has bytes, a
 * glyph where it has none, at @x. */
typedef struct
{
  ScopeEventKind kind;
  guint          size;
  double         x;
} Call;

/* The width of the view place_lane() places in */
static double lane_width = 800;

/* A lane of @calls at @em type, its bars and glyphs' ink; placed. */
static GArray *
place_lane (gboolean    projector,
            double      scale,
            const Call *calls,
            guint       n,
            GArray     *glyphs)
{
  ScopeTimelineMetrics m = scope_timeline_metrics (projector);
  double em = projector ? 26.7 : 14.7;
  ScopeTimelinePlacerLane lane = { .lane = 0, .top = m.axis_height, .name = "tcp-echo" };
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (ScopeTimelinePlacerMark));
  ScopeTimelinePlacerInput in = {
    .m = &m, .width = lane_width, .height = m.axis_height + 2 * m.lane_height, .scale = scale,
    .lanes = &lane, .n_lanes = 1, .selected = -1, .measure = fake_measure,
    .measure_data = &em,
  };

  lane.mid = lane.top + m.label_height + m.half_height + 2;
  for (guint i = 0; i < n; i++)
    {
      ScopeRecord record = record_of (calls[i].kind, calls[i].size);
      ScopeTimelinePlacerMark mark = {
        .lane = 0, .event = i, .kind = calls[i].kind, .size = calls[i].size, .x = calls[i].x,
      };
      graphene_rect_t ink;

      scope_timeline_mark_ink (&m, &record, calls[i].x, lane.mid, &ink);
      if (scope_timeline_record_is_bar (&record))
        {
          mark.bar = ink;
          g_array_append_val (marks, mark);
        }
      else
        g_array_append_val (glyphs, ink);
    }
  for (guint i = 0; i < marks->len; i++)
    g_array_append_val (glyphs, g_array_index (marks, ScopeTimelinePlacerMark, i).bar);
  in.marks = (const ScopeTimelinePlacerMark *) (gpointer) marks->data;
  in.n_marks = marks->len;
  /* The bars again among the glyphs: the placer minds both, once or twice */
  in.glyphs = (const graphene_rect_t *) (gpointer) glyphs->data;
  in.n_glyphs = glyphs->len - marks->len;
  return scope_timeline_place (&in);
}

/* The counts a lane says, left to right in the plan: "[19 recv][19 send]". */
static char *
counts_said (GArray *words)
{
  GString *said = g_string_new (NULL);

  for (guint i = 0; i < words->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

      if (word->kind == SCOPE_TIMELINE_WORD_COUNT || word->kind == SCOPE_TIMELINE_WORD_GROUP)
        g_string_append_printf (said, "[%s %s]", word->text,
                                word->ink == SCOPE_TIMELINE_INK_SEND ? "send" : "recv");
    }
  return g_string_free (said, FALSE);
}

static char *
counts_of_lane (const Call *calls,
                guint       n)
{
  g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_autoptr(GArray) words = place_lane (FALSE, 1, calls, n, glyphs);

  return counts_said (words);
}

/* S11: receives of 16, 16 and 11 bytes a few pixels apart are one group,
 * said once; far apart, each its count. */
static void
test_placer_groups (void)
{
  for (guint spacing = 0; spacing < 2; spacing++)
    {
      Call calls[3];
      const guint sizes[] = { 16, 16, 11 };
      g_autofree char *said = NULL;

      for (guint i = 0; i < 3; i++)
        calls[i] = (Call) { SCOPE_EVENT_RECV, sizes[i], 300 + i * (spacing ? 120 : 4) };
      said = counts_of_lane (calls, 3);
      g_assert_cmpstr (said, ==, spacing ? "[16 recv][16 recv][11 recv]"
                                         : "[3× recv · 16 + 16 + 11 bytes recv]");
    }
}

/* A group with no room for "2× recv · 16 + 14 bytes" says "16 + 14": its
 * total, "2× recv · 30 bytes", read as one 30-byte receive through S11's
 * 16-byte buffer (the thirteenth trial, 1920×1080 in projector mode). With
 * no room for that either, the total. */
static void
test_placer_sizes_alone (void)
{
  const Call calls[] = { { SCOPE_EVENT_RECV, 16, 100 }, { SCOPE_EVENT_RECV, 14, 104 } };
  const struct { double width; const char *said; } rooms[] = {
    { 800, "[2× recv · 16 + 14 bytes recv]" },
    { 240, "[16 + 14 recv]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    {
      g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
      g_autoptr(GArray) words = NULL;
      g_autofree char *said = NULL;

      lane_width = rooms[i].width;
      words = place_lane (TRUE, 1, calls, G_N_ELEMENTS (calls), glyphs);
      said = counts_said (words);
      g_assert_cmpstr (said, ==, rooms[i].said);
    }
  lane_width = 800;
}

/* S14's server reads 19 bytes and echoes them at once: its lane says 19
 * below for the receive and 19 above for the send, never "2 calls · 38
 * bytes", which adds what it sent to what it read. S11's four receives
 * between three echoes, a pixel apart, group as receives alone. */
static void
test_placer_directions (void)
{
  const Call s14[] = {
    { SCOPE_EVENT_RECV, 19, 300 }, { SCOPE_EVENT_SEND, 19, 301 },
  }, s11[] = {
    { SCOPE_EVENT_RECV, 16, 300 }, { SCOPE_EVENT_SEND, 16, 301 }, { SCOPE_EVENT_RECV, 16, 302 },
    { SCOPE_EVENT_SEND, 16, 303 }, { SCOPE_EVENT_RECV, 16, 304 }, { SCOPE_EVENT_SEND, 16, 305 },
    { SCOPE_EVENT_RECV, 13, 306 },
  };
  g_autofree char *said_s14 = counts_of_lane (s14, G_N_ELEMENTS (s14));
  g_autofree char *said_s11 = counts_of_lane (s11, G_N_ELEMENTS (s11));

  g_assert_cmpstr (said_s14, ==, "[19 recv][19 send]");
  g_assert_cmpstr (said_s11, ==,
                   "[4× recv · 16 + 16 + 16 + 13 bytes recv][3× send · 16 + 16 + 16 bytes send]");
}

/* S11 in projector type at 1280×800, as the lecture test saw it: three
 * receives of 16 and one of 9, each echoed at once, a few pixels apart.
 * Every receive is said, alone or in a group; hemmed in by their echoes,
 * the first three were said nowhere, "9" alone (the sixth trial). */
static void
test_placer_hemmed_in (void)
{
  const Call s11[] = {
    { SCOPE_EVENT_RECV, 16, 390 }, { SCOPE_EVENT_SEND, 16, 395 },
    { SCOPE_EVENT_RECV, 16, 470 }, { SCOPE_EVENT_SEND, 16, 475 },
    { SCOPE_EVENT_RECV, 9, 500 }, { SCOPE_EVENT_SEND, 9, 502 },
  };
  g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  ScopeTimelineMetrics m = scope_timeline_metrics (TRUE);
  double mid = m.axis_height + m.label_height + m.half_height + 2;
  g_autoptr(GArray) words = NULL;
  g_autofree char *said = NULL;
  guint64 received = 0, sent = 0;

  /* Each receive's whisker back to where the bytes arrived, at 224 */
  for (guint i = 0; i < G_N_ELEMENTS (s11); i += 2)
    {
      ScopeRecord record = record_of (SCOPE_EVENT_RECV, s11[i].size);
      graphene_rect_t bar, whisker, strokes[2];

      scope_timeline_mark_bounds (&m, &record, s11[i].x, mid, &bar);
      graphene_rect_init (&whisker, 224, bar.origin.y, bar.origin.x - 224, bar.size.height);
      scope_timeline_whisker_strokes (&whisker, m.line_width, strokes);
      g_array_append_vals (glyphs, strokes, 2);
    }
  words = place_lane (TRUE, 1, s11, G_N_ELEMENTS (s11), glyphs);
  said = counts_said (words);

  g_test_message ("S11 in projector type says %s", said);
  for (guint i = 0; i < words->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);
      const char *bytes = strstr (word->text, " · ");
      guint64 total = 0;

      if (word->kind != SCOPE_TIMELINE_WORD_COUNT && word->kind != SCOPE_TIMELINE_WORD_GROUP)
        continue;
      /* "16", "3× recv · 16 + 16 + 9 bytes" or "3× recv · 41 bytes" */
      for (const char *p = bytes != NULL ? bytes + strlen (" · ") : word->text; *p != '\0';)
        {
          char *end;

          total += g_ascii_strtoull (p, &end, 10);
          p = end;
          while (*p == ' ' || *p == '+')
            p++;
          if (!g_ascii_isdigit (*p))
            break;
        }
      if (word->ink == SCOPE_TIMELINE_INK_SEND)
        sent += total;
      else
        received += total;
    }
  g_assert_cmpuint (received, ==, 41);
  g_assert_cmpuint (sent, ==, 41);
}

/* Sends 300 px apart, the first two with no room for a count (ink all
 * about them): they go unsaid, never joined to the third's, which a
 * class reads as its own ("4× send · 112 bytes" beside the 32-byte send
 * of S15, the seventh trial). Near ones still join: placer-hemmed-in. */
static void
test_placer_far_apart_not_joined (void)
{
  const Call calls[] = {
    { SCOPE_EVENT_SEND, 61, 100 }, { SCOPE_EVENT_SEND, 3, 400 }, { SCOPE_EVENT_SEND, 32, 700 },
  };
  g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_autoptr(GArray) words = NULL;
  g_autofree char *said = NULL;

  /* Ink over the whole lane about the first two: no count fits there */
  for (guint i = 0; i < 2; i++)
    {
      graphene_rect_t ink = GRAPHENE_RECT_INIT (calls[i].x - 90, 0, 180, 1000);

      g_array_append_val (glyphs, ink);
    }
  words = place_lane (FALSE, 1, calls, G_N_ELEMENTS (calls), glyphs);
  said = counts_said (words);
  g_assert_cmpstr (said, ==, "[32 send]");
}

/* S17's queue in three steps, 2, 6 and 5 waiting, an accept's diamond
 * where the last one's words would start: said are the latest and the
 * longest, clear of the diamond, and "full · …" on a line of its own
 * under the listener's line (the seventh trial: "6", "2", "5 waiting" out
 * of time order, a diamond over "5 waiting", two sentences run together). */
static void
test_placer_queue_words (void)
{
  for (guint projector = 0; projector < 2; projector++)
    {
      ScopeTimelineMetrics m = scope_timeline_metrics (projector);
      double em = projector ? 26.7 : 14.7;
      ScopeTimelinePlacerLane lane = { .lane = 0, .top = m.axis_height, .name = "tcp-echo" };
      ScopeTimelineQueueStep steps[] = {
        { .lane = 0, .event = 1, .x0 = 40, .x1 = 200, .waiting = 2, .limit = 5 },
        { .lane = 0, .event = 2, .x0 = 200, .x1 = 420, .waiting = 6, .limit = 5 },
        { .lane = 0, .event = 3, .x0 = 420, .x1 = 780, .waiting = 5, .limit = 5 },
      };
      ScopeRecord accept = record_of (SCOPE_EVENT_ACCEPT, 0);
      graphene_rect_t diamond;
      ScopeTimelinePlacerInput in = {
        .m = &m, .width = 800, .height = m.axis_height + 3 * m.lane_height, .scale = 1,
        .lanes = &lane, .n_lanes = 1, .selected = -1, .measure = fake_measure,
        .measure_data = &em, .queue = steps, .n_queue = G_N_ELEMENTS (steps),
      };
      g_autoptr(GArray) words = NULL;
      const ScopeTimelineWord *six = NULL, *five = NULL, *full = NULL;

      m.lane_height *= 2;
      lane.mid = lane.top + m.label_height + m.half_height + 2;
      scope_timeline_mark_ink (&m, &accept, 425, lane.mid, &diamond);
      /* Ink over the band's words where the last step starts (the
       * diamond, drawn taller: under the line it was) */
      diamond.origin.y = lane.top;
      diamond.size.height = lane.mid - 1 - lane.top;
      in.glyphs = &diamond;
      in.n_glyphs = 1;
      words = scope_timeline_place (&in);
      for (guint i = 0; i < words->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

          g_assert_false (g_str_has_prefix (word->text, "2 waiting"));
          if (g_str_equal (word->text, "6 waiting · backlog 5"))
            six = word;
          else if (g_str_equal (word->text, "5 waiting · backlog 5"))
            five = word;
          else if (g_str_has_prefix (word->text, "full · "))
            full = word;
        }
      g_assert_nonnull (six);
      g_assert_nonnull (five);
      g_assert_nonnull (full);
      g_assert_false (graphene_rect_intersection (&five->rect, &diamond, NULL));
      g_assert_cmpfloat (five->rect.origin.x, >=, 420);
      g_assert_cmpfloat (full->rect.origin.y, >, lane.mid);
      g_assert_cmpfloat (full->rect.origin.x, ==, six->rect.origin.x);
    }
}

/* The axis says what its times count from, at 1280×800 in projector
 * type too: in full where three times fit beside it, else without the
 * socket (it said nothing there, the eighth trial). */
static void
test_placer_origin_said (void)
{
  /* GTK's overlay scrollbar, hovered: 8 px and its margin */
  const double scrollbar_room = 12;

  for (guint projector = 0; projector < 2; projector++)
    for (double width = 500; width <= 1500; width += 100)
      {
        ScopeTimelineMetrics m = scope_timeline_metrics (projector);
        double em = projector ? 26.7 : 14.7;
        ScopeTimelinePlacerInput in = {
          .m = &m, .width = width, .height = m.axis_height + m.lane_height,
          .scale = 150.0 / (width * 0.7), .start_us = 1000, .origin_us = 1000 + 20,
          .relative = TRUE, .origin_name = "from bytes arriving, tcp-echo", .selected = -1,
          .measure = fake_measure, .measure_data = &em,
        };
        g_autoptr(GArray) words = scope_timeline_place (&in);
        const char *said = NULL;
        guint ticks = 0;
        double reach = 0;

        for (guint i = 0; i < words->len; i++)
          {
            const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

            if (word->kind == SCOPE_TIMELINE_WORD_ORIGIN)
              {
                said = word->text;
                /* Clear of the lanes' overlay scrollbar at the right edge
                 * (the thirteenth trial: "…, http" cut) */
                g_assert_cmpfloat (word->rect.origin.x + word->rect.size.width, <=,
                                   width - scrollbar_room);
              }
            if (word->kind == SCOPE_TIMELINE_WORD_TICK)
              {
                ticks++;
                reach = MAX (reach, word->anchor);
              }
          }
        g_test_message ("%g px%s: %s, %u times to %g px", width, projector ? ", projector" : "",
                        said, ticks, reach);
        if (width >= 700)
          {
            g_assert_nonnull (said);
            g_assert_true (g_str_has_prefix (said, "from bytes arriving"));
            g_assert_cmpuint (ticks, >=, 3);
            /* Times across about half the view, where it is as wide as at
             * 1280×800 with the controls shown: in projector type there,
             * three in its first third, under the full name (the
             * fifteenth trial) */
            if (width >= 800)
              g_assert_cmpfloat (reach, >=, 0.45 * width);
          }
      }
}

/* S16 on the client's lane and the server's: the client sends 35 bytes,
 * reads the 361 of the reply, its EOF circle and its close a moment
 * after; the server reads the 35, sends the 361 and closes at once. Its
 * counts go beside every mark, not under the circle or across a close's
 * bar, however near they come, in normal and projector type. */
static void
test_placer_clear_of_glyphs (void)
{
  for (guint projector = 0; projector < 2; projector++)
    for (double gap = 0; gap <= 40; gap += 1)
      {
        const Call client[] = {
          { SCOPE_EVENT_SEND, 35, 200 }, { SCOPE_EVENT_RECV, 361, 500 },
          { SCOPE_EVENT_RECV, 0, 500 + gap }, { SCOPE_EVENT_CLOSE, 0, 500 + 2 * gap },
        }, server[] = {
          { SCOPE_EVENT_RECV, 35, 250 }, { SCOPE_EVENT_SEND, 361, 250 + gap / 2 },
          { SCOPE_EVENT_CLOSE, 0, 250 + gap }, { SCOPE_EVENT_RECV, 0, 250 + gap / 3 },
        };
        const struct { const Call *calls; const char *said; } lanes[] = {
          { client, "[35 send][361 recv]" }, { server, "[35 recv][361 send]" },
        };

        for (guint l = 0; l < G_N_ELEMENTS (lanes); l++)
          {
            g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
            g_autoptr(GArray) words = place_lane (projector, 1, lanes[l].calls, 4, glyphs);
            g_autofree char *said = counts_said (words);
            g_autofree char *what = g_strdup_printf ("%s lane, %g px apart%s",
                                                     l == 0 ? "client's" : "server's", gap,
                                                     projector ? ", projector" : "");

            g_assert_cmpstr (said, ==, lanes[l].said);
            assert_counts_clear (words, glyphs, what);
          }
      }
}

/* S16's server: it reads the 35-byte request, then sends the 361 of the
 * reply a few pixels on, the reply's band leaving its bar to the right.
 * The count goes on the band rather than left, over the request's read:
 * there it read as a reply sent before the request came (the sixteenth
 * trial). In normal and projector type. */
static void
test_placer_not_before_earlier_marks (void)
{
  for (guint projector = 0; projector < 2; projector++)
    {
      ScopeTimelineMetrics m = scope_timeline_metrics (projector);
      double em = projector ? 26.7 : 14.7;
      ScopeTimelinePlacerLane lane = { .lane = 0, .top = m.axis_height, .name = "http" };
      const Call calls[] = { { SCOPE_EVENT_RECV, 35, 300 }, { SCOPE_EVENT_SEND, 361, 340 } };
      ScopeTimelinePlacerMark marks[2];
      graphene_rect_t band;
      ScopeTimelinePlacerInput in = {
        .m = &m, .width = lane_width, .height = m.axis_height + 2 * m.lane_height, .scale = 1,
        .lanes = &lane, .n_lanes = 1, .marks = marks, .n_marks = 2, .bands = &band,
        .n_bands = 1, .selected = -1, .measure = fake_measure, .measure_data = &em,
      };
      g_autoptr(GArray) words = NULL;
      const ScopeTimelineWord *reply = NULL;

      lane.mid = lane.top + m.label_height + m.half_height + 2;
      for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
        {
          ScopeRecord record = record_of (calls[i].kind, calls[i].size);

          marks[i] = (ScopeTimelinePlacerMark) { .lane = 0, .event = i, .kind = calls[i].kind,
                                                 .size = calls[i].size, .x = calls[i].x };
          scope_timeline_mark_ink (&m, &record, calls[i].x, lane.mid, &marks[i].bar);
        }
      /* The reply's band, from its bar's right edge down and on */
      band = GRAPHENE_RECT_INIT (marks[1].bar.origin.x + marks[1].bar.size.width, lane.top,
                                 200, m.lane_height);
      words = scope_timeline_place (&in);
      for (guint i = 0; i < words->len; i++)
        if (g_str_equal (g_array_index (words, ScopeTimelineWord, i).text, "361"))
          reply = &g_array_index (words, ScopeTimelineWord, i);
      g_assert_nonnull (reply);
      g_assert_cmpfloat (reply->rect.origin.x, >=,
                         marks[0].bar.origin.x + marks[0].bar.size.width);
    }
}

/* S17 in projector mode at 1280×800: the last lane in view is cut at the
 * window's foot, its bars at the right and its whisker across the left.
 * The lanes under it are said at the foot all the same, over the whisker
 * and never over a bar: neither side was clear, and nothing was said
 * (trials 20 and 21). */
static void
test_placer_lanes_below_said (void)
{
  ScopeTimelineMetrics m = scope_timeline_metrics (TRUE);
  double em = 20, height = 600, width = 800;
  ScopeTimelinePlacerLane lane = {
    .lane = 3, .top = height - m.lane_height / 2, .name = "tcp-echo :50000 ← 127.0.0.1:32830",
  };
  ScopeRecord recv = record_of (SCOPE_EVENT_RECV, 14);
  ScopeTimelinePlacerMark mark = {
    .lane = 0, .event = 1, .kind = SCOPE_EVENT_RECV, .size = 14, .x = width - 80,
  };
  graphene_rect_t whisker, close = GRAPHENE_RECT_INIT (width - 30, 0, 6, height);
  graphene_rect_t glyphs[2];
  ScopeTimelinePlacerInput in = {
    .m = &m, .width = width, .height = height, .scale = 1, .lanes = &lane, .n_lanes = 1,
    .marks = &mark, .n_marks = 1, .glyphs = glyphs, .n_glyphs = G_N_ELEMENTS (glyphs),
    .lanes_below = 4, .selected = -1, .measure = fake_measure, .measure_data = &em,
  };
  g_autoptr(GArray) words = NULL;
  gboolean said = FALSE;

  lane.mid = height - 30;
  scope_timeline_mark_bounds (&m, &recv, mark.x, lane.mid, &mark.bar);
  /* The whisker from the left edge to the bar, through the foot's line */
  whisker = GRAPHENE_RECT_INIT (0, height - 20, mark.bar.origin.x, m.line_width);
  glyphs[0] = whisker;
  glyphs[1] = close;
  words = scope_timeline_place (&in);
  for (guint i = 0; i < words->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

      if (word->kind != SCOPE_TIMELINE_WORD_BELOW)
        continue;
      g_assert_cmpstr (word->text, ==, "↓ 4 more lanes");
      g_assert_false (graphene_rect_intersection (&word->rect, &mark.bar, NULL));
      g_assert_cmpfloat (word->rect.origin.y + word->rect.size.height, <=, height);
      said = TRUE;
    }
  g_assert_true (said);
}

/* Each glyph's ink box holds every pixel it paints, and is no larger
 * than they are by more than a pixel's antialiasing: what the counts keep
 * clear of is what is seen. */
static void
test_glyph_ink (void)
{
  static const ScopeEventKind kinds[] = {
    SCOPE_EVENT_LISTEN, SCOPE_EVENT_ACCEPT, SCOPE_EVENT_CONNECT, SCOPE_EVENT_READABLE,
    SCOPE_EVENT_SHUTDOWN, SCOPE_EVENT_CLOSE, SCOPE_EVENT_ERROR, SCOPE_EVENT_REFUSED,
    SCOPE_EVENT_SEND, SCOPE_EVENT_RECV,
  };
  ScopeTimelinePalette p;

  memset (&p, 0, sizeof p);
  p.fg = p.error = p.send = p.recv = (GdkRGBA) { 0, 0, 0, 1 };
  for (guint projector = 0; projector < 2; projector++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        ScopeTimelineMetrics m = scope_timeline_metrics (projector);
        ScopeRecord record = record_of (kinds[k], 0);
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 100, 100);
        cairo_t *cr = cairo_create (surface);
        double left = 100, top = 100, right = 0, bottom = 0;
        graphene_rect_t ink;
        const guint8 *data;
        int stride;

        scope_timeline_draw_glyph (cr, &m, &p, kinds[k], 50, 50);
        cairo_surface_flush (surface);
        data = cairo_image_surface_get_data (surface);
        stride = cairo_image_surface_get_stride (surface);
        for (int y = 0; y < 100; y++)
          for (int x = 0; x < 100; x++)
            if (data[y * stride + x] > 0)
              {
                left = MIN (left, x);
                top = MIN (top, y);
                right = MAX (right, x + 1);
                bottom = MAX (bottom, y + 1);
              }
        scope_timeline_mark_ink (&m, &record, 50, 50, &ink);
        g_test_message ("%s: painted %g,%g to %g,%g; ink %g,%g %g×%g",
                        scope_event_kind_to_string (kinds[k]), left, top, right, bottom,
                        ink.origin.x, ink.origin.y, ink.size.width, ink.size.height);
        g_assert_cmpfloat (left, <, right);
        g_assert_cmpfloat (floor (ink.origin.x), <=, left);
        g_assert_cmpfloat (floor (ink.origin.y), <=, top);
        g_assert_cmpfloat (ceil (ink.origin.x + ink.size.width), >=, right);
        g_assert_cmpfloat (ceil (ink.origin.y + ink.size.height), >=, bottom);
        g_assert_cmpfloat (ink.origin.x, >=, left - 1);
        g_assert_cmpfloat (ink.origin.y, >=, top - 1);
        g_assert_cmpfloat (ink.origin.x + ink.size.width, <=, right + 1);
        g_assert_cmpfloat (ink.origin.y + ink.size.height, <=, bottom + 1);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
}

/* A busy view: more counts than the words there may be. The note that
 * recording stopped is still said, not pushed out by them. */
static void
test_placer_stop_note_on_busy_view (void)
{
  ScopeTimelineMetrics m = scope_timeline_metrics (FALSE);
  double em = 14.7;
  ScopeTimelinePlacerLane lanes[6];
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (ScopeTimelinePlacerMark));
  g_autoptr(GArray) words = NULL;
  guint counts = 0, stops = 0;
  ScopeTimelinePlacerInput in = {
    .m = &m, .width = 1920, .height = m.axis_height + 6 * m.lane_height, .scale = 1,
    .lanes = lanes, .n_lanes = 6, .selected = -1, .measure = fake_measure,
    .measure_data = &em, .stop_text = "Recording stopped", .stop_x = 1500,
  };

  for (guint i = 0; i < 6; i++)
    {
      lanes[i] = (ScopeTimelinePlacerLane) { .lane = i, .top = m.axis_height + i * m.lane_height,
                                             .name = "c" };
      lanes[i].mid = lanes[i].top + m.label_height + m.half_height + 2;
      for (double x = 40; x < 1900; x += 40)
        {
          ScopeRecord record = { 0 };
          ScopeTimelinePlacerMark mark = {
            .lane = i, .event = marks->len, .kind = SCOPE_EVENT_RECV, .size = 7, .x = x,
          };

          record.kind = SCOPE_EVENT_RECV;
          record.size = 7;
          scope_timeline_mark_bounds (&m, &record, x, lanes[i].mid, &mark.bar);
          g_array_append_val (marks, mark);
        }
    }
  in.marks = (const ScopeTimelinePlacerMark *) (gpointer) marks->data;
  in.n_marks = marks->len;
  words = scope_timeline_place (&in);
  for (guint i = 0; i < words->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

      counts += word->kind == SCOPE_TIMELINE_WORD_COUNT;
      stops += word->kind == SCOPE_TIMELINE_WORD_STOP;
    }
  g_assert_cmpuint (words->len, ==, SCOPE_TIMELINE_MAX_WORDS);
  g_assert_cmpuint (counts, >, 0);
  g_assert_cmpuint (stops, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline-layers/mark-bounds", test_mark_bounds);
  g_test_add_func ("/timeline-layers/tick-steps", test_tick_steps);
  g_test_add_func ("/timeline-layers/label-fitting", test_label_fitting);
  g_test_add_func ("/timeline-layers/color-names", test_color_names);
  g_test_add_func ("/timeline-layers/offset-labels", test_offset_labels);
  g_test_add_func ("/timeline-layers/placer", test_placer);
  g_test_add_func ("/timeline-layers/placer-groups", test_placer_groups);
  g_test_add_func ("/timeline-layers/placer-sizes-alone", test_placer_sizes_alone);
  g_test_add_func ("/timeline-layers/placer-directions", test_placer_directions);
  g_test_add_func ("/timeline-layers/placer-hemmed-in", test_placer_hemmed_in);
  g_test_add_func ("/timeline-layers/placer-far-apart-not-joined",
                   test_placer_far_apart_not_joined);
  g_test_add_func ("/timeline-layers/placer-queue-words", test_placer_queue_words);
  g_test_add_func ("/timeline-layers/placer-origin-said", test_placer_origin_said);
  g_test_add_func ("/timeline-layers/placer-clear-of-glyphs", test_placer_clear_of_glyphs);
  g_test_add_func ("/timeline-layers/placer-not-before-earlier-marks",
                   test_placer_not_before_earlier_marks);
  g_test_add_func ("/timeline-layers/glyph-ink", test_glyph_ink);
  g_test_add_func ("/timeline-layers/placer-lanes-below-said", test_placer_lanes_below_said);
  g_test_add_func ("/timeline-layers/stop-note-on-busy-view", test_placer_stop_note_on_busy_view);

  return g_test_run ();
}
