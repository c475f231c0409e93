/* libFuzzer target: any bytes given to the recording reader must give a
 * clean result or a clean error — no crash, no leak, no out-of-bounds read
 * (built with ASan/UBSan). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "record/recfile.h"
#include "rec_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct recording r;
	char err[256], v[128];

	if (rec_parse(data, size, &r, err, sizeof(err)))
		return 0;
	rec_meta(&r, "kernel", v, sizeof(v));
	for (int i = 0; i < r.nsec; i++) {
		const void *first;

		rec_records(&r.sec[i], 24, &first, err, sizeof(err));
	}
	rec_fuzz_consume(&r);
	rec_free(&r);
	return 0;
}
