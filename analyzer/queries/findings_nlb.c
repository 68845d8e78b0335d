/*
 * Transparent NLBs and bridge hosts: targets that must admit the world because
 * their NLB has no security group, other bridge tasks exposed by the same host
 * rule, and broad dynamic-port ranges open between container instances.
 */
#include "queries/findings_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 16
#define DYN_LO 32768 /* the union of the kernel (32768-60999) and agent (49153-65535) defaults */
#define DYN_HI 65535

static bool is_transparent_nlb(const sgr_lb *lb)
{
    return lb && lb->type == SGR_LB_NETWORK && lb->group_ids.count == 0;
}

static bool tg_uses_lb(const sgr_target_group *tg, const sgr_lb *lb)
{
    for (uint32_t i = 0; i < tg->n_lbs; i++)
        if (tg->lbs[i] == lb)
            return true;
    for (uint32_t i = 0; lb->arn && i < tg->lb_arns.count; i++)
        if (strcmp(tg->lb_arns.items[i], lb->arn) == 0)
            return true;
    return false;
}

/* Client IP preservation as AWS applies it (AWS-FACTS §7): UDP/TCP_UDP always;
 * the attribute when dumped; else on except for ip targets with TCP/TLS. */
static bool preserves_client_ip(const sgr_target_group *tg)
{
    const char *p = tg->protocol_name ? tg->protocol_name : "";
    if (strcmp(p, "UDP") == 0 || strcmp(p, "TCP_UDP") == 0)
        return true;
    if (tg->preserve_client_ip >= 0)
        return tg->preserve_client_ip == 1;
    return !(tg->target_type && strcmp(tg->target_type, "ip") == 0);
}

static int32_t tg_proto(const sgr_target_group *tg)
{
    return tg->protocol == SGR_PROTO_UDP ? SGR_PROTO_UDP : SGR_PROTO_TCP;
}

/* One registered target, flattened: where it lives and which groups guard it. */
typedef struct ftarget {
    const char *id;
    int32_t port;
    const sgr_instance *instance; /* instance targets and bridge/host tasks */
    const sgr_eni *eni;           /* ip targets and awsvpc tasks */
    const sgr_strs *group_ids;    /* fallback: an awsvpc service's groups */
} ftarget;

static uint32_t target_groups(const sgr_fctx *c, const ftarget *t, const sgr_sg **out)
{
    uint32_t n = 0;
    if (t->instance)
        return sgr_finstance_groups(c, t->instance, out, MAX_GROUPS);
    if (t->eni) {
        for (uint32_t i = 0; i < t->eni->group_ids.count && n < MAX_GROUPS; i++) {
            const sgr_sg *g = t->eni->groups ? t->eni->groups[i] : NULL;
            if (!g)
                g = sgr_fgroup(c, t->eni->group_ids.items[i]);
            if (g)
                out[n++] = g;
        }
        return n;
    }
    for (uint32_t i = 0; t->group_ids && i < t->group_ids->count && n < MAX_GROUPS; i++) {
        const sgr_sg *g = sgr_fgroup(c, t->group_ids->items[i]);
        if (g)
            out[n++] = g;
    }
    return n;
}

static bool target_public(const ftarget *t)
{
    return sgr_finstance_public(t->instance) || sgr_feni_public(t->eni);
}

/* Host port of a bridge/host task's binding for (container, port). */
static int32_t task_host_port(const sgr_task *t, const char *container, int32_t port)
{
    for (uint32_t i = 0; i < t->n_containers; i++) {
        const sgr_task_container *tc = &t->containers[i];
        if (container && tc->name && strcmp(container, tc->name) != 0)
            continue;
        for (uint32_t b = 0; b < tc->n_bindings; b++)
            if (tc->bindings[b].container_port <= port && port <= tc->bindings[b].container_port_end &&
                tc->bindings[b].host_port > 0)
                return tc->bindings[b].host_port + (port - tc->bindings[b].container_port);
    }
    return sgr_ftask_mode(t) == SGR_NET_HOST ? port : -1;
}

/* Every target of tg: describe-target-health, then the ECS services that register into it. */
static uint32_t collect_targets(sgr_fctx *c, const sgr_target_group *tg, ftarget **out)
{
    const sgr_snapshot *s = c->snap;
    uint32_t n = 0, cap = 0;
    ftarget *v = NULL;
    for (uint32_t i = 0; i < tg->n_targets; i++) {
        const sgr_target *t = &tg->targets[i];
        v = sgr_arena_grow(c->a, v, &cap, n + 1, sizeof *v);
        ftarget *ft = &v[n++];
        memset(ft, 0, sizeof *ft);
        ft->id = t->id;
        ft->port = t->port >= 0 ? t->port : tg->port;
        ft->instance = t->instance ? t->instance : sgr_finstance(c, t->id);
        ft->eni = t->eni;
    }
    for (uint32_t k = 0; k < s->n_services; k++) {
        const sgr_service *sv = s->services[k];
        for (uint32_t l = 0; l < sv->n_lbs; l++) {
            const sgr_service_lb *sl = &sv->lbs[l];
            if (sl->target_group != tg &&
                !(sl->target_group_arn && tg->arn && strcmp(sl->target_group_arn, tg->arn) == 0))
                continue;
            for (uint32_t t = 0; t < sv->n_tasks; t++) {
                const sgr_task *task = sv->tasks[t];
                v = sgr_arena_grow(c->a, v, &cap, n + 1, sizeof *v);
                ftarget *ft = &v[n++];
                memset(ft, 0, sizeof *ft);
                ft->id = task->arn;
                if (sgr_ftask_mode(task) == SGR_NET_AWSVPC) {
                    ft->port = sl->container_port;
                    ft->eni = task->eni;
                    ft->group_ids = &sv->group_ids;
                } else {
                    ft->port = task_host_port(task, sl->container_name, sl->container_port);
                    ft->instance = sgr_ftask_instance(task);
                }
            }
        }
    }
    *out = v;
    return n;
}

static const char *rule_key(sgr_fctx *c, const sgr_sg *g, const sgr_sg_rule *r)
{
    return r->rule_id ? r->rule_id
                      : sgr_arena_printf(c->a, "%s#%u", r->egress ? "egress" : "ingress",
                                         (unsigned)(r - g->rules));
}

/* Other bridge/host tasks on the instance whose host ports the world rule opens. */
static void host_exposure(sgr_fctx *c, const sgr_lb *lb, const sgr_target_group *tg, const ftarget *targets,
                          uint32_t n_targets, const ftarget *t, const sgr_sg *g, const sgr_sg_rule *r)
{
    const sgr_snapshot *s = c->snap;
    int32_t proto = tg_proto(tg);
    if (sgr_ffind(c, sgr_arena_printf(c->a, "nlb-bridge-host-exposure:%s:%s:%s", t->instance->id, g->id,
                                      rule_key(c, g, r))))
        return; /* several targets on one host: one finding per host and rule */
    sgr_finding *f = NULL;
    char ports[512] = "";
    size_t plen = 0;
    uint32_t n_exposed = 0;
    uint32_t n_on;
    const sgr_fplaced *on = sgr_ftasks_on(c, t->instance, &n_on);
    for (uint32_t k = 0; k < n_on; k++) {
        const sgr_task *task = s->tasks[on[k].task];
        sgr_net_mode m = sgr_ftask_mode(task);
        if (m != SGR_NET_BRIDGE && m != SGR_NET_HOST && m != SGR_NET_DEFAULT)
            continue;
        int32_t seen[16];
        uint32_t n_seen = 0;
        for (uint32_t ci = 0; ci < task->n_containers; ci++) {
            const sgr_task_container *tc = &task->containers[ci];
            for (uint32_t b = 0; b < tc->n_bindings; b++) {
                const sgr_network_binding *nb = &tc->bindings[b];
                if (nb->host_port <= 0 || nb->protocol != proto || !sgr_frule_covers(r, proto, nb->host_port))
                    continue;
                /* One port bound on 0.0.0.0 and on :: is one exposure. */
                bool dup = false;
                for (uint32_t x = 0; x < n_seen; x++)
                    dup = dup || seen[x] == nb->host_port;
                if (dup)
                    continue;
                if (n_seen < 16)
                    seen[n_seen++] = nb->host_port;
                bool registered = false;
                for (uint32_t x = 0; x < n_targets; x++)
                    if (targets[x].instance == t->instance && targets[x].port == nb->host_port)
                        registered = true;
                if (registered)
                    continue;
                if (!f) {
                    bool pub = sgr_finstance_public(t->instance);
                    f = sgr_fadd(c, "nlb-bridge-host-exposure", pub ? SGR_FSEV_CRITICAL : SGR_FSEV_HIGH,
                                 "Run the services behind the NLB in awsvpc mode with their own group, or recreate "
                                 "the NLB with a security group and admit only that group on the hosts.",
                                 "%s:%s:%s", t->instance->id, g->id, rule_key(c, g, r));
                    sgr_fres(c, f, lb->name);
                    sgr_fres(c, f, tg->arn ? tg->arn : tg->name);
                    sgr_fres(c, f, t->instance->id);
                    sgr_fres(c, f, g->id);
                    sgr_frule_add_sg(c, f, g, r);
                }
                sgr_fres(c, f, task->arn);
                /* the port the task serves, its host port beside (docs/selectors.md#ports) */
                const char *pn = proto == SGR_PROTO_UDP ? "udp" : "tcp";
                char host[40] = "";
                if (nb->container_port >= 0 && nb->container_port != nb->host_port)
                    snprintf(host, sizeof host, " (host %s/%d)", pn, nb->host_port);
                if (n_exposed < 8)
                    plen += (size_t)snprintf(ports + plen, sizeof ports - plen, "%s%s on %s/%d%s", n_exposed ? ", " : "",
                                             task->service && task->service->name ? task->service->name
                                             : task->group ? task->group : task->id ? task->id : "a task",
                                             pn, host[0] ? nb->container_port : nb->host_port, host);
                n_exposed++;
                if (plen >= sizeof ports)
                    plen = sizeof ports - 1;
            }
        }
    }
    if (f)
        sgr_ftitle(c, f, "%s opens %s to %s on container instance %s for the transparent NLB %s; %u other "
                         "bridge/host task port(s) on that host are exposed the same way (%s%s)",
                   g->id, sgr_frule_ports(c->a, r), sgr_fprefix(c->a, &r->cidr), t->instance->id, lb->name,
                   (unsigned)n_exposed, ports, n_exposed > 8 ? ", ..." : "");
}

/* A target is counted once per host (an instance, or an interface): target
 * health and the ECS service both list the same task. */
static bool seen_host(const void **hosts, uint32_t *n, const ftarget *t)
{
    const void *h = t->instance ? (const void *)t->instance : (const void *)t->eni;
    if (!h)
        return false;
    for (uint32_t i = 0; i < *n; i++)
        if (hosts[i] == h)
            return true;
    hosts[(*n)++] = h;
    return false;
}

static void nlb_target_group(sgr_fctx *c, const sgr_lb *lb, const sgr_target_group *tg)
{
    if (!preserves_client_ip(tg))
        return;
    ftarget *targets;
    uint32_t n = collect_targets(c, tg, &targets);
    int32_t proto = tg_proto(tg);
    /* An index, not a pointer: host_exposure() may add findings and move the array. */
    uint32_t fidx = UINT32_MAX;
    bool pub = false;
    uint32_t open = 0, n_hosts = 0;
    const void **hosts = SGR_NEW_N(c->a, const void *, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        const ftarget *t = &targets[i];
        if (t->port <= 0)
            continue;
        const sgr_sg *groups[MAX_GROUPS];
        uint32_t ng = target_groups(c, t, groups);
        bool counted = false;
        for (uint32_t gi = 0; gi < ng; gi++) {
            const sgr_sg *g = groups[gi];
            for (uint32_t ri = 0; ri < g->n_rules; ri++) {
                const sgr_sg_rule *r = &g->rules[ri];
                if (r->egress || !sgr_frule_world(r) || !sgr_frule_covers(r, proto, t->port))
                    continue;
                if (fidx == UINT32_MAX) {
                    sgr_finding *nf = sgr_fadd(c, "nlb-open-target", SGR_FSEV_MEDIUM,
                                               "Recreate the NLB with a security group and admit only that group "
                                               "on the targets (security groups can be set only when an NLB is "
                                               "created).",
                                               "%s", tg->name ? tg->name : tg->arn);
                    fidx = c->out->count - 1;
                    sgr_fres(c, nf, lb->name);
                    sgr_fres(c, nf, tg->arn ? tg->arn : tg->name);
                }
                sgr_finding *f = &c->out->items[fidx];
                if (!counted && !seen_host(hosts, &n_hosts, t))
                    open++;
                counted = true;
                sgr_fres(c, f, t->id);
                sgr_frule_add_sg(c, f, g, r);
                pub = pub || target_public(t);
                if (t->instance)
                    host_exposure(c, lb, tg, targets, n, t, g, r);
            }
        }
    }
    if (fidx == UINT32_MAX)
        return;
    sgr_finding *f = &c->out->items[fidx];
    if (pub)
        f->severity = SGR_FSEV_HIGH;
    sgr_ftitle(c, f, "Target group %s behind the transparent internet-facing NLB %s preserves client addresses, "
                     "so %u of its target hosts admit 0.0.0.0/0 or ::/0 on the target port from every path, "
                     "not only through the NLB%s",
               tg->name ? tg->name : tg->arn, lb->name, (unsigned)open,
               pub ? "; some of them have a public address" : "");
}

static void transparent_nlbs(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    for (uint32_t k = 0; k < s->n_lbs; k++) {
        const sgr_lb *lb = s->lbs[k];
        if (!is_transparent_nlb(lb) || !lb->internet_facing || !lb->name)
            continue;
        for (uint32_t t = 0; t < s->n_target_groups; t++)
            if (tg_uses_lb(s->target_groups[t], lb))
                nlb_target_group(c, lb, s->target_groups[t]);
    }
}

static bool group_only_on_lbs(const sgr_fctx *c, const char *gid)
{
    const sgr_snapshot *s = c->snap;
    uint32_t on_lbs = 0;
    for (uint32_t k = 0; k < s->n_lbs; k++)
        for (uint32_t i = 0; i < s->lbs[k]->group_ids.count; i++)
            if (strcmp(s->lbs[k]->group_ids.items[i], gid) == 0)
                on_lbs++;
    return on_lbs > 0 && on_lbs >= sgr_fattached(c, gid);
}

/* The instances that host containers, gathered once (not a pass over every
 * container instance and task per instance): those a container instance
 * names (by pointer or by EC2 id) and those a task runs on. */
typedef struct hosts {
    const sgr_instance **v;     /* sorted by address */
    uint32_t n;
    sgr_strmap *ids;            /* EC2 ids container instances name */
} hosts;

static void hosts_init(const sgr_fctx *c, hosts *h)
{
    const sgr_snapshot *s = c->snap;
    h->v = SGR_NEW_N(c->a, const sgr_instance *, s->n_container_instances + s->n_tasks + 1);
    h->n = 0;
    h->ids = sgr_strmap_new(c->a);
    for (uint32_t k = 0; k < s->n_container_instances; k++) {
        const sgr_container_instance *ci = s->container_instances[k];
        if (ci->instance)
            h->v[h->n++] = ci->instance;
        if (ci->ec2_instance_id)
            sgr_strmap_put(h->ids, 0, ci->ec2_instance_id, (void *)1);
    }
    for (uint32_t k = 0; k < s->n_tasks; k++) {
        const sgr_instance *in = sgr_ftask_instance(s->tasks[k]);
        if (in)
            h->v[h->n++] = in;
    }
    if (h->n > 1)
        qsort(h->v, h->n, sizeof *h->v, sgr_cmp_ptr);
}

static bool hosts_containers(const hosts *h, const sgr_instance *in)
{
    if (in->container_instance)
        return true;
    if (in->id && sgr_strmap_get(h->ids, 0, in->id))
        return true;
    return bsearch(&in, h->v, h->n, sizeof *h->v, sgr_cmp_ptr) != NULL;
}

static void dynamic_ranges(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    sgr_strmap *seen = sgr_strmap_new(c->a);
    hosts h;
    hosts_init(c, &h);
    for (uint32_t k = 0; k < s->n_instances; k++) {
        const sgr_instance *in = s->instances[k];
        if (!hosts_containers(&h, in))
            continue;
        const sgr_sg *groups[MAX_GROUPS];
        uint32_t ng = sgr_finstance_groups(c, in, groups, MAX_GROUPS);
        for (uint32_t gi = 0; gi < ng; gi++) {
            const sgr_sg *g = groups[gi];
            for (uint32_t ri = 0; ri < g->n_rules; ri++) {
                const sgr_sg_rule *r = &g->rules[ri];
                int32_t lo, hi;
                if (r->egress || !sgr_frule_range(r, SGR_PROTO_TCP, &lo, &hi))
                    continue;
                int32_t olo = lo > DYN_LO ? lo : DYN_LO, ohi = hi < DYN_HI ? hi : DYN_HI;
                if (ohi - olo + 1 < 1024)
                    continue;
                /* Load balancer → dynamic ports is what bridge mode requires: not a finding. */
                if (r->peer_kind == SGR_PEER_GROUP && r->group_id && group_only_on_lbs(c, r->group_id))
                    continue;
                const char *key = rule_key(c, g, r);
                const char *fid = sgr_arena_printf(c->a, "%s:%s", g->id, key);
                uintptr_t idx = (uintptr_t)sgr_strmap_get(seen, 0, fid);
                sgr_finding *f;
                if (idx) {
                    f = &c->out->items[idx - 1];
                } else {
                    bool world = sgr_frule_world(r);
                    f = sgr_fadd(c, "bridge-dynamic-range", world ? SGR_FSEV_HIGH : SGR_FSEV_MEDIUM,
                                 "Move the services to awsvpc mode so each task has its own group and port, or "
                                 "admit the dynamic range only from the load balancers' groups.",
                                 "%s", fid);
                    sgr_ftitle(c, f, "%s admits %s from %s on container instances: the dynamic host-port "
                                     "range of bridge tasks is open between hosts, so any service reaches "
                                     "every other bridge task",
                               g->id, sgr_frule_ports(c->a, r),
                               r->peer_kind == SGR_PEER_CIDR ? sgr_fprefix(c->a, &r->cidr)
                               : r->peer_kind == SGR_PEER_GROUP ? (r->group_id ? r->group_id : "?")
                                                                : (r->prefix_list_id ? r->prefix_list_id : "?"));
                    sgr_fres(c, f, g->id);
                    sgr_frule_add_sg(c, f, g, r);
                    sgr_strmap_put(seen, 0, fid, (void *)(uintptr_t)c->out->count);
                }
                sgr_fres(c, f, in->id);
            }
        }
    }
}

void sgr_findings_nlb(sgr_fctx *c)
{
    transparent_nlbs(c);
    dynamic_ranges(c);
}
