#!/bin/bash
# debian-kernel.sh — fetch and unpack a real Debian amd64 kernel into a local cache.
#
# Why: iopath must know which kernel functions really exist, are inlined or
# are kprobe-blacklisted on the kernels it targets (Debian 5.10, 6.1, 6.12), and
# the lab boots a real Debian guest kernel. Both come from the Debian archive
# only (nothing else is reachable), fetched with apt through a private apt
# configuration so the system's apt sources and lists are never touched.
#
# Usage:
#   tools/debian-kernel.sh <tag> [package]     tag: 5.10 | 6.1 | 6.12 | trixie-bpo (tools/pins.sh)
#       package: optional signed image package to use instead of the pinned
#                one, e.g. linux-image-6.1.0-57-amd64 (for experiments: it is
#                not checked against tools/pins.txt). Default: the package,
#                version and sha256 pinned in tools/pins.txt (kernel-<tag>;
#                its -dbg as kernel-<tag>-dbg), so every machine boots and
#                reads the very same kernel; tools/update-pins.sh moves them.
#   tools/debian-kernel.sh --extract-vmlinux <bzImage> <out-elf>
#       decompress any x86 bzImage/vmlinuz to its ELF vmlinux
#
# Result (stdout: the root dir, nothing else; progress goes to stderr):
#   ${IOPATH_CACHE:-<repo>/.cache}/kernels/<tag>/
#     root/                 dpkg-deb -x of linux-image-<abi>-amd64 (signed), depmod run;
#                           root/boot/vmlinuz-<kv>, root/lib/modules/<kv>/...
#     root/boot/System.map-<kv>   the REAL System.map, taken from the matching
#                           linux-image-<abi>-amd64-dbg package (the image packages,
#                           signed and -unsigned alike, ship only an 83-byte stub)
#     vmlinux               ELF decompressed from the vmlinuz (stripped, has .BTF)
#     kv                    the uname -r string (written last: marks completion)
#     packages              "<package> <version> <sha256 of .deb> <size>" per .deb used
# The real System.map comes only with IOPATH_KERNEL_SYSTEM_MAP=1 (set by
# tools/extract-kernel-facts.sh): it costs a ~1 GB -dbg download that the lab,
# which only boots the kernel, and so CI, must not pay.
# Idempotent: when kv exists it only prints the root path. The .debs are deleted
# after unpacking (their sha256 is kept in `packages`).
set -eu

die() { echo "debian-kernel: $*" >&2; exit 1; }
say() { echo "debian-kernel: $*" >&2; }

# --- decompress an x86 bzImage to its ELF vmlinux ---------------------------
# The boot protocol setup header gives the payload exactly: setup_sects at
# 0x1f1, "HdrS" at 0x202, payload_offset at 0x248 and payload_length at 0x24c
# (both relative to the protected-mode code at (setup_sects+1)*512). The
# payload's first bytes tell the compressor. Non-gzip payloads carry a 4-byte
# little-endian decompressed size appended by the kernel build (size_append).
# Assumes a little-endian host (od reads the u32 fields in host order).
extract_vmlinux() {
	local in=$1 out=$2 ss po pl start magic dec len
	[ -r "$in" ] || die "cannot read $in"
	[ "$(od -An -tx1 -j 514 -N 4 "$in" | tr -d ' \n')" = 48647253 ] ||
		die "$in: not an x86 bzImage (no HdrS at 0x202)"
	ss=$(od -An -tu1 -j 497 -N 1 "$in" | tr -d ' ')
	[ "$ss" = 0 ] && ss=4
	po=$(od -An -tu4 -j 584 -N 4 "$in" | tr -d ' ')
	pl=$(od -An -tu4 -j 588 -N 4 "$in" | tr -d ' ')
	start=$(( (ss + 1) * 512 + po ))
	magic=$(tail -c +$((start + 1)) "$in" | head -c 6 | od -An -tx1 | tr -d ' \n')
	case "$magic" in
		fd377a585a00*) dec="xz -dc --single-stream"; len=$((pl - 4)) ;;
		28b52ffd*) dec="zstd -dcq"; len=$((pl - 4)) ;;
		1f8b*) dec="gzip -dc"; len=$pl ;;
		02214c18*) dec="lz4 -dc"; len=$((pl - 4)) ;;
		425a68*) dec="bzip2 -dc"; len=$((pl - 4)) ;;
		5d0000*) dec="xz -dc --format=lzma"; len=$((pl - 4)) ;;
		*) die "$in: unknown payload compression (magic $magic at offset $start)" ;;
	esac
	need_cmd "${dec%% *}"
	tail -c +$((start + 1)) "$in" | head -c "$len" | $dec > "$out.tmp" ||
		die "$in: decompressing the payload with '$dec' failed"
	[ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] ||
		die "$in: decompressed payload is not ELF"
	mv "$out.tmp" "$out"
}

. "$(dirname "$0")/elf.sh"   # vaddr_to_offset
. "$(dirname "$0")/pins.sh"  # pin_get, pin_check

# Command -> Debian package, installed on demand when running as root.
need_cmd() {
	local p
	command -v "$1" >/dev/null 2>&1 && return 0
	case "$1" in
		depmod) p=kmod ;; xz) p=xz-utils ;; zstd) p=zstd ;; lz4) p=lz4 ;;
		bzip2) p=bzip2 ;; readelf | objcopy | nm) p=binutils ;;
		flock) p=util-linux ;; *) p=$1 ;;
	esac
	PATH=$PATH:/usr/sbin:/sbin
	command -v "$1" >/dev/null 2>&1 && return 0
	[ "$(id -u)" = 0 ] || die "'$1' missing: apt-get install $p"
	say "installing $p (for $1)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$p" >/dev/null ||
		die "apt-get install $p failed"
}

if [ "${1:-}" = --extract-vmlinux ]; then
	[ $# = 3 ] || die "usage: $0 --extract-vmlinux <bzImage> <out>"
	extract_vmlinux "$2" "$3"
	exit 0
fi

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 <${KERNEL_TAGS// /|}> [linux-image-<abi>-amd64]"
tag=$1
pin=${2:-}
pinned=""   # "VERSION SHA256" of the pinned image, when the pin comes from tools/pins.txt
if [ -z "$pin" ]; then
	pin=$(awk -v s="kernel-$tag" '$1 == s { print $2; exit }' "$PINS_FILE")
	[ -n "$pin" ] || die "no kernel-$tag line in $PINS_FILE (tools/update-pins.sh writes it)"
	pinned=$(pin_get "kernel-$tag" "$pin")
fi
kernel_line "$tag" || die "unknown tag '$tag' (want $KERNEL_TAGS)"

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${IOPATH_CACHE:-$repo/.cache}
out=$cache/kernels/$tag
root=$out/root

done_already() {
	[ -s "$out/kv" ] || return 1
	kv=$(cat "$out/kv")
	[ -f "$root/boot/vmlinuz-$kv" ] && [ -d "$root/lib/modules/$kv" ] && [ -s "$out/vmlinux" ] || return 1
	# the image packages ship an 83-byte System.map stub; the real one is MBs
	[ -z "${IOPATH_KERNEL_SYSTEM_MAP:-}" ] ||
		[ "$(stat -c %s "$root/boot/System.map-$kv" 2>/dev/null || echo 0)" -gt 100000 ]
}
# the cache holds the pinned .deb's tree (its sha256 is kept in `packages`)? else fetch again
cache_is_pin() {
	[ -z "$pinned" ] && return 0
	[ "$(head -1 "$out/packages" 2>/dev/null | cut -d' ' -f1-3)" = "$pin $pinned" ]
}
if done_already; then
	if [ -n "$pinned" ] && ! cache_is_pin; then
		say "$out holds $(head -1 "$out/packages" | cut -d' ' -f1-2), the pin is $pin ${pinned% *}: fetching the pinned kernel"
		rm -f "$out/kv"
	elif [ -z "$pinned" ] && ! grep -q "^$pin " "$out/packages"; then
		die "$out holds $(head -1 "$out/packages" | cut -d' ' -f1), not $pin: remove $out to switch"
	else
		echo "$root"
		exit 0
	fi
fi

mkdir -p "$out"
need_cmd flock
exec 9>"$out.lock"
flock 9
if done_already && cache_is_pin; then echo "$root"; exit 0; fi # another run finished meanwhile

for c in apt-get apt-cache dpkg-deb tar sha256sum od depmod readelf xz; do need_cmd "$c"; done

# --- private apt configuration (one per suite set) --------------------------
# 6.1 and 6.12 share the bookworm lists: serialise apt use per suite set.
aptdir=$cache/apt/$(echo "$suites" | tr ' ' '+')
mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
exec 8>"$aptdir.lock"
flock 8
[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] || need_cmd debian-archive-keyring
apt_private "$aptdir" "$suites"
apt_update() {
	say "apt-get update ($suites, private lists in $aptdir)"
	# shellcheck disable=SC2086
	apt-get $APT_OPTS -q update >&2 || die "apt-get update for $suites failed"
}
ls "$aptdir/lists/"*_Packages* >/dev/null 2>&1 || apt_update

resolve() {
	# shellcheck disable=SC2086
	apt-cache $APT_OPTS depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*\).*/\1/p' | grep -x "$pat" | head -1
}
if [ -n "$pin" ]; then
	pkg=$pin
	echo "$pkg" | grep -qx "$pat" || die "$pkg does not look like a $tag image package ($pat)"
else
	pkg=$(resolve || true)
	if [ -z "$pkg" ]; then apt_update; pkg=$(resolve || true); fi
	[ -n "$pkg" ] || die "cannot resolve $meta to a $pat package in $suites"
fi
dbg=$pkg-dbg

# --- download (.debs land in a scratch dir, then are removed) --------------
tmp=$out/tmp
rm -rf "$tmp" && mkdir -p "$tmp"
fetch() { # package [pin-set] -> path of the .deb (with a set: the pinned version, sha256 checked)
	local want="" v
	if [ -n "${2:-}" ]; then
		v=$(pin_get "$2" "$1") || die "$1 is not pinned as $2 in $PINS_FILE (tools/update-pins.sh)"
		want="=${v%% *}"
	fi
	say "downloading $1$want"
	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get $APT_OPTS -q download "$1$want" >&2) ||
		{ [ -n "$want" ] && die "the pinned $1$want is not in $suites any more: run tools/update-pins.sh and commit the new pins"
		  die "apt-get download $1 failed"; }
	f=$(ls "$tmp/$1"_*.deb 2>/dev/null | head -1)
	[ -n "$f" ] || die "apt-get download $1 left no .deb"
	[ -z "${2:-}" ] || pin_check "$2" "$f" || die "refusing $(basename "$f")"
	echo "$f"
}
record() { # deb -> "<package> <version> <sha256> <size>"
	echo "$(dpkg-deb -f "$1" Package) $(dpkg-deb -f "$1" Version) $(sha256sum "$1" | cut -d' ' -f1) $(stat -c %s "$1")"
}

img=$(fetch "$pkg" ${pinned:+kernel-$tag})
say "unpacking $(basename "$img")"
rm -rf "$root"
dpkg-deb -x "$img" "$root"
record "$img" > "$out/packages.tmp"
imgver=$(dpkg-deb -f "$img" Version)
# A split image (Debian 6.17 on) is empty: its files are in the parts it depends on, each pinned
# in the same set as the image.
for part in $(kernel_parts "$pkg" "$(dpkg-deb -f "$img" Depends)"); do
	deb=$(fetch "$part" ${pinned:+kernel-$tag})
	[ "$(dpkg-deb -f "$deb" Version)" = "$imgver" ] || die "$part $(dpkg-deb -f "$deb" Version) is not $pkg's version $imgver"
	say "unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$root"
	record "$deb" >> "$out/packages.tmp"
	rm -f "$deb"
done
rm -f "$img"
# Merged-/usr packages put modules under usr/lib; callers use <root>/lib/modules.
if [ ! -d "$root/lib/modules" ] && [ -d "$root/usr/lib/modules" ] && [ ! -e "$root/lib" ]; then
	ln -s usr/lib "$root/lib"
fi
# ... and a split image's kernel is lib/modules/<kv>/vmlinuz; callers use <root>/boot/vmlinuz-<kv>.
if ! ls "$root"/boot/vmlinuz-* > /dev/null 2>&1; then
	for z in "$root"/lib/modules/*/vmlinuz; do
		[ -f "$z" ] || continue
		k=${z%/vmlinuz}; k=${k##*/}
		mkdir -p "$root/boot" && ln -s "../lib/modules/$k/vmlinuz" "$root/boot/vmlinuz-$k"
	done
fi
set -- "$root"/boot/vmlinuz-*
[ $# = 1 ] && [ -f "$1" ] || die "$pkg: expected exactly one boot/vmlinuz-* (or lib/modules/<kv>/vmlinuz)"
kv=${1##*/vmlinuz-}
[ -d "$root/lib/modules/$kv" ] || die "$pkg: no lib/modules/$kv"

# The real System.map is only in the -dbg package (~0.8-1 GB). It is the 10th
# member of its data.tar, so tar stops right after it (--occurrence) and the
# rest of the archive is never decompressed.
if [ -n "${IOPATH_KERNEL_SYSTEM_MAP:-}" ]; then
dbgdeb=$(fetch "$dbg" ${pinned:+kernel-$tag-dbg})
[ "$(dpkg-deb -f "$dbgdeb" Version)" = "$imgver" ] ||
	say "warning: $dbg $(dpkg-deb -f "$dbgdeb" Version) differs from $pkg $imgver (the banner check below decides)"
sm=./usr/lib/debug/boot/System.map-$kv
(dpkg-deb --fsys-tarfile "$dbgdeb" 2>/dev/null || true) |
	tar -x -C "$tmp" --occurrence=1 "$sm" 2>/dev/null || true
[ -s "$tmp/$sm" ] || die "$dbg: no $sm inside"
mv "$tmp/$sm" "$root/boot/System.map-$kv"
echo "$(record "$dbgdeb")" >> "$out/packages.tmp"
rm -f "$dbgdeb"
fi
exec 8>&- # apt no longer needed

say "depmod $kv"
depmod -b "$root" "$kv" || die "depmod -b $root $kv failed"

say "decompressing vmlinuz-$kv"
extract_vmlinux "$root/boot/vmlinuz-$kv" "$out/vmlinux"

# Consistency check: the System.map must describe this very vmlinux. Its
# linux_banner address must hold "Linux version <kv> " in the image.
if [ -n "${IOPATH_KERNEL_SYSTEM_MAP:-}" ]; then
ban=$(awk '$3 == "linux_banner" { print $1; exit }' "$root/boot/System.map-$kv")
[ -n "$ban" ] || die "System.map-$kv has no linux_banner"
off=$(vaddr_to_offset "$out/vmlinux" "$ban")
[ -n "$off" ] || die "linux_banner address $ban is in no section of the vmlinuz"
banner=$(tail -c +$((off + 1)) "$out/vmlinux" | head -c 200 | tr -d '\0' | head -1)
case "$banner" in
	"Linux version $kv "*) say "${banner%% (*} ok" ;;
	*) die "System.map-$kv does not match vmlinuz-$kv (banner: ${banner:-none})" ;;
esac
fi

mv "$out/packages.tmp" "$out/packages"
rm -rf "$tmp"
echo "$kv" > "$out/kv"
say "done: $root (kv $kv)"
echo "$root"
