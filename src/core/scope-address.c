/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#ifdef G_OS_UNIX
# include <arpa/inet.h>
# include <net/if.h>
# include <netinet/in.h>
# include <sys/socket.h>
# include <sys/un.h>
#else
# include <winsock2.h>
# include <ws2tcpip.h>
#endif

#include "scope-address.h"
#include "scope-errors.h"
#include "scope-services.h"

/* What an address is, byte by byte: the packed form inet_pton() makes, the
 * number those bytes are, the kind of address (after the IANA special
 * registries, as Python's ipaddress module sorts them) and the name a
 * reverse lookup asks for. */

G_DEFINE_QUARK (scope-address-error-quark, scope_address_error)

static const struct
{
  const char *name;
  const char *title;
  const char *explanation;
} kinds[] = {
  [SCOPE_ADDRESS_UNSPECIFIED] = {
    "unspecified", N_("Unspecified"),
    N_("No address at all. A server binds it to listen on every address of the machine "
       "(INADDR_ANY, in6addr_any); it is never a destination.") },
  [SCOPE_ADDRESS_LOOPBACK] = {
    "loopback", N_("Loopback"),
    N_("This machine itself: packets never leave it, and no other machine can reach it.") },
  [SCOPE_ADDRESS_PRIVATE] = {
    "private", N_("Private"),
    N_("For networks of their own (RFC 1918, and unique local addresses in IPv6): homes, "
       "offices and labs use them behind a router, and they are not routed on the "
       "internet.") },
  [SCOPE_ADDRESS_SHARED] = {
    "shared", N_("Shared"),
    N_("Shared address space (RFC 6598), used between a provider's carrier-grade NAT and its "
       "customers; not routed on the internet.") },
  [SCOPE_ADDRESS_LINK_LOCAL] = {
    "link-local", N_("Link-local"),
    /* xgettext:no-c-format */
    N_("Valid only on one network link, and given out without a server. An IPv6 one needs "
       "its interface named after a percent sign, such as fe80::1%eth0.") },
  [SCOPE_ADDRESS_MULTICAST] = {
    "multicast", N_("Multicast"),
    N_("A group address: one datagram sent to it reaches every member of the group, within "
       "the address's scope.") },
  [SCOPE_ADDRESS_DOCUMENTATION] = {
    "documentation", N_("Documentation"),
    N_("Set aside for examples in books and manuals (RFC 5737, RFC 3849, RFC 9637): it belongs "
       "to no one and is never routed.") },
  [SCOPE_ADDRESS_BENCHMARKING] = {
    "benchmarking", N_("Benchmarking"),
    N_("Set aside for testing network devices in a lab (RFC 2544, RFC 5180); not routed on "
       "the internet.") },
  [SCOPE_ADDRESS_BROADCAST] = {
    "broadcast", N_("Broadcast"),
    N_("The limited broadcast address: a datagram sent to it reaches every host on the local "
       "network, and no further.") },
  [SCOPE_ADDRESS_RESERVED] = {
    "reserved", N_("Reserved"),
    N_("Set aside by IANA for special use or for the future: not an address a host on the "
       "internet has.") },
  [SCOPE_ADDRESS_IPV4_MAPPED] = {
    "ipv4-mapped", N_("IPv4-mapped"),
    N_("An IPv4 address written as IPv6 (::ffff:a.b.c.d): how an IPv6 socket that also "
       "takes IPv4 shows an IPv4 peer.") },
  [SCOPE_ADDRESS_GLOBAL] = {
    "global", N_("Global"),
    N_("A public address, routed on the internet.") },
};

const char *
scope_address_kind_to_string (ScopeAddressKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kinds), NULL);

  return kinds[kind].name;
}

const char *
scope_address_kind_get_title (ScopeAddressKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kinds), NULL);

  return _(kinds[kind].title);
}

const char *
scope_address_kind_explain (ScopeAddressKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kinds), NULL);

  return _(kinds[kind].explanation);
}

void
scope_address_info_clear (ScopeAddressInfo *info)
{
  g_clear_pointer (&info->input, g_free);
  g_clear_pointer (&info->text, g_free);
  g_clear_pointer (&info->scope, g_free);
  g_clear_pointer (&info->multicast_scope, g_free);
  g_clear_pointer (&info->mapped, g_free);
  g_clear_pointer (&info->integer, g_free);
  g_clear_pointer (&info->hex, g_free);
  g_clear_pointer (&info->reverse_name, g_free);
  g_clear_pointer (&info->python, g_free);
}

/* What is wrong with what was typed, in words. */
#define invalid(error, ...) \
  scope_error_invalid (error, SCOPE_ADDRESS_ERROR, SCOPE_ADDRESS_ERROR_INVALID, __VA_ARGS__)


char *
scope_bytes_to_hex (const guint8 *bytes,
                    gsize         n_bytes)
{
  GString *hex = g_string_sized_new (n_bytes * 3);

  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, i > 0 ? " %02x" : "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

/* The bytes as one big-endian unsigned number, in decimal: repeated
 * division by ten of a base-256 number, for IPv6's 128 bits. */
static char *
bytes_to_decimal (const guint8 *bytes,
                  gsize         n_bytes)
{
  guint8 work[16];
  char digits[48];
  gsize n_digits = 0;
  gboolean zero;

  g_assert (n_bytes <= sizeof work);
  memcpy (work, bytes, n_bytes);
  do
    {
      guint remainder = 0;

      zero = TRUE;
      for (gsize i = 0; i < n_bytes; i++)
        {
          guint current = remainder * 256 + work[i];

          work[i] = (guint8) (current / 10);
          remainder = current % 10;
          if (work[i] != 0)
            zero = FALSE;
        }
      digits[n_digits++] = (char) ('0' + remainder);
    }
  while (!zero);

  {
    char *text = g_malloc (n_digits + 1);

    for (gsize i = 0; i < n_digits; i++)
      text[i] = digits[n_digits - 1 - i];
    text[n_digits] = '\0';
    return text;
  }
}

static char *
reverse_name (const ScopeAddressInfo *info)
{
  GString *name = g_string_new (NULL);

  if (info->family == AF_INET)
    {
      for (int i = 3; i >= 0; i--)
        g_string_append_printf (name, "%u.", info->bytes[i]);
      g_string_append (name, "in-addr.arpa");
    }
  else
    {
      for (int i = 15; i >= 0; i--)
        g_string_append_printf (name, "%x.%x.", info->bytes[i] & 0x0f, info->bytes[i] >> 4);
      g_string_append (name, "ip6.arpa");
    }
  return g_string_free (name, FALSE);
}

static gboolean
in_v4 (guint32 address,
       guint32 network,
       guint   prefix)
{
  guint32 mask = prefix == 0 ? 0 : G_MAXUINT32 << (32 - prefix);

  return (address & mask) == (network & mask);
}

static ScopeAddressKind
classify_v4 (const guint8            *b,
             const char             **multicast_scope)
{
  guint32 a = ((guint32) b[0] << 24) | ((guint32) b[1] << 16) | ((guint32) b[2] << 8) | b[3];

  if (a == 0)
    return SCOPE_ADDRESS_UNSPECIFIED;
  if (a == G_MAXUINT32)
    return SCOPE_ADDRESS_BROADCAST;
  if (in_v4 (a, 0x7f000000, 8))
    return SCOPE_ADDRESS_LOOPBACK;
  if (in_v4 (a, 0x0a000000, 8) || in_v4 (a, 0xac100000, 12) || in_v4 (a, 0xc0a80000, 16))
    return SCOPE_ADDRESS_PRIVATE;
  if (in_v4 (a, 0x64400000, 10))
    return SCOPE_ADDRESS_SHARED;
  if (in_v4 (a, 0xa9fe0000, 16))
    return SCOPE_ADDRESS_LINK_LOCAL;
  if (in_v4 (a, 0xc0000200, 24) || in_v4 (a, 0xc6336400, 24) || in_v4 (a, 0xcb007100, 24))
    return SCOPE_ADDRESS_DOCUMENTATION;
  if (in_v4 (a, 0xc6120000, 15))
    return SCOPE_ADDRESS_BENCHMARKING;
  if (in_v4 (a, 0xe0000000, 4))
    {
      *multicast_scope = in_v4 (a, 0xe0000000, 24) ? N_("the local network")
                         : in_v4 (a, 0xef000000, 8) ? N_("an organization (administratively "
                                                          "scoped)")
                         : N_("the internet");
      return SCOPE_ADDRESS_MULTICAST;
    }
  /* "This network" 0/8, IETF protocol assignments 192.0.0/24 (but for the
   * two anycast services in it that are reachable, .9 and .10) and the old
   * class E 240/4. */
  if (a == 0xc0000009 || a == 0xc000000a)
    return SCOPE_ADDRESS_GLOBAL;
  if (in_v4 (a, 0x00000000, 8) || in_v4 (a, 0xc0000000, 24) || in_v4 (a, 0xf0000000, 4))
    return SCOPE_ADDRESS_RESERVED;
  return SCOPE_ADDRESS_GLOBAL;
}

static gboolean
in_v6 (const guint8 *address,
       const guint8 *network,
       guint         prefix)
{
  for (guint bit = 0; bit < prefix; bit += 8)
    {
      guint bits = MIN (8, prefix - bit);
      guint8 mask = (guint8) (0xff << (8 - bits));

      if ((address[bit / 8] & mask) != (network[bit / 8] & mask))
        return FALSE;
    }
  return TRUE;
}

static ScopeAddressKind
classify_v6 (const guint8  *b,
             const char   **multicast_scope)
{
  static const guint8 zero[16] = { 0 };
  static const guint8 loopback[16] = { [15] = 1 };
  static const guint8 mapped[16] = { [10] = 0xff, [11] = 0xff };
  static const guint8 link_local[16] = { 0xfe, 0x80 };
  static const guint8 site_local[16] = { 0xfe, 0xc0 };
  static const guint8 unique_local[16] = { 0xfc };
  static const guint8 multicast[16] = { 0xff };
  static const guint8 documentation[16] = { 0x20, 0x01, 0x0d, 0xb8 };
  static const guint8 documentation_2024[16] = { 0x3f, 0xff };
  static const guint8 benchmarking[16] = { 0x20, 0x01, 0x00, 0x02 };
  static const guint8 ietf_protocols[16] = { 0x20, 0x01 };
  static const guint8 nat64[16] = { 0x00, 0x64, 0xff, 0x9b };
  static const guint8 global_unicast[16] = { 0x20 };

  if (memcmp (b, zero, 16) == 0)
    return SCOPE_ADDRESS_UNSPECIFIED;
  if (memcmp (b, loopback, 16) == 0)
    return SCOPE_ADDRESS_LOOPBACK;
  if (in_v6 (b, mapped, 96))
    return SCOPE_ADDRESS_IPV4_MAPPED;
  if (in_v6 (b, link_local, 10))
    return SCOPE_ADDRESS_LINK_LOCAL;
  if (in_v6 (b, unique_local, 7))
    return SCOPE_ADDRESS_PRIVATE;
  if (in_v6 (b, multicast, 8))
    {
      switch (b[1] & 0x0f)
        {
        case 0x1:
          *multicast_scope = N_("this interface only");
          break;
        case 0x2:
          *multicast_scope = N_("the local link");
          break;
        case 0x3:
          *multicast_scope = N_("a realm");
          break;
        case 0x4:
          *multicast_scope = N_("an administrative area");
          break;
        case 0x5:
          *multicast_scope = N_("a site");
          break;
        case 0x8:
          *multicast_scope = N_("an organization");
          break;
        case 0xe:
          *multicast_scope = N_("the internet");
          break;
        default:
          *multicast_scope = N_("a scope IANA has not named");
          break;
        }
      return SCOPE_ADDRESS_MULTICAST;
    }
  if (in_v6 (b, documentation, 32) || in_v6 (b, documentation_2024, 20))
    return SCOPE_ADDRESS_DOCUMENTATION;
  if (in_v6 (b, benchmarking, 48))
    return SCOPE_ADDRESS_BENCHMARKING;
  /* IPv4 reached through a NAT64 gateway (RFC 6052): global. */
  if (in_v6 (b, nat64, 96))
    return SCOPE_ADDRESS_GLOBAL;
  /* IETF protocol assignments 2001::/23, old site-local addresses, and
   * everything outside 2000::/3, the only part of the IPv6 space given out
   * for global unicast. */
  if (in_v6 (b, ietf_protocols, 23) || in_v6 (b, site_local, 10)
      || !in_v6 (b, global_unicast, 3))
    return SCOPE_ADDRESS_RESERVED;
  return SCOPE_ADDRESS_GLOBAL;
}

static char *
python_code (const ScopeAddressInfo *info)
{
  const char *family = info->family == AF_INET ? "socket.AF_INET" : "socket.AF_INET6";
  g_autofree char *address = info->scope != NULL
                             ? g_strdup_printf ("%s%%%s", info->text, info->scope)
                             : g_strdup (info->text);

  if (info->aton_only)
    return g_strdup_printf ("import ipaddress, socket\n"
                            "socket.inet_aton('%s')\n"
                            "ipaddress.ip_address('%s').reverse_pointer",
                            info->input, info->text);
  /* The reverse name has no scope, and Python's reverse_pointer fails on
   * an address with one ("Only hex digits permitted in '1%lo'"). */
  return g_strdup_printf ("import ipaddress, socket\n"
                          "socket.inet_pton(%s, '%s')\n"
                          "int(ipaddress.ip_address('%s'))\n"
                          "ipaddress.ip_address('%s').reverse_pointer",
                          family, info->text, address, info->text);
}

/* Splits @text into the address and, where there is one, the port: "[v6]",
 * "[v6]:port" and "a.b.c.d:port"; a bare IPv6 address has more than one
 * colon and no port. */
static gboolean
split_port (const char  *text,
            char       **address,
            char       **port,
            GError     **error)
{
  const char *colon;

  *port = NULL;
  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL)
        return invalid (error, _("“%s” has “[” but no “]”: write an IPv6 socket address as "
                                 "[2001:db8::1]:443"), text);
      if (close[1] != '\0' && close[1] != ':')
        return invalid (error, _("“%s” has text after “]”: only “:” and a port may follow"),
                        text);
      *address = g_strndup (text + 1, close - text - 1);
      if (close[1] == ':')
        *port = g_strdup (close + 2);
      if (strchr (*address, ':') == NULL)
        return invalid (error, _("Only IPv6 addresses go in brackets: write an IPv4 socket "
                                 "address as 192.0.2.1:80"));
      return TRUE;
    }
  colon = strchr (text, ':');
  if (colon != NULL && strchr (colon + 1, ':') == NULL)
    {
      *address = g_strndup (text, colon - text);
      *port = g_strdup (colon + 1);
      return TRUE;
    }
  *address = g_strdup (text);
  return TRUE;
}

/**
 * scope_address_inspect:
 *
 * Reads an address the way inet_pton() does, and the older forms only
 * inet_aton() takes ("127.1", "0x7f000001"), saying which; names are for
 * the Lookup page and are refused here, in words.
 */
gboolean
scope_address_inspect (const char       *text,
                       ScopeAddressInfo *info,
                       GError          **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *address = NULL;
  g_autofree char *port = NULL;
  g_autofree char *shown = NULL;
  const char *multicast_scope = NULL;
  char *percent;
  char buffer[INET6_ADDRSTRLEN];
  struct in_addr v4;

  memset (info, 0, sizeof *info);
  info->port = -1;
  g_return_val_if_fail (text != NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, _("The text is not valid UTF-8"));
  trimmed = g_strstrip (g_strdup (text));
  shown = scope_input_for_message (trimmed, 48);
  if (trimmed[0] == '\0')
    return invalid (error, _("The address is empty: type an IPv4 address such as 192.0.2.1 or "
                             "an IPv6 address such as 2001:db8::1"));
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        return invalid (error, _("“%s” contains a space or a control character, which no "
                                 "address holds"), shown);
      if (c >= 128)
        return invalid (error, _("“%s” contains letters no address holds: addresses are "
                                 "digits, dots, colons and the hex digits a–f"), shown);
    }

  if (!split_port (trimmed, &address, &port, error))
    return FALSE;
  if (port != NULL)
    {
      guint number;

      if (!scope_port_parse (port, &number, error))
        return FALSE;
      info->port = (int) number;
    }

  percent = strchr (address, '%');
  if (percent != NULL)
    {
      *percent = '\0';
      if (percent[1] == '\0')
        return invalid (error, _("“%s” ends in “%%” with no interface after it: write "
                                 "fe80::1%%eth0"), shown);
      info->scope = g_strdup (percent + 1);
      /* An interface name or index, as the kernel names them. */
      if (strlen (info->scope) > 15
          || strspn (info->scope, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789_.-") != strlen (info->scope))
        {
          scope_address_info_clear (info);
          return invalid (error, _("“%s” names an interface no system has: after “%%” comes "
                                   "an interface name such as eth0, or its number"), shown);
        }
    }

  info->input = g_strdup (trimmed);
  if (info->scope == NULL && inet_pton (AF_INET, address, info->bytes) == 1)
    {
      info->family = AF_INET;
      info->n_bytes = 4;
    }
  else if (inet_pton (AF_INET6, address, info->bytes) == 1)
    {
      info->family = AF_INET6;
      info->n_bytes = 16;
    }
  else if (info->scope == NULL && strchr (address, ':') == NULL && address[0] != '\0'
           && g_ascii_isdigit (address[0]) && inet_aton (address, &v4) != 0)
    {
      info->family = AF_INET;
      info->n_bytes = 4;
      info->aton_only = TRUE;
      memcpy (info->bytes, &v4.s_addr, 4);
    }
  else
    {
      scope_address_info_clear (info);
      if (percent != NULL && strchr (address, ':') == NULL)
        return invalid (error, _("Only IPv6 addresses take a “%%” and an interface: “%s” is "
                                 "not one"), shown);
      if (strchr (address, ':') != NULL)
        return invalid (error, _("“%s” is not a valid IPv6 address: up to eight groups of one "
                                 "to four hex digits between colons, with “::” once for a run "
                                 "of zeros, as in 2001:db8::1"), shown);
      if (address[0] != '\0' && strspn (address, "0123456789.") == strlen (address))
        return invalid (error, _("“%s” is not a valid IPv4 address: it has four numbers from 0 "
                                 "to 255, such as 192.0.2.1"), shown);
      return invalid (error, _("“%s” is not an IP address. To find the addresses of a name, "
                               "use the Lookup page"), shown);
    }

  if (info->family == AF_INET6 && info->scope != NULL)
    {
      guint64 index;

      if (g_ascii_string_to_unsigned (info->scope, 10, 0, G_MAXUINT32, &index, NULL))
        info->scope_id = (guint32) index;
#ifdef G_OS_UNIX
      else
        info->scope_id = if_nametoindex (info->scope);
#endif
      info->scope_known = info->scope_id != 0;
    }

  inet_ntop (info->family, info->bytes, buffer, sizeof buffer);
  info->text = g_strdup (buffer);
  info->kind = info->family == AF_INET ? classify_v4 (info->bytes, &multicast_scope)
                                       : classify_v6 (info->bytes, &multicast_scope);
  if (multicast_scope != NULL)
    info->multicast_scope = g_strdup (_(multicast_scope));
  if (info->kind == SCOPE_ADDRESS_IPV4_MAPPED)
    {
      inet_ntop (AF_INET, info->bytes + 12, buffer, sizeof buffer);
      info->mapped = g_strdup (buffer);
    }
  info->integer = bytes_to_decimal (info->bytes, info->n_bytes);
  info->hex = scope_bytes_to_hex (info->bytes, info->n_bytes);
  info->reverse_name = reverse_name (info);
  info->python = python_code (info);
  return TRUE;
}

/**
 * scope_byte_order_convert:
 * @width: 16 for htons()/ntohs(), 32 for htonl()/ntohl()
 *
 * Reads a number in decimal or, after "0x", in hex, that fits @width bits.
 */
gboolean
scope_byte_order_convert (const char     *text,
                          guint           width,
                          ScopeByteOrder *result,
                          GError        **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *shown = NULL;
  guint64 max = width == 16 ? G_MAXUINT16 : G_MAXUINT32;
  guint64 value = 0;
  const char *digits = trimmed;
  guint base = 10;
  guint32 be;

  g_return_val_if_fail (width == 16 || width == 32, FALSE);

  memset (result, 0, sizeof *result);
  if (!g_utf8_validate (trimmed, -1, NULL))
    return invalid (error, _("The text is not valid UTF-8"));
  shown = scope_input_for_message (trimmed, 48);
  if (trimmed[0] == '\0')
    return invalid (error, _("The number is empty: type one such as 8080 or 0x1f90"));
  if (g_str_has_prefix (trimmed, "0x") || g_str_has_prefix (trimmed, "0X"))
    {
      digits = trimmed + 2;
      base = 16;
    }
  if (trimmed[0] == '-')
    return invalid (error, _("“%s” is negative: htons() and htonl() take numbers from 0 up"),
                    shown);
  if (digits[0] == '\0'
      || strspn (digits, base == 16 ? "0123456789abcdefABCDEF" : "0123456789")
         != strlen (digits))
    return invalid (error, _("“%s” is not a number: write it in decimal (8080) or in hex "
                             "after 0x (0x1f90)"), shown);
  if (strlen (digits) > 20
      || !g_ascii_string_to_unsigned (digits, base, 0, max, &value, NULL))
    {
      if (width == 16)
        return invalid (error, _("%s does not fit in 16 bits: htons() takes numbers from 0 to "
                                 "65535 (0xffff)"), shown);
      return invalid (error, _("%s does not fit in 32 bits: htonl() takes numbers from 0 to "
                               "4294967295 (0xffffffff)"), shown);
    }

  result->width = width;
  result->value = (guint32) value;
  result->little_endian = G_BYTE_ORDER == G_LITTLE_ENDIAN;
  if (width == 16)
    {
      guint16 v = (guint16) value;
      guint16 n = g_htons (v);

      result->converted = n;
      memcpy (result->host_bytes, &v, 2);
      memcpy (result->network_bytes, &n, 2);
    }
  else
    {
      guint32 v = (guint32) value;

      be = g_htonl (v);
      result->converted = be;
      memcpy (result->host_bytes, &v, 4);
      memcpy (result->network_bytes, &be, 4);
    }
  return TRUE;
}

/**
 * scope_unix_path_validate:
 * @path: the path of a Unix-domain socket
 *
 * Whether @path fits in a Unix-domain socket address. A longer one would
 * be cut short where the address is made, and the socket made at, or
 * connected to, another path than the one the user typed.
 */
gboolean
scope_unix_path_validate (const char  *path,
                          GError     **error)
{
#ifdef G_OS_UNIX
  gsize max = sizeof (((struct sockaddr_un *) NULL)->sun_path) - 1;
  gsize length = strlen (path);

  if (length > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                   /* Translators: %zu are numbers of bytes; ENAMETOOLONG stays as it is */
                   _("The path is %zu bytes long; the path of a Unix-domain socket holds at "
                     "most %zu (ENAMETOOLONG)"), length, max);
      return FALSE;
    }
#endif
  return TRUE;
}
