/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "scope-error-box.h"
#include "scope-port-facts.h"
#include "scope-port-rows.h"
#include "scope-port-status.h"
#include "scope-port-status-view.h"
#include "scope-resolver.h"
#include "scope-rows.h"
#include "scope-services.h"

/* The Status part of the Ports page: whether a port is free here, a
 * connect check of a host's ports, and the listening sockets of this
 * machine. */

/* A small range shows every port; a big one only those that are not
 * refused, which are counted. */
#define CHECK_SHOW_ALL 32

/* What the protocol row's items choose, in their order in the template. */
typedef enum
{
  STATUS_PROTOCOL_TCP,
  STATUS_PROTOCOL_UDP,
} StatusProtocol;

struct _ScopePortStatusView
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwEntryRow       *status_port_row;
  AdwComboRow       *status_proto_row;
  ScopeErrorBox     *status_error;
  GtkListBox        *status_list;
  AdwEntryRow       *check_host_row;
  AdwEntryRow       *check_ports_row;
  GtkWidget         *check_button;
  GtkSpinner        *check_spinner;
  GtkWidget         *check_cancel_button;
  GtkLabel          *check_summary;
  ScopeErrorBox     *check_error;
  GtkListBox        *check_list;
  GtkListBox        *listening_list;

  /* Owned */
  GCancellable      *status_cancellable;
  GCancellable      *listening_cancellable;
  GCancellable      *check_cancellable;
  ScopeConnectCheck *check;
  gint64             check_started;
  guint              check_ports;
  guint              check_counts[SCOPE_CONNECT_FAILED + 1];
  gboolean           listening_loaded;
};

G_DEFINE_FINAL_TYPE (ScopePortStatusView, scope_port_status_view, ADW_TYPE_BIN)

/* ------------------------------------------------------------------------ */
/* Is this port free?                                                       */

/* Above the bind probes, the port's class, whether it is privileged here
 * and whether it is in the ephemeral range, as the command line's "port"
 * says them: a port no service is named for has them too. */
static void
show_port_facts (ScopePortStatusView *self,
                 guint                port,
                 gboolean             udp)
{
  g_autoptr(ScopeReport) facts = scope_port_facts (port,
                                                   udp ? SCOPE_PORT_FACTS_UDP
                                                       : SCOPE_PORT_FACTS_TCP,
                                                   NULL);
  ScopeReportSection *rows = scope_report_find_section (facts, "facts");

  for (guint i = scope_report_section_get_n_rows (rows); i-- > 0;)
    gtk_list_box_insert (self->status_list, scope_rows_report_new (rows, i), 0);
}

static void
on_status_check (ScopePortStatusView *self)
{
  g_autoptr(GError) error = NULL;
  gboolean udp = adw_combo_row_get_selected (self->status_proto_row) == STATUS_PROTOCOL_UDP;
  guint port;

  if (!scope_port_parse (gtk_editable_get_text (GTK_EDITABLE (self->status_port_row)), &port,
                         &error)
      || !scope_port_require_nonzero (port, &error))
    {
      g_cancellable_cancel (self->status_cancellable);
      scope_rows_clear (self->status_list);
      gtk_widget_set_visible (GTK_WIDGET (self->status_list), FALSE);
      scope_error_box_show (self->status_error, error->message);
      return;
    }
  scope_error_box_show (self->status_error, NULL);
  scope_port_rows_show_status (self->status_list, &self->status_cancellable, port, !udp, udp,
                               0);
  show_port_facts (self, port, udp);
}

static void
on_status_port_edited (ScopePortStatusView *self)
{
  scope_error_box_show (self->status_error, NULL);
}

static void
on_status_proto_changed (ScopePortStatusView *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->status_list)))
    on_status_check (self);
}

/* ------------------------------------------------------------------------ */
/* The connect check                                                        */

static void
set_checking (ScopePortStatusView *self,
              gboolean             checking)
{
  /* Keyboard focus goes from the button that goes away to the one that
   * comes: Check to Cancel, and back. */
  GtkWidget *leaving = checking ? self->check_button : self->check_cancel_button;
  GtkWidget *coming = checking ? self->check_cancel_button : self->check_button;
  gboolean had_focus = gtk_widget_has_focus (leaving);

  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), checking);
  gtk_spinner_set_spinning (self->check_spinner, checking);
  gtk_widget_set_visible (self->check_cancel_button, checking);
  gtk_widget_set_sensitive (self->check_button, !checking);
  if (had_focus)
    gtk_widget_grab_focus (coming);
}

static void
update_check_summary (ScopePortStatusView *self,
                      gboolean             done)
{
  guint checked = 0;
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (self->check_counts); i++)
    checked += self->check_counts[i];
  /* Translators: how many ports were open, refused, filtered and failed */
  counts = g_strdup_printf (_("%u open, %u refused, %u filtered, %u failed"),
                            self->check_counts[SCOPE_CONNECT_OPEN],
                            self->check_counts[SCOPE_CONNECT_REFUSED],
                            self->check_counts[SCOPE_CONNECT_FILTERED],
                            self->check_counts[SCOPE_CONNECT_FAILED]);
  if (done)
    {
      double seconds = (g_get_monotonic_time () - self->check_started) / 1e6;

      if (seconds < 1)
        /* Translators: the counts of each state, the address, then a duration */
        text = g_strdup_printf (_("%s at %s, in %.0f ms"), counts,
                                scope_connect_check_get_address (self->check), seconds * 1000);
      else
        /* Translators: the counts of each state, the address, then a duration */
        text = g_strdup_printf (_("%s at %s, in %.1f s"), counts,
                                scope_connect_check_get_address (self->check), seconds);
    }
  else
    /* Translators: ports checked so far, of how many, then the counts */
    text = g_strdup_printf (_("%u of %u checked: %s"), checked,
                            self->check_ports
                            * MAX (scope_connect_check_get_n_addresses (self->check), 1),
                            counts);
  gtk_label_set_text (self->check_summary, text);
}

static void
on_port_checked (ScopeConnectCheck   *check,
                 ScopeConnectResult  *result,
                 ScopePortStatusView *self)
{
  self->check_counts[result->state]++;
  update_check_summary (self, FALSE);
  if (check != self->check)
    return;
  if (self->check_ports <= CHECK_SHOW_ALL || result->state != SCOPE_CONNECT_REFUSED)
    {
      g_autofree char *port = NULL;
      /* Translators: a connect check's result, then how long it took in ms */
      g_autofree char *detail = g_strdup_printf (_("%s, in %.1f ms"),
                                                 scope_connect_state_get_title (result->state),
                                                 result->elapsed_us / 1000.0);
      g_autofree char *full = result->message != NULL
                              ? g_strdup_printf ("%s. %s", detail, result->message)
                              : g_strdup (detail);
      GtkWidget *row;

      /* With several addresses (localhost is ::1 and 127.0.0.1), which. */
      port = scope_connect_check_get_n_addresses (check) > 1
             /* Translators: a port, then the address it was checked at */
             ? g_strdup_printf (_("%u on %s"), result->port, result->address)
             : g_strdup_printf ("%u", result->port);
      row = scope_rows_fact_new (port, full);
      gtk_widget_add_css_class (row, "scope-result-row");
      gtk_widget_add_css_class (row, scope_connect_state_to_string (result->state));
      scope_rows_append (self->check_list, row);
    }
}

/* The callbacks keep the view alive: see scope-lookup-page.c. */
static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ScopePortStatusView) self = user_data;
  ScopeConnectCheck *check = SCOPE_CONNECT_CHECK (object);
  g_autoptr(GError) error = NULL;

  scope_connect_check_run_finish (check, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Not cancelled, so not replaced: this is the view's check. */
  g_return_if_fail (check == self->check);
  set_checking (self, FALSE);
  if (error != NULL)
    {
      gtk_label_set_text (self->check_summary, "");
      scope_error_box_show (self->check_error, error->message);
    }
  else
    update_check_summary (self, TRUE);
}

static void
stop_check (ScopePortStatusView *self)
{
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
}

/* An error says what was wrong with the text checked: once that text is
 * edited, it no longer speaks of what the fields hold. */
static void
on_check_input_edited (ScopePortStatusView *self)
{
  scope_error_box_show (self->check_error, NULL);
}

static void
on_check_clicked (ScopePortStatusView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (
                                                  GTK_EDITABLE (self->check_host_row))));
  guint first, last;

  stop_check (self);
  scope_rows_clear (self->check_list);
  gtk_widget_set_visible (GTK_WIDGET (self->check_list), FALSE);
  gtk_label_set_text (self->check_summary, "");
  set_checking (self, FALSE);
  if (!scope_resolver_validate_host (host, &error)
      || !scope_port_range_parse (gtk_editable_get_text (GTK_EDITABLE (self->check_ports_row)),
                                  SCOPE_CONNECT_CHECK_MAX_PORTS, &first, &last, &error)
      || !scope_port_require_nonzero (first, &error))
    {
      scope_error_box_show (self->check_error, error->message);
      return;
    }
  scope_error_box_show (self->check_error, NULL);

  memset (self->check_counts, 0, sizeof self->check_counts);
  self->check_ports = last - first + 1;
  self->check_started = g_get_monotonic_time ();
  self->check = scope_connect_check_new (host, first, last, SCOPE_CONNECT_CHECK_TIMEOUT_MS, 0);
  self->check_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->check, "port-checked", G_CALLBACK (on_port_checked), self, 0);
  set_checking (self, TRUE);
  update_check_summary (self, FALSE);
  scope_connect_check_run_async (self->check, self->check_cancellable, check_done,
                                 g_object_ref (self));
}

static void
on_check_cancel_clicked (ScopePortStatusView *self)
{
  /* Translators: what was known when a check was stopped */
  g_autofree char *counts = g_strdup_printf (_("Cancelled. %s"),
                                             gtk_label_get_text (self->check_summary));

  /* Said here: check_done, cancelled, says nothing. */
  stop_check (self);
  set_checking (self, FALSE);
  gtk_label_set_text (self->check_summary, counts);
  gtk_widget_grab_focus (self->check_button);
}

/* ------------------------------------------------------------------------ */
/* The listening sockets                                                    */

static void
listening_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ScopePortStatusView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = scope_listening_sockets_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  scope_rows_clear (self->listening_list);
  if (entries == NULL)
    {
      scope_rows_append (self->listening_list,
                         scope_rows_fact_new (_("The sockets cannot be listed"),
                                              error->message));
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    scope_rows_append (self->listening_list,
                       scope_port_rows_socket_new (g_ptr_array_index (entries, i)));
  if (entries->len == 0)
    scope_rows_append (self->listening_list, scope_rows_fact_new (_("Nothing listens"), NULL));
}

static void
load_listening (ScopePortStatusView *self)
{
  g_cancellable_cancel (self->listening_cancellable);
  g_clear_object (&self->listening_cancellable);
  self->listening_cancellable = g_cancellable_new ();
  self->listening_loaded = TRUE;
  scope_listening_sockets_async (SCOPE_ALL_PORTS, self->listening_cancellable, listening_loaded,
                                 g_object_ref (self));
}

static void
on_refresh_listening_clicked (ScopePortStatusView *self)
{
  load_listening (self);
}

/* ------------------------------------------------------------------------ */

/* /proc is read when someone first looks, not at start-up. */
static void
scope_port_status_view_map (GtkWidget *widget)
{
  ScopePortStatusView *self = SCOPE_PORT_STATUS_VIEW (widget);

  GTK_WIDGET_CLASS (scope_port_status_view_parent_class)->map (widget);
  if (!self->listening_loaded)
    load_listening (self);
}

/* What the view waits for stops; the listening sockets are read again at
 * the next map. */
static void
stop_work (ScopePortStatusView *self)
{
  g_cancellable_cancel (self->status_cancellable);
  g_cancellable_cancel (self->listening_cancellable);
  g_clear_object (&self->status_cancellable);
  g_clear_object (&self->listening_cancellable);
  self->listening_loaded = FALSE;
  stop_check (self);
}

/* A view that leaves its window stops its connect check: the reference the
 * check's callback holds would otherwise keep it knocking for no one. */
static void
scope_port_status_view_unroot (GtkWidget *widget)
{
  stop_work (SCOPE_PORT_STATUS_VIEW (widget));
  GTK_WIDGET_CLASS (scope_port_status_view_parent_class)->unroot (widget);
}

static void
scope_port_status_view_dispose (GObject *object)
{
  ScopePortStatusView *self = SCOPE_PORT_STATUS_VIEW (object);

  stop_work (self);
  /* The bin's child is a template child: see scope-lookup-page.c. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_PORT_STATUS_VIEW);

  G_OBJECT_CLASS (scope_port_status_view_parent_class)->dispose (object);
}

static void
scope_port_status_view_class_init (ScopePortStatusViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_port_status_view_dispose;
  widget_class->map = scope_port_status_view_map;
  widget_class->unroot = scope_port_status_view_unroot;

  g_type_ensure (SCOPE_TYPE_ERROR_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-port-status-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, status_port_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, status_proto_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, status_error);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, status_list);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, check_host_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, check_ports_row);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, check_button);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, check_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, check_summary);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, check_error);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, check_list);
  gtk_widget_class_bind_template_child (widget_class, ScopePortStatusView, listening_list);
  gtk_widget_class_bind_template_callback (widget_class, on_status_check);
  gtk_widget_class_bind_template_callback (widget_class, on_status_proto_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_check_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_check_input_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_status_port_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_check_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_listening_clicked);
}

static void
scope_port_status_view_init (ScopePortStatusView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
