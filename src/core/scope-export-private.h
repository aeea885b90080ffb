/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the export's files share: the writer that drives a format one
 * piece at a time (scope-export.c), the formats (scope-export-pcapng.c,
 * -csv.c, -json.c), and the words and numbers they all write
 * (scope-export-text.c, scope-export-describe.c). */
#pragma once

#include "scope-endpoint.h"
#include "scope-export.h"

G_BEGIN_DECLS

/* The buffer goes out once it holds this much: big enough that a write is
 * worth its call, small enough that one is quickly done. */
#define SCOPE_EXPORT_FLUSH_SIZE (256 * 1024)

typedef struct _ScopeExportWriter ScopeExportWriter;

/* One format, written as a row of pieces: a header, a socket, an event,
 * the end. A piece is small, so the writer may stop after any of them, for
 * the buffer to be written or for the main loop to paint a frame. */
typedef struct
{
  /* Takes what the format needs from the recorder as the export begins;
   * returns the format's state. */
  gpointer (*begin) (ScopeExportWriter *writer);
  /* Appends the next piece to writer->out; FALSE when none was left. */
  gboolean (*step)  (ScopeExportWriter *writer,
                     gpointer           state);
  void     (*free)  (gpointer           state);
} ScopeExportFormatWriter;

/* The export holds the session as it was when it began: the events and
 * the sockets there were then. The recorder goes on recording meanwhile;
 * it only appends, so what the export reads does not change under it. */
struct _ScopeExportWriter
{
  ScopeRecorder                 *recorder;
  GString                       *out;
  guint64                        first;      /* the session's first event (New Session) */
  guint64                        n_events;   /* the end: events first to n_events - 1 */
  guint                          n_sockets;
  guint64                        done;       /* events written, counted by the format */
  const ScopeExportFormatWriter *format;
  gpointer                       state;
  gboolean                       finished;
};

extern const ScopeExportFormatWriter scope_export_pcapng_writer;
extern const ScopeExportFormatWriter scope_export_csv_writer;
extern const ScopeExportFormatWriter scope_export_json_writer;

/* scope-export-text.c */
void        scope_export_append_hex          (GString         *out,
                                              const guint8    *data,
                                              gsize            size);
void        scope_export_append_uint64       (GString         *out,
                                              guint64          value);
char       *scope_export_dup_valid_utf8      (const char      *text);
const char *scope_export_valid_utf8          (const char      *text,
                                              char           **fixed);
gboolean    scope_export_payload_is_text     (const guint8    *data,
                                              gsize            size);
const char *scope_export_role_to_string      (ScopeSocketRole  role);
const char *scope_export_protocol_to_string  (ScopeProtocol    protocol);
const char *scope_export_error_code_to_string (guint32         code);
char       *scope_export_format_iso8601      (gint64           real_us);

/* scope-export-describe.c: for the files, in English. */
char       *scope_export_describe_truncation_english (ScopeRecorder *recorder);
/* Whether the files say how recording stopped: it did, or dropped some. */
gboolean    scope_export_has_stop            (ScopeRecorder   *recorder);

G_END_DECLS
