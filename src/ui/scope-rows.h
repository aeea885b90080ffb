/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The rows the Lookup and Ports pages show their answers in: a fact, a
 * value to copy, and the boxed lists that hold them. */

GtkWidget *scope_rows_copy_button_new (const char *text,
                                       const char *what);
GtkWidget *scope_rows_fact_new        (const char *title,
                                       const char *subtitle);
GtkWidget *scope_rows_copyable_new    (const char *title,
                                       const char *subtitle,
                                       const char *copy_text,
                                       const char *copy_what);
GtkWidget *scope_rows_value_new       (const char *value,
                                       const char *what);
void       scope_rows_append          (GtkListBox *list,
                                       GtkWidget  *row);
void       scope_rows_clear           (GtkListBox *list);

G_END_DECLS
