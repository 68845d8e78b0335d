/* sgreach: who can reach what in an AWS estate. Dispatches to one command. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/diag_print.h"
#include "cli/output_file.h"
#include "sgreach/exit.h"

static const struct {
    const char *name;
    sgr_command_fn fn;
} DISPATCH[] = {
    {"summary", sgr_cmd_summary}, {"can", sgr_cmd_can},     {"blast", sgr_cmd_blast},
    {"exposure", sgr_cmd_exposure}, {"check", sgr_cmd_check}, {"diff", sgr_cmd_diff},
    {"report", sgr_cmd_report},   {"graph", sgr_cmd_graph},
};

int main(int argc, char **argv)
{
    /* Output must not depend on the user's locale (SPEC: deterministic). */
    setlocale(LC_ALL, "C");
    sgr_cli cli;
    bool done;
    int rc = sgr_cli_parse(argc, argv, &cli, &done);
    if (rc || done) {
        sgr_cli_free(&cli);
        return rc;
    }
    FILE *out;
    sgr_output_file file;
    rc = sgr_output_open(&cli, &file, &out);
    if (rc) {
        sgr_cli_free(&cli);
        return rc;
    }
    /* Colour only where a person reads it: a terminal, unless NO_COLOR (any
     * value but empty, https://no-color.org) or TERM=dumb. */
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    cli.color = out == stdout && isatty(fileno(stdout)) && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
    rc = SGR_EXIT_INTERNAL;
    for (size_t i = 0; i < sizeof DISPATCH / sizeof DISPATCH[0]; i++)
        if (strcmp(cli.command, DISPATCH[i].name) == 0)
            rc = DISPATCH[i].fn(&cli, out);
    if (out == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            sgr_eprintf("sgreach: error writing output");
            rc = SGR_EXIT_INTERNAL;
        }
    } else {
        rc = sgr_output_close(&file, rc);
    }
    sgr_cli_free(&cli);
    return rc;
}
