"""Everything that is not ECS: databases and caches (requester-managed
interfaces), Lambda interfaces, EC2 application tiers behind load balancers,
the shared-services VPC's bastions, monitoring, VPN and CI runners, and the
forgotten default VPCs."""

from .compute import instance
from .elb import LoadBalancer, TargetGroup
from .enis import Eni
from .groups import Sg


def data_tier(gen, vpc, budget):
    """Databases (RDS) and caches (ElastiCache) in the data subnets. Their
    groups are filled in later by the workloads that use them."""
    rng = gen.rng
    used = 0
    public_db = "public" in vpc.subnets and budget >= 3 and gen.force("public-db")
    while budget - used >= 1:
        engine = rng.choice(("postgres", "postgres", "mysql", "redis"))
        port = {"postgres": 5432, "mysql": 3306, "redis": 6379}[engine]
        name = "%s-%s" % (gen.word(), engine)
        sg = Sg(gen, vpc, "%s-%s" % ("cache" if engine == "redis" else "rds", name), "%s access" % name)
        vpc.data_sgs.append((sg, port))
        if vpc.bastion is not None and engine != "redis":
            sg.group("tcp", port, port, vpc.bastion, "dba via bastion")
        sg.cidr("tcp", port, port, vpc.subnets["app"][0].cidr, "app subnet a")
        n = min(budget - used, rng.randint(1, 3))
        tier, public = "data", None
        if public_db:
            tier, public, n, public_db = "public", "amazon", 1, False
            sg.cidr("tcp", port, port, "0.0.0.0/0", "reporting vendor")
        for k in range(n):
            s = vpc.subnets[tier][k % len(vpc.subnets[tier])]
            if engine == "redis":
                desc, req = "ElastiCache %s-%03d-001" % (name, k + 1), "amazon-elasticache"
            else:
                desc, req = "RDSNetworkInterface", "amazon-rds"
            e = Eni(gen, vpc, s, [sg], desc, requester=req, attach={"owner": req}, public=public)
            gen.samples.append(("db", engine, e.id))
        used += n
        if used >= budget or rng.random() < 0.05:
            break
    for sg, _ in vpc.data_sgs:
        sg.pad(min(12, 5 + rng.randint(0, 4)))
    return used


def lambdas(gen, vpc, budget):
    rng = gen.rng
    used = 0
    while budget - used >= 1:
        name = "%s-%s" % (gen.word(), rng.choice(("etl", "cron", "webhook", "resize", "notify")))
        sg = Sg(gen, vpc, "lambda-%s" % name, "function %s" % name)
        sg.allow_all_out()
        for db_sg, port in vpc.data_sgs:
            if rng.random() < 0.3 and not db_sg.full():
                db_sg.group("tcp", port, port, sg, "from %s" % name)
        for k in range(min(budget - used, rng.randint(1, 3))):
            s = vpc.subnets["app"][k % 3]
            Eni(gen, vpc, s, [sg], "AWS Lambda VPC ENI-%s-%s" % (name, gen.ids.uuid()), "lambda",
                requester="AROA%s:%s" % (gen.ids.hexs(16).upper(), name), attach={"owner": "amazon-aws"})
            used += 1
    return used


def legacy_tier(gen, vpc, budget):
    """Plain EC2 application servers, some behind an ALB, some with a second
    interface in the data tier."""
    rng = gen.rng
    name = "%s-legacy" % gen.word()
    sg = Sg(gen, vpc, "app-%s" % name, "application servers %s" % name)
    sg.allow_all_out()
    if vpc.bastion is not None:
        sg.group("tcp", 22, 22, vpc.bastion)
    if vpc.monitoring is not None:
        sg.group("tcp", 9100, 9100, vpc.monitoring)
    for db_sg, port in vpc.data_sgs:
        if rng.random() < 0.4 and not db_sg.full():
            db_sg.group("tcp", port, port, sg)
    used = 0
    tg = None
    if budget >= 8 and rng.random() < 0.6:
        lb_sg = Sg(gen, vpc, "alb-%s" % name, "load balancer of %s" % name)
        internet = rng.random() < 0.4
        lb_sg.cidr("tcp", 443, 443, "0.0.0.0/0" if internet else vpc.cidr).allow_all_out()
        lb = LoadBalancer(gen, vpc, "application", "alb-%s" % name[-20:], internet, [lb_sg])
        used += len(lb.enis)
        sg.group("tcp", 8080, 8080, lb_sg, "from the load balancer")
        tg = TargetGroup(gen, lb, "tg-%s" % name[-25:], "HTTP", 8080, "instance")
        lb.listener(443, "HTTPS", tg)
    sg.pad(min(30, 5 + int(rng.expovariate(1 / 6.0))))
    while budget - used >= 1:
        two = budget - used >= 2 and rng.random() < 0.15
        s = vpc.subnet("app", rng)
        extra = [(vpc.subnet("data", rng), [sg], "interface")] if two else []
        iid, eni, _, running = instance(gen, vpc, s, [sg], name, role="app", extra=extra)
        used += 1 + len(extra)
        gen.samples.append(("instance", "app", eni.id))
        if tg is not None and running:
            tg.register(iid, 8080)
    return used


def shared_tools(gen, vpc):
    """The shared-services VPC's bastions, monitoring and VPN; these groups
    are referenced by the peered VPCs' groups. Returns interfaces used."""
    rng = gen.rng
    bastion = Sg(gen, vpc, "bastion", "ssh bastions")
    bastion.prefix_list("tcp", 22, 22, vpc.corp_pl, "offices").allow_all_out()
    bastion.cidr("tcp", 22, 22, "0.0.0.0/0", "temporary - incident 4711")
    mon = Sg(gen, vpc, "monitoring", "prometheus and grafana")
    mon.prefix_list("tcp", 3000, 3000, vpc.corp_pl, "grafana").prefix_list("tcp", 9090, 9090, vpc.corp_pl)
    mon.allow_all_out()
    vpn = Sg(gen, vpc, "vpn", "openvpn")
    vpn.cidr("udp", 1194, 1194, "0.0.0.0/0").cidr("tcp", 443, 443, "0.0.0.0/0").allow_all_out()
    vpc.bastion, vpc.monitoring = bastion, mon
    used = 0
    for k in range(2):
        instance(gen, vpc, vpc.subnets["public"][k], [bastion], "bastion-%d" % k, public="eip",
                 role="bastion", itype="t3.micro")
        used += 1
    for k in range(3):
        instance(gen, vpc, vpc.subnets["app"][k], [mon], "prometheus-%d" % k, role="monitoring")
        used += 1
    instance(gen, vpc, vpc.subnets["public"][0], [vpn], "openvpn", public="eip", role="vpn",
             source_dest_check=False)
    used += 1
    bastion.pad(8)
    mon.pad(6)
    return used


def default_vpc(gen, vpc, budget):
    """Instances someone launched by hand in the default VPC with the
    console's launch-wizard groups (ssh, sometimes RDP, open to the world)."""
    rng = gen.rng
    vpc.default_sg.pad(5)
    wizards = []
    for k in range(rng.randint(1, 3)):
        sg = Sg(gen, vpc, "launch-wizard-%d" % (k + 1), "launch-wizard-%d created %s" % (k + 1, gen.timestamp()))
        sg.cidr("tcp", 22, 22, "0.0.0.0/0").allow_all_out()
        if k == 1:
            sg.cidr("tcp", 3389, 3389, "0.0.0.0/0")
        if k == 2:
            sg.cidr("tcp", 80, 80, "0.0.0.0/0").cidr("tcp", 443, 443, "0.0.0.0/0")
        wizards.append(sg)
    for k in range(budget):
        s = vpc.subnets["public"][k % 3]
        groups = [rng.choice(wizards)] if rng.random() < 0.8 else [vpc.default_sg]
        _, eni, _, _ = instance(gen, vpc, s, groups, "test-%d" % k, public="amazon", role="adhoc")
        gen.samples.append(("instance", "adhoc", eni.id))
    return budget
