variable "vpc_id" {}

resource "aws_security_group" "this" {
  name   = "this"
  vpc_id = var.vpc_id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

output "sg_id" {
  value = aws_security_group.this.id
}
