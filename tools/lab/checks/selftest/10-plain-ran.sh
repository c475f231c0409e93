# The plain phase ran and its workload exited 0 (fails when lab.phases=none left it out).
. "$(dirname "$0")/../../lib/check.sh"
f=$LAB_DATA/plain/workload.log
[ -f "$f" ] || fail "no plain phase ran"
grep -q '^rc=0$' "$f" || fail "plain workload ended $(tail -1 "$f")"
pass "plain phase ran, rc=0"
