/* SPDX-License-Identifier: GPL-3.0-or-later */
/* glibc hides EAI_NODATA and EAI_ADDRFAMILY without it. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#ifdef G_OS_UNIX
# include <netdb.h>
#else
# include <ws2tcpip.h>
#endif

#include "scope-errors.h"

/* Errors are shown the way a student reads them: what went wrong in words
 * first, then the symbolic name to look up in a manual page. The words here
 * cover what sockets and lookups run into; anything else falls back to the C
 * library's own message. */

typedef struct
{
  int         code;
  const char *name;
  const char *meaning;  /* N_() marked, translated on use; NULL: strerror */
} ScopeErrorEntry;

#define ENTRY(sym, meaning) { sym, #sym, meaning }

static const ScopeErrorEntry errno_table[] = {
  ENTRY (EPERM, N_("The operation is not permitted")),
  ENTRY (ENOENT, N_("No such file or directory")),
  ENTRY (EINTR, N_("The call was interrupted by a signal")),
  ENTRY (EBADF, N_("The socket or file descriptor is not valid")),
  ENTRY (EAGAIN, N_("Nothing is ready yet; a non-blocking call would have to wait")),
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
  ENTRY (EWOULDBLOCK, N_("Nothing is ready yet; a non-blocking call would have to wait")),
#endif
  ENTRY (ENOMEM, N_("Out of memory")),
  ENTRY (EACCES, N_("Permission denied: ports below 1024 need administrator rights on most "
                    "systems")),
  ENTRY (EFAULT, N_("A bad memory address was passed to the system")),
  ENTRY (EINVAL, N_("An argument is not valid for this call")),
  ENTRY (EMFILE, N_("This process has too many open files or sockets")),
  ENTRY (ENFILE, N_("The system has too many open files or sockets")),
  ENTRY (ENOSPC, N_("No space left on the device")),
  ENTRY (EEXIST, N_("Something already exists at that path")),
  ENTRY (ENOTDIR, N_("A part of the path is not a folder")),
  ENTRY (EISDIR, N_("That path is a folder")),
  ENTRY (EFBIG, N_("The file would be larger than this system allows")),
#ifdef EROFS
  ENTRY (EROFS, N_("The file system is read-only")),
#endif
#ifdef ELOOP
  ENTRY (ELOOP, N_("Too many symbolic links in the path")),
#endif
  ENTRY (ENAMETOOLONG, N_("The name or path is too long")),
#ifdef ENXIO
  ENTRY (ENXIO, N_("No such device or address")),
#endif
  ENTRY (EPIPE, N_("The peer has closed the connection; nothing more can be sent")),
#ifdef G_OS_UNIX
  ENTRY (ENOTSOCK, N_("That descriptor is not a socket")),
  ENTRY (EDESTADDRREQ, N_("A destination address is needed")),
  ENTRY (EMSGSIZE, N_("The message is too long for one datagram")),
  ENTRY (EPROTOTYPE, N_("The protocol does not fit this kind of socket")),
  ENTRY (ENOPROTOOPT, N_("This protocol does not have that option")),
  ENTRY (EPROTONOSUPPORT, N_("That protocol is not supported")),
  ENTRY (EOPNOTSUPP, N_("That operation is not supported on this socket")),
  ENTRY (EAFNOSUPPORT, N_("That address family is not supported here")),
  ENTRY (EADDRINUSE, N_("The address is already in use: another socket is bound to that port")),
  ENTRY (EADDRNOTAVAIL, N_("That address is not available on this machine")),
  ENTRY (ENETDOWN, N_("The network is down")),
  ENTRY (ENETUNREACH, N_("The network is unreachable: there is no route to it")),
  ENTRY (ECONNABORTED, N_("The connection was aborted on this machine")),
  ENTRY (ECONNRESET, N_("The connection was reset by the peer")),
  ENTRY (ENOBUFS, N_("No buffer space is available")),
  ENTRY (EISCONN, N_("The socket is already connected")),
  ENTRY (ENOTCONN, N_("The socket is not connected")),
  ENTRY (ETIMEDOUT, N_("The connection timed out: the peer did not answer")),
  ENTRY (ECONNREFUSED, N_("The connection was refused: nothing is listening on that port")),
  ENTRY (EHOSTDOWN, N_("The host is down")),
  ENTRY (EHOSTUNREACH, N_("The host is unreachable: there is no route to it")),
  ENTRY (EALREADY, N_("An operation is already in progress on this socket")),
  ENTRY (EINPROGRESS, N_("The connection is still being set up")),
#endif
};

static const ScopeErrorEntry gai_table[] = {
#ifdef EAI_ADDRFAMILY
  ENTRY (EAI_ADDRFAMILY, N_("The name has no address of the requested family")),
#endif
  ENTRY (EAI_AGAIN, N_("Temporary failure in name resolution: try again later")),
  ENTRY (EAI_BADFLAGS, N_("The combination of flags is not valid")),
  ENTRY (EAI_FAIL, N_("The name server failed permanently")),
  ENTRY (EAI_FAMILY, N_("That address family is not supported")),
  ENTRY (EAI_MEMORY, N_("Out of memory")),
#ifdef EAI_NODATA
  ENTRY (EAI_NODATA, N_("The name exists but has no address")),
#endif
  ENTRY (EAI_NONAME, N_("The name or service is not known")),
  ENTRY (EAI_SERVICE, N_("The service is not known for this socket type")),
  ENTRY (EAI_SOCKTYPE, N_("That socket type is not supported")),
#ifdef EAI_SYSTEM
  ENTRY (EAI_SYSTEM, N_("A system error occurred; see errno")),
#endif
#ifdef EAI_OVERFLOW
  ENTRY (EAI_OVERFLOW, N_("The buffer for the answer was too small")),
#endif
};

#undef ENTRY

static const ScopeErrorEntry *
find_entry (const ScopeErrorEntry *table,
            gsize                  n_entries,
            int                    code)
{
  for (gsize i = 0; i < n_entries; i++)
    if (table[i].code == code)
      return &table[i];
  return NULL;
}

/* Both tables are read alike; only what is said of a code that neither
 * knows differs, and the callers say that. */
static const char *
entry_name (const ScopeErrorEntry *table,
            gsize                  n_entries,
            int                    code)
{
  const ScopeErrorEntry *entry = find_entry (table, n_entries, code);

  return entry ? entry->name : NULL;
}

/* The meaning in words, then the name; for a code that @table lacks, the
 * caller's own words: @unknown formatted with what follows it. */
static char *
entry_describe (const ScopeErrorEntry *table,
                gsize                  n_entries,
                int                    code,
                const char            *unknown,
                ...) G_GNUC_PRINTF (4, 5);

static char *
entry_describe (const ScopeErrorEntry *table,
                gsize                  n_entries,
                int                    code,
                const char            *unknown,
                ...)
{
  const ScopeErrorEntry *entry = find_entry (table, n_entries, code);
  va_list args;
  char *text;

  if (entry != NULL)
    return g_strdup_printf ("%s (%s)", _(entry->meaning), entry->name);
  va_start (args, unknown);
  text = g_strdup_vprintf (unknown, args);
  va_end (args);
  return text;
}

/**
 * scope_errno_name:
 * @errnum: an errno value
 *
 * Returns: (nullable): the symbolic name, such as "ECONNREFUSED", or %NULL
 * when this build does not know one.
 */
const char *
scope_errno_name (int errnum)
{
  return entry_name (errno_table, G_N_ELEMENTS (errno_table), errnum);
}

/**
 * scope_gai_error_name:
 * @code: a getaddrinfo() or getnameinfo() return code
 *
 * Returns: (nullable): the symbolic name, such as "EAI_NONAME".
 */
const char *
scope_gai_error_name (int code)
{
  return entry_name (gai_table, G_N_ELEMENTS (gai_table), code);
}

/**
 * scope_errno_describe:
 * @errnum: an errno value
 *
 * Returns: (transfer full): the meaning in words, then the symbolic name,
 * for example "The connection was refused: nothing is listening on that
 * port (ECONNREFUSED)".
 */
char *
scope_errno_describe (int errnum)
{
  return entry_describe (errno_table, G_N_ELEMENTS (errno_table), errnum,
                         /* Translators: %s is the C library's message, %d the errno number */
                         _("%s (errno %d)"), g_strerror (errnum), errnum);
}

/**
 * scope_gai_error_describe:
 * @code: a getaddrinfo() or getnameinfo() return code
 *
 * Returns: (transfer full): the meaning in words, then the EAI name.
 */
char *
scope_gai_error_describe (int code)
{
  return entry_describe (gai_table, G_N_ELEMENTS (gai_table), code,
                         /* Translators: %s is the resolver's own message, %d its return code */
                         _("%s (code %d)"), gai_strerror (code), code);
}

/* GIO folds errno into fewer GIOErrorEnum codes (EADDRNOTAVAIL becomes
 * G_IO_ERROR_FAILED, say), but keeps the C library's message at the end of
 * its own: "Error binding to address 127.0.0.1:80: Permission denied". That
 * message names the errno exactly; the code is the fallback. */
static const struct { int code; int errnum; } gio_codes[] = {
  { G_IO_ERROR_PERMISSION_DENIED, EACCES },
  { G_IO_ERROR_NOT_FOUND, ENOENT },
  { G_IO_ERROR_IS_DIRECTORY, EISDIR },
  { G_IO_ERROR_WOULD_BLOCK, EAGAIN },
  { G_IO_ERROR_BROKEN_PIPE, EPIPE },
#ifdef G_OS_UNIX
  { G_IO_ERROR_ADDRESS_IN_USE, EADDRINUSE },
  { G_IO_ERROR_CONNECTION_REFUSED, ECONNREFUSED },
  { G_IO_ERROR_TIMED_OUT, ETIMEDOUT },
  { G_IO_ERROR_HOST_UNREACHABLE, EHOSTUNREACH },
  { G_IO_ERROR_NETWORK_UNREACHABLE, ENETUNREACH },
  { G_IO_ERROR_CONNECTION_CLOSED, ECONNRESET },
  { G_IO_ERROR_MESSAGE_TOO_LARGE, EMSGSIZE },
  { G_IO_ERROR_NOT_CONNECTED, ENOTCONN },
#endif
};

/**
 * scope_error_get_errno:
 * @error: an error from a GIO socket call
 *
 * Returns: the errno behind it, or 0 when it has none
 */
int
scope_error_get_errno (const GError *error)
{
  g_return_val_if_fail (error != NULL, 0);

  if (error->domain != G_IO_ERROR)
    return 0;

  for (gsize i = 0; i < G_N_ELEMENTS (errno_table); i++)
    if (error->message != NULL
        && g_str_has_suffix (error->message, g_strerror (errno_table[i].code)))
      return errno_table[i].code;

  for (gsize i = 0; i < G_N_ELEMENTS (gio_codes); i++)
    if (gio_codes[i].code == error->code)
      return gio_codes[i].errnum;

  return 0;
}

/**
 * scope_error_describe:
 * @error: an error from a socket call or a name lookup
 *
 * Returns: (transfer full): what went wrong in words, then the errno or EAI
 * name: "The connection was refused: nothing is listening on that port
 * (ECONNREFUSED)". Errors of other kinds keep their own message.
 */
char *
scope_error_describe (const GError *error)
{
  int errnum;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == G_RESOLVER_ERROR)
    {
      switch (error->code)
        {
        case G_RESOLVER_ERROR_NOT_FOUND:
          return scope_gai_error_describe (EAI_NONAME);
        case G_RESOLVER_ERROR_TEMPORARY_FAILURE:
          return scope_gai_error_describe (EAI_AGAIN);
        case G_RESOLVER_ERROR_INTERNAL:
        default:
          return scope_gai_error_describe (EAI_FAIL);
        }
    }

  errnum = scope_error_get_errno (error);
  if (errnum != 0 && scope_errno_name (errnum) != NULL)
    return scope_errno_describe (errnum);

  return g_strdup (error->message);
}

char *
scope_input_for_message (const char *text,
                         gsize       max)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *shown = g_string_new (NULL);
  gsize n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == max)
        {
          g_string_append (shown, "…");
          break;
        }
      if (g_unichar_iscntrl (c))
        g_string_append_c (shown, '?');
      else
        g_string_append_unichar (shown, c);
    }
  return g_string_free (shown, FALSE);
}

gboolean
scope_error_invalid (GError     **error,
                     GQuark       domain,
                     int          code,
                     const char  *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (domain, code, format, args));
  va_end (args);
  return FALSE;
}
