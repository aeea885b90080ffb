/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <json-glib/json-glib.h>

#include "scope-client.h"
#include "export-test.h"
#include "client-test.h"
#include "scope-stream.h"
#include "scope-server.h"

/* GIO's "Connection refused" as the recorder keeps it: in words, then the
 * errno name. Its length is part of the payload cap below (188 bytes). */
#define REFUSED_WORDS "The connection was refused: nothing is listening on that port (ECONNREFUSED)"

/* The session exports read back: the pcapng block by block and packet by
 * packet, with its TCP streams put together again from the sequence
 * numbers; the CSV with a parser of RFC 4180's rules; the JSON with
 * json-glib. Then our client and server in one recorder, exported and read
 * by tshark, when it is installed. */

static void
append_text (ScopeRecorder  *recorder,
             guint           id,
             ScopeEventKind  kind,
             const char     *text)
{
  scope_recorder_append (recorder, id, kind, (const guint8 *) text, text ? strlen (text) : 0);
}

static void
append_datagram (ScopeRecorder  *recorder,
                 guint           id,
                 ScopeEventKind  kind,
                 const char     *ip,
                 guint16         port,
                 const char     *text)
{
  g_autoptr(GSocketAddress) peer = inet (ip, port);

  scope_recorder_append_datagram (recorder, id, kind, peer, (const guint8 *) text, strlen (text));
}

#define BIG_SEND 100000
#define UNIX_PAYLOAD "a,b\n\"c\"\r\n"
#define UNIX_LABEL "unix \"echo\", too"

/* A session with every case the exports tell apart:
 *  - S14 between our client and our server (both ends ours), with 16-byte
 *    reads on the client;
 *  - our client talking IPv6 to a server that is not ours;
 *  - UDP between our client (bound to 0.0.0.0) and our server, and from a
 *    peer that is not ours over IPv6;
 *  - a Unix-domain connection, a refused connect, and a send past the
 *    payload cap. */
static ScopeRecorder *
make_session (gint64 *now)
{
  ScopeRecorder *recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) server = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client = inet ("127.0.0.1", 53122);
  g_autoptr(GSocketAddress) v6_client = inet ("::1", 40000);
  g_autoptr(GSocketAddress) v6_server = inet ("::1", 7);
  g_autoptr(GSocketAddress) udp_server = inet ("0.0.0.0", 50001);
  g_autoptr(GSocketAddress) udp_client = inet ("0.0.0.0", 40001);
  g_autoptr(GSocketAddress) udp_target = inet ("127.0.0.1", 50001);
  g_autoptr(GSocketAddress) udp6_server = inet ("::1", 50002);
  g_autoptr(GSocketAddress) unix_path = g_unix_socket_address_new ("/tmp/echo.sock");
  g_autoptr(GSocketAddress) refused_target = inet ("127.0.0.1", 9);
  g_autoptr(GSocketAddress) web_client = inet ("127.0.0.1", 40010);
  g_autoptr(GSocketAddress) web = inet ("127.0.0.1", 8080);
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                   "Connection refused");
  g_autofree guint8 *big = g_malloc0 (BIG_SEND);
  guint listener, cli, conn, v6, udp, udp_cli, udp6, unix_conn, failed, web_cli;

  scope_recorder_set_clock (recorder, fake_clock, now);

  listener = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                        "echo", server, NULL, 0);
  append_text (recorder, listener, SCOPE_EVENT_LISTEN, NULL);
  cli = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                   "client", client, server, 0);
  append_text (recorder, cli, SCOPE_EVENT_CONNECT, NULL);
  conn = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP,
                                    "echo", server, client, listener);
  g_assert_cmpuint (scope_recorder_get_socket (recorder, conn)->peer_id, ==, cli);
  scope_recorder_append_accept (recorder, listener, conn);
  append_text (recorder, cli, SCOPE_EVENT_SEND, "Hi!");
  append_text (recorder, cli, SCOPE_EVENT_SEND, "Hope you're well");
  append_text (recorder, conn, SCOPE_EVENT_READABLE, NULL);
  append_text (recorder, conn, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  append_text (recorder, conn, SCOPE_EVENT_SEND, "Hi!Hope you're well");
  append_text (recorder, cli, SCOPE_EVENT_RECV, "Hi!Hope you're ");
  append_text (recorder, cli, SCOPE_EVENT_RECV, "well");
  append_text (recorder, cli, SCOPE_EVENT_SHUTDOWN, NULL);
  append_text (recorder, conn, SCOPE_EVENT_RECV, "");
  append_text (recorder, conn, SCOPE_EVENT_CLOSE, NULL);
  append_text (recorder, cli, SCOPE_EVENT_RECV, "");
  append_text (recorder, cli, SCOPE_EVENT_CLOSE, NULL);

  v6 = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client",
                                  v6_client, v6_server, 0);
  append_text (recorder, v6, SCOPE_EVENT_CONNECT, NULL);
  append_text (recorder, v6, SCOPE_EVENT_SEND, "ping\n");
  append_text (recorder, v6, SCOPE_EVENT_RECV, "pong\n");
  append_text (recorder, v6, SCOPE_EVENT_RECV, "");
  append_text (recorder, v6, SCOPE_EVENT_CLOSE, NULL);

  udp = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP,
                                   "udp-upper", udp_server, NULL, 0);
  udp_cli = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP,
                                       "client", udp_client, udp_target, 0);
  append_datagram (recorder, udp_cli, SCOPE_EVENT_SENDTO, "127.0.0.1", 50001, "abc");
  append_datagram (recorder, udp, SCOPE_EVENT_RECVFROM, "127.0.0.1", 40001, "abc");
  append_datagram (recorder, udp, SCOPE_EVENT_SENDTO, "127.0.0.1", 40001, "ABC");
  append_datagram (recorder, udp_cli, SCOPE_EVENT_RECVFROM, "127.0.0.1", 50001, "ABC");

  udp6 = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP,
                                    "udp-echo", udp6_server, NULL, 0);
  append_datagram (recorder, udp6, SCOPE_EVENT_RECVFROM, "::1", 45000, "x");
  append_datagram (recorder, udp6, SCOPE_EVENT_SENDTO, "::1", 45000, "x");

  unix_conn = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_UNIX,
                                         UNIX_LABEL, unix_path, NULL, 0);
  append_text (recorder, unix_conn, SCOPE_EVENT_RECV, UNIX_PAYLOAD);
  scope_recorder_append (recorder, unix_conn, SCOPE_EVENT_SEND, (const guint8 *) "\xff\x00\x01",
                         3);
  append_text (recorder, unix_conn, SCOPE_EVENT_CLOSE, NULL);

  failed = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                      "client", NULL, refused_target, 0);
  scope_recorder_append_error (recorder, failed, refused);
  append_text (recorder, failed, SCOPE_EVENT_CLOSE, NULL);

  /* Nothing more is kept: the big send is counted, not stored. */
  scope_recorder_set_payload_cap (recorder, scope_recorder_get_stored_bytes (recorder));
  web_cli = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                       "client", web_client, web, 0);
  append_text (recorder, web_cli, SCOPE_EVENT_CONNECT, NULL);
  scope_recorder_append (recorder, web_cli, SCOPE_EVENT_SEND, big, BIG_SEND);
  append_text (recorder, web_cli, SCOPE_EVENT_CLOSE, NULL);

  g_assert_cmpuint (scope_recorder_get_truncated_events (recorder), ==, 1);
  return recorder;
}

/* ---- pcapng, read back --------------------------------------------------- */

typedef struct
{
  guint32       type;
  const guint8 *body;   /* after the length, before the trailing length */
  gsize         size;
} Block;

typedef struct
{
  guint64  timestamp;
  guint32  captured;
  guint32  original;
  guint8  *data;
  char    *comment;
} Packet;

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

static guint16
be16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* Every block: a known type, a length that is a multiple of 4, the same
 * length at both ends, and nothing after the last. */
static GArray *
parse_blocks (GBytes *bytes)
{
  GArray *blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize at = 0;

  while (at < size)
    {
      Block block;
      guint32 length;

      g_assert_cmpuint (size - at, >=, 12);
      block.type = le32 (data + at);
      length = le32 (data + at + 4);
      g_assert_cmpuint (length % 4, ==, 0);
      g_assert_cmpuint (length, >=, 12);
      g_assert_cmpuint (length, <=, size - at);
      g_assert_cmpuint (le32 (data + at + length - 4), ==, length);
      block.body = data + at + 8;
      block.size = length - 12;
      g_array_append_val (blocks, block);
      at += length;
    }
  g_assert_cmpuint (at, ==, size);
  return blocks;
}

/* Options: code, length, value padded to 4, up to the end-of-options. */
static GPtrArray *
parse_options (const guint8 *p,
               gsize         size,
               guint16       wanted)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  gsize at = 0;

  while (at + 4 <= size)
    {
      guint16 code = le16 (p + at);
      guint16 length = le16 (p + at + 2);

      if (code == 0)
        {
          g_assert_cmpuint (length, ==, 0);
          return values;
        }
      g_assert_cmpuint (at + 4 + length, <=, size);
      if (code == wanted)
        g_ptr_array_add (values, g_strndup ((const char *) p + at + 4, length));
      at += 4 + ((length + 3u) & ~3u);
    }
  g_assert_not_reached ();
}

static void
packet_clear (gpointer data)
{
  Packet *packet = data;

  g_free (packet->data);
  g_free (packet->comment);
}

static GArray *
parse_packets (GArray *blocks)
{
  GArray *packets = g_array_new (FALSE, TRUE, sizeof (Packet));

  g_array_set_clear_func (packets, packet_clear);
  for (guint i = 0; i < blocks->len; i++)
    {
      Block *block = &g_array_index (blocks, Block, i);
      g_autoptr(GPtrArray) comments = NULL;
      Packet packet;
      gsize padded;

      if (block->type != 6)
        continue;
      g_assert_cmpuint (le32 (block->body), ==, 0);
      packet.timestamp = (guint64) le32 (block->body + 4) << 32 | le32 (block->body + 8);
      packet.captured = le32 (block->body + 12);
      packet.original = le32 (block->body + 16);
      g_assert_cmpuint (packet.captured, <=, packet.original);
      padded = (packet.captured + 3u) & ~3u;
      g_assert_cmpuint (20 + padded, <=, block->size);
      packet.data = g_memdup2 (block->body + 20, packet.captured);
      comments = parse_options (block->body + 20 + padded, block->size - 20 - padded, 1);
      g_assert_cmpuint (comments->len, ==, 1);
      packet.comment = g_strdup (comments->pdata[0]);
      g_array_append_val (packets, packet);
    }
  return packets;
}

static guint16
internet_checksum (const guint8 *data,
                   gsize         size,
                   guint32       sum)
{
  for (gsize i = 0; i + 1 < size; i += 2)
    sum += (guint32) data[i] << 8 | data[i + 1];
  if (size % 2)
    sum += (guint32) data[size - 1] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) sum;
}

typedef struct
{
  char     src[64];
  char     dst[64];
  guint8   protocol;
  guint8   flags;
  guint32  seq;
  guint32  ack;
  gsize    payload_size;    /* as sent */
  const guint8 *payload;    /* NULL when not captured */
} Segment;

/* One packet's IP and TCP or UDP headers, with both checksums checked
 * when the whole packet is there. */
static void
parse_segment (const Packet *packet,
               Segment      *segment)
{
  const guint8 *p = packet->data;
  gsize ip_size, l4_size, l4_total;
  guint32 pseudo = 0;
  char src_ip[48], dst_ip[48];
  g_autoptr(GInetAddress) src = NULL;
  g_autoptr(GInetAddress) dst = NULL;
  g_autofree char *src_text = NULL;
  g_autofree char *dst_text = NULL;

  memset (segment, 0, sizeof *segment);
  if ((p[0] >> 4) == 4)
    {
      ip_size = 20;
      g_assert_cmpuint (p[0], ==, 0x45);
      g_assert_cmpuint (be16 (p + 2), ==, packet->original);
      g_assert_cmpuint (internet_checksum (p, 20, 0), ==, 0xffff);
      segment->protocol = p[9];
      src = g_inet_address_new_from_bytes (p + 12, G_SOCKET_FAMILY_IPV4);
      dst = g_inet_address_new_from_bytes (p + 16, G_SOCKET_FAMILY_IPV4);
      pseudo = internet_checksum (p + 12, 8, 0) + p[9];
    }
  else
    {
      g_assert_cmpuint (p[0] >> 4, ==, 6);
      ip_size = 40;
      g_assert_cmpuint (be16 (p + 4) + 40u, ==, packet->original);
      segment->protocol = p[6];
      src = g_inet_address_new_from_bytes (p + 8, G_SOCKET_FAMILY_IPV6);
      dst = g_inet_address_new_from_bytes (p + 24, G_SOCKET_FAMILY_IPV6);
      pseudo = internet_checksum (p + 8, 32, 0) + p[6];
    }
  l4_total = packet->original - ip_size;
  pseudo += (guint32) l4_total;
  src_text = g_inet_address_to_string (src);
  dst_text = g_inet_address_to_string (dst);
  g_snprintf (src_ip, sizeof src_ip, "%s", src_text);
  g_snprintf (dst_ip, sizeof dst_ip, "%s", dst_text);

  if (segment->protocol == 6)
    {
      l4_size = (p[ip_size + 12] >> 4) * 4u;
      segment->seq = be32 (p + ip_size + 4);
      segment->ack = be32 (p + ip_size + 8);
      segment->flags = p[ip_size + 13];
    }
  else
    {
      g_assert_cmpuint (segment->protocol, ==, 17);
      l4_size = 8;
      g_assert_cmpuint (be16 (p + ip_size + 4), ==, l4_total);
      g_assert_cmpuint (be16 (p + ip_size + 6), !=, 0);
    }
  g_assert_cmpuint (packet->captured, >=, ip_size + l4_size);
  g_snprintf (segment->src, sizeof segment->src, "%s:%u", src_ip, be16 (p + ip_size));
  g_snprintf (segment->dst, sizeof segment->dst, "%s:%u", dst_ip, be16 (p + ip_size + 2));
  segment->payload_size = l4_total - l4_size;
  if (packet->captured == packet->original)
    {
      segment->payload = p + ip_size + l4_size;
      g_assert_cmpuint (internet_checksum (p + ip_size, l4_total, pseudo), ==, 0xffff);
    }
  else
    g_assert_cmpuint (packet->captured, ==, ip_size + l4_size);
}

typedef struct
{
  guint32     isn;
  gboolean    syn;
  gboolean    fin;
  guint64     length;
  GByteArray *bytes;
} Stream;

static void
stream_free (gpointer data)
{
  Stream *stream = data;

  g_byte_array_unref (stream->bytes);
  g_free (stream);
}

/* The TCP streams put together again, "src>dst" → Stream: each segment
 * must begin exactly where the last one ended (no gap, no segment twice),
 * after a SYN, and nothing after the FIN. */
static GHashTable *
reassemble (GArray *packets)
{
  GHashTable *streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stream_free);

  for (guint i = 0; i < packets->len; i++)
    {
      Segment segment;
      Stream *stream;
      char *key;

      parse_segment (&g_array_index (packets, Packet, i), &segment);
      if (segment.protocol != 6)
        continue;
      key = g_strdup_printf ("%s>%s", segment.src, segment.dst);
      stream = g_hash_table_lookup (streams, key);
      if (stream == NULL)
        {
          stream = g_new0 (Stream, 1);
          stream->bytes = g_byte_array_new ();
          g_hash_table_insert (streams, key, stream);
        }
      else
        g_free (key);

      if (segment.flags & 0x02)
        {
          g_assert_false (stream->syn);
          stream->syn = TRUE;
          stream->isn = segment.seq;
          continue;
        }
      g_assert_true (stream->syn);
      g_assert_cmpuint (segment.seq, ==,
                        (guint32) (stream->isn + 1 + stream->length + (stream->fin ? 1 : 0)));
      if (segment.payload_size > 0)
        {
          g_assert_false (stream->fin);
          stream->length += segment.payload_size;
          if (segment.payload != NULL)
            g_byte_array_append (stream->bytes, segment.payload, segment.payload_size);
        }
      if (segment.flags & 0x01)
        {
          g_assert_false (stream->fin);
          stream->fin = TRUE;
        }
    }
  return streams;
}

static void
assert_stream (GHashTable *streams,
               const char *key,
               const char *expected,
               gboolean    fin)
{
  Stream *stream = g_hash_table_lookup (streams, key);

  g_assert_nonnull (stream);
  g_assert_cmpmem (stream->bytes->data, stream->bytes->len, expected, strlen (expected));
  g_assert_cmpuint (stream->length, ==, strlen (expected));
  g_assert_cmpint (stream->fin, ==, fin);
}

static guint
count_with_comment (GArray     *packets,
                    const char *comment)
{
  guint n = 0;

  for (guint i = 0; i < packets->len; i++)
    if (g_str_equal (g_array_index (packets, Packet, i).comment, comment))
      n++;
  return n;
}

static void
test_pcapng_blocks_and_streams (void)
{
  gint64 now = 1000000;
  g_autoptr(ScopeRecorder) recorder = make_session (&now);
  g_autoptr(GBytes) bytes = export_to_bytes (recorder, SCOPE_EXPORT_PCAPNG);
  g_autoptr(GArray) blocks = parse_blocks (bytes);
  g_autoptr(GArray) packets = NULL;
  g_autoptr(GHashTable) streams = NULL;
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GPtrArray) application = NULL;
  g_autofree char *application_expected = NULL;
  Block *shb, *idb;
  guint n_udp = 0;
  ScopeRecord first;
  Packet *truncated = NULL;

  /* A section header, one interface of raw IP, then packets only. */
  g_assert_cmpuint (blocks->len, >=, 3);
  shb = &g_array_index (blocks, Block, 0);
  g_assert_cmphex (shb->type, ==, 0x0A0D0D0A);
  g_assert_cmphex (le32 (shb->body), ==, 0x1A2B3C4D);
  g_assert_cmpuint (le16 (shb->body + 4), ==, 1);
  g_assert_cmpuint (le16 (shb->body + 6), ==, 0);
  comments = parse_options (shb->body + 16, shb->size - 16, 1);
  application = parse_options (shb->body + 16, shb->size - 16, 4);
  application_expected = g_strdup_printf ("Sockscope %s", PACKAGE_VERSION);
  g_assert_cmpuint (application->len, ==, 1);
  g_assert_cmpstr (application->pdata[0], ==, application_expected);
  g_assert_cmpuint (comments->len, ==, 3);
  g_assert_cmpstr (comments->pdata[1], ==,
                   "1 event (100000 bytes) was past the payload cap of 188 bytes: counted, "
                   "not kept.");
  g_assert_cmpstr (comments->pdata[2], ==,
                   "Not packets, so in the CSV and JSON exports only: 3 Unix socket events and "
                   "3 listen, readable, refused and error events.");

  idb = &g_array_index (blocks, Block, 1);
  g_assert_cmphex (idb->type, ==, 1);
  g_assert_cmpuint (le16 (idb->body), ==, 101);
  for (guint i = 2; i < blocks->len; i++)
    g_assert_cmphex (g_array_index (blocks, Block, i).type, ==, 6);

  /* S14 both ends ours, written once: handshake 3, two sends and the echo
   * 2 each (data and ACK), two FINs 2 each; IPv6 client 3 + 2 + 2 + 2 + 2;
   * UDP 2 + 2; the send past the cap in two segments: 3 + 4 + 2. */
  packets = parse_packets (blocks);
  g_assert_cmpuint (packets->len, ==, 13 + 11 + 4 + 9);
  g_assert_cmpuint (blocks->len, ==, packets->len + 2);

  /* Times: the session's wall-clock start plus each event's time. */
  g_assert_true (scope_recorder_get_record (recorder, 1, &first));
  g_assert_cmpint (first.kind, ==, SCOPE_EVENT_CONNECT);
  g_assert_cmpuint (g_array_index (packets, Packet, 0).timestamp, ==,
                    (guint64) (scope_recorder_get_start_real_time (recorder) + first.time_us));
  g_assert_cmpstr (g_array_index (packets, Packet, 0).comment, ==, "client connect: SYN");
  g_assert_cmpuint (count_with_comment (packets, "client send 3 bytes"), ==, 1);
  g_assert_cmpuint (count_with_comment (packets, "client send 16 bytes"), ==, 1);
  g_assert_cmpuint (count_with_comment (packets, "echo send 19 bytes"), ==, 1);
  g_assert_cmpuint (count_with_comment (packets, "client shutdown (SHUT_WR): FIN"), ==, 1);
  g_assert_cmpuint (count_with_comment (packets, "echo close: FIN"), ==, 1);
  g_assert_cmpuint (count_with_comment (packets,
                                        "client recv 0 bytes (the peer has finished sending): "
                                        "FIN"), ==, 1);

  streams = reassemble (packets);
  assert_stream (streams, "127.0.0.1:53122>127.0.0.1:50000", "Hi!Hope you're well", TRUE);
  assert_stream (streams, "127.0.0.1:50000>127.0.0.1:53122", "Hi!Hope you're well", TRUE);
  assert_stream (streams, "::1:40000>::1:7", "ping\n", TRUE);
  assert_stream (streams, "::1:7>::1:40000", "pong\n", TRUE);
  g_assert_cmpuint (((Stream *) g_hash_table_lookup (streams,
                                                     "127.0.0.1:40010>127.0.0.1:8080"))->length,
                    ==, BIG_SEND);
  g_assert_cmpuint (g_hash_table_size (streams), ==, 6);

  for (guint i = 0; i < packets->len; i++)
    {
      Packet *packet = &g_array_index (packets, Packet, i);
      Segment segment;

      parse_segment (packet, &segment);
      if (segment.protocol == 17)
        {
          /* Each datagram once: the sendto of the sender when it is ours,
           * the 0.0.0.0 sender seen at the loopback address it used. */
          n_udp++;
          if (g_str_equal (segment.src, "127.0.0.1:40001"))
            g_assert_cmpmem (segment.payload, segment.payload_size, "abc", 3);
          else if (g_str_equal (segment.src, "127.0.0.1:50001"))
            g_assert_cmpmem (segment.payload, segment.payload_size, "ABC", 3);
          else
            g_assert_cmpmem (segment.payload, segment.payload_size, "x", 1);
        }
      if (g_str_has_prefix (packet->comment, "client send 100000 bytes")
          && truncated == NULL)
        truncated = packet;
    }
  g_assert_cmpuint (n_udp, ==, 4);

  /* Past the cap: the true length, cut after the headers, and said so. */
  g_assert_nonnull (truncated);
  g_assert_cmpuint (truncated->original, ==, 20 + 20 + 65495);
  g_assert_cmpuint (truncated->captured, ==, 40);
  g_assert_cmpstr (truncated->comment, ==,
                   "client send 100000 bytes, bytes not kept: past the payload cap "
                   "(segment 1 of 2)");
}

/* Both ends ours, but the recorder could not tie them: the server's end
 * sent and closed before the client's end was recorded (tcp-message on a
 * busy loop), and the client is IPv4 while the server end, accepted on a
 * dual-stack socket, sees IPv4-mapped addresses. Still one connection. */
static void
test_pcapng_ties_ends_the_recorder_could_not (void)
{
  gint64 now = 0;
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) any = inet ("::", 50000);
  g_autoptr(GSocketAddress) server = inet ("::ffff:127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client = inet ("::ffff:127.0.0.1", 53122);
  g_autoptr(GSocketAddress) server4 = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client4 = inet ("127.0.0.1", 53122);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GArray) blocks = NULL;
  g_autoptr(GArray) packets = NULL;
  g_autoptr(GHashTable) streams = NULL;
  guint listener, conn, cli;

  scope_recorder_set_clock (recorder, fake_clock, &now);
  listener = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                        "tcp-message", any, NULL, 0);
  conn = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP,
                                    "tcp-message", server, client, listener);
  scope_recorder_append_accept (recorder, listener, conn);
  append_text (recorder, conn, SCOPE_EVENT_SEND, "Hello\n");
  append_text (recorder, conn, SCOPE_EVENT_CLOSE, NULL);
  cli = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client",
                                   client4, server4, 0);
  g_assert_cmpuint (scope_recorder_get_socket (recorder, cli)->peer_id, ==, 0);
  append_text (recorder, cli, SCOPE_EVENT_CONNECT, NULL);
  append_text (recorder, cli, SCOPE_EVENT_RECV, "Hello\n");
  append_text (recorder, cli, SCOPE_EVENT_RECV, "");
  append_text (recorder, cli, SCOPE_EVENT_CLOSE, NULL);

  bytes = export_to_bytes (recorder, SCOPE_EXPORT_PCAPNG);
  blocks = parse_blocks (bytes);
  packets = parse_packets (blocks);
  /* Handshake 3, the message and its ACK 2, each FIN and its ACK 2 + 2;
   * the client's reads add nothing. */
  g_assert_cmpuint (packets->len, ==, 9);
  streams = reassemble (packets);
  g_assert_cmpuint (g_hash_table_size (streams), ==, 2);
  assert_stream (streams, "127.0.0.1:50000>127.0.0.1:53122", "Hello\n", TRUE);
  assert_stream (streams, "127.0.0.1:53122>127.0.0.1:50000", "", TRUE);
  g_assert_cmpstr (g_array_index (packets, Packet, 0).comment, ==, "tcp-message accept: SYN");

  /* One rule ties them everywhere: the JSON names each the other's peer,
   * and the stream model (the timeline's bands) links the client's
   * receive to the server's send. */
  {
    g_autoptr(GBytes) json_bytes = export_to_bytes (recorder, SCOPE_EXPORT_JSON);
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(ScopeStream) stream = scope_stream_new (recorder);
    g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (ScopeStreamLink));
    gsize size;
    const char *text = g_bytes_get_data (json_bytes, &size);
    JsonArray *sockets;
    ScopeStreamLink *link;

    g_assert_true (json_parser_load_from_data (parser, text, (gssize) size, &error));
    g_assert_no_error (error);
    sockets = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "sockets");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (sockets, cli - 1),
                                                 "peer_socket"), ==, conn);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (sockets, conn - 1),
                                                 "peer_socket"), ==, cli);

    scope_recorder_flush (recorder);
    scope_stream_update (stream);
    g_assert_cmpuint (scope_stream_get_peer_socket (stream, cli), ==, conn);
    /* Events: accept 0, send 1, close 2, connect 3, recv 4. */
    scope_stream_collect_links (stream, 4, links);
    g_assert_cmpuint (links->len, ==, 1);
    link = &g_array_index (links, ScopeStreamLink, 0);
    g_assert_cmpuint (link->send_index, ==, 1);
    g_assert_cmpuint (link->size, ==, 6);
  }
}

/* ---- CSV, read back ------------------------------------------------------ */

/* RFC 4180: fields split at commas, records at CRLF, quoted fields may hold
 * both, a quote in a quoted field is doubled. */
static GPtrArray *
parse_csv (const char *text,
           gsize       size)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gsize i = 0;

  while (i < size)
    {
      if (text[i] == '"' && field->len == 0)
        {
          for (i++; ; i++)
            {
              g_assert_cmpuint (i, <, size);
              if (text[i] == '"' && i + 1 < size && text[i + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  i++;
                }
              else if (text[i] == '"')
                {
                  i++;
                  break;
                }
              else
                g_string_append_c (field, text[i]);
            }
          g_assert_true (text[i] == ',' || text[i] == '\r');
        }
      if (text[i] == ',')
        {
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          i++;
        }
      else if (text[i] == '\r')
        {
          g_assert_cmpint (text[i + 1], ==, '\n');
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
          i += 2;
        }
      else
        {
          /* Unquoted fields hold no quote, CR or LF. */
          g_assert_true (text[i] != '"' && text[i] != '\n');
          g_string_append_c (field, text[i++]);
        }
    }
  g_assert_cmpuint (row->len, ==, 0);
  g_ptr_array_unref (row);
  g_string_free (field, TRUE);
  return rows;
}

static const char *
cell (GPtrArray  *rows,
      guint       row,
      const char *column)
{
  GPtrArray *header = rows->pdata[0];

  for (guint i = 0; i < header->len; i++)
    if (g_str_equal (header->pdata[i], column))
      return g_ptr_array_index ((GPtrArray *) rows->pdata[row], i);
  g_assert_not_reached ();
}

static void
test_csv_quoting_and_round_trip (void)
{
  gint64 now = 0;
  g_autoptr(ScopeRecorder) recorder = make_session (&now);
  g_autoptr(GBytes) bytes = export_to_bytes (recorder, SCOPE_EXPORT_CSV);
  gsize size;
  const char *text = g_bytes_get_data (bytes, &size);
  g_autoptr(GPtrArray) rows = parse_csv (text, size);
  guint unix_recv = 0, unix_send = 0, error_row = 0, big_row = 0;

  g_assert_true (g_utf8_validate (text, size, NULL));
  g_assert_true (g_str_has_prefix (text, "index,time_us,arrived_us,arrived_first_us,socket,role,"
                                   "protocol,label,local,peer,kind,size,stream_offset,"
                                   "other_socket,truncated,error_code,error_message,bytes_hex,"
                                   "text\r\n"));
  g_assert_cmpuint (rows->len, ==, scope_recorder_get_n_events (recorder) + 1);
  for (guint r = 0; r < rows->len; r++)
    g_assert_cmpuint (((GPtrArray *) rows->pdata[r])->len, ==, 19);

  for (guint r = 1; r < rows->len; r++)
    {
      g_autofree char *index = g_strdup_printf ("%u", r - 1);

      g_assert_cmpstr (cell (rows, r, "index"), ==, index);
      if (g_str_equal (cell (rows, r, "protocol"), "unix")
          && g_str_equal (cell (rows, r, "kind"), "recv"))
        unix_recv = r;
      if (g_str_equal (cell (rows, r, "protocol"), "unix")
          && g_str_equal (cell (rows, r, "kind"), "send"))
        unix_send = r;
      if (g_str_equal (cell (rows, r, "kind"), "error"))
        error_row = r;
      if (g_str_equal (cell (rows, r, "size"), "100000"))
        big_row = r;
    }

  /* A label and a payload with commas, quotes and line breaks come back. */
  g_assert_cmpuint (unix_recv, !=, 0);
  g_assert_cmpstr (cell (rows, unix_recv, "label"), ==, UNIX_LABEL);
  g_assert_cmpstr (cell (rows, unix_recv, "local"), ==, "/tmp/echo.sock");
  g_assert_cmpstr (cell (rows, unix_recv, "role"), ==, "connection");
  g_assert_cmpstr (cell (rows, unix_recv, "text"), ==, UNIX_PAYLOAD);
  g_assert_cmpstr (cell (rows, unix_recv, "bytes_hex"), ==, "612c620a2263220d0a");
  /* Bytes that are not text: hex only. */
  g_assert_cmpstr (cell (rows, unix_send, "bytes_hex"), ==, "ff0001");
  g_assert_cmpstr (cell (rows, unix_send, "text"), ==, "");

  g_assert_cmpstr (cell (rows, error_row, "error_code"), ==, "connection-refused");
  g_assert_cmpstr (cell (rows, error_row, "error_message"), ==, REFUSED_WORDS);
  g_assert_cmpstr (cell (rows, error_row, "peer"), ==, "127.0.0.1:9");
  g_assert_cmpstr (cell (rows, error_row, "local"), ==, "");

  g_assert_cmpstr (cell (rows, big_row, "truncated"), ==, "true");
  g_assert_cmpstr (cell (rows, big_row, "bytes_hex"), ==, "");
  g_assert_cmpstr (cell (rows, 3, "kind"), ==, "accept");
  g_assert_cmpstr (cell (rows, 3, "other_socket"), ==, "3");
  {
    ScopeRecord accept;
    g_autofree char *time = NULL;

    g_assert_true (scope_recorder_get_record (recorder, 2, &accept));
    time = g_strdup_printf ("%" G_GINT64_FORMAT, accept.time_us);
    g_assert_cmpint (accept.time_us, >, 0);
    g_assert_cmpstr (cell (rows, 3, "time_us"), ==, time);
  }
}

/* ---- JSON, read back ----------------------------------------------------- */

static void
test_json_round_trip (void)
{
  gint64 now = 0;
  g_autoptr(ScopeRecorder) recorder = make_session (&now);
  g_autoptr(GBytes) bytes = export_to_bytes (recorder, SCOPE_EXPORT_JSON);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) started = NULL;
  JsonObject *root, *header, *event;
  JsonArray *sockets, *events;
  gsize size;
  const char *text = g_bytes_get_data (bytes, &size);
  guint64 n_events = scope_recorder_get_n_events (recorder);
  gboolean seen_unix = FALSE, seen_binary = FALSE, seen_error = FALSE;

  g_assert_true (json_parser_load_from_data (parser, text, (gssize) size, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  header = json_object_get_object_member (root, "header");
  g_assert_cmpstr (json_object_get_string_member (header, "format"), ==, "sockscope-session");
  g_assert_cmpint (json_object_get_int_member (header, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (header, "app_version"), ==, PACKAGE_VERSION);
  g_assert_cmpint (json_object_get_int_member (header, "n_events"), ==, (gint64) n_events);
  g_assert_cmpint (json_object_get_int_member (header, "truncated_events"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (header, "truncated_bytes"), ==, BIG_SEND);
  g_assert_cmpint (json_object_get_int_member (header, "payload_cap"), ==, 188);
  g_assert_cmpstr (json_object_get_string_member (header, "truncation"), ==,
                   "1 event (100000 bytes) was past the payload cap of 188 bytes: counted, "
                   "not kept.");
  started = g_date_time_new_from_iso8601 (json_object_get_string_member (header, "start_time"),
                                          NULL);
  g_assert_nonnull (started);
  g_assert_cmpint (g_date_time_to_unix (started), ==,
                   scope_recorder_get_start_real_time (recorder) / G_USEC_PER_SEC);

  sockets = json_object_get_array_member (root, "sockets");
  g_assert_cmpuint (json_array_get_length (sockets), ==, scope_recorder_get_n_sockets (recorder));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (sockets, 2),
                                               "peer_socket"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (sockets, 2),
                                               "parent"), ==, 1);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (sockets, 0),
                                              "peer"));

  events = json_object_get_array_member (root, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, n_events);
  for (guint i = 0; i < n_events; i++)
    {
      const char *kind;

      event = json_array_get_object_element (events, i);
      kind = json_object_get_string_member (event, "kind");
      g_assert_cmpint (json_object_get_int_member (event, "index"), ==, i);
      if (json_object_get_int_member (event, "socket") == 8 && g_str_equal (kind, "recv"))
        {
          seen_unix = TRUE;
          g_assert_cmpstr (json_object_get_string_member (event, "text"), ==, UNIX_PAYLOAD);
          g_assert_cmpstr (json_object_get_string_member (event, "hex"), ==,
                           "612c620a2263220d0a");
        }
      if (json_object_get_int_member (event, "socket") == 8 && g_str_equal (kind, "send"))
        {
          seen_binary = TRUE;
          g_assert_cmpstr (json_object_get_string_member (event, "hex"), ==, "ff0001");
          g_assert_false (json_object_has_member (event, "text"));
        }
      if (g_str_equal (kind, "error"))
        {
          seen_error = TRUE;
          g_assert_cmpstr (json_object_get_string_member (event, "error_code"), ==,
                           "connection-refused");
          g_assert_cmpstr (json_object_get_string_member (event, "message"), ==,
                           REFUSED_WORDS);
        }
      if (json_object_get_int_member (event, "size") == BIG_SEND)
        {
          g_assert_true (json_object_get_boolean_member (event, "truncated"));
          g_assert_false (json_object_has_member (event, "hex"));
        }
    }
  g_assert_true (seen_unix && seen_binary && seen_error);

  event = json_array_get_object_element (events, 2);
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "accept");
  g_assert_cmpint (json_object_get_int_member (event, "accepted"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (event, "time_us"), ==,
                   scope_recorder_get_time_us (recorder, 2));
}

/* An empty session is still a valid file of each format. */
static void
test_empty_session (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GBytes) pcapng = export_to_bytes (recorder, SCOPE_EXPORT_PCAPNG);
  g_autoptr(GBytes) json = export_to_bytes (recorder, SCOPE_EXPORT_JSON);
  g_autoptr(GBytes) csv = export_to_bytes (recorder, SCOPE_EXPORT_CSV);
  g_autoptr(GArray) blocks = parse_blocks (pcapng);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *text = g_bytes_get_data (json, &size);

  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_true (json_parser_load_from_data (parser, text, (gssize) size, &error));
  g_assert_no_error (error);
  text = g_bytes_get_data (csv, &size);
  g_assert_cmpuint (size, >, 0);
  g_assert_nonnull (memchr (text, '\n', size));
  g_assert_cmpuint ((gsize) ((const char *) memchr (text, '\n', size) - text), ==, size - 1);
}

/* ---- the little things --------------------------------------------------- */

static void
test_format_from_path (void)
{
  ScopeExportFormat format = SCOPE_EXPORT_JSON;

  g_assert_true (scope_export_format_from_path ("session.pcapng", &format));
  g_assert_cmpint (format, ==, SCOPE_EXPORT_PCAPNG);
  g_assert_true (scope_export_format_from_path ("/tmp/a.b/Session.CSV", &format));
  g_assert_cmpint (format, ==, SCOPE_EXPORT_CSV);
  g_assert_true (scope_export_format_from_path ("x.Json", &format));
  g_assert_cmpint (format, ==, SCOPE_EXPORT_JSON);
  g_assert_true (scope_export_format_from_path ("x.PcapNG", NULL));

  g_assert_false (scope_export_format_from_path ("session.pcap", &format));
  g_assert_false (scope_export_format_from_path ("session.txt", &format));
  g_assert_false (scope_export_format_from_path ("session.json.gz", &format));
  g_assert_false (scope_export_format_from_path ("pcapng", &format));
  g_assert_false (scope_export_format_from_path (".csv", &format));
  g_assert_false (scope_export_format_from_path ("/tmp/.json", &format));
  g_assert_false (scope_export_format_from_path ("", &format));
  g_assert_false (scope_export_format_from_path (NULL, &format));
  g_assert_cmpint (format, ==, SCOPE_EXPORT_JSON);

  g_assert_cmpstr (scope_export_format_get_extension (SCOPE_EXPORT_PCAPNG), ==, ".pcapng");
  g_assert_cmpstr (scope_export_format_get_extension (SCOPE_EXPORT_CSV), ==, ".csv");
}

static void
test_truncation_sentence (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 7);
  g_autofree char *nothing = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *mib = NULL;
  guint id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP,
                                        "udp", local, NULL, 0);

  nothing = scope_export_describe_truncation (recorder);
  g_assert_cmpstr (nothing, ==, "Nothing was truncated.");

  scope_recorder_set_payload_cap (recorder, 10);
  append_datagram (recorder, id, SCOPE_EVENT_RECVFROM, "127.0.0.1", 9, "0123456789");
  append_datagram (recorder, id, SCOPE_EVENT_RECVFROM, "127.0.0.1", 9, "x");
  one = scope_export_describe_truncation (recorder);
  g_assert_cmpstr (one, ==, "1 event (1 byte) was past the payload cap of 10 bytes: counted, "
                            "not kept.");
  append_datagram (recorder, id, SCOPE_EVENT_RECVFROM, "127.0.0.1", 9, "0123456789");
  two = scope_export_describe_truncation (recorder);
  g_assert_cmpstr (two, ==, "2 events (11 bytes) were past the payload cap of 10 bytes: "
                            "counted, not kept.");

  scope_recorder_set_payload_cap (recorder, SCOPE_RECORDER_DEFAULT_PAYLOAD_CAP);
  mib = scope_export_describe_truncation (recorder);
  g_assert_true (g_str_has_suffix (mib, "the payload cap of 64.0\u00a0MiB: counted, not kept."));
}

/* ---- files --------------------------------------------------------------- */

static void
test_file_in_missing_folder (void)
{
  gint64 now = 0;
  g_autoptr(ScopeRecorder) recorder = make_session (&now);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "missing", "session.pcapng", NULL);

  g_assert_false (scope_export_to_file (recorder, path, SCOPE_EXPORT_PCAPNG, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "Could not write “session.pcapng”: "));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_file_written_and_replaced (void)
{
  gint64 now = 0;
  g_autoptr(ScopeRecorder) recorder = make_session (&now);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "session.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) expected = export_to_bytes (recorder, SCOPE_EXPORT_JSON);
  gsize length;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (scope_export_to_file (recorder, path, SCOPE_EXPORT_JSON, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL),
                   g_bytes_get_size (expected));
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A write that fails half-way (here: the file size limit) leaves no half
 * file: a new file is gone, an old one is as it was, no temporary stays. */
static void
test_failed_write_leaves_no_half_file (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *new_path = NULL;
  g_autofree char *old_path = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  {
    gint64 now = 0;
    g_autoptr(ScopeRecorder) recorder = make_session (&now);
    g_autoptr(GError) error = NULL;
    g_autofree char *contents = NULL;
    g_autofree guint8 *kept = g_malloc0 (64 * 1024);
    struct rlimit limit = { 4096, 4096 };
    guint id;

    /* Bytes enough that the export outgrows the limit. */
    scope_recorder_set_payload_cap (recorder, SCOPE_RECORDER_DEFAULT_PAYLOAD_CAP);
    id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp",
                                    NULL, NULL, 0);
    scope_recorder_append (recorder, id, SCOPE_EVENT_RECV, kept, 64 * 1024);

    dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
    new_path = g_build_filename (dir, "new.csv", NULL);
    old_path = g_build_filename (dir, "old.csv", NULL);
    g_assert_true (g_file_set_contents (old_path, "old", -1, NULL));

    signal (SIGXFSZ, SIG_IGN);
    g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

    g_assert_false (scope_export_to_file (recorder, new_path, SCOPE_EXPORT_CSV, &error));
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "Could not write “new.csv”: "));
    g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
    g_clear_error (&error);

    g_assert_false (scope_export_to_file (recorder, old_path, SCOPE_EXPORT_JSON, &error));
    g_assert_nonnull (error);
    g_assert_true (g_file_get_contents (old_path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "old");
    g_assert_cmpuint (count_entries (dir), ==, 1);

    g_assert_cmpint (g_unlink (old_path), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
  }
}

/* ---- our client and server, read by tshark ------------------------------- */

/* tshark gets a profile of its own that dissects nothing above TCP and
 * UDP: the payloads are random, on ports the system chose, and a dissector
 * that guesses them to be some protocol and finds them malformed would fail
 * the test for the bytes, not for our packets. */
static char *tshark_profile;

static void
make_tshark_profile (const char *tshark)
{
  static const char * const keep[] = {
    "frame", "raw", "ip", "ipv6", "tcp", "udp", "data", "pkt_comment", "icmp", "icmpv6", NULL
  };
  const char *argv[] = { tshark, "-G", "protocols", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) disabled = g_string_new (NULL);
  g_autofree char *listed = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) lines = NULL;

  if (tshark_profile != NULL)
    return;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &listed, NULL, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (listed, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (fields) >= 3 && !g_strv_contains (keep, fields[2])
          && !g_str_has_prefix (fields[2], "_ws."))
        g_string_append_printf (disabled, "%s\n", fields[2]);
    }
  tshark_profile = g_dir_make_tmp ("sockscope-tshark-XXXXXX", NULL);
  path = g_build_filename (tshark_profile, "disabled_protos", NULL);
  g_assert_true (g_file_set_contents (path, disabled->str, (gssize) disabled->len, NULL));
}

static void
remove_tshark_profile (void)
{
  g_autofree char *path = NULL;

  if (tshark_profile == NULL)
    return;
  path = g_build_filename (tshark_profile, "disabled_protos", NULL);
  g_unlink (path);
  g_rmdir (tshark_profile);
  g_clear_pointer (&tshark_profile, g_free);
}

static char *
need_tshark (void)
{
  char *tshark = g_find_program_in_path ("tshark");

  if (tshark == NULL)
    g_test_skip ("tshark is not installed");
  else
    make_tshark_profile (tshark);
  return tshark;
}

/* tshark on a file with every checksum checked; the arguments after @path
 * end with NULL. */
static char *
run_tshark (const char *tshark,
            const char *path,
            ...) G_GNUC_NULL_TERMINATED;

static char *
run_tshark (const char *tshark,
            const char *path,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "WIRESHARK_CONFIG_DIR",
                                         tshark_profile, TRUE);
  const char *arg;
  char *out = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) tshark);
  g_ptr_array_add (argv, "-r");
  g_ptr_array_add (argv, (char *) path);
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, "tcp.check_checksum:TRUE");
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, "udp.check_checksum:TRUE");
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, "ip.check_checksum:TRUE");
  va_start (args, path);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* tshark's "follow,…,raw" output: a hex line per packet, indented when it
 * came from the second node (the server). */
static void
parse_follow (const char *text,
              GByteArray *client_to_server,
              GByteArray *server_to_client)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean data = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      GByteArray *into = client_to_server;

      if (g_str_has_prefix (line, "Node 1:"))
        {
          data = TRUE;
          continue;
        }
      if (!data || *line == '\0' || g_str_has_prefix (line, "===="))
        continue;
      if (*line == '\t')
        {
          into = server_to_client;
          line++;
        }
      for (gsize j = 0; line[j] && line[j + 1]; j += 2)
        {
          guint8 byte = (guint8) (g_ascii_xdigit_value (line[j]) << 4
                                  | g_ascii_xdigit_value (line[j + 1]));

          g_byte_array_append (into, &byte, 1);
        }
    }
}

/* No malformed packet, no checksum tshark finds wrong, no expert warning
 * or error (lost segments, retransmissions, ACKs of unseen data…). */
static void
assert_tshark_finds_nothing_wrong (const char *tshark,
                                   const char *path)
{
  g_autofree char *problems = run_tshark (tshark, path, "-Y",
                                          "_ws.malformed || _ws.expert.severity >= warning "
                                          "|| tcp.checksum.status == \"Bad\" "
                                          "|| udp.checksum.status == \"Bad\" "
                                          "|| ip.checksum.status == \"Bad\" "
                                          "|| tcp.analysis.retransmission "
                                          "|| tcp.analysis.lost_segment", NULL);
  g_autofree char *good = run_tshark (tshark, path, "-Y",
                                      "tcp.checksum.status == \"Good\" "
                                      "|| udp.checksum.status == \"Good\"", NULL);

  g_assert_cmpstr (problems, ==, "");
  g_assert_cmpstr (good, !=, "");
}

static void
test_live_tcp (gconstpointer data)
{
  const char *host = data;
  g_autofree char *tshark = need_tshark ();
  g_autoptr(ScopeRecorder) recorder = NULL;
  g_autoptr(ScopeServer) server = NULL;
  g_autoptr(ScopeClient) client = NULL;
  g_autoptr(GByteArray) echoed = g_byte_array_new ();
  g_autoptr(GByteArray) sent = g_byte_array_new ();
  g_autoptr(GByteArray) forth = g_byte_array_new ();
  g_autoptr(GByteArray) back = g_byte_array_new ();
  g_autoptr(GBytes) hi = g_bytes_new_static ("Hi!", 3);
  g_autoptr(GBytes) hope = g_bytes_new_static ("Hope you're well", 16);
  g_autoptr(GBytes) bulk = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *follow = NULL;
  g_autofree char *streams = NULL;
  gboolean closed = FALSE;
  guint8 *bulk_data;
  Wanted wanted;

  if (tshark == NULL)
    return;

  recorder = scope_recorder_new ();
  server = scope_server_new (SCOPE_SERVER_TCP_ECHO, recorder);
  client = scope_client_new (recorder);
  /* S14 with the server's 16-byte reads (S11), then a send larger than
   * one segment can carry. */
  g_object_set (server, "bind-address", host, "read-buffer-size", 16, "pause-reading", TRUE,
                NULL);
  if (!scope_server_start (server, &error))
    {
      g_autofree char *why = g_strdup_printf ("cannot listen on %s: %s", host, error->message);

      g_test_skip (why);
      return;
    }

  connect_client (client, SCOPE_PROTOCOL_TCP, host, scope_server_get_bound_port (server));
  g_signal_connect (client, "received", G_CALLBACK (on_received), echoed);
  g_signal_connect (client, "peer-closed", G_CALLBACK (on_peer_closed), &closed);
  scope_client_send (client, hi, 0, 0);
  scope_client_send (client, hope, 0, 0);
  run_until (nothing_pending, client);
  g_object_set (server, "pause-reading", FALSE, NULL);
  wanted = (Wanted) { echoed, 19 };
  run_until (received_enough, &wanted);

  bulk_data = g_malloc (70000);
  for (guint i = 0; i < 70000; i++)
    bulk_data[i] = (guint8) g_test_rand_int ();
  bulk = g_bytes_new_take (bulk_data, 70000);
  scope_client_send (client, bulk, 0, 0);
  wanted = (Wanted) { echoed, 19 + 70000 };
  run_until (received_enough, &wanted);
  g_assert_true (scope_client_shutdown_write (client, &error));
  g_assert_no_error (error);
  run_until (is_true, &closed);
  scope_client_close (client);
  scope_server_stop (server);

  g_byte_array_append (sent, (const guint8 *) "Hi!Hope you're well", 19);
  g_byte_array_append (sent, bulk_data, 70000);
  g_assert_cmpmem (echoed->data, echoed->len, sent->data, sent->len);

  dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
  path = g_build_filename (dir, "live.pcapng", NULL);
  g_assert_true (scope_export_to_file (recorder, path, SCOPE_EXPORT_PCAPNG, &error));
  g_assert_no_error (error);

  /* One connection, though both of its ends were recorded. */
  streams = run_tshark (tshark, path, "-T", "fields", "-e", "tcp.stream", NULL);
  g_strstrip (streams);
  g_assert_nonnull (streams);
  {
    g_auto(GStrv) lines = g_strsplit (streams, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_assert_cmpstr (lines[i], ==, "0");
  }
  follow = run_tshark (tshark, path, "-qz", "follow,tcp,raw,0", NULL);
  parse_follow (follow, forth, back);
  g_assert_cmpmem (forth->data, forth->len, sent->data, sent->len);
  g_assert_cmpmem (back->data, back->len, sent->data, sent->len);
  assert_tshark_finds_nothing_wrong (tshark, path);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_live_udp (gconstpointer data)
{
  const char *host = data;
  g_autofree char *tshark = need_tshark ();
  g_autoptr(ScopeRecorder) recorder = NULL;
  g_autoptr(ScopeServer) server = NULL;
  g_autoptr(ScopeClient) client = NULL;
  g_autoptr(GByteArray) echoed = g_byte_array_new ();
  g_autoptr(GByteArray) forth = g_byte_array_new ();
  g_autoptr(GByteArray) back = g_byte_array_new ();
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *follow = NULL;
  g_autofree char *count = NULL;
  Wanted wanted = { echoed, 5 };

  if (tshark == NULL)
    return;

  recorder = scope_recorder_new ();
  server = scope_server_new (SCOPE_SERVER_UDP_UPPER, recorder);
  client = scope_client_new (recorder);
  g_object_set (server, "bind-address", host, NULL);
  if (!scope_server_start (server, &error))
    {
      g_autofree char *why = g_strdup_printf ("cannot listen on %s: %s", host, error->message);

      g_test_skip (why);
      return;
    }
  connect_client (client, SCOPE_PROTOCOL_UDP, host, scope_server_get_bound_port (server));
  g_signal_connect (client, "received", G_CALLBACK (on_received), echoed);
  scope_client_send (client, hello, 0, 0);
  run_until (received_enough, &wanted);
  g_assert_cmpmem (echoed->data, echoed->len, "HELLO", 5);
  scope_client_close (client);
  scope_server_stop (server);

  dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
  path = g_build_filename (dir, "live.pcapng", NULL);
  g_assert_true (scope_export_to_file (recorder, path, SCOPE_EXPORT_PCAPNG, &error));
  g_assert_no_error (error);

  /* Two datagrams, each once, though each was sent and received here. */
  count = run_tshark (tshark, path, "-Y", "udp", NULL);
  {
    g_auto(GStrv) lines = g_strsplit (g_strstrip (count), "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 2);
  }
  follow = run_tshark (tshark, path, "-qz", "follow,udp,raw,0", NULL);
  parse_follow (follow, forth, back);
  g_assert_cmpmem (forth->data, forth->len, "hello", 5);
  g_assert_cmpmem (back->data, back->len, "HELLO", 5);
  assert_tshark_finds_nothing_wrong (tshark, path);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---- the stop, and what a spreadsheet would run -------------------------- */

/* A session that reached its event limit: two exchanges kept, then the
 * recording stopped, then three events dropped. */
static ScopeRecorder *
make_stopped_session (gint64 *now)
{
  ScopeRecorder *recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) server = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client = inet ("127.0.0.1", 53122);
  guint listener, conn;

  scope_recorder_set_clock (recorder, fake_clock, now);
  scope_recorder_set_event_limit (recorder, SCOPE_RECORDER_MIN_EVENT_LIMIT);
  listener = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                        "echo", server, NULL, 0);
  append_text (recorder, listener, SCOPE_EVENT_LISTEN, NULL);
  conn = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP,
                                    "echo", server, client, listener);
  scope_recorder_append_accept (recorder, listener, conn);
  for (guint i = 2; i < SCOPE_RECORDER_MIN_EVENT_LIMIT + 3; i++)
    append_text (recorder, conn, i % 2 ? SCOPE_EVENT_SEND : SCOPE_EVENT_RECV, "ab");
  g_assert_cmpint (scope_recorder_get_state (recorder), ==,
                   SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
  g_assert_cmpuint (scope_recorder_get_dropped_events (recorder), ==, 3);
  return recorder;
}

/* Recording stopped at a limit: every export says when and why, and what
 * was dropped, in the place each format has for it. */
static void
test_stop_is_said_in_every_export (void)
{
  gint64 now = 0;
  g_autoptr(ScopeRecorder) recorder = make_stopped_session (&now);
  g_autoptr(GBytes) pcapng = export_to_bytes (recorder, SCOPE_EXPORT_PCAPNG);
  g_autoptr(GBytes) csv = export_to_bytes (recorder, SCOPE_EXPORT_CSV);
  g_autoptr(GBytes) json = export_to_bytes (recorder, SCOPE_EXPORT_JSON);
  g_autoptr(GArray) blocks = parse_blocks (pcapng);
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *sentence = scope_export_describe_stop_english (recorder);
  g_autofree char *words = scope_export_describe_stop (recorder);
  g_autofree char *expected = NULL;
  g_autofree char *expected_words = NULL;
  g_autofree char *stopped_text = NULL;
  gint64 stopped;
  Block *shb = &g_array_index (blocks, Block, 0);
  JsonObject *header;
  GPtrArray *last;
  gsize size;
  const char *text;

  stopped = scope_recorder_get_stopped_us (recorder);
  g_assert_cmpint (stopped, >, 0);
  expected = g_strdup_printf ("Recording stopped at %d.%06d s: the session reached its limit "
                              "of 1000 events. 3 events (6 bytes) after it were counted, not "
                              "kept.", (int) (stopped / 1000000), (int) (stopped % 1000000));
  g_assert_cmpstr (sentence, ==, expected);
  expected_words = g_strdup_printf ("Recording stopped at %.3f s: the session holds its limit "
                                    "of 1000 events. 3 events since were counted, not kept.",
                                    stopped / 1e6);
  g_assert_cmpstr (words, ==, expected_words);
  stopped_text = g_strdup_printf ("%" G_GINT64_FORMAT, stopped);

  comments = parse_options (shb->body + 16, shb->size - 16, 1);
  g_assert_true (g_ptr_array_find_with_equal_func (comments, sentence, g_str_equal, NULL));

  text = g_bytes_get_data (csv, &size);
  rows = parse_csv (text, size);
  g_assert_cmpuint (rows->len, ==, 1 + 1000 + 1);
  last = rows->pdata[rows->len - 1];
  g_assert_cmpuint (last->len, ==, 19);
  g_assert_cmpstr (cell (rows, rows->len - 1, "index"), ==, "1000");
  g_assert_cmpstr (cell (rows, rows->len - 1, "time_us"), ==, stopped_text);
  g_assert_cmpstr (cell (rows, rows->len - 1, "kind"), ==, "stopped");
  g_assert_cmpstr (cell (rows, rows->len - 1, "error_message"), ==, sentence);

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (json, NULL),
                                             g_bytes_get_size (json), NULL));
  header = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "header");
  g_assert_cmpstr (json_object_get_string_member (header, "recording"), ==, "stopped");
  g_assert_cmpint (json_object_get_int_member (header, "stopped_us"), ==, stopped);
  g_assert_cmpint (json_object_get_int_member (header, "dropped_events"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (header, "dropped_bytes"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (header, "event_limit"), ==, 1000);
  g_assert_cmpstr (json_object_get_string_member (header, "stop"), ==, sentence);

  /* A session that did not stop says that too, and has no such row. */
  {
    gint64 later = 0;
    g_autoptr(ScopeRecorder) whole = make_session (&later);
    g_autoptr(GBytes) whole_csv = export_to_bytes (whole, SCOPE_EXPORT_CSV);
    g_autofree char *none = scope_export_describe_stop (whole);

    g_assert_null (none);
    g_assert_null (g_strstr_len (g_bytes_get_data (whole_csv, NULL),
                                 g_bytes_get_size (whole_csv), ",stopped,"));
  }
}

/* OWASP's rule on CSV injection: a field a spreadsheet would run as a
 * formula starts with an apostrophe, quoted; the hex keeps the bytes. */
static void
test_csv_formulas_are_neutralised (void)
{
  static const char * const formulas[] = {
    "=HYPERLINK(\"http://192.0.2.1/\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)",
    "\t=1", "\r=1",
  };
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 40000);
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *text;
  gsize size;
  guint id;

  id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                  "=cmd|' /C calc'!A0", local, peer, 0);
  for (guint i = 0; i < G_N_ELEMENTS (formulas); i++)
    append_text (recorder, id, SCOPE_EVENT_RECV, formulas[i]);
  append_text (recorder, id, SCOPE_EVENT_RECV, "plain = text");
  csv = export_to_bytes (recorder, SCOPE_EXPORT_CSV);
  text = g_bytes_get_data (csv, &size);
  rows = parse_csv (text, size);

  for (guint i = 0; i < G_N_ELEMENTS (formulas); i++)
    {
      g_autofree char *expected = g_strconcat ("'", formulas[i], NULL);
      g_autofree char *hex = NULL;
      GString *h = g_string_new (NULL);

      for (const char *c = formulas[i]; *c; c++)
        g_string_append_printf (h, "%02x", (guint8) *c);
      hex = g_string_free (h, FALSE);
      g_assert_cmpstr (cell (rows, i + 1, "text"), ==, expected);
      g_assert_cmpstr (cell (rows, i + 1, "bytes_hex"), ==, hex);
      g_assert_cmpstr (cell (rows, i + 1, "label"), ==, "'=cmd|' /C calc'!A0");
    }
  g_assert_cmpstr (cell (rows, G_N_ELEMENTS (formulas) + 1, "text"), ==, "plain = text");
  /* Every formula-like field is quoted, so no cell starts with = + - @. */
  for (gsize i = 0; i + 1 < size; i++)
    if (text[i] == ',' || text[i] == '\n')
      g_assert_null (strchr ("=+-@", text[i + 1]));
}

typedef struct
{
  guint   calls;
  guint64 done;
  guint64 total;
} Progress;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (done, >=, progress->done);
  g_assert_cmpuint (done, <=, total);
  progress->calls++;
  progress->done = done;
  progress->total = total;
}

/* A long write says how far it is; a file is written through a temporary
 * file beside it, which is gone once it is renamed. */
static void
test_file_progress_and_no_temporary_left (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 40000);
  g_autofree char *dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.json", NULL);
  g_autofree guint8 *bytes = g_malloc0 (4096);
  g_autoptr(GError) error = NULL;
  ScopeExportFile *file;
  Progress progress = { 0 };
  guint id;

  id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, "client",
                                  local, peer, 0);
  for (guint i = 0; i < 2000; i++)
    scope_recorder_append (recorder, id, SCOPE_EVENT_SEND, bytes, 4096);

  file = scope_export_file_open (path, SCOPE_EXPORT_JSON, &error);
  g_assert_no_error (error);
  /* The temporary file is there from the start, beside the target. */
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (scope_export_file_commit (file, recorder, on_progress, &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, >, 10);
  g_assert_cmpuint (progress.total, ==, 2000);
  g_assert_cmpuint (progress.done, ==, 2000);
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* Abandoned: the target as it was, nothing else. */
  file = scope_export_file_open (path, SCOPE_EXPORT_CSV, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (dir), ==, 2);
  scope_export_file_abandon (file);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A path that is a folder is refused when the export is asked for. */
static void
test_file_onto_a_folder (void)
{
  gint64 now = 0;
  g_autoptr(ScopeRecorder) recorder = make_session (&now);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
  g_autofree char *expected = g_strdup_printf ("Could not write “%s”: “%s” is a folder: name a "
                                               "file in it, ending in .pcapng, .csv or .json "
                                               "(EISDIR)",
                                               strrchr (dir, '/') + 1, dir);

  g_assert_null (scope_export_file_open (dir, SCOPE_EXPORT_PCAPNG, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_false (scope_export_to_file (recorder, dir, SCOPE_EXPORT_CSV, &error));
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A symbolic link is written through: the file it names gets the session,
 * the link stays. A FIFO or a device is not replaced by a file. */
static void
test_file_through_a_link_not_onto_a_fifo (void)
{
  gint64 now = 0;
  g_autoptr(ScopeRecorder) recorder = make_session (&now);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sockscope-export-XXXXXX", NULL);
  g_autofree char *real = g_build_filename (dir, "real.json", NULL);
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *target = NULL;
  GStatBuf st;

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (symlink ("real.json", link), ==, 0);
  g_assert_true (scope_export_to_file (recorder, link, SCOPE_EXPORT_JSON, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  target = g_file_read_link (link, NULL);
  g_assert_cmpstr (target, ==, "real.json");
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "{\"header\":"));

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_false (scope_export_to_file (recorder, fifo, SCOPE_EXPORT_CSV, &error));
  g_assert_nonnull (strstr (error->message, "is not a regular file"));
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_assert_cmpuint (count_entries (dir), ==, 3);

  g_unlink (fifo);
  g_unlink (link);
  g_unlink (real);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* After New Session an export holds the new session alone, in every
 * format, and each reads back whole. */
static void
test_new_session_exports (void)
{
  gint64 now = 0;
  g_autoptr(ScopeRecorder) recorder = make_session (&now);
  guint64 cut = scope_recorder_get_n_events (recorder);
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = g_strdup_printf ("%" G_GUINT64_FORMAT, cut);
  JsonObject *root;
  const char *text;
  gsize size;

  scope_recorder_begin_session (recorder);
  scope_recorder_append (recorder, 1, SCOPE_EVENT_CLOSE, NULL, 0);
  scope_recorder_flush (recorder);

  csv = export_to_bytes (recorder, SCOPE_EXPORT_CSV);
  text = g_bytes_get_data (csv, &size);
  rows = parse_csv (text, size);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (cell (rows, 1, "index"), ==, first);
  g_assert_cmpstr (cell (rows, 1, "kind"), ==, "close");

  json = export_to_bytes (recorder, SCOPE_EXPORT_JSON);
  text = g_bytes_get_data (json, &size);
  g_assert_true (json_parser_load_from_data (parser, text, (gssize) size, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "events")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "header"),
                                               "n_events"), ==, 1);
}

/* A stream's receive that took two segments a second apart (S14): the
 * JSON and the CSV carry when its first bytes arrived beside when its last
 * did; a datagram, one arrival, has both the same. */
static void
test_first_arrival (void)
{
  gint64 now = G_USEC_PER_SEC;
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GSocketAddress) server = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client = inet ("127.0.0.1", 53122);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  static const char *const columns[] = { "time_us", "arrived_us", "arrived_first_us" };
  JsonObject *received, *datagram;
  JsonArray *events;
  gint64 real_now, time_us;
  gsize size;
  const char *text;
  guint tcp, udp;

  scope_recorder_set_clock (recorder, fake_clock, &now);
  tcp = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, "echo",
                                   server, client, 0);
  udp = scope_recorder_add_socket (recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, "udp",
                                   server, NULL, 0);
  /* Read at 5 s: the first bytes came 3 s before, the last 1 s before. */
  now = 5 * G_USEC_PER_SEC;
  real_now = g_get_real_time ();
  scope_recorder_append_stream_received (recorder, tcp, (const guint8 *) "Hi!Hope you're well",
                                         19, real_now - 3 * G_USEC_PER_SEC,
                                         real_now - G_USEC_PER_SEC);
  scope_recorder_append_received (recorder, udp, SCOPE_EVENT_RECVFROM, client,
                                  (const guint8 *) "Hi!", 3, real_now - G_USEC_PER_SEC);

  bytes = export_to_bytes (recorder, SCOPE_EXPORT_JSON);
  text = g_bytes_get_data (bytes, &size);
  g_assert_true (json_parser_load_from_data (parser, text, (gssize) size, &error));
  g_assert_no_error (error);
  events = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "events");
  received = json_array_get_object_element (events, 0);
  datagram = json_array_get_object_element (events, 1);
  /* The wall clock runs on while the test does: to a few ms. */
  time_us = json_object_get_int_member (received, "time_us");
  g_assert_cmpint (ABS (time_us - json_object_get_int_member (received, "arrived_first_us")
                        - 3 * G_USEC_PER_SEC), <=, 50000);
  g_assert_cmpint (ABS (time_us - json_object_get_int_member (received, "arrived_us")
                        - G_USEC_PER_SEC), <=, 50000);
  g_assert_cmpint (json_object_get_int_member (received, "arrived_us")
                   - json_object_get_int_member (received, "arrived_first_us"), ==,
                   2 * G_USEC_PER_SEC);
  g_assert_cmpint (json_object_get_int_member (datagram, "arrived_first_us"), ==,
                   json_object_get_int_member (datagram, "arrived_us"));

  /* The CSV says the same, to the microsecond. */
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = export_to_bytes (recorder, SCOPE_EXPORT_CSV);
  text = g_bytes_get_data (bytes, &size);
  rows = parse_csv (text, size);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint r = 1; r < rows->len; r++)
    {
      JsonObject *event = json_array_get_object_element (events, r - 1);

      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          g_autofree char *expected = g_strdup_printf (
            "%" G_GINT64_FORMAT, json_object_get_int_member (event, columns[c]));

          g_assert_cmpstr (cell (rows, r, columns[c]), ==, expected);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/format-from-path", test_format_from_path);
  g_test_add_func ("/export/truncation-sentence", test_truncation_sentence);
  g_test_add_func ("/export/pcapng", test_pcapng_blocks_and_streams);
  g_test_add_func ("/export/pcapng/ends-tied-here", test_pcapng_ties_ends_the_recorder_could_not);
  g_test_add_func ("/export/csv", test_csv_quoting_and_round_trip);
  g_test_add_func ("/export/json", test_json_round_trip);
  g_test_add_func ("/export/first-arrival", test_first_arrival);
  g_test_add_func ("/export/empty", test_empty_session);
  g_test_add_func ("/export/file/missing-folder", test_file_in_missing_folder);
  g_test_add_func ("/export/file/replaced", test_file_written_and_replaced);
  g_test_add_func ("/export/file/failed-write", test_failed_write_leaves_no_half_file);
  g_test_add_func ("/export/file/progress", test_file_progress_and_no_temporary_left);
  g_test_add_func ("/export/file/folder", test_file_onto_a_folder);
  g_test_add_func ("/export/file/link-and-fifo", test_file_through_a_link_not_onto_a_fifo);
  g_test_add_func ("/export/stop", test_stop_is_said_in_every_export);
  g_test_add_func ("/export/csv/formulas", test_csv_formulas_are_neutralised);
  g_test_add_func ("/export/new-session", test_new_session_exports);
  g_test_add_data_func ("/export/live/tcp-ipv4", "127.0.0.1", test_live_tcp);
  g_test_add_data_func ("/export/live/tcp-ipv6", "::1", test_live_tcp);
  g_test_add_data_func ("/export/live/udp-ipv4", "127.0.0.1", test_live_udp);
  g_test_add_data_func ("/export/live/udp-ipv6", "::1", test_live_udp);

  status = g_test_run ();
  remove_tshark_profile ();
  return status;
}
