/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_PORTS_PAGE (scope_ports_page_get_type ())

G_DECLARE_FINAL_TYPE (ScopePortsPage, scope_ports_page, SCOPE, PORTS_PAGE, AdwBin)

G_END_DECLS
