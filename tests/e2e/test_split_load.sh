#!/usr/bin/env bash
# A large document is cut at element boundaries and parsed on both cores
# (analyzer/load/json_split.c, json_feed.c); the output must not change by a
# byte. --debug-split splits every document that can be split, so each
# input here is loaded both ways and stdout, stderr and the exit code compared:
# the fixtures, the scenarios, the corpus, every hostile input beside a valid
# estate, generated estates (pretty and compact, one document per call and
# pages), and split documents that break in the middle (a syntax error after
# elements that warn, a trailing comma, a duplicate key, a key that is not an
# array): their error and every warning must be the whole parse's.
set -u
: "${SGREACH:?}" "${SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
compared=0

# same LABEL ARGS... : one run whole, one split; the two must be identical.
same() {
  local label=$1; shift
  "$SGREACH" "$@" >"$tmp/whole.out" 2>"$tmp/whole.err"; echo "rc=$?" >>"$tmp/whole.err"
  "$SGREACH" "$1" --debug-split "${@:2}" >"$tmp/split.out" 2>"$tmp/split.err"; echo "rc=$?" >>"$tmp/split.err"
  if ! cmp -s "$tmp/whole.out" "$tmp/split.out" || ! cmp -s "$tmp/whole.err" "$tmp/split.err"; then
    echo "FAIL $label: split load differs"
    diff "$tmp/whole.err" "$tmp/split.err" | head -5
    diff "$tmp/whole.out" "$tmp/split.out" | head -5
    fail=1
  fi
  compared=$((compared + 1))
}

for d in "$SRC"/fixtures/*/ "$SRC"/tests/scenarios/*/; do
  same "summary $d" summary --format json "$d"
  same "exposure $d" exposure --format json "$d"
done
for d in "$SRC"/tests/corpus/*/; do
  same "summary $d" summary --format json "$d"
done
base=$SRC/fixtures/ecommerce-awsvpc
for f in "$SRC"/tests/bad-input/*.json; do
  same "bad input $(basename "$f")" summary --format json "$base" "$f"
done

for shape in "" "--compact" "--page-size 1000"; do
  g=$tmp/estate$(echo "$shape" | tr -d ' -')
  # shellcheck disable=SC2086
  python3 "$SRC/scripts/gen-estate" -n 300 --seed 4 --out "$g" -q $shape || fail=1
  same "estate $shape summary" summary --format json "$g"
  same "estate $shape exposure" exposure --format json "$g"
  task=$(awk -F'\t' '$1 == "task" { print $3; exit }' "$g/selectors.txt")
  same "estate $shape blast" blast --from "$task" --format json "$g"
done

# Split documents that break: elements that warn come first, so a split load
# imports (and warns) before it meets the error; what it prints must still be
# the whole parse's error alone.
eni='{"NetworkInterfaceId": "eni-0123456789abcdef0", "SubnetId": 7, "Groups": []}'
mk() { printf '%s' "$2" >"$tmp/$1.json"; }
mk syntax "{\"NetworkInterfaces\": [$eni, $eni, {\"NetworkInterfaceId\": tru}], \"NextToken\": null}"
mk trailing "{\"NetworkInterfaces\": [$eni, $eni,]}"
mk late "{\"NetworkInterfaces\": [$eni, $eni], \"NextToken\": nul}"
mk duplicate "{\"NetworkInterfaces\": [$eni], \"NetworkInterfaces\": [$eni, $eni]}"
mk notarray "{\"NextToken\": \"x\", \"NetworkInterfaces\": {\"a\": 1}}"
mk twodocs "{\"NetworkInterfaces\": [$eni]}
  {\"SecurityGroups\": [{\"GroupId\": 5}]} {\"Vpcs\": [}"
mk multiline "{
  \"NetworkInterfaces\": [
    $eni,
    {
      \"NetworkInterfaceId\": \"eni-1\",
      \"SubnetId\": [1,
        2]
    },
    \"not an object\"
  ],
  \"NextToken\": \"a \\\" ] } [ {\"
}
{\"Vpcs\": []}
"
# several pieces (a piece is about 256 kB): the error is in the last one
many=$(for _ in $(seq 6000); do printf '%s,\n' "$eni"; done)
mk bigsyntax "{\"NetworkInterfaces\": [$many {\"NetworkInterfaceId\": tru}]}"
mk bigok "{\"NetworkInterfaces\": [$many $eni], \"NextToken\": \"t\"}"
mk deep "{\"NetworkInterfaces\": [$(printf '[%.0s' $(seq 2100))$(printf ']%.0s' $(seq 2100))]}"
for f in syntax trailing late duplicate notarray twodocs multiline bigsyntax bigok deep; do
  same "broken split document $f" summary --format json "$base" "$tmp/$f.json"
done

echo "split load: $compared comparisons"
exit $fail
