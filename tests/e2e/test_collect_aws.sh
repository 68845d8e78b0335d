#!/usr/bin/env bash
# scripts/collect-aws against a fake `aws` (tests/data/fake-aws/aws) first on PATH: files per
# operation and region, wrappers, batching (10 services, 100 tasks, 100 container instances per
# call), one describe-task-definition per distinct ARN, the manifest of every call, each way a
# call can fail (denied, throttled, failed; a whole call or one object's) and what sgreach then
# answers, retries, --all-regions, bounded parallel calls, an account without clusters.
set -euo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$SRC/tests/data/fake-aws:$PATH"
unset AWS_RETRY_MODE AWS_MAX_ATTEMPTS   # the script's defaults are checked below
export FAKE_AWS_DATA="$SRC/fixtures/ecommerce-awsvpc"
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. two regions, one profile
export FAKE_AWS_LOG="$work/calls.log" FAKE_AWS_ENV_LOG="$work/env.log"
"$SRC/scripts/collect-aws" --profile audit --region us-east-1 --region eu-west-1 --out "$work/snap" \
  2>"$work/stderr" || fail "collect-aws exited $? ($(cat "$work/stderr"))"

python3 - "$work/snap" "$FAKE_AWS_DATA" "$FAKE_AWS_LOG" <<'EOF'
import json, os, sys
snap, data, log = sys.argv[1:]

def docs(path):
    """Every JSON document in the file, in order (several may follow one another)."""
    s = open(path).read()
    dec, i, out = json.JSONDecoder(), 0, []
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i == len(s):
            return out
        d, i = dec.raw_decode(s, i)
        out.append(d)

def check(cond, msg):
    if not cond:
        sys.exit('FAIL: ' + msg)

ops = {  # file -> the top-level key sgreach recognises it by
    'describe-vpcs': 'Vpcs', 'describe-subnets': 'Subnets', 'describe-security-groups': 'SecurityGroups',
    'describe-security-group-rules': 'SecurityGroupRules', 'describe-network-interfaces': 'NetworkInterfaces',
    'describe-instances': 'Reservations', 'describe-network-acls': 'NetworkAcls',
    'describe-route-tables': 'RouteTables', 'describe-internet-gateways': 'InternetGateways',
    'describe-nat-gateways': 'NatGateways', 'describe-vpc-peering-connections': 'VpcPeeringConnections',
    'describe-vpc-endpoints': 'VpcEndpoints', 'describe-managed-prefix-lists': 'PrefixLists',
    'get-managed-prefix-list-entries': 'Entries', 'describe-tasks': 'tasks',
    'describe-task-definition': 'taskDefinition', 'describe-services': 'services',
    'describe-container-instances': 'containerInstances', 'describe-load-balancers': 'LoadBalancers',
    'describe-target-groups': 'TargetGroups', 'describe-target-health': 'TargetHealthDescriptions',
    'describe-target-group-attributes': 'Attributes', 'describe-listeners': 'Listeners',
    'elb-describe-load-balancers': 'LoadBalancerDescriptions',
    'describe-vpc-endpoint-service-configurations': 'ServiceConfigurations',
    'describe-vpc-endpoint-connections': 'VpcEndpointConnections', 'describe-transit-gateways': 'TransitGateways',
    'describe-transit-gateway-attachments': 'TransitGatewayAttachments',
    'describe-transit-gateway-vpc-attachments': 'TransitGatewayVpcAttachments',
    'describe-transit-gateway-route-tables': 'TransitGatewayRouteTables',
    'search-transit-gateway-routes': 'TransitGatewayStaticRoutes',
    'get-transit-gateway-route-table-propagations': 'TransitGatewayPropagations',
    'describe-db-instances': 'DBInstances', 'describe-cache-clusters': 'CacheClusters',
    'list-functions': 'Functions', 'collect-manifest': 'SgreachCollection'}
calls = [l.split() for l in open(log).read().splitlines()]
for region in ('us-east-1', 'eu-west-1'):
    d = os.path.join(snap, '123456789012', region)
    check(os.path.isdir(d), d + ' missing')
    files = sorted(f[:-5] for f in os.listdir(d))
    check(files == sorted(ops), f'{region}: files {files}')
    got = {op: docs(os.path.join(d, op + '.json')) for op in ops}
    for op, key in ops.items():
        check(got[op] and all(key in x for x in got[op]), f'{region}/{op}: no {key}')
    # plain ec2 outputs are kept byte for byte
    for op in ('describe-vpcs', 'describe-security-groups', 'describe-network-interfaces'):
        check(open(os.path.join(d, op + '.json')).read() == open(os.path.join(data, op + '.json')).read(),
              f'{op} altered')
    # wrappers: the id first, then the untouched output
    pls = [p['PrefixListId'] for p in got['describe-managed-prefix-lists'][0]['PrefixLists']]
    check([list(x)[0] for x in got['get-managed-prefix-list-entries']] == ['PrefixListId'] * len(pls), 'PL wrapper')
    check(sorted(x['PrefixListId'] for x in got['get-managed-prefix-list-entries']) == sorted(pls), 'PL ids')
    tgs = sorted(t['TargetGroupArn'] for t in got['describe-target-groups'][0]['TargetGroups'])
    for op in ('describe-target-health', 'describe-target-group-attributes'):
        check([list(x)[0] for x in got[op]] == ['TargetGroupArn'] * len(tgs), op + ' wrapper')
        check(sorted(x['TargetGroupArn'] for x in got[op]) == tgs, op + ' ARNs')
    lbs = [l['LoadBalancerArn'] for l in got['describe-load-balancers'][0]['LoadBalancers']]
    check(sorted(l['LoadBalancerArn'] for x in got['describe-listeners'] for l in x['Listeners']) == sorted(lbs),
          'one describe-listeners per load balancer')
    # batching
    sizes = lambda op, key: [len(x[key]) for x in got[op]]
    check(sizes('describe-services', 'services') == [10, 10, 3], f"services batches {sizes('describe-services', 'services')}")
    check(sizes('describe-tasks', 'tasks') == [100, 100, 50], 'task batches')
    check(sizes('describe-container-instances', 'containerInstances') == [100, 1], 'container instance batches')
    check(len({t['taskArn'] for x in got['describe-tasks'] for t in x['tasks']}) == 250, 'every task once')
    tds = [x['taskDefinition']['taskDefinitionArn'] for x in got['describe-task-definition']]
    check(len(tds) == len(set(tds)) == 4, f'task definitions {tds}')
    rc = [c for c in calls if '--region' in c and c[c.index('--region') + 1] == region]
    for c in rc:
        check(c[c.index('--profile') + 1] == 'audit', 'profile not passed: ' + ' '.join(c))
        check('--output' in c, 'no --output: ' + ' '.join(c))
        if c[1] in ('describe-tasks', 'describe-services', 'describe-container-instances', 'describe-task-definition'):
            check(c[c.index('--include') + 1] == 'TAGS', 'no --include TAGS: ' + ' '.join(c))
        if c[0] == 'ecs' and c[1].startswith('describe-') and '--cluster' in c:
            check(not c[c.index('--cluster') + 1].endswith('/empty'), 'describe call on the empty cluster')
    check(sum(c[1] == 'describe-task-definition' for c in rc) == 4, 'describe-task-definition once per ARN')
    # transit-gateway routes and propagations: one per route table, wrapped with its id
    for op, key in (('search-transit-gateway-routes', 'TransitGatewayStaticRoutes'),
                    ('get-transit-gateway-route-table-propagations', 'TransitGatewayPropagations')):
        ids = sorted(x[key][0]['TransitGatewayRouteTableId'] for x in got[op])
        check(ids == ['tgw-rtb-0a1', 'tgw-rtb-0b2'], f'{op}: {ids}')
    # the manifest: every call made for the region, in it, each ok
    m = got['collect-manifest'][0]['SgreachCollection']
    check(m['Account'] == '123456789012' and m['Region'] == region, 'manifest header')
    made = sorted(c[0] + ' ' + c[1] for c in rc if c[0] != 'sts')
    noted = sorted(x['Call'] for x in m['Calls'])
    check(made == noted, f'{region}: calls made and manifest differ: {set(made) ^ set(noted)}')
    check(all(x['Status'] == 'ok' and x['Region'] == region and 'Error' not in x for x in m['Calls']), 'statuses')
    check(sum(x['Call'] == 'elbv2 describe-listeners' and x.get('Target') in lbs for x in m['Calls']) == len(lbs),
          'per-object calls name their object')
top = docs(os.path.join(snap, '123456789012', 'collect-manifest.json'))[0]['SgreachCollection']
check([x['Call'] for x in top['Calls']] == ['sts get-caller-identity'], 'account manifest')
print('collect-aws: files, wrappers, batching and manifest ok')
EOF

# Retries: adaptive mode and 10 attempts unless the caller chose otherwise.
sort -u "$work/env.log" >"$work/env.u"
[ "$(cat "$work/env.u")" = "adaptive 10" ] || fail "retry settings seen by aws: $(cat "$work/env.u")"

# The snapshot loads, reads its manifest, and answers definitely through the load balancer.
"$SGREACH" summary "$work/snap" >"$work/summary.txt" 2>&1 || fail "summary exit $?"
grep -Eq '^coverage +2 regions, [0-9]+ calls, 0 not read$' "$work/summary.txt" ||
  fail "coverage line: $(grep coverage "$work/summary.txt")"
status=0
"$SGREACH" can -q --from internet --to 10.0.1.54 --port 3000 "$work/snap/123456789012/us-east-1" >"$work/can.txt" || status=$?
[ "$status" = 0 ] || fail "internet -> 10.0.1.54 through the ALB with every call read: exit $status ($(head -3 "$work/can.txt"))"

# 2. Every way a call fails: a whole call denied (ec2), throttled (ecs list-clusters), failed (no
#    endpoint: rds), and one object's call denied (the ALB's listeners) or throttled (one target
#    group's health). Each is reported on stderr and in the manifest with its text; its file is
#    left out (never an empty list that would read as "nothing there"); the rest is written;
#    exit 1.
alb=arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/ecom-public-alb/8ea17413dd4c9a2b
tg=arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ecom-user-service/4d5682afe47623b6
export FAKE_AWS_LOG="$work/calls2.log" AWS_MAX_ATTEMPTS=3 \
  FAKE_AWS_FAIL="ec2 describe-vpc-endpoints,ecs list-clusters:throttled,rds describe-db-instances:failed,elbv2 describe-listeners:denied:$alb,elbv2 describe-target-health:throttled:$tg"
: >"$work/env.log"
status=0
"$SRC/scripts/collect-aws" --region us-east-1 --out "$work/snap2" 2>"$work/stderr2" || status=$?
unset FAKE_AWS_FAIL AWS_MAX_ATTEMPTS
[ "$status" = 1 ] || fail "failed calls: exit $status, expected 1"
[ "$(sort -u "$work/env.log")" = "adaptive 3" ] || fail "AWS_MAX_ATTEMPTS given by the caller not kept"
d2=$work/snap2/123456789012/us-east-1
grep -q 'aws ec2 describe-vpc-endpoints denied: An error occurred (AccessDenied)' "$work/stderr2" || fail "denied call not reported"
grep -q 'aws ecs list-clusters throttled: .*Rate exceeded' "$work/stderr2" || fail "throttled call not reported"
grep -q 'aws rds describe-db-instances failed: Could not connect' "$work/stderr2" || fail "failed call not reported"
grep -qF "aws elbv2 describe-listeners ($alb) denied" "$work/stderr2" || fail "per-object call not reported"
for f in describe-vpc-endpoints describe-db-instances describe-tasks describe-services describe-container-instances \
         describe-task-definition describe-listeners; do
  [ ! -e "$d2/$f.json" ] || fail "$f.json written though the call (or the listing before it) failed"
done
[ -s "$d2/describe-vpcs.json" ] || fail "other calls not written"
if grep -q -- '--profile' "$work/calls2.log"; then fail "--profile passed without being given"; fi
python3 - "$d2/collect-manifest.json" "$alb" "$tg" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))['SgreachCollection']['Calls']
alb, tg = sys.argv[2:]
bad = {(x['Call'], x.get('Target')): x for x in m if x['Status'] != 'ok'}
want = {('ec2 describe-vpc-endpoints', None): ('denied', 'AccessDenied'),
        ('ecs list-clusters', None): ('throttled', 'Rate exceeded'),
        ('rds describe-db-instances', None): ('failed', 'Could not connect to the endpoint URL: "https://rds.us-east-1.amazonaws.com/" after 3 attempts'),
        ('elbv2 describe-listeners', alb): ('denied', 'not authorized to perform: elbv2:describe-listeners'),
        ('elbv2 describe-target-health', tg): ('throttled', 'Throttling')}
assert set(bad) == set(want), sorted(bad)
for k, (st, text) in want.items():
    assert bad[k]['Status'] == st and text in bad[k]['Error'], bad[k]
    assert '\t' not in bad[k]['Error'] and '\n' not in bad[k]['Error'], 'control characters kept'
assert not any(x['Call'].startswith('ecs ') and x['Call'] != 'ecs list-clusters' for x in m), 'ECS calls after a failed listing'
EOF

# What sgreach makes of it: the coverage section names each call not read with what it leaves
# unknown; the paths through the ALB whose listeners were denied are unknown, not unreachable.
"$SGREACH" summary "$work/snap2" >"$work/summary2.txt" 2>/dev/null || fail "summary exit $?"
grep -Eq '^coverage +1 region, [0-9]+ calls, 5 not read$' "$work/summary2.txt" ||
  fail "coverage: $(grep -A3 coverage "$work/summary2.txt")"
grep -q '^    elbv2 describe-listeners: denied (1 of 1 call): An error occurred (AccessDenied)' "$work/summary2.txt" ||
  fail "listeners not in the coverage"
grep -q '^      unknown: paths through the load balancers whose listeners could not be read' "$work/summary2.txt" ||
  fail "what the listeners leave unknown"
grep -q '^    ecs list-clusters: throttled (1 of 1 call)' "$work/summary2.txt" || fail "list-clusters not in the coverage"
"$SGREACH" summary --format json "$work/snap2" 2>/dev/null | python3 -c "
import json, sys
c = json.load(sys.stdin)['coverage']
assert c['manifest'] is True and c['not_read'] == 5, c['not_read']
th = [x for x in c['calls'] if x['call'] == 'elbv2 describe-target-health'][0]
assert th['status'] == 'throttled' and th['calls'] == 2 and th['failed'] == 1 and th['region'] == 'us-east-1', th
" || fail "coverage in JSON"
status=0
"$SGREACH" can --from internet --to 10.0.1.54 --port 3000 "$d2" >"$work/can2.txt" 2>"$work/can2.err" || status=$?
[ "$status" = 3 ] || fail "listeners denied: exit $status, expected 3 (unknown): $(head -3 "$work/can2.txt")"
grep -q "missing: the listeners of ecom-public-alb were not read (elbv2 describe-listeners denied in us-east-1" \
  "$work/can2.txt" || fail "the answer does not say the listeners were not read"
grep -q "warning: elbv2 describe-listeners denied in us-east-1" "$work/can2.err" || fail "no warning on stderr"

# 3. no ECS cluster at all: empty lists ("looked, found nothing"), no task definitions
export FAKE_AWS_LOG="$work/calls3.log" FAKE_AWS_NO_CLUSTERS=1
"$SRC/scripts/collect-aws" --region us-east-1 --out "$work/snap3" 2>/dev/null || fail "no clusters: exit $?"
python3 - "$work/snap3/123456789012/us-east-1" <<'EOF'
import json, os, sys
d = sys.argv[1]
assert json.load(open(os.path.join(d, 'describe-tasks.json'))) == {'tasks': [], 'failures': []}, 'tasks'
assert json.load(open(os.path.join(d, 'describe-services.json'))) == {'services': [], 'failures': []}, 'services'
assert not os.path.exists(os.path.join(d, 'describe-task-definition.json')), 'task definitions'
EOF
unset FAKE_AWS_NO_CLUSTERS

# 4. --all-regions: the regions describe-regions lists (with any --region given), each collected;
#    describe-regions in the account's manifest. Failing, it stops the run (exit 2).
export FAKE_AWS_LOG="$work/calls4.log"
"$SRC/scripts/collect-aws" --all-regions --region eu-west-1 --out "$work/snap4" 2>/dev/null || fail "--all-regions: exit $?"
[ "$(cd "$work/snap4/123456789012" && find . -mindepth 1 -maxdepth 1 -type d | sort | tr '\n' ' ')" = \
  "./ap-south-1 ./eu-west-1 ./us-east-1 " ] || fail "--all-regions: regions $(ls "$work/snap4/123456789012")"
grep -q '"Call": "ec2 describe-regions", "Status": "ok"' "$work/snap4/123456789012/collect-manifest.json" ||
  fail "describe-regions not in the account's manifest"
status=0
FAKE_AWS_FAIL="ec2 describe-regions" "$SRC/scripts/collect-aws" --all-regions --out "$work/snap5" 2>"$work/stderr5" ||
  status=$?
[ "$status" = 2 ] || fail "describe-regions denied: exit $status, expected 2"
grep -q 'cannot list the regions' "$work/stderr5" || fail "describe-regions failure not explained"

# 5. Bounded parallel calls: never more than --jobs calls at once (seen from the fake aws), more
#    than one at once, and the same files whatever the bound.
export FAKE_AWS_LOG="$work/calls6.log" FAKE_AWS_RUNNING="$work/running" FAKE_AWS_SLEEP=0.2
"$SRC/scripts/collect-aws" --jobs 3 --region us-east-1 --out "$work/snap6" 2>/dev/null || fail "--jobs 3: exit $?"
unset FAKE_AWS_RUNNING FAKE_AWS_SLEEP
most=$(sort -n "$work/running.log" | tail -1)
[ "$most" -le 3 ] || fail "--jobs 3: $most calls at once"
[ "$most" -ge 2 ] || fail "--jobs 3: the calls never overlapped"
"$SRC/scripts/collect-aws" --jobs 1 --region us-east-1 --out "$work/snap7" 2>/dev/null || fail "--jobs 1: exit $?"
diff -r "$work/snap6" "$work/snap7" >/dev/null || fail "the snapshot depends on --jobs"

# 6. the account cannot be identified: exit 2, nothing written
status=0
FAKE_AWS_FAIL="sts get-caller-identity" "$SRC/scripts/collect-aws" --region us-east-1 --out "$work/snap8" 2>"$work/stderr8" ||
  status=$?
[ "$status" = 2 ] || fail "sts denied: exit $status, expected 2"
grep -q 'cannot identify the account' "$work/stderr8" || fail "sts failure not explained"
[ ! -e "$work/snap8" ] || fail "a snapshot written without an account"

# 7. usage errors exit 2
status=0
"$SRC/scripts/collect-aws" --region us-east-1 2>/dev/null || status=$?
[ "$status" = 2 ] || fail "missing --out: exit $status, expected 2"
status=0
"$SRC/scripts/collect-aws" --region us-east-1 --jobs 0 --out "$work/x" 2>/dev/null || status=$?
[ "$status" = 2 ] || fail "--jobs 0: exit $status, expected 2"

# 8. the script passes shellcheck (where it is installed)
if command -v shellcheck >/dev/null; then
  shellcheck "$SRC/scripts/collect-aws" "$SRC/tests/data/fake-aws/aws" || fail "shellcheck"
fi
echo "test_collect_aws: ok"
