/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

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

static void
test_tick_labels (void)
{
  static const struct { double time, step; const char *label; } cases[] = {
    { 0, 200, "0 µs" },
    { 400, 200, "400 µs" },
    { 2000, 1000, "2 ms" },
    { 2500, 500, "2500 µs" },     /* the unit is the step's */
    { 2.5, 0.5, "2.5 µs" },
    { 1e-7, 1000, "0 ms" },       /* not "-0 ms" */
    { -1e-7, 1000, "0 ms" },
    { 3e6, 1e6, "3 s" },
    { 1.5e6, 5e5, "1500 ms" },
    { 5e6, 5e6, "5 s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = scope_timeline_format_tick (cases[i].time, cases[i].step);

      g_assert_cmpstr (label, ==, cases[i].label);
    }
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
  double height = m.axis_height + 6 * m.lane_height;
  static const char *names[] = {
    "tcp-echo listening on 127.0.0.1:50000", "tcp-echo :50000 ← 127.0.0.1:53122",
    "client 127.0.0.1:53122 → 127.0.0.1:50000", "udp-upper 127.0.0.1:11111 (UDP)", "c",
  };
  ScopeTimelinePlacerLane lanes[6];
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (ScopeTimelinePlacerMark));
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));
  g_autoptr(GArray) words = NULL;
  guint n_lanes = g_rand_int_range (rand, 1, 7);
  guint ticks = 0;
  gint64 index = 0;
  ScopeTimelinePlacerInput in = {
    .m = &m, .width = width, .height = height, .scale = scale,
    .start_us = g_rand_double_range (rand, 0, 1e6) * scale,
    .relative = TRUE, .origin_name = "from send, client",
    .lanes = lanes, .n_lanes = n_lanes, .selected = -1,
    .measure = fake_measure, .measure_data = &em,
  };

  in.origin_us = in.start_us + g_rand_double_range (rand, -100, width) * scale;
  for (guint i = 0; i < n_lanes; i++)
    {
      double x = g_rand_double_range (rand, -20, 40);

      lanes[i].lane = i;
      lanes[i].top = m.axis_height + i * m.lane_height;
      lanes[i].mid = lanes[i].top + m.label_height + m.half_height + 2;
      lanes[i].name = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];
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
          /* Bunched, near, or far apart */
          x += g_rand_boolean (rand) ? g_rand_double_range (rand, 0, m.mark_width + 2)
                                     : g_rand_double_range (rand, 0, width / 3);
        }
    }
  in.marks = (const ScopeTimelinePlacerMark *) (gpointer) marks->data;
  in.n_marks = marks->len;
  in.queue = (const ScopeTimelineQueueStep *) (gpointer) queue->data;
  in.n_queue = queue->len;
  if (marks->len > 0 && g_rand_boolean (rand))
    in.selected = g_rand_int_range (rand, 0, marks->len);
  if (g_rand_boolean (rand))
    {
      in.stop_text = "Recording stopped";
      in.stop_x = g_rand_double_range (rand, 0, width);
    }

  words = scope_timeline_place (&in);
  g_assert_cmpuint (words->len, <=, SCOPE_TIMELINE_MAX_WORDS);
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
      for (guint j = i + 1; j < words->len; j++)
        {
          const ScopeTimelineWord *b = &g_array_index (words, ScopeTimelineWord, j);

          if (graphene_rect_intersection (&a->rect, &b->rect, NULL))
            g_error ("“%s” and “%s” overlap at width %g, scale %g µs/px%s", a->text, b->text,
                     width, scale, projector ? ", projector" : "");
        }
    }
  /* Three times make a scale. In projector type at a phone's width a
   * span of minutes may leave room for two only: three labels of
   * "-8.5 min" at 20 pt, at round times, do not fit in 360 px; two still
   * give the scale. */
  if (ticks < (projector && width < 480 ? 2u : 3u))
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

/* S11: receives of 16, 16 and 11 bytes a few pixels apart are one group,
 * said once; far apart, each its count. */
static void
test_placer_groups (void)
{
  ScopeTimelineMetrics m = scope_timeline_metrics (FALSE);
  double em = 14.7;
  ScopeTimelinePlacerLane lane = { .lane = 0, .top = m.axis_height, .name = "client" };
  ScopeTimelinePlacerMark marks[3];
  const guint sizes[] = { 16, 16, 11 };
  ScopeTimelinePlacerInput in = {
    .m = &m, .width = 800, .height = 400, .scale = 1, .lanes = &lane, .n_lanes = 1,
    .marks = marks, .n_marks = 3, .selected = -1, .measure = fake_measure, .measure_data = &em,
  };

  lane.mid = lane.top + m.label_height + m.half_height + 2;
  for (guint spacing = 0; spacing < 2; spacing++)
    {
      g_autoptr(GArray) words = NULL;
      g_autoptr(GString) said = g_string_new (NULL);

      for (guint i = 0; i < 3; i++)
        {
          ScopeRecord record = { 0 };

          record.kind = SCOPE_EVENT_RECV;
          record.size = sizes[i];
          marks[i] = (ScopeTimelinePlacerMark) {
            .lane = 0, .event = i, .kind = SCOPE_EVENT_RECV, .size = sizes[i],
            .x = 300 + i * (spacing ? 120 : 4),
          };
          scope_timeline_mark_bounds (&m, &record, marks[i].x, lane.mid, &marks[i].bar);
        }
      words = scope_timeline_place (&in);
      for (guint i = 0; i < words->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

          if (word->kind == SCOPE_TIMELINE_WORD_COUNT || word->kind == SCOPE_TIMELINE_WORD_GROUP)
            g_string_append_printf (said, "[%s]", word->text);
        }
      g_assert_cmpstr (said->str, ==, spacing ? "[16][16][11]" : "[3× recv · 43 bytes]");
    }
}

/* S14's server reads 19 bytes and echoes them at once: its lane says 19
 * below for the receive and 19 above for the send, never "2 calls · 38
 * bytes", which adds what it sent to what it read. S11's four receives
 * between three echoes, a pixel apart, group as receives alone. */
static void
test_placer_directions (void)
{
  ScopeTimelineMetrics m = scope_timeline_metrics (FALSE);
  double em = 14.7;
  ScopeTimelinePlacerLane lane = { .lane = 0, .top = m.axis_height, .name = "tcp-echo" };
  ScopeTimelinePlacerMark marks[7];
  const struct { ScopeEventKind kind; guint size; } s14[] = {
    { SCOPE_EVENT_RECV, 19 }, { SCOPE_EVENT_SEND, 19 },
  }, s11[] = {
    { SCOPE_EVENT_RECV, 16 }, { SCOPE_EVENT_SEND, 16 }, { SCOPE_EVENT_RECV, 16 },
    { SCOPE_EVENT_SEND, 16 }, { SCOPE_EVENT_RECV, 16 }, { SCOPE_EVENT_SEND, 16 },
    { SCOPE_EVENT_RECV, 13 },
  };
  const struct { const void *events; guint n; const char *said; } cases[] = {
    { s14, G_N_ELEMENTS (s14), "[19 recv][19 send]" },
    { s11, G_N_ELEMENTS (s11), "[4× recv · 61 bytes recv][3× send · 48 bytes send]" },
  };
  ScopeTimelinePlacerInput in = {
    .m = &m, .width = 800, .height = 400, .scale = 1, .lanes = &lane, .n_lanes = 1,
    .marks = marks, .selected = -1, .measure = fake_measure, .measure_data = &em,
  };

  lane.mid = lane.top + m.label_height + m.half_height + 2;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const struct { ScopeEventKind kind; guint size; } *events = cases[c].events;
      g_autoptr(GArray) words = NULL;
      g_autoptr(GString) said = g_string_new (NULL);

      for (guint i = 0; i < cases[c].n; i++)
        {
          ScopeRecord record = { 0 };

          record.kind = events[i].kind;
          record.size = events[i].size;
          marks[i] = (ScopeTimelinePlacerMark) {
            .lane = 0, .event = i, .kind = events[i].kind, .size = events[i].size,
            .x = 300 + i,
          };
          scope_timeline_mark_bounds (&m, &record, marks[i].x, lane.mid, &marks[i].bar);
        }
      in.n_marks = cases[c].n;
      words = scope_timeline_place (&in);
      for (guint i = 0; i < words->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (words, ScopeTimelineWord, i);

          if (word->kind == SCOPE_TIMELINE_WORD_COUNT || word->kind == SCOPE_TIMELINE_WORD_GROUP)
            g_string_append_printf (said, "[%s %s]", word->text,
                                    word->ink == SCOPE_TIMELINE_INK_SEND ? "send" : "recv");
        }
      g_assert_cmpstr (said->str, ==, cases[c].said);
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
  g_test_add_func ("/timeline-layers/tick-labels", test_tick_labels);
  g_test_add_func ("/timeline-layers/label-fitting", test_label_fitting);
  g_test_add_func ("/timeline-layers/color-names", test_color_names);
  g_test_add_func ("/timeline-layers/offset-labels", test_offset_labels);
  g_test_add_func ("/timeline-layers/placer", test_placer);
  g_test_add_func ("/timeline-layers/placer-groups", test_placer_groups);
  g_test_add_func ("/timeline-layers/placer-directions", test_placer_directions);
  g_test_add_func ("/timeline-layers/stop-note-on-busy-view", test_placer_stop_note_on_busy_view);

  return g_test_run ();
}
