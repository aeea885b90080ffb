/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-client-panel.h"
#include "scope-event-list.h"
#include "scope-server-row.h"
#include "scope-sockets-page.h"

/* The Sockets page: the one-click servers and the client on the left, the
 * live list of every socket event on the right, all sharing one recorder.
 * The list hears of new events once per frame, however many arrive. */

struct _ScopeSocketsPage
{
  AdwBin parent_instance;

  /* Template widgets. The leaflet, the bin's own child, is not one of them:
   * disposing the template would unparent it behind AdwBin's back. */
  AdwPreferencesGroup *servers_group;
  ScopeClientPanel    *client_panel;
  ScopeEventList      *event_list;

  /* Owned */
  ScopeRecorder  *recorder;
  GSettings      *settings;
  guint           flush_idle;
  ScopeServerRow *rows[SCOPE_SERVER_N_KINDS];
  guint           flush_tick;
};

G_DEFINE_FINAL_TYPE (ScopeSocketsPage, scope_sockets_page, ADW_TYPE_BIN)

static void
apply_payload_cap (ScopeSocketsPage *self)
{
  guint mib = g_settings_get_uint (self->settings, "payload-cap-mib");

  scope_recorder_set_payload_cap (self->recorder, (guint64) mib * 1024 * 1024);
}

static gboolean
flush_in_frame (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  ScopeSocketsPage *self = SCOPE_SOCKETS_PAGE (widget);

  self->flush_tick = 0;
  scope_recorder_flush (self->recorder);
  return G_SOURCE_REMOVE;
}

static gboolean
flush_when_idle (gpointer user_data)
{
  ScopeSocketsPage *self = user_data;

  self->flush_idle = 0;
  scope_recorder_flush (self->recorder);
  return G_SOURCE_REMOVE;
}

static void
on_events_pending (ScopeSocketsPage *self)
{
  /* A page that is not shown has no frames: flush when the loop is idle. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (self->flush_idle == 0)
        self->flush_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_when_idle, self, NULL);
    }
  else if (self->flush_tick == 0)
    self->flush_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), flush_in_frame, NULL,
                                                     NULL);
}

/* A server that starts becomes the client's target: start, then Connect. */
static void
on_server_running (ScopeSocketsPage *self,
                   GParamSpec       *pspec,
                   ScopeServer      *server)
{
  ScopeServerKind kind = scope_server_get_kind (server);
  g_autofree char *path = NULL;

  if (!scope_server_get_running (server))
    return;
  if (kind == SCOPE_SERVER_UNIX_ECHO)
    {
      g_object_get (server, "unix-path", &path, NULL);
      scope_client_panel_set_target (self->client_panel, SCOPE_PROTOCOL_UNIX, path, 0);
    }
  else
    {
      g_autofree char *bind = NULL;
      gboolean ipv6_only = FALSE;
      gboolean ipv6;

      g_object_get (server, "bind-address", &bind, "ipv6-only", &ipv6_only, NULL);
      ipv6 = g_strcmp0 (bind, "::1") == 0 || (g_strcmp0 (bind, "::") == 0 && ipv6_only);
      scope_client_panel_set_target (self->client_panel, scope_server_kind_get_protocol (kind),
                                     ipv6 ? "::1" : "127.0.0.1",
                                     scope_server_get_bound_port (server));
    }
}

/**
 * scope_sockets_page_start_server:
 * @spec: KIND or KIND:PORT, e.g. "tcp-echo:50000"
 *
 * Starts one of the page's servers as its switch would: what
 * `sockscope --start-server` does.
 */
gboolean
scope_sockets_page_start_server (ScopeSocketsPage  *self,
                                 const char        *spec,
                                 GError           **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", 2);
  ScopeServerKind kind;
  guint64 port = 0;

  g_return_val_if_fail (SCOPE_IS_SOCKETS_PAGE (self), FALSE);

  if (!scope_server_kind_from_string (parts[0], &kind))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a kind of server: use tcp-echo, udp-echo, udp-upper, "
                     "tcp-sum, tcp-message, http or unix-echo"), parts[0]);
      return FALSE;
    }
  if (parts[1] != NULL
      && !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT16, &port, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The port “%s” is not a number from 0 to 65535"), parts[1]);
      return FALSE;
    }

  return scope_server_row_start (self->rows[kind], (guint16) port, error);
}

static void
show_events_clicked (ScopeSocketsPage *self)
{
  adw_leaflet_set_visible_child_name (ADW_LEAFLET (adw_bin_get_child (ADW_BIN (self))),
                                      "events");
}

static void
show_controls_clicked (ScopeSocketsPage *self)
{
  adw_leaflet_set_visible_child_name (ADW_LEAFLET (adw_bin_get_child (ADW_BIN (self))),
                                      "controls");
}

ScopeRecorder *
scope_sockets_page_get_recorder (ScopeSocketsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_SOCKETS_PAGE (self), NULL);

  return self->recorder;
}

static void
scope_sockets_page_dispose (GObject *object)
{
  ScopeSocketsPage *self = SCOPE_SOCKETS_PAGE (object);

  if (self->flush_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->flush_tick);
  self->flush_tick = 0;
  g_clear_handle_id (&self->flush_idle, g_source_remove);
  /* The servers record their closes as the rows go, after this. */
  if (self->recorder != NULL)
    g_signal_handlers_disconnect_by_data (self->recorder, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_SOCKETS_PAGE);
  g_clear_object (&self->recorder);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (scope_sockets_page_parent_class)->dispose (object);
}

static void
scope_sockets_page_class_init (ScopeSocketsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_sockets_page_dispose;

  g_type_ensure (SCOPE_TYPE_CLIENT_PANEL);
  g_type_ensure (SCOPE_TYPE_EVENT_LIST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-sockets-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, servers_group);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, client_panel);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, event_list);
  gtk_widget_class_bind_template_callback (widget_class, show_events_clicked);
  gtk_widget_class_bind_template_callback (widget_class, show_controls_clicked);
}

static void
scope_sockets_page_init (ScopeSocketsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->recorder = scope_recorder_new ();
  scope_recorder_set_autoflush (self->recorder, FALSE);
  g_signal_connect_object (self->recorder, "pending", G_CALLBACK (on_events_pending), self,
                           G_CONNECT_SWAPPED);
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::payload-cap-mib",
                           G_CALLBACK (apply_payload_cap), self, G_CONNECT_SWAPPED);
  apply_payload_cap (self);

  for (guint kind = 0; kind < SCOPE_SERVER_N_KINDS; kind++)
    {
#ifndef G_OS_UNIX
      if (kind == SCOPE_SERVER_UNIX_ECHO)
        continue;
#endif
      self->rows[kind] = scope_server_row_new (kind, self->recorder);
      adw_preferences_group_add (self->servers_group, GTK_WIDGET (self->rows[kind]));
      g_signal_connect_object (scope_server_row_get_server (self->rows[kind]), "notify::running",
                               G_CALLBACK (on_server_running), self, G_CONNECT_SWAPPED);
    }

  scope_client_panel_set_recorder (self->client_panel, self->recorder);
  scope_event_list_set_recorder (self->event_list, self->recorder);
}
