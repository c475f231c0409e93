# Kernel stacks at probe points (record --stacks): every datagram the
# built-in workload sends is one net_dev_queue hit with a stack through the
# UDP send path ending in __dev_queue_xmit (tracing machinery trimmed), and
# the stacks draw as a flame graph.
. "$(dirname "$0")/lib.sh"

"$IOPATH" record --stacks --workload builtin --packets 3000 -o "$TMP/s.rec" > "$TMP/out.txt" 2> "$TMP/err.txt"
grep -q "kernel stacks: [1-9]" "$TMP/out.txt" || fail "no stacks kept: $(tail -2 "$TMP/out.txt")"
"$IOPATH" flame --stacks --folded "$TMP/s.rec" > "$TMP/f"
lost=$(sed -n 's/.* \([0-9]*\) events not recorded: stack_unavailable.*/\1/p' "$TMP/err.txt"); lost=${lost:-0}
q=$(awk '$1 ~ /^net_dev_queue;/ && $1 ~ /udp_sendmsg_\[k\]/ { s += $NF } END { print s + 0 }' "$TMP/f")
# the sender's 3000 datagrams, less stacks the map could not take (counted)
[ "$q" -ge $((3000 - lost)) ] || fail "net_dev_queue stacks through udp_sendmsg weigh $q, want 3000 (- $lost lost)"
awk '$1 ~ /^net_dev_queue;/ { n = split($1, f, ";"); if (f[n] != "__dev_queue_xmit_[k]") bad++ } END { exit bad > 0 }' "$TMP/f" ||
	fail "net_dev_queue stacks do not end in __dev_queue_xmit: $(grep '^net_dev_queue;' "$TMP/f" | head -1)"
# innermost frames are the kernel's (a timer interrupt landing inside one of
# iopath's own programs legitimately shows bpf_prog_* further out)
awk '{ n = split($1, f, ";"); if (f[n] ~ /^(bpf_prog_|bpf_trace_run|__bpf_trace_)/) bad++ } END { exit bad > 0 }' "$TMP/f" ||
	fail "tracing machinery left at the inner end of stacks"
ok "net_dev_queue: $q stacks through udp_sendmsg, innermost __dev_queue_xmit ($lost lost)"
"$IOPATH" flame --stacks "$TMP/s.rec" -o "$TMP/s.svg"
grep -q '<title>udp_sendmsg_\[k\] (' "$TMP/s.svg" || fail "SVG lacks the udp_sendmsg frame"
expect_exit 1 1 -- "$IOPATH" flame --stacks "$TMP/nonexistent.rec"
"$IOPATH" record --workload builtin --packets 10 -o "$TMP/n.rec" > /dev/null 2>&1
expect_exit 1 1 -- "$IOPATH" flame --stacks "$TMP/n.rec"
