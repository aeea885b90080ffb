/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#ifdef __linux__
# include <netinet/in.h>
# include <netinet/tcp.h>
# include <sys/socket.h>
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
