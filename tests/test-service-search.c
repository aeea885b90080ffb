/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-service-search.h"

/* The Ports page's search: the same answers as scope_service_matches() and
 * the drop-downs, from the lowered keys; and when a search narrows the
 * last, so that only what that showed is looked at again. */

static const char services_text[] =
  "ssh\t22/tcp\n"
  "domain\t53/tcp\n"
  "domain\t53/udp\n"
  "http\t80/tcp\t\twww\n"
  "kerberos\t88/tcp\t\tkerberos5 krb5 kerberos-sec\n"
  "kerberos\t88/udp\t\tkerberos5 krb5 kerberos-sec\n"
  "HTTP-Alt\t8080/tcp\twebcache\n"
  "dyn\t50000/udp\n";

static ScopeServiceCatalogue *
catalogue_new (void)
{
  return scope_service_catalogue_new_from_text (services_text, strlen (services_text), "test");
}

/* The names of what @search shows, by the keys and without them. */
static char *
shown (ScopeServiceCatalogue *catalogue,
       ScopeServiceSearch    *search)
{
  GString *names = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ScopeService) service = g_list_model_get_item (G_LIST_MODEL (catalogue), i);
      g_autofree char *key = scope_service_search_key (service);
      gboolean by_key = scope_service_search_matches (search, service, key);

      /* Without a key, the core's own matching answers: the two agree. */
      g_assert_cmpint (by_key, ==, scope_service_search_matches (search, service, NULL));
      if (by_key)
        g_string_append_printf (names, "%s%s/%u/%s", names->len > 0 ? " " : "",
                                scope_service_get_name (service),
                                scope_service_get_port (service),
                                scope_service_get_protocol (service));
    }
  return g_string_free (names, FALSE);
}

static void
check (ScopeServiceCatalogue      *catalogue,
       const char                 *query,
       ScopeServiceSearchProtocol  protocol,
       int                         port_class,
       const char                 *expected)
{
  g_autoptr(ScopeServiceSearch) search = scope_service_search_new (query, protocol, port_class);
  g_autofree char *names = shown (catalogue, search);

  g_assert_cmpstr (names, ==, expected);
}

static void
test_matches (void)
{
  g_autoptr(ScopeServiceCatalogue) catalogue = catalogue_new ();

  /* Part of a name or an alias, whatever its case. */
  check (catalogue, "http", SCOPE_SERVICE_SEARCH_ANY_PROTOCOL, SCOPE_SERVICE_SEARCH_ANY_CLASS,
         "http/80/tcp HTTP-Alt/8080/tcp");
  check (catalogue, "  WEB ", SCOPE_SERVICE_SEARCH_ANY_PROTOCOL, SCOPE_SERVICE_SEARCH_ANY_CLASS,
         "HTTP-Alt/8080/tcp");
  check (catalogue, "krb5", SCOPE_SERVICE_SEARCH_UDP, SCOPE_SERVICE_SEARCH_ANY_CLASS,
         "kerberos/88/udp");
  /* A number is a port, exactly; past 65535, none. */
  check (catalogue, "53", SCOPE_SERVICE_SEARCH_ANY_PROTOCOL, SCOPE_SERVICE_SEARCH_ANY_CLASS,
         "domain/53/tcp domain/53/udp");
  check (catalogue, "5", SCOPE_SERVICE_SEARCH_ANY_PROTOCOL, SCOPE_SERVICE_SEARCH_ANY_CLASS, "");
  check (catalogue, "99999999999", SCOPE_SERVICE_SEARCH_ANY_PROTOCOL,
         SCOPE_SERVICE_SEARCH_ANY_CLASS, "");
  /* The drop-downs alone. */
  check (catalogue, "", SCOPE_SERVICE_SEARCH_TCP, SCOPE_PORT_CLASS_REGISTERED,
         "HTTP-Alt/8080/tcp");
  check (catalogue, "", SCOPE_SERVICE_SEARCH_ANY_PROTOCOL, SCOPE_PORT_CLASS_DYNAMIC,
         "dyn/50000/udp");
  /* A match never spans two names of a key. */
  check (catalogue, "krb5\nkerberos", SCOPE_SERVICE_SEARCH_ANY_PROTOCOL,
         SCOPE_SERVICE_SEARCH_ANY_CLASS, "");
  check (catalogue, "5 kerb", SCOPE_SERVICE_SEARCH_ANY_PROTOCOL, SCOPE_SERVICE_SEARCH_ANY_CLASS,
         "");
}

static gboolean
narrows (const char                 *query,
         ScopeServiceSearchProtocol  protocol,
         int                         port_class,
         const char                 *looser_query,
         ScopeServiceSearchProtocol  looser_protocol,
         int                         looser_class)
{
  g_autoptr(ScopeServiceSearch) search = scope_service_search_new (query, protocol, port_class);
  g_autoptr(ScopeServiceSearch) looser = scope_service_search_new (looser_query, looser_protocol,
                                                                   looser_class);

  return scope_service_search_narrows (search, looser);
}

static void
test_narrows (void)
{
  const ScopeServiceSearchProtocol any = SCOPE_SERVICE_SEARCH_ANY_PROTOCOL;
  const int all = SCOPE_SERVICE_SEARCH_ANY_CLASS;

  /* A letter typed narrows; one taken back does not. */
  g_assert_true (narrows ("ke", any, all, "k", any, all));
  g_assert_true (narrows ("KER", any, all, "ke", any, all));
  g_assert_true (narrows ("k", any, all, "", any, all));
  g_assert_false (narrows ("k", any, all, "ke", any, all));
  g_assert_false (narrows ("", any, all, "k", any, all));
  /* A port is exact: "53" shows what "5" does not. */
  g_assert_false (narrows ("53", any, all, "5", any, all));
  g_assert_true (narrows ("53", any, all, "", any, all));
  g_assert_false (narrows ("5a", any, all, "5", any, all));
  /* The drop-downs narrow from "all", and only from it. */
  g_assert_true (narrows ("k", SCOPE_SERVICE_SEARCH_TCP, all, "k", any, all));
  g_assert_false (narrows ("k", any, all, "k", SCOPE_SERVICE_SEARCH_TCP, all));
  g_assert_false (narrows ("k", SCOPE_SERVICE_SEARCH_UDP, all, "k", SCOPE_SERVICE_SEARCH_TCP,
                           all));
  g_assert_true (narrows ("", any, SCOPE_PORT_CLASS_DYNAMIC, "", any, all));
  g_assert_false (narrows ("", any, SCOPE_PORT_CLASS_DYNAMIC, "", any,
                           SCOPE_PORT_CLASS_WELL_KNOWN));
}

/* What narrows shows a subset: searched again over what the looser search
 * showed, it shows the same as over everything. */
static void
test_narrowing_is_a_subset (void)
{
  static const char *queries[] = { "", "k", "ke", "ker", "kerberos", "kerberos5", "h", "ht",
                                   "http", "8", "80", "8080", "w", "we" };
  g_autoptr(ScopeServiceCatalogue) catalogue = catalogue_new ();

  for (guint a = 0; a < G_N_ELEMENTS (queries); a++)
    for (guint b = 0; b < G_N_ELEMENTS (queries); b++)
      for (int c = SCOPE_SERVICE_SEARCH_ANY_CLASS; c < SCOPE_N_PORT_CLASSES; c++)
        {
          g_autoptr(ScopeServiceSearch) search =
            scope_service_search_new (queries[a], SCOPE_SERVICE_SEARCH_ANY_PROTOCOL, c);
          g_autoptr(ScopeServiceSearch) looser =
            scope_service_search_new (queries[b], SCOPE_SERVICE_SEARCH_ANY_PROTOCOL,
                                      SCOPE_SERVICE_SEARCH_ANY_CLASS);
          guint n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));

          if (!scope_service_search_narrows (search, looser))
            continue;
          for (guint i = 0; i < n; i++)
            {
              g_autoptr(ScopeService) service = g_list_model_get_item (G_LIST_MODEL (catalogue),
                                                                       i);

              if (scope_service_search_matches (search, service, NULL))
                g_assert_true (scope_service_search_matches (looser, service, NULL));
            }
        }
}

static void
test_equal (void)
{
  g_autoptr(ScopeServiceSearch) a = scope_service_search_new (" ssh ",
                                                              SCOPE_SERVICE_SEARCH_TCP, 0);
  g_autoptr(ScopeServiceSearch) b = scope_service_search_new ("ssh", SCOPE_SERVICE_SEARCH_TCP, 0);
  g_autoptr(ScopeServiceSearch) c = scope_service_search_new ("ssh", SCOPE_SERVICE_SEARCH_UDP, 0);

  g_assert_true (scope_service_search_equal (a, b));
  g_assert_false (scope_service_search_equal (a, c));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service-search/matches", test_matches);
  g_test_add_func ("/service-search/narrows", test_narrows);
  g_test_add_func ("/service-search/narrowing-is-a-subset", test_narrowing_is_a_subset);
  g_test_add_func ("/service-search/equal", test_equal);

  return g_test_run ();
}
