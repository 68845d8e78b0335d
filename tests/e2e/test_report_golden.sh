#!/usr/bin/env bash
# Golden files for `sgreach report` (Markdown and JSON) on the fixture estates,
# and byte-identical output (Markdown, JSON, HTML) across runs.
# UPDATE_GOLDEN=1 rewrites tests/golden/ from the current output.
set -euo pipefail
: "${SGREACH:?}" "${SRC:?}"
cd "$SRC" # paths in the report are as given: keep them relative and stable
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for fx in bridge-nlb ecommerce-awsvpc host-mode; do
  for fmt in md json; do
    golden="tests/golden/report-$fx.$fmt"
    "$SGREACH" report "fixtures/$fx" --format "$fmt" --quiet -o "$tmp/out.$fmt"
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
      cp "$tmp/out.$fmt" "$golden"
      continue
    fi
    if ! diff -u "$golden" "$tmp/out.$fmt" > "$tmp/diff"; then
      echo "FAIL: report $fx --format $fmt differs from $golden:"
      head -60 "$tmp/diff"
      fail=1
    else
      echo "ok: $golden"
    fi
  done
  for fmt in md json html; do
    "$SGREACH" report "fixtures/$fx" --format "$fmt" --quiet > "$tmp/a.$fmt"
    "$SGREACH" report "fixtures/$fx" --format "$fmt" --quiet > "$tmp/b.$fmt"
    if cmp -s "$tmp/a.$fmt" "$tmp/b.$fmt"; then
      echo "ok: $fx $fmt byte-identical across runs"
    else
      echo "FAIL: $fx $fmt differs between two runs"
      fail=1
    fi
  done
done
# A fixed timestamp comes only from SOURCE_DATE_EPOCH.
SOURCE_DATE_EPOCH=1700000000 "$SGREACH" report fixtures/bridge-nlb --format md --quiet > "$tmp/dated.md"
if grep -q "^Generated 2023-11-14 22:13 UTC\. " "$tmp/dated.md" && ! grep -q "Generated" tests/golden/report-bridge-nlb.md; then
  echo "ok: SOURCE_DATE_EPOCH gives the only timestamp"
else
  echo "FAIL: SOURCE_DATE_EPOCH"
  fail=1
fi
# Bad format: a usage error.
if "$SGREACH" report fixtures/bridge-nlb --format pdf 2>/dev/null; then
  echo "FAIL: --format pdf accepted"
  fail=1
else
  [ $? -eq 2 ] && echo "ok: --format pdf is a usage error" || { echo "FAIL: --format pdf exit code"; fail=1; }
fi
exit $fail
