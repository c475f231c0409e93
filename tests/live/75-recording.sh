# Recordings: report FILE equals the live output (text and JSON), the file is
# 0600, a damaged file gives one line with a byte offset and exit 1, and a
# recording stopped with SIGINT/SIGTERM/SIGHUP still ends as a valid file
# holding what was gathered.
. "$(dirname "$0")/lib.sh"

"$IOPATH" record --net --blk --workload builtin --packets 5000 -o "$TMP/a.rec" > "$TMP/live.txt"
"$IOPATH" report "$TMP/a.rec" > "$TMP/rep.txt"
cmp -s "$TMP/live.txt" "$TMP/rep.txt" || { diff "$TMP/live.txt" "$TMP/rep.txt" | head; fail "report differs from live text"; }
ok "report == live text ($(wc -l < "$TMP/live.txt") lines)"
"$IOPATH" record --net --workload builtin --packets 5000 -o "$TMP/b.rec" --json > "$TMP/live.json"
"$IOPATH" report --json "$TMP/b.rec" > "$TMP/rep.json"
cmp -s "$TMP/live.json" "$TMP/rep.json" || { diff "$TMP/live.json" "$TMP/rep.json" | head; fail "report --json differs from live"; }
[ "$(jq '[.net.devices[] | select(.packets == 5000)] | length' "$TMP/rep.json")" -ge 2 ] || fail "recording lacks the workload's devices"
ok "report --json == live JSON"
"$IOPATH" diff --json "$TMP/a.rec" "$TMP/b.rec" > "$TMP/diff.json" || fail "diff --json failed"
versioned "$TMP/live.json" "$TMP/rep.json"
# diff: the schema version first; each side names the iopath that recorded it (here, this one)
[ "$(jq -r 'keys_unsorted[0]' "$TMP/diff.json")" = schema_version ] && [ "$(jq .schema_version "$TMP/diff.json")" = 1 ] ||
	fail "diff --json does not open with schema_version 1"
v=$(jqf "$TMP/rep.json" .iopath_version)
[ "$(jq -r .a.iopath_version "$TMP/diff.json")" = "$v" ] && [ "$(jq -r .b.iopath_version "$TMP/diff.json")" = "$v" ] ||
	fail "diff --json sides name $(jq -c '[.a.iopath_version, .b.iopath_version]' "$TMP/diff.json"), the recordings $v"
[ "$(jq '.not_in_recording' "$TMP/rep.json")" = null ] || fail "a recording of this build lacks fields: $(jq -c .not_in_recording "$TMP/rep.json")"
ok "record, report and diff JSON carry schema_version 1; nothing missing from this build's recording"
[ "$(stat -c %a "$TMP/a.rec")" = 600 ] || fail "mode $(stat -c %a "$TMP/a.rec")"

size=$(stat -c %s "$TMP/a.rec")
for cut in 10 100 $((size / 2)) $((size - 1)); do
	head -c $cut "$TMP/a.rec" > "$TMP/cut.rec"
	expect_exit 1 1 -- "$IOPATH" report "$TMP/cut.rec"
	grep -q "byte [0-9]" "$TMP/err" || fail "no byte offset: $(cat "$TMP/err")"
done
cp "$TMP/a.rec" "$TMP/flip.rec"
printf '\377' | dd of="$TMP/flip.rec" bs=1 seek=$((size / 3)) conv=notrunc status=none
expect_exit 1 1 -- "$IOPATH" report "$TMP/flip.rec"
grep -q "checksum mismatch" "$TMP/err" || fail "flipped byte not caught: $(cat "$TMP/err")"
expect_exit 1 1 -- "$IOPATH" report "$TMP/none.rec"
expect_exit 2 1 -- "$IOPATH" report

# Interrupted: SIGINT/SIGTERM/SIGHUP into a 60 s recording of the built-in workload flooding UDP,
# once it runs (its first checkpoint, a second in, is there); the file must be the final one, not
# the checkpoint, and hold packets.
for sig in INT TERM HUP; do
	"$IOPATH" record --net --workload builtin --packets 0 -d 60 -o "$TMP/int.rec" --checkpoint 1 > /dev/null 2>&1 &
	pid=$!
	t=600; until [ -s "$TMP/int.rec" ]; do t=$((t - 1)); [ $t -gt 0 ] || fail "no checkpoint in 60 s"; sleep 0.1; done
	kill -$sig $pid
	rc=0; wait $pid || rc=$?
	[ $rc = 0 ] || fail "record exited $rc after SIG$sig"
	"$IOPATH" report --json "$TMP/int.rec" > "$TMP/int.json" || fail "SIG$sig left no valid recording"
	[ "$(jq -r '.checkpoint // false' "$TMP/int.json")" = false ] || fail "SIG$sig: the file is the checkpoint, not the end"
	p=$(jq '[.net.devices[].packets] | add' "$TMP/int.json")
	[ "$p" -gt 0 ] || fail "SIG$sig recording holds no packets"
	ok "SIG$sig: valid final recording with $p packets"
	rm -f "$TMP/int.rec"
done
ls "$TMP"/*.tmp.* 2>/dev/null && fail "temporary files left behind"
true
