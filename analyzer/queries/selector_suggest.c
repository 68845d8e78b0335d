/*
 * "Did you mean": for a selector that matched nothing, the three names of the
 * snapshot closest to what was typed (case-insensitive edit distance), each
 * shown as a selector that would work. A candidate of another kind than the
 * selector's (a service name for an `lb:` selector) costs one more edit.
 * A name that starts with what was typed counts as one edit away.
 * Candidates further than about half the text, or more than one edit
 * further than the best, are left out; when nothing is that near, the
 * closest of the right kind are shown. Ties are broken by text: the answer is
 * the same on every run.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "queries/selector_int.h"

enum { SGR_SUGGEST_MAX = 3, SGR_DIST_MAX_LEN = 256 };

typedef enum cat {
    C_ENI, C_INSTANCE, C_SG, C_SUBNET, C_VPC, C_TASK, C_SERVICE, C_LB, C_TG, C_DB, C_CACHE, C_FUNCTION, C_TAG, C_TF,
    C_NAME /* the name forms: any candidate that is a name */
} cat;

typedef struct cand {
    const char *key;     /* compared with what was typed */
    const char *display; /* shown: a working selector */
    cat kind;
    bool is_name;
    uint32_t score;
} cand;

typedef struct cands {
    cand *v;
    uint32_t n, cap;
    sgr_arena *a;
} cands;

uint32_t sgr_sel_distance(const char *x, const char *y)
{
    size_t nx = strlen(x), ny = strlen(y);
    if (nx > SGR_DIST_MAX_LEN)
        nx = SGR_DIST_MAX_LEN;
    if (ny > SGR_DIST_MAX_LEN)
        ny = SGR_DIST_MAX_LEN;
    /* Optimal string alignment: Levenshtein plus adjacent transpositions
     * ("sg-wbe" is one typo from "sg-web"). Three rows suffice. */
    uint32_t rows[3][SGR_DIST_MAX_LEN + 1];
    uint32_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= ny; j++)
        prev[j] = (uint32_t)j;
    for (size_t i = 1; i <= nx; i++) {
        cur[0] = (uint32_t)i;
        int cx = tolower((unsigned char)x[i - 1]);
        for (size_t j = 1; j <= ny; j++) {
            int cy = tolower((unsigned char)y[j - 1]);
            uint32_t sub = prev[j - 1] + (cx != cy);
            uint32_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            uint32_t d = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (i > 1 && j > 1 && cx == tolower((unsigned char)y[j - 2]) &&
                tolower((unsigned char)x[i - 2]) == cy && pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
        }
        uint32_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[ny];
}

static void add(cands *c, const char *key, const char *display, cat kind, bool is_name)
{
    if (!key || !*key)
        return;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->v = sgr_xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n++] = (cand){key, display ? display : key, kind, is_name, 0};
}

/* An id, and its name when it has one ("sg-0abc (db)"). */
static void add_named_id(cands *c, const char *id, const char *name, cat kind)
{
    add(c, id, id, kind, false);
    if (name)
        add(c, name, sgr_arena_printf(c->a, "%s (%s)", id, name), kind, true);
}

static void add_tags(cands *c, const sgr_tags *t)
{
    for (uint32_t i = 0; i < t->count; i++) {
        const char *kv = sgr_arena_printf(c->a, "%s=%s", t->items[i].key,
                                          t->items[i].value ? t->items[i].value : "");
        add(c, kv, sgr_arena_printf(c->a, "tag:%s", kv), C_TAG, false);
    }
}

/* A Terraform address without its instance key: the form that selects them all. */
static void add_tf(cands *c, const sgr_origin *o)
{
    if (!o->tf_address)
        return;
    size_t n = strlen(o->tf_address);
    if (n && o->tf_address[n - 1] == ']') {
        const char *open = strrchr(o->tf_address, '[');
        if (open)
            n = (size_t)(open - o->tf_address);
    }
    const char *addr = sgr_arena_strndup(c->a, o->tf_address, n);
    add(c, addr, sgr_arena_printf(c->a, "tf:%s", addr), C_TF, false);
    /* and each module it sits in (modules lead an address): `tf:module.net` */
    for (const char *p = addr; strncmp(p, "module.", 7) == 0;) {
        const char *end = strchr(p + 7, '.');
        if (!end)
            break;
        const char *mod = sgr_arena_strndup(c->a, addr, (size_t)(end - addr));
        add(c, mod, sgr_arena_printf(c->a, "tf:%s", mod), C_TF, false);
        p = end + 1;
    }
}

static void collect(cands *c, const sgr_snapshot *snap)
{
    for (uint32_t i = 0; i < snap->n_enis; i++) {
        const sgr_eni *e = snap->enis[i];
        add_named_id(c, e->id, e->name, C_ENI);
        add_tags(c, &e->tags);
        add_tf(c, &e->origin);
    }
    for (uint32_t i = 0; i < snap->n_instances; i++) {
        const sgr_instance *x = snap->instances[i];
        add_named_id(c, x->id, x->name, C_INSTANCE);
        add_tags(c, &x->tags);
        add_tf(c, &x->origin);
    }
    for (uint32_t i = 0; i < snap->n_sgs; i++) {
        const sgr_sg *x = snap->sgs[i];
        add_named_id(c, x->id, x->name, C_SG);
        add_tags(c, &x->tags);
        add_tf(c, &x->origin);
    }
    for (uint32_t i = 0; i < snap->n_subnets; i++) {
        const sgr_subnet *x = snap->subnets[i];
        add_named_id(c, x->id, x->name, C_SUBNET);
        add_tags(c, &x->tags);
        add_tf(c, &x->origin);
    }
    for (uint32_t i = 0; i < snap->n_vpcs; i++) {
        const sgr_vpc *x = snap->vpcs[i];
        add_named_id(c, x->id, x->name, C_VPC);
        add_tags(c, &x->tags);
        add_tf(c, &x->origin);
    }
    for (uint32_t i = 0; i < snap->n_tasks; i++) {
        const sgr_task *x = snap->tasks[i];
        if (x->id)
            add(c, x->id, sgr_arena_printf(c->a, "task:%s", x->id), C_TASK, false);
        add(c, x->arn, x->arn, C_TASK, false);
        add_tags(c, &x->tags);
        add_tf(c, &x->origin);
    }
    for (uint32_t i = 0; i < snap->n_services; i++) {
        const sgr_service *x = snap->services[i];
        if (x->name)
            add(c, x->name, sgr_arena_printf(c->a, "service:%s", x->name), C_SERVICE, true);
        add(c, x->arn, x->arn, C_SERVICE, false);
        add_tags(c, &x->tags);
        add_tf(c, &x->origin);
    }
    for (uint32_t i = 0; i < snap->n_lbs; i++) {
        const sgr_lb *x = snap->lbs[i];
        if (x->name)
            add(c, x->name, sgr_arena_printf(c->a, "lb:%s", x->name), C_LB, true);
        add(c, x->arn, x->arn, C_LB, false);
        add_tf(c, &x->origin);
    }
    for (uint32_t i = 0; i < snap->n_target_groups; i++) {
        const sgr_target_group *x = snap->target_groups[i];
        if (x->arn)
            add_named_id(c, x->arn, x->name, C_TG);
        add_tf(c, &x->origin);
    }
    for (uint32_t i = 0; i < snap->n_dbs; i++) {
        const sgr_db *x = snap->dbs[i];
        if (x->id)
            add(c, x->id, sgr_arena_printf(c->a, "db:%s", x->id), C_DB, true);
        add_tf(c, &x->origin);
    }
    for (uint32_t i = 0; i < snap->n_caches; i++) {
        const sgr_cache *x = snap->caches[i];
        add(c, x->id, sgr_arena_printf(c->a, "elasticache:%s", x->id), C_CACHE, false);
        if (x->replication_group_id)
            add(c, x->replication_group_id, sgr_arena_printf(c->a, "elasticache:%s", x->replication_group_id), C_CACHE,
                false);
    }
    for (uint32_t i = 0; i < snap->n_functions; i++)
        add(c, snap->functions[i]->name, sgr_arena_printf(c->a, "lambda:%s", snap->functions[i]->name), C_FUNCTION,
            false);
}

static cat form_cat(sgr_sel_form f)
{
    switch (f) {
    case SGR_SEL_ENI: return C_ENI;
    case SGR_SEL_INSTANCE: return C_INSTANCE;
    case SGR_SEL_SG: return C_SG;
    case SGR_SEL_SUBNET: return C_SUBNET;
    case SGR_SEL_VPC: return C_VPC;
    case SGR_SEL_TASK: return C_TASK;
    case SGR_SEL_SERVICE: return C_SERVICE;
    case SGR_SEL_LB: return C_LB;
    case SGR_SEL_TG: return C_TG;
    case SGR_SEL_DB: return C_DB;
    case SGR_SEL_CACHE: return C_CACHE;
    case SGR_SEL_FUNCTION: return C_FUNCTION;
    case SGR_SEL_TAG_EQ:
    case SGR_SEL_TAG_RE: return C_TAG;
    case SGR_SEL_TF: return C_TF;
    default: return C_NAME;
    }
}

static int cmp_cand(const void *pa, const void *pb)
{
    const cand *x = pa, *y = pb;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return strcmp(x->display, y->display);
}

const char *sgr_sel_suggest(const sgr_selector *s, const sgr_snapshot *snap, sgr_arena *a)
{
    if (s->form == SGR_SEL_INTERNET || s->form == SGR_SEL_ADDR)
        return NULL;
    const char *query = s->arg;
    if (s->form == SGR_SEL_TAG_EQ || s->form == SGR_SEL_TAG_RE)
        query = sgr_arena_printf(a, "%s=%s", s->arg, s->arg2);
    else if (s->form == SGR_SEL_NAME_RE)
        query = s->arg; /* the pattern, compared as text: right for the common `name~web-ap` */
    cat want = form_cat(s->form);
    cands c = {.a = a};
    collect(&c, snap);
    size_t qlen = strlen(query);
    bool arn = strncmp(query, "arn:", 4) == 0;
    uint32_t limit = (uint32_t)qlen / 2;
    if (limit < 3)
        limit = 3;
    uint32_t near = 0;
    for (uint32_t i = 0; i < c.n; i++) {
        cand *k = &c.v[i];
        bool same = k->kind == want || (want == C_NAME && k->is_name);
        /* ARNs are compared with ARNs only: an LB's name and ARN are one suggestion. */
        if ((strncmp(k->key, "arn:", 4) == 0) != arn) {
            k->score = UINT32_MAX;
            continue;
        }
        uint32_t d = sgr_sel_distance(query, k->key);
        /* What was typed may be the start of the name: one step from it. */
        if (d > 1 && qlen >= 3 && strncasecmp(k->key, query, qlen) == 0)
            d = 1;
        k->score = d + (same ? 0 : 1);
        if (k->score <= limit)
            near++;
        else if (!same)
            k->score = UINT32_MAX; /* never shown */
    }
    if (c.n)
        qsort(c.v, c.n, sizeof *c.v, cmp_cand);
    const char *shown[SGR_SUGGEST_MAX];
    uint32_t n = 0;
    for (uint32_t i = 0; i < c.n && n < SGR_SUGGEST_MAX; i++) {
        if (c.v[i].score == UINT32_MAX || (near && c.v[i].score > limit) ||
            c.v[i].score > c.v[0].score + 1) /* only the closest: no also-rans */
            break;
        bool dup = false;
        for (uint32_t k = 0; k < n; k++)
            dup = dup || strcmp(shown[k], c.v[i].display) == 0;
        if (!dup)
            shown[n++] = c.v[i].display;
    }
    free(c.v);
    if (n == 0)
        return NULL;
    const char *out = sgr_arena_printf(a, "did you mean: %s", shown[0]);
    for (uint32_t k = 1; k < n; k++)
        out = sgr_arena_printf(a, "%s, %s", out, shown[k]);
    return out;
}
