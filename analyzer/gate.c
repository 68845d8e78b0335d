#include "gate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgreach/exit.h"

static void print_diag(const sgr_diag *d)
{
    const char *kind = d->severity == SGR_SEV_WARNING ? "warning: " : "";
    if (d->file && d->path && d->line)
        fprintf(stderr, "sgreach: %s%s: %s (line %u): %s\n", kind, d->file, d->path, d->line, d->message);
    else if (d->file && d->path)
        fprintf(stderr, "sgreach: %s%s: %s: %s\n", kind, d->file, d->path, d->message);
    else if (d->file && d->line)
        fprintf(stderr, "sgreach: %s%s:%u:%u: %s\n", kind, d->file, d->line, d->column, d->message);
    else if (d->file)
        fprintf(stderr, "sgreach: %s%s: %s\n", kind, d->file, d->message);
    else
        fprintf(stderr, "sgreach: %s%s\n", kind, d->message);
}

int sgr_gate_load(const sgr_cli *cli, const char *const *paths, size_t n, sgr_snapshot **out)
{
    sgr_load_options lo;
    memset(&lo, 0, sizeof lo);
    sgr_graph_options go;
    if (!sgr_gate_graph_options(cli, &go))
        return SGR_EXIT_USAGE;
    lo.ephemeral_from = go.ephemeral_from;
    lo.ephemeral_to = go.ephemeral_to;
    lo.quiet = cli->quiet;
    sgr_snapshot *snap = NULL;
    sgr_load_status st = sgr_snapshot_load(paths, n, &lo, &snap);
    for (uint32_t i = 0; snap && i < snap->n_diags; i++)
        if (snap->diags[i]->severity == SGR_SEV_ERROR || !cli->quiet)
            print_diag(snap->diags[i]);
    if (st != SGR_LOAD_OK) {
        sgr_snapshot_free(snap);
        *out = NULL;
        return SGR_EXIT_USAGE;
    }
    *out = snap;
    return 0;
}

bool sgr_gate_graph_options(const sgr_cli *cli, sgr_graph_options *opts)
{
    opts->ephemeral_from = 1024;
    opts->ephemeral_to = 65535;
    if (!cli->ephemeral)
        return true;
    char *end;
    long lo = strtol(cli->ephemeral, &end, 10), hi = -1;
    if (*end == '-')
        hi = strtol(end + 1, &end, 10);
    if (*end || lo < 0 || hi < lo || hi > 65535 || cli->ephemeral[0] < '0' || cli->ephemeral[0] > '9') {
        fprintf(stderr, "sgreach: --ephemeral-ports: \"%s\" is not a range A-B within 0-65535\n", cli->ephemeral);
        return false;
    }
    opts->ephemeral_from = (int32_t)lo;
    opts->ephemeral_to = (int32_t)hi;
    return true;
}
