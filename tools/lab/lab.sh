#!/bin/bash
# iopath lab: prove the kprobe / fentry / Xen paths on real Debian kernels under QEMU TCG.
#
#   tools/lab/lab.sh setup      apt deps, Debian kernel, helper programs, Xen dom0 image (cached)
#   tools/lab/lab.sh guest      TCG guest: virtio-net, e1000e, virtio-blk, NVMe; iopath vs guest counters
#   tools/lab/lab.sh kvm        nested KVM in a TCG guest: known PIO/MMIO exits, an L2 virtio guest
#   tools/lab/lab.sh vf         SR-IOV VF: QEMU 10's igb, a VF made through sysfs, driven by igbvf
#   tools/lab/lab.sh xen        Xen 4.17 + PV dom0 + PV/PVH/HVM domUs (sentinel-checked, retried)
#   tools/lab/lab.sh selftest   the lab's own watchdog and retry rules, on guests that hang or crash on purpose
#   tools/lab/lab.sh gating     setup + selftest + guest + kvm + vf   (make test)
#   tools/lab/lab.sh all        setup + selftest + guest + kvm + vf + xen   (make lab)
#   tools/lab/lab.sh fixtures   run guest + xen and copy their platform snapshots to tests/fixtures/platform/
#   tools/lab/lab.sh recheck STAGE   re-run STAGE's checks on the host against its last extracted outbox
#                                    (guest-TAG: the guest stage of LAB_KSERIES=TAG)
#
# Each stage ends with one "PASS <stage>" or "FAIL <stage>: <checks>" line; exit status 1 on failure.
# Cache: ${IOPATH_CACHE:-<repo>/.cache}/lab. Knobs: LAB_TIMEOUT_<STAGE> (s), XEN_TRIES, XEN_GUESTS, LAB_CPU, LAB_SMP,
# LAB_KSERIES (the kernel line: 6.1, or 5.10, 6.12, trixie-bpo from tools/pins.sh).
set -uo pipefail
export LAB_START=$(date +%s)
. "$(dirname "$0")/lib/host.sh"
. "$LAB_DIR/lib/stages-host.sh"
. "$LAB_DIR/lib/xen-host.sh"

LAB_VM_PID=""
trap '[ -n "$LAB_VM_PID" ] && kill "$LAB_VM_PID" 2>/dev/null' EXIT
trap 'exit 130' INT TERM
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
cmd=${1:-}; [ -n "$cmd" ] || usage; shift

# one lab run per cache at a time: stages share out/<stage>/ and the images
# The lock is fd 9, which every child inherits: a run's last children (a QEMU being reaped, a
# monitor reader) can hold it a moment after the run ended, so wait a little before refusing
# (a run started right after another was once refused for that)
case $cmd in recheck) ;; *) exec 9> "$LAB_CACHE/.lock"; flock -w 30 9 || die "another lab run holds $LAB_CACHE/.lock (waited 30 s)" ;; esac
rc=0
run() { # stage functions; keep going to report every stage, remember failure
	local s=$1 t0=$(date +%s); shift
	"stage_$s" "$@" || rc=1
	echo "$s $(( $(date +%s) - t0 ))" >> "$LAB_CACHE/timings.txt"
	log "stage $s took $(( $(date +%s) - t0 ))s"
}
case $cmd in
setup) run setup ;;
guest|kvm|xen|selftest|vf) run setup; [ $rc = 0 ] && run "$cmd" ;;
gating) run setup; [ $rc = 0 ] && { run selftest; run guest; run kvm; run vf; } ;;
all) run setup; [ $rc = 0 ] && { run selftest; run guest; run kvm; run vf; run xen; } ;;
fixtures)  # LAB_FIXTURES_NORUN=1: only copy the snapshots of the last guest/xen runs
	if [ "${LAB_FIXTURES_NORUN:-0}" = 1 ]; then install_fixtures || rc=1
	else run setup; [ $rc = 0 ] && { run guest; run xen; install_fixtures || rc=1; }; fi ;;
recheck) recheck "${1:?stage}" || rc=1 ;;
*) usage ;;
esac
if [ $rc = 0 ]; then log "PASS lab $cmd (total $(( $(date +%s) - LAB_START ))s)"; else log "FAIL lab $cmd (total $(( $(date +%s) - LAB_START ))s)"; fi
exit $rc
