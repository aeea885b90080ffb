/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One persistent source per socket, on the main context,
 * below GTK's painting (GDK_PRIORITY_REDRAW) so that a busy socket cannot
 * freeze the window; the budget per dispatch is not enough alone.
 *
 * Makes *@source watch @socket for @wanted, replacing it only when
 * @wanted differs from *@watching; with @wanted 0, watches nothing. */
void scope_socket_watch       (GSocket      *socket,
                               GSource     **source,
                               GIOCondition *watching,
                               GIOCondition  wanted,
                               GSourceFunc   dispatch,
                               gpointer      data);
/* Stops watching, whatever was watched. */
void scope_socket_watch_clear (GSource     **source,
                               GIOCondition *watching);

G_END_DECLS
