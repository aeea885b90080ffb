/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-sockets-page.h"

struct _ScopeSocketsPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (ScopeSocketsPage, scope_sockets_page, ADW_TYPE_BIN)

static void
scope_sockets_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_SOCKETS_PAGE);

  G_OBJECT_CLASS (scope_sockets_page_parent_class)->dispose (object);
}

static void
scope_sockets_page_class_init (ScopeSocketsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_sockets_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-sockets-page.ui");
}

static void
scope_sockets_page_init (ScopeSocketsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
