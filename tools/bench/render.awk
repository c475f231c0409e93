# render.awk -v mode=json|text FIGURES: the results of tools/bench/stats.awk as the JSON
# document (mode=json; the run's facts come in -v variables) or as the short text table
# (mode=text: the ratios, the untraced rates they are relative to, attach and stop times,
# per-hit costs, start-up, report and the recordings; the traced rates, the raw_tp floor,
# hit counts and seen shares stay in the JSON).
BEGIN { FS = "\t" }
{
	nr++
	for (i = 1; i <= 16; i++) c[nr, i] = $i
}
function jstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	gsub(/\t/, "\\t", s)
	gsub(/\n/, "\\n", s)
	return "\"" s "\""
}
function jnum(x) { return x == "" ? "null" : x + 0 }
function fmt(x) {
	if (x == "") return "-"
	x += 0
	return (x >= 1000 || x <= -1000) ? sprintf("%.0f", x) : sprintf("%.3g", x)
}
function json(   r, i, n, a, kv, first) {
	printf "{\n  \"schema\": \"iopath-bench/1\",\n"
	printf "  \"iopath_version\": %s,\n  \"kernel\": %s,\n  \"date\": %s,\n", jstr(version), jstr(kernel), jstr(date)
	printf "  \"seconds\": %d,\n  \"cpus\": %d,\n", secs, cpus
	printf "  \"loadavg_start\": %s,\n  \"loadavg_end\": %s,\n", jstr(load0), jstr(load1)
	printf "  \"rounds\": %d,\n  \"rounds_perhit_startup_report\": %d,\n  \"quick\": %s,\n", rounds, rounds_few, (quick == 1 ? "true" : "false")
	printf "  \"params\": {"
	n = split(params, a, " ")
	for (i = 1; i <= n; i++) {
		split(a[i], kv, "=")
		printf "%s%s: %s", (i > 1 ? ", " : ""), jstr(kv[1]), kv[2] + 0
	}
	printf "},\n  \"sections\": ["
	n = split(sections, a, " ")
	for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? ", " : ""), jstr(a[i])
	printf "],\n  \"note\": %s,\n  \"skipped\": [", jstr(note)
	n = split(skipped, a, "\n")
	first = 1
	for (i = 1; i <= n; i++) if (a[i] != "") { printf "%s%s", (first ? "" : ", "), jstr(a[i]); first = 0 }
	printf "],\n  \"baseline\": %s,\n", (baseline == "" ? "null" : jstr(baseline))
	printf "  \"baseline_same_params\": %s,\n  \"figures\": [\n", (baseline == "" ? "null" : same_params == "true" ? "true" : "false")
	for (r = 1; r <= nr; r++) {
		printf "    {\"id\": %s, \"unit\": %s, \"better\": %s, \"what\": %s,\n", jstr(c[r, 1]), jstr(c[r, 2]), jstr(c[r, 3]), jstr(c[r, 16])
		printf "     \"n\": %d, \"median\": %s, \"min\": %s, \"max\": %s, \"q1\": %s, \"q3\": %s,\n",
		       c[r, 4], jnum(c[r, 5]), jnum(c[r, 6]), jnum(c[r, 7]), jnum(c[r, 8]), jnum(c[r, 9])
		printf "     \"samples\": [%s],\n", c[r, 15]
		if (c[r, 10] == "") printf "     \"baseline\": null, "
		else printf "     \"baseline\": {\"n\": %d, \"median\": %s, \"min\": %s, \"max\": %s}, ",
			    c[r, 10], jnum(c[r, 11]), jnum(c[r, 12]), jnum(c[r, 13])
		printf "\"verdict\": %s}%s\n", jstr(c[r, 14]), (r < nr ? "," : "")
	}
	printf "  ]\n}\n"
}
function text(   r, sec, ns, i, id, rng, iqr) {
	printf "%-44s %9s %19s %19s %2s %-8s %9s  %s\n", "figure", "median", "min - max", "IQR", "n", "unit",
	       (baseline == "" ? "(no base)" : "baseline"), "verdict"
	# sections in the order they first appear, each one's figures together
	for (r = 1; r <= nr; r++) {
		sec = c[r, 1]
		sub(/\..*/, "", sec)
		if (!(sec in seen)) { seen[sec] = 1; order[++ns] = sec }
		of[r] = sec
	}
	for (i = 1; i <= ns; i++) {
		printf "%s\n", order[i]
		for (r = 1; r <= nr; r++) {
			id = c[r, 1]
			if (of[r] != order[i]) continue
			if (id ~ /^perhit\..*\.(hits|floor_raw_tp_ns)$/ || id ~ /\.seen$/ ||
			    id ~ /^(udp|tcp|blk)\./ && id ~ /\.rate$/ && id !~ /\.untraced\./) continue
			rng = c[r, 4] > 1 ? sprintf("%9s - %-7s", fmt(c[r, 6]), fmt(c[r, 7])) : sprintf("%19s", "")
			iqr = c[r, 4] > 1 ? sprintf("%9s - %-7s", fmt(c[r, 8]), fmt(c[r, 9])) : sprintf("%19s", "")
			printf "  %-42s %9s %s %s %2d %-8s %9s  %s\n", substr(id, length(of[r]) + 2), fmt(c[r, 5]), rng, iqr,
			       c[r, 4], c[r, 2], (c[r, 10] == "" ? "-" : fmt(c[r, 11])), c[r, 14]
		}
	}
}
END { if (mode == "json") json(); else text() }
