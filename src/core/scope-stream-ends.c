/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-stream-ends.h"

/* The one rule that pairs the two ends of a TCP connection, whatever
 * recorded them. An end is a client socket or one a listener accepted,
 * with its own address and its peer's, read as numbers: a dual-stack
 * server's "[::ffff:127.0.0.1]:50000" is its IPv4 client's 127.0.0.1:50000.
 * Two ends are of one connection when each one's address is the other's
 * peer and one is a client, the other accepted. When a new end comes, of
 * the ends that mirror it and have no other end yet:
 *
 *  1. one still open is its other end, the latest of them;
 *  2. failing that, one still open that was paired late (below) with an
 *     end closed before it opened: the new end, alive beside it, is its
 *     true other end, and the closed one goes back to waiting;
 *  3. failing that, the latest closed one, paired late: a server's end may
 *     send and close before the client's end is even recorded.
 *
 * So a port reused after an early close pairs with the new connection, not
 * the old end; a connection seen from one end only pairs with nothing.
 * Pairs of ends open together (1 and 2) are final: the recorder gives them
 * as each socket's peer_id. */

typedef struct
{
  ScopeEndpoint local;
  ScopeEndpoint peer;
} EndKey;

typedef struct
{
  EndKey          key;
  guint           id;
  guint           partner;
  ScopeSocketRole role;
  guint           closed : 1;
  guint           late : 1;     /* paired with an end closed before the other opened */
} End;

struct _ScopeStreamEnds
{
  GHashTable *ends;     /* socket id → End*, owned */
  GHashTable *by_key;   /* EndKey* → GPtrArray of End*, oldest first */
};

static guint
end_key_hash (gconstpointer data)
{
  const EndKey *key = data;

  return scope_endpoint_hash (&key->local) * 33u ^ scope_endpoint_hash (&key->peer);
}

static gboolean
end_key_equal (gconstpointer a,
               gconstpointer b)
{
  const EndKey *x = a, *y = b;

  return scope_endpoint_equal (&x->local, &y->local) && scope_endpoint_equal (&x->peer, &y->peer);
}

ScopeStreamEnds *
scope_stream_ends_new (void)
{
  ScopeStreamEnds *self = g_new0 (ScopeStreamEnds, 1);

  self->ends = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->by_key = g_hash_table_new_full (end_key_hash, end_key_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  return self;
}

void
scope_stream_ends_free (ScopeStreamEnds *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->by_key);
  g_hash_table_unref (self->ends);
  g_free (self);
}

static End *
end_lookup (const ScopeStreamEnds *self,
            guint                  socket_id)
{
  return g_hash_table_lookup (self->ends, GUINT_TO_POINTER (socket_id));
}

static void
tie (End      *a,
     End      *b,
     gboolean  late)
{
  a->partner = b->id;
  b->partner = a->id;
  a->late = b->late = late;
}

/* The rule above, for @end among the ends that mirror it. Returns the end
 * it was paired with while both were open, or 0. */
static guint
pair_new_end (ScopeStreamEnds *self,
              End             *end,
              GPtrArray       *mirrors)
{
  End *open = NULL;
  End *taken = NULL;
  End *closed = NULL;

  for (guint i = mirrors->len; i-- > 0 && open == NULL;)
    {
      End *other = g_ptr_array_index (mirrors, i);

      if (other->role == end->role)
        continue;
      if (other->partner == 0 && !other->closed)
        open = other;
      else if (other->partner == 0 && closed == NULL)
        closed = other;
      else if (other->partner != 0 && other->late && !other->closed && taken == NULL)
        taken = other;
    }

  if (open != NULL)
    {
      tie (end, open, FALSE);
      return open->id;
    }
  if (taken != NULL)
    {
      End *stale = end_lookup (self, taken->partner);

      if (stale != NULL)
        {
          stale->partner = 0;
          stale->late = FALSE;
        }
      tie (end, taken, FALSE);
      return taken->id;
    }
  if (closed != NULL)
    tie (end, closed, TRUE);
  return 0;
}

/**
 * scope_stream_ends_add:
 * @local_address: (nullable): as the recorder keeps it
 * @peer_address: (nullable): as the recorder keeps it
 *
 * Takes in a socket as it opens; only TCP clients and accepted connections
 * with IP addresses are ends.
 *
 * Returns: the end it is paired with, both open, or 0
 */
guint
scope_stream_ends_add (ScopeStreamEnds *self,
                       guint            socket_id,
                       ScopeSocketRole  role,
                       ScopeProtocol    protocol,
                       const char      *local_address,
                       const char      *peer_address)
{
  End *end;
  EndKey mirror;
  GPtrArray *same;
  GPtrArray *mirrors;
  guint paired;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (socket_id != 0 && end_lookup (self, socket_id) == NULL, 0);

  if (protocol != SCOPE_PROTOCOL_TCP
      || (role != SCOPE_SOCKET_CLIENT && role != SCOPE_SOCKET_CONNECTION))
    return 0;

  end = g_new0 (End, 1);
  end->id = socket_id;
  end->role = role;
  if (!scope_endpoint_parse (local_address, &end->key.local)
      || !scope_endpoint_parse (peer_address, &end->key.peer)
      || !scope_endpoint_complete_pair (&end->key.local, &end->key.peer))
    {
      g_free (end);
      return 0;
    }
  g_hash_table_insert (self->ends, GUINT_TO_POINTER (socket_id), end);

  mirror.local = end->key.peer;
  mirror.peer = end->key.local;
  mirrors = g_hash_table_lookup (self->by_key, &mirror);
  paired = mirrors != NULL ? pair_new_end (self, end, mirrors) : 0;

  same = g_hash_table_lookup (self->by_key, &end->key);
  if (same == NULL)
    {
      same = g_ptr_array_new ();
      g_hash_table_insert (self->by_key, g_memdup2 (&end->key, sizeof end->key), same);
    }
  g_ptr_array_add (same, end);
  return paired;
}

/**
 * scope_stream_ends_close:
 *
 * A socket closed: from now on it pairs only late.
 */
void
scope_stream_ends_close (ScopeStreamEnds *self,
                         guint            socket_id)
{
  End *end;

  g_return_if_fail (self != NULL);

  end = end_lookup (self, socket_id);
  if (end != NULL)
    end->closed = TRUE;
}

/**
 * scope_stream_ends_forget:
 *
 * A socket the recorder no longer keeps: it pairs with nothing more. Its
 * other end keeps its id, which the recorder then knows nothing of.
 */
void
scope_stream_ends_forget (ScopeStreamEnds *self,
                          guint            socket_id)
{
  End *end;
  GPtrArray *same;

  g_return_if_fail (self != NULL);

  end = end_lookup (self, socket_id);
  if (end == NULL)
    return;
  same = g_hash_table_lookup (self->by_key, &end->key);
  g_ptr_array_remove (same, end);
  if (same->len == 0)
    g_hash_table_remove (self->by_key, &end->key);
  g_hash_table_remove (self->ends, GUINT_TO_POINTER (socket_id));
}

/**
 * scope_stream_ends_get_peer:
 *
 * Returns: the socket at the other end of @socket_id's connection, when
 * both ends were recorded, or 0
 */
guint
scope_stream_ends_get_peer (const ScopeStreamEnds *self,
                            guint                  socket_id)
{
  End *end;

  g_return_val_if_fail (self != NULL, 0);

  end = end_lookup (self, socket_id);
  return end != NULL ? end->partner : 0;
}

/**
 * scope_stream_ends_get_addresses:
 * @local: (out): the end's own address, as its packets carry it
 * @peer: (out): its peer's
 *
 * Returns: whether @socket_id is an end of a TCP connection
 */
gboolean
scope_stream_ends_get_addresses (const ScopeStreamEnds *self,
                                 guint                  socket_id,
                                 ScopeEndpoint         *local,
                                 ScopeEndpoint         *peer)
{
  End *end;

  g_return_val_if_fail (self != NULL, FALSE);

  end = end_lookup (self, socket_id);
  if (end == NULL)
    return FALSE;
  *local = end->key.local;
  *peer = end->key.peer;
  return TRUE;
}
