/*
 * Whole-estate questions built on the engine's one-hop queries
 * (sgr_reach_from / sgr_reach_to): the blast radius of a set of endpoints,
 * one hop or by lateral movement, and the exposure of the estate to the
 * internet (or to any set of sources), grouped by service, with how each
 * endpoint is exposed, the rules that open it, and flags for the exposures
 * users do not intend. The algorithm and its cost: docs/performance.md.
 *
 * Every result lives in the arena given; it points into the graph, which must
 * outlive it.
 */
#ifndef SGREACH_BLAST_H
#define SGREACH_BLAST_H

#include "addrset.h"
#include "arena.h"
#include "lb_legs.h"
#include "strmap.h"
#include "sgreach/query.h"

#define SGR_HOPS_ALL UINT32_MAX

/* One endpoint the sources reach (blast --from) or that reaches the targets
 * (blast --to). */
typedef struct sgr_blast_item {
    const sgr_endpoint *ep;
    sgr_verdict verdict;        /* REACHABLE, or UNKNOWN when a step rests on missing data */
    sgr_proto_ports *ports;     /* ports of the last hop (union over equally short paths) */
    uint32_t n_ports;
    uint32_t hops;              /* 1 = directly */
    const sgr_endpoint **path;  /* from the source (--from) or to the target (--to), both ends included */
    uint32_t n_path;
    const char *via;            /* the last hop's way: "direct", "lb:NAME", "docker-bridge", … */
    sgr_proto_ports *maybe;     /* ports beside `ports` reached only if missing data allows (may be NULL) */
    uint32_t n_maybe;
} sgr_blast_item;

typedef struct sgr_blast {
    sgr_blast_item *items;      /* sorted by hops, then id */
    uint32_t n;
    uint32_t expanded;          /* endpoints whose one-hop reach was computed (for the docs' cost figures) */
    uint32_t skipped;           /* endpoints not expanded: a classmate was */
} sgr_blast;

/* Breadth-first lateral movement from `src` (reverse = false: what they reach;
 * true: what reaches them), at most max_hops steps (SGR_HOPS_ALL: the closure).
 * Each endpoint reached is assumed compromised and expanded in turn, except load
 * balancers (their targets are reached through them in the same step), the
 * internet and outside addresses. Sources are not listed as reached. */
void sgr_blast_run(sgr_graph *g, const sgr_snapshot *snap, const sgr_endpoint *const *src, uint32_t n_src,
                   bool reverse, uint32_t max_hops, sgr_arena *a, sgr_blast *out);

/* ---- ports */

/* a ∪ b, sorted by protocol, ranges merged (protocol -1 absorbs everything). */
sgr_proto_ports *sgr_ports_union(const sgr_proto_ports *a, uint32_t na, const sgr_proto_ports *b, uint32_t nb,
                                 sgr_arena *ar, uint32_t *n_out);
/* Every (protocol, port) of inner is in outer, which is as sgr_ports_union
 * leaves it (one entry per protocol, ranges merged). */
bool sgr_ports_cover(const sgr_proto_ports *outer, uint32_t no, const sgr_proto_ports *inner, uint32_t ni);
/* Whether sgr_ports_intersect(a, b) holds anything, without building it. */
bool sgr_ports_overlap(const sgr_proto_ports *a, uint32_t na, const sgr_proto_ports *b, uint32_t nb);
/* a \ b (b as sgr_ports_union leaves it; "every protocol" in a is kept
 * whole unless b is every protocol too). */
sgr_proto_ports *sgr_ports_subtract(const sgr_proto_ports *a, uint32_t na, const sgr_proto_ports *b, uint32_t nb,
                                    sgr_arena *ar, uint32_t *n_out);
/* a ∩ b. */
sgr_proto_ports *sgr_ports_intersect(const sgr_proto_ports *a, uint32_t na, const sgr_proto_ports *b, uint32_t nb,
                                     sgr_arena *ar, uint32_t *n_out);
/* The ports a bridge or host task answers on when reached by way `via`
 * (bridge: its published host ports, container ports over the docker bridge;
 * host: its declared ports). False when every port may answer (awsvpc: the
 * interface is the task's own) or the data cannot tell. */
/* A load balancer's hop to a target (`hop`: the LB's reach to it) seen from
 * client `src`: each port (at most 64) asked of `can`, which finds the path
 * through the LB and knows client IP preservation. False: too many ports.
 * `memo` (NULL: none; its keys and values live in `a`) keeps each (client,
 * LB, interface, registration, port) verdict: an instance target and the
 * bridge and host tasks on it, registered alike (`registration`, from
 * sgr_reach_lb_registrations), are reached on the same interface and port.
 * `legs` (NULL: none) keeps the legs that repeat across clients and targets
 * (lb_legs.h). */
bool sgr_lb_hop_verify(sgr_graph *g, const sgr_endpoint *src, const sgr_reach *hop, sgr_arena *a, sgr_arena *work,
                       sgr_strmap *memo, sgr_lb_legs *legs, uint32_t registration, sgr_verdict *v,
                       sgr_proto_ports **ports, uint32_t *n_ports);
bool sgr_task_served(const sgr_endpoint *ep, const char *via, sgr_arena *a, sgr_proto_ports **out, uint32_t *n);
/* Does the set contain (proto, port)? port -1: any port of proto. */
bool sgr_ports_has(const sgr_proto_ports *p, uint32_t n, int32_t proto, int32_t port);
/* First (protocol, port) of the set, for asking `can` about one representative. */
void sgr_ports_first(const sgr_proto_ports *p, uint32_t n, int32_t *proto, int32_t *port);

/* ---- exposure */

typedef enum sgr_exp_how {
    SGR_HOW_PUBLIC_ADDRESS,     /* its own public IPv4/EIP/IPv6 */
    SGR_HOW_ALB,
    SGR_HOW_NLB,
    SGR_HOW_CLB,
    SGR_HOW_LB,                 /* gateway or unknown type */
    SGR_HOW_PRIVATE             /* from SEL inside the estate: routed privately */
} sgr_exp_how;

const char *sgr_exp_how_name(sgr_exp_how h);

/* An exposure nobody meant. */
typedef struct sgr_exp_flag {
    const char *code;           /* "open-admin-port", "host-mode-public", "bridge-host-opened-for-nlb" */
    const char *reason;
    sgr_origin origin;          /* the rule to blame */
    const char *component;
} sgr_exp_flag;

typedef struct sgr_exp_item {
    const sgr_endpoint *ep;
    const sgr_endpoint *source; /* the first source that reaches it */
    sgr_verdict verdict;
    sgr_proto_ports *ports;     /* as the endpoint serves them: a bridge task's container ports */
    uint32_t n_ports;
    sgr_proto_ports *host_ports; /* a bridge task reached on its host: the host ports, else NULL */
    uint32_t n_host_ports;
    const char *via;
    sgr_exp_how how;
    const char *lb_name;        /* via an LB */
    const sgr_rule_ref *rules;  /* the rules that open the path for its first port */
    uint32_t n_rules;
    sgr_exp_flag *flags;
    uint32_t n_flags;
} sgr_exp_item;

typedef struct sgr_exp_group {
    const char *key;            /* "service:orders-api", "lb:web", "instance:i-…", "db:…", "eni:…" */
    const char *kind;           /* "ecs-service", "task", "load-balancer", "instance", "database", "interface" */
    const char *name;
    sgr_exp_item *items;        /* sorted by endpoint id */
    uint32_t n_items;
    uint32_t n_flags;
} sgr_exp_group;

typedef struct sgr_exposure {
    sgr_exp_group *groups;      /* sorted by key */
    uint32_t n_groups;
    uint32_t n_items, n_flags;
} sgr_exposure;

/* Everything the sources reach in one hop, grouped. */
void sgr_exposure_run(sgr_graph *g, const sgr_snapshot *snap, const sgr_endpoint *const *src, uint32_t n_src,
                      sgr_arena *a, sgr_exposure *out);

/* The ingress rules that open the way from src to ep (via "lb:NAME" or
 * direct) on the given ports: the LB's rules and the target's rules that admit
 * the LB (or the client, through a transparent NLB). `internet`: the
 * internet's addresses (sgr_addrset_internet), for src the internet. Allocated in a. */
void sgr_exposure_rules(const sgr_snapshot *snap, const sgr_endpoint *src, const sgr_endpoint *ep, const char *via,
                        const sgr_proto_ports *ports, uint32_t n_ports, const sgr_addrset *internet, sgr_arena *a,
                        sgr_rule_ref **out, uint32_t *n_out);

/* Whether interface e (may be NULL) carries group id. */
bool sgr_eni_has_group(const sgr_eni *e, const char *id);

#endif
