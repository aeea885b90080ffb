/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-timeline-private.h"

/* What every layer paints with: rectangles and text as GtkSnapshot nodes,
 * which GSK draws fastest, and shapes in a cairo node opened when a layer
 * first needs one and closed at its end. The same calls make the screen's
 * snapshot and the exported image. */

void
scope_timeline_painter_rect (ScopeTimelinePainter *painter,
                             const GdkRGBA        *color,
                             double                x,
                             double                y,
                             double                width,
                             double                height)
{
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x, y, width, height);

  gtk_snapshot_append_color (painter->snapshot, color, &rect);
}

static PangoLayout *
create_layout (ScopeTimeline *self,
               const char    *text,
               gboolean       bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

void
scope_timeline_painter_text (ScopeTimelinePainter *painter,
                             const char           *text,
                             const GdkRGBA        *color,
                             double                x,
                             double                y,
                             gboolean              bold)
{
  PangoLayout *layout = create_layout (painter->self, text, bold);

  gtk_snapshot_save (painter->snapshot);
  gtk_snapshot_translate (painter->snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (painter->snapshot, layout, color);
  gtk_snapshot_restore (painter->snapshot);
  g_object_unref (layout);
}

/* A word of the placer's plan in its rectangle, shortened as its label
 * is when the plan says so. */
void
scope_timeline_painter_word (ScopeTimelinePainter  *painter,
                             const char            *text,
                             const GdkRGBA         *color,
                             const graphene_rect_t *rect,
                             gboolean               bold,
                             gboolean               ellipsized)
{
  PangoLayout *layout = create_layout (painter->self, text, bold);

  if (ellipsized)
    {
      pango_layout_set_width (layout, (int) (rect->size.width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  gtk_snapshot_save (painter->snapshot);
  gtk_snapshot_translate (painter->snapshot, &rect->origin);
  gtk_snapshot_append_layout (painter->snapshot, layout, color);
  gtk_snapshot_restore (painter->snapshot);
  g_object_unref (layout);
}

/* As wide as scope_timeline_painter_text() draws it, bold or not. */
double
scope_timeline_text_width (ScopeTimeline *self,
                           const char    *text,
                           gboolean       bold)
{
  PangoLayout *layout = create_layout (self, text, bold);
  int w = 0;

  pango_layout_get_pixel_size (layout, &w, NULL);
  g_object_unref (layout);
  return w;
}

cairo_t *
scope_timeline_painter_cairo (ScopeTimelinePainter *painter)
{
  if (painter->cr == NULL)
    painter->cr = gtk_snapshot_append_cairo (painter->snapshot, &painter->area);
  return painter->cr;
}

/* The cairo node ends: what is drawn next lies above it. Its context
 * holds the node's recording surface until then. */
void
scope_timeline_painter_end_cairo (ScopeTimelinePainter *painter)
{
  g_clear_pointer (&painter->cr, cairo_destroy);
}

void
scope_timeline_set_source (cairo_t       *cr,
                           const GdkRGBA *color,
                           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}
