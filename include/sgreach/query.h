/*
 * The reachability graph and the questions asked of it.
 *
 * sgr_graph_build() compiles a loaded snapshot once (security-group rules into
 * address and port sets, ACLs, routes, endpoints, load-balancer relays); every
 * query after that is cheap. Pointers returned by queries are valid until
 * sgr_graph_free() unless they were allocated in a caller's scratch arena.
 * The graph borrows the snapshot: free the graph first.
 *
 * Verdicts are three-valued. UNKNOWN means the decision needs data the
 * snapshot lacks (a referenced group never described, a subnet without route
 * or ACL data, a target group without target health, an address not yet
 * assigned); it is never folded into UNREACHABLE.
 */
#ifndef SGREACH_QUERY_H
#define SGREACH_QUERY_H

#include "sgreach/model.h"

typedef struct sgr_graph sgr_graph;

typedef struct sgr_graph_options {
    int32_t ephemeral_from, ephemeral_to; /* client ephemeral ports; default 1024-65535 */
    /* Answer whole-estate questions (blast's closure, diff, the report's
     * per-service blast) by the plain, slow computation the fast one must
     * equal, so that tests can compare the two (`--debug-reference`). */
    bool reference;
} sgr_graph_options;

sgr_graph *sgr_graph_build(const sgr_snapshot *snap, const sgr_graph_options *opts);
void sgr_graph_free(sgr_graph *g);
/* Whether the graph was built with opts->reference. */
bool sgr_graph_reference(const sgr_graph *g);

typedef enum sgr_endpoint_kind {
    SGR_EP_INTERNET,  /* every public address */
    SGR_EP_CIDR,      /* an address or CIDR given by the user, outside the estate's interfaces */
    SGR_EP_ENI,       /* a network interface (instance, RDS, endpoint, …) */
    SGR_EP_TASK,      /* an ECS task, bound to the interface that carries its traffic */
    SGR_EP_LB,        /* a load balancer (a relay to its targets) */
    SGR_EP_DB         /* a database known without an interface (Terraform, Batfish RdsInstances) */
} sgr_endpoint_kind;

typedef struct sgr_endpoint {
    uint32_t index;             /* position in sgr_graph_endpoints() */
    sgr_endpoint_kind kind;
    const char *id;             /* stable identity: ENI id, task ARN, LB ARN/name, "internet", CIDR */
    const char *name;           /* for people: Name tag, "service/task-id", LB name */
    const char *service;        /* ECS service name (tasks), else NULL */
    sgr_net_mode mode;          /* tasks */
    const sgr_eni *eni;         /* the interface carrying its traffic (host's for bridge/host) */
    /* A bridge or host task: the host's other interfaces it is reached on
     * too (its host ports listen there as their bindIP says; trunks are
     * not among them), in device-index order; NULL/0 otherwise. */
    const sgr_eni *const *also_enis;
    uint32_t n_also_enis;
    const sgr_task *task;
    const sgr_lb *lb;
    const sgr_instance *instance;
    const sgr_db *db;
    sgr_prefix cidr;            /* SGR_EP_CIDR */
} sgr_endpoint;

/* All endpoints, sorted by id (deterministic). */
uint32_t sgr_graph_endpoints(const sgr_graph *g, const sgr_endpoint *const **out);
const sgr_endpoint *sgr_graph_internet(const sgr_graph *g);
/* The endpoint for an interface / task / LB, or NULL. */
const sgr_endpoint *sgr_graph_endpoint_for(const sgr_graph *g, sgr_endpoint_kind kind, const void *obj);
/* A CIDR endpoint for a user-given address (allocated in the graph). */
const sgr_endpoint *sgr_graph_cidr_endpoint(sgr_graph *g, const sgr_prefix *p);
/* The public addresses of AWS service `service` (aws:SERVICE) when the
 * snapshot holds none of them (no managed prefix list with entries): an
 * endpoint of kind SGR_EP_INTERNET with id "aws:SERVICE", reached when every
 * public address is reached, unknown when only some are (allocated in the
 * graph). */
const sgr_endpoint *sgr_graph_aws_public_endpoint(sgr_graph *g, const char *service);

typedef enum sgr_verdict { SGR_REACHABLE, SGR_UNREACHABLE, SGR_UNKNOWN } sgr_verdict;
const char *sgr_verdict_name(sgr_verdict v);

/* One step of a path: "eni", "sg", "subnet", "nacl", "route-table", "igw",
 * "peering", "lb", "listener", "target-group", "task", "internet", … */
typedef struct sgr_hop {
    const char *kind;
    const char *id;
    const char *detail;         /* e.g. "host port 32768", "listener tcp/443" */
} sgr_hop;

/* A rule that allows a step, or the component that blocks it. */
typedef struct sgr_rule_ref {
    const char *component;      /* sg-…, acl-…, rtb-…, tgt group ARN */
    const char *direction;      /* "ingress", "egress", "route", "inbound", "outbound", … */
    const char *text;           /* "tcp/5432 from sg-0def", "rule 100 allow all from 0.0.0.0/0" */
    sgr_origin origin;
} sgr_rule_ref;

typedef struct sgr_block {
    const char *component;
    const char *direction;      /* "ingress", "egress", "inbound", "outbound", "route", … (may be NULL) */
    const char *reason;         /* "no rule allows tcp/5432 from 10.0.1.54; its rules allow tcp/5432 from sg-0def only" */
    sgr_origin origin;
} sgr_block;

typedef struct sgr_query {
    const sgr_endpoint *from, *to;
    int32_t protocol;           /* IANA number, -1 = all */
    int32_t port;               /* the port the destination serves; -1 = any */
} sgr_query;

typedef struct sgr_answer {
    sgr_verdict verdict;
    const sgr_endpoint *from, *to;
    int32_t protocol, port;
    sgr_hop *path;              /* the path taken (reachable) or the best candidate */
    uint32_t n_path;
    sgr_rule_ref *allowed_by;
    uint32_t n_allowed;
    sgr_block *blocked_by;      /* every blocking component on the best candidate path */
    uint32_t n_blocked;
    const char **assumptions;   /* defaults the decision rests on (an attribute not in the dump) */
    uint32_t n_assumptions;
    const char **missing;       /* for UNKNOWN: what the decision needed and did not have */
    uint32_t n_missing;
    /* A load balancer asked for (`can --to lb:NAME`): one answer per target
     * registered behind the listeners asked, the path through it to that
     * target on its registered port (sgr_can_lb_targets), else none. */
    const struct sgr_answer *targets;
    uint32_t n_targets;
} sgr_answer;

/* Answers one question; everything in *out is allocated in `scratch`. */
sgr_verdict sgr_can(sgr_graph *g, const sgr_query *q, sgr_answer *out, sgr_arena *scratch);

/* The same verdict as sgr_can, without the path and the texts that explain it:
 * for whole-estate commands that ask many questions and print none of them. */
sgr_verdict sgr_can_verdict(sgr_graph *g, const sgr_query *q, sgr_arena *scratch);

/* The same for the addresses a question names (NULL: any of the endpoint's).
 * A public address of an interface means "through the internet": out by the
 * source's internet or NAT gateway, in by the destination's internet gateway,
 * where group references never match. */
sgr_verdict sgr_can_at(sgr_graph *g, const sgr_query *q, const sgr_ip *from_addr, const sgr_ip *to_addr,
                       sgr_answer *out, sgr_arena *scratch);

/* For q->to a load balancer: one answer per target registered behind its
 * listeners for (q->protocol, q->port), each the best path from q->from
 * through the load balancer to that target on its registered port (the
 * answer's port), with its explanation; from_addr as for sgr_can_at. None
 * for another destination or protocol "all". Allocated in scratch. */
uint32_t sgr_can_lb_targets(sgr_graph *g, const sgr_query *q, const sgr_ip *from_addr, sgr_answer **out,
                            sgr_arena *scratch);

/* The verdict of the paths from `from` through load balancer `lb` to `to` on
 * the port `to` is registered on (its host port for bridge tasks), and no
 * other path: what a whole-estate command needs to re-decide one relay hop
 * when the load balancer shows the target the client's address. */
sgr_verdict sgr_can_via_lb(sgr_graph *g, const sgr_endpoint *from, const sgr_endpoint *lb, const sgr_endpoint *to,
                           int32_t protocol, int32_t target_port, sgr_arena *scratch);

/* Closed port ranges per protocol, sorted and merged. */
typedef struct sgr_portrange {
    int32_t lo, hi;
} sgr_portrange;

typedef struct sgr_proto_ports {
    int32_t protocol;           /* 6, 17, 1, 58, other numbers; -1 = every protocol and port */
    sgr_portrange *ranges;      /* TCP/UDP ports; ICMP types; empty = all */
    uint32_t n_ranges;
} sgr_proto_ports;

/* What one endpoint reaches on another: ports per protocol and the verdict
 * (REACHABLE for definite ports, UNKNOWN where the data is incomplete). */
typedef struct sgr_reach {
    const sgr_endpoint *from, *to;
    sgr_verdict verdict;
    sgr_proto_ports *ports;
    uint32_t n_ports;
    const char *via;            /* "direct", "lb:NAME", "docker-bridge", "internet-gateway" */
    /* REACHABLE pairs: further ports reached only if missing data turns out
     * favourably (UNKNOWN ports beside the definite `ports`), else none */
    sgr_proto_ports *maybe;
    uint32_t n_maybe;
} sgr_reach;

/* Whether an endpoint starts connections. The interfaces of interface and
 * Gateway Load Balancer endpoints and of NAT gateways never do: they answer,
 * or carry what others started. (A load balancer starts them only toward its
 * own targets, which its answers below already are.) The whole-estate answers
 * (sgr_reach_from / sgr_reach_to, and so blast, check, diff and the report)
 * take them as destinations only; `can` still answers a question asked from
 * one. */
bool sgr_endpoint_initiates(const sgr_endpoint *ep);
/* Whether some interface endpoint of the estate leads (or may lead) to a load
 * balancer through an endpoint service (PrivateLink). */
bool sgr_privatelink_any(const sgr_graph *g);

/* Everything `from` reaches in one hop (to = NULL), or everything that reaches `to`
 * (from = NULL). Results sorted by the other endpoint's id; allocated in scratch. */
uint32_t sgr_reach_from(sgr_graph *g, const sgr_endpoint *from, sgr_reach **out, sgr_arena *scratch);
uint32_t sgr_reach_to(sgr_graph *g, const sgr_endpoint *to, sgr_reach **out, sgr_arena *scratch);
/* sgr_reach_from's entries toward the endpoints among only (n_only indices
 * in sgr_graph_endpoints() order, increasing), in the same order, without
 * evaluating the others (a VPC's picture asks its own endpoints). */
uint32_t sgr_reach_from_among(sgr_graph *g, const sgr_endpoint *from, const uint32_t *only, uint32_t n_only,
                              sgr_reach **out, sgr_arena *scratch);
/* One pair of the above: what `from` reaches on `to` in one hop, exactly the
 * entry sgr_reach_from(from) has for `to` (false: none, nothing is set but
 * from/to). For callers that evaluate only the pairs they need (blast's
 * closure). A load balancer as `from` finds its targets anew on every call:
 * prefer sgr_reach_from for it. Allocated in scratch. */
bool sgr_reach_pair(sgr_graph *g, const sgr_endpoint *from, const sgr_endpoint *to, sgr_reach *out,
                    sgr_arena *scratch);
/* For the n answers sgr_reach_from(lb) gave (lb a load balancer): a number
 * per target, from 1, equal for two targets exactly when the load balancer
 * registers them alike (behind the same listeners, in the same target
 * groups, on the same ports, or as possibly in the same group whose targets
 * the snapshot lacks). Paths through lb to two targets registered alike whose
 * own sides are alike (subnet, groups, address) are decided alike. */
void sgr_reach_lb_registrations(sgr_graph *g, const sgr_endpoint *lb, const sgr_reach *targets, uint32_t n,
                                uint32_t *out, sgr_arena *scratch);
/* What a path from `client` through load balancer `lb` to `target` reads of
 * the client, when that is only how it reaches the listeners: the verdict of
 * the best leg from the client to a node of lb, per protocol and listener,
 * as a text. Two clients with the same text get the same sgr_can_via_lb
 * verdicts to every target of lb. NULL when the client counts for more: lb
 * is a Network Load Balancer (with client IP preservation the target sees
 * the client), the client is outside the estate, planned or without IPv4, or
 * the target has no IPv4 address. Allocated in scratch. */
const char *sgr_reach_lb_leads(sgr_graph *g, const sgr_endpoint *client, const sgr_endpoint *lb,
                               const sgr_endpoint *target, sgr_arena *scratch);

/* Deep copies into arena a: port lists (their ranges), and an answer (its
 * ports, maybe and via; dst may be src). */
sgr_proto_ports *sgr_ports_copy(sgr_arena *a, const sgr_proto_ports *p, uint32_t n);
void sgr_reach_copy(sgr_arena *a, sgr_reach *dst, const sgr_reach *src);
/* The ports of r only possibly reached (its maybe), as an UNKNOWN answer of
 * its own (no maybe); shares r's arrays. */
sgr_reach sgr_reach_maybe_part(const sgr_reach *r);

/* "tcp:443,8080-8090 udp:53" — the SPEC's port text. */
const char *sgr_format_ports(const sgr_proto_ports *ports, uint32_t n, sgr_arena *scratch);

#endif
