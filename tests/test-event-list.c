/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The event list after a New Session: it starts at the recorder's cut, so
 * the row of an event is its index less the cut. Selecting an event from
 * the timeline selects that very event in the list, and the list's count
 * says what it holds, not what was recorded before. */

#include "config.h"

#include <string.h>

#include "scope-describe.h"
#include "scope-event-list.h"
#include "widget-test.h"

static void
append_sends (ScopeRecorder *recorder,
              guint          socket_id,
              guint          n)
{
  for (guint i = 0; i < n; i++)
    scope_recorder_append (recorder, socket_id, SCOPE_EVENT_SEND, (const guint8 *) "Hi!", 3);
  scope_recorder_flush (recorder);
}

/* The first label under @widget whose text is @text, or holds it when
 * @part. */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text,
            gboolean    part)
{
  if (GTK_IS_LABEL (widget)
      && (part ? strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL
               : g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text)))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text, part);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* How many mapped labels under @widget read @text */
static guint
count_labels (GtkWidget  *widget,
              const char *text)
{
  guint n = GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
            && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_labels (child, text);
  return n;
}

/* Until a label under @widget reads @text, within 10 s */
static void
wait_for_label (GtkWidget  *widget,
                const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (find_label (widget, text, FALSE) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
test_selection_after_new_session (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (loopback, 50000);
  GtkWidget *window = gtk_window_new ();
  ScopeEventList *list = g_object_new (SCOPE_TYPE_EVENT_LIST, NULL);
  guint socket_id;
  guint64 first;
  GtkLabel *status;

  scope_recorder_set_autoflush (recorder, FALSE);
  socket_id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                         "client", local, NULL, 0);
  scope_event_list_set_recorder (list, recorder);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (list));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));

  append_sends (recorder, socket_id, 5);
  scope_recorder_begin_session (recorder);
  append_sends (recorder, socket_id, 3);
  first = scope_recorder_get_first_index (recorder);
  g_assert_cmpuint (first, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 3);

  /* Each event of the new session, as the timeline selects it. */
  for (guint64 index = first; index < first + 3; index++)
    {
      scope_event_list_set_selected (list, (gint64) index);
      g_assert_cmpint (scope_event_list_get_selected (list), ==, (gint64) index);
    }
  /* One from before the cut is not in the list: nothing is selected. */
  scope_event_list_set_selected (list, 2);
  g_assert_cmpint (scope_event_list_get_selected (list), ==, -1);

  status = find_label (GTK_WIDGET (list), " kept ", TRUE);
  g_assert_nonnull (status);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (status), "3 events"));

  /* Undone, the list holds all eight again, and says so. */
  scope_recorder_undo_begin_session (recorder);
  g_assert_cmpuint (scope_recorder_get_first_index (recorder), ==, 0);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (status), "8 events"));
  scope_event_list_set_selected (list, 2);
  g_assert_cmpint (scope_event_list_get_selected (list), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkToggleButton *
find_follow (GtkWidget *widget)
{
  if (GTK_IS_TOGGLE_BUTTON (widget)
      && g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Follow new events") == 0)
    return GTK_TOGGLE_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkToggleButton *found = find_follow (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment)
         && gtk_adjustment_get_value (adjustment)
            >= gtk_adjustment_get_upper (adjustment)
               - gtk_adjustment_get_page_size (adjustment) - 1;
}

/* Row @row of @n, of one height, lies within the scrolled page. */
static gboolean
row_in_view (GtkAdjustment *adjustment,
             guint          row,
             guint          n)
{
  double upper = gtk_adjustment_get_upper (adjustment);
  double top = upper * row / n, bottom = upper * (row + 1) / n;

  return upper > gtk_adjustment_get_page_size (adjustment)
         && top >= gtk_adjustment_get_value (adjustment)
         && bottom <= gtk_adjustment_get_value (adjustment)
                      + gtk_adjustment_get_page_size (adjustment);
}

/* Follow turned on goes to the newest row at once, not at the next event. */
static void
test_follow_goes_to_the_newest (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  GtkWidget *window = gtk_window_new ();
  ScopeEventList *list = g_object_new (SCOPE_TYPE_EVENT_LIST, NULL);
  guint socket_id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                               "client", NULL, NULL, 0);
  GtkToggleButton *follow;
  GtkAdjustment *adjustment;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  scope_event_list_set_recorder (list, recorder);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (list));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 400);
  gtk_window_present (GTK_WINDOW (window));
  follow = find_follow (GTK_WIDGET (list));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
    gtk_widget_get_template_child (GTK_WIDGET (list), SCOPE_TYPE_EVENT_LIST, "scroller")));
  g_assert_nonnull (follow);
  g_assert_nonnull (adjustment);

  gtk_toggle_button_set_active (follow, FALSE);
  append_sends (recorder, socket_id, 200);
  while (gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
  gtk_adjustment_set_value (adjustment, 0);
  gtk_toggle_button_set_active (follow, TRUE);
  while (!at_end (adjustment))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the list stayed at %g of %g", gtk_adjustment_get_value (adjustment),
                 gtk_adjustment_get_upper (adjustment));
      g_main_context_iteration (NULL, FALSE);
    }

  /* Hidden (the Timeline tab shown) while events came, then shown: at the
   * newest, as its pressed button says (the fifth trial found it at the
   * top, the button pressed). */
  gtk_widget_set_visible (GTK_WIDGET (list), FALSE);
  append_sends (recorder, socket_id, 200);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  gtk_adjustment_set_value (adjustment, 0);
  gtk_widget_set_visible (GTK_WIDGET (list), TRUE);
  while (!at_end (adjustment))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("shown again, the list stayed at %g of %g", gtk_adjustment_get_value (adjustment),
                 gtk_adjustment_get_upper (adjustment));
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (gtk_toggle_button_get_active (follow));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An event chosen on the timeline while the List tab was never shown:
 * shown, the list is at its row (the sixth trial found it at its top, the
 * row out of sight). */
static void
test_shown_at_the_selection (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  GtkWidget *window = gtk_window_new ();
  ScopeEventList *list = g_object_new (SCOPE_TYPE_EVENT_LIST, NULL);
  guint socket_id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                               "client", NULL, NULL, 0);
  GtkAdjustment *adjustment;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  scope_event_list_set_recorder (list, recorder);
  append_sends (recorder, socket_id, 400);
  gtk_widget_set_visible (GTK_WIDGET (list), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (list));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 400);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  scope_event_list_set_selected (list, 100);
  gtk_widget_set_visible (GTK_WIDGET (list), TRUE);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
    gtk_widget_get_template_child (GTK_WIDGET (list), SCOPE_TYPE_EVENT_LIST, "scroller")));
  while (!row_in_view (adjustment, 100, 400))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the selected row is not in view: %g of %g", gtk_adjustment_get_value (adjustment),
                 gtk_adjustment_get_upper (adjustment));
      g_main_context_iteration (NULL, FALSE);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gint64
jump_clock (gpointer data)
{
  return *(gint64 *) data;
}

/* An event's time reads as the inspector says it, in seconds to the
 * microsecond: the fourth trial found "21819.879" here beside "21.819879 s"
 * there. A queue's step says its connections, not bytes. */
static void
test_times_in_seconds (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (loopback, 50000);
  g_autoptr(ScopeEvent) event = NULL;
  g_autofree char *said = NULL;
  g_autofree char *cell = NULL;
  GtkWidget *window = gtk_window_new ();
  ScopeEventList *list = g_object_new (SCOPE_TYPE_EVENT_LIST, NULL);
  gint64 now = 1000000;
  guint socket_id;

  scope_recorder_set_clock (recorder, jump_clock, &now);
  socket_id = scope_recorder_add_socket (recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                         "client", local, NULL, 0);
  scope_event_list_set_recorder (list, recorder);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (list));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  now += 21819879;
  append_sends (recorder, socket_id, 1);

  event = g_list_model_get_item (G_LIST_MODEL (recorder), 0);
  g_assert_cmpint (scope_event_get_time_us (event), ==, 21819879);
  said = scope_describe_time (scope_event_get_time_us (event));
  g_assert_cmpstr (said, ==, "21.819879 s");
  cell = g_strndup (said, strlen (said) - strlen (" s"));
  while (find_label (window, cell, FALSE) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (find_label (window, "Time (s)", FALSE));

  /* A listener's queue step: its connections said as such, none under
   * Bytes ("6" read as six bytes, the eighteenth trial) */
  {
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 50001);
    guint listener = scope_recorder_add_socket (recorder, SCOPE_SOCKET_LISTENER,
                                                SCOPE_PROTOCOL_TCP, "tcp-echo", address, NULL, 0);

    scope_recorder_append_queue (recorder, listener, 6, 5);
    scope_recorder_flush (recorder);
    wait_for_label (window, "6 waiting · backlog 5");
    g_assert_null (find_label (window, "6", FALSE));

    /* An accept's and a close's no bytes said as none, a zero-byte read's
     * as 0 (S15's, hidden among the others' "0", the nineteenth trial) */
    scope_recorder_append (recorder, listener, SCOPE_EVENT_CLOSE, NULL, 0);
    scope_recorder_append (recorder, socket_id, SCOPE_EVENT_RECV, NULL, 0);
    scope_recorder_flush (recorder);
    wait_for_label (window, "0");
    g_assert_cmpuint (count_labels (window, "0"), ==, 1);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!widget_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/event-list/selection-after-new-session", test_selection_after_new_session);
  g_test_add_func ("/event-list/follow-goes-to-the-newest", test_follow_goes_to_the_newest);
  g_test_add_func ("/event-list/times-in-seconds", test_times_in_seconds);
  g_test_add_func ("/event-list/shown-at-the-selection", test_shown_at_the_selection);

  return g_test_run ();
}
