/* /proc/interrupts parser (procirq.h). */
#include "platform/procirq.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform/sysfs.h"

const char *irq_kind_name(enum irq_kind k)
{
	switch (k) {
	case IRQ_KIND_RX: return "rx";
	case IRQ_KIND_TX: return "tx";
	case IRQ_KIND_RXTX: return "rxtx";
	case IRQ_KIND_CONFIG: return "config";
	case IRQ_KIND_ADMIN: return "admin";
	case IRQ_KIND_OTHER: return "other";
	case IRQ_KIND_NONE: break;
	}
	return "none";
}

void irq_table_free(struct irq_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n; i++)
		free(t->lines[i].counts);
	free(t->lines);
	free(t->cpu_ids);
	memset(t, 0, sizeof(*t));
}

struct irq_line *irq_table_find(const struct irq_table *t, int irq)
{
	for (int i = 0; i < t->n; i++)
		if (t->lines[i].irq == irq)
			return &t->lines[i];
	return NULL;
}

struct irq_line *irq_table_find_name(const struct irq_table *t,
				     const char *name)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->lines[i].name, name))
			return &t->lines[i];
	return NULL;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Copies the next whitespace-delimited token; returns the position after. */
static const char *next_token(const char *p, char *tok, size_t len)
{
	size_t n = 0;

	p = skip_ws(p);
	while (*p && !isspace((unsigned char)*p)) {
		if (n + 1 < len)
			tok[n++] = *p;
		p++;
	}
	tok[n] = '\0';
	return p;
}

static int parse_header(const char *line, struct irq_table *t)
{
	const char *p = line;
	char tok[32];
	int cap = 0;

	for (;;) {
		p = next_token(p, tok, sizeof(tok));
		if (!tok[0])
			break;
		if (strncmp(tok, "CPU", 3) || !str_all_digits(tok + 3))
			continue;
		if (t->ncpu == cap) {
			int *nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(t->cpu_ids, cap * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			t->cpu_ids = nv;
		}
		t->cpu_ids[t->ncpu++] = atoi(tok + 3);
	}
	return t->ncpu ? 0 : -EINVAL;
}

/* "5-edge" -> hwirq 5, flow "edge"; "81920-edge"; "27" -> hwirq only. */
static bool parse_hwirq_token(const char *tok, long long *hwirq, char *flow,
			      size_t flen)
{
	const char *p = tok;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p && *p != '-')
		return false;
	*hwirq = strtoll(tok, NULL, 10);
	if (*p == '-')
		snprintf(flow, flen, "%s", p + 1);
	return true;
}

static void split_actions(const char *rest, struct irq_line *l)
{
	const char *p = skip_ws(rest);

	/* show_interrupts() prints "  %s" then ", %s" per extra action. */
	while (*p && l->nactions < IRQ_MAX_ACTIONS) {
		const char *end = strstr(p, ", ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *a = l->action[l->nactions];

		if (n >= IRQ_ACTION_MAX)
			n = IRQ_ACTION_MAX - 1;
		memcpy(a, p, n);
		a[n] = '\0';
		str_rtrim(a);
		if (a[0])
			l->nactions++;
		if (!end)
			break;
		p = skip_ws(end + 2);
	}
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && !strcmp(s + a - b, suf);
}

/* Everything after the per-CPU counts of a numeric line. */
static void parse_irq_tail(const char *p, struct irq_line *l)
{
	char tok[96];
	const char *q;
	bool xen;

	p = next_token(p, tok, sizeof(tok));
	if (!tok[0])
		return;
	str_copy(l->chip, sizeof(l->chip), tok);

	/* Optional hwirq ("5-edge", "81920-edge", "27"), optional
	 * "Edge"/"Level", optional "-flow" when the hwirq is blank. */
	q = next_token(p, tok, sizeof(tok));
	if (parse_hwirq_token(tok, &l->hwirq, l->flow, sizeof(l->flow))) {
		p = q;
		q = next_token(p, tok, sizeof(tok));
	}
	if (!strcmp(tok, "Edge") || !strcmp(tok, "Level")) {
		str_copy(l->trigger, sizeof(l->trigger), tok);
		p = q;
		q = next_token(p, tok, sizeof(tok));
	}
	if (!l->flow[0] && tok[0] == '-' && tok[1]) {
		str_copy(l->flow, sizeof(l->flow), tok + 1);
		p = q;
	}

	xen = !strncmp(l->chip, "xen-", 4);
	if (xen && l->flow[0]) {
		/* New kernels print "xen-dyn" "-event" (or "xen-dyn-lateeoi"
		 * "-event") as two columns; keep the one-word form old kernels
		 * printed and people grep for. */
		size_t n = strlen(l->chip);

		snprintf(l->chip + n, sizeof(l->chip) - n, "-%s", l->flow);
	} else if (!xen && !l->flow[0] && l->hwirq < 0) {
		/* Pre-3.x "IO-APIC-edge", "PCI-MSI-edge": split the flow. */
		static const char *const flows[] = { "-edge", "-level",
						     "-fasteoi" };

		for (size_t i = 0; i < sizeof(flows) / sizeof(flows[0]); i++) {
			if (ends_with(l->chip, flows[i]) &&
			    strlen(l->chip) > strlen(flows[i])) {
				snprintf(l->flow, sizeof(l->flow), "%s",
					 flows[i] + 1);
				l->chip[strlen(l->chip) - strlen(flows[i])] = '\0';
				break;
			}
		}
	}
	split_actions(p, l);
}

static int parse_line(const char *line, struct irq_table *t,
		      struct irq_line *l)
{
	const char *p = skip_ws(line), *colon;
	size_t n;

	colon = strchr(p, ':');
	if (!colon || colon == p)
		return -EINVAL;
	n = colon - p;
	if (n >= sizeof(l->name))
		return -EINVAL;
	/* A label has no spaces ("LOC", "IPI0", "524544"). */
	for (const char *c = p; c < colon; c++)
		if (isspace((unsigned char)*c))
			return -EINVAL;
	memset(l, 0, sizeof(*l));
	memcpy(l->name, p, n);
	l->name[n] = '\0';
	l->irq = str_all_digits(l->name) ? atoi(l->name) : -1;
	l->hwirq = -1;
	l->queue = -1;
	l->counts = calloc(t->ncpu ? t->ncpu : 1, sizeof(*l->counts));
	if (!l->counts)
		return -ENOMEM;

	p = colon + 1;
	for (int i = 0; i < (t->ncpu ? t->ncpu : 1); i++) {
		char tok[32];
		const char *q = next_token(p, tok, sizeof(tok));

		if (!str_all_digits(tok))
			break;
		l->counts[l->ncounts++] = strtoull(tok, NULL, 10);
		l->total += strtoull(tok, NULL, 10);
		p = q;
	}
	if (l->irq >= 0) {
		parse_irq_tail(p, l);
	} else {
		snprintf(l->desc, sizeof(l->desc), "%s", skip_ws(p));
		str_rtrim(l->desc);
	}
	return 0;
}

int procirq_parse(const char *path, struct irq_table *t)
{
	char *line = NULL;
	size_t cap = 0;
	bool header = false;
	int err = 0;
	FILE *f;

	memset(t, 0, sizeof(*t));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		struct irq_line l;

		/* Never in /proc; lets saved samples carry their source. */
		if (line[0] == '#')
			continue;
		if (!header) {
			/* Some copies (and the tests') start with a blank
			 * line; the header is the first line with "CPU". */
			if (!strstr(line, "CPU"))
				continue;
			err = parse_header(line, t);
			if (err)
				goto out;
			header = true;
			continue;
		}
		err = parse_line(line, t, &l);
		if (err == -ENOMEM)
			goto out;
		if (err) {
			err = 0;	/* not a counter line: skip */
			continue;
		}
		if (t->n == t->cap) {
			struct irq_line *nl;
			int ncap = t->cap ? t->cap * 2 : 64;

			nl = realloc(t->lines, ncap * sizeof(*nl));
			if (!nl) {
				free(l.counts);
				err = -ENOMEM;
				goto out;
			}
			t->lines = nl;
			t->cap = ncap;
		}
		t->lines[t->n++] = l;
	}
	if (!header)
		err = -EINVAL;
out:
	free(line);
	fclose(f);
	if (err)
		irq_table_free(t);
	return err;
}
