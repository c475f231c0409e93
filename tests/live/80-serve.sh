# iopath serve: the OpenMetrics exposition of the live aggregates, scraped
# during real traffic on a veth pair only this test uses (IPv6 off, static
# neighbours: nothing but the workload crosses it). The scrape must pass the
# strict format checker (build/tests/check_openmetrics FILE) and be ingested
# by a real Prometheus server scraping it as OpenMetrics; the packet counter
# of the veth device must equal the interface's own counters; the server
# must answer 404 elsewhere and exit 0 on SIGTERM.
. "$(dirname "$0")/lib.sh"

CHECKER=build/tests/check_openmetrics
[ -x $CHECKER ] || fail "no $CHECKER (run make unit first)"
command -v curl > /dev/null || fail "no curl (tools/install-deps.sh test)"
command -v prometheus > /dev/null || fail "no prometheus (tools/install-deps.sh test)"

N=20000
make_veth_pair s 74

# Bad input: one line, exit 2.
expect_exit 2 1 -- "$IOPATH" serve --listen nonsense
expect_exit 2 1 -- "$IOPATH" serve --listen 127.0.0.1:70000
expect_exit 2 1 -- "$IOPATH" serve --bogus
expect_exit 0 0 -- "$IOPATH" serve --help
grep -q "usage: iopath serve" "$TMP/out" || fail "serve --help prints no usage"
expect_exit 1 1 -- setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$IOPATH" serve
grep -q "needs root" "$TMP/err" || fail "non-root serve: $(cat "$TMP/err")"

# The server, on a free port it picks (printed on stderr).
serve_start
ok "$(head -1 "$TMP/serve.err")"

# A real Prometheus scraping it every second.
PP=$((20000 + $$ % 20000))
while ss -ltnH "sport = :$PP" | grep -q .; do PP=$((PP + 1)); done
cat > "$TMP/prom.yml" <<EOF
global: { scrape_interval: 1s, scrape_timeout: 1s }
scrape_configs:
  - job_name: iopath
    static_configs: [ { targets: ["127.0.0.1:$PORT"] } ]
EOF
prometheus --config.file="$TMP/prom.yml" --storage.tsdb.path="$TMP/prom-data" \
	--web.listen-address=127.0.0.1:$PP > "$TMP/prom.log" 2>&1 &
PPID_=$!
at_exit "kill $PPID_ 2>/dev/null; wait $PPID_ 2>/dev/null || true"
PROM=http://127.0.0.1:$PP/api/v1
promq() { curl -sf "$PROM/query" --data-urlencode "query=$1" | jq -r '.data.result[0].value[1] // empty'; }

tx0=$(stat_of $A $VA tx_packets) d0=$(stat_of $A $VA tx_dropped)
ip netns exec $B "$IOPATH" workload udp-sink 5301 30 > "$TMP/sink.out" & SINK=$!
at_exit "kill $SINK 2>/dev/null || true"
sleep 0.3
ip netns exec $A "$IOPATH" workload udp-send 10.253.74.2 5301 $N 200 > "$TMP/send.out"
sleep 0.5
kill $SINK 2>/dev/null; wait $SINK 2>/dev/null || true
tx=$(( $(stat_of $A $VA tx_packets) - tx0 )) dropped=$(( $(stat_of $A $VA tx_dropped) - d0 ))
echo "workload: $(cat "$TMP/send.out"); $VA tx_packets +$tx, tx_dropped +$dropped"
[ "$tx" -ge $N ] || fail "$VA sent $tx packets, the workload sent $N"

# The scrape: headers, format, values.
curl -sf -D "$TMP/headers" -o "$TMP/metrics" "$URL" || fail "GET $URL failed"
tr -d '\r' < "$TMP/headers" | grep -qx 'Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8' ||
	fail "content type: $(grep -i content-type "$TMP/headers")"
ok "GET /metrics: $(head -1 "$TMP/headers" | tr -d '\r'), $(wc -l < "$TMP/metrics") lines"
[ "$(tail -n 1 "$TMP/metrics")" = "# EOF" ] || fail "exposition does not end with # EOF"
out=$($CHECKER "$TMP/metrics") || fail "strict checker: $out"
ok "strict checker: $out"
# promtool's OpenMetrics parser (its `check metrics` reads only the classic
# text format): the backfill importer parses the scrape, given timestamps.
awk '/^#/ { print; next } { print $0 " 1700000000" }' "$TMP/metrics" > "$TMP/metrics-ts"
promtool tsdb create-blocks-from openmetrics "$TMP/metrics-ts" "$TMP/blocks" > "$TMP/promtool.out" 2>&1 ||
	fail "promtool rejects the exposition: $(cat "$TMP/promtool.out")"
series=$(awk 'NR == 2 { print $7 }' "$TMP/promtool.out")
[ "$series" = "$(grep -vc '^#' "$TMP/metrics")" ] || fail "promtool imported $series series: $(cat "$TMP/promtool.out")"
ok "promtool (OpenMetrics parser): $series series imported"
got=$(awk -v d="$VA" 'index($0, "iopath_packets_total{device=\"" d "\",") == 1 && /dir="tx"/ { print $2 }' "$TMP/metrics")
[ "$got" = $((tx + dropped)) ] ||
	fail "iopath_packets_total for $VA tx is '$got', the interface counted $tx sent + $dropped dropped"
ok "iopath_packets_total{device=\"$VA\",dir=\"tx\"} $got = tx_packets $tx + tx_dropped $dropped"
rxb=$(awk -v d="$VB" 'index($0, "iopath_packets_total{device=\"" d "\",") == 1 && /dir="rx"/ { print $2 }' "$TMP/metrics")
[ "$rxb" = "$tx" ] || fail "iopath_packets_total for $VB rx is '$rxb', want $tx"
ok "$VB rx $rxb packets"
grep -q "^iopath_stage_latency_seconds_bucket{device=\"$VA\",.*stage_from=\"queue\",stage_to=\"start_xmit\",le=\"+Inf\"} " \
	"$TMP/metrics" || fail "no queue -> start_xmit histogram for $VA"
inf=$(grep "^iopath_path_latency_seconds_bucket{device=\"$VA\",.*dir=\"tx\",le=\"+Inf\"}" "$TMP/metrics" | awk '{print $2}')
[ "$inf" = "$got" ] || fail "$VA tx path latency histogram has $inf packets, want $got"
ok "$VA tx path latency: $inf packets in the +Inf bucket"
grep -q '^iopath_probe_points{status="attached"} [1-9]' "$TMP/metrics" || fail "no attached probe points"
grep -q '^iopath_irq_interrupts_total{' "$TMP/metrics" || echo "note: no interrupt lines seen"

# Other paths and methods.
[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/)" = 404 ] || fail "/ is not 404"
[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/metricsx)" = 404 ] || fail "/metricsx is not 404"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:$PORT/metrics)" = 405 ] || fail "POST is not 405"
ok "404 for / and /metricsx, 405 for POST"

# Prometheus ingested the same value through its OpenMetrics parser.
v=""
for i in $(seq 60); do
	v=$(promq "iopath_packets_total{device=\"$VA\",dir=\"tx\"}" || true)
	[ "$v" = "$got" ] && break
	sleep 0.5
done
curl -sf "$PROM/targets" > "$TMP/targets.json" || fail "prometheus API not reachable: $(tail -3 "$TMP/prom.log")"
health=$(jq -r '.data.activeTargets[0].health' "$TMP/targets.json")
lasterr=$(jq -r '.data.activeTargets[0].lastError' "$TMP/targets.json")
[ "$health" = up ] && [ -z "$lasterr" ] || fail "prometheus target $health: $lasterr"
[ "$v" = "$got" ] || fail "prometheus has iopath_packets_total $v for $VA tx, want $got"
unit=$(curl -sf "$PROM/metadata?metric=iopath_stage_latency_seconds" | jq -r '.data.iopath_stage_latency_seconds[0] | .type + " " + .unit')
[ "$unit" = "histogram seconds" ] || fail "prometheus metadata of iopath_stage_latency_seconds: '$unit' (not parsed as OpenMetrics?)"
p99=$(promq "histogram_quantile(0.99, iopath_path_latency_seconds_bucket{device=\"$VA\",dir=\"tx\"})")
ok "prometheus $(prometheus --version 2>&1 | head -1 | awk "{print \$3}"): target up, no scrape error, $VA tx packets $v, type/unit '$unit', p99 path latency ${p99}s"

# SIGTERM: a clean exit.
kill -TERM $SPID
rc=0
wait $SPID || rc=$?
[ $rc = 0 ] || fail "serve exited $rc after SIGTERM: $(cat "$TMP/serve.err")"
[ "$(err_lines "$TMP/serve.err")" = 1 ] || fail "serve wrote more to stderr: $(cat "$TMP/serve.err")"
ok "serve exited 0 on SIGTERM"
