#!/usr/bin/env bash
# fixtures/terraform/ecommerce-awsvpc/plan.json is the design of fixtures/ecommerce-awsvpc as a
# Terraform plan creating it (tests/data/terraform/make_fixture_plans.py). Both must give the same
# summary counts for what a plan describes and the same verdicts (fixtures/README.md) for the
# questions whose answer does not rest on what a plan cannot say (addresses AWS assigns, IPv6,
# the prefix list, the endpoint, the blackhole route): see make_fixture_plans.py.
set -euo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
dumps="$SRC/fixtures/ecommerce-awsvpc"
plan="$SRC/fixtures/terraform/ecommerce-awsvpc/plan.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0

"$SGREACH" summary --quiet --format json "$dumps" >"$work/d.json"
"$SGREACH" summary --quiet --format json "$plan" >"$work/p.json"
python3 - "$work/d.json" "$work/p.json" <<'PY' || fails=$((fails + 1))
import json, sys
d, p = (json.load(open(f))['counts'] for f in sys.argv[1:])
same = ['vpcs', 'subnets', 'route_tables', 'internet_gateways', 'nat_gateways', 'network_acls', 'security_groups',
        'task_definitions', 'tasks', 'services', 'load_balancers', 'target_groups', 'listeners']
bad = [(k, d[k], p[k]) for k in same if d[k] != p[k]]
assert not bad, 'counts differ (dumps, plan): %r' % bad
PY

# question: FROM(dumps) TO(dumps) FROM(plan) TO(plan) PORT, and the verdict (exit code) both must give
verdict() { # SNAPSHOT FROM TO PORT → prints the exit code
  local rc=0
  "$SGREACH" can --quiet "$1" --from "$2" --to "$3" --port "$4" >"$work/out" 2>&1 || rc=$?
  echo "$rc"
}
same() { # DFROM DTO PFROM PTO PORT WANT
  local d p
  d=$(verdict "$dumps" "$1" "$2" "$5")
  p=$(verdict "$plan" "$3" "$4" "$5")
  if [ "$d" != "$6" ] || [ "$p" != "$6" ]; then
    echo "FAIL: $1 -> $2 / $3 -> $4 tcp/$5: want $6, dumps gave $d, plan gave $p"
    fails=$((fails + 1))
  fi
}
user_rds=10.0.21.45; payment_rds=10.0.22.61
same internet lb:ecom-public-alb internet lb:ecom-public-alb 443 0                                   # 1
same internet service:user-service internet service:user-service 3000 0                             # 5
same internet service:payment-service internet service:payment-service 3000 0                       # 6
same service:user-service $user_rds service:user-service tf:aws_db_instance.user 5432 0             # 7
same service:payment-service $user_rds service:payment-service tf:aws_db_instance.user 5432 1       # 8
same service:payment-service $payment_rds service:payment-service tf:aws_db_instance.payment 5432 0 # 9
same service:user-service $payment_rds service:user-service tf:aws_db_instance.payment 5432 1       # 10
same service:payment-service internet service:payment-service internet 443 0                        # 11
same service:user-service internet service:user-service internet 443 1                              # 12
same service:payment-service service:user-service service:payment-service service:user-service 3000 0 # 15 (through the ALB)
same lb:ecom-public-alb service:payment-service lb:ecom-public-alb service:payment-service 3000 0    # 16

# 7, per pair: the task in app subnet c is blocked by the DB ACL in both
for snap in dumps plan; do
  if [ $snap = dumps ]; then s=$dumps; to=$user_rds; else s=$plan; to=tf:aws_db_instance.user; fi
  "$SGREACH" can --quiet --format json "$s" --from service:user-service --to "$to" --port 5432 >"$work/$snap.json" || true
done
python3 - "$work/dumps.json" "$work/plan.json" <<'PY' || fails=$((fails + 1))
import json, sys
for f in sys.argv[1:]:
    v = sorted(p['verdict'] for p in json.load(open(f))['pairs'])
    assert v == ['reachable', 'reachable', 'unreachable'], (f, v)
PY
[ "$fails" = 0 ] || { echo "$fails differences"; exit 1; }
echo ok
