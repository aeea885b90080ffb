/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#ifdef G_OS_UNIX
# include <gio/gunixsocketaddress.h>
#endif

#include "scope-address.h"
#include "scope-client-private.h"
#include "scope-errors.h"
#include "scope-platform-socket.h"
#include "scope-resolver.h"

/* Connecting: the name looked up, then each of its addresses tried in
 * turn, every attempt recorded, within the connect timeout. */

static void connect_next (ScopeClient *self);

static void
connected (ScopeClient *self)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (self->socket, NULL);
  g_autoptr(GSocketAddress) peer = NULL;
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

  g_clear_handle_id (&self->connect_timer, g_source_remove);
  if (self->protocol != SCOPE_PROTOCOL_UDP)
    peer = g_socket_get_remote_address (self->socket, NULL);
  else
    peer = g_object_ref (self->remote);
  /* A peer that reset the connection as it came (a hostile one, the bad
   * input tests) leaves no address to ask for: the one connected to. It
   * said "Connected to  from 127.0.0.1:58544". */
  if (peer == NULL && self->candidates != NULL)
    peer = g_object_ref (self->candidates->data);

  g_free (self->local_address);
  self->local_address = scope_socket_address_to_string (local);
  g_free (self->remote_address);
  self->remote_address = scope_socket_address_to_string (peer);
  self->socket_id = scope_recorder_add_socket (self->recorder, SCOPE_SOCKET_CLIENT,
                                               self->protocol, "client", local, peer, 0);
  if (self->protocol != SCOPE_PROTOCOL_UDP)
    scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_CONNECT, NULL, 0);
  self->connected = TRUE;
  self->peer_ended = FALSE;
  g_list_free_full (g_steal_pointer (&self->candidates), g_object_unref);
  g_clear_error (&self->first_error);

  _scope_client_update_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), _scope_client_properties[PROP_LOCAL_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), _scope_client_properties[PROP_REMOTE_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), _scope_client_properties[PROP_CONNECTED]);
  g_task_return_boolean (task, TRUE);
}

/* A failed attempt is recorded on a socket of its own, so the timeline
 * shows the refused or timed-out connect too; then the next address. */
static void
attempt_failed (ScopeClient *self,
                GError      *error)
{
  GSocketAddress *address = self->candidates->data;
  g_autofree char *shown = scope_socket_address_to_string (address);
  g_autofree char *words = scope_error_describe (error);
  guint id = scope_recorder_add_socket (self->recorder, SCOPE_SOCKET_CLIENT, self->protocol,
                                        "client", NULL, address, 0);

  scope_recorder_append_error (self->recorder, id, error);
  scope_recorder_append (self->recorder, id, SCOPE_EVENT_CLOSE, NULL, 0);
  _scope_client_drop_socket (self);
  g_clear_handle_id (&self->connect_timer, g_source_remove);

  if (self->first_error == NULL && self->protocol == SCOPE_PROTOCOL_UDP)
    /* Translators: an address, then what went wrong, in words, then the
     * errno name */
    self->first_error = g_error_new (error->domain, error->code, _("Could not send to %s: %s"),
                                     shown, words);
  else if (self->first_error == NULL)
    /* Translators: an address, then what went wrong, in words, then the
     * errno name */
    self->first_error = g_error_new (error->domain, error->code, _("Could not connect to %s: %s"),
                                     shown, words);
  g_error_free (error);

  g_object_unref (self->candidates->data);
  self->candidates = g_list_delete_link (self->candidates, self->candidates);
  connect_next (self);
}

static gboolean
connect_ready (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  ScopeClient *self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->source, g_source_unref);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->connect_task)))
    {
      /* connect_next() returns the cancellation. */
      g_clear_handle_id (&self->connect_timer, g_source_remove);
      _scope_client_drop_socket (self);
      connect_next (self);
      return G_SOURCE_REMOVE;
    }
  if (!g_socket_check_connect_result (socket, &error))
    attempt_failed (self, error);
  else
    connected (self);
  return G_SOURCE_REMOVE;
}

static gboolean
connect_timed_out (gpointer user_data)
{
  ScopeClient *self = user_data;

  self->connect_timer = 0;
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  attempt_failed (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                             g_strerror (ETIMEDOUT)));
  return G_SOURCE_REMOVE;
}

static void
connect_next (ScopeClient *self)
{
  GSocketAddress *address;
  GSocketType type;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (self->connect_task))
    {
      g_clear_object (&self->connect_task);
      g_list_free_full (g_steal_pointer (&self->candidates), g_object_unref);
      return;
    }

  if (self->candidates == NULL)
    {
      GTask *task = g_steal_pointer (&self->connect_task);

      g_task_return_error (task, g_steal_pointer (&self->first_error));
      g_object_unref (task);
      return;
    }

  address = self->candidates->data;
  type = self->protocol == SCOPE_PROTOCOL_UDP ? G_SOCKET_TYPE_DATAGRAM : G_SOCKET_TYPE_STREAM;
  self->socket = g_socket_new (g_socket_address_get_family (address), type,
                               G_SOCKET_PROTOCOL_DEFAULT, &error);
  if (self->socket == NULL)
    {
      attempt_failed (self, error);
      return;
    }
  g_socket_set_blocking (self->socket, FALSE);
  /* When bytes arrive, not only when they are read (where it says). */
  scope_platform_socket_enable_timestamps (self->socket);

  if (self->protocol == SCOPE_PROTOCOL_UDP)
    {
      /* As the notes do: bind port 0 and let the OS choose (S13); but on
       * the address the datagrams leave from, so that no other network
       * can send to the client. */
      g_autoptr(GSocketAddress) source = _scope_client_routed_source (address, &error);

      if (source == NULL || !g_socket_bind (self->socket, source, FALSE, &error))
        {
          attempt_failed (self, error);
          return;
        }
      _scope_client_ask_for_icmp_errors (self->socket);
      self->remote = g_object_ref (address);
      connected (self);
      return;
    }

  if (g_socket_connect (self->socket, address, NULL, &error))
    {
      connected (self);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    {
      attempt_failed (self, error);
      return;
    }
  g_clear_error (&error);

  self->source = g_socket_create_source (self->socket, G_IO_OUT, NULL);
  /* Ahead of the sockets' sources (scope-socket-watch.c): on loopback the
   * handshake is done at once, and our own server's accept, ready in the
   * same turn of the loop, was recorded before the connect that caused it
   * (the fifth trial: accept 139 µs before connect). */
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT - 1);
  g_source_set_callback (self->source, G_SOURCE_FUNC (connect_ready), self, NULL);
  g_source_attach (self->source, NULL);
  if (self->connect_timeout_ms > 0)
    self->connect_timer = g_timeout_add (self->connect_timeout_ms, connect_timed_out, self);
}

static void
resolved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ScopeClient) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  guint16 port;

  /* Closed while the name was looked up: that has been answered. */
  if (self->connect_task == NULL)
    {
      g_resolver_free_addresses (addresses);
      return;
    }
  port = GPOINTER_TO_UINT (g_task_get_task_data (self->connect_task));
  if (addresses == NULL)
    {
      GTask *task = g_steal_pointer (&self->connect_task);
      g_autofree char *words = scope_error_describe (error);
      const char *host = g_object_get_data (G_OBJECT (task), "host");

      /* Translators: a host name, then what went wrong, in words, then the
       * EAI name */
      g_task_return_new_error (task, error->domain, error->code, _("Could not look up “%s”: %s"),
                               host, words);
      g_object_unref (task);
      return;
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    self->candidates = g_list_append (self->candidates, g_inet_socket_address_new (l->data, port));
  g_resolver_free_addresses (addresses);
  connect_next (self);
}

/**
 * scope_client_connect_async:
 * @host_or_path: a host name or address, or for %SCOPE_PROTOCOL_UNIX a path
 *
 * Resolves the host with GIO, then tries its addresses in order until one
 * answers. Every attempt is recorded; the address that was used is
 * #ScopeClient:remote-address.
 */
void
scope_client_connect_async (ScopeClient         *self,
                            ScopeProtocol        protocol,
                            const char          *host_or_path,
                            guint16              port,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GInetAddress) literal = NULL;

  g_return_if_fail (SCOPE_IS_CLIENT (self));
  g_return_if_fail (host_or_path != NULL);
  g_return_if_fail (self->connect_task == NULL);

  scope_client_close (self);
  self->protocol = protocol;
  self->connect_task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->connect_task, scope_client_connect_async);
  g_task_set_task_data (self->connect_task, GUINT_TO_POINTER (port), NULL);
  g_object_set_data_full (G_OBJECT (self->connect_task), "host", g_strdup (host_or_path), g_free);

  if (protocol == SCOPE_PROTOCOL_UNIX)
    {
#ifdef G_OS_UNIX
      GError *error = NULL;

      if (!scope_unix_path_validate (host_or_path, &error))
        {
          g_task_return_error (self->connect_task, error);
          g_clear_object (&self->connect_task);
          return;
        }
      self->candidates = g_list_append (NULL, g_unix_socket_address_new (host_or_path));
      connect_next (self);
#else
      g_task_return_new_error (self->connect_task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("This platform has no Unix-domain sockets"));
      g_clear_object (&self->connect_task);
#endif
      return;
    }

  /* A literal address is answered without a lookup. */
  literal = g_inet_address_new_from_string (host_or_path);
  if (literal != NULL)
    {
      self->candidates = g_list_append (NULL, g_inet_socket_address_new (literal, port));
      connect_next (self);
      return;
    }

  /* A name no name server could hold is answered here, and never asked. */
  {
    GError *error = NULL;

    if (!scope_resolver_validate_host (host_or_path, &error))
      {
        g_task_return_error (self->connect_task, error);
        g_clear_object (&self->connect_task);
        return;
      }
  }

  {
    g_autoptr(GResolver) resolver = g_resolver_get_default ();

    g_resolver_lookup_by_name_async (resolver, host_or_path, cancellable, resolved,
                                     g_object_ref (self));
  }
}

gboolean
scope_client_connect_finish (ScopeClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Close while connecting: the attempt under way ends, and the connection
 * is answered as cancelled. */
void
_scope_client_stop_connecting (ScopeClient *self)
{
  GTask *task = g_steal_pointer (&self->connect_task);

  _scope_client_drop_socket (self);
  g_clear_handle_id (&self->connect_timer, g_source_remove);
  g_list_free_full (g_steal_pointer (&self->candidates), g_object_unref);
  g_clear_error (&self->first_error);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                           _("Connecting was stopped"));
  g_object_unref (task);
}
