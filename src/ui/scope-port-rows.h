/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "scope-port-status.h"

G_BEGIN_DECLS

/* The rows that tell whether a port is free here, for the detail of a
 * service and for the Status part of the Ports page. */

GtkWidget *scope_port_rows_socket_new  (const ScopeSocketEntry *entry);
void       scope_port_rows_show_status (GtkListBox             *list,
                                        GCancellable          **slot,
                                        guint                   port,
                                        gboolean                tcp,
                                        gboolean                udp,
                                        guint                   delay_ms);

G_END_DECLS
