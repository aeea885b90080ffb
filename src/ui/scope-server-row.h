/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-server.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_SERVER_ROW (scope_server_row_get_type ())

G_DECLARE_FINAL_TYPE (ScopeServerRow, scope_server_row, SCOPE, SERVER_ROW, AdwExpanderRow)

ScopeServerRow *scope_server_row_new        (ScopeServerKind  kind,
                                             ScopeRecorder   *recorder);
ScopeServer    *scope_server_row_get_server (ScopeServerRow  *self);
gboolean        scope_server_row_start      (ScopeServerRow  *self,
                                             guint16          port,
                                             GError         **error);

G_END_DECLS
