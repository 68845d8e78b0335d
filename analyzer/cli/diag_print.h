/*
 * How every command loads its snapshot and prints load diagnostics, so they
 * all look the same (SPEC section 3):
 *   syntax:  sgreach: FILE:LINE:COL: message
 *   content: sgreach: FILE: JSON-PATH (line N): message
 * Warnings read "... : warning: message" and are printed unless --quiet.
 */
#ifndef SGREACH_DIAG_PRINT_H
#define SGREACH_DIAG_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "sgreach/snapshot.h"

/* One diagnostic, one line, "sgreach: " first. */
void sgr_diag_print(FILE *f, const sgr_diag *d);

/* Every error, and every warning unless quiet, in load order. */
void sgr_diags_print(FILE *f, const sgr_snapshot *snap, bool quiet);

/* Parses --ephemeral-ports ("A-B", 1 ≤ A ≤ B ≤ 65535) into opts; false on a bad value. */
bool sgr_parse_ephemeral(const char *text, sgr_load_options *opts);

/* The common load of a command: cli->paths with the CLI's options. On success
 * returns 0 and *out (free with sgr_snapshot_free), having printed warnings to
 * stderr unless print_warnings is false or --quiet. On a usage or fatal input
 * error prints it to stderr and returns 2 with *out = NULL. */
int sgr_cli_load(const sgr_cli *cli, bool print_warnings, sgr_snapshot **out);

#endif
