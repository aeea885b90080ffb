/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "scope-client-private.h"
#include "scope-errors.h"
#include "scope-socket-watch.h"

/* A payload read from a stream (a file, a pipe) as the socket takes it, a
 * piece at a time, never whole. */

static gboolean
stream_readable (GObject  *stream,
                 gpointer  user_data)
{
  ScopeClient *self = user_data;
  Chunk *head = g_queue_peek_head (&self->chunks);

  /* Only the stream at the head of the queue ever waits. */
  g_assert (head != NULL && head->wait != NULL);
  g_clear_pointer (&head->wait, g_source_unref);
  _scope_client_update_source (self);
  return G_SOURCE_REMOVE;
}

static void
stream_wait (ScopeClient *self,
             Chunk       *stream)
{
  stream->wait = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (stream->stream),
                                                        NULL);
  scope_socket_watch_attach_pollable (stream->wait, stream_readable, self);
}

/* The gathered bytes go ahead of the stream as a chunk of their own; the
 * first piece of each chunk after the first waits for the delay. */
static void
stream_queue_piece (ScopeClient *self,
                    Chunk       *stream)
{
  Chunk *piece = g_new0 (Chunk, 1);
  gsize size = stream->gathered->len;

  piece->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&stream->gathered));
  stream->gathered = g_byte_array_new ();
  if (stream->chunk_size > 0)
    {
      if (stream->chunk_queued == 0 && stream->chunk_begun)
        piece->delay_ms = stream->chunk_delay_ms;
      stream->chunk_queued += size;
      if (stream->chunk_queued >= stream->chunk_size)
        stream->chunk_queued = 0;
    }
  stream->chunk_begun = TRUE;
  g_queue_push_head (&self->chunks, piece);
}

/* GIO's message for a failed read ends with strerror(): the errno named
 * there is put in words, with its name. */
static char *
describe_read_error (const GError *error)
{
#ifdef G_OS_UNIX
  static const int errnums[] = { EIO, EISDIR, EACCES, ENXIO, EINVAL, ENOMEM, EFAULT, EBADF };

  for (gsize i = 0; i < G_N_ELEMENTS (errnums); i++)
    if (error->message != NULL && g_str_has_suffix (error->message, g_strerror (errnums[i])))
      return _scope_client_describe_file_errno (errnums[i]);
#endif
  return scope_error_describe (error);
}

static void
stream_failed (ScopeClient  *self,
               const GError *error)
{
  g_autofree char *words = describe_read_error (error);
  g_autoptr(GError) said = g_error_new (error->domain, error->code,
                                        /* Translators: what went wrong, in words,
                                         * with its errno name */
                                        _("Could not read what was to be sent: %s"), words);

  _scope_client_fail_said (self, said);
}

/* Reads the next piece of a stream payload: over UDP one whole datagram
 * (a chunk, or everything when there are no chunks); over a stream, what
 * one read gives, or a chunk's bytes up to STREAM_PIECE. Never blocks: a
 * pipe with nothing in it is waited for with a source of its own. */
StreamStep
_scope_client_stream_fill (ScopeClient *self,
                           Chunk       *stream)
{
  GPollableInputStream *pollable = NULL;
  gboolean udp = self->protocol == SCOPE_PROTOCOL_UDP;
  gboolean exact = udp || stream->chunk_size > 0;
  gsize want;

  if (G_IS_POLLABLE_INPUT_STREAM (stream->stream)
      && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (stream->stream)))
    pollable = G_POLLABLE_INPUT_STREAM (stream->stream);
  if (udp)
    want = stream->chunk_size > 0 ? stream->chunk_size : SCOPE_UDP_MAX_PAYLOAD + 1;
  else if (stream->chunk_size > 0)
    want = MIN (stream->chunk_size - stream->chunk_queued, STREAM_PIECE);
  else
    want = STREAM_PIECE;

  for (;;)
    {
      guint64 left = stream->max_bytes > 0 ? stream->max_bytes - stream->read : G_MAXUINT64;
      gboolean done = stream->eof || left == 0;

      if (!done && stream->gathered->len < want)
        {
          g_autoptr(GError) error = NULL;
          gsize room = (gsize) MIN ((guint64) (want - stream->gathered->len), left);
          guint old_length = stream->gathered->len;
          gssize n;

          /* A FIFO's read gives 0, its end, before any writer came: it is
           * read only once poll() says so. */
          if (pollable != NULL && !g_pollable_input_stream_is_readable (pollable))
            {
              stream_wait (self, stream);
              return STEP_WAITING;
            }
          g_byte_array_set_size (stream->gathered, old_length + room);
          if (pollable != NULL)
            n = g_pollable_input_stream_read_nonblocking (pollable,
                                                          stream->gathered->data + old_length,
                                                          room, NULL, &error);
          else
            n = g_input_stream_read (stream->stream, stream->gathered->data + old_length, room,
                                     NULL, &error);
          g_byte_array_set_size (stream->gathered, old_length + MAX (n, 0));
          if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)
              && pollable != NULL)
            {
              stream_wait (self, stream);
              return STEP_WAITING;
            }
          if (n < 0)
            {
              stream_failed (self, error);
              return STEP_FAILED;
            }
          if (n == 0)
            stream->eof = TRUE;
          stream->read += n;
          done = stream->eof || (stream->max_bytes > 0 && stream->read == stream->max_bytes);
        }

      if (udp && stream->chunk_size == 0 && stream->gathered->len > SCOPE_UDP_MAX_PAYLOAD)
        {
          g_autoptr(GError) error =
            g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                         /* Translators: the most a datagram holds, twice */
                         _("What was to be sent gives more than %d bytes: one UDP datagram "
                           "holds at most %d bytes. Send it in chunks of at most %d (EMSGSIZE)"),
                         SCOPE_UDP_MAX_PAYLOAD, SCOPE_UDP_MAX_PAYLOAD, SCOPE_UDP_MAX_PAYLOAD);

          _scope_client_fail_said (self, error);
          return STEP_FAILED;
        }
      if (stream->gathered->len > 0
          && (stream->gathered->len == want || !exact || done))
        {
          stream_queue_piece (self, stream);
          return STEP_PIECE_QUEUED;
        }
      if (done)
        {
          /* Nothing at all over UDP is still one datagram, as with a typed
           * payload. */
          if (udp && !stream->chunk_begun)
            {
              stream_queue_piece (self, stream);
              return STEP_PIECE_QUEUED;
            }
          return STEP_ENDED;
        }
    }
}

/**
 * scope_client_send_stream:
 * @stream: what to send, read as the socket takes it; a #GPollableInputStream
 *   that can poll is never read before it is readable
 * @max_bytes: read at most this many bytes of it; 0 for all it gives
 * @chunk_size: writes of this many bytes, each a datagram over UDP; 0 for
 *   one write (over UDP: everything in one datagram, at most
 *   %SCOPE_UDP_MAX_PAYLOAD bytes)
 * @delay_ms: wait this long between two chunks
 *
 * Queues a payload that may be large or endless: at most one piece of it
 * (64 KiB, or a chunk) is in memory at a time. #ScopeClient::stream-ended
 * says when it is all sent, and whether @max_bytes cut it short.
 */
void
scope_client_send_stream (ScopeClient  *self,
                          GInputStream *stream,
                          guint64       max_bytes,
                          gsize         chunk_size,
                          guint         delay_ms)
{
  Chunk *chunk;

  g_return_if_fail (SCOPE_IS_CLIENT (self));
  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (self->connected);
  g_return_if_fail (self->protocol != SCOPE_PROTOCOL_UDP || chunk_size <= SCOPE_UDP_MAX_PAYLOAD);

  chunk = g_new0 (Chunk, 1);
  chunk->stream = g_object_ref (stream);
  chunk->gathered = g_byte_array_new ();
  chunk->max_bytes = max_bytes;
  chunk->chunk_size = chunk_size;
  chunk->chunk_delay_ms = delay_ms;
  g_queue_push_tail (&self->chunks, chunk);
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  _scope_client_update_source (self);
}
