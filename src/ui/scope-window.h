/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-application.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_WINDOW (scope_window_get_type ())

G_DECLARE_FINAL_TYPE (ScopeWindow, scope_window, SCOPE, WINDOW, AdwApplicationWindow)

ScopeWindow *scope_window_new           (ScopeApplication *application);
const char  *scope_window_get_page      (ScopeWindow      *self);
void         scope_window_set_page      (ScopeWindow      *self,
                                         const char       *page);
gboolean     scope_window_is_page_name  (const char       *page);
gboolean     scope_window_start_server  (ScopeWindow      *self,
                                         const char       *spec,
                                         GError          **error);
void         scope_window_close_unasked (ScopeWindow      *self);

G_END_DECLS
