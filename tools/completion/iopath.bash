# bash completion for iopath. The commands and each command's flags come from
# iopath's own help texts (`iopath --help`, `iopath CMD --help`), so they cannot
# drift from the binary; values: interfaces, disks, profiles, recordings.
_iopath()
{
	local cur prev words cword cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--) return 0 ;;   # after --: the traced command's own words
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" --help 2>/dev/null |
			awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^  --/ { print $1 }')" -- "$cur"))
		return 0
	fi
	# workload suite --blk DEV (record's --blk takes no value)
	if [[ $cmd == workload && $prev == --blk ]]; then
		COMPREPLY=($(compgen -W "$(ls -d /dev/vd? /dev/sd? /dev/xvd? /dev/nvme?n? /dev/loop? 2>/dev/null)" -- "$cur"))
		return 0
	fi
	case $prev in
	-i | --iface)
		COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur")); return 0 ;;
	--disk)
		COMPREPLY=($(compgen -W "$(ls /sys/block 2>/dev/null)" -- "$cur")); return 0 ;;
	-P | --profile)
		COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" probes --profile list 2>/dev/null | awk '{ print $1 }') list" -- "$cur")); return 0 ;;
	-o | --output | --json-file | --diff | --html | -K | --kernel-facts | -r | --root | --btf)
		COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return 0 ;;
	--dir) COMPREPLY=($(compgen -W "tx rx" -- "$cur")); return 0 ;;
	--proto) COMPREPLY=($(compgen -W "udp tcp" -- "$cur")); return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "$cmd" --help 2>/dev/null |
			grep -oE '(^|[ ,\[])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[ ,\[]//' | sort -u)" -- "$cur"))
		return 0
	fi
	case $cmd in
	workload)
		[[ $prev == workload ]] &&
			COMPREPLY=($(compgen -W "suite peer udp-send udp-sink tcp-send tcp-sink" -- "$cur")) ;;
	report | diff | compare | flame)
		COMPREPLY=($(compgen -f -X '!*.rec' -- "$cur") $(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null ;;
	esac
	return 0
}
complete -F _iopath iopath
