/*
 * Terraform ECS resources → model: task definitions (container_definitions is
 * a JSON string holding the portMappings), services with `desired_count`
 * planned tasks, and for bridge and host mode the EC2 capacity they run on:
 * aws_launch_template + aws_autoscaling_group + aws_ecs_capacity_provider +
 * aws_ecs_cluster_capacity_providers give which hosts, in which subnets, carry
 * which groups.
 *
 * Planned tasks and hosts have no address yet: awsvpc tasks get a planned
 * interface in the service's subnets (round robin, as ECS spreads tasks across
 * zones), hosts one in the autoscaling group's subnets.
 */
#include <stdio.h>
#include <string.h>

#include "load/import_terraform.h"
#include "load/json_printable.h"

/* Hosts synthesized per autoscaling group at most (desired capacity beyond it
 * adds identical hosts that change no verdict). */
#define MAX_HOSTS 64
#define MAX_TASKS 64

/* The plan resource of `type` whose id, ARN or name is `key`. */
static sgr_tf_res *find_by(sgr_tf *tf, const char *type, const char *key)
{
    if (!key)
        return NULL;
    for (uint32_t i = 0; i < tf->n_res; i++) {
        sgr_tf_res *r = &tf->res[i];
        if (r->data || r->action == SGR_TF_DELETE || strcmp(r->type, type) != 0)
            continue;
        const json_t *v = sgr_tf_values(tf, r);
        const char *name = sgr_tf_name(tf, v, "name");
        const char *arn = sgr_tf_str(tf, v, "arn");
        if (!strcmp(r->id, key) || (name && !strcmp(name, key)) || (arn && !strcmp(arn, key)) ||
            !strcmp(r->address, key))
            return r;
    }
    return NULL;
}

/* ---------------------------------------------------------------- task definitions */

static void port_mappings(sgr_tf *tf, const sgr_tf_res *r, sgr_container_def *c, const json_t *pms, size_t ci,
                          sgr_net_mode mode)
{
    c->ports = SGR_NEW_N(tf->a, sgr_port_mapping, json_array_size(pms) + 1);
    size_t i;
    const json_t *pm;
    json_array_foreach(pms, i, pm) {
        sgr_port_mapping *p = &c->ports[c->n_ports];
        memset(p, 0, sizeof *p);
        int64_t cp = sgr_tf_int(pm, "containerPort", -1);
        const char *range = json_string_value(json_object_get(pm, "containerPortRange"));
        int from = -1, to = -1;
        if (range && sscanf(range, "%d-%d", &from, &to) == 2 && from > 0 && to >= from) {
            p->container_port = from;
            p->container_port_end = to;
        } else if (cp > 0 && cp <= 65535) {
            p->container_port = p->container_port_end = (int32_t)cp;
        } else {
            continue;
        }
        int64_t hp = sgr_tf_int(pm, "hostPort", -1);
        if (mode == SGR_NET_AWSVPC || mode == SGR_NET_HOST) {
            p->host_port = p->container_port;
            p->host_port_end = p->container_port_end;
        } else {
            p->host_port = hp < 0 ? 0 : (int32_t)hp; /* 0: dynamic (bridge) */
            p->host_port_end = p->host_port ? p->host_port + (p->container_port_end - p->container_port) : 0;
        }
        const char *proto = json_string_value(json_object_get(pm, "protocol"));
        p->protocol = proto && !strcmp(proto, "udp") ? SGR_PROTO_UDP : SGR_PROTO_TCP;
        p->origin = sgr_tf_origin(tf, r, NULL, ".container_definitions[%zu].portMappings[%zu]", ci, i);
        c->n_ports++;
    }
}

void sgr_tf_task_def(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    const char *cdefs = json_string_value(json_object_get(v, "container_definitions"));
    if (!cdefs || sgr_tf_unresolved(cdefs)) {
        /* Built from values the plan does not know (an image from a new
         * repository, say): the ports are unknown. Without the definition in
         * the snapshot, verdicts that need its ports are unknown, never
         * "not published". */
        sgr_tf_warn(tf, r, "container_definitions is not known at plan time: the task definition is left out, "
                           "so what depends on its ports is unknown");
        return;
    }
    sgr_task_def *td = sgr_tf_intern(tf, SGR_KIND_TASK_DEF, r->id, sizeof *td, NULL);
    td->family = sgr_tf_name(tf, v, "family");
    td->revision = (int32_t)sgr_tf_int(v, "revision", -1);
    td->compatibilities = sgr_tf_strs(tf, v, "requires_compatibilities");
    const char *mode = sgr_tf_str(tf, v, "network_mode");
    td->network_mode_given = mode != NULL;
    bool fargate = false;
    for (uint32_t i = 0; i < td->compatibilities.count; i++)
        fargate |= !strcmp(td->compatibilities.items[i], "FARGATE");
    td->network_mode = !mode ? (fargate ? SGR_NET_AWSVPC : SGR_NET_BRIDGE)
                       : !strcmp(mode, "awsvpc") ? SGR_NET_AWSVPC
                       : !strcmp(mode, "host")   ? SGR_NET_HOST
                       : !strcmp(mode, "none")   ? SGR_NET_NONE
                       : !strcmp(mode, "default") ? SGR_NET_DEFAULT
                                                 : SGR_NET_BRIDGE;
    td->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    td->containers = NULL;
    td->n_containers = 0;
    json_error_t err;
    json_t *defs = json_loads(cdefs, 0, &err);
    sgr_json_make_printable(defs, cdefs, strlen(cdefs));
    if (!json_is_array(defs)) {
        sgr_tf_warn(tf, r, "container_definitions is not a JSON array: the task's ports are unknown");
    } else {
        td->containers = SGR_NEW_N(tf->a, sgr_container_def, json_array_size(defs) + 1);
        size_t i;
        const json_t *c;
        json_array_foreach(defs, i, c) {
            sgr_container_def *cd = &td->containers[td->n_containers++];
            const char *name = json_string_value(json_object_get(c, "name"));
            cd->name = name ? sgr_arena_strdup(tf->a, name) : "";
            port_mappings(tf, r, cd, json_object_get(c, "portMappings"), i, td->network_mode);
        }
    }
    json_decref(defs);
    if (td->family)
        sgr_strmap_put(tf->map, SGR_TFM_TASK_FAMILY, td->family, td);
}

/* ---------------------------------------------------------------- EC2 capacity */

void sgr_tf_ecs_cluster(sgr_tf *tf, sgr_tf_res *r)
{
    (void)tf, (void)r; /* read by sgr_tf_ecs_hosts and the services */
}

void sgr_tf_launch_template(sgr_tf *tf, sgr_tf_res *r)
{
    (void)tf, (void)r;
}

void sgr_tf_asg(sgr_tf *tf, sgr_tf_res *r)
{
    (void)tf, (void)r;
}

void sgr_tf_capacity_provider(sgr_tf *tf, sgr_tf_res *r)
{
    (void)tf, (void)r;
}

void sgr_tf_cluster_capacity_providers(sgr_tf *tf, sgr_tf_res *r)
{
    (void)tf, (void)r;
}

typedef struct lt_net {
    sgr_strs groups;
    int public_ip; /* -1 subnet default */
} lt_net;

static lt_net launch_template_net(sgr_tf *tf, const json_t *asg)
{
    lt_net out = {{0}, -1};
    const json_t *spec = json_array_get(json_object_get(asg, "launch_template"), 0);
    if (!spec) {
        const json_t *mip = json_array_get(json_object_get(asg, "mixed_instances_policy"), 0);
        const json_t *lt = json_array_get(json_object_get(mip, "launch_template"), 0);
        spec = json_array_get(json_object_get(lt, "launch_template_specification"), 0);
    }
    if (!spec) {
        /* The older launch configuration: groups and public address of its own. */
        sgr_tf_res *lc = find_by(tf, "aws_launch_configuration", sgr_tf_str(tf, asg, "launch_configuration"));
        if (lc) {
            const json_t *lv = sgr_tf_values(tf, lc);
            out.groups = sgr_tf_strs(tf, lv, "security_groups");
            out.public_ip = sgr_tf_bool(lv, "associate_public_ip_address");
            return out;
        }
    }
    const char *key = sgr_tf_str(tf, spec, "id");
    if (!key)
        key = sgr_tf_str(tf, spec, "launch_template_id");
    sgr_tf_res *lt = find_by(tf, "aws_launch_template", key);
    if (!lt) {
        const char *name = sgr_tf_str(tf, spec, "name");
        lt = find_by(tf, "aws_launch_template", name ? name : sgr_tf_str(tf, spec, "launch_template_name"));
    }
    if (!lt) {
        sgr_strs_add_unique(tf->a, &out.groups, sgr_arena_printf(tf->a, "%slaunch template of the autoscaling group", SGR_TF_UNRESOLVED));
        return out;
    }
    const json_t *v = sgr_tf_values(tf, lt);
    out.groups = sgr_tf_strs(tf, v, "vpc_security_group_ids");
    const json_t *ni = json_array_get(json_object_get(v, "network_interfaces"), 0);
    sgr_strs more = sgr_tf_strs(tf, ni, "security_groups");
    for (uint32_t i = 0; i < more.count; i++)
        sgr_strs_add_unique(tf->a, &out.groups, more.items[i]);
    out.public_ip = sgr_tf_bool(ni, "associate_public_ip_address");
    return out;
}

/* Instances (with a planned interface) of one autoscaling group; container
 * instances of `cluster` on them when it is an ECS capacity provider's. */
static void asg_hosts(sgr_tf *tf, sgr_tf_res *asg, const char *cluster, sgr_tf_strlist *hosts)
{
    const json_t *v = sgr_tf_values(tf, asg);
    sgr_strs subnets = sgr_tf_strs(tf, v, "vpc_zone_identifier");
    int64_t n = sgr_tf_int(v, "desired_capacity", -1);
    if (n <= 0)
        n = sgr_tf_int(v, "min_size", -1);
    if (n <= 0)
        n = 1; /* capacity scales from zero when tasks need it */
    if (n > MAX_HOSTS)
        n = MAX_HOSTS;
    lt_net net = launch_template_net(tf, v);
    if (!net.groups.count) {
        sgr_subnet *s0 = subnets.count ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SUBNET, subnets.items[0]) : NULL;
        sgr_strs_add_unique(tf->a, &net.groups, sgr_tf_default_group(tf, s0 ? s0->vpc_id : NULL));
    }
    sgr_strs tgs = sgr_tf_strs(tf, v, "target_group_arns");
    for (int64_t i = 0; i < n; i++) {
        const char *iid = sgr_arena_printf(tf->a, "%s#instance/%lld", asg->id, (long long)i);
        bool fresh;
        sgr_instance *inst = sgr_tf_intern(tf, SGR_KIND_INSTANCE, iid, sizeof *inst, &fresh);
        if (fresh) {
            inst->state = "running";
            inst->subnet_id = subnets.count ? subnets.items[i % subnets.count] : NULL;
            inst->group_ids = net.groups;
            inst->origin = sgr_tf_origin(tf, asg, NULL, "%s", "");
            inst->name = sgr_arena_printf(tf->a, "%s[%lld]", asg->address, (long long)i);
            const char *eid = sgr_arena_printf(tf->a, "%s#eni", iid);
            sgr_eni *e = sgr_tf_planned_eni(tf, asg, eid, inst->subnet_id, net.groups, inst->origin);
            e->attached_instance = iid;
            e->device_index = 0;
            e->description = "Primary network interface";
            inst->vpc_id = e->vpc_id;
            inst->subnet_id = e->subnet_id;
            inst->enis = SGR_NEW(tf->a, sgr_instance_eni);
            inst->enis[0].eni_id = eid;
            inst->enis[0].device_index = 0;
            inst->n_enis = 1;
            sgr_subnet *s = inst->subnet_id ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SUBNET, inst->subnet_id) : NULL;
            if (net.public_ip == 1 || (net.public_ip < 0 && s && s->map_public_ip)) {
                e->public_ips = SGR_NEW(tf->a, sgr_public_ip);
                e->n_public_ips = 1; /* planned: family 0 */
            }
            for (uint32_t k = 0; k < tgs.count; k++) {
                sgr_target_group *tg = sgr_snapshot_find(tf->ctx->snap, SGR_KIND_TARGET_GROUP, tgs.items[k]);
                if (tg)
                    sgr_tf_add_target(tf, tg, iid, inst->origin);
            }
        }
        if (!cluster)
            continue;
        const char *ciarn = sgr_arena_printf(tf->a, "%s#container-instance/%s", iid, cluster);
        sgr_container_instance *ci = sgr_tf_intern(tf, SGR_KIND_CONTAINER_INSTANCE, ciarn, sizeof *ci, NULL);
        ci->cluster_arn = cluster;
        ci->ec2_instance_id = iid;
        ci->origin = inst->origin;
        sgr_tf_strlist_add(tf->a, hosts, ci->arn);
    }
}

static sgr_tf_strlist *cluster_hosts(sgr_tf *tf, const char *cluster)
{
    return sgr_tf_map_list(tf, SGR_TFM_CLUSTER_HOSTS, cluster, sizeof(sgr_tf_strlist));
}

static void provider_hosts(sgr_tf *tf, const char *cluster, const char *cp_name, bool *used)
{
    sgr_tf_res *cp = find_by(tf, "aws_ecs_capacity_provider", cp_name);
    if (!cp)
        return;
    const json_t *v = sgr_tf_values(tf, cp);
    const json_t *p = json_array_get(json_object_get(v, "auto_scaling_group_provider"), 0);
    sgr_tf_res *asg = find_by(tf, "aws_autoscaling_group", sgr_tf_str(tf, p, "auto_scaling_group_arn"));
    if (!asg)
        return;
    used[asg - tf->res] = true;
    asg_hosts(tf, asg, cluster, cluster_hosts(tf, cluster));
}

void sgr_tf_ecs_hosts(sgr_tf *tf)
{
    bool *used = SGR_NEW_N(tf->a, bool, tf->n_res + 1);
    for (uint32_t i = 0; i < tf->n_res; i++) {
        sgr_tf_res *r = &tf->res[i];
        if (r->data || r->action == SGR_TF_DELETE || !r->after)
            continue;
        const json_t *v = sgr_tf_values(tf, r);
        sgr_tf_res *cluster = NULL;
        sgr_strs cps = {0};
        if (!strcmp(r->type, "aws_ecs_cluster_capacity_providers")) {
            cluster = find_by(tf, "aws_ecs_cluster", sgr_tf_str(tf, v, "cluster_name"));
            cps = sgr_tf_strs(tf, v, "capacity_providers");
            size_t k;
            const json_t *s;
            json_array_foreach(json_object_get(v, "default_capacity_provider_strategy"), k, s) {
                const char *cp = sgr_tf_str(tf, s, "capacity_provider");
                if (cp)
                    sgr_strs_add_unique(tf->a, &cps, cp);
            }
        } else if (!strcmp(r->type, "aws_ecs_cluster")) {
            cluster = r;
            cps = sgr_tf_strs(tf, v, "capacity_providers");
        }
        if (!cluster)
            continue;
        for (uint32_t k = 0; k < cps.count; k++)
            provider_hosts(tf, cluster->id, cps.items[k], used);
    }
    /* Autoscaling groups no capacity provider names: still EC2 instances. When
     * the plan has exactly one ECS cluster without capacity and one such group,
     * the group is taken as its capacity (user data naming ECS_CLUSTER is not
     * in the plan), and a warning says so. */
    sgr_tf_res *lone_cluster = NULL;
    uint32_t n_clusters = 0, n_free = 0;
    for (uint32_t i = 0; i < tf->n_res; i++) {
        sgr_tf_res *r = &tf->res[i];
        if (r->data || r->action == SGR_TF_DELETE || !r->after)
            continue;
        if (!strcmp(r->type, "aws_ecs_cluster") && !sgr_strmap_get(tf->map, SGR_TFM_CLUSTER_HOSTS, r->id))
            lone_cluster = r, n_clusters++;
        if (!strcmp(r->type, "aws_autoscaling_group") && !used[i])
            n_free++;
    }
    for (uint32_t i = 0; i < tf->n_res; i++) {
        sgr_tf_res *r = &tf->res[i];
        if (r->data || r->action == SGR_TF_DELETE || !r->after || used[i] || strcmp(r->type, "aws_autoscaling_group"))
            continue;
        if (n_clusters == 1 && n_free == 1) {
            sgr_tf_warn(tf, r, "no capacity provider links it to a cluster: assumed to be the capacity of %s",
                        lone_cluster->address);
            asg_hosts(tf, r, lone_cluster->id, cluster_hosts(tf, lone_cluster->id));
        } else {
            asg_hosts(tf, r, NULL, NULL);
        }
    }
}

/* ---------------------------------------------------------------- services */

static sgr_task_def *service_task_def(sgr_tf *tf, const char *ref)
{
    if (!ref)
        return NULL;
    sgr_task_def *td = sgr_snapshot_find(tf->ctx->snap, SGR_KIND_TASK_DEF, ref);
    if (td)
        return td;
    td = sgr_strmap_get(tf->map, SGR_TFM_TASK_FAMILY, ref);
    if (td)
        return td;
    const char *colon = strrchr(ref, ':'); /* "family:revision" */
    if (colon && !strchr(ref, '/')) {
        char fam[256];
        size_t n = (size_t)(colon - ref);
        if (n < sizeof fam) {
            memcpy(fam, ref, n);
            fam[n] = '\0';
            return sgr_strmap_get(tf->map, SGR_TFM_TASK_FAMILY, fam);
        }
    }
    return NULL;
}

/* Live tasks of a service the plan redeploys are replaced by planned ones. */
static void drop_live_tasks(sgr_tf *tf, const sgr_service *svc)
{
    sgr_snapshot *snap = tf->ctx->snap;
    const char *group = sgr_arena_printf(tf->a, "service:%s", svc->name);
    for (uint32_t i = 0; i < snap->n_tasks;) {
        sgr_task *t = snap->tasks[i];
        if (t->group && !strcmp(t->group, group) && t->cluster_arn && svc->cluster_arn &&
            !strcmp(t->cluster_arn, svc->cluster_arn) && !sgr_tf_created(tf, SGR_KIND_TASK, t->arn)) {
            if (t->eni_id)
                sgr_snap_remove(snap, SGR_KIND_ENI, t->eni_id);
            sgr_snap_remove(snap, SGR_KIND_TASK, t->arn);
            continue;
        }
        i++;
    }
}

void sgr_tf_ecs_service(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    bool fresh;
    sgr_service *svc = sgr_tf_intern(tf, SGR_KIND_SERVICE, r->id, sizeof *svc, &fresh);
    svc->name = sgr_tf_res_name(tf, r, v);
    const char *cluster = sgr_tf_str(tf, v, "cluster");
    svc->cluster_arn = cluster ? cluster : "default";
    const char *tdref = sgr_tf_str(tf, v, "task_definition");
    sgr_task_def *td = service_task_def(tf, tdref);
    svc->task_def_arn = td ? td->arn : tdref;
    const char *lt = sgr_tf_str(tf, v, "launch_type");
    bool strategy = json_array_size(json_object_get(v, "capacity_provider_strategy")) > 0;
    svc->launch_type = lt ? lt : strategy ? NULL : "EC2";
    const char *sched = sgr_tf_str(tf, v, "scheduling_strategy");
    bool daemon = sched && !strcmp(sched, "DAEMON");
    svc->desired_count = (int32_t)sgr_tf_int(v, "desired_count", daemon ? -1 : 0);
    const json_t *nc = json_array_get(json_object_get(v, "network_configuration"), 0);
    svc->has_awsvpc_config = json_is_object(nc);
    svc->subnet_ids = sgr_tf_strs(tf, nc, "subnets");
    svc->group_ids = sgr_tf_strs(tf, nc, "security_groups");
    svc->groups_unknown_why = sgr_tf_strs_why(tf, &svc->group_ids, nc, "security_groups",
                                              sgr_arena_printf(tf->a, "the security groups of %s are unknown", r->address));
    svc->assign_public_ip = sgr_tf_bool(nc, "assign_public_ip") == 1;
    const json_t *lbs = json_object_get(v, "load_balancer");
    svc->lbs = SGR_NEW_N(tf->a, sgr_service_lb, json_array_size(lbs) + 1);
    svc->n_lbs = 0;
    size_t i;
    const json_t *l;
    json_array_foreach(lbs, i, l) {
        sgr_service_lb *sl = &svc->lbs[svc->n_lbs++];
        sl->target_group_arn = sgr_tf_str(tf, l, "target_group_arn");
        sl->lb_name = sgr_tf_str(tf, l, "elb_name");
        sl->container_name = sgr_tf_str(tf, l, "container_name");
        sl->container_port = (int32_t)sgr_tf_int(l, "container_port", -1);
    }
    svc->tags = sgr_tf_tags(tf, v, NULL);
    svc->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    if (!fresh)
        drop_live_tasks(tf, svc);

    bool awsvpc = (td && td->network_mode == SGR_NET_AWSVPC) || (lt && !strcmp(lt, "FARGATE")) ||
                  (!td && svc->has_awsvpc_config);
    sgr_tf_strlist *hosts = sgr_strmap_get(tf->map, SGR_TFM_CLUSTER_HOSTS, svc->cluster_arn);
    int64_t n = svc->desired_count;
    if (daemon)
        n = hosts ? hosts->n : 0;
    if (n < 0) {
        sgr_tf_warn(tf, r, "desired_count is not known: one planned task assumed");
        n = 1;
    }
    if (n > MAX_TASKS)
        n = MAX_TASKS;
    if (!awsvpc && n > 0 && (!hosts || !hosts->n))
        sgr_tf_warn(tf, r, "no EC2 capacity for cluster %s in the plan: its tasks' hosts are unknown",
                    svc->cluster_arn);
    if (awsvpc && !svc->group_ids.count && n > 0) {
        const char *vpc = NULL;
        sgr_subnet *s = svc->subnet_ids.count ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SUBNET, svc->subnet_ids.items[0]) : NULL;
        vpc = s ? s->vpc_id : NULL;
        sgr_strs_add_unique(tf->a, &svc->group_ids, sgr_tf_default_group(tf, vpc));
    }
    for (int64_t k = 0; k < n; k++) {
        const char *arn = sgr_arena_printf(tf->a, "%s#task/%lld", svc->arn, (long long)k);
        sgr_task *t = sgr_tf_intern(tf, SGR_KIND_TASK, arn, sizeof *t, NULL);
        t->id = sgr_arena_printf(tf->a, "%s#task/%lld", r->address, (long long)k);
        t->cluster_arn = svc->cluster_arn;
        t->task_def_arn = svc->task_def_arn;
        t->group = sgr_arena_printf(tf->a, "service:%s", svc->name);
        t->launch_type = svc->launch_type;
        t->last_status = "RUNNING";
        t->tags = svc->tags;
        t->origin = svc->origin;
        if (awsvpc) {
            t->subnet_id = svc->subnet_ids.count ? svc->subnet_ids.items[k % svc->subnet_ids.count] : NULL;
            t->eni_id = sgr_arena_printf(tf->a, "%s#eni", arn);
            t->attachment_id = t->eni_id;
            sgr_eni *e = sgr_tf_planned_eni(tf, r, t->eni_id, t->subnet_id, svc->group_ids, svc->origin);
            e->requester_managed = true;
            e->interface_type = NULL;
            e->description = sgr_arena_printf(tf->a, "arn:aws:ecs:planned:attachment/%s", t->eni_id);
            if (svc->assign_public_ip) {
                e->public_ips = SGR_NEW(tf->a, sgr_public_ip);
                e->n_public_ips = 1; /* planned: family 0 */
            }
        } else if (hosts && hosts->n) {
            t->container_instance_arn = hosts->items[k % hosts->n];
        }
    }
}
