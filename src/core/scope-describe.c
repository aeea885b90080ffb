/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "scope-describe.h"
#include "scope-endpoint.h"
#include "scope-payload.h"

/* The words for what the stream model holds, written once: the timeline's
 * lane names, tooltips and screen-reader descriptions, the inspector's
 * summary and the event list's socket column all come from here. */

#define PREVIEW_BYTES 24

/**
 * scope_describe_socket:
 *
 * Returns: (transfer full): a socket as a lane of the timeline names it:
 * "client 127.0.0.1:53122 → 127.0.0.1:50000"
 */
char *
scope_describe_socket (const ScopeSocketInfo *info)
{
  const char *local = info->local_address ? info->local_address : "?";
  const char *peer = info->peer_address ? info->peer_address : "?";

  switch (info->role)
    {
    case SCOPE_SOCKET_CLIENT:
      if (info->protocol == SCOPE_PROTOCOL_UDP)
        /* Translators: a UDP client socket: its own address; then where it sends */
        return g_strdup_printf (_("client %s (UDP) → %s"), local, peer);
      /* Translators: a client socket: its own address, then its server's */
      return g_strdup_printf (_("client %s → %s"), local, peer);
    case SCOPE_SOCKET_LISTENER:
      /* Translators: a server kind, then the address it listens on */
      return g_strdup_printf (_("%s listening on %s"), info->label, local);
    case SCOPE_SOCKET_CONNECTION:
      {
        ScopeEndpoint end;
        g_autofree char *at = NULL;

        if (scope_endpoint_parse (info->local_address, &end) && end.port != 0)
          at = g_strdup_printf (":%u", end.port);
        /* Translators: an accepted connection: a server kind, its port
         * (":50000"), then the client's address */
        return g_strdup_printf (_("%s %s ← %s"), info->label, at ? at : local, peer);
      }
    case SCOPE_SOCKET_DATAGRAM:
    default:
      /* Translators: a UDP server socket: a server kind, then its address */
      return g_strdup_printf (_("%s %s (UDP)"), info->label, local);
    }
}

/**
 * scope_describe_socket_short:
 *
 * Returns: (transfer full): a socket as a column of a list names it, by
 * its number: "#3 client → 127.0.0.1:50000"
 */
char *
scope_describe_socket_short (const ScopeSocketInfo *info)
{
  switch (info->role)
    {
    case SCOPE_SOCKET_CLIENT:
      /* Translators: a socket id, then the address it talks to */
      return g_strdup_printf (_("#%u client → %s"), info->id,
                              info->peer_address ? info->peer_address : "?");
    case SCOPE_SOCKET_CONNECTION:
      /* Translators: a socket id, a server kind, then the peer's address */
      return g_strdup_printf (_("#%u %s ← %s"), info->id, info->label,
                              info->peer_address ? info->peer_address : "?");
    case SCOPE_SOCKET_LISTENER:
    case SCOPE_SOCKET_DATAGRAM:
    default:
      /* Translators: a socket id, a server kind, then its own address */
      return g_strdup_printf (_("#%u %s %s"), info->id, info->label,
                              info->local_address ? info->local_address : "?");
    }
}

/**
 * scope_describe_time:
 *
 * Returns: (transfer full): a time since the session started, in the unit
 * that reads best: "100 µs", "4.000 ms", "2.500000 s"
 */
char *
scope_describe_time (double time_us)
{
  if (ABS (time_us) >= 1e6)
    /* Translators: a time in seconds */
    return g_strdup_printf (_("%.6f s"), time_us / 1e6);
  if (ABS (time_us) >= 1e3)
    /* Translators: a time in milliseconds */
    return g_strdup_printf (_("%.3f ms"), time_us / 1e3);
  /* Translators: a time in microseconds */
  return g_strdup_printf (_("%.0f µs"), time_us);
}

static char *
preview_bytes (ScopeRecorder *recorder,
               guint64        index,
               gsize          limit)
{
  g_autoptr(GBytes) bytes = scope_recorder_dup_payload (recorder, index);
  g_autofree char *text = NULL;
  const guint8 *data;
  gsize size;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  text = scope_payload_render_text (data, MIN (size, limit));
  return g_strdup_printf ("“%s%s”", text, size > limit ? "…" : "");
}

/* A listener's accept queue: how full, and why it can hold one more than
 * its backlog. */
static void
describe_queue (GString           *text,
                const ScopeRecord *record)
{
  g_string_append (text, ": ");
  g_string_append_printf (text,
                          /* Translators: connections in a listener's accept queue, then
                           * the queue's limit */
                          g_dngettext (GETTEXT_PACKAGE, "%u connection waiting to be "
                                       "accepted, backlog %u", "%u connections waiting to be "
                                       "accepted, backlog %u", record->size),
                          record->size, record->aux);
  if (record->size > record->aux)
    g_string_append_printf (text, ". %s",
                            _("The queue is full: Linux lets one more than the backlog wait, "
                              "for it refuses a connection only when the queue holds more than "
                              "the backlog. Further clients wait in SYN-SENT, retrying their "
                              "handshake, out of the server's sight"));
  if (record->size > record->aux)
    g_string_append_printf (text, ". %s",
                            /* Translators: what happens to the clients in SYN-SENT, said
                             * after "The queue is full: …" */
                            _("They send their SYN again 1, 3, 7, 15, 31 and 63 s after the first, "
                              "and are accepted when it comes while the queue has room: some "
                              "may join seconds after accepting resumed"));
}

/* S14 with reading paused: what waits in the receive buffer, and when
 * the last of it came. */
static void
describe_unread (GString           *text,
                 const ScopeRecord *record)
{
  g_string_append (text, ": ");
  if (record->size == 0 && record->stream_offset == 0)
    {
      g_string_append (text, _("nothing waits unread in the receive buffer now"));
      return;
    }
  /* On a datagram socket, each datagram its own */
  if (record->stream_offset > 0)
    {
      g_autofree char *bytes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u byte",
                                                             "%u bytes", record->size),
                                                record->size);

      g_string_append_printf (text,
                              /* Translators: datagrams waiting in a socket's receive buffer
                               * while the server does not read; then their bytes ("19
                               * bytes"), then the buffer's size */
                              g_dngettext (GETTEXT_PACKAGE, "%u datagram waits unread in the "
                                           "receive buffer, %s, which holds %u",
                                           "%u datagrams wait unread in the receive buffer, "
                                           "%s in all, which holds %u",
                                           (gulong) record->stream_offset),
                              (guint) record->stream_offset, bytes, record->aux);
      if (record->arrived_us >= 0)
        {
          g_autofree char *about = scope_describe_time (record->arrived_us);

          g_string_append (text, ". ");
          /* Translators: when the newest of the datagrams waiting unread arrived */
          g_string_append_printf (text, _("The newest arrived at %s"), about);
        }
      return;
    }
  g_string_append_printf (text,
                          /* Translators: bytes waiting in a socket's receive buffer while
                           * the server does not read, then the buffer's size */
                          g_dngettext (GETTEXT_PACKAGE, "%u byte waits unread in the receive "
                                       "buffer, which holds %u", "%u bytes wait unread in the "
                                       "receive buffer, which holds %u", record->size),
                          record->size, record->aux);
  if (record->arrived_us >= 0)
    {
      g_autofree char *about = scope_describe_time (record->arrived_us);

      g_string_append (text, ". ");
      if (record->arrival_rough)
        /* Translators: when the last of the bytes waiting unread arrived */
        g_string_append_printf (text, _("The last of them arrived at about %s (the kernel "
                                        "tells this to within a few milliseconds)"), about);
      else
        /* Translators: when the bytes waiting unread arrived */
        g_string_append_printf (text, _("They arrived at %s"), about);
    }
}

/* The kernel's tick at its coarsest (HZ 100) */
#define ROUGH_US 10000

/* When the event happened, and for a receive (or a FIN, or an accept's
 * handshake) when what it took arrived, as the kernel told it, and how long
 * it waited to be read or accepted; or that the system did not say. Said
 * with the time, so that what follows it reads as before. */
static char *
describe_when (const ScopeRecord *record)
{
  g_autofree char *when = scope_describe_time (record->time_us);
  g_autofree char *about = NULL;
  g_autofree char *waited = NULL;

  /* Bytes waiting unread say when they came with what they are. */
  if (record->kind == SCOPE_EVENT_UNREAD)
    return g_steal_pointer (&when);
  if (record->arrived_us < 0)
    {
      if (!scope_event_kind_is_receive (record->kind) || !record->arrival_untold)
        return g_steal_pointer (&when);
      if (record->size == 0)
        /* Translators: %s is when the program read the end of a stream */
        return g_strdup_printf (_("%s (the system stamps no time on the end of a stream: this "
                                  "is when the program read it)"), when);
      /* Translators: %s is when the program read the bytes */
      return g_strdup_printf (_("%s (this system does not say when these bytes arrived: this "
                                "is when the program read them)"), when);
    }

  /* A rough time is told in the kernel's ticks (HZ 100: 10 ms): a wait
   * shorter than that is said as such, not as "6 µs" beside "to within a
   * few milliseconds" (the fifth trial). */
  if (record->arrival_rough && record->time_us - record->arrived_us < ROUGH_US)
    return record->kind == SCOPE_EVENT_ACCEPT
           /* Translators: %s is when the accept was */
           ? g_strdup_printf (_("%s (the handshake completed at most a few milliseconds "
                                "before; the kernel tells this no finer)"), when)
           /* Translators: %s is when the end of a stream was read */
           : g_strdup_printf (_("%s (the end of the stream arrived at most a few "
                                "milliseconds before; the kernel tells this no finer)"), when);
  about = scope_describe_time (record->arrived_us);
  waited = scope_describe_time (record->time_us - record->arrived_us);
  if (record->kind == SCOPE_EVENT_ACCEPT)
    /* Translators: when the accept was, when the handshake completed, then how long the
     * connection waited */
    return g_strdup_printf (_("%s (the handshake completed at about %s: the connection waited "
                              "%s in the accept queue; the kernel tells this to within a few "
                              "milliseconds)"), when, about, waited);
  if (record->arrival_rough)
    /* Translators: when the end of a stream was read, when it arrived, then how long it
     * waited */
    return g_strdup_printf (_("%s (the end of the stream arrived at about %s and waited %s; "
                              "the kernel tells this to within a few milliseconds)"),
                            when, about, waited);
  /* A stream's read that took segments which came apart (S14): each end
   * of the span, and the wait of the first, the longest. */
  if (record->arrived_first_us >= 0 && record->arrived_first_us < record->arrived_us)
    {
      g_autofree char *first = scope_describe_time (record->arrived_first_us);
      g_autofree char *first_waited = scope_describe_time (record->time_us
                                                           - record->arrived_first_us);

      /* Translators: when the bytes were read, when the first of them arrived, when the
       * last did, then how long the first waited, e.g. "1.504012 s (first bytes arrived
       * at 0.204012 s, the last at 1.204012 s: the first waited 1.300000 s in the receive
       * buffer)" */
      return g_strdup_printf (_("%s (first bytes arrived at %s, the last at %s: the first "
                                "waited %s in the receive buffer)"),
                              when, first, about, first_waited);
    }
  /* Translators: when the bytes were read, when they arrived, then how long they waited,
   * e.g. "1.504012 s (arrived at 1.204012 s: the bytes waited 300.000 ms in the receive
   * buffer)" */
  return g_strdup_printf (_("%s (arrived at %s: the bytes waited %s in the receive buffer)"),
                          when, about, waited);
}

/**
 * scope_describe_event:
 * @index: an event of @stream's recorder
 *
 * Returns: (transfer full) (nullable): one event in words, for a tooltip,
 * the inspector and a screen reader: the call, its bytes, when, on which
 * socket, what it is linked to; %NULL when there is no such event
 */
char *
scope_describe_event (ScopeStream *stream,
                      guint64      index)
{
  ScopeRecorder *recorder;
  g_autofree char *when = NULL;
  g_autofree char *where = NULL;
  g_autofree char *preview = NULL;
  g_autoptr(GArray) links = NULL;
  GString *text;
  ScopeRecord record;

  g_return_val_if_fail (SCOPE_IS_STREAM (stream), NULL);

  recorder = scope_stream_get_recorder (stream);
  if (!scope_recorder_get_record (recorder, index, &record))
    return NULL;

  when = describe_when (&record);
  where = scope_describe_socket (scope_recorder_get_socket (recorder, record.socket_id));
  text = g_string_new (NULL);
  if (scope_event_kind_is_send (record.kind) || scope_event_kind_is_receive (record.kind))
    g_string_append_printf (text,
                            /* Translators: a socket call, its byte count, a time, then a
                             * socket; e.g. "recv of 19 bytes at 1.204 ms on client
                             * 127.0.0.1:53122 → …" */
                            g_dngettext (GETTEXT_PACKAGE, "%s of %u byte at %s on %s",
                                         "%s of %u bytes at %s on %s", record.size),
                            scope_event_kind_to_string (record.kind), record.size, when, where);
  else
    /* Translators: a socket call or happening, a time, then a socket */
    g_string_append_printf (text, _("%s at %s on %s"), scope_event_kind_to_string (record.kind),
                            when, where);

  /* A datagram's other end, where its lane does not name it: S13's
   * server sees each client's address and port in recvfrom, which the
   * seventh trial found said nowhere. */
  if (record.kind == SCOPE_EVENT_SENDTO || record.kind == SCOPE_EVENT_RECVFROM)
    {
      const char *peer = scope_recorder_get_record_peer (recorder, index);
      const ScopeSocketInfo *info = scope_recorder_get_socket (recorder, record.socket_id);

      if (peer != NULL && g_strcmp0 (peer, info->peer_address) != 0)
        g_string_append_printf (text, record.kind == SCOPE_EVENT_RECVFROM
                                      /* Translators: after a recvfrom on a socket: whom the
                                       * datagram came from */
                                      ? _(", from %s")
                                      /* Translators: after a sendto on a socket: whom the
                                       * datagram went to */
                                      : _(", to %s"), peer);
    }
  if (record.kind == SCOPE_EVENT_QUEUE)
    describe_queue (text, &record);
  else if (record.kind == SCOPE_EVENT_UNREAD)
    describe_unread (text, &record);
  else if (record.kind == SCOPE_EVENT_ERROR)
    {
      g_autofree char *message = scope_recorder_dup_error_message (recorder, index);

      if (message != NULL)
        g_string_append_printf (text, ": %s", message);
    }
  else if (record.truncated)
    g_string_append_printf (text, ". %s",
                            _("Its bytes are past the payload cap: counted, not kept"));
  else if ((preview = preview_bytes (recorder, index, PREVIEW_BYTES)) != NULL)
    g_string_append_printf (text, ": %s", preview);

  links = g_array_new (FALSE, FALSE, sizeof (ScopeStreamLink));
  scope_stream_collect_links (stream, index, links);
  if (links->len > 0)
    {
      g_string_append (text, ". ");
      if (scope_event_kind_is_send (record.kind))
        g_string_append_printf (text,
                                /* Translators: how many calls took a send's bytes */
                                g_dngettext (GETTEXT_PACKAGE, "Received in %u call",
                                             "Received in %u calls", links->len),
                                links->len);
      else
        g_string_append_printf (text,
                                /* Translators: how many calls gave a receive's bytes */
                                g_dngettext (GETTEXT_PACKAGE, "Sent by %u call",
                                             "Sent by %u calls", links->len),
                                links->len);
    }
  return g_string_free (text, FALSE);
}
