/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The four views of the Ports page, each alone in a window, driven as a
 * user drives them: typed into a letter at a time, Enter pressed, the
 * rows read back. */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "scope-address-view.h"
#include "scope-constants-view.h"
#include "scope-port-status-view.h"
#include "scope-service-results.h"
#include "scope-services-view.h"
#include "widget-drive.h"
#include "widget-search.h"
#include "widget-test.h"

static const char services_text[] =
  "ssh\t22/tcp\n"
  "domain\t53/tcp\n"
  "domain\t53/udp\n"
  "http\t80/tcp\t\twww\n"
  "kerberos\t88/tcp\t\tkerberos5 krb5 kerberos-sec\n"
  "kerberos\t88/udp\t\tkerberos5 krb5 kerberos-sec\n"
  "http-alt\t8080/tcp\twebcache\n";

/* A letter at a time, at the end, as keys type it. */
static void
type (GtkWidget  *field,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (field), "");
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      int position = -1;

      gtk_editable_insert_text (GTK_EDITABLE (field), p, g_utf8_next_char (p) - p, &position);
      gtk_editable_set_position (GTK_EDITABLE (field), -1);
    }
}

/* Enter in a text field: its GtkText says "activate", as on a key press. */
static void
press_enter (GtkWidget *field)
{
  GtkWidget *text = GTK_IS_TEXT (field) ? field : widget_find_of_type (field, GTK_TYPE_TEXT);

  g_assert_nonnull (text);
  g_signal_emit_by_name (text, "activate");
}

/* A key pressed in @widget, as its key controllers hear it; whether one
 * took it. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  return handled;
}

/* The rows of a boxed list, "title | subtitle" a line. */
static char *
rows_text (GtkWidget *list)
{
  GString *out = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && gtk_widget_get_visible (row))
      g_string_append_printf (out, "%s | %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) ?: "");
  return g_string_free (out, FALSE);
}

/* What an error box says, or NULL while it is hidden. */
static const char *
error_text (GtkWidget *box)
{
  if (!gtk_widget_get_visible (box))
    return NULL;
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (box)), ==,
                   GTK_ACCESSIBLE_ROLE_ALERT);
  return gtk_label_get_text (GTK_LABEL (widget_find_of_type (box, GTK_TYPE_LABEL)));
}

/* ------------------------------------------------------------------------ */
/* Services                                                                 */

typedef struct
{
  GtkWidget *view;
  GtkWidget *count;
  const char *count_text;
  char *started;        /* what win.start-server was asked for */
} Services;

static gboolean
count_says (gpointer data)
{
  Services *s = data;

  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (s->count)), s->count_text) == 0;
}

static void
wait_for_count (Services   *s,
                const char *text)
{
  s->count_text = text;
  wait_until (count_says, s, text);
}

/* The names in the table's rows, as its labels show them once drawn. */
static char *
table_names (GtkSelectionModel *rows)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (rows)); i++)
    {
      g_autoptr(ScopeServiceRow) row = g_list_model_get_item (G_LIST_MODEL (rows), i);
      ScopeService *service = scope_service_row_get_service (row);

      g_string_append_printf (out, "%s%s/%u", i > 0 ? " " : "", scope_service_get_name (service),
                              scope_service_get_port (service));
    }
  return g_string_free (out, FALSE);
}

static gboolean
label_in (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
table_shows_www (gpointer data)
{
  return widget_search (data, label_in, "www") != NULL;
}

static void
start_server (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  Services *s = user_data;

  g_free (s->started);
  s->started = g_variant_dup_string (parameter, NULL);
}

static gboolean
scrolls (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) + 50;
}

static void
test_services_view (void)
{
  Services s = { 0 };
  g_autoptr(ScopeServiceCatalogue) catalogue =
    scope_service_catalogue_new_from_text (services_text, strlen (services_text), "test file");
  const GActionEntry entries[] = { { "start-server", start_server, "s" } };
  g_autoptr(GSimpleActionGroup) win = g_simple_action_group_new ();
  GtkWidget *window, *search, *table, *detail_title;
  GtkSelectionModel *rows;
  GtkAdjustment *scroller;
  g_autofree char *names = NULL;
  g_autofree char *facts = NULL;

  s.view = g_object_new (SCOPE_TYPE_SERVICES_VIEW, NULL);
  g_object_add_weak_pointer (G_OBJECT (s.view), (gpointer *) &s.view);
  scope_services_view_set_catalogue (SCOPE_SERVICES_VIEW (s.view), catalogue);
  window = window_with (s.view);
  g_action_map_add_action_entries (G_ACTION_MAP (win), entries, G_N_ELEMENTS (entries), &s);
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (win));

  s.count = child (s.view, SCOPE_TYPE_SERVICES_VIEW, "count_label");
  search = child (s.view, SCOPE_TYPE_SERVICES_VIEW, "search_entry");
  table = child (s.view, SCOPE_TYPE_SERVICES_VIEW, "services_view");
  detail_title = child (s.view, SCOPE_TYPE_SERVICES_VIEW, "detail_title");
  rows = scope_services_view_get_selection (SCOPE_SERVICES_VIEW (s.view));
  wait_for_count (&s, "7 entries. test file");
  wait_until (table_shows_www, table, "the table drawn");

  /* Typed: the table narrows as the search entry says, sorted by port. */
  type (search, "kerb");
  wait_for_count (&s, "2 of 7 entries");
  names = table_names (rows);
  g_assert_cmpstr (names, ==, "kerberos/88 kerberos/88");
  g_assert_false (table_shows_www (table));
  g_clear_pointer (&names, g_free);
  /* A port no service is named for: where its facts are, not a bare 0. */
  type (search, "50000");
  wait_for_count (&s, "0 of 7 entries. No service is named for port 50000: Status tells its "
                      "class, whether it is free here and what holds it");
  type (search, "ht");
  wait_for_count (&s, "2 of 7 entries");
  names = table_names (rows);
  g_assert_cmpstr (names, ==, "http/80 http-alt/8080");
  wait_until (table_shows_www, table, "the alias of http in the table");

  /* Down goes from the search to the results, not to the drop-downs. */
  gtk_widget_grab_focus (search);
  g_assert_true (press_key (search, GDK_KEY_Down));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), table));
  gtk_widget_grab_focus (search);

  /* Enter picks the first match: its detail. */
  press_enter (search);
  g_assert_true (gtk_selection_model_is_selected (rows, 0));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (detail_title)), ==, "http");
  facts = rows_text (child (s.view, SCOPE_TYPE_SERVICES_VIEW, "class_list"));
  g_assert_nonnull (strstr (facts, "Well-known: 0–1023 | "));
  g_assert_nonnull (strstr (facts, "www | Other names of the service"));
  g_clear_pointer (&facts, g_free);
  facts = rows_text (child (s.view, SCOPE_TYPE_SERVICES_VIEW, "connect_list"));
  g_assert_nonnull (strstr (facts, "nc 127.0.0.1 80 | With netcat, in a terminal"));

  /* The picked service stays picked while the search narrows around it,
   * and goes when the search leaves it out. */
  type (search, "http-");
  wait_for_count (&s, "1 of 7 entries");
  g_assert_null (scope_services_view_get_shown_service (SCOPE_SERVICES_VIEW (s.view)));
  type (search, "80");
  wait_for_count (&s, "1 of 7 entries");
  gtk_selection_model_select_item (rows, 0, TRUE);
  type (search, "");
  wait_for_count (&s, "7 entries. test file");
  g_assert_true (gtk_selection_model_is_selected (rows, 3));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (detail_title)), ==, "http");

  /* The drop-downs: UDP only. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (s.view, SCOPE_TYPE_SERVICES_VIEW,
                                                    "protocol_dropdown")), 2);
  wait_for_count (&s, "2 of 7 entries");
  g_clear_pointer (&names, g_free);
  names = table_names (rows);
  g_assert_cmpstr (names, ==, "domain/53 kerberos/88");

  /* Another service picked reads from its top, wherever the last one was
   * scrolled to (a student found the new one's name out of sight). */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 420);
  gtk_selection_model_select_item (rows, 0, TRUE);
  scroller = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (child (s.view, SCOPE_TYPE_SERVICES_VIEW, "detail_scroller")));
  wait_until (scrolls, scroller, "a detail taller than the window");
  gtk_adjustment_set_value (scroller, gtk_adjustment_get_upper (scroller));
  g_assert_cmpfloat (gtk_adjustment_get_value (scroller), >, 0);
  gtk_selection_model_select_item (rows, 1, TRUE);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (detail_title)), ==, "kerberos");
  g_assert_cmpfloat (gtk_adjustment_get_value (scroller), ==, 0);

  /* The button asks the window for a server on the port, through its action. */
  gtk_selection_model_select_item (rows, 0, TRUE);
  g_signal_emit_by_name (child (s.view, SCOPE_TYPE_SERVICES_VIEW, "start_server_button"),
                         "clicked");
  g_assert_cmpstr (s.started, ==, "udp-echo:53");

  gtk_window_destroy (GTK_WINDOW (window));
  while (s.view != NULL)
    g_main_context_iteration (NULL, FALSE);
  g_free (s.started);
}

/* ------------------------------------------------------------------------ */
/* Status                                                                   */

typedef struct
{
  GtkWidget  *list;
  const char *text;
} ListWait;

static gboolean
list_has (gpointer data)
{
  ListWait *wait = data;
  g_autofree char *text = rows_text (wait->list);

  return strstr (text, wait->text) != NULL;
}

static gboolean
label_starts (GtkWidget     *widget,
              gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)),
                                                    prefix);
}

static gboolean
check_done (gpointer data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (data));

  return strstr (text, " at 127.0.0.1, in ") != NULL;
}

static void
test_port_status_view (void)
{
  GtkWidget *view = g_object_new (SCOPE_TYPE_PORT_STATUS_VIEW, NULL);
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *port = NULL;
  g_autofree char *range = NULL;
  g_autofree char *address = NULL;
  GtkWidget *window, *port_row, *status_list, *status_error, *summary;
  ListWait wait;

  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  g_assert_true (g_socket_bind (listener, any, FALSE, NULL));
  g_assert_true (g_socket_listen (listener, NULL));
  bound = g_socket_get_local_address (listener, NULL);
  port = g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  window = window_with (view);
  port_row = child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "status_port_row");
  status_list = child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "status_list");
  status_error = child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "status_error");

  /* Shown, it lists what listens here: ours among them. */
  address = g_strdup_printf ("127.0.0.1:%s", port);
  wait = (ListWait) { child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "listening_list"), address };
  wait_until (list_has, &wait, "the listener among the listening sockets");

  /* A port in use: the bind probes say so, then the socket that holds it. */
  type (port_row, port);
  press_enter (port_row);
  g_assert_null (error_text (status_error));
  wait = (ListWait) { status_list, "TCP on 127.0.0.1 | In use: another socket holds it" };
  g_assert_true (list_has (&wait));
  /* Above them, the port's class, as for a port of the services database
   * (this one is the system's pick, so in its ephemeral range). */
  wait = (ListWait) { status_list, "In the ephemeral range" };
  g_assert_true (list_has (&wait));
  wait = (ListWait) { status_list, "Any program may listen on it here" };
  g_assert_true (list_has (&wait));
  wait = (ListWait) { status_list, address };
  wait_until (list_has, &wait, "the listener that holds the port");

  /* UDP instead, from the protocol row. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (view, SCOPE_TYPE_PORT_STATUS_VIEW,
                                                    "status_proto_row")), 1);
  wait = (ListWait) { status_list, "UDP on 127.0.0.1 | " };
  g_assert_true (list_has (&wait));

  /* Bad input: said in words, and nothing probed. */
  type (port_row, "70000");
  press_enter (port_row);
  g_assert_cmpstr (error_text (status_error), ==,
                   "Port 70000 is out of range: ports go from 0 to 65535");
  g_assert_false (gtk_widget_get_visible (status_list));
  /* Edited, the field no longer holds what the error spoke of. */
  type (port_row, "7000");
  g_assert_null (error_text (status_error));

  /* The connect check of the listener's port and its neighbours. */
  range = g_strdup_printf ("%s-%s", port, port);
  type (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_ports_row"), range);
  g_signal_emit_by_name (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_button"), "clicked");
  summary = child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_summary");
  wait_until (check_done, summary, "the connect check done");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (summary)),
                                   "1 open, 0 refused, 0 filtered, 0 failed"));
  g_assert_nonnull (widget_search (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_list"),
                                   label_starts, "Open, in "));
  type (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_ports_row"), "1-5000");
  g_signal_emit_by_name (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_button"), "clicked");
  g_assert_true (g_str_has_prefix (error_text (child (view, SCOPE_TYPE_PORT_STATUS_VIEW,
                                                      "check_error")),
                                   "The range 1–5000 holds 5000 ports"));
  type (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_ports_row"), "1-500");
  g_assert_null (error_text (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_error")));

  gtk_window_destroy (GTK_WINDOW (window));
  while (view != NULL)
    g_main_context_iteration (NULL, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Constants                                                                */

typedef struct
{
  GtkWidget  *view;
  const char *name;
  gboolean    shown;
} ConstantWait;

static gboolean
row_titled (GtkWidget     *widget,
            gconstpointer  title)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_is_visible (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
constant_shown (gpointer data)
{
  ConstantWait *wait = data;

  return (widget_search (wait->view, row_titled, wait->name) != NULL) == wait->shown;
}

static void
test_constants_view (void)
{
  GtkWidget *view = g_object_new (SCOPE_TYPE_CONSTANTS_VIEW, NULL);
  GtkWidget *window, *search, *empty;
  ConstantWait wait = { view, "AF_INET", TRUE };

  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  window = window_with (view);
  search = child (view, SCOPE_TYPE_CONSTANTS_VIEW, "constants_search");
  empty = child (view, SCOPE_TYPE_CONSTANTS_VIEW, "constants_empty");

  /* Made when shown. */
  wait_until (constant_shown, &wait, "the constants");

  type (search, "shut");
  wait = (ConstantWait) { view, "AF_INET", FALSE };
  wait_until (constant_shown, &wait, "AF_INET hidden by the search");
  g_assert_nonnull (widget_search (view, row_titled, "SHUT_WR"));
  g_assert_false (gtk_widget_get_visible (empty));

  type (search, "XX_");
  wait = (ConstantWait) { view, "SHUT_WR", FALSE };
  wait_until (constant_shown, &wait, "nothing shown");
  g_assert_true (gtk_widget_get_visible (empty));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (empty)), ==, "No constant matches “XX_”");

  gtk_window_destroy (GTK_WINDOW (window));
  while (view != NULL)
    g_main_context_iteration (NULL, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Addresses                                                                */

static void
test_address_view (void)
{
  GtkWidget *view = g_object_new (SCOPE_TYPE_ADDRESS_VIEW, NULL);
  GtkWidget *window, *address_row, *address_list, *address_error, *byte_order_list;
  g_autofree char *family = g_strdup_printf ("AF_INET6 (%d) | Family", AF_INET6);
  g_autofree char *rows = NULL;

  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  window = window_with (view);
  address_row = child (view, SCOPE_TYPE_ADDRESS_VIEW, "address_row");
  address_list = child (view, SCOPE_TYPE_ADDRESS_VIEW, "address_list");
  address_error = child (view, SCOPE_TYPE_ADDRESS_VIEW, "address_error");
  byte_order_list = child (view, SCOPE_TYPE_ADDRESS_VIEW, "byte_order_list");

  type (address_row, "[2001:db8::1]:443");
  press_enter (address_row);
  g_assert_null (error_text (address_error));
  rows = rows_text (address_list);
  g_assert_nonnull (strstr (rows, "2001:db8::1 | The address, as inet_ntop() writes it\n"));
  g_assert_nonnull (strstr (rows, family));
  g_assert_nonnull (strstr (rows, "443 | Port\n"));
  g_assert_nonnull (strstr (rows, "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 | "));
  g_assert_nonnull (strstr (rows, "Documentation | "));

  type (address_row, "999.1.1.1");
  press_enter (address_row);
  g_assert_true (g_str_has_prefix (error_text (address_error),
                                   "“999.1.1.1” is not a valid IPv4 address"));
  g_assert_false (gtk_widget_get_visible (address_list));
  type (address_row, "99.1.1.1");
  g_assert_null (error_text (address_error));

  /* Byte order: 8080 to begin with, then 32 bits, then too big. */
  g_clear_pointer (&rows, g_free);
  rows = rows_text (byte_order_list);
  g_assert_nonnull (strstr (rows, "8080 (0x1f90) | The number\n"));
  g_assert_nonnull (strstr (rows, "1f 90 | Its bytes in network order"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (view, SCOPE_TYPE_ADDRESS_VIEW,
                                                    "width_row")), 1);
  g_clear_pointer (&rows, g_free);
  rows = rows_text (byte_order_list);
  g_assert_nonnull (strstr (rows, "8080 (0x00001f90) | The number\n"));
  g_assert_nonnull (strstr (rows, "00 00 1f 90 | Its bytes in network order"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (view, SCOPE_TYPE_ADDRESS_VIEW,
                                                    "width_row")), 0);
  type (child (view, SCOPE_TYPE_ADDRESS_VIEW, "number_row"), "70000");
  g_assert_cmpstr (error_text (child (view, SCOPE_TYPE_ADDRESS_VIEW, "byte_order_error")), ==,
                   "70000 does not fit in 16 bits: htons() takes numbers from 0 to 65535 "
                   "(0xffff)");
  g_assert_false (gtk_widget_get_visible (byte_order_list));

  gtk_window_destroy (GTK_WINDOW (window));
  while (view != NULL)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  if (!widget_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ports-views/services", test_services_view);
  g_test_add_func ("/ports-views/port-status", test_port_status_view);
  g_test_add_func ("/ports-views/constants", test_constants_view);
  g_test_add_func ("/ports-views/addresses", test_address_view);

  return g_test_run ();
}
