/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-client.h"
#include "scope-server.h"

/* Our client against our server, in one process on one main loop, as the
 * app runs them: what the lecture scenarios S14 and S17 show, checked on
 * the recorder. */

#define TIMEOUT_US (10 * G_USEC_PER_SEC)

static void
run_until (gboolean (*done) (gpointer data),
           gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
spin_for_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  g_assert_true (scope_client_connect_finish (SCOPE_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
connect_client (ScopeClient   *client,
                ScopeProtocol  protocol,
                guint16        port)
{
  gboolean done = FALSE;

  scope_client_connect_async (client, protocol, "127.0.0.1", port, NULL, on_connected, &done);
  run_until (is_true, &done);
}

static void
on_received (ScopeClient *client,
             GBytes      *bytes,
             GByteArray  *into)
{
  g_byte_array_append (into, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

typedef struct
{
  GByteArray *received;
  guint       wanted;
} Wanted;

static gboolean
received_enough (gpointer data)
{
  Wanted *w = data;

  return w->received->len >= w->wanted;
}

static gboolean
nothing_pending (gpointer data)
{
  return scope_client_get_pending_bytes (data) == 0;
}

/* The events of one socket and kind with bytes in them. */
static GPtrArray *
events_of (ScopeRecorder  *recorder,
           guint           socket_id,
           ScopeEventKind  kind)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  scope_recorder_flush (recorder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (recorder)); i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (G_LIST_MODEL (recorder), i);

      if (scope_event_get_socket_id (event) == socket_id && scope_event_get_kind (event) == kind
          && scope_event_get_size (event) > 0)
        g_ptr_array_add (found, g_steal_pointer (&event));
    }
  return found;
}

/* S14, TCP: two sends while the server is not reading arrive in one recv,
 * and the recorder's offsets tie that recv to both sends. */
static void
test_stream_is_not_a_message (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_TCP_ECHO, recorder);
  g_autoptr(ScopeClient) client = scope_client_new (recorder);
  g_autoptr(GByteArray) echoed = g_byte_array_new ();
  g_autoptr(GBytes) hi = g_bytes_new_static ("Hi!", 3);
  g_autoptr(GBytes) hope = g_bytes_new_static ("Hope you're well", 16);
  g_autoptr(GPtrArray) sends = NULL;
  g_autoptr(GPtrArray) recvs = NULL;
  g_autoptr(GError) error = NULL;
  const ScopeSocketInfo *info;
  Wanted wanted = { echoed, 19 };

  g_object_set (server, "pause-reading", TRUE, NULL);
  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scope_server_get_bound_port (server), >, 0);

  connect_client (client, SCOPE_PROTOCOL_TCP, scope_server_get_bound_port (server));
  g_signal_connect (client, "received", G_CALLBACK (on_received), echoed);
  scope_client_send (client, hi, 0, 0);
  scope_client_send (client, hope, 0, 0);
  run_until (nothing_pending, client);
  spin_for_ms (100);
  g_assert_cmpuint (echoed->len, ==, 0);

  g_object_set (server, "pause-reading", FALSE, NULL);
  run_until (received_enough, &wanted);
  g_assert_cmpmem (echoed->data, echoed->len, "Hi!Hope you're well", 19);

  info = scope_recorder_get_socket (recorder, scope_client_get_socket_id (client));
  g_assert_cmpuint (info->peer_id, !=, 0);
  sends = events_of (recorder, info->id, SCOPE_EVENT_SEND);
  recvs = events_of (recorder, info->peer_id, SCOPE_EVENT_RECV);
  g_assert_cmpuint (sends->len, ==, 2);
  g_assert_cmpuint (recvs->len, ==, 1);
  g_assert_cmpuint (scope_event_get_stream_offset (sends->pdata[1]), ==, 3);
  g_assert_cmpuint (scope_event_get_stream_offset (recvs->pdata[0]), ==, 0);
  g_assert_cmpuint (scope_event_get_size (recvs->pdata[0]), ==, 19);

  scope_client_close (client);
  scope_server_stop (server);
}

/* S14, UDP: two datagrams stay two, however late the server reads. */
static void
test_datagrams_stay_apart (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_UDP_ECHO, recorder);
  g_autoptr(ScopeClient) client = scope_client_new (recorder);
  g_autoptr(GByteArray) echoed = g_byte_array_new ();
  g_autoptr(GBytes) hi = g_bytes_new_static ("Hi!", 3);
  g_autoptr(GBytes) hope = g_bytes_new_static ("Hope you're well", 16);
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) addresses = NULL;
  Wanted wanted = { echoed, 19 };

  g_object_set (server, "pause-reading", TRUE, NULL);
  g_assert_true (scope_server_start (server, &error));
  addresses = scope_server_dup_listening_addresses (server);
  g_assert_cmpuint (g_strv_length (addresses), ==, 1);

  connect_client (client, SCOPE_PROTOCOL_UDP, scope_server_get_bound_port (server));
  g_signal_connect (client, "received", G_CALLBACK (on_received), echoed);
  /* The client bound port 0; the OS chose one (S13). */
  g_assert_false (g_str_has_suffix (scope_client_get_local_address (client), ":0"));
  scope_client_send (client, hi, 0, 0);
  scope_client_send (client, hope, 0, 0);
  run_until (nothing_pending, client);
  spin_for_ms (50);

  g_object_set (server, "pause-reading", FALSE, NULL);
  run_until (received_enough, &wanted);

  /* The server's socket is the first one the recorder saw. */
  received = events_of (recorder, 1, SCOPE_EVENT_RECVFROM);
  g_assert_cmpuint (received->len, ==, 2);
  g_assert_cmpuint (scope_event_get_size (received->pdata[0]), ==, 3);
  g_assert_cmpuint (scope_event_get_size (received->pdata[1]), ==, 16);
  /* The client is bound to the address it sends from, loopback here, not
   * to every address; the server sees it, on the same port. */
  g_assert_true (g_str_has_prefix (scope_client_get_local_address (client), "127.0.0.1:"));
  g_assert_cmpstr (strchr (scope_event_get_peer_address (received->pdata[0]), ':'), ==,
                   strchr (scope_client_get_local_address (client), ':'));
}

static gboolean
server_has_two (gpointer data)
{
  return scope_server_get_n_connections (data) == 2;
}

/* S17: with accepting paused, connections wait in the backlog; resumed,
 * each is accepted and gets a socket of its own beside the listener. */
static void
test_pause_accepting (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_TCP_ECHO, recorder);
  g_autoptr(ScopeClient) first = scope_client_new (recorder);
  g_autoptr(ScopeClient) second = scope_client_new (recorder);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accepts = NULL;
  guint listener;

  g_object_set (server, "pause-accepting", TRUE, "backlog", 2, NULL);
  g_assert_true (scope_server_start (server, &error));
  listener = 1;

  /* The kernel completes the handshakes; nobody has called accept. */
  connect_client (first, SCOPE_PROTOCOL_TCP, scope_server_get_bound_port (server));
  connect_client (second, SCOPE_PROTOCOL_TCP, scope_server_get_bound_port (server));
  spin_for_ms (50);
  g_assert_cmpuint (scope_server_get_n_connections (server), ==, 0);

  g_object_set (server, "pause-accepting", FALSE, NULL);
  run_until (server_has_two, server);

  scope_recorder_flush (recorder);
  accepts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (recorder)); i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (G_LIST_MODEL (recorder), i);

      if (scope_event_get_kind (event) == SCOPE_EVENT_ACCEPT)
        g_ptr_array_add (accepts, g_steal_pointer (&event));
    }
  g_assert_cmpuint (accepts->len, ==, 2);
  for (guint i = 0; i < accepts->len; i++)
    {
      guint conn = scope_event_get_other_socket (accepts->pdata[i]);

      g_assert_cmpuint (scope_event_get_socket_id (accepts->pdata[i]), ==, listener);
      g_assert_cmpuint (scope_recorder_get_socket (recorder, conn)->parent_id, ==, listener);
      g_assert_cmpint (scope_recorder_get_socket (recorder, conn)->role, ==,
                       SCOPE_SOCKET_CONNECTION);
    }
}

static void
test_stop_records_closes (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_HTTP, recorder);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeEvent) last = NULL;

  g_object_set (server, "bind-address", "loopback", NULL);
  g_assert_true (scope_server_start (server, &error));
  g_assert_true (scope_server_get_running (server));
  scope_server_stop (server);
  g_assert_false (scope_server_get_running (server));
  g_assert_cmpuint (scope_server_get_bound_port (server), ==, 0);

  scope_recorder_flush (recorder);
  last = g_list_model_get_item (G_LIST_MODEL (recorder),
                                g_list_model_get_n_items (G_LIST_MODEL (recorder)) - 1);
  g_assert_cmpint (scope_event_get_kind (last), ==, SCOPE_EVENT_CLOSE);

  /* And it starts again. */
  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);
}

static void
on_failed_flag (ScopeClient  *client,
                const GError *error,
                gboolean     *failed)
{
  *failed = TRUE;
}

static void
on_peer_closed_flag (ScopeClient *client,
                     gboolean    *closed)
{
  *closed = TRUE;
}

/* Shut Down Writing while delayed chunks are queued: the shutdown waits
 * for the last chunk, and the echo server sends everything back. */
static void
test_shutdown_after_queued_chunks (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_TCP_ECHO, recorder);
  g_autoptr(ScopeClient) client = scope_client_new (recorder);
  g_autoptr(GByteArray) echoed = g_byte_array_new ();
  g_autoptr(GBytes) payload = g_bytes_new_static ("abcdef", 6);
  g_autoptr(GError) error = NULL;
  gboolean failed = FALSE, closed = FALSE;

  g_assert_true (scope_server_start (server, &error));
  connect_client (client, SCOPE_PROTOCOL_TCP, scope_server_get_bound_port (server));
  g_signal_connect (client, "received", G_CALLBACK (on_received), echoed);
  g_signal_connect (client, "failed", G_CALLBACK (on_failed_flag), &failed);
  g_signal_connect (client, "peer-closed", G_CALLBACK (on_peer_closed_flag), &closed);

  scope_client_send (client, payload, 2, 30);
  g_assert_true (scope_client_shutdown_write (client, &error));
  g_assert_no_error (error);
  run_until (is_true, &closed);

  g_assert_false (failed);
  g_assert_cmpmem (echoed->data, echoed->len, "abcdef", 6);
}

/* "loopback" with port 0 listens on the same port on both addresses. */
static void
test_loopback_both_same_port (void)
{
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_UDP_ECHO, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) addresses = NULL;
  g_autofree char *port = NULL;

  g_object_set (server, "bind-address", "loopback", NULL);
  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);
  addresses = scope_server_dup_listening_addresses (server);
  port = g_strdup_printf (":%u", scope_server_get_bound_port (server));
  for (guint i = 0; addresses[i] != NULL; i++)
    g_assert_true (g_str_has_suffix (addresses[i], port));
}

static void
test_kind_names (void)
{
  ScopeServerKind kind;

  for (guint i = 0; i < SCOPE_SERVER_N_KINDS; i++)
    {
      g_assert_true (scope_server_kind_from_string (scope_server_kind_to_string (i), &kind));
      g_assert_cmpuint (kind, ==, i);
      g_assert_nonnull (scope_server_kind_get_title (i));
    }
  g_assert_false (scope_server_kind_from_string ("tcp-ech", NULL));
  g_assert_cmpint (scope_server_kind_get_protocol (SCOPE_SERVER_UDP_UPPER), ==,
                   SCOPE_PROTOCOL_UDP);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/stream-is-not-a-message", test_stream_is_not_a_message);
  g_test_add_func ("/server/datagrams-stay-apart", test_datagrams_stay_apart);
  g_test_add_func ("/server/pause-accepting", test_pause_accepting);
  g_test_add_func ("/server/stop", test_stop_records_closes);
  g_test_add_func ("/server/kinds", test_kind_names);
  g_test_add_func ("/server/shutdown-after-queued-chunks", test_shutdown_after_queued_chunks);
  g_test_add_func ("/server/loopback-both", test_loopback_both_same_port);

  return g_test_run ();
}
