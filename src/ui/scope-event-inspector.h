/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-recorder.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_EVENT_INSPECTOR (scope_event_inspector_get_type ())

G_DECLARE_FINAL_TYPE (ScopeEventInspector, scope_event_inspector, SCOPE, EVENT_INSPECTOR, AdwBin)

void scope_event_inspector_show (ScopeEventInspector *self,
                                 ScopeRecorder       *recorder,
                                 gint64               index,
                                 const char          *description);

G_END_DECLS
