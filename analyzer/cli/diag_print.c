#include "cli/diag_print.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"
#include "graph/printable.h"

/* A diagnostic names files as found on disk and parts of the input: each is
 * escaped, so a file named "x\n::error::" cannot forge a line of stderr. */
void sgr_diag_print(FILE *f, const sgr_diag *d)
{
    const char *sev = d->severity == SGR_SEV_WARNING ? "warning: " : "";
    fputs("sgreach: ", f);
    if (d->file) {
        sgr_printable_fputs(f, d->file);
        if (d->path) {
            fputs(": ", f);
            sgr_printable_fputs(f, d->path);
            if (d->line)
                fprintf(f, " (line %u)", d->line);
        } else if (d->line) {
            fprintf(f, ":%u:%u", d->line, d->column ? d->column : 1);
        }
        fputs(": ", f);
    }
    fputs(sev, f);
    sgr_printable_fputs(f, d->message);
    fputc('\n', f);
}

void sgr_diags_print(FILE *f, const sgr_snapshot *snap, bool quiet)
{
    for (uint32_t i = 0; i < snap->n_diags; i++)
        if (!quiet || snap->diags[i]->severity == SGR_SEV_ERROR)
            sgr_diag_print(f, snap->diags[i]);
}

void sgr_eprintf(const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *line = sgr_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    vsnprintf(line, n > 0 ? (size_t)n + 1 : 1, fmt, again);
    va_end(again);
    sgr_printable_fputs(stderr, line);
    fputc('\n', stderr);
    free(line);
}
