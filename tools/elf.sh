# Shell helpers for reading kernel ELF images, sourced by tools/debian-kernel.sh
# and tools/extract-kernel-facts.sh (bash: 64-bit arithmetic).

# File offset of virtual address $2 (hex, no 0x) in ELF $1; empty if unmapped.
# Bash arithmetic is 64-bit two's complement, so kernel addresses subtract fine
# (awk would round them to doubles).
vaddr_to_offset() {
	local type addr off size d
	readelf -S -W "$1" | sed -n 's/^ *\[ *[0-9]*\] *//p' |
		while read -r _ type addr off size _; do
			[ "$type" = NOBITS ] && continue
			case "$addr" in *[!0-9a-fA-F]* | "") continue ;; esac
			d=$((0x$2 - 0x$addr))
			if [ "$d" -ge 0 ] && [ "$d" -lt $((0x$size)) ]; then
				echo $((d + 0x$off))
				break
			fi
		done
}
