# One set of packets seen from both sides (phase hostl2): the L2 guest recorded its own workload
# (iopath record --net --blk --exits -i <its virtio-net>, phase rec of stages/l2.sh) while this L1
# host recorded the L2's QEMU (record --host). L1 counts the guest's packets on tap0 over the whole
# life of that QEMU (guest_tx/rx_packets: exactly the L2 NIC's totals, checks/kvm/60); the L2's
# recording covers its rec phase only. So, per direction, the L2's recorded packets = L1's guest
# packets less those the L2's own NIC counted outside its recording (before the rec phase, from
# its snapshot; after it, from its final totals): no tolerance, every count is exact.
# Both recordings are kept: hostl2/host.rec (L1) and hostl2/l2/labdata/rec/l2.rec (L2).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
D=$LAB_DATA/hostl2; L=$D/l2/labdata
have_phase hostl2 || fail "phase hostl2 did not run"
j=$D/iopath.json
[ -s "$j" ] || fail "hostl2: no host JSON"
have_phase_in() { [ -d "$L/$1/after" ]; }
[ -d "$L" ] || fail "no L2 data in $D/l2 (the L2's outbox)"
have_phase_in rec || fail "the L2 did not run phase rec: $(ls "$L" 2>/dev/null | tr '\n' ' ')"
J=$L/rec/record.json
command -v jq > /dev/null || fail "no jq"
jq -e . "$J" > /dev/null 2>&1 || fail "L2 record.json: $(head -c 200 "$J") $(tail -1 "$L/rec/record.err")"
[ "$(jq -r .command_exit "$J")" = 0 ] || fail "L2 workload under record failed: $(tail -2 "$L/rec/record.err")"
[ -s "$L/rec/l2.rec" ] && [ -s "$D/host.rec" ] || fail "recordings: L2 $(ls -s "$L/rec/l2.rec" 2>&1), host $(ls -s "$D/host.rec" 2>&1)"
v=$(cat "$L/info/virtio_net")
total() { tr -d '\n ' < "$1" | grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2; }
cnt() { awk -v f="$2" '$1 == f {print $2}' "$1"; }
read ntx nrx <<EOT
$(tr -d '\r' < "$D/cmd.log" | sed -n 's/.*nic_total tx=\([0-9]*\) rx=\([0-9]*\).*/\1 \2/p' | tail -1)
EOT
[ -n "$ntx" ] || fail "no nic_total line from the L2"
r=0; out=""
for d in tx rx; do
	g=$(total "$j" guest_${d}_packets)
	b=$(cnt "$L/rec/before/net.$v" ${d}_packets); a=$(cnt "$L/rec/after/net.$v" ${d}_packets)
	f=$ntx; [ $d = rx ] && f=$nrx
	rec=$(jq -r --arg n "$v" --arg d "$d" '[.net.devices[] | select(.name == $n and .dir == $d) | .packets] | add // 0' "$J")
	out="$out $(near "L2-recorded-$d" "$rec" $((g - b - (f - a))) 0) (L1 guest $d $g, L2 NIC before $b, after $((f - a)))" || r=1
done
[ $r = 0 ] && pass "$out$(l2_boots hostl2)" || fail "$out$(l2_boots hostl2)"
