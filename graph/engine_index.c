/*
 * Indices built once per graph so that load-balancer questions do not scan
 * every endpoint: the bridge/host tasks bound to each interface, the service
 * tasks registered in each target group, and interfaces by private address.
 * Every list keeps the order of g->eps (sorted by id), so answers built from
 * them come out in the same order as a scan would give.
 */
#include "engine.h"

#include <stdio.h>
#include <string.h>

sgr_ep_list *sgr_ep_list_for(sgr_graph *g, uint32_t tag, const char *key)
{
    sgr_ep_list *l = sgr_strmap_get(g->map, tag, key);
    if (!l) {
        l = SGR_NEW(g->arena, sgr_ep_list);
        sgr_strmap_put(g->map, tag, key, l);
    }
    return l;
}

void sgr_ep_list_push(sgr_arena *a, sgr_ep_list *l, const sgr_epx *x, uint32_t k)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap;
        l->v = sgr_arena_grow(a, l->v, &cap, l->n + 1, sizeof *l->v);
        l->k = sgr_arena_grow(a, l->k, &l->cap, l->n + 1, sizeof *l->k);
    }
    l->v[l->n] = x;
    l->k[l->n++] = k;
}

static const char *ip_key(sgr_arena *a, const char *vpc_id, const sgr_ip *ip)
{
    char buf[64];
    return sgr_arena_printf(a, "%s|%s", vpc_id ? vpc_id : "", sgr_format_ip_raw(ip, buf, sizeof buf));
}

const char *sgr_format_ip_raw(const sgr_ip *ip, char *buf, size_t len)
{
    if (ip->family == SGR_AF_INET)
        snprintf(buf, len, "%u.%u.%u.%u", ip->b[0], ip->b[1], ip->b[2], ip->b[3]);
    else {
        size_t o = 0;
        for (int i = 0; i < 16 && o + 3 < len; i++)
            o += (size_t)snprintf(buf + o, len - o, "%02x", ip->b[i]);
    }
    return buf;
}

void sgr_engine_index(sgr_graph *g)
{
    for (uint32_t i = 0; i < g->n_eps; i++) {
        const sgr_epx *x = g->eps[i];
        if (x->pub.kind != SGR_EP_TASK || !x->pub.task)
            continue;
        if (x->pub.mode != SGR_NET_AWSVPC && x->pub.eni)
            sgr_ep_list_push(g->arena, sgr_ep_list_for(g, TAG_IDX_ENI_TASKS, x->pub.eni->id), x, 0);
        const sgr_service *s = x->pub.task->service;
        for (uint32_t k = 0; s && k < s->n_lbs; k++) {
            const sgr_service_lb *sl = &s->lbs[k];
            const char *arn = sl->target_group ? sl->target_group->arn : sl->target_group_arn;
            if (arn)
                sgr_ep_list_push(g->arena, sgr_ep_list_for(g, TAG_IDX_TG_TASKS, arn), x, k);
        }
    }
    /* interfaces by address: the first in snapshot order wins, as a scan would */
    const sgr_snapshot *s = g->snap;
    for (uint32_t i = 0; i < s->n_listeners; i++) {
        const sgr_listener *l = s->listeners[i];
        const char *arn = l->lb && l->lb->arn ? l->lb->arn : l->lb_arn;
        if (arn)
            sgr_ep_list_push(g->arena, sgr_ep_list_for(g, TAG_IDX_LB_LISTENERS, arn), (const sgr_epx *)l, 0);
    }
    /* A load balancer whose listeners were not read (lb->listeners_unknown)
     * gets one listener of unknown port (-1) and protocol (TCP or UDP) that
     * forwards to every target group attached to it: each consumer of the
     * list makes what crosses it possible, never definite. */
    for (uint32_t i = 0; i < s->n_lbs; i++) {
        sgr_lb *lb = s->lbs[i];
        if (!lb->listeners_unknown || !lb->arn || lb->type == SGR_LB_CLASSIC)
            continue;
        sgr_listener *l = SGR_NEW(g->arena, sgr_listener);
        memset(l, 0, sizeof *l);
        l->lb_arn = lb->arn;
        l->lb = lb;
        l->port = SGR_LISTENER_PORT_UNKNOWN;
        l->protocol_name = "TCP_UDP";
        l->protocol = SGR_PROTO_TCP;
        l->origin = lb->origin;
        sgr_ep_list_push(g->arena, sgr_ep_list_for(g, TAG_IDX_LB_LISTENERS, lb->arn), (const sgr_epx *)l, 0);
    }
    for (uint32_t i = 0; i < s->n_target_groups; i++) {
        const sgr_target_group *tg = s->target_groups[i];
        for (uint32_t k = 0; k < tg->lb_arns.count; k++) {
            bool dup = false;
            for (uint32_t j = 0; j < k && !dup; j++)
                dup = strcmp(tg->lb_arns.items[j], tg->lb_arns.items[k]) == 0;
            if (!dup && tg->lb_arns.items[k])
                sgr_ep_list_push(g->arena, sgr_ep_list_for(g, TAG_IDX_LB_TGS, tg->lb_arns.items[k]), (const sgr_epx *)tg, 0);
        }
    }
    for (uint32_t i = 0; i < s->n_enis; i++) {
        const sgr_eni *e = s->enis[i];
        for (uint32_t k = 0; k < e->n_private_ips; k++) {
            const char *keys[2] = {ip_key(g->arena, e->vpc_id, &e->private_ips[k]),
                                   ip_key(g->arena, NULL, &e->private_ips[k])};
            for (int j = 0; j < 2; j++)
                if (!sgr_strmap_get(g->map, TAG_IDX_IP, keys[j]))
                    sgr_strmap_put(g->map, TAG_IDX_IP, keys[j], (void *)e);
        }
    }
}

const sgr_ep_list *sgr_engine_eni_tasks(const sgr_graph *g, const sgr_eni *eni)
{
    return eni ? sgr_strmap_get(g->map, TAG_IDX_ENI_TASKS, eni->id) : NULL;
}

const sgr_ep_list *sgr_engine_tg_tasks(const sgr_graph *g, const sgr_target_group *tg)
{
    return tg->arn ? sgr_strmap_get(g->map, TAG_IDX_TG_TASKS, tg->arn) : NULL;
}

const sgr_eni *sgr_engine_eni_by_ip(const sgr_graph *g, const sgr_ip *ip, const char *vpc_id)
{
    char buf[64], key[160];
    snprintf(key, sizeof key, "%s|%s", vpc_id ? vpc_id : "", sgr_format_ip_raw(ip, buf, sizeof buf));
    return sgr_strmap_get(g->map, TAG_IDX_IP, key);
}

const sgr_ep_list *sgr_engine_lb_listeners(const sgr_graph *g, const sgr_lb *lb)
{
    return lb->arn ? sgr_strmap_get(g->map, TAG_IDX_LB_LISTENERS, lb->arn) : NULL;
}

const sgr_ep_list *sgr_engine_lb_tgs(const sgr_graph *g, const sgr_lb *lb)
{
    return lb->arn ? sgr_strmap_get(g->map, TAG_IDX_LB_TGS, lb->arn) : NULL;
}

const sgr_ep_list *sgr_engine_relays(const sgr_graph *g, const sgr_epx *x)
{
    const sgr_ep_list *l = sgr_strmap_get(g->map, TAG_IDX_RELAYS, x->pub.id);
    return l;
}

/* Relays to x: appended in g->eps order of the LBs (each LB once). */
void sgr_engine_relay_add(sgr_graph *g, const sgr_epx *target, const sgr_epx *lbx)
{
    sgr_ep_list *l = sgr_ep_list_for(g, TAG_IDX_RELAYS, target->pub.id);
    if (l->n && l->v[l->n - 1] == lbx)
        return;
    sgr_ep_list_push(g->arena, l, lbx, 0);
}

sgr_csg *sgr_engine_csg(const sgr_graph *g, const char *sg_id)
{
    return sg_id ? sgr_strmap_get(g->map, TAG_SG, sg_id) : NULL;
}

const sgr_subnet *sgr_engine_subnet(const sgr_graph *g, const char *id)
{
    return id ? sgr_strmap_get(g->map, TAG_SUBNET, id) : NULL;
}

const sgr_target_group *sgr_engine_tg(const sgr_graph *g, const char *arn)
{
    return arn ? sgr_strmap_get(g->map, TAG_TG, arn) : NULL;
}

sgr_epx *sgr_engine_ep(const sgr_graph *g, uint32_t tag, const char *id)
{
    return id ? sgr_strmap_get(g->map, tag, id) : NULL;
}

const sgr_nat *sgr_engine_nat(const sgr_graph *g, const char *id)
{
    return id ? sgr_strmap_get(g->map, TAG_NAT, id) : NULL;
}

const sgr_peering *sgr_engine_peering(const sgr_graph *g, const char *vpc_a, const char *vpc_b)
{
    if (!vpc_a || !vpc_b)
        return NULL;
    char buf[512];
    size_t la = strlen(vpc_a), lb = strlen(vpc_b);
    if (la + lb + 2 > sizeof buf)
        return NULL;
    const char *x = strcmp(vpc_a, vpc_b) < 0 ? vpc_a : vpc_b, *y = x == vpc_a ? vpc_b : vpc_a;
    size_t lx = strlen(x), ly = strlen(y);
    memcpy(buf, x, lx);
    buf[lx] = '|';
    memcpy(buf + lx + 1, y, ly + 1);
    return sgr_strmap_get(g->map, TAG_PEER, buf);
}

const sgr_subnet *sgr_engine_subnet_of(const sgr_graph *g, const char *vpc_id, const sgr_ip *ip)
{
    const sgr_snapshot *s = g->snap;
    for (uint32_t i = 0; i < s->n_subnets; i++) {
        const sgr_subnet *sn = s->subnets[i];
        if (vpc_id && sn->vpc_id && strcmp(vpc_id, sn->vpc_id) != 0)
            continue;
        if (sn->cidr4.ip.family && sgr_prefix_contains(&sn->cidr4, ip))
            return sn;
        for (uint32_t k = 0; k < sn->n_cidrs6; k++)
            if (sgr_prefix_contains(&sn->cidrs6[k], ip))
                return sn;
    }
    return NULL;
}

bool sgr_peering_cross_region(const sgr_peering *p)
{
    return p && p->requester.region && p->accepter.region && strcmp(p->requester.region, p->accepter.region) != 0;
}

const sgr_endpoint *sgr_graph_endpoint_for(const sgr_graph *g, sgr_endpoint_kind kind, const void *obj)
{
    if (!obj)
        return NULL;
    sgr_epx *x = NULL;
    switch (kind) {
    case SGR_EP_INTERNET: return &g->internet->pub;
    case SGR_EP_ENI: {
        const sgr_eni *e = obj;
        x = sgr_engine_ep(g, TAG_EP_ENI, e->id);
        if (!x && e->task) /* a task's interface stands for the task */
            x = sgr_engine_ep(g, TAG_EP_TASK, e->task->arn);
        if (!x && e->lb)
            x = sgr_engine_ep(g, TAG_EP_LB, e->lb->arn ? e->lb->arn : e->lb->name);
        if (!x)
            x = sgr_engine_ep(g, TAG_TASK_ENI, e->id);
        break;
    }
    case SGR_EP_TASK: x = sgr_engine_ep(g, TAG_EP_TASK, ((const sgr_task *)obj)->arn); break;
    case SGR_EP_LB: {
        const sgr_lb *lb = obj;
        x = sgr_engine_ep(g, TAG_EP_LB, lb->arn ? lb->arn : lb->name);
        break;
    }
    case SGR_EP_DB: x = sgr_engine_ep(g, TAG_EP_DB, ((const sgr_db *)obj)->id); break;
    case SGR_EP_CIDR: return NULL;
    }
    return x ? &x->pub : NULL;
}

sgr_epx *sgr_engine_ep_on_demand(sgr_graph *g, const char *id, const sgr_epx *like, bool *made)
{
    sgr_epx *x = sgr_strmap_get(g->map, TAG_EP_CIDR, id);
    *made = !x;
    if (x)
        return x;
    x = SGR_NEW(g->arena, sgr_epx);
    if (like)
        *x = *like;
    x->pub.id = id;
    x->pub.name = id;
    x->pub.index = UINT32_MAX;
    sgr_strmap_put(g->map, TAG_EP_CIDR, id, x);
    return x;
}

const sgr_endpoint *sgr_graph_aws_public_endpoint(sgr_graph *g, const char *service)
{
    bool made;
    sgr_epx *x = sgr_engine_ep_on_demand(g, sgr_arena_printf(g->arena, "aws:%s", service), g->internet, &made);
    if (made)
        x->ranges_unknown = sgr_arena_printf(g->arena, "the public addresses of %s (com.amazonaws.REGION.%s) are not in the "
                                                       "snapshot (no managed prefix list with entries; ip-ranges.json is not read)",
                                             service, service);
    return &x->pub;
}
