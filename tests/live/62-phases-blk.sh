# Phases of iopath workload suite on a loop device: record --blk -o X.rec -- workload suite --blk
# LOOP --blk-write writes X.rec (the whole run) and one X.NAME.rec per block phase. Each phase
# file's request count and bytes on the loop disk are checked against the disk's own counters
# (/sys/class/block/LOOP/stat, which the workload reads right after record answers a phase's mark
# and right before it writes the next one, and prints in its phase line), and the phases together
# against the whole run.
# Tolerances: the identity is traced + missed = diskstats, per phase. Missed completions: on this
# sandbox VM BPF does not run while a thread of PID 1 is current (lib.sh, blind_start) and loop
# completions run in softirqs on top of whatever runs; such a request is still open when the phase
# ends (in_flight, a gauge of the closing snapshot) or counted when it is reused (restarted,
# reissued, complete_unseen). Their sum over the phases is bounded by what ftrace saw raised on
# top of PID 1 over the run (1% without tracefs). The phases sum to the whole run exactly for what
# happened inside them; the whole run also holds what happened before the first mark and after
# the last (the workload's start and exit): those requests are the diskstats delta of the whole
# record less the phases' deltas, and the test checks that too.
. "$(dirname "$0")/lib.sh"

make_loop 64M
command -v udevadm > /dev/null && udevadm settle 2> /dev/null || true
IFS=: read maj min < "/sys/block/$LOOPNAME/dev"
blind_start block/block_rq_complete "dev == $(( (maj << 20) | min ))"
st() { awk '{ print $1 + $5, ($3 + $7) * 512 }' /sys/class/block/$LOOPNAME/stat; }
set -- $(st); r0=$1
"$IOPATH" record --blk --disk "$LOOP" -o "$TMP/X.rec" -- "$IOPATH" workload suite --blk "$LOOP" --blk-write \
	> "$TMP/out" 2> "$TMP/err" || fail "record exited $?: $(cat "$TMP/err")"
set -- $(st); r1=$1
blind=$(blind_count)
grep '^phase ' "$TMP/out" > "$TMP/phases" || fail "no phase lines: $(cat "$TMP/out")"
cat "$TMP/phases"
[ "$(wc -l < "$TMP/phases")" = 4 ] || fail "$(wc -l < "$TMP/phases") block phases, want 4"

# requests and bytes of the loop disk in a recording (all ops: the suite does reads and writes)
recq() { "$IOPATH" report --json "$1" | jq -r --arg d "$LOOPNAME" \
	'[.blk.classes[] | select(.disk == $d)] | "\(map(.requests) | add // 0) \(map(.bytes) | add // 0)"'; }
recmissed() { "$IOPATH" report --json "$1" | jq -r '.blk.counters | .restarted + .reissued + .in_flight + .complete_unseen'; }
sum_req=0 sum_bytes=0 sum_missed=0 sum_ds=0
for name in blk-rand-qd1 blk-rand-qd16 blk-seq-read blk-seq-write; do
	f=$TMP/X.$name.rec
	[ -f "$f" ] || fail "no $f: $(cat "$TMP/err")"
	[ "$("$IOPATH" report --json "$f" | jq -r .phase.name)" = $name ] || fail "$f: META phase is not $name"
	line=$(grep "^phase $name: " "$TMP/phases") || fail "no line for phase $name"
	# "; disk loop0: R reads S sectors, W writes T sectors"
	set -- $(echo "$line" | sed -n 's/.*; disk [^:]*: \([0-9]*\) reads \([0-9]*\) sectors, \([0-9]*\) writes \([0-9]*\) sectors.*/\1 \2 \3 \4/p')
	[ $# = 4 ] || fail "phase $name: no disk counters in '$line'"
	ds=$(($1 + $3)) dsb=$((($2 + $4) * 512))
	set -- $(recq "$f"); req=$1 bytes=$2
	missed=$(recmissed "$f")
	[ "$req" -le "$ds" ] || fail "phase $name: $req requests traced, the disk completed only $ds"
	[ $((req + missed)) -ge "$ds" ] || fail "phase $name: $req traced + $missed missed < diskstats $ds"
	[ "$bytes" -le "$dsb" ] || fail "phase $name: $bytes bytes traced, the disk did $dsb"
	# a missed completion loses its bytes too: at most the largest request (1 MiB split into two) each
	[ $((bytes + missed * 1048576)) -ge "$dsb" ] || fail "phase $name: $bytes bytes traced, diskstats $dsb"
	ok "phase $name: $req requests $bytes bytes traced ($missed missed), diskstats $ds requests $dsb bytes"
	sum_req=$((sum_req + req)) sum_bytes=$((sum_bytes + bytes)) sum_missed=$((sum_missed + missed))
	sum_ds=$((sum_ds + ds))
done
if [ -n "$blind" ]; then
	[ "$sum_missed" -le "$blind" ] || fail "$sum_missed completions missed, only $blind raised on top of PID 1"
else
	[ $((sum_missed * 100)) -le "$sum_ds" ] || fail "$sum_missed missed completions (> 1%)"
fi
# the expected sizes: 256 + 1024 4 KiB reads, 16 + 16 MiB in 1 MiB requests (split or not)
[ "$sum_bytes" -le $(( (256 + 1024) * 4096 + 32 * 1048576 )) ] || fail "phases traced $sum_bytes bytes, more than the suite does"

# The phases against the whole run: the whole = the phases + what happened outside them.
set -- $(recq "$TMP/X.rec"); wreq=$1 wbytes=$2
outside=$(( (r1 - r0) - sum_ds ))
[ "$wreq" -ge "$sum_req" ] || fail "whole run $wreq requests < the phases' $sum_req"
[ $((wreq - sum_req)) -le $((outside + sum_missed)) ] ||
	fail "whole run $wreq requests, phases $sum_req: $((wreq - sum_req)) outside them, diskstats saw $outside there"
ok "whole run $wreq requests $wbytes bytes = phases $sum_req requests $sum_bytes bytes + $((wreq - sum_req)) outside them (diskstats: $outside)"
# The report, diff and flame read a phase file like any recording.
"$IOPATH" report "$TMP/X.blk-rand-qd1.rec" > "$TMP/rep" || fail "report of a phase file failed"
grep -q '^phase blk-rand-qd1: ' "$TMP/rep" || fail "report of a phase file does not name the phase: $(head -3 "$TMP/rep")"
"$IOPATH" diff "$TMP/X.blk-rand-qd1.rec" "$TMP/X.blk-rand-qd16.rec" > "$TMP/diff" || fail "diff of two phase files failed"
"$IOPATH" flame "$TMP/X.blk-seq-read.rec" -o "$TMP/f.svg" 2> "$TMP/ferr" || fail "flame of a phase file failed: $(cat "$TMP/ferr")"
ok "report, diff and flame read phase files"

# --blk-write refuses a device in use: a loop device with a mounted file system.
if command -v mkfs.ext4 > /dev/null; then
	truncate -s 64M "$TMP/fs.img"
	mkfs.ext4 -q "$TMP/fs.img"
	FSLOOP=$(losetup --find --show "$TMP/fs.img")
	at_exit "losetup -d $FSLOOP 2>/dev/null || true"
	mkdir "$TMP/mnt"
	mount "$FSLOOP" "$TMP/mnt"
	at_exit "umount $TMP/mnt 2>/dev/null || true"
	expect_exit 2 1 -- "$IOPATH" workload suite --blk "$FSLOOP" --blk-write
	grep -q "is mounted on $TMP/mnt" "$TMP/err" || fail "refusal does not say where it is mounted: $(cat "$TMP/err")"
	# reading it is allowed
	"$IOPATH" workload suite --blk "$FSLOOP" > "$TMP/ro" || fail "read-only suite on a mounted device failed"
	[ "$(grep -c '^phase blk-' "$TMP/ro")" = 3 ] || fail "read-only suite ran $(grep -c '^phase blk-' "$TMP/ro") phases, want 3"
	ok "--blk-write refused on a mounted device; reading it runs the three read phases"
fi
