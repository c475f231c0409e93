# record --net filters, each checked against flows of known size on a veth
# pair only this test uses (IPv6 off, static neighbours): two UDP flows of
# different sizes to different ports, one TCP transfer.
. "$(dirname "$0")/lib.sh"

make_veth_pair f 73
# the pair's packet events ftrace saw on top of a PID-1 thread (lib.sh, blind_start), over all the
# recordings: a count that should be N may fall short by at most that many (normally 0: exact)
blind_start "net/net_dev_queue net/net_dev_start_xmit net/net_dev_xmit net/netif_rx net/netif_receive_skb" \
	"name == \"$VA\" || name == \"$VB\""
N1=3000 N2=1700
WL="ip netns exec $A $IOPATH workload udp-send 10.253.73.2 6001 $N1 > /dev/null &&
    ip netns exec $A $IOPATH workload udp-send 10.253.73.2 6002 $N2 > /dev/null"
rec() { "$IOPATH" record --net --json --sample 0 "$@" -- sh -c "$WL" > "$TMP/r.json"; }
tx() { jq -r --arg n "$1" '[.net.devices[] | select(.name == $n and .dir == "tx") | .packets] | add // 0' "$TMP/r.json"; }
rx() { jq -r --arg n "$1" '[.net.devices[] | select(.name == $n and .dir == "rx") | .packets] | add // 0' "$TMP/r.json"; }
# is COUNT WANT: COUNT = WANT, or short by no more than the events iopath could not see so far
is() { local b; b=$(blind_peek); [ "$1" -le "$2" ] && [ "$1" -ge $(($2 - ${b:-0})) ]; }

rec --port 6001
is "$(tx $VA)" $N1 || fail "--port 6001: $VA tx $(tx $VA), want $N1"
is "$(rx $VB)" $N1 || fail "--port 6001: $VB rx $(rx $VB), want $N1"
ok "--port 6001: $N1 sent and received, the $N2 to port 6002 filtered out"

rec --port 6002 --dir tx
is "$(tx $VA)" $N2 || fail "--port 6002 --dir tx: $VA tx $(tx $VA), want $N2"
[ "$(rx $VB)" = 0 ] || fail "--dir tx still shows RX packets on $VB"
ok "--dir tx --port 6002: $N2 TX only"

rec -i $VB
[ "$(tx $VA)" = 0 ] || fail "-i $VB shows $VA"
is "$(rx $VB)" $((N1 + N2)) || fail "-i $VB: rx $(rx $VB), want $((N1 + N2))"
ok "-i $VB: $((N1 + N2)) received, nothing from other interfaces"

rec --proto tcp -i $VA
[ "$(tx $VA)" = 0 ] || fail "--proto tcp counted $(tx $VA) UDP packets"
ok "--proto tcp: no UDP counted"

# --pid: only what one process sends. The sender gives us its pid first and starts once the
# recording is attached: record runs its command only after attaching, and the command's first act
# is to let the sender go (a fixed delay lost every packet once setup took longer on a busy machine).
rm -f "$TMP/go"
ip netns exec $A sh -c "while [ ! -e $TMP/go ]; do sleep 0.05; done; exec $IOPATH workload udp-send 10.253.73.2 6003 $N2" > /dev/null &
spid=$!
ip netns exec $A $IOPATH workload udp-send 10.253.73.2 6004 500 > /dev/null   # before the recording: not counted
"$IOPATH" record --net --json --sample 0 --pid $spid -- sh -c "touch $TMP/go; while kill -0 $spid 2>/dev/null; do sleep 0.1; done" > "$TMP/r.json"
wait $spid
is "$(tx $VA)" $N2 || fail "--pid $spid: $VA tx $(tx $VA), want $N2"
[ "$(rx $VB)" = 0 ] || fail "--pid: RX should not be traced"
ok "--pid $spid: exactly its $N2 datagrams"
ok "pair events on top of PID 1 (unseeable by BPF here) during these recordings: $(blind_count)"
