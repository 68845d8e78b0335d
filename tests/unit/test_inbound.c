/* graph/inbound.h's contract, on every pair of endpoints of the bundled
 * fixture estates and the scenarios: a source that no inbound rule of the
 * destination admits gets nothing from sgr_reach_pair, and every port of an
 * answer lies within the rules that admit the source and within the bound.
 * (SGR_INBOUND_ESTATE names one more estate to check.) blast's closure stops looking for sources on the strength of it, so a break
 * here would hide a path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blast.h"
#include "graph/inbound.h"
#include "sgreach/snapshot.h"

typedef struct tally {
    uint64_t pairs, indexed, shut, answered, bounded;
} tally;

static void check_pair(sgr_graph *g, const sgr_endpoint *s, const sgr_endpoint *d, const sgr_inbound *in,
                       sgr_arena *a, tally *t)
{
    uint32_t addr;
    t->pairs++;
    if (s == d || (s->eni && s->eni == d->eni) || !sgr_inbound_source_addr4(g, s, &addr))
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

static void check_estate(const char *dir, tally *t)
{
    sgr_load_options o = {.quiet = true};
    sgr_snapshot *snap;
    if (sgr_snapshot_load(&dir, 1, &o, &snap) != SGR_LOAD_OK)
        return; /* estates that do not load are other tests' business */
    sgr_graph *g = sgr_graph_build(snap, NULL);
    const sgr_endpoint *const *eps;
    uint32_t n = sgr_graph_endpoints(g, &eps);
    sgr_arena *a = sgr_arena_new();
    for (uint32_t di = 0; di < n; di++) {
        sgr_inbound in;
        sgr_arena *ia = sgr_arena_new();
        sgr_inbound_of(g, eps[di], &in, ia);
        for (uint32_t si = 0; si < n; si++) {
            check_pair(g, eps[si], eps[di], &in, a, t);
            sgr_arena_reset(a);
        }
        sgr_arena_free(ia);
    }
    sgr_arena_free(a);
    sgr_graph_free(g);
    sgr_snapshot_free(snap);
}

static void each_estate(const char *root, tally *t)
{
    DIR *d = opendir(root);
    assert_non_null(d);
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", root, e->d_name);
            DIR *sub = opendir(path);
            if (sub) {
                closedir(sub);
                check_estate(path, t);
            }
        }
    closedir(d);
}

static void fixtures_and_scenarios(void **state)
{
    (void)state;
    tally t = {0};
    each_estate(SGR_SOURCE_DIR "/fixtures", &t);
    each_estate(SGR_SOURCE_DIR "/tests/scenarios", &t);
    each_estate(SGR_SHARED_DIR "/corpus/batfish-aws", &t);
    /* a larger one when given (tests/e2e/test_blast_closure.sh: a generated estate) */
    const char *more = getenv("SGR_INBOUND_ESTATE");
    if (more && *more)
        check_estate(more, &t);
    /* the estates exercise every branch: pairs shut by the index, pairs
     * answered within admitting rules, answers toward load balancers */
    print_message("pairs %llu, indexed %llu, shut %llu, answered %llu, bounded %llu\n", (unsigned long long)t.pairs,
                  (unsigned long long)t.indexed, (unsigned long long)t.shut, (unsigned long long)t.answered,
                  (unsigned long long)t.bounded);
    assert_true(t.shut > 100);
    assert_true(t.answered > 100);
    assert_true(t.bounded > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(fixtures_and_scenarios)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
