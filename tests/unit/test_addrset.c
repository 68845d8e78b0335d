/* Address and port sets: IPv4 and IPv6 apart, closed intervals, merged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "graph/addrset.h"
#include "graph/portset.h"
#include "model_builder.h"

static void test_prefix_and_merge(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_addrset_builder b;
    sgr_asb_init(&b, a);
    sgr_prefix p1 = mb_cidr("10.0.0.0/25"), p2 = mb_cidr("10.0.0.128/25"), p3 = mb_cidr("10.0.5.7/32");
    sgr_asb_add_prefix(&b, &p3);
    sgr_asb_add_prefix(&b, &p1);
    sgr_asb_add_prefix(&b, &p2);
    sgr_addrset s = sgr_asb_build(&b);
    assert_int_equal(s.n4, 2); /* the two halves merge into 10.0.0.0/24 */
    assert_string_equal(sgr_addrset_str(a, &s, 10), "10.0.0.0/24, 10.0.5.7/32");
    sgr_ip in = mb_ip("10.0.0.200"), out = mb_ip("10.0.1.0");
    assert_true(sgr_addrset_contains(&s, &in));
    assert_false(sgr_addrset_contains(&s, &out));
    sgr_arena_free(a);
}

static void test_families_apart(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_prefix any6 = mb_cidr("::/0"), any4 = mb_cidr("0.0.0.0/0");
    sgr_addrset s6 = sgr_addrset_prefix(a, &any6), s4 = sgr_addrset_prefix(a, &any4);
    sgr_ip v4 = mb_ip("10.1.2.3"), v6 = mb_ip("2001:db8::1"), mapped = mb_ip("::ffff:10.1.2.3");
    assert_false(sgr_addrset_contains(&s6, &v4)); /* ::/0 never matches IPv4 */
    assert_true(sgr_addrset_contains(&s6, &v6));
    assert_true(sgr_addrset_contains(&s6, &mapped));
    assert_false(sgr_addrset_contains(&s4, &v6));
    assert_true(sgr_addrset_contains(&s4, &v4));
    assert_string_equal(sgr_addrset_str(a, &s6, 4), "::/0");
    assert_string_equal(sgr_addrset_str(a, &s4, 4), "0.0.0.0/0");
    sgr_arena_free(a);
}

static void test_set_algebra(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_prefix big = mb_cidr("10.0.0.0/16"), hole = mb_cidr("10.0.1.0/24"), v6 = mb_cidr("2001:db8::/32"),
               v6h = mb_cidr("2001:db8:1::/48");
    sgr_addrset x = sgr_addrset_prefix(a, &big), y = sgr_addrset_prefix(a, &hole);
    sgr_addrset x6 = sgr_addrset_prefix(a, &v6), y6 = sgr_addrset_prefix(a, &v6h);
    x = sgr_addrset_union(a, &x, &x6);
    y = sgr_addrset_union(a, &y, &y6);
    sgr_addrset d = sgr_addrset_subtract(a, &x, &y);
    assert_int_equal(d.n4, 2);
    assert_int_equal(d.n6, 2);
    sgr_ip h = mb_ip("10.0.1.9"), k = mb_ip("10.0.2.9"), h6 = mb_ip("2001:db8:1::5"), k6 = mb_ip("2001:db8:2::5");
    assert_false(sgr_addrset_contains(&d, &h));
    assert_true(sgr_addrset_contains(&d, &k));
    assert_false(sgr_addrset_contains(&d, &h6));
    assert_true(sgr_addrset_contains(&d, &k6));
    sgr_addrset i = sgr_addrset_intersect(a, &x, &y);
    assert_true(sgr_addrset_equal(&i, &y));
    assert_true(sgr_addrset_covers(&x, &y));
    assert_false(sgr_addrset_covers(&y, &x));
    assert_false(sgr_addrset_overlaps(&d, &y));
    sgr_addrset u = sgr_addrset_union(a, &d, &y);
    assert_true(sgr_addrset_equal(&u, &x));
    /* the top of the space needs no special case */
    sgr_prefix top = mb_cidr("255.255.255.255/32"), all = mb_cidr("0.0.0.0/0");
    sgr_addrset t = sgr_addrset_prefix(a, &top), al = sgr_addrset_prefix(a, &all);
    sgr_addrset r = sgr_addrset_subtract(a, &al, &t);
    assert_string_equal(sgr_addrset_str(a, &r, 40), sgr_addrset_str(a, &r, 40));
    assert_int_equal(r.n4, 1);
    assert_int_equal(r.r4[0].hi, 0xfffffffeu);
    sgr_arena_free(a);
}

static void test_public_set(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_addrset p = sgr_addrset_public(a);
    const char *pub[] = {"8.8.8.8", "52.4.198.33", "2600:1f18::1", "198.51.100.25"};
    const char *priv[] = {"10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.3.21", "127.0.0.1", "fd00::1", "fe80::1"};
    for (size_t i = 0; i < sizeof pub / sizeof pub[0]; i++) {
        sgr_ip ip = mb_ip(pub[i]);
        assert_true(sgr_addrset_contains(&p, &ip));
    }
    for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++) {
        sgr_ip ip = mb_ip(priv[i]);
        assert_false(sgr_addrset_contains(&p, &ip));
    }
    sgr_arena_free(a);
}

static void test_portsets(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_pset s = {0};
    sgr_pset_add(a, &s, 8080, 8090);
    sgr_pset_add(a, &s, 443, 443);
    sgr_pset_add(a, &s, 8091, 8100);
    sgr_pset_norm(&s);
    assert_int_equal(s.n, 2);
    assert_true(sgr_pset_covers(&s, 8085, 8100));
    assert_false(sgr_pset_covers(&s, 442, 443));
    sgr_pset h = sgr_pset_range(a, 8000, 8095);
    sgr_pset d = sgr_pset_subtract(a, &s, &h);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.r[1].lo, 8096);
    sgr_proto_ports pp[2] = {{SGR_PROTO_TCP, s.r, s.n}, {SGR_PROTO_UDP, NULL, 0}};
    assert_string_equal(sgr_format_ports(pp, 2, a), "tcp:443,8080-8100 udp:0-65535");
    sgr_proto_ports all = {SGR_PROTO_ALL, NULL, 0};
    assert_string_equal(sgr_format_ports(&all, 1, a), "all");
    assert_string_equal(sgr_format_ports(NULL, 0, a), "");
    /* ICMP types (-1 is every type), a protocol by number (no ports), every
     * protocol after others, and a set of many ranges, in one text */
    sgr_portrange icmp = {-1, 8}, many[300];
    char want[4096] = "icmp:-1-8 47 tcp:";
    for (int i = 0; i < 300; i++) {
        many[i] = (sgr_portrange){10 * i, 10 * i + (i % 2)};
        char one[32];
        snprintf(one, sizeof one, i % 2 ? "%s%d-%d" : "%s%d", i ? "," : "", 10 * i, 10 * i + 1);
        strcat(want, one);
    }
    strcat(want, " all");
    sgr_proto_ports mixed[4] = {{SGR_PROTO_ICMP, &icmp, 1}, {47, NULL, 0}, {SGR_PROTO_TCP, many, 300}, {SGR_PROTO_ALL, NULL, 0}};
    assert_string_equal(sgr_format_ports(mixed, 4, a), want);
    assert_string_equal(sgr_proto_port_str(a, SGR_PROTO_ICMP, 8, 8), "icmp type 8");
    sgr_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_and_merge), cmocka_unit_test(test_families_apart),
        cmocka_unit_test(test_set_algebra),      cmocka_unit_test(test_public_set),
        cmocka_unit_test(test_portsets),
    };
    return cmocka_run_group_tests_name("addrset", tests, NULL, NULL);
}
