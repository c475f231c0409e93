# The traced tasks' crossings around the I/O path (record --exits -- CMD): tests/taskload.c makes
# a known number of getppid syscalls, writes fresh pages and sleeps; iopath's counts for it are
# checked against those numbers and against the kernel's own context-switch counts of the child.
# A busy process outside the scope must not be counted; children join the scope; without a
# command or --pid the rows are not measured (null + reason), never 0. diff and compare of the
# recordings say the reports' numbers: diff pairs the counts (the N getppid calls are its B-A),
# compare divides them by seconds and by every packet of the recording as the report does, and a
# recording without traced tasks is n/m with why there, never 0.
. "$(dirname "$0")/lib.sh"

cc -O2 -static -o "$TMP/taskload" tests/taskload.c 2> /dev/null || cc -O2 -o "$TMP/taskload" tests/taskload.c ||
	fail "cannot build tests/taskload.c"
T=$TMP/taskload
rec() { # rec NAME CMD...: record --exits --json -o NAME.rec, the traced command's stdout in NAME.out
	local n=$1; shift
	"$IOPATH" record --exits --json -o "$TMP/$n.rec" -- "$@" > "$TMP/$n.json" 2> "$TMP/$n.out" ||
		fail "record -- $*: $(tail -n 3 "$TMP/$n.out")"
}
cnt() { jqf "$TMP/$1.json" ".exits.tasks.$2.count" || fail "$1: no tasks.$2.count: $(jq -c .exits.tasks "$TMP/$1.json")"; }

# Syscalls: the same binary with 0 and with N getppid calls. Both runs make the same start-up
# syscalls (static binary: a few dozen), the same 50 sleeps and the same status read; the child's
# read on record's start pipe may fall before or after its pid is put in the scope (one syscall
# per run), and the run with 0 calls was seen making 4 more of its other syscalls than the one
# with N (78 vs 74 besides the getppid calls; its sleeps end on another tick). So N +-10.
N=20000
rec base "$T" 0 0 50
rec calls "$T" $N 0 50
b=$(cnt base syscalls) c=$(cnt calls syscalls)
d=$((c - b)); [ $d -ge $((N - 10)) ] && [ $d -le $((N + 10)) ] || fail "syscalls: $c with $N getppid, $b without: difference $d, want $N +-10"
ok "syscalls: $c with $N getppid calls, $b without: difference $d (want $N +-10)"
# absolute: at least N, and the start-up of a static binary is well under 300 syscalls
[ "$c" -ge $N ] && [ "$c" -le $((N + 300)) ] || fail "syscalls $c for $N getppid + start-up (want $N..$((N + 300)))"
[ "$(jqf "$TMP/calls.json" .exits.tasks.syscalls.how)" = measured ] || fail "syscalls not 'measured'"

# Page faults: 2000 fresh pages written once each: at least one user fault per page.
P=2000
rec pages "$T" 0 $P 0
pu=$(cnt pages page_faults_user)
[ "$pu" -ge $P ] || fail "page_faults_user $pu for $P fresh pages touched (want >= $P)"
ok "page faults: $pu user (>= $P fresh pages), $(cnt pages page_faults_kernel) kernel"

# Context switches: the child's own /proc count (voluntary + nonvoluntary, from its fork to the
# read just before it exits) against iopath's switches away from it (from when its pid is in the
# scope, before exec, to its exit). They differ by what falls outside one of the two windows: the
# child blocking on record's start pipe before it is in the scope (/proc only, at most 1) and a
# preemption between its status read and its exit (iopath only, at most 1 here); +-3.
sw=$(cnt calls context_switches)
ps=$(awk '/^ctxsw/ { print $2 }' "$TMP/calls.out")
[ -n "$ps" ] || fail "taskload printed no ctxsw: $(cat "$TMP/calls.out")"
[ $((sw - ps)) -le 3 ] && [ $((ps - sw)) -le 3 ] || fail "context switches: iopath $sw, the child's /proc/self/status $ps (want +-3)"
[ "$sw" -ge 50 ] || fail "context switches $sw for 50 sleeps"
ok "context switches: iopath $sw, the child's voluntary+nonvoluntary_ctxt_switches $ps"

# Outside the scope: a busy process making syscalls the whole time is not counted. It makes them
# until killed (10^12 getppid calls: days here), so it outlasts the recording on any machine; 3 M
# once ended first, at a few M/s.
"$T" 1000000000000 0 0 > /dev/null & BUSY=$!
at_exit "kill $BUSY 2>/dev/null || true"
rec busy "$T" 0 0 50
kill -0 $BUSY 2> /dev/null || fail "the busy process ended before the recording did"
kill $BUSY; wait $BUSY 2> /dev/null || true
o=$(cnt busy syscalls)
# the same +-10 as above: the busy process makes millions of syscalls meanwhile, so any leak shows
[ $((o - b)) -le 10 ] && [ $((b - o)) -le 10 ] || fail "syscalls $o with a busy process outside the scope, $b without (want +-10)"
ok "a busy process outside the scope is not counted: $o syscalls (alone: $b)"

# --pid alone (no network path needed with --exits): a running process is the traced task. It
# makes getppid calls all through the 1 s recording: at least 1000 (it makes ~1 M/s here; the
# bound only says the process was counted at all, and the run was not cut short).
"$T" 1000000000000 0 0 > /dev/null & BG=$!
at_exit "kill $BG 2>/dev/null || true"
"$IOPATH" record --exits --json --pid $BG -d 1 > "$TMP/pid.json" 2> /dev/null || fail "record --exits --pid $BG -d 1"
kill $BG; wait $BG 2> /dev/null || true
p=$(cnt pid syscalls)
[ "$p" -ge 1000 ] || fail "--pid $BG: $p syscalls in 1 s of a getppid loop"
[ "$(jqf "$TMP/pid.json" .exits.tasks.pid)" = $BG ] || fail "--pid: tasks.pid $(jq .exits.tasks.pid "$TMP/pid.json")"
ok "--pid $BG: $p syscalls in 1 s ($(jqf "$TMP/pid.json" .exits.tasks.scope))"

# Children join through sched_process_fork and leave when they end.
rec kids sh -c "$T $N 0 0; $T $N 0 0; true"
k=$(cnt kids syscalls)
[ "$k" -ge $((2 * N)) ] || fail "syscalls $k for two children of $N getppid each"
[ "$(jqf "$TMP/kids.json" .exits.tasks.joined)" -ge 2 ] || fail "children joined: $(jq -c .exits.tasks "$TMP/kids.json")"
[ "$(jqf "$TMP/kids.json" .exits.tasks.ended)" -ge 2 ] || fail "children ended: $(jq -c .exits.tasks "$TMP/kids.json")"
ok "children: $k syscalls, $(jqf "$TMP/kids.json" .exits.tasks.joined) joined, $(jqf "$TMP/kids.json" .exits.tasks.ended) ended"

# Not measured is not zero: no Xen PV here (null + reason), and the derived line follows the
# model for this platform; the text says so too.
[ "$(jq -r .exits.tasks.pv_multicalls.count "$TMP/calls.json")" = null ] || fail "pv_multicalls has a count here"
jqf "$TMP/calls.json" .exits.tasks.pv_multicalls.reason > /dev/null || fail "pv_multicalls: no reason"
jqf "$TMP/calls.json" .exits.tasks.crossings_derived.how > /dev/null || fail "no crossings_derived"
"$IOPATH" record --exits -- "$T" 100 0 0 > "$TMP/t.txt" 2>&1 || fail "record (text)"
grep -q "pv_multicalls *not measured (" "$TMP/t.txt" || fail "text: pv_multicalls not 'not measured': $(grep -A9 'around the I/O' "$TMP/t.txt")"
grep -q "crossings derived from the model: " "$TMP/t.txt" || fail "text: no derived line"
ok "text: $(grep 'crossings derived' "$TMP/t.txt" | head -c 160)"
# No command, no --pid: the task tracepoints are not attached and every row says why.
"$IOPATH" record --exits --json -d 1 > "$TMP/none.json" 2> /dev/null || fail "record --exits -d 1"
[ "$(jq -r .exits.tasks.syscalls.count "$TMP/none.json")" = null ] || fail "syscalls counted without traced tasks"
jq -r .exits.tasks.syscalls.reason "$TMP/none.json" | grep -q -- "-- CMD or --pid" || fail "no reason without traced tasks"
jq -e '[.probes.points[] | select(.symbol == "sys_enter")] | length == 0' "$TMP/none.json" > /dev/null ||
	fail "raw_syscalls:sys_enter resolved without traced tasks"
ok "without traced tasks: not measured ($(jq -r .exits.tasks.syscalls.reason "$TMP/none.json")), sys_enter not attached"

# diff of the runs with 0 and N getppid calls: the counts are the reports' own, B-A the N calls.
"$IOPATH" diff --json "$TMP/base.rec" "$TMP/calls.rec" > "$TMP/d.json" || fail "diff base calls"
"$IOPATH" diff "$TMP/base.rec" "$TMP/calls.rec" > "$TMP/d.txt" || fail "diff base calls (text)"
drow() { jq -c --arg m "$2" '[.sections[] | select(.name == "around the I/O path (the traced tasks)") | .rows[] |
	select(.metric == $m)][0]' "$1"; }
# near A B: equal but for the JSON numbers' 6 significant digits
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-5 * (b < 0 ? -b : b) + 1e-9) }'; }
r=$(drow "$TMP/d.json" syscalls)
[ "$(echo "$r" | jq .a)" = "$b" ] && [ "$(echo "$r" | jq .b)" = "$c" ] || fail "diff syscalls row $r, reports $b and $c"
[ "$(echo "$r" | jq .delta)" = "$d" ] || fail "diff syscalls delta $(echo "$r" | jq .delta), want $d"
[ "$(echo "$r" | jq -r .b_verdict)" = "$(jqf "$TMP/calls.json" .exits.tasks.syscalls.model_verdict)" ] ||
	fail "diff verdict $(echo "$r" | jq -r .b_verdict), report $(jqf "$TMP/calls.json" .exits.tasks.syscalls.model_verdict)"
near "$(drow "$TMP/d.json" syscalls/s | jq .b)" "$(jqf "$TMP/calls.json" .exits.tasks.syscalls.per_s)" ||
	fail "diff syscalls/s $(drow "$TMP/d.json" syscalls/s | jq .b), report $(jqf "$TMP/calls.json" .exits.tasks.syscalls.per_s)"
[ "$(drow "$TMP/d.json" context_switches)" = null ] || fail "JSON metric named by the key, not the label"
near "$(drow "$TMP/d.json" "context switches" | jq .b)" "$sw" || fail "diff context switches $(drow "$TMP/d.json" "context switches")"
# no path recorded: no per packet or per request row
[ "$(drow "$TMP/d.json" syscalls/packet)" = null ] || fail "a syscalls/packet row without --net"
grep -qE "^  syscalls +$b +$c +\+$d +" "$TMP/d.txt" || fail "diff text: $(grep '^  syscalls ' "$TMP/d.txt")"
ok "diff: syscalls $b vs $c (+$d: the $N getppid calls), per second and verdict ($(echo "$r" | jq -r .b_verdict)) as the reports say"

# compare of the same two: the per-second section, as the reports divide
"$IOPATH" compare --json "$TMP/base.rec" "$TMP/calls.rec" > "$TMP/c.json" || fail "compare base calls"
cval() { jq -r --arg t "$2" --arg r "$3" --argjson c "$4" \
	'[.groups[0].sections[] | select(.title == $t) | .rows[] | select(.name == $r) | .values[$c]][0]' "$1"; }
for col in 0 1; do
	j=$([ $col = 0 ] && echo base || echo calls)
	near "$(cval "$TMP/c.json" "around the I/O path, per second" syscalls/s $col)" "$(jqf "$TMP/$j.json" .exits.tasks.syscalls.per_s)" ||
		fail "compare $j syscalls/s $(cval "$TMP/c.json" "around the I/O path, per second" syscalls/s $col), report $(jqf "$TMP/$j.json" .exits.tasks.syscalls.per_s)"
done
! jq -e '.groups[0].sections[] | select(.title == "around the I/O path, per packet")' "$TMP/c.json" > /dev/null ||
	fail "a per-packet section with no network path recorded"
ok "compare: syscalls/s $(cval "$TMP/c.json" "around the I/O path, per second" syscalls/s 0) and $(cval "$TMP/c.json" "around the I/O path, per second" syscalls/s 1), the reports' per_s"

# Per packet: N getppid calls and 400 datagrams over the loopback of a namespace of the test's
# own (the sink started outside the scope), so the traced command's syscalls are N and a few more;
# compare and diff divide them by every packet of the recording (400 sent + 400 received on lo).
make_netns tasks
ip netns exec $NS "$IOPATH" workload udp-sink 7304 6 > /dev/null & SK=$!
at_exit "kill $SK 2>/dev/null || true"
sleep 0.3
ip netns exec $NS "$IOPATH" record --net -i lo --exits --json -o "$TMP/net.rec" -- sh -c \
	"'$T' $N 0 0 > /dev/null && '$IOPATH' workload udp-send 127.0.0.1 7304 400 512" > "$TMP/net.json" 2> /dev/null ||
	fail "record --net -i lo --exits -- taskload and udp-send"
pk=$(jq '[.net.devices[] | .packets] | add' "$TMP/net.json")
[ "$pk" = 800 ] || fail "$pk packets recorded on lo for 400 datagrams (want 400 TX + 400 RX)"
ns=$(cnt net syscalls)
[ "$ns" -ge $N ] && [ "$ns" -le $((N + 600)) ] || fail "syscalls $ns for $N getppid, a shell and udp-send (want $N..$((N + 600)))"
"$IOPATH" compare --json "$TMP/net.rec" "$TMP/base.rec" > "$TMP/cn.json" || fail "compare net base"
pp=$(cval "$TMP/cn.json" "around the I/O path, per packet" syscalls/packet 0)
near "$pp" "$(jqf "$TMP/net.json" .exits.tasks.syscalls.per_packet)" || fail "compare syscalls/packet $pp, report $(jqf "$TMP/net.json" .exits.tasks.syscalls.per_packet)"
near "$pp" "$(echo "$ns / 800" | bc -l)" || fail "compare syscalls/packet $pp, $ns syscalls / 800 packets"
[ "$(cval "$TMP/cn.json" "around the I/O path, per packet" syscalls/packet 1)" = null ] || fail "base (no --net) has a per-packet value"
jq -e '[.groups[0].sections[] | select(.title == "around the I/O path, per packet") | .rows[] |
	select(.name == "syscalls/packet") | .not_measured[1]][0] == "recorded without --net"' "$TMP/cn.json" > /dev/null ||
	fail "no 'recorded without --net' for the base column's per-packet cell"
"$IOPATH" diff --json "$TMP/net.rec" "$TMP/base.rec" > "$TMP/dn.json" || fail "diff net base"
near "$(drow "$TMP/dn.json" syscalls/packet | jq .a)" "$pp" || fail "diff syscalls/packet $(drow "$TMP/dn.json" syscalls/packet), compare $pp"
ok "per packet: $ns syscalls ($N getppid + the rest) / $pk packets = $pp in compare, diff and the report"

# A recording without traced tasks: n/m with the reason in diff and compare, never 0.
"$IOPATH" record --exits -d 1 -o "$TMP/none.rec" > /dev/null 2>&1 || fail "record --exits -d 1 -o"
"$IOPATH" diff --json "$TMP/calls.rec" "$TMP/none.rec" > "$TMP/dx.json" || fail "diff calls none"
r=$(drow "$TMP/dx.json" syscalls)
[ "$(echo "$r" | jq .b)" = null ] && echo "$r" | jq -r .b_why | grep -q -- "-- CMD or --pid" || fail "diff without traced tasks: $r"
"$IOPATH" compare --json "$TMP/calls.rec" "$TMP/none.rec" > "$TMP/cx.json" || fail "compare calls none"
[ "$(cval "$TMP/cx.json" "around the I/O path, per second" syscalls/s 1)" = null ] || fail "compare: a syscalls/s value without traced tasks"
bad=$(jq '[.groups[].sections[].rows[] | . as $r | range(0; .values | length) |
	select(($r.values[.] == null) != ($r.not_measured[.] != null))] | length' "$TMP/cx.json")
[ "$bad" = 0 ] || fail "compare: $bad values where null and a reason do not go together"
ok "without traced tasks: diff b null ($(echo "$r" | jq -r .b_why)), compare null with its reason"
