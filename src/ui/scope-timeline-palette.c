/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-timeline-private.h"

/* The timeline's colours are named colours of the app's style sheet
 * (style.css: @define-color timeline_send …), each in four variants:
 * light, dark, and the strong ones of high contrast and the projector.
 * GTK 4.8 has no CSS custom properties and no gtk_widget_get_color(); it
 * has @define-color and gtk_style_context_lookup_color(), deprecated only
 * in 4.10. They are looked up once per change of style (css-changed, the
 * style manager's dark and high contrast, projector mode), not per frame;
 * the screen and the image export paint the same palette. */

typedef struct
{
  const char *name;
  gsize       offset;
} Role;

static const Role roles[] = {
  { "fg", G_STRUCT_OFFSET (ScopeTimelinePalette, fg) },
  { "bg", G_STRUCT_OFFSET (ScopeTimelinePalette, bg) },
  { "send", G_STRUCT_OFFSET (ScopeTimelinePalette, send) },
  { "recv", G_STRUCT_OFFSET (ScopeTimelinePalette, recv) },
  { "error", G_STRUCT_OFFSET (ScopeTimelinePalette, error) },
  { "accent", G_STRUCT_OFFSET (ScopeTimelinePalette, accent) },
  { "lane", G_STRUCT_OFFSET (ScopeTimelinePalette, lane) },
  { "grid", G_STRUCT_OFFSET (ScopeTimelinePalette, grid) },
  { "link", G_STRUCT_OFFSET (ScopeTimelinePalette, link) },
  { "link_selected", G_STRUCT_OFFSET (ScopeTimelinePalette, link_selected) },
};

/* "timeline_send_dark_strong": the role, then the variant. */
char *
scope_timeline_color_name (const char *role,
                           gboolean    dark,
                           gboolean    strong)
{
  return g_strdup_printf ("timeline_%s%s%s", role, dark ? "_dark" : "", strong ? "_strong" : "");
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
read_palette (ScopeTimeline        *self,
              ScopeTimelinePalette *palette)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (style);
  gboolean strong = adw_style_manager_get_high_contrast (style) || self->projector;
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *name = scope_timeline_color_name (roles[i].name, dark, strong);
      GdkRGBA *color = G_STRUCT_MEMBER_P (palette, roles[i].offset);

      /* Without the app's style sheet there is nothing to paint with: a
       * widget test or a benchmark that forgot to load it says so. */
      if (!gtk_style_context_lookup_color (context, name, color))
        {
          g_warning ("The style sheet names no colour “%s” for the timeline", name);
          *color = (GdkRGBA) { 0.5, 0.5, 0.5, 1 };
        }
    }
}
G_GNUC_END_IGNORE_DEPRECATIONS

const ScopeTimelinePalette *
scope_timeline_get_palette (ScopeTimeline *self)
{
  if (!self->palette_valid)
    {
      read_palette (self, &self->palette);
      self->palette_valid = TRUE;
    }
  return &self->palette;
}

void
scope_timeline_invalidate_palette (ScopeTimeline *self)
{
  self->palette_valid = FALSE;
  /* The words take the new colours at the next frame. */
  scope_timeline_restyle_words (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GdkRGBA
scope_timeline_with_alpha (GdkRGBA color,
                           double  alpha)
{
  color.alpha *= alpha;
  return color;
}
