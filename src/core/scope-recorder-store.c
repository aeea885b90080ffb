/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-recorder-private.h"

/* The recorder's store as it is read and emptied: the packed records read
 * back, the events' bytes copied out of the arena, its counts and its
 * payload cap, and both forgotten when events are kept only until flushed.
 * They are written as events are appended (scope-recorder-append.c), in the
 * format of scope-recorder-private.h. */

static void
record_unpack (ScopeRecorder          *self,
               const ScopeEventRecord *packed,
               guint64                 index,
               ScopeRecord            *record)
{
  guint32 waited = *waited_at (self, index);

  record->index = index;
  record->time_us = record_time_us (packed);
  record->arrived_us = waited >= WAITED_UNTOLD ? -1
                       : record->time_us - (waited & ~WAITED_ROUGH);
  record->arrival_untold = waited == WAITED_UNTOLD;
  record->arrival_rough = waited < WAITED_UNTOLD && (waited & WAITED_ROUGH) != 0;
  record->kind = record_kind (packed);
  record->socket_id = packed->socket_id;
  record->size = record->kind == SCOPE_EVENT_ERROR ? 0 : packed->size;
  record->stream_offset = packed->stream_offset;
  record->aux = packed->aux;
  /* A datagram is one arrival; a stream's receive may span several. */
  record->arrived_first_us = record->arrived_us;
  if (record->kind == SCOPE_EVENT_RECV)
    {
      record->arrived_first_us = packed->aux == 0 || record->arrived_us < 0 ? -1
                                 : record->arrived_us - (packed->aux - 1);
      record->aux = 0;
    }
  record->truncated = (packed->time_kind & RECORD_TRUNCATED) != 0;
  record->has_payload = (packed->time_kind & RECORD_HAS_PAYLOAD) != 0
                        && record->kind != SCOPE_EVENT_ERROR;
}

static GBytes *
arena_copy (ScopeRecorder *self,
            guint64        offset,
            gsize          size)
{
  guint8 *out = g_malloc (size ? size : 1);
  gsize done = 0;

  while (done < size)
    {
      guint64 at = offset + done;
      gsize in_chunk = at % ARENA_CHUNK_SIZE;
      gsize n = MIN (size - done, ARENA_CHUNK_SIZE - in_chunk);
      const guint8 *chunk = g_ptr_array_index (self->arena_chunks, at / ARENA_CHUNK_SIZE);

      memcpy (out + done, chunk + in_chunk, n);
      done += n;
    }
  return g_bytes_new_take (out, size);
}

/* Keeping until flushed, once every event kept has been heard of: the
 * records and the payload go. One chunk of each is kept for reuse. */
void
_scope_recorder_store_forget (ScopeRecorder *self)
{
  if (self->record_chunks->len > 0)
    {
      if (self->spare_chunk == NULL)
        self->spare_chunk = g_ptr_array_steal_index (self->record_chunks, 0);
      g_ptr_array_set_size (self->record_chunks, 0);
      if (self->spare_waited == NULL)
        self->spare_waited = g_ptr_array_steal_index (self->waited_chunks, 0);
      g_ptr_array_set_size (self->waited_chunks, 0);
    }
  self->chunk_base = self->base_index = self->n_events;

  if (self->arena_chunks->len > 1)
    g_ptr_array_set_size (self->arena_chunks, 1);
  self->stored_bytes = 0;
}

guint64
scope_recorder_get_n_events (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->n_events;
}

guint64
scope_recorder_get_stored_bytes (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->stored_bytes;
}

guint64
scope_recorder_get_truncated_bytes (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->truncated_bytes;
}

guint64
scope_recorder_get_truncated_events (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->truncated_events;
}

guint64
scope_recorder_get_payload_cap (ScopeRecorder *self)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), 0);

  return self->payload_cap;
}

/**
 * scope_recorder_set_payload_cap:
 * @cap: bytes of payload to keep, at most %SCOPE_RECORDER_MAX_PAYLOAD_CAP
 *
 * Lowering the cap below what is stored keeps what is stored and stores
 * nothing more.
 */
void
scope_recorder_set_payload_cap (ScopeRecorder *self,
                                guint64        cap)
{
  g_return_if_fail (SCOPE_IS_RECORDER (self));

  _scope_recorder_set_and_notify (self, &self->payload_cap,
                                  MIN (cap, SCOPE_RECORDER_MAX_PAYLOAD_CAP), PROP_PAYLOAD_CAP);
}

/**
 * scope_recorder_get_record:
 * @index: of an event appended, flushed or not
 *
 * Returns: whether there is such an event
 */
gboolean
scope_recorder_get_record (ScopeRecorder *self,
                           guint64        index,
                           ScopeRecord   *record)
{
  const ScopeEventRecord *packed;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  packed = record_kept (self, index);
  if (packed == NULL)
    return FALSE;
  record_unpack (self, packed, index, record);
  return TRUE;
}

/**
 * scope_recorder_get_time_us:
 *
 * Returns: when an event happened, in µs since the session started; events
 * come in time order. -1 past the last.
 */
gint64
scope_recorder_get_time_us (ScopeRecorder *self,
                            guint64        index)
{
  const ScopeEventRecord *packed;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), -1);

  packed = record_kept (self, index);
  return packed != NULL ? record_time_us (packed) : -1;
}

/* The arena's bytes of a kept event that has them and is (@error) or is
 * not an error; %NULL otherwise. */
static GBytes *
dup_stored (ScopeRecorder *self,
            guint64        index,
            gboolean       error)
{
  const ScopeEventRecord *packed = record_kept (self, index);

  if (packed == NULL
      || !(packed->time_kind & RECORD_HAS_PAYLOAD)
      || (record_kind (packed) == SCOPE_EVENT_ERROR) != error)
    return NULL;
  return arena_copy (self, packed->payload_offset, packed->size);
}

/**
 * scope_recorder_dup_payload:
 *
 * Returns: (nullable) (transfer full): an event's bytes, or %NULL when it
 * had none or they were past the payload cap
 */
GBytes *
scope_recorder_dup_payload (ScopeRecorder *self,
                            guint64        index)
{
  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  return dup_stored (self, index, FALSE);
}

/**
 * scope_recorder_dup_error_message:
 *
 * Returns: (nullable) (transfer full): for an error event, what went wrong
 */
char *
scope_recorder_dup_error_message (ScopeRecorder *self,
                                  guint64        index)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (self), NULL);

  bytes = dup_stored (self, index, TRUE);
  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}
