/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scope-platform-socket.h"
#include "scope-server-private.h"

/* A UDP server: each datagram answered, unless its source is refused, or
 * its peer, in a fixed table, is over its rate or never pauses. */

#define DATAGRAMS_PER_DISPATCH    64
#define MAX_DATAGRAM              65536
#define PEER_PROBES               8

static guint32
peer_key_hash (const PeerKey *key,
               guint32        seed)
{
  guint32 hash = 2166136261u ^ seed;

  /* FNV-1a over the fields, not the struct and its padding. */
  hash = (hash ^ key->family) * 16777619u;
  for (guint i = 0; i < sizeof key->bytes; i++)
    hash = (hash ^ key->bytes[i]) * 16777619u;
  hash = (hash ^ (key->port & 0xff)) * 16777619u;
  hash = (hash ^ (key->port >> 8)) * 16777619u;
  for (guint i = 0; i < 4; i++)
    hash = (hash ^ ((key->scope_id >> (8 * i)) & 0xff)) * 16777619u;
  return hash;
}

static gboolean
peer_key_equal (const PeerKey *a,
                const PeerKey *b)
{
  return a->family == b->family && a->port == b->port && a->scope_id == b->scope_id
         && memcmp (a->bytes, b->bytes, sizeof a->bytes) == 0;
}

/* The peer's slot, made when new. The table never grows: a new peer takes
 * a free slot of its probes, else the one least worth keeping (no run of
 * drops, and seen longest ago). */
static Peer *
listener_peer (Listener      *listener,
               const PeerKey *key,
               gint64         now)
{
  guint32 hash = peer_key_hash (key, listener->peer_seed);
  Peer *free_slot = NULL;
  Peer *victim = NULL;
  Peer *peer;

  for (guint i = 0; i < PEER_PROBES; i++)
    {
      peer = &listener->peers[(hash + i) % PEER_SLOTS];
      if (peer->key.family == 0)
        {
          if (free_slot == NULL)
            free_slot = peer;
          continue;
        }
      if (peer_key_equal (&peer->key, key))
        return peer;
      if (victim == NULL
          || (peer->dropped == 0 && victim->dropped > 0)
          || ((peer->dropped == 0) == (victim->dropped == 0)
              && peer->last_seen_us < victim->last_seen_us))
        victim = peer;
    }

  peer = free_slot != NULL ? free_slot : victim;
  if (peer->key.family != 0 && peer->dropped > 0)
    _scope_server_peer_end_run (listener, peer);
  memset (peer, 0, sizeof *peer);
  peer->key = *key;
  peer->last_seen_us = now;
  peer->tokens = SCOPE_SERVER_DATAGRAM_BURST;
  peer->refilled_us = now;
  return peer;
}

/* A token bucket: SCOPE_SERVER_DATAGRAM_BURST at once, then
 * SCOPE_SERVER_DATAGRAM_RATE a second. A loop through another program's
 * server (one on another machine, or another copy of this one) is one
 * datagram going round: on a fast path it runs out of tokens in
 * milliseconds, and once it is not answered the loop has ended. A slower
 * path (a round trip of over a millisecond) refills the bucket as fast as
 * the loop takes from it; but a loop never pauses, and a peer is answered
 * at most SCOPE_SERVER_DATAGRAM_MAX_WITHOUT_PAUSE datagrams without one,
 * so every loop ends, whatever its round trip. */
static gboolean
peer_take_token (Peer   *peer,
                 gint64  now)
{
  double tokens = peer->tokens
                  + (now - peer->refilled_us) * (double) SCOPE_SERVER_DATAGRAM_RATE
                    / G_USEC_PER_SEC;

  peer->tokens = MIN (tokens, (double) SCOPE_SERVER_DATAGRAM_BURST);
  peer->refilled_us = now;
  if (peer->tokens < 1.0)
    return FALSE;
  peer->tokens -= 1.0;
  return TRUE;
}

gboolean
_scope_server_datagram_dispatch (GSocket      *socket,
                                 GIOCondition  condition,
                                 gpointer      user_data)
{
  Listener *listener = user_data;
  ScopeServer *self = listener->server;
  guint8 buffer[MAX_DATAGRAM];

  scope_recorder_append (self->recorder, listener->id, SCOPE_EVENT_READABLE, NULL, 0);
  for (guint i = 0; i < DATAGRAMS_PER_DISPATCH && !self->pause_reading; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketAddress) peer_address = NULL;
      g_autoptr(GInetAddress) source = NULL;
      gint64 arrived;
      gssize n = scope_platform_socket_receive (socket, &peer_address, buffer, sizeof buffer,
                                                &arrived, &error);
      GInetSocketAddress *inet;
      PeerKey key = { 0 };
      gint64 now;
      Peer *peer;
      DropReason reason;
      gssize sent;
      gint64 began_us;

      if (n < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            scope_recorder_append_error (self->recorder, listener->id, error);
          break;
        }
      scope_recorder_append_received (self->recorder, listener->id, SCOPE_EVENT_RECVFROM,
                                      peer_address, buffer, n, arrived);
      _scope_server_queue_datagram_read (listener, n);
      if (!G_IS_INET_SOCKET_ADDRESS (peer_address))
        continue;

      inet = G_INET_SOCKET_ADDRESS (peer_address);
      source = _scope_server_address_unmapped (g_inet_socket_address_get_address (inet));
      key.family = g_inet_address_get_family (source) == G_SOCKET_FAMILY_IPV4 ? 4 : 6;
      memcpy (key.bytes, g_inet_address_to_bytes (source), g_inet_address_get_native_size (source));
      key.port = g_inet_socket_address_get_port (inet);
      if (key.family == 6)
        key.scope_id = g_inet_socket_address_get_scope_id (inet);
      now = g_get_monotonic_time ();
      peer = listener_peer (listener, &key, now);
      if (now - peer->last_seen_us >= DROP_RUN_QUIET_US)
        peer->answered = 0;
      peer->last_seen_us = now;

      reason = _scope_server_datagram_source_refused (source, key.port);
      if (reason == DROP_NONE && peer->answered >= SCOPE_SERVER_DATAGRAM_MAX_WITHOUT_PAUSE)
        reason = DROP_NO_PAUSE;
      if (reason == DROP_NONE && !peer_take_token (peer, now))
        reason = DROP_RATE;
      if (reason != DROP_NONE)
        {
          _scope_server_listener_count_drop (listener, peer, reason, peer_address, now, NULL);
          continue;
        }

      if (self->kind == SCOPE_SERVER_UDP_UPPER)
        for (gssize j = 0; j < n; j++)
          buffer[j] = g_ascii_toupper (buffer[j]);

      peer->answered++;
      began_us = scope_recorder_get_now_us (self->recorder);
      sent = g_socket_send_to (socket, peer_address, (const char *) buffer, n, NULL, &error);
      if (sent < 0)
        _scope_server_listener_count_drop (listener, peer, DROP_SEND_FAILED, peer_address, now,
                                           error);
      else
        scope_recorder_append_sent (self->recorder, listener->id, SCOPE_EVENT_SENDTO,
                                    peer_address, buffer, sent, began_us);
    }
  return G_SOURCE_CONTINUE;
}
