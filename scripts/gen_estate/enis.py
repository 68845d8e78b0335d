"""Network interfaces in the two shapes the CLI prints them:
describe-network-interfaces items, and the per-instance copies inside
describe-instances."""

from .core import PublicPool, private_dns


def mac(rng):
    return "0%s:%s" % (rng.choice("26ae"), ":".join("%02x" % rng.randint(0, 255) for _ in range(5)))


class Eni:
    """One interface; `doc` is its describe-network-interfaces item."""

    def __init__(self, gen, vpc, subnet, groups, description="", itype="interface",
                 requester=None, attach=None, public=None, ipv6=False, extra_ips=0,
                 source_dest_check=True, tagset=None, write=True):
        rng = gen.rng
        self.id = gen.ids.make("eni-")
        self.vpc = vpc
        self.subnet = subnet
        self.ip = subnet.alloc.take()
        self.public_ip = None
        self.ipv6 = None
        self.attach = attach
        self.groups = groups
        assoc = None
        if public:
            self.public_ip = gen.public.take()
            assoc = {"IpOwnerId": vpc.account if public == "eip" else public,
                     "PublicDnsName": PublicPool.dns(self.public_ip, vpc.region),
                     "PublicIp": self.public_ip}
            if public == "eip":
                assoc = {"AllocationId": gen.ids.make("eipalloc-"),
                         "AssociationId": gen.ids.make("eipassoc-"), **assoc}
        ips = [{"Primary": True, "PrivateDnsName": private_dns(self.ip, vpc.region),
                "PrivateIpAddress": self.ip}]
        if assoc:
            ips[0] = {"Association": assoc, **ips[0]}
        for _ in range(extra_ips):
            ip = subnet.alloc.take()
            ips.append({"Primary": False, "PrivateDnsName": private_dns(ip, vpc.region),
                        "PrivateIpAddress": ip})
        v6 = []
        if ipv6 and subnet.cidr6:
            self.ipv6 = subnet.cidr6.replace("::/64", "::%x:%x" % (rng.randint(1, 0xffff), rng.randint(1, 0xffff)))
            v6 = [{"Ipv6Address": self.ipv6, "IsPrimaryIpv6": False}]
        doc = {}
        if assoc:
            doc["Association"] = assoc
        if attach is not None:
            a = {"AttachTime": gen.timestamp(), "AttachmentId": gen.ids.make("eni-attach-"),
                 "DeleteOnTermination": attach.get("device", 1) == 0 or "instance" not in attach,
                 "DeviceIndex": attach.get("device", 1)}
            if "instance" in attach:
                a["InstanceId"] = attach["instance"]
            a["InstanceOwnerId"] = attach.get("owner", vpc.account)
            a["Status"] = "attached"
            a["NetworkCardIndex"] = 0
            doc["Attachment"] = a
        doc.update({
            "AvailabilityZone": subnet.az,
            "Description": description,
            "Groups": [{"GroupName": g.name, "GroupId": g.id} for g in groups],
            "InterfaceType": itype,
            "Ipv6Addresses": v6,
            "MacAddress": mac(rng),
            "NetworkInterfaceId": self.id,
            "OwnerId": vpc.account,
            "PrivateDnsName": private_dns(self.ip, vpc.region),
            "PrivateIpAddress": self.ip,
            "PrivateIpAddresses": ips,
            "Ipv4Prefixes": [],
        })
        if requester:
            doc["RequesterId"] = requester
        doc["RequesterManaged"] = bool(requester) and requester != vpc.account
        doc["SourceDestCheck"] = source_dest_check
        doc["Status"] = "in-use" if attach is not None or itype == "branch" else "available"
        doc["SubnetId"] = subnet.id
        doc["TagSet"] = tagset or []
        doc["VpcId"] = vpc.id
        if v6:
            doc["DenyAllIgwTraffic"] = False
        self.doc = doc
        gen.n_enis += 1
        if write:
            gen.out.item(vpc.account, vpc.region, "ec2-describe-network-interfaces",
                         "NetworkInterfaces", doc)

    def instance_copy(self):
        """The ENI as describe-instances prints it inside an instance."""
        d = self.doc
        out = {}
        for k in ("Association", "Attachment", "Description", "Groups", "Ipv6Addresses",
                  "MacAddress", "NetworkInterfaceId", "OwnerId", "PrivateDnsName",
                  "PrivateIpAddress", "PrivateIpAddresses", "SourceDestCheck", "Status",
                  "SubnetId", "VpcId", "InterfaceType"):
            if k in d:
                out[k] = d[k]
        return out
