/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-error-box.h"
#include "scope-text.h"

/* An alert under the inputs that caused it: what went wrong, in words.
 * Hidden while there is nothing to say; a screen reader hears it when it
 * shows. */

struct _ScopeErrorBox
{
  GtkWidget parent_instance;

  GtkWidget *icon;
  GtkWidget *label;
};

G_DEFINE_FINAL_TYPE (ScopeErrorBox, scope_error_box, GTK_TYPE_WIDGET)

static void
scope_error_box_dispose (GObject *object)
{
  ScopeErrorBox *self = SCOPE_ERROR_BOX (object);

  g_clear_pointer (&self->icon, gtk_widget_unparent);
  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (scope_error_box_parent_class)->dispose (object);
}

static void
scope_error_box_class_init (ScopeErrorBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_error_box_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "box");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
scope_error_box_init (ScopeErrorBox *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  self->icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", "dialog-error-symbolic",
                             "valign", GTK_ALIGN_START,
                             "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_widget_add_css_class (self->icon, "error");
  gtk_widget_set_parent (self->icon, GTK_WIDGET (self));

  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (self->label), TRUE);
  /* "G_RESOLVER_ERROR_NOT_FOUND" as it is, at no hyphen. */
  scope_text_label_no_hyphens (GTK_LABEL (self->label));
  gtk_widget_set_hexpand (self->label, TRUE);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
}

/**
 * scope_error_box_show:
 * @message: (nullable): what went wrong; %NULL hides the box
 */
void
scope_error_box_show (ScopeErrorBox *self,
                      const char    *message)
{
  g_return_if_fail (SCOPE_IS_ERROR_BOX (self));

  gtk_label_set_text (GTK_LABEL (self->label), message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self), message != NULL);
}
