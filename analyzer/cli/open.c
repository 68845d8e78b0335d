#include "cli/open.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diag_print.h"
#include "load/tf_sources.h"
#include "sgreach/exit.h"

/* Linux's and the RFC 6335 range are narrower; 1024-65535 covers every client OS. */
enum { DEFAULT_EPHEMERAL_FROM = 1024, DEFAULT_EPHEMERAL_TO = 65535 };

bool sgr_parse_ephemeral(const char *text, sgr_load_options *opts)
{
    if (!text)
        return true;
    char *end;
    long a = strtol(text, &end, 10);
    if (end == text || *end != '-')
        return false;
    const char *t = end + 1;
    long b = strtol(t, &end, 10);
    if (end == t || *end || a < 1 || b > 65535 || a > b)
        return false;
    opts->ephemeral_from = (int32_t)a;
    opts->ephemeral_to = (int32_t)b;
    return true;
}

bool sgr_cli_load_options(const sgr_cli *cli, sgr_load_options *out)
{
    *out = (sgr_load_options){DEFAULT_EPHEMERAL_FROM, DEFAULT_EPHEMERAL_TO, cli->quiet, cli->debug_split};
    if (sgr_parse_ephemeral(cli->ephemeral, out))
        return true;
    sgr_eprintf("sgreach: --ephemeral-ports must be FROM-TO within 1-65535, not '%s'", cli->ephemeral);
    return false;
}

bool sgr_cli_graph_options(const sgr_cli *cli, sgr_graph_options *out)
{
    sgr_load_options lo;
    bool ok = sgr_cli_load_options(cli, &lo);
    *out = (sgr_graph_options){lo.ephemeral_from, lo.ephemeral_to, cli->debug_reference};
    return ok;
}

int sgr_cli_load_paths(const sgr_cli *cli, const char *const *paths, size_t n, bool print_warnings,
                       sgr_snapshot **out)
{
    *out = NULL;
    sgr_load_options opts;
    if (!sgr_cli_load_options(cli, &opts))
        return SGR_EXIT_USAGE;
    sgr_snapshot *snap = NULL;
    sgr_load_status st = sgr_snapshot_load(paths, n, &opts, &snap);
    /* A load refused prints its warnings too: they say what each file was taken for. */
    sgr_diags_print(stderr, snap, cli->quiet || (!print_warnings && st == SGR_LOAD_OK));
    if (st != SGR_LOAD_OK) {
        sgr_snapshot_free(snap);
        return SGR_EXIT_USAGE;
    }
    if (cli->tf_dir && sgr_tf_sources_apply(snap, cli->tf_dir) < 0) {
        sgr_eprintf("sgreach: --tf-dir %s: not a readable directory", cli->tf_dir);
        sgr_snapshot_free(snap);
        return SGR_EXIT_USAGE;
    }
    *out = snap;
    return 0;
}

int sgr_cli_load(const sgr_cli *cli, bool print_warnings, sgr_snapshot **out)
{
    *out = NULL;
    sgr_load_options opts;
    if (!sgr_cli_load_options(cli, &opts))
        return SGR_EXIT_USAGE;
    if (!cli->n_paths) {
        sgr_eprintf("sgreach: %s: no SNAPSHOT given (files or directories of describe-* JSON)",
                cli->command);
        return SGR_EXIT_USAGE;
    }
    return sgr_cli_load_paths(cli, (const char *const *)cli->paths, cli->n_paths, print_warnings, out);
}

int sgr_reach_env_open(const sgr_cli *cli, sgr_reach_env *env)
{
    memset(env, 0, sizeof *env);
    sgr_progress_init(&env->progress, cli);
    int rc = sgr_cli_load(cli, true, &env->snap);
    if (rc)
        return rc;
    sgr_graph_options go;
    sgr_cli_graph_options(cli, &go); /* validated by the load */
    env->g = sgr_graph_build(env->snap, &go);
    env->a = sgr_arena_new();
    return 0;
}

void sgr_reach_env_free(sgr_reach_env *env)
{
    if (env->a)
        sgr_arena_free(env->a);
    if (env->g)
        sgr_graph_free(env->g);
    sgr_snapshot_free(env->snap);
    memset(env, 0, sizeof *env);
}
