/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#ifdef __linux__
# include <netinet/in.h>
# include <sys/socket.h>
# include <linux/errqueue.h>
#endif

#include "scope-address.h"
#include "scope-client-private.h"
#include "scope-errors.h"

/* UDP's own: the routed source address the client binds, the ICMP errors
 * its datagrams cause, whose datagrams are the answer, and what fits in
 * one datagram. */

#if defined(__linux__) && defined(IP_RECVERR) && defined(IPV6_RECVERR)

/* An unconnected UDP socket hears nothing of the ICMP errors its datagrams
 * cause (a port unreachable, say) unless it asks: with IP_RECVERR the
 * system keeps them in the socket's error queue. The socket stays
 * unconnected, so every datagram is still a sendto and a recvfrom. */
void
_scope_client_ask_for_icmp_errors (GSocket *socket)
{
  if (g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_RECVERR, 1, NULL);
  else
    g_socket_set_option (socket, IPPROTO_IP, IP_RECVERR, 1, NULL);
}

static GError *
describe_icmp_error (const struct sock_extended_err *extended,
                     const struct sockaddr_storage  *destination,
                     socklen_t                       destination_length)
{
  const struct sockaddr *offender = SO_EE_OFFENDER (extended);
  g_autoptr(GSocketAddress) to = NULL;
  g_autofree char *to_shown = NULL;
  g_autofree char *words = scope_errno_describe ((int) extended->ee_errno);
  int code = g_io_error_from_errno ((int) extended->ee_errno);

  to = g_socket_address_new_from_native ((gpointer) destination, destination_length);
  to_shown = to != NULL ? scope_socket_address_to_string (to) : g_strdup ("?");
  if ((extended->ee_origin == SO_EE_ORIGIN_ICMP || extended->ee_origin == SO_EE_ORIGIN_ICMP6)
      && (offender->sa_family == AF_INET || offender->sa_family == AF_INET6))
    {
      gsize length = offender->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6)
                                                     : sizeof (struct sockaddr_in);
      g_autoptr(GSocketAddress) from =
        g_socket_address_new_from_native ((gpointer) offender, length);
      g_autofree char *from_shown = NULL;

      if (from != NULL)
        from_shown = g_inet_address_to_string (
          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (from)));
      if (from_shown != NULL)
        /* Translators: the host that sent an ICMP error, the address the
         * datagram went to, then the error in words and its errno name */
        return g_error_new (G_IO_ERROR, code, _("%s answered the datagram to %s with an ICMP "
                                                "error: %s"), from_shown, to_shown, words);
    }
  /* Translators: the address a datagram went to, then the error in words
   * and its errno name */
  return g_error_new (G_IO_ERROR, code, _("The datagram to %s came back with an error: %s"),
                      to_shown, words);
}

/* Empties the error queue, whose entries keep poll() saying there is an
 * error until they are read, and returns what the first one says. */
GError *
_scope_client_take_icmp_error (ScopeClient *self)
{
  int fd = g_socket_get_fd (self->socket);
  GError *error = NULL;

  /* The queue is bounded by the socket's receive buffer; what is left past
   * this many is read at the next dispatch. */
  for (guint i = 0; i < 64; i++)
    {
      struct sockaddr_storage destination;
      union { char buffer[512]; struct cmsghdr align; } control;
      char byte;
      struct iovec vector = { &byte, sizeof byte };
      struct msghdr message = { 0 };

      message.msg_name = &destination;
      message.msg_namelen = sizeof destination;
      message.msg_iov = &vector;
      message.msg_iovlen = 1;
      message.msg_control = control.buffer;
      message.msg_controllen = sizeof control.buffer;
      if (recvmsg (fd, &message, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
        break;
      for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&message); cmsg != NULL && error == NULL;
           cmsg = CMSG_NXTHDR (&message, cmsg))
        if ((cmsg->cmsg_level == SOL_IP && cmsg->cmsg_type == IP_RECVERR)
            || (cmsg->cmsg_level == SOL_IPV6 && cmsg->cmsg_type == IPV6_RECVERR))
          error = describe_icmp_error ((const struct sock_extended_err *) CMSG_DATA (cmsg),
                                       &destination, message.msg_namelen);
    }
  return error;
}
#else
void
_scope_client_ask_for_icmp_errors (GSocket *socket)
{
}

GError *
_scope_client_take_icmp_error (ScopeClient *self)
{
  return NULL;
}
#endif

/* A UDP call failed: what ICMP said, where the system kept it, tells more
 * than the bare errno. */
void
_scope_client_fail_datagram (ScopeClient  *self,
                             const GError *error)
{
  g_autoptr(GError) icmp = _scope_client_take_icmp_error (self);

  if (icmp != NULL)
    _scope_client_fail_said (self, icmp);
  else
    _scope_client_fail (self, error);
}

gboolean
_scope_client_same_peer (GSocketAddress *a,
                         GSocketAddress *b)
{
  if (!G_IS_INET_SOCKET_ADDRESS (a) || !G_IS_INET_SOCKET_ADDRESS (b))
    return FALSE;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (a))
         == g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (b))
         && g_inet_address_equal (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (a)),
                                  g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (b)));
}

/* The address the system sends from to @target, port 0: a UDP socket
 * connected to it learns that from the routing table, and sends nothing.
 * 127.0.0.1 or ::1 for a target on this machine's loopback. */
GSocketAddress *
_scope_client_routed_source (GSocketAddress  *target,
                             GError         **error)
{
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GInetSocketAddress *inet;

  probe = g_socket_new (g_socket_address_get_family (target), G_SOCKET_TYPE_DATAGRAM,
                        G_SOCKET_PROTOCOL_DEFAULT, error);
  if (probe == NULL || !g_socket_connect (probe, target, NULL, error))
    return NULL;
  local = g_socket_get_local_address (probe, error);
  if (local == NULL)
    return NULL;
  inet = G_INET_SOCKET_ADDRESS (local);
  if (g_socket_address_get_family (local) != G_SOCKET_FAMILY_IPV6)
    return g_inet_socket_address_new (g_inet_socket_address_get_address (inet), 0);
  /* The scope of a link-local address goes with it. */
  return g_object_new (G_TYPE_INET_SOCKET_ADDRESS,
                       "address", g_inet_socket_address_get_address (inet),
                       "port", 0,
                       "scope-id", g_inet_socket_address_get_scope_id (inet),
                       NULL);
}

gboolean
scope_client_check_datagrams (gsize    size,
                              gsize    chunk_size,
                              GError **error)
{
  gsize largest = chunk_size > 0 ? MIN (chunk_size, size) : size;
  g_autofree char *bytes = NULL;

  if (largest <= SCOPE_UDP_MAX_PAYLOAD)
    return TRUE;
  bytes = g_strdup_printf ("%" G_GSIZE_FORMAT, largest);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               /* Translators: a number of bytes, then the most a datagram holds, twice */
               _("A datagram of %s bytes is too long: one UDP datagram holds at most %d bytes. "
                 "Send it in chunks of at most %d (EMSGSIZE)"),
               bytes, SCOPE_UDP_MAX_PAYLOAD, SCOPE_UDP_MAX_PAYLOAD);
  return FALSE;
}
