/*
 * The sources of one forward level of blast's closure and which of them an
 * endpoint's inbound rules admit (blast_pull_int.h): a rule that admits few of
 * them is a list, a wider one a scan in expansion order; sources whose
 * subnet routes or network ACLs keep out are skipped (graph/inbound.h).
 */
#include "blast_pull_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_by_addr(const void *x, const void *y)
{
    const pull_by_addr *a = x, *b = y;
    if (a->addr != b->addr)
        return a->addr < b->addr ? -1 : 1;
    return a->s < b->s ? -1 : a->s > b->s;
}

int sgr_pull_cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* First index of `sorted` with addr >= v. */
static uint32_t lower(const pull_state *P, uint64_t v)
{
    uint32_t lo = 0, hi = P->n_sorted;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (P->sorted[mid].addr < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const pull_rule_cands *sgr_pull_rule_cands(pull_state *P, const sgr_inbound_rule *r)
{
    uintptr_t id = (uintptr_t)r->id;
    uint32_t a = (uint32_t)id, b = (uint32_t)((uint64_t)id >> 32);
    pull_rule_cands *c = sgr_memo_get(&P->rule_memo, a, b, 0);
    if (c)
        return c;
    c = SGR_NEW(P->a, pull_rule_cands);
    const sgr_addrset *peers = r->peers;
    uint32_t cap = 0;
    if (peers->n4 <= P->n_sorted) {
        for (uint32_t i = 0; i < peers->n4 && !c->wide; i++) {
            uint32_t from = lower(P, peers->r4[i].lo), to = lower(P, (uint64_t)peers->r4[i].hi + 1);
            if (c->n + (to - from) > NARROW_MAX) {
                c->wide = true;
                break;
            }
            for (uint32_t k = from; k < to; k++) {
                if (c->n == cap)
                    c->s = sgr_arena_grow(P->a, c->s, &cap, c->n + 1, sizeof *c->s);
                c->s[c->n++] = P->sorted[k].s;
            }
        }
    } else {
        for (uint32_t k = 0; k < P->n_sorted && !c->wide; k++) {
            if (!sgr_addrset_contains4(peers, P->sorted[k].addr))
                continue;
            if (c->n == NARROW_MAX) {
                c->wide = true;
                break;
            }
            if (c->n == cap)
                c->s = sgr_arena_grow(P->a, c->s, &cap, c->n + 1, sizeof *c->s);
            c->s[c->n++] = P->sorted[k].s;
        }
    }
    if (c->wide) {
        /* the scan of every source asks each wide rule of every destination
         * (by search in its peers): once per rule instead, as bits */
        c->n = 0;
        size_t bytes = (P->n_src / 64 + 1) * sizeof *c->bits;
        if (P->bits_bytes + bytes > PULL_BITS_BUDGET) { /* a level of a million sources: searched */
            sgr_memo_put(&P->rule_memo, a, b, 0, c);
            return c;
        }
        P->bits_bytes += bytes;
        c->bits = SGR_NEW_N(P->a, uint64_t, P->n_src / 64 + 1);
        if (peers->n4 <= P->n_sorted) {
            for (uint32_t i = 0; i < peers->n4; i++)
                for (uint32_t k = lower(P, peers->r4[i].lo), to = lower(P, (uint64_t)peers->r4[i].hi + 1); k < to; k++)
                    c->bits[P->sorted[k].s / 64] |= 1ull << (P->sorted[k].s % 64);
        } else {
            for (uint32_t k = 0; k < P->n_sorted; k++)
                if (sgr_addrset_contains4(peers, P->sorted[k].addr))
                    c->bits[P->sorted[k].s / 64] |= 1ull << (P->sorted[k].s % 64);
        }
    }
    sgr_memo_put(&P->rule_memo, a, b, 0, c);
    return c;
}

enum { TAG_SIDE = 0x4261 };

uint32_t sgr_pull_side_no(pull_state *P, const sgr_inbound_side *sd)
{
    char key[96];
    snprintf(key, sizeof key, "%p|%p", (const void *)sd->subnet, (const void *)sd->vpc_id);
    uintptr_t no = (uintptr_t)sgr_strmap_get(P->side_nos, TAG_SIDE, key);
    if (!no) {
        if (P->n_sides == P->cap_sides)
            P->sides = sgr_arena_grow(P->a, P->sides, &P->cap_sides, P->n_sides + 1, sizeof *P->sides);
        P->sides[P->n_sides++] = *sd;
        no = P->n_sides;
        sgr_strmap_put(P->side_nos, TAG_SIDE, sgr_arena_strdup(P->a, key), (void *)no);
    }
    return (uint32_t)no - 1;
}

bool sgr_pull_routes_shut(pull_state *P, uint32_t from, const uint32_t *to, uint32_t n_to)
{
    for (uint32_t i = 0; i < n_to; i++) {
        uintptr_t v = (uintptr_t)sgr_memo_get(&P->sides_shut, from, to[i], 0);
        if (!v) {
            v = sgr_inbound_sides_shut(P->R->g, &P->sides[from], &P->sides[to[i]]) ? 1 : 2;
            sgr_memo_put(&P->sides_shut, from, to[i], 0, (void *)v);
        }
        if (v == 2)
            return false;
    }
    return true;
}


void sgr_pull_cands_init(pull_state *P, const sgr_inbound *in, bool classed_only, sgr_arena *a, pull_cands *c)
{
    memset(c, 0, sizeof *c);
    c->scanning = true;
    if (in->routed && in->n_sides) {
        c->to_sides = SGR_NEW_N(a, uint32_t, in->n_sides);
        for (uint32_t i = 0; i < in->n_sides; i++)
            c->to_sides[c->n_to_sides++] = sgr_pull_side_no(P, &in->sides[i]);
    }
    if (in->open) {
        c->scan_all = true;
        return;
    }
    uint32_t cap = 0;
    c->wide = SGR_NEW_N(a, const sgr_inbound_rule *, in->n_rules ? in->n_rules : 1);
    const pull_rule_cands **wide_rc = SGR_NEW_N(a, const pull_rule_cands *, in->n_rules ? in->n_rules : 1);
    bool all_bits = true;
    for (uint32_t i = 0; i < in->n_rules; i++) {
        const pull_rule_cands *rc = sgr_pull_rule_cands(P, &in->rules[i]);
        if (rc->wide) {
            wide_rc[c->n_wide] = rc;
            c->wide[c->n_wide++] = &in->rules[i];
            all_bits = all_bits && rc->bits;
            continue;
        }
        if (c->n_list + rc->n > cap)
            c->list = sgr_arena_grow(a, c->list, &cap, c->n_list + rc->n, sizeof *c->list);
        if (rc->n)
            memcpy(c->list + c->n_list, rc->s, rc->n * sizeof *c->list);
        c->n_list += rc->n;
    }
    if (c->n_list + P->n_always > cap)
        c->list = sgr_arena_grow(a, c->list, &cap, c->n_list + P->n_always, sizeof *c->list);
    for (uint32_t i = 0; i < P->n_always; i++)
        c->list[c->n_list++] = P->always[i];
    if (c->n_list)
        qsort(c->list, c->n_list, sizeof *c->list, sgr_pull_cmp_u32);
    uint32_t k = 0;
    for (uint32_t i = 0; i < c->n_list; i++)
        if ((k == 0 || c->list[k - 1] != c->list[i]) && (!classed_only || P->src[c->list[i]].classed))
            c->list[k++] = c->list[i];
    c->n_list = k;
    c->scanning = c->n_wide > 0;
    if (c->n_wide && all_bits) {
        c->scan_bits = SGR_NEW_N(a, uint64_t, P->n_src / 64 + 1);
        for (uint32_t i = 0; i < c->n_wide; i++)
            for (uint32_t w = 0; w <= P->n_src / 64; w++)
                c->scan_bits[w] |= wide_rc[i]->bits[w];
    }
}

uint32_t sgr_pull_cands_next(pull_state *P, pull_cands *c, bool classed_only)
{
    for (;;) {
        uint32_t scan = NONE;
        while (c->scanning && c->si < P->n_src) {
            if (!c->scan_all && !c->scan_bits) { /* each wide rule searched for the source */
                const pull_source *s = &P->src[c->si];
                bool in = false;
                for (uint32_t w = 0; !in && w < c->n_wide; w++)
                    in = s->indexed && sgr_addrset_contains4(c->wide[w]->peers, s->addr);
                if (!in) {
                    c->si++;
                    continue;
                }
            } else if (!c->scan_all) { /* to the next source some wide rule admits */
                uint64_t w = c->scan_bits[c->si / 64] >> (c->si % 64);
                if (!w) {
                    c->si = (c->si / 64 + 1) * 64;
                    continue;
                }
                for (; !(w & 1); w >>= 1)
                    c->si++;
                if (c->si >= P->n_src)
                    break;
            }
            if (!classed_only || P->src[c->si].classed) {
                scan = c->si;
                break;
            }
            c->si++;
        }
        uint32_t listed = c->li < c->n_list ? c->list[c->li] : NONE;
        uint32_t pick = scan < listed ? scan : listed;
        if (pick == NONE)
            return NONE;
        if (pick == scan)
            c->si++;
        if (pick == listed)
            c->li++;
        const pull_source *so = &P->src[pick];
        if (!(c->n_to_sides && so->side != NONE && sgr_pull_routes_shut(P, so->side, c->to_sides, c->n_to_sides)))
            return pick;
    }
}

/* Drops the rules that cannot open anything here: their ports outside the
 * filter's bound, or outside `cut` (a task's served ports). A source that
 * only they admit gets an answer (if any) that the bound or the served
 * filter empties. */
void sgr_pull_keep_rules(sgr_inbound *in, const sgr_proto_ports *cut, uint32_t n_cut, bool cut_on, sgr_arena *a)
{
    if (in->open)
        return;
    uint32_t k = 0;
    for (uint32_t i = 0; i < in->n_rules; i++) {
        sgr_inbound_rule r = in->rules[i];
        uint32_t n = r.n_ports;
        const sgr_proto_ports *p = r.ports;
        if (in->bounded)
            p = sgr_ports_intersect(p, n, in->bound, in->n_bound, a, &n);
        if (n && cut_on)
            p = sgr_ports_intersect(p, n, cut, n_cut, a, &n);
        if (n)
            in->rules[k++] = r;
    }
    in->n_rules = k;
}

/* Whether a client admitted by none of the target's rules may still pass:
 * a rule that refers to a group of the load balancer admits its traffic. */
bool sgr_pull_refers_to_lb(const sgr_inbound *in, const sgr_endpoint *lb)
{
    for (uint32_t i = 0; i < in->n_rules; i++)
        for (uint32_t g = 0; in->rules[i].ref_group && g < lb->lb->group_ids.count; g++)
            if (strcmp(in->rules[i].ref_group, lb->lb->group_ids.items[g]) == 0)
                return true;
    return false;
}

/* Source s is one the rules of `in` (not open) admit. */
bool sgr_pull_admits(const pull_state *P, const sgr_inbound *in, uint32_t s)
{
    const pull_source *so = &P->src[s];
    if (!so->indexed)
        return true;
    for (uint32_t i = 0; i < in->n_rules; i++)
        if (sgr_addrset_contains4(in->rules[i].peers, so->addr))
            return true;
    return false;
}

/* Fills s with what the inbound index needs of endpoint ep (a source of the
 * level, or --to an endpoint not reached yet) and files it under P's
 * address index. */
void sgr_pull_index_add(pull_state *P, const sgr_endpoint *ep, uint32_t j, const blast_node *n)
{
    blast_state *R = P->R;
    pull_source *s = &P->src[P->n_src];
    s->j = j;
    s->n = n;
    s->classed = in_graph(R, ep) && R->sig[ep->index];
    sgr_inbound_side sd;
    s->indexed = sgr_inbound_source(R->g, ep, &s->addr, &sd);
    s->side = s->indexed && sd.subnet && sd.vpc_id ? sgr_pull_side_no(P, &sd) : NONE;
    if (s->indexed)
        P->sorted[P->n_sorted++] = (pull_by_addr){s->addr, P->n_src};
    else
        P->always[P->n_always++] = P->n_src;
    if (!s->classed)
        P->unclassed[P->n_unclassed++] = P->n_src;
    P->n_src++;
}

void sgr_pull_index_init(pull_state *P, uint32_t cap)
{
    P->side_nos = sgr_strmap_new(P->a);
    P->src = SGR_NEW_N(P->a, pull_source, cap ? cap : 1);
    P->sorted = SGR_NEW_N(P->a, pull_by_addr, cap ? cap : 1);
    P->always = SGR_NEW_N(P->a, uint32_t, cap ? cap : 1);
    P->unclassed = SGR_NEW_N(P->a, uint32_t, cap ? cap : 1);
}

void sgr_pull_index_sort(pull_state *P)
{
    qsort(P->sorted, P->n_sorted, sizeof *P->sorted, cmp_by_addr);
}

void sgr_pull_sources(pull_state *P, blast_node *const *E, uint32_t ne, const bool *full)
{
    blast_state *R = P->R;
    sgr_pull_index_init(P, ne);
    for (uint32_t j = 0; j < ne; j++) {
        const sgr_endpoint *ep = E[j]->ep;
        if (in_graph(R, ep))
            P->epos[ep->index] = j;
        if (full[j])
            sgr_pull_index_add(P, ep, j, E[j]);
    }
    sgr_pull_index_sort(P);
}

sgr_proto_ports *sgr_pull_rules_ports(const sgr_inbound *in, sgr_arena *a, uint32_t *n)
{
    sgr_proto_ports *u = NULL;
    *n = 0;
    for (uint32_t i = 0; i < in->n_rules; i++)
        u = sgr_ports_union(u, *n, in->rules[i].ports, in->rules[i].n_ports, a, n);
    if (in->bounded)
        u = sgr_ports_intersect(u, *n, in->bound, in->n_bound, a, n);
    return u;
}
