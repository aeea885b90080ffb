/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "scope-platform.h"
#include "scope-server-private.h"

/* Who can reach a server that listens on a bind address: the warning the
 * user reads before choosing one other than loopback. */

/**
 * scope_server_describe_exposure:
 * @bind_address: a bind-address as scope_server_start() takes it
 * @ipv6_only: whether an IPv6 address takes IPv6 alone
 *
 * Names what listening on @bind_address opens, address by address, as
 * this machine has them now: the choice is made knowingly. The address is
 * parsed as the server parses it, so every spelling of an address is the
 * same address ("::", "0::0", "0:0:0:0:0:0:0:0", "::0.0.0.0";
 * "::ffff:0.0.0.0", which GLib binds as 0.0.0.0), and any address but a
 * loopback one is reachable by others: a LAN address of this machine is.
 *
 * Returns: (transfer full) (nullable): the warning, or %NULL for loopback,
 * "loopback" and what is no address
 */
char *
scope_server_describe_exposure (const char *bind_address,
                                gboolean    ipv6_only)
{
  g_autoptr(GSocketAddress) parsed = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GPtrArray) interfaces = NULL;
  g_autoptr(GString) reachable = g_string_new (NULL);
  gboolean want_v4, want_v6;

  if (g_strcmp0 (bind_address, "loopback") == 0)
    return NULL;
  parsed = _scope_server_parse_bind_address (bind_address, 0);
  if (parsed == NULL)
    return NULL;
  address = _scope_server_address_unmapped (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (parsed)));
  if (g_inet_address_get_is_loopback (address))
    return NULL;

  if (!g_inet_address_get_is_any (address))
    {
      g_autofree char *shown = g_inet_address_to_string (address);

      /* Translators: %s is an address of this machine, such as 192.0.2.7 */
      return g_strdup_printf (_("Listening on %s, which is not a loopback address: other "
                                "machines on its network can connect"), shown);
    }

  want_v4 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4 || !ipv6_only;
  want_v6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
  interfaces = scope_platform_interfaces (NULL);
  for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
    {
      ScopeInterfaceAddress *a = g_ptr_array_index (interfaces, i);
      g_autoptr(GInetAddress) found = NULL;
      g_autofree char *plain = g_strdup (a->address);
      char *percent;

      if (a->address == NULL || (a->family == G_SOCKET_FAMILY_IPV4 && !want_v4)
          || (a->family == G_SOCKET_FAMILY_IPV6 && !want_v6))
        continue;
      if ((percent = strchr (plain, '%')) != NULL)
        *percent = '\0';
      found = g_inet_address_new_from_string (plain);
      if (found == NULL || g_inet_address_get_is_loopback (found))
        continue;
      g_string_append_printf (reachable, "%s%s", reachable->len > 0 ? ", " : "", a->address);
    }

  if (reachable->len == 0)
    return g_strdup (_("Listening on all interfaces: no other machine can reach it now, for "
                       "this machine has no address but loopback; it will be reachable at "
                       "any address the machine gets"));
  /* Translators: %s is a list of this machine's addresses */
  return g_strdup_printf (_("Listening on all interfaces: other machines on your networks can "
                            "connect, at %s"), reachable->str);
}
