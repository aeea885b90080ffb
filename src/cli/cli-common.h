/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "scope-export.h"
#include "scope-report.h"

G_BEGIN_DECLS

gboolean cli_parse_number (const char  *text,
                           const char  *what,
                           guint64      min,
                           guint64      max,
                           guint64     *out,
                           GError     **error);
/* Said on standard error: "sockscope-cli COMMAND: MESSAGE", with every
 * control character of it escaped. Returns 1. */
int      cli_fail         (const char  *command,
                           const char  *message);
/* The same for a mistake in what was asked: returns 2. */
int      cli_usage_error  (const char  *command,
                           const char  *message);
/* GOption leaves the "--" that ends the options among the arguments, where
 * it is so that "-1" can be an argument: this takes it out. */
void     cli_drop_separator (int       *argc,
                             char     **argv);
/* @text with control and format characters, and bytes that are not UTF-8,
 * as escapes (\x1b), for a terminal. */
char    *cli_for_terminal (const char  *text);

/* --events, --record FILE and --max-events N, which serve and send share. */
typedef struct
{
  gboolean  events;
  char     *record_path;
  char     *max_events_text;
  guint64   max_events;
} CliRecordOptions;

/* Adds the three options, last, to @context's main entries; @events_help
 * (marked for translation, not translated) says what --events prints for this command. */
void           cli_record_options_add   (GOptionContext     *context,
                                         CliRecordOptions   *options,
                                         const char         *events_help);
/* Reads --max-events (the default when not given). */
gboolean       cli_record_options_parse (CliRecordOptions   *options,
                                         GError            **error);
void           cli_record_options_clear (CliRecordOptions   *options);
/* A recorder that keeps what the options ask for: everything (within
 * --max-events) for --record, events until printed for --events alone,
 * nothing otherwise. */
ScopeRecorder *cli_recorder_new         (const CliRecordOptions *options);

/* --record FILE: its extension names the format, and the file it will be
 * written through is made at once, so that a folder that cannot be
 * written to, or a path that is a folder, is said before anything runs. */
ScopeExportFile *cli_open_record (const char         *path,
                                  GError            **error);
/* Writes the session at exit through @file (freed), with progress on
 * standard error when it takes a while, and says what it wrote. Returns
 * 0, or 1 when it could not be written. */
int      cli_write_record      (ScopeRecorder      *recorder,
                                const char         *command,
                                ScopeExportFile    *file);

/* SIGINT and SIGTERM quit @loop and cancel @cancellable if one is set, and
 * stay caught until unwatched: a second Ctrl+C while a session is written
 * waits for the file to be complete. */
typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  guint         sources[2];
  guint         received;
} CliSignals;

void     cli_signals_watch     (CliSignals         *signals,
                                GMainLoop          *loop);
void     cli_signals_unwatch   (CliSignals         *signals);

/* @report as JSON with --json, else as text for a terminal; 0, or 1 when
 * it cannot be written. */
int      cli_print_report      (ScopeReport        *report,
                                gboolean            json);
/* Pretty-printed JSON on standard output; 0, or 1 when it cannot be written. */
int      cli_print_json        (JsonNode           *node);

G_END_DECLS
