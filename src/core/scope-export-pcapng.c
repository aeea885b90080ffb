/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-export-private.h"
#include "scope-stream-ends.h"
#include "scope-version.h"

/* The session as packets for Wireshark: every TCP and UDP event becomes
 * the IP packets it would have been on the wire, with synthesized
 * handshakes, acknowledgements, sequence numbers and checksums, and a
 * comment naming the event. */

/* The largest TCP payload that keeps an IPv4 packet's total length within
 * 16 bits (65535 - 20 - 20): bigger sends become several segments. */
#define MAX_SEGMENT       65495
#define PCAPNG_SNAPLEN    262144
#define LINKTYPE_RAW      101

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

/* ---- pcapng ------------------------------------------------------------- */

/* The file is little-endian; its byte-order magic says so to any reader. */
static void
put_u16le (GString *out,
           guint16  value)
{
  guint16 le = GUINT16_TO_LE (value);

  g_string_append_len (out, (const char *) &le, 2);
}

static void
put_u32le (GString *out,
           guint32  value)
{
  guint32 le = GUINT32_TO_LE (value);

  g_string_append_len (out, (const char *) &le, 4);
}

static void
pad_to_4 (GString *out,
          gsize    block_start)
{
  while ((out->len - block_start) % 4 != 0)
    g_string_append_c (out, '\0');
}

static gsize
block_begin (GString *out,
             guint32  type)
{
  gsize start = out->len;

  put_u32le (out, type);
  put_u32le (out, 0);  /* the length, once known */
  return start;
}

static void
block_end (GString *out,
           gsize    start)
{
  guint32 length;

  pad_to_4 (out, start);
  length = GUINT32_TO_LE ((guint32) (out->len - start + 4));
  g_string_append_len (out, (const char *) &length, 4);
  memcpy (out->str + start + 4, &length, 4);
}

static void
put_option (GString    *out,
            gsize       block_start,
            guint16     code,
            const char *text)
{
  /* An option's length is 16 bits; cut a long comment at a character. */
  gsize length = strlen (text);

  if (length > G_MAXUINT16)
    length = g_utf8_find_prev_char (text, text + G_MAXUINT16 + 1) - text;
  put_u16le (out, code);
  put_u16le (out, (guint16) length);
  g_string_append_len (out, text, length);
  pad_to_4 (out, block_start);
}

static void
put_end_of_options (GString *out)
{
  put_u32le (out, 0);
}

typedef struct
{
  ScopeEndpoint end[2];     /* [0] the end it is written from, [1] its peer */
  guint               socket[2];  /* our socket at each end, or 0 */
  guint32             isn[2];     /* initial sequence numbers */
  guint64             sent[2];    /* bytes of each direction written so far */
  gboolean            fin[2];
  gboolean            open;       /* the handshake is written */
  guint               initiator;  /* the end that sent the SYN */
} TcpConversation;

/* Where the export stands: first it counts what makes no packet, for the
 * header to say; then the header, then the events. */
typedef enum
{
  PCAP_COUNT,
  PCAP_HEADER,
  PCAP_EVENTS,
  PCAP_DONE,
} PcapPhase;

typedef struct
{
  GString              *out;
  ScopeRecorder        *recorder;
  gint64                start_real_us;
  guint                 n_sockets;
  TcpConversation     **conversation;  /* by socket id; NULL when not a TCP end */
  guint8               *side;          /* by socket id: 0 or 1 in its conversation */
  ScopeEndpoint  *udp_local;     /* by socket id; family 0 when not UDP */
  GPtrArray            *conversations;
  GString              *comment;
  GString              *base;          /* the event a packet comes from, in words */
  guint16               ip_id;

  PcapPhase             phase;
  guint64               next;          /* the event to count or write next */
  guint64               n_unix;        /* events that make no packet */
  guint64               n_other;
  char                 *truncation;    /* the header's notes, as the export began */
  char                 *stop;          /* NULL when recording did not stop */
} PcapExport;

static guint32
checksum_add (guint32       sum,
              const guint8 *data,
              gsize         size)
{
  guint64 total = sum;

  for (gsize i = 0; i + 1 < size; i += 2)
    total += (guint32) data[i] << 8 | data[i + 1];
  if (size % 2 != 0)
    total += (guint32) data[size - 1] << 8;
  while (total >> 16)
    total = (total & 0xffff) + (total >> 16);
  return (guint32) total;
}

static guint16
checksum_finish (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

/* One Enhanced Packet Block: an IPv4 or IPv6 packet around a TCP or UDP
 * header (its checksum field zero) and the payload. A payload that was past
 * the cap is not in the file: the packet keeps its true length and is cut
 * after the headers, as a capture with a short snapshot length would be. */
static void
write_packet (PcapExport                *px,
              gint64                     time_us,
              const ScopeEndpoint *src,
              const ScopeEndpoint *dst,
              guint8                     protocol,
              guint8                    *l4_header,
              gsize                      l4_size,
              const guint8              *payload,
              gsize                      payload_size,
              const char                *comment)
{
  GString *out = px->out;
  guint8 ip[40] = { 0 };
  gsize ip_size = src->family == 4 ? 20 : 40;
  gsize addr_size = src->family == 4 ? 4 : 16;
  gsize l4_total = l4_size + payload_size;
  gsize original = ip_size + l4_total;
  gsize captured = payload != NULL ? original : ip_size + l4_size;
  guint8 pseudo[40] = { 0 };
  guint32 sum;
  guint16 check;
  guint64 stamp = (guint64) (px->start_real_us + time_us);
  gsize start;

  g_assert (src->family == dst->family);
  g_assert (l4_total <= G_MAXUINT16 && (src->family == 6 || original <= G_MAXUINT16));

  /* The transport checksum covers a pseudo-header of the addresses; bytes
   * not kept count as zeros, and a reader cannot check them anyway. */
  memcpy (pseudo, src->ip, addr_size);
  memcpy (pseudo + addr_size, dst->ip, addr_size);
  if (src->family == 4)
    {
      pseudo[9] = protocol;
      pseudo[10] = (guint8) (l4_total >> 8);
      pseudo[11] = (guint8) l4_total;
      sum = checksum_add (0, pseudo, 12);
    }
  else
    {
      pseudo[34] = (guint8) (l4_total >> 8);
      pseudo[35] = (guint8) l4_total;
      pseudo[39] = protocol;
      sum = checksum_add (0, pseudo, 40);
    }
  sum = checksum_add (sum, l4_header, l4_size);
  if (payload != NULL)
    sum = checksum_add (sum, payload, payload_size);
  check = checksum_finish (sum);
  /* UDP's zero means "no checksum": an all-ones result is sent as such. */
  if (protocol == 17 && check == 0)
    check = 0xffff;
  l4_header[protocol == 6 ? 16 : 6] = (guint8) (check >> 8);
  l4_header[protocol == 6 ? 17 : 7] = (guint8) check;

  if (src->family == 4)
    {
      guint16 ip_check;

      ip[0] = 0x45;
      ip[2] = (guint8) (original >> 8);
      ip[3] = (guint8) original;
      ip[4] = (guint8) (px->ip_id >> 8);
      ip[5] = (guint8) px->ip_id;
      px->ip_id++;
      ip[6] = 0x40;  /* don't fragment */
      ip[8] = 64;
      ip[9] = protocol;
      memcpy (ip + 12, src->ip, 4);
      memcpy (ip + 16, dst->ip, 4);
      ip_check = checksum_finish (checksum_add (0, ip, 20));
      ip[10] = (guint8) (ip_check >> 8);
      ip[11] = (guint8) ip_check;
    }
  else
    {
      ip[0] = 0x60;
      ip[4] = (guint8) (l4_total >> 8);
      ip[5] = (guint8) l4_total;
      ip[6] = protocol;
      ip[7] = 64;
      memcpy (ip + 8, src->ip, 16);
      memcpy (ip + 24, dst->ip, 16);
    }

  start = block_begin (out, 0x00000006);
  put_u32le (out, 0);  /* the one interface */
  put_u32le (out, (guint32) (stamp >> 32));
  put_u32le (out, (guint32) stamp);
  put_u32le (out, (guint32) captured);
  put_u32le (out, (guint32) original);
  g_string_append_len (out, (const char *) ip, ip_size);
  g_string_append_len (out, (const char *) l4_header, l4_size);
  if (payload != NULL)
    g_string_append_len (out, (const char *) payload, payload_size);
  pad_to_4 (out, start);
  put_option (out, start, 1, comment);
  put_end_of_options (out);
  block_end (out, start);
}

static void
write_tcp (PcapExport      *px,
           gint64           time_us,
           TcpConversation *conv,
           guint            from,
           guint8           flags,
           guint32          seq,
           guint32          ack,
           const guint8    *payload,
           gsize            payload_size,
           const char      *comment)
{
  guint8 header[24] = { 0 };
  gsize size = (flags & TCP_SYN) ? 24 : 20;
  const ScopeEndpoint *src = &conv->end[from];
  const ScopeEndpoint *dst = &conv->end[1 - from];

  header[0] = (guint8) (src->port >> 8);
  header[1] = (guint8) src->port;
  header[2] = (guint8) (dst->port >> 8);
  header[3] = (guint8) dst->port;
  header[4] = (guint8) (seq >> 24);
  header[5] = (guint8) (seq >> 16);
  header[6] = (guint8) (seq >> 8);
  header[7] = (guint8) seq;
  if (flags & TCP_ACK)
    {
      header[8] = (guint8) (ack >> 24);
      header[9] = (guint8) (ack >> 16);
      header[10] = (guint8) (ack >> 8);
      header[11] = (guint8) ack;
    }
  header[12] = (guint8) ((size / 4) << 4);
  header[13] = flags;
  header[14] = 0xff;  /* a window of 65535: every segment is acknowledged at once */
  header[15] = 0xff;
  if (flags & TCP_SYN)
    {
      /* MSS, as loopback's: the segments are never larger. */
      header[20] = 2;
      header[21] = 4;
      header[22] = (guint8) (MAX_SEGMENT >> 8);
      header[23] = (guint8) MAX_SEGMENT;
    }
  write_packet (px, time_us, src, dst, 6, header, size, payload, payload_size, comment);
}

/* The next sequence number of one end, and what the other acknowledges. */
static guint32
tcp_next_seq (TcpConversation *conv,
              guint            end)
{
  return conv->isn[end] + 1 + (guint32) conv->sent[end] + (conv->fin[end] ? 1 : 0);
}

static const char *
with_part (PcapExport *px,
           const char *base,
           const char *part)
{
  g_string_assign (px->comment, base);
  if (part != NULL)
    {
      g_string_append (px->comment, ": ");
      g_string_append (px->comment, part);
    }
  return px->comment->str;
}

/* The three-way handshake, once per connection, when the first of its
 * events that makes packets comes: connect or accept, or whatever came
 * first when those were not recorded. */
static void
tcp_open (PcapExport      *px,
          gint64           time_us,
          TcpConversation *conv,
          const char      *base)
{
  guint i = conv->initiator;
  guint r = 1 - i;

  if (conv->open)
    return;
  conv->open = TRUE;
  write_tcp (px, time_us, conv, i, TCP_SYN, conv->isn[i], 0, NULL, 0,
             with_part (px, base, "SYN"));
  write_tcp (px, time_us, conv, r, TCP_SYN | TCP_ACK, conv->isn[r], conv->isn[i] + 1, NULL, 0,
             with_part (px, base, "SYN-ACK"));
  write_tcp (px, time_us, conv, i, TCP_ACK, conv->isn[i] + 1, conv->isn[r] + 1, NULL, 0,
             with_part (px, base, "ACK"));
}

/* Bytes from one end at their place in its stream, in segments that fit
 * an IP packet, each acknowledged at once by the other end. */
static void
tcp_data (PcapExport      *px,
          gint64           time_us,
          TcpConversation *conv,
          guint            from,
          guint64          offset,
          gsize            size,
          const guint8    *payload,
          const char      *base)
{
  guint to = 1 - from;
  guint n_segments = (guint) ((size + MAX_SEGMENT - 1) / MAX_SEGMENT);

  for (guint s = 0; s < n_segments; s++)
    {
      gsize at = (gsize) s * MAX_SEGMENT;
      gsize n = MIN (size - at, MAX_SEGMENT);
      const char *comment = base;
      g_autofree char *numbered = NULL;

      if (n_segments > 1)
        comment = numbered = g_strdup_printf ("%s (segment %u of %u)", base, s + 1, n_segments);
      write_tcp (px, time_us, conv, from, TCP_ACK | (s + 1 == n_segments ? TCP_PSH : 0),
                 conv->isn[from] + 1 + (guint32) (offset + at), tcp_next_seq (conv, to),
                 payload != NULL ? payload + at : NULL, n, comment);
      conv->sent[from] = MAX (conv->sent[from], offset + at + n);
      write_tcp (px, time_us, conv, to, TCP_ACK, tcp_next_seq (conv, to),
                 tcp_next_seq (conv, from), NULL, 0, with_part (px, comment, "ACK"));
    }
}

static void
tcp_fin (PcapExport      *px,
         gint64           time_us,
         TcpConversation *conv,
         guint            from,
         const char      *base)
{
  guint to = 1 - from;

  if (conv->fin[from])
    return;
  write_tcp (px, time_us, conv, from, TCP_FIN | TCP_ACK, tcp_next_seq (conv, from),
             tcp_next_seq (conv, to), NULL, 0, with_part (px, base, "FIN"));
  conv->fin[from] = TRUE;
  write_tcp (px, time_us, conv, to, TCP_ACK, tcp_next_seq (conv, to), tcp_next_seq (conv, from),
             NULL, 0, with_part (px, base, "ACK"));
}

static void
describe_event (GString               *out,
                const ScopeSocketInfo *info,
                const ScopeRecord     *record)
{
  g_string_assign (out, info->label ? info->label : "socket");
  g_string_append_c (out, ' ');
  g_string_append (out, scope_event_kind_to_string (record->kind));
  switch (record->kind)
    {
    case SCOPE_EVENT_SEND:
    case SCOPE_EVENT_RECV:
    case SCOPE_EVENT_SENDTO:
    case SCOPE_EVENT_RECVFROM:
      g_string_append_printf (out, " %u %s", record->size, record->size == 1 ? "byte" : "bytes");
      if (record->kind == SCOPE_EVENT_RECV && record->size == 0)
        g_string_append (out, " (the peer has finished sending)");
      break;
    case SCOPE_EVENT_SHUTDOWN:
      g_string_append (out, " (SHUT_WR)");
      break;
    default:
      break;
    }
  if (record->truncated)
    g_string_append (out, ", bytes not kept: past the payload cap");
}

static guint32
initial_sequence (guint id,
                  guint end)
{
  /* Fixed, so the same session gives the same file; spread, so streams
   * do not look alike. */
  return (guint32) (id * 2654435761u) ^ (end ? 0x5bd1e995u : 0);
}

/* Finds every TCP connection of the session and which of our sockets are
 * its ends. The recorder ties the two ends of a connection when both are
 * ours and both open; here they are also tied when their addresses only
 * match once read as IP addresses (an IPv4 client of a dual-stack server),
 * or when one end closed before the other was recorded. */
static void
pcap_find_conversations (PcapExport *px)
{
  const ScopeStreamEnds *ends = scope_recorder_get_stream_ends (px->recorder);
  guint n = px->n_sockets;
  g_autofree ScopeEndpoint *local = g_new0 (ScopeEndpoint, n + 1);
  g_autofree ScopeEndpoint *peer = g_new0 (ScopeEndpoint, n + 1);
  g_autofree guint *partner = g_new0 (guint, n + 1);

  /* The two ends of a connection are the ones the recorder's one rule
   * paired (scope-stream-ends.c), the same the timeline draws bands for:
   * also a server's end that sent and closed before the client's was
   * recorded, and the ends of a dual-stack connection. */
  for (guint id = 1; id <= n; id++)
    {
      const ScopeSocketInfo *info = scope_recorder_get_socket (px->recorder, id);

      if (info->protocol == SCOPE_PROTOCOL_UDP)
        scope_endpoint_parse (info->local_address, &px->udp_local[id]);
      else if (scope_stream_ends_get_addresses (ends, id, &local[id], &peer[id]))
        partner[id] = scope_stream_ends_get_peer (ends, id);
    }

  for (guint id = 1; id <= n; id++)
    {
      const ScopeSocketInfo *info = scope_recorder_get_socket (px->recorder, id);
      TcpConversation *conv;
      guint other = partner[id];
      guint writer = id;

      if (local[id].family == 0 || px->conversation[id] != NULL)
        continue;
      if (other != 0 && (other > n || local[other].family == 0))
        other = 0;
      /* Both ends ours: written once, from the client's end. */
      if (other != 0 && info->role != SCOPE_SOCKET_CLIENT)
        {
          writer = other;
          other = id;
        }

      conv = g_new0 (TcpConversation, 1);
      conv->end[0] = local[writer];
      conv->end[1] = peer[writer];
      conv->socket[0] = writer;
      conv->socket[1] = other;
      conv->isn[0] = initial_sequence (writer, 0);
      conv->isn[1] = initial_sequence (writer, 1);
      conv->initiator = scope_recorder_get_socket (px->recorder, writer)->role
                        == SCOPE_SOCKET_CLIENT ? 0 : 1;
      g_ptr_array_add (px->conversations, conv);
      px->conversation[writer] = conv;
      px->side[writer] = 0;
      if (other != 0)
        {
          px->conversation[other] = conv;
          px->side[other] = 1;
        }
    }
}

/* Whether a datagram from @from came from one of our UDP sockets, whose
 * own sendto is in the file already. A socket bound to a wildcard address
 * matches by port. */
static gboolean
pcap_udp_sender_is_ours (PcapExport                *px,
                         guint                      receiver,
                         const ScopeEndpoint *from)
{
  for (guint id = 1; id <= px->n_sockets; id++)
    {
      const ScopeEndpoint *end = &px->udp_local[id];

      if (id == receiver || end->family == 0 || end->port != from->port)
        continue;
      if (scope_endpoint_is_unspecified (end)
          ? (end->family == 6 || from->family == 4)
          : scope_endpoint_equal (end, from))
        return TRUE;
    }
  return FALSE;
}

/* A packet is on the wire when it arrives: a receive's, as the kernel
 * stamped it, where it did; else when it was sent or read. */
static gint64
packet_time (const ScopeRecord *record)
{
  return record->arrived_us >= 0 ? record->arrived_us : record->time_us;
}

static void
pcap_udp (PcapExport            *px,
          const ScopeSocketInfo *info,
          const ScopeRecord     *record,
          const char            *base)
{
  ScopeEndpoint ours = px->udp_local[record->socket_id];
  ScopeEndpoint theirs;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *payload = NULL;
  guint8 header[8] = { 0 };
  gboolean outgoing = record->kind == SCOPE_EVENT_SENDTO;
  const ScopeEndpoint *src = outgoing ? &ours : &theirs;
  const ScopeEndpoint *dst = outgoing ? &theirs : &ours;
  gsize length = 8 + (gsize) record->size;

  if (ours.family == 0
      || !scope_endpoint_parse (scope_recorder_get_record_peer (px->recorder,
                                                                       record->index),
                                       &theirs)
      || !scope_endpoint_complete_pair (&ours, &theirs))
    return;
  if (!outgoing && pcap_udp_sender_is_ours (px, record->socket_id, &theirs))
    return;
  if (length > G_MAXUINT16 || (ours.family == 4 && length + 20 > G_MAXUINT16))
    return;

  if (record->has_payload)
    {
      bytes = scope_recorder_dup_payload (px->recorder, record->index);
      payload = g_bytes_get_data (bytes, NULL);
    }
  else if (record->size == 0)
    payload = (const guint8 *) "";

  header[0] = (guint8) (src->port >> 8);
  header[1] = (guint8) src->port;
  header[2] = (guint8) (dst->port >> 8);
  header[3] = (guint8) dst->port;
  header[4] = (guint8) (length >> 8);
  header[5] = (guint8) length;
  write_packet (px, packet_time (record), src, dst, 17, header, 8, payload, record->size, base);
}

static void
pcap_tcp (PcapExport            *px,
          const ScopeRecord     *record,
          const char            *base)
{
  TcpConversation *conv;
  guint side, other;
  gboolean paired;

  if (record->kind == SCOPE_EVENT_ACCEPT)
    {
      if (record->aux == 0 || record->aux > px->n_sockets || px->conversation[record->aux] == NULL)
        return;
      tcp_open (px, record->time_us, px->conversation[record->aux], base);
      return;
    }

  conv = px->conversation[record->socket_id];
  if (conv == NULL)
    return;
  side = px->side[record->socket_id];
  other = 1 - side;
  paired = conv->socket[other] != 0;

  switch (record->kind)
    {
    case SCOPE_EVENT_CONNECT:
      tcp_open (px, record->time_us, conv, base);
      break;

    case SCOPE_EVENT_SEND:
    case SCOPE_EVENT_RECV:
      {
        g_autoptr(GBytes) bytes = NULL;
        guint from = record->kind == SCOPE_EVENT_SEND ? side : other;

        if (record->size == 0)
          {
            /* A zero-byte read: the peer's FIN arrived. When the peer is
             * ours its shutdown or close wrote the FIN already. */
            if (record->kind == SCOPE_EVENT_RECV && !conv->fin[other])
              {
                tcp_open (px, record->time_us, conv, base);
                tcp_fin (px, record->time_us, conv, other, base);
              }
            break;
          }
        /* Both ends ours: the sender's sends are the segments, and the
         * receiver's reads of them are not written again. */
        if (record->kind == SCOPE_EVENT_RECV && paired)
          break;
        if (record->has_payload)
          bytes = scope_recorder_dup_payload (px->recorder, record->index);
        tcp_open (px, packet_time (record), conv, base);
        tcp_data (px, packet_time (record), conv, from, record->stream_offset, record->size,
                  bytes ? g_bytes_get_data (bytes, NULL) : NULL, base);
      }
      break;

    case SCOPE_EVENT_SHUTDOWN:
    case SCOPE_EVENT_CLOSE:
      if (!conv->fin[side])
        {
          tcp_open (px, record->time_us, conv, base);
          tcp_fin (px, record->time_us, conv, side, base);
        }
      break;

    default:
      break;
    }
}

static void
append_count (GString    *out,
              guint64     n,
              const char *one,
              const char *many)
{
  g_string_append_printf (out, "%" G_GUINT64_FORMAT " %s", n, n == 1 ? one : many);
}

/* What is not a packet, counted, so a reader knows what is missing. */
static void
pcap_count (PcapExport *px,
            guint64     index)
{
  ScopeRecord record;
  const ScopeSocketInfo *info;

  scope_recorder_get_record (px->recorder, index, &record);
  info = scope_recorder_get_socket (px->recorder, record.socket_id);
  if (info->protocol == SCOPE_PROTOCOL_UNIX)
    px->n_unix++;
  else if (record.kind == SCOPE_EVENT_LISTEN || record.kind == SCOPE_EVENT_BIND
           || record.kind == SCOPE_EVENT_READABLE
           || record.kind == SCOPE_EVENT_ERROR || record.kind == SCOPE_EVENT_REFUSED)
    px->n_other++;
}

static void
pcap_write_header (PcapExport *px,
                   guint64     n_events)
{
  GString *out = px->out;
  g_autofree char *application = g_strdup_printf ("Sockscope %s", scope_version_string ());
  g_autofree char *started = scope_export_format_iso8601 (px->start_real_us);
  g_autoptr(GString) summary = g_string_new (NULL);
  gsize start;

  g_string_append_printf (summary, "A Sockscope session of %" G_GUINT64_FORMAT " events, "
                          "started %s. ", n_events, started);
  g_string_append (summary, "The TCP and UDP packets are made from the socket events: the "
                   "bytes are those sent and received; the handshakes, acknowledgements, "
                   "sequence numbers and checksums are synthesized. Each packet's comment "
                   "names the event it comes from.");

  start = block_begin (out, 0x0A0D0D0A);
  put_u32le (out, 0x1A2B3C4D);
  put_u16le (out, 1);
  put_u16le (out, 0);
  put_u32le (out, 0xffffffff);  /* section length: not given */
  put_u32le (out, 0xffffffff);
  put_option (out, start, 1, summary->str);
  put_option (out, start, 1, px->truncation);
  if (px->stop != NULL)
    put_option (out, start, 1, px->stop);
  if (px->n_unix > 0 || px->n_other > 0)
    {
      g_autoptr(GString) left_out = g_string_new ("Not packets, so in the CSV and JSON exports "
                                                  "only: ");

      if (px->n_unix > 0)
        append_count (left_out, px->n_unix, "Unix socket event", "Unix socket events");
      if (px->n_unix > 0 && px->n_other > 0)
        g_string_append (left_out, " and ");
      if (px->n_other > 0)
        append_count (left_out, px->n_other, "listen, readable, refused or error event",
                      "listen, readable, refused and error events");
      g_string_append (left_out, ".");
      put_option (out, start, 1, left_out->str);
    }
  put_option (out, start, 4, application);
  put_end_of_options (out);
  block_end (out, start);

  start = block_begin (out, 0x00000001);
  put_u16le (out, LINKTYPE_RAW);
  put_u16le (out, 0);
  put_u32le (out, PCAPNG_SNAPLEN);
  put_option (out, start, 2, "sockscope");
  put_option (out, start, 3, "IP packets synthesized from Sockscope's socket events");
  put_end_of_options (out);
  block_end (out, start);
}

static void
tcp_conversation_free (gpointer data)
{
  g_free (data);
}

static gpointer
pcapng_begin (ScopeExportWriter *writer)
{
  PcapExport *px = g_new0 (PcapExport, 1);

  px->next = writer->first;
  px->out = writer->out;
  px->recorder = writer->recorder;
  px->start_real_us = scope_recorder_get_start_real_time (writer->recorder);
  px->n_sockets = writer->n_sockets;
  px->conversation = g_new0 (TcpConversation *, px->n_sockets + 1);
  px->side = g_new0 (guint8, px->n_sockets + 1);
  px->udp_local = g_new0 (ScopeEndpoint, px->n_sockets + 1);
  px->conversations = g_ptr_array_new_with_free_func (tcp_conversation_free);
  px->comment = g_string_new (NULL);
  px->base = g_string_new (NULL);
  px->truncation = scope_export_describe_truncation_english (writer->recorder);
  if (scope_export_has_stop (writer->recorder))
    px->stop = scope_export_describe_stop_english (writer->recorder);
  /* The ends of the connections as they are now: a socket added later is
   * not in the export, and one tied to it later stays untied here. */
  pcap_find_conversations (px);
  return px;
}

static gboolean
pcapng_step (ScopeExportWriter *writer,
             gpointer           state)
{
  PcapExport *px = state;
  ScopeRecord record;
  const ScopeSocketInfo *info;

  switch (px->phase)
    {
    case PCAP_COUNT:
      if (px->next < writer->n_events)
        pcap_count (px, px->next++);
      else
        px->phase = PCAP_HEADER;
      return TRUE;

    case PCAP_HEADER:
      pcap_write_header (px, writer->n_events - writer->first);
      px->next = writer->first;
      px->phase = PCAP_EVENTS;
      return TRUE;

    case PCAP_EVENTS:
      if (px->next == writer->n_events)
        {
          px->phase = PCAP_DONE;
          return FALSE;
        }
      scope_recorder_get_record (px->recorder, px->next++, &record);
      info = scope_recorder_get_socket (px->recorder, record.socket_id);
      describe_event (px->base, info, &record);
      if (info->protocol == SCOPE_PROTOCOL_TCP)
        pcap_tcp (px, &record, px->base->str);
      else if (info->protocol == SCOPE_PROTOCOL_UDP
               && (record.kind == SCOPE_EVENT_SENDTO || record.kind == SCOPE_EVENT_RECVFROM))
        pcap_udp (px, info, &record, px->base->str);
      writer->done++;
      return TRUE;

    case PCAP_DONE:
    default:
      return FALSE;
    }
}

static void
pcapng_free (gpointer state)
{
  PcapExport *px = state;

  g_free (px->conversation);
  g_free (px->side);
  g_free (px->udp_local);
  g_ptr_array_unref (px->conversations);
  g_string_free (px->comment, TRUE);
  g_string_free (px->base, TRUE);
  g_free (px->truncation);
  g_free (px->stop);
  g_free (px);
}

const ScopeExportFormatWriter scope_export_pcapng_writer = {
  pcapng_begin,
  pcapng_step,
  pcapng_free,
};
