/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the timeline's satellite files share: the view's state, its
 * coordinates (time ↔ x, lane ↔ y), its metrics and colours, and the
 * layers it is drawn in. Each layer snapshots itself from the stream model
 * and these coordinates; a new mark or overlay is one layer's change. */

#include <cairo.h>
#include <adwaita.h>

#include "scope-timeline.h"

G_BEGIN_DECLS

#define SCOPE_TIMELINE_MAX_LINKS_DRAWN  4000
#define SCOPE_TIMELINE_MIN_SCALE        0.01          /* µs per pixel */
#define SCOPE_TIMELINE_MAX_SCALE        1e10
#define SCOPE_TIMELINE_NOT_SELECTED     (-1)
#define SCOPE_TIMELINE_FOLDED_HEIGHT    12            /* a closed connection's strip */
/* How far the latest exchange's lanes may be squeezed, of their height:
 * in projector mode's 150 px lanes, to 90 (bars of 22 px); at a desk's 72,
 * to 58 (bars of 16) */
#define SCOPE_TIMELINE_LANE_SQUEEZE_MIN(projector) ((projector) ? 0.6 : 0.8)

typedef struct
{
  double axis_height;
  double lane_height;
  double label_height;
  double half_height;   /* the tallest bar, from the middle of a lane */
  double min_bar;
  double mark_width;
  double pad;
  double right_pad;     /* room for the newest event's byte count */
  double tick_spacing;
  double line_width;
} ScopeTimelineMetrics;

/* The named colours of the style sheet (style.css), read once per change
 * of style rather than in every frame. */
typedef struct
{
  GdkRGBA fg;
  GdkRGBA bg;
  GdkRGBA send;
  GdkRGBA recv;
  GdkRGBA error;
  GdkRGBA accent;
  GdkRGBA lane;
  GdkRGBA grid;
  GdkRGBA link;
  GdkRGBA link_selected;
} ScopeTimelinePalette;

/* The view the marks were laid side by side for (scope-timeline-fan.c):
 * doubles and 64-bit counts alone, compared as bytes */
typedef struct
{
  double  start_us;
  double  scale;
  double  width;
  double  half_height;
  double  mark_width;
  guint64 n_events;
  guint64 n_lanes;
} ScopeTimelineFanKey;

struct _ScopeTimeline
{
  GtkWidget parent_instance;

  ScopeRecorder *recorder;
  ScopeStream   *stream;
  guint          measured_rows;   /* the lanes the last measure counted */
  double         measured_height; /* and their height */
  gint64         end_us;          /* the last event's time, or where recording stopped */

  double         start_us;     /* the time at the left padding */
  double         scale;        /* µs per pixel */
  gint64         selected;
  guint          follow : 1;
  guint          auto_fit : 1;
  guint          exchange : 1;     /* following the latest exchange */
  guint          projector : 1;
  guint          updating_adjustments : 1;
  guint          palette_valid : 1;
  guint          words_styled : 1;
  guint          user_vscrolled : 1;   /* since F, or the exchange it was in, new lanes do
                                        * not scroll the view */
  guint          held : 1;             /* following, held still for the selection */
  guint          held_exchange : 1;    /* and it followed the latest exchange */
  guint          rows_valid : 1;

  gint64         vscrolled_until_us; /* the latest exchange's end when the user scrolled */
  GArray        *row_tops;     /* double: each row's top below the axis, and the end */
  GArray        *row_folded;   /* gboolean: a closed connection older than the exchange */
  GArray        *row_strips;   /* double: a folded row's strip's height, or 0 */
  GHashTable    *unfolded;     /* the sockets the user unfolded */
  GHashTable    *measured;     /* a word's size in the timeline's type, by text */

  GPtrArray     *labels;       /* GtkLabel: the words' pool, children of the timeline */
  GArray        *plan;         /* ScopeTimelineWord: what the labels show */
  int            plan_width;   /* the size it was placed for */
  int            plan_height;
  guint          words_tick;   /* the words are placed again at the next frame */
  guint          accessible_timeout;   /* the description is said again then */
  guint          waiting_timeout;      /* a queue's band grows to now */
  gint64         accessible_said_us;   /* when it was last said */

  ScopeTimelinePalette palette;
  GSimpleActionGroup  *actions;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;

  double         drag_hvalue;
  double         drag_vvalue;
  double         pointer_x;
  double         zoom_scale;   /* at the start of a pinch */

  /* Easing to the latest exchange: from one view to another */
  int            view_width;   /* the width the view was last fitted to */
  int            view_height;  /* and the height the lanes were last stretched to */
  double         lane_height;  /* an open lane's, in whole pixels: the metrics', or more */
  guint          ease_tick;
  guint          lanes_tick;   /* the exchange's lanes shown, at the next frame */
  gint64         ease_begin;   /* frame time, or 0 before the first frame */
  gint64         ease_stepped; /* the frame time the view was last eased to */
  double         ease_from_start;
  double         ease_from_scale;
  double         ease_to_start;
  double         ease_to_scale;

  /* Marks side by side where they would cover one another */
  GHashTable         *fans;      /* row + 1 → its marks' x, for the view of fan_key */
  ScopeTimelineFanKey fan_key;
  double              fan_width; /* an image's width while it is drawn, else 0 */
  double              fan_overhang;          /* the furthest a mark of the latest exchange
                                              * was laid past its time, in px */
  gint64              fan_overhang_exchange; /* that exchange's start */
  double              fan_overhang_width;    /* and the marks' width then */
};

/* scope-timeline-placer.c: every word on the timeline, placed so that
 * none covers another */
#define SCOPE_TIMELINE_MAX_WORDS 64

typedef enum
{
  SCOPE_TIMELINE_WORD_LANE,     /* a lane's name */
  SCOPE_TIMELINE_WORD_COUNT,    /* one mark's bytes */
  SCOPE_TIMELINE_WORD_GROUP,    /* marks too close to tell apart: "3 recv · 43 bytes" */
  SCOPE_TIMELINE_WORD_QUEUE,    /* a listener's accept queue */
  SCOPE_TIMELINE_WORD_TICK,     /* a time on the axis */
  SCOPE_TIMELINE_WORD_ORIGIN,   /* what the axis' times count from */
  SCOPE_TIMELINE_WORD_STOP,     /* where recording stopped */
  SCOPE_TIMELINE_WORD_LATER,    /* a lane's events past the view's right edge: "close →" */
  SCOPE_TIMELINE_WORD_CALL,     /* a call said by name beside its mark: "shutdown(SHUT_WR)" */
  SCOPE_TIMELINE_WORD_BELOW,    /* lanes below the view with events in its time: "↓ 2 more lanes",
                                 * or above it: "↑ 1 more lane" */
} ScopeTimelineWordKind;

typedef enum
{
  SCOPE_TIMELINE_INK_FG,
  SCOPE_TIMELINE_INK_SEND,
  SCOPE_TIMELINE_INK_RECV,
  SCOPE_TIMELINE_INK_ERROR,
} ScopeTimelineInk;

typedef struct
{
  char                  *text;
  graphene_rect_t        rect;
  ScopeTimelineWordKind  kind;
  ScopeTimelineInk       ink;
  guint                  lane;       /* the row, or G_MAXUINT on the axis */
  gint64                 event;      /* a count's first event, or -1 */
  double                 anchor;     /* a tick's x */
  gboolean               bold;
  gboolean               ellipsized; /* shortened to the width there is */
  gboolean               grounded;   /* a count over a band: on its lane's ground */
} ScopeTimelineWord;

typedef struct
{
  guint       lane;   /* its row */
  double      top;
  double      mid;
  const char *name;
  const char *later;  /* what its first event past the view's right edge is, or NULL */
} ScopeTimelinePlacerLane;

/* A listener's accept queue from one change to the next, or a stream's
 * bytes waiting unread (S14, reading paused) */
typedef struct
{
  guint    lane;      /* index into the placer input's lanes, or the row */
  gint64   event;
  double   x0;
  double   x1;
  guint    waiting;   /* connections, or bytes */
  guint    limit;     /* the backlog, or the receive buffer's size */
  gboolean unread;    /* bytes unread, not connections */
  guint    datagrams; /* on a datagram socket, how many datagrams those bytes are */
  gboolean current;   /* the queue as it is now: its last step, while some wait */
} ScopeTimelineQueueStep;

typedef struct
{
  guint           lane;    /* index into the input's lanes */
  gint64          event;
  ScopeEventKind  kind;
  guint64         size;
  double          x;
  graphene_rect_t bar;
  guint16         stranger_port;  /* a datagram's from a program not ours, or 0 */
} ScopeTimelinePlacerMark;

/* A call said by name beside its glyph, where there is room: S15's
 * shutdown, a tick no one could name (the seventeenth trial) */
typedef struct
{
  guint           lane;    /* index into the input's lanes */
  gint64          event;
  const char     *name;
  graphene_rect_t ink;
} ScopeTimelinePlacerCall;

/* Returns the width of @text as drawn, and its height in @height. */
typedef double (*ScopeTimelineMeasure) (const char *text,
                                        gboolean    bold,
                                        double     *height,
                                        gpointer    user_data);

typedef struct
{
  const ScopeTimelineMetrics    *m;
  double                         width;
  double                         height;
  double                         start_us;      /* the time at x = m->pad */
  double                         scale;         /* µs per pixel */
  gboolean                       relative;      /* the axis counts from origin_us; FALSE: no
                                                 * event, and no time said */
  double                         origin_us;
  const char                    *origin_name;
  const ScopeTimelinePlacerLane *lanes;         /* those on screen, top to bottom */
  guint                          n_lanes;
  const ScopeTimelinePlacerMark *marks;         /* bars on screen, by lane, left to right */
  guint                          n_marks;
  const graphene_rect_t         *glyphs;        /* the other marks' ink on screen: glyphs,
                                                 * whiskers; counts keep clear of it */
  guint                          n_glyphs;
  const graphene_rect_t         *bands;         /* the bands' ink, piece by piece: a count
                                                 * keeps clear of it where it can */
  guint                          n_bands;
  const ScopeTimelineQueueStep  *queue;         /* accept queues on screen, waiting > 0 */
  guint                          n_queue;
  const ScopeTimelinePlacerCall *calls;         /* on screen, by lane, left to right */
  guint                          n_calls;
  guint                          lanes_below;   /* under the view, with events in its time */
  guint                          lanes_above;   /* over it, the same */
  gint64                         selected;
  const char                    *stop_text;     /* or NULL */
  double                         stop_x;
  ScopeTimelineMeasure           measure;
  gpointer                       measure_data;
} ScopeTimelinePlacerInput;

GArray        *scope_timeline_place                  (const ScopeTimelinePlacerInput *in);
double         scope_timeline_strip_height           (const ScopeTimelineMetrics     *m,
                                                      guint                           run);

/* One drawing: GtkSnapshot nodes, and a cairo node opened on demand for
 * the shapes rectangles cannot make. Each layer closes its cairo node, so
 * that what the next layer draws lies above it. */
typedef struct
{
  ScopeTimeline              *self;
  const ScopeTimelineMetrics *m;
  const ScopeTimelinePalette *p;
  cairo_t                    *cr;
  GtkSnapshot                *snapshot;
  graphene_rect_t             area;
  double                      width;
  double                      height;
  GArray                     *selected_links;   /* of ScopeTimelineLink, or NULL */
  GArray                     *plan;             /* of ScopeTimelineWord */
} ScopeTimelinePainter;

/* scope-timeline.c: the view's coordinates and the model */
ScopeTimelineMetrics scope_timeline_metrics          (gboolean              projector);
ScopeTimelineMetrics scope_timeline_get_metrics      (ScopeTimeline        *self);
double         scope_timeline_row_top                (ScopeTimeline        *self,
                                                      guint                 row);
double         scope_timeline_row_middle             (ScopeTimeline        *self,
                                                      guint                 row);
int            scope_timeline_row_at                 (ScopeTimeline        *self,
                                                      double                y);
double         scope_timeline_row_height             (ScopeTimeline        *self,
                                                      guint                 row);
gboolean       scope_timeline_row_is_folded          (ScopeTimeline        *self,
                                                      guint                 row);
void           scope_timeline_unfold_row             (ScopeTimeline        *self,
                                                      guint                 row);
gboolean       scope_timeline_row_is_visible         (ScopeTimeline        *self,
                                                      guint                 row,
                                                      double                height);
guint          scope_timeline_lane_of_socket         (ScopeTimeline        *self,
                                                      guint                 socket_id);
guint          scope_timeline_lane_find_time         (ScopeTimeline        *self,
                                                      guint                 row,
                                                      double                time_us);
guint64        scope_timeline_lane_event             (ScopeTimeline        *self,
                                                      guint                 row,
                                                      guint                 position);
guint64        scope_timeline_n_events               (ScopeTimeline        *self);
gint64         scope_timeline_event_time             (ScopeTimeline        *self,
                                                      guint64               index);
gint64         scope_timeline_lane_event_time        (ScopeTimeline        *self,
                                                      guint                 row,
                                                      guint                 position);
gint64         scope_timeline_now_us                 (ScopeTimeline        *self);
double         scope_timeline_content_width          (ScopeTimeline        *self,
                                                      double                width);

char          *scope_timeline_dup_description        (ScopeTimeline        *self);

/* scope-timeline-palette.c: the colours */
char          *scope_timeline_color_name             (const char           *role,
                                                      gboolean              dark,
                                                      gboolean              strong);
const ScopeTimelinePalette *scope_timeline_get_palette (ScopeTimeline      *self);
void           scope_timeline_invalidate_palette     (ScopeTimeline        *self);
GdkRGBA        scope_timeline_with_alpha             (GdkRGBA               color,
                                                      double                alpha);

/* scope-timeline-painter.c: what the layers paint with */
void           scope_timeline_painter_rect           (ScopeTimelinePainter *painter,
                                                      const GdkRGBA        *color,
                                                      double                x,
                                                      double                y,
                                                      double                width,
                                                      double                height);
void           scope_timeline_painter_text           (ScopeTimelinePainter *painter,
                                                      const char           *text,
                                                      const GdkRGBA        *color,
                                                      double                x,
                                                      double                y,
                                                      gboolean              bold);
void           scope_timeline_painter_word           (ScopeTimelinePainter *painter,
                                                      const char           *text,
                                                      const GdkRGBA        *color,
                                                      const graphene_rect_t *rect,
                                                      gboolean              bold,
                                                      gboolean              ellipsized);
double         scope_timeline_text_width             (ScopeTimeline        *self,
                                                      const char           *text,
                                                      gboolean              bold);
cairo_t       *scope_timeline_painter_cairo          (ScopeTimelinePainter *painter);
void           scope_timeline_painter_end_cairo      (ScopeTimelinePainter *painter);
void           scope_timeline_set_source             (cairo_t              *cr,
                                                      const GdkRGBA        *color,
                                                      double                alpha);

/* scope-timeline-glyphs.c: the one geometry of every mark */
double         scope_timeline_bar_height             (const ScopeTimelineMetrics *m,
                                                      guint64               bytes);
gboolean       scope_timeline_record_is_bar          (const ScopeRecord    *record);
void           scope_timeline_mark_bounds            (const ScopeTimelineMetrics *m,
                                                      const ScopeRecord    *record,
                                                      double                x,
                                                      double                mid,
                                                      graphene_rect_t      *bounds);
void           scope_timeline_mark_ink               (const ScopeTimelineMetrics *m,
                                                      const ScopeRecord    *record,
                                                      double                x,
                                                      double                mid,
                                                      graphene_rect_t      *ink);
double         scope_timeline_mark_reach             (const ScopeTimelineMetrics *m);
void           scope_timeline_draw_glyph             (cairo_t              *cr,
                                                      const ScopeTimelineMetrics *m,
                                                      const ScopeTimelinePalette *p,
                                                      ScopeEventKind        kind,
                                                      double                x,
                                                      double                mid);
void           scope_timeline_record_mark_bounds     (ScopeTimeline        *self,
                                                      const ScopeRecord    *record,
                                                      graphene_rect_t      *bounds);
void           scope_timeline_record_bounds          (ScopeTimeline        *self,
                                                      const ScopeRecord    *record,
                                                      graphene_rect_t      *bounds);
gboolean       scope_timeline_whisker_bounds         (ScopeTimeline        *self,
                                                      const ScopeRecord    *record,
                                                      const graphene_rect_t *bar,
                                                      graphene_rect_t      *whisker);

/* scope-timeline-fan.c: marks that would cover one another, side by side */
double         scope_timeline_record_x               (ScopeTimeline        *self,
                                                      const ScopeRecord    *record);
gboolean       scope_timeline_record_grouped         (ScopeTimeline        *self,
                                                      const ScopeRecord    *record,
                                                      gboolean             *run_start);
gboolean       scope_timeline_record_hidden          (ScopeTimeline        *self,
                                                      const ScopeRecord    *record);
guint          scope_timeline_record_calls           (ScopeTimeline        *self,
                                                      const ScopeRecord    *record);
void           scope_timeline_fan_use_width          (ScopeTimeline        *self,
                                                      double                width);
void           scope_timeline_fan_clear              (ScopeTimeline        *self);
double         scope_timeline_fan_overhang           (ScopeTimeline        *self,
                                                      gint64                exchange_us);
double         scope_timeline_fan_max_push           (const ScopeTimelineMetrics *m);

/* scope-timeline-axis.c */
double         scope_timeline_tick_step              (double                us_per_px,
                                                      double                spacing);
char          *scope_timeline_format_offset          (double                offset_us,
                                                      double                step);
gboolean       scope_timeline_axis_origin            (ScopeTimeline        *self,
                                                      double               *origin_us,
                                                      char                **name);
void           scope_timeline_axis_snapshot          (ScopeTimelinePainter *painter);
void           scope_timeline_grid_snapshot          (ScopeTimelinePainter *painter);

/* scope-timeline-links.c */
void           scope_timeline_collect_links          (ScopeTimeline        *self,
                                                      guint64               index,
                                                      GArray               *links,
                                                      GArray               *bands);
void           scope_timeline_links_snapshot         (ScopeTimelinePainter *painter);
void           scope_timeline_band_ink               (const ScopeTimelineLink *link,
                                                      double                line_width,
                                                      GArray               *ink);

/* scope-timeline-lanes.c */
gboolean       scope_timeline_lane_range             (ScopeTimeline        *self,
                                                      guint                 row,
                                                      double                width,
                                                      guint                *lo,
                                                      guint                *hi);
void           scope_timeline_lanes_snapshot         (ScopeTimelinePainter *painter);
void           scope_timeline_queue_steps            (ScopeTimeline        *self,
                                                      guint                 row,
                                                      double                width,
                                                      GArray               *steps);
gboolean       scope_timeline_queue_waiting_row      (ScopeTimeline        *self,
                                                      guint                 row,
                                                      gint64               *since_us);
gboolean       scope_timeline_queue_waiting          (ScopeTimeline        *self,
                                                      gint64               *since_us);
double         scope_timeline_queue_height           (const ScopeTimelineMetrics   *m,
                                                      const ScopeTimelineQueueStep *step);
void           scope_timeline_queue_snapshot         (ScopeTimelinePainter *painter);
void           scope_timeline_escape                 (ScopeTimeline        *self);
gboolean       scope_timeline_accept_mark            (ScopeTimeline        *self,
                                                      const ScopeRecord    *record,
                                                      guint                *row,
                                                      double               *x,
                                                      double               *mid);
void           scope_timeline_whisker_strokes        (const graphene_rect_t *whisker,
                                                      double                line,
                                                      graphene_rect_t       strokes[2]);
void           scope_timeline_marks_snapshot         (ScopeTimelinePainter *painter);

/* scope-timeline-selection.c */
void           scope_timeline_selection_snapshot     (ScopeTimelinePainter *painter);

/* scope-timeline-labels.c: the words, as child labels and in images */
GArray        *scope_timeline_plan                   (ScopeTimeline        *self,
                                                      double                width,
                                                      double                height);
void           scope_timeline_allocate_words         (ScopeTimeline        *self,
                                                      int                   width,
                                                      int                   height);
void           scope_timeline_restyle_words          (ScopeTimeline        *self);
void           scope_timeline_request_words          (ScopeTimeline        *self);
void           scope_timeline_ease_to_frame          (ScopeTimeline        *self);
char          *scope_timeline_tooltip_text           (ScopeTimeline        *self,
                                                      guint64               index);
GtkWidget     *scope_timeline_tooltip_label          (ScopeTimeline        *self,
                                                      guint64               index);
gboolean       scope_timeline_words_pending          (ScopeTimeline        *self);
void           scope_timeline_snapshot_words         (ScopeTimeline        *self,
                                                      GtkSnapshot          *snapshot);
void           scope_timeline_dispose_words          (ScopeTimeline        *self);
void           scope_timeline_words_paint            (ScopeTimelinePainter *painter,
                                                      GArray               *plan);
void           scope_timeline_empty_snapshot         (ScopeTimelinePainter *painter);

/* scope-timeline-stop-mark.c */
double         scope_timeline_place_beside           (double                x,
                                                      double                label_width,
                                                      double                width);
void           scope_timeline_stop_mark_snapshot     (ScopeTimelinePainter *painter);

/* scope-timeline-actions.c: zoom, pan, follow, show all and the keys */
void           scope_timeline_class_init_actions     (GtkWidgetClass       *widget_class);
void           scope_timeline_init_actions           (ScopeTimeline        *self);
void           scope_timeline_sync_follow_action     (ScopeTimeline        *self);
void           scope_timeline_dispose_actions        (ScopeTimeline        *self);
double         scope_timeline_keyboard_anchor        (ScopeTimeline        *self);

/* scope-timeline-input.c: pointer, touch and tooltip */
void           scope_timeline_init_input             (ScopeTimeline        *self);
gboolean       scope_timeline_query_tooltip          (GtkWidget            *widget,
                                                      int                   x,
                                                      int                   y,
                                                      gboolean              keyboard,
                                                      GtkTooltip           *tooltip);

/* scope-timeline.c */
void           scope_timeline_paint                  (ScopeTimeline        *self,
                                                      GtkSnapshot          *snapshot,
                                                      double                width,
                                                      double                height,
                                                      GArray               *plan,
                                                      gboolean              with_words);

G_END_DECLS
