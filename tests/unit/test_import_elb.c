#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "load/import.h"
#include "load_helper.h"

#define LB_ARN "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/nlb/abc123"
#define ALB_ARN "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/def456"
#define TG1 "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg1/111"
#define TG2 "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg2/222"
#define TG3 "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg3/333"

static void elbv2(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "1-lb.json",
               "{\"LoadBalancers\": [\n"
               " {\"LoadBalancerArn\": \"" LB_ARN "\", \"LoadBalancerName\": \"nlb\", \"Type\": \"network\",\n"
               "  \"Scheme\": \"internet-facing\", \"VpcId\": \"vpc-1\", \"IpAddressType\": \"ipv4\",\n"
               "  \"AvailabilityZones\": [{\"SubnetId\": \"subnet-a\", \"LoadBalancerAddresses\": [\n"
               "    {\"IpAddress\": \"3.3.3.3\", \"AllocationId\": \"eipalloc-1\", \"PrivateIPv4Address\": \"10.0.1.4\"}]},\n"
               "   {\"SubnetId\": \"subnet-b\"}]},\n"
               " {\"LoadBalancerArn\": \"" ALB_ARN "\", \"LoadBalancerName\": \"alb\", \"Type\": \"application\",\n"
               "  \"Scheme\": \"internal\", \"SecurityGroups\": [\"sg-alb\"], \"VpcId\": \"vpc-1\"}\n"
               "], \"NextMarker\": \"m\"}\n");
    tdir_write(&d, "2-tg.json",
               "{\"TargetGroups\": [\n"
               " {\"TargetGroupArn\": \"" TG1 "\", \"TargetGroupName\": \"tg1\", \"Protocol\": \"TCP\", \"Port\": 80,\n"
               "  \"VpcId\": \"vpc-1\", \"TargetType\": \"instance\", \"HealthCheckPort\": \"traffic-port\",\n"
               "  \"LoadBalancerArns\": [\"" LB_ARN "\"]},\n"
               " {\"TargetGroupArn\": \"" TG2 "\", \"Protocol\": \"HTTP\", \"Port\": 8080, \"VpcId\": \"vpc-1\", \"TargetType\": \"ip\"},\n"
               " {\"TargetGroupArn\": \"" TG3 "\", \"Protocol\": \"UDP\", \"Port\": 53, \"VpcId\": \"vpc-1\", \"TargetType\": \"ip\"}\n"
               "]}\n");
    tdir_write(&d, "3-health.json",
               "{\"TargetGroupArn\": \"" TG1 "\", \"TargetHealthDescriptions\": [\n"
               " {\"Target\": {\"Id\": \"i-1\", \"Port\": 80}, \"TargetHealth\": {\"State\": \"healthy\"}},\n"
               " {\"Target\": {\"Id\": \"i-1\", \"Port\": 80}, \"TargetHealth\": {\"State\": \"healthy\"}},\n"
               " {\"Target\": {\"Id\": \"i-2\", \"Port\": 8080}, \"TargetHealth\": {\"State\": \"unhealthy\"}}]}\n"
               "{\"TargetGroupArn\": \"" TG2 "\", \"TargetHealthDescriptions\": [\n"
               " {\"Target\": {\"Id\": \"10.0.1.50\", \"Port\": 8080, \"AvailabilityZone\": \"us-east-1a\"}}]}\n"
               "{\"TargetHealthDescriptions\": [{\"Target\": {\"Id\": \"i-9\"}}]}\n");
    tdir_write(&d, "4-attr.json",
               "{\"TargetGroupArn\": \"" TG2 "\", \"Attributes\": [{\"Key\": \"stickiness.enabled\", \"Value\": \"false\"},\n"
               "  {\"Key\": \"preserve_client_ip.enabled\", \"Value\": \"true\"}]}\n"
               "{\"TargetGroupArn\": \"" TG3 "\", \"Attributes\": [{\"Key\": \"deregistration_delay.timeout_seconds\", \"Value\": \"300\"}]}\n");
    tdir_write(&d, "5-listeners.json",
               "{\"Listeners\": [\n"
               " {\"ListenerArn\": \"arn:l1\", \"LoadBalancerArn\": \"" ALB_ARN "\", \"Port\": 443, \"Protocol\": \"HTTPS\",\n"
               "  \"DefaultActions\": [{\"Type\": \"forward\", \"TargetGroupArn\": \"" TG2 "\",\n"
               "    \"ForwardConfig\": {\"TargetGroups\": [{\"TargetGroupArn\": \"" TG2 "\"}, {\"TargetGroupArn\": \"" TG3 "\"}]}},\n"
               "   {\"Type\": \"redirect\", \"TargetGroupArn\": \"" TG1 "\"}]},\n"
               " {\"ListenerArn\": \"arn:l2\", \"LoadBalancerArn\": \"" LB_ARN "\", \"Port\": 80, \"Protocol\": \"TCP\",\n"
               "  \"DefaultActions\": [{\"Type\": \"forward\", \"TargetGroupArn\": \"" TG1 "\"}]}]}\n");
    tdir_write(&d, "6-ec2.json",
               "{\"NetworkInterfaces\": [\n"
               " {\"NetworkInterfaceId\": \"eni-n1\", \"VpcId\": \"vpc-1\", \"Description\": \"ELB net/nlb/abc123\",\n"
               "  \"InterfaceType\": \"network_load_balancer\", \"PrivateIpAddress\": \"10.0.1.4\"},\n"
               " {\"NetworkInterfaceId\": \"eni-n2\", \"VpcId\": \"vpc-1\", \"Description\": \"ELB net/nlb/abc123\",\n"
               "  \"InterfaceType\": \"network_load_balancer\", \"PrivateIpAddress\": \"10.0.2.4\"},\n"
               " {\"NetworkInterfaceId\": \"eni-c\", \"VpcId\": \"vpc-1\", \"Description\": \"ELB classic\", \"PrivateIpAddress\": \"10.0.1.7\"},\n"
               " {\"NetworkInterfaceId\": \"eni-t\", \"VpcId\": \"vpc-1\", \"PrivateIpAddress\": \"10.0.1.50\"}]}\n"
               "{\"Reservations\": [{\"Instances\": [{\"InstanceId\": \"i-1\"}]}]}\n"
               "{\"SecurityGroups\": [{\"GroupId\": \"sg-alb\"}]}\n");
    tdir_write(&d, "7-classic.json",
               "{\"LoadBalancerDescriptions\": [{\"LoadBalancerName\": \"classic\", \"Scheme\": \"internet-facing\",\n"
               "  \"VPCId\": \"vpc-1\", \"Subnets\": [\"subnet-a\"], \"SecurityGroups\": [\"sg-elb\"],\n"
               "  \"ListenerDescriptions\": [{\"Listener\": {\"Protocol\": \"HTTP\", \"LoadBalancerPort\": 80,\n"
               "    \"InstanceProtocol\": \"HTTP\", \"InstancePort\": 8080}, \"PolicyNames\": []}],\n"
               "  \"Instances\": [{\"InstanceId\": \"i-1\"}]}]}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    assert_int_equal(s->n_lbs, 3);
    assert_int_equal(s->n_target_groups, 3);
    assert_int_equal(s->n_listeners, 2);
    sgr_lb *nlb = sgr_snapshot_find(s, SGR_KIND_LB, LB_ARN);
    assert_ptr_equal(sgr_snapshot_find(s, SGR_KIND_LB, "name:nlb"), nlb);
    assert_int_equal(nlb->type, SGR_LB_NETWORK);
    assert_true(nlb->internet_facing);
    assert_int_equal(nlb->subnet_ids.count, 2);
    assert_int_equal(nlb->n_addresses, 2);
    assert_int_equal(nlb->group_ids.count, 0);
    assert_int_equal(nlb->n_enis, 2);
    assert_string_equal(nlb->enis[0]->id, "eni-n1");
    sgr_lb *alb = sgr_snapshot_find(s, SGR_KIND_LB, ALB_ARN);
    assert_false(alb->internet_facing);
    assert_non_null(alb->groups[0]);
    assert_int_equal(alb->n_enis, 0);
    sgr_lb *clb = sgr_snapshot_find(s, SGR_KIND_LB, "name:classic");
    assert_null(clb->arn);
    assert_int_equal(clb->type, SGR_LB_CLASSIC);
    assert_int_equal(clb->n_classic_listeners, 1);
    assert_int_equal(clb->classic_listeners[0].lb_port, 80);
    assert_int_equal(clb->classic_listeners[0].instance_port, 8080);
    assert_int_equal(clb->classic_instances.count, 1);
    assert_int_equal(clb->n_enis, 1);
    assert_null(clb->groups[0]);
    assert_int_equal(diag_count(s, "sg-elb is referenced"), 1);
    sgr_target_group *tg1 = sgr_snapshot_find(s, SGR_KIND_TARGET_GROUP, TG1);
    assert_true(tg1->targets_known);
    assert_int_equal(tg1->n_targets, 2); /* the repeated target once */
    assert_non_null(tg1->targets[0].instance);
    assert_null(tg1->targets[1].instance);
    assert_string_equal(tg1->targets[1].state, "unhealthy");
    assert_int_equal(tg1->protocol, SGR_PROTO_TCP);
    assert_string_equal(tg1->health_check_port, "traffic-port");
    assert_int_equal(tg1->preserve_client_ip, -1);
    assert_false(tg1->attributes_known);
    assert_int_equal(tg1->n_lbs, 1);
    assert_ptr_equal(tg1->lbs[0], nlb);
    sgr_target_group *tg2 = sgr_snapshot_find(s, SGR_KIND_TARGET_GROUP, TG2);
    assert_int_equal(tg2->preserve_client_ip, 1);
    assert_true(tg2->attributes_known);
    assert_string_equal(tg2->targets[0].eni->id, "eni-t");
    assert_string_equal(tg2->targets[0].az, "us-east-1a");
    assert_int_equal(tg2->n_lbs, 1); /* from the listener */
    assert_ptr_equal(tg2->lbs[0], alb);
    sgr_target_group *tg3 = sgr_snapshot_find(s, SGR_KIND_TARGET_GROUP, TG3);
    assert_int_equal(tg3->protocol, SGR_PROTO_UDP);
    assert_true(tg3->attributes_known);
    assert_int_equal(tg3->preserve_client_ip, -1);
    sgr_listener *l1 = sgr_snapshot_find(s, SGR_KIND_LISTENER, "arn:l1");
    assert_ptr_equal(l1->lb, alb);
    assert_int_equal(l1->port, 443);
    assert_int_equal(l1->protocol, SGR_PROTO_TCP);
    assert_int_equal(l1->target_group_arns.count, 2); /* TG2 once, TG3; not the redirect */
    assert_int_equal(diag_count(s, "without its TargetGroupArn wrapper"), 1);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(elbv2)};
    return cmocka_run_group_tests_name("import_elb", tests, NULL, NULL);
}
