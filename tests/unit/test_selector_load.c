/*
 * Selectors over a snapshot loaded from real dumps (Batfish's test-load-balancer:
 * an internal NLB, two instance targets, a jump host; see its EXPECTED.md), so
 * that the loader's links (eni->lb, instance->primary_eni, target->instance)
 * and the selectors agree; and `tf:` over real Terraform plans (counted and
 * for_each resources, nested modules, a service's planned tasks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "graph/arena.h"
#include "sgreach/selector.h"
#include "sgreach/snapshot.h"

#define TG "arn:aws:elasticloadbalancing:us-east-2:554773406868:targetgroup/test-lb-tg/8e891d8fcdf8ece8"

static const char *show(sgr_arena *a, const sgr_selection *s)
{
    char *out = sgr_arena_strdup(a, s->internet ? "internet" : "");
    for (uint32_t i = 0; i < s->n_cidrs; i++)
        out = sgr_arena_printf(a, "%s cidr", out);
    for (uint32_t i = 0; i < s->n_enis; i++)
        out = sgr_arena_printf(a, "%s %s", out, s->enis[i]->id);
    for (uint32_t i = 0; i < s->n_tasks; i++)
        out = sgr_arena_printf(a, "%s task:%s", out, s->tasks[i]->id);
    for (uint32_t i = 0; i < s->n_lbs; i++)
        out = sgr_arena_printf(a, "%s lb:%s", out, s->lbs[i]->name);
    return out[0] == ' ' ? out + 1 : out;
}

static void load_balancer_estate(void **state)
{
    (void)state;
    static const struct {
        const char *selector, *selection;
    } w[] = {
        {"lb:test-lb", "lb:test-lb"},
        {"arn:aws:elasticloadbalancing:us-east-2:554773406868:loadbalancer/net/test-lb/725b996cb6be8fba",
         "lb:test-lb"},
        {"10.1.1.237", "lb:test-lb"},                      /* an NLB node's address */
        {"eni-0c82d6f7254ae6695", "lb:test-lb"},           /* its interface */
        {"3.17.39.193", "eni-038def4bc4303c3e6"},          /* the jump host's public address */
        {"i-0c8ce8bbdd98cc4e8", "eni-038def4bc4303c3e6"},
        {"name=Jump Host", "eni-038def4bc4303c3e6"},
        {"name~^test[0-9]+$", "eni-02e730a1b02dbc756 eni-0a4486d9ba39d5e3e"},
        {"sg-09dabbcbd3f44ebcf", "eni-02e730a1b02dbc756 eni-0a4486d9ba39d5e3e"},
        {TG, "eni-02e730a1b02dbc756 eni-0a4486d9ba39d5e3e"}, /* instance targets */
        {"subnet-090fe152cd18ced20", "eni-0a4486d9ba39d5e3e lb:test-lb"},
        {"vpc-015b20578b48c1349",
         "eni-02e730a1b02dbc756 eni-038def4bc4303c3e6 eni-0a4486d9ba39d5e3e lb:test-lb"},
        {"10.1.0.0/16", "cidr cidr cidr"}, /* the VPC: an unknown host of each of its three subnets */
    };
    const char *path = SGR_CORPUS_DIR "/batfish-aws/test-load-balancer/aws_configs";
    sgr_snapshot *snap = NULL;
    sgr_load_options opts = {.ephemeral_from = 1024, .ephemeral_to = 65535, .quiet = true};
    assert_int_equal(sgr_snapshot_load(&path, 1, &opts, &snap), SGR_LOAD_OK);
    sgr_arena *a = sgr_arena_new();
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        const char *err = NULL, *suggest = NULL;
        sgr_selector *s = sgr_selector_parse(a, w[i].selector, &err);
        assert_non_null(s);
        sgr_selection out;
        uint32_t n = sgr_selector_resolve(s, snap, a, &out, &suggest);
        sgr_selector_free(s);
        const char *got = show(a, &out);
        if (n == 0 || strcmp(got, w[i].selection) != 0)
            fail_msg("%s: got \"%s\" (%s), want \"%s\"", w[i].selector, got,
                     suggest ? suggest : "-", w[i].selection);
    }
    /* A typo gets the names that exist. */
    const char *suggest = NULL;
    sgr_selector *s = sgr_selector_parse(a, "lb:test-lbb", NULL);
    sgr_selection out;
    assert_int_equal(sgr_selector_resolve(s, snap, a, &out, &suggest), 0);
    assert_non_null(suggest);
    assert_string_equal(suggest, "did you mean: lb:test-lb");
    s = sgr_selector_parse(a, "name=Jump Hots", NULL);
    assert_int_equal(sgr_selector_resolve(s, snap, a, &out, &suggest), 0);
    assert_non_null(suggest);
    assert_string_equal(suggest, "did you mean: i-0c8ce8bbdd98cc4e8 (Jump Host)");
    sgr_arena_free(a);
    sgr_snapshot_free(snap);
}

/* What `tf:` selects, shown by the Terraform address of each object (an
 * interface by its instance's). */
static const char *show_tf(sgr_arena *a, const sgr_selection *s)
{
    const char *out = "";
    for (uint32_t i = 0; i < s->n_enis; i++)
        out = sgr_arena_printf(a, "%s %s", out,
                               s->enis[i]->instance ? s->enis[i]->instance->origin.tf_address : "?");
    for (uint32_t i = 0; i < s->n_tasks; i++)
        out = sgr_arena_printf(a, "%s task<%s>", out, s->tasks[i]->origin.tf_address);
    for (uint32_t i = 0; i < s->n_lbs; i++)
        out = sgr_arena_printf(a, "%s lb<%s>", out, s->lbs[i]->origin.tf_address);
    for (uint32_t i = 0; i < s->n_dbs; i++)
        out = sgr_arena_printf(a, "%s db<%s>", out, s->dbs[i]->origin.tf_address);
    return out[0] == ' ' ? out + 1 : out;
}

typedef struct tf_want {
    const char *selector, *selection;
} tf_want;

static void terraform_addresses(void **state)
{
    (void)state;
    static const tf_want counted[] = {
        /* every instance of a for_each resource, keys with dots included */
        {"tf:aws_instance.instance_named",
         "aws_instance.instance_named[\"test.2\"] aws_instance.instance_named[\"test.1\"]"},
        {"tf:aws_instance.instance_counted[1]", "aws_instance.instance_counted[1]"},
        /* a module: every resource inside it, however deep */
        {"tf:module.db",
         "db<module.db.module.db_1.module.db_instance.aws_db_instance.this[0]> "
         "db<module.db.module.db_2.module.db_instance.aws_db_instance.this[0]>"},
        {"tf:module.db.module.db_2",
         "db<module.db.module.db_2.module.db_instance.aws_db_instance.this[0]>"},
    };
    static const tf_want ecs[] = {
        {"tf:aws_ecs_service.ecs_fargate1",
         "task<aws_ecs_service.ecs_fargate1> task<aws_ecs_service.ecs_fargate1>"},
        {"tf:aws_alb.alb1", "lb<aws_alb.alb1>"},
        {"tf:aws_db_instance.db_mysql", "db<aws_db_instance.db_mysql>"},
    };
    static const struct {
        const char *plan;
        const tf_want *w;
        size_t n;
    } plans[] = {
        {"infracost-tf0.14-modules-count-plan.json", counted, sizeof counted / sizeof counted[0]},
        {"infracost-ecs-alb-nat-plan.json", ecs, sizeof ecs / sizeof ecs[0]},
    };
    sgr_load_options opts = {.ephemeral_from = 1024, .ephemeral_to = 65535, .quiet = true};
    for (size_t p = 0; p < sizeof plans / sizeof plans[0]; p++) {
        sgr_arena *a = sgr_arena_new();
        const char *path = sgr_arena_printf(a, "%s/terraform-plans/%s", SGR_CORPUS_DIR,
                                            plans[p].plan);
        sgr_snapshot *snap = NULL;
        assert_int_equal(sgr_snapshot_load(&path, 1, &opts, &snap), SGR_LOAD_OK);
        for (size_t i = 0; i < plans[p].n; i++) {
            const tf_want *w = &plans[p].w[i];
            const char *suggest = NULL;
            sgr_selector *s = sgr_selector_parse(a, w->selector, NULL);
            assert_non_null(s);
            sgr_selection out;
            sgr_selector_resolve(s, snap, a, &out, &suggest);
            sgr_selector_free(s);
            const char *got = show_tf(a, &out);
            if (strcmp(got, w->selection) != 0)
                fail_msg("%s: %s: got \"%s\" (%s), want \"%s\"", plans[p].plan, w->selector, got,
                         suggest ? suggest : "-", w->selection);
        }
        if (p == 0) { /* a near miss names the module */
            const char *suggest = NULL;
            sgr_selection out;
            sgr_selector *s = sgr_selector_parse(a, "tf:aws_instance.instance_nmed", NULL);
            assert_int_equal(sgr_selector_resolve(s, snap, a, &out, &suggest), 0);
            assert_non_null(suggest);
            assert_string_equal(suggest, "did you mean: tf:aws_instance.instance_named");
        }
        sgr_snapshot_free(snap);
        sgr_arena_free(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_balancer_estate),
        cmocka_unit_test(terraform_addresses),
    };
    return cmocka_run_group_tests_name("selector_load", tests, NULL, NULL);
}
