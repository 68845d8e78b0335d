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
# A larger estate of another seed: sources and destinations that differ only
# in groups the other end does not read share one evaluation (reach_many.c's
# coarse keys), and a service's targets are counted per destination class
# (report_build.c's combos); the report must still be the one asking every task.
python3 "$SRC/scripts/gen-estate" --interfaces 800 --seed 11 --out "$tmp/estate2" > /dev/null
"$SGREACH" report "$tmp/estate2" --format json --quiet -o "$tmp/fast2.json"
"$SGREACH" report --debug-reference "$tmp/estate2" --format json --quiet -o "$tmp/every2.json"
if cmp -s "$tmp/fast2.json" "$tmp/every2.json"; then
  echo "ok: 800 interfaces (seed 11): the shared reach gives the same report as every task"
else
  echo "FAIL: the reports of the 800-interface estate differ"
  diff <(python3 -m json.tool "$tmp/fast2.json") <(python3 -m json.tool "$tmp/every2.json") | head -40
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
# Every group a deciding rule cites is shown with its name (GroupName, and its
# Name tag when that differs), in JSON and escaped in Markdown and HTML.
"$SGREACH" report "$tmp/estate" --format md --quiet -o "$tmp/report.md"
"$SGREACH" report "$tmp/estate" --format html --quiet -o "$tmp/report.html"
python3 - "$tmp" <<'PY'
import glob, html, json, sys
tmp = sys.argv[1]
def docs(path):
    s, d, i = open(path).read(), json.JSONDecoder(), 0
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i >= len(s):
            return
        o, i = d.raw_decode(s, i)
        yield o
names = {}
for f in glob.glob(tmp + "/estate/*/*/ec2-describe-security-groups.json"):
    for doc in docs(f):
        for g in doc.get("SecurityGroups", []):
            names[g["GroupId"]] = g.get("GroupName")
r = json.load(open(tmp + "/signatures.json"))
rules = [x for e in r["exposure"] for x in e["rules"]] + [x for f in r["findings"] for x in f["rules"]]
cited = [x for x in rules if (x["component"] or "") in names]
bad = [x["component"] for x in cited if names[x["component"]] and
       not (x.get("component_name") or "").startswith(names[x["component"]])]
md, page = open(tmp + "/report.md").read(), open(tmp + "/report.html").read()
missing = [g for g in {x["component"] for x in cited} if names[g] and
           html.escape(names[g], quote=True).replace("&#x27;", "&#39;") not in page]
ok = cited and not bad and not missing
print(("ok: " if ok else "FAIL: ") + "%d citations of %d groups, each with its name (JSON, HTML)%s" %
      (len(cited), len({x["component"] for x in cited}), (" bad: %s %s" % (bad[:3], missing[:3])) if not ok else ""))
sys.exit(0 if ok else 1)
PY
