/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <netdb.h>

#include "scope-errors.h"

static void
test_errno_names (void)
{
  g_assert_cmpstr (scope_errno_name (ECONNREFUSED), ==, "ECONNREFUSED");
  g_assert_cmpstr (scope_errno_name (EADDRINUSE), ==, "EADDRINUSE");
  g_assert_cmpstr (scope_errno_name (EACCES), ==, "EACCES");
  g_assert_cmpstr (scope_errno_name (ETIMEDOUT), ==, "ETIMEDOUT");
  g_assert_cmpstr (scope_errno_name (ENETUNREACH), ==, "ENETUNREACH");
  g_assert_null (scope_errno_name (-1));
}

static void
test_errno_describe (void)
{
  g_autofree char *refused = scope_errno_describe (ECONNREFUSED);
  g_autofree char *unknown = scope_errno_describe (99999);

  /* Words first, then the name in brackets. */
  g_assert_true (g_str_has_prefix (refused, "The connection was refused"));
  g_assert_true (g_str_has_suffix (refused, "(ECONNREFUSED)"));

  /* An errno we have no words for still says what the C library says, and
   * its number. */
  g_assert_true (g_str_has_suffix (unknown, "(errno 99999)"));
}

static void
test_gai_errors (void)
{
  g_autofree char *noname = scope_gai_error_describe (EAI_NONAME);
  g_autofree char *unknown = scope_gai_error_describe (12345);

  g_assert_cmpstr (scope_gai_error_name (EAI_NONAME), ==, "EAI_NONAME");
  g_assert_cmpstr (scope_gai_error_name (EAI_AGAIN), ==, "EAI_AGAIN");
  g_assert_cmpstr (scope_gai_error_name (EAI_SERVICE), ==, "EAI_SERVICE");
  g_assert_null (scope_gai_error_name (0));
  g_assert_true (g_str_has_suffix (noname, "(EAI_NONAME)"));
  g_assert_true (g_str_has_suffix (unknown, "(code 12345)"));
}

/* A check of what was typed says what is wrong in one line, and may be
 * asked only whether it holds. */
static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (scope_error_invalid (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                       "“%s” is %d too long", "abc", 3));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "“abc” is 3 too long");
  g_assert_false (scope_error_invalid (NULL, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                                       "no one asks"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/errors/errno/names", test_errno_names);
  g_test_add_func ("/errors/errno/describe", test_errno_describe);
  g_test_add_func ("/errors/gai", test_gai_errors);
  g_test_add_func ("/errors/invalid", test_invalid);

  return g_test_run ();
}
