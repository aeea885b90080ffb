/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-constants.h"
#include "scope-constants-report.h"
#include "scope-constants-view.h"
#include "scope-errors.h"
#include "scope-rows.h"

/* The Constants part of the Ports page: what a plain socket() makes here,
 * and the socket constants of this platform, searchable; the report the
 * command line's "constants" prints, as rows. */

struct _ScopeConstantsView
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkSearchEntry *constants_search;
  GtkBox         *constants_box;
  GtkLabel       *constants_empty;

  /* Owned */
  GPtrArray      *constant_rows;    /* rows, each with its constant as data */
  GPtrArray      *constant_groups;  /* groups, each with its list as data */
};

G_DEFINE_FINAL_TYPE (ScopeConstantsView, scope_constants_view, ADW_TYPE_BIN)

static GtkWidget *
value_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "scope-mono");
  gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static GtkWidget *
boxed_list_new (const char *name)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return list;
}

/* A section of the report as a group of the page: its title, its
 * explanation, and a list named for it. */
static GtkWidget *
group_new (ScopeReportSection *section,
           GtkWidget          *list)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   scope_report_section_get_title (section));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         scope_report_section_get_explanation (section));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  return group;
}

/* The search matches a row by its constant, as the core matches them: the
 * report names the constant, this finds it again. */
static GHashTable *
constants_by_name (void)
{
  guint n_constants;
  const ScopeSocketConstant *constants = scope_socket_constants (&n_constants);
  GHashTable *by_name = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n_constants; i++)
    g_hash_table_insert (by_name, (gpointer) constants[i].name, (gpointer) &constants[i]);
  return by_name;
}

static void
add_constants (ScopeConstantsView *self,
               ScopeReportSection *section,
               GHashTable         *by_name)
{
  GtkWidget *list = boxed_list_new (scope_report_section_get_title (section));
  GtkWidget *group = group_new (section, list);

  for (guint r = 0; r < scope_report_section_get_n_rows (section); r++)
    {
      GtkWidget *row = scope_rows_report_new (section, r);

      gtk_widget_add_css_class (row, "scope-result-row");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value_label_new (
                                   scope_report_section_get_cell (section, r, "value")));
      g_object_set_data (G_OBJECT (row), "constant", g_hash_table_lookup (
                           by_name, scope_report_section_get_row_title (section, r)));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (self->constant_rows, row);
    }
  g_object_set_data (G_OBJECT (group), "list", list);
  gtk_box_append (self->constants_box, group);
  g_ptr_array_add (self->constant_groups, group);
}

static void
build_constants (ScopeConstantsView *self)
{
  g_autoptr(ScopeReport) report = scope_constants_report ("");
  g_autoptr(GHashTable) by_name = constants_by_name ();

  for (guint i = 0; i < scope_report_get_n_sections (report); i++)
    {
      ScopeReportSection *section = scope_report_get_section (report, i);

      if (g_strcmp0 (scope_report_section_get_id (section), "constants") == 0)
        add_constants (self, section, by_name);
      else
        {
          /* What a plain socket() makes: always shown, the search leaves it. */
          GtkWidget *list = boxed_list_new (scope_report_section_get_title (section));

          scope_rows_append_section (GTK_LIST_BOX (list), section);
          gtk_box_append (self->constants_box, group_new (section, list));
        }
    }
}

static void
on_constants_search_changed (ScopeConstantsView *self)
{
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (
                                                   GTK_EDITABLE (self->constants_search))));
  gboolean matched = FALSE;

  for (guint i = 0; i < self->constant_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->constant_rows, i);

      gtk_widget_set_visible (row, scope_socket_constant_matches (
                                     g_object_get_data (G_OBJECT (row), "constant"), query));
    }
  for (guint g = 0; g < self->constant_groups->len; g++)
    {
      GtkWidget *group = g_ptr_array_index (self->constant_groups, g);
      GtkWidget *list = g_object_get_data (G_OBJECT (group), "list");
      gboolean any = FALSE;

      for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL && !any;
           row = gtk_widget_get_next_sibling (row))
        any = gtk_widget_get_visible (row);
      gtk_widget_set_visible (group, any);
      matched = matched || any;
    }

  /* A search that hides every constant says so, rather than leave a page
   * that looks as if nothing had been read. */
  if (!matched && self->constant_groups->len > 0)
    {
      g_autofree char *shown = scope_input_for_message (query, 60);
      /* Translators: %s is what was searched for */
      g_autofree char *text = g_strdup_printf (_("No constant matches “%s”"), shown);

      gtk_label_set_text (self->constants_empty, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->constants_empty),
                          !matched && self->constant_groups->len > 0);
}

/* The hundred rows are made when someone first looks, not at start-up. */
static void
scope_constants_view_map (GtkWidget *widget)
{
  ScopeConstantsView *self = SCOPE_CONSTANTS_VIEW (widget);

  GTK_WIDGET_CLASS (scope_constants_view_parent_class)->map (widget);
  if (self->constant_rows->len == 0)
    {
      build_constants (self);
      on_constants_search_changed (self);
    }
}

static void
scope_constants_view_dispose (GObject *object)
{
  ScopeConstantsView *self = SCOPE_CONSTANTS_VIEW (object);

  g_ptr_array_set_size (self->constant_rows, 0);
  g_ptr_array_set_size (self->constant_groups, 0);
  /* The bin's child is a template child: see scope-lookup-page.c. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_CONSTANTS_VIEW);

  G_OBJECT_CLASS (scope_constants_view_parent_class)->dispose (object);
}

static void
scope_constants_view_finalize (GObject *object)
{
  ScopeConstantsView *self = SCOPE_CONSTANTS_VIEW (object);

  g_ptr_array_unref (self->constant_rows);
  g_ptr_array_unref (self->constant_groups);

  G_OBJECT_CLASS (scope_constants_view_parent_class)->finalize (object);
}

static void
scope_constants_view_class_init (ScopeConstantsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_constants_view_dispose;
  object_class->finalize = scope_constants_view_finalize;
  widget_class->map = scope_constants_view_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-constants-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeConstantsView, constants_search);
  gtk_widget_class_bind_template_child (widget_class, ScopeConstantsView, constants_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeConstantsView, constants_empty);
  gtk_widget_class_bind_template_callback (widget_class, on_constants_search_changed);
}

static void
scope_constants_view_init (ScopeConstantsView *self)
{
  self->constant_rows = g_ptr_array_new ();
  self->constant_groups = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
