/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int cli_services  (int argc, char **argv);
int cli_constants (int argc, char **argv);
int cli_address   (int argc, char **argv);
int cli_port      (int argc, char **argv);

G_END_DECLS
