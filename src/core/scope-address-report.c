/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-address-report.h"

/* The inspector's answer, said once: the table's cells are terse, for a
 * terminal; the page's rows say at more length what each value is. */

static const char *
family_name (const ScopeAddressInfo *info)
{
  return info->n_bytes == 4 ? "AF_INET" : "AF_INET6";
}

static void
add_members (ScopeReport            *report,
             const ScopeAddressInfo *info)
{
  scope_report_add_string (report, "input", info->input);
  scope_report_add_string (report, "family", family_name (info));
  scope_report_add_int (report, "family_value", info->family);
  scope_report_add_string (report, "address", info->text);
  scope_report_add_string (report, "scope", info->scope);
  scope_report_add_int (report, "scope_id", info->scope_id);
  scope_report_add_boolean (report, "scope_known", info->scope_known);
  if (info->port >= 0)
    scope_report_add_int (report, "port", info->port);
  else
    scope_report_add_member (report, "port", NULL);
  scope_report_add_string (report, "packed", info->hex);
  scope_report_add_string (report, "integer", info->integer);
  scope_report_add_string (report, "kind", scope_address_kind_to_string (info->kind));
  scope_report_add_string (report, "multicast_scope", info->multicast_scope);
  scope_report_add_string (report, "mapped", info->mapped);
  scope_report_add_boolean (report, "inet_aton_only", info->aton_only);
  scope_report_add_string (report, "reverse_name", info->reverse_name);
  scope_report_add_string (report, "python", info->python);
}

/* A value to copy: the page shows it over what it is. */
static void
add_value (ScopeReportSection *section,
           const char         *what,
           const char         *value,
           const char         *page_what)
{
  scope_report_section_add_row (section, value, page_what, value);
  scope_report_section_set (section, "what", what);
  scope_report_section_set (section, "value", value);
}

/* A fact to read: the page's own title and detail, the table's what and
 * value. */
static void
add_fact (ScopeReportSection *section,
          const char         *what,
          const char         *value,
          const char         *page_title,
          const char         *page_detail)
{
  scope_report_section_add_fact (section, page_title, page_detail);
  scope_report_section_set (section, "what", what);
  scope_report_section_set (section, "value", value);
}

static void
add_table (ScopeReport            *report,
           const ScopeAddressInfo *info)
{
  ScopeReportSection *section = scope_report_add_section (report, NULL, NULL);
  g_autofree char *family = g_strdup_printf ("%s (%d)", family_name (info), info->family);
  /* Translators: the kind of an address, then what that kind means */
  g_autofree char *kind = g_strdup_printf (_("%s: %s"), scope_address_kind_get_title (info->kind),
                                           scope_address_kind_explain (info->kind));

  /* Translators: the column headers of a table in a terminal, in capitals */
  scope_report_section_add_column (section, "what", C_("column", "WHAT"), 0);
  scope_report_section_add_column (section, "value", C_("column", "VALUE"), 0);
  add_value (section, _("Address"), info->text, _("The address, as inet_ntop() writes it"));
  add_fact (section, _("Family"), family, family, _("Family"));
  if (info->scope != NULL)
    {
      g_autofree char *scope = info->scope_known
                               ? g_strdup_printf ("%s (%u)", info->scope, info->scope_id)
                               /* Translators: an interface name this machine does not have */
                               : g_strdup_printf (_("%s (no such interface here)"), info->scope);

      add_fact (section, _("Scope"), scope, scope,
                _("Scope: the interface a link-local address belongs to, and its index"));
    }
  if (info->port >= 0)
    {
      g_autofree char *port = g_strdup_printf ("%d", info->port);

      add_fact (section, _("Port"), port, port, _("Port"));
    }
  if (info->aton_only)
    add_value (section, _("Packed (inet_aton)"), info->hex,
               _("Packed bytes, in network order, as inet_aton() makes them"));
  else
    add_value (section, _("Packed (inet_pton)"), info->hex,
               _("Packed bytes, in network order, as inet_pton() makes them"));
  add_value (section, _("As a number"), info->integer, _("The bytes as one unsigned number"));
  add_fact (section, _("Kind"), kind, scope_address_kind_get_title (info->kind),
            scope_address_kind_explain (info->kind));
  if (info->multicast_scope != NULL)
    {
      /* Translators: %s is a multicast scope, such as "the local link" */
      g_autofree char *reach = g_strdup_printf (_("Reaches %s"), info->multicast_scope);

      add_fact (section, _("Multicast scope"), info->multicast_scope, reach,
                _("Multicast scope"));
    }
  if (info->mapped != NULL)
    add_value (section, _("IPv4 address inside"), info->mapped, _("The IPv4 address inside"));
  add_value (section, _("Reverse name"), info->reverse_name,
             _("The name a reverse lookup asks for"));
}

/* The note and the Python line: after the table in the text, rows of
 * their own on the page. */
static void
add_more (ScopeReport            *report,
          const ScopeAddressInfo *info)
{
  ScopeReportSection *more = scope_report_add_section (report, "more", NULL);

  if (info->aton_only)
    {
      /* Translators: %s is the address inet_pton() would want */
      g_autofree char *note = g_strdup_printf (_("An old short form that only inet_aton() "
                                                 "reads; inet_pton() wants %s"), info->text);

      /* Translators: %s is what the user typed, %s the address it means */
      scope_report_add_linef (report, _("\n“%s” is an old short form that only inet_aton() "
                                        "reads; inet_pton() wants %s.\n"),
                              info->input, info->text);
      scope_report_section_add_fact (more, info->input, note);
    }
  scope_report_add_line (report, "");
  scope_report_add_line (report, info->python);
  scope_report_section_add_row (more, info->python, _("The same in Python"), NULL);
}

/**
 * scope_address_report:
 * @info: an address as scope_address_inspect() read it
 */
ScopeReport *
scope_address_report (const ScopeAddressInfo *info)
{
  ScopeReport *report = scope_report_new (SCOPE_REPORT_STYLE_TABLE);

  g_return_val_if_fail (info != NULL && info->text != NULL, report);

  add_members (report, info);
  add_table (report, info);
  add_more (report, info);
  return report;
}
