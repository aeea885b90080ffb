/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "scope-platform.h"
#include "scope-server-private.h"

/* The kinds of one-click server: their names, titles, what each answers and
 * the port the course notes give it (seed:line in the notes), which a
 * server takes when it is free, so that the students' code from the notes
 * connects unchanged. */

static const struct
{
  const char    *name;
  const char    *title;
  const char    *usage;
  ScopeProtocol  protocol;
  guint16        notes_port;
} kinds[] = {
  [SCOPE_SERVER_TCP_ECHO] = { "tcp-echo", N_("TCP echo"),
                              N_("Sends back every byte it receives, as it receives it"),
                              SCOPE_PROTOCOL_TCP, 50000 },   /* 000:492 */
  [SCOPE_SERVER_UDP_ECHO] = { "udp-echo", N_("UDP echo"),
                              N_("Sends each datagram back to the address it came from"),
                              SCOPE_PROTOCOL_UDP, 8000 },    /* 004:15 */
  [SCOPE_SERVER_UDP_UPPER] = { "udp-upper", N_("UDP upper-case"),
                               N_("Sends each datagram back with its letters in upper case"),
                               SCOPE_PROTOCOL_UDP, 11111 },  /* 001:226 */
  [SCOPE_SERVER_TCP_SUM] = { "tcp-sum", N_("TCP sum"),
                             N_("Two integers on a line, e.g. 17 25: answers their exact sum, "
                                "or an error line"),
                             /* none in the notes: next to echo's */
                             SCOPE_PROTOCOL_TCP, 50001 },
  [SCOPE_SERVER_TCP_MESSAGE] = { "tcp-message", N_("TCP message"),
                                 N_("Sends its message to each client that connects, then "
                                    "closes"),
                                 SCOPE_PROTOCOL_TCP, 8888 },   /* 004:12 */
  [SCOPE_SERVER_HTTP] = { "http", N_("Tiny HTTP"),
                          N_("Answers GET and HEAD with a small page, then closes: try curl "
                             "or a browser"),
                          /* 80 where any program may listen on it, else 8080 (002:202):
                           * scope_server_kind_get_notes_port() */
                          SCOPE_PROTOCOL_TCP, 8080 },
  [SCOPE_SERVER_UNIX_ECHO] = { "unix-echo", N_("Unix echo"),
                               N_("Sends back every byte it receives, on a path instead of a "
                                  "port"),
                               SCOPE_PROTOCOL_UNIX, 0 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == SCOPE_SERVER_N_KINDS);

const char *
scope_server_kind_to_string (ScopeServerKind kind)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, NULL);

  return kinds[kind].name;
}

gboolean
scope_server_kind_from_string (const char      *name,
                               ScopeServerKind *kind)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < SCOPE_SERVER_N_KINDS; i++)
    if (g_str_equal (name, kinds[i].name))
      {
        if (kind != NULL)
          *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
scope_server_kind_get_title (ScopeServerKind kind)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, NULL);

  return _(kinds[kind].title);
}

/**
 * scope_server_kind_get_usage:
 *
 * Returns: (nullable): what a server of this kind answers, in one line
 * for its row and `serve --help`, translated
 */
const char *
scope_server_kind_get_usage (ScopeServerKind kind)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, NULL);

  return kinds[kind].usage != NULL ? _(kinds[kind].usage) : NULL;
}

ScopeProtocol
scope_server_kind_get_protocol (ScopeServerKind kind)
{
  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, SCOPE_PROTOCOL_TCP);

  return kinds[kind].protocol;
}

/**
 * scope_server_kind_get_notes_port:
 *
 * Returns: the port the course notes give this kind of server, which it
 * takes when no port is asked for and that one is free: TCP echo 50000,
 * TCP sum 50001, UDP echo 8000, UDP upper-case 11111, TCP message 8888,
 * HTTP 80 where a program without privileges may listen on it, else 8080;
 * 0 for the Unix echo server, which has a path
 */
guint16
scope_server_kind_get_notes_port (ScopeServerKind kind)
{
  g_autofree char *source = NULL;
  guint first = G_MAXUINT;

  g_return_val_if_fail (kind < SCOPE_SERVER_N_KINDS, 0);

  if (kind == SCOPE_SERVER_HTTP && scope_platform_unprivileged_port_start (&first, &source)
      && first <= 80)
    return 80;
  return kinds[kind].notes_port;
}
