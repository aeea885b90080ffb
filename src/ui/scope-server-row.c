/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "scope-payload.h"
#include "scope-server-row.h"
#include "scope-text.h"

/* One kind of server: a switch that starts and stops it, and its options
 * below, folded. While it runs only where it listens is locked (bind
 * address, path); the read buffer, the maximum and the two pause switches
 * act at once; a port, backlog or message changed takes effect with
 * "Restart with These Settings", in one step.
 *
 * What a scenario does with a running server (S11's read buffer, S14's
 * Pause Reading, S17's Pause Accepting) is shown under its header while it
 * runs, out of the fold, without opening it: opened at the start, the
 * options pushed the client's Connect and Send below a 1920×1080 window
 * and moved the column under the pointer (issue 15). */

struct _ScopeServerRow
{
  AdwExpanderRow parent_instance;

  /* Template widgets */
  GtkSwitch     *run_switch;
  GtkWidget     *restart_row;
  AdwComboRow   *bind_row;
  AdwActionRow  *port_row;
  AdwEntryRow   *path_row;
  AdwEntryRow   *message_row;
  AdwActionRow  *backlog_row;
  AdwActionRow  *buffer_row;
  AdwActionRow  *max_row;
  AdwActionRow  *pause_accepting_row;
  AdwActionRow  *pause_reading_row;
  GtkSpinButton *port_spin;
  GtkSpinButton *backlog_spin;
  GtkSpinButton *buffer_spin;
  GtkSpinButton *max_spin;
  GtkSwitch     *pause_accepting_switch;
  GtkSwitch     *pause_reading_switch;
  GtkListBox    *live_list;  /* under the header: the live rows, while it runs */

  /* Owned */
  ScopeServer   *server;
  ScopeRecorder *recorder;
  ScopeServerKind kind;
  char          *error_text;
  gboolean       needs_restart;  /* an option changed that applies at a restart */
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_RECORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeServerRow, scope_server_row, ADW_TYPE_EXPANDER_ROW)

/* The rows of the bind combo, as the server's bind-address and ipv6-only
 * name them. The first three are this machine alone, which
 * scope_server_describe_exposure() says for itself. */
static const struct
{
  const char *address;
  gboolean    ipv6_only;
} bind_choices[] = {
  { "127.0.0.1", FALSE },
  { "::1", FALSE },
  { "loopback", FALSE },
  { "::", FALSE },        /* dual-stack: IPv4 and IPv6 */
  { "0.0.0.0", FALSE },
  { "::", TRUE },
};

/* "· 6 waiting to be accepted, backlog 5": S17's queue, seen while
 * accepting is paused; or that the system does not say. */
static char *
describe_queue (ScopeServerRow *self)
{
  guint waiting, limit;

  /* The queue is watched on TCP listeners only: a UDP server has none, and
   * a Unix one's is not told. */
  if (scope_server_kind_get_protocol (self->kind) != SCOPE_PROTOCOL_TCP)
    return NULL;
  if (!scope_server_get_accept_queue (self->server, &waiting, &limit))
    return g_strdup (_("this system does not say how many wait to be accepted"));
  /* Translators: connections the kernel holds for accept(), then the listen backlog */
  return g_strdup_printf (ngettext ("%u waiting to be accepted, backlog %u",
                                    "%u waiting to be accepted, backlog %u", waiting),
                          waiting, limit);
}

static void
update_subtitle (ScopeServerRow *self)
{
  g_autofree char *text = NULL;

  if (scope_server_get_running (self->server))
    {
      g_auto(GStrv) addresses = scope_server_dup_listening_addresses (self->server);
      g_autofree char *joined = g_strjoinv (", ", addresses);
      g_autofree char *queue = describe_queue (self);
      const char *fallback = scope_server_get_fallback_reason (self->server);
      guint n = scope_server_get_n_connections (self->server);
      GString *line = g_string_new (NULL);

      if (scope_server_kind_get_protocol (self->kind) == SCOPE_PROTOCOL_UDP)
        /* Translators: %s is one or more addresses, e.g. 127.0.0.1:50000 */
        g_string_append_printf (line, _("Listening on %s"), joined);
      else
        /* Translators: %s is one or more addresses, %u a number of connections */
        g_string_append_printf (line, ngettext ("Listening on %s · %u connection",
                                                "Listening on %s · %u connections", n),
                                joined, n);
      if (queue != NULL)
        g_string_append_printf (line, " · %s", queue);
      /* Why not the notes' port, on a line of its own. */
      if (fallback != NULL)
        g_string_append_printf (line, "\n%s", fallback);
      /* Why a restart did not take, while it runs on as it was. */
      if (self->error_text != NULL)
        g_string_append_printf (line, "\n%s", self->error_text);
      text = g_string_free (line, FALSE);
    }
  else if (self->error_text != NULL)
    text = g_strdup (self->error_text);
  else
    text = g_strdup (_("Stopped"));

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), text);
}

static gboolean run_switch_state_set (ScopeServerRow *self,
                                      gboolean        state,
                                      GtkSwitch      *sw);

static void
update_sensitivity (ScopeServerRow *self)
{
  gboolean stopped = !scope_server_get_running (self->server);

  /* Where it listens is what it is: that changes only when it is stopped. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->bind_row), stopped);
  gtk_widget_set_sensitive (GTK_WIDGET (self->path_row), stopped);
  if (stopped)
    self->needs_restart = FALSE;
  gtk_widget_set_visible (self->restart_row, !stopped && self->needs_restart);
}

/* A port, backlog or message changed while running applies at a restart. */
static void
on_restart_option_changed (ScopeServerRow *self)
{
  if (!scope_server_get_running (self->server))
    return;
  self->needs_restart = TRUE;
  update_sensitivity (self);
}

/* The rows that act at once on a running server, in the fold's order. */
static GtkWidget **
live_rows (ScopeServerRow *self,
           GtkWidget      *rows[3])
{
  rows[0] = GTK_WIDGET (self->buffer_row);
  rows[1] = GTK_WIDGET (self->pause_accepting_row);
  rows[2] = GTK_WIDGET (self->pause_reading_row);
  return rows;
}

/* The live rows under the header while the server runs, in the fold while
 * it is stopped (set there before a start). The same rows move: one
 * switch each, by the names a screen reader and the tests know them. */
static void
place_live_rows (ScopeServerRow *self,
                 gboolean        running)
{
  GtkWidget *rows[3];

  if (self->live_list == NULL)
    return;
  live_rows (self, rows);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gboolean live = gtk_widget_get_parent (rows[i]) == GTK_WIDGET (self->live_list);

      if (live == running)
        continue;
      g_object_ref (rows[i]);
      if (live)
        {
          gtk_list_box_remove (self->live_list, rows[i]);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (self), rows[i]);
        }
      else
        {
          adw_expander_row_remove (ADW_EXPANDER_ROW (self), rows[i]);
          gtk_list_box_append (self->live_list, rows[i]);
        }
      g_object_unref (rows[i]);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->live_list), running);
}

static void
on_server_changed (ScopeServerRow *self)
{
  gboolean running = scope_server_get_running (self->server);

  g_signal_handlers_block_by_func (self->run_switch, run_switch_state_set, self);
  gtk_switch_set_active (self->run_switch, running);
  gtk_switch_set_state (self->run_switch, running);
  g_signal_handlers_unblock_by_func (self->run_switch, run_switch_state_set, self);
  update_sensitivity (self);
  update_subtitle (self);
  place_live_rows (self, running);
}

/* The choice shown under "Listen On", whole, and who can connect then:
 * in the row's button it was cut to "127.0.0.1 (IPv4 loop…", "12…" in
 * projector mode (the tenth trial). Exposure is a choice the user makes
 * knowingly: naming the addresses. The core decides what is exposed, from
 * the address, as for the CLI. */
static char *
bind_choice_text (GObject        *item,
                  ScopeServerRow *self)
{
  GListModel *model = adw_combo_row_get_model (self->bind_row);
  g_autofree char *exposure = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bind_choices) && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) choice = g_list_model_get_item (model, i);

      if (choice == item)
        exposure = scope_server_describe_exposure (bind_choices[i].address,
                                                   bind_choices[i].ipv6_only);
    }
  return g_strdup_printf ("%s\n%s", gtk_string_object_get_string (GTK_STRING_OBJECT (item)),
                          exposure != NULL ? exposure : _("Only this machine can connect"));
}

/* The list of choices names each alone, the chosen one ticked, as
 * libadwaita's own list does. */
static void
bind_item_setup (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("object-select-symbolic"));
  gtk_list_item_set_child (item, box);
}

static void
bind_item_chosen (AdwComboRow *combo,
                  GParamSpec  *pspec,
                  GtkListItem *item)
{
  GtkWidget *tick = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (tick,
                          adw_combo_row_get_selected_item (combo) == gtk_list_item_get_item (item));
}

static void
bind_item_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                ScopeServerRow           *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
  /* Its own pointer to the row: the template's may be cleared before the
   * list's items are unbound */
  g_object_set_data (G_OBJECT (item), "combo-row", self->bind_row);
  g_signal_connect (self->bind_row, "notify::selected-item", G_CALLBACK (bind_item_chosen), item);
  bind_item_chosen (self->bind_row, NULL, item);
}

static void
bind_item_unbind (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  ScopeServerRow           *self)
{
  gpointer combo = g_object_get_data (G_OBJECT (item), "combo-row");

  if (combo != NULL)
    g_signal_handlers_disconnect_by_func (combo, bind_item_chosen, item);
  g_object_set_data (G_OBJECT (item), "combo-row", NULL);
}

/* The options the server reads when it starts, from the rows. */
static gboolean
apply_start_options (ScopeServerRow  *self,
                     GError         **error)
{
  guint selected = adw_combo_row_get_selected (self->bind_row);

  if (selected < G_N_ELEMENTS (bind_choices))
    g_object_set (self->server,
                  "bind-address", bind_choices[selected].address,
                  "ipv6-only", bind_choices[selected].ipv6_only,
                  NULL);
  if (self->kind == SCOPE_SERVER_UNIX_ECHO)
    g_object_set (self->server,
                  "unix-path", gtk_editable_get_text (GTK_EDITABLE (self->path_row)),
                  NULL);
  if (self->kind == SCOPE_SERVER_TCP_MESSAGE)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->message_row));
      g_autoptr(GBytes) bytes = scope_payload_parse (text, -1, SCOPE_PAYLOAD_TEXT, NULL, error);
      g_autofree char *message = NULL;

      if (bytes == NULL)
        return FALSE;
      message = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_object_set (self->server, "message", message, NULL);
    }
  return TRUE;
}

static gboolean
start_server (ScopeServerRow  *self,
              GError         **error)
{
  return apply_start_options (self, error) && scope_server_start (self->server, error);
}

static void
restart_clicked (ScopeServerRow *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->error_text, g_free);
  self->needs_restart = FALSE;
  if (!apply_start_options (self, &error) || !scope_server_restart (self->server, &error))
    {
      self->error_text = g_strdup (error->message);
      /* Still running as it was (a message that does not parse, say): the
       * new settings still wait, and the restart stays offered. */
      self->needs_restart = scope_server_get_running (self->server);
    }
  on_server_changed (self);
}

static gboolean
run_switch_state_set (ScopeServerRow *self,
                      gboolean        state,
                      GtkSwitch      *sw)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->error_text, g_free);
  if (!state)
    scope_server_stop (self->server);
  else if (!start_server (self, &error))
    {
      self->error_text = g_strdup (error->message);
      on_server_changed (self);
      return TRUE;
    }
  on_server_changed (self);
  return TRUE;
}

/**
 * scope_server_row_start:
 * @port: the port to listen on; 0 lets the system choose
 *
 * Starts the server as its switch would, for `--start-server`.
 */
gboolean
scope_server_row_start (ScopeServerRow  *self,
                        guint16          port,
                        GError         **error)
{
  g_return_val_if_fail (SCOPE_IS_SERVER_ROW (self), FALSE);

  if (scope_server_get_running (self->server))
    scope_server_stop (self->server);
  gtk_spin_button_set_value (self->port_spin, port);
  g_clear_pointer (&self->error_text, g_free);
  if (!start_server (self, error))
    {
      self->error_text = g_strdup ((*error)->message);
      on_server_changed (self);
      return FALSE;
    }
  on_server_changed (self);
  return TRUE;
}

static void
bind_number (ScopeServerRow *self,
             GtkSpinButton  *spin,
             const char     *property)
{
  g_object_bind_property (self->server, property, gtk_spin_button_get_adjustment (spin), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* The row's header: its state's line holds addresses, paths and errors,
 * shown as they are, at no hyphen. Its label outlives every subtitle set,
 * and so does the attribute. */
static void
exact_subtitle (ScopeServerRow *self)
{
  GObject *header = gtk_widget_get_template_child (GTK_WIDGET (self), ADW_TYPE_EXPANDER_ROW,
                                                   "action_row");
  GObject *subtitle = NULL;

  if (ADW_IS_ACTION_ROW (header))
    subtitle = gtk_widget_get_template_child (GTK_WIDGET (header), ADW_TYPE_ACTION_ROW,
                                              "subtitle");
  if (GTK_IS_LABEL (subtitle))
    scope_text_label_no_hyphens (GTK_LABEL (subtitle));
}

/* What the server answers: a tooltip on the row and its description for a
 * screen reader, and the first line of its options, wrapped, never
 * ellipsized. Not in the header: seven rows of two more lines each put
 * the client's Send below a 1280×800 window. */
static void
add_usage_line (ScopeServerRow *self,
                const char     *usage)
{
  GtkWidget *label = gtk_label_new (usage);
  GtkWidget *row = gtk_list_box_row_new ();
  GObject *list;

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), usage);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  usage, -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  scope_text_label_no_hyphens (GTK_LABEL (label));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "scope-server-usage");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  /* First, above the options, where libadwaita 1.2 lets us put it. */
  list = gtk_widget_get_template_child (GTK_WIDGET (self), ADW_TYPE_EXPANDER_ROW, "list");
  if (GTK_IS_LIST_BOX (list))
    gtk_list_box_prepend (GTK_LIST_BOX (list), row);
  else
    adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
}

/* A list of the live rows between the header and the fold, where
 * libadwaita 1.2 lets us put it: the box that holds both. Without it
 * (another libadwaita), the live rows stay in the fold. */
static void
add_live_list (ScopeServerRow *self)
{
  GObject *list = gtk_widget_get_template_child (GTK_WIDGET (self), ADW_TYPE_EXPANDER_ROW,
                                                 "list");
  GtkWidget *revealer = GTK_IS_WIDGET (list) ? gtk_widget_get_parent (GTK_WIDGET (list)) : NULL;
  GtkWidget *box = revealer != NULL ? gtk_widget_get_parent (revealer) : NULL;
  GtkWidget *rows[3];

  if (!GTK_IS_REVEALER (revealer) || !GTK_IS_BOX (box))
    return;
  self->live_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->live_list, GTK_SELECTION_NONE);
  /* Drawn as the fold's rows are. */
  gtk_widget_add_css_class (GTK_WIDGET (self->live_list), "nested");
  gtk_widget_set_visible (GTK_WIDGET (self->live_list), FALSE);
  gtk_box_insert_child_after (GTK_BOX (box), GTK_WIDGET (self->live_list),
                              gtk_widget_get_prev_sibling (revealer));
  /* In the fold, last and in this order, as they come back to it. */
  live_rows (self, rows);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_object_ref (rows[i]);
      adw_expander_row_remove (ADW_EXPANDER_ROW (self), rows[i]);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), rows[i]);
      g_object_unref (rows[i]);
    }
}

static void
scope_server_row_constructed (GObject *object)
{
  ScopeServerRow *self = SCOPE_SERVER_ROW (object);
  ScopeProtocol protocol = scope_server_kind_get_protocol (self->kind);
  g_autofree char *switch_label = NULL;

  G_OBJECT_CLASS (scope_server_row_parent_class)->constructed (object);

  self->server = scope_server_new (self->kind, self->recorder);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 scope_server_kind_get_title (self->kind));
  /* Translators: %s is a kind of server, e.g. "TCP echo" */
  switch_label = g_strdup_printf (_("Run %s"), scope_server_kind_get_title (self->kind));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->run_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, switch_label, -1);
  exact_subtitle (self);
  if (scope_server_kind_get_notes_port (self->kind) != 0)
    {
      /* Translators: %u is the port the course notes use for this server */
      g_autofree char *port = g_strdup_printf (_("0 takes the notes’ port, %u, when it is free, "
                                                 "else one the system chooses"),
                                               scope_server_kind_get_notes_port (self->kind));

      adw_action_row_set_subtitle (self->port_row, port);
    }
  else
    adw_action_row_set_subtitle (self->port_row, _("0 lets the system choose"));
  if (scope_server_kind_get_usage (self->kind) != NULL)
    add_usage_line (self, scope_server_kind_get_usage (self->kind));
  add_live_list (self);

  bind_number (self, self->port_spin, "port");
  bind_number (self, self->backlog_spin, "backlog");
  bind_number (self, self->buffer_spin, "read-buffer-size");
  bind_number (self, self->max_spin, "max-connections");
  g_object_bind_property (self->server, "pause-accepting", self->pause_accepting_switch,
                          "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->server, "pause-reading", self->pause_reading_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  if (protocol == SCOPE_PROTOCOL_UDP)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->backlog_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->max_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->pause_accepting_row), FALSE);
      /* A datagram is read whole, whatever the buffer. */
      gtk_widget_set_visible (GTK_WIDGET (self->buffer_row), FALSE);
      /* Each its own, as the timeline counts them (S14 over UDP) */
      adw_action_row_set_subtitle (self->pause_reading_row,
                                   _("Datagrams wait in the socket’s buffer"));
    }
  if (protocol == SCOPE_PROTOCOL_UNIX)
    {
      g_autofree char *path = g_build_filename (g_get_user_runtime_dir (),
                                                "sockscope-echo.sock", NULL);

      gtk_widget_set_visible (GTK_WIDGET (self->bind_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->port_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->path_row), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (self->path_row), path);
    }
  if (self->kind == SCOPE_SERVER_TCP_MESSAGE)
    {
      g_autofree char *message = NULL;
      g_autofree char *shown = NULL;

      g_object_get (self->server, "message", &message, NULL);
      shown = scope_payload_render_text ((const guint8 *) message, strlen (message));
      gtk_widget_set_visible (GTK_WIDGET (self->message_row), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (self->message_row), shown);
    }

  g_signal_connect_object (self->server, "notify::running", G_CALLBACK (on_server_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->server, "notify::n-connections", G_CALLBACK (update_subtitle),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->server, "notify::accept-queue", G_CALLBACK (update_subtitle),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->server, "notify::port",
                           G_CALLBACK (on_restart_option_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->server, "notify::backlog",
                           G_CALLBACK (on_restart_option_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message_row, "changed",
                           G_CALLBACK (on_restart_option_changed), self, G_CONNECT_SWAPPED);
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
    GtkExpression *text = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                       G_CALLBACK (bind_choice_text), self, NULL);

    g_signal_connect (factory, "setup", G_CALLBACK (bind_item_setup), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_item_bind), self);
    g_signal_connect (factory, "unbind", G_CALLBACK (bind_item_unbind), self);
    adw_combo_row_set_list_factory (self->bind_row, factory);
    g_object_unref (factory);
    adw_combo_row_set_expression (self->bind_row, text);
    gtk_expression_unref (text);
    adw_combo_row_set_use_subtitle (self->bind_row, TRUE);
  }
  on_server_changed (self);
}

static void
scope_server_row_dispose (GObject *object)
{
  ScopeServerRow *self = SCOPE_SERVER_ROW (object);

  if (self->server != NULL)
    scope_server_stop (self->server);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_SERVER_ROW);
  g_clear_object (&self->server);
  g_clear_object (&self->recorder);

  G_OBJECT_CLASS (scope_server_row_parent_class)->dispose (object);
}

static void
scope_server_row_finalize (GObject *object)
{
  ScopeServerRow *self = SCOPE_SERVER_ROW (object);

  g_free (self->error_text);

  G_OBJECT_CLASS (scope_server_row_parent_class)->finalize (object);
}

static void
scope_server_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ScopeServerRow *self = SCOPE_SERVER_ROW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_uint (value);
      break;
    case PROP_RECORDER:
      self->recorder = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_server_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeServerRow *self = SCOPE_SERVER_ROW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;
    case PROP_RECORDER:
      g_value_set_object (value, self->recorder);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_server_row_class_init (ScopeServerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = scope_server_row_constructed;
  object_class->dispose = scope_server_row_dispose;
  object_class->finalize = scope_server_row_finalize;
  object_class->get_property = scope_server_row_get_property;
  object_class->set_property = scope_server_row_set_property;

  properties[PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL, 0, SCOPE_SERVER_N_KINDS - 1, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDER] =
    g_param_spec_object ("recorder", NULL, NULL, SCOPE_TYPE_RECORDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-server-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, run_switch);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, restart_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, bind_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, port_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, path_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, message_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, backlog_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, buffer_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, max_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, pause_accepting_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, pause_reading_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, port_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, backlog_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, buffer_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, max_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, pause_accepting_switch);
  gtk_widget_class_bind_template_child (widget_class, ScopeServerRow, pause_reading_switch);
  gtk_widget_class_bind_template_callback (widget_class, run_switch_state_set);
  gtk_widget_class_bind_template_callback (widget_class, restart_clicked);
}

static void
scope_server_row_init (ScopeServerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ScopeServerRow *
scope_server_row_new (ScopeServerKind  kind,
                      ScopeRecorder   *recorder)
{
  return g_object_new (SCOPE_TYPE_SERVER_ROW, "kind", kind, "recorder", recorder, NULL);
}

ScopeServer *
scope_server_row_get_server (ScopeServerRow *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER_ROW (self), NULL);

  return self->server;
}
