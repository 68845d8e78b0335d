/* `check` writers on hand-made violations: the SARIF fields code scanning
 * needs, JUnit structure and escaping, the JSON shape that the baseline reads
 * back, waiver coverage and expiry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "queries/check.h"

static const char POLICY[] =
    "{\"forbid\": [\n"
    " {\"name\": \"payment-not-user-db\", \"from\": \"service:payment-service\", \"to\": \"sg-user-rds\",\n"
    "  \"ports\": \"tcp:5432\", \"severity\": \"high\", \"description\": \"payment never reaches user-RDS\"},\n"
    " {\"name\": \"no-ssh <&>\", \"from\": \"internet\", \"to\": \"sg-web\", \"ports\": \"tcp:22\", \"severity\": \"medium\"}],\n"
    " \"require\": [\n"
    " {\"name\": \"alb-web\", \"from\": \"lb:web\", \"to\": \"service:web\", \"ports\": \"tcp:8080\"}],\n"
    " \"waivers\": [\n"
    " {\"name\": \"no-ssh <&>\", \"to\": \"eni-bastion\", \"reason\": \"bastion \\\"jump\\\" host\", \"expires\": \"2030-01-01\"},\n"
    " {\"name\": \"payment-not-user-db\", \"reason\": \"migration\", \"expires\": \"2020-01-01\"}]}\n";

typedef struct fx {
    sgr_arena *a;
    sgr_policy *p;
    sgr_check_result r;
    sgr_rule_ref rules[2];
    sgr_hop path[3];
} fx;

static void set_violation(fx *f, sgr_violation *v, const sgr_policy_entry *e, const char *from, const char *to,
                          const char *ports, const char *verdict)
{
    memset(v, 0, sizeof *v);
    v->entry = e;
    v->from = from;
    v->to = to;
    v->from_name = from;
    v->to_name = to;
    const char *err;
    assert_true(sgr_portset_parse(f->a, ports, &v->portset, &err));
    v->protocol = SGR_PROTO_TCP;
    v->protocol_name = "tcp";
    v->ports = sgr_portset_format_ports(f->a, &v->portset, SGR_PROTO_TCP);
    v->verdict = verdict;
    v->possible = strcmp(verdict, "unknown") == 0;
    v->pairs = SGR_NEW(f->a, sgr_check_pair);
    v->pairs[0] = (sgr_check_pair){from, to, from, to, verdict};
    v->n_pairs = 1;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->a = sgr_arena_new();
    const char *err = NULL;
    sgr_policy_options o = {.today = "2026-06-15"};
    f->p = sgr_policy_parse(f->a, "policy.json", POLICY, strlen(POLICY), &o, &err);
    assert_non_null(f->p);
    f->r.policy = f->p;
    f->r.v = SGR_NEW_N(f->a, sgr_violation, 4);
    f->r.n = 4;
    /* deliberately out of order: finish sorts */
    set_violation(f, &f->r.v[0], &f->p->entries[2], "lb:web", "service:prod/web", "tcp:8080", "unreachable");
    set_violation(f, &f->r.v[1], &f->p->entries[1], "internet", "eni-bastion", "tcp:22", "reachable");
    set_violation(f, &f->r.v[2], &f->p->entries[0], "service:prod/payment-service", "eni-userdb", "tcp:5432", "reachable");
    set_violation(f, &f->r.v[3], &f->p->entries[1], "internet", "eni-app", "tcp:22", "unknown");
    f->rules[0] = (sgr_rule_ref){"sg-pay", "egress", "tcp/5432 to 10.0.0.0/16", {"dumps/sgs.json", "$.SecurityGroups[0]", 12, NULL}};
    f->rules[1] = (sgr_rule_ref){"sg-user-rds", "ingress", "tcp/5432 from 10.0.0.0/16", {"dumps/sgs.json", "$.SecurityGroups[1]", 40, NULL}};
    f->path[0] = (sgr_hop){"task", "task-1", NULL};
    f->path[1] = (sgr_hop){"eni", "eni-pay", NULL};
    f->path[2] = (sgr_hop){"eni", "eni-userdb", "tcp/5432"};
    sgr_violation *pay = &f->r.v[2];
    pay->rules = f->rules;
    pay->n_rules = 2;
    pay->path = f->path;
    pay->n_path = 3;
    pay->loc_file = "dumps/sgs.json";
    pay->loc_line = 40;
    sgr_check_finish(f->a, &f->r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sgr_arena_free(f->a);
    free(f);
    return 0;
}

/* Writes with `fn` into memory and returns the text (free it). */
static char *render(void (*fn)(FILE *, const sgr_check_result *, sgr_arena *), fx *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    fn(m, &f->r, f->a);
    fclose(m);
    return buf;
}

static json_t *render_json(void (*fn)(FILE *, const sgr_check_result *, sgr_arena *), fx *f)
{
    char *text = render(fn, f);
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        fail_msg("invalid JSON: %s at %d:%d", je.text, je.line, je.column);
    free(text);
    return j;
}

static void sorted_with_stable_fingerprints(void **state)
{
    fx *f = *state;
    assert_string_equal(f->r.v[0].entry->name, "payment-not-user-db");
    assert_string_equal(f->r.v[1].to, "eni-app");
    assert_string_equal(f->r.v[2].to, "eni-bastion");
    assert_string_equal(f->r.v[3].entry->name, "alb-web");
    assert_int_equal(strlen(f->r.v[0].fingerprint), 16);
    assert_string_equal(f->r.v[0].fingerprint,
                        sgr_violation_key(f->a, "payment-not-user-db", "service:prod/payment-service", "eni-userdb", "tcp"));
    assert_string_not_equal(f->r.v[1].fingerprint, f->r.v[2].fingerprint);
    assert_int_equal(sgr_check_failures(&f->r), 4);
}

static void waivers_cover_and_expire(void **state)
{
    fx *f = *state;
    const char *bastion[] = {"eni-bastion"};
    sgr_waiver_scope s[2] = {
        {.w = &f->p->waivers[0], .any_from = true, .to_ids = bastion, .n_to = 1},
        {.w = &f->p->waivers[1], .any_from = true, .any_to = true},
    };
    sgr_check_apply_waivers(&f->r, s, 2);
    assert_true(f->r.v[2].waived); /* internet -> eni-bastion */
    assert_string_equal(f->r.v[2].waiver_reason, "bastion \"jump\" host");
    assert_false(f->r.v[1].waived); /* eni-app is not the bastion */
    assert_false(f->r.v[0].waived); /* its waiver expired on 2020-01-01 */
    assert_string_equal(f->r.v[0].waiver_expired, "2020-01-01");
    assert_int_equal(sgr_check_failures(&f->r), 3);
}

static void waiver_ports_must_cover(void **state)
{
    fx *f = *state;
    static const char P[] = "{\"forbid\": [{\"name\": \"n\", \"from\": \"internet\", \"to\": \"sg-1\", \"ports\": \"tcp\"}],\n"
                            " \"waivers\": [{\"name\": \"n\", \"ports\": \"tcp:22-23\", \"reason\": \"r\"}]}";
    const char *err;
    sgr_policy_options o = {.today = "2026-06-15"};
    sgr_policy *p = sgr_policy_parse(f->a, "w.json", P, strlen(P), &o, &err);
    assert_non_null(p);
    sgr_check_result r = {.policy = p, .v = SGR_NEW_N(f->a, sgr_violation, 2), .n = 2};
    set_violation(f, &r.v[0], &p->entries[0], "internet", "eni-1", "tcp:22", "reachable");
    set_violation(f, &r.v[1], &p->entries[0], "internet", "eni-2", "tcp:22-80", "reachable");
    sgr_waiver_scope s = {.w = &p->waivers[0], .any_from = true, .any_to = true};
    sgr_check_apply_waivers(&r, &s, 1);
    assert_true(r.v[0].waived);
    assert_false(r.v[1].waived);
}

static void sarif_has_what_code_scanning_needs(void **state)
{
    fx *f = *state;
    json_t *j = render_json(sgr_check_write_sarif, f);
    assert_string_equal(json_string_value(json_object_get(j, "version")), "2.1.0");
    assert_string_equal(json_string_value(json_object_get(j, "$schema")), "https://json.schemastore.org/sarif-2.1.0.json");
    json_t *run = json_array_get(json_object_get(j, "runs"), 0);
    json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
    assert_string_equal(json_string_value(json_object_get(driver, "name")), "sgreach");
    assert_non_null(json_string_value(json_object_get(driver, "version")));
    assert_non_null(json_string_value(json_object_get(driver, "informationUri")));
    json_t *rules = json_object_get(driver, "rules");
    assert_int_equal(json_array_size(rules), 3);
    json_t *r0 = json_array_get(rules, 0);
    assert_string_equal(json_string_value(json_object_get(r0, "id")), "payment-not-user-db");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r0, "shortDescription"), "text")),
                        "payment never reaches user-RDS");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r0, "defaultConfiguration"), "level")), "error");
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(rules, 1), "defaultConfiguration"), "level")),
                        "warning");
    json_t *results = json_object_get(run, "results");
    assert_int_equal(json_array_size(results), 4);
    json_t *res0 = json_array_get(results, 0);
    assert_string_equal(json_string_value(json_object_get(res0, "ruleId")), "payment-not-user-db");
    assert_int_equal(json_integer_value(json_object_get(res0, "ruleIndex")), 0);
    assert_string_equal(json_string_value(json_object_get(res0, "level")), "error");
    const char *msg = json_string_value(json_object_get(json_object_get(res0, "message"), "text"));
    assert_non_null(strstr(msg, "service:prod/payment-service reaches eni-userdb on tcp:5432"));
    assert_non_null(strstr(msg, "sg-user-rds ingress tcp/5432 from 10.0.0.0/16 at dumps/sgs.json:40"));
    json_t *pl = json_object_get(json_array_get(json_object_get(res0, "locations"), 0), "physicalLocation");
    assert_string_equal(json_string_value(json_object_get(json_object_get(pl, "artifactLocation"), "uri")), "dumps/sgs.json");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(pl, "region"), "startLine")), 40);
    json_t *rel = json_object_get(res0, "relatedLocations");
    assert_int_equal(json_array_size(rel), 1); /* the egress rule; the ingress rule is the location */
    assert_string_equal(json_string_value(json_object_get(json_object_get(res0, "partialFingerprints"), "sgreachViolation/v1")),
                        f->r.v[0].fingerprint);
    assert_null(json_object_get(res0, "baselineState")); /* no baseline given */
    /* Without a deciding rule, the policy entry is the location. */
    json_t *res3 = json_array_get(results, 3);
    pl = json_object_get(json_array_get(json_object_get(res3, "locations"), 0), "physicalLocation");
    assert_string_equal(json_string_value(json_object_get(json_object_get(pl, "artifactLocation"), "uri")), "policy.json");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(pl, "region"), "startLine")), 6);
    assert_string_equal(json_string_value(json_object_get(res3, "level")), "error");
    json_decref(j);
}

static void sarif_marks_waived_and_baseline(void **state)
{
    fx *f = *state;
    f->r.v[2].waived = true;
    f->r.v[2].waiver_reason = "bastion";
    f->r.baseline_file = "old.json";
    f->r.v[0].baseline = SGR_BASELINE_KNOWN;
    f->r.v[1].baseline = SGR_BASELINE_NEW;
    json_t *j = render_json(sgr_check_write_sarif, f);
    json_t *results = json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results");
    assert_string_equal(json_string_value(json_object_get(json_array_get(results, 0), "baselineState")), "unchanged");
    assert_string_equal(json_string_value(json_object_get(json_array_get(results, 1), "baselineState")), "new");
    json_t *sup = json_array_get(json_object_get(json_array_get(results, 2), "suppressions"), 0);
    assert_string_equal(json_string_value(json_object_get(sup, "kind")), "external");
    assert_string_equal(json_string_value(json_object_get(sup, "justification")), "bastion");
    json_decref(j);
}

static void sarif_uri_relative_to_cwd(void **state)
{
    fx *f = *state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    f->r.v[0].loc_file = sgr_arena_printf(f->a, "%s/snap shot/sgs.json", cwd);
    f->r.v[1].loc_file = "/elsewhere/x.json";
    f->r.v[1].loc_line = 3;
    json_t *j = render_json(sgr_check_write_sarif, f);
    json_t *results = json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results");
    const char *u0 = json_string_value(json_object_get(json_object_get(json_object_get(json_array_get(json_object_get(json_array_get(results, 0), "locations"), 0),
                                                                                        "physicalLocation"), "artifactLocation"), "uri"));
    const char *u1 = json_string_value(json_object_get(json_object_get(json_object_get(json_array_get(json_object_get(json_array_get(results, 1), "locations"), 0),
                                                                                        "physicalLocation"), "artifactLocation"), "uri"));
    assert_string_equal(u0, "snap%20shot/sgs.json");
    assert_string_equal(u1, "file:///elsewhere/x.json");
    json_decref(j);
}

static void junit_one_testcase_per_entry(void **state)
{
    fx *f = *state;
    f->r.v[2].waived = true;
    f->r.v[2].waiver_reason = "bastion <jump>";
    char *x = render(sgr_check_write_junit, f);
    assert_non_null(strstr(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert_non_null(strstr(x, "<testsuite name=\"policy.json\" tests=\"3\" failures=\"3\" errors=\"0\" skipped=\"0\">"));
    assert_non_null(strstr(x, "<testcase classname=\"sgreach.forbid\" name=\"payment-not-user-db\">"));
    assert_non_null(strstr(x, "<testcase classname=\"sgreach.forbid\" name=\"no-ssh &lt;&amp;&gt;\">"));
    assert_non_null(strstr(x, "<testcase classname=\"sgreach.require\" name=\"alb-web\">"));
    assert_non_null(strstr(x, "<failure type=\"forbid\" message=\"1 violation of forbid internet -&gt; sg-web on tcp:22\">"));
    assert_non_null(strstr(x, "Waived: bastion &lt;jump&gt;"));
    assert_null(strstr(x, "<jump>"));
    size_t n = 0;
    for (const char *p = x; (p = strstr(p, "<testcase ")); p++)
        n++;
    assert_int_equal(n, 3);
    free(x);
}

static void json_round_trips_as_baseline(void **state)
{
    fx *f = *state;
    json_t *j = render_json(sgr_check_write_json, f);
    json_t *vs = json_object_get(j, "violations");
    assert_int_equal(json_array_size(vs), 4);
    json_t *v0 = json_array_get(vs, 0);
    assert_string_equal(json_string_value(json_object_get(v0, "entry")), "payment-not-user-db");
    assert_string_equal(json_string_value(json_object_get(v0, "kind")), "forbid");
    assert_string_equal(json_string_value(json_object_get(v0, "severity")), "high");
    assert_string_equal(json_string_value(json_object_get(v0, "protocol")), "tcp");
    assert_string_equal(json_string_value(json_object_get(v0, "ports")), "5432");
    assert_string_equal(json_string_value(json_object_get(v0, "verdict")), "reachable");
    assert_false(json_boolean_value(json_object_get(v0, "possible")));
    assert_true(json_boolean_value(json_object_get(json_array_get(vs, 1), "possible")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(v0, "allowed_by"), 1), "location")),
                        "dumps/sgs.json:40");
    assert_string_equal(json_string_value(json_object_get(v0, "location")), "dumps/sgs.json:40");
    assert_string_equal(json_string_value(json_object_get(j, "result")), "fail");
    /* Keep two of the four as the baseline; the other two must stay new. */
    json_array_remove(vs, 3);
    json_array_remove(vs, 1);
    char path[] = "/tmp/sgr-baseline-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(json_dump_file(j, path, 0), 0);
    json_decref(j);
    const char *err = NULL;
    assert_true(sgr_check_apply_baseline(f->a, &f->r, path, &err));
    unlink(path);
    assert_int_equal(f->r.v[0].baseline, SGR_BASELINE_KNOWN);
    assert_int_equal(f->r.v[1].baseline, SGR_BASELINE_NEW);
    assert_int_equal(f->r.v[2].baseline, SGR_BASELINE_KNOWN);
    assert_int_equal(f->r.v[3].baseline, SGR_BASELINE_NEW);
    assert_int_equal(sgr_check_failures(&f->r), 2);
    /* Widening the ports of a known violation keeps it known (identity excludes ports). */
    f->r.v[0].ports = "5432-5433";
    assert_true(sgr_violation_fails(&f->r.v[1]));
    assert_false(sgr_violation_fails(&f->r.v[0]));
}

static void bad_baselines(void **state)
{
    fx *f = *state;
    const char *err = NULL;
    assert_false(sgr_check_apply_baseline(f->a, &f->r, "/nonexistent/b.json", &err));
    assert_non_null(strstr(err, "/nonexistent/b.json: unable to open"));
    char path[] = "/tmp/sgr-baseline-XXXXXX";
    int fd = mkstemp(path);
    static const char BAD[] = "{\"violations\": [{\"entry\": \"x\"}]}";
    assert_true(write(fd, BAD, strlen(BAD)) == (ssize_t)strlen(BAD));
    close(fd);
    assert_false(sgr_check_apply_baseline(f->a, &f->r, path, &err));
    assert_string_equal(err, sgr_arena_printf(f->a, "%s: $.violations[0].from: missing, or not a string", path));
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(write(fd, "[]", 2) == 2);
    close(fd);
    assert_false(sgr_check_apply_baseline(f->a, &f->r, path, &err));
    assert_string_equal(err, sgr_arena_printf(f->a, "%s: $.violations: missing, or not an array (is it `check --format json` output?)", path));
    unlink(path);
}

static void text_names_everything(void **state)
{
    fx *f = *state;
    char *t = render(sgr_check_write_text, f);
    assert_non_null(strstr(t, "FAIL  forbid payment-not-user-db [high]: service:payment-service -> sg-user-rds on tcp:5432\n"));
    assert_non_null(strstr(t, "  service:prod/payment-service -> eni-userdb  tcp:5432  reachable\n"));
    assert_non_null(strstr(t, "    allowed by: sg-user-rds ingress tcp/5432 from 10.0.0.0/16  dumps/sgs.json:40\n"));
    assert_non_null(strstr(t, "  internet -> eni-app  tcp:22  unknown (possible violation: the data is incomplete)\n"));
    assert_non_null(strstr(t, "FAIL: 3 entries, 3 failing; 4 violations (4 failing, 0 known in the baseline, 0 waived)\n"));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sorted_with_stable_fingerprints, setup, teardown),
        cmocka_unit_test_setup_teardown(waivers_cover_and_expire, setup, teardown),
        cmocka_unit_test_setup_teardown(waiver_ports_must_cover, setup, teardown),
        cmocka_unit_test_setup_teardown(sarif_has_what_code_scanning_needs, setup, teardown),
        cmocka_unit_test_setup_teardown(sarif_marks_waived_and_baseline, setup, teardown),
        cmocka_unit_test_setup_teardown(sarif_uri_relative_to_cwd, setup, teardown),
        cmocka_unit_test_setup_teardown(junit_one_testcase_per_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(json_round_trips_as_baseline, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_baselines, setup, teardown),
        cmocka_unit_test_setup_teardown(text_names_everything, setup, teardown),
    };
    return cmocka_run_group_tests_name("check_output", tests, NULL, NULL);
}
