# Event channel traffic seen by the backends in dom0 (/sys/bus/xen-backend/devices/*/xenbus/events:
# events blkback/netback took from this domU's frontend), against the domU's own I/O counts:
# every event is one frontend notify or several coalesced ones, and the frontends notify at most once
# per request (blkif_queue_rq) and per TX packet or RX refill (xennet), so
#   1 <= vbd events <= xvda requests + 2 and 1 <= vif events <= tx_packets + rx_packets + 2
# (+2: the connect handshake). The frontends' own xenbus statistics are printed beside (the kernel
# counts them only for lateeoi backend channels, so they stay 0 in a domU).
# hvmemu (no platform device, so no PV front-end): its vif/vbd backends exist (libxl makes them for
# every HVM disk and NIC) but must have taken no event at all.
. "$(dirname "$0")/../../lib/check.sh"
i=$(getinfo nic); last=$LAB_DATA/final; r=0; out=""
[ -d "$last" ] || fail "no final counters from the domU"
ev() { awk '$1 == "events" {print $2}' "$1" 2>/dev/null; }
if [ "$(getinfo emu)" = 1 ]; then
	for f in "$DOM0_DATA"/xenbus.*; do
		[ -e "$f" ] || continue
		e=$(ev "$f"); out="$out ${f##*/xenbus.}=${e:-none}"
		[ "${e:-0}" = 0 ] || r=1
	done
	[ $r = 0 ] && pass "hvmemu: no PV backend took an event:${out:- no backend statistics sampled}" || fail "hvmemu: PV backends took events:$out"
fi
b=$(ls "$DOM0_DATA"/xenbus.vbd-*-51712 2>/dev/null | head -1); v=$(ls "$DOM0_DATA"/xenbus.vif-*-0 2>/dev/null | head -1)
[ -n "$b" ] && [ -n "$v" ] || fail "no backend xenbus statistics in dom0 ($(ls "$DOM0_DATA" | tr '\n' ' '))"
rq=$(awk '$3 == "xvda" {print $4 + $8}' "$last/diskstats")
tx=$(awk '$1 == "tx_packets" {print $2}' "$last/net.$i"); rx=$(awk '$1 == "rx_packets" {print $2}' "$last/net.$i")
be=$(ev "$b"); ve=$(ev "$v")
[ -n "$be" ] && [ "$be" -ge 1 ] && [ "$be" -le $((rq + 2)) ] && out="$out vbd.events=$be (1..$((rq + 2)): xvda requests $rq) ok" ||
	{ out="$out vbd.events=${be:-none} (want 1..$((rq + 2))) MISMATCH"; r=1; }
[ -n "$ve" ] && [ "$ve" -ge 1 ] && [ "$ve" -le $((tx + rx + 2)) ] && out="$out vif.events=$ve (1..$((tx + rx + 2)): tx $tx + rx $rx) ok" ||
	{ out="$out vif.events=${ve:-none} (want 1..$((tx + rx + 2))) MISMATCH"; r=1; }
fe=""; for f in "$last"/xenbus.*; do [ -e "$f" ] && fe="$fe ${f##*/xenbus.}=$(ev "$f")"; done
out="$out; domU frontends:${fe:- none}"
[ $r = 0 ] && pass "$out" || fail "$out"
