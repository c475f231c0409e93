# dom0's side of the domU's suite, phase by phase (with XEN_BACKEND=1, dom0.sh runs the suite's peer under
# `iopath record -o $G/backend/run.rec`, cut into the domU's phases by the marks the suite sends
# its peer), against the domU's own recording of the same phase:
#  - network: what the domU sent is what dom0 received, and the other way, each with one packet
#    more in dom0: the peer's answer to the mark that opened the phase (TX) and the mark that
#    closed it (RX). Packets that ended, on the device of a direction that saw the most (dom0:
#    the vif or the device model's tap, and the bridge; only the suite crosses them). Not the
#    sum: a received frame lives twice in dom0, once on the vif and once more when the bridge
#    hands it up to the peer's socket (seen: dom0 RX = 2 x (domU TX + 1) in every phase), while
#    a reply is one TX life from the bridge through the vif (the same skb).
#    udp-rr and udp-stream exact. tcp-bulk within 10% or 8: netback builds dom0's skbs from the
#    domU's GSO segments as they come, and the sink's ACKs are as many as its kernel sends then;
#  - block: requests on the loop device behind the domU's vbd (dom0.sh writes its name) at
#    least the domU's, at most 2x: blkback issues each domU request as one or more bios to it
#    (a 1 MiB request of 11-segment blkif requests is split), and merges none at queue depth 1.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
BK=$(dirname "$LAB_DATA")/backend
[ -d "$BK" ] || skip "dom0 did not record its side (XEN_BACKEND=1 tools/lab/lab.sh xen does)"
[ -s "$LAB_DATA/suite/run.udp-rr.rec" ] || skip "the domU ran no suite"
command -v jq > /dev/null || fail "no jq in dom0's payload (xen_payload ships it)"
ended() { # REC DIR: packets that ended on the device of direction DIR that saw the most
	iopath report --json "$1" 2>/dev/null | jq -r --arg d "$2" '[.net.devices[]? | select(.dir == $d) | .ended // 0] | max // 0'
}
reqs() { # REC [DISK]: requests, of DISK or of every disk (from the classes: a phase cut by an
	# iopath before 2026-12-02 dropped a loop device's disk row, whose own counts had not moved)
	iopath report --json "$1" 2>/dev/null | jq -r --arg n "${2:-}" '[.blk.classes[]? | select($n == "" or .disk == $n) | .requests] | add // 0'
}
nums() { for v; do case $v in "" | *[!0-9]*) return 1 ;; esac; done; }
r=0; out=""
for p in udp-rr udp-stream tcp-bulk; do
	b=$BK/run.$p.rec u=$LAB_DATA/suite/run.$p.rec
	[ -s "$b" ] || { r=1; out="$out $p:no-dom0-phase($(tail -1 "$BK/record.err" 2>/dev/null))"; continue; }
	utx=$(ended "$u" tx) urx=$(ended "$u" rx) btx=$(ended "$b" tx) brx=$(ended "$b" rx)
	nums "$utx" "$urx" "$btx" "$brx" || { r=1; out="$out $p:unreadable(domU=$utx/$urx,dom0=$btx/$brx: $(iopath report --json "$b" 2>&1 >/dev/null | tail -1))"; continue; }
	want_rx=$((utx + 1)) want_tx=$((urx + 1))
	case $p in
	tcp-bulk) ok() { d=$(( $1 > $2 ? $1 - $2 : $2 - $1 )); [ $d -le 8 ] || [ $((d * 10)) -le $2 ]; } ;;
	*) ok() { [ "$1" = "$2" ]; } ;;
	esac
	if ok "$brx" "$want_rx" && ok "$btx" "$want_tx"; then s=ok; else s=DIFFERS; r=1; fi
	out="$out $p:dom0-rx=$brx(domU-tx+1=$want_rx),dom0-tx=$btx(domU-rx+1=$want_tx):$s"
done
disk=$(cat "$BK/disk" 2>/dev/null)
for p in blk-rand-qd1 blk-rand-qd16 blk-seq-read blk-seq-write; do
	b=$BK/run.$p.rec u=$LAB_DATA/suite/run.$p.rec
	[ -s "$u" ] || continue
	[ -s "$b" ] || { r=1; out="$out $p:no-dom0-phase"; continue; }
	ur=$(reqs "$u") br=$(reqs "$b" "$disk")
	nums "$ur" "$br" || { r=1; out="$out $p:unreadable(domU=$ur,dom0=$br)"; continue; }
	if [ "$br" -ge "$ur" ] && [ "$br" -le $((2 * ur)) ] && [ "$ur" -gt 0 ]; then s=ok; else s=DIFFERS; r=1; fi
	out="$out $p:dom0-${disk:-?}=$br(domU=$ur):$s"
done
[ $r = 0 ] && pass "$out" || fail "$out"
