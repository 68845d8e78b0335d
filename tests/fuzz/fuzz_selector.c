/*
 * Fuzzes the selector parser (regexes included) and resolution against a small
 * loaded estate (fixtures/ecommerce-awsvpc, path given by SGR_FUZZ_ESTATE or
 * found relative to the working directory).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"
#include "sgreach/selector.h"
#include "sgreach/snapshot.h"

static sgr_snapshot *estate(void)
{
    static sgr_snapshot *snap; /* loaded once: the fuzzer's fixed world, never mutated */
    if (!snap) {
        const char *dir = getenv("SGR_FUZZ_ESTATE");
        const char *paths[] = {dir ? dir : "fixtures/ecommerce-awsvpc"};
        sgr_load_options opts = {.quiet = true};
        sgr_snapshot_load(paths, 1, &opts, &snap);
    }
    return snap;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    sgr_arena *a = sgr_arena_new();
    const char *err = NULL;
    sgr_selector *s = sgr_selector_parse(a, text, &err);
    if (s) {
        sgr_selection sel;
        const char *suggest = NULL;
        sgr_selector_resolve(s, estate(), a, &sel, &suggest);
        sgr_selector_free(s);
    }
    sgr_arena_free(a);
    free(text);
    return 0;
}
