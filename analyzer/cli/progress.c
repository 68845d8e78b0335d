/* progress.h: the status line of long runs. */
#include "cli/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sgr_progress_init(sgr_progress *p, const sgr_cli *cli)
{
    p->command = cli->command ? cli->command : "sgreach";
    p->on = !cli->quiet && isatty(STDERR_FILENO);
    p->shown = false;
    p->start = now();
    p->last = -1.0;
}

void sgr_progress_step(void *ctx, const char *phase, uint32_t done, uint32_t total)
{
    sgr_progress *p = ctx;
    if (!p || !p->on)
        return;
    double t = now();
    if (p->last >= 0 && t - p->last < 0.25 && done != total)
        return;
    p->last = t;
    /* \r and erase-to-end: the line is rewritten in place */
    if (total)
        fprintf(stderr, "\rsgreach: %s: %s %u/%u, %.0f s\033[K", p->command, phase, (unsigned)done, (unsigned)total,
                t - p->start);
    else
        fprintf(stderr, "\rsgreach: %s: %s, %.0f s\033[K", p->command, phase, t - p->start);
    fflush(stderr);
    p->shown = true;
}

void sgr_progress_done(sgr_progress *p)
{
    if (p->on && p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}
