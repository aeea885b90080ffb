/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "scope-resolver.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_LOOKUP_PAGE (scope_lookup_page_get_type ())

G_DECLARE_FINAL_TYPE (ScopeLookupPage, scope_lookup_page, SCOPE, LOOKUP_PAGE, AdwBin)

void               scope_lookup_page_run        (ScopeLookupPage *self);
gboolean           scope_lookup_page_get_busy   (ScopeLookupPage *self);
ScopeLookupResult *scope_lookup_page_get_result (ScopeLookupPage *self);

G_END_DECLS
