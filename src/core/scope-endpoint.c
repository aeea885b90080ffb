/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "scope-endpoint.h"

/* The recorder keeps addresses as a user reads them; pairing the ends of
 * a connection, following a datagram from its sender to its receiver and
 * writing packets all need them as numbers, where "::ffff:127.0.0.1" and
 * "127.0.0.1" are one address. */

static const guint8 zeros[16];

static gsize
ip_size (const ScopeEndpoint *end)
{
  return end->family == 4 ? 4 : 16;
}

gboolean
scope_endpoint_is_unspecified (const ScopeEndpoint *end)
{
  return memcmp (end->ip, zeros, ip_size (end)) == 0;
}

gboolean
scope_endpoint_is_loopback (const ScopeEndpoint *end)
{
  static const guint8 ipv6_loopback[16] = { [15] = 1 };

  if (end->family == 4)
    return end->ip[0] == 127;
  return memcmp (end->ip, ipv6_loopback, 16) == 0;
}

/**
 * scope_endpoint_parse:
 * @text: (nullable): as scope_socket_address_to_string() wrote it:
 *   "127.0.0.1:80", "[::1]:80", "[fe80::1%eth0]:80"
 *
 * Returns: whether @text is an IP address and port; when not, @end is
 * all zeros
 */
gboolean
scope_endpoint_parse (const char    *text,
                      ScopeEndpoint *end)
{
  static const guint8 mapped_prefix[12] = { [10] = 0xff, [11] = 0xff };
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *port_text;
  const guint8 *bytes;
  guint64 port;

  memset (end, 0, sizeof *end);
  if (text == NULL)
    return FALSE;

  if (text[0] == '[')
    {
      const char *close = strstr (text, "]:");
      char *percent;

      if (close == NULL)
        return FALSE;
      host = g_strndup (text + 1, close - text - 1);
      /* The zone says which link; the address is the same. */
      percent = strchr (host, '%');
      if (percent != NULL)
        *percent = '\0';
      port_text = close + 2;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon == NULL)
        return FALSE;
      host = g_strndup (text, colon - text);
      port_text = colon + 1;
    }

  if (!g_ascii_string_to_unsigned (port_text, 10, 0, G_MAXUINT16, &port, NULL))
    return FALSE;
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;

  bytes = g_inet_address_to_bytes (address);
  end->port = (guint16) port;
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    {
      end->family = 4;
      memcpy (end->ip, bytes, 4);
    }
  else if (memcmp (bytes, mapped_prefix, 12) == 0)
    {
      end->family = 4;
      memcpy (end->ip, bytes + 12, 4);
    }
  else
    {
      end->family = 6;
      memcpy (end->ip, bytes, 16);
    }
  return TRUE;
}

/**
 * scope_endpoint_complete_pair:
 * @ours: a socket's own address, made what its packets to @theirs carry
 *
 * A socket bound to 0.0.0.0 or :: sends from whichever address the route
 * gives: to a loopback peer, that peer's own loopback address; a
 * dual-stack socket's :: sends IPv4 to an IPv4 peer.
 *
 * Returns: %FALSE when the two cannot be the ends of one packet
 */
gboolean
scope_endpoint_complete_pair (ScopeEndpoint       *ours,
                              const ScopeEndpoint *theirs)
{
  if (ours->family != theirs->family)
    {
      if (!scope_endpoint_is_unspecified (ours))
        return FALSE;
      ours->family = theirs->family;
      memset (ours->ip, 0, sizeof ours->ip);
    }
  if (scope_endpoint_is_unspecified (ours) && scope_endpoint_is_loopback (theirs))
    memcpy (ours->ip, theirs->ip, sizeof ours->ip);
  return TRUE;
}

gboolean
scope_endpoint_equal (const ScopeEndpoint *a,
                      const ScopeEndpoint *b)
{
  return a->family == b->family && a->port == b->port
         && memcmp (a->ip, b->ip, ip_size (a)) == 0;
}

/**
 * scope_endpoint_matches:
 *
 * Returns: whether @a and @b may be the same end: equal, or of one port
 * where either is a wildcard address, which the route fills in
 */
gboolean
scope_endpoint_matches (const ScopeEndpoint *a,
                        const ScopeEndpoint *b)
{
  if (a->port != b->port)
    return FALSE;
  return scope_endpoint_equal (a, b) || scope_endpoint_is_unspecified (a)
         || scope_endpoint_is_unspecified (b);
}

guint
scope_endpoint_hash (const ScopeEndpoint *end)
{
  guint hash = end->family * 31u + end->port;

  for (gsize i = 0; i < ip_size (end); i++)
    hash = hash * 31u + end->ip[i];
  return hash;
}
