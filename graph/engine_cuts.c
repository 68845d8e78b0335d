/*
 * Cuts: the boundaries of every CIDR a side looks at (its groups' address
 * rules, its subnet's ACL entries, its route table's destinations and the
 * entries of prefix lists it routes to). Between two cuts nothing the side
 * looks at changes, so one address stands for all. `can` picks one outside
 * address per such interval (cells); whole-estate reach shares one answer
 * among destinations in the same interval (atoms).
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

static void cut4(sgr_arena *a, sgr_cuts *c, uint32_t v)
{
    if (c->n4 == SGR_MAX_CUTS) {
        c->capped = true;
        return;
    }
    if (c->n4 == c->cap4)
        c->p4 = sgr_arena_grow(a, c->p4, &c->cap4, c->n4 + 1, sizeof *c->p4);
    c->p4[c->n4++] = v;
}

static void cut6(sgr_arena *a, sgr_cuts *c, sgr_u128 v)
{
    if (c->n6 == SGR_MAX_CUTS) {
        c->capped = true;
        return;
    }
    if (c->n6 == c->cap6)
        c->p6 = sgr_arena_grow(a, c->p6, &c->cap6, c->n6 + 1, sizeof *c->p6);
    c->p6[c->n6++] = v;
}

void sgr_cuts_set(sgr_arena *a, sgr_cuts *c, const sgr_addrset *s)
{
    for (uint32_t i = 0; i < s->n4; i++) {
        cut4(a, c, s->r4[i].lo);
        if (s->r4[i].hi != UINT32_MAX)
            cut4(a, c, s->r4[i].hi + 1);
    }
    for (uint32_t i = 0; i < s->n6; i++) {
        cut6(a, c, s->r6[i].lo);
        sgr_u128 h = s->r6[i].hi;
        if (!(h.hi == UINT64_MAX && h.lo == UINT64_MAX))
            cut6(a, c, (sgr_u128){h.hi + (h.lo == UINT64_MAX), h.lo + 1});
    }
}

static void cuts_prefix(sgr_arena *a, sgr_cuts *c, const sgr_prefix *p)
{
    sgr_addrset s = sgr_addrset_prefix(a, p);
    sgr_cuts_set(a, c, &s);
}

void sgr_cuts_side(const sgr_graph *g, sgr_arena *a, sgr_cuts *c, const sgr_side *s)
{
    for (uint32_t i = 0; i < s->n_groups; i++) {
        const sgr_csg *cg = s->groups[i];
        for (uint32_t k = 0; k < cg->n_in; k++)
            if (!cg->in[k].ref_group)
                sgr_cuts_set(a, c, &cg->in[k].addrs);
        for (uint32_t k = 0; k < cg->n_out; k++)
            if (!cg->out[k].ref_group)
                sgr_cuts_set(a, c, &cg->out[k].addrs);
    }
    const sgr_subnet *sn = s->subnet;
    if (sn && sn->nacl)
        for (uint32_t i = 0; i < sn->nacl->n_entries; i++)
            cuts_prefix(a, c, &sn->nacl->entries[i].cidr);
    const sgr_route_table *rt = sn ? (sn->route_table ? sn->route_table : sn->vpc ? sn->vpc->main_table : NULL) : NULL;
    for (uint32_t i = 0; rt && i < rt->n_routes; i++) {
        const sgr_route *r = &rt->routes[i];
        if (r->dest.ip.family) {
            cuts_prefix(a, c, &r->dest);
        } else if (r->dest_prefix_list) { /* the route lookup matches its entries */
            const sgr_prefix_list *pl = sgr_strmap_get(g->map, TAG_PL, r->dest_prefix_list);
            for (uint32_t k = 0; pl && k < pl->n_entries; k++)
                cuts_prefix(a, c, &pl->entries[k]);
        }
    }
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_u128(const void *x, const void *y)
{
    return sgr_u128_cmp(*(const sgr_u128 *)x, *(const sgr_u128 *)y);
}

void sgr_cuts_sort(sgr_cuts *c)
{
    if (c->n4) {
        qsort(c->p4, c->n4, sizeof *c->p4, cmp_u32);
        uint32_t n = 1;
        for (uint32_t i = 1; i < c->n4; i++)
            if (c->p4[i] != c->p4[n - 1])
                c->p4[n++] = c->p4[i];
        c->n4 = n;
    }
    if (c->n6) {
        qsort(c->p6, c->n6, sizeof *c->p6, cmp_u128);
        uint32_t n = 1;
        for (uint32_t i = 1; i < c->n6; i++)
            if (sgr_u128_cmp(c->p6[i], c->p6[n - 1]) != 0)
                c->p6[n++] = c->p6[i];
        c->n6 = n;
    }
}

uint32_t sgr_cuts_atom(const sgr_cuts *c, const sgr_ip *ip)
{
    if (!ip || !ip->family)
        return 0;
    uint32_t lo = 0, hi = ip->family == SGR_AF_INET ? c->n4 : c->n6;
    uint32_t v4 = ip->family == SGR_AF_INET ? sgr_ip_v4(ip) : 0;
    sgr_u128 v6 = ip->family == SGR_AF_INET6 ? sgr_ip_v6(ip) : (sgr_u128){0, 0};
    while (lo < hi) { /* the number of cuts at or below the address */
        uint32_t mid = lo + (hi - lo) / 2;
        bool below = ip->family == SGR_AF_INET ? c->p4[mid] <= v4 : sgr_u128_cmp(c->p6[mid], v6) <= 0;
        if (below)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo + 1;
}
