/* Served ports (bridge tasks named by their container ports) and stable
 * endpoint identities, on hand-built endpoints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "queries/endpoint_key.h"
#include "graph/served_ports.h"

static const char *fmt(sgr_arena *a, const sgr_portset *s)
{
    return sgr_portset_format(a, s);
}

/* A reach to `to` on TCP ranges r[0..n). */
static sgr_reach reach_tcp(const sgr_endpoint *to, sgr_portrange *r, uint32_t n, sgr_proto_ports *pp)
{
    pp->protocol = SGR_PROTO_TCP;
    pp->ranges = r;
    pp->n_ranges = n;
    sgr_reach x;
    memset(&x, 0, sizeof x);
    x.to = to;
    x.verdict = SGR_REACHABLE;
    x.ports = pp;
    x.n_ports = 1;
    x.via = "direct";
    return x;
}

static void bridge_task_by_bindings(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_network_binding nb[] = {{.container_port = 9090, .host_port = 32769, .protocol = SGR_PROTO_TCP},
                                {.container_port = 8000, .container_port_end = 8002, .host_port = 40000, .host_port_end = 40002,
                                 .protocol = SGR_PROTO_TCP}};
    sgr_task_container tc = {.name = "app", .bindings = nb, .n_bindings = 2};
    sgr_task task = {.arn = "arn:aws:ecs:us-east-1:1:task/prod/abc", .containers = &tc, .n_containers = 1};
    sgr_endpoint ep = {.kind = SGR_EP_TASK, .id = task.arn, .mode = SGR_NET_BRIDGE, .task = &task};
    sgr_proto_ports pp;
    sgr_portset possible;
    /* The hosts' group opens 32768-65535: the task serves 9090 and 8000-8002 there. */
    sgr_portrange wide[] = {{32768, 65535}};
    sgr_reach r = reach_tcp(&ep, wide, 1, &pp);
    sgr_portset s = sgr_reach_served_ports(a, &r, &possible);
    assert_string_equal(fmt(a, &s), "tcp:8000-8002,9090");
    assert_true(sgr_portset_empty(&possible));
    /* Only part of a binding's host range open: only that part of the container range. */
    sgr_portrange part[] = {{40001, 40001}, {22, 22}};
    r = reach_tcp(&ep, part, 2, &pp);
    s = sgr_reach_served_ports(a, &r, &possible);
    assert_string_equal(fmt(a, &s), "tcp:8001");
    /* Over the docker bridge the container ports are reached as they are. */
    sgr_portrange nine[] = {{9090, 9090}};
    r = reach_tcp(&ep, nine, 1, &pp);
    r.via = "docker-bridge";
    s = sgr_reach_served_ports(a, &r, &possible);
    assert_string_equal(fmt(a, &s), "tcp:9090");
    /* awsvpc tasks and interfaces: unchanged. */
    ep.mode = SGR_NET_AWSVPC;
    r = reach_tcp(&ep, part, 2, &pp);
    s = sgr_reach_served_ports(a, &r, &possible);
    assert_string_equal(fmt(a, &s), "tcp:22,40001");
    sgr_arena_free(a);
}

static void bridge_task_by_task_definition(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_port_mapping pm[] = {{.container_port = 8080, .host_port = 80, .protocol = SGR_PROTO_TCP},
                             {.container_port = 3000, .host_port = 0, .protocol = SGR_PROTO_TCP}};
    sgr_container_def cd = {.name = "web", .ports = pm, .n_ports = 2};
    sgr_task_def td = {.arn = "td", .family = "status-page", .containers = &cd, .n_containers = 1};
    sgr_task task = {.arn = "arn:aws:ecs:us-east-1:1:task/jobs/t1", .task_def = &td, .group = "family:status-page",
                     .cluster_arn = "arn:aws:ecs:us-east-1:1:cluster/jobs"};
    sgr_endpoint ep = {.kind = SGR_EP_TASK, .id = task.arn, .mode = SGR_NET_BRIDGE, .task = &task};
    sgr_proto_ports pp;
    sgr_portset possible;
    sgr_portrange r80[] = {{80, 80}, {50000, 50010}};
    sgr_reach r = reach_tcp(&ep, r80, 2, &pp);
    sgr_portset s = sgr_reach_served_ports(a, &r, &possible);
    assert_string_equal(fmt(a, &s), "tcp:8080");
    /* 3000's host port is dynamic and not in the dump: high ports are open, so possibly. */
    assert_string_equal(fmt(a, &possible), "tcp:3000");
    assert_string_equal(sgr_endpoint_key(a, &ep), "family:jobs/status-page");
    sgr_arena_free(a);
}

/* Output's view (blast, exposure): container ports with the published host
 * ports beside; a union over ways (blast) keeps the ports that came over the
 * docker bridge as they are. */
static void served_view_for_output(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_network_binding nb[] = {{.container_port = 8080, .host_port = 32769, .protocol = SGR_PROTO_TCP}};
    sgr_task_container tc = {.name = "api", .bindings = nb, .n_bindings = 1};
    sgr_task task = {.arn = "arn:aws:ecs:us-east-1:1:task/prod/def", .containers = &tc, .n_containers = 1};
    sgr_endpoint ep = {.kind = SGR_EP_TASK, .id = task.arn, .mode = SGR_NET_BRIDGE, .task = &task};
    sgr_proto_ports pp, *served, *host;
    uint32_t ns, nh;
    /* host 22 is the host's, not the task's: left out of both */
    sgr_portrange sent[] = {{22, 22}, {32769, 32769}};
    sgr_reach r = reach_tcp(&ep, sent, 2, &pp);
    assert_true(sgr_served_view(a, &ep, "direct", false, r.ports, r.n_ports, &served, &ns, &host, &nh));
    assert_string_equal(sgr_format_ports(served, ns, a), "tcp:8080");
    assert_string_equal(sgr_format_ports(host, nh, a), "tcp:32769");
    /* merged with a docker-bridge hop on 8080: still 8080, host 32769 */
    sgr_portrange both[] = {{8080, 8080}, {32769, 32769}};
    r = reach_tcp(&ep, both, 2, &pp);
    assert_true(sgr_served_view(a, &ep, "docker-bridge", true, r.ports, r.n_ports, &served, &ns, &host, &nh));
    assert_string_equal(sgr_format_ports(served, ns, a), "tcp:8080");
    assert_string_equal(sgr_format_ports(host, nh, a), "tcp:32769");
    /* only over the docker bridge, or no published host port: as sent */
    assert_false(sgr_served_view(a, &ep, "docker-bridge", false, r.ports, r.n_ports, &served, &ns, &host, &nh));
    sgr_portrange none[] = {{22, 22}};
    r = reach_tcp(&ep, none, 1, &pp);
    assert_false(sgr_served_view(a, &ep, "direct", true, r.ports, r.n_ports, &served, &ns, &host, &nh));
    /* not a bridge task: as sent */
    ep.mode = SGR_NET_AWSVPC;
    r = reach_tcp(&ep, sent, 2, &pp);
    assert_false(sgr_served_view(a, &ep, "direct", true, r.ports, r.n_ports, &served, &ns, &host, &nh));
    sgr_arena_free(a);
}

static void stable_identities(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_service svc = {.name = "payment-service"};
    sgr_task t1 = {.arn = "arn:aws:ecs:us-east-1:1:task/prod/a", .cluster_arn = "arn:aws:ecs:us-east-1:1:cluster/prod",
                   .service = &svc};
    sgr_task t2 = {.arn = "arn:aws:ecs:us-east-1:1:task/prod/b", .group = "service:payment-service"};
    sgr_endpoint e1 = {.kind = SGR_EP_TASK, .id = t1.arn, .task = &t1};
    sgr_endpoint e2 = {.kind = SGR_EP_TASK, .id = t2.arn, .task = &t2};
    assert_string_equal(sgr_endpoint_key(a, &e1), "service:prod/payment-service");
    assert_string_equal(sgr_endpoint_key(a, &e2), "service:payment-service"); /* no cluster known */
    sgr_task t3 = {.arn = "arn:aws:ecs:us-east-1:1:task/x/c"};
    sgr_endpoint e3 = {.kind = SGR_EP_TASK, .id = t3.arn, .task = &t3};
    assert_string_equal(sgr_endpoint_key(a, &e3), t3.arn); /* nothing stable: its ARN */
    sgr_lb lb = {.name = "web-alb", .arn = "arn:aws:elasticloadbalancing:…/app/web-alb/1"};
    sgr_endpoint el = {.kind = SGR_EP_LB, .id = lb.arn, .lb = &lb};
    assert_string_equal(sgr_endpoint_key(a, &el), "lb:web-alb");
    sgr_eni eni = {.id = "eni-0abc"};
    sgr_endpoint ee = {.kind = SGR_EP_ENI, .id = "eni-0abc", .eni = &eni};
    assert_string_equal(sgr_endpoint_key(a, &ee), "eni-0abc");
    sgr_endpoint ei = {.kind = SGR_EP_INTERNET, .id = "internet"};
    assert_string_equal(sgr_endpoint_key(a, &ei), "internet");
    sgr_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bridge_task_by_bindings),
        cmocka_unit_test(bridge_task_by_task_definition),
        cmocka_unit_test(served_view_for_output),
        cmocka_unit_test(stable_identities),
    };
    return cmocka_run_group_tests_name("served_ports", tests, NULL, NULL);
}
