#include <stdio.h>

#include "commands.h"
#include "sgreach/exit.h"

/* Placeholder until the command's issue lands: says so and fails loudly. */
int sgr_cmd_blast(const sgr_cli *cli, FILE *out)
{
    (void)cli;
    (void)out;
    fprintf(stderr, "sgreach: blast: not implemented yet\n");
    return SGR_EXIT_INTERNAL;
}
