# The exit model against the host, for the nested KVM guest of phase l2suite: every MSR write the
# L2 made that exited to this host (record --host: kvm_msr exits by MSR, with the model's verdict
# for that MSR on KVM in its report) is one the model says exits or may exit on KVM; none is one
# it says stays in the guest (FS/GS/KERNEL_GS base, SYSENTER_*, ... passed through by SVM's MSR
# permission map: the L2 writes them at every boot, in cpu_init and syscall_init). And the TSC-
# deadline writes the L2 measured itself (msr:write_msr, during its recording) all show up here as
# exits: at least as many (the host's recording spans the L2's whole life, its boot included).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
D=$LAB_DATA/l2suite
have_phase l2suite || skip "phase l2suite did not run"
[ -s "$D/host.rec" ] || fail "no host recording"
iopath report --json "$D/host.rec" > "$D/host-model.json" 2> "$D/host-model.err" || fail "report: $(tail -1 "$D/host-model.err")"
w() { jq -r --arg v "$1" '[.host.counts[] | select(.kind == "msr_write" and .model_kvm == $v) | .count] | add // 0' "$D/host-model.json"; }
stays=$(w stays); exits=$(w exits); may=$(w "may exit")
none=$(jq -r '[.host.counts[] | select(.kind == "msr_write" and .model_kvm == null)] | length' "$D/host-model.json")
[ "$none" = 0 ] || fail "$none host MSR-write rows carry no model verdict"
sn=$(jq -r '[.host.counts[] | select(.kind == "msr_write" and .model_kvm == "stays") | (.name // (.msr | tostring))] | unique | join(",")' "$D/host-model.json")
l2=$(jq -r '[.exits.msr[]? | select(.msr == 1760) | .writes] | add // 0' "$D/l2/labdata/suite/record.json" 2>/dev/null)
hd=$(jq -r '[.host.counts[] | select(.kind == "msr_write" and .msr == 1760) | .count] | add // 0' "$D/host-model.json")
out="host MSR-write exits: model exits $exits, may exit $may, stays $stays${sn:+ ($sn)}; TSC_DEADLINE: L2 measured $l2, host exits $hd"
[ "$stays" = 0 ] || fail "$out: MISMATCH (the model says these stay in the guest)"
[ "$l2" -ge 1 ] && [ "$hd" -ge "$l2" ] || fail "$out: MISMATCH (want host >= L2 >= 1)$(l2_boots l2suite)"
[ "$exits" -ge 1 ] || fail "$out: MISMATCH (no MSR exit at all: was the host recording empty?)"
pass "$out ok"
