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


def subnet(p, name, index, cidr, public, az):
    return p.add("aws_subnet", name, {"assign_ipv6_address_on_creation": False, "availability_zone": az,
                                      "cidr_block": cidr, "map_public_ip_on_launch": public, "tags": {"Name": "%s-%d" % (name, index)}},
                 {"vpc_id": True, "owner_id": True, "ipv6_cidr_block": True},
                 {"vpc_id": ref("aws_vpc.main.id"), "cidr_block": {"references": ["var.cidrs", "count.index"]}},
                 index=index, count=const(2))


def plan_ecs():
    """An ECS design: an awsvpc service behind an internet-facing ALB, a bridge
    service on EC2 capacity (launch template, autoscaling group, capacity
    provider) behind a transparent NLB, a database; groups that refer to each
    other; public subnets routed to an IGW, private ones to a NAT gateway."""
    p = Plan()
    vpc(p)
    for i in range(2):
        subnet(p, "public", i, "10.0.%d.0/24" % (101 + i), True, "us-east-1" + "ab"[i])
        subnet(p, "private", i, "10.0.%d.0/24" % (1 + i), False, "us-east-1" + "ab"[i])
    p.add("aws_internet_gateway", "igw", {"tags": None}, {"vpc_id": True, "owner_id": True},
          {"vpc_id": ref("aws_vpc.main.id")})
    p.add("aws_eip", "nat", {"domain": "vpc", "tags": None}, {"public_ip": True, "allocation_id": True,
                                                              "instance": True, "network_interface": True})
    p.add("aws_nat_gateway", "nat", {"connectivity_type": "public", "tags": None},
          {"allocation_id": True, "subnet_id": True, "private_ip": True, "public_ip": True, "network_interface_id": True},
          {"allocation_id": ref("aws_eip.nat.id"), "subnet_id": ref("aws_subnet.public[0].id")})
    route = {"carrier_gateway_id": "", "cidr_block": "0.0.0.0/0", "core_network_arn": "",
             "destination_prefix_list_id": "", "egress_only_gateway_id": "", "gateway_id": "",
             "ipv6_cidr_block": "", "local_gateway_id": "", "nat_gateway_id": "", "network_interface_id": "",
             "transit_gateway_id": "", "vpc_endpoint_id": "", "vpc_peering_connection_id": ""}
    p.add("aws_route_table", "public", {"tags": None, "route": [dict(route)]},
          {"vpc_id": True, "owner_id": True, "route": [{"gateway_id": True}]},
          {"vpc_id": ref("aws_vpc.main.id"),
           "route": [{"cidr_block": const("0.0.0.0/0"), "gateway_id": ref("aws_internet_gateway.igw.id")}]})
    p.add("aws_route_table", "private", {"tags": None, "route": []}, {"vpc_id": True, "owner_id": True},
          {"vpc_id": ref("aws_vpc.main.id")})
    p.add("aws_route", "private_nat", {"destination_cidr_block": "0.0.0.0/0", "timeouts": None},
          {"route_table_id": True, "nat_gateway_id": True, "origin": True, "state": True, "instance_owner_id": True},
          {"route_table_id": ref("aws_route_table.private.id"), "destination_cidr_block": const("0.0.0.0/0"),
           "nat_gateway_id": ref("aws_nat_gateway.nat.id")})
    for i in range(2):
        for kind in ("public", "private"):
            p.add("aws_route_table_association", kind, {"gateway_id": None, "timeouts": None},
                  {"subnet_id": True, "route_table_id": True},
                  {"subnet_id": {"references": ["aws_subnet.%s" % kind, "count.index"]},
                   "route_table_id": ref("aws_route_table.%s.id" % kind)}, index=i, count=const(2))
    # groups
    alb_out = dict(sg_block(8080, 8080, "tcp"))
    del alb_out["security_groups"]
    sg(p, "alb", ingress=[sg_block(443, 443, "tcp", cidrs=["0.0.0.0/0"])], egress=[alb_out],
       egress_unknown=[block_unknown(0, groups_unknown=True)],
       expressions={"egress": [{"from_port": const(8080), "to_port": const(8080), "protocol": const("tcp"),
                                "security_groups": ref("aws_security_group.api.id")}]})
    api_in = dict(sg_block(8080, 8080, "tcp"))
    del api_in["security_groups"]
    db_out = dict(sg_block(5432, 5432, "tcp"))
    del db_out["security_groups"]
    sg(p, "api", ingress=[api_in], ingress_unknown=[block_unknown(0, groups_unknown=True)],
       egress=[db_out, sg_block(443, 443, "tcp", cidrs=["0.0.0.0/0"])],
       egress_unknown=[block_unknown(0, groups_unknown=True), block_unknown(1)],
       expressions={"ingress": [{"from_port": const(8080), "to_port": const(8080), "protocol": const("tcp"),
                                 "security_groups": ref("aws_security_group.alb.id")}],
                    "egress": [{"from_port": const(5432), "to_port": const(5432), "protocol": const("tcp"),
                                "security_groups": ref("aws_security_group.db.id")},
                               {"from_port": const(443), "to_port": const(443), "protocol": const("tcp"),
                                "cidr_blocks": const(["0.0.0.0/0"])}]})
    p.add("aws_security_group_rule", "api_pooler", {"cidr_blocks": ["10.0.0.0/16"], "description": None,
                                                     "from_port": 6432, "ipv6_cidr_blocks": None,
                                                     "prefix_list_ids": None, "protocol": "tcp", "self": False,
                                                     "source_security_group_id": None, "timeouts": None,
                                                     "to_port": 6432, "type": "egress"},
          {"security_group_id": True, "security_group_rule_id": True},
          {"security_group_id": ref("aws_security_group.api.id"), "type": const("egress")})
    sg(p, "hosts", ingress=[sg_block(32768, 65535, "tcp", cidrs=["0.0.0.0/0"])])
    db_in = dict(sg_block(5432, 5432, "tcp"))
    del db_in["security_groups"]
    sg(p, "db", ingress=[db_in], ingress_unknown=[block_unknown(0, groups_unknown=True)],
       expressions={"ingress": [{"from_port": const(5432), "to_port": const(5432), "protocol": const("tcp"),
                                 "security_groups": ref("aws_security_group.api.id")}]})
    # load balancers
    p.add("aws_lb", "alb", {"internal": False, "load_balancer_type": "application", "name": "web-alb",
                            "ip_address_type": "ipv4", "tags": None},
          {"security_groups": True, "subnets": True, "dns_name": True, "subnet_mapping": True, "zone_id": True,
           "vpc_id": True},
          {"security_groups": ref("aws_security_group.alb.id"), "subnets": ref("aws_subnet.public"),
           "name": const("web-alb"), "internal": const(False)})
    p.add("aws_lb_target_group", "api", {"name": "api", "port": 8080, "protocol": "HTTP", "target_type": "ip",
                                         "health_check": [{"port": "traffic-port", "protocol": "HTTP"}]},
          {"vpc_id": True, "preserve_client_ip": True, "arn_suffix": True},
          {"vpc_id": ref("aws_vpc.main.id"), "port": const(8080), "protocol": const("HTTP"),
           "target_type": const("ip")})
    p.add("aws_lb_listener", "https", {"port": 443, "protocol": "HTTPS",
                                        "default_action": [{"type": "forward", "forward": [], "redirect": []}]},
          {"load_balancer_arn": True, "default_action": [{"target_group_arn": True}]},
          {"load_balancer_arn": ref("aws_lb.alb.arn"), "port": const(443),
           "default_action": [{"type": const("forward"), "target_group_arn": ref("aws_lb_target_group.api.arn")}]})
    p.add("aws_lb", "nlb", {"internal": False, "load_balancer_type": "network", "name": "worker-nlb",
                            "ip_address_type": "ipv4", "tags": None},
          {"security_groups": True, "subnets": True, "dns_name": True, "subnet_mapping": True, "zone_id": True,
           "vpc_id": True},
          {"subnets": ref("aws_subnet.public"), "name": const("worker-nlb"),
           "load_balancer_type": const("network")})
    p.add("aws_lb_target_group", "worker", {"name": "worker", "port": 80, "protocol": "TCP",
                                            "target_type": "instance",
                                            "health_check": [{"port": "traffic-port", "protocol": "TCP"}]},
          {"vpc_id": True, "preserve_client_ip": True, "arn_suffix": True},
          {"vpc_id": ref("aws_vpc.main.id"), "port": const(80), "protocol": const("TCP")})
    p.add("aws_lb_listener", "tcp", {"port": 80, "protocol": "TCP",
                                     "default_action": [{"type": "forward", "forward": [], "redirect": []}]},
          {"load_balancer_arn": True, "default_action": [{"target_group_arn": True}]},
          {"load_balancer_arn": ref("aws_lb.nlb.arn"), "port": const(80),
           "default_action": [{"type": const("forward"), "target_group_arn": ref("aws_lb_target_group.worker.arn")}]})
    # ECS
    p.add("aws_ecs_cluster", "main", {"name": "main", "setting": [{"name": "containerInsights", "value": "disabled"}]},
          {}, {"name": const("main")})
    api_defs = '[{"essential":true,"image":"api:1","name":"api","portMappings":[{"containerPort":8080,"hostPort":8080,"protocol":"tcp"}]}]'
    worker_defs = '[{"essential":true,"image":"worker:1","name":"worker","portMappings":[{"containerPort":80,"hostPort":0,"protocol":"tcp"}]}]'
    p.add("aws_ecs_task_definition", "api", {"family": "api", "network_mode": "awsvpc", "container_definitions": api_defs,
                                             "requires_compatibilities": ["FARGATE"], "cpu": "256", "memory": "512"},
          {"revision": True}, {"family": const("api"), "network_mode": const("awsvpc")})
    p.add("aws_ecs_task_definition", "worker", {"family": "worker", "network_mode": "bridge",
                                                "container_definitions": worker_defs,
                                                "requires_compatibilities": ["EC2"]},
          {"revision": True}, {"family": const("worker"), "network_mode": const("bridge")})
    p.add("aws_launch_template", "hosts", {"name": "ecs-hosts", "image_id": "ami-0abcdef0123456789",
                                           "instance_type": "m5.large", "network_interfaces": []},
          {"vpc_security_group_ids": True, "latest_version": True},
          {"vpc_security_group_ids": ref("aws_security_group.hosts.id"), "name": const("ecs-hosts")})
    p.add("aws_autoscaling_group", "hosts", {"name": "ecs-hosts", "desired_capacity": 2, "max_size": 4, "min_size": 2,
                                             "launch_template": [{"version": "$Latest"}]},
          {"vpc_zone_identifier": True, "launch_template": [{"id": True, "name": True}], "target_group_arns": True},
          {"vpc_zone_identifier": ref("aws_subnet.private"),
           "launch_template": [{"id": ref("aws_launch_template.hosts.id"), "version": const("$Latest")}]})
    p.add("aws_ecs_capacity_provider", "hosts", {"name": "hosts-cp",
                                                 "auto_scaling_group_provider": [{"managed_termination_protection": "DISABLED"}]},
          {"auto_scaling_group_provider": [{"auto_scaling_group_arn": True}]},
          {"name": const("hosts-cp"),
           "auto_scaling_group_provider": [{"auto_scaling_group_arn": ref("aws_autoscaling_group.hosts.arn")}]})
    p.add("aws_ecs_cluster_capacity_providers", "main", {"cluster_name": "main", "capacity_providers": ["hosts-cp"],
                                                         "default_capacity_provider_strategy": []},
          {}, {"cluster_name": ref("aws_ecs_cluster.main.name"), "capacity_providers": ref("aws_ecs_capacity_provider.hosts.name")})
    p.add("aws_ecs_service", "api", {"name": "api", "desired_count": 3, "launch_type": "FARGATE",
                                     "scheduling_strategy": "REPLICA",
                                     "network_configuration": [{"assign_public_ip": False}],
                                     "load_balancer": [{"container_name": "api", "container_port": 8080, "elb_name": ""}]},
          {"cluster": True, "task_definition": True, "network_configuration": [{"subnets": True, "security_groups": True}],
           "load_balancer": [{"target_group_arn": True}]},
          {"cluster": ref("aws_ecs_cluster.main.id"), "task_definition": ref("aws_ecs_task_definition.api.arn"),
           "network_configuration": [{"subnets": ref("aws_subnet.private"),
                                      "security_groups": ref("aws_security_group.api.id")}],
           "load_balancer": [{"target_group_arn": ref("aws_lb_target_group.api.arn"),
                              "container_name": const("api"), "container_port": const(8080)}]})
    p.add("aws_ecs_service", "worker", {"name": "worker", "desired_count": 2, "scheduling_strategy": "REPLICA",
                                        "network_configuration": [],
                                        "load_balancer": [{"container_name": "worker", "container_port": 80, "elb_name": ""}]},
          {"cluster": True, "task_definition": True, "capacity_provider_strategy": [{"capacity_provider": True}],
           "load_balancer": [{"target_group_arn": True}], "launch_type": True},
          {"cluster": ref("aws_ecs_cluster.main.id"), "task_definition": ref("aws_ecs_task_definition.worker.arn"),
           "capacity_provider_strategy": [{"capacity_provider": ref("aws_ecs_capacity_provider.hosts.name"),
                                           "weight": const(1)}],
           "load_balancer": [{"target_group_arn": ref("aws_lb_target_group.worker.arn"),
                              "container_name": const("worker"), "container_port": const(80)}]})
    # half of private subnet a may reach the database's pooler port: which task
    # addresses AWS assigns decides, so the answer for tasks there is unknown
    p.add("aws_security_group_rule", "db_pooler_half",
          {"cidr_blocks": ["10.0.1.0/25"], "description": None, "from_port": 6432, "ipv6_cidr_blocks": None,
           "prefix_list_ids": None, "protocol": "tcp", "self": False, "source_security_group_id": None,
           "timeouts": None, "to_port": 6432, "type": "ingress"},
          {"security_group_id": True, "security_group_rule_id": True},
          {"security_group_id": ref("aws_security_group.db.id"), "cidr_blocks": const(["10.0.1.0/25"]),
           "type": const("ingress"), "from_port": const(6432), "to_port": const(6432), "protocol": const("tcp")})
    p.add("aws_db_subnet_group", "db", {"name": "db", "tags": None}, {"subnet_ids": True},
          {"name": const("db"), "subnet_ids": ref("aws_subnet.private")})
    p.add("aws_db_instance", "db", {"engine": "postgres", "identifier": "orders", "publicly_accessible": False,
                                    "db_subnet_group_name": "db", "port": 5432},
          {"vpc_security_group_ids": True, "address": True, "endpoint": True},
          {"engine": const("postgres"), "vpc_security_group_ids": ref("aws_security_group.db.id"),
           "db_subnet_group_name": ref("aws_db_subnet_group.db.name")})
    p.variable("cidrs", ["10.0.1.0/24", "10.0.2.0/24"])
    return p


LIVE_VPC = "vpc-0a1b2c3d4e5f60718"
LIVE_SUBNET = "subnet-0a1b2c3d4e5f60719"


def sg_state(gid, name, ingress, egress):
    return {"arn": "arn:aws:ec2:us-east-1:123456789012:security-group/" + gid, "description": name,
            "egress": egress, "id": gid, "ingress": ingress, "name": name, "name_prefix": "",
            "owner_id": "123456789012", "revoke_rules_on_delete": False, "tags": {}, "tags_all": {},
            "timeouts": None, "vpc_id": LIVE_VPC}


def plan_overlay():
    """A change to the estate in live/: web's ingress 22 becomes 443, a rule
    resource adds 8443 to it, group old is destroyed, group app is replaced
    (delete + create: a new id), a new instance carries the new app group; the
    VPC is managed but unchanged (no-op: its live version stays)."""
    p = Plan()
    allout = [sg_block(0, 0, "-1", cidrs=["0.0.0.0/0"])]
    vpc_state = {"arn": "arn:aws:ec2:us-east-1:123456789012:vpc/" + LIVE_VPC, "cidr_block": "10.20.0.0/16",
                 "id": LIVE_VPC, "tags": {"Name": "live"}, "default_network_acl_id": "acl-0a1b2c3d4e5f6071b",
                 "default_security_group_id": "sg-0ddddddddddddddd4", "main_route_table_id": "rtb-0a1b2c3d4e5f6071c"}
    p.add("aws_vpc", "main", vpc_state, {}, {"cidr_block": const("10.20.0.0/16")}, actions=("no-op",), before=vpc_state)
    web_before = sg_state("sg-0aaaaaaaaaaaaaaa1", "web", [sg_block(22, 22, "tcp", cidrs=["0.0.0.0/0"])], allout)
    web_after = sg_state("sg-0aaaaaaaaaaaaaaa1", "web", [sg_block(443, 443, "tcp", cidrs=["0.0.0.0/0"])], allout)
    p.add("aws_security_group", "web", web_after, {}, {"name": const("web"), "vpc_id": ref("aws_vpc.main.id")},
          actions=("update",), before=web_before)
    p.add("aws_security_group_rule", "web_8443",
          {"cidr_blocks": ["10.0.0.0/8"], "description": None, "from_port": 8443, "ipv6_cidr_blocks": None,
           "prefix_list_ids": None, "protocol": "tcp", "security_group_id": "sg-0aaaaaaaaaaaaaaa1", "self": False,
           "source_security_group_id": None, "timeouts": None, "to_port": 8443, "type": "ingress"},
          {"security_group_rule_id": True},
          {"security_group_id": ref("aws_security_group.web.id"), "type": const("ingress")})
    old = sg_state("sg-0bbbbbbbbbbbbbbb2", "old", [sg_block(5432, 5432, "tcp", cidrs=["10.20.0.0/16"])], allout)
    p.add("aws_security_group", "old", None, {}, {"name": const("old")}, actions=("delete",), before=old)
    app_before = sg_state("sg-0ccccccccccccccc3", "app", [sg_block(8080, 8080, "tcp", groups=["sg-0aaaaaaaaaaaaaaa1"])], allout)
    app_after = dict(app_before)
    for k in ("arn", "id", "owner_id", "tags_all"):
        del app_after[k]
    app_after["name"] = "app-v2"
    app_after["ingress"] = [sg_block(9090, 9090, "tcp", groups=["sg-0aaaaaaaaaaaaaaa1"])]
    p.add("aws_security_group", "app", app_after, {"id": True, "arn": True, "owner_id": True, "tags_all": True},
          {"name": const("app-v2"), "vpc_id": ref("aws_vpc.main.id")}, actions=("delete", "create"), before=app_before)
    p.add("aws_instance", "new", {"ami": "ami-0123456789abcdef0", "instance_type": "t3.micro", "subnet_id": LIVE_SUBNET,
                                  "associate_public_ip_address": False, "source_dest_check": True, "tags": None,
                                  "network_interface": []},
          {"vpc_security_group_ids": True, "private_ip": True, "public_ip": True, "primary_network_interface_id": True,
           "security_groups": True},
          {"subnet_id": const(LIVE_SUBNET), "vpc_security_group_ids": ref("aws_security_group.app.id")})
    return p


def nacl_entry(rule_no, action, protocol, cidr, lo=0, hi=0):
    return {"action": action, "cidr_block": cidr, "from_port": lo, "icmp_code": None, "icmp_type": None,
            "ipv6_cidr_block": "", "protocol": protocol, "rule_no": rule_no, "to_port": hi}


def plan_types():
    """The types the other plans do not use: network ACLs (inline, rule and
    association resources, the default ACL), the default route table and a
    main association, a peering, an interface with a group attachment, a
    target group attachment, a classic ELB, an egress rule resource, an RDS
    cluster."""
    p = Plan()
    vpc(p)
    vpc(p, name="peer", cidr="10.1.0.0/16")
    for i in range(2):
        p.add("aws_subnet", "s", {"cidr_block": "10.0.%d.0/24" % i, "map_public_ip_on_launch": False, "tags": None},
              {"vpc_id": True, "owner_id": True, "ipv6_cidr_block": True},
              {"vpc_id": ref("aws_vpc.main.id")}, index=i, count=const(2))
    p.add("aws_network_acl", "app", {"egress": [nacl_entry(100, "allow", "-1", "0.0.0.0/0")],
                                     "ingress": [nacl_entry(100, "allow", "tcp", "10.0.0.0/16", 443, 443),
                                                 nacl_entry(110, "deny", "-1", "0.0.0.0/0")], "tags": None},
          {"vpc_id": True, "owner_id": True, "subnet_ids": True},
          {"vpc_id": ref("aws_vpc.main.id"), "subnet_ids": ref("aws_subnet.s[0].id")})
    p.add("aws_network_acl_rule", "app_ssh", {"cidr_block": "10.0.0.0/8", "egress": False, "from_port": 22,
                                              "icmp_code": None, "icmp_type": None, "ipv6_cidr_block": None,
                                              "protocol": "tcp", "rule_action": "allow", "rule_number": 105,
                                              "to_port": 22},
          {"network_acl_id": True}, {"network_acl_id": ref("aws_network_acl.app.id")})
    p.add("aws_network_acl_association", "s1", {}, {"network_acl_id": True, "subnet_id": True},
          {"network_acl_id": ref("aws_network_acl.app.id"), "subnet_id": ref("aws_subnet.s[1].id")})
    p.add("aws_default_network_acl", "main", {"egress": [], "ingress": [nacl_entry(100, "allow", "tcp", "0.0.0.0/0", 80, 80)],
                                              "tags": None},
          {"default_network_acl_id": True, "vpc_id": True, "owner_id": True, "subnet_ids": True},
          {"default_network_acl_id": ref("aws_vpc.main.default_network_acl_id")})
    p.add("aws_default_route_table", "main", {"route": [], "tags": None},
          {"default_route_table_id": True, "vpc_id": True, "owner_id": True},
          {"default_route_table_id": ref("aws_vpc.main.default_route_table_id")})
    p.add("aws_route_table", "alt", {"route": [], "tags": None}, {"vpc_id": True, "owner_id": True},
          {"vpc_id": ref("aws_vpc.main.id")})
    p.add("aws_main_route_table_association", "alt", {}, {"vpc_id": True, "route_table_id": True,
                                                          "original_route_table_id": True},
          {"vpc_id": ref("aws_vpc.main.id"), "route_table_id": ref("aws_route_table.alt.id")})
    p.add("aws_vpc_peering_connection", "peer", {"auto_accept": True, "peer_region": None, "tags": None},
          {"vpc_id": True, "peer_vpc_id": True, "peer_owner_id": True, "accept_status": True},
          {"vpc_id": ref("aws_vpc.main.id"), "peer_vpc_id": ref("aws_vpc.peer.id"), "auto_accept": const(True)})
    sg(p, "app", ingress=[sg_block(443, 443, "tcp", cidrs=["10.0.0.0/8"])])
    sg(p, "extra", ingress=[sg_block(9000, 9000, "tcp", cidrs=["10.0.0.0/8"])])
    p.add("aws_vpc_security_group_egress_rule", "app_out",
          {"cidr_ipv4": None, "cidr_ipv6": "::/0", "description": None, "from_port": None, "ip_protocol": "-1",
           "prefix_list_id": None, "referenced_security_group_id": None, "tags": None, "to_port": None},
          {"security_group_id": True, "security_group_rule_id": True},
          {"security_group_id": ref("aws_security_group.app.id"), "ip_protocol": const("-1")})
    p.add("aws_network_interface", "appliance", {"private_ips": ["10.0.0.50"], "source_dest_check": False,
                                                 "description": "appliance", "tags": None},
          {"subnet_id": True, "security_groups": True, "attachment": True, "private_ip": True},
          {"subnet_id": ref("aws_subnet.s[0].id"), "security_groups": ref("aws_security_group.app.id")})
    p.add("aws_network_interface_sg_attachment", "extra", {"timeouts": None},
          {"network_interface_id": True, "security_group_id": True},
          {"network_interface_id": ref("aws_network_interface.appliance.id"),
           "security_group_id": ref("aws_security_group.extra.id")})
    p.add("aws_instance", "web", {"ami": "ami-0123456789abcdef0", "instance_type": "t3.micro",
                                  "source_dest_check": True, "tags": None, "network_interface": []},
          {"subnet_id": True, "vpc_security_group_ids": True, "private_ip": True, "public_ip": True,
           "primary_network_interface_id": True, "associate_public_ip_address": True, "security_groups": True},
          {"subnet_id": ref("aws_subnet.s[1].id"), "vpc_security_group_ids": ref("aws_security_group.app.id")})
    p.add("aws_alb_target_group", "web", {"name": "web", "port": 443, "protocol": "HTTPS", "target_type": "instance",
                                          "health_check": []},
          {"vpc_id": True, "preserve_client_ip": True}, {"vpc_id": ref("aws_vpc.main.id")})
    p.add("aws_alb_target_group_attachment", "web", {"port": 8443, "availability_zone": None},
          {"target_group_arn": True, "target_id": True},
          {"target_group_arn": ref("aws_alb_target_group.web.arn"), "target_id": ref("aws_instance.web.id")})
    p.add("aws_elb", "classic", {"name": "classic", "internal": True, "cross_zone_load_balancing": True,
                                 "listener": [{"instance_port": 8080, "instance_protocol": "http", "lb_port": 80,
                                               "lb_protocol": "http", "ssl_certificate_id": ""}]},
          {"subnets": True, "security_groups": True, "instances": True, "dns_name": True, "source_security_group": True},
          {"subnets": ref("aws_subnet.s"), "security_groups": ref("aws_security_group.app.id"),
           "instances": ref("aws_instance.web.id")})
    p.add("aws_ecr_repository", "app", {"name": "app", "image_tag_mutability": "MUTABLE"},
          {"repository_url": True, "registry_id": True}, {"name": const("app")})
    p.add("aws_ecs_task_definition", "unknown_ports", {"family": "unknown-ports", "network_mode": "bridge"},
          {"container_definitions": True, "revision": True},
          {"family": const("unknown-ports"),
           "container_definitions": ref("aws_ecr_repository.app.repository_url")})
    p.add("aws_db_subnet_group", "aurora", {"name": "aurora", "tags": None}, {"subnet_ids": True},
          {"name": const("aurora"), "subnet_ids": ref("aws_subnet.s")})
    p.add("aws_rds_cluster", "aurora", {"engine": "aurora-mysql", "cluster_identifier": "aurora",
                                        "db_subnet_group_name": "aurora"},
          {"vpc_security_group_ids": True, "port": True, "endpoint": True},
          {"engine": const("aurora-mysql"), "vpc_security_group_ids": ref("aws_security_group.app.id"),
           "db_subnet_group_name": ref("aws_db_subnet_group.aurora.name")})
    return p


if __name__ == "__main__":
    plan_refs().write(os.path.join(HERE, "refs-plan.json"))
    plan_modules().write(os.path.join(HERE, "modules-plan.json"))
    plan_ecs().write(os.path.join(HERE, "ecs-plan.json"))
    plan_overlay().write(os.path.join(HERE, "overlay-plan.json"))
    plan_types().write(os.path.join(HERE, "types-plan.json"))
