/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-report.h"

/* One model for every answer that is shown as a table, as JSON and as a
 * page's rows: the Lookup page's answers and the command line's port,
 * services, constants and address. Each command says what it found once;
 * how a table is aligned and how a cell becomes JSON is said here. */

typedef struct
{
  char                  *key;
  char                  *header;
  ScopeReportColumnFlags flags;
} Column;

typedef struct
{
  char     *text;
  JsonNode *json;   /* NULL: the JSON follows the text */
} Cell;

typedef struct
{
  Cell *cells;      /* one per column */
  char *title;
  char *detail;
  char *copy;
} Row;

struct _ScopeReportSection
{
  ScopeReportStyle style;
  char            *id;
  char            *title;
  char            *texts[SCOPE_REPORT_SECTION_N_TEXTS];
  GArray          *columns;   /* of Column */
  GPtrArray       *keys;      /* the columns' keys, NULL-terminated */
  GPtrArray       *rows;      /* of Row */
};

typedef enum
{
  ITEM_LINE,
  ITEM_MEMBER,
  ITEM_SECTION,
} ItemKind;

typedef struct
{
  ItemKind            kind;
  char               *text;      /* the line, or the member's name */
  JsonNode           *value;     /* the member's */
  ScopeReportSection *section;
} Item;

struct _ScopeReport
{
  gatomicrefcount  ref_count;
  ScopeReportStyle style;
  GArray          *items;      /* of Item */
  GPtrArray       *sections;   /* the sections among them */
};

G_DEFINE_BOXED_TYPE (ScopeReport, scope_report, scope_report_ref, scope_report_unref)

static void
column_clear (gpointer data)
{
  Column *column = data;

  g_free (column->key);
  g_free (column->header);
}

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->title);
  g_free (row->detail);
  g_free (row->copy);
  g_free (row->cells);
  g_free (row);
}

static void
section_free (ScopeReportSection *section)
{
  /* The cells are freed here, where the number of columns is known. */
  for (guint r = 0; r < section->rows->len; r++)
    {
      Row *row = g_ptr_array_index (section->rows, r);

      for (guint k = 0; k < section->columns->len; k++)
        {
          g_free (row->cells[k].text);
          g_clear_pointer (&row->cells[k].json, json_node_unref);
        }
    }
  g_ptr_array_unref (section->rows);
  g_array_unref (section->columns);
  g_ptr_array_unref (section->keys);
  g_free (section->id);
  g_free (section->title);
  for (guint t = 0; t < SCOPE_REPORT_SECTION_N_TEXTS; t++)
    g_free (section->texts[t]);
  g_free (section);
}

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->text);
  g_clear_pointer (&item->value, json_node_unref);
  g_clear_pointer (&item->section, section_free);
}

ScopeReport *
scope_report_new (ScopeReportStyle style)
{
  ScopeReport *report = g_new0 (ScopeReport, 1);

  g_atomic_ref_count_init (&report->ref_count);
  report->style = style;
  report->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (report->items, item_clear);
  report->sections = g_ptr_array_new ();
  return report;
}

ScopeReport *
scope_report_ref (ScopeReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  g_atomic_ref_count_inc (&report->ref_count);
  return report;
}

void
scope_report_unref (ScopeReport *report)
{
  g_return_if_fail (report != NULL);

  if (!g_atomic_ref_count_dec (&report->ref_count))
    return;
  g_ptr_array_unref (report->sections);
  g_array_unref (report->items);
  g_free (report);
}

/* A line's own newline, where a message ends in one, is not doubled. */
static void
take_line (ScopeReport *report,
           char        *text)
{
  Item item = { ITEM_LINE, text, NULL, NULL };
  gsize length = strlen (text);

  if (length > 0 && text[length - 1] == '\n')
    text[length - 1] = '\0';
  g_array_append_val (report->items, item);
}

void
scope_report_add_line (ScopeReport *report,
                       const char  *text)
{
  take_line (report, g_strdup (text));
}

void
scope_report_add_linef (ScopeReport *report,
                        const char  *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  take_line (report, g_strdup_vprintf (format, args));
  va_end (args);
}

void
scope_report_add_member (ScopeReport *report,
                         const char  *name,
                         JsonNode    *value)
{
  Item item = { ITEM_MEMBER, g_strdup (name), value, NULL };

  if (item.value == NULL)
    item.value = json_node_new (JSON_NODE_NULL);
  g_array_append_val (report->items, item);
}

void
scope_report_add_string (ScopeReport *report,
                         const char  *name,
                         const char  *text)
{
  scope_report_add_member (report, name, text != NULL ? json_node_init_string (
                                           json_node_alloc (), text) : NULL);
}

void
scope_report_add_int (ScopeReport *report,
                      const char  *name,
                      gint64       value)
{
  scope_report_add_member (report, name, json_node_init_int (json_node_alloc (), value));
}

void
scope_report_add_boolean (ScopeReport *report,
                          const char  *name,
                          gboolean     value)
{
  scope_report_add_member (report, name, json_node_init_boolean (json_node_alloc (), value));
}

ScopeReportSection *
scope_report_add_section (ScopeReport *report,
                          const char  *id,
                          const char  *title)
{
  ScopeReportSection *section = g_new0 (ScopeReportSection, 1);
  Item item = { ITEM_SECTION, NULL, NULL, section };

  section->style = report->style;
  section->id = g_strdup (id);
  section->title = g_strdup (title);
  section->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (section->columns, column_clear);
  section->keys = g_ptr_array_new_null_terminated (4, NULL, TRUE);
  section->rows = g_ptr_array_new_with_free_func (row_free);
  g_array_append_val (report->items, item);
  g_ptr_array_add (report->sections, section);
  return section;
}

guint
scope_report_get_n_sections (ScopeReport *report)
{
  return report->sections->len;
}

ScopeReportSection *
scope_report_get_section (ScopeReport *report,
                          guint        index)
{
  g_return_val_if_fail (index < report->sections->len, NULL);

  return g_ptr_array_index (report->sections, index);
}

ScopeReportSection *
scope_report_find_section (ScopeReport *report,
                           const char  *id)
{
  for (guint i = 0; i < report->sections->len; i++)
    {
      ScopeReportSection *section = g_ptr_array_index (report->sections, i);

      if (g_strcmp0 (section->id, id) == 0)
        return section;
    }
  return NULL;
}

guint
scope_report_count_rows (ScopeReport *report)
{
  guint n = 0;

  for (guint i = 0; i < report->sections->len; i++)
    n += ((ScopeReportSection *) g_ptr_array_index (report->sections, i))->rows->len;
  return n;
}

/* ------------------------------------------------------------------------ */
/* Sections                                                                 */

void
scope_report_section_add_column (ScopeReportSection     *section,
                                 const char             *key,
                                 const char             *header,
                                 ScopeReportColumnFlags  flags)
{
  Column column = { g_strdup (key), g_strdup (header != NULL ? header : key), flags };

  /* Rows hold one cell a column: the columns come first. */
  g_return_if_fail (section->rows->len == 0);

  g_array_append_val (section->columns, column);
  g_ptr_array_add (section->keys, column.key);
}

void
scope_report_section_set_text (ScopeReportSection     *section,
                               ScopeReportSectionText  which,
                               const char             *text)
{
  char *copy = g_strdup (text);

  g_return_if_fail (which < SCOPE_REPORT_SECTION_N_TEXTS);

  g_free (section->texts[which]);
  section->texts[which] = copy;
}

static guint
add_row (ScopeReportSection *section,
         const char         *title,
         const char         *detail,
         char               *copy)
{
  Row *row = g_new0 (Row, 1);

  row->cells = g_new0 (Cell, MAX (section->columns->len, 1));
  row->title = g_strdup (title);
  row->detail = g_strdup (detail);
  row->copy = copy;
  g_ptr_array_add (section->rows, row);
  return section->rows->len - 1;
}

guint
scope_report_section_add_row (ScopeReportSection *section,
                              const char         *title,
                              const char         *detail,
                              const char         *copy)
{
  return add_row (section, title, detail, g_strdup (copy != NULL ? copy : title));
}

guint
scope_report_section_add_fact (ScopeReportSection *section,
                               const char         *title,
                               const char         *detail)
{
  return add_row (section, title, detail, NULL);
}

static int
column_index (ScopeReportSection *section,
              const char         *key)
{
  for (guint k = 0; k < section->columns->len; k++)
    if (strcmp (g_array_index (section->columns, Column, k).key, key) == 0)
      return k;
  return -1;
}

static Cell *
last_cell (ScopeReportSection *section,
           const char         *key)
{
  int k = column_index (section, key);

  g_return_val_if_fail (section->rows->len > 0, NULL);
  g_return_val_if_fail (k >= 0, NULL);

  return &((Row *) g_ptr_array_index (section->rows, section->rows->len - 1))->cells[k];
}

/* Takes @text and @value; @value NULL lets the JSON follow the text. */
static void
take_cell (ScopeReportSection *section,
           const char         *key,
           char               *text,
           JsonNode           *value)
{
  Cell *cell = last_cell (section, key);

  if (cell == NULL)
    {
      g_free (text);
      g_clear_pointer (&value, json_node_unref);
      return;
    }
  g_free (cell->text);
  g_clear_pointer (&cell->json, json_node_unref);
  cell->text = text;
  cell->json = value;
}

void
scope_report_section_set_json (ScopeReportSection *section,
                               const char         *key,
                               const char         *text,
                               JsonNode           *value)
{
  take_cell (section, key, g_strdup (text),
             value != NULL ? value : json_node_new (JSON_NODE_NULL));
}

void
scope_report_section_take (ScopeReportSection *section,
                           const char         *key,
                           char               *text)
{
  take_cell (section, key, text, NULL);
}

void
scope_report_section_set (ScopeReportSection *section,
                          const char         *key,
                          const char         *text)
{
  scope_report_section_take (section, key, g_strdup (text));
}

void
scope_report_section_set_int (ScopeReportSection *section,
                              const char         *key,
                              gint64              value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  scope_report_section_set_json (section, key, text,
                                 json_node_init_int (json_node_alloc (), value));
}

const char *
scope_report_section_get_id (ScopeReportSection *section)
{
  return section->id;
}

const char *
scope_report_section_get_title (ScopeReportSection *section)
{
  return section->title;
}

const char *
scope_report_section_get_explanation (ScopeReportSection *section)
{
  return section->texts[SCOPE_REPORT_SECTION_EXPLANATION];
}

const char *
scope_report_section_get_empty_text (ScopeReportSection *section)
{
  return section->rows->len == 0 ? section->texts[SCOPE_REPORT_SECTION_EMPTY_TEXT] : NULL;
}

const char *
scope_report_section_get_error (ScopeReportSection *section)
{
  return section->texts[SCOPE_REPORT_SECTION_ERROR];
}

const char * const *
scope_report_section_get_columns (ScopeReportSection *section)
{
  return (const char * const *) section->keys->pdata;
}

guint
scope_report_section_get_n_rows (ScopeReportSection *section)
{
  return section->rows->len;
}

static Row *
get_row (ScopeReportSection *section,
         guint               row)
{
  g_return_val_if_fail (row < section->rows->len, NULL);

  return g_ptr_array_index (section->rows, row);
}

const char *
scope_report_section_get_cell (ScopeReportSection *section,
                               guint               row,
                               const char         *key)
{
  Row *r = get_row (section, row);
  int k = column_index (section, key);

  return r != NULL && k >= 0 ? r->cells[k].text : NULL;
}

typedef enum
{
  ROW_TITLE,
  ROW_DETAIL,
  ROW_COPY,
} RowText;

static const char *
row_text (ScopeReportSection *section,
          guint               row,
          RowText             which)
{
  Row *r = get_row (section, row);

  if (r == NULL)
    return NULL;
  return which == ROW_TITLE ? r->title : which == ROW_DETAIL ? r->detail : r->copy;
}

const char *
scope_report_section_get_row_title (ScopeReportSection *section,
                                    guint               row)
{
  return row_text (section, row, ROW_TITLE);
}

const char *
scope_report_section_get_row_detail (ScopeReportSection *section,
                                     guint               row)
{
  return row_text (section, row, ROW_DETAIL);
}

const char *
scope_report_section_get_row_copy (ScopeReportSection *section,
                                   guint               row)
{
  return row_text (section, row, ROW_COPY);
}

/* ------------------------------------------------------------------------ */
/* Text                                                                     */

guint
scope_report_text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

static void
append_table (ScopeReportSection *section,
              GString            *out)
{
  gboolean indented = section->style == SCOPE_REPORT_STYLE_INDENTED;
  guint n_columns = section->columns->len;
  g_autofree guint *widths = g_new0 (guint, MAX (n_columns, 1));
  g_autofree gboolean *shown = g_new0 (gboolean, MAX (n_columns, 1));

  for (guint k = 0; k < n_columns; k++)
    {
      Column *column = &g_array_index (section->columns, Column, k);

      shown[k] = !(column->flags & SCOPE_REPORT_COLUMN_JSON_ONLY) && !indented;
      widths[k] = scope_report_text_width (column->header);
    }
  for (guint r = 0; r < section->rows->len; r++)
    {
      Row *row = g_ptr_array_index (section->rows, r);

      for (guint k = 0; k < n_columns; k++)
        if (row->cells[k].text != NULL)
          {
            /* The indented style leaves out what no row fills. */
            if (indented)
              shown[k] = !(g_array_index (section->columns, Column, k).flags
                           & SCOPE_REPORT_COLUMN_JSON_ONLY);
            widths[k] = MAX (widths[k], scope_report_text_width (row->cells[k].text));
          }
    }

  for (gint r = -1; r < (gint) section->rows->len; r++)
    {
      Row *row = r >= 0 ? g_ptr_array_index (section->rows, r) : NULL;
      gsize line_start = out->len;
      gboolean first = TRUE;

      if (indented)
        g_string_append (out, " ");
      for (guint k = 0; k < n_columns; k++)
        {
          const char *cell = row != NULL ? row->cells[k].text
                                         : g_array_index (section->columns, Column, k).header;

          if (!shown[k])
            continue;
          if (cell == NULL)
            cell = "-";
          g_string_append (out, indented ? " " : first ? "" : "  ");
          g_string_append (out, cell);
          for (guint w = scope_report_text_width (cell); w < widths[k]; w++)
            g_string_append_c (out, ' ');
          first = FALSE;
        }
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
}

void
scope_report_section_append_text (ScopeReportSection *section,
                                  GString            *out)
{
  const char *error = section->texts[SCOPE_REPORT_SECTION_ERROR];
  const char *instead = error != NULL ? error : section->texts[SCOPE_REPORT_SECTION_EMPTY_TEXT];

  /* A section without columns holds a page's rows alone. */
  if (section->columns->len == 0)
    return;
  if (error == NULL && section->rows->len == 0 && instead == NULL)
    return;
  if (section->title != NULL)
    g_string_append_printf (out, "%s%s\n", out->len > 0 ? "\n" : "", section->title);
  if (error == NULL && section->rows->len > 0)
    append_table (section, out);
  else
    g_string_append_printf (out, "  %s\n", instead);
}

char *
scope_report_to_text (ScopeReport *report)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < report->items->len; i++)
    {
      Item *item = &g_array_index (report->items, Item, i);

      if (item->kind == ITEM_LINE)
        g_string_append_printf (out, "%s\n", item->text);
      else if (item->kind == ITEM_SECTION)
        scope_report_section_append_text (item->section, out);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */

static void
add_cell_json (JsonBuilder *builder,
               Column      *column,
               Cell        *cell)
{
  gint64 number;

  if (cell->json != NULL)
    json_builder_add_value (builder, json_node_copy (cell->json));
  else if (cell->text == NULL)
    json_builder_add_null_value (builder);
  else if ((column->flags & SCOPE_REPORT_COLUMN_NUMBER)
           && g_ascii_string_to_signed (cell->text, 10, G_MININT64, G_MAXINT64, &number, NULL))
    json_builder_add_int_value (builder, number);
  else
    json_builder_add_string_value (builder, cell->text);
}

static void
add_row_json (ScopeReportSection *section,
              Row                *row,
              int                 skip,
              JsonBuilder        *builder)
{
  json_builder_begin_object (builder);
  for (guint k = 0; k < section->columns->len; k++)
    {
      Column *column = &g_array_index (section->columns, Column, k);

      if ((column->flags & SCOPE_REPORT_COLUMN_TEXT_ONLY) || (int) k == skip)
        continue;
      json_builder_set_member_name (builder, column->key);
      add_cell_json (builder, column, &row->cells[k]);
    }
  json_builder_end_object (builder);
}

void
scope_report_section_add_rows_json (ScopeReportSection *section,
                                    JsonBuilder        *builder)
{
  for (guint r = 0; r < section->rows->len; r++)
    add_row_json (section, g_ptr_array_index (section->rows, r), -1, builder);
}

static const char *
group_of (Row *row,
          int  k)
{
  return row->cells[k].text != NULL ? row->cells[k].text : "";
}

/* The group's name is the cell's text: a JSON member's name is a string. */
static void
add_groups_json (ScopeReportSection *section,
                 JsonBuilder        *builder)
{
  int k = column_index (section, section->texts[SCOPE_REPORT_SECTION_GROUP_BY]);
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  g_return_if_fail (k >= 0);

  for (guint r = 0; r < section->rows->len; r++)
    {
      const char *name = group_of (g_ptr_array_index (section->rows, r), k);

      if (!g_ptr_array_find_with_equal_func (groups, name, g_str_equal, NULL))
        g_ptr_array_add (groups, (gpointer) name);
    }
  json_builder_begin_object (builder);
  for (guint g = 0; g < groups->len; g++)
    {
      const char *name = g_ptr_array_index (groups, g);

      json_builder_set_member_name (builder, name);
      json_builder_begin_array (builder);
      for (guint r = 0; r < section->rows->len; r++)
        {
          Row *row = g_ptr_array_index (section->rows, r);

          if (g_str_equal (group_of (row, k), name))
            add_row_json (section, row, k, builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

JsonNode *
scope_report_to_json (ScopeReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (guint i = 0; i < report->items->len; i++)
    {
      Item *item = &g_array_index (report->items, Item, i);
      ScopeReportSection *section = item->section;

      if (item->kind == ITEM_MEMBER)
        {
          json_builder_set_member_name (builder, item->text);
          json_builder_add_value (builder, json_node_copy (item->value));
          continue;
        }
      if (item->kind != ITEM_SECTION || section->id == NULL || section->columns->len == 0)
        continue;
      json_builder_set_member_name (builder, section->id);
      if (section->texts[SCOPE_REPORT_SECTION_ERROR] != NULL)
        json_builder_add_null_value (builder);
      else if (section->texts[SCOPE_REPORT_SECTION_GROUP_BY] != NULL)
        add_groups_json (section, builder);
      else
        {
          json_builder_begin_array (builder);
          scope_report_section_add_rows_json (section, builder);
          /* The sections after it with the same id continue its array. */
          while (i + 1 < report->items->len)
            {
              Item *next = &g_array_index (report->items, Item, i + 1);

              if (next->kind != ITEM_SECTION || g_strcmp0 (next->section->id, section->id) != 0)
                break;
              scope_report_section_add_rows_json (next->section, builder);
              i++;
            }
          json_builder_end_array (builder);
        }
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
