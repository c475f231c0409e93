# kvmtiny: exactly NPIO kvm_pio on port 0x3f8 and NMMIO kvm_mmio writes to 0x8000, and
# kvm_exit = NPIO + NMMIO + HLT + a few (the first code-page fault, timer/IPI exits).
. "$(dirname "$0")/../../lib/check.sh"
P=$(getinfo npio); M=$(getinfo nmmio); r=0; out=""
grep -q "^KVMTINY pio=$P mmio=$M hlt=1 other=0" "$LAB_DATA/tiny/workload.log" || fail "kvmtiny: $(head -3 "$LAB_DATA/tiny/workload.log" | tr '\n' ' ')"
# hist files: "{ port: 1016, rw: 1 } hitcount: 200" ... "Totals: Hits: N"
hist_total() { awk '/^ *Hits:/ {print $2; exit}' "$1"; }
hd() { echo $(( $(hist_total "$LAB_DATA/tiny/after/hist.$1") - $(hist_total "$LAB_DATA/tiny/before/hist.$1") )); }
bucket() { # PHASEFILE AWK-REGEX -> hitcount
	awk -v re="$2" '$0 ~ re { for (i = 1; i <= NF; i++) if ($i == "hitcount:") s += $(i + 1) } END {print s + 0}' "$1"
}
bd() { echo $(( $(bucket "$LAB_DATA/tiny/after/hist.$1" "$2") - $(bucket "$LAB_DATA/tiny/before/hist.$1" "$2") )); }
out="$out $(near pio@0x3f8 "$(bd kvm_pio 'port: *1016')" $P 0)" || r=1
out="$out $(near mmio@0x8000 "$(bd kvm_mmio 'gpa: *(32768|0x0*8000)')" $M 0)" || r=1
e=$(hd kvm_exit)
out="$out $(near kvm_exit "$e" $((P + M + 9)) 8)" || r=1   # P+M+HLT .. +16
[ $r = 0 ] && pass "$out (kvm_pio total $(hd kvm_pio), kvm_mmio total $(hd kvm_mmio))" || fail "$out"
