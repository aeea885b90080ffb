/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "scope-client-private.h"
#include "scope-errors.h"

/* The queue of what is to be sent: chunks with their delays, sent as the
 * socket takes them, and the shutdown that follows the last one. */

void
_scope_client_chunk_free (gpointer data)
{
  Chunk *chunk = data;

  g_clear_pointer (&chunk->bytes, g_bytes_unref);
  if (chunk->wait != NULL)
    {
      g_source_destroy (chunk->wait);
      g_source_unref (chunk->wait);
    }
  g_clear_object (&chunk->stream);
  g_clear_pointer (&chunk->gathered, g_byte_array_unref);
  g_free (chunk);
}

gsize
scope_client_get_pending_bytes (ScopeClient *self)
{
  gsize pending = 0;

  g_return_val_if_fail (SCOPE_IS_CLIENT (self), 0);

  /* A stream's bytes count once read: how many more it holds is unknown. */
  for (GList *l = self->chunks.head; l != NULL; l = l->next)
    {
      Chunk *chunk = l->data;

      if (chunk->stream != NULL)
        pending += chunk->gathered->len;
      else
        pending += g_bytes_get_size (chunk->bytes) - chunk->sent;
    }
  return pending;
}

static gboolean
delay_done (gpointer user_data)
{
  ScopeClient *self = user_data;
  Chunk *chunk = g_queue_peek_head (&self->chunks);

  self->delay_timer = 0;
  if (chunk != NULL)
    chunk->delay_ms = 0;
  _scope_client_update_source (self);
  return G_SOURCE_REMOVE;
}

/* Sends queued chunks until the socket would block or a chunk must wait
 * for its delay. Returns FALSE when the client closed on an error. */
gboolean
_scope_client_send_queued (ScopeClient *self)
{
  Chunk *chunk;
  guint pieces = 0;

  while ((chunk = g_queue_peek_head (&self->chunks)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      gsize size;
      const guint8 *data;
      gssize sent;
      gint64 began_us;

      if (chunk->stream != NULL)
        {
          guint64 read;
          gboolean cut;

          /* Past the budget, the main loop has its turn; the socket is
           * still watched and the stream goes on at the next dispatch. */
          if (chunk->wait != NULL || pieces++ == STREAM_PIECES_PER_DISPATCH)
            return TRUE;
          switch (_scope_client_stream_fill (self, chunk))
            {
            case STEP_PIECE_QUEUED:
              continue;
            case STEP_WAITING:
              return TRUE;
            case STEP_FAILED:
              return FALSE;
            case STEP_ENDED:
            default:
              break;
            }
          read = chunk->read;
          cut = !chunk->eof;
          _scope_client_chunk_free (g_queue_pop_head (&self->chunks));
          _scope_client_restart_receive_timer (self);
          g_signal_emit (self, _scope_client_signals[STREAM_ENDED], 0, read, cut);
          if (self->socket == NULL)
            return FALSE;
          continue;
        }

      data = g_bytes_get_data (chunk->bytes, &size);
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
      began_us = scope_recorder_get_now_us (self->recorder);
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
          if (self->protocol == SCOPE_PROTOCOL_UDP)
            _scope_client_fail_datagram (self, error);
          else
            _scope_client_fail (self, error);
          return FALSE;
        }

      if (self->protocol == SCOPE_PROTOCOL_UDP)
        scope_recorder_append_sent (self->recorder, self->socket_id, SCOPE_EVENT_SENDTO,
                                    self->remote, data + chunk->sent, sent, began_us);
      else if (size > 0)
        scope_recorder_append_sent (self->recorder, self->socket_id, SCOPE_EVENT_SEND, NULL,
                                    data + chunk->sent, sent, began_us);
      chunk->sent += sent;
      if (chunk->sent == size)
        {
          _scope_client_chunk_free (g_queue_pop_head (&self->chunks));
          _scope_client_restart_receive_timer (self);
        }
    }

  /* Shut Down Writing pressed while chunks were still queued: now. */
  if (self->shutdown_pending)
    {
      g_autoptr(GError) error = NULL;

      self->shutdown_pending = FALSE;
      if (!_scope_client_shut_down (self, &error))
        {
          g_signal_emit (self, _scope_client_signals[FAILED], 0, error);
          return TRUE;
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), _scope_client_properties[PROP_PENDING_BYTES]);
  return TRUE;
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
  g_object_notify_by_pspec (G_OBJECT (self), _scope_client_properties[PROP_PENDING_BYTES]);
  _scope_client_update_source (self);
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
  return _scope_client_shut_down (self, error);
}

gboolean
_scope_client_shut_down (ScopeClient  *self,
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
