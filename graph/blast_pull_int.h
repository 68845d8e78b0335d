/*
 * A level of blast's closure pulled instead of expanded, shared by its files:
 * forward, by destination, blast_pull.c (destinations, load balancers) and
 * blast_pull_index.c (the level's sources, which of them an endpoint's
 * inbound rules admit, in expansion order); with --to, by the endpoints not
 * reached yet, blast_pull_rev.c (the walks, load balancers) and
 * blast_pull_rev_index.c (the level's inbound filters, which of them admit a
 * group); both record through blast_pull_stream.c (events, streams, entries).
 * Private to them.
 */
#ifndef SGREACH_BLAST_PULL_INT_H
#define SGREACH_BLAST_PULL_INT_H

#include "blast_run_int.h"
#include "inbound.h"

enum { NONE = UINT32_MAX, NARROW_MAX = 64 };

/* Bytes of wide rules' bits one level may hold (pull_rule_cands.bits: n_src
 * bits a rule); past it a rule's sources are searched one by one, as before
 * the bits, and give the same candidates. */
#ifndef PULL_BITS_BUDGET
#define PULL_BITS_BUDGET ((size_t)64 << 20)
#endif

/* An event's place in the order the expansions would have met it: the
 * source's position in the level's expansions, the endpoint the expansion
 * met (the destination, or the load balancer it went through) and, through
 * a load balancer, the target's place in its list + 1. */
typedef struct pull_evkey {
    uint32_t j, idx, k;
} pull_evkey;

static inline int key_cmp(pull_evkey a, pull_evkey b)
{
    if (a.j != b.j)
        return a.j < b.j ? -1 : 1;
    if (a.idx != b.idx)
        return a.idx < b.idx ? -1 : 1;
    return a.k < b.k ? -1 : a.k > b.k;
}

/* The first event and the first definite event of a stream or an entry. */
typedef struct pull_firsts {
    bool have, have_def;
    pull_evkey key, def_key;
    const blast_node *from, *def_from;
    sgr_verdict v;
    const char *via, *def_via;
} pull_firsts;

/* A stream's findings: its firsts (keys with idx and k left to the member)
 * and the union of its ports. */
typedef struct pull_stream {
    pull_firsts f;
    sgr_proto_ports *ports, *maybe;
    uint32_t n_ports, n_maybe;
    const sgr_proto_ports *bound; /* everything it may still add (NULL: unbounded) */
    uint32_t n_bound;
    bool bounded, done;
    bool no_def;                /* no definite event of it can count (none can be, or each
                                 * member holds an earlier one) */
} pull_stream;

typedef struct pull_source {
    uint32_t j;                 /* position in the level's expansions */
    const blast_node *n;
    bool classed;               /* has a pair class: its answers are its class's */
    bool indexed;               /* inbound rules see it by addr */
    uint32_t addr;
    uint32_t side;              /* its side's number (indexed sources), for the routes */
} pull_source;

typedef struct pull_by_addr {
    uint32_t addr, s;
} pull_by_addr;

/* The sources a rule admits this level: few (listed) or many (scanned). */
typedef struct pull_rule_cands {
    bool wide;
    uint32_t *s, n;
    uint64_t *bits;             /* wide: the sources it admits, a bit each (n_src bits), or NULL over budget */
} pull_rule_cands;

typedef struct pull_state {
    blast_state *R;
    blast_level *next;
    uint32_t depth;
    blast_node *const *E;             /* the level's expansions */
    pull_source *src;                /* the full expansions, in order */
    uint32_t n_src;
    pull_by_addr *sorted;            /* indexed sources by address */
    uint32_t n_sorted;
    uint32_t *always, n_always; /* sources no index sees: every destination meets them */
    uint32_t *unclassed, n_unclassed;
    uint32_t *epos;             /* per endpoint: its position in E, or NONE */
    sgr_memo rule_memo;         /* rule id -> rule_cands */
    size_t bits_bytes;          /* held by the wide rules' bits (at most PULL_BITS_BUDGET) */
    sgr_strmap *side_nos;       /* "subnet|vpc" -> side number + 1 */
    sgr_inbound_side *sides;    /* by number */
    uint32_t n_sides, cap_sides;
    sgr_memo sides_shut;        /* (side, side) -> 1 shut, 2 not */
    pull_firsts *entry;              /* per endpoint reached this level */
    uint32_t *touched, n_touched;
    uint32_t *served_id;        /* per endpoint: its served ports (direct way) as a number, 0 unknown yet */
    sgr_strmap *served_ids;
    uint32_t n_served_ids;
    sgr_arena *a;               /* the level's */
} pull_state;

/* The sources a destination may hear from, in expansion order: the listed
 * ones (narrow rules, the unindexed) merged with a scan of the rest (wide
 * rules, or every source when the filter is open); less those the routes
 * between VPCs keep out. */
typedef struct pull_cands {
    uint32_t *list, n_list, li;
    const sgr_inbound_rule **wide;
    uint32_t n_wide;
    uint64_t *scan_bits;        /* the sources some wide rule admits (the union of their bits), or
                                 * NULL: some wide rule has none, each source is searched in every one */
    bool scan_all;              /* open: every source */
    bool scanning;
    uint32_t si;                /* the scan's next source */
    uint32_t *to_sides, n_to_sides; /* the destination's sides (none: routes not looked at) */
} pull_cands;

/* The ports the rules of `in` open, merged, cut to its bound when it has
 * one: what graph/inbound.h lets any answer through the filter hold (not
 * meaningful for an open filter). The outbound filter of sgr_outbound_of
 * has no bound: its rules' ports are what the source may send. */
sgr_proto_ports *sgr_pull_rules_ports(const sgr_inbound *in, sgr_arena *a, uint32_t *n);

/* The level's full expansions as sources: their addresses, sides and
 * classes, sorted by address for the rules' look-ups. */
void sgr_pull_sources(pull_state *P, blast_node *const *E, uint32_t ne, const bool *full);
/* The index by hand (sgr_pull_sources is these three): room for cap
 * entries; one entry (ep at position j, its node n if a source); sorted. */
void sgr_pull_index_init(pull_state *P, uint32_t cap);
void sgr_pull_index_add(pull_state *P, const sgr_endpoint *ep, uint32_t j, const blast_node *n);
void sgr_pull_index_sort(pull_state *P);
/* The sources the rules of `in` admit (all of them when it is open), less
 * those routes or ACLs keep out; classed_only: only sources with a class. */
void sgr_pull_cands_init(pull_state *P, const sgr_inbound *in, bool classed_only, sgr_arena *a, pull_cands *c);
/* The next of them in expansion order, or NONE. */
uint32_t sgr_pull_cands_next(pull_state *P, pull_cands *c, bool classed_only);
/* Drops the rules that cannot open anything here: their ports outside the
 * filter's bound, or outside `cut` (a task's served ports). */
void sgr_pull_keep_rules(sgr_inbound *in, const sgr_proto_ports *cut, uint32_t n_cut, bool cut_on, sgr_arena *a);
/* Some rule of `in` refers to a group of load balancer lb: it admits the
 * clients lb brings, whatever their address (graph/inbound.h). */
bool sgr_pull_refers_to_lb(const sgr_inbound *in, const sgr_endpoint *lb);
/* Source s is one the rules of `in` (not open) admit. */
bool sgr_pull_admits(const pull_state *P, const sgr_inbound *in, uint32_t s);
/* qsort/bsearch order of uint32_t. */
int sgr_pull_cmp_u32(const void *x, const void *y);
/* The indexed sources rule r admits (few: a list; many: wide), once per level. */
const pull_rule_cands *sgr_pull_rule_cands(pull_state *P, const sgr_inbound_rule *r);
/* A side's number this level (P->side_nos must exist). */
uint32_t sgr_pull_side_no(pull_state *P, const sgr_inbound_side *sd);
/* Every one of sides `to` is shut from side `from` (routes, ACLs: sgr_inbound_sides_shut), memoized. */
bool sgr_pull_routes_shut(pull_state *P, uint32_t from, const uint32_t *to, uint32_t n_to);

/* ---- streams and entries (blast_pull_stream.c), forward and --to */

/* Takes one event (already filtered) into a stream kept in `a` (the
 * level's: the answer's via may live in scratch). */
void sgr_pull_stream_take(blast_state *R, sgr_arena *a, pull_stream *st, pull_evkey key, const blast_node *from,
                          const sgr_reach *r);
/* done: it holds a definite event (or none can count) and its ports cover its bound. */
void sgr_pull_stream_check_done(pull_stream *st);
/* Merges a stream's findings into member ep's entry: its keys get the
 * member's idx and k. */
void sgr_pull_apply(pull_state *P, const pull_stream *st, const sgr_endpoint *ep, uint32_t idx, uint32_t k);
/* One event straight into other's entry (pairs on one interface, sources
 * without a class), filtered by the served ports of the task that answers. */
void sgr_pull_single(pull_state *P, uint32_t j, const blast_node *from, const sgr_reach *r, const sgr_endpoint *other,
                     uint32_t idx, uint32_t k);
/* Endpoint ep's served ports by the direct way, as a number (equal numbers:
 * equal sets; 1: not filtered); P->served_id and served_ids must exist. */
uint32_t sgr_pull_served_number(pull_state *P, const sgr_endpoint *ep);
/* An endpoint filed for grouping: its pair class (0: alone), a finer key
 * (served ports forward; the endpoint's own number + 1 when alone), its index. */
typedef struct pull_member {
    uint32_t sig, sub, idx;
} pull_member;
/* qsort order of pull_member: by class, key, index (members of a group in endpoint order). */
int sgr_pull_cmp_member(const void *x, const void *y);
/* An endpoint of the level shares ep's interface (the docker bridge, loopback). */
bool sgr_pull_hosts_a_source(const pull_state *P, const sgr_endpoint *ep);
/* Each entry of the level: the path through its first definite event, else its first. */
void sgr_pull_finish(pull_state *P);

/* ---- a level with --to (blast_pull_rev.c, blast_pull_rev_index.c): each
 * group of endpoints not reached yet walks the level's endpoints whose
 * inbound filters admit it */

/* The level's full expansions (P.src) that share one inbound filter. */
typedef struct pull_rev_filter {
    sgr_inbound in;
    bool classed;
    bool cut;                   /* its sources answer only on `served` (bridge, host tasks) */
    sgr_proto_ports *served;
    uint32_t n_served;
    uint32_t *s, n, cap;        /* positions in P.src, in order */
    uint32_t *sides, n_sides;   /* X's side numbers (none: routes not looked at) */
    /* the most any of its rules may open: its bound (graph/inbound.h) cut
     * to `served`; not `capped`: no limit */
    bool capped;
    const sgr_proto_ports *most;
    uint32_t n_most;
} pull_rev_filter;

/* What a rule may open through one filter holding it: its ports cut to
 * the filter's most (the same for every group the rule admits). */
typedef struct pull_rev_cut {
    bool all;                   /* any port: no cut (p NULL) */
    const sgr_proto_ports *p;
    uint32_t n;
} pull_rev_cut;

/* A rule of the filters, and the filters that hold it. */
typedef struct pull_rev_rule {
    const sgr_inbound_rule *r;
    uint32_t *f, n, cap;
    pull_rev_cut *cut;          /* per filter f[x] */
} pull_rev_rule;

typedef struct pull_rev_admit {
    uint32_t f;
    const pull_rev_cut *cut;
} pull_rev_admit;

/* Endpoints not reached yet that reach alike: one pair class, none sharing
 * the interface of an endpoint of the level (else one each). */
typedef struct pull_rev_group {
    const sgr_endpoint **m;
    uint32_t n;
    pull_rev_admit *narrow;     /* filters admitting it by a rule that admits few groups */
    uint32_t n_narrow, cap_narrow;
    bool out_on;                /* its outbound filter is not open: it sends only on `opens` */
    sgr_proto_ports *opens;
    uint32_t n_opens;
} pull_rev_group;

typedef struct pull_rev_state {
    pull_state P;               /* the entries; P.src: the level's full expansions */
    pull_state X;               /* the groups by address: X.src[g] stands for group g */
    blast_state *R;
    sgr_arena *a;
    pull_rev_filter *filters;
    uint32_t n_filters;
    uint32_t *filter_of;        /* per P.src position */
    uint32_t *open, n_open;     /* filters that admit everything */
    pull_rev_rule *rules;
    uint32_t n_rules;
    uint32_t *wide, n_wide;     /* rules that admit many groups */
    pull_rev_group *groups;
    uint32_t n_groups;
    uint32_t *mark;             /* per filter: 2g + 2 admitted for group g, 2g + 3 shut */
} pull_rev_state;

/* The filters that admit a group (sgr_pull_rev_admitted). */
typedef struct pull_rev_admitted {
    uint32_t *f, n;
} pull_rev_admitted;

/* The level's full expansions the walks ask, in order (those that answer
 * alike once, twice across interfaces), and every endpoint's place in E. */
void sgr_pull_rev_sources(pull_rev_state *V, blast_node *const *E, uint32_t ne, const bool *full);
/* The endpoints not reached yet (no load balancer), in groups indexed by address in V->X. */
void sgr_pull_rev_groups(pull_rev_state *V);
/* The sources' inbound filters and their rules, narrow ones listed in the groups they admit. */
void sgr_pull_rev_filters(pull_rev_state *V);
/* The filters that admit group g (less those routes, ACLs or the group's
 * outbound ports keep out), and in st the bound of what they may open. */
void sgr_pull_rev_admitted(pull_rev_state *V, uint32_t g, pull_rev_admitted *ad, pull_stream *st);

#endif
