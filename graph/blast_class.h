/*
 * Behaviour classes of endpoints, for blast's closure (blast_run.c; the
 * algorithm and why it is exact: docs/performance.md).
 *
 * Two interfaces or tasks in the same subnet, with the same groups, the same
 * kind and network mode, a public address or not, and private addresses in
 * the same address atom (the IPv4 space cut at every boundary of every CIDR
 * the snapshot names: rules, prefix lists, ACL entries, routes, VPC, subnet
 * and peering CIDRs, the private ranges) reach the same endpoints on the same
 * ports, and are reached by the same. Group references do not cut atoms: they
 * match an address when its interface carries the group, which the class
 * fixes, unless another interface has the same address (then no class).
 */
#ifndef SGREACH_BLAST_CLASS_H
#define SGREACH_BLAST_CLASS_H

#include <stdbool.h>

#include "arena.h"
#include "strmap.h"
#include "sgreach/query.h"

typedef struct sgr_blast_keyer {
    uint64_t *b;                /* sorted boundaries of the IPv4 atoms */
    uint32_t n, cap;
    sgr_strmap *eni_eps;        /* eni id -> endpoints carried (as a count) */
    sgr_strmap *addrs;          /* "a.b.c.d" -> interfaces holding it (as a count) */
    sgr_arena *a;
} sgr_blast_keyer;

void sgr_blast_keyer_init(sgr_blast_keyer *k, sgr_graph *g, const sgr_snapshot *s, sgr_arena *a);

/* The endpoint's class key, or NULL when it is a class of its own.
 *
 * pairs = false: the class whose members the BFS need not expand twice.
 * Endpoints that share an interface (a host and its bridge/host tasks: the
 * docker bridge differs per host) are classes of their own.
 *
 * pairs = true: the class whose members one pair evaluation stands for, for a
 * pair whose two ends are on different interfaces (the engine's side of an
 * endpoint is its interface's: subnet, groups, addresses). Hosts and their
 * tasks have such classes; the caller evaluates same-interface pairs itself. */
const char *sgr_blast_class_key(const sgr_blast_keyer *k, const sgr_endpoint *ep, bool pairs, sgr_arena *a);

/* Fills mates[i], for each endpoint eps[i], with the endpoints of eps on its
 * interface (the same sgr_eni), in eps order and NULL-ended: itself among
 * them, or (others) only the others, NULL when there are none. An endpoint
 * without an interface gets NULL. The lists are allocated in a; tmp serves
 * while grouping. */
void sgr_blast_mates(const sgr_endpoint ***mates, const sgr_endpoint *const *eps, uint32_t n, bool others, sgr_arena *a,
                     sgr_arena *tmp);

#endif
