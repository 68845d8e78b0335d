/*
 * Exposure: what the sources (the internet by default) reach in one hop,
 * grouped by service, with how each endpoint is reached, the rules that open
 * the path (exposure_rules.c), and flags for the exposures users do not
 * intend.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/addrset.h"
#include "graph/blast.h"
#include "graph/served_ports.h"
#include "graph/strmap.h"
#include "queries/admin_ports.h"
#include "sgreach/snapshot.h"

enum { TAG_ITEM = 0x4558, TAG_GROUP, TAG_NLB_HOST };

const char *sgr_exp_how_name(sgr_exp_how h)
{
    static const char *const names[] = {"public-address", "alb", "nlb", "clb", "load-balancer", "private"};
    return names[h];
}

typedef struct flags_buf {
    sgr_exp_flag *items;
    uint32_t n, cap;
} flags_buf;

static void add_flag(sgr_arena *a, flags_buf *f, const char *code, const char *component, const sgr_origin *o,
                     const char *reason)
{
    if (f->n == f->cap)
        f->items = sgr_arena_grow(a, f->items, &f->cap, f->n + 1, sizeof *f->items);
    sgr_exp_flag *x = &f->items[f->n++];
    x->code = code;
    x->component = component;
    x->reason = reason;
    if (o)
        x->origin = *o;
}

/* The interface whose groups filter traffic to the endpoint. */
static const sgr_eni *carrier(const sgr_endpoint *ep)
{
    if (ep->eni)
        return ep->eni;
    if (ep->instance)
        return ep->instance->primary_eni;
    return NULL;
}

/* Does the set hold a port of proto within [lo, hi]? */
static bool ports_meet(const sgr_proto_ports *p, uint32_t n, int32_t proto, int32_t lo, int32_t hi)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i].protocol == SGR_PROTO_ALL || (p[i].protocol == proto && p[i].n_ranges == 0))
            return true;
        if (p[i].protocol != proto)
            continue;
        for (uint32_t k = 0; k < p[i].n_ranges; k++)
            if (p[i].ranges[k].lo <= hi && p[i].ranges[k].hi >= lo)
                return true;
    }
    return false;
}

/* Rules of the carrier's groups that admit the world (a /0 CIDR) on a port
 * of `ports`; calls back for each admin port they open. */
/* The carrier, then (a bridge or host task) the host's other interfaces it
 * is reached on: every interface whose groups filter traffic to it. */
static const sgr_eni **carriers(sgr_arena *a, const sgr_endpoint *ep, const sgr_eni *eni, uint32_t *n)
{
    const sgr_eni **v = SGR_NEW_N(a, const sgr_eni *, ep->n_also_enis + 1);
    *n = 0;
    if (eni)
        v[(*n)++] = eni;
    for (uint32_t k = 0; k < ep->n_also_enis; k++)
        v[(*n)++] = ep->also_enis[k];
    return v;
}

static void world_rules(sgr_arena *a, const sgr_eni *const *enis, uint32_t n_enis, const sgr_proto_ports *ports,
                        uint32_t n_ports, flags_buf *f, bool admin_only, const char *code, const char *why)
{
    for (uint32_t ei = 0; ei < n_enis; ei++) {
        for (uint32_t gi = 0; gi < enis[ei]->group_ids.count; gi++) {
            const sgr_eni *eni = enis[ei];
            const sgr_sg *sg = eni->groups ? eni->groups[gi] : NULL;
            bool seen = false; /* a group on several interfaces: once */
            for (uint32_t j = 0; j < ei && !seen; j++)
                seen = sgr_eni_has_group(enis[j], eni->group_ids.items[gi]);
            if (!sg || seen)
                continue;
            for (uint32_t ri = 0; ri < sg->n_rules; ri++) {
                const sgr_sg_rule *r = &sg->rules[ri];
                if (r->egress || r->peer_kind != SGR_PEER_CIDR || r->cidr.len != 0 || r->cidr.ip.family == 0)
                    continue;
                if (r->protocol != SGR_PROTO_TCP && r->protocol != SGR_PROTO_ALL && !(!admin_only && r->protocol == SGR_PROTO_UDP))
                    continue;
                int32_t lo = r->protocol == SGR_PROTO_ALL || r->from_port < 0 ? 0 : r->from_port;
                int32_t hi = r->protocol == SGR_PROTO_ALL || r->to_port < 0 ? 65535 : r->to_port;
                const char *world = r->cidr.ip.family == SGR_AF_INET ? "0.0.0.0/0" : "::/0";
                if (admin_only) {
                    /* one flag per rule, naming every admin port it opens that is reached */
                    char list[512];
                    size_t used = 0;
                    int hits = 0;
                    list[0] = '\0';
                    size_t n_admin;
                    const sgr_admin_port *admin = sgr_admin_ports(&n_admin);
                    for (size_t k = 0; k < n_admin; k++) {
                        int32_t p = admin[k].port;
                        if (p < lo || p > hi || !sgr_ports_has(ports, n_ports, SGR_PROTO_TCP, p))
                            continue;
                        if (used + 40 < sizeof list)
                            used += (size_t)snprintf(list + used, sizeof list - used, "%stcp/%d (%s)", hits ? ", " : "",
                                                     (int)p, admin[k].name);
                        hits++;
                    }
                    if (hits)
                        add_flag(a, f, code, sg->id, &r->origin,
                                 sgr_arena_printf(a, "%s allows %s from %s", sg->id, list, world));
                    continue;
                }
                int32_t proto = r->protocol == SGR_PROTO_UDP ? SGR_PROTO_UDP : SGR_PROTO_TCP;
                if (ports_meet(ports, n_ports, proto, lo, hi)) {
                    add_flag(a, f, code, sg->id, &r->origin,
                             sgr_arena_printf(a, "%s: %s allows %s/%d-%d from %s", why, sg->id,
                                              proto == SGR_PROTO_UDP ? "udp" : "tcp", lo, hi, world));
                    return;
                }
            }
        }
    }
}

/* Instances registered in a target group of an NLB without security groups:
 * their groups must admit the clients' addresses themselves. */
/* Instances registered behind a network load balancer, with the first such
 * LB. An NLB shows instance targets the client's address (always), so their
 * groups get opened to the world "for the NLB" — with or without groups on
 * the NLB (with groups, a reference to the NLB's group would have done). */
static sgr_strmap *nlb_hosts(const sgr_snapshot *snap, sgr_arena *a)
{
    sgr_strmap *m = sgr_strmap_new(a);
    for (uint32_t i = 0; i < snap->n_target_groups; i++) {
        const sgr_target_group *tg = snap->target_groups[i];
        const sgr_lb *nlb = NULL;
        for (uint32_t k = 0; k < tg->n_lbs && !nlb; k++)
            if (tg->lbs[k] && tg->lbs[k]->type == SGR_LB_NETWORK)
                nlb = tg->lbs[k];
        if (!nlb)
            continue;
        for (uint32_t k = 0; k < tg->n_targets; k++)
            if (tg->targets[k].instance && !sgr_strmap_get(m, TAG_NLB_HOST, tg->targets[k].instance->id))
                sgr_strmap_put(m, TAG_NLB_HOST, tg->targets[k].instance->id, (void *)nlb);
    }
    return m;
}

static sgr_exp_how lb_how(const sgr_lb *lb)
{
    if (!lb)
        return SGR_HOW_LB;
    switch (lb->type) {
    case SGR_LB_APPLICATION: return SGR_HOW_ALB;
    case SGR_LB_NETWORK: return SGR_HOW_NLB;
    case SGR_LB_CLASSIC: return SGR_HOW_CLB;
    default: return SGR_HOW_LB;
    }
}

/* Whether a source is outside every VPC of the snapshot (the internet, or an
 * address no VPC holds): it comes in at public addresses, not by a private
 * route. */
static bool from_outside(const sgr_snapshot *snap, const sgr_endpoint *src)
{
    if (src->kind == SGR_EP_INTERNET)
        return true;
    if (src->kind != SGR_EP_CIDR)
        return false;
    for (uint32_t i = 0; i < snap->n_vpcs; i++)
        for (uint32_t k = 0; k < snap->vpcs[i]->n_cidrs; k++)
            if (sgr_prefix_contains(&snap->vpcs[i]->cidrs[k], &src->cidr.ip))
                return false;
    return true;
}

static sgr_exp_how how_of(const sgr_snapshot *snap, const char *via, bool from_internet, const char **lb_name,
                          sgr_arena *a)
{
    *lb_name = NULL;
    if (via && strncmp(via, "lb:", 3) == 0) {
        *lb_name = via + 3;
        return lb_how(sgr_snapshot_find(snap, SGR_KIND_LB, sgr_arena_printf(a, "name:%s", via + 3)));
    }
    return from_internet ? SGR_HOW_PUBLIC_ADDRESS : SGR_HOW_PRIVATE;
}

static void group_of(const sgr_endpoint *ep, sgr_arena *a, const char **key, const char **kind, const char **name)
{
    *name = ep->name ? ep->name : ep->id;
    switch (ep->kind) {
    case SGR_EP_TASK:
        if (ep->service) {
            *key = sgr_arena_printf(a, "service:%s", ep->service);
            *kind = "ecs-service";
            *name = ep->service;
        } else {
            *key = sgr_arena_printf(a, "task:%s", ep->id);
            *kind = "task";
        }
        return;
    case SGR_EP_LB:
        *key = sgr_arena_printf(a, "lb:%s", ep->lb && ep->lb->name ? ep->lb->name : ep->id);
        *kind = "load-balancer";
        return;
    case SGR_EP_DB:
        *key = sgr_arena_printf(a, "db:%s", ep->id);
        *kind = "database";
        return;
    default:
        break;
    }
    if (ep->instance) {
        *key = sgr_arena_printf(a, "instance:%s", ep->instance->id);
        *kind = "instance";
    } else if (ep->eni && ep->eni->owner_kind == SGR_ENI_OWNER_RDS) {
        *key = sgr_arena_printf(a, "database:%s", ep->id);
        *kind = "database";
    } else {
        *key = sgr_arena_printf(a, "eni:%s", ep->id);
        *kind = "interface";
    }
}

static void explain(const sgr_snapshot *snap, const sgr_addrset *internet, sgr_arena *a, sgr_exp_item *it)
{
    sgr_rule_ref *rules;
    uint32_t n;
    sgr_exposure_rules(snap, it->source, it->ep, it->via, it->ports, it->n_ports, internet, a, &rules, &n);
    it->rules = rules;
    it->n_rules = n;
}

static int cmp_item(const void *x, const void *y)
{
    const sgr_exp_item *a = x, *b = y;
    int c = strcmp(a->ep->id, b->ep->id);
    return c ? c : strcmp(a->via ? a->via : "", b->via ? b->via : "");
}

static int cmp_group(const void *x, const void *y)
{
    return strcmp(((const sgr_exp_group *)x)->key, ((const sgr_exp_group *)y)->key);
}

typedef struct gbuild {
    sgr_exp_group g;
    uint32_t cap;
} gbuild;

typedef struct slot {
    gbuild *gb;
    uint32_t idx;
} slot;

typedef struct collect {
    sgr_arena *a, *work;
    const sgr_snapshot *snap;
    sgr_strmap *items, *groups;
    gbuild **gl;
    uint32_t n_gl, cap_gl;
} collect;

/* Adds (or merges into) the item for ep reached from src by the way `via`. */
static sgr_exp_item *add_item(collect *c, const sgr_endpoint *src, const sgr_endpoint *ep, const char *via,
                              sgr_verdict v, const sgr_proto_ports *ports, uint32_t n_ports)
{
    sgr_arena *a = c->a;
    sgr_proto_ports *served;
    uint32_t n_served;
    if (sgr_task_served(ep, via, c->work, &served, &n_served)) {
        ports = sgr_ports_intersect(ports, n_ports, served, n_served, c->work, &n_ports);
        if (n_ports == 0)
            return NULL; /* the host admits it, but the task publishes none of those ports */
    }
    const char *ikey = sgr_arena_printf(c->work, "%s|%s", ep->id, via);
    const slot *sl = sgr_strmap_get(c->items, TAG_ITEM, ikey);
    if (sl) { /* a second source, or a second reach entry: merge */
        sgr_exp_item *it = &sl->gb->g.items[sl->idx];
        it->ports = sgr_ports_union(it->ports, it->n_ports, ports, n_ports, a, &it->n_ports);
        if (v == SGR_REACHABLE)
            it->verdict = SGR_REACHABLE;
        return it;
    }
    const char *gkey, *gkind, *gname;
    group_of(ep, a, &gkey, &gkind, &gname);
    gbuild *gb = sgr_strmap_get(c->groups, TAG_GROUP, gkey);
    if (!gb) {
        gb = SGR_NEW(c->work, gbuild);
        gb->g.key = gkey;
        gb->g.kind = gkind;
        gb->g.name = gname;
        sgr_strmap_put(c->groups, TAG_GROUP, gkey, gb);
        if (c->n_gl == c->cap_gl)
            c->gl = sgr_arena_grow(c->work, c->gl, &c->cap_gl, c->n_gl + 1, sizeof *c->gl);
        c->gl[c->n_gl++] = gb;
    }
    if (gb->g.n_items == gb->cap)
        gb->g.items = sgr_arena_grow(a, gb->g.items, &gb->cap, gb->g.n_items + 1, sizeof *gb->g.items);
    sgr_exp_item *it = &gb->g.items[gb->g.n_items++];
    memset(it, 0, sizeof *it);
    it->ep = ep;
    it->source = src;
    it->verdict = v;
    it->ports = sgr_ports_union(ports, n_ports, NULL, 0, a, &it->n_ports);
    it->via = sgr_arena_strdup(a, via);
    bool outside = from_outside(c->snap, src);
    it->how = ep->kind == SGR_EP_LB ? (outside ? SGR_HOW_PUBLIC_ADDRESS : SGR_HOW_PRIVATE)
                                    : how_of(c->snap, it->via, outside, &it->lb_name, a);
    /* items move when the group's array grows: index them by position */
    slot *ns = SGR_NEW(c->work, slot);
    ns->gb = gb;
    ns->idx = gb->g.n_items - 1;
    sgr_strmap_put(c->items, TAG_ITEM, ikey, ns);
    return it;
}

/* A bridge task reached on its host's interface is listed on the ports it
 * serves (its container ports, as `can --port` takes them), with the host
 * ports the packets are sent to beside them. Rules and flags, found before,
 * speak of the host ports the groups open. */
static void serve_view(sgr_arena *a, sgr_exp_item *it)
{
    sgr_proto_ports *served, *host;
    uint32_t n_served, n_host;
    if (!sgr_served_view(a, it->ep, it->via, false, it->ports, it->n_ports, &served, &n_served, &host, &n_host))
        return;
    it->host_ports = host;
    it->n_host_ports = n_host;
    it->ports = served;
    it->n_ports = n_served;
}

void sgr_exposure_run(sgr_graph *g, const sgr_snapshot *snap, const sgr_endpoint *const *src, uint32_t n_src,
                      sgr_arena *a, sgr_exposure *out)
{
    memset(out, 0, sizeof *out);
    sgr_arena *work = sgr_arena_new();
    collect c = {.a = a, .work = work, .snap = snap};
    c.items = sgr_strmap_new(work);
    c.groups = sgr_strmap_new(work);
    sgr_strmap *open_nlb = nlb_hosts(snap, work);
    sgr_strmap *vmemo = sgr_strmap_new(work);
    for (uint32_t s = 0; s < n_src; s++) {
        sgr_reach *rs = NULL;
        uint32_t n = sgr_reach_from(g, src[s], &rs, work);
        for (uint32_t i = 0; i < n; i++) {
            const sgr_endpoint *ep = rs[i].to;
            if (!ep || rs[i].verdict == SGR_UNREACHABLE || ep->kind == SGR_EP_INTERNET || ep->kind == SGR_EP_CIDR)
                continue;
            add_item(&c, src[s], ep, rs[i].via ? rs[i].via : "direct", rs[i].verdict, rs[i].ports, rs[i].n_ports);
            if (ep->kind != SGR_EP_LB || src[s]->kind == SGR_EP_LB)
                continue;
            /* through the load balancer: its registered targets */
            sgr_reach *ts = NULL;
            uint32_t nt = sgr_reach_from(g, ep, &ts, work);
            uint32_t *reg = SGR_NEW_N(work, uint32_t, nt ? nt : 1);
            sgr_reach_lb_registrations(g, ep, ts, nt, reg, work);
            for (uint32_t k = 0; k < nt; k++) {
                const sgr_endpoint *t = ts[k].to;
                if (!t || ts[k].verdict == SGR_UNREACHABLE || t->kind == SGR_EP_LB || t->kind == SGR_EP_INTERNET ||
                    t->kind == SGR_EP_CIDR || t == src[s])
                    continue;
                sgr_verdict v = rs[i].verdict == SGR_REACHABLE ? ts[k].verdict : SGR_UNKNOWN;
                const sgr_proto_ports *tp = ts[k].ports;
                uint32_t ntp = ts[k].n_ports;
                sgr_proto_ports *vp;
                uint32_t nvp;
                sgr_verdict vv;
                /* A proxy (ALB, classic ELB) opens a new flow from its own nodes:
                 * the relay's hop is exact. Only a transparent LB (NLB, gateway)
                 * may show the target the client: ask `can` from the source. */
                bool proxy = ep->lb && (ep->lb->type == SGR_LB_APPLICATION || ep->lb->type == SGR_LB_CLASSIC);
                /* verdicts are kept per (client, LB, interface, registration, port) in vmemo */
                bool checked = false;
                if (!proxy) {
                    sgr_arena *vs = sgr_arena_new();
                    checked = sgr_lb_hop_verify(g, src[s], &ts[k], work, vs, vmemo, NULL, reg[k], &vv, &vp, &nvp);
                    sgr_arena_free(vs);
                }
                if (checked) {
                    if (vv == SGR_UNREACHABLE)
                        continue;
                    v = rs[i].verdict == SGR_REACHABLE ? vv : SGR_UNKNOWN;
                    tp = vp;
                    ntp = nvp;
                }
                const char *via = ts[k].via ? ts[k].via : sgr_arena_printf(work, "lb:%s", ep->id);
                add_item(&c, src[s], t, via, v, tp, ntp);
            }
        }
    }
    gbuild **gl = c.gl;
    uint32_t n_gl = c.n_gl;
    /* Second pass, arrays now stable: rules and flags. */
    sgr_addrset internet = sgr_addrset_internet(work);
    out->groups = SGR_NEW_N(a, sgr_exp_group, n_gl ? n_gl : 1);
    for (uint32_t i = 0; i < n_gl; i++) {
        sgr_exp_group *grp = &gl[i]->g;
        qsort(grp->items, grp->n_items, sizeof *grp->items, cmp_item);
        for (uint32_t k = 0; k < grp->n_items; k++) {
            sgr_exp_item *it = &grp->items[k];
            explain(snap, &internet, a, it);
            flags_buf f = {0};
            bool direct = it->lb_name == NULL;
            const sgr_eni *eni = carrier(it->ep);
            uint32_t n_all;
            const sgr_eni **all = carriers(a, it->ep, eni, &n_all);
            if (direct)
                world_rules(a, all, n_all, it->ports, it->n_ports, &f, true, "open-admin-port", NULL);
            if (direct && it->ep->kind == SGR_EP_TASK && it->ep->mode == SGR_NET_HOST &&
                it->source->kind == SGR_EP_INTERNET)
                world_rules(a, all, n_all, it->ports, it->n_ports, &f, false, "host-mode-public",
                            "a host-mode task answers on its public instance's address");
            const sgr_lb *nlb = direct && it->ep->kind == SGR_EP_TASK &&
                                        (it->ep->mode == SGR_NET_BRIDGE || it->ep->mode == SGR_NET_DEFAULT) &&
                                        it->ep->instance
                                    ? sgr_strmap_get(open_nlb, TAG_NLB_HOST, it->ep->instance->id)
                                    : NULL;
            if (nlb)
                world_rules(a, all, eni ? 1 : 0, it->ports, it->n_ports, &f, false, "bridge-host-opened-for-nlb",
                            nlb->group_ids.count
                                ? sgr_arena_printf(a, "the host is a target of network load balancer %s, which shows it "
                                                      "the client's address; its group was opened to the world instead "
                                                      "of to the load balancer's group, and that opens every bridge task "
                                                      "on the host", nlb->name ? nlb->name : nlb->arn)
                                : sgr_arena_printf(a, "the host's group was opened for network load balancer %s (no "
                                                      "groups: it shows the host the client's address), and that opens "
                                                      "every bridge task on the host", nlb->name ? nlb->name : nlb->arn));
            it->flags = f.items;
            it->n_flags = f.n;
            serve_view(a, it);
            grp->n_flags += f.n;
            out->n_flags += f.n;
        }
        out->n_items += grp->n_items;
        out->groups[out->n_groups++] = *grp;
    }
    qsort(out->groups, out->n_groups, sizeof *out->groups, cmp_group);
    sgr_arena_free(work);
}
