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

struct frect {
	double x, y, w;
};

/* The frames' rects of an SVG in document order (preorder: a parent, then its subtrees). */
static int frames_of(const char *svg, struct frect *r, int max)
{
	int n = 0;

	for (const char *p = svg; (p = strstr(p, "<g class=\"f\">")) && n < max; p++) {
		const char *q = strstr(p, "<rect ");

		ck_assert_ptr_nonnull(q);
		ck_assert_int_eq(sscanf(q, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\"", &r[n].x, &r[n].y, &r[n].w), 3);
		n++;
	}
	return n;
}

/* What the script's zoom relies on, on an awkward layout (counts that do not
 * divide the width, 300 stacks, 5 levels): every frame lies inside its parent
 * (the frame one row below it, last before it in the document) within the
 * script's margin E, its children's widths add up to at most its own, and
 * the root spans the full width. Zoom finds a frame's descendants and
 * ancestors by exactly these containment tests. */
START_TEST(svg_layout_nests_within_margin)
{
	static struct frect r[4000];
	struct flame f;
	char st[64], *buf;
	double E;
	int n;

	flame_init(&f);
	for (int i = 0; i < 300; i++) {
		snprintf(st, sizeof(st), "d%d;f%d;g%d;h%d;i%d", i % 3, i % 7, i % 11, i % 13, i);
		ck_assert_int_eq(flame_add(&f, st, 1 + (i * 7919) % 997, 0), 0);
	}
	buf = CAPTURE(o, flame_write_svg(o, &f, TITLE, "hits"));
	ck_assert_msg(sscanf(strstr(buf, "E="), "E=%lf", &E) == 1, "no margin E in the script");
	ASSERT_HAS(buf, "zoom=", "function unzoom(");
	n = frames_of(buf, r, 4000);
	ck_assert_int_gt(n, 300);
	ck_assert(r[0].x == 10 && r[0].w == 1180);
	for (int i = 1; i < n; i++) {
		int p = i - 1;
		double kids = 0;

		while (p >= 0 && r[p].y != r[i].y + 17)
			p--;
		ck_assert_msg(p >= 0, "frame %d has no parent", i);
		ck_assert_msg(r[i].x >= r[p].x - E && r[i].x + r[i].w <= r[p].x + r[p].w + E,
			      "frame %d [%.2f, %.2f] outside its parent [%.2f, %.2f]", i, r[i].x, r[i].x + r[i].w,
			      r[p].x, r[p].x + r[p].w);
		for (int k = i + 1; k < n && r[k].y < r[i].y; k++)
			if (r[k].y == r[i].y - 17)
				kids += r[k].w;
		ck_assert_msg(kids <= r[i].w + E, "frame %d: children %.2f wide, it %.2f", i, kids, r[i].w);
	}
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
	return RUN_TESTS("flame", "output", folded_round_trip, diff_pairs, svg_frames,
			 svg_layout_nests_within_margin, speedscope);
}
