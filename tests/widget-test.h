/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The start of every widget test. */
#pragma once

#include <adwaita.h>

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
  return TRUE;
}
