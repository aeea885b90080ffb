/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cli-common.h"
#include "cli-events.h"
#include "cli-send.h"
#include "scope-client.h"
#include "scope-errors.h"
#include "scope-resolver.h"
#include "scope-payload.h"

/* sockscope-cli send HOST PORT [PAYLOAD]: the app's client at a terminal.
 * Connects, sends (in chunks if asked), optionally shuts down writing, and
 * prints what comes back until the peer closes or stays silent for the
 * timeout; with --record, writes the session's events at the end.
 *
 * Whatever the peer does, it ends: after --max-receive bytes received,
 * --max-send bytes of a file sent, or --max-time seconds in all. What the
 * peer sends is printed as it is to a pipe or a file, and made harmless on
 * a terminal. */

#define DEFAULT_MAX_RECEIVE (G_GUINT64_CONSTANT (64) * 1024 * 1024)
#define DEFAULT_MAX_TIME_S  60
/* Datagrams from a third party said one by one; past these, counted. */
#define STRAYS_SAID         10

enum {
  EXIT_FAILED = 1,
  EXIT_BAD_INPUT = 2,
  EXIT_LIMIT = 3,
  EXIT_SIGNAL = 130,
};

typedef struct
{
  GMainLoop   *loop;
  ScopeClient *client;
  gboolean     shutdown;
  gboolean     print_data;
  gboolean     terminal;      /* standard output is one: escape what the peer sends */
  gboolean     udp;
  gboolean     connecting;
  int          status;

  /* What to send */
  GBytes       *payload;
  GInputStream *stream;
  guint64       stream_max;
  const char   *file;
  guint64       file_size;
  gboolean      file_whole;   /* a regular file, sent up to the size it had */
  gsize         chunk;
  guint         delay;

  /* Limits */
  guint64      received;
  guint64      max_receive;
  guint64      max_send;
  guint        max_time_s;
  guint        max_time_timer;

  /* A character split between two reads, held for the terminal */
  guint8       carry[4];
  gsize        n_carry;
  gboolean     at_line_start;

  guint64      strays;
  guint64      stray_bytes;
} SendRun;

/* Returns 1, as cli_fail() does. */
static int
say_failure (const char *message)
{
  return cli_fail ("send", message);
}

static char *
format_bytes (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
}

/* The worst outcome decides the exit status: a signal, then a failure,
 * then a limit. */
static void
set_status (SendRun *run,
            int      status)
{
  static const int order[] = { 0, EXIT_LIMIT, EXIT_FAILED, EXIT_SIGNAL };
  guint old_rank = 0, new_rank = 0;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      if (order[i] == run->status)
        old_rank = i;
      if (order[i] == status)
        new_rank = i;
    }
  if (new_rank > old_rank)
    run->status = status;
}

static void
stop (SendRun *run,
      int      status)
{
  set_status (run, status);
  scope_client_close (run->client);
  g_main_loop_quit (run->loop);
}

/* How many bytes at the end of @data begin a character whose other bytes
 * are still to come. */
static gsize
incomplete_tail (const guint8 *data,
                 gsize         size)
{
  for (gsize k = 1; k <= MIN (size, 3); k++)
    {
      guint8 b = data[size - k];
      gsize needed;

      if ((b & 0xc0) == 0x80)
        continue;
      if (b < 0xc0)
        return 0;
      needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return needed > k ? k : 0;
    }
  return 0;
}

/* What the peer sent, for a terminal: control characters as escapes (an
 * ESC sequence could set the title, clear the screen or remap keys), line
 * breaks kept so that text stays readable. A character split between two
 * reads is held back until its end comes, unless @whole. */
static void
print_for_terminal (SendRun      *run,
                    const guint8 *data,
                    gsize         size,
                    gboolean      whole)
{
  g_autoptr(GByteArray) all = g_byte_array_sized_new (run->n_carry + size);
  gsize start = 0, end;

  g_byte_array_append (all, run->carry, run->n_carry);
  if (size > 0)
    g_byte_array_append (all, data, size);
  end = all->len - (whole ? 0 : incomplete_tail (all->data, all->len));
  for (gsize i = 0; i <= end; i++)
    if (i == end || all->data[i] == '\n')
      {
        g_autofree char *text = scope_payload_render_text (all->data + start, i - start);

        fputs (text, stdout);
        if (i < end)
          fputc ('\n', stdout);
        start = i + 1;
      }
  if (end > 0)
    run->at_line_start = all->data[end - 1] == '\n';
  run->n_carry = all->len - end;
  if (run->n_carry > 0)
    memcpy (run->carry, all->data + end, run->n_carry);
  fflush (stdout);
}

static void
write_answer (SendRun      *run,
            const guint8 *data,
            gsize         size,
            gboolean      whole)
{
  if (run->terminal)
    print_for_terminal (run, data, size, whole);
  else if (size > 0)
    {
      fwrite (data, 1, size, stdout);
      fflush (stdout);
    }
}

/* Counts @size received bytes against --max-receive; returns how many of
 * them are within it. */
static gsize
take_received (SendRun *run,
               gsize    size)
{
  guint64 left;

  if (run->max_receive == 0)
    {
      run->received += size;
      return size;
    }
  left = run->max_receive - run->received;
  size = (gsize) MIN ((guint64) size, left);
  run->received += size;
  return size;
}

static void
stop_at_max_receive (SendRun *run)
{
  g_autofree char *bytes = format_bytes (run->max_receive);

  if (run->terminal && run->print_data && !run->at_line_start)
    write_answer (run, (const guint8 *) "\n", 1, TRUE);
  /* Translators: a size in bytes; --max-receive is an option, not to be translated */
  g_printerr (_("Stopped: %s received, the limit of --max-receive. Give a larger one, or 0 for "
                "no limit\n"), bytes);
  stop (run, EXIT_LIMIT);
}

static void
on_received (ScopeClient *client,
             GBytes      *bytes,
             SendRun     *run)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize kept = take_received (run, size);

  if (run->print_data && run->udp)
    {
      g_autofree char *from = cli_for_terminal (scope_client_get_remote_address (client));
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, size);

      /* Translators: a number of bytes, then the address it came from */
      g_printerr (ngettext ("A datagram of %s byte from %s:\n", "A datagram of %s bytes from %s:\n",
                            (gulong) MIN (size, G_MAXULONG)), count, from);
    }
  if (run->print_data)
    {
      write_answer (run, data, kept, run->udp);
      /* On a terminal, the next datagram's line starts a line of its own. */
      if (run->udp && run->terminal && !run->at_line_start)
        write_answer (run, (const guint8 *) "\n", 1, TRUE);
    }
  if (kept < size)
    stop_at_max_receive (run);
}

/* A datagram from someone else than the target is not the answer: it is
 * said, with its source, and not printed with the answer. */
static void
on_stray_datagram (ScopeClient *client,
                   GBytes      *bytes,
                   const char  *source,
                   SendRun     *run)
{
  gsize size = g_bytes_get_size (bytes);
  gsize kept = take_received (run, size);

  run->strays++;
  run->stray_bytes += size;
  if (run->strays <= STRAYS_SAID)
    {
      g_autofree char *from = cli_for_terminal (source);
      g_autofree char *target = cli_for_terminal (scope_client_get_remote_address (client));
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, size);

      /* Translators: a number of bytes, the address the datagram came
       * from, then the address the client sends to */
      g_printerr (ngettext ("Ignored a datagram of %s byte from %s: it is not from %s, where "
                            "the payload went\n",
                            "Ignored a datagram of %s bytes from %s: it is not from %s, where "
                            "the payload went\n", (gulong) MIN (size, G_MAXULONG)),
                  count, from, target);
    }
  if (kept < size)
    stop_at_max_receive (run);
}

static void
on_peer_closed (ScopeClient *client,
                SendRun     *run)
{
  g_main_loop_quit (run->loop);
}

static void
on_failed (ScopeClient  *client,
           const GError *error,
           SendRun      *run)
{
  if (run->terminal && run->print_data && !run->at_line_start)
    write_answer (run, (const guint8 *) "\n", 1, TRUE);
  say_failure (error->message);
  stop (run, EXIT_FAILED);
}

static void
on_timed_out (ScopeClient *client,
              SendRun     *run)
{
  g_main_loop_quit (run->loop);
}

static void
on_stream_ended (ScopeClient *client,
                 guint64      bytes,
                 gboolean     cut,
                 SendRun     *run)
{
  g_autofree char *display = g_filename_display_name (run->file);
  g_autofree char *shown = cli_for_terminal (display);

  if (run->file_whole && bytes < run->file_size)
    {
      g_autofree char *sent = format_bytes (bytes);
      g_autofree char *size = format_bytes (run->file_size);

      /* Translators: a file name, then two sizes in bytes */
      g_printerr (_("“%s” shrank while it was sent: only %s of its %s were there to send\n"),
                  shown, sent, size);
      set_status (run, EXIT_FAILED);
    }
  else if (!run->file_whole && cut)
    {
      g_autofree char *sent = format_bytes (bytes);

      /* Translators: a file name, then a size in bytes; --max-send is an
       * option, not to be translated */
      g_printerr (_("Stopped sending “%s” after %s, the limit of --max-send. Give a larger one, "
                    "or 0 for no limit\n"), shown, sent);
      set_status (run, EXIT_LIMIT);
    }
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *local = NULL;

  run->connecting = FALSE;
  if (!scope_client_connect_finish (SCOPE_CLIENT (object), result, &error))
    {
      /* Stopped by a limit or a signal, which said so. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          say_failure (error->message);
          set_status (run, EXIT_FAILED);
        }
      g_main_loop_quit (run->loop);
      return;
    }

  remote = cli_for_terminal (scope_client_get_remote_address (run->client));
  local = cli_for_terminal (scope_client_get_local_address (run->client));
  if (run->udp)
    /* Translators: the address datagrams go to, then the client's own. A
     * UDP socket is not connected: each datagram is sent to the address. */
    g_printerr (_("Sending to %s from %s\n"), remote, local);
  else
    /* Translators: the address connected to, then the client's own */
    g_printerr (_("Connected to %s from %s\n"), remote, local);

  if (run->stream != NULL)
    scope_client_send_stream (run->client, run->stream, run->stream_max, run->chunk, run->delay);
  else
    scope_client_send (run->client, run->payload, run->chunk, run->delay);
  /* The shutdown follows the last byte queued. */
  if (run->shutdown && !scope_client_shutdown_write (run->client, &error))
    on_failed (run->client, error, run);
}

static gboolean
on_max_time (gpointer user_data)
{
  SendRun *run = user_data;

  run->max_time_timer = 0;
  if (run->terminal && run->print_data && !run->at_line_start)
    write_answer (run, (const guint8 *) "\n", 1, TRUE);
  /* Translators: a number of seconds; --max-time is an option, not to be translated */
  g_printerr (ngettext ("Stopped after %u second, the limit of --max-time. Give a longer one, or "
                        "0 for no limit\n",
                        "Stopped after %u seconds, the limit of --max-time. Give a longer one, or "
                        "0 for no limit\n", run->max_time_s), run->max_time_s);
  stop (run, EXIT_LIMIT);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer user_data)
{
  SendRun *run = user_data;

  stop (run, EXIT_SIGNAL);
  return G_SOURCE_CONTINUE;
}

/* A number of bytes, with K, M or G for KiB, MiB or GiB. */
static gboolean
parse_size (const char  *text,
            const char  *what,
            guint64     *out,
            GError     **error)
{
  g_autofree char *digits = g_strdup (text);
  gsize length = strlen (digits);
  guint64 unit = 1, value;

  if (length > 0)
    {
      switch (digits[length - 1])
        {
        case 'k': case 'K':
          unit = 1024;
          break;
        case 'm': case 'M':
          unit = 1024 * 1024;
          break;
        case 'g': case 'G':
          unit = 1024 * 1024 * 1024;
          break;
        default:
          break;
        }
      if (unit > 1)
        digits[length - 1] = '\0';
    }
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64 / unit, &value, NULL))
    {
      g_autofree char *shown = scope_input_for_message (text, 40);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: "--max-receive: “1x” is not a number of bytes …"; the
                    * first %s is an option's name, not to be translated */
                   _("%s: “%s” is not a number of bytes such as 1048576, 64K, 64M or 1G"), what,
                   shown);
      return FALSE;
    }
  *out = value * unit;
  return TRUE;
}

/* The file to send: opened and checked before anything connects. */
static int
open_file (SendRun     *run,
           const char  *file,
           gboolean     udp,
           GError     **error)
{
  gboolean regular = FALSE;
  guint64 size = 0;

  run->stream = scope_client_open_file (file, &size, &regular, error);
  if (run->stream == NULL)
    return EXIT_FAILED;
  run->file = file;
  run->file_size = size;
  /* /proc's files say 0 bytes and hold more: those are read as a stream. */
  run->file_whole = regular && size > 0;
  run->stream_max = run->file_whole ? size : run->max_send;
  if (run->file_whole && run->max_send > 0 && size > run->max_send)
    {
      g_autofree char *display = g_filename_display_name (file);
      g_autofree char *shown = scope_input_for_message (display, 200);
      g_autofree char *holds = format_bytes (size);
      g_autofree char *limit = format_bytes (run->max_send);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: a file name, then two sizes in bytes; --max-send is
                    * an option, not to be translated */
                   _("“%s” holds %s, more than the %s that --max-send allows. Give a larger "
                     "limit, or 0 for none"), shown, holds, limit);
      return EXIT_BAD_INPUT;
    }
  if (udp && run->file_whole && !scope_client_check_datagrams (size, run->chunk, error))
    return EXIT_BAD_INPUT;
  /* Chunks as large as the file or larger: one write, one datagram. */
  if (run->file_whole && run->chunk >= size)
    run->chunk = 0;
  if (udp && run->chunk > SCOPE_UDP_MAX_PAYLOAD
      && !scope_client_check_datagrams (run->chunk, run->chunk, error))
    return EXIT_BAD_INPUT;
  return 0;
}

/* What the options say. */
typedef struct
{
  char    *chunk_text;
  char    *delay_text;
  char    *buffer_text;
  char    *timeout_text;
  char    *connect_timeout_text;
  char    *max_receive_text;
  char    *max_send_text;
  char    *max_time_text;
  char    *file;
  gboolean udp;
  gboolean unix_socket;
  gboolean hex;
  gboolean shutdown;
  guint64  port;
  guint64  chunk;
  guint64  delay;
  guint64  read_buffer;
  guint64  timeout;
  guint64  connect_timeout;
  guint64  max_time;
  guint64  max_receive;
  guint64  max_send;
  CliRecordOptions record;
} SendOptions;

static void
send_options_clear (SendOptions *o)
{
  g_free (o->chunk_text);
  g_free (o->delay_text);
  g_free (o->buffer_text);
  g_free (o->timeout_text);
  g_free (o->connect_timeout_text);
  g_free (o->max_receive_text);
  g_free (o->max_send_text);
  g_free (o->max_time_text);
  g_free (o->file);
  cli_record_options_clear (&o->record);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SendOptions, send_options_clear)

static GOptionContext *
send_context_new (SendOptions *o)
{
  GOptionContext *context;
  const GOptionEntry entries[] = {
    { "udp", 'u', 0, G_OPTION_ARG_NONE, &o->udp, N_("Send datagrams over UDP"), NULL },
    { "unix", 0, 0, G_OPTION_ARG_NONE, &o->unix_socket,
      N_("Connect to the Unix-domain socket at the path HOST; no PORT"), NULL },
    { "hex", 'x', 0, G_OPTION_ARG_NONE, &o->hex, N_("The payload is hex: 48 69 0a"), NULL },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &o->file,
      N_("Send the bytes of FILE, read as the socket takes them"), N_("FILE") },
    { "chunk", 'c', 0, G_OPTION_ARG_STRING, &o->chunk_text,
      N_("Send in writes of N bytes (default: one write)"), N_("N") },
    { "delay", 'd', 0, G_OPTION_ARG_STRING, &o->delay_text,
      N_("Wait MS milliseconds between two writes"), N_("MS") },
    { "shutdown", 's', 0, G_OPTION_ARG_NONE, &o->shutdown,
      N_("Shut down writing once everything is sent"), NULL },
    { "read-buffer", 0, 0, G_OPTION_ARG_STRING, &o->buffer_text,
      N_("Receive at most N bytes per recv (default 4096)"), N_("N") },
    { "timeout", 't', 0, G_OPTION_ARG_STRING, &o->timeout_text,
      N_("Stop after MS milliseconds without an answer (default 1000)"), N_("MS") },
    { "connect-timeout", 0, 0, G_OPTION_ARG_STRING, &o->connect_timeout_text,
      N_("Give up connecting after MS milliseconds (default 10000)"), N_("MS") },
    { "max-receive", 0, 0, G_OPTION_ARG_STRING, &o->max_receive_text,
      N_("Stop after receiving N bytes in all (default 64M; K, M, G: KiB, MiB, GiB; 0: no "
         "limit)"), N_("N") },
    { "max-send", 0, 0, G_OPTION_ARG_STRING, &o->max_send_text,
      N_("Send at most N bytes: a larger payload or file is refused, a device or FIFO stops "
         "there (default 64M; 0: no limit)"), N_("N") },
    { "max-time", 0, 0, G_OPTION_ARG_STRING, &o->max_time_text,
      N_("Stop after S seconds in all (default 60; 0: no limit)"), N_("S") },
    { NULL }
  };

  context = g_option_context_new (_("HOST PORT [PAYLOAD] — send to a server, print the answer"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_record_options_add (context, &o->record,
                          N_("Print every socket event as a line of JSON instead of the answer"));
  g_option_context_set_summary (context, _("PAYLOAD is text with escapes (\\r \\n \\t \\\\ \\0 "
                                           "\\xHH), or hex with --hex."));
  g_option_context_set_description (context,
    _("What the peer sends goes to standard output as it is; on a terminal, control characters "
      "are shown as escapes (\\x1b, \\0, \\r) and line breaks kept. Over UDP the client binds "
      "the address it sends from, says where each datagram came from on standard error, and "
      "takes no datagram from another address as the answer.\n"
      "\n"
      "Exit status: 0 when the peer closed or was silent for --timeout; 1 when the lookup, the "
      "connection, a send or a receive failed (over UDP: an ICMP error such as ECONNREFUSED), "
      "or the file shrank while it was sent; 2 for bad input; 3 when --max-receive, --max-send "
      "or --max-time stopped it; 130 on Ctrl+C or SIGTERM."));
  return context;
}

static gboolean
parse_numbers (SendOptions  *o,
               GError      **error)
{
  return !((o->chunk_text && !cli_parse_number (o->chunk_text, "--chunk", 0, G_MAXUINT32,
                                                &o->chunk, error))
           || (o->delay_text && !cli_parse_number (o->delay_text, "--delay", 0, 3600000,
                                                   &o->delay, error))
           || (o->buffer_text && !cli_parse_number (o->buffer_text, "--read-buffer", 1,
                                                    1024 * 1024, &o->read_buffer, error))
           || (o->timeout_text && !cli_parse_number (o->timeout_text, "--timeout", 1, 3600000,
                                                     &o->timeout, error))
           || (o->connect_timeout_text
               && !cli_parse_number (o->connect_timeout_text, "--connect-timeout", 1, 3600000,
                                     &o->connect_timeout, error))
           || (o->max_receive_text && !parse_size (o->max_receive_text, "--max-receive",
                                                   &o->max_receive, error))
           || (o->max_send_text && !parse_size (o->max_send_text, "--max-send", &o->max_send,
                                                error))
           || (o->max_time_text && !cli_parse_number (o->max_time_text, "--max-time", 0, 604800,
                                                      &o->max_time, error))
           || !cli_record_options_parse (&o->record, error));
}

/* The payload from @text (or nothing), within --max-send and, over UDP,
 * the size of a datagram. Returns NULL with the status of the failure. */
static GBytes *
payload_from_text (const SendOptions  *o,
                   const char         *text,
                   int                *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  gsize column = 0;

  *status = EXIT_BAD_INPUT;
  payload = scope_payload_parse (text ? text : "", -1,
                                 o->hex ? SCOPE_PAYLOAD_HEX : SCOPE_PAYLOAD_TEXT, &column,
                                 &error);
  if (payload == NULL)
    {
      say_failure (error->message);
      return NULL;
    }
  if (o->max_send > 0 && g_bytes_get_size (payload) > o->max_send)
    {
      g_autofree char *holds = format_bytes (g_bytes_get_size (payload));
      g_autofree char *limit = format_bytes (o->max_send);
      g_autofree char *message = NULL;

      /* Translators: two sizes in bytes; --max-send is an option, not
       * to be translated */
      message = g_strdup_printf (_("The payload is %s, more than the %s that --max-send "
                                   "allows. Give a larger limit, or 0 for none"), holds,
                                 limit);
      say_failure (message);
      return NULL;
    }
  if (o->udp && !scope_client_check_datagrams (g_bytes_get_size (payload), o->chunk, &error))
    {
      say_failure (error->message);
      return NULL;
    }
  *status = 0;
  return g_steal_pointer (&payload);
}

/* What the options and the arguments ask, checked; 0, or the exit status
 * of the mistake, said. */
static int
check_arguments (SendOptions  *o,
                 int           argc,
                 char        **argv,
                 const char  **text)
{
  g_autoptr(GError) error = NULL;
  int first_payload_arg = o->unix_socket ? 2 : 3;

  if (argc < first_payload_arg || argc > first_payload_arg + 1)
    return say_failure (o->unix_socket ? _("give a PATH and at most one PAYLOAD")
                                       : _("give a HOST, a PORT and at most one PAYLOAD")) + 1;
  if (!o->unix_socket && !cli_parse_number (argv[2], "PORT", 1, G_MAXUINT16, &o->port, &error))
    return say_failure (error->message) + 1;
  if (!parse_numbers (o, &error))
    return say_failure (error->message) + 1;
  if (o->udp && o->unix_socket)
    return say_failure (_("--udp and --unix do not go together")) + 1;
  if (o->udp && o->shutdown)
    return say_failure (_("--shutdown is for TCP and Unix streams: a UDP socket has no "
                          "connection to shut down")) + 1;

  *text = argc == first_payload_arg + 1 ? argv[first_payload_arg] : NULL;
  if (*text != NULL && o->file != NULL)
    return say_failure (_("give a PAYLOAD or --file, not both")) + 1;
  return 0;
}

static ScopeClient *
send_client_new (const SendOptions *o,
                 SendRun           *run,
                 ScopeRecorder     *recorder)
{
  ScopeClient *client = scope_client_new (recorder);

  g_object_set (client,
                "read-buffer-size", (guint) o->read_buffer,
                "receive-timeout", (guint) o->timeout,
                "connect-timeout", (guint) o->connect_timeout,
                NULL);
  g_signal_connect (client, "received", G_CALLBACK (on_received), run);
  g_signal_connect (client, "stray-datagram", G_CALLBACK (on_stray_datagram), run);
  g_signal_connect (client, "peer-closed", G_CALLBACK (on_peer_closed), run);
  g_signal_connect (client, "failed", G_CALLBACK (on_failed), run);
  g_signal_connect (client, "receive-timed-out", G_CALLBACK (on_timed_out), run);
  g_signal_connect (client, "stream-ended", G_CALLBACK (on_stream_ended), run);
  return client;
}

/* What is left once the loop ends: the end of the answer on a terminal,
 * and how many datagrams came from elsewhere. */
static void
finish_output (SendRun     *run,
               ScopeClient *client)
{
  if (run->print_data && run->terminal)
    {
      write_answer (run, NULL, 0, TRUE);
      if (!run->at_line_start)
        write_answer (run, (const guint8 *) "\n", 1, TRUE);
    }
  if (run->strays > STRAYS_SAID)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, run->strays);
      g_autofree char *bytes = format_bytes (run->stray_bytes);
      g_autofree char *target_shown = cli_for_terminal (scope_client_get_remote_address (client));

      /* Translators: a number of datagrams, a size in bytes, then an address */
      g_printerr (ngettext ("Ignored %s datagram in all (%s) from other addresses than %s\n",
                            "Ignored %s datagrams in all (%s) from other addresses than %s\n",
                            (gulong) MIN (run->strays, G_MAXULONG)), count, bytes, target_shown);
    }
}

int
cli_send (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeRecorder) recorder = NULL;
  g_autoptr(ScopeClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_auto(SendOptions) o = {
    .read_buffer = SCOPE_CLIENT_DEFAULT_READ_BUFFER,
    .timeout = 1000,
    .connect_timeout = 10000,
    .max_time = DEFAULT_MAX_TIME_S,
    .max_receive = DEFAULT_MAX_RECEIVE,
    .max_send = SCOPE_CLIENT_DEFAULT_MAX_SEND,
  };
  ScopeProtocol protocol;
  ScopeExportFile *record_file = NULL;
  CliEvents *follow = NULL;
  const char *target;
  const char *text = NULL;
  SendRun run = { 0 };
  guint sigint, sigterm;
  int status;

  context = send_context_new (&o);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return say_failure (error->message) + 1;
  status = check_arguments (&o, argc, argv, &text);
  if (status != 0)
    return status;
  target = argv[1];

  run.max_receive = o.max_receive;
  run.max_send = o.max_send;
  run.max_time_s = (guint) o.max_time;
  run.chunk = (gsize) o.chunk;
  run.delay = (guint) o.delay;
  run.udp = o.udp;
  if (o.file != NULL)
    {
      status = open_file (&run, o.file, o.udp, &error);
      if (status != 0)
        {
          g_clear_object (&run.stream);
          say_failure (error->message);
          return status;
        }
    }
  else if ((payload = payload_from_text (&o, text, &status)) == NULL)
    return status;

  /* A host no name server could know is refused before anything is asked. */
  if (!o.unix_socket && !scope_resolver_validate_host (target, &error))
    {
      g_clear_object (&run.stream);
      return say_failure (error->message) + 1;
    }

  protocol = o.unix_socket ? SCOPE_PROTOCOL_UNIX
                           : o.udp ? SCOPE_PROTOCOL_UDP : SCOPE_PROTOCOL_TCP;
  /* The file is made now, so that a folder that cannot be written is said
   * before anything is sent. */
  if (o.record.record_path != NULL
      && (record_file = cli_open_record (o.record.record_path, &error)) == NULL)
    {
      g_clear_object (&run.stream);
      return say_failure (error->message) + 1;
    }
  recorder = cli_recorder_new (&o.record);
  if (o.record.events)
    follow = cli_events_follow (recorder, STDOUT_FILENO, CLI_EVENTS_QUEUE_BYTES);
  client = send_client_new (&o, &run, recorder);

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.client = client;
  run.payload = payload;
  run.shutdown = o.shutdown;
  run.print_data = !o.record.events;
  run.terminal = isatty (STDOUT_FILENO);
  run.at_line_start = TRUE;
  sigint = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &run);
  if (o.max_time > 0)
    run.max_time_timer = g_timeout_add ((guint) o.max_time * 1000, on_max_time, &run);

  run.connecting = TRUE;
  scope_client_connect_async (client, protocol, target, (guint16) o.port, NULL, on_connected,
                              &run);
  g_main_loop_run (loop);

  /* Closing stops a connection still being made; its answer comes at once. */
  scope_client_close (client);
  while (run.connecting)
    g_main_context_iteration (NULL, TRUE);
  finish_output (&run, client);

  g_clear_handle_id (&run.max_time_timer, g_source_remove);
  g_clear_object (&run.stream);
  scope_recorder_flush (recorder);
  /* Even a failed connection is worth its recording: the refused attempt
   * is in it. A failure to write it is a failure of the run. The signals
   * are still caught meanwhile: a second Ctrl+C waits for the file. */
  if (follow != NULL)
    cli_events_finish (follow, 2000);
  if (record_file != NULL && cli_write_record (recorder, "send", record_file) != 0)
    set_status (&run, EXIT_FAILED);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  return run.status;
}
