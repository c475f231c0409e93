# tools/pins.sh — exact pins for every Debian package the lab and the kernel-fact tools download
# (sourced by tools/debian-kernel.sh and tools/lab/lib/*.sh; bash or busybox-free POSIX sh).
#
# tools/pins.txt holds one line per .deb:   SET PACKAGE VERSION SHA256
#   SET: kernel-<tag> (the image), kernel-<tag>-dbg (its -dbg, for the real System.map), qemu-bpo
#   (the Xen stage's QEMU from bookworm-backports), dom0 (every .deb debootstrap installs in the Xen
#   dom0 root). Nothing follows the archive by itself: tools/update-pins.sh rewrites the file, and
#   a change of pins is a commit of its own.
# A download that is not exactly a pinned .deb stops the lab with one line naming it.
PINS_FILE=${PINS_FILE:-$(cd "$(dirname "${BASH_SOURCE:-$0}")" && pwd)/pins.txt}

# pin_get SET PACKAGE -> "VERSION SHA256" (exit 1 when not pinned)
pin_get() {
	awk -v s="$1" -v p="$2" '$1 == s && $2 == p { print $3, $4; f = 1; exit } END { exit !f }' "$PINS_FILE"
}
# pin_set_packages SET -> "PACKAGE=VERSION" per line
pin_set_packages() { awk -v s="$1" '$1 == s { print $2 "=" $3 }' "$PINS_FILE"; }
# pin_check SET DEB: the .deb is pinned in SET with its version and sha256; else one line on
# stderr and exit 1.
pin_check() {
	local set=$1 deb=$2 pkg ver sum want
	pkg=$(dpkg-deb -f "$deb" Package) && ver=$(dpkg-deb -f "$deb" Version) || {
		echo "pins: $deb is not a readable .deb" >&2; return 1; }
	want=$(pin_get "$set" "$pkg") || {
		echo "pins: $pkg $ver ($set) is not pinned in $PINS_FILE: run tools/update-pins.sh and commit the change" >&2; return 1; }
	[ "${want%% *}" = "$ver" ] || {
		echo "pins: $pkg: the archive gave $ver, $PINS_FILE pins ${want%% *} ($set): run tools/update-pins.sh" >&2; return 1; }
	sum=$(sha256sum "$deb" | cut -d' ' -f1)
	[ "${want#* }" = "$sum" ] || {
		echo "pins: $pkg $ver: sha256 $sum, pinned ${want#* } ($set): the download is not the pinned file" >&2; return 1; }
}

# The kernel lines: kernel_line TAG sets suites (apt suites), meta (the meta-package that names the
# current image) and pat (the image package names of that line).
# trixie-bpo: the newest kernel of trixie-backports (the IBT/kprobe.multi line; from 6.17 Debian
# splits an image into linux-base/-binary/-modules-<abi>, which debian-kernel.sh and
# update-pins.sh follow through the image's Depends: kernel_parts).
KERNEL_TAGS="5.10 6.1 6.12 trixie-bpo"
kernel_line() {
	case "$1" in
	trixie-bpo) suites="trixie-backports"; meta=linux-image-amd64; pat='linux-image-[0-9][0-9.]*+deb13-amd64' ;;
	5.10) suites="bullseye bullseye-security"; meta=linux-image-amd64; pat='linux-image-5.10.0-[0-9]*-amd64' ;;
	6.1) suites="bookworm bookworm-security"; meta=linux-image-amd64; pat='linux-image-6.1.0-[0-9]*-amd64' ;;
	6.12) suites="bookworm bookworm-security"; meta=linux-image-6.12-amd64; pat='linux-image-6.12.[0-9]*+deb12-amd64' ;;
	*) return 1 ;;
	esac
}

# kernel_parts IMAGE "DEPENDS": the packages a split image (Debian 6.17 and later) depends on for
# its files, linux-{base,binary,modules}-<abi>; nothing for an image that holds its own files.
kernel_parts() {
	local abi=${1#linux-image-}
	echo "$2" | tr ',' '\n' | sed 's/^ *//; s/[ (].*//' |
		grep -Fx -e "linux-base-$abi" -e "linux-binary-$abi" -e "linux-modules-$abi" || true
}

# apt_private DIR "SUITES": a private apt configuration under DIR (sources for SUITES, lists and
# cache there), so the system's apt sources and lists are never touched; sets APT_OPTS.
apt_private() {
	local d=$1 s u
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	: > "$d/sources.list.tmp"
	for s in $2; do
		case "$s" in
			*-security) u=http://deb.debian.org/debian-security ;;
			*) u=http://deb.debian.org/debian ;;
		esac
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $u $s main" >> "$d/sources.list.tmp"
	done
	mv "$d/sources.list.tmp" "$d/sources.list"
	APT_OPTS="-o Dir::Etc::sourcelist=$d/sources.list -o Dir::Etc::sourceparts=- \
 -o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache -o APT::Sandbox::User=root"
}

# What the Xen stage downloads besides the kernel (tools/lab/lib/{host,xen-host}.sh), named once here
# so that tools/update-pins.sh pins exactly what the lab fetches.
QEMU_BPO_PKGS="qemu-system-x86 qemu-system-common qemu-system-data seabios"
DOM0_INCLUDE="xen-utils-4.17,xen-hypervisor-4.17-amd64,iproute2,kmod,procps,busybox,qemu-system-xen"
