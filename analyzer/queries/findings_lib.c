/*
 * The helpers the findings checks share (findings_int.h): adding a finding
 * with its resources and deciding rules, and questions about rules, groups,
 * instances and tasks. The driver (findings.c) calls the checks, the checks
 * call these; nothing here calls back.
 */
#include "queries/findings_int.h"

#include "graph/addrset.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sgr_finding *sgr_fadd(sgr_fctx *c, const char *check, sgr_fsev sev, const char *fix, const char *id_fmt, ...)
{
    sgr_findings *o = c->out;
    o->items = sgr_arena_grow(c->a, o->items, &o->cap, o->count + 1, sizeof *o->items);
    sgr_finding *f = &o->items[o->count++];
    memset(f, 0, sizeof *f);
    char buf[512];
    va_list ap;
    va_start(ap, id_fmt);
    vsnprintf(buf, sizeof buf, id_fmt, ap);
    va_end(ap);
    f->id = sgr_arena_printf(c->a, "%s:%s", check, buf);
    f->check = check;
    f->severity = sev;
    f->fix = fix;
    f->title = "";
    sgr_strmap_put(c->map, FTAG_ID, f->id, (void *)(uintptr_t)o->count);
    return f;
}

sgr_finding *sgr_ffind(sgr_fctx *c, const char *id)
{
    uintptr_t idx = (uintptr_t)sgr_strmap_get(c->map, FTAG_ID, id);
    return idx ? &c->out->items[idx - 1] : NULL;
}

void sgr_ftitle(sgr_fctx *c, sgr_finding *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = sgr_arena_alloc(c->a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    f->title = s;
}

void sgr_fres(sgr_fctx *c, sgr_finding *f, const char *res)
{
    if (!res)
        return;
    for (uint32_t i = 0; i < f->n_resources; i++)
        if (strcmp(f->resources[i], res) == 0)
            return;
    f->resources = sgr_arena_grow(c->a, f->resources, &f->cap_resources, f->n_resources + 1,
                                  sizeof *f->resources);
    f->resources[f->n_resources++] = res;
}

void sgr_frule_add(sgr_fctx *c, sgr_finding *f, const char *component, const char *text,
                   const sgr_origin *origin)
{
    for (uint32_t i = 0; i < f->n_rules; i++)
        if (strcmp(f->rules[i].component ? f->rules[i].component : "", component ? component : "") == 0 &&
            strcmp(f->rules[i].text, text) == 0)
            return;
    f->rules = sgr_arena_grow(c->a, f->rules, &f->cap_rules, f->n_rules + 1, sizeof *f->rules);
    sgr_frule *r = &f->rules[f->n_rules++];
    r->component = component;
    r->text = text;
    if (origin)
        r->origin = *origin;
}

void sgr_frule_add_sg(sgr_fctx *c, sgr_finding *f, const sgr_sg *g, const sgr_sg_rule *r)
{
    sgr_frule_add(c, f, g->id, sgr_frule_text(c->a, r), &r->origin);
}

const sgr_sg *sgr_fgroup(const sgr_fctx *c, const char *id)
{
    return id ? sgr_strmap_get(c->map, FTAG_SG, id) : NULL;
}

const sgr_instance *sgr_finstance(const sgr_fctx *c, const char *id)
{
    return id ? sgr_strmap_get(c->map, FTAG_INSTANCE, id) : NULL;
}

uint32_t sgr_fattached(const sgr_fctx *c, const char *group_id)
{
    return (uint32_t)(uintptr_t)sgr_strmap_get(c->map, FTAG_ATTACH, group_id);
}

/* ------------------------------------------------------------------ rule text */

const char *sgr_fprefix(sgr_arena *a, const sgr_prefix *p)
{
    return sgr_prefix_str(a, p);
}

bool sgr_frule_world(const sgr_sg_rule *r)
{
    return r->peer_kind == SGR_PEER_CIDR && r->cidr.len == 0 &&
           (r->cidr.ip.family == SGR_AF_INET || r->cidr.ip.family == SGR_AF_INET6);
}

bool sgr_frule_range(const sgr_sg_rule *r, int32_t proto, int32_t *lo, int32_t *hi)
{
    if (r->protocol == SGR_PROTO_ALL) {
        *lo = 0;
        *hi = 65535;
        return true;
    }
    if (r->protocol != proto)
        return false;
    *lo = r->from_port < 0 ? 0 : r->from_port;
    *hi = r->to_port < 0 ? 65535 : r->to_port;
    return *lo <= *hi;
}

bool sgr_frule_covers(const sgr_sg_rule *r, int32_t proto, int32_t port)
{
    int32_t lo, hi;
    return sgr_frule_range(r, proto, &lo, &hi) && port >= lo && port <= hi;
}

const char *sgr_frule_ports(sgr_arena *a, const sgr_sg_rule *r)
{
    const char *pn = r->protocol == SGR_PROTO_TCP ? "tcp" : r->protocol == SGR_PROTO_UDP ? "udp" : NULL;
    if (r->protocol == SGR_PROTO_ALL)
        return "all";
    if (pn) {
        if (r->from_port < 0 || (r->from_port == 0 && r->to_port == 65535))
            return sgr_arena_printf(a, "%s/all", pn);
        if (r->from_port == r->to_port)
            return sgr_arena_printf(a, "%s/%d", pn, r->from_port);
        return sgr_arena_printf(a, "%s/%d-%d", pn, r->from_port, r->to_port);
    }
    if (r->protocol == SGR_PROTO_ICMP || r->protocol == SGR_PROTO_ICMPV6) {
        const char *in = r->protocol == SGR_PROTO_ICMP ? "icmp" : "icmpv6";
        if (r->from_port < 0)
            return in;
        return sgr_arena_printf(a, "%s type %d", in, r->from_port);
    }
    return sgr_arena_printf(a, "proto %d", r->protocol);
}

const char *sgr_frule_text(sgr_arena *a, const sgr_sg_rule *r)
{
    const char *peer;
    if (r->peer_kind == SGR_PEER_CIDR)
        peer = sgr_fprefix(a, &r->cidr);
    else if (r->peer_kind == SGR_PEER_PREFIX_LIST)
        peer = r->prefix_list_id ? r->prefix_list_id : "?";
    else
        peer = r->group_id ? r->group_id : "?";
    const char *text = sgr_arena_printf(a, "%s %s %s %s", r->egress ? "egress" : "ingress",
                                        sgr_frule_ports(a, r), r->egress ? "to" : "from", peer);
    if (r->description && *r->description)
        text = sgr_arena_printf(a, "%s (%s)", text, r->description);
    return text;
}

/* ------------------------------------------------------------------ model helpers */

bool sgr_feni_public(const sgr_eni *e)
{
    return e && e->n_public_ips > 0;
}

bool sgr_finstance_public(const sgr_instance *in)
{
    if (!in)
        return false;
    if (in->public_ip.family)
        return true;
    for (uint32_t i = 0; i < in->n_enis; i++)
        if (sgr_feni_public(in->enis[i].eni))
            return true;
    return sgr_feni_public(in->primary_eni);
}

uint32_t sgr_finstance_groups(const sgr_fctx *c, const sgr_instance *in, const sgr_sg **out, uint32_t max)
{
    uint32_t n = 0;
    const sgr_eni *e = in->primary_eni;
    if (e && e->group_ids.count) {
        for (uint32_t i = 0; i < e->group_ids.count && n < max; i++) {
            const sgr_sg *g = e->groups ? e->groups[i] : NULL;
            if (!g)
                g = sgr_fgroup(c, e->group_ids.items[i]);
            if (g)
                out[n++] = g;
        }
        return n;
    }
    for (uint32_t i = 0; i < in->group_ids.count && n < max; i++) {
        const sgr_sg *g = sgr_fgroup(c, in->group_ids.items[i]);
        if (g)
            out[n++] = g;
    }
    return n;
}

const sgr_instance *sgr_ftask_instance(const sgr_task *t)
{
    if (t->instance)
        return t->instance;
    if (t->container_instance && t->container_instance->instance)
        return t->container_instance->instance;
    return NULL;
}

sgr_net_mode sgr_ftask_mode(const sgr_task *t)
{
    if (t->task_def)
        return t->task_def->network_mode;
    if (t->eni_id || t->eni)
        return SGR_NET_AWSVPC;
    return SGR_NET_BRIDGE;
}

static int cmp_placed(const void *pa, const void *pb)
{
    const sgr_fplaced *a = pa, *b = pb;
    if (a->in != b->in)
        return (uintptr_t)a->in < (uintptr_t)b->in ? -1 : 1;
    return a->task < b->task ? -1 : a->task > b->task;
}

const sgr_fplaced *sgr_ftasks_on(sgr_fctx *c, const sgr_instance *in, uint32_t *n)
{
    const sgr_snapshot *s = c->snap;
    if (!c->placed) {
        c->placed = SGR_NEW_N(c->a, sgr_fplaced, s->n_tasks ? s->n_tasks : 1);
        for (uint32_t t = 0; t < s->n_tasks; t++) {
            const sgr_instance *at = sgr_ftask_instance(s->tasks[t]);
            if (at)
                c->placed[c->n_placed++] = (sgr_fplaced){at, t};
        }
        if (c->n_placed > 1)
            qsort(c->placed, c->n_placed, sizeof *c->placed, cmp_placed);
    }
    uint32_t first = 0, hi = c->n_placed;
    while (first < hi) {
        uint32_t mid = first + (hi - first) / 2;
        if ((uintptr_t)c->placed[mid].in < (uintptr_t)in)
            first = mid + 1;
        else
            hi = mid;
    }
    uint32_t k = first;
    while (k < c->n_placed && c->placed[k].in == in)
        k++;
    *n = k - first;
    return &c->placed[first];
}

/* ------------------------------------------------------------------ driver */
