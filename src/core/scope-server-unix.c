/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#ifdef G_OS_UNIX
# include <gio/gunixsocketaddress.h>
#endif

#include "scope-errors.h"
#include "scope-server-private.h"

/* A Unix server's socket file: a stale one replaced, what else occupies
 * the path said in words, and on stop only the very file it made removed
 * (told by its device and inode). */

#ifdef G_OS_UNIX
/* Whether @path is still the very file that @st was. */
gboolean
_scope_server_same_file (const char     *path,
                         const GStatBuf *st)
{
  GStatBuf now;

  return g_lstat (path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino
         && (now.st_mode & S_IFMT) == (st->st_mode & S_IFMT);
}

/* A socket file left by a server that did not stop cleanly: nobody answers
 * on it, so it may be replaced. Anything else at the path is kept. The
 * connect is non-blocking: a live server whose backlog is full must not
 * stop our main loop, and it makes the path busy, not stale. */
gboolean
_scope_server_unix_path_is_stale (const char *path,
                                  GStatBuf   *st)
{
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  if (g_lstat (path, st) != 0 || !S_ISSOCK (st->st_mode))
    return FALSE;
  probe = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                        NULL);
  if (probe == NULL)
    return FALSE;
  g_socket_set_blocking (probe, FALSE);
  address = g_unix_socket_address_new (path);
  if (g_socket_connect (probe, address, NULL, &error))
    return FALSE;
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* What occupies @path, which bind() found taken (@errnum), in words; NULL
 * when nothing is there now. */
char *
_scope_server_describe_unix_occupant (const char *path,
                                      int         errnum)
{
  const char *name = scope_errno_name (errnum) != NULL ? scope_errno_name (errnum) : "EADDRINUSE";
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return NULL;
  if (S_ISREG (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("A regular file is at this path; a socket needs a path of its "
                              "own, and the file is left as it is (%s)"), name);
  if (S_ISDIR (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("A folder is at this path; a socket needs a path of its own, and "
                              "the folder is left as it is (%s)"), name);
  if (S_ISLNK (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("A symbolic link is at this path; a socket needs a path of its "
                              "own, and the link is left as it is (%s)"), name);
  if (S_ISFIFO (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("A FIFO (named pipe) is at this path; a socket needs a path of "
                              "its own, and the FIFO is left as it is (%s)"), name);
  if (S_ISSOCK (st.st_mode))
    /* Translators: %s is an errno name such as EADDRINUSE */
    return g_strdup_printf (_("Another program listens on this path (%s)"), name);
  /* Translators: %s is an errno name such as EADDRINUSE */
  return g_strdup_printf (_("A device file is at this path; a socket needs a path of its own, "
                            "and the file is left as it is (%s)"), name);
}
#endif

/* The file this bind made, to be told from one made at the same path
 * later, by another server, once ours was removed. */
void
_scope_server_unix_remember_file (ScopeServer *self)
{
#ifdef G_OS_UNIX
  GStatBuf st;

  g_clear_pointer (&self->bound_path, g_free);
  if (g_lstat (self->unix_path, &st) == 0 && S_ISSOCK (st.st_mode))
    {
      self->bound_path = g_strdup (self->unix_path);
      self->bound_device = st.st_dev;
      self->bound_inode = st.st_ino;
    }
#endif
}

/* The socket file this server made, and only while the path is still
 * that file: another server may have bound the same path since ours was
 * removed by someone else, and its socket is not ours to remove. */
void
_scope_server_unix_forget_file (ScopeServer *self)
{
  if (self->bound_path != NULL)
    {
#ifdef G_OS_UNIX
      GStatBuf st;

      if (g_lstat (self->bound_path, &st) == 0 && S_ISSOCK (st.st_mode)
          && (guint64) st.st_dev == self->bound_device
          && (guint64) st.st_ino == self->bound_inode)
        g_unlink (self->bound_path);
#endif
      g_clear_pointer (&self->bound_path, g_free);
    }
}
