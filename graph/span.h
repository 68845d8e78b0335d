/*
 * Spans: sorted lists of disjoint, non-adjacent closed intervals of
 * uint32_t. Two sets are made of them: the IPv4 half of an address set
 * (addrset.h, sgr_r4) and the protocol × port codes of a port space
 * (portspace.h, sgr_ps_interval). What both need is written once here,
 * inline: the engine calls these in its inner loops.
 */
#ifndef SGREACH_SPAN_H
#define SGREACH_SPAN_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sgr_span {
    uint32_t lo, hi;
} sgr_span;

/* The first span of s[0..n) that ends at or after v: where v is, or what
 * comes next; n when none does. */
static inline uint32_t sgr_spans_find(const sgr_span *s, uint32_t n, uint32_t v)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s[mid].hi < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* True when every value of inner[0..n_inner) is in outer[0..n_outer). */
static inline bool sgr_spans_cover(const sgr_span *outer, uint32_t n_outer, const sgr_span *inner, uint32_t n_inner)
{
    uint32_t j = 0;
    for (uint32_t i = 0; i < n_inner; i++) {
        while (j < n_outer && outer[j].hi < inner[i].lo)
            j++;
        if (j == n_outer || outer[j].lo > inner[i].lo || outer[j].hi < inner[i].hi)
            return false;
    }
    return true;
}

static inline bool sgr_spans_equal(const sgr_span *x, uint32_t nx, const sgr_span *y, uint32_t ny)
{
    if (nx != ny)
        return false;
    for (uint32_t i = 0; i < nx; i++)
        if (x[i].lo != y[i].lo || x[i].hi != y[i].hi)
            return false;
    return true;
}

/* The pieces of x ∩ y one at a time, in order: call with *i = *j = 0 until
 * it returns false. The pieces are disjoint and non-adjacent, as x and y are. */
static inline bool sgr_spans_meet(const sgr_span *x, uint32_t nx, const sgr_span *y, uint32_t ny, uint32_t *i,
                                  uint32_t *j, sgr_span *piece)
{
    while (*i < nx && *j < ny) {
        const sgr_span *p = &x[*i], *q = &y[*j];
        piece->lo = p->lo > q->lo ? p->lo : q->lo;
        piece->hi = p->hi < q->hi ? p->hi : q->hi;
        if (p->hi < q->hi)
            (*i)++;
        else
            (*j)++;
        if (piece->lo <= piece->hi)
            return true;
    }
    return false;
}

#endif
