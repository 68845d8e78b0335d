#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "load/import.h"
#include "load_helper.h"

static const char *fmt_prefix(const sgr_prefix *p)
{
    static char buf[80];
    return sgr_format_prefix(p, buf, sizeof buf);
}

static const char *fmt_ip(const sgr_ip *ip)
{
    static char buf[64];
    return sgr_format_ip(ip, buf, sizeof buf);
}

static void vpcs_subnets_routes_acls(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "a/vpcs.json",
               "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"OwnerId\": \"111122223333\", \"IsDefault\": false,\n"
               " \"CidrBlock\": \"10.0.0.0/16\",\n"
               " \"CidrBlockAssociationSet\": [{\"CidrBlock\": \"10.0.0.0/16\", \"CidrBlockState\": {\"State\": \"associated\"}},\n"
               "   {\"CidrBlock\": \"10.1.0.0/16\", \"CidrBlockState\": {\"State\": \"associated\"}},\n"
               "   {\"CidrBlock\": \"10.9.0.0/16\", \"CidrBlockState\": {\"State\": \"disassociated\"}}],\n"
               " \"Ipv6CidrBlockAssociationSet\": [{\"Ipv6CidrBlock\": \"2001:db8:1234:1a00::/56\"}],\n"
               " \"Tags\": [{\"Key\": \"Name\", \"Value\": \"prod\"}]}]}\n"
               "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0.0/16\"}], \"NextToken\": \"x\"}\n");
    tdir_write(&d, "b/subnets.json",
               "{\"Subnets\": [{\"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.1.0/24\",\n"
               "  \"AvailabilityZone\": \"us-east-1a\", \"MapPublicIpOnLaunch\": true, \"AvailableIpAddressCount\": 250},\n"
               " {\"SubnetId\": \"subnet-b\", \"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.2.0/24\"}]}");
    tdir_write(&d, "c/rt.json",
               "{\"RouteTables\": [\n"
               " {\"RouteTableId\": \"rtb-main\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"Main\": true}],\n"
               "  \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"State\": \"active\"}]},\n"
               " {\"RouteTableId\": \"rtb-pub\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"Main\": false, \"SubnetId\": \"subnet-a\"}],\n"
               "  \"Routes\": [{\"DestinationCidrBlock\": \"0.0.0.0/0\", \"GatewayId\": \"igw-1\"},\n"
               "   {\"DestinationCidrBlock\": \"192.168.0.0/16\", \"NatGatewayId\": \"nat-1\", \"State\": \"blackhole\"},\n"
               "   {\"DestinationIpv6CidrBlock\": \"::/0\", \"EgressOnlyInternetGatewayId\": \"eigw-1\"},\n"
               "   {\"DestinationPrefixListId\": \"pl-1\", \"GatewayId\": \"vpce-1\"},\n"
               "   {\"DestinationCidrBlock\": \"172.16.0.0/12\", \"VpcPeeringConnectionId\": \"pcx-1\"},\n"
               "   {\"DestinationCidrBlock\": \"172.32.0.0/33\", \"TransitGatewayId\": \"tgw-1\"}]}]}\n");
    tdir_write(&d, "d/acl.json",
               "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-def\", \"VpcId\": \"vpc-1\", \"IsDefault\": true,\n"
               " \"Associations\": [{\"SubnetId\": \"subnet-b\"}],\n"
               " \"Entries\": [\n"
               "  {\"RuleNumber\": 32767, \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"deny\", \"CidrBlock\": \"0.0.0.0/0\"},\n"
               "  {\"RuleNumber\": 100, \"Egress\": true, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\"},\n"
               "  {\"RuleNumber\": 200, \"Egress\": false, \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"CidrBlock\": \"10.0.0.0/8\",\n"
               "   \"PortRange\": {\"From\": 443, \"To\": 443}},\n"
               "  {\"RuleNumber\": 100, \"Egress\": false, \"Protocol\": \"1\", \"RuleAction\": \"deny\", \"Ipv6CidrBlock\": \"::/0\",\n"
               "   \"IcmpTypeCode\": {\"Type\": 8, \"Code\": -1}},\n"
               "  {\"RuleNumber\": 150, \"Egress\": false, \"Protocol\": \"6\", \"RuleAction\": \"maybe\", \"CidrBlock\": \"0.0.0.0/0\"}\n"
               " ]}]}\n");
    tdir_write(&d, "e/igw.json",
               "{\"InternetGateways\": [{\"InternetGatewayId\": \"igw-1\", \"Attachments\": [{\"State\": \"available\", \"VpcId\": \"vpc-1\"}]}],\n"
               " \"Mystery\": 1}");
    tdir_write(&d, "e/igw2.json", "{\"InternetGateways\": [], \"Mystery\": 2}");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    assert_int_equal(s->n_files, 6);
    /* vpc-1 described twice (two pages): merged, first origin kept. */
    assert_int_equal(s->n_vpcs, 1);
    sgr_vpc *v = s->vpcs[0];
    assert_string_equal(v->id, "vpc-1");
    assert_string_equal(v->owner, "111122223333");
    assert_string_equal(v->name, "prod");
    assert_int_equal(v->n_cidrs, 3);
    assert_string_equal(fmt_prefix(&v->cidrs[0]), "10.0.0.0/16");
    assert_string_equal(fmt_prefix(&v->cidrs[1]), "10.1.0.0/16");
    assert_string_equal(fmt_prefix(&v->cidrs[2]), "2001:db8:1234:1a00::/56");
    assert_int_equal(v->origin.line, 1);
    assert_true(v->has_igw);
    assert_string_equal(v->igw_id, "igw-1");
    /* Subnets, tables, ACLs and their links. */
    assert_int_equal(s->n_subnets, 2);
    sgr_subnet *a = sgr_snapshot_find(s, SGR_KIND_SUBNET, "subnet-a");
    sgr_subnet *b = sgr_snapshot_find(s, SGR_KIND_SUBNET, "subnet-b");
    assert_true(a->map_public_ip);
    assert_int_equal(a->available_ips, 250);
    assert_int_equal(b->available_ips, -1);
    assert_ptr_equal(a->vpc, v);
    assert_string_equal(a->route_table->id, "rtb-pub");
    assert_false(a->route_table_is_main);
    assert_string_equal(b->route_table->id, "rtb-main");
    assert_true(b->route_table_is_main);
    assert_ptr_equal(v->main_table, b->route_table);
    assert_string_equal(a->nacl->id, "acl-def");
    assert_ptr_equal(b->nacl, a->nacl);
    sgr_route_table *pub = a->route_table;
    assert_int_equal(pub->n_routes, 5); /* the /33 route is skipped */
    assert_int_equal(pub->routes[0].target, SGR_RT_IGW);
    assert_int_equal(pub->routes[1].target, SGR_RT_NAT);
    assert_true(pub->routes[1].blackhole);
    assert_int_equal(pub->routes[2].target, SGR_RT_EIGW);
    assert_int_equal(pub->routes[2].dest.ip.family, SGR_AF_INET6);
    assert_int_equal(pub->routes[3].target, SGR_RT_VPCE);
    assert_string_equal(pub->routes[3].dest_prefix_list, "pl-1");
    assert_int_equal(pub->routes[4].target, SGR_RT_PEERING);
    assert_int_equal(diag_count(s, "invalid CIDR \"172.32.0.0/33\""), 1);
    sgr_nacl *acl = a->nacl;
    assert_int_equal(acl->n_entries, 4); /* "maybe" skipped */
    /* Sorted: ingress by number, then egress. */
    assert_false(acl->entries[0].egress);
    assert_int_equal(acl->entries[0].rule_number, 100);
    assert_int_equal(acl->entries[0].protocol, 1);
    assert_int_equal(acl->entries[0].icmp_type, 8);
    assert_int_equal(acl->entries[0].icmp_code, -1);
    assert_int_equal(acl->entries[1].rule_number, 200);
    assert_int_equal(acl->entries[1].port_from, 443);
    assert_int_equal(acl->entries[2].rule_number, 32767);
    assert_false(acl->entries[2].allow);
    assert_true(acl->entries[3].egress);
    assert_int_equal(acl->entries[3].port_from, -1);
    assert_int_equal(diag_count(s, "RuleAction"), 1);
    /* An unknown top-level key: one warning although two files carry it. */
    assert_int_equal(diag_count(s, "unrecognised top-level key"), 1);
    assert_int_equal(diag_count(s, "NextToken"), 0);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

static void security_groups_and_rules(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "1-sg.json",
               "{\"SecurityGroups\": [{\"GroupId\": \"sg-web\", \"GroupName\": \"web\", \"VpcId\": \"vpc-1\", \"OwnerId\": \"1111\",\n"
               " \"IpPermissions\": [\n"
               "  {\"IpProtocol\": \"6\", \"FromPort\": 443, \"ToPort\": 443,\n"
               "   \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}, {\"CidrIp\": \"10.0.0.5/8\", \"Description\": \"office\"}],\n"
               "   \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]},\n"
               "  {\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,\n"
               "   \"UserIdGroupPairs\": [{\"GroupId\": \"sg-bastion\", \"UserId\": \"2222\", \"VpcId\": \"vpc-9\",\n"
               "     \"VpcPeeringConnectionId\": \"pcx-1\"}]},\n"
               "  {\"IpProtocol\": \"icmp\", \"FromPort\": 8, \"ToPort\": -1, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]},\n"
               "  {\"IpProtocol\": \"50\", \"FromPort\": 5, \"ToPort\": 6, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]},\n"
               "  {\"IpProtocol\": \"tcp\", \"FromPort\": 80, \"ToPort\": 80, \"PrefixListIds\": [{\"PrefixListId\": \"pl-1\"}]},\n"
               "  {\"IpProtocol\": \"tcp\", \"FromPort\": 90, \"ToPort\": 80, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]},\n"
               "  {\"IpProtocol\": \"tcp\", \"FromPort\": 1, \"ToPort\": 2, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/33\"}]},\n"
               "  {\"IpProtocol\": \"tcpp\", \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}\n"
               " ],\n"
               " \"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}],\n"
               "   \"UserIdGroupPairs\": [{\"GroupId\": \"sg-web\"}]}]}]}\n");
    /* The same group's rules again from describe-security-group-rules, plus
     * one new rule, plus a group only this dump names. */
    tdir_write(&d, "2-rules.json",
               "{\"SecurityGroupRules\": [\n"
               " {\"SecurityGroupRuleId\": \"sgr-1\", \"GroupId\": \"sg-web\", \"GroupOwnerId\": \"1111\", \"IsEgress\": false,\n"
               "  \"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443, \"CidrIpv4\": \"0.0.0.0/0\"},\n"
               " {\"SecurityGroupRuleId\": \"sgr-2\", \"GroupId\": \"sg-web\", \"IsEgress\": true,\n"
               "  \"IpProtocol\": \"-1\", \"FromPort\": -1, \"ToPort\": -1, \"CidrIpv4\": \"0.0.0.0/0\"},\n"
               " {\"SecurityGroupRuleId\": \"sgr-3\", \"GroupId\": \"sg-web\", \"IsEgress\": false,\n"
               "  \"IpProtocol\": \"udp\", \"FromPort\": 53, \"ToPort\": 53,\n"
               "  \"ReferencedGroupInfo\": {\"GroupId\": \"sg-dns\", \"UserId\": \"1111\"}},\n"
               " {\"SecurityGroupRuleId\": \"sgr-4\", \"GroupId\": \"sg-other\", \"IsEgress\": false,\n"
               "  \"IpProtocol\": \"tcp\", \"FromPort\": 5432, \"ToPort\": 5432, \"PrefixListId\": \"pl-1\"}\n"
               "]}\n");
    tdir_write(&d, "3-pl.json",
               "{\"PrefixLists\": [{\"PrefixListId\": \"pl-1\", \"AddressFamily\": \"IPv4\", \"MaxEntries\": 10,\n"
               "  \"PrefixListName\": \"corp\", \"OwnerId\": \"1111\"}]}\n"
               "{\"PrefixListId\": \"pl-1\", \"Entries\": [{\"Cidr\": \"192.168.1.0/24\"}, {\"Cidr\": \"192.168.2.0/24\"}]}\n"
               "{\"PrefixListId\": \"pl-1\", \"Entries\": [{\"Cidr\": \"192.168.2.0/24\"}, {\"Cidr\": \"bad\"}]}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    assert_int_equal(s->n_sgs, 2);
    sgr_sg *g = sgr_snapshot_find(s, SGR_KIND_SG, "sg-web");
    assert_true(g->described);
    assert_string_equal(g->name, "web");
    assert_string_equal(g->origin.path, "$.SecurityGroups[0]");
    /* 9 from describe-security-groups (2 IPv4 + 1 IPv6 + group + icmp + proto 50 +
     * prefix list + egress all + egress self), + 1 new from the rules dump. */
    assert_int_equal(g->n_rules, 9 + 1);
    sgr_sg_rule *r = &g->rules[0];
    assert_int_equal(r->protocol, 6);
    assert_int_equal(r->from_port, 443);
    assert_string_equal(r->rule_id, "sgr-1"); /* merged, not doubled */
    assert_string_equal(r->origin.path, "$.SecurityGroups[0].IpPermissions[0].IpRanges[0]");
    assert_int_equal(r->origin.line, 4);
    assert_string_equal(fmt_prefix(&g->rules[1].cidr), "10.0.0.0/8");
    assert_string_equal(g->rules[1].description, "office");
    assert_int_equal(g->rules[2].cidr.ip.family, SGR_AF_INET6);
    r = &g->rules[3];
    assert_int_equal(r->peer_kind, SGR_PEER_GROUP);
    assert_string_equal(r->group_id, "sg-bastion");
    assert_string_equal(r->group_owner, "2222");
    assert_string_equal(r->group_vpc, "vpc-9");
    assert_string_equal(r->peering_id, "pcx-1");
    assert_null(r->group);
    assert_int_equal(g->rules[4].protocol, 1);
    assert_int_equal(g->rules[4].from_port, 8);
    assert_int_equal(g->rules[4].to_port, -1);
    assert_int_equal(g->rules[5].protocol, 50);
    assert_int_equal(g->rules[5].from_port, -1); /* other protocols: all ports */
    assert_int_equal(g->rules[6].peer_kind, SGR_PEER_PREFIX_LIST);
    assert_non_null(g->rules[6].prefix_list);
    r = &g->rules[7];
    assert_true(r->egress);
    assert_int_equal(r->protocol, -1);
    assert_int_equal(r->from_port, -1);
    assert_string_equal(r->rule_id, "sgr-2");
    assert_ptr_equal(g->rules[8].group, g);
    assert_int_equal(g->rules[9].protocol, 17);
    assert_string_equal(g->rules[9].group_id, "sg-dns");
    assert_int_equal(diag_count(s, "FromPort 90 > ToPort 80"), 1);
    assert_int_equal(diag_count(s, "invalid CIDR \"10.0.0.0/33\""), 1);
    assert_int_equal(diag_count(s, "invalid IpProtocol \"tcpp\""), 1);
    /* Undescribed groups: one warning each at the first reference. */
    const sgr_diag *w = diag_find(s, "sg-bastion is referenced but no dump describes it");
    assert_non_null(w);
    assert_string_equal(w->path, "$.SecurityGroups[0].IpPermissions[1].UserIdGroupPairs[0]");
    assert_int_equal(w->line, 7);
    assert_int_equal(diag_count(s, "sg-dns is referenced"), 1);
    sgr_sg *other = sgr_snapshot_find(s, SGR_KIND_SG, "sg-other");
    assert_non_null(other);
    assert_int_equal(other->n_rules, 1);
    assert_null(other->owner); /* GroupOwnerId not printed */
    assert_true(other->described);
    sgr_prefix_list *pl = sgr_snapshot_find(s, SGR_KIND_PREFIX_LIST, "pl-1");
    assert_true(pl->entries_known);
    assert_int_equal(pl->n_entries, 2);
    assert_int_equal(pl->max_entries, 10);
    assert_int_equal(pl->family, SGR_AF_INET);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

static void enis_and_instances_merge(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "eni.json",
               "{\"NetworkInterfaces\": [\n"
               " {\"NetworkInterfaceId\": \"eni-1\", \"VpcId\": \"vpc-1\", \"SubnetId\": \"subnet-a\",\n"
               "  \"Groups\": [{\"GroupId\": \"sg-1\"}, {\"GroupId\": \"sg-gone\"}], \"InterfaceType\": \"interface\",\n"
               "  \"PrivateIpAddress\": \"10.0.1.5\", \"Status\": \"in-use\", \"SourceDestCheck\": false,\n"
               "  \"Attachment\": {\"InstanceId\": \"i-1\", \"DeviceIndex\": 0},\n"
               "  \"PrivateIpAddresses\": [\n"
               "   {\"PrivateIpAddress\": \"10.0.1.6\", \"Primary\": false},\n"
               "   {\"PrivateIpAddress\": \"10.0.1.5\", \"Primary\": true,\n"
               "    \"Association\": {\"PublicIp\": \"54.1.2.3\", \"IpOwnerId\": \"amazon\"}}],\n"
               "  \"Ipv6Addresses\": [{\"Ipv6Address\": \"2001:db8::5\"}],\n"
               "  \"Ipv4Prefixes\": [{\"Ipv4Prefix\": \"10.0.1.64/28\"}, {\"Ipv4Prefix\": \"10.0.1.64/28\"}],\n"
               "  \"Ipv6Prefixes\": [{\"Ipv6Prefix\": \"2001:db8:0:0:1::/80\"}],\n"
               "  \"TagSet\": [{\"Key\": \"Name\", \"Value\": \"web-eni\"}]},\n"
               " {\"NetworkInterfaceId\": \"eni-nat\", \"VpcId\": \"vpc-1\", \"InterfaceType\": \"nat_gateway\",\n"
               "  \"PrivateIpAddress\": \"10.0.1.9\", \"RequesterManaged\": true},\n"
               " {\"NetworkInterfaceId\": \"eni-alb\", \"VpcId\": \"vpc-1\", \"Description\": \"ELB app/web/0123abcd\",\n"
               "  \"RequesterId\": \"amazon-elb\", \"PrivateIpAddress\": \"10.0.1.10\",\n"
               "  \"Association\": {\"PublicIp\": \"3.3.3.3\", \"IpOwnerId\": \"amazon-elb\"}},\n"
               " {\"NetworkInterfaceId\": \"eni-eip\", \"VpcId\": \"vpc-1\", \"PrivateIpAddress\": \"10.0.1.11\",\n"
               "  \"Association\": {\"PublicIp\": \"52.0.0.1\", \"IpOwnerId\": \"111122223333\", \"AllocationId\": \"eipalloc-1\"}},\n"
               " {\"NetworkInterfaceId\": \"eni-rds\", \"Description\": \"RDSNetworkInterface\", \"PrivateIpAddress\": \"10.0.1.12\"}\n"
               "]}\n");
    tdir_write(&d, "inst.json",
               "{\"Reservations\": [{\"OwnerId\": \"111122223333\", \"Instances\": [\n"
               " {\"InstanceId\": \"i-1\", \"State\": {\"Name\": \"running\"}, \"InstanceType\": \"t3.micro\",\n"
               "  \"VpcId\": \"vpc-1\", \"SubnetId\": \"subnet-a\", \"PrivateIpAddress\": \"10-0-1-5\",\n"
               "  \"SecurityGroups\": [{\"GroupId\": \"sg-1\"}],\n"
               "  \"NetworkInterfaces\": [\n"
               "   {\"NetworkInterfaceId\": \"eni-1\", \"Attachment\": {\"DeviceIndex\": 0},\n"
               "    \"Groups\": [{\"GroupId\": \"sg-1\"}, {\"GroupId\": \"sg-gone\"}], \"PrivateIpAddress\": \"10.0.1.5\"},\n"
               "   {\"NetworkInterfaceId\": \"eni-2\", \"Attachment\": {\"DeviceIndex\": 1}, \"SubnetId\": \"subnet-a\",\n"
               "    \"Groups\": [{\"GroupId\": \"sg-1\"}], \"PrivateIpAddress\": \"10.0.1.7\"}]}]}]}\n");
    tdir_write(&d, "sg.json",
               "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"VpcId\": \"vpc-1\"}]}\n"
               "{\"LoadBalancers\": [{\"LoadBalancerArn\": \"arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/0123abcd\",\n"
               "  \"LoadBalancerName\": \"web\", \"Type\": \"application\", \"VpcId\": \"vpc-1\"}]}\n"
               "{\"NatGateways\": [{\"NatGatewayId\": \"nat-1\", \"NatGatewayAddresses\": [{\"PublicIp\": \"198.11.222.333\",\n"
               "  \"PrivateIp\": \"10.0.1.9\", \"NetworkInterfaceId\": \"eni-nat\"}]}]}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    assert_int_equal(s->n_enis, 6); /* eni-1 in both dumps: once */
    sgr_eni *e = sgr_snapshot_find(s, SGR_KIND_ENI, "eni-1");
    assert_string_equal(e->origin.path, "$.NetworkInterfaces[0]");
    assert_string_equal(e->name, "web-eni");
    assert_false(e->source_dest_check);
    assert_int_equal(e->n_private_ips, 2);
    assert_string_equal(fmt_ip(&e->private_ips[0]), "10.0.1.5");
    assert_string_equal(fmt_ip(&e->private_ips[1]), "10.0.1.6");
    assert_int_equal(e->n_public_ips, 1);
    assert_string_equal(fmt_ip(&e->public_ips[0].ip), "54.1.2.3");
    assert_false(e->public_ips[0].elastic);
    assert_string_equal(fmt_ip(&e->public_ips[0].private_ip), "10.0.1.5");
    assert_int_equal(e->n_ipv6, 1);
    assert_int_equal(e->n_prefixes, 2);
    assert_string_equal(fmt_prefix(&e->prefixes[0]), "10.0.1.64/28");
    assert_int_equal(e->group_ids.count, 2);
    assert_non_null(e->groups[0]);
    assert_null(e->groups[1]);
    assert_int_equal(diag_count(s, "sg-gone is referenced"), 1);
    assert_int_equal(e->owner_kind, SGR_ENI_OWNER_INSTANCE);
    sgr_instance *in = sgr_snapshot_find(s, SGR_KIND_INSTANCE, "i-1");
    assert_ptr_equal(e->instance, in);
    assert_ptr_equal(in->primary_eni, e);
    assert_int_equal(in->n_enis, 2);
    assert_string_equal(in->state, "running");
    assert_string_equal(in->owner, "111122223333");
    assert_int_equal(in->private_ip.family, 0); /* "10-0-1-5" dropped with a warning */
    assert_int_equal(diag_count(s, "invalid IP address \"10-0-1-5\""), 1);
    sgr_eni *e2 = sgr_snapshot_find(s, SGR_KIND_ENI, "eni-2");
    assert_string_equal(e2->attached_instance, "i-1");
    assert_int_equal(e2->device_index, 1);
    assert_ptr_equal(in->enis[1].eni, e2);
    sgr_eni *nat = sgr_snapshot_find(s, SGR_KIND_ENI, "eni-nat");
    assert_int_equal(nat->owner_kind, SGR_ENI_OWNER_NAT);
    sgr_eni *alb = sgr_snapshot_find(s, SGR_KIND_ENI, "eni-alb");
    assert_int_equal(alb->owner_kind, SGR_ENI_OWNER_LB);
    assert_non_null(alb->lb);
    assert_int_equal(alb->lb->n_enis, 1);
    assert_ptr_equal(alb->lb->enis[0], alb);
    assert_false(alb->public_ips[0].elastic);
    sgr_eni *eip = sgr_snapshot_find(s, SGR_KIND_ENI, "eni-eip");
    assert_true(eip->public_ips[0].elastic);
    assert_int_equal(eip->owner_kind, SGR_ENI_OWNER_NONE);
    assert_int_equal(((sgr_eni *)sgr_snapshot_find(s, SGR_KIND_ENI, "eni-rds"))->owner_kind, SGR_ENI_OWNER_RDS);
    sgr_nat *ng = s->nats[0];
    assert_int_equal(ng->n_public_ips, 0);
    assert_int_equal(ng->n_private_ips, 1);
    assert_int_equal(diag_count(s, "198.11.222.333"), 1);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

static void bad_inputs(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    sgr_snapshot *s;
    /* Empty directory: an error. */
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_ERROR);
    assert_int_equal(diag_count(s, "no *.json"), 1);
    sgr_snapshot_free(s);
    /* Only a file of nothing sgreach reads (read by its content, `{}`, whatever its name): still an error. */
    tdir_write(&d, "notes.txt", "{}");
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_ERROR);
    sgr_snapshot_free(s);
    /* Wrong types: warnings, the rest loads. */
    tdir_write(&d, "x.json",
               "{\"Vpcs\": {\"VpcId\": \"vpc-1\"}, \"Subnets\": [7, {\"SubnetId\": 5}, {\"SubnetId\": \"subnet-1\",\n"
               " \"MapPublicIpOnLaunch\": \"yes\", \"AvailableIpAddressCount\": 1e99}]}");
    tdir_write(&d, "y.json", "[1, 2]");
    tdir_write(&d, "z.json", "   \n");
    /* A symlink loop must not hang. */
    char link[400];
    snprintf(link, sizeof link, "%s/loop", d.path);
    assert_int_equal(symlink(d.path, link), 0);
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    assert_int_equal(s->n_vpcs, 0);
    assert_int_equal(s->n_subnets, 1);
    assert_int_equal(s->n_files, 4); /* x, y, z.json and notes.txt, a JSON object by content */
    assert_int_equal(diag_count(s, "expected an array"), 1);
    assert_int_equal(diag_count(s, "expected a string"), 1);
    assert_int_equal(diag_count(s, "expected a boolean"), 1);
    assert_int_equal(diag_count(s, "expected an integer"), 1);
    assert_int_equal(diag_count(s, "top-level value is an array"), 1);
    assert_int_equal(diag_count(s, "no JSON document"), 1);
    sgr_snapshot_free(s);
    /* A path that does not exist. */
    const char *paths[1] = {"/nonexistent/sgreach"};
    assert_int_equal(sgr_snapshot_load(paths, 1, NULL, &s), SGR_LOAD_ERROR);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

static void registry_remove_and_alias(void **state)
{
    (void)state;
    sgr_snapshot *s = load_text("{\"LoadBalancers\": [{\"LoadBalancerArn\": \"arn:lb/app/x/1\", \"LoadBalancerName\": \"x\"},\n"
                                " {\"LoadBalancerArn\": \"arn:lb/app/y/2\", \"LoadBalancerName\": \"y\"}]}\n"
                                "{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}, {\"VpcId\": \"vpc-2\"}, {\"VpcId\": \"vpc-3\"}]}");
    sgr_lb *x = sgr_snapshot_find(s, SGR_KIND_LB, "arn:lb/app/x/1");
    assert_ptr_equal(sgr_snapshot_find(s, SGR_KIND_LB, "name:x"), x);
    /* Removed by its alias: gone under every key and from the vector. */
    sgr_snap_remove(s, SGR_KIND_LB, "name:x");
    assert_null(sgr_snapshot_find(s, SGR_KIND_LB, "arn:lb/app/x/1"));
    assert_null(sgr_snapshot_find(s, SGR_KIND_LB, "name:x"));
    assert_int_equal(s->n_lbs, 1);
    assert_string_equal(s->lbs[0]->name, "y");
    sgr_snap_remove(s, SGR_KIND_VPC, "vpc-2");
    sgr_snap_remove(s, SGR_KIND_VPC, "vpc-404");
    assert_int_equal(s->n_vpcs, 2);
    assert_string_equal(s->vpcs[1]->id, "vpc-3");
    assert_int_equal(sgr_snapshot_count(s, SGR_KIND_VPC), 2);
    /* Interned again after a removal: a fresh object. */
    bool is_new;
    sgr_vpc *v = sgr_snap_intern(s, SGR_KIND_VPC, "vpc-2", sizeof *v, &is_new);
    assert_true(is_new);
    assert_string_equal(v->id, "vpc-2");
    assert_int_equal(s->n_vpcs, 3);
    assert_ptr_equal(sgr_snapshot_find(s, SGR_KIND_VPC, "vpc-2"), v);
    assert_string_equal(sgr_kind_name(SGR_KIND_ENI), "network_interfaces");
    sgr_snapshot_free(s);
}

static void repeated_descriptions_stay_linear(void **state)
{
    (void)state;
    /* One group described 20,000 times (pages), one new rule each time, and
     * one target group's health given 20,000 times: appends must not copy
     * the whole array each time (that would take minutes). */
    size_t n = 20000, cap = n * 260 + 64, len = 0;
    char *text = malloc(cap);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\",\n"
                                " \"FromPort\": %zu, \"ToPort\": %zu, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}]}]}\n"
                                "{\"TargetGroupArn\": \"arn:tg\", \"TargetHealthDescriptions\": [{\"Target\": {\"Id\": \"i-%zu\"}}]}\n",
                                i % 65536, i % 65536, i);
    sgr_snapshot *s = load_text(text);
    free(text);
    assert_int_equal(s->n_sgs, 1);
    assert_int_equal(s->sgs[0]->n_rules, n);
    assert_int_equal(s->sgs[0]->rules[n - 1].from_port, (int)((n - 1) % 65536));
    assert_int_equal(s->target_groups[0]->n_targets, n);
    sgr_snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vpcs_subnets_routes_acls),
        cmocka_unit_test(security_groups_and_rules),
        cmocka_unit_test(enis_and_instances_merge),
        cmocka_unit_test(bad_inputs),
        cmocka_unit_test(registry_remove_and_alias),
        cmocka_unit_test(repeated_descriptions_stay_linear),
    };
    return cmocka_run_group_tests_name("import_ec2", tests, NULL, NULL);
}
