/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-lookup-page.h"

struct _ScopeLookupPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (ScopeLookupPage, scope_lookup_page, ADW_TYPE_BIN)

static void
scope_lookup_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_LOOKUP_PAGE);

  G_OBJECT_CLASS (scope_lookup_page_parent_class)->dispose (object);
}

static void
scope_lookup_page_class_init (ScopeLookupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_lookup_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-lookup-page.ui");
}

static void
scope_lookup_page_init (ScopeLookupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
