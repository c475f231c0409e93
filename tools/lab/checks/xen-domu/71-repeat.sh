# Repeatability: the suite run twice in one domU (phases suite and suite2, Xen PV only) compares
# equal by compare's own rules: for every workload phase, `iopath compare` of the run with its
# repeat finds no difference it would explain (per packet / per request counts within 10% or
# 0.05 per unit, compare's threshold, record/compare.c) and every phase has both recordings.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
have_phase suite2 || skip "no repeat run here (phase suite2: Xen PV only)"
r=0; out=""; set --
for p in udp-rr udp-stream tcp-bulk blk-rand-qd1 blk-rand-qd16 blk-seq-read blk-seq-write; do
	a=$LAB_DATA/suite/run.$p.rec b=$LAB_DATA/suite2/run.$p.rec
	[ -s "$a" ] && [ -s "$b" ] || { r=1; out="$out $p:missing"; continue; }
	set -- "$@" "$a" "$b"
done
iopath compare "$@" --label run --label repeat --json > "$LAB_DATA/suite2/compare.json" 2> "$LAB_DATA/suite2/compare.err" ||
	fail "compare failed: $(tail -1 "$LAB_DATA/suite2/compare.err")$out"
for p in udp-rr udp-stream tcp-bulk blk-rand-qd1 blk-rand-qd16 blk-seq-read blk-seq-write; do
	n=$(jq -r --arg p $p '[.groups[] | select(.phase == $p) | .explanation[]] | length' "$LAB_DATA/suite2/compare.json")
	c=$(jq -r --arg p $p '[.groups[] | select(.phase == $p) | .columns[]] | length' "$LAB_DATA/suite2/compare.json")
	if [ "$c" != 2 ]; then r=1; out="$out $p:$c-columns(want run and repeat)"
	elif [ "$n" = 0 ]; then out="$out $p:same"
	else r=1; out="$out $p:DIFFERS($(jq -r --arg p $p '[.groups[] | select(.phase == $p) | .explanation[]][0]' "$LAB_DATA/suite2/compare.json" | cut -c1-120))"; fi
done
[ $r = 0 ] && pass "$out" || fail "$out"
