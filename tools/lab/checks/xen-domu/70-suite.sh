# The comparison's recordings (phase suite, lib/suite.sh): every phase of `iopath workload suite`
# has its recording, and each one's count is the kernel's own over that phase, as the workload
# printed it (the interface's tx/rx packets, the disk's reads + writes):
#   net phases: TX packets at the queue stage and RX packets at the receive stage on the vif
#               (or e1000) interface = the interface's tx / rx packets. Tolerance 0: the pair is
#               the domU and dom0 alone on a bridge, IPv6 off, neighbours pinned (stage_setup).
#               tcp-bulk: +-(2 + 5%): the workload reads the counters when its send returns, the
#               phase ends at the next mark, and the last ACKs and the FIN exchange fall between.
#   blk phases: requests of the disk = its reads + writes; 1 MiB requests may be split by the
#               driver's limits, so the request count is the disk's, not the workload's 16.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
D=$LAB_DATA/suite
have_phase suite || skip "phase suite did not run"
[ -s "$D/run.rec" ] || fail "no run.rec: $(tail -1 "$D/record.err" 2>/dev/null)"
r=0; out=""
for p in udp-rr udp-stream tcp-bulk blk-rand-qd1 blk-rand-qd16 blk-seq-read blk-seq-write; do
	f=$D/run.$p.rec
	[ -s "$f" ] || { r=1; out="$out $p:missing"; continue; }
	line=$(grep "^phase $p:" "$D/record.err")
	iopath report --json "$f" > "$D/$p.json" 2>> "$D/report.err" || { r=1; out="$out $p:report-failed"; continue; }
	case $p in
	udp-*|tcp-*)
		set -- $(echo "$line" | sed -n 's/.*; iface \([^:]*\): tx \([0-9]*\) rx \([0-9]*\) packets.*/\1 \2 \3/p')
		[ $# = 3 ] || { r=1; out="$out $p:no-interface-counts"; continue; }
		tx=$(jq -r --arg n "$1" '[.net.devices[] | select(.name == $n and .dir == "tx") | .stages.queue // 0] | add // 0' "$D/$p.json")
		rx=$(jq -r --arg n "$1" '[.net.devices[] | select(.name == $n and .dir == "rx") | .stages.receive // 0] | add // 0' "$D/$p.json")
		tt=0 tr=0; [ $p = tcp-bulk ] && { tt=$((2 + $2 / 20)); tr=$((2 + $3 / 20)); }
		out="$out $(near $p.tx "$tx" "$2" $tt)" || r=1
		out="$out $(near $p.rx "$rx" "$3" $tr)" || r=1 ;;
	blk-*)
		set -- $(echo "$line" | sed -n 's/.*; disk \([^:]*\): \([0-9]*\) reads [0-9]* sectors, \([0-9]*\) writes.*/\1 \2 \3/p')
		[ $# = 3 ] || { r=1; out="$out $p:no-disk-counts"; continue; }
		q=$(jq -r --arg d "$1" '[.blk.classes[] | select(.disk == $d) | .requests] | add // 0' "$D/$p.json")
		out="$out $(near $p.requests "$q" $(($2 + $3)) 0)" || r=1 ;;
	esac
done
[ $r = 0 ] && pass "$out" || fail "$out"
