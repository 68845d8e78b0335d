variable "vpc_id" {}

resource "aws_subnet" "this" {
  vpc_id     = var.vpc_id
  cidr_block = "10.0.${10 + count.index}.0/24"
}

module "inner" {
  source = "./inner"
  vpc_id = var.vpc_id
}
