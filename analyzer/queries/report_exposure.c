/*
 * The exposure section: everything the internet reaches in one hop, what the
 * exposed load balancers forward to, each with its way in, its ports as the
 * target serves them, and the rules that decide it (docs/report.md).
 */
#include "queries/report_int.h"

#include <stdlib.h>
#include <string.h>

#include "graph/strmap.h"
#include "graph/portspace.h"
#include "graph/served_ports.h"


static int32_t first_port(const sgr_reach *r, int32_t *proto)
{
    for (uint32_t i = 0; i < r->n_ports; i++) {
        *proto = r->ports[i].protocol;
        if (r->ports[i].n_ranges)
            return r->ports[i].ranges[0].lo;
        return -1;
    }
    *proto = -1;
    return -1;
}

static int cmp_exposure(const void *pa, const void *pb)
{
    const sgr_rep_exposure *a = pa, *b = pb;
    int d = strcmp(a->vpc ? a->vpc : "", b->vpc ? b->vpc : "");
    if (!d)
        d = strcmp(a->target, b->target);
    if (!d)
        d = strcmp(a->way_in, b->way_in);
    return d ? d : strcmp(a->ports, b->ports);
}

/* Whether a rule may be the load balancer's own: anything but a rule of a
 * security group that is not one of its groups (a listener, the note on an
 * NLB without groups, its groups' rules). The engine's answer for a load
 * balancer goes on to a target, whose group's rules are the target's, cited
 * on the target's own row. */
static bool lb_own_rule(const sgr_lb *lb, const sgr_rule_ref *rr)
{
    if (!rr->component || strncmp(rr->component, "sg-", 3) != 0)
        return true;
    for (uint32_t i = 0; i < lb->group_ids.count; i++) {
        size_t n = strlen(lb->group_ids.items[i]);
        if (strncmp(rr->component, lb->group_ids.items[i], n) == 0 && (!rr->component[n] || rr->component[n] == ' '))
            return true;
    }
    return false;
}

/* The rules that allow from → to on the reach's first port (ingress and listener
 * rules: the egress side of the internet is no rule of the estate). */
static void deciding_rules(sgr_rctx *c, const sgr_endpoint *from, const sgr_reach *r, sgr_rep_exposure *e,
                           int32_t proto, int32_t port)
{
    sgr_query q = {.from = from, .to = r->to, .protocol = proto, .port = port};
    if (proto == -2)
        q.port = first_port(r, &q.protocol);
    sgr_answer ans;
    memset(&ans, 0, sizeof ans);
    /* The answer (path, explanations) lives in scratch; only the rules are copied out. */
    sgr_arena *scratch = sgr_arena_new();
    sgr_can(c->g, &q, &ans, scratch);
    if (ans.n_allowed == 0 && q.port >= 0) {
        /* A bridge task's reach is in host ports, its questions in container ports: ask for any port. */
        q.port = -1;
        memset(&ans, 0, sizeof ans);
        sgr_can(c->g, &q, &ans, scratch);
    }
    sgr_rep_rule *rules = SGR_NEW_N(c->a, sgr_rep_rule, e->n_rules + ans.n_allowed + 1);
    if (e->n_rules)
        memcpy(rules, e->rules, e->n_rules * sizeof *rules);
    for (uint32_t k = 0; k < ans.n_allowed; k++) {
        const sgr_rule_ref *rr = &ans.allowed_by[k];
        if (rr->direction && strcmp(rr->direction, "ingress") != 0 && strcmp(rr->direction, "listener") != 0)
            continue;
        if (r->to && r->to->kind == SGR_EP_LB && r->to->lb && !lb_own_rule(r->to->lb, rr))
            continue;
        bool dup = false;
        for (uint32_t j = 0; j < e->n_rules; j++)
            dup = dup || (strcmp(rules[j].text ? rules[j].text : "", rr->text ? rr->text : "") == 0 &&
                          strcmp(rules[j].component ? rules[j].component : "", rr->component ? rr->component : "") == 0);
        if (!dup)
            rules[e->n_rules++] = (sgr_rep_rule){sgr_arena_strdup(c->a, rr->component), sgr_arena_strdup(c->a, rr->text),
                                                 sgr_arena_strdup(c->a, rr->origin.file), rr->origin.line};
    }
    sgr_arena_free(scratch);
    e->rules = rules;
}

/* The ports as the target serves them (a bridge task's container ports, not its
 * host's), and the first of them for asking the engine. NULL when the reach
 * touches none of the task's ports (the host is exposed, not the task). */
static const char *served_text(sgr_rctx *c, const sgr_reach *rs, bool *possible_only, int32_t *proto, int32_t *port)
{
    *possible_only = false;
    if (rs->to->kind != SGR_EP_TASK)
        return NULL;
    sgr_portset possible;
    sgr_portset served = sgr_reach_served_ports(c->a, rs, &possible);
    served = sgr_rep_host_declared(c->a, rs->to, &served);
    if (sgr_portset_empty(&served)) {
        if (sgr_portset_empty(&possible))
            return "";
        served = possible;
        *possible_only = true;
    }
    /* Ask about a TCP port when there is one (ICMP sorts first but says less). */
    uint32_t code = served.iv[0].lo;
    for (uint32_t i = 0; i < served.n; i++)
        if ((served.iv[i].hi >> 16) >= SGR_PROTO_TCP) {
            code = (served.iv[i].lo >> 16) >= SGR_PROTO_TCP ? served.iv[i].lo : SGR_PS_CODE(SGR_PROTO_TCP, 0);
            break;
        }
    *proto = (int32_t)(code >> 16);
    *port = (int32_t)(code & 0xFFFFu);
    return sgr_rep_portset_text(c->a, &served);
}

/* The host ports a bridge task is reached on, beside the ports it serves
 * (sgr_served_view), or NULL. */
static const char *host_text(sgr_rctx *c, const sgr_reach *rs)
{
    sgr_proto_ports *served, *host;
    uint32_t n_served, n_host;
    if (!sgr_served_view(c->a, rs->to, rs->via, false, rs->ports, rs->n_ports, &served, &n_served, &host, &n_host))
        return NULL;
    return sgr_format_ports(host, n_host, c->a);
}

/* x ∪ y, two port texts (NULL: none) */
static const char *host_union(sgr_arena *a, const char *x, const char *y)
{
    if (!x || !y)
        return x ? x : y;
    sgr_portset px, py;
    const char *err;
    if (!sgr_portset_parse(a, x, &px, &err) || !sgr_portset_parse(a, y, &py, &err))
        return x;
    sgr_portset_union(a, &px, &py);
    return sgr_rep_portset_text(a, &px);
}

static sgr_rep_exposure *add_exposure(sgr_rctx *c, sgr_report *r, uint32_t *cap, const sgr_reach *rs,
                                      const char *way_in)
{
    const sgr_endpoint *to = rs->to;
    r->exposure = sgr_arena_grow(c->a, r->exposure, cap, r->n_exposure + 1, sizeof *r->exposure);
    sgr_rep_exposure *e = &r->exposure[r->n_exposure++];
    memset(e, 0, sizeof *e);
    e->target = sgr_rep_ep_label(c->a, to);
    e->target_id = to->id;
    e->kind = sgr_rep_ep_kind(to);
    e->service = to->service;
    e->vpc = sgr_rep_ep_vpc(to);
    e->ports = sgr_format_ports(rs->ports, rs->n_ports, c->a);
    e->verdict = sgr_verdict_name(rs->verdict);
    e->way_in = way_in;
    return e;
}

/* Tasks of one service exposed the same way (ports, way in, verdict) become one
 * row, "service NAME (N tasks)", with the union of their rules. */
static void group_by_service(sgr_rctx *c, sgr_report *r)
{
    sgr_strmap *rows = sgr_strmap_new(c->a);
    uint32_t *count = SGR_NEW_N(c->a, uint32_t, r->n_exposure ? r->n_exposure : 1);
    uint32_t w = 0;
    for (uint32_t i = 0; i < r->n_exposure; i++) {
        sgr_rep_exposure e = r->exposure[i];
        if (!e.service || strcmp(e.kind, "task") != 0) {
            r->exposure[w++] = e;
            continue;
        }
        const char *key = sgr_arena_printf(c->a, "%s|%s|%s|%s|%s", e.vpc ? e.vpc : "", e.service, e.ports, e.way_in,
                                           e.verdict);
        uintptr_t idx = (uintptr_t)sgr_strmap_get(rows, 0, key);
        if (!idx) {
            r->exposure[w] = e;
            count[w] = 1;
            idx = ++w;
            sgr_strmap_put(rows, 0, key, (void *)idx);
            continue;
        }
        sgr_rep_exposure *g = &r->exposure[idx - 1];
        count[idx - 1]++;
        g->host_ports = host_union(c->a, g->host_ports, e.host_ports);
        sgr_rep_rule *rules = SGR_NEW_N(c->a, sgr_rep_rule, g->n_rules + e.n_rules + 1);
        memcpy(rules, g->rules, g->n_rules * sizeof *rules);
        uint32_t n = g->n_rules;
        for (uint32_t k = 0; k < e.n_rules; k++) {
            bool dup = false;
            for (uint32_t j = 0; j < n; j++)
                dup = dup || (strcmp(rules[j].text ? rules[j].text : "", e.rules[k].text ? e.rules[k].text : "") == 0 &&
                              strcmp(rules[j].component ? rules[j].component : "",
                                     e.rules[k].component ? e.rules[k].component : "") == 0);
            if (!dup)
                rules[n++] = e.rules[k];
        }
        g->rules = rules;
        g->n_rules = n;
    }
    r->n_exposure = w;
    for (uint32_t i = 0; i < w; i++) {
        sgr_rep_exposure *e = &r->exposure[i];
        if (!e->service || strcmp(e->kind, "task") != 0)
            continue;
        e->target = sgr_arena_printf(c->a, "service %s (%u task%s)", e->service, (unsigned)count[i],
                                     count[i] == 1 ? "" : "s");
        e->target_id = e->service;
        e->kind = "service";
    }
}

void sgr_rep_build_exposure(sgr_rctx *c, sgr_report *r)
{
    const sgr_endpoint *inet = sgr_graph_internet(c->g);
    if (!inet)
        return;
    sgr_reach *rs;
    uint32_t n = sgr_rctx_reach(c, inet, c->a, &rs), cap = 0;
    sgr_strmap *seen = sgr_strmap_new(c->a); /* "target|way in": the engine may list LB paths itself */
    for (uint32_t i = 0; i < n; i++) {
        if (rs[i].verdict == SGR_UNREACHABLE || !rs[i].to)
            continue;
        const sgr_endpoint *to = rs[i].to;
        const sgr_lb *lb = sgr_rep_via_lb(c->snap, rs[i].via);
        const char *way = lb ? sgr_arena_printf(c->a, "%s %s", sgr_rep_lb_type_name(lb), lb->name)
                          : to->kind == SGR_EP_LB ? "listener on a public address" : "public address";
        bool possible_only;
        int32_t proto = -2, port = -1;
        const char *served = served_text(c, &rs[i], &possible_only, &proto, &port);
        if (served && !*served)
            continue; /* only the host's ports: the host's own row says it */
        sgr_strmap_put(seen, 0, sgr_arena_printf(c->a, "%s|%s", to->id, way), (void *)1);
        sgr_rep_exposure *e = add_exposure(c, r, &cap, &rs[i], way);
        if (served) {
            e->ports = served;
            e->host_ports = host_text(c, &rs[i]);
        }
        if (possible_only)
            e->verdict = "unknown";
        deciding_rules(c, inet, &rs[i], e, proto, port);
    }
    /* What the exposed load balancers forward to is exposed through them. */
    uint32_t n_direct = r->n_exposure;
    for (uint32_t i = 0; i < n; i++) {
        const sgr_endpoint *lbep = rs[i].to;
        if (rs[i].verdict == SGR_UNREACHABLE || !lbep || lbep->kind != SGR_EP_LB || !lbep->lb)
            continue;
        sgr_reach *ts;
        sgr_arena *scratch = sgr_arena_new();
        uint32_t nt = sgr_rctx_reach(c, lbep, scratch, &ts);
        for (uint32_t k = 0; k < nt; k++) {
            const sgr_endpoint *to = ts[k].to;
            if (ts[k].verdict == SGR_UNREACHABLE || !to || to->kind == SGR_EP_INTERNET || to->kind == SGR_EP_CIDR ||
                to->kind == SGR_EP_LB)
                continue;
            const char *way = sgr_arena_printf(c->a, "%s %s", sgr_rep_lb_type_name(lbep->lb),
                                               lbep->lb->name ? lbep->lb->name : lbep->id);
            const char *key = sgr_arena_printf(c->a, "%s|%s", to->id, way);
            if (sgr_strmap_get(seen, 0, key))
                continue;
            bool possible_only;
            int32_t proto = -2, port = -1;
            const char *served = served_text(c, &ts[k], &possible_only, &proto, &port);
            if (served && !*served)
                continue;
            sgr_strmap_put(seen, 0, key, (void *)1);
            sgr_rep_exposure *e = add_exposure(c, r, &cap, &ts[k], way);
            if (served) {
                e->ports = served;
                e->host_ports = host_text(c, &ts[k]);
            }
            if (rs[i].verdict == SGR_UNKNOWN || possible_only)
                e->verdict = "unknown";
            /* The listener's rules first (internet → LB), then the LB → target rules. */
            for (uint32_t d = 0; d < n_direct; d++)
                if (r->exposure[d].target_id == lbep->id) {
                    e->rules = r->exposure[d].rules;
                    e->n_rules = r->exposure[d].n_rules;
                }
            deciding_rules(c, lbep, &ts[k], e, proto, port);
        }
        sgr_arena_free(scratch);
    }
    group_by_service(c, r);
    if (r->n_exposure > 1)
        qsort(r->exposure, r->n_exposure, sizeof *r->exposure, cmp_exposure);
}

