/* graph/inbound.h's contract, on every pair of endpoints of the bundled
 * fixture estates and the scenarios: a source that no inbound rule of the
 * destination admits gets nothing from sgr_reach_pair, and every port of an
 * answer lies within the rules that admit the source, within the bound and
 * within the source's outbound rules.
 * (SGR_INBOUND_ESTATE names one more estate to check.) blast's closure stops looking for sources on the strength of it, so a break
 * here would hide a path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/blast.h"
#include "graph/inbound.h"
#include "estates.h"
#include "sgreach/snapshot.h"

typedef struct tally {
    uint64_t pairs, indexed, shut, answered, bounded, routes_shut;
    uint64_t hops, preserved_refused; /* through preserving load balancers */
    uint64_t node_unknown;      /* through proxies, toward targets their own hop only may reach */
    uint64_t out_shut, out_answered; /* by the source's outbound rules */
} tally;

/* sgr_outbound_of's contract: a source whose outbound filter is not open
 * answers only on the ports of its outbound rules (none: nothing). */
static void check_outbound(sgr_graph *g, const sgr_endpoint *s, const sgr_endpoint *d, const sgr_inbound *out,
                           sgr_arena *a, tally *t)
{
    if (s == d || (s->eni && s->eni == d->eni) || out->open)
        return;
    sgr_proto_ports *opens = NULL;
    uint32_t n_opens = 0;
    for (uint32_t i = 0; i < out->n_rules; i++)
        opens = sgr_ports_union(opens, n_opens, out->rules[i].ports, out->rules[i].n_ports, a, &n_opens);
    sgr_reach r;
    if (!sgr_reach_pair(g, s, d, &r, a)) {
        t->out_shut += n_opens == 0;
        return;
    }
    t->out_answered++;
    if (!sgr_ports_cover(opens, n_opens, r.ports, r.n_ports) || !sgr_ports_cover(opens, n_opens, r.maybe, r.n_maybe))
        fail_msg("%s -> %s: %s beyond the source's outbound rules' %s", s->id, d->id,
                 sgr_format_ports(r.ports, r.n_ports, a), sgr_format_ports(opens, n_opens, a));
}

static void check_pair(sgr_graph *g, const sgr_endpoint *s, const sgr_endpoint *d, const sgr_inbound *in,
                       sgr_arena *a, tally *t)
{
    uint32_t addr;
    sgr_inbound_side side;
    t->pairs++;
    if (s == d || (s->eni && s->eni == d->eni) || !sgr_inbound_source(g, s, &addr, &side))
        return;
    t->indexed++;
    sgr_ip ip = sgr_ip_from_v4(addr);
    sgr_proto_ports *admitted = NULL;
    uint32_t n_admitted = 0;
    bool any = false;
    for (uint32_t i = 0; i < in->n_rules; i++)
        if (sgr_addrset_contains(in->rules[i].peers, &ip)) {
            any = true;
            admitted = sgr_ports_union(admitted, n_admitted, in->rules[i].ports, in->rules[i].n_ports, a, &n_admitted);
        }
    sgr_reach r;
    bool ok = sgr_reach_pair(g, s, d, &r, a);
    bool routes_shut = in->routed && in->n_sides;
    for (uint32_t i = 0; routes_shut && i < in->n_sides; i++)
        routes_shut = sgr_inbound_sides_shut(g, &side, &in->sides[i]);
    if (routes_shut) {
        t->routes_shut++;
        if (ok)
            fail_msg("%s -> %s: answered, but the routes between them are shut", s->id, d->id);
        return;
    }
    if (!in->open && !any) {
        t->shut++;
        if (ok)
            fail_msg("%s -> %s: answered, but no inbound rule admits the source", s->id, d->id);
        return;
    }
    if (!ok)
        return;
    t->answered++;
    if (!in->open && (!sgr_ports_cover(admitted, n_admitted, r.ports, r.n_ports) ||
                      !sgr_ports_cover(admitted, n_admitted, r.maybe, r.n_maybe)))
        fail_msg("%s -> %s: %s beyond the admitting rules' %s", s->id, d->id, sgr_format_ports(r.ports, r.n_ports, a),
                 sgr_format_ports(admitted, n_admitted, a));
    if (in->bounded) {
        t->bounded++;
        if (!sgr_ports_cover(in->bound, in->n_bound, r.ports, r.n_ports) ||
            !sgr_ports_cover(in->bound, in->n_bound, r.maybe, r.n_maybe))
            fail_msg("%s -> %s: %s beyond the bound %s", s->id, d->id, sgr_format_ports(r.ports, r.n_ports, a),
                     sgr_format_ports(in->bound, in->n_bound, a));
    }
}

static bool refers_to_lb(const sgr_inbound_rule *r, const sgr_endpoint *lb)
{
    for (uint32_t i = 0; r->ref_group && i < lb->lb->group_ids.count; i++)
        if (strcmp(r->ref_group, lb->lb->group_ids.items[i]) == 0)
            return true;
    return false;
}

/* Through a load balancer that shows its targets the client's address: a
 * client that no inbound rule of the target admits on a port the LB sends to
 * (by address, or by referring to the LB's groups) is never let through. */
static void check_client_shown(sgr_graph *g, const sgr_endpoint *lb, const sgr_reach *hop,
                               const sgr_endpoint *const *eps, uint32_t n, sgr_arena *a, sgr_arena *la, tally *t)
{
    sgr_inbound in;
    sgr_inbound_of(g, hop->to, &in, la);
    if (in.open)
        return;
    for (uint32_t i = 0; i < in.n_rules; i++)
        if (refers_to_lb(&in.rules[i], lb))
            return;
    for (uint32_t si = 0; si < n; si++) {
        uint32_t addr;
        if (eps[si] == lb || eps[si] == hop->to || !sgr_inbound_source(g, eps[si], &addr, NULL))
            continue;
        sgr_ip ip = sgr_ip_from_v4(addr);
        /* admitted by a rule on a port the LB sends to */
        bool admitted = false;
        for (uint32_t i = 0; i < in.n_rules && !admitted; i++) {
            uint32_t n1, n2;
            sgr_ports_intersect(in.rules[i].ports, in.rules[i].n_ports, hop->ports, hop->n_ports, a, &n1);
            sgr_ports_intersect(in.rules[i].ports, in.rules[i].n_ports, hop->maybe, hop->n_maybe, a, &n2);
            admitted = (n1 || n2) && sgr_addrset_contains(in.rules[i].peers, &ip);
        }
        if (admitted)
            continue;
        sgr_verdict v;
        sgr_proto_ports *p;
        uint32_t np;
        if (sgr_lb_hop_verify(g, eps[si], hop, a, a, NULL, NULL, 0, &v, &p, &np) && v != SGR_UNREACHABLE)
            fail_msg("%s through %s to %s: let through, but no inbound rule of the target admits it", eps[si]->id,
                     lb->id, hop->to->id);
        t->preserved_refused++;
        sgr_arena_reset(a);
    }
}

/* Through a load balancer that shows its targets its own address, toward a
 * target its own hop only possibly reaches: no client gets there definitely. */
static void check_node_shown(sgr_graph *g, const sgr_endpoint *lb, const sgr_reach *hop,
                             const sgr_endpoint *const *eps, uint32_t n, sgr_arena *a, tally *t)
{
    if (hop->verdict != SGR_UNKNOWN)
        return;
    for (uint32_t si = 0; si < n; si++) {
        if (eps[si] == lb || eps[si] == hop->to || eps[si]->kind == SGR_EP_LB)
            continue;
        sgr_verdict v;
        sgr_proto_ports *p;
        uint32_t np;
        if (sgr_lb_hop_verify(g, eps[si], hop, a, a, NULL, NULL, 0, &v, &p, &np) && v == SGR_REACHABLE)
            fail_msg("%s through %s to %s: definite, where the LB's own hop is only possible", eps[si]->id, lb->id,
                     hop->to->id);
        t->node_unknown++;
        sgr_arena_reset(a);
    }
}

static void check_through(sgr_graph *g, const sgr_endpoint *lb, const sgr_endpoint *const *eps, uint32_t n,
                          sgr_arena *a, tally *t)
{
    sgr_arena *la = sgr_arena_new();
    sgr_lb_shows shows = sgr_inbound_lb_shows(g, lb, la);
    sgr_reach *hops;
    uint32_t nh = shows == SGR_LB_SHOWS_MIXED ? 0 : sgr_reach_from(g, lb, &hops, la);
    for (uint32_t h = 0; h < nh; h++) {
        if (!hops[h].to || hops[h].verdict == SGR_UNREACHABLE)
            continue;
        if (shows == SGR_LB_SHOWS_CLIENT)
            check_client_shown(g, lb, &hops[h], eps, n, a, la, t);
        else
            check_node_shown(g, lb, &hops[h], eps, n, a, t);
    }
    sgr_arena_free(la);
}

static void check_estate(sgr_graph *g, void *ctx)
{
    tally *t = ctx;
    const sgr_endpoint *const *eps;
    uint32_t n = sgr_graph_endpoints(g, &eps);
    sgr_arena *a = sgr_arena_new();
    sgr_arena *oa = sgr_arena_new();
    sgr_inbound *outs = n ? sgr_arena_alloc_array(oa, n, sizeof *outs) : NULL;
    for (uint32_t si = 0; si < n; si++)
        sgr_outbound_of(g, eps[si], &outs[si], oa);
    for (uint32_t di = 0; di < n; di++) {
        sgr_inbound in;
        sgr_arena *ia = sgr_arena_new();
        sgr_inbound_of(g, eps[di], &in, ia);
        for (uint32_t si = 0; si < n; si++) {
            check_pair(g, eps[si], eps[di], &in, a, t);
            sgr_arena_reset(a);
            check_outbound(g, eps[si], eps[di], &outs[si], a, t);
            sgr_arena_reset(a);
        }
        sgr_arena_free(ia);
        if (eps[di]->kind == SGR_EP_LB)
            check_through(g, eps[di], eps, n, a, t);
    }
    sgr_arena_free(a);
    sgr_arena_free(oa);
}

static void fixtures_and_scenarios(void **state)
{
    (void)state;
    tally t = {0};
    /* every bundled estate, and a larger one when given (tests/e2e/test_blast_closure.sh: a generated estate) */
    int more = each_bundled_estate(check_estate, &t, "SGR_INBOUND_ESTATE");
    /* the estates exercise every branch: pairs shut by the index, pairs
     * answered within admitting rules, answers toward load balancers */
    print_message("pairs %llu, indexed %llu, sides shut %llu, shut %llu, answered %llu, bounded %llu, refused through NLBs %llu, "
                  "only possible through proxies %llu, answered within outbound rules %llu, shut by them %llu\n",
                  (unsigned long long)t.pairs, (unsigned long long)t.indexed, (unsigned long long)t.routes_shut, (unsigned long long)t.shut,
                  (unsigned long long)t.answered, (unsigned long long)t.bounded,
                  (unsigned long long)t.preserved_refused, (unsigned long long)t.node_unknown,
                  (unsigned long long)t.out_answered, (unsigned long long)t.out_shut);
    assert_true(t.shut > 100);
    assert_true(t.routes_shut > 10);
    assert_true(t.answered > 100);
    assert_true(t.bounded > 10);
    assert_true(t.out_answered > 100);
    if (more) /* the fixtures have no target that refuses NLB clients; generated estates do */
        assert_true(t.preserved_refused > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(fixtures_and_scenarios)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
