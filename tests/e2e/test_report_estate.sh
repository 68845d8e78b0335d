#!/usr/bin/env bash
# The report on a generated estate (scripts/gen-estate, 300 interfaces, every
# network mode): it completes, and asking one task per signature (the default,
# analyzer/report_sig.c) gives exactly the report that asking every task gives.
set -euo pipefail
: "${SGREACH:?}" "${SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$SRC/scripts/gen-estate" --interfaces 300 --seed 3 --out "$tmp/estate" > /dev/null
"$SGREACH" report "$tmp/estate" --format json --quiet -o "$tmp/signatures.json"
"$SGREACH" report --debug-reference "$tmp/estate" --format json --quiet -o "$tmp/every.json"
if cmp -s "$tmp/signatures.json" "$tmp/every.json"; then
  echo "ok: one task per signature gives the same report as every task"
else
  echo "FAIL: the reports differ"
  diff <(python3 -m json.tool "$tmp/signatures.json") <(python3 -m json.tool "$tmp/every.json") | head -40
  exit 1
fi
python3 - "$tmp/signatures.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
blast = r["blast"]
modes = sorted({b["mode"] for b in blast})
ok = len(blast) > 10 and {"awsvpc", "bridge", "host"} <= set(modes) and any(b["reached"] for b in blast)
print(("ok: " if ok else "FAIL: ") + "blast radius of %d services, modes %s" % (len(blast), modes))
sys.exit(0 if ok else 1)
PY
