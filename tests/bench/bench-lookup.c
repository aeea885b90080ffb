/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The resolver under load, run inside the DNS namespace of tests/dnsns.py
 * (bench-lookup.py sets it up): N concurrent scope_resolver_lookup_async()
 * address lookups of distinct names n0 … n(N-1).sockscope.test, while a
 * G_PRIORITY_HIGH 1 ms timer measures the longest the main loop went
 * without turning (target ≤ 16.7 ms, one frame at 60 Hz); then lookups per
 * second against `getent ahosts NAME` run the same number of times.
 * Prints figures and ratios, asserts nothing about time. */
#include "config.h"

#include "scope-resolver.h"

#define FRAME_MS 16.7

typedef struct
{
  GMainLoop *loop;
  guint      pending;
  guint      failed;
  guint      wrong;
  gint64     last_tick;
  gint64     longest_gap;
  char      *first_error;
} Round;

typedef struct
{
  Round *round;
  char  *name;
} Question;

static gboolean
on_tick (gpointer user_data)
{
  Round *round = user_data;
  gint64 now = g_get_monotonic_time ();

  round->longest_gap = MAX (round->longest_gap, now - round->last_tick);
  round->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
on_done (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Question *question = user_data;
  Round *round = question->round;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeLookupResult) result = scope_resolver_lookup_finish (res, &error);

  if (result == NULL)
    {
      round->failed++;
      if (round->first_error == NULL)
        round->first_error = g_strdup_printf ("%s: %s", question->name, error->message);
    }
  else
    {
      ScopeLookupSection *section = scope_lookup_result_find_section (result, "addrinfo");

      /* Every name has one IPv4 address: rows for it, none for IPv6. */
      if (section == NULL || scope_report_section_get_n_rows (section) == 0)
        round->wrong++;
    }
  g_free (question->name);
  g_free (question);
  if (--round->pending == 0)
    g_main_loop_quit (round->loop);
}

/* One round of n concurrent lookups; its wall time in seconds. */
static double
concurrent_round (guint  n,
                  Round *round)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 start;
  guint tick;

  round->loop = loop;
  round->pending = n;
  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, on_tick, round, NULL);

  start = round->last_tick = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ScopeLookupRequest) request = NULL;
      Question *question = g_new0 (Question, 1);

      question->round = round;
      question->name = g_strdup_printf ("n%u.sockscope.test", i);
      request = scope_lookup_request_new (SCOPE_LOOKUP_ADDRINFO, question->name);
      scope_resolver_lookup_async (request, 30000, NULL, on_done, question);
    }
  /* Starting them counts: the loop did not turn while they were queued. */
  g_main_loop_run (loop);
  g_source_remove (tick);
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
}

/* The longest gap between two ticks of an idle loop: the timer's own
 * jitter on this machine, to read the loaded figure against. */
static double
idle_gap_ms (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Round round = { 0 };
  guint tick;

  round.last_tick = g_get_monotonic_time ();
  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, on_tick, &round, NULL);
  g_timeout_add_once (500, quit_loop, loop);
  g_main_loop_run (loop);
  g_source_remove (tick);
  return round.longest_gap / 1000.0;
}

static double
getent_rate (guint n)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u.sockscope.test", i);
      const char *argv[] = { "getent", "ahosts", name, NULL };
      g_autoptr(GError) error = NULL;
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) argv, NULL,
                         G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                         NULL, &status, &error)
          || !g_spawn_check_wait_status (status, NULL))
        {
          g_printerr ("bench-lookup: getent ahosts %s failed: %s\n", name,
                      error ? error->message : "exit status");
          return 0;
        }
    }
  return n / ((g_get_monotonic_time () - start) / 1e6);
}

/* The same lookups one after another, each waited for: no concurrency. */
static double
sequential_rate (guint n)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u.sockscope.test", i);
      g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_ADDRINFO,
                                                                        name);
      g_autoptr(ScopeLookupResult) result = NULL;
      g_autoptr(GError) error = NULL;

      result = scope_resolver_lookup (request, NULL, &error);
      if (result == NULL)
        {
          g_printerr ("bench-lookup: %s: %s\n", name, error->message);
          return 0;
        }
    }
  return n / ((g_get_monotonic_time () - start) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200;
  guint rounds = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 3;
  double idle_ms, worst_ms = 0, best_rate = 0, getent, sequential;

  if (n == 0 || rounds == 0)
    {
      g_printerr ("usage: bench-lookup [N [ROUNDS]]\n");
      return 2;
    }

  idle_ms = idle_gap_ms ();
  for (guint r = 0; r < rounds; r++)
    {
      Round round = { 0 };
      double seconds = concurrent_round (n, &round);
      double gap_ms = round.longest_gap / 1000.0;

      g_print ("round %u: %u concurrent lookups in %.1f ms (%.0f/s), longest main-loop stall "
               "%.2f ms; %u failed, %u without an address\n",
               r + 1, n, seconds * 1000, n / seconds, gap_ms, round.failed, round.wrong);
      if (round.first_error != NULL)
        g_print ("  first failure: %s\n", round.first_error);
      g_free (round.first_error);
      worst_ms = MAX (worst_ms, gap_ms);
      best_rate = MAX (best_rate, n / seconds);
      if (round.failed > 0 || round.wrong > 0)
        return 1;
    }

  sequential = sequential_rate (n);
  getent = getent_rate (n);

  g_print ("main-loop stall: longest %.2f ms over %u rounds of %u concurrent lookups "
           "(idle loop: %.2f ms); ratio to one frame at 60 Hz (16.7 ms) %.2f "
           "(target <= 1.0)\n",
           worst_ms, rounds, n, idle_ms, worst_ms / FRAME_MS);
  g_print ("throughput: %.0f lookups/s concurrent, %.0f/s one at a time; "
           "`getent ahosts` run %u times %.0f/s: ratio concurrent/getent %.2f, "
           "one-at-a-time/getent %.2f\n",
           best_rate, sequential, n, getent,
           getent > 0 ? best_rate / getent : 0, getent > 0 ? sequential / getent : 0);
  return 0;
}
