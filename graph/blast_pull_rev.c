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

/* Pairs on one interface (the docker bridge, loopback): each endpoint of
 * the level on ep's interface, one event each, by the engine. */
static void mates(pull_rev_state *V, const sgr_endpoint *ep)
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

/* What group gr's outbound rules let it send (graph/inbound.h: sgr_outbound_of). */
static void outbound(pull_rev_state *V, pull_rev_group *gr)
{
    sgr_inbound out;
    sgr_outbound_of(V->R->g, gr->m[0], &out, V->a);
    gr->out_on = !out.open;
    gr->opens = sgr_pull_rules_ports(&out, V->a, &gr->n_opens);
}

/* It sends nothing to another interface: no outbound rule, or not running. */
static bool silent(const pull_rev_group *gr)
{
    return gr->out_on && !gr->n_opens;
}

/* Group g: the level's endpoints it reaches, directly. */
static void group_walk(pull_rev_state *V, uint32_t g, pull_rev_admitted *ad, uint32_t *list)
{
    blast_state *R = V->R;
    pull_state *P = &V->P;
    const pull_rev_group *gr = &V->groups[g];
    const sgr_endpoint *rep = gr->m[0];
    bool grouped = R->sig[rep->index] != 0; /* else every source is asked about it */
    pull_stream st = {0};
    if (silent(gr))
        return;
    sgr_pull_rev_admitted(V, g, ad, &st);
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
            const pull_rev_filter *fl = &V->filters[ad->f[i]];
            if (grouped && !fl->classed)
                continue;
            memcpy(list + n_list, fl->s, fl->n * sizeof *list);
            n_list += fl->n;
        }
        qsort(list, n_list, sizeof *list, sgr_pull_cmp_u32);
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
        const pull_rev_filter *fl = &V->filters[ad->f[i]];
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
    sgr_memo walks;             /* client key -> the walk's stream that stands for the key */
    sgr_memo walked;            /* client key -> (void *)1: a walk of its own was made for the key */
} rev_lb;

/* Every member of group gr already holds, from this level, a definite event
 * earlier than any lb can bring from the level's endpoint E[j] on, and
 * every port of `sent`: what lb brings them on those ports from there
 * changes nothing (ports merge to the same union; the first definite event
 * stays). */
static bool dominated(const pull_rev_state *V, const sgr_endpoint *lb, uint32_t j, const sgr_proto_ports *sent,
                      uint32_t n_sent, const pull_rev_group *gr)
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
static void client_walk(pull_rev_state *V, rev_lb *L, uint32_t g)
{
    blast_state *R = V->R;
    pull_state *P = &V->P;
    const pull_rev_group *gr = &V->groups[g];
    const sgr_endpoint *rep = gr->m[0], *lb = L->lb;
    if (silent(gr) || !L->n_all || dominated(V, lb, L->all[0].j, L->bound, L->n_bound, gr))
        return;
    sgr_reach r;
    if (!sgr_blast_pair_answer(R, rep, lb, &r) || r.verdict == SGR_UNREACHABLE)
        return; /* not a client */
    bool classed = R->sig[rep->index] != 0;
    const rev_target *t = classed ? L->firsts : L->all;
    uint32_t n_t = classed ? L->n_firsts : L->n_all;
    /* A group walks past the targets it is dominated from (nothing there
     * changes its entries), which makes the walk its own. The first walk of a
     * key that skipped nothing stands for the key; a key met again without
     * one gets a walk that skips nothing, which then stands for it (on some
     * estates most groups of a key are dominated somewhere, each differently). */
    bool shared = classed && n_t, full = false, skipped = false;
    uint32_t key = 0;
    pull_stream *st = NULL;
    if (shared) {
        key = L->keyed ? sgr_blast_client_key(R, rep, lb, P->E[t[0].j]->ep) : R->sig[rep->index];
        st = sgr_memo_get(&L->walks, key, 0, 0);
        if (!st) {
            full = sgr_memo_get(&L->walked, key, 0, 0) != NULL;
            sgr_memo_put(&L->walked, key, 0, 0, (void *)1);
        }
    }
    if (!st) {
        st = SGR_NEW(V->a, pull_stream);
        st->bounded = true;
        st->bound = L->bound;
        st->n_bound = L->n_bound;
        for (uint32_t i = 0; !st->done && i < n_t; i++) {
            if (t[i].own && !sgr_pull_admits(&V->X, t[i].own, g))
                continue; /* refused: sgr_blast_verify would let nothing through */
            if (!full && dominated(V, lb, t[i].j, t[i].sent, t[i].n_sent, gr)) {
                skipped = true;
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
        if (shared && !skipped)
            sgr_memo_put(&L->walks, key, 0, 0, st);
    }
    for (uint32_t i = 0; i < gr->n; i++)
        sgr_pull_apply(P, st, gr->m[i], lb->index, gr->m[i]->index + 1);
}

/* Load balancer lb this level: its own entry (the level's endpoints it
 * targets), and its clients' through it. */
static void through(pull_rev_state *V, const sgr_endpoint *lb)
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
    sgr_memo_free(&L.walked);
}

/* ------------------------------------------------------------------ the level */

void sgr_blast_pull_rev(blast_state *R, blast_level *next, blast_node *const *E, uint32_t ne, const bool *full,
                        uint32_t depth)
{
    pull_rev_state V = {0};
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
    sgr_pull_rev_sources(&V, E, ne, full);
    sgr_pull_rev_groups(&V);
    sgr_pull_rev_filters(&V);
    uint32_t *list = SGR_NEW_N(V.a, uint32_t, P->n_src ? P->n_src : 1);
    pull_rev_admitted ad = {SGR_NEW_N(V.a, uint32_t, V.n_filters ? V.n_filters : 1), 0};
    for (uint32_t g = 0; g < V.n_groups; g++) {
        for (uint32_t i = 0; i < V.groups[g].n; i++)
            mates(&V, V.groups[g].m[i]);
        outbound(&V, &V.groups[g]);
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
