/* Security-group semantics (docs/semantics.md, "Security groups"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model_builder.h"

/* Allow-only and stateful: egress of the source and ingress of the destination
 * must both allow; the return traffic needs no rule. */
static void test_stateful_allow_only(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *client = mb_sg_out_all(e.m.s, e.m.vpc, "sg-client");
    sgr_sg *db = mb_sg(e.m.s, e.m.vpc, "sg-db"); /* no egress rule at all */
    mb_rule_cidr(e.m.s, db, false, SGR_PROTO_TCP, 5432, 5432, "10.0.1.0/24");
    sgr_sg *mute = mb_sg(e.m.s, e.m.vpc, "sg-mute"); /* no rules */
    sgr_eni *c = mb_eni(e.m.s, e.m.a, "eni-c", "10.0.1.10", client, NULL);
    sgr_eni *d = mb_eni(e.m.s, e.m.b, "eni-d", "10.0.2.20", db, NULL);
    sgr_eni *m = mb_eni(e.m.s, e.m.a, "eni-m", "10.0.1.11", mute, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, c, d, SGR_PROTO_TCP, 5432), SGR_REACHABLE);
    assert_true(e.ans.n_allowed >= 2);
    assert_int_equal(mb_env_can(&e, c, d, SGR_PROTO_TCP, 5433), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-db", "no rule allows tcp/5433 from 10.0.1.10; its inbound rules allow tcp/5432 from 10.0.1.0/24 only"));
    /* the db has no egress rule: it answers, but cannot open a connection */
    assert_int_equal(mb_env_can(&e, d, c, SGR_PROTO_TCP, 22), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-db", "it has no outbound rules"));
    /* every blocking component is listed: mute's egress and db's ingress */
    assert_int_equal(mb_env_can(&e, m, d, SGR_PROTO_TCP, 80), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-mute", NULL));
    assert_true(mb_blocked_by(&e.ans, "sg-db", NULL));
    assert_int_equal(e.ans.n_blocked, 2);
    mb_env_done(&e);
}

/* "6" is tcp (numbers and names are one protocol); -1 is every protocol and
 * port; another protocol number allows all ports. */
static void test_protocol_forms(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *out = mb_sg_out_all(e.m.s, e.m.vpc, "sg-out");
    sgr_sg *num = mb_sg(e.m.s, e.m.vpc, "sg-num");
    mb_rule_cidr(e.m.s, num, false, 6, 22, 22, "10.0.0.0/16");      /* IpProtocol "6" */
    mb_rule_cidr(e.m.s, num, false, 50, 100, 100, "10.0.0.0/16");   /* ESP: ports ignored */
    sgr_sg *all = mb_sg(e.m.s, e.m.vpc, "sg-all");
    mb_rule_cidr(e.m.s, all, false, -1, -1, -1, "10.0.1.0/24");
    sgr_eni *c = mb_eni(e.m.s, e.m.a, "eni-c", "10.0.1.10", out, NULL);
    sgr_eni *n = mb_eni(e.m.s, e.m.b, "eni-n", "10.0.2.20", num, NULL);
    sgr_eni *x = mb_eni(e.m.s, e.m.b, "eni-x", "10.0.2.21", all, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, c, n, SGR_PROTO_TCP, 22), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, c, n, SGR_PROTO_UDP, 22), SGR_UNREACHABLE);
    assert_int_equal(mb_env_can(&e, c, n, 50, -1), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, c, x, SGR_PROTO_UDP, 53), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, c, x, SGR_PROTO_ICMP, 8), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, c, x, 47, -1), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, c, x, SGR_PROTO_ALL, -1), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, n, x, SGR_PROTO_TCP, 80), SGR_UNREACHABLE); /* 10.0.2.20 not in 10.0.1.0/24 */
    mb_env_done(&e);
}

/* ICMP: FromPort is the type, ToPort the code, -1 all. */
static void test_icmp_type_code(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *out = mb_sg_out_all(e.m.s, e.m.vpc, "sg-out");
    sgr_sg *echo = mb_sg(e.m.s, e.m.vpc, "sg-echo");
    mb_rule_cidr(e.m.s, echo, false, SGR_PROTO_ICMP, 8, -1, "0.0.0.0/0");
    sgr_eni *c = mb_eni(e.m.s, e.m.a, "eni-c", "10.0.1.10", out, NULL);
    sgr_eni *t = mb_eni(e.m.s, e.m.b, "eni-t", "10.0.2.20", echo, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, c, t, SGR_PROTO_ICMP, 8), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, c, t, SGR_PROTO_ICMP, 13), SGR_UNREACHABLE); /* timestamp */
    assert_int_equal(mb_env_can(&e, c, t, SGR_PROTO_ICMP, -1), SGR_REACHABLE);  /* some type */
    assert_int_equal(mb_env_can(&e, c, t, SGR_PROTO_TCP, 8), SGR_UNREACHABLE);
    mb_env_done(&e);
}

/* IPv6 rules match IPv6 flows only; IPv4 rules IPv4 only. */
static void test_ipv6(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *out6 = mb_sg(e.m.s, e.m.vpc, "sg-out6");
    mb_rule_cidr(e.m.s, out6, true, -1, -1, -1, "::/0");
    sgr_sg *in6 = mb_sg(e.m.s, e.m.vpc, "sg-in6");
    mb_rule_cidr(e.m.s, in6, false, SGR_PROTO_TCP, 443, 443, "2001:db8:1::/64");
    sgr_sg *in4 = mb_sg(e.m.s, e.m.vpc, "sg-in4");
    mb_rule_cidr(e.m.s, in4, false, SGR_PROTO_TCP, 443, 443, "0.0.0.0/0");
    sgr_eni *c = mb_eni(e.m.s, e.m.a, "eni-c", "2001:db8:1::10", out6, NULL);
    sgr_eni *s6 = mb_eni(e.m.s, e.m.a, "eni-s6", "2001:db8:1::20", in6, NULL);
    sgr_eni *s4 = mb_eni(e.m.s, e.m.a, "eni-s4", "2001:db8:1::30", in4, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, c, s6, SGR_PROTO_TCP, 443), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, c, s4, SGR_PROTO_TCP, 443), SGR_UNREACHABLE); /* 0.0.0.0/0 is not ::/0 */
    mb_env_done(&e);
}

/* Prefix lists expand to their entries; unknown entries give unknown. */
static void test_prefix_lists(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_prefix_list *office = mb_pl(e.m.s, "pl-office", "10.0.1.0/25", NULL);
    sgr_prefix_list *blind = mb_pl(e.m.s, "pl-blind", NULL);
    sgr_sg *out = mb_sg_out_all(e.m.s, e.m.vpc, "sg-out");
    sgr_sg *web = mb_sg(e.m.s, e.m.vpc, "sg-web");
    mb_rule_pl(e.m.s, web, false, SGR_PROTO_TCP, 80, 80, office);
    mb_rule_pl(e.m.s, web, false, SGR_PROTO_TCP, 8080, 8080, blind);
    sgr_eni *in = mb_eni(e.m.s, e.m.a, "eni-in", "10.0.1.10", out, NULL);
    sgr_eni *outside = mb_eni(e.m.s, e.m.a, "eni-out", "10.0.1.200", out, NULL);
    sgr_eni *w = mb_eni(e.m.s, e.m.b, "eni-w", "10.0.2.20", web, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, in, w, SGR_PROTO_TCP, 80), SGR_REACHABLE);
    assert_int_equal(mb_env_can(&e, outside, w, SGR_PROTO_TCP, 80), SGR_UNREACHABLE);
    assert_int_equal(mb_env_can(&e, outside, w, SGR_PROTO_TCP, 8080), SGR_UNKNOWN);
    assert_true(e.ans.n_missing >= 1);
    assert_non_null(strstr(e.ans.missing[0], "pl-blind"));
    mb_env_done(&e);
}

/* A group reference matches the private addresses of the interfaces carrying
 * the group; never a public address; a reference to an undescribed group is
 * decided for a peer whose group list is known, unknown for one whose is not. */
static void test_group_references(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *app = mb_sg_out_all(e.m.s, e.m.vpc, "sg-app");
    sgr_sg *other = mb_sg_out_all(e.m.s, e.m.vpc, "sg-other");
    sgr_sg *db = mb_sg(e.m.s, e.m.vpc, "sg-db");
    mb_rule_sg(e.m.s, db, false, SGR_PROTO_TCP, 5432, 5432, app);
    sgr_eni *a1 = mb_eni(e.m.s, e.m.a, "eni-a1", "10.0.1.10", app, NULL);
    sgr_eni *o1 = mb_eni(e.m.s, e.m.a, "eni-o1", "10.0.1.11", other, NULL);
    sgr_eni *d = mb_eni(e.m.s, e.m.b, "eni-d", "10.0.2.20", db, NULL);
    mb_eni_public(e.m.s, a1, "54.1.2.3");
    /* the db also admits the group of a remote account never described */
    sgr_sg_rule *r = mb_rule(e.m.s, db, false, SGR_PROTO_TCP, 6432, 6432);
    r->peer_kind = SGR_PEER_GROUP;
    r->group_id = "sg-remote";
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, a1, d, SGR_PROTO_TCP, 5432), SGR_REACHABLE);
    assert_string_equal(e.ans.allowed_by[e.ans.n_allowed - 1].text, "tcp/5432 from sg-app");
    assert_int_equal(mb_env_can(&e, o1, d, SGR_PROTO_TCP, 5432), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-db", "its rules allow tcp/5432 from sg-app only"));
    /* sg-remote: no dump describes it, but o1's group list is known and lacks it */
    assert_int_equal(mb_env_can(&e, o1, d, SGR_PROTO_TCP, 6432), SGR_UNREACHABLE);
    /* an address of the subnet that no interface holds: its groups are unknown */
    sgr_prefix stranger = mb_cidr("10.0.1.99/32");
    const sgr_endpoint *sep = sgr_graph_cidr_endpoint(e.g, &stranger);
    assert_int_equal(mb_can(e.g, sep, mb_ep_eni(e.g, d), SGR_PROTO_TCP, 6432, &e.ans, e.a), SGR_UNKNOWN);
    /* from the internet with a1's public address: a reference never matches it */
    sgr_prefix p = mb_cidr("54.1.2.3/32");
    const sgr_endpoint *pubep = sgr_graph_cidr_endpoint(e.g, &p);
    assert_int_equal(mb_can(e.g, pubep, mb_ep_eni(e.g, d), SGR_PROTO_TCP, 5432, &e.ans, e.a), SGR_UNREACHABLE);
    mb_env_done(&e);
}

/* References across an active peering resolve; across an inactive one they do not. */
static void test_group_reference_peering(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_vpc *v2 = mb_vpc(e.m.s, "vpc-2", "10.1.0.0/16");
    sgr_route_table *rt2 = mb_rt(e.m.s, v2, "rtb-2", true);
    mb_route(e.m.s, rt2, "10.0.0.0/16", SGR_RT_PEERING, "pcx-1");
    mb_route(e.m.s, e.m.rt_main, "10.1.0.0/16", SGR_RT_PEERING, "pcx-1");
    sgr_nacl *n2 = mb_nacl(e.m.s, v2, "acl-2", true);
    sgr_subnet *s2 = mb_subnet(e.m.s, v2, "subnet-2", "10.1.1.0/24", NULL, n2);
    sgr_peering *p = SGR_NEW(e.m.s->arena, sgr_peering);
    p->id = "pcx-1";
    p->status = "active";
    p->requester.vpc_id = "vpc-1";
    p->accepter.vpc_id = "vpc-2";
    MB_PUSH(e.m.s, peerings, p);
    sgr_sg *app = mb_sg_out_all(e.m.s, v2, "sg-app2");
    sgr_sg *db = mb_sg(e.m.s, e.m.vpc, "sg-db");
    sgr_sg_rule *r = mb_rule_sg(e.m.s, db, false, SGR_PROTO_TCP, 5432, 5432, app);
    r->peering_id = "pcx-1";
    sgr_eni *c = mb_eni(e.m.s, s2, "eni-c", "10.1.1.10", app, NULL);
    sgr_eni *d = mb_eni(e.m.s, e.m.a, "eni-d", "10.0.1.20", db, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, c, d, SGR_PROTO_TCP, 5432), SGR_REACHABLE);
    sgr_graph_free(e.g);
    sgr_arena_free(e.a);
    /* a peering between two regions routes, but a reference across it
     * matches nothing (VPC Peering "Update your security groups to reference
     * peer security groups") */
    p->requester.region = "eu-west-1";
    p->accepter.region = "us-east-1";
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, c, d, SGR_PROTO_TCP, 5432), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-db", "its rules allow tcp/5432 from sg-app2 only"));
    sgr_graph_free(e.g);
    sgr_arena_free(e.a);
    p->accepter.region = "eu-west-1";
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, c, d, SGR_PROTO_TCP, 5432), SGR_REACHABLE);
    sgr_graph_free(e.g);
    sgr_arena_free(e.a);
    p->status = "deleted";
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, c, d, SGR_PROTO_TCP, 5432), SGR_UNREACHABLE);
    mb_env_done(&e);
}

/* A group on the interface that no dump describes: its rules are unknown. */
static void test_undescribed_group(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *out = mb_sg_out_all(e.m.s, e.m.vpc, "sg-out");
    sgr_sg *ghost = mb_sg(e.m.s, e.m.vpc, "sg-ghost");
    ghost->described = false;
    sgr_eni *c = mb_eni(e.m.s, e.m.a, "eni-c", "10.0.1.10", out, NULL);
    sgr_eni *t = mb_eni(e.m.s, e.m.b, "eni-t", "10.0.2.20", ghost, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can(&e, c, t, SGR_PROTO_TCP, 80), SGR_UNKNOWN);
    assert_true(e.ans.n_missing >= 1);
    assert_non_null(strstr(e.ans.missing[0], "sg-ghost"));
    mb_env_done(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stateful_allow_only), cmocka_unit_test(test_protocol_forms),
        cmocka_unit_test(test_icmp_type_code),      cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_prefix_lists),        cmocka_unit_test(test_group_references),
        cmocka_unit_test(test_group_reference_peering), cmocka_unit_test(test_undescribed_group),
    };
    return cmocka_run_group_tests_name("engine: security groups", tests, NULL, NULL);
}
