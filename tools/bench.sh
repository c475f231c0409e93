#!/bin/sh
# make bench: tracing overhead as ratios measured in one run, never asserted.
# The same UDP workload (N datagrams over a veth pair between two namespaces
# made here) is timed untraced, under `iopath record --net`, under
# `record --net --blk --stacks`, and with every iopath tracepoint attached
# but no per-packet logic (`probes -d`), each REPS times; the median is kept.
set -eu
cd "$(dirname "$0")/.."
IOPATH=${IOPATH:-./iopath}
N=${N:-200000} REPS=${REPS:-3}
A=iop-bench-a B=iop-bench-b
cleanup() { ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; }
trap cleanup EXIT
cleanup
for ns in $A $B; do
	ip netns add $ns
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip -n $A link add va type veth peer name vb netns $B
ip -n $A addr add 10.253.90.1/24 dev va
ip -n $B addr add 10.253.90.2/24 dev vb
ip -n $A link set va up
ip -n $B link set vb up
ip -n $A neigh add 10.253.90.2 lladdr "$(ip -n $B -br link show vb | awk '{print $3}')" dev va

run() { # prints seconds for N datagrams
	ip netns exec $B "$IOPATH" workload udp-sink 5201 60 > /dev/null & s=$!
	sleep 0.2
	t0=$(date +%s.%N)
	ip netns exec $A "$IOPATH" workload udp-send 10.253.90.2 5201 "$N" 256 > /dev/null
	t1=$(date +%s.%N)
	kill $s; wait $s 2>/dev/null || true
	echo "$t1 - $t0" | bc -l
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() { # label, then how to run the tracer in the background (or "none")
	label=$1; shift
	for i in $(seq "$REPS"); do
		if [ "$1" = none ]; then
			run
		else
			"$@" > /dev/null 2>&1 & t=$!
			sleep 1.5   # attach
			run
			kill -INT $t; wait $t 2>/dev/null || true
		fi
	done | median > "/tmp/iopath-bench-$label"
	echo "$label $(cat /tmp/iopath-bench-$label)"
}
command -v bc > /dev/null || { echo "bench: needs bc (apt-get install bc)"; exit 1; }
echo "bench: $N UDP datagrams of 256 bytes over veth, median of $REPS runs"
measure untraced none
measure probes "$IOPATH" probes -P net-stack -d 600
measure record "$IOPATH" record --net -d 600 --sample 0
measure record_stacks "$IOPATH" record --net --blk --stacks -d 600 --sample 0
base=$(cat /tmp/iopath-bench-untraced)
for l in untraced probes record record_stacks; do
	t=$(cat /tmp/iopath-bench-$l)
	printf '%-14s %8.3f s  %9.0f pkt/s  %5.2fx the untraced time\n' $l "$t" "$(echo "$N / $t" | bc -l)" "$(echo "$t / $base" | bc -l)"
done
rm -f /tmp/iopath-bench-*
