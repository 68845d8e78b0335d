/*
 * One network leg: a packet from a source side to a destination side on the
 * trace's protocol and ports. In order: the source's security groups
 * (egress), routing (local, peering, transit gateway, internet gateway with a
 * public address, NAT), the network ACLs of both subnets for the request and
 * the stateless return (only across a subnet boundary), the destination's
 * security groups (ingress). A route that puts a middlebox (an appliance, a
 * Gateway Load Balancer or firewall endpoint) between two subnets, or an
 * instance (a NAT instance) on the way out, adds the appliance's own checks.
 */
#include "engine.h"

#include <string.h>

bool sgr_is_public(const sgr_graph *g, const sgr_ip *ip)
{
    return sgr_addrset_contains(&g->public_set, ip);
}

static const char *addr_label(const sgr_graph *g, sgr_arena *a, const sgr_side *s, const sgr_ip *ip)
{
    if (!ip->family)
        return s->label;
    if (s->planned && !memcmp(ip, &s->addr4, sizeof *ip))
        return sgr_arena_printf(a, "%s (planned, an address of %s)", s->label, sgr_prefix_str(a, s->planned));
    const char *txt = sgr_ip_str(a, ip);
    /* the internet, or a client address an NLB preserved from it */
    if ((s->external && s->label && strcmp(s->label, "internet") == 0) || (!s->external && sgr_is_public(g, ip)))
        return sgr_arena_printf(a, "the internet (%s)", txt);
    return txt;
}

static void gate_route_missing(sgr_trace *t, const sgr_subnet *sn, const char *why)
{
    sgr_trace_gate(t, GATE_UNKNOWN);
    if (t->explain) {
        const sgr_route_table *rt = sn ? (sn->route_table ? sn->route_table : sn->vpc ? sn->vpc->main_table : NULL) : NULL;
        if (!why && sn && sn->disputed_why)
            why = sn->disputed_why;
        if (!why && rt)
            why = sgr_arena_printf(t->a, "route table %s has no readable route that matches; %u of its routes could not be read "
                                         "or go to a prefix list whose entries are not in the snapshot",
                                   rt->id, rt->n_unreadable);
        sgr_trace_missing(t, why ? why : sgr_arena_printf(t->a, "no route table data for %s", sn ? sn->id : "the subnet"));
    }
}

/* Route r of table rt carries the packet on: a hop to what it leads to
 * (kind, id, detail as sgr_trace_hop), and r as the rule that allows it. */
static void route_taken(sgr_trace *t, const sgr_route_table *rt, const sgr_route *r, const char *kind, const char *id,
                        const char *detail)
{
    sgr_trace_hop(t, kind, id, detail);
    if (t->explain)
        sgr_trace_allow(t, rt->id, "route", sgr_route_text(t->a, r), &r->origin);
}

/* The route of subnet sn toward dst (*r, NULL when none) in its table *rt;
 * false, with the trace gated unknown, when the subnet's routes are not known. */
static bool route_known(const sgr_graph *g, sgr_trace *t, const sgr_subnet *sn, const sgr_ip *dst,
                        const sgr_route **r, const sgr_route_table **rt)
{
    bool unknown;
    *r = sgr_route_lookup(g, sn, dst, &unknown, rt);
    if (unknown)
        gate_route_missing(t, sn, NULL);
    return !unknown;
}

/* Table rt has no route to carry the packet: none (r NULL), a blackhole, or
 * route r leads elsewhere. Blocks, citing r (else the table) and saying why
 * (`why`, built only when explaining; a blackhole says so itself). */
static void route_blocks(sgr_trace *t, const sgr_route_table *rt, const sgr_route *r, const char *why)
{
    sgr_trace_gate(t, GATE_BLOCK);
    if (t->explain)
        sgr_trace_block(t, rt->id, "route",
                        r && r->blackhole ? sgr_arena_printf(t->a, "the route %s is a blackhole", sgr_route_text(t->a, r))
                                          : why,
                        r ? &r->origin : &rt->origin);
}

/* Between two VPCs: the route of one subnet toward the other side's address. */
static void route_between(const sgr_graph *g, sgr_trace *t, const sgr_side *from, const sgr_side *to,
                          const sgr_ip *dst, const char *dst_label)
{
    sgr_arena *a = t->a;
    const sgr_route_table *rt;
    const sgr_route *r;
    if (!route_known(g, t, from->subnet, dst, &r, &rt))
        return;
    if (!r || r->blackhole) {
        route_blocks(t, rt, r, !t->explain ? NULL : sgr_arena_printf(a, "no route to %s (in %s): the VPCs are not connected",
                                                                     dst_label, to->vpc_id ? to->vpc_id : "another VPC"));
        return;
    }
    switch (r->target) {
    case SGR_RT_PEERING: {
        const sgr_peering *p = sgr_engine_peering(g, from->vpc_id, to->vpc_id);
        if (p && r->target_id && strcmp(p->id, r->target_id) == 0) {
            route_taken(t, rt, r, "peering", p->id, NULL);
            return;
        }
        route_blocks(t, rt, r,
                     !t->explain ? NULL
                                 : sgr_arena_printf(a, "the route %s uses a peering that is not active between %s and %s",
                                                    sgr_route_text(a, r), from->vpc_id ? from->vpc_id : "?",
                                                    to->vpc_id ? to->vpc_id : "?"));
        return;
    }
    case SGR_RT_TGW:
        if (sgr_tgw_known(g, r->target_id)) {
            sgr_route_tgw(g, t, rt, r, from, to, dst, dst_label);
            return;
        }
        sgr_trace_hop(t, "transit-gateway", r->target_id, NULL);
        gate_route_missing(t, from->subnet, !t->explain ? NULL : sgr_arena_printf(a, "%s routes %s to transit gateway %s, whose routing is not evaluated "
                                               "(its route tables are not in the snapshot)",
                                            rt->id, dst_label, r->target_id ? r->target_id : "?"));
        return;
    case SGR_RT_LOCAL:
    case SGR_RT_IGW:
    case SGR_RT_EIGW:
        route_blocks(t, rt, r,
                     !t->explain ? NULL
                                 : sgr_arena_printf(a, "the route %s does not lead to %s in %s", sgr_route_text(a, r),
                                                    dst_label, to->vpc_id ? to->vpc_id : "another VPC"));
        return;
    default:
        gate_route_missing(t, from->subnet, !t->explain ? NULL : sgr_arena_printf(a, "%s sends %s through %s, which the snapshot does not model", rt->id,
                                            dst_label, sgr_route_text(a, r)));
        return;
    }
}

/* From outside the estate (the internet, an outside address) into a side. The
 * destination's route back to the source decides the way in: an internet
 * gateway (then the side needs a public address), or a gateway to somewhere
 * the snapshot does not show (VPN, transit gateway: unknown). */
static void route_inbound(const sgr_graph *g, sgr_trace *t, const sgr_ip *src, const char *src_label,
                          const sgr_side *dst, const sgr_ip *dst_addr, bool from_internet)
{
    sgr_arena *a = t->a;
    bool pub = sgr_is_public(g, src);
    bool unknown;
    const sgr_route_table *rt;
    const sgr_route *r = sgr_route_lookup(g, dst->subnet, src, &unknown, &rt);
    bool has_public = src->family == SGR_AF_INET ? (dst->has_public4 || dst->internet_facing)
                                                 : (dst_addr->family == SGR_AF_INET6 && !dst->deny_igw6);
    /* the internet comes in by an internet gateway only, which needs a public
     * address: without one, missing route data changes nothing */
    if (unknown && !(from_internet && pub && !has_public)) {
        gate_route_missing(t, dst->subnet, NULL);
        return;
    }
    bool live = r && !r->blackhole;
    if (pub && (unknown || (live && r->target == SGR_RT_IGW))) {
        if (!has_public) {
            sgr_trace_gate(t, GATE_BLOCK);
            if (t->explain)
                sgr_trace_block(t, dst->label, "address",
                                sgr_arena_printf(a, "%s has no public %s address: the internet cannot reach it", dst->label,
                                                 src->family == SGR_AF_INET ? "IPv4" : "IPv6"),
                                dst->eni ? &dst->eni->origin : NULL);
            return;
        }
        route_taken(t, rt, r, "igw", r->target_id, NULL);
        return;
    }
    /* the internet comes in by an internet gateway only; an outside address may
     * also come through a VPN, a transit gateway or a peering the snapshot does not show */
    if (live && !from_internet &&
        (r->target == SGR_RT_TGW || r->target == SGR_RT_VGW || r->target == SGR_RT_PEERING ||
         r->target == SGR_RT_ENI || r->target == SGR_RT_OTHER || r->target == SGR_RT_VPCE)) {
        gate_route_missing(t, dst->subnet, !t->explain ? NULL : sgr_arena_printf(a, "%s is outside the snapshot; %s reaches it through %s", src_label, rt->id,
                                            sgr_route_text(a, r)));
        return;
    }
    sgr_trace_gate(t, GATE_BLOCK);
    if (!t->explain)
        return;
    if (pub)
        sgr_trace_block(t, rt->id, "route",
                        r ? sgr_arena_printf(a, "the route for %s is %s, not an internet gateway: the subnet %s is private",
                                             src_label, sgr_route_text(a, r), dst->subnet ? dst->subnet->id : "?")
                          : sgr_arena_printf(a, "no route to an internet gateway for %s: the subnet %s is private",
                                             src_label, dst->subnet ? dst->subnet->id : "?"),
                        r ? &r->origin : &rt->origin);
    else
        sgr_trace_block(t, rt->id, "route", sgr_arena_printf(a, "no route back to %s", src_label),
                        r ? &r->origin : &rt->origin);
}

static const sgr_vpc_endpoint *vpc_endpoint(const sgr_graph *g, const char *id)
{
    for (uint32_t i = 0; id && i < g->snap->n_vpc_endpoints; i++)
        if (g->snap->vpc_endpoints[i]->id && strcmp(g->snap->vpc_endpoints[i]->id, id) == 0)
            return g->snap->vpc_endpoints[i];
    return NULL;
}

static bool appliance_passes(const sgr_graph *g, sgr_trace *t, const sgr_route_table *rt, const sgr_route *r,
                             const sgr_epx *ax, const sgr_side *src, const sgr_ip *src_addr, const char *src_label,
                             const sgr_ip *dst_addr, const sgr_side *dst, const char *dst_label, bool groups);

/* A route to an instance or interface toward outside the estate (a NAT
 * instance, VPC "NAT instances"; an egress appliance): the appliance takes
 * the packet in (its groups, its subnet's ACL), then sends it on as a leg of
 * its own from its own address, through its own subnet's routes — to the
 * internet by an internet gateway with its public address. That it
 * translates and forwards is an assumption stated in the answer: its
 * software is not in the snapshot. */
static void outbound_via_appliance(const sgr_graph *g, sgr_trace *t, const sgr_route_table *rt, const sgr_route *r,
                                   const sgr_side *src, const sgr_ip *src_addr, const char *src_label,
                                   const sgr_side *out, const sgr_ip *dst, const char *dst_label)
{
    sgr_arena *a = t->a;
    const sgr_epx *ax = sgr_route_appliance(g, r);
    route_taken(t, rt, r, "appliance", ax ? ax->pub.id : r->target_id, NULL);
    if (t->detours++ >= 4 || (ax && &ax->side == src)) {
        sgr_trace_gate(t, GATE_UNKNOWN);
        if (t->explain)
            sgr_trace_missing(t, sgr_arena_printf(a, "%s sends %s back through %s: a routing loop", rt->id, dst_label,
                                                  sgr_route_text(a, r)));
        return;
    }
    if (!appliance_passes(g, t, rt, r, ax, src, src_addr, src_label, NULL, NULL, dst_label, true))
        return;
    const sgr_side *as = &ax->side;
    if (as->subnet && as->subnet != src->subnet) {
        sgr_check_nacl(g, t, as->subnet, false, src_addr, NULL, src_label, false);
        sgr_check_nacl(g, t, as->subnet, true, src_addr, NULL, src_label, true);
    }
    const sgr_ip *own = sgr_side_addr(as, dst->family == SGR_AF_INET6 ? 6 : 4);
    if (!own) {
        sgr_trace_gate(t, GATE_UNKNOWN);
        if (t->explain)
            sgr_trace_missing(t, sgr_arena_printf(a, "appliance %s has no %s address of its own in the snapshot", ax->pub.id,
                                                  dst->family == SGR_AF_INET6 ? "IPv6" : "IPv4"));
        return;
    }
    sgr_trace_assume(t, sgr_arena_printf(a, "%s forwards the traffic to %s as a NAT instance (%s; its software is not in the snapshot)",
                                         ax->pub.id, dst_label, sgr_route_text(a, r)));
    sgr_leg(g, t, as, own, out, dst, NULL);
}

/* From a side to outside the estate. */
static void route_outbound(const sgr_graph *g, sgr_trace *t, const sgr_side *src, const sgr_ip *src_addr,
                           const char *src_label, const sgr_side *out, const sgr_ip *dst, const char *dst_label)
{
    sgr_arena *a = t->a;
    const sgr_route_table *rt;
    const sgr_route *r;
    if (!route_known(g, t, src->subnet, dst, &r, &rt))
        return;
    if (!r || r->blackhole || r->target == SGR_RT_LOCAL) {
        route_blocks(t, rt, r, !t->explain ? NULL : sgr_arena_printf(a, "no route to %s", dst_label));
        return;
    }
    switch (r->target) {
    case SGR_RT_IGW:
        if (dst->family == SGR_AF_INET6 || src->has_public4 || src->internet_facing) {
            route_taken(t, rt, r, "igw", r->target_id, NULL);
            return;
        }
        sgr_trace_gate(t, GATE_BLOCK);
        if (t->explain)
            sgr_trace_block(t, src->label, "address",
                            sgr_arena_printf(a, "%s has no public IPv4 address, so the route %s cannot carry its traffic",
                                             src->label, sgr_route_text(a, r)),
                            src->eni ? &src->eni->origin : NULL);
        return;
    case SGR_RT_EIGW:
        if (dst->family == SGR_AF_INET6) {
            route_taken(t, rt, r, "egress-only-igw", r->target_id, NULL);
            return;
        }
        break;
    case SGR_RT_NAT: {
        const sgr_nat *n = sgr_engine_nat(g, r->target_id);
        route_taken(t, rt, r, "nat", r->target_id, NULL);
        if (t->proto != SGR_PROTO_TCP && t->proto != SGR_PROTO_UDP && t->proto != SGR_PROTO_ICMP) {
            sgr_trace_gate(t, GATE_BLOCK);
            if (t->explain)
                sgr_trace_block(t, r->target_id ? r->target_id : "nat", "route",
                                sgr_arena_printf(a, "a NAT gateway carries only TCP, UDP and ICMP, not %s",
                                                 sgr_proto_name(a, t->proto)),
                                &r->origin);
            return;
        }
        if (!n)
            sgr_trace_assume(t, sgr_arena_printf(a, "NAT gateway %s is not described: assumed available with a route to "
                                                    "an internet gateway", r->target_id ? r->target_id : "?"));
        else if (n->state && strcmp(n->state, "available") != 0) {
            sgr_trace_gate(t, GATE_BLOCK);
            if (t->explain)
                sgr_trace_block(t, n->id, "route", sgr_arena_printf(a, "NAT gateway %s is %s", n->id, n->state), &n->origin);
        } else if (n->is_private && sgr_is_public(g, dst)) {
            sgr_trace_gate(t, GATE_BLOCK);
            if (t->explain)
                sgr_trace_block(t, n->id, "route",
                                sgr_arena_printf(a, "NAT gateway %s is private: it cannot reach the internet", n->id), &n->origin);
        }
        return;
    }
    case SGR_RT_ENI:
        outbound_via_appliance(g, t, rt, r, src, src_addr, src_label, out, dst, dst_label);
        return;
    case SGR_RT_VPCE: {
        /* A gateway endpoint (S3, DynamoDB): the route for the service's prefix
         * list delivers the traffic to the service itself, without NAT or
         * internet gateway (VPC "Gateway endpoints"). A Gateway Load Balancer
         * endpoint leads to appliances: not followed here. */
        const sgr_vpc_endpoint *ve = vpc_endpoint(g, r->target_id);
        if (ve && ve->type && strcmp(ve->type, "Gateway") == 0) {
            route_taken(t, rt, r, "gateway-endpoint", ve->id, ve->service_name);
            return;
        }
        break;
    }
    default:
        break;
    }
    gate_route_missing(t, src->subnet, !t->explain ? NULL : sgr_arena_printf(a, "%s sends traffic for %s through %s, which leads outside the snapshot", rt->id,
                                        dst_label, sgr_route_text(a, r)));
}

/* The planned prefix standing for `addr` when it is a planned side's own
 * private address (not a NAT's or a load balancer's in front of it). */
static const sgr_prefix *planned_set(const sgr_side *s, const sgr_ip *addr)
{
    if (!s->planned || !addr || addr->family != SGR_AF_INET || memcmp(addr, &s->addr4, sizeof *addr) != 0)
        return NULL;
    return s->planned;
}

/* A planned peer's groups, for the other side's references to them (a planned
 * interface has no address that a reference could be expanded to). */
static const sgr_strs *planned_groups(const sgr_graph *g, sgr_arena *a, const sgr_side *peer, const sgr_side *self,
                                      const sgr_strs *extra)
{
    if (!peer->planned || !peer->vpc_id || !self->vpc_id ||
        (strcmp(peer->vpc_id, self->vpc_id) != 0 &&
         (!sgr_engine_peering(g, peer->vpc_id, self->vpc_id) ||
          sgr_peering_cross_region(sgr_engine_peering(g, peer->vpc_id, self->vpc_id)))))
        return extra;
    sgr_strs *out = SGR_NEW(a, sgr_strs);
    out->items = SGR_NEW_N(a, const char *, peer->n_groups + (extra ? extra->count : 0) + 1);
    for (uint32_t i = 0; extra && i < extra->count; i++)
        out->items[out->count++] = extra->items[i];
    for (uint32_t i = 0; i < peer->n_groups; i++)
        out->items[out->count++] = peer->groups[i]->id;
    return out;
}

static bool ip_eq(const sgr_ip *x, const sgr_ip *y)
{
    return x->family && memcmp(x, y, sizeof *x) == 0;
}

/* Whether `addr` is the address of a side whose full group list is known, so
 * that a reference to a group no dump describes is decided for it: one of an
 * interface's own addresses (an NLB that preserves a client's address passes
 * the client's address with the node's side: not decided here), or a public
 * address of the internet, which a reference never matches. */
static bool peer_groups_known(const sgr_graph *g, const sgr_side *s, const sgr_ip *addr)
{
    if (!addr || !addr->family)
        return false;
    if (s == &g->internet->side)
        return sgr_is_public(g, addr);
    if (s->external || s->groups_unknown)
        return false;
    if (ip_eq(addr, &s->addr4) || ip_eq(addr, &s->addr6) || (s->has_public4 && ip_eq(addr, &s->public4)))
        return true;
    const sgr_eni *e = s->eni;
    if (sgr_eni_holds(e, addr))
        return true;
    for (uint32_t k = 0; e && k < e->n_public_ips; k++)
        if (ip_eq(addr, &e->public_ips[k].ip))
            return true;
    for (uint32_t k = 0; e && k < e->n_prefixes; k++) /* a pod's or task's delegated address */
        if (sgr_prefix_contains(&e->prefixes[k], addr))
            return true;
    return false;
}

static void nacl_pair(const sgr_graph *g, sgr_trace *t, const sgr_side *src, const sgr_ip *src_addr,
                      const char *src_label, const sgr_side *dst, const sgr_ip *dst_addr, const char *dst_label)
{
    bool src_in = !src->external, dst_in = !dst->external;
    if (src_in && dst_in && src->subnet && src->subnet == dst->subnet)
        return; /* within a subnet: ACLs are not evaluated */
    const sgr_prefix *sset = planned_set(src, src_addr), *dset = planned_set(dst, dst_addr);
    if (src_in)
        sgr_check_nacl(g, t, src->subnet, true, dst_addr, dset, dst_label, false);
    if (dst_in) {
        sgr_check_nacl(g, t, dst->subnet, false, src_addr, sset, src_label, false);
        sgr_check_nacl(g, t, dst->subnet, true, src_addr, sset, src_label, true);
    }
    if (src_in)
        sgr_check_nacl(g, t, src->subnet, false, dst_addr, dset, dst_label, true);
}

/* ---------------------------------------------------------------- middleboxes */

const sgr_epx *sgr_route_appliance(const sgr_graph *g, const sgr_route *r)
{
    if (!r->target_id)
        return NULL;
    if (strncmp(r->target_id, "i-", 2) == 0) {
        const sgr_instance *in = sgr_strmap_get(g->map, TAG_INSTANCE, r->target_id);
        return in && in->primary_eni ? sgr_engine_ep(g, TAG_EP_ENI, in->primary_eni->id) : NULL;
    }
    return sgr_engine_ep(g, TAG_EP_ENI, r->target_id);
}

/* The route of subnet sn for `dst`, an address of the subnet's own VPC, when
 * it is not the local route: a route more specific than the local route (or
 * one that replaced the local route's target) sends the traffic to a
 * middlebox (VPC "Subnet route tables"; "Inspect traffic between subnets").
 * NULL: the local route carries it (or the subnet's table is not known: the
 * local route is assumed, as before). A more specific blackhole is returned
 * too: it drops the traffic. */
static const sgr_route *middlebox_route(const sgr_graph *g, const sgr_subnet *sn, const sgr_vpc *vpc, const sgr_ip *dst,
                                        const sgr_route_table **rt)
{
    bool unknown;
    if (!sn || !vpc || !dst || !dst->family)
        return NULL;
    const sgr_route *r = sgr_route_lookup(g, sn, dst, &unknown, rt);
    if (unknown || !r || r->target == SGR_RT_LOCAL || !r->dest.ip.family)
        return NULL;
    for (uint32_t i = 0; i < vpc->n_cidrs; i++)
        if (sgr_prefix_covers(&vpc->cidrs[i], &r->dest))
            return r;
    return NULL; /* a wider route (0.0.0.0/0): the local route wins inside the VPC */
}

/* An appliance (an instance or interface a route leads to) forwarding a
 * packet src_addr → dst_addr that is not its own: it forwards only with its
 * source/destination check off (EC2 "Source/destination checks"; VPC "NAT
 * instances"), and only if it runs; with `groups`, its own groups filter the
 * packet in from the source and out to dst_addr (NULL: the caller's next leg
 * does). Returns false when the appliance is blocked or unknown outright (the
 * trace says so). */
static bool appliance_passes(const sgr_graph *g, sgr_trace *t, const sgr_route_table *rt, const sgr_route *r,
                             const sgr_epx *ax, const sgr_side *src, const sgr_ip *src_addr, const char *src_label,
                             const sgr_ip *dst_addr, const sgr_side *dst, const char *dst_label, bool groups)
{
    sgr_arena *a = t->a;
    if (!ax) {
        sgr_trace_gate(t, GATE_UNKNOWN);
        if (t->explain)
            sgr_trace_missing(t, sgr_arena_printf(a, "%s sends %s through %s, whose interface is not in the snapshot", rt->id,
                                                  dst_label, sgr_route_text(a, r)));
        return false;
    }
    const sgr_side *as = &ax->side;
    if (as->eni && as->eni->source_dest_check) {
        sgr_trace_gate(t, GATE_BLOCK);
        if (t->explain)
            sgr_trace_block(t, as->eni->id, "route",
                            sgr_arena_printf(a, "%s leads to %s, whose source/destination check is on: it drops "
                                                "traffic that is neither from nor to itself",
                                             sgr_route_text(a, r), as->eni->id),
                            &as->eni->origin);
        return false;
    }
    if (as->down) {
        sgr_trace_gate(t, as->down_unknown ? GATE_UNKNOWN : GATE_BLOCK);
        if (t->explain && as->down_unknown)
            sgr_trace_missing(t, as->down);
        else if (t->explain)
            sgr_trace_block(t, as->label, "state", as->down, as->down_origin);
    }
    if (!groups)
        return true;
    sgr_check_groups(g, t, as, false, src_addr, NULL, src_label, NULL, peer_groups_known(g, src, src_addr));
    if (dst_addr)
        sgr_check_groups(g, t, as, true, dst_addr, NULL, dst_label, NULL, dst && peer_groups_known(g, dst, dst_addr));
    return true;
}

/* Inside one VPC, between two subnets: a route of either subnet that sends
 * the other's address to a middlebox puts it on the way (the reply takes the
 * destination's route back: "Gateway route tables" — return traffic must go
 * through the same appliance). Evaluates the rest of the leg — the route, the
 * appliance, the network ACLs on the way, the destination's groups, which a
 * group reference no longer passes — and returns true; false: no detour. */
static bool leg_via_middlebox(const sgr_graph *g, sgr_trace *t, const sgr_side *src, const sgr_ip *src_addr,
                              const char *src_label, const sgr_side *dst, const sgr_ip *dst_addr, const char *dst_label,
                              const sgr_strs *extra_groups)
{
    sgr_arena *a = t->a;
    if (!src->subnet || !dst->subnet || src->subnet == dst->subnet || src->planned || dst->planned)
        return false; /* within a subnet the route table is not consulted */
    const sgr_route_table *rtf, *rtb;
    const sgr_route *fwd = middlebox_route(g, src->subnet, src->vpc, dst_addr, &rtf);
    const sgr_route *back = middlebox_route(g, dst->subnet, dst->vpc, src_addr, &rtb);
    if (!fwd && !back)
        return false;
    const sgr_route *r = fwd ? fwd : back;
    const sgr_route_table *rt = fwd ? rtf : rtb;
    if (r->blackhole) {
        sgr_trace_gate(t, GATE_BLOCK);
        if (t->explain)
            sgr_trace_block(t, rt->id, "route", sgr_arena_printf(a, "the route %s is a blackhole", sgr_route_text(a, r)),
                            &r->origin);
        return true;
    }
    if (t->explain) {
        sgr_trace_hop(t, "vpc", src->vpc_id, sgr_arena_printf(a, "through a middlebox: %s routes %s to %s", rt->id,
                                                              sgr_prefix_str(a, &r->dest), r->target_id ? r->target_id : "?"));
        sgr_trace_allow(t, rt->id, "route", sgr_route_text(a, r), &r->origin);
    }
    bool known_way = false;
    const sgr_epx *ax = NULL;
    if (r->target == SGR_RT_ENI) {
        ax = sgr_route_appliance(g, r);
        sgr_trace_hop(t, "appliance", ax ? ax->pub.id : r->target_id, NULL);
        if (!fwd) {
            /* only the reply is routed through it: AWS does not support
             * asymmetric routing through an appliance; whether it passes the
             * replies of a connection it never saw is not in the snapshot */
            if (appliance_passes(g, t, rt, r, ax, NULL, NULL, "", NULL, NULL, "", false)) {
                sgr_trace_gate(t, GATE_UNKNOWN);
                if (t->explain)
                    sgr_trace_missing(t, sgr_arena_printf(a, "only the reply goes through appliance %s (%s routes %s to it): "
                                                             "what it does with replies of a connection it did not see is not in the snapshot",
                                                          ax->pub.id, rt->id, src_label));
            }
        } else if (t->detours++ >= 4) {
            /* as outbound_via_appliance: past the cap, a loop, unknown */
            sgr_trace_gate(t, GATE_UNKNOWN);
            if (t->explain)
                sgr_trace_missing(t, sgr_arena_printf(a, "%s sends %s through appliance %s again: a routing loop", rt->id,
                                                      dst_label, ax ? ax->pub.id : r->target_id));
        } else if (appliance_passes(g, t, rt, r, ax, src, src_addr, src_label, dst_addr, dst, dst_label, true)) {
            known_way = true;
            const sgr_route_table *rta;
            const sgr_route *again = ax->side.subnet != dst->subnet
                                         ? middlebox_route(g, ax->side.subnet, ax->side.vpc, dst_addr, &rta)
                                         : NULL;
            if (again) {
                sgr_trace_gate(t, GATE_UNKNOWN);
                if (t->explain)
                    sgr_trace_missing(t, sgr_arena_printf(a, "the appliance's subnet sends the traffic on through %s (%s): "
                                                             "a chain of middleboxes is not followed",
                                                          sgr_route_text(a, again), rta->id));
            }
            /* the packets cross the appliance's subnet on the way there and back */
            nacl_pair(g, t, src, src_addr, src_label, &ax->side, dst_addr, dst_label);
            nacl_pair(g, t, &ax->side, src_addr, src_label, dst, dst_addr, dst_label);
            sgr_trace_gate(t, GATE_UNKNOWN);
            if (t->explain)
                sgr_trace_missing(t, sgr_arena_printf(a, "what appliance %s (%s) does with the traffic it inspects is not in the snapshot",
                                                      ax->pub.id, sgr_route_text(a, r)));
        }
    } else if (r->target == SGR_RT_VPCE) {
        sgr_trace_hop(t, "gateway-load-balancer-endpoint", r->target_id, NULL);
        sgr_trace_gate(t, GATE_UNKNOWN);
        if (t->explain)
            sgr_trace_missing(t, sgr_arena_printf(a, "%s sends the traffic to endpoint %s (a Gateway Load Balancer or firewall "
                                                     "endpoint): what the inspection behind it lets through is not in the snapshot",
                                                  rt->id, r->target_id ? r->target_id : "?"));
    } else {
        sgr_trace_gate(t, GATE_UNKNOWN);
        if (t->explain)
            sgr_trace_missing(t, sgr_arena_printf(a, "%s sends %s through %s, which the snapshot does not model", rt->id,
                                                  fwd ? dst_label : src_label, sgr_route_text(a, r)));
    }
    if (!known_way)
        nacl_pair(g, t, src, src_addr, src_label, dst, dst_addr, dst_label);
    if (dst->subnet != src->subnet)
        sgr_trace_hop(t, "subnet", dst->subnet->id, NULL);
    t->via_middlebox = true;
    sgr_check_groups(g, t, dst, false, src_addr, NULL, src_label, extra_groups, peer_groups_known(g, src, src_addr));
    t->via_middlebox = false;
    return true;
}

void sgr_leg(const sgr_graph *g, sgr_trace *t, const sgr_side *src, const sgr_ip *src_addr, const sgr_side *dst,
             const sgr_ip *dst_addr, const sgr_strs *extra_groups)
{
    sgr_arena *a = t->a;
    const char *src_label = t->explain ? addr_label(g, a, src, src_addr) : "";
    const char *dst_label = t->explain ? addr_label(g, a, dst, dst_addr) : "";
    if (src->external && dst->external) {
        sgr_trace_gate(t, GATE_UNKNOWN);
        sgr_trace_missing(t, "neither end is inside the snapshot");
        return;
    }
    for (int end = 0; end < 2; end++) {
        const sgr_side *s = end ? dst : src;
        if (!s->down)
            continue;
        sgr_trace_gate(t, s->down_unknown ? GATE_UNKNOWN : GATE_BLOCK);
        if (t->explain && s->down_unknown)
            sgr_trace_missing(t, s->down);
        else if (t->explain)
            sgr_trace_block(t, s->label, "state", s->down, s->down_origin);
    }
    if (src->assumption)
        sgr_trace_assume(t, src->assumption);
    if (dst->assumption)
        sgr_trace_assume(t, dst->assumption);
    if (!src->external) {
        if (src->subnet)
            sgr_trace_hop(t, "subnet", src->subnet->id, NULL);
        sgr_check_groups(g, t, src, true, dst_addr, planned_set(dst, dst_addr), dst_label,
                         planned_set(dst, dst_addr) ? planned_groups(g, a, dst, src, NULL) : NULL,
                         peer_groups_known(g, dst, dst_addr));
    }
    if (!src->external && !dst->external) {
        if (src->vpc_id && dst->vpc_id && strcmp(src->vpc_id, dst->vpc_id) == 0) {
            if (leg_via_middlebox(g, t, src, src_addr, src_label, dst, dst_addr, dst_label, extra_groups))
                return;
            if (t->explain && src->subnet != dst->subnet)
                sgr_trace_hop(t, "vpc", src->vpc_id, "local route");
        } else if (!src->vpc_id || !dst->vpc_id) {
            gate_route_missing(t, NULL, !t->explain ? NULL : sgr_arena_printf(a, "the VPC of %s is not known", src->vpc_id ? dst->label : src->label));
        } else {
            route_between(g, t, src, dst, dst_addr, dst_label);
            route_between(g, t, dst, src, src_addr, src_label);
        }
    } else if (src->external) {
        route_inbound(g, t, src_addr, src_label, dst, dst_addr, src == &g->internet->side);
    } else {
        route_outbound(g, t, src, src_addr, src_label, dst, dst_addr, dst_label);
    }
    nacl_pair(g, t, src, src_addr, src_label, dst, dst_addr, dst_label);
    if (!dst->external) {
        if (dst->subnet && dst->subnet != src->subnet)
            sgr_trace_hop(t, "subnet", dst->subnet->id, NULL);
        sgr_check_groups(g, t, dst, false, src_addr, planned_set(src, src_addr), src_label,
                         planned_set(src, src_addr) ? planned_groups(g, a, src, dst, extra_groups) : extra_groups,
                         peer_groups_known(g, src, src_addr));
    }
}
