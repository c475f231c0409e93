# /proc/interrupts deltas: each device raised interrupts during its part of the workload.
. "$(dirname "$0")/../../lib/check.sh"
e=$(getinfo e1000e); n=$(getinfo nping); b=$(getinfo nblk); r=0; out=""
out="$out $(atleast e1000e "$(d_irq plain "$e")" $n)" || r=1
out="$out $(atleast virtio-net "$(d_irq plain 'virtio[0-9]+-(input|output)')" $n)" || r=1
out="$out $(atleast virtio-blk "$(d_irq plain 'virtio[0-9]+-req')" 1)" || r=1
out="$out $(atleast nvme "$(d_irq plain 'nvme0q[1-9]')" 1)" || r=1
[ $r = 0 ] && pass "$out" || fail "$out"
