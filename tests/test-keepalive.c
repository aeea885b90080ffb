/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A page, a view or a list that goes away while the core works for it: its
 * callback comes later and must find it alive (it holds a reference), must
 * not touch it once it is disposed, and must let it go. Each test takes
 * away the widget while the work is in flight (the main loop has not run
 * since it was started, so no callback can have come), runs the main loop
 * until the work is over, and sees the widget finalized. Under
 * G_DEBUG=fatal-warnings a touch of a disposed widget's template child is
 * fatal. The export's case is /window/sockets-page-export-in-background. */
#include "config.h"

#include <string.h>

#include "scope-client-panel.h"
#include "scope-lookup-page.h"
#include "scope-port-rows.h"
#include "scope-port-status-view.h"
#include "scope-resolver.h"
#include "scope-services-view.h"
#include "widget-drive.h"
#include "widget-test.h"

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Only the test's reference is left: every callback has let go of its. */
static gboolean
only_ours (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static gboolean
label_is (GtkWidget     *widget,
          gconstpointer  text)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) == 0;
}

/* How many rows of @list are titled @title. */
static guint
rows_titled (GtkWidget  *list,
             const char *title)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (label_is (row, title))
      n++;
  return n;
}

/* ------------------------------------------------------------------------ */
/* The Lookup page                                                          */

static void
ask (GtkWidget  *page,
     const char *service)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, SCOPE_TYPE_LOOKUP_PAGE, "kind_row")),
                              SCOPE_LOOKUP_SERVICE);
  gtk_editable_set_text (GTK_EDITABLE (child (page, SCOPE_TYPE_LOOKUP_PAGE, "query_row")),
                         service);
  scope_lookup_page_run (SCOPE_LOOKUP_PAGE (page));
  g_assert_true (scope_lookup_page_get_busy (SCOPE_LOOKUP_PAGE (page)));
}

/* The window closed mid-lookup: the answer comes to a page out of its
 * window, which then goes. */
static void
test_lookup_page_window_closed (void)
{
  GtkWidget *page = g_object_new (SCOPE_TYPE_LOOKUP_PAGE, NULL);
  GtkWidget *window = window_with (page);

  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  ask (page, "http");
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (is_gone, &page, "the page finalized");
}

/* The page disposed mid-lookup (its last owner let go, then ran dispose, as
 * a container that destroys its children does): the callback, cancelled,
 * touches nothing of it. */
static void
test_lookup_page_disposed (void)
{
  GtkWidget *page = g_object_ref_sink (g_object_new (SCOPE_TYPE_LOOKUP_PAGE, NULL));

  ask (page, "http");
  g_object_run_dispose (G_OBJECT (page));
  /* Disposing let go of the weak pointers: watch again. */
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  g_object_unref (page);
  g_assert_nonnull (page);   /* the lookup holds it */
  wait_until (is_gone, &page, "the page finalized");
}

/* A newer question replaces one in flight, and the user's Cancel stops
 * one: each is said once, by the page, and the late callbacks say
 * nothing. */
static void
test_lookup_page_replaced_and_cancelled (void)
{
  GtkWidget *page = g_object_ref_sink (g_object_new (SCOPE_TYPE_LOOKUP_PAGE, NULL));
  GtkWidget *history = child (page, SCOPE_TYPE_LOOKUP_PAGE, "history_list");
  GtkWidget *error_label = child (page, SCOPE_TYPE_LOOKUP_PAGE, "error_label");

  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  ask (page, "ssh");
  ask (page, "http");
  wait_until (only_ours, page, "both lookups over");
  g_assert_false (scope_lookup_page_get_busy (SCOPE_LOOKUP_PAGE (page)));
  g_assert_cmpuint (count_children (history), ==, 1);
  g_assert_cmpuint (rows_titled (history, "Service http"), ==, 1);

  ask (page, "domain");
  gtk_widget_activate_action (page, "lookup.cancel", NULL);
  g_assert_false (scope_lookup_page_get_busy (SCOPE_LOOKUP_PAGE (page)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   "Cancelled: the lookup was stopped before an answer came.");
  wait_until (only_ours, page, "the cancelled lookup over");
  g_assert_cmpuint (count_children (history), ==, 2);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   "Cancelled: the lookup was stopped before an answer came.");
  g_assert_null (scope_lookup_page_get_result (SCOPE_LOOKUP_PAGE (page)));

  g_object_unref (page);
  g_assert_null (page);
}

/* ------------------------------------------------------------------------ */
/* The Status view of the Ports page                                        */

/* The window closed while the listening sockets are read and a connect
 * check knocks: the check stops, and the view goes. */
static void
test_port_status_view_window_closed (void)
{
  GtkWidget *view = g_object_new (SCOPE_TYPE_PORT_STATUS_VIEW, NULL);
  GtkWidget *window = window_with (view);

  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  /* Mapped, it starts reading the listening sockets. */
  while (!gtk_widget_get_mapped (view))
    g_main_context_iteration (NULL, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (child (view, SCOPE_TYPE_PORT_STATUS_VIEW,
                                              "check_ports_row")), "1-1000");
  g_signal_emit_by_name (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_button"), "clicked");
  g_assert_true (gtk_widget_get_visible (child (view, SCOPE_TYPE_PORT_STATUS_VIEW,
                                                "check_cancel_button")));
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (is_gone, &view, "the view finalized");
}

/* The view disposed mid-check, out of any window. */
static void
test_port_status_view_disposed (void)
{
  GtkWidget *view = g_object_ref_sink (g_object_new (SCOPE_TYPE_PORT_STATUS_VIEW, NULL));

  gtk_editable_set_text (GTK_EDITABLE (child (view, SCOPE_TYPE_PORT_STATUS_VIEW,
                                              "check_ports_row")), "1-1000");
  g_signal_emit_by_name (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_button"), "clicked");
  g_object_run_dispose (G_OBJECT (view));
  /* Disposing let go of the weak pointers: watch again. */
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  g_object_unref (view);
  g_assert_nonnull (view);   /* the check holds it */
  wait_until (is_gone, &view, "the view finalized");
}

/* The user's Cancel: said at once, with what was known, and not again. */
static void
test_port_status_view_cancelled (void)
{
  GtkWidget *view = g_object_ref_sink (g_object_new (SCOPE_TYPE_PORT_STATUS_VIEW, NULL));
  GtkWidget *summary = child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_summary");

  gtk_editable_set_text (GTK_EDITABLE (child (view, SCOPE_TYPE_PORT_STATUS_VIEW,
                                              "check_ports_row")), "1-1000");
  g_signal_emit_by_name (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_button"), "clicked");
  g_signal_emit_by_name (child (view, SCOPE_TYPE_PORT_STATUS_VIEW, "check_cancel_button"),
                         "clicked");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (summary)), ==,
                   "Cancelled. 0 of 1000 checked: 0 open, 0 refused, 0 filtered, 0 failed");
  g_assert_true (gtk_widget_get_sensitive (child (view, SCOPE_TYPE_PORT_STATUS_VIEW,
                                                  "check_button")));
  g_assert_false (gtk_widget_get_visible (child (view, SCOPE_TYPE_PORT_STATUS_VIEW,
                                                 "check_cancel_button")));
  wait_until (only_ours, view, "the cancelled check over");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (summary)), ==,
                   "Cancelled. 0 of 1000 checked: 0 open, 0 refused, 0 filtered, 0 failed");
  g_assert_false (gtk_widget_get_visible (child (view, SCOPE_TYPE_PORT_STATUS_VIEW,
                                                 "check_error")));
  g_object_unref (view);
}

/* ------------------------------------------------------------------------ */
/* The Services view, and the rows of a port's sockets                      */

static gboolean
catalogue_read (gpointer data)
{
  return scope_services_view_get_catalogue (SCOPE_SERVICES_VIEW (data)) != NULL;
}

/* The window closed while the services database is read. */
static void
test_services_view_window_closed (void)
{
  GtkWidget *view = g_object_new (SCOPE_TYPE_SERVICES_VIEW, NULL);
  GtkWidget *window = window_with (view);

  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  scope_services_view_load_catalogue (SCOPE_SERVICES_VIEW (view));
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (is_gone, &view, "the view finalized");
}

/* The window closed while a service's detail waits to read which sockets
 * hold its port: the view goes at once, its list when the wait is over. */
static void
test_services_view_detail_window_closed (void)
{
  GtkWidget *view = g_object_new (SCOPE_TYPE_SERVICES_VIEW, NULL);
  GtkWidget *window = window_with (view);
  GtkWidget *local_list = child (view, SCOPE_TYPE_SERVICES_VIEW, "local_list");
  GtkColumnView *table = GTK_COLUMN_VIEW (child (view, SCOPE_TYPE_SERVICES_VIEW,
                                                 "services_view"));

  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  g_object_add_weak_pointer (G_OBJECT (local_list), (gpointer *) &local_list);
  wait_until (catalogue_read, view, "the services database read");
  gtk_selection_model_select_item (gtk_column_view_get_model (table), 0, TRUE);
  g_assert_true (gtk_widget_get_visible (local_list));
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (is_gone, &view, "the view finalized");
  wait_until (is_gone, &local_list, "the sockets list finalized");
}

typedef struct
{
  GtkWidget  *list;
  const char *text;
} ListWait;

static gboolean
list_holds (gpointer data)
{
  ListWait *wait = data;

  return rows_titled (wait->list, wait->text) > 0;
}

/* The helper's requests: a later one replaces an earlier one, whose
 * sockets are never shown; a list whose owner cancelled and let go goes
 * when the read is over; one still wanted is filled. */
static void
test_port_rows_requests (void)
{
  GtkWidget *list = g_object_ref_sink (gtk_list_box_new ());
  GCancellable *slot = NULL;
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *address = NULL;
  guint port;
  ListWait wait;

  g_assert_true (g_socket_bind (listener, any, FALSE, NULL));
  g_assert_true (g_socket_listen (listener, NULL));
  bound = g_socket_get_local_address (listener, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  address = g_strdup_printf ("127.0.0.1:%u", port);

  /* Twice at once: the listener is shown once. */
  scope_port_rows_show_status (GTK_LIST_BOX (list), &slot, port, TRUE, FALSE, 0);
  scope_port_rows_show_status (GTK_LIST_BOX (list), &slot, port, TRUE, FALSE, 0);
  wait = (ListWait) { list, address };
  wait_until (list_holds, &wait, "the listener among the port's sockets");
  wait_until (only_ours, list, "both reads over");
  g_assert_cmpuint (rows_titled (list, address), ==, 1);

  /* Cancelled and let go, as a view's dispose does, while it waits to
   * start and while it reads. */
  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &list);
  scope_port_rows_show_status (GTK_LIST_BOX (list), &slot, port, TRUE, FALSE, 50);
  g_cancellable_cancel (slot);
  g_object_unref (list);
  g_assert_nonnull (list);
  wait_until (is_gone, &list, "the list finalized");

  list = g_object_ref_sink (gtk_list_box_new ());
  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &list);
  scope_port_rows_show_status (GTK_LIST_BOX (list), &slot, port, TRUE, FALSE, 0);
  g_cancellable_cancel (slot);
  g_object_unref (list);
  g_assert_nonnull (list);
  wait_until (is_gone, &list, "the list finalized");
  g_clear_object (&slot);
}

/* ------------------------------------------------------------------------ */
/* The Sockets page's client                                                */

/* The window closed while the client connects: the connection is not
 * made for nobody, and the panel goes. */
static void
test_client_panel_window_closed (void)
{
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  GtkWidget *panel = g_object_new (SCOPE_TYPE_CLIENT_PANEL, NULL);
  GtkWidget *window = window_with (panel);

  g_assert_true (g_socket_bind (listener, any, TRUE, NULL));
  g_assert_true (g_socket_listen (listener, NULL));
  bound = g_socket_get_local_address (listener, NULL);
  scope_client_panel_set_recorder (SCOPE_CLIENT_PANEL (panel), recorder);
  scope_client_panel_set_target (SCOPE_CLIENT_PANEL (panel), SCOPE_PROTOCOL_TCP, "127.0.0.1",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_object_add_weak_pointer (G_OBJECT (panel), (gpointer *) &panel);
  g_signal_emit_by_name (child (panel, SCOPE_TYPE_CLIENT_PANEL, "connect_button"), "clicked");
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (is_gone, &panel, "the panel finalized");
}

int
main (int   argc,
      char *argv[])
{
  if (!widget_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/keepalive/lookup-page/window-closed", test_lookup_page_window_closed);
  g_test_add_func ("/keepalive/lookup-page/disposed", test_lookup_page_disposed);
  g_test_add_func ("/keepalive/lookup-page/replaced-and-cancelled",
                   test_lookup_page_replaced_and_cancelled);
  g_test_add_func ("/keepalive/port-status-view/window-closed",
                   test_port_status_view_window_closed);
  g_test_add_func ("/keepalive/port-status-view/disposed", test_port_status_view_disposed);
  g_test_add_func ("/keepalive/port-status-view/cancelled", test_port_status_view_cancelled);
  g_test_add_func ("/keepalive/services-view/window-closed", test_services_view_window_closed);
  g_test_add_func ("/keepalive/services-view/detail-window-closed",
                   test_services_view_detail_window_closed);
  g_test_add_func ("/keepalive/port-rows/requests", test_port_rows_requests);
  g_test_add_func ("/keepalive/client-panel/window-closed", test_client_panel_window_closed);

  return g_test_run ();
}
