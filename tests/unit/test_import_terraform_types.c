/*
 * Terraform resource types the other plans do not use (types-plan.json):
 * network ACLs (inline entries, aws_network_acl_rule, aws_network_acl_association,
 * aws_default_network_acl replacing the default's entries), aws_default_route_table
 * and aws_main_route_table_association, aws_vpc_peering_connection, an interface
 * with aws_network_interface_sg_attachment, aws_alb_target_group_attachment,
 * classic aws_elb, aws_vpc_security_group_egress_rule, aws_rds_cluster.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tf_test_util.h"

static sgr_snapshot *S;

static int setup(void **state)
{
    (void)state;
    S = tf_load(TF_DATA "types-plan.json", NULL);
    return S ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sgr_snapshot_free(S);
    return 0;
}

static void test_network_acls(void **state)
{
    (void)state;
    sgr_nacl *n = sgr_snapshot_find(S, SGR_KIND_NACL, "aws_network_acl.app");
    assert_non_null(n);
    /* sorted by (egress, rule number) at link: 100, 105 (the rule resource), 110; out 100 */
    assert_int_equal(n->n_entries, 4);
    assert_int_equal(n->entries[0].rule_number, 100);
    assert_int_equal(n->entries[0].port_from, 443);
    assert_int_equal(n->entries[1].rule_number, 105);
    assert_int_equal(n->entries[1].port_from, 22);
    assert_false(n->entries[2].allow);
    assert_true(n->entries[3].egress);
    assert_string_equal(n->entries[0].origin.tf_address, "aws_network_acl.app ingress[0]");
    /* subnet_ids and the association resource both move subnets to it */
    sgr_subnet *s0 = sgr_snapshot_find(S, SGR_KIND_SUBNET, "aws_subnet.s[0]");
    sgr_subnet *s1 = sgr_snapshot_find(S, SGR_KIND_SUBNET, "aws_subnet.s[1]");
    assert_ptr_equal(s0->nacl, n);
    assert_ptr_equal(s1->nacl, n);
    /* aws_default_network_acl replaces the default ACL's entries: only tcp/80 in, nothing out */
    sgr_vpc *v = sgr_snapshot_find(S, SGR_KIND_VPC, "aws_vpc.main");
    assert_non_null(v->default_nacl);
    assert_string_equal(v->default_nacl->id, "aws_vpc.main#default_network_acl");
    assert_int_equal(v->default_nacl->n_entries, 1);
    assert_int_equal(v->default_nacl->entries[0].port_from, 80);
    assert_string_equal(v->default_nacl->origin.tf_address, "aws_default_network_acl.main");
}

static void test_route_tables(void **state)
{
    (void)state;
    sgr_vpc *v = sgr_snapshot_find(S, SGR_KIND_VPC, "aws_vpc.main");
    /* aws_main_route_table_association makes alt the main table (the default one loses it) */
    assert_non_null(v->main_table);
    assert_string_equal(v->main_table->id, "aws_route_table.alt");
    sgr_route_table *dflt = sgr_snapshot_find(S, SGR_KIND_ROUTE_TABLE, "aws_vpc.main#main_route_table");
    assert_non_null(dflt);
    assert_false(dflt->is_main);
    assert_string_equal(dflt->origin.tf_address, "aws_default_route_table.main");
    /* both get the implicit local route */
    assert_int_equal(v->main_table->n_routes, 1);
    assert_int_equal(v->main_table->routes[0].target, SGR_RT_LOCAL);
    sgr_subnet *s0 = sgr_snapshot_find(S, SGR_KIND_SUBNET, "aws_subnet.s[0]");
    assert_ptr_equal(s0->route_table, v->main_table);
}

static void test_peering(void **state)
{
    (void)state;
    sgr_peering *p = sgr_snapshot_find(S, SGR_KIND_PEERING, "aws_vpc_peering_connection.peer");
    assert_non_null(p);
    assert_string_equal(p->status, "active"); /* auto_accept */
    assert_string_equal(p->requester.vpc_id, "aws_vpc.main");
    assert_string_equal(p->accepter.vpc_id, "aws_vpc.peer");
    assert_int_equal(p->requester.n_cidrs, 1);
    assert_int_equal(p->accepter.n_cidrs, 1);
}

static void test_interfaces_and_groups(void **state)
{
    (void)state;
    sgr_eni *e = sgr_snapshot_find(S, SGR_KIND_ENI, "aws_network_interface.appliance");
    assert_non_null(e);
    assert_false(e->address_planned); /* private_ips given */
    assert_int_equal(e->n_private_ips, 1);
    assert_false(e->source_dest_check);
    /* security_groups plus the sg attachment resource */
    assert_int_equal(e->group_ids.count, 2);
    assert_true(tf_strs_has(e->group_ids, "aws_security_group.extra"));
    /* aws_vpc_security_group_egress_rule: all protocols to ::/0 */
    sgr_sg *app = tf_sg(S, "aws_security_group.app");
    assert_int_equal(tf_rules(app, true, "::/0", -1, -1), 1);
    assert_int_equal(tf_count_dir(app, true), 1);
}

static void test_load_balancing_and_database(void **state)
{
    (void)state;
    sgr_target_group *tg = sgr_snapshot_find(S, SGR_KIND_TARGET_GROUP, "aws_alb_target_group.web");
    assert_non_null(tg);
    assert_true(tg->targets_known);
    assert_int_equal(tg->n_targets, 1);
    assert_string_equal(tg->targets[0].id, "aws_instance.web");
    assert_int_equal(tg->targets[0].port, 8443);
    assert_non_null(tg->targets[0].instance);
    sgr_lb *elb = sgr_snapshot_find(S, SGR_KIND_LB, "name:classic");
    assert_non_null(elb);
    assert_int_equal(elb->type, SGR_LB_CLASSIC);
    assert_false(elb->internet_facing);
    assert_int_equal(elb->n_classic_listeners, 1);
    assert_int_equal(elb->classic_listeners[0].instance_port, 8080);
    assert_true(tf_strs_has(elb->classic_instances, "aws_instance.web"));
    assert_int_equal(elb->n_enis, 2);
    /* container_definitions unknown at plan time: left out (ports unknown, not "none") */
    assert_null(sgr_snapshot_find(S, SGR_KIND_TASK_DEF, "aws_ecs_task_definition.unknown_ports"));
    assert_true(tf_has_diag(S, "container_definitions is not known at plan time"));
    sgr_db *db = sgr_snapshot_find(S, SGR_KIND_DB, "aws_rds_cluster.aurora");
    assert_non_null(db);
    assert_int_equal(db->port, 3306);
    assert_int_equal(db->subnet_ids.count, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_acls),
        cmocka_unit_test(test_route_tables),
        cmocka_unit_test(test_peering),
        cmocka_unit_test(test_interfaces_and_groups),
        cmocka_unit_test(test_load_balancing_and_database),
    };
    return cmocka_run_group_tests_name("import_terraform_types", tests, setup, teardown);
}
