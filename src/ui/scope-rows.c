/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-rows.h"

static void
copy_clicked (GtkButton *button)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_TOAST_OVERLAY);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          g_object_get_data (G_OBJECT (button), "copy-text"));
  /* The toast goes where the button is: each page has its overlay. */
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (_("Copied")));
}

/**
 * scope_rows_copy_button_new:
 * @text: what a click puts on the clipboard
 * @what: what that is, in words, for the accessible name "Copy @what"
 */
GtkWidget *
scope_rows_copy_button_new (const char *text,
                            const char *what)
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
  g_signal_connect (button, "clicked", G_CALLBACK (copy_clicked), NULL);
  return button;
}

/**
 * scope_rows_fact_new:
 *
 * A row of facts: a title, as plain text over as many lines as it takes,
 * and, below it, what it means.
 */
GtkWidget *
scope_rows_fact_new (const char *title,
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

/**
 * scope_rows_copyable_new:
 *
 * A row of an answer, with a button that copies @copy_text, named for
 * @copy_what.
 */
GtkWidget *
scope_rows_copyable_new (const char *title,
                         const char *subtitle,
                         const char *copy_text,
                         const char *copy_what)
{
  GtkWidget *row = scope_rows_fact_new (title, subtitle);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             scope_rows_copy_button_new (copy_text, copy_what));
  gtk_widget_add_css_class (row, "scope-result-row");
  return row;
}

/**
 * scope_rows_value_new:
 *
 * A value to read and copy: an address, bytes, a name or a line of code,
 * over @what it is.
 */
GtkWidget *
scope_rows_value_new (const char *value,
                      const char *what)
{
  return scope_rows_copyable_new (value, what, value, what);
}

/* A list shows once it has a row: empty, a boxed list is a stray line. */
void
scope_rows_append (GtkListBox *list,
                   GtkWidget  *row)
{
  gtk_list_box_append (list, row);
  gtk_widget_set_visible (GTK_WIDGET (list), TRUE);
}

/**
 * scope_rows_report_new:
 *
 * The page's row of @row in @section: a value with a copy button named
 * for what the row says it is, or a fact when it has nothing to copy.
 */
GtkWidget *
scope_rows_report_new (ScopeReportSection *section,
                       guint               row)
{
  const char *title = scope_report_section_get_row_title (section, row);
  const char *detail = scope_report_section_get_row_detail (section, row);
  const char *copy = scope_report_section_get_row_copy (section, row);

  if (copy == NULL)
    return scope_rows_fact_new (title, detail);
  return scope_rows_copyable_new (title, detail, copy, detail != NULL ? detail : title);
}

/**
 * scope_rows_append_section:
 *
 * Appends the rows of @section to @list, or, where it could not be known,
 * why, or what it says when it has no rows.
 */
void
scope_rows_append_section (GtkListBox         *list,
                           ScopeReportSection *section)
{
  const char *instead = scope_report_section_get_error (section);
  guint n = scope_report_section_get_n_rows (section);

  if (instead == NULL && n == 0)
    instead = scope_report_section_get_empty_text (section);
  if (instead != NULL)
    scope_rows_append (list, scope_rows_fact_new (instead, NULL));
  for (guint r = 0; instead == NULL && r < n; r++)
    scope_rows_append (list, scope_rows_report_new (section, r));
}

void
scope_rows_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}
