# iopath's kvm-host profile on kvmtiny: its kvm_exit count equals the kvm_exit tracepoint hist
# (every exit in that phase is kvmtiny's: NPIO + NMMIO + HLT + a few).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
P=tiny-auto-kvm-host
out=$(iopath_phase $P) || fail "$out"
grep -q "^KVMTINY pio=$(getinfo npio) mmio=$(getinfo nmmio) hlt=1" "$LAB_DATA/$P/workload.log" || fail "kvmtiny: $(head -2 "$LAB_DATA/$P/workload.log" | tr '\n' ' ')"
ht() { awk '/^ *Hits:/ {print $2; exit}' "$1"; }
e=$(( $(ht "$LAB_DATA/$P/after/hist.kvm_exit") - $(ht "$LAB_DATA/$P/before/hist.kvm_exit") ))
out="$out $(hits_vs kvm_exit $P kvm_exit $e 0)" || fail "$out"
pass "$out (P=$(getinfo npio) M=$(getinfo nmmio))"
