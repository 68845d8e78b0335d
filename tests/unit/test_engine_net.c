/* Network ACLs and routing (docs/semantics.md, "Network ACLs", "Routing"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model_builder.h"

/* Two interfaces in subnet-a and subnet-b with open groups. */
typedef struct pair {
    sgr_eni *c, *s;
} pair;

static pair open_pair(mb_env *e)
{
    sgr_sg *open = mb_sg_out_all(e->m.s, e->m.vpc, "sg-open");
    mb_rule_cidr(e->m.s, open, false, -1, -1, -1, "0.0.0.0/0");
    pair p = {mb_eni(e->m.s, e->m.a, "eni-c", "10.0.1.10", open, NULL), mb_eni(e->m.s, e->m.b, "eni-s", "10.0.2.20", open, NULL)};
    return p;
}

/* Lowest rule number first, first match wins; the * rule denies. */
static void test_nacl_order(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_nacl *n = mb_nacl(e.m.s, e.m.vpc, "acl-b", false);
    mb_nacl_entry(e.m.s, n, 90, false, SGR_PROTO_TCP, false, "10.0.1.10/32", 22, 22);
    mb_nacl_entry(e.m.s, n, 100, false, -1, true, "10.0.0.0/16", -1, -1);
    mb_nacl_entry(e.m.s, n, 100, true, -1, true, "10.0.0.0/16", -1, -1);
    e.m.b->nacl = n;
    pair p = open_pair(&e);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, p.c, p.s, SGR_PROTO_TCP, 80), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, p.c, p.s, SGR_PROTO_TCP, 22), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "acl-b", "rule 90 deny tcp/22 from 10.0.1.10/32"));
    mb_env_done(&e);
}

/* Stateless: the return traffic to the client's ephemeral ports needs its own
 * rule; part of the ephemeral range gives unknown. */
static void test_nacl_stateless_return(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_nacl *n = mb_nacl(e.m.s, e.m.vpc, "acl-b", false);
    mb_nacl_entry(e.m.s, n, 100, false, SGR_PROTO_TCP, true, "10.0.0.0/16", 5432, 5432);
    mb_nacl_entry(e.m.s, n, 110, false, SGR_PROTO_TCP, true, "10.0.0.0/16", 6432, 6432);
    e.m.b->nacl = n;
    pair p = open_pair(&e);
    mb_env_build(&e);
    /* no outbound rule: the reply never leaves subnet-b */
    assert_int_equal(mb_env_can(&e, p.c, p.s, SGR_PROTO_TCP, 5432), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "acl-b", "return traffic"));
    mb_env_done(&e);

    e = mb_env_new();
    n = mb_nacl(e.m.s, e.m.vpc, "acl-b", false);
    mb_nacl_entry(e.m.s, n, 100, false, SGR_PROTO_TCP, true, "10.0.0.0/16", 5432, 5432);
    mb_nacl_entry(e.m.s, n, 100, true, SGR_PROTO_TCP, true, "10.0.0.0/16", 32768, 65535);
    e.m.b->nacl = n;
    p = open_pair(&e);
    mb_env_build(&e);
    /* replies allowed only to 32768-65535 of 1024-65535: depends on the client */
    assert_int_equal(mb_env_can(&e, p.c, p.s, SGR_PROTO_TCP, 5432), SGR_UNKNOWN);
    assert_true(mb_missing_has(&e.ans, "ephemeral"));
    sgr_graph_free(e.g);
    sgr_graph_options o = {.ephemeral_from = 32768, .ephemeral_to = 60999}; /* Linux clients */
    e.g = sgr_graph_build(e.m.s, &o);
    assert_int_equal(mb_env_can(&e, p.c, p.s, SGR_PROTO_TCP, 5432), SGR_REACHABLE);
    mb_env_done(&e);
}

/* ACLs apply only across a subnet boundary. */
static void test_nacl_same_subnet(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_nacl *deny = mb_nacl(e.m.s, e.m.vpc, "acl-deny", false);
    e.m.a->nacl = deny;
    sgr_sg *open = mb_sg_out_all(e.m.s, e.m.vpc, "sg-open");
    mb_rule_cidr(e.m.s, open, false, -1, -1, -1, "0.0.0.0/0");
    sgr_eni *x = mb_eni(e.m.s, e.m.a, "eni-x", "10.0.1.10", open, NULL);
    sgr_eni *y = mb_eni(e.m.s, e.m.a, "eni-y", "10.0.1.11", open, NULL);
    sgr_eni *z = mb_eni(e.m.s, e.m.b, "eni-z", "10.0.2.11", open, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, x, y, SGR_PROTO_TCP, 80), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, x, z, SGR_PROTO_TCP, 80), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "acl-deny", NULL));
    mb_env_done(&e);
}

/* A subnet without ACL or route data: unknown, never unreachable. */
static void test_missing_data(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    e.m.b->nacl = NULL;
    pair p = open_pair(&e);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, p.c, p.s, SGR_PROTO_TCP, 80), SGR_UNKNOWN);
    assert_true(mb_missing_has(&e.ans, "no network ACL data for subnet-b"));
    mb_env_done(&e);

    e = mb_env_new();
    e.m.a->route_table = NULL;
    e.m.vpc->main_table = NULL;
    p = open_pair(&e);
    mb_env_build(&e);
    /* same VPC: the local route needs no table */
    assert_int_equal(mb_env_can(&e, p.c, p.s, SGR_PROTO_TCP, 80), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, p.c), sgr_graph_internet(e.g), SGR_PROTO_TCP, 443), SGR_UNKNOWN);
    assert_true(mb_missing_has(&e.ans, "no route table data for subnet-a"));
    mb_env_done(&e);
}

/* Internet → interface: a public address and a route to an internet gateway. */
static void test_internet_gateway(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *web = mb_sg_out_all(e.m.s, e.m.vpc, "sg-web");
    mb_rule_cidr(e.m.s, web, false, SGR_PROTO_TCP, 443, 443, "0.0.0.0/0");
    sgr_eni *pub = mb_eni(e.m.s, e.m.pub, "eni-pub", "10.0.100.10", web, NULL);
    mb_eni_public(e.m.s, pub, "54.1.2.3");
    sgr_eni *nopub = mb_eni(e.m.s, e.m.pub, "eni-nopub", "10.0.100.11", web, NULL);
    sgr_eni *priv = mb_eni(e.m.s, e.m.a, "eni-priv", "10.0.1.12", web, NULL);
    mb_eni_public(e.m.s, priv, "54.1.2.4"); /* public address, but no IGW route */
    mb_env_build(&e);
    const sgr_endpoint *inet = sgr_graph_internet(e.g);
    assert_int_equal(mb_env_can_ep(&e, inet, mb_ep_eni(e.g, pub), SGR_PROTO_TCP, 443), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "igw", "igw-1"));
    assert_int_equal(mb_env_can_ep(&e, inet, mb_ep_eni(e.g, pub), SGR_PROTO_TCP, 80), SGR_UNREACHABLE);
    assert_int_equal(mb_env_can_ep(&e, inet, mb_ep_eni(e.g, nopub), SGR_PROTO_TCP, 443), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "eni-nopub", "no public IPv4 address"));
    assert_int_equal(mb_env_can_ep(&e, inet, mb_ep_eni(e.g, priv), SGR_PROTO_TCP, 443), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "rtb-main", "private"));
    /* outbound: public subnet through the IGW with a public address; private through the NAT */
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, pub), inet, SGR_PROTO_TCP, 443), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, nopub), inet, SGR_PROTO_TCP, 443), SGR_UNREACHABLE);
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, priv), inet, SGR_PROTO_TCP, 443), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "nat", "nat-1"));
    mb_env_done(&e);
}

/* Restricted sources: the internet reaches what some public address reaches;
 * a given address only what its own rules admit; documentation ranges
 * (RFC 5737) are no internet host's. */
static void test_internet_partial(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *ssh = mb_sg_out_all(e.m.s, e.m.vpc, "sg-ssh");
    mb_rule_cidr(e.m.s, ssh, false, SGR_PROTO_TCP, 22, 22, "52.94.0.0/16");
    mb_rule_cidr(e.m.s, ssh, false, SGR_PROTO_TCP, 2222, 2222, "198.51.100.0/24");
    sgr_eni *h = mb_eni(e.m.s, e.m.pub, "eni-h", "10.0.100.10", ssh, NULL);
    mb_eni_public(e.m.s, h, "54.1.2.3");
    mb_env_build(&e);
    const sgr_endpoint *he = mb_ep_eni(e.g, h), *inet = sgr_graph_internet(e.g);
    sgr_prefix office = mb_cidr("52.94.7.7/32"), other = mb_cidr("8.8.8.8/32"), doc = mb_cidr("198.51.100.7/32");
    assert_int_equal(mb_env_can_ep(&e, sgr_graph_cidr_endpoint(e.g, &office), he, SGR_PROTO_TCP, 22), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, sgr_graph_cidr_endpoint(e.g, &other), he, SGR_PROTO_TCP, 22), SGR_UNREACHABLE);
    assert_int_equal(mb_env_can_ep(&e, inet, he, SGR_PROTO_TCP, 22), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, sgr_graph_cidr_endpoint(e.g, &doc), he, SGR_PROTO_TCP, 2222), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, inet, he, SGR_PROTO_TCP, 2222), SGR_UNREACHABLE);
    mb_env_done(&e);
}

static bool ports_have(const sgr_proto_ports *p, uint32_t n, int32_t proto, int32_t port)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i].protocol == SGR_PROTO_ALL || (p[i].protocol == proto && p[i].n_ranges == 0))
            return true;
        for (uint32_t k = 0; p[i].protocol == proto && k < p[i].n_ranges; k++)
            if (p[i].ranges[k].lo <= port && port <= p[i].ranges[k].hi)
                return true;
    }
    return false;
}

/* More address boundaries than the cells kept: the rule that admits the
 * internet on 22 comes after 1,100 /32 rules, so its range is never cut out.
 * The answer must not be "unreachable" (can: unknown; whole-estate reach:
 * port 22 possible). */
static void test_too_many_cells(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *many = mb_sg_out_all(e.m.s, e.m.vpc, "sg-many");
    char cidr[32];
    for (int i = 0; i < 1100; i++) {
        snprintf(cidr, sizeof cidr, "9.0.%d.%d/32", i / 200, 1 + i % 200);
        mb_rule_cidr(e.m.s, many, false, SGR_PROTO_TCP, 23, 23, cidr);
    }
    mb_rule_cidr(e.m.s, many, false, SGR_PROTO_TCP, 22, 22, "60.0.0.0/24");
    sgr_eni *h = mb_eni(e.m.s, e.m.pub, "eni-h", "10.0.100.10", many, NULL);
    mb_eni_public(e.m.s, h, "54.1.2.3");
    mb_env_build(&e);
    const sgr_endpoint *he = mb_ep_eni(e.g, h), *inet = sgr_graph_internet(e.g);
    assert_int_equal(mb_env_can_ep(&e, inet, he, SGR_PROTO_TCP, 23), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, inet, he, SGR_PROTO_TCP, 22), SGR_UNKNOWN);
    assert_true(mb_missing_has(&e.ans, "not tried"));
    sgr_reach *rs = NULL;
    uint32_t n = sgr_reach_from(e.g, inet, &rs, e.a);
    bool found = false;
    for (uint32_t i = 0; i < n; i++)
        if (rs[i].to == he) {
            found = true;
            assert_int_not_equal(rs[i].verdict, SGR_UNREACHABLE);
            assert_true(ports_have(rs[i].ports, rs[i].n_ports, SGR_PROTO_TCP, 23));
            assert_true(ports_have(rs[i].maybe, rs[i].n_maybe, SGR_PROTO_TCP, 22));
        }
    assert_true(found);
    mb_env_done(&e);
}

/* Whole-estate reach from a user CIDR answers what `can` answers for some
 * address of it: a rule for part of the CIDR opens the port to it. */
static void test_cidr_reach_partial(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *ssh = mb_sg_out_all(e.m.s, e.m.vpc, "sg-ssh");
    mb_rule_cidr(e.m.s, ssh, false, SGR_PROTO_TCP, 22, 22, "52.94.0.0/16");
    sgr_eni *h = mb_eni(e.m.s, e.m.pub, "eni-h", "10.0.100.10", ssh, NULL);
    mb_eni_public(e.m.s, h, "54.1.2.3");
    mb_env_build(&e);
    const sgr_endpoint *he = mb_ep_eni(e.g, h);
    sgr_prefix wide = mb_cidr("52.0.0.0/8");
    const sgr_endpoint *src = sgr_graph_cidr_endpoint(e.g, &wide);
    assert_int_equal(mb_env_can_ep(&e, src, he, SGR_PROTO_TCP, 22), SGR_REACHABLE);
    sgr_reach *rs = NULL;
    uint32_t n = sgr_reach_from(e.g, src, &rs, e.a);
    bool found = false;
    for (uint32_t i = 0; i < n; i++)
        if (rs[i].to == he) {
            found = true;
            assert_int_equal(rs[i].verdict, SGR_REACHABLE);
            assert_true(ports_have(rs[i].ports, rs[i].n_ports, SGR_PROTO_TCP, 22));
        }
    assert_true(found);
    mb_env_done(&e);
}

/* Blackhole = no route; peering needs routes both ways; a TGW route is unknown. */
static void test_routes_between_vpcs(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_vpc *v2 = mb_vpc(e.m.s, "vpc-2", "10.1.0.0/16");
    sgr_route_table *rt2 = mb_rt(e.m.s, v2, "rtb-2", true);
    sgr_nacl *n2 = mb_nacl(e.m.s, v2, "acl-2", true);
    sgr_subnet *s2 = mb_subnet(e.m.s, v2, "subnet-2", "10.1.1.0/24", NULL, n2);
    sgr_peering *p = SGR_NEW(e.m.s->arena, sgr_peering);
    p->id = "pcx-1";
    p->status = "active";
    p->requester.vpc_id = "vpc-1";
    p->accepter.vpc_id = "vpc-2";
    MB_PUSH(e.m.s, peerings, p);
    mb_route(e.m.s, e.m.rt_main, "10.1.0.0/16", SGR_RT_PEERING, "pcx-1");
    sgr_sg *open = mb_sg_out_all(e.m.s, e.m.vpc, "sg-open");
    mb_rule_cidr(e.m.s, open, false, -1, -1, -1, "0.0.0.0/0");
    sgr_sg *open2 = mb_sg_out_all(e.m.s, v2, "sg-open2");
    mb_rule_cidr(e.m.s, open2, false, -1, -1, -1, "0.0.0.0/0");
    sgr_eni *c = mb_eni(e.m.s, e.m.a, "eni-c", "10.0.1.10", open, NULL);
    sgr_eni *s = mb_eni(e.m.s, s2, "eni-s", "10.1.1.10", open2, NULL);
    mb_env_build(&e);
    /* only one direction routed */
    assert_int_equal(mb_env_can(&e, c, s, SGR_PROTO_TCP, 80), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "rtb-2", "no route to 10.0.1.10"));
    sgr_graph_free(e.g);
    mb_route(e.m.s, rt2, "10.0.0.0/16", SGR_RT_PEERING, "pcx-1");
    e.g = sgr_graph_build(e.m.s, NULL);
    assert_int_equal(mb_env_can(&e, c, s, SGR_PROTO_TCP, 80), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "peering", "pcx-1"));
    sgr_graph_free(e.g);
    /* a more specific blackhole route wins and drops the traffic */
    mb_route(e.m.s, e.m.rt_main, "10.1.1.0/24", SGR_RT_NAT, "nat-gone");
    e.m.rt_main->routes[e.m.rt_main->n_routes - 1].blackhole = true;
    e.g = sgr_graph_build(e.m.s, NULL);
    assert_int_equal(mb_env_can(&e, c, s, SGR_PROTO_TCP, 80), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "rtb-main", "blackhole"));
    sgr_graph_free(e.g);
    /* via a transit gateway without its route tables: unknown */
    e.m.rt_main->routes[e.m.rt_main->n_routes - 1].blackhole = false;
    e.m.rt_main->routes[e.m.rt_main->n_routes - 1].target = SGR_RT_TGW;
    e.m.rt_main->routes[e.m.rt_main->n_routes - 1].target_id = "tgw-1";
    e.g = sgr_graph_build(e.m.s, NULL);
    assert_int_equal(mb_env_can(&e, c, s, SGR_PROTO_TCP, 80), SGR_UNKNOWN);
    assert_true(mb_missing_has(&e.ans, "tgw-1"));
    mb_env_done(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nacl_order),       cmocka_unit_test(test_nacl_stateless_return),
        cmocka_unit_test(test_nacl_same_subnet), cmocka_unit_test(test_missing_data),
        cmocka_unit_test(test_internet_gateway), cmocka_unit_test(test_internet_partial),
        cmocka_unit_test(test_too_many_cells), cmocka_unit_test(test_cidr_reach_partial),
        cmocka_unit_test(test_routes_between_vpcs),
    };
    return cmocka_run_group_tests_name("engine: ACLs and routes", tests, NULL, NULL);
}
