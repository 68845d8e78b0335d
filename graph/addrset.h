/*
 * Address sets: IPv4 and IPv6 kept apart (an IPv6 rule never matches an IPv4
 * flow), each a sorted list of disjoint, non-adjacent closed intervals.
 * IPv4 as uint32_t, IPv6 as a (hi, lo) pair of uint64_t.
 *
 * Sets are immutable values allocated in the arena given to the operation
 * that made them; the empty set needs no allocation (zeroed struct).
 */
#ifndef SGREACH_ADDRSET_H
#define SGREACH_ADDRSET_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "span.h"
#include "sgreach/model.h"

typedef struct sgr_u128 {
    uint64_t hi, lo;
} sgr_u128;

typedef sgr_span sgr_r4;

typedef struct sgr_r6 {
    sgr_u128 lo, hi;
} sgr_r6;

typedef struct sgr_addrset {
    sgr_r4 *r4;
    uint32_t n4;
    sgr_r6 *r6;
    uint32_t n6;
} sgr_addrset;

/* A growable, unsorted collection of ranges; sgr_addrset_build sorts and merges. */
typedef struct sgr_addrset_builder {
    sgr_arena *a;
    sgr_r4 *r4;
    uint32_t n4, cap4;
    sgr_r6 *r6;
    uint32_t n6, cap6;
} sgr_addrset_builder;

void sgr_asb_init(sgr_addrset_builder *b, sgr_arena *a);
void sgr_asb_add_prefix(sgr_addrset_builder *b, const sgr_prefix *p);
void sgr_asb_add_ip(sgr_addrset_builder *b, const sgr_ip *ip);
void sgr_asb_add_set(sgr_addrset_builder *b, const sgr_addrset *s);
void sgr_asb_add_r4(sgr_addrset_builder *b, uint32_t lo, uint32_t hi);
void sgr_asb_add_r6(sgr_addrset_builder *b, sgr_u128 lo, sgr_u128 hi);
/* Sorts and merges in place; the result shares the builder's arrays. */
sgr_addrset sgr_asb_build(sgr_addrset_builder *b);

sgr_addrset sgr_addrset_prefix(sgr_arena *a, const sgr_prefix *p);
sgr_addrset sgr_addrset_union(sgr_arena *a, const sgr_addrset *x, const sgr_addrset *y);
sgr_addrset sgr_addrset_intersect(sgr_arena *a, const sgr_addrset *x, const sgr_addrset *y);
sgr_addrset sgr_addrset_subtract(sgr_arena *a, const sgr_addrset *x, const sgr_addrset *y);

bool sgr_addrset_empty(const sgr_addrset *s);
bool sgr_addrset_contains(const sgr_addrset *s, const sgr_ip *ip);
/* The first range of s (sorted, merged) that ends at or after v: where v
 * is, or what comes next; n4 / n6 when none does. Inline: searches over
 * many sources call it in their inner loop. */
static inline uint32_t sgr_addrset_find4(const sgr_addrset *s, uint32_t v)
{
    return sgr_spans_find(s->r4, s->n4, v);
}
uint32_t sgr_addrset_find6(const sgr_addrset *s, sgr_u128 v);

/* The same as sgr_addrset_contains for an IPv4 address as a number. */
static inline bool sgr_addrset_contains4(const sgr_addrset *s, uint32_t v)
{
    uint32_t k = sgr_addrset_find4(s, v);
    return k < s->n4 && s->r4[k].lo <= v;
}
/* True when every address of `inner` is in `outer`. */
bool sgr_addrset_covers(const sgr_addrset *outer, const sgr_addrset *inner);
bool sgr_addrset_overlaps(const sgr_addrset *x, const sgr_addrset *y);
bool sgr_addrset_equal(const sgr_addrset *x, const sgr_addrset *y);

/* Every public address: IPv4 minus RFC 1918, 100.64/10, loopback, link-local,
 * 0/8, multicast and reserved; IPv6 global unicast 2000::/3. */
sgr_addrset sgr_addrset_public(sgr_arena *a);
/* The internet as an endpoint: the public set without the documentation
 * ranges of RFC 5737 and RFC 3849, which no internet host has. */
sgr_addrset sgr_addrset_internet(sgr_arena *a);

/* Conversions between sgr_ip and the integer forms. */
uint32_t sgr_ip_v4(const sgr_ip *ip);
sgr_u128 sgr_ip_v6(const sgr_ip *ip);
sgr_ip sgr_ip_from_v4(uint32_t v);
sgr_ip sgr_ip_from_v6(sgr_u128 v);

/* The one address formatter: "10.0.1.5", "2001:db8::1" ("-" when not an
 * address); prefixes "10.0.0.0/16". buf ≥ 64 bytes. The _str forms copy into
 * the arena ("?" when not an address). */
const char *sgr_format_ip(const sgr_ip *ip, char *buf, size_t len);
const char *sgr_format_prefix(const sgr_prefix *p, char *buf, size_t len);
const char *sgr_ip_str(sgr_arena *a, const sgr_ip *ip);
const char *sgr_prefix_str(sgr_arena *a, const sgr_prefix *p);
bool sgr_prefix_contains(const sgr_prefix *p, const sgr_ip *ip);
/* Every address of inner is in outer (same family). */
bool sgr_prefix_covers(const sgr_prefix *outer, const sgr_prefix *inner);
/* Orders 128-bit values: -1, 0, 1. */
int sgr_u128_cmp(sgr_u128 a, sgr_u128 b);
/* A set as CIDRs, comma separated, at most `max` of them ("…" after). */
const char *sgr_addrset_str(sgr_arena *a, const sgr_addrset *s, uint32_t max);

#endif
