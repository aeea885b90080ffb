/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-client-private.h"
#include "scope-errors.h"

/* The built-in client: TCP, UDP or a Unix path, on the main loop like the
 * servers. It sends a payload in one write or in chunks with a delay
 * between them, reads with a buffer of a chosen size, and records every
 * call. A file is read as the socket takes it, a piece at a time, never
 * whole. UDP works as the lecture notes do: bind port 0, sendto, recvfrom;
 * on the address the system routes from rather than the wildcard, with the
 * ICMP errors that come back reported, and each datagram's source checked:
 * only the target's are the answer. */

G_DEFINE_FINAL_TYPE (ScopeClient, scope_client, G_TYPE_OBJECT)

GParamSpec *_scope_client_properties[N_PROPS];
guint _scope_client_signals[N_SIGNALS];

void
_scope_client_drop_socket (ScopeClient *self)
{
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  self->watching = 0;
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  g_clear_handle_id (&self->delay_timer, g_source_remove);
  g_queue_clear_full (&self->chunks, _scope_client_chunk_free);
  self->shutdown_pending = FALSE;
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->remote);
}

/* Records an error whose message is already in words, says it and closes. */
void
_scope_client_fail_said (ScopeClient  *self,
                         const GError *error)
{
  scope_recorder_append_error (self->recorder, self->socket_id, error);
  g_signal_emit (self, _scope_client_signals[FAILED], 0, error);
  scope_client_close (self);
}

void
_scope_client_fail (ScopeClient  *self,
                    const GError *error)
{
  g_autofree char *words = scope_error_describe (error);
  g_autoptr(GError) described = g_error_new_literal (error->domain, error->code, words);

  scope_recorder_append_error (self->recorder, self->socket_id, error);
  g_signal_emit (self, _scope_client_signals[FAILED], 0, described);
  scope_client_close (self);
}

/**
 * scope_client_close:
 *
 * Closes the socket; while connecting, stops and answers the connection as
 * cancelled.
 */
void
scope_client_close (ScopeClient *self)
{
  g_return_if_fail (SCOPE_IS_CLIENT (self));

  if (self->connect_task != NULL)
    {
      _scope_client_stop_connecting (self);
      return;
    }
  if (!self->connected)
    return;

  _scope_client_drop_socket (self);
  scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_CLOSE, NULL, 0);
  self->connected = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), _scope_client_properties[PROP_CONNECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), _scope_client_properties[PROP_PENDING_BYTES]);
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
  _scope_client_drop_socket (self);
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

  _scope_client_properties[PROP_RECORDER] =
    g_param_spec_object ("recorder", NULL, NULL, SCOPE_TYPE_RECORDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  _scope_client_properties[PROP_READ_BUFFER_SIZE] =
    g_param_spec_uint ("read-buffer-size", NULL, NULL, 1, 1024 * 1024,
                       SCOPE_CLIENT_DEFAULT_READ_BUFFER, rw);
  _scope_client_properties[PROP_RECEIVE_TIMEOUT] =
    g_param_spec_uint ("receive-timeout", NULL, NULL, 0, G_MAXUINT, 0, rw);
  _scope_client_properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT, 10000, rw);
  _scope_client_properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  _scope_client_properties[PROP_LOCAL_ADDRESS] =
    g_param_spec_string ("local-address", NULL, NULL, NULL, ro);
  _scope_client_properties[PROP_REMOTE_ADDRESS] =
    g_param_spec_string ("remote-address", NULL, NULL, NULL, ro);
  _scope_client_properties[PROP_PENDING_BYTES] =
    g_param_spec_uint64 ("pending-bytes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, _scope_client_properties);

  _scope_client_signals[RECEIVED] =
    g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  _scope_client_signals[PEER_CLOSED] =
    g_signal_new ("peer-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  _scope_client_signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  _scope_client_signals[RECEIVE_TIMED_OUT] =
    g_signal_new ("receive-timed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ScopeClient::stray-datagram:
   * @bytes: the datagram
   * @source: who sent it, as "address:port"
   *
   * A UDP datagram from another address than the target: not the answer.
   * It is recorded as a recvfrom from @source like every other.
   */
  _scope_client_signals[STRAY_DATAGRAM] =
    g_signal_new ("stray-datagram", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_BYTES, G_TYPE_STRING);
  /**
   * ScopeClient::stream-ended:
   * @bytes: how many bytes the stream gave, all sent
   * @cut: %TRUE when its maximum stopped it, not its end
   */
  _scope_client_signals[STREAM_ENDED] =
    g_signal_new ("stream-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_BOOLEAN);
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
