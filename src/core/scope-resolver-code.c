/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#ifdef G_OS_UNIX
#include <sys/socket.h>
#endif

#include "scope-lookup-choices.h"
#include "scope-resolver-private.h"

/* The question as code to paste: Python's socket module, and C with the
 * same arguments. */

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
        g_autofree char *flags = scope_lookup_choice_join_flags (SCOPE_LOOKUP_CHOICE_AI_FLAG,
                                                                 request->ai_flags, TRUE);
        const char *c;

        g_string_append (out, "socket.getaddrinfo(");
        append_quoted (out, _scope_empty_to_null (query), '\'');
        g_string_append (out, ", ");
        append_quoted (out, _scope_empty_to_null (request->service), '\'');
        if (request->family != AF_UNSPEC
            && (c = scope_lookup_choice_constant (SCOPE_LOOKUP_CHOICE_FAMILY, request->family)))
          g_string_append_printf (out, ", family=socket.%s", c);
        if (request->socktype != 0
            && (c = scope_lookup_choice_constant (SCOPE_LOOKUP_CHOICE_SOCKTYPE,
                                                  request->socktype)))
          g_string_append_printf (out, ", type=socket.%s", c);
        if (request->protocol != 0
            && (c = scope_lookup_choice_constant (SCOPE_LOOKUP_CHOICE_PROTOCOL,
                                                  request->protocol)))
          g_string_append_printf (out, ", proto=socket.%s", c);
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
        g_autofree char *flags = scope_lookup_choice_join_flags (SCOPE_LOOKUP_CHOICE_NI_FLAG,
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
        g_autofree char *flags = scope_lookup_choice_join_flags (SCOPE_LOOKUP_CHOICE_AI_FLAG,
                                                                 request->ai_flags, FALSE);
        const char *family = scope_lookup_choice_constant (SCOPE_LOOKUP_CHOICE_FAMILY,
                                                           request->family);
        const char *socktype = scope_lookup_choice_constant (SCOPE_LOOKUP_CHOICE_SOCKTYPE,
                                                             request->socktype);
        const char *protocol = scope_lookup_choice_constant (SCOPE_LOOKUP_CHOICE_PROTOCOL,
                                                             request->protocol);

        g_string_append (out, "#include <netdb.h>\n\n"
                              "struct addrinfo hints = { 0 }, *res, *ai;\n");
        g_string_append_printf (out, "hints.ai_family = %s;\n", family ? family : "AF_UNSPEC");
        g_string_append_printf (out, "hints.ai_socktype = %s;\n", socktype ? socktype : "0");
        g_string_append_printf (out, "hints.ai_protocol = %s;\n", protocol ? protocol : "0");
        g_string_append_printf (out, "hints.ai_flags = %s;\n", flags ? flags : "0");
        g_string_append (out, "int rc = getaddrinfo (");
        append_quoted (out, _scope_empty_to_null (query), '"');
        g_string_append (out, ", ");
        append_quoted (out, _scope_empty_to_null (request->service), '"');
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
        g_autofree char *flags = scope_lookup_choice_join_flags (SCOPE_LOOKUP_CHOICE_NI_FLAG,
                                                                 request->ni_flags, FALSE);
        gboolean v6 = _scope_literal_family (query) == AF_INET6;

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
