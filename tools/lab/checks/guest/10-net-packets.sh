# Interface packet counters (/sys/class/net/*/statistics) agree with the pings sent over each NIC.
. "$(dirname "$0")/../../lib/check.sh"
n=$(getinfo nping); r=0; out=""
for k in virtio_net e1000e; do
	i=$(getinfo $k)
	out="$out $(near "$k.tx_packets" "$(d_net plain $i tx_packets)" $n 1)" || r=1
	out="$out $(near "$k.rx_packets" "$(d_net plain $i rx_packets)" $n 1)" || r=1
done
c=$(grep -c "$n packets transmitted, $n packets received" "$LAB_DATA/plain/workload.log")
[ "$c" = 2 ] || { r=1; out="$out ping-replies: $c/2 pings complete"; }
[ $r = 0 ] && pass "$out" || fail "$out"
