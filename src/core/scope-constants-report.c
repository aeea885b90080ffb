/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "scope-constants.h"
#include "scope-constants-report.h"

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

static JsonNode *
default_socket_json (const ScopeDefaultSocket *plain)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "family", plain->family);
  json_object_set_int_member (object, "type", plain->type);
  json_object_set_int_member (object, "protocol", plain->protocol);
  if (plain->kernel_protocol >= 0)
    json_object_set_int_member (object, "kernel_protocol", plain->kernel_protocol);
  else
    json_object_set_null_member (object, "kernel_protocol");
  json_node_take_object (node, object);
  return node;
}

/* A value of the plain socket, as "AF_INET (2)", to copy. */
static void
add_plain_row (ScopeReportSection *section,
               const char         *prefix,
               int                 value,
               const char         *what)
{
  g_autofree char *title = g_strdup_printf ("%s (%d)",
                                            scope_socket_constant_name_for (prefix, value),
                                            value);

  scope_report_section_add_row (section, title, what, NULL);
}

static void
add_plain_section (ScopeReport              *report,
                   const ScopeDefaultSocket *plain,
                   const GError             *error)
{
  ScopeReportSection *section = scope_report_add_section (report, "plain_socket",
                                                          _("A Plain socket()"));
  g_autofree char *protocol = NULL;

  scope_report_section_set_text (section, SCOPE_REPORT_SECTION_EXPLANATION,
                                 _("What Python’s socket.socket() makes with no "
                                   "arguments, asked back from the kernel. The values "
                                   "are this platform’s own: other systems may "
                                   "differ."));
  if (error != NULL)
    {
      scope_report_section_set_text (section, SCOPE_REPORT_SECTION_ERROR, error->message);
      return;
    }
  protocol = plain->kernel_protocol >= 0
             ? g_strdup_printf (_("0, and the system chose %s (%d)"),
                                scope_socket_constant_name_for ("IPPROTO_",
                                                                plain->kernel_protocol),
                                plain->kernel_protocol)
             : g_strdup ("0");
  add_plain_row (section, "AF_", plain->family, _("Family"));
  add_plain_row (section, "SOCK_", plain->type, _("Type"));
  scope_report_section_add_row (section, protocol, _("Protocol"), NULL);
}

static void
add_group (ScopeReport *report,
           guint        g,
           const char  *prefix)
{
  guint n_groups, n_constants;
  const ScopeConstantGroup *group = &scope_constant_groups (&n_groups)[g];
  const ScopeSocketConstant *constants = scope_socket_constants (&n_constants);
  /* Translators: a group of constants, then their prefix: "Address families (AF_*)" */
  g_autofree char *title = g_strdup_printf (_("%s (%s*)"), _(group->title), group->prefix);
  ScopeReportSection *section = scope_report_add_section (report, "constants", title);

  scope_report_section_set_text (section, SCOPE_REPORT_SECTION_EXPLANATION, _(group->explanation));
  /* Translators: the column headers of a table in a terminal, in capitals */
  scope_report_section_add_column (section, "name", C_("column", "NAME"), 0);
  scope_report_section_add_column (section, "value", C_("column", "VALUE"), 0);
  scope_report_section_add_column (section, "group", NULL, SCOPE_REPORT_COLUMN_JSON_ONLY);
  scope_report_section_add_column (section, "meaning", C_("column", "MEANING"), 0);
  for (guint i = 0; i < n_constants; i++)
    {
      if (constants[i].group != g || !has_prefix_casefold (constants[i].name, prefix))
        continue;
      scope_report_section_add_fact (section, constants[i].name, _(constants[i].meaning));
      scope_report_section_set (section, "name", constants[i].name);
      scope_report_section_set_int (section, "value", constants[i].value);
      scope_report_section_set (section, "group", group->prefix);
      scope_report_section_set (section, "meaning", _(constants[i].meaning));
    }
}

/**
 * scope_constants_report:
 * @prefix: what the constants' names begin with; "" for all
 */
ScopeReport *
scope_constants_report (const char *prefix)
{
  ScopeReport *report = scope_report_new (SCOPE_REPORT_STYLE_TABLE);
  ScopeDefaultSocket plain = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean have_plain = scope_constants_default_socket (&plain, &error);
  guint n_groups;

  g_return_val_if_fail (prefix != NULL, report);

  scope_constant_groups (&n_groups);
  if (prefix[0] == '\0')
    add_plain_section (report, &plain, error);
  for (guint g = 0; g < n_groups; g++)
    add_group (report, g, prefix);
  scope_report_add_member (report, "default_socket",
                           have_plain ? default_socket_json (&plain) : NULL);
  if (prefix[0] == '\0' && have_plain)
    {
      g_autofree char *text = default_socket_text (&plain);

      scope_report_add_line (report, "");
      scope_report_add_line (report, text);
    }
  return report;
}
