#!/usr/bin/env python3
"""Writes the Batfish overlays of tests/bad-input (bf-*.json): each a copy of one
file of a Batfish snapshot in tests/corpus/batfish-aws with one field of the
wrong type (issue 16). VERDICTS.tsv names the snapshot as the base estate and
the file each overlay stands in for. Run from the checkout's root."""
import copy, json, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/bad-input"
TGW = "tests/corpus/batfish-aws/test-transit-gateway/aws_configs"
LB = "tests/corpus/batfish-aws/test-load-balancer/aws_configs"
ATT_A, ATT_B = "tgw-attach-07f5ec59e9f540021", "tgw-attach-0ae2696617bb06fb4"


def load(base, name):
    with open(f"{base}/{name}") as f:
        return json.load(f)


def write(name, doc):
    with open(f"{OUT}/{name}", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def damaged(base, name, key, match, change):
    """The file with `change` applied to the element of doc[key] that `match` picks."""
    doc = copy.deepcopy(load(base, name))
    for el in doc[key]:
        if match(el):
            change(el)
    return doc


def att(att_id):
    return lambda el: el.get("TransitGatewayAttachmentId") == att_id


def static_route(**kw):
    r = {"DestinationCidrBlock": "192.168.1.0/24", "State": "active", "Type": "static",
         "TransitGatewayAttachments": [{"ResourceId": "vpc-00a31ce9d0c06675c", "ResourceType": "vpc",
                                        "TransitGatewayAttachmentId": ATT_B}]}
    r.update(kw)
    return r


def routes(value):
    return damaged(TGW, "TransitGatewayStaticRoutes.json", "TransitGatewayStaticRoutes", lambda el: True,
                   lambda el: el.update(Routes=value))


# VPC A's attachment: its association with the TGW route table is a string
write("bf-tgw-association-string.json",
      damaged(TGW, "TransitGatewayAttachments.json", "TransitGatewayAttachments", att(ATT_A),
              lambda el: el.update(Association="tgw-rtb-0fa40c8df355dce6e")))
# VPC A's attachment: its subnets (only us-east-2c's) are an object
write("bf-tgw-subnets-object.json",
      damaged(TGW, "TransitGatewayVpcAttachments.json", "TransitGatewayVpcAttachments", att(ATT_A),
              lambda el: el.update(SubnetIds={"SubnetId": "subnet-006a19c846f047bd7"})))
# VPC B's attachment in both of its descriptions: its VPC is a number
both = damaged(TGW, "TransitGatewayAttachments.json", "TransitGatewayAttachments", att(ATT_B),
               lambda el: el.update(ResourceId=5))
both.update(damaged(TGW, "TransitGatewayVpcAttachments.json", "TransitGatewayVpcAttachments", att(ATT_B),
                    lambda el: el.update(VpcId=5)))
write("bf-tgw-vpc-number.json", both)
# the static routes of the TGW route table (none in the snapshot)
write("bf-tgw-routes-object.json", routes({"DestinationCidrBlock": "192.168.1.0/24", "State": "blackhole"}))
write("bf-tgw-route-cidr-number.json", routes([static_route(DestinationCidrBlock=3232235776, State="blackhole")]))
write("bf-tgw-route-state-number.json", routes([static_route(State=1)]))
write("bf-tgw-route-attachments-object.json",
      routes([static_route(TransitGatewayAttachments={"TransitGatewayAttachmentId": ATT_B})]))
# the load balancer's target group: its target health list is an object
write("bf-lb-targets-object.json",
      damaged(LB, "LoadBalancerTargetHealth.json", "LoadBalancerTargetHealth", lambda el: True,
              lambda el: el.update(TargetHealthDescriptions=el["TargetHealthDescriptions"][0])))
