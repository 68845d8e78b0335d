variable "name" {}
variable "vpc_id" {}
variable "peer_sg" {}

resource "aws_security_group" "this" {
  name   = var.name
  vpc_id = var.vpc_id
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [var.peer_sg]
  }
}

output "id" {
  value = aws_security_group.this.id
}
