/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session export's hold on the main loop: a session of 1,000,000
 * events (an echo conversation of 16-byte messages) written to a file in
 * each format, at once (scope_export_file_commit, what the app did before)
 * and in slices (scope_export_file_commit_async, what it does now), while a
 * probe at the frame clock's priority asks to run every millisecond. The
 * longest the probe waited is the longest stall a frame would have had;
 * printed against a frame at 60 Hz (16.7 ms), with the time each export
 * took in all. On a busy machine the wait also holds the time the main
 * thread was not running at all; the CPU time the main thread spent
 * between two runs of the probe, printed beside it, does not. */
#include "config.h"

#include <time.h>
#include <glib/gstdio.h>

#include "scope-export.h"

#define N_EVENTS 1000000
#define FRAME_MS (1000.0 / 60)
/* GDK_PRIORITY_REDRAW: the frame clock's, which the core does not see. */
#define REDRAW_PRIORITY (G_PRIORITY_HIGH_IDLE + 20)

typedef struct
{
  gint64 now;
} Clock;

static gint64
session_clock (gpointer user_data)
{
  Clock *clock = user_data;

  clock->now += 10;
  return clock->now;
}

static ScopeRecorder *
make_session (Clock *clock)
{
  static const guint8 message[16] = "0123456789abcdef";
  static const struct { gboolean client; ScopeEventKind kind; } turn[] = {
    { TRUE, SCOPE_EVENT_SEND }, { FALSE, SCOPE_EVENT_RECV },
    { FALSE, SCOPE_EVENT_SEND }, { TRUE, SCOPE_EVENT_RECV },
  };
  g_autoptr(GSocketAddress) server = g_inet_socket_address_new_from_string ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client = g_inet_socket_address_new_from_string ("127.0.0.1", 53122);
  ScopeRecorder *recorder = scope_recorder_new ();
  guint listener, client_id, connection;

  scope_recorder_set_clock (recorder, session_clock, clock);
  listener = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                        "tcp-echo", server, NULL, 0);
  scope_recorder_append (recorder, listener, SCOPE_EVENT_LISTEN, NULL, 0);
  client_id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                         "client", client, server, 0);
  scope_recorder_append (recorder, client_id, SCOPE_EVENT_CONNECT, NULL, 0);
  connection = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP,
                                          "tcp-echo", server, client, listener);
  scope_recorder_append_accept (recorder, listener, connection);
  while (scope_recorder_get_n_events (recorder) < N_EVENTS)
    {
      guint k = scope_recorder_get_n_events (recorder) % 4;

      scope_recorder_append (recorder, turn[k].client ? client_id : connection, turn[k].kind,
                             message, sizeof message);
    }
  return recorder;
}

typedef struct
{
  ScopeRecorder     *recorder;
  ScopeExportFormat  format;
  char              *path;
  gboolean           in_slices;
  gboolean           done;
  gint64             last_probe;
  gint64             longest_wait;
  gint64             last_probe_cpu;
  gint64             longest_busy;
} Run;

/* The main thread's CPU time, in µs. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
probe (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  run->longest_wait = MAX (run->longest_wait, now - run->last_probe);
  run->longest_busy = MAX (run->longest_busy, cpu - run->last_probe_cpu);
  run->last_probe = now;
  run->last_probe_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
on_committed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!scope_export_file_commit_finish (SCOPE_RECORDER (object), result, &error))
    g_error ("%s", error->message);
  run->done = TRUE;
}

static gboolean
start_export (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  ScopeExportFile *file = scope_export_file_open (run->path, run->format, &error);

  if (file == NULL)
    g_error ("%s", error->message);
  if (run->in_slices)
    scope_export_file_commit_async (file, run->recorder, NULL, NULL, NULL, on_committed, run);
  else
    {
      if (!scope_export_file_commit (file, run->recorder, NULL, NULL, &error))
        g_error ("%s", error->message);
      run->done = TRUE;
    }
  return G_SOURCE_REMOVE;
}

typedef struct
{
  double stall_ms;   /* the probe's longest wait */
  double busy_ms;    /* the main thread's most CPU time between two probes */
  double total_ms;   /* the export from its start to its end */
} Figures;

static Figures
measure (ScopeRecorder     *recorder,
         ScopeExportFormat  format,
         const char        *dir,
         gboolean           in_slices)
{
  Run run = { recorder, format, NULL, in_slices, FALSE, 0, 0, 0, 0 };
  Figures figures;
  GSource *source = g_timeout_source_new (1);
  gint64 start;

  run.path = g_strdup_printf ("%s/session%s", dir, scope_export_format_get_extension (format));
  g_source_set_priority (source, REDRAW_PRIORITY);
  g_source_set_callback (source, probe, &run, NULL);
  g_source_attach (source, NULL);

  /* A few turns of the probe first, so it measures from a steady state. */
  run.last_probe = g_get_monotonic_time ();
  run.last_probe_cpu = thread_cpu_us ();
  for (guint i = 0; i < 5; i++)
    g_main_context_iteration (NULL, TRUE);
  run.longest_wait = 0;
  run.longest_busy = 0;
  start = g_get_monotonic_time ();
  /* No session: the reference, the probe alone for a second. */
  if (recorder != NULL)
    g_idle_add (start_export, &run);
  while (recorder != NULL ? !run.done : g_get_monotonic_time () - start < G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  figures.total_ms = (g_get_monotonic_time () - start) / 1000.0;
  /* The wait that ended with the export counts too. */
  g_main_context_iteration (NULL, TRUE);

  g_source_destroy (source);
  g_source_unref (source);
  g_unlink (run.path);
  g_free (run.path);
  figures.stall_ms = run.longest_wait / 1000.0;
  figures.busy_ms = run.longest_busy / 1000.0;
  return figures;
}

int
main (int   argc,
      char *argv[])
{
  static const ScopeExportFormat formats[] = {
    SCOPE_EXPORT_PCAPNG, SCOPE_EXPORT_CSV, SCOPE_EXPORT_JSON,
  };
  g_autofree char *dir = g_dir_make_tmp ("sockscope-bench-export-XXXXXX", NULL);
  Clock clock = { 0 };
  ScopeRecorder *recorder = make_session (&clock);
  Figures idle = measure (NULL, SCOPE_EXPORT_CSV, dir, FALSE);
  double worst_at_once = 0, worst_sliced = 0, busy_at_once = 0, busy_sliced = 0;

  g_print ("session export of %d events, longest main-loop stall / a 60 Hz frame (%.1f ms)\n",
           N_EVENTS, FRAME_MS);
  g_print ("  no export, the probe alone for 1 s: %.1f ms / %.1f ms = %.2f (main thread busy "
           "%.1f ms)\n", idle.stall_ms, FRAME_MS, idle.stall_ms / FRAME_MS, idle.busy_ms);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      const char *name = scope_export_format_get_extension (formats[f]) + 1;
      Figures at_once = measure (recorder, formats[f], dir, FALSE);
      Figures sliced = measure (recorder, formats[f], dir, TRUE);

      g_print ("  %-6s at once:   %7.1f ms / %.1f ms = %6.2f (main thread busy %.1f ms; "
               "%.0f ms in all)\n", name, at_once.stall_ms, FRAME_MS, at_once.stall_ms / FRAME_MS,
               at_once.busy_ms, at_once.total_ms);
      g_print ("  %-6s in slices: %7.1f ms / %.1f ms = %6.2f (main thread busy %.1f ms; "
               "%.0f ms in all)\n", name, sliced.stall_ms, FRAME_MS, sliced.stall_ms / FRAME_MS,
               sliced.busy_ms, sliced.total_ms);
      worst_at_once = MAX (worst_at_once, at_once.stall_ms / FRAME_MS);
      worst_sliced = MAX (worst_sliced, sliced.stall_ms / FRAME_MS);
      busy_at_once = MAX (busy_at_once, at_once.busy_ms / FRAME_MS);
      busy_sliced = MAX (busy_sliced, sliced.busy_ms / FRAME_MS);
    }
  g_print ("ratio, longest stall / a 60 Hz frame: at once %.2f, in slices %.2f (target <= 1; "
           "%.2f with no export)\n", worst_at_once, worst_sliced, idle.stall_ms / FRAME_MS);
  g_print ("ratio, main thread's longest work between two turns of the loop / a 60 Hz frame: "
           "at once %.2f, in slices %.2f\n", busy_at_once, busy_sliced);

  g_object_unref (recorder);
  g_rmdir (dir);
  return 0;
}
