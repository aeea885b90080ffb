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

/* Told now and then how many of the @total events are written, lastly of
 * all of them: the fraction done is @done / @total (all of it when
 * @total is 0). */
typedef void (*ScopeExportProgress) (guint64  done,
                                     guint64  total,
                                     gpointer user_data);

/* Writes every event appended so far. Call it on the thread the recorder
 * lives on: the recorder is not locked. It returns when all is written. */
gboolean    scope_export_write                (ScopeRecorder      *recorder,
                                               ScopeExportFormat   format,
                                               GOutputStream      *out,
                                               GCancellable       *cancellable,
                                               GError            **error);
gboolean    scope_export_write_full           (ScopeRecorder      *recorder,
                                               ScopeExportFormat   format,
                                               GOutputStream      *out,
                                               ScopeExportProgress progress,
                                               gpointer            progress_data,
                                               GCancellable       *cancellable,
                                               GError            **error);
/* The same bytes, written in slices on the main loop (a few milliseconds
 * or one buffer each), so that the app goes on painting; the recorder,
 * which must keep all it records, may record meanwhile, and what it
 * appends after the call is not written. */
void        scope_export_write_async          (ScopeRecorder      *recorder,
                                               ScopeExportFormat   format,
                                               GOutputStream      *out,
                                               ScopeExportProgress progress,
                                               gpointer            progress_data,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean    scope_export_write_finish         (ScopeRecorder      *recorder,
                                               GAsyncResult       *result,
                                               GError            **error);

/* A session file in the making: a temporary file beside the target, made
 * at once (so a folder that cannot be written is said before a session is
 * recorded), renamed over the target once complete and on disk. */
typedef struct _ScopeExportFile ScopeExportFile;

ScopeExportFile *scope_export_file_open       (const char         *path,
                                               ScopeExportFormat   format,
                                               GError            **error);
const char *scope_export_file_get_path        (ScopeExportFile    *file);
/* Writes, syncs and renames; frees @file whatever happens. */
gboolean    scope_export_file_commit          (ScopeExportFile    *file,
                                               ScopeRecorder      *recorder,
                                               ScopeExportProgress progress,
                                               gpointer            progress_data,
                                               GError            **error);
/* The same, written in slices on the main loop, synced and renamed in a
 * thread; cancelled, as abandoned. Frees @file whatever happens. */
void        scope_export_file_commit_async    (ScopeExportFile    *file,
                                               ScopeRecorder      *recorder,
                                               ScopeExportProgress progress,
                                               gpointer            progress_data,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean    scope_export_file_commit_finish   (ScopeRecorder      *recorder,
                                               GAsyncResult       *result,
                                               GError            **error);
/* Removes the temporary file, leaves the target as it was, frees @file. */
void        scope_export_file_abandon         (ScopeExportFile    *file);

/* Writes to a file through a temporary file beside it, renamed over it
 * once complete, so a failed export leaves no half file. */
gboolean    scope_export_to_file              (ScopeRecorder      *recorder,
                                               const char         *path,
                                               ScopeExportFormat   format,
                                               GError            **error);
/* One sentence for the user: "Nothing was truncated." or "N events (M bytes)
 * were past the payload cap of X MiB: counted, not kept." Translated. */
char       *scope_export_describe_truncation  (ScopeRecorder      *recorder);
/* Why and when recording stopped, and what was dropped since, for the
 * user (NULL when it records and dropped nothing), and for the files. */
char       *scope_export_describe_stop        (ScopeRecorder      *recorder);
/* The same in two parts: when and why (what does not change after), and
 * how many events were dropped since (what does). */
char       *scope_export_describe_stop_point  (ScopeRecorder      *recorder);
char       *scope_export_describe_dropped     (ScopeRecorder      *recorder);
char       *scope_export_describe_stop_english (ScopeRecorder     *recorder);

G_END_DECLS
