/*
 * Plans over live dumps (tests/data/terraform/live/ + overlay-plan.json): an
 * update replaces the live group matched by id, a rule resource adds to a live
 * group, a destroy removes, a replace (delete + create) removes the old id and
 * adds the new resource under its address, a no-op keeps the live version,
 * untouched live resources stay as dumped; and a plan's own resources of every
 * family (ECS plan) with the types the other tests do not cover.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tf_test_util.h"

static void test_overlay(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "live", TF_DATA "overlay-plan.json");
    assert_non_null(s);
    /* update: web's ingress 22 became 443; the rule resource added 8443 */
    sgr_sg *web = tf_sg(s, "sg-0aaaaaaaaaaaaaaa1");
    assert_non_null(web);
    assert_string_equal(web->origin.tf_address, "aws_security_group.web");
    assert_int_equal(tf_rules(web, false, "0.0.0.0/0", 22, 22), 0);
    assert_int_equal(tf_rules(web, false, "0.0.0.0/0", 443, 443), 1);
    assert_int_equal(tf_rules(web, false, "10.0.0.0/8", 8443, 8443), 1);
    /* destroy and replace: the old ids are gone, the new group is there */
    assert_null(tf_sg(s, "sg-0bbbbbbbbbbbbbbb2"));
    assert_null(tf_sg(s, "sg-0ccccccccccccccc3"));
    sgr_sg *app = tf_sg(s, "aws_security_group.app");
    assert_non_null(app);
    assert_string_equal(app->name, "app-v2");
    assert_string_equal(app->vpc_id, "vpc-0a1b2c3d4e5f60718"); /* the live VPC, by its known id */
    assert_int_equal(tf_rules(app, false, "sg-0aaaaaaaaaaaaaaa1", 9090, 9090), 1);
    /* untouched live resources stay as dumped */
    sgr_sg *def = tf_sg(s, "sg-0ddddddddddddddd4");
    assert_non_null(def);
    assert_null(def->origin.tf_address);
    sgr_eni *e1 = sgr_snapshot_find(s, SGR_KIND_ENI, "eni-0e1e1e1e1e1e1e1e1");
    assert_non_null(e1);
    assert_int_equal(e1->n_private_ips, 1);
    assert_ptr_equal(e1->groups[0], web);
    /* no-op VPC: the live version (main table, default ACL from the dumps) stays */
    sgr_vpc *v = sgr_snapshot_find(s, SGR_KIND_VPC, "vpc-0a1b2c3d4e5f60718");
    assert_non_null(v);
    assert_non_null(v->main_table);
    assert_string_equal(v->main_table->id, "rtb-0a1b2c3d4e5f6071c");
    assert_string_equal(v->default_nacl->id, "acl-0a1b2c3d4e5f6071b");
    assert_string_equal(v->origin.tf_address, "aws_vpc.main"); /* tf: selects the live VPC */
    assert_non_null(strstr(v->origin.file, "describe-vpcs.json"));
    assert_false(tf_has_diag(s, "known only from Terraform"));
    /* the new instance lands in the live subnet with the new group, address planned */
    sgr_instance *in = sgr_snapshot_find(s, SGR_KIND_INSTANCE, "aws_instance.new");
    assert_non_null(in);
    assert_non_null(in->primary_eni);
    assert_true(in->primary_eni->address_planned);
    assert_string_equal(in->primary_eni->subnet->id, "subnet-0a1b2c3d4e5f60719");
    assert_ptr_equal(in->primary_eni->groups[0], app);
    /* associate_public_ip_address = false overrides the subnet's map_public_ip_on_launch */
    assert_int_equal(in->primary_eni->n_public_ips, 0);
    sgr_snapshot_free(s);
}

static void test_plan_alone_uses_its_prior_state(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "overlay-plan.json", NULL);
    assert_non_null(s);
    /* no-op VPC from the plan itself (no live dump): known only from Terraform */
    assert_non_null(sgr_snapshot_find(s, SGR_KIND_VPC, "vpc-0a1b2c3d4e5f60718"));
    assert_true(tf_has_diag(s, "known only from Terraform"));
    assert_null(tf_sg(s, "sg-0bbbbbbbbbbbbbbb2"));
    assert_non_null(tf_sg(s, "sg-0aaaaaaaaaaaaaaa1"));
    sgr_snapshot_free(s);
}

static void test_ecs_design(void **state)
{
    (void)state;
    sgr_snapshot *s = tf_load(TF_DATA "ecs-plan.json", NULL);
    assert_non_null(s);
    /* routes: inline IGW route + local; aws_route to the NAT; associations */
    sgr_subnet *pub = sgr_snapshot_find(s, SGR_KIND_SUBNET, "aws_subnet.public[1]");
    sgr_subnet *priv = sgr_snapshot_find(s, SGR_KIND_SUBNET, "aws_subnet.private[0]");
    assert_non_null(pub);
    assert_non_null(priv);
    assert_string_equal(pub->route_table->id, "aws_route_table.public");
    assert_string_equal(priv->route_table->id, "aws_route_table.private");
    bool igw = false, nat = false, local = false;
    for (uint32_t i = 0; i < pub->route_table->n_routes; i++) {
        igw |= pub->route_table->routes[i].target == SGR_RT_IGW &&
               !strcmp(pub->route_table->routes[i].target_id, "aws_internet_gateway.igw");
        local |= pub->route_table->routes[i].target == SGR_RT_LOCAL;
    }
    for (uint32_t i = 0; i < priv->route_table->n_routes; i++)
        nat |= priv->route_table->routes[i].target == SGR_RT_NAT &&
               !strcmp(priv->route_table->routes[i].target_id, "aws_nat_gateway.nat");
    assert_true(igw && nat && local);
    assert_true(pub->vpc->has_igw);
    /* load balancers: one planned interface per subnet, linked to the balancer */
    sgr_lb *alb = NULL, *nlb = NULL;
    for (uint32_t i = 0; i < s->n_lbs; i++) {
        if (s->lbs[i]->type == SGR_LB_APPLICATION)
            alb = s->lbs[i];
        if (s->lbs[i]->type == SGR_LB_NETWORK)
            nlb = s->lbs[i];
    }
    assert_non_null(alb);
    assert_non_null(nlb);
    assert_string_equal(alb->name, "web-alb");
    assert_int_equal(alb->n_enis, 2);
    assert_int_equal(nlb->n_enis, 2);
    assert_int_equal(nlb->group_ids.count, 0);
    assert_true(alb->internet_facing);
    assert_true(alb->enis[0]->address_planned);
    /* target groups: preserve_client_ip unknown stays -1 (AWS's default applies) */
    sgr_target_group *tg = sgr_snapshot_find(s, SGR_KIND_TARGET_GROUP, "aws_lb_target_group.worker");
    assert_non_null(tg);
    assert_int_equal(tg->preserve_client_ip, -1);
    assert_int_equal(tg->n_lbs, 1);
    assert_ptr_equal(tg->lbs[0], nlb);
    /* awsvpc service: desired_count tasks, round robin over its subnets */
    sgr_service *api = sgr_snapshot_find(s, SGR_KIND_SERVICE, "aws_ecs_service.api");
    assert_non_null(api);
    assert_int_equal(api->n_tasks, 3);
    assert_non_null(api->task_def);
    assert_int_equal(api->task_def->network_mode, SGR_NET_AWSVPC);
    assert_non_null(api->lbs[0].target_group);
    for (uint32_t i = 0; i < api->n_tasks; i++) {
        sgr_task *t = api->tasks[i];
        assert_non_null(t->eni);
        assert_int_equal(t->eni->owner_kind, SGR_ENI_OWNER_TASK);
        assert_true(t->eni->address_planned);
        assert_true(tf_strs_has(t->eni->group_ids, "aws_security_group.api"));
    }
    /* bridge service on the capacity provider's autoscaling group */
    sgr_service *worker = sgr_snapshot_find(s, SGR_KIND_SERVICE, "aws_ecs_service.worker");
    assert_non_null(worker);
    assert_int_equal(worker->n_tasks, 2);
    assert_int_equal(s->n_container_instances, 2);
    for (uint32_t i = 0; i < worker->n_tasks; i++) {
        sgr_task *t = worker->tasks[i];
        assert_null(t->eni_id);
        assert_non_null(t->instance);
        assert_true(tf_strs_has(t->instance->group_ids, "aws_security_group.hosts"));
        assert_non_null(t->instance->primary_eni);
    }
    /* container_definitions (a JSON string): bridge with hostPort 0 = dynamic */
    assert_int_equal(worker->task_def->containers[0].ports[0].container_port, 80);
    assert_int_equal(worker->task_def->containers[0].ports[0].host_port, 0);
    /* the NAT gateway in its subnet's VPC */
    assert_int_equal(s->n_nats, 1);
    assert_string_equal(s->nats[0]->vpc_id, "aws_vpc.main");
    sgr_snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlay),
        cmocka_unit_test(test_plan_alone_uses_its_prior_state),
        cmocka_unit_test(test_ecs_design),
    };
    return cmocka_run_group_tests_name("import_terraform_overlay", tests, NULL, NULL);
}
