/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-text.h"

/* Exact text: where bytes, names, addresses or errors are shown, a line
 * that breaks inside a word breaks there and nowhere else. Pango (1.44 and
 * later) would add a hyphen at such a break, and a student takes "clo-se"
 * or "H-TTP" for bytes that were sent. These turn that off: for a label by
 * an attribute merged into those it has (a .ui file's <attributes> would
 * replace them), and for a text view by a tag kept over all its text. */

#define NO_HYPHENS_TAG "scope-no-hyphens"

/**
 * scope_text_label_no_hyphens:
 *
 * Merges "no hyphens" into @label's attributes, which outlive every later
 * gtk_label_set_text().
 */
void
scope_text_label_no_hyphens (GtkLabel *label)
{
  PangoAttrList *old = gtk_label_get_attributes (label);
  PangoAttrList *attrs = old != NULL ? pango_attr_list_copy (old) : pango_attr_list_new ();

  g_return_if_fail (GTK_IS_LABEL (label));

  pango_attr_list_change (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (label, attrs);
  pango_attr_list_unref (attrs);
}

static gboolean
is_no_hyphens (PangoAttribute *attribute,
               gpointer        user_data)
{
  return attribute->klass->type == PANGO_ATTR_INSERT_HYPHENS
         && !((PangoAttrInt *) attribute)->value
         && attribute->start_index == 0 && attribute->end_index == G_MAXUINT;
}

/**
 * scope_text_label_has_no_hyphens:
 *
 * Whether scope_text_label_no_hyphens() holds for all of @label's text.
 */
gboolean
scope_text_label_has_no_hyphens (GtkLabel *label)
{
  PangoAttrList *attrs = gtk_label_get_attributes (label);
  PangoAttrList *found;
  gboolean has;

  g_return_val_if_fail (GTK_IS_LABEL (label), FALSE);

  if (attrs == NULL)
    return FALSE;
  found = pango_attr_list_filter (attrs, is_no_hyphens, NULL);
  has = found != NULL;
  if (found != NULL)
    pango_attr_list_unref (found);
  return has;
}

static void
tag_inserted (GtkTextBuffer *buffer,
              GtkTextIter   *end,
              const char    *text,
              int            length,
              GtkTextTag    *tag)
{
  GtkTextIter start = *end;

  gtk_text_iter_backward_chars (&start, g_utf8_strlen (text, length));
  gtk_text_buffer_apply_tag (buffer, tag, &start, end);
}

/**
 * scope_text_view_no_hyphens:
 *
 * Keeps a tag without hyphens over all of @view's text, what is there and
 * whatever is inserted later, typed or set.
 */
void
scope_text_view_no_hyphens (GtkTextView *view)
{
  GtkTextBuffer *buffer;
  GtkTextTag *tag;
  GtkTextIter start, end;

  g_return_if_fail (GTK_IS_TEXT_VIEW (view));

  buffer = gtk_text_view_get_buffer (view);
  if (gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), NO_HYPHENS_TAG) != NULL)
    return;
  tag = gtk_text_buffer_create_tag (buffer, NO_HYPHENS_TAG, "insert-hyphens", FALSE, NULL);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
  /* After the default handler, which leaves the iter at the insertion's end. */
  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (tag_inserted), tag,
                           G_CONNECT_AFTER);
}

/**
 * scope_text_view_has_no_hyphens:
 *
 * Whether all of @view's text lies under scope_text_view_no_hyphens()'s tag.
 */
gboolean
scope_text_view_has_no_hyphens (GtkTextView *view)
{
  GtkTextBuffer *buffer;
  GtkTextTag *tag;
  GtkTextIter iter, end;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), FALSE);

  buffer = gtk_text_view_get_buffer (view);
  tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), NO_HYPHENS_TAG);
  if (tag == NULL)
    return FALSE;
  gtk_text_buffer_get_bounds (buffer, &iter, &end);
  if (gtk_text_iter_equal (&iter, &end))
    return TRUE;
  /* Under the tag from the start, and no toggle off before the end. */
  if (!gtk_text_iter_has_tag (&iter, tag))
    return FALSE;
  gtk_text_iter_forward_to_tag_toggle (&iter, tag);
  return gtk_text_iter_equal (&iter, &end);
}
