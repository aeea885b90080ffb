/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_PORT_STATUS_VIEW (scope_port_status_view_get_type ())

G_DECLARE_FINAL_TYPE (ScopePortStatusView, scope_port_status_view, SCOPE, PORT_STATUS_VIEW,
                      AdwBin)

G_END_DECLS
