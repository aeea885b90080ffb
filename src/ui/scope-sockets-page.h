/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-recorder.h"
#include "scope-timeline.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_SOCKETS_PAGE (scope_sockets_page_get_type ())

G_DECLARE_FINAL_TYPE (ScopeSocketsPage, scope_sockets_page, SCOPE, SOCKETS_PAGE, AdwBin)

ScopeRecorder *scope_sockets_page_get_recorder   (ScopeSocketsPage  *self);
gboolean       scope_sockets_page_start_server   (ScopeSocketsPage  *self,
                                                  const char        *spec,
                                                  GError           **error);
ScopeTimeline *scope_sockets_page_get_timeline   (ScopeSocketsPage  *self);
void           scope_sockets_page_set_projector  (ScopeSocketsPage  *self,
                                                  gboolean           projector,
                                                  GMenuModel        *menu);
gboolean       scope_sockets_page_export         (ScopeSocketsPage  *self,
                                                  const char        *path,
                                                  GError           **error);
void           scope_sockets_page_new_session    (ScopeSocketsPage  *self);
gboolean       scope_sockets_page_has_unexported (ScopeSocketsPage  *self);
void           scope_sockets_page_offer_export   (ScopeSocketsPage  *self);

G_END_DECLS
