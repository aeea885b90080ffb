/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the client sends, as a user types it: text with escapes, or hex. */
typedef enum
{
  SCOPE_PAYLOAD_TEXT,
  SCOPE_PAYLOAD_HEX,
} ScopePayloadFormat;

#define SCOPE_PAYLOAD_ERROR (scope_payload_error_quark ())

typedef enum
{
  SCOPE_PAYLOAD_ERROR_BAD_ESCAPE,     /* "\q", "\x4", a lone trailing "\" */
  SCOPE_PAYLOAD_ERROR_BAD_HEX,        /* "4g", an odd number of digits */
  SCOPE_PAYLOAD_ERROR_INVALID_UTF8,   /* text input that is not UTF-8 */
} ScopePayloadError;

GQuark  scope_payload_error_quark      (void);

GBytes *scope_payload_parse            (const char          *input,
                                        gssize               length,
                                        ScopePayloadFormat   format,
                                        gsize               *error_column,
                                        GError             **error);

char   *scope_payload_render_text      (const guint8        *data,
                                        gsize                length);
char   *scope_payload_render_hex       (const guint8        *data,
                                        gsize                length);
char   *scope_payload_render_hex_dump  (const guint8        *data,
                                        gsize                length,
                                        gsize                first_offset);

G_END_DECLS
