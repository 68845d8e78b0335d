"""Builds a whole estate, VPC by VPC, writing as it goes (memory stays at
about one VPC's worth of objects)."""

import datetime
import os
import random

from . import network, routing
from .core import Ids, PublicPool, Writer
from .ecs_apps import ec2_cluster, fargate_cluster
from .groups import default_group
from .other_apps import data_tier, default_vpc, lambdas, legacy_tier, shared_tools

WORDS = ("orders payments ledger catalog search checkout inventory billing users accounts "
         "profile media upload notify email sms pricing quotes shipping tracking returns "
         "reviews ratings recommend feed social chat presence session auth identity tokens "
         "gateway router proxy cache index crawler scraper reports analytics metrics audit "
         "compliance risk fraud kyc onboarding support tickets docs wiki cms assets images "
         "thumbnails video stream transcode player license entitlement subscription plans "
         "coupons loyalty rewards wallet ledgerx treasury fx rates forecast planner scheduler "
         "dispatch routing fleet drivers riders maps geo places weather alerts pager oncall "
         "deploy builds artifacts registry scanner sbom vault secrets config flags rollout "
         "canary mirror backup archive export import sync bridge webhook callbacks partner "
         "vendor supplier warehouse picking packing labels customs tax invoices dunning "
         "collections payouts settlements disputes chargebacks ledgery booking calendar").split()


class Gen:
    def __init__(self, seed, out, page, compact=False):
        self.rng = random.Random(seed)
        self.ids = Ids(self.rng)
        self.public = PublicPool(self.rng)
        self.out = Writer(out, page, compact)
        self.n_enis = 0
        self.samples = []
        self.flags = set()
        self.names = {}
        self.peer_info = {}
        self.tgw = self.ids.make("tgw-")

    def word(self):
        return self.rng.choice(WORDS)

    def words(self, n):
        return [self.word() for _ in range(n)]

    def unique(self, scope, name, maxlen):
        """`name` made unique within `scope` (AWS refuses duplicate names)."""
        used = self.names.setdefault(scope, set())
        base = name[:maxlen].rstrip("-")
        cand, k = base, 1
        while cand in used:
            k += 1
            suffix = "-%d" % k
            cand = base[: maxlen - len(suffix)].rstrip("-") + suffix
        used.add(cand)
        return cand

    def timestamp(self):
        t = 1672531200 + self.rng.randint(0, 120_000_000) + self.rng.randint(0, 999999) / 1e6
        return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat()

    def force(self, flag):
        """True the first time `flag` is asked for: makes sure every estate has
        one of each kind of finding."""
        if flag in self.flags:
            return False
        self.flags.add(flag)
        return True

    def aws_account(self, kind):
        return {"vpce": "727180483921"}.get(kind, "amazon")

    def peering_routes_ok(self, vpc, other):
        p = self.peer_info[vpc.peering_with(other)]
        return p["both"] or vpc is p["req"]


def build_vpc(gen, vpc, shared):
    rng = gen.rng
    network.vpc_doc(gen, vpc)
    network.build_subnets(gen, vpc)
    vpc.default_sg = default_group(gen, vpc)
    if vpc.kind != "default" and vpc is not shared and vpc.region == shared.region:
        vpc.monitoring, vpc.bastion = shared.monitoring, shared.bastion
    used = routing.gateways(gen, vpc, vpc.budget)
    routing.route_tables(gen, vpc, vpc.s3_pl)
    routing.nacls(gen, vpc)
    rest = vpc.budget - used
    if vpc.kind == "default":
        used += default_vpc(gen, vpc, rest)
    else:
        if vpc.kind == "shared" and rest >= 12:
            used += shared_tools(gen, vpc)
        rest = vpc.budget - used
        if rest >= 20:
            used += data_tier(gen, vpc, max(1, int(rest * (0.05 if vpc.kind == "shared" else 0.07))))
        if vpc.kind != "shared" and "public" in vpc.subnets and rest >= 40 and gen.force("edge"):
            used += ec2_cluster(gen, vpc, min(12, rest // 4), edge=True)
        if vpc.kind != "shared" and rest >= 30:
            target = used + int(rest * 0.22)
            while target - used >= 10:
                got = ec2_cluster(gen, vpc, target - used)
                if not got:
                    break
                used += got
        share = 0.4 if vpc.kind == "shared" else 0.1
        if rest >= 10:
            used += legacy_tier(gen, vpc, int(rest * share))
        if rest >= 25:
            used += lambdas(gen, vpc, int(rest * 0.04))
        while vpc.budget - used > 0:
            used += fargate_cluster(gen, vpc, vpc.budget - used)
    assert used == vpc.budget, (vpc.name, used, vpc.budget)
    for lb in vpc.lbs:
        lb.write()
    for sg in vpc.sgs:
        if sg.name != "default" and sg.n_rules < 5:
            sg.pad(5 + rng.randint(0, 3))
        gen.out.item(vpc.account, vpc.region, "ec2-describe-security-groups", "SecurityGroups", sg.aws())
    network.write_subnets(gen, vpc)
    vpc.sgs = []
    vpc.lbs = []


def build(seed, n, out, page, compact=False):
    gen = Gen(seed, out, page, compact)
    accounts, regions, vpcs, peerings = network.plan(gen, n)
    pls = {}
    for account, region in regions:
        pls[(account, region)] = network.prefix_lists(gen, account, region)
    for v in vpcs:
        v.corp_pl, v.s3_pl = pls[(v.account, v.region)]
    written = set()
    for p in peerings:
        gen.peer_info[p["id"]] = p
        for side in (p["req"], p["acc"]):
            key = (side.account, side.region, p["id"])
            if key not in written:
                written.add(key)
                gen.out.item(side.account, side.region, "ec2-describe-vpc-peering-connections",
                             "VpcPeeringConnections", network.peering_doc(p))
    for v in vpcs:
        build_vpc(gen, v, vpcs[0])
    gen.out.close()
    if gen.n_enis != n:
        raise SystemExit("gen-estate: internal error: %d interfaces instead of %d" % (gen.n_enis, n))
    with open(os.path.join(out, "selectors.txt"), "w", encoding="utf-8") as f:
        f.write("# kind\tsubkind\tselector  (endpoints of this estate, for benchmarks and tests)\n")
        for kind, sub, sel in gen.samples:
            f.write("%s\t%s\t%s\n" % (kind, sub, sel))
    return gen, vpcs, peerings
