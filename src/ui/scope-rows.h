/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-report.h"

G_BEGIN_DECLS

/* The rows the Lookup and Ports pages show their answers in: a fact, a
 * value to copy, a report's rows, and the boxed lists that hold them. */

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
/* A report's page rows: a value to copy, or a fact. */
GtkWidget *scope_rows_report_new      (ScopeReportSection *section,
                                       guint               row);
void       scope_rows_append_section  (GtkListBox         *list,
                                       ScopeReportSection *section);
void       scope_rows_clear           (GtkListBox *list);

G_END_DECLS
