/*
 * What `check` and `diff` share: loading a snapshot with its diagnostics
 * printed, and the graph options from the command line.
 */
#ifndef SGREACH_GATE_H
#define SGREACH_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "sgreach/query.h"
#include "sgreach/snapshot.h"

/* Loads `paths`; prints errors (and warnings unless --quiet) to stderr as
 * "sgreach: FILE: JSON-PATH (line N): …". Returns 0, or 2 on an input error
 * (*out is then freed and NULL). */
int sgr_gate_load(const sgr_cli *cli, const char *const *paths, size_t n, sgr_snapshot **out);

/* --ephemeral-ports A-B into opts (default 1024-65535); false after printing a usage error. */
bool sgr_gate_graph_options(const sgr_cli *cli, sgr_graph_options *opts);

#endif
