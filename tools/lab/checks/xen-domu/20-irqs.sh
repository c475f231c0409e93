# Xen event-channel interrupts (/proc/interrupts xen-dyn lines of the vif and the vbd) fired.
. "$(dirname "$0")/../../lib/check.sh"
r=0; out=""
out="$out $(atleast net-evtchn "$(d_irq plain 'vif[0-9]+-q[0-9]+-(tx|rx)|vif[0-9]+$')" 1)" || r=1
out="$out $(atleast blkif-evtchn "$(d_irq plain 'blkif')" 1)" || r=1
[ $r = 0 ] && pass "$out" || fail "$out"
