# tools/lab/lib/check.sh — sourced by every check script (busybox sh + awk; runs in the guest,
# and on the host against an extracted outbox: LAB_DATA=<dir> sh tools/lab/checks/guest/30-x.sh).
# A check prints what it compared and ends with pass/fail/skip; the runner prints
#   CHECK <dir>/<name> PASS|FAIL|SKIP <last line printed>
LAB_DATA=${LAB_DATA:-/tmp/labdata}
LAB_IOPATH=${LAB_IOPATH:-$(cat /lab/iopath 2>/dev/null || echo 0)}

pass() { echo "$*"; exit 0; }
fail() { echo "$*"; exit 1; }
skip() { echo "$*"; exit 77; }
need_iopath() { [ "$LAB_IOPATH" = 1 ] || skip "iopath not in this lab image (build ./iopath first)"; }
getinfo() { cat "$LAB_DATA/info/$1" 2>/dev/null; }
have_phase() { [ -d "$LAB_DATA/$1/after" ]; }
# l2_boots PHASE: nothing when the phase's L2 booted once and ended by itself with status 0, else
# how each of its boots ended, with its length and its console's last line (the kvm stage's L2
# watchdog, stages/kvm.sh l2_tries), for a check's last line
l2_boots() {
	local f=$LAB_DATA/$1/l2-boots
	[ -s "$f" ] || { echo " [L2 boots: no record]"; return; }
	[ "$(wc -l < "$f")" = 1 ] && grep -q '^boot 1: ended by itself (rc=0,' "$f" && return
	echo " [L2 boots: $(tr '\n' ';' < "$f")]"
}

# Counter deltas (after - before) within phase $1.
d_net() { # PHASE IFACE FIELD   (/sys/class/net/IFACE/statistics/FIELD)
	local b a
	b=$(awk -v f="$3" '$1 == f {print $2}' "$LAB_DATA/$1/before/net.$2" 2>/dev/null)
	a=$(awk -v f="$3" '$1 == f {print $2}' "$LAB_DATA/$1/after/net.$2" 2>/dev/null)
	[ -n "$a" ] && [ -n "$b" ] && echo $((a - b))
}
d_ethtool() { # PHASE IFACE KEY   (ethtool -S)
	local b a
	b=$(awk -v k="$3:" '$1 == k {print $2}' "$LAB_DATA/$1/before/ethtool.$2" 2>/dev/null)
	a=$(awk -v k="$3:" '$1 == k {print $2}' "$LAB_DATA/$1/after/ethtool.$2" 2>/dev/null)
	[ -n "$a" ] && [ -n "$b" ] && echo $((a - b))
}
# d_vq_kicks PHASE IFACE tx|rx: virtio_net's kicks of queue 0 (ethtool -S). Its per-queue names changed
# between Debian's 6.1 and 6.12: virtio_net.ko of 6.1.0-56 formats "tx_queue_%u_%s" (tx_queue_0_kicks),
# 6.12.117's has no such format and prints tx0_kicks (measured in this lab's guest stage).
d_vq_kicks() { d_ethtool "$1" "$2" "$3_queue_0_kicks" || d_ethtool "$1" "$2" "${3}0_kicks"; }
_irqsum() { # FILE REGEX: sum of all per-CPU counts of /proc/interrupts lines whose name matches
	awk -v re="$2" 'NR == 1 {ncpu = NF; next}
		{ name = ""; for (i = ncpu + 2; i <= NF; i++) name = name " " $i
		  if (name ~ re) for (i = 2; i <= ncpu + 1; i++) s += $i }
		END {print s + 0}' "$1"
}
d_irq() { # PHASE REGEX
	echo $(( $(_irqsum "$LAB_DATA/$1/after/interrupts" "$2") - $(_irqsum "$LAB_DATA/$1/before/interrupts" "$2") ))
}
d_disk() { # PHASE DEV FIELD: reads|rsect|writes|wsect (/proc/diskstats)
	local c
	case $3 in reads) c=4 ;; rsect) c=6 ;; writes) c=8 ;; wsect) c=10 ;; *) return 1 ;; esac
	local b a
	b=$(awk -v d="$2" -v c=$c '$3 == d {print $c}' "$LAB_DATA/$1/before/diskstats")
	a=$(awk -v d="$2" -v c=$c '$3 == d {print $c}' "$LAB_DATA/$1/after/diskstats")
	[ -n "$a" ] && [ -n "$b" ] && echo $((a - b))
}

# iopath JSON of phase $1 ({"points":[{"name","module","symbol","role","method","status","hits"}...]}),
# flattened to one line per point: symbol module status method hits kind name
points() {
	[ -s "$LAB_DATA/$1/iopath.json" ] || return 0
	tr -d '\n' < "$LAB_DATA/$1/iopath.json" | sed 's/}/}\n/g' | awk '
		function str(k,   m) { if (match($0, "\"" k "\"[ ]*:[ ]*\"[^\"]*\"")) { m = substr($0, RSTART, RLENGTH); sub(/^"[^"]*"[ ]*:[ ]*"/, "", m); sub(/"$/, "", m); gsub(/[ \t]/, "_", m); return m } return "-" }
		function num(k,   m) { if (match($0, "\"" k "\"[ ]*:[ ]*-?[0-9]+")) { m = substr($0, RSTART, RLENGTH); sub(/^"[^"]*"[ ]*:[ ]*/, "", m); return m } return "-" }
		/"symbol"/ { print str("symbol"), str("module"), str("status"), str("method"), num("hits"), str("kind"), str("name"), str("detail") }'
}
hits() { # PHASE SYMBOL [MODULE]: hits of the entry point(s) with that symbol (not the -ret twin); empty when none
	points "$1" | awk -v s="$2" -v m="${3:-}" '($1 == s || $1 == m ":" s) && (m == "" || $2 == m || $2 == "-") && $5 != "-" && $6 !~ /-ret$/ {h += $5; n++} END {if (n) print h}'
}
# submits PHASE DRIVER: the driver's submit calls, ->queue_rq plus ->queue_rqs (virtio, nvme). The phases
# that use it issue one bio at a time (dd of 64 KiB), so a ->queue_rqs call carries one request: 6.1
# sends such a request through ->queue_rq, 6.12 submits even one bio under a plug, and the plug's flush
# hands it to ->queue_rqs (measured here: 6.12.117 queue_rq 0, queue_rqs 128 for 128 requests).
submits() {
	local a b; a=$(hits "$1" "$2_queue_rq"); b=$(hits "$1" "$2_queue_rqs")
	[ -n "$a" ] && echo $((a + ${b:-0}))
}
status_of() { points "$1" | awk -v s="$2" '$1 == s {print $3; exit}'; }

# record_json PHASE: the phase ran `iopath record --json` into $LAB_DATA/PHASE/record.json (workload_X
# phases do), the JSON parses and the workload under it exited 0; sets J. Fails the check otherwise.
record_json() {
	J=$LAB_DATA/$1/record.json
	have_phase "$1" || fail "phase $1 did not run"
	command -v jq > /dev/null || fail "no jq in the guest image"
	jq -e . "$J" > /dev/null 2>&1 || fail "record.json: $(head -c 200 "$J") $(tail -1 "$LAB_DATA/$1/record.err")"
	[ "$(jq -r .command_exit "$J")" = 0 ] || fail "workload under record failed: $(tail -2 "$LAB_DATA/$1/record.err")"
}

# rec_dev NAME DIR EXPR: EXPR (jq, e.g. .stages.rx) summed over the record JSON $J's network
# device rows of interface NAME and direction DIR (tx|rx); 0 when there is none
rec_dev() { jq -r --arg n "$1" --arg d "$2" "[.net.devices[] | select(.name == \$n and .dir == \$d) | $3] | add // 0" "$J"; }

# nic_stages PHASE: for the stage's virtio-net and e1000e interfaces, packets at the driver's xmit
# stage = tx_packets and at RX = rx_packets over PHASE, exactly; appends the comparisons to $out
# and sets r=1 on a mismatch (the caller's variables: checks build one detail line)
nic_stages() {
	local x
	for x in $(getinfo virtio_net) $(getinfo e1000e); do
		out="$out $(near $x.drv_xmit "$(rec_dev $x tx .stages.drv_xmit)" "$(d_net $1 $x tx_packets)" 0)" || r=1
		out="$out $(near $x.rx "$(rec_dev $x rx .stages.rx)" "$(d_net $1 $x rx_packets)" 0)" || r=1
	done
}

# compare LABEL GOT WANT TOL: GOT within WANT +- TOL (TOL may be 0); prints and returns 0/1
near() {
	[ -n "$2" ] || { echo "$1: no value (want $3)"; return 1; }
	local d=$(($2 - $3)); [ $d -lt 0 ] && d=$((-d))
	if [ $d -le "$4" ]; then echo "$1=$2 (want $3+-$4) ok"; return 0; fi
	echo "$1=$2 (want $3+-$4) MISMATCH"; return 1
}
atleast() { # LABEL GOT MIN
	[ -n "$2" ] && [ "$2" -ge "$3" ] && { echo "$1=$2 (>=$3) ok"; return 0; }
	echo "$1=${2:-none} (want >=$3) MISMATCH"; return 1
}

# A kernel whose modules carry no BTF (Debian 11's 5.10: only /sys/kernel/btf/vmlinux) cannot
# fentry a module function; iopath must say so for each, never attach it some other way.
no_module_btf() { [ -s "$LAB_DATA/info/btf" ] && ! grep -qv '^vmlinux$' "$LAB_DATA/info/btf"; }
# fentry_unavailable LABEL PHASE SYMBOL: the point is there, unavailable, for want of BTF
fentry_unavailable() {
	local d; d=$(points "$2" | awk -v s="$3" '$1 == s {print $3; exit}')
	[ "$d" = unavailable ] && grep -q "no BTF for $3" "$LAB_DATA/$2/iopath.json" &&
		{ echo "$1=unavailable(no module BTF) ok"; return 0; }
	echo "$1=${d:-no point} (want unavailable: no module BTF) MISMATCH"; return 1
}

# iopath_phase PHASE: the phase ran iopath, it exited 0 and no point failed to attach other than
# kprobes the kernel refused for having no ftrace site, which iopath says (resolve.h notrace: "no
# ftrace site (notrace)"; kernel `inline` means notrace, and register_kprobe answers EINVAL). Every
# such refusal this lab has seen: virtblk_request_done and nvme_poll_cq (static inline; 5.10's
# nvme_process_cq) in the guests, xen_safe_halt and xen_vcpuop_set_next_event in the Xen PV domUs,
# and on Debian 5.10 the PV upcall __xen_pv_evtchn_do_upcall (arch/x86/entry/common.c, built
# without ftrace there) and the assembly xen_hypercall_pv ("Could not probe notrace function").
# Any other failure fails the check.
iopath_phase() {
	have_phase "$1" || { echo "$1: phase did not run"; return 1; }
	[ "$(cat "$LAB_DATA/$1/iopath.rc" 2>/dev/null)" = 0 ] || { echo "$1: iopath rc=$(cat "$LAB_DATA/$1/iopath.rc" 2>/dev/null) $(tail -1 "$LAB_DATA/$1/iopath.err" 2>/dev/null)"; return 1; }
	grep -q '^rc=0' "$LAB_DATA/$1/workload.log" || { echo "$1: workload $(tail -1 "$LAB_DATA/$1/workload.log")"; return 1; }
	local n f a
	n=$(points "$1" | wc -l); a=$(points "$1" | awk '$3 == "attached"' | wc -l)
	f=$(points "$1" | awk '$3 ~ /^fail/ && $8 !~ /no_ftrace_site_\(notrace\)/' | wc -l)
	[ "$n" -gt 0 ] || { echo "$1: no points in iopath.json"; return 1; }
	[ "$f" = 0 ] || { echo "$1: $f points failed: $(points "$1" | awk '$3 ~ /^fail/ && $8 !~ /no_ftrace_site_\(notrace\)/ {printf "%s ", $1}')"; return 1; }
	[ "$a" -gt 0 ] || { echo "$1: none of $n points attached"; return 1; }
	echo "$1: $a/$n attached$(points "$1" | awk '$3 ~ /^fail/ {printf " (refused, no ftrace site: %s)", $1}')"
}
# hits_vs LABEL PHASE SYMBOL WANT TOL: the point must exist and its hits be within WANT +- TOL
hits_vs() {
	local h; h=$(hits "$2" "$3")
	[ -n "$h" ] || { echo "$1: no point $3 in $2"; return 1; }
	near "$1" "$h" "$4" "$5"
}

# suite_check DIR [PHASES]: the comparison's recordings in DIR (lib/suite.sh: run.PHASE.rec and the
# workload's lines in record.err) against counters iopath does not make, over each phase:
#   udp-rr      TX packets at the queue stage = the interface's tx_packets, RX at the receive stage
#               = its rx_packets (one exchange at a time: no drops, no segmentation), +-2 for an ARP
#               exchange at a window's edge (below);
#   udp-stream  TX at the queue stage = the datagrams the workload sent (each sendto passes
#               net_dev_queue), up to 2 more (an ARP reply); the interface's tx_packets may be fewer
#               (a full qdisc or ring drops; printed), RX = rx_packets +-2;
#   tcp-bulk    RX (the ACKs) = rx_packets +-(2 + 5%): the workload reads the counters when its send
#               returns, the phase ends at the next mark, and the last ACKs and the FIN fall between;
#               TX skbs at the queue stage between 4 MiB / 64 KiB and tx_packets + 2: with TSO/GSO one
#               skb is many frames on the wire (igbvf and e1000 count segments, netfront and
#               virtio-net skbs);
#   blk-*       requests of the disk = its reads + writes (/proc/diskstats over the phase).
# Prints what it compared; returns 1 on a mismatch.
SUITE_PHASES="udp-rr udp-stream tcp-bulk blk-rand-qd1 blk-rand-qd16 blk-seq-read blk-seq-write"
suite_check() {
	local D=$1 p f line tx rx q sent r=0 out=""
	[ -s "$D/run.rec" ] || { echo "no $D/run.rec: $(tail -1 "$D/record.err" 2>/dev/null)"; return 1; }
	for p in ${2:-$SUITE_PHASES}; do
		f=$D/run.$p.rec
		[ -s "$f" ] || { r=1; out="$out $p:missing"; continue; }
		line=$(grep "^phase $p:" "$D/record.err")
		iopath report --json "$f" > "$D/$p.json" 2>> "$D/report.err" || { r=1; out="$out $p:report-failed"; continue; }
		case $p in
		udp-*|tcp-*)
			sent=$(echo "$line" | sed -n 's/^phase udp-stream: \([0-9]*\) datagrams.*/\1/p')
			set -- $(echo "$line" | sed -n 's/.*; iface \([^:]*\): tx \([0-9]*\) rx \([0-9]*\) packets.*/\1 \2 \3/p')
			[ $# = 3 ] || { r=1; out="$out $p:no-interface-counts"; continue; }
			tx=$(jq -r --arg n "$1" '[.net.devices[] | select(.name == $n and .dir == "tx") | .stages.queue // 0] | add // 0' "$D/$p.json")
			rx=$(jq -r --arg n "$1" '[.net.devices[] | select(.name == $n and .dir == "rx") | .stages.receive // 0] | add // 0' "$D/$p.json")
			case $p in
			# +-2 (udp-stream's TX: 0..+2 over what it sent): the interface's counters are read by
			# the workload and the phase's recording ends at the next mark, so an ARP exchange the
			# peer starts between the two (dom0 refreshes its neighbour entry of the domU now and
			# then) is in one window and not the other: CI6's HVM domU recorded tx 2001 rx 1 over
			# udp-stream against sent 2000, interface tx 2000 rx 0
			udp-rr)
				out="$out $(near $p.tx "$tx" "$2" 2)" || r=1
				out="$out $(near $p.rx "$rx" "$3" 2)" || r=1 ;;
			udp-stream)
				if [ "$tx" -ge "${sent:-0}" ] && [ "$tx" -le $((${sent:-0} + 2)) ]; then
					out="$out $p.tx=$tx (sent ${sent:-0}..+2) ok (interface tx $2)"
				else r=1; out="$out $p.tx=$tx (want sent ${sent:-0}..+2) MISMATCH (interface tx $2)"; fi
				[ "$2" -le "$tx" ] || { r=1; out="$out $p: interface sent $2 > $tx recorded MISMATCH"; }
				out="$out $(near $p.rx "$rx" "$3" 2)" || r=1 ;;
			tcp-bulk)
				out="$out $(near $p.rx "$rx" "$3" $((2 + $3 / 20)))" || r=1
				if [ "$tx" -ge 64 ] && [ "$tx" -le $(($2 + 2)) ]; then out="$out $p.tx=$tx skbs (64..$(($2 + 2)), interface $2 frames) ok"
				else r=1; out="$out $p.tx=$tx skbs (want 64..$(($2 + 2)): interface $2 frames) MISMATCH"; fi ;;
			esac ;;
		blk-*)
			set -- $(echo "$line" | sed -n 's/.*; disk \([^:]*\): \([0-9]*\) reads [0-9]* sectors, \([0-9]*\) writes.*/\1 \2 \3/p')
			[ $# = 3 ] || { r=1; out="$out $p:no-disk-counts"; continue; }
			q=$(jq -r --arg d "$1" '[.blk.classes[] | select(.disk == $d) | .requests] | add // 0' "$D/$p.json")
			out="$out $(near $p.requests "$q" $(($2 + $3)) 0)" || r=1 ;;
		esac
	done
	echo "$out"
	return $r
}
