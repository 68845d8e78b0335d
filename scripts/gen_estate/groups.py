"""Security groups as describe-security-groups prints them: permissions merged
per (protocol, ports) the way AWS groups them, sources of every kind, and the
padding rules real groups accumulate (offices, partners, monitoring, peers)."""

PROTO = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "all": "-1"}


class Sg:
    def __init__(self, gen, vpc, name, description, tags=None):
        self.gen = gen
        self.vpc = vpc
        self.id = gen.ids.make("sg-")
        self.name = gen.unique((vpc.id, "sg"), name, 255)
        self.description = description
        self.tags = tags or []
        self.perms = {}  # (egress, proto, from, to) -> permission dict
        self.order = []
        self.n_rules = 0
        vpc.sgs.append(self)

    def _perm(self, egress, proto, lo, hi):
        proto = PROTO.get(proto, proto)
        if proto == "-1":
            lo = hi = None
        key = (egress, proto, lo, hi)
        perm = self.perms.get(key)
        if perm is None:
            perm = {}
            if lo is not None:
                perm["FromPort"] = lo
            perm["IpProtocol"] = proto
            perm["IpRanges"] = []
            perm["Ipv6Ranges"] = []
            perm["PrefixListIds"] = []
            if hi is not None:
                perm["ToPort"] = hi
            perm["UserIdGroupPairs"] = []
            self.perms[key] = perm
            self.order.append(key)
        return perm

    def cidr(self, proto, lo, hi, cidr, desc=None, egress=False):
        perm = self._perm(egress, proto, lo, hi)
        if ":" in cidr:
            entry = {"CidrIpv6": cidr}
            target = perm["Ipv6Ranges"]
        else:
            entry = {"CidrIp": cidr}
            target = perm["IpRanges"]
        if desc:
            entry["Description"] = desc
        if entry not in target and not any(e.get("CidrIp", e.get("CidrIpv6")) == cidr for e in target):
            target.append(entry)
            self.n_rules += 1
        return self

    def prefix_list(self, proto, lo, hi, pl_id, desc=None, egress=False):
        perm = self._perm(egress, proto, lo, hi)
        if any(e["PrefixListId"] == pl_id for e in perm["PrefixListIds"]):
            return self
        entry = {"PrefixListId": pl_id}
        if desc:
            entry["Description"] = desc
        perm["PrefixListIds"].append(entry)
        self.n_rules += 1
        return self

    def group(self, proto, lo, hi, other, desc=None, egress=False):
        """A reference to `other`, across a peering when it lives in another VPC."""
        perm = self._perm(egress, proto, lo, hi)
        if any(e["GroupId"] == other.id for e in perm["UserIdGroupPairs"]):
            return self
        entry = {}
        if desc:
            entry["Description"] = desc
        entry["GroupId"] = other.id
        if other.vpc is not self.vpc:
            pcx = self.vpc.peering_with(other.vpc)
            if pcx is None or other.vpc.region != self.vpc.region:
                return self  # AWS refuses references without a same-region peering
            entry["PeeringStatus"] = "active"
        entry["UserId"] = other.vpc.account
        if other.vpc is not self.vpc:
            entry["VpcId"] = other.vpc.id
            entry["VpcPeeringConnectionId"] = pcx
        perm["UserIdGroupPairs"].append(entry)
        self.n_rules += 1
        return self

    def full(self, limit=28):
        """Real groups stay well under the 60-rule quota; past `limit` a
        group takes no more references."""
        return self.n_rules >= limit

    def allow_all_out(self):
        self.cidr("all", None, None, "0.0.0.0/0", egress=True)
        if self.vpc.ipv6:
            self.cidr("all", None, None, "::/0", egress=True)
        return self

    def pad(self, target):
        """Adds the rules real groups collect over the years until the group has
        `target` rules: office ranges, partner addresses, monitoring, peers."""
        gen, vpc, rng = self.gen, self.vpc, self.gen.rng
        tries = 0
        while self.n_rules < target and tries < 4 * target:
            tries += 1
            kind = rng.random()
            if kind < 0.25:
                self.cidr("tcp", 443, 443, "%s/32" % gen.public.take(),
                          "partner %s" % gen.word(), egress=False)
            elif kind < 0.4:
                self.prefix_list("tcp", 22, 22, vpc.corp_pl, "corp offices ssh")
            elif kind < 0.55 and vpc.monitoring is not None:
                port = rng.choice([9100, 9090, 8080, 9113, 9187])
                self.group("tcp", port, port, vpc.monitoring, "prometheus scrape")
            elif kind < 0.65:
                self.cidr("icmp", -1, -1, vpc.cidr, "ping from vpc")
            elif kind < 0.8 and vpc.peers:
                peer = rng.choice(vpc.peers)
                lo = rng.choice([8080, 8443, 9000, 3000])
                self.cidr("tcp", lo, lo + rng.choice([0, 0, 10]), peer.cidr,
                          "from %s" % peer.name)
            elif kind < 0.9:
                net = "10.%d.%d.0/24" % (rng.randint(200, 250), rng.randint(0, 255))
                self.cidr("tcp", 22, 22, net, "vpn users")
            else:
                self.prefix_list("tcp", 443, 443, vpc.corp_pl, "corp offices https")
        return self

    def aws(self):
        ingress = [self.perms[k] for k in self.order if not k[0]]
        egress = [self.perms[k] for k in self.order if k[0]]
        doc = {
            "Description": self.description,
            "GroupName": self.name,
            "IpPermissions": ingress,
            "OwnerId": self.vpc.account,
            "GroupId": self.id,
            "IpPermissionsEgress": egress,
        }
        if self.tags:
            doc["Tags"] = self.tags
        doc["VpcId"] = self.vpc.id
        return doc


def default_group(gen, vpc):
    sg = Sg(gen, vpc, "default", "default VPC security group")
    sg.group("all", None, None, sg)
    sg.allow_all_out()
    return sg
