/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The services catalogue of the Ports page, against `getent services |
 * grep` run the same number of times in the same run:
 *
 *   - load: reading the system's database into the catalogue model;
 *   - filter: a query typed into the page's search, from the filter's
 *     change to the frame that shows the new list painted (the real page in
 *     a window, so the column view's work is counted); GtkSearchEntry's own
 *     pause for typing comes on top and is not the page's cost;
 *   - the same two for a synthetic database of 20,000 entries, the size of
 *     nmap's list, against grep of that file;
 *   - memory: the heap the catalogue model takes, per entry;
 *   - the cost of a keystroke: the main thread's CPU time from the query to
 *     the painted frame, which neither the wait for the display's next
 *     frame nor the other programs of a busy machine count in.
 *
 * Prints figures and ratios, asserts nothing about time. Needs a display
 * (build-aux/test gives it Xvfb). */
#include "config.h"

#include <malloc.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "scope-ports-page.h"
#include "scope-services.h"

#define ROUNDS 30
#define BIG 20000

static const char *queries[] = { "ssh", "http", "53", "x", "kerberos", "" };

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

/* The median wall time, in ms, of a shell pipeline run ROUNDS times. */
static double
time_command (const char *command)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < ROUNDS; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *argv[] = { "/bin/sh", "-c", command, NULL };
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                         NULL, NULL, NULL, &error))
        g_error ("%s: %s", command, error->message);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
    }
  return median (times);
}

static char *
big_services_text (void)
{
  GString *text = g_string_new ("# A synthetic services file of 20,000 entries\n");

  for (guint i = 0; i < BIG; i++)
    g_string_append_printf (text, "service-%u\t%u/%s\talias-%u other-%u\t# entry %u\n", i,
                            1 + i % 65535, i % 2 ? "udp" : "tcp", i, i * 7, i);
  return g_string_free (text, FALSE);
}

static double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

/* The CPU time of the last time_filter(). */
static double last_cpu_ms;

typedef struct
{
  GMainLoop *loop;
  gboolean   painted;
} Frame;

static void
on_after_paint (GdkFrameClock *clock,
                Frame         *frame)
{
  frame->painted = TRUE;
  g_main_loop_quit (frame->loop);
}

/* ms from the query to the frame that shows its list painted. */
static double
time_filter (ScopePortsPage *page,
             GdkFrameClock  *clock,
             const char     *query)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Frame frame = { loop, FALSE };
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &frame);
  gint64 start = g_get_monotonic_time ();
  double cpu_start = thread_cpu_ms ();
  double ms;

  scope_ports_page_search (page, query);
  gtk_widget_queue_draw (GTK_WIDGET (page));
  g_main_loop_run (loop);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  last_cpu_ms = thread_cpu_ms () - cpu_start;
  g_signal_handler_disconnect (clock, handler);
  return ms;
}

static double
filter_rounds (ScopePortsPage *page,
               GdkFrameClock  *clock)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint r = 0; r < ROUNDS; r++)
    {
      double ms = time_filter (page, clock, queries[r % G_N_ELEMENTS (queries)]);

      g_array_append_val (times, ms);
    }
  return median (times);
}

/* A query typed a letter at a time, then taken back: each keystroke. */
static double
keystroke_rounds (ScopePortsPage *page,
                  GdkFrameClock  *clock,
                  double         *cpu_ms)
{
  static const char *words[] = { "kerberos", "http", "ssh", "domain" };
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    {
      gsize n = strlen (words[w]);

      for (gsize i = 1; i <= n; i++)
        {
          g_autofree char *prefix = g_strndup (words[w], i);
          double ms = time_filter (page, clock, prefix);

          g_array_append_val (times, ms);
          g_array_append_val (cpu, last_cpu_ms);
        }
      for (gsize i = n - 1; i > 0; i--)
        {
          g_autofree char *prefix = g_strndup (words[w], i);
          double ms = time_filter (page, clock, prefix);

          g_array_append_val (times, ms);
          g_array_append_val (cpu, last_cpu_ms);
        }
      time_filter (page, clock, "");
    }
  *cpu_ms = median (cpu);
  return median (times);
}

static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 300 * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) loads = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *big = big_services_text ();
  g_autofree char *big_path = NULL;
  g_autoptr(ScopeServiceCatalogue) big_catalogue = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  ScopePortsPage *page;
  GdkFrameClock *clock;
  double load_ms, getent_ms, filter_ms, keystroke_ms, big_load_ms, big_filter_ms;
  double big_keystroke_ms, grep_ms, keystroke_cpu_ms, big_keystroke_cpu_ms;
  gsize before, after, big_bytes, system_bytes;
  guint n_system;
  int fd;

  gtk_init ();
  adw_init ();

  /* Load: the system's database, ROUNDS times. */
  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(ScopeServiceCatalogue) catalogue = scope_service_catalogue_new_system ();
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_array_append_val (loads, ms);
      n_system = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
    }
  load_ms = median (loads);
  getent_ms = time_command ("getent services | grep -i ssh");

  before = heap_in_use ();
  {
    g_autoptr(ScopeServiceCatalogue) catalogue = scope_service_catalogue_new_system ();

    after = heap_in_use ();
    system_bytes = after - before;
  }
  before = heap_in_use ();
  {
    gint64 start = g_get_monotonic_time ();

    big_catalogue = scope_service_catalogue_new_from_text (big, strlen (big), "synthetic");
    big_load_ms = (g_get_monotonic_time () - start) / 1000.0;
  }
  big_bytes = heap_in_use () - before;

  fd = g_file_open_tmp ("sockscope-services-XXXXXX", &big_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (big_path, big, -1, &error));
  close (fd);
  {
    g_autofree char *command = g_strdup_printf ("grep -i ssh '%s'", big_path);

    grep_ms = time_command (command);
  }

  /* Filter: the real page, in a window on the display. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  page = g_object_new (SCOPE_TYPE_PORTS_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  while (scope_ports_page_get_catalogue (page) == NULL)
    g_main_context_iteration (NULL, TRUE);
  settle ();
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (page));
  filter_ms = filter_rounds (page, clock);
  keystroke_ms = keystroke_rounds (page, clock, &keystroke_cpu_ms);

  scope_ports_page_set_catalogue (page, big_catalogue);
  settle ();
  big_filter_ms = filter_rounds (page, clock);
  big_keystroke_ms = keystroke_rounds (page, clock, &big_keystroke_cpu_ms);

  g_print ("services database here: %u entries\n", n_system);
  g_print ("load, the system's database: %.2f ms (median of %d)\n", load_ms, ROUNDS);
  g_print ("filter, query to painted list: %.2f ms (median of %d queries: ssh, http, 53, x, "
           "kerberos, none)\n", filter_ms, ROUNDS);
  g_print ("filter, one keystroke to painted list: %.2f ms (median, words typed and erased a "
           "letter at a time)\n", keystroke_ms);
  g_print ("keystroke cost, main-thread CPU from query to painted list: %.2f ms (median); "
           "%d entries: %.2f ms\n", keystroke_cpu_ms, BIG, big_keystroke_cpu_ms);
  g_print ("ratio, keystroke cost ÷ a 60 Hz frame (16.7 ms): %.3f; %d entries: %.3f\n",
           keystroke_cpu_ms / (1000.0 / 60), BIG, big_keystroke_cpu_ms / (1000.0 / 60));
  g_print ("getent services | grep -i ssh: %.2f ms (median of %d)\n", getent_ms, ROUNDS);
  g_print ("ratio, load ÷ getent|grep: %.3f\n", load_ms / getent_ms);
  g_print ("ratio, filter ÷ getent|grep: %.3f\n", filter_ms / getent_ms);
  g_print ("ratio, keystroke ÷ getent|grep: %.3f\n", keystroke_ms / getent_ms);
  g_print ("ratio, load + filter ÷ getent|grep: %.3f\n", (load_ms + filter_ms) / getent_ms);
  g_print ("memory of the catalogue model: %zu bytes, %.1f bytes per entry\n", system_bytes,
           (double) system_bytes / MAX (n_system, 1));
  g_print ("%d entries: load %.2f ms, filter %.2f ms, keystroke %.2f ms; grep -i ssh of the "
           "file %.2f ms\n", BIG, big_load_ms, big_filter_ms, big_keystroke_ms, grep_ms);
  g_print ("ratio, %d entries, filter ÷ grep: %.3f\n", BIG, big_filter_ms / grep_ms);
  g_print ("ratio, %d entries, keystroke ÷ grep: %.3f\n", BIG, big_keystroke_ms / grep_ms);
  g_print ("memory of the catalogue model, %d entries: %.1f MiB, %.1f bytes per entry\n", BIG,
           big_bytes / 1048576.0, (double) big_bytes / BIG);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (big_path);
  return 0;
}
