# The comparison's suite in the nested KVM guest (phase l2suite: the L2's recordings per phase,
# back on its outbox in l2suite/l2/labdata/suite), each against the L2's own counters over that
# phase (suite_check, lib/check.sh); and L1's record --host of the same run exists, the host's view
# of the same packets (examples/kvm-l1-host.rec).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
have_phase l2suite || skip "phase l2suite did not run"
[ -s "$LAB_DATA/l2suite/host.rec" ] || fail "no L1 host recording: $(tail -1 "$LAB_DATA/l2suite/iopath.err" 2>/dev/null)"
out=$(suite_check "$LAB_DATA/l2suite/l2/labdata/suite") && pass "$out$(l2_boots l2suite)" || fail "$out$(l2_boots l2suite)"
