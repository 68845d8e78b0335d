/*
 * Evaluating a policy on the graph (docs/policy.md has the semantics).
 *
 * For each entry: both selectors resolve to endpoints; the engine's one-hop
 * reach (direct, or through a load balancer) from every source gives, per
 * destination, the ports reachable for sure and those that depend on missing
 * data. Restricted to the entry's ports, these are the observations:
 *   forbid  — a violation wherever an observation is not empty (unknown
 *             ports count unless --allow-unknown, as possible violations);
 *   require — a violation for every source/destination pair that does not
 *             reach every listed port for sure (unknown never satisfies it).
 * Violations are grouped by the endpoints' stable identities and protocol,
 * then each is explained by one `can` question on a representative pair.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queries/check.h"
#include "queries/endpoint_key.h"
#include "graph/portset.h"
#include "graph/strmap.h"
#include "graph/served_ports.h"
#include "sgreach/exit.h"
#include "sgreach/selector.h"

typedef struct obs {            /* one source/destination pair of one entry */
    const sgr_endpoint *from, *to;
    sgr_portset def, unk;       /* already restricted to the entry's ports */
} obs;

typedef struct hop {            /* a client → LB or LB → target hop met while collecting */
    const sgr_endpoint *lb;
    uint32_t idx;               /* position among the sources (client) or destinations (target) */
    bool client;
    sgr_portset ports;          /* target hops: the target ports the entry cares about */
} hop;

typedef struct group {          /* one violation before its protocol split */
    const char *from_key, *to_key;
    sgr_portset def, unk;
    obs *pairs;
    uint32_t n_pairs, cap_pairs;
} group;

typedef struct side {
    const sgr_endpoint **ep;
    uint32_t n;
    int32_t *pos;               /* endpoint index → position in ep, -1 when absent */
    const sgr_ip *addr;         /* the one interface address the selector names literally, or NULL */
    bool any_of;                /* ways to one destination: reaching one is reaching it (aws:SERVICE) */
} side;

typedef struct ev {
    sgr_graph *g;
    const sgr_snapshot *snap;
    const sgr_policy *p;
    const sgr_check_options *o;
    sgr_arena *a;
    uint32_t n_all;             /* sgr_graph_endpoints count */
    sgr_strmap *map;            /* per entry: "fi:ti" → obs, keys → group */
    obs **obs;
    uint32_t n_obs, cap_obs;
    group **groups;
    uint32_t n_groups, cap_groups;
    sgr_violation *v;
    uint32_t n_v, cap_v;
    hop *hops;                  /* per entry */
    uint32_t n_hops, cap_hops;
    const sgr_ip *from_addr, *to_addr; /* per entry: addresses its selectors name literally */
} ev;

enum { TAG_OBS = 1, TAG_GROUP = 2 };

/* ------------------------------------------------------------------ selectors */

static int resolve(ev *c, const char *path, uint32_t line, const char *text, bool strict, side *out,
                   const char **err)
{
    memset(out, 0, sizeof *out);
    const char *why = NULL;
    sgr_selector *s = sgr_selector_parse(c->a, text, &why);
    if (!s) {
        *err = sgr_arena_printf(c->a, "%s: %s (line %u): bad selector \"%s\": %s", c->p->file, path, line, text,
                                why ? why : "invalid");
        return SGR_EXIT_USAGE;
    }
    sgr_selection sel;
    memset(&sel, 0, sizeof sel);
    const char *suggest = NULL;
    uint32_t k = sgr_selector_resolve(s, c->snap, c->a, &sel, &suggest);
    sgr_selector_free(s);
    if (sel.error) {
        *err = sgr_arena_printf(c->a, "%s: %s (line %u): selector \"%s\": %s", c->p->file, path, line, text, sel.error);
        return SGR_EXIT_USAGE;
    }
    if (k == 0) {
        if (!strict) /* a waiver for something that is gone: nothing to waive */
            return 0;
        *err = sgr_arena_printf(c->a, "%s: %s (line %u): selector \"%s\" matches nothing in the snapshot%s%s", c->p->file,
                                path, line, text, suggest ? "; " : "", suggest ? suggest : "");
        return SGR_EXIT_USAGE;
    }
    out->n = sgr_policy_endpoints(c->g, &sel, c->a, &out->ep);
    out->any_of = sel.alternatives;
    out->pos = SGR_NEW_N(c->a, int32_t, c->n_all ? c->n_all : 1);
    for (uint32_t i = 0; i < c->n_all; i++)
        out->pos[i] = -1;
    for (uint32_t i = 0; i < out->n; i++)
        if (out->ep[i]->kind != SGR_EP_CIDR && out->ep[i]->index < c->n_all && out->pos[out->ep[i]->index] < 0)
            out->pos[out->ep[i]->index] = (int32_t)i;
    /* "10.0.1.5", "2600:…::10", "54.1.2.3" naming one interface: the flow uses
     * that address (its family; a public address means through the internet) */
    sgr_ip ip;
    memset(&ip, 0, sizeof ip);
    if (out->n == 1 && out->ep[0]->kind != SGR_EP_CIDR && out->ep[0]->kind != SGR_EP_INTERNET) {
        if (inet_pton(AF_INET, text, ip.b) == 1)
            ip.family = SGR_AF_INET;
        else if (inet_pton(AF_INET6, text, ip.b) == 1)
            ip.family = SGR_AF_INET6;
        if (ip.family)
            out->addr = sgr_arena_memdup(c->a, &ip, sizeof ip);
    }
    return 0;
}

static int32_t side_pos(const side *s, const sgr_endpoint *e, uint32_t n_all)
{
    if (e->kind != SGR_EP_CIDR)
        return e->index < n_all ? s->pos[e->index] : -1;
    for (uint32_t i = 0; i < s->n; i++)
        if (s->ep[i] == e)
            return (int32_t)i;
    return -1;
}

/* ------------------------------------------------------------------ observations */

static obs *obs_get(ev *c, uint32_t tag, uint32_t fi, uint32_t ti, const sgr_endpoint *f, const sgr_endpoint *t)
{
    char key[32];
    snprintf(key, sizeof key, "%u:%u", fi, ti);
    obs *o = sgr_strmap_get(c->map, tag, key);
    if (o)
        return o;
    o = SGR_NEW(c->a, obs);
    o->from = f;
    o->to = t;
    sgr_strmap_put(c->map, tag, sgr_arena_strdup(c->a, key), o);
    c->obs = sgr_arena_grow(c->a, c->obs, &c->cap_obs, c->n_obs + 1, sizeof *c->obs);
    c->obs[c->n_obs++] = o;
    return o;
}

/* Records one reach result between positions fi (sources) and ti (destinations). */
static void observe(ev *c, const sgr_policy_entry *e, uint32_t tag, uint32_t fi, uint32_t ti, const sgr_reach *r,
                    sgr_arena *scratch)
{
    if (r->from == r->to || r->verdict == SGR_UNREACHABLE)
        return;
    if (r->n_maybe) { /* ports beside the definite ones that are only possible */
        sgr_reach u = sgr_reach_maybe_part(r);
        observe(c, e, tag, fi, ti, &u, scratch);
    }
    sgr_portset possible;
    sgr_portset ps = sgr_reach_served_ports(scratch, r, &possible);
    sgr_portset m = sgr_portset_intersect(scratch, &ps, &e->ports);
    sgr_portset mp = sgr_portset_intersect(scratch, &possible, &e->ports);
    if (sgr_portset_empty(&m) && sgr_portset_empty(&mp))
        return;
    obs *o = obs_get(c, tag, fi, ti, r->from, r->to);
    sgr_portset_union(c->a, r->verdict == SGR_REACHABLE ? &o->def : &o->unk, &m);
    sgr_portset_union(c->a, &o->unk, &mp);
}

/* ------------------------------------------------------------------ load balancers
 * The engine's reach is one hop (client → LB on its listeners, LB → each
 * registered target), while a policy speaks of the client and the target, as
 * `can` does. The scans that collect() makes anyway show the LB hops on one
 * side (rows: clients reaching an LB; columns: LBs reaching a target); one
 * scan per such LB gives the other side, and `can` decides each target port. */

static void add_hop(ev *c, const sgr_endpoint *lb, uint32_t idx, bool client, const sgr_portset *ports)
{
    c->hops = sgr_arena_grow(c->a, c->hops, &c->cap_hops, c->n_hops + 1, sizeof *c->hops);
    hop *h = &c->hops[c->n_hops++];
    *h = (hop){.lb = lb, .idx = idx, .client = client};
    if (ports)
        sgr_portset_union(c->a, &h->ports, ports);
}

/* The target ports of an LB → target hop that the entry cares about. */
static sgr_portset target_ports(sgr_arena *scratch, const sgr_policy_entry *e, const sgr_reach *r)
{
    sgr_portset possible;
    sgr_portset served = sgr_reach_served_ports(scratch, r, &possible);
    sgr_portset_union(scratch, &served, &possible);
    if (r->n_maybe) { /* possible ports too: `can` decides each */
        sgr_reach u = *r;
        u.ports = r->maybe;
        u.n_ports = r->n_maybe;
        sgr_portset more = sgr_reach_served_ports(scratch, &u, &possible);
        sgr_portset_union(scratch, &served, &more);
        sgr_portset_union(scratch, &served, &possible);
    }
    return sgr_portset_intersect(scratch, &served, &e->ports);
}

/* Asks `can` about each port of `cand` (at most MAX_LB_PORTS of them: target
 * ports are registered one by one) from f to t, and records the answers. */
enum { MAX_LB_PORTS = 64 };

static void verify_ports(ev *c, uint32_t tag, const side *F, const side *T, uint32_t fi, uint32_t ti,
                         const sgr_portset *cand)
{
    const sgr_endpoint *f = F->ep[fi], *t = T->ep[ti];
    if (f == t || sgr_portset_empty(cand))
        return;
    sgr_arena *scratch = sgr_arena_new();
    uint32_t asked = 0;
    for (uint32_t i = 0; i < cand->n && asked < MAX_LB_PORTS; i++)
        for (uint32_t code = cand->iv[i].lo; code <= cand->iv[i].hi && asked < MAX_LB_PORTS; code++, asked++) {
            sgr_query q = {f, t, (int32_t)(code >> 16), (int32_t)(code & 0xFFFF)};
            sgr_verdict v = sgr_can_verdict(c->g, &q, scratch);
            if (v == SGR_UNREACHABLE)
                continue;
            obs *o = obs_get(c, tag, fi, ti, f, t);
            sgr_portset_add(c->a, v == SGR_REACHABLE ? &o->def : &o->unk, code, code);
        }
    sgr_arena_free(scratch);
}

static void compose_lbs(ev *c, const sgr_policy_entry *e, uint32_t tag, const side *F, const side *T, bool by_columns)
{
    sgr_strmap *done = sgr_strmap_new(c->a);
    uint32_t n_hops = c->n_hops; /* hops recorded by collect() */
    for (uint32_t h = 0; h < n_hops; h++) {
        const sgr_endpoint *lb = c->hops[h].lb;
        /* the side collect() saw: targets in columns mode, clients in rows mode */
        if (c->hops[h].client == by_columns || side_pos(F, lb, c->n_all) >= 0 ||
            sgr_strmap_put(done, 1, lb->id, (void *)lb))
            continue;
        sgr_arena *scratch = sgr_arena_new();
        sgr_reach *rs;
        if (!by_columns) { /* clients known: the LB's targets among T */
            uint32_t n = sgr_reach_from(c->g, lb, &rs, scratch);
            for (uint32_t i = 0; i < n; i++) {
                int32_t ti = rs[i].verdict == SGR_UNREACHABLE ? -1 : side_pos(T, rs[i].to, c->n_all);
                if (ti < 0)
                    continue;
                sgr_portset cand = target_ports(scratch, e, &rs[i]);
                for (uint32_t k = 0; k < n_hops; k++)
                    if (c->hops[k].client && c->hops[k].lb == lb)
                        verify_ports(c, tag, F, T, c->hops[k].idx, (uint32_t)ti, &cand);
            }
        } else { /* targets known: the LB's clients among F (outside addresses: their rows) */
            uint32_t n = sgr_reach_to(c->g, lb, &rs, scratch);
            for (uint32_t i = 0; i < n; i++) {
                int32_t fi = rs[i].verdict == SGR_UNREACHABLE ? -1 : side_pos(F, rs[i].from, c->n_all);
                if (fi >= 0)
                    add_hop(c, lb, (uint32_t)fi, true, NULL);
            }
            for (uint32_t k = 0; k < c->n_hops; k++) {
                if (!c->hops[k].client || c->hops[k].lb != lb)
                    continue;
                for (uint32_t j = 0; j < n_hops; j++)
                    if (!c->hops[j].client && c->hops[j].lb == lb)
                        verify_ports(c, tag, F, T, c->hops[k].idx, c->hops[j].idx, &c->hops[j].ports);
            }
        }
        sgr_arena_free(scratch);
    }
}

static uint32_t count_cidr(const side *s)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->n; i++)
        n += s->ep[i]->kind == SGR_EP_CIDR;
    return n;
}

/* Rows (reach_from of each source) or columns (reach_to of each destination),
 * whichever side is smaller; addresses outside the estate appear in no one's
 * reach list, so they are always asked from their own side. LB hops met on
 * the way are recorded for compose_lbs(). */
static void collect(ev *c, const sgr_policy_entry *e, uint32_t tag, const side *F, const side *T)
{
    bool by_columns = T->n - count_cidr(T) < F->n - count_cidr(F);
    c->n_hops = 0;
    for (uint32_t fi = 0; fi < F->n; fi++) {
        if (by_columns && F->ep[fi]->kind != SGR_EP_CIDR)
            continue;
        sgr_arena *scratch = sgr_arena_new();
        sgr_reach *rs;
        uint32_t n = sgr_reach_from(c->g, F->ep[fi], &rs, scratch);
        for (uint32_t i = 0; i < n; i++) {
            int32_t ti = side_pos(T, rs[i].to, c->n_all);
            if (ti >= 0)
                observe(c, e, tag, fi, (uint32_t)ti, &rs[i], scratch);
            if (rs[i].to->kind == SGR_EP_LB && rs[i].verdict != SGR_UNREACHABLE)
                add_hop(c, rs[i].to, fi, true, NULL);
        }
        sgr_arena_free(scratch);
    }
    for (uint32_t ti = 0; ti < T->n; ti++) {
        if (!by_columns && T->ep[ti]->kind != SGR_EP_CIDR)
            continue;
        sgr_arena *scratch = sgr_arena_new();
        sgr_reach *rs;
        uint32_t n = sgr_reach_to(c->g, T->ep[ti], &rs, scratch);
        for (uint32_t i = 0; i < n; i++) {
            int32_t fi = side_pos(F, rs[i].from, c->n_all);
            if (fi >= 0)
                observe(c, e, tag, (uint32_t)fi, ti, &rs[i], scratch);
            if (by_columns && rs[i].from->kind == SGR_EP_LB && rs[i].verdict != SGR_UNREACHABLE) {
                sgr_portset cand = target_ports(scratch, e, &rs[i]);
                if (!sgr_portset_empty(&cand))
                    add_hop(c, rs[i].from, ti, false, &cand);
            }
        }
        sgr_arena_free(scratch);
    }
    compose_lbs(c, e, tag, F, T, by_columns);
}

/* ------------------------------------------------------------------ grouping */

static void group_add(ev *c, uint32_t tag, const sgr_endpoint *f, const sgr_endpoint *t, const sgr_portset *def,
                      const sgr_portset *unk)
{
    const char *fk = sgr_endpoint_key(c->a, f), *tk = sgr_endpoint_key(c->a, t);
    const char *key = sgr_arena_printf(c->a, "%s\x1f%s", fk, tk);
    group *gr = sgr_strmap_get(c->map, tag, key);
    if (!gr) {
        gr = SGR_NEW(c->a, group);
        gr->from_key = fk;
        gr->to_key = tk;
        sgr_strmap_put(c->map, tag, key, gr);
        c->groups = sgr_arena_grow(c->a, c->groups, &c->cap_groups, c->n_groups + 1, sizeof *c->groups);
        c->groups[c->n_groups++] = gr;
    }
    sgr_portset_union(c->a, &gr->def, def);
    sgr_portset_union(c->a, &gr->unk, unk);
    gr->pairs = sgr_arena_grow(c->a, gr->pairs, &gr->cap_pairs, gr->n_pairs + 1, sizeof *gr->pairs);
    obs *o = &gr->pairs[gr->n_pairs++];
    o->from = f;
    o->to = t;
    o->def = *def;
    o->unk = *unk;
}

static void group_forbid(ev *c, uint32_t tag)
{
    for (uint32_t i = 0; i < c->n_obs; i++) {
        obs *o = c->obs[i];
        sgr_portset none = {0};
        const sgr_portset *unk = c->o->allow_unknown ? &none : &o->unk;
        if (!sgr_portset_empty(&o->def) || !sgr_portset_empty(unk))
            group_add(c, tag, o->from, o->to, &o->def, unk);
    }
}

static obs *obs_at(ev *c, uint32_t tag, uint32_t fi, uint32_t ti)
{
    char key[32];
    snprintf(key, sizeof key, "%u:%u", fi, ti);
    return sgr_strmap_get(c->map, TAG_OBS + tag * 4, key);
}

/* A violation for f → t when def (the ports reached for sure) misses some of
 * the entry's ports; those among unk are unknown, the others unreachable. */
static void require_ports(ev *c, const sgr_policy_entry *e, uint32_t tag, const sgr_endpoint *f, const sgr_endpoint *t,
                          const sgr_portset *def, const sgr_portset *unk)
{
    sgr_portset missing = sgr_portset_subtract(c->a, &e->ports, def);
    if (sgr_portset_empty(&missing))
        return;
    sgr_portset mu = sgr_portset_intersect(c->a, &missing, unk);
    sgr_portset md = sgr_portset_subtract(c->a, &missing, &mu);
    group_add(c, TAG_GROUP + tag * 4, f, t, &md, &mu);
}

static void group_require(ev *c, const sgr_policy_entry *e, uint32_t tag, const side *F, const side *T)
{
    sgr_portset none = {0};
    for (uint32_t fi = 0; fi < F->n; fi++) {
        /* T->any_of: ways to one destination, reached when any is; the
         * violation is explained by the first way reached perhaps, else the first */
        sgr_portset def = {0}, unk = {0};
        const sgr_endpoint *to = NULL;
        for (uint32_t ti = 0; ti < T->n; ti++) {
            if (F->ep[fi] == T->ep[ti])
                continue;
            const obs *o = obs_at(c, tag, fi, ti);
            if (!T->any_of) {
                require_ports(c, e, tag, F->ep[fi], T->ep[ti], o ? &o->def : &none, o ? &o->unk : &none);
                continue;
            }
            if (!to || (o && sgr_portset_empty(&unk) && !sgr_portset_empty(&o->unk)))
                to = T->ep[ti];
            if (o) {
                sgr_portset_union(c->a, &def, &o->def);
                sgr_portset_union(c->a, &unk, &o->unk);
            }
        }
        if (to)
            require_ports(c, e, tag, F->ep[fi], to, &def, &unk);
    }
}

/* ------------------------------------------------------------------ violations */

static int cmp_pair(const void *x, const void *y)
{
    const sgr_check_pair *a = x, *b = y;
    int r = strcmp(a->from, b->from);
    return r ? r : strcmp(a->to, b->to);
}

static const char *one_name(const obs *pairs, uint32_t n, bool from)
{
    const sgr_endpoint *first = from ? pairs[0].from : pairs[0].to;
    for (uint32_t i = 1; i < n; i++)
        if ((from ? pairs[i].from : pairs[i].to) != first)
            return NULL;
    return first->name;
}

/* Points SARIF at origin o, when it has a file. */
static bool point_at(sgr_violation *v, const sgr_origin *o)
{
    if (!o->file)
        return false;
    v->loc_file = o->file;
    v->loc_line = o->line;
    v->loc_tf_address = o->tf_address;
    return true;
}

/* The rule SARIF points at: for a path that exists, the rule that opens it —
 * the first ingress rule the path crosses, the one admitting the source (for
 * an exposure, the load balancer's rule open to the internet, not the
 * target's rule admitting the load balancer); for a missing path, the first
 * blocking component with a location. */
static void locate(sgr_violation *v)
{
    for (uint32_t k = 0; k < v->n_rules; k++)
        if (v->rules[k].direction && strcmp(v->rules[k].direction, "ingress") == 0 && point_at(v, &v->rules[k].origin))
            return;
    for (uint32_t k = 0; k < v->n_rules; k++)
        if (point_at(v, &v->rules[k].origin))
            return;
    for (uint32_t k = 0; k < v->n_blocks; k++)
        if (point_at(v, &v->blocks[k].origin))
            return;
}

static void explain(ev *c, sgr_violation *v, const obs *rep, const sgr_portset *block)
{
    sgr_portset d = sgr_portset_intersect(c->a, &rep->def, block);
    sgr_portset u = sgr_portset_intersect(c->a, &rep->unk, block);
    int32_t proto, port;
    if (!sgr_portset_sample(!sgr_portset_empty(&d) ? &d : &u, &proto, &port))
        return;
    v->sample_protocol = proto;
    v->sample_port = port;
    sgr_query q = {rep->from, rep->to, proto, port};
    sgr_answer ans;
    memset(&ans, 0, sizeof ans);
    sgr_can_at(c->g, &q, c->from_addr, c->to_addr, &ans, c->a);
    v->path = ans.path;
    v->n_path = ans.n_path;
    if (v->entry->kind == SGR_POLICY_FORBID) {
        v->rules = ans.allowed_by;
        v->n_rules = ans.n_allowed;
    } else {
        v->blocks = ans.blocked_by;
        v->n_blocks = ans.n_blocked;
    }
    v->missing = ans.missing;
    v->n_missing = ans.n_missing;
    locate(v);
}

/* all: the group's definite and possible ports together (emit_group's) */
static void emit(ev *c, const sgr_policy_entry *e, const group *gr, const sgr_portset *all, int32_t proto,
                 const sgr_portset *block)
{
    bool forbid = e->kind == SGR_POLICY_FORBID;
    c->v = sgr_arena_grow(c->a, c->v, &c->cap_v, c->n_v + 1, sizeof *c->v);
    sgr_violation *v = &c->v[c->n_v++];
    *v = (sgr_violation){.entry = e, .from = gr->from_key, .to = gr->to_key, .protocol = proto};
    v->protocol_name = proto < 0 ? "all" : sgr_proto_name(c->a, proto);
    v->portset = sgr_portset_intersect(c->a, all, block);
    v->ports = proto < 0 ? "all" : sgr_portset_format_ports(c->a, &v->portset, proto);
    sgr_portset d = sgr_portset_intersect(c->a, &gr->def, block);
    v->possible = sgr_portset_empty(&d);
    v->verdict = v->possible ? "unknown" : forbid ? "reachable" : "unreachable";
    v->pairs = SGR_NEW_N(c->a, sgr_check_pair, gr->n_pairs);
    const obs *rep = NULL;
    const char *rep_key = NULL;
    for (uint32_t i = 0; i < gr->n_pairs; i++) {
        const obs *o = &gr->pairs[i];
        sgr_portset od = sgr_portset_intersect(c->a, &o->def, block);
        sgr_portset ou = sgr_portset_intersect(c->a, &o->unk, block);
        if (sgr_portset_empty(&od) && sgr_portset_empty(&ou))
            continue;
        sgr_check_pair *p = &v->pairs[v->n_pairs++];
        p->from = o->from->id;
        p->to = o->to->id;
        p->from_name = o->from->name;
        p->to_name = o->to->name;
        p->verdict = !sgr_portset_empty(&od) ? (forbid ? "reachable" : "unreachable") : "unknown";
        /* Representative: the first pair in sorted order with a definite verdict. */
        const char *k = sgr_arena_printf(c->a, "%d%s\x1f%s", sgr_portset_empty(&od), p->from, p->to);
        if (!rep || strcmp(k, rep_key) < 0) {
            rep = o;
            rep_key = k;
        }
    }
    qsort(v->pairs, v->n_pairs, sizeof *v->pairs, cmp_pair);
    v->from_name = one_name(gr->pairs, gr->n_pairs, true);
    v->to_name = one_name(gr->pairs, gr->n_pairs, false);
    if (rep)
        explain(c, v, rep, block);
}

/* Splits a group per protocol (one violation when it is every protocol). */
static void emit_group(ev *c, const sgr_policy_entry *e, const group *gr)
{
    sgr_portset all = {0}; /* not a copy of gr->def: a union would write into its array */
    sgr_portset_union(c->a, &all, &gr->def);
    sgr_portset_union(c->a, &all, &gr->unk);
    if (all.n == 1 && all.iv[0].lo == 0 && all.iv[0].hi == SGR_PS_MAX) {
        emit(c, e, gr, &all, -1, &all);
        return;
    }
    int32_t last = -1;
    for (uint32_t i = 0; i < all.n; i++) {
        for (uint32_t pr = all.iv[i].lo >> 16; pr <= all.iv[i].hi >> 16; pr++) {
            if ((int32_t)pr == last)
                continue;
            last = (int32_t)pr;
            sgr_portset block = {0};
            sgr_portset_add(c->a, &block, SGR_PS_CODE(pr, 0), SGR_PS_CODE(pr, 65535));
            emit(c, e, gr, &all, (int32_t)pr, &block);
        }
    }
}

/* ------------------------------------------------------------------ waivers */

static int waiver_scopes(ev *c, sgr_waiver_scope **out, const char **err)
{
    const sgr_policy *p = c->p;
    sgr_waiver_scope *s = SGR_NEW_N(c->a, sgr_waiver_scope, p->n_waivers ? p->n_waivers : 1);
    for (uint32_t i = 0; i < p->n_waivers; i++) {
        const sgr_waiver *w = &p->waivers[i];
        s[i].w = w;
        for (int k = 0; k < 2; k++) {
            const char *text = k ? w->to : w->from;
            if (!text) {
                *(k ? &s[i].any_to : &s[i].any_from) = true;
                continue;
            }
            side sd;
            const char *path = sgr_arena_printf(c->a, "%s.%s", w->path, k ? "to" : "from");
            int rc = resolve(c, path, w->line, text, false, &sd, err);
            if (rc)
                return rc;
            const char **ids = SGR_NEW_N(c->a, const char *, sd.n * 2 + 1);
            for (uint32_t j = 0; j < sd.n; j++) {
                ids[2 * j] = sd.ep[j]->id;
                ids[2 * j + 1] = sgr_endpoint_key(c->a, sd.ep[j]);
            }
            if (k) {
                s[i].to_ids = ids;
                s[i].n_to = sd.n * 2;
            } else {
                s[i].from_ids = ids;
                s[i].n_from = sd.n * 2;
            }
        }
    }
    *out = s;
    return 0;
}

/* An entry whose selector names an interface's address literally: `can`
 * with that address decides each port (its family only; a public address
 * goes through the internet, where group references never match), as long
 * as the entry's ports are few. Returns false to fall back to reach. */
enum { MAX_NAMED_QUESTIONS = 4096 };

/* The ports of protocol pr within interval iv that a question can name:
 * false when none; a protocol without ports is one question (port 0). */
static bool named_range(const sgr_ps_interval *iv, uint32_t pr, uint32_t *lo, uint32_t *hi)
{
    sgr_portrange u = sgr_proto_universe((int32_t)pr);
    *lo = pr == iv->lo >> 16 ? iv->lo & 0xFFFF : 0;
    *hi = pr == iv->hi >> 16 ? iv->hi & 0xFFFF : 0xFFFF;
    if (u.hi == 0)
        *lo = *hi = 0;
    else if (*hi > (uint32_t)u.hi)
        *hi = (uint32_t)u.hi;
    return *lo <= *hi;
}

static bool collect_named(ev *c, const sgr_policy_entry *e, uint32_t tag, const side *F, const side *T)
{
    if (!F->addr && !T->addr)
        return false;
    uint64_t n = 0;
    uint32_t lo, hi;
    for (uint32_t i = 0; i < e->ports.n; i++)
        for (uint32_t pr = e->ports.iv[i].lo >> 16; pr <= e->ports.iv[i].hi >> 16 && pr < 256; pr++)
            if (named_range(&e->ports.iv[i], pr, &lo, &hi))
                n += hi - lo + 1;
    if (n * F->n * T->n > MAX_NAMED_QUESTIONS)
        return false;
    sgr_arena *scratch = sgr_arena_new();
    for (uint32_t fi = 0; fi < F->n; fi++)
        for (uint32_t ti = 0; ti < T->n; ti++) {
            const sgr_endpoint *f = F->ep[fi], *t = T->ep[ti];
            if (f == t)
                continue;
            for (uint32_t i = 0; i < e->ports.n; i++)
                for (uint32_t pr = e->ports.iv[i].lo >> 16; pr <= e->ports.iv[i].hi >> 16 && pr < 256; pr++) {
                    sgr_portrange u = sgr_proto_universe((int32_t)pr);
                    if (!named_range(&e->ports.iv[i], pr, &lo, &hi))
                        continue;
                    for (uint32_t port = lo; port <= hi; port++) {
                        sgr_query q = {f, t, (int32_t)pr, u.hi == 0 ? -1 : (int32_t)port};
                        sgr_answer ans;
                        sgr_verdict v = sgr_can_at(c->g, &q, F->addr, T->addr, &ans, scratch);
                        if (v == SGR_UNREACHABLE)
                            continue;
                        obs *o = obs_get(c, tag, fi, ti, f, t);
                        uint32_t clo = SGR_PS_CODE(pr, port), chi = u.hi == 0 ? SGR_PS_CODE(pr, 0xFFFF) : clo;
                        sgr_portset one = {0};
                        sgr_portset_add(scratch, &one, clo, chi);
                        sgr_portset in = sgr_portset_intersect(scratch, &one, &e->ports);
                        sgr_portset_union(c->a, v == SGR_REACHABLE ? &o->def : &o->unk, &in);
                    }
                }
        }
    sgr_arena_free(scratch);
    return true;
}

int sgr_check_evaluate(sgr_graph *g, const sgr_snapshot *snap, const sgr_policy *p, const sgr_check_options *o,
                       sgr_arena *a, sgr_check_result *out, const char **err)
{
    ev c = {.g = g, .snap = snap, .p = p, .o = o, .a = a};
    const sgr_endpoint *const *all;
    c.n_all = sgr_graph_endpoints(g, &all);
    c.map = sgr_strmap_new(a);
    *err = NULL;
    memset(out, 0, sizeof *out);
    out->policy = p;
    out->allow_unknown = o->allow_unknown;
    for (uint32_t i = 0; i < p->n_entries; i++) {
        const sgr_policy_entry *e = &p->entries[i];
        side F, T;
        int rc = resolve(&c, sgr_arena_printf(a, "%s.from", e->path), e->line, e->from, true, &F, err);
        if (!rc)
            rc = resolve(&c, sgr_arena_printf(a, "%s.to", e->path), e->line, e->to, true, &T, err);
        if (rc)
            return rc;
        c.n_obs = 0;
        c.n_groups = 0;
        uint32_t tag = i + 1;
        c.from_addr = F.addr;
        c.to_addr = T.addr;
        if (!collect_named(&c, e, TAG_OBS + tag * 4, &F, &T))
            collect(&c, e, TAG_OBS + tag * 4, &F, &T);
        if (e->kind == SGR_POLICY_FORBID)
            group_forbid(&c, TAG_GROUP + tag * 4);
        else
            group_require(&c, e, tag, &F, &T);
        for (uint32_t k = 0; k < c.n_groups; k++)
            emit_group(&c, e, c.groups[k]);
    }
    out->v = c.v;
    out->n = c.n_v;
    sgr_check_finish(a, out);
    sgr_waiver_scope *scopes;
    int rc = waiver_scopes(&c, &scopes, err);
    if (rc)
        return rc;
    sgr_check_apply_waivers(out, scopes, p->n_waivers);
    return 0;
}
