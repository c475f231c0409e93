/* Shared bits of the libcheck tests. */
#ifndef IOPATH_TESTUTIL_H
#define IOPATH_TESTUTIL_H
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- suites: TCASE() and suite_of(), or RUN_TESTS() for one test case ---- */

/* A test case with tests[0..n) (the names START_TEST defines), in that order; timeout in
 * seconds, 0 for Check's default (4 s, or $CK_DEFAULT_TIMEOUT). */
static inline TCase *tcase_of(const char *name, double timeout, const TTest *const *tests, size_t n)
{
	TCase *t = tcase_create(name);

	if (timeout > 0)
		tcase_set_timeout(t, timeout);
	for (size_t i = 0; i < n; i++)
		tcase_add_test(t, tests[i]);
	return t;
}

#define TESTS_LIST_(...) ((const TTest *const[]){ __VA_ARGS__ }), \
	(sizeof((const TTest *const[]){ __VA_ARGS__ }) / sizeof(const TTest *))
/* TCASE("name", timeout, test_a, test_b, ...) */
#define TCASE(name, timeout, ...) tcase_of((name), (timeout), TESTS_LIST_(__VA_ARGS__))

/* A suite of the test cases given, in that order, up to a NULL. */
__attribute__((sentinel)) static inline Suite *suite_of(const char *name, ...)
{
	Suite *s = suite_create(name);
	va_list ap;
	TCase *t;

	va_start(ap, name);
	while ((t = va_arg(ap, TCase *)))
		suite_add_tcase(s, t);
	va_end(ap);
	return s;
}

/* main()'s whole work for one test case: RUN_TESTS("suite", "tcase", test_a, test_b, ...),
 * RUN_TESTS_TIMEOUT("suite", "tcase", seconds, test_a, ...); the exit status. */
#define RUN_TESTS(suite, tcase, ...) RUN_TESTS_TIMEOUT(suite, tcase, 0, __VA_ARGS__)
#define RUN_TESTS_TIMEOUT(suite, tcase, timeout, ...) \
	run_suite(suite_of((suite), TCASE((tcase), (timeout), __VA_ARGS__), (TCase *)NULL))

/* ---- output of a printer, as text ---- */

/* The memory stream behind CAPTURE(). */
struct capture {
	char *text;
	size_t len;
	FILE *f;
};

static inline FILE *capture_open(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->f = open_memstream(&c->text, &c->len);
	ck_assert_msg(c->f, "open_memstream: %s", strerror(errno));
	return c->f;
}

static inline char *capture_close(struct capture *c, size_t *len)
{
	fclose(c->f);
	if (len)
		*len = c->len;
	return c->text;
}

/* The statements given, run with FILE *f open on a memory stream: evaluates to
 * what they wrote, malloc'd text (free() it): CAPTURE(f, devices_print(f, &d)).
 * CAPTURE_LEN also stores its length in len, for output that may hold NULs. */
#define CAPTURE_LEN(f, len, ...) ({                                     \
		struct capture cap_;                                    \
		FILE *f = capture_open(&cap_);                          \
		__VA_ARGS__;                                            \
		capture_close(&cap_, &(len));                           \
	})
#define CAPTURE(f, ...) ({                                              \
		size_t caplen_;                                         \
		CAPTURE_LEN(f, caplen_, __VA_ARGS__);                   \
	})

/* CAPTURE of one JSON object whose members the statements write through
 * struct jw w (out/json.h): CAPTURE_JSON(w, false, devices_json(&w, &d)). */
#define CAPTURE_JSON(w, pretty, ...) CAPTURE(capjf_,                    \
		struct jw w;                                            \
		jw_init(&w, capjf_, (pretty));                          \
		jw_obj_begin(&w, NULL);                                 \
		__VA_ARGS__;                                            \
		jw_obj_end(&w);                                         \
		jw_finish(&w))

/* Each of the strings is somewhere in text: ASSERT_HAS(buf, "e1000e", "nvme0q2"). */
#define ASSERT_HAS(text, ...) do {                                      \
		const char *const has_[] = { __VA_ARGS__ };             \
		for (size_t i_ = 0; i_ < sizeof(has_) / sizeof(has_[0]); i_++) \
			ck_assert_msg(strstr((text), has_[i_]), "no '%s' in %s", \
				      has_[i_], #text);                 \
	} while (0)
#endif
