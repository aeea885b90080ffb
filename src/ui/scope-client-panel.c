/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "scope-client.h"
#include "scope-client-panel.h"
#include "scope-errors.h"
#include "scope-payload.h"
#include "scope-text.h"

/* The client of the Sockets page: where to connect, what to send and how
 * (one write or chunks with a delay), shutdown and close, and what came
 * back. Errors are shown in words with their errno or EAI name, and stay
 * until the next action. A file is sent as the socket takes it, never read
 * whole: at most SCOPE_CLIENT_DEFAULT_MAX_SEND bytes of it. Every receive
 * or datagram is a block of its own with its size and source. */

typedef struct
{
  char    *name;    /* for messages */
  guint64  size;
  gboolean whole;   /* a regular file, sent up to the size it had */
} FileSend;

static void
file_send_free (gpointer data)
{
  FileSend *send = data;

  g_free (send->name);
  g_free (send);
}

struct _ScopeClientPanel
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwComboRow   *protocol_row;
  AdwEntryRow   *host_row;
  AdwActionRow  *port_row;
  GtkSpinButton *port_spin;
  GtkLabel      *status_label;
  GtkLabel      *status_note;
  GtkButton     *connect_button;
  GtkTextView   *payload_view;
  AdwComboRow   *format_row;
  GtkSpinButton *chunk_spin;
  GtkSpinButton *delay_spin;
  GtkSpinButton *buffer_spin;
  GtkSpinButton *timeout_spin;
  GtkButton     *send_button;
  GtkButton     *send_file_button;
  GtkButton     *shutdown_button;
  GtkButton     *close_button;
  GtkWidget     *error_box;
  GtkWidget     *composer;
  GtkWidget     *options_group;  /* bound for the tests, which reach the options by it */
  GtkLabel      *error_label;
  GtkWidget     *received_box;
  GtkListBox    *received_list;
  GtkLabel      *received_note;
  GtkScrolledWindow *received_scroll;

  /* Owned */
  ScopeClient   *client;
  GQueue         file_sends;  /* FileSend*, in the order they were queued */
  GCancellable  *cancellable;
  gboolean       connecting;
  guint          reveal_tick;
  guint          n_blocks;     /* in received_list */
  gsize          block_bytes;  /* the bytes they show */
  guint          dropped;      /* blocks dropped since Connect */
  gboolean       server_gone;  /* the page's server this connects to stopped */
  /* A server started while connected: the target once this connection ends */
  gboolean       target_pending;
  gboolean       targeting;       /* set_target() chooses the protocol, not the user */
  ScopeProtocol  pending_protocol;
  char          *pending_host;
  guint16        pending_port;
  gboolean       received_at_end;  /* Received shows its newest block, and keeps to it */
  guint          received_tick;    /* to go there at the next frame */
};

/* What Received keeps in sight: the event list keeps everything. */
#define MAX_BLOCKS      200
#define MAX_BLOCK_BYTES 65536

G_DEFINE_FINAL_TYPE (ScopeClientPanel, scope_client_panel, ADW_TYPE_BIN)

enum
{
  PROTOCOL_CHOSEN,
  RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static ScopeProtocol
selected_protocol (ScopeClientPanel *self)
{
  switch (adw_combo_row_get_selected (self->protocol_row))
    {
    case 1:
      return SCOPE_PROTOCOL_UDP;
    case 2:
      return SCOPE_PROTOCOL_UNIX;
    default:
      return SCOPE_PROTOCOL_TCP;
    }
}

/* Once laid out, the message is scrolled into sight where it scrolls:
 * the panel can sit under the servers, and the field Enter was pressed in
 * can be the last thing on screen. (Pinned under the column, it is in
 * sight as it is.) */
static gboolean
reveal_error (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  ScopeClientPanel *self = SCOPE_CLIENT_PANEL (widget);
  GtkWidget *scrolled = gtk_widget_get_ancestor (self->error_box, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = scrolled ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled))
                                : NULL;
  graphene_rect_t bounds;

  /* Shown in this frame's update, it has its place after the layout. */
  if (gtk_widget_get_visible (self->error_box) && gtk_widget_get_height (self->error_box) == 0)
    return G_SOURCE_CONTINUE;
  self->reveal_tick = 0;
  if (content != NULL && gtk_widget_get_visible (self->error_box)
      && gtk_widget_compute_bounds (self->error_box, content, &bounds))
    {
      GtkAdjustment *adjustment =
        gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      double top = bounds.origin.y + gtk_adjustment_get_value (adjustment);

      gtk_adjustment_clamp_page (adjustment, top, top + bounds.size.height);
    }
  return G_SOURCE_REMOVE;
}

static void
show_error (ScopeClientPanel *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (self->error_box, message != NULL);
  if (message != NULL && self->reveal_tick == 0)
    self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_error, NULL,
                                                      NULL);
}

/* A word under the state: the peer finished, no answer in time. */
static void
set_note (ScopeClientPanel *self,
          const char       *note)
{
  gtk_label_set_text (self->status_note, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_note), note != NULL);
}

#define MAX_TARGET_SAID 64

/* Not connected, and where Connect goes: the protocol, host and port
 * are in the options above, scrolled away at 1280×800, and the eighth
 * trial scrolled up to check before S14 over UDP. An address on a line
 * of its own, never broken. */
static char *
not_connected_status (ScopeClientPanel *self)
{
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  ScopeProtocol protocol = selected_protocol (self);
  g_autofree char *target = NULL;

  /* A name longer than an address or a path (bad input, 2000 letters)
   * is not said here: unbroken, it made the window as wide as itself. */
  if (host == NULL || *host == '\0' || g_utf8_strlen (host, -1) > MAX_TARGET_SAID)
    return g_strdup (_("Not connected"));
  if (protocol == SCOPE_PROTOCOL_UNIX)
    target = g_strdup (host);
  else
    target = g_strdup_printf (strchr (host, ':') != NULL ? "[%s]:%d" : "%s:%d", host,
                              gtk_spin_button_get_value_as_int (self->port_spin));
  return g_strdup_printf (protocol == SCOPE_PROTOCOL_UDP
                          /* Translators: the client's state before Connect, then where
                           * Connect goes, on a line of its own */
                          ? _("Not connected\nConnect sends to\n%s (UDP)")
                          : protocol == SCOPE_PROTOCOL_UNIX
                          /* Translators: the same, for a Unix socket's path */
                          ? _("Not connected\nConnect goes to\n%s (Unix)")
                          /* Translators: the same, for TCP */
                          : _("Not connected\nConnect goes to\n%s (TCP)"), target);
}

static void
update_state (ScopeClientPanel *self)
{
  gboolean connected = self->client && scope_client_get_connected (self->client);
  gboolean stream = selected_protocol (self) != SCOPE_PROTOCOL_UDP;
  g_autofree char *status = NULL;

  if (self->connecting)
    status = g_strdup (_("Connecting…"));
  else if (connected)
    {
      if (selected_protocol (self) == SCOPE_PROTOCOL_UDP)
        /* Translators: the address datagrams go to, then the client's own,
         * on a line of its own: an address is never broken across lines.
         * A UDP socket is not connected: each datagram is sent to the address. */
        status = g_strdup_printf (_("Sending to %s\nfrom %s"),
                                  scope_client_get_remote_address (self->client),
                                  scope_client_get_local_address (self->client));
      else
        /* Translators: the address connected to, then the client's own, on
         * a line of its own: an address is never broken across lines */
        status = g_strdup_printf (_("Connected to %s\nfrom %s"),
                                  scope_client_get_remote_address (self->client),
                                  scope_client_get_local_address (self->client));
    }
  else
    status = not_connected_status (self);
  gtk_label_set_text (self->status_label, status);

  gtk_label_set_text_with_mnemonic (GTK_LABEL (gtk_button_get_child (self->connect_button)),
                                    connected ? _("_Disconnect") : _("_Connect"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->connect_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  connected ? _("Disconnect") : _("Connect"), -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !self->connecting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), connected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_file_button), connected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->shutdown_button), connected && stream);
  gtk_widget_set_sensitive (GTK_WIDGET (self->close_button), connected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->protocol_row), !connected && !self->connecting);
  /* Read-only rather than insensitive: Enter may have connected from it,
   * and a focused text made insensitive loses its focus without knowing. */
  gtk_editable_set_editable (GTK_EDITABLE (self->host_row), !connected && !self->connecting);
  /* The row stays for a Unix path, greyed out with why: nothing moves. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->port_row),
                            selected_protocol (self) != SCOPE_PROTOCOL_UNIX);
  adw_action_row_set_subtitle (self->port_row, selected_protocol (self) == SCOPE_PROTOCOL_UNIX
                                               ? _("A Unix socket has a path, not a port: the "
                                                   "path goes in the field above")
                                               : NULL);
}

/* Each block knows how many bytes it shows, to keep the total bounded. */
#define BLOCK_BYTES_KEY "scope-block-bytes"

static GtkWidget *
newest_block (ScopeClientPanel *self)
{
  if (self->n_blocks == 0)
    return NULL;
  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->received_list, self->n_blocks - 1));
}

/* Where the newest block starts in the list, or G_MAXDOUBLE without one
 * or before it is laid out: unallocated, it said 0, and a burst of
 * datagrams left Received at its top for good (the sanitized suite, 2 runs
 * in 3). */
static double
newest_block_top (ScopeClientPanel *self)
{
  GtkWidget *newest = newest_block (self);
  graphene_point_t top;

  if (newest == NULL || gtk_widget_get_height (newest) <= 0
      || !gtk_widget_compute_point (newest, GTK_WIDGET (self->received_list),
                                    &GRAPHENE_POINT_INIT (0, 0), &top))
    return G_MAXDOUBLE;
  return top.y;
}

/* Received keeps its newest block in sight as blocks come, as a terminal
 * does, until the user scrolls back to read an older one; scrolled to the
 * end again, it follows again. (It showed the oldest: the reply S16
 * waits for came below the box's edge.) */
static void
on_received_scrolled (ScopeClientPanel *self,
                      GtkAdjustment    *adjustment)
{
  /* Following while the newest block's start, or the end, is in view. */
  self->received_at_end = gtk_adjustment_get_value (adjustment) >= newest_block_top (self) - 1
                          || gtk_adjustment_get_value (adjustment)
                             >= gtk_adjustment_get_upper (adjustment)
                                - gtk_adjustment_get_page_size (adjustment) - 1;
}

/* Received is as tall as its blocks at the width it has, from
 * RECEIVED_LEAST_HEIGHT up to RECEIVED_MOST_LINES lines of their type,
 * then scrolls. Its natural height cannot say so: GTK 4.8's scrolled
 * window measures its child at no width, where each block is one line
 * long, and in projector mode S11's block of two lines stayed cut in a box
 * of 72 px. In lines, not pixels: at projector mode's type, 320 px cut
 * S16's reply by a line. */
#define RECEIVED_LEAST_HEIGHT 72
#define RECEIVED_MOST_LINES   20

/* The height of a line of @row's bytes, as they are laid out. */
static int
line_height (GtkWidget *row)
{
  GtkWidget *bytes = gtk_widget_get_last_child (gtk_list_box_row_get_child (
    GTK_LIST_BOX_ROW (row)));
  PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (bytes));
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height / MAX (pango_layout_get_line_count (layout), 1);
}

static void
fit_received (ScopeClientPanel *self)
{
  GtkWidget *newest = newest_block (self);
  int width = gtk_widget_get_width (GTK_WIDGET (self->received_list));
  int height;

  if (width <= 0)
    return;
  gtk_widget_measure (GTK_WIDGET (self->received_list), GTK_ORIENTATION_VERTICAL, width,
                      NULL, &height, NULL, NULL);
  if (newest != NULL)
    height = MIN (height, RECEIVED_MOST_LINES * line_height (newest));
  /* And half the window, as its surface is now: S16's head in projector
   * mode at 1280×800 took 480 px of a column that shows 492, which no
   * scroll could show whole beside anything else. */
  if (gtk_native_get_surface (gtk_widget_get_native (GTK_WIDGET (self))) != NULL)
    height = MIN (height, gdk_surface_get_height (gtk_native_get_surface (
                                                    gtk_widget_get_native (GTK_WIDGET (self))))
                          / 2);
  height = MAX (height, RECEIVED_LEAST_HEIGHT);
  if (height != gtk_scrolled_window_get_min_content_height (self->received_scroll))
    gtk_scrolled_window_set_min_content_height (self->received_scroll, height);
}

/* The wheel over Received scrolls it while it can go that way, and the
 * column around it once it cannot: GTK 4.8 passes no scroll on, and the
 * trials' wheel, caught by Received, never reached Pause Accepting. Seen
 * on Received's frame in the capture phase, before its own scrolling. */
static gboolean
on_received_wheel (GtkEventControllerScroll *controller,
                   double                    dx,
                   double                    dy,
                   gpointer                  user_data)
{
  ScopeClientPanel *self = user_data;
  GtkAdjustment *inner = gtk_scrolled_window_get_vadjustment (self->received_scroll);
  GtkWidget *frame = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *outer = gtk_widget_get_ancestor (frame, GTK_TYPE_SCROLLED_WINDOW);
  double value = gtk_adjustment_get_value (inner);
  double end = gtk_adjustment_get_upper (inner) - gtk_adjustment_get_page_size (inner);
  GtkAdjustment *column;
  double step;

  if (dy == 0 || outer == NULL || (dy > 0 && value < end - 0.5)
      || (dy < 0 && value > gtk_adjustment_get_lower (inner) + 0.5))
    return FALSE;
  column = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (outer));
  /* A wheel's notch as GtkScrolledWindow takes it; a touchpad's pixels */
  step = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL
         ? pow (gtk_adjustment_get_page_size (column), 2.0 / 3.0) : 1;
  gtk_adjustment_set_value (column, gtk_adjustment_get_value (column) + dy * step);
  return TRUE;
}

static gboolean
follow_received (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  ScopeClientPanel *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->received_scroll);
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  self->received_tick = 0;
  fit_received (self);
  if (!self->received_at_end)
    return G_SOURCE_REMOVE;
  /* The newest block from its start: S16's reply is read from "HTTP/1.1
   * 200 OK", not from the end of its page. */
  gtk_adjustment_set_value (adjustment, MIN (end, newest_block_top (self)));
  return G_SOURCE_REMOVE;
}

/* The adjustment changes as the list is allocated (blocks came or went,
 * the width or the type changed), where a new size or value would not be
 * laid out: Received fits and follows at the next frame. A new height
 * changes the adjustment again, and the frame after scrolls with it. */
static void
on_received_grown (ScopeClientPanel *self)
{
  if (self->received_tick == 0)
    self->received_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->received_scroll),
                                                        follow_received, self, NULL);
}

static void
clear_received (ScopeClientPanel *self)
{
  GtkListBoxRow *row;

  /* The rows only: the placeholder, "Nothing received yet", is a child of
   * the list too, and went with them (a blank box after a new
   * connection, the seventeenth trial). */
  while ((row = gtk_list_box_get_row_at_index (self->received_list, 0)) != NULL)
    gtk_list_box_remove (self->received_list, GTK_WIDGET (row));
  self->n_blocks = 0;
  self->block_bytes = 0;
  self->dropped = 0;
  self->received_at_end = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->received_note), FALSE);
  on_received_grown (self);
}

static void
drop_oldest (ScopeClientPanel *self)
{
  GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->received_list, 0));

  self->block_bytes -= GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), BLOCK_BYTES_KEY));
  self->n_blocks--;
  self->dropped++;
  gtk_list_box_remove (self->received_list, row);
}

static GtkWidget *
block_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  scope_text_label_no_hyphens (GTK_LABEL (label));
  return label;
}

/* The escaped bytes as lines: a line ends after each "\n" escape, so that
 * S16's reply reads as the lines of its head, not one run broken inside
 * its words. Every backslash of @escaped begins an escape of two or four
 * characters, so a "\n" is found by walking them in pairs. */
static char *
lines_of_escaped (const char *escaped)
{
  GString *lines = g_string_sized_new (strlen (escaped) + 16);

  for (const char *p = escaped; *p != '\0'; p++)
    {
      g_string_append_c (lines, *p);
      if (*p != '\\' || p[1] == '\0')
        continue;
      p++;
      g_string_append_c (lines, *p);
      if (*p == 'n' && p[1] != '\0')
        g_string_append_c (lines, '\n');
    }
  return g_string_free (lines, FALSE);
}

/* A block: its size and source, then exactly its bytes (escaped where they
 * are not printable), a line to each "\n", broken between words where a
 * line is too long, else anywhere, at no hyphen. At most
 * MAX_BLOCKS blocks and MAX_BLOCK_BYTES bytes stay, the oldest dropped,
 * which a note says. */
static void
add_block (ScopeClientPanel *self,
           const guint8     *data,
           gsize             size,
           const char       *header)
{
  gsize shown = MIN (size, MAX_BLOCK_BYTES);
  g_autofree char *escaped = scope_payload_render_text (data, shown);
  g_autofree char *text = lines_of_escaped (escaped);
  g_autofree char *with_end = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = block_label (header);
  GtkWidget *bytes;

  if (shown < size)
    {
      /* Translators: the start of a block of bytes too long to show whole,
       * then how many bytes of it are shown */
      with_end = g_strdup_printf (_("%s… (the first %u bytes)"), text, (guint) shown);
    }
  bytes = block_label (with_end != NULL ? with_end : text);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_widget_add_css_class (title, "caption");
  gtk_label_set_wrap_mode (GTK_LABEL (bytes), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (bytes), TRUE);
  gtk_widget_add_css_class (bytes, "scope-mono");
  gtk_accessible_update_property (GTK_ACCESSIBLE (bytes), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Received bytes"), -1);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), bytes);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), BLOCK_BYTES_KEY, GSIZE_TO_POINTER (shown));
  gtk_list_box_append (self->received_list, row);
  self->n_blocks++;
  self->block_bytes += shown;
  g_signal_emit (self, signals[RECEIVED], 0);

  while (self->n_blocks > 1 && (self->n_blocks > MAX_BLOCKS
                                || self->block_bytes > MAX_BLOCK_BYTES))
    drop_oldest (self);
  if (self->dropped > 0)
    {
      g_autofree char *note = NULL;

      /* Translators: %u is a number of blocks of received bytes */
      note = g_strdup_printf (ngettext ("%u older block was dropped to keep the last 200 "
                                        "blocks or 64 KiB; the List has every one.",
                                        "%u older blocks were dropped to keep the last 200 "
                                        "blocks or 64 KiB; the List has every one.",
                                        self->dropped), self->dropped);
      gtk_label_set_text (self->received_note, note);
      gtk_widget_set_visible (GTK_WIDGET (self->received_note), TRUE);
    }
}

static void
on_received (ScopeClientPanel *self,
             GBytes           *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree char *header = NULL;

  /* Translators: a number of bytes, then the address they came from */
  header = g_strdup_printf (ngettext ("%u byte from %s", "%u bytes from %s", size),
                            (guint) size, scope_client_get_remote_address (self->client));
  add_block (self, data, size, header);
}

/* A datagram from another address than the target: shown, as what it is. */
static void
on_stray_datagram (ScopeClientPanel *self,
                   GBytes           *bytes,
                   const char       *source)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree char *header = NULL;

  /* Translators: a number of bytes, the address they came from, then the
   * address the client sends to */
  header = g_strdup_printf (ngettext ("%u byte from %s, not from %s where the payload went",
                                      "%u bytes from %s, not from %s where the payload went",
                                      size),
                            (guint) size, source, scope_client_get_remote_address (self->client));
  add_block (self, data, size, header);
}

static char *
format_bytes (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
}

static void
on_stream_ended (ScopeClientPanel *self,
                 guint64           bytes,
                 gboolean          cut)
{
  FileSend *send = g_queue_pop_head (&self->file_sends);
  g_autofree char *sent = format_bytes (bytes);

  g_return_if_fail (send != NULL);
  if (send->whole && bytes < send->size)
    {
      g_autofree char *size = format_bytes (send->size);
      g_autofree char *message = NULL;

      /* Translators: a file name, then two sizes in bytes */
      message = g_strdup_printf (_("“%s” shrank while it was sent: only %s of its %s were there "
                                   "to send"), send->name, sent, size);
      show_error (self, message);
    }
  else if (!send->whole && cut)
    {
      g_autofree char *limit = format_bytes (SCOPE_CLIENT_DEFAULT_MAX_SEND);
      g_autofree char *message = NULL;

      /* Translators: a file name, then a size in bytes, twice */
      message = g_strdup_printf (_("Stopped sending “%s” after %s: a file sent from here may "
                                   "give at most %s"), send->name, sent, limit);
      show_error (self, message);
    }
  file_send_free (send);
}

static void
on_connected_changed (ScopeClientPanel *self)
{
  /* A closed client drops what it had queued, files too. */
  if (!scope_client_get_connected (self->client))
    g_queue_clear_full (&self->file_sends, file_send_free);
  if (!scope_client_get_connected (self->client) && !self->connecting && self->target_pending)
    {
      g_autofree char *host = g_steal_pointer (&self->pending_host);

      scope_client_panel_set_target (self, self->pending_protocol, host, self->pending_port);
    }
  update_state (self);
}

static void
on_failed (ScopeClientPanel *self,
           const GError     *error)
{
  show_error (self, error->message);
  update_state (self);
}

static void
on_receive_timed_out (ScopeClientPanel *self)
{
  g_autofree char *text = NULL;
  guint ms = (guint) gtk_spin_button_get_value_as_int (self->timeout_spin);

  /* Translators: %u is a number of milliseconds */
  text = g_strdup_printf (ngettext ("No answer within %u millisecond",
                                    "No answer within %u milliseconds", ms), ms);
  set_note (self, text);
}

static void
on_peer_closed (ScopeClientPanel *self)
{
  show_error (self, NULL);
  /* The zero-byte read: the peer will send nothing more (S15); when the
   * page's server stopped, what was said of that says more. */
  if (!self->server_gone)
    set_note (self, _("The peer has finished sending"));
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  /* The rule of scope-lookup-page.c: the panel is kept alive until here. */
  g_autoptr(ScopeClientPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!scope_client_connect_finish (SCOPE_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_error (self, error->message);
    }
  self->connecting = FALSE;
  update_state (self);
}

static void
apply_options (ScopeClientPanel *self)
{
  g_object_set (self->client,
                "read-buffer-size", (guint) gtk_spin_button_get_value_as_int (self->buffer_spin),
                "receive-timeout", (guint) gtk_spin_button_get_value_as_int (self->timeout_spin),
                NULL);
  set_note (self, NULL);
}

static void
connect_clicked (ScopeClientPanel *self)
{
  const char *target = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  g_autofree char *trimmed = g_strstrip (g_strdup (target));

  show_error (self, NULL);
  set_note (self, NULL);

  if (scope_client_get_connected (self->client))
    {
      scope_client_close (self->client);
      update_state (self);
      return;
    }

  if (trimmed[0] == '\0')
    {
      show_error (self, selected_protocol (self) == SCOPE_PROTOCOL_UNIX
                          ? _("Type the path of a Unix-domain socket")
                          : _("Type a host name or an address, such as 127.0.0.1"));
      return;
    }

  /* A new connection's blocks only; the List keeps the old ones. */
  clear_received (self);
  self->server_gone = FALSE;
  apply_options (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->connecting = TRUE;
  update_state (self);
  scope_client_connect_async (self->client, selected_protocol (self), trimmed,
                              (guint16) gtk_spin_button_get_value_as_int (self->port_spin),
                              self->cancellable, connected_cb, g_object_ref (self));
}

/* Enter in the host field connects, as the button would; it never
 * disconnects. */
static void
host_activated (ScopeClientPanel *self)
{
  if (!self->connecting && !scope_client_get_connected (self->client))
    connect_clicked (self);
}

static void
send_payload (ScopeClientPanel *self,
              GBytes           *payload)
{
  g_autoptr(GError) error = NULL;
  gsize chunk = (gsize) gtk_spin_button_get_value_as_int (self->chunk_spin);

  if (selected_protocol (self) == SCOPE_PROTOCOL_UDP
      && !scope_client_check_datagrams (g_bytes_get_size (payload), chunk, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  apply_options (self);
  scope_client_send (self->client, payload, chunk,
                     (guint) gtk_spin_button_get_value_as_int (self->delay_spin));
}

/* The file chosen is sent as the socket takes it, a piece at a time,
 * never blocking on it (a FIFO with no writer is waited for). A folder, a
 * file that cannot be read, or one larger than SCOPE_CLIENT_DEFAULT_MAX_SEND
 * is refused in words; a device or a FIFO stops there, and says so. */
static void
send_file (ScopeClientPanel *self,
           GFile            *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;
  gsize chunk = (gsize) gtk_spin_button_get_value_as_int (self->chunk_spin);
  gboolean udp = selected_protocol (self) == SCOPE_PROTOCOL_UDP;
  gboolean regular = FALSE;
  guint64 size = 0;
  FileSend *send;

  if (!scope_client_get_connected (self->client))
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_error (self, _("Only a file on this computer can be sent"));
      return;
    }
  stream = scope_client_open_file (path, &size, &regular, &error);
  if (stream == NULL)
    {
      show_error (self, error->message);
      return;
    }
  {
    g_autofree char *name = g_filename_display_name (path);

    /* A file's name may hold control characters: not into the alert. */
    display = scope_input_for_message (name, 200);
  }
  /* /proc's files say 0 bytes and hold more: those are read as a stream. */
  regular = regular && size > 0;
  if (regular && size > SCOPE_CLIENT_DEFAULT_MAX_SEND)
    {
      g_autofree char *holds = format_bytes (size);
      g_autofree char *limit = format_bytes (SCOPE_CLIENT_DEFAULT_MAX_SEND);
      g_autofree char *message = NULL;

      /* Translators: a file name, then two sizes in bytes */
      message = g_strdup_printf (_("“%s” holds %s, more than the %s a file sent from here may "
                                   "hold"), display, holds, limit);
      show_error (self, message);
      return;
    }
  if (regular && chunk >= size)
    chunk = 0;
  if (udp && ((regular && !scope_client_check_datagrams (size, chunk, &error))
              || (chunk > SCOPE_UDP_MAX_PAYLOAD
                  && !scope_client_check_datagrams (chunk, chunk, &error))))
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  apply_options (self);
  send = g_new0 (FileSend, 1);
  send->name = g_steal_pointer (&display);
  send->size = size;
  send->whole = regular;
  g_queue_push_tail (&self->file_sends, send);
  scope_client_send_stream (self->client, stream,
                            regular ? size : SCOPE_CLIENT_DEFAULT_MAX_SEND, chunk,
                            (guint) gtk_spin_button_get_value_as_int (self->delay_spin));
}

static void
file_chosen (GtkNativeDialog  *dialog,
             int               response,
             ScopeClientPanel *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file != NULL)
    send_file (self, file);
}

static void
send_file_clicked (ScopeClientPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Send a File"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Send"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
send_clicked (ScopeClientPanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->payload_view);
  ScopePayloadFormat format = adw_combo_row_get_selected (self->format_row) == 1
                              ? SCOPE_PAYLOAD_HEX : SCOPE_PAYLOAD_TEXT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  gsize column = 0;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  payload = scope_payload_parse (text, -1, format, &column, &error);
  if (payload == NULL)
    {
      show_error (self, error->message);
      return;
    }

  send_payload (self, payload);
}

static void
shutdown_clicked (ScopeClientPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (!scope_client_shutdown_write (self->client, &error))
    show_error (self, error->message);
  else
    {
      /* Nothing more may be written: only reading and closing are left. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->shutdown_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->send_file_button), FALSE);
    }
}

static void
close_clicked (ScopeClientPanel *self)
{
  scope_client_close (self->client);
  /* What was said of the connection goes with it. */
  set_note (self, NULL);
  update_state (self);
}

void
scope_client_panel_set_recorder (ScopeClientPanel *self,
                                 ScopeRecorder    *recorder)
{
  g_return_if_fail (SCOPE_IS_CLIENT_PANEL (self));
  g_return_if_fail (self->client == NULL);

  self->client = scope_client_new (recorder);
  g_signal_connect_object (self->client, "received", G_CALLBACK (on_received), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "failed", G_CALLBACK (on_failed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "peer-closed", G_CALLBACK (on_peer_closed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "receive-timed-out", G_CALLBACK (on_receive_timed_out),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "stray-datagram", G_CALLBACK (on_stray_datagram), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "stream-ended", G_CALLBACK (on_stream_ended), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::connected", G_CALLBACK (on_connected_changed),
                           self, G_CONNECT_SWAPPED);
  update_state (self);
}

/**
 * scope_client_panel_get_received_area:
 *
 * Received: its heading, its note and its blocks.
 */
GtkWidget *
scope_client_panel_get_received_area (ScopeClientPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT_PANEL (self), NULL);

  return self->received_box;
}

/**
 * scope_client_panel_get_composer:
 *
 * The state with Connect, the payload and its buttons, for a page to pin
 * where a scrolling column does not carry it away; it stays the panel's,
 * which drives it.
 */
GtkWidget *
scope_client_panel_get_composer (ScopeClientPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT_PANEL (self), NULL);

  return self->composer;
}

/* The port of an address as the client says it: "127.0.0.1:50000",
 * "[::1]:50000"; 0 for a path. */
static guint16
port_of_address (const char *address)
{
  const char *colon = address != NULL ? strrchr (address, ':') : NULL;
  guint64 port = 0;

  if (colon == NULL || address[0] == '/' || address[0] == '@'
      || !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL))
    return 0;
  return (guint16) port;
}

/**
 * scope_client_panel_get_port:
 *
 * Returns: the port the client would connect to
 */
guint16
scope_client_panel_get_port (ScopeClientPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT_PANEL (self), 0);

  return (guint16) gtk_spin_button_get_value_as_int (self->port_spin);
}

/* The user chose a protocol: the page may know a server of it. */
static void
on_protocol_selected (ScopeClientPanel *self)
{
  if (!self->targeting)
    g_signal_emit (self, signals[PROTOCOL_CHOSEN], 0, (guint) selected_protocol (self));
}

/**
 * scope_client_panel_set_target:
 *
 * Points the client at a server, e.g. one the user just started, unless it
 * is connected.
 */
void
scope_client_panel_set_target (ScopeClientPanel *self,
                               ScopeProtocol     protocol,
                               const char       *host_or_path,
                               guint16           port)
{
  g_return_if_fail (SCOPE_IS_CLIENT_PANEL (self));

  if (self->client != NULL && (scope_client_get_connected (self->client) || self->connecting))
    {
      /* A UDP server back where this client sends answers again. */
      if (self->server_gone && protocol == SCOPE_PROTOCOL_UDP
          && selected_protocol (self) == protocol
          && port_of_address (scope_client_get_remote_address (self->client)) == port)
        {
          self->server_gone = FALSE;
          set_note (self, NULL);
        }
      /* Where Connect goes once this connection ends (S13 after S11: the
       * trial had to set the UDP server's protocol and port by hand). */
      self->target_pending = TRUE;
      self->pending_protocol = protocol;
      g_free (self->pending_host);
      self->pending_host = g_strdup (host_or_path);
      self->pending_port = port;
      return;
    }
  self->target_pending = FALSE;
  self->targeting = TRUE;
  adw_combo_row_set_selected (self->protocol_row, protocol == SCOPE_PROTOCOL_UDP ? 1
                                                  : protocol == SCOPE_PROTOCOL_UNIX ? 2 : 0);
  self->targeting = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host_or_path);
  if (port != 0)
    gtk_spin_button_set_value (self->port_spin, port);
}

/**
 * scope_client_panel_note_server_stopped:
 * @title: the server's kind, e.g. "TCP echo"
 * @port: where it listened; 0 for a Unix path
 *
 * A server of the page stopped: if the client is connected to it, says so
 * under its state, "The TCP echo server stopped: this connection is closed
 * at its end".
 */
void
scope_client_panel_note_server_stopped (ScopeClientPanel *self,
                                        const char       *title,
                                        ScopeProtocol     protocol,
                                        guint16           port)
{
  g_autofree char *note = NULL;

  g_return_if_fail (SCOPE_IS_CLIENT_PANEL (self));

  if (self->client == NULL || !scope_client_get_connected (self->client)
      || selected_protocol (self) != protocol
      || port_of_address (scope_client_get_remote_address (self->client)) != port)
    return;
  if (protocol == SCOPE_PROTOCOL_UDP)
    /* Translators: %s is a kind of server, e.g. "UDP echo" */
    note = g_strdup_printf (_("The %s server stopped: nothing answers at this address now"),
                            title);
  else
    /* Translators: %s is a kind of server, e.g. "TCP echo" */
    note = g_strdup_printf (_("The %s server stopped: this connection is closed at its end"),
                            title);
  self->server_gone = TRUE;
  set_note (self, note);
}

/* A connection being made for a window that is gone is not made. */
/* The window's height caps Received's: a new one fits it again. */
static void
scope_client_panel_root (GtkWidget *widget)
{
  static const char * const changes[] = {
    "notify::default-height", "notify::fullscreened", "notify::maximized",
  };
  GtkRoot *root;

  GTK_WIDGET_CLASS (scope_client_panel_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  for (guint i = 0; GTK_IS_WINDOW (root) && i < G_N_ELEMENTS (changes); i++)
    g_signal_connect_swapped (root, changes[i], G_CALLBACK (on_received_grown), widget);
}

static void
scope_client_panel_unroot (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), on_received_grown, widget);
  g_cancellable_cancel (SCOPE_CLIENT_PANEL (widget)->cancellable);
  GTK_WIDGET_CLASS (scope_client_panel_parent_class)->unroot (widget);
}

static void
scope_client_panel_dispose (GObject *object)
{
  ScopeClientPanel *self = SCOPE_CLIENT_PANEL (object);

  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_tick);
  self->reveal_tick = 0;
  if (self->received_tick != 0 && self->received_scroll != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->received_scroll), self->received_tick);
  self->received_tick = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client != NULL)
    scope_client_close (self->client);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_CLIENT_PANEL);
  g_queue_clear_full (&self->file_sends, file_send_free);
  g_clear_pointer (&self->pending_host, g_free);

  G_OBJECT_CLASS (scope_client_panel_parent_class)->dispose (object);
}

static void
scope_client_panel_class_init (ScopeClientPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_client_panel_dispose;
  widget_class->root = scope_client_panel_root;
  widget_class->unroot = scope_client_panel_unroot;

  /**
   * ScopeClientPanel::protocol-chosen:
   * @protocol: a #ScopeProtocol
   *
   * The user chose the client's protocol (not scope_client_panel_set_target()).
   */
  signals[PROTOCOL_CHOSEN] = g_signal_new ("protocol-chosen", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * ScopeClientPanel::received:
   *
   * A block came into Received: a receive or a datagram. It is laid out
   * at the next frame.
   */
  signals[RECEIVED] = g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-client-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, host_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, port_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, port_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, status_note);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, connect_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, payload_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, format_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, chunk_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, delay_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, buffer_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, send_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, send_file_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, shutdown_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, close_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, error_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, composer);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, received_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, options_group);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, received_list);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, received_scroll);
  gtk_widget_class_bind_template_child (widget_class, ScopeClientPanel, received_note);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, host_activated);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked);
  gtk_widget_class_bind_template_callback (widget_class, send_file_clicked);
  gtk_widget_class_bind_template_callback (widget_class, shutdown_clicked);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked);
}

/* Ctrl+Enter in the payload sends it, as the Send button would. */
static gboolean
send_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  ScopeClientPanel *self = user_data;

  if (!gtk_widget_is_sensitive (GTK_WIDGET (self->send_button)))
    return FALSE;
  /* At once, with what the box holds now: activating the button would
   * click it 250 ms later, and send what was typed since. */
  send_clicked (self);
  return TRUE;
}

static void
scope_client_panel_init (ScopeClientPanel *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkEventController *wheel =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->received_at_end = TRUE;
  gtk_scrolled_window_set_min_content_height (self->received_scroll, RECEIVED_LEAST_HEIGHT);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->received_scroll),
                           "value-changed", G_CALLBACK (on_received_scrolled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->received_scroll),
                           "changed", G_CALLBACK (on_received_grown), self, G_CONNECT_SWAPPED);
  gtk_event_controller_set_propagation_phase (wheel, GTK_PHASE_CAPTURE);
  g_signal_connect (wheel, "scroll", G_CALLBACK (on_received_wheel), self);
  gtk_widget_add_controller (gtk_widget_get_parent (GTK_WIDGET (self->received_scroll)), wheel);
  /* Bytes, addresses and errors as they are: no hyphen where a line breaks. */
  scope_text_label_no_hyphens (self->error_label);
  scope_text_label_no_hyphens (self->status_note);
  scope_text_label_no_hyphens (self->status_label);
  scope_text_label_no_hyphens (self->received_note);
  scope_text_view_no_hyphens (self->payload_view);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>Return|<Control>KP_Enter"),
                      gtk_callback_action_new (send_shortcut, self, NULL)));
  /* Before the text view, which would take Return for a new line. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (self->payload_view), shortcuts);
  {
    GtkWidget *none = gtk_label_new (_("Nothing received yet"));

    gtk_widget_add_css_class (none, "dim-label");
    gtk_widget_set_margin_top (none, 6);
    gtk_widget_set_margin_bottom (none, 6);
    gtk_list_box_set_placeholder (self->received_list, none);
  }
  g_queue_init (&self->file_sends);

  g_signal_connect_object (self->protocol_row, "notify::selected", G_CALLBACK (update_state),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->protocol_row, "notify::selected",
                           G_CALLBACK (on_protocol_selected), self, G_CONNECT_SWAPPED);
  /* Where Connect goes, said in the state as it is edited */
  g_signal_connect_object (self->host_row, "changed", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->port_spin, "value-changed", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
}
