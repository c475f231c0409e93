/* The generated BPF skeleton with the shared types it needs declared first (bpftool's
 * skeleton embeds the global variables' struct types by name). Include this, never
 * iopath.skel.h directly: the skeleton then compiles whatever came before it. */
#ifndef IOPATH_ENGINE_SKEL_H
#define IOPATH_ENGINE_SKEL_H
#include <bpf/libbpf.h>
#include "iopath.h"   /* and, through it, every include/iopath_*.h in the order they need */
#include "iopath.skel.h"
#endif
