#!/bin/bash
# update-pins.sh — rewrite tools/pins.txt from what the Debian archive serves today: the kernel
# images (and their -dbg) of each kernel line, the Xen stage's QEMU from bookworm-backports, and
# every .deb of the Xen dom0 root. Nothing else moves a pin, so a lab run on any machine downloads
# exactly these files (tools/pins.sh checks version and sha256) or stops saying which one is gone.
# Commit the new pins on their own: a new kernel or QEMU changes what the lab measures. A kernel
# line that moved also needs its built-in BTF remade (tools/embed-btf.sh TAG, bpf/btf/README.md):
# check guest/66 fails until the archive holds the booted build.
#
# Usage (root, Debian 12, lab packages installed: tools/install-deps.sh lab):
#   tools/update-pins.sh [kernels|fixtures] [qemu] [dom0]      (no argument: kernels qemu dom0)
#     kernels   the image each kernel line's meta-package names today (PIN_KERNELS="TAG ...": only
#               those lines move, the others keep their pins)
#     fixtures  the very images the committed kernel facts (tests/fixtures/kernels/<tag>/packages)
#               were extracted from, so the lab boots the kernel the unit tests describe
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/tools/pins.sh"
work=${IOPATH_CACHE:-$repo/.cache}/pins
mkdir -p "$work"
sets=${*:-kernels qemu dom0}
say() { echo "update-pins: $*" >&2; }
die() { say "$*"; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (apt-get and debootstrap need it)"

new=$(mktemp); trap 'rm -f "$new"' EXIT
kept() { # SET-PATTERN: the current lines of the sets not refreshed now
	[ -f "$PINS_FILE" ] && awk -v re="$1" '$0 !~ /^#/ && NF == 4 && $1 ~ re' "$PINS_FILE" || true
}

pins_kernels() {
	local tag pkg ver p sum parts
	for tag in $KERNEL_TAGS; do
		case " ${PIN_KERNELS:-$KERNEL_TAGS} " in *" $tag "*) ;; *) kept "^kernel-$tag(-dbg)?\$"; continue ;; esac
		kernel_line "$tag"
		apt_private "$work/apt-$tag" "$suites"
		# shellcheck disable=SC2086
		apt-get $APT_OPTS -q update >/dev/null || die "apt-get update ($suites) failed"
		# shellcheck disable=SC2086
		pkg=$(apt-cache $APT_OPTS depends "$meta" | sed -n 's/^ *Depends: \(linux-image-[^ ]*\).*/\1/p' | grep -x "$pat" | head -1)
		[ -n "$pkg" ] || die "$meta names no $pat package in $suites"
		# shellcheck disable=SC2086
		ver=$(apt-cache $APT_OPTS policy "$pkg" | sed -n 's/^ *Candidate: //p')
		# the image first (debian-kernel.sh takes a set's first line as its image), then the parts
		# a split image depends on, then the -dbg
		# shellcheck disable=SC2086
		parts=$(kernel_parts "$pkg" "$(apt-cache $APT_OPTS show "$pkg=$ver" | sed -n 's/^Depends: //p' | head -1)")
		for p in "$pkg" $parts "$pkg-dbg"; do
			# shellcheck disable=SC2086
			sum=$(apt-cache $APT_OPTS show "$p=$ver" | awk '/^SHA256:/ { print $2; exit }')
			[ -n "$sum" ] || die "no SHA256 for $p=$ver"
			echo "kernel-$tag$([ "$p" = "$pkg-dbg" ] && echo -dbg) $p $ver $sum"
		done
		say "kernel $tag: $pkg $ver"
	done
}

pins_fixtures() {
	local tag f
	for tag in $KERNEL_TAGS; do
		f=$repo/tests/fixtures/kernels/$tag/packages
		# a line without kernel facts (trixie-bpo) keeps its pins
		[ -d "${f%/packages}" ] || { kept "^kernel-$tag(-dbg)?\$"; continue; }
		[ -s "$f" ] || die "no $f"
		awk -v t="$tag" 'NF >= 3 { s = "kernel-" t; if ($1 ~ /-dbg$/) s = s "-dbg"; print s, $1, $2, $3 }' "$f"
		say "kernel $tag: $(head -1 "$f" | cut -d' ' -f1-2) (from the fixture)"
	done
}

pins_qemu() { # exactly what tools/lab/lib/host.sh lab_qemu_bpo downloads on this host
	local c=$work/qemu A line f
	mkdir -p "$c/lists/partial" "$c/debs/partial"
	printf 'deb http://deb.debian.org/debian %s main\n' bookworm bookworm-updates bookworm-backports > "$c/sources.list"
	A=(-o Dir::Etc::SourceList="$c/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o Dir::State::Lists="$c/lists" -o Dir::Cache::archives="$c/debs"
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
	apt-get "${A[@]}" -q update >/dev/null || die "apt-get update (backports) failed"
	rm -f "$c"/debs/*.deb
	apt-get "${A[@]}" -y -q --no-install-recommends --download-only install -t bookworm-backports \
		$QEMU_BPO_PKGS >/dev/null || die "downloading $QEMU_BPO_PKGS from bookworm-backports failed"
	for f in "$c"/debs/*.deb; do
		echo "qemu-bpo $(dpkg-deb -f "$f" Package) $(dpkg-deb -f "$f" Version) $(sha256sum "$f" | cut -d' ' -f1)"
	done
	say "qemu: $(ls "$c"/debs/*.deb | wc -l) packages"
}

pins_dom0() { # exactly what tools/lab/lib/xen-host.sh xen_setup debootstraps
	local t=$work/dom0 f
	rm -rf "$t"
	debootstrap --download-only --variant=minbase --include="$DOM0_INCLUDE" bookworm "$t" \
		http://deb.debian.org/debian > "$work/debootstrap.log" 2>&1 || { tail -5 "$work/debootstrap.log"; die "debootstrap --download-only failed"; }
	for f in "$t"/var/cache/apt/archives/*.deb; do
		echo "dom0 $(dpkg-deb -f "$f" Package) $(dpkg-deb -f "$f" Version) $(sha256sum "$f" | cut -d' ' -f1)"
	done
	say "dom0: $(ls "$t"/var/cache/apt/archives/*.deb | wc -l) packages"
	rm -rf "$t"
}

{
	echo "# Exact pins of every Debian package iopath's lab and kernel-fact tools download:"
	echo "# SET PACKAGE VERSION SHA256 (tools/pins.sh). Written by tools/update-pins.sh on $(date -u +%F); never edited by hand."
	case " $sets " in *" kernels "*) pins_kernels ;; *" fixtures "*) pins_fixtures ;; *) kept '^kernel-' ;; esac
	case " $sets " in *" qemu "*) pins_qemu ;; *) kept '^qemu-bpo$' ;; esac
	case " $sets " in *" dom0 "*) pins_dom0 ;; *) kept '^dom0$' ;; esac
} > "$new"
mv "$new" "$PINS_FILE"; trap - EXIT
say "wrote $PINS_FILE ($(grep -vc '^#' "$PINS_FILE") pins); review with git diff, then commit"
case " $sets " in *" kernels "*|*" fixtures "*) say "a kernel line that moved needs its built-in BTF remade: tools/embed-btf.sh TAG" ;; esac
