/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *scope_version_string     (void);
char       *scope_version_describe   (void);

G_END_DECLS
