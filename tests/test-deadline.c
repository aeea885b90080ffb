/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The deadline of one attempt: cancelled by the time or by the caller, and
 * knowing which. */
#include "config.h"

#include "scope-deadline.h"

static gboolean
is_cancelled (gpointer data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (data));
}

static void
run_until_cancelled (GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!is_cancelled (cancellable))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The time runs out: the attempt's cancellable says so, the caller's is
 * left alone. */
static void
test_expires (void)
{
  g_autoptr(GCancellable) outer = g_cancellable_new ();
  g_autoptr(ScopeDeadline) deadline = scope_deadline_new (outer, 20);
  gint64 start = g_get_monotonic_time ();

  g_assert_false (scope_deadline_expired (deadline));
  run_until_cancelled (scope_deadline_get_cancellable (deadline));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 20 * 1000);
  g_assert_true (scope_deadline_expired (deadline));
  g_assert_false (g_cancellable_is_cancelled (outer));
}

/* The caller cancels first: the attempt is cancelled, and not by the time,
 * which then never comes. */
static void
test_caller_cancels (void)
{
  g_autoptr(GCancellable) outer = g_cancellable_new ();
  g_autoptr(ScopeDeadline) deadline = scope_deadline_new (outer, 20);
  GCancellable *cancellable = scope_deadline_get_cancellable (deadline);

  g_cancellable_cancel (outer);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_usleep (40 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (scope_deadline_expired (deadline));
}

/* Freed before its time, with the clock on another thread's context and a
 * caller that cancels afterwards: nothing fires, nothing is left. */
static void
test_freed_early (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) outer = g_cancellable_new ();
  g_autoptr(GCancellable) attempt = NULL;
  ScopeDeadline *deadline;

  g_main_context_push_thread_default (context);
  deadline = scope_deadline_new (outer, 20);
  attempt = g_object_ref (scope_deadline_get_cancellable (deadline));
  scope_deadline_free (deadline);
  g_usleep (40 * 1000);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_cancellable_cancel (outer);
  g_assert_false (g_cancellable_is_cancelled (attempt));
  g_main_context_pop_thread_default (context);
}

/* No timeout, no caller: only freeing ends it. */
static void
test_unbounded (void)
{
  g_autoptr(ScopeDeadline) deadline = scope_deadline_new (NULL, 0);

  g_usleep (10 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (g_cancellable_is_cancelled (scope_deadline_get_cancellable (deadline)));
  g_assert_false (scope_deadline_expired (deadline));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deadline/expires", test_expires);
  g_test_add_func ("/deadline/caller-cancels", test_caller_cancels);
  g_test_add_func ("/deadline/freed-early", test_freed_early);
  g_test_add_func ("/deadline/unbounded", test_unbounded);

  return g_test_run ();
}
