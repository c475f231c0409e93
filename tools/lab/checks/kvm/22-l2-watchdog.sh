# The L2 watchdog (stages/kvm.sh l2_tries), on an L2 that hangs on purpose (phase l2hang: the
# first boot's phase plain never ends and prints nothing more): that boot was judged wedged after
# 30 s of silence and stopped, its console kept with QEMU's view of its vCPU (a RIP), and the
# second boot ran without the hang to its end and passed its own check.
. "$(dirname "$0")/../../lib/check.sh"
D=$LAB_DATA/l2hang
have_phase l2hang || skip "phase l2hang did not run"
b=$D/console-broken-1.log; c=$D/console.log
fate=$(tr '\n' ';' < "$D/l2-boots" 2>/dev/null)
grep -q '^boot 1: wedged' "$D/l2-boots" 2>/dev/null || fail "the hanging boot was not judged wedged: ${fate:-no l2-boots}"
grep -q '^boot 2: ended by itself (rc=0,' "$D/l2-boots" || fail "no second boot that ended by itself: $fate"
tr -d '\r' < "$b" 2>/dev/null | grep -aq '^LAB T+.* phase plain: lab_test_hang' || fail "the kept console of boot 1 does not show the hang: $(ls "$D" | tr '\n' ' ')"
rip=$(tr -d '\r' < "$b" | grep -ao '^LAB-L1| .*RIP=[0-9a-f]*' | grep -o 'RIP=[0-9a-f]*' | head -1)
[ -n "$rip" ] || fail "no QEMU monitor dump (RIP) in the kept console of boot 1"
tr -d '\r' < "$c" | grep -aq 'lab_test_hang' && fail "boot 2 hung on purpose too"
tr -d '\r' < "$c" | grep -aq '^LAB-END ok' || fail "boot 2 did not finish: $(tr -d '\r' < "$c" | grep -a '^LAB' | tail -1)"
tr -d '\r' < "$c" | grep -aq '^CHECK l2/10-virtio PASS' || fail "boot 2: $(tr -d '\r' < "$c" | grep -a '^CHECK' | head -1)"
pass "$fate boot 1's vCPU at $rip"
