# The devices' interrupts fired: the Xen event channels of the vif and the vbd (/proc/interrupts
# xen-dyn lines), or on hvmemu the emulated devices' IO-APIC lines (the e1000's, named after its
# interface, and ata_piix's).
. "$(dirname "$0")/../../lib/check.sh"
r=0; out=""
if [ "$(getinfo emu)" = 1 ]; then
	out="$out $(atleast e1000-irq "$(d_irq plain " $(getinfo nic)\$")" 1)" || r=1
	out="$out $(atleast ata_piix-irq "$(d_irq plain ' ata_piix$')" 1)" || r=1
else
	out="$out $(atleast net-evtchn "$(d_irq plain 'vif[0-9]+-q[0-9]+-(tx|rx)|vif[0-9]+$')" 1)" || r=1
	out="$out $(atleast blkif-evtchn "$(d_irq plain 'blkif')" 1)" || r=1
fi
[ $r = 0 ] && pass "$out" || fail "$out"
