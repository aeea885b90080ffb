/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the tables Sockscope reads from the system: a
 * services file (the catalogue's fallback parser) and the kernel's socket
 * tables of /proc/net. Whatever the input:
 *   - every entry read has a name, a protocol and a port up to 65535, and
 *     the entries and the lines skipped are no more than the lines;
 *   - every socket read has addresses inet_ntop() wrote, a port up to
 *     65535 and a state the kernel names. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scope-port-status.h"
#include "scope-services.h"
#include "fuzz-check.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char *protocols[] = { "tcp", "tcp6", "udp", "udp6" };
  g_autoptr(ScopeServiceCatalogue) catalogue =
    scope_service_catalogue_new_from_text ((const char *) data, size, "fuzz");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  gsize lines = 1;

  for (gsize i = 0; i < size; i++)
    lines += data[i] == '\n';
  CHECK (n + scope_service_catalogue_get_n_skipped (catalogue) <= lines);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ScopeService) service = g_list_model_get_item (G_LIST_MODEL (catalogue), i);
      g_autofree char *aliases = scope_service_dup_aliases_text (service);

      CHECK (scope_service_get_name (service)[0] != '\0');
      CHECK (scope_service_get_protocol (service)[0] != '\0');
      CHECK (scope_service_get_port (service) <= 65535);
      CHECK (g_utf8_validate (aliases, -1, NULL));
      (void) scope_service_matches (service, "a");
    }

  for (guint p = 0; p < G_N_ELEMENTS (protocols); p++)
    {
      g_autoptr(GPtrArray) entries =
        g_ptr_array_new_with_free_func ((GDestroyNotify) scope_socket_entry_free);

      scope_socket_table_parse ((const char *) data, size, protocols[p], entries);
      for (guint i = 0; i < entries->len; i++)
        {
          ScopeSocketEntry *entry = g_ptr_array_index (entries, i);

          CHECK (entry->local_port <= 65535 && entry->remote_port <= 65535);
          CHECK (strchr (entry->local_address, ':') != NULL || strchr (entry->local_address, '.'));
          CHECK (entry->state != NULL && entry->state[0] != '\0');
          CHECK (entry->inode[0] != '\0');
        }
    }
  return 0;
}
