/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-address.h"
#include "scope-client-private.h"
#include "scope-platform-socket.h"
#include "scope-socket-watch.h"

/* The client's socket source: what it watches, each dispatch (sending what
 * is queued, reading what came, over a stream or as datagrams), and the
 * wait for an answer. */

static gboolean
receive_timed_out (gpointer user_data)
{
  ScopeClient *self = user_data;

  self->receive_timer = 0;
  g_signal_emit (self, _scope_client_signals[RECEIVE_TIMED_OUT], 0);
  return G_SOURCE_REMOVE;
}

/* The wait for an answer starts once everything queued is sent. */
void
_scope_client_restart_receive_timer (ScopeClient *self)
{
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  if (self->receive_timeout_ms > 0 && self->connected && !self->peer_ended
      && g_queue_is_empty (&self->chunks))
    self->receive_timer = g_timeout_add (self->receive_timeout_ms, receive_timed_out, self);
}

static gboolean
dispatch (GSocket      *socket,
          GIOCondition  condition,
          gpointer      user_data)
{
  ScopeClient *self = g_object_ref (user_data);
  GSource *dispatching = g_main_current_source ();
  gboolean keep;

  if ((condition & G_IO_OUT) && !_scope_client_send_queued (self))
    goto out;

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && (self->watching & G_IO_IN))
    {
      if (self->protocol == SCOPE_PROTOCOL_UDP && (condition & G_IO_ERR))
        {
          g_autoptr(GError) icmp = _scope_client_take_icmp_error (self);

          if (icmp != NULL)
            {
              _scope_client_fail_said (self, icmp);
              goto out;
            }
        }
      scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_READABLE, NULL, 0);
      for (guint calls = 0; calls < READ_CALLS_PER_DISPATCH && self->socket != NULL; calls++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GSocketAddress) from = NULL;
          g_autoptr(GBytes) bytes = NULL;
          gint64 first = -1, arrived;
          gssize n;

          if (self->protocol == SCOPE_PROTOCOL_UDP)
            n = scope_platform_socket_receive (self->socket, &from, self->buffer,
                                               MAX (self->read_buffer_size, MAX_DATAGRAM),
                                               &arrived, &error);
          else
            n = scope_platform_socket_receive_stream (self->socket, self->buffer,
                                                      self->read_buffer_size, &first, &arrived,
                                                      &error);
          if (n < 0)
            {
              if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                ;
              else if (self->protocol == SCOPE_PROTOCOL_UDP)
                _scope_client_fail_datagram (self, error);
              else
                _scope_client_fail (self, error);
              break;
            }

          if (n == 0 && self->protocol != SCOPE_PROTOCOL_UDP)
            /* No stamp comes with a FIN: the kernel's last ACK, roughly. */
            scope_recorder_append_end_of_stream (self->recorder, self->socket_id,
                                                 scope_platform_socket_last_arrival (socket));
          else if (self->protocol == SCOPE_PROTOCOL_UDP)
            scope_recorder_append_received (self->recorder, self->socket_id,
                                            SCOPE_EVENT_RECVFROM, from, self->buffer, n, arrived);
          else
            scope_recorder_append_stream_received (self->recorder, self->socket_id, self->buffer,
                                                   n, first, arrived);

          if (n == 0 && self->protocol != SCOPE_PROTOCOL_UDP)
            {
              /* The peer has nothing more to send (S15). */
              self->peer_ended = TRUE;
              g_clear_handle_id (&self->receive_timer, g_source_remove);
              g_signal_emit (self, _scope_client_signals[PEER_CLOSED], 0);
              break;
            }
          bytes = g_bytes_new (self->buffer, n);
          /* Anyone may send to our port: only the target's datagrams are
           * the answer, and another's do not keep the wait for it going. */
          if (self->protocol == SCOPE_PROTOCOL_UDP && !_scope_client_same_peer (from, self->remote))
            {
              g_autofree char *source = from != NULL ? scope_socket_address_to_string (from)
                                                     : g_strdup ("?");

              g_signal_emit (self, _scope_client_signals[STRAY_DATAGRAM], 0, bytes, source);
              continue;
            }
          g_signal_emit (self, _scope_client_signals[RECEIVED], 0, bytes);
          _scope_client_restart_receive_timer (self);
        }
    }

  if (self->socket != NULL)
    _scope_client_update_source (self);

out:
  keep = self->source != NULL && self->source == dispatching;
  g_object_unref (self);
  return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

void
_scope_client_update_source (ScopeClient *self)
{
  GIOCondition wanted = 0;
  Chunk *next = g_queue_peek_head (&self->chunks);

  if (self->socket == NULL || !self->connected)
    return;
  if (!self->peer_ended)
    wanted |= G_IO_IN;
  if (next != NULL && next->wait != NULL)
    ;  /* a stream with nothing to give yet: its own source calls again */
  else if (next != NULL && next->delay_ms == 0)
    wanted |= G_IO_OUT;
  else if (next != NULL && self->delay_timer == 0)
    _scope_client_send_queued (self);  /* starts the delay */

  scope_socket_watch (self->socket, &self->source, &self->watching, wanted,
                      dispatch, self);
}
