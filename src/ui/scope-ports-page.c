/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-address-view.h"
#include "scope-constants-view.h"
#include "scope-port-status-view.h"
#include "scope-ports-page.h"
#include "scope-services-view.h"

/* The Ports page: four views side by side where they fit, a list to pick
 * one from where they do not. Each view is a tool of its own: the services
 * database (scope-services-view.c), a port's status and a connect check
 * (scope-port-status-view.c), the socket constants (scope-constants-view.c),
 * an address and a number byte by byte (scope-address-view.c). */

struct _ScopePortsPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkStack          *section_stack;
  GtkDropDown       *section_dropdown;
  ScopeServicesView *services_view;
};

G_DEFINE_FINAL_TYPE (ScopePortsPage, scope_ports_page, ADW_TYPE_BIN)

/* The narrow window's list of the parts follows the stack, and leads it. */
static void
on_section_dropdown_changed (ScopePortsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->section_dropdown);
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->section_stack);

  if (selected != GTK_INVALID_LIST_POSITION
      && !gtk_selection_model_is_selected (pages, selected))
    gtk_selection_model_select_item (pages, selected, TRUE);
}

static void
on_section_changed (ScopePortsPage *self)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->section_stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n; i++)
    if (gtk_selection_model_is_selected (pages, i)
        && gtk_drop_down_get_selected (self->section_dropdown) != i)
      gtk_drop_down_set_selected (self->section_dropdown, i);
}

static void
scope_ports_page_dispose (GObject *object)
{
  /* The bin's child is a template child: see scope-lookup-page.c. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_PORTS_PAGE);

  G_OBJECT_CLASS (scope_ports_page_parent_class)->dispose (object);
}

static void
scope_ports_page_class_init (ScopePortsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_ports_page_dispose;

  g_type_ensure (SCOPE_TYPE_SERVICES_VIEW);
  g_type_ensure (SCOPE_TYPE_PORT_STATUS_VIEW);
  g_type_ensure (SCOPE_TYPE_CONSTANTS_VIEW);
  g_type_ensure (SCOPE_TYPE_ADDRESS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-ports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, section_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, section_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopePortsPage, services_view);
  gtk_widget_class_bind_template_callback (widget_class, on_section_dropdown_changed);
}

static void
scope_ports_page_init (ScopePortsPage *self)
{
  g_autoptr(GtkSelectionModel) pages = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  pages = gtk_stack_get_pages (self->section_stack);
  gtk_drop_down_set_expression (self->section_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STACK_PAGE, NULL,
                                                             "title"));
  gtk_drop_down_set_model (self->section_dropdown, G_LIST_MODEL (pages));
  g_signal_connect_object (self->section_stack, "notify::visible-child",
                           G_CALLBACK (on_section_changed), self, G_CONNECT_SWAPPED);
}

/**
 * scope_ports_page_get_catalogue:
 *
 * Returns: (nullable) (transfer none): the services database, once read:
 *   the page reads it when its services are first shown, or searched
 */
ScopeServiceCatalogue *
scope_ports_page_get_catalogue (ScopePortsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_PORTS_PAGE (self), NULL);

  return scope_services_view_get_catalogue (self->services_view);
}

/**
 * scope_ports_page_set_catalogue:
 *
 * Shows @catalogue in place of the system's database: for tests and
 * benchmarks of other databases, such as the built-in one.
 */
void
scope_ports_page_set_catalogue (ScopePortsPage        *self,
                                ScopeServiceCatalogue *catalogue)
{
  g_return_if_fail (SCOPE_IS_PORTS_PAGE (self));

  scope_services_view_set_catalogue (self->services_view, catalogue);
}

/**
 * scope_ports_page_search:
 *
 * Shows the services part filtered by @query, as typing it would.
 */
void
scope_ports_page_search (ScopePortsPage *self,
                         const char     *query)
{
  g_return_if_fail (SCOPE_IS_PORTS_PAGE (self));

  gtk_stack_set_visible_child_name (self->section_stack, "services");
  scope_services_view_search (self->services_view, query);
}

/**
 * scope_ports_page_get_shown_service:
 *
 * Returns: (nullable) (transfer none): the service in the detail pane
 */
ScopeService *
scope_ports_page_get_shown_service (ScopePortsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_PORTS_PAGE (self), NULL);

  return scope_services_view_get_shown_service (self->services_view);
}

GtkSelectionModel *
scope_ports_page_get_selection (ScopePortsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_PORTS_PAGE (self), NULL);

  return scope_services_view_get_selection (self->services_view);
}
