/*
 * One hop from many sources at once (reach_many.h). The contract it rests
 * on: two endpoints of one pair class (blast_class.h) reach the same
 * endpoints on the same ports and are reached alike, for pairs on two
 * different interfaces; and graph/inbound.h's, which lets a destination look
 * up the sources its rules admit, and leaves out the pairs whose outbound
 * and inbound ports do not meet; and the coarse keys' (below), which let
 * one evaluation stand for source classes a destination cannot tell apart.
 * tests/e2e/test_report_estate.sh compares the report built on it with the
 * one asked of sgr_reach_from for every task (--debug-reference), on two
 * generated estates.
 */
#include "reach_many.h"

#include <stdlib.h>
#include <string.h>

#include "blast.h"
#include "blast_class.h"
#include "blast_pull_int.h"
#include "engine.h"

enum { TAG_CLASS = 0x524d, TAG_ANSWER, TAG_BASE, TAG_SEEN, TAG_SENDS };
enum { SEEN_MAX = 1 << 18 };

/* An answer of a source class: toward every member of destination group dg. */
typedef struct hit {
    uint32_t dg, answer;
} hit;

typedef struct sclass {
    uint32_t *members;          /* endpoint indices, in endpoint order */
    const sgr_endpoint *first;  /* eps[members[0]], and its interface: read once per candidate pair */
    const sgr_eni *first_eni;
    uint32_t base;              /* its source key without its groups + 1 (coarse_keys()), 0: none */
    bool out_on;                /* first's outbound filter is not open: it sends within sends[opens] only */
    uint32_t opens;             /* (out_on) its outbound ports' number in sgr_reach_many.sends */
    uint32_t n_members, cap_members;
    hit *hits;                  /* malloc'ed: grown to millions at scale */
    uint32_t n_hits, cap_hits;
} sclass;

struct sgr_reach_many {
    sgr_graph *g;
    const sgr_endpoint *const *eps;
    uint32_t n_eps;
    sgr_arena *a;
    uint32_t *dgroup;           /* per endpoint: its destination group */
    uint32_t *dg_first, *dg_members; /* group k's members: dg_members[dg_first[k] .. dg_first[k + 1]) */
    uint32_t n_dgroups;
    const sgr_eni **dg_eni0;    /* per group: its first member's interface (pick_pair's first test) */
    uint32_t *sc_of;            /* per endpoint: its source class + 1, 0 when not a source */
    sclass *sc;
    uint32_t n_sc;
    sgr_reach *answers;         /* distinct answers (from, to unset) */
    uint32_t n_answers, cap_answers;
    sgr_strmap *answer_ids;
    const sgr_endpoint ***mates; /* per endpoint: every endpoint on its interface, itself too (NULL-ended), or NULL */
    /* the distinct port lists that source classes' outbound rules open (outbound_ports()) */
    sgr_proto_ports **sends;
    uint32_t *n_sends, n_opens, cap_sends, cap_n_sends;
};

static bool is_endpoint(const sgr_reach_many *m, const sgr_endpoint *ep)
{
    return ep->index < m->n_eps && m->eps[ep->index] == ep;
}

/* ------------------------------------------------------------------ classes */

/* Pair classes, numbered from 1 (0: a class of its own). */
static uint32_t *pair_classes(sgr_reach_many *m, const sgr_snapshot *snap, const char ***keys, sgr_arena *tmp)
{
    uint32_t *cls = SGR_NEW_N(tmp, uint32_t, m->n_eps ? m->n_eps : 1);
    *keys = SGR_NEW_N(tmp, const char *, m->n_eps ? m->n_eps : 1);
    sgr_blast_keyer kr;
    sgr_blast_keyer_init(&kr, m->g, snap, tmp);
    sgr_strmap *ids = sgr_strmap_new(tmp);
    uintptr_t next = 1;
    for (uint32_t i = 0; i < m->n_eps; i++) {
        const char *key = sgr_blast_class_key(&kr, m->eps[i], true, tmp);
        if (!key)
            continue;
        (*keys)[i] = key;
        uintptr_t id = (uintptr_t)sgr_strmap_get(ids, TAG_CLASS, key);
        if (!id) {
            id = next++;
            sgr_strmap_put(ids, TAG_CLASS, key, (void *)id);
        }
        cls[i] = (uint32_t)id;
    }
    return cls;
}

/* Destination groups: one per pair class, one per endpoint without a class. */
static void destination_groups(sgr_reach_many *m, const uint32_t *cls, uint32_t n_cls, sgr_arena *tmp)
{
    uint32_t n = m->n_eps ? m->n_eps : 1;
    uint32_t *of_class = SGR_NEW_N(tmp, uint32_t, n_cls + 1);
    m->dgroup = SGR_NEW_N(m->a, uint32_t, n);
    for (uint32_t i = 0; i < m->n_eps; i++) {
        if (cls[i] && of_class[cls[i]]) {
            m->dgroup[i] = of_class[cls[i]] - 1;
            continue;
        }
        m->dgroup[i] = m->n_dgroups++;
        if (cls[i])
            of_class[cls[i]] = m->n_dgroups;
    }
    m->dg_first = SGR_NEW_N(m->a, uint32_t, m->n_dgroups + 1);
    for (uint32_t i = 0; i < m->n_eps; i++)
        m->dg_first[m->dgroup[i] + 1]++;
    for (uint32_t k = 0; k < m->n_dgroups; k++)
        m->dg_first[k + 1] += m->dg_first[k];
    uint32_t *fill = SGR_NEW_N(tmp, uint32_t, m->n_dgroups + 1);
    m->dg_members = SGR_NEW_N(m->a, uint32_t, n);
    for (uint32_t i = 0; i < m->n_eps; i++) {
        uint32_t k = m->dgroup[i];
        m->dg_members[m->dg_first[k] + fill[k]++] = i;
    }
    m->dg_eni0 = SGR_NEW_N(m->a, const sgr_eni *, m->n_dgroups + 1);
    for (uint32_t k = 0; k < m->n_dgroups; k++)
        m->dg_eni0[k] = m->eps[m->dg_members[m->dg_first[k]]]->eni;
}

/* Source classes: the sources' pair classes, one per source without a class. */
static void source_classes(sgr_reach_many *m, const uint32_t *cls, uint32_t n_cls, const sgr_endpoint *const *src,
                           uint32_t n_src, sgr_arena *tmp)
{
    uint32_t n = m->n_eps ? m->n_eps : 1;
    uint32_t *of_class = SGR_NEW_N(tmp, uint32_t, n_cls + 1);
    bool *is_src = SGR_NEW_N(tmp, bool, n);
    for (uint32_t i = 0; i < n_src; i++)
        if (is_endpoint(m, src[i]))
            is_src[src[i]->index] = true;
    m->sc_of = SGR_NEW_N(m->a, uint32_t, n);
    m->sc = SGR_NEW_N(m->a, sclass, n);
    for (uint32_t i = 0; i < m->n_eps; i++) { /* in endpoint order: the same run gives the same classes */
        if (!is_src[i])
            continue;
        uint32_t k;
        if (cls[i] && of_class[cls[i]]) {
            k = of_class[cls[i]] - 1;
        } else {
            k = m->n_sc++;
            if (cls[i])
                of_class[cls[i]] = k + 1;
        }
        sclass *c = &m->sc[k];
        if (c->n_members == c->cap_members)
            c->members = sgr_arena_grow(m->a, c->members, &c->cap_members, c->n_members + 1, sizeof *c->members);
        c->members[c->n_members++] = i;
        if (c->n_members == 1) {
            c->first = m->eps[i];
            c->first_eni = m->eps[i]->eni;
        }
        m->sc_of[i] = k + 1;
    }
}

/* ------------------------------------------------------------------ coarse keys */

/*
 * Many source classes differ only in their groups, and a destination sees
 * few of the differences. For a fixed destination t (inside the estate; a
 * load balancer: see coarse_dest()) and a source f of a pair class on another interface
 * than t, pair_reach(f, t) reads of f (engine_reach.c, engine_leg.c,
 * engine_check.c): its kind, mode and whether it initiates (pair_reach,
 * ports_init's ICMP/none cases), and its side: subnet, VPC, addresses and
 * public address (routes, ACLs, the destination's CIDR rules: all fixed by
 * the pair class key without its groups, whose address atom is cut at every
 * CIDR of the snapshot), and its groups through exactly three readings:
 *   1. its egress check (sgr_check_groups, egress): per group whether it is
 *      described and has unreadable outbound rules, and per outbound rule its
 *      protocol, ports, unknown flag and peers; the pass it makes is a union
 *      over rules, so their order does not matter (the rule that decided is
 *      only text for --explain, which the report never asks);
 *   2. the protocols its groups name (ports_init's side_protos, in order);
 *   3. whether the destination's ingress rules that name a group (the only
 *      ones whose peers are not CIDRs, hence not decided by the atom) hold
 *      its address: in addrs, maybe_members, tgw_maybe and any_peers (the
 *      sets sgr_check_groups, ingress_shut and the middlebox check test);
 * plus groups_unknown (its egress check, and peer_groups_known). Two sources
 * that agree on all of it get the same answer from t: one evaluation stands
 * for both. Outbound rules that name a group, or carry maybe/TGW sets, are
 * told apart by the rule itself (no sharing between groups for them).
 */

static int cmp_cstr(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Reading 1: the outbound rules as a sorted list of tokens. */
static const char *egress_sig(const sgr_side *sd, sgr_arena *a)
{
    uint32_t n = 0, cap = 0;
    const char **tok = NULL;
    for (uint32_t i = 0; i < sd->n_groups; i++) {
        const sgr_csg *c = sd->groups[i];
        uint32_t more = 2 + (c->described ? c->n_out : 0);
        tok = sgr_arena_grow(a, tok, &cap, n + more, sizeof *tok);
        if (!c->described) {
            tok[n++] = "U";
            continue;
        }
        if (c->sg && c->sg->n_unreadable_out)
            tok[n++] = "R";
        for (uint32_t k = 0; k < c->n_out; k++) {
            const sgr_crule *r = &c->out[k];
            sgr_text b = {.a = a};
            sgr_text_printf(&b, "%d,%d,%d,%d:", (int)r->proto, (int)r->lo, (int)r->hi, (int)r->unknown);
            if (r->ref_group || r->maybe_members.n4 || r->maybe_members.n6 || r->tgw_maybe.n4 || r->tgw_maybe.n6) {
                sgr_text_printf(&b, "x%p", (const void *)r);
            } else {
                for (uint32_t q = 0; q < r->addrs.n4; q++)
                    sgr_text_printf(&b, "%x-%x,", (unsigned)r->addrs.r4[q].lo, (unsigned)r->addrs.r4[q].hi);
                for (uint32_t q = 0; q < r->addrs.n6; q++) {
                    const sgr_r6 *x = &r->addrs.r6[q];
                    sgr_text_printf(&b, "6:%llx.%llx-%llx.%llx,", (unsigned long long)x->lo.hi, (unsigned long long)x->lo.lo,
                           (unsigned long long)x->hi.hi, (unsigned long long)x->hi.lo);
                }
            }
            sgr_text_add(&b, "", 0);
            tok[n++] = b.s;
        }
    }
    if (n > 1)
        qsort(tok, n, sizeof *tok, cmp_cstr);
    sgr_text b = {.a = a};
    sgr_text_add(&b, "", 0);
    for (uint32_t i = 0; i < n; i++)
        sgr_text_printf(&b, "%s;", tok[i]);
    return b.s;
}

/* Per source class with a pair class key: the key without its groups
 * (everything up to the last '|'), then readings 1 and 2 and groups_unknown,
 * numbered. */
static void coarse_keys(sgr_reach_many *m, const char *const *keys, sgr_arena *tmp)
{
    sgr_strmap *ids = sgr_strmap_new(tmp);
    uint32_t next = 1;
    for (uint32_t k = 0; k < m->n_sc; k++) {
        sclass *c = &m->sc[k];
        const char *key = keys[c->members[0]];
        if (!key)
            continue;
        const sgr_epx *x = (const sgr_epx *)m->eps[c->members[0]];
        const sgr_side *sd = &x->side;
        if (x->pub.kind == SGR_EP_LB || sd->external || sd->planned || sd->no_filter || !sd->addr4.family ||
            sd->addr6.family)
            continue;
        const char *bar = strrchr(key, '|');
        sgr_text b = {.a = tmp};
        sgr_text_printf(&b, "%.*s|%d|", (int)(bar - key), key, (int)sd->groups_unknown);
        /* reading 2: the protocols side_protos() adds, in its order (it
         * skips those below 0, TCP, UDP, ICMP, ICMPv6 and repeats) */
        int32_t seen_p[64];
        uint32_t n_p = 0;
        for (uint32_t i = 0; i < sd->n_groups; i++) {
            const sgr_csg *g = sd->groups[i];
            for (uint32_t r = 0; r < g->n_in + g->n_out; r++) {
                int32_t p = r < g->n_in ? g->in[r].proto : g->out[r - g->n_in].proto;
                if (p < 0 || p == SGR_PROTO_TCP || p == SGR_PROTO_UDP || p == SGR_PROTO_ICMP || p == SGR_PROTO_ICMPV6)
                    continue;
                uint32_t q = 0;
                while (q < n_p && seen_p[q] != p)
                    q++;
                if (q < n_p)
                    continue;
                if (n_p < sizeof seen_p / sizeof seen_p[0])
                    seen_p[n_p++] = p;
                sgr_text_printf(&b, "%d,", (int)p);
            }
        }
        sgr_text_printf(&b, "|%s", egress_sig(sd, tmp));
        uintptr_t id = (uintptr_t)sgr_strmap_get(ids, TAG_BASE, b.s);
        if (!id) {
            id = next++;
            sgr_strmap_put(ids, TAG_BASE, b.s, (void *)id);
        }
        c->base = (uint32_t)id;
    }
}

/* The destination's ingress rules that reading 3 tests. */
typedef struct dest_rules {
    const sgr_endpoint *to;
    const sgr_crule **v;
    uint32_t n, cap;
} dest_rules;

static void dest_rules_add(dest_rules *d, const sgr_side *sd, sgr_arena *a)
{
    for (uint32_t i = 0; i < sd->n_groups; i++) {
        const sgr_csg *c = sd->groups[i];
        for (uint32_t k = 0; k < c->n_in; k++) {
            const sgr_crule *r = &c->in[k];
            if (!r->ref_group && !r->maybe_members.n4 && !r->maybe_members.n6 && !r->tgw_maybe.n4 && !r->tgw_maybe.n6 &&
                !r->addrs.n6 && !r->any_peers.n6)
                continue; /* its peers are CIDRs: the atom decides */
            d->v = sgr_arena_grow(a, d->v, &d->cap, d->n + 1, sizeof *d->v);
            d->v[d->n++] = r;
        }
    }
}

/* Reading 3's rules: those of the destination's own side, or of each node of
 * a load balancer (the sides its clients' legs end on). */
static void dest_rules_of(dest_rules *d, const sgr_endpoint *to, sgr_arena *a)
{
    const sgr_epx *x = (const sgr_epx *)to;
    d->to = to;
    d->n = 0;
    if (to->kind != SGR_EP_LB) {
        dest_rules_add(d, &x->side, a);
        return;
    }
    for (uint32_t ni = 0; ni < x->n_nodes; ni++)
        dest_rules_add(d, &x->nodes[ni], a);
}

/* Whether the pair's answer may be shared by coarse key: t a destination
 * inside the estate, reached on its own interface only, or a load balancer
 * whose clients' legs end on its nodes only. A bridge or host task on a host
 * with other interfaces (n_ifaces) is reached on those too (engine_reach.c's
 * task_direct_ports), behind their groups, and not at all on the one a
 * source sits on: the argument above does not cover it. A load balancer's
 * answer is the legs to its nodes (direct_ports, each node a side as above,
 * pair_shut's ingress_shut and routes_shut on each), cut to its listeners,
 * which no source changes; but an interface endpoint that leads to it
 * (PrivateLink) reads the source's VPC endpoints and their policies, which
 * the key does not hold. */
static bool coarse_dest(const sgr_graph *g, const sgr_endpoint *to)
{
    const sgr_epx *x = (const sgr_epx *)to;
    if (to->kind != SGR_EP_LB)
        return !x->side.external && !x->n_ifaces;
    if (!x->n_nodes || sgr_privatelink_leads(g, x))
        return false;
    for (uint32_t ni = 0; ni < x->n_nodes; ni++)
        if (x->nodes[ni].external)
            return false;
    return true;
}

/* Which of rule r's four sets hold address v (reading 3), as four bits. */
static uint32_t held_by(const sgr_crule *r, uint32_t v)
{
    /* most sets are empty: no call for those (once per rule and candidate pair) */
    return (r->addrs.n4 && sgr_addrset_contains4(&r->addrs, v) ? 1u : 0u) |
           (r->maybe_members.n4 && sgr_addrset_contains4(&r->maybe_members, v) ? 2u : 0u) |
           (r->tgw_maybe.n4 && sgr_addrset_contains4(&r->tgw_maybe, v) ? 4u : 0u) |
           (r->any_peers.n4 && sgr_addrset_contains4(&r->any_peers, v) ? 8u : 0u);
}

/* Reading 3 of a source at address v toward d's destination as a number: four bits a rule
 * for up to seven rules; more, numbered by their text in long_codes (the
 * same rules each time: the number and the destination make the key). */
static uint32_t coarse_code(const dest_rules *d, uint32_t v, sgr_strmap *long_codes, uint32_t *n_long, sgr_arena *a)
{
    if (d->n <= 7) {
        uint32_t code = 0;
        for (uint32_t i = 0; i < d->n; i++)
            code = code << 4 | held_by(d->v[i], v);
        return code;
    }
    char *key = sgr_arena_alloc(a, d->n + 1);
    for (uint32_t i = 0; i < d->n; i++)
        key[i] = (char)('a' + held_by(d->v[i], v));
    key[d->n] = 0;
    uintptr_t id = (uintptr_t)sgr_strmap_get(long_codes, TAG_SEEN, key);
    if (!id) {
        id = ++*n_long;
        sgr_strmap_put(long_codes, TAG_SEEN, key, (void *)id);
    }
    return 0x80000000u | (uint32_t)id;
}

/* ------------------------------------------------------------------ outbound ports */

/*
 * A source whose outbound filter is not open answers only on the ports of
 * its outbound rules, and a destination whose inbound filter is not open only
 * on those of its inbound rules (graph/inbound.h, both contracts checked by
 * tests/unit/test_inbound.c on every pair): where the two do not meet, the
 * engine would find nothing, and is not asked. In the generated estates two
 * thirds of the pairs the inbound rules admit end there (a task that sends
 * 443 and DNS out, toward a rule that admits its VPC on 8080).
 */

static void outbound_ports(sgr_reach_many *m, sgr_arena *tmp)
{
    sgr_strmap *ids = sgr_strmap_new(tmp);
    for (uint32_t k = 0; k < m->n_sc; k++) {
        sclass *c = &m->sc[k];
        sgr_inbound out;
        sgr_outbound_of(m->g, c->first, &out, tmp);
        c->out_on = !out.open;
        if (!c->out_on)
            continue;
        uint32_t n;
        sgr_proto_ports *opens = sgr_pull_rules_ports(&out, tmp, &n);
        sgr_text b = {.a = tmp};
        sgr_text_add(&b, "", 0);
        for (uint32_t i = 0; i < n; i++) {
            sgr_text_printf(&b, "%d:", (int)opens[i].protocol);
            for (uint32_t q = 0; q < opens[i].n_ranges; q++)
                sgr_text_printf(&b, "%d-%d,", (int)opens[i].ranges[q].lo, (int)opens[i].ranges[q].hi);
            sgr_text_printf(&b, ";");
        }
        uintptr_t id = (uintptr_t)sgr_strmap_get(ids, TAG_SENDS, b.s);
        if (!id) {
            m->sends = sgr_arena_grow(m->a, m->sends, &m->cap_sends, m->n_opens + 1, sizeof *m->sends);
            m->n_sends = sgr_arena_grow(m->a, m->n_sends, &m->cap_n_sends, m->n_opens + 1, sizeof *m->n_sends);
            m->sends[m->n_opens] = sgr_ports_union(NULL, 0, opens, n, m->a, &m->n_sends[m->n_opens]);
            id = ++m->n_opens;
            sgr_strmap_put(ids, TAG_SENDS, b.s, (void *)id);
        }
        c->opens = (uint32_t)id - 1;
    }
}

/* What the destination's inbound rules may open (graph/inbound.h: within
 * their ports, and within the bound), per source class's outbound ports:
 * whether they meet, worked out once per destination group. */
typedef struct dest_opens {
    bool open;                  /* its inbound filter is open */
    sgr_proto_ports *ports;
    uint32_t n_ports;
    uint8_t *meets;             /* per m->sends: 0 not asked, 1 they do not meet, 2 they do */
} dest_opens;

static void dest_opens_of(const sgr_reach_many *m, const sgr_inbound *in, dest_opens *d, sgr_arena *a)
{
    memset(d, 0, sizeof *d);
    d->open = in->open;
    d->meets = SGR_NEW_N(a, uint8_t, m->n_opens ? m->n_opens : 1);
    if (d->open)
        return;
    d->ports = sgr_pull_rules_ports(in, a, &d->n_ports);
}

/* Whether sgr_reach_pair(c's first member, a member of d's group on another
 * interface) finds nothing by the two filters' ports alone. The inbound
 * side's contract holds for a source that inbound filters see by one IPv4
 * address (indexed); for another, only its outbound rules may tell. */
static bool ports_never_meet(const sgr_reach_many *m, const sclass *c, bool indexed, dest_opens *d, sgr_arena *a)
{
    if (!c->out_on)
        return indexed && !d->open && !d->n_ports;
    if (!m->n_sends[c->opens])
        return true;
    if (!indexed || d->open)
        return false;
    if (!d->meets[c->opens]) {
        uint32_t n = 0;
        sgr_ports_intersect(d->ports, d->n_ports, m->sends[c->opens], m->n_sends[c->opens], a, &n);
        d->meets[c->opens] = n ? 2 : 1;
    }
    return d->meets[c->opens] == 1;
}

/* Whether the inbound rules of in whose peers hold addr (the source's
 * address, as inbound filters see it) open nothing that c's outbound rules
 * send: then sgr_reach_pair finds nothing (graph/inbound.h). */
static bool admitted_never_meet(const sgr_reach_many *m, const sclass *c, const sgr_inbound *in, uint32_t addr,
                                sgr_arena *a)
{
    if (in->open || !c->out_on)
        return false;
    const sgr_proto_ports *sends = m->sends[c->opens];
    uint32_t n_sends = m->n_sends[c->opens];
    if (in->bounded)
        sends = sgr_ports_intersect(sends, n_sends, in->bound, in->n_bound, a, &n_sends);
    for (uint32_t i = 0; i < in->n_rules; i++) {
        const sgr_inbound_rule *r = &in->rules[i];
        if (!sgr_addrset_contains4(r->peers, addr))
            continue;
        uint32_t n = 0;
        sgr_ports_intersect(r->ports, r->n_ports, sends, n_sends, a, &n);
        if (n)
            return false;
    }
    return true;
}

/* ------------------------------------------------------------------ answers */

/* A number in hex, lowest digit first, then the separator. */
static char *put_hex(char *p, int32_t v, char sep)
{
    uint32_t u = (uint32_t)v;
    do {
        *p++ = "0123456789abcdef"[u & 15];
        u >>= 4;
    } while (u);
    *p++ = sep;
    return p;
}

/* An answer's verdict, via and port arrays, written out as they are (not
 * formatted: once per pair evaluated): equal keys, equal answers. */
static const char *answer_key(const sgr_reach *r, sgr_arena *a)
{
    size_t via = r->via ? strlen(r->via) : 0, len = via + 8;
    for (int w = 0; w < 2; w++) {
        const sgr_proto_ports *pp = w ? r->maybe : r->ports;
        for (uint32_t i = 0; i < (w ? r->n_maybe : r->n_ports); i++)
            len += 10 + (size_t)pp[i].n_ranges * 18;
    }
    char *key = sgr_arena_alloc(a, len), *p = key;
    p = put_hex(p, (int32_t)r->verdict, '|');
    memcpy(p, r->via ? r->via : "", via);
    p += via;
    *p++ = '|';
    for (int w = 0; w < 2; w++) {
        const sgr_proto_ports *pp = w ? r->maybe : r->ports;
        for (uint32_t i = 0; i < (w ? r->n_maybe : r->n_ports); i++) {
            p = put_hex(p, pp[i].protocol, ':');
            for (uint32_t k = 0; k < pp[i].n_ranges; k++) {
                p = put_hex(p, pp[i].ranges[k].lo, '-');
                p = put_hex(p, pp[i].ranges[k].hi, ',');
            }
            *p++ = ';';
        }
        *p++ = '|';
    }
    *p = 0;
    return key;
}

static uint32_t answer_id(sgr_reach_many *m, const sgr_reach *r, sgr_arena *tmp)
{
    const char *key = answer_key(r, tmp);
    uintptr_t id = (uintptr_t)sgr_strmap_get(m->answer_ids, TAG_ANSWER, key);
    if (id)
        return (uint32_t)id - 1;
    if (m->n_answers == m->cap_answers)
        m->answers = sgr_arena_grow(m->a, m->answers, &m->cap_answers, m->n_answers + 1, sizeof *m->answers);
    sgr_reach *c = &m->answers[m->n_answers];
    sgr_reach_copy(m->a, c, r);
    c->from = c->to = NULL;
    sgr_strmap_put(m->answer_ids, TAG_ANSWER, sgr_arena_strdup(m->a, key), (void *)(uintptr_t)(m->n_answers + 1));
    return m->n_answers++;
}

static void add_hit(sclass *c, uint32_t dg, uint32_t answer)
{
    if (c->n_hits == c->cap_hits) {
        c->cap_hits = c->cap_hits ? c->cap_hits * 2 : 16;
        c->hits = sgr_xrealloc(c->hits, c->cap_hits * sizeof *c->hits);
    }
    c->hits[c->n_hits++] = (hit){dg, answer};
}

/* A pair of the two classes on two different interfaces, or false. */
static bool pick_pair(const sgr_reach_many *m, const sclass *c, uint32_t dg, const sgr_endpoint **from,
                      const sgr_endpoint **to)
{
    const sgr_endpoint *f = c->first;
    /* the loop below's first step, from what is at hand: at scale the
     * candidates run to millions and following f and the group's first
     * member to their interfaces was most of this function's time */
    if (!c->first_eni || c->first_eni != m->dg_eni0[dg]) {
        *from = f;
        *to = m->eps[m->dg_members[m->dg_first[dg]]];
        return true;
    }
    for (uint32_t k = m->dg_first[dg]; k < m->dg_first[dg + 1]; k++) {
        const sgr_endpoint *t = m->eps[m->dg_members[k]];
        if (!f->eni || f->eni != t->eni) {
            *from = f;
            *to = t;
            return true;
        }
    }
    /* every member of the group is on the first source's interface */
    const sgr_endpoint *t = m->eps[m->dg_members[m->dg_first[dg]]];
    for (uint32_t i = 1; i < c->n_members; i++) {
        f = m->eps[c->members[i]];
        if (f->eni != t->eni) {
            *from = f;
            *to = t;
            return true;
        }
    }
    return false;
}

/* Each destination group asks the source classes its inbound rules admit
 * (blast_pull_int.h's look-ups, over one "level" whose sources are the
 * classes' first members). */
static void by_destination(sgr_reach_many *m, sgr_arena *tmp)
{
    blast_state R;
    memset(&R, 0, sizeof R);
    R.g = m->g;
    R.eps = m->eps;
    R.n_eps = m->n_eps;
    R.sig = SGR_NEW_N(tmp, uint32_t, m->n_eps ? m->n_eps : 1);
    blast_node **E = SGR_NEW_N(tmp, blast_node *, m->n_sc ? m->n_sc : 1);
    bool *full = SGR_NEW_N(tmp, bool, m->n_sc ? m->n_sc : 1);
    for (uint32_t k = 0; k < m->n_sc; k++) {
        E[k] = SGR_NEW(tmp, blast_node);
        E[k]->ep = m->eps[m->sc[k].members[0]];
        E[k]->verdict = SGR_REACHABLE;
        full[k] = true;
        R.sig[m->sc[k].members[0]] = k + 1; /* "classed": stands for others */
    }
    pull_state P;
    memset(&P, 0, sizeof P);
    P.R = &R;
    P.a = sgr_arena_new();
    P.epos = SGR_NEW_N(P.a, uint32_t, m->n_eps ? m->n_eps : 1);
    memset(P.epos, 0xff, (m->n_eps ? m->n_eps : 1) * sizeof *P.epos);
    sgr_pull_sources(&P, E, m->n_sc, full);
    sgr_arena *each = sgr_arena_new(), *eval = sgr_arena_new();
    sgr_memo seen = {0}; /* coarse key -> 1 nothing, answer + 2 */
    for (uint32_t dg = 0; dg < m->n_dgroups; dg++) {
        sgr_arena_reset(each);
        const sgr_endpoint *rep = m->eps[m->dg_members[m->dg_first[dg]]];
        sgr_inbound in;
        sgr_inbound_of(m->g, rep, &in, each);
        sgr_pull_keep_rules(&in, NULL, 0, false, each);
        pull_cands c;
        sgr_pull_cands_init(&P, &in, false, each, &c);
        dest_opens dop;
        dest_opens_of(m, &in, &dop, each);
        sgr_strmap *long_codes = sgr_strmap_new(each);
        uint32_t n_long = 0;
        dest_rules dr = {0};
        for (uint32_t s; (s = sgr_pull_cands_next(&P, &c, false)) != NONE;) {
            sclass *sc = &m->sc[P.src[s].j];
            const sgr_endpoint *from, *to;
            if (!pick_pair(m, sc, dg, &from, &to))
                continue;
            if (from == sc->first && ports_never_meet(m, sc, P.src[s].indexed, &dop, each))
                continue;
            /* the coarse key: (to, the class's coarse key, reading 3) */
            bool keyed = sc->base && coarse_dest(m->g, to);
            uint32_t code = 0;
            if (keyed) {
                if (dr.to != to)
                    dest_rules_of(&dr, to, each);
                /* the source's address from the pull's own list when it is the
                 * class's first (reading the endpoint is a cache miss a pair) */
                uint32_t v = from == sc->first && P.src[s].indexed ? P.src[s].addr
                                                                   : sgr_ip_v4(&((const sgr_epx *)from)->side.addr4);
                code = coarse_code(&dr, v, long_codes, &n_long, each);
                uintptr_t got = (uintptr_t)sgr_memo_get(&seen, to->index, sc->base, code);
                if (got) {
                    if (got > 1)
                        add_hit(sc, dg, (uint32_t)(got - 2));
                    continue;
                }
            }
            if (from == sc->first && P.src[s].indexed && admitted_never_meet(m, sc, &in, P.src[s].addr, each)) {
                if (keyed)
                    sgr_memo_put(&seen, to->index, sc->base, code, (void *)(uintptr_t)1);
                continue;
            }
            sgr_arena_reset(eval);
            sgr_reach r;
            bool found = sgr_reach_pair(m->g, from, to, &r, eval) && r.verdict != SGR_UNREACHABLE;
            uint32_t ans = found ? answer_id(m, &r, eval) : 0;
            if (keyed)
                sgr_memo_put(&seen, to->index, sc->base, code, (void *)(uintptr_t)(found ? ans + 2 : 1));
            if (!found)
                continue;
            add_hit(sc, dg, ans);
        }
        /* keys hold the destination: those of groups done are never asked
         * again (emptied, not freed: its pages stay mapped) */
        if (seen.n > SEEN_MAX)
            sgr_memo_clear(&seen);
    }
    sgr_memo_free(&seen);
    sgr_arena_free(eval);
    sgr_arena_free(each);
    sgr_memo_free(&P.rule_memo);
    sgr_memo_free(&P.sides_shut);
    sgr_arena_free(P.a);
}

/* ------------------------------------------------------------------ the set */

sgr_reach_many *sgr_reach_many_new(sgr_graph *g, const sgr_snapshot *snap, const sgr_endpoint *const *src,
                                   uint32_t n_src)
{
    sgr_reach_many *m = sgr_xcalloc(1, sizeof *m);
    m->g = g;
    m->a = sgr_arena_new();
    m->n_eps = sgr_graph_endpoints(g, &m->eps);
    m->answer_ids = sgr_strmap_new(m->a);
    sgr_arena *tmp = sgr_arena_new();
    const char **keys;
    uint32_t *cls = pair_classes(m, snap, &keys, tmp);
    uint32_t n_cls = 0;
    for (uint32_t i = 0; i < m->n_eps; i++)
        n_cls = cls[i] > n_cls ? cls[i] : n_cls;
    destination_groups(m, cls, n_cls, tmp);
    source_classes(m, cls, n_cls, src, n_src, tmp);
    /* every endpoint on the interface of each endpoint that has one */
    m->mates = SGR_NEW_N(m->a, const sgr_endpoint **, m->n_eps ? m->n_eps : 1);
    sgr_blast_mates(m->mates, m->eps, m->n_eps, false, m->a, tmp);
    coarse_keys(m, keys, tmp);
    outbound_ports(m, tmp);
    by_destination(m, tmp);
    sgr_arena_free(tmp);
    return m;
}

void sgr_reach_many_free(sgr_reach_many *m)
{
    if (!m)
        return;
    for (uint32_t k = 0; k < m->n_sc; k++)
        free(m->sc[k].hits);
    sgr_arena_free(m->a);
    free(m);
}

static void visit_one(sgr_reach visit_r, const sgr_endpoint *from, const sgr_endpoint *to, sgr_reach_visit visit,
                      void *ctx)
{
    visit_r.from = from;
    visit_r.to = to;
    visit(ctx, &visit_r);
}

/* Source ep asked whole (not one of the set given to _new). */
static void visit_whole(sgr_reach_many *m, const sgr_endpoint *ep, sgr_reach_visit visit, void *ctx,
                        sgr_arena *scratch)
{
    sgr_reach *rs;
    uint32_t n = sgr_reach_from(m->g, ep, &rs, scratch);
    for (uint32_t i = 0; i < n; i++)
        if (rs[i].to && rs[i].verdict != SGR_UNREACHABLE)
            visit(ctx, &rs[i]);
}

void sgr_reach_many_visit(sgr_reach_many *m, const sgr_endpoint *const *set, uint32_t n_set, sgr_reach_visit visit,
                          sgr_reach_group_visit visit_group, void *ctx, sgr_arena *scratch)
{
    /* the set's members per source class, and whether they sit on one interface */
    uint32_t *first = SGR_NEW_N(scratch, uint32_t, n_set ? n_set : 1);
    const sgr_eni **one_eni = SGR_NEW_N(scratch, const sgr_eni *, n_set ? n_set : 1);
    bool *several = SGR_NEW_N(scratch, bool, n_set ? n_set : 1);
    uint32_t n_classes = 0;
    for (uint32_t i = 0; i < n_set; i++) {
        const sgr_endpoint *ep = set[i];
        if (!is_endpoint(m, ep) || !m->sc_of[ep->index]) {
            visit_whole(m, ep, visit, ctx, scratch);
            continue;
        }
        uint32_t k = m->sc_of[ep->index] - 1, j = 0;
        while (j < n_classes && first[j] != k)
            j++;
        if (j == n_classes) {
            first[n_classes] = k;
            one_eni[n_classes] = ep->eni;
            several[n_classes++] = !ep->eni;
        } else if (ep->eni != one_eni[j]) {
            several[j] = true;
        }
        /* the pairs on its own interface, one by one */
        const sgr_endpoint *const *mt = m->mates[ep->index];
        for (uint32_t q = 0; mt && mt[q]; q++) {
            sgr_reach r;
            if (sgr_reach_pair(m->g, ep, mt[q], &r, scratch) && r.verdict != SGR_UNREACHABLE)
                visit(ctx, &r);
        }
    }
    /* the classes' answers, toward every member of each group reached, but
     * for a member on the interface every source of the class sits on */
    for (uint32_t j = 0; j < n_classes; j++) {
        const sclass *c = &m->sc[first[j]];
        const sgr_endpoint *from = NULL;
        for (uint32_t i = 0; i < n_set && !from; i++)
            if (is_endpoint(m, set[i]) && m->sc_of[set[i]->index] == first[j] + 1)
                from = set[i];
        for (uint32_t h = 0; h < c->n_hits; h++) {
            const hit *x = &c->hits[h];
            if (visit_group) {
                sgr_reach r = m->answers[x->answer];
                r.from = from;
                sgr_reach_group grp = {x->dg, x->answer, &r, several[j] ? NULL : one_eni[j],
                                       &m->dg_members[m->dg_first[x->dg]], m->dg_first[x->dg + 1] - m->dg_first[x->dg]};
                visit_group(ctx, &grp);
                continue;
            }
            for (uint32_t k = m->dg_first[x->dg]; k < m->dg_first[x->dg + 1]; k++) {
                const sgr_endpoint *to = m->eps[m->dg_members[k]];
                if (!several[j] && to->eni && to->eni == one_eni[j])
                    continue;
                visit_one(m->answers[x->answer], from, to, visit, ctx);
            }
        }
    }
}
