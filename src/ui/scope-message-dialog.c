/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-message-dialog.h"

/* In libadwaita 1.2 a message dialog's response button is labelled by its
 * label, whose name GTK 4.8 gives with the mnemonic and then again
 * without: a screen reader says "_Start New Session Start New Session".
 * Each is named here by its words alone, as its label shows them. */
static void
name_buttons (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget))
      && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (widget));

      if (GTK_IS_LABEL (label))
        {
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY);
          gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          gtk_label_get_text (GTK_LABEL (label)), -1);
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_buttons (child);
}

/* A question's width in projector mode */
#define PROJECTOR_WIDTH 800

/* Whether @window is in projector mode: its "projector" action's state. */
static gboolean
in_projector_mode (GtkWindow *window)
{
  g_autoptr(GVariant) state = NULL;

  if (!G_IS_ACTION_GROUP (window)
      || !g_action_group_has_action (G_ACTION_GROUP (window), "projector"))
    return FALSE;
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "projector");
  return state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN)
         && g_variant_get_boolean (state);
}

/* The focus on the default response, the safe answer Enter gives. A
 * window focuses its first button; libadwaita 1.2 has each answer twice,
 * side by side and stacked with the last first, and shows the stack when
 * they no longer fit. The focus then went to the stack's first: in
 * projector mode's type, Start New Session, and Enter emptied the timeline
 * (the ninth trial). So the focus follows the default answer into
 * whichever set is shown: once laid out, before any key is read. */
static gboolean
focus_default_response (gpointer data)
{
  GtkWindow *dialog = data;
  GtkWidget *button = gtk_window_get_default_widget (dialog);

  if (button != NULL && gtk_widget_get_child_visible (gtk_widget_get_parent (button)))
    gtk_window_set_focus (dialog, button);
  return G_SOURCE_REMOVE;
}

static void
on_default_widget (GtkWindow *dialog)
{
  g_idle_add_full (G_PRIORITY_HIGH, focus_default_response, g_object_ref (dialog),
                   g_object_unref);
}

/**
 * scope_message_dialog_present:
 *
 * Presents @dialog, once its responses are added, with each response
 * button named for a screen reader by the words it shows; in the type of
 * projector mode when its window is in it: at the desk's size, a question
 * over the projected page was the smallest text on the screen (the seventh
 * trial). The focus starts on its default response, the one Enter gives.
 */
void
scope_message_dialog_present (AdwMessageDialog *dialog)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));

  name_buttons (GTK_WIDGET (dialog));
  if (in_projector_mode (parent))
    {
      gtk_widget_add_css_class (GTK_WIDGET (dialog), "projector");
      /* Wide enough for its type: at libadwaita's width the body ran to
       * eight lines of a few words and the answers stacked (the ninth
       * trial); never wider than its window leaves. */
      int room = gtk_widget_get_width (GTK_WIDGET (parent)) - 48;

      gtk_widget_set_size_request (GTK_WIDGET (dialog),
                                   room >= 360 ? MIN (PROJECTOR_WIDTH, room) : -1, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (dialog), "projector");
      gtk_widget_set_size_request (GTK_WIDGET (dialog), -1, -1);
    }
  focus_default_response (dialog);
  g_signal_handlers_disconnect_by_func (dialog, on_default_widget, NULL);
  g_signal_connect (dialog, "notify::default-widget", G_CALLBACK (on_default_widget), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}
