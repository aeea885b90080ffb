/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The start of every widget test. */
#pragma once

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

/* The app's style sheet, as AdwApplication loads it for the app: the
 * timeline's colours are named there. */
static inline void
widget_test_load_style (void)
{
  GtkCssProvider *provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/sockscope/Sockscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
}

/* Without a display (a Flatpak build's sandbox, say) there is no widget to
 * test: that is said in TAP, rather than an abort in gtk_init(), and the
 * test returns 0 at once when this returns FALSE. */
static inline gboolean
widget_test_init (int    *argc,
                  char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display to open windows on\n");
      return FALSE;
    }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  widget_test_load_style ();
  return TRUE;
}

/* What a user checks with their eyes, asserted: @widget is drawn, lies
 * inside @window whole, and, a label, shows all its words (no ellipsis). */
static inline graphene_rect_t
widget_test_assert_readable (GtkWidget *widget,
                             GtkWidget *window)
{
  graphene_rect_t bounds;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  g_assert_true (gtk_widget_is_drawable (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  g_assert_cmpfloat (bounds.size.width, >=, 1);
  g_assert_cmpfloat (bounds.size.height, >=, 1);
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height);
  if (GTK_IS_LABEL (widget))
    {
      int natural;

      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))));
      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      if (!gtk_label_get_wrap (GTK_LABEL (widget)))
        g_assert_cmpfloat (bounds.size.width, >=, natural);
    }
  return bounds;
}

/* Two things on screen that must not be drawn over each other. */
static inline void
widget_test_assert_apart (GtkWidget *a,
                          GtkWidget *b,
                          GtkWidget *window)
{
  graphene_rect_t ra = widget_test_assert_readable (a, window);
  graphene_rect_t rb = widget_test_assert_readable (b, window);

  g_assert_false (graphene_rect_intersection (&ra, &rb, NULL));
}

static inline double
widget_test_luminance (const guchar *bgra)
{
  double c[3];

  for (guint i = 0; i < 3; i++)
    {
      double v = bgra[2 - i] / 255.0;

      c[i] = v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* @window's pixels as GTK draws them, B, G, R, A (GDK_MEMORY_DEFAULT,
 * as a little-endian machine reads a guint32), opaque, and @widget's
 * bounds in them: freed by the caller. */
static inline guchar *
widget_test_render (GtkWidget       *window,
                    GtkWidget       *widget,
                    graphene_rect_t *bounds,
                    int             *width,
                    int             *height)
{
  GtkWidget *content = gtk_widget_get_first_child (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (content);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guchar *pixels;

  *width = gtk_widget_get_width (content);
  *height = gtk_widget_get_height (content);
  g_assert_true (gtk_widget_compute_bounds (widget, content, bounds));
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  pixels = g_malloc ((gsize) *width * 4 * *height);
  gdk_texture_download (texture, pixels, (gsize) *width * 4);
  /* Over the window's ground, which the content does not draw: light
   * libadwaita's window_bg_color, #fafafa (the suite draws the light
   * style). Premultiplied: each channel gains the ground's share of what
   * the alpha leaves. */
  for (gsize i = 0; i < (gsize) *width * *height; i++)
    {
      guchar *p = pixels + i * 4;

      for (guint c = 0; c < 3; c++)
        p[c] = MIN (255, p[c] + (0xfa * (255 - p[3]) + 127) / 255);
      p[3] = 255;
    }
  return pixels;
}

/* The ground of @widget's pixels in @pixels: the colour most of those on
 * its edges have (a filled glyph may cover more of it than its ground);
 * and the colour furthest from it in luminance, its ink. @ink_box: where
 * pixels not of the ground lie, or NULL. */
static inline void
widget_test_ground_and_ink (const guchar          *pixels,
                            int                    width,
                            int                    height,
                            const graphene_rect_t *bounds,
                            guint32               *ground,
                            guint32               *ink,
                            graphene_rect_t       *ink_box)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  gsize stride = (gsize) width * 4;
  int x0 = MAX (0, (int) bounds->origin.x), y0 = MAX (0, (int) bounds->origin.y);
  int x1 = MIN (width, (int) (bounds->origin.x + bounds->size.width));
  int y1 = MIN (height, (int) (bounds->origin.y + bounds->size.height));
  int left = G_MAXINT, right = -1, top = G_MAXINT, bottom = -1;
  guint most = 0;
  double lg, far = -1;
  GHashTableIter iter;
  gpointer key, value;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 colour = *(const guint32 *) (pixels + y * stride + x * 4) | 0xff000000u;
        guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (colour))) + 1;

        g_hash_table_insert (counts, GUINT_TO_POINTER (colour), GUINT_TO_POINTER (n));
      }
  {
    g_autoptr(GHashTable) edges = g_hash_table_new (NULL, NULL);

    for (int y = y0; y < y1; y++)
      for (int x = x0; x < x1; x++)
        if (y == y0 || y == y1 - 1 || x == x0 || x == x1 - 1)
          {
            guint32 colour = *(const guint32 *) (pixels + y * stride + x * 4) | 0xff000000u;
            guint n = GPOINTER_TO_UINT (g_hash_table_lookup (edges, GUINT_TO_POINTER (colour))) + 1;

            g_hash_table_insert (edges, GUINT_TO_POINTER (colour), GUINT_TO_POINTER (n));
            if (n > most)
              most = n, *ground = colour;
          }
  }
  g_assert_cmpuint (most, >, 0);
  lg = widget_test_luminance ((const guchar *) ground);
  *ink = *ground;
  /* The ink: a colour of four pixels at least, not one stray pixel */
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint32 colour = GPOINTER_TO_UINT (key);
      double l = widget_test_luminance ((const guchar *) &colour);

      if (GPOINTER_TO_UINT (value) >= 4 && fabs (l - lg) > far)
        far = fabs (l - lg), *ink = colour;
    }
  /* Something drawn, that differs from its ground */
  g_assert_cmpfloat (far, >=, 0.1);
  if (ink_box == NULL)
    return;
  /* Ink: a pixel a third of the way or more from the ground to the ink */
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 colour = *(const guint32 *) (pixels + y * stride + x * 4) | 0xff000000u;

        if (fabs (widget_test_luminance ((const guchar *) &colour) - lg) >= far / 3)
          {
            left = MIN (left, x);
            right = MAX (right, x);
            top = MIN (top, y);
            bottom = MAX (bottom, y);
          }
      }
  graphene_rect_init (ink_box, left, top, right >= left ? right - left + 1 : 0,
                      bottom >= top ? bottom - top + 1 : 0);
}

/* The contrast (WCAG's ratio, 1 to 21) of @widget's words against their
 * ground, as @window draws them: the ground is the colour most of the
 * widget's pixels have, the ink the one furthest from it in luminance
 * (a stem of 16pt type is wider than its antialiased edge). */
static inline double
widget_test_ink_contrast (GtkWidget *window,
                          GtkWidget *widget)
{
  graphene_rect_t bounds;
  int width, height;
  g_autofree guchar *pixels = widget_test_render (window, widget, &bounds, &width, &height);
  guint32 ground, ink;
  double lg, li;

  widget_test_ground_and_ink (pixels, width, height, &bounds, &ground, &ink, NULL);
  lg = widget_test_luminance ((guchar *) &ground);
  li = widget_test_luminance ((guchar *) &ink);
  return (MAX (lg, li) + 0.05) / (MIN (lg, li) + 0.05);
}

/* The box of @widget's ink as @window draws it: an icon's glyph, a
 * word's letters. */
static inline graphene_rect_t
widget_test_ink_box (GtkWidget *window,
                     GtkWidget *widget)
{
  graphene_rect_t bounds, box;
  int width, height;
  g_autofree guchar *pixels = widget_test_render (window, widget, &bounds, &width, &height);
  guint32 ground, ink;

  widget_test_ground_and_ink (pixels, width, height, &bounds, &ground, &ink, &box);
  return box;
}

/* The window as GTK draws it, into the test suite's screenshots:
 * $SOCKSCOPE_SCREENSHOT_DIR, or the build's screenshots/ folder. */
static inline void
widget_test_screenshot (GtkWidget  *window,
                        const char *name)
{
  const char *dir = g_getenv ("SOCKSCOPE_SCREENSHOT_DIR");
  g_autofree char *build_dir = NULL;
  g_autofree char *path = NULL;
  /* A window draws nothing into a paintable of its own: its content does. */
  GtkWidget *content = gtk_widget_get_first_child (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (content);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (dir == NULL)
    {
      const char *root = g_getenv ("MESON_BUILD_ROOT");

      if (root == NULL)
        return;
      dir = build_dir = g_build_filename (root, "screenshots", NULL);
    }
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (content),
                          gtk_widget_get_height (content));
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         NULL);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}
