/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib.h>

#ifdef G_OS_UNIX
# include <netinet/in.h>
# include <sys/socket.h>
#endif
#ifdef __linux__
# include <netinet/tcp.h>
#endif

#include "scope-platform-socket.h"

gboolean
scope_platform_listen_queue (int    fd,
                             guint *waiting,
                             guint *limit)
{
#if defined(__linux__) && defined(TCP_INFO)
  struct tcp_info info = { 0, };
  socklen_t length = sizeof info;

  if (getsockopt (fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0
      || length < (socklen_t) (G_STRUCT_OFFSET (struct tcp_info, tcpi_sacked)
                               + sizeof info.tcpi_sacked)
      || info.tcpi_state != TCP_LISTEN)
    return FALSE;
  *waiting = info.tcpi_unacked;
  *limit = info.tcpi_sacked;
  return TRUE;
#else
  return FALSE;
#endif
}

gboolean
scope_platform_socket_enable_timestamps (GSocket *socket)
{
#ifdef SO_TIMESTAMPNS
  return g_socket_set_option (socket, SOL_SOCKET, SO_TIMESTAMPNS, 1, NULL);
#else
  return FALSE;
#endif
}

/* GIO hands over only the control messages a GType knows, and none knows
 * SCM_TIMESTAMPNS: the receive is recvmsg() itself, with GIO's errors. */
gssize
scope_platform_socket_receive (GSocket         *socket,
                               GSocketAddress **from,
                               guint8          *buffer,
                               gsize            size,
                               gint64          *arrived_real_us,
                               GError         **error)
{
#if defined(G_OS_UNIX) && defined(SO_TIMESTAMPNS)
  struct sockaddr_storage address;
  struct iovec vector = { buffer, size };
  union
  {
    struct cmsghdr align;
    char           bytes[CMSG_SPACE (sizeof (struct timespec))];
  } control;
  struct msghdr message = { 0, };
  gssize n;

  *arrived_real_us = -1;
  message.msg_name = from != NULL ? &address : NULL;
  message.msg_namelen = from != NULL ? sizeof address : 0;
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  message.msg_control = control.bytes;
  message.msg_controllen = sizeof control.bytes;

  do
    n = recvmsg (g_socket_get_fd (socket), &message, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   /* GIO's own words, so that the error reads as its others do */
                   "Error receiving data: %s", g_strerror (errsv));
      return -1;
    }

  for (struct cmsghdr *c = CMSG_FIRSTHDR (&message); c != NULL; c = CMSG_NXTHDR (&message, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS
        && c->cmsg_len >= CMSG_LEN (sizeof (struct timespec)))
      {
        struct timespec stamp;

        memcpy (&stamp, CMSG_DATA (c), sizeof stamp);
        *arrived_real_us = (gint64) stamp.tv_sec * G_USEC_PER_SEC + stamp.tv_nsec / 1000;
      }

  if (from != NULL)
    *from = message.msg_namelen > 0 ? g_socket_address_new_from_native (&address,
                                                                        message.msg_namelen)
                                    : NULL;
  return n;
#else
  *arrived_real_us = -1;
  if (from != NULL)
    return g_socket_receive_from (socket, from, (char *) buffer, size, NULL, error);
  return g_socket_receive (socket, (char *) buffer, size, NULL, error);
#endif
}

gint64
scope_platform_socket_last_arrival (GSocket *socket)
{
#if defined(__linux__) && defined(TCP_INFO)
  struct tcp_info info = { 0, };
  socklen_t length = sizeof info;
  gint64 now = g_get_real_time ();

  if (getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &length) != 0
      || length < (socklen_t) (G_STRUCT_OFFSET (struct tcp_info, tcpi_last_ack_recv)
                               + sizeof info.tcpi_last_ack_recv))
    return -1;
  return now - (gint64) info.tcpi_last_ack_recv * 1000;
#else
  return -1;
#endif
}
