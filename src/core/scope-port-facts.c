/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-port-facts.h"
#include "scope-port-status.h"
#include "scope-resolver.h"

/* The facts of a port, said once: its class, the privileged and ephemeral
 * ranges of this machine, its names in the services database, whether it
 * can be bound here and what holds it. The page shows them as rows, the
 * command line as lines and tables, or as JSON. */

static JsonNode *
shown_name_node (ScopeService *service)
{
  g_autofree char *shown = NULL;

  if (service == NULL)
    return json_node_new (JSON_NODE_NULL);
  shown = scope_resolver_show_name (scope_service_get_name (service));
  return json_node_init_string (json_node_alloc (), shown);
}

/* Words from the services file are shown through scope_resolver_show_name():
 * no byte of it acts on a terminal or breaks the JSON. */
static void
add_service_names (ScopeReport           *report,
                   guint                  port,
                   ScopePortFactsFlags    flags,
                   ScopeServiceCatalogue *catalogue)
{
  static const char *protocols[] = { "tcp", "udp" };
  JsonObject *names = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint p = 0; p < G_N_ELEMENTS (protocols); p++)
    {
      ScopeService *service = catalogue != NULL
                              ? scope_service_catalogue_find (catalogue, port, protocols[p])
                              : NULL;
      ScopePortFactsFlags wanted = p == 0 ? SCOPE_PORT_FACTS_TCP : SCOPE_PORT_FACTS_UDP;

      json_object_set_member (names, protocols[p], shown_name_node (service));
      if (service != NULL && (flags & wanted))
        {
          g_autofree char *name = scope_resolver_show_name (scope_service_get_name (service));

          /* Translators: the service name, the port, then the protocol */
          scope_report_add_linef (report, _("Services database: %s (%u/%s)\n"), name, port,
                                  protocols[p]);
        }
    }
  json_node_take_object (node, names);
  scope_report_add_member (report, "services", node);
}

/* The class and the ranges: rows for the page, lines for the text. */
static void
add_ranges (ScopeReport *report,
            guint        port)
{
  g_auto(ScopePortRange) ephemeral = { 0 };
  g_auto(ScopePortRange) unprivileged = { 0 };
  ScopePortClass port_class = scope_port_class_of (port);
  ScopeReportSection *facts = scope_report_add_section (report, "facts", NULL);
  g_autofree char *class_title = NULL;
  gboolean in_ephemeral, privileged;
  guint first, last;

  scope_ports_ephemeral_range (&ephemeral);
  scope_ports_unprivileged_range (&unprivileged);
  in_ephemeral = port >= ephemeral.first && port <= ephemeral.last;
  privileged = port < unprivileged.first;
  scope_port_class_get_bounds (port_class, &first, &last);

  scope_report_add_int (report, "port", port);
  scope_report_add_string (report, "class", scope_port_class_to_string (port_class));
  scope_report_add_boolean (report, "privileged", privileged);
  scope_report_add_boolean (report, "ephemeral", in_ephemeral);
  {
    JsonArray *range = json_array_new ();
    JsonNode *node = json_node_new (JSON_NODE_ARRAY);

    json_array_add_int_element (range, ephemeral.first);
    json_array_add_int_element (range, ephemeral.last);
    json_node_take_array (node, range);
    scope_report_add_member (report, "ephemeral_range", node);
  }

  /* Translators: a port, its class and the class's range, e.g. "Port 22: Well-known (0–1023)" */
  scope_report_add_linef (report, _("Port %u: %s (%u–%u)\n"), port,
                          scope_port_class_get_title (port_class), first, last);
  scope_report_add_line (report, scope_port_class_explain (port_class));
  /* Translators: a port class and its range, e.g. "Well-known: 0–1023" */
  class_title = g_strdup_printf (_("%s: %u–%u"), scope_port_class_get_title (port_class), first,
                                 last);
  scope_report_section_add_fact (facts, class_title, scope_port_class_explain (port_class));

  if (privileged)
    {
      /* Translators: the lowest port anyone may listen on */
      g_autofree char *title = g_strdup_printf (_("Privileged here: only administrators may "
                                                  "listen below %u"), unprivileged.first);

      scope_report_section_add_fact (facts, title, unprivileged.source);
      /* Translators: the lowest port anyone may listen on, then where that was read */
      scope_report_add_linef (report, _("Privileged here: only administrators may listen below "
                                        "%u (%s).\n"), unprivileged.first, unprivileged.source);
    }
  else
    scope_report_section_add_fact (facts, _("Any program may listen on it here"),
                                   unprivileged.source);

  if (in_ephemeral)
    {
      /* Translators: the ephemeral range of this system */
      g_autofree char *title = g_strdup_printf (_("In the ephemeral range, %u–%u"),
                                                ephemeral.first, ephemeral.last);
      g_autofree char *detail = g_strdup_printf ("%s. %s",
                                                 _("The system may give it to a client socket "
                                                   "as its own port"),
                                                 ephemeral.source);

      scope_report_section_add_fact (facts, title, detail);
      /* Translators: the ephemeral range, then where it was read */
      scope_report_add_linef (report, _("In the ephemeral range %u–%u (%s): it may be given to "
                                        "a client socket.\n"), ephemeral.first, ephemeral.last,
                              ephemeral.source);
    }
}

static void
add_bind_probes (ScopeReport         *report,
                 guint                port,
                 ScopePortFactsFlags  flags)
{
  ScopeReportSection *bind = scope_report_add_section (report, "bind",
                                                       _("Trying to bind it here:"));

  /* Translators: the column headers of a table in a terminal, in capitals */
  scope_report_section_add_column (bind, "protocol", C_("column", "PROTOCOL"), 0);
  scope_report_section_add_column (bind, "address", C_("column", "ADDRESS"), 0);
  scope_report_section_add_column (bind, "state", C_("column", "BIND"), 0);
  scope_report_section_add_column (bind, "message", C_("column", "WHY"), 0);
  /* The JSON keeps each protocol's probes apart: "bind": { "tcp": [ … ] }. */
  scope_report_section_set_text (bind, SCOPE_REPORT_SECTION_GROUP_BY, "protocol");

  for (guint udp = 0; udp <= 1; udp++)
    {
      g_autoptr(GArray) probes = NULL;

      if (!(flags & (udp ? SCOPE_PORT_FACTS_UDP : SCOPE_PORT_FACTS_TCP)))
        continue;
      probes = scope_port_probe_bind (port, udp);
      for (guint i = 0; i < probes->len; i++)
        {
          ScopeBindProbe *probe = &g_array_index (probes, ScopeBindProbe, i);
          const char *state = scope_bind_state_to_string (probe->state);

          scope_report_section_add_row (bind, probe->address, probe->message, NULL);
          scope_report_section_set (bind, "protocol", udp ? "udp" : "tcp");
          scope_report_section_set (bind, "address", probe->address);
          scope_report_section_set_json (bind, "state", scope_bind_state_get_title (probe->state),
                                         json_node_init_string (json_node_alloc (), state));
          scope_report_section_set (bind, "message", probe->message);
        }
    }
}

static void
add_listening (ScopeReport         *report,
               guint                port,
               ScopePortFactsFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listening = scope_listening_sockets (port, NULL, &error);
  ScopeReportSection *section = scope_report_add_section (report, "listening",
                                                          _("Sockets of this machine on it:"));

  /* Translators: the column headers of a table in a terminal, in capitals */
  scope_report_section_add_column (section, "protocol", C_("column", "PROTOCOL"), 0);
  scope_report_section_add_column (section, "address", C_("column", "ADDRESS"), 0);
  scope_report_section_add_column (section, "port", NULL, SCOPE_REPORT_COLUMN_JSON_ONLY);
  scope_report_section_add_column (section, "state", C_("column", "STATE"), 0);
  scope_report_section_add_column (section, "uid", NULL, SCOPE_REPORT_COLUMN_JSON_ONLY);
  scope_report_section_add_column (section, "process", C_("column", "PROCESS"), 0);
  scope_report_section_set_text (section, SCOPE_REPORT_SECTION_EMPTY_TEXT,
                                 _("None: nothing listens on it."));

  if (listening == NULL)
    {
      scope_report_section_set_text (section, SCOPE_REPORT_SECTION_ERROR, error->message);
      scope_report_add_string (report, "listening_error", error->message);
      return;
    }
  for (guint i = 0; i < listening->len; i++)
    {
      ScopeSocketEntry *entry = g_ptr_array_index (listening, i);
      g_autofree char *process = scope_resolver_show_name (entry->process);

      if ((entry->protocol[0] == 't' && !(flags & SCOPE_PORT_FACTS_TCP))
          || (entry->protocol[0] == 'u' && !(flags & SCOPE_PORT_FACTS_UDP)))
        continue;
      scope_report_section_add_row (section, entry->local_address, entry->process, NULL);
      scope_report_section_set (section, "protocol", entry->protocol);
      scope_report_section_set (section, "address", entry->local_address);
      scope_report_section_set_int (section, "port", entry->local_port);
      scope_report_section_set (section, "state", entry->state);
      scope_report_section_set_int (section, "uid", entry->uid);
      scope_report_section_set (section, "process", process);
    }
  scope_report_add_string (report, "listening_error", NULL);
}

ScopeReport *
scope_port_facts (guint                  port,
                  ScopePortFactsFlags    flags,
                  ScopeServiceCatalogue *catalogue)
{
  ScopeReport *report = scope_report_new (SCOPE_REPORT_STYLE_TABLE);

  g_return_val_if_fail (port <= 65535, report);

  add_ranges (report, port);
  add_service_names (report, port, flags, catalogue);
  if (flags & SCOPE_PORT_FACTS_HERE)
    {
      add_bind_probes (report, port, flags);
      add_listening (report, port, flags);
    }
  return report;
}

gboolean
scope_port_facts_failed (ScopeReport *facts)
{
  ScopeReportSection *listening = scope_report_find_section (facts, "listening");

  return listening != NULL && scope_report_section_get_error (listening) != NULL;
}
