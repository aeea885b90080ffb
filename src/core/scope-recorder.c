/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-recorder-private.h"

/* The recorder as an object: its type, properties and signal, its life,
 * its retention and its clock. What it keeps and how is in the satellite
 * files of scope-recorder-private.h. */

G_DEFINE_FINAL_TYPE_WITH_CODE (ScopeRecorder, scope_recorder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      _scope_recorder_list_model_init))

static GParamSpec *properties[N_PROPS];

enum {
  PENDING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_scope_recorder_notify (ScopeRecorder     *self,
                        ScopeRecorderProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Sets a count the user chose, and says so when it changed. */
void
_scope_recorder_set_and_notify (ScopeRecorder     *self,
                                guint64           *field,
                                guint64            value,
                                ScopeRecorderProp  prop)
{
  if (*field == value)
    return;
  *field = value;
  _scope_recorder_notify (self, prop);
}

void
_scope_recorder_emit_pending (ScopeRecorder *self)
{
  g_signal_emit (self, signals[PENDING], 0);
}

static void
scope_recorder_finalize (GObject *object)
{
  ScopeRecorder *self = SCOPE_RECORDER (object);

  g_clear_handle_id (&self->flush_source, g_source_remove);
  g_ptr_array_unref (self->record_chunks);
  g_free (self->spare_chunk);
  g_ptr_array_unref (self->waited_chunks);
  g_free (self->spare_waited);
  g_ptr_array_unref (self->arena_chunks);
  scope_stream_ends_free (self->ends);
  g_ptr_array_unref (self->sockets);
  g_hash_table_unref (self->live_sockets);
  g_array_unref (self->closed_ids);
  g_ptr_array_unref (self->addresses);
  g_hash_table_unref (self->address_index);

  G_OBJECT_CLASS (scope_recorder_parent_class)->finalize (object);
}

static void
scope_recorder_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ScopeRecorder *self = SCOPE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_N_EVENTS:
      g_value_set_uint64 (value, self->n_flushed);
      break;

    case PROP_STORED_BYTES:
      g_value_set_uint64 (value, self->stored_bytes);
      break;

    case PROP_TRUNCATED_BYTES:
      g_value_set_uint64 (value, self->truncated_bytes);
      break;

    case PROP_PAYLOAD_CAP:
      g_value_set_uint64 (value, self->payload_cap);
      break;

    case PROP_N_SOCKETS:
      g_value_set_uint (value, scope_recorder_get_n_sockets (self));
      break;

    case PROP_EVENT_LIMIT:
      g_value_set_uint64 (value, self->event_limit);
      break;

    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;

    case PROP_DROPPED_EVENTS:
      g_value_set_uint64 (value, self->dropped_events);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_recorder_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ScopeRecorder *self = SCOPE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_PAYLOAD_CAP:
      scope_recorder_set_payload_cap (self, g_value_get_uint64 (value));
      break;

    case PROP_EVENT_LIMIT:
      scope_recorder_set_event_limit (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A count the recorder keeps: read-only, notified when it says so. */
static GParamSpec *
count_pspec (const char *name)
{
  return g_param_spec_uint64 (name, NULL, NULL, 0, G_MAXUINT64, 0,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
scope_recorder_class_init (ScopeRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = scope_recorder_finalize;
  object_class->get_property = scope_recorder_get_property;
  object_class->set_property = scope_recorder_set_property;

  /* The counts are notified on flush, with the list, not on every append. */
  properties[PROP_N_EVENTS] = count_pspec ("n-events");
  properties[PROP_STORED_BYTES] = count_pspec ("stored-bytes");
  properties[PROP_TRUNCATED_BYTES] = count_pspec ("truncated-bytes");
  properties[PROP_PAYLOAD_CAP] =
    g_param_spec_uint64 ("payload-cap", NULL, NULL, 0, SCOPE_RECORDER_MAX_PAYLOAD_CAP,
                         SCOPE_RECORDER_DEFAULT_PAYLOAD_CAP,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_SOCKETS] =
    g_param_spec_uint ("n-sockets", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EVENT_LIMIT] =
    g_param_spec_uint64 ("event-limit", NULL, NULL, SCOPE_RECORDER_MIN_EVENT_LIMIT,
                         SCOPE_RECORDER_MAX_EVENT_LIMIT, SCOPE_RECORDER_DEFAULT_EVENT_LIMIT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A ScopeRecorderState; with the dropped events, notified on flush. */
  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT,
                       SCOPE_RECORDER_RECORDING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DROPPED_EVENTS] = count_pspec ("dropped-events");
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ScopeRecorder::pending:
   *
   * Without autoflush: events wait for scope_recorder_flush(). Emitted for
   * the first of them only.
   */
  signals[PENDING] =
    g_signal_new ("pending", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}


static void
scope_recorder_init (ScopeRecorder *self)
{
  self->start_us = g_get_monotonic_time ();
  self->start_real_us = g_get_real_time ();
  self->record_chunks = g_ptr_array_new_with_free_func (g_free);
  self->waited_chunks = g_ptr_array_new_with_free_func (g_free);
  self->arena_chunks = g_ptr_array_new_with_free_func (g_free);
  self->payload_cap = SCOPE_RECORDER_DEFAULT_PAYLOAD_CAP;
  self->sockets = g_ptr_array_new_with_free_func (_scope_recorder_socket_entry_free);
  self->live_sockets = g_hash_table_new_full (NULL, NULL, NULL,
                                              _scope_recorder_socket_entry_free);
  self->closed_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  self->event_limit = SCOPE_RECORDER_DEFAULT_EVENT_LIMIT;
  self->socket_limit = SCOPE_RECORDER_DEFAULT_SOCKET_LIMIT;
  self->peer_limit = SCOPE_RECORDER_DEFAULT_PEER_LIMIT;
  self->stopped_us = -1;
  self->call_began_us = -1;
  self->ends = scope_stream_ends_new ();
  self->addresses = g_ptr_array_new_with_free_func (g_free);
  self->address_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->autoflush = TRUE;
}

/**
 * scope_recorder_new:
 *
 * Returns: a recorder that keeps everything, within its limits
 */
ScopeRecorder *
scope_recorder_new (void)
{
  return g_object_new (SCOPE_TYPE_RECORDER, NULL);
}

ScopeRecorder *
scope_recorder_new_with_retention (ScopeRecorderRetention retention)
{
  ScopeRecorder *self;

  g_return_val_if_fail (retention <= SCOPE_RECORDER_KEEP_NOTHING, NULL);

  self = g_object_new (SCOPE_TYPE_RECORDER, NULL);
  self->retention = retention;
  return self;
}

ScopeRecorderRetention
scope_recorder_get_retention (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), SCOPE_RECORDER_KEEP_ALL);

  return self->retention;
}

/**
 * scope_recorder_set_clock:
 * @func: (nullable): returns the time in µs on a clock of its own, or %NULL
 *   for the monotonic clock
 *
 * Events are stamped from @func from now on; the session starts at its
 * present reading. Tests and benchmarks use it to make sessions of a known
 * shape.
 */
void
scope_recorder_set_clock (ScopeRecorder  *self,
                          ScopeClockFunc  func,
                          gpointer        user_data)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));
  g_return_if_fail (self->n_events == 0);

  self->clock_func = func;
  self->clock_data = user_data;
  self->start_us = recorder_clock (self);
}

/**
 * scope_recorder_get_now_us:
 *
 * Returns: the time now, in µs since the session started
 */
gint64
scope_recorder_get_now_us (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return recorder_clock (self) - self->start_us;
}

/**
 * scope_recorder_get_start_real_time:
 *
 * Returns: the wall-clock time the session started, in µs since 1970
 */
gint64
scope_recorder_get_start_real_time (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->start_real_us;
}
