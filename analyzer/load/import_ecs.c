/*
 * ECS outputs: describe-tasks [tasks], describe-task-definition
 * [taskDefinition], describe-services [services], describe-container-instances
 * [containerInstances]. Timestamps are never read, so CLI v1 epoch numbers and
 * CLI v2 ISO strings load alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/import.h"

#define PATH_LEN 512

static int32_t read_proto(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    const char *p = sgr_json_str(ctx, o, "protocol", path);
    if (!p)
        return SGR_PROTO_TCP;
    int32_t n = sgr_parse_protocol(p);
    if (n != SGR_PROTO_TCP && n != SGR_PROTO_UDP) {
        sgr_import_warn(ctx, o, path, "protocol \"%s\" is neither tcp nor udp; taken as tcp", p);
        return SGR_PROTO_TCP;
    }
    return n;
}

/* "8000-8010" (or "8000") → [lo, hi]; false if malformed. */
static bool parse_range(const char *s, int32_t *lo, int32_t *hi)
{
    if (!s)
        return false;
    char *end;
    long a = strtol(s, &end, 10);
    long b = a;
    if (end == s)
        return false;
    if (*end == '-') {
        const char *t = end + 1;
        b = strtol(t, &end, 10);
        if (end == t)
            return false;
    }
    if (*end || a < 1 || b > 65535 || a > b)
        return false;
    *lo = (int32_t)a;
    *hi = (int32_t)b;
    return true;
}

static bool read_mapping(sgr_import_ctx *ctx, const json_t *m, const char *path, bool bridge,
                         sgr_port_mapping *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(m)) {
        sgr_import_warn(ctx, ctx->doc, path, "expected a port mapping object; skipped");
        return false;
    }
    out->origin = sgr_import_origin(ctx, m, "%s", path);
    out->protocol = read_proto(ctx, m, path);
    bool ok;
    const char *range = sgr_json_str(ctx, m, "containerPortRange", path);
    if (range) {
        if (!parse_range(range, &out->container_port, &out->container_port_end)) {
            sgr_import_warn(ctx, m, path, "invalid containerPortRange \"%s\"; mapping skipped", range);
            return false;
        }
    } else {
        int64_t cp = sgr_json_int(ctx, m, "containerPort", path, 1, 65535, -1, &ok);
        if (!ok)
            return false;
        if (cp < 0) {
            sgr_import_warn(ctx, m, path, "no containerPort; mapping skipped");
            return false;
        }
        out->container_port = out->container_port_end = (int32_t)cp;
    }
    int64_t hp = sgr_json_int(ctx, m, "hostPort", path, 0, 65535, -1, &ok);
    if (!ok)
        return false;
    /* bridge: absent or 0 is a dynamic host port (0); a range is always dynamic.
     * awsvpc/host: absent is -1 (the container port itself). */
    if (bridge)
        out->host_port = (range || hp < 0) ? 0 : (int32_t)hp;
    else
        out->host_port = hp <= 0 ? -1 : (int32_t)hp;
    out->host_port_end = out->host_port;
    if (out->host_port > 0 && out->container_port_end > out->container_port)
        out->host_port_end = out->host_port + (out->container_port_end - out->container_port);
    return true;
}

/* A mapping that could not be read: which ports the task definition
 * publishes is not all known (the first reason is kept). */
static void ports_damaged(sgr_import_ctx *ctx, sgr_task_def *td, const json_t *at, const char *path)
{
    if (!td->ports_unknown_why)
        td->ports_unknown_why = sgr_import_why(ctx, at, path, "the port mappings of task definition %s could not all be read",
                                               td->arn);
}

static void import_task_def(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_task_def *td = SGR_IMPORT_OBJECT(ctx, o, path, "taskDefinitionArn", SGR_KIND_TASK_DEF, sgr_task_def, NULL);
    if (!td)
        return;
    sgr_json_set_str(ctx, o, "family", path, &td->family);
    bool ok;
    td->revision = (int32_t)sgr_json_int(ctx, o, "revision", path, 0, INT32_MAX, td->revision, &ok);
    const char *mode = sgr_json_str(ctx, o, "networkMode", path);
    td->network_mode = SGR_NET_BRIDGE;
    td->network_mode_given = mode != NULL;
    if (mode) {
        if (strcmp(mode, "awsvpc") == 0)
            td->network_mode = SGR_NET_AWSVPC;
        else if (strcmp(mode, "host") == 0)
            td->network_mode = SGR_NET_HOST;
        else if (strcmp(mode, "none") == 0)
            td->network_mode = SGR_NET_NONE;
        else if (strcmp(mode, "default") == 0)
            td->network_mode = SGR_NET_DEFAULT;
        else if (strcmp(mode, "bridge") != 0)
            sgr_import_warn(ctx, o, path, "unknown networkMode \"%s\"; taken as bridge", mode);
    }
    sgr_json_set_strs(ctx, o, "requiresCompatibilities", path, &td->compatibilities);
    bool bridge = td->network_mode == SGR_NET_BRIDGE || td->network_mode == SGR_NET_DEFAULT;
    const json_t *defs;
    char p[PATH_LEN], mp[PATH_LEN];
    sgr_pathf(p, sizeof p, "%s.containerDefinitions", path);
    if (!sgr_json_list_field(ctx, o, "containerDefinitions", path, &defs)) {
        ports_damaged(ctx, td, o, p);
        return;
    }
    if (!defs)
        return;
    size_t n = json_array_size(defs);
    td->containers = SGR_NEW_N(ctx->snap->arena, sgr_container_def, n + 1);
    td->n_containers = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *c = json_array_get(defs, i);
        sgr_pathf(p, sizeof p, "%s.containerDefinitions[%zu]", path, i);
        if (!json_is_object(c)) {
            sgr_import_warn(ctx, defs, p, "expected a container definition; skipped");
            ports_damaged(ctx, td, defs, p);
            continue;
        }
        sgr_container_def *cd = &td->containers[td->n_containers++];
        cd->name = sgr_json_str(ctx, c, "name", p);
        const json_t *pms;
        sgr_pathf(mp, sizeof mp, "%s.portMappings", p);
        if (!sgr_json_list_field(ctx, c, "portMappings", p, &pms))
            ports_damaged(ctx, td, c, mp);
        if (!pms)
            continue;
        cd->ports = SGR_NEW_N(ctx->snap->arena, sgr_port_mapping, json_array_size(pms) + 1);
        for (size_t k = 0; k < json_array_size(pms); k++) {
            sgr_pathf(mp, sizeof mp, "%s.portMappings[%zu]", p, k);
            if (read_mapping(ctx, json_array_get(pms, k), mp, bridge, &cd->ports[cd->n_ports]))
                cd->n_ports++;
            else
                ports_damaged(ctx, td, c, mp);
        }
    }
}

/* One binding of a running container; false when it could not be read (warned). */
static bool read_binding(sgr_import_ctx *ctx, const json_t *b, const char *path, sgr_task_container *tc)
{
    if (!json_is_object(b)) {
        sgr_import_warn(ctx, ctx->doc, path, "expected a network binding object");
        return false;
    }
    sgr_network_binding nb = {0};
    bool ok;
    const char *bind = sgr_json_str(ctx, b, "bindIP", path);
    if (bind && !sgr_parse_ip(bind, &nb.bind_ip))
        sgr_import_warn(ctx, b, path, "invalid bindIP \"%.60s\"", bind);
    nb.protocol = read_proto(ctx, b, path);
    const char *cr = sgr_json_str(ctx, b, "containerPortRange", path);
    const char *hr = sgr_json_str(ctx, b, "hostPortRange", path);
    if (cr || hr) {
        if ((cr && !parse_range(cr, &nb.container_port, &nb.container_port_end)) ||
            (hr && !parse_range(hr, &nb.host_port, &nb.host_port_end)) || !cr || !hr) {
            sgr_import_warn(ctx, b, path, "invalid containerPortRange/hostPortRange; binding skipped");
            return false;
        }
    } else {
        nb.container_port = nb.container_port_end =
            (int32_t)sgr_json_int(ctx, b, "containerPort", path, 0, 65535, -1, &ok);
        if (!ok)
            return false;
        nb.host_port = nb.host_port_end = (int32_t)sgr_json_int(ctx, b, "hostPort", path, 0, 65535, -1, &ok);
        if (!ok)
            return false;
        if (nb.host_port < 0) {
            sgr_import_warn(ctx, b, path, "network binding without hostPort; skipped");
            return false;
        }
    }
    tc->bindings[tc->n_bindings++] = nb;
    return true;
}

static const char *last_component(sgr_import_ctx *ctx, const char *arn)
{
    const char *slash = strrchr(arn, '/');
    return sgr_intern(ctx->snap, slash ? slash + 1 : arn);
}

static void read_attachment(sgr_import_ctx *ctx, sgr_task *t, const json_t *a, const char *path)
{
    const char *type = sgr_json_str(ctx, a, "type", path);
    if (!type || (strcmp(type, "ElasticNetworkInterface") != 0 && strcmp(type, "eni") != 0))
        return; /* Service Connect, EBS volumes, … */
    const char *status = sgr_json_str(ctx, a, "status", path);
    if (status && (strcmp(status, "DELETED") == 0 || strcmp(status, "DELETING") == 0) && t->eni_id)
        return; /* an older attachment than the one already read */
    t->attachment_id = sgr_json_str(ctx, a, "id", path);
    const json_t *details = json_object_get(a, "details");
    char p[PATH_LEN];
    for (size_t i = 0; i < json_array_size(details); i++) {
        const json_t *d = json_array_get(details, i);
        sgr_pathf(p, sizeof p, "%s.details[%zu]", path, i);
        const char *name = sgr_json_str(ctx, d, "name", p);
        if (!name)
            continue;
        if (strcmp(name, "networkInterfaceId") == 0)
            t->eni_id = sgr_json_str(ctx, d, "value", p);
        else if (strcmp(name, "subnetId") == 0)
            t->subnet_id = sgr_json_str(ctx, d, "value", p);
        else if (strcmp(name, "privateIPv4Address") == 0) {
            sgr_ip ip;
            if (sgr_json_ip(ctx, d, "value", p, &ip))
                t->private_ip = ip;
        }
    }
}

static void import_task(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_task *t = SGR_IMPORT_OBJECT(ctx, o, path, "taskArn", SGR_KIND_TASK, sgr_task, NULL);
    if (!t)
        return;
    t->id = last_component(ctx, t->arn);
    sgr_json_set_str(ctx, o, "clusterArn", path, &t->cluster_arn);
    sgr_json_set_str(ctx, o, "taskDefinitionArn", path, &t->task_def_arn);
    sgr_json_set_str(ctx, o, "group", path, &t->group);
    sgr_json_set_str(ctx, o, "launchType", path, &t->launch_type);
    sgr_json_set_str(ctx, o, "lastStatus", path, &t->last_status);
    sgr_json_set_str(ctx, o, "containerInstanceArn", path, &t->container_instance_arn);
    char p[PATH_LEN];
    const json_t *atts = json_object_get(o, "attachments");
    for (size_t i = 0; i < json_array_size(atts); i++) {
        sgr_pathf(p, sizeof p, "%s.attachments[%zu]", path, i);
        read_attachment(ctx, t, json_array_get(atts, i), p);
    }
    /* A binding that cannot be read may be the one that publishes a port:
     * then none of the task's is used, and its host ports come from its task
     * definition, dynamic ones unknown (as for a task whose bindings the dump
     * does not record). */
    bool bindings_damaged = false;
    const json_t *cs;
    if (!sgr_json_list_field(ctx, o, "containers", path, &cs))
        bindings_damaged = true;
    if (cs) {
        size_t n = json_array_size(cs);
        t->containers = SGR_NEW_N(ctx->snap->arena, sgr_task_container, n + 1);
        t->n_containers = 0;
        for (size_t i = 0; i < n; i++) {
            const json_t *c = json_array_get(cs, i);
            sgr_pathf(p, sizeof p, "%s.containers[%zu]", path, i);
            if (!json_is_object(c)) {
                sgr_import_warn(ctx, cs, p, "expected a container object");
                bindings_damaged = true;
                continue;
            }
            sgr_task_container *tc = &t->containers[t->n_containers++];
            tc->name = sgr_json_str(ctx, c, "name", p);
            const json_t *nbs;
            if (!sgr_json_list_field(ctx, c, "networkBindings", p, &nbs))
                bindings_damaged = true;
            tc->bindings = SGR_NEW_N(ctx->snap->arena, sgr_network_binding, json_array_size(nbs) + 1);
            char bp[PATH_LEN];
            for (size_t k = 0; k < json_array_size(nbs); k++) {
                sgr_pathf(bp, sizeof bp, "%s.networkBindings[%zu]", p, k);
                if (!read_binding(ctx, json_array_get(nbs, k), bp, tc))
                    bindings_damaged = true;
            }
            const json_t *nis = json_object_get(c, "networkInterfaces");
            for (size_t k = 0; k < json_array_size(nis); k++) {
                sgr_pathf(bp, sizeof bp, "%s.networkInterfaces[%zu]", p, k);
                sgr_ip ip;
                if (sgr_json_ip(ctx, json_array_get(nis, k), "privateIpv4Address", bp, &ip)) {
                    tc->private_ip = ip;
                    break;
                }
            }
        }
    }
    t->bindings_unread |= bindings_damaged;
    if (t->bindings_unread)
        for (uint32_t i = 0; i < t->n_containers; i++)
            t->containers[i].n_bindings = 0;
    sgr_json_set_tags(ctx, o, "tags", path, &t->tags, NULL);
}

static void import_service(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_service *s = SGR_IMPORT_OBJECT(ctx, o, path, "serviceArn", SGR_KIND_SERVICE, sgr_service, NULL);
    if (!s)
        return;
    sgr_json_set_str(ctx, o, "serviceName", path, &s->name);
    sgr_json_set_str(ctx, o, "clusterArn", path, &s->cluster_arn);
    sgr_json_set_str(ctx, o, "taskDefinition", path, &s->task_def_arn);
    sgr_json_set_str(ctx, o, "launchType", path, &s->launch_type);
    if (!s->name)
        s->name = last_component(ctx, s->arn);
    bool ok;
    int64_t dc = sgr_json_int(ctx, o, "desiredCount", path, 0, INT32_MAX, -1, &ok);
    if (dc >= 0)
        s->desired_count = (int32_t)dc;
    char p[PATH_LEN];
    const json_t *av = json_object_get(json_object_get(o, "networkConfiguration"), "awsvpcConfiguration");
    sgr_pathf(p, sizeof p, "%s.networkConfiguration.awsvpcConfiguration", path);
    if (av && !json_is_object(av)) {
        sgr_import_warn(ctx, o, p, "expected an object, not %s", sgr_json_kind(av));
        if (!s->groups_unknown_why)
            s->groups_unknown_why = sgr_import_why(ctx, o, p, "the security groups of service %s could not be read", s->name);
    }
    if (json_is_object(av)) {
        s->has_awsvpc_config = true;
        s->subnet_ids = sgr_json_strs(ctx, av, "subnets", p);
        if (!sgr_json_strs_read(ctx, av, "securityGroups", p, &s->group_ids) && !s->groups_unknown_why)
            s->groups_unknown_why = sgr_import_why(ctx, av, p, "the security groups of service %s could not all be read", s->name);
        const char *pub = sgr_json_str(ctx, av, "assignPublicIp", p);
        s->assign_public_ip = pub && strcmp(pub, "ENABLED") == 0;
    }
    const json_t *lbs = json_object_get(o, "loadBalancers");
    if (json_is_array(lbs)) {
        size_t n = json_array_size(lbs);
        s->lbs = SGR_NEW_N(ctx->snap->arena, sgr_service_lb, n + 1);
        s->n_lbs = 0;
        for (size_t i = 0; i < n; i++) {
            const json_t *l = json_array_get(lbs, i);
            sgr_pathf(p, sizeof p, "%s.loadBalancers[%zu]", path, i);
            if (!json_is_object(l))
                continue;
            sgr_service_lb *sl = &s->lbs[s->n_lbs];
            sl->target_group_arn = sgr_json_str(ctx, l, "targetGroupArn", p);
            sl->lb_name = sgr_json_str(ctx, l, "loadBalancerName", p);
            sl->container_name = sgr_json_str(ctx, l, "containerName", p);
            sl->container_port = (int32_t)sgr_json_int(ctx, l, "containerPort", p, 0, 65535, -1, &ok);
            if (ok)
                s->n_lbs++;
        }
    }
    sgr_json_set_tags(ctx, o, "tags", path, &s->tags, NULL);
}

static void import_container_instance(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_container_instance *ci = SGR_IMPORT_OBJECT(ctx, o, path, "containerInstanceArn", SGR_KIND_CONTAINER_INSTANCE, sgr_container_instance, NULL);
    if (!ci)
        return;
    sgr_json_set_str(ctx, o, "ec2InstanceId", path, &ci->ec2_instance_id);
    sgr_json_set_str(ctx, o, "clusterArn", path, &ci->cluster_arn);
    /* describe-container-instances prints no cluster; the new ARN format names
     * it: arn:aws:ecs:REGION:ACCOUNT:container-instance/CLUSTER/ID. */
    const char *ci_part = strstr(ci->arn, ":container-instance/");
    if (ci_part && !ci->cluster_arn) {
        const char *cl = ci_part + strlen(":container-instance/");
        const char *slash = strchr(cl, '/');
        if (slash && slash > cl)
            ci->cluster_arn = sgr_intern(ctx->snap, sgr_arena_printf(ctx->snap->arena, "%.*s:cluster/%.*s",
                                                                     (int)(ci_part - ci->arn), ci->arn,
                                                                     (int)(slash - cl), cl));
    }
    const json_t *attrs = json_object_get(o, "attributes");
    char p[PATH_LEN];
    for (size_t i = 0; i < json_array_size(attrs); i++) {
        const json_t *a = json_array_get(attrs, i);
        sgr_pathf(p, sizeof p, "%s.attributes[%zu]", path, i);
        const char *name = sgr_json_str(ctx, a, "name", p);
        if (name && strcmp(name, "ecs.awsvpc-trunk-id") == 0)
            ci->trunk_eni_id = sgr_json_str(ctx, a, "value", p);
    }
}

sgr_element_importer sgr_ecs_element_importer(const char *key)
{
    return strcmp(key, "tasks") == 0                ? import_task
           : strcmp(key, "services") == 0           ? import_service
           : strcmp(key, "containerInstances") == 0 ? import_container_instance
                                                    : NULL;
}

void sgr_import_ecs(sgr_import_ctx *ctx, const char *key, json_t *value, json_t *doc)
{
    if (strcmp(key, "taskDefinition") == 0) {
        if (json_is_object(value))
            import_task_def(ctx, value, "$.taskDefinition");
        else
            sgr_import_warn(ctx, doc, "$.taskDefinition", "expected an object; ignored");
        return;
    }
    sgr_element_importer fn = sgr_ecs_element_importer(key);
    char path[PATH_LEN];
    sgr_pathf(path, sizeof path, "$.%s", key);
    if (!sgr_json_expect_array(ctx, value, path))
        return;
    for (size_t i = 0; i < json_array_size(value); i++) {
        sgr_pathf(path, sizeof path, "$.%s[%zu]", key, i);
        fn(ctx, json_array_get(value, i), path);
    }
}
