#!/bin/bash
# The README's result is what the committed lab recordings give: tools/readme-result.sh --check
# makes the README part, examples/compare.html and the plot again from examples/*.rec with this
# build's `iopath compare` and fails where a committed file differs (a hand edit, or a change of
# compare's output without re-running the script). Needs no root; run with the live tests because
# it reads recordings with the built binary.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ls "$REPO"/examples/*.rec > /dev/null 2>&1 || fail "no examples/*.rec: the lab recordings the README's result is made from"
n=$(ls "$REPO"/examples/*.rec | wc -l)
IOPATH="$IOPATH" "$REPO/tools/readme-result.sh" --check > "$TMP/check.out" 2>&1 || fail "$(cat "$TMP/check.out")"
ok "README's result, examples/compare.html and the plot = what $n recordings give"
# and it notices a hand edit: one number changed in a copy of the tree's README
cp -r "$REPO/tools" "$REPO/examples" "$TMP/"; cp "$REPO/README.md" "$TMP/"; mkdir -p "$TMP/tree"
mv "$TMP/tools" "$TMP/examples" "$TMP/README.md" "$TMP/tree/"
sed -i '0,/^| probe hits\/packet | [0-9]/s//| probe hits\/packet | 9/' "$TMP/tree/README.md"
cmp -s "$TMP/tree/README.md" "$REPO/README.md" && fail "the edit did not change the copy"
IOPATH="$IOPATH" "$TMP/tree/tools/readme-result.sh" --check > "$TMP/check2.out" 2>&1 && fail "a hand-edited result passed --check"
grep -q "README.md's result is not what examples" "$TMP/check2.out" || fail "$(cat "$TMP/check2.out")"
ok "a hand edit of the result is caught: $(head -1 "$TMP/check2.out")"
