# iopath — one static binary with the BPF objects embedded as bpftool skeletons.
# make            build ./iopath
# make test       unit tests (libcheck), live tests on this kernel, fuzzing, lab (guest, nested KVM, Xen)
# make unit       libcheck unit tests only (after bpf-headers)
# make bpf-headers  each header of bpf/lib and bpf/paths compiles on its own
# make lab        every lab stage (guest, nested KVM, Xen)
# make run        build, then trace this machine for a few seconds
# make bench      tracing overhead: traced vs untraced ratios in one run (tools/bench/README.md;
#                 BENCH_QUICK=1 for a short run; not part of make test)
# make soak       iopath under the highest packet rate for 30 min (SOAK_SECS): memory flat, maps bounded
# make install    PREFIX=/usr/local DESTDIR=: sbin/iopath, iopath(8), bash completion, docs
# make clean

OUT      ?= build
CLANG    ?= clang
BPFTOOL  ?= bpftool
CC       ?= gcc
ARCH     := x86

# The release number is VERSION (semver, bumped by hand with a release); the git commit is
# its build metadata: "0.6.0+5fd8713", or "0.6.0" alone from a tarball without .git.
GIT_REV  := $(shell git describe --always --dirty --exclude '*' 2>/dev/null)
VERSION  := $(shell cat VERSION)$(if $(GIT_REV),+$(GIT_REV))
PREFIX   ?= /usr/local
DESTDIR  ?=

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

.PHONY: all test unit live lab lab-gating run bench soak clean deps bpf-headers install uninstall man FORCE
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

# The files that print the version are rebuilt when it changes (a new commit, VERSION edited):
# the stamp is rewritten only when its content differs.
VERSION_USERS := $(patsubst %.c,$(OUT)/%.o,$(shell grep -l IOPATH_VERSION user/*.c user/*/*.c))
$(VERSION_USERS): $(OUT)/version.stamp
$(OUT)/version.stamp: FORCE
	@mkdir -p $(OUT)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@
FORCE:

# The minimal BTFs of the kernels the lab fetches (bpf/btf/README.md), built in as one C array
# each: on a kernel without BTF of its own that is one of them, CO-RE goes against its entry.
BTF_ARCHIVE := bpf/btf/index $(wildcard bpf/btf/*.btf)
$(OUT)/btf_archive.c: $(BTF_ARCHIVE) tools/gen-btf-archive.sh
	@mkdir -p $(OUT)
	tools/gen-btf-archive.sh bpf/btf > $@.tmp && mv $@.tmp $@
$(OUT)/btf_archive.o: $(OUT)/btf_archive.c user/kernel/btfarch.h
	$(CC) $(CFLAGS) -c $< -o $@

# tools/min-btf.sh's helper: vmlinux and module BTF merged into one file (a host tool, not shipped)
$(OUT)/tools/btf-merge: tools/btf-merge.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lbpf -lelf -lz

$(OUT)/libiopath.a: $(USER_OBJS) $(OUT)/btf_archive.o
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

# The benchmark's own programs (tools/bench/): the empty BPF programs that are the floor of a probe
# hit's cost, built like iopath's skeleton but into a binary of their own (not part of iopath).
BENCH_OUT := $(OUT)/bench
$(BENCH_OUT)/floor.bpf.o: tools/bench/floor.bpf.c $(BPF_HDRS) | $(BENCH_OUT)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp.o
	$(BPFTOOL) gen object $@ $@.tmp.o
	@rm -f $@.tmp.o
$(BENCH_OUT)/floor.skel.h: $(BENCH_OUT)/floor.bpf.o
	$(BPFTOOL) gen skeleton $< name floor_bpf > $@.tmp && mv $@.tmp $@
$(BENCH_OUT)/floor: tools/bench/floor.c $(BENCH_OUT)/floor.skel.h include/iopath.h
	$(CC) $(CFLAGS) -I$(BENCH_OUT) -o $@ $< -lbpf -lelf -lz
$(BENCH_OUT):
	mkdir -p $@

# the harness's arithmetic on known numbers first (seconds), then the measurements (minutes)
bench: iopath $(BENCH_OUT)/floor
	tools/bench/selftest.sh
	tools/bench/bench.sh

soak: iopath
	tools/bench/soak.sh

# The man page is generated from the binary's help texts (tools/gen-man.sh), so it lists
# exactly the commands and flags this build has.
man: $(OUT)/iopath.8
$(OUT)/iopath.8: iopath tools/gen-man.sh
	tools/gen-man.sh ./iopath > $@

install: iopath $(OUT)/iopath.8
	install -D -m 0755 iopath $(DESTDIR)$(PREFIX)/sbin/iopath
	install -D -m 0644 $(OUT)/iopath.8 $(DESTDIR)$(PREFIX)/share/man/man8/iopath.8
	install -D -m 0644 tools/completion/iopath.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/iopath
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/iopath/README.md
	install -D -m 0644 LICENSE $(DESTDIR)$(PREFIX)/share/doc/iopath/LICENSE

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/iopath $(DESTDIR)$(PREFIX)/share/man/man8/iopath.8 \
	      $(DESTDIR)$(PREFIX)/share/bash-completion/completions/iopath
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/iopath

clean:
	rm -rf $(OUT) iopath
