/* The policy file parser: every kind of error with its exact located message,
 * the accepted forms, severities and waiver expiry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queries/policy.h"

/* Stands in for sgr_selector_parse: only the syntax matters to the parser. */
static bool fake_selector(sgr_arena *a, const char *text, const char **err)
{
    (void)a;
    if (strncmp(text, "bogus:", 6) == 0) {
        *err = "unknown selector prefix \"bogus:\"";
        return false;
    }
    return true;
}

static const sgr_policy_options OPTS = {.today = "2026-06-15", .check_selector = fake_selector};

static sgr_policy *parse(sgr_arena *a, const char *text, const char **err)
{
    return sgr_policy_parse(a, "p.json", text, strlen(text), &OPTS, err);
}

/* Parses text, expects failure with exactly `want`. */
static void expect_error(const char *text, const char *want)
{
    sgr_arena *a = sgr_arena_new();
    const char *err = NULL;
    sgr_policy *p = parse(a, text, &err);
    assert_null(p);
    assert_non_null(err);
    assert_string_equal(err, want);
    sgr_arena_free(a);
}

static const char GOOD[] =
    "{\n"
    "  \"description\": \"prod\",\n"
    "  \"forbid\": [\n"
    "    {\"name\": \"payment-not-user-db\", \"from\": \"service:payment-service\",\n"
    "     \"to\": \"tag:Name=user-rds\", \"ports\": \"tcp:5432\", \"severity\": \"critical\",\n"
    "     \"description\": \"seed 002\"},\n"
    "    {\"name\": \"no-internet\", \"from\": \"internet\", \"to\": \"sg-0abc\",\n"
    "     \"ports\": [\"tcp:22\", \"tcp:3389\", \"udp:53\"]}\n"
    "  ],\n"
    "  \"require\": [\n"
    "    {\"name\": \"alb-web\", \"from\": \"lb:web\", \"to\": \"service:web\", \"ports\": \"tcp:80,443\",\n"
    "     \"severity\": \"low\"}\n"
    "  ],\n"
    "  \"waivers\": [\n"
    "    {\"name\": \"no-internet\", \"to\": \"eni-1\", \"reason\": \"bastion\", \"expires\": \"2026-06-15\"},\n"
    "    {\"name\": \"no-internet\", \"reason\": \"old\", \"expires\": \"2026-06-14\", \"ports\": \"tcp:22\"}\n"
    "  ]\n"
    "}\n";

static void parses_a_good_policy(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    const char *err = NULL;
    sgr_policy *p = parse(a, GOOD, &err);
    assert_non_null(p);
    assert_null(err);
    assert_int_equal(p->n_entries, 3);
    assert_int_equal(p->n_waivers, 2);
    const sgr_policy_entry *e = &p->entries[0];
    assert_int_equal(e->kind, SGR_POLICY_FORBID);
    assert_string_equal(e->name, "payment-not-user-db");
    assert_string_equal(e->from, "service:payment-service");
    assert_string_equal(e->to, "tag:Name=user-rds");
    assert_string_equal(e->ports_text, "tcp:5432");
    assert_string_equal(e->severity, "critical");
    assert_int_equal(e->level, SGR_LEVEL_ERROR);
    assert_string_equal(e->description, "seed 002");
    assert_string_equal(e->path, "$.forbid[0]");
    assert_int_equal(e->line, 4);
    e = &p->entries[1];
    assert_string_equal(e->ports_text, "tcp:22,3389 udp:53");
    assert_string_equal(e->severity, "error"); /* the default */
    assert_int_equal(e->line, 7);
    e = &p->entries[2];
    assert_int_equal(e->kind, SGR_POLICY_REQUIRE);
    assert_int_equal(e->level, SGR_LEVEL_NOTE);
    assert_string_equal(e->path, "$.require[0]");
    assert_int_equal(e->line, 11);
    assert_ptr_equal(sgr_policy_find(p, "alb-web"), e);
    assert_null(sgr_policy_find(p, "nope"));
    /* Expiry: a waiver applies through its expiry date and not after. */
    assert_false(p->waivers[0].expired);
    assert_null(p->waivers[0].from);
    assert_string_equal(p->waivers[0].to, "eni-1");
    assert_false(p->waivers[0].has_ports);
    assert_true(p->waivers[1].expired);
    assert_true(p->waivers[1].has_ports);
    assert_int_equal(p->waivers[1].line, 16);
    assert_string_equal(p->today, "2026-06-15");
    sgr_arena_free(a);
}

static void today_from_environment(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    const char *err = NULL;
    sgr_policy_options o = {.check_selector = fake_selector};
    setenv("SGREACH_TODAY", "2026-06-16", 1);
    sgr_policy *p = sgr_policy_parse(a, "p.json", GOOD, strlen(GOOD), &o, &err);
    assert_non_null(p);
    assert_string_equal(p->today, "2026-06-16");
    assert_true(p->waivers[0].expired);
    setenv("SGREACH_TODAY", "2026-02-30", 1);
    assert_null(sgr_policy_parse(a, "p.json", GOOD, strlen(GOOD), &o, &err));
    assert_string_equal(err, "SGREACH_TODAY=\"2026-02-30\" is not a date YYYY-MM-DD");
    unsetenv("SGREACH_TODAY");
    p = sgr_policy_parse(a, "p.json", GOOD, strlen(GOOD), &o, &err);
    assert_non_null(p);
    assert_true(sgr_policy_valid_date(p->today)); /* the real UTC date */
    sgr_arena_free(a);
}

static void syntax_errors_have_line_and_column(void **state)
{
    (void)state;
    expect_error("{\n  \"forbid\": [,]\n}", "p.json:2:14: unexpected token near ','");
    expect_error("{\"forbid\": [], \"forbid\": []}", "p.json:1:23: duplicate object key near '\"forbid\"'");
}

static void content_errors_are_located(void **state)
{
    (void)state;
    expect_error("[]", "p.json: $ (line 1): a policy must be a JSON object, not an array");
    expect_error("{\n \"forbid\": [],\n \"allow\": []}",
                 "p.json: $.allow (line 3): unknown key \"allow\" (expected forbid, require, waivers, description)");
    expect_error("{\"forbid\": {}}", "p.json: $.forbid (line 1): must be an array, not an object");
    expect_error("{\"forbid\": [\n 3]}", "p.json: $.forbid[0] (line 2): an entry must be an object, not an integer");
    expect_error("{\"require\": [\n {\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\"}]}",
                 "p.json: $.require[0] (line 2): missing \"ports\"");
    expect_error("{\"forbid\": [{\"name\": \"x\", \"from\": \"internet\",\n \"to\": \"sg-1\", \"port\": \"tcp:1\"}]}",
                 "p.json: $.forbid[0].port (line 2): unknown key \"port\" (expected name, from, to, ports, severity, description)");
    expect_error("{\"forbid\": [{\"name\": 7, \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": \"all\"}]}",
                 "p.json: $.forbid[0].name (line 1): must be a string, not an integer");
    expect_error("{\"forbid\": [{\"name\": \"\", \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": \"all\"}]}",
                 "p.json: $.forbid[0].name (line 1): must not be empty");
    expect_error("{\"forbid\": [{\"name\": \"x\",\n \"from\": \"bogus:1\", \"to\": \"sg-1\", \"ports\": \"all\"}]}",
                 "p.json: $.forbid[0].from (line 2): bad selector \"bogus:1\": unknown selector prefix \"bogus:\"");
    expect_error("{\"forbid\": [{\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\",\n"
                 " \"ports\": \"tcp:70000\"}]}",
                 "p.json: $.forbid[0].ports (line 2): bad port spec \"tcp:70000\": port 70000 out of range 0-65535");
    expect_error("{\"forbid\": [{\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\",\n"
                 " \"ports\": [\"tcp:22\",\n \"sctp\"]}]}",
                 "p.json: $.forbid[0].ports[1] (line 3): bad port spec \"sctp\": unknown protocol \"sctp\" (use tcp, udp, icmp, icmpv6, all or a protocol number 0-255)");
    expect_error("{\"forbid\": [{\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": []}]}",
                 "p.json: $.forbid[0].ports (line 1): must not be an empty list");
    expect_error("{\"forbid\": [{\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": 22}]}",
                 "p.json: $.forbid[0].ports (line 1): must be a port spec string or a list of them, not an integer");
    expect_error("{\"forbid\": [{\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": [22]}]}",
                 "p.json: $.forbid[0].ports[0] (line 1): must be a port spec string, not an integer");
    expect_error("{\"forbid\": [{\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": \"all\",\n"
                 " \"severity\": \"fatal\"}]}",
                 "p.json: $.forbid[0].severity (line 2): unknown severity \"fatal\" (expected error, warning, note, critical, high, medium or low)");
    expect_error("{\"forbid\": [{\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": \"all\"}],\n"
                 " \"require\": [{\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": \"all\"}]}",
                 "p.json: $.require[0].name (line 2): duplicate entry name \"x\" (first at $.forbid[0])");
}

static void waiver_errors_are_located(void **state)
{
    (void)state;
    static const char HEAD[] = "{\"forbid\": [{\"name\": \"x\", \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": \"all\"}],\n"
                               " \"waivers\": [\n";
    char buf[1024];
    snprintf(buf, sizeof buf, "%s  {\"name\": \"y\", \"reason\": \"r\"}]}", HEAD);
    expect_error(buf, "p.json: $.waivers[0].name (line 3): no forbid or require entry, and no finding check, is named \"y\"");
    snprintf(buf, sizeof buf, "%s  {\"name\": \"x\"}]}", HEAD);
    expect_error(buf, "p.json: $.waivers[0] (line 3): missing \"reason\"");
    snprintf(buf, sizeof buf, "%s  {\"name\": \"x\", \"reason\": \"r\", \"expires\": \"2026-13-01\"}]}", HEAD);
    expect_error(buf, "p.json: $.waivers[0].expires (line 3): \"2026-13-01\" is not a date YYYY-MM-DD");
    snprintf(buf, sizeof buf, "%s  {\"name\": \"x\", \"reason\": \"r\", \"until\": \"2026-12-01\"}]}", HEAD);
    expect_error(buf, "p.json: $.waivers[0].until (line 3): unknown key \"until\" (expected name, from, to, ports, reason, expires)");
    snprintf(buf, sizeof buf, "%s  {\"name\": \"x\", \"reason\": \"r\", \"to\": \"bogus:2\"}]}", HEAD);
    expect_error(buf, "p.json: $.waivers[0].to (line 3): bad selector \"bogus:2\": unknown selector prefix \"bogus:\"");
    snprintf(buf, sizeof buf, "%s  {\"name\": \"x\", \"reason\": \"r\", \"ports\": \"tcp:9-1\"}]}", HEAD);
    expect_error(buf, "p.json: $.waivers[0].ports (line 3): bad port spec \"tcp:9-1\": range 9-1 is reversed");
    snprintf(buf, sizeof buf, "%s  \"x\"]}", HEAD);
    expect_error(buf, "p.json: $.waivers[0] (line 3): a waiver must be an object, not a string");
}

static void unreadable_file(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    const char *err = NULL;
    assert_null(sgr_policy_load(a, "/nonexistent/p.json", &OPTS, &err));
    assert_string_equal(err, "/nonexistent/p.json: No such file or directory");
    sgr_arena_free(a);
}

static void dates(void **state)
{
    (void)state;
    assert_true(sgr_policy_valid_date("2024-02-29"));
    assert_false(sgr_policy_valid_date("2023-02-29"));
    assert_true(sgr_policy_valid_date("2000-02-29"));
    assert_false(sgr_policy_valid_date("1900-02-29"));
    assert_false(sgr_policy_valid_date("2024-04-31"));
    assert_false(sgr_policy_valid_date("2024-4-30"));
    assert_false(sgr_policy_valid_date("2024-04-30T00"));
    assert_false(sgr_policy_valid_date("20x4-04-30"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_a_good_policy),
        cmocka_unit_test(today_from_environment),
        cmocka_unit_test(syntax_errors_have_line_and_column),
        cmocka_unit_test(content_errors_are_located),
        cmocka_unit_test(waiver_errors_are_located),
        cmocka_unit_test(unreadable_file),
        cmocka_unit_test(dates),
    };
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
