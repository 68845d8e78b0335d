/*
 * sgr_can: the verdict for one pair on one protocol and port. The candidate
 * paths are the direct one, every load balancer that registers the
 * destination (found without being asked), the docker bridge and the host's
 * loopback for tasks on one instance; the best candidate is answered and, when
 * it is blocked, every component that blocks it.
 */
#include "engine.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define MAX_CELLS 512

/* ---------------------------------------------------------------- cells of outside address sets */

typedef struct cells {
    sgr_ip v[MAX_CELLS];
    uint32_t n;
    bool truncated; /* more boundaries or cells than are kept: some cell may be missing */
} cells;

/* The first address of `set` at or after v, or false. */
static bool first4_from(const sgr_addrset *set, uint32_t v, uint32_t *out)
{
    uint32_t k = sgr_addrset_find4(set, v);
    if (k == set->n4)
        return false;
    *out = set->r4[k].lo > v ? set->r4[k].lo : v;
    return true;
}

static bool first6_from(const sgr_addrset *set, sgr_u128 v, sgr_u128 *out)
{
    uint32_t k = sgr_addrset_find6(set, v);
    if (k == set->n6)
        return false;
    *out = sgr_u128_cmp(set->r6[k].lo, v) > 0 ? set->r6[k].lo : v;
    return true;
}

/* Representative addresses of `set`: one per cell that every rule, ACL entry
 * and route of the sides treats alike. The sides' boundaries cut the address
 * space into intervals where nothing they look at changes; each interval that
 * holds addresses of the set is a cell, represented by its first one. (The
 * set's own boundaries cut nothing: no rule tells its pieces apart.) IPv4 first. */
static void make_cells(const sgr_graph *g, sgr_arena *a, const sgr_addrset *set, const sgr_side *const *sides,
                       uint32_t n_sides, cells *out)
{
    sgr_cuts c;
    memset(&c, 0, sizeof c);
    for (uint32_t i = 0; i < n_sides; i++)
        sgr_cuts_side(g, a, &c, sides[i]);
    sgr_cuts_sort(&c);
    out->n = 0;
    out->truncated = c.capped;
    /* interval k starts at the (k-1)th cut, the first one at address 0 */
    for (uint32_t k = 0; k <= c.n4 && out->n < MAX_CELLS; k++) {
        uint32_t start = k ? c.p4[k - 1] : 0, first;
        if ((k || !c.n4 || c.p4[0] != 0) && first4_from(set, start, &first) && (k == c.n4 || first < c.p4[k]))
            out->v[out->n++] = sgr_ip_from_v4(first);
    }
    for (uint32_t k = 0; k <= c.n6 && out->n < MAX_CELLS; k++) {
        sgr_u128 start = k ? c.p6[k - 1] : (sgr_u128){0, 0}, first;
        if ((k || !c.n6 || c.p6[0].hi || c.p6[0].lo) && first6_from(set, start, &first) &&
            (k == c.n6 || sgr_u128_cmp(first, c.p6[k]) < 0))
            out->v[out->n++] = sgr_ip_from_v6(first);
    }
    if (out->n == MAX_CELLS)
        out->truncated = true;
}

/* The outside addresses an endpoint stands for. */
static sgr_addrset outside_set(const sgr_graph *g, sgr_arena *a, const sgr_epx *x)
{
    if (x->pub.kind == SGR_EP_INTERNET)
        return g->internet_set;
    return sgr_addrset_prefix(a, &x->pub.cidr);
}

/* sides[0] = first, then the nodes of x while there are fewer than max
 * sides: the sides whose cuts tell an outside source's addresses apart. */
static uint32_t side_and_nodes(const sgr_side **sides, const sgr_side *first, const sgr_epx *x, uint32_t max)
{
    uint32_t n = 0;
    sides[n++] = first;
    for (uint32_t i = 0; i < x->n_nodes && n < max; i++)
        sides[n++] = &x->nodes[i];
    return n;
}

uint32_t sgr_outside_cells(const sgr_graph *g, sgr_arena *a, const sgr_epx *outside, const sgr_side *const *sides,
                           uint32_t n_sides, sgr_ip **out, bool *truncated)
{
    sgr_addrset set = outside_set(g, a, outside);
    cells c;
    make_cells(g, a, &set, sides, n_sides, &c);
    *out = sgr_arena_memdup(a, c.v, c.n * sizeof *c.v);
    *truncated = c.truncated;
    return c.n;
}

/* ---------------------------------------------------------------- candidates */

static const char *ep_hop_kind(const sgr_epx *x)
{
    switch (x->pub.kind) {
    case SGR_EP_INTERNET: return "internet";
    case SGR_EP_CIDR: return "address";
    case SGR_EP_TASK: return "task";
    case SGR_EP_LB: return "lb";
    case SGR_EP_DB: return "db";
    default: return "eni";
    }
}

static const char *ep_hop_detail(sgr_arena *a, const sgr_epx *x)
{
    if (x->pub.kind == SGR_EP_TASK && x->pub.eni && x->pub.mode != SGR_NET_AWSVPC)
        return sgr_arena_printf(a, "%s mode on %s", x->pub.mode == SGR_NET_HOST ? "host" : "bridge", x->pub.eni->id);
    if (x->pub.kind == SGR_EP_TASK && x->pub.eni)
        return sgr_arena_printf(a, "awsvpc, %s", x->pub.eni->id);
    return NULL;
}

static sgr_path blocked_path(sgr_arena *a, bool explain, int32_t proto, const sgr_epx *from, const sgr_epx *to,
                             const char *component, const char *why)
{
    sgr_path p;
    memset(&p, 0, sizeof p);
    sgr_trace_init(&p.t, a, explain, proto, 0, 0, false);
    sgr_trace_hop(&p.t, ep_hop_kind(from), from->pub.id, NULL);
    sgr_trace_hop(&p.t, ep_hop_kind(to), to->pub.id, NULL);
    sgr_trace_block(&p.t, component, "endpoint", why, NULL);
    p.t.blocked = true;
    p.v = SGR_UNREACHABLE;
    p.via = "direct";
    return p;
}

static sgr_path direct_path(const sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from,
                            const sgr_ip *from_addr, const sgr_epx *to, const sgr_ip *to_addr, int32_t proto,
                            int32_t lo, int32_t hi, bool forall)
{
    sgr_path p;
    memset(&p, 0, sizeof p);
    p.via = "direct";
    sgr_trace_init(&p.t, a, explain, proto, lo, hi, forall);
    sgr_trace_hop(&p.t, ep_hop_kind(from), from->pub.id, ep_hop_detail(a, from));
    if (from->pub.kind == SGR_EP_TASK && from->pub.eni && from->pub.mode != SGR_NET_AWSVPC)
        sgr_trace_hop(&p.t, "eni", from->pub.eni->id, "the instance's interface");
    sgr_leg(g, &p.t, &from->side, from_addr, &to->side, to_addr, NULL);
    if (to->pub.kind == SGR_EP_TASK && to->pub.eni && to->pub.mode != SGR_NET_AWSVPC)
        sgr_trace_hop(&p.t, "eni", to->pub.eni->id, sgr_arena_printf(a, "host port %s", sgr_proto_port_str(a, proto, lo, hi)));
    const char *ve = sgr_endpoint_eni_detail(g, a, to);
    sgr_trace_hop(&p.t, ep_hop_kind(to), to->pub.id, ve ? ve : ep_hop_detail(a, to));
    p.v = sgr_trace_verdict(&p.t);
    return p;
}

/* Two endpoints on one instance's interface (bridge or host mode): the docker
 * bridge or the loopback carries the traffic, no security group in between. */
static bool local_path(sgr_arena *a, bool explain, const sgr_epx *from, const sgr_epx *to, int32_t proto,
                       sgr_path *out)
{
    if (from == to || !from->pub.eni || from->pub.eni != to->pub.eni)
        return false;
    bool ft = from->pub.kind == SGR_EP_TASK, tt = to->pub.kind == SGR_EP_TASK;
    if ((!ft && !tt) || (ft && from->pub.mode == SGR_NET_AWSVPC) || (tt && to->pub.mode == SGR_NET_AWSVPC))
        return false;
    bool bridge = (ft && from->pub.mode != SGR_NET_HOST) || (tt && to->pub.mode != SGR_NET_HOST);
    memset(out, 0, sizeof *out);
    out->via = bridge ? "docker-bridge" : "loopback";
    sgr_trace_init(&out->t, a, explain, proto, 0, 0, false);
    sgr_trace_hop(&out->t, ep_hop_kind(from), from->pub.id, ep_hop_detail(a, from));
    sgr_trace_hop(&out->t, out->via, from->pub.eni->id,
                  bridge ? "containers on one host talk over the docker bridge: no security group applies"
                         : "host-mode tasks share the host's network stack: loopback, no security group applies");
    sgr_trace_hop(&out->t, ep_hop_kind(to), to->pub.id, ep_hop_detail(a, to));
    sgr_trace_allow(&out->t, from->pub.eni->id, "local", out->via, NULL);
    out->v = SGR_REACHABLE;
    return true;
}

/* The best path for fixed source and destination addresses. relayed_only:
 * the destination has no address of the source's family, so only a load
 * balancer that opens its own connection (dual-stack) can carry the flow. */
static sgr_path best_path(const sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from, const sgr_ip *from_addr,
                          const sgr_epx *to, const sgr_ip *to_addr, int32_t proto, int32_t port, bool relayed_only)
{
    sgr_path best;
    bool have = false;
    if (to->pub.kind == SGR_EP_LB) {
        best = sgr_path_via_lb(g, a, explain, from, from_addr, to, proto, port, NULL, -1);
        if (best.v != SGR_REACHABLE) {
            sgr_path p = sgr_path_via_privatelink(g, a, explain, from, from_addr, to, proto, port, NULL, -1);
            if (!p.irrelevant && sgr_path_better(&p, &best))
                best = p;
        }
        return best;
    }
    int32_t lo, hi;
    bool forall;
    const char *why;
    if (!sgr_served_ports(g, to, proto, port, &lo, &hi, &forall, &why, a))
        return blocked_path(a, explain, proto, from, to, to->pub.id, why);
    if (to->home && relayed_only) /* a task's other interface: the load balancers go to its own endpoint */
        return blocked_path(a, explain, proto, from, to, to->pub.id,
                            sgr_arena_printf(a, "%s has no address of the family of %s", to->pub.eni->id, from->pub.id));
    if (!relayed_only) {
        if (local_path(a, explain, from, to, proto, &best))
            return best;
        best = direct_path(g, a, explain, from, from_addr, to, to_addr, proto, lo, hi, forall);
        if (why)
            sgr_trace_assume(&best.t, why);
        have = true;
        if ((best.v == SGR_REACHABLE && best.t.n_assumptions == 0) || to->home)
            return best;
    }
    /* only the load balancers that register `to` or whose targets are unknown,
     * merged in g->eps order (the order a scan of every LB would give) */
    const sgr_ep_list *known = sgr_engine_relays(g, to), *blind = sgr_strmap_get(g->map, TAG_IDX_RELAYS, "");
    uint32_t ik = 0, ib = 0, nk = known ? known->n : 0, nb = blind ? blind->n : 0;
    while (ik < nk || ib < nb) {
        const sgr_epx *lbx;
        if (ib >= nb || (ik < nk && known->v[ik]->pub.index <= blind->v[ib]->pub.index)) {
            lbx = known->v[ik++];
            if (ib < nb && blind->v[ib] == lbx)
                ib++;
        } else {
            lbx = blind->v[ib++];
        }
        if (lbx == from)
            continue;
        /* any port asked (port < 0): any registered target port will do */
        sgr_path p = sgr_path_via_lb(g, a, explain, from, from_addr, lbx, proto, -1, to, forall || port < 0 ? -1 : lo);
        if (!p.irrelevant && (!have || sgr_path_better(&p, &best))) {
            best = p;
            have = true;
        }
        if (have && best.v == SGR_REACHABLE && best.t.n_assumptions == 0)
            continue;
        /* the same load balancer reached through an interface endpoint of its service */
        p = sgr_path_via_privatelink(g, a, explain, from, from_addr, lbx, proto, -1, to, forall || port < 0 ? -1 : lo);
        if (!p.irrelevant && (!have || sgr_path_better(&p, &best))) {
            best = p;
            have = true;
        }
    }
    if (!have)
        return blocked_path(a, explain, proto, from, to, to->pub.id,
                            sgr_arena_printf(a, "%s has no address of the family of %s, and no load balancer in front "
                                                "of it takes that family", to->pub.id, from->pub.id));
    return best;
}

/* From an inside endpoint to another's public address: out through the
 * source's gateway, back in through the destination's internet gateway. */
static sgr_path via_internet(const sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from, const sgr_ip *fa,
                             const sgr_epx *to, const sgr_ip *pub, int32_t proto, int32_t port)
{
    sgr_path p;
    memset(&p, 0, sizeof p);
    p.via = "internet";
    int32_t lo, hi;
    bool forall;
    const char *why;
    if (!sgr_served_ports(g, to, proto, port, &lo, &hi, &forall, &why, a))
        return blocked_path(a, explain, proto, from, to, to->pub.id, why);
    /* the source address the destination sees: the source's own public
     * address through an internet gateway, the NAT's through a NAT gateway */
    sgr_ip seen = sgr_ip_from_v4(0x01010101);
    bool unknown;
    const sgr_route_table *rt;
    const sgr_route *r = sgr_route_lookup(g, from->side.subnet, pub, &unknown, &rt);
    if (r && r->target == SGR_RT_IGW && from->side.has_public4)
        seen = from->side.public4;
    else if (r && r->target == SGR_RT_ENI && sgr_route_appliance(g, r) && sgr_route_appliance(g, r)->side.has_public4)
        seen = sgr_route_appliance(g, r)->side.public4; /* a NAT instance's public address */
    else if (r && r->target == SGR_RT_NAT) {
        const sgr_nat *n = sgr_engine_nat(g, r->target_id);
        if (n && n->n_public_ips)
            seen = n->public_ips[0];
    }
    sgr_trace_init(&p.t, a, explain, proto, lo, hi, forall);
    sgr_trace_hop(&p.t, ep_hop_kind(from), from->pub.id, ep_hop_detail(a, from));
    sgr_leg(g, &p.t, &from->side, fa, &g->internet->side, pub, NULL);
    sgr_trace_hop(&p.t, "internet", sgr_ip_str(a, pub), sgr_arena_printf(a, "arrives from %s", sgr_ip_str(a, &seen)));
    sgr_leg(g, &p.t, &g->internet->side, &seen, &to->side, sgr_side_addr(&to->side, 4), NULL);
    sgr_trace_hop(&p.t, ep_hop_kind(to), to->pub.id, ep_hop_detail(a, to));
    p.v = sgr_trace_verdict(&p.t);
    return p;
}

static int pick_family(const sgr_epx *from, const sgr_epx *to)
{
    if (from->side.addr4.family && to->side.addr4.family)
        return 4;
    if (from->side.addr6.family && to->side.addr6.family)
        return 6;
    if (to->pub.kind == SGR_EP_LB && from->side.addr4.family)
        return 4;
    return from->side.addr4.family || to->side.addr4.family ? 4 : 6;
}

static bool named_public(const sgr_epx *x, const sgr_ip *ip)
{
    return ip && ip->family == SGR_AF_INET && x->side.has_public4 && !x->side.external && x->pub.kind != SGR_EP_LB &&
           memcmp(ip, &x->side.public4, sizeof *ip) == 0;
}

static bool named_private(const sgr_epx *x, const sgr_ip *ip)
{
    const sgr_eni *e = x->side.eni;
    if (ip && sgr_eni_holds(e, ip))
        return true;
    for (uint32_t i = 0; ip && e && i < e->n_prefixes; i++)
        if (sgr_prefix_contains(&e->prefixes[i], ip))
            return true;
    return false;
}

static sgr_path best_over_cells(sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from, const sgr_epx *to,
                                int32_t proto, int32_t port, const sgr_ip *from_addr, const sgr_ip *to_addr)
{
    sgr_ip none;
    memset(&none, 0, sizeof none);
    if (from->nowhere || to->nowhere)
        return blocked_path(a, explain, proto, from, to, from->nowhere ? from->pub.id : to->pub.id,
                            from->nowhere ? from->nowhere : to->nowhere);
    if (to->pub.kind == SGR_EP_CIDR && !to->side.external && g->snap->n_enis &&
        to->pub.cidr.len == (to->pub.cidr.ip.family == SGR_AF_INET ? 32 : 128))
        return blocked_path(a, explain, proto, from, to, to->pub.id,
                            sgr_arena_printf(a, "no interface of the snapshot has %s (in %s): nothing answers there",
                                             to->pub.id, to->side.subnet->id));
    if ((from->pub.kind == SGR_EP_TASK && from->pub.mode == SGR_NET_NONE))
        return blocked_path(a, explain, proto, from, to, from->pub.id,
                            sgr_arena_printf(a, "task %s uses network mode none: it has no network path", from->pub.name));
    bool from_out = from->side.external, to_out = to->side.external;
    if (!from_out && !to_out) {
        int fam = pick_family(from, to);
        const sgr_ip *fa = sgr_side_addr(&from->side, fam), *ta = sgr_side_addr(&to->side, fam);
        if (named_private(from, from_addr))
            fa = from_addr;
        if (named_public(to, to_addr))
            return via_internet(g, a, explain, from, sgr_side_addr(&from->side, 4) ? sgr_side_addr(&from->side, 4) : &none,
                                to, to_addr, proto, port);
        if (named_private(to, to_addr) && (!fa || to_addr->family == fa->family))
            ta = to_addr;
        return best_path(g, a, explain, from, fa ? fa : &none, to, ta ? ta : &none, proto, port, false);
    }
    const sgr_epx *outside = from_out ? from : to, *inside = from_out ? to : from;
    sgr_addrset set = outside_set(g, a, outside);
    const sgr_side *sides[256];
    uint32_t n = side_and_nodes(sides, &inside->side, inside, 128);
    /* the nodes of the load balancers a path to `to` may go through (those
     * that register it, and those whose targets are unknown) */
    bool dropped = false;
    const sgr_ep_list *relays[2] = {NULL, NULL};
    if (inside == to) {
        relays[0] = sgr_engine_relays(g, to);
        relays[1] = sgr_strmap_get(g->map, TAG_IDX_RELAYS, "");
    }
    for (int r = 0; r < 2; r++)
        for (uint32_t i = 0; relays[r] && i < relays[r]->n; i++)
            for (uint32_t k = 0; k < relays[r]->v[i]->n_nodes; k++) {
                if (n == 256) {
                    dropped = true;
                    break;
                }
                sides[n++] = &relays[r]->v[i]->nodes[k];
            }
    cells c;
    make_cells(g, a, &set, sides, n, &c);
    c.truncated |= dropped;
    sgr_path best;
    bool have = false, short_of_all = false; /* some cell not reached */
    for (uint32_t i = 0; i < c.n; i++) {
        int fam = c.v[i].family == SGR_AF_INET6 ? 6 : 4;
        const sgr_ip *ia = sgr_side_addr(&inside->side, fam);
        /* a client of the other family may still come through a dual-stack
         * load balancer in front of the destination (a new connection, or an
         * NLB translating IPv6 to IPv4) */
        bool relayed_only = !ia && inside->pub.kind != SGR_EP_LB && !(from_out && inside->side.has_public4 && fam == 4);
        if (relayed_only && !(from_out && (sgr_engine_relays(g, to) || sgr_strmap_get(g->map, TAG_IDX_RELAYS, ""))))
            continue;
        sgr_path p = from_out ? best_path(g, a, explain, from, &c.v[i], to, ia ? ia : &none, proto, port, relayed_only)
                              : best_path(g, a, explain, from, ia ? ia : &none, to, &c.v[i], proto, port, false);
        short_of_all |= p.v != SGR_REACHABLE;
        if (!have || sgr_path_better(&p, &best)) {
            best = p;
            have = true;
        }
        if (best.v == SGR_REACHABLE && (!outside->ranges_unknown || short_of_all))
            break;
    }
    if (!have)
        return blocked_path(a, explain, proto, from, to, inside->pub.id,
                            sgr_arena_printf(a, "%s has no address of the family of %s", inside->pub.id, outside->pub.id));
    if (outside->ranges_unknown && best.v == SGR_REACHABLE && (short_of_all || c.truncated)) {
        /* reached at some public addresses only: whether the service's are among them is unknown */
        best.v = SGR_UNKNOWN;
        sgr_trace_missing(&best.t, sgr_arena_printf(a, "%s: only some public addresses are reached on this path",
                                                    outside->ranges_unknown));
    }
    if (c.truncated && best.v == SGR_UNREACHABLE) {
        /* not every cell of the outside addresses was tried: no "unreachable" */
        best.v = SGR_UNKNOWN;
        sgr_trace_missing(&best.t, sgr_arena_printf(a, "the rules on the way name more address ranges than are "
                                                       "checked one by one (%u cells): some addresses of %s were not tried",
                                                    (unsigned)MAX_CELLS, outside->pub.id));
    }
    return best;
}

/* The best path from `from` through load balancer lbx to target `to` on
 * target_port (listener_port -1: any listener), and no other path. An
 * outside source is tried at one address per cell that the nodes and the
 * target tell apart (the target may see the client's address); *truncated
 * when not every cell was tried. */
static sgr_path lb_target_path(sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from, const sgr_ip *from_addr,
                               const sgr_epx *lbx, int32_t proto, int32_t listener_port, const sgr_epx *to,
                               int32_t target_port, bool *truncated, sgr_lb_legs *legs)
{
    sgr_ip none;
    memset(&none, 0, sizeof none);
    *truncated = false;
    if (!from->side.external) {
        const sgr_ip *fa = named_private(from, from_addr) ? from_addr : sgr_side_addr(&from->side, pick_family(from, to));
        sgr_path p = sgr_path_via_lb_entry(g, a, explain, from, fa ? fa : &none, lbx, proto, listener_port, to,
                                           target_port, NULL, legs);
        if (p.irrelevant || p.v != SGR_REACHABLE) {
            sgr_path q = sgr_path_via_privatelink(g, a, explain, from, fa ? fa : &none, lbx, proto, listener_port, to,
                                                  target_port);
            if (!q.irrelevant && (p.irrelevant || sgr_path_better(&q, &p)))
                p = q;
        }
        return p;
    }
    sgr_addrset set = outside_set(g, a, from);
    const sgr_side *sides[129];
    uint32_t n = side_and_nodes(sides, &to->side, lbx, 129);
    cells c;
    make_cells(g, a, &set, sides, n, &c);
    *truncated = c.truncated || lbx->n_nodes > 128;
    sgr_path best;
    bool have = false;
    for (uint32_t i = 0; i < c.n; i++) {
        /* a target without an address of the client's family is still served
         * by a load balancer that connects in its own family (dual-stack) */
        sgr_path p = sgr_path_via_lb(g, a, explain, from, &c.v[i], lbx, proto, listener_port, to, target_port);
        if (p.irrelevant)
            continue;
        if (!have || sgr_path_better(&p, &best)) {
            best = p;
            have = true;
        }
        if (best.v == SGR_REACHABLE)
            break;
    }
    if (!have) {
        memset(&best, 0, sizeof best);
        sgr_trace_init(&best.t, a, explain, proto, target_port, target_port, false);
        best.v = SGR_UNREACHABLE;
        best.irrelevant = true;
    }
    return best;
}

sgr_verdict sgr_can_via_lb(sgr_graph *g, const sgr_endpoint *from_ep, const sgr_endpoint *lb_ep,
                           const sgr_endpoint *to_ep, int32_t proto, int32_t target_port, sgr_arena *a)
{
    return sgr_can_via_lb_legs(g, from_ep, lb_ep, to_ep, proto, target_port, a, NULL);
}

sgr_verdict sgr_can_via_lb_legs(sgr_graph *g, const sgr_endpoint *from_ep, const sgr_endpoint *lb_ep,
                                const sgr_endpoint *to_ep, int32_t proto, int32_t target_port, sgr_arena *a,
                                sgr_lb_legs *legs)
{
    const sgr_epx *from = (const sgr_epx *)from_ep, *lbx = (const sgr_epx *)lb_ep, *to = (const sgr_epx *)to_ep;
    if (lbx->pub.kind != SGR_EP_LB || from->nowhere || to->nowhere ||
        (from->pub.kind == SGR_EP_TASK && from->pub.mode == SGR_NET_NONE))
        return SGR_UNREACHABLE;
    bool truncated;
    sgr_path p = lb_target_path(g, a, false, from, NULL, lbx, proto, -1, to, target_port, &truncated, legs);
    sgr_verdict v = p.irrelevant ? SGR_UNREACHABLE : p.v;
    return truncated && v == SGR_UNREACHABLE ? SGR_UNKNOWN : v;
}

static void answer_of(sgr_answer *out, const sgr_path *best, sgr_arena *scratch);

uint32_t sgr_can_lb_targets(sgr_graph *g, const sgr_query *q, const sgr_ip *from_addr, sgr_answer **out,
                            sgr_arena *a)
{
    *out = NULL;
    const sgr_epx *from = (const sgr_epx *)q->from, *lbx = (const sgr_epx *)q->to;
    if (lbx->pub.kind != SGR_EP_LB || q->protocol == SGR_PROTO_ALL || from->nowhere ||
        (from->pub.kind == SGR_EP_TASK && from->pub.mode == SGR_NET_NONE))
        return 0;
    sgr_target_ep *tv;
    uint32_t nt = sgr_lb_targets_at(g, lbx->pub.lb, q->protocol, q->port, &tv, a);
    sgr_answer *v = SGR_NEW_N(a, sgr_answer, nt ? nt : 1);
    for (uint32_t i = 0; i < nt; i++) {
        bool truncated;
        sgr_path p = lb_target_path(g, a, true, from, from_addr, lbx, q->protocol, q->port, tv[i].ep, tv[i].port,
                                    &truncated, NULL);
        if (truncated && p.v == SGR_UNREACHABLE) {
            p.v = SGR_UNKNOWN;
            sgr_trace_missing(&p.t, sgr_arena_printf(a, "the rules on the way name more address ranges than are "
                                                        "checked one by one: some addresses of %s were not tried",
                                                     from->pub.id));
        }
        memset(&v[i], 0, sizeof v[i]);
        v[i].from = q->from;
        v[i].to = &tv[i].ep->pub;
        v[i].protocol = q->protocol;
        v[i].port = tv[i].port;
        answer_of(&v[i], &p, a);
    }
    *out = v;
    return nt;
}

static sgr_verdict can_at(sgr_graph *g, const sgr_query *q, const sgr_ip *from_addr, const sgr_ip *to_addr,
                          sgr_answer *out, sgr_arena *scratch, bool explain);

/* Whether x answers on proto/port at all (sgr_served_ports). */
static bool serves(const sgr_graph *g, const sgr_epx *x, int32_t proto, int32_t port, sgr_arena *a)
{
    int32_t lo, hi;
    bool forall;
    const char *why;
    return sgr_served_ports(g, x, proto, port, &lo, &hi, &forall, &why, a);
}

sgr_verdict sgr_can(sgr_graph *g, const sgr_query *q, sgr_answer *out, sgr_arena *scratch)
{
    return can_at(g, q, NULL, NULL, out, scratch, true);
}

sgr_verdict sgr_can_verdict(sgr_graph *g, const sgr_query *q, sgr_arena *scratch)
{
    sgr_answer ans;
    return can_at(g, q, NULL, NULL, &ans, scratch, false);
}

sgr_verdict sgr_can_at(sgr_graph *g, const sgr_query *q, const sgr_ip *from_addr, const sgr_ip *to_addr,
                       sgr_answer *out, sgr_arena *scratch)
{
    return can_at(g, q, from_addr, to_addr, out, scratch, true);
}

static sgr_verdict can_at(sgr_graph *g, const sgr_query *q, const sgr_ip *from_addr, const sgr_ip *to_addr,
                          sgr_answer *out, sgr_arena *scratch, bool explain)
{
    memset(out, 0, sizeof *out);
    out->from = q->from;
    out->to = q->to;
    out->protocol = q->protocol;
    out->port = q->port;
    const sgr_epx *from = (const sgr_epx *)q->from, *to = (const sgr_epx *)q->to;
    static const int32_t ANY[] = {SGR_PROTO_TCP, SGR_PROTO_UDP, SGR_PROTO_ICMP};
    const int32_t *protos = q->protocol == SGR_PROTO_ALL ? ANY : &q->protocol;
    uint32_t n_protos = q->protocol == SGR_PROTO_ALL ? 3 : 1;
    sgr_path best;
    bool have = false;
    for (uint32_t i = 0; i < n_protos; i++) {
        int32_t proto = protos[i];
        bool v6 = (from->side.external ? false : !from->side.addr4.family) || (to->pub.kind == SGR_EP_CIDR && to->pub.cidr.ip.family == SGR_AF_INET6) ||
                  (from->pub.kind == SGR_EP_CIDR && from->pub.cidr.ip.family == SGR_AF_INET6);
        if (proto == SGR_PROTO_ICMP && v6)
            proto = SGR_PROTO_ICMPV6;
        /* ports mean nothing to protocols other than tcp/udp (icmp: types):
         * AWS rules for them allow every port whatever range they name */
        int32_t port = q->protocol == SGR_PROTO_ALL || sgr_proto_universe(proto).hi == 0 ? -1 : q->port;
        sgr_path p = best_over_cells(g, scratch, explain, from, to, proto, port, from_addr, to_addr);
        /* a bridge or host task is also reached on its host's other
         * interfaces (each with its own groups, ACL, routes); from the same
         * host, the docker bridge or loopback of the path above decides */
        bool served = to->n_ifaces && serves(g, to, proto, port, scratch);
        for (uint32_t k = 0; k < to->n_ifaces && p.v != SGR_REACHABLE; k++) {
            const sgr_epx *other = &to->ifaces[k];
            if (from->pub.eni && (from->pub.eni == other->pub.eni || from->pub.eni == to->pub.eni))
                continue;
            sgr_path po = best_over_cells(g, scratch, explain, from, other, proto, port, from_addr, to_addr);
            /* as bad either way: the explanation of an interface the port listens on */
            bool listens = !served && po.v == p.v && serves(g, other, proto, port, scratch);
            if (sgr_path_better(&po, &p) || listens) {
                p = po;
                served |= listens;
            }
        }
        if (!have || sgr_path_better(&p, &best)) {
            best = p;
            have = true;
        }
        if (best.v == SGR_REACHABLE)
            break;
    }
    answer_of(out, &best, scratch);
    return out->verdict;
}

/* The answer's verdict and explanation from the best path found. */
static void answer_of(sgr_answer *out, const sgr_path *best_path, sgr_arena *scratch)
{
    const sgr_path best = *best_path;
    out->verdict = best.v;
    out->path = best.t.hops;
    out->n_path = best.t.n_hops;
    out->allowed_by = best.t.allowed;
    out->n_allowed = best.t.n_allowed;
    if (best.v != SGR_REACHABLE) {
        out->blocked_by = best.t.blocks;
        out->n_blocked = best.t.n_blocks;
    }
    if (best.v == SGR_UNKNOWN) {
        out->missing = best.t.missing;
        out->n_missing = best.t.n_missing;
    }
    out->assumptions = best.t.assumptions;
    out->n_assumptions = best.t.n_assumptions;
    if (best.v == SGR_UNREACHABLE && out->n_blocked == 0) {
        /* every component passes some port, but no port passes them all */
        sgr_block *b = SGR_NEW(scratch, sgr_block);
        b->component = "path";
        b->direction = "ports";
        b->reason = "no port is allowed by every component of the path together";
        out->blocked_by = b;
        out->n_blocked = 1;
    }
}
