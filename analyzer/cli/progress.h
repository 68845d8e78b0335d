/*
 * A sign of life on long runs: one status line on stderr ("sgreach: report:
 * blast radius 120/1714, 12 s"), rewritten in place, only when stderr is a
 * terminal and --quiet was not given: never in pipes, files or CI logs.
 * Updates closer than a quarter second apart are dropped; sgr_progress_done
 * erases the line before the command's own output or warnings.
 */
#ifndef SGREACH_CLI_PROGRESS_H
#define SGREACH_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/cli.h"

typedef struct sgr_progress {
    const char *command;
    bool on;                    /* stderr is a terminal and not --quiet */
    bool shown;                 /* a line is on the screen */
    double start, last;         /* seconds (monotonic) */
} sgr_progress;

void sgr_progress_init(sgr_progress *p, const sgr_cli *cli);
/* The phase, and how far it is (total 0: no count). */
void sgr_progress_step(void *p, const char *phase, uint32_t done, uint32_t total);
void sgr_progress_done(sgr_progress *p);

#endif
