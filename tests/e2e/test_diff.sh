#!/usr/bin/env bash
# `sgreach diff OLD NEW` end to end: NEW is a copy of fixtures/ecommerce-awsvpc where one group
# (ecom-user-service) gains an ingress rule admitting payment-service on 443; the diff must name
# that path as opened, with the rule that opens it; reversed, as closed; no change → exit 0.
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
FIX="$SRC/fixtures/ecommerce-awsvpc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() {
  local want=$1; shift
  "$@" >out.txt 2>err.txt
  local rc=$?
  [ "$rc" = "$want" ] || { cat out.txt err.txt >&2; fail "exit $rc, wanted $want: $*"; }
}

# describe-security-group-rules repeats every rule: drop it on both sides so that the one
# edited file says everything about the group.
cp -r "$FIX" old
rm -f old/describe-security-group-rules.json
cp -r old new
python3 - <<'EOF'
import json
p = "new/describe-security-groups.json"
d = json.load(open(p))
for g in d["SecurityGroups"]:
    if g["GroupName"] == "ecom-user-service":
        g["IpPermissions"].append({
            "FromPort": 443, "ToPort": 443, "IpProtocol": "tcp", "IpRanges": [], "Ipv6Ranges": [],
            "PrefixListIds": [],
            "UserIdGroupPairs": [{"Description": "payment callbacks", "GroupId": "sg-09808eecb56f3a81c",
                                  "UserId": "123456789012"}]})
json.dump(d, open(p, "w"), indent=4)
EOF

# 1. Nothing changed.
expect 0 "$SGREACH" diff old old
grep -q "no change" out.txt || fail "no 'no change' line"
expect 0 "$SGREACH" diff --format json old old
python3 -c '
import json
j = json.load(open("out.txt"))
assert j["changed"] is False and j["opened"] == [] and j["closed"] == [], j
' || fail "empty JSON diff"

# 2. The added rule opens payment-service -> user-service on tcp/443, and nothing else.
expect 1 "$SGREACH" diff old new
grep -q '^+ opened service:.*/payment-service -> service:.*/user-service  tcp:443' out.txt || fail "text: $(cat out.txt)"
grep -q 'allowed by: .*new/describe-security-groups.json:[0-9]' out.txt || fail "text: no rule with file:line"
expect 1 "$SGREACH" diff --format json old new
python3 - <<'EOF' || fail "JSON diff"
import json
j = json.load(open("out.txt"))
assert j["changed"] is True and j["closed"] == [], j["closed"]
o = j["opened"]
assert len(o) == 1, o
c = o[0]
assert c["from"].endswith("/payment-service") and c["to"].endswith("/user-service"), c
assert (c["protocol"], c["ports"], c["possible"]) == ("tcp", "443", False), c
assert c["from_name"] is None and c["to_name"] is None   # 2 and 3 tasks behind the identities
rules = c["allowed_by"]
assert any(r["component"] == "sg-027c93587db540456" and r["file"].endswith("new/describe-security-groups.json")
           and r["line"] > 0 for r in rules), rules
assert j["summary"] == {"opened": 1, "closed": 0}, j["summary"]
assert j["old"] == ["old"] and j["new"] == ["new"]
EOF

# 3. Reversed: the same path closes.
expect 1 "$SGREACH" diff --format json new old
python3 -c '
import json
j = json.load(open("out.txt"))
assert j["opened"] == [] and len(j["closed"]) == 1, j
c = j["closed"][0]
assert c["to"].endswith("/user-service") and (c["protocol"], c["ports"]) == ("tcp", "443"), c
' || fail "closed path"

# 4. Identity, not position: the same estate with its files' objects in another order.
cp -r old shuffled
python3 - <<'EOF'
import json, os
for f in os.listdir("shuffled"):
    p = os.path.join("shuffled", f)
    try:
        d = json.load(open(p))
    except ValueError:
        continue                      # several documents in one file: leave as is
    for k, v in d.items():
        if isinstance(v, list):
            v.reverse()
    json.dump(d, open(p, "w"), indent=2)
EOF
expect 0 "$SGREACH" diff old shuffled

# 5. Only the pairs a change can affect are compared, with the same result as comparing all
#    pairs (--debug-reference): an added rule, a removed interface, an ACL entry, a group
#    membership, a group referenced by another group changing members, a route (full diff).
same() {  # same NAME OLD NEW COMPARED: incremental and full diffs agree, and which one ran
  "$SGREACH" diff --format json "$2" "$3" >inc.json 2>/dev/null
  "$SGREACH" diff --debug-reference --format json "$2" "$3" >full.json 2>/dev/null
  python3 - "$1" "$4" "${5:-yes}" <<'PY' || fail "incremental diff differs from the full one: $1"
import json, sys
name, compared, must_change = sys.argv[1:]
i, f = json.load(open("inc.json")), json.load(open("full.json"))
assert i["compared"] == compared, (name, i["compared"])
assert f["compared"] == "all pairs"
del i["compared"], f["compared"]
assert i == f, (name, i, f)
assert i["changed"] or must_change == "maybe", name
PY
}
same rule old new "affected pairs"
edit() {  # edit DIR PYTHON: a copy of old edited by the python snippet (d = the file's JSON)
  rm -rf "$1"; cp -r old "$1"
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
d_, f_, code = sys.argv[1:]
p = d_ + "/" + f_
d = json.load(open(p))
exec(code)
json.dump(d, open(p, "w"), indent=4)
PY
}
edit eni describe-network-interfaces.json \
  'd["NetworkInterfaces"] = [e for e in d["NetworkInterfaces"] if e["PrivateIpAddress"] != "10.0.1.200"]'
same eni old eni "affected pairs"
edit acl describe-network-acls.json '
for a in d["NetworkAcls"]:
    for e in a["Entries"]:
        if e.get("RuleNumber") in (100, 110) and not e["Egress"] and e.get("PortRange", {}).get("From") == 5432:
            e["CidrBlock"] = "10.0.3.0/24"'
same acl old acl "affected pairs"
edit member describe-network-interfaces.json '
for e in d["NetworkInterfaces"]:
    if e["PrivateIpAddress"] == "10.0.1.89":
        e["Groups"].append({"GroupId": "sg-027c93587db540456", "GroupName": "ecom-user-service"})'
same member old member "affected pairs"
edit route describe-route-tables.json '
for t in d["RouteTables"]:
    t["Routes"] = [r for r in t["Routes"] if not r.get("NatGatewayId")]'
same route old route "all pairs"
# Target registrations: a deregistered task (several documents in one file).
rm -rf target; cp -r old target
python3 - <<'PY'
import json
p = "target/describe-target-health.json"
txt, dec, i, docs = open(p).read(), json.JSONDecoder(), 0, []
while True:
    while i < len(txt) and txt[i].isspace():
        i += 1
    if i >= len(txt):
        break
    d, i = dec.raw_decode(txt, i)
    docs.append(d)
for d in docs:
    d["TargetHealthDescriptions"] = [t for t in d["TargetHealthDescriptions"] if t["Target"]["Id"] != "10.0.1.89"]
open(p, "w").write("\n".join(json.dumps(d, indent=4) for d in docs) + "\n")
PY
same target old target "affected pairs" maybe

# A group of a container instance's second interface (tests/scenarios/multi-eni-host): its
# bridge task bound to 0.0.0.0 is reached there, so the task's pairs are affected too.
cp -r "$SRC/tests/scenarios/multi-eni-host" meh-old
rm -f meh-old/EXPECTED.tsv
rm -rf meh-new; cp -r meh-old meh-new
python3 - <<'PY'
import json
p = "meh-new/describe-security-groups.json"
d = json.load(open(p))
for g in d["SecurityGroups"]:
    if g["GroupName"] == "host-secondary":
        g["IpPermissions"] = [r for r in g["IpPermissions"] if r["FromPort"] != 443]
json.dump(d, open(p, "w"), indent=4)
PY
same second-interface meh-old meh-new "affected pairs"
"$SGREACH" diff meh-old meh-new >out.txt 2>&1
grep -q '^- closed internet -> family:edge/web (a1c4e7b20d3f46a8b9c0d1e2f3a4b5c6)  tcp:443' out.txt ||
  { cat out.txt >&2; fail "the web task reached on the second interface is not closed"; }

# 6. Usage and input errors.
expect 2 "$SGREACH" diff old
expect 2 "$SGREACH" diff old new new
expect 2 "$SGREACH" diff old does-not-exist
expect 2 "$SGREACH" diff --format sarif old new
echo "diff e2e: ok"
