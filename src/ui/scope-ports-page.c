/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-ports-page.h"

struct _ScopePortsPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (ScopePortsPage, scope_ports_page, ADW_TYPE_BIN)

static void
scope_ports_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_PORTS_PAGE);

  G_OBJECT_CLASS (scope_ports_page_parent_class)->dispose (object);
}

static void
scope_ports_page_class_init (ScopePortsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_ports_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-ports-page.ui");
}

static void
scope_ports_page_init (ScopePortsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
