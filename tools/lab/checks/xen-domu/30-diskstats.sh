# /proc/diskstats: exactly NBLK 64 KiB direct reads and writes on the test disk (xvda; sda on hvmemu).
. "$(dirname "$0")/../../lib/check.sh"
b=$(getinfo nblk); d=$(getinfo disk); r=0; out=""
for f in reads writes; do out="$out $(near $d.$f "$(d_disk plain $d $f)" $b 0)" || r=1; done
[ $r = 0 ] && pass "$out" || fail "$out"
