/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>

#ifdef G_OS_UNIX
# include <netdb.h>
# include <netinet/in.h>
# include <sys/socket.h>
# include <unistd.h>
#else
# include <winsock2.h>
# include <ws2tcpip.h>
#endif

#include "scope-constants.h"
#include "scope-errors.h"

/* The constants of the socket interface, as the lecture notes list them
 * with Python's help: each one this build's headers define, with the value
 * it has here. A constant the platform lacks is simply not listed. */

enum {
  GROUP_AF,
  GROUP_SOCK,
  GROUP_IPPROTO,
  GROUP_SOL,
  GROUP_SO,
  GROUP_AI,
  GROUP_NI,
  GROUP_MSG,
  GROUP_SHUT,
  N_GROUPS
};

static const ScopeConstantGroup groups[N_GROUPS] = {
  [GROUP_AF] = { "AF_", N_("Address families"),
                 N_("The first argument of socket(): which kind of address the socket uses.") },
  [GROUP_SOCK] = { "SOCK_", N_("Socket types"),
                   N_("The second argument of socket(): how the data travels, as a stream of "
                      "bytes, as separate datagrams or as raw packets.") },
  [GROUP_IPPROTO] = { "IPPROTO_", N_("Protocols"),
                      N_("The third argument of socket(): the protocol above IP. 0 lets the "
                         "system choose the one the socket type implies.") },
  [GROUP_SOL] = { "SOL_", N_("Option levels"),
                  N_("The second argument of setsockopt() and getsockopt(): which layer an "
                     "option belongs to.") },
  [GROUP_SO] = { "SO_", N_("Socket options"),
                 N_("Options of the socket layer, set with setsockopt(s, SOL_SOCKET, option, "
                    "value).") },
  [GROUP_AI] = { "AI_", N_("getaddrinfo() flags"),
                 N_("The ai_flags of getaddrinfo()’s hints, combined with |.") },
  [GROUP_NI] = { "NI_", N_("getnameinfo() flags"),
                 N_("The flags of getnameinfo(), combined with |.") },
  [GROUP_MSG] = { "MSG_", N_("send() and recv() flags"),
                  N_("The last argument of send(), recv() and their kin, combined with |.") },
  [GROUP_SHUT] = { "SHUT_", N_("shutdown() directions"),
                   N_("The second argument of shutdown(): which way of the connection ends.") },
};

#define K(sym, group, meaning) { #sym, (gint64) (sym), group, meaning }

static const ScopeSocketConstant constants[] = {
#ifdef AF_UNSPEC
  K (AF_UNSPEC, GROUP_AF, N_("Any family: getaddrinfo() may answer with IPv4 and IPv6")),
#endif
#ifdef AF_UNIX
  K (AF_UNIX, GROUP_AF, N_("Unix domain sockets: a path on this machine, no network involved")),
#endif
#ifdef AF_LOCAL
  K (AF_LOCAL, GROUP_AF, N_("Another name for AF_UNIX")),
#endif
#ifdef AF_INET
  K (AF_INET, GROUP_AF, N_("IPv4: four-byte addresses such as 192.0.2.1, with a port")),
#endif
#ifdef AF_INET6
  K (AF_INET6, GROUP_AF,
     N_("IPv6: sixteen-byte addresses such as 2001:db8::1, with a port, flow label and scope id")),
#endif
#ifdef AF_PACKET
  K (AF_PACKET, GROUP_AF, N_("Raw frames of a network interface, below IP (Linux)")),
#endif
#ifdef AF_NETLINK
  K (AF_NETLINK, GROUP_AF,
     N_("Messages between programs and the Linux kernel, such as the routing table")),
#endif
#ifdef AF_ROUTE
  K (AF_ROUTE, GROUP_AF, N_("The routing table, as BSD systems name it")),
#endif
#ifdef AF_BLUETOOTH
  K (AF_BLUETOOTH, GROUP_AF, N_("Bluetooth")),
#endif
#ifdef AF_CAN
  K (AF_CAN, GROUP_AF, N_("Controller Area Network, the bus of cars and machines")),
#endif
#ifdef AF_VSOCK
  K (AF_VSOCK, GROUP_AF, N_("Between a virtual machine and its host")),
#endif
#ifdef AF_TIPC
  K (AF_TIPC, GROUP_AF, N_("TIPC, for clusters")),
#endif
#ifdef AF_ALG
  K (AF_ALG, GROUP_AF, N_("The kernel's cryptography, as a socket (Linux)")),
#endif
#ifdef AF_KEY
  K (AF_KEY, GROUP_AF, N_("IPsec key management")),
#endif
#ifdef AF_RDS
  K (AF_RDS, GROUP_AF, N_("Reliable Datagram Sockets")),
#endif
#ifdef AF_APPLETALK
  K (AF_APPLETALK, GROUP_AF, N_("AppleTalk, Apple's old network protocols")),
#endif
#ifdef AF_IPX
  K (AF_IPX, GROUP_AF, N_("IPX, Novell's old network protocol")),
#endif
#ifdef AF_DECnet
  K (AF_DECnet, GROUP_AF, N_("DECnet, Digital's old network protocols")),
#endif
#ifdef AF_SNA
  K (AF_SNA, GROUP_AF, N_("SNA, IBM's old network architecture")),
#endif
#ifdef AF_X25
  K (AF_X25, GROUP_AF, N_("X.25, an old packet-switched network")),
#endif
#ifdef AF_AX25
  K (AF_AX25, GROUP_AF, N_("AX.25, packet radio of radio amateurs")),
#endif
#ifdef AF_IRDA
  K (AF_IRDA, GROUP_AF, N_("IrDA, infrared links")),
#endif
#ifdef AF_BRIDGE
  K (AF_BRIDGE, GROUP_AF, N_("Ethernet bridges, in the kernel")),
#endif
#ifdef AF_LLC
  K (AF_LLC, GROUP_AF, N_("Logical Link Control, IEEE 802.2")),
#endif
#ifdef SOCK_STREAM
  K (SOCK_STREAM, GROUP_SOCK,
     N_("A reliable, ordered stream of bytes with no message boundaries: TCP for IP")),
#endif
#ifdef SOCK_DGRAM
  K (SOCK_DGRAM, GROUP_SOCK,
     N_("Separate messages (datagrams) that may be lost, repeated or reordered: UDP for IP")),
#endif
#ifdef SOCK_RAW
  K (SOCK_RAW, GROUP_SOCK,
     N_("Raw packets of a protocol, headers and all; needs administrator rights")),
#endif
#ifdef SOCK_SEQPACKET
  K (SOCK_SEQPACKET, GROUP_SOCK,
     N_("A reliable, ordered connection that keeps message boundaries (SCTP, Unix)")),
#endif
#ifdef SOCK_RDM
  K (SOCK_RDM, GROUP_SOCK, N_("Reliable datagrams that may arrive out of order")),
#endif
#ifdef SOCK_NONBLOCK
  K (SOCK_NONBLOCK, GROUP_SOCK, N_("Added to the type: the socket starts non-blocking (Linux)")),
#endif
#ifdef SOCK_CLOEXEC
  K (SOCK_CLOEXEC, GROUP_SOCK,
     N_("Added to the type: the socket is closed when the process calls exec() (Linux)")),
#endif
#ifdef IPPROTO_IP
  K (IPPROTO_IP, GROUP_IPPROTO, N_("0: the protocol the socket type implies")),
#endif
#ifdef IPPROTO_TCP
  K (IPPROTO_TCP, GROUP_IPPROTO,
     N_("TCP, the Transmission Control Protocol: streams, resent when lost")),
#endif
#ifdef IPPROTO_UDP
  K (IPPROTO_UDP, GROUP_IPPROTO, N_("UDP, the User Datagram Protocol: datagrams, never resent")),
#endif
#ifdef IPPROTO_ICMP
  K (IPPROTO_ICMP, GROUP_IPPROTO,
     N_("ICMP, the Internet Control Message Protocol: ping and error reports")),
#endif
#ifdef IPPROTO_ICMPV6
  K (IPPROTO_ICMPV6, GROUP_IPPROTO, N_("ICMP for IPv6")),
#endif
#ifdef IPPROTO_IPV6
  K (IPPROTO_IPV6, GROUP_IPPROTO, N_("IPv6 options, or IPv6 carried in IPv4")),
#endif
#ifdef IPPROTO_RAW
  K (IPPROTO_RAW, GROUP_IPPROTO, N_("Raw IP packets: the program writes the IP header itself")),
#endif
#ifdef IPPROTO_SCTP
  K (IPPROTO_SCTP, GROUP_IPPROTO,
     N_("SCTP, the Stream Control Transmission Protocol: messages in several streams")),
#endif
#ifdef IPPROTO_UDPLITE
  K (IPPROTO_UDPLITE, GROUP_IPPROTO,
     N_("UDP-Lite: UDP whose checksum may cover only part of the data")),
#endif
#ifdef IPPROTO_MPTCP
  K (IPPROTO_MPTCP, GROUP_IPPROTO, N_("Multipath TCP: one connection over several paths (Linux)")),
#endif
#ifdef IPPROTO_IGMP
  K (IPPROTO_IGMP, GROUP_IPPROTO, N_("IGMP, which IPv4 multicast groups are joined with")),
#endif
#ifdef IPPROTO_GRE
  K (IPPROTO_GRE, GROUP_IPPROTO, N_("GRE tunnels")),
#endif
#ifdef IPPROTO_ESP
  K (IPPROTO_ESP, GROUP_IPPROTO, N_("IPsec's Encapsulating Security Payload")),
#endif
#ifdef IPPROTO_AH
  K (IPPROTO_AH, GROUP_IPPROTO, N_("IPsec's Authentication Header")),
#endif
#ifdef IPPROTO_IPIP
  K (IPPROTO_IPIP, GROUP_IPPROTO, N_("IPv4 carried in IPv4, a tunnel")),
#endif
#ifdef IPPROTO_PIM
  K (IPPROTO_PIM, GROUP_IPPROTO, N_("PIM, multicast routing")),
#endif
#ifdef IPPROTO_EGP
  K (IPPROTO_EGP, GROUP_IPPROTO, N_("EGP, an early routing protocol between networks")),
#endif
#ifdef SOL_SOCKET
  K (SOL_SOCKET, GROUP_SOL, N_("Options of the socket itself, whatever its protocol")),
#endif
#ifdef SOL_IP
  K (SOL_IP, GROUP_SOL, N_("IPv4 options (the same number as IPPROTO_IP)")),
#endif
#ifdef SOL_IPV6
  K (SOL_IPV6, GROUP_SOL, N_("IPv6 options (the same number as IPPROTO_IPV6)")),
#endif
#ifdef SOL_TCP
  K (SOL_TCP, GROUP_SOL, N_("TCP options (the same number as IPPROTO_TCP)")),
#endif
#ifdef SOL_UDP
  K (SOL_UDP, GROUP_SOL, N_("UDP options (the same number as IPPROTO_UDP)")),
#endif
#ifdef SO_REUSEADDR
  K (SO_REUSEADDR, GROUP_SO,
     N_("Bind a port again at once, while old connections on it are still closing")),
#endif
#ifdef SO_REUSEPORT
  K (SO_REUSEPORT, GROUP_SO,
     N_("Let several sockets bind the same port, the kernel sharing connections among them")),
#endif
#ifdef SO_KEEPALIVE
  K (SO_KEEPALIVE, GROUP_SO,
     N_("Probe an idle connection now and then, to notice a peer that has gone")),
#endif
#ifdef SO_BROADCAST
  K (SO_BROADCAST, GROUP_SO, N_("Allow sending datagrams to a broadcast address")),
#endif
#ifdef SO_LINGER
  K (SO_LINGER, GROUP_SO, N_("How close() waits for data not yet sent")),
#endif
#ifdef SO_RCVBUF
  K (SO_RCVBUF, GROUP_SO, N_("The size of the receive buffer, in bytes")),
#endif
#ifdef SO_SNDBUF
  K (SO_SNDBUF, GROUP_SO, N_("The size of the send buffer, in bytes")),
#endif
#ifdef SO_RCVTIMEO
  K (SO_RCVTIMEO, GROUP_SO, N_("How long a blocking receive waits before giving up")),
#endif
#ifdef SO_SNDTIMEO
  K (SO_SNDTIMEO, GROUP_SO, N_("How long a blocking send waits before giving up")),
#endif
#ifdef SO_RCVLOWAT
  K (SO_RCVLOWAT, GROUP_SO, N_("How many bytes must be waiting before a receive returns")),
#endif
#ifdef SO_SNDLOWAT
  K (SO_SNDLOWAT, GROUP_SO, N_("How much buffer space must be free before a send goes on")),
#endif
#ifdef SO_ERROR
  K (SO_ERROR, GROUP_SO,
     N_("Read it to get, and clear, the socket's pending error: how a non-blocking connect() "
        "reports failure")),
#endif
#ifdef SO_TYPE
  K (SO_TYPE, GROUP_SO, N_("Read it to get the socket's type, such as SOCK_STREAM")),
#endif
#ifdef SO_DOMAIN
  K (SO_DOMAIN, GROUP_SO, N_("Read it to get the socket's family, such as AF_INET (Linux)")),
#endif
#ifdef SO_PROTOCOL
  K (SO_PROTOCOL, GROUP_SO,
     N_("Read it to get the protocol the system chose, such as IPPROTO_TCP (Linux)")),
#endif
#ifdef SO_ACCEPTCONN
  K (SO_ACCEPTCONN, GROUP_SO, N_("Read it to learn whether the socket is listening")),
#endif
#ifdef SO_OOBINLINE
  K (SO_OOBINLINE, GROUP_SO, N_("Receive urgent (out-of-band) data in the normal stream")),
#endif
#ifdef SO_DONTROUTE
  K (SO_DONTROUTE, GROUP_SO, N_("Send only to hosts on a directly connected network")),
#endif
#ifdef SO_DEBUG
  K (SO_DEBUG, GROUP_SO, N_("Ask the protocol to record debugging information")),
#endif
#ifdef SO_PRIORITY
  K (SO_PRIORITY, GROUP_SO, N_("The priority of the socket's packets on this machine (Linux)")),
#endif
#ifdef SO_BINDTODEVICE
  K (SO_BINDTODEVICE, GROUP_SO, N_("Send and receive only through one network interface (Linux)")),
#endif
#ifdef SO_PEERCRED
  K (SO_PEERCRED, GROUP_SO,
     N_("Read it to learn which process is at the other end of a Unix socket (Linux)")),
#endif
#ifdef SO_MARK
  K (SO_MARK, GROUP_SO, N_("A mark on outgoing packets, for the firewall and routing (Linux)")),
#endif
#ifdef AI_PASSIVE
  K (AI_PASSIVE, GROUP_AI,
     N_("Addresses for a server to bind: the wildcard address when no host is given")),
#endif
#ifdef AI_CANONNAME
  K (AI_CANONNAME, GROUP_AI, N_("Also give the canonical name of the host")),
#endif
#ifdef AI_NUMERICHOST
  K (AI_NUMERICHOST, GROUP_AI, N_("The host must be a literal address: no name is looked up")),
#endif
#ifdef AI_NUMERICSERV
  K (AI_NUMERICSERV, GROUP_AI,
     N_("The service must be a port number: no services database lookup")),
#endif
#ifdef AI_ADDRCONFIG
  K (AI_ADDRCONFIG, GROUP_AI, N_("Only families this machine has a configured address of")),
#endif
#ifdef AI_V4MAPPED
  K (AI_V4MAPPED, GROUP_AI,
     N_("For IPv6 with no IPv6 address, give IPv4-mapped ones (::ffff:192.0.2.1)")),
#endif
#ifdef AI_ALL
  K (AI_ALL, GROUP_AI, N_("With AI_V4MAPPED, give both IPv6 and IPv4-mapped addresses")),
#endif
#ifdef NI_NUMERICHOST
  K (NI_NUMERICHOST, GROUP_NI, N_("Give the address as text: look nothing up")),
#endif
#ifdef NI_NUMERICSERV
  K (NI_NUMERICSERV, GROUP_NI, N_("Give the port as a number: no services database lookup")),
#endif
#ifdef NI_NAMEREQD
  K (NI_NAMEREQD, GROUP_NI, N_("Fail when the address has no name, rather than give it as text")),
#endif
#ifdef NI_NOFQDN
  K (NI_NOFQDN, GROUP_NI, N_("For a host of this domain, give only its first label")),
#endif
#ifdef NI_DGRAM
  K (NI_DGRAM, GROUP_NI, N_("Look the port up as a UDP service, not TCP")),
#endif
#ifdef MSG_PEEK
  K (MSG_PEEK, GROUP_MSG,
     N_("Look at waiting data without taking it: the next receive gets it again")),
#endif
#ifdef MSG_WAITALL
  K (MSG_WAITALL, GROUP_MSG, N_("Wait until the whole buffer is filled, not just part of it")),
#endif
#ifdef MSG_DONTWAIT
  K (MSG_DONTWAIT, GROUP_MSG, N_("This one call does not block, whatever the socket's mode")),
#endif
#ifdef MSG_OOB
  K (MSG_OOB, GROUP_MSG, N_("Send or receive urgent (out-of-band) data")),
#endif
#ifdef MSG_NOSIGNAL
  K (MSG_NOSIGNAL, GROUP_MSG,
     N_("Do not raise SIGPIPE when the peer has closed: fail with EPIPE instead (Linux)")),
#endif
#ifdef MSG_MORE
  K (MSG_MORE, GROUP_MSG, N_("More data follows: hold this back to send it together (Linux)")),
#endif
#ifdef MSG_TRUNC
  K (MSG_TRUNC, GROUP_MSG, N_("The datagram was longer than the buffer, and the rest is lost")),
#endif
#ifdef MSG_CTRUNC
  K (MSG_CTRUNC, GROUP_MSG, N_("Control data was longer than its buffer")),
#endif
#ifdef MSG_EOR
  K (MSG_EOR, GROUP_MSG, N_("End of a record, for SOCK_SEQPACKET")),
#endif
#ifdef MSG_DONTROUTE
  K (MSG_DONTROUTE, GROUP_MSG, N_("Send only to hosts on a directly connected network")),
#endif
#ifdef MSG_CONFIRM
  K (MSG_CONFIRM, GROUP_MSG, N_("Tell the link layer that the peer answered (Linux)")),
#endif
#ifdef MSG_ERRQUEUE
  K (MSG_ERRQUEUE, GROUP_MSG, N_("Receive from the socket's queue of errors (Linux)")),
#endif
#ifdef MSG_FASTOPEN
  K (MSG_FASTOPEN, GROUP_MSG,
     N_("Send data with the connection's first packet: TCP Fast Open (Linux)")),
#endif
#ifdef MSG_CMSG_CLOEXEC
  K (MSG_CMSG_CLOEXEC, GROUP_MSG,
     N_("Descriptors received over a Unix socket are closed when the process calls exec() "
        "(Linux)")),
#endif
#ifdef SHUT_RD
  K (SHUT_RD, GROUP_SHUT, N_("Stop receiving: further receives return nothing")),
#endif
#ifdef SHUT_WR
  K (SHUT_WR, GROUP_SHUT,
     N_("Stop sending: the peer's next receive returns 0 bytes, the end of the stream")),
#endif
#ifdef SHUT_RDWR
  K (SHUT_RDWR, GROUP_SHUT, N_("Stop both sending and receiving")),
#endif
};

const ScopeConstantGroup *
scope_constant_groups (guint *n_groups)
{
  *n_groups = N_GROUPS;
  return groups;
}

const ScopeSocketConstant *
scope_socket_constants (guint *n_constants)
{
  *n_constants = G_N_ELEMENTS (constants);
  return constants;
}

const char *
scope_socket_constant_name_for (const char *prefix,
                                gint64      value)
{
  for (gsize i = 0; i < G_N_ELEMENTS (constants); i++)
    if (constants[i].value == value && g_str_has_prefix (constants[i].name, prefix))
      return constants[i].name;
  return "?";
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *folded_haystack = g_utf8_casefold (haystack, -1);
  g_autofree char *folded_needle = g_utf8_casefold (needle, -1);

  return strstr (folded_haystack, folded_needle) != NULL;
}

gboolean
scope_socket_constant_matches (const ScopeSocketConstant *constant,
                               const char                *query)
{
  g_return_val_if_fail (constant != NULL, FALSE);

  if (query == NULL || query[0] == '\0')
    return TRUE;
  if (strspn (query, "0123456789") == strlen (query))
    {
      gint64 value;

      if (g_ascii_string_to_signed (query, 10, G_MININT64, G_MAXINT64, &value, NULL)
          && value == constant->value)
        return TRUE;
    }
  return contains_casefold (constant->name, query)
         || contains_casefold (_(constant->meaning), query);
}

/**
 * scope_constants_default_socket:
 *
 * Makes a socket the way Python's socket.socket() does with no arguments,
 * AF_INET, SOCK_STREAM and protocol 0, and asks the kernel what it made.
 */
gboolean
scope_constants_default_socket (ScopeDefaultSocket *socket_info,
                                GError            **error)
{
#ifdef G_OS_UNIX
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int value = 0;
  socklen_t length = sizeof value;

  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *why = scope_errno_describe (saved);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: %s says why, in words and then the errno name */
                   _("Could not make a socket: %s"), why);
      return FALSE;
    }
  socket_info->family = AF_INET;
  socket_info->type = SOCK_STREAM;
  socket_info->protocol = 0;
  socket_info->kernel_protocol = -1;
#ifdef SO_DOMAIN
  if (getsockopt (fd, SOL_SOCKET, SO_DOMAIN, &value, &length) == 0)
    socket_info->family = value;
#endif
  length = sizeof value;
  if (getsockopt (fd, SOL_SOCKET, SO_TYPE, &value, &length) == 0)
    socket_info->type = value;
#ifdef SO_PROTOCOL
  length = sizeof value;
  if (getsockopt (fd, SOL_SOCKET, SO_PROTOCOL, &value, &length) == 0)
    socket_info->kernel_protocol = value;
#endif
  close (fd);
  return TRUE;
#else
  socket_info->family = AF_INET;
  socket_info->type = SOCK_STREAM;
  socket_info->protocol = 0;
  socket_info->kernel_protocol = -1;
  return TRUE;
#endif
}
