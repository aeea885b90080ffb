/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "scope-deadline.h"
#include "scope-resolver-private.h"

/* Running a question: the lookup it asks for, timed, and the same in a
 * worker thread with the app's timeout. */

/**
 * scope_resolver_lookup:
 *
 * Answers @request with the blocking C calls; call it from a worker thread
 * (scope_resolver_lookup_async() does) or from a program with nothing else
 * to do.
 */
ScopeLookupResult *
scope_resolver_lookup (const ScopeLookupRequest *request,
                       GCancellable             *cancellable,
                       GError                  **error)
{
  g_autoptr(ScopeLookupResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean ok = FALSE;

  g_return_val_if_fail (request != NULL, NULL);

  if (!scope_lookup_request_validate (request, error))
    return NULL;
  result = _scope_result_new (request);
  switch (request->kind)
    {
    case SCOPE_LOOKUP_ADDRINFO:
      ok = _scope_lookup_addrinfo (result, error);
      break;
    case SCOPE_LOOKUP_HOST:
      ok = _scope_lookup_host (result, error);
      break;
    case SCOPE_LOOKUP_REVERSE:
      ok = _scope_lookup_reverse (result, cancellable, error);
      break;
    case SCOPE_LOOKUP_SERVICE:
      ok = _scope_lookup_service (result, error);
      break;
    case SCOPE_LOOKUP_RECORDS:
      ok = _scope_lookup_records (result, cancellable, error);
      break;
    case SCOPE_LOOKUP_ME:
      ok = _scope_lookup_me (result, error);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  if (!ok)
    {
      /* The failure of an internationalized name names the form asked. */
      if (error != NULL && *error != NULL && g_hostname_is_non_ascii (request->query))
        {
          g_autofree char *ascii = g_hostname_to_ascii (request->query);

          if (ascii != NULL)
            /* Translators: %s is a name in its ASCII (IDNA) form */
            g_prefix_error (error, _("Looked up as “%s”: "), ascii);
        }
      return NULL;
    }
  result->elapsed_us = g_get_monotonic_time () - start;
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------------ */
/* Async, with the app's timeout                                            */

typedef struct
{
  ScopeLookupRequest *request;
  ScopeDeadline      *deadline;     /* the worker's task watches its cancellable */
  guint               timeout_ms;
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *d = data;

  g_clear_pointer (&d->deadline, scope_deadline_free);
  scope_lookup_request_free (d->request);
  g_free (d);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const ScopeLookupRequest *request = task_data;
  GError *error = NULL;
  ScopeLookupResult *result = scope_resolver_lookup (request, cancellable, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) scope_lookup_result_unref);
  else
    g_task_return_error (task, error);
}

static void
lookup_thread_done (GObject      *object,
                    GAsyncResult *inner_result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *d = g_task_get_task_data (task);
  GError *error = NULL;
  ScopeLookupResult *result;
  gboolean timed_out = scope_deadline_expired (d->deadline);

  g_clear_pointer (&d->deadline, scope_deadline_free);
  result = g_task_propagate_pointer (G_TASK (inner_result), &error);
  if (result != NULL)
    {
      g_task_return_pointer (task, result, (GDestroyNotify) scope_lookup_result_unref);
      return;
    }
  if (timed_out)
    {
      g_clear_error (&error);
      g_set_error (&error, SCOPE_RESOLVER_ERROR, SCOPE_RESOLVER_ERROR_TIMED_OUT,
                   /* Translators: %.1f is the timeout in seconds */
                   _("No answer within %.1f s: the name server may be down or unreachable "
                     "(timed out)"), d->timeout_ms / 1000.0);
    }
  g_task_return_error (task, error);
}

/**
 * scope_resolver_lookup_async:
 * @timeout_ms: give up after this long, 0 for never
 *
 * Answers @request in a worker thread. The blocking call cannot be stopped
 * once made, so cancelling or timing out returns at once and the worker's
 * late answer is dropped: the caller never waits for a silent name server.
 */
void
scope_resolver_lookup_async (const ScopeLookupRequest *request,
                             guint                     timeout_ms,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GError) error = NULL;
  LookupData *d;

  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_resolver_lookup_async);
  g_task_set_name (task, "[sockscope] lookup");

  /* Bad input is answered here, without a thread. */
  if (!scope_lookup_request_validate (request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  d = g_new0 (LookupData, 1);
  d->request = scope_lookup_request_copy (request);
  d->deadline = scope_deadline_new (cancellable, timeout_ms);
  d->timeout_ms = timeout_ms;
  g_task_set_task_data (task, d, lookup_data_free);

  inner = g_task_new (NULL, scope_deadline_get_cancellable (d->deadline), lookup_thread_done,
                      g_steal_pointer (&task));
  g_task_set_source_tag (inner, lookup_thread);
  g_task_set_task_data (inner, scope_lookup_request_copy (request),
                        (GDestroyNotify) scope_lookup_request_free);
  g_task_set_return_on_cancel (inner, TRUE);
  g_task_run_in_thread (inner, lookup_thread);
}

ScopeLookupResult *
scope_resolver_lookup_finish (GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == scope_resolver_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
