/* Shared bits of the libcheck tests. */
#ifndef IOPATH_TESTUTIL_H
#define IOPATH_TESTUTIL_H
#include <check.h>
#include <stdlib.h>

/* Fixture root: $IOPATH_FIXTURES or tests/fixtures (tests run from the repo root). */
static inline const char *fixtures_dir(void)
{
	const char *d = getenv("IOPATH_FIXTURES");

	return d && *d ? d : "tests/fixtures";
}

static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif
