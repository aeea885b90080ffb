/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

#include "export-test.h"

/* The export in slices on the main loop (scope_export_write_async,
 * scope_export_file_commit_async) against the one at once: the same bytes
 * in every format, while the recorder goes on recording too; a cancel that
 * leaves no temporary file and the target as it was; progress that only
 * grows and ends at the whole; and a main loop that turns between slices.
 * What the files hold is checked in test-export.c, on the synchronous
 * export these are compared with. */

static const ScopeExportFormat formats[] = {
  SCOPE_EXPORT_PCAPNG, SCOPE_EXPORT_CSV, SCOPE_EXPORT_JSON,
};

typedef struct
{
  ScopeRecorder *recorder;
  gint64         now;
  guint          listener;
  guint          client;
  guint          connection;
  guint          udp;
  guint          unix_end;
  guint          lone;      /* a client whose server end is not recorded yet */
} Session;

/* Every kind of event the formats tell apart, @rounds times over: a TCP
 * conversation with both ends ours, UDP from a peer that is not ours and
 * back, a Unix socket's binary bytes, an error, a quote and a comma in a
 * payload; enough rounds and the export is many buffers long. */
static void
session_init (Session *s,
              guint    rounds)
{
  g_autoptr(GSocketAddress) server = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client = inet ("127.0.0.1", 53122);
  g_autoptr(GSocketAddress) udp_local = inet ("::", 50001);
  g_autoptr(GSocketAddress) lone_local = inet ("127.0.0.1", 53200);
  g_autoptr(GSocketAddress) lone_peer = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) unix_path = g_unix_socket_address_new ("/tmp/echo.sock");
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                   "Connection refused");
  static const guint8 binary[] = { 0xff, 0x00, 0x01, '"', ',' };

  memset (s, 0, sizeof *s);
  s->recorder = scope_recorder_new ();
  scope_recorder_set_clock (s->recorder, fake_clock, &s->now);
  s->listener = scope_recorder_add_socket (s->recorder, SCOPE_SOCKET_LISTENER,
                                           SCOPE_PROTOCOL_TCP, "echo", server, NULL, 0);
  scope_recorder_append (s->recorder, s->listener, SCOPE_EVENT_LISTEN, NULL, 0);
  s->client = scope_recorder_add_socket (s->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                         "client", client, server, 0);
  scope_recorder_append (s->recorder, s->client, SCOPE_EVENT_CONNECT, NULL, 0);
  s->connection = scope_recorder_add_socket (s->recorder, SCOPE_SOCKET_CONNECTION,
                                             SCOPE_PROTOCOL_TCP, "echo", server, client,
                                             s->listener);
  scope_recorder_append_accept (s->recorder, s->listener, s->connection);
  s->udp = scope_recorder_add_socket (s->recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP,
                                      "udp-echo", udp_local, NULL, 0);
  s->unix_end = scope_recorder_add_socket (s->recorder, SCOPE_SOCKET_CONNECTION,
                                           SCOPE_PROTOCOL_UNIX, "unix, \"echo\"", unix_path,
                                           NULL, 0);
  s->lone = scope_recorder_add_socket (s->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                       "client", lone_local, lone_peer, 0);

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GSocketAddress) peer = inet ("::1", (guint16) (40000 + i % 100));
      g_autofree char *text = g_strdup_printf ("message %u, \"quoted\"\n", i);

      scope_recorder_append (s->recorder, s->client, SCOPE_EVENT_SEND, (const guint8 *) text,
                             strlen (text));
      scope_recorder_append (s->recorder, s->connection, SCOPE_EVENT_READABLE, NULL, 0);
      scope_recorder_append (s->recorder, s->connection, SCOPE_EVENT_RECV,
                             (const guint8 *) text, strlen (text));
      scope_recorder_append (s->recorder, s->connection, SCOPE_EVENT_SEND,
                             (const guint8 *) text, strlen (text));
      scope_recorder_append (s->recorder, s->client, SCOPE_EVENT_RECV, (const guint8 *) text,
                             strlen (text));
      scope_recorder_append_datagram (s->recorder, s->udp, SCOPE_EVENT_RECVFROM, peer,
                                      (const guint8 *) text, strlen (text));
      scope_recorder_append_datagram (s->recorder, s->udp, SCOPE_EVENT_SENDTO, peer,
                                      (const guint8 *) text, strlen (text));
      scope_recorder_append (s->recorder, s->unix_end, SCOPE_EVENT_SEND, binary,
                             sizeof binary);
      if (i % 1000 == 0)
        scope_recorder_append_error (s->recorder, s->lone, refused);
    }
}

typedef struct
{
  GAsyncResult *result;
  guint         calls;
  guint64       done;
  guint64       total;
  double        fraction;
  gboolean      shrank;       /* a fraction smaller than the one before */
  GCancellable *cancel_at_first;
  Session      *record_meanwhile;
  guint         turn;         /* a source of input's priority, added at each progress */
  guint         turns;        /* how many of them ran */
} Run;

/* Runs before the next slice if the loop turns between slices: it is of
 * input's priority, above the export's. */
static gboolean
between_slices (gpointer user_data)
{
  Run *run = user_data;

  run->turn = 0;
  run->turns++;
  /* The recorder goes on recording between the slices, as in the app. */
  if (run->record_meanwhile != NULL)
    {
      Session *s = run->record_meanwhile;

      scope_recorder_append (s->recorder, s->client, SCOPE_EVENT_SEND, (const guint8 *) "late",
                             4);
      scope_recorder_append (s->recorder, s->connection, SCOPE_EVENT_RECV,
                             (const guint8 *) "late", 4);
    }
  return G_SOURCE_REMOVE;
}

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Run *run = user_data;
  double fraction = total > 0 ? (double) done / total : 1.0;

  g_assert_cmpuint (done, <=, total);
  if (run->calls > 0)
    {
      g_assert_cmpuint (total, ==, run->total);
      run->shrank |= fraction < run->fraction;
    }
  /* The source added at the last progress ran before this one. */
  g_assert_cmpuint (run->turns, ==, run->calls);
  run->calls++;
  run->done = done;
  run->total = total;
  run->fraction = fraction;
  run->turn = g_idle_add_full (G_PRIORITY_DEFAULT, between_slices, run, NULL);
  if (run->cancel_at_first != NULL && done < total)
    g_cancellable_cancel (run->cancel_at_first);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  g_assert_null (run->result);
  run->result = g_object_ref (result);
}

static void
wait_for (Run *run)
{
  while (run->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_handle_id (&run->turn, g_source_remove);
}

static GBytes *
export_in_slices (ScopeRecorder     *recorder,
                  ScopeExportFormat  format,
                  Run               *run)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  scope_export_write_async (recorder, format, out, on_progress, run, NULL, on_done, run);
  wait_for (run);
  g_assert_true (scope_export_write_finish (recorder, run->result, &error));
  g_assert_no_error (error);
  g_clear_object (&run->result);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
assert_same_bytes (GBytes     *now,
                   GBytes     *sliced,
                   const char *what)
{
  gsize n_now, n_sliced;
  const guint8 *a = g_bytes_get_data (now, &n_now);
  const guint8 *b = g_bytes_get_data (sliced, &n_sliced);
  gsize i = 0;

  while (i < MIN (n_now, n_sliced) && a[i] == b[i])
    i++;
  if (i != n_now || i != n_sliced)
    g_error ("%s: the export in slices differs from the one at once at byte %" G_GSIZE_FORMAT
             " (%" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT " bytes)", what, i, n_now, n_sliced);
}

/* Byte for byte what the synchronous export writes, in many slices, while
 * the main loop turns between them; the progress grows and ends at 1. */
static void
test_same_bytes_in_slices (void)
{
  Session s;

  session_init (&s, 20000);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      const char *what = scope_export_format_get_extension (formats[f]);
      g_autoptr(GBytes) now = export_to_bytes (s.recorder, formats[f]);
      g_autoptr(GBytes) sliced = NULL;
      Run run = { 0 };

      /* Many buffers: the slices are at most one each. */
      g_assert_cmpuint (g_bytes_get_size (now), >, 8 * 256 * 1024);
      sliced = export_in_slices (s.recorder, formats[f], &run);
      assert_same_bytes (now, sliced, what);

      /* A progress a buffer, and the loop turned between each two. */
      g_assert_cmpuint (run.calls, >, 8);
      g_assert_cmpuint (run.turns, >=, run.calls - 1);
      g_assert_false (run.shrank);
      g_assert_cmpfloat (run.fraction, ==, 1.0);
      g_assert_cmpuint (run.total, ==, scope_recorder_get_n_events (s.recorder));
    }
  g_object_unref (s.recorder);
}

/* The recorder records while the export goes on: new events, a socket
 * tied to one in the export, a socket closed, recording stopped at its
 * limit. The file holds the session as it was when it was asked for. */
static void
test_records_meanwhile (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      const char *what = scope_export_format_get_extension (formats[f]);
      g_autoptr(GSocketAddress) server = inet ("127.0.0.1", 50000);
      g_autoptr(GSocketAddress) lone_local = inet ("127.0.0.1", 53200);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) now = NULL;
      g_autoptr(GBytes) sliced = NULL;
      g_autoptr(GError) error = NULL;
      Run run = { 0 };
      Session s;
      guint late;

      session_init (&s, 10000);
      scope_recorder_set_event_limit (s.recorder, scope_recorder_get_n_events (s.recorder)
                                                  + 10);
      now = export_to_bytes (s.recorder, formats[f]);

      run.record_meanwhile = &s;
      scope_export_write_async (s.recorder, formats[f], out, on_progress, &run, NULL, on_done,
                                &run);
      /* The server end of the lone client comes, and ties to it; the
       * client closes. */
      late = scope_recorder_add_socket (s.recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP,
                                        "echo", server, lone_local, s.listener);
      g_assert_cmpuint (scope_recorder_get_socket (s.recorder, s.lone)->peer_id, ==, late);
      scope_recorder_append (s.recorder, s.lone, SCOPE_EVENT_CLOSE, NULL, 0);
      g_assert_cmpint (scope_recorder_get_socket (s.recorder, s.lone)->closed_us, >=, 0);
      wait_for (&run);
      g_assert_true (scope_export_write_finish (s.recorder, run.result, &error));
      g_assert_no_error (error);
      g_clear_object (&run.result);
      g_assert_true (g_output_stream_close (out, NULL, NULL));
      sliced = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

      /* It did record, past its limit, while the export went on. */
      g_assert_cmpint (scope_recorder_get_state (s.recorder), ==,
                       SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
      g_assert_cmpuint (scope_recorder_get_dropped_events (s.recorder), >, 0);
      assert_same_bytes (now, sliced, what);
      g_object_unref (s.recorder);
    }
}

static char *
read_file (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* Through a file: the same bytes as scope_export_to_file(), renamed over
 * the old file once complete, no temporary file left. */
static void
test_file_same_bytes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
  Session s;

  session_init (&s, 3000);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      const char *ext = scope_export_format_get_extension (formats[f]);
      g_autofree char *at_once = g_strconcat (dir, "/at-once", ext, NULL);
      g_autofree char *sliced = g_strconcat (dir, "/sliced", ext, NULL);
      g_autofree char *expected = NULL;
      g_autofree char *got = NULL;
      g_autoptr(GError) error = NULL;
      ScopeExportFile *file;
      Run run = { 0 };

      g_assert_true (scope_export_to_file (s.recorder, at_once, formats[f], &error));
      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (sliced, "old", -1, NULL));
      file = scope_export_file_open (sliced, formats[f], &error);
      g_assert_no_error (error);
      scope_export_file_commit_async (file, s.recorder, on_progress, &run, NULL, on_done, &run);
      wait_for (&run);
      g_assert_true (scope_export_file_commit_finish (s.recorder, run.result, &error));
      g_assert_no_error (error);
      g_clear_object (&run.result);
      g_assert_cmpfloat (run.fraction, ==, 1.0);

      expected = read_file (at_once);
      got = read_file (sliced);
      g_assert_cmpstr (got, ==, expected);
      g_assert_cmpuint (count_entries (dir), ==, 2);
      g_assert_cmpint (g_unlink (at_once), ==, 0);
      g_assert_cmpint (g_unlink (sliced), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_object_unref (s.recorder);
}

/* Cancelled half-way, or before its first slice: no temporary file, the
 * target as it was, the cancel said as such; no progress after it. */
static void
test_cancelled (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
  Session s;

  session_init (&s, 20000);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    for (guint at_once = 0; at_once < 2; at_once++)
      {
        const char *ext = scope_export_format_get_extension (formats[f]);
        g_autofree char *path = g_strconcat (dir, "/session", ext, NULL);
        g_autoptr(GCancellable) cancellable = g_cancellable_new ();
        g_autoptr(GError) error = NULL;
        g_autofree char *left = NULL;
        ScopeExportFile *file;
        Run run = { 0 };

        g_assert_true (g_file_set_contents (path, "the old session", -1, NULL));
        file = scope_export_file_open (path, formats[f], &error);
        g_assert_no_error (error);
        g_assert_cmpuint (count_entries (dir), ==, 2);
        if (!at_once)
          run.cancel_at_first = cancellable;
        scope_export_file_commit_async (file, s.recorder, on_progress, &run, cancellable,
                                        on_done, &run);
        if (at_once)
          g_cancellable_cancel (cancellable);
        wait_for (&run);
        g_assert_false (scope_export_file_commit_finish (s.recorder, run.result, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        g_clear_object (&run.result);

        /* Half-way: one buffer said, none after the cancel. */
        g_assert_cmpuint (run.calls, ==, at_once ? 0 : 1);
        g_assert_cmpuint (run.done, <, scope_recorder_get_n_events (s.recorder));
        g_assert_cmpuint (count_entries (dir), ==, 1);
        left = read_file (path);
        g_assert_cmpstr (left, ==, "the old session");
        g_assert_cmpint (g_unlink (path), ==, 0);
      }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_object_unref (s.recorder);
}

/* Nothing recorded: one progress, of nothing out of nothing, which is the
 * whole; the same bytes as at once. */
static void
test_empty (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autoptr(GBytes) now = export_to_bytes (recorder, formats[f]);
      g_autoptr(GBytes) sliced = NULL;
      Run run = { 0 };

      sliced = export_in_slices (recorder, formats[f], &run);
      assert_same_bytes (now, sliced, scope_export_format_get_extension (formats[f]));
      g_assert_cmpuint (run.calls, ==, 1);
      g_assert_cmpuint (run.total, ==, 0);
      g_assert_cmpfloat (run.fraction, ==, 1.0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export-async/same-bytes", test_same_bytes_in_slices);
  g_test_add_func ("/export-async/records-meanwhile", test_records_meanwhile);
  g_test_add_func ("/export-async/file", test_file_same_bytes);
  g_test_add_func ("/export-async/cancelled", test_cancelled);
  g_test_add_func ("/export-async/empty", test_empty);

  return g_test_run ();
}
