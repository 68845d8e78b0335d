#include "queries/diff.h"

#include <jansson.h>
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
            memset(ch, 0, sizeof *ch);
            ch->opened = opened;
            ch->from = p->from;
            ch->to = p->to;
            ch->from_name = p->many_from ? NULL : p->from_name;
            ch->to_name = p->many_to ? NULL : p->to_name;
            ch->protocol = proto;
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

void sgr_diff_compute(const sgr_snapshot *old_s, sgr_graph *old_g, const sgr_snapshot *new_s, sgr_graph *new_g,
                      bool full, sgr_arena *a, sgr_diff *out)
{
    dside olds = {0}, news = {0};
    sgr_strmap *scope = full ? NULL : sgr_diff_scope(old_s, old_g, new_s, new_g, a);
    fold(old_g, a, &olds, scope);
    fold(new_g, a, &news, scope);
    dctx d = {.a = a, .new_g = new_g, .new_side = &news};
    sgr_portset none = {0};
    for (uint32_t i = 0; i < news.n; i++) {
        const dpair *np = news.v[i];
        const dpair *op = sgr_strmap_get(olds.map, 1, np->key);
        sgr_portset now = np->def, before = op ? op->def : none;
        sgr_portset_union(a, &now, &np->unk);
        if (op)
            sgr_portset_union(a, &before, &op->unk);
        sgr_portset opened = sgr_portset_subtract(a, &now, &before);
        if (!sgr_portset_empty(&opened))
            add_changes(&d, true, np, op, &opened, &np->def);
    }
    for (uint32_t i = 0; i < olds.n; i++) {
        const dpair *op = olds.v[i];
        const dpair *np = sgr_strmap_get(news.map, 1, op->key);
        sgr_portset before = op->def, now = np ? np->def : none;
        sgr_portset_union(a, &before, &op->unk);
        if (np)
            sgr_portset_union(a, &now, &np->unk);
        sgr_portset closed = sgr_portset_subtract(a, &before, &now);
        if (!sgr_portset_empty(&closed))
            add_changes(&d, false, NULL, op, &closed, &op->def);
    }
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

/* ------------------------------------------------------------------ output */

static const char *ep_text(sgr_arena *a, const char *id, const char *name)
{
    return (!name || strcmp(id, name) == 0) ? id : sgr_arena_printf(a, "%s (%s)", id, name);
}

static const char *ports_text(sgr_arena *a, const sgr_change *c)
{
    if (c->protocol < 0)
        return "all";
    if (strcmp(c->ports, "all") == 0)
        return c->protocol_name;
    return sgr_arena_printf(a, "%s:%s", c->protocol_name, c->ports);
}

void sgr_diff_write_text(FILE *out, const sgr_diff *d, sgr_arena *a)
{
    for (uint32_t i = 0; i < d->n; i++) {
        const sgr_change *c = &d->c[i];
        fprintf(out, "%s %s %s -> %s  %s%s\n", c->opened ? "+" : "-", c->opened ? "opened" : "closed",
                ep_text(a, c->from, c->from_name), ep_text(a, c->to, c->to_name), ports_text(a, c),
                c->possible ? (c->opened ? "  (possible: unknown in NEW)" : "  (was unknown in OLD)") : "");
        for (uint32_t k = 0; k < c->n_rules; k++)
            fprintf(out, "    allowed by: %s %s %s  %s\n", c->rules[k].component ? c->rules[k].component : "",
                    c->rules[k].direction ? c->rules[k].direction : "", c->rules[k].text ? c->rules[k].text : "",
                    sgr_origin_text(a, &c->rules[k].origin));
        for (uint32_t k = 0; k < c->n_blocks; k++)
            fprintf(out, "    blocked by: %s: %s  %s\n", c->blocks[k].component ? c->blocks[k].component : "",
                    c->blocks[k].reason ? c->blocks[k].reason : "", sgr_origin_text(a, &c->blocks[k].origin));
        if (c->note)
            fprintf(out, "    %s\n", c->note);
    }
    if (d->n == 0)
        fprintf(out, "no change: NEW opens and closes no path\n");
    else
        fprintf(out, "\n%u change%s: %u opened, %u closed\n", d->n, d->n == 1 ? "" : "s", d->n_opened, d->n_closed);
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *origin_fields(sgr_arena *a, json_t *o, const sgr_origin *or)
{
    json_object_set_new(o, "file", jstr(or->file));
    json_object_set_new(o, "line", json_integer(or->line));
    json_object_set_new(o, "location", json_string(sgr_origin_text(a, or)));
    return o;
}

static json_t *change_json(sgr_arena *a, const sgr_change *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "from", json_string(c->from));
    json_object_set_new(o, "from_name", jstr(c->from_name));
    json_object_set_new(o, "to", json_string(c->to));
    json_object_set_new(o, "to_name", jstr(c->to_name));
    json_object_set_new(o, "protocol", json_string(c->protocol_name));
    json_object_set_new(o, "ports", json_string(c->ports));
    json_object_set_new(o, "possible", json_boolean(c->possible));
    json_t *path = json_array();
    for (uint32_t k = 0; k < c->n_path; k++) {
        json_t *h = json_object();
        json_object_set_new(h, "kind", jstr(c->path[k].kind));
        json_object_set_new(h, "id", jstr(c->path[k].id));
        json_array_append_new(path, h);
    }
    json_object_set_new(o, "path", path);
    json_t *why = json_array();
    for (uint32_t k = 0; c->opened && k < c->n_rules; k++) {
        json_t *r = json_object();
        json_object_set_new(r, "component", jstr(c->rules[k].component));
        json_object_set_new(r, "direction", jstr(c->rules[k].direction));
        json_object_set_new(r, "text", jstr(c->rules[k].text));
        json_array_append_new(why, origin_fields(a, r, &c->rules[k].origin));
    }
    for (uint32_t k = 0; !c->opened && k < c->n_blocks; k++) {
        json_t *b = json_object();
        json_object_set_new(b, "component", jstr(c->blocks[k].component));
        json_object_set_new(b, "reason", jstr(c->blocks[k].reason));
        json_array_append_new(why, origin_fields(a, b, &c->blocks[k].origin));
    }
    json_object_set_new(o, c->opened ? "allowed_by" : "blocked_by", why);
    if (c->note)
        json_object_set_new(o, "note", json_string(c->note));
    return o;
}

static json_t *paths_json(const char *const *p, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(p[i]));
    return arr;
}

void sgr_diff_write_json(FILE *out, const sgr_diff *d, const char *const *old_paths, size_t n_old,
                         const char *const *new_paths, size_t n_new, sgr_arena *a)
{
    json_t *root = json_object();
    json_object_set_new(root, "old", paths_json(old_paths, n_old));
    json_object_set_new(root, "new", paths_json(new_paths, n_new));
    json_object_set_new(root, "changed", json_boolean(d->n > 0));
    json_object_set_new(root, "compared", json_string(d->incremental ? "affected pairs" : "all pairs"));
    json_t *sum = json_object();
    json_object_set_new(sum, "opened", json_integer(d->n_opened));
    json_object_set_new(sum, "closed", json_integer(d->n_closed));
    json_object_set_new(root, "summary", sum);
    json_t *opened = json_array(), *closed = json_array();
    for (uint32_t i = 0; i < d->n; i++)
        json_array_append_new(d->c[i].opened ? opened : closed, change_json(a, &d->c[i]));
    json_object_set_new(root, "opened", opened);
    json_object_set_new(root, "closed", closed);
    json_dumpf(root, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(root);
}
