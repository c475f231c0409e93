#!/bin/bash
# tools/lab/collect-examples.sh: the comparison's recordings of the last lab runs into examples/,
# one file per platform and workload phase, PLATFORM.PHASE.rec (what `iopath compare
# examples/*.rec` and tools/readme-result.sh read), replacing what was there. Platforms:
#   xen-pv, xen-pvh, xen-hvm, xen-hvmemu  the Xen stage's domUs (out/xen/data/G/labdata/suite)
#   kvm-l2                               the nested KVM guest (out/kvm/data/labdata/l2suite/l2/labdata/suite)
#   kvm-l1-host                          the L1 host's record --host of the same run, per phase (the peer under it marks them)
#   sriov-vf                             the igbvf guest (out/vf/data/labdata/suite)
# and, in examples/dom0/, the other end of each Xen domU's phases: dom0's record of the backend
# side (netback or the device model's tap, blkback), dom0/xen-G.PHASE.rec (out/xen/data/G/backend).
# A platform whose stage did not run (or ran no suite) is said and left out.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${IOPATH_CACHE:-$PWD/.cache}/lab/out
E=examples
mkdir -p "$E"
n=0
take() { # PLATFORM DIR [SUBDIR]: the phase recordings DIR/run.PHASE.rec as examples/[SUBDIR/]PLATFORM.PHASE.rec
	local p=$1 d=$2 e=$E${3:+/$3} f k=0
	[ -d "$d" ] || { echo "collect-examples: ${3:+$3/}$p: no $d (stage not run, or no suite)"; return 0; }
	mkdir -p "$e"
	rm -f "$e/$p".*.rec
	for f in "$d"/run.*.rec; do
		[ -s "$f" ] || continue
		cp "$f" "$e/$p.${f##*/run.}"; k=$((k + 1))
	done
	echo "collect-examples: ${3:+$3/}$p: $k phase recordings from $d"
	n=$((n + k))
}
for g in pv pvh hvm hvmemu; do take xen-$g "$OUT/xen/data/$g/labdata/suite"; done
for g in pv pvh hvm hvmemu; do take xen-$g "$OUT/xen/data/$g/backend" dom0; done
take kvm-l2 "$OUT/kvm/data/labdata/l2suite/l2/labdata/suite"
# the L1 host's record --host of the same run, cut into the L2's phases (host.PHASE.rec) where the
# peer under it got the suite's marks; else the whole run (one file)
H=$OUT/kvm/data/labdata/l2suite
if ls "$H"/host.*.rec > /dev/null 2>&1; then
	rm -f "$E"/kvm-l1-host.rec "$E"/kvm-l1-host.*.rec; k=0
	for f in "$H"/host.*.rec; do cp "$f" "$E/kvm-l1-host.${f##*/host.}"; k=$((k + 1)); done
	n=$((n + k)); echo "collect-examples: kvm-l1-host: $k phase recordings of the L1 host"
elif [ -s "$H/host.rec" ]; then
	cp "$H/host.rec" "$E/kvm-l1-host.rec"; n=$((n + 1))
	echo "collect-examples: kvm-l1-host: the L1 host's recording (whole run: no phases)"
fi
take sriov-vf "$OUT/vf/data/labdata/suite"
echo "collect-examples: $n recordings in $E/ ($(du -sh "$E" | cut -f1)); next: tools/readme-result.sh"
