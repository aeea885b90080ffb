/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "scope-timeline-private.h"

/* The words on the timeline: the placer's plan (scope-timeline-placer.c)
 * made from the view, shown as child labels of the timeline, and painted
 * into the exported image from the same plan, so that slides match the
 * screen. Labels, not text drawn in the snapshot: GTK 4.8 gives an
 * accessibility client no children of a widget that are not widgets, and
 * a screen reader, or a test, reads each word and where it is.
 *
 * The labels are a pool, made as the plan first needs them and hidden when
 * it needs fewer; a label's text and attributes are set only when they
 * change, so that a view that follows a flood of events relabels little. */

/* Measured once while the type stays: a view that follows a flood places
 * the same lane names, times and counts frame after frame. */
#define MEASURED_MAX 1024

typedef struct
{
  int width;
  int height;
} Measured;

static double
measure_text (const char *text,
              gboolean    bold,
              double     *height,
              gpointer    user_data)
{
  ScopeTimeline *self = user_data;
  g_autofree char *key = g_strdup_printf ("%c%s", bold ? 'b' : 'r', text);
  Measured *known = g_hash_table_lookup (self->measured, key);

  if (known == NULL)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

      if (bold)
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
        }
      known = g_new (Measured, 1);
      pango_layout_get_pixel_size (layout, &known->width, &known->height);
      g_object_unref (layout);
      if (g_hash_table_size (self->measured) >= MEASURED_MAX)
        g_hash_table_remove_all (self->measured);
      g_hash_table_insert (self->measured, g_steal_pointer (&key), known);
    }
  *height = known->height;
  return known->width;
}

/* At most this many bands' ink is minded, the first sends' in view: a
 * view of more has its counts grouped by then. */
#define MAX_BANDS_MINDED 256

/* What the first event of lane @row past the view's right edge is, its
 * readiness and its buffers' steps aside; NULL when there is none. After
 * S14 the Disconnect came past it, and the lane running on to the edge
 * looked connected still (the sixteenth trial). */
static const char *
later_event (ScopeTimeline *self,
             guint          row,
             double         width)
{
  guint n = scope_stream_get_lane_n_events (self->stream, row);

  for (guint k = scope_timeline_lane_find_time (self, row, scope_timeline_x_to_time (self, width));
       k < n && k < G_MAXUINT - 1; k++)
    {
      ScopeRecord record;

      if (!scope_recorder_get_record (self->recorder, scope_timeline_lane_event (self, row, k),
                                      &record))
        break;
      if (record.kind != SCOPE_EVENT_READABLE && record.kind != SCOPE_EVENT_QUEUE
          && record.kind != SCOPE_EVENT_UNREAD)
        return scope_event_kind_to_string (record.kind);
    }
  return NULL;
}

/* An accept's line down to its connection's lane, and the diamond that
 * begins it there: through S17's counts, "3× recv" read "3 × recv" with
 * a bar for its "3" (the fifteenth trial). */
static void
accepted_ink (ScopeTimeline              *self,
              const ScopeTimelineMetrics *m,
              const ScopeRecord          *record,
              double                      listener_mid,
              GArray                     *glyphs)
{
  ScopeRecord begun = *record;
  graphene_rect_t line, diamond;
  double x, mid;
  guint row;

  if (!scope_timeline_accept_mark (self, record, &row, &x, &mid))
    return;
  line = GRAPHENE_RECT_INIT (x - m->line_width, MIN (mid, listener_mid), 2 * m->line_width,
                             fabs (mid - listener_mid));
  /* Drawn as a connect's glyph */
  begun.kind = SCOPE_EVENT_CONNECT;
  scope_timeline_mark_ink (m, &begun, x, mid, &diamond);
  g_array_append_val (glyphs, line);
  g_array_append_val (glyphs, diamond);
}

/* The port a datagram came from, where no socket of ours sent it: S13's
 * lesson is the port the system chose for the notes' client, which has no
 * lane; the trial read it only in the inspector (the fifteenth). 0 for
 * any other event. */
static guint16
stranger_port (ScopeTimeline     *self,
               const ScopeRecord *record,
               GArray            *links)
{
  const char *peer, *colon;
  guint64 port;

  if (record->kind != SCOPE_EVENT_RECVFROM)
    return 0;
  g_array_set_size (links, 0);
  scope_stream_collect_links (self->stream, record->index, links);
  if (links->len > 0
      || (peer = scope_recorder_get_record_peer (self->recorder, record->index)) == NULL
      || (colon = strrchr (peer, ':')) == NULL
      || !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL))
    return 0;
  /* Not one of ours whose send was left out of the session (New Session
   * while its datagrams waited unread): its lane names it (the review) */
  for (guint row = 0; row < scope_stream_get_n_lanes (self->stream); row++)
    {
      const ScopeSocketInfo *info = scope_recorder_get_socket (
        self->recorder, scope_stream_get_lane_socket (self->stream, row));

      if (info != NULL && g_strcmp0 (info->local_address, peer) == 0)
        return 0;
    }
  return (guint16) port;
}

/* The bars on screen of the lanes on screen that are not too dense for a
 * mark each, and the ink of their other marks, glyphs, whiskers and the
 * bands from their sends, which the counts keep clear of. */
static void
collect_marks (ScopeTimeline *self,
               double         width,
               GArray        *lanes,
               GArray        *marks,
               GArray        *glyphs,
               GArray        *band_ink,
               GArray        *calls,
               GPtrArray     *names)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (ScopeStreamLink));
  g_autoptr(GArray) given = g_array_new (FALSE, FALSE, sizeof (ScopeStreamLink));
  g_autoptr(GArray) bands = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineLink));

  for (guint i = 0; i < lanes->len; i++)
    {
      guint row = g_array_index (lanes, ScopeTimelinePlacerLane, i).lane;
      double mid = scope_timeline_row_middle (self, row);
      guint lo, hi;

      if (scope_timeline_lane_range (self, row, width, &lo, &hi))
        continue;
      for (guint p = lo; p < hi; p++)
        {
          ScopeRecord record;
          ScopeTimelinePlacerMark mark = { .lane = i };
          graphene_rect_t ink, whisker, strokes[2];

          scope_recorder_get_record (self->recorder, scope_timeline_lane_event (self, row, p),
                                     &record);
          /* The queue is a band, not a mark: its words lie on it. */
          if (record.kind == SCOPE_EVENT_QUEUE || record.kind == SCOPE_EVENT_UNREAD)
            continue;
          mark.event = (gint64) record.index;
          mark.kind = record.kind;
          mark.size = record.size;
          mark.x = scope_timeline_record_x (self, &record);
          /* A run drawn as a dense lane's: its words group, and keep clear of
           * its bars, each as tall as the run's bytes could make it */
          if (scope_timeline_record_grouped (self, &record, NULL))
            {
              graphene_rect_t column = GRAPHENE_RECT_INIT (floor (mark.x / m.mark_width)
                                                           * m.mark_width - m.mark_width,
                                                           mid - m.half_height,
                                                           3 * m.mark_width,
                                                           2 * m.half_height);

              g_array_append_val (glyphs, column);
            }
          mark.stranger_port = stranger_port (self, &record, given);
          if (!scope_timeline_record_is_bar (&record))
            {
              scope_timeline_mark_ink (&m, &record, mark.x, mid, &ink);
              /* A zero-byte read is counted too, "0 bytes", the notes'
               * words: its circle alone said nothing of S15's end (the
               * seventh trial). */
              if (record.kind == SCOPE_EVENT_RECV && record.size == 0)
                {
                  mark.bar = ink;
                  g_array_append_val (marks, mark);
                }
              else
                g_array_append_val (glyphs, ink);
              /* The same calls at the same time, one glyph, say how many:
               * "6× accept" (one diamond for S17's six was read as one) */
              if (scope_timeline_record_calls (self, &record) > 1)
                {
                  char *name = g_strdup_printf ("%u× %s",
                                                scope_timeline_record_calls (self, &record),
                                                scope_event_kind_to_string (record.kind));
                  ScopeTimelinePlacerCall call = {
                    .lane = i, .event = (gint64) record.index, .name = name, .ink = ink,
                  };

                  g_ptr_array_add (names, name);
                  g_array_append_val (calls, call);
                }
              /* S15's shutdown, named: a tick alone said nothing of what
               * made the server's zero-byte read (the seventeenth trial).
               * Ours is always of the writing side, the notes'
               * s.shutdown(socket.SHUT_WR). */
              if (record.kind == SCOPE_EVENT_SHUTDOWN)
                {
                  ScopeTimelinePlacerCall call = {
                    .lane = i, .event = (gint64) record.index, .name = "shutdown(SHUT_WR)",
                    .ink = ink,
                  };

                  g_array_append_val (calls, call);
                }
              accepted_ink (self, &m, &record, mid, glyphs);
              continue;
            }
          scope_timeline_mark_bounds (&m, &record, mark.x, mid, &mark.bar);
          g_array_append_val (marks, mark);
          if (scope_timeline_whisker_bounds (self, &record, &mark.bar, &whisker))
            {
              scope_timeline_whisker_strokes (&whisker, m.line_width, strokes);
              g_array_append_vals (glyphs, strokes, G_N_ELEMENTS (strokes));
            }
          if (scope_event_kind_is_send (record.kind) && bands->len < MAX_BANDS_MINDED)
            scope_timeline_collect_links (self, record.index, links, bands);
        }
    }
  for (guint i = 0; i < bands->len; i++)
    scope_timeline_band_ink (&g_array_index (bands, ScopeTimelineLink, i), m.line_width,
                             band_ink);
}

/* A run of closed sockets' strips, folded together, says what it is: the
 * trials saw unnamed grey strips with slivers of marks. A name with no
 * lane (G_MAXUINT), on a run as tall as a line of it (the rows are laid
 * out so), after the lanes' marks are collected, so that it holds none. */
#define FOLDED_RUN_NAMED 1

static void
add_folded_runs (ScopeTimeline *self,
                 double         height,
                 GArray        *lanes,
                 GPtrArray     *names)
{
  guint n_rows = scope_timeline_get_n_lanes (self);

  for (guint row = 0; row < n_rows;)
    {
      guint end = row;
      ScopeTimelinePlacerLane lane = { .lane = G_MAXUINT };

      while (end < n_rows && scope_timeline_row_is_folded (self, end))
        end++;
      if (end - row >= FOLDED_RUN_NAMED && scope_timeline_row_is_visible (self, row, height))
        {
          lane.top = scope_timeline_row_top (self, row) - 2;
          lane.mid = lane.top;
          /* Translators: the strips of closed sockets, folded together on
           * the timeline; a click on one opens it */
          lane.name = g_strdup_printf (ngettext ("%u closed socket", "%u closed sockets",
                                                 end - row), end - row);
          g_ptr_array_add (names, (char *) lane.name);
          g_array_append_val (lanes, lane);
        }
      row = MAX (end, row + 1);
    }
}

/**
 * scope_timeline_plan:
 *
 * Returns: (transfer full): the words of the view at @width × @height,
 * of ScopeTimelineWord
 */
GArray *
scope_timeline_plan (ScopeTimeline *self,
                     double         width,
                     double         height)
{
  ScopeTimelineMetrics m = scope_timeline_get_metrics (self);
  g_autoptr(GArray) lanes = g_array_new (FALSE, FALSE, sizeof (ScopeTimelinePlacerLane));
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (ScopeTimelinePlacerMark));
  g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_autoptr(GArray) band_ink = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (ScopeTimelineQueueStep));
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (ScopeTimelinePlacerCall));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *origin_name = NULL;
  ScopeTimelinePlacerInput in = {
    .m = &m, .width = width, .height = height, .start_us = self->start_us,
    .scale = self->scale, .selected = self->selected, .measure = measure_text,
    .measure_data = self,
  };
  gint64 stopped;

  if (self->recorder == NULL)
    return scope_timeline_place (&in);
  for (guint row = 0; row < scope_timeline_get_n_lanes (self); row++)
    {
      ScopeTimelinePlacerLane lane = { .lane = row };
      guint lo, hi;

      /* Under the view, or over it, or their most, with events in its
       * time */
      if (!scope_timeline_row_is_folded (self, row))
        {
          double middle = scope_timeline_row_top (self, row) + m.lane_height / 2;

          /* (the events of those in view are not looked for here) */
          if ((middle > height || middle < m.axis_height)
              && (scope_timeline_lane_range (self, row, width, &lo, &hi), hi > lo))
            {
              in.lanes_below += middle > height;
              in.lanes_above += middle < m.axis_height;
            }
        }
      /* A folded lane's strip holds no words. */
      if (!scope_timeline_row_is_visible (self, row, height)
          || scope_timeline_row_is_folded (self, row))
        continue;
      lane.top = scope_timeline_row_top (self, row);
      lane.mid = scope_timeline_row_middle (self, row);
      lane.name = scope_timeline_dup_lane_label (self, row);
      lane.later = later_event (self, row, width);
      g_ptr_array_add (names, (char *) lane.name);
      g_array_append_val (lanes, lane);
    }
  collect_marks (self, width, lanes, marks, glyphs, band_ink, calls, names);
  for (guint i = 0; i < lanes->len; i++)
    {
      guint first = queue->len;

      scope_timeline_queue_steps (self, g_array_index (lanes, ScopeTimelinePlacerLane, i).lane,
                                  width, queue);
      for (guint q = first; q < queue->len; q++)
        g_array_index (queue, ScopeTimelineQueueStep, q).lane = i;
    }
  add_folded_runs (self, height, lanes, names);
  in.queue = (const ScopeTimelineQueueStep *) (gpointer) queue->data;
  in.n_queue = queue->len;
  in.calls = (const ScopeTimelinePlacerCall *) (gpointer) calls->data;
  in.n_calls = calls->len;
  in.lanes = (const ScopeTimelinePlacerLane *) (gpointer) lanes->data;
  in.n_lanes = lanes->len;
  in.marks = (const ScopeTimelinePlacerMark *) (gpointer) marks->data;
  in.n_marks = marks->len;
  in.glyphs = (const graphene_rect_t *) (gpointer) glyphs->data;
  in.n_glyphs = glyphs->len;
  in.bands = (const graphene_rect_t *) (gpointer) band_ink->data;
  in.n_bands = band_ink->len;
  in.relative = scope_timeline_axis_origin (self, &in.origin_us, &origin_name);
  in.origin_name = origin_name;
  stopped = scope_recorder_get_stopped_us (self->recorder);
  if (stopped >= 0)
    {
      in.stop_text = _("Recording stopped");
      in.stop_x = scope_timeline_time_to_x (self, stopped);
    }
  return scope_timeline_place (&in);
}

static const GdkRGBA *
ink_color (const ScopeTimelinePalette *p,
           ScopeTimelineInk            ink)
{
  switch (ink)
    {
    case SCOPE_TIMELINE_INK_SEND:
      return &p->send;
    case SCOPE_TIMELINE_INK_RECV:
      return &p->recv;
    case SCOPE_TIMELINE_INK_ERROR:
      return &p->error;
    case SCOPE_TIMELINE_INK_FG:
    default:
      return &p->fg;
    }
}

/* The timeline's own type (larger in projector mode), the word's weight
 * and colour: a label draws as the image does, whatever the style sheet
 * says of labels. */
static PangoAttrList *
word_attributes (ScopeTimeline           *self,
                 const ScopeTimelineWord *word)
{
  const GdkRGBA *c = ink_color (scope_timeline_get_palette (self), word->ink);
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs,
                          pango_attr_font_desc_new (pango_context_get_font_description (context)));
  if (word->bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_foreground_new (c->red * 65535, c->green * 65535,
                                                            c->blue * 65535));
  if (c->alpha < 1)
    pango_attr_list_insert (attrs, pango_attr_foreground_alpha_new (c->alpha * 65535));
  return attrs;
}

static GtkWidget *
pooled_label (ScopeTimeline *self,
              guint          i)
{
  GtkWidget *label;

  if (i < self->labels->len)
    return g_ptr_array_index (self->labels, i);
  label = gtk_label_new (NULL);
  gtk_widget_add_css_class (label, "scope-timeline-label");
  /* Clicks and the tooltip are the timeline's: a count lies beside its
   * mark, not over it, and picking reads the marks. */
  gtk_widget_set_can_target (label, FALSE);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_parent (label, GTK_WIDGET (self));
  g_ptr_array_add (self->labels, label);
  return label;
}

/* The words of the view as it is now: the labels take their texts, type
 * and colours here, in the frame's update phase, never in the allocation,
 * where a label's new text would ask its ancestors for a new size after
 * they were given theirs ("Trying to snapshot GtkScrolledWindow without a
 * current allocation"). The allocation then only moves them. */
static gboolean
update_words (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);
  int width, height;
  GArray *plan;
  gboolean restyle = !self->words_styled;
  guint i;

  self->words_tick = 0;
  /* The events recorded since the last flush first: the page flushes in a
   * frame callback of its own, which may come after this one, and the
   * marks drawn in this frame would show them where the words were placed
   * without them (the twelfth trial saw such a frame in S17: new lanes
   * unnamed, the queue's words on the lane below). And the view eased to
   * this frame. Placed now, they need no other frame. */
  if (self->recorder != NULL)
    scope_recorder_flush (self->recorder);
  scope_timeline_ease_to_frame (self);
  if (self->words_tick != 0)
    gtk_widget_remove_tick_callback (widget, self->words_tick);
  self->words_tick = 0;
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  plan = scope_timeline_plan (self, width, height);
  for (i = 0; i < plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (plan, ScopeTimelineWord, i);
      const ScopeTimelineWord *was = self->plan != NULL && i < self->plan->len
                                     ? &g_array_index (self->plan, ScopeTimelineWord, i) : NULL;
      GtkWidget *label = pooled_label (self, i);

      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), word->text) != 0)
        gtk_label_set_text (GTK_LABEL (label), word->text);
      if (restyle || was == NULL || was->ink != word->ink || was->bold != word->bold)
        {
          PangoAttrList *attrs = word_attributes (self, word);

          gtk_label_set_attributes (GTK_LABEL (label), attrs);
          pango_attr_list_unref (attrs);
        }
      gtk_label_set_ellipsize (GTK_LABEL (label),
                               word->ellipsized ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
      gtk_widget_set_visible (label, TRUE);
    }
  for (; i < self->labels->len; i++)
    /* Hidden, not only unmapped: an accessibility client would still read
     * a child-invisible label's text where it last was. */
    gtk_widget_set_visible (g_ptr_array_index (self->labels, i), FALSE);
  g_clear_pointer (&self->plan, g_array_unref);
  self->plan = plan;
  self->plan_width = width;
  self->plan_height = height;
  self->words_styled = TRUE;
  gtk_widget_queue_allocate (widget);
  /* While the view eases, the words come first at the next frame too, and
   * ease it there: asked for by the easing's own callback, they would come
   * a frame later, every other frame. */
  if (self->ease_tick != 0)
    scope_timeline_request_words (self);
  return G_SOURCE_REMOVE;
}

/* The words are placed again at the next frame. */
void
scope_timeline_request_words (ScopeTimeline *self)
{
  if (self->words_tick == 0 && self->labels != NULL)
    self->words_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_words, NULL,
                                                     NULL);
}

gboolean
scope_timeline_words_pending (ScopeTimeline *self)
{
  return self->words_tick != 0;
}

/* The labels where the plan puts them. A new size asks for a new plan,
 * at the next frame. */
void
scope_timeline_allocate_words (ScopeTimeline *self,
                               int            width,
                               int            height)
{
  if (width != self->plan_width || height != self->plan_height)
    scope_timeline_request_words (self);
  for (guint i = 0; self->plan != NULL && i < self->plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (self->plan, ScopeTimelineWord, i);
      GtkWidget *label = g_ptr_array_index (self->labels, i);
      int min, nat;

      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      gtk_widget_size_allocate (label,
                                &(GtkAllocation) { word->rect.origin.x, word->rect.origin.y,
                                                   MAX (min, word->rect.size.width),
                                                   word->rect.size.height },
                                -1);
    }
}

/* The colours or the type changed: each label takes them at the next
 * allocation. */
void
scope_timeline_restyle_words (ScopeTimeline *self)
{
  self->words_styled = FALSE;
  g_hash_table_remove_all (self->measured);
  scope_timeline_request_words (self);
}

#define WORD_GROUND 3   /* pixels of a lane's ground around its name */

/* Under a lane's name, its lane's own ground: the bands and lines that
 * cross the name pass under it. Through it, "client 127.0.0.1:35486"
 * read with a band across its address (the sixteenth trial). So under a
 * count that has no place by its bars but over a band: S11's receives,
 * the echo's bands leaving beside them, a count further off read as a
 * band's (the seventeenth trial). */
static void
word_ground (ScopeTimeline           *self,
             GtkSnapshot             *snapshot,
             const ScopeTimelineWord *word)
{
  const ScopeTimelinePalette *p = scope_timeline_get_palette (self);
  graphene_rect_t ground;

  if (word->kind != SCOPE_TIMELINE_WORD_LANE && !word->grounded)
    return;
  /* A count's ground no wider than the gap to its bars: it sits that
   * near, and a wider one painted over a pixel of them (the review) */
  if (word->kind == SCOPE_TIMELINE_WORD_LANE)
    graphene_rect_inset_r (&word->rect, -WORD_GROUND, -WORD_GROUND / 2, &ground);
  else
    graphene_rect_inset_r (&word->rect, -1, -1, &ground);
  gtk_snapshot_append_color (snapshot, &p->bg, &ground);
  if (word->lane % 2 == 0)
    gtk_snapshot_append_color (snapshot, &p->lane, &ground);
}

void
scope_timeline_snapshot_words (ScopeTimeline *self,
                               GtkSnapshot   *snapshot)
{
  for (guint i = 0; self->plan != NULL && i < self->plan->len && i < self->labels->len; i++)
    {
      word_ground (self, snapshot, &g_array_index (self->plan, ScopeTimelineWord, i));
      gtk_widget_snapshot_child (GTK_WIDGET (self), g_ptr_array_index (self->labels, i), snapshot);
    }
}

void
scope_timeline_dispose_words (ScopeTimeline *self)
{
  if (self->words_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->words_tick);
  self->words_tick = 0;
  if (self->labels != NULL)
    {
      for (guint i = 0; i < self->labels->len; i++)
        gtk_widget_unparent (g_ptr_array_index (self->labels, i));
      g_clear_pointer (&self->labels, g_ptr_array_unref);
    }
  g_clear_pointer (&self->plan, g_array_unref);
}

/* The plan painted, for the image: the same words where the labels are. */
void
scope_timeline_words_paint (ScopeTimelinePainter *painter,
                            GArray               *plan)
{
  for (guint i = 0; i < plan->len; i++)
    {
      const ScopeTimelineWord *word = &g_array_index (plan, ScopeTimelineWord, i);

      word_ground (painter->self, painter->snapshot, word);
      scope_timeline_painter_word (painter, word->text, ink_color (painter->p, word->ink),
                                   &word->rect, word->bold, word->ellipsized);
    }
}

void
scope_timeline_empty_snapshot (ScopeTimelinePainter *painter)
{
  GdkRGBA dim;

  if (scope_timeline_get_n_lanes (painter->self) > 0)
    return;
  dim = scope_timeline_with_alpha (painter->p->fg, 0.6);
  scope_timeline_painter_text (painter, _("No socket events yet: start a server, or connect "
                                          "the client."),
                               &dim, painter->m->pad, painter->m->axis_height + painter->m->pad,
                               FALSE);
}
