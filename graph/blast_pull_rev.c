/*
 * One level of blast's closure with --to, pulled: the mirror of blast_pull.c.
 * The expansions (blast_run.c) ask, for each endpoint E[j] of the level,
 * every endpoint not reached yet whether it reaches E[j], and for each load
 * balancer that reaches E[j] every client of it: level × estate look-ups, and
 * an evaluation per pair of classes. Here each group of endpoints not reached
 * yet (one pair class) walks only the level's endpoints whose inbound rules
 * admit its address (graph/inbound.h: the engine's own cheap "nothing"), less
 * those routes or ACLs keep out, in the order the expansions would have met
 * them, and stops once it holds a definite event and its ports cover what
 * those rules could still open. A load balancer meets the level's endpoints
 * it targets (its own list) and, among the endpoints not reached yet, the
 * clients its inbound rules admit; each group of clients walks those targets
 * in order, with the same stop.
 *
 * Events and keys are blast_pull.c's (blast_pull_stream.c merges them into
 * the entries): (j, idx, k) = the level's endpoint E[j], the endpoint its
 * expansion met (the one reaching it, or the load balancer it went through)
 * and, through a load balancer, the client's place + 1. The entries are the
 * ones the expansions built; tests/e2e/test_blast_closure.sh compares them
 * with the reference.
 */
#include "blast_pull_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_FILTER = 0x4263 };

/* The level's full expansions (P.src) that share one inbound filter. */
typedef struct rev_filter {
    sgr_inbound in;
    bool classed;
    bool cut;                   /* its sources answer only on `served` (bridge, host tasks) */
    sgr_proto_ports *served;
    uint32_t n_served;
    uint32_t *s, n, cap;        /* positions in P.src, in order */
    uint32_t *sides, n_sides;   /* X's side numbers (none: routes not looked at) */
} rev_filter;

/* A rule of the filters, and the filters that hold it. */
typedef struct rev_rule {
    const sgr_inbound_rule *r;
    uint32_t *f, n, cap;
} rev_rule;

typedef struct rev_admit {
    uint32_t f;
    const sgr_inbound_rule *r;
} rev_admit;

/* Endpoints not reached yet that reach alike: one pair class, none sharing
 * the interface of an endpoint of the level (else one each). */
typedef struct rev_group {
    const sgr_endpoint **m;
    uint32_t n;
    rev_admit *narrow;          /* filters admitting it by a rule that admits few groups */
    uint32_t n_narrow, cap_narrow;
    bool out_on;                /* its outbound filter is not open: it sends only on `opens` */
    sgr_proto_ports *opens;
    uint32_t n_opens;
} rev_group;

typedef struct rev_state {
    pull_state P;               /* the entries; P.src: the level's full expansions */
    pull_state X;               /* the groups by address: X.src[g] stands for group g */
    blast_state *R;
    sgr_arena *a;
    rev_filter *filters;
    uint32_t n_filters;
    uint32_t *filter_of;        /* per P.src position */
    uint32_t *open, n_open;     /* filters that admit everything */
    rev_rule *rules;
    uint32_t n_rules;
    uint32_t *wide, n_wide;     /* rules that admit many groups */
    rev_group *groups;
    uint32_t n_groups;
    uint32_t *mark;             /* per filter: 2g + 2 admitted for group g, 2g + 3 shut */
} rev_state;

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
static void sources(rev_state *V, blast_node *const *E, uint32_t ne, const bool *full)
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

typedef struct member_ref {
    uint32_t sig, alone, idx;
} member_ref;

static int cmp_member(const void *x, const void *y)
{
    const member_ref *a = x, *b = y;
    if (a->sig != b->sig)
        return a->sig < b->sig ? -1 : 1;
    if (a->alone != b->alone)
        return a->alone < b->alone ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Every endpoint not reached yet (not a load balancer), in groups; each
 * group's representative indexed by address in X. */
static void groups_build(rev_state *V)
{
    blast_state *R = V->R;
    member_ref *v = SGR_NEW_N(V->a, member_ref, R->n_eps ? R->n_eps : 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < R->n_eps; i++) {
        const sgr_endpoint *ep = R->eps[i];
        if (ep->kind == SGR_EP_LB || settled(R, ep, V->P.depth))
            continue;
        bool alone = !R->sig[i] || sgr_pull_hosts_a_source(&V->P, ep);
        v[n++] = (member_ref){alone ? 0 : R->sig[i], alone ? i + 1 : 0, i};
    }
    qsort(v, n, sizeof *v, cmp_member);
    V->groups = SGR_NEW_N(V->a, rev_group, n ? n : 1);
    const sgr_endpoint **all = SGR_NEW_N(V->a, const sgr_endpoint *, n ? n : 1);
    sgr_pull_index_init(&V->X, n);
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i;
        rev_group *g = &V->groups[V->n_groups];
        g->m = all + i;
        for (; j < n && v[j].sig == v[i].sig && v[j].alone == v[i].alone; j++)
            all[j] = R->eps[v[j].idx];
        g->n = j - i;
        sgr_pull_index_add(&V->X, g->m[0], V->n_groups, NULL);
        V->n_groups++;
        i = j;
    }
    sgr_pull_index_sort(&V->X);
}

/* ------------------------------------------------------------------ the level's filters */

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
static void filters_build(rev_state *V)
{
    blast_state *R = V->R;
    pull_state *P = &V->P;
    sgr_strmap *by_key = sgr_strmap_new(V->a);
    V->filters = SGR_NEW_N(V->a, rev_filter, P->n_src ? P->n_src : 1);
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
            rev_filter *fl = &V->filters[f - 1];
            memset(fl, 0, sizeof *fl);
            fl->classed = P->src[s].classed;
            /* rules that open nothing it serves admit nothing that counts */
            fl->cut = sgr_blast_served(R, ep, "direct", &fl->served, &fl->n_served);
            sgr_pull_keep_rules(&in, fl->served, fl->n_served, fl->cut, V->a);
            fl->in = in;
            if (in.routed && in.n_sides) {
                fl->sides = SGR_NEW_N(V->a, uint32_t, in.n_sides);
                for (uint32_t i = 0; i < in.n_sides; i++)
                    fl->sides[fl->n_sides++] = sgr_pull_side_no(&V->X, &in.sides[i]);
            }
            if (in.open)
                V->open[V->n_open++] = (uint32_t)f - 1;
        }
        rev_filter *fl = &V->filters[f - 1];
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
            rev_rule *rr = &V->rules[k - 1];
            push_u32(V->a, &rr->f, &rr->n, &rr->cap, f);
        }
    }
    sgr_memo_free(&ids);
    for (uint32_t k = 0; k < V->n_rules; k++) {
        const pull_rule_cands *rc = sgr_pull_rule_cands(&V->X, V->rules[k].r);
        if (rc->wide) {
            push_u32(V->a, &V->wide, &V->n_wide, &cap_wide, k);
            continue;
        }
        for (uint32_t i = 0; i < rc->n; i++) {
            rev_group *g = &V->groups[rc->s[i]];
            for (uint32_t x = 0; x < V->rules[k].n; x++) {
                if (g->n_narrow == g->cap_narrow)
                    g->narrow = sgr_arena_grow(V->a, g->narrow, &g->cap_narrow, g->n_narrow + 1, sizeof *g->narrow);
                g->narrow[g->n_narrow++] = (rev_admit){V->rules[k].f[x], V->rules[k].r};
            }
        }
    }
    V->mark = SGR_NEW_N(V->a, uint32_t, V->n_filters ? V->n_filters : 1);
}

/* ------------------------------------------------------------------ one group's walk */

/* What the admitted filters let group g hear: filters in `adm`, the bound in st. */
typedef struct admitted {
    uint32_t *f, n;
    uint32_t n_srcs;            /* their sources (classed only, when asked) */
} admitted;

/* What filter fl may open to group gr on ports p (NULL: any port), cut to
 * its bound, the ports its endpoints serve and the ports the group's
 * outbound rules open (sgr_outbound_of); added to the stream's bound.
 * False when that is nothing. */
static bool bound_add(rev_state *V, const rev_group *gr, pull_stream *st, const rev_filter *fl,
                      const sgr_proto_ports *p, uint32_t n)
{
    uint32_t nc = n;
    const sgr_proto_ports *c = p;
    bool all = !p;
    if (fl->in.bounded) {
        c = all ? fl->in.bound : sgr_ports_intersect(c, nc, fl->in.bound, fl->in.n_bound, V->a, &nc);
        nc = all ? fl->in.n_bound : nc;
        all = false;
    }
    if (fl->cut) {
        c = all ? fl->served : sgr_ports_intersect(c, nc, fl->served, fl->n_served, V->a, &nc);
        nc = all ? fl->n_served : nc;
        all = false;
    }
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

/* Filter f admits group g (by rule r; NULL: all of its rules, or open),
 * unless routes or ACLs keep them apart or nothing could pass. */
static void admit(rev_state *V, uint32_t g, uint32_t f, const sgr_inbound_rule *r, admitted *ad, pull_stream *st)
{
    const rev_filter *fl = &V->filters[f];
    const rev_group *gr = &V->groups[g];
    const pull_source *rep = &V->X.src[g];
    if (V->mark[f] == 2 * g + 3)
        return;
    bool known = V->mark[f] == 2 * g + 2;
    if (!known && fl->n_sides && rep->side != NONE && sgr_pull_routes_shut(&V->X, rep->side, fl->sides, fl->n_sides)) {
        V->mark[f] = 2 * g + 3;
        return;
    }
    bool ok = false;
    if (r) {
        ok = bound_add(V, gr, st, fl, r->ports, r->n_ports);
    } else if (fl->in.open) {
        ok = bound_add(V, gr, st, fl, NULL, 0);
    } else {
        for (uint32_t i = 0; i < fl->in.n_rules; i++)
            ok |= bound_add(V, gr, st, fl, fl->in.rules[i].ports, fl->in.rules[i].n_ports);
    }
    if (ok && !known) {
        V->mark[f] = 2 * g + 2;
        ad->f[ad->n++] = f;
    }
}

/* The filters that admit group g, and the bound of what they may open. */
static void admitted_of(rev_state *V, uint32_t g, admitted *ad, pull_stream *st)
{
    const pull_source *rep = &V->X.src[g];
    const rev_group *gr = &V->groups[g];
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
        admit(V, g, gr->narrow[i].f, gr->narrow[i].r, ad, st);
    for (uint32_t w = 0; w < V->n_wide; w++) {
        const rev_rule *rr = &V->rules[V->wide[w]];
        if (sgr_addrset_contains4(rr->r->peers, rep->addr))
            for (uint32_t x = 0; x < rr->n; x++)
                admit(V, g, rr->f[x], rr->r, ad, st);
    }
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* Pairs on one interface (the docker bridge, loopback): each endpoint of
 * the level on ep's interface, one event each, by the engine. */
static void mates(rev_state *V, const sgr_endpoint *ep)
{
    blast_state *R = V->R;
    const sgr_endpoint *const *m = R->mates[ep->index];
    for (uint32_t i = 0; m && m[i]; i++) {
        uint32_t j = V->P.epos[m[i]->index];
        if (j == NONE)
            continue;
        sgr_reach r;
        if (sgr_blast_pair_answer(R, ep, m[i], &r))
            sgr_pull_single(&V->P, j, V->P.E[j], &r, ep, ep->index, 0);
    }
}

/* Group g: the level's endpoints it reaches, directly. */
static void group_walk(rev_state *V, uint32_t g, admitted *ad, uint32_t *list)
{
    blast_state *R = V->R;
    pull_state *P = &V->P;
    const rev_group *gr = &V->groups[g];
    const sgr_endpoint *rep = gr->m[0];
    bool grouped = R->sig[rep->index] != 0; /* else every source is asked about it */
    pull_stream st = {0};
    /* what its outbound rules let it send (graph/inbound.h: sgr_outbound_of) */
    rev_group *gw = &V->groups[g];
    sgr_inbound out;
    sgr_outbound_of(R->g, rep, &out, V->a);
    gw->out_on = !out.open;
    for (uint32_t i = 0; i < out.n_rules; i++)
        gw->opens = sgr_ports_union(gw->opens, gw->n_opens, out.rules[i].ports, out.rules[i].n_ports, V->a, &gw->n_opens);
    if (gw->out_on && !gw->n_opens)
        return; /* it sends nothing */
    admitted_of(V, g, ad, &st);
    if (!ad->n)
        return;
    /* the candidates in order: a list when few, else a scan of the marks */
    uint32_t total = 0;
    for (uint32_t i = 0; i < ad->n; i++)
        if (!grouped || V->filters[ad->f[i]].classed)
            total += V->filters[ad->f[i]].n;
    bool scan = total > 64 && total * 4 > P->n_src;
    uint32_t n_list = 0;
    if (!scan) {
        for (uint32_t i = 0; i < ad->n; i++) {
            const rev_filter *fl = &V->filters[ad->f[i]];
            if (grouped && !fl->classed)
                continue;
            memcpy(list + n_list, fl->s, fl->n * sizeof *list);
            n_list += fl->n;
        }
        qsort(list, n_list, sizeof *list, cmp_u32);
    }
    for (uint32_t i = 0; !st.done && i < (scan ? P->n_src : n_list); i++) {
        uint32_t s = scan ? i : list[i];
        if (scan && (V->mark[V->filter_of[s]] != 2 * g + 2 || (grouped && !V->filters[V->filter_of[s]].classed)))
            continue;
        const pull_source *so = &P->src[s];
        if (so->n->ep->eni && so->n->ep->eni == rep->eni)
            continue; /* on its interface: mates() */
        sgr_reach r, fr;
        if (sgr_blast_pair_answer(R, rep, so->n->ep, &r) && r.verdict != SGR_UNREACHABLE &&
            sgr_blast_filter(R, so->n->ep, &r, &fr)) {
            sgr_pull_stream_take(R, P->a, &st, (pull_evkey){so->j, 0, 0}, so->n, &fr);
            sgr_pull_stream_check_done(&st);
        }
    }
    for (uint32_t i = 0; i < gr->n; i++)
        sgr_pull_apply(P, &st, gr->m[i], gr->m[i]->index, 0);
    if (!grouped)
        return;
    /* sources without a class answer for themselves, per member */
    for (uint32_t i = 0; i < ad->n; i++) {
        const rev_filter *fl = &V->filters[ad->f[i]];
        for (uint32_t x = 0; !fl->classed && x < fl->n; x++) {
            const pull_source *so = &P->src[fl->s[x]];
            for (uint32_t k = 0; k < gr->n; k++) {
                sgr_reach r;
                if (so->n->ep->eni && so->n->ep->eni == gr->m[k]->eni)
                    continue;
                if (sgr_blast_pair_answer(R, gr->m[k], so->n->ep, &r))
                    sgr_pull_single(P, so->j, so->n, &r, gr->m[k], gr->m[k]->index, 0);
            }
        }
    }
}

/* ------------------------------------------------------------------ load balancers */

/* One hop of lb to an endpoint of the level. */
typedef struct rev_target {
    uint32_t j;
    const sgr_reach *hop;
    const sgr_inbound *own;     /* lb shows it the client's address: its inbound rules on the
                                 * ports lb sends (graph/inbound.h); NULL: not asked */
    sgr_proto_ports *sent;      /* what lb sends it (the hop's ports, definite and possible) */
    uint32_t n_sent;
} rev_target;

static int cmp_target(const void *x, const void *y)
{
    const rev_target *a = x, *b = y;
    return a->j < b->j ? -1 : a->j > b->j;
}

static bool admits(const sgr_inbound *in, uint32_t addr)
{
    for (uint32_t i = 0; i < in->n_rules; i++)
        if (sgr_addrset_contains4(in->rules[i].peers, addr))
            return true;
    return false;
}

/* The targets of lb in the level: all, and for clients with a class the
 * first of each key, served ports and verdict; what lb sends them. */
typedef struct rev_lb {
    const sgr_endpoint *lb;
    const rev_target *all, *firsts;
    uint32_t n_all, n_firsts;
    const sgr_proto_ports *bound;
    uint32_t n_bound;
    bool keyed;                 /* every first target has a class: a client's walk is its key's */
    const char *via;
    sgr_memo walks;             /* client key -> the walk's stream */
} rev_lb;

/* Every member of group gr already holds, from this level, a definite event
 * earlier than any lb can bring from the level's endpoint E[j] on, and
 * every port of `sent`: what lb brings them on those ports from there
 * changes nothing (ports merge to the same union; the first definite event
 * stays). */
static bool dominated(const rev_state *V, const sgr_endpoint *lb, uint32_t j, const sgr_proto_ports *sent,
                      uint32_t n_sent, const rev_group *gr)
{
    const blast_state *R = V->R;
    pull_evkey first = {j, lb->index, 0};
    for (uint32_t i = 0; i < gr->n; i++) {
        const pull_firsts *e = &V->P.entry[gr->m[i]->index];
        const blast_node *x = R->at[gr->m[i]->index];
        if (!e->have_def || key_cmp(e->def_key, first) >= 0 || !x || !sgr_ports_cover(x->ports, x->n_ports, sent, n_sent))
            return false;
    }
    return true;
}

/* Group g as clients of lb: the targets (in order) they get to through it.
 * Clients with one key (sgr_blast_client_key) get the same answers from
 * sgr_blast_verify for every target: one walk stands for them all. */
static void client_walk(rev_state *V, rev_lb *L, uint32_t g)
{
    blast_state *R = V->R;
    pull_state *P = &V->P;
    const rev_group *gr = &V->groups[g];
    const sgr_endpoint *rep = gr->m[0], *lb = L->lb;
    if ((gr->out_on && !gr->n_opens) || !L->n_all || dominated(V, lb, L->all[0].j, L->bound, L->n_bound, gr))
        return;
    sgr_reach r;
    if (!sgr_blast_pair_answer(R, rep, lb, &r) || r.verdict == SGR_UNREACHABLE)
        return; /* not a client */
    bool classed = R->sig[rep->index] != 0;
    const rev_target *t = classed ? L->firsts : L->all;
    uint32_t n_t = classed ? L->n_firsts : L->n_all;
    uint32_t key = 0;
    pull_stream *st = NULL;
    if (classed && n_t) {
        key = L->keyed ? sgr_blast_client_key(R, rep, lb, P->E[t[0].j]->ep) : R->sig[rep->index];
        st = sgr_memo_get(&L->walks, key, 0, 0);
    }
    if (!st) {
        st = SGR_NEW(V->a, pull_stream);
        st->bounded = true;
        st->bound = L->bound;
        st->n_bound = L->n_bound;
        const pull_source *at = &V->X.src[g];
        bool own = false; /* a target left out for this group's entries: the walk is its own */
        for (uint32_t i = 0; !st->done && i < n_t; i++) {
            if (t[i].own && at->indexed && !admits(t[i].own, at->addr))
                continue; /* refused: sgr_blast_verify would let nothing through */
            if (dominated(V, lb, t[i].j, t[i].sent, t[i].n_sent, gr)) {
                own = true;
                continue;
            }
            sgr_arena_reset(R->scratch);
            const blast_node *to = P->E[t[i].j];
            sgr_reach rr, fr;
            if (sgr_blast_via_lb(R, rep, t[i].hop, lb, to->ep, L->via, &rr) && sgr_blast_filter(R, to->ep, &rr, &fr)) {
                sgr_pull_stream_take(R, P->a, st, (pull_evkey){t[i].j, 0, 0}, to, &fr);
                sgr_pull_stream_check_done(st);
            }
        }
        if (classed && n_t && !own)
            sgr_memo_put(&L->walks, key, 0, 0, st);
    }
    for (uint32_t i = 0; i < gr->n; i++)
        sgr_pull_apply(P, st, gr->m[i], lb->index, gr->m[i]->index + 1);
}

/* Load balancer lb this level: its own entry (the level's endpoints it
 * targets), and its clients' through it. */
static void through(rev_state *V, const sgr_endpoint *lb)
{
    blast_state *R = V->R;
    pull_state *P = &V->P;
    const blast_lbcache *c = sgr_blast_lb_out(R, lb);
    rev_target *t = NULL;
    uint32_t n_t = 0, cap = 0;
    for (uint32_t k = 0; k < c->n_out; k++) {
        const sgr_endpoint *to = c->out[k].to;
        if (!to || !in_graph(R, to) || P->epos[to->index] == NONE || c->out[k].verdict == SGR_UNREACHABLE)
            continue;
        if (n_t == cap)
            t = sgr_arena_grow(V->a, t, &cap, n_t + 1, sizeof *t);
        t[n_t++] = (rev_target){P->epos[to->index], &c->out[k], NULL, NULL, 0};
        t[n_t - 1].sent = sgr_ports_union(c->out[k].ports, c->out[k].n_ports, c->out[k].maybe, c->out[k].n_maybe, V->a,
                                          &t[n_t - 1].n_sent);
    }
    if (!n_t)
        return;
    qsort(t, n_t, sizeof *t, cmp_target);
    for (uint32_t i = 0; i < n_t; i++) {
        sgr_arena_reset(R->scratch);
        sgr_pull_single(P, t[i].j, P->E[t[i].j], t[i].hop, lb, lb->index, 0);
    }
    /* what any client may get: the ports lb sends the targets */
    sgr_proto_ports *bound = NULL;
    uint32_t n_bound = 0;
    for (uint32_t i = 0; i < n_t; i++)
        bound = sgr_ports_union(bound, n_bound, t[i].sent, t[i].n_sent, V->a, &n_bound);
    /* a load balancer that shows its targets the client's address: a target
     * hears only the clients its own rules admit (or all, when one refers to
     * lb's groups) */
    if (!R->lbs[lb->index].shows)
        R->lbs[lb->index].shows = (int)sgr_inbound_lb_shows(R->g, lb, V->a) + 1;
    for (uint32_t i = 0; R->lbs[lb->index].shows - 1 == SGR_LB_SHOWS_CLIENT && i < n_t; i++) {
        sgr_inbound *own = SGR_NEW(V->a, sgr_inbound);
        sgr_inbound_of(R->g, t[i].hop->to, own, V->a);
        sgr_pull_keep_rules(own, t[i].sent, t[i].n_sent, true, V->a);
        t[i].own = own->open || sgr_pull_refers_to_lb(own, lb) ? NULL : own;
    }
    /* for clients with a class: the first target of each key, served ports and verdict */
    rev_lb L = {.lb = lb, .all = t, .n_all = n_t, .bound = bound, .n_bound = n_bound, .keyed = true};
    rev_target *firsts = SGR_NEW_N(V->a, rev_target, n_t);
    sgr_memo seen = {0};
    for (uint32_t i = 0; i < n_t; i++) {
        const sgr_endpoint *to = P->E[t[i].j]->ep;
        L.keyed &= R->sig[to->index] != 0;
        uint32_t key = R->sig[to->index] ? sgr_blast_target_key(R, lb, to) : 0x80000000u | to->index;
        uint32_t served = sgr_pull_served_number(P, to), v = (uint32_t)P->E[t[i].j]->verdict;
        if (sgr_memo_get(&seen, key, served, v))
            continue;
        sgr_memo_put(&seen, key, served, v, (void *)1);
        firsts[L.n_firsts++] = t[i];
    }
    sgr_memo_free(&seen);
    L.firsts = firsts;
    L.via = sgr_arena_printf(V->a, "lb:%s", lb->name ? lb->name : lb->id);
    sgr_inbound in;
    sgr_inbound_of(R->g, lb, &in, V->a);
    sgr_pull_keep_rules(&in, NULL, 0, false, V->a);
    pull_cands cands;
    sgr_pull_cands_init(&V->X, &in, false, V->a, &cands);
    for (uint32_t g; (g = sgr_pull_cands_next(&V->X, &cands, false)) != NONE;)
        client_walk(V, &L, g);
    sgr_memo_free(&L.walks);
}

/* ------------------------------------------------------------------ the level */

void sgr_blast_pull_rev(blast_state *R, blast_level *next, blast_node *const *E, uint32_t ne, const bool *full,
                        uint32_t depth)
{
    rev_state V = {0};
    V.R = R;
    V.a = sgr_arena_new();
    pull_state *P = &V.P;
    P->R = V.X.R = R;
    P->next = next;
    P->depth = V.X.depth = depth;
    P->E = E;
    P->a = V.X.a = V.a;
    uint32_t n = R->n_eps ? R->n_eps : 1;
    P->epos = SGR_NEW_N(V.a, uint32_t, n);
    memset(P->epos, 0xff, n * sizeof *P->epos);
    P->entry = SGR_NEW_N(V.a, pull_firsts, n);
    P->touched = SGR_NEW_N(V.a, uint32_t, n);
    P->served_id = SGR_NEW_N(V.a, uint32_t, n);
    P->served_ids = sgr_strmap_new(V.a);
    sources(&V, E, ne, full);
    groups_build(&V);
    filters_build(&V);
    uint32_t *list = SGR_NEW_N(V.a, uint32_t, P->n_src ? P->n_src : 1);
    admitted ad = {SGR_NEW_N(V.a, uint32_t, V.n_filters ? V.n_filters : 1), 0, 0};
    for (uint32_t g = 0; g < V.n_groups; g++) {
        for (uint32_t i = 0; i < V.groups[g].n; i++)
            mates(&V, V.groups[g].m[i]);
        sgr_arena_reset(R->scratch);
        group_walk(&V, g, &ad, list);
    }
    for (uint32_t i = 0; i < R->n_eps; i++)
        if (R->eps[i]->kind == SGR_EP_LB)
            through(&V, R->eps[i]);
    sgr_pull_finish(P);
    sgr_memo_free(&P->rule_memo);
    sgr_memo_free(&P->sides_shut);
    sgr_memo_free(&V.X.rule_memo);
    sgr_memo_free(&V.X.sides_shut);
    sgr_arena_free(V.a);
}
