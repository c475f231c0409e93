/* Kernel stacks taken at probe hits (record --stacks), symbolized at the
 * end of the recording into folded lines "point;outermost;...;innermost N",
 * so a recording's stacks can be drawn on another machine. */
#ifndef IOPATH_STACKS_H
#define IOPATH_STACKS_H
#include <stddef.h>
#include "engine/attach.h"

/* Builds the folded text (malloc'd, *out) from the engine's stack maps. */
int stacks_collect(struct engine *e, char **out, size_t *len, unsigned long long *nstacks);

#endif
