#!/bin/sh
# make soak: iopath left recording under the highest load this machine makes, to show it
# stays within its memory: `iopath record --net --blk --stacks --deep -o FILE` while a UDP
# sender sends 64-byte datagrams over a veth pair as fast as it can and dd reads a loop
# device at QD1, for SOAK_SECS (default 1800). Every SOAK_INTERVAL seconds (default 60;
# SOAK_SECS/10 when the run is shorter than 10 minutes) it samples iopath's RSS and each of
# its BPF maps (memlock, and the entry count of every hash map: bpftool map dump).
# Not part of make test. Checks, each printed with what it measured:
#   rss      flat: the median RSS of the last third of the run (the last 10 minutes of 30)
#            is at most 10 % above the first sample after the warm-up (the first sixth: the
#            maps and the report's tables fill, the stack map takes its first stacks); the
#            largest sample is printed beside it (a transient peak is not growth)
#   maps     bounded: no hash map holds more entries than its max_entries, and no map's
#            memlock changes (iopath's maps are preallocated: a change is a new map)
#   drops    counted and reported: iopath's NOT RECORDED lines and evictions are printed
#            (they are the load's, not failures); the recording reads back
#   exit     iopath exits 0
# Output: the table on stdout, $OUT/soak.json, $OUT/soak.{tsv,maps.tsv,out,err,rec}.
# Exit 1 when a check fails.
ME=soak
. "$(dirname "$0")/lib.sh"

SECS=${SOAK_SECS:-1800}
if [ -n "${SOAK_INTERVAL:-}" ]; then
	INTERVAL=$SOAK_INTERVAL
elif [ "$SECS" -lt 600 ]; then
	INTERVAL=$((SECS / 10 < 5 ? 5 : SECS / 10))
else
	INTERVAL=60
fi
WARM=$((SECS / 6)) LAST=$((SECS - SECS / 3))

[ "$(id -u)" = 0 ] || die "needs root (it loads BPF programs and makes namespaces and a loop device)"
[ -x "$IOPATH" ] || die "no iopath binary at $IOPATH (run make)"
need ip iproute2
need ss iproute2
need jq jq
need losetup util-linux
need bpftool bpftool
need bash bash
mkdir -p "$OUT"
rm -f "$OUT"/soak.*
setup_veth
setup_loop

note "$(date -u +%FT%TZ): $SECS s, a sample every $INTERVAL s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
# --deep needs kprobes or fentry: where neither attaches (this PVM guest), the soak goes on
# without it, said, rather than not at all
DEEP=--deep
if ! tracer_start soak "$IOPATH" record --net --blk --stacks $DEEP -o "$OUT/soak.rec" -- "$HOLD" "$TMPB/ready" "$TMPB/go"; then
	grep -q -- '--deep: none of' "$TMPB/soak.err" 2>/dev/null || die "iopath record did not start: $(tail -n 1 "$TMPB/soak.err")"
	note "--deep cannot attach here ($(tail -n 1 "$TMPB/soak.err" | cut -c1-100)...): the soak records without it"
	DEEP=
	tracer_start soak "$IOPATH" record --net --blk --stacks -o "$OUT/soak.rec" -- "$HOLD" "$TMPB/ready" "$TMPB/go" ||
		die "iopath record did not start: $(tail -n 1 "$TMPB/soak.err")"
fi
IPID=$TPID
note "iopath attached in $READY_MS ms (pid $IPID)"

# the load: the sender unbounded (PACKETS 0), the reader looping over the loop device
bg sink ip netns exec $B "$IOPATH" workload udp-sink 5201 $((SECS + 600))
SINK=$BGPID
wait_listen udp 5201 $SINK
bg send ip netns exec $A "$IOPATH" workload udp-send $NET.2 5201 0 64
SEND=$BGPID
bg blkload sh -c "trap 'kill \$d 2> /dev/null; exit 0' TERM
	while :; do dd if=$LOOP of=/dev/null bs=4k count=100000 iflag=direct 2> /dev/null & d=\$!; wait \$d; done"
BLKLOAD=$BGPID

# names of iopath's maps (fixed for the run: it creates them all at load)
map_info $IPID > "$TMPB/maps0"
bpftool map show --json | jq -r '.[] | "\(.id) \(.name // "-")"' > "$TMPB/names"
blk_reads() { awk -v d="$LOOPNAME" '$3 == d { print $4 }' /proc/diskstats; }

# sample T: one row of soak.tsv and one row per map in soak.maps.tsv
# soak.tsv:      t rss_kb hwm_kb maps memlock_total over_bound pkt_per_s req_per_s dump_ms
# soak.maps.tsv: t id name type max_entries entries memlock
PREV_T=0 PREV_TX=$(va_tx) PREV_RD=$(blk_reads)
sample() {
	local t=$1 rss hwm tx rd d0 d1
	rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$IPID/status)
	hwm=$(awk '/^VmHWM:/ { print $2 }' /proc/$IPID/status)
	tx=$(va_tx) rd=$(blk_reads)
	d0=$(ns_now)
	map_info $IPID | while read -r id ty mx ml; do
		local e=-
		case $ty in # hash, percpu hash, lru hash, lru percpu hash: count their entries
		1 | 5 | 9 | 10) e=$(bpftool map dump id "$id" -j 2> /dev/null | jq length 2> /dev/null || echo -) ;;
		esac
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$id" "$(awk -v i="$id" '$1 == i { print $2 }' "$TMPB/names")" \
			"$ty" "$mx" "$e" "$ml"
	done >> "$OUT/soak.maps.tsv"
	d1=$(ns_now)
	awk -F'\t' -v t="$t" -v rss="$rss" -v hwm="$hwm" -v dt=$((t - PREV_T)) -v tx=$((tx - PREV_TX)) \
		-v rd=$((rd - PREV_RD)) -v dms="$(ms_between "$d0" "$d1")" '
		$1 == t { n++; ml += $7; if ($6 != "-" && $6 > $5) over++ }
		END { printf "%d\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.0f\t%s\n", t, rss, hwm, n, ml, over, tx / dt, rd / dt, dms }' \
		"$OUT/soak.maps.tsv" >> "$OUT/soak.tsv"
	PREV_T=$t PREV_TX=$tx PREV_RD=$rd
	tail -n 1 "$OUT/soak.tsv" | awk -F'\t' '{ printf "soak: %5d s  rss %d KiB  maps %d (%d KiB)  over bound %d  %d pkt/s  %d req/s  (maps read in %s ms)\n",
		$1, $2, $4, $5 / 1024, $6, $7, $8, $9 }' >&2
}
T0=$(date +%s)
t=0
while [ $t -lt "$SECS" ]; do
	next=$((t + INTERVAL))
	[ $next -le "$SECS" ] || next=$SECS
	while [ $(($(date +%s) - T0)) -lt $next ]; do
		is_running $IPID || die "iopath ended during the soak: $(tail -n 3 "$TMPB/soak.err")"
		is_running $SEND || die "the UDP sender ended: $(cat "$TMPB/send.err")"
		sleep 1
	done
	t=$next
	sample $t
done

kill -TERM $SEND $BLKLOAD
reap $SEND 10 "udp sender"
reap $BLKLOAD 30 "block load"
kill -TERM $SINK
reap $SINK 10 "udp sink"
tracer_stop soak
IRC=$RC
cp "$TMPB/soak.out" "$OUT/soak.out"
cp "$TMPB/soak.err" "$OUT/soak.err"

# --- checks ---
FAILED=0
check() { # NAME ok|FAIL TEXT
	printf '%-6s %-4s %s\n' "$1" "$2" "$3"
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$TMPB/checks"
	[ "$2" = ok ] || FAILED=1
}
: > "$TMPB/checks"
echo
echo "    t(s)  rss(KiB)  hwm(KiB)  maps  memlock(KiB)  over-bound    pkt/s    req/s"
awk -F'\t' '{ printf "%8d %9d %9d %5d %13d %11d %8d %8d\n", $1, $2, $3, $4, $5 / 1024, $6, $7, $8 }' "$OUT/soak.tsv"
echo
echo "maps (first and last sample):"
printf '  %-8s %-16s %5s %12s %9s %9s %12s %12s\n' id name type max_entries entries0 entries1 memlock0 memlock1
awk -F'\t' 'NR == 1 { t0 = $1 } { t1 = $1; row[$1, $2] = $0; ids[$2] = 1 }
	END { for (id in ids) { split(row[t0, id], a, "\t"); split(row[t1, id], b, "\t")
		printf "  %-8s %-16s %5s %12s %9s %9s %12s %12s\n", id, a[3], a[4], a[5], a[6], b[6], a[7], b[7] } }' \
	"$OUT/soak.maps.tsv" | sort -k1,1
echo

# rss: the first sample at or after the warm-up against the median of the last third (a leak lifts
# the median; a transient peak, such as a --checkpoint rewrite building the recording in memory,
# lifts one sample and is printed beside it, not judged)
set -- $(awk -F'\t' -v w="$WARM" -v l="$LAST" '!b && $1 >= w { b = $2; bt = $1 } $1 >= l { v[n++] = $2; if ($2 > m) { m = $2; mt = $1 } }
	END { for (i = 1; i < n; i++) for (j = i; j > 0 && v[j - 1] > v[j]; j--) { x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
	      print b + 0, bt + 0, (n ? v[int((n - 1) / 2)] : 0), n, m + 0, mt + 0 }' "$OUT/soak.tsv")
if [ "$1" -gt 0 ] && [ "$4" -gt 0 ] && [ "$3" -le $(($1 * 110 / 100)) ]; then
	check rss ok "median RSS of the $4 samples from $LAST s on: $3 KiB <= first after warm-up $1 KiB (at $2 s) + 10 % (largest: $5 KiB at $6 s)"
else
	check rss FAIL "median RSS of the $4 samples from $LAST s on: $3 KiB > first after warm-up $1 KiB (at $2 s) + 10 % (largest: $5 KiB at $6 s)"
fi
over=$(awk -F'\t' '$6 != "-" && $6 > $5 { n++ } END { print n + 0 }' "$OUT/soak.maps.tsv")
moved=$(awk -F'\t' '!($2 in m) { m[$2] = $7 } $7 != m[$2] { n++ } END { print n + 0 }' "$OUT/soak.maps.tsv")
counted=$(awk -F'\t' '$6 != "-" { n[$2] = 1 } END { print length(n) }' "$OUT/soak.maps.tsv")
nmaps=$(wc -l < "$TMPB/maps0")
if [ "$over" = 0 ] && [ "$moved" = 0 ]; then
	check maps ok "$nmaps maps, memlock unchanged in every sample; $counted hash maps counted, none over max_entries"
else
	check maps FAIL "$over samples of a hash map over max_entries, $moved samples of a map whose memlock changed"
fi
grep '^NOT RECORDED' "$OUT/soak.out" > "$TMPB/drops" || true
# the path summaries say how many packets/requests were evicted from the in-flight tables
grep -E '^(network|block) path' "$OUT/soak.out" > "$TMPB/paths" || true
evicted=$(sed -n 's/^network path.* \([0-9]*\) evicted.*/\1/p' "$TMPB/paths" | head -n 1)
if "$IOPATH" report "$OUT/soak.rec" > /dev/null 2> "$TMPB/report.err"; then
	check drops ok "$(wc -l < "$TMPB/drops") NOT RECORDED lines, ${evicted:-?} packets evicted (below); the recording reads back"
else
	check drops FAIL "the recording does not read back: $(cat "$TMPB/report.err")"
fi
sed 's/^/         /' "$TMPB/paths" "$TMPB/drops"
if [ "$IRC" = 0 ]; then check exit ok "iopath exited 0"; else check exit FAIL "iopath exited $IRC: $(tail -n 1 "$OUT/soak.err")"; fi

# --- JSON ---
{
	printf '{\n  "schema": "iopath-soak/1",\n  "iopath_version": "%s",\n  "kernel": "%s",\n' \
		"$("$IOPATH" --version | awk '{ print $NF }')" "$(uname -r)"
	printf '  "seconds": %d,\n  "interval": %d,\n  "warmup_until": %d,\n  "last_from": %d,\n' "$SECS" "$INTERVAL" "$WARM" "$LAST"
	printf '  "load": "record --net --blk --stacks %s; udp-send 64-byte datagrams unbounded over veth; dd 4 KiB O_DIRECT reads at QD1 on a loop device",\n' "${DEEP:-(no --deep: cannot attach here)}"
	printf '  "attach_ms": %s,\n  "iopath_exit": %d,\n  "evicted": %s,\n' "$READY_MS" "$IRC" "${evicted:-null}"
	printf '  "samples": [\n'
	awk -F'\t' '{ printf "%s    {\"t\": %d, \"rss_kb\": %d, \"hwm_kb\": %d, \"maps\": %d, \"memlock_bytes\": %d, \"over_bound\": %d, \"pkt_per_s\": %d, \"req_per_s\": %d}",
		(NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5, $6, $7, $8 } END { print "" }' "$OUT/soak.tsv"
	printf '  ],\n  "maps": [\n'
	awk -F'\t' '{ printf "%s    {\"t\": %d, \"id\": %d, \"name\": \"%s\", \"type\": %d, \"max_entries\": %d, \"entries\": %s, \"memlock\": %d}",
		(NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5, ($6 == "-" ? "null" : $6), $7 } END { print "" }' "$OUT/soak.maps.tsv"
	printf '  ],\n  "not_recorded": ['
	awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "%s\"%s\"", (NR > 1 ? ", " : ""), $0 }' "$TMPB/drops"
	printf '],\n  "checks": [\n'
	awk -F'\t' '{ gsub(/"/, "\\\"", $3); printf "%s    {\"check\": \"%s\", \"result\": \"%s\", \"detail\": \"%s\"}", (NR > 1 ? ",\n" : ""), $1, $2, $3 } END { print "" }' "$TMPB/checks"
	printf '  ]\n}\n'
} > "$OUT/soak.json"
jq empty "$OUT/soak.json" || die "soak.json is not valid JSON (a bug in soak.sh)"
echo "soak: results in ${OUT#$ROOT/}/soak.json and soak.{tsv,maps.tsv,out,err,rec}"
exit $FAILED
