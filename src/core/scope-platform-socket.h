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

/* How many datagrams wait in a datagram socket's receive queue, at most
 * @max of them, their bytes, and when the newest of those counted arrived
 * (CLOCK_REALTIME µs, -1 when untold) (Linux: each peeked at once from the
 * offset SO_PEEK_OFF moves on, then the offset is off again); FALSE where
 * the system cannot tell (FIONREAD gives the next datagram's size only).
 * A datagram of no bytes may go uncounted. */
gboolean scope_platform_socket_count_datagrams (GSocket *socket,
                                                guint    max,
                                                guint   *datagrams,
                                                guint64 *bytes,
                                                gint64  *newest_real_us);

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

/* For a stream socket, the kernel's stamp of the first bytes waiting to be
 * read, which stay waiting (Linux: a one-byte MSG_PEEK, for a read is
 * stamped with the last segment it took), as CLOCK_REALTIME µs; -1 when
 * there is none. Linux merges a segment into the one waiting before it,
 * and the merged one keeps the later stamp: taken as the first bytes come,
 * before more do, the stamp is theirs. Only when bytes wait
 * (g_socket_get_available_bytes()): with none, a peek takes a pending
 * error, as a read does, and the error would go untold. */
gint64   scope_platform_socket_peek_arrival      (GSocket         *socket);

/* A stream's receive, as scope_platform_socket_receive() does it, with
 * the stamps of the first bytes it took and of the last. @first_real_us:
 * (inout): when >= 0, taken as the bytes came (above) and kept; otherwise
 * peeked at before the receive, -1 when there is none. The peek tells what
 * the receive would: nothing waiting (%G_IO_ERROR_WOULD_BLOCK, without a
 * receive), the end (0), an error. */
gssize   scope_platform_socket_receive_stream    (GSocket         *socket,
                                                  guint8          *buffer,
                                                  gsize            size,
                                                  gint64          *first_real_us,
                                                  gint64          *last_real_us,
                                                  GError         **error);

/* For an accept and a zero-byte read, which carry no stamp: about when the
 * last segment came in on a TCP connection, from TCP_INFO (Linux: the
 * kernel's clock ticks, 1 to 10 ms), as CLOCK_REALTIME µs; -1 where the
 * system does not say. */
gint64   scope_platform_socket_last_arrival      (GSocket         *socket);

/* For bytes waiting unread: about when the last bytes came in, the same
 * way (not an ACK's); -1 where the system does not say. */
gint64   scope_platform_socket_last_data_arrival (GSocket         *socket);

/* For a connection just accepted: about when its handshake completed, the
 * same way; -1 when bytes or its end came since (they moved the kernel's
 * time on), or where the system does not say. */
gint64   scope_platform_socket_handshake_arrival (GSocket         *socket);

G_END_DECLS
