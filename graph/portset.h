/*
 * Port sets: sorted, merged closed ranges of ports (TCP/UDP) or ICMP types.
 * A protocol without ports (anything but TCP, UDP, ICMP, ICMPv6) uses the
 * single "port" 0. Sets are values allocated in the arena given.
 */
#ifndef SGREACH_PORTSET_H
#define SGREACH_PORTSET_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "sgreach/query.h"

typedef struct sgr_pset {
    sgr_portrange *r;
    uint32_t n, cap;
} sgr_pset;

/* The ports a protocol has: 0-65535 (TCP/UDP), 0-255 (ICMP types), 0-0 otherwise. */
sgr_portrange sgr_proto_universe(int32_t protocol);

/* Appends a range (unsorted); sgr_pset_norm sorts and merges. */
void sgr_pset_add(sgr_arena *a, sgr_pset *s, int32_t lo, int32_t hi);
void sgr_pset_norm(sgr_pset *s);
sgr_pset sgr_pset_range(sgr_arena *a, int32_t lo, int32_t hi);
sgr_pset sgr_pset_union(sgr_arena *a, const sgr_pset *x, const sgr_pset *y);
sgr_pset sgr_pset_intersect(sgr_arena *a, const sgr_pset *x, const sgr_pset *y);
sgr_pset sgr_pset_subtract(sgr_arena *a, const sgr_pset *x, const sgr_pset *y);
bool sgr_pset_covers(const sgr_pset *s, int32_t lo, int32_t hi);
bool sgr_pset_overlaps(const sgr_pset *s, int32_t lo, int32_t hi);
bool sgr_pset_empty(const sgr_pset *s);
bool sgr_pset_equal(const sgr_pset *x, const sgr_pset *y);

/* "tcp", "udp", "icmp", "icmpv6", "all", or the number. */
const char *sgr_proto_name(sgr_arena *a, int32_t protocol);
/* The protocol named by text[0..n): "tcp", "udp", "icmp", "icmpv6" (any case),
 * "all" or "-1" (SGR_PROTO_ALL), or a decimal 0-255 without sign or leading
 * zero; -2 when it is none of these. The one protocol table: policies, the
 * command line and the importers all read protocols through it. */
int32_t sgr_proto_parse(const char *text, size_t n);
/* "tcp/5432", "tcp/1024-65535", "icmp type 8", "all traffic", "proto 50". */
const char *sgr_proto_port_str(sgr_arena *a, int32_t protocol, int32_t lo, int32_t hi);
/* Appends "lo", or "lo-hi" for a range: how port lists spell one range. */
void sgr_text_range(sgr_text *t, long lo, long hi);

#endif
