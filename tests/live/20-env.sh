# iopath env tells the truth about this machine: capabilities agree with
# what the kernel exposes independently, every NIC/disk is listed with the
# driver sysfs names, and IRQ lines exist in /proc/interrupts.
. "$(dirname "$0")/lib.sh"

"$IOPATH" env --json > "$TMP/env.json"
jq -e . "$TMP/env.json" > /dev/null || fail "env --json is not JSON"
cap() { jqf "$TMP/env.json" ".capabilities.$1.ok"; }

# kprobes: the kprobe PMU (perf_event_open path libbpf uses) or kprobe_events.
if [ -e /sys/bus/event_source/devices/kprobe ] || [ -e /sys/kernel/tracing/kprobe_events ]; then
	want=true; else want=false; fi
[ "$(cap kprobe)" = "$want" ] || fail "kprobe capability $(cap kprobe), kernel exposes kprobes: $want"
ok "kprobe=$(cap kprobe) matches /sys/bus/event_source/devices/kprobe"
# A hardware PMU registers the 'cpu' event source on x86.
if [ -e /sys/bus/event_source/devices/cpu ]; then want=true; else want=false; fi
[ "$(cap hw_pmu)" = "$want" ] || fail "hw_pmu $(cap hw_pmu), cpu PMU present: $want"
ok "hw_pmu=$want matches /sys/bus/event_source/devices/cpu"
# This kernel has BTF, tracepoints, both sample transports and mmap'able arrays (the floor, and more).
for c in vmlinux_btf tp_btf raw_tp ringbuf perfbuf array_mmap test_run_raw_tp; do
	[ "$(cap $c)" = true ] || fail "$c not available: $(jqf "$TMP/env.json" ".capabilities.$c.detail")"
done
ok "vmlinux_btf tp_btf raw_tp ringbuf perfbuf array_mmap test_run_raw_tp measured available"
[ "$(jqf "$TMP/env.json" .capabilities.samples)" = "BPF ring buffer" ] ||
	fail "samples go by $(jqf "$TMP/env.json" .capabilities.samples) where the ring buffer works"
# fentry: when it fails, the recorded reason is the kernel's errno.
if [ "$(cap fentry)" = false ]; then
	jqf "$TMP/env.json" '.capabilities.fentry.errno' > /dev/null || fail "fentry failed without an errno"
fi

# Platform: a hypervisor flag in cpuinfo means not bare metal.
kind=$(jqf "$TMP/env.json" .platform.kind)
if grep -qw hypervisor /proc/cpuinfo; then
	[ "$kind" != bare-metal ] || fail "cpuinfo says hypervisor, env says $kind"
fi
ok "platform $kind ($(jqf "$TMP/env.json" .platform.evidence))"
# The hypervisor's own word: what the kernel logged at boot, read by dmesg here, is what env took.
logged=$(dmesg 2>/dev/null | sed -n 's/.*Hypervisor detected: //p' | tail -1)
if [ -n "$logged" ]; then
	said=$(jqf "$TMP/env.json" .platform.hypervisor_signature.kernel_detected)
	[ "$said" = "$logged" ] || fail "the kernel logged 'Hypervisor detected: $logged', env read '$said'"
	ok "kernel's own word: $logged (files: $(jq -r '.platform.files_kind // "agree"' "$TMP/env.json"))"
fi

# Every network device, with the driver sysfs names.
n=0
for d in /sys/class/net/*; do
	name=${d##*/}
	[ "$name" = lo ] && continue
	got=$(jq -r --arg n "$name" '.devices.nics[] | select(.name == $n) | .driver // "virtual"' "$TMP/env.json")
	[ -n "$got" ] || fail "NIC $name missing from env"
	if [ -e "$d/device/driver" ]; then
		want=$(basename "$(readlink "$d/device/driver")")
		[ "$got" = "$want" ] || fail "NIC $name driver $got, sysfs says $want"
	fi
	n=$((n + 1))
done
ok "$n NICs match sysfs"
# Every IRQ listed for a device is a line of /proc/interrupts.
for irq in $(jq -r '.devices.nics[].irqs[]?, .devices.block[].irqs[]?' "$TMP/env.json"); do
	grep -qE "^ *$irq:" /proc/interrupts || fail "IRQ $irq not in /proc/interrupts"
done
ok "device IRQs present in /proc/interrupts"

# env --exits: every kind of the model once, and what this kernel can count said from resolution:
# msr:write_msr resolves (tracepoints attach here), so the timer kind is measurable by it; a kind
# whose points are all functions (virtio kicks) says why not where kprobes and fentry are missing.
"$IOPATH" env --exits --json > "$TMP/exits.json" || fail "env --exits --json failed"
n=$(jq '.kinds | length' "$TMP/exits.json"); [ "$n" -ge 20 ] || fail "env --exits: $n kinds"
[ "$(jq -r '[.kinds[].kind] | unique | length' "$TMP/exits.json")" = "$n" ] || fail "env --exits: a kind twice"
jq -e '.kinds[] | select(.kind == "timer") | .measurable_by | test("write_msr")' "$TMP/exits.json" > /dev/null ||
	fail "env --exits: timer not measurable by msr:write_msr: $(jq -c '.kinds[] | select(.kind == "timer")' "$TMP/exits.json")"
if ! jq -e '.capabilities.kprobe.ok // false' "$TMP/env.json" > /dev/null; then
	jq -e '.kinds[] | select(.kind == "virtio-kick") | (.measurable_by == null and (.not_measured | length > 0))' \
		"$TMP/exits.json" > /dev/null || fail "env --exits: virtio-kick measurable without kprobes?"
fi
ok "env --exits: $n kinds; timer measurable by msr:write_msr; $(jq -r '.kinds[] | select(.kind == "virtio-kick") | .not_measured // "virtio-kick measurable"' "$TMP/exits.json" | cut -c1-80)"
