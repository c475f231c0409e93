# Bad inputs, one row each: a value that cannot be, a name that exists nowhere, options that mean
# nothing together. Every row: the exit code, the number of stderr lines (exactly one: the
# reason), then the arguments to iopath ($VA, $VB, $A, $B: a veth pair this test makes, each end
# in a namespace of its own). Most were accepted before, giving an empty report and exit 0.
. "$(dirname "$0")/lib.sh"

make_veth_pair bad 77
PIDMAX=$(cat /proc/sys/kernel/pid_max)

while read -r code lines args; do
	case "$code" in ''|'#'*) continue ;; esac
	eval "set -- $args"
	expect_exit "$code" "$lines" -- "$IOPATH" "$@"
done << EOF
# names that exist nowhere (-i is looked for in every namespace: /proc/*/ns/net, /run/netns)
2 1 record -i nosuch0 -d 1
2 1 top -i nosuch0
2 1 serve -i nosuch0
2 1 record --netns no-such-netns -d 1
2 1 record --netns 12345 -d 1
2 1 record -i $VA --netns $B -d 1
2 1 record -p $((PIDMAX + 1)) -d 1
# values that cannot be (strtoul read -5 as 18446744073709551611)
2 1 record --sample -5
2 1 record --packets -1 -w builtin
2 1 record --tcp-bytes 1e6 -w builtin
2 1 record --deep-max -3 --deep
2 1 record -q -1
2 1 record --port 0
2 1 record -p -1
# a queue beyond the interface's (lo has one; a veth in another namespace has one in use,
# one allocated per CPU, which rtnetlink reports)
2 1 record -i lo -q 1 -d 1
2 1 record -i $VB -q 1 -d 1
2 1 top -i $VA -q 1
# filters of the network path without it
2 1 record --port 80 --blk -d 1
2 1 record -i $VA --blk -d 1
2 1 record --proto udp --exits -d 1
2 1 top --port 80 --blk
2 1 serve -i $VA --blk
# record's own options without what gives them meaning
2 1 record --guest-packets 5 -d 1
2 1 record --packets 5 -d 1
2 1 record --tcp-bytes 100 -d 1
2 1 record --deep --blk -d 1
2 1 record --sample 10 --blk -d 1
2 1 record --counter cpu-clock --blk -d 1
2 1 record -d 1 -- true
2 1 record -p $$ --dir rx -d 1
# top: INTERVAL [COUNT]
2 1 top 0
2 1 top 1 0
2 1 top 1 x
2 1 top 1 2 3
2 1 top --interval 1 2
# probes: -P is the profile now, -p is --pid elsewhere
2 1 probes -p irq
2 1 probes -P xen-pv -K tests/fixtures/kernels/6.1
EOF

# a kernel below the floor (no way to send samples: neither the ring buffer, 5.8, nor the perf
# buffer; no tracepoint programs), as calibration reports it (IOPATH_MASK_CAPS takes the
# capability away): one line naming what is missing, exit 1
IOPATH_MASK_CAPS=ringbuf,perfbuf expect_exit 1 1 -- "$IOPATH" record -d 1
grep -q "below what iopath runs on (Linux 5.2 with BTF (proven from 5.10).*no BPF ring buffer (5.8+).*no perf buffer" "$TMP/err" ||
	fail "below the floor: $(cat "$TMP/err")"
IOPATH_MASK_CAPS=tp_btf,raw_tp expect_exit 1 1 -- "$IOPATH" top 1 1
IOPATH_MASK_CAPS=no_such_cap expect_exit 2 1 -- "$IOPATH" env

# --deep where no function taking an sk_buff can be probed (no kprobes, no fentry): one line and a
# failure before anything is recorded, not a report that looks complete
"$IOPATH" env --json > "$TMP/env.json"
if [ "$(jqf "$TMP/env.json" .capabilities.kprobe.ok)" = false ] && [ "$(jqf "$TMP/env.json" .capabilities.fentry.ok)" = false ]; then
	expect_exit 1 1 -- "$IOPATH" record --deep -d 1
	grep -q "^iopath: --deep: none of the .* can be probed here" "$TMP/err" || fail "--deep: $(cat "$TMP/err")"
	[ ! -s "$TMP/out" ] || fail "--deep with nothing attachable printed a report"
fi
ok "every bad input: one line, its exit code"
