#include "addrset.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- 128-bit helpers */

int sgr_u128_cmp(sgr_u128 a, sgr_u128 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo)
        return a.lo < b.lo ? -1 : 1;
    return 0;
}

static bool u128_is_max(sgr_u128 a)
{
    return a.hi == UINT64_MAX && a.lo == UINT64_MAX;
}

static sgr_u128 u128_inc(sgr_u128 a)
{
    sgr_u128 r = {a.hi + (a.lo == UINT64_MAX), a.lo + 1};
    return r;
}

static sgr_u128 u128_dec(sgr_u128 a)
{
    sgr_u128 r = {a.hi - (a.lo == 0), a.lo - 1};
    return r;
}

static sgr_u128 u128_max(sgr_u128 a, sgr_u128 b)
{
    return sgr_u128_cmp(a, b) >= 0 ? a : b;
}

static sgr_u128 u128_min(sgr_u128 a, sgr_u128 b)
{
    return sgr_u128_cmp(a, b) <= 0 ? a : b;
}

uint32_t sgr_ip_v4(const sgr_ip *ip)
{
    return (uint32_t)ip->b[0] << 24 | (uint32_t)ip->b[1] << 16 | (uint32_t)ip->b[2] << 8 | ip->b[3];
}

sgr_u128 sgr_ip_v6(const sgr_ip *ip)
{
    sgr_u128 r = {0, 0};
    for (int i = 0; i < 8; i++) {
        r.hi = r.hi << 8 | ip->b[i];
        r.lo = r.lo << 8 | ip->b[8 + i];
    }
    return r;
}

sgr_ip sgr_ip_from_v4(uint32_t v)
{
    sgr_ip ip;
    memset(&ip, 0, sizeof ip);
    ip.family = SGR_AF_INET;
    ip.b[0] = (uint8_t)(v >> 24);
    ip.b[1] = (uint8_t)(v >> 16);
    ip.b[2] = (uint8_t)(v >> 8);
    ip.b[3] = (uint8_t)v;
    return ip;
}

sgr_ip sgr_ip_from_v6(sgr_u128 v)
{
    sgr_ip ip;
    memset(&ip, 0, sizeof ip);
    ip.family = SGR_AF_INET6;
    for (int i = 0; i < 8; i++) {
        ip.b[7 - i] = (uint8_t)(v.hi >> (8 * i));
        ip.b[15 - i] = (uint8_t)(v.lo >> (8 * i));
    }
    return ip;
}

static void prefix_range4(const sgr_prefix *p, uint32_t *lo, uint32_t *hi)
{
    uint32_t len = p->len > 32 ? 32 : p->len;
    uint32_t mask = len == 0 ? 0 : UINT32_MAX << (32 - len);
    *lo = sgr_ip_v4(&p->ip) & mask;
    *hi = *lo | ~mask;
}

static void prefix_range6(const sgr_prefix *p, sgr_u128 *lo, sgr_u128 *hi)
{
    uint32_t len = p->len > 128 ? 128 : p->len;
    sgr_u128 v = sgr_ip_v6(&p->ip), m;
    if (len <= 64) {
        m.hi = len == 0 ? 0 : UINT64_MAX << (64 - len);
        m.lo = 0;
    } else {
        m.hi = UINT64_MAX;
        m.lo = UINT64_MAX << (128 - len);
    }
    lo->hi = v.hi & m.hi;
    lo->lo = v.lo & m.lo;
    hi->hi = lo->hi | ~m.hi;
    hi->lo = lo->lo | ~m.lo;
}

bool sgr_prefix_contains(const sgr_prefix *p, const sgr_ip *ip)
{
    if (p->ip.family != ip->family)
        return false;
    if (ip->family == SGR_AF_INET) {
        uint32_t lo, hi, v = sgr_ip_v4(ip);
        prefix_range4(p, &lo, &hi);
        return v >= lo && v <= hi;
    }
    sgr_u128 lo, hi, v = sgr_ip_v6(ip);
    prefix_range6(p, &lo, &hi);
    return sgr_u128_cmp(v, lo) >= 0 && sgr_u128_cmp(v, hi) <= 0;
}

bool sgr_prefix_covers(const sgr_prefix *outer, const sgr_prefix *inner)
{
    return outer->len <= inner->len && sgr_prefix_contains(outer, &inner->ip);
}

/* ---------------------------------------------------------------- builder */

void sgr_asb_init(sgr_addrset_builder *b, sgr_arena *a)
{
    memset(b, 0, sizeof *b);
    b->a = a;
}

void sgr_asb_add_r4(sgr_addrset_builder *b, uint32_t lo, uint32_t hi)
{
    if (b->n4 == b->cap4)
        b->r4 = sgr_arena_grow(b->a, b->r4, &b->cap4, b->n4 + 1, sizeof *b->r4);
    b->r4[b->n4].lo = lo;
    b->r4[b->n4++].hi = hi;
}

void sgr_asb_add_r6(sgr_addrset_builder *b, sgr_u128 lo, sgr_u128 hi)
{
    if (b->n6 == b->cap6)
        b->r6 = sgr_arena_grow(b->a, b->r6, &b->cap6, b->n6 + 1, sizeof *b->r6);
    b->r6[b->n6].lo = lo;
    b->r6[b->n6++].hi = hi;
}

void sgr_asb_add_prefix(sgr_addrset_builder *b, const sgr_prefix *p)
{
    if (p->ip.family == SGR_AF_INET) {
        uint32_t lo, hi;
        prefix_range4(p, &lo, &hi);
        sgr_asb_add_r4(b, lo, hi);
    } else if (p->ip.family == SGR_AF_INET6) {
        sgr_u128 lo, hi;
        prefix_range6(p, &lo, &hi);
        sgr_asb_add_r6(b, lo, hi);
    }
}

void sgr_asb_add_ip(sgr_addrset_builder *b, const sgr_ip *ip)
{
    if (ip->family == SGR_AF_INET) {
        uint32_t v = sgr_ip_v4(ip);
        sgr_asb_add_r4(b, v, v);
    } else if (ip->family == SGR_AF_INET6) {
        sgr_u128 v = sgr_ip_v6(ip);
        sgr_asb_add_r6(b, v, v);
    }
}

void sgr_asb_add_set(sgr_addrset_builder *b, const sgr_addrset *s)
{
    for (uint32_t i = 0; i < s->n4; i++)
        sgr_asb_add_r4(b, s->r4[i].lo, s->r4[i].hi);
    for (uint32_t i = 0; i < s->n6; i++)
        sgr_asb_add_r6(b, s->r6[i].lo, s->r6[i].hi);
}

static int cmp_r4(const void *x, const void *y)
{
    const sgr_r4 *a = x, *b = y;
    return a->lo < b->lo ? -1 : a->lo > b->lo;
}

static int cmp_r6(const void *x, const void *y)
{
    const sgr_r6 *a = x, *b = y;
    return sgr_u128_cmp(a->lo, b->lo);
}

sgr_addrset sgr_asb_build(sgr_addrset_builder *b)
{
    sgr_addrset s = {0};
    if (b->n4) {
        qsort(b->r4, b->n4, sizeof *b->r4, cmp_r4);
        uint32_t n = 0;
        for (uint32_t i = 0; i < b->n4; i++) {
            /* merge overlapping and adjacent ranges; hi == MAX absorbs the rest */
            if (n && (b->r4[n - 1].hi == UINT32_MAX || b->r4[i].lo <= b->r4[n - 1].hi + 1)) {
                if (b->r4[i].hi > b->r4[n - 1].hi)
                    b->r4[n - 1].hi = b->r4[i].hi;
            } else {
                b->r4[n++] = b->r4[i];
            }
        }
        s.r4 = b->r4;
        s.n4 = n;
    }
    if (b->n6) {
        qsort(b->r6, b->n6, sizeof *b->r6, cmp_r6);
        uint32_t n = 0;
        for (uint32_t i = 0; i < b->n6; i++) {
            if (n && (u128_is_max(b->r6[n - 1].hi) ||
                      sgr_u128_cmp(b->r6[i].lo, u128_inc(b->r6[n - 1].hi)) <= 0)) {
                b->r6[n - 1].hi = u128_max(b->r6[n - 1].hi, b->r6[i].hi);
            } else {
                b->r6[n++] = b->r6[i];
            }
        }
        s.r6 = b->r6;
        s.n6 = n;
    }
    return s;
}

/* ---------------------------------------------------------------- operations */

sgr_addrset sgr_addrset_prefix(sgr_arena *a, const sgr_prefix *p)
{
    sgr_addrset_builder b;
    sgr_asb_init(&b, a);
    sgr_asb_add_prefix(&b, p);
    return sgr_asb_build(&b);
}

sgr_addrset sgr_addrset_union(sgr_arena *a, const sgr_addrset *x, const sgr_addrset *y)
{
    sgr_addrset_builder b;
    sgr_asb_init(&b, a);
    sgr_asb_add_set(&b, x);
    sgr_asb_add_set(&b, y);
    return sgr_asb_build(&b);
}

sgr_addrset sgr_addrset_intersect(sgr_arena *a, const sgr_addrset *x, const sgr_addrset *y)
{
    sgr_addrset_builder b;
    sgr_asb_init(&b, a);
    sgr_r4 piece;
    for (uint32_t i = 0, j = 0; sgr_spans_meet(x->r4, x->n4, y->r4, y->n4, &i, &j, &piece);)
        sgr_asb_add_r4(&b, piece.lo, piece.hi);
    for (uint32_t i = 0, j = 0; i < x->n6 && j < y->n6;) {
        sgr_u128 lo = u128_max(x->r6[i].lo, y->r6[j].lo);
        sgr_u128 hi = u128_min(x->r6[i].hi, y->r6[j].hi);
        if (sgr_u128_cmp(lo, hi) <= 0)
            sgr_asb_add_r6(&b, lo, hi);
        if (sgr_u128_cmp(x->r6[i].hi, y->r6[j].hi) < 0)
            i++;
        else
            j++;
    }
    return sgr_asb_build(&b);
}

sgr_addrset sgr_addrset_subtract(sgr_arena *a, const sgr_addrset *x, const sgr_addrset *y)
{
    sgr_addrset_builder b;
    sgr_asb_init(&b, a);
    uint32_t j = 0;
    for (uint32_t i = 0; i < x->n4; i++) {
        uint32_t lo = x->r4[i].lo, hi = x->r4[i].hi;
        bool done = false;
        while (j < y->n4 && y->r4[j].hi < lo)
            j++;
        for (uint32_t k = j; k < y->n4 && y->r4[k].lo <= hi; k++) {
            if (y->r4[k].lo > lo)
                sgr_asb_add_r4(&b, lo, y->r4[k].lo - 1);
            if (y->r4[k].hi >= hi) {
                done = true;
                break;
            }
            lo = y->r4[k].hi + 1;
        }
        if (!done)
            sgr_asb_add_r4(&b, lo, hi);
    }
    j = 0;
    for (uint32_t i = 0; i < x->n6; i++) {
        sgr_u128 lo = x->r6[i].lo, hi = x->r6[i].hi;
        bool done = false;
        while (j < y->n6 && sgr_u128_cmp(y->r6[j].hi, lo) < 0)
            j++;
        for (uint32_t k = j; k < y->n6 && sgr_u128_cmp(y->r6[k].lo, hi) <= 0; k++) {
            if (sgr_u128_cmp(y->r6[k].lo, lo) > 0)
                sgr_asb_add_r6(&b, lo, u128_dec(y->r6[k].lo));
            if (sgr_u128_cmp(y->r6[k].hi, hi) >= 0) {
                done = true;
                break;
            }
            lo = u128_inc(y->r6[k].hi);
        }
        if (!done)
            sgr_asb_add_r6(&b, lo, hi);
    }
    return sgr_asb_build(&b);
}

bool sgr_addrset_empty(const sgr_addrset *s)
{
    return s->n4 == 0 && s->n6 == 0;
}

bool sgr_addrset_contains(const sgr_addrset *s, const sgr_ip *ip)
{
    if (ip->family == SGR_AF_INET)
        return sgr_addrset_contains4(s, sgr_ip_v4(ip));
    if (ip->family == SGR_AF_INET6) {
        sgr_u128 v = sgr_ip_v6(ip);
        uint32_t k = sgr_addrset_find6(s, v);
        return k < s->n6 && sgr_u128_cmp(s->r6[k].lo, v) <= 0;
    }
    return false;
}

uint32_t sgr_addrset_find6(const sgr_addrset *s, sgr_u128 v)
{
    uint32_t lo = 0, hi = s->n6;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (sgr_u128_cmp(s->r6[mid].hi, v) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool sgr_addrset_covers(const sgr_addrset *outer, const sgr_addrset *inner)
{
    if (!sgr_spans_cover(outer->r4, outer->n4, inner->r4, inner->n4))
        return false;
    uint32_t j = 0;
    for (uint32_t i = 0; i < inner->n6; i++) {
        while (j < outer->n6 && sgr_u128_cmp(outer->r6[j].hi, inner->r6[i].lo) < 0)
            j++;
        if (j == outer->n6 || sgr_u128_cmp(outer->r6[j].lo, inner->r6[i].lo) > 0 ||
            sgr_u128_cmp(outer->r6[j].hi, inner->r6[i].hi) < 0)
            return false;
    }
    return true;
}

bool sgr_addrset_overlaps(const sgr_addrset *x, const sgr_addrset *y)
{
    for (uint32_t i = 0, j = 0; i < x->n4 && j < y->n4;) {
        if (x->r4[i].hi < y->r4[j].lo)
            i++;
        else if (y->r4[j].hi < x->r4[i].lo)
            j++;
        else
            return true;
    }
    for (uint32_t i = 0, j = 0; i < x->n6 && j < y->n6;) {
        if (sgr_u128_cmp(x->r6[i].hi, y->r6[j].lo) < 0)
            i++;
        else if (sgr_u128_cmp(y->r6[j].hi, x->r6[i].lo) < 0)
            j++;
        else
            return true;
    }
    return false;
}

bool sgr_addrset_equal(const sgr_addrset *x, const sgr_addrset *y)
{
    if (!sgr_spans_equal(x->r4, x->n4, y->r4, y->n4) || x->n6 != y->n6)
        return false;
    for (uint32_t i = 0; i < x->n6; i++)
        if (sgr_u128_cmp(x->r6[i].lo, y->r6[i].lo) || sgr_u128_cmp(x->r6[i].hi, y->r6[i].hi))
            return false;
    return true;
}

sgr_addrset sgr_addrset_public(sgr_arena *a)
{
    static const struct {
        uint8_t b0, b1, len;
    } NOT_PUBLIC[] = {
        {0, 0, 8}, {10, 0, 8}, {100, 64, 10}, {127, 0, 8}, {169, 254, 16},
        {172, 16, 12}, {192, 168, 16}, {224, 0, 3},
    };
    sgr_addrset_builder all, priv;
    sgr_asb_init(&all, a);
    sgr_asb_init(&priv, a);
    sgr_asb_add_r4(&all, 0, UINT32_MAX);
    sgr_u128 lo6 = {0x2000000000000000ULL, 0}, hi6 = {0x3fffffffffffffffULL, UINT64_MAX};
    sgr_asb_add_r6(&all, lo6, hi6);
    for (size_t i = 0; i < sizeof NOT_PUBLIC / sizeof NOT_PUBLIC[0]; i++) {
        sgr_prefix p;
        memset(&p, 0, sizeof p);
        p.ip.family = SGR_AF_INET;
        p.ip.b[0] = NOT_PUBLIC[i].b0;
        p.ip.b[1] = NOT_PUBLIC[i].b1;
        p.len = NOT_PUBLIC[i].len;
        sgr_asb_add_prefix(&priv, &p);
    }
    sgr_addrset x = sgr_asb_build(&all), y = sgr_asb_build(&priv);
    return sgr_addrset_subtract(a, &x, &y);
}

sgr_addrset sgr_addrset_internet(sgr_arena *a)
{
    static const char *const DOC[] = {"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"};
    sgr_addrset pub = sgr_addrset_public(a);
    sgr_addrset_builder b;
    sgr_asb_init(&b, a);
    for (size_t i = 0; i < sizeof DOC / sizeof DOC[0]; i++) {
        unsigned o[4], len;
        if (sscanf(DOC[i], "%u.%u.%u.%u/%u", &o[0], &o[1], &o[2], &o[3], &len) == 5) {
            uint32_t v = o[0] << 24 | o[1] << 16 | o[2] << 8 | o[3];
            sgr_asb_add_r4(&b, v, v | (UINT32_MAX >> len));
        }
    }
    sgr_u128 lo = {0x20010db800000000ULL, 0}, hi = {0x20010db8ffffffffULL, UINT64_MAX}; /* 2001:db8::/32 */
    sgr_asb_add_r6(&b, lo, hi);
    sgr_addrset doc = sgr_asb_build(&b);
    return sgr_addrset_subtract(a, &pub, &doc);
}

/* ---------------------------------------------------------------- text */

const char *sgr_format_ip(const sgr_ip *ip, char *buf, size_t len)
{
    if (!ip || (ip->family != SGR_AF_INET && ip->family != SGR_AF_INET6) ||
        !inet_ntop(ip->family == SGR_AF_INET ? AF_INET : AF_INET6, ip->b, buf, (socklen_t)len))
        snprintf(buf, len, "-");
    return buf;
}

const char *sgr_format_prefix(const sgr_prefix *p, char *buf, size_t len)
{
    char ip[64];
    sgr_format_ip(&p->ip, ip, sizeof ip);
    snprintf(buf, len, "%s/%u", ip, (unsigned)p->len);
    return buf;
}

const char *sgr_ip_str(sgr_arena *a, const sgr_ip *ip)
{
    char buf[64];
    if (ip->family != SGR_AF_INET && ip->family != SGR_AF_INET6)
        return "?";
    return sgr_arena_strdup(a, sgr_format_ip(ip, buf, sizeof buf));
}

const char *sgr_prefix_str(sgr_arena *a, const sgr_prefix *p)
{
    return sgr_arena_printf(a, "%s/%u", sgr_ip_str(a, &p->ip), p->len);
}

/* Appends the CIDRs covering [lo, hi] (IPv4) to the text, counting them. */
static void r4_cidrs(sgr_arena *a, char **text, uint32_t lo, uint32_t hi, uint32_t *count, uint32_t max)
{
    uint64_t cur = lo;
    while (cur <= hi && *count <= max) {
        unsigned len = 32;
        while (len > 0) {
            uint64_t size = 1ULL << (32 - (len - 1));
            if ((cur & (size - 1)) != 0 || cur + size - 1 > hi)
                break;
            len--;
        }
        if (*count < max) {
            sgr_ip ip = sgr_ip_from_v4((uint32_t)cur);
            *text = sgr_arena_printf(a, "%s%s%s/%u", *text, **text ? ", " : "", sgr_ip_str(a, &ip), len);
        }
        (*count)++;
        cur += 1ULL << (32 - len);
    }
}

static void r6_cidrs(sgr_arena *a, char **text, sgr_u128 lo, sgr_u128 hi, uint32_t *count, uint32_t max)
{
    for (;;) {
        if (*count > max)
            return;
        /* largest aligned block at lo that fits in [lo, hi] */
        unsigned len = 128;
        while (len > 0) {
            unsigned bits = 128 - (len - 1); /* block size 2^bits */
            sgr_u128 m; /* size - 1 */
            m.lo = bits >= 64 ? UINT64_MAX : (1ULL << bits) - 1;
            m.hi = bits >= 128 ? UINT64_MAX : bits > 64 ? (1ULL << (bits - 64)) - 1 : 0;
            if ((lo.lo & m.lo) || (lo.hi & m.hi))
                break;
            sgr_u128 end = {lo.hi | m.hi, lo.lo | m.lo};
            if (sgr_u128_cmp(end, hi) > 0)
                break;
            len--;
        }
        if (*count < max) {
            sgr_ip ip = sgr_ip_from_v6(lo);
            *text = sgr_arena_printf(a, "%s%s%s/%u", *text, **text ? ", " : "", sgr_ip_str(a, &ip), len);
        }
        (*count)++;
        unsigned bits = 128 - len;
        sgr_u128 m;
        m.lo = bits >= 64 ? UINT64_MAX : (1ULL << bits) - 1;
        m.hi = bits >= 128 ? UINT64_MAX : bits > 64 ? (1ULL << (bits - 64)) - 1 : 0;
        sgr_u128 end = {lo.hi | m.hi, lo.lo | m.lo};
        if (sgr_u128_cmp(end, hi) >= 0)
            return;
        lo = u128_inc(end);
    }
}

const char *sgr_addrset_str(sgr_arena *a, const sgr_addrset *s, uint32_t max)
{
    char *text = sgr_arena_strdup(a, "");
    uint32_t count = 0;
    for (uint32_t i = 0; i < s->n4 && count <= max; i++)
        r4_cidrs(a, &text, s->r4[i].lo, s->r4[i].hi, &count, max);
    for (uint32_t i = 0; i < s->n6 && count <= max; i++)
        r6_cidrs(a, &text, s->r6[i].lo, s->r6[i].hi, &count, max);
    if (count > max)
        text = sgr_arena_printf(a, "%s, …", text);
    return text;
}
