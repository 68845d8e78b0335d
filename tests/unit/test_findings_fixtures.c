/* Findings on the bundled fixture estates: each seeded pitfall is named, with
 * the rule that opens it traced to its file and line, and nothing is flagged
 * that the estate does not hold (no "unattached" group that a service carries). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "queries/findings.h"
#include "sgreach/snapshot.h"

typedef struct loaded {
    sgr_snapshot *snap;
    sgr_arena *a;
    sgr_findings f;
} loaded;

static void load(loaded *l, const char *fixture)
{
    const char *path = fixture;
    sgr_load_options o = {.quiet = true};
    assert_int_equal(sgr_snapshot_load(&path, 1, &o, &l->snap), SGR_LOAD_OK);
    l->a = sgr_arena_new();
    sgr_findings_run(l->snap, l->a, &l->f);
}

static void unload(loaded *l)
{
    sgr_arena_free(l->a);
    sgr_snapshot_free(l->snap);
}

static const sgr_finding *by_id(const loaded *l, const char *id)
{
    for (uint32_t i = 0; i < l->f.count; i++)
        if (strcmp(l->f.items[i].id, id) == 0)
            return &l->f.items[i];
    return NULL;
}

static uint32_t n_check(const loaded *l, const char *check)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->f.count; i++)
        n += strcmp(l->f.items[i].check, check) == 0;
    return n;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void bridge_nlb(void **state)
{
    (void)state;
    loaded l;
    load(&l, SGR_SOURCE_DIR "/fixtures/bridge-nlb");
    const sgr_finding *h =
        by_id(&l, "nlb-bridge-host-exposure:i-02e9ba10a2c03b283:sg-074e8fafa5bbc50ee:ingress#0");
    assert_non_null(h);
    assert_int_equal(h->severity, SGR_FSEV_CRITICAL); /* the hosts have public addresses */
    assert_non_null(strstr(h->title, "reports-worker on tcp/9090 (host tcp/32769)"));
    assert_non_null(by_id(&l, "nlb-bridge-host-exposure:i-07d69fcb133386e55:sg-074e8fafa5bbc50ee:ingress#0"));
    const sgr_finding *t = by_id(&l, "nlb-open-target:orders-api");
    assert_non_null(t);
    assert_int_equal(t->n_rules, 1);
    assert_true(ends_with(t->rules[0].origin.file, "describe-security-groups.json"));
    assert_true(t->rules[0].origin.line > 0);
    assert_non_null(strstr(t->rules[0].text, "ingress tcp/32768-65535 from 0.0.0.0/0"));
    assert_int_equal(n_check(&l, "bridge-dynamic-range"), 1);
    assert_int_equal(n_check(&l, "unattached-group"), 0);
    unload(&l);
}

static void ecommerce(void **state)
{
    (void)state;
    loaded l;
    load(&l, SGR_SOURCE_DIR "/fixtures/ecommerce-awsvpc");
    const sgr_finding *u = by_id(&l, "unknown-group:sg-00b851501a3748cc9");
    assert_non_null(u);
    assert_true(u->rules[0].origin.line > 0);
    /* Groups carried only by services' awsvpcConfiguration or the ALB are attached. */
    assert_int_equal(n_check(&l, "unattached-group"), 0);
    assert_int_equal(n_check(&l, "public-ip-service"), 0);
    assert_int_equal(n_check(&l, "open-admin-port"), 0);
    unload(&l);
}

static void host_mode(void **state)
{
    (void)state;
    loaded l;
    load(&l, SGR_SOURCE_DIR "/fixtures/host-mode");
    assert_non_null(by_id(&l, "host-mode-loopback:service:metrics-api"));
    assert_non_null(by_id(&l, "host-mode-loopback:service:node-exporter"));
    unload(&l);
}

static void none_mode_and_trunking(void **state)
{
    (void)state;
    loaded l;
    load(&l, SGR_SOURCE_DIR "/fixtures/none-mode");
    assert_int_equal(n_check(&l, "open-admin-port"), 1);
    assert_int_equal(l.f.items[0].severity, SGR_FSEV_CRITICAL);
    unload(&l);
    /* The c5.large without trunking is at its limit (2 task ENIs), not beyond it. */
    load(&l, SGR_SOURCE_DIR "/fixtures/awsvpc-trunking");
    assert_int_equal(n_check(&l, "eni-density"), 0);
    unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bridge_nlb),
        cmocka_unit_test(ecommerce),
        cmocka_unit_test(host_mode),
        cmocka_unit_test(none_mode_and_trunking),
    };
    return cmocka_run_group_tests_name("findings_fixtures", tests, NULL, NULL);
}
