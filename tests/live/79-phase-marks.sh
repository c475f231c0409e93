# Phase marks from any command: a POSIX sh script writes marks to $IOPATH_PHASE_FD under record -o
# (record makes the socket before its BPF descriptors, so the number is below 10, as sh needs).
# Every mark is answered (the script would hang on its read otherwise: a timeout fails the test);
# each bad one (an unknown line, a name too long, with '/', with a space, repeated, the 33rd
# phase, a line longer than the protocol's 127 bytes) gets exactly one warning line and changes
# nothing; good ones give one file each; a command killed inside a phase still gets that phase's
# file; without -o the marks are answered and nothing is written.
. "$(dirname "$0")/lib.sh"

command -v timeout > /dev/null || { echo "skip: no timeout"; exit 0; }

cat > "$TMP/marks.sh" <<'SH'
fd=$IOPATH_PHASE_FD
mark() { printf '%s\n' "$1" >&$fd; read -r ans <&$fd; echo "$ans" >> "$ANSWERS"; }
mark "hello"
mark "phase a/b"
mark "phase a b"
mark "phase $(printf 'n%.0s' $(seq 60))"
mark "phase $(printf 'x%.0s' $(seq 200))"
for i in $(seq 31); do mark "phase p$i"; done
mark "phase -"
mark "phase last"
[ "$1" = die ] && kill -9 $$
mark "phase -"
mark "phase p33"
mark "phase p1"
SH
run() { # run -o|none die|live: record's exit code
	ANSWERS=$TMP/answers.$1.$2; export ANSWERS
	: > "$ANSWERS"
	set +e
	timeout 120 "$IOPATH" record --exits $( [ $1 = o ] && echo "-o $TMP/Z.rec" ) -- sh "$TMP/marks.sh" $2 \
		> "$TMP/out" 2> "$TMP/err"
	rc=$?
	set -e
	[ $rc != 124 ] || fail "record -- marks.sh hung (a mark not answered): $(cat "$TMP/err")"
}

run o live
[ $rc = 0 ] || fail "record exited $rc: $(cat "$TMP/err")"
[ "$(grep -c '^go$' "$ANSWERS")" = 41 ] || fail "$(grep -c '^go$' "$ANSWERS") marks answered 'go', want 41"
warn=$(grep -c 'phase mark ignored' "$TMP/err" || true)
[ "$warn" = 7 ] || fail "$warn warnings for 7 bad marks: $(cat "$TMP/err")"
for why in "unknown mark 'hello'" "has a '/'" "has a space" "longer than 48 bytes" "a line longer than 127 bytes" \
	"one more than the 32 phases" "'p1' was already recorded"; do
	grep -q "$why" "$TMP/err" || fail "no warning saying $why: $(cat "$TMP/err")"
done
ok "41 marks answered; 7 bad ones, one warning line each"
n=$(ls "$TMP" | grep -c '^Z\..*\.rec$')
[ "$n" = 32 ] || fail "$n phase files, want 32 (p1..p31, last): $(ls "$TMP")"
[ -f "$TMP/Z.rec" ] || fail "no whole-run recording"
for p in p1 p31 last; do
	[ "$("$IOPATH" report --json "$TMP/Z.$p.rec" | jq -r .phase.name)" = $p ] || fail "Z.$p.rec: META phase is not $p"
done
[ ! -e "$TMP/Z.p33.rec" ] || fail "the 33rd phase was written"
[ "$("$IOPATH" report --json "$TMP/Z.rec" | jq -r '.phase // "none"')" = none ] || fail "the whole run has a phase"
ok "32 phase files (p1..p31, last), each naming its phase; the whole run names none"

rm -f "$TMP"/Z.*
run o die
[ $rc = 3 ] || fail "record of a killed command exited $rc, want 3: $(cat "$TMP/err")"
[ -f "$TMP/Z.last.rec" ] || fail "the command died inside phase 'last': no Z.last.rec: $(cat "$TMP/err")"
[ "$("$IOPATH" report --json "$TMP/Z.last.rec" | jq -r .command_exit)" = 137 ] ||
	fail "Z.last.rec does not carry the command's end (137): $("$IOPATH" report --json "$TMP/Z.last.rec" | jq -c .command_exit)"
ok "a command killed inside phase 'last' still gets Z.last.rec, with its exit status 137"

rm -f "$TMP"/Z.*
run none live
[ $rc = 0 ] || fail "record without -o exited $rc: $(cat "$TMP/err")"
[ "$(grep -c '^go$' "$ANSWERS")" = 41 ] || fail "without -o: $(grep -c '^go$' "$ANSWERS") marks answered, want 41"
[ -z "$(ls "$TMP" | grep '^Z\.')" ] || fail "without -o, files were written: $(ls "$TMP")"
ok "without -o: every mark answered, no file written"
