/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#ifdef G_OS_UNIX
# include <unistd.h>
# include <gio/gunixoutputstream.h>
#endif

#include "scope-errors.h"
#include "scope-export.h"
#include "scope-version.h"

/* A session leaves the app in three shapes: pcapng for Wireshark, CSV for a
 * spreadsheet, JSON for a script. Each walks the recorder's packed records
 * once, in order, and writes through a buffer of its own, so a session of a
 * million events never becomes a million objects or one huge string. The
 * files themselves are in English whatever the user's language, like any
 * other data format; only the messages for the user are translated. */

#define SINK_FLUSH_SIZE   (256 * 1024)

/* The largest TCP payload that keeps an IPv4 packet's total length within
 * 16 bits (65535 - 20 - 20): bigger sends become several segments. */
#define MAX_SEGMENT       65495
#define PCAPNG_SNAPLEN    262144
#define LINKTYPE_RAW      101

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

/* ---- output ------------------------------------------------------------ */

typedef struct
{
  GOutputStream       *out;
  GCancellable        *cancellable;
  GString             *buffer;
  ScopeExportProgress  progress;
  gpointer             progress_data;
  guint64              done;    /* events written */
  guint64              total;
} Sink;

static gboolean
sink_flush (Sink    *sink,
            GError **error)
{
  if (sink->buffer->len == 0)
    return !g_cancellable_set_error_if_cancelled (sink->cancellable, error);
  if (!g_output_stream_write_all (sink->out, sink->buffer->str, sink->buffer->len, NULL,
                                  sink->cancellable, error))
    return FALSE;
  g_string_truncate (sink->buffer, 0);
  if (sink->progress != NULL)
    sink->progress (sink->done, sink->total, sink->progress_data);
  return TRUE;
}

/* Called between sockets or events: the buffer goes out when it is big
 * enough. */
static gboolean
sink_maybe_flush (Sink    *sink,
                  GError **error)
{
  return sink->buffer->len < SINK_FLUSH_SIZE || sink_flush (sink, error);
}

/* Called after each event. */
static gboolean
sink_event_done (Sink    *sink,
                 GError **error)
{
  sink->done++;
  return sink_maybe_flush (sink, error);
}

static const char hex_digits[] = "0123456789abcdef";

static void
append_hex (GString      *out,
            const guint8 *data,
            gsize         size)
{
  gsize at = out->len;

  g_string_set_size (out, at + 2 * size);
  for (gsize i = 0; i < size; i++)
    {
      out->str[at + 2 * i] = hex_digits[data[i] >> 4];
      out->str[at + 2 * i + 1] = hex_digits[data[i] & 0x0f];
    }
}

/* A number as text without printf's parsing: a million events have ten
 * million of them. */
static void
append_uint64 (GString *out,
               guint64  value)
{
  char digits[20];
  guint n = 0;

  do
    {
      digits[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value != 0);
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

/* Strings from outside (a Unix path, a peer's bytes) need not be UTF-8;
 * every format here is. */
static char *
dup_valid_utf8 (const char *text)
{
  if (text == NULL)
    return NULL;
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  return g_utf8_make_valid (text, -1);
}

/* Payload bytes as text only when they are valid UTF-8 without NUL, so the
 * text says exactly what the hex says. */
static gboolean
payload_is_text (const guint8 *data,
                 gsize         size)
{
  return size > 0 && g_utf8_validate_len ((const char *) data, size, NULL);
}

static const char *
role_to_string (ScopeSocketRole role)
{
  switch (role)
    {
    case SCOPE_SOCKET_CLIENT:
      return "client";
    case SCOPE_SOCKET_LISTENER:
      return "listener";
    case SCOPE_SOCKET_CONNECTION:
      return "connection";
    case SCOPE_SOCKET_DATAGRAM:
      return "datagram";
    default:
      return "unknown";
    }
}

static const char *
protocol_to_string (ScopeProtocol protocol)
{
  switch (protocol)
    {
    case SCOPE_PROTOCOL_TCP:
      return "tcp";
    case SCOPE_PROTOCOL_UDP:
      return "udp";
    case SCOPE_PROTOCOL_UNIX:
      return "unix";
    default:
      return "unknown";
    }
}

/* "connection-refused": the GIOErrorEnum nick, stable across languages. */
static const char *
error_code_to_string (guint32 code)
{
  static GEnumClass *klass;
  GEnumValue *value;

  if (g_once_init_enter (&klass))
    g_once_init_leave (&klass, g_type_class_ref (G_TYPE_IO_ERROR_ENUM));
  value = g_enum_get_value (klass, (int) code);
  return value ? value->value_nick : "failed";
}

static char *
format_iso8601 (gint64 real_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = NULL;

  if (seconds == NULL)
    return g_strdup ("");
  exact = g_date_time_add (seconds, real_us % G_USEC_PER_SEC);
  return g_date_time_format_iso8601 (exact);
}

/* ---- the truncation sentence ------------------------------------------- */

/* The cap in the words GLib's own size formatting would use in English. */
static char *
format_cap_english (guint64 cap)
{
  static const char * const units[] = { "KiB", "MiB", "GiB", "TiB" };
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  double value = (double) cap;
  guint unit = 0;

  if (cap < 1024)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", cap, cap == 1 ? "byte" : "bytes");
  value /= 1024;
  while (value >= 1024 && unit + 1 < G_N_ELEMENTS (units))
    {
      value /= 1024;
      unit++;
    }
  g_ascii_formatd (number, sizeof number, "%.1f", value);
  /* With a no-break space, as GLib writes it. */
  return g_strdup_printf ("%s\u00a0%s", number, units[unit]);
}

/* For the files: the same sentence as scope_export_describe_truncation(),
 * in English. */
static char *
describe_truncation_english (ScopeRecorder *recorder)
{
  guint64 events = scope_recorder_get_truncated_events (recorder);
  guint64 bytes = scope_recorder_get_truncated_bytes (recorder);
  g_autofree char *cap = NULL;

  if (events == 0)
    return g_strdup ("Nothing was truncated.");
  cap = format_cap_english (scope_recorder_get_payload_cap (recorder));
  return g_strdup_printf ("%" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT " %s) %s past the "
                          "payload cap of %s: counted, not kept.",
                          events, events == 1 ? "event" : "events",
                          bytes, bytes == 1 ? "byte" : "bytes",
                          events == 1 ? "was" : "were", cap);
}

static gulong
plural_count (guint64 n)
{
  return (gulong) MIN (n, (guint64) G_MAXULONG);
}

/**
 * scope_export_describe_truncation:
 *
 * Returns: (transfer full): one sentence for the user on what the payload
 * cap kept out of the session, in the user's language
 */
char *
scope_export_describe_truncation (ScopeRecorder *recorder)
{
  guint64 events, bytes;
  g_autofree char *events_text = NULL;
  g_autofree char *bytes_text = NULL;
  g_autofree char *bytes_words = NULL;
  g_autofree char *cap = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  events = scope_recorder_get_truncated_events (recorder);
  bytes = scope_recorder_get_truncated_bytes (recorder);
  if (events == 0)
    return g_strdup (_("Nothing was truncated."));

  events_text = g_strdup_printf ("%" G_GUINT64_FORMAT, events);
  bytes_text = g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
  /* Translators: %s is a number of bytes, e.g. "1048576 bytes" */
  bytes_words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes",
                                              plural_count (bytes)), bytes_text);
  cap = g_format_size_full (scope_recorder_get_payload_cap (recorder), G_FORMAT_SIZE_IEC_UNITS);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: the first %s is a number of events, the
                                        * second a number of bytes ("1048576 bytes"), the third
                                        * the recorder's payload cap ("64.0 MiB"). The bytes
                                        * were counted but not stored. */
                                       "%s event (%s) was past the payload cap of %s: counted, "
                                       "not kept.",
                                       "%s events (%s) were past the payload cap of %s: "
                                       "counted, not kept.",
                                       plural_count (events)),
                          events_text, bytes_words, cap);
}

/* ---- the stop sentence ------------------------------------------------- */

static const char *
stop_limit_english (ScopeRecorder *recorder,
                    guint64       *limit)
{
  *limit = scope_recorder_get_stopped_limit (recorder);
  switch (scope_recorder_get_state (recorder))
    {
    case SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT:
      return "events";
    case SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT:
      return "sockets";
    case SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT:
      return "datagram peers";
    case SCOPE_RECORDER_RECORDING:
    default:
      return NULL;
    }
}

/**
 * scope_export_describe_stop_english:
 *
 * Returns: (transfer full): for the files, in English: "Recording stopped at
 * 12.345678 s: the session reached its limit of 1000000 events. 42 events
 * (1234 bytes) after it were counted, not kept.", or "Recording did not
 * stop: nothing was dropped."
 */
char *
scope_export_describe_stop_english (ScopeRecorder *recorder)
{
  guint64 limit, events, bytes;
  const char *what;
  gint64 at;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  what = stop_limit_english (recorder, &limit);
  events = scope_recorder_get_dropped_events (recorder);
  bytes = scope_recorder_get_dropped_bytes (recorder);
  if (what == NULL)
    {
      if (events == 0)
        return g_strdup ("Recording did not stop: nothing was dropped.");
      return g_strdup_printf ("%" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT " %s) past the "
                              "recorder's limits %s counted, not kept.",
                              events, events == 1 ? "event" : "events",
                              bytes, bytes == 1 ? "byte" : "bytes",
                              events == 1 ? "was" : "were");
    }
  at = scope_recorder_get_stopped_us (recorder);
  return g_strdup_printf ("Recording stopped at %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " s: "
                          "the session reached its limit of %" G_GUINT64_FORMAT " %s. "
                          "%" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT " %s) after it %s "
                          "counted, not kept.",
                          at / G_USEC_PER_SEC, at % G_USEC_PER_SEC, limit, what,
                          events, events == 1 ? "event" : "events",
                          bytes, bytes == 1 ? "byte" : "bytes",
                          events == 1 ? "was" : "were");
}

/* Why recording stopped, in the user's language: "the session holds its
 * limit of 1000000 events"; NULL while it records. */
static char *
describe_stop_reason (ScopeRecorder *recorder)
{
  guint64 limit;
  g_autofree char *limit_text = NULL;

  stop_limit_english (recorder, &limit);
  limit_text = g_strdup_printf ("%" G_GUINT64_FORMAT, limit);
  switch (scope_recorder_get_state (recorder))
    {
    case SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is a number of events */
                                           "the session holds its limit of %s event",
                                           "the session holds its limit of %s events",
                                           plural_count (limit)), limit_text);
    case SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is a number of sockets */
                                           "the session holds its limit of %s socket",
                                           "the session holds its limit of %s sockets",
                                           plural_count (limit)), limit_text);
    case SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is a number of addresses
                                            * that datagrams came from or went to */
                                           "the session holds its limit of %s datagram peer",
                                           "the session holds its limit of %s datagram peers",
                                           plural_count (limit)), limit_text);
    case SCOPE_RECORDER_RECORDING:
    default:
      return NULL;
    }
}

static char *
format_stopped_at (ScopeRecorder *recorder)
{
  return g_strdup_printf ("%.3f", scope_recorder_get_stopped_us (recorder)
                                  / (double) G_USEC_PER_SEC);
}

/**
 * scope_export_describe_dropped:
 *
 * Returns: (transfer full) (nullable): in the user's language, how many
 * events were dropped since recording stopped (or past a limit): "5120
 * events since were counted, not kept."; %NULL when none was
 */
char *
scope_export_describe_dropped (ScopeRecorder *recorder)
{
  guint64 events;
  g_autofree char *events_text = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  events = scope_recorder_get_dropped_events (recorder);
  if (events == 0)
    return NULL;
  events_text = g_strdup_printf ("%" G_GUINT64_FORMAT, events);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: %s is a number of events */
                                       "%s event since was counted, not kept.",
                                       "%s events since were counted, not kept.",
                                       plural_count (events)), events_text);
}

/**
 * scope_export_describe_stop_point:
 *
 * Returns: (transfer full) (nullable): in the user's language, when and
 * why recording stopped, and nothing that changes after: "Recording
 * stopped at 12.345 s: the session holds its limit of 1000000 events.";
 * %NULL while it records
 */
char *
scope_export_describe_stop_point (ScopeRecorder *recorder)
{
  g_autofree char *reason = NULL;
  g_autofree char *at_text = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  reason = describe_stop_reason (recorder);
  if (reason == NULL)
    return NULL;
  at_text = format_stopped_at (recorder);
  /* Translators: the first %s is a time in seconds since the session
   * started ("12.345"), the second why recording stopped ("the session
   * holds its limit of 1000000 events") */
  return g_strdup_printf (_("Recording stopped at %s s: %s."), at_text, reason);
}

/**
 * scope_export_describe_stop:
 *
 * Returns: (transfer full) (nullable): in the user's language, why and
 * when recording stopped and what was dropped since; %NULL while the
 * recorder records and has dropped nothing
 */
char *
scope_export_describe_stop (ScopeRecorder *recorder)
{
  g_autofree char *dropped = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *at_text = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  reason = describe_stop_reason (recorder);
  dropped = scope_export_describe_dropped (recorder);
  if (reason == NULL && dropped == NULL)
    return NULL;
  if (reason == NULL)
    /* Translators: %s says how many events were counted, not kept */
    return g_strdup_printf (_("Some events came past the recorder’s limits: %s"), dropped);
  if (dropped == NULL)
    return scope_export_describe_stop_point (recorder);

  at_text = format_stopped_at (recorder);
  /* Translators: the first %s is a time in seconds since the session
   * started ("12.345"), the second why recording stopped ("the session
   * holds its limit of 1000000 events"), the third how many events were
   * dropped since */
  return g_strdup_printf (_("Recording stopped at %s s: %s. %s"), at_text, reason, dropped);
}

/* ---- file names --------------------------------------------------------- */

static const char * const extensions[] = {
  [SCOPE_EXPORT_PCAPNG] = ".pcapng",
  [SCOPE_EXPORT_CSV] = ".csv",
  [SCOPE_EXPORT_JSON] = ".json",
};

/**
 * scope_export_format_from_path:
 * @format: (out) (optional): the format the extension names
 *
 * Returns: whether the file name ends in .pcapng, .csv or .json, in any
 * case, after a name of at least one character
 */
gboolean
scope_export_format_from_path (const char        *path,
                               ScopeExportFormat *format)
{
  g_autofree char *name = NULL;
  gsize length;

  if (path == NULL || *path == '\0')
    return FALSE;

  name = g_path_get_basename (path);
  length = strlen (name);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      gsize ext_length = strlen (extensions[i]);

      if (length > ext_length
          && g_ascii_strcasecmp (name + length - ext_length, extensions[i]) == 0)
        {
          if (format != NULL)
            *format = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
scope_export_format_get_extension (ScopeExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (extensions), NULL);

  return extensions[format];
}

/* ---- addresses for packets ---------------------------------------------- */

typedef struct
{
  guint8  family;     /* 4 or 6; 0 when not an IP address */
  guint8  ip[16];     /* 4 or 16 bytes, network order */
  guint16 port;
} Endpoint;

static gboolean
endpoint_is_unspecified (const Endpoint *end)
{
  static const guint8 zeros[16];

  return memcmp (end->ip, zeros, end->family == 4 ? 4 : 16) == 0;
}

static gboolean
endpoint_is_loopback (const Endpoint *end)
{
  static const guint8 ipv6_loopback[16] = { [15] = 1 };

  if (end->family == 4)
    return end->ip[0] == 127;
  return memcmp (end->ip, ipv6_loopback, 16) == 0;
}

/* Reads back what scope_socket_address_to_string() wrote: "127.0.0.1:80",
 * "[::1]:80", "[fe80::1%eth0]:80". An IPv4-mapped IPv6 address (a
 * dual-stack socket's IPv4 peer) is the IPv4 address it stands for: on the
 * wire that was an IPv4 packet. */
static gboolean
endpoint_parse (const char *text,
                Endpoint   *end)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *port_text;
  guint64 port;
  const guint8 *bytes;

  memset (end, 0, sizeof *end);
  if (text == NULL)
    return FALSE;

  if (text[0] == '[')
    {
      const char *close = strstr (text, "]:");
      char *percent;

      if (close == NULL)
        return FALSE;
      host = g_strndup (text + 1, close - text - 1);
      percent = strchr (host, '%');
      if (percent != NULL)
        *percent = '\0';
      port_text = close + 2;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon == NULL)
        return FALSE;
      host = g_strndup (text, colon - text);
      port_text = colon + 1;
    }

  if (!g_ascii_string_to_unsigned (port_text, 10, 0, G_MAXUINT16, &port, NULL))
    return FALSE;
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;

  bytes = g_inet_address_to_bytes (address);
  end->port = (guint16) port;
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    {
      end->family = 4;
      memcpy (end->ip, bytes, 4);
    }
  else
    {
      static const guint8 mapped_prefix[12] = { [10] = 0xff, [11] = 0xff };

      if (memcmp (bytes, mapped_prefix, 12) == 0)
        {
          end->family = 4;
          memcpy (end->ip, bytes + 12, 4);
        }
      else
        {
          end->family = 6;
          memcpy (end->ip, bytes, 16);
        }
    }
  return TRUE;
}

/* A socket bound to 0.0.0.0 or :: sends from whichever address the route
 * gives: to a loopback peer, that peer's own loopback address. Returns
 * FALSE when the two ends cannot be one packet's. */
static gboolean
endpoint_complete_pair (Endpoint *ours,
                        Endpoint *theirs)
{
  if (ours->family != theirs->family)
    {
      if (!endpoint_is_unspecified (ours))
        return FALSE;
      ours->family = theirs->family;
      memset (ours->ip, 0, sizeof ours->ip);
    }
  if (endpoint_is_unspecified (ours) && endpoint_is_loopback (theirs))
    memcpy (ours->ip, theirs->ip, sizeof ours->ip);
  return TRUE;
}

static gboolean
endpoint_equal (const Endpoint *a,
                const Endpoint *b)
{
  return a->family == b->family && a->port == b->port
         && memcmp (a->ip, b->ip, a->family == 4 ? 4 : 16) == 0;
}

/* A key for a hash table: family, address and port, as text. */
static char *
endpoint_pair_key (const Endpoint *a,
                   const Endpoint *b)
{
  GString *key = g_string_new (NULL);
  const Endpoint *ends[] = { a, b };

  for (guint i = 0; i < 2; i++)
    {
      g_string_append_printf (key, "%u/", ends[i]->family);
      append_hex (key, ends[i]->ip, ends[i]->family == 4 ? 4 : 16);
      g_string_append_printf (key, "/%u ", ends[i]->port);
    }
  return g_string_free (key, FALSE);
}

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
  Endpoint end[2];       /* [0] the end it is written from, [1] its peer */
  guint    socket[2];    /* our socket at each end, or 0 */
  guint32  isn[2];       /* initial sequence numbers */
  guint64  sent[2];      /* bytes of each direction written so far */
  gboolean fin[2];
  gboolean open;         /* the handshake is written */
  guint    initiator;    /* the end that sent the SYN */
} TcpConversation;

typedef struct
{
  Sink              *sink;
  ScopeRecorder     *recorder;
  gint64             start_real_us;
  guint              n_sockets;
  TcpConversation  **conversation;  /* by socket id; NULL when not a TCP end */
  guint8            *side;          /* by socket id: 0 or 1 in its conversation */
  Endpoint          *udp_local;     /* by socket id; family 0 when not UDP */
  GPtrArray         *conversations;
  GString           *comment;
  guint16            ip_id;
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
write_packet (PcapExport     *px,
              gint64          time_us,
              const Endpoint *src,
              const Endpoint *dst,
              guint8          protocol,
              guint8         *l4_header,
              gsize           l4_size,
              const guint8   *payload,
              gsize           payload_size,
              const char     *comment)
{
  GString *out = px->sink->buffer;
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
  const Endpoint *src = &conv->end[from];
  const Endpoint *dst = &conv->end[1 - from];

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
  guint n = px->n_sockets;
  g_autofree Endpoint *local = g_new0 (Endpoint, n + 1);
  g_autofree Endpoint *peer = g_new0 (Endpoint, n + 1);
  g_autofree guint *partner = g_new0 (guint, n + 1);
  g_autoptr(GHashTable) open_ends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);

  for (guint id = 1; id <= n; id++)
    {
      const ScopeSocketInfo *info = scope_recorder_get_socket (px->recorder, id);

      if (info->protocol == SCOPE_PROTOCOL_UDP)
        {
          endpoint_parse (info->local_address, &px->udp_local[id]);
          continue;
        }
      if (info->protocol != SCOPE_PROTOCOL_TCP
          || (info->role != SCOPE_SOCKET_CLIENT && info->role != SCOPE_SOCKET_CONNECTION)
          || !endpoint_parse (info->local_address, &local[id])
          || !endpoint_parse (info->peer_address, &peer[id])
          || !endpoint_complete_pair (&local[id], &peer[id]))
        {
          local[id].family = 0;
          continue;
        }
      partner[id] = info->peer_id;
    }

  for (guint id = 1; id <= n; id++)
    {
      const ScopeSocketInfo *info = scope_recorder_get_socket (px->recorder, id);
      g_autofree char *mine = NULL;
      g_autofree char *theirs = NULL;
      gpointer other;

      if (local[id].family == 0 || partner[id] != 0)
        continue;
      theirs = endpoint_pair_key (&peer[id], &local[id]);
      other = g_hash_table_lookup (open_ends, theirs);
      if (other != NULL)
        {
          guint o = GPOINTER_TO_UINT (other);
          const ScopeSocketInfo *other_info = scope_recorder_get_socket (px->recorder, o);

          /* No test of lifetimes: a server end may have sent, and closed,
           * before the client's end was even recorded (tcp-message). A later
           * connection with the same addresses pairs with a later end: each
           * end pairs once, the earliest first. */
          if (other_info->role != info->role)
            {
              partner[id] = o;
              partner[o] = id;
              g_hash_table_remove (open_ends, theirs);
              continue;
            }
        }
      mine = endpoint_pair_key (&local[id], &peer[id]);
      g_hash_table_replace (open_ends, g_steal_pointer (&mine), GUINT_TO_POINTER (id));
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
pcap_udp_sender_is_ours (PcapExport     *px,
                         guint           receiver,
                         const Endpoint *from)
{
  for (guint id = 1; id <= px->n_sockets; id++)
    {
      const Endpoint *end = &px->udp_local[id];

      if (id == receiver || end->family == 0 || end->port != from->port)
        continue;
      if (endpoint_is_unspecified (end) ? (end->family == 6 || from->family == 4)
                                        : endpoint_equal (end, from))
        return TRUE;
    }
  return FALSE;
}

static void
pcap_udp (PcapExport            *px,
          const ScopeSocketInfo *info,
          const ScopeRecord     *record,
          const char            *base)
{
  Endpoint ours = px->udp_local[record->socket_id];
  Endpoint theirs;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *payload = NULL;
  guint8 header[8] = { 0 };
  gboolean outgoing = record->kind == SCOPE_EVENT_SENDTO;
  const Endpoint *src = outgoing ? &ours : &theirs;
  const Endpoint *dst = outgoing ? &theirs : &ours;
  gsize length = 8 + (gsize) record->size;

  if (ours.family == 0
      || !endpoint_parse (scope_recorder_get_record_peer (px->recorder, record->index), &theirs)
      || !endpoint_complete_pair (&ours, &theirs))
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
  write_packet (px, record->time_us, src, dst, 17, header, 8, payload, record->size, base);
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
        tcp_open (px, record->time_us, conv, base);
        tcp_data (px, record->time_us, conv, from, record->stream_offset, record->size,
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

static void
pcap_write_header (PcapExport *px,
                   guint64     n_events)
{
  GString *out = px->sink->buffer;
  g_autofree char *application = g_strdup_printf ("Sockscope %s", scope_version_string ());
  g_autofree char *truncation = describe_truncation_english (px->recorder);
  g_autofree char *started = format_iso8601 (px->start_real_us);
  g_autoptr(GString) summary = g_string_new (NULL);
  guint64 n_unix = 0, n_other = 0;
  gsize start;

  /* What is not a packet, counted, so a reader knows what is missing. */
  for (guint64 i = 0; i < n_events; i++)
    {
      ScopeRecord record;
      const ScopeSocketInfo *info;

      scope_recorder_get_record (px->recorder, i, &record);
      info = scope_recorder_get_socket (px->recorder, record.socket_id);
      if (info->protocol == SCOPE_PROTOCOL_UNIX)
        n_unix++;
      else if (record.kind == SCOPE_EVENT_LISTEN || record.kind == SCOPE_EVENT_READABLE
               || record.kind == SCOPE_EVENT_ERROR || record.kind == SCOPE_EVENT_REFUSED)
        n_other++;
    }

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
  put_option (out, start, 1, truncation);
  if (scope_recorder_get_state (px->recorder) != SCOPE_RECORDER_RECORDING
      || scope_recorder_get_dropped_events (px->recorder) > 0)
    {
      g_autofree char *stop = scope_export_describe_stop_english (px->recorder);

      put_option (out, start, 1, stop);
    }
  if (n_unix > 0 || n_other > 0)
    {
      g_autoptr(GString) left_out = g_string_new ("Not packets, so in the CSV and JSON exports "
                                                  "only: ");

      if (n_unix > 0)
        append_count (left_out, n_unix, "Unix socket event", "Unix socket events");
      if (n_unix > 0 && n_other > 0)
        g_string_append (left_out, " and ");
      if (n_other > 0)
        append_count (left_out, n_other, "listen, readable, refused or error event",
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

static gboolean
export_pcapng (ScopeRecorder *recorder,
               Sink          *sink,
               GError       **error)
{
  PcapExport px = { 0 };
  guint64 n_events = scope_recorder_get_n_events (recorder);
  g_autoptr(GPtrArray) conversations = g_ptr_array_new_with_free_func (tcp_conversation_free);
  g_autoptr(GString) comment = g_string_new (NULL);
  g_autoptr(GString) base = g_string_new (NULL);
  g_autofree TcpConversation **by_socket = NULL;
  g_autofree guint8 *side = NULL;
  g_autofree Endpoint *udp_local = NULL;

  px.sink = sink;
  px.recorder = recorder;
  px.start_real_us = scope_recorder_get_start_real_time (recorder);
  px.n_sockets = scope_recorder_get_n_sockets (recorder);
  px.conversation = by_socket = g_new0 (TcpConversation *, px.n_sockets + 1);
  px.side = side = g_new0 (guint8, px.n_sockets + 1);
  px.udp_local = udp_local = g_new0 (Endpoint, px.n_sockets + 1);
  px.conversations = conversations;
  px.comment = comment;

  pcap_write_header (&px, n_events);
  pcap_find_conversations (&px);

  for (guint64 i = 0; i < n_events; i++)
    {
      ScopeRecord record;
      const ScopeSocketInfo *info;

      scope_recorder_get_record (recorder, i, &record);
      info = scope_recorder_get_socket (recorder, record.socket_id);
      describe_event (base, info, &record);
      if (info->protocol == SCOPE_PROTOCOL_TCP)
        pcap_tcp (&px, &record, base->str);
      else if (info->protocol == SCOPE_PROTOCOL_UDP
               && (record.kind == SCOPE_EVENT_SENDTO || record.kind == SCOPE_EVENT_RECVFROM))
        pcap_udp (&px, info, &record, base->str);

      if (!sink_event_done (sink, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- CSV ---------------------------------------------------------------- */

/* Whether a spreadsheet would take a field for a formula (OWASP's rule on
 * CSV injection): what a peer sent, "=HYPERLINK(…)", must stay text. */
static gboolean
csv_looks_like_formula (const char *text,
                        gsize       size)
{
  return size > 0 && text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL;
}

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its
 * quotes doubled. One a spreadsheet would run as a formula is quoted too,
 * and starts with an apostrophe, which spreadsheets read as "this is
 * text"; the bytes_hex column keeps the exact bytes. */
static void
csv_field_len (GString    *out,
               const char *text,
               gsize       size,
               gboolean    last)
{
  gboolean formula = csv_looks_like_formula (text, size);
  gboolean quote = formula;

  for (gsize i = 0; i < size && !quote; i++)
    quote = text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
  if (quote)
    {
      g_string_append_c (out, '"');
      if (formula)
        g_string_append_c (out, '\'');
      for (gsize i = 0; i < size; i++)
        {
          if (text[i] == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, text[i]);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append_len (out, text, size);
  g_string_append (out, last ? "\r\n" : ",");
}

static void
csv_field (GString    *out,
           const char *text,
           gboolean    last)
{
  csv_field_len (out, text ? text : "", text ? strlen (text) : 0, last);
}

static void
csv_number (GString *out,
            guint64  value)
{
  append_uint64 (out, value);
  g_string_append_c (out, ',');
}

typedef struct
{
  char *label;
  char *local;
  char *peer;
} SocketText;

static void
socket_texts_free (SocketText *texts,
                   guint       n)
{
  for (guint i = 0; i <= n; i++)
    {
      g_free (texts[i].label);
      g_free (texts[i].local);
      g_free (texts[i].peer);
    }
  g_free (texts);
}

/* Each socket's strings made valid UTF-8 once, not once per event. */
static SocketText *
socket_texts_new (ScopeRecorder *recorder)
{
  guint n = scope_recorder_get_n_sockets (recorder);
  SocketText *texts = g_new0 (SocketText, n + 1);

  for (guint id = 1; id <= n; id++)
    {
      const ScopeSocketInfo *info = scope_recorder_get_socket (recorder, id);

      texts[id].label = dup_valid_utf8 (info->label);
      texts[id].local = dup_valid_utf8 (info->local_address);
      texts[id].peer = dup_valid_utf8 (info->peer_address);
    }
  return texts;
}

/* The text as it is when it is valid UTF-8, which it nearly always is;
 * otherwise a valid copy in @fixed. */
static const char *
valid_utf8 (const char  *text,
            char       **fixed)
{
  g_clear_pointer (fixed, g_free);
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return text;
  *fixed = g_utf8_make_valid (text, -1);
  return *fixed;
}

static gboolean
export_csv (ScopeRecorder *recorder,
            Sink          *sink,
            GError       **error)
{
  GString *out = sink->buffer;
  guint64 n_events = scope_recorder_get_n_events (recorder);
  guint n_sockets = scope_recorder_get_n_sockets (recorder);
  SocketText *texts = socket_texts_new (recorder);
  gboolean ok = TRUE;

  g_string_append (out, "index,time_us,socket,role,protocol,label,local,peer,kind,size,"
                   "stream_offset,other_socket,truncated,error_code,error_message,bytes_hex,"
                   "text\r\n");

  for (guint64 i = 0; i < n_events && ok; i++)
    {
      ScopeRecord record;
      const ScopeSocketInfo *info;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *message = NULL;
      g_autofree char *fixed_peer = NULL;
      const char *peer;

      scope_recorder_get_record (recorder, i, &record);
      info = scope_recorder_get_socket (recorder, record.socket_id);
      peer = valid_utf8 (scope_recorder_get_record_peer (recorder, i), &fixed_peer);

      csv_number (out, record.index);
      csv_number (out, (guint64) record.time_us);
      csv_number (out, record.socket_id);
      csv_field (out, role_to_string (info->role), FALSE);
      csv_field (out, protocol_to_string (info->protocol), FALSE);
      csv_field (out, texts[record.socket_id].label, FALSE);
      csv_field (out, texts[record.socket_id].local, FALSE);
      csv_field (out, peer, FALSE);
      csv_field (out, scope_event_kind_to_string (record.kind), FALSE);
      csv_number (out, record.size);
      csv_number (out, record.stream_offset);
      if (record.kind == SCOPE_EVENT_ACCEPT)
        csv_number (out, record.aux);
      else
        csv_field (out, NULL, FALSE);
      csv_field (out, record.truncated ? "true" : "false", FALSE);
      if (record.kind == SCOPE_EVENT_ERROR)
        {
          g_autofree char *fixed = NULL;

          message = scope_recorder_dup_error_message (recorder, i);
          csv_field (out, error_code_to_string (record.aux), FALSE);
          csv_field (out, valid_utf8 (message, &fixed), FALSE);
        }
      else
        {
          csv_field (out, NULL, FALSE);
          csv_field (out, NULL, FALSE);
        }

      if (record.has_payload)
        bytes = scope_recorder_dup_payload (recorder, i);
      if (bytes != NULL)
        {
          gsize size;
          const guint8 *data = g_bytes_get_data (bytes, &size);

          append_hex (out, data, size);
          g_string_append_c (out, ',');
          if (payload_is_text (data, size))
            csv_field_len (out, (const char *) data, size, TRUE);
          else
            csv_field (out, NULL, TRUE);
        }
      else
        g_string_append (out, ",\r\n");

      ok = sink_event_done (sink, error);
    }

  /* A spreadsheet has no header to say it in: the stop is the last row. */
  if (ok && (scope_recorder_get_state (recorder) != SCOPE_RECORDER_RECORDING
             || scope_recorder_get_dropped_events (recorder) > 0))
    {
      g_autofree char *stop = scope_export_describe_stop_english (recorder);
      gint64 at = scope_recorder_get_stopped_us (recorder);

      csv_number (out, n_events);
      if (at >= 0)
        csv_number (out, (guint64) at);
      else
        csv_field (out, NULL, FALSE);
      for (guint k = 0; k < 6; k++)
        csv_field (out, NULL, FALSE);
      csv_field (out, "stopped", FALSE);
      for (guint k = 0; k < 5; k++)
        csv_field (out, NULL, FALSE);
      csv_field (out, stop, FALSE);
      csv_field (out, NULL, FALSE);
      csv_field (out, NULL, TRUE);
      ok = sink_maybe_flush (sink, error);
    }

  socket_texts_free (texts, n_sockets);
  return ok;
}

/* ---- JSON --------------------------------------------------------------- */

/* The events are written by hand, one object a line, so a million of them
 * never become a tree of nodes; the header and the sockets, a few, go
 * through json-glib. The input is valid UTF-8. */
static void
json_string (GString    *out,
             const char *text,
             gsize       size)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < size; i++)
    {
      guchar c = (guchar) text[i];
      gsize run = i;

      /* Plain bytes go in runs. */
      while (run < size && (guchar) text[run] >= 0x20 && text[run] != '"' && text[run] != '\\'
             && text[run] != 0x7f)
        run++;
      if (run > i)
        {
          g_string_append_len (out, text + i, run - i);
          i = run - 1;
          continue;
        }

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
json_member_string (GString    *out,
                    const char *name,
                    const char *text)
{
  g_string_append (out, ",\"");
  g_string_append (out, name);
  g_string_append (out, "\":");
  json_string (out, text, strlen (text));
}

static void
json_member_number (GString    *out,
                    const char *name,
                    guint64     value)
{
  g_string_append (out, ",\"");
  g_string_append (out, name);
  g_string_append (out, "\":");
  append_uint64 (out, value);
}

static void
builder_add_text (JsonBuilder *builder,
                  const char  *name,
                  const char  *text)
{
  g_autofree char *valid = dup_valid_utf8 (text);

  json_builder_set_member_name (builder, name);
  if (valid != NULL)
    json_builder_add_string_value (builder, valid);
  else
    json_builder_add_null_value (builder);
}

static void
builder_add_int (JsonBuilder *builder,
                 const char  *name,
                 gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
json_append_node (GString     *out,
                  JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  json_generator_to_gstring (generator, out);
}

static void
json_write_header (ScopeRecorder *recorder,
                   GString       *out,
                   guint64        n_events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *app = g_strdup_printf ("Sockscope %s", scope_version_string ());
  g_autofree char *started = format_iso8601 (scope_recorder_get_start_real_time (recorder));
  g_autofree char *truncation = describe_truncation_english (recorder);
  g_autofree char *stop = scope_export_describe_stop_english (recorder);

  json_builder_begin_object (builder);
  builder_add_text (builder, "format", "sockscope-session");
  builder_add_int (builder, "version", 1);
  builder_add_text (builder, "app", app);
  builder_add_text (builder, "app_version", scope_version_string ());
  builder_add_text (builder, "start_time", started);
  builder_add_int (builder, "start_time_us", scope_recorder_get_start_real_time (recorder));
  builder_add_int (builder, "n_events", (gint64) n_events);
  builder_add_int (builder, "n_sockets", scope_recorder_get_n_sockets (recorder));
  builder_add_int (builder, "payload_cap",
                        (gint64) scope_recorder_get_payload_cap (recorder));
  builder_add_int (builder, "stored_bytes",
                        (gint64) scope_recorder_get_stored_bytes (recorder));
  builder_add_int (builder, "truncated_events",
                        (gint64) scope_recorder_get_truncated_events (recorder));
  builder_add_int (builder, "truncated_bytes",
                        (gint64) scope_recorder_get_truncated_bytes (recorder));
  builder_add_text (builder, "truncation", truncation);
  builder_add_int (builder, "event_limit", (gint64) scope_recorder_get_event_limit (recorder));
  builder_add_int (builder, "socket_limit", scope_recorder_get_socket_limit (recorder));
  builder_add_int (builder, "peer_limit", scope_recorder_get_peer_limit (recorder));
  builder_add_text (builder, "recording",
                    scope_recorder_get_state (recorder) == SCOPE_RECORDER_RECORDING
                    ? "complete" : "stopped");
  json_builder_set_member_name (builder, "stopped_us");
  if (scope_recorder_get_stopped_us (recorder) >= 0)
    json_builder_add_int_value (builder, scope_recorder_get_stopped_us (recorder));
  else
    json_builder_add_null_value (builder);
  builder_add_int (builder, "dropped_events",
                   (gint64) scope_recorder_get_dropped_events (recorder));
  builder_add_int (builder, "dropped_bytes", (gint64) scope_recorder_get_dropped_bytes (recorder));
  builder_add_text (builder, "stop", stop);
  json_builder_end_object (builder);

  g_string_append (out, "{\"header\":");
  json_append_node (out, builder);
}

static void
json_write_socket (GString               *out,
                   const ScopeSocketInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  builder_add_int (builder, "id", info->id);
  builder_add_text (builder, "role", role_to_string (info->role));
  builder_add_text (builder, "protocol", protocol_to_string (info->protocol));
  builder_add_text (builder, "label", info->label);
  builder_add_text (builder, "local", info->local_address);
  builder_add_text (builder, "peer", info->peer_address);
  json_builder_set_member_name (builder, "parent");
  if (info->parent_id != 0)
    json_builder_add_int_value (builder, info->parent_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "peer_socket");
  if (info->peer_id != 0)
    json_builder_add_int_value (builder, info->peer_id);
  else
    json_builder_add_null_value (builder);
  builder_add_int (builder, "opened_us", info->opened_us);
  json_builder_set_member_name (builder, "closed_us");
  if (info->closed_us >= 0)
    json_builder_add_int_value (builder, info->closed_us);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_append_node (out, builder);
}

static gboolean
export_json (ScopeRecorder *recorder,
             Sink          *sink,
             GError       **error)
{
  GString *out = sink->buffer;
  guint64 n_events = scope_recorder_get_n_events (recorder);
  guint n_sockets = scope_recorder_get_n_sockets (recorder);

  json_write_header (recorder, out, n_events);

  g_string_append (out, ",\n\"sockets\":[");
  for (guint id = 1; id <= n_sockets; id++)
    {
      g_string_append (out, id > 1 ? ",\n" : "\n");
      json_write_socket (out, scope_recorder_get_socket (recorder, id));
      if (!sink_maybe_flush (sink, error))
        return FALSE;
    }

  g_string_append (out, "],\n\"events\":[");
  for (guint64 i = 0; i < n_events; i++)
    {
      ScopeRecord record;
      const char *peer = scope_recorder_get_record_peer (recorder, i);

      scope_recorder_get_record (recorder, i, &record);
      g_string_append (out, i > 0 ? ",\n{\"index\":" : "\n{\"index\":");
      append_uint64 (out, record.index);
      json_member_number (out, "time_us", (guint64) record.time_us);
      json_member_number (out, "socket", record.socket_id);
      json_member_string (out, "kind", scope_event_kind_to_string (record.kind));
      json_member_number (out, "size", record.size);
      json_member_number (out, "stream_offset", record.stream_offset);
      g_string_append_printf (out, ",\"truncated\":%s", record.truncated ? "true" : "false");
      if (peer != NULL)
        {
          g_autofree char *fixed = NULL;

          json_member_string (out, "peer", valid_utf8 (peer, &fixed));
        }
      if (record.kind == SCOPE_EVENT_ACCEPT)
        json_member_number (out, "accepted", record.aux);
      if (record.kind == SCOPE_EVENT_ERROR)
        {
          g_autofree char *message = scope_recorder_dup_error_message (recorder, i);

          json_member_string (out, "error_code", error_code_to_string (record.aux));
          if (message != NULL)
            {
              g_autofree char *fixed = NULL;

              json_member_string (out, "message", valid_utf8 (message, &fixed));
            }
        }
      if (record.has_payload)
        {
          g_autoptr(GBytes) bytes = scope_recorder_dup_payload (recorder, i);
          gsize size;
          const guint8 *data = g_bytes_get_data (bytes, &size);

          g_string_append (out, ",\"hex\":\"");
          append_hex (out, data, size);
          g_string_append_c (out, '"');
          if (payload_is_text (data, size))
            {
              g_string_append (out, ",\"text\":");
              json_string (out, (const char *) data, size);
            }
        }
      g_string_append_c (out, '}');

      if (!sink_event_done (sink, error))
        return FALSE;
    }
  g_string_append (out, "\n]}\n");
  return TRUE;
}

/* ---- writing ------------------------------------------------------------ */

/**
 * scope_export_write_full:
 * @out: where to write; left open
 * @progress: (nullable): told of the events written now and then
 *
 * Writes every event appended so far, in @format.
 *
 * Returns: whether all was written; @error says why not
 */
gboolean
scope_export_write_full (ScopeRecorder        *recorder,
                         ScopeExportFormat     format,
                         GOutputStream        *out,
                         ScopeExportProgress   progress,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (SINK_FLUSH_SIZE + 4096);
  Sink sink = { out, cancellable, buffer, progress, progress_data, 0, 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (format < G_N_ELEMENTS (extensions), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sink.total = scope_recorder_get_n_events (recorder);
  switch (format)
    {
    case SCOPE_EXPORT_PCAPNG:
      ok = export_pcapng (recorder, &sink, error);
      break;
    case SCOPE_EXPORT_CSV:
      ok = export_csv (recorder, &sink, error);
      break;
    case SCOPE_EXPORT_JSON:
      ok = export_json (recorder, &sink, error);
      break;
    default:
      g_assert_not_reached ();
    }

  return ok && sink_flush (&sink, error) && g_output_stream_flush (out, cancellable, error);
}

gboolean
scope_export_write (ScopeRecorder      *recorder,
                    ScopeExportFormat   format,
                    GOutputStream      *out,
                    GCancellable       *cancellable,
                    GError            **error)
{
  return scope_export_write_full (recorder, format, out, NULL, NULL, cancellable, error);
}

/* A file being written: a temporary file beside the target, made when the
 * export is asked for, so that a folder that cannot be written to is said
 * at once, not when the session ends; renamed over the target once
 * complete and on disk, so that the target is never half a file. */
struct _ScopeExportFile
{
  char              *path;
  char              *temp_path;
  ScopeExportFormat  format;
  int                fd;
};

/* What went wrong with a session file, in words, then the errno name:
 * "Could not write “session.pcapng”: the folder “/mnt/cd” is on a
 * read-only file system (EROFS)". */
static void
set_file_error (GError     **error,
                int          errnum,
                const char  *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *folder_path = g_path_get_dirname (path);
  g_autofree char *folder = g_filename_display_name (folder_path);
  g_autofree char *whole = g_filename_display_name (path);
  g_autofree char *why = NULL;
  const char *errno_name = scope_errno_name (errnum);

  switch (errnum)
    {
    case EISDIR:
      /* Translators: %s is a folder's path */
      why = g_strdup_printf (_("“%s” is a folder: name a file in it, ending in .pcapng, .csv "
                               "or .json"), whole);
      break;
    case EEXIST:
      /* Translators: %s is a path */
      why = g_strdup_printf (_("“%s” is not a regular file (a device, a FIFO or a socket), and "
                               "only a regular file is replaced by a session"), whole);
      break;
    case ENOENT:
    case ENOTDIR:
      if (g_file_test (folder_path, G_FILE_TEST_IS_DIR))
        /* Translators: %s is a folder's path, e.g. /proc */
        why = g_strdup_printf (_("no file can be created in the folder “%s”"), folder);
      else if (g_file_test (folder_path, G_FILE_TEST_EXISTS))
        /* Translators: %s is a path */
        why = g_strdup_printf (_("“%s” is a file, not a folder"), folder);
      else
        /* Translators: %s is a folder's path */
        why = g_strdup_printf (_("the folder “%s” does not exist"), folder);
      break;
    case EACCES:
    case EPERM:
      /* Translators: %s is a folder's path */
      why = g_strdup_printf (_("you may not create files in the folder “%s”"), folder);
      break;
#ifdef EROFS
    case EROFS:
      /* Translators: %s is a folder's path */
      why = g_strdup_printf (_("the folder “%s” is on a read-only file system"), folder);
      break;
#endif
    case ENOSPC:
      /* Translators: %s is a folder's path */
      why = g_strdup_printf (_("there is no space left on the disk of “%s”"), folder);
      break;
#ifdef EFBIG
    case EFBIG:
      why = g_strdup (_("the file would be larger than this system allows"));
      break;
#endif
    default:
      why = g_strdup (g_strerror (errnum));
      break;
    }
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errnum),
               /* Translators: the first %s is a file name, the second what went
                * wrong, in words, the third the errno name (EROFS) */
               _("Could not write “%s”: %s (%s)"), name, why,
               errno_name != NULL ? errno_name : "errno");
}

/**
 * scope_export_file_open:
 *
 * Makes the temporary file the session will be written to beside @path,
 * and checks that @path can be replaced by it.
 *
 * Returns: (transfer full) (nullable): the file, or %NULL with @error in
 * words for the user
 */
ScopeExportFile *
scope_export_file_open (const char         *path,
                        ScopeExportFormat   format,
                        GError            **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  g_autofree char *resolved = NULL;
  ScopeExportFile *file;
  GStatBuf st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

#ifdef G_OS_UNIX
  /* A symbolic link is written through, not replaced: the rename goes to
   * the file it names. */
  if (g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode))
    {
      char *real = realpath (path, NULL);

      if (real != NULL)
        {
          resolved = g_strdup (real);
          free (real);
          path = resolved;
        }
    }
#endif
  if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      set_file_error (error, EISDIR, path);
      return NULL;
    }
  /* A device or a FIFO would be replaced by the rename, not written to:
   * as root, /dev/null itself. Only a regular file is replaced. */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      set_file_error (error, EEXIST, path);
      return NULL;
    }

  folder = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  template = g_strdup_printf ("%s%c.%s.XXXXXX", folder, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (template, O_RDWR, 0666);
  if (fd < 0)
    {
      set_file_error (error, errno, path);
      return NULL;
    }

  file = g_new0 (ScopeExportFile, 1);
  file->path = g_strdup (path);
  file->temp_path = g_steal_pointer (&template);
  file->format = format;
  file->fd = fd;
  return file;
}

/**
 * scope_export_file_abandon:
 *
 * Removes the temporary file and frees @file; the target is left as it
 * was.
 */
void
scope_export_file_abandon (ScopeExportFile *file)
{
  if (file == NULL)
    return;
  if (file->fd >= 0)
    g_close (file->fd, NULL);
  g_unlink (file->temp_path);
  g_free (file->path);
  g_free (file->temp_path);
  g_free (file);
}

const char *
scope_export_file_get_path (ScopeExportFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);

  return file->path;
}

/**
 * scope_export_file_commit:
 * @progress: (nullable): told of the events written now and then
 *
 * Writes the session to the temporary file, makes sure it is on disk, and
 * renames it over the target. Frees @file, whatever happens; on failure
 * the temporary file is removed and the target left as it was.
 *
 * Returns: whether the target now holds the session; @error says why not,
 * in words for the user
 */
gboolean
scope_export_file_commit (ScopeExportFile      *file,
                          ScopeRecorder        *recorder,
                          ScopeExportProgress   progress,
                          gpointer              progress_data,
                          GError              **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), FALSE);

#ifdef G_OS_UNIX
  stream = g_unix_output_stream_new (file->fd, FALSE);
#else
  {
    g_autoptr(GFile) temp = g_file_new_for_path (file->temp_path);

    g_close (file->fd, NULL);
    file->fd = -1;
    stream = G_OUTPUT_STREAM (g_file_replace (temp, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                              &local_error));
  }
#endif
  ok = stream != NULL
       && scope_export_write_full (recorder, file->format, stream, progress, progress_data,
                                   NULL, &local_error)
       && g_output_stream_close (stream, NULL, &local_error);
#ifdef G_OS_UNIX
  if (ok && fsync (file->fd) != 0)
    {
      set_file_error (error, errno, file->path);
      scope_export_file_abandon (file);
      return FALSE;
    }
#endif
  if (ok && file->fd >= 0)
    {
      ok = g_close (file->fd, &local_error);
      file->fd = -1;
    }
  if (ok && g_rename (file->temp_path, file->path) != 0)
    {
      set_file_error (error, errno, file->path);
      scope_export_file_abandon (file);
      return FALSE;
    }

  if (!ok)
    {
      g_autofree char *name = g_filename_display_basename (file->path);

      /* Translators: the first %s is a file name, the second what went wrong */
      g_set_error (error, local_error->domain, local_error->code, _("Could not write “%s”: %s"),
                   name, local_error->message);
      scope_export_file_abandon (file);
      return FALSE;
    }
  g_free (file->path);
  g_free (file->temp_path);
  g_free (file);
  return TRUE;
}

/**
 * scope_export_to_file:
 *
 * Writes the session to @path through a temporary file beside it that
 * replaces it only once complete; when anything fails, an existing file is
 * left as it was.
 *
 * Returns: whether the file was written; @error says why not, in words for
 * the user
 */
gboolean
scope_export_to_file (ScopeRecorder      *recorder,
                      const char         *path,
                      ScopeExportFormat   format,
                      GError            **error)
{
  ScopeExportFile *file;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = scope_export_file_open (path, format, error);
  return file != NULL && scope_export_file_commit (file, recorder, NULL, NULL, error);
}
