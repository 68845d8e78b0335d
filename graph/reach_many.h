/*
 * One hop from many sources at once: for a set of sources fixed up front
 * (the report's tasks), what sgr_reach_from() gives each of them, without
 * one whole-estate reach per source.
 *
 * Built by destination, as blast's closure is (blast_pull_int.h): sources are
 * taken by pair class (blast_class.h: members on other interfaces than the
 * destination get the same answer), each destination class asks only the
 * source classes its inbound rules admit (graph/inbound.h), and each
 * (source class, destination class) pair is evaluated at most once by the
 * engine (sgr_reach_pair): once for all the source classes that differ only
 * in groups the destination does not read (reach_many.c's coarse keys), and
 * not at all where the source's outbound rules send nothing that the
 * destination's inbound rules admitting it open.
 * Pairs on one interface (a host and its bridge and host
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

/* One answer of a source class toward a whole destination group: every
 * endpoint whose index (in sgr_graph_endpoints() order) is in members gets
 * the answer r (r->to unset, r->from a source of the set), but a member on
 * interface skip (when not NULL: every source of the class in the set sits
 * on it, and pairs on one interface are visited one by one instead). The
 * members of one group share a pair class (blast_class.h), so a caller may
 * work out what the answer means once per group, not once per member.
 * group numbers the group (stable for m's life), answer the answer (equal
 * numbers: equal verdict, via, ports and possible ports). */
typedef struct sgr_reach_group {
    uint32_t group, answer;
    const sgr_reach *r;
    const sgr_eni *skip;
    const uint32_t *members;
    uint32_t n_members;
} sgr_reach_group;

typedef void (*sgr_reach_group_visit)(void *ctx, const sgr_reach_group *grp);

/* Every answer (verdict REACHABLE or UNKNOWN) that sgr_reach_from() gives
 * some source of `set` (each one of those given to _new; others are asked
 * of the engine whole), each destination at least once per source class of
 * the set, in no particular order: callers merge by destination. scratch
 * holds the pairs evaluated on the spot. With visit_group NULL every answer
 * comes to visit, one per destination; else the source classes' answers come
 * to visit_group, one per destination group, after every answer that comes
 * to visit (the pairs on one interface, and sources asked whole). */
void sgr_reach_many_visit(sgr_reach_many *m, const sgr_endpoint *const *set, uint32_t n_set, sgr_reach_visit visit,
                          sgr_reach_group_visit visit_group, void *ctx, sgr_arena *scratch);

#endif
