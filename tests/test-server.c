/* SPDX-License-Identifier: GPL-3.0-or-later */
/* unshare() */
#define _GNU_SOURCE 1
#include "config.h"

#include <string.h>

#ifdef __linux__
# include <errno.h>
# include <net/if.h>
# include <netinet/in.h>
# include <netinet/ip.h>
# include <netinet/udp.h>
# include <arpa/inet.h>
# include <sched.h>
# include <sys/ioctl.h>
# include <sys/socket.h>
# include <sys/wait.h>
# include <unistd.h>
#endif

#include "scope-client.h"
#include "scope-server.h"
#include "loopback-test.h"
#include "client-test.h"

/* Our client against our server, in one process on one main loop, as the
 * app runs them: what the lecture scenarios S14 and S17 show, checked on
 * the recorder. */

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

/* The latest bytes-unread event of a socket, or -1 with none. */
typedef struct
{
  ScopeRecorder *recorder;
  ScopeClient   *client;
  guint          socket_id;
  gint64         unread;
} UnreadWatch;

static gint64
latest_unread (ScopeRecorder *recorder,
               guint          socket_id,
               ScopeRecord   *latest)
{
  ScopeRecord record;
  gint64 unread = -1;

  scope_recorder_flush (recorder);
  for (guint64 i = 0; scope_recorder_get_record (recorder, i, &record); i++)
    if (record.kind == SCOPE_EVENT_UNREAD && record.socket_id == socket_id)
      {
        unread = record.size;
        if (latest != NULL)
          *latest = record;
      }
  return unread;
}

/* Once the server has accepted our client: its connection, the bytes'
 * socket. */
static gboolean
peer_known (gpointer data)
{
  UnreadWatch *watch = data;

  scope_recorder_flush (watch->recorder);
  watch->socket_id = scope_recorder_get_socket (watch->recorder,
                                                scope_client_get_socket_id (watch->client))->peer_id;
  return watch->socket_id != 0;
}

static gboolean
unread_reaches (gpointer data)
{
  UnreadWatch *watch = data;

  return latest_unread (watch->recorder, watch->socket_id, NULL) == watch->unread;
}

/* S14, TCP: two sends while the server is not reading arrive in one recv,
 * and the recorder's offsets tie that recv to both sends. While reading
 * is paused, the bytes waiting unread are told as they grow, 3 then 19,
 * the first as they arrived, and none after the recv that took them. */
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
  UnreadWatch watch = { 0 };
  ScopeRecord record;
  gint64 sent_us;

  g_object_set (server, "pause-reading", TRUE, NULL);
  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scope_server_get_bound_port (server), >, 0);

  connect_client (client, SCOPE_PROTOCOL_TCP, "127.0.0.1", scope_server_get_bound_port (server));
  g_signal_connect (client, "received", G_CALLBACK (on_received), echoed);
  watch.recorder = recorder;
  watch.client = client;
  run_until (peer_known, &watch);
  info = scope_recorder_get_socket (recorder, scope_client_get_socket_id (client));
  sent_us = scope_recorder_get_now_us (recorder);
  scope_client_send (client, hi, 0, 0);
  run_until (nothing_pending, client);
  watch.unread = 3;
  run_until (unread_reaches, &watch);
  g_assert_cmpint (latest_unread (recorder, watch.socket_id, &record), ==, 3);
  /* Told as they came: the kernel's stamp of the first bytes */
  g_assert_false (record.arrival_rough);
  g_assert_cmpint (record.arrived_us, >=, sent_us);
  g_assert_cmpint (record.arrived_us, <=, record.time_us);
  g_assert_cmpuint (record.aux, >, 0);
  scope_client_send (client, hope, 0, 0);
  run_until (nothing_pending, client);
  watch.unread = 19;
  run_until (unread_reaches, &watch);
  spin_for_ms (100);
  g_assert_cmpuint (echoed->len, ==, 0);

  g_object_set (server, "pause-reading", FALSE, NULL);
  run_until (received_enough, &wanted);
  g_assert_cmpmem (echoed->data, echoed->len, "Hi!Hope you're well", 19);
  /* Read: none unread, told right after the recv, not at a later poll */
  g_assert_cmpint (latest_unread (recorder, watch.socket_id, &record), ==, 0);
  {
    g_autoptr(GPtrArray) read = events_of (recorder, watch.socket_id, SCOPE_EVENT_RECV);

    g_assert_cmpuint (read->len, ==, 1);
    g_assert_cmpint (record.time_us - scope_event_get_time_us (read->pdata[0]), <, 5000);
  }

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

/* The latest datagrams-unread event of a socket: how many, or -1 */
static gint64
latest_datagrams (ScopeRecorder *recorder,
                  guint          socket_id,
                  ScopeRecord   *latest)
{
  gint64 datagrams = -1;

  if (latest_unread (recorder, socket_id, latest) >= 0)
    datagrams = (gint64) latest->stream_offset;
  return datagrams;
}

static gboolean
datagrams_reach (gpointer data)
{
  UnreadWatch *watch = data;
  ScopeRecord record;

  return latest_datagrams (watch->recorder, watch->socket_id, &record) == watch->unread;
}

/* S14, UDP: two datagrams stay two, however late the server reads. While
 * reading is paused, the datagrams waiting are told as they come, 1 then
 * 2 of 19 bytes, the first as it arrived (the tenth trial saw nothing on
 * the server's lane until the reads); each recvfrom leaves one fewer. */
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
  UnreadWatch watch = { 0 };
  ScopeRecord record;
  gint64 sent_us, second_us, resumed_us;

  g_object_set (server, "pause-reading", TRUE, NULL);
  g_assert_true (scope_server_start (server, &error));
  addresses = scope_server_dup_listening_addresses (server);
  g_assert_cmpuint (g_strv_length (addresses), ==, 1);
  /* Bound, it receives: its lane begins there, not at the first datagram */
  scope_recorder_flush (recorder);
  g_assert_true (scope_recorder_get_record (recorder, 0, &record));
  g_assert_cmpuint (record.socket_id, ==, 1);
  g_assert_cmpstr (scope_event_kind_to_string (record.kind), ==, "bind");

  connect_client (client, SCOPE_PROTOCOL_UDP, "127.0.0.1", scope_server_get_bound_port (server));
  g_signal_connect (client, "received", G_CALLBACK (on_received), echoed);
  /* The client bound port 0; the OS chose one (S13). */
  g_assert_false (g_str_has_suffix (scope_client_get_local_address (client), ":0"));
  watch.recorder = recorder;
  watch.socket_id = 1;   /* the server's socket, the first the recorder saw */
  sent_us = scope_recorder_get_now_us (recorder);
  scope_client_send (client, hi, 0, 0);
  run_until (nothing_pending, client);
  watch.unread = 1;
  run_until (datagrams_reach, &watch);
  g_assert_cmpint (latest_unread (recorder, 1, &record), ==, 3);
  /* Told as it came, with the kernel's stamp of it */
  g_assert_cmpint (record.arrived_us, >=, sent_us);
  g_assert_cmpint (record.arrived_us, <=, record.time_us);
  g_assert_cmpint (record.time_us - record.arrived_us, <, 50000);
  g_assert_cmpuint (record.aux, >, 0);
  second_us = scope_recorder_get_now_us (recorder);
  scope_client_send (client, hope, 0, 0);
  run_until (nothing_pending, client);
  watch.unread = 2;
  run_until (datagrams_reach, &watch);
  g_assert_cmpint (latest_unread (recorder, 1, &record), ==, 19);
  /* Its step begins when the second came */
  g_assert_cmpint (record.arrived_us, >=, second_us);
  spin_for_ms (150);
  g_assert_cmpint (latest_datagrams (recorder, 1, &record), ==, 2);

  resumed_us = scope_recorder_get_now_us (recorder);
  g_object_set (server, "pause-reading", FALSE, NULL);
  run_until (received_enough, &wanted);

  /* One fewer at each recvfrom, none after the second */
  scope_recorder_flush (recorder);
  {
    guint64 n = scope_recorder_get_n_events (recorder);
    const char *expected[] = { "recvfrom 3", "unread 1", "recvfrom 16", "unread 0" };
    guint seen = 0;

    for (guint64 i = 0; i < n && seen < G_N_ELEMENTS (expected); i++)
      {
        g_autofree char *said = NULL;

        g_assert_true (scope_recorder_get_record (recorder, i, &record));
        if (record.socket_id != 1 || record.time_us < resumed_us
            || (record.kind != SCOPE_EVENT_RECVFROM && record.kind != SCOPE_EVENT_UNREAD))
          continue;
        said = g_strdup_printf ("%s %u", scope_event_kind_to_string (record.kind),
                                record.kind == SCOPE_EVENT_UNREAD ? (guint) record.stream_offset
                                                                  : record.size);
        g_assert_cmpstr (said, ==, expected[seen]);
        seen++;
      }
    g_assert_cmpuint (seen, ==, G_N_ELEMENTS (expected));
  }

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

static void
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* Reading paused, a datagram the count may not see (one of no bytes, the
 * last that waits) is watched for once: the loop then waits, where a
 * socket that stays readable would be dispatched without end. */
static void
test_datagram_of_no_bytes_paused (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_UDP_ECHO, recorder);
  g_autoptr(GSocket) sender = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GSocketAddress) to = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  guint iterations = 0;

  g_object_set (server, "pause-reading", TRUE, NULL);
  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);
  to = g_inet_socket_address_new_from_string ("127.0.0.1", scope_server_get_bound_port (server));
  g_assert_cmpint (g_socket_send_to (sender, to, "", 0, NULL, &error), ==, 0);
  g_assert_no_error (error);
  spin_for_ms (50);

  g_timeout_add_once (300, set_true, &done);
  while (!done)
    {
      g_main_context_iteration (NULL, TRUE);
      iterations++;
    }
  /* The 100 ms poll and the end: a few, not thousands */
  g_assert_cmpuint (iterations, <, 50);
  scope_server_stop (server);
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
  connect_client (first, SCOPE_PROTOCOL_TCP, "127.0.0.1", scope_server_get_bound_port (server));
  connect_client (second, SCOPE_PROTOCOL_TCP, "127.0.0.1", scope_server_get_bound_port (server));
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

typedef struct
{
  ScopeServer *server;
  guint        waiting;
  guint        notified;
} QueueWatch;

static void
on_accept_queue (ScopeServer *server,
                 GParamSpec  *pspec,
                 QueueWatch  *watch)
{
  watch->notified++;
}

static gboolean
queue_reaches (gpointer data)
{
  QueueWatch *watch = data;
  guint waiting = 0;

  scope_server_get_accept_queue (watch->server, &waiting, NULL);
  return waiting == watch->waiting;
}

static gboolean
has_connections (gpointer data)
{
  QueueWatch *watch = data;

  return scope_server_get_n_connections (watch->server) >= watch->waiting;
}

/* S17: accepting paused, backlog 5, eight clients. Linux holds six (its
 * queue is full only past the backlog), the other two retry their SYN:
 * the server says 6 waiting, limit 5, and the listener's lane has the
 * queue as it grew. */
static void
test_accept_queue (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  ScopeServer *server = scope_server_new (SCOPE_SERVER_TCP_ECHO, recorder);
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  QueueWatch watch = { server, 6, 0 };
  guint waiting = 99, limit = 99, last_size = 0, last_limit = 0, n_queue = 0;
  guint listener = 1;

  g_object_set (server, "pause-accepting", TRUE, "backlog", 5, NULL);
  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);
  if (!scope_server_get_accept_queue (server, &waiting, &limit))
    {
      g_test_skip ("This system does not say how many connections wait to be accepted "
                   "(TCP_INFO on a listening socket is Linux's)");
      scope_server_stop (server);
      g_object_unref (server);
      return;
    }
  g_assert_cmpuint (waiting, ==, 0);
  g_assert_cmpuint (limit, ==, 5);
  g_signal_connect (server, "notify::accept-queue", G_CALLBACK (on_accept_queue), &watch);

  for (guint i = 0; i < 8; i++)
    g_ptr_array_add (peers, loopback_connect_pending (scope_server_get_bound_port (server)));
  run_until (queue_reaches, &watch);
  g_assert_true (scope_server_get_accept_queue (server, &waiting, &limit));
  g_assert_cmpuint (waiting, ==, 6);
  g_assert_cmpuint (limit, ==, 5);
  g_assert_cmpuint (watch.notified, >, 0);
  g_assert_cmpuint (scope_server_get_n_connections (server), ==, 0);

  /* The queue as it grew, on the listener, before any accept. */
  scope_recorder_flush (recorder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (recorder)); i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (G_LIST_MODEL (recorder), i);
      ScopeRecord record;

      g_assert_cmpint (scope_event_get_kind (event), !=, SCOPE_EVENT_ACCEPT);
      if (scope_event_get_kind (event) != SCOPE_EVENT_QUEUE)
        continue;
      g_assert_cmpuint (scope_event_get_socket_id (event), ==, listener);
      g_assert_true (scope_recorder_get_record (recorder, scope_event_get_index (event),
                                                &record));
      g_assert_cmpuint (record.size, >, last_size);
      last_size = record.size;
      last_limit = record.aux;
      n_queue++;
    }
  g_assert_cmpuint (n_queue, >, 0);
  g_assert_cmpuint (last_size, ==, 6);
  g_assert_cmpuint (last_limit, ==, 5);

  /* Accepting again empties it; the two in SYN-SENT come later, as their
   * retries do. */
  g_object_set (server, "pause-accepting", FALSE, NULL);
  run_until (has_connections, &watch);
  watch.waiting = 0;
  run_until (queue_reaches, &watch);
  /* Read again at the accepts that emptied it, not at the next poll: the
   * timeline's band ends where the row says 0. */
  {
    gint64 accepted_us = -1, emptied_us = -1;
    ScopeRecord record;

    for (guint64 i = 0; emptied_us < 0 && scope_recorder_get_record (recorder, i, &record); i++)
      if (record.kind == SCOPE_EVENT_ACCEPT)
        accepted_us = record.time_us;
      else if (record.kind == SCOPE_EVENT_QUEUE && record.size == 0)
        emptied_us = record.time_us;
    g_assert_cmpint (accepted_us, >=, 0);
    g_assert_cmpint (emptied_us - accepted_us, <, 5000);
  }

  /* The poll goes with the server: were it left, it would read freed
   * memory here, which the sanitized build reports. */
  scope_server_stop (server);
  g_assert_false (scope_server_get_accept_queue (server, NULL, NULL));
  g_object_unref (server);
  spin_for_ms (250);
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
  connect_client (client, SCOPE_PROTOCOL_TCP, "127.0.0.1", scope_server_get_bound_port (server));
  g_signal_connect (client, "received", G_CALLBACK (on_received), echoed);
  g_signal_connect (client, "failed", G_CALLBACK (on_failed_flag), &failed);
  g_signal_connect (client, "peer-closed", G_CALLBACK (on_peer_closed), &closed);

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

/* Every spelling of an address that others can reach warns, whatever
 * GLib's parser took it from; every spelling of loopback does not. */
static void
test_exposure_by_parsing (void)
{
  static const char all[] = "Listening on all interfaces: ";
  static const struct
  {
    const char *bind;
    gboolean    ipv6_only;
    const char *starts;   /* NULL: no warning */
  } cases[] = {
    { "0.0.0.0", FALSE, all },
    { "::", FALSE, all },
    { "::", TRUE, all },
    { "::0", FALSE, all },
    { "0::0", FALSE, all },
    { "0::", FALSE, all },
    { "00::", FALSE, all },
    { "0:0::0:0", FALSE, all },
    { "0:0:0:0:0:0:0:0", FALSE, all },
    { "0000:0000:0000:0000:0000:0000:0000:0000", TRUE, all },
    { "::0.0.0.0", FALSE, all },
    { "0:0:0:0:0:0:0.0.0.0", FALSE, all },
    { "::ffff:0.0.0.0", FALSE, all },
    { "::FFFF:0:0", FALSE, all },
    { "192.0.2.1", FALSE, "Listening on 192.0.2.1, which is not a loopback address: " },
    { "::ffff:192.0.2.1", FALSE, "Listening on 192.0.2.1, which is not a loopback address: " },
    { "10.0.0.7", FALSE, "Listening on 10.0.0.7, which is not a loopback address: " },
    { "2001:db8::1", FALSE, "Listening on 2001:db8::1, which is not a loopback address: " },
    { "2001:0DB8:0:0::0001", TRUE, "Listening on 2001:db8::1, which is not a loopback address: " },
    { "fe80::1", FALSE, "Listening on fe80::1, which is not a loopback address: " },
    { "127.0.0.1", FALSE, NULL },
    { "127.0.0.2", FALSE, NULL },
    { "127.255.255.254", FALSE, NULL },
    { "::1", FALSE, NULL },
    { "::1", TRUE, NULL },
    { "0:0:0:0:0:0:0:1", FALSE, NULL },
    { "::ffff:127.0.0.1", FALSE, NULL },
    { "loopback", FALSE, NULL },
    /* Not addresses: refused when the server starts, and no warning. */
    { "localhost", FALSE, NULL },
    { "", FALSE, NULL },
    { "[::]", FALSE, NULL },
    { "fe80::1%lo", FALSE, NULL },
    { NULL, FALSE, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *warning = scope_server_describe_exposure (cases[i].bind,
                                                                 cases[i].ipv6_only);

      g_test_message ("%s%s: %s", cases[i].bind, cases[i].ipv6_only ? " (IPv6 only)" : "",
                      warning ? warning : "(none)");
      if (cases[i].starts == NULL)
        g_assert_null (warning);
      else
        {
          g_assert_nonnull (warning);
          g_assert_true (g_str_has_prefix (warning, cases[i].starts));
          g_assert_null (strstr (warning, "127.0.0.1"));
        }
    }
}

static void
test_kind_usage (void)
{
  g_assert_cmpstr (scope_server_kind_get_usage (SCOPE_SERVER_TCP_SUM), ==,
                   "Two integers on a line, e.g. 17 25: answers their exact sum, or an error "
                   "line");
  for (guint i = 0; i < SCOPE_SERVER_N_KINDS; i++)
    {
      const char *usage = scope_server_kind_get_usage (i);

      g_assert_nonnull (usage);
      g_assert_cmpuint (strlen (usage), >, 10);
      g_assert_null (strchr (usage, '\n'));
    }
}

typedef struct
{
  ScopeRecorder *recorder;
  const char    *words;
} Said;

static guint
count_said (ScopeRecorder *recorder,
            const char    *words)
{
  guint found = 0;

  scope_recorder_flush (recorder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (recorder)); i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (G_LIST_MODEL (recorder), i);
      g_autofree char *message = NULL;

      if (scope_event_get_kind (event) != SCOPE_EVENT_ERROR)
        continue;
      message = scope_event_dup_message (event);
      found += strstr (message, words) != NULL;
    }
  return found;
}

static gboolean
is_said (gpointer data)
{
  Said *said = data;

  return count_said (said->recorder, said->words) > 0;
}

static guint
count_kind (ScopeRecorder  *recorder,
            guint           socket_id,
            ScopeEventKind  kind)
{
  guint found = 0;

  scope_recorder_flush (recorder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (recorder)); i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (G_LIST_MODEL (recorder), i);

      found += scope_event_get_socket_id (event) == socket_id
               && scope_event_get_kind (event) == kind;
    }
  return found;
}

/* What the peer has been sent until the server closed it, running the
 * main loop meanwhile. */
static GString *
read_until_closed (GSocket *peer)
{
  GString *got = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + MAIN_LOOP_TEST_TIMEOUT_US;

  for (;;)
    {
      char buffer[4096];
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (peer, buffer, sizeof buffer, NULL, &error);

      if (n == 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        return got;
      if (n > 0)
        g_string_append_len (got, buffer, n);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* The whole head of an HTTP request within request-timeout of the
 * accept, however it trickles; a request in time is answered; and while
 * the user pauses reading, the server is the one not reading, so no peer
 * is closed for it. */
static void
test_http_request_deadline (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_HTTP, recorder);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) slow = NULL;
  g_autoptr(GSocket) prompt = NULL;
  g_autoptr(GSocket) paused = NULL;
  g_autoptr(GString) answer = NULL;
  static const char request[] = "GET / HTTP/1.0\r\n\r\n";
  gint64 started;
  guint request_timeout;

  g_object_get (server, "request-timeout", &request_timeout, NULL);
  g_assert_cmpuint (request_timeout, ==, SCOPE_SERVER_DEFAULT_REQUEST_TIMEOUT);
  g_object_set (server, "request-timeout", 1, NULL);
  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);

  /* A byte every 200 ms is never idle, and never done. */
  slow = loopback_connect (scope_server_get_bound_port (server));
  started = g_get_monotonic_time ();
  for (guint i = 0; g_get_monotonic_time () - started < 3 * G_USEC_PER_SEC; i++)
    {
      gssize sent = g_socket_send (slow, "GET / HTTP/1.1\r\nX: y" + i % 20, 1, NULL, NULL);

      if (sent < 0)
        break;
      spin_for_ms (200);
      if (count_said (recorder, "No whole request within 1 s") > 0)
        break;
    }
  g_assert_cmpuint (count_said (recorder, "No whole request within 1 s of connecting"), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2500 * 1000);
  answer = read_until_closed (slow);
  g_assert_cmpuint (answer->len, ==, 0);
  g_string_free (g_steal_pointer (&answer), TRUE);

  prompt = loopback_connect (scope_server_get_bound_port (server));
  g_assert_cmpint (g_socket_send (prompt, request, strlen (request), NULL, NULL), ==,
                   (gssize) strlen (request));
  answer = read_until_closed (prompt);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200 OK\r\n"));
  g_string_free (g_steal_pointer (&answer), TRUE);

  /* Paused past the deadline, and answered once reading again. */
  g_object_set (server, "pause-reading", TRUE, NULL);
  paused = loopback_connect (scope_server_get_bound_port (server));
  g_assert_cmpint (g_socket_send (paused, request, strlen (request), NULL, NULL), ==,
                   (gssize) strlen (request));
  spin_for_ms (1600);
  g_assert_cmpuint (count_said (recorder, "No whole request within 1 s"), ==, 1);
  g_object_set (server, "pause-reading", FALSE, NULL);
  answer = read_until_closed (paused);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200 OK\r\n"));
}

#ifdef __linux__
/* A UDP datagram from any source, through a raw socket (root only). */
static void
forge_datagram (guint16     source_port,
                guint16     dest_port,
                const char *payload)
{
  guint8 packet[sizeof (struct iphdr) + sizeof (struct udphdr) + 64];
  struct iphdr *ip = (struct iphdr *) packet;
  struct udphdr *udp = (struct udphdr *) (packet + sizeof *ip);
  gsize length = sizeof *udp + strlen (payload);
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_RAW, IPPROTO_RAW);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (strlen (payload), <=, 64);
  memset (packet, 0, sizeof packet);
  ip->version = 4;
  ip->ihl = 5;
  ip->ttl = 64;
  ip->protocol = IPPROTO_UDP;
  ip->tot_len = htons (sizeof *ip + length);
  ip->saddr = ip->daddr = htonl (INADDR_LOOPBACK);
  udp->source = htons (source_port);
  udp->dest = htons (dest_port);
  udp->len = htons (length);
  memcpy (packet + sizeof *ip + sizeof *udp, payload, strlen (payload));
  g_assert_cmpint (sendto (fd, packet, sizeof *ip + length, 0, (struct sockaddr *) &to,
                           sizeof to), ==, (ssize_t) (sizeof *ip + length));
  close (fd);
}

static void
udp_exchange (guint16     port,
              const char *payload,
              const char *expected)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) server = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocket) client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_DEFAULT, NULL);
  gint64 deadline = g_get_monotonic_time () + MAIN_LOOP_TEST_TIMEOUT_US;
  char buffer[64];
  gssize n;

  g_assert_true (g_socket_bind (client, any, FALSE, NULL));
  g_socket_set_blocking (client, FALSE);
  g_assert_cmpint (g_socket_send_to (client, server, payload, strlen (payload), NULL, NULL), ==,
                   (gssize) strlen (payload));
  while ((n = g_socket_receive (client, buffer, sizeof buffer, NULL, NULL)) < 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpmem (buffer, n, expected, strlen (expected));
}

/* Whether this process may have a network namespace of its own: tried in
 * a child, which then goes. */
static gboolean
can_unshare_network (void)
{
  int status = 0;
  pid_t pid;

  if (geteuid () != 0)
    return FALSE;
  pid = fork ();
  if (pid == 0)
    _exit (unshare (CLONE_NEWNET) == 0 ? 0 : 1);
  return pid > 0 && waitpid (pid, &status, 0) == pid && WIFEXITED (status)
         && WEXITSTATUS (status) == 0;
}

/* The app runs several servers in one process: a datagram to one whose
 * source is another is one of our own answers or a forgery, and answering
 * it would make the two answer each other for ever. Run in a network
 * namespace of its own, where the forged packet stays. */
static void
test_own_servers_do_not_answer_each_other (void)
{
  if (!g_test_subprocess ())
    {
      if (!can_unshare_network ())
        {
          g_test_skip ("forging a datagram needs root, in a network namespace of its own");
          return;
        }
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  {
    g_autoptr(ScopeRecorder) recorder = NULL;
    g_autoptr(ScopeServer) echo = NULL;
    g_autoptr(ScopeServer) upper = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *from_upper = NULL;
    g_autofree char *from_echo = NULL;
    struct ifreq ifr = { 0 };
    Said said;
    int fd;

    g_assert_cmpint (unshare (CLONE_NEWNET), ==, 0);
    fd = socket (AF_INET, SOCK_DGRAM, 0);
    g_strlcpy (ifr.ifr_name, "lo", sizeof ifr.ifr_name);
    g_assert_cmpint (ioctl (fd, SIOCGIFFLAGS, &ifr), ==, 0);
    ifr.ifr_flags |= IFF_UP;
    g_assert_cmpint (ioctl (fd, SIOCSIFFLAGS, &ifr), ==, 0);
    close (fd);

    recorder = scope_recorder_new ();
    echo = scope_server_new (SCOPE_SERVER_UDP_ECHO, recorder);
    upper = scope_server_new (SCOPE_SERVER_UDP_UPPER, recorder);
    g_assert_true (scope_server_start (echo, &error));
    g_assert_true (scope_server_start (upper, &error));
    g_assert_no_error (error);

    forge_datagram (scope_server_get_bound_port (upper), scope_server_get_bound_port (echo),
                    "from upper?");
    forge_datagram (scope_server_get_bound_port (echo), scope_server_get_bound_port (upper),
                    "from echo?");
    from_upper = g_strdup_printf ("Not answering 127.0.0.1:%u: a server of this program "
                                  "listens there", scope_server_get_bound_port (upper));
    from_echo = g_strdup_printf ("Not answering 127.0.0.1:%u: a server of this program "
                                 "listens there", scope_server_get_bound_port (echo));
    said = (Said) { recorder, from_echo };
    run_until (is_said, &said);
    spin_for_ms (500);
    /* Echo's socket is the recorder's first, upper's its second. */
    g_assert_cmpuint (count_kind (recorder, 1, SCOPE_EVENT_RECVFROM), ==, 1);
    g_assert_cmpuint (count_kind (recorder, 1, SCOPE_EVENT_SENDTO), ==, 0);
    g_assert_cmpuint (count_kind (recorder, 2, SCOPE_EVENT_SENDTO), ==, 0);
    g_assert_cmpuint (count_said (recorder, from_upper), ==, 1);
    g_assert_cmpuint (count_said (recorder, from_echo), ==, 1);

    /* A client of either is answered. */
    udp_exchange (scope_server_get_bound_port (echo), "hi", "hi");
    udp_exchange (scope_server_get_bound_port (upper), "hi", "HI");
  }
}
#endif

/* A socket on 127.0.0.1:@port as a server would have it, or %NULL with
 * @error when it cannot be had. */
static GSocket *
hold_port (GSocketType   type,
           guint16       port,
           GError      **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type,
                                            G_SOCKET_PROTOCOL_DEFAULT, error);

  if (socket == NULL
      || !g_socket_bind (socket, address, type == G_SOCKET_TYPE_STREAM, error)
      || (type == G_SOCKET_TYPE_STREAM && !g_socket_listen (socket, error)))
    return NULL;
  return g_steal_pointer (&socket);
}

static guint16
held_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  g_assert_nonnull (address);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* The notes' port, free: the server takes it, and says no more. */
static void
test_notes_port_free (void)
{
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_TCP_ECHO, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) probe = NULL;

  g_assert_cmpuint (scope_server_kind_get_notes_port (SCOPE_SERVER_TCP_ECHO), ==, 50000);
  probe = hold_port (G_SOCKET_TYPE_STREAM, 50000, &error);
  if (probe == NULL)
    {
      g_autofree char *why = g_strdup_printf ("127.0.0.1:50000 is held by another program "
                                              "(another test run?): %s", error->message);

      g_test_skip (why);
      return;
    }
  g_socket_close (probe, NULL);

  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);
  if (scope_server_get_bound_port (server) != 50000)
    {
      /* Taken between the probe and the start: the fallback, said. */
      g_assert_nonnull (scope_server_get_fallback_reason (server));
      g_test_skip ("127.0.0.1:50000 was taken by another program between the probe and the "
                   "start");
      return;
    }
  g_assert_null (scope_server_get_fallback_reason (server));
}

/* The notes' port in use, by this test or another program: the server
 * listens on one the system chooses and says why. Both kinds of socket:
 * a UDP port is not shared either. */
static void
test_notes_port_taken (void)
{
  const ScopeServerKind kinds[] = { SCOPE_SERVER_TCP_ECHO, SCOPE_SERVER_UDP_UPPER };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(ScopeServer) server = scope_server_new (kinds[i], NULL);
      gboolean stream = scope_server_kind_get_protocol (kinds[i]) == SCOPE_PROTOCOL_TCP;
      guint16 notes = scope_server_kind_get_notes_port (kinds[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) holder = NULL;
      g_autofree char *expected = NULL;

      holder = hold_port (stream ? G_SOCKET_TYPE_STREAM : G_SOCKET_TYPE_DATAGRAM, notes, &error);
      if (holder == NULL)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
      g_clear_error (&error);

      g_assert_true (scope_server_start (server, &error));
      g_assert_no_error (error);
      if (holder == NULL && scope_server_get_bound_port (server) == notes)
        {
          /* The other program let it go before our start: taken, unsaid. */
          g_assert_null (scope_server_get_fallback_reason (server));
        }
      else
        {
          g_assert_cmpuint (scope_server_get_bound_port (server), !=, notes);
          g_assert_cmpuint (scope_server_get_bound_port (server), !=, 0);
          expected = g_strdup_printf ("Port %u was in use (EADDRINUSE): listening on port %u",
                                      notes, scope_server_get_bound_port (server));
          g_assert_cmpstr (scope_server_get_fallback_reason (server), ==, expected);
        }

      /* A port asked for is that port or an error, never another: asked
       * for one this test holds, which no other run can let go. */
      scope_server_stop (server);
      g_assert_null (scope_server_get_fallback_reason (server));
      g_clear_object (&holder);
      holder = hold_port (stream ? G_SOCKET_TYPE_STREAM : G_SOCKET_TYPE_DATAGRAM, 0, &error);
      g_assert_no_error (error);
      g_object_set (server, "port", (guint) held_port (holder), NULL);
      g_assert_false (scope_server_start (server, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
    }
}

static gboolean
server_has_one (gpointer data)
{
  return scope_server_get_n_connections (data) == 1;
}

static gboolean
server_has_none (gpointer data)
{
  return scope_server_get_n_connections (data) == 0;
}

/* Restart: one step, the same port, the options as they are now. */
static void
test_restart (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_TCP_ECHO, recorder);
  g_autoptr(ScopeClient) client = scope_client_new (recorder);
  g_autoptr(GError) error = NULL;
  guint16 port;
  guint limit = 0;
  gboolean closed = FALSE;

  /* A port of the system's choosing, not the notes' 50000, which another
   * run of the suite may take in the moment the restart lets it go. */
  g_object_set (server, "use-notes-port", FALSE, NULL);
  g_assert_true (scope_server_start (server, &error));
  port = scope_server_get_bound_port (server);
  connect_client (client, SCOPE_PROTOCOL_TCP, "127.0.0.1", port);
  g_signal_connect (client, "peer-closed", G_CALLBACK (on_peer_closed), &closed);
  run_until (server_has_one, server);

  g_object_set (server, "backlog", 3, NULL);
  g_assert_true (scope_server_restart (server, &error));
  g_assert_no_error (error);
  g_assert_true (scope_server_get_running (server));
  g_assert_cmpuint (scope_server_get_bound_port (server), ==, port);
  g_assert_null (scope_server_get_fallback_reason (server));
  if (scope_server_get_accept_queue (server, NULL, &limit))
    g_assert_cmpuint (limit, ==, 3);
  /* The old connection went with the old server. */
  g_assert_cmpuint (scope_server_get_n_connections (server), ==, 0);
  run_until (is_true, &closed);
}

/* Our client's connect is recorded before our server's accept of it, as
 * the class is taught: on loopback both are ready in one turn of the loop,
 * and the accept came first (the fifth trial). Ten times over. */
static void
test_connect_before_accept (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_TCP_ECHO, recorder);
  g_autoptr(GError) error = NULL;

  guint listener = 0;

  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);
  for (guint id = 0; id <= scope_recorder_get_n_sockets (recorder); id++)
    if (scope_recorder_get_socket (recorder, id) != NULL
        && scope_recorder_get_socket (recorder, id)->role == SCOPE_SOCKET_LISTENER)
      listener = id;
  g_assert_cmpuint (listener, !=, 0);
  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(ScopeClient) client = scope_client_new (recorder);
      gint64 connect = -1, accept = -1;
      guint n_accepts = 0;
      guint client_id;

      connect_client (client, SCOPE_PROTOCOL_TCP, "127.0.0.1",
                      scope_server_get_bound_port (server));
      run_until (server_has_one, server);
      client_id = scope_client_get_socket_id (client);
      for (guint64 i = 0; i < scope_recorder_get_n_events (recorder); i++)
        {
          ScopeRecord record;

          g_assert_true (scope_recorder_get_record (recorder, i, &record));
          if (record.socket_id == client_id && record.kind == SCOPE_EVENT_CONNECT)
            connect = (gint64) i;
          if (record.socket_id == listener && record.kind == SCOPE_EVENT_ACCEPT)
            {
              accept = (gint64) i;
              n_accepts++;
            }
        }
      g_assert_cmpint (connect, >=, 0);
      g_assert_cmpuint (n_accepts, ==, round + 1);
      g_assert_cmpint (connect, <, accept);
      scope_client_close (client);
      run_until (server_has_none, server);
    }
  scope_server_stop (server);
}

/* The read buffer, changed while a connection is open, applies from its
 * next read (S11: 16 bytes, then a message of 43). */
static void
test_read_buffer_while_running (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_TCP_ECHO, recorder);
  g_autoptr(ScopeClient) client = scope_client_new (recorder);
  g_autoptr(GByteArray) echoed = g_byte_array_new ();
  g_autoptr(GBytes) payload = g_bytes_new_static ("The quick brown fox jumps over the lazy dog",
                                                  43);
  g_autoptr(GPtrArray) recvs = NULL;
  g_autoptr(GError) error = NULL;
  Wanted wanted = { echoed, 43 };
  guint conn;

  g_assert_true (scope_server_start (server, &error));
  connect_client (client, SCOPE_PROTOCOL_TCP, "127.0.0.1", scope_server_get_bound_port (server));
  g_signal_connect (client, "received", G_CALLBACK (on_received), echoed);
  run_until (server_has_one, server);

  g_object_set (server, "read-buffer-size", 16, NULL);
  g_object_set (server, "pause-reading", TRUE, NULL);
  scope_client_send (client, payload, 0, 0);
  run_until (nothing_pending, client);
  spin_for_ms (20);
  g_object_set (server, "pause-reading", FALSE, NULL);
  run_until (received_enough, &wanted);

  /* The server's connection: the one socket of that role. Which of it
   * and the client was recorded first is the main loop's choice. */
  conn = 0;
  for (guint id = 0; id <= scope_recorder_get_n_sockets (recorder); id++)
    if (scope_recorder_get_socket (recorder, id) != NULL
        && scope_recorder_get_socket (recorder, id)->role == SCOPE_SOCKET_CONNECTION)
      {
        g_assert_cmpuint (conn, ==, 0);
        conn = id;
      }
  g_assert_cmpuint (conn, !=, 0);
  recvs = events_of (recorder, conn, SCOPE_EVENT_RECV);
  g_assert_cmpuint (recvs->len, ==, 3);
  g_assert_cmpuint (scope_event_get_size (recvs->pdata[0]), ==, 16);
  g_assert_cmpuint (scope_event_get_size (recvs->pdata[1]), ==, 16);
  g_assert_cmpuint (scope_event_get_size (recvs->pdata[2]), ==, 11);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/stream-is-not-a-message", test_stream_is_not_a_message);
  g_test_add_func ("/server/datagrams-stay-apart", test_datagrams_stay_apart);
  g_test_add_func ("/server/datagram-of-no-bytes-paused", test_datagram_of_no_bytes_paused);
  g_test_add_func ("/server/pause-accepting", test_pause_accepting);
  g_test_add_func ("/server/accept-queue", test_accept_queue);
  g_test_add_func ("/server/notes-port/free", test_notes_port_free);
  g_test_add_func ("/server/notes-port/taken", test_notes_port_taken);
  g_test_add_func ("/server/restart", test_restart);
  g_test_add_func ("/server/read-buffer-while-running", test_read_buffer_while_running);
  g_test_add_func ("/server/connect-before-accept", test_connect_before_accept);
  g_test_add_func ("/server/stop", test_stop_records_closes);
  g_test_add_func ("/server/kinds", test_kind_names);
  g_test_add_func ("/server/shutdown-after-queued-chunks", test_shutdown_after_queued_chunks);
  g_test_add_func ("/server/loopback-both", test_loopback_both_same_port);
  g_test_add_func ("/server/exposure-by-parsing", test_exposure_by_parsing);
  g_test_add_func ("/server/kind-usage", test_kind_usage);
  g_test_add_func ("/server/http-request-deadline", test_http_request_deadline);
#ifdef __linux__
  g_test_add_func ("/server/own-servers-do-not-answer-each-other",
                   test_own_servers_do_not_answer_each_other);
#endif

  return g_test_run ();
}
