#!/bin/sh
# check-layers.sh — user/ is layered; a file may include headers of its own folder and of the
# folders below it, never above (HACKING.md). Prints each include that points up; exit 1 if any.
#   cli -> record -> report -> engine -> platform, kernel -> out -> util;  workload -> util
cd "$(dirname "$0")/.." || exit 2
rank() {
	case $1 in
	cli) echo 8 ;; record) echo 7 ;; report) echo 6 ;; engine) echo 5 ;;
	platform|kernel) echo 4 ;; workload) echo 3 ;; out) echo 2 ;; util) echo 1 ;; *) echo 0 ;;
	esac
}
bad=0
for f in user/*/*.[ch]; do
	from=$(basename "$(dirname "$f")"); rf=$(rank "$from")
	[ "$rf" = 0 ] && { echo "check-layers: $f: folder '$from' has no layer (add it here and to HACKING.md)"; bad=1; continue; }
	for to in $(sed -n 's|^#include "\([a-z_]*\)/[^"]*".*|\1|p' "$f" | sort -u); do
		[ "$to" = "$from" ] && continue
		rt=$(rank "$to")
		if [ "$rt" = 0 ] || [ "$rt" -ge "$rf" ]; then
			echo "check-layers: $f ($from) includes $to/: arrows point down only"; bad=1
		fi
	done
done
[ $bad = 0 ] && echo "check-layers: user/ includes point down only ($(ls user/*/*.[ch] | wc -l) files)"
exit $bad
