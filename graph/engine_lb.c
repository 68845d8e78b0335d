/*
 * Load balancers as relays: client → listener (the LB's groups if it has any,
 * its subnets' ACLs) → every registered target on its registered port. ALB and
 * classic ELB are proxies: the target sees the LB's private address and
 * groups. An NLB is transparent: with client IP preservation the target sees
 * the client's address (and may still reference the NLB's group).
 */
#include "engine.h"

#include <stdio.h>
#include <string.h>

/* Whether a protocol's client IP preservation cannot be turned off. */
static bool preservation_forced(const sgr_target_group *tg)
{
    if (tg->protocol == SGR_PROTO_UDP)
        return true;
    static const char *const forced[] = {"UDP", "TCP_UDP", "QUIC", "TCP_QUIC"};
    for (size_t i = 0; tg->protocol_name && i < sizeof forced / sizeof *forced; i++)
        if (strcmp(tg->protocol_name, forced[i]) == 0)
            return true;
    return false;
}

/* NLB "Edit target group attributes for your Network Load Balancer": client IP
 * preservation is on, and cannot be turned off, for UDP, TCP_UDP, QUIC and
 * TCP_QUIC groups of both target types; for TCP and TLS groups of both types
 * preserve_client_ip.enabled decides, by default on for instance targets and
 * off for ip targets. (SPEC §2 once said "always for instance targets".) */
bool sgr_lb_preserves(const sgr_lb *lb, const sgr_target_group *tg, const char **assumption, sgr_arena *a)
{
    *assumption = NULL;
    if (lb->type != SGR_LB_NETWORK)
        return false;
    const char *tt = tg && tg->target_type ? tg->target_type : "instance";
    if (!tg || strcmp(tt, "alb") == 0)
        return true; /* an ALB target sees the NLB's clients as before */
    if (preservation_forced(tg))
        return true;
    if (tg->preserve_client_ip >= 0)
        return tg->preserve_client_ip == 1;
    bool instance = strcmp(tt, "ip") != 0;
    *assumption = sgr_arena_printf(a, "target group %s: preserve_client_ip.enabled is not in the snapshot; the AWS default "
                                      "for TCP/TLS %s targets is assumed (%s)",
                                   tg->name ? tg->name : tg->arn, instance ? "instance" : "ip", instance ? "enabled" : "disabled");
    return instance;
}

/* With preservation on, an IPv6 client reaching an IPv4 target group arrives
 * from the load balancer's IPv4 address (the table "When client IP
 * preservation is enabled" of the same page). */
bool sgr_lb_preserves_for(const sgr_lb *lb, const sgr_target_group *tg, int client_family, const char **assumption,
                          sgr_arena *a)
{
    bool on = sgr_lb_preserves(lb, tg, assumption, a);
    bool ipv6_group = tg && tg->ip_address_type && strcmp(tg->ip_address_type, "ipv6") == 0;
    if (on && client_family == SGR_AF_INET6 && !ipv6_group)
        return false;
    return on;
}

static bool listener_of(const sgr_listener *l, const sgr_lb *lb)
{
    return l->lb == lb || (l->lb_arn && lb->arn && strcmp(l->lb_arn, lb->arn) == 0);
}

static bool listener_proto(const sgr_listener *l, int32_t proto)
{
    if (l->protocol_name && strcmp(l->protocol_name, "TCP_UDP") == 0)
        return proto == SGR_PROTO_TCP || proto == SGR_PROTO_UDP;
    return l->protocol == proto || (l->protocol == 0 && proto == SGR_PROTO_TCP);
}

static void add_target(sgr_target_ep **v, uint32_t *n, uint32_t *cap, sgr_arena *a, const sgr_epx *ep, int32_t port,
                       const sgr_target_group *tgp, const char *tg, const char *id)
{
    for (uint32_t i = 0; i < *n; i++)
        if ((*v)[i].ep == ep && (*v)[i].port == port)
            return;
    if (*n == *cap)
        *v = sgr_arena_grow(a, *v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = (sgr_target_ep){ep, port, tg, tgp, id, port, false, NULL};
}

/* A target whose far end is not in the snapshot: `why` says what is missing. */
static void add_unsure_target(sgr_target_ep **v, uint32_t *n, uint32_t *cap, sgr_arena *a, const sgr_epx *ep,
                              int32_t port, const sgr_target_group *tgp, const char *tg, const char *id, const char *why)
{
    uint32_t before = *n;
    add_target(v, n, cap, a, ep, port, tgp, tg, id);
    if (*n > before)
        (*v)[*n - 1].unsure = why;
}

/* The host port a bridge/host task uses for container port cport (-1 none). */
static int32_t task_host_port(const sgr_task *t, sgr_net_mode mode, int32_t cport)
{
    if (mode != SGR_NET_BRIDGE && mode != SGR_NET_DEFAULT)
        return cport;
    for (uint32_t c = 0; c < t->n_containers; c++)
        for (uint32_t b = 0; b < t->containers[c].n_bindings; b++) {
            const sgr_network_binding *nb = &t->containers[c].bindings[b];
            int32_t end = nb->container_port_end > nb->container_port ? nb->container_port_end : nb->container_port;
            if (cport >= nb->container_port && cport <= end)
                return nb->host_port + (cport - nb->container_port);
        }
    return -1;
}

/* Tasks bound to an instance's interface (bridge, host) that serve host port `port`. */
static void instance_tasks(const sgr_graph *g, const sgr_eni *eni, int32_t port, sgr_target_ep **v, uint32_t *n,
                           uint32_t *cap, sgr_arena *a, const sgr_target_group *tgp, const char *tg, const char *id)
{
    const sgr_ep_list *l = sgr_engine_eni_tasks(g, eni);
    for (uint32_t i = 0; l && i < l->n; i++) {
        const sgr_epx *x = l->v[i];
        const sgr_task *t = x->pub.task;
        bool serves = x->pub.mode == SGR_NET_HOST;
        for (uint32_t c = 0; c < t->n_containers && !serves; c++)
            for (uint32_t b = 0; b < t->containers[c].n_bindings; b++) {
                const sgr_network_binding *nb = &t->containers[c].bindings[b];
                int32_t end = nb->host_port_end > nb->host_port ? nb->host_port_end : nb->host_port;
                if (port >= nb->host_port && port <= end)
                    serves = true;
            }
        if (serves)
            add_target(v, n, cap, a, x, port, tgp, tg, id);
    }
}

static const sgr_eni *eni_by_ip(const sgr_graph *g, const sgr_ip *ip, const char *vpc_id)
{
    const sgr_eni *e = sgr_engine_eni_by_ip(g, ip, vpc_id);
    if (!e && vpc_id) {
        e = sgr_engine_eni_by_ip(g, ip, NULL);
        if (e && e->vpc_id)
            e = NULL; /* only an interface of unknown VPC matches any VPC */
    }
    return e;
}

/* Whether ip is inside one of the CIDRs of VPC vpc_id (unknown VPC: no). */
static bool in_vpc(const sgr_graph *g, const char *vpc_id, const sgr_ip *ip)
{
    const sgr_vpc *v = vpc_id ? sgr_strmap_get(g->map, TAG_VPC, vpc_id) : NULL;
    for (uint32_t k = 0; v && k < v->n_cidrs; k++)
        if (sgr_prefix_contains(&v->cidrs[k], ip))
            return true;
    return false;
}

/* A reason the targets behind a listener are not all known: each makes the
 * paths through it `unknown` where no known target decides. */
static void add_missing(sgr_arena *a, const char ***missing, uint32_t *n_missing, const char *why)
{
    *missing = sgr_arena_grow(a, *missing, &(uint32_t){*n_missing}, *n_missing + 1, sizeof **missing);
    (*missing)[(*n_missing)++] = why;
}

bool sgr_lb_target_addr(const sgr_target *t, sgr_ip *ip)
{
    *ip = t->addr;
    return t->addr.family != 0;
}

const sgr_eni *sgr_lb_ip_target_eni(const sgr_graph *g, const sgr_target_group *tg, const sgr_target *t)
{
    sgr_ip ip;
    if (t->eni || !sgr_lb_target_addr(t, &ip))
        return t->eni;
    const sgr_eni *e = eni_by_ip(g, &ip, tg->vpc_id);
    /* an address outside the group's VPC (a peered VPC, over a transit
     * gateway, on premises; AvailabilityZone "all"): the interface that has it
     * anywhere in the estate, reached by the node's routed leg (ELB API
     * TargetDescription: "If the IP address is outside the VPC, this parameter
     * is required") */
    if (!e && !in_vpc(g, tg->vpc_id, &ip))
        e = sgr_engine_eni_by_ip(g, &ip, NULL);
    return e;
}

/* The endpoint of the primary interface whose attachment names an instance
 * the snapshot does not describe (describe-network-interfaces without
 * describe-instances for it), or NULL. */
static const sgr_epx *undescribed_instance_eni(const sgr_graph *g, const char *instance_id)
{
    const sgr_snapshot *s = g->snap;
    for (uint32_t i = 0; instance_id && i < s->n_enis; i++) {
        const sgr_eni *e = s->enis[i];
        if (!e->instance && e->attached_instance && e->device_index == 0 && e->id &&
            strcmp(e->attached_instance, instance_id) == 0)
            return sgr_engine_ep(g, TAG_EP_ENI, e->id);
    }
    return NULL;
}

static void tg_targets(const sgr_graph *g, const sgr_target_group *tg, sgr_target_ep **v, uint32_t *n, uint32_t *cap,
                       sgr_arena *a, const char ***missing, uint32_t *n_missing)
{
    const char *tgname = tg->name ? tg->name : tg->arn;
    bool from_service = false;
    const sgr_ep_list *l = sgr_engine_tg_tasks(g, tg);
    for (uint32_t i = 0; l && i < l->n; i++) {
        const sgr_epx *x = l->v[i];
        const sgr_service_lb *sl = &x->pub.task->service->lbs[l->k[i]];
        from_service = true;
        int32_t hp = task_host_port(x->pub.task, x->pub.mode, sl->container_port);
        if (hp > 0) {
            add_target(v, n, cap, a, x, hp, tg, tgname, x->pub.id);
        } else if ((x->pub.mode == SGR_NET_BRIDGE || x->pub.mode == SGR_NET_DEFAULT) && x->pub.task->n_containers == 0) {
            /* a task without recorded bindings (planned): the task definition's
             * mapping, a dynamic host port when hostPort is 0 */
            int32_t lo, hi;
            bool forall;
            const char *why;
            int32_t proto = tg->protocol ? tg->protocol : SGR_PROTO_TCP;
            if (sl->container_port > 0 && sgr_served_ports(g, x, proto, sl->container_port, &lo, &hi, &forall, &why, a)) {
                add_target(v, n, cap, a, x, lo, tg, tgname, x->pub.id);
                if (hi > lo) {
                    (*v)[*n - 1].port_hi = hi;
                    (*v)[*n - 1].forall = forall;
                }
            }
        }
    }
    if (tg->targets_unknown_why) {
        /* an entry that could not be read may be any target, one registered
         * by hand beside a service's tasks too; the entries read still count */
        add_missing(a, missing, n_missing,
                    sgr_arena_printf(a, "the registered targets of target group %s are unknown: %s", tgname, tg->targets_unknown_why));
    } else if (!tg->targets_known) {
        if (!from_service)
            add_missing(a, missing, n_missing,
                        sgr_arena_printf(a, "target group %s has no target health in the snapshot: its registered targets are unknown", tgname));
        return;
    }
    for (uint32_t i = 0; i < tg->n_targets; i++) {
        const sgr_target *t = &tg->targets[i];
        int32_t port = t->port >= 0 ? t->port : tg->port;
        const char *tt = tg->target_type ? tg->target_type : "instance";
        if (strcmp(tt, "instance") == 0) {
            const sgr_instance *in = t->instance ? t->instance : sgr_strmap_get(g->map, TAG_INSTANCE, t->id ? t->id : "");
            if (!in || !in->primary_eni) {
                /* registered, but not described: never dropped in silence. The
                 * interface whose attachment names it (describe-network-interfaces
                 * lists it even when describe-instances does not) is where the
                 * load balancer sends, what answers there unknown. */
                const char *why = sgr_arena_printf(a, "instance %s, registered in target group %s, is not in the snapshot",
                                                   t->id ? t->id : "(no Id)", tgname);
                const sgr_epx *x = in ? NULL : undescribed_instance_eni(g, t->id);
                if (x) {
                    uint32_t first = *n;
                    add_target(v, n, cap, a, x, port, tg, tgname, t->id);
                    instance_tasks(g, x->pub.eni, port, v, n, cap, a, tg, tgname, t->id);
                    for (uint32_t k = first; k < *n; k++)
                        (*v)[k].unsure = why;
                } else {
                    add_missing(a, missing, n_missing, why);
                }
                continue;
            }
            const sgr_epx *x = sgr_engine_ep(g, TAG_EP_ENI, in->primary_eni->id);
            if (x)
                add_target(v, n, cap, a, x, port, tg, tgname, t->id);
            instance_tasks(g, in->primary_eni, port, v, n, cap, a, tg, tgname, t->id);
        } else if (strcmp(tt, "ip") == 0) {
            const sgr_eni *e = sgr_lb_ip_target_eni(g, tg, t);
            const sgr_endpoint *ep = e ? sgr_graph_endpoint_for(g, SGR_EP_ENI, e) : NULL;
            if (e) {
                if (ep)
                    add_target(v, n, cap, a, (const sgr_epx *)ep, port, tg, tgname, t->id);
                continue;
            }
            /* An address no interface of the snapshot has (on premises, a VPC
             * not collected) is never dropped: the target is the address
             * itself, built with the graph (sgr_graph_build), so the node's
             * leg to it is routed and filtered on the LB's side; what answers
             * beyond it is unknown. ELB "Target groups for your Network Load
             * Balancers", Target type ip. */
            sgr_ip ip;
            if (sgr_lb_target_addr(t, &ip)) {
                sgr_prefix pf = {.ip = ip, .len = ip.family == SGR_AF_INET ? 32 : 128};
                ep = sgr_strmap_get(g->map, TAG_EP_CIDR, sgr_prefix_str(a, &pf));
            }
            const char *why = sgr_arena_printf(a, "target %s of %s is in no snapshot", t->id ? t->id : "(no Id)", tgname);
            if (ep)
                add_unsure_target(v, n, cap, a, (const sgr_epx *)ep, port, tg, tgname, t->id, why);
            else
                add_missing(a, missing, n_missing, why);
        }
    }
}

static uint32_t lb_targets(const sgr_graph *g, const sgr_lb *lb, const sgr_listener *l, int32_t classic_port,
                           sgr_target_ep **out, sgr_arena *a, const char ***missing, uint32_t *n_missing);

/* Targets of one listener, computed once per graph: every `can` and every
 * whole-estate question asks for them again. */
typedef struct targets_memo {
    sgr_target_ep *tv;
    uint32_t nt;
    const char **missing;
    uint32_t n_missing;
} targets_memo;

uint32_t sgr_lb_targets(const sgr_graph *g, const sgr_lb *lb, const sgr_listener *l, int32_t classic_port,
                        sgr_target_ep **out, sgr_arena *a, const char ***missing, uint32_t *n_missing)
{
    char key[96];
    snprintf(key, sizeof key, "%p|%p|%d", (const void *)lb, (const void *)l, (int)classic_port);
    targets_memo *m = sgr_strmap_get(g->map, TAG_IDX_TARGETS, key);
    if (!m) {
        m = SGR_NEW(g->arena, targets_memo);
        m->nt = lb_targets(g, lb, l, classic_port, &m->tv, g->arena, &m->missing, &m->n_missing);
        sgr_strmap_put(g->map, TAG_IDX_TARGETS, sgr_arena_strdup(g->arena, key), m);
    }
    for (uint32_t i = 0; i < m->n_missing; i++) {
        add_missing(a, missing, n_missing, m->missing[i]);
    }
    *out = m->tv;
    return m->nt;
}

static uint32_t lb_targets(const sgr_graph *g, const sgr_lb *lb, const sgr_listener *l, int32_t classic_port,
                           sgr_target_ep **out, sgr_arena *a, const char ***missing, uint32_t *n_missing)
{
    sgr_target_ep *v = NULL;
    uint32_t n = 0, cap = 0;
    if (l) {
        /* target groups attached to the LB by listener rules (not in any
         * listener's default actions): they may be behind any listener */
        const sgr_ep_list *tgs = sgr_engine_lb_tgs(g, lb), *lls = sgr_engine_lb_listeners(g, lb);
        for (uint32_t i = 0; tgs && i < tgs->n; i++) {
            const sgr_target_group *tg = (const sgr_target_group *)tgs->v[i];
            bool is_default = false;
            for (uint32_t li = 0; lls && li < lls->n && !is_default; li++) {
                const sgr_listener *o = (const sgr_listener *)lls->v[li];
                for (uint32_t k = 0; k < o->target_group_arns.count && !is_default; k++)
                    is_default = tg->arn && strcmp(o->target_group_arns.items[k], tg->arn) == 0;
            }
            if (!is_default)
                tg_targets(g, tg, &v, &n, &cap, a, missing, n_missing);
        }
        for (uint32_t i = 0; i < l->target_group_arns.count; i++) {
            const sgr_target_group *tg = sgr_engine_tg(g, l->target_group_arns.items[i]);
            if (!tg) {
                add_missing(a, missing, n_missing, sgr_arena_printf(a, "target group %s is not in the snapshot", l->target_group_arns.items[i]));
                continue;
            }
            tg_targets(g, tg, &v, &n, &cap, a, missing, n_missing);
        }
    } else {
        if (lb->instances_unknown_why)
            add_missing(a, missing, n_missing, lb->instances_unknown_why);
        for (uint32_t i = 0; i < lb->classic_instances.count; i++) {
            const sgr_instance *in = sgr_strmap_get(g->map, TAG_INSTANCE, lb->classic_instances.items[i]);
            if (!in || !in->primary_eni) {
                /* registered, but not described: a target the answer cannot check */
                add_missing(a, missing, n_missing,
                            sgr_arena_printf(a, "instance %s, registered with %s, is not in the snapshot",
                                             lb->classic_instances.items[i], lb->name));
                continue;
            }
            const sgr_epx *x = sgr_engine_ep(g, TAG_EP_ENI, in->primary_eni->id);
            if (x)
                add_target(&v, &n, &cap, a, x, classic_port, NULL, lb->name, in->id);
            instance_tasks(g, in->primary_eni, classic_port, &v, &n, &cap, a, NULL, lb->name, in->id);
        }
    }
    *out = v;
    return n;
}

typedef struct lb_listener {
    const sgr_listener *l;     /* NULL: classic */
    int32_t port, target_port; /* target_port: classic instance port */
} lb_listener;

static uint32_t lb_listeners(const sgr_graph *g, const sgr_lb *lb, int32_t proto, int32_t port, lb_listener *out,
                             uint32_t max)
{
    uint32_t n = 0;
    if (lb->type == SGR_LB_CLASSIC) {
        for (uint32_t i = 0; i < lb->n_classic_listeners && n < max; i++) {
            const sgr_classic_listener *c = &lb->classic_listeners[i];
            if (proto == SGR_PROTO_TCP && (port < 0 || c->lb_port == port))
                out[n++] = (lb_listener){NULL, c->lb_port, c->instance_port};
        }
        return n;
    }
    const sgr_ep_list *ls = sgr_engine_lb_listeners(g, lb);
    for (uint32_t i = 0; ls && i < ls->n && n < max; i++) {
        const sgr_listener *l = (const sgr_listener *)ls->v[i];
        if (!listener_of(l, lb) || !listener_proto(l, proto))
            continue;
        if (l->port == SGR_LISTENER_PORT_UNKNOWN)
            out[n++] = (lb_listener){l, port, -1}; /* whatever port is asked, or any */
        else if (port < 0 || l->port == port)
            out[n++] = (lb_listener){l, l->port, -1};
    }
    return n;
}

uint32_t sgr_lb_targets_at(const sgr_graph *g, const sgr_lb *lb, int32_t proto, int32_t port, sgr_target_ep **out,
                           sgr_arena *a)
{
    lb_listener ls[64];
    uint32_t nl = lb_listeners(g, lb, proto, port, ls, 64);
    sgr_target_ep *v = NULL;
    uint32_t n = 0, cap = 0;
    for (uint32_t li = 0; li < nl; li++) {
        sgr_target_ep *tv;
        const char **missing = NULL;
        uint32_t n_missing = 0;
        uint32_t nt = sgr_lb_targets(g, lb, ls[li].l, ls[li].target_port, &tv, a, &missing, &n_missing);
        for (uint32_t t = 0; t < nt; t++) {
            bool seen = false;
            for (uint32_t k = 0; k < n && !seen; k++)
                seen = v[k].ep == tv[t].ep && v[k].port == tv[t].port;
            if (seen)
                continue;
            if (n == cap)
                v = sgr_arena_grow(a, v, &cap, n + 1, sizeof *v);
            v[n++] = tv[t];
        }
    }
    *out = v;
    return n;
}

static sgr_path leg_range(const sgr_graph *g, sgr_arena *a, bool explain, int32_t proto, int32_t lo, int32_t hi,
                          bool forall, const sgr_side *src, const sgr_ip *src_addr, const sgr_side *dst,
                          const sgr_ip *dst_addr, const sgr_strs *extra)
{
    sgr_path p;
    memset(&p, 0, sizeof p);
    sgr_trace_init(&p.t, a, explain, proto, lo, hi, forall);
    sgr_leg(g, &p.t, src, src_addr, dst, dst_addr, extra);
    p.v = sgr_trace_verdict(&p.t);
    return p;
}

static sgr_path leg_path(const sgr_graph *g, sgr_arena *a, bool explain, int32_t proto, int32_t port,
                         const sgr_side *src, const sgr_ip *src_addr, const sgr_side *dst, const sgr_ip *dst_addr,
                         const sgr_strs *extra)
{
    sgr_path p;
    memset(&p, 0, sizeof p);
    sgr_portrange u = sgr_proto_universe(proto);
    sgr_trace_init(&p.t, a, explain, proto, port < 0 ? u.lo : port, port < 0 ? u.hi : port, false);
    sgr_leg(g, &p.t, src, src_addr, dst, dst_addr, extra);
    p.v = sgr_trace_verdict(&p.t);
    return p;
}

/* A target group behind listener l whose registered targets are unknown (no
 * target health, no ECS service) and that could hold `target` (instance
 * groups: an instance's interface or a bridge/host task; ip groups: any
 * interface or awsvpc task), or NULL. */
bool sgr_classic_may_target(const sgr_lb *lb, const sgr_epx *target)
{
    if (lb->type != SGR_LB_CLASSIC || !lb->instances_unknown_why || target->side.external)
        return false;
    return target->pub.kind == SGR_EP_TASK ? target->pub.mode != SGR_NET_AWSVPC
                                           : target->pub.kind == SGR_EP_ENI && target->pub.instance;
}

const sgr_target_group *sgr_lb_unknown_tg(const sgr_graph *g, const sgr_lb *lb, const sgr_listener *l,
                                          const sgr_epx *target)
{
    if (!l || target->pub.kind == SGR_EP_LB || target->side.external)
        return NULL;
    const sgr_ep_list *tgs = sgr_engine_lb_tgs(g, lb);
    for (uint32_t i = 0; i < l->target_group_arns.count + (tgs ? tgs->n : 0); i++) {
        const sgr_target_group *tg = i < l->target_group_arns.count ? sgr_engine_tg(g, l->target_group_arns.items[i])
                                                                   : (const sgr_target_group *)tgs->v[i - l->target_group_arns.count];
        if (!tg || (tg->targets_known && !tg->targets_unknown_why) || !tg->arn)
            continue;
        /* an ECS service registers this group's targets: they are known,
         * unless an entry of its target health could not be read */
        if (sgr_engine_tg_tasks(g, tg) && !tg->targets_unknown_why)
            continue;
        const char *tt = tg->target_type ? tg->target_type : "instance";
        bool fits;
        if (strcmp(tt, "instance") == 0)
            fits = target->pub.kind == SGR_EP_TASK ? target->pub.mode != SGR_NET_AWSVPC
                                                   : target->pub.kind == SGR_EP_ENI && target->pub.instance;
        else
            fits = strcmp(tt, "ip") == 0 &&
                   (target->pub.kind == SGR_EP_ENI || (target->pub.kind == SGR_EP_TASK && target->pub.mode == SGR_NET_AWSVPC));
        if (fits)
            return tg;
    }
    return NULL;
}

/* The family a load balancer talks to a target in: its target group's
 * IpAddressType ("The load balancer communicates with targets based on the IP
 * address type of the target group"; ipv4 when absent, AWS's default). */
static int target_family(const sgr_target_ep *te)
{
    const char *t = te->tgp ? te->tgp->ip_address_type : NULL;
    return t && strcmp(t, "ipv6") == 0 ? 6 : 4;
}

sgr_path sgr_path_via_lb(const sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from, const sgr_ip *from_addr,
                         const sgr_epx *lbx, int32_t proto, int32_t listener_port, const sgr_epx *target,
                         int32_t target_port)
{
    return sgr_path_via_lb_entry(g, a, explain, from, from_addr, lbx, proto, listener_port, target, target_port, NULL,
                                 NULL);
}

/* ---- legs kept across questions (lb_legs.h) */

enum { NO_TAIL = 8 }; /* kept: the load balancer has no node to leave from */

void sgr_lb_legs_free(sgr_lb_legs *legs)
{
    sgr_memo_free(&legs->leads);
    sgr_memo_free(&legs->tails);
}

/* x is one of the graph's own endpoints (not an interface's copy of a task,
 * nor one made on demand): its index names it in a key. */
static bool indexed(const sgr_graph *g, const sgr_epx *x)
{
    return x->pub.index < g->n_eps && g->eps[x->pub.index] == x;
}

/* Without explanations a reachable path is one no other candidate beats
 * (sgr_path_better: the verdict, then the blocks explained): the search
 * for the best may stop there. */
static bool unbeatable(bool explain, bool set, const sgr_path *best)
{
    return !explain && set && best->v == SGR_REACHABLE;
}

/* A leg known by its verdict only (no explanation asked). */
static sgr_path kept_leg(sgr_verdict v)
{
    sgr_path p;
    memset(&p, 0, sizeof p);
    p.v = v;
    return p;
}

/* The key of the client's leg to the listener on port: the client from one
 * of its own addresses (its family in the key), a protocol and port a key
 * holds; 0: not kept. */
static uint32_t lead_key(const sgr_graph *g, const sgr_epx *from, const sgr_ip *from_addr, const sgr_epx *lbx,
                         int32_t proto, int32_t port)
{
    if (from->side.external || !indexed(g, from) || !indexed(g, lbx) || proto < 0 || proto > 255 || port < -1 ||
        port > 65535 || (from_addr != &from->side.addr4 && from_addr != &from->side.addr6))
        return 0;
    return (uint32_t)(port + 1) | (uint32_t)proto << 17 | (from_addr == &from->side.addr6 ? 1u : 0u) << 25 | 1u << 26;
}

/* The key of the load balancer's leg to a registered target te, from the
 * load balancer's address of family fam (6 or 4): its port (one, not a
 * dynamic range), protocol and whether every port must pass or the far end
 * is unsure; 0: not kept. */
static uint32_t relay_key(const sgr_graph *g, const sgr_epx *lbx, const sgr_target_ep *te, int32_t proto, int fam)
{
    if (!indexed(g, te->ep) || !indexed(g, lbx) || proto < 0 || proto > 255 || te->port < 0 || te->port > 65535 ||
        te->port_hi > te->port)
        return 0;
    return (uint32_t)te->port | (uint32_t)proto << 16 | (fam == 6 ? 1u : 0u) << 24 | (te->forall ? 1u : 0u) << 25 |
           (te->unsure ? 1u : 0u) << 26 | 1u << 31;
}

sgr_path sgr_path_via_lb_entry(const sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from,
                               const sgr_ip *from_addr, const sgr_epx *lbx, int32_t proto, int32_t listener_port,
                               const sgr_epx *target, int32_t target_port, const sgr_lb_entry *entry,
                               sgr_lb_legs *legs)
{
    if (explain || entry)
        legs = NULL; /* an explained leg is more than its verdict; another entry is not the client's leg */
    const sgr_lb *lb = lbx->pub.lb;
    const char *lbname = lb->name ? lb->name : lbx->pub.id;
    sgr_path best;
    memset(&best, 0, sizeof best);
    best.v = SGR_UNREACHABLE;
    best.irrelevant = true;
    best.via = sgr_arena_printf(a, "lb:%s", lbname);
    sgr_portrange u = sgr_proto_universe(proto);
    sgr_trace_init(&best.t, a, explain, proto, listener_port < 0 ? u.lo : listener_port,
                   listener_port < 0 ? u.hi : listener_port, false);

    lb_listener ls[64];
    uint32_t nl = lb_listeners(g, lb, proto, listener_port, ls, 64);
    if (nl == 0) {
        if (!target) { /* asked for the LB itself: say why it does not answer */
            best.irrelevant = false;
            sgr_trace_hop(&best.t, from->pub.kind == SGR_EP_INTERNET ? "internet" : "endpoint", from->pub.id, NULL);
            sgr_trace_hop(&best.t, "lb", lbname, NULL);
            sgr_trace_block(&best.t, lbname, "listener",
                            sgr_arena_printf(a, "%s has no %s listener%s", lbname, sgr_proto_name(a, proto),
                                             listener_port < 0 ? "" : sgr_arena_printf(a, " on port %d", listener_port)),
                            &lb->origin);
        }
        return best;
    }
    bool have = false;
    for (uint32_t li = 0; li < nl; li++) {
        sgr_target_ep *tv;
        const char **missing = NULL;
        uint32_t n_missing = 0;
        uint32_t nt = sgr_lb_targets(g, lb, ls[li].l, ls[li].target_port, &tv, a, &missing, &n_missing);
        bool any_target = false;
        for (uint32_t ti = 0; ti < nt; ti++)
            if (!target || (tv[ti].ep == target && (target_port < 0 || tv[ti].port == target_port)))
                any_target = true;
        /* not among the known targets, but perhaps registered in a group whose
         * targets the snapshot lacks: a candidate whose best is unknown */
        const sgr_target_group *utg = target && !any_target ? sgr_lb_unknown_tg(g, lb, ls[li].l, target) : NULL;
        /* the same for a classic load balancer whose instance list was not read */
        bool classic_maybe = target && !any_target && !ls[li].l && sgr_classic_may_target(lb, target);
        if (utg || classic_maybe) {
            const char *tgname = utg ? (utg->name ? utg->name : utg->arn) : lbname;
            int32_t tport = !utg ? ls[li].target_port : target_port >= 0 ? target_port : -1;
            tv = sgr_arena_alloc(a, sizeof *tv);
            tv[0] = (sgr_target_ep){target, tport, tgname, utg, NULL, tport, false, NULL};
            nt = 1;
            any_target = true;
        }
        if (target && !any_target)
            continue;
        /* the client's leg: to the best node of the LB */
        sgr_path lead;
        bool lead_set = false;
        uint32_t lkey = legs ? lead_key(g, from, from_addr, lbx, proto, ls[li].port) : 0;
        uintptr_t lkept = lkey ? (uintptr_t)sgr_memo_get(&legs->leads, from->pub.index, lbx->pub.index, lkey) : 0;
        if (lkept) {
            lead = kept_leg((sgr_verdict)(lkept - 1));
            lead_set = true;
        }
        for (uint32_t ni = 0; !lkept && ni < lbx->n_nodes && !unbeatable(explain, lead_set, &lead); ni++) {
            const sgr_side *node = &lbx->nodes[ni];
            const sgr_ip *naddr = sgr_side_addr(node, from_addr->family == SGR_AF_INET6 ? 6 : 4);
            sgr_ip none;
            memset(&none, 0, sizeof none);
            sgr_path p = entry ? entry->lead(g, a, explain, entry->ctx, proto, ls[li].port, node)
                               : leg_path(g, a, explain, proto, ls[li].port, &from->side, from_addr, node,
                                          naddr ? naddr : &none, NULL);
            if (!entry && from->side.external && sgr_is_public(g, from_addr) && !lb->internet_facing) {
                sgr_trace_gate(&p.t, GATE_BLOCK);
                sgr_trace_block(&p.t, lbname, "scheme",
                                sgr_arena_printf(a, "%s is internal: the internet cannot reach it", lbname), &lb->origin);
                p.v = SGR_UNREACHABLE;
            }
            if (!lead_set || sgr_path_better(&p, &lead)) {
                lead = p;
                lead_set = true;
            }
        }
        if (lkey && !lkept && lead_set)
            sgr_memo_put(&legs->leads, from->pub.index, lbx->pub.index, lkey, (void *)(uintptr_t)(lead.v + 1));
        if (!lead_set) {
            memset(&lead, 0, sizeof lead);
            sgr_trace_init(&lead.t, a, explain, proto, ls[li].port, ls[li].port, false);
            sgr_trace_gate(&lead.t, GATE_UNKNOWN);
            sgr_trace_missing(&lead.t, sgr_arena_printf(a, "no interface or subnet of %s is in the snapshot", lbname));
            lead.v = SGR_UNKNOWN;
            if (from->side.external && sgr_is_public(g, from_addr) && !lb->internet_facing) {
                sgr_trace_gate(&lead.t, GATE_BLOCK);
                sgr_trace_block(&lead.t, lbname, "scheme",
                                sgr_arena_printf(a, "%s is internal: the internet cannot reach it", lbname), &lb->origin);
                lead.v = SGR_UNREACHABLE;
            }
        }
        /* the relay's leg: to the best target */
        sgr_path tail;
        bool tail_set = false;
        int client_fam = from_addr->family == SGR_AF_INET6 ? 6 : 4;
        for (uint32_t ti = 0; ti < nt && !unbeatable(explain, tail_set, &tail); ti++) {
            const sgr_target_ep *te = &tv[ti];
            if (target && (te->ep != target || (target_port >= 0 && te->port != target_port)))
                continue;
            const char *assumption = NULL;
            bool preserve = !entry && sgr_lb_preserves_for(lb, te->tgp, from_addr->family, &assumption, a);
            /* The LB talks to the target in its group's family; a client of
             * the other family (a dual-stack LB) is not preserved: the target
             * sees the LB's own address of that family. */
            int fam = target_family(te);
            bool across = fam != client_fam;
            if (across) {
                preserve = false;
                assumption = NULL;
            }
            /* the target sees the load balancer's address: the leg is the same for every client */
            uint32_t tkey = legs && !preserve ? relay_key(g, lbx, te, proto, fam) : 0;
            uintptr_t tkept = tkey ? (uintptr_t)sgr_memo_get(&legs->tails, te->ep->pub.index, lbx->pub.index, tkey) : 0;
            if (tkept && tkept != NO_TAIL) {
                sgr_path p = kept_leg((sgr_verdict)(tkept - 1));
                if (!tail_set || sgr_path_better(&p, &tail)) {
                    tail = p;
                    tail_set = true;
                }
            }
            sgr_path te_best; /* the best of its nodes */
            bool te_set = false;
            for (uint32_t ni = 0; !tkept && ni < lbx->n_nodes && !unbeatable(explain, tail_set, &tail); ni++) {
                const sgr_side *node = &lbx->nodes[ni];
                const sgr_ip *taddr = sgr_side_addr(&te->ep->side, fam);
                const sgr_ip *saddr = preserve ? from_addr : sgr_side_addr(node, fam);
                sgr_ip none;
                memset(&none, 0, sizeof none);
                int32_t phi = te->port_hi > te->port ? te->port_hi : te->port;
                sgr_path p = leg_range(g, a, explain, proto, te->port, phi, te->forall, node, saddr ? saddr : &none,
                                       &te->ep->side, taddr ? taddr : &none, &lb->group_ids);
                /* a target whose far end is in no snapshot: what answers there,
                 * behind which firewall, is unknown; only the LB's side decides */
                if (te->unsure && p.v != SGR_UNREACHABLE) {
                    sgr_trace_gate(&p.t, GATE_UNKNOWN);
                    sgr_trace_missing(&p.t, te->unsure);
                    p.v = sgr_trace_verdict(&p.t);
                }
                if (explain) {
                    sgr_trace tt;
                    sgr_trace_init(&tt, a, true, proto, te->port, phi, te->forall);
                    sgr_trace_hop(&tt, "target-group", te->tg,
                                  sgr_arena_printf(a, "%s:%s%s%s", te->id ? te->id : te->ep->pub.id,
                                                   phi > te->port ? sgr_arena_printf(a, "%d-%d", te->port, phi)
                                                                  : sgr_arena_printf(a, "%d", te->port),
                                                   phi > te->port ? " (a dynamic host port, not assigned yet)" : "",
                                                   preserve ? ", client address preserved"
                                                   : entry ? entry->source_text
                                                   : across ? sgr_arena_printf(a, ", from the load balancer's IPv%d address (the client's IPv%d address is not carried across families)", fam, client_fam)
                                                            : ", from the load balancer's address"));
                    if (assumption)
                        sgr_trace_assume(&tt, assumption);
                    sgr_trace_concat(&tt, &p.t);
                    sgr_trace_hop(&tt, te->ep->pub.kind == SGR_EP_TASK ? "task" : te->ep->pub.kind == SGR_EP_CIDR ? "address" : "eni", te->ep->pub.id,
                                  sgr_arena_printf(a, "%s", sgr_proto_port_str(a, proto, te->port, phi)));
                    tt.blocked = p.t.blocked;
                    p.t = tt;
                }
                if (tkey && (!te_set || sgr_path_better(&p, &te_best))) {
                    te_best = p;
                    te_set = true;
                }
                if (!tail_set || sgr_path_better(&p, &tail)) {
                    tail = p;
                    tail_set = true;
                }
            }
            /* complete: its nodes stop early only on a reachable leg, which is its best */
            if (tkey && !tkept)
                sgr_memo_put(&legs->tails, te->ep->pub.index, lbx->pub.index, tkey,
                             (void *)(uintptr_t)(te_set ? te_best.v + 1 : NO_TAIL));
        }
        sgr_path whole;
        memset(&whole, 0, sizeof whole);
        whole.via = best.via;
        sgr_trace_init(&whole.t, a, explain, proto, ls[li].port, ls[li].port, false);
        sgr_trace_hop(&whole.t, from->pub.kind == SGR_EP_INTERNET ? "internet" : "endpoint", from->pub.id, NULL);
        sgr_trace_concat(&whole.t, &lead.t);
        bool unread = ls[li].l && ls[li].l->port == SGR_LISTENER_PORT_UNKNOWN;
        if (explain) /* a text only an explanation reads */
            sgr_trace_hop(&whole.t, "lb", lbname,
                          unread ? "listener not in the snapshot"
                                 : sgr_arena_printf(a, "listener %s", sgr_proto_port_str(a, proto, ls[li].port, ls[li].port)));
        whole.v = lead.v;
        if (!target) {
            /* asked for the LB itself: reaching its listener is the answer; the
             * best target behind it completes the path when one is reachable */
            if (tail_set && tail.v == SGR_REACHABLE)
                sgr_trace_concat(&whole.t, &tail.t);
            else if (lead.v == SGR_REACHABLE)
                sgr_trace_assume(&whole.t, tail_set ? sgr_arena_printf(a, "no target behind the listener is reachable from %s", lbname)
                                          : n_missing ? missing[0]
                                                      : sgr_arena_printf(a, "the listener forwards to no target (a redirect or fixed "
                                                                            "response): %s answers itself", lbname));
        } else if (tail_set) {
            sgr_trace_concat(&whole.t, &tail.t);
            whole.v = sgr_verdict_worst(lead.v, tail.v);
            if (utg || classic_maybe) {
                sgr_trace_missing(&whole.t, utg ? sgr_arena_printf(a, "target group %s has no target health in the snapshot: "
                                                                      "whether %s is registered in it is unknown",
                                                                   utg->name ? utg->name : utg->arn, target->pub.id)
                                                : sgr_arena_printf(a, "whether %s is registered with %s is unknown: %s",
                                                                   target->pub.id, lbname, lb->instances_unknown_why));
                whole.v = sgr_verdict_worst(whole.v, SGR_UNKNOWN);
                n_missing = 0; /* said above */
            }
            /* other targets may be registered in a group whose targets are unknown */
            if (tail.v == SGR_UNREACHABLE && n_missing && lead.v != SGR_UNREACHABLE && !target)
                whole.v = SGR_UNKNOWN;
        } else if (n_missing) {
            for (uint32_t k = 0; k < n_missing; k++)
                sgr_trace_missing(&whole.t, missing[k]);
            whole.v = sgr_verdict_worst(lead.v, SGR_UNKNOWN);
        } else {
            sgr_trace_block(&whole.t, lbname, "targets",
                            sgr_arena_printf(a, "%s has no registered target behind its %s listener", lbname,
                                             sgr_proto_port_str(a, proto, ls[li].port, ls[li].port)),
                            &lb->origin);
            whole.v = SGR_UNREACHABLE;
        }
        if (tail_set)
            for (uint32_t k = 0; k < n_missing && whole.v != SGR_REACHABLE; k++)
                sgr_trace_missing(&whole.t, missing[k]);
        if (unread && whole.v != SGR_UNREACHABLE) {
            /* the way in passes, but whether anything listens there is unknown */
            sgr_trace_missing(&whole.t, lb->listeners_unknown);
            whole.v = SGR_UNKNOWN;
        }
        if (!have || sgr_path_better(&whole, &best)) {
            best = whole;
            have = true;
        }
    }
    return best;
}

/* Which load balancers may lead to which endpoints, once per graph: `can`
 * then tries only those instead of every load balancer of the estate. */
void sgr_lb_relays_index(sgr_graph *g)
{
    static const int32_t PROTOS[] = {SGR_PROTO_TCP, SGR_PROTO_UDP};
    for (uint32_t i = 0; i < g->n_eps; i++) {
        const sgr_epx *lbx = g->eps[i];
        if (lbx->pub.kind != SGR_EP_LB)
            continue;
        bool unknown_behind = false;
        for (int p = 0; p < 2; p++) {
            lb_listener ls[64];
            uint32_t nl = lb_listeners(g, lbx->pub.lb, PROTOS[p], -1, ls, 64);
            for (uint32_t li = 0; li < nl; li++) {
                sgr_target_ep *tv;
                const char **missing = NULL;
                uint32_t n_missing = 0;
                uint32_t nt = sgr_lb_targets(g, lbx->pub.lb, ls[li].l, ls[li].target_port, &tv, g->arena, &missing, &n_missing);
                for (uint32_t t = 0; t < nt; t++)
                    sgr_engine_relay_add(g, tv[t].ep, lbx);
                unknown_behind |= n_missing > 0;
            }
        }
        if (unknown_behind) /* key "": the relays whose targets are not all known */
            sgr_ep_list_push(g->arena, sgr_ep_list_for(g, TAG_IDX_RELAYS, ""), lbx, 0);
    }
}
