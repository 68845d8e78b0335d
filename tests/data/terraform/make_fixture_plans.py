#!/usr/bin/env python3
"""Writes fixtures/terraform/ecommerce-awsvpc/plan.json: the design of
fixtures/ecommerce-awsvpc (seed 002) as a Terraform plan creating it, in the
shape `terraform show -json` prints (see tfplan.py). Run from anywhere:
python3 tests/data/terraform/make_fixture_plans.py

What the plan cannot say as the dumps do (and tests/e2e/test_terraform_fixture.sh
therefore leaves out): addresses (AWS assigns them; tasks and databases get
their subnets' CIDRs), IPv6, the managed prefix list and the ECR endpoint
(types not modelled), the blackhole route (a route to a deleted NAT gateway is a
state, not a configuration: the DB table here simply has no default route), the
group referenced but never described, and databases (an aws_db_instance here, a
requester-managed interface in the dumps).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tfplan import Plan, const, ref  # noqa: E402
from make_unit_plans import block_unknown, sg_block  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def nacl(rule_no, action, protocol, cidr, lo=0, hi=0):
    return {"action": action, "cidr_block": cidr, "from_port": lo, "icmp_code": None, "icmp_type": None,
            "ipv6_cidr_block": "", "protocol": protocol, "rule_no": rule_no, "to_port": hi}


ROUTE = {"carrier_gateway_id": "", "cidr_block": "", "core_network_arn": "", "destination_prefix_list_id": "",
         "egress_only_gateway_id": "", "gateway_id": "", "ipv6_cidr_block": "", "local_gateway_id": "",
         "nat_gateway_id": "", "network_interface_id": "", "transit_gateway_id": "", "vpc_endpoint_id": "",
         "vpc_peering_connection_id": ""}

SUBNETS = [("public_a", "10.0.101.0/24", True, "a", "ecom-public-a"), ("public_b", "10.0.102.0/24", True, "b", "ecom-public-b"),
           ("app_a", "10.0.1.0/24", False, "a", "ecom-app-a"), ("app_b", "10.0.2.0/24", False, "b", "ecom-app-b"),
           ("app_c", "10.0.3.0/24", False, "c", "ecom-app-c"), ("db_a", "10.0.21.0/24", False, "a", "ecom-db-a"),
           ("db_b", "10.0.22.0/24", False, "b", "ecom-db-b")]


def group(p, name, ingress, egress, expressions):
    """A group whose blocks name other groups: unknown in `after`, references in configuration."""
    def strip(blocks):
        out = []
        for b in blocks:
            b = dict(b)
            if b.pop("_groups", None):
                b.pop("security_groups", None)
            out.append(b)
        return out

    def unknown(blocks):
        return [block_unknown(len(b["cidr_blocks"]), groups_unknown=bool(b.get("_groups"))) for b in blocks]
    after = {"description": name, "name": name, "revoke_rules_on_delete": False, "tags": {"Name": name},
             "timeouts": None, "ingress": strip(ingress), "egress": strip(egress)}
    unk = {"owner_id": True, "name_prefix": True, "vpc_id": True, "ingress": unknown(ingress), "egress": unknown(egress)}
    expr = {"name": const(name), "description": const(name), "vpc_id": ref("aws_vpc.main.id")}
    expr.update(expressions)
    p.add("aws_security_group", name.replace("ecom-", "").replace("-", "_"), after, unk, expr)


def refblock(lo, hi, groups):
    b = sg_block(lo, hi, "tcp")
    b["_groups"] = groups
    return b


def refexpr(lo, hi, groups):
    return {"from_port": const(lo), "to_port": const(hi), "protocol": const("tcp"),
            "security_groups": ref(*["aws_security_group.%s.id" % g for g in groups])}


def plan_ecommerce():
    p = Plan()
    p.add("aws_vpc", "main", {"cidr_block": "10.0.0.0/16", "enable_dns_hostnames": True, "enable_dns_support": True,
                              "instance_tenancy": "default", "tags": {"Name": "ecommerce-prod"}},
          {"default_network_acl_id": True, "default_route_table_id": True, "default_security_group_id": True,
           "main_route_table_id": True, "owner_id": True, "ipv6_cidr_block": True},
          {"cidr_block": const("10.0.0.0/16"), "tags": const({"Name": "ecommerce-prod"})})
    for name, cidr, public, az, tag in SUBNETS:
        p.add("aws_subnet", name, {"availability_zone": "us-east-1" + az, "cidr_block": cidr,
                                   "map_public_ip_on_launch": public, "tags": {"Name": tag}},
              {"vpc_id": True, "owner_id": True, "ipv6_cidr_block": True},
              {"vpc_id": ref("aws_vpc.main.id"), "cidr_block": const(cidr)})
    p.add("aws_internet_gateway", "igw", {"tags": {"Name": "ecommerce-igw"}}, {"vpc_id": True, "owner_id": True},
          {"vpc_id": ref("aws_vpc.main.id")})
    p.add("aws_eip", "nat", {"domain": "vpc", "tags": None},
          {"public_ip": True, "allocation_id": True, "instance": True, "network_interface": True})
    p.add("aws_nat_gateway", "nat", {"connectivity_type": "public", "tags": {"Name": "ecommerce-nat"}},
          {"allocation_id": True, "subnet_id": True, "private_ip": True, "public_ip": True, "network_interface_id": True},
          {"allocation_id": ref("aws_eip.nat.id"), "subnet_id": ref("aws_subnet.public_a.id")})
    # routing: public table to the IGW, the main table (app subnets, implicitly) to the NAT, DB table local only
    p.add("aws_route_table", "public", {"tags": {"Name": "ecom-public"}, "route": [dict(ROUTE, cidr_block="0.0.0.0/0")]},
          {"vpc_id": True, "owner_id": True, "route": [{"gateway_id": True}]},
          {"vpc_id": ref("aws_vpc.main.id"),
           "route": [{"cidr_block": const("0.0.0.0/0"), "gateway_id": ref("aws_internet_gateway.igw.id")}]})
    p.add("aws_default_route_table", "private", {"tags": {"Name": "ecom-private"},
                                                 "route": [dict(ROUTE, cidr_block="0.0.0.0/0")]},
          {"default_route_table_id": True, "vpc_id": True, "owner_id": True, "route": [{"nat_gateway_id": True}]},
          {"default_route_table_id": ref("aws_vpc.main.default_route_table_id"),
           "route": [{"cidr_block": const("0.0.0.0/0"), "nat_gateway_id": ref("aws_nat_gateway.nat.id")}]})
    p.add("aws_route_table", "db", {"tags": {"Name": "ecom-db"}, "route": []}, {"vpc_id": True, "owner_id": True},
          {"vpc_id": ref("aws_vpc.main.id")})
    for name, table in (("public_a", "public"), ("public_b", "public"), ("db_a", "db"), ("db_b", "db")):
        p.add("aws_route_table_association", name, {"gateway_id": None, "timeouts": None},
              {"subnet_id": True, "route_table_id": True},
              {"subnet_id": ref("aws_subnet.%s.id" % name), "route_table_id": ref("aws_route_table.%s.id" % table)})
    # network ACLs: the default allows all (managed, as the dumps show it); the DB ACL forgot app subnet c
    p.add("aws_default_network_acl", "default", {"egress": [nacl(100, "allow", "-1", "0.0.0.0/0")],
                                                 "ingress": [nacl(100, "allow", "-1", "0.0.0.0/0")], "tags": None},
          {"default_network_acl_id": True, "vpc_id": True, "owner_id": True, "subnet_ids": True},
          {"default_network_acl_id": ref("aws_vpc.main.default_network_acl_id")})
    p.add("aws_network_acl", "db", {"egress": [nacl(100, "allow", "tcp", "10.0.0.0/16", 1024, 65535)],
                                    "ingress": [nacl(100, "allow", "tcp", "10.0.1.0/24", 5432, 5432),
                                                nacl(110, "allow", "tcp", "10.0.2.0/24", 5432, 5432)],
                                    "tags": {"Name": "ecom-db-nacl"}},
          {"vpc_id": True, "owner_id": True, "subnet_ids": True},
          {"vpc_id": ref("aws_vpc.main.id"), "subnet_ids": ref("aws_subnet.db_a.id", "aws_subnet.db_b.id")})
    # groups (the default group managed with AWS's rules, as dumped)
    p.add("aws_default_security_group", "default",
          {"ingress": [dict(sg_block(0, 0, "-1", self_=True))],
           "egress": [sg_block(0, 0, "-1", cidrs=["0.0.0.0/0"], ipv6=["::/0"])], "tags": None},
          {"vpc_id": True, "owner_id": True, "name": True},
          {"vpc_id": ref("aws_vpc.main.id")})
    allout = sg_block(0, 0, "-1", cidrs=["0.0.0.0/0"])
    group(p, "ecom-alb",
          [sg_block(443, 443, "tcp", cidrs=["0.0.0.0/0"])],
          [refblock(3000, 3000, ["user_service", "payment_service"])],
          {"egress": [refexpr(3000, 3000, ["user_service", "payment_service"])]})
    group(p, "ecom-user-service", [refblock(3000, 3000, ["alb"])],
          [refblock(5432, 5432, ["user_rds"]), refblock(443, 443, ["vpc_endpoints"])],
          {"ingress": [refexpr(3000, 3000, ["alb"])],
           "egress": [refexpr(5432, 5432, ["user_rds"]), refexpr(443, 443, ["vpc_endpoints"])]})
    group(p, "ecom-payment-service", [refblock(3000, 3000, ["alb"])],
          [refblock(5432, 5432, ["payment_rds"]), sg_block(443, 443, "tcp", cidrs=["0.0.0.0/0"])],
          {"ingress": [refexpr(3000, 3000, ["alb"])], "egress": [refexpr(5432, 5432, ["payment_rds"]), {}]})
    group(p, "ecom-user-rds", [refblock(5432, 5432, ["user_service"])], [allout],
          {"ingress": [refexpr(5432, 5432, ["user_service"])]})
    group(p, "ecom-payment-rds", [refblock(5432, 5432, ["payment_service"])], [allout],
          {"ingress": [refexpr(5432, 5432, ["payment_service"])]})
    group(p, "ecom-vpc-endpoints", [sg_block(443, 443, "tcp", cidrs=["10.0.0.0/16"])], [allout], {})
    # the ALB, its target groups, listeners and the rule that forwards to payment-service
    p.add("aws_lb", "public", {"internal": False, "load_balancer_type": "application", "name": "ecom-public-alb",
                               "ip_address_type": "ipv4", "tags": None},
          {"security_groups": True, "subnets": True, "dns_name": True, "subnet_mapping": True, "zone_id": True,
           "vpc_id": True},
          {"name": const("ecom-public-alb"), "security_groups": ref("aws_security_group.alb.id"),
           "subnets": ref("aws_subnet.public_a.id", "aws_subnet.public_b.id")})
    for svc in ("user", "payment"):
        p.add("aws_lb_target_group", svc, {"name": "ecom-%s-service" % svc, "port": 3000, "protocol": "HTTP",
                                           "target_type": "ip", "health_check": [{"port": "traffic-port", "protocol": "HTTP"}]},
              {"vpc_id": True, "preserve_client_ip": True, "arn_suffix": True},
              {"vpc_id": ref("aws_vpc.main.id"), "port": const(3000), "target_type": const("ip")})
    p.add("aws_lb_listener", "https", {"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                                       "default_action": [{"type": "forward", "forward": [], "redirect": []}]},
          {"load_balancer_arn": True, "certificate_arn": True, "default_action": [{"target_group_arn": True}]},
          {"load_balancer_arn": ref("aws_lb.public.arn"),
           "default_action": [{"type": const("forward"), "target_group_arn": ref("aws_lb_target_group.user.arn")}]})
    p.add("aws_lb_listener", "http", {"port": 80, "protocol": "HTTP",
                                      "default_action": [{"type": "redirect", "forward": [], "target_group_arn": None,
                                                          "redirect": [{"port": "443", "protocol": "HTTPS",
                                                                        "status_code": "HTTP_301"}]}]},
          {"load_balancer_arn": True}, {"load_balancer_arn": ref("aws_lb.public.arn")})
    p.add("aws_lb_listener_rule", "payment", {"priority": 10, "condition": [{"path_pattern": [{"values": ["/pay/*"]}]}],
                                              "action": [{"type": "forward", "forward": []}]},
          {"listener_arn": True, "action": [{"target_group_arn": True}]},
          {"listener_arn": ref("aws_lb_listener.https.arn"),
           "action": [{"type": const("forward"), "target_group_arn": ref("aws_lb_target_group.payment.arn")}]})
    # ECS on Fargate
    p.add("aws_ecs_cluster", "main", {"name": "ecommerce", "setting": []}, {}, {"name": const("ecommerce")})
    for svc, count, subnets in (("user", 3, ["app_a", "app_b", "app_c"]), ("payment", 2, ["app_a", "app_b", "app_c"])):
        name = "%s-service" % svc
        defs = ('[{"essential":true,"image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/%s:1","name":"%s",'
                '"portMappings":[{"containerPort":3000,"hostPort":3000,"protocol":"tcp"}]}]' % (name, name))
        p.add("aws_ecs_task_definition", svc, {"family": name, "network_mode": "awsvpc", "cpu": "512", "memory": "1024",
                                               "requires_compatibilities": ["FARGATE"], "container_definitions": defs},
              {"revision": True}, {"family": const(name), "network_mode": const("awsvpc")})
        p.add("aws_ecs_service", svc, {"name": name, "desired_count": count, "launch_type": "FARGATE",
                                       "scheduling_strategy": "REPLICA",
                                       "network_configuration": [{"assign_public_ip": False}],
                                       "load_balancer": [{"container_name": name, "container_port": 3000, "elb_name": ""}]},
              {"cluster": True, "task_definition": True,
               "network_configuration": [{"subnets": True, "security_groups": True}],
               "load_balancer": [{"target_group_arn": True}]},
              {"cluster": ref("aws_ecs_cluster.main.id"), "task_definition": ref("aws_ecs_task_definition.%s.arn" % svc),
               "network_configuration": [{"subnets": ref(*["aws_subnet.%s.id" % s for s in subnets]),
                                          "security_groups": ref("aws_security_group.%s_service.id" % svc)}],
               "load_balancer": [{"target_group_arn": ref("aws_lb_target_group.%s.arn" % svc),
                                  "container_name": const(name), "container_port": const(3000)}]})
    # databases: user-RDS in db subnet a, payment-RDS in db subnet b
    for svc, subnet in (("user", "db_a"), ("payment", "db_b")):
        p.add("aws_db_subnet_group", svc, {"name": "ecom-%s-db" % svc, "tags": None}, {"subnet_ids": True},
              {"subnet_ids": ref("aws_subnet.%s.id" % subnet)})
        p.add("aws_db_instance", svc, {"engine": "postgres", "identifier": "ecom-%s-rds" % svc, "port": 5432,
                                       "publicly_accessible": False, "db_subnet_group_name": "ecom-%s-db" % svc},
              {"vpc_security_group_ids": True, "address": True, "endpoint": True},
              {"engine": const("postgres"), "vpc_security_group_ids": ref("aws_security_group.%s_rds.id" % svc),
               "db_subnet_group_name": ref("aws_db_subnet_group.%s.name" % svc)})
    return p


if __name__ == "__main__":
    out = os.path.join(ROOT, "fixtures", "terraform", "ecommerce-awsvpc")
    os.makedirs(out, exist_ok=True)
    plan_ecommerce().write(os.path.join(out, "plan.json"))
