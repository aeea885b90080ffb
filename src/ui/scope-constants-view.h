/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_CONSTANTS_VIEW (scope_constants_view_get_type ())

G_DECLARE_FINAL_TYPE (ScopeConstantsView, scope_constants_view, SCOPE, CONSTANTS_VIEW, AdwBin)

G_END_DECLS
