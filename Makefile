# iopath — one static binary with the BPF objects embedded as bpftool skeletons.
# make            build ./iopath
# make test       unit tests (libcheck), live tests on this kernel, fuzzing, lab (guest, nested KVM, Xen)
# make unit       libcheck unit tests only (after bpf-headers)
# make bpf-headers  each header of bpf/lib and bpf/paths compiles on its own
# make lab        every lab stage (guest, nested KVM, Xen)
# make run        build, then trace this machine for a few seconds
# make bench      tracing overhead: traced vs untraced ratios in one run
# make clean

OUT      ?= build
CLANG    ?= clang
BPFTOOL  ?= bpftool
CC       ?= gcc
ARCH     := x86

VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(OUT)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS     := $(patsubst bpf/%.bpf.c,$(OUT)/%.skel.h,$(BPF_SRCS))
USER_SRCS := $(wildcard user/*/*.c)
USER_OBJS := $(patsubst user/%.c,$(OUT)/user/%.o,$(USER_SRCS))
TEST_SRCS := $(wildcard tests/check_*.c)
TEST_BINS := $(patsubst tests/%.c,$(OUT)/tests/%,$(TEST_SRCS))
HEADERS   := $(wildcard include/*.h user/*/*.h)
TEST_HDRS := $(wildcard tests/*.h)
BPF_HDRS  := $(wildcard include/*.h bpf/*.h bpf/lib/*.h bpf/paths/*.h)
# Headers that must compile alone (each includes what it uses).
BPF_ALONE := $(wildcard bpf/lib/*.h bpf/paths/*.h)
BPF_ALONE_OK := $(patsubst bpf/%.h,$(OUT)/bpf-headers/%.ok,$(BPF_ALONE))

CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -std=gnu11 -D_GNU_SOURCE \
            -Iinclude -Iuser -I$(OUT) -DIOPATH_VERSION='"$(VERSION)"'
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Iinclude -Ibpf -Wall \
              -Wno-unused-function -Wno-compare-distinct-pointer-types
# Static: the one file is copied onto an instance and run there.
STATIC_LIBS := -static -lbpf -lelf -lz -lm
CHECK_LIBS  := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -pthread)

.PHONY: all test unit live lab lab-gating run bench clean deps bpf-headers
# Skeleton headers and BPF objects are intermediate files: keep them.
.SECONDARY:
# A failed recipe leaves no half-written target behind.
.DELETE_ON_ERROR:
all: iopath

deps:
	@tools/install-deps.sh build

$(OUT)/bpf/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | $(OUT)/bpf
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp.o
	$(BPFTOOL) gen object $@ $@.tmp.o
	@rm -f $@.tmp.o

# A header alone as the translation unit: nothing included before it.
$(OUT)/bpf-headers/%.ok: bpf/%.h $(BPF_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -fsyntax-only -x c $<
	@touch $@

# ...and the layering holds: bpf/lib and the path headers include no path
# header; only paths/charge.h, the exit-charging rule, sees several paths.
bpf-headers: $(BPF_ALONE_OK)
	@! grep -n '#include "paths/' $(filter-out bpf/paths/charge.h,$(BPF_ALONE)) || \
		{ echo 'bpf-headers: only paths/charge.h may include a path header' >&2; exit 1; }

$(OUT)/%.skel.h: $(OUT)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $*_bpf > $@.tmp && mv $@.tmp $@

$(OUT)/user/%.o: user/%.c $(HEADERS) $(SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/libiopath.a: $(USER_OBJS)
	@rm -f $@
	ar rcs $@ $^

iopath: $(OUT)/user/main.o $(OUT)/libiopath.a
	$(CC) $(CFLAGS) -o $@ $^ $(STATIC_LIBS)

$(OUT)/tests/%: tests/%.c $(OUT)/libiopath.a $(HEADERS) $(TEST_HDRS) | $(OUT)/tests
	$(CC) $(CFLAGS) -Itests -o $@ $< $(OUT)/libiopath.a -lbpf -lelf -lz $(CHECK_LIBS)

$(OUT)/bpf $(OUT)/tests:
	mkdir -p $@

unit: $(TEST_BINS) iopath bpf-headers
	tools/check-layers.sh
	tests/run-all.sh unit

test: $(TEST_BINS) iopath bpf-headers
	tools/check-layers.sh
	tests/run-all.sh all

live: $(TEST_BINS) iopath
	tests/run-all.sh live

lab: iopath
	tools/lab/lab.sh all

lab-gating: iopath
	tools/lab/lab.sh gating

run: iopath
	./iopath record --net --workload builtin --duration 5

bench: iopath
	tools/bench.sh

clean:
	rm -rf $(OUT) iopath
