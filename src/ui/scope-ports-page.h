/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-services.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_PORTS_PAGE (scope_ports_page_get_type ())

G_DECLARE_FINAL_TYPE (ScopePortsPage, scope_ports_page, SCOPE, PORTS_PAGE, AdwBin)

ScopeServiceCatalogue *scope_ports_page_get_catalogue     (ScopePortsPage *self);
void                   scope_ports_page_set_catalogue     (ScopePortsPage        *self,
                                                           ScopeServiceCatalogue *catalogue);
void                   scope_ports_page_search            (ScopePortsPage *self,
                                                           const char     *query);
ScopeService          *scope_ports_page_get_shown_service (ScopePortsPage *self);
GtkSelectionModel     *scope_ports_page_get_selection     (ScopePortsPage *self);

G_END_DECLS
