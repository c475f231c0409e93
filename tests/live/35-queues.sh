# Queue attribution (skb->queue_mapping read through CO-RE in the BPF
# handler) against an independent per-queue counter: the mq qdisc's class
# statistics of a 4-queue veth living in a namespace only this test uses.
# Queues 1-3 exist on no other device here, so they must match exactly;
# queue 0 is shared with every single-queue device (lo, eth0), so iopath may
# see more there, never less.
. "$(dirname "$0")/lib.sh"

make_netns q
# No IPv6 in the namespace: link-up would send MLD reports and router
# solicitations on their own, some before iopath attaches.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$NS" link add iopq0 numtxqueues 4 numrxqueues 4 type veth peer name iopq1 numtxqueues 4 numrxqueues 4
ip -n "$NS" addr add 10.77.0.1/24 dev iopq0
ip -n "$NS" link set iopq0 up
ip -n "$NS" link set iopq1 up
ip -n "$NS" neigh add 10.77.0.2 lladdr 02:00:00:00:00:02 dev iopq0
ip netns exec "$NS" tc qdisc replace dev iopq0 root mq
sent() { ip netns exec "$NS" tc -s class show dev iopq0 | awk '/^class mq/ { q = substr($3, index($3, ":") + 1) - 1 } /Sent/ { print q, $4 }'; }
sent > "$TMP/before"
# 16 UDP flows x 25 datagrams: the flow hash spreads them over the queues.
"$IOPATH" probes -P net-stack --json -- ip netns exec "$NS" bash -c \
	'for p in $(seq 1 16); do for i in $(seq 25); do echo x > /dev/udp/10.77.0.2/$((4000 + p)); done; done' > "$TMP/p.json"
sent > "$TMP/after"
used=0
for q in 0 1 2 3; do
	b=$(awk -v q=$q '$1 == q { print $2 }' "$TMP/before"); a=$(awk -v q=$q '$1 == q { print $2 }' "$TMP/after")
	tcq=$((a - b))
	for s in net_dev_start_xmit net_dev_xmit; do
		h=$(jq -r --arg s $s --arg q $q '.points[] | select(.symbol == $s) | .queues[$q] // 0' "$TMP/p.json")
		if [ $q = 0 ]; then
			[ "$h" -ge "$tcq" ] || fail "$s queue 0: iopath $h < tc $tcq"
		else
			[ "$h" = "$tcq" ] || fail "$s queue $q: iopath $h, tc class says $tcq"
		fi
	done
	[ "$tcq" -gt 0 ] && used=$((used + 1))
	ok "queue $q: tc sent $tcq packets, iopath net_dev_start_xmit $h"
done
# Hashing 16 flows onto 4 queues leaves none empty in practice; at least
# two used queues are needed for the check to mean anything.
[ "$used" -ge 2 ] || fail "only $used queue(s) carried traffic"
[ "$(jq -r .summary.dropped.queue_map_full "$TMP/p.json")" = 0 ] || fail "queue map overflowed"
