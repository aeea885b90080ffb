/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-lookup-page.h"
#include "scope-message-dialog.h"
#include "scope-ports-page.h"
#include "scope-sockets-page.h"
#include "scope-window.h"

struct _ScopeWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwHeaderBar        *header_bar;
  GtkMenuButton       *primary_menu_button;
  GMenuModel          *primary_menu;
  AdwViewStack        *stack;
  AdwViewSwitcherBar  *switcher_bar;
  AdwToastOverlay     *toast_overlay;
  AdwBin              *lookup_bin;
  AdwBin              *ports_bin;
  AdwBin              *sockets_bin;

  /* Owned */
  GSettings *settings;

  GtkWidget *close_dialog;   /* asking about an unexported session, while shown */
  gboolean   close_unasked;  /* closing whatever the session holds */
  gboolean   projector;      /* its tooltips and file choosers styled so */
};

G_DEFINE_FINAL_TYPE (ScopeWindow, scope_window, ADW_TYPE_APPLICATION_WINDOW)

/* The names of the pages, as the stack, the `page` window action, the
 * `--page` option and the `last-page` key know them. */
static const char * const page_names[] = { "lookup", "ports", "sockets" };

/* Each page is made the first time it is shown, not with the window: the
 * window then shows its first frame after making one page of three, and the
 * stack does not style and measure the other two. With all three, start-up
 * took 1.6 to 2.3 times a bare libadwaita window's (the `startup` benchmark;
 * tests/bench/RESULTS.md has its last figures). */
static AdwBin *
page_bin (ScopeWindow *self,
          const char  *page)
{
  if (g_strcmp0 (page, "lookup") == 0)
    return self->lookup_bin;
  if (g_strcmp0 (page, "ports") == 0)
    return self->ports_bin;
  if (g_strcmp0 (page, "sockets") == 0)
    return self->sockets_bin;
  return NULL;
}

static void
ensure_page (ScopeWindow *self,
             const char  *page)
{
  AdwBin *bin = page_bin (self, page);
  GType type;

  if (bin == NULL || adw_bin_get_child (bin) != NULL)
    return;
  type = g_str_equal (page, "lookup") ? SCOPE_TYPE_LOOKUP_PAGE
         : g_str_equal (page, "ports") ? SCOPE_TYPE_PORTS_PAGE
         : SCOPE_TYPE_SOCKETS_PAGE;
  adw_bin_set_child (bin, g_object_new (type, NULL));
}

static void
on_visible_page_changed (ScopeWindow *self)
{
  ensure_page (self, adw_view_stack_get_visible_child_name (self->stack));
}

static ScopeSocketsPage *
get_sockets_page (ScopeWindow *self)
{
  ensure_page (self, "sockets");
  return SCOPE_SOCKETS_PAGE (adw_bin_get_child (self->sockets_bin));
}

gboolean
scope_window_is_page_name (const char *page)
{
  if (page == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_str_equal (page, page_names[i]))
      return TRUE;

  return FALSE;
}

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   ScopeWindow      *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    scope_window_close_unasked (self);
  else if (g_strcmp0 (response, "export") == 0)
    {
      adw_view_stack_set_visible_child_name (self->stack, "sockets");
      scope_sockets_page_offer_export (get_sockets_page (self));
    }
}

/* Closing would lose events no export holds: the user is asked, as a
 * text editor asks about unsaved changes. A page never shown has none. */
static gboolean
ask_before_closing (ScopeWindow *self)
{
  GtkWidget *page = adw_bin_get_child (self->sockets_bin);

  if (self->close_unasked || page == NULL
      || !scope_sockets_page_has_unexported (SCOPE_SOCKETS_PAGE (page)))
    return FALSE;
  if (self->close_dialog != NULL)
    {
      scope_message_dialog_present (ADW_MESSAGE_DIALOG (self->close_dialog));
      return TRUE;
    }
  self->close_dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Export the Session?"),
                                               _("The events recorded since the last export "
                                                 "were not exported. If you close Sockscope, "
                                                 "they are lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self->close_dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "export", _("_Export…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self->close_dialog),
                                              "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self->close_dialog),
                                              "export", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self->close_dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self->close_dialog), "cancel");
  g_signal_connect_object (self->close_dialog, "response", G_CALLBACK (on_close_response),
                           self, 0);
  g_object_add_weak_pointer (G_OBJECT (self->close_dialog), (gpointer *) &self->close_dialog);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self->close_dialog), TRUE);
  scope_message_dialog_present (ADW_MESSAGE_DIALOG (self->close_dialog));
  return TRUE;
}

/**
 * scope_window_close_unasked:
 *
 * Closes the window without asking about an unexported session: the
 * answer was Discard, or the session of the desktop ends (SIGTERM).
 */
void
scope_window_close_unasked (ScopeWindow *self)
{
  g_return_if_fail (SCOPE_IS_WINDOW (self));

  self->close_unasked = TRUE;
  if (self->close_dialog != NULL)
    {
      GtkWidget *dialog = self->close_dialog;

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->close_dialog);
      self->close_dialog = NULL;
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
scope_window_close_request (GtkWindow *window)
{
  ScopeWindow *self = SCOPE_WINDOW (window);
  int width, height;

  if (ask_before_closing (self))
    return TRUE;

  /* The size is saved once, on close, rather than bound, which would write
   * settings on every frame of a resize. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (scope_window_parent_class)->close_request (window);
}

/* What projector mode shows in surfaces of their own, which the page's
 * type does not reach: tooltips and the file chooser were the smallest
 * words on the projected screen (the ninth trial), the Preferences, where
 * a lecturer chooses the dark style in front of the class, too (the
 * thirteenth). For the display while any window is in projector mode. */
static const char projector_surfaces_css[] =
  "tooltip, tooltip label, filechooser label, filechooser entry, filechooser button, "
  "window.scope-preferences label, window.scope-preferences spinbutton "
  "{ font-size: 16pt; }";

static void
style_projector_surfaces (GdkDisplay *display,
                          gboolean    on)
{
  static GtkCssProvider *provider;
  static guint windows;

  if (on && windows++ == 0)
    {
      if (provider == NULL)
        {
          provider = gtk_css_provider_new ();
          gtk_css_provider_load_from_data (provider, projector_surfaces_css, -1);
        }
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  else if (!on && windows > 0 && --windows == 0)
    gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (provider));
}

/* Projector mode: full screen, the Sockets page, and only what the back of
 * the hall must read. */
static void
projector_changed (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  ScopeWindow *self = SCOPE_WINDOW (user_data);
  gboolean on = g_variant_get_boolean (state);
  ScopeSocketsPage *sockets_page = get_sockets_page (self);

  if (self->projector != on)
    style_projector_surfaces (gtk_widget_get_display (GTK_WIDGET (self)), on);
  self->projector = on;
  g_simple_action_set_state (action, state);
  if (on)
    adw_view_stack_set_visible_child_name (self->stack, "sockets");
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), !on);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), !on);
  /* F10 opens the menu that is shown: the page's, in projector mode. */
  gtk_menu_button_set_primary (self->primary_menu_button, !on);
  scope_sockets_page_set_projector (sockets_page, on, self->primary_menu);
  if (on)
    {
      gtk_window_fullscreen (GTK_WINDOW (self));
      gtk_widget_grab_focus (GTK_WIDGET (scope_sockets_page_get_timeline (sockets_page)));
    }
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

static void
projector_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  g_action_change_state (G_ACTION (action),
                         g_variant_new_boolean (!g_variant_get_boolean (state)));
}

/* `win.start-server` with "KIND:PORT": how another page starts a server of
 * the Sockets page, which it then shows running; or says why not, and
 * stays where the user was. */
static void
start_server_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ScopeWindow *self = SCOPE_WINDOW (user_data);
  g_autoptr(GError) error = NULL;

  if (!scope_sockets_page_start_server (get_sockets_page (self),
                                        g_variant_get_string (parameter, NULL), &error))
    {
      /* Translators: %s says why, in words and then the errno name */
      g_autofree char *text = g_strdup_printf (_("The server could not start: %s"),
                                               error->message);
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }
  adw_view_stack_set_visible_child_name (self->stack, "sockets");
}

/* `win.new-session`: a clean Sockets page, which it shows. */
static void
new_session_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  ScopeWindow *self = SCOPE_WINDOW (user_data);

  adw_view_stack_set_visible_child_name (self->stack, "sockets");
  scope_sockets_page_new_session (get_sockets_page (self));
}

static void
scope_window_dispose (GObject *object)
{
  ScopeWindow *self = SCOPE_WINDOW (object);

  if (self->projector)
    style_projector_surfaces (gtk_widget_get_display (GTK_WIDGET (self)), FALSE);
  self->projector = FALSE;
  /* The page action holds the stack, and the binding writes to it on any
   * change of the setting: both go first, or another window's page
   * change reaches a stack whose window is gone. */
  g_action_map_remove_action (G_ACTION_MAP (self), "page");
  if (self->stack != NULL)
    {
      g_settings_unbind (self->stack, "visible-child-name");
      /* Nor may the stack's last notifications make a page for a window
       * that is going. */
      g_signal_handlers_disconnect_by_func (self->stack, on_visible_page_changed, self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (scope_window_parent_class)->dispose (object);
}

static void
scope_window_class_init (ScopeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = scope_window_dispose;
  window_class->close_request = scope_window_close_request;

  g_type_ensure (SCOPE_TYPE_LOOKUP_PAGE);
  g_type_ensure (SCOPE_TYPE_PORTS_PAGE);
  g_type_ensure (SCOPE_TYPE_SOCKETS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/scope-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, lookup_bin);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, ports_bin);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, sockets_bin);
}

static const GActionEntry entries[] = {
  { .name = "projector", .activate = projector_activated, .state = "false",
    .change_state = projector_changed },
  { .name = "start-server", .activate = start_server_activated, .parameter_type = "s" },
  { .name = "new-session", .activate = new_session_activated },
};

static void
scope_window_init (ScopeWindow *self)
{
  g_autoptr(GPropertyAction) page_action = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (on_visible_page_changed), self, G_CONNECT_SWAPPED);
  /* The schema limits last-page to the names above, so the stack never
   * hears of a page it does not have. */
  g_settings_bind (self->settings, "last-page", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_NO_SENSITIVITY);
  /* The stack says nothing when the setting names the page it shows. */
  on_visible_page_changed (self);

  page_action = g_property_action_new ("page", self->stack, "visible-child-name");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (page_action));

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}

ScopeWindow *
scope_window_new (ScopeApplication *application)
{
  g_return_val_if_fail (SCOPE_IS_APPLICATION (application), NULL);

  return g_object_new (SCOPE_TYPE_WINDOW, "application", application, NULL);
}

const char *
scope_window_get_page (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
scope_window_set_page (ScopeWindow *self,
                       const char  *page)
{
  g_return_if_fail (SCOPE_IS_WINDOW (self));
  g_return_if_fail (scope_window_is_page_name (page));

  adw_view_stack_set_visible_child_name (self->stack, page);
}

/**
 * scope_window_start_server:
 * @spec: KIND or KIND:PORT, e.g. "tcp-echo:50000"
 *
 * Starts a server of the Sockets page, as `--start-server` asks.
 */
gboolean
scope_window_start_server (ScopeWindow  *self,
                           const char   *spec,
                           GError      **error)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), FALSE);

  return scope_sockets_page_start_server (get_sockets_page (self), spec, error);
}
