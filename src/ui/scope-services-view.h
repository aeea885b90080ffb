/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-services.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_SERVICES_VIEW (scope_services_view_get_type ())

G_DECLARE_FINAL_TYPE (ScopeServicesView, scope_services_view, SCOPE, SERVICES_VIEW, AdwBin)

void                   scope_services_view_load_catalogue (ScopeServicesView     *self);
ScopeServiceCatalogue *scope_services_view_get_catalogue  (ScopeServicesView     *self);
void                   scope_services_view_set_catalogue  (ScopeServicesView     *self,
                                                           ScopeServiceCatalogue *catalogue);
void                   scope_services_view_search         (ScopeServicesView     *self,
                                                           const char            *query);
ScopeService          *scope_services_view_get_shown_service (ScopeServicesView  *self);
GtkSelectionModel     *scope_services_view_get_selection  (ScopeServicesView     *self);

G_END_DECLS
