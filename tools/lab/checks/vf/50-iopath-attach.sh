# iopath attached the igbvf profile by kprobe and by fentry (every function point by the method
# asked for), and said of the two rows inlined into their callers on Debian 6.1 (the tail write
# igbvf_tx_queue_adv, the RX clean igbvf_clean_rx_irq) that they are inlined.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
r=0; out=""
for m in kprobe fentry; do
	P=$m-igbvf
	out="$out $(iopath_phase $P)" || r=1
	ok=fentry/fexit; [ $m = kprobe ] && ok=kprobe/kretprobe
	bad=$(points $P | awk -v ok="/$ok/" '$3 == "attached" && $6 ~ /^func/ && index(ok, "/" $4 "/") == 0 {printf "%s/%s ", $1, $4}')
	[ -z "$bad" ] || { r=1; out="$out ($P points attached with another method: $bad)"; }
	for s in igbvf_tx_queue_adv igbvf_clean_rx_irq; do
		st=$(points $P | awk -v s="$s" '$1 == s || $1 == "igbvf:" s {print $3; exit}')
		[ "$st" = inlined ] || { r=1; out="$out $P:$s status '${st:-no point}' (want inlined) MISMATCH"; }
	done
done
[ $r = 0 ] && pass "$out" || fail "$out"
