"""Checks a generated estate for internal consistency: every file parses as
a sequence of JSON documents, every reference names an object that exists,
addresses are unique per VPC, and the counts add up. Used by the tests:

    python3 -m gen_estate.validate DIR [EXPECTED_INTERFACES]
"""

import ipaddress
import json
import os
import sys


def documents(path):
    text = open(path, encoding="utf-8").read()
    dec = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        doc, pos = dec.raw_decode(text, pos)
        yield doc


def load(root):
    items = {}
    wrappers = {"TargetHealthDescriptions": {}, "Attributes": {}, "Entries": {}}
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if not f.endswith(".json"):
                continue
            for doc in documents(os.path.join(d, f)):
                if "TargetGroupArn" in doc or "PrefixListId" in doc:
                    owner = doc.get("TargetGroupArn") or doc.get("PrefixListId")
                    for k in wrappers:
                        if k in doc:
                            wrappers[k][owner] = doc[k]
                    continue
                if "taskDefinition" in doc:
                    items.setdefault("taskDefinition", []).append(doc["taskDefinition"])
                    continue
                for k, v in doc.items():
                    if isinstance(v, list) and k != "failures":
                        items.setdefault(k, []).extend(v)
    return items, wrappers


def check(root, expected=None):
    items, wrappers = load(root)
    errors = []

    def need(cond, msg):
        if not cond:
            errors.append(msg)

    enis = {e["NetworkInterfaceId"]: e for e in items.get("NetworkInterfaces", [])}
    sgs = {g["GroupId"]: g for g in items.get("SecurityGroups", [])}
    subnets = {s["SubnetId"]: s for s in items.get("Subnets", [])}
    vpcs = {v["VpcId"]: v for v in items.get("Vpcs", [])}
    pls = {p["PrefixListId"] for p in items.get("PrefixLists", [])}
    pcxs = {p["VpcPeeringConnectionId"] for p in items.get("VpcPeeringConnections", [])}
    insts = {i["InstanceId"]: i for r in items.get("Reservations", []) for i in r["Instances"]}
    cis = {c["containerInstanceArn"]: c for c in items.get("containerInstances", [])}
    tds = {t["taskDefinitionArn"] for t in items.get("taskDefinition", [])}
    tgs = {t["TargetGroupArn"]: t for t in items.get("TargetGroups", [])}
    lbs = {lb["LoadBalancerArn"] for lb in items.get("LoadBalancers", [])}
    nats = {n["NatGatewayId"] for n in items.get("NatGateways", [])}
    igws = {g["InternetGatewayId"] for g in items.get("InternetGateways", [])}
    if expected is not None:
        need(len(enis) == expected, "%d interfaces, expected %d" % (len(enis), expected))
    seen_ip = set()
    for e in enis.values():
        need(e["SubnetId"] in subnets, "%s: unknown subnet" % e["NetworkInterfaceId"])
        need(e["VpcId"] in vpcs, "%s: unknown vpc" % e["NetworkInterfaceId"])
        for g in e["Groups"]:
            need(g["GroupId"] in sgs, "%s: unknown group %s" % (e["NetworkInterfaceId"], g["GroupId"]))
        s = subnets.get(e["SubnetId"])
        if s:
            need(ipaddress.ip_address(e["PrivateIpAddress"]) in ipaddress.ip_network(s["CidrBlock"]),
                 "%s: address outside its subnet" % e["NetworkInterfaceId"])
        key = (e["VpcId"], e["PrivateIpAddress"])
        need(key not in seen_ip, "%s: address used twice" % e["NetworkInterfaceId"])
        seen_ip.add(key)
        inst = e.get("Attachment", {}).get("InstanceId")
        if inst:
            need(inst in insts, "%s: unknown instance" % e["NetworkInterfaceId"])
    for g in sgs.values():
        n_rules = 0
        for perm in g["IpPermissions"] + g["IpPermissionsEgress"]:
            for pair in perm["UserIdGroupPairs"]:
                need(pair["GroupId"] in sgs, "%s: references unknown %s" % (g["GroupId"], pair["GroupId"]))
                if "VpcPeeringConnectionId" in pair:
                    need(pair["VpcPeeringConnectionId"] in pcxs, "%s: unknown peering" % g["GroupId"])
            for pl in perm["PrefixListIds"]:
                need(pl["PrefixListId"] in pls, "%s: unknown prefix list" % g["GroupId"])
            n_rules += sum(len(perm[k]) for k in ("IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"))
        need(n_rules <= 60, "%s: %d rules" % (g["GroupId"], n_rules))
    for i in insts.values():
        for e in i["NetworkInterfaces"]:
            need(e["NetworkInterfaceId"] in enis, "%s: interface not described" % i["InstanceId"])
    for rt in items.get("RouteTables", []):
        for r in rt["Routes"]:
            if "NatGatewayId" in r:
                need(r["NatGatewayId"] in nats, "%s: unknown NAT" % rt["RouteTableId"])
            gw = r.get("GatewayId", "local")
            if gw.startswith("igw-"):
                need(gw in igws, "%s: unknown IGW" % rt["RouteTableId"])
            if "VpcPeeringConnectionId" in r and r["State"] == "active":
                need(r["VpcPeeringConnectionId"] in pcxs, "%s: unknown peering" % rt["RouteTableId"])
    for t in items.get("tasks", []):
        need(t["taskDefinitionArn"] in tds, "%s: unknown task definition" % t["taskArn"])
        if "containerInstanceArn" in t:
            need(t["containerInstanceArn"] in cis, "%s: unknown container instance" % t["taskArn"])
        for a in t["attachments"]:
            d = {x["name"]: x["value"] for x in a["details"]}
            need(d["networkInterfaceId"] in enis, "%s: unknown interface" % t["taskArn"])
            e = enis.get(d["networkInterfaceId"])
            if e:
                need(e["PrivateIpAddress"] == d["privateIPv4Address"], "%s: address mismatch" % t["taskArn"])
    for c in cis.values():
        need(c["ec2InstanceId"] in insts, "%s: unknown instance" % c["containerInstanceArn"])
    for svc in items.get("services", []):
        for lb in svc["loadBalancers"]:
            need(lb["targetGroupArn"] in tgs, "%s: unknown target group" % svc["serviceArn"])
    for arn, tg in tgs.items():
        for lb in tg["LoadBalancerArns"]:
            need(lb in lbs, "%s: unknown load balancer" % arn)
        need(arn in wrappers["TargetHealthDescriptions"], "%s: no target health" % arn)
        for th in wrappers["TargetHealthDescriptions"].get(arn, []):
            if tg["TargetType"] == "instance":
                need(th["Target"]["Id"] in insts, "%s: unknown target %s" % (arn, th["Target"]["Id"]))
    for lst in items.get("Listeners", []):
        need(lst["LoadBalancerArn"] in lbs, "%s: unknown load balancer" % lst["ListenerArn"])
    return items, errors


def main():
    root = sys.argv[1]
    expected = int(sys.argv[2]) if len(sys.argv) > 2 else None
    items, errors = check(root, expected)
    for e in errors[:50]:
        print("validate: %s" % e, file=sys.stderr)
    counts = ", ".join("%s %d" % (k, len(v)) for k, v in sorted(items.items()))
    print("validate: %s" % counts)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
