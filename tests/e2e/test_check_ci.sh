#!/usr/bin/env bash
# `sgreach check` as CI consumes it (issue 17): SARIF validated against the OASIS SARIF 2.1.0
# schema (tests/data/sarif) for dumps, --tf-dir and findings; security-severity, tags, help and
# helpUri on every rule; URIs relative to the repository root from any working directory
# (--source-root, else the enclosing git work tree) with uriBaseId %SRCROOT%; an exposure's
# primary location on the rule admitting the internet; built-in findings gating with
# --findings/--fail-on, waived and baselined; GitLab Code Quality output.
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
SCHEMA="$SRC/tests/data/sarif/sarif-schema-2.1.0.json"
ECOM="$SRC/fixtures/ecommerce-awsvpc"
NLB="$SRC/fixtures/bridge-nlb"
TF="$SRC/tests/data/terraform"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export SGREACH_TODAY=2026-06-15
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect CODE CMD...: runs CMD with stdout in $work/out.txt, stderr in $work/err.txt (whatever the
# working directory: nothing is written into the checkout); checks the exit code.
expect() {
  local want=$1; shift
  "$@" >"$work/out.txt" 2>"$work/err.txt"
  local rc=$?
  [ "$rc" = "$want" ] || { cat "$work/out.txt" "$work/err.txt" >&2; fail "exit $rc, wanted $want: $*"; }
}
python3 -c 'import jsonschema' 2>/dev/null || fail "python3-jsonschema is missing (scripts/setup-deps installs it)"

# sarif_ok FILE ROOT-URI: valid against the schema; what code scanning uses is on every rule and result.
sarif_ok() {
  python3 - "$SCHEMA" "$1" "$2" <<'PY' || fail "SARIF checks on $1"
import json, sys, jsonschema
schema, doc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
jsonschema.Draft4Validator(schema).validate(doc)
run = doc["runs"][0]
assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": sys.argv[3]}}, run["originalUriBaseIds"]
for rule in run["tool"]["driver"]["rules"]:
    p = rule["properties"]
    sev = float(p["security-severity"])
    assert 0.0 < sev <= 10.0, rule["id"]
    assert "security" in p["tags"], rule["id"]
    assert rule["help"]["text"] and rule["help"]["markdown"] and rule["fullDescription"]["text"], rule["id"]
    assert rule["helpUri"].startswith("https://") and "/docs/" in rule["helpUri"] and "#" in rule["helpUri"], rule["helpUri"]
rules = run["tool"]["driver"]["rules"]
for res in run["results"]:
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"], res["ruleId"]
    for loc in res["locations"] + res.get("relatedLocations", []):
        art = loc["physicalLocation"]["artifactLocation"]
        assert not art["uri"].startswith(("/", "file:")) and ".." not in art["uri"], art
        assert art["uriBaseId"] == "%SRCROOT%", art
PY
}
uri_of() { # FILE RESULT-INDEX: the primary location "uri:line"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"][int(sys.argv[2])]; p=r["locations"][0]["physicalLocation"]; print("%s:%d" % (p["artifactLocation"]["uri"], p["region"]["startLine"]))' "$1" "$2"
}

# 1. An exposure through the ALB: the alert sits on the ALB group's 0.0.0.0/0 rule (the rule that
#    opens the path), the task's rule admitting the ALB is a related location.
cat >exposure.json <<'EOF2'
{"forbid": [{"name": "user-service-not-public", "from": "internet", "to": "service:user-service",
             "ports": "tcp:0-65535", "severity": "high"}]}
EOF2
expect 1 "$SGREACH" check --quiet --policy exposure.json --format sarif --source-root "$SRC" "$ECOM"
cp out.txt exposure.sarif
sarif_ok exposure.sarif "file://$(cd "$SRC" && pwd -P)/"
want="fixtures/ecommerce-awsvpc/describe-security-group-rules.json:$(grep -n '"SecurityGroupRuleId": "sgr-09b205be7001de71a"' "$ECOM/describe-security-group-rules.json" | cut -d: -f1)"
want_line=$(( ${want##*:} - 1 ))   # the rule object's "{" line
[ "$(uri_of exposure.sarif 0)" = "fixtures/ecommerce-awsvpc/describe-security-group-rules.json:$want_line" ] ||
  fail "exposure primary location: $(uri_of exposure.sarif 0), want the ALB's tcp/443 from 0.0.0.0/0 rule at line $want_line"
python3 - exposure.sarif <<'PY' || fail "exposure related locations"
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"][0]
msgs = [l["message"]["text"] for l in res["relatedLocations"]]
assert any("ingress tcp/3000 from sg-" in m for m in msgs), msgs        # the task's rule admitting the ALB
keys = [(l["physicalLocation"]["artifactLocation"]["uri"], l["physicalLocation"]["region"]["startLine"]) for l in res["relatedLocations"]]
assert len(keys) == len(set(keys)), keys                                  # each rule once
PY

# 2. The same URIs from any working directory: a subdirectory with relative paths, with --source-root.
mkdir -p elsewhere && cd "$SRC/fixtures"
expect 1 "$SGREACH" check --quiet --policy "$work/exposure.json" --format sarif --source-root .. ecommerce-awsvpc
cd "$work"
cp out.txt sub.sarif
sarif_ok sub.sarif "file://$(cd "$SRC" && pwd -P)/"
[ "$(uri_of sub.sarif 0)" = "$(uri_of exposure.sarif 0)" ] || fail "URI from fixtures/: $(uri_of sub.sarif 0)"
# the whole document, messages included ("allowed by … at FILE:LINE"), is the same from fixtures/
cmp -s sub.sarif exposure.sarif || { diff sub.sarif exposure.sarif | head -5; fail "SARIF from fixtures/ differs from the one from elsewhere"; }

# 3. Without --source-root: the enclosing git work tree is the root (a copy with a .git directory,
#    run from a subdirectory of it, the snapshot given as ../).
mkdir -p repo/.git repo/infra && cp -r "$ECOM" repo/snapshot
(cd repo/infra && "$SGREACH" check --quiet --policy "$work/exposure.json" --format sarif ../snapshot >"$work/git.sarif")
[ $? = 1 ] || fail "check from repo/infra: want exit 1"
sarif_ok git.sarif "file://$(cd repo && pwd -P)/"
case "$(uri_of git.sarif 0)" in snapshot/describe-security-group-rules.json:*) ;; *) fail "git-root URI: $(uri_of git.sarif 0)" ;; esac

# 4. --tf-dir, run from inside the Terraform directory: the .tf file relative to the repository root.
cd "$TF/src/ecs"
expect 1 "$SGREACH" check --quiet --policy ../../ecs-policy.json --tf-dir . --source-root "$SRC" --format sarif ../../ecs-plan.json
cd "$work"
cp out.txt tf.sarif
sarif_ok tf.sarif "file://$(cd "$SRC" && pwd -P)/"
case "$(uri_of tf.sarif 0)" in tests/data/terraform/src/ecs/security.tf:*) ;; *) fail "tf URI: $(uri_of tf.sarif 0)" ;; esac

# 5. Findings gate: --fail-on high fails on the bridge/NLB fixture; info alone reports, exits 0.
expect 1 "$SGREACH" check --quiet --findings --fail-on high "$NLB"
grep -q '^FAIL  critical nlb-bridge-host-exposure:' out.txt || fail "findings text: no failing critical finding"
grep -q '^FAIL: 4 findings (4 failing at --fail-on high' out.txt || fail "findings summary: $(tail -1 out.txt)"
expect 0 "$SGREACH" check --quiet --findings "$NLB"                # reported, never failing
expect 0 "$SGREACH" check --quiet --findings --fail-on critical "$ECOM"
expect 2 "$SGREACH" check --findings --fail-on severe "$NLB"
grep -q 'fail-on must be one of critical|high|medium|low|info' err.txt || fail "--fail-on validation"
expect 2 "$SGREACH" check --policy exposure.json --fail-on high "$NLB"
grep -q 'add --findings' err.txt || fail "--fail-on without --findings"
for fmt in json sarif junit codequality; do
  expect 1 "$SGREACH" check --quiet --findings --fail-on high --source-root "$SRC" --format $fmt "$NLB"
  cp out.txt findings.$fmt
done
sarif_ok findings.sarif "file://$(cd "$SRC" && pwd -P)/"
python3 - findings.json findings.sarif findings.codequality <<'PY' || fail "findings in json/sarif/codequality"
import json, sys
j, s, cq = (json.load(open(f)) for f in sys.argv[1:])
assert j["result"] == "fail" and j["fail_on"] == "high", j["result"]
checks = sorted({f["check"] for f in j["findings"]})
assert checks == ["bridge-dynamic-range", "nlb-bridge-host-exposure", "nlb-open-target"], checks
assert all(f["fails"] for f in j["findings"] if f["severity"] in ("critical", "high"))
res = s["runs"][0]["results"]
assert sorted({r["ruleId"] for r in res}) == ["finding/" + c for c in checks]
crit = [r for r in res if r["properties"]["severity"] == "critical"]
assert crit and all(r["level"] == "error" and r["properties"]["security-severity"] == "9.5" for r in crit)
assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "fixtures/bridge-nlb/describe-security-groups.json" for r in res)
assert len(cq) == len(j["findings"]) and len({i["fingerprint"] for i in cq}) == len(cq)
for i in cq:
    assert set(i) == {"description", "check_name", "fingerprint", "severity", "location"}, i
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert i["location"]["path"] == "fixtures/bridge-nlb/describe-security-groups.json" and i["location"]["lines"]["begin"] > 0
assert sorted({i["severity"] for i in cq}) == ["blocker", "critical"], cq
PY
grep -q '<testsuite name="sgreach findings" tests="[0-9]*" failures="3"' findings.junit || fail "findings JUnit suite"

# 6. Waivers and the baseline apply to findings.
cat >waive.json <<'EOF2'
{"waivers": [{"name": "nlb-bridge-host-exposure", "reason": "NLB gets a security group in Q3", "expires": "2026-09-30"},
             {"name": "nlb-open-target:orders-api", "reason": "same change"},
             {"name": "bridge-dynamic-range", "reason": "expired", "expires": "2026-01-01"}]}
EOF2
expect 1 "$SGREACH" check --findings --fail-on high --policy waive.json "$NLB"
grep -q 'waiver of the finding bridge-dynamic-range:sg-074e8fafa5bbc50ee:ingress#0 expired on 2026-01-01' err.txt ||
  fail "expired finding waiver warning: $(cat err.txt)"
grep -q '^FAIL  high     bridge-dynamic-range' out.txt || fail "the finding with an expired waiver fails"
grep -q 'nlb-open-target:orders-api: .*\[waived: same change\]' out.txt || fail "waived finding text"
sed -i 's/"expires": "2026-01-01"/"expires": "2027-01-01"/' waive.json
expect 0 "$SGREACH" check --quiet --findings --fail-on high --policy waive.json "$NLB"
expect 1 "$SGREACH" check --quiet --findings --fail-on high --format json -o baseline.json "$NLB"
expect 0 "$SGREACH" check --quiet --findings --fail-on high --baseline baseline.json --format sarif --source-root "$SRC" "$NLB"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; assert r and all(x["baselineState"]=="unchanged" for x in r)' out.txt ||
  fail "baselined findings are unchanged in SARIF"
cat >bad-waiver.json <<'EOF2'
{"waivers": [{"name": "open-admin-port", "to": "sg-1", "reason": "x"}]}
EOF2
expect 2 "$SGREACH" check --findings --policy bad-waiver.json "$NLB"
grep -q 'waivers\[0\].to (line 1): a waiver of the finding "open-admin-port" names it by check or id only' err.txt || fail "finding waiver with a selector: $(cat err.txt)"

# 7. A policy and findings together: violations and findings in one SARIF, rule indexes consistent.
expect 1 "$SGREACH" check --quiet --findings --policy exposure.json --format sarif --source-root "$SRC" "$ECOM"
cp out.txt both.sarif
sarif_ok both.sarif "file://$(cd "$SRC" && pwd -P)/"
echo "check CI outputs: ok"
