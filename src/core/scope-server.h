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

#define SCOPE_TYPE_SERVER (scope_server_get_type ())

G_DECLARE_FINAL_TYPE (ScopeServer, scope_server, SCOPE, SERVER, GObject)

ScopeServer     *scope_server_new                   (ScopeServerKind   kind,
                                                     ScopeRecorder    *recorder);

gboolean         scope_server_start                 (ScopeServer      *self,
                                                     GError          **error);
void             scope_server_stop                  (ScopeServer      *self);
gboolean         scope_server_get_running           (ScopeServer      *self);

ScopeServerKind  scope_server_get_kind              (ScopeServer      *self);
guint16          scope_server_get_bound_port        (ScopeServer      *self);
char           **scope_server_dup_listening_addresses (ScopeServer    *self);
/* (nullable): for a bind address that other machines can reach ("::",
 * "0.0.0.0"), a warning that names the addresses of this machine they
 * would reach it at; NULL for loopback. */
char            *scope_server_describe_exposure     (const char       *bind_address,
                                                     gboolean          ipv6_only);
guint            scope_server_get_n_connections     (ScopeServer      *self);

const char      *scope_server_kind_to_string        (ScopeServerKind   kind);
gboolean         scope_server_kind_from_string      (const char       *name,
                                                     ScopeServerKind  *kind);
const char      *scope_server_kind_get_title        (ScopeServerKind   kind);
ScopeProtocol    scope_server_kind_get_protocol     (ScopeServerKind   kind);

G_END_DECLS
