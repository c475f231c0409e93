# iopath on a kernel without BTF (phase nobtf: /sys/kernel/btf hidden under a tmpfs, the kernel's
# types from the BTF built into iopath for this kernel build, bpf/btf/). The built-in entry is the
# same bytes as the one the host made now from this kernel's vmlinux and modules (else it is stale:
# tools/embed-btf.sh); without --btf, env names the built-in BTF, with --btf /lab/min.btf the file;
# no point goes by fentry, fexit or tp_btf (they need the kernel's own BTF), and record --net --blk
# (no --btf) still counts exactly: the driver's xmit stage =
# tx_packets and RX = rx_packets on both NICs, and on each disk the requests and the driver-submit
# stage = the writes (virtio-blk) and reads (NVMe) in /proc/diskstats.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
P=nobtf; record_json $P
D=$LAB_DATA/$P
[ -s "$D/btf-left" ] && fail "/sys/kernel/btf was not hidden: $(cat "$D/btf-left" | head -3 | tr '\n' ' ')"
[ "$(cat "$D/btf-cmp" 2>/dev/null)" = identical ] ||
	fail "the built-in BTF of $(getinfo release) against the one made now: $(cat "$D/btf-cmp" 2>/dev/null) (tools/embed-btf.sh remakes it)"
grep -q "^BTF: the built-in BTF of $(getinfo release) (Debian .*: CO-RE reads it alone .*, so no fentry, fexit or tp_btf" "$D/env-none.txt" ||
	fail "env without --btf: $(grep '^BTF' "$D/env-none.txt")"
grep -q '^BTF: /lab/min.btf (given by --btf): .*/sys/kernel/btf/vmlinux: .*, so no fentry, fexit or tp_btf' "$D/env.txt" || fail "env --btf: $(grep '^BTF' "$D/env.txt")"
vb=$(getinfo vblk); nv=$(getinfo nvme); r=0; out=""
cls() { jq -r --arg d "$1" "[.blk.classes[] | select(.disk == \$d) | $2] | add // 0" "$J"; }
nic_stages $P
for x in "$vb writes" "$nv reads"; do
	set -- $x; n=$(d_disk $P $1 $2)
	out="$out $(atleast $1.$2 "$n" "$(getinfo nblk)")" || r=1
	out="$out $(near $1.requests "$(cls $1 .requests)" "$n" 0)" || r=1
	out="$out $(near $1.drv_submit "$(cls $1 .stages.drv_submit)" "$n" 0)" || r=1
done
# the block tracepoints' arguments, with no prototype in the file, as calibration measured them
# (5.10 has (q, rq) or (rq) depending on its stable sublevel): they attach and see every request
w=0; for x in "$vb reads" "$vb writes" "$nv reads" "$nv writes"; do w=$((w + $(d_disk $P $x))); done
for t in block_rq_insert block_rq_issue; do
	h=$(jq -r --arg s $t '[.probes.points[] | select(.symbol == $s) | .hits] | add // empty' "$J")
	# phase batch left both queues without an I/O scheduler: a request may be issued without
	# an insert, so insert's hits are not a count to compare; it must have attached (be listed)
	if [ $t = block_rq_insert ]; then
		[ -n "$h" ] && out="$out $t=attached($h) ok" || { out="$out $t=not-attached MISMATCH"; r=1; }
		continue
	fi
	out="$out $(near $t "$h" "$w" 0)" || r=1
done
# the driver structs the queue numbers are read from (virtio_net's send_queue, nvme's nvme_queue)
# are in the built-in BTF where the kernel's modules carry BTF (not Debian 11's 5.10). Phase
# nobtfq (iopath probes, BTF hidden as here): there every hit of free_old_xmit(_skbs) and nvme_irq
# has its queue number (the per-queue hits add up to the point's hits, which are > 0), and record
# says nothing is unmeasured; on 5.10 no queue number is read and record says so
Q=$LAB_DATA/nobtfq/probes.json
[ -s "$Q" ] || fail "phase nobtfq: no probes.json ($(tail -1 "$LAB_DATA/nobtfq/probes.err" 2>/dev/null))"
for s in free_old_xmit nvme_irq; do
	set -- $(jq -r --arg s "$s" '[.points[] | select((.symbol | startswith($s)) and .kind == "func")] | first // empty |
		"\(.hits) \([.queues // {} | .[]] | add // 0)"' "$Q")
	[ $# = 2 ] || { out="$out $s: no point in nobtfq MISMATCH"; r=1; continue; }
	[ "$1" -gt 0 ] || { out="$out $s.hits=$1 (want >0) MISMATCH"; r=1; continue; }
	if no_module_btf; then out="$out $(near $s.queue-hits "$2" 0 0)" || r=1
	else out="$out $(near $s.queue-hits "$2" "$1" 0)" || r=1; fi
done
if no_module_btf; then
	grep -q 'not measured: queue numbers at driver points' "$D/record.err" &&
		out="$out record:queues-not-measured-said ok" || { out="$out queues: no 'not measured' line on a kernel without module BTF MISMATCH"; r=1; }
elif grep -q 'not measured: queue numbers' "$D/record.err"; then
	out="$out queues: $(grep -o 'not measured: queue numbers[^;]*' "$D/record.err") MISMATCH"; r=1
fi
btfm=$(jq -r '[.probes.points[] | select(.method == "fentry" or .method == "fexit" or .method == "tp_btf")] | length' "$J")
out="$out $(near btf-methods "$btfm" 0 0)" || r=1
out="$out methods=$(jq -r '[.probes.points[] | .method] | group_by(.) | map("\(.[0]):\(length)") | join(",")' "$J")"
[ $r = 0 ] && pass "$out" || fail "$out"
