/* Flame graphs from folded stacks ("a;b;c COUNT", or "a;b;c A B" for a
 * differential pair): folded text as flamegraph.pl/inferno read it, a
 * self-contained interactive SVG written by iopath itself (click to zoom,
 * search, tooltips with counts and %), speedscope JSON. */
#ifndef IOPATH_FLAME_H
#define IOPATH_FLAME_H
#include <stdbool.h>
#include <stdio.h>

struct fstack {
	char *stack;                 /* "a;b;c" */
	unsigned long long count;    /* samples, or the "before" count of a diff */
	unsigned long long count2;   /* diff: the "after" count */
};

struct flame {
	int n, cap;
	struct fstack *s;
	bool diff;
};

void flame_init(struct flame *f);
void flame_free(struct flame *f);
/* Adds (or adds to) a stack; frames separated by ';'. Frame names must not
 * contain ';' or newlines (replaced by '_'). */
int flame_add(struct flame *f, const char *stack, unsigned long long count,
	      unsigned long long count2);
/* Parses folded text ("stack count" or "stack count1 count2" lines).
 * Returns 0 or -EINVAL with the 1-based line number in *bad_line. */
int flame_parse_folded(struct flame *f, const char *text, int *bad_line);
void flame_write_folded(FILE *out, const struct flame *f);
/* title: shown on top; countname: "packets", "requests"... */
void flame_write_svg(FILE *out, const struct flame *f, const char *title, const char *countname);
void flame_write_speedscope(FILE *out, const struct flame *f, const char *name);
/* Builds the differential: a's counts as before, b's as after. */
int flame_diff(struct flame *out, const struct flame *a, const struct flame *b);

#endif
