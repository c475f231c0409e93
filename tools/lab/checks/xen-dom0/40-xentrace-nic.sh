# hvmemu: Xen's own count of the domU's e1000 doorbells against iopath's. xentrace in dom0
# (TRC_HVM_IOMEM_WRITE: every MMIO write Xen emulated for the domU, i.e. an exit that Xen sent to
# QEMU as an ioreq); the writes to the e1000's TDT (BAR 0 + 0x3818) are its TX doorbells. dom0 runs
# a trace of its own over the rec phase (xen/dom0.sh xentrace_next: from its "phase rec:" line to
# its "done"), in which the domU sends only its pings: one TDT write each (ping never batches, so
# no xmit_more). Their count must equal iopath's emulated-io count of e1000_xmit_frame in rec
# (check 62), +-2: an ARP reply dom0 asks for may fall inside the trace and outside the recording.
# (The suite's TCP phase batches its doorbells and is in the other traces: iopath's count there is
# the upper bound the model says, one per call.) Also shown: all of the e1000's MMIO accesses
# (reads and writes) per packet over the whole window, from the domU's setup line to its end.
. "$(dirname "$0")/../../lib/check.sh"
[ "$(getinfo emu)" = 1 ] || skip "no emulated devices in this domU"
need_iopath
X=$DOM0_DATA/xentrace-io.txt XR=$DOM0_DATA/xentrace-io-rec.txt
for f in "$X" "$XR"; do
	[ -s "$f" ] || fail "no xentrace summary ${f##*/} ($(tail -2 "$DOM0_DATA/xentrace.log" 2>/dev/null | tr '\n' ' '))"
	lost=$(awk '$1 == "lost" {print $2}' "$f")
	[ "$lost" = 0 ] || fail "xentrace lost $lost records (${f##*/}): counts would be short"
done
bar=$(getinfo e1000_bar0); [ -n "$bar" ] || fail "no e1000 BAR 0 from the domU"
tdt=$(printf '0x%x' $((bar + 0x3818)))
w=$(awk -v a="$tdt" '$1 == "iomem_write" && $2 == a {print $3}' "$XR"); w=${w:-0}
wall=$(awk -v a="$tdt" '$1 == "iomem_write" && $2 == a {print $3}' "$X"); wall=${wall:-0}
# every access to the BAR (128 KiB), for the per-packet figure
acc=0
while read -r k a n; do
	case $k in iomem_*) [ $((a)) -ge $((bar)) ] && [ $((a)) -lt $((bar + 0x20000)) ] && acc=$((acc + n)) ;; esac
done < "$X"
i=$(getinfo nic)
tx() { awk '$1 == "tx_packets" {print $2}' "$1/net.$i"; }
rx() { awk '$1 == "rx_packets" {print $2}' "$1/net.$i"; }
[ -d "$LAB_DATA/rec/after" ] || fail "phase rec did not run"
wtx=$(( $(tx "$LAB_DATA/final") - $(tx "$LAB_DATA/plain/before") ))
wrx=$(( $(rx "$LAB_DATA/final") - $(rx "$LAB_DATA/plain/before") ))
rtx=$(d_net rec "$i" tx_packets)
J=$LAB_DATA/rec/record.json
# dom0 has no jq; its python3 (xentrace-io.py's) reads the JSON
g=$(python3 -c 'import json, sys
c = [x["count"] for x in json.load(open(sys.argv[1]))["exits"]["crossings_by_model"] if x["kind"] == "emulated-io" and x["detail"] == "e1000_xmit_frame"]
print(sum(c) if c else "")' "$J" 2>/dev/null)
[ -n "$g" ] || fail "no emulated-io count of e1000_xmit_frame in rec"
per=$(awk -v a="$acc" -v p="$((wtx + wrx))" 'BEGIN {printf "%.1f", p ? a / p : 0}')
out="$(near xentrace.rec-TDT-writes=iopath.emulated-io "$w" "$g" 2)"; rc=$?
out="$out (domU tx $rtx in rec; over the whole window: $wall TDT writes for $wtx TX packets, e1000 MMIO accesses $acc = $per per TX+RX packet; $(awk '$1 == "records" || $1 == "io" {printf "%s=%s ", $1, $2}' "$X"))"
[ $rc = 0 ] && pass "$out" || fail "$out"
