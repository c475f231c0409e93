/* Flame graph output: folded text round trip (flamegraph.pl's format
 * rules), differential pairs, the SVG's frames/tooltips/percentages, and
 * speedscope's frame table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out/flame.h"
#include "testutil.h"

static char *capture(void (*fn)(FILE *, const struct flame *, const char *, const char *),
		     const struct flame *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);

	fn(o, f, "title <&>", "packets");
	fclose(o);
	return buf;
}

START_TEST(folded_round_trip)
{
	struct flame f, g;
	char *buf = NULL;
	size_t len = 0;
	FILE *o;
	int bad = 0;

	flame_init(&f);
	ck_assert_int_eq(flame_parse_folded(&f, "eth0;tx;net_dev_queue;net_dev_xmit 70\n"
					    "# comment\n\n"
					    "eth0;tx;net_dev_queue 30\n"
					    "eth0;tx;net_dev_queue;net_dev_xmit 5\n", &bad), 0);
	ck_assert_int_eq(f.n, 2);                    /* same stack merged */
	ck_assert_uint_eq(f.s[0].count, 75);
	o = open_memstream(&buf, &len);
	flame_write_folded(o, &f);
	fclose(o);
	/* sorted, one "stack count" per line */
	ck_assert_str_eq(buf, "eth0;tx;net_dev_queue 30\neth0;tx;net_dev_queue;net_dev_xmit 75\n");
	flame_init(&g);
	ck_assert_int_eq(flame_parse_folded(&g, buf, &bad), 0);
	ck_assert_int_eq(g.n, 2);
	free(buf);
	flame_free(&g);
	/* malformed lines name their line number */
	ck_assert_int_eq(flame_parse_folded(&g, "a;b 1\nno-count-here\n", &bad), -EINVAL);
	ck_assert_int_eq(bad, 2);
	ck_assert_int_eq(flame_parse_folded(&g, "a;b x\n", &bad), -EINVAL);
	ck_assert_int_eq(bad, 1);
	flame_free(&g);
	flame_free(&f);
}
END_TEST

START_TEST(diff_pairs)
{
	struct flame a, b, d;
	int bad;
	char *buf = NULL;
	size_t len = 0;
	FILE *o;

	flame_init(&a);
	flame_init(&b);
	flame_parse_folded(&a, "x;notify 10\nx;xmit 90\n", &bad);
	flame_parse_folded(&b, "x;notify 40\nx;xmit 60\nx;grant 5\n", &bad);
	ck_assert_int_eq(flame_diff(&d, &a, &b), 0);
	o = open_memstream(&buf, &len);
	flame_write_folded(o, &d);
	fclose(o);
	ck_assert_str_eq(buf, "x;grant 0 5\nx;notify 10 40\nx;xmit 90 60\n");
	free(buf);
	buf = capture(flame_write_svg, &d);
	/* notify grew from 10% to 38%: red; xmit shrank: blue */
	ck_assert_msg(strstr(buf, "notify (40 packets, was 10"), "%s", buf);
	ck_assert(strstr(buf, "red: grew, blue: shrank"));
	free(buf);
	/* the "before after" form parses back as a diff */
	flame_free(&a);
	flame_init(&a);
	ck_assert_int_eq(flame_parse_folded(&a, "x;notify 10 40\n", &bad), 0);
	ck_assert(a.diff);
	ck_assert_uint_eq(a.s[0].count2, 40);
	flame_free(&a);
	flame_free(&b);
	flame_free(&d);
}
END_TEST

START_TEST(svg_frames)
{
	struct flame f;
	int bad;
	char *buf;

	flame_init(&f);
	flame_parse_folded(&f, "eth0;tx;queue;xmit 75\neth0;tx;queue 25\n", &bad);
	buf = capture(flame_write_svg, &f);
	ck_assert(!strncmp(buf, "<?xml", 5));
	ck_assert(strstr(buf, "<title>all (100 packets, 100.00%)</title>"));
	ck_assert(strstr(buf, "<title>queue (100 packets, 100.00%)</title>"));
	ck_assert(strstr(buf, "<title>xmit (75 packets, 75.00%)</title>"));
	ck_assert(strstr(buf, "title &lt;&amp;&gt;"));   /* escaped */
	ck_assert(strstr(buf, "function zoom("));
	ck_assert(strstr(buf, "function search("));
	ck_assert(strstr(buf, "</svg>"));
	free(buf);
	flame_free(&f);
}
END_TEST

static void ss(FILE *o, const struct flame *f, const char *t, const char *c)
{
	flame_write_speedscope(o, f, t);
}

START_TEST(speedscope)
{
	struct flame f;
	int bad;
	char *buf;

	flame_init(&f);
	flame_parse_folded(&f, "a;b 3\na;c 2\n", &bad);
	buf = capture(ss, &f);
	ck_assert(strstr(buf, "\"frames\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]"));
	ck_assert(strstr(buf, "\"samples\":[[0,1],[0,2]]"));
	ck_assert(strstr(buf, "\"weights\":[3,2]"));
	ck_assert(strstr(buf, "\"endValue\":5"));
	free(buf);
	flame_free(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("flame");
	TCase *t = tcase_create("output");

	tcase_add_test(t, folded_round_trip);
	tcase_add_test(t, diff_pairs);
	tcase_add_test(t, svg_frames);
	tcase_add_test(t, speedscope);
	suite_add_tcase(s, t);
	return run_suite(s);
}
