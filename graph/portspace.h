/*
 * Sets of (protocol, port) as closed intervals over one integer line, so that
 * union, intersection and difference are plain interval arithmetic (used by
 * `check` to match policy ports against what the engine finds, and by `diff`
 * to compute what opened and closed).
 *
 * Encoding: code = protocol << 16 | port, protocol 0..255. TCP and UDP use
 * ports 0..65535; ICMP/ICMPv6 use the type as the port (a whole block means
 * every type); any other protocol is all or nothing (its whole block). So
 * "every protocol and port" is the single interval [0, SGR_PS_MAX].
 *
 * Port spec text (policy files, output): tokens separated by blanks, each
 *   all | PROTO | PROTO:LIST    PROTO = tcp|udp|icmp|icmpv6|0..255
 *   LIST = N[-M](,N[-M])*       (tcp/udp ports, icmp/icmpv6 types)
 * "tcp" alone means every TCP port. Other protocol numbers take no list.
 *
 * Memory: every set lives in the arena passed to the call that built it.
 */
#ifndef SGREACH_PORTSPACE_H
#define SGREACH_PORTSPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "span.h"
#include "sgreach/query.h"

#define SGR_PS_MAX 0xFFFFFFu /* (255 << 16) | 65535 */
#define SGR_PS_CODE(proto, port) (((uint32_t)(proto) << 16) | (uint32_t)(port))

typedef sgr_span sgr_ps_interval;

typedef struct sgr_portset {
    sgr_ps_interval *iv;        /* sorted, disjoint, non-adjacent */
    uint32_t n, cap;
} sgr_portset;

/* Adds [lo, hi] (codes), keeping the set sorted and merged. */
void sgr_portset_add(sgr_arena *a, sgr_portset *s, uint32_t lo, uint32_t hi);
/* Adds every interval of `b` to `s`. */
void sgr_portset_union(sgr_arena *a, sgr_portset *s, const sgr_portset *b);
sgr_portset sgr_portset_intersect(sgr_arena *a, const sgr_portset *x, const sgr_portset *y);
/* x minus y. */
sgr_portset sgr_portset_subtract(sgr_arena *a, const sgr_portset *x, const sgr_portset *y);
/* x ⊆ y */
bool sgr_portset_subset(const sgr_portset *x, const sgr_portset *y);
bool sgr_portset_equal(const sgr_portset *x, const sgr_portset *y);
static inline bool sgr_portset_empty(const sgr_portset *s) { return s->n == 0; }

/* Adds one protocol's ports as the engine reports them (sgr_proto_ports:
 * protocol -1 = everything; empty ranges = every port/type of the protocol). */
void sgr_portset_add_proto_ports(sgr_arena *a, sgr_portset *s, const sgr_proto_ports *pp);

/* Only the part of s for one protocol (0..255). */
sgr_portset sgr_portset_proto(sgr_arena *a, const sgr_portset *s, int32_t proto);

/* Parses port spec text into *out. On error returns false and sets *err to an
 * arena string without the text itself ("unknown protocol \"foo\" …"). */
bool sgr_portset_parse(sgr_arena *a, const char *text, sgr_portset *out, const char **err);

/* The spec text: "all", "tcp:80,443 udp:53", "icmp", "tcp:0-65535", "47".
 * The empty set prints as "none". */
const char *sgr_portset_format(sgr_arena *a, const sgr_portset *s);
/* Only the ports of one protocol block, without the protocol ("80,443-445";
 * "all" when the block is whole for a protocol without ports). */
const char *sgr_portset_format_ports(sgr_arena *a, const sgr_portset *s, int32_t proto);


/* One concrete question that the set answers for the engine: protocol -1/port
 * -1 when s is everything; else the first protocol among tcp, udp, icmp,
 * icmpv6, others in s and its lowest port (-1 when the protocol has no ports
 * or a whole ICMP block). False when s is empty. */
bool sgr_portset_sample(const sgr_portset *s, int32_t *proto, int32_t *port);

#endif
