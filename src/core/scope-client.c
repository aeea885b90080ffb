/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#ifdef G_OS_UNIX
# include <fcntl.h>
# include <sys/stat.h>
# include <unistd.h>
# include <gio/gunixinputstream.h>
# include <gio/gunixsocketaddress.h>
#endif
#ifdef __linux__
# include <netinet/in.h>
# include <sys/socket.h>
# include <linux/errqueue.h>
#endif

#include "scope-address.h"
#include "scope-client.h"
#include "scope-errors.h"
#include "scope-resolver.h"

/* The built-in client: TCP, UDP or a Unix path, on the main loop like the
 * servers. It sends a payload in one write or in chunks with a delay
 * between them, reads with a buffer of a chosen size, and records every
 * call. A file is read as the socket takes it, a piece at a time, never
 * whole. UDP works as the lecture notes do: bind port 0, sendto, recvfrom;
 * on the address the system routes from rather than the wildcard, with the
 * ICMP errors that come back reported, and each datagram's source checked:
 * only the target's are the answer. */

#define READ_CALLS_PER_DISPATCH 16
#define MAX_DATAGRAM            65536
/* What a stream payload holds in memory at once, and how much of it one
 * dispatch sends before the main loop has its turn again. */
#define STREAM_PIECE            65536
#define STREAM_PIECES_PER_DISPATCH 16

typedef struct
{
  GBytes       *bytes;        /* NULL for a stream */
  gsize         sent;
  guint         delay_ms;     /* wait this long before the chunk */

  /* A stream, read as the socket takes it: each piece read goes ahead of
   * it in the queue as a chunk of its own. */
  GInputStream *stream;
  GSource      *wait;         /* while the stream has nothing to give yet */
  GByteArray   *gathered;     /* bytes of the next piece */
  guint64       max_bytes;    /* 0: to its end */
  guint64       read;         /* taken from the stream so far */
  gsize         chunk_size;   /* bytes per write, each a datagram over UDP; 0: one write */
  guint         chunk_delay_ms;
  gsize         chunk_queued; /* bytes of the current chunk already queued */
  gboolean      chunk_begun;  /* a chunk was queued: the next one waits for the delay */
  gboolean      eof;          /* the stream has given all it had */
} Chunk;

struct _ScopeClient
{
  GObject parent_instance;

  ScopeRecorder  *recorder;
  ScopeProtocol   protocol;
  GSocket        *socket;
  GSocketAddress *remote;      /* for sendto */
  GSource        *source;
  GIOCondition    watching;
  guint           socket_id;
  char           *local_address;
  char           *remote_address;

  guint8         *buffer;
  guint           read_buffer_size;
  guint           receive_timeout_ms;
  guint           connect_timeout_ms;
  guint           receive_timer;
  guint           delay_timer;

  GQueue          chunks;      /* Chunk* */
  gboolean        shutdown_pending;  /* once the queue is sent */
  gboolean        peer_ended;
  gboolean        connected;

  /* Connecting */
  GTask          *connect_task;
  GList          *candidates;  /* GSocketAddress*, still to try */
  GError         *first_error;
  guint           connect_timer;
};

G_DEFINE_FINAL_TYPE (ScopeClient, scope_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECORDER,
  PROP_READ_BUFFER_SIZE,
  PROP_RECEIVE_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_CONNECTED,
  PROP_LOCAL_ADDRESS,
  PROP_REMOTE_ADDRESS,
  PROP_PENDING_BYTES,
  N_PROPS
};

enum {
  RECEIVED,
  PEER_CLOSED,
  FAILED,
  RECEIVE_TIMED_OUT,
  STRAY_DATAGRAM,
  STREAM_ENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void     update_source (ScopeClient  *self);
static gboolean shut_down     (ScopeClient  *self,
                               GError      **error);
static void connect_next  (ScopeClient *self);

static void
chunk_free (gpointer data)
{
  Chunk *chunk = data;

  g_clear_pointer (&chunk->bytes, g_bytes_unref);
  if (chunk->wait != NULL)
    {
      g_source_destroy (chunk->wait);
      g_source_unref (chunk->wait);
    }
  g_clear_object (&chunk->stream);
  g_clear_pointer (&chunk->gathered, g_byte_array_unref);
  g_free (chunk);
}

gsize
scope_client_get_pending_bytes (ScopeClient *self)
{
  gsize pending = 0;

  g_return_val_if_fail (SCOPE_IS_CLIENT (self), 0);

  /* A stream's bytes count once read: how many more it holds is unknown. */
  for (GList *l = self->chunks.head; l != NULL; l = l->next)
    {
      Chunk *chunk = l->data;

      if (chunk->stream != NULL)
        pending += chunk->gathered->len;
      else
        pending += g_bytes_get_size (chunk->bytes) - chunk->sent;
    }
  return pending;
}

static void
drop_socket (ScopeClient *self)
{
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  self->watching = 0;
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  g_clear_handle_id (&self->delay_timer, g_source_remove);
  g_queue_clear_full (&self->chunks, chunk_free);
  self->shutdown_pending = FALSE;
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->remote);
}

/* Records an error whose message is already in words, says it and closes. */
static void
fail_said (ScopeClient  *self,
           const GError *error)
{
  scope_recorder_append_error (self->recorder, self->socket_id, error);
  g_signal_emit (self, signals[FAILED], 0, error);
  scope_client_close (self);
}

static void
fail (ScopeClient  *self,
      const GError *error)
{
  g_autofree char *words = scope_error_describe (error);
  g_autoptr(GError) described = g_error_new_literal (error->domain, error->code, words);

  scope_recorder_append_error (self->recorder, self->socket_id, error);
  g_signal_emit (self, signals[FAILED], 0, described);
  scope_client_close (self);
}

/* ---- what ICMP says about our datagrams --------------------------------- */

#if defined(__linux__) && defined(IP_RECVERR) && defined(IPV6_RECVERR)

/* An unconnected UDP socket hears nothing of the ICMP errors its datagrams
 * cause (a port unreachable, say) unless it asks: with IP_RECVERR the
 * system keeps them in the socket's error queue. The socket stays
 * unconnected, so every datagram is still a sendto and a recvfrom. */
static void
ask_for_icmp_errors (GSocket *socket)
{
  if (g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_RECVERR, 1, NULL);
  else
    g_socket_set_option (socket, IPPROTO_IP, IP_RECVERR, 1, NULL);
}

static GError *
describe_icmp_error (const struct sock_extended_err *extended,
                     const struct sockaddr_storage  *destination,
                     socklen_t                       destination_length)
{
  const struct sockaddr *offender = SO_EE_OFFENDER (extended);
  g_autoptr(GSocketAddress) to = NULL;
  g_autofree char *to_shown = NULL;
  g_autofree char *words = scope_errno_describe ((int) extended->ee_errno);
  int code = g_io_error_from_errno ((int) extended->ee_errno);

  to = g_socket_address_new_from_native ((gpointer) destination, destination_length);
  to_shown = to != NULL ? scope_socket_address_to_string (to) : g_strdup ("?");
  if ((extended->ee_origin == SO_EE_ORIGIN_ICMP || extended->ee_origin == SO_EE_ORIGIN_ICMP6)
      && (offender->sa_family == AF_INET || offender->sa_family == AF_INET6))
    {
      gsize length = offender->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6)
                                                     : sizeof (struct sockaddr_in);
      g_autoptr(GSocketAddress) from =
        g_socket_address_new_from_native ((gpointer) offender, length);
      g_autofree char *from_shown = NULL;

      if (from != NULL)
        from_shown = g_inet_address_to_string (
          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (from)));
      if (from_shown != NULL)
        /* Translators: the host that sent an ICMP error, the address the
         * datagram went to, then the error in words and its errno name */
        return g_error_new (G_IO_ERROR, code, _("%s answered the datagram to %s with an ICMP "
                                                "error: %s"), from_shown, to_shown, words);
    }
  /* Translators: the address a datagram went to, then the error in words
   * and its errno name */
  return g_error_new (G_IO_ERROR, code, _("The datagram to %s came back with an error: %s"),
                      to_shown, words);
}

/* Empties the error queue, whose entries keep poll() saying there is an
 * error until they are read, and returns what the first one says. */
static GError *
take_icmp_error (ScopeClient *self)
{
  int fd = g_socket_get_fd (self->socket);
  GError *error = NULL;

  /* The queue is bounded by the socket's receive buffer; what is left past
   * this many is read at the next dispatch. */
  for (guint i = 0; i < 64; i++)
    {
      struct sockaddr_storage destination;
      union { char buffer[512]; struct cmsghdr align; } control;
      char byte;
      struct iovec vector = { &byte, sizeof byte };
      struct msghdr message = { 0 };

      message.msg_name = &destination;
      message.msg_namelen = sizeof destination;
      message.msg_iov = &vector;
      message.msg_iovlen = 1;
      message.msg_control = control.buffer;
      message.msg_controllen = sizeof control.buffer;
      if (recvmsg (fd, &message, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
        break;
      for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&message); cmsg != NULL && error == NULL;
           cmsg = CMSG_NXTHDR (&message, cmsg))
        if ((cmsg->cmsg_level == SOL_IP && cmsg->cmsg_type == IP_RECVERR)
            || (cmsg->cmsg_level == SOL_IPV6 && cmsg->cmsg_type == IPV6_RECVERR))
          error = describe_icmp_error ((const struct sock_extended_err *) CMSG_DATA (cmsg),
                                       &destination, message.msg_namelen);
    }
  return error;
}
#else
static void
ask_for_icmp_errors (GSocket *socket)
{
}

static GError *
take_icmp_error (ScopeClient *self)
{
  return NULL;
}
#endif

/* A UDP call failed: what ICMP said, where the system kept it, tells more
 * than the bare errno. */
static void
fail_datagram (ScopeClient  *self,
               const GError *error)
{
  g_autoptr(GError) icmp = take_icmp_error (self);

  if (icmp != NULL)
    fail_said (self, icmp);
  else
    fail (self, error);
}

static gboolean
same_peer (GSocketAddress *a,
           GSocketAddress *b)
{
  if (!G_IS_INET_SOCKET_ADDRESS (a) || !G_IS_INET_SOCKET_ADDRESS (b))
    return FALSE;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (a))
         == g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (b))
         && g_inet_address_equal (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (a)),
                                  g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (b)));
}

static gboolean
receive_timed_out (gpointer user_data)
{
  ScopeClient *self = user_data;

  self->receive_timer = 0;
  g_signal_emit (self, signals[RECEIVE_TIMED_OUT], 0);
  return G_SOURCE_REMOVE;
}

/* The wait for an answer starts once everything queued is sent. */
static void
restart_receive_timer (ScopeClient *self)
{
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  if (self->receive_timeout_ms > 0 && self->connected && !self->peer_ended
      && g_queue_is_empty (&self->chunks))
    self->receive_timer = g_timeout_add (self->receive_timeout_ms, receive_timed_out, self);
}

static gboolean
delay_done (gpointer user_data)
{
  ScopeClient *self = user_data;
  Chunk *chunk = g_queue_peek_head (&self->chunks);

  self->delay_timer = 0;
  if (chunk != NULL)
    chunk->delay_ms = 0;
  update_source (self);
  return G_SOURCE_REMOVE;
}

/* ---- a stream payload ---------------------------------------------------- */

typedef enum
{
  STEP_PIECE_QUEUED,
  STEP_WAITING,
  STEP_ENDED,
  STEP_FAILED,
} StreamStep;

static gboolean
stream_readable (GObject  *stream,
                 gpointer  user_data)
{
  ScopeClient *self = user_data;
  Chunk *head = g_queue_peek_head (&self->chunks);

  /* Only the stream at the head of the queue ever waits. */
  g_assert (head != NULL && head->wait != NULL);
  g_clear_pointer (&head->wait, g_source_unref);
  update_source (self);
  return G_SOURCE_REMOVE;
}

static void
stream_wait (ScopeClient *self,
             Chunk       *stream)
{
  stream->wait = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (stream->stream),
                                                        NULL);
  g_source_set_priority (stream->wait, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (stream->wait, G_SOURCE_FUNC (stream_readable), self, NULL);
  g_source_attach (stream->wait, NULL);
}

/* The gathered bytes go ahead of the stream as a chunk of their own; the
 * first piece of each chunk after the first waits for the delay. */
static void
stream_queue_piece (ScopeClient *self,
                    Chunk       *stream)
{
  Chunk *piece = g_new0 (Chunk, 1);
  gsize size = stream->gathered->len;

  piece->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&stream->gathered));
  stream->gathered = g_byte_array_new ();
  if (stream->chunk_size > 0)
    {
      if (stream->chunk_queued == 0 && stream->chunk_begun)
        piece->delay_ms = stream->chunk_delay_ms;
      stream->chunk_queued += size;
      if (stream->chunk_queued >= stream->chunk_size)
        stream->chunk_queued = 0;
    }
  stream->chunk_begun = TRUE;
  g_queue_push_head (&self->chunks, piece);
}

static char *describe_file_errno (int errnum);

/* GIO's message for a failed read ends with strerror(): the errno named
 * there is put in words, with its name. */
static char *
describe_read_error (const GError *error)
{
#ifdef G_OS_UNIX
  static const int errnums[] = { EIO, EISDIR, EACCES, ENXIO, EINVAL, ENOMEM, EFAULT, EBADF };

  for (gsize i = 0; i < G_N_ELEMENTS (errnums); i++)
    if (error->message != NULL && g_str_has_suffix (error->message, g_strerror (errnums[i])))
      return describe_file_errno (errnums[i]);
#endif
  return scope_error_describe (error);
}

static void
stream_failed (ScopeClient  *self,
               const GError *error)
{
  g_autofree char *words = describe_read_error (error);
  g_autoptr(GError) said = g_error_new (error->domain, error->code,
                                        /* Translators: what went wrong, in words,
                                         * with its errno name */
                                        _("Could not read what was to be sent: %s"), words);

  fail_said (self, said);
}

/* Reads the next piece of a stream payload: over UDP one whole datagram
 * (a chunk, or everything when there are no chunks); over a stream, what
 * one read gives, or a chunk's bytes up to STREAM_PIECE. Never blocks: a
 * pipe with nothing in it is waited for with a source of its own. */
static StreamStep
stream_fill (ScopeClient *self,
             Chunk       *stream)
{
  GPollableInputStream *pollable = NULL;
  gboolean udp = self->protocol == SCOPE_PROTOCOL_UDP;
  gboolean exact = udp || stream->chunk_size > 0;
  gsize want;

  if (G_IS_POLLABLE_INPUT_STREAM (stream->stream)
      && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (stream->stream)))
    pollable = G_POLLABLE_INPUT_STREAM (stream->stream);
  if (udp)
    want = stream->chunk_size > 0 ? stream->chunk_size : SCOPE_UDP_MAX_PAYLOAD + 1;
  else if (stream->chunk_size > 0)
    want = MIN (stream->chunk_size - stream->chunk_queued, STREAM_PIECE);
  else
    want = STREAM_PIECE;

  for (;;)
    {
      guint64 left = stream->max_bytes > 0 ? stream->max_bytes - stream->read : G_MAXUINT64;
      gboolean done = stream->eof || left == 0;

      if (!done && stream->gathered->len < want)
        {
          g_autoptr(GError) error = NULL;
          gsize room = (gsize) MIN ((guint64) (want - stream->gathered->len), left);
          guint old_length = stream->gathered->len;
          gssize n;

          /* A FIFO's read gives 0, its end, before any writer came: it is
           * read only once poll() says so. */
          if (pollable != NULL && !g_pollable_input_stream_is_readable (pollable))
            {
              stream_wait (self, stream);
              return STEP_WAITING;
            }
          g_byte_array_set_size (stream->gathered, old_length + room);
          if (pollable != NULL)
            n = g_pollable_input_stream_read_nonblocking (pollable,
                                                          stream->gathered->data + old_length,
                                                          room, NULL, &error);
          else
            n = g_input_stream_read (stream->stream, stream->gathered->data + old_length, room,
                                     NULL, &error);
          g_byte_array_set_size (stream->gathered, old_length + MAX (n, 0));
          if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)
              && pollable != NULL)
            {
              stream_wait (self, stream);
              return STEP_WAITING;
            }
          if (n < 0)
            {
              stream_failed (self, error);
              return STEP_FAILED;
            }
          if (n == 0)
            stream->eof = TRUE;
          stream->read += n;
          done = stream->eof || (stream->max_bytes > 0 && stream->read == stream->max_bytes);
        }

      if (udp && stream->chunk_size == 0 && stream->gathered->len > SCOPE_UDP_MAX_PAYLOAD)
        {
          g_autoptr(GError) error =
            g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                         /* Translators: the most a datagram holds, twice */
                         _("What was to be sent gives more than %d bytes: one UDP datagram "
                           "holds at most %d bytes. Send it in chunks of at most %d (EMSGSIZE)"),
                         SCOPE_UDP_MAX_PAYLOAD, SCOPE_UDP_MAX_PAYLOAD, SCOPE_UDP_MAX_PAYLOAD);

          fail_said (self, error);
          return STEP_FAILED;
        }
      if (stream->gathered->len > 0
          && (stream->gathered->len == want || !exact || done))
        {
          stream_queue_piece (self, stream);
          return STEP_PIECE_QUEUED;
        }
      if (done)
        {
          /* Nothing at all over UDP is still one datagram, as with a typed
           * payload. */
          if (udp && !stream->chunk_begun)
            {
              stream_queue_piece (self, stream);
              return STEP_PIECE_QUEUED;
            }
          return STEP_ENDED;
        }
    }
}

/* Sends queued chunks until the socket would block or a chunk must wait
 * for its delay. Returns FALSE when the client closed on an error. */
static gboolean
send_queued (ScopeClient *self)
{
  Chunk *chunk;
  guint pieces = 0;

  while ((chunk = g_queue_peek_head (&self->chunks)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      gsize size;
      const guint8 *data;
      gssize sent;

      if (chunk->stream != NULL)
        {
          guint64 read;
          gboolean cut;

          /* Past the budget, the main loop has its turn; the socket is
           * still watched and the stream goes on at the next dispatch. */
          if (chunk->wait != NULL || pieces++ == STREAM_PIECES_PER_DISPATCH)
            return TRUE;
          switch (stream_fill (self, chunk))
            {
            case STEP_PIECE_QUEUED:
              continue;
            case STEP_WAITING:
              return TRUE;
            case STEP_FAILED:
              return FALSE;
            case STEP_ENDED:
            default:
              break;
            }
          read = chunk->read;
          cut = !chunk->eof;
          chunk_free (g_queue_pop_head (&self->chunks));
          restart_receive_timer (self);
          g_signal_emit (self, signals[STREAM_ENDED], 0, read, cut);
          if (self->socket == NULL)
            return FALSE;
          continue;
        }

      data = g_bytes_get_data (chunk->bytes, &size);
      if (chunk->delay_ms > 0)
        {
          if (self->delay_timer == 0)
            self->delay_timer = g_timeout_add (chunk->delay_ms, delay_done, self);
          return TRUE;
        }

      /* An empty payload is an empty datagram over UDP, and nothing at all
       * over a stream. GLib wants a buffer even for no bytes. */
      if (data == NULL)
        data = (const guint8 *) "";
      if (self->protocol == SCOPE_PROTOCOL_UDP)
        sent = g_socket_send_to (self->socket, self->remote, (const char *) data + chunk->sent,
                                 size - chunk->sent, NULL, &error);
      else if (size == 0)
        sent = 0;
      else
        sent = g_socket_send (self->socket, (const char *) data + chunk->sent,
                              size - chunk->sent, NULL, &error);
      if (sent < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return TRUE;
          if (self->protocol == SCOPE_PROTOCOL_UDP)
            fail_datagram (self, error);
          else
            fail (self, error);
          return FALSE;
        }

      if (self->protocol == SCOPE_PROTOCOL_UDP)
        scope_recorder_append_datagram (self->recorder, self->socket_id, SCOPE_EVENT_SENDTO,
                                        self->remote, data + chunk->sent, sent);
      else if (size > 0)
        scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_SEND,
                               data + chunk->sent, sent);
      chunk->sent += sent;
      if (chunk->sent == size)
        {
          chunk_free (g_queue_pop_head (&self->chunks));
          restart_receive_timer (self);
        }
    }

  /* Shut Down Writing pressed while chunks were still queued: now. */
  if (self->shutdown_pending)
    {
      g_autoptr(GError) error = NULL;

      self->shutdown_pending = FALSE;
      if (!shut_down (self, &error))
        {
          g_signal_emit (self, signals[FAILED], 0, error);
          return TRUE;
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_BYTES]);
  return TRUE;
}

static gboolean
dispatch (GSocket      *socket,
          GIOCondition  condition,
          gpointer      user_data)
{
  ScopeClient *self = g_object_ref (user_data);
  GSource *dispatching = g_main_current_source ();
  gboolean keep;

  if ((condition & G_IO_OUT) && !send_queued (self))
    goto out;

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && (self->watching & G_IO_IN))
    {
      if (self->protocol == SCOPE_PROTOCOL_UDP && (condition & G_IO_ERR))
        {
          g_autoptr(GError) icmp = take_icmp_error (self);

          if (icmp != NULL)
            {
              fail_said (self, icmp);
              goto out;
            }
        }
      scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_READABLE, NULL, 0);
      for (guint calls = 0; calls < READ_CALLS_PER_DISPATCH && self->socket != NULL; calls++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GSocketAddress) from = NULL;
          g_autoptr(GBytes) bytes = NULL;
          gssize n;

          if (self->protocol == SCOPE_PROTOCOL_UDP)
            n = g_socket_receive_from (self->socket, &from, (char *) self->buffer,
                                       MAX (self->read_buffer_size, MAX_DATAGRAM), NULL, &error);
          else
            n = g_socket_receive (self->socket, (char *) self->buffer, self->read_buffer_size,
                                  NULL, &error);
          if (n < 0)
            {
              if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                ;
              else if (self->protocol == SCOPE_PROTOCOL_UDP)
                fail_datagram (self, error);
              else
                fail (self, error);
              break;
            }

          if (self->protocol == SCOPE_PROTOCOL_UDP)
            scope_recorder_append_datagram (self->recorder, self->socket_id,
                                            SCOPE_EVENT_RECVFROM, from, self->buffer, n);
          else
            scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_RECV,
                                   self->buffer, n);

          if (n == 0 && self->protocol != SCOPE_PROTOCOL_UDP)
            {
              /* The peer has nothing more to send (S15). */
              self->peer_ended = TRUE;
              g_clear_handle_id (&self->receive_timer, g_source_remove);
              g_signal_emit (self, signals[PEER_CLOSED], 0);
              break;
            }
          bytes = g_bytes_new (self->buffer, n);
          /* Anyone may send to our port: only the target's datagrams are
           * the answer, and another's do not keep the wait for it going. */
          if (self->protocol == SCOPE_PROTOCOL_UDP && !same_peer (from, self->remote))
            {
              g_autofree char *source = from != NULL ? scope_socket_address_to_string (from)
                                                     : g_strdup ("?");

              g_signal_emit (self, signals[STRAY_DATAGRAM], 0, bytes, source);
              continue;
            }
          g_signal_emit (self, signals[RECEIVED], 0, bytes);
          restart_receive_timer (self);
        }
    }

  if (self->socket != NULL)
    update_source (self);

out:
  keep = self->source != NULL && self->source == dispatching;
  g_object_unref (self);
  return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
update_source (ScopeClient *self)
{
  GIOCondition wanted = 0;
  Chunk *next = g_queue_peek_head (&self->chunks);

  if (self->socket == NULL || !self->connected)
    return;
  if (!self->peer_ended)
    wanted |= G_IO_IN;
  if (next != NULL && next->wait != NULL)
    ;  /* a stream with nothing to give yet: its own source calls again */
  else if (next != NULL && next->delay_ms == 0)
    wanted |= G_IO_OUT;
  else if (next != NULL && self->delay_timer == 0)
    send_queued (self);  /* starts the delay */

  if (self->source != NULL && wanted == self->watching)
    return;
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  self->watching = wanted;
  if (wanted == 0)
    return;
  self->source = g_socket_create_source (self->socket, wanted, NULL);
  /* Below GTK's painting, so a busy socket cannot freeze the window. */
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (self->source, G_SOURCE_FUNC (dispatch), self, NULL);
  g_source_attach (self->source, NULL);
}

/* ---- connecting --------------------------------------------------------- */

static void
connected (ScopeClient *self)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (self->socket, NULL);
  g_autoptr(GSocketAddress) peer = NULL;
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

  g_clear_handle_id (&self->connect_timer, g_source_remove);
  if (self->protocol != SCOPE_PROTOCOL_UDP)
    peer = g_socket_get_remote_address (self->socket, NULL);
  else
    peer = g_object_ref (self->remote);

  g_free (self->local_address);
  self->local_address = scope_socket_address_to_string (local);
  g_free (self->remote_address);
  self->remote_address = scope_socket_address_to_string (peer);
  self->socket_id = scope_recorder_add_socket (self->recorder, SCOPE_SOCKET_CLIENT,
                                               self->protocol, "client", local, peer, 0);
  if (self->protocol != SCOPE_PROTOCOL_UDP)
    scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_CONNECT, NULL, 0);
  self->connected = TRUE;
  self->peer_ended = FALSE;
  g_list_free_full (g_steal_pointer (&self->candidates), g_object_unref);
  g_clear_error (&self->first_error);

  update_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  g_task_return_boolean (task, TRUE);
}

/* A failed attempt is recorded on a socket of its own, so the timeline
 * shows the refused or timed-out connect too; then the next address. */
static void
attempt_failed (ScopeClient *self,
                GError      *error)
{
  GSocketAddress *address = self->candidates->data;
  g_autofree char *shown = scope_socket_address_to_string (address);
  g_autofree char *words = scope_error_describe (error);
  guint id = scope_recorder_add_socket (self->recorder, SCOPE_SOCKET_CLIENT, self->protocol,
                                        "client", NULL, address, 0);

  scope_recorder_append_error (self->recorder, id, error);
  scope_recorder_append (self->recorder, id, SCOPE_EVENT_CLOSE, NULL, 0);
  drop_socket (self);
  g_clear_handle_id (&self->connect_timer, g_source_remove);

  if (self->first_error == NULL && self->protocol == SCOPE_PROTOCOL_UDP)
    /* Translators: an address, then what went wrong, in words, then the
     * errno name */
    self->first_error = g_error_new (error->domain, error->code, _("Could not send to %s: %s"),
                                     shown, words);
  else if (self->first_error == NULL)
    /* Translators: an address, then what went wrong, in words, then the
     * errno name */
    self->first_error = g_error_new (error->domain, error->code, _("Could not connect to %s: %s"),
                                     shown, words);
  g_error_free (error);

  g_object_unref (self->candidates->data);
  self->candidates = g_list_delete_link (self->candidates, self->candidates);
  connect_next (self);
}

static gboolean
connect_ready (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  ScopeClient *self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->source, g_source_unref);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->connect_task)))
    {
      /* connect_next() returns the cancellation. */
      g_clear_handle_id (&self->connect_timer, g_source_remove);
      drop_socket (self);
      connect_next (self);
      return G_SOURCE_REMOVE;
    }
  if (!g_socket_check_connect_result (socket, &error))
    attempt_failed (self, error);
  else
    connected (self);
  return G_SOURCE_REMOVE;
}

static gboolean
connect_timed_out (gpointer user_data)
{
  ScopeClient *self = user_data;

  self->connect_timer = 0;
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  attempt_failed (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                             g_strerror (ETIMEDOUT)));
  return G_SOURCE_REMOVE;
}

/* The address the system sends from to @target, port 0: a UDP socket
 * connected to it learns that from the routing table, and sends nothing.
 * 127.0.0.1 or ::1 for a target on this machine's loopback. */
static GSocketAddress *
routed_source (GSocketAddress  *target,
               GError         **error)
{
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GInetSocketAddress *inet;

  probe = g_socket_new (g_socket_address_get_family (target), G_SOCKET_TYPE_DATAGRAM,
                        G_SOCKET_PROTOCOL_DEFAULT, error);
  if (probe == NULL || !g_socket_connect (probe, target, NULL, error))
    return NULL;
  local = g_socket_get_local_address (probe, error);
  if (local == NULL)
    return NULL;
  inet = G_INET_SOCKET_ADDRESS (local);
  if (g_socket_address_get_family (local) != G_SOCKET_FAMILY_IPV6)
    return g_inet_socket_address_new (g_inet_socket_address_get_address (inet), 0);
  /* The scope of a link-local address goes with it. */
  return g_object_new (G_TYPE_INET_SOCKET_ADDRESS,
                       "address", g_inet_socket_address_get_address (inet),
                       "port", 0,
                       "scope-id", g_inet_socket_address_get_scope_id (inet),
                       NULL);
}

static void
connect_next (ScopeClient *self)
{
  GSocketAddress *address;
  GSocketType type;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (self->connect_task))
    {
      g_clear_object (&self->connect_task);
      g_list_free_full (g_steal_pointer (&self->candidates), g_object_unref);
      return;
    }

  if (self->candidates == NULL)
    {
      GTask *task = g_steal_pointer (&self->connect_task);

      g_task_return_error (task, g_steal_pointer (&self->first_error));
      g_object_unref (task);
      return;
    }

  address = self->candidates->data;
  type = self->protocol == SCOPE_PROTOCOL_UDP ? G_SOCKET_TYPE_DATAGRAM : G_SOCKET_TYPE_STREAM;
  self->socket = g_socket_new (g_socket_address_get_family (address), type,
                               G_SOCKET_PROTOCOL_DEFAULT, &error);
  if (self->socket == NULL)
    {
      attempt_failed (self, error);
      return;
    }
  g_socket_set_blocking (self->socket, FALSE);

  if (self->protocol == SCOPE_PROTOCOL_UDP)
    {
      /* As the notes do: bind port 0 and let the OS choose (S13); but on
       * the address the datagrams leave from, so that no other network
       * can send to the client. */
      g_autoptr(GSocketAddress) source = routed_source (address, &error);

      if (source == NULL || !g_socket_bind (self->socket, source, FALSE, &error))
        {
          attempt_failed (self, error);
          return;
        }
      ask_for_icmp_errors (self->socket);
      self->remote = g_object_ref (address);
      connected (self);
      return;
    }

  if (g_socket_connect (self->socket, address, NULL, &error))
    {
      connected (self);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    {
      attempt_failed (self, error);
      return;
    }
  g_clear_error (&error);

  self->source = g_socket_create_source (self->socket, G_IO_OUT, NULL);
  g_source_set_callback (self->source, G_SOURCE_FUNC (connect_ready), self, NULL);
  g_source_attach (self->source, NULL);
  if (self->connect_timeout_ms > 0)
    self->connect_timer = g_timeout_add (self->connect_timeout_ms, connect_timed_out, self);
}

static void
resolved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ScopeClient) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  guint16 port;

  /* Closed while the name was looked up: that has been answered. */
  if (self->connect_task == NULL)
    {
      g_resolver_free_addresses (addresses);
      return;
    }
  port = GPOINTER_TO_UINT (g_task_get_task_data (self->connect_task));
  if (addresses == NULL)
    {
      GTask *task = g_steal_pointer (&self->connect_task);
      g_autofree char *words = scope_error_describe (error);
      const char *host = g_object_get_data (G_OBJECT (task), "host");

      /* Translators: a host name, then what went wrong, in words, then the
       * EAI name */
      g_task_return_new_error (task, error->domain, error->code, _("Could not look up “%s”: %s"),
                               host, words);
      g_object_unref (task);
      return;
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    self->candidates = g_list_append (self->candidates, g_inet_socket_address_new (l->data, port));
  g_resolver_free_addresses (addresses);
  connect_next (self);
}

/**
 * scope_client_connect_async:
 * @host_or_path: a host name or address, or for %SCOPE_PROTOCOL_UNIX a path
 *
 * Resolves the host with GIO, then tries its addresses in order until one
 * answers. Every attempt is recorded; the address that was used is
 * #ScopeClient:remote-address.
 */
void
scope_client_connect_async (ScopeClient         *self,
                            ScopeProtocol        protocol,
                            const char          *host_or_path,
                            guint16              port,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GInetAddress) literal = NULL;

  g_return_if_fail (SCOPE_IS_CLIENT (self));
  g_return_if_fail (host_or_path != NULL);
  g_return_if_fail (self->connect_task == NULL);

  scope_client_close (self);
  self->protocol = protocol;
  self->connect_task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->connect_task, scope_client_connect_async);
  g_task_set_task_data (self->connect_task, GUINT_TO_POINTER (port), NULL);
  g_object_set_data_full (G_OBJECT (self->connect_task), "host", g_strdup (host_or_path), g_free);

  if (protocol == SCOPE_PROTOCOL_UNIX)
    {
#ifdef G_OS_UNIX
      GError *error = NULL;

      if (!scope_unix_path_validate (host_or_path, &error))
        {
          g_task_return_error (self->connect_task, error);
          g_clear_object (&self->connect_task);
          return;
        }
      self->candidates = g_list_append (NULL, g_unix_socket_address_new (host_or_path));
      connect_next (self);
#else
      g_task_return_new_error (self->connect_task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("This platform has no Unix-domain sockets"));
      g_clear_object (&self->connect_task);
#endif
      return;
    }

  /* A literal address is answered without a lookup. */
  literal = g_inet_address_new_from_string (host_or_path);
  if (literal != NULL)
    {
      self->candidates = g_list_append (NULL, g_inet_socket_address_new (literal, port));
      connect_next (self);
      return;
    }

  /* A name no name server could hold is answered here, and never asked. */
  {
    GError *error = NULL;

    if (!scope_resolver_validate_host (host_or_path, &error))
      {
        g_task_return_error (self->connect_task, error);
        g_clear_object (&self->connect_task);
        return;
      }
  }

  {
    g_autoptr(GResolver) resolver = g_resolver_get_default ();

    g_resolver_lookup_by_name_async (resolver, host_or_path, cancellable, resolved,
                                     g_object_ref (self));
  }
}

gboolean
scope_client_connect_finish (ScopeClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * scope_client_send:
 * @chunk_size: split the payload into writes of this many bytes; 0 for one
 * @delay_ms: wait this long between two chunks
 *
 * Queues the payload; it goes out as the socket takes it, each write
 * recorded.
 */
void
scope_client_send (ScopeClient *self,
                   GBytes      *payload,
                   gsize        chunk_size,
                   guint        delay_ms)
{
  gsize size;

  g_return_if_fail (SCOPE_IS_CLIENT (self));
  g_return_if_fail (payload != NULL);
  g_return_if_fail (self->connected);

  size = g_bytes_get_size (payload);
  if (chunk_size == 0 || chunk_size >= size)
    chunk_size = MAX (size, 1);

  for (gsize offset = 0; offset < size || (size == 0 && offset == 0); offset += chunk_size)
    {
      Chunk *chunk = g_new0 (Chunk, 1);

      chunk->bytes = g_bytes_new_from_bytes (payload, offset, MIN (chunk_size, size - offset));
      chunk->delay_ms = offset > 0 ? delay_ms : 0;
      g_queue_push_tail (&self->chunks, chunk);
      if (size == 0)
        break;
    }
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_BYTES]);
  update_source (self);
}

/**
 * scope_client_send_stream:
 * @stream: what to send, read as the socket takes it; a #GPollableInputStream
 *   that can poll is never read before it is readable
 * @max_bytes: read at most this many bytes of it; 0 for all it gives
 * @chunk_size: writes of this many bytes, each a datagram over UDP; 0 for
 *   one write (over UDP: everything in one datagram, at most
 *   %SCOPE_UDP_MAX_PAYLOAD bytes)
 * @delay_ms: wait this long between two chunks
 *
 * Queues a payload that may be large or endless: at most one piece of it
 * (64 KiB, or a chunk) is in memory at a time. #ScopeClient::stream-ended
 * says when it is all sent, and whether @max_bytes cut it short.
 */
void
scope_client_send_stream (ScopeClient  *self,
                          GInputStream *stream,
                          guint64       max_bytes,
                          gsize         chunk_size,
                          guint         delay_ms)
{
  Chunk *chunk;

  g_return_if_fail (SCOPE_IS_CLIENT (self));
  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (self->connected);
  g_return_if_fail (self->protocol != SCOPE_PROTOCOL_UDP || chunk_size <= SCOPE_UDP_MAX_PAYLOAD);

  chunk = g_new0 (Chunk, 1);
  chunk->stream = g_object_ref (stream);
  chunk->gathered = g_byte_array_new ();
  chunk->max_bytes = max_bytes;
  chunk->chunk_size = chunk_size;
  chunk->chunk_delay_ms = delay_ms;
  g_queue_push_tail (&self->chunks, chunk);
  g_clear_handle_id (&self->receive_timer, g_source_remove);
  update_source (self);
}

/**
 * scope_client_shutdown_write:
 *
 * shutdown(SHUT_WR): tells the peer that nothing more will come, while the
 * client still reads its answer (S15).
 */
gboolean
scope_client_shutdown_write (ScopeClient  *self,
                             GError      **error)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), FALSE);

  if (!self->connected || self->protocol == SCOPE_PROTOCOL_UDP)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Only a connected TCP or Unix stream socket can shut down writing"));
      return FALSE;
    }

  /* What is queued goes first: the shutdown follows the last chunk. */
  if (!g_queue_is_empty (&self->chunks))
    {
      self->shutdown_pending = TRUE;
      return TRUE;
    }
  return shut_down (self, error);
}

static gboolean
shut_down (ScopeClient  *self,
           GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_socket_shutdown (self->socket, FALSE, TRUE, &local_error))
    {
      g_autofree char *words = scope_error_describe (local_error);

      scope_recorder_append_error (self->recorder, self->socket_id, local_error);
      g_set_error_literal (error, local_error->domain, local_error->code, words);
      return FALSE;
    }
  scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_SHUTDOWN, NULL, 0);
  return TRUE;
}

/* Close while connecting: the attempt under way ends, and the connection
 * is answered as cancelled. */
static void
stop_connecting (ScopeClient *self)
{
  GTask *task = g_steal_pointer (&self->connect_task);

  drop_socket (self);
  g_clear_handle_id (&self->connect_timer, g_source_remove);
  g_list_free_full (g_steal_pointer (&self->candidates), g_object_unref);
  g_clear_error (&self->first_error);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                           _("Connecting was stopped"));
  g_object_unref (task);
}

/**
 * scope_client_close:
 *
 * Closes the socket; while connecting, stops and answers the connection as
 * cancelled.
 */
void
scope_client_close (ScopeClient *self)
{
  g_return_if_fail (SCOPE_IS_CLIENT (self));

  if (self->connect_task != NULL)
    {
      stop_connecting (self);
      return;
    }
  if (!self->connected)
    return;

  drop_socket (self);
  scope_recorder_append (self->recorder, self->socket_id, SCOPE_EVENT_CLOSE, NULL, 0);
  self->connected = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_BYTES]);
}

gboolean
scope_client_get_connected (ScopeClient *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), FALSE);

  return self->connected;
}

const char *
scope_client_get_local_address (ScopeClient *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), NULL);

  return self->local_address;
}

const char *
scope_client_get_remote_address (ScopeClient *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), NULL);

  return self->remote_address;
}

guint
scope_client_get_socket_id (ScopeClient *self)
{
  g_return_val_if_fail (SCOPE_IS_CLIENT (self), 0);

  return self->socket_id;
}

static void
scope_client_dispose (GObject *object)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  scope_client_close (self);
  drop_socket (self);
  g_clear_handle_id (&self->connect_timer, g_source_remove);

  G_OBJECT_CLASS (scope_client_parent_class)->dispose (object);
}

static void
scope_client_finalize (GObject *object)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  g_clear_object (&self->recorder);
  g_list_free_full (self->candidates, g_object_unref);
  g_clear_error (&self->first_error);
  g_free (self->buffer);
  g_free (self->local_address);
  g_free (self->remote_address);

  G_OBJECT_CLASS (scope_client_parent_class)->finalize (object);
}

static void
scope_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RECORDER:
      g_value_set_object (value, self->recorder);
      break;
    case PROP_READ_BUFFER_SIZE:
      g_value_set_uint (value, self->read_buffer_size);
      break;
    case PROP_RECEIVE_TIMEOUT:
      g_value_set_uint (value, self->receive_timeout_ms);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout_ms);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_string (value, self->local_address);
      break;
    case PROP_REMOTE_ADDRESS:
      g_value_set_string (value, self->remote_address);
      break;
    case PROP_PENDING_BYTES:
      g_value_set_uint64 (value, scope_client_get_pending_bytes (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RECORDER:
      self->recorder = g_value_dup_object (value);
      break;
    case PROP_READ_BUFFER_SIZE:
      self->read_buffer_size = g_value_get_uint (value);
      g_free (self->buffer);
      /* UDP reads a whole datagram whatever the buffer size says. */
      self->buffer = g_malloc (MAX (self->read_buffer_size, MAX_DATAGRAM));
      break;
    case PROP_RECEIVE_TIMEOUT:
      self->receive_timeout_ms = g_value_get_uint (value);
      break;
    case PROP_CONNECT_TIMEOUT:
      self->connect_timeout_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_client_constructed (GObject *object)
{
  ScopeClient *self = SCOPE_CLIENT (object);

  G_OBJECT_CLASS (scope_client_parent_class)->constructed (object);

  if (self->recorder == NULL)
    self->recorder = scope_recorder_new ();
}

static void
scope_client_class_init (ScopeClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS
                   | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = scope_client_constructed;
  object_class->dispose = scope_client_dispose;
  object_class->finalize = scope_client_finalize;
  object_class->get_property = scope_client_get_property;
  object_class->set_property = scope_client_set_property;

  properties[PROP_RECORDER] =
    g_param_spec_object ("recorder", NULL, NULL, SCOPE_TYPE_RECORDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_BUFFER_SIZE] =
    g_param_spec_uint ("read-buffer-size", NULL, NULL, 1, 1024 * 1024,
                       SCOPE_CLIENT_DEFAULT_READ_BUFFER, rw);
  properties[PROP_RECEIVE_TIMEOUT] =
    g_param_spec_uint ("receive-timeout", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT, 10000, rw);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  properties[PROP_LOCAL_ADDRESS] =
    g_param_spec_string ("local-address", NULL, NULL, NULL, ro);
  properties[PROP_REMOTE_ADDRESS] =
    g_param_spec_string ("remote-address", NULL, NULL, NULL, ro);
  properties[PROP_PENDING_BYTES] =
    g_param_spec_uint64 ("pending-bytes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RECEIVED] =
    g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[PEER_CLOSED] =
    g_signal_new ("peer-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[RECEIVE_TIMED_OUT] =
    g_signal_new ("receive-timed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ScopeClient::stray-datagram:
   * @bytes: the datagram
   * @source: who sent it, as "address:port"
   *
   * A UDP datagram from another address than the target: not the answer.
   * It is recorded as a recvfrom from @source like every other.
   */
  signals[STRAY_DATAGRAM] =
    g_signal_new ("stray-datagram", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_BYTES, G_TYPE_STRING);
  /**
   * ScopeClient::stream-ended:
   * @bytes: how many bytes the stream gave, all sent
   * @cut: %TRUE when its maximum stopped it, not its end
   */
  signals[STREAM_ENDED] =
    g_signal_new ("stream-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_BOOLEAN);
}

static void
scope_client_init (ScopeClient *self)
{
  g_queue_init (&self->chunks);
}

/**
 * scope_client_new:
 * @recorder: (nullable): where its events go; a new recorder when %NULL
 */
ScopeClient *
scope_client_new (ScopeRecorder *recorder)
{
  return g_object_new (SCOPE_TYPE_CLIENT, "recorder", recorder, NULL);
}

gboolean
scope_client_check_datagrams (gsize    size,
                              gsize    chunk_size,
                              GError **error)
{
  gsize largest = chunk_size > 0 ? MIN (chunk_size, size) : size;
  g_autofree char *bytes = NULL;

  if (largest <= SCOPE_UDP_MAX_PAYLOAD)
    return TRUE;
  bytes = g_strdup_printf ("%" G_GSIZE_FORMAT, largest);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               /* Translators: a number of bytes, then the most a datagram holds, twice */
               _("A datagram of %s bytes is too long: one UDP datagram holds at most %d bytes. "
                 "Send it in chunks of at most %d (EMSGSIZE)"),
               bytes, SCOPE_UDP_MAX_PAYLOAD, SCOPE_UDP_MAX_PAYLOAD);
  return FALSE;
}

/* The words for what keeps a file from being read; the errno names a
 * student may look up, which the socket table of scope-errors.c lacks. */
static char *
describe_file_errno (int errnum)
{
  switch (errnum)
    {
#ifdef G_OS_UNIX
    case EACCES:
      return g_strdup_printf ("%s (EACCES)", _("Permission denied: you may not read it"));
    case EISDIR:
      return g_strdup_printf ("%s (EISDIR)", _("It is a folder, not a file"));
    case ENXIO:
      return g_strdup_printf ("%s (ENXIO)",
                              _("It is a socket, or a device with nothing behind it"));
    case ENOTDIR:
      return g_strdup_printf ("%s (ENOTDIR)", _("A part of the path is not a folder"));
    case ELOOP:
      return g_strdup_printf ("%s (ELOOP)", _("The path goes round in symbolic links"));
    case ENAMETOOLONG:
      return g_strdup_printf ("%s (ENAMETOOLONG)", _("The path is too long"));
    case EIO:
      return g_strdup_printf ("%s (EIO)",
                              _("Input/output error: the file or its device could not be read"));
#endif
    default:
      return scope_errno_describe (errnum);
    }
}

static void
set_file_error (GError     **error,
                const char  *path,
                int          errnum)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *shown = scope_input_for_message (display, 200);
  g_autofree char *words = describe_file_errno (errnum);

  /* Translators: a file name, then what went wrong, in words, then the
   * errno name */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errnum), _("Could not read “%s”: %s"),
               shown, words);
}

GInputStream *
scope_client_open_file (const char  *path,
                        guint64     *size,
                        gboolean    *regular,
                        GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (size != NULL && regular != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

#ifdef G_OS_UNIX
  {
    struct stat info;
    int fd;

    /* Non-blocking: opening a FIFO with no writer would wait for one, and
     * hold the main loop for as long. */
    fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
    if (fd < 0 || fstat (fd, &info) != 0 || S_ISDIR (info.st_mode))
      {
        int errnum = fd < 0 ? errno : S_ISDIR (info.st_mode) ? EISDIR : errno;

        if (fd >= 0)
          close (fd);
        set_file_error (error, path, errnum);
        return NULL;
      }
    *regular = S_ISREG (info.st_mode);
    *size = *regular ? (guint64) info.st_size : 0;
    return g_unix_input_stream_new (fd, TRUE);
  }
#else
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GFileInfo) info = NULL;

    info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                              G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                              error);
    if (info == NULL)
      return NULL;
    if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
      {
        set_file_error (error, path, EISDIR);
        return NULL;
      }
    *regular = g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR;
    *size = *regular ? (guint64) g_file_info_get_size (info) : 0;
    return G_INPUT_STREAM (g_file_read (file, NULL, error));
  }
#endif
}
