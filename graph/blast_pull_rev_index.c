/*
 * What a level of blast's closure with --to walks (blast_pull_rev.c): the
 * level's endpoints that answer alike asked once, the endpoints not reached
 * yet in groups indexed by address, the inbound filters of the level's
 * endpoints (graph/inbound.h) and which of them admit a group: a rule that
 * admits few groups is listed in them, a wider one asked per group.
 */
#include "blast_pull_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_FILTER = 0x4263 };

/* ------------------------------------------------------------------ the level's endpoints */

typedef struct rev_rep {
    const sgr_eni *first;
    bool other;
} rev_rep;

/* The full expansions the walks ask, in order. Of those with one pair class,
 * served ports and verdict, whoever reaches one reaches each alike (the same
 * answer, cut to the same ports, from a node as sure): only the first
 * counts, and the first on another interface for the endpoints on the
 * first one's (which ask their own interface's by mates()). */
void sgr_pull_rev_sources(pull_rev_state *V, blast_node *const *E, uint32_t ne, const bool *full)
{
    blast_state *R = V->R;
    pull_state *P = &V->P;
    sgr_pull_index_init(P, ne);
    sgr_memo reps = {0};
    for (uint32_t j = 0; j < ne; j++) {
        const sgr_endpoint *ep = E[j]->ep;
        P->epos[ep->index] = j;
        if (!full[j])
            continue;
        if (R->sig[ep->index]) {
            uint32_t served = sgr_pull_served_number(P, ep);
            rev_rep *p = sgr_memo_get(&reps, R->sig[ep->index], served, (uint32_t)E[j]->verdict);
            if (!p) {
                p = SGR_NEW(V->a, rev_rep);
                p->first = ep->eni;
                sgr_memo_put(&reps, R->sig[ep->index], served, (uint32_t)E[j]->verdict, p);
            } else if (!p->other && ep->eni != p->first) {
                p->other = true;
            } else {
                continue;
            }
        }
        sgr_pull_index_add(P, ep, j, E[j]);
    }
    sgr_memo_free(&reps);
}

/* ------------------------------------------------------------------ the endpoints not reached yet */

/* Every endpoint not reached yet (not a load balancer), in groups; each
 * group's representative indexed by address in X. */
void sgr_pull_rev_groups(pull_rev_state *V)
{
    blast_state *R = V->R;
    pull_member *v = SGR_NEW_N(V->a, pull_member, R->n_eps ? R->n_eps : 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < R->n_eps; i++) {
        const sgr_endpoint *ep = R->eps[i];
        if (ep->kind == SGR_EP_LB || settled(R, ep, V->P.depth))
            continue;
        bool alone = !R->sig[i] || sgr_pull_hosts_a_source(&V->P, ep);
        v[n++] = (pull_member){alone ? 0 : R->sig[i], alone ? i + 1 : 0, i};
    }
    qsort(v, n, sizeof *v, sgr_pull_cmp_member);
    V->groups = SGR_NEW_N(V->a, pull_rev_group, n ? n : 1);
    const sgr_endpoint **all = SGR_NEW_N(V->a, const sgr_endpoint *, n ? n : 1);
    sgr_pull_index_init(&V->X, n);
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i;
        pull_rev_group *g = &V->groups[V->n_groups];
        g->m = all + i;
        for (; j < n && v[j].sig == v[i].sig && v[j].sub == v[i].sub; j++)
            all[j] = R->eps[v[j].idx];
        g->n = j - i;
        sgr_pull_index_add(&V->X, g->m[0], V->n_groups, NULL);
        V->n_groups++;
        i = j;
    }
    sgr_pull_index_sort(&V->X);
}

/* ------------------------------------------------------------------ the level's filters */

/* What filter fl may open on ports p (NULL: any port): p cut to its most.
 * A filter whose most is nothing (a task that serves no port) opens nothing,
 * not any port. */
static pull_rev_cut filter_cut(pull_rev_state *V, const pull_rev_filter *fl, const sgr_proto_ports *p, uint32_t n)
{
    pull_rev_cut c = {!p, p, n};
    if (fl->capped && !p)
        c = (pull_rev_cut){false, fl->most, fl->n_most};
    else if (fl->capped)
        c.p = sgr_ports_intersect(p, n, fl->most, fl->n_most, V->a, &c.n);
    return c;
}

/* What tells two filters apart: openness, sides, rules. */
static const char *filter_key(const sgr_inbound *in, bool classed, uint32_t served, sgr_arena *a)
{
    size_t len = 48 + (size_t)(in->n_sides * 2 + in->n_rules) * 20;
    char *key = sgr_arena_alloc(a, len);
    int n = snprintf(key, len, "%d%d%d%d|%u|", classed, in->open, in->routed, in->bounded, served);
    for (uint32_t i = 0; i < in->n_sides; i++)
        n += snprintf(key + n, len - (size_t)n, "%p,%p;", (const void *)in->sides[i].subnet,
                      (const void *)in->sides[i].vpc_id);
    for (uint32_t i = 0; i < in->n_rules && !in->open; i++)
        n += snprintf(key + n, len - (size_t)n, "%p,", in->rules[i].id);
    return key;
}

static void push_u32(sgr_arena *a, uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t x)
{
    if (*n == *cap)
        *v = sgr_arena_grow(a, *v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = x;
}

/* The full expansions' inbound filters, and their rules: narrow ones listed
 * in the groups they admit, wide ones kept to be asked per group. */
void sgr_pull_rev_filters(pull_rev_state *V)
{
    blast_state *R = V->R;
    pull_state *P = &V->P;
    sgr_strmap *by_key = sgr_strmap_new(V->a);
    V->filters = SGR_NEW_N(V->a, pull_rev_filter, P->n_src ? P->n_src : 1);
    V->filter_of = SGR_NEW_N(V->a, uint32_t, P->n_src ? P->n_src : 1);
    V->open = SGR_NEW_N(V->a, uint32_t, P->n_src ? P->n_src : 1);
    for (uint32_t s = 0; s < P->n_src; s++) {
        const sgr_endpoint *ep = P->src[s].n->ep;
        sgr_inbound in;
        sgr_inbound_of(R->g, ep, &in, V->a);
        const char *key = filter_key(&in, P->src[s].classed, sgr_pull_served_number(P, ep), V->a);
        uintptr_t f = (uintptr_t)sgr_strmap_get(by_key, TAG_FILTER, key);
        if (!f) {
            f = ++V->n_filters;
            sgr_strmap_put(by_key, TAG_FILTER, key, (void *)f);
            pull_rev_filter *fl = &V->filters[f - 1];
            memset(fl, 0, sizeof *fl);
            fl->classed = P->src[s].classed;
            /* rules that open nothing it serves admit nothing that counts */
            fl->cut = sgr_blast_served(R, ep, "direct", &fl->served, &fl->n_served);
            sgr_pull_keep_rules(&in, fl->served, fl->n_served, fl->cut, V->a);
            fl->in = in;
            fl->capped = in.bounded || fl->cut;
            if (in.bounded && fl->cut) {
                fl->most = sgr_ports_intersect(in.bound, in.n_bound, fl->served, fl->n_served, V->a, &fl->n_most);
            } else if (fl->capped) {
                fl->most = in.bounded ? in.bound : fl->served;
                fl->n_most = in.bounded ? in.n_bound : fl->n_served;
            }
            if (in.routed && in.n_sides) {
                fl->sides = SGR_NEW_N(V->a, uint32_t, in.n_sides);
                for (uint32_t i = 0; i < in.n_sides; i++)
                    fl->sides[fl->n_sides++] = sgr_pull_side_no(&V->X, &in.sides[i]);
            }
            if (in.open)
                V->open[V->n_open++] = (uint32_t)f - 1;
        }
        pull_rev_filter *fl = &V->filters[f - 1];
        push_u32(V->a, &fl->s, &fl->n, &fl->cap, s);
        V->filter_of[s] = (uint32_t)f - 1;
    }
    /* the rules, each once */
    sgr_memo ids = {0};
    uint32_t cap = 0, cap_wide = 0;
    for (uint32_t f = 0; f < V->n_filters; f++) {
        const sgr_inbound *in = &V->filters[f].in;
        for (uint32_t i = 0; i < in->n_rules && !in->open; i++) {
            uintptr_t id = (uintptr_t)in->rules[i].id;
            uint32_t lo = (uint32_t)id, hi = (uint32_t)((uint64_t)id >> 32);
            uintptr_t k = (uintptr_t)sgr_memo_get(&ids, lo, hi, 0);
            if (!k) {
                if (V->n_rules == cap)
                    V->rules = sgr_arena_grow(V->a, V->rules, &cap, V->n_rules + 1, sizeof *V->rules);
                memset(&V->rules[V->n_rules], 0, sizeof *V->rules);
                V->rules[V->n_rules].r = &in->rules[i];
                k = ++V->n_rules;
                sgr_memo_put(&ids, lo, hi, 0, (void *)k);
            }
            pull_rev_rule *rr = &V->rules[k - 1];
            push_u32(V->a, &rr->f, &rr->n, &rr->cap, f);
        }
    }
    sgr_memo_free(&ids);
    for (uint32_t k = 0; k < V->n_rules; k++) {
        pull_rev_rule *rr = &V->rules[k];
        rr->cut = SGR_NEW_N(V->a, pull_rev_cut, rr->n);
        for (uint32_t x = 0; x < rr->n; x++)
            rr->cut[x] = filter_cut(V, &V->filters[rr->f[x]], rr->r->ports, rr->r->n_ports);
    }
    for (uint32_t k = 0; k < V->n_rules; k++) {
        const pull_rule_cands *rc = sgr_pull_rule_cands(&V->X, V->rules[k].r);
        if (rc->wide) {
            push_u32(V->a, &V->wide, &V->n_wide, &cap_wide, k);
            continue;
        }
        for (uint32_t i = 0; i < rc->n; i++) {
            pull_rev_group *g = &V->groups[rc->s[i]];
            for (uint32_t x = 0; x < V->rules[k].n; x++) {
                if (g->n_narrow == g->cap_narrow)
                    g->narrow = sgr_arena_grow(V->a, g->narrow, &g->cap_narrow, g->n_narrow + 1, sizeof *g->narrow);
                g->narrow[g->n_narrow++] = (pull_rev_admit){V->rules[k].f[x], &V->rules[k].cut[x]};
            }
        }
    }
    V->mark = SGR_NEW_N(V->a, uint32_t, V->n_filters ? V->n_filters : 1);
}

/* ------------------------------------------------------------------ one group's walk */


/* What a filter may open to group gr (cut: filter_cut's), cut to the ports
 * the group's outbound rules open (sgr_outbound_of); added to the stream's
 * bound. False when that is nothing. */
static bool bound_add(pull_rev_state *V, const pull_rev_group *gr, pull_stream *st, pull_rev_cut cut)
{
    uint32_t nc = cut.n;
    const sgr_proto_ports *c = cut.p;
    bool all = cut.all;
    if (!all && (!nc || (gr->out_on && !sgr_ports_overlap(c, nc, gr->opens, gr->n_opens))))
        return false;
    if (gr->out_on) {
        c = all ? gr->opens : sgr_ports_intersect(c, nc, gr->opens, gr->n_opens, V->a, &nc);
        nc = all ? gr->n_opens : nc;
        all = false;
    }
    if (all) {
        st->bounded = false;
        return true;
    }
    if (!nc)
        return false;
    if (st->bounded)
        st->bound = sgr_ports_union(st->bound, st->n_bound, c, nc, V->a, &st->n_bound);
    return true;
}

/* Filter f admits group g (by a rule, what it may open through f: cut;
 * NULL: by all of its rules, or open), unless routes or ACLs keep them
 * apart or nothing could pass. */
static void admit(pull_rev_state *V, uint32_t g, uint32_t f, const pull_rev_cut *cut, pull_rev_admitted *ad,
                  pull_stream *st)
{
    const pull_rev_filter *fl = &V->filters[f];
    const pull_rev_group *gr = &V->groups[g];
    const pull_source *rep = &V->X.src[g];
    if (V->mark[f] == 2 * g + 3)
        return;
    bool known = V->mark[f] == 2 * g + 2;
    if (!known && fl->n_sides && rep->side != NONE && sgr_pull_routes_shut(&V->X, rep->side, fl->sides, fl->n_sides)) {
        V->mark[f] = 2 * g + 3;
        return;
    }
    bool ok = false;
    if (cut) {
        ok = bound_add(V, gr, st, *cut);
    } else if (fl->in.open) {
        ok = bound_add(V, gr, st, filter_cut(V, fl, NULL, 0));
    } else {
        for (uint32_t i = 0; i < fl->in.n_rules; i++)
            ok |= bound_add(V, gr, st, filter_cut(V, fl, fl->in.rules[i].ports, fl->in.rules[i].n_ports));
    }
    if (ok && !known) {
        V->mark[f] = 2 * g + 2;
        ad->f[ad->n++] = f;
    }
}

/* The filters that admit group g, and the bound of what they may open. */
void sgr_pull_rev_admitted(pull_rev_state *V, uint32_t g, pull_rev_admitted *ad, pull_stream *st)
{
    const pull_source *rep = &V->X.src[g];
    const pull_rev_group *gr = &V->groups[g];
    ad->n = 0;
    st->bounded = true;
    for (uint32_t i = 0; i < V->n_open; i++)
        admit(V, g, V->open[i], NULL, ad, st);
    if (!rep->indexed) {
        for (uint32_t f = 0; f < V->n_filters; f++)
            admit(V, g, f, NULL, ad, st);
        return;
    }
    for (uint32_t i = 0; i < gr->n_narrow; i++)
        admit(V, g, gr->narrow[i].f, gr->narrow[i].cut, ad, st);
    for (uint32_t w = 0; w < V->n_wide; w++) {
        const pull_rev_rule *rr = &V->rules[V->wide[w]];
        if (sgr_addrset_contains4(rr->r->peers, rep->addr))
            for (uint32_t x = 0; x < rr->n; x++)
                admit(V, g, rr->f[x], &rr->cut[x], ad, st);
    }
}
