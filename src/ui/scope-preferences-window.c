/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-preferences-window.h"

struct _ScopePreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Template widgets */
  AdwComboRow   *style_row;
  GtkSpinButton *payload_cap_spin;
  GtkSpinButton *event_limit_spin;
  GtkSpinButton *idle_timeout_spin;
  GtkSpinButton *lookup_timeout_spin;

  /* Owned */
  GSettings *settings;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopePreferencesWindow, scope_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* The rows of the style combo, in order, as the color-scheme key names them. */
static const char * const color_schemes[] = { "default", "light", "dark" };

static gboolean
color_scheme_to_row (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
    if (g_str_equal (scheme, color_schemes[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
row_to_color_scheme (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  guint row = g_value_get_uint (value);

  if (row >= G_N_ELEMENTS (color_schemes))
    return NULL;

  return g_variant_new_string (color_schemes[row]);
}

static void
scope_preferences_window_constructed (GObject *object)
{
  ScopePreferencesWindow *self = SCOPE_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (scope_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                color_scheme_to_row, row_to_color_scheme,
                                NULL, NULL);
  g_settings_bind (self->settings, "payload-cap-mib",
                   gtk_spin_button_get_adjustment (self->payload_cap_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "event-limit",
                   gtk_spin_button_get_adjustment (self->event_limit_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "idle-timeout",
                   gtk_spin_button_get_adjustment (self->idle_timeout_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "lookup-timeout",
                   gtk_spin_button_get_adjustment (self->lookup_timeout_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
scope_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  ScopePreferencesWindow *self = SCOPE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_preferences_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  ScopePreferencesWindow *self = SCOPE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_preferences_window_dispose (GObject *object)
{
  ScopePreferencesWindow *self = SCOPE_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (scope_preferences_window_parent_class)->dispose (object);
}

static void
scope_preferences_window_class_init (ScopePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = scope_preferences_window_constructed;
  object_class->dispose = scope_preferences_window_dispose;
  object_class->get_property = scope_preferences_window_get_property;
  object_class->set_property = scope_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopePreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePreferencesWindow, payload_cap_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopePreferencesWindow, event_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopePreferencesWindow, idle_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopePreferencesWindow, lookup_timeout_spin);
}

static void
scope_preferences_window_init (ScopePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ScopePreferencesWindow *
scope_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SCOPE_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}
