# stats.awk META SAMPLES BASE: one line per figure (tab-separated), in META's order:
#   id unit better n median min max q1 q3 base_n base_median base_min base_max verdict samples what
# META: id unit better what; SAMPLES: id round value; BASE: id n median min max (the
# baseline's figures, possibly empty). Quartiles interpolate between order statistics
# (R's type 7), so the median of an even count is the mean of the middle two.
#
# The verdict, for figures with a direction (better = higher or lower) and at least two
# samples here and in the baseline: a change beyond the spread when this run's median lies
# outside the baseline's min-max AND the baseline's median outside this run's min-max (each
# run's own spread excludes the other's centre); then faster/slower (smaller/larger for
# memory and sizes) by the direction of the median. Otherwise "within spread".
BEGIN { FS = OFS = "\t" }
FILENAME == ARGV[1] { order[++nf] = $1; unit[$1] = $2; better[$1] = $3; what[$1] = $4; next }
FILENAME == ARGV[2] { k = $1; n[k]++; v[k, n[k]] = $3 + 0; raw[k] = (n[k] > 1 ? raw[k] "," : "") $3; next }
FILENAME == ARGV[3] { bn[$1] = $2; bmed[$1] = $3; bmin[$1] = $4; bmax[$1] = $5; next }

function q(k, p,    h, lo) {
	h = (n[k] - 1) * p + 1
	lo = int(h)
	return lo >= n[k] ? s[n[k]] : s[lo] + (h - lo) * (s[lo + 1] - s[lo])
}
function num(x) { return sprintf("%.10g", x) }
function verdict(k, med, lo, hi,    up, mem) {
	if (better[k] == "none") return "-"
	if (!(k in bn)) return "new"
	if (n[k] < 2 || bn[k] < 2) return "n<2"
	if (!((med < bmin[k] || med > bmax[k]) && (bmed[k] < lo || bmed[k] > hi))) return "within spread"
	up = med > bmed[k]
	mem = unit[k] == "KiB" || unit[k] == "bytes"
	if (better[k] == "higher") return up ? "faster" : "slower"
	return up ? (mem ? "larger" : "slower") : (mem ? "smaller" : "faster")
}
END {
	for (f = 1; f <= nf; f++) {
		k = order[f]
		if (!n[k]) continue
		for (i = 1; i <= n[k]; i++) s[i] = v[k, i]
		for (i = 2; i <= n[k]; i++)   # insertion sort: a handful of rounds
			for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
		med = q(k, 0.5)
		print k, unit[k], better[k], n[k], num(med), num(s[1]), num(s[n[k]]), num(q(k, 0.25)), num(q(k, 0.75)),
		      (k in bn ? bn[k] : ""), (k in bn ? bmed[k] : ""), (k in bn ? bmin[k] : ""), (k in bn ? bmax[k] : ""),
		      verdict(k, med, s[1], s[n[k]]), raw[k], what[k]
	}
}
