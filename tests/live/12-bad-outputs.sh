# Where record writes, and what survives when it cannot or is stopped (issue 17): one row per output
# target and per way a run ends, each checking its exit code, its stderr line, and that what was
# recorded is not lost. Traffic: N UDP datagrams from namespace A to B over a veth pair this test
# makes; IPv6 off and static neighbours (lib.sh make_veth_pair), so the datagrams are all $VA sends
# and a report's $VA tx packets must equal the interface's tx_packets delta, less only what BPF
# cannot see here (lib.sh blind_start: events raised on top of a PID-1 thread, counted by ftrace).
. "$(dirname "$0")/lib.sh"

N=300
make_veth_pair o 74
SEND="ip netns exec $A $IOPATH workload udp-send 10.253.74.2 9 $N 64"
blind_start "net/net_dev_queue" "name == \"$VA\""
tx() { stat_of $A $VA tx_packets; }

# wait_for SECONDS TEST...: until the test holds (polled every 0.1 s), else fail
wait_for() {
	t=$(( $1 * 10 )); shift
	while ! "$@"; do
		t=$((t - 1)); [ $t -gt 0 ] || fail "waited in vain for: $*"
		sleep 0.1
	done
}
# packets F: the $VA tx packets of a recording (report --json of it), or of a JSON report
vatx() { jq -r --arg n "$VA" '[.net.devices[] | select(.name == $n and .dir == "tx") | .packets] | add // 0' "$1"; }
# holds WHAT GOT SENT: what was recorded is what the interface sent (less what is unseeable)
holds() {
	b=$(blind_peek); b=${b:-0}
	[ "$2" -ge "$N" ] || fail "$1: $VA sent $2 packets, the sender $N"
	[ "$3" -le "$2" ] && [ "$3" -ge $(($2 - b)) ] || fail "$1: recorded $3 $VA tx packets, the interface sent $2 ($b unseeable)"
	ok "$1: $3 of $2 packets $VA sent are in it ($b unseeable)"
}
# one_line PATTERN: stderr of the last run is exactly one line, matching
one_line() {
	[ "$(err_lines "$TMP/err")" = 1 ] && grep -q -- "$1" "$TMP/err" || fail "stderr is not the one line '$1': $(cat "$TMP/err")"
}
chr() { stat -L -c '%F %t:%T' "$1"; }
rec_ok() { "$IOPATH" report --json "$1" > "$TMP/rep.json" 2> "$TMP/rep.err"; }

# --- refused at start: one line, exit 2 (bad input), in well under 2 s (nothing is loaded) ---
mkdir "$TMP/adir"
for row in "-o|$TMP/adir|is a directory" "-o|/nonexistent-iopath/x.rec|no directory /nonexistent-iopath" \
	   "-o|/proc/x.rec|cannot create files in /proc" "--json-file|$TMP/adir|is a directory"; do
	opt=${row%%|*} rest=${row#*|}; path=${rest%%|*} why=${rest#*|}
	t0=$(date +%s%N)
	expect_exit 2 1 -- "$IOPATH" record -d 30 $opt "$path"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	one_line "cannot write $opt $path: $why"
	[ $ms -lt 2000 ] || fail "$opt $path refused after $ms ms, not at start"
	[ ! -s "$TMP/out" ] || fail "$opt $path: printed a report"
done
[ -z "$(ls -A "$TMP/adir")" ] || fail "a refused -o left files in the directory: $(ls -A "$TMP/adir")"
expect_exit 2 1 -- "$IOPATH" record -- no-such-command-iopath
one_line "command 'no-such-command-iopath' not found"

# --- devices: written straight through, the node untouched ---
before=$(chr /dev/full) t0=$(tx)
expect_exit 1 1 -- "$IOPATH" record --net --json -o /dev/full -- sh -c "$SEND > /dev/null"
one_line "recording NOT written to /dev/full: No space left on device"
[ "$(chr /dev/full)" = "$before" ] || fail "/dev/full is now $(chr /dev/full), was $before"
holds "-o /dev/full: the report on stdout, exit 1" $(( $(tx) - t0 )) "$(vatx "$TMP/out")"
before=$(chr /dev/null)
expect_exit 0 1 -- "$IOPATH" record -d 1 -o /dev/null
one_line "recording written to /dev/null"
[ "$(chr /dev/null)" = "$before" ] && [ "$before" = "character special file 1:3" ] || fail "/dev/null is now $(chr /dev/null)"
ok "-o /dev/null: written, still $before"
expect_exit 0 2 -- "$IOPATH" record -d 1 -o /dev/null --checkpoint 5
grep -q "checkpoint: /dev/null is not a regular file, so it cannot be rewritten" "$TMP/err" || fail "no word that checkpoints are off: $(cat "$TMP/err")"

# --- a symlink: its target is written, the link stays ---
mkdir "$TMP/sub"
ln -s sub/target.rec "$TMP/link.rec"
t0=$(tx)
expect_exit 0 1 -- "$IOPATH" record --net -o "$TMP/link.rec" -- $SEND
[ -L "$TMP/link.rec" ] || fail "the symlink was replaced"
rec_ok "$TMP/sub/target.rec" || fail "symlink target not a recording: $(cat "$TMP/rep.err")"
holds "-o symlink: the target" $(( $(tx) - t0 )) "$(vatx "$TMP/rep.json")"

# --- a FIFO and a pipe: written through, read back from a copy ---
# The FIFO has no reader when record starts: it says it waits for one (before tracing), then goes on.
mkfifo "$TMP/fifo"
t0=$(tx)
"$IOPATH" record --net -o "$TMP/fifo" -- $SEND > "$TMP/out" 2> "$TMP/err" & pid=$!
wait_for 60 grep -q "warning: $TMP/fifo: waiting for a reader on this FIFO" "$TMP/err"
timeout 60 cat "$TMP/fifo" > "$TMP/fifo.copy" & cat_pid=$!
rc=0; wait $pid || rc=$?
wait $cat_pid
[ $rc = 0 ] || fail "-o FIFO exited $rc: $(cat "$TMP/err")"
[ "$(err_lines "$TMP/err")" = 2 ] && grep -q "recording written to $TMP/fifo" "$TMP/err" || fail "-o FIFO: stderr $(cat "$TMP/err")"
[ -p "$TMP/fifo" ] || fail "the FIFO was replaced"
rec_ok "$TMP/fifo.copy" || fail "what came through the FIFO is no recording: $(cat "$TMP/rep.err")"
holds "-o FIFO" $(( $(tx) - t0 )) "$(vatx "$TMP/rep.json")"
t0=$(tx)
{ rc=0; "$IOPATH" record --net -o /dev/fd/3 -- $SEND 3>&1 > "$TMP/out" 2> "$TMP/err" || rc=$?; echo $rc > "$TMP/rc"; } |
	cat > "$TMP/pipe.copy"
[ "$(cat "$TMP/rc")" = 0 ] || fail "-o pipe exited $(cat "$TMP/rc"): $(cat "$TMP/err")"
rec_ok "$TMP/pipe.copy" || fail "what came through the pipe is no recording: $(cat "$TMP/rep.err")"
holds "-o /dev/fd/3 (a pipe)" $(( $(tx) - t0 )) "$(vatx "$TMP/rep.json")"

# --- JSON on stdout stays JSON while the command prints; --json-file; the command's exit ---
expect_exit 0 - -- "$IOPATH" record --net --json -- sh -c "echo command-output; $SEND"
jq -e .net "$TMP/out" > /dev/null || fail "--json -- CMD is not JSON: $(head -c 200 "$TMP/out")"
grep -q "^command-output" "$TMP/err" || fail "the command's stdout is not on stderr"
ok "--json -- CMD: stdout is JSON (jq), the command's output on stderr"
expect_exit 0 1 -- "$IOPATH" record --net --json-file "$TMP/r.json" -- $SEND
jq -e .net "$TMP/r.json" > /dev/null || fail "--json-file is not JSON"
grep -q "^iopath record --net" "$TMP/out" || fail "--json-file: no text report on stdout"
ok "--json-file: JSON in the file (jq), text on stdout"
expect_exit 3 1 -- "$IOPATH" record -- false
one_line "the command failed with exit status 1"
expect_exit 3 1 -- "$IOPATH" record -- sh -c 'kill -9 $$'
one_line "the command was killed by signal 9"
expect_exit 0 0 -- "$IOPATH" record -- true
grep -q "^iopath record --net" "$TMP/out" || fail "record -- true printed no report"
expect_exit 3 1 -- "$IOPATH" probes -- false
one_line "iopath probes: the command failed with exit status 1"
expect_exit 0 - -- "$IOPATH" probes --json -- echo command-output   # (+ warnings of what was not counted)
jq -e .summary "$TMP/out" > /dev/null && grep -q "^command-output" "$TMP/err" || fail "probes --json -- CMD is not JSON"

# --- stopped: SIGHUP, SIGKILL after checkpoints, a hung-up terminal, stdout gone ---
# The command sends, says so, then waits to be ended (iopath ends it; after kill -9, this test does).
CMD="$SEND > /dev/null; echo \$\$ > $TMP/cmd.pid; touch $TMP/sent; exec sleep 300"
at_exit "[ -s $TMP/cmd.pid ] && kill \$(cat $TMP/cmd.pid) 2>/dev/null || true"
sent() { [ -e "$TMP/sent" ]; }

rm -f "$TMP/sent"; t0=$(tx)
"$IOPATH" record --net -o "$TMP/hup.rec" -- sh -c "$CMD" > "$TMP/out" 2> "$TMP/err" & pid=$!
wait_for 60 sent
sent_tx=$(( $(tx) - t0 ))
kill -HUP $pid
rc=0; wait $pid 2> /dev/null || rc=$?
[ $rc = 0 ] || fail "record exited $rc after SIGHUP: $(cat "$TMP/err")"
grep -q "^iopath record --net" "$TMP/out" || fail "SIGHUP: no report on stdout"
rec_ok "$TMP/hup.rec" || fail "SIGHUP: no valid recording: $(cat "$TMP/rep.err")"
[ "$(jq -r '.checkpoint // false' "$TMP/rep.json")" = false ] || fail "SIGHUP: the final file says checkpoint"
holds "SIGHUP: exit 0, report printed, the file" $sent_tx "$(vatx "$TMP/rep.json")"

# kill -9 once two checkpoints were written after the traffic (each is a rename: a new inode and
# mtime; the first may have read the maps before the last packet)
ino() { stat -c '%i %.9Y' "$TMP/ck.rec" 2>/dev/null || echo none; }
new_ino() { [ "$(ino)" != "$1" ]; }
rm -f "$TMP/sent"; t0=$(tx)
"$IOPATH" record --net -o "$TMP/ck.rec" --checkpoint 1 -- sh -c "$CMD" > /dev/null 2> "$TMP/err" & pid=$!
wait_for 60 sent
sent_tx=$(( $(tx) - t0 ))
i=$(ino); wait_for 30 new_ino "$i"; i=$(ino); wait_for 30 new_ino "$i"
kill -9 $pid
rc=0; wait $pid 2> /dev/null || rc=$?
[ $rc = 137 ] || fail "record exited $rc, not killed"
kill "$(cat "$TMP/cmd.pid")"
expect_exit 0 0 -- "$IOPATH" report "$TMP/ck.rec"
grep -q "^PARTIAL: a checkpoint of the first" "$TMP/out" || fail "the checkpoint does not say it is partial"
rec_ok "$TMP/ck.rec" && [ "$(jq -r .checkpoint "$TMP/rep.json")" = true ] || fail "report --json of the checkpoint"
holds "kill -9 after checkpoints: the last checkpoint" $sent_tx "$(vatx "$TMP/rep.json")"
ls "$TMP"/*.tmp.* 2>/dev/null && fail "temporary files left behind"

# a dropped SSH session: the terminal hangs up (script's pty master closed), iopath gets SIGHUP and
# its stdout and stderr fail (EIO); the file is still written, whole
rm -f "$TMP/sent"; t0=$(tx)
script -qfc "exec $IOPATH record --net -o $TMP/pty.rec --checkpoint 0 -- sh -c '$CMD'" /dev/null \
	< /dev/null > "$TMP/pty.out" 2>&1 & spid=$!
wait_for 60 sent
sent_tx=$(( $(tx) - t0 ))
kill -9 $spid; wait $spid 2> /dev/null || true
wait_for 30 rec_ok "$TMP/pty.rec"
holds "terminal hung up: the file" $sent_tx "$(vatx "$TMP/rep.json")"

# stdout a pipe whose reader is gone: the file first, then one line, exit 1
rm -f "$TMP/rc"   # (set -e: the exit status is kept with ||)
{ rc=0; "$IOPATH" record -d 1 -o "$TMP/epipe.rec" 2> "$TMP/err" || rc=$?; echo $rc > "$TMP/rc"; } | true
[ "$(cat "$TMP/rc")" = 1 ] || fail "stdout gone: exit $(cat "$TMP/rc"), want 1"
grep -q "report not printed: stdout: Broken pipe (the recording was written)" "$TMP/err" || fail "stdout gone: $(cat "$TMP/err")"
rec_ok "$TMP/epipe.rec" || fail "stdout gone: no valid recording"
ok "stdout gone (EPIPE): exit 1, one line, the recording written"
