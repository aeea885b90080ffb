/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One persistent source per socket, on the main context, above GTK's
 * painting (GDK_PRIORITY_REDRAW) so that a call is handled when it comes,
 * until the sockets have had their share of the loop: then below it, so
 * that a busy socket cannot freeze the window (see scope-socket-watch.c).
 *
 * Makes *@source watch @socket for @wanted, replacing it only when
 * @wanted differs from *@watching; with @wanted 0, watches nothing. */
void scope_socket_watch       (GSocket           *socket,
                               GSource          **source,
                               GIOCondition      *watching,
                               GIOCondition       wanted,
                               GSocketSourceFunc  dispatch,
                               gpointer           data);
/* Stops watching, whatever was watched. */
void scope_socket_watch_clear (GSource     **source,
                               GIOCondition *watching);
/* Any other source of a socket's (a listener's), or of a stream read as
 * a socket takes it, the same way. */
void scope_socket_watch_attach          (GSource             *source,
                                         GSocketSourceFunc    dispatch,
                                         gpointer             data);
void scope_socket_watch_attach_pollable (GSource             *source,
                                         GPollableSourceFunc  dispatch,
                                         gpointer             data);
gboolean scope_socket_watch_get_yielding (void);

G_END_DECLS
