/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#ifdef G_OS_UNIX
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <sys/socket.h>
#endif

#include "scope-errors.h"
#include "scope-lookup-choices.h"
#include "scope-platform.h"
#include "scope-resolver-private.h"

/* The lookups of names, addresses and services, each by the blocking C
 * calls a student would make (getaddrinfo, gethostbyname_r, getnameinfo,
 * getservbyname_r), run in a worker thread. */

void
_scope_set_gai_error (GError **error,
                      int      code)
{
  g_autofree char *text = NULL;

#ifdef EAI_SYSTEM
  if (code == EAI_SYSTEM)
    {
      g_autofree char *reason = scope_errno_describe (errno);

      /* Translators: %s is the system error in words, then its errno name */
      text = g_strdup_printf (_("A system error occurred: %s (EAI_SYSTEM)"), reason);
    }
#endif
  if (text == NULL)
    text = scope_gai_error_describe (code);
  g_set_error_literal (error, SCOPE_GAI_ERROR, code, text);
}

static char *
constant_text (const char *name,
               int         value)
{
  if (value == 0 && g_strcmp0 (name, "0") == 0)
    /* Translators: a socket type or protocol of 0, the default for the other parts */
    return g_strdup (_("0 (the default)"));
  if (name == NULL)
    return g_strdup_printf ("%d", value);
  return g_strdup_printf ("%s (%d)", name, value);
}

/* The ASCII form of a name for the C library, with a note when it differs. */
char *
_scope_ascii_name (ScopeLookupResult *result,
                   const char        *name)
{
  if (name != NULL && g_hostname_is_non_ascii (name))
    {
      char *ascii = g_hostname_to_ascii (name);

      /* Translators: the first %s is a name with non-ASCII letters, the second its ASCII form */
      _scope_add_note (result, _("“%s” is an internationalized name: it is looked up in its ASCII "
                                 "form, “%s”."), name, ascii);
      return ascii;
    }
  return g_strdup (name);
}

static void
note_literal (ScopeLookupResult *result,
              const char        *query)
{
  if (query != NULL && _scope_literal_family (query) != AF_UNSPEC)
    /* Translators: %s is an IP address */
    _scope_add_note (result, _("“%s” is a literal address: it is answered without asking a name "
                               "server."), query);
}

/* A service name that the database lists for one transport only gives rows
 * of that socket type only: say so, since "http" without UDP rows puzzles. */
static void
note_one_transport (ScopeLookupResult *result,
                    const char        *service)
{
  const ScopeLookupRequest *request = result->request;
  gboolean tcp, udp;

  if (service == NULL || strspn (service, "0123456789") == strlen (service)
      || request->socktype != 0 || request->protocol != 0)
    return;
  {
    g_autofree char *name = NULL;
    g_auto(GStrv) aliases = NULL;
    int port;

    tcp = scope_platform_service (service, 0, "tcp", &name, &port, &aliases);
  }
  {
    g_autofree char *name = NULL;
    g_auto(GStrv) aliases = NULL;
    int port;

    udp = scope_platform_service (service, 0, "udp", &name, &port, &aliases);
  }
  if (tcp != udp)
    _scope_add_note (result,
                     tcp
                     /* Translators: %s is a service name such as "http" */
                     ? _("This machine’s services database lists “%s” for TCP only, so there are "
                         "no datagram (UDP) rows; a port number instead of the name gives both.")
                     /* Translators: %s is a service name */
                     : _("This machine’s services database lists “%s” for UDP only, so there are "
                         "no stream (TCP) rows; a port number instead of the name gives both."),
                     service);
}

gboolean
_scope_lookup_addrinfo (ScopeLookupResult *result,
                        GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  g_autofree char *host = _scope_ascii_name (result, _scope_empty_to_null (request->query));
  const char *service = _scope_empty_to_null (request->service);
  struct addrinfo hints = { 0 }, *res = NULL;
  ScopeLookupSection *section;
  int rc;

  note_literal (result, host);
  note_one_transport (result, service);
  hints.ai_family = request->family;
  hints.ai_socktype = request->socktype;
  hints.ai_protocol = request->protocol;
  hints.ai_flags = request->ai_flags;
  rc = getaddrinfo (host, service, &hints, &res);
  if (rc != 0)
    {
      _scope_set_gai_error (error, rc);
      return FALSE;
    }

  section = _scope_add_section (result, "addrinfo", _("Address info"),
                                _("Each row is one way to reach the service: the five-part tuple "
                                  "of family, socket type, protocol, canonical name and socket "
                                  "address, ready for socket() and connect(). A name gives a "
                                  "stream row (TCP) and a datagram row (UDP) for each address "
                                  "unless a socket type or protocol is chosen; a port number adds "
                                  "a raw row. An IPv6 socket address also holds a flow label and a "
                                  "scope id, the interface of a link-local address (fe80::1%eth0). "
                                  "The numbers are this platform’s; other systems may differ."),
                                "family", "family_value", "socktype", "socktype_value", "protocol",
                                "protocol_value", "canonname", "address", "port", "flowinfo",
                                "scope_id", "sockaddr", NULL);
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
    {
      char address[NI_MAXHOST] = "", port[NI_MAXSERV] = "";
      const char *family = scope_lookup_choice_constant (SCOPE_LOOKUP_CHOICE_FAMILY,
                                                         ai->ai_family);
      const char *socktype = scope_lookup_choice_constant (SCOPE_LOOKUP_CHOICE_SOCKTYPE,
                                                           ai->ai_socktype);
      const char *protocol = scope_lookup_choice_constant (SCOPE_LOOKUP_CHOICE_PROTOCOL,
                                                           ai->ai_protocol);
      g_autofree char *family_value = g_strdup_printf ("%d", ai->ai_family);
      g_autofree char *socktype_value = g_strdup_printf ("%d", ai->ai_socktype);
      g_autofree char *protocol_value = g_strdup_printf ("%d", ai->ai_protocol);
      g_autofree char *flowinfo = NULL, *scope_id = NULL, *sockaddr = NULL, *title = NULL;
      g_autofree char *family_text = constant_text (family, ai->ai_family);
      g_autofree char *socktype_text = constant_text (socktype, ai->ai_socktype);
      g_autofree char *protocol_text = constant_text (protocol, ai->ai_protocol);
      g_autofree char *detail = NULL, *copy = NULL;
      /* The end of the alias chain, as a name server (or the hosts file)
       * wrote it. */
      g_autofree char *canonname = scope_resolver_show_name (ai->ai_canonname);

      getnameinfo (ai->ai_addr, ai->ai_addrlen, address, sizeof address, port, sizeof port,
                   NI_NUMERICHOST | NI_NUMERICSERV);
      if (ai->ai_family == AF_INET6)
        {
          const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) ai->ai_addr;

          flowinfo = g_strdup_printf ("%u", ntohl (sin6->sin6_flowinfo));
          scope_id = g_strdup_printf ("%u", sin6->sin6_scope_id);
          char plain[INET6_ADDRSTRLEN] = "";

          /* Python's tuple gives the scope as its fourth part only. */
          inet_ntop (AF_INET6, &sin6->sin6_addr, plain, sizeof plain);
          sockaddr = g_strdup_printf ("('%s', %s, %s, %s)", plain, port, flowinfo, scope_id);
          title = g_strdup_printf ("[%s]:%s", address, port);
        }
      else
        {
          sockaddr = g_strdup_printf ("('%s', %s)", address, port);
          title = g_strdup_printf ("%s:%s", address, port);
        }
      if (canonname != NULL)
        /* Translators: the list of a tuple's parts, then its canonical name */
        detail = g_strdup_printf (_("%s · %s · %s · canonical name %s"), family_text,
                                  socktype_text, protocol_text, canonname);
      else
        detail = g_strdup_printf ("%s · %s · %s", family_text, socktype_text, protocol_text);
      /* What Python prints for the same tuple. */
      copy = g_strdup_printf ("(<AddressFamily.%s: %d>, <SocketKind.%s: %d>, %d, '%s', %s)",
                              family ? family : "?", ai->ai_family,
                              socktype ? socktype : "?", ai->ai_socktype, ai->ai_protocol,
                              canonname != NULL ? canonname : "", sockaddr);
      _scope_add_row (section, title, detail, copy,
                      family ? family : family_value, family_value,
                      socktype ? socktype : socktype_value, socktype_value,
                      protocol ? protocol : protocol_value, protocol_value,
                      canonname, address, port, flowinfo, scope_id, sockaddr);
    }
  freeaddrinfo (res);
  return TRUE;
}

static void
add_address_rows (ScopeLookupSection *section,
                  GStrv               addresses)
{
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      const char *family = _scope_literal_family (addresses[i]) == AF_INET6 ? "AF_INET6"
                                                                            : "AF_INET";

      _scope_add_row (section, addresses[i], family, addresses[i], addresses[i], family);
    }
}

gboolean
_scope_lookup_host (ScopeLookupResult *result,
                    GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  g_autofree char *name = _scope_ascii_name (result, request->query);
  g_auto(ScopeHostEntry) entry = { 0 };
  g_autofree char *canonical = NULL;
  g_autofree char *cell = NULL;
  ScopeLookupSection *section;

  note_literal (result, name);
  if (!scope_platform_host_by_name (name, request->family, &entry, error))
    return FALSE;
  if (g_str_equal (entry.method, "getaddrinfo"))
    _scope_add_note (result, _("This system has no gethostbyname_r(): the answer comes from "
                               "getaddrinfo() with AI_CANONNAME, which knows no aliases."));
  else if (request->family == AF_INET6)
    _scope_add_note (result, _("From gethostbyname2_r() for AF_INET6: the IPv6 addresses only."));
  else
    _scope_add_note (result, _("From gethostbyname_r(), as Python’s gethostbyname_ex() does: the "
                               "IPv4 addresses only. Address info shows IPv6 too."));

  section = _scope_add_section (result, "canonical", _("Canonical name"),
                                _("The host’s own name, reached after following every alias (CNAME "
                                  "record) on the way."),
                                "name", NULL);
  canonical = _scope_show_name_and_unicode (entry.canonical);
  cell = scope_resolver_show_name (entry.canonical);
  _scope_add_row (section, canonical, NULL, cell, cell);

  section = _scope_add_section (result, "aliases", _("Aliases"),
                                _("Other names that lead to the canonical name, such as the CNAMEs "
                                  "followed to reach it."),
                                "name", NULL);
  scope_report_section_set_text (section, SCOPE_REPORT_SECTION_EMPTY_TEXT,
                                 _("No aliases: the name is the canonical name itself."));
  for (guint i = 0; entry.aliases[i] != NULL; i++)
    {
      g_autofree char *shown = _scope_show_name_and_unicode (entry.aliases[i]);
      g_autofree char *alias = scope_resolver_show_name (entry.aliases[i]);

      _scope_add_row (section, shown, NULL, alias, alias);
    }

  section = _scope_add_section (result, "addresses", _("Addresses"),
                                _("Every address of the name, in the order the resolver gave "
                                  "them."),
                                "address", "family", NULL);
  scope_report_section_set_text (section, SCOPE_REPORT_SECTION_EMPTY_TEXT, _("No addresses"));
  add_address_rows (section, entry.addresses);
  return TRUE;
}

/* The first address of @host (a literal, possibly with a scope, or a name). */
static GSocketAddress *
resolve_first (const char *host,
               int         family,
               GError    **error)
{
  struct addrinfo hints = { 0 }, *res = NULL;
  GSocketAddress *address;
  int rc;

  hints.ai_family = family;
  hints.ai_socktype = SOCK_STREAM;
  rc = getaddrinfo (host, NULL, &hints, &res);
  if (rc != 0)
    {
      _scope_set_gai_error (error, rc);
      return NULL;
    }
  address = g_socket_address_new_from_native (res->ai_addr, res->ai_addrlen);
  freeaddrinfo (res);
  return address;
}

/* What Python's socket.getfqdn() picks: the first of the host's name and
 * aliases that holds a dot, else its name; @fallback when the reverse
 * lookup fails. Made safe to show, as it may come from a name server. */
static char *
fqdn_of (GInetAddress *address,
         const char   *fallback)
{
  g_auto(ScopeHostEntry) entry = { 0 };

  if (address == NULL || !scope_platform_host_by_address (address, &entry, NULL))
    return scope_resolver_show_name (fallback);
  if (strchr (entry.canonical, '.') != NULL)
    return scope_resolver_show_name (entry.canonical);
  for (guint i = 0; entry.aliases[i] != NULL; i++)
    if (strchr (entry.aliases[i], '.') != NULL)
      return scope_resolver_show_name (entry.aliases[i]);
  return scope_resolver_show_name (entry.canonical);
}

void
_scope_section_error (ScopeLookupSection *section,
                      const GError       *error)
{
  g_autofree char *text = error->domain == G_RESOLVER_ERROR ? scope_error_describe (error)
                                                           : g_strdup (error->message);

  scope_report_section_set_text (section, SCOPE_REPORT_SECTION_EMPTY_TEXT, text);
}

gboolean
_scope_lookup_reverse (ScopeLookupResult *result,
                       GCancellable      *cancellable,
                       GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  g_autofree char *host = _scope_ascii_name (result, request->query);
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_auto(ScopeHostEntry) entry = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown_address = NULL;
  g_autofree char *fqdn = NULL;
  g_autofree char *resolved = NULL;
  GInetAddress *inet;
  struct sockaddr_storage native;
  ScopeLookupSection *section;
  char name[NI_MAXHOST];
  int rc;

  socket_address = resolve_first (host, request->family, error);
  if (socket_address == NULL)
    return FALSE;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (socket_address));
  shown_address = g_inet_address_to_string (inet);
  if (_scope_literal_family (host) == AF_UNSPEC)
    /* Translators: the first %s is a host name, the second its address */
    _scope_add_note (result, _("“%s” is a name: these answers are for its first address, %s."),
                     request->query, shown_address);

  section = _scope_add_section (result, "getnameinfo", _("getnameinfo()"),
                                _("Turns a socket address back into a host name. With NI_NAMEREQD "
                                  "it fails when there is no name rather than give the address as "
                                  "text; with NI_NUMERICHOST it does not look anything up."),
                                "host", NULL);
  g_socket_address_to_native (socket_address, &native, sizeof native, NULL);
  rc = getnameinfo ((struct sockaddr *) &native, g_socket_address_get_native_size (socket_address),
                    name, sizeof name, NULL, 0, request->ni_flags);
  if (rc == 0)
    {
      g_autofree char *shown = _scope_show_name_and_unicode (name);
      g_autofree char *host_cell = scope_resolver_show_name (name);

      _scope_add_row (section, shown, NULL, host_cell, host_cell);
    }
  else
    {
      g_autoptr(GError) gai = NULL;

      _scope_set_gai_error (&gai, rc);
      _scope_section_error (section, gai);
    }

  section = _scope_add_section (result, "gethostbyaddr", _("gethostbyaddr()"),
                                _("The host’s name, its aliases and its addresses, as Python’s "
                                  "socket.gethostbyaddr() gives them."),
                                "role", "value", NULL);
  if (scope_platform_host_by_address (inet, &entry, &local_error))
    {
      g_autofree char *shown = _scope_show_name_and_unicode (entry.canonical);
      g_autofree char *canonical = scope_resolver_show_name (entry.canonical);

      _scope_add_row (section, shown, _("name"), canonical, "name", canonical);
      for (guint i = 0; entry.aliases[i] != NULL; i++)
        {
          g_autofree char *alias = scope_resolver_show_name (entry.aliases[i]);

          _scope_add_row (section, alias, _("alias"), alias, "alias", alias);
        }
      for (guint i = 0; entry.addresses[i] != NULL; i++)
        _scope_add_row (section, entry.addresses[i], _("address"), entry.addresses[i], "address",
                        entry.addresses[i]);
    }
  else
    _scope_section_error (section, local_error);
  g_clear_error (&local_error);

  section = _scope_add_section (result, "gresolver", _("GLib’s resolver"),
                                _("g_resolver_lookup_by_address() asks the same system resolver: "
                                  "the hosts file, then the PTR record in DNS."),
                                "name", NULL);
  resolved = g_resolver_lookup_by_address (resolver, inet, cancellable, &local_error);
  if (resolved != NULL)
    {
      g_autofree char *shown = _scope_show_name_and_unicode (resolved);
      g_autofree char *resolved_cell = scope_resolver_show_name (resolved);

      _scope_add_row (section, shown, NULL, resolved_cell, resolved_cell);
    }
  else
    _scope_section_error (section, local_error);
  g_clear_error (&local_error);

  section = _scope_add_section (result, "fqdn", _("Fully qualified name"),
                                _("The first of the host’s names that holds a dot, as Python’s "
                                  "socket.getfqdn() picks it; the input itself when there is "
                                  "none."),
                                "name", NULL);
  fqdn = fqdn_of (inet, request->query);
  _scope_add_row (section, fqdn, NULL, fqdn, fqdn);
  return TRUE;
}

gboolean
_scope_lookup_service (ScopeLookupResult *result,
                       GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  const char *query = request->query;
  gboolean numeric = strspn (query, "0123456789") == strlen (query);
  const char *protos[] = { "tcp", "udp" };
  ScopeLookupSection *section;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();

  section = _scope_add_section (result, "services", _("Services database"),
                                _("The services database (/etc/services here) maps service names "
                                  "to port numbers for each transport; TCP and UDP may differ. It "
                                  "is a local file: nothing is asked of the network."),
                                "name", "port", "protocol", "aliases", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (protos); i++)
    {
      g_autofree char *name = NULL;
      g_auto(GStrv) aliases = NULL;
      g_autofree char *port_text = NULL, *title = NULL, *alias_text = NULL, *detail = NULL;
      g_autofree char *shown_name = NULL;
      int port = numeric ? atoi (query) : 0;

      if ((request->proto == SCOPE_SERVICE_PROTO_TCP && i == 1)
          || (request->proto == SCOPE_SERVICE_PROTO_UDP && i == 0))
        continue;
      if (!scope_platform_service (numeric ? NULL : query, port, protos[i], &name, &port,
                                   &aliases))
        {
          g_ptr_array_add (missing, (gpointer) (i == 0 ? "TCP" : "UDP"));
          continue;
        }
      /* The services file is the system's, but its words reach a terminal:
       * shown escaped as everything else from outside. */
      shown_name = scope_resolver_show_name (name);
      port_text = g_strdup_printf ("%d", port);
      title = g_strdup_printf ("%s  %d/%s", shown_name, port, protos[i]);
      if (aliases[0] != NULL)
        {
          g_autofree char *joined = g_strjoinv (" ", aliases);

          alias_text = scope_resolver_show_name (joined);
          /* Translators: %s is a list of other names of a service */
          detail = g_strdup_printf (_("also known as %s"), alias_text);
        }
      _scope_add_row (section, title, detail, title, shown_name, port_text, protos[i], alias_text);
    }
  if (scope_report_section_get_n_rows (section) == 0)
    {
      g_set_error (error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_NOT_FOUND,
                   numeric
                   /* Translators: %s is a port number, then "TCP", "UDP" or "TCP or UDP" */
                   ? _("Port %s is not in this machine’s services database (for %s)")
                   /* Translators: %s is a service name, then "TCP", "UDP" or "TCP or UDP" */
                   : _("“%s” is not in this machine’s services database (for %s)"),
                   query, missing->len == 2 ? _("TCP or UDP") : (char *) missing->pdata[0]);
      return FALSE;
    }
  if (missing->len > 0)
    /* Translators: %s is "TCP" or "UDP" */
    _scope_add_note (result, _("Not in the services database for %s."), (char *) missing->pdata[0]);
  return TRUE;
}

/* The addresses getaddrinfo() gives @name for a stream socket, as text;
 * when it fails, @section says why. */
GPtrArray *
_scope_stream_addresses (const char         *name,
                         ScopeLookupSection *section)
{
  GPtrArray *addresses = g_ptr_array_new_with_free_func (g_free);
  struct addrinfo hints = { 0 }, *res = NULL;
  int rc;

  hints.ai_socktype = SOCK_STREAM;
  rc = getaddrinfo (name, NULL, &hints, &res);
  if (rc != 0)
    {
      g_autoptr(GError) gai = NULL;

      _scope_set_gai_error (&gai, rc);
      _scope_section_error (section, gai);
    }
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
    {
      char address[NI_MAXHOST];

      if (getnameinfo (ai->ai_addr, ai->ai_addrlen, address, sizeof address, NULL, 0,
                       NI_NUMERICHOST) == 0)
        g_ptr_array_add (addresses, g_strdup (address));
    }
  if (res != NULL)
    freeaddrinfo (res);
  return addresses;
}

gboolean
_scope_lookup_me (ScopeLookupResult *result,
                  GError           **error)
{
  const char *hostname = g_get_host_name ();
  g_autofree char *shown_hostname = scope_resolver_show_name (hostname);
  g_autoptr(GSocketAddress) first = NULL;
  g_autoptr(GPtrArray) interfaces = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_autofree char *fqdn = NULL;
  ScopeLookupSection *section;

  first = resolve_first (hostname, AF_UNSPEC, NULL);
  fqdn = fqdn_of (first != NULL ? g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (first))
                                : NULL, hostname);
  section = _scope_add_section (result, "names", _("Names"),
                                _("This machine’s host name (gethostname()), and its fully "
                                  "qualified name as socket.getfqdn() finds it."),
                                "what", "value", NULL);
  _scope_add_row (section, shown_hostname, _("host name"), shown_hostname, "hostname",
                  shown_hostname);
  _scope_add_row (section, fqdn, _("fully qualified name"), fqdn, "fqdn", fqdn);

  section = _scope_add_section (result, "hostname_addresses", _("What the host name resolves to"),
                                _("The addresses getaddrinfo() gives for the host name: often a "
                                  "loopback address from the hosts file, not an interface’s."),
                                "address", "family", NULL);
  addresses = _scope_stream_addresses (hostname, section);
  for (guint i = 0; i < addresses->len; i++)
    {
      const char *address = g_ptr_array_index (addresses, i);
      const char *family = _scope_literal_family (address) == AF_INET6 ? "AF_INET6" : "AF_INET";

      _scope_add_row (section, address, family, address, address, family);
    }

  section = _scope_add_section (result, "interfaces", _("Interfaces"),
                                _("Every network interface and its addresses (getifaddrs()). An "
                                  "IPv6 link-local address (fe80::…) carries a scope id: the "
                                  "interface it belongs to, written after a % sign."),
                                "interface", "family", "address", "netmask", "scope_id", "flags",
                                NULL);
  interfaces = scope_platform_interfaces (&local_error);
  if (interfaces == NULL)
    {
      _scope_section_error (section, local_error);
      return TRUE;
    }
  for (guint i = 0; i < interfaces->len; i++)
    {
      ScopeInterfaceAddress *a = g_ptr_array_index (interfaces, i);
      const char *family = a->family == AF_INET6 ? "AF_INET6" : "AF_INET";
      g_autofree char *scope = a->family == AF_INET6 ? g_strdup_printf ("%u", a->scope_id) : NULL;
      g_autofree char *interface = scope_resolver_show_name (a->interface);
      g_autofree char *detail = g_strdup_printf ("%s · %s · %s", interface, family, a->flags);

      _scope_add_row (section, a->address, detail, a->address, interface, family, a->address,
                      a->netmask, scope, a->flags);
    }
  return TRUE;
}
