#!/usr/bin/env bash
# scripts/collect-aws against a fake `aws` (tests/data/fake-aws/aws) first on PATH: files per
# operation and region, wrappers, batching (10 services, 100 tasks, 100 container instances per
# call), one describe-task-definition per distinct ARN, failures, an account without clusters.
set -euo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$SRC/tests/data/fake-aws:$PATH"
export FAKE_AWS_DATA="$SRC/fixtures/ecommerce-awsvpc"
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. two regions, one profile
export FAKE_AWS_LOG="$work/calls.log"
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
    'elb-describe-load-balancers': 'LoadBalancerDescriptions'}
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
print('collect-aws: files, wrappers and batching ok')
EOF

# 2. a call that is denied: reported, its file left out, the rest written, exit 1
export FAKE_AWS_LOG="$work/calls2.log" FAKE_AWS_FAIL="ec2 describe-vpc-endpoints"
status=0
"$SRC/scripts/collect-aws" --region us-east-1 --out "$work/snap2" 2>"$work/stderr2" || status=$?
[ "$status" = 1 ] || fail "denied call: exit $status, expected 1"
grep -q 'describe-vpc-endpoints failed' "$work/stderr2" || fail "denied call not reported"
[ ! -e "$work/snap2/123456789012/us-east-1/describe-vpc-endpoints.json" ] || fail "file of a failed call written"
[ -s "$work/snap2/123456789012/us-east-1/describe-vpcs.json" ] || fail "other calls not written"
if grep -q -- '--profile' "$work/calls2.log"; then fail "--profile passed without being given"; fi
unset FAKE_AWS_FAIL

# 3. no ECS cluster at all: empty lists, no task definitions
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

# 4. usage errors exit 2
status=0
"$SRC/scripts/collect-aws" --region us-east-1 2>/dev/null || status=$?
[ "$status" = 2 ] || fail "missing --out: exit $status, expected 2"
echo "test_collect_aws: ok"
