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
 * 40,000). Load balancers, planned sides, sides whose groups are unknown
 * and interfaces of instances not running are evaluated one by one. */
static bool outside_shareable(const sgr_epx *x)
{
    return x->pub.kind != SGR_EP_LB && !x->side.external && !x->side.planned && !x->side.groups_unknown && !x->side.down &&
           !x->side.no_filter && !x->nowhere && !(x->pub.kind == SGR_EP_TASK && x->pub.mode == SGR_NET_NONE) &&
           !x->n_ifaces; /* reached on other interfaces too: not like its neighbours */
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
 * source's cuts (engine_cuts.c), matching the same group references of the
 * source's outbound rules, get one evaluation. Not when transit gateway route
 * tables are known (their routes look at the destination too), nor for a
 * planned source. */
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
    k.a4 = sgr_cuts_atom(&m->c, a4);
    k.a6 = sgr_cuts_atom(&m->c, a6);
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
        if (f->side.planned || f->pub.kind == SGR_EP_LB || g->snap->n_tgw_route_tables)
            return;
        sgr_cuts_side(g, a, &m->c, &f->side);
        if (m->c.capped)
            return; /* atoms would merge what the left-out cuts tell apart */
        sgr_cuts_sort(&m->c);
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
