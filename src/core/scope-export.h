/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "scope-recorder.h"

G_BEGIN_DECLS

typedef enum
{
  SCOPE_EXPORT_PCAPNG,
  SCOPE_EXPORT_CSV,
  SCOPE_EXPORT_JSON,
} ScopeExportFormat;

/* From the file name's extension (.pcapng, .csv, .json, case-insensitive);
 * FALSE for anything else. */
gboolean    scope_export_format_from_path     (const char         *path,
                                               ScopeExportFormat  *format);
/* ".pcapng", ".csv", ".json": for a file chooser's filter or a default name. */
const char *scope_export_format_get_extension (ScopeExportFormat   format);

/* Writes every event appended so far. Call it on the thread the recorder
 * lives on: the recorder is not locked. */
gboolean    scope_export_write                (ScopeRecorder      *recorder,
                                               ScopeExportFormat   format,
                                               GOutputStream      *out,
                                               GCancellable       *cancellable,
                                               GError            **error);
/* Writes to a file atomically (g_file_replace), so a failed export leaves
 * no half file. */
gboolean    scope_export_to_file              (ScopeRecorder      *recorder,
                                               const char         *path,
                                               ScopeExportFormat   format,
                                               GError            **error);
/* One sentence for the user: "Nothing was truncated." or "N events (M bytes)
 * were past the payload cap of X MiB: counted, not kept." Translated. */
char       *scope_export_describe_truncation  (ScopeRecorder      *recorder);

G_END_DECLS
