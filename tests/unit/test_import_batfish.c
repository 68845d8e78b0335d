#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "load/import.h"
#include "load_helper.h"

#define TG "arn:aws:elasticloadbalancing:us-east-2:5:targetgroup/t/1"
#define LB "arn:aws:elasticloadbalancing:us-east-2:5:loadbalancer/net/test-lb/7"

static void folder_labels_and_wrappers(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "aws_configs/111122223333/us-east-2/Vpcs.json",
               "{\"Vpcs\": [{\"VpcId\": \"vpc-a\", \"CidrBlock\": \"10.0.0.0/16\"}]}");
    tdir_write(&d, "aws_configs/eu-west-1/Vpcs.json", "{\"Vpcs\": [{\"VpcId\": \"vpc-b\", \"OwnerId\": \"9\"}]}");
    tdir_write(&d, "aws_configs/Vpcs.json", "{\"Vpcs\": [{\"VpcId\": \"vpc-c\"}]}");
    tdir_write(&d, "aws_configs/us-east-2/lb.json",
               "{\"LoadBalancerListeners\": [{\"LoadBalancerArn\": \"" LB "\", \"Listeners\": [\n"
               "  {\"ListenerArn\": \"arn:l\", \"Port\": 80, \"Protocol\": \"TCP\",\n"
               "   \"DefaultActions\": [{\"Type\": \"forward\", \"TargetGroupArn\": \"" TG "\"}]}]}]}\n"
               "{\"LoadBalancerTargetHealth\": [{\"TargetGroupArn\": \"" TG "\", \"TargetHealthDescriptions\": [\n"
               "  {\"Target\": {\"Id\": \"i-1\", \"Port\": 22}, \"TargetHealth\": {\"State\": \"healthy\"}}]}]}\n"
               "{\"LoadBalancerAttributes\": [{\"LoadBalancerArn\": \"" LB "\", \"Attributes\": [{\"Key\": \"k\", \"Value\": \"v\"}]}]}\n"
               "{\"LoadBalancers\": [{\"LoadBalancerArn\": \"" LB "\", \"LoadBalancerName\": \"test-lb\", \"Type\": \"network\"}]}\n"
               "{\"PrefixLists\": [{\"Cidrs\": [\"52.94.4.0/24\", \"52.94.5.0/24\", \"nope\"], \"PrefixListId\": \"pl-4c\",\n"
               "  \"PrefixListName\": \"com.amazonaws.us-east-2.dynamodb\"}]}\n"
               "{\"AvailabilityZones\": [{\"ZoneName\": \"us-east-2a\"}], \"Addresses\": []}\n");
    tdir_write(&d, "aws_configs/us-east-2/tgw.json",
               "{\"TransitGatewayAttachments\": [{\"TransitGatewayAttachmentId\": \"tgw-attach-1\",\n"
               "  \"TransitGatewayId\": \"tgw-1\", \"ResourceType\": \"vpc\", \"ResourceId\": \"vpc-a\", \"State\": \"available\",\n"
               "  \"Association\": {\"TransitGatewayRouteTableId\": \"tgw-rtb-1\", \"State\": \"associated\"}}]}\n"
               "{\"TransitGatewayVpcAttachments\": [{\"TransitGatewayAttachmentId\": \"tgw-attach-1\", \"VpcId\": \"vpc-a\",\n"
               "  \"SubnetIds\": [\"subnet-1\", \"subnet-2\"], \"TransitGatewayId\": \"tgw-1\"}]}\n"
               "{\"TransitGatewayRouteTables\": [{\"TransitGatewayRouteTableId\": \"tgw-rtb-1\", \"TransitGatewayId\": \"tgw-1\"}]}\n"
               "{\"TransitGatewayStaticRoutes\": [{\"TransitGatewayRouteTableId\": \"tgw-rtb-1\", \"Routes\": [\n"
               "  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"State\": \"active\", \"Type\": \"static\",\n"
               "   \"TransitGatewayAttachments\": [{\"TransitGatewayAttachmentId\": \"tgw-attach-1\"}]},\n"
               "  {\"DestinationCidrBlock\": \"192.168.0.0/16\", \"State\": \"blackhole\", \"Type\": \"static\"}]}]}\n"
               "{\"TransitGatewayPropagations\": [{\"TransitGatewayRouteTableId\": \"tgw-rtb-1\",\n"
               "  \"TransitGatewayRouteTablePropagations\": [{\"TransitGatewayAttachmentId\": \"tgw-attach-1\", \"State\": \"enabled\"},\n"
               "   {\"TransitGatewayAttachmentId\": \"tgw-attach-2\", \"State\": \"disabled\"}]}]}\n"
               "{\"TransitGateways\": [{\"TransitGatewayId\": \"tgw-1\"}]}\n");
    tdir_write(&d, "aws_configs/us-east-2/rds.json",
               "{\"DBInstances\": [{\"DBInstanceIdentifier\": \"orders\", \"Engine\": \"postgres\",\n"
               "  \"Endpoint\": {\"Address\": \"orders.abc.us-east-2.rds.amazonaws.com\", \"Port\": 5432},\n"
               "  \"DBSubnetGroup\": {\"VpcId\": \"vpc-a\", \"Subnets\": [{\"SubnetIdentifier\": \"subnet-1\"}, {\"SubnetIdentifier\": \"subnet-2\"}]},\n"
               "  \"VpcSecurityGroups\": [{\"VpcSecurityGroupId\": \"sg-db\", \"Status\": \"active\"}],\n"
               "  \"PubliclyAccessible\": false}]}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    sgr_vpc *a = sgr_snapshot_find(s, SGR_KIND_VPC, "vpc-a");
    assert_string_equal(a->region, "us-east-2");
    assert_string_equal(a->owner, "111122223333");
    sgr_vpc *b = sgr_snapshot_find(s, SGR_KIND_VPC, "vpc-b");
    assert_string_equal(b->region, "eu-west-1");
    assert_string_equal(b->owner, "9");
    sgr_vpc *c = sgr_snapshot_find(s, SGR_KIND_VPC, "vpc-c");
    assert_null(c->region);
    sgr_listener *l = sgr_snapshot_find(s, SGR_KIND_LISTENER, "arn:l");
    assert_string_equal(l->lb_arn, LB);
    assert_non_null(l->lb);
    sgr_target_group *tg = sgr_snapshot_find(s, SGR_KIND_TARGET_GROUP, TG);
    assert_true(tg->targets_known);
    assert_int_equal(tg->n_targets, 1);
    assert_int_equal(tg->targets[0].port, 22);
    assert_int_equal(tg->n_lbs, 1);
    sgr_prefix_list *pl = sgr_snapshot_find(s, SGR_KIND_PREFIX_LIST, "pl-4c");
    assert_true(pl->entries_known);
    assert_int_equal(pl->n_entries, 2);
    assert_int_equal(diag_count(s, "invalid CIDR \"nope\""), 1);
    assert_int_equal(diag_count(s, "AvailabilityZones"), 0);
    assert_int_equal(diag_count(s, "Addresses"), 1); /* known to Batfish, not modelled: warned */
    assert_int_equal(s->n_tgw_attachments, 1);
    sgr_tgw_attachment *att = s->tgw_attachments[0];
    assert_string_equal(att->resource_id, "vpc-a");
    assert_int_equal(att->subnet_ids.count, 2);
    assert_string_equal(att->route_table_id, "tgw-rtb-1");
    assert_int_equal(s->n_tgw_route_tables, 1);
    sgr_tgw_route_table *rt = s->tgw_route_tables[0];
    assert_int_equal(rt->n_routes, 2);
    assert_string_equal(rt->routes[0].attachment_id, "tgw-attach-1");
    assert_true(rt->routes[1].blackhole);
    assert_int_equal(rt->propagated_attachments.count, 1);
    assert_int_equal(rt->associated_attachments.count, 1);
    /* nothing here is damaged: every verdict stays decided */
    assert_null(att->damaged_why);
    assert_null(rt->routes_unknown_why);
    assert_null(rt->routes[0].unknown_why);
    assert_null(rt->routes[1].unknown_why);
    assert_null(tg->targets_unknown_why);
    assert_int_equal(s->n_dbs, 1);
    sgr_db *db = s->dbs[0];
    assert_int_equal(db->port, 5432);
    assert_string_equal(db->engine, "postgres");
    assert_int_equal(db->subnet_ids.count, 2);
    assert_string_equal(db->group_ids.items[0], "sg-db");
    assert_int_equal(db->address.family, 0);
    assert_string_equal(db->vpc_id, "vpc-a");
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

/* Issue 16 §2: a field of the wrong type is warned where it is and leaves
 * what it decides unknown, never "none". */
static void damaged_fields_are_unknown(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "aws_configs/tgw.json",
               "{\"TransitGatewayAttachments\": [{\"TransitGatewayAttachmentId\": \"tgw-attach-1\",\n"
               "  \"TransitGatewayId\": \"tgw-1\", \"ResourceType\": \"vpc\", \"ResourceId\": \"vpc-a\",\n"
               "  \"Association\": \"tgw-rtb-1\"},\n"
               " {\"TransitGatewayAttachmentId\": \"tgw-attach-2\", \"TransitGatewayId\": \"tgw-1\", \"ResourceId\": \"vpc-b\",\n"
               "  \"Association\": {\"TransitGatewayRouteTableId\": \"tgw-rtb-1\"}}]}\n"
               "{\"TransitGatewayVpcAttachments\": [{\"TransitGatewayAttachmentId\": \"tgw-attach-3\", \"VpcId\": 7,\n"
               "  \"TransitGatewayId\": \"tgw-1\"}]}\n"
               "{\"TransitGatewayRouteTables\": [{\"TransitGatewayRouteTableId\": \"tgw-rtb-1\", \"TransitGatewayId\": \"tgw-1\"},\n"
               "  {\"TransitGatewayRouteTableId\": \"tgw-rtb-2\", \"TransitGatewayId\": \"tgw-1\"}]}\n"
               "{\"TransitGatewayStaticRoutes\": [{\"TransitGatewayRouteTableId\": \"tgw-rtb-1\", \"Routes\": [\n"
               "  {\"DestinationCidrBlock\": \"10.0.0.0/8\", \"State\": 1,\n"
               "   \"TransitGatewayAttachments\": [{\"TransitGatewayAttachmentId\": \"tgw-attach-2\"}]},\n"
               "  {\"DestinationCidrBlock\": \"10.1.0.0/16\", \"State\": \"active\"}]},\n"
               " {\"TransitGatewayRouteTableId\": \"tgw-rtb-2\", \"Routes\": {}}]}\n"
               "{\"LoadBalancerTargetHealth\": [{\"TargetGroupArn\": \"" TG "\", \"TargetHealthDescriptions\": {}}]}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    sgr_tgw_attachment *a1 = sgr_snapshot_find(s, SGR_KIND_TGW_ATTACHMENT, "tgw-attach-1");
    sgr_tgw_attachment *a2 = sgr_snapshot_find(s, SGR_KIND_TGW_ATTACHMENT, "tgw-attach-2");
    sgr_tgw_attachment *a3 = sgr_snapshot_find(s, SGR_KIND_TGW_ATTACHMENT, "tgw-attach-3");
    assert_non_null(a1->damaged_why); /* its association is a string */
    assert_null(a2->damaged_why);
    assert_non_null(a3->damaged_why); /* its VPC is a number */
    assert_null(a3->resource_id);
    assert_int_equal(diag_count(s, "expected an object, found a string; what it holds is unknown"), 1);
    assert_int_equal(diag_count(s, "expected a string"), 2); /* VpcId 7, State 1 */
    const sgr_diag *dg = diag_find(s, "expected an object, found a string");
    assert_string_equal(dg->path, "$.TransitGatewayAttachments[0].Association");
    assert_int_equal(dg->line, 1); /* the line of the object holding it */
    sgr_tgw_route_table *r1 = sgr_snapshot_find(s, SGR_KIND_TGW_ROUTE_TABLE, "tgw-rtb-1");
    sgr_tgw_route_table *r2 = sgr_snapshot_find(s, SGR_KIND_TGW_ROUTE_TABLE, "tgw-rtb-2");
    assert_null(r1->routes_unknown_why);
    assert_int_equal(r1->n_routes, 2);
    assert_non_null(r1->routes[0].unknown_why); /* State 1: not read as active */
    assert_string_equal(r1->routes[0].attachment_id, "tgw-attach-2");
    assert_non_null(r1->routes[1].unknown_why); /* active, to no attachment: not a blackhole */
    assert_false(r1->routes[1].blackhole);
    assert_non_null(r2->routes_unknown_why);
    assert_int_equal(r2->n_routes, 0);
    assert_int_equal(diag_count(s, "expected an array, found an object; what it holds is unknown"), 1);
    sgr_target_group *tg = sgr_snapshot_find(s, SGR_KIND_TARGET_GROUP, TG);
    assert_non_null(tg->targets_unknown_why);
    assert_int_equal(tg->n_targets, 0);
    assert_int_equal(diag_count(s, "expected an array, found an object; the targets of " TG " are unknown"), 1);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

static void batfish_corpus_loads(void **state)
{
    (void)state;
    /* The shared corpus's load-balancer test estate: its counts. */
    const char *paths[1] = {SGR_CORPUS_DIR "/batfish-aws/test-load-balancer/aws_configs"};
    sgr_snapshot *s;
    assert_int_equal(sgr_snapshot_load(paths, 1, NULL, &s), SGR_LOAD_OK);
    assert_int_equal(s->n_lbs, 1);
    assert_int_equal(s->lbs[0]->type, SGR_LB_NETWORK);
    assert_true(s->lbs[0]->n_enis >= 1);
    assert_int_equal(s->n_listeners, 1);
    assert_non_null(s->listeners[0]->lb);
    assert_int_equal(s->n_prefix_lists, 2);
    sgr_snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folder_labels_and_wrappers),
        cmocka_unit_test(damaged_fields_are_unknown),
        cmocka_unit_test(batfish_corpus_loads),
    };
    return cmocka_run_group_tests_name("import_batfish", tests, NULL, NULL);
}
