# tools/lab/lib/suite.sh — the comparison's workload (`iopath workload suite`), recorded the same
# way on every platform of the comparison (Xen PV/PVH/HVM/HVM-emulated domUs, the nested KVM L2,
# the SR-IOV VF): one `record` whose phase marks give one recording per workload phase,
# $LAB_DATA/suite/run.PHASE.rec, beside the whole run (run.rec). The host copies them into
# examples/ (tools/lab/collect-examples.sh) and `iopath compare` reads them.
# A stage sources this and calls, from its workload_suite:  suite_record PEER BLKDEV [IFACE]
# (BLKDEV "": the network phases only, as on the VF, which has no disk of its own)
# (the peer runs `iopath workload peer`: dom0, the L1 host, the lab host).

# The same options everywhere: every path, the exits and crossings, every packet and request
# kept (no sampling of paths). No --stacks: kernel stacks made a phase file 0.6-3.6 MB in the
# L2 (measured), too big to commit six platforms of; compare's differential flame graphs are
# of the path signatures then, which every recording has.
SUITE_OPTS="--net --blk --exits --sample 0"

# SUITE_ENV: what the guest cannot detect of itself (record --environment), set by the stage,
# e.g. "Xen 4.17 PV domU under QEMU TCG": compare then marks its absolute times as not real.
# SUITE_PEER_MARKS=1: the suite tells its peer each mark (dom0 records its side: lab.backend=1).
# SUITE_DIR: the phase directory under $LAB_DATA (default suite; suite2 for the repeat run).
suite_record() { # PEER BLKDEV [IFACE]
	local d=$LAB_DATA/${SUITE_DIR:-suite} rc
	mkdir -p "$d"
	# shellcheck disable=SC2086
	iopath record $SUITE_OPTS ${3:+-i $3} ${SUITE_ENV:+--environment "$SUITE_ENV"} --json -o "$d/run.rec" -- \
		iopath workload suite --peer "$1" ${SUITE_PEER_MARKS:+--peer-marks} ${2:+--blk "$2" --blk-write} \
		> "$d/record.json" 2> "$d/record.err"
	rc=$?
	ls "$d"/run.*.rec > "$d/phases.txt" 2>/dev/null
	lab "suite: record rc=$rc, $(wc -l < "$d/phases.txt") phase recordings"
	return $rc
}
