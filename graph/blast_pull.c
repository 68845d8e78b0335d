/*
 * One level of blast's closure, forward, by destination ("pull"): instead of
 * expanding every source of the level toward every endpoint not reached yet
 * (sources × endpoints pair look-ups, and an evaluation per pair of classes
 * that reach each other: the square of the classes), each destination looks
 * for the sources its inbound rules admit (graph/inbound.h), in the order the
 * expansions would have met them, and stops as soon as nothing later can
 * change its entry.
 *
 * What an endpoint's entry holds after a level (blast_run.c): the union of
 * the ports of every event (a source of the level reaching it, directly or
 * through a load balancer), the path through the first event in expansion
 * order that is definite (else the first event), and its verdict. An event's
 * place in that order is its key (j, idx, k): the source's position in the
 * level's expansions, the endpoint the expansion met (the destination itself,
 * or the load balancer it went through) and, through a load balancer, the
 * target's place in its list. Events are gathered in streams (one
 * destination, or one group of destinations that every source reaches alike),
 * each walked in key order; a stream stops once it holds a definite event and
 * its ports cover everything the rest could add (the ports of the rules that
 * admit them). Streams merge by key, so the entry is the one the expansions
 * would have built. tests/e2e/test_blast_closure.sh compares the two.
 */
#include "blast_pull_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ------------------------------------------------------------------ streams */

/* What the rules may still open, cut to `cut` (the listener or served ports;
 * NULL: no cut): the stream's bound; the wide rules' part too. */
static void stream_bound(const sgr_inbound *in, const sgr_proto_ports *cut, uint32_t n_cut, bool cut_on,
                         sgr_arena *a, pull_stream *st)
{
    st->bounded = true;
    st->bound = NULL;
    st->n_bound = 0;
    if (in->open) {
        if (!in->bounded && !cut_on) {
            st->bounded = false;
            return;
        }
        if (in->bounded && cut_on) {
            uint32_t n;
            st->bound = sgr_ports_intersect(in->bound, in->n_bound, cut, n_cut, a, &n);
            st->n_bound = n;
        } else if (in->bounded) {
            st->bound = sgr_ports_union(in->bound, in->n_bound, NULL, 0, a, &st->n_bound);
        } else {
            st->bound = sgr_ports_union(cut, n_cut, NULL, 0, a, &st->n_bound);
        }
        return;
    }
    uint32_t nu;
    sgr_proto_ports *u = sgr_pull_rules_ports(in, a, &nu);
    if (cut_on)
        u = sgr_ports_intersect(u, nu, cut, n_cut, a, &nu);
    st->bound = u;
    st->n_bound = nu;
}

/* ------------------------------------------------------------------ destinations */

/* Sources on ep's own interface (the docker bridge, loopback): one event
 * each, by the engine. */
static void mates(pull_state *P, const sgr_endpoint *ep)
{
    blast_state *R = P->R;
    const sgr_endpoint *const *m = R->mates[ep->index];
    for (uint32_t i = 0; m && m[i]; i++) {
        uint32_t j = P->epos[m[i]->index];
        if (j == NONE)
            continue;
        sgr_reach r;
        if (sgr_blast_pair_answer(R, m[i], ep, &r))
            sgr_pull_single(P, j, P->E[j], &r, ep, ep->index, 0);
    }
}

/* The direct stream of a group of destinations (the same pair class and
 * served ports; none hosting a source): rep stands for all. */
static void direct_group(pull_state *P, const sgr_endpoint *const *members, uint32_t n_members)
{
    blast_state *R = P->R;
    const sgr_endpoint *rep = members[0];
    bool grouped = R->sig[rep->index] != 0; /* else a class of its own: every source is asked about it */
    sgr_inbound in;
    sgr_inbound_of(R->g, rep, &in, P->a);
    pull_stream st = {0};
    sgr_proto_ports *served;
    uint32_t n_served;
    bool cut = sgr_blast_served(R, rep, "direct", &served, &n_served);
    sgr_pull_keep_rules(&in, served, n_served, cut, P->a);
    stream_bound(&in, served, n_served, cut, P->a, &st);
    pull_cands c;
    sgr_pull_cands_init(P, &in, grouped, P->a, &c);
    /* the wide rules' part of the bound: once covered, the scan may stop */
    sgr_proto_ports *wide = NULL;
    uint32_t n_wide = 0;
    for (uint32_t w = 0; w < c.n_wide; w++)
        wide = sgr_ports_union(wide, n_wide, c.wide[w]->ports, c.wide[w]->n_ports, P->a, &n_wide);
    if (cut)
        wide = sgr_ports_intersect(wide, n_wide, served, n_served, P->a, &n_wide);
    for (uint32_t s; !st.done && (s = sgr_pull_cands_next(P, &c, grouped)) != NONE;) {
        const pull_source *so = &P->src[s];
        if (so->n->ep->eni && so->n->ep->eni == rep->eni)
            continue; /* on its interface: mates() */
        sgr_reach r, fr;
        if (sgr_blast_pair_answer(R, so->n->ep, rep, &r) && r.verdict != SGR_UNREACHABLE &&
            sgr_blast_filter(R, rep, &r, &fr)) {
            sgr_pull_stream_take(R, P->a, &st, (pull_evkey){so->j, 0, 0}, so->n, &fr);
            sgr_pull_stream_check_done(&st);
            if (c.scanning && !c.scan_all && st.f.have_def && sgr_ports_cover(st.ports, st.n_ports, wide, n_wide))
                c.scanning = false;
        }
    }
    for (uint32_t i = 0; i < n_members; i++)
        sgr_pull_apply(P, &st, members[i], members[i]->index, 0);
    if (!grouped)
        return;
    /* sources without a class answer for themselves, per member */
    for (uint32_t u = 0; u < P->n_unclassed; u++) {
        const pull_source *so = &P->src[P->unclassed[u]];
        for (uint32_t i = 0; i < n_members; i++) {
            sgr_reach r;
            if (so->n->ep->eni && so->n->ep->eni == members[i]->eni)
                continue;
            if (sgr_blast_pair_answer(R, so->n->ep, members[i], &r))
                sgr_pull_single(P, so->j, so->n, &r, members[i], members[i]->index, 0);
        }
    }
}

/* Every endpoint not reached yet (not a load balancer): its mates, then its
 * group's stream. */
static void destinations(pull_state *P)
{
    blast_state *R = P->R;
    pull_member *v = SGR_NEW_N(P->a, pull_member, R->n_eps ? R->n_eps : 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < R->n_eps; i++) {
        const sgr_endpoint *ep = R->eps[i];
        if (ep->kind == SGR_EP_LB || settled(R, ep, P->depth))
            continue;
        mates(P, ep);
        /* alone: no class, or a source on its interface that the stream must skip for it only */
        bool alone = !R->sig[i] || sgr_pull_hosts_a_source(P, ep);
        v[n++] = (pull_member){alone ? 0 : R->sig[i], alone ? i + 1 : sgr_pull_served_number(P, ep), i};
    }
    qsort(v, n, sizeof *v, sgr_pull_cmp_member);
    const sgr_endpoint **members = SGR_NEW_N(P->a, const sgr_endpoint *, n ? n : 1);
    for (uint32_t i = 0; i < n;) {
        uint32_t k = 0, j = i;
        for (; j < n && v[j].sig == v[i].sig && v[j].sub == v[i].sub; j++)
            members[k++] = R->eps[v[j].idx];
        sgr_arena_reset(R->scratch);
        direct_group(P, members, k);
        i = j;
    }
}

/* ------------------------------------------------------------------ load balancers */

/* The targets of one load balancer that the clients reach alike. */
typedef struct tgroup {
    uint32_t *k;                /* positions in the LB's list */
    uint32_t n, cap;
    uint32_t key, served;
} tgroup;

/* A client's reach to load balancer lb: the hop's first half. */
static bool client_reaches(pull_state *P, const pull_source *so, const sgr_endpoint *lb, sgr_reach *r)
{
    return sgr_blast_pair_answer(P->R, so->n->ep, lb, r) && r->verdict != SGR_UNREACHABLE;
}

/* The sources of the level that reach lb, in order, found as far as they
 * are asked for: the targets' streams share them, and most stop early. */
typedef struct clients {
    const sgr_endpoint *lb;
    pull_cands c;
    bool ended;
    uint32_t *v, n, cap;
} clients;

/* The i-th client, or NONE. */
static uint32_t client_at(pull_state *P, clients *cl, uint32_t i)
{
    while (i >= cl->n && !cl->ended) {
        uint32_t s = sgr_pull_cands_next(P, &cl->c, false);
        if (s == NONE) {
            cl->ended = true;
            break;
        }
        sgr_arena_reset(P->R->scratch);
        sgr_reach r;
        if (!client_reaches(P, &P->src[s], cl->lb, &r))
            continue;
        if (cl->n == cl->cap)
            cl->v = sgr_arena_grow(P->a, cl->v, &cl->cap, cl->n + 1, sizeof *cl->v);
        cl->v[cl->n++] = s;
    }
    return i < cl->n ? cl->v[i] : NONE;
}

/* The load balancer's own entry, from its clients (the sources of the level
 * that reach its listeners) in order. */
static void lb_entry(pull_state *P, const sgr_endpoint *lb, const sgr_inbound *in, clients *cl)
{
    blast_state *R = P->R;
    pull_stream st = {0};
    stream_bound(in, NULL, 0, false, P->a, &st);
    for (uint32_t i = 0; !st.done; i++) {
        uint32_t s = client_at(P, cl, i);
        if (s == NONE)
            break;
        sgr_arena_reset(R->scratch);
        sgr_reach r;
        if (client_reaches(P, &P->src[s], lb, &r)) {
            sgr_pull_stream_take(R, P->a, &st, (pull_evkey){P->src[s].j, 0, 0}, P->src[s].n, &r);
            sgr_pull_stream_check_done(&st);
        }
    }
    sgr_pull_apply(P, &st, lb, lb->index, 0);
}


/* Every member of target group tg already holds a definite event earlier
 * than any this stream may still bring (from source j on): its definite
 * events would change nothing. */
static bool defs_before(const pull_state *P, const sgr_endpoint *lb, const blast_lbcache *c, const tgroup *tg, uint32_t j)
{
    for (uint32_t m = 0; m < tg->n; m++) {
        const pull_firsts *e = &P->entry[c->out[tg->k[m]].to->index];
        if (!e->have_def || key_cmp(e->def_key, (pull_evkey){j, lb->index, tg->k[m] + 1}) > 0)
            return false;
    }
    return true;
}

/* One group of targets through lb: the clients (that reach lb) that the hop
 * lets through, re-decided from each client (sgr_blast_verify); when lb
 * shows the targets the client's address, only the clients the target's
 * own rules admit (the others are refused: graph/inbound.h). */
static void target_group(pull_state *P, const sgr_endpoint *lb, const blast_lbcache *c, const tgroup *tg,
                         clients *cl, sgr_lb_shows shows, const char *via)
{
    blast_state *R = P->R;
    const sgr_reach *hop0 = &c->out[tg->k[0]];
    pull_stream st = {0};
    st.bounded = true;
    st.bound = sgr_ports_union(hop0->ports, hop0->n_ports, hop0->maybe, hop0->n_maybe, P->a, &st.n_bound);
    sgr_proto_ports *served;
    uint32_t n_served;
    if (sgr_blast_served(R, hop0->to, via, &served, &n_served))
        st.bound = sgr_ports_intersect(st.bound, st.n_bound, served, n_served, P->a, &st.n_bound);
    if (!st.n_bound)
        return; /* nothing the LB sends is served */
    /* through a proxy whose own hop only may reach the target, no client
     * gets there definitely: the ports alone decide when to stop */
    st.no_def = shows == SGR_LB_SHOWS_NODE && hop0->verdict == SGR_UNKNOWN;
    sgr_inbound own;
    bool filter = false;
    if (shows == SGR_LB_SHOWS_CLIENT) {
        sgr_inbound_of(R->g, hop0->to, &own, P->a);
        sgr_pull_keep_rules(&own, st.bound, st.n_bound, true, P->a);
        filter = !own.open && !sgr_pull_refers_to_lb(&own, lb);
    }
    /* the clients: the load balancer's list, or those the target admits
     * (usually far fewer: look them up first, then whether they reach lb) */
    pull_cands own_c;
    bool own_walk = filter && !cl->ended;
    if (own_walk)
        sgr_pull_cands_init(P, &own, false, P->a, &own_c);
    for (uint32_t i = 0, s; !st.done; i++) {
        if (filter && !own_walk) { /* the whole list is known: only the admitted */
            s = client_at(P, cl, i);
            if (s != NONE && !sgr_pull_admits(P, &own, s))
                continue;
        } else if (own_walk) {
            s = sgr_pull_cands_next(P, &own_c, false);
            sgr_reach r;
            if (s != NONE && !client_reaches(P, &P->src[s], lb, &r))
                continue;
        } else {
            s = client_at(P, cl, i);
        }
        if (s == NONE)
            break;
        sgr_arena_reset(R->scratch);
        const pull_source *so = &P->src[s];
        /* a client without a class is re-decided per target */
        uint32_t per = so->classed ? 1 : tg->n;
        for (uint32_t m = 0; m < per; m++) {
            const sgr_reach *hop = &c->out[tg->k[m]];
            sgr_reach rr, fr;
            if (!sgr_blast_via_lb(R, so->n->ep, hop, lb, hop->to, via, &rr) || !sgr_blast_filter(R, hop->to, &rr, &fr))
                continue;
            if (so->classed) {
                sgr_pull_stream_take(R, P->a, &st, (pull_evkey){so->j, 0, 0}, so->n, &fr);
                if (!st.no_def && !st.f.have_def)
                    st.no_def = defs_before(P, lb, c, tg, so->j);
                sgr_pull_stream_check_done(&st);
            } else {
                pull_stream one = {0};
                sgr_pull_stream_take(R, P->a, &one, (pull_evkey){so->j, 0, 0}, so->n, &fr);
                sgr_pull_apply(P, &one, hop->to, lb->index, tg->k[m] + 1);
            }
        }
    }
    for (uint32_t m = 0; m < tg->n; m++)
        sgr_pull_apply(P, &st, c->out[tg->k[m]].to, lb->index, tg->k[m] + 1);
}

/* The targets of lb not reached yet, in groups reached alike; their number. */
static uint32_t target_groups(pull_state *P, const sgr_endpoint *lb, const blast_lbcache *c, tgroup **out)
{
    blast_state *R = P->R;
    tgroup *tg = NULL;
    uint32_t n_tg = 0, cap_tg = 0;
    sgr_memo groups = {0}; /* (key, served) -> group + 1 */
    for (uint32_t k = 0; k < c->n_out; k++) {
        const sgr_endpoint *t = c->out[k].to;
        if (!t || c->out[k].verdict == SGR_UNREACHABLE || t->kind == SGR_EP_LB || t->kind == SGR_EP_INTERNET ||
            t->kind == SGR_EP_CIDR || !in_graph(R, t) || settled(R, t, P->depth))
            continue;
        uint32_t key = R->sig[t->index] ? sgr_blast_target_key(R, lb, t) : 0x80000000u | t->index;
        uint32_t served = sgr_pull_served_number(P, t);
        uint32_t g = (uint32_t)(uintptr_t)sgr_memo_get(&groups, key, served, 0);
        if (g-- == 0) {
            g = n_tg;
            sgr_memo_put(&groups, key, served, 0, (void *)(uintptr_t)(n_tg + 1));
            if (n_tg == cap_tg)
                tg = sgr_arena_grow(P->a, tg, &cap_tg, n_tg + 1, sizeof *tg);
            memset(&tg[n_tg], 0, sizeof *tg);
            tg[n_tg].key = key;
            tg[n_tg].served = served;
            n_tg++;
        }
        if (tg[g].n == tg[g].cap)
            tg[g].k = sgr_arena_grow(P->a, tg[g].k, &tg[g].cap, tg[g].n + 1, sizeof *tg[g].k);
        tg[g].k[tg[g].n++] = k;
    }
    sgr_memo_free(&groups);
    *out = tg;
    return n_tg;
}

/* Load balancer lb this level: its own entry, and its targets' through it. */
static void through(pull_state *P, const sgr_endpoint *lb)
{
    blast_state *R = P->R;
    bool lb_live = !settled(R, lb, P->depth);
    const blast_lbcache *c = NULL;
    tgroup *tg = NULL;
    uint32_t n_tg = 0;
    if (!lb_live) { /* reached before: it matters only for targets not reached yet */
        c = sgr_blast_lb_out(R, lb);
        n_tg = target_groups(P, lb, c, &tg);
        if (!n_tg)
            return;
    }
    sgr_inbound in;
    sgr_inbound_of(R->g, lb, &in, P->a);
    sgr_pull_keep_rules(&in, NULL, 0, false, P->a);
    clients cl = {.lb = lb};
    sgr_pull_cands_init(P, &in, false, P->a, &cl.c);
    if (client_at(P, &cl, 0) == NONE)
        return; /* no source of the level reaches it: nothing through it either */
    if (!c) {
        c = sgr_blast_lb_out(R, lb);
        n_tg = target_groups(P, lb, c, &tg);
    }
    if (lb_live)
        lb_entry(P, lb, &in, &cl);
    if (!n_tg || client_at(P, &cl, 0) == NONE)
        return;
    if (!c->shows)
        R->lbs[lb->index].shows = (int)sgr_inbound_lb_shows(R->g, lb, P->a) + 1;
    const char *via = sgr_arena_printf(P->a, "lb:%s", lb->name ? lb->name : lb->id);
    for (uint32_t g = 0; g < n_tg; g++)
        target_group(P, lb, c, &tg[g], &cl, (sgr_lb_shows)(c->shows - 1), via);
}

/* ------------------------------------------------------------------ the level */

void sgr_blast_pull(blast_state *R, blast_level *next, blast_node *const *E, uint32_t ne, const bool *full, uint32_t depth)
{
    pull_state P = {0};
    P.R = R;
    P.next = next;
    P.depth = depth;
    P.E = E;
    P.a = sgr_arena_new();
    uint32_t n = R->n_eps ? R->n_eps : 1;
    P.epos = SGR_NEW_N(P.a, uint32_t, n);
    memset(P.epos, 0xff, n * sizeof *P.epos);
    P.entry = SGR_NEW_N(P.a, pull_firsts, n);
    P.touched = SGR_NEW_N(P.a, uint32_t, n);
    P.served_id = SGR_NEW_N(P.a, uint32_t, n);
    P.served_ids = sgr_strmap_new(P.a);
    sgr_pull_sources(&P, E, ne, full);
    destinations(&P);
    for (uint32_t i = 0; i < R->n_eps; i++)
        if (R->eps[i]->kind == SGR_EP_LB)
            through(&P, R->eps[i]);
    sgr_pull_finish(&P);
    sgr_memo_free(&P.rule_memo);
    sgr_memo_free(&P.sides_shut);
    sgr_arena_free(P.a);
}
