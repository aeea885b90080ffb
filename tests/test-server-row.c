/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "loopback-test.h"
#include "scope-server-row.h"
#include "scope-text.h"
#include "scope-window.h"
#include "widget-search.h"
#include "widget-test.h"

/* The server rows of the Sockets page, in a window of 1280×800 (a
 * lecture room's projector): each says what its server answers, whole. */

static gboolean
label_says (GtkWidget     *widget,
            gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (SCOPE_IS_SERVER_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static void
test_rows_say_their_usage (void)
{
  ScopeWindow *window = g_object_ref (g_object_new (SCOPE_TYPE_WINDOW, NULL));
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gint64 deadline;

  scope_window_set_page (window, "sockets");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  /* A few frames, for the rows' labels to be laid out at their width. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_test_message ("window %d×%d", gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, 1200);

  collect_rows (GTK_WIDGET (window), rows);
  g_assert_cmpuint (rows->len, ==, SCOPE_SERVER_N_KINDS);
  for (guint i = 0; i < rows->len; i++)
    {
      ScopeServerRow *row = g_ptr_array_index (rows, i);
      ScopeServerKind kind = scope_server_get_kind (scope_server_row_get_server (row));
      const char *usage = scope_server_kind_get_usage (kind);
      GtkWidget *label = widget_search (GTK_WIDGET (row), label_says, usage);

      g_test_message ("%s: %s", scope_server_kind_to_string (kind), usage);
      g_assert_nonnull (label);
      /* Said over the row without expanding it, beside its state: in its
       * tooltip and to a screen reader; the header stays one line of state,
       * so that the client's Send is in sight under the seven rows. */
      g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
      g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), ==, usage);
      g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Stopped");
      /* And shown whole as the first line of the options. */
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    }
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      ScopeServerRow *row = g_ptr_array_index (rows, i);
      ScopeServerKind kind = scope_server_get_kind (scope_server_row_get_server (row));
      const char *usage = scope_server_kind_get_usage (kind);
      GtkWidget *label = widget_search (GTK_WIDGET (row), label_says, usage);

      g_assert_true (gtk_widget_get_mapped (label));
      g_assert_true (scope_text_label_has_no_hyphens (GTK_LABEL (label)));
      /* Whole: wrapped where the sidebar is narrow, never cut short. */
      g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_NONE);
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
      g_assert_cmpint (gtk_widget_get_width (label), >, 0);
      g_assert_cmpint (gtk_widget_get_width (label), <=, gtk_widget_get_width (GTK_WIDGET (row)));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static GtkWidget *
row_child (ScopeServerRow *row,
           const char     *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (row), SCOPE_TYPE_SERVER_ROW, id);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static void
iterate_until_subtitle (ScopeServerRow *row,
                        const char     *words)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), words) == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the row says “%s”, not “%s”",
                 adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), words);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* Whether @id's row lies outside the row's fold: shown with the header,
 * whether the fold is open or not. */
static gboolean
out_of_the_fold (ScopeServerRow *row,
                 const char     *id)
{
  GtkWidget *revealer = gtk_widget_get_ancestor (row_child (row, id), GTK_TYPE_REVEALER);

  return gtk_widget_get_visible (gtk_widget_get_parent (row_child (row, id)))
         && (revealer == NULL || !gtk_widget_is_ancestor (revealer, GTK_WIDGET (row)));
}

/* S11 in one step: the switch starts the server, and what acts on it at
 * once (the read buffer, the pause switches) is shown under its header
 * without opening the fold, which would push the client's Connect and Send
 * away; stopped, they go back into the fold. While it runs only where it
 * listens is locked; a new port or backlog offers "Restart with These
 * Settings", which listens there at once. */
static void
test_restart_in_one_step (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  ScopeServerRow *row = g_object_ref_sink (scope_server_row_new (SCOPE_SERVER_TCP_ECHO,
                                                                 recorder));
  ScopeServer *server = scope_server_row_get_server (row);
  GtkWidget *restart = row_child (row, "restart_row");
  guint16 port = loopback_free_port ();
  g_autofree char *listening = g_strdup_printf ("Listening on 127.0.0.1:%u · 0 connections",
                                                port);

  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  g_assert_false (out_of_the_fold (row, "pause_reading_row"));
  gtk_switch_set_active (GTK_SWITCH (row_child (row, "run_switch")), TRUE);
  g_assert_true (scope_server_get_running (server));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  for (guint i = 0; i < 3; i++)
    {
      const char *live[] = { "buffer_row", "pause_accepting_row", "pause_reading_row" };

      g_assert_true (out_of_the_fold (row, live[i]));
    }
  g_assert_false (out_of_the_fold (row, "backlog_row"));
  g_assert_false (gtk_widget_get_visible (restart));
  g_assert_false (gtk_widget_get_sensitive (row_child (row, "bind_row")));
  for (guint i = 0; i < 4; i++)
    {
      const char *live[] = { "port_row", "backlog_row", "buffer_row", "pause_reading_row" };

      g_assert_true (gtk_widget_get_sensitive (row_child (row, live[i])));
    }

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (row_child (row, "port_spin")), port);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (row_child (row, "backlog_spin")), 7);
  g_assert_true (gtk_widget_get_visible (restart));
  g_assert_cmpuint (scope_server_get_bound_port (server), !=, port);

  g_signal_emit_by_name (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (restart)), "clicked");
  g_assert_true (scope_server_get_running (server));
  g_assert_cmpuint (scope_server_get_bound_port (server), ==, port);
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)),
                                   listening));
  g_assert_false (gtk_widget_get_visible (restart));
  {
    guint limit;

    if (scope_server_get_accept_queue (server, NULL, &limit))
      g_assert_cmpuint (limit, ==, 7);
  }

  /* The read buffer needs no restart: it applies at the next read. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (row_child (row, "buffer_spin")), 16);
  g_assert_false (gtk_widget_get_visible (restart));

  gtk_switch_set_active (GTK_SWITCH (row_child (row, "run_switch")), FALSE);
  g_assert_true (gtk_widget_get_sensitive (row_child (row, "bind_row")));
  g_assert_false (gtk_widget_get_visible (restart));
  g_assert_false (out_of_the_fold (row, "pause_reading_row"));
  /* The read buffer kept: the same row, back in the fold. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (row_child (row, "buffer_spin"))),
                     ==, 16);
  g_assert_finalize_object (row);
}

/* A restart whose new message does not parse: the server runs on as it
 * was, the row says why in words, and the restart stays offered. */
static void
test_restart_refused (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  ScopeServerRow *row = g_object_ref_sink (scope_server_row_new (SCOPE_SERVER_TCP_MESSAGE,
                                                                 recorder));
  ScopeServer *server = scope_server_row_get_server (row);
  GtkWidget *restart = row_child (row, "restart_row");
  guint16 port;

  gtk_switch_set_active (GTK_SWITCH (row_child (row, "run_switch")), TRUE);
  g_assert_true (scope_server_get_running (server));
  port = scope_server_get_bound_port (server);
  gtk_editable_set_text (GTK_EDITABLE (row_child (row, "message_row")), "bad\\q");
  g_assert_true (gtk_widget_get_visible (restart));

  g_signal_emit_by_name (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (restart)), "clicked");
  g_assert_true (scope_server_get_running (server));
  g_assert_cmpuint (scope_server_get_bound_port (server), ==, port);
  g_assert_true (gtk_widget_get_visible (restart));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)),
                            "Unknown escape"));

  /* Mended, the restart takes, and the words go. */
  gtk_editable_set_text (GTK_EDITABLE (row_child (row, "message_row")), "hello\\n");
  g_signal_emit_by_name (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (restart)), "clicked");
  g_assert_true (scope_server_get_running (server));
  g_assert_false (gtk_widget_get_visible (restart));
  g_assert_null (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)),
                         "Unknown escape"));

  gtk_switch_set_active (GTK_SWITCH (row_child (row, "run_switch")), FALSE);
  g_assert_finalize_object (row);
}

/* S17 in the row: accepting paused, backlog 5, eight clients: the row says
 * six wait (Linux holds backlog + 1), before any accept; or, where the
 * system does not tell, says that. */
static void
test_queue_subtitle (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  ScopeServerRow *row = g_object_ref_sink (scope_server_row_new (SCOPE_SERVER_TCP_ECHO,
                                                                 recorder));
  ScopeServer *server = scope_server_row_get_server (row);
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_switch_set_active (GTK_SWITCH (row_child (row, "pause_accepting_switch")), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (row_child (row, "backlog_spin")), 5);
  gtk_switch_set_active (GTK_SWITCH (row_child (row, "run_switch")), TRUE);
  g_assert_true (scope_server_get_running (server));
  if (!scope_server_get_accept_queue (server, NULL, NULL))
    {
      iterate_until_subtitle (row, " · this system does not say how many wait to be accepted");
      g_test_skip ("This system does not say how many connections wait to be accepted");
      g_assert_finalize_object (row);
      return;
    }
  iterate_until_subtitle (row, " · 0 connections · 0 waiting to be accepted, backlog 5");
  for (guint i = 0; i < 8; i++)
    g_ptr_array_add (peers, loopback_connect_pending (scope_server_get_bound_port (server)));
  iterate_until_subtitle (row, " · 0 connections · 6 waiting to be accepted, backlog 5");
  g_assert_cmpuint (scope_server_get_n_connections (server), ==, 0);

  gtk_switch_set_active (GTK_SWITCH (row_child (row, "run_switch")), FALSE);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Stopped");
  g_assert_finalize_object (row);
}

int
main (int   argc,
      char *argv[])
{
  if (!widget_test_init (&argc, &argv))
    return 0;


  g_test_add_func ("/server-row/usage", test_rows_say_their_usage);
  g_test_add_func ("/server-row/restart", test_restart_in_one_step);
  g_test_add_func ("/server-row/restart-refused", test_restart_refused);
  g_test_add_func ("/server-row/queue", test_queue_subtitle);

  return g_test_run ();
}
