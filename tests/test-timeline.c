/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include <adwaita.h>

#include "scope-timeline-private.h"
#include "scope-text.h"
#include "widget-test.h"

/* The timeline on a synthetic session of a known shape: lanes, the bands
 * of S14's merged receive and S11's split one, UDP's one arrow per
 * datagram, zoom about the pointer, selection and its words, images. */

typedef struct
{
  gint64         now;
  ScopeRecorder *recorder;
  GtkWidget     *window;
  ScopeTimeline *timeline;
  guint          listener, client, connection, udp_server, udp_client;
  gint64         eased_from, eased_to;   /* note_eased_view()'s */
  double        *eased_range;
  guint         *eased_frames;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->now;
}

static GSocketAddress *
inet (const char *ip,
      guint16     port)
{
  return g_inet_socket_address_new_from_string (ip, port);
}

static void
at (Fixture *f,
    gint64   time_us)
{
  f->now = time_us;
}

static void
append (Fixture        *f,
        gint64          time_us,
        guint           socket,
        ScopeEventKind  kind,
        const char     *data)
{
  at (f, time_us);
  scope_recorder_append (f->recorder, socket, kind, (const guint8 *) data,
                         data ? strlen (data) : 0);
}

static void
datagram (Fixture        *f,
          gint64          time_us,
          guint           socket,
          ScopeEventKind  kind,
          guint16         peer_port,
          const char     *data)
{
  g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", peer_port);

  at (f, time_us);
  scope_recorder_append_datagram (f->recorder, socket, kind, peer, (const guint8 *) data,
                                  strlen (data));
}

/* Events, by index:
 *  0 listen  1 connect  2 accept  3 send "Hi!"  4 send "Hope you're well"
 *  5 recv of both (19)  6 send of 40  7, 8, 9 recv of 16, 16 and 8
 * 10 shutdown  11 recv 0  12 close  13 close
 * 14 sendto "a"  15 recvfrom "a"  16 sendto "A"  17 recvfrom "A" */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client_address = inet ("127.0.0.1", 53122);
  g_autoptr(GSocketAddress) udp_server_address = inet ("127.0.0.1", 50001);
  g_autoptr(GSocketAddress) udp_client_address = inet ("127.0.0.1", 40000);
  const char *forty = "0123456789abcdefghijklmnopqrstuvwxyzABCD";

  f->now = 0;
  f->recorder = scope_recorder_new ();
  scope_recorder_set_clock (f->recorder, fake_clock, f);

  at (f, 100);
  f->listener = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                           "tcp-echo", server_address, NULL, 0);
  append (f, 100, f->listener, SCOPE_EVENT_LISTEN, NULL);
  at (f, 1000);
  f->client = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                         "client", client_address, server_address, 0);
  append (f, 1000, f->client, SCOPE_EVENT_CONNECT, NULL);
  at (f, 1100);
  f->connection = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                             SCOPE_PROTOCOL_TCP, "tcp-echo", server_address,
                                             client_address, f->listener);
  scope_recorder_append_accept (f->recorder, f->listener, f->connection);

  append (f, 2000, f->client, SCOPE_EVENT_SEND, "Hi!");
  append (f, 3000, f->client, SCOPE_EVENT_SEND, "Hope you're well");
  append (f, 4000, f->connection, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  append (f, 5000, f->connection, SCOPE_EVENT_SEND, forty);
  append (f, 6000, f->client, SCOPE_EVENT_RECV, "0123456789abcdef");
  append (f, 6100, f->client, SCOPE_EVENT_RECV, "ghijklmnopqrstuv");
  append (f, 6200, f->client, SCOPE_EVENT_RECV, "wxyzABCD");
  append (f, 7000, f->client, SCOPE_EVENT_SHUTDOWN, NULL);
  append (f, 7100, f->connection, SCOPE_EVENT_RECV, NULL);
  append (f, 7200, f->connection, SCOPE_EVENT_CLOSE, NULL);
  append (f, 7300, f->client, SCOPE_EVENT_CLOSE, NULL);

  at (f, 7500);
  f->udp_server = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_DATAGRAM,
                                             SCOPE_PROTOCOL_UDP, "udp-upper", udp_server_address,
                                             NULL, 0);
  f->udp_client = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP,
                                             "client", udp_client_address, udp_server_address, 0);
  datagram (f, 8000, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "a");
  datagram (f, 8100, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, "a");
  datagram (f, 8200, f->udp_server, SCOPE_EVENT_SENDTO, 40000, "A");
  datagram (f, 8300, f->udp_client, SCOPE_EVENT_RECVFROM, 50001, "A");
  scope_recorder_flush (f->recorder);

  f->window = g_object_ref (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 480);
  f->timeline = SCOPE_TIMELINE (scope_timeline_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->timeline));
  scope_timeline_set_recorder (f->timeline, f->recorder);
  gtk_window_present (GTK_WINDOW (f->window));
  while (gtk_widget_get_width (GTK_WIDGET (f->timeline)) == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  g_assert_finalize_object (f->recorder);
}

static void
test_lanes (Fixture       *f,
            gconstpointer  data)
{
  const char *labels[] = {
    "tcp-echo listening on 127.0.0.1:50000",
    "tcp-echo :50000 ← 127.0.0.1:53122",
    "client 127.0.0.1:53122 → 127.0.0.1:50000",
    "udp-upper 127.0.0.1:50001 (UDP)",
    "client 127.0.0.1:40000 (UDP) → 127.0.0.1:50001",
  };
  guint sockets[] = { f->listener, f->connection, f->client, f->udp_server, f->udp_client };
  double previous = -1;

  /* A listener's connection sits under it, before the sockets made later. */
  g_assert_cmpuint (scope_timeline_get_n_lanes (f->timeline), ==, G_N_ELEMENTS (labels));
  for (guint row = 0; row < G_N_ELEMENTS (labels); row++)
    {
      g_autofree char *label = scope_timeline_dup_lane_label (f->timeline, row);
      graphene_rect_t area;

      g_assert_cmpstr (label, ==, labels[row]);
      g_assert_cmpuint (scope_timeline_get_lane_socket (f->timeline, row), ==, sockets[row]);
      g_assert_true (scope_timeline_get_lane_area (f->timeline, row, &area));
      g_assert_cmpfloat (area.origin.y, >, previous);
      previous = area.origin.y + area.size.height - 1;
    }
  g_assert_false (scope_timeline_get_lane_area (f->timeline, G_N_ELEMENTS (labels), NULL));
}

static void
assert_near (double a,
             double b)
{
  g_assert_cmpfloat_with_epsilon (a, b, 0.01);
}

/* S14: two sends, one receive. Each band leaves a whole send bar and lands
 * on its share of the receive's bar, in stream order. */
static void
test_links_merged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GArray) links = scope_timeline_get_links (f->timeline, 5);
  ScopeTimelineLink *first, *second;
  graphene_rect_t recv, send;

  g_assert_cmpuint (links->len, ==, 2);
  first = &g_array_index (links, ScopeTimelineLink, 0);
  second = &g_array_index (links, ScopeTimelineLink, 1);
  g_assert_cmpuint (first->send_index, ==, 3);
  g_assert_cmpuint (second->send_index, ==, 4);
  g_assert_cmpuint (first->recv_index, ==, 5);
  g_assert_cmpuint (first->stream_offset, ==, 0);
  g_assert_cmpuint (first->size, ==, 3);
  g_assert_cmpuint (second->stream_offset, ==, 3);
  g_assert_cmpuint (second->size, ==, 16);

  g_assert_true (scope_timeline_get_event_bounds (f->timeline, 5, &recv));
  assert_near (first->recv_top.y, recv.origin.y);
  assert_near (first->recv_bottom.y, recv.origin.y + recv.size.height * 3 / 19);
  assert_near (second->recv_top.y, first->recv_bottom.y);
  assert_near (second->recv_bottom.y, recv.origin.y + recv.size.height);
  assert_near (first->recv_top.x, recv.origin.x);

  g_assert_true (scope_timeline_get_event_bounds (f->timeline, 3, &send));
  assert_near (first->send_top.y, send.origin.y);
  assert_near (first->send_bottom.y, send.origin.y + send.size.height);
  assert_near (first->send_top.x, send.origin.x + send.size.width);
  /* Sends go up from the lane's middle, receives down: the bars are on
   * different lanes here, the connection's above the client's. */
  g_assert_cmpfloat (recv.origin.y, <, send.origin.y);

  /* From the send's side, the same band. */
  g_clear_pointer (&links, g_array_unref);
  links = scope_timeline_get_links (f->timeline, 4);
  g_assert_cmpuint (links->len, ==, 1);
  g_assert_cmpuint (g_array_index (links, ScopeTimelineLink, 0).recv_index, ==, 5);
  g_assert_cmpuint (g_array_index (links, ScopeTimelineLink, 0).stream_offset, ==, 3);
}

/* S11: one send of 40 bytes taken by receives of 16, 16 and 8. */
static void
test_links_split (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GArray) links = scope_timeline_get_links (f->timeline, 6);
  graphene_rect_t send;
  const guint sizes[] = { 16, 16, 8 };
  guint64 offset = 0;

  g_assert_true (scope_timeline_get_event_bounds (f->timeline, 6, &send));
  g_assert_cmpuint (links->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      ScopeTimelineLink *link = &g_array_index (links, ScopeTimelineLink, i);
      graphene_rect_t recv;

      g_assert_cmpuint (link->send_index, ==, 6);
      g_assert_cmpuint (link->recv_index, ==, 7 + i);
      g_assert_cmpuint (link->stream_offset, ==, offset);
      g_assert_cmpuint (link->size, ==, sizes[i]);
      assert_near (link->send_top.y, send.origin.y + send.size.height * offset / 40);
      offset += sizes[i];
      assert_near (link->send_bottom.y, send.origin.y + send.size.height * offset / 40);

      g_assert_true (scope_timeline_get_event_bounds (f->timeline, 7 + i, &recv));
      assert_near (link->recv_top.y, recv.origin.y);
      assert_near (link->recv_bottom.y, recv.origin.y + recv.size.height);
    }

  /* Lifecycle events and the zero-byte receive have no bands. */
  for (guint64 index = 10; index <= 13; index++)
    {
      g_autoptr(GArray) none = scope_timeline_get_links (f->timeline, index);

      g_assert_cmpuint (none->len, ==, 0);
    }
}

static void
test_links_udp (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GArray) request = scope_timeline_get_links (f->timeline, 14);
  g_autoptr(GArray) reply = scope_timeline_get_links (f->timeline, 17);

  g_assert_cmpuint (request->len, ==, 1);
  g_assert_cmpuint (g_array_index (request, ScopeTimelineLink, 0).recv_index, ==, 15);
  g_assert_cmpuint (g_array_index (request, ScopeTimelineLink, 0).size, ==, 1);
  g_assert_cmpuint (reply->len, ==, 1);
  g_assert_cmpuint (g_array_index (reply, ScopeTimelineLink, 0).send_index, ==, 16);
}

static void
test_zoom_keeps_pointer_time (Fixture       *f,
                              gconstpointer  data)
{
  double before, scale;

  scope_timeline_set_view (f->timeline, 20000, 10);
  g_assert_false (scope_timeline_get_follow (f->timeline));
  assert_near (scope_timeline_get_scale (f->timeline), 10);
  before = scope_timeline_x_to_time (f->timeline, 300);

  scope_timeline_zoom (f->timeline, 2, 300);
  assert_near (scope_timeline_get_scale (f->timeline), 5);
  assert_near (scope_timeline_x_to_time (f->timeline, 300), before);
  assert_near (scope_timeline_time_to_x (f->timeline, before), 300);

  scope_timeline_zoom (f->timeline, 0.25, 300);
  assert_near (scope_timeline_get_scale (f->timeline), 20);
  assert_near (scope_timeline_x_to_time (f->timeline, 300), before);

  /* Zooming out near the start keeps the session's start at the left. */
  scope_timeline_set_view (f->timeline, 100, 1);
  scope_timeline_zoom (f->timeline, 0.1, 300);
  assert_near (scope_timeline_get_start_time (f->timeline), 0);

  /* Fit: the whole session in the width from its first event, not from
   * the app's start (a third of the view before the first event, the
   * sixth trial), following again. */
  scope_timeline_zoom_to_fit (f->timeline);
  g_assert_true (scope_timeline_get_follow (f->timeline));
  assert_near (scope_timeline_get_start_time (f->timeline),
               scope_recorder_get_time_us (f->recorder, 0));
  g_assert_cmpint (scope_recorder_get_time_us (f->recorder, 0), >, 0);
  scale = scope_timeline_get_scale (f->timeline);
  g_assert_cmpfloat (scope_timeline_time_to_x (f->timeline, 8300), <=,
                     gtk_widget_get_width (GTK_WIDGET (f->timeline)));
  g_assert_cmpfloat (scope_timeline_time_to_x (f->timeline, 8300), >,
                     gtk_widget_get_width (GTK_WIDGET (f->timeline)) * 0.8);
  g_assert_cmpfloat (scale, >, 0);
}

static void
count_call (guint *calls)
{
  (*calls)++;
}

static void
test_selection (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *text = NULL;
  graphene_rect_t bounds;
  guint notified = 0;

  g_signal_connect_swapped (f->timeline, "notify::selected", G_CALLBACK (count_call),
                            &notified);

  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, -1);
  scope_timeline_set_selected (f->timeline, 5);
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, 5);
  g_assert_cmpuint (notified, ==, 1);
  scope_timeline_set_selected (f->timeline, 5);
  g_assert_cmpuint (notified, ==, 1);

  text = scope_timeline_describe_event (f->timeline, 5);
  g_assert_true (g_str_has_prefix (text, "recv of 19 bytes at 4.000 ms on tcp-echo :50000 ← "
                                         "127.0.0.1:53122: “Hi!Hope you're well”"));
  g_assert_true (g_str_has_suffix (text, "Sent by 2 calls"));
  g_clear_pointer (&text, g_free);
  text = scope_timeline_describe_event (f->timeline, 0);
  g_assert_cmpstr (text, ==, "listen at 100 µs on tcp-echo listening on 127.0.0.1:50000");

  /* A click on a bar picks its event; far from any, nothing. */
  scope_timeline_zoom_to_fit (f->timeline);
  g_assert_true (scope_timeline_get_event_bounds (f->timeline, 6, &bounds));
  g_assert_cmpint (scope_timeline_pick (f->timeline, bounds.origin.x + bounds.size.width / 2,
                                        bounds.origin.y + bounds.size.height / 2), ==, 6);
  g_assert_cmpint (scope_timeline_pick (f->timeline, 1, 1), ==, -1);

  /* Out of range is no selection. */
  scope_timeline_set_selected (f->timeline, 999);
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, -1);
}

/* Selecting an event off screen brings it into view. */
static void
test_selection_scrolls (Fixture       *f,
                        gconstpointer  data)
{
  double x;

  scope_timeline_set_view (f->timeline, 0, 0.5);
  x = scope_timeline_time_to_x (f->timeline, 8300);
  g_assert_cmpfloat (x, >, gtk_widget_get_width (GTK_WIDGET (f->timeline)));
  scope_timeline_set_selected (f->timeline, 17);
  x = scope_timeline_time_to_x (f->timeline, 8300);
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (f->timeline)));
}

static void
test_images (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("sockscope-timeline-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "t.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "t.svg", NULL);
  g_autofree char *txt = g_build_filename (dir, "t.txt", NULL);
  g_autofree char *missing = g_build_filename (dir, "none", "t.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (scope_timeline_save_image (f->timeline, png, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (contents, 4, "\x89PNG", 4);
  g_clear_pointer (&contents, g_free);

  g_assert_true (scope_timeline_save_image (f->timeline, svg, &error));
  g_assert_true (g_file_get_contents (svg, &contents, &length, NULL));
  g_assert_nonnull (strstr (contents, "<svg"));

  g_assert_false (scope_timeline_save_image (f->timeline, txt, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (scope_timeline_save_image (f->timeline, missing, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "t.png"));

  g_unlink (png);
  g_unlink (svg);
  g_rmdir (dir);
}

/* Many events in a few pixels: one bar per column, and the drawing is
 * still made of what the screen holds. */
static void
test_dense_lanes (Fixture       *f,
                  gconstpointer  data)
{
  GskRenderNode *node;
  graphene_rect_t bounds;

  for (guint i = 0; i < 50000; i++)
    {
      append (f, 10000 + i * 2, f->udp_client, SCOPE_EVENT_SENDTO, "x");
    }
  scope_recorder_flush (f->recorder);
  scope_timeline_zoom_to_fit (f->timeline);
  node = scope_timeline_render (f->timeline, 800, 480);
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  assert_near (bounds.size.width, 800);
  gsk_render_node_unref (node);

  /* Earlier bands still hold. */
  {
    g_autoptr(GArray) links = scope_timeline_get_links (f->timeline, 5);

    g_assert_cmpuint (links->len, ==, 2);
  }
}

static guint
count_text_nodes (GskRenderNode *node)
{
  guint n = 0;

  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_TEXT_NODE:
      return 1;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_text_nodes (gsk_container_node_get_child (node, i));
      return n;
    case GSK_CLIP_NODE:
      return count_text_nodes (gsk_clip_node_get_child (node));
    case GSK_TRANSFORM_NODE:
      return count_text_nodes (gsk_transform_node_get_child (node));
    default:
      return 0;
    }
}

/* An image of a session whose bytes were not all kept says so. */
static void
test_image_states_truncation (Fixture       *f,
                              gconstpointer  data)
{
  GskRenderNode *node = scope_timeline_render (f->timeline, 800, 480);
  guint before = count_text_nodes (node);

  gsk_render_node_unref (node);
  scope_recorder_set_payload_cap (f->recorder, 0);
  append (f, 9000, f->udp_client, SCOPE_EVENT_SENDTO, "past the cap");
  scope_recorder_flush (f->recorder);
  g_assert_cmpuint (scope_recorder_get_truncated_events (f->recorder), ==, 1);
  node = scope_timeline_render (f->timeline, 800, 480);
  /* The new bar's byte count, and the note. */
  g_assert_cmpuint (count_text_nodes (node), ==, before + 2);
  gsk_render_node_unref (node);
  g_assert_cmpuint (before, >, 0);
}

/* The thin, tall, red nodes of a drawing: the stop line. */
static void
find_tall_lines (GskRenderNode *node,
                 double         min_height,
                 GArray        *found)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_COLOR_NODE:
      {
        graphene_rect_t bounds;

        const GdkRGBA *color = gsk_color_node_get_color (node);

        gsk_render_node_get_bounds (node, &bounds);
        if (bounds.size.width <= 4 && bounds.size.height >= min_height
            && color->red > 0.6 && color->green < 0.3 && color->blue < 0.3)
          g_array_append_val (found, bounds);
      }
      return;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        find_tall_lines (gsk_container_node_get_child (node, i), min_height, found);
      return;
    case GSK_CLIP_NODE:
      find_tall_lines (gsk_clip_node_get_child (node), min_height, found);
      return;
    case GSK_TRANSFORM_NODE:
      find_tall_lines (gsk_transform_node_get_child (node), min_height, found);
      return;
    default:
      return;
    }
}

/* Recording stopped at the event limit: a line across the lanes where it
 * did, labelled, and the view reaches it. */
static void
test_stop_mark (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_autoptr(GArray) before = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  GskRenderNode *node;
  double x;

  scope_timeline_zoom_to_fit (f->timeline);
  node = scope_timeline_render (f->timeline, 800, 480);
  find_tall_lines (node, 200, before);
  gsk_render_node_unref (node);
  g_assert_cmpuint (before->len, ==, 0);

  scope_recorder_set_event_limit (f->recorder, 1000);
  for (guint i = 0; i < 1000; i++)
    append (f, 10000 + i * 10, f->udp_client, SCOPE_EVENT_SENDTO, "x");
  scope_recorder_flush (f->recorder);
  g_assert_cmpint (scope_recorder_get_state (f->recorder), ==,
                   SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT);
  g_assert_cmpint (scope_recorder_get_stopped_us (f->recorder), ==, 10000 + 982 * 10);

  scope_timeline_zoom_to_fit (f->timeline);
  node = scope_timeline_render (f->timeline, 800, 480);
  find_tall_lines (node, 200, lines);
  gsk_render_node_unref (node);

  /* One red line across the lanes, where recording stopped. */
  g_assert_cmpuint (lines->len, ==, 1);
  x = scope_timeline_time_to_x (f->timeline, scope_recorder_get_stopped_us (f->recorder));
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, 800);
  g_assert_cmpfloat (fabs (g_array_index (lines, graphene_rect_t, 0).origin.x - x), <, 1);
}

static void
test_projector (Fixture       *f,
                gconstpointer  data)
{
  graphene_rect_t normal, large;

  g_assert_true (scope_timeline_get_lane_area (f->timeline, 0, &normal));
  scope_timeline_set_projector (f->timeline, TRUE);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->timeline), "projector"));
  g_assert_true (scope_timeline_get_lane_area (f->timeline, 0, &large));
  /* Taller lanes, not only larger type, even where the normal ones were
   * stretched to the height there is */
  g_assert_cmpfloat (large.size.height, >, normal.size.height);
  g_assert_cmpfloat (large.size.height, >=, scope_timeline_metrics (TRUE).lane_height);
  scope_timeline_set_projector (f->timeline, FALSE);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->timeline), "projector"));
}

/* Zoom, pan, follow and show all are actions of the "timeline" group, the
 * same for the keys and for the buttons of the page around it. */
static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  static const char *names[] = {
    "zoom-in", "zoom-out", "pan-left", "pan-right", "show-all", "follow",
  };
  GActionGroup *actions = scope_timeline_get_actions (f->timeline);
  GtkWidget *widget = GTK_WIDGET (f->timeline);
  g_autoptr(GVariant) state = NULL;
  double scale, start;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_true (g_action_group_has_action (actions, names[i]));

  scope_timeline_zoom_to_fit (f->timeline);
  scale = scope_timeline_get_scale (f->timeline);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale / 2, 1e-9);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.zoom-out", NULL));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale, 1e-9);

  /* Half a screen on, then back. */
  scope_timeline_set_view (f->timeline, 2000, 2);
  start = scope_timeline_get_start_time (f->timeline);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.pan-right", NULL));
  g_assert_cmpfloat (scope_timeline_get_start_time (f->timeline), >, start);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.pan-left", NULL));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_start_time (f->timeline), start, 1e-6);

  /* Follow's state is the property's, both ways. */
  state = g_action_group_get_action_state (actions, "follow");
  g_assert_false (g_variant_get_boolean (state));
  g_clear_pointer (&state, g_variant_unref);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.follow", NULL));
  g_assert_true (scope_timeline_get_follow (f->timeline));
  /* Turned on by the user, it follows the latest exchange, fitted, not
   * the newest events at the zoom last set, where the trial found the
   * exchange a sliver at the edge. */
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  scope_timeline_set_follow (f->timeline, FALSE);
  state = g_action_group_get_action_state (actions, "follow");
  g_assert_false (g_variant_get_boolean (state));

  g_assert_true (gtk_widget_activate_action (widget, "timeline.show-all", NULL));
  g_assert_true (scope_timeline_get_follow (f->timeline));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale, 1e-9);
  /* Show All keeps the whole session in view, and Follow's button is not
   * pressed: it was, and the trial took the view for one that follows the
   * exchange. Pressed, it follows the exchange again. */
  g_clear_pointer (&state, g_variant_unref);
  state = g_action_group_get_action_state (actions, "follow");
  g_assert_false (g_variant_get_boolean (state));
  g_clear_pointer (&state, g_variant_unref);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.follow", NULL));
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  state = g_action_group_get_action_state (actions, "follow");
  g_assert_true (g_variant_get_boolean (state));
  g_clear_pointer (&state, g_variant_unref);
  /* A zoom leaves the exchange: the button says so at once. */
  g_assert_true (gtk_widget_activate_action (widget, "timeline.zoom-in", NULL));
  g_clear_pointer (&state, g_variant_unref);
  state = g_action_group_get_action_state (actions, "follow");
  g_assert_false (g_variant_get_boolean (state));
}

/* A click on a receive's bar picks the receive, though the "readable" a
 * few microseconds before it is nearer in time (a lecturer clicked the
 * orange bar of S14 and got the dot, which shows no bytes). */
static void
test_pick_the_mark_under_the_pointer (Fixture       *f,
                                      gconstpointer  data)
{
  char bytes[201];
  guint readable, received;
  graphene_rect_t dot, bar;
  double x, y;

  memset (bytes, 'x', sizeof bytes - 1);
  bytes[sizeof bytes - 1] = '\0';
  readable = scope_recorder_get_n_events (f->recorder);
  append (f, 9000, f->udp_server, SCOPE_EVENT_READABLE, NULL);
  received = scope_recorder_get_n_events (f->recorder);
  datagram (f, 9002, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, bytes);
  scope_recorder_flush (f->recorder);
  scope_timeline_zoom_to_fit (f->timeline);

  g_assert_true (scope_timeline_get_event_bounds (f->timeline, readable, &dot));
  g_assert_true (scope_timeline_get_event_bounds (f->timeline, received, &bar));
  /* At the dot's time, low on the bar: outside the dot's mark. */
  x = dot.origin.x + dot.size.width / 2;
  y = bar.origin.y + bar.size.height - 1;
  g_assert_cmpfloat (y, >, dot.origin.y + dot.size.height);
  g_assert_cmpint (scope_timeline_pick (f->timeline, x, y), ==, received);
  /* On the dot itself, the dot. */
  g_assert_cmpint (scope_timeline_pick (f->timeline, x, dot.origin.y + 1), ==, readable);

  /* The two at one time, the click where both marks are: the bytes. */
  {
    graphene_rect_t both;

    readable = scope_recorder_get_n_events (f->recorder);
    append (f, 9500, f->udp_server, SCOPE_EVENT_READABLE, NULL);
    received = scope_recorder_get_n_events (f->recorder);
    datagram (f, 9500, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, bytes);
    scope_recorder_flush (f->recorder);
    scope_timeline_zoom_to_fit (f->timeline);
    g_assert_true (scope_timeline_get_event_bounds (f->timeline, readable, &dot));
    g_assert_true (scope_timeline_get_event_bounds (f->timeline, received, &bar));
    g_assert_true (graphene_rect_intersection (&dot, &bar, &both));
    g_assert_cmpint (scope_timeline_pick (f->timeline, both.origin.x + both.size.width / 2,
                                          both.origin.y + both.size.height / 2), ==, received);
  }

  /* S15: the zero-byte read's circle over its "readable" dot, a moment
   * after it: the circle means the end of the stream (the seventh trial
   * got the dot). */
  {
    graphene_rect_t circle, both;
    guint end;

    readable = scope_recorder_get_n_events (f->recorder);
    append (f, 9800, f->connection, SCOPE_EVENT_READABLE, NULL);
    end = scope_recorder_get_n_events (f->recorder);
    append (f, 9801, f->connection, SCOPE_EVENT_RECV, NULL);
    scope_recorder_flush (f->recorder);
    scope_timeline_zoom_to_fit (f->timeline);
    g_assert_true (scope_timeline_get_event_bounds (f->timeline, readable, &dot));
    g_assert_true (scope_timeline_get_event_bounds (f->timeline, end, &circle));
    g_assert_true (graphene_rect_intersection (&dot, &circle, &both));
    g_assert_cmpint (scope_timeline_pick (f->timeline, both.origin.x + both.size.width / 2,
                                          both.origin.y + both.size.height / 2), ==, end);
  }
}

/* A selected event panned out of view: each zoom, in or out, brings it
 * back on screen rather than about a point off it (a lecturer's report:
 * "+ and − took the view further from the selection"). */
static void
test_zoom_brings_selection_back (Fixture       *f,
                                 gconstpointer  data)
{
  GtkWidget *widget = GTK_WIDGET (f->timeline);
  const char *zooms[] = { "timeline.zoom-in", "timeline.zoom-out", "timeline.zoom-out" };
  guint n = scope_recorder_get_n_events (f->recorder);
  graphene_rect_t bounds;
  double width = gtk_widget_get_width (widget);

  g_assert_cmpuint (n, >, 2);
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      scope_timeline_zoom_to_fit (f->timeline);
      scope_timeline_set_selected (f->timeline, 1);
      /* Far past it, zoomed in: the event is well off screen. */
      scope_timeline_set_view (f->timeline,
                               scope_recorder_get_time_us (f->recorder, n - 1) + 1000, 0.01);
      g_assert_true (scope_timeline_get_event_bounds (f->timeline, 1, &bounds));
      g_assert_cmpfloat (bounds.origin.x, <, 0);

      g_assert_true (gtk_widget_activate_action (widget, zooms[z], NULL));
      g_assert_true (scope_timeline_get_event_bounds (f->timeline, 1, &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
    }
}

/* Pressing @keyval with @modifiers: the shortcut the timeline's class binds
 * to it, run as a key event would run it. */
static gboolean
press (Fixture         *f,
       guint            keyval,
       GdkModifierType  modifiers)
{
  GtkWidget *widget = GTK_WIDGET (f->timeline);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_error ("no shortcut for %s", gdk_keyval_name (keyval));
}

static guint
socket_of (Fixture *f,
           gint64   event)
{
  ScopeRecord record;

  scope_recorder_get_record (f->recorder, (guint64) event, &record);
  return record.socket_id;
}

/* Every key of the timeline, through its binding: the view's moves do what
 * their actions do, the arrows walk along a lane and across lanes, Home
 * and End go to the ends, and Escape clears the selection, passing the
 * key on when there is nothing to clear. */
static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  double scale, start;
  gint64 first_of_listener;

  scope_timeline_zoom_to_fit (f->timeline);
  scale = scope_timeline_get_scale (f->timeline);
  g_assert_true (press (f, GDK_KEY_plus, 0));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale / 2, 1e-9);
  g_assert_true (press (f, GDK_KEY_minus, 0));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale, 1e-9);
  g_assert_true (press (f, GDK_KEY_equal, 0));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale / 2, 1e-9);
  g_assert_true (press (f, GDK_KEY_KP_Subtract, 0));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale, 1e-9);
  g_assert_true (press (f, GDK_KEY_KP_Add, 0));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale / 2, 1e-9);
  g_assert_true (press (f, GDK_KEY_0, 0));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale, 1e-9);
  scope_timeline_set_view (f->timeline, 2000, scale / 2);
  g_assert_true (press (f, GDK_KEY_KP_0, 0));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline), scale, 1e-9);

  scope_timeline_set_view (f->timeline, 2000, 2);
  start = scope_timeline_get_start_time (f->timeline);
  g_assert_true (press (f, GDK_KEY_Right, GDK_SHIFT_MASK));
  g_assert_cmpfloat (scope_timeline_get_start_time (f->timeline), >, start);
  g_assert_true (press (f, GDK_KEY_Left, GDK_SHIFT_MASK));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_start_time (f->timeline), start, 1e-6);

  /* From nothing, an arrow selects the first event in sight. */
  scope_timeline_zoom_to_fit (f->timeline);
  scope_timeline_set_selected (f->timeline, -1);
  g_assert_true (press (f, GDK_KEY_Down, 0));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, 0);

  /* The listener's lane: its first event, then the next one, and back;
   * nothing before the first. */
  g_assert_true (press (f, GDK_KEY_Home, 0));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, 0);
  first_of_listener = scope_timeline_get_selected (f->timeline);
  g_assert_cmpuint (socket_of (f, first_of_listener), ==, f->listener);
  g_assert_true (press (f, GDK_KEY_Right, 0));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), >, first_of_listener);
  g_assert_cmpuint (socket_of (f, scope_timeline_get_selected (f->timeline)), ==, f->listener);
  g_assert_true (press (f, GDK_KEY_Left, 0));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, first_of_listener);
  g_assert_true (press (f, GDK_KEY_Left, 0));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, first_of_listener);

  /* Across lanes and back. */
  g_assert_true (press (f, GDK_KEY_Down, 0));
  g_assert_cmpuint (socket_of (f, scope_timeline_get_selected (f->timeline)), !=, f->listener);
  g_assert_true (press (f, GDK_KEY_Up, 0));
  g_assert_cmpuint (socket_of (f, scope_timeline_get_selected (f->timeline)), ==, f->listener);

  scope_timeline_set_follow (f->timeline, FALSE);
  g_assert_true (press (f, GDK_KEY_End, 0));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==,
                   (gint64) scope_recorder_get_n_events (f->recorder) - 1);
  g_assert_true (scope_timeline_get_follow (f->timeline));

  g_assert_true (press (f, GDK_KEY_Escape, 0));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, -1);
  g_assert_false (press (f, GDK_KEY_Escape, 0));
}

static void
on_after_paint (gboolean *painted)
{
  *painted = TRUE;
}

/* Until the view has eased to where it goes and a frame has placed the
 * words for it. */
static void
settle (Fixture *f)
{
  GtkWidget *widget = GTK_WIDGET (f->timeline);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong handler;

  while (scope_timeline_is_easing (f->timeline))
    g_main_context_iteration (NULL, TRUE);
  handler = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (on_after_paint),
                                      &painted);
  gtk_widget_queue_allocate (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
}

/* Until the timeline is @width wide (or any, -1) and @height tall (or
 * any): a window resized, within 10 s */
static void
wait_for_size (Fixture *f,
               int      width,
               int      height)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((width >= 0 && gtk_widget_get_width (GTK_WIDGET (f->timeline)) != width)
         || (height >= 0 && gtk_widget_get_height (GTK_WIDGET (f->timeline)) != height))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* How far apart two rectangles are, 0 where they touch */
static double
rect_gap (const graphene_rect_t *a,
          const graphene_rect_t *b)
{
  double dx = MAX (MAX (a->origin.x - (b->origin.x + b->size.width), 0),
                   b->origin.x - (a->origin.x + a->size.width));
  double dy = MAX (MAX (a->origin.y - (b->origin.y + b->size.height), 0),
                   b->origin.y - (a->origin.y + a->size.height));

  return hypot (dx, dy);
}

static void assert_counts_near (Fixture *f);
static guint assert_counts_grounded (Fixture *f);

/* The plan's words and the labels that show them: the same rectangles,
 * no two touching, all inside the timeline; in the view that follows the
 * exchange, each count by its marks. */
static void
assert_words_apart (Fixture *f)
{
  GtkWidget *widget = GTK_WIDGET (f->timeline);
  GArray *plan = f->timeline->plan;
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);

  g_assert_nonnull (plan);
  g_assert_cmpuint (plan->len, <=, f->timeline->labels->len);
  for (guint i = 0; i < plan->len; i++)
    {
      const ScopeTimelineWord *a = &g_array_index (plan, ScopeTimelineWord, i);
      GtkWidget *label = g_ptr_array_index (f->timeline->labels, i);
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_get_visible (label));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, a->text);
      g_assert_true (gtk_widget_compute_bounds (label, widget, &bounds));
      g_assert_true (graphene_rect_equal (&bounds, &a->rect));
      g_assert_cmpfloat (a->rect.origin.x, >=, 0);
      g_assert_cmpfloat (a->rect.origin.y, >=, 0);
      g_assert_cmpfloat (a->rect.origin.x + a->rect.size.width, <=, width);
      g_assert_cmpfloat (a->rect.origin.y + a->rect.size.height, <=, height);
      for (guint j = i + 1; j < plan->len; j++)
        {
          const ScopeTimelineWord *b = &g_array_index (plan, ScopeTimelineWord, j);

          if (graphene_rect_intersection (&a->rect, &b->rect, NULL))
            g_error ("“%s” and “%s” overlap", a->text, b->text);
        }
    }
  for (guint i = plan->len; i < f->timeline->labels->len; i++)
    g_assert_false (gtk_widget_get_visible (g_ptr_array_index (f->timeline->labels, i)));
  if (scope_timeline_get_following_exchange (f->timeline))
    assert_counts_near (f);
}

static guint
count_words (Fixture               *f,
             ScopeTimelineWordKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < f->timeline->plan->len; i++)
    n += g_array_index (f->timeline->plan, ScopeTimelineWord, i).kind == kind;
  return n;
}

/* The counts said on one lane, left to right: "[16][16][11]". */
static char *
lane_counts (Fixture *f,
             guint    row)
{
  GString *said = g_string_new (NULL);

  for (guint i = 0; i < f->timeline->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

      if ((word->kind == SCOPE_TIMELINE_WORD_COUNT || word->kind == SCOPE_TIMELINE_WORD_GROUP)
          && word->lane == row)
        g_string_append_printf (said, "[%s]", word->text);
    }
  return g_string_free (said, FALSE);
}

/* Every count by its marks: no further from the nearest mark of its
 * lane, in its direction, than a line of its type. S11's second receive's
 * "16" went 95 px under its bar, among the echo's bands, in projector mode
 * at 1920×1080, and read as a band's (the seventeenth trial). */
static void
assert_counts_near (Fixture *f)
{
  GArray *plan = f->timeline->plan;
  ScopeTimelineMetrics m = scope_timeline_get_metrics (f->timeline);

  for (guint w = 0; w < plan->len; w++)
    {
      const ScopeTimelineWord *word = &g_array_index (plan, ScopeTimelineWord, w);
      const graphene_rect_t *r = &word->rect;
      double nearest = G_MAXDOUBLE;
      ScopeRecord own;

      if ((word->kind != SCOPE_TIMELINE_WORD_COUNT && word->kind != SCOPE_TIMELINE_WORD_GROUP)
          || !scope_recorder_get_record (f->recorder, word->event, &own))
        continue;
      for (guint64 i = scope_stream_get_first_index (scope_timeline_get_stream (f->timeline));
           i < scope_recorder_get_n_events (f->recorder); i++)
        {
          ScopeRecord record;
          graphene_rect_t b;

          g_assert_true (scope_recorder_get_record (f->recorder, i, &record));
          if (record.socket_id != own.socket_id
              || scope_event_kind_is_send (record.kind) != scope_event_kind_is_send (own.kind)
              || !scope_timeline_get_event_bounds (f->timeline, i, &b))
            continue;
          nearest = MIN (nearest, rect_gap (&b, r));
        }
      g_test_message ("“%s” (lane %u) at %g,%g %gx%g: %.0f px from its nearest mark", word->text,
                      word->lane, r->origin.x, r->origin.y, r->size.width, r->size.height, nearest);
      if (nearest > m.label_height)
        g_error ("“%s” at %g,%g is %.0f px from the nearest of its lane's marks, more than a "
                 "line (%g px)", word->text, r->origin.x, r->origin.y, nearest, m.label_height);
    }
}

/* S11 after a 300 ms pause: the client sends 43 bytes, the server reads
 * them 16, 16 and 11 at a time (its read buffer is 16) and echoes them.
 * With no zoom asked for, the view eases to that exchange: its receives
 * on screen and wide apart, their counts said and apart from every other
 * word, the axis counting from the send. */
static guint64
s11_exchange (Fixture *f,
              gint64   t0)
{
  const char *message = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
  guint64 first = scope_recorder_get_n_events (f->recorder);

  append (f, t0, f->client, SCOPE_EVENT_SEND, message);
  append (f, t0 + 40, f->connection, SCOPE_EVENT_RECV, "0123456789abcdef");
  append (f, t0 + 60, f->connection, SCOPE_EVENT_RECV, "ghijklmnopqrstuv");
  append (f, t0 + 80, f->connection, SCOPE_EVENT_RECV, "wxyzABCDEFG");
  append (f, t0 + 100, f->connection, SCOPE_EVENT_SEND, message);
  append (f, t0 + 150, f->client, SCOPE_EVENT_RECV, message);
  scope_recorder_flush (f->recorder);
  return first;
}

/* No count or group of lane @row covers a band: each band sampled finely
 * along its curves, the same cubic the timeline draws, level at both
 * ends. The client's "41" lay under the band leaving its send (the sixth
 * trial). (The server's receives, with a band arriving on each side and
 * the echo's leaving beside them, may have no place clear of all.) */
static void
assert_counts_clear_of_bands (Fixture *f,
                              guint    row)
{
  GArray *plan = f->timeline->plan;

  for (guint64 i = scope_stream_get_first_index (scope_timeline_get_stream (f->timeline));
       i < scope_recorder_get_n_events (f->recorder); i++)
    {
      g_autoptr(GArray) bands = scope_timeline_get_links (f->timeline, i);
      ScopeRecord record;

      g_assert_true (scope_recorder_get_record (f->recorder, i, &record));
      if (!scope_event_kind_is_send (record.kind))
        continue;
      for (guint b = 0; b < bands->len; b++)
        {
          const ScopeTimelineLink *band = &g_array_index (bands, ScopeTimelineLink, b);
          double mx = (band->send_top.x + band->recv_top.x) / 2;

          for (guint k = 0; k <= 256; k++)
            {
              double t = k / 256.0, u = 1 - t;
              double x = u * u * u * band->send_top.x + 3 * u * t * mx
                         + t * t * t * band->recv_top.x;
              double near = u * u * u + 3 * u * u * t, far = 1 - near;
              double top = near * band->send_top.y + far * band->recv_top.y;
              double bottom = near * band->send_bottom.y + far * band->recv_bottom.y;

              for (guint w = 0; w < plan->len; w++)
                {
                  const ScopeTimelineWord *word = &g_array_index (plan, ScopeTimelineWord, w);
                  const graphene_rect_t *r = &word->rect;

                  if ((word->kind == SCOPE_TIMELINE_WORD_COUNT
                       || word->kind == SCOPE_TIMELINE_WORD_GROUP)
                      && word->lane == row && x > r->origin.x && x < r->origin.x + r->size.width
                      && MAX (top, bottom) > r->origin.y
                      && MIN (top, bottom) < r->origin.y + r->size.height)
                    g_error ("“%s” at %g,%g %g×%g lies on the band of event %" G_GUINT64_FORMAT
                             " at %g,%g", word->text, r->origin.x, r->origin.y, r->size.width,
                             r->size.height, i, x, top);
                }
            }
        }
    }
}

static void
assert_s11_readable (Fixture *f,
                     guint64  first)
{
  GtkWidget *widget = GTK_WIDGET (f->timeline);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autofree char *counts = NULL;
  graphene_rect_t bounds;

  for (guint64 i = first + 1; i <= first + 3; i++)
    {
      g_assert_true (scope_timeline_get_event_bounds (f->timeline, i, &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.y, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height);
    }
  /* The exchange's 150 µs take at least half the width. */
  g_assert_cmpfloat (150 / scope_timeline_get_scale (f->timeline), >=, width / 2);

  counts = lane_counts (f, 1);
  g_test_message ("S11's counts %s at %g µs/px", counts, scope_timeline_get_scale (f->timeline));
  if (g_strcmp0 (counts, "[3× recv · 16 + 16 + 11 bytes][43]") != 0)
    g_assert_cmpstr (counts, ==, "[16][16][11][43]");
  /* The client's send and its receive of the echo, each said */
  g_clear_pointer (&counts, g_free);
  counts = lane_counts (f, 2);
  g_assert_cmpstr (counts, ==, "[43][43]");
  assert_words_apart (f);
  assert_counts_clear_of_bands (f, 2);
  g_assert_cmpuint (count_words (f, SCOPE_TIMELINE_WORD_TICK), >=, 3);
}

static void
test_follows_exchange (Fixture       *f,
                       gconstpointer  data)
{
  const char *expected = "Following the latest exchange: 6 events on 2 lanes, +0 µs to "
                         "+150 µs. Arrow keys move between events; F follows the conversation.";
  gint64 t0 = 8300 + 300000;
  guint64 first;
  gboolean origin_said = FALSE;
  g_autofree char *description = NULL;

  settle (f);
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  assert_words_apart (f);

  /* Listener, its connection, then the client the connection serves. */
  g_assert_cmpuint (scope_timeline_get_lane_socket (f->timeline, 0), ==, f->listener);
  g_assert_cmpuint (scope_timeline_get_lane_socket (f->timeline, 1), ==, f->connection);
  g_assert_cmpuint (scope_timeline_get_lane_socket (f->timeline, 2), ==, f->client);

  first = s11_exchange (f, t0);
  settle (f);
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  assert_s11_readable (f, first);
  description = scope_timeline_dup_description (f->timeline);
  g_assert_cmpstr (description, ==, expected);

  /* The 300 ms pause began a new exchange: the axis counts from its send. */
  for (guint i = 0; i < f->timeline->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

      if (word->kind == SCOPE_TIMELINE_WORD_TICK && g_str_equal (word->text, "+0 µs"))
        g_assert_cmpfloat_with_epsilon (word->anchor,
                                        scope_timeline_time_to_x (f->timeline, t0), 0.01);
      origin_said |= word->kind == SCOPE_TIMELINE_WORD_ORIGIN
                     && g_str_equal (word->text, "from send, client");
    }
  g_assert_true (origin_said);

  /* A zoom leaves the exchange; F comes back to it. */
  scope_timeline_zoom (f->timeline, 0.01, 10);
  g_assert_false (scope_timeline_get_following_exchange (f->timeline));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->timeline),
                                             "timeline.follow-exchange", NULL));
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  settle (f);
  assert_s11_readable (f, first);

  /* In projector mode too. */
  scope_timeline_set_projector (f->timeline, TRUE);
  settle (f);
  assert_s11_readable (f, first);
}

/* S11 as the echo server plays it (the tenth trial): a 57-byte message
 * waits 65 µs in the receive buffer, then is read 16, 16, 16 and 9 at a
 * time, each read echoed at once. The server's receives are the lesson:
 * each size is said, alone or in a group that names them ("4× recv · 16
 * + 16 + 16 + 9 bytes", or "16 + 16 + 16 + 9" where that has no room),
 * never a total alone; so are its sends. Normal and
 * projector mode, at the width the events have at 1280 px (projector mode
 * left "3× send · 48 bytes" and nothing for the receives). */
static void
assert_chunks_said (const char *counts,
                    const char *kind,
                    const char *sizes[],
                    guint       n)
{
  g_autofree char *group = NULL;
  g_autoptr(GString) each = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  const char *rest = counts;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? " + " : "", sizes[i]);
  group = g_strdup_printf ("[%u× %s · %s bytes]", n, kind, joined->str);
  if (strstr (counts, group) != NULL)
    return;
  /* Where the whole group has no room, its sizes alone: "3 + 16" */
  g_free (group);
  group = g_strdup_printf ("[%s]", joined->str);
  if (n > 1 && strstr (counts, group) != NULL)
    return;
  /* Each alone, in order; or groups of them, each naming its sizes */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *alone = g_strdup_printf ("[%s]", sizes[i]);
      const char *found = strstr (rest, alone);

      if (found == NULL)
        g_error ("the %s of %s bytes is not said in %s", kind, sizes[i], counts);
      rest = found + strlen (alone);
    }
}

/* A recorder for @f on the fake clock, with the TCP echo server listening
 * on 50000 since 100 µs, as in the tenth trial's sessions. */
static void
trial_recorder (Fixture *f)
{
  g_autoptr(GSocketAddress) echo_address = inet ("127.0.0.1", 50000);

  f->recorder = scope_recorder_new ();
  scope_recorder_set_clock (f->recorder, fake_clock, f);
  at (f, 100);
  f->listener = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                           "tcp-echo", echo_address, NULL, 0);
  append (f, 100, f->listener, SCOPE_EVENT_LISTEN, NULL);
}

/* @f's recorder on a timeline of the size the events had at 1280×800 in
 * the tenth trial, following the latest exchange. */
static void
show_as_in_the_trial (Fixture *f)
{
  f->window = g_object_ref (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 790, 745);
  f->timeline = SCOPE_TIMELINE (scope_timeline_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->timeline));
  scope_timeline_set_recorder (f->timeline, f->recorder);
  gtk_window_present (GTK_WINDOW (f->window));
}

/* S11 as the tenth trial played it, in @crowded's room too: more lanes
 * than the view holds at their own height (the thirteenth trial's session
 * at 1280×800 in projector mode: a lane of 120 px had no room under the
 * receives for their count, and none was said). */
static void
echo_chunks_said (gboolean crowded)
{
  const char *message = "The quick brown fox jumps over the lazy dog, then sleeps.";
  const char *sizes[] = { "16", "16", "16", "9" };
  gint64 t0 = 300000;
  g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client_address = inet ("127.0.0.1", 52126);
  Fixture trial = { 0 }, *f = &trial;

  /* The trial's three lanes, in the room the events had at 1280×800;
   * crowded, six idle datagram servers' lanes besides */
  trial_recorder (f);
  for (guint i = 0; crowded && i < 6; i++)
    {
      g_autoptr(GSocketAddress) address = inet ("127.0.0.1", 8000 + i);
      guint server;

      at (f, 200 + i);
      server = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP,
                                          "udp-echo", address, NULL, 0);
      append (f, 200 + i, server, SCOPE_EVENT_BIND, NULL);
    }
  at (f, 1000);
  f->client = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                         "client", client_address, server_address, 0);
  append (f, 1000, f->client, SCOPE_EVENT_CONNECT, NULL);
  at (f, 1100);
  f->connection = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                             SCOPE_PROTOCOL_TCP, "tcp-echo", server_address,
                                             client_address, f->listener);
  scope_recorder_append_accept (f->recorder, f->listener, f->connection);

  append (f, t0, f->client, SCOPE_EVENT_SEND, message);
  for (guint i = 0, offset = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *chunk = g_strndup (message + offset, atoi (sizes[i]));
      gint64 read_at = t0 + 70 + 12 * i;

      at (f, read_at);
      /* The first waited in the receive buffer since it arrived */
      scope_recorder_append_received (f->recorder, f->connection, SCOPE_EVENT_RECV, NULL,
                                      (const guint8 *) chunk, strlen (chunk),
                                      g_get_real_time () - (i == 0 ? 65 : 1));
      append (f, read_at + 2, f->connection, SCOPE_EVENT_SEND, chunk);
      offset += strlen (chunk);
    }
  at (f, t0 + 130);
  scope_recorder_append_received (f->recorder, f->client, SCOPE_EVENT_RECV, NULL,
                                  (const guint8 *) message, strlen (message),
                                  g_get_real_time () - 20);
  scope_recorder_flush (f->recorder);

  show_as_in_the_trial (f);
  /* At 1280×800, and in projector mode at 1920×1080 */
  for (guint mode = 0; mode < 3; mode++)
    {
      g_autofree char *counts = NULL;
      gboolean projector = mode > 0;

      if (mode == 2)
        {
          gtk_window_set_default_size (GTK_WINDOW (f->window), 1430, 990);
          wait_for_size (f, 1430, -1);
        }
      scope_timeline_set_projector (f->timeline, projector);
      settle (f);
      settle (f);
      g_assert_true (scope_timeline_get_following_exchange (f->timeline));
      counts = lane_counts (f, 1);
      g_test_message ("%s%s, %d px: the server's counts %s at %g µs/px",
                      projector ? "projector" : "normal", crowded ? ", crowded" : "",
                      gtk_widget_get_width (GTK_WIDGET (f->timeline)), counts,
                      scope_timeline_get_scale (f->timeline));
      assert_chunks_said (counts, "recv", sizes, G_N_ELEMENTS (sizes));
      assert_chunks_said (counts, "send", sizes, G_N_ELEMENTS (sizes));
      assert_words_apart (f);
      g_test_message ("%u over a band", assert_counts_grounded (f));
    }
  fixture_tear_down (f, NULL);
}

static void
test_echo_chunks_said (Fixture       *fixture,
                       gconstpointer  data)
{
  echo_chunks_said (FALSE);
  echo_chunks_said (TRUE);
}

/* The ink of every mark drawn in view, lane by lane: each event's, and
 * on a connection's lane the diamond of the accept that made it. None may
 * cover another, and each lane's run left to right in time order. */
static void
assert_marks_apart (Fixture    *f,
                    const char *what)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (f->timeline);
  double width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
  double height = gtk_widget_get_height (GTK_WIDGET (f->timeline));
  guint n_marks = 0;

  for (guint row = 0; row < scope_timeline_get_n_lanes (f->timeline); row++)
    {
      g_autoptr(GArray) inks = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
      g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (guint64));
      double last_x = -G_MAXDOUBLE;

      if (scope_timeline_row_is_folded (f->timeline, row)
          || !scope_timeline_row_is_visible (f->timeline, row, height))
        continue;
      for (guint64 i = 0; i < scope_recorder_get_n_events (f->recorder); i++)
        {
          ScopeRecord record;
          graphene_rect_t ink;
          double x, mid = scope_timeline_row_middle (f->timeline, row), accepted_mid;
          guint accepted;

          g_assert_true (scope_recorder_get_record (f->recorder, i, &record));
          if (record.kind == SCOPE_EVENT_QUEUE || record.kind == SCOPE_EVENT_UNREAD)
            continue;
          if (scope_timeline_accept_mark (f->timeline, &record, &accepted, &x, &accepted_mid)
              && accepted == row)
            record.kind = SCOPE_EVENT_CONNECT;
          else if (scope_timeline_record_hidden (f->timeline, &record))
            {
              /* Drawn as the same call at the same time before it */
              continue;
            }
          else if (scope_timeline_record_grouped (f->timeline, &record, NULL))
            {
              /* Drawn as a dense lane's, at its time */
              g_assert_cmpfloat_with_epsilon (scope_timeline_record_x (f->timeline, &record),
                                              scope_timeline_time_to_x (f->timeline,
                                                                        record.time_us), 0.01);
              continue;
            }
          else if (scope_timeline_lane_of_socket (f->timeline, record.socket_id) == row)
            {
              x = scope_timeline_record_x (f->timeline, &record);
              /* Never further from its time than the furthest a run goes */
              g_assert_cmpfloat (x - scope_timeline_time_to_x (f->timeline, record.time_us), <=,
                                 scope_timeline_fan_max_push (&m) + 0.01);
            }
          else
            continue;
          scope_timeline_mark_ink (&m, &record, x, mid, &ink);
          if (ink.origin.x + ink.size.width < 0 || ink.origin.x > width)
            continue;
          /* In the order of the calls */
          if (x < last_x - 0.01)
            g_error ("%s: event %" G_GUINT64_FORMAT " (%s) of lane %u drawn at %g, left of the "
                     "one before it at %g", what, i, scope_event_kind_to_string (record.kind),
                     row, x, last_x);
          last_x = x;
          for (guint j = 0; j < inks->len; j++)
            {
              const graphene_rect_t *other = &g_array_index (inks, graphene_rect_t, j);
              graphene_rect_t both;

              if (graphene_rect_intersection (&ink, other, &both)
                  && both.size.width > 0.01 && both.size.height > 0.01)
                g_error ("%s: lane %u's event %" G_GUINT64_FORMAT " (%s, %g,%g %g×%g) covers "
                         "event %" G_GUINT64_FORMAT " (%g,%g %g×%g)", what, row, i,
                         scope_event_kind_to_string (record.kind), ink.origin.x, ink.origin.y,
                         ink.size.width, ink.size.height, g_array_index (events, guint64, j),
                         other->origin.x, other->origin.y, other->size.width,
                         other->size.height);
            }
          g_array_append_val (inks, ink);
          g_array_append_val (events, i);
          n_marks++;
        }
    }
  g_test_message ("%s: %u marks apart", what, n_marks);
}

/* A connection to the echo server from 127.0.0.1:@port, accepted at @t */
static guint
accepted (Fixture *f,
          guint16  port,
          gint64   t)
{
  g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", port);
  guint connection;

  at (f, t);
  connection = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                          SCOPE_PROTOCOL_TCP, "tcp-echo", server_address, peer,
                                          f->listener);
  scope_recorder_append_accept (f->recorder, f->listener, connection);
  return connection;
}

/* S17's connection @i, accepted at @t: its hello, which waited since it
 * came 50 ms after the client before, read, echoed, its end read, closed */
static void
s17_connection (Fixture *f,
                guint    i,
                gint64   t)
{
  g_autofree char *hello = g_strdup_printf ("Hello, world %u", i);
  guint connection = accepted (f, 34484 + 2 * i, t);

  at (f, t + 5);
  scope_recorder_append_received (f->recorder, connection, SCOPE_EVENT_RECV, NULL,
                                  (const guint8 *) hello, strlen (hello),
                                  g_get_real_time () - (t + 5 - 10000000 - 50000 * i));
  append (f, t + 8, connection, SCOPE_EVENT_SEND, hello);
  append (f, t + 30, connection, SCOPE_EVENT_RECV, NULL);
  append (f, t + 32, connection, SCOPE_EVENT_CLOSE, NULL);
}

/* S17 when accepting resumes: six connections accepted within 200 µs,
 * each read, echoed, read its end and closed within 32 µs, after a wait
 * of ten seconds; the two that waited in SYN-SENT 1.76 s and 2.07 s
 * later. At the scale that holds the wait, all of a connection's marks
 * fell on one x, each glyph over the others, and the listener's six
 * accepts on one diamond (the nineteenth trial). Followed, with no zoom
 * asked for, in projector mode at 1920×1080 and at a desk: every mark in
 * view, none over another, in the order of the calls; the two late
 * accepts at their own times, and the six before them (laid out past
 * them, they read as seconds later, the twentieth trial); and so at every
 * zoom out to the whole session. */
static void
test_marks_side_by_side (Fixture       *fixture,
                         gconstpointer  data)
{
  static const struct { gboolean projector; int width, height; } views[] = {
    { TRUE, 1430, 990 }, { FALSE, 1000, 700 },
  };
  Fixture trial = { 0 }, *f = &trial;
  guint64 burst;
  guint ninth;

  trial_recorder (f);
  at (f, 10000000);
  scope_recorder_append_queue (f->recorder, f->listener, 6, 5);
  at (f, 20000000);
  burst = scope_recorder_get_n_events (f->recorder);
  for (guint i = 0; i < 6; i++)
    s17_connection (f, i, 20000000 + 40 * i);
  at (f, 20000000 + 40 * 6);
  scope_recorder_append_queue (f->recorder, f->listener, 0, 5);
  /* A ninth, accepted a moment later, reads 40 bytes one at a time within
   * 40 µs: too many to lay side by side, drawn as a dense lane's */
  ninth = accepted (f, 34600, 20000400);
  for (guint i = 0; i < 40; i++)
    append (f, 20000410 + i, ninth, SCOPE_EVENT_RECV, "x");
  /* The two from SYN-SENT */
  for (guint i = 6; i < 8; i++)
    s17_connection (f, i, 21760000 + 310000 * (i - 6));
  scope_recorder_flush (f->recorder);

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      GtkWidget *scrolled;
      double width;
      guint grouped = 0, hidden = 0;
      ScopeTimelineMetrics m;

      f->window = g_object_ref (gtk_window_new ());
      gtk_window_set_default_size (GTK_WINDOW (f->window), views[v].width, views[v].height);
      scrolled = gtk_scrolled_window_new ();
      f->timeline = SCOPE_TIMELINE (scope_timeline_new ());
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (f->timeline));
      gtk_window_set_child (GTK_WINDOW (f->window), scrolled);
      scope_timeline_set_recorder (f->timeline, f->recorder);
      scope_timeline_set_projector (f->timeline, views[v].projector);
      gtk_window_present (GTK_WINDOW (f->window));
      wait_for_size (f, -1, views[v].height);
      settle (f);
      settle (f);
      g_assert_true (scope_timeline_get_following_exchange (f->timeline));
      width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
      /* The wait in view, and all of the burst past it */
      g_assert_cmpfloat (scope_timeline_time_to_x (f->timeline, 10000000), >=, 0);
      for (guint64 i = burst; i < scope_recorder_get_n_events (f->recorder); i++)
        {
          graphene_rect_t bounds;
          ScopeRecord record;
          double x, y;

          g_assert_true (scope_recorder_get_record (f->recorder, i, &record));
          if (record.kind == SCOPE_EVENT_QUEUE
              || !scope_timeline_get_event_bounds (f->timeline, i, &bounds))
            continue;
          /* The ninth's reads past a dozen, grouped; every other laid out */
          if (record.socket_id == ninth && record.kind == SCOPE_EVENT_RECV)
            {
              grouped += scope_timeline_record_grouped (f->timeline, &record, NULL);
              continue;
            }
          g_assert_false (scope_timeline_record_grouped (f->timeline, &record, NULL));
          /* The six accepts at once, one diamond */
          if (scope_timeline_record_hidden (f->timeline, &record))
            {
              g_assert_cmpint (record.kind, ==, SCOPE_EVENT_ACCEPT);
              hidden++;
              continue;
            }
          g_assert_cmpfloat (bounds.origin.x, >=, 0);
          g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
          /* A click on its mark's middle picks it */
          x = bounds.origin.x + bounds.size.width / 2;
          y = bounds.origin.y + bounds.size.height / 2;
          if (scope_timeline_pick (f->timeline, x, y) != (gint64) i)
            g_error ("a click at %g,%g on event %" G_GUINT64_FORMAT " (%s) picks %" G_GINT64_FORMAT,
                     x, y, i, scope_event_kind_to_string (record.kind),
                     scope_timeline_pick (f->timeline, x, y));
        }
      g_assert_cmpuint (grouped, ==, 40);
      /* (the six's and the ninth's accepts, within 400 µs, one diamond) */
      g_assert_cmpuint (hidden, ==, 6);
      /* which says how many it is */
      {
        gboolean said = FALSE;

        for (guint i = 0; i < f->timeline->plan->len; i++)
          said |= g_str_equal (g_array_index (f->timeline->plan, ScopeTimelineWord, i).text,
                               "7× accept");
        g_assert_true (said);
      }
      /* The late two at their times, the six before the first of them */
      m = scope_timeline_get_metrics (f->timeline);
      {
        guint listener = scope_timeline_lane_of_socket (f->timeline, f->listener);
        double late = G_MAXDOUBLE;
        guint accepts = 0;

        for (guint p = scope_stream_get_lane_n_events (scope_timeline_get_stream (f->timeline),
                                                        listener); p-- > 0;)
          {
            ScopeRecord record;
            double x, at;

            g_assert_true (scope_recorder_get_record (
              f->recorder, scope_timeline_lane_event (f->timeline, listener, p), &record));
            if (record.kind != SCOPE_EVENT_ACCEPT || record.aux == ninth)
              continue;
            x = scope_timeline_record_x (f->timeline, &record);
            at = scope_timeline_time_to_x (f->timeline, record.time_us);
            /* (laid beside each other, where they touch) */
            if (++accepts <= 2)
              {
                g_assert_false (scope_timeline_record_hidden (f->timeline, &record));
                g_assert_cmpfloat (fabs (x - at), <=,
                                   2 * scope_timeline_mark_reach (&m) + 2);
                late = MIN (late, at);
              }
            else
              g_assert_cmpfloat (x, <, late);
          }
        g_assert_cmpuint (accepts, ==, 8);
      }
      assert_marks_apart (f, views[v].projector ? "projector, followed" : "desk, followed");
      assert_words_apart (f);
      /* Out to the whole session and past it, a step at a time */
      for (guint step = 0; step < 14; step++)
        {
          g_autofree char *what = NULL;

          scope_timeline_zoom (f->timeline, 0.25, width - 40);
          settle (f);
          what = g_strdup_printf ("%s, %g µs/px", views[v].projector ? "projector" : "desk",
                                  scope_timeline_get_scale (f->timeline));
          assert_marks_apart (f, what);
        }
      if (v + 1 < G_N_ELEMENTS (views))
        {
          gtk_window_destroy (GTK_WINDOW (f->window));
          g_assert_finalize_object (f->window);
        }
    }
  fixture_tear_down (f, NULL);
}

/* S17 resumed as the seventeenth trial played it, in projector mode at
 * 1920×1080: six clients waited in the queue, each sent "Hello, world N"
 * at once; accepting resumed 20 s on, each was accepted, read, echoed,
 * read its end and closed; the two that waited in SYN-SENT came 3 s
 * later, the same. The listener and all eight connections, the two last
 * the lesson, are in view without scrolling: the lanes give up height
 * (to SCOPE_TIMELINE_LANE_SQUEEZE_MIN at most), their marks still inside them, their words
 * apart and by their marks. Their two lanes were below the window. */
static void
test_exchange_lanes_squeezed (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 50000);
  ScopeTimelineMetrics base = scope_timeline_metrics (TRUE);
  Fixture trial = { 0 }, *f = &trial;
  guint connections[8];
  GtkWidget *scrolled;
  double height;

  trial_recorder (f);
  /* The lecture before it: six connections, closed long since, fold to a
   * run of strips under the listener (the nineteenth trial's S17 came
   * last, and five of the eight were in view) */
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 41000 + i);
      guint earlier;

      at (f, 200000 + 1000 * i);
      earlier = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                           SCOPE_PROTOCOL_TCP, "tcp-echo", server_address, peer,
                                           f->listener);
      scope_recorder_append_accept (f->recorder, f->listener, earlier);
      append (f, 200100 + 1000 * i, earlier, SCOPE_EVENT_RECV, "Hi!");
      append (f, 200110 + 1000 * i, earlier, SCOPE_EVENT_SEND, "Hi!");
      append (f, 200500 + 1000 * i, earlier, SCOPE_EVENT_RECV, NULL);
      append (f, 200510 + 1000 * i, earlier, SCOPE_EVENT_CLOSE, NULL);
    }
  at (f, 9900000);
  scope_recorder_append_queue (f->recorder, f->listener, 1, 5);
  at (f, 10000000);
  scope_recorder_append_queue (f->recorder, f->listener, 6, 5);
  for (guint i = 0; i < G_N_ELEMENTS (connections); i++)
    {
      g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 34484 + 2 * i);
      g_autofree char *hello = g_strdup_printf ("Hello, world %u", i);
      gint64 t = (i < 6 ? 21000000 : 24000000) + 40 * i;

      at (f, t);
      connections[i] = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                                  SCOPE_PROTOCOL_TCP, "tcp-echo", server_address,
                                                  peer, f->listener);
      scope_recorder_append_accept (f->recorder, f->listener, connections[i]);
      if (i == 5)
        scope_recorder_append_queue (f->recorder, f->listener, 0, 5);
      append (f, t + 5, connections[i], SCOPE_EVENT_RECV, hello);
      append (f, t + 8, connections[i], SCOPE_EVENT_SEND, hello);
      append (f, t + 30, connections[i], SCOPE_EVENT_RECV, NULL);
      append (f, t + 32, connections[i], SCOPE_EVENT_CLOSE, NULL);
    }
  scope_recorder_flush (f->recorder);

  /* The events' room at 1920×1080 in projector mode */
  f->window = g_object_ref (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1430, 990);
  scrolled = gtk_scrolled_window_new ();
  f->timeline = SCOPE_TIMELINE (scope_timeline_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (f->timeline));
  gtk_window_set_child (GTK_WINDOW (f->window), scrolled);
  scope_timeline_set_recorder (f->timeline, f->recorder);
  scope_timeline_set_projector (f->timeline, TRUE);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for_size (f, -1, 990);
  settle (f);
  settle (f);
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  height = gtk_widget_get_height (GTK_WIDGET (f->timeline));
  g_assert_cmpfloat (9 * base.lane_height, >, height - base.axis_height);
  g_assert_cmpfloat (scope_timeline_get_metrics (f->timeline).lane_height, >=,
                     ceil (SCOPE_TIMELINE_LANE_SQUEEZE_MIN (TRUE) * base.lane_height));
  for (guint i = 0; i <= G_N_ELEMENTS (connections); i++)
    {
      guint socket = i == 0 ? f->listener : connections[i - 1];
      guint row = scope_timeline_lane_of_socket (f->timeline, socket);
      graphene_rect_t area;

      g_assert_false (scope_timeline_row_is_folded (f->timeline, row));
      g_assert_true (scope_timeline_get_lane_area (f->timeline, row, &area));
      g_test_message ("lane %u: %g to %g of %g", row, area.origin.y,
                      area.origin.y + area.size.height, height);
      g_assert_cmpfloat (area.origin.y, >=, base.axis_height - 1);
      g_assert_cmpfloat (area.origin.y + area.size.height, <=, height + 1);
    }
  /* Every mark inside its lane, under its name */
  for (guint64 i = 0; i < scope_recorder_get_n_events (f->recorder); i++)
    {
      ScopeRecord record;
      graphene_rect_t bounds, area;
      guint row;

      g_assert_true (scope_recorder_get_record (f->recorder, i, &record));
      row = scope_timeline_lane_of_socket (f->timeline, record.socket_id);
      if (scope_timeline_row_is_folded (f->timeline, row)
          || !scope_timeline_get_event_bounds (f->timeline, i, &bounds)
          || !scope_timeline_get_lane_area (f->timeline, row, &area))
        continue;
      g_assert_cmpfloat (bounds.origin.y, >=, area.origin.y + base.label_height);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                         area.origin.y + area.size.height);
    }
  assert_words_apart (f);

  /* The last connection's close selected, which stops following: its lane
   * stays in view, the lanes as they were (they grew back, and the lane
   * went off the window, the review) */
  {
    double squeezed = scope_timeline_get_metrics (f->timeline).lane_height;
    guint row = scope_timeline_lane_of_socket (f->timeline, connections[7]);
    graphene_rect_t area;

    scope_timeline_set_selected (f->timeline, scope_recorder_get_n_events (f->recorder) - 1);
    settle (f);
    settle (f);
    g_assert_cmpfloat (scope_timeline_get_metrics (f->timeline).lane_height, ==, squeezed);
    g_assert_true (scope_timeline_get_lane_area (f->timeline, row, &area));
    g_assert_cmpfloat (area.origin.y, >=, base.axis_height - 1);
    g_assert_cmpfloat (area.origin.y + area.size.height, <=, height + 1);
  }
  g_assert_cmpuint (count_words (f, SCOPE_TIMELINE_WORD_BELOW), ==, 0);

  /* In the room a projector's 1280×800 leaves them, they do not all fit
   * however squeezed: the lanes under the window with events in its time
   * are said at its foot (the eighteenth trial saw the two accepted last
   * there, with nothing to say so) */
  scope_timeline_set_selected (f->timeline, SCOPE_TIMELINE_NOT_SELECTED);
  scope_timeline_follow_exchange (f->timeline);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 790, 700);
  wait_for_size (f, -1, 700);
  settle (f);
  settle (f);
  {
    guint below = 0;
    g_autofree char *said = NULL;
    gboolean found = FALSE;

    for (guint row = 0; row < scope_timeline_get_n_lanes (f->timeline); row++)
      below += scope_timeline_row_top (f->timeline, row)
               + scope_timeline_get_metrics (f->timeline).lane_height / 2 > 700;
    /* Lanes of 150 px under the 44 px axis, the listener's and the
     * strips' 42: three connections in view, the middles of five under
     * 700 px */
    g_assert_cmpuint (below, ==, 5);
    said = g_strdup_printf ("↓ %u more lane%s", below, below == 1 ? "" : "s");
    for (guint i = 0; i < f->timeline->plan->len; i++)
      {
        const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

        if (word->kind != SCOPE_TIMELINE_WORD_BELOW)
          continue;
        g_assert_cmpstr (word->text, ==, said);
        /* At the foot, whole */
        g_assert_cmpfloat (word->rect.origin.y + word->rect.size.height, >, 700 - 2 * base.label_height);
        found = TRUE;
      }
    g_test_message ("%s", said);
    g_assert_true (found);
    assert_words_apart (f);
  }

  /* Scrolled to the foot: those over the window said under the axis (the
   * nineteenth trial's scroll put the listener, its queue and accepts out
   * of sight with nothing to say so): the listener and four connections,
   * their middles over the axis' foot */
  {
    GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->timeline));
    gboolean found = FALSE;

    gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment)
                                           - gtk_adjustment_get_page_size (vadjustment));
    settle (f);
    for (guint i = 0; i < f->timeline->plan->len; i++)
      {
        const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

        if (word->kind != SCOPE_TIMELINE_WORD_BELOW)
          continue;
        g_assert_cmpstr (word->text, ==, "↑ 5 more lanes");
        g_assert_cmpfloat (word->rect.origin.y, >=, base.axis_height);
        g_assert_cmpfloat (word->rect.origin.y, <, base.axis_height + base.label_height);
        found = TRUE;
      }
    g_assert_true (found);
    assert_words_apart (f);
  }
  fixture_tear_down (f, NULL);
}

/* S14 over UDP as the tenth trial played it: reading paused, "Hi!", a
 * second later "Hope you're well", each counted waiting, two seconds later
 * reading resumes; the server reads each datagram and echoes it at once.
 * In projector mode its two recvfroms were said nowhere; each must be,
 * alone or in a group that names both, on the server's lane and on the
 * client's. */
static void
test_datagrams_said (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *texts[] = { "Hi!", "Hope you're well" };
  const char *sizes[] = { "3", "16" };
  gint64 t0 = 300000, resumed = t0 + 3000000;
  g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 8000);
  g_autoptr(GSocketAddress) client_address = inet ("127.0.0.1", 58282);
  Fixture trial = { 0 }, *f = &trial;

  trial_recorder (f);
  at (f, 200);
  f->udp_server = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_DATAGRAM,
                                             SCOPE_PROTOCOL_UDP, "udp-echo", server_address,
                                             NULL, 0);
  at (f, 1000);
  f->udp_client = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_UDP,
                                             "client", client_address, server_address, 0);
  /* Each waits, counted as it comes */
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      datagram (f, t0 + 1000000 * i, f->udp_client, SCOPE_EVENT_SENDTO, 8000, texts[i]);
      at (f, t0 + 1000000 * i + 40);
      scope_recorder_append_unread_datagrams (f->recorder, f->udp_server, i + 1,
                                              i == 0 ? 3 : 19, 212992, g_get_real_time () - 20);
    }
  /* Read at last, one fewer waiting at each recvfrom, each echoed */
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 58282);

      at (f, resumed + 10 * i);
      scope_recorder_append_received (f->recorder, f->udp_server, SCOPE_EVENT_RECVFROM, peer,
                                      (const guint8 *) texts[i], strlen (texts[i]),
                                      g_get_real_time () - (resumed + 10 * i - t0
                                                            - 1000000 * i - 20));
      scope_recorder_append_unread_datagrams (f->recorder, f->udp_server, 1 - i, i == 0 ? 16 : 0,
                                              212992, -1);
      datagram (f, resumed + 10 * i + 2, f->udp_server, SCOPE_EVENT_SENDTO, 58282, texts[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    datagram (f, resumed + 40 + 10 * i, f->udp_client, SCOPE_EVENT_RECVFROM, 8000, texts[i]);
  scope_recorder_flush (f->recorder);

  show_as_in_the_trial (f);
  for (guint projector = 0; projector < 2; projector++)
    {
      scope_timeline_set_projector (f->timeline, projector);
      settle (f);
      g_assert_true (scope_timeline_get_following_exchange (f->timeline));
      for (guint row = 1; row <= 2; row++)
        {
          g_autofree char *counts = lane_counts (f, row);

          g_test_message ("%s: lane %u's counts %s at %g µs/px", projector ? "projector" : "normal",
                          row, counts, scope_timeline_get_scale (f->timeline));
          assert_chunks_said (counts, "recvfrom", sizes, G_N_ELEMENTS (sizes));
          assert_chunks_said (counts, "sendto", sizes, G_N_ELEMENTS (sizes));
        }
      /* The band of what waited stays; its words went with the reads:
       * "2 datagrams unread" beside them read as still unread, and took
       * the place of the recvfroms' count (the eleventh trial) */
      for (guint i = 0; i < f->timeline->plan->len; i++)
        g_assert_null (strstr (g_array_index (f->timeline->plan, ScopeTimelineWord, i).text,
                               "unread"));
      assert_words_apart (f);
    }
  fixture_tear_down (f, NULL);
}

/* A run of one or two closed sockets' strips is named too, in normal and
 * projector mode: the run is as tall as a line of its name, which keeps
 * clear of the next lane's (the tenth trial saw a grey sliver between the
 * lanes that no one could name). */
static void
test_short_folded_runs_named (Fixture       *f,
                              gconstpointer  data)
{
  gint64 t0 = 8300 + 300000;

  /* S15's connection and client closed; later a UDP exchange */
  append (f, t0 - 250000, f->connection, SCOPE_EVENT_CLOSE, NULL);
  append (f, t0 - 249000, f->client, SCOPE_EVENT_CLOSE, NULL);
  datagram (f, t0, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "b");
  datagram (f, t0 + 100, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, "b");
  scope_recorder_flush (f->recorder);
  for (guint projector = 0; projector < 2; projector++)
    {
      guint first = scope_timeline_lane_of_socket (f->timeline, f->connection);
      guint next = scope_timeline_lane_of_socket (f->timeline, f->udp_server);
      gboolean named = FALSE, next_named = FALSE;

      scope_timeline_set_projector (f->timeline, projector);
      settle (f);
      g_assert_true (scope_timeline_row_is_folded (f->timeline, first));
      g_assert_true (scope_timeline_row_is_folded (f->timeline, first + 1));
      g_assert_cmpuint (next, ==, first + 2);
      for (guint i = 0; i < f->timeline->plan->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

          if (g_str_equal (word->text, "2 closed sockets"))
            {
              named = TRUE;
              /* On the strips, above the next lane */
              g_assert_cmpfloat (word->rect.origin.y, >=, scope_timeline_row_top (f->timeline, first));
              g_assert_cmpfloat (word->rect.origin.y + word->rect.size.height, <=,
                                 scope_timeline_row_top (f->timeline, next));
            }
          next_named |= word->kind == SCOPE_TIMELINE_WORD_LANE && word->lane == next;
        }
      g_assert_true (named);
      g_assert_true (next_named);
      assert_words_apart (f);
    }
}

/* S14 over UDP with reading paused: the datagrams waiting are drawn and
 * said on the server's lane, each datagram counted ("2 datagrams unread ·
 * 19 bytes"), from the first's arrival to now, as bytes unread are on a
 * connection's (the tenth trial saw nothing there until the reads). */
static void
test_datagrams_unread (Fixture       *f,
                       gconstpointer  data)
{
  gint64 t0 = 8300 + 2000000;
  guint row = scope_timeline_lane_of_socket (f->timeline, f->udp_server);

  datagram (f, t0, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "Hi!");
  at (f, t0 + 30);
  scope_recorder_append_unread_datagrams (f->recorder, f->udp_server, 1, 3, 212992,
                                          g_get_real_time () - 25);
  datagram (f, t0 + 1000000, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "Hope you're well");
  /* Counted at the poll 50 ms after the second came: the step is its */
  at (f, t0 + 1050000);
  scope_recorder_append_unread_datagrams (f->recorder, f->udp_server, 2, 19, 212992,
                                          g_get_real_time () - 49990);
  at (f, t0 + 1200000);
  scope_recorder_flush (f->recorder);
  for (guint projector = 0; projector < 2; projector++)
    {
      g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));
      gboolean said = FALSE;

      scope_timeline_set_projector (f->timeline, projector);
      settle (f);
      g_assert_true (scope_timeline_get_following_exchange (f->timeline));
      scope_timeline_queue_steps (f->timeline, row, gtk_widget_get_width (GTK_WIDGET (f->timeline)),
                                  steps);
      g_assert_cmpuint (steps->len, ==, 2);
      g_assert_cmpuint (g_array_index (steps, ScopeTimelineQueueStep, 0).datagrams, ==, 1);
      g_assert_cmpuint (g_array_index (steps, ScopeTimelineQueueStep, 1).datagrams, ==, 2);
      /* From the first's arrival, a step at the second's (the tenth
       * trial's band was flat, "2" from the first), to now, while they
       * wait; to a pixel, the two clocks read apart */
      g_assert_cmpfloat (g_array_index (steps, ScopeTimelineQueueStep, 0).x0, >=, 0);
      g_assert_cmpfloat (fabs (g_array_index (steps, ScopeTimelineQueueStep, 0).x0
                               - scope_timeline_time_to_x (f->timeline, t0 + 5)), <, 1);
      g_assert_cmpfloat (fabs (g_array_index (steps, ScopeTimelineQueueStep, 1).x0
                               - scope_timeline_time_to_x (f->timeline, t0 + 1000010)), <, 1);
      g_assert_cmpfloat_with_epsilon (g_array_index (steps, ScopeTimelineQueueStep, 1).x1,
                                      scope_timeline_time_to_x (f->timeline, t0 + 1200000), 0.01);
      for (guint i = 0; i < f->timeline->plan->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

          said |= word->lane == row && g_str_equal (word->text, "2 datagrams unread · 19 bytes");
        }
      g_assert_true (said);
      assert_words_apart (f);
    }
}

/* S16 as the tenth trial played it, after S11, S13 and S14: six lanes,
 * the client's at the bottom. The request (35 bytes), the page (361) sent
 * and the server's close; the client reads the page 4 ms later, then the
 * zero-byte read. In projector mode neither of the client's reads was
 * said; both must be, and the server's two counts. */
/* The lanes, not folded, of which some is in view */
static guint
lanes_in_view (ScopeTimeline *timeline)
{
  guint n = 0;

  for (guint row = 0; row < scope_timeline_get_n_lanes (timeline); row++)
    n += !scope_timeline_row_is_folded (timeline, row)
         && scope_timeline_row_is_visible (timeline, row,
                                           gtk_widget_get_height (GTK_WIDGET (timeline)));
  return n;
}

static void
test_page_said (Fixture       *fixture,
                gconstpointer  data)
{
  const char *request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  g_autofree char *page = g_strnfill (361, 'p');
  gint64 t0 = 300000;
  g_autoptr(GSocketAddress) udp_address = inet ("127.0.0.1", 8000);
  g_autoptr(GSocketAddress) upper_address = inet ("127.0.0.1", 11111);
  g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 8080);
  g_autoptr(GSocketAddress) client_address = inet ("127.0.0.1", 57598);
  Fixture trial = { 0 }, *f = &trial;

  g_assert_cmpuint (strlen (request), ==, 35);
  trial_recorder (f);
  scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP,
                             "udp-echo", udp_address, NULL, 0);
  scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP,
                             "udp-upper", upper_address, NULL, 0);
  f->listener = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_LISTENER, SCOPE_PROTOCOL_TCP,
                                           "http", server_address, NULL, 0);
  append (f, 100, f->listener, SCOPE_EVENT_LISTEN, NULL);
  at (f, t0 - 1000);
  f->client = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                         "client", client_address, server_address, 0);
  append (f, t0 - 1000, f->client, SCOPE_EVENT_CONNECT, NULL);
  at (f, t0 - 900);
  f->connection = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                             SCOPE_PROTOCOL_TCP, "http", server_address,
                                             client_address, f->listener);
  scope_recorder_append_accept (f->recorder, f->listener, f->connection);

  append (f, t0, f->client, SCOPE_EVENT_SEND, request);
  at (f, t0 + 40);
  scope_recorder_append_received (f->recorder, f->connection, SCOPE_EVENT_RECV, NULL,
                                  (const guint8 *) request, 35, g_get_real_time () - 30);
  append (f, t0 + 80, f->connection, SCOPE_EVENT_SEND, page);
  append (f, t0 + 120, f->connection, SCOPE_EVENT_CLOSE, NULL);
  at (f, t0 + 3900);
  scope_recorder_append_received (f->recorder, f->client, SCOPE_EVENT_RECV, NULL,
                                  (const guint8 *) page, 361, g_get_real_time () - 3800);
  append (f, t0 + 4100, f->client, SCOPE_EVENT_RECV, NULL);
  scope_recorder_flush (f->recorder);

  show_as_in_the_trial (f);
  for (guint projector = 0; projector < 2; projector++)
    {
      g_autofree char *server = NULL;
      g_autofree char *client = NULL;

      scope_timeline_set_projector (f->timeline, projector);
      settle (f);
      g_assert_true (scope_timeline_get_following_exchange (f->timeline));
      server = lane_counts (f, scope_timeline_lane_of_socket (f->timeline, f->connection));
      client = lane_counts (f, scope_timeline_lane_of_socket (f->timeline, f->client));
      g_test_message ("%s: the server's counts %s, the client's %s, at %g µs/px",
                      projector ? "projector" : "normal", server, client,
                      scope_timeline_get_scale (f->timeline));
      /* Each lane in view named, the top one scrolled partly under the
       * axis too */
      g_assert_cmpuint (count_words (f, SCOPE_TIMELINE_WORD_LANE), ==,
                        lanes_in_view (f->timeline));
      g_assert_nonnull (strstr (server, "[35]"));
      g_assert_nonnull (strstr (server, "[361]"));
      g_assert_nonnull (strstr (client, "[35]"));
      if (strstr (client, "[2× recv · 361 + 0 bytes]") == NULL)
        {
          g_assert_nonnull (strstr (client, "[361]"));
          g_assert_nonnull (strstr (client, "[0 bytes]"));
        }
      assert_words_apart (f);
    }
  fixture_tear_down (f, NULL);
}

/* S14 after a 2 s pause: "Hi!", a second later "Hope you're well", and
 * two seconds after that one receive of both and its echo. Quiet gaps lie
 * between, but the view follows the exchange back to the first send the
 * receive read: both sends in the view, their counts said. */
static void
test_follows_exchange_to_its_sends (Fixture       *f,
                                    gconstpointer  data)
{
  const char *expected = "Following the latest exchange: 5 events on 2 lanes, +0 µs to ";
  GtkWidget *widget = GTK_WIDGET (f->timeline);
  gint64 t0 = 8300 + 2000000;
  guint64 hi = scope_recorder_get_n_events (f->recorder);
  g_autofree char *description = NULL;
  g_autofree char *counts = NULL;

  append (f, t0, f->client, SCOPE_EVENT_SEND, "Hi!");
  append (f, t0 + 1000000, f->client, SCOPE_EVENT_SEND, "Hope you're well");
  append (f, t0 + 3000000, f->connection, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  append (f, t0 + 3000100, f->connection, SCOPE_EVENT_SEND, "Hi!Hope you're well");
  append (f, t0 + 3000200, f->client, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  scope_recorder_flush (f->recorder);
  settle (f);
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  description = scope_timeline_dup_description (f->timeline);
  g_assert_true (g_str_has_prefix (description, expected));

  for (guint64 i = hi; i <= hi + 1; i++)
    {
      graphene_rect_t bounds;

      g_assert_true (scope_timeline_get_event_bounds (f->timeline, i, &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (widget));
    }
  /* The client's lane, under its connection's: both sends' counts. */
  g_assert_cmpuint (scope_timeline_get_lane_socket (f->timeline, 2), ==, f->client);
  counts = lane_counts (f, 2);
  g_test_message ("the client's counts %s", counts);
  g_assert_true (g_str_has_prefix (counts, "[3][16]"));
  assert_words_apart (f);
}

/* A socket opened at @time_us with one event, and the view settled. */
static guint
add_lane (Fixture         *f,
          gint64           time_us,
          ScopeSocketRole  role,
          ScopeProtocol    protocol,
          GSocketAddress  *local,
          GSocketAddress  *peer,
          ScopeEventKind   kind)
{
  guint socket;

  at (f, time_us);
  socket = scope_recorder_add_socket (f->recorder, role, protocol, "late", local, peer, 0);
  append (f, time_us, socket, kind, NULL);
  scope_recorder_flush (f->recorder);
  settle (f);
  return socket;
}

/* A timeline of its own on the fixture's recorder, in a scrolled window
 * 800 px wide and @height tall, shown and drawn: the fixture's helpers
 * look at it until the caller puts f->timeline back and destroys the
 * window it returns. */
static GtkWidget *
show_scrolled (Fixture  *f,
               int       height,
               gboolean  projector)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  ScopeTimeline *timeline = SCOPE_TIMELINE (scope_timeline_new ());

  gtk_window_set_default_size (GTK_WINDOW (window), 800, height);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (timeline));
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  scope_timeline_set_recorder (timeline, f->recorder);
  scope_timeline_set_projector (timeline, projector);
  gtk_window_present (GTK_WINDOW (window));
  f->timeline = timeline;
  while (gtk_widget_get_height (GTK_WIDGET (timeline)) == 0)
    g_main_context_iteration (NULL, TRUE);
  settle (f);
  return window;
}

/* Lanes in a scrolled window too short for them all: a new lane comes
 * into view by itself until the user scrolls, for that exchange;
 * projector mode keeps the lane that was at the top at the top. */
static void
test_lanes_in_view (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) late_address = inet ("127.0.0.1", 53200);
  ScopeTimeline *shown = f->timeline;
  GtkWidget *window = show_scrolled (f, 260, FALSE);
  ScopeTimeline *timeline = f->timeline;
  GtkAdjustment *vadjustment;
  ScopeTimelineMetrics normal = scope_timeline_metrics (FALSE);
  ScopeTimelineMetrics large = scope_timeline_metrics (TRUE);
  graphene_rect_t area;
  guint late, row;

  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (timeline));
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >,
                     gtk_adjustment_get_page_size (vadjustment));

  /* A new client's lane, the last, comes into view: its connect, a
   * second after the rest, is the exchange. */
  late = add_lane (f, 1000000, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, late_address,
                   server_address, SCOPE_EVENT_CONNECT);
  row = scope_timeline_lane_of_socket (timeline, late);
  g_assert_true (scope_timeline_get_lane_area (timeline, row, &area));
  g_assert_cmpfloat (area.origin.y, >=, normal.axis_height);
  g_assert_cmpfloat (area.origin.y + area.size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (timeline)));
  assert_words_apart (f);

  /* The user scrolls to the top: the next lane of that exchange waits
   * below (the next exchange's comes into view:
   * /timeline/exchange-lanes-in-view). */
  gtk_adjustment_set_value (vadjustment, 0);
  add_lane (f, 1000100, SCOPE_SOCKET_DATAGRAM, SCOPE_PROTOCOL_UDP, late_address, NULL,
            SCOPE_EVENT_LISTEN);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);

  /* F follows again, new lanes with it; a selection's scroll to its lane
   * is not the user's (the fifth trial's new lanes stayed below after a
   * click on an event). */
  scope_timeline_follow_exchange (timeline);
  scope_timeline_set_selected (timeline, (gint64) scope_stream_get_first_index (
                                 scope_timeline_get_stream (timeline)));
  late = add_lane (f, 3000000, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP, late_address,
                   server_address, SCOPE_EVENT_CONNECT);
  g_assert_true (scope_timeline_get_lane_area (timeline, scope_timeline_lane_of_socket (timeline,
                                                                                         late),
                                               &area));
  g_assert_cmpfloat (area.origin.y + area.size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (timeline)));
  scope_timeline_set_selected (timeline, -1);

  /* S17 resumed: the listener accepts, and the lane of the connection it
   * made comes; the listener's lane, where the exchange starts, stays in
   * view above it, where the new lane alone pushed it off. */
  scope_timeline_follow_exchange (timeline);
  append (f, 9300000, f->listener, SCOPE_EVENT_ACCEPT, NULL);
  late = add_lane (f, 9300010, SCOPE_SOCKET_CONNECTION, SCOPE_PROTOCOL_TCP, server_address,
                   late_address, SCOPE_EVENT_RECV);
  g_assert_true (scope_timeline_get_lane_area (
                   timeline, scope_timeline_lane_of_socket (timeline, f->listener), &area));
  g_assert_cmpfloat (area.origin.y, >=, normal.axis_height - 1);
  g_assert_cmpfloat (area.origin.y, <, gtk_widget_get_height (GTK_WIDGET (timeline)));

  /* S17 with clients that sent as they connected: the listener accepts
   * four more, later, whose bytes waited in the kernel for a second. The
   * view is told from their arrival, on the lanes of the connections
   * below; the listener's, with its queue and accepts, stays in view
   * above them (the twelfth trial saw it scrolled off). */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 53300 + i);
      guint connection;

      at (f, 50000000 + i * 100);
      connection = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                              SCOPE_PROTOCOL_TCP, "late", server_address, peer,
                                              f->listener);
      scope_recorder_append_accept (f->recorder, f->listener, connection);
      at (f, 50000000 + i * 100 + 50);
      scope_recorder_append_received (f->recorder, connection, SCOPE_EVENT_RECV, NULL,
                                      (const guint8 *) "hello", 5,
                                      g_get_real_time () - G_USEC_PER_SEC);
      scope_recorder_flush (f->recorder);
      settle (f);
    }
  g_assert_true (scope_timeline_get_lane_area (
                   timeline, scope_timeline_lane_of_socket (timeline, f->listener), &area));
  g_assert_cmpfloat (area.origin.y, >=, normal.axis_height - 1);
  g_assert_cmpfloat (area.origin.y, <, gtk_widget_get_height (GTK_WIDGET (timeline)));

  /* Lane 3 at the top, then projector mode: still lane 3. (Rows above it
   * may be folded, closed connections of an exchange gone by.) */
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment)
                                         + scope_timeline_row_top (timeline, 3)
                                         - normal.axis_height);
  g_assert_cmpint (scope_timeline_row_at (timeline, normal.axis_height), ==, 3);
  scope_timeline_set_projector (timeline, TRUE);
  settle (f);
  g_assert_cmpint (scope_timeline_row_at (timeline, large.axis_height), ==, 3);
  assert_words_apart (f);
  scope_timeline_set_projector (timeline, FALSE);
  settle (f);
  g_assert_cmpint (scope_timeline_row_at (timeline, normal.axis_height), ==, 3);

  f->timeline = shown;
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The events recorded before a frame are in that frame's words, whoever
 * flushes the recorder later in it: the page flushes in a frame callback
 * of its own, which may come after the timeline's, and the marks of such
 * a frame showed new lanes that its words left unnamed, the queue's words
 * on the lane below (the twelfth trial, S17 resumed). */
static void
test_words_of_the_frame (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSocketAddress) local = inet ("127.0.0.1", 53400);
  g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 50000);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->timeline));
  gint64 frame = gdk_frame_clock_get_frame_counter (clock);
  gboolean named = FALSE;
  guint socket;

  at (f, 5000000);
  socket = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                      "late", local, peer, 0);
  append (f, 5000000, socket, SCOPE_EVENT_CONNECT, NULL);
  /* Not flushed; the words were due at the next frame anyway (the view
   * eases, or an earlier flush asked for them). */
  scope_timeline_request_words (f->timeline);
  while (gdk_frame_clock_get_frame_counter (clock) <= frame + 1)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < f->timeline->plan->len; i++)
    named = named || strstr (g_array_index (f->timeline->plan, ScopeTimelineWord, i).text,
                             ":53400") != NULL;
  g_assert_true (named);
}

/* An event's tooltip says first when it was as the axis counts, with the
 * axis' own words ("+40 µs from send, client"), then what it was: its time
 * in the session alone did not match the axis it hovered over (the
 * thirteenth trial). */
static void
test_tooltip_counts_as_the_axis (Fixture       *f,
                                 gconstpointer  data)
{
  guint64 n = scope_recorder_get_n_events (f->recorder);
  const char *origin = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  scope_timeline_follow_exchange (f->timeline);
  settle (f);
  for (guint i = 0; i < f->timeline->plan->len; i++)
    if (g_array_index (f->timeline->plan, ScopeTimelineWord, i).kind
        == SCOPE_TIMELINE_WORD_ORIGIN)
      origin = g_array_index (f->timeline->plan, ScopeTimelineWord, i).text;
  g_assert_nonnull (origin);
  text = scope_timeline_tooltip_text (f->timeline, n - 1);
  g_test_message ("%s", text);
  lines = g_strsplit (text, "\n", 2);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (lines[0][0] == '+' || lines[0][0] == '-');
  /* The axis may say its origin shorter, where it has less room */
  g_assert_nonnull (strstr (lines[0], origin));
  g_assert_nonnull (strstr (lines[1], " at "));

  /* In lines that fit a screen, at spaces, no hyphen added: in one line a
   * datagram's description ran off a 1280 px screen in projector type
   * (the fourteenth trial) */
  {
    GtkWidget *label = g_object_ref_sink (scope_timeline_tooltip_label (f->timeline, n - 1));
    int natural;

    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, text);
    g_assert_true (gtk_label_get_wrap (GTK_LABEL (label)));
    g_assert_true (scope_text_label_has_no_hyphens (GTK_LABEL (label)));
    gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
    g_test_message ("the tooltip %d px wide", natural);
    g_assert_cmpint (natural, <, 640);
    g_object_unref (label);
  }
}

/* After each frame's paint while the view eases: whether the words it
 * showed were placed for the view it drew. */
typedef struct
{
  ScopeTimeline *timeline;
  guint          frames;
  guint          stale;
} EaseWatch;

static void
on_eased_frame (GdkFrameClock *clock,
                EaseWatch     *watch)
{
  GtkWidget *widget = GTK_WIDGET (watch->timeline);
  g_autoptr(GArray) now = scope_timeline_plan (watch->timeline, gtk_widget_get_width (widget),
                                               gtk_widget_get_height (widget));
  GArray *shown = watch->timeline->plan;
  gboolean same = shown != NULL && shown->len == now->len;

  for (guint i = 0; same && i < now->len; i++)
    {
      const ScopeTimelineWord *a = &g_array_index (shown, ScopeTimelineWord, i);
      const ScopeTimelineWord *b = &g_array_index (now, ScopeTimelineWord, i);

      same = g_strcmp0 (a->text, b->text) == 0 && graphene_rect_equal (&a->rect, &b->rect);
    }
  watch->frames++;
  watch->stale += !same;
}

/* While the view eases to a new exchange, each frame's words are placed
 * for the view that frame draws: the easing's frame callback may come
 * after the words', and they were a frame behind, which with frames of a
 * tenth of a second showed "+14 s … +18 s" on the axis over marks drawn
 * for 0–18 s (the thirteenth trial). */
static void
test_words_follow_the_easing (Fixture       *f,
                              gconstpointer  data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->timeline));
  EaseWatch watch = { f->timeline, 0, 0 };
  gulong handler;

  g_object_set (gtk_widget_get_settings (GTK_WIDGET (f->timeline)), "gtk-enable-animations",
                TRUE, NULL);
  scope_timeline_follow_exchange (f->timeline);
  settle (f);
  append (f, 3000000, f->client, SCOPE_EVENT_SEND, "later");
  append (f, 3000040, f->connection, SCOPE_EVENT_RECV, "later");
  scope_recorder_flush (f->recorder);
  g_assert_true (scope_timeline_is_easing (f->timeline));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_eased_frame), &watch);
  while (scope_timeline_is_easing (f->timeline))
    g_main_context_iteration (NULL, TRUE);
  settle (f);
  g_signal_handler_disconnect (clock, handler);
  g_test_message ("%u frames, %u with words of another view", watch.frames, watch.stale);
  g_assert_cmpuint (watch.frames, >=, 2);
  g_assert_cmpuint (watch.stale, ==, 0);
}

/* The lanes take the height there is: in a tall window five lanes fill
 * it, each taller than the metrics' own, with every mark inside its lane
 * and no word over another; in a short one they keep their own height, or
 * a little less for the lanes of the exchange followed, and scroll.
 * Normal and projector mode. */
static void
test_lanes_fill_height (Fixture       *f,
                        gconstpointer  data)
{
  static const int heights[] = { 900, 300 };
  ScopeTimeline *shown = f->timeline;

  for (guint projector = 0; projector < 2; projector++)
    for (guint h = 0; h < G_N_ELEMENTS (heights); h++)
      {
        GtkWidget *window = show_scrolled (f, heights[h], projector);
        ScopeTimeline *timeline = f->timeline;
        ScopeTimelineMetrics base = scope_timeline_metrics (projector);
        guint n, open = 0;
        double room, last_bottom = 0;
        GtkAdjustment *vadjustment;

        n = scope_timeline_get_n_lanes (timeline);
        room = gtk_widget_get_height (GTK_WIDGET (timeline)) - base.axis_height;
        for (guint row = 0; row < n; row++)
          {
            graphene_rect_t area;

            g_assert_true (scope_timeline_get_lane_area (timeline, row, &area));
            last_bottom = area.origin.y + area.size.height;
            if (scope_timeline_row_is_folded (timeline, row))
              continue;
            open++;
            if (n * base.lane_height <= room)
              g_assert_cmpfloat (area.size.height, >, base.lane_height);
            else
              {
                /* Where the exchange's lanes do not fit, squeezed as far
                 * as SCOPE_TIMELINE_LANE_SQUEEZE_MIN for them */
                g_assert_cmpfloat (area.size.height, <=, base.lane_height);
                g_assert_cmpfloat (area.size.height, >=,
                                   ceil (SCOPE_TIMELINE_LANE_SQUEEZE_MIN (projector)
                                         * base.lane_height));
              }
          }
        g_assert_cmpuint (open, >=, 4);
        vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (timeline));
        if (n * base.lane_height <= room)
          {
            /* To the foot of the window, within a pixel a lane (each is
             * whole pixels); nothing to scroll */
            g_assert_cmpfloat (last_bottom, <=, gtk_widget_get_height (GTK_WIDGET (timeline)));
            g_assert_cmpfloat (last_bottom, >,
                               gtk_widget_get_height (GTK_WIDGET (timeline)) - (double) open);
            g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), <=,
                               gtk_adjustment_get_page_size (vadjustment) + 1);
          }
        else if (scope_timeline_get_metrics (timeline).lane_height == base.lane_height)
          g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >,
                             gtk_adjustment_get_page_size (vadjustment));
        /* (else squeezed for the exchange's lanes: /timeline/exchange-lanes-squeezed) */

        /* Every mark inside its lane, between its name and its foot */
        for (guint64 i = 0; i < scope_recorder_get_n_events (f->recorder); i++)
          {
            ScopeRecord record;
            graphene_rect_t bounds, area;
            guint row;

            g_assert_true (scope_recorder_get_record (f->recorder, i, &record));
            row = scope_timeline_lane_of_socket (timeline, record.socket_id);
            if (scope_timeline_row_is_folded (timeline, row))
              continue;
            g_assert_true (scope_timeline_get_event_bounds (timeline, i, &bounds));
            g_assert_true (scope_timeline_get_lane_area (timeline, row, &area));
            g_assert_cmpfloat (bounds.origin.y, >=, area.origin.y + base.label_height);
            g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                               area.origin.y + area.size.height);
          }
        assert_words_apart (f);
        f->timeline = shown;
        gtk_window_destroy (GTK_WINDOW (window));
      }
}

/* Lanes in a window too short for them all, the exchange on the last two
 * (the fixture's UDP pair): scrolled to the top by the user, F brings the
 * exchange's lanes back into view; so does projector mode, its lanes
 * taller, while following (S16 in projector mode at 1280×800 had its
 * client's lane below the window, the eighth trial). */
static void
test_exchange_lanes_in_view (Fixture       *f,
                             gconstpointer  data)
{
  ScopeTimeline *shown = f->timeline;
  GtkWidget *window = show_scrolled (f, 260, FALSE);
  ScopeTimeline *timeline = f->timeline;
  GtkAdjustment *vadjustment;

  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (timeline));
  /* After a quiet 300 ms, an exchange on the UDP pair alone */
  datagram (f, 8300 + 300000, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "b");
  datagram (f, 8300 + 300100, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, "b");
  scope_recorder_flush (f->recorder);
  settle (f);

  for (guint projector = 0; projector < 2; projector++)
    {
      guint rows[] = {
        scope_timeline_lane_of_socket (timeline, f->udp_server),
        scope_timeline_lane_of_socket (timeline, f->udp_client),
      };
      ScopeTimelineMetrics m;

      gtk_adjustment_set_value (vadjustment, 0);
      scope_timeline_set_projector (timeline, projector);
      scope_timeline_follow_exchange (timeline);
      settle (f);
      m = scope_timeline_get_metrics (timeline);
      /* The first of them whole in view, the second too where both fit */
      g_assert_cmpfloat (scope_timeline_row_top (timeline, rows[0]), >=, m.axis_height - 1);
      g_assert_cmpfloat (scope_timeline_row_top (timeline, rows[0]) + m.lane_height, <=,
                         gtk_widget_get_height (GTK_WIDGET (timeline)) + 1);
      if (2 * m.lane_height <= gtk_widget_get_height (GTK_WIDGET (timeline)) - m.axis_height)
        g_assert_cmpfloat (scope_timeline_row_top (timeline, rows[1]) + m.lane_height, <=,
                           gtk_widget_get_height (GTK_WIDGET (timeline)) + 1);
    }

  /* Projector mode while following: the exchange's lanes stay in view */
  scope_timeline_set_projector (timeline, FALSE);
  settle (f);
  scope_timeline_set_projector (timeline, TRUE);
  settle (f);
  g_assert_cmpfloat (scope_timeline_row_top (timeline,
                                             scope_timeline_lane_of_socket (timeline,
                                                                            f->udp_server)),
                     >=, scope_timeline_get_metrics (timeline).axis_height - 1);

  /* Scrolled to the top by the user: more of that exchange does not move
   * the view; the next exchange, after a quiet 300 ms, brings its lanes
   * into view (S16's stayed below the window because the lecturer had
   * scrolled in S17, the eighteenth trial) */
  gtk_adjustment_set_value (vadjustment, 0);
  settle (f);
  datagram (f, 8300 + 300200, f->udp_server, SCOPE_EVENT_SENDTO, 40000, "b");
  scope_recorder_flush (f->recorder);
  settle (f);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
  /* Nor an echo 5 ms on, in a batch of its own, that the stream may tell
   * apart as an exchange of its own: no lull came before it (the review) */
  datagram (f, 8300 + 305000, f->udp_server, SCOPE_EVENT_SENDTO, 40000, "b");
  scope_recorder_flush (f->recorder);
  settle (f);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
  datagram (f, 8300 + 700000, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "c");
  datagram (f, 8300 + 700100, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, "c");
  scope_recorder_flush (f->recorder);
  settle (f);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);
  g_assert_cmpfloat (scope_timeline_row_top (timeline,
                                             scope_timeline_lane_of_socket (timeline,
                                                                            f->udp_server)),
                     >=, scope_timeline_get_metrics (timeline).axis_height - 1);
  f->timeline = shown;
  gtk_window_destroy (GTK_WINDOW (window));
}

/* S17: accepting paused, the listener's queue fills to six with a backlog
 * of five: a band above its line, and the words on its lane, before any
 * accept. */
static void
test_accept_queue (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));
  gboolean said = FALSE, full = FALSE;
  const ScopeTimelineQueueStep *last;
  g_autofree char *tooltip = NULL;
  ScopeTimelineMetrics m;
  guint64 six;
  double x, mid;

  at (f, 8400);
  scope_recorder_append_queue (f->recorder, f->listener, 2, 5);
  at (f, 8450);
  six = scope_recorder_get_n_events (f->recorder);
  scope_recorder_append_queue (f->recorder, f->listener, 6, 5);
  scope_recorder_flush (f->recorder);
  settle (f);
  /* The same words, with the six waiting for 300 ms */
  at (f, 8450 + 300000);
  settle (f);
  /* The band under the pointer, between events: its tooltip says the six,
   * and when the clients in SYN-SENT come again (the fourteenth trial
   * found no tooltip on it, and the last two came with nothing said) */
  scope_timeline_queue_steps (f->timeline, 0, gtk_widget_get_width (GTK_WIDGET (f->timeline)),
                              steps);
  g_assert_cmpuint (steps->len, ==, 2);
  last = &g_array_index (steps, ScopeTimelineQueueStep, 1);
  g_assert_cmpint (last->event, ==, six);
  m = scope_timeline_get_metrics (f->timeline);
  x = MIN (last->x1, gtk_widget_get_width (GTK_WIDGET (f->timeline))) - 20;
  g_assert_cmpfloat (x, >, last->x0 + 3 * m.mark_width);
  mid = scope_timeline_row_middle (f->timeline, 0);
  g_assert_cmpint (scope_timeline_pick_hover (f->timeline, x, mid - 4), ==, six);
  g_assert_cmpint (scope_timeline_pick_hover (f->timeline, x, mid + m.half_height / 2), ==,
                   SCOPE_TIMELINE_NOT_SELECTED);
  /* Not a click's: the step's mark may be far off screen, and selecting
   * it would take the view there (the review) */
  g_assert_cmpint (scope_timeline_pick (f->timeline, x, mid - 4), ==,
                   SCOPE_TIMELINE_NOT_SELECTED);
  tooltip = scope_timeline_tooltip_text (f->timeline, six);
  g_assert_nonnull (strstr (tooltip, "6 connections waiting to be accepted, backlog 5"));
  g_assert_nonnull (strstr (tooltip, "SYN again 1, 3, 7, 15, 31 and 63 s"));
  for (guint i = 0; i < f->timeline->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

      said |= word->kind == SCOPE_TIMELINE_WORD_QUEUE && word->lane == 0
              && g_str_equal (word->text, "6 waiting · backlog 5");
      full |= word->kind == SCOPE_TIMELINE_WORD_QUEUE && word->lane == 0
              && g_str_equal (word->text, "full · new clients wait in SYN-SENT");
    }
  g_assert_true (said);
  /* Six of five: Linux's limit, past which a client stays in SYN-SENT */
  g_assert_true (full);
  assert_words_apart (f);
}

/* The timeline's pixels as it is drawn, B, G, R, A premultiplied
 * (GDK_MEMORY_DEFAULT), on an opaque background; @stride: set */
static guchar *
render_pixels (Fixture *f,
               gsize   *stride)
{
  int width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
  int height = gtk_widget_get_height (GTK_WIDGET (f->timeline));
  g_autoptr(GskRenderNode) node = scope_timeline_render (f->timeline, width, height);
  graphene_rect_t whole = GRAPHENE_RECT_INIT (0, 0, width, height);
  g_autoptr(GdkTexture) texture = gsk_renderer_render_texture (
    gtk_native_get_renderer (GTK_NATIVE (f->window)), node, &whole);
  guchar *pixels;

  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);
  *stride = (gsize) width * 4;
  pixels = g_malloc (*stride * height);
  gdk_texture_download (texture, pixels, *stride);
  return pixels;
}

/* A receive's count over a band reads on its lane's ground: no band's
 * blue shows between its letters. How many were over a band: returned. */
static guint
assert_counts_grounded (Fixture *f)
{
  int width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
  g_autofree guchar *pixels = NULL;
  gsize stride;
  guint grounded = 0;

  pixels = render_pixels (f, &stride);
  for (guint i = 0; i < f->timeline->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);
      guint blue = 0;

      if ((word->kind != SCOPE_TIMELINE_WORD_COUNT && word->kind != SCOPE_TIMELINE_WORD_GROUP)
          || word->ink != SCOPE_TIMELINE_INK_RECV)
        continue;
      grounded += word->grounded;
      for (int y = (int) word->rect.origin.y; y < word->rect.origin.y + word->rect.size.height; y++)
        for (int x = (int) word->rect.origin.x;
             x < MIN (word->rect.origin.x + word->rect.size.width, width); x++)
          {
            const guchar *p = pixels + (gsize) y * stride + (gsize) x * 4;

            blue += p[0] > p[2] + 40;
          }
      if (blue > 0)
        g_error ("“%s” at %g,%g has %u pixels of a band's blue among its letters", word->text,
                 word->rect.origin.x, word->rect.origin.y, blue);
    }
  return grounded;
}

/* How many of the timeline's pixels from @top, @height tall, are a
 * band's blue, or (@orange) a receive's orange. */
static guint
tinted_pixels (Fixture  *f,
               double    top,
               double    height,
               gboolean  orange)
{
  int width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
  int full = gtk_widget_get_height (GTK_WIDGET (f->timeline));
  gsize stride;
  g_autofree guchar *pixels = render_pixels (f, &stride);
  guint blue = 0;

  for (int y = (int) ceil (top); y < (int) floor (top + height) && y < full; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + (gsize) y * stride + (gsize) x * 4;

        /* B, G, R: the send's blue, #1c71d8, or the receive's orange,
         * #c64600, even faint */
        blue += orange ? p[2] > p[0] + 40 : p[0] > p[2] + 40;
      }
  return blue;
}

/* S14 with reading paused: a new connection's bytes wait unread, 3 then
 * 19 a second later. A band below its line says so, growing to now, its
 * words "19 bytes unread", in normal and projector type; the view holds
 * it. Read at last, the band ends at the receive. */
static void
test_bytes_unread (Fixture       *f,
                   gconstpointer  data)
{
  gint64 t0 = 8300 + 2000000;
  guint connection = accepted (f, 53400, t0);
  guint row;
  double band_end;

  at (f, t0 + 100);
  scope_recorder_append_unread (f->recorder, connection, 3, 131072, -1, TRUE);
  at (f, t0 + 1000100);
  scope_recorder_append_unread (f->recorder, connection, 19, 131072, -1, TRUE);
  at (f, t0 + 1200000);
  scope_recorder_flush (f->recorder);
  row = scope_timeline_lane_of_socket (f->timeline, connection);
  for (guint projector = 0; projector < 2; projector++)
    {
      g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));
      gboolean said = FALSE;

      scope_timeline_set_projector (f->timeline, projector);
      settle (f);
      g_assert_true (scope_timeline_get_following_exchange (f->timeline));
      scope_timeline_queue_steps (f->timeline, row, gtk_widget_get_width (GTK_WIDGET (f->timeline)),
                                  steps);
      g_assert_cmpuint (steps->len, ==, 2);
      for (guint i = 0; i < steps->len; i++)
        {
          const ScopeTimelineQueueStep *step = &g_array_index (steps, ScopeTimelineQueueStep, i);

          g_assert_true (step->unread);
          g_assert_cmpfloat (step->x0, >=, 0);
          g_assert_cmpfloat (step->x1, <=, gtk_widget_get_width (GTK_WIDGET (f->timeline)));
        }
      /* To now, while the bytes wait */
      g_assert_cmpfloat_with_epsilon (g_array_index (steps, ScopeTimelineQueueStep, 1).x1,
                                      scope_timeline_time_to_x (f->timeline, t0 + 1200000), 0.01);
      for (guint i = 0; i < f->timeline->plan->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord,
                                                          i);

          said |= word->kind == SCOPE_TIMELINE_WORD_QUEUE && word->lane == row
                  && g_str_equal (word->text, "19 bytes unread");
        }
      g_assert_true (said);
      assert_words_apart (f);
    }

  /* Read at last: none unread from the receive on. */
  at (f, t0 + 1500000);
  append (f, t0 + 1500000, connection, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  scope_recorder_append_unread (f->recorder, connection, 0, 131072, -1, TRUE);
  at (f, t0 + 1600000);
  scope_recorder_flush (f->recorder);
  settle (f);
  {
    g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));

    scope_timeline_queue_steps (f->timeline, row, gtk_widget_get_width (GTK_WIDGET (f->timeline)),
                                steps);
    g_assert_cmpuint (steps->len, >=, 1);
    band_end = g_array_index (steps, ScopeTimelineQueueStep, steps->len - 1).x1;
    g_assert_cmpfloat_with_epsilon (band_end, scope_timeline_time_to_x (f->timeline,
                                                                        t0 + 1500000), 0.01);
  }
  g_assert_true (f->timeline->waiting_timeout == 0);

  /* Closed with bytes unread, and folded once an exchange elsewhere comes:
   * no band inside its strip (orange fragments there, the eighth trial) */
  at (f, t0 + 1700000);
  scope_recorder_append_unread (f->recorder, connection, 7, 131072, -1, TRUE);
  append (f, t0 + 1700100, connection, SCOPE_EVENT_CLOSE, NULL);
  datagram (f, t0 + 2500000, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "b");
  datagram (f, t0 + 2500100, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, "b");
  scope_recorder_flush (f->recorder);
  scope_timeline_zoom_to_fit (f->timeline);
  settle (f);
  g_assert_true (scope_timeline_row_is_folded (f->timeline, row));
  g_assert_cmpuint (tinted_pixels (f, scope_timeline_row_top (f->timeline, row),
                                   scope_timeline_row_top (f->timeline, row + 1)
                                   - scope_timeline_row_top (f->timeline, row), TRUE), ==, 0);
}

/* The queue's band on the listener's lane: where it starts and ends. */
static gboolean
queue_band (Fixture *f,
            double  *x0,
            double  *x1)
{
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));
  const ScopeTimelineQueueStep *last;

  scope_timeline_queue_steps (f->timeline, 0, gtk_widget_get_width (GTK_WIDGET (f->timeline)),
                              steps);
  if (steps->len == 0)
    return FALSE;
  last = &g_array_index (steps, ScopeTimelineQueueStep, steps->len - 1);
  *x0 = last->x0;
  *x1 = last->x1;
  return TRUE;
}

/* While the view eases, where the events from f->eased_from to
 * f->eased_to are, the leftmost and the rightmost of every frame. */
static gboolean
note_eased_view (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  Fixture *f = user_data;

  if (scope_timeline_is_easing (f->timeline))
    {
      (*f->eased_frames)++;
      f->eased_range[0] = MIN (f->eased_range[0],
                               scope_timeline_time_to_x (f->timeline, f->eased_from));
      f->eased_range[1] = MAX (f->eased_range[1],
                               scope_timeline_time_to_x (f->timeline, f->eased_to));
    }
  return G_SOURCE_CONTINUE;
}

static double
exchange_scale (Fixture *f,
                double   span_us)
{
  double width = scope_timeline_content_width (f->timeline,
                                               gtk_widget_get_width (GTK_WIDGET (f->timeline)));

  return span_us / (width * 0.7);
}

/* S17 told once: after a quiet 2 s, the poll finds six waiting at once,
 * and nothing else happens while accepting stays paused. The view spans a
 * second from it, not the µs about it; the band runs from it to now, and
 * grows as time goes by with no event, the view doubling its span when
 * the band has filled it. Accepted, the band ends there. */
static void
test_accept_queue_to_now (Fixture       *f,
                          gconstpointer  data)
{
  gint64 t0 = 8300 + 2000000;
  double x0, x1, before;

  at (f, t0);
  scope_recorder_append_queue (f->recorder, f->listener, 6, 5);
  scope_recorder_flush (f->recorder);
  settle (f);
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline),
                                  exchange_scale (f, G_USEC_PER_SEC), 1e-6);
  g_assert_cmpuint (count_words (f, SCOPE_TIMELINE_WORD_TICK), >=, 3);
  g_assert_true (queue_band (f, &x0, &x1));
  g_assert_cmpfloat_with_epsilon (x0, scope_timeline_time_to_x (f->timeline, t0), 0.01);
  g_assert_cmpfloat (x1, ==, x0);

  /* 300 ms on, with no event: the band reaches now, and a timer draws it
   * again while it grows. */
  at (f, t0 + 300000);
  before = scope_timeline_get_scale (f->timeline);
  settle (f);
  g_assert_cmpfloat (scope_timeline_get_scale (f->timeline), ==, before);
  g_assert_true (queue_band (f, &x0, &x1));
  g_assert_cmpfloat_with_epsilon (x1, scope_timeline_time_to_x (f->timeline, t0 + 300000), 0.01);
  g_assert_cmpfloat_with_epsilon (x1 - x0, 300000 / before, 0.01);
  g_assert_true (f->timeline->waiting_timeout != 0);
  /* Below the sockets' sources, so that the frames it asks for leave time
   * to accept what waits: at the default priority, on a loaded machine,
   * the queue it drew never emptied (connect → accept 11.6 s). */
  g_assert_cmpint (g_source_get_priority (g_main_context_find_source_by_id (
                     NULL, f->timeline->waiting_timeout)), >, G_PRIORITY_DEFAULT_IDLE);

  /* 1.5 s on: the band would leave a second's view; at the timer's next
   * tick, with no event, the view spans 2 s. */
  at (f, t0 + 1500000);
  while (scope_timeline_get_scale (f->timeline) == before || scope_timeline_is_easing (f->timeline))
    g_main_context_iteration (NULL, TRUE);
  settle (f);
  g_assert_cmpfloat_with_epsilon (scope_timeline_get_scale (f->timeline),
                                  exchange_scale (f, 2 * G_USEC_PER_SEC), 1e-6);
  g_assert_true (queue_band (f, &x0, &x1));
  g_assert_cmpfloat_with_epsilon (x1, scope_timeline_time_to_x (f->timeline, t0 + 1500000),
                                  0.01);
  g_assert_cmpfloat (x1, <=, gtk_widget_get_width (GTK_WIDGET (f->timeline)));
  assert_words_apart (f);

  /* A zoom leaves the exchange, and the timer stops; F brings both back. */
  scope_timeline_zoom (f->timeline, 2, 10);
  g_assert_true (f->timeline->waiting_timeout == 0);
  scope_timeline_follow_exchange (f->timeline);
  g_assert_true (f->timeline->waiting_timeout != 0);
  settle (f);

  /* Accepting resumed: six accepts empty the queue, the band ends there,
   * and no timer runs. The view zooms into the accepts from the wait's,
   * each of them in view at every frame of the way (the sixth trial saw
   * 0.3 s of the wait with no accept in it). */
  {
    g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 50000);
    gint64 first_us = t0 + 1600000, last_us = first_us + 5 * 40;
    double range[2] = { G_MAXDOUBLE, -G_MAXDOUBLE };
    guint frames = 0, tick;

    g_assert_true (scope_timeline_get_following_exchange (f->timeline));
    for (guint i = 0; i < 6; i++)
      {
        g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 53300 + i);
        guint connection;

        at (f, first_us + i * 40);
        connection = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                                SCOPE_PROTOCOL_TCP, "tcp-echo", server_address,
                                                peer, f->listener);
        scope_recorder_append_accept (f->recorder, f->listener, connection);
      }
    scope_recorder_append_queue (f->recorder, f->listener, 0, 5);
    f->eased_from = first_us;
    f->eased_to = last_us;
    f->eased_range = range;
    f->eased_frames = &frames;
    tick = gtk_widget_add_tick_callback (GTK_WIDGET (f->timeline), note_eased_view, f, NULL);
    scope_recorder_flush (f->recorder);
    settle (f);
    gtk_widget_remove_tick_callback (GTK_WIDGET (f->timeline), tick);
    g_test_message ("%u frames of easing; the accepts between %g and %g px", frames, range[0],
                    range[1]);
    g_assert_cmpuint (frames, >=, 2);
    g_assert_cmpfloat (range[0], >=, 0);
    g_assert_cmpfloat (range[1], <=, gtk_widget_get_width (GTK_WIDGET (f->timeline)));
    g_assert_false (queue_band (f, &x0, &x1)
                    && x1 > scope_timeline_time_to_x (f->timeline, last_us) + 0.01);
  }
  g_assert_true (f->timeline->waiting_timeout == 0);

  /* Paused again, clients come one by one, seconds apart, each its own
   * exchange: the view holds the queue from when the first waited, not
   * the last one's moment (the fourth trial saw the last 40 ms, "5
   * waiting" where the server's row said 6). */
  at (f, t0 + 2000000);
  scope_recorder_append_queue (f->recorder, f->listener, 1, 5);
  scope_recorder_flush (f->recorder);
  settle (f);
  at (f, t0 + 5000000);
  scope_recorder_append_queue (f->recorder, f->listener, 2, 5);
  scope_recorder_flush (f->recorder);
  settle (f);
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  g_assert_cmpfloat (scope_timeline_time_to_x (f->timeline, t0 + 2000000), >=, 0);
  g_assert_cmpfloat (scope_timeline_time_to_x (f->timeline, t0 + 5000000), <=,
                     gtk_widget_get_width (GTK_WIDGET (f->timeline)));
  assert_words_apart (f);
}

/* A client of the listener connects at @t0 from @port and is accepted
 * @accept_us later by a connection named @name. Returns the client, and
 * the connection in @connection. */
static guint
connect_client (Fixture    *f,
                gint64      t0,
                gint64      accept_us,
                guint16     port,
                const char *name,
                guint      *connection)
{
  g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 50000);
  g_autoptr(GSocketAddress) client_address = inet ("127.0.0.1", port);
  guint client;

  at (f, t0);
  client = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                      "client", client_address, server_address, 0);
  append (f, t0, client, SCOPE_EVENT_CONNECT, NULL);
  at (f, t0 + accept_us);
  *connection = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                           SCOPE_PROTOCOL_TCP, name, server_address,
                                           client_address, f->listener);
  scope_recorder_append_accept (f->recorder, f->listener, *connection);
  return client;
}

/* Every mark's ink on the lanes on screen: bars and glyphs, as drawn. */
static GArray *
marks_ink (Fixture *f,
           guint64  first)
{
  GArray *inks = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  ScopeTimelineMetrics m = scope_timeline_get_metrics (f->timeline);

  for (guint64 i = first; i < scope_recorder_get_n_events (f->recorder); i++)
    {
      ScopeRecord record;
      guint row;
      graphene_rect_t ink;

      g_assert_true (scope_recorder_get_record (f->recorder, i, &record));
      row = scope_timeline_lane_of_socket (f->timeline, record.socket_id);
      if (record.kind == SCOPE_EVENT_QUEUE || scope_timeline_row_is_folded (f->timeline, row))
        continue;
      scope_timeline_mark_ink (&m, &record, scope_timeline_record_x (f->timeline, &record),
                               scope_timeline_row_middle (f->timeline, row), &ink);
      g_array_append_val (inks, ink);
    }
  return inks;
}

static void
assert_counts_clear_of_marks (Fixture    *f,
                              guint64     first,
                              const char *what)
{
  g_autoptr(GArray) inks = marks_ink (f, first);

  for (guint i = 0; i < f->timeline->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

      if (word->kind != SCOPE_TIMELINE_WORD_COUNT && word->kind != SCOPE_TIMELINE_WORD_GROUP
          && word->kind != SCOPE_TIMELINE_WORD_CALL)
        continue;
      for (guint j = 0; j < inks->len; j++)
        if (graphene_rect_intersection (&word->rect, &g_array_index (inks, graphene_rect_t, j),
                                        NULL))
          g_error ("%s: “%s” covers a mark", what, word->text);
    }
}

/* S16 after a quiet 2 s: the client sends its 35-byte request; the
 * server reads it, sends its 361-byte reply and closes; the client reads
 * the reply, then the end (its EOF circle) and closes. At the view that
 * follows it and zoomed out and in about it, in normal and projector
 * mode, no count covers a bar, the circle or a close's bar. */
static void
test_counts_clear_of_glyphs (Fixture       *f,
                             gconstpointer  data)
{
  const char *request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  g_autofree char *reply = g_strnfill (361, 'x');
  gint64 t0 = 8300 + 2000000;
  guint64 first = scope_recorder_get_n_events (f->recorder);
  guint client, connection;

  g_assert_cmpuint (strlen (request), ==, 35);
  client = connect_client (f, t0, 60, 46036, "http", &connection);
  append (f, t0 + 100, client, SCOPE_EVENT_SEND, request);
  append (f, t0 + 160, connection, SCOPE_EVENT_RECV, request);
  append (f, t0 + 200, connection, SCOPE_EVENT_SEND, reply);
  append (f, t0 + 210, connection, SCOPE_EVENT_CLOSE, NULL);
  append (f, t0 + 3300, client, SCOPE_EVENT_RECV, reply);
  append (f, t0 + 3340, client, SCOPE_EVENT_RECV, NULL);
  append (f, t0 + 3400, client, SCOPE_EVENT_CLOSE, NULL);
  scope_recorder_flush (f->recorder);

  for (guint projector = 0; projector < 2; projector++)
    {
      g_autofree char *client_counts = NULL;

      scope_timeline_set_projector (f->timeline, projector);
      scope_timeline_follow_exchange (f->timeline);
      settle (f);
      client_counts = lane_counts (f, scope_timeline_lane_of_socket (f->timeline, client));
      /* The reply and the end, each said: apart, or as one group 40 µs
       * apart, "361 + 0 bytes" (the notes' 0-byte message) */
      if (g_strcmp0 (client_counts, "[35][2× recv · 361 + 0 bytes]") != 0)
        g_assert_cmpstr (client_counts, ==, "[35][361][0 bytes]");
      assert_counts_clear_of_marks (f, first, projector ? "following, projector" : "following");
      assert_words_apart (f);
      for (double scale = 0.25; scale < 200; scale *= 1.5)
        {
          g_autofree char *what = g_strdup_printf ("%g µs/px%s", scale,
                                                   projector ? ", projector" : "");

          scope_timeline_set_view (f->timeline, t0 + 1700 - 300 * scale, scale);
          settle (f);
          assert_counts_clear_of_marks (f, first, what);
          assert_words_apart (f);
        }
    }
}

/* Twelve connections closed before the exchange fold to one run a line
 * tall, "14 closed sockets" on it (the fixture's two with them): at 12
 * px a strip, they were 144 px of
 * stripes with nothing on them (the seventeenth and eighteenth trials).
 * Normal and projector mode. */
static void
test_closed_runs_compact (Fixture       *f,
                          gconstpointer  data)
{
  gint64 t0 = 8300 + 3000000;
  guint first = G_MAXUINT, last = 0;

  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(GSocketAddress) server_address = inet ("127.0.0.1", 50000);
      g_autoptr(GSocketAddress) peer = inet ("127.0.0.1", 53300 + i);
      guint connection;

      at (f, 10000 + 100 * i);
      connection = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CONNECTION,
                                              SCOPE_PROTOCOL_TCP, "tcp-echo", server_address,
                                              peer, f->listener);
      scope_recorder_append_accept (f->recorder, f->listener, connection);
      append (f, 10050 + 100 * i, connection, SCOPE_EVENT_CLOSE, NULL);
    }
  datagram (f, t0, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "b");
  datagram (f, t0 + 100, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, "b");
  scope_recorder_flush (f->recorder);
  for (guint projector = 0; projector < 2; projector++)
    {
      ScopeTimelineMetrics base = scope_timeline_metrics (projector);
      gboolean named = FALSE;
      double top, bottom;
      guint run = 0;

      scope_timeline_set_projector (f->timeline, projector);
      settle (f);
      for (guint row = 0; row < scope_timeline_get_n_lanes (f->timeline); row++)
        if (scope_timeline_row_is_folded (f->timeline, row))
          {
            first = MIN (first, row);
            last = MAX (last, row);
            run++;
          }
      g_assert_cmpuint (run, >=, 12);
      g_assert_cmpuint (last - first + 1, ==, run);
      top = scope_timeline_row_top (f->timeline, first);
      bottom = scope_timeline_row_top (f->timeline, last + 1);
      g_test_message ("%u strips in %g px%s", run, bottom - top, projector ? ", projector" : "");
      g_assert_cmpfloat (bottom - top, >=, base.label_height);
      /* (or 2 px a strip, where there are more) */
      g_assert_cmpfloat (bottom - top, <=, MAX (base.label_height + 4, 2 * run));
      for (guint i = 0; i < f->timeline->plan->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);
          g_autofree char *said = g_strdup_printf ("%u closed sockets", run);

          if (!g_str_equal (word->text, said))
            continue;
          named = TRUE;
          g_assert_cmpfloat (word->rect.origin.y, >=, top);
          g_assert_cmpfloat (word->rect.origin.y + word->rect.size.height, <=, bottom);
        }
      g_assert_true (named);
      assert_words_apart (f);
    }
}

/* After a quiet 300 ms, an exchange on the UDP lanes: the TCP connection
 * and client, closed before it, fold to strips with no words on them;
 * selecting an event in one opens it. */
static void
test_closed_lanes_fold (Fixture       *f,
                        gconstpointer  data)
{
  gint64 t0 = 8300 + 300000;
  ScopeTimelineMetrics base = scope_timeline_metrics (FALSE);
  graphene_rect_t area;
  gboolean just_closed_seen = FALSE;
  gboolean named = FALSE;
  guint first;

  /* The TCP echo server stopped before the UDP exchange: its listener
   * folds with its connection and client. */
  guint just_closed;

  append (f, t0 - 250000, f->listener, SCOPE_EVENT_CLOSE, NULL);
  /* S15: the server's connection reads the zero-byte read and closes a
   * few milliseconds before the client's own: its lane stays open. */
  just_closed = scope_recorder_add_socket (f->recorder, SCOPE_SOCKET_CLIENT, SCOPE_PROTOCOL_TCP,
                                           "client", NULL, NULL, 0);
  append (f, t0 - 5000, just_closed, SCOPE_EVENT_CLOSE, NULL);
  datagram (f, t0, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "b");
  datagram (f, t0 + 100, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, "b");
  scope_recorder_flush (f->recorder);
  settle (f);
  for (guint row = 0; row < scope_timeline_get_n_lanes (f->timeline); row++)
    {
      guint socket = scope_timeline_get_lane_socket (f->timeline, row);
      gboolean closed = socket == f->connection || socket == f->client || socket == f->listener;

      just_closed_seen |= socket == just_closed;

      g_assert_true (scope_timeline_get_lane_area (f->timeline, row, &area));
      /* The three strips a line tall together, and a little */
      g_assert_cmpfloat (area.size.height, ==,
                         closed ? scope_timeline_strip_height (&base, 3)
                                : scope_timeline_get_metrics (f->timeline).lane_height);
      for (guint i = 0; i < f->timeline->plan->len; i++)
        g_assert_true (!closed
                       || g_array_index (f->timeline->plan, ScopeTimelineWord, i).lane != row);
    }
  g_assert_true (just_closed_seen);
  assert_words_apart (f);
  /* The three strips together say what they are, on them (the trials saw
   * unnamed grey strips). */
  first = scope_timeline_lane_of_socket (f->timeline, f->listener);
  for (guint i = 0; i < f->timeline->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

      if (!g_str_equal (word->text, "3 closed sockets"))
        continue;
      named = TRUE;
      g_assert_cmpfloat (word->rect.origin.y, >=, scope_timeline_row_top (f->timeline, first));
      g_assert_cmpfloat (word->rect.origin.y + word->rect.size.height, <=,
                         scope_timeline_row_top (f->timeline, first + 3));
    }
  g_assert_true (named);

  /* Nor a band to or from a strip, seen whole: squashed, they were smears
   * across the lanes' names (the seventh trial). */
  scope_timeline_zoom_to_fit (f->timeline);
  settle (f);
  g_assert_cmpuint (tinted_pixels (f, scope_timeline_row_top (f->timeline, first),
                                   scope_timeline_row_top (f->timeline, first + 3)
                                   - scope_timeline_row_top (f->timeline, first), FALSE), ==, 0);
  scope_timeline_follow_exchange (f->timeline);
  settle (f);

  /* The connection's receive of "Hi!Hope you're well" */
  scope_timeline_set_selected (f->timeline, 5);
  settle (f);
  g_assert_true (scope_timeline_get_lane_area (f->timeline,
                                               scope_timeline_lane_of_socket (f->timeline,
                                                                              f->connection),
                                               &area));
  g_assert_cmpfloat (area.size.height, ==, scope_timeline_get_metrics (f->timeline).lane_height);
  assert_words_apart (f);
}

/* The axis' word for where its times count from, or NULL. */
static char *
origin_word (Fixture *f)
{
  for (guint i = 0; i < f->timeline->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

      if (word->kind == SCOPE_TIMELINE_WORD_ORIGIN)
        return g_strdup (word->text);
    }
  return NULL;
}

/* The axis' origin is @full, or, where that leaves the times further
 * across the view, its part before the comma */
static void
assert_origin (const char *origin,
               const char *full)
{
  g_autofree char *shortened = g_strndup (full, strrchr (full, ',') - full);

  if (!g_str_equal (origin, full) && !g_str_equal (origin, shortened))
    g_error ("the axis counts “%s”, not “%s”", origin, full);
}

/* S14 with the kernel's times: the client sends twice; 300 ms later the
 * server reads both in one receive, their bytes having arrived then. The
 * view takes in the arrival; the receive's whisker reaches back to it, a
 * click on the whisker picks the receive, and its bands come to it. The
 * axis counts from the first send, which the exchange reaches back to;
 * from the arrival when the bytes came from no send of ours. */
static void
test_receive_whisker (Fixture       *f,
                      gconstpointer  data)
{
  gint64 t0 = 8300 + 400000;
  guint64 recv = scope_recorder_get_n_events (f->recorder) + 2;
  ScopeRecord record;
  graphene_rect_t bounds;
  double arrived_x;
  g_autoptr(GArray) links = NULL;
  g_autofree char *origin = NULL;
  double origin_us;

  append (f, t0 - 300100, f->client, SCOPE_EVENT_SEND, "Hi!");
  append (f, t0 - 300050, f->client, SCOPE_EVENT_SEND, "Hope you're well");
  at (f, t0);
  scope_recorder_append_received (f->recorder, f->connection, SCOPE_EVENT_RECV, NULL,
                                  (const guint8 *) "Hi!Hope you're well", 19,
                                  g_get_real_time () - 300000);
  append (f, t0 + 20, f->connection, SCOPE_EVENT_SEND, "Hi!Hope you're well");
  append (f, t0 + 40, f->client, SCOPE_EVENT_RECV, "Hi!Hope you're well");
  scope_recorder_flush (f->recorder);
  settle (f);

  g_assert_true (scope_recorder_get_record (f->recorder, recv, &record));
  g_assert_cmpint (t0 - record.arrived_us, >=, 300000);
  arrived_x = scope_timeline_time_to_x (f->timeline, record.arrived_us);
  g_assert_true (scope_timeline_get_event_bounds (f->timeline, recv, &bounds));
  g_assert_cmpfloat_with_epsilon (bounds.origin.x, arrived_x, 0.01);
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                     gtk_widget_get_width (GTK_WIDGET (f->timeline)));
  /* The wait takes most of the view: the exchange starts at the arrival. */
  g_assert_cmpfloat (bounds.size.width, >, gtk_widget_get_width (GTK_WIDGET (f->timeline)) / 2);
  g_assert_cmpint (scope_timeline_pick (f->timeline, arrived_x + 5,
                                        bounds.origin.y + bounds.size.height / 2), ==, recv);
  /* In full, or without the socket where that leaves the times further
   * across the view */
  origin = origin_word (f);
  assert_origin (origin, "from send, client");
  assert_words_apart (f);

  /* The bands of the two sends come to where the bytes arrived. */
  links = scope_timeline_get_links (f->timeline, recv);
  g_assert_cmpuint (links->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (g_array_index (links, ScopeTimelineLink, 0).recv_top.x,
                                  arrived_x, 0.01);

  /* Bytes no send of ours gave, read 300 ms after they came, 400 ms on. */
  at (f, t0 + 400000);
  scope_recorder_append_received (f->recorder, f->connection, SCOPE_EVENT_RECV, NULL,
                                  (const guint8 *) "Hi!", 3, g_get_real_time () - 300000);
  scope_recorder_flush (f->recorder);
  settle (f);
  g_clear_pointer (&origin, g_free);
  origin = origin_word (f);
  assert_origin (origin, "from bytes arriving, tcp-echo");
  assert_words_apart (f);

  /* A selection in view is the origin; scrolled out of view, it is not:
   * "+35.07470 s" from an event no one sees (the fifth trial). */
  scope_timeline_set_selected (f->timeline, (gint64) recv);
  scope_timeline_set_view (f->timeline, record.time_us - 1000, 100);
  settle (f);
  g_clear_pointer (&origin, g_free);
  origin = origin_word (f);
  assert_origin (origin, "from recv, tcp-echo");
  g_assert_true (scope_timeline_axis_origin (f->timeline, &origin_us, NULL));
  g_assert_cmpfloat (origin_us, ==, record.time_us);
  scope_timeline_set_view (f->timeline, t0 + 400000, 100);
  settle (f);
  g_assert_true (scope_timeline_axis_origin (f->timeline, &origin_us, NULL));
  g_assert_cmpfloat (origin_us, >=, t0 + 400000);
  assert_words_apart (f);
}

/* S14 over TCP with reading paused (issue 15): "Hi!", then 700 ms later
 * "Hope you're well", read in one receive whose first bytes arrived with
 * "Hi!" and its last with the rest. Each band ends where its own bytes
 * arrived: "Hi!"'s at the first arrival, not stretched to the last as if
 * it took 700 ms on loopback; the whisker reaches back to the first. */
static void
test_bands_end_at_their_arrival (Fixture       *f,
                                 gconstpointer  data)
{
  gint64 t0 = 8300 + 1000000;
  gint64 hi_us = t0 - 900000, rest_us = t0 - 200000;
  guint64 hi = scope_recorder_get_n_events (f->recorder);
  guint64 recv = hi + 2;
  gint64 read_real_us;
  ScopeRecord record;
  graphene_rect_t bounds;
  double first_x, last_x;
  g_autoptr(GArray) hi_links = NULL;
  g_autoptr(GArray) rest_links = NULL;

  append (f, hi_us, f->client, SCOPE_EVENT_SEND, "Hi!");
  append (f, rest_us, f->client, SCOPE_EVENT_SEND, "Hope you're well");
  at (f, t0);
  /* Each arrived 30 µs after its send, as on loopback. */
  read_real_us = g_get_real_time ();
  scope_recorder_append_stream_received (f->recorder, f->connection,
                                         (const guint8 *) "Hi!Hope you're well", 19,
                                         read_real_us - (t0 - hi_us) + 30,
                                         read_real_us - (t0 - rest_us) + 30);
  scope_recorder_flush (f->recorder);
  settle (f);

  g_assert_true (scope_recorder_get_record (f->recorder, recv, &record));
  g_assert_cmpint (record.arrived_first_us, >=, hi_us);
  g_assert_cmpint (record.arrived_us - record.arrived_first_us, ==, rest_us - hi_us);
  first_x = scope_timeline_time_to_x (f->timeline, record.arrived_first_us);
  last_x = scope_timeline_time_to_x (f->timeline, record.arrived_us);
  g_assert_cmpfloat (last_x - first_x, >, gtk_widget_get_width (GTK_WIDGET (f->timeline)) / 4);

  /* The whisker from the first arrival. */
  g_assert_true (scope_timeline_get_event_bounds (f->timeline, recv, &bounds));
  g_assert_cmpfloat_with_epsilon (bounds.origin.x, first_x, 0.01);

  /* "Hi!"'s band reaches the receive where "Hi!" arrived; the rest's
   * where the rest did. */
  hi_links = scope_timeline_get_links (f->timeline, hi);
  g_assert_cmpuint (hi_links->len, ==, 1);
  g_assert_cmpuint (g_array_index (hi_links, ScopeTimelineLink, 0).recv_index, ==, recv);
  g_assert_cmpfloat_with_epsilon (g_array_index (hi_links, ScopeTimelineLink, 0).recv_top.x,
                                  first_x, 0.01);
  g_assert_cmpfloat_with_epsilon (g_array_index (hi_links, ScopeTimelineLink, 0).recv_bottom.x,
                                  first_x, 0.01);
  rest_links = scope_timeline_get_links (f->timeline, hi + 1);
  g_assert_cmpuint (rest_links->len, ==, 1);
  /* At its send, 30 µs before its stamp: a hundredth of a pixel here. */
  g_assert_cmpfloat_with_epsilon (g_array_index (rest_links, ScopeTimelineLink, 0).recv_top.x,
                                  last_x, 1);
  assert_words_apart (f);
}

/* A selection holds the view still: following, the next events took it
 * away from the event just chosen (the sixth trial clicked an accept as
 * its clients closed). F follows again. */
static void
test_selection_holds_the_view (Fixture       *f,
                               gconstpointer  data)
{
  double start, scale;

  scope_timeline_follow_exchange (f->timeline);
  settle (f);
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  scope_timeline_set_selected (f->timeline, 2);
  settle (f);
  start = f->timeline->start_us;
  scale = scope_timeline_get_scale (f->timeline);
  g_assert_false (scope_timeline_get_following_exchange (f->timeline));

  append (f, 900000, f->client, SCOPE_EVENT_SEND, "later");
  append (f, 900010, f->connection, SCOPE_EVENT_RECV, "later");
  scope_recorder_flush (f->recorder);
  settle (f);
  g_assert_cmpfloat (f->timeline->start_us, ==, start);
  g_assert_cmpfloat (scope_timeline_get_scale (f->timeline), ==, scale);
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, 2);

  /* Escape, the selection gone: following again, the later events in
   * view (the seventh trial's next scenario came and went unseen). */
  g_assert_true (press (f, GDK_KEY_Escape, 0));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, -1);
  settle (f);
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  g_assert_cmpfloat (scope_timeline_time_to_x (f->timeline, 900010), <=,
                     gtk_widget_get_width (GTK_WIDGET (f->timeline)));
  assert_words_apart (f);

  /* Unless the user moved the view meanwhile: it stays as they put it. */
  scope_timeline_set_selected (f->timeline, 2);
  scope_timeline_zoom (f->timeline, 2, 10);
  start = f->timeline->start_us;
  g_assert_true (press (f, GDK_KEY_Escape, 0));
  g_assert_false (scope_timeline_get_following_exchange (f->timeline));
  g_assert_cmpfloat (f->timeline->start_us, ==, start);
  scope_timeline_follow_exchange (f->timeline);
  settle (f);

  /* End selects the newest and follows the exchange again, as before. */
  scope_timeline_set_selected (f->timeline, -1);
  scope_timeline_set_selected (f->timeline, 2);
  g_assert_false (scope_timeline_get_following_exchange (f->timeline));
  g_assert_true (press (f, GDK_KEY_End, 0));
  g_assert_true (scope_timeline_get_following_exchange (f->timeline));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==,
                   (gint64) scope_recorder_get_n_events (f->recorder) - 1);
}

/* The newest event selected at the right edge, then the view narrows
 * (the inspector opens beside it, 360 px): the event stays in view, the
 * view moved no more than it must. */
static void
test_selection_stays_in_narrower_view (Fixture       *f,
                                       gconstpointer  data)
{
  gint64 newest = (gint64) scope_recorder_get_n_events (f->recorder) - 1;
  ScopeRecord record;
  double x;

  scope_timeline_follow_exchange (f->timeline);
  settle (f);
  g_assert_true (scope_recorder_get_record (f->recorder, (guint64) newest, &record));
  scope_timeline_set_selected (f->timeline, newest);
  settle (f);
  g_assert_cmpfloat (scope_timeline_time_to_x (f->timeline, record.time_us), >, 440);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 440, 480);
  wait_for_size (f, 440, -1);
  settle (f);
  x = scope_timeline_time_to_x (f->timeline, record.time_us);
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (x, <=, 440 - scope_timeline_get_metrics (f->timeline).right_pad + 1);
  g_assert_cmpfloat (x, >=, 440 - scope_timeline_get_metrics (f->timeline).right_pad - 1);
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, newest);
  assert_words_apart (f);
}

/* The luminance of the timeline's pixel at (@x, @y), drawn as it is. */
static double
luminance_at (Fixture *f,
              double   x,
              double   y)
{
  gsize stride;
  g_autofree guchar *pixels = render_pixels (f, &stride);
  const guchar *p = pixels + (gsize) floor (y) * stride + (gsize) floor (x) * 4;

  return (0.0722 * p[0] + 0.7152 * p[1] + 0.2126 * p[2]) / 255;
}

/* The drawing without its words, B, G, R, A as render_pixels() */
static guchar *
render_without_words (Fixture *f,
                      gsize   *stride)
{
  int width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
  int height = gtk_widget_get_height (GTK_WIDGET (f->timeline));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t whole = GRAPHENE_RECT_INIT (0, 0, width, height);
  GdkRGBA white = { 1, 1, 1, 1 };
  guchar *pixels;

  gtk_snapshot_append_color (snapshot, &white, &whole);
  scope_timeline_paint (f->timeline, snapshot, width, height, f->timeline->plan, FALSE);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node,
                                         &whole);
  *stride = (gsize) width * 4;
  pixels = g_malloc (*stride * height);
  gdk_texture_download (texture, pixels, *stride);
  return pixels;
}

static gboolean
same_pixel (const guchar *a,
            const guchar *b)
{
  return abs (a[0] - b[0]) < 8 && abs (a[1] - b[1]) < 8 && abs (a[2] - b[2]) < 8;
}

/* The ticks' lines run down the lanes around the words, not through them:
 * "tcp-echo :50000 ← 127.0.0.1:53334" read with a bar between its port and
 * its arrow (the fourteenth trial). In normal and projector type. */
static void
test_grid_around_words (Fixture       *f,
                        gconstpointer  data)
{
  for (guint projector = 0; projector < 2; projector++)
    {
      int width, height;
      guint crossed = 0, drawn = 0;
      g_autofree guchar *pixels = NULL;
      gsize stride;

      scope_timeline_set_projector (f->timeline, projector);
      scope_timeline_zoom_to_fit (f->timeline);
      settle (f);
      width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
      height = gtk_widget_get_height (GTK_WIDGET (f->timeline));
      pixels = render_without_words (f, &stride);
      for (guint i = 0; i < f->timeline->plan->len; i++)
        {
          const ScopeTimelineWord *tick = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);
          int x = (int) floor (tick->anchor);

          if (tick->kind != SCOPE_TIMELINE_WORD_TICK || x < 6 || x + 6 >= width)
            continue;
          /* Drawn down the lanes where no word is: the test can see it */
          for (int y = (int) scope_timeline_get_metrics (f->timeline).axis_height + 2;
               y < height && drawn == 0; y++)
            drawn += !same_pixel (pixels + y * stride + x * 4, pixels + y * stride + (x + 5) * 4)
                     && !same_pixel (pixels + y * stride + x * 4,
                                     pixels + y * stride + (x - 5) * 4);
          for (guint k = 0; k < f->timeline->plan->len; k++)
            {
              const ScopeTimelineWord *word = &g_array_index (f->timeline->plan,
                                                              ScopeTimelineWord, k);
              const graphene_rect_t *r = &word->rect;
              int y = (int) floor (r->origin.y + r->size.height / 2);
              const guchar *at = pixels + y * stride + x * 4;

              if (word->kind == SCOPE_TIMELINE_WORD_TICK || word->lane == G_MAXUINT
                  || x < r->origin.x || x > r->origin.x + r->size.width || y < 0 || y >= height)
                continue;
              crossed++;
              g_assert_true (same_pixel (at, at + 5 * 4) || same_pixel (at, at - 5 * 4));
            }
        }
      g_assert_cmpuint (drawn, >, 0);
      g_assert_cmpuint (crossed, >, 0);

      /* Past the last time said, the lines go on at the same step, under
       * the origin's name (the fifteenth trial: no line in the right two
       * thirds); seen at the foot of the view, where no word is */
      {
        double first = -1, last = -1, step;
        guint ticks = 0, on = 0;
        int y = height - 3;

        for (guint i = 0; i < f->timeline->plan->len; i++)
          {
            const ScopeTimelineWord *tick = &g_array_index (f->timeline->plan,
                                                            ScopeTimelineWord, i);

            if (tick->kind != SCOPE_TIMELINE_WORD_TICK)
              continue;
            ticks++;
            if (first < 0 || tick->anchor < first)
              first = tick->anchor;
            last = MAX (last, tick->anchor);
          }
        g_assert_cmpuint (ticks, >=, 2);
        step = (last - first) / (ticks - 1);
        for (double x = last + step; x + 6 < width; x += step, on++)
          {
            /* The line covers x to x + its width: the pixel it fills most */
            const guchar *at = pixels + y * stride + (int) floor (x + 0.5) * 4;

            g_assert_false (same_pixel (at, at + 5 * 4));
          }
        g_assert_cmpuint (on, >, 0);
      }
    }
}

/* S13: a datagram from the notes' client, which has no lane, says the
 * port the system chose for it on the server's lane; one from our client,
 * whose send the session does not hold (New Session while it waited),
 * does not: its lane names it (the review). */
static void
test_stranger_port_said (Fixture       *f,
                         gconstpointer  data)
{
  guint server = scope_timeline_lane_of_socket (f->timeline, f->udp_server);
  g_autofree char *counts = NULL;

  datagram (f, 20000, f->udp_server, SCOPE_EVENT_RECVFROM, 44183, "mixedCaseString");
  datagram (f, 20100, f->udp_server, SCOPE_EVENT_RECVFROM, 40000, "abc");
  scope_recorder_flush (f->recorder);
  scope_timeline_set_view (f->timeline, 19000, 2000.0 / 700);
  settle (f);
  counts = lane_counts (f, server);
  g_test_message ("the server's counts: %s", counts);
  g_assert_nonnull (strstr (counts, "[15 from :44183]"));
  g_assert_nonnull (strstr (counts, "[3]"));
}

/* The lanes whose events go on past the view's right edge say what comes
 * next at their right end: after S14 the Disconnect's close came past the
 * view kept on the lesson, and the lane running on to the edge looked
 * connected still (the sixteenth trial). With everything in view, none. */
static void
test_later_events_said (Fixture       *f,
                        gconstpointer  data)
{
  int width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
  guint client = scope_timeline_lane_of_socket (f->timeline, f->client);
  gboolean said = FALSE;

  for (guint projector = 0; projector < 2; projector++)
    {
      said = FALSE;
      scope_timeline_set_projector (f->timeline, projector);
      /* To the client's second send, before the echo comes back */
      scope_timeline_set_view (f->timeline, 500, 3500.0 / width);
      settle (f);
      for (guint i = 0; i < f->timeline->plan->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

          if (word->kind != SCOPE_TIMELINE_WORD_LATER)
            continue;
          g_assert_cmpfloat (word->rect.origin.x + word->rect.size.width, <=, width - 10);
          g_assert_cmpfloat (word->rect.origin.x + word->rect.size.width, >=, width - 20);
          if (word->lane == client)
            {
              g_assert_cmpstr (word->text, ==, "recv →");
              said = TRUE;
            }
        }
      g_assert_true (said);
      assert_words_apart (f);

      scope_timeline_zoom_to_fit (f->timeline);
      settle (f);
      g_assert_cmpuint (count_words (f, SCOPE_TIMELINE_WORD_LATER), ==, 0);
    }
}

/* A band crosses the client's lane name on its way up to the server's
 * receive: the name lies on its lane's own ground, the band under it.
 * Through it, "client 127.0.0.1:35486" read with a band across its address
 * (the sixteenth trial). */
static void
test_lane_names_over_bands (Fixture       *f,
                            gconstpointer  data)
{
  guint row = scope_timeline_lane_of_socket (f->timeline, f->client);
  int width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
  g_autofree guchar *pixels = NULL;
  g_autoptr(GArray) links = NULL;
  const ScopeTimelineWord *name = NULL;
  guint blue = 0, crossing = 0;
  gsize stride;

  /* The client's first send 150 px in, the server's read 200 px on */
  scope_timeline_set_view (f->timeline, 500, 10);
  settle (f);
  for (guint i = 0; i < f->timeline->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

      if (word->kind == SCOPE_TIMELINE_WORD_LANE && word->lane == row)
        name = word;
    }
  g_assert_nonnull (name);
  /* A band does cross it */
  links = scope_timeline_get_links (f->timeline, 5);
  for (guint i = 0; i < links->len; i++)
    {
      const ScopeTimelineLink *link = &g_array_index (links, ScopeTimelineLink, i);

      crossing += link->send_top.x < name->rect.origin.x + name->rect.size.width
                  && link->recv_top.x > name->rect.origin.x;
    }
  g_assert_cmpuint (crossing, >, 0);
  pixels = render_pixels (f, &stride);
  for (int y = (int) name->rect.origin.y; y < name->rect.origin.y + name->rect.size.height; y++)
    for (int x = (int) name->rect.origin.x;
         x < MIN (name->rect.origin.x + name->rect.size.width, width); x++)
      {
        const guchar *p = pixels + (gsize) y * stride + (gsize) x * 4;

        blue += p[0] > p[2] + 40;
      }
  g_assert_cmpuint (blue, ==, 0);
}

/* S17 resumed, seen at the wait's scale: each connection's accept, reads
 * and echo at one x, the accepts' lines down from the listener through the
 * connections' lanes. No count lies on a line: "3× recv" read with a bar
 * through its "3" (the fifteenth trial). In normal and projector type. */
static void
test_counts_clear_of_accepts (Fixture       *f,
                              gconstpointer  data)
{
  for (guint i = 0; i < 4; i++)
    {
      gint64 t = 20000000 + i * 20;
      guint connection = accepted (f, 53200 + i, t);

      append (f, t + 5, connection, SCOPE_EVENT_RECV, "0123456789abcdef");
      append (f, t + 6, connection, SCOPE_EVENT_SEND, "0123456789abcdef");
      append (f, t + 7, connection, SCOPE_EVENT_RECV, "abc");
      append (f, t + 8, connection, SCOPE_EVENT_SEND, "abc");
    }
  scope_recorder_flush (f->recorder);
  for (guint projector = 0; projector < 2; projector++)
    {
      guint checked = 0;

      scope_timeline_set_projector (f->timeline, projector);
      /* 10 s across the view, the accepts at its middle */
      scope_timeline_set_view (f->timeline, 15000000, 10000000.0 / 700);
      settle (f);
      for (guint64 i = 0; i < scope_recorder_get_n_events (f->recorder); i++)
        {
          ScopeTimelineMetrics m = scope_timeline_get_metrics (f->timeline);
          double listener_mid = scope_timeline_row_middle (
            f->timeline, scope_timeline_lane_of_socket (f->timeline, f->listener));
          ScopeRecord record;
          graphene_rect_t line;
          double x, mid;
          guint row;

          if (!scope_recorder_get_record (f->recorder, i, &record)
              || !scope_timeline_accept_mark (f->timeline, &record, &row, &x, &mid)
              || x < 0 || x > gtk_widget_get_width (GTK_WIDGET (f->timeline)))
            continue;
          line = GRAPHENE_RECT_INIT (x - m.line_width / 2, MIN (mid, listener_mid), m.line_width,
                                     fabs (mid - listener_mid));
          for (guint w = 0; w < f->timeline->plan->len; w++)
            {
              const ScopeTimelineWord *word = &g_array_index (f->timeline->plan,
                                                              ScopeTimelineWord, w);

              if (word->kind != SCOPE_TIMELINE_WORD_COUNT
                  && word->kind != SCOPE_TIMELINE_WORD_GROUP)
                continue;
              checked++;
              if (graphene_rect_intersection (&word->rect, &line, NULL))
                g_error ("“%s” at %g,%g %gx%g lies on the accept's line at %g%s", word->text,
                         word->rect.origin.x, word->rect.origin.y, word->rect.size.width,
                         word->rect.size.height, x, projector ? ", projector" : "");
            }
        }
      g_assert_cmpuint (checked, >, 0);
    }
}

/* S17: an accept begins its connection's lane with a diamond there, at
 * its time, joined to the listener's (the seventh trial saw eight new
 * lanes begin with nothing on them). */
static void
test_accept_begins_its_lane (Fixture       *f,
                             gconstpointer  data)
{
  ScopeRecord accept = { 0 };
  guint row;
  double x, mid;
  gboolean found = FALSE;

  for (guint64 i = 0; !found && scope_recorder_get_record (f->recorder, i, &accept); i++)
    found = accept.kind == SCOPE_EVENT_ACCEPT;
  g_assert_true (found);
  scope_timeline_set_view (f->timeline, 900, 1);
  settle (f);
  g_assert_true (scope_timeline_accept_mark (f->timeline, &accept, &row, &x, &mid));
  g_assert_cmpuint (row, ==, scope_timeline_lane_of_socket (f->timeline, f->connection));
  g_assert_cmpfloat_with_epsilon (x, scope_timeline_time_to_x (f->timeline, accept.time_us),
                                  0.01);
  g_assert_cmpfloat_with_epsilon (mid, scope_timeline_row_middle (f->timeline, row), 0.01);
  /* Drawn: dark at its middle, where the lane is bare a little before */
  g_assert_cmpfloat (luminance_at (f, x, mid), <, 0.5);
  g_assert_cmpfloat (luminance_at (f, x - 40, mid - 6), >, 0.8);
}

/* An open socket's line runs to now, not to the last event: ended there,
 * S17's open connections looked closed (the seventh trial). A closed
 * one's stops at its close. */
static void
test_open_lanes_run_to_now (Fixture       *f,
                            gconstpointer  data)
{
  guint listener = scope_timeline_lane_of_socket (f->timeline, f->listener);
  guint connection = scope_timeline_lane_of_socket (f->timeline, f->connection);
  double x, mid, closed_mid;

  at (f, 20000);
  scope_timeline_set_view (f->timeline, 0, 25000.0 / 700);
  settle (f);
  x = scope_timeline_time_to_x (f->timeline, 15000);
  mid = scope_timeline_row_middle (f->timeline, listener);
  closed_mid = scope_timeline_row_middle (f->timeline, connection);
  g_assert_cmpfloat (luminance_at (f, x, mid), <, luminance_at (f, x, mid - 8) - 0.02);
  g_assert_cmpfloat (fabs (luminance_at (f, x, closed_mid)
                           - luminance_at (f, x, closed_mid - 8)), <, 0.02);
}

/* S15: the server's zero-byte read, the client's shutdown told, says
 * "0 bytes", the notes' "0-byte message": its circle alone said nothing
 * of the end (the seventh trial). In normal and projector type. */
static void
test_zero_byte_read_said (Fixture       *f,
                          gconstpointer  data)
{
  for (guint projector = 0; projector < 2; projector++)
    {
      g_autofree char *counts = NULL;

      scope_timeline_set_projector (f->timeline, projector);
      /* 7,000 µs: the client's shutdown; 7,100 µs: the server's read */
      scope_timeline_set_view (f->timeline, 6900, 0.5);
      settle (f);
      counts = lane_counts (f, scope_timeline_lane_of_socket (f->timeline, f->connection));
      g_assert_cmpstr (counts, ==, "[0 bytes]");
      assert_words_apart (f);
    }
}

/* New Session: the timeline starts again with the sockets still open;
 * the selection, in the old session, goes; undone, all is back. */
static void
test_new_session (Fixture       *f,
                  gconstpointer  data)
{
  guint notified = 0;

  scope_timeline_set_selected (f->timeline, 5);
  g_signal_connect_swapped (f->timeline, "notify::selected", G_CALLBACK (count_call),
                            &notified);
  at (f, 9000);
  scope_recorder_begin_session (f->recorder);
  settle (f);
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, -1);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (scope_timeline_get_n_lanes (f->timeline), ==, 3);
  g_assert_cmpuint (scope_timeline_get_lane_socket (f->timeline, 0), ==, f->listener);
  g_assert_cmpuint (scope_timeline_get_lane_socket (f->timeline, 1), ==, f->udp_server);
  g_assert_cmpuint (scope_timeline_get_lane_socket (f->timeline, 2), ==, f->udp_client);
  assert_words_apart (f);
  /* No event, no time to count from: the axis says none, where it said
   * the time since the start ("242500 ms", the fourth trial); it says
   * there is none yet, where the lanes under a bare axis read as blank
   * strips (the seventeenth). */
  g_assert_cmpuint (count_words (f, SCOPE_TIMELINE_WORD_TICK), ==, 0);
  {
    gboolean said = FALSE;

    for (guint i = 0; i < f->timeline->plan->len; i++)
      {
        const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

        said |= word->kind == SCOPE_TIMELINE_WORD_ORIGIN
                && g_str_equal (word->text, "No events in this session yet")
                && word->rect.origin.y + word->rect.size.height
                   <= scope_timeline_get_metrics (f->timeline).axis_height;
      }
    g_assert_true (said);
  }
  /* Home starts at the new session's first event: there is none yet. */
  scope_timeline_set_selected (f->timeline, 0);
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==, -1);

  datagram (f, 9100, f->udp_client, SCOPE_EVENT_SENDTO, 50001, "c");
  scope_recorder_flush (f->recorder);
  settle (f);
  g_assert_true (press (f, GDK_KEY_Home, 0));
  g_assert_cmpint (scope_timeline_get_selected (f->timeline), ==,
                   (gint64) scope_recorder_get_first_index (f->recorder));
  assert_words_apart (f);
  /* Show All: from the new session's first event, where it spanned back
   * to the app's start (the sixth trial: -4 min, the new events in the
   * last 5%). */
  scope_timeline_zoom_to_fit (f->timeline);
  assert_near (scope_timeline_get_start_time (f->timeline),
               scope_recorder_get_time_us (f->recorder,
                                           scope_recorder_get_first_index (f->recorder)));
  g_assert_cmpuint (count_words (f, SCOPE_TIMELINE_WORD_TICK), >=, 2);
  for (guint i = 0; i < f->timeline->plan->len; i++)
    g_assert_cmpstr (g_array_index (f->timeline->plan, ScopeTimelineWord, i).text, !=,
                     "No events in this session yet");

  scope_recorder_undo_begin_session (f->recorder);
  settle (f);
  g_assert_cmpuint (scope_timeline_get_n_lanes (f->timeline), ==, 5);
  assert_words_apart (f);
}

static void
spin_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Whether the description a screen reader is given is @words. */
static gboolean
says (Fixture    *f,
      const char *words)
{
  g_autofree char *error = gtk_test_accessible_check_property (
    GTK_ACCESSIBLE (f->timeline), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, words);

  return error == NULL;
}

/* A flood changes what a screen reader is told at most every 500 ms, and
 * the last state is told in the end: new events came once a frame, and
 * each was a new description to read. */
static void
test_description_throttled (Fixture       *f,
                            gconstpointer  data)
{
  gint64 t0 = 8300 + 400000;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  settle (f);
  spin_ms (SCOPE_TIMELINE_ACCESSIBLE_MS + 100);
  append (f, t0, f->client, SCOPE_EVENT_SEND, "a");
  scope_recorder_flush (f->recorder);
  g_main_context_iteration (NULL, FALSE);
  /* The first change after a quiet while is told at once. */
  first = scope_timeline_dup_description (f->timeline);
  g_assert_true (says (f, first));

  for (guint i = 1; i <= 3; i++)
    {
      append (f, t0 + i * 10, f->client, SCOPE_EVENT_SEND, "b");
      scope_recorder_flush (f->recorder);
      g_main_context_iteration (NULL, FALSE);
    }
  last = scope_timeline_dup_description (f->timeline);
  g_assert_cmpstr (first, !=, last);
  g_assert_true (says (f, first));
  spin_ms (SCOPE_TIMELINE_ACCESSIBLE_MS + 100);
  g_assert_true (says (f, last));
}

/* S15 on a slow machine: the server reads the end and closes a second
 * before the client reads its own end, which alone is the latest
 * exchange; the server's lane, the other end of that connection, stays
 * open, however long before it closed. */
static void
test_peer_of_the_exchange_stays (Fixture       *f,
                                 gconstpointer  data)
{
  gint64 t0 = 8300 + 400000;
  guint client, connection;
  graphene_rect_t area;

  client = connect_client (f, t0, 100, 53999, "tcp-echo", &connection);
  append (f, t0 + 1000, client, SCOPE_EVENT_SHUTDOWN, NULL);
  append (f, t0 + 1100, connection, SCOPE_EVENT_RECV, NULL);
  append (f, t0 + 1200, connection, SCOPE_EVENT_CLOSE, NULL);
  append (f, t0 + 1201200, client, SCOPE_EVENT_RECV, NULL);
  scope_recorder_flush (f->recorder);
  settle (f);

  g_assert_cmpuint (scope_recorder_get_socket (f->recorder, connection)->peer_id, ==, client);
  g_assert_true (scope_timeline_get_lane_area (
    f->timeline, scope_timeline_lane_of_socket (f->timeline, connection), &area));
  g_assert_cmpfloat (area.size.height, ==, scope_timeline_get_metrics (f->timeline).lane_height);
}

/* S15 as a lecturer plays it: 32 bytes sent and echoed, then Shut Down
 * Writing; the server reads the end and closes, the client reads its end.
 * The shutdown is said by name beside its tick, within a line of it, in
 * normal and projector mode: the tick alone said nothing of what made the
 * server's zero-byte read (the seventeenth trial). */
static void
test_shutdown_said (Fixture       *f,
                    gconstpointer  data)
{
  gint64 t0 = 8300 + 400000;
  guint client, connection;
  guint64 shutdown;

  client = connect_client (f, t0, 100, 45220, "tcp-echo", &connection);
  append (f, t0 + 300000, client, SCOPE_EVENT_SEND, "0123456789abcdef0123456789abcdef");
  append (f, t0 + 300040, connection, SCOPE_EVENT_RECV, "0123456789abcdef0123456789abcdef");
  append (f, t0 + 300050, connection, SCOPE_EVENT_SEND, "0123456789abcdef0123456789abcdef");
  append (f, t0 + 300090, client, SCOPE_EVENT_RECV, "0123456789abcdef0123456789abcdef");
  shutdown = scope_recorder_get_n_events (f->recorder);
  append (f, t0 + 1000000, client, SCOPE_EVENT_SHUTDOWN, NULL);
  append (f, t0 + 1000060, connection, SCOPE_EVENT_RECV, NULL);
  append (f, t0 + 1000070, connection, SCOPE_EVENT_CLOSE, NULL);
  append (f, t0 + 1000110, client, SCOPE_EVENT_RECV, NULL);
  scope_recorder_flush (f->recorder);
  for (guint projector = 0; projector < 2; projector++)
    {
      ScopeTimelineMetrics m;
      const ScopeTimelineWord *said = NULL;
      graphene_rect_t tick;

      scope_timeline_set_projector (f->timeline, projector);
      scope_timeline_follow_exchange (f->timeline);
      settle (f);
      m = scope_timeline_get_metrics (f->timeline);
      for (guint i = 0; i < f->timeline->plan->len; i++)
        {
          const ScopeTimelineWord *word = &g_array_index (f->timeline->plan, ScopeTimelineWord, i);

          if (word->kind == SCOPE_TIMELINE_WORD_CALL)
            {
              g_assert_null (said);
              said = word;
            }
        }
      g_assert_nonnull (said);
      g_assert_cmpstr (said->text, ==, "shutdown(SHUT_WR)");
      g_assert_cmpint (said->event, ==, (gint64) shutdown);
      g_assert_cmpuint (said->lane, ==, scope_timeline_lane_of_socket (f->timeline, client));
      g_assert_true (scope_timeline_get_event_bounds (f->timeline, shutdown, &tick));
      g_test_message ("%s at %g,%g, %g px from its tick", said->text, said->rect.origin.x,
                      said->rect.origin.y, rect_gap (&tick, &said->rect));
      g_assert_cmpfloat (rect_gap (&tick, &said->rect), <=, m.label_height);
      assert_words_apart (f);
      assert_counts_clear_of_marks (f, shutdown, projector ? "projector" : "normal");
    }
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's test backend for accessibility, not none: what the timeline
   * tells a screen reader is read back (/timeline/description-throttled). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  if (!widget_test_init (&argc, &argv))
    return 0;


#define ADD(path, fn) \
  g_test_add ("/timeline/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("lanes", test_lanes);
  ADD ("grid-around-words", test_grid_around_words);
  ADD ("stranger-port-said", test_stranger_port_said);
  ADD ("later-events-said", test_later_events_said);
  ADD ("shutdown-said", test_shutdown_said);
  ADD ("lane-names-over-bands", test_lane_names_over_bands);
  ADD ("counts-clear-of-accepts", test_counts_clear_of_accepts);
  ADD ("lanes-fill-height", test_lanes_fill_height);
  ADD ("exchange-lanes-in-view", test_exchange_lanes_in_view);
  ADD ("links-merged", test_links_merged);
  ADD ("links-split", test_links_split);
  ADD ("links-udp", test_links_udp);
  ADD ("zoom", test_zoom_keeps_pointer_time);
  ADD ("selection", test_selection);
  ADD ("stop-mark", test_stop_mark);
  ADD ("selection-scrolls", test_selection_scrolls);
  ADD ("images", test_images);
  ADD ("dense", test_dense_lanes);
  ADD ("projector", test_projector);
  ADD ("actions", test_actions);
  ADD ("zoom-brings-selection-back", test_zoom_brings_selection_back);
  ADD ("pick-the-mark-under-the-pointer", test_pick_the_mark_under_the_pointer);
  ADD ("keys", test_keys);
  ADD ("image-truncation", test_image_states_truncation);
  ADD ("follows-exchange", test_follows_exchange);
  ADD ("follows-exchange-to-its-sends", test_follows_exchange_to_its_sends);
  ADD ("lanes-in-view", test_lanes_in_view);
  ADD ("words-of-the-frame", test_words_of_the_frame);
  ADD ("words-follow-the-easing", test_words_follow_the_easing);
  ADD ("tooltip-counts-as-the-axis", test_tooltip_counts_as_the_axis);
  ADD ("accept-queue", test_accept_queue);
  ADD ("bytes-unread", test_bytes_unread);
  ADD ("accept-begins-its-lane", test_accept_begins_its_lane);
  ADD ("open-lanes-run-to-now", test_open_lanes_run_to_now);
  ADD ("zero-byte-read-said", test_zero_byte_read_said);
  ADD ("selection-stays-in-narrower-view", test_selection_stays_in_narrower_view);
  ADD ("accept-queue-to-now", test_accept_queue_to_now);
  ADD ("counts-clear-of-glyphs", test_counts_clear_of_glyphs);
  ADD ("closed-lanes-fold", test_closed_lanes_fold);
  ADD ("closed-runs-compact", test_closed_runs_compact);
  ADD ("receive-whisker", test_receive_whisker);
  ADD ("echo-chunks-said", test_echo_chunks_said);
  ADD ("marks-side-by-side", test_marks_side_by_side);
  ADD ("exchange-lanes-squeezed", test_exchange_lanes_squeezed);
  ADD ("datagrams-said", test_datagrams_said);
  ADD ("page-said", test_page_said);
  ADD ("datagrams-unread", test_datagrams_unread);
  ADD ("short-folded-runs-named", test_short_folded_runs_named);
  ADD ("bands-end-at-their-arrival", test_bands_end_at_their_arrival);
  ADD ("new-session", test_new_session);
  ADD ("selection-holds-the-view", test_selection_holds_the_view);
  ADD ("description-throttled", test_description_throttled);
  ADD ("peer-of-the-exchange-stays", test_peer_of_the_exchange_stays);
#undef ADD

  return g_test_run ();
}
