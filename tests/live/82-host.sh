# record --host on this kernel: the kvm tracepoints attach (kvm is here,
# but this machine runs no VM), the run reports zero exits without failing,
# nothing is dropped, and the recording reports exactly the live output.
. "$(dirname "$0")/lib.sh"

[ -d /sys/kernel/tracing/events/kvm ] || [ -d /sys/kernel/debug/tracing/events/kvm ] || grep -qw kvm_exit /proc/kallsyms ||
	{ ok "no kvm on this kernel: nothing to check"; exit 0; }
"$IOPATH" record --host --json -o "$TMP/h.rec" -- sleep 1 > "$TMP/h.json"
[ "$(jqf "$TMP/h.json" .command_exit)" = 0 ] || fail "command failed"
jq -e '.host' "$TMP/h.json" > /dev/null || fail "no host section"
[ "$(jqf "$TMP/h.json" .host.counters.exits)" = 0 ] || fail "exits on a machine running no VM: $(jq -c .host.counters "$TMP/h.json")"
[ "$(jqf "$TMP/h.json" '.host.vms | length')" = 0 ] || fail "VMs listed"
for k in exit_map_full io_map_full counter_map_full thread_map_full process_map_full; do
	[ "$(jqf "$TMP/h.json" .host.counters.$k)" = 0 ] || fail "$k"
done
ok "record --host: 0 exits, $(jq -r '.host.seconds' "$TMP/h.json") s"
# every kvm-host tracepoint point attached (ioeventfd_write needs kprobe/fentry)
"$IOPATH" probes --profile kvm-host --json > "$TMP/p.json"
n=$(jq '[.points[] | select(.kind == "tracepoint" and .status == "attached")] | length' "$TMP/p.json")
t=$(jq '[.points[] | select(.kind == "tracepoint")] | length' "$TMP/p.json")
[ "$n" = "$t" ] && [ "$n" -ge 10 ] || fail "kvm-host tracepoints: $n of $t attached: $(jq -c '[.points[] | {symbol, status, reason}]' "$TMP/p.json")"
ok "kvm-host: $n tracepoints attached"
"$IOPATH" report --json "$TMP/h.rec" > "$TMP/r.json"
cmp -s "$TMP/h.json" "$TMP/r.json" || { diff "$TMP/h.json" "$TMP/r.json" | head; fail "report --json differs from live"; }
"$IOPATH" record --host -d 0.5 -o "$TMP/t.rec" > "$TMP/t.txt"
grep -q '^KVM host, .*: 0 exits' "$TMP/t.txt" || fail "text: $(grep -A2 'KVM host' "$TMP/t.txt")"
"$IOPATH" report "$TMP/t.rec" > "$TMP/tr.txt"
cmp -s "$TMP/t.txt" "$TMP/tr.txt" || { diff "$TMP/t.txt" "$TMP/tr.txt" | head; fail "report differs from live text"; }
ok "report == live (text and JSON)"
expect_exit 2 1 -- "$IOPATH" record --host --guest-packets x
