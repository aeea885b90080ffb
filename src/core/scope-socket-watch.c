/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-socket-watch.h"

void
scope_socket_watch_clear (GSource     **source,
                          GIOCondition *watching)
{
  g_return_if_fail (source != NULL && watching != NULL);

  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
  *watching = 0;
}

void
scope_socket_watch (GSocket      *socket,
                    GSource     **source,
                    GIOCondition *watching,
                    GIOCondition  wanted,
                    GSourceFunc   dispatch,
                    gpointer      data)
{
  g_return_if_fail (G_IS_SOCKET (socket));
  g_return_if_fail (source != NULL && watching != NULL && dispatch != NULL);

  if (*source != NULL && wanted == *watching)
    return;
  scope_socket_watch_clear (source, watching);
  if (wanted == 0)
    return;
  *watching = wanted;
  *source = g_socket_create_source (socket, wanted, NULL);
  g_source_set_priority (*source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (*source, dispatch, data, NULL);
  g_source_attach (*source, NULL);
}
