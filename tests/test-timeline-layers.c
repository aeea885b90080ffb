/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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

  return g_test_run ();
}
