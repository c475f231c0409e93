# The comparison of the stage's domUs, made on the host from their suite recordings (one Xen boot,
# as CI runs it): `iopath compare` of every domU's phase recordings succeeds, and every workload
# phase has a column for each domU (PV, PVH, HVM, HVM with emulated devices: those of XEN_GUESTS).
# Its text, JSON and HTML are kept beside the stage's data (compare.txt/.json/.html); the numbers
# in it are each domU's own, checked there against the kernel's counters (xen-domu/70-suite).
# Runs on the host: LAB_OUT (the stage's out dir), IOPATH_BIN, XEN_GUESTS.
: "${LAB_OUT:?}" "${IOPATH_BIN:?}"
set --
n=0
for g in $XEN_GUESTS; do
	for f in "$LAB_OUT/data/$g/labdata/suite"/run.*.rec; do [ -s "$f" ] && set -- "$@" "$f"; done
	n=$((n + 1))
done
[ $# -ge 2 ] || { echo "fewer than 2 suite recordings from '$XEN_GUESTS'"; exit 1; }
"$IOPATH_BIN" compare "$@" --json > "$LAB_OUT/compare.json" 2> "$LAB_OUT/compare.err" &&
	"$IOPATH_BIN" compare "$@" --html "$LAB_OUT/compare.html" > "$LAB_OUT/compare.txt" 2>> "$LAB_OUT/compare.err" ||
	{ echo "compare failed: $(tail -1 "$LAB_OUT/compare.err")"; exit 1; }
out="" r=0
for p in udp-rr udp-stream tcp-bulk blk-rand-qd1 blk-rand-qd16 blk-seq-read blk-seq-write; do
	c=$(jq -r --arg p $p '[.groups[] | select(.phase == $p) | .columns[]] | length' "$LAB_OUT/compare.json")
	e=$(jq -r --arg p $p '[.groups[] | select(.phase == $p) | .explanation[]] | length' "$LAB_OUT/compare.json")
	if [ "$c" = "$n" ]; then out="$out $p:$c-columns,$e-sentences"; else r=1; out="$out $p:$c-columns(want $n)"; fi
done
echo "$# recordings from $n domUs:$out"
exit $r
