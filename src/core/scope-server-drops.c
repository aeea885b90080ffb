/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "scope-address.h"
#include "scope-errors.h"
#include "scope-server-private.h"

/* What a UDP server did not answer, said on its timeline: once when a run
 * of drops begins, a count when it ends, and sums past a rate. */

/* At most this many runs of drops a second are said one by one. */
#define DROP_NOTICES_PER_SECOND   8

static char *
peer_key_to_string (const PeerKey *key)
{
  g_autoptr(GInetAddress) address =
    g_inet_address_new_from_bytes (key->bytes, key->family == 4 ? G_SOCKET_FAMILY_IPV4
                                                                : G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) socket_address =
    key->family == 4 ? g_inet_socket_address_new (address, key->port)
                     : g_object_new (G_TYPE_INET_SOCKET_ADDRESS, "address", address,
                                     "port", key->port, "scope-id", key->scope_id, NULL);

  return scope_socket_address_to_string (socket_address);
}

static const char *
drop_reason_words (DropReason reason)
{
  switch (reason)
    {
    case DROP_NOT_A_CLIENT:
      return _("no client sends from a multicast, broadcast or unspecified address, so the "
               "source is forged");
    case DROP_OWN_SOCKET:
      return _("a server of this program listens there, so the datagram is forged or one of "
               "our own answers, and answering it would start an endless loop");
    case DROP_PRIVILEGED_PORT:
      return _("ports below 1024 are services’ (echo, chargen, DNS), not clients’, and "
               "answering one can start an endless loop between two servers");
    case DROP_RATE:
      return _("it sent more than the rate of one peer allows");
    case DROP_NO_PAUSE:
      return _("it was answered too long without a pause of a second, as a loop between two "
               "servers is");
    case DROP_SEND_FAILED:
      return _("the answers could not be sent");
    case DROP_NONE:
    case N_DROP_REASONS:
    default:
      break;
    }
  g_assert_not_reached ();
}

static GIOErrorEnum
drop_reason_code (DropReason reason)
{
  return reason == DROP_RATE || reason == DROP_NO_PAUSE ? G_IO_ERROR_BUSY
         : reason == DROP_SEND_FAILED ? G_IO_ERROR_FAILED
         : G_IO_ERROR_PERMISSION_DENIED;
}

static void
listener_say (Listener     *listener,
              GIOErrorEnum  code,
              const char   *message)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, code, message);

  scope_recorder_append_error (listener->server->recorder, listener->id, error);
}

/* The end of a run of datagrams not answered: its count, when the run was
 * said one by one and held more than the one it began with. */
void
_scope_server_peer_end_run (Listener *listener,
                            Peer     *peer)
{
  if (peer->said && peer->dropped > 1)
    {
      g_autofree char *shown = peer_key_to_string (&peer->key);
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, peer->dropped);
      g_autofree char *message = NULL;

      if (peer->reason == DROP_SEND_FAILED)
        /* Translators: the first %s is a socket address, the second a number */
        message = g_strdup_printf (_("%s: %s answers in all could not be sent"), shown, count);
      else
        /* Translators: the first %s is a socket address, the second a number,
         * the third why they were not answered */
        message = g_strdup_printf (_("%s: %s datagrams in all were not answered: %s"),
                                   shown, count, drop_reason_words (peer->reason));
      listener_say (listener, drop_reason_code (peer->reason), message);
    }
  peer->dropped = 0;
  peer->said = FALSE;
}

/* What was not said one by one, in one sum for each reason. */
static void
listener_say_unsaid (Listener *listener)
{
  for (guint reason = DROP_NONE + 1; reason < N_DROP_REASONS; reason++)
    {
      g_autofree char *count = NULL;
      g_autofree char *message = NULL;
      guint sources = listener->unsaid_sources[reason];

      if (listener->unsaid_datagrams[reason] == 0)
        continue;
      count = g_strdup_printf ("%" G_GUINT64_FORMAT, listener->unsaid_datagrams[reason]);
      message = g_strdup_printf (ngettext (
                                   /* Translators: the first %s is a number of datagrams, %u a
                                    * number of sources, the last %s why they were not
                                    * answered */
                                   "Not answered, and counted rather than said one by one: %s "
                                   "datagrams from %u source: %s",
                                   "Not answered, and counted rather than said one by one: %s "
                                   "datagrams from %u sources: %s", sources),
                                 count, sources, drop_reason_words (reason));
      listener_say (listener, drop_reason_code (reason), message);
      listener->unsaid_datagrams[reason] = 0;
      listener->unsaid_sources[reason] = 0;
    }
}

static gboolean
listener_sweep (gpointer user_data)
{
  Listener *listener = user_data;
  gint64 now = g_get_monotonic_time ();
  gboolean open = FALSE;

  for (guint i = 0; i < PEER_SLOTS; i++)
    {
      Peer *peer = &listener->peers[i];

      if (peer->key.family == 0 || peer->dropped == 0)
        continue;
      if (now - peer->last_drop_us >= DROP_RUN_QUIET_US)
        _scope_server_peer_end_run (listener, peer);
      else
        open = TRUE;
    }
  listener_say_unsaid (listener);
  if (open)
    return G_SOURCE_CONTINUE;
  listener->sweep_id = 0;
  return G_SOURCE_REMOVE;
}

/* Everything not answered is said before the socket closes. */
void
_scope_server_listener_end_drops (Listener *listener)
{
  if (listener->peers == NULL)
    return;
  for (guint i = 0; i < PEER_SLOTS; i++)
    if (listener->peers[i].key.family != 0 && listener->peers[i].dropped > 0)
      _scope_server_peer_end_run (listener, &listener->peers[i]);
  listener_say_unsaid (listener);
  g_clear_handle_id (&listener->sweep_id, g_source_remove);
}

/* A datagram not answered, or an answer not sent: said once when a run of
 * them begins (at most DROP_NOTICES_PER_SECOND runs a second, the others
 * summed), counted after, and the count said when the run ends. */
void
_scope_server_listener_count_drop (Listener       *listener,
                                   Peer           *peer,
                                   DropReason      reason,
                                   GSocketAddress *address,
                                   gint64          now,
                                   const GError   *send_error)
{
  if (peer->dropped > 0 && peer->reason != reason)
    _scope_server_peer_end_run (listener, peer);

  if (peer->dropped == 0)
    {
      peer->reason = reason;
      if (now - listener->notice_window_us >= G_USEC_PER_SEC)
        {
          listener->notice_window_us = now;
          listener->notices_in_window = 0;
        }
      peer->said = listener->notices_in_window < DROP_NOTICES_PER_SECOND;
      if (peer->said)
        {
          g_autofree char *shown = scope_socket_address_to_string (address);
          g_autofree char *message = NULL;

          listener->notices_in_window++;
          if (reason == DROP_SEND_FAILED)
            {
              g_autofree char *words = scope_error_describe (send_error);

              /* Translators: the first %s is a socket address, the second what went
               * wrong, in words, then the errno name */
              message = g_strdup_printf (_("Could not answer %s: %s; more answers to it that "
                                           "fail are counted"), shown, words);
            }
          else if (reason == DROP_RATE)
            /* Translators: %s is a socket address, the %u are numbers of datagrams */
            message = g_strdup_printf (_("Not answering %s: it sent more than %u datagrams at "
                                         "once, over %u a second; what it sends past that is "
                                         "counted, not answered"),
                                       shown, SCOPE_SERVER_DATAGRAM_BURST,
                                       SCOPE_SERVER_DATAGRAM_RATE);
          else if (reason == DROP_NO_PAUSE)
            /* Translators: %s is a socket address, %u a number of datagrams */
            message = g_strdup_printf (_("Not answering %s: it was answered %u datagrams "
                                         "without a pause of a second, as a loop between two "
                                         "servers is; it is answered again after one"),
                                       shown, SCOPE_SERVER_DATAGRAM_MAX_WITHOUT_PAUSE);
          else
            /* Translators: the first %s is a socket address, the second why it
             * is not answered */
            message = g_strdup_printf (_("Not answering %s: %s"), shown,
                                       drop_reason_words (reason));
          listener_say (listener,
                        reason == DROP_SEND_FAILED ? (GIOErrorEnum) send_error->code
                                                   : drop_reason_code (reason),
                        message);
        }
      else
        listener->unsaid_sources[reason]++;
      if (listener->sweep_id == 0)
        listener->sweep_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, 1000, listener_sweep,
                                                 listener, NULL);
    }
  peer->dropped++;
  peer->last_drop_us = now;
  if (!peer->said)
    listener->unsaid_datagrams[reason]++;
}
