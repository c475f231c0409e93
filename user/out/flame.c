#include "out/flame.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out/json.h"
#include "util/strset.h"

void flame_init(struct flame *f)
{
	memset(f, 0, sizeof(*f));
}

void flame_free(struct flame *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->s[i].stack);
	free(f->s);
	memset(f, 0, sizeof(*f));
}

int flame_add(struct flame *f, const char *stack, unsigned long long count, unsigned long long count2)
{
	char *s;

	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->s[i].stack, stack)) {
			f->s[i].count += count;
			f->s[i].count2 += count2;
			return 0;
		}
	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 64;
		struct fstack *n = realloc(f->s, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		f->s = n;
		f->cap = cap;
	}
	s = strdup(stack);
	if (!s)
		return -ENOMEM;
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
			*p = '_';
	f->s[f->n++] = (struct fstack){ s, count, count2 };
	return 0;
}

int flame_parse_folded(struct flame *f, const char *text, int *bad_line)
{
	const char *p = text;
	int line = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *l = strndup(p, len), *sp1, *sp2, *end;
		unsigned long long c1, c2 = 0;

		line++;
		if (!l)
			return -ENOMEM;
		if (!len || l[0] == '#') {
			free(l);
			goto next;
		}
		sp1 = strrchr(l, ' ');
		if (!sp1 || sp1 == l)
			goto bad;
		c1 = strtoull(sp1 + 1, &end, 10);
		if (*end || !sp1[1])
			goto bad;
		*sp1 = 0;
		sp2 = strrchr(l, ' ');
		if (sp2) {
			/* "stack before after": the differential form */
			unsigned long long c0 = strtoull(sp2 + 1, &end, 10);

			if (*end || !sp2[1] || sp2 == l)
				goto bad;
			*sp2 = 0;
			c2 = c1;
			c1 = c0;
			f->diff = true;
		}
		if (flame_add(f, l, c1, c2)) {
			free(l);
			return -ENOMEM;
		}
		free(l);
next:
		if (!nl)
			break;
		p = nl + 1;
		continue;
bad:
		free(l);
		*bad_line = line;
		return -EINVAL;
	}
	return 0;
}

static int cmp_stack(const void *a, const void *b)
{
	return strcmp(((const struct fstack *)a)->stack, ((const struct fstack *)b)->stack);
}

void flame_write_folded(FILE *out, const struct flame *f)
{
	struct fstack *s = malloc((f->n ? f->n : 1) * sizeof(*s));

	if (!s)
		return;
	memcpy(s, f->s, f->n * sizeof(*s));
	qsort(s, f->n, sizeof(*s), cmp_stack); /* flamegraph.pl merges adjacent lines */
	for (int i = 0; i < f->n; i++) {
		if (f->diff)
			fprintf(out, "%s %llu %llu\n", s[i].stack, s[i].count, s[i].count2);
		else
			fprintf(out, "%s %llu\n", s[i].stack, s[i].count);
	}
	free(s);
}

int flame_diff(struct flame *out, const struct flame *a, const struct flame *b)
{
	flame_init(out);
	out->diff = true;
	for (int i = 0; i < a->n; i++)
		if (flame_add(out, a->s[i].stack, a->s[i].count, 0))
			return -ENOMEM;
	for (int i = 0; i < b->n; i++)
		if (flame_add(out, b->s[i].stack, 0, b->s[i].count))
			return -ENOMEM;
	return 0;
}

/* --- merged frame tree --- */

struct node {
	char *name;
	unsigned long long v, v2;   /* inclusive counts (v2: diff "after") */
	int nkids, cap;
	struct node *kids;
};

static struct node *child(struct node *n, const char *name, size_t len)
{
	for (int i = 0; i < n->nkids; i++)
		if (strlen(n->kids[i].name) == len && !strncmp(n->kids[i].name, name, len))
			return &n->kids[i];
	if (n->nkids == n->cap) {
		int cap = n->cap ? n->cap * 2 : 4;
		struct node *k = realloc(n->kids, cap * sizeof(*k));

		if (!k)
			return NULL;
		n->kids = k;
		n->cap = cap;
	}
	memset(&n->kids[n->nkids], 0, sizeof(*n->kids));
	n->kids[n->nkids].name = strndup(name, len);
	return n->kids[n->nkids].name ? &n->kids[n->nkids++] : NULL;
}

static void tree_free(struct node *n)
{
	for (int i = 0; i < n->nkids; i++)
		tree_free(&n->kids[i]);
	free(n->kids);
	free(n->name);
}

static int kid_cmp(const void *a, const void *b)
{
	return strcmp(((const struct node *)a)->name, ((const struct node *)b)->name);
}

static int build(struct node *root, const struct flame *f)
{
	memset(root, 0, sizeof(*root));
	root->name = strdup("all");
	for (int i = 0; i < f->n; i++) {
		/* width: the count (or, for a diff, the "after" count as
		 * flamegraph.pl --negate does not: after is what you see) */
		unsigned long long v = f->diff ? f->s[i].count2 : f->s[i].count, v2 = f->s[i].count;
		struct node *n = root;
		const char *p = f->s[i].stack;

		if (f->diff && !v)
			v = 0;
		root->v += v;
		root->v2 += v2;
		while (*p) {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p);

			n = child(n, p, len);
			if (!n)
				return -ENOMEM;
			n->v += v;
			n->v2 += v2;
			if (!e)
				break;
			p = e + 1;
		}
	}
	return 0;
}

static void sort_tree(struct node *n)
{
	qsort(n->kids, n->nkids, sizeof(*n->kids), kid_cmp);
	for (int i = 0; i < n->nkids; i++)
		sort_tree(&n->kids[i]);
}

static int depth(const struct node *n)
{
	int d = 0;

	for (int i = 0; i < n->nkids; i++) {
		int k = depth(&n->kids[i]);

		if (k > d)
			d = k;
	}
	return d + 1;
}

static void xml(FILE *o, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '&': fputs("&amp;", o); break;
		case '"': fputs("&quot;", o); break;
		default: fputc(*s, o);
		}
}

/* Warm hues for normal graphs (hashed from the name so a frame keeps its
 * color); for a diff, red = grew, blue = shrank, white = unchanged. */
static void color(const struct node *n, bool diff, unsigned long long tot, unsigned long long tot2,
		  char *buf, size_t len)
{
	if (diff) {
		double after = tot ? (double)n->v / tot : 0, before = tot2 ? (double)n->v2 / tot2 : 0;
		double d = after - before, m = fmax(after, before);
		int c = m > 0 ? (int)(200 * fmin(1.0, fabs(d) / m)) : 0;

		if (d > 0)
			snprintf(buf, len, "rgb(255,%d,%d)", 255 - c, 255 - c);
		else
			snprintf(buf, len, "rgb(%d,%d,255)", 255 - c, 255 - c);
		return;
	}
	unsigned h = 5381;

	for (const char *p = n->name; *p; p++)
		h = h * 33 + (unsigned char)*p;
	snprintf(buf, len, "rgb(%u,%u,%u)", 205 + h % 50, 80 + (h >> 8) % 120, 30 + (h >> 16) % 50);
}

#define FW 1200.0
#define FH 17
#define PAD 10
#define TOP 50

static void svg_nodes(FILE *o, const struct node *n, double x, int lvl, int maxd, const char *cn,
		      bool diff, unsigned long long tot, unsigned long long tot2)
{
	double w = tot ? (FW - 2 * PAD) * n->v / tot : 0;
	double y = TOP + (maxd - 1 - lvl) * FH;
	char col[40];

	if (w < 0.1 && lvl)
		return;
	color(n, diff, tot, tot2, col, sizeof(col));
	fprintf(o, "<g class=\"f\"><title>");
	xml(o, n->name);
	if (diff)
		fprintf(o, " (%llu %s, was %llu, %+.2f%%)", n->v, cn, n->v2,
			(tot ? 100.0 * n->v / tot : 0) - (tot2 ? 100.0 * n->v2 / tot2 : 0));
	else
		fprintf(o, " (%llu %s, %.2f%%)", n->v, cn, tot ? 100.0 * n->v / tot : 0);
	fprintf(o, "</title><rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%d\" fill=\"%s\" rx=\"2\"/>"
		   "<text x=\"%.2f\" y=\"%.0f\"></text></g>\n",
		PAD + x, y, w, FH - 1, col, PAD + x + 3, y + FH - 5);
	for (int i = 0; i < n->nkids; i++) {
		svg_nodes(o, &n->kids[i], x, lvl + 1, maxd, cn, diff, tot, tot2);
		x += tot ? (FW - 2 * PAD) * n->kids[i].v / tot : 0;
	}
}

/* The script: fits labels; click zooms as FlameGraph does: the clicked
 * frame and everything it called (above it, inside its span) are rescaled
 * into the full width by one factor, what called it (below it, spanning it)
 * is stretched to the full width, every other frame is hidden; "Reset zoom"
 * undoes it. A URL fragment #zoom=NAME opens zoomed into the widest frame
 * called NAME (a link to a view; the headless browser test uses it).
 * Ctrl-F/"Search" highlights matches and shows their share. E: rect
 * coordinates are printed to 0.01, so a child's end may pass its parent's by
 * up to 0.02 (tests/check_flame.c checks the margin on real layouts). */
static const char svg_js[] =
"<script type=\"text/ecmascript\"><![CDATA[\n"
"var W=%.1f,P=%d,E=0.05,fr=[],q=null;\n"
"function init(){fr=[].slice.call(document.querySelectorAll('g.f'));fr.forEach(function(g){var r=g.querySelector('rect');"
"g._x=+r.getAttribute('x');g._w=+r.getAttribute('width');g._y=+r.getAttribute('y');g._n=g.querySelector('title').textContent.replace(/ \\(.*$/,'');"
"g.onclick=function(){zoom(g)};});fit();"
"var m=/[#&]zoom=([^&]*)/.exec(location.hash);if(m)zoomto(decodeURIComponent(m[1]));}\n"
"function fit(){fr.forEach(function(g){var r=g.querySelector('rect'),t=g.querySelector('text'),w=+r.getAttribute('width');"
"t.setAttribute('x',+r.getAttribute('x')+3);var n=Math.floor((w-6)/7);t.textContent=n<3?'':(g._n.length>n?g._n.slice(0,n-2)+'..':g._n);});}\n"
"function place(g,x,w){var r=g.querySelector('rect');r.setAttribute('x',x);r.setAttribute('width',w);g.style.display=w>0?'':'none';}\n"
"function zoom(z){var x0=z._x,x1=z._x+z._w,s=(W-2*P)/z._w;fr.forEach(function(g){"
"if(g._y<=z._y&&g._x>=x0-E&&g._x+g._w<=x1+E)place(g,P+(g._x-x0)*s,g._w*s);"
"else if(g._y>z._y&&g._x<=x0+E&&g._x+g._w>=x1-E)place(g,P,W-2*P);"
"else place(g,g._x,0);});"
"document.getElementById('unzoom').style.opacity=1;fit();}\n"
"function zoomto(n){var z=null;fr.forEach(function(g){if(g._n==n&&(!z||g._w>z._w))z=g;});if(z)zoom(z);}\n"
"function unzoom(){fr.forEach(function(g){place(g,g._x,g._w);});"
"document.getElementById('unzoom').style.opacity=0;fit();}\n"
"function search(t){if(t==null)t=prompt('Search (regex)','');if(t==null)return;q=t?new RegExp(t):null;var m=0,tot=0;"
"fr.forEach(function(g){var r=g.querySelector('rect');if(g._o==null)g._o=r.getAttribute('fill');if(q&&q.test(g._n)){r.setAttribute('fill','rgb(230,0,230)');}"
"else r.setAttribute('fill',g._o);});"
"var best=[];fr.forEach(function(g){if(q&&q.test(g._n)&&!best.some(function(b){return g._x>=b._x-0.01&&g._x+g._w<=b._x+b._w+0.01&&g._y>b._y}))best.push(g)});"
"best.forEach(function(g){m+=g._w});document.getElementById('matched').textContent=q?('Matched: '+(100*m/(W-2*P)).toFixed(1)+'%%'):'';}\n"
"document.addEventListener('keydown',function(e){if((e.ctrlKey||e.metaKey)&&e.key=='f'){e.preventDefault();search();}});\n"
"window.addEventListener('load',init);\n"
"]]></script>\n";

void flame_write_svg(FILE *o, const struct flame *f, const char *title, const char *countname)
{
	struct node root;
	int maxd;
	double h;

	if (build(&root, f)) {
		tree_free(&root);
		return;
	}
	sort_tree(&root);
	maxd = depth(&root);
	h = TOP + maxd * FH + 30;
	fprintf(o, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		   "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		   "viewBox=\"0 0 %.0f %.0f\" font-family=\"Verdana,sans-serif\" font-size=\"12\">\n",
		FW, h, FW, h);
	fprintf(o, "<style>g.f:hover rect{stroke:#000;stroke-width:0.5;cursor:pointer} text{pointer-events:none}"
		   " .b{cursor:pointer}</style>\n");
	fprintf(o, svg_js, FW, PAD);
	fprintf(o, "<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n<text x=\"%.0f\" y=\"24\" "
		   "text-anchor=\"middle\" font-size=\"17\">", FW / 2);
	xml(o, title);
	fprintf(o, "</text>\n<text id=\"unzoom\" class=\"b\" x=\"%d\" y=\"24\" style=\"opacity:0\" "
		   "onclick=\"unzoom()\">Reset zoom</text>\n<text class=\"b\" x=\"%.0f\" y=\"24\" "
		   "text-anchor=\"end\" onclick=\"search()\">Search</text>\n<text id=\"matched\" x=\"%.0f\" "
		   "y=\"%.0f\" text-anchor=\"end\"></text>\n", PAD, FW - PAD, FW - PAD, h - 10);
	if (f->diff)
		fprintf(o, "<text x=\"%d\" y=\"%.0f\">red: grew, blue: shrank (width: after; "
			   "color: change in share)</text>\n", PAD, h - 10);
	svg_nodes(o, &root, 0, 0, maxd, countname, f->diff, root.v, root.v2);
	fprintf(o, "</svg>\n");
	tree_free(&root);
}

void flame_write_speedscope(FILE *o, const struct flame *f, const char *name)
{
	struct strset idx;
	char **names = NULL;
	int nn = 0, cap = 0;
	struct jw w;

	strset_init(&idx);
	/* frame table */
	for (int i = 0; i < f->n; i++) {
		const char *p = f->s[i].stack;

		while (*p) {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			char *fr = strndup(p, len);

			if (fr && strset_add(&idx, fr, nn) == 1) {
				if (nn == cap) {
					cap = cap ? cap * 2 : 64;
					names = realloc(names, cap * sizeof(*names));
				}
				names[nn++] = fr;
			} else {
				free(fr);
			}
			if (!e)
				break;
			p = e + 1;
		}
	}
	jw_init(&w, o, false);
	jw_obj_begin(&w, NULL);
	jw_str(&w, "$schema", "https://www.speedscope.app/file-format-schema.json");
	jw_str(&w, "exporter", "iopath");
	jw_str(&w, "name", name);
	jw_obj_begin(&w, "shared");
	jw_arr_begin(&w, "frames");
	for (int i = 0; i < nn; i++) {
		jw_obj_begin(&w, NULL);
		jw_str(&w, "name", names[i]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_arr_begin(&w, "profiles");
	jw_obj_begin(&w, NULL);
	jw_str(&w, "type", "sampled");
	jw_str(&w, "name", name);
	jw_str(&w, "unit", "none");
	jw_int(&w, "startValue", 0);
	{
		unsigned long long tot = 0;

		for (int i = 0; i < f->n; i++)
			tot += f->diff ? f->s[i].count2 : f->s[i].count;
		jw_uint(&w, "endValue", tot);
	}
	jw_arr_begin(&w, "samples");
	for (int i = 0; i < f->n; i++) {
		const char *p = f->s[i].stack;

		jw_arr_begin(&w, NULL);
		while (*p) {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			char *fr = strndup(p, len);
			uint64_t id = 0;

			if (fr) {
				strset_get(&idx, fr, &id);
				free(fr);
			}
			jw_uint(&w, NULL, id);
			if (!e)
				break;
			p = e + 1;
		}
		jw_arr_end(&w);
	}
	jw_arr_end(&w);
	jw_arr_begin(&w, "weights");
	for (int i = 0; i < f->n; i++)
		jw_uint(&w, NULL, f->diff ? f->s[i].count2 : f->s[i].count);
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_finish(&w);
	for (int i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	strset_free(&idx);
}
