/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-errors.h"
#include "scope-lookup-choices.h"
#include "scope-lookup-page.h"
#include "scope-resolver.h"
#include "scope-rows.h"
#include "scope-text.h"

/* The Lookup page: one question (a kind, a name or address, hints), asked of
 * the core resolver in a worker thread; the answer shown as groups of rows,
 * each with a short explanation and a copy button; the same question in
 * Python and C; and this session's questions, to see an answer again. */

#define SPINNER_DELAY_MS 100

/* The most flags of one set in the core's table (AI_* has seven). */
#define MAX_FLAGS 8

typedef struct
{
  ScopeLookupRequest *request;
  ScopeLookupResult  *result;   /* NULL when it failed */
  char               *error;    /* why it failed */
} HistoryEntry;

struct _ScopeLookupPage
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwComboRow          *kind_row;
  AdwEntryRow          *query_row;
  AdwEntryRow          *service_row;
  AdwComboRow          *proto_row;
  AdwComboRow          *records_row;
  AdwExpanderRow       *hints_row;
  AdwComboRow          *family_row;
  AdwComboRow          *socktype_row;
  AdwComboRow          *protocol_row;
  GtkSpinner           *spinner;
  GtkWidget            *cancel_button;
  GtkLabel             *status_label;
  GtkWidget            *error_box;
  GtkLabel             *error_label;
  GtkBox               *results_box;
  GtkWidget            *history_group;
  GtkListBox           *history_list;

  /* Owned */
  const ScopeLookupChoice *address_flags;    /* AI_*, from the core's table */
  guint                 n_address_flags;
  GtkWidget            *address_flag_rows[MAX_FLAGS];
  GtkSwitch            *address_flag_switches[MAX_FLAGS];
  const ScopeLookupChoice *name_flags;       /* NI_* */
  guint                 n_name_flags;
  GtkWidget            *name_flag_rows[MAX_FLAGS];
  GtkSwitch            *name_flag_switches[MAX_FLAGS];
  GSettings            *settings;
  GCancellable         *cancellable;
  ScopeLookupRequest   *running;
  ScopeLookupResult    *shown;
  guint                 spinner_id;
};

G_DEFINE_FINAL_TYPE (ScopeLookupPage, scope_lookup_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The lookups of a session the page keeps, answers and all: the newest. */
#define HISTORY_LIMIT 100

static void
history_entry_free (gpointer data)
{
  HistoryEntry *entry = data;

  scope_lookup_request_free (entry->request);
  g_clear_pointer (&entry->result, scope_lookup_result_unref);
  g_free (entry->error);
  g_free (entry);
}

static ScopeLookupKind
selected_kind (ScopeLookupPage *self)
{
  return (ScopeLookupKind) adw_combo_row_get_selected (self->kind_row);
}

/* Each kind shows the inputs it reads, named for what they hold. */
static void
update_inputs (ScopeLookupPage *self)
{
  ScopeLookupKind kind = selected_kind (self);
  const char *title = NULL;
  gboolean hints = kind == SCOPE_LOOKUP_ADDRINFO || kind == SCOPE_LOOKUP_HOST
                   || kind == SCOPE_LOOKUP_REVERSE;

  switch (kind)
    {
    case SCOPE_LOOKUP_ADDRINFO:
      title = _("Host Name or Address");
      break;
    case SCOPE_LOOKUP_HOST:
      title = _("Host Name");
      break;
    case SCOPE_LOOKUP_REVERSE:
      title = _("Address or Host Name");
      break;
    case SCOPE_LOOKUP_SERVICE:
      title = _("Service Name or Port");
      break;
    case SCOPE_LOOKUP_RECORDS:
      title = _("Domain Name");
      break;
    case SCOPE_LOOKUP_ME:
    default:
      break;
    }
  if (title != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->query_row), title);
  gtk_widget_set_visible (GTK_WIDGET (self->query_row), kind != SCOPE_LOOKUP_ME);
  gtk_widget_set_visible (GTK_WIDGET (self->service_row), kind == SCOPE_LOOKUP_ADDRINFO);
  gtk_widget_set_visible (GTK_WIDGET (self->proto_row), kind == SCOPE_LOOKUP_SERVICE);
  gtk_widget_set_visible (GTK_WIDGET (self->records_row), kind == SCOPE_LOOKUP_RECORDS);
  gtk_widget_set_visible (GTK_WIDGET (self->hints_row), hints);
  gtk_widget_set_visible (GTK_WIDGET (self->socktype_row), kind == SCOPE_LOOKUP_ADDRINFO);
  gtk_widget_set_visible (GTK_WIDGET (self->protocol_row), kind == SCOPE_LOOKUP_ADDRINFO);
  for (guint i = 0; i < self->n_address_flags; i++)
    gtk_widget_set_visible (self->address_flag_rows[i], kind == SCOPE_LOOKUP_ADDRINFO);
  for (guint i = 0; i < self->n_name_flags; i++)
    gtk_widget_set_visible (self->name_flag_rows[i], kind == SCOPE_LOOKUP_REVERSE);
  adw_expander_row_set_subtitle (self->hints_row,
                                 kind == SCOPE_LOOKUP_ADDRINFO
                                 ? _("Family, socket type, protocol and flags")
                                 : kind == SCOPE_LOOKUP_REVERSE ? _("Family and flags")
                                                                : _("Family"));
}

/* The drop-downs are built from the core's table of lookup choices: a
 * position is read and set through it, never as a number of its own. */
static void
fill_choices (AdwComboRow          *row,
              ScopeLookupChoiceSet  set)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint n;
  const ScopeLookupChoice *choices = scope_lookup_choices (set, NULL, &n);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, _(choices[i].label));
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

/* The value chosen in @row, or the set's first (its default) when @used
 * is FALSE or nothing is chosen. */
static int
chosen (AdwComboRow          *row,
        ScopeLookupChoiceSet  set,
        gboolean              used)
{
  return scope_lookup_choice_value (set, used ? adw_combo_row_get_selected (row) : 0);
}

static void
choose (AdwComboRow          *row,
        ScopeLookupChoiceSet  set,
        int                   value)
{
  adw_combo_row_set_selected (row, scope_lookup_choice_position (set, value));
}

static ScopeLookupRequest *
build_request (ScopeLookupPage *self)
{
  ScopeLookupKind kind = selected_kind (self);
  ScopeLookupRequest *request =
    scope_lookup_request_new (kind, kind == SCOPE_LOOKUP_ME
                                    ? "" : gtk_editable_get_text (GTK_EDITABLE (self->query_row)));
  gboolean hinted = kind == SCOPE_LOOKUP_ADDRINFO || kind == SCOPE_LOOKUP_HOST
                    || kind == SCOPE_LOOKUP_REVERSE;

  /* A question without a family asks for the table's default: AF_UNSPEC. */
  request->family = chosen (self->family_row, SCOPE_LOOKUP_CHOICE_FAMILY, hinted);
  if (kind == SCOPE_LOOKUP_ADDRINFO)
    {
      const char *service = gtk_editable_get_text (GTK_EDITABLE (self->service_row));

      request->service = service[0] != '\0' ? g_strdup (service) : NULL;
      request->socktype = chosen (self->socktype_row, SCOPE_LOOKUP_CHOICE_SOCKTYPE, TRUE);
      request->protocol = chosen (self->protocol_row, SCOPE_LOOKUP_CHOICE_PROTOCOL, TRUE);
      for (guint i = 0; i < self->n_address_flags; i++)
        if (gtk_switch_get_active (self->address_flag_switches[i]))
          request->ai_flags |= self->address_flags[i].value;
    }
  if (kind == SCOPE_LOOKUP_REVERSE)
    for (guint i = 0; i < self->n_name_flags; i++)
      if (gtk_switch_get_active (self->name_flag_switches[i]))
        request->ni_flags |= self->name_flags[i].value;
  if (kind == SCOPE_LOOKUP_SERVICE)
    request->proto = chosen (self->proto_row, SCOPE_LOOKUP_CHOICE_SERVICE_PROTO, TRUE);
  if (kind == SCOPE_LOOKUP_RECORDS)
    request->records = chosen (self->records_row, SCOPE_LOOKUP_CHOICE_RECORDS, TRUE);
  return request;
}

/* Puts @request back into the inputs, for an entry of the history. */
static void
show_request (ScopeLookupPage          *self,
              const ScopeLookupRequest *request)
{
  adw_combo_row_set_selected (self->kind_row, request->kind);
  gtk_editable_set_text (GTK_EDITABLE (self->query_row), request->query);
  gtk_editable_set_text (GTK_EDITABLE (self->service_row),
                         request->service != NULL ? request->service : "");
  choose (self->family_row, SCOPE_LOOKUP_CHOICE_FAMILY, request->family);
  choose (self->socktype_row, SCOPE_LOOKUP_CHOICE_SOCKTYPE, request->socktype);
  choose (self->protocol_row, SCOPE_LOOKUP_CHOICE_PROTOCOL, request->protocol);
  for (guint i = 0; i < self->n_address_flags; i++)
    gtk_switch_set_active (self->address_flag_switches[i],
                           (request->ai_flags & self->address_flags[i].value) != 0);
  for (guint i = 0; i < self->n_name_flags; i++)
    gtk_switch_set_active (self->name_flag_switches[i],
                           (request->ni_flags & self->name_flags[i].value) != 0);
  choose (self->proto_row, SCOPE_LOOKUP_CHOICE_SERVICE_PROTO, request->proto);
  choose (self->records_row, SCOPE_LOOKUP_CHOICE_RECORDS, request->records);
}

static char *
describe_request (const ScopeLookupRequest *request)
{
  switch (request->kind)
    {
    case SCOPE_LOOKUP_ADDRINFO:
      if (request->service != NULL && request->query[0] != '\0')
        /* Translators: a lookup in the history: a host name, then a service */
        return g_strdup_printf (_("Addresses of %s for %s"), request->query, request->service);
      if (request->service != NULL)
        return g_strdup_printf (_("Addresses for %s"), request->service);
      return g_strdup_printf (_("Addresses of %s"), request->query);
    case SCOPE_LOOKUP_HOST:
      /* Translators: a lookup in the history; %s is a host name */
      return g_strdup_printf (_("Host details of %s"), request->query);
    case SCOPE_LOOKUP_REVERSE:
      /* Translators: a lookup in the history; %s is an address */
      return g_strdup_printf (_("Reverse lookup of %s"), request->query);
    case SCOPE_LOOKUP_SERVICE:
      /* Translators: a lookup in the history; %s is a service name or port */
      return g_strdup_printf (_("Service %s"), request->query);
    case SCOPE_LOOKUP_RECORDS:
      /* Translators: a lookup in the history; %s is a domain name */
      return g_strdup_printf (_("DNS records of %s"), request->query);
    case SCOPE_LOOKUP_ME:
    default:
      return g_strdup (_("This machine"));
    }
}

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Names, addresses and code as they are: no hyphen where a line breaks. */
  scope_text_label_no_hyphens (GTK_LABEL (label));
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
section_group_new (ScopeLookupPage    *self,
                   ScopeLookupSection *section)
{
  GtkWidget *group = adw_preferences_group_new ();
  guint n = scope_report_section_get_n_rows (section);
  const char *empty = scope_report_section_get_empty_text (section);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   scope_report_section_get_title (section));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         scope_report_section_get_explanation (section));
  gtk_widget_set_name (group, scope_report_section_get_id (section));

  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     empty != NULL ? empty : _("Nothing"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      return group;
    }

  for (guint r = 0; r < n; r++)
    {
      const char *title = scope_report_section_get_row_title (section, r);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 scope_rows_copyable_new (
                                   title, scope_report_section_get_row_detail (section, r),
                                   scope_report_section_get_row_copy (section, r), title));
    }
  return group;
}

static GtkWidget *
code_block_new (ScopeLookupPage *self,
                const char      *language,
                const char      *code)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (language);
  GtkWidget *label = wrapped_label (code, "scope-mono");
  GtkWidget *frame = gtk_frame_new (NULL);
  /* Translators: %s is a programming language, "Python" or "C" */
  g_autofree char *what = g_strdup_printf (_("the %s code"), language);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), scope_rows_copy_button_new (code, what));
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_frame_set_child (GTK_FRAME (frame), label);
  gtk_box_append (GTK_BOX (box), frame);
  return box;
}

static void
clear_results (ScopeLookupPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_box))) != NULL)
    gtk_box_remove (self->results_box, child);
  gtk_widget_set_visible (self->error_box, FALSE);
}

static void
show_result (ScopeLookupPage   *self,
             ScopeLookupResult *result)
{
  const char * const *notes = scope_lookup_result_get_notes (result);
  const ScopeLookupRequest *request = scope_lookup_result_get_request (result);
  g_autofree char *python = scope_lookup_request_to_python (request);
  g_autofree char *c = scope_lookup_request_to_c (request);
  g_autofree char *status = NULL;
  GtkWidget *code_group;
  GtkWidget *code_box;

  clear_results (self);
  if (self->shown != result)
    {
      g_clear_pointer (&self->shown, scope_lookup_result_unref);
      self->shown = scope_lookup_result_ref (result);
    }

  for (guint i = 0; notes[i] != NULL; i++)
    {
      GtkWidget *note = wrapped_label (notes[i], NULL);

      gtk_widget_add_css_class (note, "scope-lookup-note");
      gtk_box_append (self->results_box, note);
    }
  for (guint i = 0; i < scope_lookup_result_get_n_sections (result); i++)
    gtk_box_append (self->results_box,
                    section_group_new (self, scope_lookup_result_get_section (result, i)));

  code_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (code_group), _("The Same in Code"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (code_group),
                                         _("The call a program makes to ask the same question, "
                                           "with the same arguments, ready to copy."));
  code_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_append (GTK_BOX (code_box), code_block_new (self, "Python", python));
  gtk_box_append (GTK_BOX (code_box), code_block_new (self, "C", c));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (code_group), code_box);
  gtk_box_append (self->results_box, code_group);

  /* Translators: %.1f is how long a lookup took, in milliseconds */
  status = g_strdup_printf (_("Answered in %.1f ms"),
                            scope_lookup_result_get_elapsed_us (result) / 1000.0);
  gtk_label_set_text (self->status_label, status);
}

static void
show_error (ScopeLookupPage *self,
            const char      *message)
{
  clear_results (self);
  g_clear_pointer (&self->shown, scope_lookup_result_unref);
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (self->error_box, TRUE);
  gtk_label_set_text (self->status_label, "");
}

static void
add_history (ScopeLookupPage          *self,
             const ScopeLookupRequest *request,
             ScopeLookupResult        *result,
             const char               *error)
{
  HistoryEntry *entry = g_new0 (HistoryEntry, 1);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = describe_request (request);
  g_autofree char *subtitle = NULL;
  GtkListBoxRow *oldest;

  entry->request = scope_lookup_request_copy (request);
  entry->result = result != NULL ? scope_lookup_result_ref (result) : NULL;
  entry->error = g_strdup (error);

  if (result != NULL)
    /* Translators: %.1f is a duration in milliseconds */
    subtitle = g_strdup_printf (_("Answered in %.1f ms"),
                                scope_lookup_result_get_elapsed_us (result) / 1000.0);
  else
    subtitle = g_strdup (error);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  /* The entry lives as long as its row. */
  g_object_set_data_full (G_OBJECT (row), "history-entry", entry, history_entry_free);
  /* The newest first; past the bound, the oldest goes, with its answer. */
  gtk_list_box_prepend (self->history_list, row);
  oldest = gtk_list_box_get_row_at_index (self->history_list, HISTORY_LIMIT);
  if (oldest != NULL)
    gtk_list_box_remove (self->history_list, GTK_WIDGET (oldest));
  gtk_widget_set_visible (self->history_group, TRUE);
}

static void
on_history_activated (ScopeLookupPage *self,
                      GtkListBoxRow   *row)
{
  HistoryEntry *entry = g_object_get_data (G_OBJECT (row), "history-entry");

  g_return_if_fail (entry != NULL);
  show_request (self, entry->request);
  if (entry->result != NULL)
    show_result (self, entry->result);
  else
    show_error (self, entry->error);
  gtk_widget_grab_focus (GTK_WIDGET (self->query_row));
}

static void
set_busy (ScopeLookupPage *self,
          gboolean         busy)
{
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  if (!busy)
    {
      gtk_spinner_stop (self->spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      gtk_widget_set_visible (self->cancel_button, FALSE);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lookup.cancel", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Fast answers never flash a spinner; slow ones show it and Cancel. */
static gboolean
show_spinner (gpointer user_data)
{
  ScopeLookupPage *self = user_data;

  self->spinner_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  gtk_label_set_text (self->status_label, _("Looking up…"));
  return G_SOURCE_REMOVE;
}

/* How a page keeps itself alive while the core works, the one rule of
 * src/ui (as GNOME Text Editor and Console do it): the _async call takes
 * g_object_ref (self) as its user data and the callback takes the reference
 * back with g_autoptr, so no callback meets a finalized page. The page
 * cancels what it waits for in dispose and when a newer request replaces
 * it; where the work acts on the world (a connect check, an export), also
 * when it leaves its window (unroot). A callback that finds its work
 * cancelled (G_IO_ERROR_CANCELLED) returns before it touches a widget: a
 * Cancel the user asks for is said by the action that cancels. */
static void
lookup_done (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(ScopeLookupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeLookupResult) result = scope_resolver_lookup_finish (res, &error);
  g_autoptr(ScopeLookupRequest) request = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Not cancelled, so not replaced: this is the question in flight. */
  g_return_if_fail (self->running != NULL);
  request = g_steal_pointer (&self->running);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (result != NULL)
    {
      show_result (self, result);
      add_history (self, request, result, NULL);
    }
  else
    {
      /* Translators: %s says what went wrong, in words and then the EAI name */
      g_autofree char *text = g_strdup_printf (_("The lookup failed. %s"), error->message);

      show_error (self, text);
      add_history (self, request, NULL, text);
    }
}

static void
cancel_running (ScopeLookupPage *self)
{
  g_clear_pointer (&self->running, scope_lookup_request_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/**
 * scope_lookup_page_run:
 *
 * Asks the question the inputs hold; a question still in flight is
 * dropped. Bad input is answered at once, in words.
 */
void
scope_lookup_page_run (ScopeLookupPage *self)
{
  g_autoptr(ScopeLookupRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  guint timeout_s;

  g_return_if_fail (SCOPE_IS_LOOKUP_PAGE (self));

  cancel_running (self);
  set_busy (self, FALSE);
  request = build_request (self);
  if (!scope_lookup_request_validate (request, &error))
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->query_row));
      return;
    }

  timeout_s = g_settings_get_uint (self->settings, "lookup-timeout");
  self->running = scope_lookup_request_copy (request);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  self->spinner_id = g_timeout_add (SPINNER_DELAY_MS, show_spinner, self);
  scope_resolver_lookup_async (request, timeout_s * 1000, self->cancellable, lookup_done,
                               g_object_ref (self));
}

gboolean
scope_lookup_page_get_busy (ScopeLookupPage *self)
{
  g_return_val_if_fail (SCOPE_IS_LOOKUP_PAGE (self), FALSE);

  return self->running != NULL;
}

/**
 * scope_lookup_page_get_result:
 *
 * Returns: (nullable) (transfer none): the answer on show
 */
ScopeLookupResult *
scope_lookup_page_get_result (ScopeLookupPage *self)
{
  g_return_val_if_fail (SCOPE_IS_LOOKUP_PAGE (self), NULL);

  return self->shown;
}

static void
on_entry_activated (ScopeLookupPage *self)
{
  scope_lookup_page_run (self);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  scope_lookup_page_run (SCOPE_LOOKUP_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ScopeLookupPage *self = SCOPE_LOOKUP_PAGE (widget);
  g_autoptr(ScopeLookupRequest) request = NULL;
  const char *text = _("Cancelled: the lookup was stopped before an answer came.");

  if (self->running == NULL)
    return;
  /* Said here: lookup_done, cancelled, says nothing. */
  request = g_steal_pointer (&self->running);
  cancel_running (self);
  set_busy (self, FALSE);
  show_error (self, text);
  add_history (self, request, NULL, text);
}

/* A switch for each flag of @set, titled by its constant. */
static const ScopeLookupChoice *
add_flag_rows (ScopeLookupPage      *self,
               ScopeLookupChoiceSet  set,
               guint                *n_flags,
               GtkWidget           **rows,
               GtkSwitch           **switches)
{
  guint n;
  const ScopeLookupChoice *flags = scope_lookup_choices (set, NULL, &n);

  g_assert (n <= MAX_FLAGS);
  *n_flags = n;
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), flags[i].constant);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(flags[i].help));
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      adw_expander_row_add_row (self->hints_row, row);
      rows[i] = row;
      switches[i] = GTK_SWITCH (toggle);
    }
  return flags;
}

static void
scope_lookup_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ScopeLookupPage *self = SCOPE_LOOKUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, scope_lookup_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_lookup_page_dispose (GObject *object)
{
  ScopeLookupPage *self = SCOPE_LOOKUP_PAGE (object);

  g_clear_pointer (&self->running, scope_lookup_request_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  g_clear_pointer (&self->shown, scope_lookup_result_unref);
  g_clear_object (&self->settings);
  /* The bin's child is a template child: GTK 4.8's dispose_template unparents
   * it behind AdwBin's back, and AdwBin then unparents it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_LOOKUP_PAGE);

  G_OBJECT_CLASS (scope_lookup_page_parent_class)->dispose (object);
}

static void
scope_lookup_page_class_init (ScopeLookupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = scope_lookup_page_get_property;
  object_class->dispose = scope_lookup_page_dispose;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/scope-lookup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, query_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, service_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, proto_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, records_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, hints_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, family_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, socktype_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, results_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, history_group);
  gtk_widget_class_bind_template_child (widget_class, ScopeLookupPage, history_list);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_history_activated);

  gtk_widget_class_install_action (widget_class, "lookup.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "lookup.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "lookup.cancel", NULL);
}

static void
scope_lookup_page_init (ScopeLookupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A name or an error's name as it is: no hyphen where a line breaks. */
  scope_text_label_no_hyphens (self->status_label);
  scope_text_label_no_hyphens (self->error_label);

  self->settings = g_settings_new (APP_ID);
  fill_choices (self->family_row, SCOPE_LOOKUP_CHOICE_FAMILY);
  fill_choices (self->socktype_row, SCOPE_LOOKUP_CHOICE_SOCKTYPE);
  fill_choices (self->protocol_row, SCOPE_LOOKUP_CHOICE_PROTOCOL);
  fill_choices (self->proto_row, SCOPE_LOOKUP_CHOICE_SERVICE_PROTO);
  fill_choices (self->records_row, SCOPE_LOOKUP_CHOICE_RECORDS);
  self->address_flags = add_flag_rows (self, SCOPE_LOOKUP_CHOICE_AI_FLAG, &self->n_address_flags,
                                       self->address_flag_rows, self->address_flag_switches);
  self->name_flags = add_flag_rows (self, SCOPE_LOOKUP_CHOICE_NI_FLAG, &self->n_name_flags,
                                    self->name_flag_rows, self->name_flag_switches);
  g_signal_connect_object (self->kind_row, "notify::selected", G_CALLBACK (update_inputs), self,
                           G_CONNECT_SWAPPED);
  update_inputs (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lookup.cancel", FALSE);
}
