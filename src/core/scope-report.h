/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* An answer to show three ways: as text for a terminal, as JSON, and as a
 * page's rows. It is a list of items in order: lines (text only), members
 * (JSON only) and sections; a section has columns, named by keys, and rows
 * of cells, each cell a text and, when JSON wants something other than
 * that text, a JSON value of its own. */
typedef struct _ScopeReport        ScopeReport;
typedef struct _ScopeReportSection ScopeReportSection;

typedef enum
{
  SCOPE_REPORT_COLUMN_DEFAULT   = 0,
  SCOPE_REPORT_COLUMN_NUMBER    = 1 << 0,  /* JSON: an integer when the text reads as one */
  SCOPE_REPORT_COLUMN_JSON_ONLY = 1 << 1,  /* left out of the text table */
  SCOPE_REPORT_COLUMN_TEXT_ONLY = 1 << 2,  /* left out of the JSON */
} ScopeReportColumnFlags;

typedef enum
{
  /* The command line's tables: headers as given, two spaces between columns. */
  SCOPE_REPORT_STYLE_TABLE,
  /* The Lookup answer's tables: two spaces in, one between, and the columns
   * that no row fills left out. */
  SCOPE_REPORT_STYLE_INDENTED,
} ScopeReportStyle;

/* The words a section may have besides its rows, each set with
 * scope_report_section_set_text(). */
typedef enum
{
  /* The page's words under the title. */
  SCOPE_REPORT_SECTION_EXPLANATION,
  /* What the text says when the section has no rows ("No MX records"). */
  SCOPE_REPORT_SECTION_EMPTY_TEXT,
  /* The section could not be known: the text shows this message where the
   * table would be, the page a row of it, and the JSON member is null. */
  SCOPE_REPORT_SECTION_ERROR,
  /* The key of a column: the JSON gives the rows as an object of arrays,
   * one for each value of that column in the order they first come,
   * instead of one array. */
  SCOPE_REPORT_SECTION_GROUP_BY,
  SCOPE_REPORT_SECTION_N_TEXTS,
} ScopeReportSectionText;

#define SCOPE_TYPE_REPORT (scope_report_get_type ())

GType        scope_report_get_type          (void) G_GNUC_CONST;
ScopeReport *scope_report_new               (ScopeReportStyle style);
ScopeReport *scope_report_ref               (ScopeReport     *report);
void         scope_report_unref             (ScopeReport     *report);

/* A line of the text; it does not reach the JSON. "" is an empty line; a
 * newline at the end of @text is the line's own. */
void         scope_report_add_line          (ScopeReport     *report,
                                             const char      *text);
void         scope_report_add_linef         (ScopeReport     *report,
                                             const char      *format,
                                             ...) G_GNUC_PRINTF (2, 3);
/* A member of the JSON object; it does not reach the text. @value is
 * taken; NULL is JSON's null. */
void         scope_report_add_member        (ScopeReport     *report,
                                             const char      *name,
                                             JsonNode        *value);
/* @text NULL is null. */
void         scope_report_add_string        (ScopeReport     *report,
                                             const char      *name,
                                             const char      *text);
void         scope_report_add_int           (ScopeReport     *report,
                                             const char      *name,
                                             gint64           value);
void         scope_report_add_boolean       (ScopeReport     *report,
                                             const char      *name,
                                             gboolean         value);

/* @id names the section's member in the JSON, NULL for a section only the
 * text shows; sections one after the other with the same @id make one
 * array. @title is the text's heading over the table, or NULL. A section
 * without columns is a page's rows alone: neither the text nor the JSON
 * shows it. */
ScopeReportSection *scope_report_add_section (ScopeReport    *report,
                                              const char     *id,
                                              const char     *title);

guint               scope_report_get_n_sections (ScopeReport *report);
ScopeReportSection *scope_report_get_section    (ScopeReport *report,
                                                 guint        index);
ScopeReportSection *scope_report_find_section   (ScopeReport *report,
                                                 const char  *id);
/* How many rows all its sections have. */
guint               scope_report_count_rows     (ScopeReport *report);

/* Each item in order: a line, or a section's title (after an empty line,
 * unless it comes first) and its table; a section with no rows shows its
 * empty text, or nothing at all when it has none. */
char        *scope_report_to_text           (ScopeReport     *report);
/* An object: each member and each section with an id in order. */
JsonNode    *scope_report_to_json           (ScopeReport     *report);

/* @header is the text table's heading of the column; NULL shows @key. */
void         scope_report_section_add_column  (ScopeReportSection     *section,
                                               const char             *key,
                                               const char             *header,
                                               ScopeReportColumnFlags  flags);
void         scope_report_section_set_text    (ScopeReportSection     *section,
                                               ScopeReportSectionText  which,
                                               const char             *text);

/* Adds a row with no cells and the page's title, detail and copied text
 * (@copy NULL copies @title); returns its index. */
guint        scope_report_section_add_row     (ScopeReportSection *section,
                                               const char         *title,
                                               const char         *detail,
                                               const char         *copy);
/* Adds a row a page shows as a fact, with nothing to copy; returns its
 * index. */
guint        scope_report_section_add_fact    (ScopeReportSection *section,
                                               const char         *title,
                                               const char         *detail);
/* A cell of the last row added: @text as it is, NULL for none ("-" in
 * the text, null in the JSON). */
void         scope_report_section_set         (ScopeReportSection *section,
                                               const char         *key,
                                               const char         *text);
void         scope_report_section_take        (ScopeReportSection *section,
                                               const char         *key,
                                               char               *text);
/* A number, in the text and the JSON alike. */
void         scope_report_section_set_int     (ScopeReportSection *section,
                                               const char         *key,
                                               gint64              value);
/* @text for the table, @value (taken; NULL is null) for the JSON. */
void         scope_report_section_set_json    (ScopeReportSection *section,
                                               const char         *key,
                                               const char         *text,
                                               JsonNode           *value);

const char         *scope_report_section_get_id          (ScopeReportSection *section);
const char         *scope_report_section_get_title       (ScopeReportSection *section);
const char         *scope_report_section_get_explanation (ScopeReportSection *section);
const char         *scope_report_section_get_empty_text  (ScopeReportSection *section);
const char         *scope_report_section_get_error       (ScopeReportSection *section);
/* The keys of the columns, NULL-terminated. */
const char * const *scope_report_section_get_columns     (ScopeReportSection *section);
guint               scope_report_section_get_n_rows      (ScopeReportSection *section);
const char         *scope_report_section_get_cell        (ScopeReportSection *section,
                                                          guint               row,
                                                          const char         *key);
const char         *scope_report_section_get_row_title   (ScopeReportSection *section,
                                                          guint               row);
const char         *scope_report_section_get_row_detail  (ScopeReportSection *section,
                                                          guint               row);
/* NULL for a row added as a fact. */
const char         *scope_report_section_get_row_copy    (ScopeReportSection *section,
                                                          guint               row);

/* The section's title, then its table, its empty text or its error. */
void         scope_report_section_append_text (ScopeReportSection *section,
                                               GString            *out);
/* The rows as JSON objects of their cells, in an array the caller began. */
void         scope_report_section_add_rows_json (ScopeReportSection *section,
                                                 JsonBuilder        *builder);

/* How many columns of a terminal @text takes: wide (East Asian) characters
 * take two, combining marks none. */
guint        scope_report_text_width        (const char      *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeReport, scope_report_unref)

G_END_DECLS
