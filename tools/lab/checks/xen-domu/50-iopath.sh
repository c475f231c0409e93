# iopath in the domU (xen-netfront, xen-blkfront, xen-events; fentry, and kprobe in PV) against the domU's
# own counters: xennet_start_xmit = tx_packets, blkif_queue_rq = xvda requests in /proc/diskstats.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
i=$(getinfo netfront); r=0; out=""
ms=fentry; [ "$(getinfo guest_type)" = pv ] && ms="kprobe fentry"   # stages/xen-domu.sh: kprobe in PV only
for m in $ms; do
	P=$m-all
	out="$out $(iopath_phase $P)" || { r=1; continue; }
	# +-1: dom0 may ARP the domU while iopath is still attaching (counted by tx_packets, not by iopath)
	out="$out $(hits_vs $m:xennet_start_xmit $P xennet_start_xmit "$(d_net $P $i tx_packets)" 1)" || r=1
	out="$out $(hits_vs $m:blkif_queue_rq $P blkif_queue_rq $(( $(d_disk $P xvda reads) + $(d_disk $P xvda writes) )) 0)" || r=1
done
[ $r = 0 ] && pass "$out" || fail "$out"
