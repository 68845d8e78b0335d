/*
 * The reachability picture: endpoints grouped into nodes (tasks by service,
 * interfaces by instance, one node per load balancer and database, one for
 * the internet), edges from one-hop reach, their ports merged, coloured by
 * how the step is opened. NAT gateways, VPC endpoints and other AWS-managed
 * interfaces are left out of the picture (they are in the tables).
 */
#include "queries/report_int.h"

#include <stdlib.h>
#include <string.h>

#include "graph/served_ports.h"
#include "graph/strmap.h"

#define MAX_DRAWN 400        /* endpoints per VPC picture; beyond that it is unreadable */
/* Edges per VPC picture: Mermaid's default maxEdges, which a Markdown viewer
 * applies (beyond it Mermaid draws nothing), and past what Graphviz lays out
 * in a minute (a 40-node picture of 1,600 edges at 20,000 interfaces timed out) */
#define MAX_DRAWN_EDGES 500
#define MAX_DRAWN_FOCUS 5000 /* `sgreach graph`: the user chose to draw the estate */

sgr_rep_how sgr_rep_how_of(const sgr_snapshot *s, const sgr_reach *r)
{
    const sgr_lb *lb = sgr_rep_via_lb(s, r->via);
    if (!lb && r->from && r->from->kind == SGR_EP_LB)
        lb = r->from->lb;
    if (lb)
        return lb->type == SGR_LB_NETWORK ? SGR_REP_HOW_NLB : SGR_REP_HOW_ALB;
    if (r->from && r->from->kind == SGR_EP_INTERNET)
        return SGR_REP_HOW_PUBLIC;
    if (r->via && (strcmp(r->via, "docker-bridge") == 0 || strcmp(r->via, "loopback") == 0))
        return SGR_REP_HOW_BRIDGE;
    /* An ingress rule of the destination that names a group the source carries? */
    const sgr_eni *src = r->from ? r->from->eni : NULL;
    if (!src || !r->to || !r->to->eni)
        return SGR_REP_HOW_CIDR;
    /* the destination's interface, and a bridge or host task's other ones */
    for (uint32_t d = 0; d <= r->to->n_also_enis; d++) {
        const sgr_eni *dst = d ? r->to->also_enis[d - 1] : r->to->eni;
        for (uint32_t i = 0; i < dst->group_ids.count; i++) {
            const sgr_sg *g = dst->groups ? dst->groups[i] : NULL;
            for (uint32_t k = 0; g && k < g->n_rules; k++) {
                const sgr_sg_rule *rule = &g->rules[k];
                if (rule->egress || rule->peer_kind != SGR_PEER_GROUP || !rule->group_id)
                    continue;
                for (uint32_t j = 0; j < src->group_ids.count; j++)
                    if (strcmp(src->group_ids.items[j], rule->group_id) == 0)
                        return SGR_REP_HOW_GROUP;
            }
        }
    }
    return SGR_REP_HOW_CIDR;
}

/* ------------------------------------------------------------------ nodes */

typedef struct gnode {
    const char *gkey;           /* grouping key: "svc:ARN", "i:ID", "lb:ARN", … */
    const char *label, *detail;
    sgr_rep_node_kind kind;
    const char *mode;
    uint32_t tasks;
    uint32_t final;             /* index after sorting */
} gnode;

typedef struct gedge {
    uint32_t from, to;
    sgr_proto_ports *pp;        /* accumulated, merged at the end */
    uint32_t n_pp, cap_pp;
    sgr_rep_how how;
    bool known;                 /* at least one contributing reach is definite */
} gedge;

typedef struct gbuild {
    sgr_rctx *c;
    sgr_strmap *map;            /* gkey → node index + 1; "F|T" → edge index + 1 */
    gnode *nodes;
    uint32_t n_nodes, cap_nodes;
    gedge *edges;
    uint32_t n_edges, cap_edges;
    uint32_t n_endpoints;       /* in the picture's scope, the internet aside */
} gbuild;

static const char *mode_name(sgr_net_mode m)
{
    static const char *const NAMES[] = {"bridge", "host", "awsvpc", "none", "default"};
    return (unsigned)m < 5 ? NAMES[m] : "?";
}

static const char *lb_detail(sgr_arena *a, const sgr_lb *lb)
{
    static const char *const T[] = {"ALB", "NLB", "GWLB", "classic ELB"};
    return sgr_arena_printf(a, "%s, %s", (unsigned)lb->type < 4 ? T[lb->type] : "LB",
                            lb->internet_facing ? "internet-facing" : "internal");
}

/* The node an endpoint belongs to (created on first use), or -1 when it is not drawn. */
static int64_t node_of(gbuild *b, const sgr_endpoint *ep)
{
    sgr_arena *a = b->c->a;
    const char *gkey = NULL, *label = NULL, *detail = NULL, *mode = NULL;
    sgr_rep_node_kind kind = SGR_NODE_ENI;
    const sgr_task *task = ep->task ? ep->task : (ep->eni && ep->eni->owner_kind == SGR_ENI_OWNER_TASK ? ep->eni->task : NULL);
    const sgr_lb *lb = ep->lb ? ep->lb : (ep->eni && ep->eni->owner_kind == SGR_ENI_OWNER_LB ? ep->eni->lb : NULL);
    if (ep->kind == SGR_EP_INTERNET) {
        gkey = "internet", label = "Internet", kind = SGR_NODE_INTERNET;
    } else if (ep->kind == SGR_EP_CIDR) {
        return -1;
    } else if (task) {
        kind = SGR_NODE_SERVICE;
        mode = task->task_def ? mode_name(task->task_def->network_mode) : ep->kind == SGR_EP_TASK ? mode_name(ep->mode) : NULL;
        if (task->service) {
            gkey = sgr_arena_printf(a, "svc:%s", task->service->arn ? task->service->arn : task->service->name);
            label = task->service->name ? task->service->name : task->service->arn;
        } else {
            const char *td = task->task_def_arn ? task->task_def_arn : task->arn;
            gkey = sgr_arena_printf(a, "fam:%s", td);
            label = sgr_arena_printf(a, "task family %s", task->task_def && task->task_def->family ? task->task_def->family : td);
        }
    } else if (lb) {
        kind = SGR_NODE_LB;
        gkey = sgr_arena_printf(a, "lb:%s", lb->arn ? lb->arn : lb->name);
        label = lb->name ? lb->name : lb->arn;
        detail = lb_detail(a, lb);
    } else if (ep->kind == SGR_EP_DB) {
        kind = SGR_NODE_DB;
        gkey = sgr_arena_printf(a, "db:%s", ep->id);
        label = ep->id;
        detail = ep->db && ep->db->engine ? ep->db->engine : NULL;
    } else if (ep->eni && ep->eni->owner_kind == SGR_ENI_OWNER_RDS) {
        kind = SGR_NODE_DB;
        gkey = sgr_arena_printf(a, "db:%s", ep->eni->id);
        label = ep->eni->description && *ep->eni->description ? ep->eni->description : ep->eni->id;
        detail = ep->eni->id;
    } else if (ep->instance || (ep->eni && ep->eni->instance)) {
        const sgr_instance *in = ep->instance ? ep->instance : ep->eni->instance;
        kind = SGR_NODE_INSTANCE;
        gkey = sgr_arena_printf(a, "i:%s", in->id);
        label = in->name ? in->name : in->id;
        detail = in->name ? in->id : in->instance_type;
    } else if (ep->eni && (ep->eni->owner_kind == SGR_ENI_OWNER_NONE || ep->eni->owner_kind == SGR_ENI_OWNER_INSTANCE)) {
        gkey = sgr_arena_printf(a, "eni:%s", ep->eni->id);
        label = ep->eni->name ? ep->eni->name : ep->eni->id;
        detail = ep->eni->name ? ep->eni->id : NULL;
    } else {
        return -1; /* NAT gateways, endpoints, other AWS-managed interfaces */
    }
    uintptr_t idx = (uintptr_t)sgr_strmap_get(b->map, 1, gkey);
    if (!idx) {
        b->nodes = sgr_arena_grow(a, b->nodes, &b->cap_nodes, b->n_nodes + 1, sizeof *b->nodes);
        b->nodes[b->n_nodes] = (gnode){.gkey = gkey, .label = label ? label : gkey, .detail = detail, .kind = kind, .mode = mode};
        idx = ++b->n_nodes;
        sgr_strmap_put(b->map, 1, gkey, (void *)idx);
    }
    return (int64_t)idx - 1;
}

/* ------------------------------------------------------------------ edges */

static void add_edge(gbuild *b, uint32_t from, uint32_t to, const sgr_reach *r)
{
    sgr_arena *a = b->c->a;
    const char *key = sgr_arena_printf(a, "%u|%u", (unsigned)from, (unsigned)to);
    uintptr_t idx = (uintptr_t)sgr_strmap_get(b->map, 2, key);
    sgr_rep_how how = sgr_rep_how_of(b->c->snap, r);
    gedge *e;
    if (!idx) {
        b->edges = sgr_arena_grow(a, b->edges, &b->cap_edges, b->n_edges + 1, sizeof *b->edges);
        e = &b->edges[b->n_edges++];
        *e = (gedge){.from = from, .to = to, .how = how};
        sgr_strmap_put(b->map, 2, key, (void *)(uintptr_t)b->n_edges);
    } else {
        e = &b->edges[idx - 1];
        if (how < e->how) /* the most exposing way wins: public, ALB, NLB, group, CIDR, bridge */
            e->how = how;
    }
    e->known = e->known || r->verdict == SGR_REACHABLE;
    /* a bridge task is labelled with the ports it serves, not its host's (docs/selectors.md#ports) */
    const sgr_proto_ports *pp = r->ports;
    uint32_t npp = r->n_ports;
    sgr_proto_ports *served, *host;
    uint32_t n_served, n_host;
    if (r->to && sgr_served_view(a, r->to, r->via, false, r->ports, r->n_ports, &served, &n_served, &host, &n_host)) {
        pp = served;
        npp = n_served;
    }
    sgr_proto_ports *copy = sgr_rep_copy_ports(a, pp, npp);
    for (uint32_t i = 0; i < npp; i++) {
        e->pp = sgr_arena_grow(a, e->pp, &e->cap_pp, e->n_pp + 1, sizeof *e->pp);
        e->pp[e->n_pp++] = copy[i];
    }
}

/* ------------------------------------------------------------------ assembly */

static int cmp_gnode(const void *pa, const void *pb)
{
    const gnode *a = *(const gnode *const *)pa, *b = *(const gnode *const *)pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int d = strcmp(a->label, b->label);
    return d ? d : strcmp(a->gkey, b->gkey);
}

static int cmp_edge(const void *pa, const void *pb)
{
    const sgr_rep_edge *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to;
}

static bool in_vpc(const sgr_endpoint *ep, const char *vpc)
{
    if (!vpc || ep->kind == SGR_EP_INTERNET)
        return true;
    const char *v = sgr_rep_ep_vpc(ep);
    return v && strcmp(v, vpc) == 0;
}

static void assemble(gbuild *b, const bool *keep, sgr_rep_graph *out)
{
    sgr_arena *a = b->c->a;
    gnode **order = SGR_NEW_N(a, gnode *, b->n_nodes ? b->n_nodes : 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < b->n_nodes; i++)
        if (!keep || keep[i])
            order[n++] = &b->nodes[i];
    if (n > 1)
        qsort(order, n, sizeof *order, cmp_gnode);
    out->nodes = SGR_NEW_N(a, sgr_rep_node, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        gnode *g = order[i];
        g->final = i;
        const char *detail = g->detail;
        if (g->kind == SGR_NODE_SERVICE)
            detail = sgr_arena_printf(a, "%u task%s, %s", (unsigned)g->tasks, g->tasks == 1 ? "" : "s",
                                      g->mode ? g->mode : "?");
        out->nodes[i] = (sgr_rep_node){sgr_arena_printf(a, "n%u", (unsigned)i), g->label, detail, g->kind};
    }
    out->n_nodes = n;
    out->edges = SGR_NEW_N(a, sgr_rep_edge, b->n_edges ? b->n_edges : 1);
    for (uint32_t i = 0; i < b->n_edges; i++) {
        const gedge *e = &b->edges[i];
        if (keep && (!keep[e->from] || !keep[e->to]))
            continue;
        out->edges[out->n_edges++] = (sgr_rep_edge){b->nodes[e->from].final, b->nodes[e->to].final,
                                                    sgr_rep_merge_ports(a, e->pp, e->n_pp), e->how, !e->known};
    }
    if (out->n_edges > 1)
        qsort(out->edges, out->n_edges, sizeof *out->edges, cmp_edge);
}

/* Nodes and edges of every endpoint that passes the VPC filter. */
static bool collect(gbuild *b, const char *vpc, uint32_t max)
{
    sgr_rctx *c = b->c;
    uint32_t drawn = 0;
    for (uint32_t i = 0; i < c->n_eps; i++)
        drawn += in_vpc(c->eps[i], vpc) && c->eps[i]->kind != SGR_EP_INTERNET;
    b->n_endpoints = drawn;
    if (drawn == 0 || drawn > max)
        return false;
    const sgr_endpoint *inet = sgr_graph_internet(c->g);
    if (inet)
        node_of(b, inet);
    for (uint32_t i = 0; i < c->n_eps; i++) {
        const sgr_endpoint *ep = c->eps[i];
        if (!in_vpc(ep, vpc))
            continue;
        int64_t n = node_of(b, ep);
        if (n >= 0 && ep->kind == SGR_EP_TASK)
            b->nodes[n].tasks++;
    }
    /* only the picture's own endpoints are asked: answers toward others are dropped below */
    uint32_t *only = SGR_NEW_N(c->a, uint32_t, c->n_eps ? c->n_eps : 1), n_only = 0;
    for (uint32_t i = 0; i < c->n_eps; i++)
        if (in_vpc(c->eps[i], vpc) && c->eps[i]->index == i)
            only[n_only++] = i;
    for (uint32_t i = 0; i < c->n_eps; i++) {
        const sgr_endpoint *ep = c->eps[i];
        if (!in_vpc(ep, vpc))
            continue;
        int64_t from = node_of(b, ep);
        if (from < 0)
            continue;
        /* Tasks of one node that reach exactly the same endpoints give the same edges. */
        if (ep->kind == SGR_EP_TASK) {
            const char *sig = sgr_rep_task_sig(c, ep, b->nodes[from].gkey);
            if (sig && sgr_strmap_get(b->map, 3, sig))
                continue;
            if (sig)
                sgr_strmap_put(b->map, 3, sig, (void *)1);
        }
        sgr_arena *scratch = sgr_arena_new();
        sgr_reach *rs;
        uint32_t n = sgr_reach_from_among(c->g, ep, only, n_only, &rs, scratch);
        for (uint32_t k = 0; k < n; k++) {
            if (rs[k].verdict == SGR_UNREACHABLE || !rs[k].to || !in_vpc(rs[k].to, vpc))
                continue;
            int64_t to = node_of(b, rs[k].to);
            if (to < 0 || to == from)
                continue;
            add_edge(b, (uint32_t)from, (uint32_t)to, &rs[k]);
        }
        sgr_arena_free(scratch);
    }
    return true;
}

void sgr_rep_build_graph(sgr_rctx *c, const char *vpc, sgr_rep_graph *out)
{
    memset(out, 0, sizeof *out);
    out->vpc = vpc;
    out->label = vpc;
    for (uint32_t i = 0; vpc && i < c->snap->n_vpcs; i++) {
        const sgr_vpc *v = c->snap->vpcs[i];
        if (v->id && strcmp(v->id, vpc) == 0 && v->name)
            out->label = sgr_arena_printf(c->a, "%s (%s)", vpc, v->name);
    }
    gbuild b = {.c = c, .map = sgr_strmap_new(c->a)};
    bool drawn = collect(&b, vpc, MAX_DRAWN);
    out->n_endpoints = b.n_endpoints;
    out->max_endpoints = MAX_DRAWN;
    out->max_edges = MAX_DRAWN_EDGES;
    if (drawn && b.n_edges > MAX_DRAWN_EDGES) {
        out->n_edges_undrawn = b.n_edges;
        return;
    }
    if (drawn)
        assemble(&b, NULL, out);
}

void sgr_report_estate_graph(const sgr_snapshot *snap, sgr_graph *g, sgr_arena *a, const sgr_endpoint *const *focus,
                             uint32_t n_focus, sgr_rep_graph *out)
{
    sgr_rctx c = {.snap = snap, .g = g, .a = a};
    c.n_eps = sgr_graph_endpoints(g, &c.eps);
    c.ask_every_task = sgr_graph_reference(g);
    memset(out, 0, sizeof *out);
    out->vpc = NULL;
    out->label = "sgreach reachability graph";
    gbuild b = {.c = &c, .map = sgr_strmap_new(a)};
    if (!collect(&b, NULL, MAX_DRAWN_FOCUS))
        return;
    if (!n_focus) {
        assemble(&b, NULL, out);
        return;
    }
    /* Focus endpoints that were not drawn (a CIDR) add nodes: size the flags after them. */
    int64_t *fn = SGR_NEW_N(a, int64_t, n_focus);
    for (uint32_t i = 0; i < n_focus; i++)
        fn[i] = node_of(&b, focus[i]);
    bool *focused = SGR_NEW_N(a, bool, b.n_nodes ? b.n_nodes : 1);
    bool *keep = SGR_NEW_N(a, bool, b.n_nodes ? b.n_nodes : 1);
    for (uint32_t i = 0; i < n_focus; i++)
        if (fn[i] >= 0)
            focused[fn[i]] = keep[fn[i]] = true;
    for (uint32_t i = 0; i < b.n_edges; i++)
        if (focused[b.edges[i].from] || focused[b.edges[i].to])
            keep[b.edges[i].from] = keep[b.edges[i].to] = true;
    /* Only the edges that touch a focused node. */
    uint32_t w = 0;
    for (uint32_t i = 0; i < b.n_edges; i++)
        if (focused[b.edges[i].from] || focused[b.edges[i].to])
            b.edges[w++] = b.edges[i];
    b.n_edges = w;
    assemble(&b, keep, out);
}
