/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The timeline's costs, each against a reference measured in the same run.
 *
 *   bench-timeline snapshot  — snapshot and render of a 1600-pixel-wide
 *     timeline holding 1,000,000 events, divided by the same for 1,000
 *     events, fitted and zoomed in; and the bytes each event costs, the
 *     recorder and the timeline's index together.
 *   bench-timeline live      — 200,000 events a second appended while the
 *     timeline follows live, for some seconds: the frame clock's frame
 *     times (the work from update to after-paint) and intervals, p50, p99
 *     and max, against a frame of 1/60 s.
 *   bench-timeline load PYTHON LOADCLIENTS — the real Sockets page in a
 *     window, its TCP echo server on loopback, and 1,000 clients of
 *     tests/loadclients.py sending checksummed chunks at it for some
 *     seconds: the page's frame times while it records and draws all that,
 *     against the same page idle and redrawn every frame.
 *
 * Needs a display (build-aux/test gives it Xvfb). */
#include "config.h"

#include <malloc.h>
#include <math.h>
#include <adwaita.h>

#include "scope-server-row.h"
#include "scope-sockets-page.h"
#include "scope-timeline.h"
#include "../widget-search.h"
#include "../widget-test.h"

#define WIDTH  1600
#define HEIGHT 400

typedef struct
{
  gint64         now;
  ScopeRecorder *recorder;
  guint          client, connection;
  guint64        appended;
} Session;

static gint64
session_clock (gpointer user_data)
{
  return ((Session *) user_data)->now;
}

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

static void
session_init (Session *s)
{
  g_autoptr(GSocketAddress) server = g_inet_socket_address_new_from_string ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client = g_inet_socket_address_new_from_string ("127.0.0.1", 53122);
  guint listener;

  s->now = 0;
  s->appended = 0;
  s->recorder = scope_recorder_new ();
  scope_recorder_set_autoflush (s->recorder, FALSE);
  scope_recorder_set_clock (s->recorder, session_clock, s);
  listener = scope_recorder_add_socket (s->recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                        "tcp-echo", server, NULL, 0);
  scope_recorder_append (s->recorder, listener, SCOPE_EVENT_LISTEN, NULL, 0);
  s->client = scope_recorder_add_socket (s->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                         "client", client, server, 0);
  s->connection = scope_recorder_add_socket (s->recorder, SCOPE_SOCKET_CONNECTION,
                                             SCOPE_PROTOCOL_TCP, "tcp-echo", server, client,
                                             listener);
  scope_recorder_append_accept (s->recorder, listener, s->connection);
}

/* An echo conversation: a 16-byte send, its receive, the echo, its
 * receive; every few microseconds. */
static void
session_append (Session *s,
                guint64  n,
                gint64   step_us)
{
  static const guint8 message[16] = "0123456789abcdef";

  for (guint64 i = 0; i < n; i++, s->appended++)
    {
      static const struct { gboolean client; ScopeEventKind kind; } turn[] = {
        { TRUE, SCOPE_EVENT_SEND }, { FALSE, SCOPE_EVENT_RECV },
        { FALSE, SCOPE_EVENT_SEND }, { TRUE, SCOPE_EVENT_RECV },
      };
      guint k = s->appended % 4;

      s->now += step_us;
      scope_recorder_append (s->recorder, turn[k].client ? s->client : s->connection,
                             turn[k].kind, message, sizeof message);
    }
}

static GtkWidget *
show_timeline (ScopeRecorder  *recorder,
               ScopeTimeline **timeline)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  *timeline = SCOPE_TIMELINE (scope_timeline_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (*timeline));
  scope_timeline_set_recorder (*timeline, recorder);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (GTK_WIDGET (*timeline)) == 0)
    g_main_context_iteration (NULL, TRUE);
  return window;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i = (guint) MIN (sorted->len - 1, floor (p * (sorted->len - 1) + 0.5));

  return g_array_index (sorted, double, i);
}

/* The median over some runs of: snapshot the timeline, render it to a
 * texture with the window's own renderer. */
static double
render_ms (GtkWidget     *window,
           ScopeTimeline *timeline)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint run = 0; run < 25; run++)
    {
      gint64 start = g_get_monotonic_time ();
      GskRenderNode *node = scope_timeline_render (timeline, WIDTH, HEIGHT);
      GdkTexture *texture = gsk_renderer_render_texture (renderer, node,
                                                         &GRAPHENE_RECT_INIT (0, 0, WIDTH,
                                                                              HEIGHT));
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      gsk_render_node_unref (node);
      g_object_unref (texture);
      if (run >= 3)   /* after the caches are warm */
        g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_doubles);
  return percentile (times, 0.5);
}

typedef struct
{
  double fitted;
  double zoomed;
  double bytes_per_event;
} SnapshotFigures;

static SnapshotFigures
measure_snapshot (guint64 n)
{
  SnapshotFigures figures;
  Session session;
  ScopeTimeline *timeline;
  GtkWidget *window;
  gsize before = heap_in_use ();
  double middle;

  session_init (&session);
  /* The same length of session either way: the events are what differ. */
  session_append (&session, n, MAX (1, 10000000 / (gint64) n));
  scope_recorder_flush (session.recorder);
  window = show_timeline (session.recorder, &timeline);
  figures.bytes_per_event = (double) (heap_in_use () - before) / n;

  scope_timeline_zoom_to_fit (timeline);
  figures.fitted = render_ms (window, timeline);
  /* A thousandth of the session, in its middle. */
  middle = session.now / 2.0;
  scope_timeline_set_view (timeline, middle, session.now / 1000.0 / WIDTH);
  figures.zoomed = render_ms (window, timeline);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (session.recorder);
  return figures;
}

static int
bench_snapshot (void)
{
  SnapshotFigures small = measure_snapshot (1000);
  SnapshotFigures large = measure_snapshot (1000000);

  g_print ("timeline snapshot+render, %d px wide, median of 22 after 3 warm-up runs\n", WIDTH);
  g_print ("  whole session:   1,000,000 events %.2f ms / 1,000 events %.2f ms = %.2f "
           "(target <= 1.5)\n", large.fitted, small.fitted, large.fitted / small.fitted);
  g_print ("  zoomed to 1/1000: 1,000,000 events %.2f ms / 1,000 events %.2f ms = %.2f\n",
           large.zoomed, small.zoomed, large.zoomed / small.zoomed);
  g_print ("  memory: %.1f bytes per event at 1,000,000 events (recorder with 16-byte "
           "payloads, and the timeline's index)\n", large.bytes_per_event);
  return 0;
}

typedef struct
{
  Session        session;
  ScopeTimeline *timeline;
  GdkFrameClock *clock;
  gint64         started;
  gint64         frame_start;
  gint64         layout_end;
  gint64         paint_end;
  gint64         last_after_paint;
  double         rate;
  double         seconds;
  GArray        *work;       /* ms from update to after-paint */
  GArray        *intervals;  /* ms between after-paints */
  GArray        *phases[2];  /* ms of update and layout, then of paint */
  GMainLoop     *loop;
} Live;

/* Each frame, the events due at the rate since the start, then a flush:
 * what the Sockets page does with events from its sockets. */
static gboolean
live_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  Live *live = user_data;
  gint64 now = g_get_monotonic_time ();
  guint64 due;

  if (live->started == 0)
    live->started = now;
  due = (guint64) ((now - live->started) / 1e6 * live->rate);
  if (live->rate == 0)
    gtk_widget_queue_draw (widget);   /* the reference: frames, no events */
  else if (due > live->session.appended)
    {
      guint64 n = due - live->session.appended;

      session_append (&live->session, n, MAX (1, (gint64) (1e6 / live->rate)));
      scope_recorder_flush (live->session.recorder);
    }
  if (now - live->started > live->seconds * 1e6)
    {
      g_main_loop_quit (live->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_update (GdkFrameClock *clock,
           Live          *live)
{
  live->frame_start = g_get_monotonic_time ();
}

/* GTK's own handlers of a phase were connected when the window was
 * realized, before these: each of these marks the end of its phase. */
static void
on_layout (GdkFrameClock *clock,
           Live          *live)
{
  live->layout_end = g_get_monotonic_time ();
}

static void
on_paint (GdkFrameClock *clock,
          Live          *live)
{
  live->paint_end = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                Live          *live)
{
  gint64 now = g_get_monotonic_time ();
  double work = (now - live->frame_start) / 1000.0;

  if (live->started == 0 || live->frame_start == 0)
    return;
  g_array_append_val (live->work, work);
  /* Where the frame went, in frames that laid out and painted. */
  if (live->phases[0] != NULL && live->layout_end >= live->frame_start
      && live->paint_end >= live->layout_end)
    {
      double update = (live->layout_end - live->frame_start) / 1000.0;
      double paint = (live->paint_end - live->layout_end) / 1000.0;

      g_array_append_val (live->phases[0], update);
      g_array_append_val (live->phases[1], paint);
    }
  if (live->last_after_paint != 0)
    {
      double interval = (now - live->last_after_paint) / 1000.0;

      g_array_append_val (live->intervals, interval);
    }
  live->last_after_paint = now;
}

static void
print_times (const char *what,
             GArray     *times)
{
  g_array_sort (times, compare_doubles);
  g_print ("  %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %u frames; p99 / 16.7 ms = %.2f\n",
           what, percentile (times, 0.5), percentile (times, 0.99),
           g_array_index (times, double, times->len - 1), times->len,
           percentile (times, 0.99) / (1000.0 / 60));
}

static void
run_live (Live   *live,
          double  rate,
          double  seconds)
{
  GtkWidget *window;

  live->rate = rate;
  live->seconds = seconds;
  live->work = g_array_new (FALSE, FALSE, sizeof (double));
  live->intervals = g_array_new (FALSE, FALSE, sizeof (double));
  live->loop = g_main_loop_new (NULL, FALSE);
  session_init (&live->session);
  window = show_timeline (live->session.recorder, &live->timeline);
  /* Following with a zoom of its own: the last 50 ms, as a lecturer who
   * zoomed in would see them scroll by. */
  scope_timeline_set_view (live->timeline, 0, 50000.0 / WIDTH);
  scope_timeline_set_follow (live->timeline, TRUE);

  live->clock = gtk_widget_get_frame_clock (GTK_WIDGET (live->timeline));
  g_signal_connect (live->clock, "update", G_CALLBACK (on_update), live);
  g_signal_connect (live->clock, "after-paint", G_CALLBACK (on_after_paint), live);
  gtk_widget_add_tick_callback (GTK_WIDGET (live->timeline), live_tick, live, NULL);
  g_main_loop_run (live->loop);
  g_signal_handlers_disconnect_by_data (live->clock, live);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (live->session.recorder);
  g_main_loop_unref (live->loop);
}

static int
bench_live (void)
{
  const char *seconds = g_getenv ("SOCKSCOPE_BENCH_SECONDS");
  double duration = seconds ? g_ascii_strtod (seconds, NULL) : 8;
  Live idle = { 0 };
  Live live = { 0 };

  run_live (&idle, 0, duration / 2);
  run_live (&live, 200000, duration);

  g_print ("timeline live ingest: %.0f events/s asked, %.0f events/s appended for %.0f s, "
           "following, %d×%d px\n", live.rate, live.session.appended / live.seconds,
           live.seconds, WIDTH, HEIGHT);
  print_times ("frame time (update to after-paint)", live.work);
  print_times ("frame interval", live.intervals);
  g_print ("reference: the same window redrawn every frame with no events, for %.0f s\n",
           idle.seconds);
  print_times ("frame time (update to after-paint)", idle.work);
  print_times ("frame interval", idle.intervals);
  g_print ("  p99 frame interval, ingesting / idle = %.2f\n",
           percentile (live.intervals, 0.99) / percentile (idle.intervals, 0.99));

  g_array_unref (live.work);
  g_array_unref (live.intervals);
  g_array_unref (idle.work);
  g_array_unref (idle.intervals);
  return 0;
}

typedef struct
{
  Live         live;
  GSubprocess *clients;   /* NULL for the idle reference */
  char        *report;
} Load;

/* The server row of @kind in the page, found in the widget tree. */
static gboolean
is_server_row_of (GtkWidget     *widget,
                  gconstpointer  kind)
{
  return SCOPE_IS_SERVER_ROW (widget)
         && scope_server_get_kind (scope_server_row_get_server (SCOPE_SERVER_ROW (widget)))
            == (ScopeServerKind) GPOINTER_TO_UINT (kind);
}

static ScopeServer *
find_server (GtkWidget       *widget,
             ScopeServerKind  kind)
{
  GtkWidget *row = widget_search (widget, is_server_row_of, GUINT_TO_POINTER (kind));

  return row != NULL ? scope_server_row_get_server (SCOPE_SERVER_ROW (row)) : NULL;
}

static gboolean
load_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  Load *load = user_data;
  gint64 now = g_get_monotonic_time ();

  if (load->live.started == 0)
    load->live.started = now;
  if (load->clients == NULL)
    {
      gtk_widget_queue_draw (widget);   /* the reference: frames, no sockets */
      if (now - load->live.started > load->live.seconds * 1e6)
        {
          g_main_loop_quit (load->live.loop);
          return G_SOURCE_REMOVE;
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
on_clients_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &load->report, NULL,
                                             &error))
    g_printerr ("bench-timeline load: the clients failed: %s\n", error->message);
  g_main_loop_quit (load->live.loop);
}

static void
run_load (Load        *load,
          const char  *python,
          const char  *script,
          guint        n_clients,
          double       seconds)
{
  GtkWidget *window = gtk_window_new ();
  ScopeSocketsPage *page = g_object_new (SCOPE_TYPE_SOCKETS_PAGE, NULL);
  ScopeServer *server;
  g_autoptr(GError) error = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (page)))
    g_main_context_iteration (NULL, TRUE);

  load->live.seconds = seconds;
  load->live.work = g_array_new (FALSE, FALSE, sizeof (double));
  load->live.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < G_N_ELEMENTS (load->live.phases); i++)
    load->live.phases[i] = g_array_new (FALSE, FALSE, sizeof (double));
  load->live.loop = g_main_loop_new (NULL, FALSE);
  load->live.timeline = scope_sockets_page_get_timeline (page);
  scope_timeline_set_follow (load->live.timeline, TRUE);

  if (python != NULL)
    {
      g_autofree char *port = NULL;
      g_autofree char *clients = g_strdup_printf ("%u", n_clients);
      g_autofree char *duration = g_strdup_printf ("%.1f", seconds);

      server = find_server (GTK_WIDGET (page), SCOPE_SERVER_TCP_ECHO);
      g_assert (server != NULL);
      /* A thousand at once is past the lecture's defaults of 5 waiting
       * and 64 open: a real server's numbers. */
      g_object_set (server, "backlog", 1024, "max-connections", 2000, NULL);
      if (!scope_sockets_page_start_server (page, "tcp-echo:0", &error))
        g_error ("%s", error->message);
      port = g_strdup_printf ("%u", scope_server_get_bound_port (server));
      load->clients = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, python, script,
                                        port, clients, duration, NULL);
      if (load->clients == NULL)
        g_error ("%s", error->message);
      g_subprocess_communicate_utf8_async (load->clients, NULL, NULL, on_clients_done, load);
    }

  /* The window's clock: every widget in it paints in its frames. */
  load->live.clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (load->live.clock, "update", G_CALLBACK (on_update), &load->live);
  g_signal_connect (load->live.clock, "layout", G_CALLBACK (on_layout), &load->live);
  g_signal_connect (load->live.clock, "paint", G_CALLBACK (on_paint), &load->live);
  g_signal_connect (load->live.clock, "after-paint", G_CALLBACK (on_after_paint), &load->live);
  gtk_widget_add_tick_callback (GTK_WIDGET (page), load_tick, load, NULL);
  g_main_loop_run (load->live.loop);
  g_signal_handlers_disconnect_by_data (load->live.clock, &load->live);

  if (load->clients != NULL)
    g_print ("  %" G_GUINT64_FORMAT " events recorded, the timeline %s; the clients said: %s",
             scope_recorder_get_n_events (scope_sockets_page_get_recorder (page)),
             gtk_widget_get_mapped (GTK_WIDGET (load->live.timeline)) ? "on screen" : "hidden",
             load->report ? load->report : "nothing\n");
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&load->clients);
  g_main_loop_unref (load->live.loop);
}

static int
bench_load (const char *python,
            const char *script)
{
  const char *seconds = g_getenv ("SOCKSCOPE_BENCH_SECONDS");
  double duration = seconds ? g_ascii_strtod (seconds, NULL) : 10;
  Load idle = { 0 };
  Load load = { 0 };
  gboolean intact;

  g_print ("sockets page under load: 1000 TCP clients at its echo server for %.0f s, "
           "in a 1280×800 window, the timeline following\n", duration);
  run_load (&load, python, script, 1000, duration);
  print_times ("frame time (update to after-paint)", load.live.work);
  print_times ("frame interval", load.live.intervals);
  print_times ("  of those, update and layout (the recorder's flush, the timeline's new "
               "events, allocation)", load.live.phases[0]);
  print_times ("  of those, paint (snapshot and render)", load.live.phases[1]);
  run_load (&idle, NULL, NULL, 0, duration / 2);
  g_print ("reference: the same page idle, redrawn every frame, for %.0f s\n", duration / 2);
  print_times ("frame time (update to after-paint)", idle.live.work);
  print_times ("frame interval", idle.live.intervals);
  g_print ("  p99 frame interval, under load / idle = %.2f\n",
           percentile (load.live.intervals, 0.99) / percentile (idle.live.intervals, 0.99));
  g_array_unref (load.live.work);
  g_array_unref (load.live.intervals);
  g_array_unref (idle.live.work);
  g_array_unref (idle.live.intervals);
  for (guint i = 0; i < G_N_ELEMENTS (load.live.phases); i++)
    {
      g_array_unref (load.live.phases[i]);
      g_array_unref (idle.live.phases[i]);
    }
  /* Read before it is freed: the optimised build reused the memory. */
  intact = load.report != NULL && strstr (load.report, "\"intact\": true") != NULL;
  g_free (load.report);
  return intact ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  gtk_init ();
  adw_init ();
  widget_test_load_style ();

  if (argc > 1 && g_str_equal (argv[1], "live"))
    return bench_live ();
  if (argc > 3 && g_str_equal (argv[1], "load"))
    return bench_load (argv[2], argv[3]);
  return bench_snapshot ();
}
