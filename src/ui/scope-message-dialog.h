/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void scope_message_dialog_present (AdwMessageDialog *dialog);

G_END_DECLS
