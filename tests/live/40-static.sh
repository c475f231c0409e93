# The binary is static and runs when copied alone into a fresh network
# namespace (as on an instance): local timer interrupts are seen and are no
# more than /proc/interrupts LOC counted over the same span.
. "$(dirname "$0")/lib.sh"

ldd "$IOPATH" 2>&1 | grep -q "not a dynamic executable" || fail "iopath is dynamically linked: $(ldd "$IOPATH" 2>&1 | head -3)"
ok "static: $(ldd "$IOPATH" 2>&1)"
mkdir "$TMP/bin" && cp "$IOPATH" "$TMP/bin/iopath"
make_netns static
loc() { awk '$1 == "LOC:" { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' /proc/interrupts; }
l0=$(loc)
ip netns exec "$NS" env -i "$TMP/bin/iopath" probes -P irq -d 1 --json > "$TMP/p.json"
l1=$(loc)
h=$(jq -r '.points[] | select(.symbol == "local_timer_entry") | .hits' "$TMP/p.json")
[ "$h" -gt 0 ] || fail "local_timer_entry did not fire in 1 s"
[ "$h" -le $((l1 - l0)) ] || fail "local_timer_entry $h hits > LOC delta $((l1 - l0))"
ok "copied binary in netns $NS: local_timer_entry $h hits <= LOC delta $((l1 - l0))"
