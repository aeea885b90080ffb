/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#ifdef G_OS_UNIX
# include <gio/gunixsocketaddress.h>
#endif

#include "scope-recorder-private.h"

/* The recorder's sockets: their table, their addresses as a user reads
 * them, the datagram peers interned once each, the ends of TCP connections
 * paired by the stream model's rule, and the sockets forgotten when events
 * are not all kept. */

/**
 * scope_socket_address_to_string:
 *
 * Returns: (transfer full): "127.0.0.1:50000", "[::1]:50000",
 * "[fe80::1%eth0]:50000", or a Unix socket's path.
 */
char *
scope_socket_address_to_string (GSocketAddress *address)
{
  if (address == NULL)
    return NULL;

  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      GInetAddress *ip = g_inet_socket_address_get_address (inet);
      g_autofree char *host = g_inet_address_to_string (ip);
      guint16 port = g_inet_socket_address_get_port (inet);

      if (g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV6)
        {
          guint32 scope_id = g_inet_socket_address_get_scope_id (inet);
          char ifname[64] = "";

          /* The scope id says which link a link-local address is on; its
           * interface name is what a user can read. */
          if (scope_id != 0 && strchr (host, '%') == NULL)
            g_snprintf (ifname, sizeof ifname, "%%%u", scope_id);
          return g_strdup_printf ("[%s%s]:%u", host, ifname, port);
        }
      return g_strdup_printf ("%s:%u", host, port);
    }

#ifdef G_OS_UNIX
  if (G_IS_UNIX_SOCKET_ADDRESS (address))
    {
      GUnixSocketAddress *unix_address = G_UNIX_SOCKET_ADDRESS (address);
      const char *path = g_unix_socket_address_get_path (unix_address);

      switch (g_unix_socket_address_get_address_type (unix_address))
        {
        case G_UNIX_SOCKET_ADDRESS_PATH:
          return g_strdup (path);
        case G_UNIX_SOCKET_ADDRESS_ABSTRACT:
        case G_UNIX_SOCKET_ADDRESS_ABSTRACT_PADDED:
          return g_strdup_printf ("@%s", path);
        case G_UNIX_SOCKET_ADDRESS_ANONYMOUS:
        case G_UNIX_SOCKET_ADDRESS_INVALID:
        default:
          return g_strdup (_("(unnamed)"));
        }
    }
#endif

  return g_strdup (_("(unknown address)"));
}

void
_scope_recorder_socket_entry_free (gpointer data)
{
  SocketEntry *entry = data;

  g_free (entry->info.label);
  g_free (entry->info.local_address);
  g_free (entry->info.peer_address);
  g_free (entry);
}

/**
 * scope_recorder_add_socket:
 * @parent_id: the listener that accepted a connection, or 0
 *
 * Returns: the new socket's id, from 1 up. Past the socket limit the id
 * is still new, but the socket is not kept, and its events are counted,
 * not kept.
 */
guint
scope_recorder_add_socket (ScopeRecorder   *self,
                           ScopeSocketRole  role,
                           ScopeProtocol    protocol,
                           const char      *label,
                           GSocketAddress  *local,
                           GSocketAddress  *peer,
                           guint            parent_id)
{
  SocketEntry *entry;
  ScopeSocketInfo *info;
  guint id;
  guint other;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);
  g_return_val_if_fail (parent_id <= self->last_id, 0);

  id = ++self->last_id;
  if (self->retention == SCOPE_RECORDER_KEEP_ALL)
    {
      if (self->state != SCOPE_RECORDER_RECORDING)
        return id;
      if (self->sockets->len >= self->socket_limit)
        {
          _scope_recorder_stop_recording (self, SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT);
          _scope_recorder_announce (self);
          return id;
        }
      /* Kept sockets are 1 to n, with no gap: a stop is for good. */
      g_assert (id == self->sockets->len + 1);
    }
  else if (g_hash_table_size (self->live_sockets) >= self->socket_limit)
    return id;

  entry = g_new0 (SocketEntry, 1);
  info = &entry->info;
  info->id = id;
  info->role = role;
  info->protocol = protocol;
  info->parent_id = parent_id;
  info->label = g_strdup (label);
  info->local_address = scope_socket_address_to_string (local);
  info->peer_address = scope_socket_address_to_string (peer);
  info->opened_us = recorder_session_time (self);
  info->closed_us = -1;
  if (self->retention == SCOPE_RECORDER_KEEP_ALL)
    g_ptr_array_add (self->sockets, entry);
  else
    g_hash_table_insert (self->live_sockets, GUINT_TO_POINTER (id), entry);

  /* Both ends of a TCP connection on this machine are ours when our client
   * talks to our server. The stream model's rule pairs them, as they open
   * and close here in their true order; those open together are each
   * other's peer_id. */
  other = scope_stream_ends_add (self->ends, id, role, protocol, info->local_address,
                                 info->peer_address);
  if (other != 0)
    {
      SocketEntry *other_entry = socket_lookup (self, other);

      info->peer_id = other;
      if (other_entry != NULL)
        other_entry->info.peer_id = id;
    }

  return info->id;
}

/**
 * scope_recorder_get_socket:
 *
 * Returns: (nullable) (transfer none): what the recorder knows of a socket;
 * %NULL for one it does not keep
 */
const ScopeSocketInfo *
scope_recorder_get_socket (ScopeRecorder *self,
                           guint          socket_id)
{
  SocketEntry *entry;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  entry = socket_lookup (self, socket_id);
  return entry ? &entry->info : NULL;
}

/**
 * scope_recorder_get_stream_ends:
 *
 * Returns: (transfer none): the ends of the session's TCP connections, as
 * the stream model's rule paired them while they opened and closed
 */
const ScopeStreamEnds *
scope_recorder_get_stream_ends (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  return self->ends;
}

guint
scope_recorder_get_n_sockets (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->retention == SCOPE_RECORDER_KEEP_ALL ? self->sockets->len : self->last_id;
}

/* A socket leaves the recorder's memory, with its end of a connection. */
static void
forget_socket (ScopeRecorder *self,
               guint          id)
{
  scope_stream_ends_forget (self->ends, id);
  g_hash_table_remove (self->live_sockets, GUINT_TO_POINTER (id));
}

/* A socket's close: from now on it pairs only late, and, when events are
 * not all kept, it leaves the recorder's memory: at once when nothing is
 * kept, at the next flush when its close is to be heard. */
void
_scope_recorder_socket_closed (ScopeRecorder *self,
                               SocketEntry   *entry,
                               gint64         time_us)
{
  ScopeSocketInfo *info = &entry->info;

  if (info->closed_us >= 0)
    return;
  info->closed_us = time_us;
  scope_stream_ends_close (self->ends, info->id);

  switch (self->retention)
    {
    case SCOPE_RECORDER_KEEP_ALL:
      break;
    case SCOPE_RECORDER_KEEP_UNTIL_FLUSHED:
      g_array_append_val (self->closed_ids, info->id);
      break;
    case SCOPE_RECORDER_KEEP_NOTHING:
    default:
      forget_socket (self, info->id);
      break;
    }
}

/* The index + 1 of a datagram peer's address in the table, 0 for none, or
 * -1 when the table is full. */
gint64
_scope_recorder_intern_address (ScopeRecorder  *self,
                                GSocketAddress *address)
{
  g_autofree char *text = scope_socket_address_to_string (address);
  gpointer index;

  if (text == NULL)
    return 0;
  index = g_hash_table_lookup (self->address_index, text);
  if (index != NULL)
    return GPOINTER_TO_UINT (index);
  if (self->addresses->len >= self->peer_limit)
    return -1;

  g_ptr_array_add (self->addresses, g_steal_pointer (&text));
  g_hash_table_insert (self->address_index, g_ptr_array_index (self->addresses,
                                                               self->addresses->len - 1),
                       GUINT_TO_POINTER (self->addresses->len));
  return self->addresses->len;
}

/* Keeping until flushed, once every event kept has been heard of: the
 * datagram peers go, and the sockets closed since the last flush. */
void
_scope_recorder_sockets_forget (ScopeRecorder *self)
{
  g_hash_table_remove_all (self->address_index);
  g_ptr_array_set_size (self->addresses, 0);

  for (guint i = 0; i < self->closed_ids->len; i++)
    forget_socket (self, g_array_index (self->closed_ids, guint, i));
  g_array_set_size (self->closed_ids, 0);
}

/**
 * scope_recorder_get_record_peer:
 *
 * Returns: (nullable): whom a datagram went to or came from; for an event
 * of a connected socket, its peer
 */
const char *
scope_recorder_get_record_peer (ScopeRecorder *self,
                                guint64        index)
{
  const ScopeEventRecord *packed;
  ScopeEventKind kind;
  const ScopeSocketInfo *info;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  packed = record_kept (self, index);
  if (packed == NULL)
    return NULL;
  kind = record_kind (packed);
  if ((kind == SCOPE_EVENT_SENDTO || kind == SCOPE_EVENT_RECVFROM) && packed->aux != 0)
    return g_ptr_array_index (self->addresses, packed->aux - 1);

  info = scope_recorder_get_socket (self, packed->socket_id);
  return info ? info->peer_address : NULL;
}
