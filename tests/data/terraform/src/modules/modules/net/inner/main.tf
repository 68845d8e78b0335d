variable "vpc_id" {}

resource "aws_network_acl" "this" {
  vpc_id = var.vpc_id
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.0.0.0/8"
    from_port  = 0
    to_port    = 0
  }
}
