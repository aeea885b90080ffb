/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

int cli_lookup (int argc, char **argv);
