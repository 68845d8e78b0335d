#!/usr/bin/env bash
# Replays every fuzzer regression (tests/fuzz/regressions/) through the binary:
# an exit code of the contract, no signal, no hang.
set -u
: "${SGREACH:?}" "${SRC:?}"
reg=$SRC/tests/fuzz/regressions
base=$SRC/fixtures/ecommerce-awsvpc
fail=0 n=0
check() {
  local label=$1; shift
  timeout 60 "$@" >/dev/null 2>&1
  local rc=$?
  n=$((n+1))
  if [ $rc -gt 4 ]; then echo "FAIL $label: exit $rc"; fail=1; fi
}
for f in "$reg"/import/*.json "$reg"/json/*.json; do
  [ -e "$f" ] || continue
  check "summary $f" "$SGREACH" summary "$f"
  check "exposure $f" "$SGREACH" exposure "$base" "$f"
done
for f in "$reg"/terraform/*.json; do
  [ -e "$f" ] || continue
  check "summary $f" "$SGREACH" summary "$SRC/tests/data/terraform/live" "$f"
  check "exposure $f" "$SGREACH" exposure "$SRC/tests/data/terraform/live" "$f"
done
for f in "$reg"/policy/*.json "$reg"/check/*.json; do
  [ -e "$f" ] || continue
  for fmt in text json sarif junit codequality; do
    check "check $f" "$SGREACH" check --findings --fail-on high --format $fmt --policy "$f" "$base"
  done
done
for f in "$reg"/selector/*; do
  [ -e "$f" ] || continue
  check "can $f" "$SGREACH" can --from "$(cat "$f")" --to internet "$base"
done
# The hostile corpus doubles as seeds; at least it must replay cleanly too.
for f in "$SRC"/tests/bad-input/*.json; do
  check "summary $f" "$SGREACH" summary "$f"
done
echo "fuzz regressions: $n replays"
[ $fail -eq 0 ]
