/*
 * blast's closure, shared by its files: blast_run.c (the driver: the levels,
 * the expansions, which sources stand for their class), blast_pairs.c (the
 * answers of pairs and of load-balancer hops, with their memos), blast_pull*.c
 * (a level pulled by destination, or with --to by the endpoints not reached
 * yet: blast_pull_int.h) and blast_level.c (what a level records, which all
 * of them call). Private to
 * them; the algorithm: docs/performance.md, "blast --max-hops all".
 */
#ifndef SGREACH_BLAST_RUN_INT_H
#define SGREACH_BLAST_RUN_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "blast.h"
#include "blast_memo.h"
#include "strmap.h"

enum { TAG_NODE = 0x424c, TAG_KEY };

typedef struct blast_node {
    const sgr_endpoint *ep;
    uint32_t hops;
    const struct blast_node *parent;
    sgr_verdict verdict;
    sgr_proto_ports *ports;
    uint32_t n_ports;
    sgr_proto_ports *maybe;     /* further ports only possibly reached (data missing) */
    uint32_t n_maybe;
    const char *via;
} blast_node;

typedef struct blast_level {
    blast_node **items;
    uint32_t n, cap;
} blast_level;

typedef struct blast_served {
    uint8_t state[2];           /* 0 not asked, 1 every port may answer, 2 these */
    sgr_proto_ports *p[2];
    uint32_t n[2];
} blast_served;

/* A load balancer's one-hop lists, computed once per run: what it reaches
 * (its targets) and what reaches it (its clients, --to only). */
typedef struct blast_lbcache {
    sgr_reach *out, *in;
    uint32_t n_out, n_in;
    uint32_t *reg;              /* per target (out): how the LB registers it */
    bool have_out, have_in;
    int shows;                  /* sgr_inbound_lb_shows + 1, 0: not asked yet */
} blast_lbcache;

/* One closure's state. */
typedef struct blast_state {
    sgr_graph *g;
    bool reverse, brute;        /* brute: --debug-reference, no shortcut */
    sgr_arena *a;               /* the answer's */
    sgr_arena *work;            /* the run's: levels, memo values */
    sgr_arena *scratch;         /* one expansion's, reset between them */
    sgr_arena *eval;            /* one pair evaluation's, reset between them */
    sgr_strmap *seen;           /* id -> node */
    sgr_strmap *interned;       /* port sets of the memo's answers */
    const sgr_endpoint *const *eps;
    uint32_t n_eps;
    blast_node **at;                  /* per endpoint index: its node (NULL: not reached) */
    bool ids_unique;            /* no two endpoints share an id: `at` is `seen` */
    sgr_strmap *idset;          /* the endpoints' ids */
    blast_served *served;           /* per endpoint index */
    uint32_t *sig;              /* per endpoint index: pair class, 0 = none */
    const sgr_endpoint ***mates; /* per endpoint index: others on its interface (NULL-ended), or NULL */
    blast_lbcache *lbs;               /* per endpoint index (load balancers) */
    sgr_memo pairs;             /* (class, class | LB) -> answer */
    uint8_t *shut;              /* per (class, class): evaluated, reaches nothing (a bit) */
    uint32_t n_sigs;
    sgr_memo hops;              /* (client class, LB, target key) -> verified hop */
    sgr_lb_legs legs;           /* the legs those hops share (not for brute) */
    sgr_memo tkeys;             /* (target class, LB, registration) -> target key */
    uint32_t n_tkeys;
    sgr_memo leads;             /* (client class, LB) -> client key */
    uint32_t n_leads;
} blast_state;

static inline bool in_graph(const blast_state *R, const sgr_endpoint *ep)
{
    return ep->index < R->n_eps && R->eps[ep->index] == ep;
}

/* Reached at `depth` hops or fewer: nothing found later changes its entry. */
static inline bool settled(const blast_state *R, const sgr_endpoint *ep, uint32_t depth)
{
    return !R->brute && in_graph(R, ep) && R->at[ep->index] && R->at[ep->index]->hops <= depth;
}

static inline sgr_verdict sgr_blast_worst(sgr_verdict a, sgr_verdict b)
{
    if (a == SGR_UNREACHABLE || b == SGR_UNREACHABLE)
        return SGR_UNREACHABLE;
    return (a == SGR_UNKNOWN || b == SGR_UNKNOWN) ? SGR_UNKNOWN : SGR_REACHABLE;
}

void sgr_blast_push(sgr_arena *a, blast_level *l, blast_node *x);
/* *v ∪= add, kept in `a` only when it changed (tmp: the union's scratch). */
void sgr_blast_merge(sgr_arena *a, sgr_arena *tmp, sgr_proto_ports **v, uint32_t *n, const sgr_proto_ports *add,
                     uint32_t n_add);
/* The ports task `ep` answers on when reached by way `via` (sgr_task_served,
 * once per endpoint and way); false: every port may answer. */
bool sgr_blast_served(blast_state *R, const sgr_endpoint *ep, const char *via, sgr_proto_ports **out, uint32_t *n);
/* An answer as `task` hears it: a bridge or host task answers only on the
 * ports it publishes (sgr_blast_served); false when nothing is left. The
 * cut lists live in R->scratch. */
bool sgr_blast_filter(blast_state *R, const sgr_endpoint *task, const sgr_reach *r, sgr_reach *out);
/* Load balancer lb's targets, once per run. */
const blast_lbcache *sgr_blast_lb_out(blast_state *R, const sgr_endpoint *lb);

/* The target as a path through load balancer lb sees it: its class and how
 * lb registers it (one number per run), or 0x80000000 | its index. */
uint32_t sgr_blast_target_key(blast_state *R, const sgr_endpoint *lb, const sgr_endpoint *target);
/* One forward level by destination (blast_pull.c): E the level's sources in
 * expansion order, full[j] whether E[j] is expanded in full. */
void sgr_blast_pull(blast_state *R, blast_level *next, blast_node *const *E, uint32_t ne, const bool *full, uint32_t depth);
/* The same for --to (blast_pull_rev.c): each endpoint not reached yet finds
 * the level's endpoints it reaches. */
void sgr_blast_pull_rev(blast_state *R, blast_level *next, blast_node *const *E, uint32_t ne, const bool *full,
                        uint32_t depth);

/* The client as sgr_blast_verify keys it toward target through lb: how it
 * reaches lb's listeners (a proxy) or its class; 0 when it has none. */
uint32_t sgr_blast_client_key(blast_state *R, const sgr_endpoint *client, const sgr_endpoint *lb,
                              const sgr_endpoint *target);
/* A hop through a load balancer re-decided from the client (sgr_lb_hop_verify). */
typedef struct blast_vhop {
    bool ok;
    sgr_verdict v;
    sgr_proto_ports *ports;
    uint32_t n;
} blast_vhop;
blast_vhop sgr_blast_verify(blast_state *R, const sgr_endpoint *client, const sgr_reach *lbhop, const sgr_endpoint *lb,
                      const sgr_endpoint *target);

/* The hop through load balancer lb to target as `client` gets it (the LB's
 * own hop lbhop, re-decided from the client: sgr_blast_verify), by way
 * `via`; false: the client does not get through. */
bool sgr_blast_via_lb(blast_state *R, const sgr_endpoint *client, const sgr_reach *lbhop, const sgr_endpoint *lb,
                      const sgr_endpoint *target, const char *via, sgr_reach *out);

/* Records that `from` (at depth d) reaches `other` by reach r. */
void sgr_blast_discover(blast_state *R, blast_level *next, const blast_node *from, const sgr_reach *r, const sgr_endpoint *other);
/* What `from` reaches on `to` in one hop (sgr_reach_pair's answer), from the memos. */
bool sgr_blast_pair_answer(blast_state *R, const sgr_endpoint *from, const sgr_endpoint *to, sgr_reach *out);
/* The targets (reverse: clients) of load balancer lb, reached through it
 * from `from` (hop: from's answer toward it, reverse: its answer toward from). */
void sgr_blast_through_lb(blast_state *R, blast_level *next, const blast_node *from, const sgr_reach *hop, const sgr_endpoint *lb,
                          uint32_t depth);

#endif
