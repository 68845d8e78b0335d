"""ECS workloads: clusters of EC2 container instances running bridge and
host-mode tasks (and awsvpc tasks on trunk branch interfaces), and Fargate
clusters of awsvpc services, each behind ALBs and NLBs or none."""

from .compute import Cluster, TaskDef, instance
from .elb import LoadBalancer, TargetGroup
from .enis import Eni
from .groups import Sg

ROLES = ("api", "web", "worker", "gateway", "auth", "search", "billing", "events", "render", "ingest")
PORTS = (8080, 8080, 8080, 3000, 5000, 8000, 9000, 80)
ECS_ACCOUNT = "578734482556"   # the account ECS creates task interfaces from


def _rules(gen):
    """How many rules a group ends up with: mostly 5-12, a tail up to 30."""
    return min(30, 5 + int(gen.rng.expovariate(1 / 5.0)))


def _use_data(gen, vpc, sg):
    """Lets a workload's group in to some of the VPC's databases and caches."""
    for db_sg, port in vpc.data_sgs:
        if gen.rng.random() < 0.35 and not db_sg.full():
            db_sg.group("tcp", port, port, sg, "from %s" % sg.name)


def _base_ingress(gen, vpc, sg):
    if vpc.bastion is not None:
        sg.group("tcp", 22, 22, vpc.bastion, "ssh from bastion")
    else:
        sg.prefix_list("tcp", 22, 22, vpc.corp_pl, "ssh from offices")


def ec2_cluster(gen, vpc, budget, edge=False):
    """A cluster of container instances; returns the interfaces it used."""
    rng = gen.rng
    has_public = "public" in vpc.subnets
    # The first NLB-fronted cluster runs on public hosts (no NAT needed, a
    # common shortcut): its opened host group then exposes every bridge task.
    forced = has_public and not edge and gen.force("nlb-bridge")
    with_nlb = forced or (has_public and not edge and rng.random() < 0.3)
    public_hosts = edge or forced
    trunk = not edge and rng.random() < 0.3
    branches = rng.randint(1, 3) if trunk else 0
    lb_enis = (0 if edge else 3) + (3 if with_nlb else 0)
    per_host = 1 + (1 + branches if trunk else 0)
    hosts = min(rng.randint(3, 40) if not edge else rng.randint(2, 4), (budget - lb_enis) // per_host)
    if hosts < 2:
        return 0
    name = "%s-%s%s" % (vpc.name, gen.word(), "-edge" if edge else "")
    cl = Cluster(gen, vpc, name)
    host_sg = Sg(gen, vpc, "ecs-%s-hosts" % name, "ECS container instances of %s" % name)
    host_sg.allow_all_out()
    _base_ingress(gen, vpc, host_sg)
    if vpc.monitoring is not None:
        host_sg.group("tcp", 9100, 9100, vpc.monitoring, "node exporter")
    alb = None
    if not edge:
        alb_sg = Sg(gen, vpc, "alb-%s" % name, "load balancer of %s" % name)
        internet = has_public and rng.random() < 0.6
        if internet:
            alb_sg.cidr("tcp", 443, 443, "0.0.0.0/0").cidr("tcp", 80, 80, "0.0.0.0/0")
        else:
            alb_sg.cidr("tcp", 443, 443, vpc.cidr).prefix_list("tcp", 443, 443, vpc.corp_pl)
        alb_sg.group("tcp", 32768, 65535, host_sg, "to container instances", egress=True)
        alb = LoadBalancer(gen, vpc, "application", "alb-%s" % name[-20:], internet, [alb_sg])
        host_sg.group("tcp", 32768, 65535, alb_sg, "dynamic ports from the load balancer")
    nlb = None
    if with_nlb:
        nlb = LoadBalancer(gen, vpc, "network", "nlb-%s" % name[-20:], True, [])
        # Instance targets of an NLB see the clients' addresses: the usual fix opens the
        # whole dynamic range to the world, for every task on these hosts.
        host_sg.cidr("tcp", 32768, 65535, "0.0.0.0/0", "nlb targets")
    tier = "public" if public_hosts else "app"
    trunk_sg = Sg(gen, vpc, "ecs-%s-trunk" % name, "trunk") if trunk else None
    if trunk_sg:
        trunk_sg.allow_all_out()
    for k in range(hosts):
        s = vpc.subnets[tier][k % len(vpc.subnets[tier])]
        extra = [(s, [trunk_sg], "trunk")] if trunk else []
        iid, eni, others, running = instance(gen, vpc, s, [host_sg], "ecs-%s" % name, public="amazon" if public_hosts else None,
                                             role="ecs", extra=extra, cluster=name)
        cl.container_instance(iid, eni, others[0] if others else None)
    # Every host runs the node exporter in host mode.
    td = TaskDef(gen, vpc, "%s-node-exporter" % name, "host", [("node-exporter", [(9100, 9100, "tcp")])], False)
    svc = cl.service("node-exporter", td, daemon=True)
    for h in cl.hosts:
        cl.task(svc, host=h)
    if edge:
        host_sg.cidr("tcp", 80, 80, "0.0.0.0/0").cidr("tcp", 443, 443, "0.0.0.0/0")
        td = TaskDef(gen, vpc, "%s-nginx" % name, "host", [("nginx", [(80, 80, "tcp"), (443, 443, "tcp")])], False)
        svc = cl.service("nginx", td, daemon=True)
        for h in cl.hosts:
            cl.task(svc, host=h)
    n_services = 0 if edge else rng.randint(1, 5)
    first_tg = None
    for i in range(n_services):
        role = rng.choice(ROLES)
        sname = "%s-%s-%d" % (gen.word(), role, i)
        cport = rng.choice(PORTS)
        containers = [("app", [(cport, 0, "tcp")])]
        if rng.random() < 0.3:
            containers.append(("metrics", [(9090, 0, "tcp")]))
        if role == "worker":
            containers = [("app", [])]
        td = TaskDef(gen, vpc, sname, "bridge", containers, False)
        tg = None
        if role != "worker":
            tg = TargetGroup(gen, alb, "tg-%s" % sname[-25:], "HTTP", 80, "instance")
            if first_tg is None:
                first_tg = tg
        svc = cl.service(sname, td, lbs=[(tg, "app", cport)] if tg else [])
        _use_data(gen, vpc, host_sg)
        start = rng.randrange(hosts)
        for k in range(rng.randint(max(1, hosts // 2), 2 * hosts)):
            h = cl.hosts[(start + k) % hosts]
            _, binds = cl.task(svc, host=h)
            for cname, cp, hp, proto in binds:
                if tg is not None and cname == "app":
                    tg.register(h["iid"], hp)
    if alb is not None:
        if first_tg is None:
            first_tg = TargetGroup(gen, alb, "tg-%s-default" % name[-18:], "HTTP", 80, "instance")
        alb.listener(443, "HTTPS", first_tg)
        alb.listener(80, "HTTP", redirect=True)
    if nlb is not None:
        sname = "%s-tcp" % gen.word()
        td = TaskDef(gen, vpc, sname, "bridge", [("app", [(7000, 0, "tcp")])], False)
        tg = TargetGroup(gen, nlb, "tg-%s" % sname, "TCP", 7000, "instance")
        svc = cl.service(sname, td, lbs=[(tg, "app", 7000)])
        for h in cl.hosts:
            _, binds = cl.task(svc, host=h)
            for cname, cp, hp, proto in binds:
                tg.register(h["iid"], hp)
        nlb.listener(443, "TCP", tg)
    if trunk:
        sname = "%s-awsvpc-ec2" % gen.word()
        sg = Sg(gen, vpc, "svc-%s" % sname, "awsvpc tasks on EC2")
        sg.allow_all_out()
        sg.cidr("tcp", 8080, 8080, vpc.cidr, "from the vpc")
        _base_ingress(gen, vpc, sg)
        sg.pad(_rules(gen))
        td = TaskDef(gen, vpc, sname, "awsvpc", [("app", [(8080, 8080, "tcp")])], False)
        svc = cl.service(sname, td, awsvpc=(vpc.subnets["app"], [sg], False))
        for h in cl.hosts:
            for _ in range(branches):
                att = gen.ids.uuid()
                e = Eni(gen, vpc, h["eni"].subnet, [sg],
                        "arn:aws:ecs:%s:%s:attachment/%s" % (vpc.region, vpc.account, att), "branch",
                        requester=ECS_ACCOUNT)
                cl.task(svc, host=h, eni=e, att=att)
    host_sg.pad(_rules(gen))
    cl.finish()
    return hosts * per_host + lb_enis


def fargate_cluster(gen, vpc, budget, max_services=25):
    """A Fargate cluster of services with their own groups; returns the
    interfaces used (never more than `budget`)."""
    rng = gen.rng
    if budget < 1:
        return 0
    name = "%s-%s-fargate" % (vpc.name, gen.word())
    cl = Cluster(gen, vpc, name)
    has_public = "public" in vpc.subnets
    used = 0
    alb = alb_sg = first_tg = None
    if budget >= 12:
        internet = has_public and rng.random() < 0.5
        alb_sg = Sg(gen, vpc, "alb-%s" % name, "load balancer of %s" % name)
        if internet:
            alb_sg.cidr("tcp", 443, 443, "0.0.0.0/0").cidr("tcp", 80, 80, "0.0.0.0/0")
        else:
            alb_sg.cidr("tcp", 443, 443, vpc.cidr).cidr("tcp", 443, 443, "10.0.0.0/16", "shared services")
        alb = LoadBalancer(gen, vpc, "application", "alb-%s" % name[-20:], internet, [alb_sg])
        open_egress = rng.random() < 0.5
        if open_egress:
            alb_sg.allow_all_out()
        if alb.dualstack:
            alb_sg.cidr("tcp", 443, 443, "::/0")
        used += len(alb.enis)
    sgs = []
    for i in range(rng.randint(3, max_services)):
        left = budget - used
        if left <= 0:
            break
        role = rng.choice(ROLES)
        sname = "%s-%s" % (gen.word(), role)
        cport = rng.choice(PORTS)
        tasks = min(left, rng.choice((1, 2, 2, 3, 3, 4, 4, 6, 8, 12, 20, 40)))
        sg = Sg(gen, vpc, "svc-%s" % sname, "service %s" % sname, tags=None)
        public = has_public and rng.random() < 0.05
        subnets = vpc.subnets["public" if public else "app"]
        lbs = []
        kind = rng.random()
        if alb is not None and kind < 0.6 and role != "worker":
            tg = TargetGroup(gen, alb, "tg-%s" % sname[-25:], "HTTP", cport, "ip")
            lbs.append((tg, "app", cport))
            sg.group("tcp", cport, cport, alb_sg, "from the load balancer")
            if not open_egress:
                alb_sg.group("tcp", cport, cport, sg, egress=True)
            first_tg = first_tg or tg
        elif kind < 0.7 and left - tasks >= 3 and role != "worker":
            with_sg = rng.random() < 0.5
            nlb_sg = None
            internet = has_public and rng.random() < 0.5
            if with_sg:
                nlb_sg = Sg(gen, vpc, "nlb-%s" % sname, "nlb of %s" % sname)
                nlb_sg.cidr("tcp", 443, 443, "0.0.0.0/0" if internet else vpc.cidr)
                nlb_sg.allow_all_out()
            nlb = LoadBalancer(gen, vpc, "network", "nlb-%s" % sname[-20:], internet,
                               [nlb_sg] if nlb_sg else [])
            used += len(nlb.enis)
            tg = TargetGroup(gen, nlb, "tg-%s" % sname[-25:], "TCP", cport, "ip")
            nlb.listener(443, "TLS" if rng.random() < 0.5 else "TCP", tg)
            lbs.append((tg, "app", cport))
            if nlb_sg is not None:
                sg.group("tcp", cport, cport, nlb_sg, "from the nlb")
            elif tg.preserve and internet:
                sg.cidr("tcp", cport, cport, "0.0.0.0/0", "nlb clients")
            else:
                sg.cidr("tcp", cport, cport, vpc.cidr, "nlb nodes and health checks")
            tasks = min(tasks, budget - used)
        for other in rng.sample(sgs, min(len(sgs), rng.randint(0, 3))):
            sg.group("tcp", cport, cport, other, "from %s" % other.name[4:])
        if rng.random() < 0.8:
            sg.allow_all_out()
        else:
            sg.cidr("tcp", 443, 443, "0.0.0.0/0", egress=True)
            sg.prefix_list("tcp", 443, 443, vpc.s3_pl, egress=True)
            sg.cidr("udp", 53, 53, vpc.cidr, egress=True)
            for db_sg, port in vpc.data_sgs[:2]:
                sg.group("tcp", port, port, db_sg, egress=True)
        _use_data(gen, vpc, sg)
        sg.pad(_rules(gen))
        sgs.append(sg)
        containers = [("app", [(cport, cport, "tcp")] if role != "worker" else [])]
        if rng.random() < 0.2:
            containers.append(("envoy", [(15000, 15000, "tcp")]))
        td = TaskDef(gen, vpc, sname, "awsvpc", containers, True)
        svc = cl.service(sname, td, lbs=lbs, awsvpc=(subnets, [sg], public))
        for k in range(tasks):
            s = subnets[(i + k) % len(subnets)]
            att = gen.ids.uuid()
            e = Eni(gen, vpc, s, [sg], "arn:aws:ecs:%s:%s:attachment/%s" % (vpc.region, vpc.account, att),
                    requester=ECS_ACCOUNT, attach={"owner": ECS_ACCOUNT}, public="amazon" if public else None)
            cl.task(svc, eni=e, att=att)
            for tg, _, port in lbs:
                tg.register(e.ip, port, s.az)
        used += tasks
    if alb is not None:
        if first_tg is None:
            first_tg = TargetGroup(gen, alb, "tg-%s-default" % name[-18:], "HTTP", 8080, "ip")
        alb.listener(443, "HTTPS", first_tg)
        alb.listener(80, "HTTP", redirect=True)
    cl.finish()
    return used
