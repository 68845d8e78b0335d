#include "cli/diag_print.h"

#include <stdlib.h>
#include <string.h>


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
