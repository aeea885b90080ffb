/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-describe.h"
#include "scope-event-list.h"
#include "scope-text.h"
#include "scope-payload.h"

/* The live list of socket events: one row per event, made only for the
 * rows on screen; a filter by socket; the selected event's bytes as text
 * and as a hex dump; and the recorder's counts, always in sight. */

#define PREVIEW_BYTES 48

typedef enum
{
  COLUMN_TIME,
  COLUMN_SOCKET,
  COLUMN_KIND,
  COLUMN_SIZE,
  COLUMN_DATA,
} Column;

struct _ScopeEventList
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkDropDown          *socket_dropdown;
  GtkToggleButton      *follow_button;
  GtkLabel             *status_label;
  GtkScrolledWindow    *scroller;
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *time_column;
  GtkColumnViewColumn  *socket_column;
  GtkColumnViewColumn  *kind_column;
  GtkColumnViewColumn  *size_column;
  GtkColumnViewColumn  *data_column;

  /* Owned */
  ScopeRecorder      *recorder;
  GtkStringList      *socket_names;
  GtkCustomFilter    *filter;     /* owned: in the model only while one socket is chosen */
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  guint               follow_source;
  guint               selected_source;
};

G_DEFINE_FINAL_TYPE (ScopeEventList, scope_event_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
event_preview (ScopeEvent *event)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *message = scope_event_dup_message (event);
  g_autofree char *text = NULL;
  gsize size;
  const guint8 *data;

  if (message != NULL)
    return g_steal_pointer (&message);
  if (scope_event_get_truncated (event))
    return g_strdup (_("(not kept: past the payload cap)"));
  bytes = scope_event_dup_bytes (event);
  if (bytes == NULL)
    return g_strdup ("");
  data = g_bytes_get_data (bytes, &size);
  text = scope_payload_render_text (data, MIN (size, PREVIEW_BYTES));
  return size > PREVIEW_BYTES ? g_strconcat (text, "…", NULL) : g_steal_pointer (&text);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_TIME || column == COLUMN_SIZE);
  if (column == COLUMN_SOCKET || column == COLUMN_DATA)
    {
      /* Addresses and bytes are read whole: they wrap where the column
       * ends, at no hyphen, rather than lose their end to an ellipsis. Their
       * natural width is a few words', so the columns share the width
       * there is instead of asking for all of it. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), column == COLUMN_DATA ? 32 : 24);
      gtk_widget_set_hexpand (label, TRUE);
      scope_text_label_no_hyphens (GTK_LABEL (label));
    }
  else
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
    }
  if (column != COLUMN_KIND)
    gtk_widget_add_css_class (label, "scope-mono");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  ScopeEventList *self = g_object_get_data (G_OBJECT (factory), "event-list");
  Column column = GPOINTER_TO_UINT (user_data);
  ScopeEvent *event = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;
  ScopeEventKind kind;

  switch (column)
    {
    case COLUMN_TIME:
      /* In seconds to the microsecond, as the inspector and the
       * timeline's words say it (the fourth trial read 5-digit ms). */
      text = g_strdup_printf ("%.6f", scope_event_get_time_us (event) / 1e6);
      break;
    case COLUMN_SOCKET:
      text = scope_describe_socket_short (scope_recorder_get_socket (self->recorder,
                                                         scope_event_get_socket_id (event)));
      break;
    case COLUMN_KIND:
      text = g_strdup (scope_event_kind_to_string (scope_event_get_kind (event)));
      break;
    case COLUMN_SIZE:
      /* Only where bytes move or wait: a queue's step counts connections
       * ("queue 6" under Bytes read as six bytes, the eighteenth trial),
       * and an accept's or a close's "0" hid S15's zero-byte read among
       * them (the nineteenth) */
      kind = scope_event_get_kind (event);
      text = scope_event_kind_is_send (kind) || scope_event_kind_is_receive (kind)
             || kind == SCOPE_EVENT_UNREAD
             ? g_strdup_printf ("%" G_GSIZE_FORMAT, scope_event_get_size (event))
             : g_strdup ("");
      break;
    case COLUMN_DATA:
    default:
      if (scope_event_get_kind (event) == SCOPE_EVENT_QUEUE)
        {
          ScopeRecord record;

          if (scope_recorder_get_record (self->recorder, scope_event_get_index (event), &record))
            text = g_strdup_printf (_("%u waiting · backlog %u"), (guint) record.size, record.aux);
        }
      if (text == NULL)
        text = event_preview (event);
      break;
    }
  gtk_label_set_text (label, text);
}

static void
set_column_factory (ScopeEventList      *self,
                    GtkColumnViewColumn *column,
                    Column               which)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "event-list", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (which));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (which));
  gtk_column_view_column_set_factory (column, factory);
}

static void
update_status (ScopeEventList *self)
{
  g_autofree char *kept = g_format_size (scope_recorder_get_stored_bytes (self->recorder));
  g_autofree char *past = g_format_size (scope_recorder_get_truncated_bytes (self->recorder));
  /* What the list holds: since the New Session, if there was one. */
  guint64 n = scope_recorder_get_n_events (self->recorder)
              - scope_recorder_get_first_index (self->recorder);
  guint64 dropped = scope_recorder_get_dropped_events (self->recorder);
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  g_autofree char *text = NULL;

  /* ngettext counts in unsigned long; past that, the plural form is right
   * for any language that matters here. */
  /* Translators: a number of events, bytes kept, bytes not kept */
  text = g_strdup_printf (ngettext ("%s event · %s kept · %s past the cap",
                                    "%s events · %s kept · %s past the cap",
                                    (unsigned long) MIN (n, G_MAXULONG)),
                          count, kept, past);
  if (dropped > 0)
    {
      g_autofree char *dropped_count = g_strdup_printf ("%" G_GUINT64_FORMAT, dropped);
      g_autofree char *more = g_strdup_printf (ngettext (/* Translators: the counts above,
                                                          * then a number of events past
                                                          * the recorder's limits */
                                                         "%s · %s event dropped",
                                                         "%s · %s events dropped",
                                                         (unsigned long) MIN (dropped,
                                                                              G_MAXULONG)),
                                               text, dropped_count);

      g_free (text);
      text = g_steal_pointer (&more);
    }
  gtk_label_set_text (self->status_label, text);
}

static void
update_socket_names (ScopeEventList *self)
{
  guint have = g_list_model_get_n_items (G_LIST_MODEL (self->socket_names));
  guint n = scope_recorder_get_n_sockets (self->recorder);

  for (guint id = have; id <= n; id++)
    {
      g_autofree char *name = NULL;

      if (id == 0)
        name = g_strdup (_("All sockets"));
      else
        name = scope_describe_socket_short (scope_recorder_get_socket (self->recorder, id));
      gtk_string_list_append (self->socket_names, name);
    }
}

static gboolean
filter_event (gpointer item,
              gpointer user_data)
{
  ScopeEventList *self = user_data;
  guint wanted = gtk_drop_down_get_selected (self->socket_dropdown);

  return wanted == 0 || wanted == GTK_INVALID_LIST_POSITION
         || scope_event_get_socket_id (item) == wanted;
}

/* All sockets: no filter at all, so a million events cost nothing to show.
 * One socket: filtered a slice per frame, never freezing the window. */
static void
on_socket_selected (ScopeEventList *self)
{
  guint wanted = gtk_drop_down_get_selected (self->socket_dropdown);

  if (wanted == 0 || wanted == GTK_INVALID_LIST_POSITION)
    gtk_filter_list_model_set_filter (self->filtered, NULL);
  else
    {
      gtk_filter_list_model_set_filter (self->filtered, GTK_FILTER (self->filter));
      gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
    }
}

static gboolean
follow_idle (gpointer user_data)
{
  ScopeEventList *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->follow_source = 0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

static void
on_items_changed (ScopeEventList *self)
{
  /* After the list has laid out its new rows. */
  if (gtk_toggle_button_get_active (self->follow_button) && self->follow_source == 0)
    self->follow_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, follow_idle, self, NULL);
}

/* Turned on, the list goes to the newest at once, not at the next event
 * (found in the trial: it stayed at the top of 62 rows). */
static void
on_follow_toggled (ScopeEventList *self)
{
  if (gtk_toggle_button_get_active (self->follow_button) && self->follow_source == 0)
    self->follow_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, follow_idle, self, NULL);
}

/* The selected row in the middle of the list. */
static void
scroll_to_selected (ScopeEventList *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint position = gtk_single_selection_get_selected (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (position == GTK_INVALID_LIST_POSITION)
    return;
  /* Rows are of one height: the row's share of the list's height. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * position
                                        / MAX (n, 1)
                                        - gtk_adjustment_get_page_size (adjustment) / 2);
}

static gboolean
scroll_to_selected_idle (gpointer user_data)
{
  ScopeEventList *self = user_data;

  self->selected_source = 0;
  scroll_to_selected (self);
  return G_SOURCE_REMOVE;
}

/* Shown again (the List tab): at the selection, chosen on the timeline
 * meanwhile (the sixth trial found the list at its top, the row out of
 * sight), else at the newest while following, as the pressed button says;
 * hidden, the list had no height to scroll. After the list's layout. */
static void
on_map (ScopeEventList *self)
{
  if (gtk_single_selection_get_selected (self->selection) != GTK_INVALID_LIST_POSITION)
    {
      if (self->selected_source == 0)
        self->selected_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, scroll_to_selected_idle,
                                                 self, NULL);
    }
  else
    on_follow_toggled (self);
}

static void
on_selection_changed (ScopeEventList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/**
 * scope_event_list_get_selected:
 *
 * Returns: the index in the recorder of the selected event, or -1
 */
gint64
scope_event_list_get_selected (ScopeEventList *self)
{
  ScopeEvent *event;

  g_return_val_if_fail (SCOPE_IS_EVENT_LIST (self), -1);

  event = gtk_single_selection_get_selected_item (self->selection);
  return event ? (gint64) scope_event_get_index (event) : -1;
}

/**
 * scope_event_list_set_selected:
 * @index: an event's index in the recorder, or -1 for none
 *
 * Selects the event and scrolls to it, when the list shows it: an event
 * of another socket than the one chosen is not in the list.
 */
void
scope_event_list_set_selected (ScopeEventList *self,
                               gint64          index)
{
  guint position = GTK_INVALID_LIST_POSITION;
  guint64 first;
  guint wanted;

  g_return_if_fail (SCOPE_IS_EVENT_LIST (self));

  if (index == scope_event_list_get_selected (self))
    return;
  wanted = gtk_drop_down_get_selected (self->socket_dropdown);
  /* The list starts at the recorder's first index (a New Session's cut), so
   * an event's row is its index less that. */
  first = self->recorder ? scope_recorder_get_first_index (self->recorder) : 0;
  if (index >= 0 && (guint64) index >= first && (guint64) index - first < G_MAXUINT
      && (wanted == 0 || wanted == GTK_INVALID_LIST_POSITION)
      && (guint64) index - first < g_list_model_get_n_items (G_LIST_MODEL (self->filtered)))
    position = (guint) ((guint64) index - first);
  gtk_single_selection_set_selected (self->selection, position);
  if (position != GTK_INVALID_LIST_POSITION)
    {
      gtk_toggle_button_set_active (self->follow_button, FALSE);
      scroll_to_selected (self);
    }
}

void
scope_event_list_set_recorder (ScopeEventList *self,
                               ScopeRecorder  *recorder)
{
  g_return_if_fail (SCOPE_IS_EVENT_LIST (self));
  g_return_if_fail (SCOPE_IS_RECORDER (recorder));
  g_return_if_fail (self->recorder == NULL);

  self->recorder = g_object_ref (recorder);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (recorder));
  g_signal_connect_object (recorder, "notify::n-events", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (recorder, "notify::dropped-events", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  /* A New Session changes what the list holds without a new event. */
  g_signal_connect_object (recorder, "items-changed", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (recorder, "notify::n-sockets", G_CALLBACK (update_socket_names), self,
                           G_CONNECT_SWAPPED);
  update_status (self);
  update_socket_names (self);
}

static void
scope_event_list_dispose (GObject *object)
{
  ScopeEventList *self = SCOPE_EVENT_LIST (object);

  g_clear_handle_id (&self->follow_source, g_source_remove);
  g_clear_handle_id (&self->selected_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_EVENT_LIST);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);
  g_clear_object (&self->socket_names);
  g_clear_object (&self->recorder);

  G_OBJECT_CLASS (scope_event_list_parent_class)->dispose (object);
}

static void
scope_event_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_int64 (value, scope_event_list_get_selected (SCOPE_EVENT_LIST (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_event_list_class_init (ScopeEventListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_event_list_dispose;
  object_class->get_property = scope_event_list_get_property;

  properties[PROP_SELECTED] =
    g_param_spec_int64 ("selected", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-event-list.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, socket_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, follow_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, scroller);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, column_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, time_column);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, socket_column);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, kind_column);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, size_column);
  gtk_widget_class_bind_template_child (widget_class, ScopeEventList, data_column);
}

static void
scope_event_list_init (ScopeEventList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->follow_button, "toggled", G_CALLBACK (on_follow_toggled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);

  self->socket_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->socket_dropdown, G_LIST_MODEL (self->socket_names));
  g_signal_connect_object (self->socket_dropdown, "notify::selected",
                           G_CALLBACK (on_socket_selected), self, G_CONNECT_SWAPPED);

  self->filter = gtk_custom_filter_new (filter_event, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, NULL);
  gtk_filter_list_model_set_incremental (self->filtered, TRUE);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);

  set_column_factory (self, self->time_column, COLUMN_TIME);
  set_column_factory (self, self->socket_column, COLUMN_SOCKET);
  set_column_factory (self, self->kind_column, COLUMN_KIND);
  set_column_factory (self, self->size_column, COLUMN_SIZE);
  set_column_factory (self, self->data_column, COLUMN_DATA);
}
