# /proc/diskstats: exactly NBLK 64 KiB direct reads and writes on each disk.
. "$(dirname "$0")/../../lib/check.sh"
b=$(getinfo nblk); r=0; out=""
for k in vblk nvme; do
	d=$(getinfo $k)
	for f in reads writes; do out="$out $(near "$d.$f" "$(d_disk plain $d $f)" $b 0)" || r=1; done
	for f in rsect wsect; do out="$out $(near "$d.$f" "$(d_disk plain $d $f)" $((b * 128)) 0)" || r=1; done
done
[ $r = 0 ] && pass "$out" || fail "$out"
