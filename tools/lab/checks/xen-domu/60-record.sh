# iopath record --net --blk --exits in the domU (phase rec) against the domU's own counters:
# - xen-netfront: packets at the driver's xmit stage = tx_packets, RX packets = rx_packets; the
#   event-channel notifies charged to TX packets are between 1 and one per packet (xennet_start_xmit
#   notifies at most once: RING_PUSH_REQUESTS_AND_CHECK_NOTIFY), and notifies/packet is reported;
# - xen-blkfront: requests issued on xvda = /proc/diskstats reads + writes; notifies charged to
#   requests between 1 and one per request (blkif_queue_rq pushes the ring once), grants/request reported;
# - upcalls (xen_evtchn_do_upcall) = the kernel's HYP count over the same interval where the guest
#   has a HYP row (PVH, HVM: the callback is an IDT vector and the kernel counts irq_hv_callback_count
#   in the same upcall entry), so only upcalls between reading /proc/interrupts and the hit counters
#   differ (+-3 and 2%: a TCG domU takes a timer upcall every few ms); a PV guest has no HYP row,
#   and iopath must say null there, not 0;
# - PV multicalls: a PV guest batches MMU updates (xen:xen_mc_flush fires, some with hypercalls);
#   PVH and HVM use hardware paging and never flush a multicall (xen_mc_batch fires on PV only).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
[ "$(getinfo emu)" = 1 ] && skip "hvmemu has no PV front-ends: its record check is 61"
P=rec; record_json $P
i=$(getinfo netfront); t=$(getinfo guest_type); r=0; out=""
# +-1: dom0 may ARP the domU (one frame outside any ping) while the phase runs
tx=$(rec_dev $i tx .stages.drv_xmit); out="$out $(near $i.drv_xmit "$tx" "$(d_net $P $i tx_packets)" 1)" || r=1
out="$out $(near $i.rx "$(rec_dev $i rx .stages.rx)" "$(d_net $P $i rx_packets)" 1)" || r=1
n=$(rec_dev $i tx .exits.notify)
if [ "$n" -ge 1 ] && [ "$n" -le "$tx" ]; then out="$out tx-notify=$n ok"; else out="$out tx-notify=$n (want 1..$tx) MISMATCH"; r=1; fi
out="$out notifies/packet tx=$(rec_dev $i tx .exits_per_packet.notify) rx(refill)=$(rec_dev $i rx .exits_per_packet.notify)"
cls() { jq -r "[.blk.classes[] | select(.disk == \"xvda\") | $1] | add // 0" "$J"; }
rq=$(cls .requests); want=$(( $(d_disk $P xvda reads) + $(d_disk $P xvda writes) ))
out="$out $(near xvda.requests "$rq" "$want" 0)" || r=1
out="$out $(near xvda.issue "$(cls .stages.issue)" "$want" 0)" || r=1
bn=$(cls .exits.notify)
if [ "$bn" -ge 1 ] && [ "$bn" -le "$rq" ]; then out="$out blk-notify=$bn ok"; else out="$out blk-notify=$bn (want 1..$rq) MISMATCH"; r=1; fi
out="$out notifies/request=$(awk -v a="$bn" -v b="$rq" 'BEGIN {printf "%.2f", b ? a / b : 0}') grants/request=$(awk -v a="$(cls .grants)" -v b="$rq" 'BEGIN {printf "%.2f", b ? a / b : 0}')"
up=$(jq -r '.exits.upcalls.count' "$J"); hyp=$(jq -r '.exits.upcalls.proc_hyp_delta' "$J")
hasrow=$(grep -c '^ *HYP:' "$LAB_DATA/$P/after/interrupts")
if [ "$up" = null ] || [ "$up" -lt 1 ]; then out="$out upcalls=$up (want >=1) MISMATCH"; r=1
elif [ "$hasrow" = 0 ]; then
	# a PV kernel takes upcalls through its own callback, not an IDT vector, and prints no HYP row
	[ "$hyp" = null ] && out="$out upcalls=$up (no HYP row in this guest's /proc/interrupts; iopath: null) ok" ||
		{ out="$out upcalls=$up HYP=$hyp but the guest has no HYP row MISMATCH"; r=1; }
elif [ "$hyp" = null ]; then out="$out upcalls=$up HYP=null but the guest has a HYP row MISMATCH"; r=1
else out="$out $(near upcalls=HYP "$up" "$hyp" $(( hyp / 50 + 3 )))" || r=1; fi
mc=$(jq -r .exits.xen_mc_flush "$J"); mh=$(jq -r .exits.pv_multicall_hypercalls "$J")
case $t in
pv) [ "$mc" -ge 1 ] && out="$out pv: xen_mc_flush=$mc multicall-hypercalls=$mh ok" || { out="$out pv: xen_mc_flush=$mc (want >=1) MISMATCH"; r=1; } ;;
*) [ "$mc" = 0 ] && out="$out $t: xen_mc_flush=0 ok" || { out="$out $t: xen_mc_flush=$mc (want 0) MISMATCH"; r=1; } ;;
esac
[ $r = 0 ] && pass "$out" || fail "$out"
