# iopath attached the guest profiles (virtio-core, virtio-net, virtio-blk, nvme, e1000e) with kprobe and with fentry; no point failed; the workload ran under it.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
r=0; out=""
for m in kprobe fentry; do
	out="$out $(iopath_phase $m-all)" || r=1
	# function points must have been attached with the method asked for (fexit/kretprobe count as it)
	ok=fentry/fexit; [ $m = kprobe ] && ok=kprobe/kretprobe
	bad=$(points $m-all | awk -v ok="/$ok/" '$3 == "attached" && $6 ~ /^func/ && index(ok, "/" $4 "/") == 0 {printf "%s/%s ", $1, $4}')
	[ -z "$bad" ] || { r=1; out="$out ($m-all points attached with another method: $bad)"; }
done
[ $r = 0 ] && pass "$out" || fail "$out"
