# iopath record --net with the BPF ring buffer masked (phase perfbuf, IOPATH_MASK_CAPS=ringbuf, as
# on a kernel before 5.8; engine/samples.h) and mmap of BPF arrays (array_mmap, as before 5.5: the
# globals' maps made without BPF_F_MMAPABLE, their counters read by lookup, engine/globals.h):
# env says the samples go through the perf buffer and arrays are not mapped, the
# programs that loaded with the perf buffer branch count at the driver's xmit stage tx_packets and
# at RX rx_packets of both NICs (as check 63), and every sampled path (--sample 1: each path that
# ended) the BPF side sent was received: none refused, none lost by the perf buffer.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
P=perfbuf; record_json $P
grep -q '^samples: perf buffer, a ring per CPU (no BPF ring buffer: masked by IOPATH_MASK_CAPS)$' "$LAB_DATA/$P/env.txt" ||
	fail "env: $(grep -E '^(samples|minimum)' "$LAB_DATA/$P/env.txt" | tr '\n' ' ')"
grep -qE '^  array_mmap +no +masked by IOPATH_MASK_CAPS$' "$LAB_DATA/$P/env.txt" ||
	fail "env: $(grep array_mmap "$LAB_DATA/$P/env.txt")"
r=0; out=""
c() { jq -r ".net.counters.$1" "$J"; }
nic_stages $P
via=$(jq -r .net.samples_via "$J")
[ "$via" = "perf buffer" ] && out="$out via=perf-buffer ok" || { out="$out samples_via=$via MISMATCH"; r=1; }
# sampled and ringbuf_drops are .bss counters, read by lookup here; samples_received is counted by
# userspace: they must agree. At least the pings' own paths: NPING requests out and NPING replies in on each NIC
out="$out $(atleast sampled "$(c sampled)" $(( 4 * $(getinfo nping) )))" || r=1
out="$out $(near samples_received "$(c samples_received)" "$(c sampled)" 0)" || r=1
out="$out $(near ringbuf_drops "$(c ringbuf_drops)" 0 0)" || r=1
grep -q 'perf buffer lost' "$LAB_DATA/$P/record.err" && { out="$out $(grep 'perf buffer lost' "$LAB_DATA/$P/record.err")"; r=1; }
[ $r = 0 ] && pass "$out" || fail "$out"
