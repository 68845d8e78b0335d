#!/usr/bin/env bash
# Issue 15 §1.7 and §1.8 on the ecommerce fixture.
#  - Who starts connections: the interfaces of the interface endpoint vpce-0b7beac8de61ab596
#    (eni-0ed2e3b69c0d555cd, eni-01f0baf95c9291f85; their group sends everything) never start
#    one: `blast --to` the ALB (443 from anywhere) does not list them, and a `forbid` from one
#    of them to the ALB holds in `check`. The tasks and the internet stay listed.
#  - Every target: `can --to lb:ecom-public-alb --port 443` shows the path through the ALB to
#    each of the five tasks its target groups register, each on port 3000.
set -u
base=$SRC/fixtures/ecommerce-awsvpc
tmp=$(mktemp -d "$BUILD/lbinit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

"$SGREACH" blast -q --to lb:ecom-public-alb --format json "$base" >"$tmp/blast.json" || { echo "FAIL blast exited $?"; fail=1; }
python3 - "$tmp/blast.json" <<'PY' || fail=1
import json, sys
ids = [r["id"] for r in json.load(open(sys.argv[1]))["reached_by"]]
for vpce in ("eni-0ed2e3b69c0d555cd", "eni-01f0baf95c9291f85"):
    assert vpce not in ids, "FAIL blast --to: endpoint interface %s listed as a source: %s" % (vpce, ids)
assert "internet" in ids and sum(1 for i in ids if ":task/" in i) == 2, "FAIL blast --to: sources lost: %s" % ids
PY

cat >"$tmp/policy.json" <<'JSON'
{"forbid": [{"name": "endpoint-interface-to-alb", "from": "eni-0ed2e3b69c0d555cd", "to": "lb:ecom-public-alb",
             "ports": "tcp:443", "severity": "high"}],
 "require": [{"name": "internet-to-alb", "from": "internet", "to": "lb:ecom-public-alb", "ports": "tcp:443"}]}
JSON
"$SGREACH" check -q --policy "$tmp/policy.json" "$base" >"$tmp/check.out" 2>&1
rc=$?
[ "$rc" = 0 ] || { echo "FAIL check: exit $rc, want 0"; sed 's/^/  | /' "$tmp/check.out" | head -20; fail=1; }

"$SGREACH" can -q --from internet --to lb:ecom-public-alb --port 443 --format json "$base" >"$tmp/can.json"
rc=$?
[ "$rc" = 0 ] || { echo "FAIL can --to lb: exit $rc, want 0"; fail=1; }
python3 - "$tmp/can.json" <<'PY' || fail=1
import json, sys
pair = json.load(open(sys.argv[1]))["pairs"][0]
t = pair.get("targets", [])
names = sorted(x["to_name"].split("/")[0] for x in t)
assert names == ["payment-service"] * 2 + ["user-service"] * 3, "FAIL can --to lb: targets %s" % names
for x in t:
    assert x["verdict"] == "reachable" and x["port"] == 3000, "FAIL can --to lb: %s" % x
    kinds = [h["kind"] for h in x["path"]]
    assert "lb" in kinds and kinds[-1] == "task", "FAIL can --to lb: path %s" % kinds
PY
"$SGREACH" can -q --from internet --to lb:ecom-public-alb --port 443 "$base" >"$tmp/can.txt"
[ "$(grep -c '^    -> .* port 3000: reachable$' "$tmp/can.txt")" = 5 ] || { echo "FAIL can --to lb (text): not five targets"; cat "$tmp/can.txt"; fail=1; }

[ "$fail" = 0 ] && echo "lb targets and initiators: ok"
exit "$fail"
