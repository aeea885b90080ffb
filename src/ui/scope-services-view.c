/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-port-facts.h"
#include "scope-port-rows.h"
#include "scope-rows.h"
#include "scope-service-results.h"
#include "scope-service-search.h"
#include "scope-services-view.h"

/* The Services part of the Ports page: the services database as a
 * searchable, sortable table beside the detail of one port, and a button
 * that starts an echo server on it (the window's `win.start-server`). */

/* The detail reads the kernel's tables, which walks /proc, once the
 * selection has rested this long: not for every row passed with ↓. */
#define DETAIL_SOCKETS_DELAY_MS 200

/* What the drop-downs' items choose, in their order in the template. */
static const ScopeServiceSearchProtocol protocol_choices[] = {
  SCOPE_SERVICE_SEARCH_ANY_PROTOCOL,   /* All Protocols */
  SCOPE_SERVICE_SEARCH_TCP,            /* TCP */
  SCOPE_SERVICE_SEARCH_UDP,            /* UDP */
};

static const int class_choices[] = {
  SCOPE_SERVICE_SEARCH_ANY_CLASS,      /* All Classes */
  SCOPE_PORT_CLASS_WELL_KNOWN,         /* Well-known */
  SCOPE_PORT_CLASS_REGISTERED,         /* Registered */
  SCOPE_PORT_CLASS_DYNAMIC,            /* Dynamic */
};

struct _ScopeServicesView
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwLeaflet            *services_leaflet;
  GtkWidget             *services_list_box;
  GtkSearchEntry        *search_entry;
  GtkDropDown           *protocol_dropdown;
  GtkDropDown           *class_dropdown;
  GtkLabel              *count_label;
  GtkColumnView         *services_view;
  GtkStack              *detail_stack;
  GtkScrolledWindow     *detail_scroller;
  GtkLabel              *detail_title;
  GtkLabel              *detail_subtitle;
  GtkListBox            *class_list;
  GtkListBox            *local_list;
  GtkListBox            *connect_list;
  GtkButton             *start_server_button;

  /* Owned */
  ScopeServiceCatalogue *catalogue;
  GtkSortListModel      *sorted;
  ScopeServiceResults   *results;
  ScopeService          *shown;          /* the service in the detail */
  GCancellable          *cancellable;    /* reading the database */
  GCancellable          *detail_cancellable;
  gboolean               catalogue_requested;
};

G_DEFINE_FINAL_TYPE (ScopeServicesView, scope_services_view, ADW_TYPE_BIN)

/* ------------------------------------------------------------------------ */
/* The table                                                                */

static void
update_count (ScopeServicesView *self)
{
  guint total, shown, port;
  g_autofree char *text = NULL;

  if (self->catalogue == NULL)
    return;
  total = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));
  shown = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  if (shown == total)
    /* Translators: how many entries, then where they were read */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry. %s", "%u entries. %s",
                                         total),
                            total, scope_service_catalogue_get_source (self->catalogue));
  else
    /* Translators: how many entries match, of how many */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u entry", "%u of %u entries",
                                         total),
                            shown, total);
  /* A port no service is named for still has a class and may be free:
   * where to see that, rather than an empty table alone. */
  if (shown == 0
      && scope_port_parse (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), &port,
                           NULL))
    {
      g_autofree char *counted = g_steal_pointer (&text);

      /* Translators: the count of entries, then a port number */
      text = g_strdup_printf (_("%s. No service is named for port %u: Status tells its class, "
                                "whether it is free here and what holds it"), counted, port);
    }
  gtk_label_set_text (self->count_label, text);
}

/* The search entry says "search-changed" after a pause, and also at once
 * in some cases; the results do nothing for the search they show. */
static void
on_filter_changed (ScopeServicesView *self)
{
  guint protocol = gtk_drop_down_get_selected (self->protocol_dropdown);
  guint port_class = gtk_drop_down_get_selected (self->class_dropdown);

  /* The template's drop-downs speak before the table is made. */
  if (self->results == NULL)
    return;
  /* No item chosen is the first: all of them. */
  if (protocol >= G_N_ELEMENTS (protocol_choices))
    protocol = 0;
  if (port_class >= G_N_ELEMENTS (class_choices))
    port_class = 0;
  scope_service_results_set_search (self->results,
                                    scope_service_search_new (
                                      gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                      protocol_choices[protocol], class_choices[port_class]));
  update_count (self);
}

typedef void (*CellShow) (GtkWidget    *child,
                          ScopeService *service);

static void
show_name (GtkWidget    *label,
           ScopeService *service)
{
  gtk_label_set_text (GTK_LABEL (label), scope_service_get_name (service));
}

static void
show_port (GtkWidget    *label,
           ScopeService *service)
{
  char text[8];

  g_snprintf (text, sizeof text, "%u", scope_service_get_port (service));
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
show_protocol (GtkWidget    *label,
               ScopeService *service)
{
  gtk_label_set_text (GTK_LABEL (label), scope_service_get_protocol (service));
}

/* The tag that names a port's class, coloured by class. */
static void
show_class (GtkWidget    *label,
            ScopeService *service)
{
  ScopePortClass port_class = scope_service_get_port_class (service);

  for (guint i = 0; i < SCOPE_N_PORT_CLASSES; i++)
    if (i != port_class)
      gtk_widget_remove_css_class (label, scope_port_class_to_string (i));
  gtk_widget_add_css_class (label, scope_port_class_to_string (port_class));
  gtk_label_set_text (GTK_LABEL (label), scope_port_class_get_title (port_class));
}

static void
show_aliases (GtkWidget    *label,
              ScopeService *service)
{
  g_autofree char *text = scope_service_dup_aliases_text (service);

  gtk_label_set_text (GTK_LABEL (label), text);
}

/* A row of the table keeps its cells while a search changes what it
 * holds: the cells follow it. */
static void
cell_refresh (ScopeServiceRow *row,
              GParamSpec      *pspec,
              GtkListItem     *item)
{
  CellShow show = g_object_get_data (G_OBJECT (item), "scope-cell-show");

  show (gtk_list_item_get_child (item), scope_service_row_get_service (row));
}

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            CellShow                  show)
{
  GtkWidget *label = gtk_label_new (NULL);

  if (show == show_class)
    {
      gtk_widget_add_css_class (label, "scope-port-class");
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), show == show_port ? 1.0 : 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  g_object_set_data (G_OBJECT (item), "scope-cell-show", show);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  ScopeServiceRow *row = gtk_list_item_get_item (item);

  cell_refresh (row, NULL, item);
  g_signal_connect (row, "notify::service", G_CALLBACK (cell_refresh), item);
}

static void
cell_unbind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), cell_refresh, item);
}

static GtkColumnViewColumn *
add_column (ScopeServicesView *self,
            const char        *title,
            CellShow           show,
            GtkSorter         *sorter,
            gboolean           expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), show);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), NULL);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->services_view, column);
  g_clear_object (&sorter);
  /* The view holds the column; ours goes. */
  g_object_unref (column);
  return column;
}

static GtkSorter *
string_sorter (const char *property)
{
  return GTK_SORTER (gtk_string_sorter_new (
    gtk_property_expression_new (SCOPE_TYPE_SERVICE, NULL, property)));
}

static GtkSorter *
numeric_sorter (const char *property)
{
  return GTK_SORTER (gtk_numeric_sorter_new (
    gtk_property_expression_new (SCOPE_TYPE_SERVICE, NULL, property)));
}

static void show_service (ScopeServicesView *self,
                          ScopeService      *service);

static void
on_selection_changed (ScopeServicesView *self)
{
  show_service (self, scope_service_results_get_selected_service (self->results));
}

static void
build_table (ScopeServicesView *self)
{
  GtkColumnViewColumn *port_column;

  add_column (self, _("Name"), show_name, string_sorter ("name"), TRUE);
  port_column = add_column (self, _("Port"), show_port, numeric_sorter ("port"), FALSE);
  add_column (self, _("Protocol"), show_protocol, string_sorter ("protocol"), FALSE);
  /* The class follows from the port. */
  add_column (self, _("Class"), show_class, numeric_sorter ("port"), FALSE);
  add_column (self, _("Aliases"), show_aliases, string_sorter ("aliases-text"), TRUE);

  /* Sorted first, then searched: a keystroke does not sort again. */
  self->sorted = gtk_sort_list_model_new (NULL,
                                          g_object_ref (gtk_column_view_get_sorter (
                                                          self->services_view)));
  self->results = scope_service_results_new (G_LIST_MODEL (self->sorted));
  gtk_column_view_set_model (self->services_view, GTK_SELECTION_MODEL (self->results));
  g_signal_connect_object (self->results, "notify::selected-service",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results, "items-changed",
                           G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  /* By port, as the database is. */
  gtk_column_view_sort_by_column (self->services_view, port_column, GTK_SORT_ASCENDING);

  /* Folded, the table and the detail take turns: one click on a row, like
   * Enter, goes to its detail. */
  g_object_bind_property (self->services_leaflet, "folded", self->services_view,
                          "single-click-activate", G_BINDING_SYNC_CREATE);
}

static void
catalogue_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeServiceCatalogue) catalogue = scope_service_catalogue_load_finish (result,
                                                                                    &error);
  /* The callback keeps the view alive: see scope-lookup-page.c. */
  g_autoptr(ScopeServicesView) self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (catalogue == NULL || self->catalogue != NULL)
    return;
  scope_services_view_set_catalogue (self, catalogue);
}

/* ------------------------------------------------------------------------ */
/* The detail of one service                                                */

static char *
connect_python (guint       port,
                gboolean    udp)
{
  if (udp)
    return g_strdup_printf ("import socket\n"
                            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                            "s.sendto(b'hello', ('127.0.0.1', %u))", port);
  return g_strdup_printf ("import socket\n"
                          "s = socket.create_connection(('127.0.0.1', %u))", port);
}

static void
show_class_facts (ScopeServicesView *self,
                  ScopeService      *service)
{
  gboolean udp = g_strcmp0 (scope_service_get_protocol (service), "udp") == 0;
  /* The class, privileged and ephemeral rows are the port's facts as the
   * command line's "port" tells them (scope-port-facts.c); without
   * SCOPE_PORT_FACTS_HERE they only read the two ranges, so this does not
   * block. */
  g_autoptr(ScopeReport) facts = scope_port_facts (scope_service_get_port (service),
                                                   udp ? SCOPE_PORT_FACTS_UDP
                                                       : SCOPE_PORT_FACTS_TCP,
                                                   NULL);
  ScopeReportSection *rows = scope_report_find_section (facts, "facts");
  g_autofree char *aliases = NULL;

  scope_rows_clear (self->class_list);
  scope_rows_append_section (self->class_list, rows);
  /* Aliases are the service's, not the port's. */
  aliases = scope_service_dup_aliases_text (service);
  if (aliases[0] != '\0')
    scope_rows_append (self->class_list,
                       scope_rows_fact_new (aliases, _("Other names of the service")));
}

static void
show_service (ScopeServicesView *self,
              ScopeService      *service)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *shell = NULL;
  g_autofree char *python = NULL;
  g_autofree char *button = NULL;
  guint port;
  gboolean udp;

  /* Another service reads from its top: its name and class, not where
   * the last one was scrolled to. */
  if (g_set_object (&self->shown, service))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
  if (service == NULL)
    {
      g_cancellable_cancel (self->detail_cancellable);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }

  port = scope_service_get_port (service);
  udp = g_strcmp0 (scope_service_get_protocol (service), "udp") == 0;

  gtk_label_set_text (self->detail_title, scope_service_get_name (service));
  subtitle = g_strdup_printf ("%u/%s", port, scope_service_get_protocol (service));
  gtk_label_set_text (self->detail_subtitle, subtitle);

  show_class_facts (self, service);
  scope_port_rows_show_status (self->local_list, &self->detail_cancellable, port, !udp, udp,
                               DETAIL_SOCKETS_DELAY_MS);

  scope_rows_clear (self->connect_list);
  shell = udp ? g_strdup_printf ("nc -u 127.0.0.1 %u", port)
              : g_strdup_printf ("nc 127.0.0.1 %u", port);
  python = connect_python (port, udp);
  scope_rows_append (self->connect_list,
                     scope_rows_value_new (shell, _("With netcat, in a terminal")));
  scope_rows_append (self->connect_list, scope_rows_value_new (python, _("In Python")));

  button = udp ? g_strdup_printf (_("Start a UDP Echo Server on %u"), port)
               : g_strdup_printf (_("Start a TCP Echo Server on %u"), port);
  gtk_button_set_label (self->start_server_button, button);
  gtk_stack_set_visible_child_name (self->detail_stack, "service");
}

static void
on_service_activated (ScopeServicesView *self,
                      guint              position)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->results), position, TRUE);
  adw_leaflet_navigate (self->services_leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  if (adw_leaflet_get_folded (self->services_leaflet))
    gtk_widget_grab_focus (GTK_WIDGET (self->start_server_button));
}

static void
on_search_activated (ScopeServicesView *self)
{
  /* Enter in the search field picks the first match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0)
    {
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->results), 0, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->services_view));
    }
}

static void
on_detail_back_clicked (ScopeServicesView *self)
{
  adw_leaflet_navigate (self->services_leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->services_view));
}

static void
on_refresh_detail_clicked (ScopeServicesView *self)
{
  show_service (self, self->shown);
}

/* The window starts the server, shows it running on the Sockets page, or
 * says why it could not; the port's status here is then read again. */
static void
on_start_server_clicked (ScopeServicesView *self)
{
  g_autofree char *spec = NULL;
  gboolean udp;

  if (self->shown == NULL)
    return;
  udp = g_strcmp0 (scope_service_get_protocol (self->shown), "udp") == 0;
  spec = g_strdup_printf ("%s:%u", udp ? "udp-echo" : "tcp-echo",
                          scope_service_get_port (self->shown));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.start-server", "s", spec);
  show_service (self, self->shown);
}

/* ------------------------------------------------------------------------ */

/* The database is read, and its table made, when someone first looks:
 * not at start-up, and not for a screen reader walking the other pages. */
static void
scope_services_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (scope_services_view_parent_class)->map (widget);
  scope_services_view_load_catalogue (SCOPE_SERVICES_VIEW (widget));
}

static void
scope_services_view_dispose (GObject *object)
{
  ScopeServicesView *self = SCOPE_SERVICES_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->detail_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->detail_cancellable);
  g_clear_object (&self->shown);
  if (self->services_view != NULL)
    gtk_column_view_set_model (self->services_view, NULL);
  g_clear_object (&self->results);
  g_clear_object (&self->sorted);
  g_clear_object (&self->catalogue);
  /* The bin's child is a template child: see scope-lookup-page.c. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_SERVICES_VIEW);

  G_OBJECT_CLASS (scope_services_view_parent_class)->dispose (object);
}

static void
scope_services_view_class_init (ScopeServicesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_services_view_dispose;
  widget_class->map = scope_services_view_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-services-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, services_leaflet);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, services_list_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, protocol_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, class_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, count_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, services_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, detail_title);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, detail_subtitle);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, class_list);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, local_list);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, connect_list);
  gtk_widget_class_bind_template_child (widget_class, ScopeServicesView, start_server_button);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_service_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_detail_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_detail_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_start_server_clicked);
}

/* Down in the search goes to the results, as in GNOME Settings' search:
 * without this, the arrow would move the focus to the drop-downs beside. */
static gboolean
on_search_key_pressed (ScopeServicesView *self,
                       guint              keyval,
                       guint              keycode,
                       GdkModifierType    state)
{
  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
      || (state & gtk_accelerator_get_default_mod_mask ()) != 0
      || g_list_model_get_n_items (G_LIST_MODEL (self->results)) == 0)
    return FALSE;
  return gtk_widget_child_focus (GTK_WIDGET (self->services_view), GTK_DIR_TAB_FORWARD);
}

static void
scope_services_view_init (ScopeServicesView *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  build_table (self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, self->services_list_box);
  /* Before the entry's text, which takes Down for itself and fails over
   * to moving the focus to the nearest widget. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_search_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
}

/**
 * scope_services_view_load_catalogue:
 *
 * Reads the system's services database in a thread, unless it is read or
 * being read.
 */
void
scope_services_view_load_catalogue (ScopeServicesView *self)
{
  g_return_if_fail (SCOPE_IS_SERVICES_VIEW (self));

  if (self->catalogue_requested)
    return;
  self->catalogue_requested = TRUE;
  scope_service_catalogue_load_async (self->cancellable, catalogue_loaded, g_object_ref (self));
}

/**
 * scope_services_view_get_catalogue:
 *
 * Returns: (nullable) (transfer none): the services database, once read
 */
ScopeServiceCatalogue *
scope_services_view_get_catalogue (ScopeServicesView *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICES_VIEW (self), NULL);

  return self->catalogue;
}

/**
 * scope_services_view_set_catalogue:
 *
 * Shows @catalogue in place of the system's database: for tests and
 * benchmarks of other databases, such as the built-in one.
 */
void
scope_services_view_set_catalogue (ScopeServicesView     *self,
                                   ScopeServiceCatalogue *catalogue)
{
  g_return_if_fail (SCOPE_IS_SERVICES_VIEW (self));
  g_return_if_fail (SCOPE_IS_SERVICE_CATALOGUE (catalogue));

  self->catalogue_requested = TRUE;
  g_set_object (&self->catalogue, catalogue);
  gtk_sort_list_model_set_model (self->sorted, G_LIST_MODEL (self->catalogue));
  update_count (self);
}

/**
 * scope_services_view_search:
 *
 * Filters the table by @query, as typing it would.
 */
void
scope_services_view_search (ScopeServicesView *self,
                            const char        *query)
{
  g_return_if_fail (SCOPE_IS_SERVICES_VIEW (self));

  scope_services_view_load_catalogue (self);
  /* Setting the text empties the entry first, and an empty search entry
   * says "search-changed" at once: the whole table for a moment, rows made
   * to be thrown away. The search is run once, for the new text. */
  g_signal_handlers_block_by_func (self->search_entry, on_filter_changed, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
  g_signal_handlers_unblock_by_func (self->search_entry, on_filter_changed, self);
  on_filter_changed (self);
}

/**
 * scope_services_view_get_shown_service:
 *
 * Returns: (nullable) (transfer none): the service in the detail pane
 */
ScopeService *
scope_services_view_get_shown_service (ScopeServicesView *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICES_VIEW (self), NULL);

  return self->shown;
}

/**
 * scope_services_view_get_selection:
 *
 * Returns: (transfer none): the rows of the table, and which is picked
 */
GtkSelectionModel *
scope_services_view_get_selection (ScopeServicesView *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICES_VIEW (self), NULL);

  return GTK_SELECTION_MODEL (self->results);
}
