/*
 * sgr_inbound_of: an endpoint's inbound rules as an index for searches over
 * many sources (graph/inbound.h). It mirrors the engine's cheap "nothing"
 * (engine_reach.c: pair_shut, ingress_shut): wherever that would not decide,
 * the filter is open.
 */
#include "engine.h"
#include "inbound.h"

#include <string.h>

/* A side whose filter one way (inbound: the one ingress_shut() reads) may
 * let anything through: no filter, or some of it unknown. */
static bool side_open_way(const sgr_side *s, bool egress)
{
    if (s->external || s->no_filter || s->groups_unknown || s->planned)
        return true;
    for (uint32_t i = 0; i < s->n_groups; i++) {
        const sgr_csg *c = s->groups[i];
        if (!c->described || (c->sg && (egress ? c->sg->n_unreadable_out : c->sg->n_unreadable_in)))
            return true;
        const sgr_crule *rules = egress ? c->out : c->in;
        uint32_t n = egress ? c->n_out : c->n_in;
        for (uint32_t k = 0; k < n; k++)
            if (rules[k].unknown)
                return true;
    }
    return false;
}

static bool side_open(const sgr_side *s)
{
    return side_open_way(s, false);
}

static void add_entry(sgr_proto_ports *p, uint32_t *n, sgr_arena *a, int32_t proto, int32_t lo, int32_t hi)
{
    p[*n].protocol = proto;
    p[*n].ranges = SGR_NEW(a, sgr_portrange);
    p[*n].ranges[0].lo = lo;
    p[*n].ranges[0].hi = hi;
    p[*n].n_ranges = 1;
    (*n)++;
}

static void add_rules_way(sgr_inbound *out, uint32_t *cap, const sgr_side *s, sgr_arena *a, bool egress)
{
    for (uint32_t i = 0; i < s->n_groups; i++) {
        const sgr_csg *c = s->groups[i];
        uint32_t n = egress ? c->n_out : c->n_in;
        for (uint32_t k = 0; k < n; k++) {
            const sgr_crule *cr = egress ? &c->out[k] : &c->in[k];
            bool dup = false; /* nodes of one load balancer share its groups */
            for (uint32_t j = 0; j < out->n_rules && !dup; j++)
                dup = out->rules[j].id == cr;
            if (dup)
                continue;
            if (out->n_rules == *cap)
                out->rules = sgr_arena_grow(a, out->rules, cap, out->n_rules + 1, sizeof *out->rules);
            sgr_inbound_rule *r = &out->rules[out->n_rules++];
            r->id = cr;
            r->peers = &cr->any_peers; /* a superset: the index only rules out */
            r->ref_group = cr->ref_group;
            r->ports = cr->opens; /* built at load (engine_build.c) */
            r->n_ports = cr->n_opens;
        }
    }
}

static void add_rules(sgr_inbound *out, uint32_t *cap, const sgr_side *s, sgr_arena *a)
{
    add_rules_way(out, cap, s, a, false);
}

/* A load balancer's answers: its listener ports for TCP and UDP, nothing
 * for ICMP (pair_reach keeps listener ports only), and whatever its nodes'
 * rules open of other protocols (not cut to listeners). */
static void lb_bound(const sgr_graph *g, const sgr_epx *x, sgr_inbound *out, sgr_arena *a)
{
    sgr_pset lis[3];
    sgr_lb_listener_ports(g, x->pub.lb, a, lis);
    uint32_t cap = lis[0].n + lis[1].n + out->n_rules + 16 + 1;
    out->bound = SGR_NEW_N(a, sgr_proto_ports, cap);
    out->n_bound = 0;
    static const int32_t lp[2] = {SGR_PROTO_TCP, SGR_PROTO_UDP};
    for (int k = 0; k < 2; k++)
        if (lis[k].n) {
            sgr_proto_ports *p = &out->bound[out->n_bound++];
            p->protocol = lp[k];
            p->ranges = lis[k].r;
            p->n_ranges = lis[k].n;
        }
    bool any_proto = false;
    for (uint32_t i = 0; i < out->n_rules; i++) {
        const sgr_crule *c = out->rules[i].id;
        if (c->proto == SGR_PROTO_ALL)
            any_proto = true;
        else if (c->proto != SGR_PROTO_TCP && c->proto != SGR_PROTO_UDP && c->proto != SGR_PROTO_ICMP &&
                 c->proto != SGR_PROTO_ICMPV6)
            add_entry(out->bound, &out->n_bound, a, c->proto, c->lo, c->hi);
    }
    if (out->open || any_proto) { /* any protocol some rule of the estate names */
        if (g->many_other_protos) {
            out->bounded = false;
            return;
        }
        for (uint32_t i = 0; i < g->n_other_protos; i++) {
            sgr_portrange u = sgr_proto_universe(g->other_protos[i]);
            add_entry(out->bound, &out->n_bound, a, g->other_protos[i], u.lo, u.hi);
        }
    }
    out->bounded = true;
}

/* The sides routes are looked up from, when every one can be. */
static void add_side(sgr_inbound *out, const sgr_side *s, uint32_t cap, sgr_arena *a)
{
    if (!s->subnet || !s->vpc_id || s->addr4.family != SGR_AF_INET || s->planned || s->external ||
        !sgr_prefix_contains(&s->subnet->cidr4, &s->addr4))
        out->routed = false;
    if (!out->sides)
        out->sides = SGR_NEW_N(a, sgr_inbound_side, cap ? cap : 1);
    out->sides[out->n_sides].subnet = s->subnet;
    out->sides[out->n_sides].vpc_id = s->vpc_id;
    out->n_sides++;
}

void sgr_inbound_of(sgr_graph *g, const sgr_endpoint *to, sgr_inbound *out, sgr_arena *a)
{
    const sgr_epx *x = (const sgr_epx *)to;
    memset(out, 0, sizeof *out);
    uint32_t cap = 0;
    out->routed = true;
    if (to->kind != SGR_EP_LB) {
        /* a bridge or host task: its host's other interfaces too (engine_reach.c: task_direct_ports) */
        out->open = side_open(&x->side);
        for (uint32_t k = 0; k < x->n_ifaces && !out->open; k++)
            out->open = side_open(&x->ifaces[k].side);
        if (!out->open) {
            add_rules(out, &cap, &x->side, a);
            for (uint32_t k = 0; k < x->n_ifaces; k++)
                add_rules(out, &cap, &x->ifaces[k].side, a);
        }
        add_side(out, &x->side, 1 + x->n_ifaces, a);
        for (uint32_t k = 0; k < x->n_ifaces; k++)
            add_side(out, &x->ifaces[k].side, 1 + x->n_ifaces, a);
        return;
    }
    out->routed = x->n_nodes > 0;
    for (uint32_t ni = 0; ni < x->n_nodes; ni++)
        add_side(out, &x->nodes[ni], x->n_nodes, a);
    /* an interface endpoint of its service leads to it without routes, and
     * past its groups when they are not enforced on PrivateLink traffic */
    out->open = x->n_nodes == 0 || sgr_privatelink_leads(g, x);
    if (out->open)
        out->routed = false;
    for (uint32_t ni = 0; ni < x->n_nodes && !out->open; ni++)
        out->open = side_open(&x->nodes[ni]);
    if (!out->open)
        for (uint32_t ni = 0; ni < x->n_nodes; ni++)
            add_rules(out, &cap, &x->nodes[ni], a);
    if (to->lb)
        lb_bound(g, x, out, a);
}

void sgr_outbound_of(sgr_graph *g, const sgr_endpoint *from, sgr_inbound *out, sgr_arena *a)
{
    (void)g;
    const sgr_epx *x = (const sgr_epx *)from;
    memset(out, 0, sizeof *out);
    /* a load balancer relays (its targets are its own list); a task sends
     * from its primary interface (sgr_epx.ifaces are for inbound only) */
    out->open = from->kind == SGR_EP_LB || side_open_way(&x->side, true);
    /* an instance that is not running starts nothing (sgr_leg blocks every
     * leg from it): as if it had no outbound rule */
    if (from->kind != SGR_EP_LB && x->side.down && !x->side.down_unknown) {
        out->open = false;
        return;
    }
    uint32_t cap = 0;
    if (!out->open)
        add_rules_way(out, &cap, &x->side, a, true);
}

bool sgr_inbound_source(const sgr_graph *g, const sgr_endpoint *from, uint32_t *addr, sgr_inbound_side *side)
{
    (void)g;
    const sgr_epx *x = (const sgr_epx *)from;
    const sgr_side *s = &x->side;
    if (from->kind == SGR_EP_LB || s->external || s->planned || x->addr_unknown || s->addr4.family != SGR_AF_INET ||
        s->addr6.family)
        return false;
    *addr = sgr_ip_v4(&s->addr4);
    if (side) { /* routes are judged for the whole subnet: only an address inside it */
        bool inside = s->subnet && sgr_prefix_contains(&s->subnet->cidr4, &s->addr4);
        side->subnet = inside ? s->subnet : NULL;
        side->vpc_id = inside ? s->vpc_id : NULL;
    }
    return true;
}

static bool prefixes_overlap(const sgr_prefix *a, const sgr_prefix *b)
{
    return a->ip.family == b->ip.family && (sgr_prefix_contains(a, &b->ip) || sgr_prefix_contains(b, &a->ip));
}

/* Every route of subnet sn's table that may match an address of `dst` (a
 * subnet of VPC other, not sn's) blocks (route_blocks in engine_reach.c),
 * and the lookup is never "unknown" there (sgr_route_lookup: a route it
 * cannot read might match only where no other does, or a blackhole does). */
static bool table_blocks(const sgr_graph *g, const sgr_subnet *sn, const char *vpc_id, const char *other,
                         const sgr_prefix *dst)
{
    const sgr_route_table *rt = sn->route_table;
    if (!rt && sn->vpc)
        rt = sn->vpc->main_table;
    if (!rt || sn->disputed_why)
        return false;
    const sgr_peering *p = sgr_engine_peering(g, vpc_id, other);
    bool maybe_more = rt->n_unreadable > 0, covered = false, blackhole = false;
    for (uint32_t i = 0; i < rt->n_routes; i++) {
        const sgr_route *r = &rt->routes[i];
        if (r->dest.ip.family) {
            if (!prefixes_overlap(&r->dest, dst))
                continue; /* never the longest match for an address of dst */
        } else if (r->dest_prefix_list) {
            const sgr_prefix_list *pl = sgr_strmap_get(g->map, TAG_PL, r->dest_prefix_list);
            if (!pl || !pl->entries_known) {
                maybe_more = true;
                continue;
            }
            bool overlaps = false;
            for (uint32_t k = 0; k < pl->n_entries && !overlaps; k++)
                overlaps = prefixes_overlap(&pl->entries[k], dst);
            if (!overlaps)
                continue;
        } else {
            continue; /* matches nothing */
        }
        if (r->blackhole) {
            blackhole = true;
            continue;
        }
        bool blocks = r->target == SGR_RT_LOCAL || r->target == SGR_RT_IGW || r->target == SGR_RT_EIGW ||
                      (r->target == SGR_RT_PEERING && !(p && r->target_id && strcmp(p->id, r->target_id) == 0));
        if (!blocks)
            return false;
        covered |= r->dest.ip.family && sgr_prefix_covers(&r->dest, dst);
    }
    /* whichever route matches blocks, and no route blocks too, unless an
     * unread route leaves the lookup unknown */
    return !maybe_more || (covered && !blackhole);
}

/* Subnet sn's network ACL lets nothing through one way for any address of
 * peer: no allow entry of that direction overlaps it, so every packet meets
 * a deny or the default deny (sgr_check_nacl, nacl_ports), and every entry
 * was read. */
static bool nacl_blocks(const sgr_subnet *sn, bool egress, const sgr_prefix *peer)
{
    const sgr_nacl *n = sn->nacl;
    if (!n || n->n_unreadable || sn->disputed_why || sn->nacl_unknown_why)
        return false;
    for (uint32_t i = 0; i < n->n_entries; i++) {
        const sgr_nacl_entry *e = &n->entries[i];
        if (e->egress == egress && e->allow && prefixes_overlap(&e->cidr, peer))
            return false;
    }
    return true;
}

bool sgr_inbound_sides_shut(const sgr_graph *g, const sgr_inbound_side *from, const sgr_inbound_side *to)
{
    if (!from->subnet || !to->subnet || from->subnet == to->subnet)
        return false; /* within a subnet no ACL is evaluated */
    if (from->subnet->cidr4.ip.family != SGR_AF_INET || to->subnet->cidr4.ip.family != SGR_AF_INET)
        return false;
    /* the network ACLs: the source's outbound, the destination's inbound */
    if (nacl_blocks(from->subnet, true, &to->subnet->cidr4) || nacl_blocks(to->subnet, false, &from->subnet->cidr4))
        return true;
    if (!from->vpc_id || !to->vpc_id || strcmp(from->vpc_id, to->vpc_id) == 0)
        return false;
    return table_blocks(g, from->subnet, from->vpc_id, to->vpc_id, &to->subnet->cidr4) ||
           table_blocks(g, to->subnet, to->vpc_id, from->vpc_id, &from->subnet->cidr4);
}


sgr_lb_shows sgr_inbound_lb_shows(sgr_graph *g, const sgr_endpoint *lb, sgr_arena *scratch)
{
    if (lb->kind != SGR_EP_LB || !lb->lb)
        return SGR_LB_SHOWS_MIXED;
    if (lb->lb->type == SGR_LB_APPLICATION || lb->lb->type == SGR_LB_CLASSIC)
        return SGR_LB_SHOWS_NODE; /* proxies: sgr_lb_preserves is false for them */
    if (lb->lb->type != SGR_LB_NETWORK)
        return SGR_LB_SHOWS_MIXED;
    const sgr_ep_list *ls = sgr_engine_lb_listeners(g, lb->lb);
    if (!ls || !ls->n)
        return SGR_LB_SHOWS_MIXED;
    bool client = false, node = false;
    for (uint32_t li = 0; li < ls->n; li++) {
        sgr_target_ep *tv;
        const char **missing = NULL;
        uint32_t n_missing = 0;
        uint32_t nt = sgr_lb_targets(g, lb->lb, (const sgr_listener *)ls->v[li], -1, &tv, scratch, &missing, &n_missing);
        if (n_missing)
            return SGR_LB_SHOWS_MIXED;
        for (uint32_t t = 0; t < nt; t++) {
            const char *assumed;
            bool preserves = sgr_lb_preserves(lb->lb, tv[t].tgp, &assumed, scratch);
            client |= preserves;
            /* a dual-stack NLB's IPv6 clients reach an IPv4 group from the node */
            node |= !preserves || (lb->lb->ip_address_type && strncmp(lb->lb->ip_address_type, "dualstack", 9) == 0 &&
                                   !sgr_lb_preserves_for(lb->lb, tv[t].tgp, SGR_AF_INET6, &assumed, scratch));
        }
    }
    /* PrivateLink traffic reaches every target from the node's address */
    node |= sgr_privatelink_leads(g, (const sgr_epx *)lb);
    return client && !node ? SGR_LB_SHOWS_CLIENT : node && !client ? SGR_LB_SHOWS_NODE : SGR_LB_SHOWS_MIXED;
}
