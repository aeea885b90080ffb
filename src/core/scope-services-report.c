/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-resolver.h"
#include "scope-services-report.h"

/* Words from the services file, which others write, reach the table and
 * the JSON through scope_resolver_show_name(): getservent() passes on
 * whatever bytes the file holds. */

static JsonNode *
aliases_json (const char * const *aliases)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint a = 0; aliases[a] != NULL; a++)
    {
      g_autofree char *alias = scope_resolver_show_name (aliases[a]);

      json_array_add_string_element (array, alias);
    }
  json_node_take_array (node, array);
  return node;
}

static void
add_service_row (ScopeReportSection *section,
                 ScopeService       *service)
{
  g_autofree char *aliases_text = scope_service_dup_aliases_text (service);
  g_autofree char *name = scope_resolver_show_name (scope_service_get_name (service));

  scope_report_section_add_row (section, name, aliases_text, NULL);
  scope_report_section_set (section, "name", name);
  scope_report_section_set_int (section, "port", scope_service_get_port (service));
  scope_report_section_take (section, "protocol",
                             scope_resolver_show_name (scope_service_get_protocol (service)));
  scope_report_section_set_json (section, "aliases", NULL,
                                 aliases_json (scope_service_get_aliases (service)));
  scope_report_section_set (section, "class", scope_port_class_to_string (
                                                scope_service_get_port_class (service)));
  scope_report_section_take (section, "aliases_text", aliases_text[0] != '\0'
                                                      ? scope_resolver_show_name (aliases_text)
                                                      : NULL);
}

static gboolean
service_wanted (ScopeService         *service,
                const char           *query,
                const char           *protocol,
                const ScopePortClass *port_class)
{
  return scope_service_matches (service, query)
         && (protocol == NULL
             || g_ascii_strcasecmp (protocol, scope_service_get_protocol (service)) == 0)
         && (port_class == NULL || scope_service_get_port_class (service) == *port_class);
}

/**
 * scope_services_report:
 * @catalogue: the services database
 */
ScopeReport *
scope_services_report (ScopeServiceCatalogue *catalogue,
                       const char            *query,
                       const char            *protocol,
                       const ScopePortClass  *port_class)
{
  ScopeReport *report = scope_report_new (SCOPE_REPORT_STYLE_TABLE);
  g_autofree char *source = NULL;
  guint n;
  ScopeReportSection *section;

  g_return_val_if_fail (SCOPE_IS_SERVICE_CATALOGUE (catalogue), report);
  g_return_val_if_fail (query != NULL, report);

  source = scope_resolver_show_name (scope_service_catalogue_get_source (catalogue));
  n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  scope_report_add_string (report, "source", source);
  scope_report_add_int (report, "total", n);
  scope_report_add_int (report, "skipped", scope_service_catalogue_get_n_skipped (catalogue));
  /* Translators: where the database was read, then how many entries it has */
  scope_report_add_linef (report, g_dngettext (GETTEXT_PACKAGE, "%s: %u entry\n",
                                               "%s: %u entries\n", n), source, n);

  section = scope_report_add_section (report, "services", NULL);
  /* Translators: the column headers of a table in a terminal, in capitals */
  scope_report_section_add_column (section, "name", C_("column", "NAME"), 0);
  scope_report_section_add_column (section, "port", C_("column", "PORT"), 0);
  scope_report_section_add_column (section, "protocol", C_("column", "PROTOCOL"), 0);
  scope_report_section_add_column (section, "aliases", NULL, SCOPE_REPORT_COLUMN_JSON_ONLY);
  scope_report_section_add_column (section, "class", C_("column", "CLASS"), 0);
  scope_report_section_add_column (section, "aliases_text", C_("column", "ALIASES"),
                                   SCOPE_REPORT_COLUMN_TEXT_ONLY);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ScopeService) service = g_list_model_get_item (G_LIST_MODEL (catalogue), i);

      if (service_wanted (service, query, protocol, port_class))
        add_service_row (section, service);
    }
  if (scope_report_section_get_n_rows (section) == 0)
    scope_report_add_line (report, _("No entry matches."));
  return report;
}
