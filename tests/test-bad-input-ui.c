/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every input field of every page, given what a user gets wrong: empty,
 * huge, control characters, numbers out of range, malformed addresses, a
 * privileged port, ports in use, a peer that is not there, a datagram over
 * 65,507 bytes. Each row of the table is typed into the real page's
 * field, found by the title the user reads, and sent with Enter or the
 * button beside it; the page must then say what went wrong in an alert (a
 * server in its row's subtitle), and nothing else may change: every other
 * field, switch and choice, the settings, the sockets and events recorded,
 * the lookups asked. Spin buttons cannot hold a bad value: given one, out
 * of range or not a number, they keep and show the value they had.
 *
 * Text that is not UTF-8 cannot reach a GTK text field at all (GTK refuses
 * it on insert); the command line's matrix, tests/test-bad-input.py, has
 * those rows. Network traffic stays on loopback. */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#ifdef __linux__
# include <linux/capability.h>
# include <sys/syscall.h>
#endif

#include "scope-lookup-page.h"
#include "scope-ports-page.h"
#include "scope-preferences-window.h"
#include "scope-sockets-page.h"
#include "widget-search.h"
#include "widget-test.h"

typedef struct
{
  const char *field;   /* titles from the page down, " › " between them */
  const char *value;   /* text to type, an item to choose, or "click" */
} Step;

typedef struct
{
  const char *page;    /* lookup, ports, sockets, preferences */
  Step        setup[5];
  const char *field;
  const char *value;
  const char *submit;  /* a button or switch to press; NULL: Enter in the field */
  const char *says;    /* words the message holds; for a spin button "=same",
                        * "=same" or "=same", the value it takes */
  const char *key;     /* the setting the field itself holds, if any */
  gboolean    tried;   /* a socket was tried: the timeline shows it, failed, with
                        * the same words */
} Case;

#define KIND(k) { "Question › Look Up", k }
#define SECTION(s) { "#section_dropdown", s }
/* Connect is pinned under the Sockets page's column, out of the Client
 * group that scrolls. */
#define CONNECTED(proto, port) \
  { "Client › Protocol", proto }, { "Client › Host, Address or Path", "127.0.0.1" }, \
  { "Client › Port", port }, { "Connect", "click" }

static const Case cases[] = {
  /* Lookup: addresses */
  { "lookup", { { NULL } }, "Question › Host Name or Address", "", NULL,
    "Both the host and the service are empty" },
  { "lookup", { { NULL } }, "Question › Host Name or Address", "bad name", NULL,
    "“bad name” contains a space, which a host name cannot hold" },
  { "lookup", { { NULL } }, "Question › Host Name or Address", "$LABEL_64", NULL,
    "is 64 characters long; DNS allows at most 63" },
  { "lookup", { { NULL } }, "Question › Host Name or Address", "$LONG_NAME", NULL,
    "DNS allows at most 253" },
  { "lookup", { { NULL } }, "Question › Host Name or Address", "$HUGE_NAME", NULL,
    "DNS allows at most 253" },
  { "lookup", { { NULL } }, "Question › Host Name or Address", "tab\there", NULL,
    "the control character U+0009" },
  { "lookup", { { NULL } }, "Question › Host Name or Address", "bell\ahere", NULL,
    "the control character U+0007" },
  { "lookup", { { NULL } }, "Question › Host Name or Address", "999.1.1.1", NULL,
    "is not a valid IPv4 address" },
  { "lookup", { { NULL } }, "Question › Host Name or Address", "-bad.example", NULL,
    "begins or ends with a hyphen" },
  { "lookup", { { NULL } }, "Question › Host Name or Address", "a..b", NULL,
    "an empty label" },
  { "lookup", { { "Question › Host Name or Address", "localhost" } },
    "Question › Service or Port (optional)", "70000", NULL,
    "Port 70000 is out of range: ports go from 0 to 65535" },
  { "lookup", { { "Question › Host Name or Address", "localhost" } },
    "Question › Service or Port (optional)", "$HUGE", NULL, "is out of range" },
  { "lookup", { { "Question › Host Name or Address", "localhost" } },
    "Question › Service or Port (optional)", "-http", NULL,
    "does not begin with a letter or a digit" },
  { "lookup", { { "Question › Host Name or Address", "localhost" } },
    "Question › Service or Port (optional)", "$SERVICE_70", NULL,
    "The service name is too long" },
  /* Lookup: the other kinds */
  { "lookup", { KIND ("Host Details") }, "Question › Host Name", "", NULL,
    "The name is empty" },
  { "lookup", { KIND ("Host Details") }, "Question › Host Name", "bad name", NULL, "a space" },
  { "lookup", { KIND ("Reverse") }, "Question › Address or Host Name", "", NULL,
    "The name is empty" },
  { "lookup", { KIND ("Reverse") }, "Question › Address or Host Name", "1.2.3.4.5", NULL,
    "is not a valid IPv4 address" },
  { "lookup", { KIND ("Service") }, "Question › Service Name or Port", "+22", NULL,
    "does not begin with a letter or a digit" },
  { "lookup", { KIND ("Service") }, "Question › Service Name or Port", "70000", NULL,
    "Port 70000 is out of range" },
  { "lookup", { KIND ("DNS Records") }, "Question › Domain Name", "192.0.2.1", NULL,
    "DNS records belong to names, not addresses" },
  { "lookup", { KIND ("DNS Records") }, "Question › Domain Name", "$LABEL_64", NULL,
    "DNS allows at most 63" },

  /* Ports: is this port free? */
  { "ports", { SECTION ("Status") }, "Is This Port Free? › Port", "", NULL,
    "The port is empty" },
  { "ports", { SECTION ("Status") }, "Is This Port Free? › Port", "abc", NULL,
    "“abc” is not a port number" },
  { "ports", { SECTION ("Status") }, "Is This Port Free? › Port", "70000", NULL,
    "Port 70000 is out of range" },
  { "ports", { SECTION ("Status") }, "Is This Port Free? › Port", "-1", NULL,
    "Port -1 is out of range" },
  { "ports", { SECTION ("Status") }, "Is This Port Free? › Port", "$HUGE", NULL,
    "is out of range" },
  { "ports", { SECTION ("Status") }, "Is This Port Free? › Port", "0", NULL,
    "Port 0 is not a port to ask about" },
  { "ports", { SECTION ("Status") }, "Is This Port Free? › Port", "2\x1b[2J", NULL,
    "is not a port number" },
  /* Ports: connect check */
  { "ports", { SECTION ("Status") }, "Connect Check › Host Name or Address", "", "Check",
    "The name is empty" },
  { "ports", { SECTION ("Status") }, "Connect Check › Host Name or Address", "bad host",
    "Check", "a space" },
  { "ports", { SECTION ("Status"), { "Connect Check › Host Name or Address", "127.0.0.1" } },
    "Connect Check › Port or Range, Such as 20-25", "1-2000", NULL,
    "at most 1024 may be checked at once" },
  { "ports", { SECTION ("Status"), { "Connect Check › Host Name or Address", "127.0.0.1" } },
    "Connect Check › Port or Range, Such as 20-25", "30-20", NULL, "runs backwards" },
  { "ports", { SECTION ("Status"), { "Connect Check › Host Name or Address", "127.0.0.1" } },
    "Connect Check › Port or Range, Such as 20-25", "0", "Check",
    "Port 0 is not a port to ask about" },
  { "ports", { SECTION ("Status"), { "Connect Check › Host Name or Address", "127.0.0.1" } },
    "Connect Check › Port or Range, Such as 20-25", "", "Check",
    "The port is empty" },
  /* Ports: the address inspector and byte order */
  { "ports", { SECTION ("Addresses") }, "Address Inspector › Address", "", NULL,
    "The address is empty" },
  { "ports", { SECTION ("Addresses") }, "Address Inspector › Address", "$HUGE", NULL,
    "is not a valid IPv4 address" },
  { "ports", { SECTION ("Addresses") }, "Address Inspector › Address", "1.2.3.4.5", NULL,
    "is not a valid IPv4 address" },
  { "ports", { SECTION ("Addresses") }, "Address Inspector › Address", "::1::1", NULL,
    "is not a valid IPv6 address" },
  { "ports", { SECTION ("Addresses") }, "Address Inspector › Address", "[::1]:65536", NULL,
    "Port 65536 is out of range" },
  { "ports", { SECTION ("Addresses") }, "Address Inspector › Address", "[::1", NULL,
    "has “[” but no “]”" },
  { "ports", { SECTION ("Addresses") }, "Address Inspector › Address", "fe80::1%", NULL,
    "with no interface after it" },
  { "ports", { SECTION ("Addresses") }, "Address Inspector › Address", "192.0.2.1\x1b[2J", NULL,
    "a space or a control character" },
  { "ports", { SECTION ("Addresses") }, "Address Inspector › Address", "example.org", NULL,
    "use the Lookup page" },
  { "ports", { SECTION ("Addresses") }, "Byte Order › Number, in Decimal or After 0x in Hex",
    "", NULL, "The number is empty: type one such as 8080 or 0x1f90" },
  { "ports", { SECTION ("Addresses") }, "Byte Order › Number, in Decimal or After 0x in Hex",
    "abc", NULL, "“abc”" },
  { "ports", { SECTION ("Addresses") }, "Byte Order › Number, in Decimal or After 0x in Hex",
    "-1", NULL, "“-1”" },
  { "ports", { SECTION ("Addresses"), { "Byte Order › Width", "16 bits, htons()" } },
    "Byte Order › Number, in Decimal or After 0x in Hex", "65536", NULL,
    "65536" },
  { "ports", { SECTION ("Addresses") }, "Byte Order › Number, in Decimal or After 0x in Hex",
    "0x", NULL, "“0x”" },
  { "ports", { SECTION ("Addresses") }, "Byte Order › Number, in Decimal or After 0x in Hex",
    "$HUGE", NULL, "does not fit in 16 bits: htons() takes numbers from 0 to 65535" },
  /* Ports: the searches say when nothing matches */
  { "ports", { SECTION ("Services") }, "Name, alias or port number", "\x01\x02", NULL,
    "#count_label:0 of " },
  { "ports", { SECTION ("Services") }, "Name, alias or port number", "$HUGE", NULL,
    "#count_label:0 of " },
  { "ports", { SECTION ("Constants") }, "Name, meaning or value", "XX_", NULL,
    "No constant matches “XX_”" },
  { "ports", { SECTION ("Constants") }, "Name, meaning or value", "\x1b[2J", NULL,
    "No constant matches “?[2J”" },

  /* Sockets: the client */
  { "sockets", { { NULL } }, "Client › Host, Address or Path", "", NULL,
    "Type a host name or an address, such as 127.0.0.1" },
  { "sockets", { { NULL } }, "Client › Host, Address or Path", "bad host", NULL, "a space" },
  { "sockets", { { NULL } }, "Client › Host, Address or Path", "999.1.1.1", NULL,
    "is not a valid IPv4 address" },
  { "sockets", { { NULL } }, "Client › Host, Address or Path", "$HUGE_NAME", NULL,
    "DNS allows at most 253" },
  { "sockets", { { "Client › Port", "$CLOSED" } }, "Client › Host, Address or Path", "127.0.0.1",
    "Connect",
    "The connection was refused: nothing is listening on that port (ECONNREFUSED)", NULL, TRUE },
  { "sockets", { { "Client › Protocol", "Unix path" } }, "Client › Host, Address or Path", "", NULL,
    "Type the path of a Unix-domain socket" },
  { "sockets", { { "Client › Protocol", "Unix path" } }, "Client › Host, Address or Path",
    "/nonexistent-folder/echo.sock", NULL, "(ENOENT)", NULL, TRUE },
  { "sockets", { { "Client › Protocol", "Unix path" } }, "Client › Host, Address or Path",
    "$LONG_PATH", NULL, "(ENAMETOOLONG)" },
  { "sockets", { { NULL } }, "Client › Port", "70000", NULL, "=same" },
  { "sockets", { { NULL } }, "Client › Port", "abc", NULL, "=same" },
  { "sockets", { { NULL } }, "Client › Port", "-5", NULL, "=same" },
  { "sockets", { { NULL } }, "#options_group › Chunk Size", "-1", NULL, "=same" },
  { "sockets", { { NULL } }, "#options_group › Delay Between Chunks", "$HUGE", NULL, "=same" },
  { "sockets", { { NULL } }, "#options_group › Read Buffer", "0", NULL, "=same" },
  { "sockets", { { NULL } }, "#options_group › Receive Timeout", "1e9", NULL, "=same" },
  /* Sockets: what the client sends */
  { "sockets", { CONNECTED ("TCP", "$HELD_TCP") }, "#payload_view", "bad \\q escape",
    "#send_button", "Unknown escape “\\q”" },
  { "sockets",
    { CONNECTED ("TCP", "$HELD_TCP"), { "#options_group › Payload Format", "Hex bytes" } },
    "#payload_view", "4g", "#send_button", "“g”" },
  { "sockets",
    { CONNECTED ("TCP", "$HELD_TCP"), { "#options_group › Payload Format", "Hex bytes" } },
    "#payload_view", "486", "#send_button", "hex" },
  { "sockets", { CONNECTED ("UDP", "$HELD_UDP") }, "#payload_view", "$BIG", "#send_button",
    "A datagram of 70000 bytes is too long: one UDP datagram holds at most 65507 bytes" },
  { "sockets", { CONNECTED ("UDP", "$HELD_UDP"), { "#options_group › Chunk Size", "65508" } },
    "#payload_view", "$BIG", "#send_button", "A datagram of 65508 bytes is too long" },
  /* The port closed: the ICMP port unreachable that comes back is said. */
  { "sockets", { CONNECTED ("UDP", "$CLOSED_UDP") }, "#payload_view", "hi", "#send_button",
    "with an ICMP error: The connection was refused: nothing is listening on that port "
    "(ECONNREFUSED)", NULL, TRUE },
  /* Sockets: the servers */
  { "sockets", { { NULL } }, "TCP echo › Port", "$HELD_TCP", "TCP echo › #run_switch",
    "(EADDRINUSE)" },
  { "sockets", { { NULL } }, "UDP echo › Port", "$HELD_UDP", "UDP echo › #run_switch",
    "(EADDRINUSE)" },
  { "sockets", { { NULL } }, "Tiny HTTP › Port", "$PRIVILEGED", "Tiny HTTP › #run_switch",
    "Permission denied: ports below 1024 need administrator rights on most systems (EACCES)" },
  { "sockets", { { NULL } }, "TCP message › Message, with Escapes", "\\q",
    "TCP message › #run_switch", "Unknown escape “\\q”" },
  { "sockets", { { NULL } }, "Unix echo › Socket Path", "", "Unix echo › #run_switch",
    "A Unix-domain server needs a path to listen on" },
  { "sockets", { { NULL } }, "Unix echo › Socket Path", "/nonexistent-folder/echo.sock",
    "Unix echo › #run_switch", "(ENOENT)" },
  { "sockets", { { NULL } }, "Unix echo › Socket Path", "$LONG_PATH", "Unix echo › #run_switch",
    "(ENAMETOOLONG)" },
  { "sockets", { { NULL } }, "TCP echo › Port", "70000", NULL, "=same" },
  { "sockets", { { NULL } }, "TCP echo › Listen Backlog", "-1", NULL, "=same" },
  { "sockets", { { NULL } }, "TCP echo › Read Buffer", "0", NULL, "=same" },
  { "sockets", { { NULL } }, "TCP echo › Maximum Connections", "many", NULL, "=same" },

  /* Preferences */
  { "preferences", { { NULL } }, "Recording › Payload Cap", "$HUGE", NULL, "=same",
    "payload-cap-mib" },
  { "preferences", { { NULL } }, "Recording › Payload Cap", "0", NULL, "=same",
    "payload-cap-mib" },
  { "preferences", { { NULL } }, "Recording › Idle Timeout", "86401", NULL, "=same",
    "idle-timeout" },
  { "preferences", { { NULL } }, "Recording › Idle Timeout", "soon", NULL, "=same",
    "idle-timeout" },
  { "preferences", { { NULL } }, "Lookups › Timeout", "-3", NULL, "=same", "lookup-timeout" },
  { "preferences", { { NULL } }, "Lookups › Timeout", "\x01", NULL, "=same", "lookup-timeout" },
};

/* ------------------------------------------------------------------------ */
/* The values a table cell names with $                                      */

static int held_tcp = -1, held_udp = -1, closed_tcp = -1;

static guint16
bound_port (int fd)
{
  struct sockaddr_in address;
  socklen_t length = sizeof address;

  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &length), ==, 0);
  return ntohs (address.sin_port);
}

static int
loopback_socket (int type,
                 gboolean listening)
{
  struct sockaddr_in address = { .sin_family = AF_INET };
  int fd = socket (AF_INET, type | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  if (listening)
    g_assert_cmpint (listen (fd, 4), ==, 0);
  return fd;
}

static char *
expand (const char *value)
{
  if (value == NULL || value[0] != '$')
    return g_strdup (value);
  if (strcmp (value, "$HUGE") == 0)
    return g_strnfill (5000, '9');
  if (strcmp (value, "$HUGE_NAME") == 0)
    return g_strnfill (5000, 'a');
  if (strcmp (value, "$LABEL_64") == 0)
    {
      g_autofree char *label = g_strnfill (64, 'b');

      return g_strconcat (label, ".example", NULL);
    }
  if (strcmp (value, "$LONG_NAME") == 0)
    {
      g_autofree char *label = g_strnfill (50, 'a');

      return g_strjoin (".", label, label, label, label, label, label, NULL);
    }
  if (strcmp (value, "$SERVICE_70") == 0)
    return g_strnfill (70, 's');
  if (strcmp (value, "$BIG") == 0)
    return g_strnfill (70000, 'x');
  if (strcmp (value, "$LONG_PATH") == 0)
    {
      g_autofree char *name = g_strnfill (200, 'p');

      return g_build_filename (g_get_tmp_dir (), name, NULL);
    }
  if (strcmp (value, "$HELD_TCP") == 0)
    return g_strdup_printf ("%u", bound_port (held_tcp));
  if (strcmp (value, "$HELD_UDP") == 0)
    return g_strdup_printf ("%u", bound_port (held_udp));
  if (strcmp (value, "$CLOSED") == 0)
    return g_strdup_printf ("%u", bound_port (closed_tcp));
  if (strcmp (value, "$CLOSED_UDP") == 0)
    {
      /* Bound a moment, then closed: nothing is there to take a datagram. */
      int fd = loopback_socket (SOCK_DGRAM, FALSE);
      guint16 port = bound_port (fd);

      close (fd);
      return g_strdup_printf ("%u", port);
    }
  if (strcmp (value, "$PRIVILEGED") == 0)
    return g_strdup ("80");
  g_error ("no value is named %s", value);
}

/* ------------------------------------------------------------------------ */
/* Finding a field as a user does: by the titles on the way to it           */

static char *
without_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static gboolean
label_says (GtkWidget     *widget,
            gconstpointer  name)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), name) == 0;
}

static gboolean
is_named (GtkWidget  *widget,
          const char *name)
{
  g_autofree char *title = NULL;

  if (name[0] == '#')
    return FALSE;
  if (ADW_IS_PREFERENCES_ROW (widget))
    title = without_mnemonic (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  else if (ADW_IS_PREFERENCES_GROUP (widget))
    title = g_strdup (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)));
  else if (GTK_IS_SEARCH_ENTRY (widget))
    g_object_get (widget, "placeholder-text", &title, NULL);
  else if (GTK_IS_BUTTON (widget) && !GTK_IS_TOGGLE_BUTTON (widget))
    return widget_search (widget, label_says, name) != NULL;
  return g_strcmp0 (title, name) == 0;
}

/* "#name": a widget of one of our templates, by its id there. */
static GObject *
own_template_child (GtkWidget  *widget,
                    const char *id)
{
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Scope"))
    for (GType type = G_OBJECT_TYPE (widget); type != GTK_TYPE_WIDGET && type != 0;
         type = g_type_parent (type))
      {
        GObject *child = gtk_widget_get_template_child (widget, type, id);

        if (child != NULL)
          return child;
      }
  return NULL;
}

static gboolean
has_template_child (GtkWidget     *widget,
                    gconstpointer  id)
{
  return own_template_child (widget, id) != NULL;
}

static GtkWidget *
template_child (GtkWidget  *widget,
                const char *id)
{
  GtkWidget *owner = widget_search (widget, has_template_child, id);

  return owner != NULL ? GTK_WIDGET (own_template_child (owner, id)) : NULL;
}

static GtkWidget *
find_named (GtkWidget  *scope,
            const char *name)
{
  if (name[0] == '#')
    return template_child (scope, name + 1);
  for (GtkWidget *child = gtk_widget_get_first_child (scope); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if (is_named (child, name))
        return child;
      found = find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_field (GtkWidget  *root,
            const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, " › ", -1);
  GtkWidget *widget = root;

  for (guint i = 0; names[i] != NULL; i++)
    {
      widget = find_named (widget, names[i]);
      if (widget == NULL)
        g_error ("no “%s” on the way to “%s”", names[i], path);
      /* What an expander row holds, a user opens it to see. */
      if (ADW_IS_EXPANDER_ROW (widget) && names[i + 1] != NULL)
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (widget), TRUE);
    }
  /* An action row is named for the spin button it holds. */
  if (ADW_IS_ACTION_ROW (widget) && !ADW_IS_COMBO_ROW (widget))
    {
      GtkWidget *spin = widget_find_of_type (widget, GTK_TYPE_SPIN_BUTTON);

      if (spin != NULL)
        return spin;
    }
  return widget;
}

/* ------------------------------------------------------------------------ */
/* Typing, choosing, pressing                                                */

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static char *
item_text (gpointer item)
{
  char *text = NULL;

  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (item));
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (item), "title") != NULL)
    g_object_get (item, "title", &text, NULL);
  return text;
}

static guint
item_position (GListModel *model,
               const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *shown = item_text (item);

      if (g_strcmp0 (shown, text) == 0)
        return i;
    }
  g_error ("no item “%s” to choose", text);
}

/* As a user does, wait for what was asked before (a connection, say) to
 * make the widget pressable. */
static void
press (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!gtk_widget_is_sensitive (widget) && g_get_monotonic_time () < deadline)
    settle (10);
  g_assert_true (gtk_widget_is_sensitive (widget));
  /* A button clicks as the mouse clicks it, at once: activating it would
   * show it pressed for a quarter of a second first. */
  if (GTK_IS_BUTTON (widget) && !GTK_IS_TOGGLE_BUTTON (widget))
    g_signal_emit_by_name (widget, "clicked");
  else
    gtk_widget_activate (widget);
}

/* Enter in a text field: its GtkText says "activate", as on a key press. */
static void
press_enter (GtkWidget *field)
{
  GtkWidget *text = GTK_IS_TEXT (field) ? field : widget_find_of_type (field, GTK_TYPE_TEXT);

  g_assert_nonnull (text);
  g_assert_true (gtk_widget_is_sensitive (text));
  g_signal_emit_by_name (text, "activate");
}

static void
put (GtkWidget  *widget,
     const char *value)
{
  if (strcmp (value, "click") == 0)
    press (widget);
  else if (ADW_IS_COMBO_ROW (widget))
    adw_combo_row_set_selected (ADW_COMBO_ROW (widget),
                                item_position (adw_combo_row_get_model (ADW_COMBO_ROW (widget)),
                                               value));
  else if (GTK_IS_DROP_DOWN (widget))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (widget),
                                item_position (gtk_drop_down_get_model (GTK_DROP_DOWN (widget)),
                                               value));
  else if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), value, -1);
  else if (GTK_IS_EDITABLE (widget))
    gtk_editable_set_text (GTK_EDITABLE (widget), value);
  else
    g_error ("a %s takes no value", G_OBJECT_TYPE_NAME (widget));
}

/* ------------------------------------------------------------------------ */
/* What the window says, and what it holds                                   */

static void
collect_labels (GtkWidget *widget,
                gboolean   inside,
                GString   *out)
{
  GtkAccessibleRole role;

  if (!gtk_widget_get_visible (widget))
    return;
  role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));
  inside = inside || role == GTK_ACCESSIBLE_ROLE_ALERT || role == GTK_ACCESSIBLE_ROLE_STATUS;
  if (inside && GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, inside, out);
}

/* The alerts on screen; a server's row says its error in its subtitle;
 * "#id:" in the table reads that widget's labels instead. */
static char *
said (GtkWidget  *root,
      GtkWidget  *field,
      const char *where)
{
  GString *out = g_string_new (NULL);

  if (where != NULL)
    {
      GtkWidget *widget = template_child (root, where);

      g_assert_nonnull (widget);
      collect_labels (widget, TRUE, out);
      return g_string_free (out, FALSE);
    }
  collect_labels (root, FALSE, out);
  for (GtkWidget *w = field; w != NULL; w = gtk_widget_get_parent (w))
    if (ADW_IS_EXPANDER_ROW (w))
      g_string_append_printf (out, "%s\n", adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (w)));
  return g_string_free (out, FALSE);
}

static void
snapshot_inputs (GtkWidget *widget,
                 GtkWidget *field,
                 GString   *out)
{
  const char *type = G_OBJECT_TYPE_NAME (widget);

  if (widget == field)
    return;
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_string_append_printf (out, "%s “%s”\n", type, text);
      return;
    }
  if (ADW_IS_COMBO_ROW (widget))
    {
      g_string_append_printf (out, "%s %u\n", type,
                              adw_combo_row_get_selected (ADW_COMBO_ROW (widget)));
      return;
    }
  if (GTK_IS_DROP_DOWN (widget))
    {
      g_string_append_printf (out, "%s %u\n", type,
                              gtk_drop_down_get_selected (GTK_DROP_DOWN (widget)));
      return;
    }
  if (GTK_IS_SWITCH (widget))
    {
      g_string_append_printf (out, "%s %d\n", type, gtk_switch_get_active (GTK_SWITCH (widget)));
      return;
    }
  if (GTK_IS_TOGGLE_BUTTON (widget))
    g_string_append_printf (out, "%s %d\n", type,
                            gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget)));
  if (GTK_IS_EDITABLE (widget))
    {
      g_string_append_printf (out, "%s “%s”\n", type,
                              gtk_editable_get_text (GTK_EDITABLE (widget)));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    snapshot_inputs (child, field, out);
}

/* Everything but the field itself: the other inputs, the settings, the
 * sockets and events recorded, the lookups asked. */
static char *
snapshot (GtkWidget  *root,
          GtkWidget  *field,
          GSettings  *settings,
          const char *own_key)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  GtkWidget *page;

  snapshot_inputs (root, field, out);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    if (g_strcmp0 (keys[i], own_key) != 0)
      {
        g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
        g_autofree char *shown = g_variant_print (value, FALSE);

        g_string_append_printf (out, "setting %s=%s\n", keys[i], shown);
      }
  if ((page = widget_find_of_type (root, SCOPE_TYPE_SOCKETS_PAGE)) != NULL)
    {
      ScopeRecorder *recorder = scope_sockets_page_get_recorder (SCOPE_SOCKETS_PAGE (page));

      scope_recorder_flush (recorder);
      g_string_append_printf (out, "recorded %u sockets, %" G_GUINT64_FORMAT " events\n",
                              scope_recorder_get_n_sockets (recorder),
                              scope_recorder_get_n_events (recorder));
    }
  if ((page = widget_find_of_type (root, SCOPE_TYPE_LOOKUP_PAGE)) != NULL)
    {
      GtkWidget *history = template_child (page, "history_list");
      guint n = 0;

      for (GtkWidget *row = gtk_widget_get_first_child (history); row != NULL;
           row = gtk_widget_get_next_sibling (row))
        n++;
      g_string_append_printf (out, "%u lookups, busy %d\n", n,
                              scope_lookup_page_get_busy (SCOPE_LOOKUP_PAGE (page)));
    }
  return g_string_free (out, FALSE);
}

static void
assert_clean_words (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && g_unichar_iscntrl (c))
        g_error ("a control character U+%04X in “%s”", c, text);
    }
}

/* ------------------------------------------------------------------------ */
/* A privileged port, even for root                                          */

static gboolean
allow_privileged_ports (gboolean allow)
{
#ifdef __linux__
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = { { 0 } };
  guint32 bit = 1u << (CAP_NET_BIND_SERVICE % 32);

  if (syscall (SYS_capget, &header, data) != 0)
    return FALSE;
  if (allow)
    data[CAP_NET_BIND_SERVICE / 32].effective |= bit & data[CAP_NET_BIND_SERVICE / 32].permitted;
  else
    data[CAP_NET_BIND_SERVICE / 32].effective &= ~bit;
  return syscall (SYS_capset, &header, data) == 0;
#else
  return allow;
#endif
}

static gboolean
port_80_is_privileged (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/net/ipv4/ip_unprivileged_port_start", &text, NULL, NULL))
    return TRUE;
  return g_ascii_strtoull (text, NULL, 10) > 80;
}

/* ------------------------------------------------------------------------ */

static void
reset_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static void
check_spin (GtkSpinButton *spin,
            const char    *says,
            double         before)
{
  double value = gtk_spin_button_get_value (spin);
  double shown = g_ascii_strtod (gtk_editable_get_text (GTK_EDITABLE (spin)), NULL);

  g_assert_cmpstr (says, ==, "=same");
  g_assert_cmpfloat (value, ==, before);
  /* The field shows the value it holds, not the text typed. */
  g_assert_cmpfloat (shown, ==, value);
}

/* The attempt is on the timeline, as an error in the same words. */
static void
assert_tried (GtkWidget  *root,
              const char *words)
{
  GtkWidget *page = widget_find_of_type (root, SCOPE_TYPE_SOCKETS_PAGE);
  ScopeRecorder *recorder = scope_sockets_page_get_recorder (SCOPE_SOCKETS_PAGE (page));
  gboolean found = FALSE;

  scope_recorder_flush (recorder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (recorder)) && !found; i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (G_LIST_MODEL (recorder), i);
      g_autofree char *message = NULL;

      if (scope_event_get_kind (event) != SCOPE_EVENT_ERROR)
        continue;
      message = scope_event_dup_message (event);
      found = strstr (message, words) != NULL;
    }
  if (!found)
    g_error ("the timeline has no error that says “%s”", words);
}

/* Line by line, but for the sockets recorded where one was tried. */
static void
assert_same (const char *before,
             const char *after,
             gboolean    tried)
{
  g_auto(GStrv) old = g_strsplit (before, "\n", -1);
  g_auto(GStrv) now = g_strsplit (after, "\n", -1);
  guint i = 0, j = 0;

  for (;;)
    {
      while (tried && old[i] != NULL && g_str_has_prefix (old[i], "recorded "))
        i++;
      while (tried && now[j] != NULL && g_str_has_prefix (now[j], "recorded "))
        j++;
      if (old[i] == NULL || now[j] == NULL)
        break;
      if (strcmp (old[i], now[j]) != 0)
        g_error ("something else changed: “%s” became “%s”", old[i], now[j]);
      i++;
      j++;
    }
  if (old[i] != NULL || now[j] != NULL)
    g_error ("something else changed: “%s” became “%s”", old[i] ? old[i] : "(nothing)",
             now[j] ? now[j] : "(nothing)");
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *value = expand (c->value);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *where = NULL;
  const char *words = c->says;
  gboolean unprivileged = FALSE;
  GtkWidget *root, *field;
  double spin_before = 0;

  if (g_strcmp0 (c->value, "$PRIVILEGED") == 0)
    {
      if (!port_80_is_privileged ())
        {
          g_test_skip ("this machine lets anyone bind port 80");
          return;
        }
      if (!allow_privileged_ports (FALSE))
        {
          g_test_skip ("could not give up CAP_NET_BIND_SERVICE");
          return;
        }
      unprivileged = TRUE;
    }
  if (words[0] == '#')
    {
      const char *colon = strchr (words, ':');

      where = g_strndup (words + 1, colon - words - 1);
      words = colon + 1;
    }
  g_test_message ("%s: %s ← “%.60s”", c->page, c->field, value);

  reset_settings (settings);
  if (strcmp (c->page, "preferences") == 0)
    root = g_object_ref_sink (GTK_WIDGET (scope_preferences_window_new (settings)));
  else
    {
      /* The page alone in a window: a whole ScopeWindow would make all
       * three pages for every row of the table. */
      GType type = strcmp (c->page, "lookup") == 0 ? SCOPE_TYPE_LOOKUP_PAGE
                   : strcmp (c->page, "ports") == 0 ? SCOPE_TYPE_PORTS_PAGE
                   : SCOPE_TYPE_SOCKETS_PAGE;

      root = g_object_ref (gtk_window_new ());
      gtk_window_set_default_size (GTK_WINDOW (root), 1000, 700);
      gtk_window_set_child (GTK_WINDOW (root), g_object_new (type, NULL));
    }
  gtk_window_present (GTK_WINDOW (root));
  while (!gtk_widget_get_mapped (root))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (c->setup) && c->setup[i].field != NULL; i++)
    {
      g_autofree char *step = expand (c->setup[i].value);
      GtkWidget *widget = find_field (root, c->setup[i].field);

      put (widget, step);
      if (GTK_IS_SPIN_BUTTON (widget))
        gtk_spin_button_update (GTK_SPIN_BUTTON (widget));
      settle (5);
      /* A button is insensitive while what it started (a connection) is
       * under way. */
      if (strcmp (step, "click") == 0)
        {
          gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

          settle (20);
          while (!gtk_widget_is_sensitive (widget) && g_get_monotonic_time () < deadline)
            settle (10);
          settle (20);
        }
    }

  field = find_field (root, c->field);
  if (GTK_IS_SPIN_BUTTON (field))
    spin_before = gtk_spin_button_get_value (GTK_SPIN_BUTTON (field));
  put (field, value);
  settle (5);
  before = snapshot (root, field, settings, c->key);

  if (c->submit != NULL)
    {
      /* Clicking elsewhere takes the focus from a spin button, which
       * then reads what was typed. */
      if (GTK_IS_SPIN_BUTTON (field))
        gtk_spin_button_update (GTK_SPIN_BUTTON (field));
      press (find_field (root, c->submit));
    }
  else
    press_enter (field);

  if (words[0] == '=')
    {
      g_autofree char *message = NULL;

      settle (20);
      check_spin (GTK_SPIN_BUTTON (field), words, spin_before);
      message = said (root, NULL, NULL);
      g_assert_cmpstr (message, ==, "");
    }
  else
    {
      gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      g_autofree char *message = NULL;

      for (;;)
        {
          g_free (message);
          message = said (root, field, where);
          if (strstr (message, words) != NULL || g_get_monotonic_time () > deadline)
            break;
          settle (10);
        }
      if (strstr (message, words) == NULL)
        g_error ("%s ← “%.60s”: no “%s” in what the page says: “%s”", c->field, value, words,
                 message);
      assert_clean_words (message);
    }

  settle (10);
  after = snapshot (root, field, settings, c->key);
  if (c->tried)
    assert_tried (root, words);
  assert_same (before, after, c->tried);

  if (unprivileged)
    allow_privileged_ports (TRUE);
  gtk_window_destroy (GTK_WINDOW (root));
  g_assert_finalize_object (root);
}

static void
test_table_size (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 60);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!widget_test_init (&argc, &argv))
    return 0;


  held_tcp = loopback_socket (SOCK_STREAM, TRUE);
  held_udp = loopback_socket (SOCK_DGRAM, FALSE);
  closed_tcp = loopback_socket (SOCK_STREAM, FALSE);

  g_test_add_func ("/bad-input-ui/table-size", test_table_size);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input-ui/%s/%02zu", cases[i].page, i + 1);

      g_test_add_data_func (path, &cases[i], run_case);
    }
  status = g_test_run ();
  close (held_tcp);
  close (held_udp);
  close (closed_tcp);
  return status;
}
