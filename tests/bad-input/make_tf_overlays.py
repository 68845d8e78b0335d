#!/usr/bin/env python3
"""Writes the Terraform plan overlays of tests/bad-input (tf-*.json): each a
`terraform show -json` plan that changes one object of a live estate with one
field of the wrong type (issue 16). Run from the checkout's root."""
import json, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/bad-input"
RDS_SG, APP_SG, VPC = "sg-00b61a4c10421c5b0", "sg-027c93587db540456", "vpc-022f3e4dd8db3bb64"
DB_ACL, DB_SUBNETS = "acl-0443315a060e78dba", ["subnet-0a2fd2ec9018abb12", "subnet-0fea9c4c28411c578"]


def change(rtype, name, actions, after, before=None):
    return {"address": f"{rtype}.{name}", "mode": "managed", "type": rtype, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": actions, "before": before, "after": after, "after_unknown": {},
                       "before_sensitive": {}, "after_sensitive": {}}}


def plan(*changes):
    return {"format_version": "1.2", "terraform_version": "1.9.8", "resource_changes": list(changes)}


def sg_rule(**kw):
    r = {"cidr_blocks": [], "description": "", "from_port": 5432, "to_port": 5432, "protocol": "tcp",
         "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [APP_SG], "self": False}
    r.update(kw)
    return r


def user_rds(ingress):
    after = {"id": RDS_SG, "name": "ecom-user-rds", "description": "user database (PostgreSQL)", "vpc_id": VPC,
             "owner_id": "123456789012", "ingress": ingress,
             "egress": [sg_rule(protocol="-1", from_port=0, to_port=0, security_groups=[], cidr_blocks=["0.0.0.0/0"])],
             "tags": {"Name": "ecom-user-rds"}, "revoke_rules_on_delete": False}
    return change("aws_security_group", "user_rds", ["update"], after, dict(after, ingress=[sg_rule()]))


def acl_entry(rule_no, cidr, action, protocol="tcp", from_port=5432, to_port=5432):
    return {"rule_no": rule_no, "action": action, "protocol": protocol, "cidr_block": cidr, "ipv6_cidr_block": "",
            "from_port": from_port, "to_port": to_port, "icmp_code": 0, "icmp_type": 0}


INGRESS = [acl_entry(100, "10.0.1.0/24", "allow"), acl_entry(110, "10.0.2.0/24", "allow")]
EGRESS = [acl_entry(100, "10.0.0.0/16", "allow", from_port=1024, to_port=65535)]


def db_acl(ingress=INGRESS, subnet_ids=DB_SUBNETS):
    after = {"id": DB_ACL, "vpc_id": VPC, "subnet_ids": subnet_ids, "ingress": ingress, "egress": EGRESS,
             "tags": {"Name": "ecom-db"}}
    return change("aws_network_acl", "db", ["update"], after, dict(after, ingress=INGRESS, subnet_ids=DB_SUBNETS))


ROUTE_TABLE = {"id": "rtb-031051f01fac91379", "vpc_id": "vpc-089fde33733a8ff58", "owner_id": "123456789012",
               "propagating_vgws": [], "tags": {"Name": "data-main"}}

overlays = {
    # the group's ingress is one object, not a list of blocks
    "tf-sg-ingress-object.json": plan(user_rds({"from_port": 5432, "to_port": 5432, "protocol": "tcp",
                                                "cidr_blocks": ["10.0.2.0/24"]})),
    # a rule's cidr_blocks is an object
    "tf-sg-cidr-object.json": plan(user_rds([sg_rule(cidr_blocks={"cidr": "10.0.2.0/24"})])),
    # a rule's ports are words: not "every port"
    "tf-sg-ports-string.json": plan(user_rds([sg_rule(from_port="postgres", to_port="postgres",
                                                      cidr_blocks=["10.0.2.0/24"])])),
    # a rule resource whose from_port is an object, in a group of the live estate
    "tf-sg-rule-port-object.json": plan(change("aws_security_group_rule", "extra", ["create"], {
        "type": "ingress", "security_group_id": RDS_SG, "protocol": "tcp", "from_port": {"port": 5432},
        "to_port": 5432, "cidr_blocks": ["10.0.2.0/24"], "ipv6_cidr_blocks": None, "prefix_list_ids": None,
        "self": False, "source_security_group_id": None, "description": None})),
    # the RDS interface's security_groups is an object
    "tf-eni-groups-object.json": plan(change("aws_network_interface", "rds", ["update"], {
        "id": "eni-0bf39c0f4ad938c7f", "subnet_id": "subnet-0a2fd2ec9018abb12", "private_ip": "10.0.21.45",
        "private_ips": ["10.0.21.45"], "security_groups": {"id": RDS_SG}, "source_dest_check": True,
        "description": "RDSNetworkInterface", "tags": {}}, {
        "id": "eni-0bf39c0f4ad938c7f", "subnet_id": "subnet-0a2fd2ec9018abb12", "private_ip": "10.0.21.45",
        "private_ips": ["10.0.21.45"], "security_groups": [RDS_SG], "source_dest_check": True,
        "description": "RDSNetworkInterface", "tags": {}})),
    # the DB subnets' ACL: its ingress is one object
    "tf-nacl-ingress-object.json": plan(db_acl(ingress={"rule_no": 100, "action": "allow", "protocol": "-1",
                                                        "cidr_block": "10.0.0.0/16", "from_port": 0, "to_port": 0})),
    # the DB subnets' ACL: its subnet_ids is an object
    "tf-nacl-subnets-object.json": plan(db_acl(subnet_ids={"db": DB_SUBNETS[0]})),
    # a rule resource in the DB subnets' ACL whose from_port is an object: not "every port"
    "tf-nacl-rule-port-object.json": plan(change("aws_network_acl_rule", "app_c", ["create"], {
        "network_acl_id": DB_ACL, "rule_number": 90, "egress": False, "protocol": "tcp", "rule_action": "allow",
        "cidr_block": "10.0.3.0/24", "from_port": {"port": 5432}, "to_port": 5432, "icmp_code": None,
        "icmp_type": None, "ipv6_cidr_block": None})),
    # the peering estate's data-main table: its route is one object
    "tf-route-object.json": plan(change("aws_route_table", "data_main", ["update"], dict(
        ROUTE_TABLE, route={"cidr_block": "10.1.0.0/16", "vpc_peering_connection_id": "pcx-02a78fefb65b2eab1"}),
        dict(ROUTE_TABLE, route=[]))),
}
for name, doc in overlays.items():
    with open(f"{OUT}/{name}", "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
