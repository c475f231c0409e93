# Shared by tools/bench/bench.sh and tools/bench/soak.sh (sourced): the veth pair between
# two namespaces, the loop device, the workloads, the tracers they start and wait for, and
# the removal of all of it on every way out (normal end, failure, Ctrl-C, TERM, HUP).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
IOPATH=${IOPATH:-$ROOT/iopath}
FLOOR=${FLOOR:-$ROOT/build/bench/floor}
OUT=${BENCH_OUT:-$ROOT/build/bench}
TMPB=$(mktemp -d /tmp/iopath-bench.XXXXXX)
# hold.sh from a path without spaces: bpftrace -c splits its command on blanks
cp "$ROOT/tools/bench/hold.sh" "$TMPB/hold"
HOLD=$TMPB/hold
PIDS= NSS= LOOPS= FIFOS= STATS_WAS=

note() { echo "$ME: $*" >&2; }
die() { note "$*"; exit 1; }

cleanup() {
	set +e
	for f in $FIFOS; do printf 'x\n' 1<> "$f"; done 2> /dev/null
	for p in $PIDS; do stop_pid "$p"; done
	for n in $NSS; do ip netns del "$n" 2> /dev/null; done
	for l in $LOOPS; do losetup -d "$l" 2> /dev/null; done
	[ -z "$STATS_WAS" ] || sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS"
	rm -rf "$TMPB"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

ns_now() { date +%s%N; }
# ms between two ns_now values, 0.1 ms resolution
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'; }

# A process that exists and has not exited (an unreaped child is a zombie: it still answers kill -0).
is_running() {
	[ -r "/proc/$1/stat" ] || return 1
	[ "$(sed 's/.*) //' "/proc/$1/stat" 2> /dev/null | cut -c1)" != Z ]
}

# bg NAME CMD...: CMD in the background, stdout/stderr in $TMPB/NAME.out/.err; BGPID is its
# pid (sh forks and execs: the pid is CMD's own), remembered so that cleanup stops it.
bg() {
	local name=$1
	shift
	"$@" > "$TMPB/$name.out" 2> "$TMPB/$name.err" &
	BGPID=$!
	PIDS="$PIDS $BGPID"
}
forget() { PIDS=$(echo " $PIDS " | sed "s/ $1 / /; s/^ *//; s/ *$//"); }

# reap PID SECS WHAT: waits for our child PID to end, at most SECS, then kills it (our child
# cannot be another process until it is reaped, so the pid is safe to signal). RC: its status.
reap() {
	local pid=$1 end=$(($(date +%s) + $2))
	while is_running "$pid"; do
		if [ "$(date +%s)" -ge "$end" ]; then
			note "$3 (pid $pid) did not end within $2 s: killed"
			kill -KILL "$pid" 2> /dev/null || true
			end=$((end + 5))
		fi
		sleep 0.01
	done
	RC=0
	wait "$pid" || RC=$?
	forget "$pid"
}

stop_pid() {
	is_running "$1" && kill -TERM "$1" 2> /dev/null
	reap "$1" 5 "process"
}

# wait_ready PID SECS FILE|PATTERN: until FILE exists (or a line of $TMPB/<out> matches
# PATTERN: "line:NAME.out:PATTERN"), PID is gone, or SECS pass. READY_AT: ns_now then.
wait_ready() {
	local pid=$1 end=$(($(date +%s) + $2)) what=$3
	while :; do
		case $what in
		line:*)
			local f=${what#line:}
			grep -q -- "${f#*:}" "$TMPB/${f%%:*}" 2> /dev/null && break
			;;
		*) [ -e "$what" ] && break ;;
		esac
		is_running "$pid" || return 1
		[ "$(date +%s)" -lt "$end" ] || return 2
		sleep 0.01
	done
	READY_AT=$(ns_now)
}

# --- the veth pair ---
NET=10.253.90
setup_veth() {
	A=iop-bench$$-a B=iop-bench$$-b VA=iopb$$a VB=iopb$$b
	for ns in $A $B; do
		ip netns add $ns
		NSS="$NSS $ns"
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		ip -n $ns link set lo up
	done
	ip -n $A link add $VA type veth peer name $VB netns $B
	ip -n $A link set $VA address 02:90:00:00:00:01
	ip -n $B link set $VB address 02:90:00:00:00:02
	ip -n $A addr add $NET.1/24 dev $VA
	ip -n $B addr add $NET.2/24 dev $VB
	ip -n $A link set $VA up
	ip -n $B link set $VB up
	# static neighbours and no IPv6: nothing but the workload crosses the pair
	ip -n $A neigh add $NET.2 lladdr 02:90:00:00:00:02 dev $VA
	ip -n $B neigh add $NET.1 lladdr 02:90:00:00:00:01 dev $VB
}
va_tx() { ip netns exec $A cat /sys/class/net/$VA/statistics/tx_packets; }

# the sink is listening (a datagram before the bind gets ICMP back, and the connected
# sender then fails with ECONNREFUSED)
wait_listen() { # udp|tcp PORT PID
	local n=0
	until [ -n "$(ip netns exec $B ss -Hln --$1 "sport = :$2" 2> /dev/null)" ]; do
		is_running "$3" || die "the $1 sink did not start: $(cat "$TMPB/sink.err")"
		n=$((n + 1))
		[ $n -lt 1000 ] || die "the $1 sink is not listening on port $2 after 10 s"
		sleep 0.01
	done
}

# udp_run PACKETS SIZE: one burst over the pair. RATE: datagrams per second through the
# sender (each goes through the whole TX and RX path in the kernel before sendmmsg returns
# to it, or is queued to the backlog); GOT: how many the sink received; WL_TX: the sending
# end's tx_packets delta.
udp_run() {
	local sp t0 t1 tx0
	bg sink ip netns exec $B "$IOPATH" workload udp-sink 5201 3600
	sp=$BGPID
	wait_listen udp 5201 $sp
	tx0=$(va_tx)
	t0=$(ns_now)
	ip netns exec $A "$IOPATH" workload udp-send $NET.2 5201 "$1" "$2" > "$TMPB/send.out" 2> "$TMPB/send.err" ||
		die "udp-send failed: $(cat "$TMPB/send.err")"
	t1=$(ns_now)
	WL_TX=$(($(va_tx) - tx0))
	sleep 0.1   # what is still in the backlog reaches the socket
	kill -TERM $sp
	reap $sp 10 "udp sink"
	GOT=$(awk '/^udp received/ { print $3 }' "$TMPB/sink.out")
	RATE=$(awk -v n="$1" -v t=$((t1 - t0)) 'BEGIN { printf "%.1f", n * 1e9 / t }')
}

# tcp_run BYTES: one transfer; RATE in bytes per second (tcp-send returns once the peer
# closed, so every byte was acknowledged).
tcp_run() {
	local sp t0 t1 tx0
	bg sink ip netns exec $B "$IOPATH" workload tcp-sink 5202 3600
	sp=$BGPID
	wait_listen tcp 5202 $sp
	tx0=$(va_tx)
	t0=$(ns_now)
	ip netns exec $A "$IOPATH" workload tcp-send $NET.2 5202 "$1" > "$TMPB/send.out" 2> "$TMPB/send.err" ||
		die "tcp-send failed: $(cat "$TMPB/send.err")"
	t1=$(ns_now)
	WL_TX=$(($(va_tx) - tx0))
	kill -TERM $sp
	reap $sp 10 "tcp sink"
	GOT=$(awk '/^tcp received/ { print $3 }' "$TMPB/sink.out")
	[ "$GOT" = "$1" ] || die "tcp sink received $GOT of $1 bytes"
	RATE=$(awk -v n="$1" -v t=$((t1 - t0)) 'BEGIN { printf "%.1f", n * 1e9 / t }')
}

# --- the loop device ---
# Over a sparse file: a direct read of a hole is answered by the filesystem without disk
# I/O, so a request's cost is the block layer's and the loop driver's CPU path alone (no
# shared virtual disk in the figure), the worst case for a tracer's relative cost.
setup_loop() {
	truncate -s 1G "$TMPB/disk.img"
	LOOP=$(losetup --find --show --direct-io=on "$TMPB/disk.img")
	LOOPS="$LOOPS $LOOP"
	LOOPNAME=${LOOP#/dev/}
	[ "$(cat /sys/block/$LOOPNAME/loop/dio 2> /dev/null)" = 1 ] ||
		die "$LOOP: direct I/O did not switch on (losetup --direct-io=on)"
}
# blk_run REQUESTS: 4 KiB O_DIRECT reads at queue depth 1; RATE: requests per second.
blk_run() {
	local t0 t1
	t0=$(ns_now)
	dd if="$LOOP" of=/dev/null bs=4k count="$1" iflag=direct 2> "$TMPB/dd.err" ||
		die "dd on $LOOP failed: $(cat "$TMPB/dd.err")"
	t1=$(ns_now)
	RATE=$(awk -v n="$1" -v t=$((t1 - t0)) 'BEGIN { printf "%.1f", n * 1e9 / t }')
}

# --- tracers ---
# tracer_start NAME CMD...: a tracer that runs $HOLD (iopath record/probes -- CMD, bpftrace
# -c CMD); waits until it is attached. tracer_start_line NAME PATTERN CMD...: one that says
# so on stdout (libbpf-tools: "Tracing ... Hit Ctrl-C to end."). TPID, READY_MS (start to
# attached). Returns 1 (with one line) when it died or did not attach within 120 s.
tracer_start() {
	local name=$1 t0
	shift
	rm -f "$TMPB/ready" "$TMPB/go"
	mkfifo "$TMPB/go"
	FIFOS="$TMPB/go"
	t0=$(ns_now)
	bg "$name" "$@"
	TPID=$BGPID TSTOP=fifo
	tracer_wait "$name" "$t0" "$TMPB/ready"
}
tracer_start_line() {
	local name=$1 pat=$2 t0
	shift 2
	t0=$(ns_now)
	bg "$name" "$@"
	TPID=$BGPID TSTOP=int
	tracer_wait "$name" "$t0" "line:$name.out:$pat"
}
tracer_wait() {
	local rc=0
	wait_ready $TPID 120 "$3" || rc=$?
	if [ $rc != 0 ]; then
		[ $rc = 1 ] && note "$1 ended before it attached: $(tail -n 1 "$TMPB/$1.err")" ||
			note "$1 did not attach within 120 s"
		stop_pid $TPID
		return 1
	fi
	READY_MS=$(ms_between "$2" "$READY_AT")
}
# tracer_stop NAME: ends the tracer (its held command returns, or SIGINT: both print their
# results and detach), waits for the process to end. STOP_MS: request to exit; RC its status.
tracer_stop() {
	local t0
	t0=$(ns_now)
	if [ "$TSTOP" = fifo ]; then
		printf 'x\n' 1<> "$TMPB/go"
	else
		kill -INT $TPID
	fi
	reap $TPID 120 "$1"
	STOP_MS=$(ms_between "$t0" "$(ns_now)")
	FIFOS=
}

# prog_stats PID: "prog_id run_time_ns run_cnt" for every BPF program PID holds
# (/proc/PID/fdinfo; the counters run with kernel.bpf_stats_enabled=1).
prog_stats() {
	# a bpf_link's fdinfo names its prog_id too, without counters: only program fds count
	awk 'function out() { if (id != "" && c != "") print id, t, c; id = t = c = "" }
	     FNR == 1 { out() }
	     /^prog_id:/ { id = $2 } /^run_time_ns:/ { t = $2 } /^run_cnt:/ { c = $2 }
	     END { out() }' /proc/"$1"/fdinfo/* 2> /dev/null | sort -n
}
# map_info PID: "map_id type max_entries memlock" for every BPF map PID holds
map_info() {
	awk 'function out() { if (id != "") print id, ty, mx, ml; id = ty = mx = ml = "" }
	     FNR == 1 { out() }
	     /^map_id:/ { id = $2 } /^map_type:/ { ty = $2 } /^max_entries:/ { mx = $2 } /^memlock:/ { ml = $2 }
	     END { out() }' /proc/"$1"/fdinfo/* 2> /dev/null | sort -un
}

# need CMD PACKAGE: one line and exit when a tool the harness cannot do without is missing
need() {
	command -v "$1" > /dev/null 2>&1 ||
		die "needs $1 (Debian package $2: apt-get install $2, or tools/install-deps.sh bench)"
}
