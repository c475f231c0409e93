/* The fuzzer drives everything that reads a parsed recording: the bundle
 * loader and both printers. */
#include <stdio.h>

#include "rec_fuzz.h"
#include "record/recdata.h"

void rec_fuzz_consume(const struct recording *r)
{
	static FILE *null;
	struct rec_data d;
	char err[300];

	if (!null)
		null = fopen("/dev/null", "w");
	if (rec_data_from(&d, r, err, sizeof(err)) == 0) {
		rec_data_print(null, &d);
		rec_data_json(null, &d);
	}
	rec_data_free(&d);
}
