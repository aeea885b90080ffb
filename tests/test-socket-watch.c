/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "scope-server.h"
#include "scope-socket-watch.h"
#include "loopback-test.h"

/* The sockets' sources against painting (GDK_PRIORITY_REDRAW), played
 * here by a source that is always ready and works 2 ms a turn, as a slow
 * machine's frames do while the timeline animates. A call is handled
 * within a frame or two, where below painting it waited as long as the
 * animation (an accept 2.7 s after its connect in the fourth trial); and a
 * socket that never stops being ready leaves painting its turns. Counted
 * in turns of the loop, not in time. */

#define REDRAW_PRIORITY  (G_PRIORITY_HIGH_IDLE + 20)
#define FRAME_US         2000
#define GIVE_UP_TURNS    2000

typedef struct
{
  guint frames;
  guint socket_turns;
} Turns;

static void
busy (gint64 us)
{
  gint64 end = g_get_monotonic_time () + us;

  while (g_get_monotonic_time () < end)
    ;
}

static gboolean
paint (gpointer user_data)
{
  Turns *turns = user_data;

  turns->frames++;
  busy (FRAME_US);
  return G_SOURCE_CONTINUE;
}

static guint
start_painting (Turns *turns)
{
  return g_idle_add_full (REDRAW_PRIORITY, paint, turns, NULL);
}

/* Turns the loop until @done says so; the frames painted meanwhile. */
static guint
frames_until (Turns    *turns,
              gboolean (*done) (gpointer),
              gpointer  data)
{
  guint before = turns->frames;

  while (!done (data) && turns->frames - before < GIVE_UP_TURNS)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done (data));
  return turns->frames - before;
}

static gboolean
has_connection (gpointer data)
{
  return scope_server_get_n_connections (data) > 0;
}

typedef struct
{
  GSocket *peer;
  GString *got;
  gsize    wanted;
} Echo;

static gboolean
echoed (gpointer data)
{
  Echo *echo = data;
  char buffer[64];
  gssize n = g_socket_receive (echo->peer, buffer, sizeof buffer, NULL, NULL);

  if (n > 0)
    g_string_append_len (echo->got, buffer, n);
  return echo->got->len >= echo->wanted;
}

/* Our echo server's accept and its echo, while frames are painted back
 * to back: each within a few frames. */
static void
test_prompt_beside_painting (void)
{
  g_autoptr(ScopeRecorder) recorder = scope_recorder_new ();
  g_autoptr(ScopeServer) server = scope_server_new (SCOPE_SERVER_TCP_ECHO, recorder);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) peer = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  Turns turns = { 0 };
  Echo echo = { NULL, got, 3 };
  guint painting, frames;

  g_object_set (server, "port", 0, NULL);
  g_assert_true (scope_server_start (server, &error));
  g_assert_no_error (error);
  painting = start_painting (&turns);

  peer = loopback_connect (scope_server_get_bound_port (server));
  frames = frames_until (&turns, has_connection, server);
  g_test_message ("accepted after %u frames", frames);
  g_assert_cmpuint (frames, <=, 3);

  echo.peer = peer;
  g_assert_cmpint (g_socket_send (peer, "Hi!", 3, NULL, &error), ==, 3);
  g_assert_no_error (error);
  frames = frames_until (&turns, echoed, &echo);
  g_test_message ("echoed after %u frames", frames);
  g_assert_cmpuint (frames, <=, 3);
  g_assert_cmpstr (got->str, ==, "Hi!");

  g_source_remove (painting);
  scope_server_stop (server);
}

typedef struct
{
  Turns *turns;
  guint  wanted;
} Both;

static gboolean
socket_turn (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  Turns *turns = user_data;

  turns->socket_turns++;
  busy (FRAME_US);   /* and leaves the byte unread: ready again at once */
  return G_SOURCE_CONTINUE;
}

static gboolean
both_had_turns (gpointer data)
{
  Both *both = data;

  return both->turns->frames >= both->wanted && both->turns->socket_turns >= both->wanted;
}

/* A socket that is always ready, each turn 2 ms of work, beside painting
 * that is always due: both go on, where above painting the socket alone
 * ran, and below it painting alone. */
static void
test_flood_leaves_painting_its_turns (void)
{
  int fds[2];
  g_autoptr(GSocket) ours = NULL;
  g_autoptr(GSocket) theirs = NULL;
  g_autoptr(GError) error = NULL;
  GSource *source = NULL;
  GIOCondition watching = 0;
  Turns turns = { 0 };
  Both both = { &turns, 20 };
  guint painting;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  ours = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  theirs = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_socket_send (theirs, "x", 1, NULL, &error), ==, 1);

  scope_socket_watch (ours, &source, &watching, G_IO_IN, socket_turn, &turns);
  painting = start_painting (&turns);
  while (!both_had_turns (&both) && turns.frames + turns.socket_turns < 20 * GIVE_UP_TURNS)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("%u frames, %u turns of the socket", turns.frames, turns.socket_turns);
  g_assert_cmpuint (turns.frames, >=, both.wanted);
  g_assert_cmpuint (turns.socket_turns, >=, both.wanted);
  /* The socket had no more than its share: about half the loop's time. */
  g_assert_cmpuint (turns.socket_turns, <=, 4 * turns.frames + 8);

  g_source_remove (painting);
  scope_socket_watch_clear (&source, &watching);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/socket-watch/prompt-beside-painting", test_prompt_beside_painting);
  g_test_add_func ("/socket-watch/flood-leaves-painting-its-turns",
                   test_flood_leaves_painting_its_turns);
  return g_test_run ();
}
