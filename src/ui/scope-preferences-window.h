/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_PREFERENCES_WINDOW (scope_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (ScopePreferencesWindow, scope_preferences_window,
                      SCOPE, PREFERENCES_WINDOW, AdwPreferencesWindow)

ScopePreferencesWindow *scope_preferences_window_new (GSettings *settings);

G_END_DECLS
