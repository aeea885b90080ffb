/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-export-private.h"

/* The session for a spreadsheet: one row an event, RFC 4180, with the
 * bytes in hex and, when they are text, as text. */

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
  scope_export_append_uint64 (out, value);
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
socket_texts_new (ScopeRecorder *recorder,
                  guint          n)
{
  SocketText *texts = g_new0 (SocketText, n + 1);

  for (guint id = 1; id <= n; id++)
    {
      const ScopeSocketInfo *info = scope_recorder_get_socket (recorder, id);

      texts[id].label = scope_export_dup_valid_utf8 (info->label);
      texts[id].local = scope_export_dup_valid_utf8 (info->local_address);
      texts[id].peer = scope_export_dup_valid_utf8 (info->peer_address);
    }
  return texts;
}

typedef enum
{
  CSV_HEADER,
  CSV_EVENTS,
  CSV_STOP,
  CSV_DONE,
} CsvPhase;

typedef struct
{
  CsvPhase    phase;
  guint64     next;        /* the event to write next */
  guint       n_sockets;
  SocketText *texts;
  char       *stop;        /* the last row's words, as the export began; NULL for none */
  gint64      stopped_us;
} CsvExport;

static void
csv_write_event (ScopeExportWriter *writer,
                 CsvExport         *csv,
                 guint64            i)
{
  ScopeRecorder *recorder = writer->recorder;
  GString *out = writer->out;
  ScopeRecord record;
  const ScopeSocketInfo *info;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *message = NULL;
  g_autofree char *fixed_peer = NULL;
  const char *peer;

  scope_recorder_get_record (recorder, i, &record);
  info = scope_recorder_get_socket (recorder, record.socket_id);
  peer = scope_export_valid_utf8 (scope_recorder_get_record_peer (recorder, i), &fixed_peer);

  csv_number (out, record.index);
  csv_number (out, (guint64) record.time_us);
  /* A receive's arrival, as the kernel stamped it; empty where untold. */
  if (record.arrived_us >= 0)
    csv_number (out, (guint64) record.arrived_us);
  else
    csv_field (out, NULL, FALSE);
  /* ...and when its first bytes did: a stream's receive may take segments
   * that came a second apart (S14). */
  if (record.arrived_first_us >= 0)
    csv_number (out, (guint64) record.arrived_first_us);
  else
    csv_field (out, NULL, FALSE);
  csv_number (out, record.socket_id);
  csv_field (out, scope_export_role_to_string (info->role), FALSE);
  csv_field (out, scope_export_protocol_to_string (info->protocol), FALSE);
  csv_field (out, csv->texts[record.socket_id].label, FALSE);
  csv_field (out, csv->texts[record.socket_id].local, FALSE);
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
      csv_field (out, scope_export_error_code_to_string (record.aux), FALSE);
      csv_field (out, scope_export_valid_utf8 (message, &fixed), FALSE);
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

      scope_export_append_hex (out, data, size);
      g_string_append_c (out, ',');
      if (scope_export_payload_is_text (data, size))
        csv_field_len (out, (const char *) data, size, TRUE);
      else
        csv_field (out, NULL, TRUE);
    }
  else
    g_string_append (out, ",\r\n");
}

/* A spreadsheet has no header to say it in: the stop is the last row. */
static void
csv_write_stop (ScopeExportWriter *writer,
                CsvExport         *csv)
{
  GString *out = writer->out;

  csv_number (out, writer->n_events);
  if (csv->stopped_us >= 0)
    csv_number (out, (guint64) csv->stopped_us);
  else
    csv_field (out, NULL, FALSE);
  /* arrived_us, arrived_first_us, socket, role, protocol, label, local, peer */
  for (guint k = 0; k < 8; k++)
    csv_field (out, NULL, FALSE);
  csv_field (out, "stopped", FALSE);
  for (guint k = 0; k < 5; k++)
    csv_field (out, NULL, FALSE);
  csv_field (out, csv->stop, FALSE);
  csv_field (out, NULL, FALSE);
  csv_field (out, NULL, TRUE);
}

static gpointer
csv_begin (ScopeExportWriter *writer)
{
  CsvExport *csv = g_new0 (CsvExport, 1);

  csv->n_sockets = writer->n_sockets;
  csv->next = writer->first;
  csv->texts = socket_texts_new (writer->recorder, writer->n_sockets);
  if (scope_export_has_stop (writer->recorder))
    {
      csv->stop = scope_export_describe_stop_english (writer->recorder);
      csv->stopped_us = scope_recorder_get_stopped_us (writer->recorder);
    }
  return csv;
}

static gboolean
csv_step (ScopeExportWriter *writer,
          gpointer           state)
{
  CsvExport *csv = state;

  switch (csv->phase)
    {
    case CSV_HEADER:
      g_string_append (writer->out,
                       "index,time_us,arrived_us,arrived_first_us,socket,role,protocol,label,"
                       "local,peer,kind,size,stream_offset,other_socket,truncated,error_code,"
                       "error_message,bytes_hex,text\r\n");
      csv->phase = CSV_EVENTS;
      return TRUE;

    case CSV_EVENTS:
      if (csv->next < writer->n_events)
        {
          csv_write_event (writer, csv, csv->next++);
          writer->done++;
        }
      else
        csv->phase = CSV_STOP;
      return TRUE;

    case CSV_STOP:
      if (csv->stop != NULL)
        csv_write_stop (writer, csv);
      csv->phase = CSV_DONE;
      return TRUE;

    case CSV_DONE:
    default:
      return FALSE;
    }
}

static void
csv_free (gpointer state)
{
  CsvExport *csv = state;

  socket_texts_free (csv->texts, csv->n_sockets);
  g_free (csv->stop);
  g_free (csv);
}

const ScopeExportFormatWriter scope_export_csv_writer = {
  csv_begin,
  csv_step,
  csv_free,
};
