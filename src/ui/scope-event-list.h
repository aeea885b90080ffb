/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-recorder.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_EVENT_LIST (scope_event_list_get_type ())

G_DECLARE_FINAL_TYPE (ScopeEventList, scope_event_list, SCOPE, EVENT_LIST, AdwBin)

void   scope_event_list_set_recorder (ScopeEventList *self,
                                      ScopeRecorder  *recorder);
gint64 scope_event_list_get_selected (ScopeEventList *self);
void   scope_event_list_set_selected (ScopeEventList *self,
                                      gint64          index);

G_END_DECLS
