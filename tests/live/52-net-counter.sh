# Per-CPU counters read at stage boundaries. No PMU exists here, so the
# plumbing is checked with the cpu-clock software event: opened CPU-wide, it
# advances with wall time, so the mean counter step into a stage must match
# the mean latency of the stage pair measured with bpf_ktime (same interval,
# same CPU; tolerance 2x for the reads' own cost at ~1 us scales).
# Without a PMU, --counter instructions must say so and carry on.
. "$(dirname "$0")/lib.sh"

"$IOPATH" record --json --workload builtin --packets 20000 --counter cpu-clock -o "$TMP/c.rec" > "$TMP/r.json"
dev=$(jq -c '[.net.devices[] | select(.dir == "tx" and .packets == 20000)][0]' "$TMP/r.json")
[ "$dev" != null ] || fail "no TX device with the 20000 workload packets"
steps=$(echo "$dev" | jq -r '.counter_per_stage.start_xmit.steps')
[ "$steps" = 20000 ] || fail "start_xmit counter steps $steps, want 20000 (queue and start_xmit run on one CPU)"
c=$(echo "$dev" | jq -r '.counter_per_stage.start_xmit.mean')
l=$(echo "$dev" | jq -r '.stage_pairs[] | select(.from == "queue" and .to == "start_xmit") | .latency.mean_ns')
awk -v c="$c" -v l="$l" 'BEGIN { exit !(c > l / 2 && c < l * 2) }' ||
	fail "cpu-clock mean $c ns vs queue->start_xmit latency mean $l ns"
ok "cpu-clock step into start_xmit $c ns ~ queue->start_xmit latency $l ns over $steps steps"
[ "$(jq -r .net.counters.counter_read_failed "$TMP/r.json")" = 0 ] || fail "counter reads failed"
# the text says the unit: cpu-clock counts nanoseconds
"$IOPATH" report "$TMP/c.rec" > "$TMP/c.txt"
grep -qE "^    start_xmit +20000 +[0-9]+ ns over 20000 steps$" "$TMP/c.txt" ||
	fail "no 'N ns over 20000 steps' on start_xmit: $(grep '^    start_xmit' "$TMP/c.txt")"
ok "text: $(grep '^    start_xmit' "$TMP/c.txt" | tr -s ' ')"

if [ ! -e /sys/bus/event_source/devices/cpu ]; then
	"$IOPATH" record --json --workload builtin --packets 1000 > "$TMP/i.json"
	[ "$(jq -r .net.counter "$TMP/i.json")" = null ] || fail "instructions counted without a PMU?"
	jq -r .net.counter_note "$TMP/i.json" | grep -q "no instruction counts" || fail "no note about the missing PMU"
	[ "$(jq -r '.net.devices[] | select(.packets == 1000) | .packets' "$TMP/i.json" | head -1)" = 1000 ] ||
		fail "recording did not carry on without the PMU"
	ok "no PMU: $(jq -r .net.counter_note "$TMP/i.json")"
fi
