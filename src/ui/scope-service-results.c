/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-service-results.h"

/* Why rows that stay put: GTK 4.8's column view makes a row's widgets anew
 * for every item it has not shown before, and a keystroke puts new items
 * at the top of the table, so a filter model cost ~50 ms a keystroke in
 * widgets alone. Here the row at a position stays the same object; a
 * search changes the service it holds, and the cells, bound to it, change
 * their text. Only a change of the number of rows reaches the view as
 * such. The search itself looks at lowered keys made once per entry, and
 * a search that narrows the last one looks only at what that showed. */

/* ------------------------------------------------------------------------ */
/* A row                                                                    */

struct _ScopeServiceRow
{
  GObject       parent_instance;

  ScopeService *service;
  guint         position;
};

enum {
  ROW_PROP_0,
  ROW_PROP_SERVICE,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeServiceRow, scope_service_row, G_TYPE_OBJECT)

static void
scope_service_row_finalize (GObject *object)
{
  ScopeServiceRow *self = SCOPE_SERVICE_ROW (object);

  g_clear_object (&self->service);

  G_OBJECT_CLASS (scope_service_row_parent_class)->finalize (object);
}

static void
scope_service_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ScopeServiceRow *self = SCOPE_SERVICE_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_service_row_class_init (ScopeServiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = scope_service_row_finalize;
  object_class->get_property = scope_service_row_get_property;

  row_properties[ROW_PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, SCOPE_TYPE_SERVICE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
scope_service_row_init (ScopeServiceRow *self)
{
}

static void
row_set_service (ScopeServiceRow *self,
                 ScopeService    *service)
{
  if (g_set_object (&self->service, service))
    g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_SERVICE]);
}

ScopeService *
scope_service_row_get_service (ScopeServiceRow *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE_ROW (self), NULL);

  return self->service;
}

/* ------------------------------------------------------------------------ */
/* The results                                                              */

struct _ScopeServiceResults
{
  GObject             parent_instance;

  GListModel         *sorted;
  GPtrArray          *services;   /* the sorted services, held */
  GHashTable         *keys;       /* ScopeService → its search key */
  GArray             *matches;    /* guint: indices into services, in order */
  GHashTable         *rows;       /* position → ScopeServiceRow, not held */
  ScopeServiceSearch *search;
  ScopeService       *selected;   /* (nullable) */
  guint               selected_position;
};

enum {
  PROP_0,
  PROP_SELECTED_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void results_list_model_init      (GListModelInterface        *iface);
static void results_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScopeServiceResults, scope_service_results, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      results_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      results_selection_model_init))

static ScopeService *
match_service (ScopeServiceResults *self,
               guint                position)
{
  return g_ptr_array_index (self->services, g_array_index (self->matches, guint, position));
}

/* A row that goes forgets its place; the view asks again when it needs it. */
static void
row_gone (gpointer  data,
          GObject  *where_the_row_was)
{
  ScopeServiceResults *self = data;
  ScopeServiceRow *row = (ScopeServiceRow *) where_the_row_was;

  if (g_hash_table_lookup (self->rows, GUINT_TO_POINTER (row->position)) == row)
    g_hash_table_remove (self->rows, GUINT_TO_POINTER (row->position));
}

static GType
results_get_item_type (GListModel *model)
{
  return SCOPE_TYPE_SERVICE_ROW;
}

static guint
results_get_n_items (GListModel *model)
{
  return SCOPE_SERVICE_RESULTS (model)->matches->len;
}

static gpointer
results_get_item (GListModel *model,
                  guint       position)
{
  ScopeServiceResults *self = SCOPE_SERVICE_RESULTS (model);
  ScopeServiceRow *row;

  if (position >= self->matches->len)
    return NULL;
  row = g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position));
  if (row != NULL)
    {
      /* Held past a shrink and asked for again: it shows what is there now. */
      row_set_service (row, match_service (self, position));
      return g_object_ref (row);
    }
  row = g_object_new (SCOPE_TYPE_SERVICE_ROW, NULL);
  row->position = position;
  row->service = g_object_ref (match_service (self, position));
  g_object_weak_ref (G_OBJECT (row), row_gone, self);
  g_hash_table_insert (self->rows, GUINT_TO_POINTER (position), row);
  return row;
}

static void
results_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = results_get_item_type;
  iface->get_n_items = results_get_n_items;
  iface->get_item = results_get_item;
}

/* The one selected position, moved as its service moves. */
static void
set_selected (ScopeServiceResults *self,
              guint                position)
{
  guint old = self->selected_position;
  ScopeService *service = position < self->matches->len ? match_service (self, position) : NULL;

  self->selected_position = service != NULL ? position : GTK_INVALID_LIST_POSITION;
  if (old < self->matches->len && old != self->selected_position)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), old, 1);
  if (self->selected_position != GTK_INVALID_LIST_POSITION && old != self->selected_position)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), self->selected_position,
                                           1);
  if (g_set_object (&self->selected, service))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SERVICE]);
}

static gboolean
results_is_selected (GtkSelectionModel *model,
                     guint              position)
{
  return position == SCOPE_SERVICE_RESULTS (model)->selected_position;
}

static gboolean
results_select_item (GtkSelectionModel *model,
                     guint              position,
                     gboolean           unselect_rest)
{
  if (position >= SCOPE_SERVICE_RESULTS (model)->matches->len)
    return FALSE;
  set_selected (SCOPE_SERVICE_RESULTS (model), position);
  return TRUE;
}

static gboolean
results_unselect_item (GtkSelectionModel *model,
                       guint              position)
{
  ScopeServiceResults *self = SCOPE_SERVICE_RESULTS (model);

  if (position == self->selected_position)
    set_selected (self, GTK_INVALID_LIST_POSITION);
  return TRUE;
}

static gboolean
results_unselect_all (GtkSelectionModel *model)
{
  set_selected (SCOPE_SERVICE_RESULTS (model), GTK_INVALID_LIST_POSITION);
  return TRUE;
}

static void
results_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = results_is_selected;
  iface->select_item = results_select_item;
  iface->unselect_item = results_unselect_item;
  iface->unselect_all = results_unselect_all;
}

static const char *
service_key (ScopeServiceResults *self,
             ScopeService        *service)
{
  char *key = g_hash_table_lookup (self->keys, service);

  if (key == NULL)
    {
      key = scope_service_search_key (service);
      g_hash_table_insert (self->keys, g_object_ref (service), key);
    }
  return key;
}

/* Runs the search again: over what the last one showed when it narrows
 * that (@narrowing), else over everything; @reordered when the services
 * are in another order than the last search saw. */
static void
refilter (ScopeServiceResults *self,
          gboolean             narrowing,
          gboolean             reordered)
{
  g_autoptr(GArray) old = self->matches;
  guint selected = GTK_INVALID_LIST_POSITION;
  guint n = narrowing ? old->len : self->services->len;
  guint first_changed = 0;
  GHashTableIter iter;
  gpointer key, value;

  self->matches = g_array_sized_new (FALSE, FALSE, sizeof (guint), narrowing ? old->len : 64);
  for (guint i = 0; i < n; i++)
    {
      guint index = narrowing ? g_array_index (old, guint, i) : i;
      ScopeService *service = g_ptr_array_index (self->services, index);

      if (self->search != NULL
          && !scope_service_search_matches (self->search, service, service_key (self, service)))
        continue;
      if (service == self->selected)
        selected = self->matches->len;
      g_array_append_val (self->matches, index);
    }

  /* The rows above the first change keep their services. */
  while (!reordered && first_changed < MIN (old->len, self->matches->len)
         && g_array_index (old, guint, first_changed)
            == g_array_index (self->matches, guint, first_changed))
    first_changed++;
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint position = GPOINTER_TO_UINT (key);

      if (position >= first_changed && position < self->matches->len)
        row_set_service (value, match_service (self, position));
    }

  /* What the selection pointed at is gone before the view hears of the
   * shorter list. */
  if (self->selected_position >= self->matches->len)
    self->selected_position = GTK_INVALID_LIST_POSITION;
  if (self->matches->len < old->len)
    g_list_model_items_changed (G_LIST_MODEL (self), self->matches->len,
                                old->len - self->matches->len, 0);
  else if (self->matches->len > old->len)
    g_list_model_items_changed (G_LIST_MODEL (self), old->len, 0,
                                self->matches->len - old->len);
  set_selected (self, selected);
}

static void
sorted_changed (ScopeServiceResults *self)
{
  guint n = g_list_model_get_n_items (self->sorted);
  g_autoptr(GHashTable) old_keys = g_steal_pointer (&self->keys);

  g_ptr_array_set_size (self->services, 0);
  self->keys = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  for (guint i = 0; i < n; i++)
    {
      ScopeService *service = g_list_model_get_item (self->sorted, i);
      gpointer held, key;

      g_ptr_array_add (self->services, service);
      /* A new order of the same services keeps their keys. */
      if (g_hash_table_steal_extended (old_keys, service, &held, &key))
        g_hash_table_insert (self->keys, held, key);
    }
  refilter (self, FALSE, TRUE);
}

static void
scope_service_results_dispose (GObject *object)
{
  ScopeServiceResults *self = SCOPE_SERVICE_RESULTS (object);
  GHashTableIter iter;
  gpointer row;

  if (self->sorted != NULL)
    g_signal_handlers_disconnect_by_data (self->sorted, self);
  g_clear_object (&self->sorted);
  g_clear_object (&self->selected);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    g_object_weak_unref (row, row_gone, self);
  g_hash_table_remove_all (self->rows);

  G_OBJECT_CLASS (scope_service_results_parent_class)->dispose (object);
}

static void
scope_service_results_finalize (GObject *object)
{
  ScopeServiceResults *self = SCOPE_SERVICE_RESULTS (object);

  g_ptr_array_unref (self->services);
  g_hash_table_unref (self->keys);
  g_hash_table_unref (self->rows);
  g_array_unref (self->matches);
  g_clear_pointer (&self->search, scope_service_search_free);

  G_OBJECT_CLASS (scope_service_results_parent_class)->finalize (object);
}

static void
scope_service_results_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ScopeServiceResults *self = SCOPE_SERVICE_RESULTS (object);

  switch (prop_id)
    {
    case PROP_SELECTED_SERVICE:
      g_value_set_object (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_service_results_class_init (ScopeServiceResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = scope_service_results_dispose;
  object_class->finalize = scope_service_results_finalize;
  object_class->get_property = scope_service_results_get_property;

  properties[PROP_SELECTED_SERVICE] =
    g_param_spec_object ("selected-service", NULL, NULL, SCOPE_TYPE_SERVICE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_service_results_init (ScopeServiceResults *self)
{
  self->services = g_ptr_array_new_with_free_func (g_object_unref);
  self->keys = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->matches = g_array_new (FALSE, FALSE, sizeof (guint));
  self->rows = g_hash_table_new (NULL, NULL);
  self->selected_position = GTK_INVALID_LIST_POSITION;
}

/**
 * scope_service_results_new:
 * @sorted: a list model of ScopeService, in the order to show them
 */
ScopeServiceResults *
scope_service_results_new (GListModel *sorted)
{
  ScopeServiceResults *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (sorted), NULL);

  self = g_object_new (SCOPE_TYPE_SERVICE_RESULTS, NULL);
  self->sorted = g_object_ref (sorted);
  g_signal_connect_swapped (sorted, "items-changed", G_CALLBACK (sorted_changed), self);
  sorted_changed (self);
  return self;
}

/**
 * scope_service_results_set_search:
 * @search: (transfer full): what to show
 *
 * Shows what @search finds, at once; the same search again does nothing.
 */
void
scope_service_results_set_search (ScopeServiceResults *self,
                                  ScopeServiceSearch  *search)
{
  gboolean narrowing;

  g_return_if_fail (SCOPE_IS_SERVICE_RESULTS (self));
  g_return_if_fail (search != NULL);

  if (self->search != NULL && scope_service_search_equal (search, self->search))
    {
      scope_service_search_free (search);
      return;
    }
  /* No search yet shows everything, which any search narrows. */
  narrowing = self->search == NULL || scope_service_search_narrows (search, self->search);
  g_clear_pointer (&self->search, scope_service_search_free);
  self->search = search;
  refilter (self, narrowing, FALSE);
}

/**
 * scope_service_results_get_selected_service:
 *
 * Returns: (nullable) (transfer none): the service of the selected row
 */
ScopeService *
scope_service_results_get_selected_service (ScopeServiceResults *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE_RESULTS (self), NULL);

  return self->selected;
}
