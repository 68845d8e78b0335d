/*
 * blast's closure: the answers of pairs (one evaluation per pair of classes)
 * and of load-balancer hops (once per client key, load balancer and target
 * key), with their memos. See blast_run_int.h.
 */
#include "blast_run_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blast_class.h"


enum { TAG_PORTS = 0x4251 };

/* One copy per distinct port set in the run's arena: the memo holds millions
 * of answers at 20,000 interfaces, most with one of a few hundred sets. */
static sgr_proto_ports *ports_intern(sgr_strmap *m, sgr_arena *a, sgr_arena *tmp, const sgr_proto_ports *p,
                                     uint32_t n)
{
    if (!n)
        return NULL;
    const char *key = sgr_arena_printf(tmp, "%u", n);
    for (uint32_t i = 0; i < n; i++) {
        key = sgr_arena_printf(tmp, "%s;%d", key, (int)p[i].protocol);
        for (uint32_t r = 0; r < p[i].n_ranges; r++)
            key = sgr_arena_printf(tmp, "%s,%d-%d", key, (int)p[i].ranges[r].lo, (int)p[i].ranges[r].hi);
    }
    sgr_proto_ports *c = sgr_strmap_get(m, TAG_PORTS, key);
    if (!c) {
        c = sgr_ports_copy(a, p, n);
        sgr_strmap_put(m, TAG_PORTS, sgr_arena_strdup(a, key), c);
    }
    return c;
}

typedef struct answer {
    bool ok;
    sgr_reach r;
} answer;


const blast_lbcache *sgr_blast_lb_out(blast_state *R, const sgr_endpoint *lb)
{
    blast_lbcache *c = &R->lbs[lb->index];
    if (!c->have_out) {
        c->n_out = sgr_reach_from(R->g, lb, &c->out, R->work);
        c->reg = SGR_NEW_N(R->work, uint32_t, c->n_out ? c->n_out : 1);
        sgr_arena_reset(R->eval);
        sgr_reach_lb_registrations(R->g, lb, c->out, c->n_out, c->reg, R->eval);
        c->have_out = true;
    }
    return c;
}

static const blast_lbcache *lb_in(blast_state *R, const sgr_endpoint *lb)
{
    blast_lbcache *c = &R->lbs[lb->index];
    if (!c->have_in) {
        /* sgr_reach_to(lb), one pair at a time through the memo */
        uint32_t cap = 0;
        for (uint32_t i = 0; i < R->n_eps; i++) {
            sgr_reach r;
            if (!sgr_blast_pair_answer(R, R->eps[i], lb, &r))
                continue;
            if (c->n_in == cap)
                c->in = sgr_arena_grow(R->work, c->in, &cap, c->n_in + 1, sizeof *c->in);
            sgr_reach_copy(R->work, &c->in[c->n_in++], &r);
        }
        c->have_in = true;
    }
    return c;
}

/* Where target `to` is in a load balancer's list (in endpoint order), or UINT32_MAX. */
static uint32_t lb_target_at(const blast_lbcache *c, const sgr_endpoint *to)
{
    uint32_t lo = 0, hi = c->n_out;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->out[mid].to->index < to->index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n_out && c->out[lo].to == to ? lo : UINT32_MAX;
}

/* What `from` reaches on `to` in one hop: sgr_reach_pair's answer. A load
 * balancer's answers come from its list (targets only); a pair of two classed
 * endpoints on different interfaces from the memo, evaluated for the first
 * pair of those two classes (a load balancer as `to` is a class of its own). */
bool sgr_blast_pair_answer(blast_state *R, const sgr_endpoint *from, const sgr_endpoint *to, sgr_reach *out)
{
    if (from->kind == SGR_EP_LB && in_graph(R, from) && in_graph(R, to)) {
        const blast_lbcache *c = sgr_blast_lb_out(R, from);
        uint32_t k = lb_target_at(c, to);
        if (k == UINT32_MAX)
            return false;
        *out = c->out[k];
        return true;
    }
    uint32_t sf = in_graph(R, from) ? R->sig[from->index] : 0, st = 0;
    if (in_graph(R, to))
        st = to->kind == SGR_EP_LB ? 0x80000000u | to->index : R->sig[to->index];
    if (!sf || !st || (from->eni && from->eni == to->eni)) {
        sgr_arena_reset(R->eval);
        if (!sgr_reach_pair(R->g, from, to, out, R->eval))
            return false;
        sgr_reach_copy(R->scratch, out, out);
        return true;
    }
    /* most pairs of classes reach nothing: one bit each, not a table entry */
    uint64_t bit = (st & 0x80000000u) || !R->shut ? UINT64_MAX : (uint64_t)sf * (R->n_sigs + 1) + st;
    if (bit != UINT64_MAX && (R->shut[bit >> 3] >> (bit & 7) & 1))
        return false;
    const answer *m = sgr_memo_get(&R->pairs, sf, st, 0);
    if (!m) {
        sgr_arena_reset(R->eval);
        sgr_reach r;
        static const answer none = {0}; /* most pairs: one shared "nothing" */
        if (sgr_reach_pair(R->g, from, to, &r, R->eval)) {
            answer *n = SGR_NEW(R->work, answer);
            n->ok = true;
            n->r = r;
            n->r.ports = ports_intern(R->interned, R->work, R->eval, r.ports, r.n_ports);
            n->r.maybe = ports_intern(R->interned, R->work, R->eval, r.maybe, r.n_maybe);
            n->r.via = strcmp(r.via, "direct") == 0 ? "direct" : sgr_arena_strdup(R->work, r.via);
            m = n;
        } else if (bit != UINT64_MAX) {
            R->shut[bit >> 3] |= (uint8_t)(1u << (bit & 7));
            return false;
        } else {
            m = &none;
        }
        sgr_memo_put(&R->pairs, sf, st, 0, (void *)m);
    }
    if (!m->ok)
        return false;
    *out = m->r;
    out->from = from;
    out->to = to;
    return true;
}

/* ------------------------------------------------------------------ load balancers */


/* The target as the path through load balancer lb sees it: its class and
 * how lb registers it (one number per run), or the target itself. */
uint32_t sgr_blast_target_key(blast_state *R, const sgr_endpoint *lb, const sgr_endpoint *target)
{
    const blast_lbcache *c = sgr_blast_lb_out(R, lb);
    uint32_t k = lb_target_at(c, target), st = R->sig[target->index];
    if (k == UINT32_MAX || !st)
        return 0x80000000u | target->index;
    uintptr_t id = (uintptr_t)sgr_memo_get(&R->tkeys, st, lb->index, c->reg[k]);
    if (!id) {
        id = ++R->n_tkeys;
        sgr_memo_put(&R->tkeys, st, lb->index, c->reg[k], (void *)id);
    }
    return (uint32_t)id;
}

enum { TAG_LEADS = 0x4252 };

/* The client as a path through a proxy (ALB, classic) sees it: only how it
 * reaches each listener (sgr_reach_lb_leads), numbered per run with the top
 * bit set; else its class. Computed once per (client class, load balancer). */
static uint32_t client_key(blast_state *R, const sgr_endpoint *client, uint32_t sc, const sgr_endpoint *lb,
                           const sgr_endpoint *target)
{
    uintptr_t id = (uintptr_t)sgr_memo_get(&R->leads, sc, lb->index, 0);
    if (!id) {
        sgr_arena_reset(R->eval);
        const char *key = sgr_reach_lb_leads(R->g, client, lb, target, R->eval);
        if (!key) {
            id = sc;
        } else {
            key = sgr_arena_printf(R->eval, "%u|%s", lb->index, key);
            id = (uintptr_t)sgr_strmap_get(R->interned, TAG_LEADS, key);
            if (!id) {
                id = 0x80000000u | ++R->n_leads;
                sgr_strmap_put(R->interned, TAG_LEADS, sgr_arena_strdup(R->work, key), (void *)id);
            }
        }
        sgr_memo_put(&R->leads, sc, lb->index, 0, (void *)id);
    }
    return (uint32_t)id;
}

uint32_t sgr_blast_client_key(blast_state *R, const sgr_endpoint *client, const sgr_endpoint *lb,
                              const sgr_endpoint *target)
{
    uint32_t sc = R->sig[client->index];
    return sc && R->sig[target->index] ? client_key(R, client, sc, lb, target) : sc;
}

/* sgr_lb_hop_verify, once per (client class, load balancer, target class and
 * registration): the path from the client through this load balancer to the
 * target is decided by the client's side (its class), the target's side and
 * how the load balancer registers it. */
blast_vhop sgr_blast_verify(blast_state *R, const sgr_endpoint *client, const sgr_reach *lbhop, const sgr_endpoint *lb,
                   const sgr_endpoint *target)
{
    uint32_t sc = in_graph(R, client) ? R->sig[client->index] : 0;
    bool memo = !R->brute && sc && in_graph(R, lb) && in_graph(R, target);
    uint32_t tk = memo ? sgr_blast_target_key(R, lb, target) : 0;
    if (memo && R->sig[target->index])
        sc = client_key(R, client, sc, lb, target);
    blast_vhop *m = memo ? sgr_memo_get(&R->hops, sc, lb->index, tk) : NULL;
    if (m)
        return *m;
    blast_vhop h = {0};
    sgr_arena_reset(R->eval); /* `can` per port leaves much behind: keep only the answer */
    h.ok = sgr_lb_hop_verify(R->g, client, lbhop, R->eval, R->eval, NULL, R->brute ? NULL : &R->legs, 0, &h.v, &h.ports,
                             &h.n);
    h.ports = memo ? ports_intern(R->interned, R->work, R->eval, h.ports, h.n) : sgr_ports_copy(R->scratch, h.ports, h.n);
    if (memo) {
        m = SGR_NEW(R->work, blast_vhop);
        *m = h;
        sgr_memo_put(&R->hops, sc, lb->index, tk, m);
    }
    return h;
}

bool sgr_blast_via_lb(blast_state *R, const sgr_endpoint *client, const sgr_reach *lbhop, const sgr_endpoint *lb,
                      const sgr_endpoint *target, const char *via, sgr_reach *out)
{
    blast_vhop h = sgr_blast_verify(R, client, lbhop, lb, target);
    if (!h.ok || h.v == SGR_UNREACHABLE)
        return false;
    *out = *lbhop;
    out->from = client;
    out->verdict = h.v;
    out->ports = h.ports;
    out->n_ports = h.n;
    out->maybe = NULL;
    out->n_maybe = 0;
    out->via = via;
    return true;
}

/* Through a load balancer that `from` reaches (forward) or that reaches it
 * (reverse): the LB's targets (its clients) come in the same step, each port
 * verified by `can` from the client (client IP preservation). */
void sgr_blast_through_lb(blast_state *R, blast_level *next, const blast_node *from, const sgr_reach *hop, const sgr_endpoint *lb,
                       uint32_t depth)
{
    bool reverse = R->reverse;
    sgr_reach *os = NULL;
    uint32_t n;
    if (R->brute || !in_graph(R, lb)) {
        n = reverse ? sgr_reach_to(R->g, lb, &os, R->scratch) : sgr_reach_from(R->g, lb, &os, R->scratch);
    } else {
        const blast_lbcache *c = reverse ? lb_in(R, lb) : sgr_blast_lb_out(R, lb);
        os = reverse ? c->in : c->out;
        n = reverse ? c->n_in : c->n_out;
    }
    const char *via = sgr_arena_printf(R->scratch, "lb:%s", lb->name ? lb->name : lb->id);
    for (uint32_t k = 0; k < n; k++) {
        const sgr_endpoint *o = reverse ? os[k].from : os[k].to;
        if (!o || os[k].verdict == SGR_UNREACHABLE || o == from->ep || o->kind == SGR_EP_LB ||
            (!reverse && (o->kind == SGR_EP_INTERNET || o->kind == SGR_EP_CIDR)))
            continue;
        if (settled(R, o, depth))
            continue; /* discover would change nothing */
        /* the LB → target hop: from the LB's reach (forward) or the one met (reverse) */
        const sgr_reach *lbhop = reverse ? hop : &os[k];
        sgr_reach rr;
        if (sgr_blast_via_lb(R, reverse ? o : from->ep, lbhop, lb, reverse ? from->ep : o, via, &rr))
            sgr_blast_discover(R, next, from, &rr, o);
    }
}

