/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "cli-lookup.h"
#include "cli-ports.h"
#include "cli-send.h"
#include "cli-serve.h"
#include "scope-platform.h"
#include "scope-version.h"

/* sockscope-cli: the same core as the app, for a machine with no display.
 * Each subcommand arrives with the page it belongs to; the table below is
 * what --help lists and what a command name is checked against. */

typedef int (*ScopeCliCommand) (int argc, char **argv);

typedef struct
{
  const char      *name;
  const char      *summary;
  ScopeCliCommand  run;
} ScopeCliEntry;

static const ScopeCliEntry commands[] = {
  { "serve", N_("Run a server: tcp-echo, udp-echo, udp-upper, tcp-sum, tcp-message, http, "
                "unix-echo"), cli_serve },
  { "send", N_("Send to a server and print what comes back"), cli_send },
  { "lookup", N_("Look up names, addresses, services and DNS records"), cli_lookup },
  { "services", N_("The services database, with each port's class"), cli_services },
  { "constants", N_("The socket constants of this platform, with their values"),
    cli_constants },
  { "address", N_("An address byte by byte: packed, as a number, its kind"), cli_address },
  { "port", N_("A port: its class, whether it is free, what listens; --check a host"),
    cli_port },
  { NULL, NULL, NULL },
};

static char *
build_summary (void)
{
  GString *summary = g_string_new (_("Commands:"));

  for (gsize i = 0; commands[i].name != NULL; i++)
    g_string_append_printf (summary, "\n  %-10s %s", commands[i].name, _(commands[i].summary));
  g_string_append_printf (summary, "\n\n%s",
                          _("“sockscope-cli COMMAND --help” tells more of each."));
  return g_string_free (summary, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 'v', 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version and exit"), NULL },
    { NULL }
  };

  scope_platform_tune_memory ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGUMENTS…] — network diagnostics for lectures "
                                    "and labs"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  summary = build_summary ();
  g_option_context_set_description (context, summary);
  /* Options after the command name belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      /* Translators: %s is the reason given by the option parser */
      g_printerr (_("sockscope-cli: %s\n"), error->message);
      g_printerr (_("Try “sockscope-cli --help” for the commands and options.\n"));
      return 2;
    }

  if (version)
    {
      g_autofree char *line = scope_version_describe ();

      g_print ("%s\n", line);
      return 0;
    }

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return 2;
    }

  for (gsize i = 0; commands[i].name != NULL; i++)
    if (g_str_equal (commands[i].name, argv[1]))
      return commands[i].run (argc - 1, argv + 1);

  /* Translators: %s is what the user typed as a command name */
  g_printerr (_("sockscope-cli: unknown command “%s”\n"), argv[1]);
  g_printerr (_("Try “sockscope-cli --help” for the commands and options.\n"));
  return 2;
}
