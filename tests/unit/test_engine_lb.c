/* Load balancers as relays (docs/semantics.md, "Load balancers"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model_builder.h"

static const sgr_endpoint *lb_ep(const sgr_graph *g, const sgr_lb *lb)
{
    return sgr_graph_endpoint_for(g, SGR_EP_LB, lb);
}

static bool assumes(const sgr_answer *a, const char *needle)
{
    for (uint32_t i = 0; i < a->n_assumptions; i++)
        if (strstr(a->assumptions[i], needle))
            return true;
    return false;
}

/* ALB: a proxy. The target sees the ALB's address and group; the client must
 * pass the ALB's groups; found without being asked. */
static void test_alb_proxy(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *albsg = mb_sg(e.m.s, e.m.vpc, "sg-alb");
    mb_rule_cidr(e.m.s, albsg, false, SGR_PROTO_TCP, 443, 443, "0.0.0.0/0");
    sgr_sg *app = mb_sg_out_all(e.m.s, e.m.vpc, "sg-app");
    mb_rule_sg(e.m.s, app, false, SGR_PROTO_TCP, 3000, 3000, albsg);
    mb_rule_sg(e.m.s, albsg, true, SGR_PROTO_TCP, 3000, 3000, app);
    sgr_eni *n1 = mb_eni(e.m.s, e.m.pub, "eni-alb1", "10.0.100.5", NULL);
    mb_eni_public(e.m.s, n1, "54.9.9.9");
    sgr_lb *lb = mb_lb(e.m.s, "web", SGR_LB_APPLICATION, true, n1, NULL);
    mb_lb_group(lb, albsg);
    sgr_eni *t = mb_eni(e.m.s, e.m.a, "eni-t", "10.0.1.10", app, NULL);
    sgr_instance *in = mb_instance(e.m.s, "i-t", t);
    sgr_target_group *tg = mb_tg(e.m.s, "web-tg", "instance", 3000, lb);
    mb_target(tg, in, NULL, 3000);
    mb_listener(e.m.s, lb, SGR_PROTO_TCP, 443, tg);
    sgr_sg *plain = mb_sg_out_all(e.m.s, e.m.vpc, "sg-plain");
    sgr_eni *c = mb_eni(e.m.s, e.m.b, "eni-c", "10.0.2.9", plain, NULL);
    mb_env_build(&e);
    const sgr_endpoint *inet = sgr_graph_internet(e.g);
    assert_int_equal(mb_env_can_ep(&e, inet, lb_ep(e.g, lb), SGR_PROTO_TCP, 443), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, inet, lb_ep(e.g, lb), SGR_PROTO_TCP, 80), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "web", "no tcp listener on port 80"));
    /* internet → target port 3000: only through the ALB */
    assert_int_equal(mb_env_can_ep(&e, inet, mb_ep_eni(e.g, t), SGR_PROTO_TCP, 3000), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "lb", "web"));
    assert_true(mb_path_has(&e.ans, "target-group", "web-tg"));
    /* an inside client with no direct rule: also through the ALB */
    assert_int_equal(mb_env_can(&e, c, t, SGR_PROTO_TCP, 3000), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "lb", "web"));
    mb_env_done(&e);
}

/* NLB with client IP preservation (instance targets: always): the target's
 * groups see the client; an NLB without groups filters nothing. */
static void test_nlb_preservation(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *vpconly = mb_sg_out_all(e.m.s, e.m.vpc, "sg-vpconly");
    mb_rule_cidr(e.m.s, vpconly, false, SGR_PROTO_TCP, 8080, 8080, "10.0.0.0/16");
    sgr_eni *n1 = mb_eni(e.m.s, e.m.pub, "eni-nlb1", "10.0.100.6", NULL);
    sgr_lb *lb = mb_lb(e.m.s, "nlb", SGR_LB_NETWORK, true, n1, NULL);
    sgr_eni *t = mb_eni(e.m.s, e.m.a, "eni-t", "10.0.1.10", vpconly, NULL);
    sgr_instance *in = mb_instance(e.m.s, "i-t", t);
    sgr_target_group *tg = mb_tg(e.m.s, "inst-tg", "instance", 8080, lb);
    mb_target(tg, in, NULL, 8080);
    mb_listener(e.m.s, lb, SGR_PROTO_TCP, 80, tg);
    sgr_eni *ti = mb_eni(e.m.s, e.m.b, "eni-ti", "10.0.2.10", vpconly, NULL);
    sgr_target_group *tgi = mb_tg(e.m.s, "ip-tg", "ip", 8080, lb);
    mb_target(tgi, NULL, ti, 8080);
    mb_listener(e.m.s, lb, SGR_PROTO_TCP, 81, tgi);
    mb_env_build(&e);
    const sgr_endpoint *inet = sgr_graph_internet(e.g);
    /* no groups on the NLB: the listener is open to the internet */
    assert_int_equal(mb_env_can_ep(&e, inet, lb_ep(e.g, lb), SGR_PROTO_TCP, 80), SGR_REACHABLE);
    /* instance target: the client's address is preserved, 10.0.0.0/16 does not admit it */
    assert_int_equal(mb_env_can_ep(&e, inet, mb_ep_eni(e.g, t), SGR_PROTO_TCP, 8080), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-vpconly", "the internet"));
    /* ip target, attribute absent: TCP default is no preservation; the NLB's address is inside the VPC */
    assert_int_equal(mb_env_can_ep(&e, inet, mb_ep_eni(e.g, ti), SGR_PROTO_TCP, 8080), SGR_REACHABLE);
    assert_true(assumes(&e.ans, "preserve_client_ip.enabled is not in the snapshot"));
    mb_env_done(&e);

    /* the same with preserve_client_ip.enabled = true: the client is seen again */
    e = mb_env_new();
    vpconly = mb_sg_out_all(e.m.s, e.m.vpc, "sg-vpconly");
    mb_rule_cidr(e.m.s, vpconly, false, SGR_PROTO_TCP, 8080, 8080, "10.0.0.0/16");
    n1 = mb_eni(e.m.s, e.m.pub, "eni-nlb1", "10.0.100.6", NULL);
    lb = mb_lb(e.m.s, "nlb", SGR_LB_NETWORK, true, n1, NULL);
    ti = mb_eni(e.m.s, e.m.b, "eni-ti", "10.0.2.10", vpconly, NULL);
    tgi = mb_tg(e.m.s, "ip-tg", "ip", 8080, lb);
    tgi->preserve_client_ip = 1;
    tgi->attributes_known = true;
    mb_target(tgi, NULL, ti, 8080);
    mb_listener(e.m.s, lb, SGR_PROTO_TCP, 81, tgi);
    mb_env_build(&e);
    assert_int_equal(mb_env_can_ep(&e, sgr_graph_internet(e.g), mb_ep_eni(e.g, ti), SGR_PROTO_TCP, 8080), SGR_UNREACHABLE);
    assert_false(assumes(&e.ans, "preserve_client_ip"));
    mb_env_done(&e);

    /* NLB "Edit target group attributes": TCP/TLS groups of both target types
     * take the attribute; UDP, TCP_UDP, QUIC, TCP_QUIC always preserve */
    e = mb_env_new();
    vpconly = mb_sg_out_all(e.m.s, e.m.vpc, "sg-vpconly");
    mb_rule_cidr(e.m.s, vpconly, false, SGR_PROTO_TCP, 8080, 8080, "10.0.0.0/16");
    mb_rule_cidr(e.m.s, vpconly, false, SGR_PROTO_UDP, 5353, 5353, "10.0.0.0/16");
    n1 = mb_eni(e.m.s, e.m.pub, "eni-nlb1", "10.0.100.6", NULL);
    lb = mb_lb(e.m.s, "nlb", SGR_LB_NETWORK, true, n1, NULL);
    sgr_eni *t2 = mb_eni(e.m.s, e.m.a, "eni-t", "10.0.1.10", vpconly, NULL);
    sgr_instance *in2 = mb_instance(e.m.s, "i-t", t2);
    sgr_target_group *off = mb_tg(e.m.s, "inst-off", "instance", 8080, lb);
    off->preserve_client_ip = 0;
    off->attributes_known = true;
    mb_target(off, in2, NULL, 8080);
    mb_listener(e.m.s, lb, SGR_PROTO_TCP, 80, off);
    sgr_target_group *udp = mb_tg(e.m.s, "quic", "ip", 5353, lb);
    udp->protocol = SGR_PROTO_UDP;
    udp->protocol_name = "QUIC";
    udp->preserve_client_ip = 0; /* AWS refuses it; a snapshot saying so changes nothing */
    mb_target(udp, NULL, t2, 5353);
    mb_listener(e.m.s, lb, SGR_PROTO_UDP, 53, udp);
    mb_env_build(&e);
    /* the instance target sees the NLB's address, which its VPC-only rule admits */
    assert_int_equal(mb_env_can_ep(&e, sgr_graph_internet(e.g), mb_ep_eni(e.g, t2), SGR_PROTO_TCP, 8080), SGR_REACHABLE);
    assert_false(assumes(&e.ans, "preserve_client_ip"));
    /* QUIC: the client is always seen, and the VPC-only rule refuses it */
    assert_int_equal(mb_env_can_ep(&e, sgr_graph_internet(e.g), mb_ep_eni(e.g, t2), SGR_PROTO_UDP, 5353), SGR_UNREACHABLE);
    mb_env_done(&e);
}

/* NLB with groups: checked like an ALB's inbound; targets may reference the
 * NLB's group even with preservation. */
static void test_nlb_with_groups(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *nlbsg = mb_sg_out_all(e.m.s, e.m.vpc, "sg-nlb");
    mb_rule_cidr(e.m.s, nlbsg, false, SGR_PROTO_TCP, 443, 443, "0.0.0.0/0");
    sgr_sg *api = mb_sg_out_all(e.m.s, e.m.vpc, "sg-api");
    mb_rule_sg(e.m.s, api, false, SGR_PROTO_TCP, 8443, 8443, nlbsg);
    sgr_eni *n1 = mb_eni(e.m.s, e.m.pub, "eni-nlb1", "10.0.100.6", NULL);
    sgr_lb *lb = mb_lb(e.m.s, "nlb", SGR_LB_NETWORK, true, n1, NULL);
    mb_lb_group(lb, nlbsg);
    sgr_eni *t = mb_eni(e.m.s, e.m.a, "eni-t", "10.0.1.10", api, NULL);
    sgr_instance *in = mb_instance(e.m.s, "i-t", t);
    sgr_target_group *tg = mb_tg(e.m.s, "tg", "instance", 8443, lb);
    mb_target(tg, in, NULL, 8443);
    mb_listener(e.m.s, lb, SGR_PROTO_TCP, 443, tg);
    mb_listener(e.m.s, lb, SGR_PROTO_TCP, 8443, tg);
    mb_env_build(&e);
    const sgr_endpoint *inet = sgr_graph_internet(e.g);
    assert_int_equal(mb_env_can_ep(&e, inet, lb_ep(e.g, lb), SGR_PROTO_TCP, 443), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, inet, lb_ep(e.g, lb), SGR_PROTO_TCP, 8443), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-nlb", "no rule allows tcp/8443"));
    /* preserved (instance target), yet the reference to sg-nlb admits it */
    assert_int_equal(mb_env_can_ep(&e, inet, mb_ep_eni(e.g, t), SGR_PROTO_TCP, 8443), SGR_REACHABLE);
    mb_env_done(&e);
}

/* Only registered targets are reached, on the registered port; a target group
 * without target health is unknown; an internal LB is not on the internet. */
static void test_registered_targets(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *open = mb_sg_out_all(e.m.s, e.m.vpc, "sg-open");
    mb_rule_cidr(e.m.s, open, false, -1, -1, -1, "0.0.0.0/0");
    sgr_eni *n1 = mb_eni(e.m.s, e.m.a, "eni-nlb1", "10.0.1.6", NULL);
    sgr_lb *lb = mb_lb(e.m.s, "inner", SGR_LB_NETWORK, false, n1, NULL);
    sgr_eni *reg = mb_eni(e.m.s, e.m.b, "eni-reg", "10.0.2.10", open, NULL);
    sgr_eni *unreg = mb_eni(e.m.s, e.m.b, "eni-unreg", "10.0.2.11", open, NULL);
    sgr_instance *in = mb_instance(e.m.s, "i-reg", reg);
    mb_instance(e.m.s, "i-unreg", unreg);
    sgr_target_group *tg = mb_tg(e.m.s, "tg", "instance", 80, lb);
    mb_target(tg, in, NULL, 8080);
    mb_listener(e.m.s, lb, SGR_PROTO_TCP, 80, tg);
    sgr_target_group *blind = mb_tg(e.m.s, "blind", "instance", 80, lb);
    blind->targets_known = false;
    mb_listener(e.m.s, lb, SGR_PROTO_TCP, 81, blind);
    sgr_eni *c = mb_eni(e.m.s, e.m.pub, "eni-c", "10.0.100.9", open, NULL);
    mb_eni_public(e.m.s, c, "54.3.3.3");
    mb_env_build(&e);
    const sgr_endpoint *lbe = lb_ep(e.g, lb), *cep = mb_ep_eni(e.g, c);
    assert_int_equal(mb_env_can_ep(&e, cep, lbe, SGR_PROTO_TCP, 80), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "eni", "eni-reg"));
    /* the LB as a source reaches its registered target on the registered port only */
    assert_int_equal(mb_env_can_ep(&e, lbe, mb_ep_eni(e.g, reg), SGR_PROTO_TCP, 8080), SGR_REACHABLE);
    sgr_reach *r;
    uint32_t n = sgr_reach_from(e.g, lbe, &r, e.a);
    /* eni-reg for sure on 8080; eni-unreg only possibly: it may be registered
     * in the blind group, whose targets the snapshot lacks (never unreachable) */
    assert_int_equal(n, 2);
    assert_ptr_equal(r[0].to, mb_ep_eni(e.g, reg));
    assert_int_equal(r[0].verdict, SGR_REACHABLE);
    assert_string_equal(sgr_format_ports(r[0].ports, r[0].n_ports, e.a), "tcp:8080");
    assert_ptr_equal(r[1].to, mb_ep_eni(e.g, unreg));
    assert_int_equal(r[1].verdict, SGR_UNKNOWN);
    /* the blind group: what is behind listener 81 is unknown */
    assert_int_equal(mb_env_can_ep(&e, cep, lbe, SGR_PROTO_TCP, 81), SGR_REACHABLE);
    assert_true(assumes(&e.ans, "no target health"));
    /* internal LB: not from the internet */
    assert_int_equal(mb_env_can_ep(&e, sgr_graph_internet(e.g), lbe, SGR_PROTO_TCP, 80), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "inner", "internal"));
    mb_env_done(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alb_proxy),
        cmocka_unit_test(test_nlb_preservation),
        cmocka_unit_test(test_nlb_with_groups),
        cmocka_unit_test(test_registered_targets),
    };
    return cmocka_run_group_tests_name("engine: load balancers", tests, NULL, NULL);
}
