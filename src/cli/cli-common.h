/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "scope-export.h"

G_BEGIN_DECLS

gboolean cli_parse_number (const char  *text,
                           const char  *what,
                           guint64      min,
                           guint64      max,
                           guint64     *out,
                           GError     **error);
int      cli_fail         (const char  *command,
                           const char  *message);

gboolean cli_parse_record_path (const char         *path,
                                ScopeExportFormat  *format,
                                GError            **error);
int      cli_write_record      (ScopeRecorder      *recorder,
                                const char         *command,
                                const char         *path,
                                ScopeExportFormat   format);

/* A table for a terminal: the headers, then each row (a GStrv of as many
 * cells, NULL for none) in aligned columns. */
void     cli_print_table       (const char * const *headers,
                                GPtrArray          *rows);
/* Pretty-printed JSON on standard output; 0, or 1 when it cannot be written. */
int      cli_print_json        (JsonNode           *node);

G_END_DECLS
