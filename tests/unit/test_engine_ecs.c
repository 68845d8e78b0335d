/* ECS network modes (docs/semantics.md, "ECS"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "graph/blast.h"
#include "model_builder.h"

#define T(id) "arn:aws:ecs:us-east-1:1:task/c/" id

static const sgr_endpoint *task_ep(const sgr_graph *g, const sgr_task *t)
{
    return sgr_graph_endpoint_for(g, SGR_EP_TASK, t);
}

/* awsvpc: the task has its own interface and groups; the host's do not apply. */
static void test_awsvpc(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *client = mb_sg_out_all(e.m.s, e.m.vpc, "sg-client");
    sgr_sg *api = mb_sg_out_all(e.m.s, e.m.vpc, "sg-api");
    mb_rule_sg(e.m.s, api, false, SGR_PROTO_TCP, 8443, 8443, client);
    sgr_sg *host = mb_sg_out_all(e.m.s, e.m.vpc, "sg-host");
    mb_rule_cidr(e.m.s, host, false, -1, -1, -1, "0.0.0.0/0");
    sgr_eni *h = mb_eni(e.m.s, e.m.a, "eni-host", "10.0.1.5", host, NULL);
    sgr_instance *in = mb_instance(e.m.s, "i-host", h);
    sgr_eni *te = mb_eni(e.m.s, e.m.a, "eni-task", "10.0.1.6", api, NULL);
    sgr_task_def *td = mb_taskdef(e.m.s, "td-api", SGR_NET_AWSVPC, 8443, -1);
    sgr_task *t = mb_task(e.m.s, T("api1"), td, te, in, 0);
    sgr_eni *c = mb_eni(e.m.s, e.m.b, "eni-c", "10.0.2.9", client, NULL);
    sgr_eni *other = mb_eni(e.m.s, e.m.b, "eni-o", "10.0.2.10", host, NULL);
    mb_env_build(&e);
    const sgr_endpoint *tep = task_ep(e.g, t);
    assert_non_null(tep);
    assert_ptr_equal(mb_ep_eni(e.g, te), tep); /* the task's interface stands for the task */
    assert_int_equal(tep->mode, SGR_NET_AWSVPC);
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, c), tep, SGR_PROTO_TCP, 8443), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, other), tep, SGR_PROTO_TCP, 8443), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-api", "from sg-client only"));
    /* the host itself is not the task's client: it carries sg-host, not sg-client */
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, h), tep, SGR_PROTO_TCP, 8443), SGR_UNREACHABLE);
    mb_env_done(&e);
}

/* bridge: reached through the instance's interface on the host port; the
 * instance's groups apply; a dynamic port not recorded is a range. */
static void test_bridge(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *client = mb_sg_out_all(e.m.s, e.m.vpc, "sg-client");
    sgr_sg *host = mb_sg_out_all(e.m.s, e.m.vpc, "sg-host");
    mb_rule_cidr(e.m.s, host, false, SGR_PROTO_TCP, 32768, 65535, "10.0.0.0/16");
    sgr_eni *h = mb_eni(e.m.s, e.m.a, "eni-host", "10.0.1.5", host, NULL);
    sgr_instance *in = mb_instance(e.m.s, "i-host", h);
    sgr_task_def *td = mb_taskdef(e.m.s, "td-web", SGR_NET_BRIDGE, 8080, 0);
    sgr_task *bound = mb_task(e.m.s, T("web1"), td, NULL, in, 32771);
    sgr_task *unbound = mb_task(e.m.s, T("web2"), td, NULL, in, 0);
    sgr_task_def *stat = mb_taskdef(e.m.s, "td-static", SGR_NET_BRIDGE, 9090, 80);
    sgr_task *st = mb_task(e.m.s, T("static"), stat, NULL, in, 0);
    sgr_eni *c = mb_eni(e.m.s, e.m.b, "eni-c", "10.0.2.9", client, NULL);
    mb_env_build(&e);
    const sgr_endpoint *cep = mb_ep_eni(e.g, c);
    assert_int_equal(task_ep(e.g, bound)->mode, SGR_NET_BRIDGE);
    assert_ptr_equal(task_ep(e.g, bound)->eni, h);
    /* container port 8080 is host port 32771: the host group's range admits it */
    assert_int_equal(mb_env_can_ep(&e, cep, task_ep(e.g, bound), SGR_PROTO_TCP, 8080), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "eni", "eni-host"));
    /* dynamic, not recorded: every port of 32768-65535 is open, so any choice works */
    assert_int_equal(mb_env_can_ep(&e, cep, task_ep(e.g, unbound), SGR_PROTO_TCP, 8080), SGR_REACHABLE);
    /* static host port 80: the host group does not open it */
    assert_int_equal(mb_env_can_ep(&e, cep, task_ep(e.g, st), SGR_PROTO_TCP, 9090), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-host", "tcp/80"));
    /* a container port that is not published */
    assert_int_equal(mb_env_can_ep(&e, cep, task_ep(e.g, bound), SGR_PROTO_TCP, 9999), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "web1", "not published"));
    mb_env_done(&e);

    /* the host group opens only part of the dynamic range: which port AWS picks decides */
    e = mb_env_new();
    client = mb_sg_out_all(e.m.s, e.m.vpc, "sg-client");
    host = mb_sg_out_all(e.m.s, e.m.vpc, "sg-host");
    mb_rule_cidr(e.m.s, host, false, SGR_PROTO_TCP, 32768, 40000, "10.0.0.0/16");
    h = mb_eni(e.m.s, e.m.a, "eni-host", "10.0.1.5", host, NULL);
    in = mb_instance(e.m.s, "i-host", h);
    td = mb_taskdef(e.m.s, "td-web", SGR_NET_BRIDGE, 8080, 0);
    unbound = mb_task(e.m.s, T("web2"), td, NULL, in, 0);
    c = mb_eni(e.m.s, e.m.b, "eni-c", "10.0.2.9", client, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, c), task_ep(e.g, unbound), SGR_PROTO_TCP, 8080), SGR_UNKNOWN);
    mb_env_done(&e);
}

/* Bridge tasks on one host reach each other over the docker bridge; host-mode
 * tasks reach the host's loopback; none has no path at all. */
static void test_same_host_and_none(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *closed = mb_sg(e.m.s, e.m.vpc, "sg-closed"); /* no rules at all */
    sgr_eni *h = mb_eni(e.m.s, e.m.a, "eni-host", "10.0.1.5", closed, NULL);
    sgr_instance *in = mb_instance(e.m.s, "i-host", h);
    sgr_eni *h2 = mb_eni(e.m.s, e.m.a, "eni-host2", "10.0.1.7", closed, NULL);
    sgr_instance *in2 = mb_instance(e.m.s, "i-host2", h2);
    sgr_task_def *br = mb_taskdef(e.m.s, "td-br", SGR_NET_BRIDGE, 8080, 0);
    sgr_task_def *hm = mb_taskdef(e.m.s, "td-host", SGR_NET_HOST, 9100, -1);
    sgr_task_def *no = mb_taskdef(e.m.s, "td-none", SGR_NET_NONE, 0, -1);
    sgr_task *b1 = mb_task(e.m.s, T("b1"), br, NULL, in, 32768);
    sgr_task *b2 = mb_task(e.m.s, T("b2"), br, NULL, in, 32769);
    sgr_task *b3 = mb_task(e.m.s, T("b3"), br, NULL, in2, 32768);
    sgr_task *m1 = mb_task(e.m.s, T("m1"), hm, NULL, in, 0);
    sgr_task *n1 = mb_task(e.m.s, T("n1"), no, NULL, in, 0);
    mb_env_build(&e);
    assert_int_equal(mb_env_can_ep(&e, task_ep(e.g, b1), task_ep(e.g, b2), SGR_PROTO_TCP, 8080), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "docker-bridge", NULL));
    assert_int_equal(mb_env_can_ep(&e, task_ep(e.g, b1), task_ep(e.g, b3), SGR_PROTO_TCP, 8080), SGR_UNREACHABLE);
    assert_int_equal(mb_env_can_ep(&e, task_ep(e.g, m1), mb_ep_eni(e.g, h), SGR_PROTO_TCP, 22), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "loopback", NULL));
    assert_int_equal(mb_env_can_ep(&e, task_ep(e.g, n1), task_ep(e.g, b2), SGR_PROTO_TCP, 8080), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "n1", "network mode none"));
    assert_int_equal(mb_env_can_ep(&e, task_ep(e.g, b1), task_ep(e.g, n1), SGR_PROTO_TCP, 80), SGR_UNREACHABLE);
    mb_env_done(&e);
}

/* host mode: the container port is the host port on the instance's interface. */
static void test_host_mode(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *client = mb_sg_out_all(e.m.s, e.m.vpc, "sg-client");
    sgr_sg *host = mb_sg_out_all(e.m.s, e.m.vpc, "sg-host");
    mb_rule_cidr(e.m.s, host, false, SGR_PROTO_TCP, 9100, 9100, "10.0.2.0/24");
    sgr_eni *h = mb_eni(e.m.s, e.m.a, "eni-host", "10.0.1.5", host, NULL);
    sgr_instance *in = mb_instance(e.m.s, "i-host", h);
    sgr_task *m1 = mb_task(e.m.s, T("m1"), mb_taskdef(e.m.s, "td-host", SGR_NET_HOST, 9100, -1), NULL, in, 0);
    sgr_eni *c = mb_eni(e.m.s, e.m.b, "eni-c", "10.0.2.9", client, NULL);
    sgr_eni *far = mb_eni(e.m.s, e.m.a, "eni-far", "10.0.1.9", client, NULL);
    mb_env_build(&e);
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, c), task_ep(e.g, m1), SGR_PROTO_TCP, 9100), SGR_REACHABLE);
    assert_int_equal(mb_env_can_ep(&e, mb_ep_eni(e.g, far), task_ep(e.g, m1), SGR_PROTO_TCP, 9100), SGR_UNREACHABLE);
    mb_env_done(&e);
}

/* An instance with a second interface (another subnet, another group): a
 * bridge port bound to every address is reached on both, each through its
 * own group; one bound to the primary's address on the primary only; a trunk
 * interface is no way in (issue 15 §1.5, docs/semantics.md "ECS"). */
static void test_several_interfaces(void **state)
{
    (void)state;
    mb_env e = mb_env_new();
    sgr_sg *client = mb_sg_out_all(e.m.s, e.m.vpc, "sg-client");
    sgr_sg *closed = mb_sg_out_all(e.m.s, e.m.vpc, "sg-eth0");
    sgr_sg *dyn = mb_sg_out_all(e.m.s, e.m.vpc, "sg-eth1");
    mb_rule_cidr(e.m.s, dyn, false, SGR_PROTO_TCP, 32768, 65535, "10.0.0.0/16");
    sgr_sg *open = mb_sg_out_all(e.m.s, e.m.vpc, "sg-trunk");
    mb_rule_cidr(e.m.s, open, false, -1, -1, -1, "0.0.0.0/0");
    sgr_eni *eth0 = mb_eni(e.m.s, e.m.a, "eni-eth0", "10.0.1.5", closed, NULL);
    sgr_instance *in = mb_instance(e.m.s, "i-host", eth0);
    sgr_eni *eth1 = mb_eni(e.m.s, e.m.b, "eni-eth1", "10.0.2.5", dyn, NULL);
    mb_instance_attach(e.m.s, in, eth1, 1);
    sgr_eni *trunk = mb_eni(e.m.s, e.m.b, "eni-trunk", "10.0.2.6", open, NULL);
    trunk->interface_type = "trunk";
    mb_instance_attach(e.m.s, in, trunk, 2);
    sgr_task_def *td = mb_taskdef(e.m.s, "td-web", SGR_NET_BRIDGE, 8080, 0);
    sgr_task *any = mb_task(e.m.s, T("any"), td, NULL, in, 32771);
    sgr_task *pinned = mb_task(e.m.s, T("pinned"), td, NULL, in, 32772);
    pinned->containers[0].bindings[0].bind_ip = mb_ip("10.0.1.5");
    sgr_task *st = mb_task(e.m.s, T("static"), mb_taskdef(e.m.s, "td-static", SGR_NET_BRIDGE, 9090, 80), NULL, in, 80);
    sgr_eni *c = mb_eni(e.m.s, e.m.a, "eni-c", "10.0.1.9", client, NULL);
    mb_env_build(&e);
    const sgr_endpoint *cep = mb_ep_eni(e.g, c), *aep = task_ep(e.g, any);
    assert_ptr_equal(aep->eni, eth0);
    assert_int_equal(aep->n_also_enis, 1); /* the trunk is not among them */
    assert_ptr_equal(aep->also_enis[0], eth1);
    /* 0.0.0.0: eth0's group admits nothing, eth1's admits the host port */
    assert_int_equal(mb_env_can_ep(&e, cep, aep, SGR_PROTO_TCP, 8080), SGR_REACHABLE);
    assert_true(mb_path_has(&e.ans, "eni", "eni-eth1"));
    sgr_reach r;
    assert_true(sgr_reach_pair(e.g, cep, aep, &r, e.a));
    assert_int_equal(r.verdict, SGR_REACHABLE);
    assert_true(sgr_ports_has(r.ports, r.n_ports, SGR_PROTO_TCP, 32771));
    /* bound to eth0's address: eth1's group does not open it */
    assert_int_equal(mb_env_can_ep(&e, cep, task_ep(e.g, pinned), SGR_PROTO_TCP, 8080), SGR_UNREACHABLE);
    assert_true(mb_blocked_by(&e.ans, "sg-eth0", "tcp/32772"));
    /* eth1 passes other host ports (no binding of pinned: served nowhere), never 32772 */
    if (sgr_reach_pair(e.g, cep, task_ep(e.g, pinned), &r, e.a))
        assert_false(sgr_ports_has(r.ports, r.n_ports, SGR_PROTO_TCP, 32772) ||
                     sgr_ports_has(r.maybe, r.n_maybe, SGR_PROTO_TCP, 32772));
    /* host port 80: eth0's and eth1's groups do not admit it; the trunk's would */
    assert_int_equal(mb_env_can_ep(&e, cep, task_ep(e.g, st), SGR_PROTO_TCP, 9090), SGR_UNREACHABLE);
    mb_env_done(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_awsvpc),
        cmocka_unit_test(test_bridge),
        cmocka_unit_test(test_same_host_and_none),
        cmocka_unit_test(test_host_mode),
        cmocka_unit_test(test_several_interfaces),
    };
    return cmocka_run_group_tests_name("engine: ECS network modes", tests, NULL, NULL);
}
