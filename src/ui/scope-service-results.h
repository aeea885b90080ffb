/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "scope-service-search.h"
#include "scope-services.h"

G_BEGIN_DECLS

/* One row of the services table: the same object for the same position
 * for as long as the table shows it, whatever service it holds. */
#define SCOPE_TYPE_SERVICE_ROW (scope_service_row_get_type ())

G_DECLARE_FINAL_TYPE (ScopeServiceRow, scope_service_row, SCOPE, SERVICE_ROW, GObject)

ScopeService *scope_service_row_get_service (ScopeServiceRow *self);

/* The services a search shows, in the order of a sorted list of them, as
 * rows the table selects one of. */
#define SCOPE_TYPE_SERVICE_RESULTS (scope_service_results_get_type ())

G_DECLARE_FINAL_TYPE (ScopeServiceResults, scope_service_results, SCOPE, SERVICE_RESULTS,
                      GObject)

ScopeServiceResults *scope_service_results_new                  (GListModel          *sorted);
void                 scope_service_results_set_search           (ScopeServiceResults *self,
                                                                 ScopeServiceSearch  *search);
ScopeService        *scope_service_results_get_selected_service (ScopeServiceResults *self);

G_END_DECLS
