/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

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

/* netbase's file is data read at run time (GPL-2.0-only, never compiled
 * in): read from SOCKSCOPE_DATA_DIR, which the tests point at the build
 * tree's copy. */
static void
test_netbase_file_read (void)
{
  g_autoptr(ScopeServiceCatalogue) catalogue = scope_service_catalogue_new_builtin ();
  ScopeService *ssh = scope_service_catalogue_find (catalogue, 22, "tcp");

  g_assert_nonnull (g_getenv ("SOCKSCOPE_DATA_DIR"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalogue)), >, 100);
  g_assert_cmpuint (scope_service_catalogue_get_n_skipped (catalogue), ==, 0);
  g_assert_nonnull (ssh);
  g_assert_cmpstr (scope_service_get_name (ssh), ==, "ssh");
  g_assert_nonnull (strstr (scope_service_catalogue_get_source (catalogue), "netbase"));
}

/* Without the file, or with a folder in its place, the catalogue is empty
 * and its source says which file and why, with the errno name. */
static void
assert_unreadable (const char *data_dir,
                   const char *errno_name)
{
  g_autofree char *path = g_build_filename (data_dir, "netbase", "services", NULL);
  g_autoptr(ScopeServiceCatalogue) catalogue = NULL;
  const char *source;

  g_setenv ("SOCKSCOPE_DATA_DIR", data_dir, TRUE);
  catalogue = scope_service_catalogue_new_builtin ();
  source = scope_service_catalogue_get_source (catalogue);
  g_test_message ("%s", source);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalogue)), ==, 0);
  g_assert_nonnull (strstr (source, "netbase"));
  g_assert_nonnull (strstr (source, path));
  g_assert_nonnull (strstr (source, errno_name));
}

static void
test_netbase_file_unreadable (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("SOCKSCOPE_DATA_DIR"));
  g_autofree char *dir = g_dir_make_tmp ("sockscope-data-XXXXXX", NULL);
  g_autofree char *netbase = g_build_filename (dir, "netbase", NULL);
  g_autofree char *services = g_build_filename (netbase, "services", NULL);

  g_assert_nonnull (dir);
  assert_unreadable (dir, "(ENOENT)");
  g_assert_cmpint (g_mkdir_with_parents (services, 0700), ==, 0);
  assert_unreadable (dir, "(EISDIR)");

  g_assert_cmpint (g_rmdir (services), ==, 0);
  g_assert_cmpint (g_rmdir (netbase), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_setenv ("SOCKSCOPE_DATA_DIR", saved, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/services/protocols-not-interned", test_protocols_not_interned);
  g_test_add_func ("/services/netbase-file/read", test_netbase_file_read);
  g_test_add_func ("/services/netbase-file/unreadable", test_netbase_file_unreadable);
  return g_test_run ();
}
