/*
 * Fuzzes the policy + check path: a policy file of arbitrary bytes parsed and
 * validated as `sgreach check --policy` does (selectors checked by the real
 * parser), evaluated on a fixed small estate (SGR_FUZZ_ESTATE, else
 * fixtures/ecommerce-awsvpc from the working directory, whose names the seed
 * policies use), the estate's built-in findings taken into the gate (waivers
 * that name findings), then written in every format of `check`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "graph/arena.h"
#include "queries/check.h"
#include "queries/findings.h"
#include "queries/policy.h"
#include "sgreach/query.h"
#include "sgreach/selector.h"
#include "sgreach/snapshot.h"

/* The fuzzer's fixed world, loaded once and never freed. */
static sgr_snapshot *snap;
static sgr_graph *graph;
static sgr_findings findings;
static FILE *sink;

static bool selector_ok(sgr_arena *a, const char *text, const char **err)
{
    sgr_selector *s = sgr_selector_parse(a, text, err);
    if (!s)
        return false;
    sgr_selector_free(s);
    return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = getenv("SGR_FUZZ_ESTATE");
    const char *paths[] = {dir ? dir : "fixtures/ecommerce-awsvpc"};
    sgr_load_options opts = {.quiet = true};
    if (sgr_snapshot_load(paths, 1, &opts, &snap) != SGR_LOAD_OK) {
        fprintf(stderr, "fuzz_check: cannot load %s\n", paths[0]);
        exit(1);
    }
    graph = sgr_graph_build(snap, NULL);
    sgr_findings_run(snap, sgr_arena_new(), &findings);
    sink = fopen("/dev/null", "w");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sgr_arena *a = sgr_arena_new();
    const char *err = NULL;
    sgr_policy_options po = {.today = "2026-01-01", .check_selector = selector_ok};
    sgr_policy *p = sgr_policy_parse(a, "fuzz.json", (const char *)data, size, &po, &err);
    if (p) {
        sgr_check_result r = {.policy = p};
        sgr_check_options co = {.quiet = true};
        if (!p->n_entries || sgr_check_evaluate(graph, snap, p, &co, a, &r, &err) == 0) {
            sgr_check_add_findings(&r, &findings, a);
            r.fail_on = SGR_FSEV_HIGH;
            sgr_check_failures(&r);
            sgr_check_write_text(sink, &r, a);
            sgr_check_write_json(sink, &r, a);
            sgr_check_write_sarif(sink, &r, a);
            sgr_check_write_junit(sink, &r, a);
            sgr_check_write_codequality(sink, &r, a);
        }
    }
    sgr_arena_free(a);
    return 0;
}
