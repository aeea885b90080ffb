/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "scope-address.h"
#include "scope-constants.h"
#include "scope-errors.h"
#include "scope-port-status.h"
#include "scope-ports-page.h"
#include "scope-resolver.h"
#include "scope-services.h"
#include "scope-window.h"

/* The Ports page, in four parts: the services database as a searchable,
 * sortable table beside the detail of one port; the status of a port here
 * and a connect check of a host; the socket constants of this platform;
 * an address and a number byte by byte. The core answers; the page only
 * turns answers into rows. */

/* The detail reads the kernel's tables, which walks /proc, once the
 * selection has rested this long: not for every row passed with ↓. */
#define DETAIL_SOCKETS_DELAY_MS 200
/* A small range shows every port; a big one only those that are not
 * refused, which are counted. */
#define CHECK_SHOW_ALL 32

struct _ScopePortsPage
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwToastOverlay       *toast_overlay;
  GtkStack              *section_stack;
  GtkDropDown           *section_dropdown;
  AdwLeaflet            *services_leaflet;
  GtkWidget             *services_list_box;
  GtkSearchEntry        *search_entry;
  GtkDropDown           *protocol_dropdown;
  GtkDropDown           *class_dropdown;
  GtkLabel              *count_label;
  GtkColumnView         *services_view;
  GtkStack              *detail_stack;
  GtkLabel              *detail_title;
  GtkLabel              *detail_subtitle;
  GtkListBox            *class_list;
  GtkListBox            *local_list;
  GtkListBox            *connect_list;
  GtkButton             *start_server_button;
  GtkBox                *status_box;
  AdwEntryRow           *status_port_row;
  AdwComboRow           *status_proto_row;
  GtkListBox            *status_list;
  AdwEntryRow           *check_host_row;
  AdwEntryRow           *check_ports_row;
  GtkWidget             *check_button;
  GtkSpinner            *check_spinner;
  GtkWidget             *check_cancel_button;
  GtkLabel              *check_summary;
  GtkListBox            *check_list;
  GtkListBox            *listening_list;
  GtkSearchEntry        *constants_search;
  GtkBox                *constants_box;
  GtkLabel              *constants_empty;
  GtkBox                *addresses_box;
  AdwEntryRow           *address_row;
  GtkListBox            *address_list;
  AdwPreferencesGroup   *byte_order_group;
  AdwEntryRow           *number_row;
  AdwComboRow           *width_row;
  GtkListBox            *byte_order_list;

  /* Owned */
  GtkWidget             *status_error;
  GtkWidget             *check_error;
  GtkWidget             *address_error;
  GtkWidget             *byte_order_error;
  ScopeServiceCatalogue *catalogue;
  GtkFilterListModel    *filter_model;
  GtkCustomFilter       *filter;
  GtkSingleSelection    *selection;
  ScopeService          *shown;          /* the service in the detail */
  GCancellable          *cancellable;    /* the page's own loads */
  GCancellable          *detail_cancellable;
  GCancellable          *status_cancellable;
  GCancellable          *listening_cancellable;
  GCancellable          *check_cancellable;
  ScopeConnectCheck     *check;
  gint64                 check_started;
  guint                  check_ports;
  guint                  check_counts[SCOPE_CONNECT_FAILED + 1];
  char                  *last_query;     /* what the filter last showed */
  guint                  last_protocol;
  guint                  last_class;
  gboolean               filtered;
  GPtrArray             *constant_rows;  /* rows, each with its constant as data */
  GPtrArray             *constant_groups;
  gboolean               listening_loaded;
  gboolean               catalogue_requested;
};

G_DEFINE_FINAL_TYPE (ScopePortsPage, scope_ports_page, ADW_TYPE_BIN)

/* The page's loads hold it weakly: a page that goes away is not kept for
 * a thread still reading /proc or a connect still waiting. */
static GWeakRef *
weak_page (ScopePortsPage *self)
{
  GWeakRef *ref = g_new (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

/* (transfer full) (nullable): the page, if it is still there */
static ScopePortsPage *
weak_page_steal (gpointer data)
{
  GWeakRef *ref = data;
  ScopePortsPage *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return self;
}

/* ------------------------------------------------------------------------ */
/* Rows                                                                     */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
copy_clicked (GtkButton      *button,
              ScopePortsPage *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          g_object_get_data (G_OBJECT (button), "copy-text"));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied")));
}

static GtkWidget *
copy_button_new (ScopePortsPage *self,
                 const char     *text,
                 const char     *what)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  /* Translators: the accessible name of a copy button; %s is what it copies */
  g_autofree char *label = g_strdup_printf (_("Copy %s"), what);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Copy"));
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "copy-text", g_strdup (text), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (copy_clicked), self, 0);
  return button;
}

/* A row of facts: a title and, below it, what it means. */
static GtkWidget *
fact_row_new (const char *title,
              const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

/* A value to read and copy: an address, bytes, a name or a line of code. */
static GtkWidget *
value_row_new (ScopePortsPage *self,
               const char     *value,
               const char     *what)
{
  GtkWidget *row = fact_row_new (value, what);

  gtk_widget_add_css_class (row, "scope-result-row");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy_button_new (self, value, what));
  return row;
}

static void
add_row (GtkListBox *list,
         GtkWidget  *row)
{
  gtk_list_box_append (list, row);
  gtk_widget_set_visible (GTK_WIDGET (list), TRUE);
}

/* The tag that names a port's class, coloured by class. */
static GtkWidget *
class_tag_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, "scope-port-class");
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static void
class_tag_set (GtkWidget      *label,
               ScopePortClass  port_class)
{
  for (guint i = 0; i < SCOPE_N_PORT_CLASSES; i++)
    gtk_widget_remove_css_class (label, scope_port_class_to_string (i));
  gtk_widget_add_css_class (label, scope_port_class_to_string (port_class));
  gtk_label_set_text (GTK_LABEL (label), scope_port_class_get_title (port_class));
}

/* An alert under the inputs that caused it: what went wrong, in words. */
static GtkWidget *
error_box_new (void)
{
  GtkWidget *box = g_object_new (GTK_TYPE_BOX, "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT,
                                 "spacing", 12, "visible", FALSE, NULL);
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", "dialog-error-symbolic",
                                  "valign", GTK_ALIGN_START,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (icon, "error");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
error_box_show (GtkWidget  *box,
                const char *message)
{
  GtkWidget *label = gtk_widget_get_last_child (box);

  gtk_label_set_text (GTK_LABEL (label), message != NULL ? message : "");
  gtk_widget_set_visible (box, message != NULL);
}

/* ------------------------------------------------------------------------ */
/* A port's status: bind probes now, then the sockets on it from a thread   */

static char *
socket_entry_detail (const ScopeSocketEntry *entry)
{
  if (entry->process != NULL)
    /* Translators: a socket's protocol, its state, then its process */
    return g_strdup_printf (_("%s · %s · %s"), entry->protocol, entry->state, entry->process);
  /* Translators: a socket's protocol, its state, then its owner's user id */
  return g_strdup_printf (_("%s · %s · user %u, process not visible"), entry->protocol,
                          entry->state, entry->uid);
}

static char *
socket_entry_address (const ScopeSocketEntry *entry)
{
  if (strchr (entry->local_address, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", entry->local_address, entry->local_port);
  return g_strdup_printf ("%s:%u", entry->local_address, entry->local_port);
}

static GtkWidget *
socket_entry_row_new (const ScopeSocketEntry *entry)
{
  g_autofree char *address = socket_entry_address (entry);
  g_autofree char *detail = socket_entry_detail (entry);
  GtkWidget *row = fact_row_new (address, detail);

  gtk_widget_add_css_class (row, "scope-result-row");
  return row;
}

typedef struct
{
  GWeakRef        self;
  GtkListBox     *list;
  GCancellable   *cancellable;
  guint           port;
  gboolean        tcp;
  gboolean        udp;
} SocketsRequest;

static void
sockets_request_free (SocketsRequest *request)
{
  g_weak_ref_clear (&request->self);
  g_object_unref (request->cancellable);
  g_free (request);
}

static void
port_sockets_loaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SocketsRequest *request = user_data;
  g_autoptr(ScopePortsPage) self = g_weak_ref_get (&request->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = scope_listening_sockets_finish (result, &error);
  guint shown = 0;

  if (self == NULL || g_cancellable_is_cancelled (request->cancellable))
    {
      sockets_request_free (request);
      return;
    }
  if (entries == NULL)
    add_row (request->list, fact_row_new (_("Which sockets hold it is unknown"),
                                          error->message));
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      ScopeSocketEntry *entry = g_ptr_array_index (entries, i);
      gboolean tcp = g_str_has_prefix (entry->protocol, "tcp");

      if ((tcp && !request->tcp) || (!tcp && !request->udp))
        continue;
      add_row (request->list, socket_entry_row_new (entry));
      shown++;
    }
  if (entries != NULL && shown == 0)
    add_row (request->list, fact_row_new (_("Nothing listens on it"),
                                          _("No socket of this machine is bound to this "
                                            "port")));
  sockets_request_free (request);
}

static gboolean
start_sockets_request (gpointer user_data)
{
  SocketsRequest *request = user_data;

  if (g_cancellable_is_cancelled (request->cancellable))
    sockets_request_free (request);
  else
    scope_listening_sockets_async (request->port, request->cancellable, port_sockets_loaded,
                                   request);
  return G_SOURCE_REMOVE;
}

/* Fills @list with the bind probes of @port and, @delay_ms later, once the
 * kernel's tables are read, the sockets that hold it; a later call replaces
 * an earlier one whose tables are not read yet. */
static void
show_port_status (ScopePortsPage  *self,
                  GtkListBox      *list,
                  GCancellable   **slot,
                  guint            port,
                  gboolean         tcp,
                  gboolean         udp,
                  guint            delay_ms)
{
  SocketsRequest *request;

  g_cancellable_cancel (*slot);
  g_clear_object (slot);
  *slot = g_cancellable_new ();
  clear_list (list);

  for (guint p = 0; p < 2; p++)
    {
      g_autoptr(GArray) probes = NULL;

      if ((p == 0 && !tcp) || (p == 1 && !udp))
        continue;
      probes = scope_port_probe_bind (port, p == 1);
      for (guint i = 0; i < probes->len; i++)
        {
          ScopeBindProbe *probe = &g_array_index (probes, ScopeBindProbe, i);
          /* Translators: the protocol, then the address bind() was tried on */
          g_autofree char *title = g_strdup_printf (_("%s on %s"), p == 0 ? "TCP" : "UDP",
                                                    probe->address);
          g_autofree char *subtitle = probe->message != NULL
                                      ? g_strdup_printf ("%s. %s",
                                                         scope_bind_state_get_title (probe->state),
                                                         probe->message)
                                      : g_strdup (scope_bind_state_get_title (probe->state));
          GtkWidget *row = fact_row_new (title, subtitle);

          add_row (list, row);
        }
    }

  request = g_new0 (SocketsRequest, 1);
  g_weak_ref_init (&request->self, self);
  request->list = list;
  request->cancellable = g_object_ref (*slot);
  request->port = port;
  request->tcp = tcp;
  request->udp = udp;
  if (delay_ms == 0)
    start_sockets_request (request);
  else
    g_timeout_add (delay_ms, start_sockets_request, request);
}

/* ------------------------------------------------------------------------ */
/* The services table and the detail of one service                        */

static gboolean
service_visible (gpointer item,
                 gpointer user_data)
{
  ScopePortsPage *self = user_data;
  ScopeService *service = item;

  /* What on_filter_changed took from the search and the drop-downs. */
  if (self->last_protocol == 1 && g_strcmp0 (scope_service_get_protocol (service), "tcp") != 0)
    return FALSE;
  if (self->last_protocol == 2 && g_strcmp0 (scope_service_get_protocol (service), "udp") != 0)
    return FALSE;
  if (self->last_class > 0 && scope_service_get_port_class (service) != self->last_class - 1)
    return FALSE;
  return scope_service_matches (service, self->last_query);
}

static void
update_count (ScopePortsPage *self)
{
  guint total, shown;
  g_autofree char *text = NULL;

  if (self->catalogue == NULL)
    return;
  total = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));
  shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
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
  gtk_label_set_text (self->count_label, text);
}

/* The search entry says "search-changed" after a pause, and also at once
 * in some cases; a filter that would show what is shown is not run again,
 * for GTK 4.8's column view rebuilds every row it has on each change. */
static void
on_filter_changed (ScopePortsPage *self)
{
  g_autofree char *query = NULL;
  guint protocol, port_class;

  if (self->filter == NULL)
    return;
  query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  protocol = gtk_drop_down_get_selected (self->protocol_dropdown);
  port_class = gtk_drop_down_get_selected (self->class_dropdown);
  if (self->filtered && g_strcmp0 (query, self->last_query) == 0
      && protocol == self->last_protocol && port_class == self->last_class)
    return;
  self->filtered = TRUE;
  g_free (self->last_query);
  self->last_query = g_steal_pointer (&query);
  self->last_protocol = protocol;
  self->last_class = port_class;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

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
show_service (ScopePortsPage *self,
              ScopeService   *service)
{
  g_auto(ScopePortRange) ephemeral = { 0 };
  g_auto(ScopePortRange) unprivileged = { 0 };
  g_autofree char *subtitle = NULL;
  g_autofree char *class_title = NULL;
  g_autofree char *aliases = NULL;
  g_autofree char *shell = NULL;
  g_autofree char *python = NULL;
  g_autofree char *button = NULL;
  ScopePortClass port_class;
  guint port, first, last;
  gboolean udp;

  g_set_object (&self->shown, service);
  if (service == NULL)
    {
      g_cancellable_cancel (self->detail_cancellable);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }

  port = scope_service_get_port (service);
  udp = g_strcmp0 (scope_service_get_protocol (service), "udp") == 0;
  port_class = scope_service_get_port_class (service);
  scope_port_class_get_bounds (port_class, &first, &last);
  scope_ports_ephemeral_range (&ephemeral);
  scope_ports_unprivileged_range (&unprivileged);

  gtk_label_set_text (self->detail_title, scope_service_get_name (service));
  subtitle = g_strdup_printf ("%u/%s", port, scope_service_get_protocol (service));
  gtk_label_set_text (self->detail_subtitle, subtitle);

  clear_list (self->class_list);
  /* Translators: a port class and its range, e.g. "Well-known: 0–1023" */
  class_title = g_strdup_printf (_("%s: %u–%u"), scope_port_class_get_title (port_class), first,
                                 last);
  add_row (self->class_list, fact_row_new (class_title, scope_port_class_explain (port_class)));
  if (port < unprivileged.first)
    {
      /* Translators: the lowest port anyone may listen on */
      g_autofree char *title = g_strdup_printf (_("Privileged here: only administrators may "
                                                  "listen below %u"), unprivileged.first);
      add_row (self->class_list, fact_row_new (title, unprivileged.source));
    }
  else
    add_row (self->class_list, fact_row_new (_("Any program may listen on it here"),
                                             unprivileged.source));
  if (port >= ephemeral.first && port <= ephemeral.last)
    {
      /* Translators: the ephemeral range of this system */
      g_autofree char *title = g_strdup_printf (_("In the ephemeral range, %u–%u"),
                                                ephemeral.first, ephemeral.last);
      g_autofree char *detail = g_strdup_printf ("%s. %s",
                                                 _("The system may give it to a client socket "
                                                   "as its own port"),
                                                 ephemeral.source);

      add_row (self->class_list, fact_row_new (title, detail));
    }
  aliases = scope_service_dup_aliases_text (service);
  if (aliases[0] != '\0')
    add_row (self->class_list, fact_row_new (aliases, _("Other names of the service")));

  show_port_status (self, self->local_list, &self->detail_cancellable, port, !udp, udp,
                    DETAIL_SOCKETS_DELAY_MS);

  clear_list (self->connect_list);
  shell = udp ? g_strdup_printf ("nc -u 127.0.0.1 %u", port)
              : g_strdup_printf ("nc 127.0.0.1 %u", port);
  python = connect_python (port, udp);
  add_row (self->connect_list, value_row_new (self, shell, _("With netcat, in a terminal")));
  add_row (self->connect_list, value_row_new (self, python, _("In Python")));

  button = udp ? g_strdup_printf (_("Start a UDP Echo Server on %u"), port)
               : g_strdup_printf (_("Start a TCP Echo Server on %u"), port);
  gtk_button_set_label (self->start_server_button, button);
  gtk_stack_set_visible_child_name (self->detail_stack, "service");
}

static void
on_selection_changed (ScopePortsPage *self)
{
  show_service (self, gtk_single_selection_get_selected_item (self->selection));
}

static void
on_service_activated (ScopePortsPage *self,
                      guint           position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_navigate (self->services_leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  if (adw_leaflet_get_folded (self->services_leaflet))
    gtk_widget_grab_focus (GTK_WIDGET (self->start_server_button));
}

static void
on_search_activated (ScopePortsPage *self)
{
  /* Enter in the search field picks the first match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      gtk_widget_grab_focus (GTK_WIDGET (self->services_view));
    }
}

static void
on_detail_back_clicked (ScopePortsPage *self)
{
  adw_leaflet_navigate (self->services_leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->services_view));
}

static void
on_refresh_detail_clicked (ScopePortsPage *self)
{
  show_service (self, self->shown);
}

static void
on_start_server_clicked (ScopePortsPage *self)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), SCOPE_TYPE_WINDOW);
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  gboolean udp;

  if (self->shown == NULL || window == NULL)
    return;
  udp = g_strcmp0 (scope_service_get_protocol (self->shown), "udp") == 0;
  spec = g_strdup_printf ("%s:%u", udp ? "udp-echo" : "tcp-echo",
                          scope_service_get_port (self->shown));
  if (!scope_window_start_server (SCOPE_WINDOW (window), spec, &error))
    {
      /* Translators: %s says why, in words and then the errno name */
      g_autofree char *text = g_strdup_printf (_("The server could not start: %s"),
                                               error->message);
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      show_service (self, self->shown);
      return;
    }
  scope_window_set_page (SCOPE_WINDOW (window), "sockets");
}

typedef const char *(*ServiceText) (ScopeService *service);

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (user_data) ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
class_cell_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  gtk_list_item_set_child (item, class_tag_new ());
}

static void
name_cell_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      scope_service_get_name (gtk_list_item_get_item (item)));
}

static void
port_cell_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  char text[8];

  g_snprintf (text, sizeof text, "%u", scope_service_get_port (gtk_list_item_get_item (item)));
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
protocol_cell_bind (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      scope_service_get_protocol (gtk_list_item_get_item (item)));
}

static void
class_cell_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  class_tag_set (gtk_list_item_get_child (item),
                 scope_service_get_port_class (gtk_list_item_get_item (item)));
}

static void
aliases_cell_bind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  g_autofree char *text = scope_service_dup_aliases_text (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static GtkColumnViewColumn *
add_column (ScopePortsPage *self,
            const char     *title,
            GCallback       setup,
            GCallback       bind,
            gboolean        numeric,
            GtkSorter      *sorter,
            gboolean        expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "bind", bind, NULL);
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

static void
build_services_view (ScopePortsPage *self)
{
  GtkExpression *name = gtk_property_expression_new (SCOPE_TYPE_SERVICE, NULL, "name");
  GtkExpression *port = gtk_property_expression_new (SCOPE_TYPE_SERVICE, NULL, "port");
  GtkExpression *protocol = gtk_property_expression_new (SCOPE_TYPE_SERVICE, NULL, "protocol");
  GtkExpression *port_class = gtk_property_expression_new (SCOPE_TYPE_SERVICE, NULL, "port");
  GtkExpression *aliases = gtk_property_expression_new (SCOPE_TYPE_SERVICE, NULL,
                                                        "aliases-text");
  GtkColumnViewColumn *port_column;
  GtkSortListModel *sorted;
  GtkSorter *sorter;

  add_column (self, _("Name"), G_CALLBACK (cell_setup), G_CALLBACK (name_cell_bind), FALSE,
              GTK_SORTER (gtk_string_sorter_new (name)), TRUE);
  port_column = add_column (self, _("Port"), G_CALLBACK (cell_setup),
                            G_CALLBACK (port_cell_bind), TRUE,
                            GTK_SORTER (gtk_numeric_sorter_new (port)), FALSE);
  add_column (self, _("Protocol"), G_CALLBACK (cell_setup), G_CALLBACK (protocol_cell_bind),
              FALSE, GTK_SORTER (gtk_string_sorter_new (protocol)), FALSE);
  add_column (self, _("Class"), G_CALLBACK (class_cell_setup), G_CALLBACK (class_cell_bind),
              FALSE, GTK_SORTER (gtk_numeric_sorter_new (port_class)), FALSE);
  add_column (self, _("Aliases"), G_CALLBACK (cell_setup), G_CALLBACK (aliases_cell_bind),
              FALSE, GTK_SORTER (gtk_string_sorter_new (aliases)), TRUE);

  self->filter = gtk_custom_filter_new (service_visible, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  sorter = gtk_column_view_get_sorter (self->services_view);
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                    g_object_ref (sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->services_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
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
  g_autoptr(ScopePortsPage) self = weak_page_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeServiceCatalogue) catalogue = scope_service_catalogue_load_finish (result,
                                                                                    &error);

  if (self == NULL || catalogue == NULL || self->catalogue != NULL)
    return;
  scope_ports_page_set_catalogue (self, catalogue);
}

/* ------------------------------------------------------------------------ */
/* Status: a port here, a connect check, the listening sockets              */

static void
on_status_check (ScopePortsPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean udp = adw_combo_row_get_selected (self->status_proto_row) == 1;
  guint port;

  if (!scope_port_parse (gtk_editable_get_text (GTK_EDITABLE (self->status_port_row)), &port,
                         &error)
      || !scope_port_require_nonzero (port, &error))
    {
      g_cancellable_cancel (self->status_cancellable);
      clear_list (self->status_list);
      gtk_widget_set_visible (GTK_WIDGET (self->status_list), FALSE);
      error_box_show (self->status_error, error->message);
      return;
    }
  error_box_show (self->status_error, NULL);
  show_port_status (self, self->status_list, &self->status_cancellable, port, !udp, udp, 0);
}

static void
on_status_proto_changed (ScopePortsPage *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->status_list)))
    on_status_check (self);
}

static void
set_checking (ScopePortsPage *self,
              gboolean        checking)
{
  /* Keyboard focus goes from the button that goes away to the one that
   * comes: Check to Cancel, and back. */
  GtkWidget *leaving = checking ? self->check_button : self->check_cancel_button;
  GtkWidget *coming = checking ? self->check_cancel_button : self->check_button;
  gboolean had_focus = gtk_widget_has_focus (leaving);

  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), checking);
  gtk_spinner_set_spinning (self->check_spinner, checking);
  gtk_widget_set_visible (self->check_cancel_button, checking);
  gtk_widget_set_sensitive (self->check_button, !checking);
  if (had_focus)
    gtk_widget_grab_focus (coming);
}

static void
update_check_summary (ScopePortsPage *self,
                      gboolean        done)
{
  guint checked = 0;
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (self->check_counts); i++)
    checked += self->check_counts[i];
  /* Translators: how many ports were open, refused, filtered and failed */
  counts = g_strdup_printf (_("%u open, %u refused, %u filtered, %u failed"),
                            self->check_counts[SCOPE_CONNECT_OPEN],
                            self->check_counts[SCOPE_CONNECT_REFUSED],
                            self->check_counts[SCOPE_CONNECT_FILTERED],
                            self->check_counts[SCOPE_CONNECT_FAILED]);
  if (done)
    {
      double seconds = (g_get_monotonic_time () - self->check_started) / 1e6;

      if (seconds < 1)
        /* Translators: the counts of each state, the address, then a duration */
        text = g_strdup_printf (_("%s at %s, in %.0f ms"), counts,
                                scope_connect_check_get_address (self->check), seconds * 1000);
      else
        /* Translators: the counts of each state, the address, then a duration */
        text = g_strdup_printf (_("%s at %s, in %.1f s"), counts,
                                scope_connect_check_get_address (self->check), seconds);
    }
  else
    /* Translators: ports checked so far, of how many, then the counts */
    text = g_strdup_printf (_("%u of %u checked: %s"), checked,
                            self->check_ports
                            * MAX (scope_connect_check_get_n_addresses (self->check), 1),
                            counts);
  gtk_label_set_text (self->check_summary, text);
}

static void
on_port_checked (ScopeConnectCheck  *check,
                 ScopeConnectResult *result,
                 ScopePortsPage     *self)
{
  self->check_counts[result->state]++;
  update_check_summary (self, FALSE);
  if (check != self->check)
    return;
  if (self->check_ports <= CHECK_SHOW_ALL || result->state != SCOPE_CONNECT_REFUSED)
    {
      g_autofree char *port = NULL;
      /* Translators: a connect check's result, then how long it took in ms */
      g_autofree char *detail = g_strdup_printf (_("%s, in %.1f ms"),
                                                 scope_connect_state_get_title (result->state),
                                                 result->elapsed_us / 1000.0);
      g_autofree char *full = result->message != NULL
                              ? g_strdup_printf ("%s. %s", detail, result->message)
                              : g_strdup (detail);
      GtkWidget *row;

      /* With several addresses (localhost is ::1 and 127.0.0.1), which. */
      port = scope_connect_check_get_n_addresses (check) > 1
             /* Translators: a port, then the address it was checked at */
             ? g_strdup_printf (_("%u on %s"), result->port, result->address)
             : g_strdup_printf ("%u", result->port);
      row = fact_row_new (port, full);
      gtk_widget_add_css_class (row, "scope-result-row");
      gtk_widget_add_css_class (row, scope_connect_state_to_string (result->state));
      add_row (self->check_list, row);
    }
}

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ScopePortsPage) self = weak_page_steal (user_data);
  ScopeConnectCheck *check = SCOPE_CONNECT_CHECK (object);
  g_autoptr(GError) error = NULL;

  scope_connect_check_run_finish (check, result, &error);
  if (self == NULL || self->check != check)
    return;   /* the page is gone, or a newer check replaced this one */
  set_checking (self, FALSE);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: what was known when a check was stopped */
      g_autofree char *counts = g_strdup_printf (_("Cancelled. %s"),
                                                 gtk_label_get_text (self->check_summary));
      gtk_label_set_text (self->check_summary, counts);
    }
  else if (error != NULL)
    {
      gtk_label_set_text (self->check_summary, "");
      error_box_show (self->check_error, error->message);
    }
  else
    update_check_summary (self, TRUE);
}

static void
on_check_clicked (ScopePortsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (
                                                  GTK_EDITABLE (self->check_host_row))));
  guint first, last;

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  clear_list (self->check_list);
  gtk_widget_set_visible (GTK_WIDGET (self->check_list), FALSE);
  gtk_label_set_text (self->check_summary, "");
  set_checking (self, FALSE);
  if (!scope_resolver_validate_host (host, &error)
      || !scope_port_range_parse (gtk_editable_get_text (GTK_EDITABLE (self->check_ports_row)),
                                  SCOPE_CONNECT_CHECK_MAX_PORTS, &first, &last, &error)
      || !scope_port_require_nonzero (first, &error))
    {
      error_box_show (self->check_error, error->message);
      return;
    }
  error_box_show (self->check_error, NULL);

  memset (self->check_counts, 0, sizeof self->check_counts);
  self->check_ports = last - first + 1;
  self->check_started = g_get_monotonic_time ();
  self->check = scope_connect_check_new (host, first, last, SCOPE_CONNECT_CHECK_TIMEOUT_MS, 0);
  self->check_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->check, "port-checked", G_CALLBACK (on_port_checked), self, 0);
  set_checking (self, TRUE);
  update_check_summary (self, FALSE);
  scope_connect_check_run_async (self->check, self->check_cancellable, check_done,
                                 weak_page (self));
}

static void
on_check_cancel_clicked (ScopePortsPage *self)
{
  g_cancellable_cancel (self->check_cancellable);
  gtk_widget_grab_focus (self->check_button);
}

static void
listening_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ScopePortsPage) self = weak_page_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = scope_listening_sockets_finish (result, &error);

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  clear_list (self->listening_list);
  if (entries == NULL)
    {
      add_row (self->listening_list, fact_row_new (_("The sockets cannot be listed"),
                                                   error->message));
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    add_row (self->listening_list, socket_entry_row_new (g_ptr_array_index (entries, i)));
  if (entries->len == 0)
    add_row (self->listening_list, fact_row_new (_("Nothing listens"), NULL));
}

static void
load_listening (ScopePortsPage *self)
{
  g_cancellable_cancel (self->listening_cancellable);
  g_clear_object (&self->listening_cancellable);
  self->listening_cancellable = g_cancellable_new ();
  self->listening_loaded = TRUE;
  scope_listening_sockets_async (SCOPE_ALL_PORTS, self->listening_cancellable, listening_loaded,
                                 weak_page (self));
}

static void
on_refresh_listening_clicked (ScopePortsPage *self)
{
  load_listening (self);
}


/* ------------------------------------------------------------------------ */
/* Constants                                                                */

static GtkWidget *
value_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "scope-mono");
  gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static void
build_constants (ScopePortsPage *self)
{
  const ScopeConstantGroup *groups;
  const ScopeSocketConstant *constants;
  ScopeDefaultSocket plain = { 0 };
  g_autoptr(GError) error = NULL;
  guint n_groups, n_constants;
  GtkWidget *group, *list;

  groups = scope_constant_groups (&n_groups);
  constants = scope_socket_constants (&n_constants);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("A Plain socket()"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("What Python’s socket.socket() makes with no "
                                           "arguments, asked back from the kernel. The values "
                                           "are this platform’s own: other systems may "
                                           "differ."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("A plain socket()"), -1);
  if (scope_constants_default_socket (&plain, &error))
    {
      g_autofree char *family = g_strdup_printf ("AF_INET (%d)", plain.family);
      g_autofree char *type = g_strdup_printf ("SOCK_STREAM (%d)", plain.type);
      g_autofree char *protocol = plain.kernel_protocol >= 0
                                  ? g_strdup_printf (_("0, and the system chose %s (%d)"),
                                                     scope_socket_constant_name_for (
                                                       "IPPROTO_", plain.kernel_protocol),
                                                     plain.kernel_protocol)
                                  : g_strdup ("0");

      gtk_list_box_append (GTK_LIST_BOX (list), value_row_new (self, family, _("Family")));
      gtk_list_box_append (GTK_LIST_BOX (list), value_row_new (self, type, _("Type")));
      gtk_list_box_append (GTK_LIST_BOX (list), value_row_new (self, protocol, _("Protocol")));
    }
  else
    gtk_list_box_append (GTK_LIST_BOX (list), fact_row_new (error->message, NULL));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  gtk_box_append (self->constants_box, group);

  for (guint g = 0; g < n_groups; g++)
    {
      /* Translators: a group of constants, then their prefix: "Address families (AF_*)" */
      g_autofree char *title = g_strdup_printf (_("%s (%s*)"), _(groups[g].title),
                                                groups[g].prefix);

      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             _(groups[g].explanation));
      list = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(groups[g].title), -1);
      for (guint i = 0; i < n_constants; i++)
        {
          char value[24];
          GtkWidget *row;

          if (constants[i].group != g)
            continue;
          g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, constants[i].value);
          row = fact_row_new (constants[i].name, _(constants[i].meaning));
          gtk_widget_add_css_class (row, "scope-result-row");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), value_label_new (value));
          g_object_set_data (G_OBJECT (row), "constant", (gpointer) &constants[i]);
          gtk_list_box_append (GTK_LIST_BOX (list), row);
          g_ptr_array_add (self->constant_rows, row);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
      g_object_set_data (G_OBJECT (group), "list", list);
      gtk_box_append (self->constants_box, group);
      g_ptr_array_add (self->constant_groups, group);
    }
}

static void
on_constants_search_changed (ScopePortsPage *self)
{
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (
                                                   GTK_EDITABLE (self->constants_search))));
  gboolean matched = FALSE;

  for (guint i = 0; i < self->constant_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->constant_rows, i);

      gtk_widget_set_visible (row, scope_socket_constant_matches (
                                     g_object_get_data (G_OBJECT (row), "constant"), query));
    }
  for (guint g = 0; g < self->constant_groups->len; g++)
    {
      GtkWidget *group = g_ptr_array_index (self->constant_groups, g);
      GtkWidget *list = g_object_get_data (G_OBJECT (group), "list");
      gboolean any = FALSE;

      for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL && !any;
           row = gtk_widget_get_next_sibling (row))
        any = gtk_widget_get_visible (row);
      gtk_widget_set_visible (group, any);
      matched = matched || any;
    }

  /* A search that hides every constant says so, rather than leave a page
   * that looks as if nothing had been read. */
  if (!matched && self->constant_groups->len > 0)
    {
      g_autofree char *shown = scope_input_for_message (query, 60);
      /* Translators: %s is what was searched for */
      g_autofree char *text = g_strdup_printf (_("No constant matches “%s”"), shown);

      gtk_label_set_text (self->constants_empty, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->constants_empty),
                          !matched && self->constant_groups->len > 0);
}

/* The narrow window's list of the parts follows the stack, and leads it. */
static void
on_section_dropdown_changed (ScopePortsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->section_dropdown);
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->section_stack);

  if (selected != GTK_INVALID_LIST_POSITION
      && !gtk_selection_model_is_selected (pages, selected))
    gtk_selection_model_select_item (pages, selected, TRUE);
}

static void
on_section_changed (ScopePortsPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->section_stack);
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->section_stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n; i++)
    if (gtk_selection_model_is_selected (pages, i)
        && gtk_drop_down_get_selected (self->section_dropdown) != i)
      gtk_drop_down_set_selected (self->section_dropdown, i);

  /* Read /proc, and make the hundred rows of constants, only when someone
   * looks. */
  if (g_strcmp0 (name, "status") == 0 && !self->listening_loaded)
    load_listening (self);
  if (g_strcmp0 (name, "constants") == 0 && self->constant_rows->len == 0)
    build_constants (self);
}

/* ------------------------------------------------------------------------ */
/* Addresses and byte order                                                 */

static void
on_inspect_address (ScopePortsPage *self)
{
  g_auto(ScopeAddressInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *family = NULL;

  clear_list (self->address_list);
  gtk_widget_set_visible (GTK_WIDGET (self->address_list), FALSE);
  if (!scope_address_inspect (gtk_editable_get_text (GTK_EDITABLE (self->address_row)), &info,
                              &error))
    {
      error_box_show (self->address_error, error->message);
      return;
    }
  error_box_show (self->address_error, NULL);

  family = g_strdup_printf ("%s (%d)", info.family == AF_INET ? "AF_INET" : "AF_INET6",
                            info.family);
  add_row (self->address_list, value_row_new (self, info.text, _("The address, as inet_ntop() "
                                                                 "writes it")));
  add_row (self->address_list, fact_row_new (family, _("Family")));
  if (info.scope != NULL)
    {
      g_autofree char *scope = info.scope_known
                               ? g_strdup_printf ("%s (%u)", info.scope, info.scope_id)
                               /* Translators: an interface name this machine does not have */
                               : g_strdup_printf (_("%s (no such interface here)"), info.scope);

      add_row (self->address_list,
               fact_row_new (scope, _("Scope: the interface a link-local address belongs to, "
                                      "and its index")));
    }
  if (info.port >= 0)
    {
      char port[8];

      g_snprintf (port, sizeof port, "%d", info.port);
      add_row (self->address_list, fact_row_new (port, _("Port")));
    }
  add_row (self->address_list,
           value_row_new (self, info.hex,
                          info.aton_only
                          ? _("Packed bytes, in network order, as inet_aton() makes them")
                          : _("Packed bytes, in network order, as inet_pton() makes them")));
  add_row (self->address_list, value_row_new (self, info.integer,
                                              _("The bytes as one unsigned number")));
  add_row (self->address_list, fact_row_new (scope_address_kind_get_title (info.kind),
                                             scope_address_kind_explain (info.kind)));
  if (info.multicast_scope != NULL)
    {
      /* Translators: %s is a multicast scope, such as "the local link" */
      g_autofree char *reach = g_strdup_printf (_("Reaches %s"), info.multicast_scope);

      add_row (self->address_list, fact_row_new (reach, _("Multicast scope")));
    }
  if (info.mapped != NULL)
    add_row (self->address_list, value_row_new (self, info.mapped, _("The IPv4 address inside")));
  if (info.aton_only)
    {
      /* Translators: %s is the address inet_pton() would want */
      g_autofree char *note = g_strdup_printf (_("An old short form that only inet_aton() "
                                                 "reads; inet_pton() wants %s"), info.text);

      add_row (self->address_list, fact_row_new (info.input, note));
    }
  add_row (self->address_list, value_row_new (self, info.reverse_name,
                                              _("The name a reverse lookup asks for")));
  add_row (self->address_list, value_row_new (self, info.python, _("The same in Python")));
}

static char *
bytes_text (const guint8 *bytes,
            guint         width)
{
  return scope_bytes_to_hex (bytes, width / 8);
}

static void
on_byte_order_changed (ScopePortsPage *self)
{
  ScopeByteOrder order;
  g_autoptr(GError) error = NULL;
  guint width = adw_combo_row_get_selected (self->width_row) == 1 ? 32 : 16;
  const char *to_network = width == 16 ? "htons" : "htonl";
  const char *to_host = width == 16 ? "ntohs" : "ntohl";

  clear_list (self->byte_order_list);
  if (!scope_byte_order_convert (gtk_editable_get_text (GTK_EDITABLE (self->number_row)), width,
                                 &order, &error))
    {
      error_box_show (self->byte_order_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->byte_order_list), FALSE);
      return;
    }
  error_box_show (self->byte_order_error, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->byte_order_list), TRUE);

  {
    g_autofree char *host = bytes_text (order.host_bytes, width);
    g_autofree char *network = bytes_text (order.network_bytes, width);
    g_autofree char *value = g_strdup_printf ("%u (0x%0*x)", order.value, width / 4, order.value);
    g_autofree char *converted_title = g_strdup_printf ("%s(%u) = %u (0x%0*x)", to_network,
                                                        order.value, order.converted, width / 4,
                                                        order.converted);
    g_autofree char *back_title = g_strdup_printf ("%s(%u) = %u", to_host, order.converted,
                                                   order.value);
    /* Translators: %s is "little-endian" or "big-endian", as the C world writes it */
    g_autofree char *memory_detail = g_strdup_printf (_("The number’s bytes in this machine’s "
                                                        "memory: it is %s"),
                                                      order.little_endian ? "little-endian"
                                                                          : "big-endian");

    add_row (self->byte_order_list, value_row_new (self, value, _("The number")));
    add_row (self->byte_order_list, value_row_new (self, host, memory_detail));
    add_row (self->byte_order_list,
             value_row_new (self, network, _("Its bytes in network order, big-endian: what "
                                             "goes into a packet")));
    add_row (self->byte_order_list,
             value_row_new (self, converted_title,
                           order.little_endian
                           ? _("Those network-order bytes read back in this machine’s order: "
                               "a different number")
                           : _("On a big-endian machine the orders agree: nothing changes")));
    add_row (self->byte_order_list,
             value_row_new (self, back_title, _("And back again, as a receiver does")));
  }
}

/* ------------------------------------------------------------------------ */

/* The database is read, and its table made, when someone first looks:
 * not at start-up, and not for a screen reader walking the other pages. */
static void
ensure_catalogue (ScopePortsPage *self)
{
  if (self->catalogue_requested)
    return;
  self->catalogue_requested = TRUE;
  scope_service_catalogue_load_async (self->cancellable, catalogue_loaded, weak_page (self));
}

static void
scope_ports_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (scope_ports_page_parent_class)->map (widget);
  ensure_catalogue (SCOPE_PORTS_PAGE (widget));
}

static void
scope_ports_page_dispose (GObject *object)
{
  ScopePortsPage *self = SCOPE_PORTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->detail_cancellable);
  g_cancellable_cancel (self->status_cancellable);
  g_cancellable_cancel (self->listening_cancellable);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->detail_cancellable);
  g_clear_object (&self->status_cancellable);
  g_clear_object (&self->listening_cancellable);
  g_clear_object (&self->check_cancellable);
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  g_clear_object (&self->shown);
  if (self->services_view != NULL)
    gtk_column_view_set_model (self->services_view, NULL);
  /* Whoever still holds the models must not call into a page that is gone. */
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->catalogue);
  /* The bin's child is a template child: see scope-lookup-page.c. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_PORTS_PAGE);

  G_OBJECT_CLASS (scope_ports_page_parent_class)->dispose (object);
}

static void
scope_ports_page_finalize (GObject *object)
{
  ScopePortsPage *self = SCOPE_PORTS_PAGE (object);

  g_ptr_array_unref (self->constant_rows);
  g_ptr_array_unref (self->constant_groups);
  g_free (self->last_query);

  G_OBJECT_CLASS (scope_ports_page_parent_class)->finalize (object);
}

static void
scope_ports_page_class_init (ScopePortsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_ports_page_dispose;
  object_class->finalize = scope_ports_page_finalize;
  widget_class->map = scope_ports_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-ports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, section_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, section_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, services_leaflet);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, services_list_box);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, protocol_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, class_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, services_view);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, detail_subtitle);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, class_list);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, local_list);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, connect_list);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, start_server_button);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, status_port_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, status_proto_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, status_list);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, check_host_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, check_ports_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, check_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, check_summary);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, check_list);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, listening_list);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, constants_search);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, constants_box);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, constants_empty);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, addresses_box);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, address_list);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, byte_order_group);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, number_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, width_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, byte_order_list);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_section_dropdown_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_service_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_detail_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_detail_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_start_server_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_status_check);
  gtk_widget_class_bind_template_callback (widget_class, on_status_proto_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_check_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_check_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_listening_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_constants_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_inspect_address);
  gtk_widget_class_bind_template_callback (widget_class, on_byte_order_changed);
}

static void
scope_ports_page_init (ScopePortsPage *self)
{
  g_autofree char *order = NULL;

  self->constant_rows = g_ptr_array_new ();
  self->constant_groups = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  build_services_view (self);
  {
    g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->section_stack);

    gtk_drop_down_set_expression (self->section_dropdown,
                                  gtk_property_expression_new (GTK_TYPE_STACK_PAGE, NULL,
                                                               "title"));
    gtk_drop_down_set_model (self->section_dropdown, G_LIST_MODEL (pages));
  }
  gtk_search_entry_set_key_capture_widget (self->search_entry, self->services_list_box);

  self->status_error = error_box_new ();
  gtk_box_insert_child_after (self->status_box, self->status_error,
                              gtk_widget_get_first_child (GTK_WIDGET (self->status_box)));
  self->check_error = error_box_new ();
  gtk_box_insert_child_after (self->status_box, self->check_error,
                              gtk_widget_get_parent (self->check_button));
  self->address_error = error_box_new ();
  gtk_box_insert_child_after (self->addresses_box, self->address_error,
                              gtk_widget_get_first_child (GTK_WIDGET (self->addresses_box)));
  self->byte_order_error = error_box_new ();
  gtk_box_insert_child_after (self->addresses_box, self->byte_order_error,
                              GTK_WIDGET (self->byte_order_group));

  /* Translators: %s is "little-endian" or "big-endian", as the C world writes it */
  order = g_strdup_printf (_("htons() and htonl() put a number’s bytes in network order, "
                             "big-endian, as packets carry ports and addresses; ntohs() and "
                             "ntohl() put them back. This machine is %s."),
                           G_BYTE_ORDER == G_LITTLE_ENDIAN ? "little-endian" : "big-endian");
  adw_preferences_group_set_description (self->byte_order_group, order);
  on_byte_order_changed (self);

  g_signal_connect_object (self->section_stack, "notify::visible-child",
                           G_CALLBACK (on_section_changed), self, G_CONNECT_SWAPPED);
}


/**
 * scope_ports_page_get_catalogue:
 *
 * Returns: (nullable) (transfer none): the services database, once read:
 *   the page reads it when it is first shown, or searched
 */
ScopeServiceCatalogue *
scope_ports_page_get_catalogue (ScopePortsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_PORTS_PAGE (self), NULL);

  return self->catalogue;
}

/**
 * scope_ports_page_set_catalogue:
 *
 * Shows @catalogue in place of the system's database: for tests and
 * benchmarks of other databases, such as the built-in one.
 */
void
scope_ports_page_set_catalogue (ScopePortsPage        *self,
                                ScopeServiceCatalogue *catalogue)
{
  g_return_if_fail (SCOPE_IS_PORTS_PAGE (self));
  g_return_if_fail (SCOPE_IS_SERVICE_CATALOGUE (catalogue));

  self->catalogue_requested = TRUE;
  g_set_object (&self->catalogue, catalogue);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (self->catalogue));
  update_count (self);
}

/**
 * scope_ports_page_search:
 *
 * Shows the services tab filtered by @query, as typing it would.
 */
void
scope_ports_page_search (ScopePortsPage *self,
                         const char     *query)
{
  g_return_if_fail (SCOPE_IS_PORTS_PAGE (self));

  ensure_catalogue (self);
  gtk_stack_set_visible_child_name (self->section_stack, "services");
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
  on_filter_changed (self);
}

/**
 * scope_ports_page_get_shown_service:
 *
 * Returns: (nullable) (transfer none): the service in the detail pane
 */
ScopeService *
scope_ports_page_get_shown_service (ScopePortsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_PORTS_PAGE (self), NULL);

  return self->shown;
}

GtkSelectionModel *
scope_ports_page_get_selection (ScopePortsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_PORTS_PAGE (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}
