/*
 * Blast radius: breadth-first lateral movement over the engine's one-hop
 * reach (sgr_reach_from / sgr_reach_to). Each level expands the endpoints
 * first reached at the previous one; an endpoint is listed once, at the
 * fewest hops, with the ports of every equally short last hop, and the path
 * through the first parent in id order (a definite parent is preferred to
 * one whose reach is unknown).
 */
#include "blast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/strmap.h"
#include "portspace.h"
#include "served_ports.h"
#include "sgreach/snapshot.h"

enum { TAG_NODE = 0x424c, TAG_KEY, TAG_ENI_EPS, TAG_ADDR, TAG_VERDICT };

typedef struct node {
    const sgr_endpoint *ep;
    uint32_t hops;
    const struct node *parent;
    sgr_verdict verdict;
    sgr_proto_ports *ports;
    uint32_t n_ports;
    sgr_proto_ports *maybe;     /* further ports only possibly reached (data missing) */
    uint32_t n_maybe;
    const char *via;
} node;

/* ------------------------------------------------------------------ ports */

static int cmp_range(const void *a, const void *b)
{
    const sgr_portrange *x = a, *y = b;
    return x->lo != y->lo ? (x->lo < y->lo ? -1 : 1) : (x->hi < y->hi ? -1 : x->hi > y->hi);
}

/* Merges the ranges of one protocol in place; an empty list means "all". */
static uint32_t merge_ranges(sgr_portrange *r, uint32_t n)
{
    if (n == 0)
        return 0;
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
        memcpy(r, out[j].ranges, out[j].n_ranges * sizeof *r);
        memcpy(r + out[j].n_ranges, p->ranges, p->n_ranges * sizeof *r);
        out[j].ranges = r;
        out[j].n_ranges = merge_ranges(r, out[j].n_ranges + p->n_ranges);
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
    if (!td)
        return false;
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

/* ------------------------------------------------------------------ classes */

/* Behaviour classes (docs/performance.md): two interfaces or tasks in the same
 * subnet, with the same groups, the same kind and network mode, a public
 * address or not, and private addresses in the same address atom (the IPv4
 * space cut at every boundary of every CIDR the snapshot names: rules, prefix
 * lists, ACL entries, routes, VPC, subnet and peering CIDRs, the private
 * ranges) reach the same endpoints on the same ports, and are reached by the
 * same. The BFS expands one member of each class. Endpoints that share an
 * interface with others (a host and its bridge/host tasks: the docker bridge
 * differs per host), share an address with another interface, or have IPv6
 * or no address form classes of their own. */
typedef struct keyer {
    uint64_t *b;                /* sorted boundaries of the IPv4 atoms */
    uint32_t n, cap;
    sgr_strmap *eni_eps;        /* eni id -> endpoints carried (as a count) */
    sgr_strmap *addrs;          /* "a.b.c.d" -> interfaces holding it (as a count) */
    sgr_arena *a;
} keyer;

static void kb_add(keyer *k, const sgr_prefix *p)
{
    if (!p || p->ip.family != SGR_AF_INET || p->len > 32)
        return;
    uint64_t lo = ((uint64_t)p->ip.b[0] << 24) | ((uint64_t)p->ip.b[1] << 16) | ((uint64_t)p->ip.b[2] << 8) | p->ip.b[3];
    uint64_t size = (uint64_t)1 << (32 - p->len);
    lo &= ~(size - 1);
    if (k->n + 2 > k->cap)
        k->b = sgr_arena_grow(k->a, k->b, &k->cap, k->n + 2, sizeof *k->b);
    k->b[k->n++] = lo;
    k->b[k->n++] = lo + size;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static const char *addr_text(sgr_arena *a, const sgr_ip *ip)
{
    return sgr_arena_printf(a, "%u.%u.%u.%u", ip->b[0], ip->b[1], ip->b[2], ip->b[3]);
}

static void keyer_init(keyer *k, sgr_graph *g, const sgr_snapshot *s, sgr_arena *a)
{
    memset(k, 0, sizeof *k);
    k->a = a;
    static const uint8_t priv[][5] = {{10, 0, 0, 0, 8}, {172, 16, 0, 0, 12}, {192, 168, 0, 0, 16},
                                      {100, 64, 0, 0, 10}, {127, 0, 0, 0, 8}, {169, 254, 0, 0, 16}};
    for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++) {
        sgr_prefix p = {.ip = {.family = SGR_AF_INET, .b = {priv[i][0], priv[i][1], priv[i][2], priv[i][3]}},
                        .len = priv[i][4]};
        kb_add(k, &p);
    }
    for (uint32_t i = 0; i < s->n_sgs; i++)
        for (uint32_t r = 0; r < s->sgs[i]->n_rules; r++)
            if (s->sgs[i]->rules[r].peer_kind == SGR_PEER_CIDR)
                kb_add(k, &s->sgs[i]->rules[r].cidr);
    for (uint32_t i = 0; i < s->n_prefix_lists; i++)
        for (uint32_t e = 0; e < s->prefix_lists[i]->n_entries; e++)
            kb_add(k, &s->prefix_lists[i]->entries[e]);
    for (uint32_t i = 0; i < s->n_nacls; i++)
        for (uint32_t e = 0; e < s->nacls[i]->n_entries; e++)
            kb_add(k, &s->nacls[i]->entries[e].cidr);
    for (uint32_t i = 0; i < s->n_route_tables; i++)
        for (uint32_t r = 0; r < s->route_tables[i]->n_routes; r++)
            kb_add(k, &s->route_tables[i]->routes[r].dest);
    for (uint32_t i = 0; i < s->n_tgw_route_tables; i++)
        for (uint32_t r = 0; r < s->tgw_route_tables[i]->n_routes; r++)
            kb_add(k, &s->tgw_route_tables[i]->routes[r].dest);
    for (uint32_t i = 0; i < s->n_vpcs; i++)
        for (uint32_t c = 0; c < s->vpcs[i]->n_cidrs; c++)
            kb_add(k, &s->vpcs[i]->cidrs[c]);
    for (uint32_t i = 0; i < s->n_subnets; i++)
        kb_add(k, &s->subnets[i]->cidr4);
    for (uint32_t i = 0; i < s->n_peerings; i++) {
        for (uint32_t c = 0; c < s->peerings[i]->requester.n_cidrs; c++)
            kb_add(k, &s->peerings[i]->requester.cidrs[c]);
        for (uint32_t c = 0; c < s->peerings[i]->accepter.n_cidrs; c++)
            kb_add(k, &s->peerings[i]->accepter.cidrs[c]);
    }
    qsort(k->b, k->n, sizeof *k->b, cmp_u64);
    k->eni_eps = sgr_strmap_new(a);
    const sgr_endpoint *const *eps;
    uint32_t n = sgr_graph_endpoints(g, &eps);
    for (uint32_t i = 0; i < n; i++)
        if (eps[i]->eni) {
            uintptr_t c = (uintptr_t)sgr_strmap_get(k->eni_eps, TAG_ENI_EPS, eps[i]->eni->id);
            sgr_strmap_put(k->eni_eps, TAG_ENI_EPS, eps[i]->eni->id, (void *)(c + 1));
        }
    k->addrs = sgr_strmap_new(a);
    for (uint32_t i = 0; i < s->n_enis; i++)
        for (uint32_t p = 0; p < s->enis[i]->n_private_ips; p++) {
            const sgr_ip *ip = &s->enis[i]->private_ips[p];
            if (ip->family != SGR_AF_INET)
                continue;
            const char *t = addr_text(a, ip);
            uintptr_t c = (uintptr_t)sgr_strmap_get(k->addrs, TAG_ADDR, t);
            sgr_strmap_put(k->addrs, TAG_ADDR, t, (void *)(c + 1));
        }
}

/* The endpoint's class, or NULL when it is a class of its own. */
static const char *class_key(const keyer *k, const sgr_endpoint *ep, sgr_arena *a)
{
    const sgr_eni *e = ep->eni;
    if ((ep->kind != SGR_EP_ENI && ep->kind != SGR_EP_TASK) || !e || !e->subnet_id || e->address_planned ||
        e->n_private_ips == 0 || e->private_ips[0].family != SGR_AF_INET || e->n_ipv6)
        return NULL;
    if ((uintptr_t)sgr_strmap_get(k->eni_eps, TAG_ENI_EPS, e->id) > 1)
        return NULL; /* shares its interface: the docker bridge is per host */
    const sgr_ip *ip = &e->private_ips[0];
    if ((uintptr_t)sgr_strmap_get(k->addrs, TAG_ADDR, addr_text(a, ip)) > 1)
        return NULL; /* another interface has its address: references may match either */
    uint64_t v = ((uint64_t)ip->b[0] << 24) | ((uint64_t)ip->b[1] << 16) | ((uint64_t)ip->b[2] << 8) | ip->b[3];
    uint32_t lo = 0, hi = k->n; /* atom = number of boundaries <= v */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (k->b[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t len = 64 + strlen(e->subnet_id) + (e->vpc_id ? strlen(e->vpc_id) : 0);
    for (uint32_t i = 0; i < e->group_ids.count; i++)
        len += strlen(e->group_ids.items[i]) + 1;
    char *key = sgr_arena_alloc(a, len);
    int n = snprintf(key, len, "%d|%d|%s|%s|%d|%u|", (int)ep->kind, (int)ep->mode, e->subnet_id,
                     e->vpc_id ? e->vpc_id : "", e->n_public_ips > 0, lo);
    /* group ids in sorted order: the same set is the same class */
    const char **ids = SGR_NEW_N(a, const char *, e->group_ids.count + 1);
    if (e->group_ids.count)
        memcpy(ids, e->group_ids.items, e->group_ids.count * sizeof *ids);
    for (uint32_t i = 1; i < e->group_ids.count; i++)
        for (uint32_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
            const char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    for (uint32_t i = 0; i < e->group_ids.count; i++)
        n += snprintf(key + n, len - (size_t)n, "%s,", ids[i]);
    return key;
}

/* ------------------------------------------------------------------ BFS */

static int cmp_node_id(const void *a, const void *b)
{
    const node *x = *(node *const *)a, *y = *(node *const *)b;
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

static sgr_verdict worst(sgr_verdict a, sgr_verdict b)
{
    if (a == SGR_UNREACHABLE || b == SGR_UNREACHABLE)
        return SGR_UNREACHABLE;
    return (a == SGR_UNKNOWN || b == SGR_UNKNOWN) ? SGR_UNKNOWN : SGR_REACHABLE;
}

typedef struct level {
    node **items;
    uint32_t n, cap;
} level;

static void level_push(sgr_arena *a, level *l, node *x)
{
    if (l->n == l->cap)
        l->items = sgr_arena_grow(a, l->items, &l->cap, l->n + 1, sizeof *l->items);
    l->items[l->n++] = x;
}

/* Records that `from` (at depth d) reaches `other` by reach r. */
static void discover(sgr_strmap *seen, sgr_arena *a, sgr_arena *work, level *next, const node *from,
                     const sgr_reach *r, const sgr_endpoint *other, bool reverse)
{
    sgr_verdict v = worst(from->verdict, r->verdict);
    /* a bridge or host task answers only on the ports it publishes */
    sgr_proto_ports *served;
    uint32_t n_served;
    sgr_reach filtered = *r;
    if (sgr_task_served(reverse ? from->ep : other, r->via, work, &served, &n_served)) {
        filtered.ports = sgr_ports_intersect(r->ports, r->n_ports, served, n_served, work, &filtered.n_ports);
        if (filtered.n_ports == 0)
            return;
        r = &filtered;
    }
    /* ports only possibly reached beside the definite ones (sgr_reach.maybe) */
    const sgr_proto_ports *mp = r->maybe;
    uint32_t nm = r->n_maybe;
    if (nm && sgr_task_served(reverse ? from->ep : other, r->via, work, &served, &n_served))
        mp = sgr_ports_intersect(r->maybe, r->n_maybe, served, n_served, work, &nm);
    node *x = sgr_strmap_get(seen, TAG_NODE, other->id);
    if (x && x->hops == from->hops + 1 && nm)
        x->maybe = sgr_ports_union(x->maybe, x->n_maybe, mp, nm, a, &x->n_maybe);
    if (!x) {
        x = SGR_NEW(a, node);
        if (nm)
            x->maybe = sgr_ports_union(mp, nm, NULL, 0, a, &x->n_maybe);
        x->ep = other;
        x->hops = from->hops + 1;
        x->parent = from;
        x->verdict = v;
        x->ports = sgr_ports_union(r->ports, r->n_ports, NULL, 0, a, &x->n_ports);
        x->via = sgr_arena_strdup(a, r->via ? r->via : "direct");
        sgr_strmap_put(seen, TAG_NODE, other->id, x);
        level_push(work, next, x);
        return;
    }
    if (x->hops != from->hops + 1)
        return; /* a source, or reached by a shorter path */
    x->ports = sgr_ports_union(x->ports, x->n_ports, r->ports, r->n_ports, a, &x->n_ports);
    if (x->verdict == SGR_UNKNOWN && v == SGR_REACHABLE) {
        x->verdict = v;
        x->parent = from;
        x->via = sgr_arena_strdup(a, r->via ? r->via : "direct");
    }
}

enum { MAX_VERIFY = 64 };

/* A load balancer's hop to a target says what the LB sends from its own
 * address; with client IP preservation (an NLB) the target sees the client
 * instead, so each port the target is registered on is re-decided from the
 * source itself, through this load balancer only. At most MAX_VERIFY ports;
 * returns false (keep the hop as it is) beyond that. */
bool sgr_lb_hop_verify(sgr_graph *g, const sgr_endpoint *src, const sgr_reach *hop, sgr_arena *a,
                          sgr_arena *work, sgr_strmap *memo, sgr_verdict *v, sgr_proto_ports **ports, uint32_t *n_ports)
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
            const char *key = memo && hop->to->eni ? sgr_arena_printf(a, "%p|%p|%p|%d|%d", (const void *)src,
                                                                       (const void *)hop->from, (const void *)hop->to->eni,
                                                                       (int)proto, (int)port)
                                                    : NULL;
            uintptr_t seen = key ? (uintptr_t)sgr_strmap_get(memo, TAG_VERDICT, key) : 0;
            sgr_verdict best = seen ? (sgr_verdict)(seen - 1) : sgr_can_via_lb(g, src, hop->from, hop->to, proto, port, work);
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

/* Through a load balancer that `from` reaches (forward) or that reaches it
 * (reverse): the LB's targets (its clients) come in the same step, each port
 * verified by `can` from the client (client IP preservation). */
static void through_lb(sgr_graph *g, sgr_strmap *seen, sgr_arena *a, sgr_arena *work, level *next, const node *from,
                       const sgr_reach *hop, const sgr_endpoint *lb, bool reverse, sgr_arena *scratch)
{
    sgr_reach *os = NULL;
    uint32_t n = reverse ? sgr_reach_to(g, lb, &os, scratch) : sgr_reach_from(g, lb, &os, scratch);
    for (uint32_t k = 0; k < n; k++) {
        const sgr_endpoint *o = reverse ? os[k].from : os[k].to;
        if (!o || os[k].verdict == SGR_UNREACHABLE || o == from->ep || o->kind == SGR_EP_LB ||
            (!reverse && (o->kind == SGR_EP_INTERNET || o->kind == SGR_EP_CIDR)))
            continue;
        /* the LB → target hop: from the LB's reach (forward) or the one met (reverse) */
        const sgr_reach *lbhop = reverse ? hop : &os[k];
        const sgr_endpoint *client = reverse ? o : from->ep;
        sgr_verdict v;
        sgr_proto_ports *ports;
        uint32_t np;
        if (!sgr_lb_hop_verify(g, client, lbhop, scratch, scratch, NULL, &v, &ports, &np) || v == SGR_UNREACHABLE)
            continue;
        sgr_reach rr = *lbhop;
        rr.from = client;
        rr.to = lbhop->to;
        rr.verdict = v;
        rr.ports = ports;
        rr.n_ports = np;
        rr.maybe = NULL;
        rr.n_maybe = 0;
        rr.via = sgr_arena_printf(scratch, "lb:%s", lb->name ? lb->name : lb->id);
        discover(seen, a, work, next, from, &rr, o, reverse);
    }
}


void sgr_blast_run(sgr_graph *g, const sgr_snapshot *snap, const sgr_endpoint *const *src, uint32_t n_src,
                   bool reverse, uint32_t max_hops, sgr_arena *a, sgr_blast *out)
{
    memset(out, 0, sizeof *out);
    sgr_arena *work = sgr_arena_new();
    sgr_strmap *seen = sgr_strmap_new(work);
    sgr_strmap *done = sgr_strmap_new(work); /* class key -> verdict of the member expanded */
    keyer kr;
    keyer_init(&kr, g, snap, work);
    level cur = {0};
    for (uint32_t i = 0; i < n_src; i++) {
        if (sgr_strmap_get(seen, TAG_NODE, src[i]->id))
            continue;
        node *x = SGR_NEW(a, node);
        x->ep = src[i];
        x->verdict = SGR_REACHABLE;
        sgr_strmap_put(seen, TAG_NODE, src[i]->id, x);
        level_push(work, &cur, x);
    }
    qsort(cur.items, cur.n, sizeof *cur.items, cmp_node_id);
    level found = {0};
    for (uint32_t depth = 0; depth < max_hops && cur.n; depth++) {
        level next = {0};
        for (uint32_t i = 0; i < cur.n; i++) {
            const node *from = cur.items[i];
            if (depth > 0 && !expandable(from->ep))
                continue;
            /* a classmate expanded at this depth or before reached all this one
             * would (a definite one; an unknown one only stands for unknowns) */
            const char *key = class_key(&kr, from->ep, work);
            if (key) {
                uintptr_t was = (uintptr_t)sgr_strmap_get(done, TAG_KEY, key);
                if (was == 2 || (was == 1 && from->verdict != SGR_REACHABLE)) {
                    out->skipped++;
                    continue;
                }
                sgr_strmap_put(done, TAG_KEY, key, (void *)(uintptr_t)(from->verdict == SGR_REACHABLE ? 2 : 1));
            }
            sgr_arena *scratch = sgr_arena_new();
            sgr_reach *rs = NULL;
            uint32_t n = reverse ? sgr_reach_to(g, from->ep, &rs, scratch) : sgr_reach_from(g, from->ep, &rs, scratch);
            out->expanded++;
            for (uint32_t k = 0; k < n; k++) {
                const sgr_endpoint *other = reverse ? rs[k].from : rs[k].to;
                if (!other || rs[k].verdict == SGR_UNREACHABLE)
                    continue;
                discover(seen, a, work, &next, from, &rs[k], other, reverse);
                if (other->kind == SGR_EP_LB && from->ep->kind != SGR_EP_LB)
                    through_lb(g, seen, a, work, &next, from, &rs[k], other, reverse, scratch);
            }
            sgr_arena_free(scratch);
        }
        if (next.n)
            qsort(next.items, next.n, sizeof *next.items, cmp_node_id);
        for (uint32_t i = 0; i < next.n; i++)
            level_push(work, &found, next.items[i]);
        cur = next;
    }
    out->items = SGR_NEW_N(a, sgr_blast_item, found.n ? found.n : 1);
    for (uint32_t i = 0; i < found.n; i++) {
        const node *x = found.items[i];
        sgr_blast_item *it = &out->items[out->n++];
        it->ep = x->ep;
        it->verdict = x->verdict;
        it->ports = x->ports;
        it->n_ports = x->n_ports;
        it->maybe = x->maybe;
        it->n_maybe = x->n_maybe;
        it->hops = x->hops;
        it->via = x->via;
        it->n_path = x->hops + 1;
        it->path = SGR_NEW_N(a, const sgr_endpoint *, it->n_path);
        uint32_t k = 0;
        for (const node *p = x; p; p = p->parent, k++)
            it->path[reverse ? k : it->n_path - 1 - k] = p->ep;
    }
    qsort(out->items, out->n, sizeof *out->items, cmp_item);
    sgr_arena_free(work);
}
