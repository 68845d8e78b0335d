/*
 * -o FILE, written safely (issue 16 §4): the command writes to memory; FILE is
 * replaced only when the command ran to a result (exit 0, 1 or 3), through a
 * temporary file in FILE's directory renamed over it. So a failed, full-disk or
 * killed run leaves the old FILE whole; a symbolic link at FILE is never
 * followed; FILE may not be one of the files the command reads.
 */
#ifndef SGREACH_OUTPUT_FILE_H
#define SGREACH_OUTPUT_FILE_H

#include <stdio.h>
#include <sys/types.h>

#include "cli/cli.h"

typedef struct sgr_output_file {
    const char *path;   /* NULL: stdout */
    FILE *mem;          /* the command's stream, in memory */
    char *buf;
    size_t len;
    mode_t mode;        /* FILE's mode when it exists, else 0666 less the umask */
} sgr_output_file;

/* Checks that FILE may be written (no symlink, not an input) and opens the
 * stream the command writes to (*out). Returns 0 or an exit code, after
 * printing why. */
int sgr_output_open(const sgr_cli *cli, sgr_output_file *o, FILE **out);

/* Ends the run: with rc a result (0, 1, 3), FILE is replaced by what the
 * command wrote; otherwise FILE is left as it was. Returns rc, or an exit code
 * when FILE could not be written. */
int sgr_output_close(sgr_output_file *o, int rc);

#endif
