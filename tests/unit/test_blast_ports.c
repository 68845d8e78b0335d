/* Port sets of blast/exposure (union, intersection, membership), the ports a
 * bridge or host task answers on, and the list of admin/database ports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "graph/blast.h"
#include "queries/admin_ports.h"

static sgr_proto_ports tcp(sgr_portrange *r, uint32_t n)
{
    return (sgr_proto_ports){SGR_PROTO_TCP, r, n};
}

static void test_union_merges(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_portrange r1[] = {{443, 443}, {8080, 8090}}, r2[] = {{444, 500}, {8000, 8079}};
    sgr_proto_ports p1[] = {tcp(r1, 2)}, p2[] = {tcp(r2, 2), {SGR_PROTO_UDP, (sgr_portrange[]){{53, 53}}, 1}};
    uint32_t n;
    sgr_proto_ports *u = sgr_ports_union(p1, 1, p2, 2, a, &n);
    assert_int_equal(n, 2);
    assert_int_equal(u[0].protocol, SGR_PROTO_TCP); /* sorted by protocol number */
    assert_int_equal(u[0].n_ranges, 2);
    assert_int_equal(u[0].ranges[0].lo, 443);
    assert_int_equal(u[0].ranges[0].hi, 500);
    assert_int_equal(u[0].ranges[1].lo, 8000);
    assert_int_equal(u[0].ranges[1].hi, 8090);
    assert_int_equal(u[1].protocol, SGR_PROTO_UDP);
    assert_string_equal(sgr_format_ports(u, n, a), "tcp:443-500,8000-8090 udp:53");
    /* every protocol absorbs the rest */
    sgr_proto_ports all = {SGR_PROTO_ALL, NULL, 0};
    u = sgr_ports_union(p1, 1, &all, 1, a, &n);
    assert_int_equal(n, 1);
    assert_int_equal(u[0].protocol, SGR_PROTO_ALL);
    sgr_arena_free(a);
}

static void test_intersect_and_has(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_portrange r1[] = {{32768, 65535}}, r2[] = {{80, 80}, {32769, 32769}, {40000, 40010}};
    sgr_proto_ports p1[] = {tcp(r1, 1)}, p2[] = {tcp(r2, 3)};
    uint32_t n;
    sgr_proto_ports *x = sgr_ports_intersect(p1, 1, p2, 1, a, &n);
    assert_int_equal(n, 1);
    assert_int_equal(x[0].n_ranges, 2);
    assert_true(sgr_ports_has(x, n, SGR_PROTO_TCP, 32769));
    assert_true(sgr_ports_has(x, n, SGR_PROTO_TCP, 40005));
    assert_false(sgr_ports_has(x, n, SGR_PROTO_TCP, 80));
    assert_false(sgr_ports_has(x, n, SGR_PROTO_UDP, 32769));
    sgr_proto_ports all = {SGR_PROTO_ALL, NULL, 0};
    x = sgr_ports_intersect(&all, 1, p2, 1, a, &n);
    assert_int_equal(n, 1);
    assert_int_equal(x[0].n_ranges, 3);
    sgr_proto_ports udp = {SGR_PROTO_UDP, NULL, 0};
    x = sgr_ports_intersect(&udp, 1, p2, 1, a, &n);
    assert_int_equal(n, 0);
    int32_t proto, port;
    sgr_ports_first(p2, 1, &proto, &port);
    assert_int_equal(proto, SGR_PROTO_TCP);
    assert_int_equal(port, 80);
    sgr_arena_free(a);
}

static void test_task_served(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_network_binding nb[] = {{.container_port = 8080, .container_port_end = 8080, .host_port = 32771,
                                 .host_port_end = 32771, .protocol = SGR_PROTO_TCP}};
    sgr_task_container c = {.name = "app", .bindings = nb, .n_bindings = 1};
    sgr_task t = {.containers = &c, .n_containers = 1};
    sgr_endpoint ep = {.kind = SGR_EP_TASK, .mode = SGR_NET_BRIDGE, .task = &t};
    sgr_proto_ports *p;
    uint32_t n;
    /* across hosts: the published host port */
    assert_true(sgr_task_served(&ep, "direct", a, &p, &n));
    assert_string_equal(sgr_format_ports(p, n, a), "tcp:32771");
    /* over the docker bridge: the container port */
    assert_true(sgr_task_served(&ep, "docker-bridge", a, &p, &n));
    assert_string_equal(sgr_format_ports(p, n, a), "tcp:8080");
    /* awsvpc: whatever listens on its own interface answers */
    ep.mode = SGR_NET_AWSVPC;
    assert_false(sgr_task_served(&ep, "direct", a, &p, &n));
    /* none: nothing */
    ep.mode = SGR_NET_NONE;
    assert_true(sgr_task_served(&ep, "direct", a, &p, &n));
    assert_int_equal(n, 0);
    /* bridge without bindings and a dynamic mapping: cannot tell */
    sgr_port_mapping pm = {.container_port = 8080, .container_port_end = 8080, .host_port = 0, .protocol = SGR_PROTO_TCP};
    sgr_container_def cd = {.name = "app", .ports = &pm, .n_ports = 1};
    sgr_task_def td = {.containers = &cd, .n_containers = 1};
    sgr_task t2 = {.task_def = &td};
    sgr_endpoint ep2 = {.kind = SGR_EP_TASK, .mode = SGR_NET_BRIDGE, .task = &t2};
    assert_false(sgr_task_served(&ep2, "direct", a, &p, &n));
    sgr_arena_free(a);
}

static void test_admin_ports(void **state)
{
    (void)state;
    int32_t which;
    assert_true(sgr_is_admin_port(SGR_PROTO_TCP, 22, 22, &which));
    assert_int_equal(which, 22);
    assert_true(sgr_is_admin_port(SGR_PROTO_ALL, 0, 65535, &which));
    assert_true(sgr_is_admin_port(SGR_PROTO_TCP, 5000, 6000, &which));
    assert_int_equal(which, 5432);
    assert_false(sgr_is_admin_port(SGR_PROTO_TCP, 443, 443, &which));
    assert_false(sgr_is_admin_port(SGR_PROTO_TCP, 32768, 65535, &which)); /* dynamic host ports */
    assert_false(sgr_is_admin_port(SGR_PROTO_UDP, 22, 22, &which));
    /* one list for exposure and findings: each once, in port order */
    size_t n;
    const sgr_admin_port *all = sgr_admin_ports(&n);
    assert_true(n > 20);
    for (size_t i = 1; i < n; i++)
        assert_true(all[i - 1].port < all[i].port);
    assert_true(sgr_is_admin_port(SGR_PROTO_TCP, 445, 445, &which));  /* SMB: once only a finding */
    assert_true(sgr_is_admin_port(SGR_PROTO_TCP, 8086, 8086, &which)); /* InfluxDB: once only exposure */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_union_merges),
        cmocka_unit_test(test_intersect_and_has),
        cmocka_unit_test(test_task_served),
        cmocka_unit_test(test_admin_ports),
    };
    return cmocka_run_group_tests_name("blast_ports", tests, NULL, NULL);
}
