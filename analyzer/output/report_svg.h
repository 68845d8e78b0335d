/*
 * DOT → SVG with Graphviz's `dot` program, run without a shell through two
 * pipes, with a deadline. The program is `dot` from PATH, or $SGREACH_DOT.
 */
#ifndef SGREACH_REPORT_SVG_H
#define SGREACH_REPORT_SVG_H

#include <stddef.h>

#include "queries/report.h"

/* How long `dot` may take for one picture; it lays out a few hundred nodes
 * in well under that. */
#define SGR_DOT_TIMEOUT_MS 60000

/* Returns the <svg>…</svg> element (XML prolog, DOCTYPE and comments before it
 * removed; malloc'd, the caller frees), or NULL with *err set to a static
 * sentence ("Graphviz `dot` was not found", "… timed out", "… failed"). */
char *sgr_svg_render(const char *dot, size_t len, int timeout_ms, const char **err);

/* The same for one graph of the report (its sgr_graph_dot). */
char *sgr_graph_svg(const sgr_rep_graph *g, int timeout_ms, const char **err);

#endif
