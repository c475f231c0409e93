# The FPU sentinel kept its SSE/AVX registers intact the whole time (a broken run is retried).
. "$(dirname "$0")/../../lib/check.sh"
l=$(grep '=>' "$LAB_DATA/fpcheck.log" 2>/dev/null | tail -1)
[ -n "$l" ] || fail "no fpcheck summary"
case "$l" in *"=> ok"*) pass "$l" ;; *) fail "$l" ;; esac
