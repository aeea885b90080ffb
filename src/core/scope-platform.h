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

G_END_DECLS
