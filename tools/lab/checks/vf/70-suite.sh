# The comparison's network phases over the VF (phase suite, lib/suite.sh), each recording against
# the VF's own counters over that phase (suite_check, lib/check.sh); the VF has no disk, so the
# block phases are not run here. The peer is the lab host through QEMU user-net.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
have_phase suite || skip "phase suite did not run"
out=$(suite_check "$LAB_DATA/suite" "udp-rr udp-stream tcp-bulk") && pass "$out" || fail "$out"
