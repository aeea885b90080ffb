/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-report.h"
#include "scope-services.h"

G_BEGIN_DECLS

typedef enum
{
  SCOPE_PORT_FACTS_TCP  = 1 << 0,
  SCOPE_PORT_FACTS_UDP  = 1 << 1,
  /* Also try to bind it and list the sockets on it: this blocks, for the
   * command line or a worker thread. */
  SCOPE_PORT_FACTS_HERE = 1 << 2,
} ScopePortFactsFlags;

/* What is known of @port on this machine, once for the Ports page and the
 * command line's "port":
 *  - section "facts", for the page alone: a row (title, detail) each for
 *    its class, whether it is privileged here and the ephemeral range;
 *  - the same in lines for the text, and in members for the JSON, with the
 *    services database's names from @catalogue (may be NULL);
 *  - with SCOPE_PORT_FACTS_HERE, sections "bind" (a bind() on each address
 *    of each protocol asked for) and "listening" (the sockets on it; its
 *    error when they cannot be read, see scope_port_facts_failed()). */
ScopeReport *scope_port_facts        (guint                  port,
                                      ScopePortFactsFlags    flags,
                                      ScopeServiceCatalogue *catalogue);
/* Whether the sockets on the port could not be read. */
gboolean     scope_port_facts_failed (ScopeReport           *facts);

G_END_DECLS
