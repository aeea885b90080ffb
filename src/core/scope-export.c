/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-export-private.h"

/* A session leaves the app in three shapes: pcapng for Wireshark, CSV for a
 * spreadsheet, JSON for a script. Each walks the recorder's packed records
 * once, in order, and writes through a buffer of its own, so a session of a
 * million events never becomes a million objects or one huge string.
 *
 * A format is a row of small pieces (scope-export-private.h); this file
 * drives them: at once, for the command line, or in slices on the main
 * loop, for the app. The slices read the recorder on the thread that
 * appends to it, between its appends, and never in a thread of their own:
 * the recorder is not locked, and while a session records, its tables of
 * chunks grow (and move) and its sockets are tied and closed. Copying a
 * session for a thread would cost what it saves: a million events are
 * 36 MB of records, and the payloads up to the cap (4 GiB at most) besides.
 * Only the buffer's writes, the sync and the rename, which do not touch the
 * recorder, go to a thread. */

/* A slice of formatting takes at most this long, or one buffer's worth:
 * a quarter of a frame at 60 Hz, so the frame after it is still on time. */
#define SLICE_BUDGET_US 4000

/* ---- file names --------------------------------------------------------- */

static const char * const extensions[] = {
  [SCOPE_EXPORT_PCAPNG] = ".pcapng",
  [SCOPE_EXPORT_CSV] = ".csv",
  [SCOPE_EXPORT_JSON] = ".json",
};

/**
 * scope_export_format_from_path:
 * @format: (out) (optional): the format the extension names
 *
 * Returns: whether the file name ends in .pcapng, .csv or .json, in any
 * case, after a name of at least one character
 */
gboolean
scope_export_format_from_path (const char        *path,
                               ScopeExportFormat *format)
{
  g_autofree char *name = NULL;
  gsize length;

  if (path == NULL || *path == '\0')
    return FALSE;

  name = g_path_get_basename (path);
  length = strlen (name);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      gsize ext_length = strlen (extensions[i]);

      if (length > ext_length
          && g_ascii_strcasecmp (name + length - ext_length, extensions[i]) == 0)
        {
          if (format != NULL)
            *format = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
scope_export_format_get_extension (ScopeExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (extensions), NULL);

  return extensions[format];
}

/* ---- the writer --------------------------------------------------------- */

static const ScopeExportFormatWriter * const format_writers[] = {
  [SCOPE_EXPORT_PCAPNG] = &scope_export_pcapng_writer,
  [SCOPE_EXPORT_CSV] = &scope_export_csv_writer,
  [SCOPE_EXPORT_JSON] = &scope_export_json_writer,
};

G_STATIC_ASSERT (G_N_ELEMENTS (format_writers) == G_N_ELEMENTS (extensions));

static ScopeExportWriter *
writer_new (ScopeRecorder     *recorder,
            ScopeExportFormat  format)
{
  ScopeExportWriter *writer = g_new0 (ScopeExportWriter, 1);

  writer->recorder = g_object_ref (recorder);
  writer->out = g_string_sized_new (SCOPE_EXPORT_FLUSH_SIZE + 4096);
  writer->first = scope_recorder_get_first_index (recorder);
  writer->n_events = MAX (scope_recorder_get_n_events (recorder), writer->first);
  writer->n_sockets = scope_recorder_get_n_sockets (recorder);
  writer->format = format_writers[format];
  writer->state = writer->format->begin (writer);
  return writer;
}

static void
writer_free (ScopeExportWriter *writer)
{
  writer->format->free (writer->state);
  g_string_free (writer->out, TRUE);
  g_object_unref (writer->recorder);
  g_free (writer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeExportWriter, writer_free)

/* Writes pieces into the buffer until it holds a write's worth, or
 * @deadline (monotonic µs; -1 for none) has passed, or all is written.
 * Returns whether all is written. */
static gboolean
writer_fill (ScopeExportWriter *writer,
             gint64             deadline)
{
  while (!writer->finished && writer->out->len < SCOPE_EXPORT_FLUSH_SIZE)
    {
      if (!writer->format->step (writer, writer->state))
        writer->finished = TRUE;
      else if (deadline >= 0 && g_get_monotonic_time () >= deadline)
        break;
    }
  return writer->finished;
}

/* ---- at once ------------------------------------------------------------ */

/**
 * scope_export_write_full:
 * @out: where to write; left open
 * @progress: (nullable): told of the events written now and then, lastly
 *   of all of them
 *
 * Writes every event appended so far, in @format. It returns when all is
 * written: the app uses scope_export_write_async().
 *
 * Returns: whether all was written; @error says why not
 */
gboolean
scope_export_write_full (ScopeRecorder        *recorder,
                         ScopeExportFormat     format,
                         GOutputStream        *out,
                         ScopeExportProgress   progress,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  g_autoptr(ScopeExportWriter) writer = NULL;
  gboolean finished;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (format < G_N_ELEMENTS (extensions), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  writer = writer_new (recorder, format);
  do
    {
      finished = writer_fill (writer, -1);
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !g_output_stream_write_all (out, writer->out->str, writer->out->len, NULL,
                                         cancellable, error))
        return FALSE;
      g_string_truncate (writer->out, 0);
      if (progress != NULL)
        progress (writer->done, writer->n_events - writer->first, progress_data);
    }
  while (!finished);

  return g_output_stream_flush (out, cancellable, error);
}

gboolean
scope_export_write (ScopeRecorder      *recorder,
                    ScopeExportFormat   format,
                    GOutputStream      *out,
                    GCancellable       *cancellable,
                    GError            **error)
{
  return scope_export_write_full (recorder, format, out, NULL, NULL, cancellable, error);
}

/* ---- in slices ---------------------------------------------------------- */

typedef struct
{
  ScopeExportWriter   *writer;
  GOutputStream       *out;
  ScopeExportProgress  progress;
  gpointer             progress_data;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *write = data;

  writer_free (write->writer);
  g_object_unref (write->out);
  g_free (write);
}

static gboolean write_slice (gpointer user_data);

/* Below the frame clock's priority (GDK_PRIORITY_REDRAW, G_PRIORITY_HIGH_IDLE
 * + 20) and input's: a frame due, or a click, goes before the next slice. */
static void
schedule_slice (GTask *task)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_static_name (source, "[sockscope] export slice");
  g_task_attach_source (task, source, write_slice);
}

static void
on_flushed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_flush_finish (G_OUTPUT_STREAM (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_slice_written (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteData *write = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_string_truncate (write->writer->out, 0);
  /* Cancelled, the caller hears nothing more of it but its end. */
  if (g_task_return_error_if_cancelled (task))
    return;
  if (write->progress != NULL)
    write->progress (write->writer->done, write->writer->n_events - write->writer->first,
                     write->progress_data);

  if (write->writer->finished)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      int priority = g_task_get_priority (task);

      g_output_stream_flush_async (write->out, priority, cancellable, on_flushed,
                                   g_steal_pointer (&task));
    }
  else
    schedule_slice (task);
}

static gboolean
write_slice (gpointer user_data)
{
  GTask *task = user_data;
  WriteData *write = g_task_get_task_data (task);
  GString *buffer = write->writer->out;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;
  if (!writer_fill (write->writer, g_get_monotonic_time () + SLICE_BUDGET_US)
      && buffer->len < SCOPE_EXPORT_FLUSH_SIZE)
    return G_SOURCE_CONTINUE;

  /* The buffer is not touched again until it is written. */
  g_output_stream_write_all_async (write->out, buffer->str, buffer->len,
                                   g_task_get_priority (task), g_task_get_cancellable (task),
                                   on_slice_written, g_object_ref (task));
  return G_SOURCE_REMOVE;
}

/**
 * scope_export_write_async:
 * @out: where to write; left open, and not to be used until the end
 * @progress: (nullable): told of the events written now and then, lastly
 *   of all of them; not after a cancel
 * @progress_data: kept until @callback is called
 *
 * Writes every event appended so far, in @format, as
 * scope_export_write_full() does, byte for byte, but in slices on the
 * thread-default main context, each a few milliseconds or one buffer long,
 * so that the frames of the app go on being painted and its input heard.
 * The recorder must keep all it records (%SCOPE_RECORDER_KEEP_ALL); it may
 * go on recording meanwhile: the events appended after this call are not
 * in the export. Cancelled, the export stops at the next
 * slice, with %G_IO_ERROR_CANCELLED.
 */
void
scope_export_write_async (ScopeRecorder        *recorder,
                          ScopeExportFormat     format,
                          GOutputStream        *out,
                          ScopeExportProgress   progress,
                          gpointer              progress_data,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *write;

  g_return_if_fail (SCOPE_IS_RECORDER (recorder));
  /* One that forgets what it has flushed could forget what the slices
   * have yet to read. */
  g_return_if_fail (scope_recorder_get_retention (recorder) == SCOPE_RECORDER_KEEP_ALL);
  g_return_if_fail (G_IS_OUTPUT_STREAM (out));
  g_return_if_fail (format < G_N_ELEMENTS (extensions));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (recorder, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_export_write_async);
  g_task_set_priority (task, G_PRIORITY_DEFAULT_IDLE);

  write = g_new0 (WriteData, 1);
  write->out = g_object_ref (out);
  write->progress = progress;
  write->progress_data = progress_data;
  g_task_set_task_data (task, write, write_data_free);
  /* What the export holds is settled now, not at the first slice. */
  write->writer = writer_new (recorder, format);

  schedule_slice (task);
}

gboolean
scope_export_write_finish (ScopeRecorder  *recorder,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, recorder), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == scope_export_write_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
