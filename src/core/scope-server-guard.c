/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-platform.h"
#include "scope-server-private.h"

/* Whom a UDP server does not answer: sources no client can have, and its
 * own sockets, where an answer would start a loop. */

#define LOCAL_ADDRESSES_TTL_US    G_USEC_PER_SEC

/* Every datagram socket a server of this process listens on: a datagram
 * from one of them is forged, or one of our own answers, and answering it
 * would start a loop. The main loop's alone, as all socket work here. */
static GPtrArray *datagram_listeners;   /* Listener*, not owned */

/* ::ffff:a.b.c.d, as a dual-stack socket names an IPv4 peer, is a.b.c.d. */
GInetAddress *
_scope_server_address_unmapped (GInetAddress *address)
{
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6
      && memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0)
    return g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
  return g_object_ref (address);
}

/* Whether a datagram sent to @address would reach this machine: loopback,
 * or one of its interfaces' addresses (asked of the system at most once a
 * second, and only for a source on the port of a server bound to all). */
static gboolean
address_is_this_machine (GInetAddress *address)
{
  static GPtrArray *local;
  static gint64 local_at;
  gint64 now = g_get_monotonic_time ();

  if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_any (address))
    return TRUE;
  if (local == NULL || now - local_at > LOCAL_ADDRESSES_TTL_US)
    {
      g_autoptr(GPtrArray) interfaces = scope_platform_interfaces (NULL);

      g_clear_pointer (&local, g_ptr_array_unref);
      local = g_ptr_array_new_with_free_func (g_object_unref);
      local_at = now;
      for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
        {
          ScopeInterfaceAddress *a = g_ptr_array_index (interfaces, i);
          g_autofree char *plain = g_strdup (a->address);
          char *percent;
          GInetAddress *parsed;

          if (plain == NULL)
            continue;
          if ((percent = strchr (plain, '%')) != NULL)
            *percent = '\0';
          if ((parsed = g_inet_address_new_from_string (plain)) != NULL)
            g_ptr_array_add (local, parsed);
        }
    }
  for (guint i = 0; i < local->len; i++)
    if (g_inet_address_equal (g_ptr_array_index (local, i), address))
      return TRUE;
  return FALSE;
}

/* Whether one of our own datagram servers listens at @address:@port: an
 * answer sent there would be answered in turn, for ever. */
static gboolean
is_own_datagram_socket (GInetAddress *address,
                        guint16       port)
{
  GSocketFamily family = g_inet_address_get_family (address);

  for (guint i = 0; datagram_listeners != NULL && i < datagram_listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (datagram_listeners, i);
      GSocketFamily bound_family;

      if (listener->port != port || listener->address == NULL)
        continue;
      bound_family = g_inet_address_get_family (listener->address);
      if (!g_inet_address_get_is_any (listener->address))
        {
          if (g_inet_address_equal (listener->address, address))
            return TRUE;
          continue;
        }
      /* Bound to all: any address of this machine of a family it takes. */
      if ((bound_family == family
           || (bound_family == G_SOCKET_FAMILY_IPV6 && !listener->ipv6_only))
          && address_is_this_machine (address))
        return TRUE;
    }
  return FALSE;
}

DropReason
_scope_server_datagram_source_refused (GInetAddress *address,
                                       guint16       port)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);

  /* No client sends from these: the source is forged, and an answer to a
   * multicast one would go to every host of a network. */
  if (g_inet_address_get_is_any (address) || g_inet_address_get_is_multicast (address)
      || (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4
          && memcmp (bytes, "\xff\xff\xff\xff", 4) == 0))
    return DROP_NOT_A_CLIENT;
  if (is_own_datagram_socket (address, port))
    return DROP_OWN_SOCKET;
  /* Echo (7), chargen (19), daytime, DNS, NTP…: two services that answer
   * each other never stop; clients send from the ports above. */
  if (port < 1024)
    return DROP_PRIVILEGED_PORT;
  return DROP_NONE;
}

void
_scope_server_guard_watch (Listener *listener)
{
  if (datagram_listeners == NULL)
    datagram_listeners = g_ptr_array_new ();
  g_ptr_array_add (datagram_listeners, listener);
}

void
_scope_server_guard_forget (Listener *listener)
{
  if (datagram_listeners != NULL)
    g_ptr_array_remove (datagram_listeners, listener);
}
