/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_ADDRESS_VIEW (scope_address_view_get_type ())

G_DECLARE_FINAL_TYPE (ScopeAddressView, scope_address_view, SCOPE, ADDRESS_VIEW, AdwBin)

G_END_DECLS
