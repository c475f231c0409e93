# hvmemu: the IDE disk's DMA starts that Xen sent to QEMU, against the domU's own count of requests.
# xentrace in dom0 (TRC_HVM_IOPORT_WRITE with the value) from the domU's setup line to its end: a
# write with the start bit (bit 0) to the primary channel's bus-master command port (PIIX BAR 4 +
# 0; the outbox is on the secondary channel, +8) is ata_bmdma_start, once per DMA command, and the
# test disk's every read and write is one (dd's 64 KiB direct I/O: no flush, no split). So the
# count equals /proc/diskstats reads + writes of the test disk over the same window, exactly.
# Also shown: all port accesses to the IDE controller's ports per request.
. "$(dirname "$0")/../../lib/check.sh"
[ "$(getinfo emu)" = 1 ] || skip "no emulated devices in this domU"
X=$DOM0_DATA/xentrace-io.txt
[ -s "$X" ] || fail "no xentrace summary ($(tail -2 "$DOM0_DATA/xentrace.log" 2>/dev/null | tr '\n' ' '))"
lost=$(awk '$1 == "lost" {print $2}' "$X")
[ "$lost" = 0 ] || fail "xentrace lost $lost records: counts would be short"
bm=$(getinfo bmdma); [ -n "$bm" ] || fail "no IDE bus-master base from the domU"
starts=0; ports=0
while read -r k a v n; do
	case $k in
	ioport_write)
		[ $((a)) = $((bm)) ] && [ $((v & 1)) = 1 ] && starts=$((starts + n))
		# the primary channel's ports: taskfile 0x1f0-0x1f7, control 0x3f6, its BMDMA registers
		{ [ $((a)) -ge $((bm)) ] && [ $((a)) -lt $((bm + 8)) ]; } || { [ $((a)) -ge $((0x1f0)) ] && [ $((a)) -le $((0x1f7)) ]; } ||
			[ $((a)) = $((0x3f6)) ] && ports=$((ports + n)) ;;
	ioport_read)
		n=$v   # reads have no value column
		{ [ $((a)) -ge $((bm)) ] && [ $((a)) -lt $((bm + 8)) ]; } || { [ $((a)) -ge $((0x1f0)) ] && [ $((a)) -le $((0x1f7)) ]; } ||
			[ $((a)) = $((0x3f6)) ] && ports=$((ports + n)) ;;
	esac
done < "$X"
d=$(getinfo disk)
f() { awk -v d="$d" -v c="$2" '$3 == d {print $c}' "$1/diskstats"; }
rq=$(( $(f "$LAB_DATA/final" 4) + $(f "$LAB_DATA/final" 8) - $(f "$LAB_DATA/plain/before" 4) - $(f "$LAB_DATA/plain/before" 8) ))
per=$(awk -v a="$ports" -v r="$rq" 'BEGIN {printf "%.1f", r ? a / r : 0}')
out="$(near xentrace.bmdma-starts=$d.requests "$starts" "$rq" 0)"; rc=$?
out="$out (primary channel port accesses $ports = $per per request)"
[ $rc = 0 ] && pass "$out" || fail "$out"
