# The configuration of modules-plan.json (make_unit_plans.py: plan_modules).
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

module "shared" {
  source = "./modules/shared"
  vpc_id = aws_vpc.main.id
}

module "svc" {
  for_each = local.services
  source   = "./modules/svc"
  name     = each.key
  vpc_id   = aws_vpc.main.id
  peer_sg  = module.shared.sg_id
}

module "net" {
  count  = 2
  source = "./modules/net"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "svc_a_out" {
  type                     = "egress"
  security_group_id        = module.svc["a"].id
  source_security_group_id = module.shared.sg_id
  from_port                = 443
  to_port                  = 443
  protocol                 = "tcp"
}
