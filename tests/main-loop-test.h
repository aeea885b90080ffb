/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Waiting on the default main context, for the tests that run our client
 * and servers in one process as the app does. */
#pragma once

#include <glib.h>

/* Long enough for a loaded machine; a wait that runs out is a failure,
 * not a hang. */
#define MAIN_LOOP_TEST_TIMEOUT_US (10 * G_USEC_PER_SEC)

/* Runs the default main context until @done says so, and fails the test
 * if that takes longer than MAIN_LOOP_TEST_TIMEOUT_US. It polls rather than
 * blocks: what is waited for may come from a plain socket or a thread
 * that wakes no main context. */
static inline void
run_until (gboolean (*done) (gpointer data),
           gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + MAIN_LOOP_TEST_TIMEOUT_US;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

/* For run_until(): whether the gboolean @data points to is set. */
static inline gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}
