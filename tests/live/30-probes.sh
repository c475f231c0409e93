# iopath probes on this kernel: tracepoints attach and fire at least as
# often as independent counters say events happened (interface statistics
# of a namespace only this test uses; /proc/diskstats of its own loop
# device); function points report the measured reason they cannot attach.
# Lower bounds only: tracepoints are global and other traffic or I/O on the
# machine may add hits; exact per-device equality is the net/block path's job.
. "$(dirname "$0")/lib.sh"

make_netns ping
make_loop 64M
PINGS=300 WRITES=2000
lo_tx() { ip netns exec "$NS" cat /sys/class/net/lo/statistics/tx_packets; }
tx0=$(lo_tx); w0=$(disk_writes "$LOOPNAME")
"$IOPATH" probes -P net-stack -P block-stack --json -- sh -c "
	ip netns exec $NS ping -q -c $PINGS -i 0.002 127.0.0.1 > /dev/null &&
	dd if=/dev/zero of=$LOOP bs=4k count=$WRITES oflag=direct status=none" > "$TMP/p.json"
tx1=$(lo_tx); w1=$(disk_writes "$LOOPNAME")
dtx=$((tx1 - tx0)); dw=$((w1 - w0))
# ping: one echo request and one reply, both transmitted on lo.
[ "$dtx" -ge $((2 * PINGS)) ] || fail "lo transmitted $dtx packets, ping sent $PINGS"
[ "$dw" -ge "$WRITES" ] || fail "$LOOPNAME completed $dw writes, dd issued $WRITES"
hits() { jq -r --arg s "$1" '.points[] | select(.symbol == $s) | .hits' "$TMP/p.json"; }
for s in net_dev_queue net_dev_start_xmit net_dev_xmit netif_rx; do
	h=$(hits $s)
	[ "$h" -ge "$dtx" ] || fail "$s: $h hits < $dtx packets lo transmitted"
	ok "$s: $h hits >= lo tx delta $dtx"
done
for s in block_rq_issue block_rq_complete; do
	h=$(hits $s)
	[ "$h" -ge "$dw" ] || fail "$s: $h hits < $dw writes on $LOOPNAME"
	ok "$s: $h hits >= $LOOPNAME diskstats writes delta $dw"
done
[ "$(jqf "$TMP/p.json" .summary.failed)" = 0 ] || fail "some points failed: $(jq -c '.points[] | select(.status == "failed")' "$TMP/p.json")"
[ "$(jqf "$TMP/p.json" .command_exit)" = 0 ] || fail "workload failed"

# Every profile: nothing fails; function points say why they cannot attach.
"$IOPATH" env --json > "$TMP/env.json"
"$IOPATH" probes --json > "$TMP/all.json"
"$IOPATH" probes --profile list --json > "$TMP/list.json"
"$IOPATH" env --exits --json > "$TMP/exits.json"
versioned "$TMP/p.json" "$TMP/env.json" "$TMP/all.json" "$TMP/list.json" "$TMP/exits.json"
ok "probes, env, env --exits and probes --profile list JSON carry schema_version 1"
jqf "$TMP/all.json" .summary
[ "$(jqf "$TMP/all.json" .summary.failed)" = 0 ] || fail "failed points: $(jq -c '.points[] | select(.status == "failed")' "$TMP/all.json")"
[ "$(jqf "$TMP/all.json" .summary.attached)" -gt 0 ] || fail "nothing attached"
kp=$(jqf "$TMP/env.json" .capabilities.kprobe.ok); fe=$(jqf "$TMP/env.json" .capabilities.fentry.ok)
nf=$(jq '[.points[] | select(.kind != "tracepoint" and .status == "unavailable")] | length' "$TMP/all.json")
if [ "$kp" = false ] && [ "$fe" = false ]; then
	[ "$nf" -gt 0 ] || fail "no function point applies here, nothing to check"
	bad=$(jq -r '.points[] | select(.kind != "tracepoint" and .status == "unavailable") | select(.detail | test("no kprobes/fentry") | not) | .symbol' "$TMP/all.json")
	[ -z "$bad" ] || fail "unavailable without the measured reason: $bad"
	ok "$nf function points unavailable: $(jq -r '[.points[] | select(.status == "unavailable")][0].detail' "$TMP/all.json")"
	[ "$(jq '[.points[] | select(.kind != "tracepoint" and .status == "attached")] | length' "$TMP/all.json")" = 0 ] ||
		fail "a function point attached on a kernel without kprobes/fentry"
fi
echo "attach: $(jqf "$TMP/all.json" .summary.attached) points in $(jqf "$TMP/all.json" .summary.attach_ms) ms (load $(jqf "$TMP/all.json" .summary.load_ms) ms)"

# The table lines up whatever the length of a point's name (irq_vectors:call_function_single_entry,
# xen_hvm_evtchn_do_upcall|xen_evtchn_do_upcall): every row's status starts in the header's
# STATUS column, after a space.
"$IOPATH" probes -n > "$TMP/t.txt"
col=$(sed -n 2p "$TMP/t.txt" | awk '{ print index($0, "STATUS") }')
[ "$col" -gt 0 ] || fail "no STATUS column in: $(sed -n 2p "$TMP/t.txt")"
bad=$(sed '1,2d;$d' "$TMP/t.txt" | awk -v c="$col" '{ split(substr($0, c), w, " ");
	if (substr($0, c - 1, 1) != " " || w[1] !~ /^(planned|attached|absent|inlined|not-applicable-here|unavailable|not-probeable|denied|failed)$/) print }')
[ -z "$bad" ] || fail "rows off the STATUS column $col: $(echo "$bad" | head -2)"
ok "probes table: $(sed '1,2d;$d' "$TMP/t.txt" | wc -l) rows, status in column $col in each"
