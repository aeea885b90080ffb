/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-port-facts.h"
#include "scope-port-status.h"

/* The facts of a port, said once for the page, the text and the JSON. */

static JsonObject *
facts_json (ScopeReport *facts,
            JsonNode   **root)
{
  *root = scope_report_to_json (facts);
  return json_node_get_object (*root);
}

/* The page's rows: the class with its range, whether anyone may listen,
 * the ephemeral range when the port is in it; the JSON says the same. */
static void
test_ranges (void)
{
  g_auto(ScopePortRange) ephemeral = { 0 };
  g_auto(ScopePortRange) unprivileged = { 0 };
  guint ports[] = { 22, 8080, 0, 0 };

  scope_ports_ephemeral_range (&ephemeral);
  scope_ports_unprivileged_range (&unprivileged);
  ports[2] = ephemeral.first;
  ports[3] = ephemeral.last;
  for (guint p = 0; p < G_N_ELEMENTS (ports); p++)
    {
      guint port = ports[p];
      g_autoptr(ScopeReport) facts = scope_port_facts (port, SCOPE_PORT_FACTS_TCP, NULL);
      ScopeReportSection *rows = scope_report_find_section (facts, "facts");
      ScopePortClass port_class = scope_port_class_of (port);
      gboolean privileged = port < unprivileged.first;
      gboolean in_ephemeral = port >= ephemeral.first && port <= ephemeral.last;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object = facts_json (facts, &root);
      JsonArray *range = json_object_get_array_member (object, "ephemeral_range");
      g_autofree char *text = scope_report_to_text (facts);
      guint first, last;
      g_autofree char *class_title = NULL;

      scope_port_class_get_bounds (port_class, &first, &last);
      class_title = g_strdup_printf ("%s: %u–%u", scope_port_class_get_title (port_class),
                                     first, last);
      g_assert_nonnull (rows);
      g_assert_cmpuint (scope_report_section_get_n_rows (rows), ==, in_ephemeral ? 3 : 2);
      g_assert_cmpstr (scope_report_section_get_row_title (rows, 0), ==, class_title);
      g_assert_cmpstr (scope_report_section_get_row_detail (rows, 0), ==,
                       scope_port_class_explain (port_class));
      g_assert_cmpstr (scope_report_section_get_row_detail (rows, 1), ==, unprivileged.source);
      g_assert_true (g_str_has_prefix (scope_report_section_get_row_title (rows, 1),
                                       privileged ? "Privileged here" : "Any program"));

      g_assert_cmpint (json_object_get_int_member (object, "port"), ==, port);
      g_assert_cmpstr (json_object_get_string_member (object, "class"), ==,
                       scope_port_class_to_string (port_class));
      g_assert_true (json_object_get_boolean_member (object, "privileged") == privileged);
      g_assert_true (json_object_get_boolean_member (object, "ephemeral") == in_ephemeral);
      g_assert_cmpint (json_array_get_int_element (range, 0), ==, ephemeral.first);
      g_assert_cmpint (json_array_get_int_element (range, 1), ==, ephemeral.last);
      /* The page's rows are neither text nor JSON; nothing was probed. */
      g_assert_false (json_object_has_member (object, "facts"));
      g_assert_false (json_object_has_member (object, "bind"));
      g_assert_null (strstr (text, class_title));
      g_assert_true (g_str_has_prefix (text, "Port "));
      g_assert_true ((strstr (text, "In the ephemeral range") != NULL) == in_ephemeral);
    }
}

/* The services database's names, in the JSON for both transports and in
 * the text for the one asked about. */
static void
test_service_names (void)
{
  static const char services[] = "ssh 22/tcp\nsecure-shell 22/udp\n";
  g_autoptr(ScopeServiceCatalogue) catalogue =
    scope_service_catalogue_new_from_text (services, strlen (services), "test");
  g_autoptr(ScopeReport) facts = scope_port_facts (22, SCOPE_PORT_FACTS_TCP, catalogue);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *names = json_object_get_object_member (facts_json (facts, &root), "services");
  g_autofree char *text = scope_report_to_text (facts);

  g_assert_cmpstr (json_object_get_string_member (names, "tcp"), ==, "ssh");
  g_assert_cmpstr (json_object_get_string_member (names, "udp"), ==, "secure-shell");
  g_assert_nonnull (strstr (text, "Services database: ssh (22/tcp)\n"));
  g_assert_null (strstr (text, "secure-shell"));
}

/* Here: a bind() on four addresses for each transport asked, the JSON's
 * probes kept apart by transport, and the sockets on the port. */
static void
test_here (void)
{
  g_autoptr(ScopeReport) facts = scope_port_facts (9, SCOPE_PORT_FACTS_TCP | SCOPE_PORT_FACTS_UDP
                                                      | SCOPE_PORT_FACTS_HERE, NULL);
  ScopeReportSection *bind = scope_report_find_section (facts, "bind");
  ScopeReportSection *listening = scope_report_find_section (facts, "listening");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = facts_json (facts, &root);
  JsonObject *probes = json_object_get_object_member (object, "bind");
  g_autofree char *text = scope_report_to_text (facts);

  g_assert_nonnull (bind);
  g_assert_nonnull (listening);
  g_assert_cmpuint (scope_report_section_get_n_rows (bind), ==, 8);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (probes, "tcp")), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (probes, "udp")), ==, 4);
  g_assert_false (json_object_has_member (json_array_get_object_element (
                    json_object_get_array_member (probes, "tcp"), 0), "protocol"));
  g_assert_nonnull (strstr (text, "\nTrying to bind it here:\nPROTOCOL  ADDRESS"));
  g_assert_nonnull (strstr (text, "\nSockets of this machine on it:\n"));
  g_assert_true (json_object_has_member (object, "listening_error"));
  if (scope_port_facts_failed (facts))
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "listening")));
  else
    g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "listening")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/port-facts/ranges", test_ranges);
  g_test_add_func ("/port-facts/service-names", test_service_names);
  g_test_add_func ("/port-facts/here", test_here);
  return g_test_run ();
}
