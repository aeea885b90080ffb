/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "scope-export-private.h"

/* What a session's files and the user are told of what it does not hold:
 * the bytes past the payload cap, and how and when recording stopped at a
 * limit. For the user in their language, for the files in English. */

/* The cap in the words GLib's own size formatting would use in English. */
static char *
format_cap_english (guint64 cap)
{
  static const char * const units[] = { "KiB", "MiB", "GiB", "TiB" };
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  double value = (double) cap;
  guint unit = 0;

  if (cap < 1024)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", cap, cap == 1 ? "byte" : "bytes");
  value /= 1024;
  while (value >= 1024 && unit + 1 < G_N_ELEMENTS (units))
    {
      value /= 1024;
      unit++;
    }
  g_ascii_formatd (number, sizeof number, "%.1f", value);
  /* With a no-break space, as GLib writes it. */
  return g_strdup_printf ("%s\u00a0%s", number, units[unit]);
}

/* For the files: the same sentence as scope_export_describe_truncation(),
 * in English. */
char *
scope_export_describe_truncation_english (ScopeRecorder *recorder)
{
  guint64 events = scope_recorder_get_truncated_events (recorder);
  guint64 bytes = scope_recorder_get_truncated_bytes (recorder);
  g_autofree char *cap = NULL;

  if (events == 0)
    return g_strdup ("Nothing was truncated.");
  cap = format_cap_english (scope_recorder_get_payload_cap (recorder));
  return g_strdup_printf ("%" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT " %s) %s past the "
                          "payload cap of %s: counted, not kept.",
                          events, events == 1 ? "event" : "events",
                          bytes, bytes == 1 ? "byte" : "bytes",
                          events == 1 ? "was" : "were", cap);
}

static gulong
plural_count (guint64 n)
{
  return (gulong) MIN (n, (guint64) G_MAXULONG);
}

/**
 * scope_export_describe_truncation:
 *
 * Returns: (transfer full): one sentence for the user on what the payload
 * cap kept out of the session, in the user's language
 */
char *
scope_export_describe_truncation (ScopeRecorder *recorder)
{
  guint64 events, bytes;
  g_autofree char *events_text = NULL;
  g_autofree char *bytes_text = NULL;
  g_autofree char *bytes_words = NULL;
  g_autofree char *cap = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  events = scope_recorder_get_truncated_events (recorder);
  bytes = scope_recorder_get_truncated_bytes (recorder);
  if (events == 0)
    return g_strdup (_("Nothing was truncated."));

  events_text = g_strdup_printf ("%" G_GUINT64_FORMAT, events);
  bytes_text = g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
  /* Translators: %s is a number of bytes, e.g. "1048576 bytes" */
  bytes_words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes",
                                              plural_count (bytes)), bytes_text);
  cap = g_format_size_full (scope_recorder_get_payload_cap (recorder), G_FORMAT_SIZE_IEC_UNITS);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: the first %s is a number of events, the
                                        * second a number of bytes ("1048576 bytes"), the third
                                        * the recorder's payload cap ("64.0 MiB"). The bytes
                                        * were counted but not stored. */
                                       "%s event (%s) was past the payload cap of %s: counted, "
                                       "not kept.",
                                       "%s events (%s) were past the payload cap of %s: "
                                       "counted, not kept.",
                                       plural_count (events)),
                          events_text, bytes_words, cap);
}

/* ---- the stop sentence ------------------------------------------------- */

static const char *
stop_limit_english (ScopeRecorder *recorder,
                    guint64       *limit)
{
  *limit = scope_recorder_get_stopped_limit (recorder);
  switch (scope_recorder_get_state (recorder))
    {
    case SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT:
      return "events";
    case SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT:
      return "sockets";
    case SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT:
      return "datagram peers";
    case SCOPE_RECORDER_RECORDING:
    default:
      return NULL;
    }
}

/**
 * scope_export_describe_stop_english:
 *
 * Returns: (transfer full): for the files, in English: "Recording stopped at
 * 12.345678 s: the session reached its limit of 1000000 events. 42 events
 * (1234 bytes) after it were counted, not kept.", or "Recording did not
 * stop: nothing was dropped."
 */
char *
scope_export_describe_stop_english (ScopeRecorder *recorder)
{
  guint64 limit, events, bytes;
  const char *what;
  gint64 at;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  what = stop_limit_english (recorder, &limit);
  events = scope_recorder_get_dropped_events (recorder);
  bytes = scope_recorder_get_dropped_bytes (recorder);
  if (what == NULL)
    {
      if (events == 0)
        return g_strdup ("Recording did not stop: nothing was dropped.");
      return g_strdup_printf ("%" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT " %s) past the "
                              "recorder's limits %s counted, not kept.",
                              events, events == 1 ? "event" : "events",
                              bytes, bytes == 1 ? "byte" : "bytes",
                              events == 1 ? "was" : "were");
    }
  at = scope_recorder_get_stopped_us (recorder);
  return g_strdup_printf ("Recording stopped at %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " s: "
                          "the session reached its limit of %" G_GUINT64_FORMAT " %s. "
                          "%" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT " %s) after it %s "
                          "counted, not kept.",
                          at / G_USEC_PER_SEC, at % G_USEC_PER_SEC, limit, what,
                          events, events == 1 ? "event" : "events",
                          bytes, bytes == 1 ? "byte" : "bytes",
                          events == 1 ? "was" : "were");
}

/* Why recording stopped, in the user's language: "the session holds its
 * limit of 1000000 events"; NULL while it records. */
static char *
describe_stop_reason (ScopeRecorder *recorder)
{
  guint64 limit;
  g_autofree char *limit_text = NULL;

  stop_limit_english (recorder, &limit);
  limit_text = g_strdup_printf ("%" G_GUINT64_FORMAT, limit);
  switch (scope_recorder_get_state (recorder))
    {
    case SCOPE_RECORDER_STOPPED_AT_EVENT_LIMIT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is a number of events */
                                           "the session holds its limit of %s event",
                                           "the session holds its limit of %s events",
                                           plural_count (limit)), limit_text);
    case SCOPE_RECORDER_STOPPED_AT_SOCKET_LIMIT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is a number of sockets */
                                           "the session holds its limit of %s socket",
                                           "the session holds its limit of %s sockets",
                                           plural_count (limit)), limit_text);
    case SCOPE_RECORDER_STOPPED_AT_PEER_LIMIT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is a number of addresses
                                            * that datagrams came from or went to */
                                           "the session holds its limit of %s datagram peer",
                                           "the session holds its limit of %s datagram peers",
                                           plural_count (limit)), limit_text);
    case SCOPE_RECORDER_RECORDING:
    default:
      return NULL;
    }
}

static char *
format_stopped_at (ScopeRecorder *recorder)
{
  return g_strdup_printf ("%.3f", scope_recorder_get_stopped_us (recorder)
                                  / (double) G_USEC_PER_SEC);
}

/**
 * scope_export_describe_dropped:
 *
 * Returns: (transfer full) (nullable): in the user's language, how many
 * events were dropped since recording stopped (or past a limit): "5120
 * events since were counted, not kept."; %NULL when none was
 */
char *
scope_export_describe_dropped (ScopeRecorder *recorder)
{
  guint64 events;
  g_autofree char *events_text = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  events = scope_recorder_get_dropped_events (recorder);
  if (events == 0)
    return NULL;
  events_text = g_strdup_printf ("%" G_GUINT64_FORMAT, events);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: %s is a number of events */
                                       "%s event since was counted, not kept.",
                                       "%s events since were counted, not kept.",
                                       plural_count (events)), events_text);
}

/**
 * scope_export_describe_stop_point:
 *
 * Returns: (transfer full) (nullable): in the user's language, when and
 * why recording stopped, and nothing that changes after: "Recording
 * stopped at 12.345 s: the session holds its limit of 1000000 events.";
 * %NULL while it records
 */
char *
scope_export_describe_stop_point (ScopeRecorder *recorder)
{
  g_autofree char *reason = NULL;
  g_autofree char *at_text = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  reason = describe_stop_reason (recorder);
  if (reason == NULL)
    return NULL;
  at_text = format_stopped_at (recorder);
  /* Translators: the first %s is a time in seconds since the session
   * started ("12.345"), the second why recording stopped ("the session
   * holds its limit of 1000000 events") */
  return g_strdup_printf (_("Recording stopped at %s s: %s."), at_text, reason);
}

/**
 * scope_export_describe_stop:
 *
 * Returns: (transfer full) (nullable): in the user's language, why and
 * when recording stopped and what was dropped since; %NULL while the
 * recorder records and has dropped nothing
 */
char *
scope_export_describe_stop (ScopeRecorder *recorder)
{
  g_autofree char *dropped = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *at_text = NULL;

  g_return_val_if_fail (SCOPE_IS_RECORDER (recorder), NULL);

  reason = describe_stop_reason (recorder);
  dropped = scope_export_describe_dropped (recorder);
  if (reason == NULL && dropped == NULL)
    return NULL;
  if (reason == NULL)
    /* Translators: %s says how many events were counted, not kept */
    return g_strdup_printf (_("Some events came past the recorder’s limits: %s"), dropped);
  if (dropped == NULL)
    return scope_export_describe_stop_point (recorder);

  at_text = format_stopped_at (recorder);
  /* Translators: the first %s is a time in seconds since the session
   * started ("12.345"), the second why recording stopped ("the session
   * holds its limit of 1000000 events"), the third how many events were
   * dropped since */
  return g_strdup_printf (_("Recording stopped at %s s: %s. %s"), at_text, reason, dropped);
}

gboolean
scope_export_has_stop (ScopeRecorder *recorder)
{
  return scope_recorder_get_state (recorder) != SCOPE_RECORDER_RECORDING
         || scope_recorder_get_dropped_events (recorder) > 0;
}
