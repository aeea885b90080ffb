/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "scope-resolver-private.h"

/* An answer: the question, how long it took, notes, and sections of named
 * cells in a ScopeReport, so that the page, the command line's table and
 * its JSON all show the same thing. */

G_DEFINE_BOXED_TYPE (ScopeLookupResult, scope_lookup_result,
                     scope_lookup_result_ref, scope_lookup_result_unref)

/* Cells that hold numbers: JSON writes them as integers. */
static const char *numeric_columns[] = {
  "family_value", "socktype_value", "protocol_value", "port", "flowinfo", "scope_id",
  "preference", "priority", "weight", "serial", "refresh", "retry", "expire", "minimum",
};

ScopeLookupResult *
_scope_result_new (const ScopeLookupRequest *request)
{
  ScopeLookupResult *result = g_new0 (ScopeLookupResult, 1);

  g_atomic_ref_count_init (&result->ref_count);
  result->request = scope_lookup_request_copy (request);
  result->notes = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  result->report = scope_report_new (SCOPE_REPORT_STYLE_INDENTED);
  return result;
}

ScopeLookupResult *
scope_lookup_result_ref (ScopeLookupResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
scope_lookup_result_unref (ScopeLookupResult *result)
{
  g_return_if_fail (result != NULL);

  if (!g_atomic_ref_count_dec (&result->ref_count))
    return;
  scope_lookup_request_free (result->request);
  g_ptr_array_unref (result->notes);
  scope_report_unref (result->report);
  g_free (result);
}

void
_scope_add_note (ScopeLookupResult *result,
                 const char        *format,
                 ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (result->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

static gboolean
is_numeric_column (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (numeric_columns); i++)
    if (strcmp (numeric_columns[i], key) == 0)
      return TRUE;
  return FALSE;
}

ScopeLookupSection *
_scope_add_section (ScopeLookupResult *result,
                    const char        *id,
                    const char        *title,
                    const char        *explanation,
                    ...)
{
  ScopeReportSection *section = scope_report_add_section (result->report, id, title);
  va_list args;
  const char *key;

  scope_report_section_set_text (section, SCOPE_REPORT_SECTION_EXPLANATION, explanation);
  va_start (args, explanation);
  while ((key = va_arg (args, const char *)) != NULL)
    scope_report_section_add_column (section, key, NULL, is_numeric_column (key)
                                                         ? SCOPE_REPORT_COLUMN_NUMBER
                                                         : SCOPE_REPORT_COLUMN_DEFAULT);
  va_end (args);
  return section;
}

void
_scope_add_row (ScopeLookupSection *section,
                const char         *title,
                const char         *detail,
                const char         *copy,
                ...)
{
  const char * const *columns = scope_report_section_get_columns (section);
  va_list args;

  scope_report_section_add_row (section, title, detail, copy);
  va_start (args, copy);
  for (guint i = 0; columns[i] != NULL; i++)
    scope_report_section_set (section, columns[i],
                              _scope_empty_to_null (va_arg (args, const char *)));
  va_end (args);
}

const ScopeLookupRequest *
scope_lookup_result_get_request (ScopeLookupResult *result)
{
  return result->request;
}

gint64
scope_lookup_result_get_elapsed_us (ScopeLookupResult *result)
{
  return result->elapsed_us;
}

const char * const *
scope_lookup_result_get_notes (ScopeLookupResult *result)
{
  return (const char * const *) result->notes->pdata;
}

guint
scope_lookup_result_get_n_sections (ScopeLookupResult *result)
{
  return scope_report_get_n_sections (result->report);
}

ScopeLookupSection *
scope_lookup_result_get_section (ScopeLookupResult *result,
                                 guint              index)
{
  return scope_report_get_section (result->report, index);
}

ScopeLookupSection *
scope_lookup_result_find_section (ScopeLookupResult *result,
                                  const char        *id)
{
  return scope_report_find_section (result->report, id);
}

static void
add_section_json (JsonBuilder        *builder,
                  ScopeLookupSection *section)
{
  const char *empty_text = scope_report_section_get_empty_text (section);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, scope_report_section_get_id (section));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, scope_report_section_get_title (section));
  json_builder_set_member_name (builder, "explanation");
  json_builder_add_string_value (builder, scope_report_section_get_explanation (section));
  json_builder_set_member_name (builder, "error");
  if (empty_text != NULL)
    json_builder_add_string_value (builder, empty_text);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  scope_report_section_add_rows_json (section, builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/**
 * scope_lookup_result_to_json:
 *
 * Returns: (transfer full): the question, its answer and the equivalent
 * code, as the command line's --json prints them.
 */
JsonNode *
scope_lookup_result_to_json (ScopeLookupResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const ScopeLookupRequest *request = result->request;
  g_autofree char *python = scope_lookup_request_to_python (request);
  g_autofree char *c = scope_lookup_request_to_c (request);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, scope_lookup_kind_to_string (request->kind));
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, request->query);
  json_builder_set_member_name (builder, "service");
  if (_scope_empty_to_null (request->service) != NULL)
    json_builder_add_string_value (builder, request->service);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "elapsed_us");
  json_builder_add_int_value (builder, result->elapsed_us);

  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->notes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (result->notes, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "sections");
  json_builder_begin_array (builder);
  for (guint i = 0; i < scope_report_get_n_sections (result->report); i++)
    add_section_json (builder, scope_report_get_section (result->report, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "code");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "python");
  json_builder_add_string_value (builder, python);
  json_builder_set_member_name (builder, "c");
  json_builder_add_string_value (builder, c);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * scope_lookup_result_to_text:
 *
 * Returns: (transfer full): the answer as tables for a terminal: each
 * section's title, then its rows in aligned columns, or why it has none.
 */
char *
scope_lookup_result_to_text (ScopeLookupResult *result)
{
  g_autoptr(GString) out = g_string_new (NULL);

  /* Translators: %.1f is a duration in milliseconds */
  g_string_append_printf (out, _("Answered in %.1f ms"), result->elapsed_us / 1000.0);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < result->notes->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (result->notes, i));

  for (guint i = 0; i < scope_report_get_n_sections (result->report); i++)
    {
      ScopeLookupSection *section = scope_report_get_section (result->report, i);

      /* A section of an answer always shows, if only to say it is empty. */
      if (scope_report_section_get_n_rows (section) == 0
          && scope_report_section_get_empty_text (section) == NULL)
        g_string_append_printf (out, "\n%s\n  %s\n", scope_report_section_get_title (section),
                                _("Nothing"));
      else
        scope_report_section_append_text (section, out);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
