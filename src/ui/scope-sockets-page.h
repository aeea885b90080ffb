/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_SOCKETS_PAGE (scope_sockets_page_get_type ())

G_DECLARE_FINAL_TYPE (ScopeSocketsPage, scope_sockets_page, SCOPE, SOCKETS_PAGE, AdwBin)

G_END_DECLS
