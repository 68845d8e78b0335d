#!/usr/bin/env bash
# Every estate under fixtures/ loads with `sgreach summary`: exit 0, the counts that the files
# themselves give (computed here from the JSON, independently of sgreach), and no warning but
# the intended ones (fixtures/README.md, "Intended warnings"). Also: all estates at once merge.
set -euo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

n=0
for dir in "$SRC"/fixtures/*/; do
  name=$(basename "$dir")
  status=0
  "$SGREACH" summary --format json "$dir" >"$work/$name.json" 2>"$work/$name.err" || status=$?
  [ "$status" = 0 ] || { cat "$work/$name.err" >&2; echo "FAIL: $name: exit $status" >&2; exit 1; }
  python3 - "$dir" "$work/$name.json" <<'EOF'
import json, os, sys
root, summary = sys.argv[1], json.load(open(sys.argv[2]))
name = os.path.basename(os.path.normpath(root))
INTENDED = {'ecommerce-awsvpc': ['sg-00b851501a3748cc9 is referenced but no dump describes it']}

def docs(path):
    s = open(path).read()
    dec, i, out = json.JSONDecoder(), 0, []
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i == len(s):
            return out
        d, i = dec.raw_decode(s, i)
        out.append(d)

ids = {}
def add(kind, key):
    ids.setdefault(kind, set()).add(key)
for dp, _, fs in os.walk(root):
    for f in fs:
        if not f.endswith('.json'):
            continue
        for d in docs(os.path.join(dp, f)):
            for v in d.get('Vpcs', []): add('vpcs', v['VpcId'])
            for v in d.get('Subnets', []): add('subnets', v['SubnetId'])
            for v in d.get('RouteTables', []): add('route_tables', v['RouteTableId'])
            for v in d.get('InternetGateways', []): add('internet_gateways', v['InternetGatewayId'])
            for v in d.get('NatGateways', []): add('nat_gateways', v['NatGatewayId'])
            for v in d.get('VpcPeeringConnections', []): add('vpc_peering_connections', v['VpcPeeringConnectionId'])
            for v in d.get('NetworkAcls', []): add('network_acls', v['NetworkAclId'])
            for v in d.get('PrefixLists', []): add('prefix_lists', v['PrefixListId'])
            for v in d.get('VpcEndpoints', []): add('vpc_endpoints', v['VpcEndpointId'])
            for v in d.get('NetworkInterfaces', []): add('network_interfaces', v['NetworkInterfaceId'])
            for r in d.get('Reservations', []):
                for i in r['Instances']:
                    add('instances', i['InstanceId'])
                    for ni in i['NetworkInterfaces']: add('network_interfaces', ni['NetworkInterfaceId'])
            for g in d.get('SecurityGroups', []):
                add('security_groups', g['GroupId'])
                for eg, perms in ((False, g['IpPermissions']), (True, g['IpPermissionsEgress'])):
                    for p in perms:
                        proto = {'6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6'}.get(p['IpProtocol'], p['IpProtocol'])
                        port = (proto, p.get('FromPort', -1), p.get('ToPort', -1))
                        peers = [r['CidrIp'] for r in p['IpRanges']] + [r['CidrIpv6'] for r in p['Ipv6Ranges']] + \
                                [r['PrefixListId'] for r in p['PrefixListIds']] + [r['GroupId'] for r in p['UserIdGroupPairs']]
                        for peer in peers: add('security_group_rules', (g['GroupId'], eg, port, peer))
            if 'taskDefinition' in d: add('task_definitions', d['taskDefinition']['taskDefinitionArn'])
            for v in d.get('tasks', []): add('tasks', v['taskArn'])
            for v in d.get('services', []): add('services', v['serviceArn'])
            for v in d.get('containerInstances', []): add('container_instances', v['containerInstanceArn'])
            for v in d.get('LoadBalancers', []): add('load_balancers', v['LoadBalancerArn'])
            for v in d.get('TargetGroups', []): add('target_groups', v['TargetGroupArn'])
            for v in d.get('Listeners', []): add('listeners', v['ListenerArn'])

counts = summary.get('counts', summary)
bad = [f'{k}: sgreach {counts.get(k)}, files {len(v)}' for k, v in sorted(ids.items()) if counts.get(k) != len(v)]
if bad:
    sys.exit(f'FAIL: {name}: counts differ: ' + '; '.join(bad))
got = sorted(w['message'] for w in summary['warnings'])
if got != sorted(INTENDED.get(name, [])):
    sys.exit(f'FAIL: {name}: warnings {got}, expected {INTENDED.get(name, [])}')
for w in summary['warnings']:
    if not (w.get('file') and w.get('line')):
        sys.exit(f'FAIL: {name}: warning without a location: {w}')
print(f'{name}: ' + ', '.join(f'{k} {len(v)}' for k, v in sorted(ids.items())))
EOF
  n=$((n + 1))
done
[ "$n" -ge 6 ] || { echo "FAIL: only $n fixtures" >&2; exit 1; }

# Every estate at once: still exit 0 (distinct ids, nothing lost in the merge).
status=0
"$SGREACH" summary --quiet "$SRC"/fixtures/*/ >/dev/null 2>&1 || status=$?
[ "$status" = 0 ] || { echo "FAIL: all fixtures together: exit $status" >&2; exit 1; }
echo "test_fixtures_load: $n estates ok"
