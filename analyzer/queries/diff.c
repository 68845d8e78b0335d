#include "queries/diff.h"

#include <stdlib.h>
#include <string.h>

#include "queries/check.h"
#include "queries/endpoint_key.h"
#include "graph/portset.h"
#include "graph/strmap.h"
#include "graph/served_ports.h"

typedef struct dpair {          /* (source identity, destination identity) on one side */
    const char *key, *from, *to;
    const sgr_endpoint *rep_from, *rep_to; /* one concrete pair, for explanations */
    const char *from_name, *to_name;
    bool many_from, many_to;
    sgr_portset def, unk;
} dpair;

typedef struct dside {
    sgr_strmap *map;
    dpair **v;
    uint32_t n, cap;
} dside;

/* Folds one reach result into the side's map under (source identity, destination identity). */
static void fold_one(dside *s, sgr_arena *a, sgr_arena *scratch, const sgr_reach *r)
{
    if (r->to == r->from || r->verdict == SGR_UNREACHABLE)
        return;
    if (r->n_maybe) { /* ports only possibly reached, beside the definite ones */
        sgr_reach u = sgr_reach_maybe_part(r);
        fold_one(s, a, scratch, &u);
    }
    if (!r->n_ports)
        return;
    const char *fk = sgr_endpoint_key(scratch, r->from), *tk = sgr_endpoint_key(scratch, r->to);
    const char *key = sgr_arena_printf(scratch, "%s\x1f%s", fk, tk);
    dpair *p = sgr_strmap_get(s->map, 1, key);
    if (!p) {
        p = SGR_NEW(a, dpair);
        p->key = sgr_arena_strdup(a, key);
        p->from = sgr_arena_strdup(a, fk);
        p->to = sgr_arena_strdup(a, tk);
        p->rep_from = r->from;
        p->rep_to = r->to;
        p->from_name = r->from->name;
        p->to_name = r->to->name;
        sgr_strmap_put(s->map, 1, p->key, p);
        s->v = sgr_arena_grow(a, s->v, &s->cap, s->n + 1, sizeof *s->v);
        s->v[s->n++] = p;
    }
    p->many_from = p->many_from || r->from != p->rep_from;
    p->many_to = p->many_to || r->to != p->rep_to;
    sgr_portset possible;
    sgr_portset ps = sgr_reach_served_ports(scratch, r, &possible);
    sgr_portset_union(a, r->verdict == SGR_REACHABLE ? &p->def : &p->unk, &ps);
    sgr_portset_union(a, &p->unk, &possible);
}

/* Every pair of the side (scope NULL), or every pair with an end in scope
 * (identity → endpoint): their rows by reach_from, their columns by reach_to. */
static void fold(sgr_graph *g, sgr_arena *a, dside *s, sgr_strmap *scope)
{
    s->map = sgr_strmap_new(a);
    if (!g)
        return;
    const sgr_endpoint *const *eps;
    uint32_t n = sgr_graph_endpoints(g, &eps);
    for (uint32_t i = 0; i < n; i++) {
        if (eps[i]->kind == SGR_EP_CIDR)
            continue;
        sgr_arena *scratch = sgr_arena_new();
        if (!scope || sgr_strmap_get(scope, 1, sgr_endpoint_key(scratch, eps[i]))) {
            sgr_reach *rs;
            uint32_t nr = sgr_reach_from(g, eps[i], &rs, scratch);
            for (uint32_t k = 0; k < nr; k++)
                fold_one(s, a, scratch, &rs[k]);
            if (scope) {
                nr = sgr_reach_to(g, eps[i], &rs, scratch);
                for (uint32_t k = 0; k < nr; k++)
                    fold_one(s, a, scratch, &rs[k]);
            }
        }
        sgr_arena_free(scratch);
    }
}

typedef struct dctx {
    sgr_arena *a;
    sgr_graph *new_g;
    dside *new_side;
    sgr_change *c;
    uint32_t n, cap;
} dctx;

/* Explains a change with NEW's graph on a representative pair. */
static void explain(dctx *d, sgr_change *ch, const dpair *np, const dpair *op, const sgr_portset *ports)
{
    int32_t proto, port;
    if (!sgr_portset_sample(ports, &proto, &port))
        return;
    const sgr_endpoint *f = np ? np->rep_from : NULL, *t = np ? np->rep_to : NULL;
    if (!np && op && d->new_g) {
        /* A closed path: find the same identities among NEW's endpoints. */
        const sgr_endpoint *const *eps;
        uint32_t n = sgr_graph_endpoints(d->new_g, &eps);
        for (uint32_t i = 0; i < n && (!f || !t); i++) {
            const char *k = sgr_endpoint_key(d->a, eps[i]);
            if (!f && strcmp(k, op->from) == 0)
                f = eps[i];
            if (!t && strcmp(k, op->to) == 0)
                t = eps[i];
        }
        if (!f || !t) {
            ch->note = !f ? "the source is not in NEW" : "the destination is not in NEW";
            return;
        }
    }
    if (!f || !t || !d->new_g)
        return;
    sgr_query q = {f, t, proto, port};
    sgr_answer ans;
    memset(&ans, 0, sizeof ans);
    sgr_can(d->new_g, &q, &ans, d->a);
    ch->path = ans.path;
    ch->n_path = ans.n_path;
    if (ch->opened) {
        ch->rules = ans.allowed_by;
        ch->n_rules = ans.n_allowed;
    } else {
        ch->blocks = ans.blocked_by;
        ch->n_blocks = ans.n_blocked;
    }
}

static void add_changes(dctx *d, bool opened, const dpair *np, const dpair *op, const sgr_portset *set,
                        const sgr_portset *definite)
{
    const dpair *p = opened ? np : op;
    sgr_portset everything = {0};
    sgr_portset_add(d->a, &everything, 0, SGR_PS_MAX);
    int32_t last = -2;
    for (uint32_t i = 0; i < set->n; i++) {
        bool whole = set->n == 1 && set->iv[0].lo == 0 && set->iv[0].hi == SGR_PS_MAX;
        for (uint32_t pr = set->iv[i].lo >> 16; pr <= set->iv[i].hi >> 16; pr++) {
            int32_t proto = whole ? -1 : (int32_t)pr;
            if (proto == last)
                continue;
            last = proto;
            sgr_portset block = {0};
            if (whole)
                block = everything;
            else
                sgr_portset_add(d->a, &block, SGR_PS_CODE(pr, 0), SGR_PS_CODE(pr, 65535));
            sgr_portset part = sgr_portset_intersect(d->a, set, &block);
            sgr_portset sure = sgr_portset_intersect(d->a, &part, definite);
            d->c = sgr_arena_grow(d->a, d->c, &d->cap, d->n + 1, sizeof *d->c);
            sgr_change *ch = &d->c[d->n++];
            *ch = (sgr_change){.opened = opened,
                               .from = p->from,
                               .to = p->to,
                               .from_name = p->many_from ? NULL : p->from_name,
                               .to_name = p->many_to ? NULL : p->to_name,
                               .protocol = proto};
            ch->protocol_name = proto < 0 ? "all" : sgr_proto_name(d->a, proto);
            ch->ports = proto < 0 ? "all" : sgr_portset_format_ports(d->a, &part, proto);
            ch->possible = sgr_portset_empty(&sure);
            explain(d, ch, np, op, sgr_portset_empty(&sure) ? &part : &sure);
            if (whole)
                return;
        }
    }
}

static int cmp_change(const void *x, const void *y)
{
    const sgr_change *a = x, *b = y;
    int r = strcmp(a->from, b->from);
    if (!r)
        r = strcmp(a->to, b->to);
    if (!r)
        r = (a->protocol > b->protocol) - (a->protocol < b->protocol);
    if (!r)
        r = (int)b->opened - (int)a->opened;
    return r;
}

/* Every port a side's pair reaches, definitely or possibly (none without the pair). */
static sgr_portset any_ports(sgr_arena *a, const dpair *p)
{
    sgr_portset s = {0};
    if (p) { /* a fresh set: a copy of p->def would share its array, and the union write into it */
        sgr_portset_union(a, &s, &p->def);
        sgr_portset_union(a, &s, &p->unk);
    }
    return s;
}

/* The ports that each pair of `side` reaches and the same pair of `other`
 * does not: opened (side is NEW) or closed (side is OLD). */
static void changes(dctx *d, const dside *side, const dside *other, bool opened)
{
    for (uint32_t i = 0; i < side->n; i++) {
        const dpair *p = side->v[i];
        const dpair *q = sgr_strmap_get(other->map, 1, p->key);
        sgr_portset here = any_ports(d->a, p), there = any_ports(d->a, q);
        sgr_portset gone = sgr_portset_subtract(d->a, &here, &there);
        if (!sgr_portset_empty(&gone))
            add_changes(d, opened, opened ? p : NULL, opened ? q : p, &gone, &p->def);
    }
}

void sgr_diff_compute(const sgr_snapshot *old_s, sgr_graph *old_g, const sgr_snapshot *new_s, sgr_graph *new_g,
                      bool full, sgr_arena *a, sgr_diff *out)
{
    dside olds = {0}, news = {0};
    sgr_strmap *scope = full ? NULL : sgr_diff_scope(old_s, old_g, new_s, new_g, a);
    fold(old_g, a, &olds, scope);
    fold(new_g, a, &news, scope);
    dctx d = {.a = a, .new_g = new_g, .new_side = &news};
    changes(&d, &news, &olds, true);
    changes(&d, &olds, &news, false);
    if (d.n > 1)
        qsort(d.c, d.n, sizeof *d.c, cmp_change);
    memset(out, 0, sizeof *out);
    out->c = d.c;
    out->n = d.n;
    out->incremental = scope != NULL;
    for (uint32_t i = 0; i < d.n; i++) {
        out->n_opened += d.c[i].opened;
        out->n_closed += !d.c[i].opened;
    }
}
