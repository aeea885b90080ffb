/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

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

int
main (int   argc,
      char *argv[])
{
  if (!widget_test_init (&argc, &argv))
    return 0;


  g_test_add_func ("/server-row/usage", test_rows_say_their_usage);

  return g_test_run ();
}
