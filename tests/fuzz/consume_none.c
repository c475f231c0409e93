/* Until reports load from recordings, the fuzzer covers the container. */
#include "rec_fuzz.h"
void rec_fuzz_consume(const struct recording *r) { (void)r; }
