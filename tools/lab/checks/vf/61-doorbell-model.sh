# What a VF doorbell costs, by iopath's exit model, on this guest: `iopath env --exits` (run with
# igbvf bound; --model for the table) puts igbvf's tail write under the "doorbell" kind and says it is not measured here
# because the compiler inlined igbvf_tx_queue_adv into igbvf_xmit_frame (so a recording counts the
# doorbell as the xmit: one per packet, no xmit_more batching in igbvf); the model's KVM cell says
# both costs: a VF's BAR passed through stays in the guest, the same VF emulated by the VMM (QEMU's
# igb, as here under TCG) exits on every write.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
J=$LAB_DATA/info/iopath-exits.json
jq -e . "$J" > /dev/null 2>&1 || fail "env --exits: $(head -c 200 "$J")"
k=$(jq -c '[.kinds[] | select(.kind == "doorbell")][0]' "$J")
[ "$k" != null ] || fail "no doorbell kind in env --exits"
nm=$(echo "$k" | jq -r '.not_measured // ""')
case $nm in *inlined*) ;; *) fail "doorbell not_measured '$nm' (want: inlined), measurable_by $(echo "$k" | jq -r .measurable_by)" ;; esac
kvm=$(jq -r '.exit_model[] | select(.kind == "doorbell") | .platforms.KVM.why' "$LAB_DATA/info/iopath-model.json" 2>/dev/null)
case $kvm in *"passed through: stays"*"igb"*exits*) ;; *) fail "model's KVM doorbell cell '$kvm'" ;; esac
pass "doorbell here: $(echo "$k" | jq -r .verdict) ($(echo "$k" | jq -r .why)); not measured: $nm; KVM: $kvm"
