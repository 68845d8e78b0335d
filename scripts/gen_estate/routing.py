"""Gateways, route tables, network ACLs and VPC endpoints of one VPC."""

from .core import tags
from .enis import Eni
from .groups import Sg

VPCE_SERVICES = ("ecr.api", "ecr.dkr", "logs", "ssm", "sts", "secretsmanager", "kms", "monitoring")


def gateways(gen, vpc, budget):
    """IGW, NAT gateways (one per zone in production, one in staging) and
    interface endpoints; returns how many interfaces they used."""
    used = 0
    acct, region = vpc.account, vpc.region
    if vpc.has_igw:
        vpc.igw = gen.ids.make("igw-")
        gen.out.item(acct, region, "ec2-describe-internet-gateways", "InternetGateways", {
            "Attachments": [{"State": "available", "VpcId": vpc.id}],
            "InternetGatewayId": vpc.igw, "OwnerId": acct,
            "Tags": tags(Name="%s-igw" % vpc.name)})
    if vpc.ipv6:
        vpc.eigw = gen.ids.make("eigw-")
    if vpc.has_igw and vpc.kind != "default":
        zones = vpc.subnets["public"] if not vpc.name.startswith("staging") else vpc.subnets["public"][:1]
        for s in zones:
            if used >= budget - 1:
                break
            nat = gen.ids.make("nat-")
            eni = Eni(gen, vpc, s, [], "Interface for NAT Gateway %s" % nat, "nat_gateway",
                      requester="amazon", attach=None, public="eip", source_dest_check=False)
            used += 1
            for z in vpc.subnets["app"]:
                if z.az == s.az or z.az not in vpc.nats:
                    vpc.nats[z.az] = nat
            gen.out.item(acct, region, "ec2-describe-nat-gateways", "NatGateways", {
                "CreateTime": gen.timestamp(), "NatGatewayAddresses": [{
                    "AllocationId": eni.doc["Association"]["AllocationId"],
                    "NetworkInterfaceId": eni.id, "PrivateIp": eni.ip,
                    "PublicIp": eni.public_ip, "AssociationId": eni.doc["Association"]["AssociationId"],
                    "IsPrimary": True, "Status": "succeeded"}],
                "NatGatewayId": nat, "State": "available", "SubnetId": s.id, "VpcId": vpc.id,
                "Tags": tags(Name="%s-nat-%s" % (vpc.name, s.az[-1])), "ConnectivityType": "public"})
    if vpc.kind == "default":
        return used
    vpc.s3_vpce = gen.ids.make("vpce-")
    endpoints = []
    n_svc = min(len(VPCE_SERVICES), max(0, (budget - used) // 150))
    if n_svc:
        sg = Sg(gen, vpc, "%s-vpce" % vpc.name, "Interface endpoints")
        sg.cidr("tcp", 443, 443, vpc.cidr, "https from the vpc").allow_all_out()
        for svc in gen.rng.sample(VPCE_SERVICES, n_svc):
            vpce = gen.ids.make("vpce-")
            enis = []
            for s in vpc.subnets["app"]:
                e = Eni(gen, vpc, s, [sg], "VPC Endpoint Interface %s" % vpce, "vpc_endpoint",
                        requester=gen.aws_account("vpce"), attach={"owner": "amazon-aws"})
                enis.append(e)
                used += 1
            endpoints.append((vpce, "Interface", svc, enis, [sg]))
    endpoints.append((vpc.s3_vpce, "Gateway", "s3", [], []))
    for vpce, kind, svc, enis, groups in endpoints:
        gen.out.item(vpc.account, vpc.region, "ec2-describe-vpc-endpoints", "VpcEndpoints", {
            "VpcEndpointId": vpce, "VpcEndpointType": kind, "VpcId": vpc.id,
            "ServiceName": "com.amazonaws.%s.%s" % (vpc.region, svc), "State": "available",
            "PolicyDocument": '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
            "RouteTableIds": [], "SubnetIds": [e.subnet.id for e in enis],
            "Groups": [{"GroupId": g.id, "GroupName": g.name} for g in groups],
            "PrivateDnsEnabled": kind == "Interface", "RequesterManaged": False,
            "NetworkInterfaceIds": [e.id for e in enis], "DnsEntries": [],
            "CreationTimestamp": gen.timestamp(), "OwnerId": vpc.account})
    return used


def _route(dest, target_key, target, state="active", origin="CreateRoute"):
    r = {}
    if dest.startswith("pl-"):
        r["DestinationPrefixListId"] = dest
    elif ":" in dest:
        r["DestinationIpv6CidrBlock"] = dest
    else:
        r["DestinationCidrBlock"] = dest
    r[target_key] = target
    r["Origin"] = origin
    r["State"] = state
    return r


def route_tables(gen, vpc, s3_pl):
    rng = gen.rng
    local = [_route(vpc.cidr, "GatewayId", "local", origin="CreateRouteTable")]
    if vpc.ipv6:
        local.append(_route(vpc.ipv6, "GatewayId", "local", origin="CreateRouteTable"))
    peer_routes = []
    for other in vpc.peers:
        pcx = vpc.peering_with(other)
        if gen.peering_routes_ok(vpc, other):
            peer_routes.append(_route(other.cidr, "VpcPeeringConnectionId", pcx))
    tables = []  # (name, routes, subnets, main)
    if vpc.kind == "default":
        tables.append(("main", local + [_route("0.0.0.0/0", "GatewayId", vpc.igw)], [], True))
    else:
        s3 = [_route(s3_pl, "GatewayId", vpc.s3_vpce)]
        main_users = []
        if "public" in vpc.subnets:
            routes = local + [_route("0.0.0.0/0", "GatewayId", vpc.igw)] + peer_routes + s3
            if vpc.ipv6:
                routes.append(_route("::/0", "GatewayId", vpc.igw))
            tables.append(("public", routes, vpc.subnets["public"], False))
        for s in vpc.subnets["app"]:
            routes = local + peer_routes + s3
            if s.az in vpc.nats:
                routes = routes + [_route("0.0.0.0/0", "NatGatewayId", vpc.nats[s.az])]
            if vpc.kind == "isolated":
                routes = routes + [_route("192.168.0.0/16", "TransitGatewayId", gen.tgw)]
            if vpc.ipv6:
                routes = routes + [_route("::/0", "EgressOnlyInternetGatewayId", vpc.eigw)]
            if rng.random() < 0.3:
                routes = routes + [_route("10.250.0.0/16", "VpcPeeringConnectionId",
                                          gen.ids.make("pcx-"), state="blackhole")]
            tables.append(("app-" + s.az[-1], routes, [s], False))
        data = vpc.subnets["data"]
        if vpc.index % 3 == 0:
            main_users, data = data[-1:], data[:-1]  # one data subnet left on the main table
        shared_routes = [r for r in peer_routes if r["DestinationCidrBlock"] == "10.0.0.0/16"]
        tables.append(("data", local + shared_routes, data, False))
        tables.append(("main", local, [], True))
    for name, routes, subnets, main in tables:
        rtb = gen.ids.make("rtb-")
        assocs = []
        if main:
            assocs.append({"Main": True, "RouteTableAssociationId": gen.ids.make("rtbassoc-"),
                           "RouteTableId": rtb, "AssociationState": {"State": "associated"}})
        for s in subnets:
            s.rt = rtb
            assocs.append({"Main": False, "RouteTableAssociationId": gen.ids.make("rtbassoc-"),
                           "RouteTableId": rtb, "SubnetId": s.id,
                           "AssociationState": {"State": "associated"}})
        gen.out.item(vpc.account, vpc.region, "ec2-describe-route-tables", "RouteTables", {
            "Associations": assocs, "PropagatingVgws": [], "RouteTableId": rtb, "Routes": routes,
            "Tags": tags(Name="%s-%s" % (vpc.name, name)), "VpcId": vpc.id, "OwnerId": vpc.account})


def _entry(num, egress, proto, action, cidr, ports=None):
    e = {"CidrBlock": cidr} if ":" not in cidr else {"Ipv6CidrBlock": cidr}
    e.update({"Egress": egress, "Protocol": proto})
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    e.update({"RuleAction": action, "RuleNumber": num})
    return e


def _allow_all(vpc):
    out = []
    for egress in (True, False):
        out.append(_entry(100, egress, "-1", "allow", "0.0.0.0/0"))
        if vpc.ipv6:
            out.append(_entry(101, egress, "-1", "allow", "::/0"))
        out.append(_entry(32767, egress, "-1", "deny", "0.0.0.0/0"))
        if vpc.ipv6:
            out.append(_entry(32768, egress, "-1", "deny", "::/0"))
    return out


def nacls(gen, vpc):
    """The default ACL (allow all) for most subnets; in application VPCs a
    restrictive ACL on the data tier, and on some public tiers one that only
    lets web traffic and replies in."""
    acls = []
    default_subnets = [s for t in vpc.subnets.values() for s in t]
    if vpc.kind != "default":
        data = vpc.subnets["data"]
        default_subnets = [s for s in default_subnets if s not in data]
        shared = "10.0.0.0/16"
        entries = []
        n = 100
        for port in (5432, 3306, 6379):
            entries.append(_entry(n, False, "6", "allow", vpc.cidr, (port, port)))
            n += 10
        if vpc.kind != "shared":
            entries.append(_entry(n, False, "6", "allow", shared, (5432, 5432)))
        entries.append(_entry(200, False, "6", "allow", vpc.cidr, (1024, 65535)))
        entries.append(_entry(32767, False, "-1", "deny", "0.0.0.0/0"))
        entries.append(_entry(100, True, "6", "allow", vpc.cidr, (1024, 65535)))
        entries.append(_entry(110, True, "6", "allow", shared, (1024, 65535)))
        entries.append(_entry(120, True, "6", "allow", vpc.cidr, (5432, 5432)))
        entries.append(_entry(32767, True, "-1", "deny", "0.0.0.0/0"))
        acls.append((False, "data", entries, data))
        if "public" in vpc.subnets and vpc.index % 2 == 0 and vpc.kind == "app":
            pub = vpc.subnets["public"]
            default_subnets = [s for s in default_subnets if s not in pub]
            entries = [_entry(90, False, "6", "deny", "0.0.0.0/0", (3389, 3389)),
                       _entry(100, False, "6", "allow", "0.0.0.0/0", (443, 443)),
                       _entry(110, False, "6", "allow", "0.0.0.0/0", (80, 80)),
                       _entry(120, False, "6", "allow", "0.0.0.0/0", (1024, 65535)),
                       _entry(130, False, "-1", "allow", vpc.cidr),
                       _entry(32767, False, "-1", "deny", "0.0.0.0/0"),
                       _entry(100, True, "-1", "allow", "0.0.0.0/0"),
                       _entry(32767, True, "-1", "deny", "0.0.0.0/0")]
            acls.append((False, "public", entries, pub))
    acls.insert(0, (True, "default", _allow_all(vpc), default_subnets))
    for is_default, name, entries, subnets in acls:
        acl = gen.ids.make("acl-")
        gen.out.item(vpc.account, vpc.region, "ec2-describe-network-acls", "NetworkAcls", {
            "Associations": [{"NetworkAclAssociationId": gen.ids.make("aclassoc-"),
                              "NetworkAclId": acl, "SubnetId": s.id} for s in subnets],
            "Entries": entries, "IsDefault": is_default, "NetworkAclId": acl,
            "Tags": [] if is_default else tags(Name="%s-%s" % (vpc.name, name)),
            "VpcId": vpc.id, "OwnerId": vpc.account})
