#!/usr/bin/env bash
# `sgreach summary --format json` gives the exact counts of tests/data/estate-small
# (merges: an ENI in two dumps, a group's rules in two dumps, pages in one file),
# its warnings with locations, and the same numbers in text; --quiet silences warnings.
set -euo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
est="$SRC/tests/data/estate-small"

"$SGREACH" summary --format json "$est" >"$work/out.json" 2>"$work/err" || fail "exit $? ($(cat "$work/err"))"
[ ! -s "$work/err" ] || fail "summary wrote to stderr: $(cat "$work/err")"
python3 - "$work/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = dict(vpcs=1, subnets=2, route_tables=2, internet_gateways=1, nat_gateways=1,
            vpc_peering_connections=0, network_acls=1, prefix_lists=1, security_groups=2,
            security_group_rules=8, network_interfaces=4, instances=1, vpc_endpoints=0,
            transit_gateway_attachments=0, databases=0, task_definitions=1, tasks=2,
            container_instances=0, services=1, load_balancers=1, target_groups=1, listeners=1,
            files=6)
for k, v in want.items():
    assert d.get(k) == v, f"{k}: got {d.get(k)}, want {v}"
    assert d["counts"].get(k) == v, f"counts.{k}: got {d['counts'].get(k)}, want {v}"
w = d["warnings"]
assert len(w) == 2, w
assert w[0]["message"] == "sg-0gone is referenced but no dump describes it", w[0]
assert w[0]["file"].endswith("us-east-1/security-groups.json") and w[0]["line"] == 9, w[0]
assert w[0]["path"] == "$.SecurityGroups[1].IpPermissions[0].UserIdGroupPairs[1]", w[0]
assert "eni-0missing" in w[1]["message"] and w[1]["path"] == "$.tasks[1]" and w[1]["line"] == 15, w[1]
PY

# Text: the same numbers, the warnings with their locations.
"$SGREACH" summary "$est" >"$work/out.txt" 2>&1 || fail "text exit $?"
grep -Eq '^network_interfaces +4$' "$work/out.txt" || fail "text count: $(cat "$work/out.txt")"
grep -Eq '^security_group_rules +8$' "$work/out.txt" || fail "text rules"
grep -Fq "security-groups.json: \$.SecurityGroups[1].IpPermissions[0].UserIdGroupPairs[1] (line 9): warning: sg-0gone" \
  "$work/out.txt" || fail "text warning location: $(cat "$work/out.txt")"
"$SGREACH" summary --quiet "$est" >"$work/q.txt" 2>&1 || fail "quiet exit $?"
! grep -q "warning:" "$work/q.txt" || fail "--quiet printed warnings"

# Giving the same files twice (and a file inside a given directory) changes nothing.
"$SGREACH" summary --format json "$est" "$est/us-east-1/compute.json" "$est" >"$work/twice.json" 2>/dev/null
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); \
  assert all(a[k]==b[k] for k in a['counts'] if k!='files'), (a,b)" "$work/out.json" "$work/twice.json" \
  || fail "loading twice doubled objects"

# Deterministic: byte-identical output.
"$SGREACH" summary --format json "$est" >"$work/again.json" 2>/dev/null
cmp -s "$work/out.json" "$work/again.json" || fail "output differs between runs"

# Usage errors.
set +e
"$SGREACH" summary --format xml "$est" >/dev/null 2>&1; [ $? -eq 2 ] || fail "--format xml should exit 2"
"$SGREACH" summary >/dev/null 2>&1; [ $? -eq 2 ] || fail "no snapshot should exit 2"
"$SGREACH" summary "$work/nonexistent" >/dev/null 2>"$work/err"; [ $? -eq 2 ] || fail "missing path should exit 2"
grep -q "nonexistent: cannot read" "$work/err" || fail "missing path message: $(cat "$work/err")"
echo "ok"
