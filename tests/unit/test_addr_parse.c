#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "load/import.h"

static void valid_addresses(void **state)
{
    (void)state;
    sgr_ip ip;
    char buf[64];
    assert_true(sgr_parse_ip("10.0.1.5", &ip));
    assert_int_equal(ip.family, SGR_AF_INET);
    assert_int_equal(ip.b[0], 10);
    assert_int_equal(ip.b[3], 5);
    assert_string_equal(sgr_format_ip(&ip, buf, sizeof buf), "10.0.1.5");
    assert_true(sgr_parse_ip("0.0.0.0", &ip));
    assert_true(sgr_parse_ip("255.255.255.255", &ip));
    assert_true(sgr_parse_ip("2001:db8::1", &ip));
    assert_int_equal(ip.family, SGR_AF_INET6);
    assert_string_equal(sgr_format_ip(&ip, buf, sizeof buf), "2001:db8::1");
    assert_true(sgr_parse_ip("::", &ip));
    assert_true(sgr_parse_ip("::ffff:10.0.0.1", &ip));
}

static void invalid_addresses(void **state)
{
    (void)state;
    static const char *const BAD[] = {
        "1.2.3", "1.2.3.4.5", "256.1.1.1", "10-0-0-157", "198.11.222.333", "010.0.0.1",
        "1.2.3.04", "", " 1.2.3.4", "1.2.3.4 ", "1..2.3", "a.b.c.d", "PrivateIpAddress",
        "2001:db8::1::2", "2001:db8::g", "fe80::1%eth0", "1.2.3.4/32", "-1.2.3.4", "+1.2.3.4",
    };
    sgr_ip ip;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
        if (sgr_parse_ip(BAD[i], &ip))
            fail_msg("accepted \"%s\"", BAD[i]);
    assert_false(sgr_parse_ip(NULL, &ip));
}

static void valid_prefixes(void **state)
{
    (void)state;
    sgr_prefix p;
    char buf[80];
    assert_true(sgr_parse_prefix("10.0.0.0/16", &p));
    assert_int_equal(p.len, 16);
    assert_string_equal(sgr_format_prefix(&p, buf, sizeof buf), "10.0.0.0/16");
    /* Host bits are cleared, as AWS prints them. */
    assert_true(sgr_parse_prefix("100.68.0.18/18", &p));
    assert_string_equal(sgr_format_prefix(&p, buf, sizeof buf), "100.68.0.0/18");
    assert_true(sgr_parse_prefix("10.1.2.3/0", &p));
    assert_string_equal(sgr_format_prefix(&p, buf, sizeof buf), "0.0.0.0/0");
    assert_true(sgr_parse_prefix("10.1.2.3/32", &p));
    assert_string_equal(sgr_format_prefix(&p, buf, sizeof buf), "10.1.2.3/32");
    assert_true(sgr_parse_prefix("2001:db8:1234:1a00::5/56", &p));
    assert_string_equal(sgr_format_prefix(&p, buf, sizeof buf), "2001:db8:1234:1a00::/56");
    assert_true(sgr_parse_prefix("::/0", &p));
    assert_int_equal(p.ip.family, SGR_AF_INET6);
    assert_true(sgr_parse_prefix("2001:db8::1/128", &p));
    assert_true(sgr_parse_prefix("10.0.0.0/31", &p));
    assert_string_equal(sgr_format_prefix(&p, buf, sizeof buf), "10.0.0.0/31");
}

static void invalid_prefixes(void **state)
{
    (void)state;
    static const char *const BAD[] = {
        "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "/24", "/24abc", "10.0.0.0/24abc",
        "1.2.3/24", "10.0.0.0", "10.0.0.0/024", "10.0.0.0/+8", "10.0.0.0/8/8", "10.0.0.0 /8",
        "10.0.0.0/ 8", "2001:db8::/129", "2001:db8::/", "CidrBlock", "0.0.0.0/00", "::/-0",
    };
    sgr_prefix p;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
        if (sgr_parse_prefix(BAD[i], &p))
            fail_msg("accepted \"%s\"", BAD[i]);
}

/* What the strict reader accepted is converted (by libcidr for IPv4, by
 * inet_pton and a mask for IPv6): the bytes must be those inet_pton gives
 * with the host bits cleared, for every length and for the address forms AWS
 * prints (dotted quads, compressed and v4-mapped IPv6). Under
 * AddressSanitizer this is also what showed libcidr reading before "::/0". */
static void conversion_matches_inet_pton(void **state)
{
    (void)state;
    static const char *const ADDRS[] = {
        "0.0.0.0", "10.0.1.5", "172.31.255.254", "255.255.255.255", "100.68.0.18",
        "::", "2001:db8::1", "2001:db8:1234:1a00::5", "fe80::1:2:3:4", "::ffff:10.0.0.1",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "64:ff9b::c000:221",
    };
    for (size_t i = 0; i < sizeof ADDRS / sizeof ADDRS[0]; i++) {
        bool v6 = strchr(ADDRS[i], ':') != NULL;
        uint8_t want[16] = {0};
        assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET, ADDRS[i], want), 1);
        sgr_ip ip;
        assert_true(sgr_parse_ip(ADDRS[i], &ip));
        assert_int_equal(ip.family, v6 ? SGR_AF_INET6 : SGR_AF_INET);
        assert_memory_equal(ip.b, want, v6 ? 16 : 4);
        for (unsigned len = 0; len <= (v6 ? 128u : 32u); len++) {
            char text[80];
            snprintf(text, sizeof text, "%s/%u", ADDRS[i], len);
            sgr_prefix p;
            if (!sgr_parse_prefix(text, &p))
                fail_msg("rejected \"%s\"", text);
            assert_int_equal(p.len, len);
            for (unsigned b = 0; b < (v6 ? 16u : 4u); b++) {
                unsigned keep = len >= b * 8 + 8 ? 8 : len > b * 8 ? len - b * 8 : 0;
                uint8_t mask = (uint8_t)(0xFF00u >> keep);
                if (p.ip.b[b] != (want[b] & mask))
                    fail_msg("\"%s\": byte %u is %u", text, b, p.ip.b[b]);
            }
        }
    }
}

static void protocols(void **state)
{
    (void)state;
    assert_int_equal(sgr_parse_protocol("tcp"), 6);
    assert_int_equal(sgr_parse_protocol("6"), 6);
    assert_int_equal(sgr_parse_protocol("TCP"), 6);
    assert_int_equal(sgr_parse_protocol("udp"), 17);
    assert_int_equal(sgr_parse_protocol("17"), 17);
    assert_int_equal(sgr_parse_protocol("icmp"), 1);
    assert_int_equal(sgr_parse_protocol("1"), 1);
    assert_int_equal(sgr_parse_protocol("icmpv6"), 58);
    assert_int_equal(sgr_parse_protocol("58"), 58);
    assert_int_equal(sgr_parse_protocol("-1"), -1);
    assert_int_equal(sgr_parse_protocol("all"), -1);
    assert_int_equal(sgr_parse_protocol("50"), 50);
    assert_int_equal(sgr_parse_protocol("0"), 0);
    assert_int_equal(sgr_parse_protocol("256"), -2);
    assert_int_equal(sgr_parse_protocol("06"), -2);
    assert_int_equal(sgr_parse_protocol("-2"), -2);
    assert_int_equal(sgr_parse_protocol("tcpx"), -2);
    assert_int_equal(sgr_parse_protocol(""), -2);
    assert_int_equal(sgr_parse_protocol(NULL), -2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_addresses), cmocka_unit_test(invalid_addresses),
        cmocka_unit_test(valid_prefixes),  cmocka_unit_test(invalid_prefixes),
        cmocka_unit_test(conversion_matches_inet_pton), cmocka_unit_test(protocols),
    };
    return cmocka_run_group_tests_name("addr_parse", tests, NULL, NULL);
}
