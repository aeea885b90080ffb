/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#ifdef G_OS_UNIX
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <sys/socket.h>
#endif

#include "scope-platform.h"
#include "scope-resolver-private.h"

/* DNS records (MX, TXT, SRV, NS, SOA) through GResolver, TXT read whole
 * from the name server's answer, beside the system resolver's answer. */

/* Addresses that the hosts file gives @name. */
static GHashTable *
hosts_file_addresses (const char *name)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (scope_platform_hosts_file (), &contents, NULL, NULL))
    return set;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *hash = strchr (lines[i], '#');
      g_auto(GStrv) words = NULL;

      if (hash != NULL)
        *hash = '\0';
      words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      for (guint w = 1; words[0] != NULL && words[w] != NULL; w++)
        if (g_ascii_strcasecmp (words[w], name) == 0)
          g_hash_table_add (set, g_strdup (words[0]));
    }
  return set;
}

#ifdef G_OS_UNIX
static guint16
get16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static GPtrArray *
malformed_answer (const char  *name,
                  GError     **error)
{
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL,
               "The answer for %s is not a well-formed DNS message", name);
  return NULL;
}

/* The TXT records of @name, each its strings joined, as the name server
 * sent them. GResolver cuts every string at its first NUL byte, and a
 * record may hold any byte: so the question is asked here with
 * res_nquery(), as GResolver asks it (resolv.conf, its search list, its
 * timeouts and retries, TCP for a long answer), and the answer read here.
 * Errors are GResolver's, with its codes. Returns: (element-type GBytes). */
static GPtrArray *
query_txt_records (const char   *name,
                   GCancellable *cancellable,
                   GError      **error)
{
  /* The largest DNS message there is: no answer is cut short. */
  const gsize size = G_MAXUINT16 + 1;
  g_autofree guint8 *answer = NULL;
  g_autoptr(GPtrArray) records = NULL;
  struct __res_state state;
  const guint8 *p, *end;
  int length, herr, n;
  guint questions, answers;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  memset (&state, 0, sizeof state);
  if (res_ninit (&state) != 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL,
                   "The resolver could not read its configuration for %s", name);
      return NULL;
    }
  answer = g_malloc (size);
  length = res_nquery (&state, name, C_IN, T_TXT, answer, size);
  herr = h_errno;
  res_nclose (&state);
  if (length <= 0)
    {
      if (length == 0 || herr == HOST_NOT_FOUND || herr == NO_DATA)
        g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                     "No TXT record for %s", name);
      else if (herr == TRY_AGAIN)
        g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                     "No answer for %s for now", name);
      else
        g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL,
                     "The name server failed for %s", name);
      return NULL;
    }
  if ((gsize) length > size || length < 12)
    return malformed_answer (name, error);

  /* The header; the question, skipped; then each answer: a name, type,
   * class, TTL, length, data. Only TXT records of class IN are kept (a
   * CNAME on the way comes first). */
  end = answer + length;
  questions = get16 (answer + 4);
  answers = get16 (answer + 6);
  p = answer + 12;
  for (guint i = 0; i < questions; i++)
    {
      n = dn_skipname (p, end);
      if (n < 0 || end - (p + n) < 4)
        return malformed_answer (name, error);
      p += n + 4;
    }
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < answers; i++)
    {
      guint16 type, class, rdlength;
      const guint8 *rdata;
      GByteArray *text;

      n = dn_skipname (p, end);
      if (n < 0 || end - (p + n) < 10)
        return malformed_answer (name, error);
      p += n;
      type = get16 (p);
      class = get16 (p + 2);
      rdlength = get16 (p + 8);
      rdata = p + 10;
      if (end - rdata < rdlength)
        return malformed_answer (name, error);
      p = rdata + rdlength;
      if (type != T_TXT || class != C_IN)
        continue;

      /* Strings, each after its length byte. */
      text = g_byte_array_sized_new (rdlength);
      for (const guint8 *q = rdata; q < rdata + rdlength; q += 1 + q[0])
        {
          if (rdata + rdlength - (q + 1) < q[0])
            {
              g_byte_array_unref (text);
              return malformed_answer (name, error);
            }
          g_byte_array_append (text, q + 1, q[0]);
        }
      g_ptr_array_add (records, g_byte_array_free_to_bytes (text));
    }
  if (records->len == 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                   "No TXT record for %s", name);
      return NULL;
    }
  return g_steal_pointer (&records);
}
#endif

static const struct
{
  const char         *id;
  GResolverRecordType record;
  const char         *label;
} types[] = {
  [SCOPE_RECORDS_MX] = { "mx", G_RESOLVER_RECORD_MX, "MX" },
  [SCOPE_RECORDS_TXT] = { "txt", G_RESOLVER_RECORD_TXT, "TXT" },
  [SCOPE_RECORDS_SRV] = { "srv", G_RESOLVER_RECORD_SRV, "SRV" },
  [SCOPE_RECORDS_NS] = { "ns", G_RESOLVER_RECORD_NS, "NS" },
  [SCOPE_RECORDS_SOA] = { "soa", G_RESOLVER_RECORD_SOA, "SOA" },
};

static ScopeLookupSection *
records_section (ScopeLookupResult *result,
                 ScopeRecordsType   type)
{
  /* Translators: %s is a DNS record type such as "MX" */
  g_autofree char *title = g_strdup_printf (_("%s records"), types[type].label);

  switch (type)
    {
    case SCOPE_RECORDS_MX:
      return _scope_add_section (result, "mx", title,
                                 _("Mail exchangers: the hosts that take mail for this "
                                   "domain; the lowest preference is tried first."),
                                 "preference", "exchange", NULL);
    case SCOPE_RECORDS_TXT:
      return _scope_add_section (result, "txt", title,
                                 _("Free-form text, often used for mail policy (SPF), "
                                   "proofs of domain ownership and notes."),
                                 "text", NULL);
    case SCOPE_RECORDS_SRV:
      return _scope_add_section (result, "srv", title,
                                 _("Service records: which host and port offer a "
                                   "service, asked as _service._proto.name, chosen by "
                                   "priority (lowest first) and then weight."),
                                 "priority", "weight", "port", "target", NULL);
    case SCOPE_RECORDS_NS:
      return _scope_add_section (result, "ns", title,
                                 _("The name servers that answer with authority for "
                                   "this zone."),
                                 "nameserver", NULL);
    case SCOPE_RECORDS_SOA:
      return _scope_add_section (result, "soa", title,
                                 _("The start of authority: the zone’s primary server, "
                                   "the mailbox of its administrator (the first dot "
                                   "stands for @), its serial number and its timers in "
                                   "seconds."),
                                 "mname", "rname", "serial", "refresh", "retry",
                                 "expire", "minimum", NULL);
    case SCOPE_RECORDS_ALL:
    default:
      g_assert_not_reached ();
    }
}

/* One record as GResolver gives it, as a row. */
static void
add_record_row (ScopeLookupSection *section,
                ScopeRecordsType    type,
                GVariant           *v)
{
  g_autofree char *line = NULL;

  switch (type)
    {
    case SCOPE_RECORDS_MX:
      {
        guint16 preference;
        const char *exchange;
        g_autofree char *pref = NULL, *shown = NULL, *detail = NULL;

        g_variant_get (v, "(q&s)", &preference, &exchange);
        shown = scope_resolver_show_name (exchange);
        pref = g_strdup_printf ("%u", preference);
        line = g_strdup_printf ("%u %s", preference, shown);
        /* Translators: %u is an MX record's preference */
        detail = g_strdup_printf (_("preference %u"), preference);
        _scope_add_row (section, shown, detail, line, pref, shown);
      }
      break;
    case SCOPE_RECORDS_TXT:
      {
        g_autofree const char **strings = NULL;
        g_autofree char *joined = NULL, *text = NULL;

        g_variant_get (v, "(^a&s)", &strings);
        joined = g_strjoinv ("", (char **) strings);
        text = scope_resolver_show_text ((const guint8 *) joined, strlen (joined));
        _scope_add_row (section, text, NULL, text, text);
      }
      break;
    case SCOPE_RECORDS_SRV:
      {
        guint16 priority, weight, port;
        const char *target;
        g_autofree char *p = NULL, *w = NULL, *po = NULL, *detail = NULL, *head = NULL;
        g_autofree char *shown = NULL;

        g_variant_get (v, "(qqq&s)", &priority, &weight, &port, &target);
        shown = scope_resolver_show_name (target);
        p = g_strdup_printf ("%u", priority);
        w = g_strdup_printf ("%u", weight);
        po = g_strdup_printf ("%u", port);
        head = g_strdup_printf ("%s:%u", shown, port);
        /* Translators: an SRV record's priority and weight */
        detail = g_strdup_printf (_("priority %u, weight %u"), priority, weight);
        line = g_strdup_printf ("%u %u %u %s", priority, weight, port, shown);
        _scope_add_row (section, head, detail, line, p, w, po, shown);
      }
      break;
    case SCOPE_RECORDS_NS:
      {
        const char *ns;
        g_autofree char *shown = NULL;

        g_variant_get (v, "(&s)", &ns);
        shown = scope_resolver_show_name (ns);
        _scope_add_row (section, shown, NULL, shown, shown);
      }
      break;
    case SCOPE_RECORDS_SOA:
      {
        const char *mname, *rname;
        guint32 serial, refresh, retry, expire, minimum;
        g_autofree char *s = NULL, *rf = NULL, *rt = NULL, *ex = NULL, *mi = NULL;
        g_autofree char *detail = NULL, *m = NULL, *r = NULL;

        g_variant_get (v, "(&s&suuuuu)", &mname, &rname, &serial, &refresh, &retry, &expire,
                       &minimum);
        m = scope_resolver_show_name (mname);
        r = scope_resolver_show_name (rname);
        s = g_strdup_printf ("%u", serial);
        rf = g_strdup_printf ("%u", refresh);
        rt = g_strdup_printf ("%u", retry);
        ex = g_strdup_printf ("%u", expire);
        mi = g_strdup_printf ("%u", minimum);
        /* Translators: an SOA record's administrator mailbox and serial number */
        detail = g_strdup_printf (_("administrator %s, serial %u"), r, serial);
        line = g_strdup_printf ("%s %s %u %u %u %u %u", m, r, serial, refresh, retry,
                                expire, minimum);
        _scope_add_row (section, m, detail, line, m, r, s, rf, rt, ex, mi);
      }
      break;
    case SCOPE_RECORDS_ALL:
    default:
      g_assert_not_reached ();
    }
}

static void
add_records (ScopeLookupResult *result,
             GResolver         *resolver,
             const char        *name,
             ScopeRecordsType   type,
             GCancellable      *cancellable,
             GError           **first_error)
{
  g_autoptr(GError) error = NULL;
  GList *records;
  ScopeLookupSection *section = records_section (result, type);

#ifdef G_OS_UNIX
  if (type == SCOPE_RECORDS_TXT)
    {
      g_autoptr(GPtrArray) texts = query_txt_records (name, cancellable, &error);

      for (guint i = 0; texts != NULL && i < texts->len; i++)
        {
          gsize length;
          const guint8 *bytes = g_bytes_get_data (g_ptr_array_index (texts, i), &length);
          /* All of it, NUL bytes and escape sequences shown as escapes. */
          g_autofree char *text = scope_resolver_show_text (bytes, length);

          _scope_add_row (section, text, NULL, text, text);
        }
      if (texts != NULL)
        return;
      records = NULL;
    }
  else
#endif
  records = g_resolver_lookup_records (resolver, name, types[type].record, cancellable, &error);
  if (records == NULL)
    {
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        {
          /* Translators: the first %s is a record type, the second a name */
          g_autofree char *text = g_strdup_printf (_("No %s records for “%s” "
                                                     "(G_RESOLVER_ERROR_NOT_FOUND)"),
                                                   types[type].label, name);

          scope_report_section_set_text (section, SCOPE_REPORT_SECTION_EMPTY_TEXT, text);
        }
      else
        {
          _scope_section_error (section, error);
          if (first_error != NULL && *first_error == NULL)
            *first_error = g_steal_pointer (&error);
        }
      return;
    }

  for (GList *l = records; l != NULL; l = l->next)
    add_record_row (section, type, l->data);
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
}

gboolean
_scope_lookup_records (ScopeLookupResult *result,
                       GCancellable      *cancellable,
                       GError           **error)
{
  const ScopeLookupRequest *request = result->request;
  g_autofree char *name = _scope_ascii_name (result, request->query);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GHashTable) in_hosts = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  ScopeLookupSection *section;

  for (ScopeRecordsType t = SCOPE_RECORDS_MX; t <= SCOPE_RECORDS_SOA; t++)
    if (request->records == SCOPE_RECORDS_ALL || request->records == t)
      add_records (result, resolver, name, t, cancellable, &first_error);
  /* A record type that failed says why in its own section: the others, and
   * the system resolver's answer (the hosts file, say), still stand. */

  section = _scope_add_section (result, "system", _("The system resolver’s answer"),
                                _("What getaddrinfo() answers for the same name. The system "
                                  "resolver reads the hosts file before it asks DNS, so a name can "
                                  "have addresses here that DNS does not know, and the other way "
                                  "round."),
                                "address", "source", NULL);
  in_hosts = hosts_file_addresses (name);
  addresses = _scope_stream_addresses (name, section);
  for (guint i = 0; i < addresses->len; i++)
    {
      const char *address = g_ptr_array_index (addresses, i);
      gboolean from_hosts = g_hash_table_contains (in_hosts, address);

      _scope_add_row (section, address,
                      from_hosts ? _("from the hosts file, which DNS does not read")
                                 : _("from DNS or another source of the system resolver"),
                      address, address, from_hosts ? "hosts file" : "DNS or another source");
    }
  return TRUE;
}
