/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "scope-recorder.h"

G_BEGIN_DECLS

typedef enum
{
  SCOPE_SERVER_TCP_ECHO,
  SCOPE_SERVER_UDP_ECHO,
  SCOPE_SERVER_UDP_UPPER,
  SCOPE_SERVER_TCP_SUM,
  SCOPE_SERVER_TCP_MESSAGE,
  SCOPE_SERVER_HTTP,
  SCOPE_SERVER_UNIX_ECHO,
  SCOPE_SERVER_N_KINDS
} ScopeServerKind;

#define SCOPE_SERVER_DEFAULT_BACKLOG          5
#define SCOPE_SERVER_DEFAULT_READ_BUFFER      4096
#define SCOPE_SERVER_DEFAULT_MAX_CONNECTIONS  64
#define SCOPE_SERVER_MAX_IDLE_TIMEOUT         86400
#define SCOPE_SERVER_MAX_READ_BUFFER          (1024 * 1024)
/* The tiny HTTP server: the whole head of a request must arrive within this
 * many seconds of the accept, and with idle-timeout 0 it closes a
 * connection idle for SCOPE_SERVER_HTTP_IDLE_TIMEOUT seconds. */
#define SCOPE_SERVER_DEFAULT_REQUEST_TIMEOUT  20
#define SCOPE_SERVER_HTTP_IDLE_TIMEOUT        10
/* The UDP servers answer one peer (address and port) at most this many
 * datagrams at once, then this many a second, and at most this many
 * without a pause of a second: a loop between two servers never pauses. */
#define SCOPE_SERVER_DATAGRAM_BURST           256
#define SCOPE_SERVER_DATAGRAM_RATE            1024
#define SCOPE_SERVER_DATAGRAM_MAX_WITHOUT_PAUSE 4096

#define SCOPE_TYPE_SERVER (scope_server_get_type ())

G_DECLARE_FINAL_TYPE (ScopeServer, scope_server, SCOPE, SERVER, GObject)

ScopeServer     *scope_server_new                   (ScopeServerKind   kind,
                                                     ScopeRecorder    *recorder);

gboolean         scope_server_start                 (ScopeServer      *self,
                                                     GError          **error);
gboolean         scope_server_restart               (ScopeServer      *self,
                                                     GError          **error);
void             scope_server_stop                  (ScopeServer      *self);
gboolean         scope_server_get_running           (ScopeServer      *self);

ScopeServerKind  scope_server_get_kind              (ScopeServer      *self);
guint16          scope_server_get_bound_port        (ScopeServer      *self);
const char      *scope_server_get_fallback_reason   (ScopeServer      *self);
char           **scope_server_dup_listening_addresses (ScopeServer    *self);
/* (nullable): for a bind address that other machines can reach (any
 * spelling of "::" or "0.0.0.0", an IPv4-mapped one, any address that is
 * not loopback), a warning that names the addresses of this machine they
 * would reach it at; NULL for loopback and for what is no address. */
char            *scope_server_describe_exposure     (const char       *bind_address,
                                                     gboolean          ipv6_only);
guint            scope_server_get_n_connections     (ScopeServer      *self);
gboolean         scope_server_get_accept_queue      (ScopeServer      *self,
                                                     guint            *waiting,
                                                     guint            *limit);

const char      *scope_server_kind_to_string        (ScopeServerKind   kind);
gboolean         scope_server_kind_from_string      (const char       *name,
                                                     ScopeServerKind  *kind);
const char      *scope_server_kind_get_title        (ScopeServerKind   kind);
const char      *scope_server_kind_get_usage        (ScopeServerKind   kind);
ScopeProtocol    scope_server_kind_get_protocol     (ScopeServerKind   kind);
guint16          scope_server_kind_get_notes_port   (ScopeServerKind   kind);

G_END_DECLS
