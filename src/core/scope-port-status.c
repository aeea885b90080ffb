/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>

#ifdef G_OS_UNIX
# include <arpa/inet.h>
# include <netinet/in.h>
#else
# include <winsock2.h>
# include <ws2tcpip.h>
#endif

#include "scope-deadline.h"
#include "scope-errors.h"
#include "scope-platform.h"
#include "scope-port-status.h"

/* Three ways to ask about a port. bind() tells whether a server could
 * listen on it here; the kernel's socket tables tell who already does; a
 * connect() tells what answers on another host. The binds are instant and
 * the connects non-blocking on the main loop; only the tables, which walk
 * /proc, are read in a worker thread. */

/* ------------------------------------------------------------------------ */
/* bind()                                                                   */

static const char *bind_states[] = {
  [SCOPE_BIND_FREE] = "free",
  [SCOPE_BIND_IN_USE] = "in-use",
  [SCOPE_BIND_DENIED] = "denied",
  [SCOPE_BIND_UNAVAILABLE] = "unavailable",
  [SCOPE_BIND_FAILED] = "failed",
};

const char *
scope_bind_state_to_string (ScopeBindState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (bind_states), NULL);

  return bind_states[state];
}

const char *
scope_bind_state_get_title (ScopeBindState state)
{
  switch (state)
    {
    case SCOPE_BIND_FREE:
      return _("Free: a server could listen here");
    case SCOPE_BIND_IN_USE:
      return _("In use: another socket holds it");
    case SCOPE_BIND_DENIED:
      return _("Needs administrator rights");
    case SCOPE_BIND_UNAVAILABLE:
      return _("Not available on this machine");
    case SCOPE_BIND_FAILED:
    default:
      return _("Could not tell");
    }
}

static void
bind_probe_clear (gpointer data)
{
  ScopeBindProbe *probe = data;

  g_free (probe->message);
}

static void
probe_one (ScopeBindProbe *probe,
           guint           port,
           gboolean        udp)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (probe->address);
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);
  GSocketFamily family = g_inet_address_get_family (address);
  g_autoptr(GSocket) socket = g_socket_new (family,
                                            udp ? G_SOCKET_TYPE_DATAGRAM
                                                : G_SOCKET_TYPE_STREAM,
                                            udp ? G_SOCKET_PROTOCOL_UDP
                                                : G_SOCKET_PROTOCOL_TCP,
                                            &error);
  int errnum;

  if (socket != NULL && family == G_SOCKET_FAMILY_IPV6)
    /* Only IPv6, or binding :: would also claim 0.0.0.0 and hide which
     * family is taken. */
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, 1, NULL);
  /* GIO sets SO_REUSEADDR for allow_reuse and, on UDP, SO_REUSEPORT too,
   * which would let the probe share a port a server holds. */
  if (socket != NULL && g_socket_bind (socket, socket_address, !udp, &error))
    {
      probe->state = SCOPE_BIND_FREE;
      g_socket_close (socket, NULL);
      return;
    }

  errnum = scope_error_get_errno (error);
  probe->errnum = errnum;
  probe->message = scope_error_describe (error);
  switch (errnum)
    {
    case EADDRINUSE:
      probe->state = SCOPE_BIND_IN_USE;
      break;
    case EACCES:
    case EPERM:
      probe->state = SCOPE_BIND_DENIED;
      break;
    case EADDRNOTAVAIL:
    case EAFNOSUPPORT:
      probe->state = SCOPE_BIND_UNAVAILABLE;
      break;
    default:
      probe->state = SCOPE_BIND_FAILED;
      break;
    }
}

GArray *
scope_port_probe_bind (guint    port,
                       gboolean udp)
{
  static const char *addresses[] = { "127.0.0.1", "0.0.0.0", "::1", "::" };
  GArray *probes = g_array_new (FALSE, TRUE, sizeof (ScopeBindProbe));

  g_return_val_if_fail (port <= 65535, probes);

  g_array_set_clear_func (probes, bind_probe_clear);
  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      ScopeBindProbe probe = { .address = addresses[i] };

      probe_one (&probe, port, udp);
      g_array_append_val (probes, probe);
    }
  return probes;
}

/* ------------------------------------------------------------------------ */
/* The kernel's socket tables                                               */

void
scope_socket_entry_free (ScopeSocketEntry *entry)
{
  g_free (entry->local_address);
  g_free (entry->remote_address);
  g_free (entry->inode);
  g_free (entry->process);
  g_free (entry);
}

static const char *tcp_states[] = {
  NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
  "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
};

static gboolean
parse_hex (const char *text,
           gsize       length,
           guint64     max,
           guint64    *value)
{
  g_autofree char *digits = g_strndup (text, length);

  return length > 0 && strspn (digits, "0123456789abcdefABCDEF") == length
         && g_ascii_string_to_unsigned (digits, 16, 0, max, value, NULL);
}

/* "0100007F:0016": the address as the kernel's words in this machine's
 * order, then the port. */
static gboolean
parse_endpoint (const char  *text,
                gboolean     ipv6,
                char       **address,
                guint       *port)
{
  const char *colon = strchr (text, ':');
  gsize n_hex = ipv6 ? 32 : 8;
  guint8 bytes[16];
  char buffer[INET6_ADDRSTRLEN];
  guint64 value;

  if (colon == NULL || (gsize) (colon - text) != n_hex)
    return FALSE;
  for (gsize word = 0; word < n_hex / 8; word++)
    {
      guint32 w;

      if (!parse_hex (text + word * 8, 8, G_MAXUINT32, &value))
        return FALSE;
      w = (guint32) value;
      memcpy (bytes + word * 4, &w, 4);
    }
  if (!parse_hex (colon + 1, strlen (colon + 1), 65535, &value))
    return FALSE;
  if (inet_ntop (ipv6 ? AF_INET6 : AF_INET, bytes, buffer, sizeof buffer) == NULL)
    return FALSE;
  *address = g_strdup (buffer);
  *port = (guint) value;
  return TRUE;
}

/**
 * scope_socket_table_parse:
 * @protocol: "tcp", "tcp6", "udp" or "udp6"
 *
 * Returns: how many lines were skipped as malformed (the header aside)
 */
guint
scope_socket_table_parse (const char *text,
                          gsize       length,
                          const char *protocol,
                          GPtrArray  *entries)
{
  g_autofree char *copy = g_strndup (text, length);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
  gboolean ipv6 = g_str_has_suffix (protocol, "6");
  gboolean tcp = g_str_has_prefix (protocol, "tcp");
  guint skipped = 0;

  /* The first line is the header. */
  for (guint i = 1; lines[0] != NULL && lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      g_autofree char *local = NULL;
      g_autofree char *remote = NULL;
      guint local_port, remote_port;
      guint64 state, uid;
      ScopeSocketEntry *entry;
      guint n = 0;

      if (g_strstrip (lines[i])[0] == '\0')
        continue;
      words = g_strsplit_set (lines[i], " \t", -1);
      /* Drop the empty words runs of spaces leave. */
      for (guint k = 0; words[k] != NULL; k++)
        if (words[k][0] != '\0')
          words[n++] = words[k];
        else
          g_free (words[k]);
      words[n] = NULL;
      /* sl local rem st queues timer retransmits uid timeout inode */
      if (n < 10 || !g_str_has_suffix (words[0], ":")
          || !parse_endpoint (words[1], ipv6, &local, &local_port)
          || !parse_endpoint (words[2], ipv6, &remote, &remote_port)
          || !parse_hex (words[3], strlen (words[3]), 0xff, &state)
          || !g_ascii_string_to_unsigned (words[7], 10, 0, G_MAXUINT32, &uid, NULL)
          || strspn (words[9], "0123456789") != strlen (words[9]))
        {
          skipped++;
          continue;
        }
      entry = g_new0 (ScopeSocketEntry, 1);
      entry->protocol = g_intern_string (protocol);
      entry->local_address = g_steal_pointer (&local);
      entry->local_port = local_port;
      entry->remote_address = g_steal_pointer (&remote);
      entry->remote_port = remote_port;
      entry->uid = (guint) uid;
      entry->inode = g_strdup (words[9]);
      if (!tcp)
        /* A UDP socket has no connection to keep state of: "closed" is what
         * the kernel says of one that is bound and not connected. */
        entry->state = state == 7 ? "UNCONN" : state == 1 ? "ESTABLISHED" : "UNKNOWN";
      else
        entry->state = state < G_N_ELEMENTS (tcp_states) && tcp_states[state] != NULL
                       ? tcp_states[state] : "UNKNOWN";
      g_ptr_array_add (entries, entry);
    }
  return skipped;
}

static gint
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const ScopeSocketEntry *x = *(ScopeSocketEntry **) a;
  const ScopeSocketEntry *y = *(ScopeSocketEntry **) b;

  if (x->local_port != y->local_port)
    return x->local_port < y->local_port ? -1 : 1;
  return strcmp (x->protocol, y->protocol);
}

GPtrArray *
scope_listening_sockets (guint         port,
                         GCancellable *cancellable,
                         GError      **error)
{
  static const char *protocols[] = { "tcp", "tcp6", "udp", "udp6" };
  GDestroyNotify entry_free = (GDestroyNotify) scope_socket_entry_free;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GHashTable) owners = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *text = scope_platform_socket_table (protocols[i], &local_error);

      if (text == NULL)
        {
          /* A kernel without IPv6 has no tcp6 table; that is no error. */
          if (i % 2 == 1 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_FAILED))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      scope_socket_table_parse (text, strlen (text), protocols[i], all);
    }

  for (guint i = 0; i < all->len; i++)
    {
      ScopeSocketEntry *entry = g_ptr_array_index (all, i);
      gboolean tcp = entry->protocol[0] == 't';
      gboolean keep;

      if (port == SCOPE_ALL_PORTS)
        keep = strcmp (entry->state, tcp ? "LISTEN" : "UNCONN") == 0;
      else
        keep = entry->local_port == port && (!tcp || strcmp (entry->state, "LISTEN") == 0);
      if (!keep)
        continue;
      g_ptr_array_add (kept, g_ptr_array_steal_index_fast (all, i));
      i--;
    }
  if (kept->len == 0)
    return g_steal_pointer (&kept);

  owners = scope_platform_socket_owners (cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint i = 0; i < kept->len; i++)
    {
      ScopeSocketEntry *entry = g_ptr_array_index (kept, i);

      entry->process = g_strdup (g_hash_table_lookup (owners, entry->inode));
    }
  g_ptr_array_sort (kept, compare_entries);
  return g_steal_pointer (&kept);
}

static void
listening_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *entries = scope_listening_sockets (GPOINTER_TO_UINT (task_data), cancellable,
                                                &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

void
scope_listening_sockets_async (guint                port,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, scope_listening_sockets_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (port), NULL);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, listening_thread);
}

GPtrArray *
scope_listening_sockets_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* The connect check                                                        */

static const struct
{
  const char *name;
  const char *title;
} connect_states[] = {
  [SCOPE_CONNECT_OPEN] = { "open", N_("Open") },
  [SCOPE_CONNECT_REFUSED] = { "refused", N_("Refused") },
  [SCOPE_CONNECT_FILTERED] = { "filtered", N_("Filtered") },
  [SCOPE_CONNECT_FAILED] = { "failed", N_("Failed") },
};

const char *
scope_connect_state_to_string (ScopeConnectState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (connect_states), NULL);

  return connect_states[state].name;
}

const char *
scope_connect_state_get_title (ScopeConnectState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (connect_states), NULL);

  return _(connect_states[state].title);
}

struct _ScopeConnectCheck
{
  GObject         parent_instance;

  char           *host;
  guint           first;
  guint           last;
  guint           timeout_ms;
  guint           concurrency;   /* 0: by the addresses, once resolved */

  GPtrArray      *addresses;     /* of GInetAddress, as resolved */
  GStrv           address_texts; /* the same as text, for the results */
  char           *address_text;  /* all of them, for a summary */
  GSocketClient  *client;
  GArray         *results;       /* of ScopeConnectResult */
  GTask          *task;          /* the run in progress */
  guint           next_attempt;  /* ports × addresses, port by port */
  guint           n_attempts;
  guint           in_flight;
  gboolean        started;
};

G_DEFINE_QUARK (scope-connect-check-error-quark, scope_connect_check_error)

G_DEFINE_FINAL_TYPE (ScopeConnectCheck, scope_connect_check, G_TYPE_OBJECT)

enum {
  SIGNAL_PORT_CHECKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
connect_result_clear (gpointer data)
{
  ScopeConnectResult *result = data;

  g_free (result->message);
}

static void
scope_connect_check_finalize (GObject *object)
{
  ScopeConnectCheck *self = SCOPE_CONNECT_CHECK (object);

  g_free (self->host);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_strfreev (self->address_texts);
  g_free (self->address_text);
  g_clear_object (&self->client);
  g_array_unref (self->results);
  g_assert (self->task == NULL);

  G_OBJECT_CLASS (scope_connect_check_parent_class)->finalize (object);
}

static void
scope_connect_check_class_init (ScopeConnectCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scope_connect_check_finalize;

  /**
   * ScopeConnectCheck::port-checked:
   * @result: (type gpointer): the ScopeConnectResult, valid during the emission
   */
  signals[SIGNAL_PORT_CHECKED] =
    g_signal_new ("port-checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
scope_connect_check_init (ScopeConnectCheck *self)
{
  self->results = g_array_new (FALSE, TRUE, sizeof (ScopeConnectResult));
  g_array_set_clear_func (self->results, connect_result_clear);
}

/**
 * scope_connect_check_new:
 * @concurrency: how many connects at once, or 0 to let the check choose:
 *   SCOPE_CONNECT_CHECK_LOOPBACK_CONCURRENCY on loopback, and
 *   SCOPE_CONNECT_CHECK_REMOTE_CONCURRENCY for another host
 */
ScopeConnectCheck *
scope_connect_check_new (const char *host,
                         guint       first,
                         guint       last,
                         guint       timeout_ms,
                         guint       concurrency)
{
  ScopeConnectCheck *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (first <= last && last <= 65535, NULL);
  g_return_val_if_fail (last - first < SCOPE_CONNECT_CHECK_MAX_PORTS, NULL);

  self = g_object_new (SCOPE_TYPE_CONNECT_CHECK, NULL);
  self->host = g_strdup (host);
  self->first = first;
  self->last = last;
  self->timeout_ms = MAX (timeout_ms, 1);
  self->concurrency = MIN (concurrency, SCOPE_CONNECT_CHECK_MAX_CONCURRENCY);
  return self;
}

const char *
scope_connect_check_get_address (ScopeConnectCheck *self)
{
  g_return_val_if_fail (SCOPE_IS_CONNECT_CHECK (self), NULL);

  return self->address_text;
}

guint
scope_connect_check_get_n_addresses (ScopeConnectCheck *self)
{
  g_return_val_if_fail (SCOPE_IS_CONNECT_CHECK (self), 0);

  return self->addresses != NULL ? self->addresses->len : 0;
}

GArray *
scope_connect_check_get_results (ScopeConnectCheck *self)
{
  g_return_val_if_fail (SCOPE_IS_CONNECT_CHECK (self), NULL);

  return self->results;
}

typedef struct
{
  ScopeConnectCheck *self;
  guint              port;
  guint              address;
  gint64             started;
  ScopeDeadline     *deadline;
} Attempt;

static void start_attempts (ScopeConnectCheck *self);

static gint
compare_results (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  ScopeConnectCheck *self = user_data;
  const ScopeConnectResult *x = a;
  const ScopeConnectResult *y = b;

  if (x->port != y->port)
    return x->port < y->port ? -1 : 1;
  /* Addresses in the order the resolver gave them. */
  for (guint i = 0; self->address_texts[i] != NULL; i++)
    if (x->address == self->address_texts[i] || y->address == self->address_texts[i])
      return x->address == y->address ? 0 : x->address == self->address_texts[i] ? -1 : 1;
  return 0;
}

static void
finish_run (ScopeConnectCheck *self,
            GError            *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (self->address_texts != NULL)
    g_array_sort_with_data (self->results, compare_results, self);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
attempt_done (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  Attempt *attempt = user_data;
  ScopeConnectCheck *self = attempt->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_finish (G_SOCKET_CLIENT (object), res, &error);
  GCancellable *outer = g_task_get_cancellable (self->task);
  ScopeConnectResult result = { .port = attempt->port };
  gboolean known = TRUE;

  result.address = self->address_texts[attempt->address];
  result.elapsed_us = g_get_monotonic_time () - attempt->started;
  self->in_flight--;

  if (connection != NULL)
    {
      result.state = SCOPE_CONNECT_OPEN;
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  else if (g_cancellable_is_cancelled (outer))
    known = FALSE;   /* stopped from outside: no answer to give */
  else if (scope_deadline_expired (attempt->deadline)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    result.state = SCOPE_CONNECT_FILTERED;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    result.state = SCOPE_CONNECT_REFUSED;
  else
    {
      result.state = SCOPE_CONNECT_FAILED;
      result.message = scope_error_describe (error);
    }

  if (known)
    {
      g_array_append_val (self->results, result);
      g_signal_emit (self, signals[SIGNAL_PORT_CHECKED], 0,
                     &g_array_index (self->results, ScopeConnectResult, self->results->len - 1));
    }
  scope_deadline_free (attempt->deadline);
  g_free (attempt);

  if (g_cancellable_is_cancelled (outer))
    {
      if (self->in_flight == 0)
        finish_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The check was cancelled")));
    }
  else
    start_attempts (self);
  g_object_unref (self);
}

static void
start_attempts (ScopeConnectCheck *self)
{
  while (self->in_flight < self->concurrency && self->next_attempt < self->n_attempts)
    {
      Attempt *attempt = g_new0 (Attempt, 1);
      GCancellable *outer = g_task_get_cancellable (self->task);
      g_autoptr(GSocketAddress) target = NULL;

      attempt->self = g_object_ref (self);
      attempt->port = self->first + self->next_attempt / self->addresses->len;
      attempt->address = self->next_attempt % self->addresses->len;
      self->next_attempt++;
      target = g_inet_socket_address_new (g_ptr_array_index (self->addresses, attempt->address),
                                          attempt->port);
      attempt->started = g_get_monotonic_time ();
      attempt->deadline = scope_deadline_new (outer, self->timeout_ms);
      self->in_flight++;
      g_socket_client_connect_async (self->client, G_SOCKET_CONNECTABLE (target),
                                     scope_deadline_get_cancellable (attempt->deadline),
                                     attempt_done, attempt);
    }
  if (self->in_flight == 0 && self->task != NULL)
    finish_run (self, NULL);
}

static void
resolved (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(ScopeConnectCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), res, &error);
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();
  gboolean all_loopback = TRUE;

  if (addresses == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *why = scope_error_describe (error);

          g_clear_error (&error);
          g_set_error (&error, SCOPE_CONNECT_CHECK_ERROR, SCOPE_CONNECT_CHECK_ERROR_NO_ADDRESS,
                       /* Translators: a host, then why it has no address */
                       _("Could not find the address of %s: %s"), self->host, why);
        }
      finish_run (self, g_steal_pointer (&error));
      return;
    }

  /* Every address the name has, as a client trying them would meet them,
   * up to a few: localhost is ::1 and 127.0.0.1, and they may differ. */
  self->addresses = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = addresses; l != NULL && self->addresses->len < SCOPE_CONNECT_CHECK_MAX_ADDRESSES;
       l = l->next)
    {
      g_autofree char *text = g_inet_address_to_string (l->data);
      gboolean seen = FALSE;

      for (guint i = 0; i < self->addresses->len && !seen; i++)
        seen = g_inet_address_equal (g_ptr_array_index (self->addresses, i), l->data);
      if (seen)
        continue;
      g_ptr_array_add (self->addresses, g_object_ref (l->data));
      g_strv_builder_add (texts, text);
      all_loopback = all_loopback && g_inet_address_get_is_loopback (l->data);
    }
  g_resolver_free_addresses (addresses);
  self->address_texts = g_strv_builder_end (texts);
  self->address_text = g_strjoinv (", ", self->address_texts);
  self->n_attempts = (self->last - self->first + 1) * self->addresses->len;
  if (self->concurrency == 0)
    self->concurrency = all_loopback ? SCOPE_CONNECT_CHECK_LOOPBACK_CONCURRENCY
                                     : SCOPE_CONNECT_CHECK_REMOTE_CONCURRENCY;
  start_attempts (self);
}

/**
 * scope_connect_check_run_async:
 *
 * Resolves the host, then connects to each port of each of its addresses
 * and closes at once. A cancel stops the attempts in flight; the run then
 * fails with G_IO_ERROR_CANCELLED, keeping the results it has.
 */
void
scope_connect_check_run_async (ScopeConnectCheck  *self,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GResolver) resolver = NULL;

  g_return_if_fail (SCOPE_IS_CONNECT_CHECK (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, scope_connect_check_run_async);
  self->client = g_socket_client_new ();
  /* A proxy would answer for every port. */
  g_socket_client_set_enable_proxy (self->client, FALSE);
  resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, self->host, cancellable, resolved,
                                   g_object_ref (self));
}

gboolean
scope_connect_check_run_finish (ScopeConnectCheck *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
