#!/bin/bash
# extract-kernel-facts.sh — write tests/fixtures/kernels/<tag>/ from real Debian kernels.
#
# Why: iopath decides at start-up which probes it can attach (kprobe needs a
# kallsyms text symbol that is not blacklisted; fentry needs a BTF FUNC). The
# unit tests exercise that logic against what the real Debian 5.10, 6.1 and
# 6.12 kernels expose, in the exact formats of /proc/kallsyms,
# /sys/kernel/debug/kprobes/blacklist and BTF. Every line is extracted by this
# script from the Debian packages fetched by tools/debian-kernel.sh; nothing is
# typed by hand. It also (re)writes tests/fixtures/kernels/README.md.
#
# Usage: tools/extract-kernel-facts.sh [tag...]    (default: 5.10 6.1 6.12)
# Output per tag, in tests/fixtures/kernels/<tag>/:
#   kallsyms.gz          /proc/kallsyms lines for text symbols (t T w W):
#                        "ffffffff81000000 T name" (vmlinux, System.map addresses) then
#                        "0000000000000000 t name\t[module]" (module symbols, as an
#                        unprivileged reader sees them)
#   btf_funcs.gz         "<vmlinux|module> <name>" per BTF FUNC, in BTF id order
#   kprobe_blacklist.gz  "0x<start>-0x<end>\t<symbol>" like the debugfs file
#   modules.txt          module names included (underscored), sorted
#   kv                   uname -r
#   packages             "<package> <version> <sha256 of .deb> <size>" (provenance)
set -eu

die() { echo "extract-kernel-facts: $*" >&2; exit 1; }
say() { echo "extract-kernel-facts: $*" >&2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${IOPATH_CACHE:-$repo/.cache}
fixtures=$repo/tests/fixtures/kernels

# Module directories (relative to lib/modules/<kv>/kernel) whose modules are
# listed. drivers/net includes ethernet/{amazon,intel,mellanox,google}.
MODDIRS="drivers/net drivers/block drivers/nvme drivers/virtio drivers/vhost drivers/xen arch/x86/kvm"

# ---------------------------------------------------------------------------
# Worker: one module -> $2/ks/<mod> (kallsyms lines) and $2/bf/<mod> (BTF funcs)
# Called through xargs as: $0 --module <ko> <workdir> <base vmlinux>
if [ "${1:-}" = --module ]; then
	ko=$2 work=$3 base=$4
	name=${ko##*/}
	name=${name%%.ko*}
	mod=$(echo "$name" | tr - _) # the kernel's KBUILD_MODNAME
	case "$ko" in
		*.ko) f=$ko ;;
		*.ko.xz) f=$work/tmp.$mod.ko; xz -dc "$ko" > "$f" ;;
		*.ko.zst) f=$work/tmp.$mod.ko; zstd -dcq "$ko" > "$f" ;;
		*.ko.gz) f=$work/tmp.$mod.ko; gzip -dc "$ko" > "$f" ;;
		*) die "unknown module file $ko" ;;
	esac
	# /proc/kallsyms lists a module's core symbols (not .init*) in symtab
	# order, upper-case only when the module exports the symbol
	# (kernel/kallsyms.c s_show), so a non-exported global is 't' there.
	nm -p -f sysv --defined-only "$f" | awk -F'|' -v mod="$mod" '
		NF >= 7 {
			n = $1; sub(/ +$/, "", n); c = $3; gsub(/ /, "", c); s = $7; gsub(/ /, "", s)
			if (n ~ /^__ksymtab_/) exported[substr(n, 11)] = 1
			if (c ~ /^[tTwW]$/ && s !~ /^\.init/) { k++; nm[k] = n; cl[k] = c }
		}
		END {
			for (i = 1; i <= k; i++) {
				c = (cl[i] ~ /[tT]/) ? "t" : "w"
				if (nm[i] in exported) c = toupper(c)
				printf "0000000000000000 %s %s\t[%s]\n", c, nm[i], mod
			}
		}' > "$work/ks/$mod"
	: > "$work/bf/$mod"
	if readelf -S -W "$f" | grep -q ' \.BTF '; then
		bpftool -B "$base" btf dump file "$f" format raw |
			sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/$mod \1/p" > "$work/bf/$mod"
		[ -s "$work/bf/$mod" ] || echo "$mod" >> "$work/btf-empty"
	else
		echo "$mod" >> "$work/no-btf"
	fi
	[ "$f" = "$ko" ] || rm -f "$f"
	exit 0
fi

for c in nm readelf bpftool gzip xz zstd od awk sort xargs; do
	command -v "$c" >/dev/null 2>&1 || die "'$c' missing (apt-get install binutils bpftool gzip xz-utils zstd)"
done

. "$(dirname "$0")/elf.sh"   # vaddr_to_offset

# kprobe blacklist, computed the way kernel/kprobes.c populate_kprobe_blacklist()
# does at boot: every NOKPROBE_SYMBOL() address in _kprobe_blacklist, then the
# areas [__kprobes_text_start,_end), [__noinstr_text_start,_end) and (x86
# arch_populate_kprobe_blacklist) [__entry_text_start,_end), each walked symbol
# by symbol with kallsyms_lookup_size_offset semantics: a symbol ends at the
# next higher symbol address; among aliases the first in scripts/kallsyms
# order wins (non-weak, not linker-script-like, fewest leading '_', map order).
# $1 System.map, $2 file of NOKPROBE addresses (16 hex digits per line).
blacklist() {
	sysmap=$1 nokprobe=$2
	# Symbols at ffffffff........ only, so 32-bit low halves are exact in awk.
	awk 'length($1) == 16 && substr($1, 1, 8) == "ffffffff" && $2 !~ /^[aAUN]$/ {
		n = $3; l = length(n)
		weak = ($2 ~ /^[wWvV]$/)
		lsp = 0
		if (l >= 8 && substr(n, 1, 2) == "__" &&
		    (substr(n, 3, 6) == "start_" || substr(n, 3, 5) == "stop_" ||
		     substr(n, 3, 4) == "end_" || substr(n, l - 5) == "_start" ||
		     substr(n, l - 3) == "_end")) lsp = 1
		match(n, /^_*/)
		print substr($1, 9), weak, lsp, RLENGTH, NR, n
	}' "$sysmap" | sort -k1,1 -k2,2n -k3,3n -k4,4n -k5,5n |
	awk -v nok="$nokprobe" '
	function hex(s,  i, v) { v = 0; s = tolower(s)
		for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v }
	# index of the symbol containing address x (first alias), 0 if none
	function lookup(x,  lo, hi, mid) {
		lo = 1; hi = cnt
		if (cnt == 0 || x < A[1]) return 0
		while (lo < hi) { mid = int((lo + hi + 1) / 2); if (A[mid] <= x) lo = mid; else hi = mid - 1 }
		return first[H[lo]]
	}
	function add(x,  i, size) {
		i = lookup(x)
		if (i == 0 || nxt[i] == 0) return -1
		size = nxt[i] - A[i]
		printf "0xffffffff%08x-0xffffffff%08x\t%s\n", A[i], A[i] + size, N[i]
		return size
	}
	function area(s, e,  x, r) {
		for (x = s; x < e; x += r) { r = add(x); if (r < 0) { bad++; return } if (r == 0) r = 1 }
	}
	# (array keys are the hex strings: awk would format big numbers as %.6g)
	{ cnt++; H[cnt] = $1; A[cnt] = hex($1); N[cnt] = $6; if (!($1 in first)) first[$1] = cnt
	  if ($6 in S) {} else S[$6] = A[cnt] }
	END {
		for (i = cnt; i >= 1; i--) { nxt[i] = (i < cnt && A[i + 1] != A[i]) ? A[i + 1] : (i < cnt ? nxt[i + 1] : 0) }
		while ((getline line < nok) > 0) {
			if (line !~ /^ffffffff/) { bad++; continue }
			x = hex(substr(line, 9)); i = lookup(x)
			if (i == 0 || A[i] != x) offsym++
			if (add(x) < 0) bad++
		}
		for (k = 1; k <= 3; k++) {
			p = (k == 1) ? "__kprobes_text" : (k == 2) ? "__noinstr_text" : "__entry_text"
			if (!((p "_start") in S) || !((p "_end") in S)) { missing = missing " " p; continue }
			area(S[p "_start"], S[p "_end"])
		}
		if (bad || offsym || missing != "")
			printf "blacklist: %d unresolvable, %d NOKPROBE addresses not at a symbol start, missing:%s\n",
				bad, offsym, missing > "/dev/stderr"
		if (bad || missing != "") exit 1
	}'
}

one_tag() {
	tag=$1
	t0=$(date +%s)
	IOPATH_KERNEL_SYSTEM_MAP=1 "$repo/tools/debian-kernel.sh" "$tag" >/dev/null
	kdir=$cache/kernels/$tag
	kv=$(cat "$kdir/kv")
	root=$kdir/root
	sysmap=$root/boot/System.map-$kv
	vml=$kdir/vmlinux
	[ -s "$sysmap" ] && [ -s "$vml" ] || die "$kdir is incomplete: remove it and rerun"
	dst=$fixtures/$tag
	work=$(mktemp -d)
	mkdir -p "$work/ks" "$work/bf" "$dst"

	say "$tag ($kv): vmlinux symbols and BTF"
	awk '$2 ~ /^[tTwW]$/ { print $1, $2, $3 }' "$sysmap" > "$work/kallsyms"
	bpftool btf dump file "$vml" format raw |
		sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/vmlinux \1/p" > "$work/btf_funcs"
	[ -s "$work/btf_funcs" ] || die "$tag: no BTF FUNCs in $vml"

	# NOKPROBE_SYMBOL() addresses: the u64 array between __start_kprobe_blacklist
	# and __stop_kprobe_blacklist (in .init.data of the decompressed vmlinuz).
	kbs=$(awk '$3 == "__start_kprobe_blacklist" { print $1 }' "$sysmap")
	kbe=$(awk '$3 == "__stop_kprobe_blacklist" { print $1 }' "$sysmap")
	: > "$work/nokprobe"
	if [ -n "$kbs" ] && [ -n "$kbe" ]; then
		off=$(vaddr_to_offset "$vml" "$kbs")
		[ -n "$off" ] || die "$tag: __start_kprobe_blacklist not in the vmlinux image"
		tail -c +$((off + 1)) "$vml" | head -c $((0x$kbe - 0x$kbs)) |
			od -An -v -tx8 | tr -s ' ' '\n' | sed '/^$/d' > "$work/nokprobe"
	fi
	blacklist "$sysmap" "$work/nokprobe" > "$work/kprobe_blacklist" ||
		die "$tag: computing the kprobe blacklist failed"

	say "$tag: modules"
	kdirs=""
	for d in $MODDIRS; do
		[ -d "$root/lib/modules/$kv/kernel/$d" ] && kdirs="$kdirs $root/lib/modules/$kv/kernel/$d"
	done
	# shellcheck disable=SC2086
	find $kdirs -type f \( -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz' \) |
		sort > "$work/kofiles"
	sed 's|.*/||; s|\.ko.*||; y|-|_|' "$work/kofiles" | sort > "$work/modules.txt"
	dup=$(uniq -d "$work/modules.txt")
	[ -z "$dup" ] || die "$tag: duplicate module names: $dup"
	tr '\n' '\0' < "$work/kofiles" |
		xargs -0 -P "$(nproc)" -I{} "$repo/tools/extract-kernel-facts.sh" --module {} "$work" "$vml"
	while read -r m; do
		cat "$work/ks/$m" >> "$work/kallsyms"
		cat "$work/bf/$m" >> "$work/btf_funcs"
	done < "$work/modules.txt"

	for f in kallsyms btf_funcs kprobe_blacklist; do
		gzip -9 -n -c "$work/$f" > "$dst/$f.gz"
	done
	cp "$work/modules.txt" "$dst/modules.txt"
	echo "$kv" > "$dst/kv"
	cp "$kdir/packages" "$dst/packages"
	{
		echo "kallsyms_lines=$(wc -l < "$work/kallsyms")"
		echo "kallsyms_vmlinux=$(grep -vc '	\[' "$work/kallsyms" || true)"
		echo "btf_funcs_lines=$(wc -l < "$work/btf_funcs")"
		echo "btf_funcs_vmlinux=$(grep -c '^vmlinux ' "$work/btf_funcs" || true)"
		echo "kprobe_blacklist_lines=$(wc -l < "$work/kprobe_blacklist")"
		echo "nokprobe_addresses=$(wc -l < "$work/nokprobe")"
		echo "modules=$(wc -l < "$work/modules.txt")"
		echo "modules_without_btf=$(cat "$work/no-btf" 2>/dev/null | wc -l)"
		for s in __kprobes_text __noinstr_text __entry_text; do
			echo "${s#__}=$(awk -v s="$s" '$3 == s "_start" { a = $1 } $3 == s "_end" { b = $1 } END { print "0x" a "-0x" b }' "$sysmap")"
		done
		echo "kprobe_blacklist_section=$kbs-$kbe"
	} > "$work/stats"
	cp "$work/stats" "$dst/.stats"
	rm -rf "$work"
	say "$tag: done in $(($(date +%s) - t0)) s: $(tr '\n' ' ' < "$dst/.stats")"
}

# shellcheck disable=SC2154 # the counters come from the sourced .stats
write_readme() {
	{
		cat <<'EOF'
# Real kernel facts: Debian 5.10, 6.1, 6.12 (amd64)

GENERATED by `tools/extract-kernel-facts.sh`; do not edit by hand (rerun it).

Each `<tag>/` directory holds what one real Debian kernel exposes to a probe
attacher, extracted by script from the Debian archive packages listed below.
Regenerate everything with:

```sh
tools/extract-kernel-facts.sh            # all tags; or: tools/extract-kernel-facts.sh 6.1
```

It calls `tools/debian-kernel.sh <tag>`, which downloads (with `apt-get download`,
through a private apt configuration under `.cache/apt/`, never the system's):

* `linux-image-<abi>-amd64` (the signed image; `-unsigned` has the same files and
  neither ships a real System.map: `/boot/System.map-*` is an 83-byte stub), unpacked
  with `dpkg-deb -x`; `/boot/vmlinuz-<kv>` is decompressed to its ELF (payload
  located through the bzImage setup header), which still has `.BTF` and
  `_kprobe_blacklist`;
* `linux-image-<abi>-amd64-dbg`, from which only `usr/lib/debug/boot/System.map-<kv>`
  is taken (the .deb is deleted afterwards). The script checks that System.map and
  vmlinuz belong together (`linux_banner` in the image says `Linux version <kv>`).

The archive moves on (new ABIs); to rebuild from the exact packages below, pin them:
`tools/debian-kernel.sh 6.1 linux-image-6.1.0-56-amd64` (remove `.cache/kernels/<tag>`
first if it holds another one).

## Files (per tag)

| file | format | source |
|---|---|---|
| `kallsyms.gz` | `/proc/kallsyms` text lines (types `t T w W` only). vmlinux: `ffffffff81000000 T name` with System.map (un-randomised) addresses, in System.map order. Then modules, sorted by module name, each in symbol-table order: `0000000000000000 t name\t[module]` (address as a non-root reader sees it). | vmlinux: System.map from the -dbg package. Modules: `nm` of each `.ko` (`.ko.xz` decompressed first). Like the kernel, `.init*` symbols are left out (freed after load), and the letter is upper-case only if the module exports the symbol (`__ksymtab_<name>` exists), lower-case otherwise, as `/proc/kallsyms` prints it (kernel/kallsyms.c `s_show`). |
| `btf_funcs.gz` | `<module> <name>` per BTF `FUNC`, module = `vmlinux` or the module name; BTF id order; duplicates (same static name in several files) kept. | vmlinux: `.BTF` of the decompressed vmlinuz (`bpftool btf dump file <elf> format raw`). Modules: `.BTF` of each `.ko`, split BTF on top of vmlinux (`bpftool -B <vmlinux> btf dump file <ko> format raw`). |
| `kprobe_blacklist.gz` | `/sys/kernel/debug/kprobes/blacklist` lines: `0x<start>-0x<end>\t<symbol>`, same order as the kernel builds it. | Emulates `populate_kprobe_blacklist()` (kernel/kprobes.c): first every `NOKPROBE_SYMBOL()` address read from the `_kprobe_blacklist` array of the vmlinux image (`__start_kprobe_blacklist`..`__stop_kprobe_blacklist`), then the areas `[__kprobes_text_start, __kprobes_text_end)`, `[__noinstr_text_start, __noinstr_text_end)` and, x86's `arch_populate_kprobe_blacklist()`, `[__entry_text_start, __entry_text_end)`. Each area is walked symbol by symbol; a symbol's end is the next higher System.map address; among aliases the one `scripts/kallsyms` sorts first is named. Module entries (a module's own `.noinstr.text`/`_kprobe_blacklist`, added when it loads) are not included. |
| `modules.txt` | module names (`-` → `_`, as the kernel names them), sorted | every `.ko*` under `kernel/{drivers/net,drivers/block,drivers/nvme,drivers/virtio,drivers/vhost,drivers/xen,arch/x86/kvm}` (drivers/net includes ethernet/{amazon,intel,mellanox,google} and wireless) |
| `kv` | `uname -r` | the package's `/boot/vmlinuz-<kv>` |
| `packages` | `<package> <version> <sha256 of the .deb> <bytes>` | recorded at download |
| `.stats` | counts and boundary symbols, for this README | |

Notes:
* The boundary symbols used are `__kprobes_text_start/_end`, `__noinstr_text_start/_end`,
  `__entry_text_start/_end` and `__start_kprobe_blacklist/__stop_kprobe_blacklist`;
  all exist in every System.map here. `__kprobes_text` is empty in all three builds.
* Addresses are link-time ones; a live kernel adds its KASLR offset.
* Modules built into vmlinux (virtio core on 6.12) appear as vmlinux symbols.
EOF
		for tag in 5.10 6.1 6.12; do
			d=$fixtures/$tag
			[ -f "$d/packages" ] || continue
			echo
			echo "## $tag: \`$(cat "$d/kv")\`"
			echo
			echo "| package | version | sha256 of the .deb | bytes |"
			echo "|---|---|---|---|"
			while read -r p v s b; do echo "| \`$p\` | \`$v\` | \`$s\` | $b |"; done < "$d/packages"
			echo
			# shellcheck source=/dev/null
			. "$d/.stats"
			echo "* kallsyms.gz: $kallsyms_lines lines ($kallsyms_vmlinux vmlinux, $((kallsyms_lines - kallsyms_vmlinux)) module); $(stat -c %s "$d/kallsyms.gz") bytes"
			echo "* btf_funcs.gz: $btf_funcs_lines lines ($btf_funcs_vmlinux vmlinux, $((btf_funcs_lines - btf_funcs_vmlinux)) module); $(stat -c %s "$d/btf_funcs.gz") bytes"
			if [ "$modules_without_btf" = "$modules" ]; then
				echo "  * **no module BTF**: none of the $modules modules has a \`.BTF\` section (CONFIG_DEBUG_INFO_BTF_MODULES is unset), so only vmlinux lines."
			elif [ "$modules_without_btf" != 0 ]; then
				echo "  * $modules_without_btf of $modules modules have no \`.BTF\` section."
			fi
			echo "* kprobe_blacklist.gz: $kprobe_blacklist_lines lines ($nokprobe_addresses NOKPROBE_SYMBOL addresses + the areas); $(stat -c %s "$d/kprobe_blacklist.gz") bytes"
			echo "  * kprobes_text $kprobes_text, noinstr_text $noinstr_text, entry_text $entry_text"
			echo "* modules.txt: $modules modules"
		done
	} > "$fixtures/README.md"
}

[ $# -gt 0 ] || set -- 5.10 6.1 6.12
for t in "$@"; do
	case "$t" in 5.10 | 6.1 | 6.12) ;; *) die "unknown tag '$t' (want 5.10, 6.1 or 6.12)" ;; esac
done
for t in "$@"; do one_tag "$t"; done
write_readme
say "wrote $fixtures"
