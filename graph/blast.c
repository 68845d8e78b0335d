/*
 * Ports per protocol (union, intersection, what a bridge or host task serves)
 * and the re-decision of a load balancer's hop for one client: the pieces
 * blast (blast_run.c) and exposure share.
 */
#include "blast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portset.h"
#include "strmap.h"
#include "portspace.h"
#include "served_ports.h"
#include "sgreach/snapshot.h"

enum { TAG_VERDICT = 0x4250 };

/* ------------------------------------------------------------------ ports */

static int cmp_range(const void *a, const void *b)
{
    const sgr_portrange *x = a, *y = b;
    return x->lo != y->lo ? (x->lo < y->lo ? -1 : 1) : (x->hi < y->hi ? -1 : x->hi > y->hi);
}

static bool ranges_sorted(const sgr_portrange *r, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++)
        if (cmp_range(&r[i - 1], &r[i]) > 0)
            return false;
    return true;
}

/* Merges the ranges of one protocol in place; an empty list means "all".
 * Already in order (most lists are: unions of merged lists, which
 * sgr_ports_union meets in two sorted halves), no sort is needed. */
static uint32_t merge_ranges(sgr_portrange *r, uint32_t n)
{
    if (n == 0)
        return 0;
    if (!ranges_sorted(r, n))
        qsort(r, n, sizeof *r, cmp_range);
    uint32_t k = 0;
    for (uint32_t i = 1; i < n; i++) {
        if ((int64_t)r[i].lo <= (int64_t)r[k].hi + 1) {
            if (r[i].hi > r[k].hi)
                r[k].hi = r[i].hi;
        } else {
            r[++k] = r[i];
        }
    }
    return k + 1;
}

sgr_proto_ports *sgr_ports_union(const sgr_proto_ports *a, uint32_t na, const sgr_proto_ports *b, uint32_t nb,
                                 sgr_arena *ar, uint32_t *n_out)
{
    for (uint32_t i = 0; i < na + nb; i++) {
        const sgr_proto_ports *p = i < na ? &a[i] : &b[i - na];
        if (p->protocol == SGR_PROTO_ALL) {
            sgr_proto_ports *all = SGR_NEW(ar, sgr_proto_ports);
            all->protocol = SGR_PROTO_ALL;
            *n_out = 1;
            return all;
        }
    }
    sgr_proto_ports *out = SGR_NEW_N(ar, sgr_proto_ports, na + nb ? na + nb : 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < na + nb; i++) {
        const sgr_proto_ports *p = i < na ? &a[i] : &b[i - na];
        uint32_t j = 0;
        while (j < n && out[j].protocol != p->protocol)
            j++;
        if (j == n) {
            out[n].protocol = p->protocol;
            out[n].ranges = SGR_NEW_N(ar, sgr_portrange, p->n_ranges ? p->n_ranges : 1);
            if (p->n_ranges)
                memcpy(out[n].ranges, p->ranges, p->n_ranges * sizeof *p->ranges);
            out[n].n_ranges = p->n_ranges;
            n++;
            continue;
        }
        if (out[j].n_ranges == 0)
            continue; /* already every port */
        if (p->n_ranges == 0) {
            out[j].n_ranges = 0;
            continue;
        }
        sgr_portrange *r = SGR_NEW_N(ar, sgr_portrange, out[j].n_ranges + p->n_ranges);
        const sgr_portrange *x = out[j].ranges, *y = p->ranges;
        uint32_t nx = out[j].n_ranges, ny = p->n_ranges;
        if (ranges_sorted(x, nx) && ranges_sorted(y, ny)) { /* two sorted halves: merged in order */
            uint32_t ix = 0, iy = 0, k = 0;
            while (ix < nx || iy < ny)
                r[k++] = iy == ny || (ix < nx && cmp_range(&x[ix], &y[iy]) <= 0) ? x[ix++] : y[iy++];
        } else {
            memcpy(r, x, nx * sizeof *r);
            memcpy(r + nx, y, ny * sizeof *r);
        }
        out[j].ranges = r;
        out[j].n_ranges = merge_ranges(r, nx + ny);
    }
    for (uint32_t i = 0; i < n; i++) /* insertion sort by protocol: n is tiny */
        for (uint32_t k = i; k > 0 && out[k - 1].protocol > out[k].protocol; k--) {
            sgr_proto_ports t = out[k];
            out[k] = out[k - 1];
            out[k - 1] = t;
        }
    for (uint32_t i = 0; i < n; i++)
        out[i].n_ranges = merge_ranges(out[i].ranges, out[i].n_ranges);
    *n_out = n;
    return out;
}

sgr_proto_ports *sgr_ports_subtract(const sgr_proto_ports *a, uint32_t na, const sgr_proto_ports *b, uint32_t nb,
                                    sgr_arena *ar, uint32_t *n_out)
{
    *n_out = 0;
    if (nb == 1 && b[0].protocol == SGR_PROTO_ALL)
        return NULL;
    if (na == 1 && a[0].protocol == SGR_PROTO_ALL) /* every protocol but a few ports: kept whole */
        return sgr_ports_union(a, na, NULL, 0, ar, n_out);
    sgr_proto_ports *out = SGR_NEW_N(ar, sgr_proto_ports, na ? na : 1);
    for (uint32_t i = 0; i < na; i++) {
        sgr_portrange u = sgr_proto_universe(a[i].protocol);
        const sgr_proto_ports *o = NULL;
        for (uint32_t k = 0; k < nb && !o; k++)
            if (b[k].protocol == a[i].protocol)
                o = &b[k];
        if (o && o->n_ranges == 0)
            continue;
        if (!o) { /* nothing of this protocol to take away */
            out[(*n_out)++] = a[i];
            continue;
        }
        uint32_t nr = a[i].n_ranges ? a[i].n_ranges : 1, cap = nr + o->n_ranges + 1, n = 0;
        sgr_portrange *r = SGR_NEW_N(ar, sgr_portrange, cap);
        for (uint32_t x = 0; x < nr; x++) {
            int64_t lo = a[i].n_ranges ? a[i].ranges[x].lo : u.lo, hi = a[i].n_ranges ? a[i].ranges[x].hi : u.hi;
            for (uint32_t y = 0; y < o->n_ranges && lo <= hi; y++) {
                const sgr_portrange *c = &o->ranges[y];
                if (c->hi < lo || c->lo > hi)
                    continue;
                if (c->lo > lo) {
                    if (n == cap)
                        r = sgr_arena_grow(ar, r, &cap, n + 1, sizeof *r);
                    r[n++] = (sgr_portrange){(int32_t)lo, c->lo - 1};
                }
                lo = (int64_t)c->hi + 1;
            }
            if (lo <= hi) {
                if (n == cap)
                    r = sgr_arena_grow(ar, r, &cap, n + 1, sizeof *r);
                r[n++] = (sgr_portrange){(int32_t)lo, (int32_t)hi};
            }
        }
        if (!n)
            continue;
        out[*n_out].protocol = a[i].protocol;
        out[*n_out].ranges = r;
        out[*n_out].n_ranges = merge_ranges(r, n);
        (*n_out)++;
    }
    return *n_out ? out : NULL;
}

bool sgr_ports_cover(const sgr_proto_ports *outer, uint32_t no, const sgr_proto_ports *inner, uint32_t ni)
{
    if (no == 1 && outer[0].protocol == SGR_PROTO_ALL)
        return true;
    for (uint32_t i = 0; i < ni; i++) {
        const sgr_proto_ports *e = &inner[i];
        if (e->protocol == SGR_PROTO_ALL)
            return false;
        const sgr_proto_ports *o = NULL;
        for (uint32_t k = 0; k < no && !o; k++)
            if (outer[k].protocol == e->protocol)
                o = &outer[k];
        if (!o)
            return false;
        if (o->n_ranges == 0)
            continue;
        sgr_portrange u = sgr_proto_universe(e->protocol);
        for (uint32_t r = 0; r < (e->n_ranges ? e->n_ranges : 1); r++) {
            sgr_portrange want = e->n_ranges ? e->ranges[r] : u;
            bool in = false;
            for (uint32_t k = 0; k < o->n_ranges && !in; k++)
                in = o->ranges[k].lo <= want.lo && want.hi <= o->ranges[k].hi;
            if (!in)
                return false;
        }
    }
    return true;
}

bool sgr_ports_overlap(const sgr_proto_ports *a, uint32_t na, const sgr_proto_ports *b, uint32_t nb)
{
    if ((na == 1 && a[0].protocol == SGR_PROTO_ALL) || (nb == 1 && b[0].protocol == SGR_PROTO_ALL))
        return na && nb;
    for (uint32_t i = 0; i < na; i++)
        for (uint32_t j = 0; j < nb; j++) {
            if (a[i].protocol != b[j].protocol)
                continue;
            if (a[i].n_ranges == 0 || b[j].n_ranges == 0)
                return true;
            for (uint32_t x = 0; x < a[i].n_ranges; x++)
                for (uint32_t y = 0; y < b[j].n_ranges; y++)
                    if (a[i].ranges[x].lo <= b[j].ranges[y].hi && b[j].ranges[y].lo <= a[i].ranges[x].hi)
                        return true;
        }
    return false;
}

bool sgr_ports_has(const sgr_proto_ports *p, uint32_t n, int32_t proto, int32_t port)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i].protocol == SGR_PROTO_ALL)
            return true;
        if (p[i].protocol != proto)
            continue;
        if (p[i].n_ranges == 0 || port < 0)
            return true;
        for (uint32_t k = 0; k < p[i].n_ranges; k++)
            if (port >= p[i].ranges[k].lo && port <= p[i].ranges[k].hi)
                return true;
    }
    return false;
}

void sgr_ports_first(const sgr_proto_ports *p, uint32_t n, int32_t *proto, int32_t *port)
{
    *proto = SGR_PROTO_TCP;
    *port = -1;
    if (n == 0)
        return;
    /* TCP first when present: what people ask about. */
    const sgr_proto_ports *pick = &p[0];
    for (uint32_t i = 0; i < n; i++)
        if (p[i].protocol == SGR_PROTO_TCP)
            pick = &p[i];
    *proto = pick->protocol;
    *port = pick->n_ranges ? pick->ranges[0].lo : -1;
}

sgr_proto_ports *sgr_ports_intersect(const sgr_proto_ports *a, uint32_t na, const sgr_proto_ports *b, uint32_t nb,
                                     sgr_arena *ar, uint32_t *n_out)
{
    /* "all" on one side: the other side. */
    if (na == 1 && a[0].protocol == SGR_PROTO_ALL)
        return sgr_ports_union(b, nb, NULL, 0, ar, n_out);
    if (nb == 1 && b[0].protocol == SGR_PROTO_ALL)
        return sgr_ports_union(a, na, NULL, 0, ar, n_out);
    sgr_proto_ports *out = SGR_NEW_N(ar, sgr_proto_ports, na ? na : 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < na; i++)
        for (uint32_t j = 0; j < nb; j++) {
            if (a[i].protocol != b[j].protocol)
                continue;
            sgr_proto_ports *o = &out[n];
            o->protocol = a[i].protocol;
            if (a[i].n_ranges == 0 || b[j].n_ranges == 0) { /* every port on one side */
                const sgr_proto_ports *other = a[i].n_ranges == 0 ? &b[j] : &a[i];
                o->ranges = SGR_NEW_N(ar, sgr_portrange, other->n_ranges ? other->n_ranges : 1);
                if (other->n_ranges)
                    memcpy(o->ranges, other->ranges, other->n_ranges * sizeof *o->ranges);
                o->n_ranges = other->n_ranges;
                n++;
                continue;
            }
            o->ranges = SGR_NEW_N(ar, sgr_portrange, a[i].n_ranges + b[j].n_ranges);
            uint32_t k = 0;
            for (uint32_t x = 0; x < a[i].n_ranges; x++)
                for (uint32_t y = 0; y < b[j].n_ranges; y++) {
                    int32_t lo = a[i].ranges[x].lo > b[j].ranges[y].lo ? a[i].ranges[x].lo : b[j].ranges[y].lo;
                    int32_t hi = a[i].ranges[x].hi < b[j].ranges[y].hi ? a[i].ranges[x].hi : b[j].ranges[y].hi;
                    if (lo <= hi) {
                        if (k == a[i].n_ranges + b[j].n_ranges)
                            break;
                        o->ranges[k++] = (sgr_portrange){lo, hi};
                    }
                }
            o->n_ranges = merge_ranges(o->ranges, k);
            if (o->n_ranges)
                n++;
        }
    *n_out = n;
    return out;
}

/* Adds [lo, hi] of proto to a small growing list. */
static void served_add(sgr_arena *a, sgr_proto_ports **v, uint32_t *n, int32_t proto, int32_t lo, int32_t hi)
{
    sgr_proto_ports one = {proto, &(sgr_portrange){lo, hi}, 1};
    *v = sgr_ports_union(*v, *n, &one, 1, a, n);
}

bool sgr_task_served(const sgr_endpoint *ep, const char *via, sgr_arena *a, sgr_proto_ports **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    const sgr_task *t = ep->task;
    if (ep->kind != SGR_EP_TASK || !t)
        return false;
    if (ep->mode == SGR_NET_NONE)
        return true;
    bool bridge = ep->mode == SGR_NET_BRIDGE || ep->mode == SGR_NET_DEFAULT;
    if (!bridge && ep->mode != SGR_NET_HOST)
        return false; /* awsvpc: the interface is the task's own, whatever listens answers */
    bool inside = via && (strcmp(via, "docker-bridge") == 0 || strcmp(via, "loopback") == 0);
    bool known = false;
    for (uint32_t c = 0; c < t->n_containers; c++)
        for (uint32_t b = 0; b < t->containers[c].n_bindings; b++) {
            const sgr_network_binding *nb = &t->containers[c].bindings[b];
            known = true;
            if (inside || !bridge)
                served_add(a, out, n, nb->protocol, nb->container_port, nb->container_port_end);
            if (!inside && nb->host_port > 0)
                served_add(a, out, n, nb->protocol, nb->host_port, nb->host_port_end);
        }
    if (known)
        return true;
    /* No bindings recorded: the task definition's mappings, when they say it all. */
    const sgr_task_def *td = t->task_def;
    if (!td || td->ports_unknown_why)
        return false;
    bool mapped = false;
    for (uint32_t c = 0; c < td->n_containers; c++)
        mapped = mapped || td->containers[c].n_ports > 0;
    if (!bridge && !mapped)
        return false; /* a host-mode task that declares no port may listen on any (as sgr_can) */
    for (uint32_t c = 0; c < td->n_containers; c++)
        for (uint32_t k = 0; k < td->containers[c].n_ports; k++) {
            const sgr_port_mapping *pm = &td->containers[c].ports[k];
            if (bridge && !inside && pm->host_port <= 0)
                return false; /* a dynamic host port that no binding records */
            if (bridge && !inside)
                served_add(a, out, n, pm->protocol, pm->host_port, pm->host_port_end);
            else
                served_add(a, out, n, pm->protocol, pm->container_port, pm->container_port_end);
        }
    return true;
}

enum { MAX_VERIFY = 64 };

/* A load balancer's hop to a target says what the LB sends from its own
 * address; with client IP preservation (an NLB) the target sees the client
 * instead, so each port the target is registered on is re-decided from the
 * source itself, through this load balancer only. At most MAX_VERIFY ports;
 * returns false (keep the hop as it is) beyond that. */
bool sgr_lb_hop_verify(sgr_graph *g, const sgr_endpoint *src, const sgr_reach *hop, sgr_arena *a,
                          sgr_arena *work, sgr_strmap *memo, sgr_lb_legs *legs, uint32_t registration, sgr_verdict *v,
                          sgr_proto_ports **ports, uint32_t *n_ports)
{
    sgr_portset cand = {0}; /* what the LB sends: the target's (host) ports */
    for (uint32_t k = 0; k < hop->n_ports; k++)
        sgr_portset_add_proto_ports(work, &cand, &hop->ports[k]);
    for (uint32_t k = 0; k < hop->n_maybe; k++)
        sgr_portset_add_proto_ports(work, &cand, &hop->maybe[k]);
    uint64_t count = 0;
    for (uint32_t i = 0; i < cand.n; i++)
        count += (uint64_t)cand.iv[i].hi - cand.iv[i].lo + 1;
    if (count == 0 || count > MAX_VERIFY || !hop->from || hop->from->kind != SGR_EP_LB)
        return false;
    sgr_proto_ports *def = SGR_NEW_N(a, sgr_proto_ports, count), *unk = SGR_NEW_N(a, sgr_proto_ports, count);
    uint32_t nd = 0, nu = 0;
    for (uint32_t i = 0; i < cand.n; i++)
        for (uint32_t code = cand.iv[i].lo; code <= cand.iv[i].hi; code++) {
            int32_t proto = (int32_t)(code >> 16), port = (int32_t)(code & 0xFFFF);
            const char *key = memo && hop->to->eni ? sgr_arena_printf(a, "%p|%p|%p|%u|%d|%d", (const void *)src,
                                                                       (const void *)hop->from, (const void *)hop->to->eni,
                                                                       (unsigned)registration, (int)proto, (int)port)
                                                    : NULL;
            uintptr_t seen = key ? (uintptr_t)sgr_strmap_get(memo, TAG_VERDICT, key) : 0;
            sgr_verdict best = seen ? (sgr_verdict)(seen - 1) : sgr_can_via_lb_legs(g, src, hop->from, hop->to, proto, port, work, legs);
            if (key && !seen)
                sgr_strmap_put(memo, TAG_VERDICT, key, (void *)(uintptr_t)(best + 1));
            if (best == SGR_UNREACHABLE)
                continue;
            sgr_proto_ports *pp = best == SGR_REACHABLE ? &def[nd++] : &unk[nu++];
            pp->protocol = proto;
            pp->ranges = SGR_NEW(a, sgr_portrange);
            pp->ranges[0].lo = pp->ranges[0].hi = port;
            pp->n_ranges = 1;
        }
    *v = nd ? SGR_REACHABLE : nu ? SGR_UNKNOWN : SGR_UNREACHABLE;
    *ports = nd ? def : unk;
    *n_ports = nd ? nd : nu;
    return true;
}
