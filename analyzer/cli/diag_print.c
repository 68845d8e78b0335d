#include "cli/diag_print.h"

#include <stdlib.h>
#include <string.h>

#include "sgreach/exit.h"
#include "load/tf_sources.h"

void sgr_diag_print(FILE *f, const sgr_diag *d)
{
    const char *sev = d->severity == SGR_SEV_WARNING ? "warning: " : "";
    if (d->file && d->path && d->line)
        fprintf(f, "sgreach: %s: %s (line %u): %s%s\n", d->file, d->path, d->line, sev, d->message);
    else if (d->file && d->path)
        fprintf(f, "sgreach: %s: %s: %s%s\n", d->file, d->path, sev, d->message);
    else if (d->file && d->line)
        fprintf(f, "sgreach: %s:%u:%u: %s%s\n", d->file, d->line, d->column ? d->column : 1, sev, d->message);
    else if (d->file)
        fprintf(f, "sgreach: %s: %s%s\n", d->file, sev, d->message);
    else
        fprintf(f, "sgreach: %s%s\n", sev, d->message);
}

void sgr_diags_print(FILE *f, const sgr_snapshot *snap, bool quiet)
{
    for (uint32_t i = 0; i < snap->n_diags; i++)
        if (!quiet || snap->diags[i]->severity == SGR_SEV_ERROR)
            sgr_diag_print(f, snap->diags[i]);
}

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

int sgr_cli_load(const sgr_cli *cli, bool print_warnings, sgr_snapshot **out)
{
    *out = NULL;
    sgr_load_options opts = {1024, 65535, cli->quiet};
    if (!sgr_parse_ephemeral(cli->ephemeral, &opts)) {
        fprintf(stderr, "sgreach: --ephemeral-ports must be FROM-TO within 1-65535, not '%s'\n", cli->ephemeral);
        return SGR_EXIT_USAGE;
    }
    if (!cli->n_paths) {
        fprintf(stderr, "sgreach: %s: no SNAPSHOT given (files or directories of describe-* JSON)\n",
                cli->command);
        return SGR_EXIT_USAGE;
    }
    sgr_snapshot *snap;
    sgr_load_status st = sgr_snapshot_load(cli->paths, cli->n_paths, &opts, &snap);
    sgr_diags_print(stderr, snap, cli->quiet || !print_warnings);
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
