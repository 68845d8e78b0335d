/*
 * How every command prints load diagnostics, so they all look the same (SPEC
 * section 3; the load itself is cli/open.h):
 *   syntax:  sgreach: FILE:LINE:COL: message
 *   content: sgreach: FILE: JSON-PATH (line N): message
 * Warnings read "... : warning: message" and are printed unless --quiet.
 */
#ifndef SGREACH_DIAG_PRINT_H
#define SGREACH_DIAG_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "sgreach/snapshot.h"

/* One diagnostic, one line, "sgreach: " first. */
void sgr_diag_print(FILE *f, const sgr_diag *d);

/* Every error, and every warning unless quiet, in load order. */
void sgr_diags_print(FILE *f, const sgr_snapshot *snap, bool quiet);

/* One line of the command line's own on stderr (fmt without its newline):
 * the whole line is escaped, so an argument or a file name holding a newline
 * or ESC cannot forge another line or drive the terminal. */
void sgr_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
