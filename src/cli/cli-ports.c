/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "cli-common.h"
#include "cli-ports.h"
#include "scope-address-report.h"
#include "scope-constants-report.h"
#include "scope-port-facts.h"
#include "scope-port-status.h"
#include "scope-resolver.h"
#include "scope-services-report.h"

/* The Ports page at a terminal: sockscope-cli services, constants, address
 * and port. Each prints a table, or JSON with --json. Exit status: 0
 * answered, 1 the system could not say, 2 bad input.
 *
 * Words from files others write (the services file, a process's name)
 * are shown through scope_resolver_show_name(), in the table and in the
 * JSON alike: no control character or byte that is not UTF-8 reaches the
 * terminal or breaks the JSON: the system's services database comes
 * through getservent(), which passes on whatever bytes the file holds. */

static GOptionContext *
context_new (const char         *parameters,
             const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

/* ------------------------------------------------------------------------ */
/* services                                                                 */

int
cli_services (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeServiceCatalogue) catalogue = NULL;
  g_autoptr(ScopeReport) report = NULL;
  g_autofree char *proto = NULL;
  g_autofree char *class_text = NULL;
  gboolean json = FALSE, builtin = FALSE;
  ScopePortClass port_class = SCOPE_PORT_CLASS_WELL_KNOWN;
  const GOptionEntry entries[] = {
    { "proto", 0, 0, G_OPTION_ARG_STRING, &proto,
      N_("Only entries of this protocol, such as tcp or udp"), N_("PROTO") },
    { "class", 0, 0, G_OPTION_ARG_STRING, &class_text,
      N_("Only ports of this class: well-known, registered or dynamic"), N_("CLASS") },
    { "builtin", 0, 0, G_OPTION_ARG_NONE, &builtin,
      N_("Read Sockscope’s own copy of netbase’s services file, not the system’s"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the entries as JSON"), NULL },
    { NULL }
  };

  context = context_new (_("[QUERY] — the services database, with each port's class; QUERY "
                           "is a port number or part of a name or alias"), entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("services", error->message);
  cli_drop_separator (&argc, argv);
  if (argc > 2)
    return cli_usage_error ("services", _("give at most one QUERY"));
  if (class_text != NULL && !scope_port_class_from_string (class_text, &port_class))
    {
      /* Translators: the option's name and the classes are not to be translated */
      g_autofree char *message = g_strdup_printf (_("%s: “%s” is not one of %s"), "--class",
                                                  class_text, "well-known, registered, dynamic");

      return cli_usage_error ("services", message);
    }

  catalogue = builtin ? scope_service_catalogue_new_builtin ()
                      : scope_service_catalogue_new_system ();
  report = scope_services_report (catalogue, argc > 1 ? argv[1] : "", proto,
                                  class_text != NULL ? &port_class : NULL);
  return cli_print_report (report, json);
}

/* ------------------------------------------------------------------------ */
/* constants                                                                */

int
cli_constants (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeReport) report = NULL;
  gboolean json = FALSE;
  const char *prefix;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the constants as JSON"), NULL },
    { NULL }
  };

  context = context_new (_("[PREFIX] — the socket constants of this platform, such as AF_, "
                           "SOCK_ or SO_, with their values here"), entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("constants", error->message);
  cli_drop_separator (&argc, argv);
  if (argc > 2)
    return cli_usage_error ("constants", _("give at most one PREFIX"));
  prefix = argc > 1 ? argv[1] : "";
  report = scope_constants_report (prefix);
  if (!json && scope_report_count_rows (report) == 0)
    {
      /* Translators: %s is what the user typed */
      g_autofree char *message = g_strdup_printf (_("no constant begins with “%s”"), prefix);

      return cli_usage_error ("constants", message);
    }
  return cli_print_report (report, json);
}

/* ------------------------------------------------------------------------ */
/* address                                                                  */

int
cli_address (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeReport) report = NULL;
  g_auto(ScopeAddressInfo) info = { 0 };
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the answer as JSON"), NULL },
    { NULL }
  };

  context = context_new (_("ADDRESS — an IPv4 or IPv6 address or socket address, byte by "
                           "byte: its packed form, its number, its kind and its reverse name"),
                         entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("address", error->message);
  cli_drop_separator (&argc, argv);
  if (argc != 2)
    return cli_usage_error ("address",
                            _("give one ADDRESS, such as 192.0.2.1 or [2001:db8::1]:443"));
  if (!scope_address_inspect (argv[1], &info, &error))
    return cli_usage_error ("address", error->message);

  report = scope_address_report (&info);
  return cli_print_report (report, json);
}

/* ------------------------------------------------------------------------ */
/* port                                                                     */

typedef struct
{
  GMainLoop *loop;
  GError    *error;
} CheckRun;

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CheckRun *run = user_data;

  scope_connect_check_run_finish (SCOPE_CONNECT_CHECK (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static ScopeReport *
check_report (ScopeConnectCheck *check,
              const char        *host)
{
  ScopeReport *report = scope_report_new (SCOPE_REPORT_STYLE_TABLE);
  GArray *results = scope_connect_check_get_results (check);
  g_auto(GStrv) addresses = g_strsplit (scope_connect_check_get_address (check), ", ", -1);
  guint counts[SCOPE_CONNECT_FAILED + 1] = { 0 };
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  ScopeReportSection *section;

  for (guint i = 0; addresses[i] != NULL; i++)
    json_array_add_string_element (array, addresses[i]);
  json_node_take_array (node, array);
  scope_report_add_string (report, "host", host);
  scope_report_add_member (report, "addresses", node);
  for (guint i = 0; i < results->len; i++)
    counts[g_array_index (results, ScopeConnectResult, i).state]++;
  /* Translators: a host, the address it was checked at, then how many
   * ports were open, refused, filtered and failed; the counts may be any
   * number, so a form such as "open: %u" reads best where plurals differ */
  scope_report_add_linef (report, _("%s (%s): %u open, %u refused, %u filtered, %u failed\n"),
                          host, scope_connect_check_get_address (check),
                          counts[SCOPE_CONNECT_OPEN], counts[SCOPE_CONNECT_REFUSED],
                          counts[SCOPE_CONNECT_FILTERED], counts[SCOPE_CONNECT_FAILED]);

  section = scope_report_add_section (report, "results", NULL);
  /* Translators: the column headers of a table in a terminal, in capitals */
  scope_report_section_add_column (section, "port", C_("column", "PORT"), 0);
  scope_report_section_add_column (section, "address", C_("column", "ADDRESS"), 0);
  scope_report_section_add_column (section, "state", C_("column", "STATE"), 0);
  scope_report_section_add_column (section, "elapsed_us", NULL, SCOPE_REPORT_COLUMN_JSON_ONLY);
  scope_report_section_add_column (section, "time", C_("column", "TIME"),
                                   SCOPE_REPORT_COLUMN_TEXT_ONLY);
  scope_report_section_add_column (section, "message", C_("column", "WHY"), 0);
  for (guint i = 0; i < results->len; i++)
    {
      ScopeConnectResult *r = &g_array_index (results, ScopeConnectResult, i);
      const char *state = scope_connect_state_to_string (r->state);

      scope_report_section_add_row (section, r->address, state, NULL);
      scope_report_section_set_int (section, "port", r->port);
      scope_report_section_set (section, "address", r->address);
      scope_report_section_set (section, "state", state);
      scope_report_section_set_int (section, "elapsed_us", r->elapsed_us);
      /* Translators: a duration in milliseconds */
      scope_report_section_take (section, "time", g_strdup_printf (_("%.1f ms"),
                                                                   r->elapsed_us / 1000.0));
      scope_report_section_set (section, "message", r->message);
    }
  return report;
}

static int
run_check (const char *host,
           guint       first,
           guint       last,
           guint       timeout_ms,
           guint       concurrency,
           gboolean    json)
{
  g_autoptr(ScopeConnectCheck) check = scope_connect_check_new (host, first, last, timeout_ms,
                                                                concurrency);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ScopeReport) report = NULL;
  CheckRun run = { loop, NULL };
  CliSignals signals = { .cancellable = cancellable };

  cli_signals_watch (&signals, loop);
  scope_connect_check_run_async (check, cancellable, on_check_done, &run);
  g_main_loop_run (loop);
  cli_signals_unwatch (&signals);

  if (signals.received > 0)
    {
      g_clear_error (&run.error);
      return 130;
    }
  if (run.error != NULL)
    {
      cli_fail ("port", run.error->message);
      g_clear_error (&run.error);
      return 1;
    }
  report = check_report (check, host);
  return cli_print_report (report, json);
}

/* Exit status 1 when the sockets on it could not be read, with everything
 * else said. */
static int
print_port (guint    port,
            gboolean tcp,
            gboolean udp,
            gboolean json)
{
  g_autoptr(ScopeServiceCatalogue) catalogue = scope_service_catalogue_new_system ();
  g_autoptr(ScopeReport) facts = scope_port_facts (port,
                                                   (tcp ? SCOPE_PORT_FACTS_TCP : 0)
                                                   | (udp ? SCOPE_PORT_FACTS_UDP : 0)
                                                   | SCOPE_PORT_FACTS_HERE, catalogue);

  return cli_print_report (facts, json) | scope_port_facts_failed (facts);
}

int
cli_port (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *proto = NULL;
  g_autofree char *host = NULL;
  g_autofree char *timeout_text = NULL;
  g_autofree char *concurrency_text = NULL;
  gboolean json = FALSE;
  guint64 timeout = SCOPE_CONNECT_CHECK_TIMEOUT_MS, concurrency = 0;
  guint first, last;
  const GOptionEntry entries[] = {
    { "proto", 0, 0, G_OPTION_ARG_STRING, &proto,
      N_("tcp, udp or both (the default)"), N_("PROTO") },
    { "check", 'c', 0, G_OPTION_ARG_STRING, &host,
      N_("Connect to PORT on each address of HOST and close at once: open, refused, filtered "
         "or failed. PORT may be a range such as 20-25, of at most 1024 ports"), N_("HOST") },
    { "timeout", 't', 0, G_OPTION_ARG_STRING, &timeout_text,
      N_("With --check: wait MS milliseconds for each port (default 1000)"), N_("MS") },
    { "concurrency", 0, 0, G_OPTION_ARG_STRING, &concurrency_text,
      N_("With --check: how many connects at once, at most 64 (default 32 on this machine’s "
         "loopback, 8 to another host)"), N_("N") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the answer as JSON"), NULL },
    { NULL }
  };

  context = context_new (_("PORT — its class, whether it is free here and what listens on it; "
                           "with --check, what answers on a host"), entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("port", error->message);
  cli_drop_separator (&argc, argv);
  if (argc != 2)
    return cli_usage_error ("port", _("give one PORT, such as 22"));
  if (proto != NULL && !g_str_equal (proto, "tcp") && !g_str_equal (proto, "udp")
      && !g_str_equal (proto, "both"))
    {
      /* Translators: the option's name and the choices are not to be translated */
      g_autofree char *message = g_strdup_printf (_("%s: “%s” is not one of %s"), "--proto",
                                                  proto, "tcp, udp, both");

      return cli_usage_error ("port", message);
    }
  if ((timeout_text != NULL
       && !cli_parse_number (timeout_text, "--timeout", 1, 600000, &timeout, &error))
      || (concurrency_text != NULL
          && !cli_parse_number (concurrency_text, "--concurrency", 1,
                                SCOPE_CONNECT_CHECK_MAX_CONCURRENCY, &concurrency,
                                &error)))
    return cli_usage_error ("port", error->message);

  if (host != NULL)
    {
      if (proto != NULL && g_str_equal (proto, "udp"))
        return cli_usage_error ("port", _("--check connects with TCP: UDP has no connection to "
                                      "tell an open port from a closed one"));
      if (!scope_port_range_parse (argv[1], SCOPE_CONNECT_CHECK_MAX_PORTS, &first, &last,
                                   &error)
          || !scope_port_require_nonzero (first, &error))
        return cli_usage_error ("port", error->message);
      if (!scope_resolver_validate_host (host, &error))
        return cli_usage_error ("port", error->message);
      return run_check (host, first, last, (guint) timeout, (guint) concurrency, json);
    }

  if (!scope_port_parse (argv[1], &first, &error) || !scope_port_require_nonzero (first, &error))
    return cli_usage_error ("port", error->message);
  return print_port (first, proto == NULL || !g_str_equal (proto, "udp"),
                     proto == NULL || !g_str_equal (proto, "tcp"), json);
}
