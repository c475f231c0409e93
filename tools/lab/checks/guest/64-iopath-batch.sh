# Batched block submission under iopath record --blk (phase batch, no I/O scheduler, 2 MiB
# O_DIRECT writes): for virtio-blk and NVMe, the requests iopath saw = /proc/diskstats writes;
# the batch entry (virtio_queue_rqs / nvme_queue_rqs) fired, the per-request entry
# (virtio_queue_rq / nvme_queue_rq) saw fewer requests than were written (the rest bypassed it),
# and still every request reached the driver-submit stage (batched ones through ->queue_rqs).
# A kernel whose driver has no ->queue_rqs yet (5.10: the batch hook came with 5.17/5.18) has
# no batch symbol (the guest's kallsyms, info/kallsyms), and then every request went through the
# per-request entry (its hits = the writes).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
P=batch; record_json $P
in_kernel() { awk -v s="$1" '$3 == s {f = 1} END {exit !f}' "$LAB_DATA/info/kallsyms"; }
ph() { jq -r --arg s "$1" '[.probes.points[] | select(.symbol == $s and .kind != "func-ret" and .kind != "kretprobe") | .hits] | add // empty' "$J"; }
cls() { jq -r --arg d "$1" "[.blk.classes[] | select(.disk == \$d) | $2] | add // 0" "$J"; }
r=0; out=""
for x in "$(getinfo vblk) virtio_queue_rqs virtio_queue_rq" "$(getinfo nvme) nvme_queue_rqs nvme_queue_rq"; do
	set -- $x; d=$1
	w=$(d_disk $P $d writes); rq=$(cls $d .requests)
	out="$out $(near $d.requests "$rq" "$w" 0)" || r=1
	out="$out $(near $d.drv_submit "$(cls $d .stages.drv_submit)" "$w" 0)" || r=1
	b=$(ph $2); s=$(ph $3)
	if [ -s "$LAB_DATA/info/kallsyms" ] && ! in_kernel $2; then
		out="$out $2=not-in-kernel $(near $3 "${s:-0}" "$w" 0)" || r=1
		continue
	fi
	[ -n "$b" ] && [ "$b" -ge 1 ] && out="$out $2=$b ok" || { out="$out $2=${b:-no point} (want >=1) MISMATCH"; r=1; }
	[ -n "$s" ] && [ "$s" -lt "$w" ] && out="$out $3=$s (<$w) ok" || { out="$out $3=${s:-no point} (want <$w) MISMATCH"; r=1; }
done
[ $r = 0 ] && pass "$out" || fail "$out"
