# iopath record --net --exits -i VF over the pings: only the VF's devices are reported (not even a
# row for the PF's interrupt lines), and its
# packets at the driver's xmit stage (igbvf_xmit_frame) = the VF's tx_packets, its RX packets =
# rx_packets, exactly (as checks/guest/63 for virtio-net and e1000e), with the VF's interrupts and
# polls per packet shown; the recording itself is kept (netrec/vf.rec, report.txt).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
P=netrec; record_json $P
vf=$(getinfo vf); r=0; out=""
# (a device row made only of another NIC's interrupts has no name: count rows, not names)
others=$(jq -r --arg n "$vf" '[.net.devices[] | select(.name != $n) | "\(.name)/ifindex\(.ifindex)/\(.dir)"] | join(",")' "$J")
[ -z "$others" ] || { r=1; out="$out devices other than $vf reported: $others MISMATCH"; }
out="$out $(near $vf.drv_xmit "$(rec_dev $vf tx .stages.drv_xmit)" "$(d_net $P $vf tx_packets)" 0)" || r=1
out="$out $(near $vf.rx "$(rec_dev $vf rx .stages.rx)" "$(d_net $P $vf rx_packets)" 0)" || r=1
[ -s "$LAB_DATA/$P/vf.rec" ] || { r=1; out="$out no recording vf.rec"; }
out="$out irqs/packet rx=$(rec_dev $vf rx .irqs_per_packet) polls/packet rx=$(rec_dev $vf rx .polls_per_packet)"
[ $r = 0 ] && pass "$out" || fail "$out"
