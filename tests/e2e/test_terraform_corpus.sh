#!/usr/bin/env bash
# Every real `terraform show -json` output of tests/corpus (plans and a state,
# format_version 0.1 to 1.2) loads with `sgreach summary` exit 0, and the AWS
# networking ones give the objects their resource_changes / values describe.
set -euo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORPUS=${CORPUS:-$SRC/tests/corpus}
SGREACH=${SGREACH:-$SRC/build/sgreach}
corpus="$CORPUS/terraform-plans"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

n=0
for f in "$corpus"/*.json; do
  "$SGREACH" summary --format json "$f" >"$work/out.json" 2>"$work/err" ||
    fail "$(basename "$f"): exit $? ($(head -c 300 "$work/err"))"
  cp "$work/out.json" "$work/$(basename "$f" .json).summary.json"
  n=$((n + 1))
done
[ "$n" -ge 20 ] || fail "only $n corpus files found in $corpus"

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
def counts(name):
    return json.load(open(os.path.join(work, name + '.summary.json')))['counts']
def check(cond, msg):
    if not cond:
        sys.exit('FAIL: ' + msg)
c = counts('checkov-vpc-ec2-rds-elb-plan')
# 2 VPCs, 4 subnets, 2 instances (+ their planned interfaces), an ENI, an ELB, a database.
check(c['vpcs'] == 2 and c['subnets'] == 4, 'checkov vpc/subnets: %r' % c)
check(c['instances'] == 2 and c['databases'] == 1 and c['load_balancers'] == 1, 'checkov compute: %r' % c)
check(c['network_interfaces'] == 4, 'checkov interfaces (ENI + 2 primaries + 1 ELB node): %r' % c)
c = counts('checkov-sg-for-each-modules-plan')
check(c['security_groups'] == 3 and c['security_group_rules'] == 3, 'for_each module groups: %r' % c)
c = counts('infracost-tf0.14-modules-state')
check(c['instances'] == 6 and c['databases'] == 1, 'state document: %r' % c)
c = counts('tfcompliance-vpc-peering-plan')
check(c['vpc_peering_connections'] == 2 and c['vpcs'] == 2, 'peering: %r' % c)
c = counts('tfcompliance-vpc-module-nat-routes-plan')
check(c['nat_gateways'] == 3 and c['subnets'] == 6, 'vpc module: %r' % c)
c = counts('tf-showjson-basic-create')
check(c['vpcs'] == 0 and c['security_groups'] == 0, 'non-AWS plan gives nothing: %r' % c)
PY
echo "ok: $n corpus files"
