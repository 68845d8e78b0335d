#!/usr/bin/env bash
# `sgreach check` end to end on fixtures/ecommerce-awsvpc (seed 002's design): every format and
# exit code, SARIF fields that code scanning requires, JUnit, --baseline, waivers and expiry,
# --allow-unknown on a copy with a group left undescribed, and policy validation errors.
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
FIX="$SRC/fixtures/ecommerce-awsvpc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export SGREACH_TODAY=2026-06-15
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect CODE CMD...: runs CMD with stdout in out.txt, stderr in err.txt; checks the exit code.
expect() {
  local want=$1; shift
  "$@" >out.txt 2>err.txt
  local rc=$?
  [ "$rc" = "$want" ] || { cat out.txt err.txt >&2; fail "exit $rc, wanted $want: $*"; }
}

USER_RDS=10.0.21.45          # eni-0bf39c0f4ad938c7f, group ecom-user-rds
PAY_RDS=10.0.22.61           # eni-02755134a020c5167

cat >seed002.json <<EOF
{"description": "seed 002: zero cross-service database blast radius",
 "forbid": [
  {"name": "payment-never-reaches-user-rds", "from": "service:payment-service", "to": "$USER_RDS",
   "ports": "tcp:5432", "severity": "critical", "description": "payment-service never reaches user-RDS"},
  {"name": "user-never-reaches-payment-rds", "from": "service:user-service", "to": "$PAY_RDS",
   "ports": "tcp:0-65535"}],
 "require": [
  {"name": "payment-reaches-payment-rds", "from": "service:payment-service", "to": "$PAY_RDS", "ports": "tcp:5432"},
  {"name": "alb-reaches-user-service", "from": "lb:ecom-public-alb", "to": "service:user-service", "ports": "tcp:3000"}]}
EOF

# 1. The seed's guarantees hold: exit 0 in every format.
for fmt in text json sarif junit; do
  expect 0 "$SGREACH" check --policy seed002.json --format $fmt "$FIX"
  cp out.txt out-clean.$fmt
done
grep -q "^PASS  forbid payment-never-reaches-user-rds" out-clean.text || fail "text: no PASS line"
python3 - <<'EOF' || fail "clean outputs"
import json, xml.etree.ElementTree as ET
j = json.load(open("out-clean.json"))
assert j["result"] == "pass" and j["violations"] == [], j
assert [e["status"] for e in j["entries"]] == ["pass"] * 4
s = json.load(open("out-clean.sarif"))
assert s["version"] == "2.1.0" and s["runs"][0]["results"] == []
assert [r["id"] for r in s["runs"][0]["tool"]["driver"]["rules"]] == [
    "payment-never-reaches-user-rds", "user-never-reaches-payment-rds",
    "payment-reaches-payment-rds", "alb-reaches-user-service"]
t = ET.parse("out-clean.junit").getroot()
suite = t.find("testsuite")
assert suite.get("tests") == "4" and suite.get("failures") == "0"
assert len(suite.findall("testcase")) == 4 and not suite.findall(".//failure")
EOF

# The example shipped in docs/ holds on the estate it describes.
expect 0 "$SGREACH" check --policy "$SRC/docs/examples/ecommerce-policy.json" --quiet "$FIX"
grep -q "^PASS: 7 entries, 0 failing" out.txt || fail "docs example: $(cat out.txt)"

# 2. Violations: user-service reaches user-RDS (forbidden here), and one of its three tasks
#    (10.0.3.77, app subnet c) is blocked by the DB NACL (required here).
cat >broken.json <<EOF
{"forbid": [
  {"name": "user-never-reaches-user-rds", "from": "service:user-service", "to": "$USER_RDS",
   "ports": ["tcp:5432", "udp:53"], "severity": "medium"},
  {"name": "payment-never-reaches-user-rds", "from": "service:payment-service", "to": "$USER_RDS", "ports": "tcp:5432"}],
 "require": [
  {"name": "user-reaches-user-rds", "from": "service:user-service", "to": "$USER_RDS", "ports": "tcp:5432"}]}
EOF
for fmt in text json sarif junit; do
  expect 1 "$SGREACH" check --policy broken.json --format $fmt "$FIX"
  cp out.txt out-broken.$fmt
done
grep -q "^FAIL  forbid user-never-reaches-user-rds" out-broken.text || fail "text: no FAIL line"
grep -q "allowed by: sg-.*describe-security-group.*json:[0-9]" out-broken.text || fail "text: no rule with file:line"
python3 - "$FIX" <<'EOF' || fail "violation outputs"
import json, sys, xml.etree.ElementTree as ET
fix = sys.argv[1]
j = json.load(open("out-broken.json"))
assert j["result"] == "fail"
v = j["violations"]
assert [(x["entry"], x["kind"], x["protocol"], x["ports"], x["verdict"]) for x in v] == [
    ("user-never-reaches-user-rds", "forbid", "tcp", "5432", "reachable"),
    ("user-reaches-user-rds", "require", "tcp", "5432", "unreachable")], v
f, r = v
assert f["from"].startswith("service:") and f["from"].endswith("/user-service"), f["from"]
assert f["to"] == "eni-0bf39c0f4ad938c7f", f["to"]
assert f["severity"] == "medium" and f["level"] == "warning" and f["possible"] is False
assert len(f["pairs"]) == 2, f["pairs"]           # 10.0.3.77 is blocked by the NACL
assert f["allowed_by"] and all(a["file"] and a["line"] > 0 for a in f["allowed_by"] if a["file"]), f["allowed_by"]
assert any("sg-00b61a4c10421c5b0" == a["component"] for a in f["allowed_by"]), f["allowed_by"]
assert f["location"].startswith(fix) and ":" in f["location"], f["location"]
assert len(r["pairs"]) == 1 and r["pairs"][0]["verdict"] == "unreachable", r["pairs"]
assert r["blocked_by"], r
assert all(x["baseline"] == "new" and x["waived"] is False and x["fails"] for x in v)
assert [e["status"] for e in j["entries"]] == ["fail", "pass", "fail"]

s = json.load(open("out-broken.sarif"))
assert s["$schema"].endswith("sarif-2.1.0.json") and s["version"] == "2.1.0"
run = s["runs"][0]
d = run["tool"]["driver"]
assert d["name"] == "sgreach" and d["version"] and d["informationUri"]
rules = {x["id"]: x for x in d["rules"]}
assert set(rules) == {"user-never-reaches-user-rds", "payment-never-reaches-user-rds", "user-reaches-user-rds"}
assert rules["user-never-reaches-user-rds"]["defaultConfiguration"]["level"] == "warning"
assert all(x["shortDescription"]["text"] for x in d["rules"])
assert len(run["results"]) == 2
for res in run["results"]:
    assert res["ruleId"] in rules and res["message"]["text"]
    loc = res["locations"][0]["physicalLocation"]
    uri = loc["artifactLocation"]["uri"]
    assert loc["region"]["startLine"] >= 1
    assert not uri.startswith("/"), uri
    assert res["partialFingerprints"]["sgreachViolation/v1"]
res = run["results"][0]
uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
assert uri.startswith("file://") and uri.endswith(".json"), uri   # fixtures lie outside the cwd
path = uri[len("file://"):]
line = open(path).read().split("\n")[res["locations"][0]["physicalLocation"]["region"]["startLine"] - 1]
assert line.strip(), "the deciding rule's line is empty"

t = ET.parse("out-broken.junit").getroot()
suite = t.find("testsuite")
assert suite.get("tests") == "3" and suite.get("failures") == "2", suite.attrib
cases = {c.get("name"): c for c in suite.findall("testcase")}
assert cases["user-never-reaches-user-rds"].find("failure") is not None
assert cases["payment-never-reaches-user-rds"].find("failure") is None
assert "10.0.3.77" in ET.tostring(cases["user-reaches-user-rds"]).decode() or \
       cases["user-reaches-user-rds"].find("failure") is not None
EOF

# 3. SARIF locations relative to the working directory when the dump lies below it.
cp -r "$FIX" snap
expect 1 "$SGREACH" check --policy broken.json --format sarif snap
python3 -c '
import json
s = json.load(open("out.txt"))
uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in s["runs"][0]["results"]]
assert uris and all(u.startswith("snap/") for u in uris), uris
' || fail "relative SARIF uri"

# 4. Baseline: the violations of a JSON result are known and do not fail; new ones do.
cp out-broken.json baseline.json
expect 0 "$SGREACH" check --policy broken.json --baseline baseline.json "$FIX"
grep -q "known: in the baseline" out.txt || fail "baseline: not marked known"
expect 0 "$SGREACH" check --policy broken.json --baseline baseline.json --format sarif "$FIX"
python3 -c '
import json
r = json.load(open("out.txt"))["runs"][0]["results"]
assert [x["baselineState"] for x in r] == ["unchanged", "unchanged"], r
' || fail "baseline SARIF"
python3 - "$USER_RDS" <<'EOF'
import json, sys
p = json.load(open("broken.json"))
p["forbid"].append({"name": "alb-never-reaches-payment", "from": "lb:ecom-public-alb",
                    "to": "service:payment-service", "ports": "tcp:3000"})
json.dump(p, open("broken2.json", "w"))
EOF
expect 1 "$SGREACH" check --policy broken2.json --baseline baseline.json --format json "$FIX"
python3 -c '
import json
j = json.load(open("out.txt"))
st = {(v["entry"], v["baseline"], v["fails"]) for v in j["violations"]}
assert st == {("user-never-reaches-user-rds", "known", False), ("user-reaches-user-rds", "known", False),
              ("alb-never-reaches-payment", "new", True)}, st
assert j["summary"]["failing"] == 1 and j["summary"]["known"] == 2, j["summary"]
' || fail "baseline: new violation"
echo '{"violations": 3}' >bad-baseline.json
expect 2 "$SGREACH" check --policy broken.json --baseline bad-baseline.json "$FIX"
grep -q "bad-baseline.json: \$.violations: missing, or not an array" err.txt || fail "bad baseline message"

# 5. Waivers and expiry.
python3 - <<'EOF'
import json
p = json.load(open("broken.json"))
p["waivers"] = [
  {"name": "user-never-reaches-user-rds", "from": "service:user-service", "reason": "migration window", "expires": "2026-06-15"},
  {"name": "user-reaches-user-rds", "to": "10.0.21.45", "ports": "tcp:5432", "reason": "subnet c NACL fix scheduled"}]
json.dump(p, open("waived.json", "w"), indent=1)
EOF
expect 0 "$SGREACH" check --policy waived.json --format json "$FIX"
python3 -c '
import json
j = json.load(open("out.txt"))
assert [(v["waived"], v["waiver_reason"]) for v in j["violations"]] == [
    (True, "migration window"), (True, "subnet c NACL fix scheduled")], j["violations"]
' || fail "waived"
expect 0 "$SGREACH" check --policy waived.json --format sarif "$FIX"
python3 -c '
import json
r = json.load(open("out.txt"))["runs"][0]["results"]
assert r[0]["suppressions"] == [{"kind": "external", "justification": "migration window"}], r[0]
' || fail "waived SARIF"
SGREACH_TODAY=2026-06-16 expect 1 "$SGREACH" check --policy waived.json "$FIX"
grep -q "waiver expired on 2026-06-15" out.txt || fail "expired waiver not reported"
grep -q "warning: waived.json: a waiver of \"user-never-reaches-user-rds\" expired on 2026-06-15" err.txt ||
  fail "expired waiver warning: $(cat err.txt)"

# 6. --allow-unknown: with group ecom-user-rds undescribed, user-service -> user-RDS is unknown.
cp -r "$FIX" unknown
rm -f unknown/describe-security-group-rules.json
python3 - <<'EOF'
import json
p = "unknown/describe-security-groups.json"
d = json.load(open(p))
d["SecurityGroups"] = [g for g in d["SecurityGroups"] if g["GroupName"] != "ecom-user-rds"]
json.dump(d, open(p, "w"), indent=4)
EOF
cat >unknown.json <<EOF
{"forbid": [{"name": "user-never-reaches-user-rds", "from": "service:user-service", "to": "$USER_RDS", "ports": "tcp:5432"}]}
EOF
expect 1 "$SGREACH" check --policy unknown.json --format json --quiet unknown
python3 -c '
import json
v = json.load(open("out.txt"))["violations"]
assert v and all(x["verdict"] == "unknown" and x["possible"] for x in v), v
' || fail "unknown is a possible violation"
grep -q '"possible": true' out.txt || fail "possible flag"
expect 0 "$SGREACH" check --policy unknown.json --allow-unknown --quiet unknown
cat >unknown-req.json <<EOF
{"require": [{"name": "user-reaches-user-rds", "from": "10.0.1.54", "to": "$USER_RDS", "ports": "tcp:5432"}]}
EOF
expect 1 "$SGREACH" check --policy unknown-req.json --allow-unknown --format json --quiet unknown
python3 -c '
import json
v = json.load(open("out.txt"))["violations"]
assert [x["verdict"] for x in v] == ["unknown"], v
' || fail "unknown always fails a require entry"

# 7. Bad input: exit 2 with located messages.
printf '{"forbid": [\n  {"name": "x", "from": "internet", "to": "%s",\n   "ports": "tcp:99999"}]}\n' $USER_RDS >bad1.json
expect 2 "$SGREACH" check --policy bad1.json "$FIX"
grep -qx 'sgreach: bad1.json: $.forbid\[0\].ports (line 3): bad port spec "tcp:99999": port 99999 out of range 0-65535' err.txt ||
  fail "bad port message: $(cat err.txt)"
printf '{"forbid": [{"name": "x", "from": "name~([", "to": "internet", "ports": "all"}]}\n' >bad2.json
expect 2 "$SGREACH" check --policy bad2.json "$FIX"
grep -q '^sgreach: bad2.json: $.forbid\[0\].from (line 1): bad selector "name~(\["' err.txt || fail "bad selector: $(cat err.txt)"
printf '{"forbid": [{"name": "x", "from": "service:paymnt-service", "to": "internet", "ports": "all"}]}\n' >bad3.json
expect 2 "$SGREACH" check --policy bad3.json "$FIX"
grep -q '^sgreach: bad3.json: $.forbid\[0\].from (line 1): selector "service:paymnt-service" matches nothing' err.txt ||
  fail "selector matching nothing: $(cat err.txt)"
printf '{"forbid": [], "allow": []}\n' >bad4.json
expect 2 "$SGREACH" check --policy bad4.json "$FIX"
grep -qx 'sgreach: bad4.json: $.allow (line 1): unknown key "allow" (expected forbid, require, waivers, description)' err.txt ||
  fail "unknown key: $(cat err.txt)"
expect 2 "$SGREACH" check --policy missing.json "$FIX"
expect 2 "$SGREACH" check "$FIX"
expect 2 "$SGREACH" check --policy seed002.json
expect 2 "$SGREACH" check --policy seed002.json --format html "$FIX"

# 8. Paths through load balancers count, as for `can` (internet -> ALB -> user-service tasks
#    on 3000; seed 002's fixture); bridge tasks are named by their container port (bridge-nlb:
#    reports-worker's 9090 is published on dynamic host ports the hosts' group opens to all).
cat >relay.json <<EOF
{"forbid": [
  {"name": "internet-to-user-service", "from": "internet", "to": "service:user-service", "ports": "tcp:3000"},
  {"name": "office-to-alb-http", "from": "198.51.100.25", "to": "lb:ecom-public-alb", "ports": "tcp:80"},
  {"name": "google-to-alb-http", "from": "8.8.8.8", "to": "lb:ecom-public-alb", "ports": "tcp:80"}]}
EOF
expect 1 "$SGREACH" check --policy relay.json --format json --quiet "$FIX"
python3 -c '
import json
v = json.load(open("out.txt"))["violations"]
assert [(x["entry"], x["from"], x["ports"], len(x["pairs"])) for x in v] == [
    ("internet-to-user-service", "internet", "3000", 3), ("office-to-alb-http", "198.51.100.25/32", "80", 1)], v
assert any(h["kind"] == "lb" for h in v[0]["path"]), v[0]["path"]
' || fail "paths through the ALB"
cat >bridge.json <<EOF
{"forbid": [
  {"name": "reports-worker-private", "from": "internet", "to": "service:reports-worker", "ports": "tcp:9090"},
  {"name": "orders-api-9090", "from": "internet", "to": "service:orders-api", "ports": "tcp:9090"}],
 "require": [
  {"name": "orders-api-public", "from": "internet", "to": "service:orders-api", "ports": "tcp:8080"}]}
EOF
expect 1 "$SGREACH" check --policy bridge.json --format json --quiet "$SRC/fixtures/bridge-nlb"
python3 -c '
import json
j = json.load(open("out.txt"))
v = j["violations"]
assert [(x["entry"], x["protocol"], x["ports"], x["verdict"]) for x in v] == [
    ("reports-worker-private", "tcp", "9090", "reachable")], v
assert [e["status"] for e in j["entries"]] == ["fail", "pass", "pass"], j["entries"]
' || fail "bridge tasks by container port"

# 8b. One violation per protocol, each with its own verdict: the definite
# ports of a pair are not overwritten by its possible ones (a union into a copy
# of a port set once wrote into the original's array, and proto 132 read as
# unknown although the scenario reaches it; its EXPECTED.tsv says reachable).
cat >protos.json <<EOF
{"forbid": [{"name": "all-protocols", "from": "10.10.1.80", "to": "10.10.1.20", "ports": "all"}]}
EOF
expect 1 "$SGREACH" check --policy protos.json --format json --quiet "$SRC/tests/scenarios/sg-protocols"
python3 -c '
import json
j = json.load(open("out.txt"))
got = {(x["protocol"], x["verdict"]) for x in j["violations"]}
for want in [("132", "reachable"), ("50", "reachable"), ("tcp", "reachable"), ("udp", "reachable"), ("icmp", "reachable")]:
    assert want in got, (want, sorted(got))
' || fail "verdicts per protocol"

# 9. Deterministic: the same run twice gives the same bytes.
"$SGREACH" check --policy broken.json --format json "$FIX" >a.json 2>/dev/null
"$SGREACH" check --policy broken.json --format json "$FIX" >b.json 2>/dev/null
cmp -s a.json b.json || fail "output differs between runs"
echo "check e2e: ok"
