/*
 * Blast radius: breadth-first lateral movement over the engine's one-hop
 * reach (sgr_reach_pair, sgr_reach_from / sgr_reach_to). Each level expands
 * the endpoints first reached at the previous one; an endpoint is listed
 * once, at the fewest hops, with the ports of every equally short last hop,
 * and the path through the first parent in id order (a definite parent is
 * preferred to one whose reach is unknown).
 *
 * The closure evaluates only what can change that answer (docs/performance.md,
 * "blast --max-hops all"): pairs toward endpoints already reached at fewer
 * hops are skipped, one evaluation stands for every pair of the same two
 * classes (blast_class.h), a load balancer's targets and the re-decision of
 * its hop per client class are computed once, and of the sources of one class
 * at one level only those whose answers can differ are expanded in full. The
 * option --debug-reference (sgr_graph_reference) turns all of it off (every
 * expansion asks the engine for every pair, as the first version did): the
 * tests compare both.
 */
#include "blast_run_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blast_class.h"
#include "strmap.h"


/* ------------------------------------------------------------------ BFS */

static int cmp_node_id(const void *a, const void *b)
{
    const blast_node *x = *(blast_node *const *)a, *y = *(blast_node *const *)b;
    return strcmp(x->ep->id, y->ep->id);
}

static int cmp_item(const void *a, const void *b)
{
    const sgr_blast_item *x = a, *y = b;
    if (x->hops != y->hops)
        return x->hops < y->hops ? -1 : 1;
    return strcmp(x->ep->id, y->ep->id);
}

/* Load balancers relay (their targets come in the same step), the internet
 * and outside addresses are not compromised hosts: none is expanded. */
static bool expandable(const sgr_endpoint *ep)
{
    return ep->kind == SGR_EP_ENI || ep->kind == SGR_EP_TASK || ep->kind == SGR_EP_DB;
}



/* ------------------------------------------------------------------ expansions */

/* One hop from (or, reverse, to) `from->ep`, toward every endpoint in `live`
 * (those not settled when the level began, and the load balancers). */
static void expand_full(blast_state *R, blast_level *next, const blast_node *from, const uint32_t *live, uint32_t n_live, uint32_t depth)
{
    const sgr_endpoint *self = from->ep;
    for (uint32_t i = 0; i < n_live; i++) {
        const sgr_endpoint *o = R->eps[live[i]];
        if (o->kind != SGR_EP_LB && settled(R, o, depth))
            continue;
        sgr_reach r;
        if (!(R->reverse ? sgr_blast_pair_answer(R, o, self, &r) : sgr_blast_pair_answer(R, self, o, &r)))
            continue;
        if (r.verdict == SGR_UNREACHABLE)
            continue;
        sgr_blast_discover(R, next, from, &r, o);
        if (o->kind == SGR_EP_LB && self->kind != SGR_EP_LB)
            sgr_blast_through_lb(R, next, from, &r, o, depth);
    }
}

/* A source a classmate stands for: only the answers that differ from the
 * classmate's. Forward: the pairs on its own interface (the docker bridge,
 * loopback). Reverse: those, and what load balancers send it (a relay
 * reaches only its registered targets, so its answer is per target). */
static void expand_rest(blast_state *R, blast_level *next, const blast_node *from, const uint32_t *lbs, uint32_t n_lbs, uint32_t depth)
{
    const sgr_endpoint *self = from->ep;
    const sgr_endpoint *const *m = R->mates[self->index];
    uint32_t i = 0, k = 0;
    while ((m && m[i]) || (R->reverse && k < n_lbs)) {
        const sgr_endpoint *o;
        if (m && m[i] && !(R->reverse && k < n_lbs && lbs[k] < m[i]->index))
            o = m[i++];
        else
            o = R->eps[lbs[k++]];
        if (o->kind != SGR_EP_LB && settled(R, o, depth))
            continue;
        sgr_reach r;
        if (!(R->reverse ? sgr_blast_pair_answer(R, o, self, &r) : sgr_blast_pair_answer(R, self, o, &r)) || r.verdict == SGR_UNREACHABLE)
            continue;
        sgr_blast_discover(R, next, from, &r, o);
        if (o->kind == SGR_EP_LB)
            sgr_blast_through_lb(R, next, from, &r, o, depth);
    }
}

/* The reference (--debug-reference): the engine's whole one-hop list. */
static void expand_reference(blast_state *R, blast_level *next, const blast_node *from, uint32_t depth)
{
    sgr_reach *rs = NULL;
    uint32_t n = R->reverse ? sgr_reach_to(R->g, from->ep, &rs, R->scratch) : sgr_reach_from(R->g, from->ep, &rs, R->scratch);
    for (uint32_t k = 0; k < n; k++) {
        const sgr_endpoint *other = R->reverse ? rs[k].from : rs[k].to;
        if (!other || rs[k].verdict == SGR_UNREACHABLE)
            continue;
        /* forward, the closure lists the estate's endpoints: an outside
         * address (a load balancer's ip target in no snapshot) is no host to
         * compromise, as sgr_blast_through_lb leaves it out too */
        if (!R->reverse && other->kind == SGR_EP_CIDR)
            continue;
        sgr_blast_discover(R, next, from, &rs[k], other);
        if (other->kind == SGR_EP_LB && from->ep->kind != SGR_EP_LB)
            sgr_blast_through_lb(R, next, from, &rs[k], other, depth);
    }
}

typedef struct rep {
    const sgr_eni *first, *first_def;
    bool other, def, def_other;
} rep;

/* Which of this level's expansions must be done in full. A source whose
 * pair class an earlier source of the level shares reaches what that one
 * reaches, with the same answer, except on its own interface: its answers
 * are repeats that change nothing (the first one decided parent, via and
 * verdict; ports merge to the same union). Expanded in full per class: the
 * first source, the first on another interface than that one (for the
 * endpoints on the first one's interface, when it shares it), and the same
 * two among the sources reached definitely (their answers may turn an
 * unknown into a definite). --to: a bridge or host task answers only on its own ports, so
 * each is expanded in full. */
static bool *full_set(blast_state *R, blast_node *const *E, uint32_t ne)
{
    bool *full = SGR_NEW_N(R->work, bool, ne ? ne : 1);
    sgr_memo reps = {0};
    for (uint32_t j = 0; j < ne; j++) {
        const sgr_endpoint *ep = E[j]->ep;
        uint32_t sc = in_graph(R, ep) ? R->sig[ep->index] : 0;
        if (R->brute || !sc || (R->reverse && ep->kind == SGR_EP_TASK && ep->mode != SGR_NET_AWSVPC)) {
            full[j] = true;
            continue;
        }
        /* a representative alone on its interface has no endpoint there to
         * stand in for: no second one is needed */
        bool alone = !R->mates[ep->index];
        rep *p = sgr_memo_get(&reps, sc, 0, 0);
        if (!p) {
            p = SGR_NEW(R->work, rep);
            p->first = ep->eni;
            p->other = alone;
            sgr_memo_put(&reps, sc, 0, 0, p);
            full[j] = true;
        } else if (!p->other && ep->eni != p->first) {
            p->other = full[j] = true;
        }
        if (E[j]->verdict != SGR_REACHABLE)
            continue;
        if (!p->def) {
            p->def = full[j] = true;
            p->first_def = ep->eni;
            p->def_other = alone;
        } else if (!p->def_other && ep->eni != p->first_def) {
            p->def_other = full[j] = true;
        }
    }
    sgr_memo_free(&reps);
    return full;
}

/* ------------------------------------------------------------------ the run */

enum { TAG_SIG = 0x424f };

static void run_init(blast_state *R, sgr_graph *g, const sgr_snapshot *snap, bool reverse, sgr_arena *a,
                     sgr_blast_keyer *kr)
{
    memset(R, 0, sizeof *R);
    R->g = g;
    R->reverse = reverse;
    R->brute = sgr_graph_reference(g);
    R->a = a;
    R->work = sgr_arena_new();
    R->scratch = sgr_arena_new();
    R->eval = sgr_arena_new();
    R->seen = sgr_strmap_new(R->work);
    R->interned = sgr_strmap_new(R->work);
    R->n_eps = sgr_graph_endpoints(g, &R->eps);
    uint32_t n = R->n_eps ? R->n_eps : 1;
    R->at = SGR_NEW_N(R->work, blast_node *, n);
    R->sig = SGR_NEW_N(R->work, uint32_t, n);
    R->mates = SGR_NEW_N(R->work, const sgr_endpoint **, n);
    R->lbs = SGR_NEW_N(R->work, blast_lbcache, n);
    R->served = SGR_NEW_N(R->work, blast_served, n);
    R->idset = sgr_strmap_new(R->work);
    R->ids_unique = !R->brute; /* the reference keeps to `seen` */
    for (uint32_t i = 0; i < R->n_eps; i++)
        if (sgr_strmap_put(R->idset, TAG_NODE, R->eps[i]->id, (void *)R->eps[i]))
            R->ids_unique = false;
    sgr_blast_keyer_init(kr, g, snap, R->work);
    if (R->brute)
        return;
    /* pair classes, numbered from 1 */
    sgr_strmap *ids = sgr_strmap_new(R->work);
    uintptr_t next_id = 1;
    for (uint32_t i = 0; i < R->n_eps; i++) {
        const char *key = sgr_blast_class_key(kr, R->eps[i], true, R->work);
        if (!key)
            continue;
        uintptr_t id = (uintptr_t)sgr_strmap_get(ids, TAG_SIG, key);
        if (!id) {
            id = next_id++;
            sgr_strmap_put(ids, TAG_SIG, key, (void *)id);
        }
        R->sig[i] = (uint32_t)id;
    }
    R->n_sigs = (uint32_t)(next_id - 1);
    uint64_t bits = (uint64_t)(R->n_sigs + 1) * (R->n_sigs + 1);
    if (bits <= ((uint64_t)1 << 33)) /* up to 1 GB; beyond, the table alone */
        R->shut = sgr_xcalloc((size_t)(bits / 8 + 1), 1);
    /* endpoints sharing an interface, in endpoint order */
    sgr_blast_mates(R->mates, R->eps, R->n_eps, true, R->work, R->work);
}

void sgr_blast_run(sgr_graph *g, const sgr_snapshot *snap, const sgr_endpoint *const *src, uint32_t n_src,
                   bool reverse, uint32_t max_hops, sgr_arena *a, sgr_blast *out)
{
    memset(out, 0, sizeof *out);
    blast_state R;
    sgr_blast_keyer kr;
    run_init(&R, g, snap, reverse, a, &kr);
    sgr_arena *work = R.work;
    sgr_strmap *done = sgr_strmap_new(work); /* class key -> verdict of the member expanded */
    blast_level cur = {0};
    for (uint32_t i = 0; i < n_src; i++) {
        if (sgr_strmap_get(R.seen, TAG_NODE, src[i]->id))
            continue;
        if (!in_graph(&R, src[i]) && sgr_strmap_get(R.idset, TAG_NODE, src[i]->id))
            R.ids_unique = false; /* an outside source named like an endpoint */
        blast_node *x = SGR_NEW(a, blast_node);
        x->ep = src[i];
        x->verdict = SGR_REACHABLE;
        sgr_strmap_put(R.seen, TAG_NODE, src[i]->id, x);
        if (in_graph(&R, src[i]))
            R.at[src[i]->index] = x;
        sgr_blast_push(work, &cur, x);
    }
    qsort(cur.items, cur.n, sizeof *cur.items, cmp_node_id);
    /* the load balancers, in endpoint order */
    uint32_t *lbs = SGR_NEW_N(work, uint32_t, R.n_eps ? R.n_eps : 1), n_lbs = 0;
    for (uint32_t i = 0; i < R.n_eps; i++)
        if (R.eps[i]->kind == SGR_EP_LB)
            lbs[n_lbs++] = i;
    uint32_t *live = SGR_NEW_N(work, uint32_t, R.n_eps ? R.n_eps : 1);
    blast_level found = {0};
    for (uint32_t depth = 0; depth < max_hops && cur.n; depth++) {
        blast_level next = {0};
        /* this level's expansions: a classmate expanded at this depth or
         * before reached all this one would (a definite one; an unknown one
         * only stands for unknowns) */
        blast_node **E = SGR_NEW_N(work, blast_node *, cur.n);
        uint32_t ne = 0;
        for (uint32_t i = 0; i < cur.n; i++) {
            blast_node *from = cur.items[i];
            if (depth > 0 && !expandable(from->ep))
                continue;
            const char *key = sgr_blast_class_key(&kr, from->ep, false, work);
            if (key) {
                uintptr_t was = (uintptr_t)sgr_strmap_get(done, TAG_KEY, key);
                if (was == 2 || (was == 1 && from->verdict != SGR_REACHABLE)) {
                    out->skipped++;
                    continue;
                }
                sgr_strmap_put(done, TAG_KEY, key, (void *)(uintptr_t)(from->verdict == SGR_REACHABLE ? 2 : 1));
            }
            E[ne++] = from;
        }
        bool *full = full_set(&R, E, ne);
        /* the endpoints an expansion may still change: not reached yet, and
         * the load balancers (their targets come through them) */
        uint32_t n_live = 0;
        for (uint32_t i = 0; i < R.n_eps; i++)
            if (R.eps[i]->kind == SGR_EP_LB || !R.at[i])
                live[n_live++] = i;
        /* forward, from hosts: by destination (blast_pull.c); a load
         * balancer as a source (the first level only) reaches its targets
         * alone, by expansion */
        bool lb_source = false;
        for (uint32_t j = 0; j < ne; j++)
            lb_source |= E[j]->ep->kind == SGR_EP_LB;
        /* pull finds a load balancer's clients by its inbound rules, which
         * PrivateLink traffic may bypass (enforcement off) and whose routes
         * it does not need: an estate with interface endpoints to load
         * balancers is expanded in full */
        /* --to, the same mirrored (blast_pull_rev.c): for endpoints of the
         * estate that load balancers may target (the first level may hold
         * an outside address or a load balancer: expanded) */
        bool outside = false;
        for (uint32_t j = 0; j < ne; j++)
            outside |= !in_graph(&R, E[j]->ep) || !expandable(E[j]->ep);
        if (!R.brute && !lb_source && !(reverse && outside) && !sgr_privatelink_any(R.g)) {
            for (uint32_t j = 0; j < ne; j++)
                full[j] ? out->expanded++ : out->skipped++;
            sgr_arena_reset(R.scratch);
            if (reverse)
                sgr_blast_pull_rev(&R, &next, E, ne, full, depth);
            else
                sgr_blast_pull(&R, &next, E, ne, full, depth);
            ne = 0;
        }
        for (uint32_t j = 0; j < ne; j++) {
            sgr_arena_reset(R.scratch);
            if (R.brute) {
                out->expanded++;
                expand_reference(&R, &next, E[j], depth);
            } else if (full[j]) {
                out->expanded++;
                expand_full(&R, &next, E[j], live, n_live, depth);
            } else {
                out->skipped++;
                expand_rest(&R, &next, E[j], lbs, n_lbs, depth);
            }
        }
        if (next.n)
            qsort(next.items, next.n, sizeof *next.items, cmp_node_id);
        for (uint32_t i = 0; i < next.n; i++)
            sgr_blast_push(work, &found, next.items[i]);
        cur = next;
    }
    out->items = SGR_NEW_N(a, sgr_blast_item, found.n ? found.n : 1);
    for (uint32_t i = 0; i < found.n; i++) {
        const blast_node *x = found.items[i];
        sgr_blast_item *it = &out->items[out->n++];
        it->ep = x->ep;
        it->verdict = x->verdict;
        it->ports = x->ports;
        it->n_ports = x->n_ports;
        /* possible ports beside the definite ones: those not definite already */
        it->maybe = x->n_maybe ? sgr_ports_subtract(x->maybe, x->n_maybe, x->ports, x->n_ports, a, &it->n_maybe) : NULL;
        it->hops = x->hops;
        it->via = x->via;
        it->n_path = x->hops + 1;
        it->path = SGR_NEW_N(a, const sgr_endpoint *, it->n_path);
        uint32_t k = 0;
        for (const blast_node *p = x; p; p = p->parent, k++)
            it->path[reverse ? k : it->n_path - 1 - k] = p->ep;
    }
    qsort(out->items, out->n, sizeof *out->items, cmp_item);
    sgr_memo_free(&R.pairs);
    free(R.shut);
    sgr_memo_free(&R.hops);
    sgr_lb_legs_free(&R.legs);
    sgr_memo_free(&R.tkeys);
    sgr_memo_free(&R.leads);
    sgr_arena_free(R.eval);
    sgr_arena_free(R.scratch);
    sgr_arena_free(work);
}
