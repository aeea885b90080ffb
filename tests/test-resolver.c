/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <netdb.h>
#include <sys/socket.h>

#include "scope-payload.h"
#include "scope-resolver.h"

/* The resolver's checks and answers on what every machine has: loopback,
 * localhost in the hosts file, the services database. Real DNS answers are
 * tested against dnsmasq in test-lookup.py. */

static ScopeLookupResult *
run (ScopeLookupRequest *request,
     GError            **error)
{
  return scope_resolver_lookup (request, NULL, error);
}

static void
expect_invalid (ScopeLookupKind kind,
                const char     *query,
                const char     *service,
                const char     *fragment)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (kind, query);
  g_autoptr(GError) error = NULL;

  request->service = g_strdup (service);
  g_assert_false (scope_lookup_request_validate (request, &error));
  g_assert_error (error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s”: expected “%s” in “%s”", query, fragment, error->message);
}

static void
test_bad_input (void)
{
  g_autofree char *long_name = NULL;
  g_autofree char *long_label = g_strnfill (64, 'a');
  g_autofree char *label_name = g_strconcat (long_label, ".example", NULL);
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < 26; i++)
    g_string_append (names, "abcdefghi.");
  g_string_append (names, "test");
  long_name = g_string_free (names, FALSE);

  expect_invalid (SCOPE_LOOKUP_HOST, "", NULL, "empty");
  expect_invalid (SCOPE_LOOKUP_ADDRINFO, "", "", "Both the host and the service are empty");
  expect_invalid (SCOPE_LOOKUP_HOST, long_name, NULL,
                  "264 characters long; DNS allows at most 253");
  expect_invalid (SCOPE_LOOKUP_HOST, label_name, NULL, "is 64 characters long");
  expect_invalid (SCOPE_LOOKUP_HOST, "bad name", NULL, "contains a space");
  expect_invalid (SCOPE_LOOKUP_HOST, "bad!name", NULL, "contains “!”");
  expect_invalid (SCOPE_LOOKUP_HOST, "tab\there", NULL, "control character U+0009");
  expect_invalid (SCOPE_LOOKUP_HOST, "a..b", NULL, "empty label");
  expect_invalid (SCOPE_LOOKUP_HOST, "-a.example", NULL, "hyphen");
  expect_invalid (SCOPE_LOOKUP_HOST, "\xff\xfe", NULL, "not valid UTF-8");
  expect_invalid (SCOPE_LOOKUP_REVERSE, "1.2.3.4.5:80", NULL, "not a valid IPv4 or IPv6 address");
  expect_invalid (SCOPE_LOOKUP_REVERSE, "fe80::1%", NULL, "not a valid IPv4 or IPv6 address");
  expect_invalid (SCOPE_LOOKUP_SERVICE, "70000", NULL, "Port 70000 is out of range");
  expect_invalid (SCOPE_LOOKUP_SERVICE, "-1", NULL, "Port -1 is out of range");
  expect_invalid (SCOPE_LOOKUP_SERVICE, "99999999999999999999", NULL, "out of range");
  expect_invalid (SCOPE_LOOKUP_SERVICE, "", NULL, "The service is empty");
  expect_invalid (SCOPE_LOOKUP_SERVICE, "ht tp", NULL, "a service name cannot hold");
  expect_invalid (SCOPE_LOOKUP_SERVICE, "http\n", NULL, "control character U+000A");
  expect_invalid (SCOPE_LOOKUP_ADDRINFO, "localhost", "65536", "Port 65536 is out of range");
  expect_invalid (SCOPE_LOOKUP_RECORDS, "192.0.2.1", NULL, "choose Reverse");
  expect_invalid (SCOPE_LOOKUP_HOST, "999.1.1.1", NULL, "not a valid IPv4 address");
  expect_invalid (SCOPE_LOOKUP_SERVICE, "+22", NULL, "does not begin with a letter or a digit");
  expect_invalid (SCOPE_LOOKUP_SERVICE, "-http", NULL, "does not begin with a letter or a digit");
}

static void
test_good_input (void)
{
  const char *hosts[] = { "localhost", "127.0.0.1", "127.1", "::1", "fe80::1%lo",
                          "bücher.example", "_http._tcp.sockscope.test", "example.", NULL };

  for (guint i = 0; hosts[i] != NULL; i++)
    {
      g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_HOST,
                                                                        hosts[i]);
      g_autoptr(GError) error = NULL;

      g_assert_true (scope_lookup_request_validate (request, &error));
      g_assert_no_error (error);
    }
}

static ScopeLookupSection *
section (ScopeLookupResult *result,
         const char        *id)
{
  ScopeLookupSection *s = scope_lookup_result_find_section (result, id);

  g_assert_nonnull (s);
  return s;
}

/* localhost for port 80: a stream and a datagram row for each address, with
 * this platform's numbers beside the names. */
static void
test_addrinfo_localhost (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_ADDRINFO,
                                                                    "localhost");
  g_autoptr(ScopeLookupResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScopeLookupSection *s;
  gboolean stream = FALSE, dgram = FALSE;

  request->service = g_strdup ("80");
  request->family = AF_INET;
  result = run (request, &error);
  g_assert_no_error (error);
  s = section (result, "addrinfo");
  g_assert_cmpuint (scope_report_section_get_n_rows (s), >=, 2);
  for (guint r = 0; r < scope_report_section_get_n_rows (s); r++)
    {
      const char *type = scope_report_section_get_cell (s, r, "socktype");

      g_assert_cmpstr (scope_report_section_get_cell (s, r, "family"), ==, "AF_INET");
      g_assert_cmpstr (scope_report_section_get_cell (s, r, "address"), ==, "127.0.0.1");
      g_assert_cmpstr (scope_report_section_get_cell (s, r, "port"), ==, "80");
      g_assert_cmpstr (scope_report_section_get_cell (s, r, "sockaddr"), ==,
                       "('127.0.0.1', 80)");
      if (g_str_equal (type, "SOCK_STREAM"))
        {
          stream = TRUE;
          g_assert_cmpstr (scope_report_section_get_cell (s, r, "protocol"), ==, "IPPROTO_TCP");
          g_assert_cmpint (atoi (scope_report_section_get_cell (s, r, "socktype_value")), ==,
                           SOCK_STREAM);
          g_assert_cmpstr (scope_report_section_get_row_title (s, r), ==, "127.0.0.1:80");
        }
      else if (g_str_equal (type, "SOCK_DGRAM"))
        {
          dgram = TRUE;
          g_assert_cmpstr (scope_report_section_get_cell (s, r, "protocol"), ==, "IPPROTO_UDP");
        }
    }
  g_assert_true (stream && dgram);
  g_assert_null (scope_lookup_result_get_notes (result)[0]);
}

/* Debian's services database lists http for TCP only: no datagram rows, and
 * a note that says why. */
static void
test_addrinfo_one_transport (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_ADDRINFO,
                                                                    "localhost");
  g_autoptr(ScopeLookupResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScopeLookupSection *s;
  struct servent *udp = getservbyname ("http", "udp");
  const char * const *notes;

  if (udp != NULL || getservbyname ("http", "tcp") == NULL)
    {
      g_test_skip ("this machine’s services database lists http for UDP too");
      return;
    }
  request->service = g_strdup ("http");
  result = run (request, &error);
  g_assert_no_error (error);
  s = section (result, "addrinfo");
  for (guint r = 0; r < scope_report_section_get_n_rows (s); r++)
    g_assert_cmpstr (scope_report_section_get_cell (s, r, "socktype"), ==, "SOCK_STREAM");
  notes = scope_lookup_result_get_notes (result);
  g_assert_nonnull (notes[0]);
  g_assert_nonnull (strstr (notes[0], "for TCP only"));
  g_assert_cmpint (scope_lookup_result_get_elapsed_us (result), >, 0);
}

static void
test_addrinfo_literal_v6_scope (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_ADDRINFO,
                                                                    "fe80::1%lo");
  g_autoptr(ScopeLookupResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScopeLookupSection *s;
  const char * const *notes;

  request->service = g_strdup ("8080");
  request->socktype = SOCK_STREAM;
  request->ai_flags = AI_NUMERICHOST;
  result = run (request, &error);
  g_assert_no_error (error);
  s = section (result, "addrinfo");
  g_assert_cmpuint (scope_report_section_get_n_rows (s), ==, 1);
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "family"), ==, "AF_INET6");
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "address"), ==, "fe80::1%lo");
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "scope_id"), ==, "1");
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "sockaddr"), ==,
                   "('fe80::1', 8080, 0, 1)");
  notes = scope_lookup_result_get_notes (result);
  g_assert_nonnull (notes[0]);
  g_assert_nonnull (strstr (notes[0], "literal address"));
}

static void
test_addrinfo_failure (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_ADDRINFO,
                                                                    "localhost");
  g_autoptr(GError) error = NULL;

  /* A name with AI_NUMERICHOST is refused by getaddrinfo itself. */
  request->ai_flags = AI_NUMERICHOST;
  g_assert_null (run (request, &error));
  g_assert_error (error, SCOPE_GAI_ERROR, EAI_NONAME);
  g_assert_nonnull (strstr (error->message, "(EAI_NONAME)"));
}

/* A failed lookup of an internationalized name says which form was asked. */
static void
test_idn_failure_names_ascii_form (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_ADDRINFO,
                                                                    "bücher.example");
  g_autoptr(GError) error = NULL;

  request->ai_flags = AI_NUMERICHOST;   /* refused at once, without DNS */
  g_assert_null (run (request, &error));
  g_assert_error (error, SCOPE_GAI_ERROR, EAI_NONAME);
  g_assert_true (g_str_has_prefix (error->message, "Looked up as “xn--bcher-kva.example”: "));
}

static void
test_service (void)
{
  struct
  {
    const char *query;
    ScopeServiceProto proto;
    const char *name, *port, *protocol;
  } cases[] = {
    { "ssh", SCOPE_SERVICE_PROTO_TCP, "ssh", "22", "tcp" },
    { "80", SCOPE_SERVICE_PROTO_TCP, "http", "80", "tcp" },
    { "domain", SCOPE_SERVICE_PROTO_UDP, "domain", "53", "udp" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_SERVICE,
                                                                        cases[i].query);
      g_autoptr(ScopeLookupResult) result = NULL;
      g_autoptr(GError) error = NULL;
      ScopeLookupSection *s;

      request->proto = cases[i].proto;
      result = run (request, &error);
      g_assert_no_error (error);
      s = section (result, "services");
      g_assert_cmpuint (scope_report_section_get_n_rows (s), ==, 1);
      g_assert_cmpstr (scope_report_section_get_cell (s, 0, "name"), ==, cases[i].name);
      g_assert_cmpstr (scope_report_section_get_cell (s, 0, "port"), ==, cases[i].port);
      g_assert_cmpstr (scope_report_section_get_cell (s, 0, "protocol"), ==, cases[i].protocol);
    }

  {
    g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_SERVICE,
                                                                      "no-such-service");
    g_autoptr(GError) error = NULL;

    g_assert_null (run (request, &error));
    g_assert_error (error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "not in this machine’s services database"));
    g_assert_nonnull (strstr (error->message, "TCP or UDP"));
  }
}

static void
test_host_localhost (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_HOST,
                                                                    "localhost");
  g_autoptr(ScopeLookupResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScopeLookupSection *s;

  result = run (request, &error);
  g_assert_no_error (error);
  s = section (result, "canonical");
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "name"), ==, "localhost");
  s = section (result, "addresses");
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "address"), ==, "127.0.0.1");
}

static void
test_reverse_loopback (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_REVERSE,
                                                                    "127.0.0.1");
  g_autoptr(ScopeLookupResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScopeLookupSection *s;

  request->ni_flags = NI_NUMERICHOST;
  result = run (request, &error);
  g_assert_no_error (error);
  s = section (result, "getnameinfo");
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "host"), ==, "127.0.0.1");
  s = section (result, "gethostbyaddr");
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "role"), ==, "name");
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "value"), ==, "localhost");
  g_assert_nonnull (section (result, "gresolver"));
  g_assert_nonnull (section (result, "fqdn"));
}

static void
test_me (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_ME, NULL);
  g_autoptr(ScopeLookupResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScopeLookupSection *s;
  gboolean loopback = FALSE;

  result = run (request, &error);
  g_assert_no_error (error);
  s = section (result, "names");
  g_assert_cmpstr (scope_report_section_get_cell (s, 0, "value"), ==, g_get_host_name ());
  s = section (result, "interfaces");
  for (guint r = 0; r < scope_report_section_get_n_rows (s); r++)
    loopback |= g_strcmp0 (scope_report_section_get_cell (s, r, "address"), "127.0.0.1") == 0;
  g_assert_true (loopback);
}

/* The copyable code asks the same question with the same arguments. */
static void
test_code (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_ADDRINFO,
                                                                    "localhost");
  g_autofree char *python = NULL;
  g_autofree char *c = NULL;

  request->service = g_strdup ("http");
  request->family = AF_INET6;
  request->socktype = SOCK_STREAM;
  request->ai_flags = AI_CANONNAME | AI_PASSIVE;
  python = scope_lookup_request_to_python (request);
  g_assert_nonnull (strstr (python, "socket.getaddrinfo('localhost', 'http', "
                                    "family=socket.AF_INET6, type=socket.SOCK_STREAM, "
                                    "flags=socket.AI_CANONNAME | socket.AI_PASSIVE)"));
  c = scope_lookup_request_to_c (request);
  g_assert_nonnull (strstr (c, "hints.ai_family = AF_INET6;"));
  g_assert_nonnull (strstr (c, "hints.ai_flags = AI_CANONNAME | AI_PASSIVE;"));
  g_assert_nonnull (strstr (c, "getaddrinfo (\"localhost\", \"http\", &hints, &res)"));
}

static void
lookup_done (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  GError **error = user_data;
  ScopeLookupResult *result = scope_resolver_lookup_finish (res, error);

  g_assert_true (result != NULL || *error != NULL);
  g_clear_pointer (&result, scope_lookup_result_unref);
}

/* Cancel returns at once with G_IO_ERROR_CANCELLED; bad input fails without
 * a thread. */
static void
test_async_cancel_and_invalid (void)
{
  g_autoptr(ScopeLookupRequest) request = scope_lookup_request_new (SCOPE_LOOKUP_ME, NULL);
  g_autoptr(ScopeLookupRequest) bad = scope_lookup_request_new (SCOPE_LOOKUP_SERVICE, "70000");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  scope_resolver_lookup_async (request, 5000, cancellable, lookup_done, &error);
  g_cancellable_cancel (cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  scope_resolver_lookup_async (bad, 5000, NULL, lookup_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_INVALID);
  g_clear_error (&error);
}

/* What a name server or a file sends, made harmless to show: escaped,
 * never cut, and (for text) parsed back to the same bytes. */
static void
test_show_untrusted_text (void)
{
  static const guint8 txt[] = "a\x1b]0;pwned\x07" "b\0after\x1f\xff\\end";
  static const struct
  {
    const char *name;
    const char *shown;
  } names[] = {
    { "www.example.test", "www.example.test" },
    { "odd\x1b]0;pwned\x07name.test", "odd\\x1b]0;pwned\\x07name.test" },
    { "al\x1b[2Jias", "al\\x1b[2Jias" },
    /* A right-to-left override, and a C1 control: not shown as they are. */
    { "txt\xe2\x80\xaegnp.exe", "txt\\xe2\\x80\\xaegnp.exe" },
    { "c1\xc2\x9b" "31m", "c1\\xc2\\x9b31m" },
    { "bad\xff.test", "bad\\xff.test" },
    /* DNS's own notation, as the resolver writes an odd byte: kept. */
    { "ev\\027]0\\;pwned\\007il.test", "ev\\027]0\\;pwned\\007il.test" },
    { "b\xc3\xbc" "cher.test", "b\xc3\xbc" "cher.test" },
    { "", "" },
  };
  g_autofree char *shown = scope_resolver_show_text (txt, sizeof txt - 1);
  g_autoptr(GBytes) back = NULL;

  g_assert_cmpstr (shown, ==, "a\\x1b]0;pwned\\x07b\\0after\\x1f\\xff\\\\end");
  /* The Send box's own parser gives back every byte, after the NUL too. */
  back = scope_payload_parse (shown, -1, SCOPE_PAYLOAD_TEXT, NULL, NULL);
  g_assert_nonnull (back);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), txt, sizeof txt - 1);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = scope_resolver_show_name (names[i].name);

      g_assert_cmpstr (name, ==, names[i].shown);
    }
  g_assert_null (scope_resolver_show_name (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/resolver/bad-input", test_bad_input);
  g_test_add_func ("/resolver/good-input", test_good_input);
  g_test_add_func ("/resolver/addrinfo-localhost", test_addrinfo_localhost);
  g_test_add_func ("/resolver/addrinfo-one-transport", test_addrinfo_one_transport);
  g_test_add_func ("/resolver/addrinfo-literal-v6-scope", test_addrinfo_literal_v6_scope);
  g_test_add_func ("/resolver/addrinfo-failure", test_addrinfo_failure);
  g_test_add_func ("/resolver/idn-failure", test_idn_failure_names_ascii_form);
  g_test_add_func ("/resolver/service", test_service);
  g_test_add_func ("/resolver/host-localhost", test_host_localhost);
  g_test_add_func ("/resolver/reverse-loopback", test_reverse_loopback);
  g_test_add_func ("/resolver/me", test_me);
  g_test_add_func ("/resolver/code", test_code);
  g_test_add_func ("/resolver/async-cancel-and-invalid", test_async_cancel_and_invalid);
  g_test_add_func ("/resolver/show-untrusted-text", test_show_untrusted_text);

  return g_test_run ();
}
