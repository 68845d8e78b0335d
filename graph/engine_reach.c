/*
 * Whole-estate questions: everything one endpoint reaches in one hop, or
 * everything that reaches it, with the ports per protocol. The same checks as
 * sgr_can, evaluated over whole port ranges instead of one port. A load
 * balancer is a destination on its listener ports and, as a source, reaches
 * its registered targets on their registered ports.
 */
#include "engine.h"
#include "engine_reach_memo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int32_t PROTOS[] = {SGR_PROTO_TCP, SGR_PROTO_UDP, SGR_PROTO_ICMP};

#define MAX_PROTOS 12

/* Ports per protocol: tcp, udp, icmp first, then every other protocol number
 * that the groups of either side name (AWS: such rules allow all ports). */
typedef struct pair_ports {
    sgr_pset def[MAX_PROTOS], pos[MAX_PROTOS];
    int32_t proto[MAX_PROTOS];
    uint32_t np;
    bool skip[MAX_PROTOS];      /* not evaluated: the answer drops it anyway (an LB without such listeners) */
} pair_ports;

static void add_proto(pair_ports *pp, int32_t proto)
{
    if (proto < 0 || proto == SGR_PROTO_TCP || proto == SGR_PROTO_UDP || proto == SGR_PROTO_ICMP ||
        proto == SGR_PROTO_ICMPV6 || pp->np == MAX_PROTOS)
        return;
    for (uint32_t i = 0; i < pp->np; i++)
        if (pp->proto[i] == proto)
            return;
    pp->proto[pp->np++] = proto;
}

static void side_protos(pair_ports *pp, const sgr_side *s)
{
    for (uint32_t i = 0; i < s->n_groups; i++) {
        const sgr_csg *c = s->groups[i];
        for (uint32_t k = 0; k < c->n_in; k++)
            add_proto(pp, c->in[k].proto);
        for (uint32_t k = 0; k < c->n_out; k++)
            add_proto(pp, c->out[k].proto);
    }
}

static void direct_ports(const sgr_graph *g, sgr_arena *a, const sgr_epx *from, const sgr_epx *to, pair_ports *pp);

static void ports_init(pair_ports *pp, const sgr_epx *from, const sgr_epx *to)
{
    memset(pp, 0, sizeof *pp);
    for (int k = 0; k < 3; k++)
        pp->proto[pp->np++] = PROTOS[k];
    side_protos(pp, &from->side);
    side_protos(pp, &to->side);
    for (uint32_t k = 0; k < to->n_ifaces; k++)
        side_protos(pp, &to->ifaces[k].side);
}

/* Leaves out of pp the host ports that x's task publishes on other
 * interfaces than x's only (bindIP). */
static void cut_bound_elsewhere(sgr_arena *a, const sgr_epx *x, pair_ports *pp)
{
    for (uint32_t k = 0; k < pp->np; k++) {
        sgr_pset away = sgr_ports_bound_elsewhere(a, x, pp->proto[k]);
        if (!away.n)
            continue;
        pp->def[k] = sgr_pset_subtract(a, &pp->def[k], &away);
        pp->pos[k] = sgr_pset_subtract(a, &pp->pos[k], &away);
    }
}

/* The ports from → task `to` directly, on its own interface and on each
 * other interface of its host (sgr_epx.ifaces) that is not from's. */
static void task_direct_ports(const sgr_graph *g, sgr_arena *a, const sgr_epx *from, const sgr_epx *to,
                              pair_ports *pp)
{
    direct_ports(g, a, from, to, pp);
    if (!to->n_ifaces)
        return;
    cut_bound_elsewhere(a, to, pp);
    for (uint32_t i = 0; i < to->n_ifaces; i++) {
        const sgr_epx *other = &to->ifaces[i];
        if (from->pub.eni && from->pub.eni == other->pub.eni)
            continue;
        pair_ports op = *pp;
        for (uint32_t k = 0; k < op.np; k++) {
            op.def[k] = (sgr_pset){0};
            op.pos[k] = (sgr_pset){0};
        }
        direct_ports(g, a, from, other, &op);
        cut_bound_elsewhere(a, other, &op);
        for (uint32_t k = 0; k < op.np; k++) {
            pp->def[k] = sgr_pset_union(a, &pp->def[k], &op.def[k]);
            pp->pos[k] = sgr_pset_union(a, &pp->pos[k], &op.pos[k]);
        }
    }
}

/* Ports of one leg for one protocol: definite and possible. */
static void leg_ports(const sgr_graph *g, sgr_arena *a, int32_t proto, const sgr_side *src, const sgr_ip *sa,
                      const sgr_side *dst, const sgr_ip *da, const sgr_strs *extra, sgr_pset *def, sgr_pset *pos)
{
    sgr_trace t;
    sgr_portrange u = sgr_proto_universe(proto);
    sgr_trace_init(&t, a, false, proto, u.lo, u.hi, false);
    sgr_leg(g, &t, src, sa, dst, da, extra);
    memset(def, 0, sizeof *def);
    memset(pos, 0, sizeof *pos);
    if (t.blocked)
        return;
    if (!t.unknown)
        *def = t.def;
    *pos = t.pos;
}

static void add_ports(sgr_arena *a, sgr_pset *dst, const sgr_pset *src)
{
    *dst = sgr_pset_union(a, dst, src);
}

static const sgr_ip *addr_for(const sgr_side *s, int fam)
{
    return sgr_side_addr(s, fam);
}

/* The ports of the leg from node ni of load balancer lbx to `to` over IPv4
 * (the relay's own connection, which the load balancer's groups go with);
 * false when either end has no IPv4 address. */
static bool node_leg_ports(const sgr_graph *g, sgr_arena *a, int32_t proto, const sgr_epx *lbx, uint32_t ni,
                           const sgr_epx *to, sgr_pset *def, sgr_pset *pos)
{
    const sgr_ip *sa = addr_for(&lbx->nodes[ni], 4), *ta = addr_for(&to->side, 4);
    if (!sa || !ta)
        return false;
    leg_ports(g, a, proto, &lbx->nodes[ni], sa, &to->side, ta, &lbx->pub.lb->group_ids, def, pos);
    return true;
}

/* node_leg_ports toward one target, each (protocol, node) evaluated once:
 * listeners that forward to the target alike (one target group behind
 * several listeners) and the groups whose targets are unknown ask the same
 * legs. A few protocols kept; another is evaluated each time. */
enum { NODE_LEG_PROTOS = 4 };
typedef struct node_legs {
    const sgr_epx *lbx, *to;
    int32_t proto[NODE_LEG_PROTOS];
    uint32_t n_protos;
    uint8_t *state[NODE_LEG_PROTOS]; /* per node: 0 not asked, 1 ports, 2 no IPv4 */
    sgr_pset *def[NODE_LEG_PROTOS], *pos[NODE_LEG_PROTOS];
} node_legs;

static bool node_leg_ports_once(const sgr_graph *g, sgr_arena *a, node_legs *m, int32_t proto, uint32_t ni,
                                sgr_pset *def, sgr_pset *pos)
{
    uint32_t k = 0;
    while (k < m->n_protos && m->proto[k] != proto)
        k++;
    if (k == m->n_protos) {
        if (k == NODE_LEG_PROTOS)
            return node_leg_ports(g, a, proto, m->lbx, ni, m->to, def, pos);
        m->proto[k] = proto;
        m->state[k] = SGR_NEW_N(a, uint8_t, m->lbx->n_nodes);
        m->def[k] = SGR_NEW_N(a, sgr_pset, m->lbx->n_nodes);
        m->pos[k] = SGR_NEW_N(a, sgr_pset, m->lbx->n_nodes);
        m->n_protos++;
    }
    if (!m->state[k][ni])
        m->state[k][ni] = node_leg_ports(g, a, proto, m->lbx, ni, m->to, &m->def[k][ni], &m->pos[k][ni]) ? 1 : 2;
    *def = m->def[k][ni];
    *pos = m->pos[k][ni];
    return m->state[k][ni] == 1;
}

/* The ports from → to, directly (not through a relay). */
static void direct_ports(const sgr_graph *g, sgr_arena *a, const sgr_epx *from, const sgr_epx *to, pair_ports *pp)
{
    sgr_ip none;
    memset(&none, 0, sizeof none);
    for (int fam = 4; fam <= 6; fam += 2) {
        const sgr_ip *fa = addr_for(&from->side, fam), *ta = addr_for(&to->side, fam);
        if (from->side.external || to->side.external) {
            const sgr_ip *ia = from->side.external ? ta : fa;
            /* an LB, or an endpoint whose address the data lacks, is still
             * tried from outside (over IPv4, as sgr_can does): its groups, ACLs
             * and routes may decide, else the answer is unknown */
            if (!ia && !(from->side.external && (to->pub.kind == SGR_EP_LB || to->addr_unknown) && fam == 4))
                continue;
            /* every cell of the outside addresses (the internet's, or a user
             * CIDR's) that the inside side's rules, ACL entries and routes tell
             * apart: a rule for 8.8.8.0/24 opens the port to part of them. The
             * internet enters only an interface with a public address: toward
             * any other, one representative public address stands for all. */
            const sgr_epx *out = from->side.external ? from : to;
            const sgr_side *in_side = from->side.external ? &to->side : &from->side;
            bool cidr = out->pub.kind == SGR_EP_CIDR;
            if (cidr && (out->pub.cidr.ip.family == SGR_AF_INET6 ? 6 : 4) != fam)
                continue;
            sgr_ip one = cidr ? out->pub.cidr.ip
                              : fam == 4 ? sgr_ip_from_v4(0x01010101) : sgr_ip_from_v6((sgr_u128){0x2001000000000000ULL, 1});
            sgr_ip *reps = &one;
            uint32_t n_reps = 1;
            bool open = cidr || !from->side.external ||
                        (fam == 4 ? in_side->has_public4 || in_side->internet_facing
                                  : in_side->addr6.family && !in_side->deny_igw6);
            if (open) {
                sgr_ip *all;
                bool truncated;
                uint32_t n_all = sgr_outside_cells(g, a, out, &in_side, 1, &all, &truncated);
                if (truncated) /* some cell was not tried: every port is possible */
                    for (uint32_t k = 0; k < pp->np; k++) {
                        if (pp->skip[k])
                            continue;
                        int32_t proto = pp->proto[k] == SGR_PROTO_ICMP && fam == 6 ? SGR_PROTO_ICMPV6 : pp->proto[k];
                        sgr_portrange u = sgr_proto_universe(proto);
                        sgr_pset all_ports = sgr_pset_range(a, u.lo, u.hi);
                        add_ports(a, &pp->pos[k], &all_ports);
                    }
                reps = sgr_arena_alloc_array(a, n_all + 1, sizeof *reps);
                n_reps = 0;
                for (uint32_t c = 0; c < n_all; c++)
                    if ((all[c].family == SGR_AF_INET6 ? 6 : 4) == fam)
                        reps[n_reps++] = all[c];
                if (!n_reps)
                    continue;
            }
            for (uint32_t c = 0; c < n_reps; c++)
                for (uint32_t k = 0; k < pp->np; k++) {
                    if (pp->skip[k])
                        continue;
                    int32_t proto = pp->proto[k] == SGR_PROTO_ICMP && fam == 6 ? SGR_PROTO_ICMPV6 : pp->proto[k];
                    sgr_pset d, p;
                    if (from->side.external)
                        leg_ports(g, a, proto, &from->side, &reps[c], &to->side, ia ? ia : &none, NULL, &d, &p);
                    else
                        leg_ports(g, a, proto, &from->side, ia, &to->side, &reps[c], NULL, &d, &p);
                    add_ports(a, &pp->def[k], &d);
                    add_ports(a, &pp->pos[k], &p);
                }
            continue;
        }
        if (!fa || !ta)
            continue;
        for (uint32_t k = 0; k < pp->np; k++) {
            if (pp->skip[k])
                continue;
            int32_t proto = pp->proto[k] == SGR_PROTO_ICMP && fam == 6 ? SGR_PROTO_ICMPV6 : pp->proto[k];
            sgr_pset d, p;
            leg_ports(g, a, proto, &from->side, fa, &to->side, ta, NULL, &d, &p);
            add_ports(a, &pp->def[k], &d);
            add_ports(a, &pp->pos[k], &p);
        }
    }
}

/* The registered targets behind every listener of a load balancer, computed
 * once per whole-estate question (not once per destination). */
typedef struct relay_entry {
    sgr_target_ep *tv;
    uint32_t nt;
    int32_t proto;
    const sgr_listener *l;      /* NULL: classic */
    uint32_t n_missing;         /* target groups behind it without target health */
} relay_entry;

typedef struct relay {
    const sgr_epx *lb;
    relay_entry *v;
    uint32_t n, cap;
} relay;

static void relay_build(sgr_graph *g, sgr_arena *a, const sgr_epx *from, relay *rl)
{
    memset(rl, 0, sizeof *rl);
    rl->lb = from;
    const sgr_lb *lb = from->pub.lb;
    /* the index, not the snapshot: it holds the stand-in for listeners not read */
    const sgr_ep_list *ls = lb->type == SGR_LB_CLASSIC ? NULL : sgr_engine_lb_listeners(g, lb);
    uint32_t n_ls = ls ? ls->n : 0;
    for (uint32_t li = 0; li <= n_ls; li++) {
        const sgr_listener *l = li < n_ls ? (const sgr_listener *)ls->v[li] : NULL;
        if (!l && lb->type != SGR_LB_CLASSIC)
            continue;
        uint32_t nc = l ? 1 : lb->n_classic_listeners;
        for (uint32_t ci = 0; ci < nc; ci++) {
            const char **missing = NULL;
            uint32_t n_missing = 0;
            int32_t cport = l ? -1 : lb->classic_listeners[ci].instance_port;
            if (rl->n == rl->cap)
                rl->v = sgr_arena_grow(a, rl->v, &rl->cap, rl->n + 1, sizeof *rl->v);
            relay_entry *re = &rl->v[rl->n++];
            re->nt = sgr_lb_targets(g, lb, l, cport, &re->tv, a, &missing, &n_missing);
            re->l = l;
            re->n_missing = n_missing;
            re->proto = l ? (l->protocol ? l->protocol : SGR_PROTO_TCP) : SGR_PROTO_TCP;
        }
        if (!l)
            break;
    }
}

void sgr_lb_listener_ports(const sgr_graph *g, const sgr_lb *lb, sgr_arena *a, sgr_pset lis[3])
{
    const sgr_snapshot *s = g->snap;
    memset(lis, 0, 3 * sizeof *lis);
    /* the load balancer's listeners from the index built at load (every pair
     * toward a load balancer asks); without an ARN, by a scan */
    const sgr_ep_list *idx = lb->arn ? sgr_engine_lb_listeners(g, lb) : NULL;
    uint32_t n = lb->arn ? (idx ? idx->n : 0) : s->n_listeners;
    for (uint32_t li = 0; li < n; li++) {
        const sgr_listener *l = idx ? (const sgr_listener *)idx->v[li] : s->listeners[li];
        if (!(l->lb == lb || (l->lb_arn && lb->arn && strcmp(l->lb_arn, lb->arn) == 0)))
            continue;
        bool both = l->protocol_name && strcmp(l->protocol_name, "TCP_UDP") == 0;
        int32_t lo = l->port == SGR_LISTENER_PORT_UNKNOWN ? 0 : l->port;
        int32_t hi = l->port == SGR_LISTENER_PORT_UNKNOWN ? 65535 : l->port;
        if (both || l->protocol == SGR_PROTO_TCP || l->protocol == 0)
            sgr_pset_add(a, &lis[0], lo, hi);
        if (both || l->protocol == SGR_PROTO_UDP)
            sgr_pset_add(a, &lis[1], lo, hi);
    }
    for (uint32_t ci = 0; ci < lb->n_classic_listeners; ci++)
        sgr_pset_add(a, &lis[0], lb->classic_listeners[ci].lb_port, lb->classic_listeners[ci].lb_port);
    for (int k = 0; k < 3; k++)
        sgr_pset_norm(&lis[k]);
}

enum { MAX_PL_PORTS = 64 };

/* The listener ports of an NLB (or GWLB) that `from` reaches through an
 * interface endpoint of its endpoint service (engine_privatelink.c), asked
 * one port at a time as sgr_can asks them: at most MAX_PL_PORTS, the rest
 * possible. */
static void privatelink_ports(const sgr_graph *g, sgr_arena *a, const sgr_epx *from, const sgr_epx *to,
                              const sgr_pset lis[3], pair_ports *pp)
{
    if (from->side.external || !sgr_privatelink_leads(g, to))
        return;
    const sgr_ip *fa = addr_for(&from->side, 4);
    if (!fa)
        return;
    uint32_t asked = 0;
    for (int k = 0; k < 2; k++)
        for (uint32_t i = 0; i < lis[k].n; i++)
            for (int32_t port = lis[k].r[i].lo; port <= lis[k].r[i].hi; port++) {
                if (asked++ >= MAX_PL_PORTS) {
                    sgr_pset_add(a, &pp->pos[k], port, lis[k].r[i].hi);
                    break;
                }
                sgr_path p = sgr_path_via_privatelink(g, a, false, from, fa, to, PROTOS[k], port, NULL, -1);
                if (p.irrelevant || p.v == SGR_UNREACHABLE)
                    continue;
                /* pos holds every port possibly reached, the definite ones too (leg_ports) */
                if (p.v == SGR_REACHABLE)
                    sgr_pset_add(a, &pp->def[k], port, port);
                sgr_pset_add(a, &pp->pos[k], port, port);
            }
    for (int k = 0; k < 2; k++) {
        sgr_pset_norm(&pp->def[k]);
        sgr_pset_norm(&pp->pos[k]);
    }
}

bool sgr_endpoint_initiates(const sgr_endpoint *ep)
{
    if (ep->kind != SGR_EP_ENI || !ep->eni)
        return true;
    /* VPC "Interface VPC endpoints" / "NAT gateways": traffic is started by
     * the clients of the endpoint, or by the hosts behind the NAT gateway */
    return ep->eni->owner_kind != SGR_ENI_OWNER_VPCE && ep->eni->owner_kind != SGR_ENI_OWNER_NAT;
}

static bool pair_reach(sgr_graph *g, sgr_arena *a, const sgr_epx *from, const sgr_epx *to, sgr_reach *r,
                       const relay *rl)
{
    pair_ports pp;
    ports_init(&pp, from, to);
    memset(r, 0, sizeof *r);
    r->from = &from->pub;
    r->to = &to->pub;
    r->via = "direct";
    if (from == to || !sgr_endpoint_initiates(&from->pub))
        return false;
    if ((from->pub.kind == SGR_EP_TASK && from->pub.mode == SGR_NET_NONE) ||
        (to->pub.kind == SGR_EP_TASK && to->pub.mode == SGR_NET_NONE))
        return false;
    if (from->side.external && to->side.external)
        return false;
    /* on one host: the docker bridge / loopback */
    if (from->pub.eni && from->pub.eni == to->pub.eni && (from->pub.kind == SGR_EP_TASK || to->pub.kind == SGR_EP_TASK) &&
        !(from->pub.kind == SGR_EP_TASK && from->pub.mode == SGR_NET_AWSVPC) &&
        !(to->pub.kind == SGR_EP_TASK && to->pub.mode == SGR_NET_AWSVPC)) {
        r->verdict = SGR_REACHABLE;
        r->ports = SGR_NEW(a, sgr_proto_ports);
        r->ports[0].protocol = SGR_PROTO_ALL;
        r->n_ports = 1;
        r->via = (from->pub.kind == SGR_EP_TASK && from->pub.mode == SGR_NET_HOST) &&
                         !(to->pub.kind == SGR_EP_TASK && to->pub.mode != SGR_NET_HOST)
                     ? "loopback" : "docker-bridge";
        return true;
    }
    if (from->pub.kind == SGR_EP_LB) {
        /* a relay reaches only its registered targets */
        const sgr_lb *lb = from->pub.lb;
        r->via = sgr_arena_printf(a, "lb:%s", lb->name ? lb->name : from->pub.id);
        relay local;
        if (!rl || rl->lb != from) {
            relay_build(g, a, from, &local);
            rl = &local;
        }
        node_legs legs = {.lbx = from, .to = to};
        for (uint32_t ei = 0; ei < rl->n; ei++) {
            const relay_entry *re = &rl->v[ei];
            for (uint32_t ti = 0; ti < re->nt; ti++) {
                if (re->tv[ti].ep != to)
                    continue;
                int k = re->proto == SGR_PROTO_UDP ? 1 : 0;
                for (uint32_t ni = 0; ni < from->n_nodes; ni++) {
                    sgr_pset d, p;
                    if (!node_leg_ports_once(g, a, &legs, re->proto, ni, &d, &p))
                        continue;
                    const sgr_target_ep *tv = &re->tv[ti];
                    int32_t phi = tv->port_hi > tv->port ? tv->port_hi : tv->port;
                    sgr_pset one = sgr_pset_range(a, tv->port, phi);
                    d = sgr_pset_intersect(a, &d, &one);
                    p = sgr_pset_intersect(a, &p, &one);
                    /* with client IP preservation the target sees each client's
                     * address, not the node's: which clients pass is decided per
                     * client (can), so the registered port is possibly reached */
                    const char *assumed;
                    if (sgr_lb_preserves(lb, tv->tgp, &assumed, a))
                        p = sgr_pset_union(a, &p, &one);
                    if ((tv->forall && !sgr_pset_covers(&d, tv->port, phi)) || tv->unsure) {
                        /* a dynamic host port not assigned yet, or a target
                         * whose far end is in no snapshot: only possible */
                        p = sgr_pset_union(a, &p, &d);
                        d = (sgr_pset){0};
                    }
                    add_ports(a, &pp.def[k], &d);
                    add_ports(a, &pp.pos[k], &p);
                }
            }
            /* `to` may be registered in a target group whose targets the
             * snapshot lacks: whatever the relay's leg passes is possible */
            if (re->n_missing && (re->l ? sgr_lb_unknown_tg(g, lb, re->l, to) != NULL : sgr_classic_may_target(lb, to))) {
                int k = re->proto == SGR_PROTO_UDP ? 1 : 0;
                for (uint32_t ni = 0; ni < from->n_nodes; ni++) {
                    sgr_pset d, p;
                    if (!node_leg_ports_once(g, a, &legs, re->proto, ni, &d, &p))
                        continue;
                    p = sgr_pset_union(a, &p, &d);
                    add_ports(a, &pp.pos[k], &p);
                }
            }
        }
    } else if (to->pub.kind == SGR_EP_LB) {
        /* a client reaches the listener ports it passes to */
        const sgr_lb *lb = to->pub.lb;
        r->via = "direct";
        /* listener ports only: a protocol without listeners is not evaluated */
        sgr_pset lis[3];
        sgr_lb_listener_ports(g, lb, a, lis);
        for (int k = 0; k < 3; k++)
            pp.skip[k] = lis[k].n == 0;
        for (uint32_t ni = 0; ni < to->n_nodes; ni++) {
            sgr_epx node = *to;
            node.side = to->nodes[ni];
            if (from->side.external && !lb->internet_facing && from->pub.kind == SGR_EP_INTERNET)
                break;
            direct_ports(g, a, from, &node, &pp);
        }
        privatelink_ports(g, a, from, to, lis, &pp);
        /* no interface or subnet of it in the data: its listeners may be
         * reached (sgr_can's "no interface or subnet … in the snapshot") */
        if (!to->n_nodes && !(from->side.external && !lb->internet_facing && from->pub.kind == SGR_EP_INTERNET))
            for (int k = 0; k < 3; k++)
                pp.pos[k] = sgr_pset_union(a, &pp.pos[k], &lis[k]);
        for (int k = 0; k < 3; k++) {
            pp.def[k] = sgr_pset_intersect(a, &pp.def[k], &lis[k]);
            pp.pos[k] = sgr_pset_intersect(a, &pp.pos[k], &lis[k]);
            if (lb->listeners_unknown) {
                /* listeners not read: a port the way in passes may be one it listens on */
                pp.pos[k] = sgr_pset_union(a, &pp.pos[k], &pp.def[k]);
                pp.def[k] = (sgr_pset){0};
            }
        }
    } else {
        task_direct_ports(g, a, from, to, &pp);
    }
    bool any_def = false, any_pos = false;
    for (uint32_t k = 0; k < pp.np; k++) {
        any_def |= !sgr_pset_empty(&pp.def[k]);
        any_pos |= !sgr_pset_empty(&pp.pos[k]);
    }
    if (!any_pos)
        return false;
    r->verdict = any_def ? SGR_REACHABLE : SGR_UNKNOWN;
    sgr_pset *use = any_def ? pp.def : pp.pos;
    if (any_def) {
        /* ports only possibly reached beside the definite ones: never drop
         * them (a forbid on them is a possible violation, not a pass) */
        for (uint32_t k = 0; k < pp.np; k++) {
            sgr_pset only = sgr_pset_subtract(a, &pp.pos[k], &pp.def[k]);
            if (sgr_pset_empty(&only))
                continue;
            if (!r->maybe)
                r->maybe = SGR_NEW_N(a, sgr_proto_ports, pp.np);
            sgr_proto_ports *p = &r->maybe[r->n_maybe++];
            p->protocol = pp.proto[k];
            p->ranges = only.r;
            p->n_ranges = only.n;
        }
    }
    /* every port of every protocol: print it as "all" */
    bool all = true;
    for (int k = 0; k < 3; k++) {
        sgr_portrange u = sgr_proto_universe(PROTOS[k]);
        all &= sgr_pset_covers(&use[k], u.lo, u.hi);
    }
    if (all) {
        r->ports = SGR_NEW(a, sgr_proto_ports);
        r->ports[0].protocol = SGR_PROTO_ALL;
        r->n_ports = 1;
        return true;
    }
    r->ports = SGR_NEW_N(a, sgr_proto_ports, pp.np);
    for (uint32_t k = 0; k < pp.np; k++) {
        if (sgr_pset_empty(&use[k]))
            continue;
        sgr_proto_ports *p = &r->ports[r->n_ports++];
        p->protocol = pp.proto[k];
        p->ranges = use[k].r;
        p->n_ranges = use[k].n;
    }
    return true;
}

sgr_proto_ports *sgr_ports_copy(sgr_arena *a, const sgr_proto_ports *p, uint32_t n)
{
    if (!n)
        return NULL;
    sgr_proto_ports *c = sgr_arena_memdup(a, p, n * sizeof *p);
    for (uint32_t i = 0; i < n; i++)
        c[i].ranges = p[i].n_ranges ? sgr_arena_memdup(a, p[i].ranges, p[i].n_ranges * sizeof *p[i].ranges) : NULL;
    return c;
}

void sgr_reach_copy(sgr_arena *a, sgr_reach *dst, const sgr_reach *src)
{
    *dst = *src;
    dst->ports = sgr_ports_copy(a, src->ports, src->n_ports);
    dst->maybe = sgr_ports_copy(a, src->maybe, src->n_maybe);
    dst->via = sgr_arena_strdup(a, src->via);
}

sgr_reach sgr_reach_maybe_part(const sgr_reach *r)
{
    sgr_reach u = *r;
    u.verdict = SGR_UNKNOWN;
    u.ports = r->maybe;
    u.n_ports = r->n_maybe;
    u.maybe = NULL;
    u.n_maybe = 0;
    return u;
}

/* One pair's answer, moved out of the scratch arena its evaluation used. */
static void keep(sgr_arena *a, sgr_reach **v, uint32_t *n, uint32_t *cap, const sgr_reach *r)
{
    if (*n == *cap)
        *v = sgr_arena_grow(a, *v, cap, *n + 1, sizeof **v);
    sgr_reach_copy(a, &(*v)[(*n)++], r);
}

static int cmp_index(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* only (n_only indices of g->eps, increasing; NULL: every endpoint): the
 * destinations or sources asked, for a fixed endpoint that is not a load
 * balancer. The memo's answers are exact for any of its members, so asking
 * fewer endpoints changes no answer of those asked. */
static uint32_t reach_all(sgr_graph *g, const sgr_endpoint *fixed, bool fixed_is_from, const uint32_t *only,
                          uint32_t n_only, sgr_reach **out, sgr_arena *a)
{
    const sgr_epx *f = (const sgr_epx *)fixed;
    sgr_reach *v = NULL;
    uint32_t n = 0, cap = 0;
    relay rl = {0};
    if (fixed_is_from && f->pub.kind == SGR_EP_LB) {
        /* a relay reaches only its registered targets: visit those alone, in g->eps order */
        relay_build(g, a, f, &rl);
        bool blind = false; /* a group without target health: any endpoint may be behind it */
        uint32_t n_marked = 0;
        for (uint32_t ei = 0; ei < rl.n; ei++) {
            blind |= rl.v[ei].n_missing > 0;
            n_marked += rl.v[ei].nt;
        }
        /* the targets, in g->eps order (not every endpoint: an estate has
         * thousands of load balancers) */
        uint32_t *marked = SGR_NEW_N(a, uint32_t, blind ? (g->n_eps ? g->n_eps : 1) : n_marked + 1);
        n_marked = 0;
        if (blind)
            for (uint32_t i = 0; i < g->n_eps; i++)
                marked[n_marked++] = i;
        else
            for (uint32_t ei = 0; ei < rl.n; ei++)
                for (uint32_t ti = 0; ti < rl.v[ei].nt; ti++)
                    if (rl.v[ei].tv[ti].ep->pub.index != UINT32_MAX)
                        marked[n_marked++] = rl.v[ei].tv[ti].ep->pub.index;
        qsort(marked, n_marked, sizeof *marked, cmp_index);
        /* each pair's evaluation leaves its work in a scratch arena that the
         * next pair reuses: memory stays that of the answers, not of N pairs */
        sgr_arena *work = sgr_arena_new();
        for (uint32_t m = 0; m < n_marked; m++) {
            if (m && marked[m] == marked[m - 1])
                continue;
            sgr_reach r;
            if (pair_reach(g, work, f, g->eps[marked[m]], &r, &rl))
                keep(a, &v, &n, &cap, &r);
            sgr_arena_reset(work);
        }
        /* targets that are addresses in no snapshot (ip targets on premises,
         * in a VPC not collected) are no endpoint of g->eps: after them, in
         * listener order, each once (pair_reach answers for all its entries) */
        for (uint32_t ei = 0; ei < rl.n; ei++)
            for (uint32_t ti = 0; ti < rl.v[ei].nt; ti++) {
                const sgr_epx *t = rl.v[ei].tv[ti].ep;
                bool seen = t->pub.index != UINT32_MAX;
                for (uint32_t ej = 0; ej <= ei && !seen; ej++)
                    for (uint32_t tj = 0; tj < (ej < ei ? rl.v[ej].nt : ti) && !seen; tj++)
                        seen = rl.v[ej].tv[tj].ep == t;
                sgr_reach r;
                if (!seen && pair_reach(g, work, f, t, &r, &rl))
                    keep(a, &v, &n, &cap, &r);
                sgr_arena_reset(work);
            }
        sgr_arena_free(work);
        *out = v;
        return n;
    }
    /* the internet is an endpoint like any other, but sorted first by id "internet" in g->eps */
    sgr_arena *work = sgr_arena_new();
    sgr_reach_memo memo = {0};
    if (fixed_is_from)
        sgr_reach_memo_open(g, a, f, &memo);
    for (uint32_t q = 0; q < (only ? n_only : g->n_eps); q++) {
        const sgr_epx *o = g->eps[only ? only[q] : q];
        size_t slot = 0;
        if (memo.rep && sgr_reach_memo_shareable(&memo, o)) {
            sgr_reach_key k = sgr_reach_memo_key(&memo, o);
            slot = sgr_reach_memo_slot(&memo, o, &k);
            memo.key[slot] = k;
            if (memo.rep[slot]) {
                if (memo.answer[slot] >= 0) { /* the same ports, to this endpoint */
                    if (n == cap)
                        v = sgr_arena_grow(a, v, &cap, n + 1, sizeof *v);
                    v[n] = v[memo.answer[slot]];
                    v[n++].to = &o->pub;
                }
                continue;
            }
            memo.rep[slot] = o;
            memo.answer[slot] = -1;
        }
        sgr_reach r;
        bool ok = fixed_is_from ? pair_reach(g, work, f, o, &r, rl.lb ? &rl : NULL) : pair_reach(g, work, o, f, &r, NULL);
        if (ok) {
            if (memo.rep && memo.rep[slot] == o)
                memo.answer[slot] = (int32_t)n;
            keep(a, &v, &n, &cap, &r);
        }
        sgr_arena_reset(work);
    }
    sgr_reach_memo_close(&memo);
    sgr_arena_free(work);
    *out = v;
    return n;
}

uint32_t sgr_reach_from(sgr_graph *g, const sgr_endpoint *from, sgr_reach **out, sgr_arena *scratch)
{
    return reach_all(g, from, true, NULL, 0, out, scratch);
}

uint32_t sgr_reach_from_among(sgr_graph *g, const sgr_endpoint *from, const uint32_t *only, uint32_t n_only,
                              sgr_reach **out, sgr_arena *scratch)
{
    if (from->kind != SGR_EP_LB)
        return reach_all(g, from, true, only, n_only, out, scratch);
    /* a relay's answers are its targets' (and addresses in no snapshot):
     * asked whole, those among only kept, in the same order */
    sgr_reach *all;
    uint32_t n = reach_all(g, from, true, NULL, 0, &all, scratch), k = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t idx = all[i].to ? all[i].to->index : UINT32_MAX, lo = 0, hi = n_only;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (only[mid] < idx)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n_only && only[lo] == idx && idx < g->n_eps && &g->eps[idx]->pub == all[i].to)
            all[k++] = all[i];
    }
    *out = all;
    return k;
}

uint32_t sgr_reach_to(sgr_graph *g, const sgr_endpoint *to, sgr_reach **out, sgr_arena *scratch)
{
    return reach_all(g, to, false, NULL, 0, out, scratch);
}

/* A certain "nothing" found cheaply, for one leg from side fs to side ts
 * (both inside the estate): no rule of any group of ts admits fs's address of
 * any family both have, on any protocol or port, and no group or rule of ts
 * is unknown (its ingress check blocks every leg direct_ports() evaluates);
 * or, between two VPCs and IPv4 only, a route either way certainly blocks. */
static bool ingress_shut(const sgr_side *fs, const sgr_side *ts)
{
    if (ts->no_filter || ts->groups_unknown || ts->planned)
        return false;
    const sgr_ip *peers[2] = {fs->addr4.family && ts->addr4.family ? &fs->addr4 : NULL,
                              fs->addr6.family && ts->addr6.family ? &fs->addr6 : NULL};
    for (uint32_t i = 0; i < ts->n_groups; i++) {
        const sgr_csg *c = ts->groups[i];
        if (!c->described || (c->sg && c->sg->n_unreadable_in))
            return false;
        for (uint32_t k = 0; k < c->n_in; k++) {
            if (c->in[k].unknown)
                return false;
            for (int f = 0; f < 2; f++)
                if (peers[f] && sgr_addrset_contains(&c->in[k].any_peers, peers[f]))
                    return false;
        }
    }
    return true;
}

/* route_between()'s certain blocks (engine_leg.c): no route, a blackhole, a
 * route that stays in the VPC or leaves by an internet gateway, a peering
 * that is not the one between the two VPCs. */
static bool route_blocks(const sgr_graph *g, const sgr_side *from, const sgr_side *to, const sgr_ip *dst)
{
    bool unknown;
    const sgr_route_table *rt;
    const sgr_route *r = sgr_route_lookup(g, from->subnet, dst, &unknown, &rt);
    if (unknown)
        return false;
    if (!r || r->blackhole)
        return true;
    if (r->target == SGR_RT_PEERING) {
        const sgr_peering *p = sgr_engine_peering(g, from->vpc_id, to->vpc_id);
        return !(p && r->target_id && strcmp(p->id, r->target_id) == 0);
    }
    return r->target == SGR_RT_LOCAL || r->target == SGR_RT_IGW || r->target == SGR_RT_EIGW;
}

static bool routes_shut(const sgr_graph *g, const sgr_side *fs, const sgr_side *ts)
{
    if (ts->planned || !fs->addr4.family || !ts->addr4.family || (fs->addr6.family && ts->addr6.family) ||
        !fs->vpc_id || !ts->vpc_id || strcmp(fs->vpc_id, ts->vpc_id) == 0)
        return false;
    return route_blocks(g, fs, ts, &ts->addr4) || route_blocks(g, ts, fs, &fs->addr4);
}

/* pair_reach() surely finds nothing: every leg it would evaluate (to the
 * destination, or to each node of a load balancer) is shut. Same-host
 * pairs, load balancers as sources and the outside are left to it. */
static bool pair_shut(const sgr_graph *g, const sgr_epx *from, const sgr_epx *to)
{
    const sgr_side *fs = &from->side;
    if (from == to || from->pub.kind == SGR_EP_LB || fs->external || fs->planned ||
        (from->pub.eni && from->pub.eni == to->pub.eni))
        return false;
    if (to->pub.kind != SGR_EP_LB) {
        if (to->side.external || !(ingress_shut(fs, &to->side) || routes_shut(g, fs, &to->side)))
            return false;
        /* a task's other interfaces (task_direct_ports) */
        for (uint32_t k = 0; k < to->n_ifaces; k++) {
            const sgr_side *ts = &to->ifaces[k].side;
            if (from->pub.eni != to->ifaces[k].pub.eni && !(ingress_shut(fs, ts) || routes_shut(g, fs, ts)))
                return false;
        }
        return true;
    }
    /* an interface endpoint may lead to it whatever routes join the VPCs */
    if (!to->n_nodes || sgr_privatelink_leads(g, to))
        return false;
    for (uint32_t ni = 0; ni < to->n_nodes; ni++) {
        const sgr_side *ts = &to->nodes[ni];
        if (ts->external || !(ingress_shut(fs, ts) || routes_shut(g, fs, ts)))
            return false;
    }
    return true;
}

bool sgr_reach_pair(sgr_graph *g, const sgr_endpoint *from, const sgr_endpoint *to, sgr_reach *out,
                    sgr_arena *scratch)
{
    if (pair_shut(g, (const sgr_epx *)from, (const sgr_epx *)to)) {
        memset(out, 0, sizeof *out);
        out->from = from;
        out->to = to;
        return false;
    }
    return pair_reach(g, scratch, (const sgr_epx *)from, (const sgr_epx *)to, out, NULL);
}

void sgr_reach_lb_registrations(sgr_graph *g, const sgr_endpoint *lb, const sgr_reach *targets, uint32_t n,
                                uint32_t *out, sgr_arena *scratch)
{
    enum { TAG_POS = 0x5201, TAG_SIG };
    const sgr_epx *lbx = (const sgr_epx *)lb;
    relay rl;
    relay_build(g, scratch, lbx, &rl);
    sgr_strmap *pos = sgr_strmap_new(scratch);
    const char **sig = SGR_NEW_N(scratch, const char *, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        sig[i] = "";
        if (targets[i].to)
            sgr_strmap_put(pos, TAG_POS, targets[i].to->id, (void *)(uintptr_t)(i + 1));
    }
    /* what a path to a target reads of the relay: per listener entry, the
     * registrations of that target (sgr_path_via_lb, pair_reach) */
    for (uint32_t ei = 0; ei < rl.n; ei++)
        for (uint32_t ti = 0; ti < rl.v[ei].nt; ti++) {
            const sgr_target_ep *te = &rl.v[ei].tv[ti];
            uintptr_t k = (uintptr_t)sgr_strmap_get(pos, TAG_POS, te->ep->pub.id);
            if (!k || targets[k - 1].to != &te->ep->pub)
                continue;
            sig[k - 1] = sgr_arena_printf(scratch, "%se%u:%d-%d:%d:%p:%d;", sig[k - 1], ei, te->port, te->port_hi,
                                          (int)te->forall, (const void *)te->tgp, te->unsure != NULL);
        }
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t ei = 0; ei < rl.n && targets[i].to; ei++)
            if (rl.v[ei].n_missing)
                sig[i] = sgr_arena_printf(scratch, "%su%u:%p;", sig[i], ei,
                                          rl.v[ei].l ? (const void *)sgr_lb_unknown_tg(g, lbx->pub.lb, rl.v[ei].l,
                                                                                       (const sgr_epx *)targets[i].to)
                                                     : (const void *)(uintptr_t)sgr_classic_may_target(
                                                           lbx->pub.lb, (const sgr_epx *)targets[i].to));
    sgr_strmap *ids = sgr_strmap_new(scratch);
    uintptr_t next = 1;
    for (uint32_t i = 0; i < n; i++) {
        uintptr_t id = (uintptr_t)sgr_strmap_get(ids, TAG_SIG, sig[i]);
        if (!id) {
            id = next++;
            sgr_strmap_put(ids, TAG_SIG, sig[i], (void *)id);
        }
        out[i] = (uint32_t)id;
    }
}
