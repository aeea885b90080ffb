/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-address.h"
#include "scope-address-report.h"
#include "scope-address-view.h"
#include "scope-error-box.h"
#include "scope-rows.h"

/* The Addresses part of the Ports page: an address and a number byte by
 * byte, as the C calls see them. */

/* What the width row's items choose, in their order in the template. */
static const guint width_choices[] = {
  16,   /* 16 bits, htons() */
  32,   /* 32 bits, htonl() */
};

struct _ScopeAddressView
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwEntryRow         *address_row;
  ScopeErrorBox       *address_error;
  GtkListBox          *address_list;
  AdwPreferencesGroup *byte_order_group;
  AdwEntryRow         *number_row;
  AdwComboRow         *width_row;
  ScopeErrorBox       *byte_order_error;
  GtkListBox          *byte_order_list;
};

G_DEFINE_FINAL_TYPE (ScopeAddressView, scope_address_view, ADW_TYPE_BIN)

/* An error says what was wrong with the text inspected: once that text is
 * edited, it no longer speaks of what the field holds. */
static void
on_address_edited (ScopeAddressView *self)
{
  scope_error_box_show (self->address_error, NULL);
}

static void
on_inspect_address (ScopeAddressView *self)
{
  g_auto(ScopeAddressInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeReport) report = NULL;

  scope_rows_clear (self->address_list);
  gtk_widget_set_visible (GTK_WIDGET (self->address_list), FALSE);
  if (!scope_address_inspect (gtk_editable_get_text (GTK_EDITABLE (self->address_row)), &info,
                              &error))
    {
      scope_error_box_show (self->address_error, error->message);
      return;
    }
  scope_error_box_show (self->address_error, NULL);

  /* The command line's "address", row by row: its table, then the note
   * and the Python line the text prints after it. */
  report = scope_address_report (&info);
  for (guint i = 0; i < scope_report_get_n_sections (report); i++)
    scope_rows_append_section (self->address_list, scope_report_get_section (report, i));
}

static void
show_byte_order (ScopeAddressView     *self,
                 const ScopeByteOrder *order,
                 guint                 width)
{
  const char *to_network = width == 16 ? "htons" : "htonl";
  const char *to_host = width == 16 ? "ntohs" : "ntohl";
  g_autofree char *host = scope_bytes_to_hex (order->host_bytes, width / 8);
  g_autofree char *network = scope_bytes_to_hex (order->network_bytes, width / 8);
  g_autofree char *value = g_strdup_printf ("%u (0x%0*x)", order->value, width / 4,
                                            order->value);
  g_autofree char *converted_title = g_strdup_printf ("%s(%u) = %u (0x%0*x)", to_network,
                                                      order->value, order->converted, width / 4,
                                                      order->converted);
  g_autofree char *back_title = g_strdup_printf ("%s(%u) = %u", to_host, order->converted,
                                                 order->value);
  /* Translators: %s is "little-endian" or "big-endian", as the C world writes it */
  g_autofree char *memory_detail = g_strdup_printf (_("The number’s bytes in this machine’s "
                                                      "memory: it is %s"),
                                                    order->little_endian ? "little-endian"
                                                                         : "big-endian");

  scope_rows_append (self->byte_order_list, scope_rows_value_new (value, _("The number")));
  scope_rows_append (self->byte_order_list, scope_rows_value_new (host, memory_detail));
  scope_rows_append (self->byte_order_list,
                     scope_rows_value_new (network, _("Its bytes in network order, big-endian: "
                                                      "what goes into a packet")));
  scope_rows_append (self->byte_order_list,
                     scope_rows_value_new (converted_title,
                                           order->little_endian
                                           ? _("Those network-order bytes read back in this "
                                               "machine’s order: a different number")
                                           : _("On a big-endian machine the orders agree: "
                                               "nothing changes")));
  scope_rows_append (self->byte_order_list,
                     scope_rows_value_new (back_title, _("And back again, as a receiver does")));
}

static void
on_byte_order_changed (ScopeAddressView *self)
{
  ScopeByteOrder order;
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (self->width_row);
  guint width = width_choices[selected < G_N_ELEMENTS (width_choices) ? selected : 0];

  scope_rows_clear (self->byte_order_list);
  if (!scope_byte_order_convert (gtk_editable_get_text (GTK_EDITABLE (self->number_row)), width,
                                 &order, &error))
    {
      scope_error_box_show (self->byte_order_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->byte_order_list), FALSE);
      return;
    }
  scope_error_box_show (self->byte_order_error, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->byte_order_list), TRUE);
  show_byte_order (self, &order, width);
}

static void
scope_address_view_dispose (GObject *object)
{
  /* The bin's child is a template child: see scope-lookup-page.c. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_ADDRESS_VIEW);

  G_OBJECT_CLASS (scope_address_view_parent_class)->dispose (object);
}

static void
scope_address_view_class_init (ScopeAddressViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_address_view_dispose;

  g_type_ensure (SCOPE_TYPE_ERROR_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-address-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeAddressView, address_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeAddressView, address_error);
  gtk_widget_class_bind_template_child (widget_class, ScopeAddressView, address_list);
  gtk_widget_class_bind_template_child (widget_class, ScopeAddressView, byte_order_group);
  gtk_widget_class_bind_template_child (widget_class, ScopeAddressView, number_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeAddressView, width_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeAddressView, byte_order_error);
  gtk_widget_class_bind_template_child (widget_class, ScopeAddressView, byte_order_list);
  gtk_widget_class_bind_template_callback (widget_class, on_inspect_address);
  gtk_widget_class_bind_template_callback (widget_class, on_address_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_byte_order_changed);
}

static void
scope_address_view_init (ScopeAddressView *self)
{
  g_autofree char *order = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: %s is "little-endian" or "big-endian", as the C world writes it */
  order = g_strdup_printf (_("htons() and htonl() put a number’s bytes in network order, "
                             "big-endian, as packets carry ports and addresses; ntohs() and "
                             "ntohl() put them back. This machine is %s."),
                           G_BYTE_ORDER == G_LITTLE_ENDIAN ? "little-endian" : "big-endian");
  adw_preferences_group_set_description (self->byte_order_group, order);
  on_byte_order_changed (self);
}
