/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <json-glib/json-glib.h>

#include "cli-events.h"
#include "scope-payload.h"

/* --events: every recorded event as one line of JSON (JSON Lines), as it
 * is recorded, for scripts and for a lecturer's headless VM. */

static void
print_event (FILE       *out,
             ScopeEvent *event,
             ScopeRecorder *recorder)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = scope_event_dup_bytes (event);
  g_autofree char *message = scope_event_dup_message (event);
  g_autofree char *line = NULL;
  const ScopeSocketInfo *info = scope_recorder_get_socket (recorder,
                                                           scope_event_get_socket_id (event));
  const char *peer = scope_event_get_peer_address (event);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, (gint64) scope_event_get_index (event));
  json_builder_set_member_name (builder, "time_us");
  json_builder_add_int_value (builder, scope_event_get_time_us (event));
  json_builder_set_member_name (builder, "socket");
  json_builder_add_int_value (builder, scope_event_get_socket_id (event));
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, info->label);
  json_builder_set_member_name (builder, "local");
  json_builder_add_string_value (builder, info->local_address);
  if (peer != NULL)
    {
      json_builder_set_member_name (builder, "peer");
      json_builder_add_string_value (builder, peer);
    }
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, scope_event_kind_to_string (scope_event_get_kind (event)));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) scope_event_get_size (event));
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, (gint64) scope_event_get_stream_offset (event));
  if (scope_event_get_other_socket (event) != 0)
    {
      json_builder_set_member_name (builder, "accepted");
      json_builder_add_int_value (builder, scope_event_get_other_socket (event));
    }
  if (bytes != NULL)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);
      g_autofree char *text = scope_payload_render_text (data, size);

      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, text);
    }
  if (scope_event_get_truncated (event))
    {
      json_builder_set_member_name (builder, "truncated");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  fprintf (out, "%s\n", line);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  FILE *out = user_data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (model, i);

      print_event (out, event, SCOPE_RECORDER (model));
    }
  fflush (out);
}

void
cli_events_follow (ScopeRecorder *recorder,
                   FILE          *out)
{
  g_signal_connect (recorder, "items-changed", G_CALLBACK (on_items_changed), out);
}
