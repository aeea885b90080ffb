/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "scope-recorder.h"

G_BEGIN_DECLS

#define SCOPE_CLIENT_DEFAULT_READ_BUFFER 4096
/* The most one UDP datagram carries over IPv4: 65,535 less the IP and UDP
 * headers. */
#define SCOPE_UDP_MAX_PAYLOAD 65507
/* The most bytes a file may give the client unless told otherwise: the
 * Sockets page's bound, and the default of `send --max-send`. */
#define SCOPE_CLIENT_DEFAULT_MAX_SEND (G_GUINT64_CONSTANT (64) * 1024 * 1024)

/* Whether @size bytes, sent in chunks of @chunk_size (0: all at once), fit
 * UDP's datagrams; the error says by how much they do not, before anything
 * is sent. */
gboolean     scope_client_check_datagrams     (gsize                 size,
                                               gsize                 chunk_size,
                                               GError              **error);

/* Opens a file to send without ever blocking on it (a FIFO with no writer
 * included): a folder, or what cannot be read, is refused in words with its
 * errno name. @size is its size when @regular, else 0. */
GInputStream *scope_client_open_file          (const char           *path,
                                               guint64              *size,
                                               gboolean             *regular,
                                               GError              **error);

#define SCOPE_TYPE_CLIENT (scope_client_get_type ())

G_DECLARE_FINAL_TYPE (ScopeClient, scope_client, SCOPE, CLIENT, GObject)

ScopeClient *scope_client_new                 (ScopeRecorder        *recorder);

void         scope_client_connect_async       (ScopeClient          *self,
                                               ScopeProtocol         protocol,
                                               const char           *host_or_path,
                                               guint16               port,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean     scope_client_connect_finish      (ScopeClient          *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void         scope_client_send                (ScopeClient          *self,
                                               GBytes               *payload,
                                               gsize                 chunk_size,
                                               guint                 delay_ms);
void         scope_client_send_stream         (ScopeClient          *self,
                                               GInputStream         *stream,
                                               guint64               max_bytes,
                                               gsize                 chunk_size,
                                               guint                 delay_ms);
gboolean     scope_client_shutdown_write      (ScopeClient          *self,
                                               GError              **error);
void         scope_client_close               (ScopeClient          *self);

gboolean     scope_client_get_connected       (ScopeClient          *self);
const char  *scope_client_get_local_address   (ScopeClient          *self);
const char  *scope_client_get_remote_address  (ScopeClient          *self);
guint        scope_client_get_socket_id       (ScopeClient          *self);
gsize        scope_client_get_pending_bytes   (ScopeClient          *self);

G_END_DECLS
