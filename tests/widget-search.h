/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding a widget in a tree, for the widget tests and the benchmarks. */
#pragma once

#include <gtk/gtk.h>

typedef gboolean (*WidgetMatch) (GtkWidget     *widget,
                                 gconstpointer  data);

/* The first of @widget and its descendants, depth first, that @match takes. */
static inline GtkWidget *
widget_search (GtkWidget     *widget,
               WidgetMatch    match,
               gconstpointer  data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = widget_search (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static inline gboolean
widget_is_of_type (GtkWidget     *widget,
                   gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, (GType) GPOINTER_TO_SIZE (type));
}

/* The first of @widget and its descendants that is a @type. */
static inline GtkWidget *
widget_find_of_type (GtkWidget *widget,
                     GType      type)
{
  return widget_search (widget, widget_is_of_type, GSIZE_TO_POINTER (type));
}
