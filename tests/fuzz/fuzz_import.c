/*
 * Fuzzes the whole loader on one JSON file of arbitrary bytes: parsing, the
 * line index, every importer (dispatch is by content), linking, and the graph
 * compiled from what loaded. Any crash, leak, UB or timeout is a bug.
 *
 * Built twice (tests/fuzz/CMakeLists.txt): fuzz_import as above, and
 * fuzz_terraform with SGR_FUZZ_TERRAFORM, which aims at the Terraform
 * importer: the file is a plan or state document laid over a small live
 * estate (SGR_FUZZ_LIVE, else tests/data/terraform/live from the working
 * directory), so that the overlay (rules removed from live groups, live
 * objects kept or replaced) runs too. Inputs that cannot be Terraform
 * (no "format_version") are refused, so that the corpus keeps to plans.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph/arena.h"
#include "sgreach/query.h"
#include "sgreach/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef SGR_FUZZ_TERRAFORM
    static const char key[] = "\"format_version\"";
    if (!memmem(data, size, key, sizeof key - 1))
        return -1; /* never a Terraform document: not kept in the corpus */
#endif
    char path[64];
    snprintf(path, sizeof path, "/tmp/sgr-fuzz-import-%d.json", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
#ifdef SGR_FUZZ_TERRAFORM
    const char *live = getenv("SGR_FUZZ_LIVE");
    const char *paths[] = {live ? live : "tests/data/terraform/live", path};
#else
    const char *paths[] = {path};
#endif
    sgr_snapshot *snap = NULL;
    sgr_load_options opts = {.quiet = true};
    sgr_snapshot_load(paths, sizeof paths / sizeof paths[0], &opts, &snap);
    sgr_graph *g = sgr_graph_build(snap, NULL);
    /* One whole-estate question too: what the internet reaches. */
    sgr_arena *scratch = sgr_arena_new();
    sgr_reach *reach = NULL;
    sgr_reach_from(g, sgr_graph_internet(g), &reach, scratch);
    sgr_arena_free(scratch);
    sgr_graph_free(g);

    sgr_snapshot_free(snap);
    unlink(path);
    return 0;
}
