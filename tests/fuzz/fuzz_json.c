/*
 * Differential: sgr_json_loadb (load/json_plain.h, the fast parser with
 * jansson behind it) against json_loadb on the same bytes, with and without
 * the end-of-input check. Any difference aborts: a tree where jansson has
 * an error, a different tree (member order, integer against real, values),
 * a different error, line, column or position.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/json_plain.h"

static void same_text(char *a, char *b)
{
    if (!a || !b || strcmp(a, b) != 0)
        abort();
    free(a);
    free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t flags[] = {0, JSON_DISABLE_EOF_CHECK};
    for (size_t i = 0; i < 2; i++) {
        json_error_t je, pe;
        json_t *j = json_loadb((const char *)data, size, flags[i], &je);
        json_t *p = sgr_json_loadb((const char *)data, size, flags[i], &pe);
        if (!j != !p || je.position != pe.position || je.line != pe.line || je.column != pe.column ||
            strcmp(je.text, pe.text) != 0)
            abort();
        if (j)
            same_text(json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY), json_dumps(p, JSON_COMPACT | JSON_ENCODE_ANY));
        json_decref(j);
        json_decref(p);
    }
    return 0;
}
