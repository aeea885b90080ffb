/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean cli_parse_number (const char  *text,
                           const char  *what,
                           guint64      min,
                           guint64      max,
                           guint64     *out,
                           GError     **error);
int      cli_fail         (const char  *command,
                           const char  *message);

G_END_DECLS
