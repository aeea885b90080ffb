/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cli-common.h"
#include "cli-events.h"
#include "scope-errors.h"
#include "scope-export.h"
#include "scope-payload.h"

/* --events: every recorded event as one line of JSON (JSON Lines), as it
 * is recorded, for scripts and for a lecturer's headless VM. A server must
 * go on serving whoever reads its output or not: the main loop only ever
 * puts lines in a bounded queue, and a thread of its own writes them. */

struct _CliEvents
{
  ScopeRecorder *recorder;
  gulong         items_handler;
  gulong         dropped_handler;
  gulong         state_handler;
  guint64        recorder_dropped;   /* of the recorder's, already said */

  int            fd;
  gsize          queue_bytes;
  GThread       *thread;

  /* Shared with the writer thread, under the lock */
  GMutex         lock;
  GCond          cond;
  GString       *queue;
  gboolean       writing;      /* the thread is writing a batch out */
  gboolean       closing;
  gboolean       broken;       /* a write failed: nothing more can go */
  int            write_errno;
  guint64        dropped_lines;   /* since the last "dropped" line */
  guint64        dropped_total;
};

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        size,
           int         *errnum)
{
  while (size > 0)
    {
      gssize n = write (fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          *errnum = n < 0 ? errno : EIO;
          return FALSE;
        }
      data += n;
      size -= n;
    }
  return TRUE;
}

static gpointer
writer_main (gpointer data)
{
  CliEvents *self = data;
  GString *batch = g_string_new (NULL);

  g_mutex_lock (&self->lock);
  for (;;)
    {
      GString *swap;
      gboolean ok;
      int errnum = 0;

      while (self->queue->len == 0 && !self->closing)
        g_cond_wait (&self->cond, &self->lock);
      if (self->queue->len == 0)
        break;

      swap = self->queue;
      self->queue = batch;
      batch = swap;
      self->writing = TRUE;
      g_mutex_unlock (&self->lock);

      ok = write_all (self->fd, batch->str, batch->len, &errnum);
      g_string_truncate (batch, 0);

      g_mutex_lock (&self->lock);
      self->writing = FALSE;
      g_cond_broadcast (&self->cond);
      if (!ok)
        {
          self->broken = TRUE;
          self->write_errno = errnum;
          g_string_truncate (self->queue, 0);
          break;
        }
    }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_string_free (batch, TRUE);
  return NULL;
}

/* One line, with its newline, into the queue; or counted, when the queue
 * is full or the output is gone. Before the first line that fits after a
 * run of drops, a line says how many were dropped. */
static void
enqueue (CliEvents  *self,
         const char *line,
         gsize       size)
{
  g_mutex_lock (&self->lock);
  if (!self->broken && self->dropped_lines > 0)
    {
      g_autofree char *note =
        g_strdup_printf ("{\"kind\":\"dropped\",\"count\":%" G_GUINT64_FORMAT ",\"message\":"
                         "\"%" G_GUINT64_FORMAT " lines of events were not written: standard "
                         "output was not read fast enough\"}\n",
                         self->dropped_lines, self->dropped_lines);
      gsize note_size = strlen (note);

      if (self->queue->len + note_size + size <= self->queue_bytes)
        {
          g_string_append_len (self->queue, note, note_size);
          self->dropped_lines = 0;
        }
    }
  if (!self->broken && self->dropped_lines == 0 && self->queue->len + size <= self->queue_bytes)
    {
      g_string_append_len (self->queue, line, size);
      g_cond_signal (&self->cond);
    }
  else
    {
      self->dropped_lines++;
      self->dropped_total++;
    }
  g_mutex_unlock (&self->lock);
}

static void
append_event (GString    *out,
              ScopeEvent *event,
              ScopeRecorder *recorder)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = scope_event_dup_bytes (event);
  g_autofree char *message = scope_event_dup_message (event);
  const ScopeSocketInfo *info = scope_recorder_get_socket (recorder,
                                                           scope_event_get_socket_id (event));
  const char *peer = scope_event_get_peer_address (event);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, (gint64) scope_event_get_index (event));
  json_builder_set_member_name (builder, "time_us");
  json_builder_add_int_value (builder, scope_event_get_time_us (event));
  json_builder_set_member_name (builder, "socket");
  json_builder_add_int_value (builder, scope_event_get_socket_id (event));
  if (info != NULL)
    {
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, info->label);
      json_builder_set_member_name (builder, "local");
      json_builder_add_string_value (builder, info->local_address);
    }
  if (peer != NULL)
    {
      json_builder_set_member_name (builder, "peer");
      json_builder_add_string_value (builder, peer);
    }
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder,
                                 scope_event_kind_to_string (scope_event_get_kind (event)));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) scope_event_get_size (event));
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, (gint64) scope_event_get_stream_offset (event));
  if (scope_event_get_other_socket (event) != 0)
    {
      json_builder_set_member_name (builder, "accepted");
      json_builder_add_int_value (builder, scope_event_get_other_socket (event));
    }
  if (bytes != NULL)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);
      g_autofree char *text = scope_payload_render_text (data, size);

      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, text);
    }
  if (scope_event_get_truncated (event))
    {
      json_builder_set_member_name (builder, "truncated");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_to_gstring (generator, out);
  g_string_append_c (out, '\n');
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  CliEvents  *self)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ScopeEvent) event = g_list_model_get_item (model, i);

      g_string_truncate (line, 0);
      append_event (line, event, SCOPE_RECORDER (model));
      enqueue (self, line->str, line->len);
    }
}

/* Events the recorder could not keep (a limit) are said as they happen. */
static void
on_dropped (ScopeRecorder *recorder,
            GParamSpec    *pspec,
            CliEvents     *self)
{
  guint64 dropped = scope_recorder_get_dropped_events (recorder);
  g_autofree char *line = NULL;

  if (dropped <= self->recorder_dropped)
    return;
  line = g_strdup_printf ("{\"kind\":\"dropped\",\"count\":%" G_GUINT64_FORMAT ",\"message\":"
                          "\"%" G_GUINT64_FORMAT " events past the recorder's limits were "
                          "counted, not kept\"}\n",
                          dropped - self->recorder_dropped, dropped - self->recorder_dropped);
  self->recorder_dropped = dropped;
  enqueue (self, line, strlen (line));
}

static void
on_state (ScopeRecorder *recorder,
          GParamSpec    *pspec,
          CliEvents     *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) line = NULL;
  g_autofree char *words = NULL;

  if (scope_recorder_get_state (recorder) == SCOPE_RECORDER_RECORDING)
    return;
  words = scope_export_describe_stop_english (recorder);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "stopped");
  json_builder_set_member_name (builder, "time_us");
  json_builder_add_int_value (builder, scope_recorder_get_stopped_us (recorder));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, words);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  line = g_string_new (NULL);
  json_generator_to_gstring (generator, line);
  g_string_append_c (line, '\n');
  enqueue (self, line->str, line->len);
}

CliEvents *
cli_events_follow (ScopeRecorder *recorder,
                   int            fd,
                   gsize          queue_bytes)
{
  CliEvents *self = g_new0 (CliEvents, 1);

  self->recorder = g_object_ref (recorder);
  self->fd = fd;
  self->queue_bytes = queue_bytes;
  self->queue = g_string_new (NULL);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->thread = g_thread_new ("events", writer_main, self);
  self->items_handler = g_signal_connect (recorder, "items-changed",
                                          G_CALLBACK (on_items_changed), self);
  self->dropped_handler = g_signal_connect (recorder, "notify::dropped-events",
                                            G_CALLBACK (on_dropped), self);
  self->state_handler = g_signal_connect (recorder, "notify::state", G_CALLBACK (on_state), self);
  return self;
}

gboolean
cli_events_finish (CliEvents *self,
                   guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean drained;
  guint64 dropped;
  gsize left;
  int errnum;

  g_signal_handler_disconnect (self->recorder, self->items_handler);
  g_signal_handler_disconnect (self->recorder, self->dropped_handler);
  g_signal_handler_disconnect (self->recorder, self->state_handler);
  g_clear_object (&self->recorder);

  g_mutex_lock (&self->lock);
  self->closing = TRUE;
  g_cond_broadcast (&self->cond);
  while ((self->queue->len > 0 || self->writing) && !self->broken)
    if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
      break;
  drained = self->queue->len == 0 && !self->writing && !self->broken;
  dropped = self->dropped_total;
  left = self->queue->len;
  errnum = self->write_errno;
  g_mutex_unlock (&self->lock);

  if (dropped > 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, dropped);
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is a number of lines */
                                           "sockscope-cli: %s line of events was dropped: "
                                           "standard output was not read fast enough\n",
                                           "sockscope-cli: %s lines of events were dropped: "
                                           "standard output was not read fast enough\n",
                                           (gulong) MIN (dropped, G_MAXULONG)), count);
      g_printerr ("%s", text);
    }
  if (errnum == EPIPE)
    g_printerr (_("sockscope-cli: the events could not all be written: the program reading "
                  "standard output has ended (EPIPE)\n"));
  else if (errnum != 0)
    {
      g_autofree char *words = scope_errno_describe (errnum);

      /* Translators: %s says what went wrong, in words, then the errno name */
      g_printerr (_("sockscope-cli: the events could not be written: %s\n"), words);
    }
  if (!drained && errnum == 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, left);

      /* Translators: %s is a number of bytes; standard output was not
       * read, and the program ends without waiting any longer */
      g_printerr (_("sockscope-cli: %s bytes of events were not written: nobody read "
                    "standard output\n"), count);
      /* The thread may be blocked in write() for good: it goes with the
       * process, and so does what it holds. */
      return FALSE;
    }

  g_thread_join (self->thread);
  g_string_free (self->queue, TRUE);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
  return dropped == 0 && errnum == 0;
}
