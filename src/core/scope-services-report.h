/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-report.h"
#include "scope-services.h"

G_BEGIN_DECLS

/* The entries of @catalogue that match @query (a port number or part of a
 * name or alias; "" for all), @protocol ("tcp"; NULL for any) and
 * @port_class (NULL for any), for the command line's "services":
 *  - members "source", "total" and "skipped", and a line that says where
 *    the database was read and how many entries it has;
 *  - section "services": a row each, names as scope_resolver_show_name()
 *    shows them; a line when none matches. */
ScopeReport *scope_services_report (ScopeServiceCatalogue *catalogue,
                                    const char            *query,
                                    const char            *protocol,
                                    const ScopePortClass  *port_class);

G_END_DECLS
