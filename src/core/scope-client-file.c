/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#ifdef G_OS_UNIX
# include <fcntl.h>
# include <sys/stat.h>
# include <unistd.h>
# include <gio/gunixinputstream.h>
#endif

#include "scope-address.h"
#include "scope-client-private.h"
#include "scope-errors.h"

/* Opening a file to send without ever blocking on it, and the words for
 * what keeps one from being read. */

/* The words for what keeps a file from being read; the errno names a
 * student may look up, which the socket table of scope-errors.c lacks. */
char *
_scope_client_describe_file_errno (int errnum)
{
  switch (errnum)
    {
#ifdef G_OS_UNIX
    case EACCES:
      return g_strdup_printf ("%s (EACCES)", _("Permission denied: you may not read it"));
    case EISDIR:
      return g_strdup_printf ("%s (EISDIR)", _("It is a folder, not a file"));
    case ENXIO:
      return g_strdup_printf ("%s (ENXIO)",
                              _("It is a socket, or a device with nothing behind it"));
    case ENOTDIR:
      return g_strdup_printf ("%s (ENOTDIR)", _("A part of the path is not a folder"));
    case ELOOP:
      return g_strdup_printf ("%s (ELOOP)", _("The path goes round in symbolic links"));
    case ENAMETOOLONG:
      return g_strdup_printf ("%s (ENAMETOOLONG)", _("The path is too long"));
    case EIO:
      return g_strdup_printf ("%s (EIO)",
                              _("Input/output error: the file or its device could not be read"));
#endif
    default:
      return scope_errno_describe (errnum);
    }
}

static void
set_file_error (GError     **error,
                const char  *path,
                int          errnum)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *shown = scope_input_for_message (display, 200);
  g_autofree char *words = _scope_client_describe_file_errno (errnum);

  /* Translators: a file name, then what went wrong, in words, then the
   * errno name */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errnum), _("Could not read “%s”: %s"),
               shown, words);
}

GInputStream *
scope_client_open_file (const char  *path,
                        guint64     *size,
                        gboolean    *regular,
                        GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (size != NULL && regular != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

#ifdef G_OS_UNIX
  {
    struct stat info;
    int fd;

    /* Non-blocking: opening a FIFO with no writer would wait for one, and
     * hold the main loop for as long. */
    fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
    if (fd < 0 || fstat (fd, &info) != 0 || S_ISDIR (info.st_mode))
      {
        int errnum = fd < 0 ? errno : S_ISDIR (info.st_mode) ? EISDIR : errno;

        if (fd >= 0)
          close (fd);
        set_file_error (error, path, errnum);
        return NULL;
      }
    *regular = S_ISREG (info.st_mode);
    *size = *regular ? (guint64) info.st_size : 0;
    return g_unix_input_stream_new (fd, TRUE);
  }
#else
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GFileInfo) info = NULL;

    info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                              G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                              error);
    if (info == NULL)
      return NULL;
    if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
      {
        set_file_error (error, path, EISDIR);
        return NULL;
      }
    *regular = g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR;
    *size = *regular ? (guint64) g_file_info_get_size (info) : 0;
    return G_INPUT_STREAM (g_file_read (file, NULL, error));
  }
#endif
}
