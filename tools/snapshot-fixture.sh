#!/bin/sh
# snapshot-fixture.sh DEST [SRCROOT]
#
# Copies the files iopath's platform and device detection read
# (user/platform/platform.c, user/platform/devices.c) from a live system into DEST, so that
# the same detection can run later against DEST as a fixture root.
#
# * sysfs symlinks on the way (class entries, device, driver, subsystem) are
#   recreated as relative symlinks with their original targets, and their
#   target directories are created, so readlink()+basename and realpath()
#   work inside DEST as on the live system.  Where ln(1) fails, the link
#   target is written as the content of a small file instead; the C code
#   accepts that form for leaf links (driver, subsystem).
# * Directories that only have to exist (queues/rx-0, mq/0, /proc/xen...)
#   get a ".keep" file, because git does not store empty directories.
# * DEST/SOURCE records uname -a, the date and the OS.
#
# POSIX sh; also runs under busybox ash in a minimal initramfs: it uses
# only shell globbing and cat, readlink, mkdir, ln, rm, uname, date.
# SRCROOT (default: /) copies an existing fixture instead of the live system,
# which is how tests/check_devices.c tests this script.
set -u

if [ $# -lt 1 ] || [ -z "$1" ]; then
	echo "usage: $0 DEST [SRCROOT]" >&2
	exit 2
fi
DEST=$1
SRC=${2:-}
[ "$SRC" = / ] && SRC=
mkdir -p "$DEST" || exit 1

# Turn an absolute path with "." and ".." into a clean absolute path.
normalize() {
	_n_out=
	_n_ifs=$IFS
	IFS=/
	set -f
	for _n_c in $1; do
		case $_n_c in
		'' | .) ;;
		..) _n_out=${_n_out%/*} ;;
		*) _n_out="$_n_out/$_n_c" ;;
		esac
	done
	set +f
	IFS=$_n_ifs
	echo "${_n_out:-/}"
}

# Recreate one symlink (path relative to the roots) in DEST.
mklink() {
	[ -L "$DEST$1" ] && return 0
	[ -e "$DEST$1" ] && return 0
	_l_t=$(readlink "$SRC$1") || return 1
	mkdir -p "$DEST${1%/*}"
	ln -s "$_l_t" "$DEST$1" 2>/dev/null || printf '%s\n' "$_l_t" >"$DEST$1"
}

# Prints the canonical form of a root-relative path, recreating in DEST
# every symlink met on the way (and the directory a final link points to).
walk() {
	_w_path=$1
	_w_depth=0
	while :; do
		_w_cur=
		_w_rest=${_w_path#/}
		_w_again=
		while [ -n "$_w_rest" ]; do
			_w_comp=${_w_rest%%/*}
			case $_w_rest in
			*/*) _w_rest=${_w_rest#*/} ;;
			*) _w_rest= ;;
			esac
			_w_next="$_w_cur/$_w_comp"
			if [ -L "$SRC$_w_next" ]; then
				mklink "$_w_next"
				_w_t=$(readlink "$SRC$_w_next")
				case $_w_t in
				/*) _w_next=$(normalize "$_w_t") ;;
				*) _w_next=$(normalize "$_w_cur/$_w_t") ;;
				esac
				_w_path="$_w_next${_w_rest:+/$_w_rest}"
				_w_again=1
				break
			fi
			_w_cur=$_w_next
		done
		[ -z "$_w_again" ] && break
		_w_depth=$((_w_depth + 1))
		[ $_w_depth -gt 40 ] && break
	done
	if [ -d "$SRC$_w_cur" ] && [ ! -d "$DEST$_w_cur" ]; then
		mkdir -p "$DEST$_w_cur"
		: >"$DEST$_w_cur/.keep"
	fi
	echo "$_w_cur"
}

# Copy one readable file; leave nothing behind when it cannot be read.
cpfile() {
	_c_p=$(walk "$1")
	[ -f "$SRC$_c_p" ] || return 0
	mkdir -p "$DEST${_c_p%/*}"
	cat "$SRC$_c_p" >"$DEST$_c_p" 2>/dev/null || rm -f "$DEST$_c_p"
}

# Make a directory exist (only its existence is read).
mkd() {
	_d_p=$(walk "$1")
	[ -d "$SRC$_d_p" ] || return 0
	mkdir -p "$DEST$_d_p"
	: >"$DEST$_d_p/.keep"
}

# Reproduce the names matching a glob in a directory (msi_irqs/, mq/,
# queues/): directories stay directories, files are copied.
names() {
	_m_d=$(walk "$1")
	[ -d "$SRC$_m_d" ] || return 0
	mkdir -p "$DEST$_m_d"
	for _m_e in "$SRC$_m_d"/$2; do
		[ -e "$_m_e" ] || continue
		_m_n=${_m_e##*/}
		if [ -d "$_m_e" ]; then
			mkdir -p "$DEST$_m_d/$_m_n"
			: >"$DEST$_m_d/$_m_n/.keep"
		else
			cat "$_m_e" >"$DEST$_m_d/$_m_n" 2>/dev/null ||
				: >"$DEST$_m_d/$_m_n"
		fi
	done
}

# Basename of a link target ("" when not a link).
linkbase() {
	_b_t=$(readlink "$SRC$1" 2>/dev/null) || return 0
	echo "${_b_t##*/}"
}

# The sysfs device chain from a device link up to its PCI function: the
# driver/subsystem links on the way and the function's msi_irqs and irq.
chain() {
	_ch_d=$(walk "$1")
	[ -d "$SRC$_ch_d" ] || return 0
	walk "$_ch_d/subsystem" >/dev/null
	_ch_i=0
	while [ $_ch_i -lt 8 ]; do
		case $_ch_d in
		/sys/devices/*) ;;
		*) break ;;
		esac
		[ -L "$SRC$_ch_d/driver" ] && walk "$_ch_d/driver" >/dev/null
		if [ -L "$SRC$_ch_d/subsystem" ]; then
			walk "$_ch_d/subsystem" >/dev/null
			if [ "$(linkbase "$_ch_d/subsystem")" = pci ]; then
				names "$_ch_d/msi_irqs" '*'
				cpfile "$_ch_d/irq"
				break
			fi
		fi
		_ch_d=${_ch_d%/*}
		_ch_i=$((_ch_i + 1))
	done
}

# ---- platform (user/platform/platform.c) ----
# The hypervisor's own word (user/platform/hvsig.c): the line the kernel logged when it detected
# its hypervisor (an empty file: the log was read and has none) and, where iopath is on PATH,
# the CPUID hypervisor leaves. From a fixture: copied as they are.
if [ -z "$SRC" ]; then
	mkdir -p "$DEST/hv"
	if dmesg > "$DEST/hv/.log" 2>/dev/null; then
		grep 'Hypervisor detected' "$DEST/hv/.log" > "$DEST/hv/kernel-log" || true
	fi
	rm -f "$DEST/hv/.log"
	if command -v iopath > /dev/null 2>&1; then
		iopath env --cpuid > "$DEST/hv/cpuid" 2>/dev/null || rm -f "$DEST/hv/cpuid"
	fi
else
	for f in kernel-log cpuid; do
		[ -f "$SRC/hv/$f" ] && { mkdir -p "$DEST/hv"; cat "$SRC/hv/$f" > "$DEST/hv/$f"; }
	done
fi
cpfile /proc/cpuinfo
cpfile /proc/interrupts
for f in sys_vendor product_name bios_vendor bios_version board_vendor; do
	cpfile /sys/class/dmi/id/$f
done
cpfile /sys/devices/system/clocksource/clocksource0/current_clocksource
cpfile /sys/devices/system/clocksource/clocksource0/available_clocksource
for f in type guest_type properties/features version/major version/minor \
	version/extra; do
	cpfile /sys/hypervisor/$f
done
mkd /proc/xen
cpfile /proc/xen/capabilities
mkd /sys/firmware/acpi

# ---- network devices (user/platform/scan.c scan_nic) ----
for e in "$SRC"/sys/class/net/*; do
	[ -e "$e" ] || continue
	n=${e##*/}
	[ "$n" = lo ] && continue
	N=$(walk "/sys/class/net/$n")
	for f in ifindex iflink mtu operstate uevent; do
		cpfile "$N/$f"
	done
	names "$N/queues" 'rx-*'
	names "$N/queues" 'tx-*'
	[ -d "$SRC$N/bridge" ] && mkd "$N/bridge"
	[ -e "$SRC$N/tun_flags" ] && cpfile "$N/tun_flags"
	[ -e "$SRC$N/device" ] && chain "$N/device"
done

# ---- block devices (user/platform/scan.c scan_blk) ----
for e in "$SRC"/sys/block/*; do
	[ -e "$e" ] || continue
	b=${e##*/}
	B=$(walk "/sys/block/$b")
	cpfile "$B/size"
	names "$B/mq" '*'
	[ -e "$SRC$B/device" ] || continue
	D=$(walk "$B/device")
	case ${D##*/} in
	nvme-subsys*)
		# native NVMe multipath: the head's parent lists controllers
		for c in "$SRC$D"/nvme[0-9]*; do
			[ -e "$c" ] || continue
			chain "$D/${c##*/}"
		done
		;;
	esac
	chain "$B/device"
done

{
	if [ -n "$SRC" ] && [ -r "$SRC/SOURCE" ]; then
		# a copy of a fixture describes the original machine
		cat "$SRC/SOURCE"
		echo "copied from: $SRC"
	else
		echo "snapshot: tools/snapshot-fixture.sh"
		echo "uname: $(uname -a 2>/dev/null)"
		echo "date: $(date -u '+%Y-%m-%dT%H:%M:%SZ' 2>/dev/null)"
		if [ -r "$SRC/etc/os-release" ]; then
			while IFS= read -r l; do
				case $l in
				PRETTY_NAME=*) echo "os: ${l#PRETTY_NAME=}" ;;
				esac
			done <"$SRC/etc/os-release"
		fi
	fi
} >"$DEST/SOURCE"
exit 0
