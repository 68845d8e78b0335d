#include "portspace.h"
#include "portset.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static uint32_t block_lo(int32_t proto) { return SGR_PS_CODE(proto, 0); }
static uint32_t block_hi(int32_t proto) { return SGR_PS_CODE(proto, 65535); }

void sgr_portset_add(sgr_arena *a, sgr_portset *s, uint32_t lo, uint32_t hi)
{
    if (lo > hi || lo > SGR_PS_MAX)
        return;
    if (hi > SGR_PS_MAX)
        hi = SGR_PS_MAX;
    /* First interval that ends at or after lo-1 (could merge with the new one). */
    uint32_t i = 0;
    while (i < s->n && (uint64_t)s->iv[i].hi + 1 < lo)
        i++;
    /* Every interval from i that starts at or before hi+1 merges. */
    uint32_t j = i;
    while (j < s->n && s->iv[j].lo <= (uint64_t)hi + 1) {
        if (s->iv[j].lo < lo)
            lo = s->iv[j].lo;
        if (s->iv[j].hi > hi)
            hi = s->iv[j].hi;
        j++;
    }
    if (j == i) { /* insert at i */
        s->iv = sgr_arena_grow(a, s->iv, &s->cap, s->n + 1, sizeof *s->iv);
        memmove(&s->iv[i + 1], &s->iv[i], (size_t)(s->n - i) * sizeof *s->iv);
        s->n++;
    } else if (j > i + 1) { /* replace [i, j) by one */
        memmove(&s->iv[i + 1], &s->iv[j], (size_t)(s->n - j) * sizeof *s->iv);
        s->n -= j - i - 1;
    }
    s->iv[i].lo = lo;
    s->iv[i].hi = hi;
}

void sgr_portset_union(sgr_arena *a, sgr_portset *s, const sgr_portset *b)
{
    for (uint32_t i = 0; i < b->n; i++)
        sgr_portset_add(a, s, b->iv[i].lo, b->iv[i].hi);
}

sgr_portset sgr_portset_intersect(sgr_arena *a, const sgr_portset *x, const sgr_portset *y)
{
    sgr_portset r = {0};
    sgr_ps_interval piece;
    for (uint32_t i = 0, j = 0; sgr_spans_meet(x->iv, x->n, y->iv, y->n, &i, &j, &piece);)
        sgr_portset_add(a, &r, piece.lo, piece.hi);
    return r;
}

sgr_portset sgr_portset_subtract(sgr_arena *a, const sgr_portset *x, const sgr_portset *y)
{
    sgr_portset r = {0};
    uint32_t j = 0;
    for (uint32_t i = 0; i < x->n; i++) {
        uint64_t lo = x->iv[i].lo, hi = x->iv[i].hi;
        while (j < y->n && y->iv[j].hi < lo)
            j++;
        for (uint32_t k = j; k < y->n && y->iv[k].lo <= hi && lo <= hi; k++) {
            if (y->iv[k].lo > lo)
                sgr_portset_add(a, &r, (uint32_t)lo, y->iv[k].lo - 1);
            lo = (uint64_t)y->iv[k].hi + 1;
        }
        if (lo <= hi)
            sgr_portset_add(a, &r, (uint32_t)lo, (uint32_t)hi);
    }
    return r;
}

bool sgr_portset_subset(const sgr_portset *x, const sgr_portset *y)
{
    return sgr_spans_cover(y->iv, y->n, x->iv, x->n);
}

bool sgr_portset_equal(const sgr_portset *x, const sgr_portset *y)
{
    return sgr_spans_equal(x->iv, x->n, y->iv, y->n);
}

static bool has_ports(int32_t proto)
{
    return proto == SGR_PROTO_TCP || proto == SGR_PROTO_UDP || proto == SGR_PROTO_ICMP ||
           proto == SGR_PROTO_ICMPV6;
}

void sgr_portset_add_proto_ports(sgr_arena *a, sgr_portset *s, const sgr_proto_ports *pp)
{
    if (pp->protocol < 0) {
        sgr_portset_add(a, s, 0, SGR_PS_MAX);
        return;
    }
    if (pp->protocol > 255)
        return;
    if (pp->n_ranges == 0 || !has_ports(pp->protocol)) {
        sgr_portset_add(a, s, block_lo(pp->protocol), block_hi(pp->protocol));
        return;
    }
    int32_t max = (pp->protocol == SGR_PROTO_TCP || pp->protocol == SGR_PROTO_UDP) ? 65535 : 255;
    for (uint32_t i = 0; i < pp->n_ranges; i++) {
        int32_t lo = pp->ranges[i].lo, hi = pp->ranges[i].hi;
        if (lo < 0) /* ICMP -1 = every type */
            lo = 0, hi = (pp->protocol == SGR_PROTO_ICMP || pp->protocol == SGR_PROTO_ICMPV6) ? 65535 : max;
        if (hi > 65535)
            hi = 65535;
        if (lo > hi)
            continue;
        if (max == 255 && hi >= 255) /* up to the last ICMP type = the whole block */
            hi = 65535;
        sgr_portset_add(a, s, SGR_PS_CODE(pp->protocol, lo), SGR_PS_CODE(pp->protocol, hi));
    }
}

sgr_portset sgr_portset_proto(sgr_arena *a, const sgr_portset *s, int32_t proto)
{
    sgr_portset block = {0};
    sgr_portset_add(a, &block, block_lo(proto), block_hi(proto));
    return sgr_portset_intersect(a, s, &block);
}

/* ------------------------------------------------------------------ parsing */

/* A protocol token of a port spec: a name or number (sgr_proto_parse); "all"
 * is a spec of its own, not a protocol, here. */
static int32_t parse_proto(const char *t, size_t n)
{
    int32_t p = sgr_proto_parse(t, n);
    return p == SGR_PROTO_ALL ? -2 : p;
}

/* A decimal number of at most 5 digits in t[0..n); -1 when not one. */
static int32_t parse_num(const char *t, size_t n)
{
    if (n == 0 || n > 5)
        return -1;
    int32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)t[i]))
            return -1;
        v = v * 10 + (t[i] - '0');
    }
    return v;
}

static bool parse_list(sgr_arena *a, int32_t proto, const char *t, size_t n, sgr_portset *out,
                       const char **err)
{
    int32_t max = (proto == SGR_PROTO_TCP || proto == SGR_PROTO_UDP) ? 65535 : 255;
    const char *what = max == 65535 ? "port" : "ICMP type";
    if (n == 0) {
        *err = sgr_arena_printf(a, "empty %s list after \"%s:\"", what, sgr_proto_name(a, proto));
        return false;
    }
    const char *end = t + n;
    while (t <= end) {
        const char *comma = memchr(t, ',', (size_t)(end - t));
        const char *stop = comma ? comma : end;
        const char *dash = memchr(t, '-', (size_t)(stop - t));
        const char *item = sgr_arena_strndup(a, t, (size_t)(stop - t));
        int32_t lo = parse_num(t, (size_t)((dash ? dash : stop) - t));
        int32_t hi = dash ? parse_num(dash + 1, (size_t)(stop - dash - 1)) : lo;
        if (lo < 0 || hi < 0) {
            *err = sgr_arena_printf(a, "\"%s\" is not a %s or a range N-M", item, what);
            return false;
        }
        if (lo > max || hi > max) {
            *err = sgr_arena_printf(a, "%s %d out of range 0-%d", what, (int)(lo > max ? lo : hi), (int)max);
            return false;
        }
        if (lo > hi) {
            *err = sgr_arena_printf(a, "range %d-%d is reversed", (int)lo, (int)hi);
            return false;
        }
        if (max == 255 && hi == 255) /* up to the last ICMP type = the whole block */
            hi = 65535;
        sgr_portset_add(a, out, SGR_PS_CODE(proto, lo), SGR_PS_CODE(proto, hi));
        if (!comma)
            break;
        t = comma + 1;
    }
    return true;
}

bool sgr_portset_parse(sgr_arena *a, const char *text, sgr_portset *out, const char **err)
{
    memset(out, 0, sizeof *out);
    const char *p = text;
    bool any = false;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *tok = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        size_t n = (size_t)(p - tok);
        const char *colon = memchr(tok, ':', n);
        size_t pn = colon ? (size_t)(colon - tok) : n;
        any = true;
        if (pn == 3 && strncmp(tok, "all", 3) == 0) {
            if (colon) {
                *err = sgr_arena_printf(a, "\"all\" takes no ports");
                return false;
            }
            sgr_portset_add(a, out, 0, SGR_PS_MAX);
            continue;
        }
        int32_t proto = parse_proto(tok, pn);
        if (proto < 0) {
            *err = sgr_arena_printf(a, "unknown protocol \"%s\" (use tcp, udp, icmp, icmpv6, all or a protocol number 0-255)",
                                    sgr_arena_strndup(a, tok, pn));
            return false;
        }
        if (!colon) {
            sgr_portset_add(a, out, block_lo(proto), block_hi(proto));
            continue;
        }
        if (!has_ports(proto)) {
            *err = sgr_arena_printf(a, "protocol %d takes no ports", (int)proto);
            return false;
        }
        if (!parse_list(a, proto, colon + 1, n - pn - 1, out, err))
            return false;
    }
    if (!any) {
        *err = "empty port spec";
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ printing */

/* Appends one protocol's block of s (already restricted to it) without its name. */
static void add_block_ports(sgr_text *b, const sgr_portset *blk, int32_t proto)
{
    for (uint32_t i = 0; i < blk->n; i++) {
        uint32_t lo = blk->iv[i].lo & 0xFFFF, hi = blk->iv[i].hi & 0xFFFF;
        if ((proto == SGR_PROTO_ICMP || proto == SGR_PROTO_ICMPV6) && hi > 255)
            hi = 255;
        if (lo > hi)
            continue;
        if (i)
            sgr_text_str(b, ",");
        sgr_text_range(b, lo, hi);
    }
}

static bool block_whole(const sgr_portset *blk, int32_t proto)
{
    return blk->n == 1 && blk->iv[0].lo == block_lo(proto) && blk->iv[0].hi == block_hi(proto);
}

const char *sgr_portset_format_ports(sgr_arena *a, const sgr_portset *s, int32_t proto)
{
    sgr_portset blk = sgr_portset_proto(a, s, proto);
    if (blk.n == 0)
        return "none";
    if (!has_ports(proto) || ((proto == SGR_PROTO_ICMP || proto == SGR_PROTO_ICMPV6) && block_whole(&blk, proto)))
        return "all";
    sgr_text b = {.a = a};
    add_block_ports(&b, &blk, proto);
    return b.s ? b.s : "none";
}

const char *sgr_portset_format(sgr_arena *a, const sgr_portset *s)
{
    if (s->n == 0)
        return "none";
    if (s->n == 1 && s->iv[0].lo == 0 && s->iv[0].hi == SGR_PS_MAX)
        return "all";
    sgr_text b = {.a = a};
    /* the protocols whose block some interval meets, ascending, in one pass
     * over the (sorted) intervals: a report formats millions of sets, and
     * walking 260 protocols for each was most of its formatting */
    int32_t touched[256];
    uint32_t n_touched = 0;
    for (uint32_t i = 0; i < s->n; i++)
        for (uint32_t p = s->iv[i].lo >> 16; p <= s->iv[i].hi >> 16 && p < 256; p++)
            if (!n_touched || touched[n_touched - 1] < (int32_t)p)
                touched[n_touched++] = (int32_t)p;
    static const int32_t FIRST[] = {SGR_PROTO_TCP, SGR_PROTO_UDP, SGR_PROTO_ICMP, SGR_PROTO_ICMPV6};
    for (uint32_t k = 0; k < 4 + n_touched; k++) {
        int32_t proto = k < 4 ? FIRST[k] : touched[k - 4];
        if (k >= 4 && has_ports(proto))
            continue;
        bool met = k >= 4;
        for (uint32_t t = 0; !met && t < n_touched; t++)
            met = touched[t] == proto;
        if (!met)
            continue;
        sgr_portset blk = sgr_portset_proto(a, s, proto);
        if (blk.n == 0)
            continue;
        const char *sep = b.len ? " " : "";
        if (!has_ports(proto))
            sgr_text_printf(&b, "%s%d", sep, (int)proto);
        else if ((proto == SGR_PROTO_ICMP || proto == SGR_PROTO_ICMPV6) && block_whole(&blk, proto))
            sgr_text_printf(&b, "%s%s", sep, sgr_proto_name(a, proto));
        else {
            sgr_text_printf(&b, "%s%s:", sep, sgr_proto_name(a, proto));
            add_block_ports(&b, &blk, proto);
        }
    }
    return b.s ? b.s : "none";
}

bool sgr_portset_sample(const sgr_portset *s, int32_t *proto, int32_t *port)
{
    if (s->n == 0)
        return false;
    if (s->n == 1 && s->iv[0].lo == 0 && s->iv[0].hi == SGR_PS_MAX) {
        *proto = -1;
        *port = -1;
        return true;
    }
    static const int32_t ORDER[] = {SGR_PROTO_TCP, SGR_PROTO_UDP, SGR_PROTO_ICMP, SGR_PROTO_ICMPV6};
    for (int k = 0; k < 4; k++) {
        for (uint32_t i = 0; i < s->n; i++) {
            if (s->iv[i].hi < block_lo(ORDER[k]) || s->iv[i].lo > block_hi(ORDER[k]))
                continue;
            uint32_t lo = s->iv[i].lo < block_lo(ORDER[k]) ? block_lo(ORDER[k]) : s->iv[i].lo;
            uint32_t hi = s->iv[i].hi > block_hi(ORDER[k]) ? block_hi(ORDER[k]) : s->iv[i].hi;
            *proto = ORDER[k];
            *port = (int32_t)(lo & 0xFFFF);
            if (ORDER[k] != SGR_PROTO_TCP && ORDER[k] != SGR_PROTO_UDP &&
                lo == block_lo(ORDER[k]) && hi == block_hi(ORDER[k]))
                *port = -1;
            return true;
        }
    }
    *proto = (int32_t)(s->iv[0].lo >> 16);
    *port = -1;
    return true;
}
