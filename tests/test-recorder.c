/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#ifdef __GLIBC__
# include <malloc.h>
#endif

#include "scope-recorder.h"

static GSocketAddress *
inet (const char *ip,
      guint16     port)
{
  return g_inet_socket_address_new_from_string (ip, port);
}

typedef struct
{
  guint calls;
  guint position;
  guint added;
} ItemsChanged;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  ItemsChanged *seen = user_data;

  g_assert_cmpuint (removed, ==, 0);
  seen->calls++;
  seen->position = position;
  seen->added = added;
}

static void
test_socket_table_and_addresses (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) v4 = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) v6 = inet ("::1", 50001);
  guint a = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                       "echo", v4, NULL, 0);
  guint b = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                       "echo", v6, NULL, 0);
  const ScopeSocketInfo *info;

  g_assert_cmpuint (a, ==, 1);
  g_assert_cmpuint (b, ==, 2);
  g_assert_cmpuint (scope_recorder_get_n_sockets (recorder), ==, 2);
  info = scope_recorder_get_socket (recorder, b);
  g_assert_cmpstr (info->local_address, ==, "[::1]:50001");
  g_assert_null (info->peer_address);
  g_assert_cmpstr (scope_recorder_get_socket (recorder, a)->local_address, ==, "127.0.0.1:50000");
  g_assert_null (scope_recorder_get_socket (recorder, 3));
  g_assert_null (scope_recorder_get_socket (recorder, 0));
}

/* The S14 picture: two sends on the client, one receive on the server that
 * holds both, and the offsets that tie them together. */
static void
test_stream_offsets_and_linked_ends (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) server = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client = inet ("127.0.0.1", 53122);
  guint listener, conn, cli;
  g_autoptr(ScopeEvent) recv = NULL;
  g_autoptr(ScopeEvent) second_send = NULL;
  g_autoptr(GBytes) bytes = NULL;

  listener = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                        "echo", server, NULL, 0);
  cli = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                   "client", client, server, 0);
  conn = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP,
                                    "echo", server, client, listener);
  g_assert_cmpuint (scope_recorder_get_socket (recorder, cli)->peer_id, ==, conn);
  g_assert_cmpuint (scope_recorder_get_socket (recorder, conn)->peer_id, ==, cli);
  g_assert_cmpuint (scope_recorder_get_socket (recorder, conn)->parent_id, ==, listener);

  scope_recorder_append_accept (recorder, listener, conn);
  scope_recorder_append (recorder, cli, SCOPE_EVENT_SEND, (const guint8 *) "Hi!", 3);
  scope_recorder_append (recorder, cli, SCOPE_EVENT_SEND,
                         (const guint8 *) "Hope you're well", 16);
  scope_recorder_append (recorder, conn, SCOPE_EVENT_RECV,
                         (const guint8 *) "Hi!Hope you're well", 19);
  scope_recorder_flush (recorder);

  second_send = g_list_model_get_item (G_LIST_MODEL (recorder), 2);
  g_assert_cmpint (scope_event_get_kind (second_send), ==, SCOPE_EVENT_SEND);
  g_assert_cmpuint (scope_event_get_stream_offset (second_send), ==, 3);
  g_assert_cmpuint (scope_event_get_size (second_send), ==, 16);

  recv = g_list_model_get_item (G_LIST_MODEL (recorder), 3);
  g_assert_cmpuint (scope_event_get_stream_offset (recv), ==, 0);
  g_assert_cmpuint (scope_event_get_size (recv), ==, 19);
  g_assert_cmpstr (scope_event_get_peer_address (recv), ==, "127.0.0.1:53122");
  bytes = scope_event_dup_bytes (recv);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "Hi!Hope you're well", 19);

  {
    g_autoptr(ScopeEvent) accept = g_list_model_get_item (G_LIST_MODEL (recorder), 0);

    g_assert_cmpint (scope_event_get_kind (accept), ==, SCOPE_EVENT_ACCEPT);
    g_assert_cmpuint (scope_event_get_other_socket (accept), ==, conn);
  }
}

static void
test_flush_batches_items_changed (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 7);
  ItemsChanged seen = { 0 };
  guint id;

  scope_recorder_set_autoflush (recorder, FALSE);
  g_signal_connect (recorder, "items-changed", G_CALLBACK (on_items_changed), &seen);
  id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "upper",
                                  local, NULL, 0);

  for (guint i = 0; i < 10000; i++)
    scope_recorder_append (recorder, id, SCOPE_EVENT_RECV, (const guint8 *) "x", 1);

  /* Nothing reaches the listeners until the flush, and then in one go. */
  g_assert_cmpuint (seen.calls, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  g_assert_cmpuint (scope_recorder_get_n_events (recorder), ==, 10000);
  scope_recorder_flush (recorder);
  g_assert_cmpuint (seen.calls, ==, 1);
  g_assert_cmpuint (seen.position, ==, 0);
  g_assert_cmpuint (seen.added, ==, 10000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 10000);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (recorder), 10000));

  scope_recorder_flush (recorder);
  g_assert_cmpuint (seen.calls, ==, 1);
}

static void
test_autoflush_from_idle (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 7);
  ItemsChanged seen = { 0 };
  guint id;

  g_signal_connect (recorder, "items-changed", G_CALLBACK (on_items_changed), &seen);
  id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "echo",
                                  local, NULL, 0);
  scope_recorder_append (recorder, id, SCOPE_EVENT_LISTEN, NULL, 0);
  scope_recorder_append (recorder, id, SCOPE_EVENT_CLOSE, NULL, 0);
  g_assert_cmpuint (seen.calls, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (seen.calls, ==, 1);
  g_assert_cmpuint (seen.added, ==, 2);
}

static void
test_payload_cap_truncates_and_counts (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("::1", 9);
  g_autoptr(ScopeEvent) kept = NULL;
  g_autoptr(ScopeEvent) dropped = NULL;
  g_autoptr(GBytes) kept_bytes = NULL;
  guint8 block[600];
  guint id;

  memset (block, 'a', sizeof block);
  scope_recorder_set_payload_cap (recorder, 1000);
  id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client",
                                  local, local, 0);
  scope_recorder_append (recorder, id, SCOPE_EVENT_SEND, block, sizeof block);
  scope_recorder_append (recorder, id, SCOPE_EVENT_SEND, block, sizeof block);
  scope_recorder_flush (recorder);

  g_assert_cmpuint (scope_recorder_get_stored_bytes (recorder), ==, 600);
  g_assert_cmpuint (scope_recorder_get_truncated_bytes (recorder), ==, 600);
  g_assert_cmpuint (scope_recorder_get_truncated_events (recorder), ==, 1);

  kept = g_list_model_get_item (G_LIST_MODEL (recorder), 0);
  dropped = g_list_model_get_item (G_LIST_MODEL (recorder), 1);
  g_assert_false (scope_event_get_truncated (kept));
  g_assert_true (scope_event_get_truncated (dropped));
  kept_bytes = scope_event_dup_bytes (kept);
  g_assert_cmpuint (g_bytes_get_size (kept_bytes), ==, 600);
  g_assert_null (scope_event_dup_bytes (dropped));
  /* The count and the offsets go on for truncated bytes. */
  g_assert_cmpuint (scope_event_get_size (dropped), ==, 600);
  g_assert_cmpuint (scope_event_get_stream_offset (dropped), ==, 600);
}

/* Payloads that cross the arena's 1 MiB chunks come back whole. */
static void
test_payload_across_arena_chunks (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 9);
  gsize size = 700 * 1024;
  g_autofree guint8 *data = g_malloc (size);
  guint id;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 31 + 7);
  id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client",
                                  local, local, 0);
  for (guint i = 0; i < 3; i++)
    scope_recorder_append (recorder, id, SCOPE_EVENT_RECV, data, size);
  scope_recorder_flush (recorder);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (G_LIST_MODEL (recorder), i);
      g_autoptr(GBytes) bytes = scope_event_dup_bytes (event);

      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, size);
    }
}

static void
test_datagram_peers_and_errors (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 50001);
  g_autoptr(GSocketAddress) peer_a = inet ("127.0.0.1", 40000);
  g_autoptr(GSocketAddress) peer_b = inet ("127.0.0.2", 40001);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                 "Connection refused");
  guint id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP,
                                        "upper", local, NULL, 0);
  g_autoptr(ScopeEvent) first = NULL;
  g_autoptr(ScopeEvent) second = NULL;
  g_autoptr(ScopeEvent) third = NULL;
  g_autoptr(ScopeEvent) failure = NULL;
  g_autofree char *message = NULL;

  scope_recorder_append_datagram (recorder, id, SCOPE_EVENT_RECVFROM, peer_a,
                                  (const guint8 *) "hi", 2);
  scope_recorder_append_datagram (recorder, id, SCOPE_EVENT_SENDTO, peer_b,
                                  (const guint8 *) "HI", 2);
  scope_recorder_append_datagram (recorder, id, SCOPE_EVENT_RECVFROM, peer_a,
                                  (const guint8 *) "yo", 2);
  scope_recorder_append_error (recorder, id, error);
  scope_recorder_flush (recorder);

  first = g_list_model_get_item (G_LIST_MODEL (recorder), 0);
  second = g_list_model_get_item (G_LIST_MODEL (recorder), 1);
  third = g_list_model_get_item (G_LIST_MODEL (recorder), 2);
  failure = g_list_model_get_item (G_LIST_MODEL (recorder), 3);
  g_assert_cmpstr (scope_event_get_peer_address (first), ==, "127.0.0.1:40000");
  g_assert_cmpstr (scope_event_get_peer_address (second), ==, "127.0.0.2:40001");
  g_assert_cmpstr (scope_event_get_peer_address (third), ==, "127.0.0.1:40000");
  g_assert_cmpuint (scope_event_get_stream_offset (third), ==, 2);
  g_assert_cmpint (scope_event_get_kind (failure), ==, SCOPE_EVENT_ERROR);
  message = scope_event_dup_message (failure);
  /* GIO's message ends with strerror (): kept in words with the errno name. */
  g_assert_cmpstr (message, ==,
                   "The connection was refused: nothing is listening on that port (ECONNREFUSED)");
  g_assert_cmpuint (scope_event_get_size (failure), ==, 0);
  g_assert_null (scope_event_dup_bytes (failure));
}

static void
test_event_times_are_monotonic (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 9);
  guint id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                        "client", local, local, 0);
  gint64 last = -1;

  for (guint i = 0; i < 100; i++)
    {
      scope_recorder_append (recorder, id, SCOPE_EVENT_READABLE, NULL, 0);
      if (i == 50)
        g_usleep (2000);
    }
  scope_recorder_flush (recorder);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (G_LIST_MODEL (recorder), i);
      gint64 t = scope_event_get_time_us (event);

      g_assert_cmpint (t, >=, last);
      if (i == 51)
        g_assert_cmpint (t - last, >=, 2000);
      last = t;
    }
}

typedef struct
{
  ScopeRecorder *recorder;
  guint          pending;
} PendingSeen;

static void
flush_on_pending (ScopeRecorder *recorder,
                  PendingSeen   *seen)
{
  seen->pending++;
  scope_recorder_flush (recorder);
}

/* A listener that flushes as soon as it hears of an event gets the event
 * whole: offsets, accepted socket and datagram peer already in it. */
static void
test_pending_hands_out_complete_events (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 40000);
  PendingSeen seen = { recorder, 0 };
  guint listener, conn;

  scope_recorder_set_autoflush (recorder, FALSE);
  g_signal_connect (recorder, "pending", G_CALLBACK (flush_on_pending), &seen);
  listener = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                        "echo", local, NULL, 0);
  conn = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP,
                                    "echo", local, peer, listener);
  scope_recorder_append_accept (recorder, listener, conn);
  scope_recorder_append (recorder, conn, SCOPE_EVENT_SEND, (const guint8 *) "abc", 3);
  scope_recorder_append (recorder, conn, SCOPE_EVENT_SEND, (const guint8 *) "de", 2);
  scope_recorder_append_datagram (recorder, listener, SCOPE_EVENT_RECVFROM, peer,
                                  (const guint8 *) "x", 1);

  g_assert_cmpuint (seen.pending, ==, 4);
  {
    g_autoptr(ScopeEvent) accept = g_list_model_get_item (G_LIST_MODEL (recorder), 0);
    g_autoptr(ScopeEvent) second = g_list_model_get_item (G_LIST_MODEL (recorder), 2);
    g_autoptr(ScopeEvent) datagram = g_list_model_get_item (G_LIST_MODEL (recorder), 3);

    g_assert_cmpuint (scope_event_get_other_socket (accept), ==, conn);
    g_assert_cmpuint (scope_event_get_stream_offset (second), ==, 3);
    g_assert_cmpstr (scope_event_get_peer_address (datagram), ==, "127.0.0.1:40000");
  }
}

/* Events waiting when autoflush is switched are not left behind. */
static void
test_autoflush_switch_keeps_waiting_events (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 7);
  guint id;

  scope_recorder_set_autoflush (recorder, FALSE);
  id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "echo",
                                  local, NULL, 0);
  scope_recorder_append (recorder, id, SCOPE_EVENT_READABLE, NULL, 0);
  scope_recorder_set_autoflush (recorder, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 1);
}

static void
test_kind_names (void)
{
  g_assert_cmpstr (scope_event_kind_to_string (SCOPE_EVENT_RECVFROM), ==, "recvfrom");
  g_assert_cmpstr (scope_event_kind_to_string (SCOPE_EVENT_SHUTDOWN), ==, "shutdown");
  g_assert_cmpstr (scope_event_kind_to_string (SCOPE_EVENT_REFUSED), ==, "refused");
}

/* A queue event counts connections, not bytes: no payload, nothing
 * truncated, nothing taken from the payload cap, its limit in aux. */
static void
test_queue_event (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  guint listener = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER,
                                              SCOPE_PROTOCOL_TCP, "echo", NULL, NULL, 0);
  g_autoptr(ScopeEvent) event = NULL;
  ScopeRecord record;

  g_assert_cmpstr (scope_event_kind_to_string (SCOPE_EVENT_QUEUE), ==, "queue");
  scope_recorder_set_payload_cap (recorder, 0);
  scope_recorder_append_queue (recorder, listener, 6, 5);
  g_assert_true (scope_recorder_get_record (recorder, 0, &record));
  g_assert_cmpint (record.kind, ==, SCOPE_EVENT_QUEUE);
  g_assert_cmpuint (record.socket_id, ==, listener);
  g_assert_cmpuint (record.size, ==, 6);
  g_assert_cmpuint (record.aux, ==, 5);
  g_assert_false (record.has_payload);
  g_assert_false (record.truncated);
  g_assert_cmpuint (scope_recorder_get_truncated_events (recorder), ==, 0);
  g_assert_null (scope_recorder_dup_payload (recorder, 0));

  scope_recorder_flush (recorder);
  event = g_list_model_get_item (G_LIST_MODEL (recorder), 0);
  g_assert_cmpuint (scope_event_get_size (event), ==, 6);
  g_assert_cmpuint (scope_event_get_other_socket (event), ==, 0);
}

typedef struct
{
  guint position, removed, added, n;
} Change;

static void
on_session_changed (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Change     *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->n++;
}

/* New Session: the list empties at once and fills with what comes after;
 * undone, everything is back in place; committed, the cut stays. */
static void
test_new_session (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  guint id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                        "client", NULL, NULL, 0);
  g_autoptr(ScopeEvent) first = NULL;
  Change change = { 0, };
  ScopeRecord record;

  scope_recorder_set_autoflush (recorder, FALSE);
  g_signal_connect (recorder, "items-changed", G_CALLBACK (on_session_changed), &change);
  for (guint i = 0; i < 3; i++)
    scope_recorder_append (recorder, id, SCOPE_EVENT_SEND, (const guint8 *) "abc", 3);

  /* Events not flushed yet are heard of, then cut. */
  scope_recorder_begin_session (recorder);
  g_assert_true (scope_recorder_get_session_pending (recorder));
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 3);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  g_assert_cmpuint (scope_recorder_get_first_index (recorder), ==, 3);
  g_assert_false (scope_recorder_get_record (recorder, 0, &record));

  scope_recorder_append (recorder, id, SCOPE_EVENT_SEND, (const guint8 *) "de", 2);
  scope_recorder_flush (recorder);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 1);
  first = g_list_model_get_item (G_LIST_MODEL (recorder), 0);
  g_assert_cmpuint (scope_event_get_index (first), ==, 3);
  /* The stream goes on: its offsets are the connection's, not the session's. */
  g_assert_cmpuint (scope_event_get_stream_offset (first), ==, 9);
  g_clear_object (&first);

  scope_recorder_undo_begin_session (recorder);
  g_assert_false (scope_recorder_get_session_pending (recorder));
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 4);
  g_assert_cmpuint (scope_recorder_get_first_index (recorder), ==, 0);
  g_assert_true (scope_recorder_get_record (recorder, 0, &record));

  scope_recorder_begin_session (recorder);
  scope_recorder_commit_session (recorder);
  g_assert_false (scope_recorder_get_session_pending (recorder));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  g_assert_cmpuint (scope_recorder_get_first_index (recorder), ==, 4);
  g_assert_false (scope_recorder_get_record (recorder, 3, &record));
  g_assert_cmpuint (scope_recorder_get_n_events (recorder), ==, 4);
}

/* @n readable events on socket @id, the cheapest event there is. */
static void
append_readable (ScopeRecorder *recorder,
                 guint          id,
                 guint          n)
{
  for (guint i = 0; i < n; i++)
    scope_recorder_append (recorder, id, SCOPE_EVENT_READABLE, NULL, 0);
}

/* Until it is committed, the cut's events are still stored and the event
 * limit counts them; committed, they are freed (whole chunks of them) and
 * it counts from the cut. */
static void
test_new_session_bounds (void)
{
  const guint64 limit = 10000;
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  guint id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                        "client", NULL, NULL, 0);
  ScopeRecord record;

  scope_recorder_set_autoflush (recorder, FALSE);
  scope_recorder_set_event_limit (recorder, limit);
  append_readable (recorder, id, 9000);
  scope_recorder_begin_session (recorder);
  append_readable (recorder, id, 900);
  g_assert_cmpint (scope_recorder_get_state (recorder), ==, SCOPE_RECORDER_RECORDING);

  scope_recorder_commit_session (recorder);
  append_readable (recorder, id, 9000);
  scope_recorder_flush (recorder);
  g_assert_cmpint (scope_recorder_get_state (recorder), ==, SCOPE_RECORDER_RECORDING);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 9900);
  g_assert_true (scope_recorder_get_record (recorder, 9000, &record));
  g_assert_true (scope_recorder_get_record (recorder, 18899, &record));
  g_assert_cmpint (record.kind, ==, SCOPE_EVENT_READABLE);
  g_assert_false (scope_recorder_get_record (recorder, 8999, &record));

  /* Not committed: the events before the cut still count. */
  scope_recorder_begin_session (recorder);
  append_readable (recorder, id, 200);
  g_assert_cmpint (scope_recorder_get_state (recorder), ==,
                   SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
}

static gint64
fake_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

/* The plain-data face: a set clock, every field, payloads, peers, errors. */
static void
test_records_and_set_clock (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) peer = g_inet_socket_address_new_from_string ("127.0.0.1", 40000);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                 "Connection refused");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *message = NULL;
  gint64 now = 5000000;
  ScopeRecord record;
  guint udp;

  scope_recorder_set_clock (recorder, fake_clock, &now);
  now += 250;
  udp = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp",
                                   NULL, NULL, 0);
  g_assert_cmpint (scope_recorder_get_socket (recorder, udp)->opened_us, ==, 250);
  now += 1000;
  scope_recorder_append_datagram (recorder, udp, SCOPE_EVENT_RECVFROM, peer,
                                  (const guint8 *) "hello", 5);
  now += 1000;
  scope_recorder_append_error (recorder, udp, error);
  g_assert_cmpint (scope_recorder_get_now_us (recorder), ==, 2250);

  g_assert_true (scope_recorder_get_record (recorder, 0, &record));
  g_assert_cmpuint (record.index, ==, 0);
  g_assert_cmpint (record.time_us, ==, 1250);
  g_assert_cmpint (record.kind, ==, SCOPE_EVENT_RECVFROM);
  g_assert_cmpuint (record.socket_id, ==, udp);
  g_assert_cmpuint (record.size, ==, 5);
  g_assert_cmpuint (record.stream_offset, ==, 0);
  g_assert_true (record.has_payload);
  g_assert_false (record.truncated);
  g_assert_cmpstr (scope_recorder_get_record_peer (recorder, 0), ==, "127.0.0.1:40000");
  bytes = scope_recorder_dup_payload (recorder, 0);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello", 5);
  g_assert_null (scope_recorder_dup_error_message (recorder, 0));

  g_assert_true (scope_recorder_get_record (recorder, 1, &record));
  g_assert_cmpint (record.kind, ==, SCOPE_EVENT_ERROR);
  g_assert_cmpint (record.time_us, ==, 2250);
  g_assert_cmpuint (record.size, ==, 0);
  g_assert_cmpuint (record.aux, ==, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_false (record.has_payload);
  g_assert_null (scope_recorder_dup_payload (recorder, 1));
  message = scope_recorder_dup_error_message (recorder, 1);
  /* GIO's message ends with strerror (): kept in words with the errno name. */
  g_assert_cmpstr (message, ==,
                   "The connection was refused: nothing is listening on that port (ECONNREFUSED)");

  g_assert_false (scope_recorder_get_record (recorder, 2, &record));
  g_assert_cmpint (scope_recorder_get_time_us (recorder, 1), ==, 2250);
  g_assert_cmpint (scope_recorder_get_time_us (recorder, 2), ==, -1);
  g_assert_cmpint (scope_recorder_get_start_real_time (recorder), >, 0);
}

/* ---- bounds --------------------------------------------------------------- */

/* The heap in use, where the C library says (glibc); -1 elsewhere, and
 * under the sanitizers, whose allocator keeps a quarantine of its own. */
static gssize
heap_in_use (void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  if (g_strcmp0 (g_getenv ("SOCKSCOPE_SANITIZE"), "none") != 0
      && g_getenv ("SOCKSCOPE_SANITIZE") != NULL)
    return -1;
  return (gssize) mallinfo2 ().uordblks;
#else
  return -1;
#endif
}

/* One TCP connection's life as a server records it: accepted, a request
 * read, an answer sent, the peer's end read, closed. */
static void
one_connection (ScopeRecorder *recorder,
                guint          listener,
                guint          n)
{
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 1024 + n % 60000);
  guint conn = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP,
                                          "tcp-echo", local, peer, listener);

  scope_recorder_append_accept (recorder, listener, conn);
  scope_recorder_append (recorder, conn, SCOPE_EVENT_RECV, (const guint8 *) "0123456789abcdef",
                         16);
  scope_recorder_append (recorder, conn, SCOPE_EVENT_SEND, (const guint8 *) "0123456789abcdef",
                         16);
  scope_recorder_append (recorder, conn, SCOPE_EVENT_RECV, NULL, 0);
  scope_recorder_append (recorder, conn, SCOPE_EVENT_CLOSE, NULL, 0);
}

static guint
add_listener (ScopeRecorder *recorder)
{
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 50000);
  guint listener = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER,
                                              SCOPE_PROTOCOL_TCP, "tcp-echo", local, NULL, 0);

  scope_recorder_append (recorder, listener, SCOPE_EVENT_LISTEN, NULL, 0);
  return listener;
}

/* Keeping all, the event limit stops the recording for good: what comes
 * after is counted, with its bytes, and the session says when. */
static void
test_event_limit_stops_recording (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  gint64 now = 0;
  guint listener;

  scope_recorder_set_clock (recorder, fake_clock, &now);
  scope_recorder_set_event_limit (recorder, 1000);
  g_assert_cmpuint (scope_recorder_get_event_limit (recorder), ==, 1000);
  listener = add_listener (recorder);
  for (guint i = 0; i < 400; i++)
    {
      now += 10;
      one_connection (recorder, listener, i);
    }
  scope_recorder_flush (recorder);

  g_assert_cmpuint (scope_recorder_get_n_events (recorder), ==, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 1000);
  g_assert_cmpint (scope_recorder_get_state (recorder), ==,
                   SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
  /* 1 listen + 5 a connection: the 200th connection's accept is the last
   * one kept (1 + 199 × 5 + 4 = 1000); its close is the first dropped. */
  g_assert_cmpint (scope_recorder_get_stopped_us (recorder), ==, 2000);
  g_assert_cmpuint (scope_recorder_get_dropped_events (recorder), ==, 1 + 400 * 5 - 1000);
  g_assert_cmpuint (scope_recorder_get_dropped_bytes (recorder), ==, 200 * 32);
  g_assert_cmpuint (scope_recorder_get_stopped_limit (recorder), ==, 1000);
  /* Lowering or raising the limit does not start it again, nor change the
   * limit the session was stopped at. */
  scope_recorder_set_event_limit (recorder, 5000);
  g_assert_cmpuint (scope_recorder_get_stopped_limit (recorder), ==, 1000);
  one_connection (recorder, listener, 401);
  g_assert_cmpuint (scope_recorder_get_n_events (recorder), ==, 1000);
  g_assert_cmpuint (scope_recorder_get_dropped_events (recorder), ==, 1006);
  /* Sockets past the stop get ids, but are not kept. */
  g_assert_cmpuint (scope_recorder_get_n_sockets (recorder), ==, 201);
  g_assert_null (scope_recorder_get_socket (recorder, 202));
}

static void
on_state_notified (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* Stopped at the event limit, a New Session records again, counting the
 * limit from its cut, and is kept for good: undoing it would join the new
 * events to the old past the hole. Stopped at the socket limit, it stays
 * stopped, since sockets are kept across sessions. */
static void
test_new_session_after_a_limit (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeRecorder) sockets = scope_recorder_new ();
  guint id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                        "client", NULL, NULL, 0);
  guint notified = 0, listener;
  ScopeRecord record;

  scope_recorder_set_event_limit (recorder, 1000);
  append_readable (recorder, id, 1500);
  scope_recorder_flush (recorder);
  g_assert_cmpint (scope_recorder_get_state (recorder), ==,
                   SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
  g_signal_connect (recorder, "notify::state", G_CALLBACK (on_state_notified), &notified);

  scope_recorder_begin_session (recorder);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (scope_recorder_get_state (recorder), ==, SCOPE_RECORDER_RECORDING);
  g_assert_cmpint (scope_recorder_get_stopped_us (recorder), ==, -1);
  g_assert_cmpuint (scope_recorder_get_stopped_limit (recorder), ==, 0);
  g_assert_false (scope_recorder_get_session_pending (recorder));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  g_assert_cmpuint (scope_recorder_get_first_index (recorder), ==, 1000);
  g_assert_false (scope_recorder_get_record (recorder, 999, &record));

  /* A whole limit's worth again, then a stop again. */
  append_readable (recorder, id, 1000);
  scope_recorder_flush (recorder);
  g_assert_cmpint (scope_recorder_get_state (recorder), ==, SCOPE_RECORDER_RECORDING);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 1000);
  g_assert_true (scope_recorder_get_record (recorder, 1999, &record));
  scope_recorder_append (recorder, id, SCOPE_EVENT_READABLE, NULL, 0);
  scope_recorder_flush (recorder);
  g_assert_cmpint (scope_recorder_get_state (recorder), ==,
                   SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
  g_assert_cmpuint (notified, ==, 2);

  scope_recorder_set_store_limits (sockets, 10, 10);
  listener = add_listener (sockets);
  for (guint i = 0; i < 20; i++)
    one_connection (sockets, listener, i);
  g_assert_cmpint (scope_recorder_get_state (sockets), ==,
                   SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT);
  scope_recorder_begin_session (sockets);
  g_assert_cmpint (scope_recorder_get_state (sockets), ==,
                   SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT);
  g_assert_true (scope_recorder_get_session_pending (sockets));
}

static void
test_socket_and_peer_limits_stop_recording (void)
{
  g_autoptr(ScopeRecorder) sockets = scope_recorder_new ();
  g_autoptr(ScopeRecorder) peers = scope_recorder_new ();
  guint listener, udp;

  scope_recorder_set_store_limits (sockets, 10, 10);
  listener = add_listener (sockets);
  for (guint i = 0; i < 20; i++)
    one_connection (sockets, listener, i);
  g_assert_cmpint (scope_recorder_get_state (sockets), ==,
                   SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT);
  g_assert_cmpuint (scope_recorder_get_n_sockets (sockets), ==, 10);
  g_assert_cmpuint (scope_recorder_get_n_events (sockets), ==, 1 + 9 * 5);
  g_assert_cmpuint (scope_recorder_get_dropped_events (sockets), ==, 11 * 5);

  /* A datagram is kept with whom it came from, or not at all. */
  scope_recorder_set_store_limits (peers, 10, 3);
  udp = scope_recorder_add_socket (peers, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-echo",
                                   NULL, NULL, 0);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GSocketAddress) from = inet ("192.0.2.1", 1024 + i % 4);

      scope_recorder_append_datagram (peers, udp, SCOPE_EVENT_RECVFROM, from,
                                      (const guint8 *) "x", 1);
    }
  g_assert_cmpint (scope_recorder_get_state (peers), ==, SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT);
  g_assert_cmpuint (scope_recorder_get_n_events (peers), ==, 3);
  g_assert_cmpuint (scope_recorder_get_dropped_events (peers), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_nonnull (scope_recorder_get_record_peer (peers, i));
}

/* Past its limits a recorder that keeps all stops growing: ten times the
 * traffic after the stop costs nothing more. */
static void
test_memory_stops_growing_at_the_limits (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  gssize at_limit, later;
  guint listener, udp;

  if (heap_in_use () < 0)
    {
      g_test_skip ("the heap in use is not known here (no glibc mallinfo2, or sanitizers)");
      return;
    }
  scope_recorder_set_event_limit (recorder, 20000);
  scope_recorder_set_payload_cap (recorder, 64 * 1024);
  listener = add_listener (recorder);
  udp = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp",
                                   NULL, NULL, 0);
  for (guint i = 0; i < 5000; i++)
    one_connection (recorder, listener, i);
  scope_recorder_flush (recorder);
  g_assert_cmpint (scope_recorder_get_state (recorder), !=, SCOPE_RECORDER_RECORDING);
  at_limit = heap_in_use ();

  for (guint i = 0; i < 50000; i++)
    {
      g_autoptr(GSocketAddress) from = inet ("192.0.2.7", 1024 + i);

      one_connection (recorder, listener, i);
      scope_recorder_append_datagram (recorder, udp, SCOPE_EVENT_RECVFROM, from,
                                      (const guint8 *) "x", 1);
      if (i % 100 == 0)
        scope_recorder_flush (recorder);
    }
  scope_recorder_flush (recorder);
  later = heap_in_use ();
  g_test_message ("heap at the limit %" G_GSSIZE_FORMAT " B, after ten times more %" G_GSSIZE_FORMAT
                  " B", at_limit, later);
  g_assert_cmpint (later - at_limit, <, 16 * 1024);
}

typedef struct
{
  guint64 added;
  guint64 removed;
  guint64 last_index;
  guint64 last_offset;
} Heard;

static void
on_heard (GListModel *model,
          guint       position,
          guint       removed,
          guint       added,
          Heard      *heard)
{
  heard->removed += removed;
  heard->added += added;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (model, i);
      const ScopeSocketInfo *info = scope_recorder_get_socket (SCOPE_RECORDER (model),
                                                               scope_event_get_socket_id (event));

      /* What a listener hears is whole: its socket is still known. */
      g_assert_nonnull (info);
      g_assert_cmpuint (scope_event_get_index (event), ==, heard->last_index);
      heard->last_index++;
      heard->last_offset = scope_event_get_stream_offset (event);
    }
}

/* Keeping until flushed (--events alone), each flush hands the events out
 * once, then forgets them with the sockets closed: a server printing its
 * events for months holds only what is open. */
static void
test_keep_until_flushed_forgets (void)
{
  g_autoptr(ScopeRecorder) recorder =
    scope_recorder_new_with_retention (SCOPE_RECORDER_KEEP_UNTIL_FLUSHED);
  Heard heard = { 0 };
  ScopeRecord record;
  gssize early = -1, later;
  guint listener;

  g_signal_connect (recorder, "items-changed", G_CALLBACK (on_heard), &heard);
  listener = add_listener (recorder);
  for (guint i = 0; i < 100000; i++)
    {
      one_connection (recorder, listener, i);
      if (i % 50 == 49)
        scope_recorder_flush (recorder);
      if (i == 9999)
        early = heap_in_use ();
    }
  scope_recorder_flush (recorder);
  later = heap_in_use ();

  g_assert_cmpuint (heard.added, ==, 1 + 100000 * 5);
  g_assert_cmpuint (heard.removed, ==, heard.added);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  g_assert_cmpuint (scope_recorder_get_n_events (recorder), ==, 1 + 100000 * 5);
  g_assert_false (scope_recorder_get_record (recorder, 0, &record));
  /* The listener is open, every connection closed and forgotten. */
  g_assert_nonnull (scope_recorder_get_socket (recorder, listener));
  g_assert_null (scope_recorder_get_socket (recorder, listener + 1));
  g_assert_null (scope_recorder_get_socket (recorder, listener + 100000));
  g_assert_cmpuint (scope_recorder_get_dropped_events (recorder), ==, 0);
  if (early >= 0)
    {
      g_test_message ("heap after 10,000 connections %" G_GSSIZE_FORMAT " B, after 100,000 %"
                      G_GSSIZE_FORMAT " B", early, later);
      g_assert_cmpint (later - early, <, 16 * 1024);
    }
}

/* A batch past the event limit loses its tail, counted; the next batch is
 * kept again, and its offsets still say where its bytes lie. */
static void
test_keep_until_flushed_drops_an_overlong_batch (void)
{
  g_autoptr(ScopeRecorder) recorder =
    scope_recorder_new_with_retention (SCOPE_RECORDER_KEEP_UNTIL_FLUSHED);
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 40000);
  Heard heard = { 0 };
  guint conn;

  g_signal_connect (recorder, "items-changed", G_CALLBACK (on_heard), &heard);
  scope_recorder_set_event_limit (recorder, 1000);
  conn = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client",
                                    local, peer, 0);
  for (guint i = 0; i < 1500; i++)
    scope_recorder_append (recorder, conn, SCOPE_EVENT_SEND, (const guint8 *) "ab", 2);
  scope_recorder_flush (recorder);
  g_assert_cmpuint (heard.added, ==, 1000);
  g_assert_cmpuint (scope_recorder_get_dropped_events (recorder), ==, 500);
  g_assert_cmpint (scope_recorder_get_state (recorder), ==, SCOPE_RECORDER_RECORDING);

  scope_recorder_append (recorder, conn, SCOPE_EVENT_SEND, (const guint8 *) "cd", 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  scope_recorder_flush (recorder);
  g_assert_cmpuint (heard.added, ==, 1001);
  g_assert_cmpuint (heard.last_index, ==, 1001);
  /* 1,500 sends of 2 bytes went before it, kept or not. */
  g_assert_cmpuint (heard.last_offset, ==, 3000);
}

/* Neither --record nor --events: no event is made, and a socket is known
 * only while it is open. */
static void
test_keep_nothing (void)
{
  g_autoptr(ScopeRecorder) recorder =
    scope_recorder_new_with_retention (SCOPE_RECORDER_KEEP_NOTHING);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "bad");
  g_autoptr(GSocketAddress) from = inet ("192.0.2.1", 4000);
  gssize early = -1, later;
  guint listener, udp;

  listener = add_listener (recorder);
  udp = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp",
                                   NULL, NULL, 0);
  for (guint i = 0; i < 50000; i++)
    {
      one_connection (recorder, listener, i);
      scope_recorder_append_datagram (recorder, udp, SCOPE_EVENT_RECVFROM, from,
                                      (const guint8 *) "x", 1);
      if (i == 4999)
        early = heap_in_use ();
    }
  scope_recorder_append_error (recorder, udp, error);
  scope_recorder_flush (recorder);
  later = heap_in_use ();

  g_assert_cmpuint (scope_recorder_get_n_events (recorder), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  g_assert_cmpuint (scope_recorder_get_dropped_events (recorder), ==, 0);
  g_assert_cmpstr (scope_recorder_get_socket (recorder, listener)->local_address, ==,
                   "127.0.0.1:50000");
  g_assert_null (scope_recorder_get_socket (recorder, udp + 1));
  scope_recorder_append (recorder, udp, SCOPE_EVENT_CLOSE, NULL, 0);
  g_assert_null (scope_recorder_get_socket (recorder, udp));
  if (early >= 0)
    g_assert_cmpint (later - early, <, 16 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/recorder/sockets", test_socket_table_and_addresses);
  g_test_add_func ("/recorder/stream-offsets", test_stream_offsets_and_linked_ends);
  g_test_add_func ("/recorder/flush", test_flush_batches_items_changed);
  g_test_add_func ("/recorder/autoflush", test_autoflush_from_idle);
  g_test_add_func ("/recorder/payload-cap", test_payload_cap_truncates_and_counts);
  g_test_add_func ("/recorder/arena-chunks", test_payload_across_arena_chunks);
  g_test_add_func ("/recorder/datagrams-and-errors", test_datagram_peers_and_errors);
  g_test_add_func ("/recorder/times", test_event_times_are_monotonic);
  g_test_add_func ("/recorder/kind-names", test_kind_names);
  g_test_add_func ("/recorder/queue-event", test_queue_event);
  g_test_add_func ("/recorder/new-session", test_new_session);
  g_test_add_func ("/recorder/new-session/bounds", test_new_session_bounds);
  g_test_add_func ("/recorder/new-session/after-a-limit", test_new_session_after_a_limit);
  g_test_add_func ("/recorder/pending", test_pending_hands_out_complete_events);
  g_test_add_func ("/recorder/autoflush-switch", test_autoflush_switch_keeps_waiting_events);
  g_test_add_func ("/recorder/records", test_records_and_set_clock);
  g_test_add_func ("/recorder/bounds/event-limit", test_event_limit_stops_recording);
  g_test_add_func ("/recorder/bounds/socket-and-peer-limits",
                   test_socket_and_peer_limits_stop_recording);
  g_test_add_func ("/recorder/bounds/memory-stops-growing",
                   test_memory_stops_growing_at_the_limits);
  g_test_add_func ("/recorder/bounds/keep-until-flushed", test_keep_until_flushed_forgets);
  g_test_add_func ("/recorder/bounds/overlong-batch",
                   test_keep_until_flushed_drops_an_overlong_batch);
  g_test_add_func ("/recorder/bounds/keep-nothing", test_keep_nothing);

  return g_test_run ();
}
