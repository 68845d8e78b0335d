/*
 * One component at a time: a side's security groups, a subnet's network ACL,
 * a route table. Each check computes the ports the component lets through for
 * the trace's protocol and peer address, applies them to the trace, and (when
 * explaining) records the rule that allows the flow or why it blocks.
 */
#include "engine.h"

#include <string.h>

#define GROW(t, arr, n, cap) \
    ((t)->n == (t)->cap ? ((t)->arr = sgr_arena_grow((t)->a, (t)->arr, &(t)->cap, (t)->n + 1, sizeof *(t)->arr)) : 0)

void sgr_trace_init(sgr_trace *t, sgr_arena *a, bool explain, int32_t proto, int32_t lo, int32_t hi, bool forall)
{
    memset(t, 0, sizeof *t);
    t->a = a;
    t->explain = explain;
    t->proto = proto;
    sgr_portrange u = sgr_proto_universe(proto);
    t->lo = lo < u.lo ? u.lo : lo;
    t->hi = hi > u.hi ? u.hi : hi;
    t->forall = forall;
    t->def = sgr_pset_range(a, t->lo, t->hi);
    t->pos = sgr_pset_range(a, t->lo, t->hi);
}

void sgr_trace_hop(sgr_trace *t, const char *kind, const char *id, const char *detail)
{
    if (!t->explain)
        return;
    GROW(t, hops, n_hops, cap_hops);
    t->hops[t->n_hops++] = (sgr_hop){kind, id ? id : "?", detail};
}

void sgr_trace_allow(sgr_trace *t, const char *component, const char *direction, const char *text,
                     const sgr_origin *origin)
{
    if (!t->explain)
        return;
    GROW(t, allowed, n_allowed, cap_allowed);
    t->allowed[t->n_allowed++] = (sgr_rule_ref){component, direction, text, origin ? *origin : (sgr_origin){0}};
}

void sgr_trace_block(sgr_trace *t, const char *component, const char *direction, const char *reason,
                     const sgr_origin *origin)
{
    if (!t->explain)
        return;
    GROW(t, blocks, n_blocks, cap_blocks);
    t->blocks[t->n_blocks++] = (sgr_block){component, direction, reason, origin ? *origin : (sgr_origin){0}};
}

/* Appends `what` to one of the trace's lists of texts (missing data,
 * assumptions) unless the list holds it already: an answer says each once. */
static void note_once(sgr_trace *t, const char ***list, uint32_t *n, uint32_t *cap, const char *what)
{
    if (!t->explain)
        return;
    for (uint32_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], what) == 0)
            return;
    if (*n == *cap)
        *list = sgr_arena_grow(t->a, *list, cap, *n + 1, sizeof **list);
    (*list)[(*n)++] = what;
}

void sgr_trace_missing(sgr_trace *t, const char *what)
{
    note_once(t, &t->missing, &t->n_missing, &t->cap_missing, what);
}

void sgr_trace_assume(sgr_trace *t, const char *what)
{
    note_once(t, &t->assumptions, &t->n_assumptions, &t->cap_assumptions, what);
}

/* How a component's pass relates to the ports asked. */
static int pass_state(const sgr_trace *t, const sgr_pass *p)
{
    sgr_pset any = {0};
    if (t->forall) {
        if (sgr_pset_covers(&p->allowed, t->lo, t->hi))
            return GATE_PASS;
        if (!sgr_pset_overlaps(&p->allowed, t->lo, t->hi) && !sgr_pset_overlaps(&p->maybe, t->lo, t->hi))
            return GATE_BLOCK;
        return GATE_UNKNOWN;
    }
    (void)any;
    if (sgr_pset_overlaps(&p->allowed, t->lo, t->hi))
        return GATE_PASS;
    if (sgr_pset_overlaps(&p->maybe, t->lo, t->hi))
        return GATE_UNKNOWN;
    return GATE_BLOCK;
}

void sgr_trace_apply(sgr_trace *t, const sgr_pass *p)
{
    t->def = sgr_pset_intersect(t->a, &t->def, &p->allowed);
    sgr_pset both = sgr_pset_union(t->a, &p->allowed, &p->maybe);
    t->pos = sgr_pset_intersect(t->a, &t->pos, &both);
}

void sgr_trace_gate(sgr_trace *t, int state)
{
    if (state == GATE_BLOCK)
        t->blocked = true;
    else if (state == GATE_UNKNOWN)
        t->unknown = true;
}

sgr_verdict sgr_trace_verdict(const sgr_trace *t)
{
    if (t->blocked)
        return SGR_UNREACHABLE;
    if (t->forall) {
        if (!t->unknown && sgr_pset_covers(&t->def, t->lo, t->hi))
            return SGR_REACHABLE;
        return sgr_pset_empty(&t->pos) ? SGR_UNREACHABLE : SGR_UNKNOWN;
    }
    if (!t->unknown && !sgr_pset_empty(&t->def))
        return SGR_REACHABLE;
    return sgr_pset_empty(&t->pos) ? SGR_UNREACHABLE : SGR_UNKNOWN;
}

/* ---------------------------------------------------------------- security groups */

static const char *rule_text(sgr_arena *a, const sgr_crule *r, bool egress, int32_t proto)
{
    int32_t p = r->proto == SGR_PROTO_ALL ? SGR_PROTO_ALL : r->proto;
    (void)proto;
    return sgr_arena_printf(a, "%s %s %s", sgr_proto_port_str(a, p, r->lo, r->hi), egress ? "to" : "from",
                            r->peer_text ? r->peer_text : "?");
}

/* The ports of rule r for protocol proto (empty when the protocol differs). */
static bool rule_ports(const sgr_crule *r, int32_t proto, int32_t *lo, int32_t *hi)
{
    if (r->proto != SGR_PROTO_ALL && r->proto != proto)
        return false;
    sgr_portrange u = sgr_proto_universe(proto);
    if (r->proto == SGR_PROTO_ALL) {
        *lo = u.lo;
        *hi = u.hi;
        return true;
    }
    *lo = r->lo < u.lo ? u.lo : r->lo;
    *hi = r->hi > u.hi ? u.hi : r->hi;
    return *lo <= *hi;
}

static bool strs_has(const sgr_strs *s, const char *v)
{
    for (uint32_t i = 0; s && v && i < s->count; i++)
        if (strcmp(s->items[i], v) == 0)
            return true;
    return false;
}

/* "its rules allow tcp/5432 from sg-0def only" — what would have to change. */
static const char *groups_summary(const sgr_trace *t, const sgr_side *s, bool egress)
{
    sgr_arena *a = t->a;
    char *same = sgr_arena_strdup(a, ""), *all = sgr_arena_strdup(a, "");
    uint32_t n_same = 0, n_all = 0;
    for (uint32_t i = 0; i < s->n_groups; i++) {
        const sgr_csg *c = s->groups[i];
        const sgr_crule *rules = egress ? c->out : c->in;
        uint32_t n = egress ? c->n_out : c->n_in;
        for (uint32_t k = 0; k < n; k++) {
            int32_t lo, hi;
            const char *txt = rule_text(a, &rules[k], egress, t->proto);
            if (n_all < 6)
                all = sgr_arena_printf(a, "%s%s%s", all, n_all ? ", " : "", txt);
            n_all++;
            if (rule_ports(&rules[k], t->proto, &lo, &hi) && lo <= t->hi && hi >= t->lo) {
                if (n_same < 6)
                    same = sgr_arena_printf(a, "%s%s%s", same, n_same ? ", " : "", txt);
                n_same++;
            }
        }
    }
    if (n_all == 0)
        return sgr_arena_printf(a, "it has no %s rules", egress ? "outbound" : "inbound");
    if (n_same)
        return sgr_arena_printf(a, "its rules allow %s%s only", same, n_same > 6 ? ", …" : "");
    return sgr_arena_printf(a, "its %s rules allow %s%s only", egress ? "outbound" : "inbound", all,
                            n_all > 6 ? ", …" : "");
}

void sgr_check_groups(const sgr_graph *g, sgr_trace *t, const sgr_side *s, bool egress, const sgr_ip *peer,
                      const sgr_prefix *peer_set, const char *peer_label, const sgr_strs *extra_groups,
                      bool peer_groups_known)
{
    sgr_arena *a = t->a;
    sgr_pass p = {{0}, {0}};
    sgr_portrange u = sgr_proto_universe(t->proto);
    const char *dir = egress ? "egress" : "ingress";
    (void)g;
    if (s->no_filter) {
        sgr_pset_add(a, &p.allowed, u.lo, u.hi);
        sgr_trace_apply(t, &p);
        if (t->explain)
            sgr_trace_allow(t, s->label, dir, "no security groups: a Network Load Balancer without groups filters nothing", NULL);
        return;
    }
    if (s->groups_unknown) {
        sgr_pset_add(a, &p.maybe, u.lo, u.hi);
        sgr_trace_apply(t, &p);
        sgr_trace_gate(t, pass_state(t, &p));
        if (t->explain)
            sgr_trace_missing(t, s->groups_unknown_why);
        return;
    }
    const sgr_crule *first_allow = NULL, *middlebox_ref = NULL;
    const char *unknown_why = NULL;
    /* A planned peer: every address of its prefix, and its groups (passed in
     * extra_groups) for references, since it has no address to be expanded. */
    sgr_addrset pset = {0};
    if (peer_set)
        pset = sgr_addrset_prefix(a, peer_set);
    for (uint32_t i = 0; i < s->n_groups; i++) {
        const sgr_csg *c = s->groups[i];
        if (!c->described) {
            sgr_pset_add(a, &p.maybe, u.lo, u.hi);
            if (!unknown_why)
                unknown_why = sgr_arena_printf(a, "security group %s (on %s) is not described in the snapshot", c->id, s->label);
            continue;
        }
        uint32_t unreadable = c->sg ? (egress ? c->sg->n_unreadable_out : c->sg->n_unreadable_in) : 0;
        if (unreadable) {
            /* A rule we could not read may allow anything: what the readable
             * rules do not allow is unknown, not blocked. */
            sgr_pset_add(a, &p.maybe, u.lo, u.hi);
            if (!unknown_why) {
                const sgr_origin *o = &c->sg->unreadable_origin;
                unknown_why = c->sg->unreadable_why
                                  ? sgr_arena_printf(a, "security group %s: %s (%s:%u)", c->id, c->sg->unreadable_why,
                                                     o->file ? o->file : "?", o->line)
                                  : sgr_arena_printf(a, "security group %s has %u %s rule%s the dump holds but that could not be read (%s:%u)",
                                                     c->id, unreadable, egress ? "outbound" : "inbound",
                                                     unreadable == 1 ? "" : "s", o->file ? o->file : "?", o->line);
            }
        }
        const sgr_crule *rules = egress ? c->out : c->in;
        uint32_t n = egress ? c->n_out : c->n_in;
        for (uint32_t k = 0; k < n; k++) {
            const sgr_crule *r = &rules[k];
            int32_t lo, hi;
            if (!rule_ports(r, t->proto, &lo, &hi))
                continue;
            if (t->via_middlebox && r->ref_group) {
                /* the packet comes from the middlebox, not from a member */
                if (!middlebox_ref && peer->family && sgr_addrset_contains(&r->any_peers, peer) && lo <= t->hi && hi >= t->lo)
                    middlebox_ref = r;
                continue;
            }
            bool match, part = false;
            if (peer_set) {
                match = r->ref_group ? false : sgr_addrset_covers(&r->addrs, &pset);
                part = !match && !r->ref_group && sgr_addrset_overlaps(&r->addrs, &pset);
            } else {
                match = peer->family && sgr_addrset_contains(&r->addrs, peer);
            }
            if (!match && r->ref_group && strs_has(extra_groups, r->ref_group))
                match = true;
            if (match && !peer_set && (r->tgw_maybe.n4 || r->tgw_maybe.n6) && sgr_addrset_contains(&r->tgw_maybe, peer)) {
                /* a member across a transit gateway whose referencing option is not known */
                sgr_pset_add(a, &p.maybe, lo, hi);
                if (!unknown_why && lo <= t->hi && hi >= t->lo)
                    unknown_why = r->tgw_maybe_why;
                continue;
            }
            /* A reference to a group no dump describes still matches exactly the
             * interfaces listing it (r->addrs): a peer whose group list is known
             * and lacks it is not matched, a decided answer (VPC "Security group
             * rules"); only a peer of unknown groups leaves the rule unknown. */
            if (match) {
                sgr_pset_add(a, &p.allowed, lo, hi);
                if (!first_allow && lo <= t->hi && hi >= t->lo)
                    first_allow = r;
            } else if ((r->unknown && !(r->ref_group && peer_groups_known)) || part || (!peer->family && !peer_set) ||
                       (peer->family && sgr_addrset_contains(&r->maybe_members, peer))) {
                sgr_pset_add(a, &p.maybe, lo, hi);
                if (!unknown_why && lo <= t->hi && hi >= t->lo)
                    unknown_why = r->unknown ? r->unknown_why
                                  : (peer->family && sgr_addrset_contains(&r->maybe_members, peer))
                                      ? sgr_arena_printf(a, "%s: the groups of the interface with this address are unknown, "
                                                            "so whether it is in %s (which %s admits) is unknown",
                                                         peer_label, r->peer_text, r->sg->id)
                                  : part ? sgr_arena_printf(a, "%s: %s %s covers only part of %s, so the answer depends "
                                                               "on the address AWS assigns",
                                                            peer_label, r->sg->id, r->peer_text, sgr_prefix_str(a, peer_set))
                                         : sgr_arena_printf(a, "the address of %s is not known", peer_label);
            }
        }
    }
    sgr_pset_norm(&p.allowed);
    sgr_pset_norm(&p.maybe);
    sgr_trace_apply(t, &p);
    int st = pass_state(t, &p);
    sgr_trace_gate(t, st == GATE_PASS ? GATE_PASS : st);
    if (!t->explain)
        return;
    if (st == GATE_PASS && first_allow) {
        sgr_trace_allow(t, first_allow->sg->id, dir, rule_text(a, first_allow, egress, t->proto),
                        &first_allow->rule->origin);
        return;
    }
    const char *ids = sgr_arena_strdup(a, "");
    for (uint32_t i = 0; i < s->n_groups; i++)
        ids = sgr_arena_printf(a, "%s%s%s", ids, i ? "," : "", s->groups[i]->id);
    if (st == GATE_UNKNOWN || (st == GATE_PASS && !first_allow)) {
        sgr_trace_missing(t, unknown_why ? unknown_why : sgr_arena_printf(a, "%s %s", ids, dir));
        return;
    }
    const char *what = sgr_proto_port_str(a, t->proto, t->lo, t->hi);
    const char *reason;
    if (s->n_groups == 0)
        reason = sgr_arena_printf(a, "%s has no security groups: nothing is allowed", s->label);
    else
        reason = sgr_arena_printf(a, "no rule allows %s %s %s; %s", what, egress ? "to" : "from", peer_label,
                                  groups_summary(t, s, egress));
    if (middlebox_ref)
        reason = sgr_arena_printf(a, "%s (the rule of %s admitting %s does not apply: the traffic comes through a middlebox, "
                                     "and a group reference does not match it)",
                                  reason, middlebox_ref->sg->id, middlebox_ref->peer_text);
    const sgr_origin *o = s->n_groups && s->groups[0]->sg ? &s->groups[0]->sg->origin : NULL;
    sgr_trace_block(t, s->n_groups ? ids : s->label, dir, reason, o);
}

/* ---------------------------------------------------------------- network ACLs */

static bool entry_ports(const sgr_nacl_entry *e, int32_t proto, int32_t *lo, int32_t *hi)
{
    if (e->protocol != -1 && e->protocol != proto)
        return false;
    sgr_portrange u = sgr_proto_universe(proto);
    *lo = u.lo;
    *hi = u.hi;
    if (e->protocol == -1)
        return true;
    if ((proto == SGR_PROTO_TCP || proto == SGR_PROTO_UDP) && e->port_from >= 0 && e->port_to >= 0) {
        *lo = e->port_from;
        *hi = e->port_to;
    } else if ((proto == SGR_PROTO_ICMP || proto == SGR_PROTO_ICMPV6) && e->icmp_type >= 0) {
        *lo = *hi = e->icmp_type;
    }
    return *lo <= *hi;
}

static const char *entry_text(sgr_arena *a, const sgr_nacl_entry *e, int32_t proto)
{
    int32_t lo, hi;
    const char *what = e->protocol == -1 ? "all traffic"
                       : entry_ports(e, proto, &lo, &hi) ? sgr_proto_port_str(a, e->protocol, lo, hi)
                                                         : sgr_proto_name(a, e->protocol);
    return sgr_arena_printf(a, "rule %d %s %s %s %s", e->rule_number, e->allow ? "allow" : "deny", what,
                            e->egress ? "to" : "from", sgr_prefix_str(a, &e->cidr));
}

/* First match over ports for one peer address: the ports allowed, and the
 * first entries allowing / denying the asked range. */
static sgr_pset nacl_ports(sgr_trace *t, const sgr_nacl *n, bool egress, const sgr_ip *peer, int32_t qlo,
                           int32_t qhi, const sgr_nacl_entry **allow_e, const sgr_nacl_entry **deny_e)
{
    sgr_portrange u = sgr_proto_universe(t->proto);
    sgr_pset remaining = sgr_pset_range(t->a, u.lo, u.hi), allowed = {0};
    *allow_e = *deny_e = NULL;
    bool first = true;
    for (uint32_t i = 0; i < n->n_entries && !sgr_pset_empty(&remaining); i++) {
        const sgr_nacl_entry *e = &n->entries[i];
        int32_t lo, hi;
        if (e->egress != egress || !sgr_prefix_contains(&e->cidr, peer) || !entry_ports(e, t->proto, &lo, &hi))
            continue;
        if (first && lo == u.lo && hi == u.hi) {
            /* the first entry that matches takes every port (an "all
             * traffic" rule, as in a default ACL): it decides alone */
            bool hits = sgr_pset_overlaps(&remaining, qlo, qhi);
            if (e->allow && hits)
                *allow_e = e;
            else if (!e->allow && hits)
                *deny_e = e;
            return e->allow ? remaining : allowed;
        }
        first = false;
        sgr_pset ep = sgr_pset_range(t->a, lo, hi);
        sgr_pset m = sgr_pset_intersect(t->a, &remaining, &ep);
        if (sgr_pset_empty(&m))
            continue;
        bool hits = sgr_pset_overlaps(&m, qlo, qhi);
        if (e->allow) {
            allowed = sgr_pset_union(t->a, &allowed, &m);
            if (hits && !*allow_e)
                *allow_e = e;
        } else if (hits && !*deny_e) {
            *deny_e = e;
        }
        remaining = sgr_pset_subtract(t->a, &remaining, &m);
    }
    return allowed;
}

/* For a planned peer (any address of `set`): the first entry of the direction
 * that overlaps the prefix without covering it, or NULL when every address of
 * the prefix meets the same entries (then its first address stands for all). */
static const sgr_nacl_entry *nacl_split(const sgr_nacl *n, bool egress, const sgr_prefix *set)
{
    for (uint32_t i = 0; i < n->n_entries; i++) {
        const sgr_nacl_entry *e = &n->entries[i];
        if (e->egress != egress || e->cidr.ip.family != set->ip.family)
            continue;
        if (e->cidr.len <= set->len && sgr_prefix_contains(&e->cidr, &set->ip))
            return NULL; /* covers the whole prefix: decided alike for all */
        if (e->cidr.len > set->len && sgr_prefix_contains(set, &e->cidr.ip))
            return e;
    }
    return NULL;
}

void sgr_check_nacl(const sgr_graph *g, sgr_trace *t, const sgr_subnet *sn, bool egress, const sgr_ip *peer,
                    const sgr_prefix *peer_set,
                    const char *peer_label, bool is_return)
{
    sgr_arena *a = t->a;
    sgr_portrange u = sgr_proto_universe(t->proto);
    const char *dir = egress ? "outbound" : "inbound";
    const sgr_nacl *n = sn ? sn->nacl : NULL;
    const sgr_nacl_entry *split = n && peer_set ? nacl_split(n, egress, peer_set) : NULL;
    if (split) {
        sgr_pass p = {{0}, {0}};
        sgr_pset_add(a, &p.maybe, u.lo, u.hi);
        if (!is_return)
            sgr_trace_apply(t, &p);
        sgr_trace_gate(t, is_return ? GATE_UNKNOWN : pass_state(t, &p));
        if (t->explain)
            sgr_trace_missing(t, sgr_arena_printf(a, "%s: %s rule %d covers only part of %s, so the answer depends on "
                                                     "the address AWS assigns",
                                                  peer_label, n->id, split->rule_number, sgr_prefix_str(a, peer_set)));
        return;
    }
    if (!n || !peer->family || sn->disputed_why || sn->nacl_unknown_why) {
        sgr_pass p = {{0}, {0}};
        sgr_pset_add(a, &p.maybe, u.lo, u.hi);
        if (!is_return)
            sgr_trace_apply(t, &p);
        sgr_trace_gate(t, is_return ? GATE_UNKNOWN : pass_state(t, &p));
        if (t->explain)
            sgr_trace_missing(t, sn && sn->disputed_why ? sn->disputed_why
                                 : sn && sn->nacl_unknown_why ? sn->nacl_unknown_why
                                 : !n ? sgr_arena_printf(a, "no network ACL data for %s", sn ? sn->id : "the subnet")
                                    : sgr_arena_printf(a, "the address of %s is not known", peer_label));
        return;
    }
    const sgr_nacl_entry *ae, *de;
    const char *unreadable = n->n_unreadable
        ? sgr_arena_printf(a, "network ACL %s has %u entr%s the dump holds but that could not be read (%s:%u)", n->id,
                           n->n_unreadable, n->n_unreadable == 1 ? "y" : "ies",
                           n->unreadable_origin.file ? n->unreadable_origin.file : "?", n->unreadable_origin.line)
        : NULL;
    if (!is_return) {
        sgr_pass p = {{0}, {0}};
        p.allowed = nacl_ports(t, n, egress, peer, t->lo, t->hi, &ae, &de);
        if (unreadable) {
            /* An unread allow may open what the read entries block, and an
             * unread deny may close what they let through: nothing is definite. */
            sgr_pset_add(a, &p.maybe, u.lo, u.hi);
            p.allowed = (sgr_pset){0};
        }
        sgr_trace_apply(t, &p);
        int st = pass_state(t, &p);
        sgr_trace_gate(t, st == GATE_UNKNOWN ? GATE_UNKNOWN : GATE_PASS);
        if (!t->explain)
            return;
        if (st == GATE_PASS && ae)
            sgr_trace_allow(t, n->id, dir, entry_text(a, ae, t->proto), &ae->origin);
        else if (st == GATE_BLOCK)
            sgr_trace_block(t, n->id, dir,
                            de ? sgr_arena_printf(a, "%s matches %s %s %s first", entry_text(a, de, t->proto),
                                                  sgr_proto_port_str(a, t->proto, t->lo, t->hi), egress ? "to" : "from", peer_label)
                               : sgr_arena_printf(a, "no rule allows %s %s %s (the default rule * denies)",
                                                  sgr_proto_port_str(a, t->proto, t->lo, t->hi), egress ? "to" : "from", peer_label),
                            de ? &de->origin : &n->origin);
        else if (st == GATE_UNKNOWN)
            sgr_trace_missing(t, unreadable ? unreadable
                                            : sgr_arena_printf(a, "%s %s allows only part of %s", n->id, dir,
                                                               sgr_proto_port_str(a, t->proto, t->lo, t->hi)));
        return;
    }
    /* the stateless return: to the client's ephemeral ports (TCP/UDP), any type otherwise */
    bool ported = t->proto == SGR_PROTO_TCP || t->proto == SGR_PROTO_UDP;
    int32_t elo = ported ? g->opts.ephemeral_from : u.lo, ehi = ported ? g->opts.ephemeral_to : u.hi;
    sgr_pset allowed = nacl_ports(t, n, egress, peer, elo, ehi, &ae, &de);
    int st;
    if (ported)
        st = sgr_pset_covers(&allowed, elo, ehi) ? GATE_PASS : sgr_pset_overlaps(&allowed, elo, ehi) ? GATE_UNKNOWN : GATE_BLOCK;
    else
        st = sgr_pset_empty(&allowed) ? GATE_BLOCK : GATE_PASS;
    if (unreadable) /* an unread entry may allow or deny the return traffic */
        st = GATE_UNKNOWN;
    sgr_trace_gate(t, st);
    if (!t->explain)
        return;
    const char *what = ported ? sgr_proto_port_str(a, t->proto, elo, ehi) : sgr_proto_name(a, t->proto);
    if (st == GATE_PASS && ae)
        sgr_trace_allow(t, n->id, dir, sgr_arena_printf(a, "%s (return traffic)", entry_text(a, ae, t->proto)), &ae->origin);
    else if (st == GATE_BLOCK)
        sgr_trace_block(t, n->id, dir,
                        sgr_arena_printf(a, "the return traffic (%s %s %s) is denied%s%s", what, egress ? "to" : "from",
                                         peer_label, de ? " by " : " by the default rule *",
                                         de ? entry_text(a, de, t->proto) : ""),
                        de ? &de->origin : &n->origin);
    else if (st == GATE_UNKNOWN)
        sgr_trace_missing(t, unreadable ? unreadable
                                        : sgr_arena_printf(a, "%s %s allows the return traffic %s %s only to part of the ephemeral ports %d-%d: "
                                                              "it depends on the port the client picks",
                                                           n->id, dir, egress ? "to" : "from", peer_label, elo, ehi));
}

/* ---------------------------------------------------------------- routes */

const sgr_route *sgr_route_lookup(const sgr_graph *g, const sgr_subnet *sn, const sgr_ip *dst, bool *unknown,
                                  const sgr_route_table **table)
{
    *unknown = false;
    const sgr_route_table *rt = sn ? sn->route_table : NULL;
    if (!rt && sn && sn->vpc)
        rt = sn->vpc->main_table;
    *table = rt;
    if (!rt || sn->disputed_why) {
        *unknown = true;
        return NULL;
    }
    const sgr_route *best = NULL;
    int best_len = -1;
    /* a route we cannot evaluate (unreadable, or to a prefix list whose entries
     * are not in the snapshot) might be the one that matches */
    bool maybe_more = rt->n_unreadable > 0;
    for (uint32_t i = 0; i < rt->n_routes; i++) {
        const sgr_route *r = &rt->routes[i];
        int len = -1;
        if (r->dest.ip.family) {
            if (sgr_prefix_contains(&r->dest, dst))
                len = r->dest.len;
        } else if (r->dest_prefix_list) {
            const sgr_prefix_list *pl = sgr_strmap_get(g->map, TAG_PL, r->dest_prefix_list);
            if (!pl || !pl->entries_known)
                maybe_more = true;
            for (uint32_t k = 0; pl && k < pl->n_entries; k++)
                if (sgr_prefix_contains(&pl->entries[k], dst) && pl->entries[k].len > len)
                    len = pl->entries[k].len;
        }
        /* longest prefix wins; on a tie the local route does */
        if (len > best_len || (len == best_len && len >= 0 && r->target == SGR_RT_LOCAL)) {
            best = r;
            best_len = len;
        }
    }
    if (maybe_more && (!best || best->blackhole))
        *unknown = true; /* never "no route" when an unread route may be there */
    return best;
}

const char *sgr_route_text(sgr_arena *a, const sgr_route *r)
{
    const char *dest = r->dest.ip.family ? sgr_prefix_str(a, &r->dest) : r->dest_prefix_list ? r->dest_prefix_list : "?";
    return sgr_arena_printf(a, "%s -> %s%s", dest, r->target_id ? r->target_id : "?", r->blackhole ? " (blackhole)" : "");
}
