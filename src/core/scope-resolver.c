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
#include "scope-platform.h"
#include "scope-payload.h"
#include "scope-resolver.h"

/* The Lookup page's engine: each question is answered by the blocking C
 * calls a student would make (getaddrinfo, gethostbyname_r, getnameinfo,
 * getservbyname_r) in a worker thread, and the answer is kept as sections of
 * named cells, so that the page, the command line's table and its JSON all
 * show the same thing. */

G_DEFINE_QUARK (scope-resolver-error-quark, scope_resolver_error)
G_DEFINE_QUARK (scope-gai-error-quark, scope_gai_error)

#define MAX_NAME_LENGTH 253
#define MAX_LABEL_LENGTH 63

/* ------------------------------------------------------------------------ */
/* Symbolic names of this platform's constants                              */

typedef struct
{
  int         value;
  const char *name;
  const char *python;
} ScopeConstant;

static const ScopeConstant families[] = {
  { AF_UNSPEC, "AF_UNSPEC", "socket.AF_UNSPEC" },
  { AF_INET, "AF_INET", "socket.AF_INET" },
  { AF_INET6, "AF_INET6", "socket.AF_INET6" },
};

static const ScopeConstant socktypes[] = {
  { 0, "0", "0" },
  { SOCK_STREAM, "SOCK_STREAM", "socket.SOCK_STREAM" },
  { SOCK_DGRAM, "SOCK_DGRAM", "socket.SOCK_DGRAM" },
  { SOCK_RAW, "SOCK_RAW", "socket.SOCK_RAW" },
};

static const ScopeConstant protocols[] = {
  { 0, "0", "0" },
  { IPPROTO_TCP, "IPPROTO_TCP", "socket.IPPROTO_TCP" },
  { IPPROTO_UDP, "IPPROTO_UDP", "socket.IPPROTO_UDP" },
  { IPPROTO_IP, "IPPROTO_IP", "socket.IPPROTO_IP" },
};

static const ScopeConstant ai_flags[] = {
  { AI_CANONNAME, "AI_CANONNAME", "socket.AI_CANONNAME" },
  { AI_PASSIVE, "AI_PASSIVE", "socket.AI_PASSIVE" },
  { AI_NUMERICHOST, "AI_NUMERICHOST", "socket.AI_NUMERICHOST" },
#ifdef AI_NUMERICSERV
  { AI_NUMERICSERV, "AI_NUMERICSERV", "socket.AI_NUMERICSERV" },
#endif
#ifdef AI_ADDRCONFIG
  { AI_ADDRCONFIG, "AI_ADDRCONFIG", "socket.AI_ADDRCONFIG" },
#endif
#ifdef AI_V4MAPPED
  { AI_V4MAPPED, "AI_V4MAPPED", "socket.AI_V4MAPPED" },
#endif
#ifdef AI_ALL
  { AI_ALL, "AI_ALL", "socket.AI_ALL" },
#endif
};

static const ScopeConstant ni_flags[] = {
  { NI_NAMEREQD, "NI_NAMEREQD", "socket.NI_NAMEREQD" },
  { NI_NUMERICHOST, "NI_NUMERICHOST", "socket.NI_NUMERICHOST" },
};

static const ScopeConstant *
find_constant (const ScopeConstant *table,
               gsize                n,
               int                  value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return &table[i];
  return NULL;
}

#define CONSTANT_NAME(table, value) constant_name (table, G_N_ELEMENTS (table), value)

static const char *
constant_name (const ScopeConstant *table,
               gsize                n,
               int                  value)
{
  const ScopeConstant *c = find_constant (table, n, value);

  return c != NULL ? c->name : NULL;
}

/* "AI_CANONNAME | AI_PASSIVE" in C, or with "socket." before each for Python. */
static char *
join_flags (const ScopeConstant *table,
            gsize                n,
            int                  flags,
            gboolean             python)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    if (flags & table[i].value)
      {
        if (text->len > 0)
          g_string_append (text, " | ");
        g_string_append (text, python ? table[i].python : table[i].name);
      }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* ------------------------------------------------------------------------ */
/* Requests                                                                 */

G_DEFINE_BOXED_TYPE (ScopeLookupRequest, scope_lookup_request,
                     scope_lookup_request_copy, scope_lookup_request_free)

static const char *kind_names[] = {
  [SCOPE_LOOKUP_ADDRINFO] = "addrinfo",
  [SCOPE_LOOKUP_HOST] = "host",
  [SCOPE_LOOKUP_REVERSE] = "reverse",
  [SCOPE_LOOKUP_SERVICE] = "service",
  [SCOPE_LOOKUP_RECORDS] = "records",
  [SCOPE_LOOKUP_ME] = "me",
};

const char *
scope_lookup_kind_to_string (ScopeLookupKind kind)
{
  g_return_val_if_fail (kind <= SCOPE_LOOKUP_ME, NULL);

  return kind_names[kind];
}

gboolean
scope_lookup_kind_from_string (const char      *name,
                               ScopeLookupKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (name, kind_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

ScopeLookupRequest *
scope_lookup_request_new (ScopeLookupKind  kind,
                          const char      *query)
{
  ScopeLookupRequest *request = g_new0 (ScopeLookupRequest, 1);

  request->kind = kind;
  request->query = g_strdup (query != NULL ? query : "");
  request->family = AF_UNSPEC;
  return request;
}

ScopeLookupRequest *
scope_lookup_request_copy (const ScopeLookupRequest *request)
{
  ScopeLookupRequest *copy = g_memdup2 (request, sizeof *request);

  copy->query = g_strdup (request->query);
  copy->service = g_strdup (request->service);
  return copy;
}

void
scope_lookup_request_free (ScopeLookupRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->query);
  g_free (request->service);
  g_free (request);
}

static gboolean
split_scope (const char *text,
             char      **address,
             char      **scope)
{
  const char *percent = strchr (text, '%');

  if (percent == NULL)
    {
      *address = g_strdup (text);
      *scope = NULL;
      return TRUE;
    }
  if (percent[1] == '\0')
    return FALSE;
  *address = g_strndup (text, percent - text);
  *scope = g_strdup (percent + 1);
  return TRUE;
}

/* Whether @text is an IPv4 or IPv6 address as inet_pton() reads it, with an
 * optional "%scope" after an IPv6 one. */
static int
literal_family (const char *text)
{
  g_autofree char *address = NULL;
  g_autofree char *scope = NULL;
  guint8 buf[16];

  if (!split_scope (text, &address, &scope))
    return AF_UNSPEC;
  if (scope == NULL && inet_pton (AF_INET, address, buf) == 1)
    return AF_INET;
  if (inet_pton (AF_INET6, address, buf) == 1)
    return AF_INET6;
  return AF_UNSPEC;
}

static char *
describe_char (gunichar c)
{
  if (c == ' ')
    return g_strdup (_("a space"));
  if (g_unichar_iscntrl (c))
    /* Translators: %04X is the code of an invisible character */
    return g_strdup_printf (_("the control character U+%04X"), c);
  {
    char buf[8] = { 0 };

    g_unichar_to_utf8 (c, buf);
    return g_strdup_printf ("“%s”", buf);
  }
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_INVALID, message);
  g_free (message);
  return FALSE;
}

/* Text any field may hold: UTF-8, no control characters. */
static gboolean
check_text (const char *text,
            GError    **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, _("The text is not valid UTF-8"));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_autofree char *what = describe_char (g_utf8_get_char (p));

        /* Translators: %s names a character, such as "the control character U+0009" */
        return invalid (error, _("The text contains %s, which no name or service can hold"), what);
      }
  return TRUE;
}

static char *
ellipsize (const char *text,
           guint       max)
{
  if (g_utf8_strlen (text, -1) <= max)
    return g_strdup (text);
  {
    g_autofree char *start = g_utf8_substring (text, 0, max);

    return g_strconcat (start, "…", NULL);
  }
}

/* A host name as DNS allows it: at most 253 characters, labels of 1 to 63
 * letters, digits, hyphens (not first or last) and underscores (as in
 * _http._tcp), a trailing dot allowed. Non-ASCII names are checked in their
 * ASCII (IDNA) form. */
static gboolean
check_host_name (const char *name,
                 GError    **error)
{
  g_autofree char *ascii = NULL;
  g_auto(GStrv) labels = NULL;
  gsize length;

  if (!check_text (name, error))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || (c < 128 && !g_ascii_isalnum (c) && c != '-' && c != '.'
                                    && c != '_'))
        {
          g_autofree char *what = describe_char (c);
          g_autofree char *shown = ellipsize (name, 40);

          return invalid (error,
                          /* Translators: the first %s is the name, the second a character */
                          _("“%s” contains %s, which a host name cannot hold: use letters, "
                            "digits, hyphens and dots"), shown, what);
        }
    }
  /* An ASCII name is measured as it is: GLib's IDNA refuses a long one
   * without saying that the length is what is wrong. */
  ascii = g_str_is_ascii (name) ? g_strdup (name) : g_hostname_to_ascii (name);
  if (ascii == NULL)
    {
      g_autofree char *shown = ellipsize (name, 40);

      return invalid (error, _("“%s” is not a valid internationalized name"), shown);
    }
  length = strlen (ascii);
  if (length > 0 && ascii[length - 1] == '.')
    length--;
  if (length > MAX_NAME_LENGTH)
    /* Translators: %zu is a length in characters */
    return invalid (error, _("The name is %zu characters long; DNS allows at most 253"), length);
  if (ascii[0] == '.' || (length > 0 && strstr (ascii, "..") != NULL))
    return invalid (error, _("The name has an empty label: two dots in a row, or a dot at "
                             "the start"));
  labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize n = strlen (labels[i]);
      g_autofree char *shown = ellipsize (labels[i], 20);

      if (n > MAX_LABEL_LENGTH)
        return invalid (error,
                        /* Translators: %s is the label, %zu its length */
                        _("The label “%s” is %zu characters long; DNS allows at most 63 "
                          "between two dots"), shown, n);
      if (n > 0 && (labels[i][0] == '-' || labels[i][n - 1] == '-'))
        return invalid (error, _("The label “%s” begins or ends with a hyphen, which host "
                                 "names do not allow"), shown);
    }
  return TRUE;
}

/* A host: a literal address (with an optional IPv6 scope) or a name. */
static gboolean
check_host (const char *host,
            GError    **error)
{
  struct in_addr v4;

  if (literal_family (host) != AF_UNSPEC)
    return TRUE;
  /* Digits and dots are an IPv4 address, in any form inet_aton() reads
   * ("127.1" too), or a mistake: no name server has "999.1.1.1". */
  if (host[0] != '\0' && strspn (host, "0123456789.") == strlen (host))
    {
      g_autofree char *shown = ellipsize (host, 40);

      if (inet_aton (host, &v4) != 0)
        return TRUE;
      return invalid (error, _("“%s” is not a valid IPv4 address: it has four numbers from 0 "
                               "to 255, such as 192.0.2.1"), shown);
    }
  if (strchr (host, '%') != NULL || strchr (host, ':') != NULL)
    {
      g_autofree char *shown = NULL;

      /* UTF-8 first: what is not cannot be measured to be shortened. */
      if (!check_text (host, error))
        return FALSE;
      shown = ellipsize (host, 40);
      return invalid (error, _("“%s” is not a valid IPv4 or IPv6 address"), shown);
    }
  return check_host_name (host, error);
}

/* A service: a port number 0–65535 or a name as the services database
 * spells them (letters, digits, and - _ . + /). */
static gboolean
check_service (const char *service,
               GError    **error)
{
  const char *digits = service[0] == '-' ? service + 1 : service;

  if (!check_text (service, error))
    return FALSE;
  if (service[0] == '\0')
    return invalid (error, _("The service is empty: type a name such as “http” or a port "
                             "number"));
  if (digits[0] != '\0' && strspn (digits, "0123456789") == strlen (digits))
    {
      guint64 port = 0;

      if (service[0] == '-' || strlen (digits) > 5
          || !g_ascii_string_to_unsigned (digits, 10, 0, 65535, &port, NULL))
        {
          g_autofree char *shown = ellipsize (service, 20);

          return invalid (error, _("Port %s is out of range: ports go from 0 to 65535"), shown);
        }
      return TRUE;
    }
  if (strlen (service) > 64)
    return invalid (error, _("The service name is too long: names in the services database "
                             "are short words such as “http”"));
  if (!g_ascii_isalnum (service[0]))
    {
      g_autofree char *shown = ellipsize (service, 20);

      return invalid (error, _("“%s” does not begin with a letter or a digit, as service names "
                               "and port numbers do"), shown);
    }
  for (const char *p = service; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!(c < 128 && (g_ascii_isalnum (c) || strchr ("-_.+/", c) != NULL)))
        {
          g_autofree char *what = describe_char (c);
          g_autofree char *shown = ellipsize (service, 20);

          return invalid (error,
                          /* Translators: the first %s is the service, the second a character */
                          _("“%s” contains %s, which a service name cannot hold: use letters, "
                            "digits and hyphens, or a port number"), shown, what);
        }
    }
  return TRUE;
}

/**
 * scope_lookup_request_validate:
 *
 * Checks the question before anything is asked: an empty name, one over 253
 * characters or with a label over 63, characters no name can hold, a bad
 * service name or a port out of range each give a message that says so.
 */
gboolean
scope_lookup_request_validate (const ScopeLookupRequest *request,
                               GError                  **error)
{
  const char *query;

  g_return_val_if_fail (request != NULL, FALSE);

  query = request->query != NULL ? request->query : "";
  switch (request->kind)
    {
    case SCOPE_LOOKUP_ME:
      return TRUE;

    case SCOPE_LOOKUP_SERVICE:
      return check_service (query, error);

    case SCOPE_LOOKUP_ADDRINFO:
      if (request->service != NULL && request->service[0] != '\0'
          && !check_service (request->service, error))
        return FALSE;
      if (query[0] == '\0')
        {
          if (request->service == NULL || request->service[0] == '\0')
            return invalid (error, _("Both the host and the service are empty: getaddrinfo() "
                                     "needs at least one of them"));
          return TRUE;
        }
      return check_host (query, error);

    case SCOPE_LOOKUP_HOST:
    case SCOPE_LOOKUP_REVERSE:
    case SCOPE_LOOKUP_RECORDS:
      if (query[0] == '\0')
        return invalid (error, _("The name is empty: type a host name or an address"));
      if (!check_host (query, error))
        return FALSE;
      if (request->kind == SCOPE_LOOKUP_RECORDS && literal_family (query) != AF_UNSPEC)
        return invalid (error, _("DNS records belong to names, not addresses: for the name "
                                 "of an address, choose Reverse"));
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

/**
 * scope_resolver_validate_host:
 *
 * Checks a host name or literal address as the lookups do, for other
 * places that take one (the Ports page's connect check).
 */
gboolean
scope_resolver_validate_host (const char  *host,
                              GError     **error)
{
  if (host == NULL || host[0] == '\0')
    return invalid (error, _("The name is empty: type a host name or an address"));
  return check_host (host, error);
}

/* ------------------------------------------------------------------------ */
/* Equivalent code                                                          */

static void
append_quoted (GString    *out,
               const char *text,
               char        quote)
{
  if (text == NULL)
    {
      g_string_append (out, quote == '\'' ? "None" : "NULL");
      return;
    }
  g_string_append_c (out, quote);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == quote || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, quote);
}

static const char *
empty_to_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* The question in Python's socket module, ready to paste into a prompt. */
char *
scope_lookup_request_to_python (const ScopeLookupRequest *request)
{
  g_autoptr(GString) out = g_string_new ("import socket\n");
  const char *query = request->query != NULL ? request->query : "";

  switch (request->kind)
    {
    case SCOPE_LOOKUP_ADDRINFO:
      {
        g_autofree char *flags = join_flags (ai_flags, G_N_ELEMENTS (ai_flags),
                                             request->ai_flags, TRUE);
        const ScopeConstant *c;

        g_string_append (out, "socket.getaddrinfo(");
        append_quoted (out, empty_to_null (query), '\'');
        g_string_append (out, ", ");
        append_quoted (out, empty_to_null (request->service), '\'');
        if (request->family != AF_UNSPEC
            && (c = find_constant (families, G_N_ELEMENTS (families), request->family)))
          g_string_append_printf (out, ", family=%s", c->python);
        if (request->socktype != 0
            && (c = find_constant (socktypes, G_N_ELEMENTS (socktypes), request->socktype)))
          g_string_append_printf (out, ", type=%s", c->python);
        if (request->protocol != 0
            && (c = find_constant (protocols, G_N_ELEMENTS (protocols), request->protocol)))
          g_string_append_printf (out, ", proto=%s", c->python);
        if (flags != NULL)
          g_string_append_printf (out, ", flags=%s", flags);
        g_string_append (out, ")\n");
      }
      break;

    case SCOPE_LOOKUP_HOST:
      g_string_append (out, "socket.gethostbyname_ex(");
      append_quoted (out, query, '\'');
      g_string_append (out, ")   # (name, aliases, addresses)\n");
      break;

    case SCOPE_LOOKUP_REVERSE:
      {
        g_autofree char *flags = join_flags (ni_flags, G_N_ELEMENTS (ni_flags),
                                             request->ni_flags, TRUE);

        g_string_append (out, "socket.gethostbyaddr(");
        append_quoted (out, query, '\'');
        g_string_append (out, ")   # (name, aliases, addresses)\nsocket.getnameinfo((");
        append_quoted (out, query, '\'');
        g_string_append_printf (out, ", 0), %s)\nsocket.getfqdn(", flags != NULL ? flags : "0");
        append_quoted (out, query, '\'');
        g_string_append (out, ")\n");
      }
      break;

    case SCOPE_LOOKUP_SERVICE:
      {
        gboolean numeric = query[0] != '\0' && strspn (query, "0123456789") == strlen (query);
        const char *protos[] = { "tcp", "udp" };

        for (guint i = 0; i < 2; i++)
          {
            if ((request->proto == SCOPE_SERVICE_PROTO_TCP && i == 1)
                || (request->proto == SCOPE_SERVICE_PROTO_UDP && i == 0))
              continue;
            if (i == 0 || request->proto == SCOPE_SERVICE_PROTO_UDP)
              g_string_append (out, "# raises OSError when the database has no such entry\n");
            if (numeric)
              g_string_append_printf (out, "socket.getservbyport(%s, '%s')\n", query, protos[i]);
            else
              {
                g_string_append (out, "socket.getservbyname(");
                append_quoted (out, query, '\'');
                g_string_append_printf (out, ", '%s')\n", protos[i]);
              }
          }
      }
      break;

    case SCOPE_LOOKUP_RECORDS:
      {
        static const char *types[] = { NULL, "MX", "TXT", "SRV", "NS", "SOA" };

        g_string_assign (out, "# Python's socket module has no DNS records; the dnspython\n"
                              "# package (python3-dnspython) does:\nimport dns.resolver\n");
        for (guint i = 1; i < G_N_ELEMENTS (types); i++)
          if (request->records == SCOPE_RECORDS_ALL || (guint) request->records == i)
            {
              g_string_append (out, "dns.resolver.resolve(");
              append_quoted (out, query, '\'');
              g_string_append_printf (out, ", '%s')\n", types[i]);
            }
      }
      break;

    case SCOPE_LOOKUP_ME:
      g_string_append (out, "socket.gethostname()\n"
                            "socket.getfqdn()\n"
                            "socket.gethostbyname_ex(socket.gethostname())\n"
                            "socket.if_nameindex()   # the interfaces, without addresses\n");
      break;

    default:
      g_return_val_if_reached (NULL);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The same question in C, with the same arguments. */
char *
scope_lookup_request_to_c (const ScopeLookupRequest *request)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *query = request->query != NULL ? request->query : "";

  switch (request->kind)
    {
    case SCOPE_LOOKUP_ADDRINFO:
      {
        g_autofree char *flags = join_flags (ai_flags, G_N_ELEMENTS (ai_flags),
                                             request->ai_flags, FALSE);
        const char *family = CONSTANT_NAME (families, request->family);
        const char *socktype = CONSTANT_NAME (socktypes, request->socktype);
        const char *protocol = CONSTANT_NAME (protocols, request->protocol);

        g_string_append (out, "#include <netdb.h>\n\n"
                              "struct addrinfo hints = { 0 }, *res, *ai;\n");
        g_string_append_printf (out, "hints.ai_family = %s;\n", family ? family : "AF_UNSPEC");
        g_string_append_printf (out, "hints.ai_socktype = %s;\n", socktype ? socktype : "0");
        g_string_append_printf (out, "hints.ai_protocol = %s;\n", protocol ? protocol : "0");
        g_string_append_printf (out, "hints.ai_flags = %s;\n", flags ? flags : "0");
        g_string_append (out, "int rc = getaddrinfo (");
        append_quoted (out, empty_to_null (query), '"');
        g_string_append (out, ", ");
        append_quoted (out, empty_to_null (request->service), '"');
        g_string_append (out, ", &hints, &res);\n"
                              "if (rc != 0)\n"
                              "  fprintf (stderr, \"%s\\n\", gai_strerror (rc));\n"
                              "else\n"
                              "  {\n"
                              "    for (ai = res; ai != NULL; ai = ai->ai_next)\n"
                              "      ;  /* ai->ai_family, ai_socktype, ai_protocol, "
                              "ai_canonname, ai_addr */\n"
                              "    freeaddrinfo (res);\n"
                              "  }\n");
      }
      break;

    case SCOPE_LOOKUP_HOST:
      g_string_append (out, "#include <netdb.h>\n\n"
                            "struct hostent *h = gethostbyname (");
      append_quoted (out, query, '"');
      g_string_append (out, ");\n"
                            "if (h == NULL)\n"
                            "  herror (\"gethostbyname\");\n"
                            "/* h->h_name, h->h_aliases[], h->h_addr_list[] */\n");
      break;

    case SCOPE_LOOKUP_REVERSE:
      {
        g_autofree char *flags = join_flags (ni_flags, G_N_ELEMENTS (ni_flags),
                                             request->ni_flags, FALSE);
        gboolean v6 = literal_family (query) == AF_INET6;

        g_string_append (out, "#include <arpa/inet.h>\n#include <netdb.h>\n\n");
        if (v6)
          g_string_append (out, "struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };\n"
                                "inet_pton (AF_INET6, ");
        else
          g_string_append (out, "struct sockaddr_in sa = { .sin_family = AF_INET };\n"
                                "inet_pton (AF_INET, ");
        append_quoted (out, query, '"');
        g_string_append_printf (out, ", &sa.%s);\n"
                                     "char host[NI_MAXHOST];\n"
                                     "int rc = getnameinfo ((struct sockaddr *) &sa, sizeof sa,\n"
                                     "                      host, sizeof host, NULL, 0, %s);\n"
                                     "if (rc != 0)\n"
                                     "  fprintf (stderr, \"%%s\\n\", gai_strerror (rc));\n",
                                v6 ? "sin6_addr" : "sin_addr", flags ? flags : "0");
      }
      break;

    case SCOPE_LOOKUP_SERVICE:
      {
        gboolean numeric = query[0] != '\0' && strspn (query, "0123456789") == strlen (query);
        const char *proto = request->proto == SCOPE_SERVICE_PROTO_UDP ? "udp" : "tcp";

        g_string_append (out, "#include <arpa/inet.h>\n#include <netdb.h>\n\n");
        if (numeric)
          g_string_append_printf (out, "struct servent *s = getservbyport (htons (%s), \"%s\");\n",
                                  query, proto);
        else
          {
            g_string_append (out, "struct servent *s = getservbyname (");
            append_quoted (out, query, '"');
            g_string_append_printf (out, ", \"%s\");\n", proto);
          }
        g_string_append (out, "if (s != NULL)\n"
                              "  printf (\"%s %d/%s\\n\", s->s_name, ntohs (s->s_port), "
                              "s->s_proto);\n");
      }
      break;

    case SCOPE_LOOKUP_RECORDS:
      {
        static const char *types[] = { NULL, "MX", "TXT", "SRV", "NS", "SOA" };
        static const char *vars[] = { NULL, "mx", "txt", "srv", "ns", "soa" };

        g_string_append (out, "#include <gio/gio.h>\n\n"
                              "GResolver *resolver = g_resolver_get_default ();\n"
                              "GError *error = NULL;\n");
        for (guint i = 1; i < G_N_ELEMENTS (types); i++)
          if (request->records == SCOPE_RECORDS_ALL || (guint) request->records == i)
            {
              g_string_append_printf (out, "GList *%s = g_resolver_lookup_records (resolver, ",
                                      vars[i]);
              append_quoted (out, query, '"');
              g_string_append_printf (out, ",\n    G_RESOLVER_RECORD_%s, NULL, &error);\n",
                                      types[i]);
            }
        g_string_append (out, "/* each element is a GVariant; see GResolverRecordType */\n");
        if (request->records == SCOPE_RECORDS_ALL || request->records == SCOPE_RECORDS_TXT)
          g_string_append (out, "/* GLib cuts a TXT string at its first NUL byte: "
                                "res_nquery ()\n   from <resolv.h> gives the record whole, "
                                "as Sockscope reads it */\n");
      }
      break;

    case SCOPE_LOOKUP_ME:
      g_string_append (out, "#include <ifaddrs.h>\n#include <unistd.h>\n\n"
                            "char name[256];\n"
                            "gethostname (name, sizeof name);\n"
                            "struct ifaddrs *all, *i;\n"
                            "if (getifaddrs (&all) == 0)\n"
                            "  {\n"
                            "    for (i = all; i != NULL; i = i->ifa_next)\n"
                            "      ;  /* i->ifa_name, i->ifa_addr, i->ifa_netmask */\n"
                            "    freeifaddrs (all);\n"
                            "  }\n");
      break;

    default:
      g_return_val_if_reached (NULL);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------------ */
/* Results                                                                  */

typedef struct
{
  char **cells;     /* one per column, each may be NULL */
  guint  n_cells;
  char  *title;
  char  *detail;
  char  *copy;
} Row;

struct _ScopeLookupSection
{
  char      *id;
  char      *title;
  char      *explanation;
  char      *empty_text;
  GStrv      columns;
  guint      n_columns;
  GPtrArray *rows;
};

struct _ScopeLookupResult
{
  gatomicrefcount     ref_count;
  ScopeLookupRequest *request;
  gint64              elapsed_us;
  GPtrArray          *notes;
  GPtrArray          *sections;
};

G_DEFINE_BOXED_TYPE (ScopeLookupResult, scope_lookup_result,
                     scope_lookup_result_ref, scope_lookup_result_unref)

/* Cells that hold numbers: JSON writes them as integers. */
static const char *numeric_columns[] = {
  "family_value", "socktype_value", "protocol_value", "port", "flowinfo", "scope_id",
  "preference", "priority", "weight", "serial", "refresh", "retry", "expire", "minimum",
};

static void
row_free (gpointer data)
{
  Row *row = data;

  for (guint i = 0; i < row->n_cells; i++)
    g_free (row->cells[i]);
  g_free (row->cells);
  g_free (row->title);
  g_free (row->detail);
  g_free (row->copy);
  g_free (row);
}

static void
section_free (gpointer data)
{
  ScopeLookupSection *section = data;

  g_free (section->id);
  g_free (section->title);
  g_free (section->explanation);
  g_free (section->empty_text);
  g_strfreev (section->columns);
  g_ptr_array_unref (section->rows);
  g_free (section);
}

static ScopeLookupResult *
result_new (const ScopeLookupRequest *request)
{
  ScopeLookupResult *result = g_new0 (ScopeLookupResult, 1);

  g_atomic_ref_count_init (&result->ref_count);
  result->request = scope_lookup_request_copy (request);
  result->notes = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  result->sections = g_ptr_array_new_with_free_func (section_free);
  return result;
}

ScopeLookupResult *
scope_lookup_result_ref (ScopeLookupResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
scope_lookup_result_unref (ScopeLookupResult *result)
{
  g_return_if_fail (result != NULL);

  if (!g_atomic_ref_count_dec (&result->ref_count))
    return;
  scope_lookup_request_free (result->request);
  g_ptr_array_unref (result->notes);
  g_ptr_array_unref (result->sections);
  g_free (result);
}

static void
add_note (ScopeLookupResult *result,
          const char        *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
add_note (ScopeLookupResult *result,
          const char        *format,
          ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (result->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Columns are given as a NULL-terminated list of keys. */
static ScopeLookupSection *
add_section (ScopeLookupResult *result,
             const char        *id,
             const char        *title,
             const char        *explanation,
             ...)
{
  ScopeLookupSection *section = g_new0 (ScopeLookupSection, 1);
  g_autoptr(GStrvBuilder) columns = g_strv_builder_new ();
  va_list args;
  const char *key;

  section->id = g_strdup (id);
  section->title = g_strdup (title);
  section->explanation = g_strdup (explanation);
  section->rows = g_ptr_array_new_with_free_func (row_free);
  va_start (args, explanation);
  while ((key = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (columns, key);
  va_end (args);
  section->columns = g_strv_builder_end (columns);
  section->n_columns = g_strv_length (section->columns);
  g_ptr_array_add (result->sections, section);
  return section;
}

/* The cells follow @copy, one per column, each a string or NULL. */
static void
add_row (ScopeLookupSection *section,
         const char         *title,
         const char         *detail,
         const char         *copy,
         ...)
{
  Row *row = g_new0 (Row, 1);
  va_list args;

  row->cells = g_new0 (char *, section->n_columns + 1);
  row->n_cells = section->n_columns;
  va_start (args, copy);
  for (guint i = 0; i < section->n_columns; i++)
    row->cells[i] = g_strdup (empty_to_null (va_arg (args, const char *)));
  va_end (args);
  row->title = g_strdup (title);
  row->detail = g_strdup (detail);
  row->copy = g_strdup (copy != NULL ? copy : title);
  g_ptr_array_add (section->rows, row);
}

static void
set_empty_text (ScopeLookupSection *section,
                const char         *text)
{
  g_free (section->empty_text);
  section->empty_text = g_strdup (text);
}

const ScopeLookupRequest *
scope_lookup_result_get_request (ScopeLookupResult *result)
{
  return result->request;
}

gint64
scope_lookup_result_get_elapsed_us (ScopeLookupResult *result)
{
  return result->elapsed_us;
}

const char * const *
scope_lookup_result_get_notes (ScopeLookupResult *result)
{
  return (const char * const *) result->notes->pdata;
}

guint
scope_lookup_result_get_n_sections (ScopeLookupResult *result)
{
  return result->sections->len;
}

ScopeLookupSection *
scope_lookup_result_get_section (ScopeLookupResult *result,
                                 guint              index)
{
  g_return_val_if_fail (index < result->sections->len, NULL);

  return g_ptr_array_index (result->sections, index);
}

ScopeLookupSection *
scope_lookup_result_find_section (ScopeLookupResult *result,
                                  const char        *id)
{
  for (guint i = 0; i < result->sections->len; i++)
    {
      ScopeLookupSection *section = g_ptr_array_index (result->sections, i);

      if (g_strcmp0 (section->id, id) == 0)
        return section;
    }
  return NULL;
}

const char *
scope_lookup_section_get_id (ScopeLookupSection *section)
{
  return section->id;
}

const char *
scope_lookup_section_get_title (ScopeLookupSection *section)
{
  return section->title;
}

const char *
scope_lookup_section_get_explanation (ScopeLookupSection *section)
{
  return section->explanation;
}

const char *
scope_lookup_section_get_empty_text (ScopeLookupSection *section)
{
  return section->rows->len == 0 ? section->empty_text : NULL;
}

const char * const *
scope_lookup_section_get_columns (ScopeLookupSection *section)
{
  return (const char * const *) section->columns;
}

guint
scope_lookup_section_get_n_rows (ScopeLookupSection *section)
{
  return section->rows->len;
}

static Row *
get_row (ScopeLookupSection *section,
         guint               row)
{
  g_return_val_if_fail (row < section->rows->len, NULL);

  return g_ptr_array_index (section->rows, row);
}

const char *
scope_lookup_section_get_cell (ScopeLookupSection *section,
                               guint               row,
                               const char         *column)
{
  Row *r = get_row (section, row);

  if (r == NULL)
    return NULL;
  for (guint i = 0; i < section->n_columns; i++)
    if (strcmp (section->columns[i], column) == 0)
      return r->cells[i];
  return NULL;
}

const char *
scope_lookup_section_get_row_title (ScopeLookupSection *section,
                                    guint               row)
{
  Row *r = get_row (section, row);

  return r != NULL ? r->title : NULL;
}

const char *
scope_lookup_section_get_row_detail (ScopeLookupSection *section,
                                     guint               row)
{
  Row *r = get_row (section, row);

  return r != NULL ? r->detail : NULL;
}

const char *
scope_lookup_section_get_row_copy (ScopeLookupSection *section,
                                   guint               row)
{
  Row *r = get_row (section, row);

  return r != NULL ? r->copy : NULL;
}

static gboolean
is_numeric_column (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (numeric_columns); i++)
    if (strcmp (numeric_columns[i], key) == 0)
      return TRUE;
  return FALSE;
}

/**
 * scope_lookup_result_to_json:
 *
 * Returns: (transfer full): the question, its answer and the equivalent
 * code, as the command line's --json prints them.
 */
JsonNode *
scope_lookup_result_to_json (ScopeLookupResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const ScopeLookupRequest *request = result->request;
  g_autofree char *python = scope_lookup_request_to_python (request);
  g_autofree char *c = scope_lookup_request_to_c (request);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, scope_lookup_kind_to_string (request->kind));
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, request->query);
  json_builder_set_member_name (builder, "service");
  if (empty_to_null (request->service) != NULL)
    json_builder_add_string_value (builder, request->service);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "elapsed_us");
  json_builder_add_int_value (builder, result->elapsed_us);

  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->notes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (result->notes, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "sections");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->sections->len; i++)
    {
      ScopeLookupSection *section = g_ptr_array_index (result->sections, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, section->id);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, section->title);
      json_builder_set_member_name (builder, "explanation");
      json_builder_add_string_value (builder, section->explanation);
      json_builder_set_member_name (builder, "error");
      if (scope_lookup_section_get_empty_text (section) != NULL)
        json_builder_add_string_value (builder, section->empty_text);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "rows");
      json_builder_begin_array (builder);
      for (guint r = 0; r < section->rows->len; r++)
        {
          Row *row = g_ptr_array_index (section->rows, r);

          json_builder_begin_object (builder);
          for (guint k = 0; k < section->n_columns; k++)
            {
              const char *cell = row->cells[k];
              gint64 number;

              json_builder_set_member_name (builder, section->columns[k]);
              if (cell == NULL)
                json_builder_add_null_value (builder);
              else if (is_numeric_column (section->columns[k])
                       && g_ascii_string_to_signed (cell, 10, G_MININT64, G_MAXINT64, &number,
                                                    NULL))
                json_builder_add_int_value (builder, number);
              else
                json_builder_add_string_value (builder, cell);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "code");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "python");
  json_builder_add_string_value (builder, python);
  json_builder_set_member_name (builder, "c");
  json_builder_add_string_value (builder, c);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * scope_lookup_result_to_text:
 *
 * Returns: (transfer full): the answer as tables for a terminal: each
 * section's title, its explanation, then its rows in aligned columns.
 */
char *
scope_lookup_result_to_text (ScopeLookupResult *result)
{
  g_autoptr(GString) out = g_string_new (NULL);

  /* Translators: %.1f is a duration in milliseconds */
  g_string_append_printf (out, _("Answered in %.1f ms"), result->elapsed_us / 1000.0);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < result->notes->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (result->notes, i));

  for (guint i = 0; i < result->sections->len; i++)
    {
      ScopeLookupSection *section = g_ptr_array_index (result->sections, i);
      g_autofree guint *widths = g_new0 (guint, section->n_columns);
      g_autofree gboolean *used = g_new0 (gboolean, section->n_columns);

      g_string_append_printf (out, "\n%s\n", section->title);
      if (section->rows->len == 0)
        {
          g_string_append_printf (out, "  %s\n", section->empty_text != NULL
                                                   ? section->empty_text : _("Nothing"));
          continue;
        }
      /* Columns that no row fills are left out of the table. */
      for (guint k = 0; k < section->n_columns; k++)
        widths[k] = g_utf8_strlen (section->columns[k], -1);
      for (guint r = 0; r < section->rows->len; r++)
        {
          Row *row = g_ptr_array_index (section->rows, r);

          for (guint k = 0; k < section->n_columns; k++)
            if (row->cells[k] != NULL)
              {
                used[k] = TRUE;
                widths[k] = MAX (widths[k], (guint) g_utf8_strlen (row->cells[k], -1));
              }
        }
      for (gint r = -1; r < (gint) section->rows->len; r++)
        {
          Row *row = r >= 0 ? g_ptr_array_index (section->rows, r) : NULL;
          gsize line_start = out->len;

          g_string_append (out, " ");
          for (guint k = 0; k < section->n_columns; k++)
            {
              const char *cell = row != NULL ? row->cells[k] : section->columns[k];

              if (!used[k])
                continue;
              if (cell == NULL)
                cell = "-";
              g_string_append_printf (out, " %s%*s", cell,
                                      (int) (widths[k] - g_utf8_strlen (cell, -1)), "");
            }
          while (out->len > line_start && out->str[out->len - 1] == ' ')
            g_string_truncate (out, out->len - 1);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------------ */
/* The lookups, each run in a worker thread                                 */

static void
set_gai_error (GError **error,
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
static char *
ascii_name (ScopeLookupResult *result,
            const char        *name)
{
  if (name != NULL && g_hostname_is_non_ascii (name))
    {
      char *ascii = g_hostname_to_ascii (name);

      /* Translators: the first %s is a name with non-ASCII letters, the second its ASCII form */
      add_note (result, _("“%s” is an internationalized name: it is looked up in its ASCII "
                          "form, “%s”."), name, ascii);
      return ascii;
    }
  return g_strdup (name);
}

/* ------------------------------------------------------------------------ */
/* Text from outside                                                        */

/**
 * scope_resolver_show_text:
 * @data: (array length=length): bytes from a name server or a file
 * @length: how many
 *
 * Returns: (transfer full): @data as the Send box's escapes show it
 * (scope_payload_render_text()): readable text as it is; NUL, CR, LF, tab
 * and backslash as \0, \r, \n, \t and \\; every other control character,
 * every character that is not printable (a right-to-left override, a line
 * separator) and every byte that is not UTF-8 as \xHH. Valid UTF-8 on one
 * line, all of @data; parsed as %SCOPE_PAYLOAD_TEXT it gives @data back.
 */
char *
scope_resolver_show_text (const guint8 *data,
                          gsize         length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return scope_payload_render_text (data, length);
}

/**
 * scope_resolver_show_name:
 * @name: (nullable): a name as the C library or GResolver gave it
 *
 * Returns: (transfer full) (nullable): @name with its control characters
 * and the bytes that are not UTF-8 escaped as scope_resolver_show_text()
 * escapes them, but its backslashes as they are: a DNS name that holds an
 * odd byte comes from the resolver already written as DNS writes it
 * (\027 for ESC, \. for a dot inside a label), which a second backslash
 * would only blur.
 */
char *
scope_resolver_show_name (const char *name)
{
  g_auto(GStrv) parts = NULL;
  GString *shown;

  if (name == NULL)
    return NULL;
  parts = g_strsplit (name, "\\", -1);
  shown = g_string_new (NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = scope_resolver_show_text ((const guint8 *) parts[i],
                                                        strlen (parts[i]));

      if (i > 0)
        g_string_append_c (shown, '\\');
      g_string_append (shown, part);
    }
  return g_string_free (shown, FALSE);
}

/* A name the resolver returned, made safe to show, with its Unicode form
 * beside an ACE one: both are shown escaped, since a name server chooses
 * what "xn--" decodes to as much as the name itself. */
static char *
show_name_and_unicode (const char *name)
{
  g_autofree char *shown = scope_resolver_show_name (name);

  if (name != NULL && g_hostname_is_ascii_encoded (name))
    {
      g_autofree char *unicode = g_hostname_to_unicode (name);

      if (unicode != NULL && g_strcmp0 (unicode, name) != 0)
        {
          g_autofree char *shown_unicode = scope_resolver_show_name (unicode);

          return g_strdup_printf ("%s (%s)", shown, shown_unicode);
        }
    }
  return g_steal_pointer (&shown);
}

static void
note_literal (ScopeLookupResult *result,
              const char        *query)
{
  if (query != NULL && literal_family (query) != AF_UNSPEC)
    /* Translators: %s is an IP address */
    add_note (result, _("“%s” is a literal address: it is answered without asking a name "
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
    add_note (result,
              tcp
              /* Translators: %s is a service name such as "http" */
              ? _("This machine’s services database lists “%s” for TCP only, so there are no "
                  "datagram (UDP) rows; a port number instead of the name gives both.")
              /* Translators: %s is a service name */
              : _("This machine’s services database lists “%s” for UDP only, so there are no "
                  "stream (TCP) rows; a port number instead of the name gives both."),
              service);
}

static gboolean
lookup_addrinfo (ScopeLookupResult *result,
                 GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  g_autofree char *host = ascii_name (result, empty_to_null (request->query));
  const char *service = empty_to_null (request->service);
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
      set_gai_error (error, rc);
      return FALSE;
    }

  section = add_section (result, "addrinfo", _("Address info"),
                         _("Each row is one way to reach the service: the five-part tuple of "
                           "family, socket type, protocol, canonical name and socket address, "
                           "ready for socket() and connect(). A name gives a stream row (TCP) "
                           "and a datagram row (UDP) for each address unless a socket type or "
                           "protocol is chosen; a port number adds a raw row. An IPv6 socket "
                           "address also holds a flow label and a scope id, the interface of a "
                           "link-local address (fe80::1%eth0). The numbers are this "
                           "platform’s; other systems may differ."),
                         "family", "family_value", "socktype", "socktype_value", "protocol",
                         "protocol_value", "canonname", "address", "port", "flowinfo",
                         "scope_id", "sockaddr", NULL);
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
    {
      char address[NI_MAXHOST] = "", port[NI_MAXSERV] = "";
      const char *family = CONSTANT_NAME (families, ai->ai_family);
      const char *socktype = CONSTANT_NAME (socktypes, ai->ai_socktype);
      const char *protocol = CONSTANT_NAME (protocols, ai->ai_protocol);
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
      add_row (section, title, detail, copy,
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
      const char *family = literal_family (addresses[i]) == AF_INET6 ? "AF_INET6" : "AF_INET";

      add_row (section, addresses[i], family, addresses[i], addresses[i], family);
    }
}

static gboolean
lookup_host (ScopeLookupResult *result,
             GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  g_autofree char *name = ascii_name (result, request->query);
  g_auto(ScopeHostEntry) entry = { 0 };
  g_autofree char *canonical = NULL;
  g_autofree char *cell = NULL;
  ScopeLookupSection *section;

  note_literal (result, name);
  if (!scope_platform_host_by_name (name, request->family, &entry, error))
    return FALSE;
  if (g_str_equal (entry.method, "getaddrinfo"))
    add_note (result, _("This system has no gethostbyname_r(): the answer comes from "
                        "getaddrinfo() with AI_CANONNAME, which knows no aliases."));
  else if (request->family == AF_INET6)
    add_note (result, _("From gethostbyname2_r() for AF_INET6: the IPv6 addresses only."));
  else
    add_note (result, _("From gethostbyname_r(), as Python’s gethostbyname_ex() does: the "
                        "IPv4 addresses only. Address info shows IPv6 too."));

  section = add_section (result, "canonical", _("Canonical name"),
                         _("The host’s own name, reached after following every alias (CNAME "
                           "record) on the way."),
                         "name", NULL);
  canonical = show_name_and_unicode (entry.canonical);
  cell = scope_resolver_show_name (entry.canonical);
  add_row (section, canonical, NULL, cell, cell);

  section = add_section (result, "aliases", _("Aliases"),
                         _("Other names that lead to the canonical name, such as the CNAMEs "
                           "followed to reach it."),
                         "name", NULL);
  set_empty_text (section, _("No aliases: the name is the canonical name itself."));
  for (guint i = 0; entry.aliases[i] != NULL; i++)
    {
      g_autofree char *shown = show_name_and_unicode (entry.aliases[i]);
      g_autofree char *alias = scope_resolver_show_name (entry.aliases[i]);

      add_row (section, shown, NULL, alias, alias);
    }

  section = add_section (result, "addresses", _("Addresses"),
                         _("Every address of the name, in the order the resolver gave them."),
                         "address", "family", NULL);
  set_empty_text (section, _("No addresses"));
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
      set_gai_error (error, rc);
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

static void
section_error (ScopeLookupSection *section,
               const GError       *error)
{
  g_autofree char *text = error->domain == G_RESOLVER_ERROR ? scope_error_describe (error)
                                                           : g_strdup (error->message);

  set_empty_text (section, text);
}

static gboolean
lookup_reverse (ScopeLookupResult *result,
                GCancellable      *cancellable,
                GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  g_autofree char *host = ascii_name (result, request->query);
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
  if (literal_family (host) == AF_UNSPEC)
    /* Translators: the first %s is a host name, the second its address */
    add_note (result, _("“%s” is a name: these answers are for its first address, %s."),
              request->query, shown_address);

  section = add_section (result, "getnameinfo", _("getnameinfo()"),
                         _("Turns a socket address back into a host name. With NI_NAMEREQD it "
                           "fails when there is no name rather than give the address as text; "
                           "with NI_NUMERICHOST it does not look anything up."),
                         "host", NULL);
  g_socket_address_to_native (socket_address, &native, sizeof native, NULL);
  rc = getnameinfo ((struct sockaddr *) &native, g_socket_address_get_native_size (socket_address),
                    name, sizeof name, NULL, 0, request->ni_flags);
  if (rc == 0)
    {
      g_autofree char *shown = show_name_and_unicode (name);
      g_autofree char *host_cell = scope_resolver_show_name (name);

      add_row (section, shown, NULL, host_cell, host_cell);
    }
  else
    {
      g_autoptr(GError) gai = NULL;

      set_gai_error (&gai, rc);
      section_error (section, gai);
    }

  section = add_section (result, "gethostbyaddr", _("gethostbyaddr()"),
                         _("The host’s name, its aliases and its addresses, as Python’s "
                           "socket.gethostbyaddr() gives them."),
                         "role", "value", NULL);
  if (scope_platform_host_by_address (inet, &entry, &local_error))
    {
      g_autofree char *shown = show_name_and_unicode (entry.canonical);
      g_autofree char *canonical = scope_resolver_show_name (entry.canonical);

      add_row (section, shown, _("name"), canonical, "name", canonical);
      for (guint i = 0; entry.aliases[i] != NULL; i++)
        {
          g_autofree char *alias = scope_resolver_show_name (entry.aliases[i]);

          add_row (section, alias, _("alias"), alias, "alias", alias);
        }
      for (guint i = 0; entry.addresses[i] != NULL; i++)
        add_row (section, entry.addresses[i], _("address"), entry.addresses[i], "address",
                 entry.addresses[i]);
    }
  else
    section_error (section, local_error);
  g_clear_error (&local_error);

  section = add_section (result, "gresolver", _("GLib’s resolver"),
                         _("g_resolver_lookup_by_address() asks the same system resolver: the "
                           "hosts file, then the PTR record in DNS."),
                         "name", NULL);
  resolved = g_resolver_lookup_by_address (resolver, inet, cancellable, &local_error);
  if (resolved != NULL)
    {
      g_autofree char *shown = show_name_and_unicode (resolved);
      g_autofree char *resolved_cell = scope_resolver_show_name (resolved);

      add_row (section, shown, NULL, resolved_cell, resolved_cell);
    }
  else
    section_error (section, local_error);
  g_clear_error (&local_error);

  section = add_section (result, "fqdn", _("Fully qualified name"),
                         _("The first of the host’s names that holds a dot, as Python’s "
                           "socket.getfqdn() picks it; the input itself when there is none."),
                         "name", NULL);
  fqdn = fqdn_of (inet, request->query);
  add_row (section, fqdn, NULL, fqdn, fqdn);
  return TRUE;
}

static gboolean
lookup_service (ScopeLookupResult *result,
                GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  const char *query = request->query;
  gboolean numeric = strspn (query, "0123456789") == strlen (query);
  const char *protos[] = { "tcp", "udp" };
  ScopeLookupSection *section;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();

  section = add_section (result, "services", _("Services database"),
                         _("The services database (/etc/services here) maps service names to "
                           "port numbers for each transport; TCP and UDP may differ. It is a "
                           "local file: nothing is asked of the network."),
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
      add_row (section, title, detail, title, shown_name, port_text, protos[i], alias_text);
    }
  if (section->rows->len == 0)
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
    add_note (result, _("Not in the services database for %s."), (char *) missing->pdata[0]);
  return TRUE;
}

/* Addresses that the hosts file gives @name. */
static GHashTable *
hosts_file_addresses (const char *name)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (scope_platform_hosts_file (), &contents, NULL, NULL))
    return set;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *hash = strchr (lines[i], '#');
      g_auto(GStrv) words = NULL;

      if (hash != NULL)
        *hash = '\0';
      words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      for (guint w = 1; words[0] != NULL && words[w] != NULL; w++)
        if (g_ascii_strcasecmp (words[w], name) == 0)
          g_hash_table_add (set, g_strdup (words[0]));
    }
  return set;
}

#ifdef G_OS_UNIX
static guint16
get16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static GPtrArray *
malformed_answer (const char  *name,
                  GError     **error)
{
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL,
               "The answer for %s is not a well-formed DNS message", name);
  return NULL;
}

/* The TXT records of @name, each its strings joined, as the name server
 * sent them. GResolver cuts every string at its first NUL byte, and a
 * record may hold any byte: so the question is asked here with
 * res_nquery(), as GResolver asks it (resolv.conf, its search list, its
 * timeouts and retries, TCP for a long answer), and the answer read here.
 * Errors are GResolver's, with its codes. Returns: (element-type GBytes). */
static GPtrArray *
query_txt_records (const char   *name,
                   GCancellable *cancellable,
                   GError      **error)
{
  /* The largest DNS message there is: no answer is cut short. */
  const gsize size = G_MAXUINT16 + 1;
  g_autofree guint8 *answer = NULL;
  g_autoptr(GPtrArray) records = NULL;
  struct __res_state state;
  const guint8 *p, *end;
  int length, herr, n;
  guint questions, answers;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  memset (&state, 0, sizeof state);
  if (res_ninit (&state) != 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL,
                   "The resolver could not read its configuration for %s", name);
      return NULL;
    }
  answer = g_malloc (size);
  length = res_nquery (&state, name, C_IN, T_TXT, answer, size);
  herr = h_errno;
  res_nclose (&state);
  if (length <= 0)
    {
      if (length == 0 || herr == HOST_NOT_FOUND || herr == NO_DATA)
        g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                     "No TXT record for %s", name);
      else if (herr == TRY_AGAIN)
        g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                     "No answer for %s for now", name);
      else
        g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL,
                     "The name server failed for %s", name);
      return NULL;
    }
  if ((gsize) length > size || length < 12)
    return malformed_answer (name, error);

  /* The header; the question, skipped; then each answer: a name, type,
   * class, TTL, length, data. Only TXT records of class IN are kept (a
   * CNAME on the way comes first). */
  end = answer + length;
  questions = get16 (answer + 4);
  answers = get16 (answer + 6);
  p = answer + 12;
  for (guint i = 0; i < questions; i++)
    {
      n = dn_skipname (p, end);
      if (n < 0 || end - (p + n) < 4)
        return malformed_answer (name, error);
      p += n + 4;
    }
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < answers; i++)
    {
      guint16 type, class, rdlength;
      const guint8 *rdata;
      GByteArray *text;

      n = dn_skipname (p, end);
      if (n < 0 || end - (p + n) < 10)
        return malformed_answer (name, error);
      p += n;
      type = get16 (p);
      class = get16 (p + 2);
      rdlength = get16 (p + 8);
      rdata = p + 10;
      if (end - rdata < rdlength)
        return malformed_answer (name, error);
      p = rdata + rdlength;
      if (type != T_TXT || class != C_IN)
        continue;

      /* Strings, each after its length byte. */
      text = g_byte_array_sized_new (rdlength);
      for (const guint8 *q = rdata; q < rdata + rdlength; q += 1 + q[0])
        {
          if (rdata + rdlength - (q + 1) < q[0])
            {
              g_byte_array_unref (text);
              return malformed_answer (name, error);
            }
          g_byte_array_append (text, q + 1, q[0]);
        }
      g_ptr_array_add (records, g_byte_array_free_to_bytes (text));
    }
  if (records->len == 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                   "No TXT record for %s", name);
      return NULL;
    }
  return g_steal_pointer (&records);
}
#endif

static void
add_records (ScopeLookupResult *result,
             GResolver         *resolver,
             const char        *name,
             ScopeRecordsType   type,
             GCancellable      *cancellable,
             GError           **first_error)
{
  static const struct
  {
    const char         *id;
    GResolverRecordType record;
    const char         *label;
  } types[] = {
    [SCOPE_RECORDS_MX] = { "mx", G_RESOLVER_RECORD_MX, "MX" },
    [SCOPE_RECORDS_TXT] = { "txt", G_RESOLVER_RECORD_TXT, "TXT" },
    [SCOPE_RECORDS_SRV] = { "srv", G_RESOLVER_RECORD_SRV, "SRV" },
    [SCOPE_RECORDS_NS] = { "ns", G_RESOLVER_RECORD_NS, "NS" },
    [SCOPE_RECORDS_SOA] = { "soa", G_RESOLVER_RECORD_SOA, "SOA" },
  };
  g_autoptr(GError) error = NULL;
  GList *records;
  ScopeLookupSection *section = NULL;
  g_autofree char *title = NULL;

  switch (type)
    {
    case SCOPE_RECORDS_MX:
      section = add_section (result, "mx", NULL,
                             _("Mail exchangers: the hosts that take mail for this domain; the "
                               "lowest preference is tried first."),
                             "preference", "exchange", NULL);
      break;
    case SCOPE_RECORDS_TXT:
      section = add_section (result, "txt", NULL,
                             _("Free-form text, often used for mail policy (SPF), proofs of "
                               "domain ownership and notes."),
                             "text", NULL);
      break;
    case SCOPE_RECORDS_SRV:
      section = add_section (result, "srv", NULL,
                             _("Service records: which host and port offer a service, asked as "
                               "_service._proto.name, chosen by priority (lowest first) and "
                               "then weight."),
                             "priority", "weight", "port", "target", NULL);
      break;
    case SCOPE_RECORDS_NS:
      section = add_section (result, "ns", NULL,
                             _("The name servers that answer with authority for this zone."),
                             "nameserver", NULL);
      break;
    case SCOPE_RECORDS_SOA:
      section = add_section (result, "soa", NULL,
                             _("The start of authority: the zone’s primary server, the mailbox "
                               "of its administrator (the first dot stands for @), its serial "
                               "number and its timers in seconds."),
                             "mname", "rname", "serial", "refresh", "retry", "expire", "minimum",
                             NULL);
      break;
    case SCOPE_RECORDS_ALL:
    default:
      g_assert_not_reached ();
    }
  /* Translators: %s is a DNS record type such as "MX" */
  title = g_strdup_printf (_("%s records"), types[type].label);
  section->title = g_steal_pointer (&title);

#ifdef G_OS_UNIX
  if (type == SCOPE_RECORDS_TXT)
    {
      g_autoptr(GPtrArray) texts = query_txt_records (name, cancellable, &error);

      for (guint i = 0; texts != NULL && i < texts->len; i++)
        {
          gsize length;
          const guint8 *bytes = g_bytes_get_data (g_ptr_array_index (texts, i), &length);
          /* All of it, NUL bytes and escape sequences shown as escapes. */
          g_autofree char *text = scope_resolver_show_text (bytes, length);

          add_row (section, text, NULL, text, text);
        }
      if (texts != NULL)
        return;
      records = NULL;
    }
  else
#endif
  records = g_resolver_lookup_records (resolver, name, types[type].record, cancellable, &error);
  if (records == NULL)
    {
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        {
          /* Translators: the first %s is a record type, the second a name */
          g_autofree char *text = g_strdup_printf (_("No %s records for “%s” "
                                                     "(G_RESOLVER_ERROR_NOT_FOUND)"),
                                                   types[type].label, name);

          set_empty_text (section, text);
        }
      else
        {
          section_error (section, error);
          if (first_error != NULL && *first_error == NULL)
            *first_error = g_steal_pointer (&error);
        }
      return;
    }

  for (GList *l = records; l != NULL; l = l->next)
    {
      GVariant *v = l->data;
      g_autofree char *line = NULL;

      switch (type)
        {
        case SCOPE_RECORDS_MX:
          {
            guint16 preference;
            const char *exchange;
            g_autofree char *pref = NULL, *shown = NULL;

            g_variant_get (v, "(q&s)", &preference, &exchange);
            shown = scope_resolver_show_name (exchange);
            pref = g_strdup_printf ("%u", preference);
            line = g_strdup_printf ("%u %s", preference, shown);
            /* Translators: %u is an MX record's preference */
            add_row (section, shown, NULL, line, pref, shown);
            g_free (line);
            line = g_strdup_printf (_("preference %u"), preference);
            g_free (((Row *) g_ptr_array_index (section->rows, section->rows->len - 1))->detail);
            ((Row *) g_ptr_array_index (section->rows, section->rows->len - 1))->detail =
              g_steal_pointer (&line);
          }
          break;
        case SCOPE_RECORDS_TXT:
          {
            g_autofree const char **strings = NULL;
            g_autofree char *joined = NULL, *text = NULL;

            g_variant_get (v, "(^a&s)", &strings);
            joined = g_strjoinv ("", (char **) strings);
            text = scope_resolver_show_text ((const guint8 *) joined, strlen (joined));
            add_row (section, text, NULL, text, text);
          }
          break;
        case SCOPE_RECORDS_SRV:
          {
            guint16 priority, weight, port;
            const char *target;
            g_autofree char *p = NULL, *w = NULL, *po = NULL, *detail = NULL, *head = NULL;
            g_autofree char *shown = NULL;

            g_variant_get (v, "(qqq&s)", &priority, &weight, &port, &target);
            shown = scope_resolver_show_name (target);
            p = g_strdup_printf ("%u", priority);
            w = g_strdup_printf ("%u", weight);
            po = g_strdup_printf ("%u", port);
            head = g_strdup_printf ("%s:%u", shown, port);
            /* Translators: an SRV record's priority and weight */
            detail = g_strdup_printf (_("priority %u, weight %u"), priority, weight);
            line = g_strdup_printf ("%u %u %u %s", priority, weight, port, shown);
            add_row (section, head, detail, line, p, w, po, shown);
          }
          break;
        case SCOPE_RECORDS_NS:
          {
            const char *ns;
            g_autofree char *shown = NULL;

            g_variant_get (v, "(&s)", &ns);
            shown = scope_resolver_show_name (ns);
            add_row (section, shown, NULL, shown, shown);
          }
          break;
        case SCOPE_RECORDS_SOA:
          {
            const char *mname, *rname;
            guint32 serial, refresh, retry, expire, minimum;
            g_autofree char *s = NULL, *rf = NULL, *rt = NULL, *ex = NULL, *mi = NULL;
            g_autofree char *detail = NULL, *m = NULL, *r = NULL;

            g_variant_get (v, "(&s&suuuuu)", &mname, &rname, &serial, &refresh, &retry, &expire,
                           &minimum);
            m = scope_resolver_show_name (mname);
            r = scope_resolver_show_name (rname);
            s = g_strdup_printf ("%u", serial);
            rf = g_strdup_printf ("%u", refresh);
            rt = g_strdup_printf ("%u", retry);
            ex = g_strdup_printf ("%u", expire);
            mi = g_strdup_printf ("%u", minimum);
            /* Translators: an SOA record's administrator mailbox and serial number */
            detail = g_strdup_printf (_("administrator %s, serial %u"), r, serial);
            line = g_strdup_printf ("%s %s %u %u %u %u %u", m, r, serial, refresh, retry,
                                    expire, minimum);
            add_row (section, m, detail, line, m, r, s, rf, rt, ex, mi);
          }
          break;
        case SCOPE_RECORDS_ALL:
        default:
          g_assert_not_reached ();
        }
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
}

static gboolean
lookup_records (ScopeLookupResult *result,
                GCancellable      *cancellable,
                GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  g_autofree char *name = ascii_name (result, request->query);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GHashTable) in_hosts = NULL;
  g_autoptr(GError) first_error = NULL;
  struct addrinfo hints = { 0 }, *res = NULL;
  ScopeLookupSection *section;
  int rc;

  for (ScopeRecordsType t = SCOPE_RECORDS_MX; t <= SCOPE_RECORDS_SOA; t++)
    if (request->records == SCOPE_RECORDS_ALL || request->records == t)
      add_records (result, resolver, name, t, cancellable, &first_error);
  /* A record type that failed says why in its own section: the others, and
   * the system resolver's answer (the hosts file, say), still stand. */

  section = add_section (result, "system", _("The system resolver’s answer"),
                         _("What getaddrinfo() answers for the same name. The system resolver "
                           "reads the hosts file before it asks DNS, so a name can have "
                           "addresses here that DNS does not know, and the other way round."),
                         "address", "source", NULL);
  in_hosts = hosts_file_addresses (name);
  hints.ai_socktype = SOCK_STREAM;
  rc = getaddrinfo (name, NULL, &hints, &res);
  if (rc != 0)
    {
      g_autoptr(GError) gai = NULL;

      set_gai_error (&gai, rc);
      section_error (section, gai);
    }
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
    {
      char address[NI_MAXHOST];
      gboolean from_hosts;
      const char *source;

      if (getnameinfo (ai->ai_addr, ai->ai_addrlen, address, sizeof address, NULL, 0,
                       NI_NUMERICHOST) != 0)
        continue;
      from_hosts = g_hash_table_contains (in_hosts, address);
      source = from_hosts ? "hosts file" : "DNS or another source";
      add_row (section, address,
               from_hosts ? _("from the hosts file, which DNS does not read")
                          : _("from DNS or another source of the system resolver"),
               address, address, source);
    }
  if (res != NULL)
    freeaddrinfo (res);
  return TRUE;
}

static gboolean
lookup_me (ScopeLookupResult *result,
           GError           **error)
{
  const char *hostname = g_get_host_name ();
  g_autofree char *shown_hostname = scope_resolver_show_name (hostname);
  g_autoptr(GSocketAddress) first = NULL;
  g_autoptr(GPtrArray) interfaces = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *fqdn = NULL;
  struct addrinfo hints = { 0 }, *res = NULL;
  ScopeLookupSection *section;
  int rc;

  first = resolve_first (hostname, AF_UNSPEC, NULL);
  fqdn = fqdn_of (first != NULL ? g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (first))
                                : NULL, hostname);
  section = add_section (result, "names", _("Names"),
                         _("This machine’s host name (gethostname()), and its fully qualified "
                           "name as socket.getfqdn() finds it."),
                         "what", "value", NULL);
  add_row (section, shown_hostname, _("host name"), shown_hostname, "hostname", shown_hostname);
  add_row (section, fqdn, _("fully qualified name"), fqdn, "fqdn", fqdn);

  section = add_section (result, "hostname_addresses", _("What the host name resolves to"),
                         _("The addresses getaddrinfo() gives for the host name: often a "
                           "loopback address from the hosts file, not an interface’s."),
                         "address", "family", NULL);
  hints.ai_socktype = SOCK_STREAM;
  rc = getaddrinfo (hostname, NULL, &hints, &res);
  if (rc != 0)
    {
      g_autoptr(GError) gai = NULL;

      set_gai_error (&gai, rc);
      section_error (section, gai);
    }
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
    {
      char address[NI_MAXHOST];
      const char *family = ai->ai_family == AF_INET6 ? "AF_INET6" : "AF_INET";

      if (getnameinfo (ai->ai_addr, ai->ai_addrlen, address, sizeof address, NULL, 0,
                       NI_NUMERICHOST) == 0)
        add_row (section, address, family, address, address, family);
    }
  if (res != NULL)
    freeaddrinfo (res);

  section = add_section (result, "interfaces", _("Interfaces"),
                         _("Every network interface and its addresses (getifaddrs()). An IPv6 "
                           "link-local address (fe80::…) carries a scope id: the interface it "
                           "belongs to, written after a % sign."),
                         "interface", "family", "address", "netmask", "scope_id", "flags", NULL);
  interfaces = scope_platform_interfaces (&local_error);
  if (interfaces == NULL)
    {
      section_error (section, local_error);
      return TRUE;
    }
  for (guint i = 0; i < interfaces->len; i++)
    {
      ScopeInterfaceAddress *a = g_ptr_array_index (interfaces, i);
      const char *family = a->family == AF_INET6 ? "AF_INET6" : "AF_INET";
      g_autofree char *scope = a->family == AF_INET6 ? g_strdup_printf ("%u", a->scope_id) : NULL;
      g_autofree char *interface = scope_resolver_show_name (a->interface);
      g_autofree char *detail = g_strdup_printf ("%s · %s · %s", interface, family, a->flags);

      add_row (section, a->address, detail, a->address, interface, family, a->address,
               a->netmask, scope, a->flags);
    }
  return TRUE;
}

/**
 * scope_resolver_lookup:
 *
 * Answers @request with the blocking C calls; call it from a worker thread
 * (scope_resolver_lookup_async() does) or from a program with nothing else
 * to do.
 */
ScopeLookupResult *
scope_resolver_lookup (const ScopeLookupRequest *request,
                       GCancellable             *cancellable,
                       GError                  **error)
{
  g_autoptr(ScopeLookupResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean ok = FALSE;

  g_return_val_if_fail (request != NULL, NULL);

  if (!scope_lookup_request_validate (request, error))
    return NULL;
  result = result_new (request);
  switch (request->kind)
    {
    case SCOPE_LOOKUP_ADDRINFO:
      ok = lookup_addrinfo (result, error);
      break;
    case SCOPE_LOOKUP_HOST:
      ok = lookup_host (result, error);
      break;
    case SCOPE_LOOKUP_REVERSE:
      ok = lookup_reverse (result, cancellable, error);
      break;
    case SCOPE_LOOKUP_SERVICE:
      ok = lookup_service (result, error);
      break;
    case SCOPE_LOOKUP_RECORDS:
      ok = lookup_records (result, cancellable, error);
      break;
    case SCOPE_LOOKUP_ME:
      ok = lookup_me (result, error);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  if (!ok)
    {
      /* The failure of an internationalized name names the form asked. */
      if (error != NULL && *error != NULL && g_hostname_is_non_ascii (request->query))
        {
          g_autofree char *ascii = g_hostname_to_ascii (request->query);

          if (ascii != NULL)
            /* Translators: %s is a name in its ASCII (IDNA) form */
            g_prefix_error (error, _("Looked up as “%s”: "), ascii);
        }
      return NULL;
    }
  result->elapsed_us = g_get_monotonic_time () - start;
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------------ */
/* Async, with the app's timeout                                            */

typedef struct
{
  ScopeLookupRequest *request;
  GCancellable       *inner;        /* what the worker's task watches */
  GCancellable       *outer;        /* the caller's */
  gulong              outer_handler;
  guint               timeout_id;
  guint               timeout_ms;
  gboolean            timed_out;
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *d = data;

  g_clear_handle_id (&d->timeout_id, g_source_remove);
  if (d->outer != NULL && d->outer_handler != 0)
    g_cancellable_disconnect (d->outer, d->outer_handler);
  g_clear_object (&d->outer);
  g_clear_object (&d->inner);
  scope_lookup_request_free (d->request);
  g_free (d);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const ScopeLookupRequest *request = task_data;
  GError *error = NULL;
  ScopeLookupResult *result = scope_resolver_lookup (request, cancellable, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) scope_lookup_result_unref);
  else
    g_task_return_error (task, error);
}

static void
lookup_thread_done (GObject      *object,
                    GAsyncResult *inner_result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *d = g_task_get_task_data (task);
  GError *error = NULL;
  ScopeLookupResult *result;

  g_clear_handle_id (&d->timeout_id, g_source_remove);
  result = g_task_propagate_pointer (G_TASK (inner_result), &error);
  if (result != NULL)
    {
      g_task_return_pointer (task, result, (GDestroyNotify) scope_lookup_result_unref);
      return;
    }
  if (d->timed_out)
    {
      g_clear_error (&error);
      g_set_error (&error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_TIMED_OUT,
                   /* Translators: %.1f is the timeout in seconds */
                   _("No answer within %.1f s: the name server may be down or unreachable "
                     "(timed out)"), d->timeout_ms / 1000.0);
    }
  g_task_return_error (task, error);
}

static gboolean
lookup_timed_out (gpointer user_data)
{
  LookupData *d = user_data;

  d->timeout_id = 0;
  d->timed_out = TRUE;
  g_cancellable_cancel (d->inner);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled (GCancellable *outer,
                 gpointer      user_data)
{
  GCancellable *inner = user_data;

  g_cancellable_cancel (inner);
}

/**
 * scope_resolver_lookup_async:
 * @timeout_ms: give up after this long, 0 for never
 *
 * Answers @request in a worker thread. The blocking call cannot be stopped
 * once made, so cancelling or timing out returns at once and the worker's
 * late answer is dropped: the caller never waits for a silent name server.
 */
void
scope_resolver_lookup_async (const ScopeLookupRequest *request,
                             guint                     timeout_ms,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GError) error = NULL;
  LookupData *d;

  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_resolver_lookup_async);
  g_task_set_name (task, "[sockscope] lookup");

  /* Bad input is answered here, without a thread. */
  if (!scope_lookup_request_validate (request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  d = g_new0 (LookupData, 1);
  d->request = scope_lookup_request_copy (request);
  d->inner = g_cancellable_new ();
  d->timeout_ms = timeout_ms;
  g_task_set_task_data (task, d, lookup_data_free);
  if (cancellable != NULL)
    {
      d->outer = g_object_ref (cancellable);
      d->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled),
                                                g_object_ref (d->inner), g_object_unref);
    }
  if (timeout_ms > 0)
    {
      GSource *source = g_timeout_source_new (timeout_ms);

      g_source_set_callback (source, lookup_timed_out, d, NULL);
      g_source_set_static_name (source, "[sockscope] lookup timeout");
      d->timeout_id = g_source_attach (source, g_main_context_get_thread_default ());
      g_source_unref (source);
    }

  inner = g_task_new (NULL, d->inner, lookup_thread_done, g_steal_pointer (&task));
  g_task_set_source_tag (inner, lookup_thread);
  g_task_set_task_data (inner, scope_lookup_request_copy (request),
                        (GDestroyNotify) scope_lookup_request_free);
  g_task_set_return_on_cancel (inner, TRUE);
  g_task_run_in_thread (inner, lookup_thread);
}

ScopeLookupResult *
scope_resolver_lookup_finish (GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == scope_resolver_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
