/*
 * Fuzzes the whole loader on one JSON file of arbitrary bytes: parsing, the
 * line index, every importer (dispatch is by content), linking, and the graph
 * compiled from what loaded. Any crash, leak, UB or timeout is a bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "graph/arena.h"
#include "sgreach/query.h"
#include "sgreach/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/sgr-fuzz-import-%d.json", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    const char *paths[] = {path};
    sgr_snapshot *snap = NULL;
    sgr_load_options opts = {.quiet = true};
    sgr_snapshot_load(paths, 1, &opts, &snap);
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
