# iopath on a kernel without BTF (phase nobtf: /sys/kernel/btf hidden under a tmpfs, the kernel's
# types from the host-made minimal BTF, --btf /lab/min.btf). Without --btf, env says iopath cannot
# trace; with it, env names the file, no point goes by fentry, fexit or tp_btf (they need the
# kernel's own BTF), and record --net --blk still counts exactly: the driver's xmit stage =
# tx_packets and RX = rx_packets on both NICs, and on each disk the requests and the driver-submit
# stage = the writes (virtio-blk) and reads (NVMe) in /proc/diskstats.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
P=nobtf; record_json $P
D=$LAB_DATA/$P
[ -s "$D/btf-left" ] && fail "/sys/kernel/btf was not hidden: $(cat "$D/btf-left" | head -3 | tr '\n' ' ')"
grep -q '^BTF: none (/sys/kernel/btf/vmlinux: ' "$D/env-none.txt" ||
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
btfm=$(jq -r '[.probes.points[] | select(.method == "fentry" or .method == "fexit" or .method == "tp_btf")] | length' "$J")
out="$out $(near btf-methods "$btfm" 0 0)" || r=1
out="$out methods=$(jq -r '[.probes.points[] | .method] | group_by(.) | map("\(.[0]):\(length)") | join(",")' "$J")"
[ $r = 0 ] && pass "$out" || fail "$out"
