# Backend counters in dom0 (netback vif statistics, blkback vbd statistics) against the domU's own:
# every packet the domU sent, the vif received; every xvda request the domU completed, blkback served.
# (Runs in dom0: LAB_DATA = the domU's data, DOM0_DATA = backend counters sampled while connected.)
. "$(dirname "$0")/../../lib/check.sh"
[ "$(getinfo emu)" = 1 ] && skip "hvmemu: no netback/blkback traffic (QEMU's tap: check 11)"
i=$(getinfo nic); r=0; out=""
last=$LAB_DATA/final   # the domU's counters after its last phase
[ -d "$last" ] || fail "no final counters from the domU"
v=$(ls "$DOM0_DATA"/vif* 2>/dev/null | head -1)
[ -n "$v" ] || fail "no vif statistics in dom0"
tx=$(awk '$1 == "tx_packets" {print $2}' "$last/net.$i"); rx=$(awk '$1 == "rx_packets" {print $2}' "$v")
out="$out $(near domU.tx=vif.rx "$rx" "$tx" 2)" || r=1
b=$(ls "$DOM0_DATA"/vbd-*-51712 2>/dev/null | head -1)   # xvda = 202:0
[ -n "$b" ] || fail "$out; no vbd statistics in dom0"
w=$(awk '$3 == "xvda" {print $8}' "$last/diskstats"); bw=$(awk '$1 == "wr_req" {print $2}' "$b")
out="$out $(near domU.xvda.writes=vbd.wr_req "$bw" "$w" 0)" || r=1
rd=$(awk '$3 == "xvda" {print $4}' "$last/diskstats"); br=$(awk '$1 == "rd_req" {print $2}' "$b")
out="$out $(near domU.xvda.reads=vbd.rd_req "$br" "$rd" 2)" || r=1
[ $r = 0 ] && pass "$out" || fail "$out"
