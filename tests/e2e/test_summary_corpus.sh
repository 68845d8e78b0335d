#!/usr/bin/env bash
# Every JSON file of tests/corpus loads with exit 0 (alone, and each Batfish
# folder as a whole); the corpus's malformed blocks, copied to .json files, give
# exit 2 and `sgreach: FILE:LINE:COL: message`; an empty directory gives exit 2.
set -euo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORPUS=${CORPUS:-$SRC/tests/corpus}
SGREACH=${SGREACH:-$SRC/build/sgreach}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
corpus="$CORPUS"
[ -d "$corpus" ] || fail "no corpus at $corpus"

# A file that holds nothing sgreach analyses (describe-regions, list-tasks, a
# placebo recording, a Batfish AvailabilityZones.json) is refused alone (issue
# 15 §3): exit 2 with the "nothing to analyse" error naming it, nothing else.
n=0
refused=0
while IFS= read -r -d '' f; do
  rc=0
  "$SGREACH" summary --quiet --format json "$f" >"$work/out-$n.json" 2>"$work/err" || rc=$?
  if [ "$rc" = 2 ] && grep -qF "$f: nothing to analyse" "$work/err"; then
    refused=$((refused + 1))
    rm -f "$work/out-$n.json"
    continue
  fi
  [ "$rc" = 0 ] || fail "$f: exit $rc ($(head -3 "$work/err"))"
  n=$((n + 1))
done < <(find "$corpus" -name '*.json' -type f -print0 | sort -z)
[ "$n" -gt 100 ] || fail "only $n corpus files load ($refused refused as nothing to analyse)"
# Every output is JSON (one python for all: its start-up dominated the test).
python3 -c "
import glob, json, sys
for f in glob.glob(sys.argv[1] + '/out-*.json'):
    json.load(open(f))
" "$work" || fail "an output is not JSON"

for d in "$corpus"/batfish-aws/*/; do
  "$SGREACH" summary --quiet "$d" >/dev/null 2>"$work/err" || fail "$d: exit $? ($(head -3 "$work/err"))"
done
# The whole corpus at once.
"$SGREACH" summary --quiet "$corpus" >/dev/null 2>"$work/err" || fail "corpus: exit $? ($(head -3 "$work/err"))"

# Malformed JSON: exit 2 and FILE:LINE:COL.
m=0
for t in "$corpus"/aws-cli-examples/rejected/*/*.txt; do
  bad="$work/$(basename "$(dirname "$t")")-$(basename "$t" .txt).json"
  cp "$t" "$bad"
  set +e
  "$SGREACH" summary "$bad" >/dev/null 2>"$work/err"
  rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "$t: exit $rc, want 2"
  grep -Eq "^sgreach: $bad:[0-9]+:[0-9]+: .+" "$work/err" || fail "$t: no FILE:LINE:COL in: $(cat "$work/err")"
  m=$((m + 1))
done
[ "$m" -ge 5 ] || fail "only $m rejected files"

# The exact location of a known defect: describe-subnets.txt has 'pool-2EXAMPLE' on line 17.
grep -q "ec2-describe-subnets.json:17:" <("$SGREACH" summary "$work/ec2-describe-subnets.json" 2>&1 || true) \
  || fail "describe-subnets syntax error not at line 17"

mkdir "$work/empty"
set +e
"$SGREACH" summary "$work/empty" >/dev/null 2>"$work/err"; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "empty directory: exit $rc, want 2"
echo "ok ($n files)"
