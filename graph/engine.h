/*
 * The compiled reachability graph (private to graph/engine_*.c).
 *
 * Build (engine_build.c) compiles every security group into per-direction
 * rule lists whose peers are address sets (group references expanded to the
 * private addresses of the interfaces carrying the group, prefix lists to
 * their entries), and makes one endpoint per interface / task / load balancer.
 * Checks (engine_check.c) evaluate one component (groups, an ACL, a route
 * table) for a flow and return the ports it allows. Legs (engine_leg.c)
 * chain the checks along one packet path; paths (engine_can.c, and through
 * load balancers engine_lb.c, with what both use in engine_path.c) chain the
 * legs; engine_reach.c answers whole-estate questions with the same checks.
 * Lookups and indices: engine_index.c.
 */
#ifndef SGREACH_ENGINE_H
#define SGREACH_ENGINE_H

#include "addrset.h"
#include "arena.h"
#include "portset.h"
#include "sgreach/query.h"
#include "strmap.h"
#include "lb_legs.h"

/* strmap namespaces */
enum {
    TAG_SG = 1, TAG_SUBNET, TAG_VPC, TAG_TG, TAG_PL, TAG_PEER, TAG_EP_ENI, TAG_EP_TASK,
    TAG_EP_LB, TAG_EP_DB, TAG_MEMBERS, TAG_INSTANCE, TAG_NAT, TAG_LB_NAME, TAG_ENI, TAG_TASK_ENI, TAG_EP_CIDR,
    TAG_IDX_ENI_TASKS, TAG_IDX_TG_TASKS, TAG_IDX_IP, TAG_IDX_TARGETS,
    TAG_IDX_LB_LISTENERS, TAG_IDX_LB_TGS, TAG_IDX_RELAYS, TAG_TGW, TAG_TGW_REF,
    TAG_IDX_PL,                 /* LB ARN → the interface endpoints leading to it (key "": unresolved services) */
    TAG_GROUPS_UNKNOWN          /* key "": the interfaces whose groups are unknown (a members list) */
};

typedef struct sgr_crule {
    const sgr_sg *sg;
    const sgr_sg_rule *rule;
    int32_t proto;          /* -1 all, else IANA number */
    int32_t lo, hi;         /* ports, ICMP types; the protocol's universe when all */
    sgr_addrset addrs;      /* peers this rule admits */
    const char *ref_group;  /* SGR_PEER_GROUP: the referenced group id */
    bool unknown;           /* its peers are not known (prefix list entries, remote group) */
    /* SGR_PEER_GROUP: addresses of interfaces whose own groups are unknown
     * (damaged input): each may be a member, so for them the rule is unknown */
    sgr_addrset maybe_members;
    sgr_addrset any_peers;      /* addrs and maybe_members: every peer it may admit */
    const char *unknown_why;
    const char *peer_text;  /* "sg-0def", "10.0.0.0/16", "pl-123" */
    /* Members of the referenced group across a transit gateway whose
     * SecurityGroupReferencingSupport the snapshot does not show (they are in
     * addrs too): a match on them is only possible. */
    sgr_addrset tgw_maybe;
    const char *tgw_maybe_why;
    /* what it opens, as answers name it (ICMPv6 counted as ICMP too): for
     * sgr_inbound_of, built once here */
    sgr_proto_ports opens[2];
    sgr_portrange opens_ranges[2];
    uint32_t n_opens;
} sgr_crule;

typedef struct sgr_csg {
    const char *id;
    const sgr_sg *sg;       /* NULL: referenced, never described */
    bool described;
    sgr_crule *in, *out;
    uint32_t n_in, n_out;
} sgr_csg;

/* One side of a flow leg: where a packet leaves or arrives. */
typedef struct sgr_side {
    const char *label;          /* endpoint or interface id for hops */
    const sgr_eni *eni;
    const sgr_subnet *subnet;   /* NULL: outside every VPC (internet, on-premises) */
    const sgr_vpc *vpc;
    const char *vpc_id;
    sgr_csg **groups;
    uint32_t n_groups;
    bool no_filter;             /* an NLB without security groups */
    bool external;              /* internet or an address outside the estate */
    bool internet_facing;       /* an internet-facing LB node (public by scheme) */
    sgr_ip addr4, addr6;        /* private addresses (family 0: none) */
    bool has_public4;           /* a public IPv4 or EIP maps to addr4 */
    sgr_ip public4;
    bool deny_igw6;
    bool groups_unknown;        /* the groups that filter it are not known */
    const char *groups_unknown_why;
    const char *assumption;     /* what the side's data rests on (an address assumed) */
    /* The instance behind the interface is not running: `down` says why it
     * serves and starts nothing (stopped, stopping, shutting-down,
     * terminated); with down_unknown (pending) whether it will is unknown. */
    const char *down;
    bool down_unknown;
    const sgr_origin *down_origin;
    /* A planned endpoint (Terraform) has no address yet: it will get one of
     * this prefix (its subnet's); addr4 is the prefix's first address, used
     * for routing and families. Checks evaluate the whole prefix: a verdict
     * that holds for every address of it is definite, else unknown. */
    const sgr_prefix *planned;
} sgr_side;

typedef struct sgr_epx {
    sgr_endpoint pub;           /* first: an sgr_endpoint * is an sgr_epx * */
    sgr_side side;              /* for ENI/task/DB endpoints (LB: first node) */
    sgr_side *nodes;            /* LB: one side per node (interface or subnet) */
    uint32_t n_nodes;
    bool addr_unknown;          /* no address known (planned, or the data lacks it) */
    uint32_t cls;               /* equivalence class (subnet, groups, kind) for reach */
    const char *nowhere;        /* a CIDR endpoint no host can have (why), else NULL */
    /* A bridge or host task on an instance with other interfaces than its
     * primary one (engine_build.c: task_ifaces): the task as reached on each
     * of them, a copy of this endpoint whose side and pub.eni are that
     * interface's. A published host port listens on every interface its
     * bindIP covers (sgr_binding_listens), each behind its own groups, ACL
     * and routes; what the task sends still leaves by `side`. */
    struct sgr_epx *ifaces;
    uint32_t n_ifaces;
    const struct sgr_epx *home; /* a copy in ifaces: the task's own endpoint */
    /* An AWS service's public addresses that the snapshot does not hold
     * (sgr_graph_aws_public_endpoint): any public address may be one, so a
     * path is definite only if every public address is reached (why), else NULL */
    const char *ranges_unknown;
} sgr_epx;

struct sgr_graph {
    sgr_arena *arena;
    const sgr_snapshot *snap;
    sgr_graph_options opts;
    sgr_strmap *map;
    sgr_addrset public_set;     /* every public address (is an address public?) */
    sgr_addrset internet_set;   /* the internet endpoint's addresses */
    sgr_epx **eps;              /* sorted by id */
    uint32_t n_eps;
    sgr_epx *internet;
    uint32_t n_classes;
    /* protocol numbers other than TCP, UDP, ICMP and ICMPv6 that some rule
     * names (a pair's answer may hold them): sgr_inbound_of's bounds */
    int32_t other_protos[16];
    uint32_t n_other_protos;
    bool many_other_protos;     /* more than fit: no bound on them */
    /* listeners per LB, services per target group: arrays built once */
};

/* ---- lookups and indices (engine_index.c); the indices are built once at the
 * end of sgr_graph_build */
typedef struct sgr_ep_list {
    const sgr_epx **v;
    uint32_t *k;                /* per entry: the service's loadBalancers index (tg lists) */
    uint32_t n, cap;
} sgr_ep_list;
/* The list of (tag, key) in g->map, made empty on first use. */
sgr_ep_list *sgr_ep_list_for(sgr_graph *g, uint32_t tag, const char *key);
/* Appends x (or another object cast, as the list's comment says) with k. */
void sgr_ep_list_push(sgr_arena *a, sgr_ep_list *l, const sgr_epx *x, uint32_t k);
void sgr_engine_index(sgr_graph *g);
/* The listeners of a load balancer (elbv2), the target groups naming it in
 * LoadBalancerArns, in snapshot order, as sgr_ep_list of those objects (v[i]
 * cast), NULL: none. */
const sgr_ep_list *sgr_engine_lb_listeners(const sgr_graph *g, const sgr_lb *lb);
const sgr_ep_list *sgr_engine_lb_tgs(const sgr_graph *g, const sgr_lb *lb);
/* The load balancers that may lead to endpoint x (x registered behind one of
 * their listeners, or behind a target group whose targets are unknown), in
 * g->eps order; built by sgr_lb_relays_index. */
const sgr_ep_list *sgr_engine_relays(const sgr_graph *g, const sgr_epx *x);
void sgr_lb_relays_index(sgr_graph *g); /* engine_lb.c */
void sgr_engine_relay_add(sgr_graph *g, const sgr_epx *target, const sgr_epx *lbx);
/* Bridge/host tasks bound to an interface, in g->eps order (NULL: none). */
const sgr_ep_list *sgr_engine_eni_tasks(const sgr_graph *g, const sgr_eni *eni);
/* Service tasks registered in a target group (by the service's loadBalancers), in g->eps order. */
const sgr_ep_list *sgr_engine_tg_tasks(const sgr_graph *g, const sgr_target_group *tg);
/* The first interface (snapshot order) with private address ip, in vpc_id (NULL: any VPC). */
const sgr_eni *sgr_engine_eni_by_ip(const sgr_graph *g, const sgr_ip *ip, const char *vpc_id);
const char *sgr_format_ip_raw(const sgr_ip *ip, char *buf, size_t len);
/* The compiled group, endpoint, subnet, target group, NAT or peering of an id
 * (NULL: not in the snapshot). */
sgr_csg *sgr_engine_csg(const sgr_graph *g, const char *sg_id);
/* A peering between two regions (both known and different): it routes, but
 * security-group references do not work across it. */
bool sgr_peering_cross_region(const sgr_peering *p);
const sgr_peering *sgr_engine_peering(const sgr_graph *g, const char *vpc_a, const char *vpc_b);
const sgr_subnet *sgr_engine_subnet(const sgr_graph *g, const char *id);
const sgr_target_group *sgr_engine_tg(const sgr_graph *g, const char *arn);
sgr_epx *sgr_engine_ep(const sgr_graph *g, uint32_t tag, const char *id);
/* The endpoint made on demand under `id` (an address a user names, an AWS
 * service's public addresses): the one made before (*made false), else a new
 * one (*made true, for the caller to fill in): a copy of `like` (NULL: zeroed)
 * named id, outside g->eps (index UINT32_MAX), registered under id. */
sgr_epx *sgr_engine_ep_on_demand(sgr_graph *g, const char *id, const sgr_epx *like, bool *made);
const sgr_nat *sgr_engine_nat(const sgr_graph *g, const char *id);
/* The subnet of vpc_id whose CIDR holds ip (NULL: none described). */
const sgr_subnet *sgr_engine_subnet_of(const sgr_graph *g, const char *vpc_id, const sgr_ip *ip);

/* ---- checks (engine_check.c) */

/* What one component lets through for one protocol: `allowed` definitely,
 * `maybe` only if missing data turns out favourably. Ports are within the
 * protocol's universe. */
typedef struct sgr_pass {
    sgr_pset allowed, maybe;
} sgr_pass;

/* An evaluation trace: everything a path collects on its way. */
typedef struct sgr_trace {
    sgr_arena *a;
    bool explain;               /* build texts (can) or only sets (reach) */
    int32_t proto;
    int32_t lo, hi;             /* the ports asked (universe when any) */
    bool forall;                /* every port of lo-hi must pass (dynamic host port) */
    sgr_pset def, pos;          /* ports passing every check so far: definitely, possibly */
    bool blocked;               /* some all-or-nothing check blocked */
    bool unknown;               /* some all-or-nothing check is unknown */
    sgr_hop *hops;
    uint32_t n_hops, cap_hops;
    sgr_rule_ref *allowed;
    uint32_t n_allowed, cap_allowed;
    sgr_block *blocks;
    uint32_t n_blocks, cap_blocks;
    const char **missing;
    uint32_t n_missing, cap_missing;
    const char **assumptions;
    uint32_t n_assumptions, cap_assumptions;
    /* The packet arrives from a middlebox (an appliance, a Gateway Load
     * Balancer or firewall endpoint) that a route put on its way: group
     * references do not match it, CIDR rules still do (VPC "Security group
     * rules"). Set by sgr_leg around the destination's ingress check. */
    bool via_middlebox;
    uint8_t detours;            /* appliances passed on this leg (a routing loop ends as unknown) */
} sgr_trace;

void sgr_trace_init(sgr_trace *t, sgr_arena *a, bool explain, int32_t proto, int32_t lo, int32_t hi, bool forall);
void sgr_trace_hop(sgr_trace *t, const char *kind, const char *id, const char *detail);
void sgr_trace_allow(sgr_trace *t, const char *component, const char *direction, const char *text,
                     const sgr_origin *origin);
void sgr_trace_block(sgr_trace *t, const char *component, const char *direction, const char *reason,
                     const sgr_origin *origin);
void sgr_trace_missing(sgr_trace *t, const char *what);
void sgr_trace_assume(sgr_trace *t, const char *what);
/* Applies a component's pass to the trace (port sets, and for texts: whether it blocks). */
void sgr_trace_apply(sgr_trace *t, const sgr_pass *p);
/* An all-or-nothing step: pass, unknown (with what is missing) or block. */
void sgr_trace_gate(sgr_trace *t, int state);
enum { GATE_PASS, GATE_UNKNOWN, GATE_BLOCK };
/* The trace's verdict for the ports asked. */
sgr_verdict sgr_trace_verdict(const sgr_trace *t);

/* Security groups of a side, one direction, peer address `peer` (family 0 = unknown);
 * extra_groups: group ids the peer also carries for references (an NLB's groups
 * seen through client IP preservation). */
/* peer_groups_known: the peer address belongs to an interface (or the
 * internet) whose full group list the snapshot holds, so a reference to a
 * group no dump describes is decided: it does not match the peer. */
void sgr_check_groups(const sgr_graph *g, sgr_trace *t, const sgr_side *s, bool egress, const sgr_ip *peer,
                      const sgr_prefix *peer_set, const char *peer_label, const sgr_strs *extra_groups,
                      bool peer_groups_known);
/* The network ACL of a subnet for traffic leaving (egress) or entering it. */
void sgr_check_nacl(const sgr_graph *g, sgr_trace *t, const sgr_subnet *sn, bool egress, const sgr_ip *peer,
                    const sgr_prefix *peer_set,
                    const char *peer_label, bool is_return);
/* The route of subnet `sn` toward `dst`: the best route or NULL; *unknown when
 * the subnet has no route table data. */
const sgr_route *sgr_route_lookup(const sgr_graph *g, const sgr_subnet *sn, const sgr_ip *dst, bool *unknown,
                                  const sgr_route_table **table);
const char *sgr_route_text(sgr_arena *a, const sgr_route *r);

/* ---- transit gateways (engine_tgw.c) */
bool sgr_tgw_known(const sgr_graph *g, const char *tgw_id);
void sgr_route_tgw(const sgr_graph *g, sgr_trace *t, const sgr_route_table *rt, const sgr_route *r,
                   const sgr_side *from, const sgr_side *to, const sgr_ip *dst, const char *dst_label);

/* ---- legs (engine_leg.c) */
/* An address outside every private, shared and special-purpose range. */
bool sgr_is_public(const sgr_graph *g, const sgr_ip *ip);
/* The appliance a route to an instance (its primary interface) or a network
 * interface leads to; NULL when the snapshot does not describe it. */
const sgr_epx *sgr_route_appliance(const sgr_graph *g, const sgr_route *r);
/* One network leg src → dst for the trace's protocol/ports: groups, routes, ACLs.
 * src_seen: the source address the destination sees (NLB preservation). */
void sgr_leg(const sgr_graph *g, sgr_trace *t, const sgr_side *src, const sgr_ip *src_addr, const sgr_side *dst,
             const sgr_ip *dst_addr, const sgr_strs *extra_groups);


/* A candidate path: its trace (explanation) and verdict. */
typedef struct sgr_path {
    sgr_trace t;
    sgr_verdict v;
    const char *via;            /* "direct", "lb:NAME", "docker-bridge", "loopback" */
    bool irrelevant;            /* the LB does not lead to the target asked */
} sgr_path;

/* ---- what the path files share (engine_path.c) */
/* True when a is a better candidate than b (reachable > unknown > fewest blocks). */
bool sgr_path_better(const sgr_path *a, const sgr_path *b);
/* The ports an endpoint serves for port P: host port for bridge/host tasks.
 * Returns false (with *why) when the port is not published. */
bool sgr_served_ports(const sgr_graph *g, const sgr_epx *x, int32_t proto, int32_t port, int32_t *lo, int32_t *hi,
                      bool *forall, const char **why, sgr_arena *a);
/* Whether interface e (may be NULL) has ip among its private IPv4 and IPv6 addresses. */
bool sgr_eni_holds(const sgr_eni *e, const sgr_ip *ip);
/* Whether binding nb of x's task (bridge or host mode) listens on x's
 * interface (x->pub.eni): bound to every address ("0.0.0.0", "::", none
 * recorded), to one of the interface's, or to an address no interface of the
 * host has (which one answers cannot be told: all may). */
bool sgr_binding_listens(const sgr_epx *x, const sgr_network_binding *nb);
/* The host ports of proto that x's task publishes only on other interfaces
 * of its host than x's (bindIP), in a (empty: none). */
sgr_pset sgr_ports_bound_elsewhere(sgr_arena *a, const sgr_epx *x, int32_t proto);
/* dst's texts and sets followed by src's (a path made of two traces). */
void sgr_trace_concat(sgr_trace *dst, const sgr_trace *src);
/* Unreachable if either is, else unknown if either is, else reachable. */
sgr_verdict sgr_verdict_worst(sgr_verdict a, sgr_verdict b);
/* The address of x to use toward a peer of family fam (4 or 6), or NULL. */
const sgr_ip *sgr_side_addr(const sgr_side *s, int fam);

/* ---- load balancers (engine_lb.c; listener ports: engine_reach.c) */
/* A load balancer's listener ports: TCP, UDP, ICMP (none) as sets, for pair answers toward it. */
void sgr_lb_listener_ports(const sgr_graph *g, const sgr_lb *lb, sgr_arena *a, sgr_pset lis[3]);

/* A registered target of a load balancer, as an endpoint and port. */
typedef struct sgr_target_ep {
    const sgr_epx *ep;
    int32_t port;
    const char *tg;             /* target group ARN or name, or the classic LB */
    const sgr_target_group *tgp; /* NULL for a classic LB */
    const char *id;             /* as registered */
    int32_t port_hi;            /* > port: a dynamic host port somewhere in port-port_hi */
    bool forall;                /* every port of the range must pass (not recorded yet: planned) */
    /* Set when what answers at this target is not in the snapshot (an ip
     * target no interface has, an instance not described whose interface
     * names it): why. A path through the LB to it is at best unknown. */
    const char *unsure;
} sgr_target_ep;

/* Targets behind a listener (target groups, ECS services, classic instances).
 * *unknown: some target group has no target health and no ECS service. */
uint32_t sgr_lb_targets(const sgr_graph *g, const sgr_lb *lb, const sgr_listener *l, int32_t classic_port,
                        sgr_target_ep **out, sgr_arena *a, const char ***missing, uint32_t *n_missing);
/* Every target (endpoint and port, once each) behind the listeners of lb that
 * serve proto on port (-1: any), in listener order; allocated in a. */
uint32_t sgr_lb_targets_at(const sgr_graph *g, const sgr_lb *lb, int32_t proto, int32_t port, sgr_target_ep **out,
                           sgr_arena *a);
/* A target group behind listener l whose targets the snapshot lacks and that
 * could hold `target` (by target type), or NULL. */
const sgr_target_group *sgr_lb_unknown_tg(const sgr_graph *g, const sgr_lb *lb, const sgr_listener *l,
                                          const sgr_epx *target);
/* A classic load balancer whose instance list could not be read, and a
 * `target` (an instance's interface, a task on an instance) that may be on it. */
bool sgr_classic_may_target(const sgr_lb *lb, const sgr_epx *target);
/* The address an ip target registers (its Id), false when the Id is none. */
bool sgr_lb_target_addr(const sgr_target *t, sgr_ip *ip);
/* The interface of the snapshot an ip target of tg is, or NULL (its address
 * is then in no snapshot, or its Id no address). */
const sgr_eni *sgr_lb_ip_target_eni(const sgr_graph *g, const sgr_target_group *tg, const sgr_target *t);
/* Client IP preservation toward a target group (assumption text when defaulted). */
bool sgr_lb_preserves(const sgr_lb *lb, const sgr_target_group *tg, const char **assumption, sgr_arena *a);
/* sgr_lb_preserves for one client's address family: an IPv6 client of an IPv4
 * target group arrives from the load balancer's address. */
bool sgr_lb_preserves_for(const sgr_lb *lb, const sgr_target_group *tg, int client_family, const char **assumption,
                          sgr_arena *a);
/* The path client → LB listener → target (target NULL = any registered target),
 * for protocol proto and the listener's port: the client's leg to the LB's
 * nodes, the listener, and the LB's leg (or, preserving client IPs, the
 * client's address) to each target, the best target answered. */
sgr_path sgr_path_via_lb(const sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from, const sgr_ip *from_addr,
                         const sgr_epx *lbx, int32_t proto, int32_t listener_port, const sgr_epx *target,
                         int32_t target_port);

/* Another way into a load balancer than a client's own leg to its nodes
 * (PrivateLink: through an interface endpoint). lead(…, node) is the path
 * up to that node for the listener port; the targets then see the load
 * balancer's address whatever its client IP preservation (source_text says
 * why, in the target hop). */
typedef struct sgr_lb_entry {
    sgr_path (*lead)(const sgr_graph *g, sgr_arena *a, bool explain, const void *ctx, int32_t proto, int32_t port,
                     const sgr_side *node);
    const void *ctx;
    const char *source_text;
} sgr_lb_entry;
/* sgr_path_via_lb with the client's leg replaced by entry's (NULL: the same),
 * keeping its legs' verdicts in legs (lb_legs.h; NULL, or explain: none kept). */
sgr_path sgr_path_via_lb_entry(const sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from,
                               const sgr_ip *from_addr, const sgr_epx *lbx, int32_t proto, int32_t listener_port,
                               const sgr_epx *target, int32_t target_port, const sgr_lb_entry *entry,
                               sgr_lb_legs *legs);

/* ---- PrivateLink (engine_privatelink.c) */
/* Which interface endpoints lead to which load balancers, once per graph. */
void sgr_privatelink_index(sgr_graph *g);
/* The best path from `from` through an interface endpoint of the endpoint
 * service of lbx (an NLB or GWLB) to `target` (NULL: the load balancer
 * itself) on target_port (-1: any); .irrelevant when no interface endpoint
 * leads there. An endpoint whose service is not in the snapshot may lead to
 * any load balancer no known service configuration accounts for: unknown. */
sgr_path sgr_path_via_privatelink(const sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from,
                                  const sgr_ip *from_addr, const sgr_epx *lbx, int32_t proto, int32_t listener_port,
                                  const sgr_epx *target, int32_t target_port);
/* Whether some interface endpoint may lead to lbx. */
bool sgr_privatelink_leads(const sgr_graph *g, const sgr_epx *lbx);
/* For an interface of an interface (or Gateway Load Balancer) endpoint: "Interface
 * endpoint vpce-… to SERVICE", the hop's detail; NULL for another endpoint. */
const char *sgr_endpoint_eni_detail(const sgr_graph *g, sgr_arena *a, const sgr_epx *x);

/* ---- cuts (engine_cuts.c): sorted boundaries of every CIDR some sides look at. */
enum { SGR_MAX_CUTS = 4096 };
typedef struct sgr_cuts {
    uint32_t *p4;
    uint32_t n4, cap4;
    sgr_u128 *p6;
    uint32_t n6, cap6;
    bool capped; /* more than SGR_MAX_CUTS of a family: some were left out */
} sgr_cuts;

/* Adds the boundaries of a set, or of everything a side looks at: its groups'
 * address rules (both ways), its subnet's ACL entries, its routes (with the
 * entries of prefix lists they go to). */
void sgr_cuts_set(sgr_arena *a, sgr_cuts *c, const sgr_addrset *s);
void sgr_cuts_side(const sgr_graph *g, sgr_arena *a, sgr_cuts *c, const sgr_side *s);
/* Sorts both families and drops repeats. */
void sgr_cuts_sort(sgr_cuts *c);
/* The interval of an address among sorted cuts, from 1 (0: no address). */
uint32_t sgr_cuts_atom(const sgr_cuts *c, const sgr_ip *ip);

/* (engine_can.c) One address per cell of the outside endpoint's addresses (the internet's,
 * or a CIDR's) that no rule, ACL entry or route of `sides` tells apart from
 * the rest of its cell; allocated in `a`, IPv4 first. *truncated: more
 * boundaries or cells than are kept (some cell may be missing). */
uint32_t sgr_outside_cells(const sgr_graph *g, sgr_arena *a, const sgr_epx *outside, const sgr_side *const *sides,
                           uint32_t n_sides, sgr_ip **out, bool *truncated);

#endif
