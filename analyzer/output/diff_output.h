/*
 * Writers for `sgreach diff`: one line per opened or closed path with the rules
 * that open it or the components that close it (text), and the JSON document
 * {"old", "new", "changed", "compared", "summary", "opened", "closed"}, valid
 * UTF-8 whatever the snapshot's names hold. Scratch strings go to `a`.
 */
#ifndef SGREACH_DIFF_OUTPUT_H
#define SGREACH_DIFF_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "graph/arena.h"
#include "queries/diff.h"

void sgr_diff_write_text(FILE *out, const sgr_diff *d, sgr_arena *a);
void sgr_diff_write_json(FILE *out, const sgr_diff *d, const char *const *old_paths, size_t n_old,
                         const char *const *new_paths, size_t n_new);

#endif
