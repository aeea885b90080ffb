/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Our client driven by a test on the default main context, as the app
 * drives it: connected before the test goes on, what it receives gathered,
 * and waits on what it has sent. */
#pragma once

#include "scope-client.h"
#include "main-loop-test.h"

static inline void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  g_assert_true (scope_client_connect_finish (SCOPE_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* Connects @client to @host:@port; fails the test if it cannot. */
static inline void
connect_client (ScopeClient   *client,
                ScopeProtocol  protocol,
                const char    *host,
                guint16        port)
{
  gboolean done = FALSE;

  scope_client_connect_async (client, protocol, host, port, NULL, on_connected, &done);
  run_until (is_true, &done);
}

/* For "received": the bytes, appended to @into. */
static inline void
on_received (ScopeClient *client,
             GBytes      *bytes,
             GByteArray  *into)
{
  g_byte_array_append (into, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* For "peer-closed": sets @closed, for run_until (is_true, ...). */
static inline void
on_peer_closed (ScopeClient *client,
                gboolean    *closed)
{
  *closed = TRUE;
}

typedef struct
{
  GByteArray *received;
  guint       wanted;
} Wanted;

/* For run_until(): whether @data, a Wanted, has received that many bytes. */
static inline gboolean
received_enough (gpointer data)
{
  Wanted *w = data;

  return w->received->len >= w->wanted;
}

/* For run_until(): whether the client @data has sent all it was given. */
static inline gboolean
nothing_pending (gpointer data)
{
  return scope_client_get_pending_bytes (data) == 0;
}
