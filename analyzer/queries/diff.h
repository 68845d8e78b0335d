/*
 * `sgreach diff`: the paths a change opens and closes.
 *
 * Each side's whole-estate reach (every endpoint's one-hop reach, through load
 * balancers included) is folded by the endpoints' stable identities
 * (endpoint_key.h) into (source, destination) → ports; the difference of the
 * two sides, split per protocol, is the change. Opened paths are explained by
 * NEW's rules (the rule that opens them, with file:line), closed ones by what
 * blocks them in NEW.
 *
 * Memory: a diff and everything it points to live in the arena given; it
 * borrows strings from both graphs, which must outlive it.
 */
#ifndef SGREACH_DIFF_H
#define SGREACH_DIFF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "graph/arena.h"
#include "graph/portspace.h"
#include "sgreach/query.h"

typedef struct sgr_change {
    bool opened;                /* else closed */
    const char *from, *to;      /* stable identities */
    const char *from_name, *to_name; /* NULL when several endpoints share the identity */
    int32_t protocol;           /* -1: every protocol */
    const char *protocol_name;
    const char *ports;          /* of that protocol, "all" for every port */
    bool possible;              /* only on the strength of unknown verdicts */
    const sgr_hop *path;
    uint32_t n_path;
    const sgr_rule_ref *rules;  /* opened: what opens it in NEW */
    uint32_t n_rules;
    const sgr_block *blocks;    /* closed: what blocks it in NEW */
    uint32_t n_blocks;
    const char *note;           /* e.g. "the source is not in NEW" */
} sgr_change;

typedef struct sgr_diff {
    sgr_change *c;              /* sorted: from, to, protocol, opened before closed */
    uint32_t n, n_opened, n_closed;
    bool incremental;           /* only the pairs a change can affect were compared */
} sgr_diff;

/* Compares OLD (may be NULL: nothing is reachable) with NEW (may be NULL too).
 * Unless `full`, only the pairs that the change can affect are compared
 * (sgr_diff_scope); the result is the same, faster. */
void sgr_diff_compute(const sgr_snapshot *old_s, sgr_graph *old_g, const sgr_snapshot *new_s, sgr_graph *new_g,
                      bool full, sgr_arena *a, sgr_diff *out);

/* The identities (strmap tag 1: key → endpoint) whose rows and columns of the
 * reach matrix can differ between the sides, or NULL when the change touches
 * something many paths share and every pair must be compared (diff_scope.c). */
struct sgr_strmap;
struct sgr_strmap *sgr_diff_scope(const sgr_snapshot *old_s, sgr_graph *old_g, const sgr_snapshot *new_s,
                                  sgr_graph *new_g, sgr_arena *a);

#endif
