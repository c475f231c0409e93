# "Not measured" is not zero. On this kernel (no kprobes, no fentry) no probe that counts the
# notify crossing (a virtio kick, an event-channel send, a doorbell) can attach, so a recording of
# block requests must say so in every output: text "not measured (...)", JSON null with the reason,
# top "n/m", OpenMetrics without the notify series and with iopath_exit_kind_measured 0. Where the
# notify probes do attach (a kernel with kprobes or fentry), the test checks the opposite: a number.
. "$(dirname "$0")/lib.sh"

make_loop 16M
"$IOPATH" probes --json > "$TMP/p.json" 2> /dev/null
attached=$(jq '[.points[] | select(.role == "notify" and .path == "exit" and .status == "attached")] | length' "$TMP/p.json")

"$IOPATH" record --blk --disk "$LOOPNAME" --json -- dd if=/dev/zero of="$LOOP" bs=4k count=200 oflag=direct status=none > "$TMP/r.json"
"$IOPATH" record --blk --disk "$LOOPNAME" -- dd if=/dev/zero of="$LOOP" bs=4k count=200 oflag=direct status=none > "$TMP/r.txt"
cls='.blk.classes[] | select(.op == "write")'
n=$(jq -r "[$cls | .requests] | add" "$TMP/r.json")
[ "$n" -ge 200 ] || fail "only $n write requests traced for 200 writes"
notify=$(jq -r "[$cls | .exits_per_request.notify] | first" "$TMP/r.json")
if [ "$attached" = 0 ]; then
	[ "$notify" = null ] || fail "notify per request is '$notify' with no notify probe attached: want null"
	why=$(jq -r "[$cls | .exits_per_request_not_measured.notify] | first" "$TMP/r.json")
	[ -n "$why" ] && [ "$why" != null ] || fail "no reason for the unmeasured notify kind"
	grep -q 'exits/request:.*not measured' "$TMP/r.txt" || fail "text: $(grep 'exits/request' "$TMP/r.txt" | head -1)"
	grep 'exits/request' "$TMP/r.txt" | grep -q 'notify [0-9]' && fail "text prints a notify count: $(grep 'exits/request' "$TMP/r.txt" | head -1)"
	ok "record: $n requests, notify not measured: $why"
else
	[ "$notify" != null ] || fail "notify probes attached ($attached) but notify per request is null"
	ok "record: $n requests, notify measured ($attached probes): $notify per request"
fi

# top: the exits column. Writes go on for as long as top runs, so its intervals see requests
# however long its set-up takes on a busy machine (no fixed delay).
( while [ ! -e "$TMP/top.done" ]; do dd if=/dev/zero of="$LOOP" bs=4k count=200 oflag=direct status=none; done ) &
WPID=$!
at_exit "touch $TMP/top.done; kill $WPID 2>/dev/null || true"
"$IOPATH" top --blk --disk "$LOOPNAME" -d 4 --interval 1 > "$TMP/top.txt" 2>&1
touch "$TMP/top.done"; wait $WPID
row=$(grep "^$LOOPNAME " "$TMP/top.txt" | head -1)
[ -n "$row" ] || fail "top showed no row for $LOOPNAME: $(cat "$TMP/top.txt")"
exits=$(echo "$row" | awk '{print $(NF - 2)}')   # EXITS/REQ, IRQS/REQ, ERRORS last
if [ "$attached" = 0 ]; then
	[ "$exits" = n/m ] || fail "top EXITS/REQ is '$exits' with no notify probe: want n/m ($row)"
else
	[ "$exits" != n/m ] || fail "top says n/m though notify probes attached"
fi
ok "top: EXITS/REQ $exits"

# serve: no notify series, the gauge says why
command -v curl > /dev/null || fail "no curl (tools/install-deps.sh test)"
serve_start --blk --disk "$LOOPNAME"
dd if=/dev/zero of="$LOOP" bs=4k count=100 oflag=direct status=none
curl -sf "$URL" > "$TMP/m.txt" || fail "no scrape"
gauge=$(sed -n 's/^iopath_exit_kind_measured{kind="notify"} //p' "$TMP/m.txt")
series=$(grep -c '^iopath_blk_exits_total{.*kind="notify"}' "$TMP/m.txt" || true)
if [ "$attached" = 0 ]; then
	[ "$gauge" = 0 ] && [ "$series" = 0 ] || fail "OpenMetrics: measured gauge '$gauge', $series notify series: want 0 and none"
else
	[ "$gauge" = 1 ] || fail "OpenMetrics: notify gauge '$gauge' with notify probes attached"
fi
ok "serve: iopath_exit_kind_measured{kind=\"notify\"} $gauge, $series notify exit series"
