#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "load/import.h"
#include "load_helper.h"

#define ARN "arn:aws:ecs:us-east-1:111122223333:"

static void task_definitions(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "td-bridge.json",
               "{\"taskDefinition\": {\"taskDefinitionArn\": \"" ARN "task-definition/web:3\", \"family\": \"web\",\n"
               "  \"revision\": 3, \"requiresCompatibilities\": [\"EC2\"],\n"
               "  \"containerDefinitions\": [{\"name\": \"nginx\", \"portMappings\": [\n"
               "    {\"containerPort\": 80, \"hostPort\": 0, \"protocol\": \"tcp\"},\n"
               "    {\"containerPort\": 8080},\n"
               "    {\"containerPort\": 53, \"hostPort\": 5353, \"protocol\": \"udp\"},\n"
               "    {\"containerPortRange\": \"9000-9009\", \"protocol\": \"tcp\"},\n"
               "    {\"containerPort\": 70000}]}]},\n"
               " \"tags\": []}\n");
    tdir_write(&d, "td-vpc.json",
               "{\"taskDefinition\": {\"taskDefinitionArn\": \"" ARN "task-definition/api:1\", \"networkMode\": \"awsvpc\",\n"
               "  \"containerDefinitions\": [{\"name\": \"api\", \"portMappings\": [\n"
               "    {\"containerPort\": 8443},\n"
               "    {\"containerPortRange\": \"7000-7002\"}]}]}}\n"
               "{\"taskDefinition\": {\"taskDefinitionArn\": \"" ARN "task-definition/batch:1\", \"networkMode\": \"none\"}}\n"
               "{\"taskDefinition\": {\"taskDefinitionArn\": \"" ARN "task-definition/agent:1\", \"networkMode\": \"host\"}}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    assert_int_equal(s->n_task_defs, 4);
    sgr_task_def *td = sgr_snapshot_find(s, SGR_KIND_TASK_DEF, ARN "task-definition/web:3");
    assert_int_equal(td->network_mode, SGR_NET_BRIDGE);
    assert_false(td->network_mode_given);
    assert_int_equal(td->revision, 3);
    assert_string_equal(td->family, "web");
    assert_int_equal(td->compatibilities.count, 1);
    assert_int_equal(td->n_containers, 1);
    sgr_container_def *c = &td->containers[0];
    assert_string_equal(c->name, "nginx");
    assert_int_equal(c->n_ports, 4); /* 70000 skipped */
    assert_int_equal(c->ports[0].host_port, 0);
    assert_int_equal(c->ports[1].host_port, 0); /* absent in bridge: dynamic */
    assert_int_equal(c->ports[1].protocol, SGR_PROTO_TCP);
    assert_int_equal(c->ports[2].host_port, 5353);
    assert_int_equal(c->ports[2].protocol, SGR_PROTO_UDP);
    assert_int_equal(c->ports[3].container_port, 9000);
    assert_int_equal(c->ports[3].container_port_end, 9009);
    assert_int_equal(c->ports[3].host_port, 0);
    assert_int_equal(diag_count(s, "70000 is out of range"), 1);
    td = sgr_snapshot_find(s, SGR_KIND_TASK_DEF, ARN "task-definition/api:1");
    assert_int_equal(td->network_mode, SGR_NET_AWSVPC);
    assert_true(td->network_mode_given);
    assert_int_equal(td->containers[0].ports[0].host_port, -1);
    assert_int_equal(td->containers[0].ports[1].container_port_end, 7002);
    assert_int_equal(((sgr_task_def *)sgr_snapshot_find(s, SGR_KIND_TASK_DEF, ARN "task-definition/batch:1"))->network_mode,
                     SGR_NET_NONE);
    assert_int_equal(((sgr_task_def *)sgr_snapshot_find(s, SGR_KIND_TASK_DEF, ARN "task-definition/agent:1"))->network_mode,
                     SGR_NET_HOST);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

static void tasks_services_links(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "1-tasks.json",
               "{\"tasks\": [\n"
               " {\"taskArn\": \"" ARN "task/prod/aaa111\", \"clusterArn\": \"" ARN "cluster/prod\",\n"
               "  \"taskDefinitionArn\": \"" ARN "task-definition/api:1\", \"group\": \"service:api\",\n"
               "  \"launchType\": \"FARGATE\", \"lastStatus\": \"RUNNING\", \"createdAt\": 1466801808.595,\n"
               "  \"attachments\": [{\"id\": \"att-1\", \"type\": \"ElasticNetworkInterface\", \"status\": \"ATTACHED\",\n"
               "   \"details\": [{\"name\": \"subnetId\", \"value\": \"subnet-a\"},\n"
               "    {\"name\": \"networkInterfaceId\", \"value\": \"eni-task\"},\n"
               "    {\"name\": \"privateIPv4Address\", \"value\": \"10.0.1.20\"}]},\n"
               "   {\"id\": \"sc-1\", \"type\": \"ServiceConnect\", \"details\": []}],\n"
               "  \"containers\": [{\"name\": \"api\", \"networkInterfaces\": [{\"privateIpv4Address\": \"10.0.1.20\"}]}],\n"
               "  \"tags\": [{\"key\": \"team\", \"value\": \"pay\"}]},\n"
               " {\"taskArn\": \"" ARN "task/prod/bbb222\", \"clusterArn\": \"" ARN "cluster/prod\",\n"
               "  \"taskDefinitionArn\": \"" ARN "task-definition/web:3\", \"group\": \"service:web\",\n"
               "  \"containerInstanceArn\": \"" ARN "container-instance/prod/ci1\", \"createdAt\": \"2021-08-11T12:21:26.681000-04:00\",\n"
               "  \"containers\": [{\"name\": \"nginx\", \"networkBindings\": [\n"
               "   {\"bindIP\": \"0.0.0.0\", \"containerPort\": 80, \"hostPort\": 32768, \"protocol\": \"tcp\"},\n"
               "   {\"bindIP\": \"::\", \"containerPortRange\": \"9000-9001\", \"hostPortRange\": \"40000-40001\"}]}]},\n"
               " {\"taskArn\": \"" ARN "task/prod/ccc333\", \"clusterArn\": \"" ARN "cluster/prod\", \"group\": \"family:x\",\n"
               "  \"containerInstanceArn\": \"" ARN "container-instance/prod/missing\",\n"
               "  \"attachments\": [{\"type\": \"ElasticNetworkInterface\", \"details\": [{\"name\": \"networkInterfaceId\", \"value\": \"eni-nowhere\"}]}]}\n"
               "], \"failures\": []}\n");
    tdir_write(&d, "2-ci.json",
               "{\"containerInstances\": [{\"containerInstanceArn\": \"" ARN "container-instance/prod/ci1\",\n"
               "  \"ec2InstanceId\": \"i-host\", \"attributes\": [{\"name\": \"ecs.awsvpc-trunk-id\", \"value\": \"eni-trunk\"}]}],\n"
               " \"failures\": []}\n");
    tdir_write(&d, "3-svc.json",
               "{\"services\": [\n"
               " {\"serviceArn\": \"" ARN "service/prod/api\", \"serviceName\": \"api\", \"clusterArn\": \"" ARN "cluster/prod\",\n"
               "  \"taskDefinition\": \"" ARN "task-definition/api:1\", \"desiredCount\": 2, \"launchType\": \"FARGATE\",\n"
               "  \"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-a\", \"subnet-b\"],\n"
               "    \"securityGroups\": [\"sg-api\"], \"assignPublicIp\": \"ENABLED\"}},\n"
               "  \"loadBalancers\": [{\"targetGroupArn\": \"arn:tg/api\", \"containerName\": \"api\", \"containerPort\": 8443}],\n"
               "  \"createdAt\": 1466801808.595},\n"
               " {\"serviceArn\": \"" ARN "service/prod/web\", \"serviceName\": \"web\", \"clusterArn\": \"" ARN "cluster/prod\",\n"
               "  \"loadBalancers\": [{\"loadBalancerName\": \"classic\", \"containerName\": \"nginx\", \"containerPort\": 80}]}\n"
               "], \"failures\": []}\n");
    tdir_write(&d, "4-ec2.json",
               "{\"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-task\", \"InterfaceType\": \"interface\",\n"
               "  \"PrivateIpAddress\": \"10.0.1.20\", \"Description\": \"arn:aws:ecs:us-east-1:111122223333:attachment/att-1\"}]}\n"
               "{\"Reservations\": [{\"Instances\": [{\"InstanceId\": \"i-host\", \"NetworkInterfaces\": [\n"
               "  {\"NetworkInterfaceId\": \"eni-host\", \"Attachment\": {\"DeviceIndex\": 0}, \"PrivateIpAddress\": \"10.0.1.30\"}]}]}]}\n"
               "{\"TargetGroups\": [{\"TargetGroupArn\": \"arn:tg/api\", \"TargetType\": \"ip\", \"Protocol\": \"HTTP\", \"Port\": 8443}]}\n");
    sgr_snapshot *s;
    assert_int_equal(tdir_load(&d, &s), SGR_LOAD_OK);
    assert_int_equal(s->n_tasks, 3);
    assert_int_equal(s->n_services, 2);
    assert_int_equal(s->n_container_instances, 1);
    sgr_task *t = s->tasks[0];
    assert_string_equal(t->id, "aaa111");
    assert_string_equal(t->eni_id, "eni-task");
    assert_string_equal(t->attachment_id, "att-1");
    assert_string_equal(t->subnet_id, "subnet-a");
    assert_int_equal(t->private_ip.family, SGR_AF_INET);
    assert_int_equal(t->containers[0].private_ip.b[3], 20);
    assert_int_equal(t->tags.count, 1);
    assert_string_equal(t->tags.items[0].key, "team");
    assert_non_null(t->eni);
    assert_ptr_equal(t->eni->task, t);
    assert_int_equal(t->eni->owner_kind, SGR_ENI_OWNER_TASK);
    sgr_service *api = sgr_snapshot_find(s, SGR_KIND_SERVICE, ARN "service/prod/api");
    assert_ptr_equal(t->service, api);
    assert_int_equal(api->n_tasks, 1);
    assert_ptr_equal(api->tasks[0], t);
    assert_true(api->has_awsvpc_config);
    assert_true(api->assign_public_ip);
    assert_int_equal(api->subnet_ids.count, 2);
    assert_string_equal(api->group_ids.items[0], "sg-api");
    assert_int_equal(api->desired_count, 2);
    assert_int_equal(api->n_lbs, 1);
    assert_int_equal(api->lbs[0].container_port, 8443);
    assert_non_null(api->lbs[0].target_group);
    assert_null(t->task_def); /* api:1 not in the snapshot */
    sgr_task *b = s->tasks[1];
    assert_null(b->eni);
    assert_non_null(b->container_instance);
    assert_string_equal(b->container_instance->trunk_eni_id, "eni-trunk");
    assert_string_equal(b->container_instance->cluster_arn, ARN "cluster/prod");
    assert_non_null(b->instance);
    assert_string_equal(b->instance->id, "i-host");
    assert_string_equal(b->instance->primary_eni->id, "eni-host");
    assert_ptr_equal(b->instance->container_instance, b->container_instance);
    assert_int_equal(b->containers[0].n_bindings, 2);
    assert_int_equal(b->containers[0].bindings[0].host_port, 32768);
    assert_int_equal(b->containers[0].bindings[1].container_port_end, 9001);
    assert_int_equal(b->containers[0].bindings[1].host_port, 40000);
    assert_int_equal(b->containers[0].bindings[1].host_port_end, 40001);
    assert_int_equal(b->containers[0].bindings[1].bind_ip.family, SGR_AF_INET6);
    sgr_service *web = sgr_snapshot_find(s, SGR_KIND_SERVICE, ARN "service/prod/web");
    assert_ptr_equal(b->service, web);
    assert_false(web->has_awsvpc_config);
    assert_string_equal(web->lbs[0].lb_name, "classic");
    sgr_task *c = s->tasks[2];
    assert_null(c->service);
    const sgr_diag *w = diag_find(s, "eni-nowhere is in no dump");
    assert_non_null(w);
    assert_string_equal(w->path, "$.tasks[2]");
    assert_int_equal(w->line, 18);
    assert_int_equal(diag_count(s, "container-instance/prod/missing is in no dump"), 1);
    sgr_snapshot_free(s);
    tdir_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(task_definitions),
        cmocka_unit_test(tasks_services_links),
    };
    return cmocka_run_group_tests_name("import_ecs", tests, NULL, NULL);
}
