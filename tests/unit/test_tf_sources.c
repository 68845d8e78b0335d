/*
 * --tf-dir citations: addresses to the file:line of their resource blocks,
 * through local module sources (nested too), with count/for_each keys and
 * rule-block suffixes; applied to a loaded plan's origins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "load/tf_sources.h"
#include "tf_test_util.h"

#define SRC TF_DATA "src/"

static void expect(sgr_tf_sources *s, const char *address, const char *file_tail, uint32_t line)
{
    const char *file = NULL;
    uint32_t got = 0;
    assert_true(sgr_tf_sources_find(s, address, &file, &got));
    size_t n = strlen(file), m = strlen(file_tail);
    assert_true(n >= m);
    assert_string_equal(file + n - m, file_tail);
    assert_int_equal(got, line);
}

static void test_find(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_tf_sources *s = sgr_tf_sources_open(a, SRC "modules/");
    assert_non_null(s);
    expect(s, "aws_vpc.main", "src/modules/main.tf", 2);
    expect(s, "aws_security_group_rule.svc_a_out", "src/modules/main.tf", 25);
    /* module with for_each, through its local source */
    expect(s, "module.svc[\"a\"].aws_security_group.this", "modules/svc/main.tf", 5);
    expect(s, "module.shared.aws_security_group.this", "modules/shared/main.tf", 3);
    /* count module, then a module inside it (source relative to the module) */
    expect(s, "module.net[1].aws_subnet.this", "modules/net/main.tf", 3);
    expect(s, "module.net[0].module.inner.aws_network_acl.this", "modules/net/inner/main.tf", 3);
    /* a rule block's suffix does not matter */
    expect(s, "module.svc[\"b\"].aws_security_group.this ingress[0]", "modules/svc/main.tf", 5);
    const char *f;
    uint32_t l;
    assert_false(sgr_tf_sources_find(s, "aws_vpc.other", &f, &l));
    assert_false(sgr_tf_sources_find(s, "module.nope.aws_vpc.main", &f, &l));
    assert_false(sgr_tf_sources_find(s, "data.aws_vpc.main", &f, &l));
    assert_null(sgr_tf_sources_open(a, SRC "does-not-exist"));
    sgr_arena_free(a);
}

static void test_apply_to_plan(void **state)
{
    (void)state;
    sgr_snapshot *snap = tf_load(TF_DATA "ecs-plan.json", NULL);
    assert_non_null(snap);
    int n = sgr_tf_sources_apply(snap, SRC "ecs");
    assert_true(n > 20);
    sgr_sg *db = tf_sg(snap, "aws_security_group.db");
    assert_non_null(db);
    size_t len = strlen(db->origin.file);
    assert_string_equal(db->origin.file + len - strlen("src/ecs/security.tf"), "src/ecs/security.tf");
    assert_int_equal(db->origin.line, 62);
    /* rules are cited by their group's block, and keep "ADDRESS ingress[i]" */
    assert_int_equal(db->rules[0].origin.line, 62);
    assert_string_equal(db->rules[0].origin.tf_address, "aws_security_group.db ingress[0]");
    /* a rule resource by its own block */
    bool found = false;
    for (uint32_t i = 0; i < db->n_rules; i++)
        if (db->rules[i].from_port == 6432) {
            assert_int_equal(db->rules[i].origin.line, 73);
            found = true;
        }
    assert_true(found);
    /* planned tasks carry their service's address */
    assert_true(snap->n_tasks > 0);
    assert_int_equal(snap->tasks[0]->origin.line, strcmp(snap->tasks[0]->origin.tf_address, "aws_ecs_service.api") ? 124 : 107);
    assert_int_equal(sgr_tf_sources_apply(snap, SRC "does-not-exist"), -1);
    sgr_snapshot_free(snap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_apply_to_plan),
    };
    return cmocka_run_group_tests_name("tf_sources", tests, NULL, NULL);
}
