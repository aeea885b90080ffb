/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void      scope_text_label_no_hyphens     (GtkLabel    *label);
void      scope_text_view_no_hyphens      (GtkTextView *view);
gboolean  scope_text_label_has_no_hyphens (GtkLabel    *label);
gboolean  scope_text_view_has_no_hyphens  (GtkTextView *view);

G_END_DECLS
