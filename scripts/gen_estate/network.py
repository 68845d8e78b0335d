"""The network of an estate: accounts, VPCs and their budgets of interfaces,
peerings, subnets, route tables, network ACLs, gateways, prefix lists."""

from .core import Subnet4, tags

AZS = ("a", "b", "c")
ZONE_IDS = {"us-east-1": "use1", "eu-west-1": "euw1"}
S3_RANGES = {
    "us-east-1": ["3.5.0.0/19", "16.182.0.0/16", "52.216.0.0/15", "54.231.0.0/16", "18.34.0.0/19"],
    "eu-west-1": ["3.5.64.0/21", "52.92.0.0/17", "52.218.0.0/17", "18.34.240.0/22"],
}
OFFICE_RANGES = ["198.51.100.0/24", "203.0.113.0/25", "192.0.2.64/27", "100.24.16.0/28",
                 "35.176.12.0/24", "13.40.8.0/26", "185.13.44.0/24"]


class SubnetInfo:
    def __init__(self, gen, vpc, tier, az, cidr, public, cidr6=None):
        self.vpc = vpc
        self.id = gen.ids.make("subnet-")
        self.tier = tier
        self.az = vpc.region + az
        self.cidr = cidr
        self.cidr6 = cidr6
        self.public = public
        self.alloc = Subnet4(cidr, gen.rng)
        self.rt = None      # explicit route table id, None = main
        self.name = "%s-%s-%s" % (vpc.name, tier, az)


class Vpc:
    def __init__(self, gen, index, account, region, kind, name, cidr, budget):
        self.index = index
        self.account = account
        self.region = region
        self.kind = kind
        self.name = name
        self.cidr = cidr
        self.budget = budget
        self.id = gen.ids.make("vpc-")
        self.has_igw = kind != "isolated"
        self.ipv6 = None
        self.peers = []         # Vpc objects peered actively
        self.peerings = {}      # Vpc index -> pcx id
        self.sgs = []
        self.subnets = {}       # tier -> [SubnetInfo]
        self.monitoring = None  # Sg of the shared VPC's scrapers (when peered)
        self.bastion = None
        self.corp_pl = None
        self.nats = {}          # az -> nat id
        self.default_sg = None
        self.data_sgs = []      # (Sg, port) of databases and caches
        self.lbs = []
        self.igw = self.eigw = self.s3_vpce = self.s3_pl = None

    def peering_with(self, other):
        return self.peerings.get(other.index)

    def subnet(self, tier, rng):
        """The subnet of `tier` with the most free addresses (ties by random)."""
        cands = self.subnets.get(tier) or self.subnets.get("app") or self.subnets["public"]
        best = max(s.alloc.free() for s in cands)
        return rng.choice([s for s in cands if s.alloc.free() == best])


def plan(gen, n):
    """Decides accounts, VPCs (with how many interfaces each gets) and peerings."""
    rng = gen.rng
    acct = ["%012d" % rng.randint(10**11, 10**12 - 1) for _ in range(3)]
    n_app = max(2, min(200, round(n / 3000)))
    default_share = max(1, min(40, n // 400))
    regions = [(acct[0], "us-east-1"), (acct[1], "us-east-1")]
    if n_app >= 5:
        regions.append((acct[2], "eu-west-1"))
    weights = [1.0] + [rng.uniform(0.4, 2.5) for _ in range(n_app)]
    rest = n - default_share * len(regions)
    if rest < 10 * len(weights):
        raise SystemExit("gen-estate: --interfaces must be at least %d" %
                         (10 * len(weights) + default_share * len(regions)))
    total = sum(weights)
    raw = [rest * w / total for w in weights]
    budgets = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (budgets[i] - raw[i], i))
    for i in order[: rest - sum(budgets)]:
        budgets[i] += 1

    vpcs = [Vpc(gen, 0, acct[0], "us-east-1", "shared", "shared-services", "10.0.0.0/16", budgets[0])]
    words = gen.words(n_app)
    for i in range(n_app):
        account, region = regions[1 + i % (len(regions) - 1)] if i % 3 else regions[0]
        kind = "isolated" if i % 6 == 5 else "app"
        env = "staging" if account == acct[1] else ("analytics" if region == "eu-west-1" else "prod")
        vpcs.append(Vpc(gen, i + 1, account, region, kind, "%s-%s" % (env, words[i]),
                        "10.%d.0.0/16" % (i + 1), budgets[i + 1]))
    for k, (account, region) in enumerate(regions):
        vpcs.append(Vpc(gen, len(vpcs), account, region, "default", "default", "172.31.0.0/16",
                        default_share))
    for v in vpcs:
        if v.kind == "app" and v.index % 4 == 1:
            v.ipv6 = "2600:1f18:%x:%x00::/56" % (rng.randint(0x1000, 0xffff), rng.randint(0x10, 0xff))

    peerings = []
    shared = vpcs[0]
    for v in vpcs[1:]:
        if v.kind != "default":
            peerings.append(peer(gen, shared, v, "active", both_routes=True))
    apps = [v for v in vpcs if v.kind in ("app", "isolated")]
    for a, b in zip(apps, apps[1:]):
        if a.index % 3 == 1 and a.region == b.region:
            peerings.append(peer(gen, a, b, "active", both_routes=b.index % 5 != 0))
    if len(apps) >= 3:
        peerings.append(peer(gen, apps[0], apps[-1], "pending-acceptance", both_routes=False))
    return acct, regions, vpcs, peerings


def peer(gen, req, acc, status, both_routes):
    pcx = gen.ids.make("pcx-")
    p = {"id": pcx, "req": req, "acc": acc, "status": status, "both": both_routes}
    if status == "active":
        req.peerings[acc.index] = pcx
        acc.peerings[req.index] = pcx
        req.peers.append(acc)
        acc.peers.append(req)
    return p


def peering_doc(p):
    def side(v):
        info = {"CidrBlock": v.cidr, "CidrBlockSet": [{"CidrBlock": v.cidr}]}
        if v.ipv6:
            info["Ipv6CidrBlockSet"] = [{"Ipv6CidrBlock": v.ipv6}]
        info.update({"OwnerId": v.account, "PeeringOptions": {
            "AllowDnsResolutionFromRemoteVpc": False,
            "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
            "AllowEgressFromLocalVpcToRemoteClassicLink": False},
            "VpcId": v.id, "Region": v.region})
        return info
    msg = {"active": "Active", "pending-acceptance": "Pending Acceptance by %s" % p["acc"].account}
    doc = {"AccepterVpcInfo": side(p["acc"]) if p["status"] == "active" else
           {"OwnerId": p["acc"].account, "VpcId": p["acc"].id, "Region": p["acc"].region},
           "RequesterVpcInfo": side(p["req"]),
           "Status": {"Code": p["status"], "Message": msg[p["status"]]},
           "Tags": tags(Name="%s-to-%s" % (p["req"].name, p["acc"].name)),
           "VpcPeeringConnectionId": p["id"]}
    return doc


def prefix_lists(gen, account, region):
    """The account's customer-managed lists and the region's S3 list, with entries."""
    rng = gen.rng
    corp = gen.ids.make("pl-")
    offices = rng.sample(OFFICE_RANGES, rng.randint(4, len(OFFICE_RANGES)))
    s3 = "pl-%s" % ("63a5400a" if region == "us-east-1" else "6da54004")
    lists = [
        (corp, "corp-offices", account, "IPv4", 20, [(c, "office %d" % i) for i, c in enumerate(offices)]),
        (s3, "com.amazonaws.%s.s3" % region, "AWS", "IPv4", None, [(c, None) for c in S3_RANGES[region]]),
    ]
    for pl_id, name, owner, family, max_entries, entries in lists:
        doc = {"PrefixListId": pl_id, "AddressFamily": family, "State": "create-complete",
               "PrefixListArn": "arn:aws:ec2:%s:%s:prefix-list/%s" % (region, owner if owner != "AWS" else "aws", pl_id),
               "PrefixListName": name}
        if max_entries:
            doc["MaxEntries"] = max_entries
            doc["Version"] = 3
        doc["Tags"] = []
        doc["OwnerId"] = owner
        gen.out.item(account, region, "ec2-describe-managed-prefix-lists", "PrefixLists", doc)
        ents = []
        for cidr, desc in entries:
            e = {"Cidr": cidr}
            if desc:
                e["Description"] = desc
            ents.append(e)
        gen.out.document(account, region, "ec2-get-managed-prefix-list-entries",
                         {"PrefixListId": pl_id, "Entries": ents})
    return corp, s3


def build_subnets(gen, vpc):
    """Public /20s, application /19s and data /21s in three zones (the
    default VPC: three public /20s); IPv6 /64s in dual-stack VPCs."""
    o2 = vpc.cidr.split(".")[1]
    first = vpc.cidr.split(".")[0]
    layout = []
    if vpc.kind == "default":
        layout = [("public", i * 16, 20, True) for i in range(3)]
    else:
        if vpc.has_igw:
            layout += [("public", i * 16, 20, True) for i in range(3)]
        layout += [("app", 64 + i * 32, 19, False) for i in range(3)]
        layout += [("data", 160 + i * 8, 21, False) for i in range(3)]
    for k, (tier, third, plen, public) in enumerate(layout):
        cidr6 = None
        if vpc.ipv6 and tier != "data":
            cidr6 = vpc.ipv6.replace("00::/56", "%02x::/64" % k)
        s = SubnetInfo(gen, vpc, tier, AZS[k % 3], "%s.%s.%d.0/%d" % (first, o2, third, plen),
                       public and (vpc.kind == "default" or gen.rng.random() < 0.5), cidr6)
        vpc.subnets.setdefault(tier, []).append(s)


def vpc_doc(gen, vpc):
    doc = {"CidrBlock": vpc.cidr, "DhcpOptionsId": gen.ids.make("dopt-", 8), "State": "available",
           "VpcId": vpc.id, "OwnerId": vpc.account, "InstanceTenancy": "default",
           "CidrBlockAssociationSet": [{"AssociationId": gen.ids.make("vpc-cidr-assoc-"),
                                        "CidrBlock": vpc.cidr, "CidrBlockState": {"State": "associated"}}],
           "IsDefault": vpc.kind == "default"}
    if vpc.ipv6:
        doc["Ipv6CidrBlockAssociationSet"] = [{
            "AssociationId": gen.ids.make("vpc-cidr-assoc-"), "Ipv6CidrBlock": vpc.ipv6,
            "Ipv6CidrBlockState": {"State": "associated"}, "NetworkBorderGroup": vpc.region,
            "Ipv6Pool": "Amazon"}]
    if vpc.kind != "default":
        doc["Tags"] = tags(Name=vpc.name, Environment=vpc.name.split("-")[0])
    gen.out.item(vpc.account, vpc.region, "ec2-describe-vpcs", "Vpcs", doc)


def write_subnets(gen, vpc):
    """Written last, so AvailableIpAddressCount counts the addresses in use."""
    for tier in vpc.subnets:
        for s in vpc.subnets[tier]:
            doc = {"AvailabilityZone": s.az, "AvailabilityZoneId": "%s-az%d" % (ZONE_IDS[vpc.region], AZS.index(s.az[-1]) + 1),
                   "AvailableIpAddressCount": s.alloc.free(), "CidrBlock": s.cidr,
                   "DefaultForAz": vpc.kind == "default", "MapPublicIpOnLaunch": s.public,
                   "MapCustomerOwnedIpOnLaunch": False, "State": "available", "SubnetId": s.id,
                   "VpcId": vpc.id, "OwnerId": vpc.account,
                   "AssignIpv6AddressOnCreation": bool(s.cidr6),
                   "Ipv6CidrBlockAssociationSet": [] if not s.cidr6 else [{
                       "AssociationId": gen.ids.make("subnet-cidr-assoc-"), "Ipv6CidrBlock": s.cidr6,
                       "Ipv6CidrBlockState": {"State": "associated"}}],
                   "Tags": tags(Name=s.name, Tier=s.tier),
                   "SubnetArn": "arn:aws:ec2:%s:%s:subnet/%s" % (vpc.region, vpc.account, s.id),
                   "EnableDns64": False, "Ipv6Native": False}
            gen.out.item(vpc.account, vpc.region, "ec2-describe-subnets", "Subnets", doc)
