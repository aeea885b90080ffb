/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The address inspector and the byte-order calculator of the Ports page:
 * what an address looks like in bytes, what kind of address it is, and
 * what htons() and friends do on this machine. */

typedef enum
{
  SCOPE_ADDRESS_UNSPECIFIED,    /* 0.0.0.0, :: */
  SCOPE_ADDRESS_LOOPBACK,       /* 127.0.0.0/8, ::1 */
  SCOPE_ADDRESS_PRIVATE,        /* RFC 1918, fc00::/7 */
  SCOPE_ADDRESS_SHARED,         /* 100.64.0.0/10, carrier-grade NAT */
  SCOPE_ADDRESS_LINK_LOCAL,     /* 169.254.0.0/16, fe80::/10 */
  SCOPE_ADDRESS_MULTICAST,      /* 224.0.0.0/4, ff00::/8 */
  SCOPE_ADDRESS_DOCUMENTATION,  /* 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
                                 * 2001:db8::/32, 3fff::/20 */
  SCOPE_ADDRESS_BENCHMARKING,   /* 198.18.0.0/15 */
  SCOPE_ADDRESS_BROADCAST,      /* 255.255.255.255 */
  SCOPE_ADDRESS_RESERVED,       /* 240.0.0.0/4, 0.0.0.0/8 */
  SCOPE_ADDRESS_IPV4_MAPPED,    /* ::ffff:0:0/96 */
  SCOPE_ADDRESS_GLOBAL,
} ScopeAddressKind;

const char *scope_address_kind_to_string (ScopeAddressKind kind);
const char *scope_address_kind_get_title (ScopeAddressKind kind);
const char *scope_address_kind_explain   (ScopeAddressKind kind);

#define SCOPE_ADDRESS_ERROR (scope_address_error_quark ())

typedef enum
{
  SCOPE_ADDRESS_ERROR_INVALID,
} ScopeAddressError;

GQuark      scope_address_error_quark    (void);

typedef struct
{
  char            *input;
  int              family;          /* AF_INET or AF_INET6 */
  guint8           bytes[16];       /* network order, as inet_pton() packs them */
  guint            n_bytes;         /* 4 or 16 */
  char            *text;            /* inet_ntop()'s form */
  char            *scope;           /* what followed "%", or NULL */
  guint32          scope_id;        /* the interface index it names, 0 if none */
  gboolean         scope_known;     /* an interface of this machine */
  int              port;            /* from "host:port" or "[v6]:port", else -1 */
  gboolean         aton_only;       /* read by inet_aton() only, as "127.1" */
  ScopeAddressKind kind;
  char            *multicast_scope; /* for IPv6 multicast: "link-local", … */
  char            *mapped;          /* the IPv4 address inside ::ffff:a.b.c.d */
  char            *integer;         /* the bytes as one unsigned number, in decimal */
  char            *hex;             /* "7f 00 00 01" */
  char            *reverse_name;    /* "1.0.0.127.in-addr.arpa" */
  char            *python;          /* the same in Python */
} ScopeAddressInfo;

void        scope_address_info_clear     (ScopeAddressInfo *info);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScopeAddressInfo, scope_address_info_clear)

/* An IPv4 or IPv6 address, with an optional "%scope", or a socket address
 * "192.0.2.1:80" or "[2001:db8::1]:443". */
gboolean    scope_address_inspect        (const char       *text,
                                          ScopeAddressInfo *info,
                                          GError          **error);

/* htons()/htonl() of @value: its bytes in this machine's memory and in
 * network order, and the number those network-order bytes make when read
 * back in this machine's order. */
typedef struct
{
  guint     width;               /* 16 or 32 */
  guint32   value;
  guint32   converted;           /* htons (value) or htonl (value) */
  guint8    host_bytes[4];       /* value as stored in memory here */
  guint8    network_bytes[4];    /* value in network order, big-endian */
  gboolean  little_endian;       /* this machine */
} ScopeByteOrder;

/* "8080", "0x1f90": a number of @width bits; bad input is explained. */
gboolean    scope_byte_order_convert     (const char     *text,
                                          guint           width,
                                          ScopeByteOrder *result,
                                          GError        **error);
/* A path short enough for a Unix-domain socket's address. */
gboolean    scope_unix_path_validate     (const char     *path,
                                          GError        **error);
char       *scope_bytes_to_hex           (const guint8   *bytes,
                                          gsize           n_bytes);

G_END_DECLS
