/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "scope-client-panel.h"
#include "scope-describe.h"
#include "scope-event-inspector.h"
#include "scope-event-list.h"
#include "scope-export.h"
#include "scope-server-row.h"
#include "scope-services.h"
#include "scope-sockets-page.h"
#include "scope-message-dialog.h"
#include "scope-text.h"
#include "scope-timeline.h"

/* The Sockets page: every socket event, on the timeline or in a list, with
 * the one-click servers and the client in a flap beside them that the
 * lecturer shows and hides (F9, remembered apart for projector mode), and
 * the selected event's bytes in a second flap at the other side while there
 * is a selection; all sharing one recorder. The views hear of new events
 * once per frame, however many arrive. */

struct _ScopeSocketsPage
{
  AdwBin parent_instance;

  /* Template widgets. The bin's own child is not one of them: disposing
   * the template would unparent it behind AdwBin's back. */
  AdwToastOverlay     *toast_overlay;
  AdwFlap             *controls_flap;
  GtkScrolledWindow   *controls_scroller;
  AdwClamp            *controls_clamp;
  AdwClamp            *composer_clamp;
  AdwBin              *composer_slot;
  AdwFlap             *inspector_flap;
  GtkWidget           *controls_button;  /* bound for the tests */
  GtkMenuButton       *export_button;
  AdwPreferencesGroup *servers_group;
  ScopeClientPanel    *client_panel;
  GtkWidget           *view_bar;
  GtkWidget           *timeline_tools;
  GtkToggleButton     *timeline_follow_button;
  GtkStack            *view_stack;
  ScopeTimeline       *timeline;
  ScopeEventList      *event_list;
  ScopeEventInspector *inspector;
  GtkWidget           *leave_projector_button;
  GtkMenuButton       *projector_menu_button;
  GtkWidget           *stop_note;
  GtkLabel            *stop_label;
  GtkLabel            *stop_counts_label;
  GtkWidget           *export_bar;
  GtkLabel            *export_label;
  GtkProgressBar      *export_progress;

  /* Owned */
  ScopeRecorder  *recorder;
  GSettings      *settings;
  guint           flush_idle;
  ScopeServerRow *rows[SCOPE_SERVER_N_KINDS];
  guint16         ports[SCOPE_SERVER_N_KINDS];  /* where each listened, to say its stop */
  guint           flush_tick;
  guint           reveal_tick;      /* brings Received into sight */
  guint           reveal_frames;
  double          column_page;      /* the column's height, last seen */
  int             composer_height;  /* and the client's pinned part's under it */
  GtkEventController *column_motion;
  gboolean        projector;
  gboolean        controls_gave_way;  /* hidden for the inspector, back when it goes */
  GtkNativeDialog *export_dialog;
  GCancellable    *export_cancellable;  /* while a session export goes on */
  char            *export_name;
  char            *export_truncation;   /* as the export began, for the toast at its end */
  guint64          export_n_events;     /* the events the export under way holds */
  guint64          exported_n_events;   /* those the last session export held */
  AdwToast        *session_toast;       /* "New session", with Undo, while shown */
  gint64           session_shown_us;    /* since when it is seen, or -1 while queued */
  guint            session_give_way_id;
};

G_DEFINE_FINAL_TYPE (ScopeSocketsPage, scope_sockets_page, ADW_TYPE_BIN)

static void
apply_payload_cap (ScopeSocketsPage *self)
{
  guint mib = g_settings_get_uint (self->settings, "payload-cap-mib");

  scope_recorder_set_payload_cap (self->recorder, (guint64) mib * 1024 * 1024);
}

static void
apply_event_limit (ScopeSocketsPage *self)
{
  scope_recorder_set_event_limit (self->recorder,
                                  g_settings_get_uint (self->settings, "event-limit"));
}

/* Past a limit the recorder stops, and the page says so above the events
 * as long as the session lasts: when and why in an alert, said once, and
 * below it what was dropped since, which changes with every frame of a
 * flood and is no alert to be read again and again. */
static void
update_stop_note (ScopeSocketsPage *self)
{
  g_autofree char *stop = scope_export_describe_stop_point (self->recorder);

  if (stop != NULL)
    {
      g_autofree char *text = NULL;

      /* Past the event limit, New Session records again; the sockets and
       * peers are kept across sessions, so their limits last till quit. */
      if (scope_recorder_get_state (self->recorder) == SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT)
        /* Translators: %s says when and why recording stopped */
        text = g_strdup_printf (_("%s New Session (Ctrl+Shift+N) records again; the limits "
                                  "are in Preferences."), stop);
      else
        /* Translators: %s says when and why recording stopped */
        text = g_strdup_printf (_("%s A new session starts when Sockscope is started again; "
                                  "the limits are in Preferences."), stop);
      gtk_label_set_text (self->stop_label, text);
    }
  gtk_widget_set_visible (self->stop_note, stop != NULL);
}

static void
update_stop_counts (ScopeSocketsPage *self)
{
  g_autofree char *dropped = scope_export_describe_dropped (self->recorder);

  gtk_label_set_text (self->stop_counts_label, dropped != NULL ? dropped : "");
  gtk_widget_set_visible (GTK_WIDGET (self->stop_counts_label), dropped != NULL);
}

/* S16 by hand: a lecturer connects, then types "GET / HTTP/1.1" and its
 * Host line while explaining them. The tiny HTTP server's own deadlines
 * (10 s idle, 20 s for the request's head) are for peers that hold a
 * connection on purpose, and closed it under the lecturer's hands; on the
 * page it waits five minutes for a person. Its cap of 64 connections,
 * where the oldest gives way, still keeps silent peers from holding it. */
#define HTTP_BY_HAND_TIMEOUT 300

/* The preference holds for every server of the page, running or not. */
static void
apply_idle_timeout (ScopeSocketsPage *self)
{
  guint seconds = g_settings_get_uint (self->settings, "idle-timeout");

  for (guint kind = 0; kind < SCOPE_SERVER_N_KINDS; kind++)
    if (self->rows[kind] != NULL)
      {
        ScopeServer *server = scope_server_row_get_server (self->rows[kind]);

        if (kind == SCOPE_SERVER_HTTP)
          g_object_set (server,
                        "idle-timeout", seconds != 0 ? seconds : HTTP_BY_HAND_TIMEOUT,
                        "request-timeout", MAX (seconds, HTTP_BY_HAND_TIMEOUT),
                        NULL);
        else
          g_object_set (server, "idle-timeout", seconds, NULL);
      }
}

/* New Session's toast gives way once the new session has events and it
 * has been read: over the events, it covered the lowest lane, the client's
 * or the newest connection's, as the next scenario began (the eleventh
 * trial). Gone, the new session is kept, as when it times out. */
#define SESSION_TOAST_READ_US (3 * G_USEC_PER_SEC)

/* Whether a label showing @text is on screen under @widget */
static gboolean
label_shown (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_shown (child, text))
      return TRUE;
  return FALSE;
}

/* From when it is seen: a toast waits its turn behind another ("Saved
 * …"), and one taken away unseen would have freed the old session with no
 * Undo seen, one in its opening animation freed twice by libadwaita 1.2.
 * Whether it is seen is looked for in the toasts' widgets when @look, by
 * the timer, not at each frame's flush. */
static void
session_toast_give_way (ScopeSocketsPage *self,
                        gboolean          look)
{
  gint64 now = g_get_monotonic_time ();

  if (self->session_toast == NULL)
    return;
  if (self->session_shown_us < 0)
    {
      if (look && label_shown (GTK_WIDGET (self->toast_overlay),
                               adw_toast_get_title (self->session_toast)))
        self->session_shown_us = now;
      return;
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (self->recorder)) > 0
      && now - self->session_shown_us >= SESSION_TOAST_READ_US)
    adw_toast_dismiss (self->session_toast);
}

static gboolean
session_toast_read (gpointer user_data)
{
  ScopeSocketsPage *self = user_data;

  session_toast_give_way (self, TRUE);
  return G_SOURCE_CONTINUE;
}

static gboolean
flush_in_frame (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  ScopeSocketsPage *self = SCOPE_SOCKETS_PAGE (widget);

  self->flush_tick = 0;
  scope_recorder_flush (self->recorder);
  session_toast_give_way (self, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
flush_when_idle (gpointer user_data)
{
  ScopeSocketsPage *self = user_data;

  self->flush_idle = 0;
  scope_recorder_flush (self->recorder);
  session_toast_give_way (self, FALSE);
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

/* Where the client goes: @server's address. */
static void
target_server (ScopeSocketsPage *self,
               ScopeServer      *server)
{
  ScopeServerKind kind = scope_server_get_kind (server);
  g_autofree char *path = NULL;
  g_autofree char *bind = NULL;
  gboolean ipv6_only = FALSE;
  gboolean ipv6;

  if (kind == SCOPE_SERVER_UNIX_ECHO)
    {
      g_object_get (server, "unix-path", &path, NULL);
      scope_client_panel_set_target (self->client_panel, SCOPE_PROTOCOL_UNIX, path, 0);
      return;
    }
  g_object_get (server, "bind-address", &bind, "ipv6-only", &ipv6_only, NULL);
  ipv6 = g_strcmp0 (bind, "::1") == 0 || (g_strcmp0 (bind, "::") == 0 && ipv6_only);
  scope_client_panel_set_target (self->client_panel, scope_server_kind_get_protocol (kind),
                                 ipv6 ? "::1" : "127.0.0.1", scope_server_get_bound_port (server));
}

/* A server that starts becomes the client's target: start, then Connect.
 * One that stops under the client's connection is said there: the client
 * would otherwise go on reading "Connected". */
static void
on_server_running (ScopeSocketsPage *self,
                   GParamSpec       *pspec,
                   ScopeServer      *server)
{
  ScopeServerKind kind = scope_server_get_kind (server);

  if (!scope_server_get_running (server))
    {
      scope_client_panel_note_server_stopped (self->client_panel,
                                              scope_server_kind_get_title (kind),
                                              scope_server_kind_get_protocol (kind),
                                              self->ports[kind]);
      self->ports[kind] = 0;
      return;
    }
  self->ports[kind] = scope_server_get_bound_port (server);
  target_server (self, server);
}

/* A running server whose reading the lecturer just set is the one the
 * lesson is about: the client goes there too. S11 after S16, the read
 * buffer set on the echo server, Connect went to the HTTP server started
 * last (the fourteenth trial). */
static const char *const user_options[] = {
  "notify::read-buffer-size", "notify::pause-reading", "notify::pause-accepting",
};

static void
on_server_option (ScopeSocketsPage *self,
                  GParamSpec       *pspec,
                  ScopeServer      *server)
{
  if (scope_server_get_running (server))
    target_server (self, server);
}

/* The user turned the client to another protocol: where a server of it
 * runs here, and the port is not one of them, the client goes there (the
 * seventh trial turned UDP back to TCP for S15 and found port 8000, UDP
 * echo's, where nothing listens over TCP). */
static void
on_protocol_chosen (ScopeSocketsPage *self,
                    guint             protocol,
                    ScopeClientPanel *panel)
{
  guint16 port = scope_client_panel_get_port (panel);
  int found = -1;

  if (protocol == SCOPE_PROTOCOL_UNIX)
    return;
  for (guint kind = 0; kind < SCOPE_SERVER_N_KINDS; kind++)
    if (self->ports[kind] != 0 && scope_server_kind_get_protocol (kind) == protocol)
      {
        if (self->ports[kind] == port)
          return;
        if (found < 0)
          found = (int) kind;
      }
  if (found >= 0)
    scope_client_panel_set_target (panel, protocol, "127.0.0.1", self->ports[found]);
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
  g_autoptr(GError) port_error = NULL;
  ScopeServerKind kind;
  guint port = 0;

  g_return_val_if_fail (SCOPE_IS_SOCKETS_PAGE (self), FALSE);

  if (!scope_server_kind_from_string (parts[0], &kind))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a kind of server: use tcp-echo, udp-echo, udp-upper, "
                     "tcp-sum, tcp-message, http or unix-echo"), parts[0]);
      return FALSE;
    }
  /* The core's one rule for a port, said as a bad option value, which
   * is what a wrong --start-server is. */
  if (parts[1] != NULL && !scope_port_parse (parts[1], &port, &port_error))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, port_error->message);
      return FALSE;
    }

  return scope_server_row_start (self->rows[kind], (guint16) port, error);
}

/* The width the events keep beside both flaps, below which the controls
 * give way to the inspector. In projector mode at 1280 px, the controls
 * (480) and the inspector (360) left the events 440 px, where a lane's
 * name at projector size ("client 127.0.0.1:45182 → 127.0.0.1:50000"
 * takes 633 px) is cut short and an exchange is squeezed. At a desk, 1280
 * px leaves them 520 and both flaps stay. */
#define EVENTS_LEAST_WIDTH           480
#define EVENTS_LEAST_WIDTH_PROJECTOR 720

/* What a flap takes beside its content: its width as it is shown, or,
 * before it was, its least (the inspector asks for 360 px; AdwFlap gives
 * the rest to the events, which expand). */
static int
flap_width (AdwFlap *flap)
{
  GtkWidget *child = adw_flap_get_flap (flap);
  int least = 0;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &least, NULL, NULL, NULL);
  return MAX (least, gtk_widget_get_width (child));
}

/* The controls give way at once, their flap's child hidden: sliding them
 * away while the inspector slid in, libadwaita 1.2 left the events side
 * unallocated for a frame at the end ("Trying to snapshot GtkBox without
 * a current allocation") and drew it blank. Their reveal, the lecturer's
 * choice kept for the next start, stays as it was. */
static void
give_way (ScopeSocketsPage *self,
          gboolean          away)
{
  self->controls_gave_way = away;
  gtk_widget_set_visible (adw_flap_get_flap (self->controls_flap), !away);
}

/* While an event is inspected in a window too narrow for the controls,
 * the inspector and the events side by side, the controls step aside;
 * they come back when the selection goes. F9 shows them all the same, as
 * the lecturer's choice. A folded flap lies over the events and takes
 * nothing from them. */
static void
make_room_for_events (ScopeSocketsPage *self)
{
  int least = self->projector ? EVENTS_LEAST_WIDTH_PROJECTOR : EVENTS_LEAST_WIDTH;
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  if (!gtk_widget_get_visible (GTK_WIDGET (self->inspector)))
    {
      if (self->controls_gave_way)
        give_way (self, FALSE);
      return;
    }
  if (width > 0 && !self->controls_gave_way && !adw_flap_get_folded (self->controls_flap)
      && adw_flap_get_reveal_flap (self->controls_flap)
      && width - flap_width (self->controls_flap) - flap_width (self->inspector_flap) < least)
    give_way (self, TRUE);
}

/* One selection for both views, and the inspector shows it. */
static void
show_in_inspector (ScopeSocketsPage *self,
                   gint64            index)
{
  g_autofree char *description = NULL;

  if (index >= 0)
    description = scope_describe_event (scope_timeline_get_stream (self->timeline),
                                        (guint64) index);
  scope_event_inspector_show (self->inspector, self->recorder, index, description);
  /* At once, its flap always revealed: the inspector sliding in while the
   * controls slid, libadwaita 1.2 left the events side unallocated for a
   * frame ("Trying to snapshot GtkBox without a current allocation") and
   * drew it blank. */
  gtk_widget_set_visible (GTK_WIDGET (self->inspector), index >= 0);
  make_room_for_events (self);
}

static void
on_timeline_selected (ScopeSocketsPage *self)
{
  gint64 index = scope_timeline_get_selected (self->timeline);

  show_in_inspector (self, index);
  scope_event_list_set_selected (self->event_list, index);
}

static void
on_list_selected (ScopeSocketsPage *self)
{
  gint64 index = scope_event_list_get_selected (self->event_list);

  show_in_inspector (self, index);
  if (index >= 0)
    scope_timeline_set_selected (self->timeline, index);
}

static void
on_view_changed (ScopeSocketsPage *self)
{
  gtk_widget_set_visible (self->timeline_tools,
                          g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack),
                                     "timeline") == 0);
}

/* Whether the controls are shown is the lecturer's choice, kept for the
 * next start, one for the desk and one for projector mode. A narrow window
 * shows them as they were left, over the events, as it showed the controls
 * first before; what is shown or hidden there, over the events, is no
 * choice to keep for a wide one. */
static const char *
controls_key (ScopeSocketsPage *self)
{
  return self->projector ? "projector-controls-revealed" : "controls-revealed";
}

static void
on_controls_revealed (ScopeSocketsPage *self)
{
  gboolean revealed = adw_flap_get_reveal_flap (self->controls_flap);

  if (!adw_flap_get_folded (self->controls_flap)
      && g_settings_get_boolean (self->settings, controls_key (self)) != revealed)
    g_settings_set_boolean (self->settings, controls_key (self), revealed);
}

static void
restore_controls (ScopeSocketsPage *self)
{
  if (self->controls_gave_way)
    give_way (self, FALSE);
  adw_flap_set_reveal_flap (self->controls_flap,
                            g_settings_get_boolean (self->settings, controls_key (self)));
}

/* Narrow: the controls fold over the events, and the tools go under the
 * switch between timeline and list. */
static void
on_folded (ScopeSocketsPage *self)
{
  GtkOrientation orientation = adw_flap_get_folded (self->controls_flap)
                               ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->view_bar), orientation);
  restore_controls (self);
}

/* F9 or the button: the controls shown or hidden; while they gave way
 * to the inspector, they come back at once. */
static void
show_or_hide_controls (ScopeSocketsPage *self)
{
  if (self->controls_gave_way)
    give_way (self, FALSE);
  else
    adw_flap_set_reveal_flap (self->controls_flap,
                              !adw_flap_get_reveal_flap (self->controls_flap));
  /* The button shows what the flap does, whatever its click made it. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->controls_button),
                                adw_flap_get_reveal_flap (self->controls_flap));
}

static void
controls_button_clicked (ScopeSocketsPage *self)
{
  show_or_hide_controls (self);
}

static gboolean
toggle_controls (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  show_or_hide_controls (SCOPE_SOCKETS_PAGE (widget));
  return TRUE;
}

static void
toast (ScopeSocketsPage *self,
       const char       *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
report_export_error (ScopeSocketsPage *self,
                     const GError     *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("The Session Was Not Exported"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  scope_message_dialog_present (ADW_MESSAGE_DIALOG (dialog));
}

static void
saved_toast (ScopeSocketsPage *self,
             const char       *name,
             const char       *truncation)
{
  /* Translators: a file name, then a sentence on what was past the payload cap */
  g_autofree char *message = g_strdup_printf (_("Saved “%s”. %s"), name, truncation);

  toast (self, message);
}

/* Only a long export shows how far it is: one written in a single buffer
 * is done before anyone could read a bar. */
static void
on_export_progress (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  ScopeSocketsPage *self = user_data;

  if (done < total)
    gtk_widget_set_visible (self->export_bar, TRUE);
  gtk_progress_bar_set_fraction (self->export_progress, total > 0 ? (double) done / total : 1.0);
}

static void
on_session_exported (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ScopeSocketsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *truncation = NULL;

  scope_export_file_commit_finish (SCOPE_RECORDER (object), result, &error);
  /* The page's rule (see scope-lookup-page.c), with one turn: a file once
   * renamed is written, whatever a late cancel says, so only the end knows
   * whether the user's Cancel came in time, and says it here. Abandoned
   * (unroot, dispose), cancelled or not, there is no one left to tell. */
  if (self->export_cancellable == NULL)
    return;

  name = g_steal_pointer (&self->export_name);
  truncation = g_steal_pointer (&self->export_truncation);
  g_clear_object (&self->export_cancellable);
  gtk_widget_set_visible (self->export_bar, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sockets.export", TRUE);
  if (error == NULL)
    {
      self->exported_n_events = self->export_n_events;
      saved_toast (self, name, truncation);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: a file name; the file the export would have replaced is as it was */
      g_autofree char *message = g_strdup_printf (_("Export cancelled: “%s” was not written."),
                                                  name);

      toast (self, message);
    }
  else
    report_export_error (self, error);
}

static void
export_cancel_clicked (ScopeSocketsPage *self)
{
  g_cancellable_cancel (self->export_cancellable);
}

/* A session being written stops, leaves no file behind, and is not said:
 * the page is leaving its window. */
static void
abandon_export (ScopeSocketsPage *self)
{
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_pointer (&self->export_name, g_free);
  g_clear_pointer (&self->export_truncation, g_free);
}

/**
 * scope_sockets_page_export:
 * @path: where to write; the extension says what: .pcapng, .csv, .json,
 *   .png or .svg
 *
 * Exports the session's events, or the timeline as an image. An image is
 * saved at once; the session goes on being written in the background, a
 * long one with its progress and a Cancel above the events, while the
 * page goes on recording and drawing. Either end is said in a toast, a
 * failure after this returns in a dialog.
 *
 * Returns: whether the export was saved or is under way; @error says why
 * not, in words for the user
 */
gboolean
scope_sockets_page_export (ScopeSocketsPage  *self,
                           const char        *path,
                           GError           **error)
{
  g_autofree char *label = NULL;
  ScopeExportFormat format;
  ScopeExportFile *file;

  g_return_val_if_fail (SCOPE_IS_SOCKETS_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  /* The export action is off while a session is written. */
  g_return_val_if_fail (self->export_cancellable == NULL, FALSE);

  scope_recorder_flush (self->recorder);
  if (!scope_export_format_from_path (path, &format))
    {
      g_autofree char *name = NULL;
      g_autofree char *truncation = NULL;

      if (!scope_timeline_save_image (self->timeline, path, error))
        return FALSE;
      name = g_filename_display_basename (path);
      truncation = scope_export_describe_truncation (self->recorder);
      saved_toast (self, name, truncation);
      return TRUE;
    }

  file = scope_export_file_open (path, format, error);
  if (file == NULL)
    return FALSE;
  self->export_cancellable = g_cancellable_new ();
  self->export_n_events = scope_recorder_get_n_events (self->recorder);
  self->export_name = g_filename_display_basename (path);
  self->export_truncation = scope_export_describe_truncation (self->recorder);
  /* Translators: a file name */
  label = g_strdup_printf (_("Exporting “%s”…"), self->export_name);
  gtk_label_set_text (self->export_label, label);
  gtk_progress_bar_set_fraction (self->export_progress, 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sockets.export", FALSE);
  scope_export_file_commit_async (file, self->recorder, on_export_progress, self,
                                  self->export_cancellable, on_session_exported,
                                  g_object_ref (self));
  return TRUE;
}

static void
on_export_response (GtkNativeDialog  *dialog,
                    int               response,
                    ScopeSocketsPage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->export_dialog);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file: choose a folder on this computer"), name);
      report_export_error (self, error);
      return;
    }
  if (!scope_sockets_page_export (self, path, &error))
    report_export_error (self, error);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ScopeSocketsPage *self = SCOPE_SOCKETS_PAGE (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  g_autofree char *name = g_strdup_printf ("sockscope-session.%s", format);
  GtkFileChooserNative *chooser;

  if (self->export_dialog != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export the Session"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  self->export_dialog = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->export_dialog);
}

/* New Session: the timeline and the list start empty, with a toast whose
 * Undo brings the session back; once the toast goes, the old events are
 * freed. */
static void
on_session_toast_undo (ScopeSocketsPage *self)
{
  scope_recorder_undo_begin_session (self->recorder);
}

static void
on_session_toast_dismissed (AdwToast         *toast,
                            ScopeSocketsPage *self)
{
  if (self->session_toast != toast)
    return;
  self->session_toast = NULL;
  g_clear_handle_id (&self->session_give_way_id, g_source_remove);
  /* A page going away keeps no session: nothing to commit. */
  if (self->recorder != NULL && scope_recorder_get_session_pending (self->recorder))
    scope_recorder_commit_session (self->recorder);
}

static void
begin_session (ScopeSocketsPage *self)
{
  AdwToast *toast;

  scope_recorder_flush (self->recorder);
  scope_timeline_set_selected (self->timeline, -1);
  /* A New Session still undoable is kept for good by this one; its toast
   * stays, and its Undo now undoes this one. (Dismissing it here could
   * catch it in its opening animation, which libadwaita 1.2 then frees
   * twice.) */
  scope_recorder_begin_session (self->recorder);
  /* Stopped at the event limit, the new session records again and is
   * kept for good: no Undo. */
  if (!scope_recorder_get_session_pending (self->recorder))
    {
      toast = adw_toast_new (_("New session: recording again"));
      adw_toast_set_timeout (toast, 5);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   toast);
      return;
    }
  if (self->session_toast != NULL)
    return;

  toast = adw_toast_new (_("New session"));
  adw_toast_set_button_label (toast, _("_Undo"));
  /* After a toast still shown, such as "Saved …", not over it: in
   * libadwaita 1.2 a toast pushed aside by a high priority one is later
   * freed twice. */
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_session_toast_undo), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_session_toast_dismissed), self, 0);
  self->session_toast = toast;
  self->session_shown_us = -1;
  g_clear_handle_id (&self->session_give_way_id, g_source_remove);
  self->session_give_way_id = g_timeout_add (250, session_toast_read, self);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * scope_sockets_page_has_unexported:
 *
 * Returns: whether the session holds events that no export since the last
 * New Session has held: what a New Session or closing would lose
 */
gboolean
scope_sockets_page_has_unexported (ScopeSocketsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_SOCKETS_PAGE (self), FALSE);

  scope_recorder_flush (self->recorder);
  return g_list_model_get_n_items (G_LIST_MODEL (self->recorder)) > 0
         && scope_recorder_get_n_events (self->recorder) != self->exported_n_events;
}

/**
 * scope_sockets_page_offer_export:
 *
 * Opens the export menu, its formats to choose from, as the timeline's
 * export button does.
 */
void
scope_sockets_page_offer_export (ScopeSocketsPage *self)
{
  g_return_if_fail (SCOPE_IS_SOCKETS_PAGE (self));

  gtk_menu_button_popup (self->export_button);
}

static void
on_new_session_response (AdwMessageDialog *dialog,
                         const char       *response,
                         ScopeSocketsPage *self)
{
  if (g_strcmp0 (response, "start") == 0)
    begin_session (self);
  else if (g_strcmp0 (response, "export") == 0)
    scope_sockets_page_offer_export (self);
}

/**
 * scope_sockets_page_new_session:
 *
 * Starts a clean session, as `win.new-session` does. Events recorded since
 * the last export are asked about first: Cancel, Export… or Start New
 * Session; either way a toast can undo it, unless recording had stopped at
 * the event limit, which the new session lifts.
 */
void
scope_sockets_page_new_session (ScopeSocketsPage *self)
{
  GtkWidget *dialog;

  g_return_if_fail (SCOPE_IS_SOCKETS_PAGE (self));

  if (!scope_sockets_page_has_unexported (self))
    {
      begin_session (self);
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Start a New Session?"),
                                   scope_recorder_get_state (self->recorder)
                                   == SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT
                                   ? _("The events since the last export were not exported. "
                                       "The timeline and the list start empty, and recording "
                                       "starts again: this cannot be undone.")
                                   : _("The events since the last export were not exported. "
                                       "The timeline and the list start empty; Undo brings "
                                       "them back while its note is shown."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("_Export…"),
                                    "start", _("_Start New Session"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_session_response), self, 0);
  scope_message_dialog_present (ADW_MESSAGE_DIALOG (dialog));
}

ScopeTimeline *
scope_sockets_page_get_timeline (ScopeSocketsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_SOCKETS_PAGE (self), NULL);

  return self->timeline;
}

static const char *
servers_description (void)
{
  return _("Each listens on this machine only, unless you choose all interfaces.");
}

/**
 * scope_sockets_page_set_projector:
 * @menu: (nullable): the window's main menu, shown on the events' bar in
 *   projector mode, where the header bar is hidden; F10 opens it
 *
 * For the back of a lecture hall: everything a scenario needs, in large
 * type, the controls in a wider flap shown or hidden as the lecturer last
 * left them in projector mode.
 */
void
scope_sockets_page_set_projector (ScopeSocketsPage *self,
                                  gboolean          projector,
                                  GMenuModel       *menu)
{
  g_return_if_fail (SCOPE_IS_SOCKETS_PAGE (self));
  g_return_if_fail (menu == NULL || G_IS_MENU_MODEL (menu));

  self->projector = projector;
  /* Two lines that a room need not read: in projector mode, a tooltip. */
  adw_preferences_group_set_description (self->servers_group,
                                         projector ? NULL : servers_description ());
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->servers_group),
                               projector ? servers_description () : NULL);
  gtk_widget_set_visible (self->leave_projector_button, projector);
  gtk_menu_button_set_menu_model (self->projector_menu_button, projector ? menu : NULL);
  gtk_menu_button_set_primary (self->projector_menu_button, projector && menu != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->projector_menu_button), projector && menu != NULL);
  /* The column and the client's pinned part under it, one width. */
  for (guint i = 0; i < 2; i++)
    {
      AdwClamp *clamp = i == 0 ? self->controls_clamp : self->composer_clamp;

      adw_clamp_set_maximum_size (clamp, projector ? 480 : 400);
      adw_clamp_set_tightening_threshold (clamp, projector ? 480 : 400);
    }
  restore_controls (self);
  make_room_for_events (self);
  if (projector)
    gtk_stack_set_visible_child_name (self->view_stack, "timeline");
  scope_timeline_set_projector (self->timeline, projector);
  if (projector)
    gtk_widget_add_css_class (GTK_WIDGET (self), "projector");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "projector");
}

ScopeRecorder *
scope_sockets_page_get_recorder (ScopeSocketsPage *self)
{
  g_return_val_if_fail (SCOPE_IS_SOCKETS_PAGE (self), NULL);

  return self->recorder;
}

/* The export keeps the page alive until it ends: a page whose window
 * closes would otherwise write on, with no window to say it in, and the
 * app might quit half-way through. */
static void
scope_sockets_page_unroot (GtkWidget *widget)
{
  abandon_export (SCOPE_SOCKETS_PAGE (widget));
  GTK_WIDGET_CLASS (scope_sockets_page_parent_class)->unroot (widget);
}

static void
scope_sockets_page_dispose (GObject *object)
{
  ScopeSocketsPage *self = SCOPE_SOCKETS_PAGE (object);

  if (self->flush_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->flush_tick);
  self->flush_tick = 0;
  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_tick);
  self->reveal_tick = 0;
  g_clear_handle_id (&self->session_give_way_id, g_source_remove);
  g_clear_handle_id (&self->flush_idle, g_source_remove);
  if (self->export_dialog != NULL)
    gtk_native_dialog_destroy (self->export_dialog);
  g_clear_object (&self->export_dialog);
  abandon_export (self);
  /* The servers record their closes as the rows go, after this, and stop
   * with no client panel left to tell. */
  if (self->recorder != NULL)
    g_signal_handlers_disconnect_by_data (self->recorder, self);
  for (guint kind = 0; kind < SCOPE_SERVER_N_KINDS; kind++)
    if (self->rows[kind] != NULL)
      g_signal_handlers_disconnect_by_data (scope_server_row_get_server (self->rows[kind]), self);
  memset (self->rows, 0, sizeof self->rows);
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
  widget_class->unroot = scope_sockets_page_unroot;

  g_type_ensure (SCOPE_TYPE_CLIENT_PANEL);
  g_type_ensure (SCOPE_TYPE_EVENT_LIST);
  g_type_ensure (SCOPE_TYPE_EVENT_INSPECTOR);
  g_type_ensure (SCOPE_TYPE_TIMELINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-sockets-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, controls_flap);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, controls_scroller);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, controls_clamp);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, composer_clamp);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, composer_slot);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, inspector_flap);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, controls_button);
  gtk_widget_class_bind_template_callback (widget_class, controls_button_clicked);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, servers_group);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, client_panel);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, view_bar);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, timeline_tools);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, timeline_follow_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, timeline);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, event_list);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, inspector);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, stop_note);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, stop_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, stop_counts_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, leave_projector_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, projector_menu_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, export_bar);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, export_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeSocketsPage, export_progress);
  gtk_widget_class_bind_template_callback (widget_class, export_cancel_clicked);

  gtk_widget_class_install_action (widget_class, "sockets.export", "s", export_activated);
}

/* The client's state, Connect, payload and Send, pinned under the column:
 * a running server's rows and Received push the rest down, never them
 * (at 1280×800 a started server put Send below the window). The panel
 * drives them still; they are its template's, only shown here. */
static void
pin_composer (ScopeSocketsPage *self)
{
  GtkWidget *composer = scope_client_panel_get_composer (self->client_panel);

  g_object_ref (composer);
  gtk_widget_unparent (composer);
  adw_bin_set_child (self->composer_slot, composer);
  g_object_unref (composer);
}

/* A switch clicked takes the focus, as a button does: GTK 4.8's leaves
 * it where it was, and after the Read Buffer's field the lecturer's next
 * 0 (Show All) went into the number, 4096 becoming 40960 (the fifth
 * trial). Seen in the capture phase, the click itself goes on. */
static void
on_controls_pressed (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     gpointer         user_data)
{
  GtkWidget *column = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  for (GtkWidget *widget = gtk_widget_pick (column, x, y, GTK_PICK_DEFAULT);
       widget != NULL && widget != column; widget = gtk_widget_get_parent (widget))
    if (GTK_IS_SWITCH (widget))
      {
        gtk_widget_grab_focus (widget);
        return;
      }
}

/* What came back is seen without scrolling for it: Received lies in the
 * column under the client's options, and after Send a lecturer at 1280 px
 * saw the client's state and the payload, the reply below the fold (the
 * tenth trial). Once the new block is laid out, the column scrolls to
 * Received's heading and its blocks, or where they are taller than it, to
 * their end, unless the pointer is over the column: nothing moves under
 * it. */
static gboolean
reveal_received (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  ScopeSocketsPage *self = user_data;
  GtkWidget *area = scope_client_panel_get_received_area (self->client_panel);
  GtkWidget *list = gtk_widget_get_last_child (area);
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->controls_scroller);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->controls_scroller);
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  graphene_rect_t heading, blocks;
  double top, newest, target;

  /* Received grows to fit its blocks over the next frames, as its own
   * scroll follows them: each frame until it is in sight, for a few */
  if (self->reveal_frames-- == 0
      || gtk_event_controller_motion_contains_pointer (
           GTK_EVENT_CONTROLLER_MOTION (self->column_motion))
      || !gtk_widget_compute_bounds (area, viewport, &heading)
      || !gtk_widget_compute_bounds (list, viewport, &blocks))
    {
      self->reveal_tick = 0;
      return G_SOURCE_REMOVE;
    }
  /* In the column's own coordinates, from its top. The heading and the
   * blocks, where they fit together; else the blocks' end, where the
   * newest is: at 1280×800 in projector mode the heading and the two
   * older blocks were shown, the newest cut at the column's foot (the
   * thirteenth trial). */
  top = heading.origin.y + value;
  newest = blocks.origin.y + blocks.size.height + value;
  target = newest - top <= page ? MIN (top, MAX (value, newest - page)) : newest - page;
  if (fabs (target - value) >= 1)
    gtk_adjustment_set_value (adjustment, target);
  return G_SOURCE_CONTINUE;
}

static void
on_received (ScopeSocketsPage *self)
{
  self->reveal_frames = 10;
  if (self->reveal_tick == 0)
    self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_received, self,
                                                      NULL);
}

/* The column grew shorter with Received's end in sight, as the client's
 * pinned part under it grew: its state took a line more (S15's "The peer
 * has finished sending" in projector mode), and the newest reply was cut
 * at the column's foot (the thirteenth trial). It is brought back into
 * sight. Not when the window grew shorter: the column stays as it was. */
static void
on_column_changed (GtkAdjustment    *adjustment,
                   ScopeSocketsPage *self)
{
  GtkWidget *area = scope_client_panel_get_received_area (self->client_panel);
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->controls_scroller);
  GtkWidget *composer = GTK_WIDGET (self->composer_slot);
  double page = gtk_adjustment_get_page_size (adjustment);
  double was = self->column_page;
  int composer_was = self->composer_height;
  graphene_rect_t bounds;

  self->column_page = page;
  gtk_widget_measure (composer, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (composer) > 0
                                                          ? gtk_widget_get_width (composer) : -1,
                      NULL, &self->composer_height, NULL, NULL);
  if (page < was && self->composer_height > composer_was && gtk_widget_get_mapped (area)
      && gtk_widget_compute_bounds (area, viewport, &bounds)
      && bounds.origin.y + bounds.size.height <= was + 1
      && bounds.origin.y + bounds.size.height > page)
    on_received (self);
}

static void
scope_sockets_page_init (ScopeSocketsPage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkGesture *press = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The controls' column gives each control its natural height and
   * scrolls past the window's: Received grows with what came, up to 320
   * px, where the viewport's default, the least height, kept it at 72 px
   * (found by the lecture test and both trials). */
  gtk_scrollable_set_vscroll_policy (
    GTK_SCROLLABLE (gtk_scrolled_window_get_child (self->controls_scroller)),
    GTK_SCROLL_NATURAL);
  pin_composer (self);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (press), GTK_PHASE_CAPTURE);
  g_signal_connect (press, "pressed", G_CALLBACK (on_controls_pressed), NULL);
  gtk_widget_add_controller (GTK_WIDGET (self->controls_scroller), GTK_EVENT_CONTROLLER (press));
  self->column_motion = gtk_event_controller_motion_new ();
  gtk_widget_add_controller (GTK_WIDGET (self->controls_scroller), self->column_motion);
  /* F9 wherever the focus is in the window, as in Files or Builder; and
   * the view's keys wherever it is on the page. */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F9, 0),
                      gtk_callback_action_new (toggle_controls, NULL, NULL)));
  scope_timeline_add_page_shortcuts (self->timeline, GTK_SHORTCUT_CONTROLLER (shortcuts));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  /* The limits and counts as they are: no hyphen where a line breaks. */
  scope_text_label_no_hyphens (self->stop_label);
  scope_text_label_no_hyphens (self->stop_counts_label);

  self->recorder = scope_recorder_new ();
  scope_recorder_set_autoflush (self->recorder, FALSE);
  g_signal_connect_object (self->recorder, "pending", G_CALLBACK (on_events_pending), self,
                           G_CONNECT_SWAPPED);
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::payload-cap-mib",
                           G_CALLBACK (apply_payload_cap), self, G_CONNECT_SWAPPED);
  apply_payload_cap (self);
  g_signal_connect_object (self->settings, "changed::event-limit",
                           G_CALLBACK (apply_event_limit), self, G_CONNECT_SWAPPED);
  apply_event_limit (self);
  g_signal_connect_object (self->recorder, "notify::state", G_CALLBACK (update_stop_note), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->recorder, "notify::dropped-events",
                           G_CALLBACK (update_stop_counts), self, G_CONNECT_SWAPPED);

  adw_preferences_group_set_description (self->servers_group, servers_description ());
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
      for (guint i = 0; i < G_N_ELEMENTS (user_options); i++)
        g_signal_connect_object (scope_server_row_get_server (self->rows[kind]), user_options[i],
                                 G_CALLBACK (on_server_option), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->settings, "changed::idle-timeout",
                           G_CALLBACK (apply_idle_timeout), self, G_CONNECT_SWAPPED);
  apply_idle_timeout (self);

  scope_client_panel_set_recorder (self->client_panel, self->recorder);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->controls_scroller),
                           "changed", G_CALLBACK (on_column_changed), self, 0);
  g_signal_connect_object (self->client_panel, "received", G_CALLBACK (on_received), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client_panel, "protocol-chosen",
                           G_CALLBACK (on_protocol_chosen), self, G_CONNECT_SWAPPED);
  scope_event_list_set_recorder (self->event_list, self->recorder);
  scope_timeline_set_recorder (self->timeline, self->recorder);
  scope_event_inspector_show (self->inspector, self->recorder, -1, NULL);

  /* The buttons above the timeline name its actions: zoom, show all, follow. */
  gtk_widget_insert_action_group (GTK_WIDGET (self), "timeline",
                                  scope_timeline_get_actions (self->timeline));
  g_signal_connect_object (self->timeline, "notify::selected",
                           G_CALLBACK (on_timeline_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->event_list, "notify::selected",
                           G_CALLBACK (on_list_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_view_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controls_flap, "notify::folded",
                           G_CALLBACK (on_folded), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controls_flap, "notify::reveal-flap",
                           G_CALLBACK (on_controls_revealed), self, G_CONNECT_SWAPPED);
  on_view_changed (self);
  on_folded (self);
}
