/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-address.h"
#include "scope-report.h"

G_BEGIN_DECLS

/* An address byte by byte, once for the Ports page and the command line's
 * "address":
 *  - members for the JSON, each fact of @info by name;
 *  - a table of what and value for the text, whose rows the page shows
 *    with a longer word on each, the values to copy;
 *  - lines after it: the inet_aton() note, and the same in Python;
 *  - section "more", for the page alone: those two lines as rows. */
ScopeReport *scope_address_report (const ScopeAddressInfo *info);

G_END_DECLS
