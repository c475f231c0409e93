# The comparison's recordings (phase suite, lib/suite.sh): every phase of `iopath workload suite`
# has its recording, and each one's count is the kernel's own over that phase (suite_check in
# lib/check.sh: the interface's tx/rx packets, the disk's reads + writes). Tolerance 0 but for
# tcp-bulk (see suite_check): the pair is the domU and dom0 alone on a bridge, IPv6 off,
# neighbours pinned (stage_setup).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
have_phase suite || skip "phase suite did not run"
out=$(suite_check "$LAB_DATA/suite") && pass "$out" || fail "$out"
