#!/usr/bin/env python3
"""Writes the plans tests/unit/test_import_terraform*.c read (run from anywhere:
python3 tests/data/terraform/make_unit_plans.py). Each plan is in the shape
`terraform show -json` prints (see tfplan.py)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tfplan import Plan, const, ref  # noqa: E402


def sg_block(from_port, to_port, protocol, cidrs=(), ipv6=(), lists=(), groups=(), self_=False, desc=""):
    return {"cidr_blocks": list(cidrs), "description": desc, "from_port": from_port,
            "ipv6_cidr_blocks": list(ipv6), "prefix_list_ids": list(lists), "protocol": protocol,
            "security_groups": list(groups), "self": self_, "to_port": to_port}


def block_unknown(n_cidrs=0, groups_unknown=False):
    u = {"cidr_blocks": [False] * n_cidrs, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}
    if groups_unknown:
        u["security_groups"] = True
    return u


def vpc(p, name="main", cidr="10.0.0.0/16", module="", actions=("create",), before=None, vid=None):
    after = {"assign_generated_ipv6_cidr_block": False, "cidr_block": cidr, "enable_dns_hostnames": True,
             "enable_dns_support": True, "instance_tenancy": "default", "tags": {"Name": name}}
    unknown = {"default_network_acl_id": True, "default_route_table_id": True,
               "default_security_group_id": True, "main_route_table_id": True, "owner_id": True,
               "ipv6_cidr_block": True}
    if vid:
        after = dict(after, id=vid, arn="arn:aws:ec2:us-east-1:123456789012:vpc/" + vid)
        unknown = {}
    return p.add("aws_vpc", name, after, unknown, {"cidr_block": const(cidr)}, module=module,
                  actions=actions, before=before)


def sg(p, name, ingress=None, egress=None, ingress_unknown=None, egress_unknown=None, expressions=None,
       module="", vpc_ref="aws_vpc.main.id", index=None):
    after = {"description": "Managed by Terraform", "name": name, "revoke_rules_on_delete": False,
             "tags": None, "timeouts": None}
    unknown = {"owner_id": True, "name_prefix": True, "vpc_id": True}
    if ingress is not None:
        after["ingress"] = ingress
        unknown["ingress"] = ingress_unknown or [block_unknown(len(b["cidr_blocks"])) for b in ingress]
    else:
        unknown["ingress"] = True
    if egress is not None:
        after["egress"] = egress
        unknown["egress"] = egress_unknown or [block_unknown(len(b["cidr_blocks"])) for b in egress]
    else:
        unknown["egress"] = True
    expr = {"name": const(name), "vpc_id": ref(vpc_ref)}
    expr.update(expressions or {})
    return p.add("aws_security_group", name if index is None else name.split("-")[0], after, unknown, expr,
                 module=module, index=index)


def plan_refs():
    """One root module: groups that refer to each other, rule resources, instances
    with count, a database, an EIP, an unresolvable reference, an unmodelled type."""
    p = Plan()
    vpc(p)
    for i, cidr in enumerate(["10.0.1.0/24", "10.0.2.0/24"]):
        p.add("aws_subnet", "app", {"assign_ipv6_address_on_creation": False, "availability_zone": "us-east-1" + "ab"[i],
                                    "cidr_block": cidr, "map_public_ip_on_launch": False, "tags": None},
              {"vpc_id": True, "ipv6_cidr_block": True, "owner_id": True},
              {"cidr_block": {"references": ["var.cidrs", "count.index"]}, "vpc_id": ref("aws_vpc.main.id"),
               "availability_zone": const("us-east-1a")}, index=i, count=const(2))
    sg(p, "app", ingress=[sg_block(443, 443, "tcp", cidrs=["0.0.0.0/0"])])
    db_in = dict(sg_block(5432, 5432, "tcp"))
    del db_in["security_groups"]
    sg(p, "db", ingress=[db_in], ingress_unknown=[block_unknown(0, groups_unknown=True)],
       expressions={"ingress": [{"from_port": const(5432), "to_port": const(5432), "protocol": const("tcp"),
                                 "security_groups": ref("aws_security_group.app.id")}]})
    p.add("aws_security_group_rule", "app_to_db",
          {"cidr_blocks": None, "description": None, "from_port": 5432, "ipv6_cidr_blocks": None,
           "prefix_list_ids": None, "protocol": "tcp", "self": False, "timeouts": None, "to_port": 5432,
           "type": "egress"},
          {"security_group_id": True, "source_security_group_id": True, "security_group_rule_id": True},
          {"security_group_id": ref("aws_security_group.app.id"),
           "source_security_group_id": ref("aws_security_group.db.id"), "type": const("egress"),
           "from_port": const(5432), "to_port": const(5432), "protocol": const("tcp")})
    p.add("aws_security_group_rule", "from_office",
          {"description": None, "from_port": 22, "ipv6_cidr_blocks": None, "prefix_list_ids": None,
           "protocol": "tcp", "self": False, "source_security_group_id": None, "timeouts": None, "to_port": 22,
           "type": "ingress"},
          {"security_group_id": True, "cidr_blocks": True, "security_group_rule_id": True},
          {"security_group_id": ref("aws_security_group.app.id"), "cidr_blocks": ref("local.office_cidrs"),
           "type": const("ingress"), "from_port": const(22), "to_port": const(22), "protocol": const("tcp")})
    p.add("aws_vpc_security_group_ingress_rule", "db_from_vpn",
          {"cidr_ipv4": "198.51.100.0/24", "cidr_ipv6": None, "description": "vpn", "from_port": 5432,
           "ip_protocol": "tcp", "prefix_list_id": None, "referenced_security_group_id": None, "tags": None,
           "to_port": 5432},
          {"security_group_id": True, "security_group_rule_id": True},
          {"security_group_id": ref("aws_security_group.db.id"), "cidr_ipv4": const("198.51.100.0/24"),
           "ip_protocol": const("tcp"), "from_port": const(5432), "to_port": const(5432)})
    for i in range(2):
        p.add("aws_instance", "web", {"ami": "ami-0123456789abcdef0", "instance_type": "t3.micro",
                                      "source_dest_check": True, "tags": {"Name": "web-%d" % i},
                                      "user_data": None, "network_interface": []},
              {"subnet_id": True, "vpc_security_group_ids": True, "private_ip": True, "public_ip": True,
               "primary_network_interface_id": True, "associate_public_ip_address": True,
               "security_groups": True, "network_interface": []},
              {"subnet_id": {"references": ["aws_subnet.app", "count.index"]},
               "vpc_security_group_ids": ref("aws_security_group.app.id"), "instance_type": const("t3.micro")},
              index=i, count=const(2))
    p.add("aws_eip", "web", {"domain": "vpc", "tags": None, "timeouts": None},
          {"instance": True, "public_ip": True, "allocation_id": True, "association_id": True,
           "network_interface": True, "private_ip": True},
          {"instance": ref("aws_instance.web[0].id"), "domain": const("vpc")})
    p.add("aws_db_subnet_group", "db", {"name": "db-subnets", "tags": None},
          {"subnet_ids": True}, {"name": const("db-subnets"), "subnet_ids": ref("aws_subnet.app")})
    p.add("aws_db_instance", "db", {"engine": "postgres", "identifier": "orders", "publicly_accessible": False,
                                    "password": "not-a-real-one", "db_subnet_group_name": "db-subnets"},
          {"vpc_security_group_ids": True, "port": True, "address": True, "endpoint": True},
          {"engine": const("postgres"), "vpc_security_group_ids": ref("aws_security_group.db.id"),
           "db_subnet_group_name": ref("aws_db_subnet_group.db.name")})
    for n in ("logs", "assets"):
        p.add("aws_s3_bucket", n, {"bucket": n, "force_destroy": False, "tags": None}, {},
              {"bucket": const(n)})
    p.variable("cidrs", ["10.0.1.0/24", "10.0.2.0/24"])
    return p


def plan_modules():
    """Modules: svc with for_each (a, b) taking a group from module shared's output
    and the VPC id from the root; net with count 2; a module inside a module."""
    p = Plan()
    vpc(p)
    p.module_call("shared", expressions={"vpc_id": ref("aws_vpc.main.id")}, variables={"vpc_id": None},
                  outputs={"sg_id": ref("aws_security_group.this.id")})
    sg(p, "this", ingress=[sg_block(443, 443, "tcp", cidrs=["10.0.0.0/8"])], module="module.shared",
       vpc_ref="var.vpc_id")
    p.module_call("svc", expressions={"vpc_id": ref("aws_vpc.main.id"), "peer_sg": ref("module.shared.sg_id"),
                                      "name": ref("each.key")},
                  variables={"vpc_id": None, "peer_sg": None, "name": None}, for_each=ref("local.services"),
                  outputs={"id": ref("aws_security_group.this.id")})
    for key in ("a", "b"):
        blk = dict(sg_block(8080, 8080, "tcp"))
        del blk["security_groups"]
        p.add("aws_security_group", "this",
              {"description": "Managed by Terraform", "ingress": [blk], "revoke_rules_on_delete": False,
               "tags": None, "timeouts": None},
              {"ingress": [block_unknown(0, groups_unknown=True)], "egress": True, "name": True,
               "vpc_id": True, "owner_id": True, "name_prefix": True},
              {"name": ref("var.name"), "vpc_id": ref("var.vpc_id"),
               "ingress": [{"from_port": const(8080), "to_port": const(8080), "protocol": const("tcp"),
                            "security_groups": ref("var.peer_sg")}]},
              module='module.svc["%s"]' % key)
    p.module_call("net", expressions={"vpc_id": ref("aws_vpc.main.id")}, variables={"vpc_id": None},
                  count=const(2))
    p.module_call("net.inner", expressions={"vpc_id": ref("var.vpc_id")}, variables={"vpc_id": None})
    for i in range(2):
        p.add("aws_subnet", "this", {"cidr_block": "10.0.%d.0/24" % (10 + i), "map_public_ip_on_launch": False,
                                     "tags": None},
              {"vpc_id": True, "owner_id": True, "ipv6_cidr_block": True},
              {"vpc_id": ref("var.vpc_id"), "cidr_block": {"references": ["count.index"]}},
              module="module.net[%d]" % i)
        p.add("aws_network_acl", "this",
              {"egress": [], "ingress": [{"action": "allow", "cidr_block": "10.0.0.0/8", "from_port": 0,
                                          "icmp_code": None, "icmp_type": None, "ipv6_cidr_block": "",
                                          "protocol": "-1", "rule_no": 100, "to_port": 0}], "tags": None},
              {"vpc_id": True, "owner_id": True, "subnet_ids": True},
              {"vpc_id": ref("var.vpc_id")}, module="module.net[%d].module.inner" % i)
    p.add("aws_security_group_rule", "svc_a_out",
          {"cidr_blocks": None, "description": None, "from_port": 443, "ipv6_cidr_blocks": None,
           "prefix_list_ids": None, "protocol": "tcp", "self": False, "timeouts": None, "to_port": 443,
           "type": "egress"},
          {"security_group_id": True, "source_security_group_id": True, "security_group_rule_id": True},
          {"security_group_id": ref('module.svc["a"].id'), "source_security_group_id": ref("module.shared.sg_id"),
           "type": const("egress")})
    return p


if __name__ == "__main__":
    plan_refs().write(os.path.join(HERE, "refs-plan.json"))
    plan_modules().write(os.path.join(HERE, "modules-plan.json"))
