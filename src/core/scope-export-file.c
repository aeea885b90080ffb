/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#ifdef G_OS_UNIX
# include <unistd.h>
# include <gio/gunixoutputstream.h>
#endif

#include "scope-errors.h"
#include "scope-export.h"

/* A file being written: a temporary file beside the target, made when the
 * export is asked for, so that a folder that cannot be written to is said
 * at once, not when the session ends; renamed over the target once
 * complete and on disk, so that the target is never half a file. */
struct _ScopeExportFile
{
  char              *path;
  char              *temp_path;
  ScopeExportFormat  format;
  int                fd;
};

/* What went wrong with a session file, in words, then the errno name:
 * "Could not write “session.pcapng”: the folder “/mnt/cd” is on a
 * read-only file system (EROFS)". */
static void
set_file_error (GError     **error,
                int          errnum,
                const char  *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *folder_path = g_path_get_dirname (path);
  g_autofree char *folder = g_filename_display_name (folder_path);
  g_autofree char *whole = g_filename_display_name (path);
  g_autofree char *why = NULL;
  const char *errno_name = scope_errno_name (errnum);

  switch (errnum)
    {
    case EISDIR:
      /* Translators: %s is a folder's path */
      why = g_strdup_printf (_("“%s” is a folder: name a file in it, ending in .pcapng, .csv "
                               "or .json"), whole);
      break;
    case EEXIST:
      /* Translators: %s is a path */
      why = g_strdup_printf (_("“%s” is not a regular file (a device, a FIFO or a socket), and "
                               "only a regular file is replaced by a session"), whole);
      break;
    case ENOENT:
    case ENOTDIR:
      if (g_file_test (folder_path, G_FILE_TEST_IS_DIR))
        /* Translators: %s is a folder's path, e.g. /proc */
        why = g_strdup_printf (_("no file can be created in the folder “%s”"), folder);
      else if (g_file_test (folder_path, G_FILE_TEST_EXISTS))
        /* Translators: %s is a path */
        why = g_strdup_printf (_("“%s” is a file, not a folder"), folder);
      else
        /* Translators: %s is a folder's path */
        why = g_strdup_printf (_("the folder “%s” does not exist"), folder);
      break;
    case EACCES:
    case EPERM:
      /* Translators: %s is a folder's path */
      why = g_strdup_printf (_("you may not create files in the folder “%s”"), folder);
      break;
#ifdef EROFS
    case EROFS:
      /* Translators: %s is a folder's path */
      why = g_strdup_printf (_("the folder “%s” is on a read-only file system"), folder);
      break;
#endif
    case ENOSPC:
      /* Translators: %s is a folder's path */
      why = g_strdup_printf (_("there is no space left on the disk of “%s”"), folder);
      break;
#ifdef EFBIG
    case EFBIG:
      why = g_strdup (_("the file would be larger than this system allows"));
      break;
#endif
    default:
      why = g_strdup (g_strerror (errnum));
      break;
    }
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errnum),
               /* Translators: the first %s is a file name, the second what went
                * wrong, in words, the third the errno name (EROFS) */
               _("Could not write “%s”: %s (%s)"), name, why,
               errno_name != NULL ? errno_name : "errno");
}

/**
 * scope_export_file_open:
 *
 * Makes the temporary file the session will be written to beside @path,
 * and checks that @path can be replaced by it.
 *
 * Returns: (transfer full) (nullable): the file, or %NULL with @error in
 * words for the user
 */
ScopeExportFile *
scope_export_file_open (const char         *path,
                        ScopeExportFormat   format,
                        GError            **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  g_autofree char *resolved = NULL;
  ScopeExportFile *file;
  GStatBuf st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

#ifdef G_OS_UNIX
  /* A symbolic link is written through, not replaced: the rename goes to
   * the file it names. */
  if (g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode))
    {
      char *real = realpath (path, NULL);

      if (real != NULL)
        {
          resolved = g_strdup (real);
          free (real);
          path = resolved;
        }
    }
#endif
  if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      set_file_error (error, EISDIR, path);
      return NULL;
    }
  /* A device or a FIFO would be replaced by the rename, not written to:
   * as root, /dev/null itself. Only a regular file is replaced. */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      set_file_error (error, EEXIST, path);
      return NULL;
    }

  folder = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  template = g_strdup_printf ("%s%c.%s.XXXXXX", folder, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (template, O_RDWR, 0666);
  if (fd < 0)
    {
      set_file_error (error, errno, path);
      return NULL;
    }

  file = g_new0 (ScopeExportFile, 1);
  file->path = g_strdup (path);
  file->temp_path = g_steal_pointer (&template);
  file->format = format;
  file->fd = fd;
  return file;
}

static void
export_file_free (ScopeExportFile *file)
{
  g_free (file->path);
  g_free (file->temp_path);
  g_free (file);
}

/**
 * scope_export_file_abandon:
 *
 * Removes the temporary file and frees @file; the target is left as it
 * was.
 */
void
scope_export_file_abandon (ScopeExportFile *file)
{
  if (file == NULL)
    return;
  if (file->fd >= 0)
    g_close (file->fd, NULL);
  g_unlink (file->temp_path);
  export_file_free (file);
}

const char *
scope_export_file_get_path (ScopeExportFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);

  return file->path;
}

/* The stream the session is written to: the temporary file's. */
static GOutputStream *
export_file_stream (ScopeExportFile  *file,
                    GError          **error)
{
#ifdef G_OS_UNIX
  return g_unix_output_stream_new (file->fd, FALSE);
#else
  g_autoptr(GFile) temp = g_file_new_for_path (file->temp_path);

  g_close (file->fd, NULL);
  file->fd = -1;
  return G_OUTPUT_STREAM (g_file_replace (temp, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error));
#endif
}

/* A write that failed: said for the user, the temporary file removed, the
 * target left as it was, @file freed. */
static gboolean
export_file_fail (ScopeExportFile  *file,
                  const GError     *why,
                  GError          **error)
{
  g_autofree char *name = g_filename_display_basename (file->path);

  /* Translators: the first %s is a file name, the second what went wrong */
  g_set_error (error, why->domain, why->code, _("Could not write “%s”: %s"), name,
               why->message);
  scope_export_file_abandon (file);
  return FALSE;
}

/* The session is written to @stream: makes sure it is on disk, then
 * renames it over the target, unless @cancellable says no first. Frees
 * @file, whatever happens. May run in a thread: it does not touch the
 * recorder. */
static gboolean
export_file_settle (ScopeExportFile  *file,
                    GOutputStream    *stream,
                    GCancellable     *cancellable,
                    GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_output_stream_close (stream, NULL, &local_error))
    return export_file_fail (file, local_error, error);
#ifdef G_OS_UNIX
  if (fsync (file->fd) != 0)
    {
      set_file_error (error, errno, file->path);
      scope_export_file_abandon (file);
      return FALSE;
    }
#endif
  if (file->fd >= 0)
    {
      gboolean closed = g_close (file->fd, &local_error);

      file->fd = -1;
      if (!closed)
        return export_file_fail (file, local_error, error);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    return export_file_fail (file, local_error, error);
  if (g_rename (file->temp_path, file->path) != 0)
    {
      set_file_error (error, errno, file->path);
      scope_export_file_abandon (file);
      return FALSE;
    }
  export_file_free (file);
  return TRUE;
}

/**
 * scope_export_file_commit:
 * @progress: (nullable): told of the events written now and then
 *
 * Writes the session to the temporary file, makes sure it is on disk, and
 * renames it over the target. Frees @file, whatever happens; on failure
 * the temporary file is removed and the target left as it was.
 *
 * Returns: whether the target now holds the session; @error says why not,
 * in words for the user
 */
gboolean
scope_export_file_commit (ScopeExportFile      *file,
                          ScopeRecorder        *recorder,
                          ScopeExportProgress   progress,
                          gpointer              progress_data,
                          GError              **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), FALSE);

  stream = export_file_stream (file, &local_error);
  if (stream == NULL
      || !scope_export_write_full (recorder, file->format, stream, progress, progress_data,
                                   NULL, &local_error))
    return export_file_fail (file, local_error, error);
  return export_file_settle (file, stream, NULL, error);
}

typedef struct
{
  ScopeExportFile *file;    /* until it is settled or abandoned */
  GOutputStream   *stream;
} CommitData;

static void
commit_data_free (gpointer data)
{
  CommitData *commit = data;

  if (commit->file != NULL)
    scope_export_file_abandon (commit->file);
  g_clear_object (&commit->stream);
  g_free (commit);
}

static void
settle_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CommitData *commit = task_data;
  GError *error = NULL;

  if (export_file_settle (g_steal_pointer (&commit->file), commit->stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_commit_written (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CommitData *commit = g_task_get_task_data (task);
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;

  if (!scope_export_write_finish (SCOPE_RECORDER (object), result, &local_error))
    {
      export_file_fail (g_steal_pointer (&commit->file), local_error, &error);
      g_task_return_error (task, error);
      return;
    }
  /* The sync of a large file may take seconds: not on the main loop. */
  g_task_run_in_thread (task, settle_in_thread);
}

/**
 * scope_export_file_commit_async:
 * @progress: (nullable): told of the events written now and then, on the
 *   thread-default main context; not after a cancel
 * @progress_data: kept until @callback is called
 *
 * What scope_export_file_commit() does, with the same writer, but in
 * slices on the main loop (scope_export_write_async()), and the sync and
 * the rename in a thread. Frees @file, whatever happens. Cancelled, the
 * temporary file is removed and the target left as it was, unless the
 * rename came first: then the result says the file was written.
 */
void
scope_export_file_commit_async (ScopeExportFile      *file,
                                ScopeRecorder        *recorder,
                                ScopeExportProgress   progress,
                                gpointer              progress_data,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;
  CommitData *commit;

  g_return_if_fail (file != NULL);
  g_return_if_fail (SCOPE_IS_RECORDER (recorder));
  g_return_if_fail (scope_recorder_get_retention (recorder) == SCOPE_RECORDER_KEEP_ALL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (recorder, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_export_file_commit_async);
  /* Once renamed, the file is written, whatever a late cancel says. */
  g_task_set_check_cancellable (task, FALSE);
  commit = g_new0 (CommitData, 1);
  g_task_set_task_data (task, commit, commit_data_free);

  commit->stream = export_file_stream (file, &local_error);
  if (commit->stream == NULL)
    {
      export_file_fail (file, local_error, &error);
      g_task_return_error (task, error);
      return;
    }
  commit->file = file;
  scope_export_write_async (recorder, file->format, commit->stream, progress, progress_data,
                            cancellable, on_commit_written, g_steal_pointer (&task));
}

/**
 * scope_export_file_commit_finish:
 *
 * Returns: whether the target now holds the session; @error says why not,
 * in words for the user, or %G_IO_ERROR_CANCELLED
 */
gboolean
scope_export_file_commit_finish (ScopeRecorder  *recorder,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, recorder), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == scope_export_file_commit_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * scope_export_to_file:
 *
 * Writes the session to @path through a temporary file beside it that
 * replaces it only once complete; when anything fails, an existing file is
 * left as it was.
 *
 * Returns: whether the file was written; @error says why not, in words for
 * the user
 */
gboolean
scope_export_to_file (ScopeRecorder      *recorder,
                      const char         *path,
                      ScopeExportFormat   format,
                      GError            **error)
{
  ScopeExportFile *file;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = scope_export_file_open (path, format, error);
  return file != NULL && scope_export_file_commit (file, recorder, NULL, NULL, error);
}
