#include "portset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

sgr_portrange sgr_proto_universe(int32_t protocol)
{
    sgr_portrange r = {0, 0};
    if (protocol == SGR_PROTO_TCP || protocol == SGR_PROTO_UDP)
        r.hi = 65535;
    else if (protocol == SGR_PROTO_ICMP || protocol == SGR_PROTO_ICMPV6)
        r.hi = 255;
    return r;
}

void sgr_pset_add(sgr_arena *a, sgr_pset *s, int32_t lo, int32_t hi)
{
    if (lo > hi)
        return;
    if (s->n == s->cap)
        s->r = sgr_arena_grow(a, s->r, &s->cap, s->n + 1, sizeof *s->r);
    s->r[s->n].lo = lo;
    s->r[s->n++].hi = hi;
}

static int cmp_range(const void *x, const void *y)
{
    const sgr_portrange *a = x, *b = y;
    return a->lo < b->lo ? -1 : a->lo > b->lo;
}

void sgr_pset_norm(sgr_pset *s)
{
    if (s->n < 2)
        return;
    qsort(s->r, s->n, sizeof *s->r, cmp_range);
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        if (n && s->r[i].lo <= s->r[n - 1].hi + 1) {
            if (s->r[i].hi > s->r[n - 1].hi)
                s->r[n - 1].hi = s->r[i].hi;
        } else {
            s->r[n++] = s->r[i];
        }
    }
    s->n = n;
}

/* Room for exactly n ranges in an empty set: the engine makes millions of
 * small sets on a large estate, and growing each from eight cost more than
 * the work done with it. */
static void reserve(sgr_arena *a, sgr_pset *s, uint32_t n)
{
    if (n && !s->cap) {
        s->r = sgr_arena_alloc_array(a, n, sizeof *s->r);
        s->cap = n;
    }
}

sgr_pset sgr_pset_range(sgr_arena *a, int32_t lo, int32_t hi)
{
    sgr_pset s = {0};
    if (lo <= hi)
        reserve(a, &s, 1);
    sgr_pset_add(a, &s, lo, hi);
    return s;
}

sgr_pset sgr_pset_union(sgr_arena *a, const sgr_pset *x, const sgr_pset *y)
{
    sgr_pset s = {0};
    reserve(a, &s, x->n + y->n);
    for (uint32_t i = 0; i < x->n; i++)
        sgr_pset_add(a, &s, x->r[i].lo, x->r[i].hi);
    for (uint32_t i = 0; i < y->n; i++)
        sgr_pset_add(a, &s, y->r[i].lo, y->r[i].hi);
    sgr_pset_norm(&s);
    return s;
}

sgr_pset sgr_pset_intersect(sgr_arena *a, const sgr_pset *x, const sgr_pset *y)
{
    sgr_pset s = {0};
    if (x->n && y->n)
        reserve(a, &s, x->n + y->n - 1); /* each step keeps at most one range and drops one */
    for (uint32_t i = 0, j = 0; i < x->n && j < y->n;) {
        int32_t lo = x->r[i].lo > y->r[j].lo ? x->r[i].lo : y->r[j].lo;
        int32_t hi = x->r[i].hi < y->r[j].hi ? x->r[i].hi : y->r[j].hi;
        if (lo <= hi)
            sgr_pset_add(a, &s, lo, hi);
        if (x->r[i].hi < y->r[j].hi)
            i++;
        else
            j++;
    }
    return s;
}

sgr_pset sgr_pset_subtract(sgr_arena *a, const sgr_pset *x, const sgr_pset *y)
{
    sgr_pset s = {0};
    for (uint32_t i = 0; i < x->n; i++) {
        int32_t lo = x->r[i].lo, hi = x->r[i].hi;
        bool done = false;
        for (uint32_t k = 0; k < y->n && y->r[k].lo <= hi; k++) {
            if (y->r[k].hi < lo)
                continue;
            if (y->r[k].lo > lo)
                sgr_pset_add(a, &s, lo, y->r[k].lo - 1);
            if (y->r[k].hi >= hi) {
                done = true;
                break;
            }
            lo = y->r[k].hi + 1;
        }
        if (!done)
            sgr_pset_add(a, &s, lo, hi);
    }
    return s;
}

bool sgr_pset_covers(const sgr_pset *s, int32_t lo, int32_t hi)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (s->r[i].lo <= lo && s->r[i].hi >= hi)
            return true;
    return false;
}

bool sgr_pset_overlaps(const sgr_pset *s, int32_t lo, int32_t hi)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (s->r[i].lo <= hi && s->r[i].hi >= lo)
            return true;
    return false;
}

bool sgr_pset_empty(const sgr_pset *s)
{
    return s->n == 0;
}

bool sgr_pset_equal(const sgr_pset *x, const sgr_pset *y)
{
    if (x->n != y->n)
        return false;
    for (uint32_t i = 0; i < x->n; i++)
        if (x->r[i].lo != y->r[i].lo || x->r[i].hi != y->r[i].hi)
            return false;
    return true;
}

int32_t sgr_proto_parse(const char *text, size_t n)
{
    static const struct {
        const char *name;
        int32_t num;
    } NAMES[] = {{"tcp", SGR_PROTO_TCP},       {"udp", SGR_PROTO_UDP}, {"icmp", SGR_PROTO_ICMP},
                 {"icmpv6", SGR_PROTO_ICMPV6}, {"all", SGR_PROTO_ALL}, {"-1", SGR_PROTO_ALL}};
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (strlen(NAMES[i].name) == n && strncasecmp(text, NAMES[i].name, n) == 0)
            return NAMES[i].num;
    if (n == 0 || n > 3 || (n > 1 && text[0] == '0'))
        return -2;
    int32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -2;
        v = v * 10 + (text[i] - '0');
    }
    return v <= 255 ? v : -2;
}

const char *sgr_proto_name(sgr_arena *a, int32_t protocol)
{
    switch (protocol) {
    case SGR_PROTO_ALL: return "all";
    case SGR_PROTO_TCP: return "tcp";
    case SGR_PROTO_UDP: return "udp";
    case SGR_PROTO_ICMP: return "icmp";
    case SGR_PROTO_ICMPV6: return "icmpv6";
    default: return sgr_arena_printf(a, "%d", protocol);
    }
}

const char *sgr_proto_port_str(sgr_arena *a, int32_t protocol, int32_t lo, int32_t hi)
{
    if (protocol == SGR_PROTO_ALL)
        return "all traffic";
    const char *name = sgr_proto_name(a, protocol);
    sgr_portrange u = sgr_proto_universe(protocol);
    if (u.hi == 0)
        return sgr_arena_printf(a, "proto %s", name);
    if (lo <= u.lo && hi >= u.hi)
        return sgr_arena_printf(a, "%s/all", name);
    if (protocol == SGR_PROTO_ICMP || protocol == SGR_PROTO_ICMPV6) {
        if (lo == hi)
            return sgr_arena_printf(a, "%s type %d", name, lo);
        return sgr_arena_printf(a, "%s types %d-%d", name, lo, hi);
    }
    if (lo == hi)
        return sgr_arena_printf(a, "%s/%d", name, lo);
    return sgr_arena_printf(a, "%s/%d-%d", name, lo, hi);
}

void sgr_text_range(sgr_text *t, long lo, long hi)
{
    sgr_text_int(t, lo);
    if (hi != lo) {
        sgr_text_str(t, "-");
        sgr_text_int(t, hi);
    }
}

/* SPEC: "tcp:443,8080-8090 udp:53"; protocol -1 prints "all". */
const char *sgr_format_ports(const sgr_proto_ports *ports, uint32_t n, sgr_arena *scratch)
{
    sgr_text o = {.a = scratch};
    for (uint32_t i = 0; i < n; i++) {
        const sgr_proto_ports *p = &ports[i];
        if (o.len)
            sgr_text_str(&o, " ");
        if (p->protocol == SGR_PROTO_ALL) {
            sgr_text_str(&o, "all");
            continue;
        }
        sgr_text_str(&o, sgr_proto_name(scratch, p->protocol));
        sgr_portrange u = sgr_proto_universe(p->protocol);
        if (u.hi == 0)
            continue;
        sgr_text_str(&o, ":");
        if (p->n_ranges == 0) /* empty = every port */
            sgr_text_range(&o, u.lo, u.hi);
        for (uint32_t k = 0; k < p->n_ranges; k++) {
            if (k)
                sgr_text_str(&o, ",");
            sgr_text_range(&o, p->ranges[k].lo, p->ranges[k].hi);
        }
    }
    return o.s ? o.s : "";
}
