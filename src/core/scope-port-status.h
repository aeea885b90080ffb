/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Is this port free? What listens here? What answers over there? The
 * Ports page's local port status and its connect check. */

typedef enum
{
  SCOPE_BIND_FREE,         /* bind() worked: a server could listen here */
  SCOPE_BIND_IN_USE,       /* EADDRINUSE */
  SCOPE_BIND_DENIED,       /* EACCES: a privileged port */
  SCOPE_BIND_UNAVAILABLE,  /* no such address or family on this machine */
  SCOPE_BIND_FAILED,       /* anything else; the message says what */
} ScopeBindState;

const char *scope_bind_state_to_string (ScopeBindState state);
/* In words: "Free: a server could listen here" */
const char *scope_bind_state_get_title (ScopeBindState state);

typedef struct
{
  const char     *address;   /* "127.0.0.1", "0.0.0.0", "::1", "::" */
  ScopeBindState  state;
  int             errnum;
  char           *message;   /* in words, then the errno name */
} ScopeBindProbe;

/* (element-type ScopeBindProbe): tries to bind @port for TCP or UDP on the
 * loopback and the wildcard address of IPv4 and of IPv6 (IPv6 only, so the
 * two families are told apart), and closes each socket at once. TCP binds
 * with SO_REUSEADDR, as servers do, so closing connections do not count. */
GArray     *scope_port_probe_bind      (guint     port,
                                        gboolean  udp);

/* One socket of this machine, from the kernel's tables. */
typedef struct
{
  const char *protocol;        /* "tcp", "tcp6", "udp", "udp6" */
  char       *local_address;
  guint       local_port;
  char       *remote_address;
  guint       remote_port;
  const char *state;           /* "LISTEN", "ESTABLISHED", "UNCONN", … */
  guint       uid;
  char       *inode;
  char       *process;         /* "sshd (pid 612)", or NULL where not visible */
} ScopeSocketEntry;

void        scope_socket_entry_free    (ScopeSocketEntry *entry);

/* Reads /proc/net/tcp-style text for @protocol into @entries (of
 * ScopeSocketEntry); malformed lines are skipped and counted. */
guint       scope_socket_table_parse   (const char *text,
                                        gsize       length,
                                        const char *protocol,
                                        GPtrArray  *entries);

#define SCOPE_ALL_PORTS G_MAXUINT

/* (element-type ScopeSocketEntry): with SCOPE_ALL_PORTS, the listening TCP
 * sockets and the bound, unconnected UDP sockets of this machine (what
 * `ss -lntu` lists); for one port, what holds it: its TCP listeners and
 * every UDP socket bound to it. Each with its process where this user may
 * see it. Blocks: see _async. */
GPtrArray  *scope_listening_sockets    (guint          port,
                                        GCancellable  *cancellable,
                                        GError       **error);
void        scope_listening_sockets_async  (guint                port,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *scope_listening_sockets_finish (GAsyncResult        *result,
                                            GError             **error);

/* The connect check: a TCP connect() to each port of a small range on a
 * host, a few at a time, each closed as soon as it is made. */
typedef enum
{
  SCOPE_CONNECT_OPEN,       /* the connection was made: something listens */
  SCOPE_CONNECT_REFUSED,    /* ECONNREFUSED: the host answered, nothing listens */
  SCOPE_CONNECT_FILTERED,   /* no answer within the timeout: dropped on the way */
  SCOPE_CONNECT_FAILED,     /* unreachable and the like; the message says what */
} ScopeConnectState;

const char *scope_connect_state_to_string (ScopeConnectState state);
const char *scope_connect_state_get_title (ScopeConnectState state);

typedef struct
{
  guint             port;
  const char       *address;   /* which of the host's addresses */
  ScopeConnectState state;
  gint64            elapsed_us;
  char             *message;   /* for FAILED: in words, then the errno name */
} ScopeConnectResult;

#define SCOPE_CONNECT_CHECK_MAX_PORTS 1024
#define SCOPE_CONNECT_CHECK_MAX_ADDRESSES 4
#define SCOPE_CONNECT_CHECK_TIMEOUT_MS 1000
/* A few at a time, politely: more on this machine's own loopback. */
#define SCOPE_CONNECT_CHECK_LOOPBACK_CONCURRENCY 32
#define SCOPE_CONNECT_CHECK_REMOTE_CONCURRENCY 8
#define SCOPE_CONNECT_CHECK_MAX_CONCURRENCY 64

#define SCOPE_CONNECT_CHECK_ERROR (scope_connect_check_error_quark ())

typedef enum
{
  SCOPE_CONNECT_CHECK_ERROR_NO_ADDRESS,   /* the host's name gave no address */
} ScopeConnectCheckError;

GQuark scope_connect_check_error_quark (void);

#define SCOPE_TYPE_CONNECT_CHECK (scope_connect_check_get_type ())

G_DECLARE_FINAL_TYPE (ScopeConnectCheck, scope_connect_check, SCOPE, CONNECT_CHECK, GObject)

/* Checks @first to @last on each address of @host (a name or an address,
 * at most SCOPE_CONNECT_CHECK_MAX_ADDRESSES of them), @concurrency at a
 * time (0 chooses), giving each @timeout_ms. "port-checked" is emitted for
 * each port of each address as it is known, in the order they finish. */
ScopeConnectCheck *scope_connect_check_new      (const char          *host,
                                                 guint                first,
                                                 guint                last,
                                                 guint                timeout_ms,
                                                 guint                concurrency);
void               scope_connect_check_run_async (ScopeConnectCheck  *self,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean           scope_connect_check_run_finish (ScopeConnectCheck *self,
                                                   GAsyncResult      *result,
                                                   GError           **error);
/* (nullable): the addresses the host was resolved to and checked at,
 * joined by ", " */
const char        *scope_connect_check_get_address (ScopeConnectCheck *self);
guint              scope_connect_check_get_n_addresses (ScopeConnectCheck *self);
/* (element-type ScopeConnectResult): sorted by port, then address, once
 * the run is done */
GArray            *scope_connect_check_get_results (ScopeConnectCheck *self);

G_END_DECLS
