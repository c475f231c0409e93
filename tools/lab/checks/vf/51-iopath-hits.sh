# The igbvf profile's hits against the VF's own counters, by kprobe and by fentry:
# * igbvf_xmit_frame = the VF's tx_packets (every packet passes ndo_start_xmit once);
# * igbvf_intr_msix_tx = the VF-tx-0 interrupts, igbvf_intr_msix_rx = the VF-rx-0 interrupts: never
#   above them (the counters are read before iopath starts and after it ends), below them by at most
#   the interrupts of the time iopath was attaching and detaching, outside the pings: 2 on TX (no TX
#   then), and on RX igbvf's watchdog kicks of that time: one forced RX interrupt (EICS) every 2 s,
#   which QEMU's igb delivers as two (it raises two per cause here: 20 TX interrupts, each a hit,
#   for 10 packets; measured idle between phases: 2-3 RX interrupts in 3-3.5 s), so one per second
#   outside the pings, +2 at the edges; and at least one RX hit per reply. By kprobe also the
#   hits the per-CPU bpf_prog_active guard skips (an interrupt landing while another program of the
#   profile runs on that CPU: recursion misses where the kernel counts them, Debian 6.1 does not,
#   so 5% more, as checks/guest/61);
# * igbvf_clean_tx_irq = igbvf_intr_msix_tx hits exactly (the handler calls it once, nothing else does);
# * igbvf_poll = igbvf_intr_msix_rx hits +-2: each RX interrupt schedules NAPI once (one RX ring, far
#   below the budget of 64); an interrupt while NAPI is pending only marks it missed, which polls
#   once more, and the edges of the attach window can split a pair.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
vf=$(getinfo vf); r=0; out=""
# outside PHASE: seconds of the phase (snapshot to snapshot) outside the pings themselves
outside() {
	awk -v u="$(cat "$LAB_DATA/$1/uptime")" '$1 == "t0" {a = $2} $1 == "t1" {b = $2}
		END {split(u, p, " "); s = (p[2] - p[1]) - (b - a); print (s > 0 ? int(s) : 0)}' "$LAB_DATA/$1/workload.log"
}
# irq_vs LABEL HITS IRQS EDGE: HITS <= IRQS and IRQS - HITS <= EDGE
irq_vs() {
	if [ -n "$2" ] && [ "$2" -le "$3" ] && [ $(($3 - $2)) -le "$4" ]; then
		echo "$1=$2 (interrupts $3, up to $4 outside the hits) ok"; return 0
	fi
	echo "$1=${2:-none} (interrupts $3, up to $4 outside the hits) MISMATCH"; return 1
}
for m in kprobe fentry; do
	P=$m-igbvf; have_phase $P || { r=1; out="$out $P missing"; continue; }
	out="$out $(hits_vs $m:igbvf_xmit_frame $P igbvf_xmit_frame "$(d_net $P $vf tx_packets)" 0)" || r=1
	miss=$(jq -r '.summary.dropped.recursion_misses // 0' "$LAB_DATA/$P/iopath.json" 2>/dev/null || echo 0)
	ti=$(d_irq $P "$vf-tx-0\$"); ri=$(d_irq $P "$vf-rx-0\$")
	tslack=2; rslack=$(( $(outside $P) + 2 ))
	[ $m = kprobe ] && { tslack=$((tslack + miss + ti / 20)); rslack=$((rslack + miss + ri / 20)); }
	th=$(hits $P igbvf_intr_msix_tx); rh=$(hits $P igbvf_intr_msix_rx)
	out="$out $(irq_vs $m:igbvf_intr_msix_tx "$th" "$ti" $tslack)" || r=1
	out="$out $(irq_vs $m:igbvf_intr_msix_rx "$rh" "$ri" $rslack)" || r=1
	# and every reply was taken by an RX interrupt iopath saw (200 ms apart: one at least each)
	out="$out $(atleast $m:igbvf_intr_msix_rx-vs-rx_packets "$rh" "$(d_net $P $vf rx_packets)")" || r=1
	out="$out $(near $m:igbvf_clean_tx_irq "$(hits $P igbvf_clean_tx_irq)" "${th:-0}" 0)" || r=1
	out="$out $(near $m:igbvf_poll "$(hits $P igbvf_poll)" "${rh:-0}" 2)" || r=1
	out="$out $m:rx_packets=$(d_net $P $vf rx_packets) refill=$(hits $P igbvf_alloc_rx_buffers) misses=$miss outside=$(outside $P)s"
done
[ $r = 0 ] && pass "$out" || fail "$out"
