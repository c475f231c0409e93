/* Flame graph output: folded text round trip (flamegraph.pl's format
 * rules), differential pairs, the SVG's frames/tooltips/percentages, and
 * speedscope's frame table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out/flame.h"
#include "testutil.h"

#define TITLE "title <&>"

/* f from folded text, which must parse. */
static void folded(struct flame *f, const char *text)
{
	int bad = 0;

	flame_init(f);
	ck_assert_msg(flame_parse_folded(f, text, &bad) == 0, "line %d of '%s' rejected", bad, text);
}

START_TEST(folded_round_trip)
{
	struct flame f, g;
	char *buf;
	int bad = 0;

	flame_init(&f);
	ck_assert_int_eq(flame_parse_folded(&f, "eth0;tx;net_dev_queue;net_dev_xmit 70\n"
					    "# comment\n\n"
					    "eth0;tx;net_dev_queue 30\n"
					    "eth0;tx;net_dev_queue;net_dev_xmit 5\n", &bad), 0);
	ck_assert_int_eq(f.n, 2);                    /* same stack merged */
	ck_assert_uint_eq(f.s[0].count, 75);
	buf = CAPTURE(o, flame_write_folded(o, &f));
	/* sorted, one "stack count" per line */
	ck_assert_str_eq(buf, "eth0;tx;net_dev_queue 30\neth0;tx;net_dev_queue;net_dev_xmit 75\n");
	folded(&g, buf);
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
	char *buf;

	folded(&a, "x;notify 10\nx;xmit 90\n");
	folded(&b, "x;notify 40\nx;xmit 60\nx;grant 5\n");
	ck_assert_int_eq(flame_diff(&d, &a, &b), 0);
	buf = CAPTURE(o, flame_write_folded(o, &d));
	ck_assert_str_eq(buf, "x;grant 0 5\nx;notify 10 40\nx;xmit 90 60\n");
	free(buf);
	buf = CAPTURE(o, flame_write_svg(o, &d, TITLE, "packets"));
	/* notify grew from 10% to 38%: red; xmit shrank: blue */
	ck_assert_msg(strstr(buf, "notify (40 packets, was 10"), "%s", buf);
	ASSERT_HAS(buf, "red: grew, blue: shrank");
	free(buf);
	/* the "before after" form parses back as a diff */
	flame_free(&a);
	folded(&a, "x;notify 10 40\n");
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
	char *buf;

	folded(&f, "eth0;tx;queue;xmit 75\neth0;tx;queue 25\n");
	buf = CAPTURE(o, flame_write_svg(o, &f, TITLE, "packets"));
	ck_assert(!strncmp(buf, "<?xml", 5));
	ASSERT_HAS(buf, "<title>all (100 packets, 100.00%)</title>",
		   "<title>queue (100 packets, 100.00%)</title>",
		   "<title>xmit (75 packets, 75.00%)</title>",
		   "title &lt;&amp;&gt;",   /* escaped */
		   "function zoom(", "function search(", "</svg>");
	free(buf);
	flame_free(&f);
}
END_TEST

START_TEST(speedscope)
{
	struct flame f;
	char *buf;

	folded(&f, "a;b 3\na;c 2\n");
	buf = CAPTURE(o, flame_write_speedscope(o, &f, TITLE));
	ASSERT_HAS(buf, "\"frames\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]",
		   "\"samples\":[[0,1],[0,2]]", "\"weights\":[3,2]", "\"endValue\":5");
	free(buf);
	flame_free(&f);
}
END_TEST

int main(void)
{
	return RUN_TESTS("flame", "output", folded_round_trip, diff_pairs, svg_frames, speedscope);
}
