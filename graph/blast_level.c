/*
 * What one level of blast's closure records, shared by its three walkers
 * (blast_run.c expands, blast_pairs.c answers pairs and load-balancer hops,
 * blast_pull.c pulls by destination): an endpoint discovered with its ports and
 * verdict, merged into what it held, seen as the task that serves those ports.
 * The walkers call these; these call none of them.
 */
#include "blast_run_int.h"

#include <string.h>

void sgr_blast_push(sgr_arena *a, blast_level *l, blast_node *x)
{
    if (l->n == l->cap)
        l->items = sgr_arena_grow(a, l->items, &l->cap, l->n + 1, sizeof *l->items);
    l->items[l->n++] = x;
}

static bool ports_equal(const sgr_proto_ports *p, uint32_t np, const sgr_proto_ports *q, uint32_t nq)
{
    if (np != nq)
        return false;
    for (uint32_t i = 0; i < np; i++)
        if (p[i].protocol != q[i].protocol || p[i].n_ranges != q[i].n_ranges ||
            (p[i].n_ranges && memcmp(p[i].ranges, q[i].ranges, p[i].n_ranges * sizeof *p[i].ranges) != 0))
            return false;
    return true;
}

/* *v ∪= add, as sgr_ports_union does, kept in `a` only when it changed: an
 * endpoint hears the same ports again and again, and the answer's arena
 * would grow with every repeat. */
void sgr_blast_merge(sgr_arena *a, sgr_arena *tmp, sgr_proto_ports **v, uint32_t *n, const sgr_proto_ports *add,
                       uint32_t n_add)
{
    uint32_t nu;
    sgr_proto_ports *u = sgr_ports_union(*v, *n, add, n_add, tmp, &nu);
    if (ports_equal(u, nu, *v, *n))
        return;
    *v = sgr_ports_union(u, nu, NULL, 0, a, n);
}

/* sgr_task_served, once per endpoint and way (over the docker bridge or
 * loopback, or from outside the host): an endpoint is met again and again. */
bool sgr_blast_served(blast_state *R, const sgr_endpoint *ep, const char *via, sgr_proto_ports **out, uint32_t *n)
{
    if (ep->kind != SGR_EP_TASK || !in_graph(R, ep))
        return sgr_task_served(ep, via, R->scratch, out, n);
    int k = via && (strcmp(via, "docker-bridge") == 0 || strcmp(via, "loopback") == 0);
    blast_served *c = &R->served[ep->index];
    if (!c->state[k])
        c->state[k] = sgr_task_served(ep, via, R->work, &c->p[k], &c->n[k]) ? 2 : 1;
    *out = c->p[k];
    *n = c->n[k];
    return c->state[k] == 2;
}

bool sgr_blast_filter(blast_state *R, const sgr_endpoint *task, const sgr_reach *r, sgr_reach *out)
{
    *out = *r;
    sgr_proto_ports *served;
    uint32_t n_served;
    if (!sgr_blast_served(R, task, r->via, &served, &n_served))
        return true;
    out->ports = sgr_ports_intersect(r->ports, r->n_ports, served, n_served, R->scratch, &out->n_ports);
    if (out->n_ports == 0)
        return false;
    if (r->n_maybe)
        out->maybe = sgr_ports_intersect(r->maybe, r->n_maybe, served, n_served, R->scratch, &out->n_maybe);
    return true;
}

void sgr_blast_discover(blast_state *R, blast_level *next, const blast_node *from, const sgr_reach *r, const sgr_endpoint *other)
{
    sgr_strmap *seen = R->seen;
    sgr_arena *a = R->a, *work = R->scratch;
    bool reverse = R->reverse;
    sgr_verdict v = sgr_blast_worst(from->verdict, r->verdict);
    sgr_reach filtered;
    if (!sgr_blast_filter(R, reverse ? from->ep : other, r, &filtered))
        return;
    r = &filtered;
    /* ports only possibly reached beside the definite ones (sgr_reach.maybe) */
    const sgr_proto_ports *mp = r->maybe;
    uint32_t nm = r->n_maybe;
    blast_node *x = R->ids_unique && in_graph(R, other) ? R->at[other->index] : sgr_strmap_get(seen, TAG_NODE, other->id);
    if (x && x->hops == from->hops + 1 && nm)
        sgr_blast_merge(a, work, &x->maybe, &x->n_maybe, mp, nm);
    if (!x) {
        x = SGR_NEW(a, blast_node);
        if (nm)
            x->maybe = sgr_ports_union(mp, nm, NULL, 0, a, &x->n_maybe);
        x->ep = other;
        x->hops = from->hops + 1;
        x->parent = from;
        x->verdict = v;
        x->ports = sgr_ports_union(r->ports, r->n_ports, NULL, 0, a, &x->n_ports);
        x->via = sgr_arena_strdup(a, r->via ? r->via : "direct");
        sgr_strmap_put(seen, TAG_NODE, other->id, x);
        if (in_graph(R, other))
            R->at[other->index] = x;
        sgr_blast_push(R->work, next, x);
        return;
    }
    if (x->hops != from->hops + 1)
        return; /* a source, or reached by a shorter path */
    sgr_blast_merge(a, work, &x->ports, &x->n_ports, r->ports, r->n_ports);
    if (x->verdict == SGR_UNKNOWN && v == SGR_REACHABLE) {
        x->verdict = v;
        x->parent = from;
        x->via = sgr_arena_strdup(a, r->via ? r->via : "direct");
    }
}
