/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-report.h"

G_BEGIN_DECLS

/* The socket constants of this platform, once for the Ports page and the
 * command line's "constants":
 *  - a section "constants" for each group (its title, its explanation for
 *    the page), with the constants whose name begins with @prefix, without
 *    regard to case: the text shows a table each, the JSON one array;
 *  - the member "default_socket": what a plain socket() makes here;
 *  - with no @prefix, the same in a line, and section "plain_socket" for
 *    the page alone: its family, type and protocol as rows, or why the
 *    kernel could not say. */
ScopeReport *scope_constants_report (const char *prefix);

G_END_DECLS
