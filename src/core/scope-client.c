/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#ifdef G_OS_UNIX
# include <gio/gunixsocketaddress.h>
#endif

#include "scope-address.h"
#include "scope-client.h"
#include "scope-errors.h"
#include "scope-resolver.h"

/* The built-in client: TCP, UDP or a Unix path, on the main loop like the
 * servers. It sends a payload in one write or in chunks with a delay
 * between them, reads with a buffer of a chosen size, and records every
 * call. UDP works as the lecture notes do: bind port 0, sendto, recvfrom. */

#define READ_CALLS_PER_DISPATCH 16
#define MAX_DATAGRAM            65536

typedef struct
{
  GBytes *bytes;
  gsize   sent;
  guint   delay_ms;   /* wait this long before the chunk */
} Chunk;

struct _ScopeClient
{
  GObject parent_instance;

  ScopeRecorder  *recorder;
  ScopeProtocol   protocol;
  GSocket        *socket;
  GSocketAddress *remote;      /* for sendto */
  GSource        *source;
  GIOCondition    watching;
  guint           socket_id;
  char           *local_address;
  char           *remote_address;

  guint8         *buffer;
  guint           read_buffer_size;
  guint           receive_timeout_ms;
  guint           connect_timeout_ms;
  guint           receive_timer;
  guint           delay_timer;

  GQueue          chunks;      /* Chunk* */
  gboolean        shutdown_pending;  /* once the queue is sent */
  gboolean        peer_ended;
  gboolean        connected;

  /* Connecting */
  GTask          *connect_task;
  GList          *candidates;  /* GSocketAddress*, still to try */
  GError         *first_error;
  guint           connect_timer;
};

G_DEFINE_FINAL_TYPE (ScopeClient, scope_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECORDER,
  PROP_READ_BUFFER_SIZE,
  PROP_RECEIVE_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_CONNECTED,
  PROP_LOCAL_ADDRESS,
  PROP_REMOTE_ADDRESS,
  PROP_PENDING_BYTES,
  N_PROPS
};

enum {
  RECEIVED,
  PEER_CLOSED,
  FAILED,
  RECEIVE_TIMED_OUT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void     update_source (ScopeClient  *self);
static gboolean shut_down     (ScopeClient  *self,
                               GError      **error);
static void connect_next  (ScopeClient *self);

static void
chunk_free (gpointer data)
{
  Chunk *chunk = data;

  g_bytes_unref (chunk->bytes);
  g_free (chunk);
}

gsize
scope_client_get_pending_bytes (ScopeClient *self)
{
  gsize pending = 0;

  g_return_val_if_fail (SCOPE_IS_CLIENT (self), 0);

  for (GList *l = self->chunks.head; l != NULL; l = l->next)
    {
      Chunk *chunk = l->data;

      pending += g_bytes_get_size (chunk->bytes) - chunk->sent;
    }
  return pending;
}

static void
drop_socket (ScopeClient *self)
{
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  self->watching = 0;
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  g_clear_handle_id (&self->delay_timer, g_source_remove);
  g_queue_clear_full (&self->chunks, chunk_free);
  self->shutdown_pending = FALSE;
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->remote);
}

static void
fail (ScopeClient  *self,
      const GError *error)
{
  g_autofree char *words = scope_error_describe (error);
  g_autoptr(GError) described = g_error_new_literal (error->domain, error->code, words);

  scope_recorder_append_error (self->recorder, self->socket_id, error);
  g_signal_emit (self, signals[FAILED], 0, described);
  scope_client_close (self);
}

static gboolean
receive_timed_out (gpointer user_data)
{
  ScopeClient *self = user_data;

  self->receive_timer = 0;
  g_signal_emit (self, signals[RECEIVE_TIMED_OUT], 0);
  return G_SOURCE_REMOVE;
}

/* The wait for an answer starts once everything queued is sent. */
static void
restart_receive_timer (ScopeClient *self)
{
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  if (self->receive_timeout_ms > 0 && self->connected && !self->peer_ended
      && g_queue_is_empty (&self->chunks))
    self->receive_timer = g_timeout_add (self->receive_timeout_ms, receive_timed_out, self);
}

static gboolean
delay_done (gpointer user_data)
{
  ScopeClient *self = user_data;
  Chunk *chunk = g_queue_peek_head (&self->chunks);

  self->delay_timer = 0;
  if (chunk != NULL)
    chunk->delay_ms = 0;
  update_source (self);
  return G_SOURCE_REMOVE;
}

/* Sends queued chunks until the socket would block or a chunk must wait
 * for its delay. Returns FALSE when the client closed on an error. */
static gboolean
send_queued (ScopeClient *self)
{
  Chunk *chunk;

  while ((chunk = g_queue_peek_head (&self->chunks)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      gsize size;
      const guint8 *data = g_bytes_get_data (chunk->bytes, &size);
      gssize sent;

      if (chunk->delay_ms > 0)
        {
          if (self->delay_timer == 0)
            self->delay_timer = g_timeout_add (chunk->delay_ms, delay_done, self);
          return TRUE;
        }

      /* An empty payload is an empty datagram over UDP, and nothing at all
       * over a stream. GLib wants a buffer even for no bytes. */
      if (data == NULL)
        data = (const guint8 *) "";
      if (self->protocol == SCOPE_PROTOCOL_UDP)
        sent = g_socket_send_to (self->socket, self->remote, (const char *) data + chunk->sent,
                                 size - chunk->sent, NULL, &error);
      else if (size == 0)
        sent = 0;
      else
        sent = g_socket_send (self->socket, (const char *) data + chunk->sent,
                              size - chunk->sent, NULL, &error);
      if (sent < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return TRUE;
          fail (self, error);
          return FALSE;
        }

      if (self->protocol == SCOPE_PROTOCOL_UDP)
        scope_recorder_append_datagram (self->recorder, self->socket_id, SCOPE_EVENT_SENDTO,
                                        self->remote, data + chunk->sent, sent);
      else if (size > 0)
        scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_SEND,
                               data + chunk->sent, sent);
      chunk->sent += sent;
      if (chunk->sent == size)
        {
          chunk_free (g_queue_pop_head (&self->chunks));
          restart_receive_timer (self);
        }
    }

  /* Shut Down Writing pressed while chunks were still queued: now. */
  if (self->shutdown_pending)
    {
      g_autoptr(GError) error = NULL;

      self->shutdown_pending = FALSE;
      if (!shut_down (self, &error))
        {
          g_signal_emit (self, signals[FAILED], 0, error);
          return TRUE;
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_BYTES]);
  return TRUE;
}

static gboolean
dispatch (GSocket      *socket,
          GIOCondition  condition,
          gpointer      user_data)
{
  ScopeClient *self = g_object_ref (user_data);
  GSource *dispatching = g_main_current_source ();
  gboolean keep;

  if ((condition & G_IO_OUT) && !send_queued (self))
    goto out;

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && (self->watching & G_IO_IN))
    {
      scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_READABLE, NULL, 0);
      for (guint calls = 0; calls < READ_CALLS_PER_DISPATCH && self->socket != NULL; calls++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GSocketAddress) from = NULL;
          g_autoptr(GBytes) bytes = NULL;
          gssize n;

          if (self->protocol == SCOPE_PROTOCOL_UDP)
            n = g_socket_receive_from (self->socket, &from, (char *) self->buffer,
                                       MAX (self->read_buffer_size, MAX_DATAGRAM), NULL, &error);
          else
            n = g_socket_receive (self->socket, (char *) self->buffer, self->read_buffer_size,
                                  NULL, &error);
          if (n < 0)
            {
              if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                fail (self, error);
              break;
            }

          if (self->protocol == SCOPE_PROTOCOL_UDP)
            scope_recorder_append_datagram (self->recorder, self->socket_id,
                                            SCOPE_EVENT_RECVFROM, from, self->buffer, n);
          else
            scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_RECV,
                                   self->buffer, n);

          if (n == 0 && self->protocol != SCOPE_PROTOCOL_UDP)
            {
              /* The peer has nothing more to send (S15). */
              self->peer_ended = TRUE;
              g_clear_handle_id (&self->receive_timer, g_source_remove);
              g_signal_emit (self, signals[PEER_CLOSED], 0);
              break;
            }
          bytes = g_bytes_new (self->buffer, n);
          g_signal_emit (self, signals[RECEIVED], 0, bytes);
          restart_receive_timer (self);
        }
    }

  if (self->socket != NULL)
    update_source (self);

out:
  keep = self->source != NULL && self->source == dispatching;
  g_object_unref (self);
  return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
update_source (ScopeClient *self)
{
  GIOCondition wanted = 0;
  Chunk *next = g_queue_peek_head (&self->chunks);

  if (self->socket == NULL || !self->connected)
    return;
  if (!self->peer_ended)
    wanted |= G_IO_IN;
  if (next != NULL && next->delay_ms == 0)
    wanted |= G_IO_OUT;
  else if (next != NULL && self->delay_timer == 0)
    send_queued (self);  /* starts the delay */

  if (self->source != NULL && wanted == self->watching)
    return;
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  self->watching = wanted;
  if (wanted == 0)
    return;
  self->source = g_socket_create_source (self->socket, wanted, NULL);
  /* Below GTK's painting, so a busy socket cannot freeze the window. */
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (self->source, G_SOURCE_FUNC (dispatch), self, NULL);
  g_source_attach (self->source, NULL);
}

/* ---- connecting --------------------------------------------------------- */

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

  update_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
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
  drop_socket (self);
  g_clear_handle_id (&self->connect_timer, g_source_remove);

  if (self->first_error == NULL)
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
      drop_socket (self);
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

  if (self->protocol == SCOPE_PROTOCOL_UDP)
    {
      /* As the notes do: bind port 0 and let the OS choose (S13). */
      GSocketFamily family = g_socket_address_get_family (address);
      g_autoptr(GInetAddress) any = g_inet_address_new_any (family);
      g_autoptr(GSocketAddress) wildcard = g_inet_socket_address_new (any, 0);

      if (!g_socket_bind (self->socket, wildcard, FALSE, &error))
        {
          attempt_failed (self, error);
          return;
        }
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
  guint16 port = GPOINTER_TO_UINT (g_task_get_task_data (self->connect_task));

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

/**
 * scope_client_send:
 * @chunk_size: split the payload into writes of this many bytes; 0 for one
 * @delay_ms: wait this long between two chunks
 *
 * Queues the payload; it goes out as the socket takes it, each write
 * recorded.
 */
void
scope_client_send (ScopeClient *self,
                   GBytes      *payload,
                   gsize        chunk_size,
                   guint        delay_ms)
{
  gsize size;

  g_return_if_fail (SCOPE_IS_CLIENT (self));
  g_return_if_fail (payload != NULL);
  g_return_if_fail (self->connected);

  size = g_bytes_get_size (payload);
  if (chunk_size == 0 || chunk_size >= size)
    chunk_size = MAX (size, 1);

  for (gsize offset = 0; offset < size || (size == 0 && offset == 0); offset += chunk_size)
    {
      Chunk *chunk = g_new0 (Chunk, 1);

      chunk->bytes = g_bytes_new_from_bytes (payload, offset, MIN (chunk_size, size - offset));
      chunk->delay_ms = offset > 0 ? delay_ms : 0;
      g_queue_push_tail (&self->chunks, chunk);
      if (size == 0)
        break;
    }
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_BYTES]);
  update_source (self);
}

/**
 * scope_client_shutdown_write:
 *
 * shutdown(SHUT_WR): tells the peer that nothing more will come, while the
 * client still reads its answer (S15).
 */
gboolean
scope_client_shutdown_write (ScopeClient  *self,
                             GError      **error)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), FALSE);

  if (!self->connected || self->protocol == SCOPE_PROTOCOL_UDP)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Only a connected TCP or Unix stream socket can shut down writing"));
      return FALSE;
    }

  /* What is queued goes first: the shutdown follows the last chunk. */
  if (!g_queue_is_empty (&self->chunks))
    {
      self->shutdown_pending = TRUE;
      return TRUE;
    }
  return shut_down (self, error);
}

static gboolean
shut_down (ScopeClient  *self,
           GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_socket_shutdown (self->socket, FALSE, TRUE, &local_error))
    {
      g_autofree char *words = scope_error_describe (local_error);

      scope_recorder_append_error (self->recorder, self->socket_id, local_error);
      g_set_error_literal (error, local_error->domain, local_error->code, words);
      return FALSE;
    }
  scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_SHUTDOWN, NULL, 0);
  return TRUE;
}

void
scope_client_close (ScopeClient *self)
{
  g_return_if_fail (SCOPE_IS_CLIENT (self));

  if (!self->connected)
    return;

  drop_socket (self);
  scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_CLOSE, NULL, 0);
  self->connected = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_BYTES]);
}

gboolean
scope_client_get_connected (ScopeClient *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), FALSE);

  return self->connected;
}

const char *
scope_client_get_local_address (ScopeClient *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), NULL);

  return self->local_address;
}

const char *
scope_client_get_remote_address (ScopeClient *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), NULL);

  return self->remote_address;
}

guint
scope_client_get_socket_id (ScopeClient *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), 0);

  return self->socket_id;
}

static void
scope_client_dispose (GObject *object)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  scope_client_close (self);
  drop_socket (self);
  g_clear_handle_id (&self->connect_timer, g_source_remove);

  G_OBJECT_CLASS (scope_client_parent_class)->dispose (object);
}

static void
scope_client_finalize (GObject *object)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  g_clear_object (&self->recorder);
  g_list_free_full (self->candidates, g_object_unref);
  g_clear_error (&self->first_error);
  g_free (self->buffer);
  g_free (self->local_address);
  g_free (self->remote_address);

  G_OBJECT_CLASS (scope_client_parent_class)->finalize (object);
}

static void
scope_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RECORDER:
      g_value_set_object (value, self->recorder);
      break;
    case PROP_READ_BUFFER_SIZE:
      g_value_set_uint (value, self->read_buffer_size);
      break;
    case PROP_RECEIVE_TIMEOUT:
      g_value_set_uint (value, self->receive_timeout_ms);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout_ms);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_string (value, self->local_address);
      break;
    case PROP_REMOTE_ADDRESS:
      g_value_set_string (value, self->remote_address);
      break;
    case PROP_PENDING_BYTES:
      g_value_set_uint64 (value, scope_client_get_pending_bytes (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RECORDER:
      self->recorder = g_value_dup_object (value);
      break;
    case PROP_READ_BUFFER_SIZE:
      self->read_buffer_size = g_value_get_uint (value);
      g_free (self->buffer);
      /* UDP reads a whole datagram whatever the buffer size says. */
      self->buffer = g_malloc (MAX (self->read_buffer_size, MAX_DATAGRAM));
      break;
    case PROP_RECEIVE_TIMEOUT:
      self->receive_timeout_ms = g_value_get_uint (value);
      break;
    case PROP_CONNECT_TIMEOUT:
      self->connect_timeout_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_client_constructed (GObject *object)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  G_OBJECT_CLASS (scope_client_parent_class)->constructed (object);

  if (self->recorder == NULL)
    self->recorder = scope_recorder_new ();
}

static void
scope_client_class_init (ScopeClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS
                   | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = scope_client_constructed;
  object_class->dispose = scope_client_dispose;
  object_class->finalize = scope_client_finalize;
  object_class->get_property = scope_client_get_property;
  object_class->set_property = scope_client_set_property;

  properties[PROP_RECORDER] =
    g_param_spec_object ("recorder", NULL, NULL, SCOPE_TYPE_RECORDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_BUFFER_SIZE] =
    g_param_spec_uint ("read-buffer-size", NULL, NULL, 1, 1024 * 1024,
                       SCOPE_CLIENT_DEFAULT_READ_BUFFER, rw);
  properties[PROP_RECEIVE_TIMEOUT] =
    g_param_spec_uint ("receive-timeout", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT, 10000, rw);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  properties[PROP_LOCAL_ADDRESS] =
    g_param_spec_string ("local-address", NULL, NULL, NULL, ro);
  properties[PROP_REMOTE_ADDRESS] =
    g_param_spec_string ("remote-address", NULL, NULL, NULL, ro);
  properties[PROP_PENDING_BYTES] =
    g_param_spec_uint64 ("pending-bytes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RECEIVED] =
    g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[PEER_CLOSED] =
    g_signal_new ("peer-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[RECEIVE_TIMED_OUT] =
    g_signal_new ("receive-timed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
scope_client_init (ScopeClient *self)
{
  g_queue_init (&self->chunks);
}

/**
 * scope_client_new:
 * @recorder: (nullable): where its events go; a new recorder when %NULL
 */
ScopeClient *
scope_client_new (ScopeRecorder *recorder)
{
  return g_object_new (SCOPE_TYPE_CLIENT, "recorder", recorder, NULL);
}

gboolean
scope_client_check_datagrams (gsize    size,
                              gsize    chunk_size,
                              GError **error)
{
  gsize largest = chunk_size > 0 ? MIN (chunk_size, size) : size;
  g_autofree char *bytes = NULL;

  if (largest <= SCOPE_UDP_MAX_PAYLOAD)
    return TRUE;
  bytes = g_strdup_printf ("%" G_GSIZE_FORMAT, largest);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               /* Translators: a number of bytes, then the most a datagram holds, twice */
               _("A datagram of %s bytes is too long: one UDP datagram holds at most %d bytes. "
                 "Send it in chunks of at most %d (EMSGSIZE)"),
               bytes, SCOPE_UDP_MAX_PAYLOAD, SCOPE_UDP_MAX_PAYLOAD);
  return FALSE;
}
