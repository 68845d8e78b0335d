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
#include "graph/blast_memo.h"
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

/* classify()'s answer from the target's kind alone, or -1 when the ports decide. */
static int class_by_kind(const sgr_endpoint *to)
{
    if (to->kind == SGR_EP_INTERNET || to->kind == SGR_EP_CIDR)
        return SGR_REP_INTERNET;
    if (to->kind == SGR_EP_DB || (to->eni && to->eni->owner_kind == SGR_ENI_OWNER_RDS))
        return SGR_REP_DATABASE;
    if (to->kind == SGR_EP_TASK)
        return SGR_REP_SERVICE;
    if (to->kind == SGR_EP_LB)
        return SGR_REP_OTHER;
    return -1;
}

/* A host open on every port is an admin target (its SSH is in "all"), not a database. */
static sgr_rep_class class_by_ports(const sgr_portset *ps)
{
    if (ps->n == 1 && ps->iv[0].lo == 0 && ps->iv[0].hi == SGR_PS_MAX)
        return SGR_REP_ADMIN;
    if (ps_includes(ps, DB_PORTS, sizeof DB_PORTS / sizeof DB_PORTS[0]))
        return SGR_REP_DATABASE;
    if (ps_includes(ps, ADMIN_PORTS, sizeof ADMIN_PORTS / sizeof ADMIN_PORTS[0]))
        return SGR_REP_ADMIN;
    return SGR_REP_OTHER;
}

/* Databases, then hosts open on admin ports, then other services' tasks. */
static sgr_rep_class classify(const sgr_endpoint *to, const sgr_portset *ps)
{
    int k = class_by_kind(to);
    return k >= 0 ? (sgr_rep_class)k : class_by_ports(ps);
}

/* The report's order of rows; every field decides at last, so that the first
 * rows kept do not depend on the order the rows were found in. */
static int cmp_reached(const void *pa, const void *pb)
{
    const sgr_rep_reached *a = pa, *b = pb;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    int d = strcmp(a->target, b->target);
    if (!d)
        d = strcmp(a->ports, b->ports);
    if (!d)
        d = strcmp(a->verdict, b->verdict);
    if (!d)
        d = strcmp(a->target_id, b->target_id);
    return d ? d : strcmp(a->kind, b->kind);
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

/* A distinct set of sgr_reach_many's answers that reaches one destination
 * group from one service, worked out once for the whole report: the union
 * of the answers' ports (what gather_one() gathers for a target that is not
 * a task, and for a task that serves the ports sent to it) as text, and the
 * verdict. */
typedef struct combo {
    sgr_reach *rs;              /* the answers (from, to unset) */
    uint32_t n;
    uint32_t text;              /* its ports' text (blast_cache.texts) */
    bool empty, reachable;
    sgr_rep_class cls;          /* classify() of a target whose kind does not decide */
} combo;

/* What the services' blast radii share (build_blast). */
typedef struct blast_cache {
    sgr_arena *a;
    sgr_strmap *text_ids;       /* ports text -> number + 1 */
    sgr_memo set_text;          /* (hash, hash, intervals) -> set_text chain: a port set's text, by its intervals */
    const char **texts;
    uint32_t n_texts, cap_texts;
    sgr_memo combo_of;          /* (answer + 1, answer + 1 or 0, answer + 1 or 0) -> combo + 1 */
    sgr_strmap *combo_ids;      /* more answers: "a,b,c,d,…" -> combo + 1 */
    combo *combos;
    uint32_t n_combos, cap_combos;
    sgr_memo task_text;         /* (task endpoint, combo, 0) -> text + 1, or EMPTY */
    /* per endpoint, the last combo + 1 asked of task_text and its value: the
     * services that reach a task mostly reach it alike, and the memo, grown
     * to tasks × combos, is a cache miss per look-up */
    uint32_t *last_combo;
    void **last_text;
    uint32_t *service_of;       /* per endpoint: its service's number + 1 (tasks of a service), else 0 */
    bool *multi;                /* per endpoint: its target (an instance) has other endpoints */
    /* per endpoint, so that a service's pass over its groups' members reads
     * arrays, not the endpoints: class_by_kind() (-1: the ports decide), and
     * 0 not a task, 1 a task that serves the ports sent (served_as_sent()), 2 another task */
    int8_t *kind_class;
    uint8_t *task;
    const sgr_eni **eni;        /* per endpoint: its interface (the skip test, once per member) */
    const char **label;         /* per endpoint: sgr_rep_ep_label(), once asked */
} blast_cache;

enum { TAG_TEXT = 0x5254, TAG_COMBO, TAG_SERVICE };
#define TEXT_EMPTY ((void *)(uintptr_t)UINT32_MAX)

static uint32_t text_id(blast_cache *bc, const char *t)
{
    uintptr_t id = (uintptr_t)sgr_strmap_get(bc->text_ids, TAG_TEXT, t);
    if (id)
        return (uint32_t)id - 1;
    t = sgr_arena_strdup(bc->a, t);
    bc->texts = sgr_arena_grow(bc->a, bc->texts, &bc->cap_texts, bc->n_texts + 1, sizeof *bc->texts);
    bc->texts[bc->n_texts] = t;
    sgr_strmap_put(bc->text_ids, TAG_TEXT, t, (void *)(uintptr_t)(bc->n_texts + 1));
    return bc->n_texts++;
}

/* A port set already formatted, and its text's number. */
typedef struct set_text {
    sgr_portset ps;
    uint32_t text;
    struct set_text *next;      /* another set of the same hash */
} set_text;

/* text_id() of ps's text, by its intervals: a service formats a set per
 * target it gathers one by one (an instance's interfaces, a few hundred
 * per service), and most of the sets are alike. */
static uint32_t set_text_id(blast_cache *bc, const sgr_portset *ps, sgr_arena *scratch)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (uint32_t i = 0; i < ps->n; i++) {
        h = (h ^ ps->iv[i].lo) * 0x100000001b3ULL;
        h = (h ^ ps->iv[i].hi) * 0x100000001b3ULL;
    }
    uint32_t ha = (uint32_t)h, hb = (uint32_t)(h >> 32);
    set_text *first = sgr_memo_get(&bc->set_text, ha, hb, ps->n);
    for (const set_text *t = first; t; t = t->next)
        if (!ps->n || memcmp(t->ps.iv, ps->iv, ps->n * sizeof *ps->iv) == 0)
            return t->text;
    set_text *t = SGR_NEW(bc->a, set_text);
    t->ps.n = ps->n;
    t->ps.iv = ps->n ? sgr_arena_memdup(bc->a, ps->iv, ps->n * sizeof *ps->iv) : NULL;
    t->text = text_id(bc, sgr_portset_format(scratch, ps));
    t->next = first;
    sgr_memo_put(&bc->set_text, ha, hb, ps->n, t);
    return t->text;
}

static const char *label_of(sgr_rctx *c, blast_cache *bc, const sgr_endpoint *to)
{
    if (!bc->label[to->index])
        bc->label[to->index] = sgr_rep_ep_label(c->a, to);
    return bc->label[to->index];
}

/* One service's targets as the answers come (sgr_reach_many_visit). */
typedef struct gather {
    sgr_rctx *c;
    blast_cache *bc;
    sgr_task *const *tasks;     /* the set's own: not targets */
    uint32_t n_tasks;
    acc *v;
    uint32_t n, cap;
    sgr_reach_group *grp;       /* the answers per destination group, as they come */
    uint32_t n_grp, cap_grp;
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

/* A source class's answer toward a destination group: kept, to be merged
 * per group once every answer has come (blast_rows()). */
static void gather_group(void *ctx, const sgr_reach_group *grp)
{
    gather *x = ctx;
    x->grp = sgr_arena_grow(x->a, x->grp, &x->cap_grp, x->n_grp + 1, sizeof *x->grp);
    sgr_reach_group *k = &x->grp[x->n_grp++];
    *k = *grp;
    sgr_reach *r = SGR_NEW(x->a, sgr_reach);
    *r = *grp->r; /* its arrays are sgr_reach_many's, which outlives the service */
    k->r = r;
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
        sgr_reach_many_visit(c->many, eps, n, gather_one, gather_group, x, x->a);
        return;
    }
    for (uint32_t t = 0; t < n; t++) {
        sgr_reach *rs;
        uint32_t nr = sgr_reach_from(c->g, eps[t], &rs, x->a);
        for (uint32_t i = 0; i < nr; i++)
            gather_one(x, &rs[i]);
    }
}

static int cmp_grp(const void *pa, const void *pb)
{
    const sgr_reach_group *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    return a->answer < b->answer ? -1 : a->answer > b->answer;
}

/* The combo of the distinct answers ans[0..n) (sorted numbers; rs their answers). */
static const combo *combo_for(blast_cache *bc, const uint32_t *ans, const sgr_reach *const *rs, uint32_t n,
                              sgr_arena *scratch)
{
    uintptr_t id;
    const char *key = NULL;
    if (n <= 3) {
        id = (uintptr_t)sgr_memo_get(&bc->combo_of, ans[0] + 1, n > 1 ? ans[1] + 1 : 0, n > 2 ? ans[2] + 1 : 0);
    } else {
        key = "";
        for (uint32_t i = 0; i < n; i++)
            key = sgr_arena_printf(scratch, "%s%u,", key, (unsigned)ans[i]);
        id = (uintptr_t)sgr_strmap_get(bc->combo_ids, TAG_COMBO, key);
    }
    if (id)
        return &bc->combos[id - 1];
    bc->combos = sgr_arena_grow(bc->a, bc->combos, &bc->cap_combos, bc->n_combos + 1, sizeof *bc->combos);
    combo *k = &bc->combos[bc->n_combos++];
    memset(k, 0, sizeof *k);
    k->rs = SGR_NEW_N(bc->a, sgr_reach, n);
    k->n = n;
    sgr_portset ps = {0};
    for (uint32_t i = 0; i < n; i++) {
        k->rs[i] = *rs[i];
        k->rs[i].from = k->rs[i].to = NULL;
        k->reachable = k->reachable || rs[i]->verdict == SGR_REACHABLE;
        for (uint32_t p = 0; p < rs[i]->n_ports; p++)
            sgr_portset_add_proto_ports(scratch, &ps, &rs[i]->ports[p]);
    }
    k->empty = sgr_portset_empty(&ps);
    k->text = text_id(bc, sgr_portset_format(scratch, &ps));
    k->cls = class_by_ports(&ps);
    id = bc->n_combos;
    if (n <= 3)
        sgr_memo_put(&bc->combo_of, ans[0] + 1, n > 1 ? ans[1] + 1 : 0, n > 2 ? ans[2] + 1 : 0, (void *)id);
    else
        sgr_strmap_put(bc->combo_ids, TAG_COMBO, sgr_arena_strdup(bc->a, key), (void *)id);
    return k;
}

/* Whether a task serves exactly the ports sent to it: sgr_reach_served_ports()
 * maps them only for a bridge task, sgr_rep_host_declared() cuts them only for
 * a host-mode task. */
static bool served_as_sent(const sgr_endpoint *to)
{
    if (to->task && (to->mode == SGR_NET_BRIDGE || to->mode == SGR_NET_DEFAULT))
        return false;
    const sgr_task_def *td = to->task ? to->task->task_def : NULL;
    return !(td && td->network_mode == SGR_NET_HOST);
}

/* The text of what a bridge or host-mode task serves of the combo's answers
 * (gather_one()'s union for a task), once per task and combo; NULL: nothing. */
static const char *task_text(blast_cache *bc, const sgr_endpoint *const *eps, uint32_t idx, const combo *k,
                             sgr_arena *scratch)
{
    /* by the endpoint's number: at scale, reading the endpoint itself is a
     * cache miss per member, and the last combo's text mostly answers */
    uint32_t kid = (uint32_t)(k - bc->combos);
    if (bc->last_combo[idx] == kid + 1)
        return bc->last_text[idx] == TEXT_EMPTY ? NULL : bc->texts[(uintptr_t)bc->last_text[idx] - 1];
    void *v = sgr_memo_get(&bc->task_text, idx, kid, 0);
    if (!v) {
        const sgr_endpoint *to = eps[idx];
        sgr_portset ps = {0};
        for (uint32_t i = 0; i < k->n; i++) {
            sgr_reach r = k->rs[i];
            r.to = to;
            sgr_portset possible;
            sgr_portset sv = sgr_reach_served_ports(scratch, &r, &possible);
            sv = sgr_rep_host_declared(scratch, to, &sv);
            sgr_portset_union(scratch, &ps, &sv);
            sgr_portset_union(scratch, &ps, &possible);
        }
        v = sgr_portset_empty(&ps) ? TEXT_EMPTY : (void *)(uintptr_t)(text_id(bc, sgr_portset_format(scratch, &ps)) + 1);
        sgr_memo_put(&bc->task_text, idx, kid, 0, v);
    }
    bc->last_combo[idx] = kid + 1;
    bc->last_text[idx] = v;
    return v == TEXT_EMPTY ? NULL : bc->texts[(uintptr_t)v - 1];
}

/* One row of a service's blast radius, before it is labelled. */
typedef struct brow {
    sgr_rep_class cls;
    const sgr_endpoint *ep;     /* the target, or the first task of a service's row */
    uint32_t text;
    bool reachable, service;
    uint32_t n_tasks;
} brow;

typedef struct rows {
    brow *v;
    uint32_t n, cap;
    sgr_memo service_row;       /* (service + 1, text, reachable) -> row + 1 */
    sgr_arena *a;
} rows;

/* A target's row: another service's tasks reached on the same ports are one
 * row for the service. */
static void add_row(blast_cache *bc, rows *rw, sgr_rep_class cls, const sgr_endpoint *to, uint32_t idx, uint32_t text,
                    bool reachable)
{
    uint32_t svc = bc->service_of[idx]; /* 0 but for tasks of a service */
    if (svc) {
        uintptr_t k = (uintptr_t)sgr_memo_get(&rw->service_row, svc, text, reachable);
        if (k) {
            rw->v[k - 1].n_tasks++;
            return;
        }
        sgr_memo_put(&rw->service_row, svc, text, reachable, (void *)(uintptr_t)(rw->n + 1));
    }
    rw->v = sgr_arena_grow(rw->a, rw->v, &rw->cap, rw->n + 1, sizeof *rw->v);
    rw->v[rw->n++] = (brow){cls, to, text, reachable, svc != 0, 1};
}

/* The answers toward one destination group, grp[0..n) (sorted by answer),
 * for every member. A member whose target is one endpoint of its own, that
 * no pair on one interface reached and that no answer skips is the same
 * target for every answer: its ports are the combo's (or, for a bridge or
 * host-mode task, the combo's as that task serves them), its verdict the
 * combo's, its class the combo's unless its kind decides; exactly what
 * gather_one() would make of each answer in turn. The others go through
 * gather_one(), answer by answer. */
static void group_rows(gather *x, rows *rw, const sgr_reach_group *grp, uint32_t n)
{
    sgr_rctx *c = x->c;
    blast_cache *bc = x->bc;
    uint32_t *ans = SGR_NEW_N(x->a, uint32_t, n);
    const sgr_reach **rs = SGR_NEW_N(x->a, const sgr_reach *, n);
    /* the interfaces some answer skips, sorted and distinct: tested once per
     * member (a group of a large service has an answer per source class) */
    const sgr_eni **skips = SGR_NEW_N(x->a, const sgr_eni *, n);
    uint32_t n_ans = 0, n_skips = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (grp[i].skip)
            skips[n_skips++] = grp[i].skip;
        if (n_ans && ans[n_ans - 1] == grp[i].answer)
            continue;
        ans[n_ans] = grp[i].answer;
        rs[n_ans++] = grp[i].r;
    }
    if (n_skips > 1)
        qsort(skips, n_skips, sizeof *skips, sgr_cmp_ptr);
    uint32_t n_distinct = 0;
    for (uint32_t i = 0; i < n_skips; i++)
        if (!n_distinct || skips[n_distinct - 1] != skips[i])
            skips[n_distinct++] = skips[i];
    const combo *k = combo_for(bc, ans, rs, n_ans, x->a);
    for (uint32_t m = 0; m < grp[0].n_members; m++) {
        uint32_t idx = grp[0].members[m];
        const sgr_endpoint *to = c->eps[idx];
        if (bc->task[idx] && c->own_stamp[idx] == c->stamp)
            continue; /* a task of the set (to->task: every task endpoint has one) */
        bool skipped = n_distinct && bc->eni[idx] && bsearch(&bc->eni[idx], skips, n_distinct, sizeof *skips, sgr_cmp_ptr);
        if (bc->multi[idx] || skipped || c->slot_stamp[c->target_of[idx]] == c->stamp) {
            for (uint32_t i = 0; i < n; i++) {
                if (grp[i].skip && to->eni == grp[i].skip)
                    continue;
                sgr_reach r = *grp[i].r;
                r.to = to;
                gather_one(x, &r);
            }
            continue;
        }
        if (bc->task[idx] == 1) {
            if (!k->empty)
                add_row(bc, rw, SGR_REP_SERVICE, to, idx, k->text, k->reachable);
            continue;
        }
        if (bc->task[idx] == 2) {
            const char *t = task_text(bc, c->eps, idx, k, x->a);
            if (t)
                add_row(bc, rw, SGR_REP_SERVICE, to, idx, text_id(bc, t), k->reachable);
            continue;
        }
        int cls = bc->kind_class[idx];
        add_row(bc, rw, cls >= 0 ? (sgr_rep_class)cls : k->cls, to, idx, k->text, k->reachable);
    }
}

/* One blast entry for a set of tasks; targets that are tasks of the same set are left out. */
static void blast_for(sgr_rctx *c, blast_cache *bc, sgr_report *r, uint32_t *cap, const char *name, const char *id,
                      const char *mode, sgr_task *const *tasks, uint32_t n_tasks)
{
    r->blast = sgr_arena_grow(c->a, r->blast, cap, r->n_blast + 1, sizeof *r->blast);
    sgr_rep_blast *b = &r->blast[r->n_blast++];
    memset(b, 0, sizeof *b);
    b->service = name;
    b->service_id = id;
    b->mode = mode;
    b->n_tasks = n_tasks;
    gather x = {.c = c, .bc = bc, .tasks = tasks, .n_tasks = n_tasks, .a = sgr_arena_new()};
    gather_tasks(c, &x);
    rows rw = {.a = x.a};
    /* the answers per destination group; then every target the groups'
     * answers did not settle alone (gathered in x.v) */
    if (x.n_grp > 1)
        qsort(x.grp, x.n_grp, sizeof *x.grp, cmp_grp);
    for (uint32_t i = 0, j; i < x.n_grp; i = j) {
        for (j = i + 1; j < x.n_grp && x.grp[j].group == x.grp[i].group; j++)
            ;
        group_rows(&x, &rw, &x.grp[i], j - i);
    }
    for (uint32_t i = 0; i < x.n; i++) {
        const sgr_endpoint *to = x.v[i].to;
        if (to->kind == SGR_EP_TASK && sgr_portset_empty(&x.v[i].ports))
            continue; /* only its host's ports were reached: the host's row says it */
        add_row(bc, &rw, classify(to, &x.v[i].ports), to, to->index, set_text_id(bc, &x.v[i].ports, x.a),
                x.v[i].reachable);
    }
    b->n_targets = rw.n;
    for (uint32_t i = 0; i < rw.n; i++)
        b->by_class[rw.v[i].cls]++;
    /* Only the first rows in the report's order are kept: label the classes
     * they come from and keep the first SGR_REP_BLAST_TOP in order (the
     * order is total: the same rows as sorting them all). */
    sgr_rep_class last = SGR_REP_OTHER;
    for (uint32_t k = 0, sum = 0; k <= SGR_REP_OTHER; k++) {
        sum += b->by_class[k];
        if (sum >= SGR_REP_BLAST_TOP) {
            last = (sgr_rep_class)k;
            break;
        }
    }
    sgr_rep_reached top[SGR_REP_BLAST_TOP + 1];
    uint32_t n_top = 0;
    for (uint32_t i = 0; i < rw.n; i++) {
        const brow *w = &rw.v[i];
        if (w->cls > last || (n_top == SGR_REP_BLAST_TOP && w->cls > top[n_top - 1].cls))
            continue; /* after every row kept: the class decides first */
        sgr_rep_reached row = {w->cls, NULL, w->ep->id, sgr_rep_ep_kind(w->ep), bc->texts[w->text],
                               w->reachable ? "reachable" : "unknown"};
        if (w->service) {
            row.target_id = w->ep->service;
            row.kind = "service";
            row.target = sgr_arena_printf(x.a, "service %s (%u task%s)", row.target_id, (unsigned)w->n_tasks,
                                          w->n_tasks == 1 ? "" : "s");
        } else {
            row.target = label_of(c, bc, w->ep);
        }
        uint32_t at = n_top;
        while (at > 0 && cmp_reached(&row, &top[at - 1]) < 0)
            at--;
        if (at >= SGR_REP_BLAST_TOP)
            continue;
        memmove(&top[at + 1], &top[at], (n_top - at) * sizeof *top);
        top[at] = row;
        if (n_top < SGR_REP_BLAST_TOP)
            n_top++;
    }
    b->reached = SGR_NEW_N(c->a, sgr_rep_reached, n_top ? n_top : 1);
    for (uint32_t i = 0; i < n_top; i++) {
        sgr_rep_reached row = top[i];
        row.target = sgr_arena_strdup(c->a, row.target);
        row.target_id = sgr_arena_strdup(c->a, row.target_id);
        row.ports = sgr_arena_strdup(c->a, row.ports);
        b->reached[b->n_reached++] = row;
    }
    sgr_memo_free(&rw.service_row);
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
    blast_cache bc = {.a = c->a, .text_ids = sgr_strmap_new(c->a), .combo_ids = sgr_strmap_new(c->a)};
    bc.service_of = SGR_NEW_N(c->a, uint32_t, c->n_eps ? c->n_eps : 1);
    bc.multi = SGR_NEW_N(c->a, bool, c->n_eps ? c->n_eps : 1);
    bc.label = SGR_NEW_N(c->a, const char *, c->n_eps ? c->n_eps : 1);
    uint32_t *per_target = SGR_NEW_N(c->a, uint32_t, c->n_eps ? c->n_eps : 1);
    sgr_strmap *services = sgr_strmap_new(c->a);
    uint32_t n_services = 0;
    for (uint32_t i = 0; i < c->n_eps; i++) {
        per_target[c->target_of[i]]++;
        const sgr_endpoint *ep = c->eps[i];
        if (ep->kind != SGR_EP_TASK || !ep->service)
            continue;
        uintptr_t k = (uintptr_t)sgr_strmap_get(services, TAG_SERVICE, ep->service);
        if (!k) {
            k = ++n_services;
            sgr_strmap_put(services, TAG_SERVICE, ep->service, (void *)k);
        }
        bc.service_of[i] = (uint32_t)k;
    }
    bc.kind_class = SGR_NEW_N(c->a, int8_t, c->n_eps ? c->n_eps : 1);
    bc.task = SGR_NEW_N(c->a, uint8_t, c->n_eps ? c->n_eps : 1);
    bc.last_combo = SGR_NEW_N(c->a, uint32_t, c->n_eps ? c->n_eps : 1);
    bc.last_text = SGR_NEW_N(c->a, void *, c->n_eps ? c->n_eps : 1);
    bc.eni = SGR_NEW_N(c->a, const sgr_eni *, c->n_eps ? c->n_eps : 1);
    for (uint32_t i = 0; i < c->n_eps; i++) {
        bc.multi[i] = per_target[c->target_of[i]] > 1;
        bc.kind_class[i] = (int8_t)class_by_kind(c->eps[i]);
        bc.task[i] = c->eps[i]->kind != SGR_EP_TASK ? 0 : served_as_sent(c->eps[i]) ? 1 : 2;
        bc.eni[i] = c->eps[i]->eni;
    }
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
        blast_for(c, &bc, r, &cap, sv->name ? sv->name : sv->arn, sv->arn,
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
        blast_for(c, &bc, r, &cap, sgr_arena_printf(c->a, "task family %s", family), key,
                  t->task_def ? mode_name(t->task_def->network_mode) : NULL, set, n);
    }
    if (r->n_blast > 1)
        qsort(r->blast, r->n_blast, sizeof *r->blast, cmp_blast);
    sgr_reach_many_free(c->many);
    c->many = NULL;
    sgr_memo_free(&bc.combo_of);
    sgr_memo_free(&bc.task_text);
    sgr_memo_free(&bc.set_text);
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
    for (uint32_t i = 0; i < r->findings.count; i++) {
        for (uint32_t k = 0; k < r->findings.items[i].n_rules; k++)
            cite_group(a, by_id, cited, r, &cap, r->findings.items[i].rules[k].component);
        for (uint32_t k = 0; k < r->findings.items[i].n_resources; k++)
            cite_group(a, by_id, cited, r, &cap, r->findings.items[i].resources[k]);
        /* and the groups a title names by id (a rule's peer group) */
        size_t pos = 0, len;
        for (const char *p; (p = sgr_rep_next_group_id(r->findings.items[i].title, &pos, &len));)
            cite_group(a, by_id, cited, r, &cap, sgr_arena_strndup(a, p, len));
    }
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
                g->n_edges_undrawn
                    ? sgr_arena_printf(c->a, "%s: no graph: %u edges, more than the %u a readable picture holds "
                                             "(Mermaid's default limit; the tables above list them, and "
                                             "`sgreach graph --focus SEL` draws a part)",
                                       ids[i], (unsigned)g->n_edges_undrawn, (unsigned)g->max_edges)
                : g->n_endpoints ? sgr_arena_printf(c->a, "%s: no graph: %u endpoints, more than the %u a readable picture holds "
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
