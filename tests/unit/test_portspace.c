/* Port sets: the spec parser, printing, and the interval arithmetic that
 * `check` and `diff` rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "graph/portspace.h"

static sgr_portset ps(sgr_arena *a, const char *text)
{
    sgr_portset s;
    const char *err = NULL;
    if (!sgr_portset_parse(a, text, &s, &err))
        fail_msg("parse \"%s\": %s", text, err);
    return s;
}

static void round_trip(sgr_arena *a, const char *in, const char *out)
{
    sgr_portset s = ps(a, in);
    assert_string_equal(sgr_portset_format(a, &s), out);
}

static void bad(sgr_arena *a, const char *in, const char *want)
{
    sgr_portset s;
    const char *err = NULL;
    assert_false(sgr_portset_parse(a, in, &s, &err));
    assert_string_equal(err, want);
}

static void parse_and_format(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    round_trip(a, "tcp:5432", "tcp:5432");
    round_trip(a, "tcp:0-65535", "tcp:0-65535");
    round_trip(a, "tcp", "tcp:0-65535");
    round_trip(a, "udp:53", "udp:53");
    round_trip(a, "tcp:443,80", "tcp:80,443");
    round_trip(a, "tcp:80-90,85-100,101", "tcp:80-101");
    round_trip(a, "udp:53 tcp:53", "tcp:53 udp:53");
    round_trip(a, "icmp", "icmp");
    round_trip(a, "icmp:8,0", "icmp:0,8");
    round_trip(a, "icmp:0-255", "icmp");
    round_trip(a, "47", "47");
    round_trip(a, "all", "all");
    round_trip(a, "tcp:22 all", "all");
    round_trip(a, "  tcp:22\tudp:1  ", "tcp:22 udp:1");
    bad(a, "", "empty port spec");
    bad(a, "   ", "empty port spec");
    bad(a, "sctp:1", "unknown protocol \"sctp\" (use tcp, udp, icmp, icmpv6, all or a protocol number 0-255)");
    bad(a, "256", "unknown protocol \"256\" (use tcp, udp, icmp, icmpv6, all or a protocol number 0-255)");
    bad(a, "tcp:", "empty port list after \"tcp:\"");
    bad(a, "tcp:65536", "port 65536 out of range 0-65535");
    bad(a, "tcp:100000", "\"100000\" is not a port or a range N-M");
    bad(a, "tcp:80,", "\"\" is not a port or a range N-M");
    bad(a, "tcp:http", "\"http\" is not a port or a range N-M");
    bad(a, "tcp:-5", "\"-5\" is not a port or a range N-M");
    bad(a, "tcp:90-80", "range 90-80 is reversed");
    bad(a, "icmp:300", "ICMP type 300 out of range 0-255");
    bad(a, "all:80", "\"all\" takes no ports");
    bad(a, "47:1", "protocol 47 takes no ports");
    sgr_arena_free(a);
}

static void arithmetic(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_portset x = ps(a, "tcp:1-100 udp:53");
    sgr_portset y = ps(a, "tcp:50-60,90-200 icmp");
    sgr_portset i = sgr_portset_intersect(a, &x, &y);
    assert_string_equal(sgr_portset_format(a, &i), "tcp:50-60,90-100");
    sgr_portset d = sgr_portset_subtract(a, &x, &y);
    assert_string_equal(sgr_portset_format(a, &d), "tcp:1-49,61-89 udp:53");
    sgr_portset all = ps(a, "all");
    sgr_portset rest = sgr_portset_subtract(a, &all, &x);
    sgr_portset back = sgr_portset_subtract(a, &all, &rest);
    assert_true(sgr_portset_equal(&back, &x));
    assert_true(sgr_portset_subset(&i, &x));
    assert_true(sgr_portset_subset(&i, &y));
    assert_false(sgr_portset_subset(&x, &y));
    assert_true(sgr_portset_subset(&x, &all));
    sgr_portset u = x;
    sgr_portset_union(a, &u, &y);
    assert_string_equal(sgr_portset_format(a, &u), "tcp:1-200 udp:53 icmp");
    sgr_portset tcp = sgr_portset_proto(a, &u, SGR_PROTO_TCP);
    assert_string_equal(sgr_portset_format(a, &tcp), "tcp:1-200");
    assert_string_equal(sgr_portset_format_ports(a, &u, SGR_PROTO_TCP), "1-200");
    assert_string_equal(sgr_portset_format_ports(a, &u, SGR_PROTO_ICMP), "all");
    assert_string_equal(sgr_portset_format_ports(a, &u, SGR_PROTO_UDP), "53");
    assert_string_equal(sgr_portset_format_ports(a, &u, 47), "none");
    sgr_portset empty = {0};
    assert_string_equal(sgr_portset_format(a, &empty), "none");
    assert_true(sgr_portset_empty(&empty));
    assert_true(sgr_portset_subset(&empty, &x));
    sgr_arena_free(a);
}

static void from_engine_ports(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_portrange r[] = {{443, 443}, {8080, 8090}};
    sgr_proto_ports pp[] = {
        {SGR_PROTO_TCP, r, 2}, {SGR_PROTO_UDP, NULL, 0}, {SGR_PROTO_ICMP, (sgr_portrange[]){{-1, -1}}, 1}, {50, NULL, 0},
    };
    sgr_portset s = {0};
    for (int k = 0; k < 4; k++)
        sgr_portset_add_proto_ports(a, &s, &pp[k]);
    assert_string_equal(sgr_portset_format(a, &s), "tcp:443,8080-8090 udp:0-65535 icmp 50");
    sgr_proto_ports everything = {-1, NULL, 0};
    sgr_portset_add_proto_ports(a, &s, &everything);
    assert_string_equal(sgr_portset_format(a, &s), "all");
    sgr_arena_free(a);
}

static void samples(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    int32_t proto, port;
    sgr_portset s = ps(a, "udp:53 tcp:8080-8090");
    assert_true(sgr_portset_sample(&s, &proto, &port));
    assert_int_equal(proto, SGR_PROTO_TCP);
    assert_int_equal(port, 8080);
    s = ps(a, "all");
    assert_true(sgr_portset_sample(&s, &proto, &port));
    assert_int_equal(proto, -1);
    assert_int_equal(port, -1);
    s = ps(a, "icmp");
    assert_true(sgr_portset_sample(&s, &proto, &port));
    assert_int_equal(proto, SGR_PROTO_ICMP);
    assert_int_equal(port, -1);
    s = ps(a, "47");
    assert_true(sgr_portset_sample(&s, &proto, &port));
    assert_int_equal(proto, 47);
    assert_int_equal(port, -1);
    sgr_portset empty = {0};
    assert_false(sgr_portset_sample(&empty, &proto, &port));
    sgr_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_and_format),
        cmocka_unit_test(arithmetic),
        cmocka_unit_test(from_engine_ports),
        cmocka_unit_test(samples),
    };
    return cmocka_run_group_tests_name("portspace", tests, NULL, NULL);
}
