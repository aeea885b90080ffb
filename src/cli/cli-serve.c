/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cli-common.h"
#include "cli-events.h"
#include "cli-serve.h"
#include "scope-payload.h"
#include "scope-server.h"

/* sockscope-cli serve KIND: the app's servers on a machine with no display
 * (S21). Loopback unless --bind says otherwise; runs until SIGINT or
 * SIGTERM, then closes every socket, writes the session with --record, and
 * exits 0 (1 when the recording could not be written). It keeps only what
 * it is asked to: the session for --record, each event until printed for
 * --events, and otherwise nothing, so it can run for months. */

/* Said once, when it happens: what is recorded from now on is counted. */
static void
on_recorder_state (ScopeRecorder *recorder,
                   GParamSpec    *pspec,
                   gpointer       user_data)
{
  g_autofree char *stop = NULL;

  if (scope_recorder_get_state (recorder) == SCOPE_RECORDER_RECORDING)
    return;
  stop = scope_export_describe_stop (recorder);
  cli_fail ("serve", stop);
}

/* Each kind, and what it answers, for --help. */
static char *
kind_summary (void)
{
  GString *text = g_string_new (_("Kinds:"));

  for (guint i = 0; i < SCOPE_SERVER_N_KINDS; i++)
    g_string_append_printf (text, "\n  %-12s %s", scope_server_kind_to_string (i),
                            scope_server_kind_get_usage (i));
  return g_string_free (text, FALSE);
}

static char *
kind_list (void)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < SCOPE_SERVER_N_KINDS; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", scope_server_kind_to_string (i));
  return g_string_free (list, FALSE);
}

/* What the options say. */
typedef struct
{
  char    *bind;
  char    *port_text;
  char    *backlog_text;
  char    *buffer_text;
  char    *max_text;
  char    *idle_text;
  char    *request_text;
  char    *message;
  char    *path;
  gboolean ipv6_only;
  guint64  port;
  guint64  backlog;
  guint64  read_buffer;
  guint64  max_connections;
  guint64  idle_timeout;
  guint64  request_timeout;
  CliRecordOptions record;
} ServeOptions;

static void
serve_options_clear (ServeOptions *o)
{
  g_free (o->bind);
  g_free (o->port_text);
  g_free (o->backlog_text);
  g_free (o->buffer_text);
  g_free (o->max_text);
  g_free (o->idle_text);
  g_free (o->request_text);
  g_free (o->message);
  g_free (o->path);
  cli_record_options_clear (&o->record);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ServeOptions, serve_options_clear)

static GOptionContext *
serve_context_new (ServeOptions *o)
{
  g_autofree char *summary = kind_summary ();
  GOptionContext *context;
  const GOptionEntry entries[] = {
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &o->bind,
      N_("Listen on ADDRESS: 127.0.0.1 (the default), ::1, loopback (both), 0.0.0.0 or :: for "
         "all interfaces, or another address of this machine (a warning names what others can "
         "reach)"), N_("ADDRESS") },
    { "port", 'p', 0, G_OPTION_ARG_STRING, &o->port_text,
      N_("Listen on port N; 0 lets the system choose. By default the port the course notes "
         "give the kind (tcp-echo 50000, tcp-sum 50001, udp-echo 8000, udp-upper 11111, "
         "tcp-message 8888, http 80 or 8080) when it is free, else one the system chooses"),
      N_("N") },
    { "ipv6-only", 0, 0, G_OPTION_ARG_NONE, &o->ipv6_only,
      N_("With an IPv6 address, do not accept IPv4 too"), NULL },
    { "path", 0, 0, G_OPTION_ARG_FILENAME, &o->path,
      N_("The path of a unix-echo server"), N_("PATH") },
    { "backlog", 0, 0, G_OPTION_ARG_STRING, &o->backlog_text,
      N_("How many connections may wait to be accepted (default 5)"), N_("N") },
    { "read-buffer", 0, 0, G_OPTION_ARG_STRING, &o->buffer_text,
      N_("Read at most N bytes per recv (default 4096)"), N_("N") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_STRING, &o->idle_text,
      N_("Close a connection after S seconds with nothing sent either way (default 0: never; "
         "http then closes after 10 s)"), N_("S") },
    { "request-timeout", 0, 0, G_OPTION_ARG_STRING, &o->request_text,
      N_("http: close a connection whose whole request has not come within S seconds "
         "(default 20; 0: never)"), N_("S") },
    { "max-connections", 0, 0, G_OPTION_ARG_STRING, &o->max_text,
      N_("Close connections past N at once (default 64)"), N_("N") },
    { "message", 0, 0, G_OPTION_ARG_STRING, &o->message,
      N_("What a tcp-message server sends, with escapes such as \\n"), N_("TEXT") },
    { NULL }
  };

  context = g_option_context_new (_("KIND — run one of the servers"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_record_options_add (context, &o->record,
                          N_("Print every socket event as a line of JSON"));
  g_option_context_set_summary (context, summary);
  return context;
}

static gboolean
parse_numbers (ServeOptions  *o,
               GError       **error)
{
  return !((o->port_text && !cli_parse_number (o->port_text, "--port", 0, G_MAXUINT16, &o->port,
                                               error))
           || (o->backlog_text && !cli_parse_number (o->backlog_text, "--backlog", 0, 4096,
                                                     &o->backlog, error))
           || (o->buffer_text && !cli_parse_number (o->buffer_text, "--read-buffer", 1,
                                                    SCOPE_SERVER_MAX_READ_BUFFER,
                                                    &o->read_buffer, error))
           || (o->max_text && !cli_parse_number (o->max_text, "--max-connections", 1, 100000,
                                                 &o->max_connections, error))
           || (o->idle_text && !cli_parse_number (o->idle_text, "--idle-timeout", 0,
                                                  SCOPE_SERVER_MAX_IDLE_TIMEOUT,
                                                  &o->idle_timeout, error))
           || (o->request_text && !cli_parse_number (o->request_text, "--request-timeout", 0,
                                                     SCOPE_SERVER_MAX_IDLE_TIMEOUT,
                                                     &o->request_timeout, error))
           || !cli_record_options_parse (&o->record, error));
}

/* The server the options describe; NULL when its --message is not text
 * the Send box's escapes can read. */
static ScopeServer *
serve_server_new (ScopeServerKind      kind,
                  const ServeOptions  *o,
                  ScopeRecorder       *recorder,
                  GError             **error)
{
  g_autoptr(ScopeServer) server = scope_server_new (kind, recorder);

  g_object_set (server,
                "port", (guint) o->port,
                "use-notes-port", o->port_text == NULL,
                "ipv6-only", o->ipv6_only,
                "backlog", (int) o->backlog,
                "read-buffer-size", (guint) o->read_buffer,
                "max-connections", (guint) o->max_connections,
                "idle-timeout", (guint) o->idle_timeout,
                "request-timeout", (guint) o->request_timeout,
                "unix-path", o->path,
                NULL);
  if (o->bind != NULL)
    g_object_set (server, "bind-address", o->bind, NULL);
  if (o->message != NULL)
    {
      gsize column = 0;
      g_autoptr(GBytes) bytes = scope_payload_parse (o->message, -1, SCOPE_PAYLOAD_TEXT,
                                                     &column, error);
      g_autofree char *text = NULL;

      if (bytes == NULL)
        return NULL;
      text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_object_set (server, "message", text, NULL);
    }
  return g_steal_pointer (&server);
}

/* With --events, standard output is JSON alone; the rest goes to stderr. */
static void
say_listening (ScopeServer        *server,
               ScopeServerKind     kind,
               const ServeOptions *o)
{
  g_auto(GStrv) addresses = scope_server_dup_listening_addresses (server);
  g_autofree char *exposure = NULL;
  FILE *info = o->record.events ? stderr : stdout;

  for (guint i = 0; addresses[i] != NULL; i++)
    /* Translators: an address, then the kind of server, e.g. "TCP echo" */
    fprintf (info, _("Listening on %s (%s)\n"), addresses[i], scope_server_kind_get_title (kind));
  if (scope_server_get_fallback_reason (server) != NULL)
    /* Translators: %s says which port was taken and where it listens instead */
    fprintf (info, _("Not on the notes' port: %s\n"), scope_server_get_fallback_reason (server));
  exposure = o->bind != NULL ? scope_server_describe_exposure (o->bind, o->ipv6_only) : NULL;
  if (exposure != NULL)
    /* Translators: %s says what listening on all interfaces opens, and to whom */
    fprintf (stderr, _("Warning: %s.\n"), exposure);
  fflush (info);
}

int
cli_serve (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeRecorder) recorder = NULL;
  g_autoptr(ScopeServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  ScopeExportFile *record_file = NULL;
  CliEvents *follow = NULL;
  /* Static: its handlers stay until the process ends (see below). */
  static CliSignals signals;
  g_autofree char *kinds = kind_list ();
  g_auto(ServeOptions) o = {
    .backlog = SCOPE_SERVER_DEFAULT_BACKLOG,
    .read_buffer = SCOPE_SERVER_DEFAULT_READ_BUFFER,
    .max_connections = SCOPE_SERVER_DEFAULT_MAX_CONNECTIONS,
    .request_timeout = SCOPE_SERVER_DEFAULT_REQUEST_TIMEOUT,
  };
  ScopeServerKind kind;
  int status;

  context = serve_context_new (&o);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("serve", error->message);

  if (argc != 2)
    {
      /* Translators: %s is the list of server kinds */
      g_autofree char *text = g_strdup_printf (_("name one kind of server: %s"), kinds);

      return cli_usage_error ("serve", text);
    }
  if (!scope_server_kind_from_string (argv[1], &kind))
    {
      g_autofree char *text = g_strdup_printf (_("“%s” is not a kind of server: use one of %s"),
                                               argv[1], kinds);

      return cli_usage_error ("serve", text);
    }

  if (!parse_numbers (&o, &error))
    return cli_usage_error ("serve", error->message);
  if (kind == SCOPE_SERVER_UNIX_ECHO && (o.path == NULL || o.path[0] == '\0'))
    return cli_usage_error ("serve", _("unix-echo listens on a path: give it with --path"));
  /* The file is made now: a session is not recorded for an hour to be lost
   * at exit to a folder that cannot be written. */
  if (o.record.record_path != NULL
      && (record_file = cli_open_record (o.record.record_path, &error)) == NULL)
    return cli_usage_error ("serve", error->message);

  recorder = cli_recorder_new (&o.record);
  g_signal_connect (recorder, "notify::state", G_CALLBACK (on_recorder_state), NULL);
  server = serve_server_new (kind, &o, recorder, &error);
  if (server == NULL)
    {
      scope_export_file_abandon (record_file);
      return cli_usage_error ("serve", error->message);
    }

  /* Signals are ours before anyone can know we listen, and until the end:
   * a second Ctrl+C while the session is written waits for it. */
  loop = g_main_loop_new (NULL, FALSE);
  cli_signals_watch (&signals, loop);

  if (!scope_server_start (server, &error))
    {
      cli_signals_unwatch (&signals);
      scope_export_file_abandon (record_file);
      /* An address that is no address is the user's to mend: a usage error. */
      return cli_fail ("serve", error->message)
             + g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  if (o.record.events)
    follow = cli_events_follow (recorder, STDOUT_FILENO, CLI_EVENTS_QUEUE_BYTES);
  say_listening (server, kind, &o);

  g_main_loop_run (loop);

  scope_server_stop (server);
  scope_recorder_flush (recorder);
  status = 0;
  /* What is queued for a reader gets two seconds; a reader that stopped
   * reading does not keep the server from ending. */
  if (follow != NULL)
    cli_events_finish (follow, 2000);
  if (record_file != NULL)
    status = cli_write_record (recorder, "serve", record_file);
  /* The handlers are not removed: that would give SIGINT its default
   * back, and a Ctrl+C pressed once more as the server ends (or the one a
   * shell sends its process group) would turn a clean exit into 130. */
  return status;
}
