/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>

#ifdef G_OS_UNIX
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif
#ifdef HAVE_GETIFADDRS
#include <ifaddrs.h>
#endif

#if defined(__GLIBC__)
# include <malloc.h>
#endif

#include "scope-errors.h"
#include "scope-platform.h"
#include "scope-resolver.h"

void
scope_host_entry_clear (ScopeHostEntry *entry)
{
  g_clear_pointer (&entry->canonical, g_free);
  g_clear_pointer (&entry->aliases, g_strfreev);
  g_clear_pointer (&entry->addresses, g_strfreev);
  entry->method = NULL;
}

#if defined(HAVE_GETHOSTBYNAME_R) || defined(HAVE_GETHOSTBYADDR_R)
static void
set_herror (GError    **error,
            int         herr,
            const char *what)
{
  switch (herr)
    {
    case HOST_NOT_FOUND:
      g_set_error (error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_NOT_FOUND,
                   /* Translators: %s is a host name or address */
                   _("“%s” is not known to the system resolver (HOST_NOT_FOUND)"), what);
      break;
    case TRY_AGAIN:
      g_set_error (error, SCOPE_GAI_ERROR, EAI_AGAIN,
                   _("Temporary failure in name resolution: try again later (TRY_AGAIN)"));
      break;
    case NO_DATA:
      g_set_error (error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_NOT_FOUND,
                   /* Translators: %s is a host name */
                   _("“%s” exists but has no address of that family (NO_DATA)"), what);
      break;
    case NO_RECOVERY:
    default:
      g_set_error (error, SCOPE_GAI_ERROR, EAI_FAIL,
                   _("The name server failed permanently (NO_RECOVERY)"));
      break;
    }
}

static void
fill_entry (ScopeHostEntry       *entry,
            const struct hostent *h)
{
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_null_terminated (4, g_free, TRUE);

  entry->canonical = g_strdup (h->h_name);
  for (char **a = h->h_aliases; a != NULL && *a != NULL; a++)
    g_ptr_array_add (aliases, g_strdup (*a));
  for (char **a = h->h_addr_list; a != NULL && *a != NULL; a++)
    {
      char text[INET6_ADDRSTRLEN];

      if (inet_ntop (h->h_addrtype, *a, text, sizeof text) != NULL)
        g_ptr_array_add (addresses, g_strdup (text));
    }
  entry->aliases = (GStrv) g_ptr_array_steal (aliases, NULL);
  entry->addresses = (GStrv) g_ptr_array_steal (addresses, NULL);
}
#endif

#ifndef HAVE_GETHOSTBYNAME_R
static gboolean
host_by_name_from_getaddrinfo (const char     *name,
                               int             family,
                               ScopeHostEntry *entry,
                               GError        **error)
{
  struct addrinfo hints = { 0 }, *res = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  int rc;

  hints.ai_family = family == AF_INET6 ? AF_INET6 : AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  rc = getaddrinfo (name, NULL, &hints, &res);
  if (rc != 0)
    {
      g_autofree char *text = scope_gai_error_describe (rc);

      g_set_error_literal (error, SCOPE_GAI_ERROR, rc, text);
      return FALSE;
    }
  entry->canonical = g_strdup (res->ai_canonname ? res->ai_canonname : name);
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
    {
      char text[NI_MAXHOST];

      if (getnameinfo (ai->ai_addr, ai->ai_addrlen, text, sizeof text, NULL, 0,
                       NI_NUMERICHOST) == 0)
        g_ptr_array_add (addresses, g_strdup (text));
    }
  freeaddrinfo (res);
  entry->aliases = g_new0 (char *, 1);
  entry->addresses = (GStrv) g_ptr_array_steal (addresses, NULL);
  entry->method = "getaddrinfo";
  return TRUE;
}
#endif

/**
 * scope_platform_host_by_name:
 * @family: AF_INET (what gethostbyname_ex() asks) or AF_INET6
 *
 * The canonical name, aliases and addresses of @name, from
 * gethostbyname_r() where the C library has it, otherwise from getaddrinfo()
 * with AI_CANONNAME (which knows no aliases); @entry->method says which.
 */
gboolean
scope_platform_host_by_name (const char     *name,
                             int             family,
                             ScopeHostEntry *entry,
                             GError        **error)
{
#ifdef HAVE_GETHOSTBYNAME_R
  struct hostent h, *result = NULL;
  gsize size = 1024;
  int herr = 0, rc;

  for (;;)
    {
      g_autofree char *buf = g_malloc (size);

#ifdef HAVE_GETHOSTBYNAME2_R
      if (family == AF_INET6)
        rc = gethostbyname2_r (name, AF_INET6, &h, buf, size, &result, &herr);
      else
#endif
        rc = gethostbyname_r (name, &h, buf, size, &result, &herr);
      if (rc == ERANGE && size < 1024 * 1024)
        {
          size *= 4;
          continue;
        }
      if (result == NULL)
        {
          set_herror (error, herr, name);
          return FALSE;
        }
      fill_entry (entry, result);
      entry->method = family == AF_INET6 ? "gethostbyname2_r" : "gethostbyname_r";
      return TRUE;
    }
#else
  return host_by_name_from_getaddrinfo (name, family, entry, error);
#endif
}

/**
 * scope_platform_host_by_address:
 *
 * What gethostbyaddr() gives for @address: its name, aliases and addresses.
 */
gboolean
scope_platform_host_by_address (GInetAddress   *address,
                                ScopeHostEntry *entry,
                                GError        **error)
{
  g_autofree char *text = g_inet_address_to_string (address);
#ifdef HAVE_GETHOSTBYADDR_R
  struct hostent h, *result = NULL;
  const guint8 *bytes = g_inet_address_to_bytes (address);
  gsize length = g_inet_address_get_native_size (address);
  int family = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET;
  gsize size = 1024;
  int herr = 0, rc;

  for (;;)
    {
      g_autofree char *buf = g_malloc (size);

      rc = gethostbyaddr_r (bytes, length, family, &h, buf, size, &result, &herr);
      if (rc == ERANGE && size < 1024 * 1024)
        {
          size *= 4;
          continue;
        }
      if (result == NULL)
        {
          set_herror (error, herr, text);
          return FALSE;
        }
      fill_entry (entry, result);
      entry->method = "gethostbyaddr_r";
      return TRUE;
    }
#else
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autofree char *name = g_resolver_lookup_by_address (resolver, address, NULL, error);

  if (name == NULL)
    return FALSE;
  entry->canonical = g_steal_pointer (&name);
  entry->aliases = g_new0 (char *, 1);
  entry->addresses = g_new0 (char *, 2);
  entry->addresses[0] = g_steal_pointer (&text);
  entry->method = "GResolver";
  return TRUE;
#endif
}

/**
 * scope_platform_service:
 * @name: (nullable): a service name, or NULL to look up @port
 * @proto: "tcp" or "udp"
 *
 * Returns: whether the services database has the entry.
 */
gboolean
scope_platform_service (const char *name,
                        int         port,
                        const char *proto,
                        char      **found_name,
                        int        *found_port,
                        GStrv      *aliases)
{
#ifdef G_OS_UNIX
  struct servent s, *result = NULL;
  g_autofree char *buf = g_malloc (4096);
  g_autoptr(GPtrArray) list = NULL;

#if defined(HAVE_GETSERVBYNAME_R) && defined(HAVE_GETSERVBYPORT_R)
  if (name != NULL)
    getservbyname_r (name, proto, &s, buf, 4096, &result);
  else
    getservbyport_r (htons ((guint16) port), proto, &s, buf, 4096, &result);
#else
  /* Without the _r forms the database's static buffer is shared: one at a time. */
  static GMutex lock;
  struct servent *shared;

  g_mutex_lock (&lock);
  shared = name != NULL ? getservbyname (name, proto)
                        : getservbyport (htons ((guint16) port), proto);
  if (shared != NULL)
    {
      s = *shared;
      result = &s;
    }
#endif
  if (result != NULL)
    {
      list = g_ptr_array_new_null_terminated (2, g_free, TRUE);
      *found_name = g_strdup (result->s_name);
      *found_port = ntohs ((guint16) result->s_port);
      for (char **a = result->s_aliases; a != NULL && *a != NULL; a++)
        g_ptr_array_add (list, g_strdup (*a));
      *aliases = (GStrv) g_ptr_array_steal (list, NULL);
    }
#if !(defined(HAVE_GETSERVBYNAME_R) && defined(HAVE_GETSERVBYPORT_R))
  g_mutex_unlock (&lock);
#endif
  return result != NULL;
#else
  return FALSE;
#endif
}

static void
interface_address_free (gpointer data)
{
  ScopeInterfaceAddress *a = data;

  g_free (a->interface);
  g_free (a->address);
  g_free (a->netmask);
  g_free (a->flags);
  g_free (a);
}

#ifdef HAVE_GETIFADDRS
static char *
numeric_host (const struct sockaddr *sa)
{
  char text[NI_MAXHOST];
  socklen_t length = sa->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6)
                                               : sizeof (struct sockaddr_in);

  if (getnameinfo (sa, length, text, sizeof text, NULL, 0, NI_NUMERICHOST) != 0)
    return NULL;
  return g_strdup (text);
}

static char *
describe_flags (unsigned int flags)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_null_terminated (4, NULL, TRUE);

  if (flags & IFF_UP)
    g_ptr_array_add (words, (char *) "up");
  else
    g_ptr_array_add (words, (char *) "down");
  if (flags & IFF_LOOPBACK)
    g_ptr_array_add (words, (char *) "loopback");
  if (flags & IFF_RUNNING)
    g_ptr_array_add (words, (char *) "running");
  if (flags & IFF_BROADCAST)
    g_ptr_array_add (words, (char *) "broadcast");
  if (flags & IFF_MULTICAST)
    g_ptr_array_add (words, (char *) "multicast");
  if (flags & IFF_POINTOPOINT)
    g_ptr_array_add (words, (char *) "point-to-point");
  return g_strjoinv (", ", (char **) words->pdata);
}
#endif

GPtrArray *
scope_platform_interfaces (GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (interface_address_free);
#ifdef HAVE_GETIFADDRS
  struct ifaddrs *all = NULL;

  if (getifaddrs (&all) != 0)
    {
      int saved = errno;
      g_autofree char *text = scope_errno_describe (saved);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: %s says why, in words and then the errno name */
                   _("Could not list the network interfaces: %s"), text);
      return NULL;
    }
  for (struct ifaddrs *i = all; i != NULL; i = i->ifa_next)
    {
      ScopeInterfaceAddress *a;

      if (i->ifa_addr == NULL
          || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
        continue;
      a = g_new0 (ScopeInterfaceAddress, 1);
      a->interface = g_strdup (i->ifa_name);
      a->family = i->ifa_addr->sa_family;
      a->address = numeric_host (i->ifa_addr);
      a->netmask = i->ifa_netmask != NULL ? numeric_host (i->ifa_netmask) : NULL;
      if (a->family == AF_INET6)
        a->scope_id = ((struct sockaddr_in6 *) i->ifa_addr)->sin6_scope_id;
      a->flags = describe_flags (i->ifa_flags);
      g_ptr_array_add (list, a);
    }
  freeifaddrs (all);
#else
  /* GLib has no portable interface list; say so rather than show nothing. */
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Listing the network interfaces is not supported on this system"));
  return NULL;
#endif
  return g_steal_pointer (&list);
}

const char *
scope_platform_hosts_file (void)
{
#ifdef G_OS_WIN32
  return "C:\\Windows\\System32\\drivers\\etc\\hosts";
#else
  return "/etc/hosts";
#endif
}

#ifdef G_OS_UNIX
/* getservent() and getservent_r() walk one position in the database,
 * shared by the whole process: one walk at a time. */
G_LOCK_DEFINE_STATIC (servent);
#endif

gboolean
scope_platform_services_foreach (ScopePlatformServiceFunc func,
                                 gpointer                 user_data,
                                 char                   **source)
{
#ifdef G_OS_UNIX
#ifdef HAVE_GETSERVENT_R
  struct servent s, *entry = NULL;
  gsize size = 4096;
  g_autofree char *buf = g_malloc (size);
  int status;

  G_LOCK (servent);
  setservent (0);
  for (;;)
    {
      status = getservent_r (&s, buf, size, &entry);
      if (status == ERANGE && size < 1024 * 1024)
        {
          /* An entry longer than the buffer: the same entry again, in a
           * bigger one. */
          size *= 4;
          buf = g_realloc (buf, size);
          continue;
        }
      if (status != 0 || entry == NULL)
        break;
      func (entry->s_name, ntohs ((guint16) entry->s_port), entry->s_proto,
            (const char * const *) entry->s_aliases, user_data);
    }
  endservent ();
  G_UNLOCK (servent);
#else
  struct servent *entry;

  G_LOCK (servent);
  setservent (0);
  while ((entry = getservent ()) != NULL)
    func (entry->s_name, ntohs ((guint16) entry->s_port), entry->s_proto,
          (const char * const *) entry->s_aliases, user_data);
  endservent ();
  G_UNLOCK (servent);
#endif
  if (source != NULL)
    /* Translators: where the services database was read from */
    *source = g_strdup (_("The system’s services database (getservent), usually "
                          "/etc/services"));
  return TRUE;
#else
  return FALSE;
#endif
}

#ifdef __linux__
/* One line of numbers from a file under /proc/sys. */
static gboolean
read_proc_numbers (const char *path,
                   guint       n,
                   guint      *values)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) words = NULL;
  guint found = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  words = g_strsplit_set (g_strstrip (text), " \t", -1);
  for (guint i = 0; words[i] != NULL && found < n; i++)
    {
      guint64 value;

      if (words[i][0] == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (words[i], 10, 0, 65535, &value, NULL))
        return FALSE;
      values[found++] = (guint) value;
    }
  return found == n;
}
#endif

gboolean
scope_platform_ephemeral_range (guint  *first,
                                guint  *last,
                                char  **source)
{
#ifdef __linux__
  static const char path[] = "/proc/sys/net/ipv4/ip_local_port_range";
  guint values[2];

  if (read_proc_numbers (path, 2, values) && values[0] <= values[1])
    {
      *first = values[0];
      *last = values[1];
      *source = g_strdup (path);
      return TRUE;
    }
#endif
  return FALSE;
}

gboolean
scope_platform_unprivileged_port_start (guint  *port,
                                        char  **source)
{
#ifdef __linux__
  static const char path[] = "/proc/sys/net/ipv4/ip_unprivileged_port_start";

  if (read_proc_numbers (path, 1, port))
    {
      *source = g_strdup (path);
      return TRUE;
    }
#endif
  return FALSE;
}

char *
scope_platform_socket_table (const char  *protocol,
                             GError     **error)
{
#ifdef __linux__
  g_autofree char *path = g_build_filename ("/proc/net", protocol, NULL);
  g_autoptr(GError) local_error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      /* Translators: the first %s is a file, the second why it could not be read */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not read %s: %s"), path,
                   local_error->message);
      return NULL;
    }
  return text;
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This system does not list its sockets the way Linux does in "
                         "/proc/net"));
  return NULL;
#endif
}

GHashTable *
scope_platform_socket_owners (GCancellable *cancellable)
{
  GHashTable *owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
#ifdef __linux__
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *pid;

  while (proc != NULL && (pid = g_dir_read_name (proc)) != NULL
         && !g_cancellable_is_cancelled (cancellable))
    {
      g_autofree char *fd_path = NULL;
      g_autofree char *comm_path = NULL;
      g_autofree char *comm = NULL;
      g_autoptr(GDir) fds = NULL;
      const char *fd;

      if (strspn (pid, "0123456789") != strlen (pid))
        continue;
      fd_path = g_build_filename ("/proc", pid, "fd", NULL);
      fds = g_dir_open (fd_path, 0, NULL);
      if (fds == NULL)
        continue;   /* another user's process, or gone */
      comm_path = g_build_filename ("/proc", pid, "comm", NULL);
      if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
        continue;
      g_strstrip (comm);
      /* Any program may name itself anything: shown as text, never as
       * escape sequences for a terminal. */
      {
        g_autofree char *valid = g_utf8_make_valid (comm, -1);
        GString *shown = g_string_new (NULL);

        for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
          {
            gunichar c = g_utf8_get_char (p);

            if (g_unichar_iscntrl (c))
              g_string_append_c (shown, '?');
            else
              g_string_append_unichar (shown, c);
          }
        g_free (comm);
        comm = g_string_free (shown, FALSE);
      }
      while ((fd = g_dir_read_name (fds)) != NULL)
        {
          g_autofree char *link_path = g_build_filename (fd_path, fd, NULL);
          g_autofree char *target = g_file_read_link (link_path, NULL);

          if (target != NULL && g_str_has_prefix (target, "socket:[")
              && g_str_has_suffix (target, "]"))
            {
              char *inode = g_strndup (target + 8, strlen (target) - 9);
              /* Translators: a process: its name, then its process id */
              char *owner = g_strdup_printf (_("%s (pid %s)"), comm, pid);

              g_hash_table_replace (owners, inode, owner);
            }
        }
    }
#endif
  return owners;
}

/* Blocks of 256 KiB and more (a 1 MiB read buffer, a megabyte recorded,
 * a long event line) are mapped on their own and given back when freed.
 * glibc's default raises that threshold as such blocks are freed, after
 * which they come from the heap and stay in the process when freed: the
 * same run of a server that answers four peers a megabyte each grew by 10
 * or by 14.6 MiB, one time in three the second (test-faults: "answers
 * larger than the question stay bounded"); with the threshold fixed, by
 * 6.7 MiB each time. */
void
scope_platform_tune_memory (void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
#endif
}
