# iopath probes in the domU (fentry, and kprobe in PV) against the domU's own counters (fentry of a
# module function where the modules carry BTF; on Debian 11's 5.10 it must be unavailable): the NIC
# driver's xmit = tx_packets (xennet_start_xmit; e1000_xmit_frame on hvmemu), and blkif_queue_rq =
# xvda requests in /proc/diskstats (hvmemu's IDE disk has no driver profile: ata_piix is libata,
# whose requests rec counts by the block-stack tracepoints, check 61).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
i=$(getinfo nic); r=0; out=""
ms=fentry; [ "$(getinfo guest_type)" = pv ] && ms="kprobe fentry"   # stages/xen-domu.sh: kprobe in PV only
x=xennet_start_xmit; [ "$(getinfo emu)" = 1 ] && x=e1000_xmit_frame
for m in $ms; do
	P=$m-all
	out="$out $(iopath_phase $P)" || { r=1; continue; }
	# Debian 11's 5.10: modules without BTF, so no fentry on the front-ends; iopath must say so
	if [ $m = fentry ] && no_module_btf; then
		out="$out $(fentry_unavailable fentry:$x $P $x)" || r=1
		[ "$(getinfo emu)" = 1 ] || out="$out $(fentry_unavailable fentry:blkif_queue_rq $P blkif_queue_rq)" || r=1
		continue
	fi
	# +-1: dom0 may ARP the domU while iopath is still attaching (counted by tx_packets, not by iopath)
	out="$out $(hits_vs $m:$x $P $x "$(d_net $P $i tx_packets)" 1)" || r=1
	[ "$(getinfo emu)" = 1 ] && continue
	out="$out $(hits_vs $m:blkif_queue_rq $P blkif_queue_rq $(( $(d_disk $P xvda reads) + $(d_disk $P xvda writes) )) 0)" || r=1
done
[ $r = 0 ] && pass "$out" || fail "$out"
