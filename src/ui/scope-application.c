/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#ifdef G_OS_UNIX
# include <signal.h>
# include <glib-unix.h>
#endif

#include "scope-application.h"
#include "scope-preferences-window.h"
#include "scope-window.h"

struct _ScopeApplication
{
  AdwApplication parent_instance;

  /* Owned */
  GSettings *settings;
  guint      signal_ids[2];   /* SIGTERM and SIGINT */
};

G_DEFINE_FINAL_TYPE (ScopeApplication, scope_application, ADW_TYPE_APPLICATION)

/* The main window, made when there is none. The application's list also
 * holds the windows it owns beside it (the shortcuts window, say), most
 * recently focused first. */
static ScopeWindow *
scope_application_ensure_window (ScopeApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SCOPE_IS_WINDOW (l->data))
      return l->data;

  return scope_window_new (self);
}

static void
scope_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (scope_application_ensure_window (SCOPE_APPLICATION (app))));
}

/* `sockscope --page=NAME`: checked here, in the process that was started, so
 * a typo is reported on the terminal that made it; then handed to the
 * primary instance as the show-page action, so it works whether or not
 * Sockscope is already running. */
static int
scope_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree const char **servers = NULL;
  const char *page = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "start-server", "^a&s", &servers);
  if (!g_variant_dict_lookup (options, "page", "&s", &page) && servers == NULL)
    return -1;

  if (page != NULL && !scope_window_is_page_name (page))
    {
      /* Translators: %s is the page name the user typed; lookup, ports and
       * sockets are the literal values of --page: do not translate them */
      g_printerr (_("Unknown page “%s”: choose lookup, ports or sockets.\n"), page);
      return 2;
    }

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (page != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (app), "show-page",
                                    g_variant_new_string (page));
  for (guint i = 0; servers != NULL && servers[i] != NULL; i++)
    g_action_group_activate_action (G_ACTION_GROUP (app), "start-server",
                                    g_variant_new_string (servers[i]));
  return -1;
}

/* `--start-server=tcp-echo:50000`, for a lecturer's launcher: what the
 * server's switch does. A failure shows on the server's row, and on the
 * terminal of the primary instance. */
static void
start_server_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ScopeApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  ScopeWindow *window = scope_application_ensure_window (self);

  gtk_window_present (GTK_WINDOW (window));
  if (!scope_window_start_server (window, g_variant_get_string (parameter, NULL), &error))
    /* Translators: the server as given, then what went wrong */
    g_printerr (_("Could not start the server “%s”: %s\n"),
                g_variant_get_string (parameter, NULL), error->message);
}

static void
show_page_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ScopeApplication *self = user_data;
  const char *page = g_variant_get_string (parameter, NULL);
  ScopeWindow *window;

  /* Anyone on the session bus can call this action: a bad name is their
   * mistake, not ours, so say so quietly and carry on. */
  if (!scope_window_is_page_name (page))
    {
      g_message ("show-page: there is no page “%s”", page);
      return;
    }

  window = scope_application_ensure_window (self);
  scope_window_set_page (window, page);
  gtk_window_present (GTK_WINDOW (window));
}

/* Close rather than destroy, so each window saves its state; closing one
 * may change the application's list, so walk a copy. @unasked: without
 * asking about an unexported session. */
static void
close_windows (GtkApplication *app,
               gboolean        unasked)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    g_ptr_array_add (windows, g_object_ref (l->data));
  for (guint i = 0; i < windows->len; i++)
    if (unasked && SCOPE_IS_WINDOW (g_ptr_array_index (windows, i)))
      scope_window_close_unasked (g_ptr_array_index (windows, i));
    else
      gtk_window_close (g_ptr_array_index (windows, i));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  close_windows (GTK_APPLICATION (user_data), FALSE);
}

#define PREFERENCES_PROJECTOR_WIDTH 900

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  ScopeApplication *self = user_data;
  ScopeWindow *window = scope_application_ensure_window (self);
  ScopePreferencesWindow *prefs = scope_preferences_window_new (self->settings);
  g_autoptr(GVariant) projector = g_action_group_get_action_state (G_ACTION_GROUP (window),
                                                                   "projector");

  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  /* In projector type, wider than libadwaita's 640 px, where the style's
   * "Follow System" was cut (the thirteenth trial) */
  if (projector != NULL && g_variant_get_boolean (projector))
    gtk_window_set_default_size (GTK_WINDOW (prefs), PREFERENCES_PROJECTOR_WIDTH, 720);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  ScopeApplication *self = user_data;
  const char *developers[] = { _("The Sockscope developers"), NULL };
  ScopeWindow *window = scope_application_ensure_window (self);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "application-name", _("Sockscope"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Sockscope developers"),
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_BUGREPORT,
                        "comments", _("See how names, ports and sockets work: look up names and "
                                      "services, browse ports and addresses, and watch every "
                                      "send and receive of a socket on a timeline."),
                        "copyright", _("© 2026 The Sockscope developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        "release-notes-version", PACKAGE_VERSION,
                        "release-notes", _("<p>The first release: the application, its three "
                                           "pages and its command-line tool.</p>"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "show-page", show_page_activated, "s" },
  { "start-server", start_server_activated, "s" },
  { "preferences", preferences_activated },
  { "about", about_activated },
  { "quit", quit_activated },
};

static void
apply_color_scheme (ScopeApplication *self)
{
  static const struct { const char *name; AdwColorScheme scheme; } schemes[] = {
    { "default", ADW_COLOR_SCHEME_DEFAULT },
    { "light", ADW_COLOR_SCHEME_FORCE_LIGHT },
    { "dark", ADW_COLOR_SCHEME_FORCE_DARK },
  };
  g_autofree char *value = g_settings_get_string (self->settings, "color-scheme");
  AdwStyleManager *manager = adw_style_manager_get_default ();

  for (gsize i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_str_equal (value, schemes[i].name))
      adw_style_manager_set_color_scheme (manager, schemes[i].scheme);
}

#ifdef G_OS_UNIX
/* SIGTERM (a session that ends, `kill`) and SIGINT (Ctrl+C in the terminal
 * it was started from) end the app as Ctrl+Q does: each window saves its
 * state and the servers close their sockets. */
static gboolean
on_terminate (gpointer user_data)
{
  /* Without asking about an unexported session: nobody may be there to
   * answer, and the session ends regardless. */
  close_windows (GTK_APPLICATION (user_data), TRUE);
  return G_SOURCE_CONTINUE;
}
#endif

static void
scope_application_startup (GApplication *app)
{
  ScopeApplication *self = SCOPE_APPLICATION (app);
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.page('lookup')", { "<Control>1", NULL } },
    { "win.page('ports')", { "<Control>2", NULL } },
    { "win.page('sockets')", { "<Control>3", NULL } },
    { "win.projector", { "F5", NULL } },
    { "win.new-session", { "<Control><Shift>n", NULL } },
  };

  G_APPLICATION_CLASS (scope_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (gsize i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (apply_color_scheme), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);
#ifdef G_OS_UNIX
  self->signal_ids[0] = g_unix_signal_add (SIGTERM, on_terminate, self);
  self->signal_ids[1] = g_unix_signal_add (SIGINT, on_terminate, self);
#endif
}

static void
scope_application_dispose (GObject *object)
{
  ScopeApplication *self = SCOPE_APPLICATION (object);

  g_clear_object (&self->settings);
  for (gsize i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);

  G_OBJECT_CLASS (scope_application_parent_class)->dispose (object);
}

static void
scope_application_class_init (ScopeApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = scope_application_dispose;

  app_class->activate = scope_application_activate;
  app_class->startup = scope_application_startup;
  app_class->handle_local_options = scope_application_handle_local_options;
}

static void
scope_application_init (ScopeApplication *self)
{
  const GOptionEntry options[] = {
    { "page", 0, 0, G_OPTION_ARG_STRING, NULL,
      /* Translators: lookup, ports and sockets are literal values: do not translate them */
      N_("Open on this page: lookup, ports or sockets"), N_("PAGE") },
    { "start-server", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
      /* Translators: KIND and PORT are placeholders; the kinds are literal */
      N_("Start a server of the Sockets page: tcp-echo, udp-echo, udp-upper, tcp-sum, "
         "tcp-message, http or unix-echo, with :PORT if wanted"), N_("KIND[:PORT]") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

ScopeApplication *
scope_application_new (void)
{
  return g_object_new (SCOPE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}
