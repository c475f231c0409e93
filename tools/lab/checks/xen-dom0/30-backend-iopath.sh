# iopath in dom0 (fentry, xen-events) while the domU ran: the backends (netback, blkback) tell the
# frontend about responses through notify_remote_via_irq, and every event-channel interrupt the domU
# took on its vif/blkif lines follows at least one such notify (several notifies may coalesce into
# one interrupt). So from the domU's first phase on (dom0's iopath is attached by then: it starts at
# `xl create`, the domU boots for ~25 s before its phases), dom0's notifies >= the domU's vif+blkif
# interrupts. Upcalls in dom0 are reported beside.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
[ "$(getinfo emu)" = 1 ] && skip "hvmemu: no PV backend notifies its front-end (its device model's: checks 40, 41)"
P=dom0-fentry-xen-events
[ -s "$LAB_DATA/$P/iopath.json" ] || fail "no dom0 iopath output ($(tail -1 "$LAB_DATA/dom0-iopath-fentry-xen-events.err" 2>/dev/null))"
n=$(hits $P notify_remote_via_irq); u=$(hits $P xen_evtchn_do_upcall)
[ -n "$n" ] || fail "dom0: no notify_remote_via_irq point ($(points $P | awk '$1 == "notify_remote_via_irq"'))"
re='vif[0-9]+-q[0-9]+-(tx|rx)|vif[0-9]+$|blkif'
i=$(( $(_irqsum "$LAB_DATA/final/interrupts" "$re") - $(_irqsum "$LAB_DATA/plain/before/interrupts" "$re") ))
out="$(atleast dom0.notify_remote_via_irq "$n" "$i") (domU vif+blkif interrupts since its first phase: $i); dom0 upcalls ${u:-none}"
[ "$n" -ge "$i" ] && [ "$i" -ge 1 ] && pass "$out" || fail "$out"
