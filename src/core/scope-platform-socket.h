/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the kernel knows of one socket and says only through options that
 * differ between systems: kept apart from scope-platform.h, whose calls
 * block, for these are quick and run on the main loop. */

/* How many connections wait in a listening TCP socket's accept queue, and
 * its limit (Linux: TCP_INFO, which for a listener gives sk_ack_backlog in
 * tcpi_unacked and sk_max_ack_backlog in tcpi_sacked); FALSE where the
 * system does not say. */
gboolean scope_platform_listen_queue (int    fd,
                                      guint *waiting,
                                      guint *limit);

G_END_DECLS
