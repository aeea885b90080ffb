/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-timeline-private.h"

/* The layers of words on the lanes: each lane's name, and the note of an
 * empty session. */

void
scope_timeline_labels_snapshot (ScopeTimelinePainter *painter)
{
  ScopeTimeline *self = painter->self;

  for (guint row = 0; row < scope_timeline_get_n_lanes (self); row++)
    {
      g_autofree char *label = NULL;

      if (!scope_timeline_row_is_visible (self, row, painter->height))
        continue;
      label = scope_timeline_dup_lane_label (self, row);
      scope_timeline_painter_text (painter, label, &painter->p->fg, painter->m->pad,
                                   scope_timeline_row_top (self, row) + 2, TRUE);
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
