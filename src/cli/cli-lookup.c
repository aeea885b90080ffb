/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "cli-common.h"
#include "cli-lookup.h"
#include "scope-lookup-choices.h"
#include "scope-resolver.h"

/* sockscope-cli lookup KIND …: the Lookup page's questions at a terminal.
 * The answer is the page's, as a table or, with --json, as JSON. Exit
 * status: 0 answered, 1 the lookup failed (message on stderr), 2 the
 * question itself was wrong, 130 interrupted. */

#define DEFAULT_TIMEOUT_MS 5000

typedef struct
{
  ScopeLookupKind  kind;
  const char      *name;
  const char      *parameters;  /* what follows the kind, for --help */
  const char      *summary;
  int              min_args;
  int              max_args;
} LookupForm;

static const LookupForm forms[] = {
  { SCOPE_LOOKUP_ADDRINFO, "addrinfo", N_("HOST [SERVICE]"),
    N_("Addresses and socket types for a host and service, as getaddrinfo() gives them"), 1, 2 },
  { SCOPE_LOOKUP_HOST, "host", N_("NAME"),
    N_("Canonical name, aliases and addresses, as gethostbyname_ex() gives them"), 1, 1 },
  { SCOPE_LOOKUP_REVERSE, "reverse", N_("ADDRESS|NAME"),
    N_("The names of an address: getnameinfo(), gethostbyaddr(), GResolver, getfqdn()"), 1, 1 },
  { SCOPE_LOOKUP_SERVICE, "service", N_("NAME|PORT"),
    N_("A service's port or a port's service, from the services database"), 1, 1 },
  { SCOPE_LOOKUP_RECORDS, "records", N_("NAME"),
    N_("DNS records: MX, TXT, SRV, NS and SOA"), 1, 1 },
  { SCOPE_LOOKUP_ME, "me", "",
    N_("This machine's names and the addresses of its interfaces"), 0, 0 },
};

typedef struct
{
  GMainLoop         *loop;
  ScopeLookupResult *result;
  GError            *error;
} LookupRun;

static char *
form_list (void)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", forms[i].name);
  return g_string_free (list, FALSE);
}

static void
set_choice_error (GError               **error,
                  const char            *option,
                  const char            *text,
                  ScopeLookupChoiceSet   set)
{
  g_autofree char *list = scope_lookup_choice_names (set);

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               /* Translators: "--family: “ipv5” is not one of any, ipv4, ipv6"; the
                * option's name and the choices are not to be translated */
               _("%s: “%s” is not one of %s"), option, text, list);
}

/* A missing option keeps *value as it is. */
static gboolean
parse_choice (const char            *option,
              const char            *text,
              ScopeLookupChoiceSet   set,
              int                   *value,
              GError               **error)
{
  const ScopeLookupChoice *choice;

  if (text == NULL)
    return TRUE;
  choice = scope_lookup_choice_from_name (set, text);
  if (choice != NULL)
    {
      *value = choice->value;
      return TRUE;
    }
  set_choice_error (error, option, text, set);
  return FALSE;
}

/* "canonname,addrconfig": names separated by commas, each with or without
 * its AI_ prefix, in any case. */
static gboolean
parse_flags (const char  *text,
             int         *flags,
             GError     **error)
{
  g_auto(GStrv) names = NULL;

  if (text == NULL)
    return TRUE;
  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      const ScopeLookupChoice *flag;

      if (*name == '\0')
        continue;
      if (g_ascii_strncasecmp (name, "AI_", 3) == 0)
        name += 3;
      flag = scope_lookup_choice_from_name (SCOPE_LOOKUP_CHOICE_AI_FLAG, name);
      if (flag == NULL)
        {
          set_choice_error (error, "--flags", names[i], SCOPE_LOOKUP_CHOICE_AI_FLAG);
          return FALSE;
        }
      *flags |= flag->value;
    }
  return TRUE;
}

static const LookupForm *
find_form (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    if (g_str_equal (forms[i].name, name))
      return &forms[i];
  return NULL;
}

static char *
forms_description (void)
{
  GString *text = g_string_new (_("Kinds of lookup:"));

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    g_string_append_printf (text, "\n  %-9s %s", forms[i].name, _(forms[i].summary));
  g_string_append_printf (text, "\n\n%s",
                          _("“sockscope-cli lookup KIND --help” tells more of each."));
  return g_string_free (text, FALSE);
}

/* `sockscope-cli lookup` alone, with --help, or with an option first. */
static int
no_form (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = forms_description ();
  g_autofree char *kinds = form_list ();
  g_autofree char *message = NULL;

  context = g_option_context_new (_("KIND [ARGUMENTS…] — look up names, addresses, services "
                                    "and DNS records"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_description (context, description);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("lookup", error->message);

  if (argc >= 2)
    /* Translators: the first %s is what the user typed, the second a list of kinds */
    message = g_strdup_printf (_("“%s” is not a kind of lookup: use one of %s"), argv[1], kinds);
  else
    /* Translators: %s is a list of kinds of lookup */
    message = g_strdup_printf (_("name a kind of lookup first: %s"), kinds);
  return cli_usage_error ("lookup", message);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LookupRun *run = user_data;

  run->result = scope_resolver_lookup_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static int
print_result (ScopeLookupResult *result,
              gboolean           json)
{
  if (json)
    {
      g_autoptr(JsonNode) node = scope_lookup_result_to_json (result);

      return cli_print_json (node);
    }
  else
    {
      g_autofree char *text = scope_lookup_result_to_text (result);

      g_print ("%s%s", text, g_str_has_suffix (text, "\n") ? "" : "\n");
    }
  return fflush (stdout) == 0 ? 0 : 1;
}

/* What the options say, kept while the context that parses them lives. */
typedef struct
{
  gboolean  json;
  gboolean  namereqd;
  gboolean  numerichost;
  char     *timeout;
  char     *family;
  char     *socktype;
  char     *protocol;
  char     *flags;
  char     *service_proto;
  char     *records;
  char     *flags_help;
} LookupOptions;

static void
lookup_options_clear (LookupOptions *options)
{
  g_free (options->timeout);
  g_free (options->family);
  g_free (options->socktype);
  g_free (options->protocol);
  g_free (options->flags);
  g_free (options->service_proto);
  g_free (options->records);
  g_free (options->flags_help);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LookupOptions, lookup_options_clear)

/* The options of @form's kind beside --json and --timeout. */
static GOptionContext *
lookup_context_new (const LookupForm *form,
                    LookupOptions    *o)
{
  g_autofree char *parameters = NULL;
  GOptionContext *context;
  const GOptionEntry common_entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &o->json,
      N_("Print the answer as JSON"), NULL },
    { "timeout", 't', 0, G_OPTION_ARG_STRING, &o->timeout,
      N_("Give up after MS milliseconds (default 5000)"), N_("MS") },
    { NULL }
  };
  const GOptionEntry family_entries[] = {
    { "family", 0, 0, G_OPTION_ARG_STRING, &o->family,
      N_("Address family: any (the default), ipv4 or ipv6"), N_("FAMILY") },
    { NULL }
  };
  /* The list of flags is this platform's: built at run time. */
  const GOptionEntry addrinfo_entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &o->socktype,
      N_("Socket type: any (the default), stream or dgram"), N_("TYPE") },
    { "proto", 0, 0, G_OPTION_ARG_STRING, &o->protocol,
      N_("Protocol: any (the default), tcp or udp"), N_("PROTO") },
    { "flags", 0, 0, G_OPTION_ARG_STRING, &o->flags, o->flags_help, N_("FLAG,…") },
    { NULL }
  };
  const GOptionEntry reverse_entries[] = {
    { "namereqd", 0, 0, G_OPTION_ARG_NONE, &o->namereqd,
      N_("getnameinfo() with NI_NAMEREQD: fail when the address has no name"), NULL },
    { "numerichost", 0, 0, G_OPTION_ARG_NONE, &o->numerichost,
      N_("getnameinfo() with NI_NUMERICHOST: the address as text, no lookup"), NULL },
    { NULL }
  };
  const GOptionEntry service_entries[] = {
    { "proto", 0, 0, G_OPTION_ARG_STRING, &o->service_proto,
      N_("Transport: both (the default), tcp or udp"), N_("PROTO") },
    { NULL }
  };
  const GOptionEntry records_entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &o->records,
      N_("Records: all (the default), mx, txt, srv, ns or soa"), N_("TYPE") },
    { NULL }
  };

  /* Translators: the kind of lookup, what it takes and what it does, e.g.
   * "lookup addrinfo HOST [SERVICE] — Addresses …"; "lookup" is the command name */
  parameters = g_strdup_printf (_("lookup %s %s — %s"), form->name, _(form->parameters),
                                _(form->summary));
  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  switch (form->kind)
    {
    case SCOPE_LOOKUP_ADDRINFO:
      g_option_context_add_main_entries (context, family_entries, GETTEXT_PACKAGE);
      g_option_context_add_main_entries (context, addrinfo_entries, GETTEXT_PACKAGE);
      break;
    case SCOPE_LOOKUP_HOST:
      g_option_context_add_main_entries (context, family_entries, GETTEXT_PACKAGE);
      break;
    case SCOPE_LOOKUP_REVERSE:
      g_option_context_add_main_entries (context, reverse_entries, GETTEXT_PACKAGE);
      break;
    case SCOPE_LOOKUP_SERVICE:
      g_option_context_add_main_entries (context, service_entries, GETTEXT_PACKAGE);
      break;
    case SCOPE_LOOKUP_RECORDS:
      g_option_context_add_main_entries (context, records_entries, GETTEXT_PACKAGE);
      break;
    case SCOPE_LOOKUP_ME:
    default:
      break;
    }
  return context;
}

/* The question the arguments and options ask, checked. */
static ScopeLookupRequest *
lookup_request_new (const LookupForm     *form,
                    const LookupOptions  *o,
                    int                   argc,
                    char                **argv,
                    GError              **error)
{
  g_autoptr(ScopeLookupRequest) request = NULL;
  int family = AF_UNSPEC, socktype = 0, protocol = 0, ai_flags = 0;
  int service_proto = SCOPE_SERVICE_PROTO_BOTH, records = SCOPE_RECORDS_ALL;

  if (!parse_choice ("--family", o->family, SCOPE_LOOKUP_CHOICE_FAMILY, &family, error)
      || !parse_choice ("--type", o->socktype, SCOPE_LOOKUP_CHOICE_SOCKTYPE, &socktype, error)
      || !parse_choice ("--proto", o->protocol, SCOPE_LOOKUP_CHOICE_PROTOCOL, &protocol, error)
      || !parse_flags (o->flags, &ai_flags, error)
      || !parse_choice ("--proto", o->service_proto, SCOPE_LOOKUP_CHOICE_SERVICE_PROTO,
                        &service_proto, error)
      || !parse_choice ("--type", o->records, SCOPE_LOOKUP_CHOICE_RECORDS, &records, error))
    return NULL;

  request = scope_lookup_request_new (form->kind, argc > 1 ? argv[1] : "");
  if (form->kind == SCOPE_LOOKUP_ADDRINFO && argc > 2)
    request->service = g_strdup (argv[2]);
  request->family = family;
  request->socktype = socktype;
  request->protocol = protocol;
  request->ai_flags = ai_flags;
  request->ni_flags = (o->namereqd ? NI_NAMEREQD : 0) | (o->numerichost ? NI_NUMERICHOST : 0);
  request->proto = service_proto;
  request->records = records;
  if (!scope_lookup_request_validate (request, error))
    return NULL;
  return g_steal_pointer (&request);
}

/* Asks, with the resolver's own timeout: it answers even while
 * getaddrinfo() is still blocked in its worker thread. */
static int
run_lookup (const ScopeLookupRequest *request,
            guint                     timeout_ms,
            gboolean                  json)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ScopeLookupResult) result = NULL;
  LookupRun run = { loop, NULL, NULL };
  CliSignals signals = { .cancellable = cancellable };

  cli_signals_watch (&signals, loop);
  scope_resolver_lookup_async (request, timeout_ms, cancellable, on_lookup_done, &run);
  g_main_loop_run (loop);
  cli_signals_unwatch (&signals);

  if (signals.received > 0)
    {
      g_clear_error (&run.error);
      g_clear_pointer (&run.result, scope_lookup_result_unref);
      return 130;
    }

  result = g_steal_pointer (&run.result);
  if (result == NULL)
    {
      g_assert (run.error != NULL);
      cli_fail ("lookup", run.error->message);
      g_clear_error (&run.error);
      return 1;
    }
  return print_result (result, json);
}

int
cli_lookup (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeLookupRequest) request = NULL;
  g_autofree char *flag_names = scope_lookup_choice_names (SCOPE_LOOKUP_CHOICE_AI_FLAG);
  g_auto(LookupOptions) options = { 0 };
  const LookupForm *form;
  guint64 timeout = DEFAULT_TIMEOUT_MS;

  if (argc < 2 || argv[1][0] == '-')
    return no_form (argc, argv);
  form = find_form (argv[1]);
  if (form == NULL)
    return no_form (argc, argv);

  /* From here on, the kind is the program's first word. */
  argc--;
  argv++;

  /* Translators: %s is a list of flag names, not to be translated */
  options.flags_help = g_strdup_printf (_("getaddrinfo() flags, separated by commas: %s"),
                                        flag_names);
  context = lookup_context_new (form, &options);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error ("lookup", error->message);
  cli_drop_separator (&argc, argv);
  if (argc - 1 < form->min_args || argc - 1 > form->max_args)
    {
      g_autofree char *message = NULL;

      if (form->max_args == 0)
        /* Translators: %s is a kind of lookup, e.g. "me" */
        message = g_strdup_printf (_("“%s” takes no arguments"), form->name);
      else
        /* Translators: the kind of lookup, then what it takes: "give addrinfo HOST [SERVICE]" */
        message = g_strdup_printf (_("give %s %s"), form->name, _(form->parameters));
      return cli_usage_error ("lookup", message);
    }
  if (options.timeout != NULL
      && !cli_parse_number (options.timeout, "--timeout", 1, 3600000, &timeout, &error))
    return cli_usage_error ("lookup", error->message);
  request = lookup_request_new (form, &options, argc, argv, &error);
  if (request == NULL)
    return cli_usage_error ("lookup", error->message);
  return run_lookup (request, (guint) timeout, options.json);
}
