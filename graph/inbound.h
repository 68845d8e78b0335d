/*
 * What an endpoint's inbound filter lets in, for searches that meet many
 * sources at once (blast's closure, analyzer/blast_pull.c): instead of
 * asking the engine about every (source, destination) pair, a search looks up
 * the sources whose address some inbound rule of the destination holds, and
 * stops once the ports those rules open are all accounted for.
 *
 * The contract, which tests/unit/test_inbound.c checks on every pair of the
 * fixture estates: for a source `from` on another interface than `to` whose
 * address sgr_inbound_source_addr4 gives as A,
 *   - if the filter is not open and no rule's peers hold A, sgr_reach_pair
 *     (from, to) finds nothing (it is the engine's own cheap "nothing":
 *     engine_reach.c, ingress_shut);
 *   - every port of its answer (definite and possible) lies within the ports
 *     of the rules whose peers hold A (when the filter is not open) and within
 *     `bound` (when bounded).
 */
#ifndef SGREACH_GRAPH_INBOUND_H
#define SGREACH_GRAPH_INBOUND_H

#include <stdbool.h>
#include <stdint.h>

#include "addrset.h"
#include "arena.h"
#include "sgreach/query.h"

typedef struct sgr_inbound_rule {
    const void *id;             /* the compiled rule: the same for every endpoint carrying its group */
    const sgr_addrset *peers;   /* the addresses it admits */
    const char *ref_group;      /* a group reference: the group (its members' addresses are the peers) */
    const sgr_proto_ports *ports; /* what it opens: one or two entries (ICMPv6 rules count as ICMP too) */
    uint32_t n_ports;
} sgr_inbound_rule;

/* Where a packet to it arrives: for the routes between VPCs. */
typedef struct sgr_inbound_side {
    const sgr_subnet *subnet;
    const char *vpc_id;
} sgr_inbound_side;

typedef struct sgr_inbound {
    bool open;                  /* any source may pass: no filter, or the filter's data is missing */
    /* its sides (a load balancer: its nodes), when routes may rule out
     * sources (each side in a subnet, with an IPv4 address, not planned) */
    sgr_inbound_side *sides;
    uint32_t n_sides;
    bool routed;
    sgr_inbound_rule *rules;    /* (not open) every inbound rule of its groups (a load balancer's: of its nodes) */
    uint32_t n_rules;
    bool bounded;               /* every answer lies within `bound` as well */
    sgr_proto_ports *bound;     /* a load balancer: its listener ports, and other protocols' rules */
    uint32_t n_bound;
} sgr_inbound;

/* The inbound filter of `to`, allocated in `a`. */
void sgr_inbound_of(sgr_graph *g, const sgr_endpoint *to, sgr_inbound *out, sgr_arena *a);

/* The outbound filter of `from` (open and rules only; no sides, no bound),
 * allocated in `a`. What tests/unit/test_inbound.c checks on every pair
 * (from, to) on two interfaces: when it is not open, every port of
 * sgr_reach_pair(from, to) (definite and possible) lies within the ports of
 * its rules; with no rule at all (or on an instance that is not running),
 * nothing is answered. */
void sgr_outbound_of(sgr_graph *g, const sgr_endpoint *from, sgr_inbound *out, sgr_arena *a);

/* Which address a load balancer shows its targets. */
typedef enum sgr_lb_shows {
    SGR_LB_SHOWS_MIXED,         /* it depends on the target group, or cannot be told */
    SGR_LB_SHOWS_CLIENT,        /* the client's, to every target (an NLB preserving client IPs) */
    SGR_LB_SHOWS_NODE           /* its own node's, to every target (ALB, Classic; an NLB that never preserves) */
} sgr_lb_shows;

/* What load balancer lb shows its targets, over every target group of
 * every listener (none of them with targets the snapshot lacks). What
 * test_inbound.c checks on every client, LB and target:
 *   - SHOWS_CLIENT: a target hears a client only if one of its inbound rules
 *     on a port the LB sends to admits the client's address, or some rule of
 *     it refers to a group of lb (AWS lets such a rule admit the clients);
 *   - SHOWS_NODE: where lb's own hop to a target is only possible (UNKNOWN),
 *     no client reaches the target through lb definitely. */
sgr_lb_shows sgr_inbound_lb_shows(sgr_graph *g, const sgr_endpoint *lb, sgr_arena *scratch);

/* The IPv4 address that inbound filters see of `from` (its interface's), and
 * its side, or false when they may see more or other (an IPv6 address too,
 * no address yet, a load balancer, outside the estate): such a source must be
 * tried against every destination. side may be NULL. */
bool sgr_inbound_source(const sgr_graph *g, const sgr_endpoint *from, uint32_t *addr, sgr_inbound_side *side);

/* Nothing passes between a source side and a destination side in another
 * subnet, for any two IPv4 addresses of their subnets: the source subnet's
 * network ACL allows nothing out toward the other subnet, or the
 * destination's nothing in from it (no allow entry overlaps it); or, in
 * other VPCs, one way or the other every route of the subnet's table that
 * may match an address of the other subnet stays in its VPC, leaves by an
 * internet gateway, is a blackhole or a peering that is not the one between
 * the two VPCs (engine_reach.c: routes_shut, for every address). A source
 * (sgr_inbound_source) whose side is shut from every side of a routed
 * destination gets nothing from sgr_reach_pair toward it. Sides are given
 * only for addresses inside their subnets. */
bool sgr_inbound_sides_shut(const sgr_graph *g, const sgr_inbound_side *from, const sgr_inbound_side *to);

#endif
