/*
 * ECS findings: host-port conflicts, host-mode tasks, services with public
 * addresses, awsvpc task density against ENI limits, subnets running out of
 * addresses.
 */
#include "queries/findings_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ENI limits and trunked task density of common instance types.
 * Sources: EC2 User Guide "Maximum IP addresses per network interface"
 * (MaximumNetworkInterfaces) and ECS Developer Guide "Elastic network interface
 * trunking — supported instance types" (trunk 0 = trunking not supported).
 * Without trunking an instance hosts (enis - 1) awsvpc tasks: the primary ENI is the host's. */
static const struct {
    const char *type;
    int32_t enis, trunk_tasks;
} ENI_LIMITS[] = {
    {"a1.2xlarge", 4, 40},  {"a1.4xlarge", 8, 60},   {"a1.large", 3, 10},    {"a1.medium", 2, 10},
    {"a1.xlarge", 4, 20},   {"c5.12xlarge", 8, 60},  {"c5.18xlarge", 15, 120}, {"c5.24xlarge", 15, 120},
    {"c5.2xlarge", 4, 40},  {"c5.4xlarge", 8, 60},   {"c5.9xlarge", 8, 60},  {"c5.large", 3, 10},
    {"c5.xlarge", 4, 20},   {"c6i.2xlarge", 4, 40},  {"c6i.large", 3, 10},   {"c6i.xlarge", 4, 20},
    {"m5.12xlarge", 8, 60}, {"m5.16xlarge", 15, 120}, {"m5.24xlarge", 15, 120}, {"m5.2xlarge", 4, 40},
    {"m5.4xlarge", 8, 60},  {"m5.8xlarge", 8, 60},   {"m5.large", 3, 10},    {"m5.xlarge", 4, 20},
    {"m6i.2xlarge", 4, 40}, {"m6i.large", 3, 10},    {"m6i.xlarge", 4, 20},  {"r5.2xlarge", 4, 40},
    {"r5.4xlarge", 8, 60},  {"r5.large", 3, 10},     {"r5.xlarge", 4, 20},   {"t2.large", 3, 0},
    {"t2.medium", 3, 0},    {"t2.micro", 2, 0},      {"t2.small", 3, 0},     {"t3.2xlarge", 4, 0},
    {"t3.large", 3, 0},     {"t3.medium", 3, 0},     {"t3.micro", 2, 0},     {"t3.nano", 2, 0},
    {"t3.small", 3, 0},     {"t3.xlarge", 4, 0},
};

/* Tasks an instance can host in awsvpc mode; -1 when its type is not in the table. */
static int32_t awsvpc_capacity(const sgr_instance *in, bool trunk, int32_t *enis)
{
    if (!in || !in->instance_type)
        return -1;
    for (size_t i = 0; i < sizeof ENI_LIMITS / sizeof ENI_LIMITS[0]; i++)
        if (strcmp(ENI_LIMITS[i].type, in->instance_type) == 0) {
            *enis = ENI_LIMITS[i].enis;
            if (trunk && ENI_LIMITS[i].trunk_tasks > 0)
                return ENI_LIMITS[i].trunk_tasks;
            return ENI_LIMITS[i].enis - 1;
        }
    return -1;
}

static bool instance_trunked(const sgr_instance *in)
{
    return in && in->container_instance && in->container_instance->trunk_eni_id;
}

static const char *task_label(const sgr_task *t)
{
    return t->arn ? t->arn : t->id;
}

/* ------------------------------------------------------------------ host ports */

typedef struct hport {
    const sgr_instance *in;
    const sgr_task *task;
    int32_t proto, lo, hi;
    const sgr_origin *origin;
} hport;

static int cmp_hport(const void *pa, const void *pb)
{
    const hport *a = pa, *b = pb;
    int d = strcmp(a->in->id, b->in->id);
    if (d)
        return d;
    if (a->proto != b->proto)
        return a->proto < b->proto ? -1 : 1;
    if (a->lo != b->lo)
        return a->lo < b->lo ? -1 : 1;
    return strcmp(task_label(a->task) ? task_label(a->task) : "", task_label(b->task) ? task_label(b->task) : "");
}

static void add_hport(sgr_fctx *c, hport **v, uint32_t *n, uint32_t *cap, const sgr_instance *in,
                      const sgr_task *t, int32_t proto, int32_t lo, int32_t hi, const sgr_origin *o)
{
    *v = sgr_arena_grow(c->a, *v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = (hport){in, t, proto, lo, hi < lo ? lo : hi, o};
}

/* Static host ports a task holds: its recorded bindings, else its definition's mappings. */
static void task_host_ports(sgr_fctx *c, const sgr_task *t, const sgr_instance *in, hport **v, uint32_t *n,
                            uint32_t *cap)
{
    sgr_net_mode m = sgr_ftask_mode(t);
    if (m != SGR_NET_HOST && m != SGR_NET_BRIDGE && m != SGR_NET_DEFAULT)
        return;
    bool any = false;
    for (uint32_t i = 0; i < t->n_containers; i++)
        for (uint32_t b = 0; b < t->containers[i].n_bindings; b++) {
            const sgr_network_binding *nb = &t->containers[i].bindings[b];
            if (nb->host_port > 0)
                add_hport(c, v, n, cap, in, t, nb->protocol, nb->host_port, nb->host_port_end, &t->origin);
            any = true;
        }
    if (any || !t->task_def)
        return;
    for (uint32_t i = 0; i < t->task_def->n_containers; i++)
        for (uint32_t p = 0; p < t->task_def->containers[i].n_ports; p++) {
            const sgr_port_mapping *pm = &t->task_def->containers[i].ports[p];
            if (m == SGR_NET_HOST)
                add_hport(c, v, n, cap, in, t, pm->protocol, pm->container_port, pm->container_port_end, &pm->origin);
            else if (pm->host_port > 0)
                add_hport(c, v, n, cap, in, t, pm->protocol, pm->host_port, pm->host_port_end, &pm->origin);
        }
}

static void port_conflicts(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    hport *v = NULL;
    uint32_t n = 0, cap = 0;
    for (uint32_t k = 0; k < s->n_tasks; k++) {
        const sgr_instance *in = sgr_ftask_instance(s->tasks[k]);
        if (in && in->id)
            task_host_ports(c, s->tasks[k], in, &v, &n, &cap);
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_hport);
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n && v[j].in == v[i].in && v[j].proto == v[i].proto && v[j].lo <= v[i].hi; j++) {
            if (v[j].task == v[i].task)
                continue;
            int32_t port = v[j].lo;
            const char *pn = v[i].proto == SGR_PROTO_UDP ? "udp" : "tcp";
            const char *fid = sgr_arena_printf(c->a, "host-port-conflict:%s:%s/%d", v[i].in->id, pn, port);
            sgr_finding *f = sgr_ffind(c, fid);
            if (!f) {
                f = sgr_fadd(c, "host-port-conflict", SGR_FSEV_LOW,
                             "Use dynamic host ports (bridge) or awsvpc mode, or place the tasks on different "
                             "instances with a distinctInstance placement constraint.",
                             "%s:%s/%d", v[i].in->id, pn, port);
                sgr_ftitle(c, f, "Several tasks claim host port %s/%d on instance %s; only the first can bind it",
                           pn, port, v[i].in->id);
                sgr_fres(c, f, v[i].in->id);
            }
            sgr_fres(c, f, task_label(v[i].task));
            sgr_fres(c, f, task_label(v[j].task));
            sgr_frule_add(c, f, task_label(v[i].task), sgr_arena_printf(c->a, "host port %s/%d", pn, v[i].lo),
                          v[i].origin);
            sgr_frule_add(c, f, task_label(v[j].task), sgr_arena_printf(c->a, "host port %s/%d", pn, v[j].lo),
                          v[j].origin);
        }
}

/* ------------------------------------------------------------------ host mode */

static void host_mode(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    for (uint32_t k = 0; k < s->n_services; k++) {
        const sgr_service *sv = s->services[k];
        const sgr_task_def *td = sv->task_def;
        if (!td || td->network_mode != SGR_NET_HOST)
            continue;
        sgr_finding *f = sgr_fadd(c, "host-mode-loopback", SGR_FSEV_MEDIUM,
                                  "Move the service to awsvpc mode (or bridge mode) so its containers get their own "
                                  "network namespace.",
                                  "service:%s", sv->name ? sv->name : sv->arn);
        sgr_ftitle(c, f, "Service %s runs in host network mode: its containers share the instances' address and "
                         "groups and can reach services bound to the hosts' loopback interface",
                   sv->name ? sv->name : sv->arn);
        sgr_fres(c, f, sv->arn ? sv->arn : sv->name);
        sgr_fres(c, f, td->arn);
        for (uint32_t t = 0; t < sv->n_tasks; t++) {
            const sgr_instance *in = sgr_ftask_instance(sv->tasks[t]);
            sgr_fres(c, f, in ? in->id : NULL);
        }
        sgr_frule_add(c, f, td->arn, "networkMode host", &td->origin);
    }
    /* Standalone host-mode tasks (no service in the snapshot): one finding per definition. */
    for (uint32_t k = 0; k < s->n_tasks; k++) {
        const sgr_task *t = s->tasks[k];
        if (t->service || !t->task_def || t->task_def->network_mode != SGR_NET_HOST || !t->task_def->arn)
            continue;
        const char *fid = sgr_arena_printf(c->a, "host-mode-loopback:%s", t->task_def->arn);
        sgr_finding *f = sgr_ffind(c, fid);
        if (!f) {
            f = sgr_fadd(c, "host-mode-loopback", SGR_FSEV_MEDIUM,
                         "Move the task definition to awsvpc mode (or bridge mode) so its containers get their own "
                         "network namespace.",
                         "%s", t->task_def->arn);
            sgr_ftitle(c, f, "Tasks of %s run in host network mode: they share the instances' address and groups "
                             "and can reach services bound to the hosts' loopback interface",
                       t->task_def->arn);
            sgr_fres(c, f, t->task_def->arn);
            sgr_frule_add(c, f, t->task_def->arn, "networkMode host", &t->task_def->origin);
        }
        sgr_fres(c, f, task_label(t));
    }
}

/* ------------------------------------------------------------------ public addresses */

static void public_ip_services(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    for (uint32_t k = 0; k < s->n_services; k++) {
        const sgr_service *sv = s->services[k];
        if (!sv->assign_public_ip)
            continue;
        const char *name = sv->name ? sv->name : sv->arn;
        sgr_finding *f = sgr_fadd(c, "public-ip-service", SGR_FSEV_MEDIUM,
                                  "Set assignPublicIp to DISABLED and place the tasks in private subnets behind a "
                                  "load balancer, with a NAT gateway or VPC endpoints for outbound traffic.",
                                  "%s", name);
        sgr_fres(c, f, sv->arn ? sv->arn : sv->name);
        sgr_frule_add(c, f, sv->arn ? sv->arn : sv->name, "awsvpcConfiguration.assignPublicIp ENABLED", &sv->origin);
        bool world = false;
        for (uint32_t i = 0; i < sv->group_ids.count; i++) {
            const sgr_sg *g = sgr_fgroup(c, sv->group_ids.items[i]);
            sgr_fres(c, f, sv->group_ids.items[i]);
            for (uint32_t r = 0; g && r < g->n_rules; r++)
                if (!g->rules[r].egress && sgr_frule_world(&g->rules[r])) {
                    world = true;
                    sgr_frule_add_sg(c, f, g, &g->rules[r]);
                }
        }
        if (world)
            f->severity = SGR_FSEV_HIGH;
        sgr_ftitle(c, f, "Service %s gives its tasks public addresses (assignPublicIp ENABLED)%s", name,
                   world ? " and one of its groups admits 0.0.0.0/0 or ::/0: the tasks are reachable from the "
                           "internet directly"
                         : "");
    }
}

/* ------------------------------------------------------------------ ENI density */

static void eni_density(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    uint32_t *awsvpc = SGR_NEW_N(c->a, uint32_t, s->n_tasks ? s->n_tasks : 1); /* one instance's, reused */
    for (uint32_t k = 0; k < s->n_instances; k++) {
        const sgr_instance *in = s->instances[k];
        uint32_t n_on, tasks = 0;
        const sgr_fplaced *on = sgr_ftasks_on(c, in, &n_on);
        for (uint32_t t = 0; t < n_on; t++)
            if (sgr_ftask_mode(s->tasks[on[t].task]) == SGR_NET_AWSVPC)
                awsvpc[tasks++] = on[t].task;
        if (!tasks || !in->id)
            continue;
        bool trunk = instance_trunked(in);
        int32_t enis = 0, cap = awsvpc_capacity(in, trunk, &enis);
        if (cap < 0 || (int64_t)tasks <= cap)
            continue;
        sgr_finding *f = sgr_fadd(c, "eni-density", SGR_FSEV_MEDIUM,
                                  trunk ? "Use a larger instance type or spread the tasks over more instances."
                                        : "Enable ENI trunking (awsvpcTrunking) on a supported instance type, use a "
                                          "larger type, or run the service on Fargate.",
                                  "%s", in->id);
        sgr_ftitle(c, f, "Instance %s (%s, %d ENIs%s) can host %d awsvpc tasks but %u are placed on it; the rest "
                         "stay PENDING", in->id, in->instance_type, enis, trunk ? ", trunking" : ", no trunking",
                   cap, (unsigned)tasks);
        sgr_fres(c, f, in->id);
        for (uint32_t t = 0; t < tasks; t++)
            sgr_fres(c, f, task_label(s->tasks[awsvpc[t]]));
        sgr_frule_add(c, f, in->id, sgr_arena_printf(c->a, "InstanceType %s", in->instance_type), &in->origin);
    }
    /* Per cluster: desired awsvpc EC2 tasks against the capacity of its container instances. */
    for (uint32_t k = 0; k < s->n_container_instances; k++) {
        const sgr_container_instance *ci = s->container_instances[k];
        const char *cl = ci->cluster_arn;
        if (!cl || sgr_ffind(c, sgr_arena_printf(c->a, "eni-density:cluster:%s", cl)))
            continue;
        bool first = true;
        for (uint32_t j = 0; j < k; j++)
            if (s->container_instances[j]->cluster_arn && strcmp(s->container_instances[j]->cluster_arn, cl) == 0)
                first = false;
        if (!first)
            continue;
        int64_t capacity = 0, demand = 0;
        bool known = true;
        for (uint32_t j = 0; j < s->n_container_instances; j++) {
            const sgr_container_instance *o = s->container_instances[j];
            if (!o->cluster_arn || strcmp(o->cluster_arn, cl) != 0)
                continue;
            int32_t enis = 0, cap = awsvpc_capacity(o->instance, instance_trunked(o->instance), &enis);
            if (cap < 0)
                known = false;
            capacity += cap;
        }
        sgr_finding *f = NULL;
        for (uint32_t j = 0; known && j < s->n_services; j++) {
            const sgr_service *sv = s->services[j];
            if (!sv->cluster_arn || strcmp(sv->cluster_arn, cl) != 0 || !sv->task_def ||
                sv->task_def->network_mode != SGR_NET_AWSVPC || sv->desired_count <= 0 ||
                (sv->launch_type && strcmp(sv->launch_type, "EC2") != 0))
                continue;
            demand += sv->desired_count;
        }
        if (!known || demand <= capacity)
            continue;
        f = sgr_fadd(c, "eni-density", SGR_FSEV_MEDIUM,
                     "Enable ENI trunking, add or enlarge container instances, or move the services to Fargate.",
                     "cluster:%s", cl);
        sgr_ftitle(c, f, "Cluster %s wants %lld awsvpc tasks on EC2 but its container instances' ENI limits allow "
                         "%lld", cl, (long long)demand, (long long)capacity);
        sgr_fres(c, f, cl);
        for (uint32_t j = 0; j < s->n_services; j++) {
            const sgr_service *sv = s->services[j];
            if (sv->cluster_arn && strcmp(sv->cluster_arn, cl) == 0 && sv->task_def &&
                sv->task_def->network_mode == SGR_NET_AWSVPC && sv->desired_count > 0 &&
                !(sv->launch_type && strcmp(sv->launch_type, "EC2") != 0)) {
                sgr_fres(c, f, sv->arn ? sv->arn : sv->name);
                sgr_frule_add(c, f, sv->arn ? sv->arn : sv->name,
                              sgr_arena_printf(c->a, "desiredCount %d", sv->desired_count), &sv->origin);
            }
        }
    }
}

/* ------------------------------------------------------------------ subnet addresses */

static uint32_t awsvpc_users(const sgr_fctx *c, const sgr_subnet *sn)
{
    const sgr_snapshot *s = c->snap;
    uint32_t n = 0;
    for (uint32_t k = 0; k < s->n_services; k++)
        for (uint32_t i = 0; i < s->services[k]->subnet_ids.count; i++)
            if (strcmp(s->services[k]->subnet_ids.items[i], sn->id) == 0)
                n++;
    for (uint32_t k = 0; k < s->n_tasks; k++)
        if (s->tasks[k]->subnet_id && strcmp(s->tasks[k]->subnet_id, sn->id) == 0)
            n++;
    return n;
}

static void subnet_exhaustion(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    for (uint32_t k = 0; k < s->n_subnets; k++) {
        const sgr_subnet *sn = s->subnets[k];
        if (!sn->id || sn->available_ips < 0 || sn->cidr4.ip.family != SGR_AF_INET || sn->cidr4.len > 28)
            continue;
        int64_t usable = ((int64_t)1 << (32 - sn->cidr4.len)) - 5; /* AWS reserves 5 per subnet */
        if (sn->available_ips * 10 >= usable)
            continue;
        uint32_t users = awsvpc_users(c, sn);
        sgr_fsev sev = users == 0 ? SGR_FSEV_LOW : sn->available_ips == 0 ? SGR_FSEV_HIGH : SGR_FSEV_MEDIUM;
        sgr_finding *f = sgr_fadd(c, "subnet-exhaustion", sev,
                                  "Add subnets (or a secondary VPC CIDR for tasks) before task and instance launches "
                                  "fail, and spread the awsvpc services over them.",
                                  "%s", sn->id);
        sgr_ftitle(c, f, "Subnet %s (%s) has %lld of %lld usable addresses left%s", sn->id,
                   sgr_fprefix(c->a, &sn->cidr4), (long long)sn->available_ips, (long long)usable,
                   users ? "; awsvpc tasks take their addresses from it" : "");
        sgr_fres(c, f, sn->id);
        sgr_frule_add(c, f, sn->id, sgr_arena_printf(c->a, "AvailableIpAddressCount %lld", (long long)sn->available_ips),
                      &sn->origin);
    }
}

void sgr_findings_ecs(sgr_fctx *c)
{
    port_conflicts(c);
    host_mode(c);
    public_ip_services(c);
    eni_density(c);
    subnet_exhaustion(c);
}
