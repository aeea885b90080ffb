/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Driving one view alone in a window, for the widget tests: the window, its
 * template children, and waiting as a user waits. */
#pragma once

#include <gtk/gtk.h>

#define WIDGET_WAIT_US (10 * G_USEC_PER_SEC)

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds, as a user waits for it. */
static inline void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WIDGET_WAIT_US;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("waited in vain for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static inline GtkWidget *
child (GtkWidget  *view,
       GType       type,
       const char *id)
{
  GObject *object = gtk_widget_get_template_child (view, type, id);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static inline GtkWidget *
window_with (GtkWidget *view)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
