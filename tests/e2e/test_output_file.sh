#!/usr/bin/env bash
# -o FILE is written safely (issue 16 §4): the old file survives a failed run,
# a symlink at FILE is never followed, a file the command reads is never
# overwritten, and a successful run replaces FILE whole.
set -u
: "${SGREACH:?}" "${SRC:?}"
base=$SRC/fixtures/ecommerce-awsvpc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL $*"; fail=1; }

# A successful run writes the file; its content is what stdout would have been.
"$SGREACH" summary "$base" > "$tmp/expected" 2>/dev/null
"$SGREACH" summary -o "$tmp/out.txt" "$base" 2>/dev/null || no "summary -o failed"
cmp -s "$tmp/expected" "$tmp/out.txt" || no "-o content differs from stdout"

# A failed run (a snapshot that does not load) leaves the old file as it was.
echo "the old report" > "$tmp/old.txt"
"$SGREACH" summary -o "$tmp/old.txt" "$tmp/does-not-exist" 2>/dev/null
[ $? -eq 2 ] || no "a failed run did not exit 2"
[ "$(cat "$tmp/old.txt")" = "the old report" ] || no "a failed run changed the old file"
# A verdict of 'unreachable' (exit 1) is a result: the file is replaced.
"$SGREACH" can --from internet --to 10.0.21.45 --port 5432 -o "$tmp/old.txt" "$base" 2>/dev/null
[ $? -eq 1 ] || no "can: expected exit 1"
grep -q '^UNREACHABLE' "$tmp/old.txt" || no "exit 1 (a result) did not replace the file"
ls -a "$tmp" | grep -q '\.sgreach-out-' && no "a temporary file was left behind"

# A symlink at the output path: refused, and its target untouched.
echo "precious" > "$tmp/target"
ln -s "$tmp/target" "$tmp/link.txt"
"$SGREACH" summary -o "$tmp/link.txt" "$base" 2>"$tmp/err"
[ $? -eq 2 ] || no "a symlink at -o was not refused"
grep -q "symbolic link" "$tmp/err" || no "the refusal does not say why"
[ "$(cat "$tmp/target")" = "precious" ] || no "the symlink's target was written"
[ -L "$tmp/link.txt" ] || no "the symlink was replaced"

# A file the command reads: refused, and the input intact (was: emptied, then 0 groups).
mkdir "$tmp/snap" && cp "$base"/*.json "$tmp/snap/"
cp "$tmp/snap/describe-security-groups.json" "$tmp/sg.before"
"$SGREACH" summary -o "$tmp/snap/describe-security-groups.json" "$tmp/snap" 2>"$tmp/err"
[ $? -eq 2 ] || no "writing over an input was not refused"
grep -q "reads" "$tmp/err" || no "the refusal does not say why"
cmp -s "$tmp/sg.before" "$tmp/snap/describe-security-groups.json" || no "an input was changed"
"$SGREACH" summary -o "$tmp/snap/describe-subnets.json" "$tmp/snap/describe-subnets.json" 2>/dev/null
[ $? -eq 2 ] || no "writing over an input file argument was not refused"
cp "$SRC/docs/examples/ecommerce-policy.json" "$tmp/policy.json"
"$SGREACH" check --policy "$tmp/policy.json" -o "$tmp/policy.json" "$base" 2>/dev/null
[ $? -eq 2 ] || no "writing over the policy was not refused"
cmp -s "$SRC/docs/examples/ecommerce-policy.json" "$tmp/policy.json" || no "the policy was changed"

# A device is written in place (not replaced): -o /dev/null works.
"$SGREACH" summary -o /dev/null "$base" 2>/dev/null || no "-o /dev/null failed"

# A directory that cannot be written: an error, and nothing else changes.
mkdir "$tmp/ro" && echo keep > "$tmp/ro/r.txt" && chmod 555 "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
  "$SGREACH" summary -o "$tmp/ro/r.txt" "$base" 2>/dev/null
  [ $? -eq 4 ] || no "an unwritable directory did not fail"
  [ "$(cat "$tmp/ro/r.txt")" = keep ] || no "the old file in an unwritable directory changed"
fi
chmod 755 "$tmp/ro"

if [ $fail -ne 0 ]; then echo "output-file: FAILED"; exit 1; fi
echo "output-file: ok"
