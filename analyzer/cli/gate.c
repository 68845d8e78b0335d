#include "cli/gate.h"

#include <stdio.h>
#include <string.h>

#include "cli/diag_print.h"
#include "sgreach/exit.h"
#include "load/tf_sources.h"

int sgr_gate_load(const sgr_cli *cli, const char *const *paths, size_t n, sgr_snapshot **out)
{
    *out = NULL;
    sgr_load_options lo = {1024, 65535, cli->quiet};
    if (!sgr_parse_ephemeral(cli->ephemeral, &lo)) {
        fprintf(stderr, "sgreach: --ephemeral-ports must be FROM-TO within 1-65535, not '%s'\n", cli->ephemeral);
        return SGR_EXIT_USAGE;
    }
    sgr_snapshot *snap = NULL;
    sgr_load_status st = sgr_snapshot_load(paths, n, &lo, &snap);
    sgr_diags_print(stderr, snap, cli->quiet);
    if (st != SGR_LOAD_OK) {
        sgr_snapshot_free(snap);
        return SGR_EXIT_USAGE;
    }
    if (cli->tf_dir && sgr_tf_sources_apply(snap, cli->tf_dir) < 0) {
        fprintf(stderr, "sgreach: --tf-dir %s: not a readable directory\n", cli->tf_dir);
        sgr_snapshot_free(snap);
        return SGR_EXIT_USAGE;
    }
    *out = snap;
    return 0;
}

bool sgr_gate_graph_options(const sgr_cli *cli, sgr_graph_options *opts)
{
    sgr_load_options lo = {1024, 65535, cli->quiet};
    bool ok = sgr_parse_ephemeral(cli->ephemeral, &lo);
    opts->ephemeral_from = lo.ephemeral_from;
    opts->ephemeral_to = lo.ephemeral_to;
    return ok;
}
