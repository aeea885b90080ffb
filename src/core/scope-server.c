/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "scope-errors.h"
#include "scope-server-private.h"

/* The one-click servers. Everything runs on the main loop: one source per
 * socket, non-blocking calls, and a budget per dispatch so that a busy
 * connection cannot starve the others or the painting of the window. Every
 * call that touches a socket is recorded.
 *
 * They are on a lab's network as often as on loopback, so none of them can
 * be turned against its own machine or others: a connection's queue has a
 * bound after the handler's answer as well as before the read; the tiny
 * HTTP server closes requests that do not come and makes room for new ones
 * when full; the UDP servers do not answer sources no client can have, and
 * answer each peer at a bounded rate, from a table of peers with a bound;
 * a Unix server removes its own socket file and nothing else. */

G_DEFINE_FINAL_TYPE (ScopeServer, scope_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_RECORDER,
  PROP_BIND_ADDRESS,
  PROP_IPV6_ONLY,
  PROP_PORT,
  PROP_USE_NOTES_PORT,
  PROP_UNIX_PATH,
  PROP_BACKLOG,
  PROP_READ_BUFFER_SIZE,
  PROP_PAUSE_ACCEPTING,
  PROP_PAUSE_READING,
  PROP_MAX_CONNECTIONS,
  PROP_IDLE_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_MESSAGE,
  PROP_RUNNING,
  PROP_BOUND_PORT,
  PROP_N_CONNECTIONS,
  PROP_ACCEPT_QUEUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_scope_server_notify_n_connections (ScopeServer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONNECTIONS]);
}

void
_scope_server_notify_accept_queue (ScopeServer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCEPT_QUEUE]);
}

/* Binds and listens on every address of @addresses with the same @port on
 * each (for port 0, the one the OS chose on the first). On failure the
 * server is stopped again. */
static gboolean
listen_all (ScopeServer  *self,
            guint16       port,
            GError      **error)
{
  g_autoptr(GPtrArray) addresses = NULL;
  gboolean loopback_both;
  guint attempts;

  addresses = _scope_server_bind_addresses (self, port, error);
  if (addresses == NULL)
    return FALSE;
  loopback_both = g_strcmp0 (self->bind_address, "loopback") == 0
                  && scope_server_kind_get_protocol (self->kind) != SCOPE_PROTOCOL_UNIX;
  attempts = 0;

  for (guint i = 0; i < addresses->len; i++)
    {
      GSocketAddress *address = g_ptr_array_index (addresses, i);
      g_autoptr(GSocketAddress) same_port = NULL;
      g_autoptr(GError) local_error = NULL;

      if (i > 0 && G_IS_INET_SOCKET_ADDRESS (address))
        {
          GInetAddress *ip = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));

          same_port = g_inet_socket_address_new (ip, self->bound_port);
          address = same_port;
        }

      if (!_scope_server_listen_on (self, address, &local_error))
        {
          /* Port 0 on both loopback addresses: the port the OS chose for
           * 127.0.0.1 may be taken on ::1. Any port was asked for, so try
           * again from the start, a few times. */
          if (i > 0 && port == 0 && attempts < 8
              && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
            {
              scope_server_stop (self);
              attempts++;
              i = (guint) -1;
              continue;
            }
          /* "loopback" on a machine without IPv6 is 127.0.0.1 alone. */
          if (loopback_both && i > 0
              && (scope_error_get_errno (local_error) == EADDRNOTAVAIL
                  || scope_error_get_errno (local_error) == EAFNOSUPPORT))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          scope_server_stop (self);
          return FALSE;
        }
    }
  return TRUE;
}

/* Listens on the port option; when it is 0, on @preferred first if that
 * is free, else on a port the OS chooses, and says why. */
static gboolean
start_preferring (ScopeServer  *self,
                  guint16       preferred,
                  GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  g_clear_pointer (&self->fallback_reason, g_free);
  if (self->port != 0 || preferred == 0)
    return listen_all (self, self->port, error);

  if (listen_all (self, preferred, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!listen_all (self, 0, error))
    return FALSE;
  self->fallback_reason =
    /* Translators: the port the server would have taken, then the one it took */
    g_strdup_printf (_("Port %u was in use (EADDRINUSE): listening on port %u"), preferred,
                     self->bound_port);
  return TRUE;
}

static void
notify_started (ScopeServer *self)
{
  self->running = TRUE;
  _scope_server_queue_watch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUND_PORT]);
  _scope_server_notify_accept_queue (self);
}

/**
 * scope_server_start:
 *
 * Binds and listens on every address of the bind-address option, with the
 * same port on each. With port 0 that is the kind's port from the course
 * notes when it is free (scope_server_kind_get_notes_port(); unless
 * use-notes-port is off), else one the OS chooses, and
 * scope_server_get_fallback_reason() says why.
 */
gboolean
scope_server_start (ScopeServer  *self,
                    GError      **error)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (!start_preferring (self,
                         self->use_notes_port ? scope_server_kind_get_notes_port (self->kind)
                                              : 0,
                         error))
    return FALSE;
  notify_started (self);
  return TRUE;
}

/**
 * scope_server_restart:
 *
 * Stops the server and starts it with its options as they are now, in one
 * step: a changed backlog, port or bind address takes effect. With port 0
 * it keeps the port it had when that is free, so clients can connect
 * again where they did. Not running, it starts.
 */
gboolean
scope_server_restart (ScopeServer  *self,
                      GError      **error)
{
  guint16 preferred;

  g_return_val_if_fail (SCOPE_IS_SERVER (self), FALSE);

  preferred = self->running && self->bound_port != 0 ? self->bound_port
              : self->use_notes_port ? scope_server_kind_get_notes_port (self->kind) : 0;
  scope_server_stop (self);
  if (!start_preferring (self, preferred, error))
    return FALSE;
  notify_started (self);
  return TRUE;
}

/**
 * scope_server_get_fallback_reason:
 *
 * Returns: (nullable): while it runs on a port other than the notes' (or
 * the one it had before a restart), why: "Port 50000 was in use (EADDRINUSE):
 * listening on port 41234" (":41234" broke after its colon); %NULL otherwise
 */
const char *
scope_server_get_fallback_reason (ScopeServer *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), NULL);

  return self->running ? self->fallback_reason : NULL;
}

/**
 * scope_server_stop:
 *
 * Closes every connection and listening socket; each close is recorded,
 * after what a UDP server did not answer.
 */
void
scope_server_stop (ScopeServer *self)
{
  gboolean was_running;

  g_return_if_fail (SCOPE_IS_SERVER (self));

  was_running = self->running || self->listeners->len > 0;
  _scope_server_queue_forget (self);
  while (self->connections->len > 0)
    _scope_server_connection_close (g_ptr_array_index (self->connections,
                                                       self->connections->len - 1));
  for (guint i = 0; i < self->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (self->listeners, i);

      _scope_server_listener_end_drops (listener);
      g_socket_close (listener->socket, NULL);
      scope_recorder_append (self->recorder, listener->id, SCOPE_EVENT_CLOSE, NULL, 0);
    }
  g_ptr_array_set_size (self->listeners, 0);
  _scope_server_unix_forget_file (self);

  if (was_running)
    {
      self->running = FALSE;
      self->bound_port = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUND_PORT]);
      _scope_server_notify_accept_queue (self);
    }
}

/* ---- the object --------------------------------------------------------- */

static void
set_pause (ScopeServer *self,
           gboolean    *flag,
           gboolean     value,
           GParamSpec  *pspec)
{
  value = !!value;
  if (*flag == value)
    return;
  *flag = value;

  for (guint i = 0; i < self->listeners->len; i++)
    _scope_server_listener_update_source (g_ptr_array_index (self->listeners, i));
  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *conn = g_ptr_array_index (self->connections, i);

      /* Reading again: the peers' deadlines start afresh, for they could
       * not be read while it was paused. */
      if (flag == &self->pause_reading && !value)
        {
          conn->last_activity = g_get_monotonic_time ();
          if (conn->request_id != 0)
            _scope_server_connection_watch_request (conn);
        }
      _scope_server_connection_update_source (conn);
    }
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
scope_server_dispose (GObject *object)
{
  ScopeServer *self = SCOPE_SERVER (object);

  if (self->listeners != NULL)
    scope_server_stop (self);

  G_OBJECT_CLASS (scope_server_parent_class)->dispose (object);
}

static void
scope_server_finalize (GObject *object)
{
  ScopeServer *self = SCOPE_SERVER (object);

  g_ptr_array_unref (self->connections);
  g_ptr_array_unref (self->listeners);
  g_clear_object (&self->recorder);
  g_free (self->bind_address);
  g_free (self->unix_path);
  g_free (self->bound_path);
  g_free (self->fallback_reason);
  g_free (self->message);

  G_OBJECT_CLASS (scope_server_parent_class)->finalize (object);
}

static void
scope_server_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ScopeServer *self = SCOPE_SERVER (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;
    case PROP_RECORDER:
      g_value_set_object (value, self->recorder);
      break;
    case PROP_BIND_ADDRESS:
      g_value_set_string (value, self->bind_address);
      break;
    case PROP_IPV6_ONLY:
      g_value_set_boolean (value, self->ipv6_only);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_USE_NOTES_PORT:
      g_value_set_boolean (value, self->use_notes_port);
      break;
    case PROP_UNIX_PATH:
      g_value_set_string (value, self->unix_path);
      break;
    case PROP_BACKLOG:
      g_value_set_int (value, self->backlog);
      break;
    case PROP_READ_BUFFER_SIZE:
      g_value_set_uint (value, self->read_buffer_size);
      break;
    case PROP_PAUSE_ACCEPTING:
      g_value_set_boolean (value, self->pause_accepting);
      break;
    case PROP_PAUSE_READING:
      g_value_set_boolean (value, self->pause_reading);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_BOUND_PORT:
      g_value_set_uint (value, self->bound_port);
      break;
    case PROP_N_CONNECTIONS:
      g_value_set_uint (value, self->connections->len);
      break;
    case PROP_ACCEPT_QUEUE:
      {
        guint waiting = 0;

        scope_server_get_accept_queue (self, &waiting, NULL);
        g_value_set_uint (value, waiting);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_server_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ScopeServer *self = SCOPE_SERVER (object);
  gboolean changed = TRUE;

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_uint (value);
      return;
    case PROP_RECORDER:
      self->recorder = g_value_dup_object (value);
      return;
    case PROP_BIND_ADDRESS:
      changed = g_strcmp0 (self->bind_address, g_value_get_string (value)) != 0;
      g_free (self->bind_address);
      self->bind_address = g_value_dup_string (value);
      break;
    case PROP_IPV6_ONLY:
      changed = self->ipv6_only != g_value_get_boolean (value);
      self->ipv6_only = g_value_get_boolean (value);
      break;
    case PROP_PORT:
      changed = self->port != g_value_get_uint (value);
      self->port = g_value_get_uint (value);
      break;
    case PROP_USE_NOTES_PORT:
      changed = self->use_notes_port != g_value_get_boolean (value);
      self->use_notes_port = g_value_get_boolean (value);
      break;
    case PROP_UNIX_PATH:
      changed = g_strcmp0 (self->unix_path, g_value_get_string (value)) != 0;
      g_free (self->unix_path);
      self->unix_path = g_value_dup_string (value);
      break;
    case PROP_BACKLOG:
      changed = self->backlog != g_value_get_int (value);
      self->backlog = g_value_get_int (value);
      break;
    case PROP_READ_BUFFER_SIZE:
      changed = self->read_buffer_size != g_value_get_uint (value);
      self->read_buffer_size = g_value_get_uint (value);
      break;
    case PROP_PAUSE_ACCEPTING:
      set_pause (self, &self->pause_accepting, g_value_get_boolean (value), pspec);
      return;
    case PROP_PAUSE_READING:
      set_pause (self, &self->pause_reading, g_value_get_boolean (value), pspec);
      return;
    case PROP_MAX_CONNECTIONS:
      changed = self->max_connections != g_value_get_uint (value);
      self->max_connections = g_value_get_uint (value);
      break;
    case PROP_IDLE_TIMEOUT:
      changed = self->idle_timeout != g_value_get_uint (value);
      self->idle_timeout = g_value_get_uint (value);
      /* It applies to the connections there are, from now. */
      for (guint i = 0; changed && i < self->connections->len; i++)
        _scope_server_connection_watch_idle (g_ptr_array_index (self->connections, i));
      break;
    case PROP_REQUEST_TIMEOUT:
      /* From the next accept: a deadline set is kept. */
      changed = self->request_timeout != g_value_get_uint (value);
      self->request_timeout = g_value_get_uint (value);
      break;
    case PROP_MESSAGE:
      changed = g_strcmp0 (self->message, g_value_get_string (value)) != 0;
      g_free (self->message);
      /* Never NULL: it is queued as it is on every accept. */
      self->message = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
scope_server_constructed (GObject *object)
{
  ScopeServer *self = SCOPE_SERVER (object);

  G_OBJECT_CLASS (scope_server_parent_class)->constructed (object);

  if (self->recorder == NULL)
    self->recorder = scope_recorder_new ();
}

static void
scope_server_class_init (ScopeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = scope_server_constructed;
  object_class->dispose = scope_server_dispose;
  object_class->finalize = scope_server_finalize;
  object_class->get_property = scope_server_get_property;
  object_class->set_property = scope_server_set_property;

  properties[PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL, 0, SCOPE_SERVER_N_KINDS - 1, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDER] =
    g_param_spec_object ("recorder", NULL, NULL, SCOPE_TYPE_RECORDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Loopback unless the user asks for more: nothing here listens on a
   * network that others can reach by default. */
  properties[PROP_BIND_ADDRESS] =
    g_param_spec_string ("bind-address", NULL, NULL, "127.0.0.1", rw | G_PARAM_CONSTRUCT);
  properties[PROP_IPV6_ONLY] =
    g_param_spec_boolean ("ipv6-only", NULL, NULL, FALSE, rw);
  /**
   * ScopeServer:port:
   *
   * The port to listen on; 0, the default, for the notes' port when it is
   * free, else one the OS chooses (see ScopeServer:use-notes-port).
   */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, rw);
  /**
   * ScopeServer:use-notes-port:
   *
   * With port 0, whether to try the kind's port from the course notes
   * before one the OS chooses; on by default. Off, port 0 is any port.
   */
  properties[PROP_USE_NOTES_PORT] =
    g_param_spec_boolean ("use-notes-port", NULL, NULL, TRUE, rw | G_PARAM_CONSTRUCT);
  properties[PROP_UNIX_PATH] =
    g_param_spec_string ("unix-path", NULL, NULL, NULL, rw);
  properties[PROP_BACKLOG] =
    g_param_spec_int ("backlog", NULL, NULL, 0, 4096, SCOPE_SERVER_DEFAULT_BACKLOG,
                      rw | G_PARAM_CONSTRUCT);
  properties[PROP_READ_BUFFER_SIZE] =
    g_param_spec_uint ("read-buffer-size", NULL, NULL, 1, SCOPE_SERVER_MAX_READ_BUFFER,
                       SCOPE_SERVER_DEFAULT_READ_BUFFER, rw | G_PARAM_CONSTRUCT);
  properties[PROP_PAUSE_ACCEPTING] =
    g_param_spec_boolean ("pause-accepting", NULL, NULL, FALSE, rw);
  properties[PROP_PAUSE_READING] =
    g_param_spec_boolean ("pause-reading", NULL, NULL, FALSE, rw);
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 1, 100000,
                       SCOPE_SERVER_DEFAULT_MAX_CONNECTIONS, rw | G_PARAM_CONSTRUCT);
  /**
   * ScopeServer:idle-timeout:
   *
   * Seconds a connection may pass with nothing sent either way before it
   * is closed. 0, the default, is the kind's own: never, but for the tiny
   * HTTP server, which answers one request and closes, and closes a
   * connection idle for %SCOPE_SERVER_HTTP_IDLE_TIMEOUT (10) seconds, so
   * that silent peers cannot hold all its connections. Any other value is
   * the limit, for every kind.
   */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, SCOPE_SERVER_MAX_IDLE_TIMEOUT, 0,
                       rw | G_PARAM_CONSTRUCT);
  /**
   * ScopeServer:request-timeout:
   *
   * The tiny HTTP server: seconds from the accept within which the whole
   * head of the request must have come, however slowly it trickles in,
   * else the connection is closed; %SCOPE_SERVER_DEFAULT_REQUEST_TIMEOUT
   * (20) by default, 0 for never. Other kinds do not use it.
   */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 0, SCOPE_SERVER_MAX_IDLE_TIMEOUT,
                       SCOPE_SERVER_DEFAULT_REQUEST_TIMEOUT, rw | G_PARAM_CONSTRUCT);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, "Hello from Sockscope\n",
                         rw | G_PARAM_CONSTRUCT);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_BOUND_PORT] =
    g_param_spec_uint ("bound-port", NULL, NULL, 0, G_MAXUINT16, 0, ro);
  properties[PROP_N_CONNECTIONS] =
    g_param_spec_uint ("n-connections", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * ScopeServer:accept-queue:
   *
   * Connections waiting in the listeners' accept queues, as the kernel
   * told at the last look; its limit and whether the system tells at all:
   * scope_server_get_accept_queue().
   */
  properties[PROP_ACCEPT_QUEUE] =
    g_param_spec_uint ("accept-queue", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_server_init (ScopeServer *self)
{
  self->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) _scope_server_listener_free);
  self->connections =
    g_ptr_array_new_with_free_func ((GDestroyNotify) _scope_server_connection_free);
}

/**
 * scope_server_new:
 * @recorder: (nullable): where its events go; a new recorder when %NULL
 */
ScopeServer *
scope_server_new (ScopeServerKind  kind,
                  ScopeRecorder   *recorder)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, NULL);

  return g_object_new (SCOPE_TYPE_SERVER, "kind", kind, "recorder", recorder, NULL);
}

gboolean
scope_server_get_running (ScopeServer *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), FALSE);

  return self->running;
}

ScopeServerKind
scope_server_get_kind (ScopeServer *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), 0);

  return self->kind;
}

guint16
scope_server_get_bound_port (ScopeServer *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), 0);

  return self->bound_port;
}

/**
 * scope_server_dup_listening_addresses:
 *
 * Returns: (transfer full): the addresses it listens on, as a user reads
 * them: "127.0.0.1:50000", "[::1]:50000", a path
 */
char **
scope_server_dup_listening_addresses (ScopeServer *self)
{
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (SCOPE_IS_SERVER (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->listeners->len; i++)
    g_strv_builder_add (builder, ((Listener *) g_ptr_array_index (self->listeners, i))->shown);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

guint
scope_server_get_n_connections (ScopeServer *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVER (self), 0);

  return self->connections->len;
}
