/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-services.h"

/* A services file is read as text: the protocols it names are kept, but
 * not interned, where a file's every new word would stay in GLib's quark
 * table for good (the fuzzer of the tables found its first block "leaked"
 * when thousands of made-up protocols had grown the table past it). */
static void
test_protocols_not_interned (void)
{
  GString *text = g_string_new ("ssh 22/tcp\ndomain 53/udp\n");
  g_autoptr(ScopeServiceCatalogue) catalogue = NULL;
  g_autoptr(ScopeService) ssh = NULL;
  g_autoptr(ScopeService) odd = NULL;
  guint n;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (text, "svc%u %u/proto-%u-never-seen\n", i, 1000 + i, i);
  catalogue = scope_service_catalogue_new_from_text (text->str, text->len, "test");
  n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  g_assert_cmpuint (n, ==, 3002);

  ssh = g_list_model_get_item (G_LIST_MODEL (catalogue), 0);
  odd = g_list_model_get_item (G_LIST_MODEL (catalogue), n - 1);
  g_assert_cmpstr (scope_service_get_protocol (ssh), ==, "tcp");
  g_assert_cmpstr (scope_service_get_protocol (odd), ==, "proto-2999-never-seen");
  g_assert_cmpuint (g_quark_try_string ("proto-2999-never-seen"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("proto-0-never-seen"), ==, 0);
  g_string_free (text, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/services/protocols-not-interned", test_protocols_not_interned);
  return g_test_run ();
}
