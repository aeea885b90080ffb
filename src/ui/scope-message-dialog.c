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

/**
 * scope_message_dialog_present:
 *
 * Presents @dialog, once its responses are added, with each response
 * button named for a screen reader by the words it shows.
 */
void
scope_message_dialog_present (AdwMessageDialog *dialog)
{
  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));

  name_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}
