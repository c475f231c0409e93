# What iopath needs, measured as another user: env with no privilege at all (everything but the
# BPF capability probes, which say "not measured", never "no"); record with exactly CAP_BPF and
# CAP_PERFMON (module BTF cannot be listed without CAP_SYS_ADMIN: CO-RE then goes against
# vmlinux BTF alone), counting a known number of datagrams; --stacks without CAP_SYSLOG where
# kallsyms hides addresses from that user: one line at start.
. "$(dirname "$0")/lib.sh"

command -v setpriv > /dev/null || fail "no setpriv (util-linux)"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
BPFCAPS="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon"
# a copy nobody may run whatever the permissions of the checkout
cp "$IOPATH" "$TMP/iopath" && chmod 755 "$TMP" "$TMP/iopath"
IOP=$TMP/iopath

# env, unprivileged: exit 0, no warning, platform and every NIC, BPF probes not measured
expect_exit 0 0 -- $NOBODY "$IOP" env
grep -q '^platform: ' "$TMP/out" || fail "env as nobody: no platform line"
for d in /sys/class/net/*; do
	n=${d##*/}
	[ "$n" = lo ] && continue
	grep -q "^  $n  *[0-9]" "$TMP/out" || fail "env as nobody: no line for NIC $n"
done
for c in kprobe kretprobe fentry fexit tp_btf raw_tp ringbuf perfbuf array_mmap test_run_raw_tp; do
	grep -qE "^  $c +not measured \(needs root or CAP_BPF and CAP_PERFMON\)$" "$TMP/out" ||
		fail "env as nobody: $c is not 'not measured': $(grep "^  $c " "$TMP/out")"
done
# vmlinux BTF needs no privilege: measured like root measures it
[ "$(grep -c '^  vmlinux_btf  *yes ' "$TMP/out")" = 1 ] || fail "env as nobody: vmlinux_btf not measured"
ok "env as nobody: platform, $(ls /sys/class/net | grep -vc '^lo$') NICs, BPF capabilities 'not measured'"
$NOBODY "$IOP" env --json > "$TMP/env.json" || fail "env --json as nobody failed"
[ "$(jq -r .capabilities.kprobe.ok "$TMP/env.json")" = null ] || fail "JSON: kprobe.ok not null unmeasured"
[ "$(jq -r .capabilities.vmlinux_btf.ok "$TMP/env.json")" = true ] || fail "JSON: vmlinux_btf not measured"
ok "env --json as nobody: unmeasured capabilities are null"

# record with CAP_BPF + CAP_PERFMON only: N datagrams over lo to a port nothing else uses, each
# counted once per direction (the sink gets them, so no ICMP goes back); short by at most what
# BPF could not see on top of PID 1 here (lib.sh blind_start)
N=2000 P=5417
blind_start "net/net_dev_queue net/netif_receive_skb" "name == \"lo\""
"$IOPATH" workload udp-sink $P 30 > /dev/null & SINK=$!
at_exit "kill $SINK 2>/dev/null || true"
sleep 0.3
$BPFCAPS "$IOP" record -i lo --port $P --json --sample 0 -- sh -c "$IOP workload udp-send 127.0.0.1 $P $N > /dev/null" \
	> "$TMP/r.json" 2> "$TMP/r.err" || fail "record with CAP_BPF+CAP_PERFMON: $(cat "$TMP/r.err")"
b=$(blind_count); b=${b:-0}
for dir in tx rx; do
	got=$(jq -r --arg d $dir '[.net.devices[] | select(.name == "lo" and .dir == $d) | .packets] | add // 0' "$TMP/r.json")
	[ "$got" -le $N ] && [ "$got" -ge $((N - b)) ] || fail "lo $dir: $got packets, want $N (blind $b): $(cat "$TMP/r.err")"
done
ok "record as nobody with CAP_BPF+CAP_PERFMON: lo tx/rx $N datagrams each (blind $b)"

# --stacks needs kernel addresses: where kallsyms hides them from this user, refused at start
if [ "$($BPFCAPS sh -c 'head -1 /proc/kallsyms' | cut -c1-16)" = 0000000000000000 ]; then
	expect_exit 1 1 -- $BPFCAPS "$IOP" record --stacks -d 1
	grep -q "needs CAP_SYSLOG" "$TMP/err" || fail "--stacks without addresses: $(cat "$TMP/err")"
fi
