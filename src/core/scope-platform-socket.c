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
# include <sys/ioctl.h>
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

#if defined(G_OS_UNIX) && defined(SO_TIMESTAMPNS)
/* GIO hands over only the control messages a GType knows, and none knows
 * SCM_TIMESTAMPNS: the receive is recvmsg() itself, with GIO's errors.
 * Returns what recvmsg() does; errno is kept for the caller. */
static gssize
receive_stamped (GSocket                 *socket,
                 struct sockaddr_storage *address,
                 socklen_t               *address_length,
                 guint8                  *buffer,
                 gsize                    size,
                 int                      flags,
                 gint64                  *arrived_real_us)
{
  struct iovec vector = { buffer, size };
  union
  {
    struct cmsghdr align;
    char           bytes[CMSG_SPACE (sizeof (struct timespec))];
  } control;
  struct msghdr message = { 0, };
  gssize n;

  *arrived_real_us = -1;
  message.msg_name = address;
  message.msg_namelen = address != NULL ? sizeof *address : 0;
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  message.msg_control = control.bytes;
  message.msg_controllen = sizeof control.bytes;

  do
    n = recvmsg (g_socket_get_fd (socket), &message, flags);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return n;

  for (struct cmsghdr *c = CMSG_FIRSTHDR (&message); c != NULL; c = CMSG_NXTHDR (&message, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS
        && c->cmsg_len >= CMSG_LEN (sizeof (struct timespec)))
      {
        struct timespec stamp;

        memcpy (&stamp, CMSG_DATA (c), sizeof stamp);
        *arrived_real_us = (gint64) stamp.tv_sec * G_USEC_PER_SEC + stamp.tv_nsec / 1000;
      }
  if (address_length != NULL)
    *address_length = message.msg_namelen;
  return n;
}

static void
set_receive_error (GError **error,
                   int      errsv)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               /* GIO's own words, so that the error reads as its others do */
               "Error receiving data: %s", g_strerror (errsv));
}
#endif

gboolean
scope_platform_socket_count_datagrams (GSocket *socket,
                                       guint    max,
                                       guint   *datagrams,
                                       guint64 *bytes,
                                       gint64  *newest_real_us)
{
#if defined(__linux__) && defined(SO_PEEK_OFF) && defined(MSG_TRUNC) && defined(SO_TIMESTAMPNS)
  int fd = g_socket_get_fd (socket);
  int offset = 0;
  gboolean told = TRUE;
  guint8 byte;

  *datagrams = 0;
  *bytes = 0;
  *newest_real_us = -1;
  if (setsockopt (fd, SOL_SOCKET, SO_PEEK_OFF, &offset, sizeof offset) != 0)
    return FALSE;
  while (*datagrams < max)
    {
      gint64 stamp;
      /* Its whole size, however little is taken, and its stamp */
      gssize size = receive_stamped (socket, NULL, NULL, &byte, 1,
                                     MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC, &stamp);

      if (size < 0)
        {
          told = errno == EAGAIN || errno == EWOULDBLOCK;
          break;
        }
      (*datagrams)++;
      *bytes += (guint64) size;
      *newest_real_us = stamp;
    }
  offset = -1;
  if (setsockopt (fd, SOL_SOCKET, SO_PEEK_OFF, &offset, sizeof offset) != 0)
    g_warning ("SO_PEEK_OFF could not be turned off: %s", g_strerror (errno));
  return told;
#else
  return FALSE;
#endif
}

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
  socklen_t address_length = 0;
  gssize n = receive_stamped (socket, from != NULL ? &address : NULL, &address_length,
                              buffer, size, 0, arrived_real_us);

  if (n < 0)
    {
      set_receive_error (error, errno);
      return -1;
    }
  if (from != NULL)
    *from = address_length > 0 ? g_socket_address_new_from_native (&address, address_length)
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
scope_platform_socket_peek_arrival (GSocket *socket)
{
#if defined(G_OS_UNIX) && defined(SO_TIMESTAMPNS)
  guint8 byte;
  gint64 first_real_us;

  /* Linux stamps a read with the last segment it took: a read of one
   * byte, left in place, takes only the first. */
  if (receive_stamped (socket, NULL, NULL, &byte, 1, MSG_PEEK | MSG_DONTWAIT,
                       &first_real_us) <= 0)
    return -1;
  return first_real_us;
#else
  return -1;
#endif
}

gssize
scope_platform_socket_receive_stream (GSocket  *socket,
                                      guint8   *buffer,
                                      gsize     size,
                                      gint64   *first_real_us,
                                      gint64   *last_real_us,
                                      GError  **error)
{
#if defined(G_OS_UNIX) && defined(SO_TIMESTAMPNS)
  if (*first_real_us < 0)
    {
      guint8 byte;
      gssize n = receive_stamped (socket, NULL, NULL, &byte, 1, MSG_PEEK | MSG_DONTWAIT,
                                  first_real_us);

      /* Nothing waits, the end, or an error: what the receive would have
       * said, for a peek takes a pending error as a read does. */
      if (n <= 0)
        {
          *last_real_us = -1;
          if (n == 0)
            return 0;
          set_receive_error (error, errno);
          return -1;
        }
    }
#endif
  return scope_platform_socket_receive (socket, NULL, buffer, size, last_real_us, error);
}

#if defined(__linux__) && defined(TCP_INFO)
/* The kernel's TCP_INFO, or FALSE. */
static gboolean
tcp_info_of (GSocket         *socket,
             struct tcp_info *info)
{
  socklen_t length = sizeof *info;

  memset (info, 0, sizeof *info);
  return getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, info, &length) == 0
         && length >= (socklen_t) (G_STRUCT_OFFSET (struct tcp_info, tcpi_last_ack_recv)
                                   + sizeof info->tcpi_last_ack_recv);
}
#endif

/* The kernel keeps its times in its clock ticks and tells them in ms
 * ago: the last bytes (@data) or the last ACK the connection took, FIN
 * and handshake included. */
static gint64
last_received (GSocket  *socket,
               gboolean  data)
{
#if defined(__linux__) && defined(TCP_INFO)
  struct tcp_info info;
  gint64 now = g_get_real_time ();

  if (!tcp_info_of (socket, &info))
    return -1;
  return now - (gint64) (data ? info.tcpi_last_data_recv : info.tcpi_last_ack_recv) * 1000;
#else
  return -1;
#endif
}

gint64
scope_platform_socket_last_data_arrival (GSocket *socket)
{
  return last_received (socket, TRUE);
}

gint64
scope_platform_socket_last_arrival (GSocket *socket)
{
  return last_received (socket, FALSE);
}

gint64
scope_platform_socket_handshake_arrival (GSocket *socket)
{
#if defined(__linux__) && defined(TCP_INFO) && defined(FIONREAD)
  struct tcp_info info;
  gint64 now = g_get_real_time ();
  int waiting = 0;

  if (!tcp_info_of (socket, &info) || info.tcpi_state != TCP_ESTABLISHED
      || ioctl (g_socket_get_fd (socket), FIONREAD, &waiting) != 0 || waiting != 0)
    return -1;
  return now - (gint64) info.tcpi_last_ack_recv * 1000;
#else
  return -1;
#endif
}
