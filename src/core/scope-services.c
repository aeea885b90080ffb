/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "scope-errors.h"
#include "scope-platform.h"
#include "scope-services.h"

/* The services database as a list model, with IANA's port classes and the
 * ranges this system itself uses. The database comes from the C library
 * where there is one; otherwise from netbase's file, read by the same
 * parser as any services file. That file is GPL-2.0-only, so it is a
 * separate work installed beside the app (data/netbase/), never compiled
 * in. */

G_DEFINE_QUARK (scope-ports-error-quark, scope_ports_error)

/* ------------------------------------------------------------------------ */
/* Port classes                                                             */

static const struct
{
  const char *name;
  const char *title;
  const char *explanation;
  guint       first;
  guint       last;
} port_classes[SCOPE_N_PORT_CLASSES] = {
  [SCOPE_PORT_CLASS_WELL_KNOWN] = {
    "well-known", N_("Well-known"),
    N_("System ports, assigned by IANA to standard services such as SSH (22) and HTTP (80). "
       "On Unix only a program with administrator rights may listen on one."),
    0, 1023 },
  [SCOPE_PORT_CLASS_REGISTERED] = {
    "registered", N_("Registered"),
    N_("User ports, registered with IANA for applications such as databases and games; any "
       "program may listen on one."),
    1024, 49151 },
  [SCOPE_PORT_CLASS_DYNAMIC] = {
    "dynamic", N_("Dynamic"),
    N_("Dynamic or private ports, never assigned to a service: IANA keeps them for the "
       "temporary (ephemeral) port a client's socket is given when it connects."),
    49152, 65535 },
};

ScopePortClass
scope_port_class_of (guint port)
{
  if (port <= 1023)
    return SCOPE_PORT_CLASS_WELL_KNOWN;
  if (port <= 49151)
    return SCOPE_PORT_CLASS_REGISTERED;
  return SCOPE_PORT_CLASS_DYNAMIC;
}

const char *
scope_port_class_to_string (ScopePortClass port_class)
{
  g_return_val_if_fail (port_class < SCOPE_N_PORT_CLASSES, NULL);

  return port_classes[port_class].name;
}

gboolean
scope_port_class_from_string (const char     *name,
                              ScopePortClass *port_class)
{
  for (guint i = 0; i < SCOPE_N_PORT_CLASSES; i++)
    if (g_strcmp0 (port_classes[i].name, name) == 0)
      {
        *port_class = i;
        return TRUE;
      }
  return FALSE;
}

const char *
scope_port_class_get_title (ScopePortClass port_class)
{
  g_return_val_if_fail (port_class < SCOPE_N_PORT_CLASSES, NULL);

  return _(port_classes[port_class].title);
}

void
scope_port_class_get_bounds (ScopePortClass  port_class,
                             guint          *first,
                             guint          *last)
{
  g_return_if_fail (port_class < SCOPE_N_PORT_CLASSES);

  *first = port_classes[port_class].first;
  *last = port_classes[port_class].last;
}

const char *
scope_port_class_explain (ScopePortClass port_class)
{
  g_return_val_if_fail (port_class < SCOPE_N_PORT_CLASSES, NULL);

  return _(port_classes[port_class].explanation);
}

void
scope_port_range_clear (ScopePortRange *range)
{
  g_clear_pointer (&range->source, g_free);
}

/**
 * scope_ports_ephemeral_range:
 *
 * The ports this system gives to a client socket that did not bind one:
 * Linux's own range (often 32768–60999, not IANA's), or IANA's 49152–65535,
 * which Windows and macOS use by default.
 */
void
scope_ports_ephemeral_range (ScopePortRange *range)
{
  memset (range, 0, sizeof *range);
  if (scope_platform_ephemeral_range (&range->first, &range->last, &range->source))
    {
      range->from_system = TRUE;
      return;
    }
  range->first = 49152;
  range->last = 65535;
  range->source = g_strdup (_("IANA's dynamic range, the default of Windows and macOS: this "
                              "system does not say which range it uses"));
}

void
scope_ports_unprivileged_range (ScopePortRange *range)
{
  memset (range, 0, sizeof *range);
  range->last = 65535;
  if (scope_platform_unprivileged_port_start (&range->first, &range->source))
    {
      range->from_system = TRUE;
      return;
    }
#ifdef G_OS_WIN32
  range->first = 0;
  range->source = g_strdup (_("Windows lets any program listen on any port"));
#else
  range->first = 1024;
  range->source = g_strdup (_("The Unix rule: ports below 1024 need administrator rights"));
#endif
}

#define invalid(error, ...) \
  scope_error_invalid (error, SCOPE_PORTS_ERROR, SCOPE_PORTS_ERROR_INVALID, __VA_ARGS__)


/**
 * scope_port_parse:
 *
 * Reads a port number, allowing spaces around it. Empty text, a sign,
 * letters and numbers past 65535 each get a message that says so.
 */
gboolean
scope_port_parse (const char  *text,
                  guint       *port,
                  GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *shown = scope_input_for_message (trimmed, 20);
  guint64 value = 0;

  if (trimmed[0] == '\0')
    return invalid (error, _("The port is empty: type a number from 0 to 65535"));
  if (trimmed[0] == '-' && trimmed[1] != '\0' && strspn (trimmed + 1, "0123456789")
      == strlen (trimmed + 1))
    return invalid (error, _("Port %s is out of range: ports go from 0 to 65535"), shown);
  if (strspn (trimmed, "0123456789") != strlen (trimmed))
    return invalid (error, _("“%s” is not a port number: type a number from 0 to 65535, such "
                             "as 22"), shown);
  if (strlen (trimmed) > 5
      || !g_ascii_string_to_unsigned (trimmed, 10, 0, 65535, &value, NULL))
    return invalid (error, _("Port %s is out of range: ports go from 0 to 65535"), shown);
  *port = (guint) value;
  return TRUE;
}

gboolean
scope_port_require_nonzero (guint    port,
                            GError **error)
{
  if (port != 0)
    return TRUE;
  return invalid (error, _("Port 0 is not a port to ask about: bind() to port 0 asks the "
                           "system for any free port, and nothing listens on it"));
}

/**
 * scope_port_range_parse:
 *
 * Reads "22" or "20-25" (or "20–25"), lowest first, at most @max_count
 * ports.
 */
gboolean
scope_port_range_parse (const char  *text,
                        guint        max_count,
                        guint       *first,
                        guint       *last,
                        GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  const char *dash = NULL;
  guint low, high;

  if (!g_utf8_validate (trimmed, -1, NULL))
    return invalid (error, _("The text is not valid UTF-8"));
  /* A dash after the first character joins two ports; one at the start is
   * a minus sign, which scope_port_parse explains. */
  for (const char *p = trimmed + (trimmed[0] != '\0' ? 1 : 0); *p != '\0';
       p = g_utf8_next_char (p))
    if (*p == '-' || g_str_has_prefix (p, "–"))
      {
        dash = p;
        break;
      }
  if (dash == NULL)
    {
      if (!scope_port_parse (trimmed, &low, error))
        return FALSE;
      *first = *last = low;
      return TRUE;
    }
  {
    g_autofree char *left = g_strndup (trimmed, dash - trimmed);
    const char *right = dash + (*dash == '-' ? 1 : strlen ("–"));

    if (!scope_port_parse (left, &low, error) || !scope_port_parse (right, &high, error))
      return FALSE;
  }
  if (low > high)
    /* Translators: %u are port numbers, as the user typed them */
    return invalid (error, _("The range %u–%u runs backwards: put the lower port first"),
                    low, high);
  if (high - low + 1 > max_count)
    /* Translators: %u are port numbers, then how many ports are allowed */
    return invalid (error, _("The range %u–%u holds %u ports; at most %u may be checked at "
                             "once"), low, high, high - low + 1, max_count);
  *first = low;
  *last = high;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* One entry                                                                */

struct _ScopeService
{
  GObject     parent_instance;

  char       *name;
  GStrv       aliases;
  const char *protocol;   /* one of known_protocols, or owned */
  guint16     port;
  guint       owns_protocol : 1;
};

/* The protocols services files name, shared by every entry. Any other is
 * the entry's own: interned, each new word a file (or a fuzzer) brought
 * would stay in GLib's quark table for good. */
static const char *const known_protocols[] = { "tcp", "udp", "sctp", "dccp", "ddp" };

G_DEFINE_FINAL_TYPE (ScopeService, scope_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_PORT,
  PROP_PROTOCOL,
  PROP_ALIASES,
  PROP_ALIASES_TEXT,
  PROP_PORT_CLASS,
  PROP_PORT_CLASS_TITLE,
  N_PROPS
};

static GParamSpec *service_properties[N_PROPS];

static void
scope_service_finalize (GObject *object)
{
  ScopeService *self = SCOPE_SERVICE (object);

  g_free (self->name);
  g_strfreev (self->aliases);
  if (self->owns_protocol)
    g_free ((char *) self->protocol);

  G_OBJECT_CLASS (scope_service_parent_class)->finalize (object);
}

static void
scope_service_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ScopeService *self = SCOPE_SERVICE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_PROTOCOL:
      g_value_set_static_string (value, self->protocol);
      break;
    case PROP_ALIASES:
      g_value_set_boxed (value, self->aliases);
      break;
    case PROP_ALIASES_TEXT:
      g_value_take_string (value, scope_service_dup_aliases_text (self));
      break;
    case PROP_PORT_CLASS:
      g_value_set_string (value, scope_port_class_to_string (scope_port_class_of (self->port)));
      break;
    case PROP_PORT_CLASS_TITLE:
      g_value_set_string (value, scope_port_class_get_title (scope_port_class_of (self->port)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_service_class_init (ScopeServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = scope_service_finalize;
  object_class->get_property = scope_service_get_property;

  service_properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  service_properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, flags);
  service_properties[PROP_PROTOCOL] = g_param_spec_string ("protocol", NULL, NULL, NULL, flags);
  service_properties[PROP_ALIASES] = g_param_spec_boxed ("aliases", NULL, NULL, G_TYPE_STRV,
                                                         flags);
  service_properties[PROP_ALIASES_TEXT] = g_param_spec_string ("aliases-text", NULL, NULL, NULL,
                                                               flags);
  service_properties[PROP_PORT_CLASS] = g_param_spec_string ("port-class", NULL, NULL, NULL,
                                                             flags);
  service_properties[PROP_PORT_CLASS_TITLE] = g_param_spec_string ("port-class-title", NULL,
                                                                   NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, service_properties);
}

static void
scope_service_init (ScopeService *self)
{
}

static ScopeService *
service_new (const char         *name,
             guint               port,
             const char         *protocol,
             const char * const *aliases)
{
  ScopeService *self = g_object_new (SCOPE_TYPE_SERVICE, NULL);

  self->name = g_strdup (name);
  self->port = (guint16) port;
  for (gsize i = 0; i < G_N_ELEMENTS (known_protocols) && self->protocol == NULL; i++)
    if (strcmp (protocol, known_protocols[i]) == 0)
      self->protocol = known_protocols[i];
  if (self->protocol == NULL)
    {
      self->protocol = g_strdup (protocol);
      self->owns_protocol = TRUE;
    }
  self->aliases = g_strdupv ((char **) aliases);
  if (self->aliases == NULL)
    self->aliases = g_new0 (char *, 1);
  return self;
}

const char *
scope_service_get_name (ScopeService *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE (self), NULL);

  return self->name;
}

guint
scope_service_get_port (ScopeService *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE (self), 0);

  return self->port;
}

const char *
scope_service_get_protocol (ScopeService *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE (self), NULL);

  return self->protocol;
}

const char * const *
scope_service_get_aliases (ScopeService *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE (self), NULL);

  return (const char * const *) self->aliases;
}

char *
scope_service_dup_aliases_text (ScopeService *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE (self), NULL);

  return g_strjoinv (" ", self->aliases);
}

ScopePortClass
scope_service_get_port_class (ScopeService *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE (self), SCOPE_PORT_CLASS_WELL_KNOWN);

  return scope_port_class_of (self->port);
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return TRUE;
  return FALSE;
}

gboolean
scope_service_matches (ScopeService *self,
                       const char   *query)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE (self), FALSE);

  if (query == NULL || query[0] == '\0')
    return TRUE;
  if (strspn (query, "0123456789") == strlen (query))
    {
      guint64 port;

      return g_ascii_string_to_unsigned (query, 10, 0, 65535, &port, NULL)
             && port == self->port;
    }
  if (contains_casefold (self->name, query))
    return TRUE;
  for (guint i = 0; self->aliases[i] != NULL; i++)
    if (contains_casefold (self->aliases[i], query))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* The catalogue                                                            */

struct _ScopeServiceCatalogue
{
  GObject    parent_instance;

  GPtrArray *services;   /* of ScopeService */
  char      *source;
  guint      n_skipped;
};

static void catalogue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScopeServiceCatalogue, scope_service_catalogue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      catalogue_list_model_init))

static GType
catalogue_get_item_type (GListModel *model)
{
  return SCOPE_TYPE_SERVICE;
}

static guint
catalogue_get_n_items (GListModel *model)
{
  return SCOPE_SERVICE_CATALOGUE (model)->services->len;
}

static gpointer
catalogue_get_item (GListModel *model,
                    guint       position)
{
  ScopeServiceCatalogue *self = SCOPE_SERVICE_CATALOGUE (model);

  if (position >= self->services->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->services, position));
}

static void
catalogue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = catalogue_get_item_type;
  iface->get_n_items = catalogue_get_n_items;
  iface->get_item = catalogue_get_item;
}

static void
scope_service_catalogue_finalize (GObject *object)
{
  ScopeServiceCatalogue *self = SCOPE_SERVICE_CATALOGUE (object);

  g_ptr_array_unref (self->services);
  g_free (self->source);

  G_OBJECT_CLASS (scope_service_catalogue_parent_class)->finalize (object);
}

static void
scope_service_catalogue_class_init (ScopeServiceCatalogueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scope_service_catalogue_finalize;
}

static void
scope_service_catalogue_init (ScopeServiceCatalogue *self)
{
  self->services = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
add_service (const char         *name,
             guint               port,
             const char         *protocol,
             const char * const *aliases,
             gpointer            user_data)
{
  ScopeServiceCatalogue *self = user_data;

  g_ptr_array_add (self->services, service_new (name, port, protocol, aliases));
}

/* A word of a services file: printable ASCII but for '#', which begins a
 * comment, as the C library reads it. */
static gboolean
is_word_char (char c)
{
  return c > ' ' && c < 127 && c != '#';
}

/* One line: "name port/proto alias… # comment"; FALSE when it is not one
 * (blank and comment lines are not counted as skipped). */
static gboolean
parse_line (ScopeServiceCatalogue *self,
            const char            *line,
            gsize                  length,
            gboolean              *blank)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  const char *slash;
  const char *port_text;
  guint64 port;
  gsize i = 0;

  while (i < length && line[i] != '#')
    {
      gsize start;

      while (i < length && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
      if (i >= length || line[i] == '#')
        break;
      start = i;
      while (i < length && is_word_char (line[i]))
        i++;
      if (i == start || (i < length && line[i] != ' ' && line[i] != '\t' && line[i] != '\r'
                         && line[i] != '#'))
        return FALSE;
      g_ptr_array_add (words, g_strndup (line + start, i - start));
    }
  *blank = words->len == 0;
  if (words->len < 2)
    return FALSE;

  port_text = g_ptr_array_index (words, 1);
  slash = strchr (port_text, '/');
  if (slash == NULL || slash == port_text || slash[1] == '\0')
    return FALSE;
  {
    g_autofree char *digits = g_strndup (port_text, slash - port_text);

    if (strlen (digits) > 5 || strspn (digits, "0123456789") != strlen (digits)
        || !g_ascii_string_to_unsigned (digits, 10, 0, 65535, &port, NULL))
      return FALSE;
  }
  g_ptr_array_add (words, NULL);
  add_service (g_ptr_array_index (words, 0), (guint) port, slash + 1,
               (const char * const *) words->pdata + 2, self);
  return TRUE;
}

/**
 * scope_service_catalogue_new_from_text:
 * @source: where the text came from, for the page to say
 *
 * Reads a services file. Lines that are not "name port/protocol aliases…"
 * (a port past 65535, no protocol, a control character in a name) are
 * skipped and counted, never guessed at.
 */
ScopeServiceCatalogue *
scope_service_catalogue_new_from_text (const char *text,
                                       gsize       length,
                                       const char *source)
{
  ScopeServiceCatalogue *self = g_object_new (SCOPE_TYPE_SERVICE_CATALOGUE, NULL);
  gsize start = 0;

  g_return_val_if_fail (text != NULL || length == 0, self);

  self->source = g_strdup (source);
  while (start < length)
    {
      const char *end = memchr (text + start, '\n', length - start);
      gsize line_length = end != NULL ? (gsize) (end - (text + start)) : length - start;
      gboolean blank = FALSE;

      if (!parse_line (self, text + start, line_length, &blank) && !blank)
        self->n_skipped++;
      start += line_length + 1;
    }
  return self;
}

/* Where the installed app keeps netbase's file, or SOCKSCOPE_DATA_DIR/netbase
 * for a build tree: build-aux/run and the tests point it at build/data. */
static char *
netbase_services_path (void)
{
  const char *dir = g_getenv ("SOCKSCOPE_DATA_DIR");

  return g_build_filename (dir != NULL && dir[0] != '\0' ? dir : PKGDATADIR, "netbase",
                           "services", NULL);
}

/* netbase's file, or an empty catalogue whose source says why it could not
 * be read; a missing data file costs the fallback, never the app. */
static ScopeServiceCatalogue *
read_netbase_services (const char *source)
{
  g_autofree char *path = netbase_services_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!g_file_load_contents (file, NULL, &text, &length, NULL, &error))
    {
      g_autofree char *why = scope_error_describe (error);
      g_autofree char *failure = NULL;

      /* Translators: the file's path, then what went wrong, e.g. "No such
       * file or directory (ENOENT)" */
      failure = g_strdup_printf (_("Sockscope’s copy of netbase’s services file, %s, could not "
                                   "be read: %s"), path, why);
      return scope_service_catalogue_new_from_text ("", 0, failure);
    }
  return scope_service_catalogue_new_from_text (text, length, source);
}

ScopeServiceCatalogue *
scope_service_catalogue_new_builtin (void)
{
  return read_netbase_services (_("Sockscope’s own copy of netbase’s services file"));
}

ScopeServiceCatalogue *
scope_service_catalogue_new_system (void)
{
  ScopeServiceCatalogue *self;
  g_autofree char *source = NULL;

  /* SOCKSCOPE_SERVICES=builtin shows the fallback on any system: the tests
   * compare it with the system's own database. */
  if (g_strcmp0 (g_getenv ("SOCKSCOPE_SERVICES"), "builtin") == 0)
    return scope_service_catalogue_new_builtin ();

  self = g_object_new (SCOPE_TYPE_SERVICE_CATALOGUE, NULL);
  if (!scope_platform_services_foreach (add_service, self, &source))
    {
      g_object_unref (self);
      return read_netbase_services (_("Sockscope’s own copy of netbase’s services file: this "
                                      "system has no services database"));
    }
  self->source = g_steal_pointer (&source);
  return self;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_task_return_pointer (task, scope_service_catalogue_new_system (), g_object_unref);
}

void
scope_service_catalogue_load_async (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, scope_service_catalogue_load_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
}

ScopeServiceCatalogue *
scope_service_catalogue_load_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
scope_service_catalogue_get_source (ScopeServiceCatalogue *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE_CATALOGUE (self), NULL);

  return self->source;
}

guint
scope_service_catalogue_get_n_skipped (ScopeServiceCatalogue *self)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE_CATALOGUE (self), 0);

  return self->n_skipped;
}

ScopeService *
scope_service_catalogue_find (ScopeServiceCatalogue *self,
                              guint                  port,
                              const char            *protocol)
{
  g_return_val_if_fail (SCOPE_IS_SERVICE_CATALOGUE (self), NULL);

  for (guint i = 0; i < self->services->len; i++)
    {
      ScopeService *service = g_ptr_array_index (self->services, i);

      if (service->port == port && g_strcmp0 (service->protocol, protocol) == 0)
        return service;
    }
  return NULL;
}
