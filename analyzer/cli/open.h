/*
 * The one step every command takes before it asks anything: load the snapshot
 * (printing its diagnostics as SPEC section 3 says), apply `--tf-dir`, and build
 * the graph with the command line's options. Each command calls one of these
 * instead of writing the sequence again, so that an option such as
 * `--ephemeral-ports` means the same everywhere.
 */
#ifndef SGREACH_CLI_OPEN_H
#define SGREACH_CLI_OPEN_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "graph/arena.h"
#include "sgreach/query.h"
#include "sgreach/snapshot.h"

/* A snapshot, its graph, an arena for the command's results, and the status
 * line of its long phases (started before the load, so it counts the load). */
typedef struct sgr_reach_env {
    sgr_snapshot *snap;
    sgr_graph *g;
    sgr_arena *a;
    sgr_progress progress;
} sgr_reach_env;

/* "A-B" (1 <= A <= B <= 65535) into opts' ephemeral range; NULL keeps opts. */
bool sgr_parse_ephemeral(const char *text, sgr_load_options *opts);

/* The load and graph options the command line asks for (defaults: ephemeral
 * ports 1024-65535). False, with a message on stderr, on a bad --ephemeral-ports. */
bool sgr_cli_load_options(const sgr_cli *cli, sgr_load_options *out);
bool sgr_cli_graph_options(const sgr_cli *cli, sgr_graph_options *out);

/* Loads PATHS with their diagnostics on stderr (warnings unless --quiet or
 * !print_warnings) and applies --tf-dir. 0, or an exit code with *out NULL. */
int sgr_cli_load_paths(const sgr_cli *cli, const char *const *paths, size_t n, bool print_warnings,
                       sgr_snapshot **out);

/* The same on the command line's SNAPSHOT arguments (an error when there are none). */
int sgr_cli_load(const sgr_cli *cli, bool print_warnings, sgr_snapshot **out);

/* sgr_cli_load, then the graph and a fresh arena. 0, or an exit code with env zeroed. */
int sgr_reach_env_open(const sgr_cli *cli, sgr_reach_env *env);
void sgr_reach_env_free(sgr_reach_env *env);

#endif
