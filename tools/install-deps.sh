#!/bin/sh
# Install the Debian 12 packages iopath needs to build and test, only when missing.
# Usage: tools/install-deps.sh [build|test|lab|bench]   (test and lab each include the previous;
# bench is build plus what make bench and make soak run: the comparison tracers, time, jq)
set -eu
level=${1:-build}
# iproute2: make run (the built-in workload makes network namespaces and a veth pair)
pkgs="make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config iproute2"
case "$level" in
  test|lab) pkgs="$pkgs bc check iproute2 iputils-ping ethtool util-linux procps jq libclang-rt-14-dev chromium curl prometheus man-db groff-base" ;;
esac
case "$level" in
  bench) pkgs="$pkgs jq util-linux procps coreutils time bpftrace libbpf-tools" ;;
esac
case "$level" in
  lab) pkgs="$pkgs qemu-system-x86 busybox-static cpio zstd kmod e2fsprogs debootstrap" ;;
esac
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing packages:$missing (run as root to install them)" >&2
  exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# apt-cache/apt-get see nothing on a fresh machine before the first update.
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends $missing >/dev/null
