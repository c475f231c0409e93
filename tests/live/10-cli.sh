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
for c in env probes record report diff compare flame top serve workload; do
	expect_exit 0 0 -- "$IOPATH" $c --help
	grep -q "usage: iopath $c" "$TMP/out" || fail "$c --help prints no usage"
	grep -q -- "-h, --help" "$TMP/out" || fail "$c --help does not list -h, --help"
done
# the same filters, spelt the same, wherever packets are traced
for c in record top serve; do
	"$IOPATH" $c --help > "$TMP/h"
	for f in "-i, --iface" "-q, --queue" "--dir tx|rx" "--proto udp|tcp" "--port N" "-p, --pid" "--netns"; do
		grep -q -- "$f" "$TMP/h" || fail "$c --help does not list $f"
	done
done
"$IOPATH" flame --help | grep -q -- "--title T  *the graph's title" || fail "flame --help does not describe --title"
"$IOPATH" probes --help | grep -q -- "-P, --profile" || fail "probes --help: no -P, --profile"
ok "every command's --help lists -h; record, top and serve list the same filters"

# -v: libbpf's lines once prefixed (its messages carry "libbpf: " already)
"$IOPATH" probes -n -vv > /dev/null 2> "$TMP/v.err" || fail "probes -n -vv failed: $(tail -1 "$TMP/v.err")"
grep -q '^libbpf: ' "$TMP/v.err" || fail "-vv shows no libbpf log"
! grep -q 'libbpf: libbpf:' "$TMP/v.err" || fail "-vv prefixes libbpf lines twice: $(grep -m1 'libbpf: libbpf:' "$TMP/v.err")"
ok "-vv: $(grep -c '^libbpf: ' "$TMP/v.err") libbpf lines, each prefixed once"
expect_exit 0 0 -- "$IOPATH" --version

# Not root: one clear line, exit 1, for every command that loads BPF.
# (env runs unprivileged: tests/live/15-privileges.sh)
for c in probes record top serve ""; do
	expect_exit 1 1 -- setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$IOPATH" $c
	grep -q "needs root" "$TMP/err" || fail "non-root '$c': $(cat "$TMP/err")"
done
