/*
 * One hop from many sources at once: for a set of sources fixed up front
 * (the report's tasks), what sgr_reach_from() gives each of them, without
 * one whole-estate reach per source.
 *
 * Built by destination, as blast's closure is (blast_pull_int.h): sources are
 * taken by pair class (blast_class.h: members on other interfaces than the
 * destination get the same answer), each destination class asks only the
 * source classes its inbound rules admit (graph/inbound.h), and each
 * (source class, destination class) pair is evaluated once by the engine
 * (sgr_reach_pair). Pairs on one interface (a host and its bridge and host
 * tasks) are evaluated one by one when visited. The answers are kept per
 * source class as (destination class, answer) numbers; distinct answers and
 * their port sets once each.
 *
 * Owns its memory (sgr_reach_many_free); answers point into the graph, which
 * must outlive it.
 */
#ifndef SGREACH_REACH_MANY_H
#define SGREACH_REACH_MANY_H

#include <stdint.h>

#include "arena.h"
#include "sgreach/query.h"

typedef struct sgr_reach_many sgr_reach_many;

/* Prepares the answers of every source in src (endpoints of g). */
sgr_reach_many *sgr_reach_many_new(sgr_graph *g, const sgr_snapshot *snap, const sgr_endpoint *const *src,
                                   uint32_t n_src);
void sgr_reach_many_free(sgr_reach_many *m);

/* Called once per answer: r->to is the destination, r->from a source of the
 * set that gets this answer. Valid for the call only. */
typedef void (*sgr_reach_visit)(void *ctx, const sgr_reach *r);

/* Every answer (verdict REACHABLE or UNKNOWN) that sgr_reach_from() gives
 * some source of `set` (each one of those given to _new; others are asked
 * of the engine whole), each destination at least once per source class of
 * the set, in no particular order: callers merge by destination. scratch
 * holds the pairs evaluated on the spot. */
void sgr_reach_many_visit(sgr_reach_many *m, const sgr_endpoint *const *set, uint32_t n_set, sgr_reach_visit visit,
                          void *ctx, sgr_arena *scratch);

#endif
