/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "scope-timeline-private.h"

/* What the timeline does on request: zoom, pan, follow and show all as
 * actions of the "timeline" group, for its keys and for the buttons of
 * the page around it; and the keys that move the selection. Two tables,
 * each read by one handler, give every key beside what it does.
 *
 * The group is a GSimpleActionGroup that the timeline inserts into itself
 * and hands to its container (scope_timeline_get_actions()): actions
 * installed on the widget class are seen only by the widget and its
 * children, and the page's buttons are neither. */

/* Where the keys and buttons zoom about: the selected event, if one is,
 * else the middle. */
double
scope_timeline_keyboard_anchor (ScopeTimeline *self)
{
  graphene_rect_t b;

  if (self->selected != SCOPE_TIMELINE_NOT_SELECTED
      && scope_timeline_get_event_bounds (self, (guint64) self->selected, &b))
    return b.origin.x + b.size.width / 2;
  return gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
}

/* @dx pixels back (below 0) or on, as the scroll bar would: at the very
 * end, the view follows again. */
static void
scroll_by (ScopeTimeline *self,
           double         dx)
{
  if (self->hadjustment != NULL)
    gtk_adjustment_set_value (self->hadjustment, gtk_adjustment_get_value (self->hadjustment) + dx);
  else
    scope_timeline_set_view (self, self->start_us + dx * self->scale, self->scale);
}

static void
pan (ScopeTimeline *self,
     double         halves)
{
  scroll_by (self,
             halves * scope_timeline_content_width (self,
                                                    gtk_widget_get_width (GTK_WIDGET (self))) / 2);
}

/* About the keyboard anchor. A selected event scrolled out of view comes
 * to the middle first: zooming about a point off screen would take the
 * view further from what the user chose to look at, with every press. */
static void
zoom (ScopeTimeline *self,
      double         factor)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double anchor = scope_timeline_keyboard_anchor (self);

  if (anchor < 0 || anchor > width)
    {
      scroll_by (self, anchor - width / 2);
      anchor = scope_timeline_keyboard_anchor (self);
    }
  scope_timeline_zoom (self, factor, anchor);
}

/* The moves of the view: one table of what each does and the keys that
 * ask for it, read by one handler. */
typedef enum
{
  MOVE_ZOOM,   /* by a factor, about the keyboard anchor */
  MOVE_PAN,    /* by half screens */
  MOVE_FIT,    /* show all */
  MOVE_EXCHANGE,   /* follow the latest exchange */
} MoveKind;

typedef struct
{
  const char      *name;
  MoveKind         kind;
  double           amount;      /* the factor, or the half screens */
  GdkModifierType  modifiers;
  guint            keys[3];     /* ended by 0 when fewer */
} Move;

static const Move moves[] = {
  { "zoom-in", MOVE_ZOOM, 2, 0, { GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add } },
  { "zoom-out", MOVE_ZOOM, 0.5, 0, { GDK_KEY_minus, GDK_KEY_KP_Subtract } },
  { "pan-left", MOVE_PAN, -1, GDK_SHIFT_MASK, { GDK_KEY_Left } },
  { "pan-right", MOVE_PAN, 1, GDK_SHIFT_MASK, { GDK_KEY_Right } },
  { "show-all", MOVE_FIT, 0, 0, { GDK_KEY_0, GDK_KEY_KP_0 } },
  { "follow-exchange", MOVE_EXCHANGE, 0, 0, { GDK_KEY_f, GDK_KEY_F } },
};

static void
move_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ScopeTimeline *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  const Move *move = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (moves) && move == NULL; i++)
    if (g_str_equal (moves[i].name, name))
      move = &moves[i];
  g_return_if_fail (move != NULL);

  switch (move->kind)
    {
    case MOVE_ZOOM:
      zoom (self, move->amount);
      break;
    case MOVE_PAN:
      pan (self, move->amount);
      break;
    case MOVE_FIT:
      scope_timeline_zoom_to_fit (self);
      break;
    case MOVE_EXCHANGE:
      scope_timeline_follow_exchange (self);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Follow (End, or its button) turned on follows the conversation: the
 * latest exchange, fitted, as F does; the zoom the user last set would
 * leave it a sliver at the edge. */
static void
change_follow (GSimpleAction *action,
               GVariant      *state,
               gpointer       user_data)
{
  if (g_variant_get_boolean (state))
    scope_timeline_follow_exchange (SCOPE_TIMELINE (user_data));
  else
    scope_timeline_set_follow (SCOPE_TIMELINE (user_data), FALSE);
}

/* Activated without a parameter, a boolean state toggles. */
static const GActionEntry follow_entry = {
  .name = "follow", .state = "true", .change_state = change_follow,
};

/* Follow's state, and its button, say whether the view follows the latest
 * exchange: after a zoom or Show All the view may still keep the newest
 * events in sight, but a button that stayed pressed then told the trial
 * the exchange was followed while only the last event was in view. */
void
scope_timeline_sync_follow_action (ScopeTimeline *self)
{
  GAction *follow = self->actions != NULL
                    ? g_action_map_lookup_action (G_ACTION_MAP (self->actions), "follow")
                    : NULL;

  if (follow != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (follow), g_variant_new_boolean (
                                 scope_timeline_get_following_exchange (self)));
}

void
scope_timeline_init_actions (ScopeTimeline *self)
{
  self->actions = g_simple_action_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (moves[i].name, NULL);

      g_signal_connect (action, "activate", G_CALLBACK (move_activated), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
    }
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), &follow_entry, 1, self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "timeline", G_ACTION_GROUP (self->actions));
  g_signal_connect (self, "notify::follow", G_CALLBACK (scope_timeline_sync_follow_action),
                    NULL);
  scope_timeline_sync_follow_action (self);
}

/* The group may outlive the timeline in its container's hands: emptied,
 * it calls nothing that is gone. */
void
scope_timeline_dispose_actions (ScopeTimeline *self)
{
  if (self->actions == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    g_action_map_remove_action (G_ACTION_MAP (self->actions), moves[i].name);
  g_action_map_remove_action (G_ACTION_MAP (self->actions), follow_entry.name);
  g_clear_object (&self->actions);
}

/**
 * scope_timeline_get_actions:
 *
 * Returns: (transfer none): the "timeline" actions (zoom-in, zoom-out,
 * pan-left, pan-right, show-all, follow-exchange, follow), for a container
 * to insert so
 * that its buttons may name them
 */
GActionGroup *
scope_timeline_get_actions (ScopeTimeline *self)
{
  g_return_val_if_fail (SCOPE_IS_TIMELINE (self), NULL);

  return G_ACTION_GROUP (self->actions);
}

/* A move asked for from the page around the timeline: @args names the
 * action. */
static gboolean
page_move_activated (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  return gtk_widget_activate_action_variant (GTK_WIDGET (user_data),
                                             g_variant_get_string (args, NULL), NULL);
}

/* Escape from the page: clears the selection, and so the inspector; with
 * nothing selected the key goes on (to a folded flap, say). */
static gboolean
page_escape_activated (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  ScopeTimeline *self = user_data;

  if (self->selected == SCOPE_TIMELINE_NOT_SELECTED)
    return FALSE;
  scope_timeline_escape (self);
  return TRUE;
}

/**
 * scope_timeline_add_page_shortcuts:
 * @controller: a shortcut controller of global scope on the page that holds
 *   the timeline
 *
 * Adds the view's unmodified keys (+, -, 0, F) and Escape to @controller,
 * so that they work wherever the focus is on the page: a lecturer presses F
 * or 0 just after clicking Send or a server's switch, and only a click on
 * the timeline made them work (the third trial). A global controller runs
 * after the focused widget, so a text field keeps the letters and digits
 * typed into it; the panning keys, with Shift, stay the timeline's, for
 * Shift and an arrow select text and move the focus elsewhere.
 */
void
scope_timeline_add_page_shortcuts (ScopeTimeline         *self,
                                   GtkShortcutController *controller)
{
  g_return_if_fail (SCOPE_IS_TIMELINE (self));
  g_return_if_fail (GTK_IS_SHORTCUT_CONTROLLER (controller));

  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    for (guint k = 0; k < G_N_ELEMENTS (moves[i].keys) && moves[i].keys[k] != 0; k++)
      {
        GtkShortcut *shortcut;

        if (moves[i].modifiers != 0)
          continue;
        shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (moves[i].keys[k], 0),
                                     gtk_callback_action_new (page_move_activated, self, NULL));
        gtk_shortcut_set_arguments (shortcut, g_variant_new_take_string (
                                      g_strconcat ("timeline.", moves[i].name, NULL)));
        gtk_shortcut_controller_add_shortcut (controller, shortcut);
      }
  gtk_shortcut_controller_add_shortcut (
    controller,
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new (page_escape_activated, self, NULL)));
}

static gint64
first_visible_event (ScopeTimeline *self)
{
  gint64 best = SCOPE_TIMELINE_NOT_SELECTED;
  double left = scope_timeline_x_to_time (self, 0);

  for (guint row = 0; row < scope_timeline_get_n_lanes (self); row++)
    {
      guint n = scope_stream_get_lane_n_events (self->stream, row);
      guint i = scope_timeline_lane_find_time (self, row, left);

      if (i < n)
        return scope_timeline_lane_event (self, row, i);
      if (n > 0 && best == SCOPE_TIMELINE_NOT_SELECTED)
        best = scope_timeline_lane_event (self, row, n - 1);
    }
  return best;
}

/* Left and Right: the event before or after in the same lane, or
 * %SCOPE_TIMELINE_NOT_SELECTED at its end. */
static gint64
step_in_lane (ScopeTimeline     *self,
              const ScopeRecord *record,
              guint              row,
              int                step)
{
  guint i = 0;

  scope_stream_find_lane_event (self->stream, row, record->index, &i);
  if (step < 0 && i > 0)
    return scope_timeline_lane_event (self, row, i - 1);
  if (step > 0 && i + 1 < scope_stream_get_lane_n_events (self->stream, row))
    return scope_timeline_lane_event (self, row, i + 1);
  return SCOPE_TIMELINE_NOT_SELECTED;
}

/* Up and Down: the nearest event in time in the next lane that has any, or
 * %SCOPE_TIMELINE_NOT_SELECTED past the last. */
static gint64
step_across_lanes (ScopeTimeline     *self,
                   const ScopeRecord *record,
                   guint              lane,
                   int                step)
{
  for (int row = (int) lane + step;
       row >= 0 && row < (int) scope_timeline_get_n_lanes (self);
       row += step)
    {
      guint n = scope_stream_get_lane_n_events (self->stream, row);
      guint i;

      if (n == 0)
        continue;
      i = scope_timeline_lane_find_time (self, row, record->time_us);
      if (i == n)
        i--;
      else if (i > 0
               && record->time_us - scope_timeline_lane_event_time (self, row, i - 1)
                  < scope_timeline_lane_event_time (self, row, i) - record->time_us)
        i--;
      return scope_timeline_lane_event (self, row, i);
    }
  return SCOPE_TIMELINE_NOT_SELECTED;
}

/* The keys that move the selection, each with what it does: @step is the
 * way along a lane or across lanes, or which end. */
typedef enum
{
  SELECT_ALONG,    /* Left, Right: the event before or after in its lane */
  SELECT_ACROSS,   /* Up, Down: the nearest in time in the next lane with any */
  SELECT_END,      /* Home, End: the first or the last event, then following */
  SELECT_NONE,     /* Escape */
} SelectHow;

static const struct
{
  guint     key;
  SelectHow how;
  int       step;
} selection_keys[] = {
  { GDK_KEY_Left, SELECT_ALONG, -1 },
  { GDK_KEY_Right, SELECT_ALONG, 1 },
  { GDK_KEY_Up, SELECT_ACROSS, -1 },
  { GDK_KEY_Down, SELECT_ACROSS, 1 },
  { GDK_KEY_Home, SELECT_END, -1 },
  { GDK_KEY_End, SELECT_END, 1 },
  { GDK_KEY_Escape, SELECT_NONE, 0 },
};

/* @args: the SelectHow and the step of selection_keys. Returns FALSE, so
 * that the key goes on to the page, only for an Escape with nothing to
 * clear. */
static gboolean
selection_key_activated (GtkWidget *widget,
                         GVariant  *args,
                         gpointer   user_data)
{
  ScopeTimeline *self = SCOPE_TIMELINE (widget);
  guint64 n_events = scope_timeline_n_events (self);
  guint64 first;
  int how;
  int step;
  ScopeRecord record;
  guint row;
  gint64 next;

  g_variant_get (args, "(ii)", &how, &step);
  switch ((SelectHow) how)
    {
    case SELECT_NONE:
      if (self->selected == SCOPE_TIMELINE_NOT_SELECTED)
        return FALSE;
      scope_timeline_escape (self);
      return TRUE;

    case SELECT_END:
      /* From the first event of the session: a New Session's cut */
      first = self->stream != NULL ? scope_stream_get_first_index (self->stream) : 0;
      if (n_events == first)
        return TRUE;
      scope_timeline_set_selected (self, step > 0 ? (gint64) n_events - 1 : (gint64) first);
      /* End follows the latest exchange again, which the selection had
       * stopped. */
      if (step > 0)
        scope_timeline_follow_exchange (self);
      return TRUE;

    case SELECT_ALONG:
    case SELECT_ACROSS:
      /* From nothing, the arrows start at the first event in sight. */
      if (self->selected == SCOPE_TIMELINE_NOT_SELECTED)
        {
          scope_timeline_set_selected (self, first_visible_event (self));
          return TRUE;
        }
      scope_recorder_get_record (self->recorder, (guint64) self->selected, &record);
      row = scope_timeline_lane_of_socket (self, record.socket_id);
      next = how == SELECT_ALONG ? step_in_lane (self, &record, row, step)
                                 : step_across_lanes (self, &record, row, step);
      if (next == SCOPE_TIMELINE_NOT_SELECTED)
        gtk_widget_error_bell (widget);
      else
        scope_timeline_set_selected (self, next);
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

void
scope_timeline_class_init_actions (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    for (guint k = 0; k < G_N_ELEMENTS (moves[i].keys) && moves[i].keys[k] != 0; k++)
      {
        g_autofree char *action = g_strconcat ("timeline.", moves[i].name, NULL);

        gtk_widget_class_add_binding_action (widget_class, moves[i].keys[k], moves[i].modifiers,
                                             action, NULL);
      }

  for (guint i = 0; i < G_N_ELEMENTS (selection_keys); i++)
    gtk_widget_class_add_binding (widget_class, selection_keys[i].key, 0, selection_key_activated,
                                  "(ii)", selection_keys[i].how, selection_keys[i].step);
}
