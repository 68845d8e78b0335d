/*
 * Whole-estate reach shares one pair evaluation among destinations that
 * behave alike toward a fixed source (docs/performance.md): from outside the
 * estate, those alike in subnet, groups, public address and families; from
 * inside, also in the atom of their address among the source's own cuts and
 * in the source's group references that match them.
 */
#include "engine_reach_memo.h"

#include <stdlib.h>
#include <string.h>

/* From outside the estate (the internet, an outside CIDR), what reaches an
 * interface depends on its side only through these: the subnet (routes,
 * ACL), the groups, whether it has a public address and which families. Not
 * its private address: no rule on the way looks at it. Endpoints alike in all
 * of them get one evaluation (at 20,000 interfaces: a few thousand instead of
 * 40,000). Load balancers, planned sides and sides whose groups are unknown
 * are evaluated one by one. */
static bool outside_shareable(const sgr_epx *x)
{
    return x->pub.kind != SGR_EP_LB && !x->side.external && !x->side.planned && !x->side.groups_unknown &&
           !x->side.no_filter && !x->nowhere && !(x->pub.kind == SGR_EP_TASK && x->pub.mode == SGR_NET_NONE);
}

static bool same_inbound(const sgr_side *p, const sgr_side *q)
{
    if (p->subnet != q->subnet || p->n_groups != q->n_groups || p->has_public4 != q->has_public4 ||
        p->internet_facing != q->internet_facing || p->deny_igw6 != q->deny_igw6 ||
        !p->addr4.family != !q->addr4.family || !p->addr6.family != !q->addr6.family ||
        (p->vpc_id != q->vpc_id && (!p->vpc_id || !q->vpc_id || strcmp(p->vpc_id, q->vpc_id) != 0)))
        return false;
    for (uint32_t i = 0; i < p->n_groups; i++)
        if (p->groups[i] != q->groups[i])
            return false;
    return true;
}

static uint64_t inbound_hash(const sgr_side *s)
{
    uint64_t h = (uintptr_t)s->subnet * 0x9E3779B97F4A7C15ull;
    for (uint32_t i = 0; i < s->n_groups; i++)
        h = (h ^ (uintptr_t)s->groups[i]) * 0x100000001B3ull;
    h ^= (uint64_t)s->has_public4 | (uint64_t)s->internet_facing << 1 | (uint64_t)s->deny_igw6 << 2 |
         (uint64_t)(s->addr4.family != 0) << 3 | (uint64_t)(s->addr6.family != 0) << 4;
    return h ^ (h >> 29);
}

/* From a source inside the estate, a destination's private address matters
 * only where the source's side looks at it: its groups' rules, its subnet's
 * ACL entries and routes (the destination's own rules and ACL see the fixed
 * source). So destinations alike in the above and in the same *atom* of the
 * source's cuts (the intervals between the boundaries of every CIDR those
 * name), matching the same group references of the source's outbound rules,
 * get one evaluation. Not when transit gateway route tables are known (their
 * routes look at the destination too), nor for a planned source. */
enum { MAX_CUTS = 4096 };

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_u128(const void *x, const void *y)
{
    const sgr_u128 *a = x, *b = y;
    if (a->hi != b->hi)
        return a->hi < b->hi ? -1 : 1;
    return a->lo < b->lo ? -1 : a->lo > b->lo;
}

static void cut_set(sgr_arena *a, sgr_cuts *c, const sgr_addrset *s)
{
    for (uint32_t i = 0; i < s->n4; i++) {
        if (c->n4 + 2 > c->cap4)
            c->p4 = sgr_arena_grow(a, c->p4, &c->cap4, c->n4 + 2, sizeof *c->p4);
        c->p4[c->n4++] = s->r4[i].lo;
        if (s->r4[i].hi != UINT32_MAX)
            c->p4[c->n4++] = s->r4[i].hi + 1;
    }
    for (uint32_t i = 0; i < s->n6; i++) {
        if (c->n6 + 2 > c->cap6)
            c->p6 = sgr_arena_grow(a, c->p6, &c->cap6, c->n6 + 2, sizeof *c->p6);
        c->p6[c->n6++] = s->r6[i].lo;
        sgr_u128 h = s->r6[i].hi;
        if (!(h.hi == UINT64_MAX && h.lo == UINT64_MAX))
            c->p6[c->n6++] = (sgr_u128){h.hi + (h.lo == UINT64_MAX), h.lo + 1};
    }
}

static void cut_prefix(sgr_arena *a, sgr_cuts *c, const sgr_prefix *p)
{
    sgr_addrset s = sgr_addrset_prefix(a, p);
    cut_set(a, c, &s);
}

/* The source side's cuts, sorted; false when there are too many to be worth it. */
static bool source_cuts(const sgr_graph *g, sgr_arena *a, const sgr_side *s, sgr_cuts *c)
{
    memset(c, 0, sizeof *c);
    for (uint32_t i = 0; i < s->n_groups; i++)
        for (uint32_t k = 0; k < s->groups[i]->n_out; k++)
            if (!s->groups[i]->out[k].ref_group)
                cut_set(a, c, &s->groups[i]->out[k].addrs);
    const sgr_subnet *sn = s->subnet;
    if (sn && sn->nacl)
        for (uint32_t i = 0; i < sn->nacl->n_entries; i++)
            cut_prefix(a, c, &sn->nacl->entries[i].cidr);
    const sgr_route_table *rt = sn ? (sn->route_table ? sn->route_table : sn->vpc ? sn->vpc->main_table : NULL) : NULL;
    for (uint32_t i = 0; rt && i < rt->n_routes; i++) {
        const sgr_route *r = &rt->routes[i];
        if (r->dest.ip.family) {
            cut_prefix(a, c, &r->dest);
        } else if (r->dest_prefix_list) {
            const sgr_prefix_list *pl = sgr_strmap_get(g->map, TAG_PL, r->dest_prefix_list);
            for (uint32_t k = 0; pl && k < pl->n_entries; k++)
                cut_prefix(a, c, &pl->entries[k]);
        }
    }
    if (c->n4 > MAX_CUTS || c->n6 > MAX_CUTS)
        return false;
    if (c->n4)
        qsort(c->p4, c->n4, sizeof *c->p4, cmp_u32);
    if (c->n6)
        qsort(c->p6, c->n6, sizeof *c->p6, cmp_u128);
    return true;
}

/* The atom of an address: how many cuts lie at or below it (0: no address). */
static uint32_t atom4(const sgr_cuts *c, const sgr_ip *ip)
{
    if (!ip || ip->family != SGR_AF_INET)
        return 0;
    uint32_t v = sgr_ip_v4(ip), lo = 0, hi = c->n4;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->p4[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo + 1;
}

static uint32_t atom6(const sgr_cuts *c, const sgr_ip *ip)
{
    if (!ip || ip->family != SGR_AF_INET6)
        return 0;
    sgr_u128 v = sgr_ip_v6(ip);
    uint32_t lo = 0, hi = c->n6;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cmp_u128(&c->p6[mid], &v) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo + 1;
}

bool sgr_reach_memo_shareable(const sgr_reach_memo *m, const sgr_epx *x)
{
    if (!outside_shareable(x))
        return false;
    if (!m->inside)
        return true;
    /* the source itself, and what shares its interface (docker bridge, loopback) */
    return x != m->from && !(x->pub.eni && x->pub.eni == m->from->pub.eni);
}

sgr_reach_key sgr_reach_memo_key(const sgr_reach_memo *m, const sgr_epx *x)
{
    sgr_reach_key k = {0, 0, 0};
    if (!m->inside)
        return k;
    const sgr_ip *a4 = sgr_side_addr(&x->side, 4), *a6 = sgr_side_addr(&x->side, 6);
    k.a4 = atom4(&m->c, a4);
    k.a6 = atom6(&m->c, a6);
    for (uint32_t i = 0; i < m->n_refs; i++) {
        const sgr_addrset *s = &m->refs[i]->addrs;
        if ((a4 && sgr_addrset_contains(s, a4)) || (a6 && sgr_addrset_contains(s, a6)))
            k.refs |= 1ull << i;
    }
    return k;
}

/* The slot of x's behaviour: an empty one (rep NULL) or the one it shares. */
size_t sgr_reach_memo_slot(const sgr_reach_memo *m, const sgr_epx *x, const sgr_reach_key *k)
{
    uint64_t h = inbound_hash(&x->side) ^ ((uint64_t)k->a4 * 0x9E3779B97F4A7C15ull) ^
                 ((uint64_t)k->a6 * 0xC2B2AE3D27D4EB4Full) ^ (k->refs * 0x165667B19E3779F9ull);
    size_t i = (size_t)(h ^ (h >> 31)) & m->mask;
    while (m->rep[i] && !(same_inbound(&m->rep[i]->side, &x->side) && m->key[i].a4 == k->a4 &&
                          m->key[i].a6 == k->a6 && m->key[i].refs == k->refs))
        i = (i + 1) & m->mask;
    return i;
}

/* Sets the memo up for a source, or leaves it off (rep NULL). */
void sgr_reach_memo_open(const sgr_graph *g, sgr_arena *a, const sgr_epx *f, sgr_reach_memo *m)
{
    memset(m, 0, sizeof *m);
    if (!f->side.external) {
        if (f->side.planned || f->pub.kind == SGR_EP_LB || g->snap->n_tgw_route_tables ||
            !source_cuts(g, a, &f->side, &m->c))
            return;
        for (uint32_t i = 0; i < f->side.n_groups; i++)
            for (uint32_t k = 0; k < f->side.groups[i]->n_out; k++)
                if (f->side.groups[i]->out[k].ref_group) {
                    if (m->n_refs == SGR_MEMO_MAX_REF_RULES)
                        return;
                    m->refs[m->n_refs++] = &f->side.groups[i]->out[k];
                }
        m->inside = true;
        m->from = f;
    }
    size_t slots = 16;
    while (slots < (size_t)g->n_eps * 2)
        slots *= 2;
    m->rep = sgr_xcalloc(slots, sizeof *m->rep);
    m->key = sgr_xcalloc(slots, sizeof *m->key);
    m->answer = sgr_xcalloc(slots, sizeof *m->answer);
    m->mask = slots - 1;
}

void sgr_reach_memo_close(sgr_reach_memo *m)
{
    free(m->rep);
    free(m->key);
    free(m->answer);
    memset(m, 0, sizeof *m);
}
