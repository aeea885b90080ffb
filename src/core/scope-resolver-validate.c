/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#ifdef G_OS_UNIX
#include <arpa/inet.h>
#include <sys/socket.h>
#endif

#include "scope-errors.h"
#include "scope-services.h"
#include "scope-resolver-private.h"

/* Checking a question before anything is asked: names as DNS allows them,
 * literal addresses, services and ports, each fault said in words. */

#define MAX_NAME_LENGTH 253
#define MAX_LABEL_LENGTH 63

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
int
_scope_literal_family (const char *text)
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

/* Bad input, said in words. */
#define invalid(error, ...) \
  scope_error_invalid (error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_INVALID, __VA_ARGS__)

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
          g_autofree char *shown = scope_input_for_message (name, 40);

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
      g_autofree char *shown = scope_input_for_message (name, 40);

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
      g_autofree char *shown = scope_input_for_message (labels[i], 20);

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

  if (_scope_literal_family (host) != AF_UNSPEC)
    return TRUE;
  /* Digits and dots are an IPv4 address, in any form inet_aton() reads
   * ("127.1" too), or a mistake: no name server has "999.1.1.1". */
  if (host[0] != '\0' && strspn (host, "0123456789.") == strlen (host))
    {
      g_autofree char *shown = scope_input_for_message (host, 40);

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
      shown = scope_input_for_message (host, 40);
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
  /* A number is read as a port, by the one rule for ports. */
  if (digits[0] != '\0' && strspn (digits, "0123456789") == strlen (digits))
    {
      g_autoptr(GError) port_error = NULL;
      guint port;

      if (!scope_port_parse (service, &port, &port_error))
        return invalid (error, "%s", port_error->message);
      return TRUE;
    }
  if (strlen (service) > 64)
    return invalid (error, _("The service name is too long: names in the services database "
                             "are short words such as “http”"));
  if (!g_ascii_isalnum (service[0]))
    {
      g_autofree char *shown = scope_input_for_message (service, 20);

      return invalid (error, _("“%s” does not begin with a letter or a digit, as service names "
                               "and port numbers do"), shown);
    }
  for (const char *p = service; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!(c < 128 && (g_ascii_isalnum (c) || strchr ("-_.+/", c) != NULL)))
        {
          g_autofree char *what = describe_char (c);
          g_autofree char *shown = scope_input_for_message (service, 20);

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
      if (request->kind == SCOPE_LOOKUP_RECORDS && _scope_literal_family (query) != AF_UNSPEC)
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
