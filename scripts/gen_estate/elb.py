"""Application and network load balancers: their interfaces, listeners,
target groups, registered targets (describe-target-health wrappers) and
target-group attributes (describe-target-group-attributes wrappers)."""

from .core import tags
from .enis import Eni

ELB_ZONE = {"us-east-1": ("Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"), "eu-west-1": ("Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F")}


class TargetGroup:
    def __init__(self, gen, lb, name, protocol, port, target_type):
        self.gen = gen
        self.lb = lb
        self.vpc = lb.vpc
        self.name = gen.unique((lb.vpc.account, lb.vpc.region, "tg"), name, 32)
        self.protocol = protocol
        self.port = port
        self.target_type = target_type
        self.arn = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s" % (
            lb.vpc.region, lb.vpc.account, self.name, gen.ids.hexs(16))
        self.targets = []
        self.preserve = None
        if lb.type == "network" and target_type == "ip":
            self.preserve = gen.rng.random() < 0.4
        lb.tgs.append(self)

    def register(self, target_id, port, az=None):
        self.targets.append((target_id, port, az))

    def write(self):
        gen, vpc = self.gen, self.vpc
        acct, region = vpc.account, vpc.region
        http = self.protocol in ("HTTP", "HTTPS")
        doc = {"TargetGroupArn": self.arn, "TargetGroupName": self.name, "Protocol": self.protocol,
               "Port": self.port, "VpcId": vpc.id,
               "HealthCheckProtocol": "HTTP" if http else "TCP", "HealthCheckPort": "traffic-port",
               "HealthCheckEnabled": True, "HealthCheckIntervalSeconds": 30,
               "HealthCheckTimeoutSeconds": 5 if http else 10, "HealthyThresholdCount": 5 if http else 3,
               "UnhealthyThresholdCount": 2 if http else 3}
        if http:
            doc["HealthCheckPath"] = "/health"
            doc["Matcher"] = {"HttpCode": "200"}
        doc.update({"LoadBalancerArns": [self.lb.arn], "TargetType": self.target_type,
                    "IpAddressType": "ipv4"})
        if http:
            doc["ProtocolVersion"] = "HTTP1"
        gen.out.item(acct, region, "elbv2-describe-target-groups", "TargetGroups", doc)
        health = []
        for target_id, port, az in self.targets:
            t = {"Id": target_id, "Port": port}
            if az:
                t["AvailabilityZone"] = az
            state = "healthy" if gen.rng.random() < 0.95 else "unhealthy"
            th = {"State": state}
            if state == "unhealthy":
                th.update({"Reason": "Target.FailedHealthChecks", "Description": "Health checks failed"})
            health.append({"Target": t, "HealthCheckPort": str(port), "TargetHealth": th})
        gen.out.document(acct, region, "elbv2-describe-target-health",
                         {"TargetGroupArn": self.arn, "TargetHealthDescriptions": health})
        if gen.rng.random() < 0.03:
            return  # some collections miss a group's attributes: defaults apply
        if self.lb.type == "application":
            attrs = [("stickiness.enabled", "false"), ("deregistration_delay.timeout_seconds", "300"),
                     ("stickiness.type", "lb_cookie"), ("stickiness.lb_cookie.duration_seconds", "86400"),
                     ("slow_start.duration_seconds", "0"), ("load_balancing.algorithm.type", "round_robin")]
        else:
            preserve = self.preserve if self.preserve is not None else True
            attrs = [("proxy_protocol_v2.enabled", "false"), ("preserve_client_ip.enabled", str(preserve).lower()),
                     ("stickiness.enabled", "false"), ("deregistration_delay.timeout_seconds", "300"),
                     ("stickiness.type", "source_ip"), ("deregistration_delay.connection_termination.enabled", "false")]
        gen.out.document(acct, region, "elbv2-describe-target-group-attributes",
                         {"TargetGroupArn": self.arn,
                          "Attributes": [{"Key": k, "Value": v} for k, v in attrs]})


class LoadBalancer:
    """`kind` is "application" or "network"; internet-facing ones sit in the
    public subnets, internal ones in the application subnets."""

    def __init__(self, gen, vpc, kind, name, internet, groups, zones=3):
        self.gen = gen
        self.vpc = vpc
        self.type = kind
        self.name = gen.unique((vpc.account, vpc.region, "lb"), name, 32)
        self.internet = internet and "public" in vpc.subnets
        self.groups = groups
        short = "app" if kind == "application" else "net"
        lb_id = gen.ids.hexs(16)
        self.arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/%s/%s/%s" % (
            vpc.region, vpc.account, short, self.name, lb_id)
        self.tgs = []
        self.listeners = []
        tier = "public" if self.internet else "app"
        self.enis = []
        dualstack = bool(vpc.ipv6) and kind == "application" and self.internet
        self.dualstack = dualstack
        for s in vpc.subnets[tier][:zones]:
            public = "amazon-elb" if self.internet else None
            if kind == "network" and self.internet and gen.rng.random() < 0.3:
                public = "eip"
            e = Eni(gen, vpc, s, groups, "ELB %s/%s/%s" % (short, self.name, lb_id),
                    "interface" if kind == "application" else "network_load_balancer",
                    requester="amazon-elb", attach={"owner": "amazon-elb"}, public=public,
                    ipv6=dualstack)
            self.enis.append(e)
        vpc.lbs.append(self)
        gen.samples.append(("lb", kind, "lb:%s" % self.name))

    def listener(self, port, protocol, tg=None, redirect=False):
        self.listeners.append((port, protocol, tg, redirect))

    def write(self):
        gen, vpc = self.gen, self.vpc
        acct, region = vpc.account, vpc.region
        zones = []
        for e in self.enis:
            z = {"ZoneName": e.subnet.az, "SubnetId": e.subnet.id}
            if self.type == "network":
                addr = {}
                if e.public_ip:
                    addr["IpAddress"] = e.public_ip
                    if "AllocationId" in e.doc.get("Association", {}):
                        addr["AllocationId"] = e.doc["Association"]["AllocationId"]
                addr["PrivateIPv4Address"] = e.ip
                z["LoadBalancerAddresses"] = [addr]
            else:
                z["LoadBalancerAddresses"] = []
            zones.append(z)
        zone_id = ELB_ZONE[region][0 if self.type == "application" else 1]
        doc = {"LoadBalancerArn": self.arn,
               "DNSName": "%s%s-%d.%s.elb.amazonaws.com" % ("" if self.internet else "internal-",
                                                           self.name, gen.rng.randint(10**8, 10**10), region),
               "CanonicalHostedZoneId": zone_id, "CreatedTime": gen.timestamp(),
               "LoadBalancerName": self.name,
               "Scheme": "internet-facing" if self.internet else "internal",
               "VpcId": vpc.id, "State": {"Code": "active"}, "Type": self.type,
               "AvailabilityZones": zones}
        if self.groups:
            doc["SecurityGroups"] = [g.id for g in self.groups]
        doc["IpAddressType"] = "dualstack" if self.dualstack else "ipv4"
        if self.type == "network" and self.groups:
            doc["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] = "on"
        gen.out.item(acct, region, "elbv2-describe-load-balancers", "LoadBalancers", doc)
        lb_path = self.arn.split(":loadbalancer/")[1]
        for port, protocol, tg, redirect in self.listeners:
            arn = "arn:aws:elasticloadbalancing:%s:%s:listener/%s/%s" % (
                region, acct, lb_path, gen.ids.hexs(16))
            if redirect:
                actions = [{"Type": "redirect", "Order": 1, "RedirectConfig": {
                    "Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}",
                    "Query": "#{query}", "StatusCode": "HTTP_301"}}]
            else:
                actions = [{"Type": "forward", "TargetGroupArn": tg.arn, "Order": 1, "ForwardConfig": {
                    "TargetGroups": [{"TargetGroupArn": tg.arn, "Weight": 1}],
                    "TargetGroupStickinessConfig": {"Enabled": False}}}]
            ldoc = {"ListenerArn": arn, "LoadBalancerArn": self.arn, "Port": port, "Protocol": protocol}
            if protocol in ("HTTPS", "TLS"):
                ldoc["Certificates"] = [{"CertificateArn": "arn:aws:acm:%s:%s:certificate/%s" % (
                    region, acct, gen.ids.uuid())}]
                ldoc["SslPolicy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06"
            ldoc["DefaultActions"] = actions
            gen.out.item(acct, region, "elbv2-describe-listeners", "Listeners", ldoc)
        for tg in self.tgs:
            tg.write()
