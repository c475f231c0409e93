# iopath hits vs guest counters, nvme profile: nvme_queue_rq (+ nvme_queue_rqs: lib/check.sh submits)
# = requests in /proc/diskstats,
# nvme_irq = nvme0qN interrupts in /proc/interrupts (+-2 for interrupts at the phase edges).
# kprobe programs share the kernel's per-CPU bpf_prog_active guard: an nvme interrupt that
# lands while another iopath kprobe program runs on that CPU is skipped. Newer kernels count
# such skips in recursion_misses (iopath reports them); Debian 6.1 does not (measured: 125 of
# 128 with 0 misses reported, 126 and 127 in other runs). So in kprobe mode nvme_irq may fall
# short by the reported misses plus at most 5% on a kernel that does not count them; never
# above the interrupt count. fentry guards per program: exact within the +-2 edge allowance.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
d=$(getinfo nvme); r=0; out=""
for m in kprobe fentry; do
	P=$m-all; have_phase $P || { r=1; out="$out $P missing"; continue; }
	if [ $m = fentry ] && no_module_btf; then   # a module function cannot be fentry'd here
		out="$out $(fentry_unavailable fentry:nvme_queue_rq $P nvme_queue_rq)" || r=1
		out="$out $(fentry_unavailable fentry:nvme_irq $P nvme_irq)" || r=1
		continue
	fi
	out="$out $(near "$m:nvme_queue_rq(s)" "$(submits $P nvme)" $(( $(d_disk $P $d reads) + $(d_disk $P $d writes) )) 0)" || r=1
	irq=$(d_irq $P 'nvme0q[1-9]'); h=$(hits $P nvme_irq)
	miss=$(jq -r '.summary.dropped.recursion_misses // 0' "$LAB_DATA/$P/iopath.json" 2>/dev/null || echo 0)
	slack=2; [ $m = kprobe ] && slack=$((2 + irq / 20))
	if [ -n "$h" ] && [ "$h" -le $((irq + 2)) ] && [ $((irq - h)) -le $((miss + slack)) ]; then
		out="$out $m:nvme_irq=$h (interrupts $irq, recursion misses $miss) ok"
	else
		out="$out $m:nvme_irq=${h:-none} (interrupts $irq, recursion misses $miss) MISMATCH"; r=1
	fi
done
[ $r = 0 ] && pass "$out" || fail "$out"
