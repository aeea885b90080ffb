/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

const char *scope_errno_name       (int errnum);
char       *scope_errno_describe   (int errnum);
const char *scope_gai_error_name   (int code);
char       *scope_gai_error_describe (int code);
int         scope_error_get_errno    (const GError *error);
char       *scope_error_describe     (const GError *error);
/* What a user typed, fit to quote in a message: valid UTF-8, a control
 * character shown as "?", at most @max characters and "…". */
char       *scope_input_for_message  (const char   *text,
                                      gsize         max);
/* Sets @error and returns FALSE: the one line with which a check of what a
 * user typed says what is wrong with it. */
gboolean    scope_error_invalid      (GError      **error,
                                      GQuark        domain,
                                      int           code,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
