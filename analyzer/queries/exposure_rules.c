/*
 * The rules that open an exposure, read from the model: the ingress rules of
 * the groups in front of the endpoint that admit the source on a port it is
 * reached on; through a load balancer, the LB's rules that admit the source
 * and the target's rules that admit the LB (or, through a transparent NLB,
 * the client). Reachability itself comes from the engine; this only names
 * the rules, so it costs one pass over a few groups per endpoint instead of a
 * `can` question each.
 */
#include <string.h>

#include "graph/blast.h"
#include "graph/addrset.h"
#include "queries/findings.h"
#include "sgreach/snapshot.h"

/* Who the rule must admit. */
typedef struct peer {
    const sgr_addrset *internet; /* the internet's addresses, when it is the source */
    sgr_arena *a;
    const sgr_prefix *cidr;     /* a user-given CIDR */
    const sgr_eni *eni;         /* an estate endpoint's interface (address and groups) */
    const sgr_strs *groups;     /* groups it carries (an LB's) */
    const sgr_ip *addrs;        /* its addresses (an LB's node addresses) */
    uint32_t n_addrs;
} peer;

static bool groups_have(const sgr_strs *g, const char *id)
{
    for (uint32_t i = 0; g && id && i < g->count; i++)
        if (strcmp(g->items[i], id) == 0)
            return true;
    return false;
}

static bool prefix_admits(const sgr_prefix *p, const peer *who)
{
    if (who->internet) { /* some internet address (not a private or documentation one) */
        sgr_addrset set = sgr_addrset_prefix(who->a, p);
        return sgr_addrset_overlaps(who->internet, &set);
    }
    if (who->cidr)
        return sgr_prefix_contains(p, &who->cidr->ip) || sgr_prefix_contains(who->cidr, &p->ip);
    if (who->eni)
        for (uint32_t i = 0; i < who->eni->n_private_ips; i++)
            if (sgr_prefix_contains(p, &who->eni->private_ips[i]))
                return true;
    for (uint32_t i = 0; i < who->n_addrs; i++)
        if (sgr_prefix_contains(p, &who->addrs[i]))
            return true;
    return false;
}

static bool rule_admits(const sgr_sg_rule *r, const peer *who)
{
    switch (r->peer_kind) {
    case SGR_PEER_CIDR:
        return prefix_admits(&r->cidr, who);
    case SGR_PEER_PREFIX_LIST:
        if (!r->prefix_list || !r->prefix_list->entries_known)
            return false;
        for (uint32_t i = 0; i < r->prefix_list->n_entries; i++)
            if (prefix_admits(&r->prefix_list->entries[i], who))
                return true;
        return false;
    case SGR_PEER_GROUP:
        /* a reference never matches the internet or a public address */
        return (who->eni && groups_have(&who->eni->group_ids, r->group_id)) || groups_have(who->groups, r->group_id);
    }
    return false;
}

/* Does the rule open a port of the set? */
static bool rule_ports(const sgr_sg_rule *r, const sgr_proto_ports *ports, uint32_t n)
{
    if (r->protocol == SGR_PROTO_ALL)
        return true;
    for (uint32_t i = 0; i < n; i++) {
        if (ports[i].protocol == SGR_PROTO_ALL)
            return true;
        if (ports[i].protocol != r->protocol)
            continue;
        if (ports[i].n_ranges == 0 || r->from_port < 0)
            return true;
        int32_t lo = r->from_port, hi = r->to_port < 0 ? 65535 : r->to_port;
        if (r->protocol == SGR_PROTO_ICMP || r->protocol == SGR_PROTO_ICMPV6)
            hi = lo; /* FromPort is the ICMP type */
        for (uint32_t k = 0; k < ports[i].n_ranges; k++)
            if (ports[i].ranges[k].lo <= hi && ports[i].ranges[k].hi >= lo)
                return true;
    }
    return false;
}

typedef struct rbuf {
    sgr_rule_ref *v;
    uint32_t n, cap;
} rbuf;

static void push(sgr_arena *a, rbuf *b, const char *component, const char *text, const sgr_origin *o)
{
    if (b->n == b->cap)
        b->v = sgr_arena_grow(a, b->v, &b->cap, b->n + 1, sizeof *b->v);
    sgr_rule_ref *r = &b->v[b->n++];
    memset(r, 0, sizeof *r);
    r->component = component;
    r->direction = "ingress";
    r->text = text;
    if (o)
        r->origin = *o;
}

static void group_rules(sgr_arena *a, rbuf *b, sgr_sg *const *groups, uint32_t n_groups, const peer *who,
                        const sgr_proto_ports *ports, uint32_t n_ports)
{
    for (uint32_t gi = 0; gi < n_groups; gi++) {
        const sgr_sg *sg = groups[gi];
        if (!sg)
            continue;
        for (uint32_t ri = 0; ri < sg->n_rules; ri++) {
            const sgr_sg_rule *r = &sg->rules[ri];
            if (!r->egress && rule_ports(r, ports, n_ports) && rule_admits(r, who))
                push(a, b, sg->id, sgr_frule_text(a, r), &r->origin);
        }
    }
}

bool sgr_eni_has_group(const sgr_eni *e, const char *id)
{
    for (uint32_t i = 0; e && i < e->group_ids.count; i++)
        if (strcmp(e->group_ids.items[i], id) == 0)
            return true;
    return false;
}

/* The rules of e's groups, then (a bridge or host task) of the host's other
 * interfaces it is reached on, each group once. */
static void iface_rules(sgr_arena *a, rbuf *b, const sgr_endpoint *ep, const sgr_eni *e, const peer *who,
                        const sgr_proto_ports *ports, uint32_t n_ports)
{
    if (e && e->groups)
        group_rules(a, b, e->groups, e->group_ids.count, who, ports, n_ports);
    for (uint32_t k = 0; k < ep->n_also_enis; k++) { /* a group an earlier interface carries: listed already */
        const sgr_eni *o = ep->also_enis[k];
        for (uint32_t gi = 0; o->groups && gi < o->group_ids.count; gi++) {
            bool seen = sgr_eni_has_group(e, o->group_ids.items[gi]);
            for (uint32_t j = 0; j < k && !seen; j++)
                seen = sgr_eni_has_group(ep->also_enis[j], o->group_ids.items[gi]);
            if (!seen)
                group_rules(a, b, &o->groups[gi], 1, who, ports, n_ports);
        }
    }
}

/* The LB's listener ports, as a port set. */
static sgr_proto_ports *listener_ports(const sgr_lb *lb, sgr_arena *a, uint32_t *n)
{
    *n = 0;
    sgr_proto_ports *out = NULL;
    for (uint32_t i = 0; i < lb->n_listeners; i++) {
        const sgr_listener *l = lb->listeners[i];
        if (l->port <= 0)
            continue;
        sgr_proto_ports one = {l->protocol ? l->protocol : SGR_PROTO_TCP, &(sgr_portrange){l->port, l->port}, 1};
        out = sgr_ports_union(out, *n, &one, 1, a, n);
    }
    for (uint32_t i = 0; i < lb->n_classic_listeners; i++) {
        int32_t p = lb->classic_listeners[i].lb_port;
        sgr_proto_ports one = {SGR_PROTO_TCP, &(sgr_portrange){p, p}, 1};
        out = sgr_ports_union(out, *n, &one, 1, a, n);
    }
    return out;
}

/* Rules in front of a load balancer for `who`. */
static void lb_rules(sgr_arena *a, rbuf *b, const sgr_lb *lb, const peer *who)
{
    if (lb->group_ids.count == 0) {
        push(a, b, lb->name ? lb->name : lb->arn, "no security groups: a load balancer without groups filters nothing",
             &lb->origin);
        return;
    }
    uint32_t np;
    sgr_proto_ports *ports = listener_ports(lb, a, &np);
    if (!np) {
        static sgr_proto_ports all = {SGR_PROTO_ALL, NULL, 0};
        ports = &all;
        np = 1;
    }
    group_rules(a, b, lb->groups, lb->group_ids.count, who, ports, np);
}

void sgr_exposure_rules(const sgr_snapshot *snap, const sgr_endpoint *src, const sgr_endpoint *ep, const char *via,
                        const sgr_proto_ports *ports, uint32_t n_ports, const sgr_addrset *internet, sgr_arena *a,
                        sgr_rule_ref **out, uint32_t *n_out)
{
    rbuf b = {0};
    peer who = {0};
    who.internet = src->kind == SGR_EP_INTERNET ? internet : NULL;
    who.a = a;
    if (src->kind == SGR_EP_CIDR)
        who.cidr = &src->cidr;
    else if (src->eni)
        who.eni = src->eni;
    else if (src->instance)
        who.eni = src->instance->primary_eni;
    const sgr_lb *lb = NULL;
    if (via && strncmp(via, "lb:", 3) == 0)
        lb = sgr_snapshot_find(snap, SGR_KIND_LB, sgr_arena_printf(a, "name:%s", via + 3));
    if (ep->kind == SGR_EP_LB && ep->lb) {
        lb_rules(a, &b, ep->lb, &who);
    } else {
        const sgr_eni *e = ep->eni ? ep->eni : ep->instance ? ep->instance->primary_eni : NULL;
        if (lb) {
            lb_rules(a, &b, lb, &who);
            /* the target sees the LB (its groups and node addresses), or the
             * client itself through a transparent NLB */
            peer via_lb = {0};
            via_lb.a = a;
            via_lb.groups = &lb->group_ids;
            sgr_ip *addrs = SGR_NEW_N(a, sgr_ip, lb->n_enis + 1);
            for (uint32_t i = 0; i < lb->n_enis; i++)
                if (lb->enis[i] && lb->enis[i]->n_private_ips)
                    addrs[via_lb.n_addrs++] = lb->enis[i]->private_ips[0];
            via_lb.addrs = addrs;
            uint32_t before = b.n;
            if (e && e->groups)
                group_rules(a, &b, e->groups, e->group_ids.count, &via_lb, ports, n_ports);
            if (b.n == before && lb->type == SGR_LB_NETWORK && e && e->groups)
                group_rules(a, &b, e->groups, e->group_ids.count, &who, ports, n_ports);
        } else {
            iface_rules(a, &b, ep, e, &who, ports, n_ports);
        }
    }
    *out = b.v;
    *n_out = b.n;
}
