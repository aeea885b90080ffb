/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The start of every widget test. */
#pragma once

#include <adwaita.h>

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
