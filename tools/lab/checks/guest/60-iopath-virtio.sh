# iopath hits vs guest counters, virtio profile: virtio_queue_rq (+ virtio_queue_rqs: lib/check.sh
# submits) = requests in /proc/diskstats, start_xmit = tx_packets of the virtio_net interface.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
v=$(getinfo virtio_net); b=$(getinfo vblk); r=0; out=""
for m in kprobe fentry; do
	P=$m-all; have_phase $P || { r=1; out="$out $P missing"; continue; }
	if [ $m = fentry ] && no_module_btf; then   # a module function cannot be fentry'd here
		out="$out $(fentry_unavailable fentry:virtio_queue_rq $P virtio_queue_rq)" || r=1
		out="$out $(fentry_unavailable fentry:start_xmit $P start_xmit)" || r=1
		continue
	fi
	out="$out $(near "$m:virtio_queue_rq(s)" "$(submits $P virtio)" $(( $(d_disk $P $b reads) + $(d_disk $P $b writes) )) 0)" || r=1
	out="$out $(hits_vs $m:start_xmit $P start_xmit "$(d_net $P $v tx_packets)" 0)" || r=1
done
[ $r = 0 ] && pass "$out" || fail "$out"
