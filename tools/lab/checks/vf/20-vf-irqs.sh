# The VF's own MSI-X vectors took its interrupts: igbvf's lines VF-tx-0 and VF-rx-0 of
# /proc/interrupts are vectors of the VF's PCI function in MSI-X mode (its msi_irqs in sysfs say
# "msix"; the chip is IR-PCI-MSI, remapped by the emulated Intel IOMMU), and in the plain phase each
# direction's line took at least one interrupt per ping (replies come 200 ms apart, far beyond
# igbvf's longest throttle interval of 250 us; QEMU's igb raised two per packet and direction here,
# 17-20 TX and 21 RX for 10 pings, and the RX line also takes igbvf's watchdog kick every 2 s).
. "$(dirname "$0")/../../lib/check.sh"
vf=$(getinfo vf); n=$(getinfo nping); r=0; out=""
[ -n "$vf" ] || fail "no VF interface"
f=$LAB_DATA/plain/after/interrupts
for q in tx-0 rx-0; do
	irq=$(awk -v nm="$vf-$q" '$NF == nm {sub(":", "", $1); print $1}' "$f")
	mode=$(awk -v i="$irq" '$1 == i {print $2}' "$LAB_DATA/info/vf_msi_irqs" 2>/dev/null)
	if [ -n "$irq" ] && [ "$mode" = msix ]; then out="$out $vf-$q=irq$irq(msix of $(getinfo vf_pci))"
	else r=1; out="$out $vf-$q: irq '${irq:-no line}' mode '${mode:-not a vector of $(getinfo vf_pci)}' (want msix) MISMATCH"; fi
done
out="$out $(atleast "$vf-rx-0" "$(d_irq plain "$vf-rx-0\$")" "$n")" || r=1
out="$out $(atleast "$vf-tx-0" "$(d_irq plain "$vf-tx-0\$")" "$n")" || r=1
[ $r = 0 ] && pass "$out" || fail "$out"
