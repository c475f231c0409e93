# Shared helpers of the live tests (sourced). Each test is one script that
# exits 0 when every check in it held; checks print what they measured.
set -eu
cd "$(dirname "$0")/../.."
IOPATH=${IOPATH:-$PWD/iopath}
TMP=$(mktemp -d /tmp/iopath-live.XXXXXX)
CLEANUP=""
cleanup() { eval "$CLEANUP"; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM
at_exit() { CLEANUP="$1; $CLEANUP"; }

fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
[ "$(id -u)" = 0 ] || fail "live tests need root (they load BPF programs)"
[ -x "$IOPATH" ] || fail "no iopath binary at $IOPATH (run make)"

# jq over a file: jqf FILE FILTER
jqf() { v=$(jq -r "$2" "$1") && [ "$v" != null ] && printf "%s\n" "$v"; }
# versioned FILE...: each is a JSON document that opens with the JSON schema version this
# build writes (out/json.h IOP_JSON_SCHEMA_VERSION) and names the iopath that wrote it.
versioned() {
	for j; do
		[ "$(jq 'keys_unsorted[0]' "$j")" = '"schema_version"' ] || fail "$j: schema_version is not the first key"
		[ "$(jq '.schema_version' "$j")" = 1 ] || fail "$j: schema_version $(jq .schema_version "$j"), want 1"
		jqf "$j" .iopath_version > /dev/null || fail "$j: no iopath_version"
	done
}

# err_lines FILE: stderr lines that are not the recursion-guard warning (see expect_exit).
err_lines() { grep -cv '^iopath: warning: .*recursion guard' "$1" || true; }

# expect_exit CODE STDERR-LINES -- command...: exit code and number of
# stderr lines (bad input gets exactly one clear line).
expect_exit() {
	want=$1 lines=$2; shift 3
	set +e
	"$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	set -e
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, want $want: $(cat "$TMP/err")"
	# The kernel's BPF recursion guard skips a handler when a tracepoint fires inside another
	# handler on the same CPU (an IRQ landing mid-run): a chance event iopath must report (one
	# "recursion guard" warning) but that says nothing about how the bad input was handled, so
	# that one kind of line is not counted (CI stop 22 failed on exactly this).
	n=$(err_lines "$TMP/err")
	[ "$lines" = "-" ] || [ "$n" = "$lines" ] || fail "'$*' wrote $n stderr lines, want $lines: $(cat "$TMP/err")"
	ok "'$*' -> exit $rc $(head -c 120 "$TMP/err")"
}

# A network namespace of our own, removed on exit.
make_netns() {
	NS=iop-t$$-$1
	ip netns add "$NS"
	at_exit "ip netns del $NS 2>/dev/null || true"
	ip -n "$NS" link set lo up
}

# A loop device over a sparse file, detached on exit.
make_loop() {
	truncate -s "${1:-64M}" "$TMP/disk.img"
	LOOP=$(losetup --find --show --direct-io=on "$TMP/disk.img")
	at_exit "losetup -d $LOOP 2>/dev/null || true"
	LOOPNAME=${LOOP#/dev/}
}

# Events BPF is not given on this machine. On the sandbox VMs this project is developed and tested
# on, BPF programs (raw_tp, tp_btf and perf-event tracepoint programs alike) do not run while a
# thread of PID 1 (the VM's supervisor, process_api) is the current task, interrupts and softirqs
# on top of it included, while ftrace records those events (measured: every block_rq_complete
# BPF missed, 0-14 per 20 000, had a process_api thread as current; none other did). So a test can
# bound what iopath misses by what ftrace saw raised on top of PID 1: blind_start "EVENTS" [FILTER]
# (tracefs events, e.g. block/block_rq_complete, and an ftrace filter on their fields, or none)
# counts, in a tracing instance of the test's own, the EVENTS matching FILTER while a thread of
# PID 1 is current; blind_count prints how many, all events together. Where PID 1 is an ordinary
# init, BPF sees those events and nothing is missed, so the bound still holds. BLIND is empty
# (blind_count: "") without tracefs.
blind_start() {
	local t=/sys/kernel/tracing pids e f
	BLIND= BLIND_EV=
	[ -d $t/instances ] || mount -t tracefs nodev $t 2> /dev/null || return 0
	for e in $1; do [ -d $t/events/$e ] || return 0; done
	pids=$(ls /proc/1/task | sed 's/^/common_pid == /' | paste -sd '|' | sed 's/|/ || /g')
	f="($pids)"; [ -z "${2:-}" ] || f="($2) && $f"
	mkdir $t/instances/iopath-blind-$$ 2> /dev/null || return 0
	BLIND=$t/instances/iopath-blind-$$ BLIND_EV=$1
	at_exit "for e in $1; do echo 0 > $BLIND/events/\$e/enable; done 2>/dev/null; rmdir $BLIND 2>/dev/null || true"
	for e in $1; do
		echo "$f" > $BLIND/events/$e/filter && echo 1 > $BLIND/events/$e/enable || { BLIND=; return 0; }
	done
}
blind_peek() { # the count so far, the events staying on
	[ -n "$BLIND" ] || return 0
	grep -vc '^#' $BLIND/trace || true
}
blind_count() {
	local e
	[ -n "$BLIND" ] || return 0
	for e in $BLIND_EV; do echo 0 > $BLIND/events/$e/enable; done
	grep -vc '^#' $BLIND/trace || true
}

# Writes completed for a block device (field 8 of /proc/diskstats).
disk_writes() { awk -v d="$1" '$3 == d { print $8 }' /proc/diskstats; }

# make_veth_pair TAG SUBNET_BYTE: two namespaces A and B (removed on exit)
# joined by a veth pair VA/VB with 10.253.SUBNET.1/.2, IPv6 off and static
# neighbours, so nothing but the test's own traffic crosses it.
make_veth_pair() {
	A=iop-$1$$-a B=iop-$1$$-b VA=iop$1$$a VB=iop$1$$b
	for ns in $A $B; do
		ip netns add $ns
		at_exit "ip netns del $ns 2>/dev/null || true"
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		ip -n $ns link set lo up
	done
	ip -n $A link add $VA type veth peer name $VB netns $B
	ip -n $A link set $VA address 02:$2:00:00:00:01
	ip -n $B link set $VB address 02:$2:00:00:00:02
	ip -n $A addr add 10.253.$2.1/24 dev $VA
	ip -n $B addr add 10.253.$2.2/24 dev $VB
	ip -n $A link set $VA up
	ip -n $B link set $VB up
	ip -n $A neigh add 10.253.$2.2 lladdr 02:$2:00:00:00:02 dev $VA
	ip -n $B neigh add 10.253.$2.1 lladdr 02:$2:00:00:00:01 dev $VB
}
stat_of() { ip netns exec $1 cat /sys/class/net/$2/statistics/$3; }

# serve_start [ARGS...]: iopath serve on a free loopback port it picks, stopped at exit; sets SPID,
# PORT and URL (http://127.0.0.1:PORT/metrics) once it says it is serving (stderr in $TMP/serve.err).
serve_start() {
	"$IOPATH" serve --listen 127.0.0.1:0 "$@" > "$TMP/serve.out" 2> "$TMP/serve.err" &
	SPID=$!
	at_exit "kill $SPID 2>/dev/null || true"
	for i in $(seq 150); do
		grep -q '^iopath: serving ' "$TMP/serve.err" && break
		kill -0 $SPID 2>/dev/null || fail "serve died: $(cat "$TMP/serve.err")"
		sleep 0.2
	done
	PORT=$(sed -n 's|^iopath: serving http://127\.0\.0\.1:\([0-9]*\)/metrics.*|\1|p' "$TMP/serve.err")
	[ -n "$PORT" ] || fail "serve did not say where it listens: $(cat "$TMP/serve.err")"
	URL=http://127.0.0.1:$PORT/metrics
}
