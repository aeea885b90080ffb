/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An IP address and port, read as a packet would carry them: an
 * IPv4-mapped IPv6 address (a dual-stack socket's IPv4 peer) is the IPv4
 * address it stands for. */
typedef struct
{
  guint8  family;     /* 4 or 6; 0 when not an IP address */
  guint8  ip[16];     /* 4 or 16 bytes, network order */
  guint16 port;
} ScopeEndpoint;

gboolean scope_endpoint_parse           (const char          *text,
                                         ScopeEndpoint       *end);
gboolean scope_endpoint_is_unspecified  (const ScopeEndpoint *end);
gboolean scope_endpoint_is_loopback     (const ScopeEndpoint *end);
gboolean scope_endpoint_complete_pair   (ScopeEndpoint       *ours,
                                         const ScopeEndpoint *theirs);
gboolean scope_endpoint_equal           (const ScopeEndpoint *a,
                                         const ScopeEndpoint *b);
gboolean scope_endpoint_matches         (const ScopeEndpoint *a,
                                         const ScopeEndpoint *b);
guint    scope_endpoint_hash            (const ScopeEndpoint *end);

G_END_DECLS
