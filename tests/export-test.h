/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the tests of the export share: sessions made by hand, exported at
 * once to compare with, and the files an export leaves behind. */
#pragma once

#include <gio/gio.h>

#include "scope-export.h"

static inline GSocketAddress *
inet (const char *ip,
      guint16     port)
{
  return g_inet_socket_address_new_from_string (ip, port);
}

/* A recorder's clock (scope_recorder_set_clock(), with a gint64 as @data):
 * every reading is 100 µs after the last, so events have known times. */
static inline gint64
fake_clock (gpointer data)
{
  gint64 *now = data;

  *now += 100;
  return *now;
}

/* The synchronous export, the one every other is compared with. */
static inline GBytes *
export_to_bytes (ScopeRecorder     *recorder,
                 ScopeExportFormat  format)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (scope_export_write (recorder, format, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* How many files are in @dir: a temporary file left behind is one more. */
static inline guint
count_entries (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (handle) != NULL)
    n++;
  return n;
}
