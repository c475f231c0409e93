/* iopath env --exits: the exit model's column for this machine's platform (or a snapshot tree's),
 * and what iopath can measure of each crossing kind on this kernel (resolved, not attached; needs
 * root for the capability probes, and says "not determined" without it). model: also the whole
 * table. Returns the exit code. */
#ifndef IOPATH_ENV_EXITS_H
#define IOPATH_ENV_EXITS_H
#include <stdbool.h>

int env_exits(const char *root, bool json, bool model);

#endif
