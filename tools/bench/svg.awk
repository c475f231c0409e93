# svg.awk -v title=T FIGURES: the bench results as one self-contained SVG.
# Panel 1: every traced/untraced ratio (1 = no cost): a bar to the median, the min-max
# whisker, the IQR as a thick stroke, the baseline's median as a red tick.
# Panel 2: ns per probe hit per tracepoint, log scale: iopath (record --net or --blk),
# iopath with --stacks, and the empty tp_btf program on the same tracepoint in the same run.
BEGIN { FS = "\t"; W = 980; LX = 330; PW = 560; RH = 17 }
{ id[NR] = $1; med[$1] = $5; lo[$1] = $6; hi[$1] = $7; q1[$1] = $8; q3[$1] = $9; bmed[$1] = $11; n = NR }
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
function x1(v) { return LX + PW * (v < 0 ? 0 : v) / xmax }
function xl(v) { if (v < 10) v = 10; return LX + PW * log(v / 10) / log(lmax / 10) }
function text(x, y, s, anchor, extra) {
	printf "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>\n", x, y, anchor, extra, esc(s)
}
END {
	# panel 1 rows
	for (i = 1; i <= n; i++) if (id[i] ~ /^(udp|tcp|blk)\.[^.]+\.ratio$/) r1[++n1] = id[i]
	xmax = 1.2
	for (i = 1; i <= n1; i++) {
		k = r1[i]
		if (hi[k] > xmax) xmax = hi[k]
		if (bmed[k] != "" && bmed[k] > xmax) xmax = bmed[k]
	}
	xmax = int(xmax * 5 + 0.999) / 5
	# panel 2 rows: tracepoints measured with iopath's net or blk recording
	lmax = 100
	for (i = 1; i <= n; i++)
		if (id[i] ~ /^perhit\.(net|blk)\..*\.iopath_ns$/) {
			k = id[i]; split(k, p, ".")
			r2[++n2] = p[2] SUBSEP p[3]
		}
	for (i = 1; i <= n; i++) if (id[i] ~ /^perhit\..*_ns$/ && hi[id[i]] > lmax) lmax = hi[id[i]]
	lmax = 10 ^ int(log(lmax) / log(10) + 0.999)
	if (lmax < 1000) lmax = 1000
	y1 = 60; y2 = y1 + 40 + n1 * RH + 50
	H = y2 + 12 + n2 * (3 * 7 + 6) + 50
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n", W, H, W, H
	printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
	text(W / 2, 20, title, "middle", " font-size=\"14\" font-weight=\"bold\"")
	text(W / 2, 38, "bars: median over the rounds; black: min-max; thick: IQR; red tick: baseline median", "middle", " fill=\"#555\"")

	text(LX + PW / 2, y1, "throughput under a tracer / untraced, same round (1 = free)", "middle", " font-weight=\"bold\"")
	for (t = 0; t <= xmax + 1e-9; t += 0.2) {
		printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", x1(t), y1 + 8, x1(t), y1 + 12 + n1 * RH
		text(x1(t), y1 + 24 + n1 * RH, sprintf("%.1f", t), "middle", "")
	}
	printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n", x1(1), y1 + 8, x1(1), y1 + 12 + n1 * RH
	for (i = 1; i <= n1; i++) {
		k = r1[i]; y = y1 + 12 + (i - 1) * RH
		split(k, p, ".")
		text(LX - 8, y + 11, p[1] "  " p[2], "end", "")
		printf "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: median %s, %s-%s</title></rect>\n",
		       LX, y + 2, x1(med[k]) - LX, RH - 5, p[1] == "udp" ? "#8fb8de" : p[1] == "tcp" ? "#a8d5a2" : "#e8c07d", esc(k), med[k], lo[k], hi[k]
		printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", x1(lo[k]), y + RH / 2, x1(hi[k]), y + RH / 2
		printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\" stroke-width=\"4\"/>\n", x1(q1[k]), y + RH / 2, x1(q3[k]), y + RH / 2
		if (bmed[k] != "")
			printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"red\" stroke-width=\"2\"/>\n", x1(bmed[k]), y, x1(bmed[k]), y + RH - 1
		text(x1(hi[k]) + 5, y + 11, sprintf("%.3g", med[k]), "start", " fill=\"#333\"")
	}

	text(LX + PW / 2, y2, "ns per probe hit (log scale): iopath vs an empty program on the same tracepoint", "middle", " font-weight=\"bold\"")
	yb = y2 + 12 + n2 * (3 * 7 + 6)
	for (t = 10; t <= lmax; t *= 10) {
		printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", xl(t), y2 + 8, xl(t), yb
		text(xl(t), yb + 12, t " ns", "middle", "")
	}
	split("iopath_ns:#3b6fb6:iopath,stacks:#e07b39:iopath --stacks,floor_tp_btf_ns:#999:empty tp_btf", leg, ",")
	for (j = 1; j <= 3; j++) {
		split(leg[j], L, ":")
		printf "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"8\" fill=\"%s\"/>\n", LX + (j - 1) * 150, yb + 20, L[2]
		text(LX + (j - 1) * 150 + 14, yb + 28, L[3], "start", "")
	}
	for (i = 1; i <= n2; i++) {
		split(r2[i], p, SUBSEP)
		y = y2 + 12 + (i - 1) * (3 * 7 + 6)
		text(LX - 8, y + 14, p[2] " (" p[1] ")", "end", "")
		for (j = 1; j <= 3; j++) {
			# the --stacks run is a net recording: its bar only beside the net rows
			k = j == 1 ? "perhit." p[1] "." p[2] ".iopath_ns" : j == 2 ? "perhit.stacks." p[2] ".iopath_ns" : "perhit." p[1] "." p[2] ".floor_tp_btf_ns"
			if (!(k in med) || j == 2 && p[1] != "net") continue
			split(leg[j], L, ":")
			printf "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"6\" fill=\"%s\"><title>%s: median %s ns, %s-%s</title></rect>\n",
			       LX, y + (j - 1) * 7, xl(med[k]) - LX, L[2], esc(k), med[k], lo[k], hi[k]
			printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", xl(lo[k]), y + (j - 1) * 7 + 3, xl(hi[k]), y + (j - 1) * 7 + 3
			if (bmed[k] != "")
				printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"red\" stroke-width=\"2\"/>\n", xl(bmed[k]), y + (j - 1) * 7, xl(bmed[k]), y + (j - 1) * 7 + 6
			text(xl(hi[k]) + 4, y + (j - 1) * 7 + 6, sprintf("%.0f", med[k]), "start", " font-size=\"8\" fill=\"#333\"")
		}
	}
	printf "</svg>\n"
}
