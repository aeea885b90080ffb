/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-describe.h"
#include "scope-export.h"
#include "scope-stream.h"
#include "scope-stream-ends.h"

/* The stream model with no display: the lanes, the bytes of each
 * direction, the links from sends to receives (S14's merge, S11's split,
 * datagrams), and the one rule that pairs the ends of a connection: both
 * ends ours or one, dual stack, an end closed before the other opened, a
 * port reused after that; and a long session within the recorder's limit. */

typedef struct
{
  gint64         now;
  ScopeRecorder *recorder;
  ScopeStream   *stream;
} Session;

static gint64
fake_clock (gpointer user_data)
{
  return ((Session *) user_data)->now;
}

static void
session_init (Session *s)
{
  s->now = 0;
  s->recorder = scope_recorder_new ();
  scope_recorder_set_autoflush (s->recorder, FALSE);
  scope_recorder_set_clock (s->recorder, fake_clock, s);
  s->stream = scope_stream_new (s->recorder);
}

static void
session_clear (Session *s)
{
  g_assert_finalize_object (s->stream);
  g_assert_finalize_object (s->recorder);
}

static guint
add (Session         *s,
     ScopeSocketRole  role,
     ScopeProtocol    protocol,
     const char      *label,
     const char      *local_ip,
     guint16          local_port,
     const char      *peer_ip,
     guint16          peer_port,
     guint            parent)
{
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new_from_string (local_ip, local_port);
  g_autoptr(GSocketAddress) peer = NULL;

  if (peer_ip != NULL)
    peer = g_inet_socket_address_new_from_string (peer_ip, peer_port);
  s->now += 10;
  return scope_recorder_add_socket (s->recorder, role, protocol, label, local, peer, parent);
}

static guint64
event (Session        *s,
       guint           socket,
       ScopeEventKind  kind,
       const char     *data)
{
  guint64 index = scope_recorder_get_n_events (s->recorder);

  s->now += 10;
  scope_recorder_append (s->recorder, socket, kind, (const guint8 *) data,
                         data ? strlen (data) : 0);
  return index;
}

static guint64
datagram (Session        *s,
          guint           socket,
          ScopeEventKind  kind,
          const char     *peer_ip,
          guint16         peer_port,
          const char     *data)
{
  g_autoptr(GSocketAddress) peer = g_inet_socket_address_new_from_string (peer_ip, peer_port);
  guint64 index = scope_recorder_get_n_events (s->recorder);

  s->now += 10;
  scope_recorder_append_datagram (s->recorder, socket, kind, peer, (const guint8 *) data,
                                  strlen (data));
  return index;
}

static GArray *
links_of (Session *s,
          guint64  index)
{
  GArray *links = g_array_new (FALSE, FALSE, sizeof (ScopeStreamLink));

  scope_stream_collect_links (s->stream, index, links);
  return links;
}

static void
assert_link (GArray  *links,
             guint    i,
             guint64  send,
             guint64  recv,
             guint64  offset,
             guint64  size,
             guint64  send_start,
             guint64  recv_start)
{
  ScopeStreamLink *link;

  g_assert_cmpuint (i, <, links->len);
  link = &g_array_index (links, ScopeStreamLink, i);
  g_assert_cmpuint (link->send_index, ==, send);
  g_assert_cmpuint (link->recv_index, ==, recv);
  g_assert_cmpuint (link->stream_offset, ==, offset);
  g_assert_cmpuint (link->size, ==, size);
  g_assert_cmpuint (link->send_start, ==, send_start);
  g_assert_cmpuint (link->recv_start, ==, recv_start);
}

/* The one link of an event. */
static void
assert_only_link (Session *s,
                  guint64  index,
                  guint64  send,
                  guint64  recv,
                  guint64  offset,
                  guint64  size,
                  guint64  send_start,
                  guint64  recv_start)
{
  g_autoptr(GArray) links = links_of (s, index);

  g_assert_cmpuint (links->len, ==, 1);
  assert_link (links, 0, send, recv, offset, size, send_start, recv_start);
}

/* A listener on 127.0.0.1:50000, our client at 53122 and the connection
 * it accepted. */
static void
echo_pair (Session *s,
           guint   *listener,
           guint   *client,
           guint   *connection)
{
  *listener = add (s, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1", 50000,
                   NULL, 0, 0);
  event (s, *listener, SCOPE_EVENT_LISTEN, NULL);
  *client = add (s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client", "127.0.0.1", 53122,
                 "127.0.0.1", 50000, 0);
  event (s, *client, SCOPE_EVENT_CONNECT, NULL);
  *connection = add (s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1",
                     50000, "127.0.0.1", 53122, *listener);
  scope_recorder_append_accept (s->recorder, *listener, *connection);
}

/* A UDP echo server on 127.0.0.1:8000 and our client at 58282. */
static void
udp_echo_pair (Session *s,
               guint   *server,
               guint   *client)
{
  *server = add (s, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-echo", "127.0.0.1", 8000,
                 NULL, 0, 0);
  *client = add (s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP, "client", "127.0.0.1", 58282,
                 "127.0.0.1", 8000, 0);
}

/* S14: two sends, one receive that holds both. */
static void
test_merge (void)
{
  Session s;
  guint listener, client, connection;
  guint64 hi, hope, both;
  g_autoptr(GArray) from_recv = NULL;
  g_autoptr(GArray) from_send = NULL;
  g_autofree char *words = NULL;

  session_init (&s);
  echo_pair (&s, &listener, &client, &connection);
  hi = event (&s, client, SCOPE_EVENT_SEND, "Hi!");
  hope = event (&s, client, SCOPE_EVENT_SEND, "Hope you're well");
  both = event (&s, connection, SCOPE_EVENT_RECV, "Hi!Hope you're well");

  /* Not flushed: not in the model yet. */
  from_recv = links_of (&s, both);
  g_assert_cmpuint (from_recv->len, ==, 0);
  g_clear_pointer (&from_recv, g_array_unref);
  scope_recorder_flush (s.recorder);
  g_assert_cmpuint (scope_stream_get_n_events (s.stream), ==, both + 1);

  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, client), ==, connection);
  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, connection), ==, client);
  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, listener), ==, 0);

  from_recv = links_of (&s, both);
  g_assert_cmpuint (from_recv->len, ==, 2);
  assert_link (from_recv, 0, hi, both, 0, 3, 0, 0);
  assert_link (from_recv, 1, hope, both, 3, 16, 0, 3);

  from_send = links_of (&s, hope);
  g_assert_cmpuint (from_send->len, ==, 1);
  assert_link (from_send, 0, hope, both, 3, 16, 0, 3);

  words = scope_describe_event (s.stream, both);
  g_assert_cmpstr (words, ==, "recv of 19 bytes at 80 µs on tcp-echo :50000 ← 127.0.0.1:53122: "
                              "“Hi!Hope you're well”. Sent by 2 calls");
  g_clear_pointer (&words, g_free);
  words = scope_describe_event (s.stream, hi);
  g_assert_true (g_str_has_suffix (words, "“Hi!”. Received in 1 call"));

  session_clear (&s);
}

/* S14 with reading paused: the bytes waiting unread, told in words, and
 * in the JSON export beside the receive buffer's size; no links, no bytes
 * of their own. */
static void
test_unread (void)
{
  Session s;
  guint listener, client, connection;
  g_autofree char *words = NULL;
  g_autofree char *none = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GArray) links = NULL;
  guint64 unread;

  session_init (&s);
  echo_pair (&s, &listener, &client, &connection);
  event (&s, client, SCOPE_EVENT_SEND, "Hi!");
  event (&s, client, SCOPE_EVENT_SEND, "Hope you're well");
  s.now = 90;
  unread = scope_recorder_get_n_events (s.recorder);
  scope_recorder_append_unread (s.recorder, connection, 19, 131072, -1, TRUE);
  event (&s, connection, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  scope_recorder_append_unread (s.recorder, connection, 0, 131072, -1, TRUE);
  scope_recorder_flush (s.recorder);

  g_assert_cmpstr (scope_event_kind_to_string (SCOPE_EVENT_UNREAD), ==, "unread");
  words = scope_describe_event (s.stream, unread);
  g_assert_cmpstr (words, ==, "unread at 90 µs on tcp-echo :50000 ← 127.0.0.1:53122: 19 bytes "
                              "wait unread in the receive buffer, which holds 131072");
  none = scope_describe_event (s.stream, unread + 2);
  g_assert_true (g_str_has_suffix (none, ": nothing waits unread in the receive buffer now"));
  links = links_of (&s, unread);
  g_assert_cmpuint (links->len, ==, 0);
  g_assert_null (scope_recorder_dup_payload (s.recorder, unread));

  g_assert_true (scope_export_write (s.recorder, SCOPE_EXPORT_JSON, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  json = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  g_assert_nonnull (strstr (json, "\"kind\":\"unread\""));
  g_assert_nonnull (strstr (json, "\"receive_buffer\":131072"));

  session_clear (&s);
}

/* S11: one send of 40 bytes taken by receives of 16, 16 and 8; and where
 * each direction of a lane stands before each of its events. */
static void
test_split (void)
{
  Session s;
  guint listener, client, connection;
  guint64 forty, recvs[3];
  g_autoptr(GArray) links = NULL;
  guint lane;
  guint64 sent, received;

  session_init (&s);
  echo_pair (&s, &listener, &client, &connection);
  forty = event (&s, connection, SCOPE_EVENT_SEND, "0123456789abcdefghijklmnopqrstuvwxyzABCD");
  recvs[0] = event (&s, client, SCOPE_EVENT_RECV, "0123456789abcdef");
  recvs[1] = event (&s, client, SCOPE_EVENT_RECV, "ghijklmnopqrstuv");
  recvs[2] = event (&s, client, SCOPE_EVENT_RECV, "wxyzABCD");
  event (&s, client, SCOPE_EVENT_SEND, "thanks");
  event (&s, client, SCOPE_EVENT_RECV, NULL);
  event (&s, client, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (s.recorder);

  links = links_of (&s, forty);
  g_assert_cmpuint (links->len, ==, 3);
  assert_link (links, 0, forty, recvs[0], 0, 16, 0, 0);
  assert_link (links, 1, forty, recvs[1], 16, 16, 16, 0);
  assert_link (links, 2, forty, recvs[2], 32, 8, 32, 0);

  /* The client's lane: connect, three receives, a send, the peer's end
   * (a receive of nothing), close. */
  g_assert_true (scope_stream_get_socket_lane (s.stream, client, &lane));
  g_assert_cmpuint (scope_stream_get_lane_n_events (s.stream, lane), ==, 7);
  g_assert_cmpuint (scope_stream_get_lane_n_sends (s.stream, lane), ==, 1);
  for (guint i = 0; i <= 7; i++)
    {
      static const guint64 sent_before[] = { 0, 0, 0, 0, 0, 6, 6, 6 };
      static const guint64 received_before[] = { 0, 0, 16, 32, 40, 40, 40, 40 };

      scope_stream_get_lane_position (s.stream, lane, i, &sent, &received);
      g_assert_cmpuint (sent, ==, sent_before[i]);
      g_assert_cmpuint (received, ==, received_before[i]);
    }

  /* Lifecycle events and the zero-byte receive have no links. */
  for (guint64 i = recvs[2] + 2; i < scope_stream_get_n_events (s.stream); i++)
    {
      g_autoptr(GArray) none = links_of (&s, i);

      g_assert_cmpuint (none->len, ==, 0);
    }
  session_clear (&s);
}

/* The lanes: a listener's connections under it, in the order they came,
 * before the sockets made after it. */
static void
test_lanes (void)
{
  Session s;
  guint listener, client, connection, other;
  guint lane;

  session_init (&s);
  echo_pair (&s, &listener, &client, &connection);
  other = add (&s, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-upper", "127.0.0.1", 50001,
               NULL, 0, 0);
  g_assert_cmpuint (scope_stream_get_n_lanes (s.stream), ==, 0);
  scope_recorder_flush (s.recorder);

  g_assert_cmpuint (scope_stream_get_n_lanes (s.stream), ==, 4);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 0), ==, listener);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 1), ==, connection);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 2), ==, client);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 3), ==, other);
  g_assert_true (scope_stream_get_socket_lane (s.stream, connection, &lane));
  g_assert_cmpuint (lane, ==, 1);
  g_assert_false (scope_stream_get_socket_lane (s.stream, other + 1, &lane));
  g_assert_cmpint (scope_stream_get_end_us (s.stream), ==, s.now);
  session_clear (&s);
}

/* Datagrams: the k-th sent from one address to another is the k-th
 * received there. Two clients on one port of two addresses are two flows;
 * a wildcard or dual-stack socket is the address its peer saw. */
static void
test_udp_flows (void)
{
  Session s;
  guint server, a, b, server6, c, d;
  guint64 a1, b1, got_b1, got_a1, a2, got_a2, reply, got_reply, c1, got_c1, d1, got_d1;
  g_autoptr(GArray) links = NULL;
  g_autofree char *words = NULL;

  session_init (&s);
  server = add (&s, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-upper", "0.0.0.0", 50001,
                NULL, 0, 0);
  a = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP, "client", "127.0.0.1", 40000,
           "127.0.0.1", 50001, 0);
  b = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP, "client", "127.0.0.2", 40000,
           "127.0.0.1", 50001, 0);
  a1 = datagram (&s, a, SCOPE_EVENT_SENDTO, "127.0.0.1", 50001, "a1");
  b1 = datagram (&s, b, SCOPE_EVENT_SENDTO, "127.0.0.1", 50001, "b1");
  got_b1 = datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.2", 40000, "b1");
  got_a1 = datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 40000, "a1");
  a2 = datagram (&s, a, SCOPE_EVENT_SENDTO, "127.0.0.1", 50001, "a2, longer");
  scope_recorder_flush (s.recorder);

  /* The server has not read a2 yet. */
  links = links_of (&s, a2);
  g_assert_cmpuint (links->len, ==, 0);
  g_clear_pointer (&links, g_array_unref);

  got_a2 = datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 40000, "a2, lon");
  reply = datagram (&s, server, SCOPE_EVENT_SENDTO, "127.0.0.1", 40000, "A1");
  got_reply = datagram (&s, a, SCOPE_EVENT_RECVFROM, "127.0.0.1", 50001, "A1");

  /* A dual-stack server: its IPv4 client is "[::ffff:127.0.0.1]" to it. */
  server6 = add (&s, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-echo", "::", 50002,
                 NULL, 0, 0);
  c = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP, "client", "127.0.0.1", 40003,
           "127.0.0.1", 50002, 0);
  c1 = datagram (&s, c, SCOPE_EVENT_SENDTO, "127.0.0.1", 50002, "c1");
  got_c1 = datagram (&s, server6, SCOPE_EVENT_RECVFROM, "::ffff:127.0.0.1", 40003, "c1");
  /* A client bound to 0.0.0.0 sends from whichever address the route
   * gives it: the server saw 127.0.0.1. */
  d = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP, "client", "0.0.0.0", 40004,
           "127.0.0.1", 50001, 0);
  d1 = datagram (&s, d, SCOPE_EVENT_SENDTO, "127.0.0.1", 50001, "d1");
  got_d1 = datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 40004, "d1");
  scope_recorder_flush (s.recorder);

  assert_only_link (&s, a1, a1, got_a1, 0, 2, 0, 0);
  assert_only_link (&s, got_b1, b1, got_b1, 0, 2, 0, 0);
  /* Cut short: the receive's buffer took 7 of 11 bytes. */
  assert_only_link (&s, a2, a2, got_a2, 0, 7, 0, 0);
  assert_only_link (&s, got_reply, reply, got_reply, 0, 2, 0, 0);
  assert_only_link (&s, c1, c1, got_c1, 0, 2, 0, 0);
  assert_only_link (&s, got_d1, d1, got_d1, 0, 2, 0, 0);

  words = scope_describe_event (s.stream, c1);
  g_assert_true (g_str_has_prefix (words, "sendto of 2 bytes at "));
  g_assert_true (g_str_has_suffix (words, "on client 127.0.0.1:40003 (UDP) → 127.0.0.1:50002: "
                                          "“c1”. Received in 1 call"));
  /* The server's lane names no peer: each datagram says whose it is
   * (S13, the seventh trial found the client's port said nowhere) */
  g_clear_pointer (&words, g_free);
  words = scope_describe_event (s.stream, got_b1);
  g_assert_nonnull (strstr (words, "on udp-upper 0.0.0.0:50001 (UDP), from 127.0.0.2:40000: "
                                   "“b1”"));
  g_clear_pointer (&words, g_free);
  words = scope_describe_event (s.stream, reply);
  g_assert_nonnull (strstr (words, ", to 127.0.0.1:40000: “A1”"));
  session_clear (&s);
}

/* Our client to a server that is not ours: one end, no pair, no links,
 * its bytes all the same. */
static void
test_one_end (void)
{
  Session s;
  guint client;
  guint64 request;
  g_autoptr(GArray) links = NULL;
  guint lane;
  guint64 sent, received;

  session_init (&s);
  client = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client", "192.0.2.7", 41000,
                "198.51.100.1", 80, 0);
  event (&s, client, SCOPE_EVENT_CONNECT, NULL);
  request = event (&s, client, SCOPE_EVENT_SEND, "GET / HTTP/1.0\r\n\r\n");
  event (&s, client, SCOPE_EVENT_RECV, "HTTP/1.0 200 OK\r\n");
  scope_recorder_flush (s.recorder);

  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, client), ==, 0);
  g_assert_cmpuint (scope_recorder_get_socket (s.recorder, client)->peer_id, ==, 0);
  links = links_of (&s, request);
  g_assert_cmpuint (links->len, ==, 0);
  g_assert_true (scope_stream_get_socket_lane (s.stream, client, &lane));
  scope_stream_get_lane_position (s.stream, lane, 3, &sent, &received);
  g_assert_cmpuint (sent, ==, 18);
  g_assert_cmpuint (received, ==, 17);
  session_clear (&s);
}

/* A dual-stack server sees its IPv4 client as ::ffff:127.0.0.1; both ends
 * open: paired, by the recorder too. */
static void
test_dual_stack (void)
{
  Session s;
  guint listener, connection, client;
  guint64 hello, got;

  session_init (&s);
  listener = add (&s, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP, "tcp-echo", "::", 50000,
                  NULL, 0, 0);
  client = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client", "127.0.0.1", 53122,
                "127.0.0.1", 50000, 0);
  connection = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo",
                    "::ffff:127.0.0.1", 50000, "::ffff:127.0.0.1", 53122, listener);
  hello = event (&s, client, SCOPE_EVENT_SEND, "hello");
  got = event (&s, connection, SCOPE_EVENT_RECV, "hello");
  scope_recorder_flush (s.recorder);

  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, client), ==, connection);
  g_assert_cmpuint (scope_recorder_get_socket (s.recorder, client)->peer_id, ==, connection);
  g_assert_cmpuint (scope_recorder_get_socket (s.recorder, connection)->peer_id, ==, client);
  assert_only_link (&s, hello, hello, got, 0, 5, 0, 0);
  session_clear (&s);
}

/* tcp-message on a busy loop: the server's end sent and closed before the
 * client's end was recorded, on a dual-stack socket. Still one connection
 * (paired late: not the recorder's peer_id, which says both were open). */
static void
test_closed_early (void)
{
  Session s;
  guint listener, connection, client;
  guint64 message, got;
  ScopeEndpoint local, peer;

  session_init (&s);
  listener = add (&s, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP, "tcp-message", "::", 50000,
                  NULL, 0, 0);
  connection = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-message",
                    "::ffff:127.0.0.1", 50000, "::ffff:127.0.0.1", 53122, listener);
  scope_recorder_append_accept (s.recorder, listener, connection);
  message = event (&s, connection, SCOPE_EVENT_SEND, "Hello\n");
  event (&s, connection, SCOPE_EVENT_CLOSE, NULL);
  client = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client", "127.0.0.1", 53122,
                "127.0.0.1", 50000, 0);
  event (&s, client, SCOPE_EVENT_CONNECT, NULL);
  got = event (&s, client, SCOPE_EVENT_RECV, "Hello\n");
  scope_recorder_flush (s.recorder);

  g_assert_cmpuint (scope_recorder_get_socket (s.recorder, client)->peer_id, ==, 0);
  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, client), ==, connection);
  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, connection), ==, client);
  assert_only_link (&s, got, message, got, 0, 6, 0, 0);

  /* The addresses as the packets carry them: IPv4 at both ends. */
  g_assert_true (scope_stream_ends_get_addresses (scope_recorder_get_stream_ends (s.recorder),
                                                  connection, &local, &peer));
  g_assert_cmpuint (local.family, ==, 4);
  g_assert_cmpuint (local.port, ==, 50000);
  g_assert_cmpuint (peer.family, ==, 4);
  g_assert_cmpuint (peer.port, ==, 53122);
  g_assert_false (scope_stream_ends_get_addresses (scope_recorder_get_stream_ends (s.recorder),
                                                   listener, &local, &peer));
  session_clear (&s);
}

/* A connection from a client that is not ours (nc from port 53122) ends;
 * later our client gets port 53122 and connects to our server. The new
 * client's end pairs with the new connection, not the old one, whichever
 * of the two ends the recorder hears of first. */
static void
test_port_reused (gconstpointer data)
{
  gboolean client_first = GPOINTER_TO_INT (data);
  Session s;
  guint listener, old, client, connection;
  guint64 stale, request, got;
  g_autoptr(GArray) links = NULL;

  session_init (&s);
  listener = add (&s, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1", 50000,
                  NULL, 0, 0);
  old = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1", 50000,
             "127.0.0.1", 53122, listener);
  stale = event (&s, old, SCOPE_EVENT_SEND, "bye");
  event (&s, old, SCOPE_EVENT_CLOSE, NULL);

  if (client_first)
    {
      client = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client", "127.0.0.1", 53122,
                    "127.0.0.1", 50000, 0);
      /* For now, the closed end is all there is. */
      scope_recorder_flush (s.recorder);
      g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, client), ==, old);
      connection = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1",
                        50000, "127.0.0.1", 53122, listener);
    }
  else
    {
      connection = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1",
                        50000, "127.0.0.1", 53122, listener);
      client = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client", "127.0.0.1", 53122,
                    "127.0.0.1", 50000, 0);
    }
  request = event (&s, client, SCOPE_EVENT_SEND, "Hi!");
  got = event (&s, connection, SCOPE_EVENT_RECV, "Hi!");
  scope_recorder_flush (s.recorder);

  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, client), ==, connection);
  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, connection), ==, client);
  g_assert_cmpuint (scope_stream_get_peer_socket (s.stream, old), ==, 0);
  g_assert_cmpuint (scope_recorder_get_socket (s.recorder, client)->peer_id, ==, connection);
  g_assert_cmpuint (scope_recorder_get_socket (s.recorder, connection)->peer_id, ==, client);
  g_assert_cmpuint (scope_recorder_get_socket (s.recorder, old)->peer_id, ==, 0);

  assert_only_link (&s, request, request, got, 0, 3, 0, 0);
  links = links_of (&s, stale);
  g_assert_cmpuint (links->len, ==, 0);
  session_clear (&s);
}

/* A recorder that forgets what it has told (--events) forgets the ends it
 * closed: they pair with nothing later. */
static void
test_ends_forgotten (void)
{
  g_autoptr(ScopeRecorder) recorder =
    scope_recorder_new_with_retention (SCOPE_RECORDER_KEEP_UNTIL_FLUSHED);
  g_autoptr(GSocketAddress) server = g_inet_socket_address_new_from_string ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client = g_inet_socket_address_new_from_string ("127.0.0.1", 53122);
  const ScopeStreamEnds *ends = scope_recorder_get_stream_ends (recorder);
  ScopeEndpoint local, peer;
  guint connection, later;

  connection = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP,
                                          "tcp-echo", server, client, 0);
  g_assert_true (scope_stream_ends_get_addresses (ends, connection, &local, &peer));
  scope_recorder_append (recorder, connection, SCOPE_EVENT_CLOSE, NULL, 0);
  scope_recorder_flush (recorder);
  g_assert_false (scope_stream_ends_get_addresses (ends, connection, &local, &peer));

  later = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                     "client", client, server, 0);
  g_assert_cmpuint (scope_stream_ends_get_peer (ends, later), ==, 0);
}

/* 200,000 events, taken in a thousand at a time, against a limit of
 * 120,000: the links of every receive are right, and the model holds what
 * the recorder holds and no more once the recorder has stopped. Sends of
 * 24 bytes, receives of 16: every receive takes from one send or two. */
#define LONG_LIMIT   120000
#define LONG_EVENTS  200000
#define LONG_BATCH   1000

static void
test_long_session (void)
{
  static const char bytes[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  Session s;
  guint listener, client, connection;
  guint64 sent = 0, received = 0;
  gsize size_at_limit = 0;
  guint64 n_recvs = 0;

  session_init (&s);
  scope_recorder_set_event_limit (s.recorder, LONG_LIMIT);
  echo_pair (&s, &listener, &client, &connection);
  for (guint64 i = 0; i < LONG_EVENTS; i++)
    {
      /* Receive only what was sent. */
      if (received + 16 <= sent && i % 5 != 0)
        {
          scope_recorder_append (s.recorder, connection, SCOPE_EVENT_RECV,
                                 (const guint8 *) bytes, 16);
          received += 16;
        }
      else
        {
          scope_recorder_append (s.recorder, client, SCOPE_EVENT_SEND, (const guint8 *) bytes, 24);
          sent += 24;
        }
      s.now += 3;
      if (i % LONG_BATCH == LONG_BATCH - 1)
        {
          scope_recorder_flush (s.recorder);
          g_assert_cmpuint (scope_stream_get_n_events (s.stream), ==,
                            scope_recorder_get_n_events (s.recorder));
          if (scope_recorder_get_state (s.recorder) != SCOPE_RECORDER_RECORDING)
            {
              if (size_at_limit == 0)
                size_at_limit = scope_stream_get_index_size (s.stream);
              g_assert_cmpuint (scope_stream_get_index_size (s.stream), ==, size_at_limit);
            }
        }
    }
  g_assert_cmpint (scope_recorder_get_state (s.recorder), ==,
                   SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
  g_assert_cmpuint (scope_stream_get_n_events (s.stream), ==, LONG_LIMIT);
  g_assert_cmpuint (scope_recorder_get_dropped_events (s.recorder), ==,
                    LONG_EVENTS + 3 - LONG_LIMIT);
  /* Each event is in its lane and, but for the first three, in its lane's
   * sends or receives. */
  g_assert_cmpuint (size_at_limit, >=, (LONG_LIMIT * 2 - 3) * sizeof (guint32));
  g_assert_cmpuint (size_at_limit, <=, LONG_LIMIT * 2 * sizeof (guint32) + 4096);

  /* Each receive's links cover its 16 bytes, in order, from the sends
   * whose bytes lie there; and each link is one of its send's. */
  for (guint64 index = 0; index < LONG_LIMIT; index++)
    {
      g_autoptr(GArray) links = NULL;
      ScopeRecord record;
      guint64 at;

      scope_recorder_get_record (s.recorder, index, &record);
      if (record.kind != SCOPE_EVENT_RECV)
        continue;
      n_recvs++;
      links = links_of (&s, index);
      g_assert_cmpuint (links->len, >=, 1);
      g_assert_cmpuint (links->len, <=, 2);
      at = record.stream_offset;
      for (guint k = 0; k < links->len; k++)
        {
          ScopeStreamLink *link = &g_array_index (links, ScopeStreamLink, k);
          g_autoptr(GArray) back = links_of (&s, link->send_index);
          ScopeRecord send;
          gboolean found = FALSE;

          scope_recorder_get_record (s.recorder, link->send_index, &send);
          g_assert_cmpint (send.kind, ==, SCOPE_EVENT_SEND);
          g_assert_cmpuint (link->stream_offset, ==, at);
          g_assert_cmpuint (send.stream_offset, <=, at);
          g_assert_cmpuint (at + link->size, <=, send.stream_offset + send.size);
          g_assert_cmpuint (link->send_start, ==, at - send.stream_offset);
          g_assert_cmpuint (link->recv_start, ==, at - record.stream_offset);
          at += link->size;
          for (guint j = 0; j < back->len; j++)
            found |= g_array_index (back, ScopeStreamLink, j).recv_index == index;
          g_assert_true (found);
        }
      g_assert_cmpuint (at, ==, record.stream_offset + 16);
    }
  g_assert_cmpuint (n_recvs, >, LONG_LIMIT / 3);
  session_clear (&s);
}

/* The latest exchange: what came after the last quiet gap, a quarter of a
 * second or twenty times what followed it, on every lane it touched. */
static void
test_latest_exchange (void)
{
  Session s;
  guint listener, client, connection;
  gint64 first_us, last_us, send_us;
  gboolean arrival = TRUE;
  guint n;

  session_init (&s);
  g_assert_false (scope_stream_get_latest_exchange (s.stream, NULL, NULL, NULL));
  echo_pair (&s, &listener, &client, &connection);
  scope_recorder_flush (s.recorder);
  /* listen, connect, accept: 10 µs apart, one exchange on three lanes. */
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (scope_stream_get_latest_exchange_n_lanes (s.stream), ==, 2);
  g_assert_cmpint (last_us, ==, s.now);

  /* A 300 ms pause: S11's send of 43 bytes, read 16, 16 and 11 at a time,
   * echoed back, is an exchange of its own. */
  s.now += 300000;
  event (&s, client, SCOPE_EVENT_SEND, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG");
  send_us = s.now;
  event (&s, connection, SCOPE_EVENT_RECV, "0123456789abcdef");
  event (&s, connection, SCOPE_EVENT_RECV, "ghijklmnopqrstuv");
  event (&s, connection, SCOPE_EVENT_RECV, "wxyzABCDEFG");
  event (&s, connection, SCOPE_EVENT_SEND, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG");
  event (&s, client, SCOPE_EVENT_RECV, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG");
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpint (first_us, ==, send_us);
  g_assert_cmpint (last_us, ==, s.now);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpuint (scope_stream_get_latest_exchange_n_lanes (s.stream), ==, 2);
  g_assert_cmpint (scope_recorder_get_time_us (s.recorder,
                                               scope_stream_get_latest_exchange_first (s.stream,
                                                                                       &arrival)),
                   ==, send_us);
  g_assert_false (arrival);

  /* 200 ms later: less than a quarter second, but twenty times the 10 µs
   * the next exchange spans. */
  s.now += 200000;
  event (&s, client, SCOPE_EVENT_SEND, "x");
  send_us = s.now;
  event (&s, connection, SCOPE_EVENT_RECV, "x");
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpint (first_us, ==, send_us);
  g_assert_cmpuint (n, ==, 2);

  /* 500 µs later: not a quiet gap, however short what follows. */
  s.now += 500;
  event (&s, connection, SCOPE_EVENT_SEND, "x");
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpint (first_us, ==, send_us);
  g_assert_cmpuint (n, ==, 3);

  /* S14: read after a 400 ms pause, bytes that arrived 300 ms before the
   * read: the exchange starts with their arrival. */
  s.now += 400000;
  scope_recorder_append_received (s.recorder, connection, SCOPE_EVENT_RECV, NULL,
                                  (const guint8 *) "Hi!", 3, g_get_real_time () - 300000);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (last_us - first_us, >=, 300000);
  g_assert_cmpint (last_us - first_us, <, 400000);
  scope_stream_get_latest_exchange_first (s.stream, &arrival);
  g_assert_true (arrival);
  session_clear (&s);
}

/* S14 as the room sees it: "Hi!", then a second later "Hope you're well",
 * read two seconds after that in one receive. Quiet gaps lie between all
 * three, yet the exchange starts with the first send while both wait
 * unread, and the one the receive closes with the first send its bytes
 * came from, counting what lies between. */
static void
test_latest_exchange_reads_back (void)
{
  Session s;
  guint listener, client, connection;
  guint64 hi;
  gint64 first_us, last_us, hi_us, hope_us;
  gboolean arrival = TRUE;
  guint n;

  session_init (&s);
  echo_pair (&s, &listener, &client, &connection);
  s.now += 300000;
  hi = event (&s, client, SCOPE_EVENT_SEND, "Hi!");
  hi_us = s.now;
  s.now += 1000000;
  event (&s, client, SCOPE_EVENT_SEND, "Hope you're well");
  hope_us = s.now;
  scope_recorder_flush (s.recorder);
  /* Nothing read yet: both sends wait, one lesson; the last alone left
   * "Hi!" out of view while reading was paused (the fourth trial). */
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpint (first_us, ==, hi_us);
  g_assert_cmpint (last_us, ==, hope_us);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (scope_stream_get_latest_exchange_n_lanes (s.stream), ==, 1);

  /* The last bytes arrived with the second send, two seconds before the
   * read; the echo goes back at once. */
  s.now += 2000000;
  scope_recorder_append_received (s.recorder, connection, SCOPE_EVENT_RECV, NULL,
                                  (const guint8 *) "Hi!Hope you're well", 19,
                                  g_get_real_time () - 2000000);
  event (&s, connection, SCOPE_EVENT_SEND, "Hi!Hope you're well");
  event (&s, client, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpint (first_us, ==, hi_us);
  g_assert_cmpint (last_us, ==, s.now);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (scope_stream_get_latest_exchange_n_lanes (s.stream), ==, 2);
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, &arrival), ==, hi);
  g_assert_false (arrival);

  /* Everything read: the next send, a second on, is alone. */
  s.now += 1000000;
  event (&s, client, SCOPE_EVENT_SEND, "again");
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpint (first_us, ==, s.now);
  g_assert_cmpuint (n, ==, 1);
  session_clear (&s);
}

/* The same over UDP: two datagrams a second apart, neither received yet,
 * are one exchange (the seventh trial's view held the last alone); once
 * both are taken, the next one sent is alone. */
static void
test_latest_exchange_unread_datagrams (void)
{
  Session s;
  guint server, client;
  guint64 hi;
  gint64 first_us;
  guint n;

  session_init (&s);
  server = add (&s, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-echo", "127.0.0.1", 8000,
                NULL, 0, 0);
  client = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP, "client", "127.0.0.1", 40000,
                "127.0.0.1", 8000, 0);
  s.now += 300000;
  hi = datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "Hi!");
  s.now += 1000000;
  datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "Hope you're well");
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, hi);
  g_assert_cmpuint (n, ==, 2);

  s.now += 1000000;
  datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 40000, "Hi!");
  datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 40000, "Hope you're well");
  s.now += 1000000;
  datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "again");
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpint (first_us, ==, s.now);
  g_assert_cmpuint (n, ==, 1);
  session_clear (&s);
}

/* S16 on a busy main loop: the server reads the request, writes the page
 * and closes within microseconds; our client reads the page and the end
 * of it 5 ms later, a gap twenty times what follows it. The exchange the
 * room sees is still the request and all it made happen: the read page
 * back to the server's write, that back to the read it answered, that to
 * the request; the zero-byte read to the server's close. A send the
 * server made long after its read answers nothing, and takes no step. */
static void
test_latest_exchange_causes (void)
{
  Session s;
  guint listener, client, connection;
  gint64 first_us, last_us, request_us;
  guint n;

  session_init (&s);
  echo_pair (&s, &listener, &client, &connection);
  s.now += 300000;
  event (&s, client, SCOPE_EVENT_SEND, "GET / HTTP/1.0\r\n\r\n");
  request_us = s.now;
  event (&s, connection, SCOPE_EVENT_RECV, "GET / HTTP/1.0\r\n\r\n");
  event (&s, connection, SCOPE_EVENT_SEND, "HTTP/1.0 200 OK\r\n\r\nhello");
  event (&s, connection, SCOPE_EVENT_CLOSE, NULL);
  s.now += 5000;
  event (&s, client, SCOPE_EVENT_RECV, "HTTP/1.0 200 OK\r\n\r\nhello");
  scope_recorder_flush (s.recorder);
  /* The page read: back to the request. */
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpint (first_us, ==, request_us);
  g_assert_cmpuint (n, ==, 5);

  /* The end read 2 ms later, alone after a gap: back to the close, and
   * from there to the request as before. */
  s.now += 2000;
  event (&s, client, SCOPE_EVENT_RECV, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpint (first_us, ==, request_us);
  g_assert_cmpint (last_us, ==, s.now);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpuint (scope_stream_get_latest_exchange_n_lanes (s.stream), ==, 2);

  /* A second request, answered 300 ms after it was read: the answer is
   * not a reply, so the exchange is the answer and what read it. */
  s.now += 300000;
  event (&s, client, SCOPE_EVENT_SEND, "again");
  event (&s, connection, SCOPE_EVENT_RECV, "again");
  s.now += 300000;
  event (&s, connection, SCOPE_EVENT_SEND, "late");
  event (&s, client, SCOPE_EVENT_RECV, "late");
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpint (first_us, ==, s.now - 10);
  g_assert_cmpuint (n, ==, 2);
  session_clear (&s);
}

/* S15: a 32-byte message read 16 bytes at a time, then, a second later,
 * Shut Down Writing: the zero-byte read that tells the server the message
 * ended, the server's close, our client's zero-byte read. Following shows
 * the message and its end together, the lesson, back from the last read
 * to the close, the server's read, the shutdown and the message; it
 * showed the end alone (the eighth trial). A message sent longer than a
 * minute before the shutdown is another moment: the end is shown alone. */
static void
test_latest_exchange_end_of_message (void)
{
  const char *message = "0123456789abcdef0123456789abcdef";
  Session s;
  guint listener, client, connection;
  gint64 first_us, last_us, sent_us, shutdown_us;
  guint n;

  session_init (&s);
  for (guint round = 0; round < 2; round++)
    {
      echo_pair (&s, &listener, &client, &connection);
      s.now += 300000;
      event (&s, client, SCOPE_EVENT_SEND, message);
      sent_us = s.now;
      event (&s, connection, SCOPE_EVENT_RECV, "0123456789abcdef");
      event (&s, connection, SCOPE_EVENT_SEND, "0123456789abcdef");
      event (&s, connection, SCOPE_EVENT_RECV, "0123456789abcdef");
      event (&s, connection, SCOPE_EVENT_SEND, "0123456789abcdef");
      event (&s, client, SCOPE_EVENT_RECV, message);
      s.now += round == 0 ? G_USEC_PER_SEC : 61 * G_USEC_PER_SEC;
      event (&s, client, SCOPE_EVENT_SHUTDOWN, NULL);
      shutdown_us = s.now;
      /* The server reads the end and closes; our client reads the end of
       * that a few ms later, on a busy main loop: after a quiet gap. */
      event (&s, connection, SCOPE_EVENT_RECV, NULL);
      event (&s, connection, SCOPE_EVENT_CLOSE, NULL);
      s.now += 4000;
      event (&s, client, SCOPE_EVENT_RECV, NULL);
      scope_recorder_flush (s.recorder);
      g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
      g_assert_cmpint (last_us, ==, s.now);
      g_assert_cmpuint (scope_stream_get_latest_exchange_n_lanes (s.stream), ==, 2);
      if (round == 0)
        {
          g_assert_cmpint (first_us, ==, sent_us);
          g_assert_cmpuint (n, ==, 10);
        }
      else
        {
          g_assert_cmpint (first_us, ==, shutdown_us);
          g_assert_cmpuint (n, ==, 4);
        }
    }
  session_clear (&s);
}

/* S14 with reading paused: "Hi!", 1.4 s later "Hope you're well", each
 * seen waiting a few ms after it was sent ("3 bytes unread", "19 bytes
 * unread"). Following takes in both sends, from the first, whose bytes
 * wait too; it began at the last step, the axis counting from there (the
 * tenth trial). Once read, the bytes no longer wait: a later step starts
 * from the send after the read. */
static void
test_latest_exchange_unread (void)
{
  Session s;
  guint listener, client, connection;
  guint64 first_send, second_send, index;
  gint64 first_us;
  gboolean arrival;
  guint n;

  session_init (&s);
  echo_pair (&s, &listener, &client, &connection);
  s.now += 300000;
  first_send = event (&s, client, SCOPE_EVENT_SEND, "Hi!");
  s.now += 5000;
  scope_recorder_append_unread (s.recorder, connection, 3, 131072, -1, TRUE);
  s.now += 1400000;
  second_send = event (&s, client, SCOPE_EVENT_SEND, "Hope you're well");
  s.now += 5000;
  scope_recorder_append_unread (s.recorder, connection, 19, 131072, -1, TRUE);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  index = scope_stream_get_latest_exchange_first (s.stream, &arrival);
  g_assert_cmpuint (index, ==, first_send);
  g_assert_false (arrival);
  g_assert_cmpuint (n, ==, 4);

  /* Read, echoed; a new message waits: from its send on. */
  s.now += 2000000;
  scope_recorder_append_unread (s.recorder, connection, 0, 131072, -1, TRUE);
  event (&s, connection, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  event (&s, connection, SCOPE_EVENT_SEND, "Hi!Hope you're well");
  event (&s, client, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  s.now += 2000000;
  second_send = event (&s, client, SCOPE_EVENT_SEND, "again");
  s.now += 5000;
  scope_recorder_append_unread (s.recorder, connection, 5, 131072, -1, TRUE);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, second_send);
  g_assert_cmpuint (n, ==, 2);
  session_clear (&s);
}

/* S14 over UDP with reading paused: "Hi!", 1.4 s later "Hope you're
 * well", told waiting as 1 then 2 datagrams, the second at the poll 50 ms
 * after its send. Following takes in both sendtos, from the first, still
 * unread. Once read, a new datagram waiting starts from its own send; a
 * send unanswered for over a minute (lost) is not taken in. */
static void
test_latest_exchange_datagrams_unread (void)
{
  Session s;
  guint server, client;
  guint64 first_send, later_send;
  gint64 first_us;
  guint n;

  session_init (&s);
  udp_echo_pair (&s, &server, &client);
  s.now += 300000;
  first_send = datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "Hi!");
  s.now += 30;
  scope_recorder_append_unread_datagrams (s.recorder, server, 1, 3, 212992, -1);
  s.now += 1400000;
  datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "Hope you're well");
  s.now += 50000;
  scope_recorder_append_unread_datagrams (s.recorder, server, 2, 19, 212992, -1);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, first_send);
  g_assert_cmpuint (n, ==, 4);

  /* Read and echoed; later, one more waits: from its send */
  s.now += 2000000;
  datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 58282, "Hi!");
  scope_recorder_append_unread_datagrams (s.recorder, server, 1, 16, 212992, -1);
  datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 58282, "Hope you're well");
  scope_recorder_append_unread_datagrams (s.recorder, server, 0, 0, 212992, -1);
  s.now += 2000000;
  later_send = datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "again");
  s.now += 50000;
  scope_recorder_append_unread_datagrams (s.recorder, server, 1, 5, 212992, -1);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, later_send);
  g_assert_cmpuint (n, ==, 2);

  /* That one lost; 61 s later another waits: alone with its send */
  s.now += 61 * G_USEC_PER_SEC;
  later_send = datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "more");
  s.now += 50000;
  scope_recorder_append_unread_datagrams (s.recorder, server, 1, 4, 212992, -1);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, later_send);
  session_clear (&s);

  session_init (&s);
  udp_echo_pair (&s, &server, &client);
  /* The server answers a client not ours (the notes' UDP client, S13);
   * 20 s later ours sends while reading is paused, then reading resumes
   * and the server answers: from our send, not from its answer to the
   * other client, whose receive we do not see (the fifteenth trial) */
  s.now += 2 * G_USEC_PER_SEC;
  datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 44183, "mixedCaseString");
  datagram (&s, server, SCOPE_EVENT_SENDTO, "127.0.0.1", 44183, "MIXEDCASESTRING");
  s.now += 20 * G_USEC_PER_SEC;
  later_send = datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "Hi!");
  s.now += 50000;
  scope_recorder_append_unread_datagrams (s.recorder, server, 1, 3, 212992, -1);
  s.now += 2 * G_USEC_PER_SEC;
  datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 58282, "Hi!");
  scope_recorder_append_unread_datagrams (s.recorder, server, 0, 0, 212992, -1);
  datagram (&s, server, SCOPE_EVENT_SENDTO, "127.0.0.1", 58282, "Hi!");
  datagram (&s, client, SCOPE_EVENT_RECVFROM, "127.0.0.1", 8000, "Hi!");
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, later_send);
  g_assert_cmpuint (n, ==, 6);

  session_clear (&s);
}

/* S14 over UDP, then Disconnect and the server stopped; S11 over TCP,
 * then Disconnect: what only ends what was is no exchange of its own.
 * Following showed the UDP client's close alone, the datagrams gone from
 * the view (the fourteenth trial), and the TCP client's close and the
 * server's zero-byte read (the fifteenth). Ends that come within three
 * times the exchange's span are in it: left out, the close after S14 was
 * never seen and the timeline taken for stalled. A listener
 * closed with connections waiting resets them: that is an exchange. */
static void
test_latest_exchange_silent_end (void)
{
  Session s;
  guint server, other, client, listener, tcp_client, connection;
  guint64 first_send, echo_read, client_close, echo, close, end_read;
  gint64 first_us, last_us;
  guint n;

  session_init (&s);
  server = add (&s, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-echo", "127.0.0.1", 8000,
                NULL, 0, 0);
  other = add (&s, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-upper", "127.0.0.1", 8001,
               NULL, 0, 0);
  client = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP, "client", "127.0.0.1", 58282,
                "127.0.0.1", 8000, 0);
  s.now += 300000;
  /* S14: two datagrams 1.4 s apart wait while reading is paused, then
   * both are read and echoed */
  first_send = datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "Hi!");
  s.now += 1400000;
  datagram (&s, client, SCOPE_EVENT_SENDTO, "127.0.0.1", 8000, "Hope you're well");
  s.now += 2 * G_USEC_PER_SEC;
  datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 58282, "Hi!");
  datagram (&s, server, SCOPE_EVENT_RECVFROM, "127.0.0.1", 58282, "Hope you're well");
  datagram (&s, server, SCOPE_EVENT_SENDTO, "127.0.0.1", 58282, "Hi!");
  datagram (&s, server, SCOPE_EVENT_SENDTO, "127.0.0.1", 58282, "Hope you're well");
  datagram (&s, client, SCOPE_EVENT_RECVFROM, "127.0.0.1", 8000, "Hi!");
  echo_read = datagram (&s, client, SCOPE_EVENT_RECVFROM, "127.0.0.1", 8000, "Hope you're well");
  /* Disconnect two seconds on, within three times the exchange's 3.4 s:
   * in the exchange, which keeps its start */
  s.now += 2 * G_USEC_PER_SEC;
  client_close = event (&s, client, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, first_send);
  g_assert_cmpuint (scope_stream_get_latest_exchange_last (s.stream), ==, client_close);
  g_assert_cmpint (last_us, ==, scope_recorder_get_time_us (s.recorder, client_close));
  g_assert_cmpuint (n, ==, 9);
  g_assert_cmpuint (scope_stream_get_latest_exchange_n_lanes (s.stream), ==, 2);

  /* Another server stopped a second later is not the lesson's end (the
   * review: its lane came into the view) */
  s.now += G_USEC_PER_SEC;
  event (&s, other, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_cmpuint (scope_stream_get_latest_exchange_last (s.stream), ==, client_close);
  g_assert_cmpuint (scope_stream_get_latest_exchange_n_lanes (s.stream), ==, 2);

  /* The server stopped a minute later: the datagrams and the close in
   * reach still, the stop past it */
  s.now += 60 * G_USEC_PER_SEC;
  event (&s, server, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, first_send);
  g_assert_cmpuint (scope_stream_get_latest_exchange_last (s.stream), ==, client_close);
  g_assert_cmpuint (n, ==, 9);

  /* Over TCP, an echo of 40 µs; Disconnect 10 s later, then the server's
   * zero-byte read and close: the echo stays the exchange, alone */
  s.now += 2 * G_USEC_PER_SEC;
  echo_pair (&s, &listener, &tcp_client, &connection);
  s.now += 2 * G_USEC_PER_SEC;
  event (&s, tcp_client, SCOPE_EVENT_SEND, "hello");
  event (&s, connection, SCOPE_EVENT_RECV, "hello");
  echo = event (&s, connection, SCOPE_EVENT_SEND, "hello");
  echo_read = event (&s, tcp_client, SCOPE_EVENT_RECV, "hello");
  s.now += 10 * G_USEC_PER_SEC;
  event (&s, tcp_client, SCOPE_EVENT_CLOSE, NULL);
  event (&s, connection, SCOPE_EVENT_READABLE, NULL);
  event (&s, connection, SCOPE_EVENT_RECV, NULL);
  event (&s, connection, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, NULL, NULL, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, echo - 2);
  g_assert_cmpuint (scope_stream_get_latest_exchange_last (s.stream), ==, echo_read);
  g_assert_cmpuint (n, ==, 4);

  /* S16: a request, the reply and the server's close, the reply read
   * 3 ms later, its end 300 ms after that on a slow main loop: the end is
   * in the exchange, measured from the reply read, not from the request */
  s.now += 20 * G_USEC_PER_SEC;
  echo = event (&s, tcp_client, SCOPE_EVENT_SEND, "GET");
  event (&s, connection, SCOPE_EVENT_RECV, "GET");
  event (&s, connection, SCOPE_EVENT_SEND, "page");
  event (&s, connection, SCOPE_EVENT_CLOSE, NULL);
  s.now += 3000;
  event (&s, tcp_client, SCOPE_EVENT_RECV, "page");
  s.now += 300000;
  end_read = event (&s, tcp_client, SCOPE_EVENT_RECV, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, echo);
  g_assert_cmpuint (scope_stream_get_latest_exchange_last (s.stream), ==, end_read);
  echo_read = end_read;

  /* The listener stopped with nothing waiting: still the page. With a
   * connection waiting, the kernel resets it: that is followed. */
  s.now += 2 * G_USEC_PER_SEC;
  close = event (&s, listener, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_cmpuint (scope_stream_get_latest_exchange_last (s.stream), ==, echo_read);
  session_clear (&s);

  session_init (&s);
  listener = add (&s, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1", 50000,
                  NULL, 0, 0);
  event (&s, listener, SCOPE_EVENT_LISTEN, NULL);
  scope_recorder_append_queue (s.recorder, listener, 1, 5);
  s.now += 20 * G_USEC_PER_SEC;
  close = event (&s, listener, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, close);
  g_assert_cmpuint (scope_stream_get_latest_exchange_last (s.stream), ==, close);
  session_clear (&s);

  /* A session of nothing but ends has them as its exchange */
  session_init (&s);
  server = add (&s, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-echo", "127.0.0.1", 8000,
                NULL, 0, 0);
  s.now += G_USEC_PER_SEC;
  close = event (&s, server, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, NULL, NULL, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, close);
  g_assert_cmpuint (scope_stream_get_latest_exchange_last (s.stream), ==, close);
  g_assert_cmpuint (n, ==, 1);
  session_clear (&s);
}

/* A connection from @port accepted by @listener now, which the exchange
 * followed is alone; returns it. */
static guint
accepted_alone (Session *s,
                guint    listener,
                guint16  port)
{
  guint connection = add (s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo",
                          "127.0.0.1", 50000, "127.0.0.1", port, listener);
  gint64 first_us;
  guint n;

  scope_recorder_append_accept (s->recorder, listener, connection);
  scope_recorder_flush (s->recorder);
  g_assert_true (scope_stream_get_latest_exchange (s->stream, &first_us, NULL, &n));
  g_assert_cmpint (first_us, ==, s->now);
  g_assert_cmpuint (n, ==, 1);
  return connection;
}

/* S17 resumed on a busy loop: the queue polled between the accepts of the
 * six (6, then 4, then 2, then none), each connection talking at once; the
 * two in SYN-SENT come 11 s and 14 s later, each seen waiting a moment.
 * Following shows the queue emptied from its first accept with the two;
 * it showed the last accepts alone, the lanes of the two below the fold
 * (the sixteenth trial). A client accepted seconds before the queue
 * filled is another story. */
static void
test_latest_exchange_accepts_polled (void)
{
  Session s;
  guint listener, connection;
  guint64 first_accept = 0;
  guint n;

  session_init (&s);
  listener = add (&s, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1", 50000,
                  NULL, 0, 0);
  event (&s, listener, SCOPE_EVENT_LISTEN, NULL);
  s.now += G_USEC_PER_SEC;
  connection = accepted_alone (&s, listener, 53100);
  event (&s, connection, SCOPE_EVENT_RECV, "hello");
  event (&s, connection, SCOPE_EVENT_SEND, "hello");
  s.now += 5 * G_USEC_PER_SEC;
  for (guint i = 1; i <= 6; i++)
    {
      s.now += 100000;
      scope_recorder_append_queue (s.recorder, listener, i, 5);
    }
  s.now += 5 * G_USEC_PER_SEC;
  for (guint i = 0; i < 8; i++)
    {
      if (i == 6 || i == 7)
        {
          s.now += (i == 6 ? 11 : 3) * G_USEC_PER_SEC;
          scope_recorder_append_queue (s.recorder, listener, 1, 5);
          s.now += 50000;
        }
      connection = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1",
                        50000, "127.0.0.1", 53110 + i, listener);
      if (i == 0)
        first_accept = scope_recorder_get_n_events (s.recorder);
      scope_recorder_append_accept (s.recorder, listener, connection);
      if (i == 1 || i == 3)
        scope_recorder_append_queue (s.recorder, listener, 4 - i / 3 * 2, 5);
      if (i == 5 || i >= 6)
        scope_recorder_append_queue (s.recorder, listener, 0, 5);
      event (&s, connection, SCOPE_EVENT_RECV, "hello");
      event (&s, connection, SCOPE_EVENT_SEND, "hello");
      s.now += 2000;
    }
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, NULL, NULL, &n));
  g_assert_cmpuint (scope_stream_get_latest_exchange_first (s.stream, NULL), ==, first_accept);
  session_clear (&s);
}

/* S17: accepting resumed, the listener accepts the six connections that
 * waited at once, its queue's length told between, and the two clients in
 * SYN-SENT a second later, when their SYN comes again. Following shows the
 * eight accepts, the queue emptied; it showed the last two alone (the
 * eighth trial). An accept more than half a minute after the others, or
 * one after a connection that talked, begins a story of its own: a
 * class's clients connecting in turn are not one queue. */
static void
test_latest_exchange_accepts (void)
{
  Session s;
  guint listener, connection;
  gint64 first_us, last_us, resumed_us = 0;
  guint n;

  session_init (&s);
  listener = add (&s, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1", 50000,
                  NULL, 0, 0);
  event (&s, listener, SCOPE_EVENT_LISTEN, NULL);
  s.now += 10 * G_USEC_PER_SEC;
  for (guint i = 0; i < 8; i++)
    {
      if (i == 6)
        s.now += G_USEC_PER_SEC;
      connection = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1",
                        50000, "127.0.0.1", 53000 + i, listener);
      scope_recorder_append_accept (s.recorder, listener, connection);
      if (i == 0)
        resumed_us = s.now;
      if (i == 5)
        scope_recorder_append_queue (s.recorder, listener, 0, 5);
    }
  scope_recorder_flush (s.recorder);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, &last_us, &n));
  g_assert_cmpint (first_us, ==, resumed_us);
  g_assert_cmpint (last_us, ==, s.now);
  g_assert_cmpuint (n, ==, 9);

  /* Half a minute and a second after the last of the eight: alone. */
  s.now += 31 * G_USEC_PER_SEC;
  connection = accepted_alone (&s, listener, 53010);

  /* That connection says hello; a second later another client is
   * accepted: alone too. */
  s.now += 300000;
  event (&s, connection, SCOPE_EVENT_RECV, "hello");
  event (&s, connection, SCOPE_EVENT_SEND, "hello");
  s.now += G_USEC_PER_SEC;
  accepted_alone (&s, listener, 53011);
  session_clear (&s);
}

/* S17 with the seeds' clients, which send as soon as they connect: six
 * wait in the queue, their bytes in the kernel; resumed, each is accepted,
 * read and echoed at once, and the two in SYN-SENT come three seconds
 * later and talk too. Following shows the queue emptied and the two, not
 * the last two alone after connections that talked (the twelfth trial). */
static void
test_latest_exchange_accepts_talking (void)
{
  Session s;
  guint listener, connection;
  gint64 first_us, resumed_us = 0;
  guint n;

  session_init (&s);
  listener = add (&s, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1", 50000,
                  NULL, 0, 0);
  event (&s, listener, SCOPE_EVENT_LISTEN, NULL);
  for (guint i = 1; i <= 6; i++)
    {
      s.now += 100000;
      scope_recorder_append_queue (s.recorder, listener, i, 5);
    }
  s.now += 5 * G_USEC_PER_SEC;
  for (guint i = 0; i < 8; i++)
    {
      if (i == 6)
        s.now += 3 * G_USEC_PER_SEC;
      /* The two in SYN-SENT each seen waiting a moment (the fourteenth
       * trial): once such a step ended the story at them */
      if (i >= 6)
        scope_recorder_append_queue (s.recorder, listener, 1, 5);
      connection = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1",
                        50000, "127.0.0.1", 53000 + i, listener);
      scope_recorder_append_accept (s.recorder, listener, connection);
      if (i >= 6)
        scope_recorder_append_queue (s.recorder, listener, 0, 5);
      if (i == 0)
        resumed_us = s.now;
      if (i == 5)
        scope_recorder_append_queue (s.recorder, listener, 0, 5);
      /* The bytes waited; the client, not ours, reads the echo and
       * closes a ms later: a quiet gap before its end is read. The last
       * two on a slow main loop (projector mode at 1920×1080 with no
       * GPU, the thirteenth trial): a frame of 300 ms before each read,
       * the kernel's times of arrival on time. */
      s.now += i < 6 ? 200 : 300000;
      scope_recorder_append_received (s.recorder, connection, SCOPE_EVENT_RECV, NULL,
                                      (const guint8 *) "hello", 5,
                                      g_get_real_time () - (i < 6 ? 5 : 0) * G_USEC_PER_SEC
                                      - (i < 6 ? 200 : 299000));
      event (&s, connection, SCOPE_EVENT_SEND, "hello");
      s.now += i < 6 ? 3000 : 300000;
      event (&s, connection, SCOPE_EVENT_READABLE, NULL);
      scope_recorder_append_received (s.recorder, connection, SCOPE_EVENT_RECV, NULL, NULL, 0,
                                      g_get_real_time () - (i < 6 ? 2000 : 299000));
      event (&s, connection, SCOPE_EVENT_CLOSE, NULL);
    }
  scope_recorder_flush (s.recorder);
  /* From the first accept on, told from when the first bytes arrived. */
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, &n));
  g_assert_cmpuint (n, ==, 8 * 6 + 1 + 2 * 2);
  g_assert_cmpint (first_us, >, resumed_us - 5 * G_USEC_PER_SEC - 50000);
  g_assert_cmpint (first_us, <, resumed_us - 5 * G_USEC_PER_SEC + 50000);

  /* A class's clients later, each accepted while none waits, connecting
   * and talking in turn: each alone, the queue emptied over half a minute
   * before (within it, a client in SYN-SENT may still come: its SYN is
   * sent again 1, 3, 7 and 15 s after the first). */
  s.now += 31 * G_USEC_PER_SEC;
  connection = accepted_alone (&s, listener, 53010);
  event (&s, connection, SCOPE_EVENT_RECV, "hello");
  event (&s, connection, SCOPE_EVENT_SEND, "hello");
  s.now += G_USEC_PER_SEC;
  accepted_alone (&s, listener, 53011);

  /* Two students come in one poll (two waiting, the backlog five),
   * are accepted and talk; three more come 7 s apart, each seen waiting
   * alone: each alone, not joined to the two, whose queue was not full
   * (the review found them one story of 21 s) */
  s.now += 31 * G_USEC_PER_SEC;
  scope_recorder_append_queue (s.recorder, listener, 2, 5);
  for (guint i = 0; i < 2; i++)
    {
      connection = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1",
                        50000, "127.0.0.1", 53030 + i, listener);
      scope_recorder_append_accept (s.recorder, listener, connection);
    }
  scope_recorder_append_queue (s.recorder, listener, 0, 5);
  event (&s, connection, SCOPE_EVENT_RECV, "hello");
  event (&s, connection, SCOPE_EVENT_SEND, "hello");
  /* One accepted before a poll saw it wait, the queue seen empty since */
  s.now += 7 * G_USEC_PER_SEC;
  connection = accepted_alone (&s, listener, 53035);
  event (&s, connection, SCOPE_EVENT_RECV, "hello");
  event (&s, connection, SCOPE_EVENT_SEND, "hello");
  for (guint i = 0; i < 3; i++)
    {
      s.now += 7 * G_USEC_PER_SEC;
      scope_recorder_append_queue (s.recorder, listener, 1, 5);
      s.now += 100000;
      connection = accepted_alone (&s, listener, 53040 + i);
      scope_recorder_append_queue (s.recorder, listener, 0, 5);
      event (&s, connection, SCOPE_EVENT_RECV, "hello");
      event (&s, connection, SCOPE_EVENT_SEND, "hello");
    }

  /* Five more, each seen waiting a moment (the queue polled at 1 while
   * the loop was slow), then accepted and talking, 7 s apart: each alone,
   * not a queue emptied (the review found them one story 28 s long). The
   * last one, which never talked, half a minute before. */
  s.now += 31 * G_USEC_PER_SEC;
  for (guint i = 0; i < 5; i++)
    {
      s.now += 7 * G_USEC_PER_SEC;
      scope_recorder_append_queue (s.recorder, listener, 1, 5);
      s.now += 100000;
      connection = accepted_alone (&s, listener, 53020 + i);
      scope_recorder_append_queue (s.recorder, listener, 0, 5);
      event (&s, connection, SCOPE_EVENT_RECV, "hello");
      event (&s, connection, SCOPE_EVENT_SEND, "hello");
    }
  session_clear (&s);
}

/* Each client of ours sits right after the connection that serves it,
 * though it opened before; paired when the connection comes, a flush
 * later. */
static void
test_client_beside_connection (void)
{
  Session s;
  guint listener, first, second, first_conn, second_conn, other;

  session_init (&s);
  listener = add (&s, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1", 50000,
                  NULL, 0, 0);
  first = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client", "127.0.0.1", 53122,
               "127.0.0.1", 50000, 0);
  event (&s, first, SCOPE_EVENT_CONNECT, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 1), ==, first);

  first_conn = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1",
                    50000, "127.0.0.1", 53122, listener);
  scope_recorder_append_accept (s.recorder, listener, first_conn);
  second = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client", "127.0.0.1", 53124,
                "127.0.0.1", 50000, 0);
  other = add (&s, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp-upper", "127.0.0.1", 11111,
               NULL, 0, 0);
  second_conn = add (&s, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "tcp-echo", "127.0.0.1",
                     50000, "127.0.0.1", 53124, listener);
  scope_recorder_append_accept (s.recorder, listener, second_conn);
  scope_recorder_flush (s.recorder);

  g_assert_cmpuint (scope_stream_get_n_lanes (s.stream), ==, 6);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 0), ==, listener);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 1), ==, first_conn);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 2), ==, first);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 3), ==, second_conn);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 4), ==, second);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 5), ==, other);
  session_clear (&s);
}

/* New Session: the model starts again from the recorder's cut. The
 * connection and client closed before it have no lane; the listener,
 * still open, keeps its lane and takes its new events; undone, the
 * session is whole again. */
static void
test_new_session (void)
{
  Session s;
  guint listener, client, connection, late;
  guint64 cut;
  guint lane;
  gint64 first_us;

  session_init (&s);
  echo_pair (&s, &listener, &client, &connection);
  event (&s, client, SCOPE_EVENT_SEND, "Hi!");
  event (&s, connection, SCOPE_EVENT_RECV, "Hi!");
  event (&s, client, SCOPE_EVENT_CLOSE, NULL);
  event (&s, connection, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_cmpuint (scope_stream_get_n_lanes (s.stream), ==, 3);

  s.now += 1000;
  scope_recorder_begin_session (s.recorder);
  cut = scope_recorder_get_first_index (s.recorder);
  g_assert_cmpuint (cut, >, 0);
  g_assert_cmpuint (scope_stream_get_first_index (s.stream), ==, cut);
  g_assert_cmpuint (scope_stream_get_n_lanes (s.stream), ==, 1);
  g_assert_cmpuint (scope_stream_get_lane_socket (s.stream, 0), ==, listener);
  g_assert_cmpuint (scope_stream_get_lane_n_events (s.stream, 0), ==, 0);
  g_assert_false (scope_stream_get_socket_lane (s.stream, client, &lane));
  g_assert_false (scope_stream_get_latest_exchange (s.stream, NULL, NULL, NULL));

  /* A new client and its connection: lanes of their own, events from the
   * cut on. */
  late = add (&s, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client", "127.0.0.1", 53200,
              "127.0.0.1", 50000, 0);
  event (&s, late, SCOPE_EVENT_CONNECT, NULL);
  scope_recorder_flush (s.recorder);
  g_assert_cmpuint (scope_stream_get_n_lanes (s.stream), ==, 2);
  g_assert_true (scope_stream_get_socket_lane (s.stream, late, &lane));
  g_assert_cmpuint (scope_stream_get_lane_n_events (s.stream, lane), ==, 1);
  g_assert_cmpuint (scope_stream_get_lane_event (s.stream, lane, 0), ==, cut);
  g_assert_true (scope_stream_get_latest_exchange (s.stream, &first_us, NULL, NULL));
  g_assert_cmpint (first_us, ==, s.now);

  /* Undone: every lane and event again. */
  scope_recorder_undo_begin_session (s.recorder);
  g_assert_cmpuint (scope_stream_get_first_index (s.stream), ==, 0);
  g_assert_cmpuint (scope_stream_get_n_lanes (s.stream), ==, 4);
  g_assert_true (scope_stream_get_socket_lane (s.stream, client, &lane));
  g_assert_cmpuint (scope_stream_get_lane_n_events (s.stream, lane), ==, 3);
  session_clear (&s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stream/merge", test_merge);
  g_test_add_func ("/stream/split", test_split);
  g_test_add_func ("/stream/lanes", test_lanes);
  g_test_add_func ("/stream/udp-flows", test_udp_flows);
  g_test_add_func ("/stream/one-end", test_one_end);
  g_test_add_func ("/stream/dual-stack", test_dual_stack);
  g_test_add_func ("/stream/closed-early", test_closed_early);
  g_test_add_data_func ("/stream/port-reused/client-first", GINT_TO_POINTER (TRUE),
                        test_port_reused);
  g_test_add_data_func ("/stream/port-reused/connection-first", GINT_TO_POINTER (FALSE),
                        test_port_reused);
  g_test_add_func ("/stream/ends-forgotten", test_ends_forgotten);
  g_test_add_func ("/stream/long-session", test_long_session);
  g_test_add_func ("/stream/latest-exchange", test_latest_exchange);
  g_test_add_func ("/stream/latest-exchange/reads-back", test_latest_exchange_reads_back);
  g_test_add_func ("/stream/latest-exchange/unread-datagrams",
                   test_latest_exchange_unread_datagrams);
  g_test_add_func ("/stream/latest-exchange/causes", test_latest_exchange_causes);
  g_test_add_func ("/stream/latest-exchange/end-of-message", test_latest_exchange_end_of_message);
  g_test_add_func ("/stream/latest-exchange/unread", test_latest_exchange_unread);
  g_test_add_func ("/stream/latest-exchange/datagrams-unread",
                   test_latest_exchange_datagrams_unread);
  g_test_add_func ("/stream/latest-exchange/silent-end", test_latest_exchange_silent_end);
  g_test_add_func ("/stream/latest-exchange/accepts", test_latest_exchange_accepts);
  g_test_add_func ("/stream/latest-exchange/accepts-talking", test_latest_exchange_accepts_talking);
  g_test_add_func ("/stream/latest-exchange/accepts-polled", test_latest_exchange_accepts_polled);
  g_test_add_func ("/stream/client-beside-connection", test_client_beside_connection);
  g_test_add_func ("/stream/new-session", test_new_session);
  g_test_add_func ("/stream/unread", test_unread);

  return g_test_run ();
}
