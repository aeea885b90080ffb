/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for what users type into the Ports and Lookup pages and
 * the command line: addresses and socket addresses, ports and ranges,
 * numbers for byte order, host names and services. Built by
 * tests/fuzz/run-fuzz with the sanitizers, the core's sources compiled in.
 * Whatever the input:
 *   - each parser answers or refuses, and a refusal's message is clean
 *     UTF-8 with no control character (it is shown in a label and on a
 *     terminal);
 *   - an address read is one inet_ntop() writes back to the same bytes,
 *     and its kind, reverse name and number are consistent with them;
 *   - a port is at most 65535, a range is ordered and within its cap. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "scope-address.h"
#include "scope-resolver.h"
#include "scope-services.h"
#include "fuzz-check.h"

static void
check_message (const GError *error)
{
  CHECK (error != NULL && error->message != NULL && error->message[0] != '\0');
  CHECK (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    CHECK (!g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
check_address (const char *text)
{
  g_auto(ScopeAddressInfo) info = { 0 };
  g_autoptr(GError) error = NULL;

  if (!scope_address_inspect (text, &info, &error))
    {
      check_message (error);
      return;
    }
  CHECK (info.family == AF_INET || info.family == AF_INET6);
  CHECK (info.n_bytes == (info.family == AF_INET ? 4u : 16u));
  CHECK (info.port >= -1 && info.port <= 65535);
  CHECK (g_utf8_validate (info.python, -1, NULL));
  CHECK (g_str_has_suffix (info.reverse_name, info.family == AF_INET ? ".in-addr.arpa"
                                                                     : ".ip6.arpa"));
  CHECK (strspn (info.integer, "0123456789") == strlen (info.integer));
  /* What inet_ntop wrote reads back as the same bytes. */
  {
    g_auto(ScopeAddressInfo) again = { 0 };

    CHECK (scope_address_inspect (info.text, &again, NULL));
    CHECK (again.n_bytes == info.n_bytes && memcmp (again.bytes, info.bytes, info.n_bytes) == 0);
    CHECK (again.kind == info.kind && !again.aton_only);
  }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  guint port, first, last;
  ScopeByteOrder order;

  check_address (text);

  if (scope_port_parse (text, &port, &error))
    CHECK (port <= 65535);
  else
    check_message (error);
  g_clear_error (&error);

  if (scope_port_range_parse (text, 1024, &first, &last, &error))
    CHECK (first <= last && last <= 65535 && last - first < 1024);
  else
    check_message (error);
  g_clear_error (&error);

  for (guint width = 16; width <= 32; width += 16)
    {
      if (scope_byte_order_convert (text, width, &order, &error))
        CHECK (width == 32 || order.value <= 0xffff);
      else
        check_message (error);
      g_clear_error (&error);
    }

  if (!scope_resolver_validate_host (text, &error))
    check_message (error);
  g_clear_error (&error);

  {
    g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_SERVICE, text);

    if (!scope_lookup_request_validate (request, &error))
      check_message (error);
  }
  return 0;
}
