/* Fuzzes the policy parser and validator on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "graph/arena.h"
#include "queries/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sgr_arena *a = sgr_arena_new();
    const char *err = NULL;
    sgr_policy_options opts = {.today = "2026-01-01"};
    sgr_policy_parse(a, "fuzz.json", (const char *)data, size, &opts, &err);
    sgr_arena_free(a);
    return 0;
}
