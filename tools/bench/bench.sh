#!/bin/sh
# make bench: what tracing costs, as figures measured in one run and never asserted
# (tools/bench/README.md). Every traced figure is a ratio to an untraced run of the same
# round; the configurations of a section alternate within each round (A B C .. A B C ..,
# the order rotated every round), so drift on a busy machine hits them all alike. Each
# figure: median, min-max and IQR over the rounds. Results: $OUT/results.{json,txt,svg},
# compared with tools/bench/baseline.json. Sections (BENCH_SECTIONS):
#   udp      datagrams/s over a veth pair: untraced, iopath probes (the same tracepoints
#            attached, hits counted, no path logic), iopath record --net, --deep, --stacks,
#            bpftrace (tools/bench/netstages.bt), libbpf-tools softirqs, hardirqs
#   tcp      bytes/s of a TCP transfer over the pair, the same tracers
#   blk      4 KiB O_DIRECT reads/s at QD1 on a loop device: untraced, iopath record --blk
#            --disk (also with --exits: the traced tasks' rows, the reads outside and inside the
#            scope), libbpf-tools biolatency
#   budget   the same UDP and block workloads in runs long enough for record --budget 5's
#            windows (~10 s): untraced, --budget 5 (BENCH_BUDGET), and the default record
#   perhit   ns per probe hit of each iopath program (kernel.bpf_stats_enabled) beside an
#            empty program on the same tracepoint in the same run (tools/bench/floor.bpf.c)
#   startup  calibrate+resolve, load, attach, detach of every profile that applies here
#   report   report/diff time and peak memory on recordings of >= 1 M and >= 10 M probe hits
# Environment: BENCH_QUICK=1 (2 rounds, smaller workloads, no tcp section, no per-hit
# --stacks, no --stacks recording: ~3-5 min), BENCH_ROUNDS (every section),
# BENCH_UDP_PACKETS, BENCH_UDP_SIZE, BENCH_TCP_BYTES, BENCH_BLK_REQS, BENCH_SECTIONS,
# BENCH_BUDGET, BENCH_BUDGET_PACKETS, BENCH_BUDGET_REQS, BENCH_BASELINE (file to compare with), BENCH_SAVE_BASELINE=1 (write this run as
# tools/bench/baseline.json), BENCH_NOTE (machine state, kept in the results).
ME=bench
. "$(dirname "$0")/lib.sh"

QUICK=${BENCH_QUICK:-0}
# Throughput ratios get the most rounds: they carry the machine's noise. A per-hit figure
# is already a mean over 10^4-10^5 hits, start-up and report times vary little: fewer.
if [ "$QUICK" = 1 ]; then
	ROUNDS=${BENCH_ROUNDS:-2} ROUNDS_FEW=${BENCH_ROUNDS:-2} UDP_N=${BENCH_UDP_PACKETS:-100000}
	TCP_BYTES=${BENCH_TCP_BYTES:-300000000} BLK_N=${BENCH_BLK_REQS:-10000}
	SECTIONS=${BENCH_SECTIONS:-udp blk perhit startup report} PERHIT_CFGS="net blk"
else
	ROUNDS=${BENCH_ROUNDS:-5} ROUNDS_FEW=${BENCH_ROUNDS:-3} UDP_N=${BENCH_UDP_PACKETS:-150000}
	TCP_BYTES=${BENCH_TCP_BYTES:-500000000} BLK_N=${BENCH_BLK_REQS:-20000}
	SECTIONS=${BENCH_SECTIONS:-udp tcp blk budget perhit startup report} PERHIT_CFGS="net stacks blk"
fi
PKT=${BENCH_UDP_SIZE:-64}
BASELINE=${BENCH_BASELINE:-$ROOT/tools/bench/baseline.json}
# per-hit runs need hits, not a long run
PERHIT_UDP=$((UDP_N / 3)) PERHIT_BLK=$((BLK_N / 2))
# --budget runs: ~10 s untraced, so a run holds several of its cycles (a 1 s window and its pause)
BUDGET_UDP_N=${BENCH_BUDGET_PACKETS:-1500000} BUDGET_BLK_N=${BENCH_BUDGET_REQS:-240000}
BUDGET=${BENCH_BUDGET:-5}   # the --budget of the budget section, % of all CPUs

[ "$(id -u)" = 0 ] || die "needs root (it loads BPF programs and makes namespaces and a loop device)"
[ -x "$IOPATH" ] || die "no iopath binary at $IOPATH (run make)"
need ip iproute2
need ss iproute2
need jq jq
need losetup util-linux
need bpftool bpftool
need bash bash
need /usr/bin/time time
case " $SECTIONS " in *" perhit "*) [ -x "$FLOOR" ] || die "no $FLOOR (make build/bench/floor, or make bench)" ;; esac

# The comparison tools are optional: one line each when missing, their rows left out.
SKIPPED=
skip() { note "$1: $2"; SKIPPED="$SKIPPED$1: $2
"; }
have() {
	case $1 in
	untraced | iopath_* | floor) return 0 ;;
	bpftrace) command -v bpftrace > /dev/null 2>&1 ;;
	*) command -v "$1" > /dev/null 2>&1 ;;
	esac
}
for t in bpftrace softirqs hardirqs biolatency; do
	if ! have $t; then
		case $t in bpftrace) p=bpftrace ;; *) p=libbpf-tools ;; esac
		skip $t "not installed (apt-get install $p, or tools/install-deps.sh bench): its rows are left out"
	fi
done

mkdir -p "$OUT/logs" "$OUT/rec"
rm -f "$OUT/meta.tsv" "$OUT/samples.tsv" "$OUT"/logs/*
: > "$OUT/meta.tsv"
: > "$OUT/samples.tsv"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)

# figure ID UNIT BETTER WHAT: declares a figure (better: higher, lower or none)
figure() {
	awk -F'\t' -v id="$1" '$1 == id { f = 1 } END { exit !f }' "$OUT/meta.tsv" ||
		printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$OUT/meta.tsv"
}
# sample ID VALUE: one measurement of a figure in round $ROUND (a value that is not a
# number is a measurement that failed: said, and not kept)
sample() {
	case $2 in
	'' | *[!0-9.e+-]* | *.*.*) note "$1 round $ROUND: '$2' is not a measurement: not kept" ;;
	*) printf '%s\t%s\t%s\n' "$1" "$ROUND" "$2" >> "$OUT/samples.tsv" ;;
	esac
}
# rotate N WORD...: the words, starting at the Nth (mod count)
rotate() {
	local n=$1
	shift
	local k=$(((n - 1) % $#)) i=0 w out=
	for w in "$@"; do
		[ $i -lt $k ] && out="$out $w" || printf '%s ' "$w"
		i=$((i + 1))
	done
	echo "$out"
}
keep_log() { cp "$TMPB/$1.out" "$OUT/logs/$2.out" 2> /dev/null || true; cp "$TMPB/$1.err" "$OUT/logs/$2.err" 2> /dev/null || true; }

cfg_what() {
	case $1 in
	untraced) echo "no tracer" ;;
	iopath_probes) echo "iopath probes -p net-stack -p irq (attached, hits counted, no path logic)" ;;
	iopath_net) echo "iopath record --net" ;;
	iopath_deep) echo "iopath record --net --deep" ;;
	iopath_stacks) echo "iopath record --net --stacks" ;;
	iopath_budget) echo "iopath record --net --budget $BUDGET (probes on in windows, within $BUDGET% of the CPUs)" ;;
	iopath_blk_budget) echo "iopath record --blk --budget $BUDGET --disk LOOP" ;;
	iopath_blk) echo "iopath record --blk --disk LOOP" ;;
	iopath_blk_exits) echo "iopath record --blk --exits --disk LOOP -- CMD (task rows for CMD; the reads outside the scope)" ;;
	iopath_blk_tasks) echo "iopath record --blk --exits --pid BENCH --disk LOOP (task rows; the reads in the scope)" ;;
	bpftrace) echo "bpftrace netstages.bt (per-packet stage histograms)" ;;
	softirqs) echo "libbpf-tools softirqs (time per softirq vector)" ;;
	hardirqs) echo "libbpf-tools hardirqs (time per hard IRQ line)" ;;
	biolatency) echo "libbpf-tools biolatency -d LOOP" ;;
	esac
}

# start_cfg CFG: starts CFG's tracer and waits until it is attached (nothing for untraced)
start_cfg() {
	local h="$HOLD $TMPB/ready $TMPB/go"
	case $1 in
	untraced) return 0 ;;
	iopath_probes) tracer_start $1 "$IOPATH" probes -p net-stack -p irq --json -- $h ;;
	iopath_net) tracer_start $1 "$IOPATH" record --net --json -- $h ;;
	iopath_deep) tracer_start $1 "$IOPATH" record --net --deep --json -- $h ;;
	iopath_stacks) tracer_start $1 "$IOPATH" record --net --stacks --json -- $h ;;
	iopath_budget) tracer_start $1 "$IOPATH" record --net --budget $BUDGET --json -- $h ;;
	iopath_blk_budget) tracer_start $1 "$IOPATH" record --blk --budget $BUDGET --disk "$LOOPNAME" --json -- $h ;;
	iopath_blk) tracer_start $1 "$IOPATH" record --blk --disk "$LOOPNAME" --json -- $h ;;
	# the traced tasks' tracepoints fire on every syscall of the machine: with the reads outside
	# the scope (one lookup each) and inside it (the bench shell, whose children the reads are)
	iopath_blk_exits) tracer_start $1 "$IOPATH" record --blk --exits --disk "$LOOPNAME" --json -- $h ;;
	iopath_blk_tasks) tracer_start $1 "$IOPATH" record --blk --exits --pid $$ --disk "$LOOPNAME" --json -- $h ;;
	# bpftrace -c runs an ELF file only: bash runs hold
	bpftrace) tracer_start $1 bpftrace -c "/bin/bash $h" "$ROOT/tools/bench/netstages.bt" ;;
	# stdbuf: their "Tracing ..." line must reach the file when it is printed, not at exit
	softirqs | hardirqs) tracer_start_line $1 '^Tracing' stdbuf -oL "$(command -v $1)" ;;
	biolatency) tracer_start_line $1 '^Tracing' stdbuf -oL "$(command -v biolatency)" -d "$LOOPNAME" ;;
	esac
}

# seen CFG: how much of the workload the tracer reports having seen (SEEN, empty when it
# does not count packets or requests): iopath's packets on the sending end / requests on
# the loop disk; iopath probes' and bpftrace's net_dev_queue count (every device: a lower
# bound check); biolatency's histogram total.
seen() {
	local f=$TMPB/$1.out
	case $1 in
	iopath_net | iopath_deep | iopath_stacks | iopath_budget)
		SEEN=$(jq --arg d "$VA" '[.net.devices[] | select(.name == $d and .dir == "tx") | .packets] | add // 0' "$f" 2> /dev/null || echo 0) ;;
	iopath_probes)
		SEEN=$(jq '[.points[] | select(.symbol == "net_dev_queue") | .hits] | add // 0' "$f" 2> /dev/null || echo 0) ;;
	iopath_blk | iopath_blk_exits | iopath_blk_tasks | iopath_blk_budget)
		SEEN=$(jq --arg d "$LOOPNAME" '[.blk.classes[] | select(.disk == $d and .op == "read") | .requests] | add // 0' "$f" 2> /dev/null || echo 0) ;;
	bpftrace) SEEN=$(awk '/^@pkts:/ { n = $2 } END { print n + 0 }' "$f") ;;
	biolatency) SEEN=$(awk '/->/ && $4 == ":" { s += $5 } END { print s + 0 }' "$f") ;;
	*) SEEN= ;;
	esac
}

run_wl() {
	case $1 in
	udp) udp_run "$UDP_N" "$PKT" ;;
	tcp) tcp_run "$TCP_BYTES"; RATE=$(awk -v r="$RATE" 'BEGIN { printf "%.2f", r / 1e6 }') ;;
	blk) blk_run "$BLK_N"; WL_TX=$BLK_N ;;
	# a budget's cycles are seconds long: runs of many of them
	budget) udp_run "$BUDGET_UDP_N" "$PKT" ;;
	budget_blk) blk_run "$BUDGET_BLK_N"; WL_TX=$BUDGET_BLK_N ;;
	esac
}

# section SEC UNIT WHAT CFG...: ROUNDS rounds of every available CFG in rotated order.
# Per run: the rate (UNIT), and for a tracer the time to attach, the time to end after the
# stop request, and the share of the workload it saw; per round, each tracer's rate over
# the untraced rate of the same round.
section() {
	local sec=$1 unit=$2 what=$3 cfgs= c r dropped=
	shift 3
	for c in "$@"; do
		if have $c; then cfgs="$cfgs $c"; fi
	done
	note "$sec: $what; $ROUNDS rounds of:$cfgs"
	for c in $cfgs; do
		figure $sec.$c.rate "$unit" higher "$what under $(cfg_what $c)"
		[ $c = untraced ] && continue
		figure $sec.$c.ratio x higher "$what under $(cfg_what $c) / untraced, same round"
		figure $sec.$c.ready_ms ms lower "$(cfg_what $c): start to attached ($sec run)"
		figure $sec.$c.stop_ms ms lower "$(cfg_what $c): stop request to process end ($sec run)"
	done
	ROUND=0
	run_wl $sec   # warm-up, not kept: the first run after set-up is slower here
	for ROUND in $(seq "$ROUNDS"); do
		for c in $cfgs; do eval "R_$c="; done
		for c in $(rotate "$ROUND" $cfgs); do
			case " $dropped " in *" $c "*) continue ;; esac
			READY_MS=
			if ! start_cfg $c; then
				keep_log $c $sec.$c.$ROUND
				skip "$sec.$c" "the tracer did not attach (logs in $OUT/logs): left out from round $ROUND on"
				dropped="$dropped $c"
				continue
			fi
			run_wl $sec
			if [ $c != untraced ]; then
				tracer_stop $c
				keep_log $c $sec.$c.$ROUND
				if [ "$RC" != 0 ]; then
					skip "$sec.$c" "the tracer exited $RC: $(tail -n 1 "$TMPB/$c.err") (round $ROUND left out)"
					continue
				fi
				sample $sec.$c.ready_ms "$READY_MS"
				sample $sec.$c.stop_ms "$STOP_MS"
				seen $c
				if [ -n "$SEEN" ]; then
					figure $sec.$c.seen fraction none "share of the workload $(cfg_what $c) counted (every device for bpftrace)"
					sample $sec.$c.seen "$(awk -v s="$SEEN" -v n="$WL_TX" 'BEGIN { printf "%.4f", n ? s / n : 0 }')"
					[ "$SEEN" -ge $((WL_TX * 99 / 100)) ] ||
						note "$sec.$c round $ROUND: the tracer counted $SEEN of $WL_TX (its figure stays, marked by .seen)"
				fi
			fi
			sample $sec.$c.rate "$RATE"
			eval "R_$c=$RATE"
			note "  round $ROUND $sec $c: $RATE $unit${READY_MS:+ (attach ${READY_MS} ms)}"
		done
		eval "base=\$R_untraced"
		for c in $cfgs; do
			[ $c = untraced ] && continue
			eval "r=\$R_$c"
			if [ -n "$base" ] && [ -n "$r" ]; then
				sample $sec.$c.ratio "$(awk -v a="$r" -v b="$base" 'BEGIN { printf "%.4f", a / b }')"
			fi
		done
	done
}

# --- per hit: iopath's programs against empty ones on the same tracepoints, same run ---
# perhit_run CFG: iopath (CFG's record), then the floor on the tracepoints iopath has
# programs on, counters read before and after the workload. Per tracepoint with >= 1000
# hits in the window: iopath ns/hit, floor ns/hit (tp_btf, raw_tp, and tp_btf with one
# clock read), iopath / floor of the flavour iopath attached with, and iopath / the
# one-clock-read floor.
perhit_run() {
	local h="$HOLD $TMPB/ready $TMPB/go" ipid fpid tps
	case $1 in
	net) tracer_start ph_$1 "$IOPATH" record --net --json -- $h ;;
	stacks) tracer_start ph_$1 "$IOPATH" record --net --stacks --json -- $h ;;
	blk) tracer_start ph_$1 "$IOPATH" record --blk --disk "$LOOPNAME" --json -- $h ;;
	esac || return 1
	ipid=$TPID
	# iopath's tracepoint programs: tpb_NAME (tp_btf), rtp_NAME (raw_tp)
	prog_stats $ipid | awk '{ print $1 }' > "$TMPB/ids"
	bpftool prog show --json | jq -r '.[] | "\(.id) \(.name)"' |
		awk 'NR == FNR { want[$1] = 1; next } ($1 in want) && $2 ~ /^(tpb|rtp)_/ {
			print $1, (substr($2, 1, 3) == "tpb" ? "tp_btf" : "raw_tp"), substr($2, 5) }' \
			"$TMPB/ids" - > "$TMPB/iprogs"
	tps=$(awk '{ print $3 }' "$TMPB/iprogs" | sort -u | tr '\n' ' ')
	[ -n "$tps" ] || { note "perhit $1: iopath holds no tracepoint program"; TPID=$ipid TSTOP=fifo; tracer_stop ph_$1; return 1; }
	if ! tracer_start_line floor '^floor: ready' "$FLOOR" $tps; then
		TPID=$ipid TSTOP=fifo
		tracer_stop ph_$1
		return 1
	fi
	fpid=$TPID
	awk '/prog_id/ { print $5, $2, $3 }' "$TMPB/floor.out" > "$TMPB/fprogs"
	{ prog_stats $ipid; prog_stats $fpid; } > "$TMPB/before"
	case $1 in
	blk) blk_run $PERHIT_BLK ;;
	*) udp_run $PERHIT_UDP "$PKT" ;;
	esac
	{ prog_stats $ipid; prog_stats $fpid; } > "$TMPB/after"
	kill -INT $fpid
	reap $fpid 30 floor
	TPID=$ipid TSTOP=fifo
	tracer_stop ph_$1
	keep_log ph_$1 perhit.$1.$ROUND
	[ "$RC" = 0 ] || { note "perhit $1: iopath exited $RC"; return 1; }
	# id flavour tp who -> per tp: hits, ns of iopath, of floor tp_btf, of floor raw_tp
	awk 'FILENAME ~ /iprogs$/ { who[$1] = "iopath"; fl[$1] = $2; tp[$1] = $3; next }
	     FILENAME ~ /fprogs$/ { who[$1] = "floor_" $2; tp[$1] = $3; next }
	     FILENAME ~ /before$/ { t0[$1] = $2; c0[$1] = $3; next }
	     ($1 in who) && ($1 in t0) {
		dc = $3 - c0[$1]; dt = $2 - t0[$1]
		if (dc <= 0) next
		k = tp[$1]; ns[k, who[$1]] = dt / dc
		if (who[$1] == "iopath") { hits[k] = dc; ifl[k] = fl[$1] } }
	     END { for (k in hits) if (hits[k] >= 1000)
		printf "%s %s %d %.1f %.1f %.1f %.1f\n", k, ifl[k], hits[k], ns[k, "iopath"], ns[k, "floor_tp_btf"], ns[k, "floor_raw_tp"], ns[k, "floor_ktime"] }' \
		"$TMPB/iprogs" "$TMPB/fprogs" "$TMPB/before" "$TMPB/after" | sort > "$TMPB/perhit"
	while read -r tp fl hits ins fb fr fk; do
		local fsame=$fb
		[ "$fl" = raw_tp ] && fsame=$fr
		figure perhit.$1.$tp.iopath_ns ns lower "iopath ($(cfg_what iopath_$1 | sed 's/iopath //')) ns per hit on $tp ($fl)"
		figure perhit.$1.$tp.floor_tp_btf_ns ns lower "empty tp_btf program ns per hit on $tp, same run"
		figure perhit.$1.$tp.floor_raw_tp_ns ns lower "empty raw_tp program ns per hit on $tp, same run"
		figure perhit.$1.$tp.over_floor x lower "iopath ns per hit / empty $fl program's on $tp"
		figure perhit.$1.$tp.floor_ktime_ns ns lower "tp_btf program reading bpf_ktime_get_ns() once, ns per hit on $tp, same run"
		figure perhit.$1.$tp.over_ktime_floor x lower "iopath ns per hit / the one-clock-read program's on $tp (the floor of a hook that timestamps)"
		figure perhit.$1.$tp.hits count none "hits on $tp in the measured window"
		sample perhit.$1.$tp.iopath_ns "$ins"
		sample perhit.$1.$tp.floor_tp_btf_ns "$fb"
		sample perhit.$1.$tp.floor_raw_tp_ns "$fr"
		sample perhit.$1.$tp.over_floor "$(awk -v a="$ins" -v b="$fsame" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
		sample perhit.$1.$tp.floor_ktime_ns "$fk"
		sample perhit.$1.$tp.over_ktime_floor "$(awk -v a="$ins" -v b="$fk" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
		sample perhit.$1.$tp.hits "$hits"
	done < "$TMPB/perhit"
	note "  round $ROUND perhit $1: $(awk '{ printf "%s %s/%s/%s ns  ", $1, $4, ($2 == "raw_tp" ? $6 : $5), $7 }' "$TMPB/perhit")"
}

perhit_section() {
	local c cfgs=$PERHIT_CFGS dropped=
	note "perhit: kernel.bpf_stats_enabled=1 for this section; $ROUNDS_FEW rounds of: $cfgs"
	STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1
	for ROUND in $(seq "$ROUNDS_FEW"); do
		for c in $(rotate "$ROUND" $cfgs); do
			case " $dropped " in *" $c "*) continue ;; esac
			perhit_run $c || { skip perhit.$c "no per-hit figures (see above): left out from round $ROUND on"; dropped="$dropped $c"; }
		done
	done
	sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS"
	STATS_WAS=
}

# --- start-up and detach of each profile that applies on this machine, and all at once ---
startup_section() {
	local profs="all" p a t0 t1 t2
	for p in $("$IOPATH" probes --profile list | awk '{ print $1 }'); do
		if [ "$("$IOPATH" probes -n -p "$p" --json 2> /dev/null | jq '.summary.planned')" -gt 0 ]; then
			profs="$profs $p"
		fi
	done
	note "startup: $ROUNDS_FEW rounds of: $profs"
	for p in $profs; do
		figure startup.$p.calib_resolve_ms ms lower "iopath probes -n ($p): calibrate + read the kernel's view + resolve (process start to end)"
		figure startup.$p.load_ms ms lower "iopath probes ($p): load (its own figure)"
		figure startup.$p.attach_ms ms lower "iopath probes ($p): attach (its own figure)"
		figure startup.$p.detach_ms ms lower "iopath probes ($p) -- CMD: CMD's end to iopath's (print, detach, exit)"
		figure startup.$p.total_ms ms lower "iopath probes ($p) -- CMD: process start to end"
	done
	for ROUND in $(seq "$ROUNDS_FEW"); do
		for p in $(rotate "$ROUND" $profs); do
			a="-p $p"
			[ $p = all ] && a=
			t0=$(ns_now)
			"$IOPATH" probes -n $a --json > /dev/null 2> "$TMPB/p.err" || die "iopath probes -n $a failed: $(cat "$TMPB/p.err")"
			t1=$(ns_now)
			sample startup.$p.calib_resolve_ms "$(ms_between "$t0" "$t1")"
			t0=$(ns_now)
			"$IOPATH" probes $a --json -- sh -c "date +%s%N > $TMPB/stamp" > "$TMPB/p.json" 2> "$TMPB/p.err" ||
				die "iopath probes $a -- CMD failed: $(tail -n 1 "$TMPB/p.err")"
			t2=$(ns_now)
			sample startup.$p.load_ms "$(jq .summary.load_ms "$TMPB/p.json")"
			sample startup.$p.attach_ms "$(jq .summary.attach_ms "$TMPB/p.json")"
			sample startup.$p.detach_ms "$(ms_between "$(cat "$TMPB/stamp")" "$t2")"
			sample startup.$p.total_ms "$(ms_between "$t0" "$t2")"
			note "  round $ROUND startup $p: $(jq -r '"\(.summary.attached) attached, load \(.summary.load_ms) ms, attach \(.summary.attach_ms) ms"' "$TMPB/p.json")"
		done
	done
}

# --- report and diff on big recordings ---
# rec_make NAME PACKETS RECORD-ARGS...: a recording of PACKETS datagrams over the pair
# (the sender as fast as it goes). Its probe hits, distinct paths, kernel stacks, size and
# the recording process's peak RSS become figures (one value each).
rec_make() {
	local name=$1 n=$2 f=$OUT/rec/$1.rec
	shift 2
	rm -f "$f"
	/usr/bin/time -f %M -o "$TMPB/time" "$IOPATH" record "$@" -o "$f" -- sh -c "
		ip netns exec $B $IOPATH workload udp-sink 5201 3600 > /dev/null & s=\$!
		until [ -n \"\$(ip netns exec $B ss -Hlun 'sport = :5201')\" ]; do sleep 0.01; done
		ip netns exec $A $IOPATH workload udp-send $NET.2 5201 $n $PKT > /dev/null; rc=\$?
		kill \$s; wait \$s; exit \$rc" > "$OUT/logs/rec-$name.out" 2> "$OUT/logs/rec-$name.err" ||
		{ [ "${REC_SOFT:-0}" = 1 ] && return 1; die "recording $name failed: $(tail -n 1 "$OUT/logs/rec-$name.err")"; }
	"$IOPATH" report "$f" --json > "$TMPB/rep.json"
	REC_HITS=$(jq '[.probes.points[].hits] | add' "$TMPB/rep.json")
	REC_PATHS=$(jq '[.net.devices[].distinct_paths] | add' "$TMPB/rep.json")
	REC_STACKS=$("$IOPATH" flame "$f" --stacks --folded 2> /dev/null | wc -l)
	for x in "packets:$n:count:datagrams sent" "hits:$REC_HITS:count:probe hits recorded (every point)" \
		"distinct_paths:$REC_PATHS:count:distinct path signatures (every device)" \
		"stacks:$REC_STACKS:count:distinct kernel stacks" "bytes:$(stat -c %s "$f"):bytes:file size" \
		"record_maxrss_kb:$(cat "$TMPB/time"):KiB:peak RSS of the recording iopath"; do
		local k=${x%%:*} rest=${x#*:}
		local v=${rest%%:*} rest2=${rest#*:}
		local u=${rest2%%:*} w=${rest2#*:}
		figure rec.$name.$k "$u" none "recording $name ($*): $w"
		ROUND=1
		sample rec.$name.$k "$v"
	done
	note "  recording $name: $n datagrams, $REC_HITS probe hits, $REC_PATHS paths, $REC_STACKS stacks, $(stat -c %s "$f") bytes"
}
# timed NAME FIGURE-WHAT CMD...: wall time and peak RSS of one command
timed() {
	local id=$1 what=$2 t0 t1
	shift 2
	figure $id.ms ms lower "$what: wall time"
	figure $id.maxrss_kb KiB lower "$what: peak RSS"
	t0=$(ns_now)
	/usr/bin/time -f %M -o "$TMPB/time" "$@" > /dev/null 2> "$TMPB/timed.err" || die "$* failed: $(tail -n 1 "$TMPB/timed.err")"
	t1=$(ns_now)
	sample $id.ms "$(ms_between "$t0" "$t1")"
	sample $id.maxrss_kb "$(cat "$TMPB/time")"
}
report_section() {
	local hpp p1 p10 jobs j r
	# probe hits per datagram, measured: the recordings' sizes follow from it
	ROUND=0
	rec_make probe 20000 --net
	hpp=$(awk -v h="$REC_HITS" 'BEGIN { printf "%.3f", h / 20000 }')
	p1=$(awk -v h="$hpp" 'BEGIN { printf "%d", 1.05e6 / h + 1 }')
	p10=$(awk -v h="$hpp" 'BEGIN { printf "%d", 10.5e6 / h + 1 }')
	note "report: $hpp probe hits per datagram: 1 M hits = $p1 datagrams, 10 M = $p10"
	rec_make hits1M $p1 --net
	[ "$REC_HITS" -ge 1000000 ] || note "recording hits1M holds $REC_HITS probe hits, short of 1 M"
	rec_make hits10M $p10 --net
	[ "$REC_HITS" -ge 10000000 ] || note "recording hits10M holds $REC_HITS probe hits, short of 10 M"
	jobs="r:hits1M r:hits10M d:hits10M d:hits1M"
	if [ "$QUICK" != 1 ]; then
		# the same events with every kernel stack and more points: more distinct paths
		# (--deep needs kprobes or fentry: where neither attaches, --stacks alone, said)
		if ! REC_SOFT=1 rec_make hits10M_stacks $p10 --net --stacks --deep; then
			note "report: --deep cannot attach here ($(tail -n 1 "$OUT/logs/rec-hits10M_stacks.err" | cut -c1-120)): hits10M_stacks without it"
			rec_make hits10M_stacks $p10 --net --stacks
		fi
		jobs="$jobs r:hits10M_stacks"
	fi
	note "report: $ROUNDS_FEW rounds of: $jobs"
	for ROUND in $(seq "$ROUNDS_FEW"); do
		for j in $(rotate "$ROUND" $jobs); do
			r=${j#*:}
			case $j in
			r:*) timed report.$r "iopath report (recording $r)" "$IOPATH" report "$OUT/rec/$r.rec" ;;
			d:hits10M) timed diff.hits10M "iopath diff hits10M hits10M" "$IOPATH" diff "$OUT/rec/hits10M.rec" "$OUT/rec/hits10M.rec" ;;
			d:hits1M) timed diff.hits1M_hits10M "iopath diff hits1M hits10M" "$IOPATH" diff "$OUT/rec/hits1M.rec" "$OUT/rec/hits10M.rec" ;;
			esac
		done
	done
}

case " $SECTIONS " in *" udp "* | *" tcp "* | *" budget "* | *" perhit "* | *" report "*) setup_veth ;; esac
case " $SECTIONS " in *" blk "* | *" budget "* | *" perhit "*) setup_loop ;; esac
note "$(date -u +%FT%TZ): iopath $("$IOPATH" --version | awk '{ print $NF }'), $ROUNDS rounds ($ROUNDS_FEW for perhit, startup, report), load average $LOAD0"
for s in $SECTIONS; do
	case $s in
	udp) section udp pkt/s "UDP datagrams/s ($PKT bytes, $UDP_N per run) over veth" \
		untraced iopath_probes iopath_net iopath_deep iopath_stacks bpftrace softirqs hardirqs ;;
	tcp) section tcp MB/s "TCP MB/s ($TCP_BYTES per run) over veth" \
		untraced iopath_net iopath_deep iopath_stacks bpftrace softirqs hardirqs ;;
	blk) section blk req/s "4 KiB O_DIRECT reads/s at QD1 ($BLK_N per run) on a loop device" \
		untraced iopath_blk iopath_blk_exits iopath_blk_tasks biolatency ;;
	budget) section budget pkt/s "UDP datagrams/s ($PKT bytes, $BUDGET_UDP_N per run) over veth" \
		untraced iopath_budget iopath_net
		section budget_blk req/s "4 KiB O_DIRECT reads/s at QD1 ($BUDGET_BLK_N per run) on a loop device" \
		untraced iopath_blk_budget iopath_blk ;;
	perhit) perhit_section ;;
	startup) startup_section ;;
	report) report_section ;;
	*) die "unknown section '$s' (udp tcp blk budget perhit startup report)" ;;
	esac
done

# --- results ---
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
[ -r "$BASELINE" ] && jq -r '.figures[] | [.id, .n, .median, .min, .max] | @tsv' "$BASELINE" > "$TMPB/base.tsv" ||
	: > "$TMPB/base.tsv"
PARAMS="udp_packets=$UDP_N udp_size=$PKT tcp_bytes=$TCP_BYTES blk_requests=$BLK_N perhit_udp=$PERHIT_UDP perhit_blk=$PERHIT_BLK"
# verdicts against a baseline of other workload sizes compare unlike runs: say so
SAME_PARAMS=true
if [ -s "$TMPB/base.tsv" ] &&
	[ "$(jq -r '.params | to_entries | map("\(.key)=\(.value)") | join(" ")' "$BASELINE")" != "$PARAMS" ]; then
	SAME_PARAMS=false
	note "the baseline was measured with other workload sizes ($(jq -c .params "$BASELINE")): its verdicts compare unlike runs"
fi
awk -f "$ROOT/tools/bench/stats.awk" "$OUT/meta.tsv" "$OUT/samples.tsv" "$TMPB/base.tsv" > "$OUT/figures.tsv"
awk -f "$ROOT/tools/bench/render.awk" -v mode=json \
	-v version="$("$IOPATH" --version | awk '{ print $NF }')" -v kernel="$(uname -r)" \
	-v date="$(date -u +%FT%TZ)" -v secs=$(($(date +%s) - T_START)) -v cpus="$(nproc)" \
	-v load0="$LOAD0" -v load1="$LOAD1" -v rounds="$ROUNDS" -v rounds_few="$ROUNDS_FEW" -v quick="$QUICK" \
	-v params="$PARAMS" -v same_params="$SAME_PARAMS" \
	-v sections="$SECTIONS" -v note="${BENCH_NOTE:-}" -v skipped="$SKIPPED" \
	-v baseline="$([ -s "$TMPB/base.tsv" ] && echo "${BASELINE#$ROOT/}")" \
	"$OUT/figures.tsv" > "$OUT/results.json"
jq empty "$OUT/results.json" || die "results.json is not valid JSON (a bug in render.awk)"
awk -f "$ROOT/tools/bench/render.awk" -v mode=text -v baseline="$([ -s "$TMPB/base.tsv" ] && echo "${BASELINE#$ROOT/}")" \
	"$OUT/figures.tsv" > "$OUT/results.txt"
awk -f "$ROOT/tools/bench/svg.awk" -v title="iopath bench $(date -u +%F), $(uname -r), load $LOAD0 -> $LOAD1" \
	"$OUT/figures.tsv" > "$OUT/results.svg"
cat "$OUT/results.txt"
[ -z "$SKIPPED" ] || printf 'left out:\n%s' "$SKIPPED"
[ "$SAME_PARAMS" = true ] || echo "bench: the baseline's workload sizes differ from this run's: read its verdicts as unlike runs"
echo "bench: $(($(date +%s) - T_START)) s; results in ${OUT#$ROOT/}/results.{json,txt,svg}, logs in ${OUT#$ROOT/}/logs"
if [ "${BENCH_SAVE_BASELINE:-0}" = 1 ]; then
	cp "$OUT/results.json" "$ROOT/tools/bench/baseline.json"
	echo "bench: this run is now tools/bench/baseline.json"
fi
