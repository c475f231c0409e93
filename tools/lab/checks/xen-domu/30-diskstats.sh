# /proc/diskstats: exactly NBLK 64 KiB direct reads and writes on xvda.
. "$(dirname "$0")/../../lib/check.sh"
b=$(getinfo nblk); r=0; out=""
for f in reads writes; do out="$out $(near xvda.$f "$(d_disk plain xvda $f)" $b 0)" || r=1; done
[ $r = 0 ] && pass "$out" || fail "$out"
