/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "scope-address-report.h"
#include "scope-constants.h"
#include "scope-constants-report.h"
#include "scope-resolver.h"
#include "scope-services-report.h"

/* The reports of the Ports page and of sockscope-cli's services, constants
 * and address: what each holds for an input, checked against the C
 * library and the core's own tables rather than against figures written
 * down here. */

static JsonObject *
report_json (ScopeReport *report,
             JsonNode   **root)
{
  *root = scope_report_to_json (report);
  return json_node_get_object (*root);
}

/* A row's cell in the text, as the number the C library knows. */
static gint64
cell_number (ScopeReportSection *section,
             guint               row,
             const char         *key)
{
  return g_ascii_strtoll (scope_report_section_get_cell (section, row, key), NULL, 10);
}

/* ------------------------------------------------------------------------ */
/* constants                                                                */

static const ScopeSocketConstant *
find_constant (const char *name)
{
  guint n;
  const ScopeSocketConstant *constants = scope_socket_constants (&n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (constants[i].name, name))
      return &constants[i];
  return NULL;
}

/* Every constant once, in its group's section, with this platform's
 * value; the plain socket as the kernel made it. */
static void
test_constants_all (void)
{
  g_autoptr(ScopeReport) report = scope_constants_report ("");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = report_json (report, &root);
  guint n_groups, n_constants, seen = 0, group = 0;
  const ScopeConstantGroup *groups = scope_constant_groups (&n_groups);
  ScopeDefaultSocket plain = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean have_plain = scope_constants_default_socket (&plain, &error);
  ScopeReportSection *plain_section = scope_report_find_section (report, "plain_socket");
  struct { const char *name; gint64 value; } known[] = {
    { "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 }, { "AF_UNIX", AF_UNIX },
    { "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM },
    { "SOL_SOCKET", SOL_SOCKET }, { "SO_REUSEADDR", SO_REUSEADDR },
    { "SHUT_WR", SHUT_WR }, { "IPPROTO_TCP", IPPROTO_TCP }, { "IPPROTO_UDP", IPPROTO_UDP },
  };

  scope_socket_constants (&n_constants);
  for (guint i = 0; i < scope_report_get_n_sections (report); i++)
    {
      ScopeReportSection *section = scope_report_get_section (report, i);
      g_autofree char *title = NULL;

      if (section == plain_section)
        continue;
      g_assert_cmpstr (scope_report_section_get_id (section), ==, "constants");
      g_assert_cmpuint (group, <, n_groups);
      title = g_strdup_printf ("%s (%s*)", groups[group].title, groups[group].prefix);
      g_assert_cmpstr (scope_report_section_get_title (section), ==, title);
      g_assert_cmpstr (scope_report_section_get_explanation (section), ==,
                       groups[group].explanation);
      for (guint r = 0; r < scope_report_section_get_n_rows (section); r++)
        {
          const char *name = scope_report_section_get_cell (section, r, "name");
          const ScopeSocketConstant *constant = find_constant (name);

          g_assert_nonnull (constant);
          g_assert_cmpuint (constant->group, ==, group);
          g_assert_cmpint (cell_number (section, r, "value"), ==, constant->value);
          g_assert_cmpstr (scope_report_section_get_cell (section, r, "group"), ==,
                           groups[group].prefix);
          g_assert_cmpstr (scope_report_section_get_row_title (section, r), ==, name);
          g_assert_cmpstr (scope_report_section_get_row_detail (section, r), ==,
                           constant->meaning);
          /* A constant is a fact: its value is its own label to select. */
          g_assert_null (scope_report_section_get_row_copy (section, r));
          seen++;
        }
      group++;
    }
  g_assert_cmpuint (group, ==, n_groups);
  g_assert_cmpuint (seen, ==, n_constants);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "constants")),
                    ==, n_constants);

  for (guint k = 0; k < G_N_ELEMENTS (known); k++)
    {
      const ScopeSocketConstant *constant = find_constant (known[k].name);

      g_assert_nonnull (constant);
      g_assert_cmpint (constant->value, ==, known[k].value);
    }

  /* The plain socket: rows for the page, a member for the JSON, a line
   * for the text; all three say what the kernel said. */
  g_assert_nonnull (plain_section);
  if (have_plain)
    {
      g_autofree char *family = g_strdup_printf ("AF_INET (%d)", AF_INET);
      g_autofree char *type = g_strdup_printf ("SOCK_STREAM (%d)", SOCK_STREAM);
      JsonObject *member = json_object_get_object_member (object, "default_socket");
      g_autofree char *text = scope_report_to_text (report);

      g_assert_cmpuint (scope_report_section_get_n_rows (plain_section), ==, 3);
      g_assert_cmpstr (scope_report_section_get_row_title (plain_section, 0), ==, family);
      g_assert_cmpstr (scope_report_section_get_row_copy (plain_section, 0), ==, family);
      g_assert_cmpstr (scope_report_section_get_row_title (plain_section, 1), ==, type);
      g_assert_cmpint (json_object_get_int_member (member, "family"), ==, AF_INET);
      g_assert_cmpint (json_object_get_int_member (member, "type"), ==, SOCK_STREAM);
      g_assert_cmpint (json_object_get_int_member (member, "protocol"), ==, 0);
      if (plain.kernel_protocol >= 0)
        {
          g_autofree char *chose = g_strdup_printf ("it chose %s (%d).",
                                                    scope_socket_constant_name_for (
                                                      "IPPROTO_", plain.kernel_protocol),
                                                    plain.kernel_protocol);

          g_assert_cmpint (json_object_get_int_member (member, "kernel_protocol"), ==,
                           plain.kernel_protocol);
          g_assert_nonnull (strstr (text, chose));
        }
    }
  else
    {
      g_assert_cmpstr (scope_report_section_get_error (plain_section), ==, error->message);
      g_assert_true (json_object_get_null_member (object, "default_socket"));
    }
}

/* A prefix keeps the constants whose names begin with it, in any case,
 * and leaves the plain socket to the whole list. */
static void
test_constants_prefix (void)
{
  const char *prefixes[] = { "so_", "SHUT_", "AF_INET", "XX_" };
  guint n_constants;
  const ScopeSocketConstant *constants = scope_socket_constants (&n_constants);

  for (guint p = 0; p < G_N_ELEMENTS (prefixes); p++)
    {
      g_autoptr(ScopeReport) report = scope_constants_report (prefixes[p]);
      guint expected = 0;

      for (guint i = 0; i < n_constants; i++)
        expected += g_ascii_strncasecmp (constants[i].name, prefixes[p],
                                         strlen (prefixes[p])) == 0;
      g_assert_null (scope_report_find_section (report, "plain_socket"));
      g_assert_cmpuint (scope_report_count_rows (report), ==, expected);
      for (guint s = 0; s < scope_report_get_n_sections (report); s++)
        {
          ScopeReportSection *section = scope_report_get_section (report, s);

          for (guint r = 0; r < scope_report_section_get_n_rows (section); r++)
            g_assert_cmpint (g_ascii_strncasecmp (scope_report_section_get_cell (section, r,
                                                                                 "name"),
                                                  prefixes[p], strlen (prefixes[p])), ==, 0);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* address                                                                  */

static ScopeReport *
address_report (const char        *text,
                ScopeAddressInfo  *info)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (scope_address_inspect (text, info, &error));
  g_assert_no_error (error);
  return scope_address_report (info);
}

/* The row of the table whose first column is @what. */
static guint
table_row (ScopeReportSection *table,
           const char         *what)
{
  for (guint r = 0; r < scope_report_section_get_n_rows (table); r++)
    if (g_strcmp0 (scope_report_section_get_cell (table, r, "what"), what) == 0)
      return r;
  g_assert_not_reached ();
}

static char *
hex_of (const guint8 *bytes,
        gsize         n)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, i > 0 ? " %02x" : "%02x", bytes[i]);
  return g_string_free (out, FALSE);
}

/* A socket address: the bytes inet_pton() packs, the port, the family as
 * the C library numbers it, in the table, the page's rows and the JSON. */
static void
test_address_socket_address (void)
{
  g_auto(ScopeAddressInfo) info = { 0 };
  g_autoptr(ScopeReport) report = address_report ("[2001:db8::1]:443", &info);
  ScopeReportSection *table = scope_report_get_section (report, 0);
  ScopeReportSection *more = scope_report_find_section (report, "more");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = report_json (report, &root);
  guint8 packed[16];
  g_autofree char *hex = NULL;
  g_autofree char *family = g_strdup_printf ("AF_INET6 (%d)", AF_INET6);
  g_autofree char *text = scope_report_to_text (report);
  guint r;

  g_assert_cmpint (inet_pton (AF_INET6, "2001:db8::1", packed), ==, 1);
  hex = hex_of (packed, sizeof packed);

  g_assert_cmpstr (json_object_get_string_member (object, "family"), ==, "AF_INET6");
  g_assert_cmpint (json_object_get_int_member (object, "family_value"), ==, AF_INET6);
  g_assert_cmpint (json_object_get_int_member (object, "port"), ==, 443);
  g_assert_cmpstr (json_object_get_string_member (object, "packed"), ==, hex);
  g_assert_false (json_object_get_boolean_member (object, "inet_aton_only"));

  /* The address: a value to copy, as inet_ntop() writes it. */
  r = table_row (table, "Address");
  g_assert_cmpstr (scope_report_section_get_cell (table, r, "value"), ==, "2001:db8::1");
  g_assert_cmpstr (scope_report_section_get_row_title (table, r), ==, "2001:db8::1");
  g_assert_cmpstr (scope_report_section_get_row_copy (table, r), ==, "2001:db8::1");
  /* The family and the port: facts. */
  r = table_row (table, "Family");
  g_assert_cmpstr (scope_report_section_get_cell (table, r, "value"), ==, family);
  g_assert_cmpstr (scope_report_section_get_row_title (table, r), ==, family);
  g_assert_null (scope_report_section_get_row_copy (table, r));
  r = table_row (table, "Port");
  g_assert_cmpstr (scope_report_section_get_row_title (table, r), ==, "443");
  g_assert_null (scope_report_section_get_row_copy (table, r));
  r = table_row (table, "Packed (inet_pton)");
  g_assert_cmpstr (scope_report_section_get_row_copy (table, r), ==, hex);
  r = table_row (table, "Kind");
  g_assert_cmpstr (scope_report_section_get_row_title (table, r), ==,
                   scope_address_kind_get_title (SCOPE_ADDRESS_DOCUMENTATION));
  r = table_row (table, "Reverse name");
  g_assert_cmpstr (scope_report_section_get_row_copy (table, r), ==, info.reverse_name);

  /* The Python line: after the table in the text, a row of its own on the
   * page, and no note: inet_pton() reads this one. */
  g_assert_nonnull (strstr (text, info.python));
  g_assert_cmpuint (scope_report_section_get_n_rows (more), ==, 1);
  g_assert_cmpstr (scope_report_section_get_row_copy (more, 0), ==, info.python);
  g_assert_null (strstr (text, "inet_aton()"));
}

/* A form only inet_aton() reads: its bytes as inet_aton() packs them, and
 * the note, in the text and on the page. */
static void
test_address_aton_only (void)
{
  g_auto(ScopeAddressInfo) info = { 0 };
  g_autoptr(ScopeReport) report = address_report ("127.1", &info);
  ScopeReportSection *table = scope_report_get_section (report, 0);
  ScopeReportSection *more = scope_report_find_section (report, "more");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = report_json (report, &root);
  g_autofree char *text = scope_report_to_text (report);
  g_autofree char *hex = NULL;
  g_autofree char *note = NULL;
  struct in_addr address;
  char ntop[INET_ADDRSTRLEN];

  g_assert_cmpint (inet_aton ("127.1", &address), ==, 1);
  g_assert_nonnull (inet_ntop (AF_INET, &address, ntop, sizeof ntop));
  hex = hex_of ((const guint8 *) &address.s_addr, 4);
  note = g_strdup_printf ("inet_pton() wants %s", ntop);

  g_assert_true (json_object_get_boolean_member (object, "inet_aton_only"));
  g_assert_cmpstr (json_object_get_string_member (object, "family"), ==, "AF_INET");
  g_assert_cmpint (json_object_get_int_member (object, "family_value"), ==, AF_INET);
  g_assert_true (json_object_get_null_member (object, "port"));
  g_assert_cmpstr (scope_report_section_get_cell (table, table_row (table, "Address"), "value"),
                   ==, ntop);
  g_assert_cmpstr (scope_report_section_get_cell (table, table_row (table, "Packed (inet_aton)"),
                                                  "value"), ==, hex);
  g_assert_nonnull (strstr (text, note));
  g_assert_cmpuint (scope_report_section_get_n_rows (more), ==, 2);
  g_assert_cmpstr (scope_report_section_get_row_title (more, 0), ==, "127.1");
  g_assert_nonnull (strstr (scope_report_section_get_row_detail (more, 0), note));
  g_assert_null (scope_report_section_get_row_copy (more, 0));
}

/* ------------------------------------------------------------------------ */
/* services                                                                 */

/* ssh in the system's database: the port the C library's getservbyname()
 * gives, and every entry when nothing narrows the list. */
static void
test_services_system (void)
{
  g_autoptr(ScopeServiceCatalogue) catalogue = scope_service_catalogue_new_system ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  struct servent *ssh = getservbyname ("ssh", "tcp");
  g_autoptr(ScopeReport) all = scope_services_report (catalogue, "", NULL, NULL);
  g_autoptr(ScopeReport) report = scope_services_report (catalogue, "ssh", "tcp", NULL);
  ScopeReportSection *section = scope_report_find_section (report, "services");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = report_json (all, &root);
  gboolean found = FALSE;

  g_assert_cmpuint (scope_report_count_rows (all), ==, n);
  g_assert_cmpint (json_object_get_int_member (object, "total"), ==, n);
  if (ssh == NULL)
    {
      g_test_skip ("this system's services database has no ssh/tcp");
      return;
    }
  for (guint r = 0; r < scope_report_section_get_n_rows (section); r++)
    {
      g_assert_cmpstr (scope_report_section_get_cell (section, r, "protocol"), ==, "tcp");
      if (g_str_equal (scope_report_section_get_cell (section, r, "name"), "ssh"))
        {
          g_assert_cmpint (cell_number (section, r, "port"), ==, ntohs (ssh->s_port));
          found = TRUE;
        }
    }
  g_assert_true (found);
}

/* A database of a few lines, one of them no service: the counts, the
 * aliases in the table and in the JSON, a protocol and a class that narrow
 * the list, and nothing found said. */
static void
test_services_filters (void)
{
  static const char text[] = "echo 7/tcp\n"
                             "echo 7/udp\n"
                             "webcache 8080/tcp http-alt proxy\n"
                             "odd\x1b 8081/tcp\n"
                             "high 50000/udp\n";
  g_autoptr(ScopeServiceCatalogue) catalogue =
    scope_service_catalogue_new_from_text (text, sizeof text - 1, "test");
  g_autoptr(ScopeReport) udp = scope_services_report (catalogue, "", "UDP", NULL);
  ScopePortClass dynamic = SCOPE_PORT_CLASS_DYNAMIC;
  g_autoptr(ScopeReport) high = scope_services_report (catalogue, "", NULL, &dynamic);
  g_autoptr(ScopeReport) alt = scope_services_report (catalogue, "http-alt", NULL, NULL);
  g_autoptr(ScopeReport) none = scope_services_report (catalogue, "nothing-like-it", NULL, NULL);
  ScopeReportSection *section = scope_report_find_section (alt, "services");
  g_autoptr(ScopeService) webcache = NULL;
  g_autofree char *aliases_text = NULL;
  const char * const *aliases;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = report_json (alt, &root);
  JsonArray *rows = json_object_get_array_member (object, "services");
  JsonArray *row_aliases;
  g_autofree char *none_text = scope_report_to_text (none);
  g_autofree char *count = NULL;

  g_assert_cmpint (json_object_get_int_member (object, "total"), ==,
                   g_list_model_get_n_items (G_LIST_MODEL (catalogue)));
  g_assert_cmpint (json_object_get_int_member (object, "skipped"), ==,
                   scope_service_catalogue_get_n_skipped (catalogue));
  g_assert_cmpint (json_object_get_int_member (object, "skipped"), ==, 1);
  count = g_strdup_printf ("test: %u entries", g_list_model_get_n_items (G_LIST_MODEL (catalogue)));
  g_assert_true (g_str_has_prefix (none_text, count));

  g_assert_cmpuint (scope_report_count_rows (udp), ==, 2);
  g_assert_cmpuint (scope_report_count_rows (high), ==, 1);
  g_assert_cmpstr (scope_report_section_get_cell (scope_report_find_section (high, "services"),
                                                  0, "class"), ==,
                   scope_port_class_to_string (dynamic));

  /* Found by an alias. */
  g_assert_cmpuint (scope_report_section_get_n_rows (section), ==, 1);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (catalogue)) && !webcache; i++)
    {
      g_autoptr(ScopeService) service = g_list_model_get_item (G_LIST_MODEL (catalogue), i);

      if (g_str_equal (scope_service_get_name (service), "webcache"))
        webcache = g_steal_pointer (&service);
    }
  g_assert_nonnull (webcache);
  aliases = scope_service_get_aliases (webcache);
  aliases_text = scope_service_dup_aliases_text (webcache);
  g_assert_cmpstr (scope_report_section_get_cell (section, 0, "name"), ==, "webcache");
  g_assert_cmpint (cell_number (section, 0, "port"), ==, scope_service_get_port (webcache));
  g_assert_cmpstr (scope_report_section_get_cell (section, 0, "aliases_text"), ==, aliases_text);
  g_assert_cmpstr (scope_report_section_get_row_detail (section, 0), ==, aliases_text);
  row_aliases = json_object_get_array_member (json_array_get_object_element (rows, 0),
                                              "aliases");
  g_assert_cmpuint (json_array_get_length (row_aliases), ==, g_strv_length ((char **) aliases));
  for (guint a = 0; aliases[a] != NULL; a++)
    g_assert_cmpstr (json_array_get_string_element (row_aliases, a), ==, aliases[a]);

  g_assert_cmpuint (scope_report_count_rows (none), ==, 0);
  g_assert_nonnull (strstr (none_text, "No entry matches."));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/port-reports/constants/all", test_constants_all);
  g_test_add_func ("/port-reports/constants/prefix", test_constants_prefix);
  g_test_add_func ("/port-reports/address/socket-address", test_address_socket_address);
  g_test_add_func ("/port-reports/address/aton-only", test_address_aton_only);
  g_test_add_func ("/port-reports/services/system", test_services_system);
  g_test_add_func ("/port-reports/services/filters", test_services_filters);
  return g_test_run ();
}
