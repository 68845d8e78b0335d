/*
 * `sgreach diff OLD NEW`: the paths NEW opens and closes relative to OLD
 * (one snapshot path each; a directory holds a whole snapshot).
 * `sgreach diff --plan PLAN [LIVE...]`: OLD = LIVE, NEW = LIVE with the
 * Terraform plan laid over it (nothing when no LIVE is given).
 * Exit: 0 nothing changed, 1 something did, 2 bad input (like diff(1)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diff.h"
#include "gate.h"
#include "graph/arena.h"
#include "sgreach/exit.h"

int sgr_cmd_diff(const sgr_cli *cli, FILE *out)
{
    if (!sgr_cli_format_ok(cli, "text|json"))
        return SGR_EXIT_USAGE;
    const char *const *old_paths = cli->paths, *const *new_paths;
    size_t n_old, n_new;
    const char **with_plan = NULL;
    if (cli->plan) {
        n_old = cli->n_paths;
        with_plan = sgr_xcalloc(cli->n_paths + 1, sizeof *with_plan);
        for (size_t i = 0; i < cli->n_paths; i++)
            with_plan[i] = cli->paths[i];
        with_plan[cli->n_paths] = cli->plan;
        new_paths = with_plan;
        n_new = cli->n_paths + 1;
    } else {
        if (cli->n_paths != 2) {
            fprintf(stderr, "sgreach: diff: give OLD and NEW (one snapshot each, a file or a directory), or --plan PLAN [LIVE...]\n");
            return SGR_EXIT_USAGE;
        }
        n_old = n_new = 1;
        new_paths = cli->paths + 1;
    }
    sgr_snapshot *old_s = NULL, *new_s = NULL;
    int rc = n_old ? sgr_gate_load(cli, old_paths, n_old, &old_s) : 0;
    if (!rc)
        rc = sgr_gate_load(cli, new_paths, n_new, &new_s);
    if (!rc) {
        sgr_graph_options go;
        sgr_gate_graph_options(cli, &go);
        sgr_graph *old_g = old_s ? sgr_graph_build(old_s, &go) : NULL;
        sgr_graph *new_g = sgr_graph_build(new_s, &go);
        sgr_arena *a = sgr_arena_new();
        sgr_diff d;
        /* SGREACH_DIFF_FULL=1 compares every pair (tests check both ways agree). */
        const char *full = getenv("SGREACH_DIFF_FULL");
        sgr_diff_compute(old_s, old_g, new_s, new_g, full && strcmp(full, "1") == 0, a, &d);
        if (strcmp(sgr_cli_format(cli), "json") == 0)
            sgr_diff_write_json(out, &d, old_paths, n_old, new_paths, n_new, a);
        else
            sgr_diff_write_text(out, &d, a);
        rc = d.n ? SGR_EXIT_NO : SGR_EXIT_YES;
        sgr_arena_free(a);
        if (old_g)
            sgr_graph_free(old_g);
        sgr_graph_free(new_g);
    }
    if (old_s)
        sgr_snapshot_free(old_s);
    if (new_s)
        sgr_snapshot_free(new_s);
    free(with_plan);
    return rc;
}
