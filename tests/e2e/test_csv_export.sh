#!/usr/bin/env bash
# exposure and blast --format csv: one RFC 4180 row per endpoint the JSON
# lists, the same endpoints, every field quoted; a formula-like name stays text.
set -euo pipefail
: "${SGREACH:?}" "${SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fx="$SRC/fixtures/ecommerce-awsvpc"
bn="$SRC/fixtures/bridge-nlb"
"$SGREACH" exposure "$fx" --quiet --format csv > "$tmp/exp.csv"
"$SGREACH" exposure "$fx" --quiet --format json > "$tmp/exp.json"
"$SGREACH" blast --from service:payment-service "$fx" --quiet --format csv > "$tmp/blast.csv"
"$SGREACH" blast --from service:payment-service "$fx" --quiet --format json > "$tmp/blast.json"
"$SGREACH" blast --to service:user-service "$fx" --quiet --format csv > "$tmp/to.csv"
"$SGREACH" blast --to service:user-service "$fx" --quiet --format json > "$tmp/to.json"
# bridge tasks: the port they serve, the host port in a column of its own
"$SGREACH" exposure "$bn" --quiet --format csv > "$tmp/bexp.csv"
"$SGREACH" exposure "$bn" --quiet --format json > "$tmp/bexp.json"
"$SGREACH" blast --from service:reports-worker "$bn" --quiet --format csv > "$tmp/bblast.csv"
"$SGREACH" blast --from service:reports-worker "$bn" --quiet --format json > "$tmp/bblast.json"
python3 - "$tmp" <<'PY'
import csv, io, json, sys
d = sys.argv[1]
def rows(name):
    raw = open(f"{d}/{name}", newline="").read()
    assert raw.endswith("\r\n"), name + ": rows end with CRLF"
    for line in raw.split("\r\n")[1:-1]:
        assert line.startswith('"') and line.endswith('"'), name + ": every field quoted: " + line[:60]
    return list(csv.DictReader(io.StringIO(raw, newline="")))
exp = rows("exp.csv")
want = sorted(e["id"] for s in json.load(open(f"{d}/exp.json"))["services"] for e in s["endpoints"])
assert sorted(r["target"] for r in exp) == want, "exposure: the CSV's targets are the JSON's"
assert want, "exposure: something is exposed in the fixture"
for r in exp:
    assert r["source"] == "internet" and r["ports"] and r["verdict"] in ("reachable", "unknown") and r["way"], r
    assert r["deciding_rules"], "exposure: every row says which rules open it: " + r["target"]
print("ok: exposure csv: %d rows, the JSON's endpoints, each with its rules" % len(exp))
bexp = rows("bexp.csv")
js = sorted((e["id"], e["ports"], e.get("host_ports", "")) for s in json.load(open(f"{d}/bexp.json"))["services"] for e in s["endpoints"])
assert sorted((r["target"], r["ports"], r["host_ports"]) for r in bexp) == js, "exposure: ports and host ports as the JSON's"
assert any(r["target_kind"] == "task" and r["ports"] == "tcp:8080" and r["host_ports"] == "tcp:32769" for r in bexp), bexp
print("ok: exposure csv: a bridge task on its container port, its host port beside")
for name, key, col in (("blast", "reachable", "target"), ("to", "reached_by", "source"), ("bblast", "reachable", "target")):
    got = rows(name + ".csv")
    js = json.load(open(f"{d}/{name}.json"))[key]
    assert sorted(r[col] for r in got) == sorted(i["id"] for i in js), name + ": the CSV's endpoints are the JSON's"
    assert js, name + ": the fixture has a blast radius"
    by = {i["id"]: i for i in js}
    for r in got:
        i = by[r[col]]
        assert r["ports"] == i["ports"] and r["host_ports"] == i.get("host_ports", "") and r["verdict"] == i["verdict"] and r["via"] == i["via"], r
        assert r["hops"] == str(i["hops"]) and r["path"] == " -> ".join(i["path"]), r
    if name == "bblast":
        assert any(r["ports"] == "tcp:8080" and r["host_ports"] == "tcp:32769" for r in got), got
    print("ok: blast %s csv: %d rows, ports, verdict, way and path as the JSON says" % (name, len(got)))
PY
# A usage error names the formats.
if "$SGREACH" exposure "$fx" --quiet --format xml > /dev/null 2> "$tmp/err"; then
  echo "FAIL: --format xml accepted"; exit 1
fi
grep -q "csv" "$tmp/err" && echo "ok: a bad --format lists csv"
