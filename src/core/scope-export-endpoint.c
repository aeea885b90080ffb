/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-export-private.h"

/* The addresses of the packets the pcapng export makes: read back from
 * the recorder's text, compared, completed where a socket was bound to a
 * wildcard address, and made into keys. */

gboolean
scope_export_endpoint_is_unspecified (const ScopeExportEndpoint *end)
{
  static const guint8 zeros[16];

  return memcmp (end->ip, zeros, end->family == 4 ? 4 : 16) == 0;
}

static gboolean
endpoint_is_loopback (const ScopeExportEndpoint *end)
{
  static const guint8 ipv6_loopback[16] = { [15] = 1 };

  if (end->family == 4)
    return end->ip[0] == 127;
  return memcmp (end->ip, ipv6_loopback, 16) == 0;
}

/* Reads back what scope_socket_address_to_string() wrote: "127.0.0.1:80",
 * "[::1]:80", "[fe80::1%eth0]:80". An IPv4-mapped IPv6 address (a
 * dual-stack socket's IPv4 peer) is the IPv4 address it stands for: on the
 * wire that was an IPv4 packet. */
gboolean
scope_export_endpoint_parse (const char          *text,
                             ScopeExportEndpoint *end)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *port_text;
  guint64 port;
  const guint8 *bytes;

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
  else
    {
      static const guint8 mapped_prefix[12] = { [10] = 0xff, [11] = 0xff };

      if (memcmp (bytes, mapped_prefix, 12) == 0)
        {
          end->family = 4;
          memcpy (end->ip, bytes + 12, 4);
        }
      else
        {
          end->family = 6;
          memcpy (end->ip, bytes, 16);
        }
    }
  return TRUE;
}

/* A socket bound to 0.0.0.0 or :: sends from whichever address the route
 * gives: to a loopback peer, that peer's own loopback address. Returns
 * FALSE when the two ends cannot be one packet's. */
gboolean
scope_export_endpoint_complete_pair (ScopeExportEndpoint *ours,
                                     ScopeExportEndpoint *theirs)
{
  if (ours->family != theirs->family)
    {
      if (!scope_export_endpoint_is_unspecified (ours))
        return FALSE;
      ours->family = theirs->family;
      memset (ours->ip, 0, sizeof ours->ip);
    }
  if (scope_export_endpoint_is_unspecified (ours) && endpoint_is_loopback (theirs))
    memcpy (ours->ip, theirs->ip, sizeof ours->ip);
  return TRUE;
}

gboolean
scope_export_endpoint_equal (const ScopeExportEndpoint *a,
                             const ScopeExportEndpoint *b)
{
  return a->family == b->family && a->port == b->port
         && memcmp (a->ip, b->ip, a->family == 4 ? 4 : 16) == 0;
}

/* A key for a hash table: family, address and port, as text. */
char *
scope_export_endpoint_pair_key (const ScopeExportEndpoint *a,
                                const ScopeExportEndpoint *b)
{
  GString *key = g_string_new (NULL);
  const ScopeExportEndpoint *ends[] = { a, b };

  for (guint i = 0; i < 2; i++)
    {
      g_string_append_printf (key, "%u/", ends[i]->family);
      scope_export_append_hex (key, ends[i]->ip, ends[i]->family == 4 ? 4 : 16);
      g_string_append_printf (key, "/%u ", ends[i]->port);
    }
  return g_string_free (key, FALSE);
}

