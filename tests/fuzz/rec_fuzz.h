/* Everything that interprets a parsed recording, driven by the fuzzer:
 * tests/fuzz/consume.c. */
#ifndef IOPATH_REC_FUZZ_H
#define IOPATH_REC_FUZZ_H
#include "record/recfile.h"
void rec_fuzz_consume(const struct recording *r);
#endif
