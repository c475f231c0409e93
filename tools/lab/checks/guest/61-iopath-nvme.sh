# iopath hits vs guest counters, nvme profile: nvme_queue_rq = requests in /proc/diskstats,
# nvme_irq = nvme0qN interrupts in /proc/interrupts.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
d=$(getinfo nvme); r=0; out=""
for m in kprobe fentry; do
	P=$m-all; have_phase $P || { r=1; out="$out $P missing"; continue; }
	out="$out $(hits_vs $m:nvme_queue_rq $P nvme_queue_rq $(( $(d_disk $P $d reads) + $(d_disk $P $d writes) )) 0)" || r=1
	out="$out $(hits_vs $m:nvme_irq $P nvme_irq "$(d_irq $P 'nvme0q[1-9]')" 2)" || r=1
done
[ $r = 0 ] && pass "$out" || fail "$out"
