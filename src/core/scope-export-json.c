/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "scope-export-private.h"
#include "scope-stream-ends.h"
#include "scope-version.h"

/* The session for a script: a header, the sockets, then the events. */

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
  scope_export_append_uint64 (out, value);
}

static void
builder_add_text (JsonBuilder *builder,
                  const char  *name,
                  const char  *text)
{
  g_autofree char *valid = scope_export_dup_valid_utf8 (text);

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
                   guint64        n_events,
                   guint          n_sockets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *app = g_strdup_printf ("Sockscope %s", scope_version_string ());
  gint64 start_us = scope_recorder_get_start_real_time (recorder);
  g_autofree char *started = scope_export_format_iso8601 (start_us);
  g_autofree char *truncation = scope_export_describe_truncation_english (recorder);
  g_autofree char *stop = scope_export_describe_stop_english (recorder);

  json_builder_begin_object (builder);
  builder_add_text (builder, "format", "sockscope-session");
  builder_add_int (builder, "version", 1);
  builder_add_text (builder, "app", app);
  builder_add_text (builder, "app_version", scope_version_string ());
  builder_add_text (builder, "start_time", started);
  builder_add_int (builder, "start_time_us", start_us);
  builder_add_int (builder, "n_events", (gint64) n_events);
  builder_add_int (builder, "n_sockets", n_sockets);
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

/* A socket as it was when the export began: tied later to a socket not
 * in the export, or closed later, it is written as it was then. */
static void
json_write_socket (GString               *out,
                   const ScopeSocketInfo *info,
                   guint                  peer_id,
                   gint64                 closed_us)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  builder_add_int (builder, "id", info->id);
  builder_add_text (builder, "role", scope_export_role_to_string (info->role));
  builder_add_text (builder, "protocol", scope_export_protocol_to_string (info->protocol));
  builder_add_text (builder, "label", info->label);
  builder_add_text (builder, "local", info->local_address);
  builder_add_text (builder, "peer", info->peer_address);
  json_builder_set_member_name (builder, "parent");
  if (info->parent_id != 0)
    json_builder_add_int_value (builder, info->parent_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "peer_socket");
  if (peer_id != 0)
    json_builder_add_int_value (builder, peer_id);
  else
    json_builder_add_null_value (builder);
  builder_add_int (builder, "opened_us", info->opened_us);
  json_builder_set_member_name (builder, "closed_us");
  if (closed_us >= 0)
    json_builder_add_int_value (builder, closed_us);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_append_node (out, builder);
}

typedef enum
{
  JSON_SOCKETS,
  JSON_EVENTS,
  JSON_END,
  JSON_DONE,
} JsonPhase;

typedef struct
{
  JsonPhase  phase;
  guint64    next;        /* the socket id, then the event, to write next */
  guint     *peer_id;     /* by socket id, as the export began */
  gint64    *closed_us;
} JsonExport;

static void
json_write_event (ScopeExportWriter *writer,
                  guint64            i)
{
  ScopeRecorder *recorder = writer->recorder;
  GString *out = writer->out;
  ScopeRecord record;
  const char *peer = scope_recorder_get_record_peer (recorder, i);

  scope_recorder_get_record (recorder, i, &record);
  g_string_append (out, i > writer->first ? ",\n{\"index\":" : "\n{\"index\":");
  scope_export_append_uint64 (out, record.index);
  json_member_number (out, "time_us", (guint64) record.time_us);
  /* A receive's arrival, as the kernel stamped it; absent where untold. */
  if (record.arrived_us >= 0)
    json_member_number (out, "arrived_us", (guint64) record.arrived_us);
  /* And of its first bytes: a stream's receive may take several segments. */
  if (record.arrived_first_us >= 0)
    json_member_number (out, "arrived_first_us", (guint64) record.arrived_first_us);
  json_member_number (out, "socket", record.socket_id);
  json_member_string (out, "kind", scope_event_kind_to_string (record.kind));
  json_member_number (out, "size", record.size);
  json_member_number (out, "stream_offset", record.stream_offset);
  g_string_append_printf (out, ",\"truncated\":%s", record.truncated ? "true" : "false");
  if (peer != NULL)
    {
      g_autofree char *fixed = NULL;

      json_member_string (out, "peer", scope_export_valid_utf8 (peer, &fixed));
    }
  if (record.kind == SCOPE_EVENT_ACCEPT)
    json_member_number (out, "accepted", record.aux);
  /* A queue's size counts connections waiting; its limit beside it. */
  if (record.kind == SCOPE_EVENT_QUEUE)
    json_member_number (out, "backlog", record.aux);
  /* Bytes unread count bytes; the receive buffer's size beside them. */
  if (record.kind == SCOPE_EVENT_UNREAD)
    json_member_number (out, "receive_buffer", record.aux);
  /* On a datagram socket, how many datagrams those bytes are */
  if (record.kind == SCOPE_EVENT_UNREAD && record.stream_offset > 0)
    json_member_number (out, "datagrams", record.stream_offset);
  if (record.kind == SCOPE_EVENT_ERROR)
    {
      g_autofree char *message = scope_recorder_dup_error_message (recorder, i);

      json_member_string (out, "error_code", scope_export_error_code_to_string (record.aux));
      if (message != NULL)
        {
          g_autofree char *fixed = NULL;

          json_member_string (out, "message", scope_export_valid_utf8 (message, &fixed));
        }
    }
  if (record.has_payload)
    {
      g_autoptr(GBytes) bytes = scope_recorder_dup_payload (recorder, i);
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);

      g_string_append (out, ",\"hex\":\"");
      scope_export_append_hex (out, data, size);
      g_string_append_c (out, '"');
      if (scope_export_payload_is_text (data, size))
        {
          g_string_append (out, ",\"text\":");
          json_string (out, (const char *) data, size);
        }
    }
  g_string_append_c (out, '}');
}

static gpointer
json_begin (ScopeExportWriter *writer)
{
  JsonExport *json = g_new0 (JsonExport, 1);
  const ScopeStreamEnds *ends = scope_recorder_get_stream_ends (writer->recorder);

  json->peer_id = g_new0 (guint, writer->n_sockets + 1);
  json->closed_us = g_new0 (gint64, writer->n_sockets + 1);
  for (guint id = 1; id <= writer->n_sockets; id++)
    {
      const ScopeSocketInfo *info = scope_recorder_get_socket (writer->recorder, id);
      /* The other end by the one rule the timeline and the pcapng follow,
       * also one paired after it closed (scope-stream-ends.c). */
      guint peer = scope_stream_ends_get_peer (ends, id);

      json->peer_id[id] = peer <= writer->n_sockets ? peer : 0;
      json->closed_us[id] = info->closed_us;
    }
  /* The header's counts and notes, as the export began. */
  json_write_header (writer->recorder, writer->out, writer->n_events - writer->first,
                     writer->n_sockets);
  g_string_append (writer->out, ",\n\"sockets\":[");
  json->next = 1;
  json->phase = JSON_SOCKETS;
  return json;
}

static gboolean
json_step (ScopeExportWriter *writer,
           gpointer           state)
{
  JsonExport *json = state;
  GString *out = writer->out;

  switch (json->phase)
    {
    case JSON_SOCKETS:
      if (json->next <= writer->n_sockets)
        {
          guint id = (guint) json->next++;

          g_string_append (out, id > 1 ? ",\n" : "\n");
          json_write_socket (out, scope_recorder_get_socket (writer->recorder, id),
                             json->peer_id[id], json->closed_us[id]);
          return TRUE;
        }
      g_string_append (out, "],\n\"events\":[");
      json->next = writer->first;
      json->phase = JSON_EVENTS;
      return TRUE;

    case JSON_EVENTS:
      if (json->next < writer->n_events)
        {
          json_write_event (writer, json->next++);
          writer->done++;
        }
      else
        json->phase = JSON_END;
      return TRUE;

    case JSON_END:
      g_string_append (out, "\n]}\n");
      json->phase = JSON_DONE;
      return TRUE;

    case JSON_DONE:
    default:
      return FALSE;
    }
}

static void
json_free (gpointer state)
{
  JsonExport *json = state;

  g_free (json->peer_id);
  g_free (json->closed_us);
  g_free (json);
}

const ScopeExportFormatWriter scope_export_json_writer = {
  json_begin,
  json_step,
  json_free,
};
