/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#ifdef G_OS_UNIX
# include <gio/gunixsocketaddress.h>
# include <netinet/in.h>
#endif

#include "scope-address.h"
#include "scope-errors.h"
#include "scope-platform-socket.h"
#include "scope-server-private.h"
#include "scope-socket-watch.h"

/* Where a server listens: the addresses its options name, a socket bound
 * to each, and the source that watches it. */

void
_scope_server_listener_free (Listener *listener)
{
  _scope_server_guard_forget (listener);
  g_clear_handle_id (&listener->backoff_id, g_source_remove);
  g_clear_handle_id (&listener->sweep_id, g_source_remove);
  if (listener->source != NULL)
    {
      g_source_destroy (listener->source);
      g_source_unref (listener->source);
    }
  g_clear_object (&listener->socket);
  g_clear_object (&listener->address);
  g_free (listener->shown);
  g_free (listener->peers);
  g_free (listener);
}

/* Reading paused, the first datagram to come is seen as it comes, once:
 * "1 datagram unread" at its send, the rest at the poll (S14 over UDP).
 * Once, whatever the count: a socket that stays readable would call again
 * at once where the datagram goes uncounted (a system that cannot count,
 * a datagram of no bytes). */
static gboolean
datagram_waiting (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  Listener *listener = user_data;

  listener->first_waited = TRUE;
  _scope_server_queue_datagrams (listener);
  _scope_server_listener_update_source (listener);
  return G_SOURCE_CONTINUE;
}

void
_scope_server_listener_update_source (Listener *listener)
{
  ScopeServer *self = listener->server;
  gboolean datagram = scope_server_kind_get_protocol (self->kind) == SCOPE_PROTOCOL_UDP;
  gboolean wanted = (datagram ? !self->pause_reading : !self->pause_accepting)
                    && listener->backoff_id == 0;
  gboolean waits;

  /* Paused, what waits already is counted now; reading, the first to wait
   * next time is seen as it comes */
  if (datagram && self->pause_reading)
    _scope_server_queue_datagrams (listener);
  else
    listener->first_waited = FALSE;
  waits = datagram && !wanted && self->pause_reading && listener->unread_datagrams == 0
          && !listener->first_waited;
  if (wanted == (listener->source != NULL && !listener->source_waits)
      && waits == (listener->source != NULL && listener->source_waits))
    return;

  if (listener->source != NULL)
    {
      g_source_destroy (listener->source);
      g_clear_pointer (&listener->source, g_source_unref);
    }
  listener->source_waits = waits;
  if (!wanted && !waits)
    return;

  listener->source = g_socket_create_source (listener->socket, G_IO_IN, NULL);
  scope_socket_watch_attach (listener->source,
                             waits ? datagram_waiting
                             : datagram ? _scope_server_datagram_dispatch
                             : _scope_server_listener_accept,
                             listener);
}

/* The address a bind-address other than "loopback" listens on, parsed as
 * scope_server_start() binds it (GLib makes ::ffff:a.b.c.d an IPv4
 * address); NULL when it is none. */
GSocketAddress *
_scope_server_parse_bind_address (const char *bind,
                                  guint16     port)
{
  if (bind == NULL || strchr (bind, '%') != NULL)
    return NULL;
  return g_inet_socket_address_new_from_string (bind, port);
}

/* The addresses to bind, from the bind-address option. */
GPtrArray *
_scope_server_bind_addresses (ScopeServer  *self,
                              guint16       port,
                              GError      **error)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_object_unref);
  const char *bind = self->bind_address;

  if (scope_server_kind_get_protocol (self->kind) == SCOPE_PROTOCOL_UNIX)
    {
#ifdef G_OS_UNIX
      if (self->unix_path == NULL || self->unix_path[0] == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("A Unix-domain server needs a path to listen on"));
          return NULL;
        }
      if (!scope_unix_path_validate (self->unix_path, error))
        return NULL;
      g_ptr_array_add (addresses, g_unix_socket_address_new (self->unix_path));
      return g_steal_pointer (&addresses);
#else
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This platform has no Unix-domain sockets"));
      return NULL;
#endif
    }

  if (g_strcmp0 (bind, "loopback") == 0)
    {
      g_ptr_array_add (addresses, g_inet_socket_address_new_from_string ("127.0.0.1", port));
      g_ptr_array_add (addresses, g_inet_socket_address_new_from_string ("::1", port));
    }
  else
    {
      GSocketAddress *address = _scope_server_parse_bind_address (bind, port);

      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an address to listen on: use 127.0.0.1, ::1, loopback "
                         "(both), 0.0.0.0 or :: (all interfaces), or another address of this "
                         "machine"), bind ? bind : "");
          return NULL;
        }
      g_ptr_array_add (addresses, address);
    }
  return g_steal_pointer (&addresses);
}

gboolean
_scope_server_listen_on (ScopeServer     *self,
                         GSocketAddress  *address,
                         GError         **error)
{
  ScopeProtocol protocol = scope_server_kind_get_protocol (self->kind);
  GSocketType type = protocol == SCOPE_PROTOCOL_UDP ? G_SOCKET_TYPE_DATAGRAM
                                                    : G_SOCKET_TYPE_STREAM;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *shown = scope_socket_address_to_string (address);
  g_autofree char *words = NULL;
  g_autoptr(GError) local_error = NULL;
  Listener *listener;

  socket = g_socket_new (g_socket_address_get_family (address), type,
                         G_SOCKET_PROTOCOL_DEFAULT, &local_error);
  if (socket == NULL)
    goto failed;
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, self->backlog);
  /* When bytes arrived, not only when read: a UDP server's datagrams, and
   * what comes to a connection before its accept (its socket inherits the
   * listener's option). */
  scope_platform_socket_enable_timestamps (socket);

#if defined(G_OS_UNIX) && defined(IPV6_V6ONLY)
  /* GLib makes IPv6 sockets dual-stack; "::" with ipv6-only is IPv6 alone. */
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6
      && !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, self->ipv6_only,
                               &local_error))
    goto failed;
#endif

  /* SO_REUSEADDR for TCP only, as servers do: a port in TIME_WAIT can be
   * reused, a port someone listens on cannot. For UDP GLib would also set
   * SO_REUSEPORT, and two servers would share a port without a word. */
  if (!g_socket_bind (socket, address, type == G_SOCKET_TYPE_STREAM, &local_error))
    {
#ifdef G_OS_UNIX
      GStatBuf stale;

      if (protocol == SCOPE_PROTOCOL_UNIX
          && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          /* Replaced only while it is the very socket file found stale. */
          if (_scope_server_unix_path_is_stale (self->unix_path, &stale)
              && _scope_server_same_file (self->unix_path, &stale))
            {
              g_clear_error (&local_error);
              g_unlink (self->unix_path);
              if (g_socket_bind (socket, address, FALSE, &local_error))
                goto bound;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
            words = _scope_server_describe_unix_occupant (self->unix_path, EADDRINUSE);
        }
#endif
      goto failed;
    }

#ifdef G_OS_UNIX
bound:
#endif
  if (type == G_SOCKET_TYPE_STREAM && !g_socket_listen (socket, &local_error))
    goto failed;

  local = g_socket_get_local_address (socket, &local_error);
  if (local == NULL)
    goto failed;
  if (G_IS_INET_SOCKET_ADDRESS (local))
    self->bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  if (protocol == SCOPE_PROTOCOL_UNIX)
    _scope_server_unix_remember_file (self);

  listener = g_new0 (Listener, 1);
  listener->server = self;
  listener->socket = g_steal_pointer (&socket);
  listener->shown = scope_socket_address_to_string (local);
  if (G_IS_INET_SOCKET_ADDRESS (local))
    {
      listener->address = _scope_server_address_unmapped (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
      listener->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      listener->ipv6_only = self->ipv6_only;
    }
  listener->id = scope_recorder_add_socket (self->recorder,
                                            type == G_SOCKET_TYPE_STREAM ? SCOPE_SOCKET_LISTENER
                                                                         : SCOPE_SOCKET_DATAGRAM,
                                            protocol, scope_server_kind_to_string (self->kind),
                                            local, NULL, 0);
  /* A datagram server receives once bound: its lane begins there, where
   * it began with the first datagram (S13 and S14 started with nothing on
   * the timeline) */
  scope_recorder_append (self->recorder, listener->id,
                         type == G_SOCKET_TYPE_STREAM ? SCOPE_EVENT_LISTEN : SCOPE_EVENT_BIND,
                         NULL, 0);
  if (protocol == SCOPE_PROTOCOL_UDP)
    {
      listener->peers = g_new0 (Peer, PEER_SLOTS);
      listener->peer_seed = g_random_int ();
      _scope_server_guard_watch (listener);
    }
  g_ptr_array_add (self->listeners, listener);
  _scope_server_listener_update_source (listener);
  return TRUE;

failed:
  if (words == NULL)
    words = scope_error_describe (local_error);
  g_set_error (error, local_error->domain, local_error->code,
               /* Translators: the first %s is an address such as
                * 127.0.0.1:80, the second what went wrong, in words, then
                * the errno name */
               _("Could not listen on %s: %s"), shown, words);
  return FALSE;
}
