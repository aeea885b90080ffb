/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *scope_errno_name       (int errnum);
char       *scope_errno_describe   (int errnum);
const char *scope_gai_error_name   (int code);
char       *scope_gai_error_describe (int code);

G_END_DECLS
