/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-recorder.h"

G_BEGIN_DECLS

/* --events: every event the recorder keeps, as a line of JSON on @fd, as
 * it is flushed. The lines go through a bounded queue that a thread of its
 * own writes out, so a reader that stops reading never stops the main
 * loop: past the bound, lines are dropped and counted, and a line of kind
 * "dropped" says how many once there is room again. */
typedef struct _CliEvents CliEvents;

#define CLI_EVENTS_QUEUE_BYTES (1024 * 1024)

CliEvents *cli_events_follow (ScopeRecorder *recorder,
                              int            fd,
                              gsize          queue_bytes);
/* Stops following, writes out what is queued within @timeout_ms, says on
 * standard error what could not be written, and frees @events. Returns
 * whether every line reached @fd. */
gboolean   cli_events_finish (CliEvents     *events,
                              guint          timeout_ms);

G_END_DECLS
