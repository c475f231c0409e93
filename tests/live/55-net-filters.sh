# record --net filters, each checked against flows of known size on a veth
# pair only this test uses (IPv6 off, static neighbours): two UDP flows of
# different sizes to different ports, one TCP transfer.
. "$(dirname "$0")/lib.sh"

A=iop-f$$-a B=iop-f$$-b VA=iopf$$a VB=iopf$$b
for ns in $A $B; do
	ip netns add $ns
	at_exit "ip netns del $ns 2>/dev/null || true"
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n $A link add $VA type veth peer name $VB netns $B
ip -n $A link set $VA address 02:30:00:00:00:01
ip -n $B link set $VB address 02:30:00:00:00:02
ip -n $A addr add 10.253.73.1/24 dev $VA
ip -n $B addr add 10.253.73.2/24 dev $VB
ip -n $A link set $VA up
ip -n $B link set $VB up
ip -n $A neigh add 10.253.73.2 lladdr 02:30:00:00:00:02 dev $VA
ip -n $B neigh add 10.253.73.1 lladdr 02:30:00:00:00:01 dev $VB
N1=3000 N2=1700
WL="ip netns exec $A $IOPATH workload udp-send 10.253.73.2 6001 $N1 > /dev/null &&
    ip netns exec $A $IOPATH workload udp-send 10.253.73.2 6002 $N2 > /dev/null"
rec() { "$IOPATH" record --net --json --sample 0 "$@" -- sh -c "$WL" > "$TMP/r.json"; }
tx() { jq -r --arg n "$1" '[.net.devices[] | select(.name == $n and .dir == "tx") | .packets] | add // 0' "$TMP/r.json"; }
rx() { jq -r --arg n "$1" '[.net.devices[] | select(.name == $n and .dir == "rx") | .packets] | add // 0' "$TMP/r.json"; }

rec --port 6001
[ "$(tx $VA)" = $N1 ] || fail "--port 6001: $VA tx $(tx $VA), want $N1"
[ "$(rx $VB)" = $N1 ] || fail "--port 6001: $VB rx $(rx $VB), want $N1"
ok "--port 6001: $N1 sent and received, the $N2 to port 6002 filtered out"

rec --port 6002 --dir tx
[ "$(tx $VA)" = $N2 ] || fail "--port 6002 --dir tx: $VA tx $(tx $VA), want $N2"
[ "$(rx $VB)" = 0 ] || fail "--dir tx still shows RX packets on $VB"
ok "--dir tx --port 6002: $N2 TX only"

rec -i $VB
[ "$(tx $VA)" = 0 ] || fail "-i $VB shows $VA"
[ "$(rx $VB)" = $((N1 + N2)) ] || fail "-i $VB: rx $(rx $VB), want $((N1 + N2))"
ok "-i $VB: $((N1 + N2)) received, nothing from other interfaces"

rec --proto tcp -i $VA
[ "$(tx $VA)" = 0 ] || fail "--proto tcp counted $(tx $VA) UDP packets"
ok "--proto tcp: no UDP counted"

# --pid: only what one process sends. A delayed sender gives us its pid first.
ip netns exec $A sh -c "sleep 1; exec $IOPATH workload udp-send 10.253.73.2 6003 $N2" > /dev/null &
spid=$!
ip netns exec $A $IOPATH workload udp-send 10.253.73.2 6004 500 > /dev/null   # before the recording: not counted
"$IOPATH" record --net --json --sample 0 --pid $spid -d 3 > "$TMP/r.json"
wait $spid
[ "$(tx $VA)" = $N2 ] || fail "--pid $spid: $VA tx $(tx $VA), want $N2"
[ "$(rx $VB)" = 0 ] || fail "--pid: RX should not be traced"
ok "--pid $spid: exactly its $N2 datagrams"
