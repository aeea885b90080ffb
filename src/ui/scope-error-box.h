/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_ERROR_BOX (scope_error_box_get_type ())

G_DECLARE_FINAL_TYPE (ScopeErrorBox, scope_error_box, SCOPE, ERROR_BOX, GtkWidget)

void scope_error_box_show (ScopeErrorBox *self,
                           const char    *message);

G_END_DECLS
