/*
 * Asking once for tasks that reach the same things.
 *
 * One-hop reach from a task depends on: its source address (matched by CIDR
 * rules of groups, NACL entries, prefix lists and, for the replies, routes),
 * the groups on the interface carrying its traffic, its subnet (route table,
 * NACL), its public address, its IPv6 addresses, and for bridge and host mode
 * its host (the docker bridge and the loopback). Two tasks of one service
 *   - in bridge or host mode on the same host share every one of these; and
 *   - in awsvpc mode in the same subnet with the same groups, public-address
 *     and IPv6 presence share all but the address, and the address matters only
 *     if some CIDR of the estate (rule, NACL entry, prefix-list entry, route)
 *     lies strictly inside the subnet, telling its addresses apart.
 * So those tasks reach exactly the same endpoints; the report asks for one of
 * them. A subnet that some CIDR splits gets no signature: each task is asked.
 * SGREACH_REPORT_ASK_EVERY_TASK=1 turns this off (the e2e test compares both).
 */
#include "queries/report_int.h"

#include <stdlib.h>
#include <string.h>

#include "graph/addrset.h"
#include "graph/strmap.h"

sgr_proto_ports *sgr_rep_copy_ports(sgr_arena *a, const sgr_proto_ports *pp, uint32_t n)
{
    sgr_proto_ports *out = SGR_NEW_N(a, sgr_proto_ports, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        out[i] = pp[i];
        out[i].ranges = pp[i].n_ranges ? sgr_arena_memdup(a, pp[i].ranges, pp[i].n_ranges * sizeof *pp[i].ranges)
                                       : NULL;
    }
    return out;
}

/* Does p lie strictly inside the subnet (one of its CIDRs)? */
static bool splits(const sgr_subnet *sn, const sgr_prefix *p)
{
    if (!p->ip.family)
        return false;
    if (sn->cidr4.ip.family && p->len > sn->cidr4.len && sgr_prefix_covers(&sn->cidr4, p))
        return true;
    for (uint32_t i = 0; i < sn->n_cidrs6; i++)
        if (p->len > sn->cidrs6[i].len && sgr_prefix_covers(&sn->cidrs6[i], p))
            return true;
    return false;
}

typedef struct plist {
    const sgr_prefix **v;
    uint32_t n, cap;
} plist;

static void push(sgr_arena *a, plist *l, const sgr_prefix *p)
{
    l->v = sgr_arena_grow(a, l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n++] = p;
}

/* Every CIDR of the estate that can tell source addresses apart. */
static void compute_splits(sgr_rctx *c)
{
    const sgr_snapshot *s = c->snap;
    sgr_arena *a = sgr_arena_new();
    plist l = {0};
    for (uint32_t i = 0; i < s->n_sgs; i++)
        for (uint32_t k = 0; k < s->sgs[i]->n_rules; k++)
            if (s->sgs[i]->rules[k].peer_kind == SGR_PEER_CIDR)
                push(a, &l, &s->sgs[i]->rules[k].cidr);
    for (uint32_t i = 0; i < s->n_nacls; i++)
        for (uint32_t k = 0; k < s->nacls[i]->n_entries; k++)
            push(a, &l, &s->nacls[i]->entries[k].cidr);
    for (uint32_t i = 0; i < s->n_prefix_lists; i++)
        for (uint32_t k = 0; k < s->prefix_lists[i]->n_entries; k++)
            push(a, &l, &s->prefix_lists[i]->entries[k]);
    for (uint32_t i = 0; i < s->n_route_tables; i++)
        for (uint32_t k = 0; k < s->route_tables[i]->n_routes; k++)
            push(a, &l, &s->route_tables[i]->routes[k].dest);
    for (uint32_t i = 0; i < s->n_tgw_route_tables; i++)
        for (uint32_t k = 0; k < s->tgw_route_tables[i]->n_routes; k++)
            push(a, &l, &s->tgw_route_tables[i]->routes[k].dest);
    c->split = sgr_strmap_new(c->a);
    for (uint32_t i = 0; i < s->n_subnets; i++) {
        const sgr_subnet *sn = s->subnets[i];
        if (!sn->id)
            continue;
        for (uint32_t k = 0; k < l.n; k++)
            if (splits(sn, l.v[k])) {
                sgr_strmap_put(c->split, 0, sn->id, (void *)1);
                break;
            }
    }
    sgr_arena_free(a);
    c->split_done = true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *sgr_rep_task_sig(sgr_rctx *c, const sgr_endpoint *ep, const char *group)
{
    if (ep->kind != SGR_EP_TASK || !ep->task || c->ask_every_task)
        return NULL;
    const sgr_task *t = ep->task;
    const sgr_eni *e = ep->eni;
    sgr_net_mode m = t->task_def ? t->task_def->network_mode : ep->mode;
    if (m == SGR_NET_BRIDGE || m == SGR_NET_HOST || m == SGR_NET_DEFAULT) {
        const sgr_instance *in = t->instance ? t->instance : t->container_instance ? t->container_instance->instance : NULL;
        if (!in || !in->id)
            return NULL;
        return sgr_arena_printf(c->a, "%s|%d|host|%s", group, (int)m, in->id);
    }
    if (m != SGR_NET_AWSVPC || !e || !e->subnet_id || e->address_planned)
        return NULL;
    if (!c->split_done)
        compute_splits(c);
    if (sgr_strmap_get(c->split, 0, e->subnet_id))
        return NULL;
    const char **ids = SGR_NEW_N(c->a, const char *, e->group_ids.count ? e->group_ids.count : 1);
    size_t len = 0;
    for (uint32_t i = 0; i < e->group_ids.count; i++) {
        ids[i] = e->group_ids.items[i];
        len += strlen(ids[i]) + 1;
    }
    if (e->group_ids.count > 1)
        qsort(ids, e->group_ids.count, sizeof *ids, cmp_str);
    char *groups = sgr_arena_alloc(c->a, len + 1);
    for (uint32_t i = 0; i < e->group_ids.count; i++) {
        strcat(groups, ids[i]);
        strcat(groups, ",");
    }
    return sgr_arena_printf(c->a, "%s|vpc|%s|%s|pub=%d|v6=%d", group, e->subnet_id, groups, e->n_public_ips > 0,
                            e->n_ipv6 > 0);
}
