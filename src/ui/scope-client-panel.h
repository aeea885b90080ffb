/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-recorder.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_CLIENT_PANEL (scope_client_panel_get_type ())

G_DECLARE_FINAL_TYPE (ScopeClientPanel, scope_client_panel, SCOPE, CLIENT_PANEL, AdwBin)

void scope_client_panel_set_recorder (ScopeClientPanel *self,
                                      ScopeRecorder    *recorder);
void scope_client_panel_set_target   (ScopeClientPanel *self,
                                      ScopeProtocol     protocol,
                                      const char       *host_or_path,
                                      guint16           port);

GtkWidget *scope_client_panel_get_composer (ScopeClientPanel *self);
GtkWidget *scope_client_panel_get_received_area (ScopeClientPanel *self);
guint16    scope_client_panel_get_port     (ScopeClientPanel *self);

void scope_client_panel_note_server_stopped (ScopeClientPanel *self,
                                             const char       *title,
                                             ScopeProtocol     protocol,
                                             guint16           port);

G_END_DECLS
