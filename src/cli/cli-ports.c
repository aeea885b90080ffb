/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#ifdef G_OS_UNIX
# include <sys/socket.h>
#endif

#include "cli-common.h"
#include "cli-ports.h"
#include "scope-address.h"
#include "scope-constants.h"
#include "scope-port-status.h"
#include "scope-resolver.h"
#include "scope-services.h"

/* The Ports page at a terminal: sockscope-cli services, constants, address
 * and port. Each prints a table, or JSON with --json. Exit status: 0
 * answered, 1 the system could not say, 2 bad input.
 *
 * Words from files others write (the services file, a process's name)
 * are shown through scope_resolver_show_name(), in the table and in the
 * JSON alike: no control character or byte that is not UTF-8 reaches the
 * terminal or breaks the JSON: the system's services database comes
 * through getservent(), which passes on whatever bytes the file holds. */

/* Adds @text to @builder as a JSON string, shown safely. */
static void
add_shown_string (JsonBuilder *builder,
                  const char  *text)
{
  g_autofree char *shown = scope_resolver_show_name (text);

  json_builder_add_string_value (builder, shown);
}


static int
usage_error (const char *command,
             const char *message)
{
  return cli_fail (command, message) + 1;
}

static GOptionContext *
context_new (const char         *parameters,
             const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

/* GOption leaves the "--" that ends the options among the arguments; it
 * is there so that "-1" can be an argument. */
static void
drop_separator (int   *argc,
                char **argv)
{
  for (int i = 1; i < *argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        memmove (&argv[i], &argv[i + 1], (*argc - i) * sizeof (char *));
        (*argc)--;
        return;
      }
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
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *proto = NULL;
  g_autofree char *class_text = NULL;
  gboolean json = FALSE, builtin = FALSE;
  ScopePortClass port_class = SCOPE_PORT_CLASS_WELL_KNOWN;
  const char *query;
  guint n;
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
    return usage_error ("services", error->message);
  drop_separator (&argc, argv);
  if (argc > 2)
    return usage_error ("services", _("give at most one QUERY"));
  if (class_text != NULL && !scope_port_class_from_string (class_text, &port_class))
    {
      /* Translators: the option's name and the classes are not to be translated */
      g_autofree char *message = g_strdup_printf (_("%s: “%s” is not one of %s"), "--class",
                                                  class_text, "well-known, registered, dynamic");

      return usage_error ("services", message);
    }
  query = argc > 1 ? argv[1] : "";

  catalogue = builtin ? scope_service_catalogue_new_builtin ()
                      : scope_service_catalogue_new_system ();
  n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ScopeService) service = g_list_model_get_item (G_LIST_MODEL (catalogue), i);

      if (scope_service_matches (service, query)
          && (proto == NULL || g_ascii_strcasecmp (proto, scope_service_get_protocol (service))
                               == 0)
          && (class_text == NULL || scope_service_get_port_class (service) == port_class))
        g_ptr_array_add (matches, g_steal_pointer (&service));
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source");
      add_shown_string (builder, scope_service_catalogue_get_source (catalogue));
      json_builder_set_member_name (builder, "total");
      json_builder_add_int_value (builder, n);
      json_builder_set_member_name (builder, "skipped");
      json_builder_add_int_value (builder, scope_service_catalogue_get_n_skipped (catalogue));
      json_builder_set_member_name (builder, "services");
      json_builder_begin_array (builder);
      for (guint i = 0; i < matches->len; i++)
        {
          ScopeService *service = g_ptr_array_index (matches, i);
          const char * const *aliases = scope_service_get_aliases (service);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          add_shown_string (builder, scope_service_get_name (service));
          json_builder_set_member_name (builder, "port");
          json_builder_add_int_value (builder, scope_service_get_port (service));
          json_builder_set_member_name (builder, "protocol");
          add_shown_string (builder, scope_service_get_protocol (service));
          json_builder_set_member_name (builder, "aliases");
          json_builder_begin_array (builder);
          for (guint a = 0; aliases[a] != NULL; a++)
            add_shown_string (builder, aliases[a]);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "class");
          json_builder_add_string_value (builder, scope_port_class_to_string (
                                                    scope_service_get_port_class (service)));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return cli_print_json (root);
    }

  {
    /* Translators: the column headers of a table in a terminal, in capitals */
    const char *headers[] = {
      C_("column", "NAME"), C_("column", "PORT"), C_("column", "PROTOCOL"), C_("column", "CLASS"),
      C_("column", "ALIASES"), NULL,
    };
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

    g_autofree char *source = scope_resolver_show_name (
                                scope_service_catalogue_get_source (catalogue));

    /* Translators: where the database was read, then how many entries it has */
    g_print (g_dngettext (GETTEXT_PACKAGE, "%s: %u entry\n", "%s: %u entries\n", n), source, n);
    for (guint i = 0; i < matches->len; i++)
      {
        ScopeService *service = g_ptr_array_index (matches, i);
        char **cells = g_new0 (char *, 6);

        g_autofree char *aliases = scope_service_dup_aliases_text (service);

        cells[0] = scope_resolver_show_name (scope_service_get_name (service));
        cells[1] = g_strdup_printf ("%u", scope_service_get_port (service));
        cells[2] = scope_resolver_show_name (scope_service_get_protocol (service));
        cells[3] = g_strdup (scope_port_class_to_string (scope_service_get_port_class (service)));
        cells[4] = aliases[0] != '\0' ? scope_resolver_show_name (aliases) : NULL;
        g_ptr_array_add (rows, cells);
      }
    if (rows->len == 0)
      {
        g_print ("%s\n", _("No entry matches."));
        return 0;
      }
    cli_print_table (headers, rows);
  }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* constants                                                                */

static gboolean
has_prefix_casefold (const char *name,
                     const char *prefix)
{
  return g_ascii_strncasecmp (name, prefix, strlen (prefix)) == 0;
}

static char *
default_socket_text (const ScopeDefaultSocket *info)
{
  if (info->kernel_protocol > 0)
    /* Translators: the constant the kernel chose, then its number */
    return g_strdup_printf (_("A plain socket() — Python’s socket.socket() — is AF_INET, "
                              "SOCK_STREAM and protocol 0, which lets the system choose: it "
                              "chose %s (%d)."),
                            scope_socket_constant_name_for ("IPPROTO_", info->kernel_protocol),
                            info->kernel_protocol);
  return g_strdup (_("A plain socket() — Python’s socket.socket() — is AF_INET, SOCK_STREAM and "
                     "protocol 0, which lets the system choose the protocol of the type: "
                     "TCP."));
}

int
cli_constants (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const char *prefix;
  const ScopeConstantGroup *groups;
  const ScopeSocketConstant *constants;
  ScopeDefaultSocket plain = { 0 };
  gboolean have_plain;
  guint n_groups, n_constants, shown = 0;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the constants as JSON"), NULL },
    { NULL }
  };

  context = context_new (_("[PREFIX] — the socket constants of this platform, such as AF_, "
                           "SOCK_ or SO_, with their values here"), entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("constants", error->message);
  drop_separator (&argc, argv);
  if (argc > 2)
    return usage_error ("constants", _("give at most one PREFIX"));
  prefix = argc > 1 ? argv[1] : "";
  groups = scope_constant_groups (&n_groups);
  constants = scope_socket_constants (&n_constants);
  have_plain = scope_constants_default_socket (&plain, &error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "constants");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_constants; i++)
        {
          if (!has_prefix_casefold (constants[i].name, prefix))
            continue;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, constants[i].name);
          json_builder_set_member_name (builder, "value");
          json_builder_add_int_value (builder, constants[i].value);
          json_builder_set_member_name (builder, "group");
          json_builder_add_string_value (builder, groups[constants[i].group].prefix);
          json_builder_set_member_name (builder, "meaning");
          json_builder_add_string_value (builder, _(constants[i].meaning));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "default_socket");
      if (have_plain)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "family");
          json_builder_add_int_value (builder, plain.family);
          json_builder_set_member_name (builder, "type");
          json_builder_add_int_value (builder, plain.type);
          json_builder_set_member_name (builder, "protocol");
          json_builder_add_int_value (builder, plain.protocol);
          json_builder_set_member_name (builder, "kernel_protocol");
          if (plain.kernel_protocol >= 0)
            json_builder_add_int_value (builder, plain.kernel_protocol);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return cli_print_json (root);
    }

  for (guint g = 0; g < n_groups; g++)
    {
      /* Translators: the column headers of a table in a terminal, in capitals */
      const char *headers[] = {
        C_("column", "NAME"), C_("column", "VALUE"), C_("column", "MEANING"), NULL,
      };
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      for (guint i = 0; i < n_constants; i++)
        {
          char **cells;

          if (constants[i].group != g || !has_prefix_casefold (constants[i].name, prefix))
            continue;
          cells = g_new0 (char *, 4);
          cells[0] = g_strdup (constants[i].name);
          cells[1] = g_strdup_printf ("%" G_GINT64_FORMAT, constants[i].value);
          cells[2] = g_strdup (_(constants[i].meaning));
          g_ptr_array_add (rows, cells);
        }
      if (rows->len == 0)
        continue;
      g_print ("%s%s (%s*)\n", shown > 0 ? "\n" : "", _(groups[g].title), groups[g].prefix);
      cli_print_table (headers, rows);
      shown += rows->len;
    }
  if (shown == 0)
    {
      /* Translators: %s is what the user typed */
      g_autofree char *message = g_strdup_printf (_("no constant begins with “%s”"), prefix);

      return usage_error ("constants", message);
    }
  if (prefix[0] == '\0' && have_plain)
    {
      g_autofree char *text = default_socket_text (&plain);

      g_print ("\n%s\n", text);
    }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* address                                                                  */

int
cli_address (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(ScopeAddressInfo) info = { 0 };
  g_autofree char *family = NULL;
  g_autofree char *kind = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the answer as JSON"), NULL },
    { NULL }
  };

  context = context_new (_("ADDRESS — an IPv4 or IPv6 address or socket address, byte by "
                           "byte: its packed form, its number, its kind and its reverse name"),
                         entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("address", error->message);
  drop_separator (&argc, argv);
  if (argc != 2)
    return usage_error ("address", _("give one ADDRESS, such as 192.0.2.1 or [2001:db8::1]:443"));
  if (!scope_address_inspect (argv[1], &info, &error))
    return usage_error ("address", error->message);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "input");
      json_builder_add_string_value (builder, info.input);
      json_builder_set_member_name (builder, "family");
      json_builder_add_string_value (builder, info.family == AF_INET ? "AF_INET" : "AF_INET6");
      json_builder_set_member_name (builder, "family_value");
      json_builder_add_int_value (builder, info.family);
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, info.text);
      json_builder_set_member_name (builder, "scope");
      if (info.scope != NULL)
        json_builder_add_string_value (builder, info.scope);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "scope_id");
      json_builder_add_int_value (builder, info.scope_id);
      json_builder_set_member_name (builder, "scope_known");
      json_builder_add_boolean_value (builder, info.scope_known);
      json_builder_set_member_name (builder, "port");
      if (info.port >= 0)
        json_builder_add_int_value (builder, info.port);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "packed");
      json_builder_add_string_value (builder, info.hex);
      json_builder_set_member_name (builder, "integer");
      json_builder_add_string_value (builder, info.integer);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, scope_address_kind_to_string (info.kind));
      json_builder_set_member_name (builder, "multicast_scope");
      if (info.multicast_scope != NULL)
        json_builder_add_string_value (builder, info.multicast_scope);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "mapped");
      if (info.mapped != NULL)
        json_builder_add_string_value (builder, info.mapped);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "inet_aton_only");
      json_builder_add_boolean_value (builder, info.aton_only);
      json_builder_set_member_name (builder, "reverse_name");
      json_builder_add_string_value (builder, info.reverse_name);
      json_builder_set_member_name (builder, "python");
      json_builder_add_string_value (builder, info.python);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return cli_print_json (root);
    }

  family = g_strdup_printf ("%s (%d)", info.family == AF_INET ? "AF_INET" : "AF_INET6",
                            info.family);
  /* Translators: the kind of an address, then what that kind means */
  kind = g_strdup_printf (_("%s: %s"), scope_address_kind_get_title (info.kind),
                          scope_address_kind_explain (info.kind));
  {
    /* Translators: the column headers of a table in a terminal, in capitals */
    const char *headers[] = {
      C_("column", "WHAT"), C_("column", "VALUE"), NULL,
    };
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

#define ROW(what, value) \
    G_STMT_START { \
      char **cells = g_new0 (char *, 3); \
      cells[0] = g_strdup (what); \
      cells[1] = g_strdup (value); \
      g_ptr_array_add (rows, cells); \
    } G_STMT_END

    ROW (_("Address"), info.text);
    ROW (_("Family"), family);
    if (info.scope != NULL)
      {
        g_autofree char *scope = info.scope_known
                                 ? g_strdup_printf ("%s (%u)", info.scope, info.scope_id)
                                 /* Translators: an interface name this machine does not have */
                                 : g_strdup_printf (_("%s (no such interface here)"),
                                                    info.scope);

        ROW (_("Scope"), scope);
      }
    if (info.port >= 0)
      {
        g_autofree char *port = g_strdup_printf ("%d", info.port);

        ROW (_("Port"), port);
      }
    ROW (info.aton_only ? _("Packed (inet_aton)") : _("Packed (inet_pton)"), info.hex);
    ROW (_("As a number"), info.integer);
    ROW (_("Kind"), kind);
    if (info.multicast_scope != NULL)
      ROW (_("Multicast scope"), info.multicast_scope);
    if (info.mapped != NULL)
      ROW (_("IPv4 address inside"), info.mapped);
    ROW (_("Reverse name"), info.reverse_name);
#undef ROW
    cli_print_table (headers, rows);
  }
  if (info.aton_only)
    /* Translators: %s is what the user typed, %s the address it means */
    g_print (_("\n“%s” is an old short form that only inet_aton() reads; inet_pton() wants "
               "%s.\n"), info.input, info.text);
  g_print ("\n%s\n", info.python);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* port                                                                     */

typedef struct
{
  GMainLoop *loop;
  GCancellable *cancellable;
  gboolean interrupted;
  GError *error;
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

static gboolean
on_signal (gpointer user_data)
{
  CheckRun *run = user_data;

  run->interrupted = TRUE;
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
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
  CheckRun run = { loop, cancellable, FALSE, NULL };
  GArray *results;
  guint sigint, sigterm;
  guint counts[SCOPE_CONNECT_FAILED + 1] = { 0 };

  sigint = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &run);
  scope_connect_check_run_async (check, cancellable, on_check_done, &run);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (run.interrupted)
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

  results = scope_connect_check_get_results (check);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "host");
      json_builder_add_string_value (builder, host);
      json_builder_set_member_name (builder, "addresses");
      json_builder_begin_array (builder);
      {
        g_auto(GStrv) addresses = g_strsplit (scope_connect_check_get_address (check), ", ", -1);

        for (guint i = 0; addresses[i] != NULL; i++)
          json_builder_add_string_value (builder, addresses[i]);
      }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "results");
      json_builder_begin_array (builder);
      for (guint i = 0; i < results->len; i++)
        {
          ScopeConnectResult *r = &g_array_index (results, ScopeConnectResult, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "port");
          json_builder_add_int_value (builder, r->port);
          json_builder_set_member_name (builder, "address");
          json_builder_add_string_value (builder, r->address);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, scope_connect_state_to_string (r->state));
          json_builder_set_member_name (builder, "elapsed_us");
          json_builder_add_int_value (builder, r->elapsed_us);
          json_builder_set_member_name (builder, "message");
          if (r->message != NULL)
            json_builder_add_string_value (builder, r->message);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return cli_print_json (root);
    }

  {
    /* Translators: the column headers of a table in a terminal, in capitals */
    const char *headers[] = {
      C_("column", "PORT"), C_("column", "ADDRESS"), C_("column", "STATE"), C_("column", "TIME"),
      C_("column", "WHY"), NULL,
    };
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

    for (guint i = 0; i < results->len; i++)
      {
        ScopeConnectResult *r = &g_array_index (results, ScopeConnectResult, i);
        char **cells = g_new0 (char *, 6);

        counts[r->state]++;
        cells[0] = g_strdup_printf ("%u", r->port);
        cells[1] = g_strdup (r->address);
        cells[2] = g_strdup (scope_connect_state_to_string (r->state));
        /* Translators: a duration in milliseconds */
        cells[3] = g_strdup_printf (_("%.1f ms"), r->elapsed_us / 1000.0);
        cells[4] = g_strdup (r->message);
        g_ptr_array_add (rows, cells);
      }
    /* Translators: a host, the address it was checked at, then how many
     * ports were open, refused, filtered and failed; the counts may be any
     * number, so a form such as "open: %u" reads best where plurals differ */
    g_print (_("%s (%s): %u open, %u refused, %u filtered, %u failed\n"), host,
             scope_connect_check_get_address (check), counts[SCOPE_CONNECT_OPEN],
             counts[SCOPE_CONNECT_REFUSED], counts[SCOPE_CONNECT_FILTERED],
             counts[SCOPE_CONNECT_FAILED]);
    cli_print_table (headers, rows);
  }
  return 0;
}

static void
add_probes_json (JsonBuilder *builder,
                 GArray      *probes)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < probes->len; i++)
    {
      ScopeBindProbe *probe = &g_array_index (probes, ScopeBindProbe, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, probe->address);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, scope_bind_state_to_string (probe->state));
      json_builder_set_member_name (builder, "message");
      if (probe->message != NULL)
        json_builder_add_string_value (builder, probe->message);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static int
print_port (guint        port,
            gboolean     tcp,
            gboolean     udp,
            gboolean     json)
{
  g_autoptr(ScopeServiceCatalogue) catalogue = scope_service_catalogue_new_system ();
  g_autoptr(GArray) tcp_probes = tcp ? scope_port_probe_bind (port, FALSE) : NULL;
  g_autoptr(GArray) udp_probes = udp ? scope_port_probe_bind (port, TRUE) : NULL;
  g_autoptr(GError) listening_error = NULL;
  g_autoptr(GPtrArray) listening = scope_listening_sockets (port, NULL, &listening_error);
  g_auto(ScopePortRange) ephemeral = { 0 };
  g_auto(ScopePortRange) unprivileged = { 0 };
  ScopePortClass port_class = scope_port_class_of (port);
  ScopeService *tcp_service = scope_service_catalogue_find (catalogue, port, "tcp");
  ScopeService *udp_service = scope_service_catalogue_find (catalogue, port, "udp");
  gboolean in_ephemeral, privileged;

  scope_ports_ephemeral_range (&ephemeral);
  scope_ports_unprivileged_range (&unprivileged);
  in_ephemeral = port >= ephemeral.first && port <= ephemeral.last;
  privileged = port < unprivileged.first;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, port);
      json_builder_set_member_name (builder, "class");
      json_builder_add_string_value (builder, scope_port_class_to_string (port_class));
      json_builder_set_member_name (builder, "privileged");
      json_builder_add_boolean_value (builder, privileged);
      json_builder_set_member_name (builder, "ephemeral");
      json_builder_add_boolean_value (builder, in_ephemeral);
      json_builder_set_member_name (builder, "ephemeral_range");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, ephemeral.first);
      json_builder_add_int_value (builder, ephemeral.last);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "services");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "tcp");
      if (tcp_service != NULL)
        add_shown_string (builder, scope_service_get_name (tcp_service));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "udp");
      if (udp_service != NULL)
        add_shown_string (builder, scope_service_get_name (udp_service));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "bind");
      json_builder_begin_object (builder);
      if (tcp_probes != NULL)
        {
          json_builder_set_member_name (builder, "tcp");
          add_probes_json (builder, tcp_probes);
        }
      if (udp_probes != NULL)
        {
          json_builder_set_member_name (builder, "udp");
          add_probes_json (builder, udp_probes);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "listening");
      if (listening != NULL)
        {
          json_builder_begin_array (builder);
          for (guint i = 0; i < listening->len; i++)
            {
              ScopeSocketEntry *entry = g_ptr_array_index (listening, i);

              if ((entry->protocol[0] == 't' && !tcp) || (entry->protocol[0] == 'u' && !udp))
                continue;
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "protocol");
              json_builder_add_string_value (builder, entry->protocol);
              json_builder_set_member_name (builder, "address");
              json_builder_add_string_value (builder, entry->local_address);
              json_builder_set_member_name (builder, "port");
              json_builder_add_int_value (builder, entry->local_port);
              json_builder_set_member_name (builder, "state");
              json_builder_add_string_value (builder, entry->state);
              json_builder_set_member_name (builder, "uid");
              json_builder_add_int_value (builder, entry->uid);
              json_builder_set_member_name (builder, "process");
              if (entry->process != NULL)
                add_shown_string (builder, entry->process);
              else
                json_builder_add_null_value (builder);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "listening_error");
      if (listening == NULL)
        json_builder_add_string_value (builder, listening_error->message);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      return cli_print_json (root) | (listening == NULL);
    }

  {
    guint first, last;

    scope_port_class_get_bounds (port_class, &first, &last);
    /* Translators: a port, its class and the class's range, e.g. "Port 22: Well-known (0–1023)" */
    g_print (_("Port %u: %s (%u–%u)\n"), port, scope_port_class_get_title (port_class), first,
             last);
    g_print ("%s\n", scope_port_class_explain (port_class));
  }
  if (privileged)
    /* Translators: the lowest port anyone may listen on, then where that was read */
    g_print (_("Privileged here: only administrators may listen below %u (%s).\n"),
             unprivileged.first, unprivileged.source);
  if (in_ephemeral)
    /* Translators: the ephemeral range, then where it was read */
    g_print (_("In the ephemeral range %u–%u (%s): it may be given to a client "
               "socket.\n"), ephemeral.first, ephemeral.last, ephemeral.source);
  if (tcp && tcp_service != NULL)
    {
      g_autofree char *name = scope_resolver_show_name (scope_service_get_name (tcp_service));

      /* Translators: the service name, the port, then the protocol */
      g_print (_("Services database: %s (%u/%s)\n"), name, port, "tcp");
    }
  if (udp && udp_service != NULL)
    {
      g_autofree char *name = scope_resolver_show_name (scope_service_get_name (udp_service));

      g_print (_("Services database: %s (%u/%s)\n"), name, port, "udp");
    }

  {
    /* Translators: the column headers of a table in a terminal, in capitals */
    const char *headers[] = {
      C_("column", "PROTOCOL"), C_("column", "ADDRESS"), C_("column", "BIND"), C_("column", "WHY"),
      NULL,
    };
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    GArray *sets[] = { tcp_probes, udp_probes };

    for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
      for (guint i = 0; sets[s] != NULL && i < sets[s]->len; i++)
        {
          ScopeBindProbe *probe = &g_array_index (sets[s], ScopeBindProbe, i);
          char **cells = g_new0 (char *, 5);

          cells[0] = g_strdup (s == 0 ? "tcp" : "udp");
          cells[1] = g_strdup (probe->address);
          cells[2] = g_strdup (scope_bind_state_get_title (probe->state));
          cells[3] = g_strdup (probe->message);
          g_ptr_array_add (rows, cells);
        }
    g_print ("\n%s\n", _("Trying to bind it here:"));
    cli_print_table (headers, rows);
  }

  g_print ("\n%s\n", _("Sockets of this machine on it:"));
  if (listening == NULL)
    {
      g_print ("  %s\n", listening_error->message);
      return 1;
    }
  else
    {
      /* Translators: the column headers of a table in a terminal, in capitals */
      const char *headers[] = {
        C_("column", "PROTOCOL"), C_("column", "ADDRESS"), C_("column", "STATE"),
        C_("column", "PROCESS"), NULL,
      };
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      for (guint i = 0; i < listening->len; i++)
        {
          ScopeSocketEntry *entry = g_ptr_array_index (listening, i);
          char **cells;

          if ((entry->protocol[0] == 't' && !tcp) || (entry->protocol[0] == 'u' && !udp))
            continue;
          cells = g_new0 (char *, 5);
          cells[0] = g_strdup (entry->protocol);
          cells[1] = g_strdup (entry->local_address);
          cells[2] = g_strdup (entry->state);
          cells[3] = scope_resolver_show_name (entry->process);
          g_ptr_array_add (rows, cells);
        }
      if (rows->len == 0)
        g_print ("  %s\n", _("None: nothing listens on it."));
      else
        cli_print_table (headers, rows);
    }
  return 0;
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
    return usage_error ("port", error->message);
  drop_separator (&argc, argv);
  if (argc != 2)
    return usage_error ("port", _("give one PORT, such as 22"));
  if (proto != NULL && !g_str_equal (proto, "tcp") && !g_str_equal (proto, "udp")
      && !g_str_equal (proto, "both"))
    {
      /* Translators: the option's name and the choices are not to be translated */
      g_autofree char *message = g_strdup_printf (_("%s: “%s” is not one of %s"), "--proto",
                                                  proto, "tcp, udp, both");

      return usage_error ("port", message);
    }
  if ((timeout_text != NULL
       && !cli_parse_number (timeout_text, "--timeout", 1, 600000, &timeout, &error))
      || (concurrency_text != NULL
          && !cli_parse_number (concurrency_text, "--concurrency", 1,
                                SCOPE_CONNECT_CHECK_MAX_CONCURRENCY, &concurrency,
                                &error)))
    return usage_error ("port", error->message);

  if (host != NULL)
    {
      if (proto != NULL && g_str_equal (proto, "udp"))
        return usage_error ("port", _("--check connects with TCP: UDP has no connection to "
                                      "tell an open port from a closed one"));
      if (!scope_port_range_parse (argv[1], SCOPE_CONNECT_CHECK_MAX_PORTS, &first, &last,
                                   &error)
          || !scope_port_require_nonzero (first, &error))
        return usage_error ("port", error->message);
      if (!scope_resolver_validate_host (host, &error))
        return usage_error ("port", error->message);
      return run_check (host, first, last, (guint) timeout, (guint) concurrency, json);
    }

  if (!scope_port_parse (argv[1], &first, &error) || !scope_port_require_nonzero (first, &error))
    return usage_error ("port", error->message);
  return print_port (first, proto == NULL || !g_str_equal (proto, "udp"),
                     proto == NULL || !g_str_equal (proto, "tcp"), json);
}
