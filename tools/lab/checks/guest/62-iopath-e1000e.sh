# iopath hits vs guest counters, e1000e profile: e1000_xmit_frame = tx_packets,
# e1000_intr_msix_rx within the <iface>-rx-0 interrupts of /proc/interrupts.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
e=$(getinfo e1000e); r=0; out=""
for m in kprobe fentry; do
	P=$m-all; have_phase $P || { r=1; out="$out $P missing"; continue; }
	if [ $m = fentry ] && no_module_btf; then   # a module function cannot be fentry'd here
		out="$out $(fentry_unavailable fentry:e1000_xmit_frame $P e1000_xmit_frame)" || r=1
		out="$out $(fentry_unavailable fentry:e1000_intr_msix_rx $P e1000_intr_msix_rx)" || r=1
		continue
	fi
	out="$out $(hits_vs $m:e1000_xmit_frame $P e1000_xmit_frame "$(d_net $P $e tx_packets)" 0)" || r=1
	# QEMU's e1000e also raises a few rx interrupts with no traffic (~0.5/s, seen in idle phases), and the
	# counters bracket iopath's attach time too: hits must lie in [rx_packets/2, interrupts delta].
	h=$(hits $P e1000_intr_msix_rx); i=$(d_irq $P "$e-rx-0"); rp=$(d_net $P $e rx_packets)
	if [ -n "$h" ] && [ "$h" -le "$i" ] && [ "$h" -ge $((rp / 2)) ]; then out="$out $m:e1000_intr_msix_rx=$h (irqs $i, rx_packets $rp) ok"
	else r=1; out="$out $m:e1000_intr_msix_rx=${h:-none} (want rx_packets/2=$((rp / 2))..irqs=$i) MISMATCH"; fi
done
[ $r = 0 ] && pass "$out" || fail "$out"
