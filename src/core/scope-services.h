/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Ports and the services database: the Ports page's catalogue, the port
 * classes of IANA and this system's own ranges. */

typedef enum
{
  SCOPE_PORT_CLASS_WELL_KNOWN,   /* 0–1023: system ports, privileged on Unix */
  SCOPE_PORT_CLASS_REGISTERED,   /* 1024–49151: user ports */
  SCOPE_PORT_CLASS_DYNAMIC,      /* 49152–65535: dynamic, private or ephemeral */
} ScopePortClass;

#define SCOPE_N_PORT_CLASSES 3

ScopePortClass  scope_port_class_of           (guint           port);
const char     *scope_port_class_to_string    (ScopePortClass  port_class);
gboolean        scope_port_class_from_string  (const char     *name,
                                               ScopePortClass *port_class);
const char     *scope_port_class_get_title    (ScopePortClass  port_class);
void            scope_port_class_get_bounds   (ScopePortClass  port_class,
                                               guint          *first,
                                               guint          *last);
const char     *scope_port_class_explain      (ScopePortClass  port_class);

/* A range this system uses, read from it or, where it cannot say, the
 * documented default (from_system FALSE). */
typedef struct
{
  guint    first;
  guint    last;
  gboolean from_system;
  char    *source;     /* the file it came from, or why it is the default */
} ScopePortRange;

void            scope_port_range_clear        (ScopePortRange *range);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScopePortRange, scope_port_range_clear)

void            scope_ports_ephemeral_range   (ScopePortRange *range);
/* The lowest port a program without privileges may bind (1024 unless the
 * system says otherwise); first is that port, last is 65535. */
void            scope_ports_unprivileged_range (ScopePortRange *range);

/* "22": a port 0–65535, or an error that says what is wrong with the text. */
gboolean        scope_port_parse              (const char     *text,
                                               guint          *port,
                                               GError        **error);
/* Port 0 is no port to ask about: binding it asks the system for any free
 * port, and nothing can be connected to on it. */
gboolean        scope_port_require_nonzero    (guint           port,
                                               GError        **error);
/* "22" or "20-25", at most @max_count ports. */
gboolean        scope_port_range_parse        (const char     *text,
                                               guint           max_count,
                                               guint          *first,
                                               guint          *last,
                                               GError        **error);

#define SCOPE_PORTS_ERROR (scope_ports_error_quark ())

typedef enum
{
  SCOPE_PORTS_ERROR_INVALID,   /* bad input: the message says what and where */
  SCOPE_PORTS_ERROR_FAILED,    /* the system could not tell */
} ScopePortsError;

GQuark          scope_ports_error_quark       (void);

/* One entry of the services database. */
#define SCOPE_TYPE_SERVICE (scope_service_get_type ())

G_DECLARE_FINAL_TYPE (ScopeService, scope_service, SCOPE, SERVICE, GObject)

const char         *scope_service_get_name       (ScopeService *self);
guint               scope_service_get_port       (ScopeService *self);
const char         *scope_service_get_protocol   (ScopeService *self);
const char * const *scope_service_get_aliases    (ScopeService *self);
char               *scope_service_dup_aliases_text (ScopeService *self);
ScopePortClass      scope_service_get_port_class (ScopeService *self);
/* Whether it matches what a user typed: a port number exactly, or part of
 * its name or of an alias, without regard to case; "" matches all. */
gboolean            scope_service_matches        (ScopeService *self,
                                                  const char   *query);

/* Every entry, in the order the database gives them: a GListModel of
 * ScopeService. */
#define SCOPE_TYPE_SERVICE_CATALOGUE (scope_service_catalogue_get_type ())

G_DECLARE_FINAL_TYPE (ScopeServiceCatalogue, scope_service_catalogue, SCOPE, SERVICE_CATALOGUE,
                      GObject)

/* A services file's text, as the C library reads /etc/services: "name
 * port/protocol aliases… # comment". Lines it cannot read are skipped and
 * counted. */
ScopeServiceCatalogue *scope_service_catalogue_new_from_text  (const char   *text,
                                                               gsize         length,
                                                               const char   *source);
/* netbase's file, as installed beside the app (SOCKSCOPE_DATA_DIR/netbase/
 * services in a build tree); where it cannot be read, no entries and a
 * source that says why. */
ScopeServiceCatalogue *scope_service_catalogue_new_builtin    (void);
/* The system's database through getservent(), or the built-in file where
 * this platform has none (the source says which). Blocks: see _load_async. */
ScopeServiceCatalogue *scope_service_catalogue_new_system     (void);
void                   scope_service_catalogue_load_async     (GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
ScopeServiceCatalogue *scope_service_catalogue_load_finish    (GAsyncResult        *result,
                                                               GError             **error);

const char   *scope_service_catalogue_get_source      (ScopeServiceCatalogue *self);
guint         scope_service_catalogue_get_n_skipped   (ScopeServiceCatalogue *self);
/* (transfer none) (nullable): the first entry for @port and @protocol. */
ScopeService *scope_service_catalogue_find            (ScopeServiceCatalogue *self,
                                                       guint                  port,
                                                       const char            *protocol);

G_END_DECLS
