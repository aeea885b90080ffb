/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recorder's append path against the least it could be: copying the
 * same 32-byte records into a GArray, in the same run. Prints appends per
 * second for both, their ratio, and the bytes each event costs. */
#include "config.h"

#include <malloc.h>

#include "scope-recorder.h"

typedef struct
{
  guint64 a, b, c, d;
} Record;

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

int
main (int   argc,
      char *argv[])
{
  guint64 n = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 5000000;
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new_from_string ("127.0.0.1", 50000);
  ScopeRecorder *recorder;
  g_autoptr(GArray) plain = NULL;
  const guint8 byte = 'x';
  gsize before, after;
  gint64 start;
  double recorder_s, plain_s;
  guint id;

  /* Reference: 32-byte records appended to a growing array. */
  start = g_get_monotonic_time ();
  plain = g_array_new (FALSE, FALSE, sizeof (Record));
  for (guint64 i = 0; i < n; i++)
    {
      Record r = { (guint64) g_get_monotonic_time (), i, 1, i };

      g_array_append_val (plain, r);
    }
  plain_s = (g_get_monotonic_time () - start) / 1e6;

  /* The recorder: one-byte sends, so each event also stores its byte. */
  before = heap_in_use ();
  recorder = scope_recorder_new ();
  scope_recorder_set_autoflush (recorder, FALSE);
  /* Every event kept: at the default limit of 1,000,000 the rest would be
   * counted and dropped, and the figures would be those of dropping. */
  g_assert_cmpuint (n, <=, SCOPE_RECORDER_MAX_EVENT_LIMIT);
  scope_recorder_set_event_limit (recorder, MAX (n, SCOPE_RECORDER_MIN_EVENT_LIMIT));
  id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client",
                                  local, local, 0);
  start = g_get_monotonic_time ();
  for (guint64 i = 0; i < n; i++)
    scope_recorder_append (recorder, id, SCOPE_EVENT_SEND, &byte, 1);
  recorder_s = (g_get_monotonic_time () - start) / 1e6;
  after = heap_in_use ();
  g_assert_cmpuint (scope_recorder_get_n_events (recorder), ==, n);

  g_print ("recorder: %.1f M appends/s, plain GArray of 32-byte records %.1f M appends/s: "
           "ratio %.2f (%" G_GUINT64_FORMAT " events)\n",
           n / recorder_s / 1e6, n / plain_s / 1e6, plain_s / recorder_s, n);
  g_print ("recorder: %.1f bytes per event, including its 1 payload byte\n",
           (double) (after - before) / n);
  g_object_unref (recorder);
  return 0;
}
