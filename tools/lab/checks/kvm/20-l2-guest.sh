# The L2 virtio guest booted under KVM, ran its workload and passed its own counter checks,
# and the L1 kvm tracepoints saw its exits (PIO/MMIO doorbells).
. "$(dirname "$0")/../../lib/check.sh"
c=$LAB_DATA/l2-console.log
[ -s "$c" ] || fail "no L2 console"
tr -d '\r' < "$c" | grep -q '^LAB-END ok' || fail "L2 did not finish: $(tr -d '\r' < "$c" | grep -a '^LAB' | tail -1)$(l2_boots l2)"
tr -d '\r' < "$c" | grep -q '^CHECK l2/.* FAIL' && fail "L2: $(tr -d '\r' < "$c" | grep '^CHECK l2/.* FAIL' | head -1)"
tr -d '\r' < "$c" | grep -q '^CHECK l2/.* PASS' || fail "L2 printed no PASS check"
hist_total() { awk '/^ *Hits:/ {print $2; exit}' "$1"; }
e=$(( $(hist_total "$LAB_DATA/l2/after/hist.kvm_exit") - $(hist_total "$LAB_DATA/l2/before/hist.kvm_exit") ))
p=$(( $(hist_total "$LAB_DATA/l2/after/hist.kvm_pio") - $(hist_total "$LAB_DATA/l2/before/hist.kvm_pio") ))
m=$(( $(hist_total "$LAB_DATA/l2/after/hist.kvm_mmio") - $(hist_total "$LAB_DATA/l2/before/hist.kvm_mmio") ))
out="$(atleast kvm_exit "$e" 1000) $(atleast kvm_pio "$p" 100) $(atleast kvm_mmio "$m" 10)" || fail "$out"
pass "L2 ok; $out; L2: $(tr -d '\r' < "$c" | grep '^CHECK l2/' | cut -d' ' -f2- | head -2 | tr '\n' ' ')$(l2_boots l2)"
