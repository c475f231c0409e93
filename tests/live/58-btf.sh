# --btf FILE, the kernel's BTF from outside (kernel/kbtf.h). This kernel has
# /sys/kernel/btf/vmlinux, so the test makes what a kernel without it would be given: a copy of
# it (a BTFHub file is the same: the kernel's full BTF) and the minimal BTF tools/min-btf.sh
# makes from it; and it takes the kernel's own away with IOPATH_MASK_CAPS=vmlinux_btf (as if
# /sys/kernel/btf/vmlinux were absent: no fentry, fexit, tp_btf, module BTF). Under each,
# record --net follows UDP datagrams over a veth pair, and every stage must count what the
# interfaces counted (as in 50-net-path). Without any BTF, and with a bad file, one line and a
# non-zero exit.
. "$(dirname "$0")/lib.sh"

N=20000
COPY=$TMP/$(uname -r).btf MIN=$TMP/$(uname -r).min.btf
cp /sys/kernel/btf/vmlinux "$COPY"
tools/min-btf.sh "$COPY" "$MIN" > "$TMP/min.out" || fail "min-btf.sh: $(cat "$TMP/min.out")"
cat "$TMP/min.out"
full_size=$(wc -c < "$COPY") min_size=$(wc -c < "$MIN")
[ "$min_size" -gt 0 ] && [ $((min_size * 100)) -lt "$full_size" ] ||
	fail "minimal BTF is $min_size bytes of the full $full_size"
ok "BTF: full $full_size bytes, minimal $min_size bytes"

make_veth_pair b 73
snap() { for x in "$A $VA" "$B $VB"; do set -- $x; for s in tx_packets rx_packets tx_dropped; do
	echo "$2.$s $(stat_of $1 $2 $s)"; done; done; }
delta() { echo $(( $(awk -v k=$1 '$1 == k { print $2 }' "$TMP/after") - $(awk -v k=$1 '$1 == k { print $2 }' "$TMP/before") )); }
# what iopath cannot see here (lib.sh, blind_start), over all the runs: each stage may fall short
# of the counters by at most that many
blind_start "net/net_dev_queue net/net_dev_start_xmit net/net_dev_xmit net/netif_rx net/netif_receive_skb" \
	"name == \"$VA\" || name == \"$VB\""

# run NAME MASK BTF TP_METHOD: record --net --btf BTF (with IOPATH_MASK_CAPS=MASK) over the pair;
# the stages against the interface counters, and the tracepoints attached by TP_METHOD
run() {
	name=$1 mask=$2 btf=$3 want=$4
	snap > "$TMP/before"
	IOPATH_MASK_CAPS=$mask "$IOPATH" record --net --json --btf "$btf" -- sh -c "
		ip netns exec $B $IOPATH workload udp-sink 5301 60 > $TMP/sink.out & s=\$!
		sleep 0.3
		ip netns exec $A $IOPATH workload udp-send 10.253.73.2 5301 $N 256 > $TMP/send.out
		rc=\$?; kill -TERM \$s; wait; exit \$rc" > "$TMP/$name.json" 2> "$TMP/$name.err" ||
		fail "$name: record failed: $(cat "$TMP/$name.err")"
	snap > "$TMP/after"
	[ "$(jq -r .command_exit "$TMP/$name.json")" = 0 ] || fail "$name: workload failed"
	m=$(jq -r '.probes.points[] | select(.symbol == "net_dev_queue") | .method' "$TMP/$name.json")
	[ "$m" = "$want" ] || fail "$name: net_dev_queue attached by '$m', want $want"
	blind=$(blind_peek); U=${blind:-0}
	tx=$(delta $VA.tx_packets) drop=$(delta $VA.tx_dropped) rx=$(delta $VB.rx_packets)
	[ "$tx" -ge "$N" ] || fail "$name: $VA sent $tx packets, the workload sent $N datagrams"
	for s in queue start_xmit xmit_done tx_done; do
		got=$(jq -r --arg n $VA ".net.devices[] | select(.name == \$n and .dir == \"tx\") | .stages.$s // 0" "$TMP/$name.json")
		[ "$got" -le $((tx + drop)) ] && [ "$got" -ge $((tx + drop - U)) ] ||
			fail "$name: $VA tx stage $s: $got packets, the interface counted $tx sent + $drop dropped ($U unseeable)"
	done
	for s in rx receive; do
		got=$(jq -r --arg n $VB ".net.devices[] | select(.name == \$n and .dir == \"rx\") | .stages.$s // 0" "$TMP/$name.json")
		[ "$got" -le "$rx" ] && [ "$got" -ge $((rx - U)) ] ||
			fail "$name: $VB rx stage $s: $got packets, rx_packets says $rx ($U unseeable)"
	done
	ok "$name: $VA TX every stage = tx_packets $tx + dropped $drop, $VB RX = rx_packets $rx ($want; unseeable: $U)"
}
run copy "" "$COPY" tp_btf
run min "" "$MIN" raw_tp                  # no btf_trace_ typedefs: tracepoints not known, raw_tp
run copy-no-kernel-btf vmlinux_btf "$COPY" raw_tp   # no tp_btf without the kernel's own BTF
run min-no-kernel-btf vmlinux_btf "$MIN" raw_tp

# env says which BTF is read, and what the kernel's own missing costs
IOPATH_MASK_CAPS=vmlinux_btf "$IOPATH" env --btf "$MIN" > "$TMP/env.txt"
grep -qxF "BTF: $MIN (given by --btf): CO-RE reads it alone, no module BTF, so module functions go by kprobe and driver structs in modules are not read; the kernel's own BTF: /sys/kernel/btf/vmlinux masked by IOPATH_MASK_CAPS=vmlinux_btf, so no fentry, fexit or tp_btf (they need it)" "$TMP/env.txt" ||
	fail "env --btf: $(grep '^BTF' "$TMP/env.txt")"
grep -q "^  vmlinux_btf  *yes  given by --btf: $MIN, [0-9]* types$" "$TMP/env.txt" || fail "env: $(grep vmlinux_btf "$TMP/env.txt")"
grep -q "^  tp_btf  *no   the kernel has no BTF of its own" "$TMP/env.txt" || fail "env: $(grep tp_btf "$TMP/env.txt")"
grep -q "^minimum (.*): met$" "$TMP/env.txt" || fail "env: $(grep minimum "$TMP/env.txt")"
ok "env: $(grep '^BTF' "$TMP/env.txt" | cut -c1-100)..."
"$IOPATH" env --json --btf "$COPY" > "$TMP/env.json"
versioned "$TMP/env.json"
[ "$(jq -c '[.btf.path, .btf.given, .btf.kernel_btf, .btf.module_btf_used]' "$TMP/env.json")" = "[\"$COPY\",true,true,false]" ] ||
	fail "env --json: $(jq -c .btf "$TMP/env.json")"
"$IOPATH" env > "$TMP/env0.txt"
grep -qxF "BTF: /sys/kernel/btf/vmlinux (the kernel's own; with module BTF under /sys/kernel/btf)" "$TMP/env0.txt" ||
	fail "env: $(grep '^BTF' "$TMP/env0.txt")"
ok "env --json: $(jq -c .btf "$TMP/env.json")"

# no BTF at all: one line naming --btf FILE and BTFHub, exit 1, for every command that loads BPF
for c in "record -d 1" "top 1 1" "serve" "probes"; do
	# shellcheck disable=SC2086 # the command and its arguments
	IOPATH_MASK_CAPS=vmlinux_btf expect_exit 1 1 -- "$IOPATH" $c
	grep -q "^iopath: kernel $(uname -r): this kernel has no BTF (.*): give its BTF with --btf FILE, the kernel's file from BTFHub (https://github.com/aquasecurity/btfhub-archive) or one made by tools/min-btf.sh$" "$TMP/err" ||
		fail "$c without BTF: $(cat "$TMP/err")"
done
IOPATH_MASK_CAPS=vmlinux_btf "$IOPATH" env > "$TMP/env-none.txt" || fail "env without BTF failed"
grep -q "^BTF: none (/sys/kernel/btf/vmlinux masked by IOPATH_MASK_CAPS=vmlinux_btf): iopath cannot trace here" "$TMP/env-none.txt" ||
	fail "env without BTF: $(grep '^BTF' "$TMP/env-none.txt")"
grep -q "^minimum (.*): no vmlinux BTF" "$TMP/env-none.txt" || fail "env without BTF: $(grep minimum "$TMP/env-none.txt")"
ok "env without BTF reports it: $(grep '^minimum' "$TMP/env-none.txt")"

# a bad file: one line, exit 2 (nothing traced), whichever command
head -c 100000 "$COPY" > "$TMP/cut.btf"
echo "not btf" > "$TMP/text.btf"
xz -c "$MIN" > "$TMP/min.btf.tar.xz"
for x in "cut.btf:truncated: 100000 bytes, its BTF header says $full_size" \
	 "text.btf:not BTF (neither raw BTF" "min.btf.tar.xz:an xz archive, not BTF: unpack it first" \
	 "missing.btf:No such file or directory"; do
	f=${x%%:*} why=${x#*:}
	for c in "record -d 1" "top 1 1" "serve" "probes" "env"; do
		# shellcheck disable=SC2086
		expect_exit 2 1 -- "$IOPATH" $c --btf "$TMP/$f"
		grep -qF -- "--btf $TMP/$f: $why" "$TMP/err" || fail "$c --btf $f: $(cat "$TMP/err")"
	done
done
expect_exit 2 1 -- "$IOPATH" record -d 1 --btf build/bpf/iopath.bpf.o
grep -q "a BPF object, not the kernel's BTF" "$TMP/err" || fail "a BPF object as --btf: $(cat "$TMP/err")"
