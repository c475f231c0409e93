#!/bin/sh
# Builds the recording parser with libFuzzer + ASan/UBSan and fuzzes it for
# a bounded time (default 60 s), starting from real recordings in the seed
# corpus (checksums are not checked in this build, so mutations reach the
# schema parser and the record decoders). Exit 0 only with zero crashes. Usage: tests/fuzz/run.sh [SECONDS]
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=build/fuzz
mkdir -p "$out/corpus"
# every userspace source but the CLI (user/cli/ and main.c), instrumented, and the generated
# built-in BTF table (user/kernel/btfarch.h); skeleton headers and the table from make
make -s build/iopath.skel.h build/calib.skel.h build/btf_archive.c
srcs="tests/fuzz/fuzz_recfile.c tests/fuzz/consume.c build/btf_archive.c $(ls user/*/*.c | grep -v -e user/cli/)"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Wno-unknown-warning-option \
	-D_GNU_SOURCE -DIOPATH_VERSION='"fuzz"' -Iinclude -Iuser -Itests/fuzz -Ibuild \
	-o "$out/fuzz_recfile" $srcs -lbpf -lelf -lz -lm
# the seeds: the golden recordings (tests/golden), real recordings from the lab and live runs,
# and one of each format version (tests/fixtures/recordings: version 3 structs, version 4 schemas)
cp tests/golden/*.rec tests/fixtures/recordings/*.rec "$out/corpus/" 2>/dev/null || true
"$out/fuzz_recfile" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
	-artifact_prefix="$out/" "$out/corpus" > "$out/fuzz.log" 2>&1 || {
	tail -40 "$out/fuzz.log"
	echo "fuzz: CRASH (see $out/fuzz.log; the input is $out/crash-* or leak-*)"
	exit 1
}
runs=$(grep -E '^stat::number_of_executed_units' "$out/fuzz.log" | awk '{print $2}')
echo "fuzz: $runs inputs in ${secs}s, 0 crashes"
