/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cli-common.h"
#include "cli-events.h"
#include "cli-send.h"
#include "scope-client.h"
#include "scope-resolver.h"
#include "scope-payload.h"

/* sockscope-cli send HOST PORT [PAYLOAD]: the app's client at a terminal.
 * Connects, sends (in chunks if asked), optionally shuts down writing, and
 * prints what comes back until the peer closes or stays silent for the
 * timeout; with --record, writes the session's events at the end. */

typedef struct
{
  GMainLoop   *loop;
  ScopeClient *client;
  gboolean     shutdown;
  gboolean     print_data;
  gboolean     shut;
  int          status;
} SendRun;

static void
on_received (ScopeClient *client,
             GBytes      *bytes,
             SendRun     *run)
{
  gsize size;
  const void *data = g_bytes_get_data (bytes, &size);

  if (run->print_data)
    {
      fwrite (data, 1, size, stdout);
      fflush (stdout);
    }
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
  cli_fail ("send", error->message);
  run->status = 1;
  g_main_loop_quit (run->loop);
}

static void
on_timed_out (ScopeClient *client,
              SendRun     *run)
{
  g_main_loop_quit (run->loop);
}

static void
on_pending (ScopeClient *client,
            GParamSpec  *pspec,
            SendRun     *run)
{
  g_autoptr(GError) error = NULL;

  if (!run->shutdown || run->shut || scope_client_get_pending_bytes (client) > 0
      || !scope_client_get_connected (client))
    return;
  run->shut = TRUE;
  if (!scope_client_shutdown_write (client, &error))
    on_failed (client, error, run);
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendRun *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!scope_client_connect_finish (SCOPE_CLIENT (object), result, &error))
    {
      cli_fail ("send", error->message);
      run->status = 1;
      g_main_loop_quit (run->loop);
      return;
    }
  /* Translators: the address connected to, then the client's own */
  g_printerr (_("Connected to %s from %s\n"), scope_client_get_remote_address (run->client),
              scope_client_get_local_address (run->client));
  g_main_loop_quit (run->loop);
}

static gboolean
on_signal (gpointer user_data)
{
  SendRun *run = user_data;

  run->status = 130;
  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
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
  g_autofree char *chunk_text = NULL;
  g_autofree char *delay_text = NULL;
  g_autofree char *buffer_text = NULL;
  g_autofree char *timeout_text = NULL;
  g_autofree char *connect_timeout_text = NULL;
  g_autofree char *file = NULL;
  g_autofree char *record_path = NULL;
  gboolean udp = FALSE, unix_socket = FALSE, hex = FALSE, shutdown = FALSE, events = FALSE;
  guint64 port = 0, chunk = 0, delay = 0, read_buffer = SCOPE_CLIENT_DEFAULT_READ_BUFFER;
  guint64 timeout = 1000, connect_timeout = 10000;
  ScopeProtocol protocol;
  ScopeExportFile *record_file = NULL;
  CliEvents *follow = NULL;
  const char *target;
  const char *text = NULL;
  SendRun run = { 0 };
  guint sigint, sigterm;
  int first_payload_arg;
  const GOptionEntry entries[] = {
    { "udp", 'u', 0, G_OPTION_ARG_NONE, &udp, N_("Send datagrams over UDP"), NULL },
    { "unix", 0, 0, G_OPTION_ARG_NONE, &unix_socket,
      N_("Connect to the Unix-domain socket at the path HOST; no PORT"), NULL },
    { "hex", 'x', 0, G_OPTION_ARG_NONE, &hex, N_("The payload is hex: 48 69 0a"), NULL },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, N_("Send the bytes of FILE"), N_("FILE") },
    { "chunk", 'c', 0, G_OPTION_ARG_STRING, &chunk_text,
      N_("Send in writes of N bytes (default: one write)"), N_("N") },
    { "delay", 'd', 0, G_OPTION_ARG_STRING, &delay_text,
      N_("Wait MS milliseconds between two writes"), N_("MS") },
    { "shutdown", 's', 0, G_OPTION_ARG_NONE, &shutdown,
      N_("Shut down writing once everything is sent"), NULL },
    { "read-buffer", 0, 0, G_OPTION_ARG_STRING, &buffer_text,
      N_("Receive at most N bytes per recv (default 4096)"), N_("N") },
    { "timeout", 't', 0, G_OPTION_ARG_STRING, &timeout_text,
      N_("Stop after MS milliseconds without an answer (default 1000)"), N_("MS") },
    { "connect-timeout", 0, 0, G_OPTION_ARG_STRING, &connect_timeout_text,
      N_("Give up connecting after MS milliseconds (default 10000)"), N_("MS") },
    { "events", 'e', 0, G_OPTION_ARG_NONE, &events,
      N_("Print every socket event as a line of JSON instead of the answer"), NULL },
    { "record", 'r', 0, G_OPTION_ARG_FILENAME, &record_path,
      N_("At exit, write every socket event to FILE: .pcapng for Wireshark, .csv or .json"),
      N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("HOST PORT [PAYLOAD] — send to a server, print the answer"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("PAYLOAD is text with escapes (\\r \\n \\t \\\\ \\0 "
                                           "\\xHH), or hex with --hex."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_fail ("send", error->message) + 1;

  first_payload_arg = unix_socket ? 2 : 3;
  if (argc < first_payload_arg || argc > first_payload_arg + 1)
    return cli_fail ("send", unix_socket ? _("give a PATH and at most one PAYLOAD")
                                         : _("give a HOST, a PORT and at most one PAYLOAD")) + 1;
  target = argv[1];
  if (!unix_socket && !cli_parse_number (argv[2], "PORT", 1, G_MAXUINT16, &port, &error))
    return cli_fail ("send", error->message) + 1;
  if ((chunk_text && !cli_parse_number (chunk_text, "--chunk", 0, G_MAXUINT32, &chunk,
                                        &error))
      || (delay_text && !cli_parse_number (delay_text, "--delay", 0, 3600000, &delay, &error))
      || (buffer_text && !cli_parse_number (buffer_text, "--read-buffer", 1, 1024 * 1024,
                                            &read_buffer, &error))
      || (timeout_text && !cli_parse_number (timeout_text, "--timeout", 1, 3600000, &timeout,
                                             &error))
      || (connect_timeout_text && !cli_parse_number (connect_timeout_text, "--connect-timeout",
                                                     1, 3600000, &connect_timeout, &error)))
    return cli_fail ("send", error->message) + 1;
  if (udp && unix_socket)
    return cli_fail ("send", _("--udp and --unix do not go together")) + 1;

  if (argc == first_payload_arg + 1)
    text = argv[first_payload_arg];
  if (text != NULL && file != NULL)
    return cli_fail ("send", _("give a PAYLOAD or --file, not both")) + 1;

  if (file != NULL)
    {
      char *contents;
      gsize length;

      if (!g_file_get_contents (file, &contents, &length, &error))
        return cli_fail ("send", error->message);
      payload = g_bytes_new_take (contents, length);
    }
  else
    {
      gsize column = 0;

      payload = scope_payload_parse (text ? text : "", -1,
                                     hex ? SCOPE_PAYLOAD_HEX : SCOPE_PAYLOAD_TEXT, &column,
                                     &error);
      if (payload == NULL)
        return cli_fail ("send", error->message) + 1;
    }

  if (udp && !scope_client_check_datagrams (g_bytes_get_size (payload), chunk, &error))
    return cli_fail ("send", error->message) + 1;
  /* A host no name server could know is refused before anything is asked. */
  if (!unix_socket && !scope_resolver_validate_host (target, &error))
    return cli_fail ("send", error->message) + 1;

  protocol = unix_socket ? SCOPE_PROTOCOL_UNIX : udp ? SCOPE_PROTOCOL_UDP : SCOPE_PROTOCOL_TCP;
  /* The file is made now, so that a folder that cannot be written is said
   * before anything is sent. */
  if (record_path != NULL && (record_file = cli_open_record (record_path, &error)) == NULL)
    return cli_fail ("send", error->message) + 1;
  recorder = cli_recorder_new (record_path != NULL, events);
  if (events)
    follow = cli_events_follow (recorder, STDOUT_FILENO, CLI_EVENTS_QUEUE_BYTES);
  client = scope_client_new (recorder);
  g_object_set (client,
                "read-buffer-size", (guint) read_buffer,
                "receive-timeout", (guint) timeout,
                "connect-timeout", (guint) connect_timeout,
                NULL);

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.client = client;
  run.shutdown = shutdown;
  run.print_data = !events;
  sigint = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &run);

  scope_client_connect_async (client, protocol, target, (guint16) port, NULL, on_connected, &run);
  g_main_loop_run (loop);

  if (run.status == 0 && scope_client_get_connected (client))
    {
      g_signal_connect (client, "received", G_CALLBACK (on_received), &run);
      g_signal_connect (client, "peer-closed", G_CALLBACK (on_peer_closed), &run);
      g_signal_connect (client, "failed", G_CALLBACK (on_failed), &run);
      g_signal_connect (client, "receive-timed-out", G_CALLBACK (on_timed_out), &run);
      g_signal_connect (client, "notify::pending-bytes", G_CALLBACK (on_pending), &run);
      scope_client_send (client, payload, chunk, delay);
      g_main_loop_run (loop);
      scope_client_close (client);
    }

  g_source_remove (sigint);
  g_source_remove (sigterm);
  scope_recorder_flush (recorder);
  /* Even a failed connection is worth its recording: the refused attempt
   * is in it. A failure to write it is a failure of the run. */
  if (follow != NULL)
    cli_events_finish (follow, 2000);
  if (record_file != NULL && cli_write_record (recorder, "send", record_file) != 0
      && run.status == 0)
    run.status = 1;
  return run.status;
}
