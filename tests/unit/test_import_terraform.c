/*
 * Terraform importer: groups that refer to each other through configuration
 * references, rule resources, Terraform's no-egress semantics, count instances,
 * AWS's defaults for a VPC known only from the plan, unresolvable references,
 * databases, EIPs, unmodelled types; modules with for_each/count and nested
 * modules (plans in tests/data/terraform/, written by make_unit_plans.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tf_test_util.h"

static void test_groups_refer_to_each_other(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "refs-plan.json", NULL);
    assert_non_null(s);
    sgr_sg *app = tf_sg(s, "aws_security_group.app"), *db = tf_sg(s, "aws_security_group.db");
    assert_non_null(app);
    assert_non_null(db);
    assert_true(app->described);
    assert_string_equal(app->vpc_id, "aws_vpc.main");
    assert_string_equal(app->origin.tf_address, "aws_security_group.app");
    /* db's inline ingress names app only through configuration (unknown in `after`). */
    assert_int_equal(tf_rules(db, false, "aws_security_group.app", 5432, 5432), 1);
    assert_non_null(db->rules[0].group);
    assert_ptr_equal(db->rules[0].group, app);
    /* aws_security_group_rule: app's egress to db (source_security_group_id). */
    assert_int_equal(tf_rules(app, true, "aws_security_group.db", 5432, 5432), 1);
    /* aws_vpc_security_group_ingress_rule adds to db. */
    assert_int_equal(tf_rules(db, false, "198.51.100.0/24", 5432, 5432), 1);
    sgr_snapshot_free(s);
}

static void test_no_egress_block_means_no_egress(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "refs-plan.json", NULL);
    assert_non_null(s);
    /* db has no egress block and after_unknown.egress = true: no egress rule at all. */
    assert_int_equal(tf_count_dir(tf_sg(s, "aws_security_group.db"), true), 0);
    /* app's only egress is the rule resource's. */
    assert_int_equal(tf_count_dir(tf_sg(s, "aws_security_group.app"), true), 1);
    sgr_snapshot_free(s);
}

static void test_unresolved_peer_makes_the_rule_unreadable(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "refs-plan.json", NULL);
    assert_non_null(s);
    sgr_sg *app = tf_sg(s, "aws_security_group.app");
    /* cidr_blocks = local.office_cidrs: not in the plan. A group marker in its
     * place would be judged "not a member" by any interface whose groups are
     * known; the rule is unreadable instead, so what it allows is unknown. */
    for (uint32_t i = 0; i < app->n_rules; i++)
        assert_false(!app->rules[i].egress && app->rules[i].from_port == 22);
    assert_true(app->n_unreadable_in >= 1);
    assert_non_null(app->unreadable_why);
    assert_non_null(strstr(app->unreadable_why, "unresolved:local.office_cidrs"));
    assert_true(tf_has_diag(s, "unresolved:local.office_cidrs"));
    sgr_snapshot_free(s);
}

static void test_count_instances_and_planned_addresses(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "refs-plan.json", NULL);
    assert_non_null(s);
    for (int i = 0; i < 2; i++) {
        char id[64], subnet[64];
        snprintf(id, sizeof id, "aws_instance.web[%d]", i);
        snprintf(subnet, sizeof subnet, "aws_subnet.app[%d]", i);
        sgr_instance *in = sgr_snapshot_find(s, SGR_KIND_INSTANCE, id);
        assert_non_null(in);
        /* subnet_id = aws_subnet.app[count.index].id */
        assert_string_equal(in->subnet_id, subnet);
        assert_true(tf_strs_has(in->group_ids, "aws_security_group.app"));
        assert_non_null(in->primary_eni);
        assert_true(in->primary_eni->address_planned);
        assert_int_equal(in->primary_eni->n_private_ips, 0);
        assert_non_null(in->primary_eni->subnet);
        assert_string_equal(in->primary_eni->subnet->id, subnet);
        assert_int_equal(in->primary_eni->owner_kind, SGR_ENI_OWNER_INSTANCE);
    }
    /* aws_eip.web → aws_instance.web[0]: an Elastic IP not known yet. */
    sgr_instance *w0 = sgr_snapshot_find(s, SGR_KIND_INSTANCE, "aws_instance.web[0]");
    sgr_instance *w1 = sgr_snapshot_find(s, SGR_KIND_INSTANCE, "aws_instance.web[1]");
    assert_int_equal(w0->primary_eni->n_public_ips, 1);
    assert_true(w0->primary_eni->public_ips[0].elastic);
    assert_int_equal(w0->primary_eni->public_ips[0].ip.family, 0);
    assert_int_equal(w1->primary_eni->n_public_ips, 0);
    sgr_snapshot_free(s);
}

static void test_database_with_subnet_group(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "refs-plan.json", NULL);
    assert_non_null(s);
    sgr_db *db = sgr_snapshot_find(s, SGR_KIND_DB, "aws_db_instance.db");
    assert_non_null(db);
    assert_string_equal(db->engine, "postgres");
    assert_int_equal(db->port, 5432); /* unknown in the plan: the engine's default */
    assert_int_equal(db->subnet_ids.count, 2);
    assert_true(tf_strs_has(db->subnet_ids, "aws_subnet.app[1]"));
    assert_true(tf_strs_has(db->group_ids, "aws_security_group.db"));
    assert_string_equal(db->vpc_id, "aws_vpc.main");
    sgr_snapshot_free(s);
}

static void test_vpc_known_only_from_terraform_gets_defaults(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "refs-plan.json", NULL);
    assert_non_null(s);
    sgr_vpc *v = sgr_snapshot_find(s, SGR_KIND_VPC, "aws_vpc.main");
    assert_non_null(v);
    assert_non_null(v->default_nacl);
    assert_non_null(v->main_table);
    assert_true(v->main_table->is_main);
    assert_int_equal(v->main_table->n_routes, 1);
    assert_int_equal(v->main_table->routes[0].target, SGR_RT_LOCAL);
    /* allow-all both ways, and the origin says it was assumed */
    assert_int_equal(v->default_nacl->n_entries, 2);
    assert_true(v->default_nacl->entries[0].allow);
    assert_int_equal(v->default_nacl->entries[0].protocol, SGR_PROTO_ALL);
    assert_non_null(strstr(v->default_nacl->origin.path, "assumed"));
    assert_true(tf_has_diag(s, "known only from Terraform"));
    sgr_subnet *sub = sgr_snapshot_find(s, SGR_KIND_SUBNET, "aws_subnet.app[0]");
    assert_ptr_equal(sub->nacl, v->default_nacl);
    assert_ptr_equal(sub->route_table, v->main_table);
    /* The default group exists with AWS's rules (all from itself, all out). */
    sgr_sg *d = tf_sg(s, "aws_vpc.main#default_security_group");
    assert_non_null(d);
    assert_int_equal(tf_rules(d, false, "aws_vpc.main#default_security_group", -1, -1), 1);
    assert_int_equal(tf_rules(d, true, "0.0.0.0/0", -1, -1), 1);
    sgr_snapshot_free(s);
}

static void test_unmodelled_type_warned_once(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "refs-plan.json", NULL);
    assert_non_null(s);
    assert_int_equal(tf_count_diag(s, "aws_s3_bucket is not modelled"), 1);
    sgr_snapshot_free(s);
}

static void test_modules_for_each_outputs_and_variables(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "modules-plan.json", NULL);
    assert_non_null(s);
    const char *keys[] = {"module.svc[\"a\"].aws_security_group.this", "module.svc[\"b\"].aws_security_group.this"};
    for (int i = 0; i < 2; i++) {
        sgr_sg *g = tf_sg(s, keys[i]);
        assert_non_null(g);
        /* vpc_id = var.vpc_id ← module call's aws_vpc.main.id */
        assert_string_equal(g->vpc_id, "aws_vpc.main");
        /* security_groups = [var.peer_sg] ← module.shared.sg_id ← aws_security_group.this.id in shared */
        assert_int_equal(tf_rules(g, false, "module.shared.aws_security_group.this", 8080, 8080), 1);
        /* name = var.name ← each.key */
        assert_string_equal(g->name, i == 0 ? "a" : "b");
        assert_string_equal(g->origin.tf_address, keys[i]);
    }
    /* A root rule resource on module.svc["a"].id (an output of one for_each instance). */
    assert_int_equal(tf_rules(tf_sg(s, keys[0]), true, "module.shared.aws_security_group.this", 443, 443), 1);
    assert_int_equal(tf_count_dir(tf_sg(s, keys[1]), true), 0);
    sgr_snapshot_free(s);
}

static void test_modules_count_and_nested(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "modules-plan.json", NULL);
    assert_non_null(s);
    for (int i = 0; i < 2; i++) {
        char id[96];
        snprintf(id, sizeof id, "module.net[%d].aws_subnet.this", i);
        sgr_subnet *sub = sgr_snapshot_find(s, SGR_KIND_SUBNET, id);
        assert_non_null(sub);
        assert_string_equal(sub->vpc_id, "aws_vpc.main");
        /* Nested module: var.vpc_id ← module.net[i]'s var.vpc_id ← aws_vpc.main.id */
        snprintf(id, sizeof id, "module.net[%d].module.inner.aws_network_acl.this", i);
        sgr_nacl *n = sgr_snapshot_find(s, SGR_KIND_NACL, id);
        assert_non_null(n);
        assert_string_equal(n->vpc_id, "aws_vpc.main");
        assert_int_equal(n->n_entries, 1);
    }
    sgr_snapshot_free(s);
}

static void test_corpus_state_document(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(SGR_CORPUS_DIR "/terraform-plans/infracost-tf0.14-modules-state.json", NULL);
    assert_non_null(s);
    assert_int_equal(s->n_instances, 6);
    /* A state knows the instances' addresses: not planned. */
    uint32_t known = 0;
    for (uint32_t i = 0; i < s->n_instances; i++)
        if (s->instances[i]->primary_eni && !s->instances[i]->primary_eni->address_planned)
            known++;
    assert_int_equal(known, 6);
    sgr_snapshot_free(s);
}

static void test_corpus_default_security_group(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(SGR_CORPUS_DIR "/terraform-plans/policyengine-vpc-default-sg-plan.json", NULL);
    assert_non_null(s);
    /* aws_default_security_group adopts the VPC's default group and replaces its rules:
     * one ingress (22 from 0.0.0.0/0 in this plan), no egress block → none. */
    sgr_vpc *v = s->n_vpcs ? s->vpcs[0] : NULL;
    assert_non_null(v);
    char id[256];
    snprintf(id, sizeof id, "%s#default_security_group", v->id);
    sgr_sg *g = tf_sg(s, id);
    assert_non_null(g);
    assert_int_equal(tf_count_dir(g, true), 0);
    assert_int_equal(tf_count_dir(g, false), 1);
    assert_string_equal(g->origin.tf_address, "aws_default_security_group.default_sg_allowed_ssh");
    sgr_snapshot_free(s);
}

static void test_hostile_plan(void **state)
{
    (void)state;
    /* modules whose outputs and variables refer to each other in a cycle, a
     * resource whose values are an array, entries without address or type */
    sgr_snapshot *s = tf_load(TF_DATA "hostile-plan.json", NULL);
    assert_non_null(s);
    sgr_sg *g = tf_sg(s, "module.a.aws_security_group.x");
    assert_non_null(g);
    /* its one rule's peer is unresolved: unreadable, so unknown, never unreachable */
    assert_int_equal(g->n_rules, 0);
    assert_int_equal(g->n_unreadable_in, 1);
    assert_int_equal(tf_count_diag(s, "without address, type or name"), 2);
    assert_int_equal(s->n_vpcs, 0);
    sgr_snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_refer_to_each_other),
        cmocka_unit_test(test_no_egress_block_means_no_egress),
        cmocka_unit_test(test_unresolved_peer_makes_the_rule_unreadable),
        cmocka_unit_test(test_count_instances_and_planned_addresses),
        cmocka_unit_test(test_database_with_subnet_group),
        cmocka_unit_test(test_vpc_known_only_from_terraform_gets_defaults),
        cmocka_unit_test(test_unmodelled_type_warned_once),
        cmocka_unit_test(test_modules_for_each_outputs_and_variables),
        cmocka_unit_test(test_modules_count_and_nested),
        cmocka_unit_test(test_corpus_state_document),
        cmocka_unit_test(test_corpus_default_security_group),
        cmocka_unit_test(test_hostile_plan),
    };
    return cmocka_run_group_tests_name("import_terraform", tests, NULL, NULL);
}
