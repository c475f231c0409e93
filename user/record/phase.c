#include "record/phase.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A name that can be a part of a file name everywhere and a row group's label: no '/', no space,
 * no control or shell characters, not hidden (a leading '.'), not the end mark "-". */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || c == '+' || c == '-';
}

static enum phase_mark bad(char *why, size_t len, const char *fmt, const char *arg)
{
	snprintf(why, len, fmt, arg);
	return PM_BAD;
}

enum phase_mark phase_mark_parse(const char *line, struct phase_names *names, char *name, char *why,
				 size_t whylen)
{
	const char *n = line + 6;
	size_t len;

	if (strncmp(line, "phase ", 6))
		return bad(why, whylen, "unknown mark '%.60s' (expected 'phase NAME' or 'phase -')", line);
	if (!strcmp(n, "-"))
		return PM_END;
	len = strlen(n);
	if (!len)
		return bad(why, whylen, "%s", "phase mark without a name");
	if (len > PHASE_NAME_MAX)
		return bad(why, whylen, "phase name '%.60s...' is longer than 48 bytes", n);
	for (const char *p = n; *p; p++)
		if (!name_char(*p))
			return bad(why, whylen, *p == '/' ? "phase name '%s' has a '/' (it names a file)" :
				   *p == ' ' || *p == '\t' ? "phase name '%s' has a space" :
				   "phase name '%s' has a character other than A-Z a-z 0-9 _ . + -", n);
	if (n[0] == '.')
		return bad(why, whylen, "phase name '%s' starts with '.'", n);
	for (unsigned i = 0; i < names->n; i++)
		if (!strcmp(names->name[i], n))
			return bad(why, whylen, "phase '%s' was already recorded (each name once)", n);
	if (names->n == PHASE_MAX)
		return bad(why, whylen, "phase '%s' is one more than the 32 phases a run may have", n);
	snprintf(names->name[names->n++], PHASE_NAME_MAX + 1, "%s", n);
	snprintf(name, PHASE_NAME_MAX + 1, "%s", n);
	return PM_START;
}

int phase_path(const char *out, const char *name, char *buf, size_t len)
{
	size_t n = strlen(out);

	if (n >= 4 && !strcmp(out + n - 4, ".rec"))
		n -= 4;
	return snprintf(buf, len, "%.*s.%s.rec", (int)n, out, name) < (int)len ? 0 : -ENAMETOOLONG;
}
