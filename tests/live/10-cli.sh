# CLI conventions: bad input gets one line on stderr and exit 2; missing
# privileges one line and exit 1; help exits 0.
. "$(dirname "$0")/lib.sh"

expect_exit 2 1 -- "$IOPATH" frobnicate
expect_exit 2 1 -- "$IOPATH" probes --bogus
expect_exit 2 1 -- "$IOPATH" probes -x
expect_exit 2 1 -- "$IOPATH" probes -d
expect_exit 2 1 -- "$IOPATH" probes -d -5
expect_exit 2 1 -- "$IOPATH" probes --method teleport
expect_exit 2 1 -- "$IOPATH" probes --profile no-such-driver
expect_exit 2 1 -- "$IOPATH" probes --dry-run -d 1
expect_exit 2 1 -- "$IOPATH" probes --platform kvm
expect_exit 2 1 -- "$IOPATH" env --json extra
expect_exit 2 1 -- "$IOPATH" env --frob
expect_exit 2 1 -- "$IOPATH" record --dir sideways
expect_exit 2 1 -- "$IOPATH" record --workload elsewhere
expect_exit 2 1 -- "$IOPATH" record --port 70000
expect_exit 2 1 -- "$IOPATH" workload udp-send
expect_exit 1 1 -- "$IOPATH" probes --kernel-facts /nonexistent
for c in env probes; do
	expect_exit 0 0 -- "$IOPATH" $c --help
	grep -q "usage: iopath $c" "$TMP/out" || fail "$c --help prints no usage"
done
expect_exit 0 0 -- "$IOPATH" --version

# Not root: one clear line, exit 1, for every command that loads BPF.
for c in env probes record ""; do
	expect_exit 1 1 -- setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$IOPATH" $c
	grep -q "needs root" "$TMP/err" || fail "non-root '$c': $(cat "$TMP/err")"
done
