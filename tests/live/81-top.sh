# iopath top during real traffic on a veth pair only this test uses. Not a
# terminal: one plain block per interval, no escapes, the veth device with a
# nonzero packet rate, exit 0 after -d. On a terminal (a pty from script(1)):
# the alternate screen and a hidden cursor while it runs, and the terminal
# restored (alternate screen left, cursor shown last, termios as before)
# whether it ends by -d, by `q` or by SIGTERM.
. "$(dirname "$0")/lib.sh"

command -v script > /dev/null || fail "no script(1) (util-linux)"
make_veth_pair o 75

expect_exit 2 1 -- "$IOPATH" top --interval 0
expect_exit 2 1 -- "$IOPATH" top -d -1
expect_exit 2 1 -- "$IOPATH" top --bogus
expect_exit 0 0 -- "$IOPATH" top --help
grep -q "usage: iopath top" "$TMP/out" || fail "top --help prints no usage"
expect_exit 1 1 -- setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$IOPATH" top
grep -q "needs root" "$TMP/err" || fail "non-root top: $(cat "$TMP/err")"

# Steady traffic: batches of datagrams until the test ends.
ip netns exec $B "$IOPATH" workload udp-sink 5401 120 > /dev/null & SINK=$!
at_exit "kill $SINK 2>/dev/null || true"
sh -c "while [ ! -e $TMP/stop ]; do
	ip netns exec $A $IOPATH workload udp-send 10.253.75.2 5401 2000 200 > /dev/null; sleep 0.05; done" &
LOOP=$!
at_exit "touch $TMP/stop; wait $LOOP 2>/dev/null || true"

# Not a terminal.
rc=0
timeout 60 "$IOPATH" top -d 3 --interval 1 > "$TMP/top.out" 2> "$TMP/top.err" < /dev/null || rc=$?
[ $rc = 0 ] || fail "top exited $rc: $(cat "$TMP/top.err")"
cat "$TMP/top.out"
blocks=$(grep -c '^iopath top ' "$TMP/top.out")
[ "$blocks" -ge 2 ] || fail "$blocks blocks printed in 3 s at 1 s intervals"
! grep -q "$(printf '\033')" "$TMP/top.out" || fail "escape sequences in non-tty output"
rates=$(awk -v d="$VA" '$1 == d && $2 == "tx" && $3 > 0 { print $3 }' "$TMP/top.out" | tr '\n' ' ')
nrates=$(echo $rates | wc -w)
[ "$nrates" -ge 2 ] || fail "$VA tx has a nonzero packets/s in $nrates of $blocks blocks"
ok "non-tty: exit 0, $blocks blocks, $VA tx packets/s per interval: $rates"
# 80 columns: no line wider than 78 (a line of 80 would leave the terminal's cursor in the
# pending-wrap state, where the erase-to-end-of-line top ends each line with clears its last cell)
wide=$(awk 'length($0) > 78' "$TMP/top.out" | head -2)
[ -z "$wide" ] || fail "lines wider than 78 columns: $wide"
ok "every line fits 80 columns (widest $(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$TMP/top.out"))"

# vmstat/iostat: INTERVAL COUNT, then exit 0, exactly COUNT blocks
expect_exit 0 0 -- timeout 60 "$IOPATH" top 0.5 3
[ "$(grep -c '^iopath top ' "$TMP/out")" = 3 ] || fail "top 0.5 3 printed $(grep -c '^iopath top ' "$TMP/out") blocks"
grep -q "interval 0\.[45]" "$TMP/out" || fail "top 0.5 3: not 0.5 s intervals: $(grep -m1 '^iopath top ' "$TMP/out")"
ok "top 0.5 3: 3 blocks at 0.5 s, exit 0"

# --json: one object per interval, one per line; the veth's TX rate over each interval against the
# datagrams the interface counted over the whole run (an upper bound: top starts late, stops early)
tx0=$(stat_of $A $VA tx_packets)
expect_exit 0 0 -- timeout 60 "$IOPATH" top --json --dir tx 1 3
tx1=$(stat_of $A $VA tx_packets)
[ "$(wc -l < "$TMP/out")" = 3 ] || fail "top --json 1 3: $(wc -l < "$TMP/out") lines, want 3"
while read -r line; do echo "$line" | jq -e .devices > /dev/null || fail "not a JSON object per line: $line"; done < "$TMP/out"
n=0; while read -r line; do n=$((n + 1)); echo "$line" > "$TMP/line$n.json"; versioned "$TMP/line$n.json"; done < "$TMP/out"
sum=$(jq -s --arg d "$VA" '[.[].devices[] | select(.name == $d and .dir == "tx") | .packets_per_s * 1] | add // 0 | floor' "$TMP/out")
rx=$(jq -s '[.[].devices[] | select(.dir == "rx")] | length' "$TMP/out")
[ "$rx" = 0 ] || fail "--dir tx: $rx RX rows"
[ "$sum" -gt 0 ] && [ "$sum" -le $((tx1 - tx0)) ] || fail "$VA tx: $sum packets over the intervals, the interface sent $((tx1 - tx0))"
ok "top --json --dir tx 1 3: 3 NDJSON lines, $VA $sum packets over them (interface: $((tx1 - tx0))), no RX rows"

# A terminal. stty -g before and after tells whether termios was restored.
tty_run() {   # tty_run NAME SCRIPT-STDIN-COMMAND TOP-ARGS...
	name=$1 feed=$2; shift 2
	sh -c "$feed" | script -qfec "stty -g > $TMP/$name.stty0; echo \$\$ > $TMP/$name.pid;
		$IOPATH top $*; echo \$? > $TMP/$name.rc; stty -g > $TMP/$name.stty1" /dev/null > "$TMP/$name.tty" &
	TTYJOB=$!
}
tty_check() {   # tty_check NAME WHY
	for i in $(seq 100); do [ -s "$TMP/$1.stty1" ] && break; sleep 0.2; done
	wait $TTYJOB 2>/dev/null || true
	[ "$(cat "$TMP/$1.rc" 2>/dev/null)" = 0 ] || fail "$2: top exited '$(cat "$TMP/$1.rc" 2>/dev/null)'"
	out=$(od -An -c "$TMP/$1.tty" | tr -d ' \n')
	case "$out" in
	*'033[?1049h033[?25l'*) ;;
	*) fail "$2: no alternate screen / hidden cursor at start" ;;
	esac
	# the last bytes top wrote: leave the alternate screen, show the cursor
	case "$out" in
	*'033[?1049l033[?25h') ;;
	*) fail "$2: output does not end with the restore sequence: ...$(echo "$out" | tail -c 60)" ;;
	esac
	[ "$(cat "$TMP/$1.stty0")" = "$(cat "$TMP/$1.stty1")" ] || fail "$2: termios not restored"
	ok "tty, $2: alternate screen entered and left, cursor shown last, termios restored, exit 0"
}

tty_run dur "sleep 10" -d 2 --interval 0.5
tty_check dur "-d 2"
grep -q "$VA" "$TMP/dur.tty" || fail "tty frames never showed $VA"

# q: the keystroke once the first frame is on screen.
tty_run q "for i in \$(seq 150); do grep -q 'q quits' $TMP/q.tty && break; sleep 0.2; done; printf q; sleep 3" \
	--interval 0.5
tty_check q "q pressed"

# SIGTERM to the top process itself.
tty_run term "sleep 15" --interval 0.5
for i in $(seq 150); do grep -q 'q quits' "$TMP/term.tty" 2>/dev/null && break; sleep 0.2; done
# the shell under script execs nothing: top is its child; signal top by pid
TOP=$(ps -o pid= --ppid "$(cat "$TMP/term.pid")" | head -1 | tr -d ' ')
[ -n "$TOP" ] || fail "cannot find the top process under script"
kill -TERM "$TOP"
tty_check term "SIGTERM"
