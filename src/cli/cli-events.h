/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "scope-recorder.h"

G_BEGIN_DECLS

void cli_events_follow (ScopeRecorder *recorder,
                        FILE          *out);

G_END_DECLS
