# iopath record --net --deep (phase deep): functions taking a struct sk_buff * become points.
# Where calibration measured kprobe.multi (CONFIG_FPROBE: Debian 6.12, trixie-backports) they
# attach through one kprobe.multi link, every one of them, and elsewhere one by one (fentry, or the
# 5.10 rung's clones); either way most attach, the pings pass through them, and the packets'
# stages still equal the interface counters.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
P=deep; record_json $P
r=0; out=""
nic_stages $P
probed=$(jq -r .deep.probed "$J"); att=$(jq -r .deep.attached "$J")
dp() { jq -r "[.probes.points[] | select(.profile == \"deep\") | $1] | add // 0" "$J"; }
multi=$(dp 'select(.link == "kprobe.multi") | 1')
# what cannot attach is said per point (notrace, blacklisted): a tenth at most, measured 0-3 in 120
out="$out $(atleast deep.attached "$att" $(( probed * 9 / 10 )))" || r=1
# each ping's request and reply on both NICs passes at least one such function
out="$out $(atleast deep.hits "$(dp .hits)" $(( 4 * $(getinfo nping) )))" || r=1
if [ "$(jq -r .capabilities.kprobe_multi.ok "$LAB_DATA/info/iopath-env.json")" = true ]; then
	out="$out $(near kprobe.multi "$multi" "$att" 0)" || r=1
else
	out="$out $(near kprobe.multi "$multi" 0 0)" || r=1
fi
out="$out attach_ms=$(jq -r .probes.attach_ms "$J") deep=$att/$probed of $(jq -r .deep.skb_functions "$J")"
[ $r = 0 ] && pass "$out" || fail "$out"
