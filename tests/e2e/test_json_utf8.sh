#!/usr/bin/env bash
# Every JSON output is written by jansson and is valid UTF-8 whatever the input (issue 17 §5):
# a `can --batch` line holding the byte 0xff (a selector, a protocol), a snapshot file whose name
# holds 0xff (summary's warnings, can's rule origins, check's SARIF and JSON, diff's paths and
# origins), control characters.
# Each output is decoded as strict UTF-8 and parsed as JSON; U+FFFD stands for the bad bytes.
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
ECOM="$SRC/fixtures/ecommerce-awsvpc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
# strict FILE [lines]: the file is UTF-8 and JSON (one document, or one per line with "lines")
strict() {
  python3 - "$@" <<'PY' || fail "not strict UTF-8 JSON: $1"
import json, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")          # raises on a bad byte
docs = [json.loads(l) for l in text.splitlines()] if sys.argv[2:] == ["lines"] else [json.loads(text)]
assert docs, "empty"
PY
}

# 1. can --batch: a selector and a protocol holding 0xff, next to a good question.
printf 'internet lb:ecom-public-alb tcp 443\nsg-\xff\xfe lb:ecom-public-alb tcp 443\ninternet lb:ecom-public-alb t\xffcp 443\ninternet "x\x01y" tcp 443\n' >batch.txt
"$SGREACH" can -q --batch batch.txt "$ECOM" >batch.out 2>batch.err
rc=$?
[ "$rc" -le 3 ] || fail "can --batch: exit $rc"
[ "$(wc -l <batch.out)" = 4 ] || { cat batch.out; fail "can --batch: want 4 answer lines"; }
strict batch.out lines
python3 - batch.out <<'PY' || fail "can --batch answers"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert lines[0]["verdict"] == "reachable", lines[0]
assert "\ufffd" in lines[2]["error"], lines[2]                 # the bad protocol, shown as U+FFFD
assert "error" in lines[1] or "\ufffd" in lines[1].get("from", ""), lines[1]
PY

# 2. A dump whose file name holds 0xff: summary's warnings, can's origins, check's outputs.
mkdir snap && cp "$ECOM"/*.json snap/ && rm snap/describe-security-group-rules.json &&
  mv snap/describe-security-groups.json "$(printf 'snap/sgs-\xff.json')"          # every group rule's origin
printf '{"SecurityGroups": [{"GroupId": 7}]}' >"$(printf 'snap/bad-\xff.json')"     # a warning located in that file
"$SGREACH" summary --format json snap >summary.json 2>/dev/null || fail "summary: exit $?"
strict summary.json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1],encoding="utf-8")); assert any("\ufffd" in w["file"] for w in d["warnings"]), "no warning from the 0xff file"' summary.json ||
  fail "summary: the warning of the 0xff file"
"$SGREACH" can -q --from internet --to lb:ecom-public-alb --port 443 --format json snap >can.json; [ $? = 0 ] || fail "can on snap"
strict can.json
grep -q 'sgs-\\ufffd.json\|sgs-�.json' can.json || fail "can: the origin's file name"
cat >p.json <<'EOF2'
{"forbid": [{"name": "alb-not-public", "from": "internet", "to": "lb:ecom-public-alb", "ports": "tcp:443"}]}
EOF2
for fmt in json sarif codequality; do
  "$SGREACH" check -q --policy p.json --findings --source-root . --format $fmt snap >check.$fmt; [ $? = 1 ] || fail "check --format $fmt: want exit 1"
  strict check.$fmt
done
python3 -c 'import json,sys; r=json.load(open(sys.argv[1],encoding="utf-8"))["runs"][0]["results"]; assert r[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]=="snap/sgs-%FF.json", r[0]["locations"]' check.sarif ||
  fail "SARIF: the 0xff byte percent-encoded in the URI"

# 3. diff: a NEW snapshot directory whose name and whose groups' file name hold 0xff; every path
#    it opens cites a rule of that file.
newdir=$(printf 'new-\xff')
mkdir old && cp "$ECOM"/describe-vpcs.json old/ && cp -r snap "$newdir"
"$SGREACH" diff -q --format json old "$newdir" >diff.json; [ $? = 1 ] || fail "diff: want exit 1 (paths opened)"
strict diff.json
python3 - diff.json <<'PY' || fail "diff: the 0xff names as U+FFFD"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["new"] == ["new-\ufffd"], d["new"]
files = {r["file"] for c in d["opened"] for r in c["allowed_by"]}
assert any("sgs-\ufffd.json" in f for f in files), sorted(files)[:5]
PY
echo "JSON outputs: valid UTF-8"
