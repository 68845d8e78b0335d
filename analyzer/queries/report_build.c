/*
 * Building the report: the estate in numbers, everything the internet
 * reaches (with the way in and the deciding rules), the blast radius of each
 * service, the findings, one graph per VPC. Everything is sorted here so the
 * writers only print.
 */
#include "queries/report_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "queries/findings.h"
#include "graph/portspace.h"
#include "graph/reach_many.h"
#include "graph/served_ports.h"
#include "graph/strmap.h"

/* Tells the caller how far the build is (sgr_report_options.progress). */
static void progress(const sgr_rctx *c, const char *phase, uint32_t done, uint32_t total)
{
    if (c->opts->progress)
        c->opts->progress(c->opts->progress_ctx, phase, done, total);
}

/* ------------------------------------------------------------------ estate */

static void add_count(sgr_arena *a, sgr_report *r, uint32_t *cap, const char *label, uint32_t n)
{
    r->estate = sgr_arena_grow(a, r->estate, cap, r->n_estate + 1, sizeof *r->estate);
    r->estate[r->n_estate++] = (sgr_rep_count){label, n};
}

/* Counts distinct non-empty strings under a tag. */
static void distinct(sgr_strmap *m, uint32_t tag, const char *s, uint32_t *n)
{
    if (s && *s && !sgr_strmap_get(m, tag, s)) {
        sgr_strmap_put(m, tag, s, (void *)1);
        (*n)++;
    }
}

/* Account and region from "arn:aws:svc:REGION:ACCOUNT:…". */
static void from_arn(sgr_arena *a, sgr_strmap *m, const char *arn, uint32_t *accounts, uint32_t *regions)
{
    if (!arn || strncmp(arn, "arn:", 4) != 0)
        return;
    const char *f[6] = {arn};
    int k = 1;
    for (const char *p = arn; *p && k < 6; p++)
        if (*p == ':')
            f[k++] = p + 1;
    if (k < 6)
        return;
    if (f[4] - f[3] > 1)
        distinct(m, 2, sgr_arena_strndup(a, f[3], (size_t)(f[4] - f[3] - 1)), regions);
    if (f[5] - f[4] > 1)
        distinct(m, 1, sgr_arena_strndup(a, f[4], (size_t)(f[5] - f[4] - 1)), accounts);
}

static void build_estate(const sgr_snapshot *s, sgr_arena *a, sgr_report *r)
{
    sgr_strmap *m = sgr_strmap_new(a);
    uint32_t accounts = 0, regions = 0, cap = 0;
    for (uint32_t i = 0; i < s->n_vpcs; i++) {
        distinct(m, 1, s->vpcs[i]->owner, &accounts);
        distinct(m, 2, s->vpcs[i]->region, &regions);
    }
    for (uint32_t i = 0; i < s->n_sgs; i++)
        if (s->sgs[i]->described)
            distinct(m, 1, s->sgs[i]->owner, &accounts);
    for (uint32_t i = 0; i < s->n_enis; i++)
        distinct(m, 1, s->enis[i]->owner, &accounts);
    for (uint32_t i = 0; i < s->n_services; i++)
        from_arn(a, m, s->services[i]->arn, &accounts, &regions);
    for (uint32_t i = 0; i < s->n_lbs; i++)
        from_arn(a, m, s->lbs[i]->arn, &accounts, &regions);
    uint32_t modes[5] = {0}, unknown_mode = 0;
    for (uint32_t i = 0; i < s->n_services; i++) {
        const sgr_task_def *td = s->services[i]->task_def;
        if (td && (unsigned)td->network_mode < 5)
            modes[td->network_mode == SGR_NET_DEFAULT ? SGR_NET_BRIDGE : td->network_mode]++;
        else
            unknown_mode++;
    }
    uint32_t lbt[4] = {0}, dbs = s->n_dbs;
    for (uint32_t i = 0; i < s->n_lbs; i++)
        lbt[(unsigned)s->lbs[i]->type < 4 ? s->lbs[i]->type : 0]++;
    for (uint32_t i = 0; i < s->n_enis; i++)
        dbs += s->enis[i]->owner_kind == SGR_ENI_OWNER_RDS;
    add_count(a, r, &cap, "accounts", accounts);
    add_count(a, r, &cap, "regions", regions);
    add_count(a, r, &cap, "VPCs", s->n_vpcs);
    add_count(a, r, &cap, "subnets", s->n_subnets);
    add_count(a, r, &cap, "security groups", s->n_sgs);
    add_count(a, r, &cap, "network interfaces (ENIs)", s->n_enis);
    add_count(a, r, &cap, "EC2 instances", s->n_instances);
    add_count(a, r, &cap, "ECS services (awsvpc)", modes[SGR_NET_AWSVPC]);
    add_count(a, r, &cap, "ECS services (bridge)", modes[SGR_NET_BRIDGE]);
    add_count(a, r, &cap, "ECS services (host)", modes[SGR_NET_HOST]);
    add_count(a, r, &cap, "ECS services (none)", modes[SGR_NET_NONE]);
    if (unknown_mode)
        add_count(a, r, &cap, "ECS services (task definition missing)", unknown_mode);
    add_count(a, r, &cap, "ECS tasks", s->n_tasks);
    add_count(a, r, &cap, "load balancers (ALB)", lbt[SGR_LB_APPLICATION]);
    add_count(a, r, &cap, "load balancers (NLB)", lbt[SGR_LB_NETWORK]);
    add_count(a, r, &cap, "load balancers (GWLB)", lbt[SGR_LB_GATEWAY]);
    add_count(a, r, &cap, "load balancers (classic)", lbt[SGR_LB_CLASSIC]);
    add_count(a, r, &cap, "target groups", s->n_target_groups);
    add_count(a, r, &cap, "databases", dbs);
}

/* ------------------------------------------------------------------ blast radius */

static bool ps_has(const sgr_portset *ps, uint32_t code)
{
    for (uint32_t i = 0; i < ps->n; i++)
        if (ps->iv[i].lo <= code && code <= ps->iv[i].hi)
            return true;
    return false;
}

static bool ps_includes(const sgr_portset *ps, const int32_t *list, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (ps_has(ps, SGR_PS_CODE(SGR_PROTO_TCP, list[j])))
            return true;
    return false;
}

static const int32_t DB_PORTS[] = {1433, 1521, 3306, 5432, 5984, 6379, 9042, 9200, 11211, 27017};
static const int32_t ADMIN_PORTS[] = {22, 23, 2375, 2376, 3389, 5900, 6443, 10250};

/* Databases, then hosts open on admin ports, then other services' tasks. A host
 * open on every port is an admin target (its SSH is in "all"), not a database. */
static sgr_rep_class classify(const sgr_endpoint *to, const sgr_portset *ps)
{
    if (to->kind == SGR_EP_INTERNET || to->kind == SGR_EP_CIDR)
        return SGR_REP_INTERNET;
    if (to->kind == SGR_EP_DB || (to->eni && to->eni->owner_kind == SGR_ENI_OWNER_RDS))
        return SGR_REP_DATABASE;
    if (to->kind == SGR_EP_TASK)
        return SGR_REP_SERVICE;
    if (to->kind == SGR_EP_LB)
        return SGR_REP_OTHER;
    if (ps->n == 1 && ps->iv[0].lo == 0 && ps->iv[0].hi == SGR_PS_MAX)
        return SGR_REP_ADMIN;
    if (ps_includes(ps, DB_PORTS, sizeof DB_PORTS / sizeof DB_PORTS[0]))
        return SGR_REP_DATABASE;
    if (ps_includes(ps, ADMIN_PORTS, sizeof ADMIN_PORTS / sizeof ADMIN_PORTS[0]))
        return SGR_REP_ADMIN;
    return SGR_REP_OTHER;
}

static int cmp_reached(const void *pa, const void *pb)
{
    const sgr_rep_reached *a = pa, *b = pb;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    int d = strcmp(a->target, b->target);
    return d ? d : strcmp(a->ports, b->ports);
}

static const char *mode_name(sgr_net_mode m)
{
    static const char *const NAMES[] = {"bridge", "host", "awsvpc", "none", "default"};
    return (unsigned)m < 5 ? NAMES[m] : "?";
}

/* A target reached by some task of the set, its ports gathered over the tasks. */
typedef struct acc {
    const sgr_endpoint *to;
    sgr_portset ports;          /* the union; for tasks, the ports as the task serves them */
    bool reachable;
    /* the last answer taken (its arrays, shared between the classes of a
     * service by sgr_reach_many): the same again adds nothing */
    const sgr_proto_ports *last_ports, *last_maybe;
    const char *last_via;
    sgr_verdict last_verdict;
} acc;

/* One service's targets as the answers come (sgr_reach_many_visit). */
typedef struct gather {
    sgr_rctx *c;
    sgr_task *const *tasks;     /* the set's own: not targets */
    uint32_t n_tasks;
    acc *v;
    uint32_t n, cap;
    sgr_arena *a;               /* the service's scratch */
} gather;

/* The interfaces of one instance (primary, trunk, secondary) are one
 * target: per endpoint, the endpoint that stands for its target. */
static uint32_t *target_of(sgr_rctx *c)
{
    uint32_t *t = SGR_NEW_N(c->a, uint32_t, c->n_eps ? c->n_eps : 1);
    sgr_strmap *first = sgr_strmap_new(c->a);
    for (uint32_t i = 0; i < c->n_eps; i++) {
        const sgr_endpoint *to = c->eps[i];
        const sgr_instance *in = to->kind == SGR_EP_ENI ? (to->instance ? to->instance : to->eni ? to->eni->instance : NULL)
                                                        : NULL;
        const char *key = in && in->id ? in->id : to->id;
        uintptr_t k = (uintptr_t)sgr_strmap_get(first, 0, key);
        if (!k) {
            k = i + 1;
            sgr_strmap_put(first, 0, key, (void *)k);
        }
        t[i] = (uint32_t)k - 1;
    }
    return t;
}

static void gather_one(void *ctx, const sgr_reach *r)
{
    gather *x = ctx;
    sgr_rctx *c = x->c;
    const sgr_endpoint *to = r->to;
    if (r->verdict == SGR_UNREACHABLE || !to || to->index >= c->n_eps || c->eps[to->index] != to)
        return;
    if (to->task && c->own_stamp[to->index] == c->stamp)
        return; /* a task of the set (one endpoint per task) */
    uint32_t key = c->target_of[to->index];
    if (c->slot_stamp[key] != c->stamp) {
        c->slot_stamp[key] = c->stamp;
        x->v = sgr_arena_grow(x->a, x->v, &x->cap, x->n + 1, sizeof *x->v);
        x->v[x->n] = (acc){.to = to};
        c->slot[key] = x->n++;
    }
    acc *e = &x->v[c->slot[key]];
    if (to->index < e->to->index)
        e->to = to; /* an instance is named by the first of its interfaces reached, in endpoint order */
    if (e->last_ports && e->last_ports == r->ports && e->last_maybe == r->maybe && e->last_via == r->via &&
        e->last_verdict == r->verdict)
        return;
    e->last_ports = r->ports;
    e->last_maybe = r->maybe;
    e->last_via = r->via;
    e->last_verdict = r->verdict;
    e->reachable = e->reachable || r->verdict == SGR_REACHABLE;
    if (to->kind == SGR_EP_TASK) {
        sgr_portset possible;
        sgr_portset sv = sgr_reach_served_ports(x->a, r, &possible);
        sv = sgr_rep_host_declared(x->a, to, &sv);
        sgr_portset_union(x->a, &e->ports, &sv);
        sgr_portset_union(x->a, &e->ports, &possible);
        return;
    }
    for (uint32_t k = 0; k < r->n_ports; k++)
        sgr_portset_add_proto_ports(x->a, &e->ports, &r->ports[k]);
}

/* The one-hop answers of a set of tasks: by the report's shared reach of
 * every task (sgr_reach_many), or, with --debug-reference,
 * asked of the engine task by task (the reference the tests compare with). */
static void gather_tasks(sgr_rctx *c, gather *x)
{
    const sgr_endpoint **eps = SGR_NEW_N(x->a, const sgr_endpoint *, x->n_tasks ? x->n_tasks : 1);
    uint32_t n = 0;
    for (uint32_t t = 0; t < x->n_tasks; t++) {
        const sgr_endpoint *ep = sgr_graph_endpoint_for(c->g, SGR_EP_TASK, x->tasks[t]);
        if (ep)
            eps[n++] = ep;
    }
    c->stamp++;
    for (uint32_t t = 0; t < n; t++)
        if (eps[t]->index < c->n_eps && c->eps[eps[t]->index] == eps[t])
            c->own_stamp[eps[t]->index] = c->stamp;
    if (!c->ask_every_task) {
        sgr_reach_many_visit(c->many, eps, n, gather_one, x, x->a);
        return;
    }
    for (uint32_t t = 0; t < n; t++) {
        sgr_reach *rs;
        uint32_t nr = sgr_reach_from(c->g, eps[t], &rs, x->a);
        for (uint32_t i = 0; i < nr; i++)
            gather_one(x, &rs[i]);
    }
}

/* One blast entry for a set of tasks; targets that are tasks of the same set are left out. */
static void blast_for(sgr_rctx *c, sgr_report *r, uint32_t *cap, const char *name, const char *id,
                      const char *mode, sgr_task *const *tasks, uint32_t n_tasks)
{
    r->blast = sgr_arena_grow(c->a, r->blast, cap, r->n_blast + 1, sizeof *r->blast);
    sgr_rep_blast *b = &r->blast[r->n_blast++];
    memset(b, 0, sizeof *b);
    b->service = name;
    b->service_id = id;
    b->mode = mode;
    b->n_tasks = n_tasks;
    gather x = {.c = c, .tasks = tasks, .n_tasks = n_tasks, .a = sgr_arena_new()};
    gather_tasks(c, &x);
    acc *v = x.v;
    uint32_t n_acc = x.n;
    /* The rows, worked out in the service's scratch: another service's tasks
     * reached on the same ports are one row for the service. */
    sgr_rep_reached *rows = SGR_NEW_N(x.a, sgr_rep_reached, n_acc ? n_acc : 1);
    uint32_t n_rows = 0;
    sgr_strmap *row_of = sgr_strmap_new(x.a);
    uint32_t *tasks_in_row = SGR_NEW_N(x.a, uint32_t, n_acc ? n_acc : 1);
    const sgr_endpoint **row_ep = SGR_NEW_N(x.a, const sgr_endpoint *, n_acc ? n_acc : 1);
    for (uint32_t i = 0; i < n_acc; i++) {
        const sgr_endpoint *to = v[i].to;
        if (to->kind == SGR_EP_TASK && sgr_portset_empty(&v[i].ports))
            continue; /* only its host's ports were reached: the host's row says it */
        sgr_rep_reached row = {classify(to, &v[i].ports), NULL, to->id, sgr_rep_ep_kind(to),
                               sgr_portset_format(x.a, &v[i].ports), v[i].reachable ? "reachable" : "unknown"};
        if (to->kind == SGR_EP_TASK && to->service) {
            const char *key = sgr_arena_printf(x.a, "%s|%s|%s", to->service, row.ports, row.verdict);
            uintptr_t idx = (uintptr_t)sgr_strmap_get(row_of, 0, key);
            if (idx) {
                tasks_in_row[idx - 1]++;
                continue;
            }
            row.target_id = to->service;
            row.kind = "service";
            sgr_strmap_put(row_of, 0, key, (void *)(uintptr_t)(n_rows + 1));
        }
        tasks_in_row[n_rows] = 1;
        row_ep[n_rows] = to;
        rows[n_rows++] = row;
    }
    b->n_targets = n_rows;
    for (uint32_t i = 0; i < n_rows; i++)
        b->by_class[rows[i].cls]++;
    /* Only the first rows in the report's order are kept: label the classes
     * they come from, sort those, copy the first out. */
    sgr_rep_class last = SGR_REP_OTHER;
    for (uint32_t k = 0, sum = 0; k <= SGR_REP_OTHER; k++) {
        sum += b->by_class[k];
        if (sum >= SGR_REP_BLAST_TOP) {
            last = (sgr_rep_class)k;
            break;
        }
    }
    uint32_t n_top = 0;
    for (uint32_t i = 0; i < n_rows; i++) {
        if (rows[i].cls > last)
            continue;
        sgr_rep_reached row = rows[i];
        if (strcmp(row.kind, "service") == 0)
            row.target = sgr_arena_printf(x.a, "service %s (%u task%s)", row.target_id, (unsigned)tasks_in_row[i],
                                          tasks_in_row[i] == 1 ? "" : "s");
        else
            row.target = sgr_rep_ep_label(x.a, row_ep[i]);
        rows[n_top++] = row;
    }
    if (n_top > 1)
        qsort(rows, n_top, sizeof *rows, cmp_reached);
    if (n_top > SGR_REP_BLAST_TOP)
        n_top = SGR_REP_BLAST_TOP;
    b->reached = SGR_NEW_N(c->a, sgr_rep_reached, n_top ? n_top : 1);
    for (uint32_t i = 0; i < n_top; i++) {
        sgr_rep_reached row = rows[i];
        row.target = sgr_arena_strdup(c->a, row.target);
        row.target_id = sgr_arena_strdup(c->a, row.target_id);
        row.ports = sgr_arena_strdup(c->a, row.ports);
        b->reached[b->n_reached++] = row;
    }
    sgr_arena_free(x.a);
}

static int cmp_blast(const void *pa, const void *pb)
{
    const sgr_rep_blast *a = pa, *b = pb;
    int d = strcmp(a->service, b->service);
    return d ? d : strcmp(a->service_id ? a->service_id : "", b->service_id ? b->service_id : "");
}

static void build_blast(sgr_rctx *c, sgr_report *r)
{
    const sgr_snapshot *s = c->snap;
    uint32_t cap = 0;
    c->target_of = target_of(c);
    c->slot = SGR_NEW_N(c->a, uint32_t, c->n_eps ? c->n_eps : 1);
    c->slot_stamp = SGR_NEW_N(c->a, uint32_t, c->n_eps ? c->n_eps : 1);
    c->own_stamp = SGR_NEW_N(c->a, uint32_t, c->n_eps ? c->n_eps : 1);
    if (!c->ask_every_task) {
        const sgr_endpoint **tasks = SGR_NEW_N(c->a, const sgr_endpoint *, c->n_eps ? c->n_eps : 1);
        uint32_t n = 0;
        for (uint32_t i = 0; i < c->n_eps; i++)
            if (c->eps[i]->kind == SGR_EP_TASK)
                tasks[n++] = c->eps[i];
        progress(c, "every task's one-hop reach", 0, 0);
        c->many = sgr_reach_many_new(c->g, s, tasks, n);
    }
    for (uint32_t i = 0; i < s->n_services; i++) {
        progress(c, "blast radius per service", i, s->n_services);
        const sgr_service *sv = s->services[i];
        blast_for(c, r, &cap, sv->name ? sv->name : sv->arn, sv->arn,
                  sv->task_def ? mode_name(sv->task_def->network_mode) : NULL, sv->tasks, sv->n_tasks);
    }
    /* Standalone tasks (RunTask, no service in the snapshot): grouped by task definition. */
    sgr_strmap *groups = sgr_strmap_new(c->a);
    for (uint32_t i = 0; i < s->n_tasks; i++) {
        const sgr_task *t = s->tasks[i];
        if (t->service)
            continue;
        const char *key = t->task_def_arn ? t->task_def_arn : t->arn;
        if (!key || sgr_strmap_get(groups, 0, key))
            continue;
        sgr_strmap_put(groups, 0, key, (void *)1);
        uint32_t n = 0;
        sgr_task **set = SGR_NEW_N(c->a, sgr_task *, s->n_tasks);
        for (uint32_t k = i; k < s->n_tasks; k++) {
            const char *kk = s->tasks[k]->task_def_arn ? s->tasks[k]->task_def_arn : s->tasks[k]->arn;
            if (!s->tasks[k]->service && kk && strcmp(kk, key) == 0)
                set[n++] = s->tasks[k];
        }
        const char *family = t->task_def && t->task_def->family ? t->task_def->family : key;
        blast_for(c, r, &cap, sgr_arena_printf(c->a, "task family %s", family), key,
                  t->task_def ? mode_name(t->task_def->network_mode) : NULL, set, n);
    }
    if (r->n_blast > 1)
        qsort(r->blast, r->n_blast, sizeof *r->blast, cmp_blast);
    sgr_reach_many_free(c->many);
    c->many = NULL;
}

/* ------------------------------------------------------------------ names */

static int cmp_group_name(const void *a, const void *b)
{
    return strcmp(((const sgr_rep_group_name *)a)->id, ((const sgr_rep_group_name *)b)->id);
}

static const char *name_tag(const sgr_tags *t)
{
    for (uint32_t i = 0; i < t->count; i++)
        if (t->items[i].key && strcmp(t->items[i].key, "Name") == 0)
            return t->items[i].value;
    return NULL;
}

/* Every group a deciding rule cites (exposure, findings), with its names,
 * so that the writers show them beside the ids. */
static void cite_group(sgr_arena *a, sgr_strmap *by_id, sgr_strmap *cited, sgr_report *r, uint32_t *cap,
                       const char *component)
{
    const sgr_sg *g = component ? sgr_strmap_get(by_id, 0, component) : NULL;
    if (!g || sgr_strmap_get(cited, 0, component))
        return;
    sgr_strmap_put(cited, 0, component, (void *)1);
    const char *tag = name_tag(&g->tags);
    r->groups = sgr_arena_grow(a, r->groups, cap, r->n_groups + 1, sizeof *r->groups);
    r->groups[r->n_groups++] = (sgr_rep_group_name){g->id, g->name && *g->name ? g->name : NULL,
                                                    tag && *tag && (!g->name || strcmp(tag, g->name) != 0) ? tag : NULL};
}

static void build_group_names(const sgr_snapshot *s, sgr_arena *a, sgr_report *r)
{
    sgr_strmap *by_id = sgr_strmap_new(a), *cited = sgr_strmap_new(a);
    for (uint32_t i = 0; i < s->n_sgs; i++)
        if (s->sgs[i]->id && !sgr_strmap_get(by_id, 0, s->sgs[i]->id))
            sgr_strmap_put(by_id, 0, s->sgs[i]->id, s->sgs[i]);
    uint32_t cap = 0;
    for (uint32_t i = 0; i < r->n_exposure; i++)
        for (uint32_t k = 0; k < r->exposure[i].n_rules; k++)
            cite_group(a, by_id, cited, r, &cap, r->exposure[i].rules[k].component);
    for (uint32_t i = 0; i < r->findings.count; i++)
        for (uint32_t k = 0; k < r->findings.items[i].n_rules; k++)
            cite_group(a, by_id, cited, r, &cap, r->findings.items[i].rules[k].component);
    if (r->n_groups > 1)
        qsort(r->groups, r->n_groups, sizeof *r->groups, cmp_group_name);
}

/* ------------------------------------------------------------------ the report */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void build_graphs(sgr_rctx *c, sgr_report *r, const char ***notes, uint32_t *n_notes, uint32_t *cap_notes)
{
    const sgr_snapshot *s = c->snap;
    const char **ids = SGR_NEW_N(c->a, const char *, s->n_vpcs ? s->n_vpcs : 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->n_vpcs; i++)
        if (s->vpcs[i]->id)
            ids[n++] = s->vpcs[i]->id;
    if (n > 1)
        qsort(ids, n, sizeof *ids, cmp_str);
    r->graphs = SGR_NEW_N(c->a, sgr_rep_graph, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        progress(c, "graphs per VPC", i, n);
        if (i && strcmp(ids[i], ids[i - 1]) == 0)
            continue;
        r->n_vpcs++;
        sgr_rep_graph *g = &r->graphs[r->n_graphs];
        sgr_rep_build_graph(c, ids[i], g);
        if (!g->n_nodes) {
            *notes = sgr_arena_grow(c->a, *notes, cap_notes, *n_notes + 1, sizeof **notes);
            (*notes)[(*n_notes)++] =
                g->n_endpoints ? sgr_arena_printf(c->a, "%s: no graph: %u endpoints, more than the %u a readable picture holds "
                                                        "(the tables above list them)",
                                                  ids[i], (unsigned)g->n_endpoints, (unsigned)g->max_endpoints)
                               : sgr_arena_printf(c->a, "%s: no graph: nothing in it to draw", ids[i]);
            continue;
        }
        r->n_graphs++;
    }
}

void sgr_report_build(const sgr_snapshot *snap, sgr_graph *g, sgr_arena *a, const char *const *inputs,
                      uint32_t n_inputs, const sgr_report_options *opts, sgr_report *out)
{
    static const sgr_report_options none = {0};
    memset(out, 0, sizeof *out);
    out->title = opts && opts->title && *opts->title ? sgr_arena_strdup(a, opts->title) : "sgreach report";
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long t = strtoll(sde, &end, 10);
        struct tm tm;
        time_t tt = (time_t)t;
        char buf[64];
        if (!*end && t >= 0 && gmtime_r(&tt, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm))
            out->generated = sgr_arena_strdup(a, buf);
    }
    out->inputs = SGR_NEW_N(a, const char *, n_inputs ? n_inputs : 1);
    for (uint32_t i = 0; i < n_inputs; i++)
        out->inputs[i] = sgr_arena_strdup(a, inputs[i]);
    out->n_inputs = n_inputs;
    /* Sorted: the report must not depend on the order the paths were given. */
    if (n_inputs > 1)
        qsort(out->inputs, n_inputs, sizeof *out->inputs, cmp_str);
    sgr_rctx c = {.snap = snap, .g = g, .a = a, .opts = opts ? opts : &none};
    c.n_eps = sgr_graph_endpoints(g, &c.eps);
    c.ask_every_task = sgr_graph_reference(g);
    build_estate(snap, a, out);
    progress(&c, "exposure to the internet", 0, 0);
    sgr_rep_build_exposure(&c, out);
    build_blast(&c, out);
    progress(&c, "findings", 0, 0);
    sgr_findings_run(snap, a, &out->findings);
    build_group_names(snap, a, out);
    const char **notes = NULL;
    uint32_t n_notes = 0, cap_notes = 0;
    build_graphs(&c, out, &notes, &n_notes, &cap_notes);
    uint32_t warnings = 0;
    for (uint32_t i = 0; i < snap->n_diags; i++)
        warnings += snap->diags[i]->severity == SGR_SEV_WARNING;
    if (warnings) {
        notes = sgr_arena_grow(a, notes, &cap_notes, n_notes + 1, sizeof *notes);
        notes[n_notes++] = sgr_arena_printf(a, "%u warning(s) while loading the snapshot; `sgreach summary` lists "
                                               "them. Verdicts that depend on missing data say unknown.",
                                            (unsigned)warnings);
    }
    if (n_notes > 1)
        qsort(notes, n_notes, sizeof *notes, cmp_str);
    out->notes = notes;
    out->n_notes = n_notes;
}
