# hvmemu: QEMU's emulated e1000 reaches the bridge through its tap (vifN.M-emu) in dom0; every
# packet the domU sent, QEMU wrote to the tap (the tap's rx), and every packet the tap took from
# the bridge QEMU put into the e1000's RX ring (the tap's tx = domU rx). Totals over the whole run
# (the tap is sampled each second while the domain lives), +-2: dom0 ARPs the domU now and then
# (its neighbour entry goes stale) and the last sample may fall just before or after one.
# One excess is QEMU's, not the domU's: e1000's TSO (hw/net/e1000.c process_tx_desc, bookworm's
# 7.2 as every release since) sends a segment each time it has gathered headers + MSS bytes, puts
# the headers back (tp->size = hdr), and at the descriptor chain's end sends what it holds unless
# that is less than the headers. When the payload is a whole number of MSS, what it holds is the
# headers alone, so the tap sees one header-only frame more than the guest counted (e1000 counts
# gso_segs). So over the suite's tcp-bulk the tap may see up to one frame more per TSO skb: the
# domU's TX must be the tap's rx, less 0 to (tcp-bulk's TX skbs as iopath counted them), +-2.
. "$(dirname "$0")/../../lib/check.sh"
[ "$(getinfo emu)" = 1 ] || skip "PV NIC: netback's counters (check 10)"
i=$(getinfo nic); last=$LAB_DATA/final; r=0; out=""
[ -d "$last" ] || fail "no final counters from the domU"
t=$(ls "$DOM0_DATA"/vif*-emu 2>/dev/null | head -1)
[ -n "$t" ] || fail "no tap (vif*-emu) statistics in dom0 ($(ls "$DOM0_DATA" | tr '\n' ' '))"
f() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
trx=$(f rx_packets "$t"); dtx=$(f tx_packets "$last/net.$i")
# TX skbs at tcp-bulk's queue stage (as checks/lib suite_check reads them; dom0 has python3, no jq)
skbs=0; S=$LAB_DATA/suite/run.tcp-bulk.rec
if [ "$LAB_IOPATH" = 1 ] && [ -s "$S" ]; then
	skbs=$(iopath report --json "$S" 2>/dev/null | python3 -c 'import json, sys
print(sum(d.get("stages", {}).get("queue", 0) for d in json.load(sys.stdin)["net"]["devices"] if d["dir"] == "tx" and d["name"] == sys.argv[1]))' "$i") ||
		fail "cannot read tcp-bulk's TX skbs from $S"
fi
x=$((trx - dtx))
if [ $x -ge -2 ] && [ $x -le $((skbs + 2)) ]; then out="$out domU.tx=$dtx tap.rx=$trx: +$x (want -2..$skbs+2, header-only TSO frames of tcp-bulk's $skbs skbs) ok"
else r=1; out="$out domU.tx=$dtx tap.rx=$trx: +$x (want -2..$skbs+2, header-only TSO frames of tcp-bulk's $skbs skbs) MISMATCH"; fi
out="$out $(near domU.rx=tap.tx "$(f tx_packets "$t")" "$(f rx_packets "$last/net.$i")" 2)" || r=1
[ $r = 0 ] && pass "${t##*/}:$out" || fail "${t##*/}:$out"
