/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "scope-port-rows.h"
#include "scope-rows.h"

static char *
socket_entry_detail (const ScopeSocketEntry *entry)
{
  if (entry->process != NULL)
    /* Translators: a socket's protocol, its state, then its process */
    return g_strdup_printf (_("%s · %s · %s"), entry->protocol, entry->state, entry->process);
  /* Translators: a socket's protocol, its state, then its owner's user id */
  return g_strdup_printf (_("%s · %s · user %u, process not visible"), entry->protocol,
                          entry->state, entry->uid);
}

static char *
socket_entry_address (const ScopeSocketEntry *entry)
{
  if (strchr (entry->local_address, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", entry->local_address, entry->local_port);
  return g_strdup_printf ("%s:%u", entry->local_address, entry->local_port);
}

/* A socket of this machine: its address, and who holds it how. */
GtkWidget *
scope_port_rows_socket_new (const ScopeSocketEntry *entry)
{
  g_autofree char *address = socket_entry_address (entry);
  g_autofree char *detail = socket_entry_detail (entry);
  GtkWidget *row = scope_rows_fact_new (address, detail);

  gtk_widget_add_css_class (row, "scope-result-row");
  return row;
}

/* One request for the sockets of a port. It holds the list the way a page
 * holds itself while the core works (see scope-lookup-page.c): a reference
 * that the callback lets go of, and the caller's cancellable, which the
 * caller cancels in its dispose and when a newer request replaces this. */
typedef struct
{
  GtkListBox   *list;
  GCancellable *cancellable;
  guint         port;
  gboolean      tcp;
  gboolean      udp;
} SocketsRequest;

static void
sockets_request_free (SocketsRequest *request)
{
  g_object_unref (request->list);
  g_object_unref (request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SocketsRequest, sockets_request_free)

static void
port_sockets_loaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SocketsRequest) request = user_data;
  GtkListBox *list = request->list;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = scope_listening_sockets_finish (result, &error);
  guint shown = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (entries == NULL)
    scope_rows_append (list, scope_rows_fact_new (_("Which sockets hold it is unknown"),
                                                  error->message));
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      ScopeSocketEntry *entry = g_ptr_array_index (entries, i);
      gboolean tcp = g_str_has_prefix (entry->protocol, "tcp");

      if ((tcp && !request->tcp) || (!tcp && !request->udp))
        continue;
      scope_rows_append (list, scope_port_rows_socket_new (entry));
      shown++;
    }
  if (entries != NULL && shown == 0)
    scope_rows_append (list, scope_rows_fact_new (_("Nothing listens on it"),
                                                  _("No socket of this machine is bound to "
                                                    "this port")));
}

static gboolean
start_sockets_request (gpointer user_data)
{
  SocketsRequest *request = user_data;

  /* Cancelled while it waited: the callback says nothing, and no thread is
   * worth starting for that. */
  if (g_cancellable_is_cancelled (request->cancellable))
    sockets_request_free (request);
  else
    scope_listening_sockets_async (request->port, request->cancellable, port_sockets_loaded,
                                   request);
  return G_SOURCE_REMOVE;
}

/**
 * scope_port_rows_show_status:
 * @slot: where the caller keeps the cancellable of the last call for @list
 *
 * Fills @list with the bind probes of @port and, @delay_ms later, once the
 * kernel's tables are read, the sockets that hold it; a later call replaces
 * an earlier one whose tables are not read yet.
 */
void
scope_port_rows_show_status (GtkListBox    *list,
                             GCancellable **slot,
                             guint          port,
                             gboolean       tcp,
                             gboolean       udp,
                             guint          delay_ms)
{
  SocketsRequest *request;

  g_return_if_fail (GTK_IS_LIST_BOX (list));

  g_cancellable_cancel (*slot);
  g_clear_object (slot);
  *slot = g_cancellable_new ();
  scope_rows_clear (list);

  for (guint p = 0; p < 2; p++)
    {
      g_autoptr(GArray) probes = NULL;

      if ((p == 0 && !tcp) || (p == 1 && !udp))
        continue;
      probes = scope_port_probe_bind (port, p == 1);
      for (guint i = 0; i < probes->len; i++)
        {
          ScopeBindProbe *probe = &g_array_index (probes, ScopeBindProbe, i);
          /* Translators: the protocol, then the address bind() was tried on */
          g_autofree char *title = g_strdup_printf (_("%s on %s"), p == 0 ? "TCP" : "UDP",
                                                    probe->address);
          g_autofree char *subtitle = probe->message != NULL
                                      ? g_strdup_printf ("%s. %s",
                                                         scope_bind_state_get_title (probe->state),
                                                         probe->message)
                                      : g_strdup (scope_bind_state_get_title (probe->state));

          scope_rows_append (list, scope_rows_fact_new (title, subtitle));
        }
    }

  request = g_new0 (SocketsRequest, 1);
  request->list = g_object_ref (list);
  request->cancellable = g_object_ref (*slot);
  request->port = port;
  request->tcp = tcp;
  request->udp = udp;
  if (delay_ms == 0)
    start_sockets_request (request);
  else
    g_timeout_add (delay_ms, start_sockets_request, request);
}
