/* graph/lb_legs.h's contract, on the bundled fixture estates, the
 * scenarios and the Batfish snapshots: sgr_can_via_lb_legs, with one memo of
 * legs shared by every question of an estate, answers what sgr_can_via_lb
 * answers without it, the first time a leg is asked and every time after
 * (from the memo). Asked for every client of every load balancer toward
 * every target its own hop reaches, on the ports that hop carries. blast's
 * closure keeps its legs this way, so a key that forgot what a leg depends on
 * would show here as a different verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"
#include "graph/lb_legs.h"
#include "estates.h"
#include "sgreach/snapshot.h"

typedef struct tally {
    uint64_t asked, reached, kept_leads, kept_relays;
} tally;

enum { PORTS_PER_HOP = 4 };

/* Up to PORTS_PER_HOP (protocol, port) of a hop: each range's ends. */
static uint32_t hop_ports(const sgr_reach *hop, int32_t *proto, int32_t *port)
{
    uint32_t n = 0;
    for (int part = 0; part < 2; part++) {
        const sgr_proto_ports *p = part ? hop->maybe : hop->ports;
        uint32_t np = part ? hop->n_maybe : hop->n_ports;
        for (uint32_t i = 0; i < np; i++)
            for (uint32_t r = 0; r < p[i].n_ranges && n < PORTS_PER_HOP; r++)
                for (int end = 0; end < 2 && n < PORTS_PER_HOP; end++) {
                    int32_t x = end ? p[i].ranges[r].hi : p[i].ranges[r].lo;
                    if (end && x == p[i].ranges[r].lo)
                        continue;
                    proto[n] = p[i].protocol;
                    port[n++] = x;
                }
    }
    return n;
}

static void check_estate(sgr_graph *g, void *ctx)
{
    tally *t = ctx;
    const sgr_endpoint *const *eps;
    uint32_t n = sgr_graph_endpoints(g, &eps);
    sgr_arena *a = sgr_arena_new(), *ha = sgr_arena_new();
    sgr_lb_legs legs = {0};
    for (uint32_t li = 0; li < n; li++) {
        if (eps[li]->kind != SGR_EP_LB)
            continue;
        sgr_reach *hops;
        uint32_t nh = sgr_reach_from(g, eps[li], &hops, ha);
        for (uint32_t h = 0; h < nh; h++) {
            if (!hops[h].to || hops[h].verdict == SGR_UNREACHABLE)
                continue;
            int32_t proto[PORTS_PER_HOP], port[PORTS_PER_HOP];
            uint32_t np = hop_ports(&hops[h], proto, port);
            for (uint32_t si = 0; si < n; si++) {
                if (eps[si] == eps[li] || eps[si] == hops[h].to || eps[si]->kind == SGR_EP_LB)
                    continue;
                for (uint32_t k = 0; k < np; k++) {
                    sgr_verdict plain = sgr_can_via_lb(g, eps[si], eps[li], hops[h].to, proto[k], port[k], a);
                    for (int again = 0; again < 2; again++) {
                        sgr_verdict kept =
                            sgr_can_via_lb_legs(g, eps[si], eps[li], hops[h].to, proto[k], port[k], a, &legs);
                        if (kept != plain)
                            fail_msg("%s through %s to %s on %d/%d: %d with legs kept (%s), %d without", eps[si]->id,
                                     eps[li]->id, hops[h].to->id, proto[k], port[k], (int)kept,
                                     again ? "asked again" : "first", (int)plain);
                    }
                    t->asked++;
                    t->reached += plain == SGR_REACHABLE;
                    sgr_arena_reset(a);
                }
            }
        }
        sgr_arena_reset(ha);
    }
    t->kept_leads += legs.leads.n;
    t->kept_relays += legs.tails.n;
    sgr_lb_legs_free(&legs);
    sgr_arena_free(a);
    sgr_arena_free(ha);
}

static void kept_legs_answer_alike(void **state)
{
    (void)state;
    tally t = {0};
    /* every bundled estate, and a larger one when given (tests/e2e/test_blast_closure.sh:
     * a generated estate, with Network Load Balancers that preserve client addresses) */
    int more = each_bundled_estate(check_estate, &t, "SGR_LB_LEGS_ESTATE");
    print_message("asked %llu (reachable %llu), legs kept: %llu clients' to listeners, %llu load balancers' to targets\n",
                  (unsigned long long)t.asked, (unsigned long long)t.reached, (unsigned long long)t.kept_leads,
                  (unsigned long long)t.kept_relays);
    /* the estates ask enough, both ways, for the memo to be used */
    assert_true(t.asked > 300);
    assert_true(t.reached > 100);
    assert_true(t.kept_leads > 100);
    assert_true(t.kept_relays > 10);
    if (more)
        assert_true(t.asked > 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(kept_legs_answer_alike)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
