#!/usr/bin/env bash
# A planned ECS design as `terraform show -json` prints it (tests/data/terraform/ecs-plan.json):
# an awsvpc service behind an internet-facing ALB, a bridge service on EC2 capacity behind a
# transparent NLB, a database, groups that refer to each other. Verdicts of `can`, including
# `unknown` where the answer depends on an address AWS has not assigned yet.
set -euo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
plan="$SRC/tests/data/terraform/ecs-plan.json"
fails=0
expect() { # FROM TO PORT EXIT
  local got=0
  "$SGREACH" can --quiet "$plan" --from "$1" --to "$2" --port "$3" >/tmp/sgr-tf-$$.out 2>&1 || got=$?
  if [ "$got" != "$4" ]; then
    echo "FAIL: $1 -> $2 tcp/$3: want exit $4, got $got"; sed 's/^/    /' /tmp/sgr-tf-$$.out | head -20
    fails=$((fails + 1))
  fi
}
trap 'rm -f /tmp/sgr-tf-$$.out' EXIT
# through the ALB (proxy): 443 from anywhere, then the ALB's group to the api group
expect internet service:api 8080 0
expect internet tf:aws_lb.alb 443 0
expect internet tf:aws_lb.alb 80 1
# the tasks are in private subnets without public addresses: no direct path
expect internet tf:aws_ecs_service.api 22 1
# bridge tasks behind the NLB: client IP preserved (instance targets), hosts open 32768-65535
expect internet service:worker 80 0
# group references between groups the plan creates
expect service:api tf:aws_db_instance.db 5432 0
expect service:worker tf:aws_db_instance.db 5432 1
# 10.0.1.0/25 is half of the subnet the tasks get addresses in: unknown, never unreachable
expect service:api tf:aws_db_instance.db 6432 3
# egress through the NAT gateway
expect service:api internet 443 0
expect service:api internet 80 1

# the pull-request gate on the plan: a forbidden path fails, SARIF points at the .tf line
data="$SRC/tests/data/terraform"
rc=0
"$SGREACH" check --quiet --format sarif --tf-dir "$data/src/ecs" --policy "$data/ecs-policy.json" "$plan" \
  >/tmp/sgr-tf-$$.sarif || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: check on the plan: want exit 1, got $rc"; fails=$((fails + 1)); }
python3 - /tmp/sgr-tf-$$.sarif <<'PY' || fails=$((fails + 1))
import json, sys
res = json.load(open(sys.argv[1]))['runs'][0]['results']
names = sorted(r['ruleId'] for r in res)
assert names == ['worker-not-public'], names
loc = res[0]['locations'][0]['physicalLocation']
assert loc['artifactLocation']['uri'].endswith('src/ecs/security.tf'), loc
assert loc['region']['startLine'] == 50, loc   # resource "aws_security_group" "hosts"
ll = res[0]['locations'][0]['logicalLocations'][0]
assert ll == {'fullyQualifiedName': 'aws_security_group.hosts ingress[0]', 'kind': 'resource'}, ll
PY
rm -f /tmp/sgr-tf-$$.sarif

# diff --plan over live dumps: the plan opens 443 and closes 22 from the internet
rc=0
"$SGREACH" diff --quiet --format json --plan "$data/overlay-plan.json" "$data/live" >/tmp/sgr-tf-$$.json || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: diff --plan: want exit 1, got $rc"; fails=$((fails + 1)); }
python3 - /tmp/sgr-tf-$$.json <<'PY' || fails=$((fails + 1))
import json, sys
d = json.load(open(sys.argv[1]))
def find(kind):
    return [c for c in d[kind] if c['from'] == 'internet' and c['to'] == 'eni-0e1e1e1e1e1e1e1e1']
opened, closed = find('opened'), find('closed')
assert [(c['protocol'], c['ports']) for c in opened] == [('tcp', '443')], d['opened']
assert [(c['protocol'], c['ports']) for c in closed] == [('tcp', '22')], d['closed']
assert d['summary'] == {'opened': 4, 'closed': 2}, d['summary']
PY
rm -f /tmp/sgr-tf-$$.json
# An update of a group whose inline ingress the plan cannot show (after_unknown.ingress, a
# dynamic block over values known at apply), laid over the ecommerce dump: user-RDS's group.
# Without the plan eni-01f0baf95c9291f85 (its group sends everything) is refused by that
# group; with it the group's ingress is unknown, never none (issue 15 §1.9).
dyn="$SRC/tests/data/terraform/sg-dynamic-update-plan.json"
eco="$SRC/fixtures/ecommerce-awsvpc"
rc=0
"$SGREACH" can --quiet --from eni-01f0baf95c9291f85 --to 10.0.21.45 --port 5432 "$eco" >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: dynamic ingress, without the plan: want exit 1, got $rc"; fails=$((fails + 1)); }
rc=0
"$SGREACH" can --from eni-01f0baf95c9291f85 --to 10.0.21.45 --port 5432 "$eco" "$dyn" >/tmp/sgr-tf-$$.out 2>&1 || rc=$?
[ "$rc" = 3 ] || { echo "FAIL: dynamic ingress: want exit 3, got $rc"; fails=$((fails + 1)); }
grep -q "the plan does not show its ingress rules (after_unknown.ingress on an update of aws_security_group.user_rds)" /tmp/sgr-tf-$$.out ||
  { echo "FAIL: dynamic ingress: the answer does not say why"; sed 's/^/    /' /tmp/sgr-tf-$$.out | head; fails=$((fails + 1)); }
grep -q "warning: aws_security_group.user_rds: its ingress rules are not known until apply" /tmp/sgr-tf-$$.out ||
  { echo "FAIL: dynamic ingress: no warning"; fails=$((fails + 1)); }

# container_definitions written with newlines (a heredoc, or jsonencode's output reformatted)
# is JSON whose newlines are whitespace: it reads as the compact form does. The loader's
# escaping of control characters (docs/security.md) must not reach it before its parse.
pretty=$(mktemp -d)
python3 - "$SRC/fixtures/terraform/ecommerce-awsvpc/plan.json" "$pretty/plan.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "container_definitions" and isinstance(x, str):
                v[k] = json.dumps(json.loads(x), indent=2)
            else:
                walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
walk(d)
json.dump(d, open(sys.argv[2], "w"), indent=2)
PY
"$SGREACH" exposure --format json "$SRC/fixtures/terraform/ecommerce-awsvpc/plan.json" 2>/dev/null | sed 's/"[^"]*plan.json:[0-9]*"/F/g' >"$pretty/compact.out"
"$SGREACH" exposure --format json "$pretty/plan.json" 2>"$pretty/err" | sed 's/"[^"]*plan.json:[0-9]*"/F/g' >"$pretty/pretty.out"
if grep -q "container_definitions" "$pretty/err" || ! cmp -s "$pretty/compact.out" "$pretty/pretty.out" || [ ! -s "$pretty/pretty.out" ]; then
  echo "FAIL: container_definitions with newlines does not read as the compact form"; head -3 "$pretty/err"; fails=$((fails + 1))
fi
rm -rf "$pretty"

[ "$fails" = 0 ] || { echo "$fails checks wrong"; exit 1; }
echo ok
