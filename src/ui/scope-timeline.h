/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "scope-stream.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_TIMELINE (scope_timeline_get_type ())

G_DECLARE_FINAL_TYPE (ScopeTimeline, scope_timeline, SCOPE, TIMELINE, GtkWidget)

/* A band from the bytes a send put in the stream to the receive that took
 * them out: both ends in widget coordinates, the bar's top and bottom. */
typedef struct
{
  guint64          send_index;
  guint64          recv_index;
  guint64          stream_offset;   /* of the first byte the band carries */
  guint64          size;
  graphene_point_t send_top;
  graphene_point_t send_bottom;
  graphene_point_t recv_top;
  graphene_point_t recv_bottom;
} ScopeTimelineLink;

/* At most this often, a flood of events changes what the timeline says of
 * itself to a screen reader. */
#define SCOPE_TIMELINE_ACCESSIBLE_MS 500

GtkWidget     *scope_timeline_new                (void);

void           scope_timeline_set_recorder       (ScopeTimeline     *self,
                                                  ScopeRecorder     *recorder);
ScopeRecorder *scope_timeline_get_recorder       (ScopeTimeline     *self);
ScopeStream   *scope_timeline_get_stream         (ScopeTimeline     *self);
void           scope_timeline_update             (ScopeTimeline     *self);
GActionGroup  *scope_timeline_get_actions        (ScopeTimeline     *self);
void           scope_timeline_add_page_shortcuts (ScopeTimeline     *self,
                                                  GtkShortcutController *controller);

gint64         scope_timeline_get_selected       (ScopeTimeline     *self);
void           scope_timeline_set_selected       (ScopeTimeline     *self,
                                                  gint64             index);
gboolean       scope_timeline_get_follow         (ScopeTimeline     *self);
void           scope_timeline_set_follow         (ScopeTimeline     *self,
                                                  gboolean           follow);
gboolean       scope_timeline_get_projector      (ScopeTimeline     *self);
void           scope_timeline_set_projector      (ScopeTimeline     *self,
                                                  gboolean           projector);

double         scope_timeline_get_scale          (ScopeTimeline     *self);
double         scope_timeline_get_start_time     (ScopeTimeline     *self);
void           scope_timeline_set_view           (ScopeTimeline     *self,
                                                  double             start_us,
                                                  double             us_per_px);
void           scope_timeline_zoom               (ScopeTimeline     *self,
                                                  double             factor,
                                                  double             anchor_x);
void           scope_timeline_zoom_to_fit        (ScopeTimeline     *self);
void           scope_timeline_follow_exchange    (ScopeTimeline     *self);
gboolean       scope_timeline_get_following_exchange (ScopeTimeline *self);
gboolean       scope_timeline_is_easing          (ScopeTimeline     *self);
double         scope_timeline_time_to_x          (ScopeTimeline     *self,
                                                  double             time_us);
double         scope_timeline_x_to_time          (ScopeTimeline     *self,
                                                  double             x);

guint          scope_timeline_get_n_lanes        (ScopeTimeline     *self);
guint          scope_timeline_get_lane_socket    (ScopeTimeline     *self,
                                                  guint              row);
char          *scope_timeline_dup_lane_label     (ScopeTimeline     *self,
                                                  guint              row);
gboolean       scope_timeline_get_lane_area      (ScopeTimeline     *self,
                                                  guint              row,
                                                  graphene_rect_t   *area);
gboolean       scope_timeline_get_event_bounds   (ScopeTimeline     *self,
                                                  guint64            index,
                                                  graphene_rect_t   *bounds);
gint64         scope_timeline_pick               (ScopeTimeline     *self,
                                                  double             x,
                                                  double             y);
gint64         scope_timeline_pick_hover         (ScopeTimeline     *self,
                                                  double             x,
                                                  double             y);
GArray        *scope_timeline_get_links          (ScopeTimeline     *self,
                                                  guint64            index);
char          *scope_timeline_describe_event     (ScopeTimeline     *self,
                                                  guint64            index);

GskRenderNode *scope_timeline_render             (ScopeTimeline     *self,
                                                  int                width,
                                                  int                height);
gboolean       scope_timeline_save_image         (ScopeTimeline     *self,
                                                  const char        *path,
                                                  GError           **error);

G_END_DECLS
