/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loopback peers for the tests of servers and rows. */
#pragma once

#include <gio/gio.h>

/* A TCP connect to 127.0.0.1:@port that does not wait: a listener whose
 * queue is full leaves it in SYN-SENT, as S17 shows. */
static inline GSocket *
loopback_connect_pending (guint16 port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;
  GSocket *peer = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                G_SOCKET_PROTOCOL_DEFAULT, &error);

  g_assert_no_error (error);
  g_socket_set_blocking (peer, FALSE);
  if (!g_socket_connect (peer, address, NULL, &error))
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  return peer;
}

/* A TCP peer connected to 127.0.0.1:@port: the connect above, waited for.
 * It stays non-blocking, so that the test reads what has come without
 * waiting for more. */
static inline GSocket *
loopback_connect (guint16 port)
{
  g_autoptr(GError) error = NULL;
  GSocket *peer = loopback_connect_pending (port);

  g_assert_true (g_socket_condition_wait (peer, G_IO_OUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_check_connect_result (peer, &error));
  g_assert_no_error (error);
  return peer;
}

/* The other side: a test's own non-blocking listener, and the connection
 * it has accepted once loopback_accepted_one() says so. */
typedef struct
{
  GSocket *listener;
  GSocket *accepted;
} LoopbackAcceptor;

/* For a test's waiting loop: accepts when a connection has come. */
static inline gboolean
loopback_accepted_one (gpointer data)
{
  LoopbackAcceptor *a = data;

  if (a->accepted == NULL)
    a->accepted = g_socket_accept (a->listener, NULL, NULL);
  return a->accepted != NULL;
}

/* A TCP port of 127.0.0.1 that no one listens on now: the system's choice,
 * let go. */
static inline guint16
loopback_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_DEFAULT, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}
