/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every fuzz target shares: libFuzzer's entry point, and CHECK(),
 * which aborts with the failed condition so that libFuzzer keeps the
 * input as a crash: also in builds with G_DISABLE_ASSERT, so not g_assert. */
#pragma once

#include <stdlib.h>
#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define CHECK(cond)                                                                     \
  G_STMT_START                                                                          \
  {                                                                                     \
    if (G_UNLIKELY (!(cond)))                                                           \
      {                                                                                 \
        g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);            \
        abort ();                                                                       \
      }                                                                                 \
  }                                                                                     \
  G_STMT_END
