# The VF's own MSI-X vectors took its interrupts: /proc/interrupts has igbvf's lines VF-tx-0 and
# VF-rx-0 on an MSI-X chip of the VF's PCI function (IR-PCI-MSIX-<vf pci>: remapped by the emulated
# Intel IOMMU), and in the plain phase each replied ping raised its own RX interrupt (replies come
# 200 ms apart, far beyond igbvf's longest throttle interval, 250 us) and the TX completions at
# least one TX interrupt. The RX line also takes igbvf's watchdog kick (one forced interrupt every
# 2 s), so it may be above the replies.
. "$(dirname "$0")/../../lib/check.sh"
vf=$(getinfo vf); pci=$(getinfo vf_pci); n=$(getinfo nping); r=0; out=""
[ -n "$vf" ] || fail "no VF interface"
f=$LAB_DATA/plain/after/interrupts
for q in tx-0 rx-0; do
	chip=$(awk -v nm="$vf-$q" 'NR == 1 {ncpu = NF; next} $NF == nm {print $(ncpu + 2)}' "$f")
	case $chip in
	*MSIX-$pci) out="$out $vf-$q on $chip" ;;
	*) r=1; out="$out $vf-$q: chip '${chip:-no line}' (want an MSI-X chip of $pci) MISMATCH" ;;
	esac
done
out="$out $(atleast "$vf-rx-0" "$(d_irq plain "$vf-rx-0\$")" "$n")" || r=1
out="$out $(atleast "$vf-tx-0" "$(d_irq plain "$vf-tx-0\$")" 1)" || r=1
[ $r = 0 ] && pass "$out" || fail "$out"
