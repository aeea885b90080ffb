/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-event-inspector.h"
#include "scope-payload.h"
#include "scope-text.h"

/* The selected event, whichever view selected it: a sentence saying what
 * it was, then its bytes as text with escapes and as a hex dump numbered
 * by stream offset. */

struct _ScopeEventInspector
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkLabel    *summary_label;
  GtkTextView *text_view;
  GtkTextView *hex_view;
};

G_DEFINE_FINAL_TYPE (ScopeEventInspector, scope_event_inspector, ADW_TYPE_BIN)

/**
 * scope_event_inspector_show:
 * @index: an event of @recorder, or -1 for none
 * @description: (nullable): the event in words
 */
void
scope_event_inspector_show (ScopeEventInspector *self,
                            ScopeRecorder       *recorder,
                            gint64               index,
                            const char          *description)
{
  g_autofree char *text = NULL;
  g_autofree char *hex = NULL;
  ScopeRecord record;

  g_return_if_fail (SCOPE_IS_EVENT_INSPECTOR (self));
  g_return_if_fail (SCOPE_IS_RECORDER (recorder));

  if (index >= 0 && scope_recorder_get_record (recorder, (guint64) index, &record))
    {
      g_autoptr(GBytes) bytes = scope_recorder_dup_payload (recorder, (guint64) index);
      g_autofree char *message = scope_recorder_dup_error_message (recorder, (guint64) index);

      if (message != NULL)
        text = g_steal_pointer (&message);
      else if (record.truncated)
        text = g_strdup (_("These bytes were counted, not kept: the recorder had reached its "
                           "payload cap. Raise the cap in Preferences to keep more."));
      else if (bytes != NULL)
        {
          gsize size;
          const guint8 *data = g_bytes_get_data (bytes, &size);

          text = scope_payload_render_text (data, size);
          hex = scope_payload_render_hex_dump (data, size, record.stream_offset);
        }
      gtk_label_set_text (self->summary_label, description ? description : "");
    }
  else
    gtk_label_set_text (self->summary_label, _("Select an event to see its bytes."));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ? text : "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->hex_view), hex ? hex : "", -1);
}

static void
scope_event_inspector_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_EVENT_INSPECTOR);

  G_OBJECT_CLASS (scope_event_inspector_parent_class)->dispose (object);
}

static void
scope_event_inspector_class_init (ScopeEventInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_event_inspector_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-event-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeEventInspector, summary_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventInspector, text_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventInspector, hex_view);
}

static void
scope_event_inspector_init (ScopeEventInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The event's words and bytes as they are: no hyphen where a line breaks. */
  scope_text_label_no_hyphens (self->summary_label);
  scope_text_view_no_hyphens (self->text_view);
  scope_text_view_no_hyphens (self->hex_view);
}
