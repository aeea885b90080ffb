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

/* Asks the kernel to stamp each datagram or segment with when it arrived
 * (Linux: SO_TIMESTAMPNS); FALSE where the system does not. */
gboolean scope_platform_socket_enable_timestamps (GSocket *socket);

/* One receive, as g_socket_receive_from() does it, and with the kernel's
 * stamp of when the bytes arrived: @arrived_real_us (CLOCK_REALTIME, µs)
 * is -1 when there is none (stamps not enabled, a zero-byte read, a
 * system that gives none). @from: (out) (optional) (transfer full). */
gssize   scope_platform_socket_receive           (GSocket         *socket,
                                                  GSocketAddress **from,
                                                  guint8          *buffer,
                                                  gsize            size,
                                                  gint64          *arrived_real_us,
                                                  GError         **error);

/* For an accept and a zero-byte read, which carry no stamp: about when the
 * last segment came in on a TCP connection, from TCP_INFO (Linux: the
 * kernel's clock ticks, 1 to 10 ms), as CLOCK_REALTIME µs; -1 where the
 * system does not say. */
gint64   scope_platform_socket_last_arrival      (GSocket         *socket);

G_END_DECLS
