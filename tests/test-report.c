/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-report.h"

/* The report model: tables aligned by what a terminal shows, JSON that
 * keeps every byte of a cell, and sections with nothing in them. */

static char *
json_text (ScopeReport *report)
{
  g_autoptr(JsonNode) root = scope_report_to_json (report);

  return json_to_string (root, FALSE);
}

static ScopeReportSection *
two_columns (ScopeReport *report,
             const char  *id,
             const char  *title)
{
  ScopeReportSection *section = scope_report_add_section (report, id, title);

  scope_report_section_add_column (section, "name", "NAME", 0);
  scope_report_section_add_column (section, "value", "VALUE", SCOPE_REPORT_COLUMN_NUMBER);
  return section;
}

static void
add_pair (ScopeReportSection *section,
          const char         *name,
          const char         *value)
{
  scope_report_section_add_row (section, name, value, NULL);
  scope_report_section_set (section, "name", name);
  scope_report_section_set (section, "value", value);
}

/* A wide (East Asian) character takes two columns of a terminal, a
 * combining mark none, "é" one however it is spelled; columns line up by
 * that, not by bytes or characters. */
static void
test_text_width (void)
{
  g_assert_cmpuint (scope_report_text_width ("abc"), ==, 3);
  g_assert_cmpuint (scope_report_text_width ("é"), ==, 1);           /* U+00E9 */
  g_assert_cmpuint (scope_report_text_width ("e\xcc\x81"), ==, 1);   /* e + U+0301 */
  g_assert_cmpuint (scope_report_text_width ("日本"), ==, 4);
  g_assert_cmpuint (scope_report_text_width ("–…"), ==, 2);
  g_assert_cmpuint (scope_report_text_width (""), ==, 0);
}

static void
test_table_alignment (void)
{
  g_autoptr(ScopeReport) report = scope_report_new (SCOPE_REPORT_STYLE_TABLE);
  ScopeReportSection *section = two_columns (report, "rows", NULL);
  g_autofree char *text = NULL;

  add_pair (section, "日本", "1");
  add_pair (section, "e\xcc\x81t\xc3\xa9", "22");
  add_pair (section, "plain-name", NULL);
  text = scope_report_to_text (report);
  /* NAME is as wide as "plain-name" (10); a missing cell is "-"; no line
   * ends in spaces. */
  g_assert_cmpstr (text, ==,
                   "NAME        VALUE\n"
                   "日本        1\n"
                   "e\xcc\x81t\xc3\xa9         22\n"
                   "plain-name  -\n");
}

/* The Lookup answer's tables: two spaces in, one between, headers as the
 * keys, and a column no row fills left out. */
static void
test_indented_style (void)
{
  g_autoptr(ScopeReport) report = scope_report_new (SCOPE_REPORT_STYLE_INDENTED);
  ScopeReportSection *section = scope_report_add_section (report, "a", "Addresses");
  g_autofree char *text = NULL;

  scope_report_section_add_column (section, "family", NULL, 0);
  scope_report_section_add_column (section, "unused", NULL, 0);
  scope_report_section_add_column (section, "address", NULL, 0);
  scope_report_section_add_row (section, "x", NULL, NULL);
  scope_report_section_set (section, "family", "AF_INET6");
  scope_report_section_set (section, "address", "::1");
  scope_report_add_line (report, "After\n");
  text = scope_report_to_text (report);
  g_assert_cmpstr (text, ==,
                   "Addresses\n"
                   "  family   address\n"
                   "  AF_INET6 ::1\n"
                   "After\n");
}

/* Quotes, backslashes, control characters and non-ASCII text in a cell
 * come out of the JSON as they went in. */
static void
test_json_escaping (void)
{
  static const char *odd = "say \"hi\" \\ back\n\ttab \x1b[31m é 日本 \xe2\x80\xae";
  g_autoptr(ScopeReport) report = scope_report_new (SCOPE_REPORT_STYLE_TABLE);
  ScopeReportSection *section = two_columns (report, "rows", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *root, *row;

  scope_report_add_string (report, "odd", odd);
  add_pair (section, odd, "-12");
  add_pair (section, "n", "12x");
  text = json_text (report);
  g_assert_nonnull (strstr (text, "\\\"hi\\\""));
  g_assert_nonnull (strstr (text, "\\\\ back\\n\\ttab \\u001b[31m"));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "odd"), ==, odd);
  row = json_array_get_object_element (json_object_get_array_member (root, "rows"), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, odd);
  /* A number column writes an integer where the text reads as one. */
  g_assert_cmpint (json_object_get_int_member (row, "value"), ==, -12);
  row = json_array_get_object_element (json_object_get_array_member (root, "rows"), 1);
  g_assert_cmpstr (json_object_get_string_member (row, "value"), ==, "12x");
}

/* A section with no rows: its empty text where it says one, nothing where
 * it does not; its error where it could not be known (null in the JSON);
 * an empty array either way in the JSON. */
static void
test_empty_sections (void)
{
  g_autoptr(ScopeReport) report = scope_report_new (SCOPE_REPORT_STYLE_TABLE);
  ScopeReportSection *quiet = two_columns (report, "quiet", "Quiet");
  ScopeReportSection *said = two_columns (report, "said", "Said");
  ScopeReportSection *failed = two_columns (report, "failed", "Failed");
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;

  scope_report_section_set_text (said, SCOPE_REPORT_SECTION_EMPTY_TEXT, "None here.");
  scope_report_section_set_text (failed, SCOPE_REPORT_SECTION_ERROR, "Could not read it (EACCES)");
  add_pair (failed, "ignored", "1");
  g_assert_null (scope_report_section_get_empty_text (quiet));
  g_assert_cmpstr (scope_report_section_get_empty_text (said), ==, "None here.");
  g_assert_cmpuint (scope_report_count_rows (report), ==, 1);

  text = scope_report_to_text (report);
  g_assert_cmpstr (text, ==, "Said\n  None here.\n\nFailed\n  Could not read it (EACCES)\n");
  json = json_text (report);
  g_assert_cmpstr (json, ==, "{\"quiet\":[],\"said\":[],\"failed\":null}");
}

/* Sections one after the other with one id make one array; columns for
 * the JSON or the text alone stay out of the other; a section without
 * columns is the page's alone; grouped rows make an object of arrays. */
static void
test_json_shapes (void)
{
  g_autoptr(ScopeReport) report = scope_report_new (SCOPE_REPORT_STYLE_TABLE);
  ScopeReportSection *first = two_columns (report, "all", "First");
  ScopeReportSection *second = two_columns (report, "all", "Second");
  ScopeReportSection *page = scope_report_add_section (report, "page", NULL);
  ScopeReportSection *grouped = scope_report_add_section (report, "grouped", "Grouped");
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;

  add_pair (first, "a", "1");
  add_pair (second, "b", "2");
  scope_report_section_add_row (page, "A fact", "Why it holds", NULL);
  scope_report_section_add_column (grouped, "proto", "PROTO", 0);
  scope_report_section_add_column (grouped, "ms", "TIME", SCOPE_REPORT_COLUMN_TEXT_ONLY);
  scope_report_section_add_column (grouped, "us", NULL, SCOPE_REPORT_COLUMN_JSON_ONLY);
  for (guint i = 0; i < 3; i++)
    {
      scope_report_section_add_row (grouped, "row", NULL, NULL);
      scope_report_section_set (grouped, "proto", i == 1 ? "udp" : "tcp");
      scope_report_section_take (grouped, "ms", g_strdup_printf ("%u.0 ms", i));
      scope_report_section_set_int (grouped, "us", i * 1000);
    }
  scope_report_section_set_text (grouped, SCOPE_REPORT_SECTION_GROUP_BY, "proto");

  text = scope_report_to_text (report);
  g_assert_cmpstr (text, ==,
                   "First\nNAME  VALUE\na     1\n\n"
                   "Second\nNAME  VALUE\nb     2\n\n"
                   "Grouped\nPROTO  TIME\ntcp    0.0 ms\nudp    1.0 ms\ntcp    2.0 ms\n");
  json = json_text (report);
  g_assert_cmpstr (json, ==,
                   "{\"all\":[{\"name\":\"a\",\"value\":1},{\"name\":\"b\",\"value\":2}],"
                   "\"grouped\":{\"tcp\":[{\"us\":0},{\"us\":2000}],\"udp\":[{\"us\":1000}]}}");
  g_assert_cmpstr (scope_report_section_get_row_title (page, 0), ==, "A fact");
  g_assert_cmpstr (scope_report_section_get_row_detail (page, 0), ==, "Why it holds");
  g_assert_cmpstr (scope_report_section_get_row_copy (page, 0), ==, "A fact");
  g_assert_true (scope_report_find_section (report, "page") == page);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report/text-width", test_text_width);
  g_test_add_func ("/report/table-alignment", test_table_alignment);
  g_test_add_func ("/report/indented-style", test_indented_style);
  g_test_add_func ("/report/json-escaping", test_json_escaping);
  g_test_add_func ("/report/empty-sections", test_empty_sections);
  g_test_add_func ("/report/json-shapes", test_json_shapes);
  return g_test_run ();
}
