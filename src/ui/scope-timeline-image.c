/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <cairo.h>
#ifdef CAIRO_HAS_SVG_SURFACE
# include <cairo-svg.h>
#endif

#include "scope-export.h"
#include "scope-timeline-private.h"

/* The timeline as an image for slides: the same layers and the same
 * colours as on screen, on the timeline's own background, drawn by GSK's
 * cairo renderer into a PNG or by cairo into an SVG. */

/**
 * scope_timeline_render:
 *
 * Returns: (transfer full) (nullable): the timeline as it is on screen,
 * drawn at @width × @height on its own background: for images and
 * benchmarks
 */
GskRenderNode *
scope_timeline_render (ScopeTimeline *self,
                       int            width,
                       int            height)
{
  ScopeTimelineMetrics m;
  ScopeTimelinePainter painter = { 0 };
  g_autoptr(GArray) plan = NULL;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  m = scope_timeline_get_metrics (self);
  painter.self = self;
  painter.m = &m;
  painter.p = scope_timeline_get_palette (self);
  painter.snapshot = gtk_snapshot_new ();
  painter.width = width;
  painter.height = height;
  scope_timeline_painter_rect (&painter, &painter.p->bg, 0, 0, width, height);
  /* The marks laid out for the image's width, then the widget's again */
  scope_timeline_fan_use_width (self, width);
  plan = scope_timeline_plan (self, width, height);
  scope_timeline_paint (self, painter.snapshot, width, height, plan, TRUE);
  scope_timeline_fan_use_width (self, 0);
  /* An image taken away says what it lacks, as every export does: the
   * faint bars are events whose bytes were not kept. */
  if (self->recorder != NULL && scope_recorder_get_truncated_events (self->recorder) > 0)
    {
      g_autofree char *note = scope_export_describe_truncation (self->recorder);

      scope_timeline_painter_text (&painter, note, &painter.p->error, m.pad, height - 24, FALSE);
    }
  return gtk_snapshot_free_to_node (painter.snapshot);
}

/**
 * scope_timeline_save_image:
 * @path: ends in .png or .svg
 *
 * Saves the timeline as it is on screen, for slides.
 */
gboolean
scope_timeline_save_image (ScopeTimeline  *self,
                           const char     *path,
                           GError        **error)
{
  g_autofree char *lower = NULL;
  g_autofree char *name = NULL;
  int width, height;
  GskRenderNode *node;
  gboolean ok = FALSE;

  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  name = g_filename_display_basename (path);
  width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 320);
  height = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 120);

  if (g_str_has_suffix (lower, ".png"))
    {
      GskRenderer *renderer = gsk_cairo_renderer_new ();
      g_autoptr(GdkTexture) texture = NULL;

      if (!gsk_renderer_realize (renderer, NULL, error))
        {
          g_object_unref (renderer);
          return FALSE;
        }
      node = scope_timeline_render (self, width, height);
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      gsk_render_node_unref (node);
      gsk_renderer_unrealize (renderer);
      g_object_unref (renderer);
      ok = gdk_texture_save_to_png (texture, path);
      if (!ok)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Could not write “%s”: is the folder there, and may it be written to?"),
                     name);
      return ok;
    }
#ifdef CAIRO_HAS_SVG_SURFACE
  if (g_str_has_suffix (lower, ".svg"))
    {
      cairo_surface_t *surface = cairo_svg_surface_create (path, width, height);
      cairo_t *cr = cairo_create (surface);
      cairo_status_t status;

      node = scope_timeline_render (self, width, height);
      gsk_render_node_draw (node, cr);
      gsk_render_node_unref (node);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
      cairo_surface_destroy (surface);
      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"),
                       name, cairo_status_to_string (status));
          return FALSE;
        }
      return TRUE;
    }
#endif
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a name for an image: end it in .png or .svg"), name);
  return FALSE;
}
