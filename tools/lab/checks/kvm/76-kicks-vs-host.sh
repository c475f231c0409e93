# The L2's virtio kicks against the host, for phase l2suite: every kick the L2 measured itself
# (virtqueue_notify, the exit model's virtio-kick row: "exits" on KVM) is an MMIO exit the L1 host
# handed to an ioeventfd (virtio-pci's notify page; record --host counts them). The L2 records its
# suite only, the host the L2's whole life (boot, virtio probing included), so the L2's count is at
# most the host's, and at least 1.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
D=$LAB_DATA/l2suite
have_phase l2suite || skip "phase l2suite did not run"
[ -s "$D/host.rec" ] && [ -s "$D/l2/labdata/suite/record.json" ] || fail "no host recording or no L2 recording$(l2_boots l2suite)"
[ -s "$D/host-model.json" ] || iopath report --json "$D/host.rec" > "$D/host-model.json" 2>/dev/null
k=$(jq -r '[.exits.crossings_by_model[]? | select(.kind == "virtio-kick") | .count] | add // 0' "$D/l2/labdata/suite/record.json")
v=$(jq -r '[.exits.crossings_by_model[]? | select(.kind == "virtio-kick") | .column][0] // "none"' "$D/l2/labdata/suite/record.json")
h=$(jq -r '.host.totals.mmio_ioeventfd + .host.totals.pio_ioeventfd + .host.totals.fast_mmio_ioeventfd' "$D/host-model.json")
out="L2 virtio kicks $k (model: $v), host ioeventfd exits $h"
[ "$v" = exits ] || fail "$out: MISMATCH (the model's KVM column for virtio-kick should be exits)"
[ "$k" -ge 1 ] && [ "$k" -le "$h" ] || fail "$out: MISMATCH (want 1 <= L2 <= host)"
pass "$out ok"
