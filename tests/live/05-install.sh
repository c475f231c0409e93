#!/bin/sh
# make install with PREFIX and DESTDIR: the binary, iopath(8) listing every flag of every
# command, the bash completion answering from the binary's help, the docs; uninstall removes them.
. "$(dirname "$0")/lib.sh"

D=$TMP/root
make -s install DESTDIR="$D" PREFIX=/usr > "$TMP/install.log" 2>&1 || fail "make install: $(tail -3 "$TMP/install.log")"
for f in sbin/iopath share/man/man8/iopath.8 share/bash-completion/completions/iopath \
	share/doc/iopath/README.md share/doc/iopath/LICENSE; do
	[ -f "$D/usr/$f" ] || fail "make install did not install /usr/$f"
done
ok "installed under DESTDIR/usr: sbin/iopath, iopath.8, completion, README, LICENSE"

# The version: the release number from VERSION, the commit as build metadata.
v=$("$D/usr/sbin/iopath" --version)
case "$v" in "iopath $(cat VERSION)+"*|"iopath $(cat VERSION)") ;; *) fail "version '$v' is not VERSION ($(cat VERSION)) + commit" ;; esac
ok "$v"

# The man page renders without a warning and names every flag of every command.
man8=$D/usr/share/man/man8/iopath.8
warn=$(groff -man -ww -z "$man8" 2>&1) || fail "groff: $warn"
[ -z "$warn" ] || fail "groff warnings: $warn"
man -l "$man8" > "$TMP/man.txt" 2>/dev/null || fail "man -l failed"
cmds=$(./iopath --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ "$(echo "$cmds" | wc -w)" -ge 8 ] || fail "iopath --help lists only: $cmds"
n=0
for c in $cmds; do
	for fl in $(./iopath "$c" --help 2>&1 | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[ ,]//' | sort -u); do
		grep -qF -- "$fl" "$TMP/man.txt" || fail "iopath(8) lacks '$c $fl'"
		n=$((n + 1))
	done
done
ok "iopath(8) renders cleanly and has all $n flags of $(echo "$cmds" | wc -w) commands"

# Completion: commands, a command's flags, interface names.
comp() { bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _iopath; echo "${COMPREPLY[*]}"' _ \
	"$D/usr/share/bash-completion/completions/iopath" "$@"; }
[ "$(comp ./iopath rec)" = record ] || fail "completion of 'rec': '$(comp ./iopath rec)'"
case " $(comp ./iopath record --st) " in *" --stacks "*) ;; *) fail "completion of 'record --st': '$(comp ./iopath record --st)'" ;; esac
case " $(comp ./iopath record -i l) " in *" lo "*) ;; *) fail "completion of 'record -i l': '$(comp ./iopath record -i l)'" ;; esac
ok "bash completion: rec -> record, record --st -> --stacks, -i l -> lo"

make -s uninstall DESTDIR="$D" PREFIX=/usr
left=$(find "$D" -type f | wc -l)
[ "$left" = 0 ] || fail "uninstall left $left files: $(find "$D" -type f)"
ok "make uninstall removed every installed file"
