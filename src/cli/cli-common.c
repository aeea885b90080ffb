/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cli-common.h"

/**
 * cli_parse_number:
 * @what: where the number was given, for the message: "--port", "PORT"
 *
 * Parses a whole number in [@min, @max], with a message that says which
 * value was wrong and what would be right.
 */
gboolean
cli_parse_number (const char  *text,
                  const char  *what,
                  guint64      min,
                  guint64      max,
                  guint64     *out,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, min, max, out, &local_error))
    {
      g_autofree char *low = g_strdup_printf ("%" G_GUINT64_FORMAT, min);
      g_autofree char *high = g_strdup_printf ("%" G_GUINT64_FORMAT, max);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: "--port: “70000” is not a number from 0 to 65535"; the
                    * first %s is an option or argument name, not to be translated */
                   _("%s: “%s” is not a number from %s to %s"), what, text ? text : "", low,
                   high);
      return FALSE;
    }
  return TRUE;
}

/* Text from outside (an address, an error's words) for standard error:
 * control and format characters, and bytes that are not UTF-8, as escapes,
 * so that none of them can act on the terminal. */
char *
cli_for_terminal (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text ? text : "";
  const char *end = p + strlen (p);

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guint8) *p);
          p++;
          continue;
        }
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        g_string_append_printf (out, c < 0x100 ? "\\x%02x" : "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/* Messages quote what users typed and what peers and name servers sent:
 * none of it may act on the terminal. */
int
cli_fail (const char *command,
          const char *message)
{
  g_autofree char *safe = cli_for_terminal (message);

  /* Translators: the command, then what went wrong */
  g_printerr (_("sockscope-cli %s: %s\n"), command, safe);
  return 1;
}

int
cli_usage_error (const char *command,
                 const char *message)
{
  return cli_fail (command, message) + 1;
}

void
cli_drop_separator (int   *argc,
                    char **argv)
{
  for (int i = 1; i < *argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        memmove (&argv[i], &argv[i + 1], (*argc - i) * sizeof (char *));
        (*argc)--;
        return;
      }
}

void
cli_record_options_add (GOptionContext   *context,
                        CliRecordOptions *options,
                        const char       *events_help)
{
  const GOptionEntry entries[] = {
    { "events", 'e', 0, G_OPTION_ARG_NONE, &options->events, events_help, NULL },
    { "record", 'r', 0, G_OPTION_ARG_FILENAME, &options->record_path,
      N_("At exit, write every socket event to FILE: .pcapng for Wireshark, .csv or .json"),
      N_("FILE") },
    { "max-events", 0, 0, G_OPTION_ARG_STRING, &options->max_events_text,
      N_("With --record, keep at most N events (default 1000000); past them recording stops "
         "and the rest is counted"), N_("N") },
    { NULL }
  };

  /* GOption copies the entries; they come after the command's own in
   * --help, where they always were. */
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

gboolean
cli_record_options_parse (CliRecordOptions  *options,
                          GError           **error)
{
  options->max_events = SCOPE_RECORDER_DEFAULT_EVENT_LIMIT;
  return options->max_events_text == NULL
         || cli_parse_number (options->max_events_text, "--max-events",
                              SCOPE_RECORDER_MIN_EVENT_LIMIT, SCOPE_RECORDER_MAX_EVENT_LIMIT,
                              &options->max_events, error);
}

void
cli_record_options_clear (CliRecordOptions *options)
{
  g_clear_pointer (&options->record_path, g_free);
  g_clear_pointer (&options->max_events_text, g_free);
}

ScopeRecorder *
cli_recorder_new (const CliRecordOptions *options)
{
  ScopeRecorder *recorder;

  if (options->record_path != NULL)
    recorder = scope_recorder_new ();
  else
    recorder = scope_recorder_new_with_retention (options->events
                                                  ? SCOPE_RECORDER_KEEP_UNTIL_FLUSHED
                                                  : SCOPE_RECORDER_KEEP_NOTHING);
  scope_recorder_set_event_limit (recorder, options->max_events);
  return recorder;
}

ScopeExportFile *
cli_open_record (const char  *path,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  ScopeExportFormat format;
  ScopeExportFile *file;

  if (!scope_export_format_from_path (path, &format))
    {
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: "--record: “session.txt” does not end in …"; the first
                    * %s is the option's name and the extensions are not to be translated */
                   _("%s: “%s” does not end in .pcapng, .csv or .json"), "--record", shown);
      return NULL;
    }

  file = scope_export_file_open (path, format, &local_error);
  if (file == NULL)
    {
      /* Translators: the first %s is the option's name, the second what went wrong */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("%s: %s"), "--record",
                   local_error->message);
      return NULL;
    }
  return file;
}

typedef struct
{
  const char *name;
  gint64      started;
  gint64      shown;
  gboolean    terminal;
} WriteProgress;

/* A long write says how far it is, and that Ctrl+C waits for it. */
static void
show_progress (guint64  done,
               guint64  total,
               gpointer user_data)
{
  WriteProgress *progress = user_data;
  gint64 now = g_get_monotonic_time ();
  guint percent;

  if (now - progress->started < G_USEC_PER_SEC / 2
      || now - progress->shown < (progress->terminal ? G_USEC_PER_SEC / 4 : 2 * G_USEC_PER_SEC))
    return;
  progress->shown = now;
  percent = total > 0 ? (guint) (MIN (done, total) * 100 / total) : 100;
  /* Translators: a file name, then how much of it is written, e.g. "40 %";
   * Ctrl+C is the key that stops the program */
  g_printerr (_("%sWriting “%s”: %u %%; Ctrl+C waits until it is complete%s"),
              progress->terminal ? "\r" : "", progress->name, percent,
              progress->terminal ? "\033[K" : "\n");
}

int
cli_write_record (ScopeRecorder   *recorder,
                  const char      *command,
                  ScopeExportFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = g_filename_display_name (scope_export_file_get_path (file));
  g_autofree char *count = NULL;
  guint64 n_events = scope_recorder_get_n_events (recorder);
  WriteProgress progress = { shown, g_get_monotonic_time (), 0, isatty (STDERR_FILENO) };
  gboolean ok;

  ok = scope_export_file_commit (file, recorder, show_progress, &progress, &error);
  if (progress.shown != 0 && progress.terminal)
    g_printerr ("\r\033[K");
  if (!ok)
    return cli_fail (command, error->message);

  count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_events);
  /* Translators: the first %s is a number of events, the second a file name */
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "Wrote %s event to “%s”\n",
                           "Wrote %s events to “%s”\n", (gulong) MIN (n_events, G_MAXULONG)),
              count, shown);
  if (scope_recorder_get_truncated_events (recorder) > 0)
    {
      g_autofree char *truncation = scope_export_describe_truncation (recorder);

      g_printerr ("%s\n", truncation);
    }
  {
    g_autofree char *stop = scope_export_describe_stop (recorder);

    if (stop != NULL)
      g_printerr ("%s\n", stop);
  }
  return 0;
}

static gboolean
on_signal (gpointer user_data)
{
  CliSignals *signals = user_data;

  signals->received++;
  /* A worker stuck in the C library is not waited for. */
  if (signals->cancellable != NULL)
    g_cancellable_cancel (signals->cancellable);
  g_main_loop_quit (signals->loop);
  return G_SOURCE_CONTINUE;
}

void
cli_signals_watch (CliSignals *signals,
                   GMainLoop  *loop)
{
  signals->loop = loop;
  signals->received = 0;
  signals->sources[0] = g_unix_signal_add (SIGINT, on_signal, signals);
  signals->sources[1] = g_unix_signal_add (SIGTERM, on_signal, signals);
}

void
cli_signals_unwatch (CliSignals *signals)
{
  g_clear_handle_id (&signals->sources[0], g_source_remove);
  g_clear_handle_id (&signals->sources[1], g_source_remove);
}

int
cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  /* JSON is UTF-8 whatever the locale: written as it is. */
  fputs (text, stdout);
  fputc ('\n', stdout);
  return fflush (stdout) == 0 ? 0 : 1;
}

int
cli_print_report (ScopeReport *report,
                  gboolean     json)
{
  g_autofree char *text = NULL;

  if (json)
    {
      g_autoptr(JsonNode) root = scope_report_to_json (report);

      return cli_print_json (root);
    }
  text = scope_report_to_text (report);
  g_print ("%s", text);
  return 0;
}
