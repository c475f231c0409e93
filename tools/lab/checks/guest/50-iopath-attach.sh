# iopath attached the guest profiles (on a kernel without module BTF, fentry: each point unavailable, saying so) (virtio-core, virtio-net, virtio-blk, nvme, e1000e) with kprobe and with fentry; no point failed; the workload ran under it.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
r=0; out=""
for m in kprobe fentry; do
	if [ $m = fentry ] && no_module_btf; then
		# every point of these module profiles is unavailable for want of BTF, said per point
		n=$(points $m-all | wc -l); u=$(points $m-all | awk '$3 == "unavailable"' | wc -l)
		a=$(points $m-all | awk '$3 == "attached"' | wc -l)
		nb=$(grep -o '"no BTF for [^"]*' "$LAB_DATA/$m-all/iopath.json" | wc -l)
		if [ "$n" -gt 0 ] && [ "$a" = 0 ] && [ "$nb" -ge 1 ]; then out="$out $m-all: kernel without module BTF: $u/$n unavailable, $nb say no BTF, 0 attached ok"
		else r=1; out="$out $m-all: kernel without module BTF: $a attached, $u/$n unavailable, $nb say no BTF MISMATCH"; fi
		continue
	fi
	out="$out $(iopath_phase $m-all)" || r=1
	# function points must have been attached with the method asked for (fexit/kretprobe count as it)
	ok=fentry/fexit; [ $m = kprobe ] && ok=kprobe/kretprobe
	bad=$(points $m-all | awk -v ok="/$ok/" '$3 == "attached" && $6 ~ /^func/ && index(ok, "/" $4 "/") == 0 {printf "%s/%s ", $1, $4}')
	[ -z "$bad" ] || { r=1; out="$out ($m-all points attached with another method: $bad)"; }
done
[ $r = 0 ] && pass "$out" || fail "$out"
