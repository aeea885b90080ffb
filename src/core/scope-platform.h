/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The platform corner: the C library calls that differ between systems,
 * behind one small interface (see ARCHITECTURE.md). All of these block;
 * call them from a worker thread. */

/* What gethostbyname_ex() gives: the canonical name, aliases, addresses. */
typedef struct
{
  char       *canonical;
  GStrv       aliases;
  GStrv       addresses;
  const char *method;      /* "gethostbyname_r", "gethostbyname2_r" or "getaddrinfo" */
} ScopeHostEntry;

void     scope_host_entry_clear          (ScopeHostEntry *entry);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScopeHostEntry, scope_host_entry_clear)

gboolean scope_platform_host_by_name     (const char     *name,
                                          int             family,
                                          ScopeHostEntry *entry,
                                          GError        **error);
gboolean scope_platform_host_by_address  (GInetAddress   *address,
                                          ScopeHostEntry *entry,
                                          GError        **error);

/* getservbyname / getservbyport: name NULL means look up @port. */
gboolean scope_platform_service          (const char     *name,
                                          int             port,
                                          const char     *proto,
                                          char          **found_name,
                                          int            *found_port,
                                          GStrv          *aliases);

typedef struct
{
  char   *interface;
  int     family;
  char   *address;     /* with "%scope" for IPv6 link-local */
  char   *netmask;
  guint32 scope_id;
  char   *flags;       /* "up, loopback, running", in words */
} ScopeInterfaceAddress;

/* (element-type ScopeInterfaceAddress): every IPv4 and IPv6 address of
 * every interface, or NULL with @error set. */
GPtrArray  *scope_platform_interfaces     (GError        **error);

/* Where the system resolver's host table lives: /etc/hosts on Unix. */
const char *scope_platform_hosts_file     (void);

/* Every entry of the services database, through getservent(); FALSE where
 * this system has no such database. @source says where it was read. */
typedef void (*ScopePlatformServiceFunc) (const char         *name,
                                          guint               port,
                                          const char         *protocol,
                                          const char * const *aliases,
                                          gpointer            user_data);

gboolean    scope_platform_services_foreach (ScopePlatformServiceFunc func,
                                             gpointer                 user_data,
                                             char                   **source);

/* The ports a client socket is given when it binds none, as this system
 * says (Linux: /proc/sys/net/ipv4/ip_local_port_range); FALSE where it
 * cannot say. */
gboolean    scope_platform_ephemeral_range  (guint   *first,
                                             guint   *last,
                                             char   **source);
/* The lowest port a program without privileges may listen on (Linux:
 * /proc/sys/net/ipv4/ip_unprivileged_port_start); FALSE where the system
 * cannot say. */
gboolean    scope_platform_unprivileged_port_start (guint  *port,
                                                    char  **source);

/* The kernel's table of sockets of one kind ("tcp", "tcp6", "udp",
 * "udp6"), as Linux writes it in /proc/net; NULL with
 * G_IO_ERROR_NOT_SUPPORTED on other systems. */
char       *scope_platform_socket_table     (const char *protocol,
                                             GError    **error);
/* Socket inode (as a string) → "name (pid N)", for the processes whose
 * descriptors this user may read; the name made safe to show. Walks all of
 * /proc: a cancel stops it where it is. */
GHashTable *scope_platform_socket_owners    (GCancellable *cancellable);

/* Called first in main(): what the process's memory allocator needs for
 * the recorder's bounds to hold. */
void        scope_platform_tune_memory      (void);

G_END_DECLS
